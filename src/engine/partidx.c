#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/conn.h"
#include "ops/helpers.h"
#include "engine/partidx.h"
#include "engine/partidx_int.h"
#include "pg/sql.h"
#include "store/state.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

/* Passes over the partitions while some are attached as the index builds. */
#define MAX_PASSES 3

/* ---- the build ---- */

/* What runs one statement of the step, as a step of its own: under
 * lock_timeout with its retries, recorded in the step log under `index`;
 * the phase's progress is set to `progress` after it (where it was, so
 * that the step as a whole is done, or undone, only at its end). */
struct sub {
	struct engine *e;
	const struct plan *p;
	const struct step *s;
	int index;
	int progress;
	bool rollback;
};

enum {
	SUB_NO_TXN = 1,		/* outside a transaction block (CONCURRENTLY) */
	SUB_MULTI = 2,		/* several statements, committed together */
	SUB_PLAN_PATH = 4,	/* holds the plan's SQL: on its search_path */
};

static enum engine_result
run_sql(const struct sub *u, const char *table, const char *schema, int flags, char *summary, char *sql, char *err,
	size_t errlen)
{
	struct step one = {
		.kind = STEP_SQL, .phase = u->s->phase, .op_index = u->s->op_index,
		.table = (char *) table, .schema = (char *) schema, .summary = summary,
		.sql = sql, .rollback = sql, .no_txn = flags & SUB_NO_TXN, .rollback_no_txn = flags & SUB_NO_TXN,
		.multi = flags & SUB_MULTI, .plan_path = flags & SUB_PLAN_PATH,
	};
	enum engine_result rc = runner_run_step(u->e, u->p, &one, u->index, u->rollback, u->progress, err, errlen);

	free(summary);
	free(sql);
	return rc;
}

/* The flag of a statement that holds the index's definition. */
static int
def_path(const struct sub *u)
{
	return u->s->plan_path ? SUB_PLAN_PATH : 0;
}

/* CREATE [UNIQUE] INDEX [CONCURRENTLY] qname ON [ONLY] qrel <definition> */
static char *
create_sql(const struct index_build *ib, bool concurrently, const char *qname, bool only, const char *qrel)
{
	return xasprintf("CREATE %sINDEX %s%s ON %s%s %s", ib->unique ? "UNIQUE " : "", concurrently ? "CONCURRENTLY " : "",
			 qname, only ? "ONLY " : "", qrel, ib->def);
}

/* The partitions' indexes, parents first, each attached under its
 * parent's (for a plain index); built only where missing. */
static enum engine_result
build_nodes(const struct sub *u, struct partidx_tree *t, const char *topidx, char *err, size_t errlen)
{
	struct engine *e = u->e;
	const struct index_build *ib = u->s->ib;
	enum engine_result rc = ENG_OK;
	int k = 0;

	for (size_t i = 0; i < t->n && rc == ENG_OK; i++) {
		struct partidx_node *n = &t->v[i];
		char *qrel = sql_qualified(n->schema, n->name), *name = NULL, *qidx = NULL, *qname = NULL;
		const char *parent_idx = NULL;

		if (n->kind == 'r')
			k++;
		if (atomic_load(&e->ctl->stop)) {
			snprintf(err, errlen, "stopped before partition %s of %s", n->name, ib->table);
			free(qrel);
			return ENG_STOPPED;
		}
		/* a constraint's partitioned levels are PostgreSQL's to make, as it attaches */
		if (ib->constraint && n->kind == 'p')
			goto next;
		if (!ib->constraint) {
			const struct partidx_node *pn = partidx_tree_find(t, n->parent);
			char *have;

			parent_idx = strcmp(n->parent, t->relid) == 0 ? topidx : pn ? pn->index : NULL;
			if (!parent_idx) {
				snprintf(err, errlen, "partition %s of %s: its parent's index is not known", n->name, ib->table);
				rc = ENG_FAILED;
				goto next;
			}
			if (!(have = partidx_attached(e, parent_idx, n->relid, err, errlen))) {
				rc = ENG_FAILED;
				goto next;
			}
			if (have[0]) {
				n->index = have;
				if (n->kind == 'r')
					engine_log(e, 'I', "partition %d of %d, %s: index %s already built and attached", k,
						   t->leaves, n->name, have);
				goto next;
			}
			free(have);
		}
		if (!(name = partidx_name_for(e, u->p, ib, n, err, errlen))) {
			rc = ENG_FAILED;
			goto next;
		}
		qidx = sql_qualified(n->schema, name);
		qname = sql_ident(name);
		{
			char *valid = partidx_validity(e, qidx, err, errlen);

			if (!valid) {
				rc = ENG_FAILED;
				goto next;
			}
			if (n->kind == 'p') {
				if (!valid[0])
					rc = run_sql(u, n->name, n->schema, def_path(u),
						     xasprintf("create index %s on only %s (sub-partitioned)", name, n->name),
						     create_sql(ib, false, qname, true, qrel), err, errlen);
				n->index = xstrdup(qidx);
			} else if (strcmp(valid, "t") != 0) {
				char act[160];

				snprintf(act, sizeof(act), "partition %d of %d: %s", k, t->leaves, n->name);
				engine_activity(e, ACTIVITY_RUNNING, act, 0);
				engine_log(e, 'I', "%s: building %s", act, name);
				/* the runner drops an INVALID leftover of a failed build first */
				rc = run_sql(u, n->name, n->schema, SUB_NO_TXN | def_path(u),
					     xasprintf("build index %s on partition %s (%d of %d) concurrently", name, n->name, k,
						       t->leaves),
					     create_sql(ib, true, qname, false, qrel), err, errlen);
				if (rc == ENG_OK) {
					free(valid);
					if (!(valid = partidx_validity(e, qidx, err, errlen)))
						rc = ENG_FAILED;
					else if (strcmp(valid, "t") != 0) {
						snprintf(err, errlen, "the index %s of partition %s is not valid after its build", name,
							 n->name);
						rc = ENG_FAILED;
					}
				}
			} else
				engine_log(e, 'I', "partition %d of %d, %s: index %s already built", k, t->leaves, n->name, name);
			free(valid);
		}
		if (rc == ENG_OK && !ib->constraint)
			rc = run_sql(u, n->name, n->schema, 0,
				     xasprintf("attach index %s of %s to %s", name, n->name, ib->name),
				     xasprintf("ALTER INDEX %s ATTACH PARTITION %s", parent_idx, qidx), err, errlen);
next:
		free(qrel);
		free(name);
		free(qidx);
		free(qname);
	}
	return rc;
}

/* The build step on a partitioned table: for a plain index, the index ON
 * ONLY the table, then each partition's, attached; for a constraint's,
 * each partition's alone (attach() makes them the constraint in switch).
 * `topidx` is the qualified index (NULL for a constraint's). */
static enum engine_result
build(const struct sub *u, const char *top, const char *topidx, char *err, size_t errlen)
{
	struct engine *e = u->e;
	const struct index_build *ib = u->s->ib;
	enum engine_result rc = ENG_OK;
	struct partidx_tree t;
	char *v;

	if (ib->constraint) {
		if (!(v = partidx_top_constraint(e, top, ib->name, err, errlen)))
			return ENG_FAILED;
		if (v[0]) {
			engine_log(e, 'I', "constraint %s on %s exists: its partitions' indexes are built", ib->name, ib->table);
			free(v);
			return ENG_OK;
		}
		free(v);
		if (!partidx_check_keys(e, top, ib, err, errlen))
			return ENG_FAILED;
	} else {
		char k = partidx_relkind(e, topidx, err, errlen);
		char *qi = sql_ident(ib->name);

		if (k == '-')
			rc = run_sql(u, ib->table, NULL, def_path(u),
				     xasprintf("create index %s on only %s (invalid until its partitions' are attached)", ib->name,
					       ib->table),
				     create_sql(ib, false, qi, true, top), err, errlen);
		else if (!k)
			rc = ENG_FAILED;
		else {
			/* built ON ONLY before a crash: the run goes on from there */
			const char *params[2] = {topidx, top};
			char *own = partidx_value(e,
						"SELECT 't' FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
						"WHERE i.indexrelid = pg_catalog.to_regclass($1) AND i.indrelid = pg_catalog.to_regclass($2) "
						"AND c.relkind = 'I'",
						2, params, err, errlen);

			if (!own)
				rc = ENG_FAILED;
			else if (!own[0]) {
				snprintf(err, errlen,
					 "relation %s exists and is not a partitioned index of %s: name the index otherwise", ib->name,
					 ib->table);
				rc = ENG_FAILED;
			}
			free(own);
		}
		free(qi);
		if (rc != ENG_OK)
			return rc;
	}
	for (int pass = 0; pass < MAX_PASSES && rc == ENG_OK; pass++) {
		if (!partidx_tree_load(e, top, ib->table, &t, err, errlen))
			return ENG_FAILED;
		if (pass == 0)
			engine_log(e, 'I', "%s is partitioned: %s is built partition by partition (%d partitions)", ib->table,
				   ib->name, t.leaves);
		rc = build_nodes(u, &t, topidx, err, errlen);
		partidx_tree_free(&t);
		if (rc != ENG_OK || ib->constraint)
			return rc;
		if (!(v = partidx_validity(e, topidx, err, errlen)))
			return ENG_FAILED;
		if (strcmp(v, "t") == 0) {
			free(v);
			return ENG_OK;
		}
		free(v);
		/* a partition added while the others were built: once more */
		engine_log(e, 'W', "%s is not valid yet: a partition was added to %s while it was built; going over them again",
			   ib->name, ib->table);
	}
	if (rc == ENG_OK) {
		snprintf(err, errlen, "index %s is still not valid after %d passes over the partitions of %s, which keep changing",
			 ib->name, MAX_PASSES, ib->table);
		rc = ENG_FAILED;
	}
	return rc;
}

/* The check, under the table's lock, that ADD CONSTRAINT finds a
 * constraint of this migration on every partition and builds nothing. */
static char *
attach_guard_sql(const struct plan *p, const char *top, const struct index_build *ib, char contype)
{
	char *lt = sql_literal(top), *lm = sql_literal(p->name), *lo = sql_literal(ib->name);
	char *body = xasprintf(
		"\nDECLARE\n"
		"  missing text;\n"
		"BEGIN\n"
		"  SELECT pg_catalog.string_agg(t.relid::regclass::text, ', ' ORDER BY t.level, t.relid::regclass::text) INTO missing\n"
		"    FROM pg_catalog.pg_partition_tree(%s::regclass) t JOIN pg_catalog.pg_class c ON c.oid = t.relid\n"
		"   WHERE c.relkind <> 'p' AND NOT EXISTS (\n"
		"     SELECT FROM pg_catalog.pg_constraint k JOIN pgstep.saved s\n"
		"       ON s.migration = %s AND pg_catalog.starts_with(s.key, 'partidx:') AND s.value::jsonb ->> 'of' = %s\n"
		"      AND k.conindid = pg_catalog.to_regclass(pg_catalog.format('%%I.%%I', s.value::jsonb ->> 'schema', s.value::jsonb ->> 'index'))\n"
		"     WHERE k.conrelid = t.relid AND k.contype = '%c');\n"
		"  IF missing IS NOT NULL THEN\n"
		"    RAISE EXCEPTION 'partitions %% of %% have no index built by this migration (added since?): ADD CONSTRAINT would build one under its lock; run the switch again', missing, %s::regclass;\n"
		"  END IF;\n"
		"END\n",
		lt, lm, lo, contype, lt);
	char *sql = do_block(body);

	free(body);
	free(lt);
	free(lm);
	free(lo);
	return sql;
}

/* The attach step on a partitioned table: each partition's index made its
 * constraint, then the table's constraint added, attaching them. */
static enum engine_result
attach(const struct sub *u, const char *top, char *err, size_t errlen)
{
	struct engine *e = u->e;
	const struct index_build *ib = u->s->ib;
	char contype = strcmp(ib->constraint, "PRIMARY KEY") == 0 ? 'p' : 'u';
	enum engine_result rc = ENG_OK;
	struct partidx_tree t;
	char *v;

	if (!(v = partidx_top_constraint(e, top, ib->name, err, errlen)))
		return ENG_FAILED;
	if (v[0]) {
		engine_log(e, 'I', "constraint %s on %s exists already", ib->name, ib->table);
		free(v);
		return ENG_OK;
	}
	free(v);
	if (!partidx_tree_load(e, top, ib->table, &t, err, errlen))
		return ENG_FAILED;
	for (size_t i = 0; i < t.n && rc == ENG_OK; i++) {
		const struct partidx_node *n = &t.v[i];
		bool failed;
		char *name, *qrel, *qname, *has;

		if (n->kind != 'r')
			continue;
		if (!(name = partidx_saved_name(e, u->p, ib, n->relid, &failed, err, errlen))) {
			if (!failed)
				snprintf(err, errlen,
					 "partition %s of %s has no index of this migration (added since it was built): run the switch again, which builds it",
					 n->name, ib->table);
			rc = ENG_FAILED;
			break;
		}
		qrel = sql_qualified(n->schema, n->name);
		qname = sql_ident(name);
		{
			const char *params[2] = {qrel, name};

			has = partidx_value(e,
					  "SELECT 't' FROM pg_constraint k WHERE k.conrelid = pg_catalog.to_regclass($1) AND k.conname = $2",
					  2, params, err, errlen);
		}
		if (!has)
			rc = ENG_FAILED;
		else if (!has[0])
			rc = run_sql(u, n->name, n->schema, 0,
				     xasprintf("make index %s the %s constraint of partition %s", name,
					       contype == 'p' ? "primary key" : "unique", n->name),
				     xasprintf("ALTER TABLE %s ADD CONSTRAINT %s %s USING INDEX %s%s", qrel, qname, ib->constraint,
					       qname, ib->attrs ? ib->attrs : ""),
				     err, errlen);
		free(has);
		free(qrel);
		free(qname);
		free(name);
	}
	partidx_tree_free(&t);
	if (rc == ENG_OK) {
		char *guard = attach_guard_sql(u->p, top, ib, contype), *qi = sql_ident(ib->name);

		rc = run_sql(u, ib->table, NULL, SUB_MULTI,
			     xasprintf("add %s constraint %s to %s, attaching its partitions' (no build)",
				       contype == 'p' ? "primary key" : "unique", ib->name, ib->table),
			     xasprintf("LOCK TABLE %s IN ACCESS EXCLUSIVE MODE;\n%s;\nALTER TABLE %s ADD CONSTRAINT %s %s", top,
				       guard, top, qi, ib->constraint_def),
			     err, errlen);
		free(guard);
		free(qi);
	}
	return rc;
}

enum engine_result
partidx_run(struct engine *e, const struct plan *p, const struct step *s, int index, char *err, size_t errlen)
{
	const struct index_build *ib = s->ib;
	char *top = plan_qualified(p, ib->table), *topidx = plan_qualified(p, ib->name);
	struct sub u = {.e = e, .p = p, .s = s, .index = index, .progress = index};
	enum engine_result rc;
	char k = partidx_relkind(e, top, err, errlen);

	if (!k)
		rc = ENG_FAILED;
	else if (k != 'p')
		rc = runner_run_step(e, p, s, index, false, index + 1, err, errlen);
	else {
		rc = ib->what == IB_ATTACH ? attach(&u, top, err, errlen) : build(&u, top, topidx, err, errlen);
		if (rc == ENG_OK && !state_set_progress(e->conn, p->name, index + 1, err, errlen))
			rc = ENG_FAILED;
		if (rc == ENG_OK)
			engine_log(e, 'I', "%s: %s", s->summary, ib->what == IB_ATTACH ? "attached" : "built on every partition");
	}
	free(top);
	free(topidx);
	return rc;
}

/* ---- the undo ---- */

/* Drops the partitions' indexes saved for the step's index, partitioned
 * levels first (dropping one drops what is attached under it), and
 * forgets them. A partition's index that became its constraint goes with
 * the constraint. */
static enum engine_result
drop_saved(const struct sub *u, char *err, size_t errlen)
{
	struct engine *e = u->e;
	const struct index_build *ib = u->s->ib;
	const char *params[2] = {u->p->name, ib->name};
	PGresult *r = partidx_query(e, partidx_saved_rows_sql, 2, params, err, errlen);
	enum engine_result rc = ENG_OK;

	if (!r)
		return ENG_FAILED;
	for (int i = 0; i < PQntuples(r) && rc == ENG_OK; i++) {
		const char *key = PQgetvalue(r, i, 0), *schema = PQgetvalue(r, i, 1), *table = PQgetvalue(r, i, 2);
		const char *name = PQgetvalue(r, i, 3);
		bool partitioned = PQgetvalue(r, i, 4)[0] == 't';
		char *qidx = sql_qualified(schema, name), *qrel = sql_qualified(schema, table), *qname = sql_ident(name);
		const char *q[1] = {qidx};
		/* 'c' backs a constraint, 'a' is attached under an index that
		 * stays, 'i' an index alone; "" gone already */
		char *what = partidx_value(e,
					   "SELECT CASE WHEN EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid "
					   "  AND k.conrelid = i.indrelid) THEN 'c' "
					   "  WHEN EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) THEN 'a' ELSE 'i' END "
					   "FROM pg_index i WHERE i.indexrelid = pg_catalog.to_regclass($1)",
					   1, q, err, errlen);

		if (!what)
			rc = ENG_FAILED;
		else if (what[0] == 'a')
			engine_log(e, 'W', "index %s of %s is left: it is attached under an index this migration did not build",
				   name, table);
		else if (what[0] == 'c')
			rc = run_sql(u, table, schema, 0, xasprintf("drop constraint %s of partition %s", name, table),
				     xasprintf("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s", qrel, qname), err, errlen);
		else if (what[0] && partitioned)
			rc = run_sql(u, table, schema, 0, xasprintf("drop index %s of %s", name, table),
				     xasprintf("DROP INDEX IF EXISTS %s", qidx), err, errlen);
		else if (what[0])
			rc = run_sql(u, table, schema, SUB_NO_TXN, xasprintf("drop index %s of partition %s", name, table),
				     xasprintf("DROP INDEX CONCURRENTLY IF EXISTS %s", qidx), err, errlen);
		if (rc == ENG_OK) {
			const char *del[2] = {u->p->name, key};

			if (!partidx_command(e, "DELETE FROM pgstep.saved WHERE migration = $1 AND key = $2", 2, del, err, errlen))
				rc = ENG_FAILED;
		}
		free(what);
		free(qidx);
		free(qrel);
		free(qname);
	}
	PQclear(r);
	return rc;
}

/* The partitions' constraints of this migration that no constraint of
 * the table holds (a switch stopped half way), each dropped with its
 * index. */
static enum engine_result
drop_partition_constraints(const struct sub *u, char *err, size_t errlen)
{
	struct engine *e = u->e;
	const char *params[2] = {u->p->name, u->s->ib->name};
	PGresult *r = partidx_query(e, partidx_saved_rows_sql, 2, params, err, errlen);
	enum engine_result rc = ENG_OK;

	if (!r)
		return ENG_FAILED;
	for (int i = 0; i < PQntuples(r) && rc == ENG_OK; i++) {
		const char *schema = PQgetvalue(r, i, 1), *table = PQgetvalue(r, i, 2), *name = PQgetvalue(r, i, 3);
		char *qrel = sql_qualified(schema, table), *qname = sql_ident(name);
		const char *q[2] = {qrel, name};
		char *own = partidx_value(e,
					"SELECT 't' FROM pg_constraint k WHERE k.conrelid = pg_catalog.to_regclass($1) "
					"AND k.conname = $2 AND k.coninhcount = 0",
					2, q, err, errlen);

		if (!own)
			rc = ENG_FAILED;
		else if (own[0])
			rc = run_sql(u, table, schema, 0, xasprintf("drop constraint %s of partition %s", name, table),
				     xasprintf("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s", qrel, qname), err, errlen);
		free(own);
		free(qrel);
		free(qname);
	}
	PQclear(r);
	return rc;
}

/* Whether the index `topidx` of the table is what a build that stopped
 * half way left: INVALID, or holding a partition's index it built. */
static char *
left_by_build(const struct sub *u, const char *topidx, const char *top, char *err, size_t errlen)
{
	const char *params[4] = {topidx, top, u->p->name, u->s->ib->name};

	return partidx_value(u->e,
			     "SELECT NOT i.indisvalid OR EXISTS (SELECT FROM pg_inherits h JOIN pgstep.saved s "
			     "  ON s.migration = $3 AND pg_catalog.starts_with(s.key, 'partidx:') AND s.value::jsonb ->> 'of' = $4 "
			     "  AND h.inhrelid = pg_catalog.to_regclass(pg_catalog.format('%I.%I', s.value::jsonb ->> 'schema', "
			     "                                                            s.value::jsonb ->> 'index')) "
			     "  WHERE h.inhparent = i.indexrelid) "
			     "FROM pg_index i WHERE i.indexrelid = pg_catalog.to_regclass($1) AND i.indrelid = pg_catalog.to_regclass($2)",
			     4, params, err, errlen);
}

enum engine_result
partidx_undo(struct engine *e, const struct plan *p, const struct step *s, int index, bool partial, char *err,
	     size_t errlen)
{
	const struct index_build *ib = s->ib;
	/* the step stays to be undone until the end of its undo */
	struct sub u = {.e = e, .p = p, .s = s, .index = index, .progress = index + 1, .rollback = true};
	char *topidx = plan_qualified(p, ib->name), *top = plan_qualified(p, ib->table);
	enum engine_result rc = ENG_OK;

	if (ib->what == IB_ATTACH) {
		/* the table's constraint takes its partitions' with it */
		rc = runner_run_step(e, p, s, index, true, index + 1, err, errlen);
		if (rc == ENG_OK)
			rc = drop_partition_constraints(&u, err, errlen);
	} else {
		char k = partidx_relkind(e, topidx, err, errlen);
		char *ours = NULL;

		if (!k)
			rc = ENG_FAILED;
		else if (partial && k != '-' && !(ours = left_by_build(&u, topidx, top, err, errlen)))
			rc = ENG_FAILED;
		if (rc == ENG_OK && ours && strcmp(ours, "t") != 0)
			engine_log(e, 'W', "index %s is left as it is: it is not what the failed build of this step left", ib->name);
		else if (rc == ENG_OK && k == 'I')
			/* a partitioned index cannot be dropped CONCURRENTLY; dropping
			 * it is a catalog change, under lock_timeout as any step */
			rc = run_sql(&u, ib->table, NULL, 0,
				     xasprintf("drop partitioned index %s (and its partitions' attached to it)", ib->name),
				     xasprintf("DROP INDEX IF EXISTS %s", topidx), err, errlen);
		else if (rc == ENG_OK && k != '-')
			rc = runner_run_step(e, p, s, index, true, index + 1, err, errlen);
		free(ours);
		if (rc == ENG_OK)
			rc = drop_saved(&u, err, errlen);
	}
	if (rc == ENG_OK && !state_set_progress(e->conn, p->name, index, err, errlen))
		rc = ENG_FAILED;
	free(topidx);
	free(top);
	return rc;
}
