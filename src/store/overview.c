#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/strbuf.h"
#include "store/conn.h"
#include "store/overview.h"
#include "base/xalloc.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* The current database's advisory locks of pgstep's class with two keys:
 * its migrations' locks. */
#define PGSTEP_LOCKS \
	"l.locktype = 'advisory' AND l.granted AND l.classid = " STR(STATE_LOCK_CLASS) "::pg_catalog.oid " \
	"AND l.objsubid = 2 AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d " \
	"WHERE d.datname = pg_catalog.current_database())"

static const char *const sql_locks =
	"SELECT l.objid::bigint FROM pg_catalog.pg_locks l WHERE " PGSTEP_LOCKS;

/*
 * Every migration, with what used to take a query or five each: its
 * tables, its versioned schema, who holds its lock (and whether that is
 * an operator), the requests not taken yet, its phases' figures, the
 * values its backfill could not convert, and its backfill in progress.
 * The connection's search_path is pg_catalog, pg_temp: every other name
 * is qualified.
 */
static const char *const sql_migrations =
	"WITH st AS (SELECT s.migration, s.phase, pg_catalog.count(*) AS n, pg_catalog.sum(s.attempts) AS att, "
	"  pg_catalog.sum(s.lock_wait_ms) AS w, pg_catalog.sum(s.duration_ms) AS d FROM pgstep.steps s "
	"  WHERE s.direction = 'forward' AND s.error IS NULL AND s.id > coalesce((SELECT pg_catalog.max(u.id) "
	"    FROM pgstep.steps u WHERE u.migration = s.migration AND u.phase = s.phase "
	"    AND u.direction = 'rollback'), 0) "
	"  GROUP BY s.migration, s.phase), "
	"h AS MATERIALIZED (SELECT l.objid, l.pid, coalesce(a.application_name, '') AS app, "
	"  coalesce(pg_catalog.host(a.client_addr), a.client_hostname, 'local socket') AS client, "
	"  coalesce(a.usename::text, '(unknown)') AS role, "
	"  coalesce(pg_catalog.starts_with(a.application_name, 'pgstep:') "
	"    AND pg_catalog.pg_has_role(a.usesysid, n.nspowner, 'MEMBER'), false) AS op "
	"  FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
	"  LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = 'pgstep' WHERE " PGSTEP_LOCKS ") "
	"SELECT m.name, m.checksum, m.phase, m.status, m.running, m.rolling_back, m.progress, m.paused, "
	"  m.error, m.operator, m.host, m.plan_file, "
	"  extract(epoch FROM m.started_at)::bigint, extract(epoch FROM m.updated_at)::bigint, "
	"  coalesce(extract(epoch FROM m.gate_since)::bigint, 0), "
	"  pg_catalog.array_to_json(m.tables)::text, "
	"  (SELECT v.value FROM pgstep.saved v JOIN pg_catalog.pg_namespace vn ON vn.nspname = v.value "
	"    WHERE v.migration = m.name AND v.key = 'version_schema'), "
	"  h.pid, h.app, h.client, h.role, h.op, "
	"  (SELECT pg_catalog.string_agg(r.request || coalesce(' ' || r.arg, ''), ', ' ORDER BY r.id) "
	"    FROM pgstep.requests r WHERE r.migration = m.name), "
	"  (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(st.phase, st.n, st.att, st.w, st.d)) "
	"    FROM st WHERE st.migration = m.name)::text, "
	"  (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(u.table_name, u.n) ORDER BY u.table_name) "
	"    FROM (SELECT x.table_name, pg_catalog.sum(x.unconverted) AS n FROM pgstep.backfill x "
	"      WHERE x.migration = m.name GROUP BY x.table_name HAVING pg_catalog.sum(x.unconverted) > 0) u)::text, "
	"  b.table_name, b.step, b.rows_done, b.rows_total, b.batch_size, b.copy_seconds, b.rate_last, "
	"  extract(epoch FROM pg_catalog.now() - b.updated_at)::bigint, b.unconverted, k.key, "
	"  b.throttled, b.throttled_ms "
	"FROM pgstep.migrations m "
	"CROSS JOIN LATERAL (SELECT " STATE_LOCK_KEY_SQL("m.name") " AS key) k "
	"LEFT JOIN LATERAL (SELECT * FROM h WHERE h.objid = k.key::pg_catalog.oid ORDER BY h.pid LIMIT 1) h ON true "
	"LEFT JOIN LATERAL (SELECT * FROM pgstep.backfill x WHERE x.migration = m.name AND NOT x.done "
	"  ORDER BY x.step LIMIT 1) b ON true "
	"ORDER BY m.name";

#define N_COLS 37

const char *
overview_sql(int i)
{
	switch (i) {
	case 0:
		return sql_locks;
	case 1:
		return state_owner_sql;
	case 2:
		return sql_migrations;
	}
	return NULL;
}

static const char *
val(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);
}

static void
read_phases(struct overview_mig *o, const char *text)
{
	json_object *a = text[0] ? json_tokener_parse(text) : NULL;

	for (size_t i = 0; a && json_object_is_type(a, json_type_array) && i < json_object_array_length(a); i++) {
		json_object *e = json_object_array_get_idx(a, i);
		int ph;

		if (!json_object_is_type(e, json_type_array) || json_object_array_length(e) != 5)
			continue;
		ph = state_phase_from_text(json_object_get_string(json_object_array_get_idx(e, 0)));
		if (ph < 0)
			continue;
		o->phases[ph].steps = json_object_get_int(json_object_array_get_idx(e, 1));
		o->phases[ph].attempts = json_object_get_int(json_object_array_get_idx(e, 2));
		o->phases[ph].lock_wait_ms = json_object_get_int64(json_object_array_get_idx(e, 3));
		o->phases[ph].duration_ms = json_object_get_int64(json_object_array_get_idx(e, 4));
	}
	json_object_put(a);
}

static void
read_unconverted(struct overview_mig *o, const char *text)
{
	json_object *a = text[0] ? json_tokener_parse(text) : NULL;

	for (size_t i = 0; a && json_object_is_type(a, json_type_array) && i < json_object_array_length(a) &&
	     o->n_unconverted < OV_UNCONVERTED; i++) {
		json_object *e = json_object_array_get_idx(a, i);

		if (!json_object_is_type(e, json_type_array) || json_object_array_length(e) != 2)
			continue;
		snprintf(o->unconverted[o->n_unconverted].table, sizeof(o->unconverted[0].table), "%s",
			 json_object_get_string(json_object_array_get_idx(e, 0)));
		o->unconverted[o->n_unconverted++].n = json_object_get_int64(json_object_array_get_idx(e, 1));
	}
	json_object_put(a);
}

static void
read_row(PGresult *r, int i, struct overview_mig *o)
{
	struct mig_record *m = &o->rec;
	struct backfill_state *bf = &o->bf;

	m->exists = true;
	snprintf(m->name, sizeof(m->name), "%s", val(r, i, 0));
	snprintf(m->checksum, sizeof(m->checksum), "%s", val(r, i, 1));
	m->phase_done = state_phase_from_text(val(r, i, 2));
	snprintf(m->status, sizeof(m->status), "%s", val(r, i, 3));
	m->running = PQgetisnull(r, i, 4) ? -1 : state_phase_from_text(val(r, i, 4));
	m->rolling_back = val(r, i, 5)[0] == 't';
	m->progress = atoi(val(r, i, 6));
	m->paused = val(r, i, 7)[0] == 't';
	snprintf(m->error, sizeof(m->error), "%s", val(r, i, 8));
	snprintf(m->operator_, sizeof(m->operator_), "%s", val(r, i, 9));
	snprintf(m->host, sizeof(m->host), "%s", val(r, i, 10));
	snprintf(m->plan_file, sizeof(m->plan_file), "%s", val(r, i, 11));
	m->started_at = (time_t) atoll(val(r, i, 12));
	m->updated_at = (time_t) atoll(val(r, i, 13));
	m->gate_since = (time_t) atoll(val(r, i, 14));
	o->tables_known = !PQgetisnull(r, i, 15);
	snprintf(o->tables_json, sizeof(o->tables_json), "%s", val(r, i, 15));
	snprintf(o->version_schema, sizeof(o->version_schema), "%s", val(r, i, 16));
	if (!PQgetisnull(r, i, 17)) {
		o->holder_pid = atoi(val(r, i, 17));
		state_holder_text(val(r, i, 17), val(r, i, 18), val(r, i, 19), m->operator_[0] ? m->operator_ : NULL,
				  m->host[0] ? m->host : NULL, val(r, i, 20), val(r, i, 21)[0] == 't', o->held_by,
				  sizeof(o->held_by));
	}
	snprintf(o->requests, sizeof(o->requests), "%s", val(r, i, 22));
	read_phases(o, val(r, i, 23));
	read_unconverted(o, val(r, i, 24));
	bf->eta_s = -1;
	if (!PQgetisnull(r, i, 25)) {
		double copy_secs = atof(val(r, i, 30));

		bf->exists = true;
		snprintf(bf->table, sizeof(bf->table), "%s", val(r, i, 25));
		bf->step = atoi(val(r, i, 26));
		bf->rows_done = atoll(val(r, i, 27));
		bf->rows_total = atoll(val(r, i, 28));
		if (bf->rows_total < bf->rows_done)
			bf->rows_total = bf->rows_done;
		bf->batch_size = atoi(val(r, i, 29));
		bf->rate_last = atof(val(r, i, 31));
		bf->age_s = atoll(val(r, i, 32));
		bf->unconverted = atoll(val(r, i, 33));
		snprintf(bf->throttled, sizeof(bf->throttled), "%s", val(r, i, 35));
		bf->throttled_ms = atoll(val(r, i, 36));
		bf->rate_avg = copy_secs > 0 ? (double) bf->rows_done / copy_secs : 0;
		bf->percent = bf->rows_total > 0 ? 100.0 * (double) bf->rows_done / (double) bf->rows_total : 0;
		bf->eta_s = backfill_eta(bf->rows_done, bf->rows_total, bf->rate_avg);
	}
	snprintf(bf->request, sizeof(bf->request), "%s", o->requests);
}

static bool
sqlstate_is(PGresult *r, const char *a, const char *b)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	return st && (strcmp(st, a) == 0 || (b && strcmp(st, b) == 0));
}

bool
overview_read(PGresult *const res[OVERVIEW_STATEMENTS], struct overview *ov)
{
	PGresult *locks = res[0], *owner = res[1], *migs = res[2];
	struct timespec ts;

	overview_free(ov);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ov->read_ms = (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (!locks || PQresultStatus(locks) != PGRES_TUPLES_OK || !owner ||
	    PQresultStatus(owner) != PGRES_TUPLES_OK) {
		PGresult *bad = !locks || PQresultStatus(locks) != PGRES_TUPLES_OK ? locks : owner;

		snprintf(ov->error, sizeof(ov->error), "%s",
			 bad && PQresultErrorMessage(bad)[0] ? PQresultErrorMessage(bad) : "the state was not read");
		return false;
	}
	/* what another role's schema pgstep says is not believed */
	if (!state_owner_result(owner, ov->error, sizeof(ov->error)))
		return false;
	if (PQntuples(owner) == 0) {
		/* no schema pgstep: nothing was ever started here */
		ov->ok = true;
		return true;
	}
	if (!migs || PQresultStatus(migs) != PGRES_TUPLES_OK) {
		/* a schema of an older version, which status reads without
		 * upgrading it: no requests table, no gate column */
		if (sqlstate_is(migs, "42P01", "42703")) {
			ov->legacy = true;
			return false;
		}
		snprintf(ov->error, sizeof(ov->error), "%s",
			 migs && PQresultErrorMessage(migs)[0] ? PQresultErrorMessage(migs) : "the state was not read");
		return false;
	}
	if (PQnfields(migs) != N_COLS) {
		snprintf(ov->error, sizeof(ov->error), "the migrations' state came back with %d columns, not %d",
			 PQnfields(migs), N_COLS);
		return false;
	}
	ov->n = (size_t) PQntuples(migs);
	ov->v = xcalloc(ov->n ? ov->n : 1, sizeof(*ov->v));
	for (size_t i = 0; i < ov->n; i++) {
		struct overview_mig *o = &ov->v[i];
		bool held_before = false;
		const char *key = val(migs, (int) i, 34);

		read_row(migs, (int) i, o);
		/* Recorded as running, and nobody held its lock, before the
		 * record was read or after: its pgstep died. A pgstep takes the
		 * lock before it records a run and records the end before it
		 * lets go, so one that started or ended meanwhile is seen. */
		for (int k = 0; k < PQntuples(locks); k++)
			held_before = held_before || strcmp(PQgetvalue(locks, k, 0), key) == 0;
		o->stopped = o->rec.running >= 0 && strcmp(o->rec.status, "running") == 0 && !o->holder_pid &&
			!held_before;
	}
	ov->ok = true;
	return true;
}

/* Sends sql (several statements) and keeps the results of the statements
 * that answer with rows or fail, from res[from] on; a PREPARE's is
 * dropped. False with why in ov->error when it could not be sent. */
static bool
run_batch(PGconn *c, const char *sql, PGresult *res[OVERVIEW_STATEMENTS], int from, struct overview *ov)
{
	PGresult *r;
	int i = from;

	if (!PQsendQuery(c, sql)) {
		snprintf(ov->error, sizeof(ov->error), "%s", PQerrorMessage(c));
		return false;
	}
	while ((r = PQgetResult(c))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && i < OVERVIEW_STATEMENTS)
			res[i++] = r;
		else
			PQclear(r);
	}
	return true;
}

/*
 * The three statements are prepared once on a connection (the console's
 * worker reads the list every two seconds: planning the last of them took
 * longer than running it) and executed together, one round trip. They are
 * prepared in order and a failure stops the rest, so the prepared ones are
 * always the first k: an EXECUTE that finds statement k missing (26000:
 * this connection never prepared it, or schema pgstep did not exist then)
 * prepares k and those after it, and executes them, in a second round
 * trip that happens once.
 */
bool
overview_load(PGconn *c, struct overview *ov)
{
	PGresult *res[OVERVIEW_STATEMENTS] = {NULL, NULL, NULL};
	struct strbuf sql = STRBUF_INIT;
	int missing = -1;
	bool ok;

	overview_free(ov);
	for (int i = 0; i < OVERVIEW_STATEMENTS; i++)
		sb_printf(&sql, "%sEXECUTE pgstep_overview_%d", i ? "; " : "", i);
	ok = run_batch(c, sql.buf, res, 0, ov);
	for (int i = 0; ok && i < OVERVIEW_STATEMENTS && missing < 0; i++)
		if (res[i] && sqlstate_is(res[i], "26000", "26000"))
			missing = i;
	if (missing >= 0) {
		sb_free(&sql);
		/* each PREPARE before its EXECUTE: a failed one's error is then
		 * that statement's result, and what follows it is not run */
		for (int i = missing; i < OVERVIEW_STATEMENTS; i++) {
			PQclear(res[i]);
			res[i] = NULL;
			sb_printf(&sql, "%sPREPARE pgstep_overview_%d AS %s; EXECUTE pgstep_overview_%d",
				  i > missing ? "; " : "", i, overview_sql(i), i);
		}
		ok = run_batch(c, sql.buf, res, missing, ov);
	}
	sb_free(&sql);
	if (ok)
		ok = overview_read(res, ov);
	for (int i = 0; i < OVERVIEW_STATEMENTS; i++)
		PQclear(res[i]);
	return ok;
}

void
overview_copy(struct overview *dst, const struct overview *src)
{
	overview_free(dst);
	*dst = *src;
	dst->v = xcalloc(src->n ? src->n : 1, sizeof(*dst->v));
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
}

const struct overview_mig *
overview_find(const struct overview *ov, const char *name)
{
	for (size_t i = 0; i < ov->n; i++)
		if (strcmp(ov->v[i].rec.name, name) == 0)
			return &ov->v[i];
	return NULL;
}

void
overview_free(struct overview *ov)
{
	free(ov->v);
	memset(ov, 0, sizeof(*ov));
}

void
overview_batch(struct strbuf *sb, int prepared)
{
	for (int i = 0; i < OVERVIEW_STATEMENTS; i++) {
		if (i >= prepared)
			sb_printf(sb, "PREPARE pgstep_overview_%d AS %s; ", i, overview_sql(i));
		sb_printf(sb, "EXECUTE pgstep_overview_%d;", i);
	}
}

void
overview_take(struct overview_results *orr, PGresult *r)
{
	if (PQresultStatus(r) == PGRES_COMMAND_OK) {
		/* a PREPARE: the statements are prepared in order */
		orr->prepared++;
		PQclear(r);
	} else if (orr->n < OVERVIEW_STATEMENTS) {
		/* a statement prepared once is gone (DEALLOCATE, DISCARD):
		 * prepared again from there the next time */
		if (sqlstate_is(r, "26000", "26000") && orr->prepared > orr->n)
			orr->prepared = orr->n;
		orr->res[orr->n++] = r;
	} else
		PQclear(r);
}

bool
overview_finish(struct overview_results *orr, struct overview *ov)
{
	bool ok = overview_read(orr->res, ov);

	for (int i = 0; i < OVERVIEW_STATEMENTS; i++) {
		PQclear(orr->res[i]);
		orr->res[i] = NULL;
	}
	orr->n = 0;
	return ok;
}
