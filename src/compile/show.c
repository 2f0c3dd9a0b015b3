#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "base/xalloc.h"
#include "pg/sql.h"
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

static void
show_settings(FILE *out, const struct plan_settings *s)
{
	char lt[32], bt[32], lag[32], st[32];

	duration_format(s->lock_timeout_ms, lt, sizeof(lt));
	duration_format(s->batch_target_ms, bt, sizeof(bt));
	duration_format(s->max_replica_lag_ms, lag, sizeof(lag));
	duration_format(s->statement_timeout_ms, st, sizeof(st));
	fprintf(out, "settings: lock_timeout %s, lock_retries %d, batch_size %d, batch_target %s,\n"
		"          max_replica_lag %s, statement_timeout %s, vacuum %s, kill_blockers %s\n",
		lt, s->lock_retries, s->batch_size, bt, lag, st, s->vacuum ? "true" : "false",
		s->kill_blockers == KILL_CANCEL ? "cancel" :
		s->kill_blockers == KILL_TERMINATE ? "terminate" : "none");
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
show_plan(FILE *out, const struct plan *p, const struct compiled *c)
{
	int num = 0;

	fprintf(out, "migration %s (%s)\n", p->name, p->path);
	if (p->description)
		fprintf(out, "  %s\n", p->description);
	fprintf(out, "checksum: sha256:%s\n", p->checksum);
	show_settings(out, &p->settings);
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
