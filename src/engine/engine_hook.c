/* The engine's side of the operator's hooks: which event runs when, what
 * a hook is told (never the password), what becomes of its output, and
 * that a before-hook that fails keeps its phase from starting. The
 * processes themselves are hookrun.c's. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/clock.h"
#include "base/duration.h"
#include "engine/engine.h"
#include "base/sanitize.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

/* Lines of a hook's output that go to the log; the rest is counted. */
#define HOOK_LOG_LINES 40

/* The hooks directory, malloc'd, or NULL when there is none. */
static char *
hooks_dir(const struct engine *e)
{
	const struct plan *p = e->hk.plan;

	if (e->hooks_dir)
		return xstrdup(e->hooks_dir);
	if (p && p->settings.hooks)
		return plan_relative_path(p, p->settings.hooks);
	return NULL;
}

static bool
is_before(const char *event)
{
	return strncmp(event, "before-", 7) == 0;
}

/* The hooks that run beside the migration, and their slot. */
static int
async_slot(const char *event)
{
	if (strcmp(event, "backfill-progress") == 0)
		return 0;
	if (strcmp(event, "on-throttle") == 0)
		return 1;
	return -1;
}

static void
add_var(char ***v, size_t *n, const char *key, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
add_var(char ***v, size_t *n, const char *key, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	sb_printf(&sb, "%s=", key);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = sb_steal(&sb);
}

/* The password of the session, wherever libpq found it (the conninfo,
 * PGPASSWORD, ~/.pgpass, a service file), and the conninfo's own: no
 * variable that holds either reaches a hook. */
static void
secrets(const struct engine *e, char **out)
{
	PQconninfoOption *opts = NULL;
	char *perr = NULL;

	out[0] = e->conn && PQpass(e->conn) ? xstrdup(PQpass(e->conn)) : NULL;
	out[1] = NULL;
	if (e->conninfo && (opts = PQconninfoParse(e->conninfo, &perr)))
		for (PQconninfoOption *o = opts; o->keyword; o++)
			if (strcmp(o->keyword, "password") == 0 && o->val && o->val[0])
				out[1] = xstrdup(o->val);
	PQconninfoFree(opts);
	if (perr)
		PQfreemem(perr);
}

static char **
hook_env(const struct engine *e, const char *event, const char *detail)
{
	const struct engine_hookstate *hk = &e->hk;
	const struct backfill_progress *bp = &hk->bp;
	char **v = NULL, *sec[2];
	size_t n = 0;
	char **env;
	int64_t now = clock_now_ms();

	add_var(&v, &n, "PGSTEP_EVENT", "%s", event);
	add_var(&v, &n, "PGSTEP_MIGRATION", "%s", hk->plan ? hk->plan->name : "");
	add_var(&v, &n, "PGSTEP_PLAN_FILE", "%s", hk->plan ? hk->plan->path : "");
	add_var(&v, &n, "PGSTEP_PHASE", "%s", hk->phase >= 0 ? phase_name((enum phase) hk->phase) : "");
	add_var(&v, &n, "PGSTEP_ELAPSED_SECONDS", "%lld",
		(long long) (hk->phase >= 0 && hk->phase_t0 ? (now - hk->phase_t0) / 1000 : 0));
	/* The table the backfill walks, else the first the migration touches;
	 * all of them; the backfill's figures, as the console shows them,
	 * empty outside one. */
	add_var(&v, &n, "PGSTEP_TABLE", "%.*s", bp->table[0] ? (int) strlen(bp->table) : (int) strcspn(hk->tables, ","),
		bp->table[0] ? bp->table : hk->tables);
	add_var(&v, &n, "PGSTEP_TABLES", "%s", hk->tables);
	if (bp->table[0]) {
		add_var(&v, &n, "PGSTEP_ROWS_DONE", "%lld", (long long) bp->rows_done);
		add_var(&v, &n, "PGSTEP_ROWS_TOTAL", "%lld", (long long) bp->rows_total);
		add_var(&v, &n, "PGSTEP_RATE", "%.0f", bp->rate_avg);
		add_var(&v, &n, "PGSTEP_RATE_LAST", "%.0f", bp->rate_last);
		if (bp->eta_s >= 0)
			add_var(&v, &n, "PGSTEP_ETA_SECONDS", "%lld", (long long) bp->eta_s);
		else
			add_var(&v, &n, "PGSTEP_ETA_SECONDS", "%s", "");
	} else {
		add_var(&v, &n, "PGSTEP_ROWS_DONE", "%s", "");
		add_var(&v, &n, "PGSTEP_ROWS_TOTAL", "%s", "");
		add_var(&v, &n, "PGSTEP_RATE", "%s", "");
		add_var(&v, &n, "PGSTEP_RATE_LAST", "%s", "");
		add_var(&v, &n, "PGSTEP_ETA_SECONDS", "%s", "");
	}
	/* The database as libpq connected to it: never its password. */
	if (e->conn) {
		add_var(&v, &n, "PGSTEP_DBHOST", "%s", PQhost(e->conn) ? PQhost(e->conn) : "");
		add_var(&v, &n, "PGSTEP_DBPORT", "%s", PQport(e->conn) ? PQport(e->conn) : "");
		add_var(&v, &n, "PGSTEP_DBNAME", "%s", PQdb(e->conn) ? PQdb(e->conn) : "");
		add_var(&v, &n, "PGSTEP_DBUSER", "%s", PQuser(e->conn) ? PQuser(e->conn) : "");
	}
	if (detail) {
		char *clean = sanitize(detail);

		add_var(&v, &n, "PGSTEP_DETAIL", "%s", clean);
		free(clean);
	}
	secrets(e, sec);
	env = hookrun_env((const char *const *) v, n, (const char *const *) sec, 2);
	for (size_t i = 0; i < 2; i++) {
		if (sec[i])
			memset(sec[i], 0, strlen(sec[i]));
		free(sec[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return env;
}

/* The hook's output into the log, line by line, sanitized. */
static void
log_output(struct engine *e, const struct hook_proc *hp, char level)
{
	const char *p = hp->out.buf ? hp->out.buf : "";
	int lines = 0, more = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t) (nl - p) : strlen(p);

		if (lines < HOOK_LOG_LINES) {
			char *line = xstrndup(p, len), *clean = sanitize(line);

			engine_log(e, level, "hook %s: %s", hp->event, clean);
			free(clean);
			free(line);
			lines++;
		} else
			more++;
		p += len + (nl ? 1 : 0);
	}
	if (more > 0 || hp->dropped > 0)
		engine_log(e, level, "hook %s: ... (%d more line(s), %zu more byte(s) not shown)", hp->event, more,
			   hp->dropped);
}

/* How a hook ended, in words. */
static void
outcome_text(const struct hook_proc *hp, enum hook_outcome o, int timeout_ms, char *buf, size_t len)
{
	char t[32];

	switch (o) {
	case HOOK_TIMEOUT:
		duration_format(timeout_ms, t, sizeof(t));
		snprintf(buf, len, "did not finish within hook_timeout (%s): its process group was killed", t);
		break;
	case HOOK_STOPPED:
		snprintf(buf, len, "was killed: pgstep was asked to stop");
		break;
	case HOOK_FAILED:
		if (hp->status < 0)
			snprintf(buf, len, "was killed by signal %d", -hp->status);
		else
			snprintf(buf, len, "exited with status %d", hp->status);
		break;
	default:
		snprintf(buf, len, "exited with status 0");
		break;
	}
}

/* A hook that ran beside the migration and ended: its output into the
 * log, and its failure said. */
static void
reap_async(struct engine *e, int slot, bool wait, bool kill)
{
	struct hook_proc *hp = &e->hk.async[slot];
	enum hook_outcome o;
	char how[160];

	if (hp->pid == 0)
		return;
	if (kill)
		hp->deadline_ms = 0;
	o = hookrun_poll(hp, wait || kill, NULL);
	if (o == HOOK_RUNNING)
		return;
	if (o != HOOK_OK) {
		outcome_text(hp, o, (int) (hp->deadline_ms - hp->started_ms), how, sizeof(how));
		engine_log(e, 'W', "hook %s %s", hp->event, how);
	}
	log_output(e, hp, o == HOOK_OK ? 'I' : 'W');
	hookrun_free(hp);
}

void
engine_hooks_settle(struct engine *e, bool kill)
{
	for (int i = 0; i < 2; i++)
		reap_async(e, i, true, kill);
}

bool
engine_hook(struct engine *e, const char *event, const char *detail, char *err, size_t errlen)
{
	const struct plan *p = e->hk.plan;
	int timeout = p ? p->settings.hook_timeout_ms : 60000;
	int slot = async_slot(event);
	bool before = is_before(event);
	struct hook_proc local = {0}, *hp = slot >= 0 ? &e->hk.async[slot] : &local;
	char *dir = hooks_dir(e), why[600], how[160];
	char **env;
	enum hook_outcome o;
	struct stat st;
	bool ok = true;

	if (!dir)
		return true;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(why, sizeof(why), "hooks directory %s: %s", dir,
			 stat(dir, &st) != 0 ? strerror(errno) : "not a directory");
		free(dir);
		if (before) {
			snprintf(err, errlen, "%s: the %s hook cannot run, so %s does not start", why, event, event + 7);
			return false;
		}
		engine_log(e, 'W', "%s: the %s hook is not run", why, event);
		return true;
	}
	if (slot >= 0) {
		reap_async(e, slot, false, false);
		if (hp->pid != 0) {
			free(dir);
			return true;	/* the last one still runs: this one is skipped */
		}
	}
	env = hook_env(e, event, detail);
	o = hookrun_start(hp, dir, event, env, timeout, why, sizeof(why));
	hookrun_env_free(env);
	free(dir);
	if (o == HOOK_ABSENT) {
		hookrun_free(hp);
		return true;
	}
	if (o == HOOK_UNUSABLE) {
		hookrun_free(hp);
		if (before) {
			snprintf(err, errlen, "%s; %s does not start", why, event + 7);
			return false;
		}
		engine_log(e, 'W', "%s", why);
		return true;
	}
	if (slot >= 0)
		return true;	/* reaped by engine_progress and engine_hooks_settle */
	engine_log(e, 'I', "hook %s runs (%s)", event, hp->path);
	o = hookrun_poll(hp, true, e->ctl ? &e->ctl->stop : NULL);
	outcome_text(hp, o, timeout, how, sizeof(how));
	log_output(e, hp, o == HOOK_OK ? 'I' : before ? 'E' : 'W');
	if (o != HOOK_OK) {
		if (before) {
			snprintf(err, errlen, "the %s hook (%s) %s: %s does not start (the hook's output is in the log)",
				 event, hp->path, how, event + 7);
			ok = false;
		} else
			engine_log(e, 'W', "hook %s %s", event, how);
	}
	hookrun_free(hp);
	return ok;
}

void
engine_progress(struct engine *e, const struct backfill_progress *bp)
{
	int64_t now = clock_now_ms();
	const struct plan *p = e->hk.plan;

	e->hk.bp = *bp;
	if (e->hooks.progress)
		e->hooks.progress(e->hooks.ud, bp);
	reap_async(e, 0, false, false);
	reap_async(e, 1, false, false);
	if (!p)
		return;
	if (e->hk.next_progress_ms == 0)
		e->hk.next_progress_ms = now + p->settings.hook_progress_ms;
	else if (now >= e->hk.next_progress_ms) {
		e->hk.next_progress_ms = now + p->settings.hook_progress_ms;
		engine_hook(e, "backfill-progress", NULL, NULL, 0);
	}
}
