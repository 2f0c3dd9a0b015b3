#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/conn.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

/* The ways a password is written in a conninfo. */
struct secrets {
	char **v;
	size_t n;
};

static void
secrets_add(struct secrets *sec, const char *s, size_t n)
{
	if (n == 0)
		return;
	sec->v = xrealloc(sec->v, (sec->n + 1) * sizeof(*sec->v));
	sec->v[sec->n++] = xstrndup(s, n);
}

/* The password as libpq would read it, and also as written in a URI's
 * user:password@ part or after password= in a string libpq rejects
 * (libpq quotes fragments of a malformed conninfo in its errors). */
static void
secrets_find(const char *conninfo, struct secrets *sec)
{
	PQconninfoOption *opts;
	const char *p;

	if ((opts = PQconninfoParse(conninfo, NULL))) {
		for (PQconninfoOption *o = opts; o->keyword; o++)
			if (strcmp(o->keyword, "password") == 0 && o->val)
				secrets_add(sec, o->val, strlen(o->val));
		PQconninfoFree(opts);
	}
	for (p = conninfo; (p = strstr(p, "password")); p++) {
		const char *v = p + strlen("password");

		while (*v == ' ' || *v == '=')
			v++;
		secrets_add(sec, v, strcspn(v, " &'\""));
	}
	if ((p = strstr(conninfo, "://"))) {
		const char *at = strchr(p + 3, '@');
		const char *colon = strchr(p + 3, ':');

		if (at && colon && colon < at)
			secrets_add(sec, colon + 1, (size_t) (at - colon - 1));
	}
}

void
conn_redact(const char *conninfo, const char *msg, char *out, size_t outlen)
{
	struct strbuf sb = STRBUF_INIT;
	struct secrets sec = {0};

	if (conninfo)
		secrets_find(conninfo, &sec);
	/* One pass over the message, the longest secret first at each place:
	 * the mask is never searched again, so a password that is part of
	 * it ("*") cannot make the replacing go on forever. */
	for (const char *m = msg ? msg : ""; *m;) {
		size_t best = 0;

		for (size_t i = 0; i < sec.n; i++) {
			size_t n = strlen(sec.v[i]);

			if (n > best && strncmp(m, sec.v[i], n) == 0)
				best = n;
		}
		if (best) {
			sb_puts(&sb, "*****");
			m += best;
		} else {
			sb_printf(&sb, "%c", *m);
			m++;
		}
	}
	for (size_t i = 0; i < sec.n; i++)
		free(sec.v[i]);
	free(sec.v);
	snprintf(out, outlen, "%s", sb.buf ? sb.buf : "");
	sb_free(&sb);
	/* libpq ends messages with a newline; one line reads better. */
	size_t n = strlen(out);

	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
}

/* A keyword whose value is a secret: password, sslpassword. */
static bool
secret_keyword(const char *kw)
{
	return strstr(kw, "password") != NULL;
}

void
conn_scrub_arg(char *arg)
{
	size_t room = strlen(arg);
	PQconninfoOption *opts;
	struct strbuf sb = STRBUF_INIT;
	bool parsed, secret;

	/* A plain database name, as libpq reads one (neither "key=value"
	 * nor a URI), holds no password. */
	if (!strchr(arg, '=') && strncmp(arg, "postgresql://", 13) != 0 && strncmp(arg, "postgres://", 11) != 0)
		return;
	opts = PQconninfoParse(arg, NULL);
	parsed = opts != NULL;
	secret = !parsed;
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		/* a value that names a password (a dbname that is itself a
		 * conninfo) is masked whole */
		bool hide = secret_keyword(o->keyword) || (o->val && strstr(o->val, "password"));

		if (!o->val)
			continue;
		secret = secret || hide;
		sb_printf(&sb, "%s%s=%s", sb.len ? " " : "", o->keyword, hide ? "*****" : o->val);
	}
	if (opts)
		PQconninfoFree(opts);
	if (secret) {
		/* what fits of the options without the secret, then NULs: the
		 * argument cannot grow, and what it held is gone */
		size_t n = !parsed ? 0 : sb.len < room ? sb.len : room;

		memset(arg, 0, room);
		if (n)
			memcpy(arg, sb.buf, n);
	}
	sb_free(&sb);
}

/* Server notices ("schema already exists, skipping") are not for the
 * operator's terminal; failures come back as errors. */
static void
quiet_notices(void *arg, const char *message)
{
}

/* The user's own server options (the conninfo's, else PGOPTIONS), then
 * pgstep's search_path, which a later -c overrides in them. */
static char *
options_with_search_path(const char *conninfo)
{
	const char *theirs = getenv("PGOPTIONS");
	PQconninfoOption *opts = conninfo && *conninfo ? PQconninfoParse(conninfo, NULL) : NULL;
	char *out;

	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (strcmp(o->keyword, "options") == 0 && o->val)
			theirs = o->val;
	out = xasprintf("%s%s" CONN_SEARCH_PATH_OPTION, theirs ? theirs : "", theirs && *theirs ? " " : "");
	if (opts)
		PQconninfoFree(opts);
	return out;
}

void
conn_params_init(struct conn_params *cp, const char *conninfo, const char *application_name)
{
	/* dbname first and expanded, so later keywords override what the
	 * user's string says: our application_name and search_path always
	 * win. */
	cp->options = options_with_search_path(conninfo);
	cp->keys[0] = "dbname";
	cp->vals[0] = conninfo && *conninfo ? conninfo : NULL;
	cp->keys[1] = "application_name";
	cp->vals[1] = application_name;
	cp->keys[2] = "options";
	cp->vals[2] = cp->options;
	cp->keys[3] = NULL;
	cp->vals[3] = NULL;
}

void
conn_params_free(struct conn_params *cp)
{
	free(cp->options);
	cp->options = NULL;
}

PGconn *
conn_open(const char *conninfo, const char *application_name, char *err, size_t errlen)
{
	struct conn_params cp;
	PGconn *c;

	conn_params_init(&cp, conninfo, application_name);
	c = PQconnectdbParams(cp.keys, cp.vals, 1);
	conn_params_free(&cp);

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		conn_redact(conninfo, PQerrorMessage(c), err, errlen);
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeProcessor(c, quiet_notices, NULL);
	return c;
}

void
conn_result_error(const PGresult *r, PGconn *c, char *err, size_t errlen)
{
	const char *m = r ? PQresultErrorMessage(r) : NULL;

	if (!m || !*m)
		m = PQerrorMessage(c);
	snprintf(err, errlen, "%s", m);
	size_t n = strlen(err);

	while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == ' '))
		err[--n] = '\0';
}

bool
conn_exec(PGconn *c, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, sql);
	bool ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);

	if (!ok && err)
		conn_result_error(r, c, err, errlen);
	PQclear(r);
	return ok;
}

bool
conn_set_appname(PGconn *c, const char *name)
{
	const char *params[1] = {name};
	PGresult *r = PQexecParams(c, "SELECT set_config('application_name', $1, false)", 1, NULL, params,
				   NULL, NULL, 0);
	bool ok = r && PQresultStatus(r) == PGRES_TUPLES_OK;

	PQclear(r);
	return ok;
}
