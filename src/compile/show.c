#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "base/xalloc.h"
#include "pg/sql.h"
#include "base/size.h"
#include "compile/show.h"

static void
indented(FILE *out, const char *prefix, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t) (nl - p) : strlen(p);

		fprintf(out, "%s%.*s\n", prefix, (int) n, p);
		p += n + (nl ? 1 : 0);
	}
}

struct settings_line {
	FILE *out;
	int col;	/* 0: nothing printed yet */
	bool live;	/* a live setting was printed */
	show_live_fn is_live;
};

/* "*" after a setting that changes live, "" after another. */
static const char *
mark(struct settings_line *sl, const char *key)
{
	if (!sl->is_live || !sl->is_live(key))
		return "";
	sl->live = true;
	return "*";
}

/* The settings show_load prints on lines of their own. */
static bool
load_setting(const char *key)
{
	static const char *const keys[] = {"max_load", "critical_load", "throttle_query", "throttle_query_timeout",
					   "max_rows_per_second", "max_wal_per_second", "backfill_workers", NULL};

	for (size_t i = 0; keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return true;
	return false;
}

/* "settings: key value, ..." wrapped before column 100, a live setting
 * marked *; a path or name that is not set is left out. */
static void
show_setting(void *ud, const char *key, const char *value)
{
	struct settings_line *sl = ud;
	const char *m;
	int w;

	if (!value[0] || load_setting(key))
		return;
	m = mark(sl, key);
	w = (int) (strlen(key) + 1 + strlen(value) + strlen(m));
	if (sl->col == 0)
		sl->col = fprintf(sl->out, "settings: %s %s%s", key, value, m);
	else if (sl->col + 2 + w > 100)
		sl->col = fprintf(sl->out, ",\n          %s %s%s", key, value, m) - 2;
	else
		sl->col += fprintf(sl->out, ", %s %s%s", key, value, m);
}

/* One limit, "off" when 0. */
static void
limit_text(char *buf, size_t len, int64_t v, char unit)
{
	if (v <= 0)
		snprintf(buf, len, "off");
	else if (unit == 'b')
		size_format(v, buf, len);
	else if (unit == 'd')
		duration_format((int) v, buf, len);
	else
		snprintf(buf, len, "%lld", (long long) v);
}

/* The backfill's load controls, on lines of their own. */
static void
show_load(struct settings_line *sl, const struct plan_settings *s)
{
	char a[32], w[32], ca[32], cw[32], cl[32], rows[32], wal[32], qt[32];

	limit_text(a, sizeof(a), s->max_load.active_sessions, 'n');
	limit_text(w, sizeof(w), s->max_load.wal_per_second, 'b');
	limit_text(ca, sizeof(ca), s->critical_load.active_sessions, 'n');
	limit_text(cw, sizeof(cw), s->critical_load.wal_per_second, 'b');
	limit_text(cl, sizeof(cl), s->critical_load.replica_lag_ms, 'd');
	limit_text(rows, sizeof(rows), s->max_rows_per_second, 'n');
	limit_text(wal, sizeof(wal), s->max_wal_per_second, 'b');
	fprintf(sl->out, "          max_load: active_sessions %s%s, wal_per_second %s%s\n", a,
		mark(sl, "max_load.active_sessions"), w, mark(sl, "max_load.wal_per_second"));
	fprintf(sl->out, "          critical_load: active_sessions %s%s, wal_per_second %s%s, replica_lag %s%s, checks %d%s\n",
		ca, mark(sl, "critical_load.active_sessions"), cw, mark(sl, "critical_load.wal_per_second"), cl,
		mark(sl, "critical_load.replica_lag"), s->critical_load.checks, mark(sl, "critical_load.checks"));
	fprintf(sl->out, "          max_rows_per_second %s%s, max_wal_per_second %s%s, backfill_workers %d%s\n", rows,
		mark(sl, "max_rows_per_second"), wal, mark(sl, "max_wal_per_second"), s->backfill_workers,
		mark(sl, "backfill_workers"));
	if (s->throttle_query) {
		duration_format(s->throttle_query_timeout_ms, qt, sizeof(qt));
		fprintf(sl->out, "          throttle_query (timeout %s): %s\n", qt, s->throttle_query);
	}
}

static void
show_settings(FILE *out, const struct plan_settings *s, show_live_fn is_live)
{
	struct settings_line sl = {.out = out, .is_live = is_live};

	plan_settings_each(s, show_setting, &sl);
	if (sl.col > 0)
		fputc('\n', out);
	show_load(&sl, s);
	if (sl.live)
		fputs("          * live: `pgstep set NAME KEY=VALUE` or the console's :set changes it while the "
		      "migration runs\n", out);
}

/* What an index_build step does on a partitioned table (engine/partidx.c
 * runs it so): lines without indentation; the caller frees. */
static char *
partidx_describe(const struct plan *p, const struct step *s)
{
	const struct index_build *ib = s->ib;
	char *top = plan_qualified(p, ib->table), *qi = sql_ident(ib->name), *topidx = plan_qualified(p, ib->name);
	char *text;

	if (ib->what == IB_ATTACH)
		text = xasprintf("on a partitioned table (read when the step runs), instead:\n"
				 "  for each partition: ALTER TABLE <partition> ADD CONSTRAINT <its index> %s USING INDEX <its index>%s\n"
				 "  then, in one transaction: LOCK TABLE %s IN ACCESS EXCLUSIVE MODE; a check that every\n"
				 "  partition has its constraint; ALTER TABLE %s ADD CONSTRAINT %s %s,\n"
				 "  which attaches the partitions' constraints and builds nothing\n"
				 "  rollback: the same DROP CONSTRAINT (it drops the partitions' with it), and any partition's\n"
				 "  constraint left by a stop half way",
				 ib->constraint, ib->attrs ? ib->attrs : "", top, top, qi, ib->constraint_def);
	else if (ib->constraint)
		text = xasprintf("on a partitioned table (read when the step runs), instead, partition by partition:\n"
				 "  CREATE UNIQUE INDEX CONCURRENTLY <partition>_..._%s ON <partition> %s\n"
				 "  (the index named as PostgreSQL names it, saved in pgstep.saved first; one already built is kept)\n"
				 "  rollback: DROP INDEX CONCURRENTLY IF EXISTS of each partition's index",
				 strcmp(ib->constraint, "PRIMARY KEY") == 0 ? "pkey" : "key", ib->def);
	else
		text = xasprintf("on a partitioned table (read when the step runs), instead:\n"
				 "  CREATE %sINDEX %s ON ONLY %s %s  (invalid, nothing built)\n"
				 "  then partition by partition, each its own statement:\n"
				 "    CREATE %sINDEX CONCURRENTLY <partition>_..._idx ON <partition> %s\n"
				 "    ALTER INDEX %s ATTACH PARTITION <partition>_..._idx\n"
				 "  (a sub-partitioned partition gets its own ON ONLY index the same way; names as PostgreSQL\n"
				 "  gives them, saved in pgstep.saved first; an index already attached is not built again);\n"
				 "  %s becomes valid with the last attach\n"
				 "  rollback: DROP INDEX IF EXISTS %s (a partitioned index cannot be dropped CONCURRENTLY;\n"
				 "  it takes its partitions' with it), then DROP INDEX CONCURRENTLY of any left unattached",
				 ib->unique ? "UNIQUE " : "", qi, top, ib->def, ib->unique ? "UNIQUE " : "", ib->def, topidx,
				 ib->name, topidx);
	free(top);
	free(qi);
	free(topidx);
	return text;
}

void
show_plan(FILE *out, const struct plan *p, const struct compiled *c, show_live_fn is_live)
{
	int num = 0;

	fprintf(out, "migration %s (%s)\n", p->name, p->path);
	if (p->description)
		fprintf(out, "  %s\n", p->description);
	fprintf(out, "checksum: sha256:%s\n", p->checksum);
	show_settings(out, &p->settings, is_live);
	{
		char *path = plan_search_path(p);

		fprintf(out, "search_path: %s for the plan's own SQL (marked [plan's search_path]; pg_catalog is\n"
			"          searched first), pg_catalog, pg_temp for every other step\n", path);
		free(path);
	}
	for (int ph = 0; ph < N_PHASES; ph++) {
		fprintf(out, "\n== %s ==%s\n", phase_name((enum phase) ph),
			ph == PHASE_CONTRACT ? " (point of no return once it drops data)" : "");
		if (c->n[ph] == 0)
			fprintf(out, "  (nothing to do)\n");
		for (size_t i = 0; i < c->n[ph]; i++) {
			const struct step *s = &c->steps[ph][i];

			fprintf(out, "%3d. %s", ++num, s->summary);
			if (s->no_txn)
				fprintf(out, "  [outside a transaction]");
			if (s->multi)
				fprintf(out, "  [statements commit together]");
			if (s->plan_path)
				fprintf(out, "  [plan's search_path]");
			fputc('\n', out);
			if (s->delay_ms > 0) {
				char d[32];

				duration_format(s->delay_ms, d, sizeof(d));
				fprintf(out, "       waits %s after the previous step\n", d);
			}
			if (s->kind == STEP_BACKFILL) {
				fprintf(out, "       in keyset batches on the primary key of %s, each batch one transaction\n",
					s->bf->table);
				if (s->bf->unconverted_sql)
					fprintf(out, "       rows where (%s) are counted and listed as not converted\n",
						s->bf->unconverted_sql);
			}
			if (s->sql)
				indented(out, "       ", s->sql);
			else
				fprintf(out, "       nothing to do forward: the step is there for its rollback\n");
			if (s->ib) {
				char *alt = partidx_describe(p, s);

				indented(out, "       ", alt);
				free(alt);
			}
			if (s->irreversible)
				fprintf(out, "     rollback: none, this step destroys data\n");
			else if (s->rollback) {
				fprintf(out, "     rollback%s:\n", s->rollback_no_txn ? " [outside a transaction]" : "");
				indented(out, "       ", s->rollback);
			} else
				fprintf(out, "     rollback: nothing to undo\n");
		}
	}
}
