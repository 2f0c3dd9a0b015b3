/* The rules of DDL statements: which lock a table the running
 * application uses, which rewrite it or scan it under a lock, and what
 * each leaves the session knowing (created, renamed, dropped, typed). */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "lint/lint_int.h"
#include "pg/pgparse.h"
#include "pg/safety.h"

/* Created in this phase of this plan, before any trigger could write into
 * it: the running application does not use it yet. */
bool
lint_fresh(const struct stepx *x, int rel)
{
	const struct rel *r;

	if (rel < 0)
		return false;
	r = &x->s->rels[rel];
	return r->created_phase == (int) x->phase && r->trig_gen == x->s->trig_gen;
}

static bool
created_by_plan(const struct stepx *x, int rel)
{
	return rel >= 0 && x->s->rels[rel].created_phase >= 0;
}

const char *
lint_rel_name(const struct stepx *x, int rel)
{
	return rel >= 0 ? x->s->rels[rel].name : "?";
}

/* A statement locks rel (-1: something unknown, such as a DO block). */
void
lint_locks(struct stepx *x, int rel, const char *what)
{
	struct locker *l;

	/* a DO block counts once, as itself */
	if (x->in_do || (rel >= 0 && lint_fresh(x, rel)))
		return;
	x->lockers = xrealloc(x->lockers, (x->nlockers + 1) * sizeof(*x->lockers));
	l = &x->lockers[x->nlockers++];
	l->rel = rel;
	l->existing = rel >= 0 && !created_by_plan(x, rel);
	l->what = xstrdup(rel >= 0 ? lint_rel_name(x, rel) : what ? what : "?");
	l->loc = x->loc;
}

void
lint_needs_no_transaction(struct stepx *x, const char *what, int loc)
{
	if (x->in_do)
		lint_step_report(x, "no-transaction-block", loc,
		       "%s in a DO block, which always runs inside a transaction: it fails every time", what);
	else if (x->in_txn)
		lint_step_report(x, "no-transaction-block", loc,
		       "%s cannot run inside a transaction block, and this step runs in one: it fails every time", what);
	else if (x->nstmts > 1)
		lint_step_report(x, "no-transaction-block", loc,
		       "%s runs with %zu other statements in one step, which makes them one transaction: it fails every time",
		       what, x->nstmts - 1);
}

/* The table of a statement's RangeVar (`key`). */
int
lint_relation_of(struct stepx *x, json_object *body, const char *key)
{
	return lint_rel_get(x->s, jstr(jget(body, key), "relname"));
}

static void
check_json_type(struct stepx *x, json_object *coldef, const char *table, int loc)
{
	json_object *tn = jget(coldef, "typeName");
	const char *name = last_name(jget(tn, "names"));

	if (name && strcmp(name, "json") == 0)
		lint_step_report(x, "prefer-jsonb", jget(tn, "location") ? jint(tn, "location") : loc,
		       "column %s.%s is json: jsonb is almost always what is meant", table,
		       jstr(coldef, "colname") ? jstr(coldef, "colname") : "?");
}

/* The column of CHECK (col IS NOT NULL), or NULL. */
static const char *
not_null_test(json_object *expr)
{
	json_object *nt = node_as(expr, "NullTest");
	json_object *fields = jget(node_as(jget(nt, "arg"), "ColumnRef"), "fields");

	if (!nt || !jis(nt, "nulltesttype", "IS_NOT_NULL") || jlen(fields) != 1)
		return NULL;
	return string_node(jat(fields, 0));
}

static void
on_add_column(struct stepx *x, int rel, json_object *cd, int loc)
{
	const char *table = lint_rel_name(x, rel);
	const char *name = jstr(cd, "colname");
	json_object *tn = jget(cd, "typeName");
	json_object *cons = jget(cd, "constraints");
	const char *type = last_name(jget(tn, "names"));
	int c;

	if (!name)
		return;
	check_json_type(x, cd, table, loc);
	if (!lint_fresh(x, rel)) {
		if (type && safety_is_volatile(safety_type_volatility(type)))
			lint_step_report(x, "add-column-volatile-default", jint(tn, "location"),
			       "ADD COLUMN %s %s to %s: a serial column's default is nextval(), which is volatile, so the whole table is rewritten",
			       name, type, table);
		for (size_t i = 0; i < jlen(cons); i++) {
			json_object *k = node_as(jat(cons, i), "Constraint");
			const char *ct = jstr(k, "contype");
			struct vol_answer va = {.v = VOL_IMMUTABLE};

			if (!ct)
				continue;
			if (strcmp(ct, "CONSTR_DEFAULT") == 0)
				safety_tree_volatility(jget(k, "raw_expr"), &va);
			if (va.v == VOL_VOLATILE)
				lint_step_report(x, "add-column-volatile-default", va.loc >= 0 ? va.loc : loc,
				       "ADD COLUMN %s to %s with a default that calls %s, which is volatile: every row gets its own value, so the whole table is rewritten",
				       name, table, va.what);
			else if (va.v == VOL_UNKNOWN)
				lint_step_report(x, "add-column-volatile-default", va.loc >= 0 ? va.loc : loc,
				       "ADD COLUMN %s to %s with a default that calls %s, which pgstep does not know to be immutable or stable: if it is volatile, every row gets its own value and the whole table is rewritten",
				       name, table, va.what);
			else if (strcmp(ct, "CONSTR_IDENTITY") == 0)
				lint_step_report(x, "add-column-generated", jint(k, "location"),
				       "ADD COLUMN %s to %s as an identity column numbers every row: the whole table is rewritten",
				       name, table);
			else if (strcmp(ct, "CONSTR_GENERATED") == 0)
				lint_step_report(x, "add-column-generated", jint(k, "location"),
				       "ADD COLUMN %s to %s as a stored generated column computes every row: the whole table is rewritten",
				       name, table);
			else if (strcmp(ct, "CONSTR_CHECK") == 0 || strcmp(ct, "CONSTR_FOREIGN") == 0)
				lint_step_report(x, "constraint-without-not-valid", jint(k, "location"),
				       "ADD COLUMN %s to %s with an inline %s, which cannot be NOT VALID: every row is checked under the ADD COLUMN's ACCESS EXCLUSIVE lock",
				       name, table, strcmp(ct, "CONSTR_CHECK") == 0 ? "CHECK" : "REFERENCES");
			else if (strcmp(ct, "CONSTR_UNIQUE") == 0 || strcmp(ct, "CONSTR_PRIMARY") == 0)
				lint_step_report(x, "unique-without-index", jint(k, "location"),
				       "ADD COLUMN %s to %s as %s builds the index under the ADD COLUMN's ACCESS EXCLUSIVE lock",
				       name, table, strcmp(ct, "CONSTR_UNIQUE") == 0 ? "UNIQUE" : "PRIMARY KEY");
		}
	}
	lint_col_forget(x->s, lint_col_find(x->s, rel, name));
	c = lint_col_add(x->s, rel, name, true);
	x->s->cols[c].has_type = true;
	safety_type_read(tn, &x->s->cols[c].type);
}

static void
on_alter_column_type(struct stepx *x, int rel, const char *name, json_object *cd, int loc)
{
	const char *table = lint_rel_name(x, rel);
	json_object *tn = jget(cd, "typeName");
	struct col_type to;
	char tt[96], ft[96];
	int c = lint_col_get(x->s, rel, name);

	check_json_type(x, cd, table, loc);
	safety_type_read(tn, &to);
	safety_type_text(&to, tt, sizeof(tt));
	if (!lint_fresh(x, rel)) {
		struct col *cl = &x->s->cols[c];

		if (jget(cd, "raw_default"))
			lint_step_report(x, "alter-column-type", loc,
			       "ALTER COLUMN %s.%s TYPE %s USING an expression: every row is converted, the table rewritten under an ACCESS EXCLUSIVE lock",
			       table, name, tt);
		else if (cl->has_type && !safety_type_change_is_free(&cl->type, &to)) {
			safety_type_text(&cl->type, ft, sizeof(ft));
			lint_step_report(x, "alter-column-type", loc,
			       "ALTER COLUMN %s.%s TYPE %s (from %s) is not binary-coercible: the table is rewritten under an ACCESS EXCLUSIVE lock",
			       table, name, tt, ft);
		} else if (!cl->has_type)
			lint_step_report(x, "alter-column-type", loc,
			       "ALTER COLUMN %s.%s TYPE %s: the plan does not show its current type, and unless the change is binary-coercible the table is rewritten under an ACCESS EXCLUSIVE lock",
			       table, name, tt);
	}
	x->s->cols[c].has_type = true;
	x->s->cols[c].type = to;
}

static void
on_add_constraint(struct stepx *x, int rel, json_object *k, int loc)
{
	const char *table = lint_rel_name(x, rel);
	const char *ct = jstr(k, "contype");
	const char *name = jstr(k, "conname");
	bool not_valid = jbool(k, "skip_validation");
	bool is_check;

	if (!ct)
		return;
	if ((is_check = strcmp(ct, "CONSTR_CHECK") == 0) || strcmp(ct, "CONSTR_FOREIGN") == 0) {
		if (!not_valid && !lint_fresh(x, rel)) {
			if (is_check)
				lint_step_report(x, "constraint-without-not-valid", loc,
				       "ADD CONSTRAINT %s CHECK on %s without NOT VALID checks every row under an ACCESS EXCLUSIVE lock",
				       name ? name : "", table);
			else
				lint_step_report(x, "constraint-without-not-valid", loc,
				       "ADD CONSTRAINT %s FOREIGN KEY on %s without NOT VALID checks every row while writes to %s and %s wait",
				       name ? name : "", table, table,
				       jstr(jget(k, "pktable"), "relname") ? jstr(jget(k, "pktable"), "relname") : "?");
		}
		if (name) {
			lint_check_add(x->s, rel, name, is_check ? not_null_test(jget(k, "raw_expr")) : NULL, !not_valid);
			if (not_valid) {
				x->not_valid = xrealloc(x->not_valid, (x->nnot_valid + 1) * sizeof(*x->not_valid));
				x->not_valid[x->nnot_valid].rel = rel;
				x->not_valid[x->nnot_valid++].name = xstrdup(name);
			}
		}
	} else if ((strcmp(ct, "CONSTR_UNIQUE") == 0 || strcmp(ct, "CONSTR_PRIMARY") == 0) && !jstr(k, "indexname") &&
		   !lint_fresh(x, rel))
		lint_step_report(x, "unique-without-index", loc,
		       "ADD CONSTRAINT %s %s on %s builds its index under an ACCESS EXCLUSIVE lock", name ? name : "",
		       strcmp(ct, "CONSTR_UNIQUE") == 0 ? "UNIQUE" : "PRIMARY KEY", table);
}

void
lint_on_alter_table(struct stepx *x, json_object *b, int loc)
{
	json_object *cmds = jget(b, "cmds");
	int rel;

	if (jstr(b, "objtype") && !jis(b, "objtype", "OBJECT_TABLE")) {
		/* ALTER INDEX, ALTER VIEW, ALTER SEQUENCE...: a lock, nothing more */
		lint_locks(x, -1, jstr(jget(b, "relation"), "relname") ? jstr(jget(b, "relation"), "relname") : "?");
		return;
	}
	rel = lint_relation_of(x, b, "relation");
	if (rel < 0)
		return;
	lint_locks(x, rel, NULL);
	for (size_t i = 0; i < jlen(cmds); i++) {
		json_object *cmd = node_as(jat(cmds, i), "AlterTableCmd");
		const char *sub = jstr(cmd, "subtype");
		const char *name = jstr(cmd, "name");
		json_object *def = jget(cmd, "def");
		const char *table = lint_rel_name(x, rel);

		if (!sub)
			continue;
		if (strcmp(sub, "AT_AddColumn") == 0)
			on_add_column(x, rel, node_as(def, "ColumnDef"), loc);
		else if (strcmp(sub, "AT_AlterColumnType") == 0 && name)
			on_alter_column_type(x, rel, name, node_as(def, "ColumnDef"), loc);
		else if (strcmp(sub, "AT_SetNotNull") == 0 && name) {
			if (!lint_fresh(x, rel) && !lint_has_valid_not_null_check(x->s, rel, name))
				lint_step_report(x, "set-not-null-without-check", loc,
				       "SET NOT NULL on %s.%s with no valid CHECK (%s IS NOT NULL) before it: the whole table is scanned under an ACCESS EXCLUSIVE lock",
				       table, name, name);
		} else if (strcmp(sub, "AT_AddConstraint") == 0)
			on_add_constraint(x, rel, node_as(def, "Constraint"), loc);
		else if (strcmp(sub, "AT_ValidateConstraint") == 0 && name) {
			int k = lint_check_find(x->s, rel, name);

			for (size_t j = 0; j < x->nnot_valid; j++)
				if (x->not_valid[j].rel == rel && strcmp(x->not_valid[j].name, name) == 0)
					lint_step_report(x, "validate-in-same-step", loc,
					       "VALIDATE CONSTRAINT %s in the step that added it NOT VALID: the scan runs under the ADD CONSTRAINT's lock",
					       name);
			if (k >= 0)
				x->s->checks[k].valid = true;
		} else if (strcmp(sub, "AT_DropConstraint") == 0 && name) {
			int k = lint_check_find(x->s, rel, name);

			if (k >= 0)
				x->s->checks[k].rel = -1;
		} else if (strcmp(sub, "AT_DropColumn") == 0 && name) {
			int c = lint_col_find(x->s, rel, name);

			if (!x->rollback && x->phase != PHASE_CONTRACT && !lint_fresh(x, rel) &&
			    !(c >= 0 && x->s->cols[c].created))
				lint_step_report(x, "drop-before-contract", loc,
				       "DROP COLUMN %s.%s in %s: the application still running reads it, and no rollback can give its data back",
				       table, name, phase_name(x->phase));
			lint_col_forget(x->s, c);
		}
	}
}

void
lint_on_create_table(struct stepx *x, json_object *b)
{
	const char *name = jstr(jget(b, "relation"), "relname");
	json_object *elts = jget(b, "tableElts");
	json_object *parents = jget(b, "inhRelations");
	int rel;

	if (!name)
		return;
	/* CREATE TABLE ... PARTITION OF (or INHERITS) locks the parent */
	for (size_t i = 0; i < jlen(parents); i++)
		lint_locks(x, lint_rel_get(x->s, jstr(node_as(jat(parents, i), "RangeVar"), "relname")), NULL);
	if (jbool(b, "if_not_exists") && lint_rel_find(x->s, name) >= 0)
		return;
	rel = lint_rel_add(x->s, name, (int) x->phase);
	for (size_t i = 0; i < jlen(elts); i++) {
		json_object *cd = node_as(jat(elts, i), "ColumnDef");
		int c;

		if (!cd || !jstr(cd, "colname"))
			continue;
		check_json_type(x, cd, name, 0);
		c = lint_col_add(x->s, rel, jstr(cd, "colname"), true);
		x->s->cols[c].has_type = true;
		safety_type_read(jget(cd, "typeName"), &x->s->cols[c].type);
	}
}

void
lint_on_drop(struct stepx *x, json_object *b, int loc)
{
	const char *type = jstr(b, "removeType");
	json_object *objs = jget(b, "objects");
	bool concurrent = jbool(b, "concurrent");

	if (!type)
		return;
	if (strcmp(type, "OBJECT_INDEX") == 0) {
		if (!concurrent) {
			const char *idx = last_name(list_items(jat(objs, 0)));

			lint_step_report(x, "drop-index-not-concurrently", loc,
			       "DROP INDEX %s without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table",
			       idx ? idx : "");
			lint_locks(x, -1, idx ? idx : "an index");
		}
		return;
	}
	if (strcmp(type, "OBJECT_TABLE") == 0 || strcmp(type, "OBJECT_VIEW") == 0 ||
	    strcmp(type, "OBJECT_MATVIEW") == 0 || strcmp(type, "OBJECT_FOREIGN_TABLE") == 0) {
		for (size_t i = 0; i < jlen(objs); i++) {
			const char *name = last_name(list_items(jat(objs, i)));
			int rel;

			if (!name)
				continue;
			rel = lint_rel_get(x->s, name);
			if (strcmp(type, "OBJECT_TABLE") == 0 && !x->rollback && x->phase != PHASE_CONTRACT &&
			    !created_by_plan(x, rel))
				lint_step_report(x, "drop-before-contract", loc,
				       "DROP TABLE %s in %s: the application still running uses it, and no rollback can give its data back",
				       name, phase_name(x->phase));
			lint_locks(x, rel, NULL);
			x->s->rels[rel].gone = true;
		}
		return;
	}
	if (strcmp(type, "OBJECT_TRIGGER") == 0 || strcmp(type, "OBJECT_RULE") == 0 ||
	    strcmp(type, "OBJECT_POLICY") == 0) {
		/* [table..., name]: the table comes before the last name */
		for (size_t i = 0; i < jlen(objs); i++) {
			json_object *items = list_items(jat(objs, i));
			size_t n = jlen(items);

			if (n >= 2)
				lint_locks(x, lint_rel_get(x->s, string_node(jat(items, n - 2))), NULL);
		}
	}
}

void
lint_on_rename(struct stepx *x, json_object *b, int loc)
{
	const char *type = jstr(b, "renameType");
	const char *to = jstr(b, "newname");
	const char *table = jstr(jget(b, "relation"), "relname");
	int rel;

	if (!type || !to)
		return;
	if (strcmp(type, "OBJECT_TABLE") == 0 || strcmp(type, "OBJECT_VIEW") == 0 ||
	    strcmp(type, "OBJECT_MATVIEW") == 0 || strcmp(type, "OBJECT_FOREIGN_TABLE") == 0) {
		struct renamed *r;

		if ((rel = lint_rel_get(x->s, table)) < 0)
			return;
		lint_locks(x, rel, NULL);
		x->renames = xrealloc(x->renames, (x->nrenames + 1) * sizeof(*x->renames));
		r = &x->renames[x->nrenames++];
		r->column = false;
		r->rel = rel;
		r->from = xstrdup(table);
		r->to = xstrdup(to);
		r->created = created_by_plan(x, rel);
		r->loc = loc;
		lint_rel_rename(x->s, rel, to);
	} else if (strcmp(type, "OBJECT_COLUMN") == 0 && jstr(b, "subname")) {
		const char *from = jstr(b, "subname");
		struct renamed *r;
		int c;

		if ((rel = lint_rel_get(x->s, table)) < 0)
			return;
		lint_locks(x, rel, NULL);
		c = lint_col_get(x->s, rel, from);
		x->renames = xrealloc(x->renames, (x->nrenames + 1) * sizeof(*x->renames));
		r = &x->renames[x->nrenames++];
		r->column = true;
		r->rel = rel;
		r->from = xstrdup(from);
		r->to = xstrdup(to);
		r->created = x->s->cols[c].created || created_by_plan(x, rel);
		r->loc = loc;
		free(x->s->cols[c].name);
		x->s->cols[c].name = xstrdup(to);
		/* constraints that name the column follow it */
		for (size_t i = 0; i < x->s->nchecks; i++) {
			struct check *k = &x->s->checks[i];

			if (k->rel == rel && k->notnull && strcmp(k->notnull, from) == 0) {
				free(k->notnull);
				k->notnull = xstrdup(to);
			}
		}
	} else if (strcmp(type, "OBJECT_TABCONSTRAINT") == 0 && jstr(b, "subname")) {
		int k;

		if ((rel = lint_rel_get(x->s, table)) < 0)
			return;
		lint_locks(x, rel, NULL);
		if ((k = lint_check_find(x->s, rel, jstr(b, "subname"))) >= 0) {
			free(x->s->checks[k].name);
			x->s->checks[k].name = xstrdup(to);
		}
	} else if (table)
		lint_locks(x, strcmp(type, "OBJECT_INDEX") == 0 ? -1 : lint_rel_get(x->s, table), table);
}

/* COMMENT ON TABLE t / COLUMN t.c: a lock on t. */
void
lint_on_comment(struct stepx *x, json_object *b)
{
	json_object *items = list_items(jget(b, "object"));
	size_t n = jlen(items);

	if (jis(b, "objtype", "OBJECT_TABLE") && n >= 1)
		lint_locks(x, lint_rel_get(x->s, string_node(jat(items, n - 1))), NULL);
	else if (jis(b, "objtype", "OBJECT_COLUMN") && n >= 2)
		lint_locks(x, lint_rel_get(x->s, string_node(jat(items, n - 2))), NULL);
}

