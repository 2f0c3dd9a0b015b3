#include "config.h"

#include <libpq-fe.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg/sql.h"
#include "base/xalloc.h"

/*
 * PQescapeIdentifier needs a PGconn for the client encoding, but `pgstep
 * show` must work without a server. A connection object whose conninfo is
 * rejected before any network activity is a valid PGconn in CONNECTION_BAD
 * state that libpq's escaping functions accept (SQL_ASCII: every byte is one
 * character, which keeps UTF-8 names intact since their bytes never look
 * like a quote).
 */
static PGconn *offline;
static pthread_mutex_t offline_lock = PTHREAD_MUTEX_INITIALIZER;

static PGconn *
offline_conn(void)
{
	if (!offline) {
		offline = PQconnectStart("pgstep_offline_quoting=1");
		if (!offline) {
			fputs("pgstep: out of memory\n", stderr);
			abort();
		}
	}
	return offline;
}

char *
sql_ident(const char *name)
{
	char *q, *r;

	pthread_mutex_lock(&offline_lock);
	q = PQescapeIdentifier(offline_conn(), name, strlen(name));
	pthread_mutex_unlock(&offline_lock);
	if (!q) {
		fputs("pgstep: cannot quote an identifier\n", stderr);
		abort();
	}
	r = xstrdup(q);
	PQfreemem(q);
	return r;
}

char *
sql_qualified(const char *schema, const char *name)
{
	char *s = sql_ident(schema), *n = sql_ident(name);
	char *q = xasprintf("%s.%s", s, n);

	free(s);
	free(n);
	return q;
}

char *
sql_literal(const char *s)
{
	char *q, *r;

	pthread_mutex_lock(&offline_lock);
	q = PQescapeLiteral(offline_conn(), s, strlen(s));
	pthread_mutex_unlock(&offline_lock);
	if (!q) {
		fputs("pgstep: cannot quote a literal\n", stderr);
		abort();
	}
	r = xstrdup(q);
	PQfreemem(q);
	return r;
}

void
sql_cleanup(void)
{
	pthread_mutex_lock(&offline_lock);
	if (offline)
		PQfinish(offline);
	offline = NULL;
	pthread_mutex_unlock(&offline_lock);
}

#define NAMEDATALEN_MAX 63

/* The bytes of s that hold at most n bytes without cutting a UTF-8
 * character (pg_mbcliplen). */
static size_t
clip_utf8(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

char *
sql_helper_name(const char *a, const char *b, const char *what)
{
	char *full = xasprintf("_pgstep_%s%s%s_%s", a, b && *b ? "_" : "", b ? b : "", what);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *shortened;

	if (strlen(full) <= NAMEDATALEN_MAX)
		return full;
	/* Keep a readable prefix and make it unique with a hash of the whole. */
	EVP_Digest(full, strlen(full), md, &mdlen, EVP_sha256(), NULL);
	shortened = xmalloc(NAMEDATALEN_MAX + 1);
	/* Do not cut a UTF-8 sequence in half before the hash. */
	size_t cut = clip_utf8(full, NAMEDATALEN_MAX - 9);

	snprintf(shortened, NAMEDATALEN_MAX + 1, "%.*s_%02x%02x%02x%02x", (int) cut, full, md[0], md[1],
		 md[2], md[3]);
	free(full);
	return shortened;
}

char *
sql_pg_name(const char *name1, const char *name2, const char *label)
{
	size_t overhead = (name2 ? 1 : 0) + (label ? strlen(label) + 1 : 0);
	size_t avail = NAMEDATALEN_MAX > overhead ? NAMEDATALEN_MAX - overhead : 0;
	size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;

	while (n1 + n2 > avail) {
		if (n1 > n2)
			n1--;
		else
			n2--;
	}
	n1 = clip_utf8(name1, n1);
	n2 = name2 ? clip_utf8(name2, n2) : 0;
	return xasprintf("%.*s%s%.*s%s%s", (int) n1, name1, name2 ? "_" : "", (int) n2, name2 ? name2 : "",
			 label ? "_" : "", label ? label : "");
}
