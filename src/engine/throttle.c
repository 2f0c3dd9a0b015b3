#include "config.h"
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/size.h"
#include "base/xalloc.h"
#include "engine/engine.h"
#include "engine/throttle.h"
#include "store/conn.h"

#define BOOLOID 16

/* Sessions running a query: client backends only (autovacuum and the
 * WAL writer are not load the application makes), not this session, not
 * pgstep's own (its monitor, a second pgstep). A role without
 * pg_read_all_stats sees other roles' sessions without their state, so
 * it counts only its own. The WAL position as a number of bytes; lag as
 * the backfill read it before. */
static const char *const sample_sql =
	"SELECT (SELECT pg_catalog.count(*) FROM pg_catalog.pg_stat_activity "
	"        WHERE state = 'active' AND backend_type = 'client backend' "
	"          AND pid <> pg_catalog.pg_backend_pid() AND application_name NOT LIKE 'pgstep:%'), "
	"       (pg_catalog.pg_current_wal_insert_lsn() OPERATOR(pg_catalog.-) '0/0'::pg_catalog.pg_lsn)::pg_catalog.int8, "
	"       (SELECT coalesce((max(extract(epoch FROM replay_lag)) * 1000)::pg_catalog.int8, -1) "
	"        FROM pg_catalog.pg_stat_replication)";

static bool
run_query(struct engine *e, const struct plan_settings *s, int *out, char *err, size_t errlen)
{
	char setup[160], msg[512];
	PGresult *r;
	bool ok = false;

	/* The DBA's SQL, parsed at load as one SELECT of one value: read
	 * only, whatever it calls; a path no other role can put a name on. */
	snprintf(setup, sizeof(setup),
		 "BEGIN READ ONLY; SET LOCAL statement_timeout = '%dms'; SET LOCAL search_path = pg_catalog, pg_temp",
		 s->throttle_query_timeout_ms);
	r = engine_exec(e, setup, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		conn_result_error(r, e->conn, err, errlen);
		PQclear(r);
		conn_exec(e->conn, "ROLLBACK", NULL, 0);
		return false;
	}
	PQclear(r);
	r = engine_exec_one(e, s->throttle_query);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		conn_result_error(r, e->conn, msg, sizeof(msg));
		snprintf(err, errlen, "throttle_query failed: %s", msg);
	} else if (PQnfields(r) != 1 || PQftype(r, 0) != BOOLOID)
		snprintf(err, errlen, "throttle_query must return a boolean, not a value of type oid %u",
			 PQnfields(r) == 1 ? PQftype(r, 0) : 0);
	else if (PQntuples(r) > 1)
		snprintf(err, errlen, "throttle_query returned %d rows, not one", PQntuples(r));
	else {
		*out = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) && PQgetvalue(r, 0, 0)[0] == 't';
		ok = true;
	}
	PQclear(r);
	if (PQstatus(e->conn) == CONNECTION_OK)
		conn_exec(e->conn, "ROLLBACK", NULL, 0);
	return ok;
}

bool
throttle_sample(struct engine *e, const struct plan_settings *s, struct throttle *t, struct load_sample *ls,
		char *err, size_t errlen)
{
	PGresult *r = engine_exec_one(e, sample_sql);
	int64_t now = clock_now_ms(), lsn;

	ls->query = -1;
	ls->wal_per_s = -1;
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		conn_result_error(r, e->conn, err, errlen);
		PQclear(r);
		return false;
	}
	ls->active = atoi(PQgetvalue(r, 0, 0));
	lsn = atoll(PQgetvalue(r, 0, 1));
	ls->lag_ms = atoll(PQgetvalue(r, 0, 2));
	PQclear(r);
	if (t->has_lsn && now > t->lsn_at_ms)
		ls->wal_per_s = (double) (lsn - t->lsn) * 1000.0 / (double) (now - t->lsn_at_ms);
	t->lsn = lsn;
	t->lsn_at_ms = now;
	t->has_lsn = true;
	if (s->throttle_query && !run_query(e, s, &ls->query, err, errlen))
		return false;
	return true;
}

/* The first limit of `l` that `ls` passes, in words; lag only when
 * with_lag (critical_load's). */
static bool
over(const struct load_limits *l, const struct load_sample *ls, bool with_lag, char *why, size_t len)
{
	char a[32], b[32];

	if (l->active_sessions > 0 && ls->active > l->active_sessions) {
		snprintf(why, len, "active sessions %d > %d", ls->active, l->active_sessions);
		return true;
	}
	if (l->wal_per_second > 0 && ls->wal_per_s > (double) l->wal_per_second) {
		size_human(ls->wal_per_s, a, sizeof(a));
		size_format(l->wal_per_second, b, sizeof(b));
		snprintf(why, len, "WAL %s/s > %s/s", a, b);
		return true;
	}
	if (with_lag && l->replica_lag_ms > 0 && ls->lag_ms > l->replica_lag_ms) {
		snprintf(why, len, "replica lag %lldms > %dms", (long long) ls->lag_ms, l->replica_lag_ms);
		return true;
	}
	return false;
}

bool
throttle_over(const struct plan_settings *s, const struct load_sample *ls, char *why, size_t len)
{
	if (over(&s->max_load, ls, false, why, len))
		return true;
	if (ls->query == 1) {
		snprintf(why, len, "throttle_query is true");
		return true;
	}
	return false;
}

bool
throttle_critical(const struct plan_settings *s, struct throttle *t, const struct load_sample *ls, char *why,
		  size_t len)
{
	char w[128];
	int checks = s->critical_load.checks > 0 ? s->critical_load.checks : 1;

	if (!over(&s->critical_load, ls, true, w, sizeof(w))) {
		t->critical_run = 0;
		return false;
	}
	if (++t->critical_run < checks)
		return false;
	snprintf(why, len, "critical load: %s, %d check%s in a row", w, t->critical_run, t->critical_run > 1 ? "s" : "");
	return true;
}
