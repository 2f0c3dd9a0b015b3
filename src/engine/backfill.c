/* The backfill: keyset batches over a table's primary key, each batch one
 * short transaction that also advances the checkpoint, so a crash never
 * loses or repeats a batch. Batch size adapts to batch_target; pause,
 * resume and the operator's batch size take effect at the next batch. */
#include "config.h"
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backfill_state.h"
#include "store/conn.h"
#include "engine/batchsize.h"
#include "engine/engine.h"
#include "engine/throttle.h"
#include "pg/sql.h"
#include "store/state.h"
#include "base/size.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

#define MAX_BATCH_RETRIES 10
#define POLL_EVERY_MS 1000
/* Batches between two empty batches that measure the fixed cost. */
#define PROBE_EVERY 20

/* The key the batches walk: the primary key, else the first unique btree
 * index (by name) on NOT NULL columns that is valid, immediate, not
 * partial and has no expressions: either names every row once. */
struct key {
	int n;			/* columns */
	char **names;		/* quoted */
	char **types;		/* format_type() */
	char *index;		/* the index's name, for the log */
	bool primary;
	bool integer;		/* one smallint, integer or bigint: progress by key position */
	int64_t min, max;
};

static const char *const key_sql =
	"WITH t AS (SELECT to_regclass($1) AS oid), "
	"k AS (SELECT i.indexrelid, i.indisprimary, i.indkey, i.indnkeyatts, c.relname "
	"      FROM t JOIN pg_index i ON i.indrelid = t.oid JOIN pg_class c ON c.oid = i.indexrelid "
	"      JOIN pg_am am ON am.oid = c.relam AND am.amname = 'btree' "
	"      WHERE i.indisunique AND i.indisvalid AND i.indimmediate AND i.indpred IS NULL AND i.indexprs IS NULL "
	"        AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey[0:i.indnkeyatts - 1]) u(attnum) "
	"                        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum "
	"                        WHERE NOT a.attnotnull) "
	"      ORDER BY i.indisprimary DESC, c.relname LIMIT 1) "
	"SELECT (SELECT oid IS NOT NULL FROM t), k.relname, k.indisprimary, "
	"       quote_ident(a.attname), format_type(a.atttypid, a.atttypmod) "
	"FROM (SELECT 1) one LEFT JOIN k ON true "
	"LEFT JOIN LATERAL unnest(k.indkey[0:k.indnkeyatts - 1]) WITH ORDINALITY u(attnum, ord) ON true "
	"LEFT JOIN pg_attribute a ON a.attrelid = (SELECT oid FROM t) AND a.attnum = u.attnum "
	"ORDER BY u.ord";

static bool
find_key(struct engine *e, const struct plan *pl, const char *table, struct key *k, char *err, size_t errlen)
{
	char *q = plan_qualified(pl, table);
	const char *p[1] = {q};
	PGresult *r = PQexecParams(e->conn, key_sql, 1, NULL, p, NULL, NULL, 0);
	bool ok = false;

	free(q);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		conn_result_error(r, e->conn, err, errlen);
	else if (PQgetvalue(r, 0, 0)[0] != 't')
		snprintf(err, errlen, "table %s does not exist", table);
	else if (PQgetisnull(r, 0, 1))
		snprintf(err, errlen,
			 "table %s has neither a primary key nor a unique index on NOT NULL columns: the backfill walks the table in keyset batches on one of them",
			 table);
	else {
		k->n = PQntuples(r);
		k->names = xcalloc((size_t) k->n, sizeof(char *));
		k->types = xcalloc((size_t) k->n, sizeof(char *));
		for (int i = 0; i < k->n; i++) {
			k->names[i] = xstrdup(PQgetvalue(r, i, 3));
			k->types[i] = xstrdup(PQgetvalue(r, i, 4));
		}
		k->index = xstrdup(PQgetvalue(r, 0, 1));
		k->primary = PQgetvalue(r, 0, 2)[0] == 't';
		k->integer = k->n == 1 && (strcmp(k->types[0], "bigint") == 0 || strcmp(k->types[0], "integer") == 0 ||
					   strcmp(k->types[0], "smallint") == 0);
		ok = true;
	}
	PQclear(r);
	return ok;
}

static void
key_free(struct key *k)
{
	for (int i = 0; i < k->n; i++) {
		free(k->names[i]);
		free(k->types[i]);
	}
	free(k->names);
	free(k->types);
	free(k->index);
}

/* The key range, for integer keys: both ends come from the index. */
static void
key_range(struct engine *e, const struct plan *p, const char *table, struct key *k)
{
	char *q = plan_qualified(p, table);
	char *sql = xasprintf("SELECT min(%s), max(%s) FROM %s", k->names[0], k->names[0], q);
	PGresult *r = PQexec(e->conn, sql);

	if (PQresultStatus(r) == PGRES_TUPLES_OK && !PQgetisnull(r, 0, 0)) {
		k->min = atoll(PQgetvalue(r, 0, 0));
		k->max = atoll(PQgetvalue(r, 0, 1));
	} else
		k->integer = false;
	PQclear(r);
	free(sql);
	free(q);
}

/* Refines the total from where the last key stands between min and max:
 * the planner's estimate can be far off, the key position rarely is for
 * long. Used once a percent of the range is behind us. */
static void
refine_total(struct backfill_progress *bp, const struct key *k, const char *last_key)
{
	double span, frac;

	if (!k->integer || k->max <= k->min || !last_key[0])
		return;
	span = (double) (k->max - k->min) + 1;
	frac = ((double) (atoll(last_key) - k->min) + 1) / span;
	if (frac < 0.01 || frac > 1)
		return;
	bp->rows_total = (int64_t) (bp->rows_done / frac + 0.5);
}

static int64_t
estimate_rows(struct engine *e, const struct plan *pl, const char *table)
{
	char *q = plan_qualified(pl, table);
	const char *p[1] = {q};
	int64_t n = -1;
	PGresult *r = PQexecParams(e->conn, "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)", 1,
				   NULL, p, NULL, NULL, 0);

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		n = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (n < 0) {
		/* Never analyzed: count once. */
		char *sql = xasprintf("SELECT count(*) FROM %s", q);

		r = PQexec(e->conn, sql);
		if (PQresultStatus(r) == PGRES_TUPLES_OK)
			n = atoll(PQgetvalue(r, 0, 0));
		PQclear(r);
		free(sql);
	}
	free(q);
	return n < 0 ? 0 : n;
}

/* The key's columns as a list: "a, b", or the CTE's "_pgstep_k1, ...". */
static void
key_list(struct strbuf *sb, const struct key *k, bool aliases, bool desc)
{
	for (int i = 0; i < k->n; i++) {
		if (i)
			sb_puts(sb, ", ");
		if (aliases)
			sb_printf(sb, "_pgstep_k%d", i + 1);
		else
			sb_puts(sb, k->names[i]);
		if (desc)
			sb_puts(sb, " DESC");
	}
}

/* The key as a row: "a" for one column, "(a, b)" for several. */
static void
key_row(struct strbuf *sb, const struct key *k)
{
	if (k->n > 1)
		sb_puts(sb, "(");
	key_list(sb, k, false, false);
	if (k->n > 1)
		sb_puts(sb, ")");
}

/* The checkpoint's key, $2: the value as text for one column (as before
 * composite keys), a text array of the values for several. */
static void
key_param(struct strbuf *sb, const struct key *k)
{
	if (k->n == 1) {
		sb_printf(sb, "$2::%s", k->types[0]);
		return;
	}
	sb_puts(sb, "(");
	for (int i = 0; i < k->n; i++)
		sb_printf(sb, "%s($2::text[])[%d]::%s", i ? ", " : "", i + 1, k->types[i]);
	sb_puts(sb, ")");
}

/* The batch's last key, from the CTE `last`, as the checkpoint keeps it. */
static void
key_text(struct strbuf *sb, const struct key *k)
{
	if (k->n == 1) {
		sb_puts(sb, "(SELECT _pgstep_k1::text FROM last)");
		return;
	}
	sb_puts(sb, "(SELECT ARRAY[");
	for (int i = 0; i < k->n; i++)
		sb_printf(sb, "%s_pgstep_k%d::text", i ? ", " : "", i + 1);
	sb_puts(sb, "]::text FROM last)");
}

/* The statement for one batch: $1 the batch size, $2 the last key done
 * (absent on the first batch). The batch is the key range (last, hi]
 * where hi is the key $1 rows on: a range scan of the key's index (a row
 * comparison for several columns), never a join (which would read the
 * whole table for every batch). Returns: the batch's last key, keys
 * walked, rows written, rows not converted, and a few of their keys. */
static char *
batch_sql(const struct plan *p, const struct backfill *bf, const struct key *k, bool first)
{
	struct strbuf sb = STRBUF_INIT, row = STRBUF_INIT, range = STRBUF_INIT, hi = STRBUF_INIT;
	char *t = plan_qualified(p, bf->table);

	key_row(&row, k);
	/* (last, hi]: the upper end from the CTE, column by column, so that a
	 * row comparison with it is an index condition */
	if (!first) {
		sb_printf(&range, "%s > ", row.buf);
		key_param(&range, k);
		sb_puts(&range, " AND ");
	}
	sb_printf(&range, "%s <= ", row.buf);
	if (k->n > 1)
		sb_puts(&range, "(");
	for (int i = 0; i < k->n; i++)
		sb_printf(&range, "%s(SELECT _pgstep_k%d FROM last)", i ? ", " : "", i + 1);
	if (k->n > 1)
		sb_puts(&range, ")");
	key_text(&hi, k);

	sb_puts(&sb, "WITH s AS (SELECT ");
	for (int i = 0; i < k->n; i++)
		sb_printf(&sb, "%s%s AS _pgstep_k%d", i ? ", " : "", k->names[i], i + 1);
	sb_printf(&sb, " FROM %s", t);
	if (!first) {
		sb_printf(&sb, " WHERE %s > ", row.buf);
		key_param(&sb, k);
	}
	sb_puts(&sb, " ORDER BY ");
	key_list(&sb, k, false, false);
	/* ORDER BY ... DESC LIMIT 1 rather than max(): uuid has no max(). */
	sb_puts(&sb, " LIMIT $1::int), last AS (SELECT * FROM s ORDER BY ");
	key_list(&sb, k, true, true);
	sb_puts(&sb, " LIMIT 1), ");
	if (bf->copy_to) {
		char *to = plan_qualified(p, bf->copy_to);

		/* FOR SHARE: a copy must not race the mirror trigger. Without
		 * it, a row deleted (or its key updated) while the batch copies
		 * it would be mirrored first and copied after, and live on in
		 * the copy. With it, the writer waits for the batch, or the
		 * batch for the writer and then copies what it left. */
		sb_printf(&sb,
			  "w AS (INSERT INTO %s SELECT * FROM %s WHERE %s FOR SHARE "
			  "ON CONFLICT DO NOTHING RETURNING 1) "
			  "SELECT %s, (SELECT pg_catalog.count(*) FROM s), (SELECT pg_catalog.count(*) FROM w), 0, NULL",
			  to, t, range.buf, hi.buf);
		free(to);
	} else {
		sb_printf(&sb, "w AS (UPDATE %s SET %s WHERE %s", t, bf->set_sql, range.buf);
		if (bf->where_sql)
			sb_printf(&sb, " AND (%s)", bf->where_sql);
		sb_printf(&sb, " RETURNING %s%s::text AS _pgstep_key, %s AS _pgstep_bad) ", k->n > 1 ? "ROW" : "", row.buf,
			  bf->unconverted_sql ? bf->unconverted_sql : "false");
		sb_printf(&sb,
			  "SELECT %s, (SELECT pg_catalog.count(*) FROM s), (SELECT pg_catalog.count(*) FROM w), "
			  "(SELECT pg_catalog.count(*) FROM w WHERE _pgstep_bad), "
			  "(SELECT pg_catalog.string_agg(_pgstep_key, ', ') "
			  "FROM (SELECT _pgstep_key FROM w WHERE _pgstep_bad LIMIT 5) x)",
			  hi.buf);
	}
	sb_free(&row);
	sb_free(&range);
	sb_free(&hi);
	free(t);
	return sb_steal(&sb);
}

/* Keys are kept whole, in heap memory: one cut to a fixed size would
 * resume before the row it names (redoing it; every batch from the start
 * when long keys share their first bytes) or, cut inside a character, not
 * be text at all. */
struct batch_result {
	char *last_key;
	bool has_last_key;
	int64_t walked, written, unconverted;
	char *bad_keys;
	int64_t waiters;	/* sessions waiting on the batch's locks at its end */
	int64_t wal_lsn;	/* the server's WAL position at its end, in bytes */
};

static void
batch_result_free(struct batch_result *br)
{
	free(br->last_key);
	free(br->bad_keys);
	memset(br, 0, sizeof(*br));
}

/* Sessions waiting, just before COMMIT, on what the batch holds: its row
 * locks (they wait on its transaction id) or the table itself. Cheap: one
 * look at pg_locks, no pg_blocking_pids() over every backend. It runs in
 * the batch's transaction, on the plan's search_path: every name is
 * qualified. */
static const char *const waiters_sql =
	"SELECT pg_catalog.count(*), "
	"(pg_catalog.pg_current_wal_insert_lsn() OPERATOR(pg_catalog.-) '0/0'::pg_catalog.pg_lsn)::pg_catalog.int8 "
	"FROM pg_catalog.pg_locks w WHERE NOT w.granted AND ("
	"(w.locktype = 'transactionid' AND w.transactionid::text = pg_catalog.pg_current_xact_id_if_assigned()::text) "
	"OR (w.locktype = 'relation' AND w.relation = pg_catalog.to_regclass($1::text)))";

/* The rate each checkpoint records, for `pgstep status`: rows over the
 * last one to two seconds, measured at batch ends from the most recent
 * batch at least a second old (the run's start until there is one). */
struct rate_window {
	int64_t anchor_ms, anchor_rows;
	int64_t cand_ms, cand_rows;
};

static double
rate_window_add(struct rate_window *w, int64_t now, int64_t rows)
{
	if (now - w->cand_ms >= 1000) {
		w->anchor_ms = w->cand_ms;
		w->anchor_rows = w->cand_rows;
		w->cand_ms = now;
		w->cand_rows = rows;
	}
	return now > w->anchor_ms ? (double) (rows - w->anchor_rows) * 1000.0 / (double) (now - w->anchor_ms) : 0;
}

/* One batch and its checkpoint in one transaction. NULL on success, else
 * the failing result. */
static PGresult *
run_batch(struct engine *e, const struct plan *p, const struct step *s, int index, const char *sql, bool first,
	  const char *last_key, int batch, struct batch_result *br, int64_t total, struct rate_window *rw,
	  int64_t rows_done, int64_t *elapsed_ms)
{
	char s_batch[16], s_index[16], s_walked[32], s_total[32], s_unconv[32], s_secs[32], s_rate[32];
	const char *params[2];
	PGresult *r;
	int64_t t0;
	char *path = step_search_path(p, s);
	char *setup = xasprintf("BEGIN; SET LOCAL statement_timeout = '%dms'; SET LOCAL lock_timeout = '%dms'; "
				"SET LOCAL search_path = %s; SET LOCAL pgstep.backfill = 'on'",
				p->settings.statement_timeout_ms, p->settings.lock_timeout_ms * 4, path);

	free(path);
	snprintf(s_batch, sizeof(s_batch), "%d", batch);
	params[0] = s_batch;
	params[1] = last_key;
	r = engine_exec(e, setup, 0, NULL);
	free(setup);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		goto fail;
	PQclear(r);
	t0 = clock_now_ms();
	r = engine_exec(e, sql, first ? 1 : 2, params);
	*elapsed_ms = clock_now_ms() - t0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		goto fail;
	batch_result_free(br);
	br->has_last_key = !PQgetisnull(r, 0, 0);
	br->last_key = xstrdup(PQgetvalue(r, 0, 0));
	br->walked = atoll(PQgetvalue(r, 0, 1));
	br->written = atoll(PQgetvalue(r, 0, 2));
	br->unconverted = atoll(PQgetvalue(r, 0, 3));
	br->bad_keys = xstrdup(PQgetvalue(r, 0, 4));
	PQclear(r);

	{
		char *qt = plan_qualified(p, s->bf->table);
		const char *wp[1] = {qt};

		r = engine_exec(e, waiters_sql, 1, wp);
		free(qt);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			goto fail;
		br->waiters = atoll(PQgetvalue(r, 0, 0));
		br->wal_lsn = atoll(PQgetvalue(r, 0, 1));
		PQclear(r);
	}
	snprintf(s_index, sizeof(s_index), "%d", index);
	snprintf(s_walked, sizeof(s_walked), "%lld", (long long) br->walked);
	snprintf(s_total, sizeof(s_total), "%lld", (long long) total);
	snprintf(s_unconv, sizeof(s_unconv), "%lld", (long long) br->unconverted);
	snprintf(s_secs, sizeof(s_secs), "%.6f", *elapsed_ms / 1000.0);
	snprintf(s_rate, sizeof(s_rate), "%.3f", rate_window_add(rw, clock_now_ms(), rows_done + br->walked));
	{
		const char *cp[10] = {p->name, s_index, s->bf->table,
				      br->has_last_key ? br->last_key : (first ? NULL : last_key),
				      s_walked, s_total, s_batch, s_unconv, s_secs, s_rate};

		r = engine_exec(e, state_checkpoint_sql, 10, cp);
	}
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		goto fail;
	PQclear(r);
	r = engine_exec(e, "COMMIT", 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		goto fail;
	PQclear(r);
	return NULL;
fail:
	if (PQstatus(e->conn) == CONNECTION_OK)
		conn_exec(e->conn, "ROLLBACK", NULL, 0);
	return r;
}

/* An empty batch (LIMIT 0), rolled back: what every batch costs whatever
 * its rows (planning, opening the partitions, the trigger's setup), for
 * the batch size model. Its time in *secs; false if it failed (a lock
 * wait, say), which the next probe makes up for. */
static bool
run_probe(struct engine *e, const struct plan *p, const struct step *s, const char *sql, bool first,
	  const char *last_key, double *secs)
{
	const char *params[2] = {"0", last_key};
	char *path = step_search_path(p, s);
	char *setup = xasprintf("BEGIN; SET LOCAL statement_timeout = '%dms'; SET LOCAL lock_timeout = '%dms'; "
				"SET LOCAL search_path = %s; SET LOCAL pgstep.backfill = 'on'",
				p->settings.statement_timeout_ms, p->settings.lock_timeout_ms, path);
	PGresult *r;
	bool ok = false;
	int64_t t0;

	free(path);
	r = engine_exec(e, setup, 0, NULL);
	free(setup);
	if (PQresultStatus(r) == PGRES_COMMAND_OK) {
		PQclear(r);
		t0 = clock_now_ms();
		r = engine_exec(e, sql, first ? 1 : 2, params);
		*secs = (clock_now_ms() - t0) / 1000.0;
		ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	}
	PQclear(r);
	if (PQstatus(e->conn) == CONNECTION_OK)
		conn_exec(e->conn, "ROLLBACK", NULL, 0);
	return ok;
}

static int
clamp_batch(double n)
{
	return n < BATCH_MIN ? BATCH_MIN : n > BATCH_MAX ? BATCH_MAX : (int) n;
}

static void
push_spark(struct backfill_progress *bp, float v)
{
	if (bp->n_spark == ST_SPARK) {
		memmove(bp->spark, bp->spark + 1, (ST_SPARK - 1) * sizeof(float));
		bp->n_spark--;
	}
	bp->spark[bp->n_spark++] = v;
}

/* The rate limits' schedule (max_rows_per_second, max_wal_per_second):
 * rows and WAL since `start`, and when the next batch may begin. Waits
 * for other reasons (pause, lag, load) start it again, so that the
 * backfill never bursts to catch up. */
struct rate_limit {
	int64_t start_ms, rows, wal, prev_lsn;
	int64_t next_ms;
};

static void
rate_limit_reset(struct rate_limit *rl)
{
	rl->start_ms = 0;
	rl->rows = rl->wal = 0;
	rl->next_ms = 0;
	rl->prev_lsn = 0;
}

/* Counts a batch; sets when the next may start. */
static void
rate_limit_batch(struct rate_limit *rl, const struct plan_settings *s, int64_t rows, int64_t lsn)
{
	double due = 0;

	rl->rows += rows;
	if (rl->prev_lsn > 0 && lsn > rl->prev_lsn)
		rl->wal += lsn - rl->prev_lsn;
	rl->prev_lsn = lsn;
	if (s->max_rows_per_second > 0)
		due = (double) rl->rows * 1000.0 / s->max_rows_per_second;
	if (s->max_wal_per_second > 0 && (double) rl->wal * 1000.0 / (double) s->max_wal_per_second > due)
		due = (double) rl->wal * 1000.0 / (double) s->max_wal_per_second;
	rl->next_ms = rl->start_ms + (int64_t) due;
}

/* At most this many rows a batch: a quarter of a second's worth under a
 * limit, so that batches spread evenly; 0 without one. */
static int
rate_limit_cap(const struct rate_limit *rl, const struct plan_settings *s)
{
	double cap = 0, c;

	if (s->max_rows_per_second > 0)
		cap = s->max_rows_per_second / 4.0;
	if (s->max_wal_per_second > 0 && rl->rows > 0 && rl->wal > 0) {
		c = (double) s->max_wal_per_second / 4.0 / ((double) rl->wal / (double) rl->rows);
		if (cap == 0 || c < cap)
			cap = c;
	} else if (s->max_wal_per_second > 0)
		cap = 100;	/* the WAL of a row is not known yet: a small batch measures it */
	return cap <= 0 ? 0 : cap < BATCH_MIN ? BATCH_MIN : cap > BATCH_MAX ? BATCH_MAX : (int) cap;
}

/* The rate the ETA counts on: the copying rate, or the limits' if lower. */
static double
rate_limit_rate(const struct rate_limit *rl, const struct plan_settings *s, double copying)
{
	double r = copying;

	if (s->max_rows_per_second > 0 && (r <= 0 || s->max_rows_per_second < r))
		r = s->max_rows_per_second;
	if (s->max_wal_per_second > 0 && rl->rows > 0 && rl->wal > 0) {
		double w = (double) s->max_wal_per_second * (double) rl->rows / (double) rl->wal;

		if (r <= 0 || w < r)
			r = w;
	}
	return r;
}

static void
update_eta(struct backfill_progress *bp, double rate)
{
	if (bp->rows_total < bp->rows_done)
		bp->rows_total = bp->rows_done;
	bp->eta_s = backfill_eta(bp->rows_done, bp->rows_total, rate);
}

enum engine_result
backfill_run(struct engine *e, const struct plan *p, const struct step *s, int index, char *err, size_t errlen)
{
	const struct backfill *bf = s->bf;
	struct key k = {0};
	struct checkpoint cp;
	struct backfill_progress bp;
	char *sql_first = NULL, *sql_next = NULL, *last_key = NULL;
	struct batch_result br = {0};
	bool first, paused = false, waiting_lag = false;
	struct batch_ctl bc;		/* the batch size model (batchsize.h) */
	int batches = 0, failures = 0;
	int64_t next_poll = 0, window_start = clock_now_ms(), window_rows = 0, started = clock_now_ms();
	int64_t rows_before;	/* done by earlier runs, resumed from the checkpoint */
	double copy_secs, copy_before;
	int fixed;		/* the operator's batch size, 0: adaptive */
	struct rate_window rw;
	char sizing[128];
	struct plan_settings eff;	/* the plan's settings, with what was set live (live.h) */
	struct throttle thr = {0};
	struct load_sample ls;
	bool throttled = false;
	char signal[96] = "";
	int64_t throttled_since = 0, throttled_before = 0;
	struct rate_limit rl = {0};
	enum engine_result rc = ENG_FAILED;

	if (!state_checkpoint_get(e->conn, p->name, index, &cp, err, errlen) || cp.done ||
	    !find_key(e, p, bf->table, &k, err, errlen)) {
		rc = cp.done ? ENG_OK : ENG_FAILED;
		state_checkpoint_free(&cp);
		return rc;
	}
	if (!k.primary)
		engine_log(e, 'I', "backfill of %s walks the unique index %s: the table has no primary key", bf->table,
			   k.index);
	if (k.integer)
		key_range(e, p, bf->table, &k);
	sql_first = batch_sql(p, bf, &k, true);
	sql_next = batch_sql(p, bf, &k, false);
	first = !cp.has_last_key;
	last_key = xstrdup(cp.last_key);
	copy_secs = copy_before = cp.copy_seconds;
	rows_before = cp.rows_done;
	rw = (struct rate_window) {started, rows_before, started, rows_before};

	memset(&bp, 0, sizeof(bp));
	bp.active = true;
	snprintf(bp.table, sizeof(bp.table), "%s", bf->table);
	bp.rows_done = cp.rows_done;
	bp.rows_total = estimate_rows(e, p, bf->table);
	bp.unconverted = cp.unconverted;
	bp.lag_ms = -1;
	bp.rate_avg = copy_secs > 0 ? cp.rows_done / copy_secs : 0;
	live_apply(&e->ctl->live, &p->settings, &eff);
	/* A size the operator set (+, -, :batch) holds until :batch 0, over
	 * rollbacks and re-runs: say which one this backfill starts with. */
	fixed = live_batch_size(&e->ctl->live);
	if (fixed > 0) {
		fixed = clamp_batch(fixed);
		bp.batch_size = fixed;
		snprintf(sizing, sizeof(sizing), "fixed batches of %d rows (set by the operator; :batch 0 adapts again)",
			 fixed);
	} else
		snprintf(sizing, sizeof(sizing), "batches of %d rows adapting to %dms", clamp_batch(p->settings.batch_size),
			 eff.batch_target_ms);
	batch_ctl_init(&bc, p->settings.batch_size, BATCH_MIN, BATCH_MAX);
	update_eta(&bp, rate_limit_rate(&rl, &eff, bp.rate_avg));
	/* Whoever steps it now means it to run, even if it stopped paused. */
	state_set_paused(e->conn, p->name, false, err, errlen);
	if (cp.exists)
		engine_log(e, 'I', "backfill of %s resumes after key %s (%lld rows done), %s", bf->table, last_key,
			   (long long) cp.rows_done, sizing);
	else
		engine_log(e, 'I', "backfill of %s: about %lld rows, %s", bf->table, (long long) bp.rows_total, sizing);
	if (eff.max_rows_per_second > 0 || eff.max_wal_per_second > 0) {
		char rows[32] = "off", wal[32] = "off";

		if (eff.max_rows_per_second > 0)
			snprintf(rows, sizeof(rows), "%d", eff.max_rows_per_second);
		if (eff.max_wal_per_second > 0)
			size_format(eff.max_wal_per_second, wal, sizeof(wal));
		engine_log(e, 'I', "backfill of %s is rate limited: max_rows_per_second %s, max_wal_per_second %s",
			   bf->table, rows, wal);
	}

	for (;;) {
		int64_t now = clock_now_ms();

		live_apply(&e->ctl->live, &p->settings, &eff);

		if (atomic_load(&e->ctl->stop)) {
			rc = ENG_STOPPED;
			/* Recorded as paused where it stopped: status and the next
			 * console say so, and the next step resumes it. */
			state_set_paused(e->conn, p->name, true, err, errlen);
			engine_log(e, 'I', "backfill of %s stopped after key %s; it resumes from there", bf->table,
				   last_key[0] ? last_key : "(none)");
			break;
		}
		if (atomic_load(&e->ctl->abort_)) {
			snprintf(err, errlen, "backfill of %s aborted by the operator", bf->table);
			break;
		}
		if (now >= next_poll) {
			next_poll = now + POLL_EVERY_MS;
			/* Pause, resume and set may come from another terminal. */
			engine_take_requests(e, p, false);
			/* The load signals: sampled even while paused (the
			 * replica lag is shown), judged only while running. */
			if (!throttle_sample(e, &eff, &thr, &ls, err, errlen))
				break;
			bp.lag_ms = ls.lag_ms;
			if (!atomic_load(&e->ctl->pause)) {
				bool was = throttled;

				if (throttle_critical(&eff, &thr, &ls, err, errlen)) {
					engine_log(e, 'E', "backfill of %s aborted: %s", bf->table, err);
					break;
				}
				throttled = throttle_over(&eff, &ls, signal, sizeof(signal));
				if (throttled && !was) {
					throttled_since = now;
					engine_log(e, 'W', "backfill of %s throttled: %s", bf->table, signal);
					/* beside the backfill: it never holds it up */
					engine_hook(e, "on-throttle", signal, NULL, 0);
				} else if (!throttled && was) {
					throttled_before += now - throttled_since;
					engine_log(e, 'I', "backfill of %s goes on after %.1fs throttled", bf->table,
						   (now - throttled_since) / 1000.0);
				}
				bp.throttled_ms = throttled_before + (throttled ? now - throttled_since : 0);
				snprintf(bp.throttled, sizeof(bp.throttled), "%s", throttled ? signal : "");
				if (throttled || was) {
					char terr[256];

					state_checkpoint_throttle(e->conn, p->name, index, bf->table,
								  throttled ? signal : NULL, bp.throttled_ms, terr,
								  sizeof(terr));
				}
			}
			/* the last second's rate, one sparkline sample */
			double secs = (now - window_start) / 1000.0;

			bp.rate_last = secs > 0 ? window_rows / secs : 0;
			push_spark(&bp, (float) bp.rate_last);
			window_start = now;
			window_rows = 0;
			engine_progress(e, &bp);
		}
		if (atomic_load(&e->ctl->pause)) {
			if (!paused) {
				paused = true;
				state_set_paused(e->conn, p->name, true, err, errlen);
				engine_log(e, 'I', "backfill of %s paused after key %s", bf->table, last_key);
				engine_activity(e, ACTIVITY_PAUSED, "paused by the operator", 0);
			}
			rate_limit_reset(&rl);
			engine_sleep(e, 100);
			continue;
		}
		if (paused) {
			paused = false;
			state_set_paused(e->conn, p->name, false, err, errlen);
			engine_log(e, 'I', "backfill of %s resumed", bf->table);
		}
		if (eff.max_replica_lag_ms > 0 && bp.lag_ms > eff.max_replica_lag_ms) {
			char d[96];

			snprintf(d, sizeof(d), "replica lag %llds", (long long) (bp.lag_ms / 1000));
			if (!waiting_lag) {
				engine_log(e, 'W', "backfill waits: %s over max_replica_lag", d);
				/* beside the backfill: it never holds it up */
				engine_hook(e, "on-throttle", d, NULL, 0);
			}
			waiting_lag = true;
			engine_activity(e, ACTIVITY_WAIT_LAG, d, 0);
			rate_limit_reset(&rl);
			engine_sleep(e, 200);
			continue;
		}
		waiting_lag = false;
		if (throttled) {
			/* The batch before finished; the next waits until no
			 * signal is over its limit, judged again each second. */
			engine_activity(e, ACTIVITY_THROTTLED, signal, 0);
			rate_limit_reset(&rl);
			engine_sleep(e, 200);
			continue;
		}
		if (eff.max_rows_per_second <= 0 && eff.max_wal_per_second <= 0)
			rate_limit_reset(&rl);
		else if (rl.next_ms > now) {
			/* The rate limits spread the batches in time. */
			engine_sleep(e, rl.next_ms - now < 200 ? (int) (rl.next_ms - now) : 200);
			continue;
		} else if (rl.start_ms == 0) {
			rl.start_ms = now;
			if (thr.has_lsn && rl.prev_lsn == 0)
				rl.prev_lsn = thr.lsn;
		}

		int override = live_batch_size(&e->ctl->live);
		int cap = rate_limit_cap(&rl, &eff);
		int size = override > 0 ? clamp_batch(override) : batch_ctl_next(&bc, cap);
		int64_t elapsed = 0;
		PGresult *r;
		double probe;

		engine_activity(e, ACTIVITY_RUNNING, "backfill", 0);
		if (override <= 0 && batches % PROBE_EVERY == 0 &&
		    run_probe(e, p, s, first ? sql_first : sql_next, first, last_key, &probe))
			batch_ctl_probe(&bc, probe);
		batches++;
		r = run_batch(e, p, s, index, first ? sql_first : sql_next, first, last_key, size, &br,
			      bp.rows_total > bp.rows_done ? bp.rows_total : bp.rows_done, &rw, bp.rows_done, &elapsed);
		if (r) {
			const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
			bool transient = st && (strcmp(st, "55P03") == 0 || strcmp(st, "57014") == 0 ||
						strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0);

			conn_result_error(r, e->conn, err, errlen);
			PQclear(r);
			if (atomic_load(&e->ctl->abort_)) {
				snprintf(err, errlen, "backfill of %s aborted by the operator", bf->table);
				break;
			}
			if (PQstatus(e->conn) != CONNECTION_OK)
				break;
			if (atomic_load(&e->ctl->stop)) {
				rc = ENG_STOPPED;
				break;
			}
			if (!transient || ++failures > MAX_BATCH_RETRIES)
				break;
			/* A lock wait or a timeout: smaller batches hold fewer rows. */
			batch_ctl_failed(&bc, size);
			engine_log(e, 'W', "batch of %d rows failed (%s); retrying with %d", size, err,
				   override > 0 ? size : batch_ctl_next(&bc, 0));
			engine_activity(e, ACTIVITY_WAIT_LOCK, "row locks held by other sessions", failures);
			engine_sleep(e, 100 * failures);
			continue;
		}
		failures = 0;
		if (br.walked == 0) {
			rc = ENG_OK;
			break;
		}
		first = false;
		free(last_key);
		last_key = xstrdup(br.last_key);
		copy_secs += elapsed / 1000.0;
		bp.rows_done += br.walked;
		window_rows += br.walked;
		bp.unconverted += br.unconverted;
		if (br.unconverted > 0)
			engine_log(e, 'W', "%lld row(s) of %s not converted (keys %s%s)", (long long) br.unconverted,
				   bf->table, br.bad_keys, br.unconverted > 5 ? ", ..." : "");
		bp.batch_size = size;
		bp.batch_ms = (int) elapsed;
		bp.rate_avg = copy_secs > 0 ? bp.rows_done / copy_secs : 0;
		if (override <= 0)
			batch_ctl_done(&bc, (int) br.walked, elapsed / 1000.0, br.waiters, eff.batch_target_ms / 1000.0);
		refine_total(&bp, &k, last_key);
		rate_limit_batch(&rl, &eff, br.walked, br.wal_lsn);
		update_eta(&bp, rate_limit_rate(&rl, &eff, bp.rate_avg));
		engine_progress(e, &bp);
		if (br.walked < size) {
			rc = ENG_OK;
			break;
		}
		if (br.waiters > 0) {
			/* Others queued behind this batch: let them through and
			 * take smaller bites while they are about. */
			char d[96];

			snprintf(d, sizeof(d), "%lld session(s) waited on the batch's locks", (long long) br.waiters);
			engine_activity(e, ACTIVITY_WAIT_LOCK, d, 0);
			engine_sleep(e, 50);
		}
	}
	if (throttled && PQstatus(e->conn) == CONNECTION_OK) {
		/* Left while throttled (stopped, failed): status must not go on
		 * saying so. */
		char terr[256];

		state_checkpoint_throttle(e->conn, p->name, index, bf->table, NULL, bp.throttled_ms, terr, sizeof(terr));
	}
	if (rc == ENG_OK) {
		bp.rows_total = bp.rows_done;
		bp.eta_s = 0;
		engine_progress(e, &bp);
		state_checkpoint_done(e->conn, p->name, index, err, errlen);
		state_set_progress(e->conn, p->name, index + 1, err, errlen);
		/* Times of this run only, which the elapsed time can be: the
		 * copying of earlier runs is in the checkpoint, their wall time
		 * is not. */
		if (rows_before > 0)
			engine_log(e, 'I', "backfill of %s done: %lld rows; this run %lld rows in %.1fs (%.1fs copying), "
				   "%lld rows before it%s", bf->table, (long long) bp.rows_done,
				   (long long) (bp.rows_done - rows_before), (clock_now_ms() - started) / 1000.0,
				   copy_secs - copy_before, (long long) rows_before,
				   bp.unconverted ? ", some rows not converted: see the log" : "");
		else
			engine_log(e, 'I', "backfill of %s done: %lld rows in %.1fs (%.1fs copying)%s", bf->table,
				   (long long) bp.rows_done, (clock_now_ms() - started) / 1000.0, copy_secs,
				   bp.unconverted ? ", some rows not converted: see the log" : "");
		if (bp.unconverted > 0)
			engine_log(e, 'W', "%lld row(s) of %s could not be converted by up; they keep their old value",
				   (long long) bp.unconverted, bf->table);
		state_log_step(e->conn, p->name, PHASE_BACKFILL, index, false, s->summary, s->sql, 1, 0,
			       (int64_t) (copy_secs * 1000), NULL);
	}
	free(sql_first);
	free(sql_next);
	free(last_key);
	batch_result_free(&br);
	state_checkpoint_free(&cp);
	key_free(&k);
	return rc;
}
