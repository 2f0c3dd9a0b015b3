/* The DDL runner: every statement alone in a short transaction under
 * SET LOCAL lock_timeout, retried on lock_not_available with exponential
 * backoff and full jitter, so it never queues in front of the
 * application's queries for longer than lock_timeout. */
#include "config.h"
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/conn.h"
#include "engine/engine.h"
#include "pg/safety.h"
#include "pg/sql.h"
#include "store/state.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

#define SQLSTATE_LOCK_NOT_AVAILABLE "55P03"
#define SQLSTATE_DUPLICATE_TABLE "42P07"
#define BACKOFF_BASE_MS 50
#define BACKOFF_CAP_MS 10000

static const char *
sqlstate(const PGresult *r)
{
	const char *s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	return s ? s : "";
}

/* The table a step locks, as "schema"."name": in its own schema when the
 * step says (a partition's), else in the plan's; NULL when none. */
static char *
step_relation(const struct plan *p, const struct step *s)
{
	if (!s->table)
		return NULL;
	return s->schema ? sql_qualified(s->schema, s->table) : plan_qualified(p, s->table);
}

/* Who holds a lock on the table: the sessions our DDL would queue behind. */
static void
describe_blockers(struct engine *e, const char *q, char *out, size_t outlen)
{
	const char *params[1] = {q};
	PGresult *r;
	struct strbuf sb = STRBUF_INIT;

	out[0] = '\0';
	if (!q)
		return;
	r = PQexecParams(e->conn,
			 "SELECT a.pid, coalesce(extract(epoch FROM now() - a.xact_start)::int, 0), a.state, "
			 "left(regexp_replace(a.query, '\\s+', ' ', 'g'), 100), l.mode "
			 "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
			 "WHERE l.relation = to_regclass($1) AND l.granted AND a.pid <> pg_backend_pid() "
			 "ORDER BY a.xact_start NULLS LAST LIMIT 3",
			 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		for (int i = 0; i < PQntuples(r); i++)
			sb_printf(&sb, "%spid %s (%s %ss, holds %s): %s", i ? "; " : "", PQgetvalue(r, i, 0),
				  PQgetvalue(r, i, 2), PQgetvalue(r, i, 1), PQgetvalue(r, i, 4), PQgetvalue(r, i, 3));
	}
	PQclear(r);
	if (sb.buf)
		snprintf(out, outlen, "%s", sb.buf);
	sb_free(&sb);
}

static void
kill_blockers(struct engine *e, const char *q, const char *table, enum kill_blockers how)
{
	const char *params[1] = {q};
	PGresult *r;

	r = PQexecParams(e->conn,
			 how == KILL_TERMINATE
			 ? "SELECT pg_terminate_backend(l.pid) FROM pg_locks l WHERE l.relation = to_regclass($1) "
			   "AND l.granted AND l.pid <> pg_backend_pid()"
			 : "SELECT pg_cancel_backend(l.pid) FROM pg_locks l WHERE l.relation = to_regclass($1) "
			   "AND l.granted AND l.pid <> pg_backend_pid()",
			 1, NULL, params, NULL, NULL, 0);
	engine_log(e, 'W', "%s the sessions holding locks on %s (the plan sets kill_blockers)",
		   how == KILL_TERMINATE ? "terminated" : "cancelled", table);
	PQclear(r);
}

/* A CONCURRENTLY build that failed leaves an INVALID index behind; a retry
 * must drop it first or it fails (or, with IF NOT EXISTS, silently keeps a
 * useless index). The drop waits for the table's writers as the build
 * does, so it runs under lock_timeout too; a drop that fails is returned,
 * to be retried (55P03) or reported as the attempt's failure. */
static PGresult *
drop_invalid_indexes(struct engine *e, const struct plan *p, const char *q, const char *sql)
{
	const char *params[1] = {q};
	PGresult *failed = NULL;
	PGresult *r = PQexecParams(e->conn,
				   "SELECT c.relname, n.nspname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
				   "JOIN pg_namespace n ON n.oid = c.relnamespace "
				   "WHERE i.indrelid = to_regclass($1) AND NOT i.indisvalid",
				   1, NULL, params, NULL, NULL, 0);

	if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		for (int i = 0; i < PQntuples(r) && !failed; i++) {
			/* the build names its index as sql_ident() quotes it */
			char *quoted = sql_ident(PQgetvalue(r, i, 0));

			if (strstr(sql, quoted)) {
				char *index = sql_qualified(PQgetvalue(r, i, 1), PQgetvalue(r, i, 0));
				char *drop = xasprintf("DROP INDEX CONCURRENTLY IF EXISTS %s", index);
				char *set = xasprintf("SET lock_timeout = '%dms'", p->settings.lock_timeout_ms);
				PGresult *d;

				engine_log(e, 'W', "dropping INVALID index %s left by a failed build", index);
				conn_exec(e->conn, set, NULL, 0);
				d = engine_exec(e, drop, 0, NULL);
				conn_exec(e->conn, "RESET lock_timeout", NULL, 0);
				if (PQresultStatus(d) == PGRES_COMMAND_OK)
					PQclear(d);
				else
					failed = d;
				free(set);
				free(drop);
				free(index);
			}
			free(quoted);
		}
	}
	PQclear(r);
	return failed;
}

static bool
is_index_build(const char *sql)
{
	return strstr(sql, "INDEX CONCURRENTLY") && strncmp(sql, "CREATE", 6) == 0;
}

/* The same for a CREATE INDEX CONCURRENTLY the plan's author wrote (a sql
 * or raw_sql step alone outside a transaction): the index it names, or
 * the one PostgreSQL names for it, when a failed build left it INVALID. */
static void
drop_invalid_plan_index(struct engine *e, const struct plan *p, const char *sql)
{
	struct built_index b;
	char *t;
	PGresult *r;

	if (!safety_concurrent_index(sql, &b))
		return;
	t = b.schema ? sql_qualified(b.schema, b.table) : plan_qualified(p, b.table);
	{
		const char *params[2] = {t, b.index};

		r = PQexecParams(e->conn,
				 "SELECT n.nspname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
				 "JOIN pg_namespace n ON n.oid = c.relnamespace "
				 "WHERE i.indrelid = to_regclass($1) AND c.relname = $2 AND NOT i.indisvalid",
				 2, NULL, params, NULL, NULL, 0);
	}
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		char *index = sql_qualified(PQgetvalue(r, 0, 0), b.index);
		char *drop = xasprintf("DROP INDEX CONCURRENTLY IF EXISTS %s", index);

		engine_log(e, 'W', "dropping INVALID index %s left by a failed build", index);
		conn_exec(e->conn, drop, NULL, 0);
		free(drop);
		free(index);
	}
	PQclear(r);
	free(t);
	built_index_free(&b);
}

/* Sends a step's SQL: one statement through the extended protocol, which
 * refuses a second one (a plan field that smuggled one in fails here even
 * past the checks at load); several that must commit together, and the
 * plan author's own SQL, as written. */
static PGresult *
send_step(struct engine *e, const struct step *s, const char *sql)
{
	return s->multi || s->raw ? engine_exec(e, sql, 0, NULL) : engine_exec_one(e, sql);
}

/* One attempt; returns the failing result (or NULL on success). */
static PGresult *
attempt(struct engine *e, const struct plan *p, const struct step *s, const char *sql, bool no_txn,
	const char *progress_sql)
{
	char *path = step_search_path(p, s);
	char *setting = xasprintf("lock_timeout = '%dms'; SET %s search_path = %s", p->settings.lock_timeout_ms,
				  no_txn ? "" : "LOCAL", path);
	PGresult *r;

	free(path);
	if (no_txn) {
		char *set = xasprintf("SET %s", setting);

		conn_exec(e->conn, set, NULL, 0);
		free(set);
		free(setting);
		r = send_step(e, s, sql);
		conn_exec(e->conn, "RESET lock_timeout; RESET search_path", NULL, 0);
		if (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK) {
			PQclear(r);
			conn_exec(e->conn, progress_sql, NULL, 0);
			return NULL;
		}
		return r;
	}
	char *begin = xasprintf("BEGIN; SET LOCAL %s", setting);

	free(setting);
	r = engine_exec(e, begin, 0, NULL);
	free(begin);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return r;
	PQclear(r);
	r = send_step(e, s, sql);
	if (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK) {
		PQclear(r);
		r = engine_exec(e, progress_sql, 0, NULL);
		if (PQresultStatus(r) == PGRES_COMMAND_OK) {
			PQclear(r);
			r = engine_exec(e, "COMMIT", 0, NULL);
			if (PQresultStatus(r) == PGRES_COMMAND_OK) {
				PQclear(r);
				/* the plan's SQL may have SET it for the session */
				if (s->raw)
					conn_exec(e->conn, "RESET search_path", NULL, 0);
				return NULL;
			}
		}
	}
	conn_exec(e->conn, "ROLLBACK", NULL, 0);
	return r;
}

enum engine_result
runner_run_step(struct engine *e, const struct plan *p, const struct step *s, int index, bool rollback,
		int progress_after, char *err, size_t errlen)
{
	const char *sql = rollback ? s->rollback : s->sql;
	bool no_txn = rollback ? s->rollback_no_txn : s->no_txn;
	char *progress_sql = state_progress_sql(p->name, progress_after);
	int64_t t0 = clock_now_ms(), lock_wait = 0;
	int retries = p->settings.lock_retries;
	char *rel = step_relation(p, s);
	bool killed = false;
	bool ok = false;
	bool stopped = false;
	int n;

	if (s->delay_ms > 0 && !rollback) {
		engine_log(e, 'I', "waiting %ds before: %s", s->delay_ms / 1000, s->summary);
		engine_activity(e, ACTIVITY_RUNNING, "waiting for retain", 0);
		if (!engine_sleep(e, s->delay_ms)) {
			snprintf(err, errlen, "%s while waiting to run \"%s\"",
				 atomic_load(&e->ctl->abort_) ? "aborted" : "stopped", s->summary);
			free(progress_sql);
			free(rel);
			return atomic_load(&e->ctl->abort_) ? ENG_FAILED : ENG_STOPPED;
		}
	}
	for (n = 1;; n++) {
		int64_t a0 = clock_now_ms();
		PGresult *r;

		r = NULL;
		if (no_txn && rel && is_index_build(sql))
			r = drop_invalid_indexes(e, p, rel, sql);
		else if (no_txn && s->raw)
			drop_invalid_plan_index(e, p, sql);
		if (!r)
			r = attempt(e, p, s, sql, no_txn, progress_sql);
		if (!r) {
			ok = true;
			break;
		}
		if (no_txn && strcmp(sqlstate(r), SQLSTATE_DUPLICATE_TABLE) == 0 && is_index_build(sql)) {
			/* Built before a crash, recorded after it: already done. */
			engine_log(e, 'I', "index already built: %s", s->summary);
			PQclear(r);
			conn_exec(e->conn, progress_sql, NULL, 0);
			ok = true;
			break;
		}
		if (strcmp(sqlstate(r), SQLSTATE_LOCK_NOT_AVAILABLE) != 0 || atomic_load(&e->ctl->abort_)) {
			conn_result_error(r, e->conn, err, errlen);
			if (atomic_load(&e->ctl->abort_))
				snprintf(err, errlen, "aborted by the operator");
			PQclear(r);
			state_log_step(e->conn, p->name, s->phase, index, rollback, s->summary, sql, n, lock_wait,
				       clock_now_ms() - t0, err);
			break;
		}
		PQclear(r);
		lock_wait += clock_now_ms() - a0;
		/* every attempt is on record, with the lock wait it cost */
		{
			char what[64];

			snprintf(what, sizeof(what), "lock_timeout (%dms), attempt %d", p->settings.lock_timeout_ms, n);
			state_log_step(e->conn, p->name, s->phase, index, rollback, s->summary, sql, n,
				       clock_now_ms() - a0, clock_now_ms() - a0, what);
		}

		char blockers[600];

		describe_blockers(e, rel, blockers, sizeof(blockers));
		if (n >= retries) {
			if (!killed && p->settings.kill_blockers != KILL_NONE && rel) {
				kill_blockers(e, rel, s->table, p->settings.kill_blockers);
				killed = true;
				continue;
			}
			snprintf(err, errlen, "could not take the lock for \"%s\" in %d attempts of %dms: %s%s", s->summary,
				 n, p->settings.lock_timeout_ms, blockers[0] ? "blocked by " : "no blocker seen",
				 blockers);
			state_log_step(e->conn, p->name, s->phase, index, rollback, s->summary, sql, n, lock_wait,
				       clock_now_ms() - t0, err);
			break;
		}
		/* Full jitter: a random wait up to the exponential bound. */
		int cap = BACKOFF_BASE_MS << (n < 8 ? n : 8);

		if (cap > BACKOFF_CAP_MS)
			cap = BACKOFF_CAP_MS;
		int wait = (int) (random() % (cap + 1));
		char detail[700];

		snprintf(detail, sizeof(detail), "lock on %s: attempt %d/%d%s%s", s->table ? s->table : "?", n,
			 retries, blockers[0] ? ", held by " : "", blockers);
		engine_activity(e, ACTIVITY_WAIT_LOCK, detail, n);
		if (n == 1 || n % 10 == 0)
			engine_log(e, 'W', "%s", detail);
		if (!engine_sleep(e, wait)) {
			/* A stop leaves the step undone and the phase resumable;
			 * an abort fails it. */
			stopped = !atomic_load(&e->ctl->abort_);
			snprintf(err, errlen, "%s while waiting for the lock of \"%s\"",
				 stopped ? "stopped" : "aborted", s->summary);
			state_log_step(e->conn, p->name, s->phase, index, rollback, s->summary, sql, n, lock_wait,
				       clock_now_ms() - t0, err);
			break;
		}
	}
	if (ok) {
		int64_t dur = clock_now_ms() - t0;

		state_log_step(e->conn, p->name, s->phase, index, rollback, s->summary, sql, n, lock_wait, dur, NULL);
		engine_log_statement(e, &(struct statement_run) {.summary = s->summary, .sql = sql, .rollback = rollback,
				     .attempts = n, .lock_wait_ms = lock_wait, .duration_ms = dur});
	}
	free(progress_sql);
	free(rel);
	return ok ? ENG_OK : stopped ? ENG_STOPPED : ENG_FAILED;
}
