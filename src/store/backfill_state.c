#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backfill_state.h"
#include "store/conn.h"

int64_t
backfill_eta(int64_t rows_done, int64_t rows_total, double rate_avg)
{
	if (rows_total < rows_done)
		rows_total = rows_done;
	if (rows_total == 0 || rows_done * 1000 < rows_total || rate_avg <= 0)
		return -1;
	return (int64_t) ((double) (rows_total - rows_done) / rate_avg + 0.5);
}

/* The first step not done is the one running: steps before it are done.
 * rate_last is read through to_jsonb so that a schema before version 3,
 * which status reads without upgrading it, has it as 0. */
static const char *const read_sql =
	"SELECT coalesce(m.request, ''), b.table_name IS NOT NULL, b.table_name, b.step, b.rows_done, "
	"b.rows_total, b.batch_size, b.copy_seconds, coalesce((to_jsonb(b) ->> 'rate_last')::float8, 0), "
	"extract(epoch FROM now() - b.updated_at)::bigint, b.unconverted, "
	"coalesce(to_jsonb(b) ->> 'throttled', ''), coalesce((to_jsonb(b) ->> 'throttled_ms')::int8, 0) "
	"FROM pgstep.migrations m LEFT JOIN LATERAL (SELECT * FROM pgstep.backfill x "
	"WHERE x.migration = m.name AND NOT x.done ORDER BY x.step LIMIT 1) b ON true WHERE m.name = $1";

bool
backfill_state_read(PGconn *c, const char *name, struct backfill_state *out, char *err, size_t errlen)
{
	const char *p[1] = {name};
	PGresult *r = PQexecParams(c, read_sql, 1, NULL, p, NULL, NULL, 0);
	double copy_secs;

	memset(out, 0, sizeof(*out));
	out->eta_s = -1;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		conn_result_error(r, c, err, errlen);
		PQclear(r);
		return false;
	}
	if (PQntuples(r) == 1) {
		snprintf(out->request, sizeof(out->request), "%s", PQgetvalue(r, 0, 0));
		out->exists = PQgetvalue(r, 0, 1)[0] == 't';
	}
	if (out->exists) {
		snprintf(out->table, sizeof(out->table), "%s", PQgetvalue(r, 0, 2));
		out->step = atoi(PQgetvalue(r, 0, 3));
		out->rows_done = atoll(PQgetvalue(r, 0, 4));
		out->rows_total = atoll(PQgetvalue(r, 0, 5));
		if (out->rows_total < out->rows_done)
			out->rows_total = out->rows_done;
		out->batch_size = atoi(PQgetvalue(r, 0, 6));
		copy_secs = atof(PQgetvalue(r, 0, 7));
		out->rate_last = atof(PQgetvalue(r, 0, 8));
		out->age_s = atoll(PQgetvalue(r, 0, 9));
		out->unconverted = atoll(PQgetvalue(r, 0, 10));
		snprintf(out->throttled, sizeof(out->throttled), "%s", PQgetvalue(r, 0, 11));
		out->throttled_ms = atoll(PQgetvalue(r, 0, 12));
		out->rate_avg = copy_secs > 0 ? (double) out->rows_done / copy_secs : 0;
		out->percent = out->rows_total > 0 ? 100.0 * (double) out->rows_done / (double) out->rows_total : 0;
		out->eta_s = backfill_eta(out->rows_done, out->rows_total, out->rate_avg);
	}
	PQclear(r);
	return true;
}
