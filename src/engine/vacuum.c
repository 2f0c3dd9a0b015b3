/* VACUUM (ANALYZE) after a backfill. It takes SHARE UPDATE EXCLUSIVE,
 * which no application read or write (ACCESS SHARE, ROW SHARE, ROW
 * EXCLUSIVE) conflicts with, so waiting for it in the lock queue blocks
 * no application query: unlike a DDL it waits for its lock instead of
 * retrying under lock_timeout, which behind an autovacuum only burned
 * attempts. An autovacuum in the way is left to PostgreSQL: after
 * deadlock_timeout it cancels an autovacuum that blocks a lock request,
 * unless that autovacuum prevents wraparound, which must finish. The
 * console shows the wait and the progress from the monitor's view of
 * pg_stat_progress_vacuum; the VACUUM runs asynchronously so that a stop
 * or an abort cancels it at once. */
#include "config.h"
#include "base/clock.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/conn.h"
#include "engine/engine.h"
#include "pg/sql.h"
#include "store/state.h"
#include "base/strbuf.h"

#define SLICE_MS 100

/* Sessions holding a lock on the table that VACUUM's SHARE UPDATE
 * EXCLUSIVE conflicts with, as one line: "pid 123 (autovacuum worker:
 * autovacuum: VACUUM public.users)". */
static void
holders(struct engine *e, const struct plan *pl, const char *table, char *out, size_t outlen)
{
	char *q = plan_qualified(pl, table);
	const char *p[1] = {q};
	PGresult *r = PQexecParams(e->conn,
				   "SELECT string_agg(format('pid %s (%s: %s)', a.pid, "
				   "CASE WHEN a.backend_type = 'client backend' "
				   "THEN coalesce(nullif(a.application_name, ''), 'client') ELSE a.backend_type END, "
				   "left(regexp_replace(coalesce(a.query, ''), '[[:space:][:cntrl:]]+', ' ', 'g'), 80)), "
				   "'; ' ORDER BY a.pid) "
				   "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
				   "WHERE l.relation = to_regclass($1) AND l.granted AND l.pid <> pg_backend_pid() "
				   "AND l.mode IN ('ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', "
				   "'ExclusiveLock', 'AccessExclusiveLock')",
				   1, NULL, p, NULL, NULL, 0);

	out[0] = '\0';
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		snprintf(out, outlen, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	free(q);
}

/* Sends sql and waits for its end, cancelling it on stop or abort;
 * returns the first failed result (or NULL on success), *cancelled set
 * when a stop or an abort cancelled it. */
static PGresult *
exec_cancellable(struct engine *e, const char *sql, bool *cancelled)
{
	PGcancel *cn = PQgetCancel(e->conn);
	PGresult *r, *failed = NULL;

	*cancelled = false;
	engine_arm_cancel(e, cn);
	if (!PQsendQuery(e->conn, sql)) {
		engine_arm_cancel(e, NULL);
		if (cn)
			PQfreeCancel(cn);
		return PQmakeEmptyPGresult(e->conn, PGRES_FATAL_ERROR);
	}
	while (PQisBusy(e->conn)) {
		struct pollfd pfd = {.fd = PQsocket(e->conn), .events = POLLIN};

		if (!*cancelled && (atomic_load(&e->ctl->stop) || atomic_load(&e->ctl->abort_))) {
			char buf[256];

			*cancelled = true;
			if (cn)
				PQcancel(cn, buf, sizeof(buf));
		}
		if (pfd.fd < 0)
			break;	/* PQgetResult reports the broken connection */
		if (poll(&pfd, 1, SLICE_MS) < 0 && errno != EINTR)
			break;
		if (!PQconsumeInput(e->conn))
			break;
	}
	while ((r = PQgetResult(e->conn))) {
		if (!failed && PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
			failed = r;
		else
			PQclear(r);
	}
	engine_arm_cancel(e, NULL);
	if (cn)
		PQfreeCancel(cn);
	if (!failed && PQstatus(e->conn) != CONNECTION_OK)
		failed = PQmakeEmptyPGresult(e->conn, PGRES_FATAL_ERROR);
	return failed;
}

enum engine_result
vacuum_run(struct engine *e, const struct plan *p, const struct step *s, int index, char *err, size_t errlen)
{
	char held[600];
	int64_t t0 = clock_now_ms();
	bool cancelled, stopped;
	PGresult *r;

	if (s->table) {
		holders(e, p, s->table, held, sizeof(held));
		if (held[0])
			engine_log(e, 'I', "%s waits for its lock, without lock_timeout (application reads and writes do not "
				   "conflict with it), held by %s", s->summary, held);
	}
	/* No lock_timeout: the wait blocks no application query (above). */
	if (!conn_exec(e->conn, "SET lock_timeout = 0", err, errlen))
		return ENG_FAILED;
	r = exec_cancellable(e, s->sql, &cancelled);
	conn_exec(e->conn, "RESET lock_timeout", NULL, 0);
	if (!r) {
		int64_t dur = clock_now_ms() - t0;

		if (!state_set_progress(e->conn, p->name, index + 1, err, errlen))
			return ENG_FAILED;
		state_log_step(e->conn, p->name, s->phase, index, false, s->summary, s->sql, 1, 0, dur, NULL);
		engine_log(e, 'S', "%s  [1 attempt, waiting for its lock without lock_timeout, %lldms]", s->sql,
			   (long long) dur);
		return ENG_OK;
	}
	/* A stop cancels it and leaves the step to run again on resume (a
	 * VACUUM is safe to repeat); an abort fails the phase. */
	stopped = cancelled && !atomic_load(&e->ctl->abort_) && PQstatus(e->conn) == CONNECTION_OK;
	if (cancelled)
		snprintf(err, errlen, "%s: %s", s->summary, stopped ? "stopped; it runs again on resume" :
			 "aborted by the operator");
	else
		conn_result_error(r, e->conn, err, errlen);
	PQclear(r);
	if (PQstatus(e->conn) == CONNECTION_OK)
		state_log_step(e->conn, p->name, s->phase, index, false, s->summary, s->sql, 1, 0,
			       clock_now_ms() - t0, err);
	if (stopped)
		engine_log(e, 'I', "%s", err);
	return stopped ? ENG_STOPPED : ENG_FAILED;
}
