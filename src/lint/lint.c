/*
 * Lint: every statement a plan runs, read by PostgreSQL's own parser.
 *
 * The parse tree comes from libpg_query as JSON, read with json-c
 * (pgparse.c, which convert shares). Nothing here parses SQL or JSON by
 * hand.
 *
 * Each rule looks at statements as pgstep compiles and runs them: a step
 * is one transaction (or, with no_txn, a statement outside any), a `multi`
 * step is a group of statements that must commit together (the rename
 * swaps), and what a phase of the same plan created is not yet used by the
 * running application.
 */
#include "config.h"

#include <json-c/json.h>
#include <pg_query.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint/lint.h"
#include "lint/lint_int.h"
#include "plan/op_kind.h"
#include "pg/dollar.h"
#include "pg/pgparse.h"
#include "pg/safety.h"
#include "plan/sql_fields.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

/* PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated. */
#define MAX_IDENT_BYTES 63

/* ---- linting one step ---- */

/* A statement that locks a table the running application may use. */
struct locker {
	int rel;		/* -1: unknown (a DO block, an index) */
	bool existing;		/* there before this plan */
	char *what;
	int loc;
};

struct renamed {
	bool column;
	int rel;
	char *from, *to;
	bool created;		/* by this plan: the application does not use it */
	int loc;
};

struct not_valid {
	int rel;
	char *name;
};

struct stepx {
	struct lint_session *s;
	const struct plan *p;
	const struct op *op;
	const struct step *st;
	struct lint_report *r;
	enum phase phase;
	int num;		/* as pgstep show numbers it */
	bool rollback;
	bool in_txn;		/* it runs inside a transaction block */
	const char *sql;
	size_t nstmts;
	int loc;		/* of the statement being read */
	bool in_do;		/* reading the statements of a DO block */
	const struct field_site *site;	/* the plan's text that is this SQL verbatim */

	struct locker *lockers;
	size_t nlockers;
	struct renamed *renames;
	size_t nrenames;
	struct not_valid *not_valid;
	size_t nnot_valid;
};

static void
stepx_free(struct stepx *x)
{
	for (size_t i = 0; i < x->nlockers; i++)
		free(x->lockers[i].what);
	for (size_t i = 0; i < x->nrenames; i++) {
		free(x->renames[i].from);
		free(x->renames[i].to);
	}
	for (size_t i = 0; i < x->nnot_valid; i++)
		free(x->not_valid[i].name);
	free(x->lockers);
	free(x->renames);
	free(x->not_valid);
}

static bool
ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Where the byte `loc` of the step's SQL was written in the plan: in the
 * plan's own text when the SQL is (or holds, at loc) a scalar of the
 * operation, else at the operation. */
static void
position(const struct stepx *x, int loc, int *line, int *col)
{
	const struct field_site *best = NULL;
	size_t best_off = 0, best_len = 0;
	size_t at = loc > 0 ? (size_t) loc : 0;

	*line = x->op->line;
	*col = x->op->col;
	if (x->site) {
		field_site_pos(x->site, chars_in(x->sql, at), line, col);
		return;
	}
	for (size_t i = 0; i < x->op->sites.n; i++) {
		const struct field_site *s = &x->op->sites.v[i];
		size_t len = strlen(s->text);

		if (len < 2 || len <= best_len || strcmp(s->path, "lint_ignore") == 0)
			continue;
		for (const char *p = strstr(x->sql, s->text); p; p = strstr(p + 1, s->text)) {
			size_t off = (size_t) (p - x->sql);

			if (at < off || at >= off + len)
				continue;
			if ((off > 0 && ident_char(p[-1]) && ident_char(p[0])) ||
			    (ident_char(p[len - 1]) && ident_char(p[len])))
				continue;
			best = s;
			best_off = off;
			best_len = len;
			break;
		}
	}
	if (best)
		field_site_pos(best, chars_in(x->sql + best_off, at - best_off), line, col);
}

static void
report(struct stepx *x, const char *rule, int loc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
report(struct stepx *x, const char *rule, int loc, const char *fmt, ...)
{
	const struct lint_rule *rl = lint_rule_find(rule);
	struct lint_finding *f = lint_finding_new(x->r);
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	f->rule = rl;
	f->file = xstrdup(x->p->path);
	position(x, loc, &f->line, &f->col);
	f->message = sb_steal(&sb);
	f->phase = x->phase;
	f->step = x->num;
	f->rollback = x->rollback;
	f->silenced = rl->silenceable && strlist_contains(&x->op->lint_ignore, rule);
}

/* Created in this phase of this plan, before any trigger could write into
 * it: the running application does not use it yet. */
static bool
fresh(const struct stepx *x, int rel)
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

static const char *
rel_name(const struct stepx *x, int rel)
{
	return rel >= 0 ? x->s->rels[rel].name : "?";
}

/* A statement locks rel (-1: something unknown, such as a DO block). */
static void
locks(struct stepx *x, int rel, const char *what)
{
	struct locker *l;

	/* a DO block counts once, as itself */
	if (x->in_do || (rel >= 0 && fresh(x, rel)))
		return;
	x->lockers = xrealloc(x->lockers, (x->nlockers + 1) * sizeof(*x->lockers));
	l = &x->lockers[x->nlockers++];
	l->rel = rel;
	l->existing = rel >= 0 && !created_by_plan(x, rel);
	l->what = xstrdup(rel >= 0 ? rel_name(x, rel) : what ? what : "?");
	l->loc = x->loc;
}

static void
needs_no_transaction(struct stepx *x, const char *what, int loc)
{
	if (x->in_do)
		report(x, "no-transaction-block", loc,
		       "%s in a DO block, which always runs inside a transaction: it fails every time", what);
	else if (x->in_txn)
		report(x, "no-transaction-block", loc,
		       "%s cannot run inside a transaction block, and this step runs in one: it fails every time", what);
	else if (x->nstmts > 1)
		report(x, "no-transaction-block", loc,
		       "%s runs with %zu other statements in one step, which makes them one transaction: it fails every time",
		       what, x->nstmts - 1);
}

/* The table of a statement's RangeVar (`key`). */
static int
relation_of(struct stepx *x, json_object *body, const char *key)
{
	return lint_rel_get(x->s, jstr(jget(body, key), "relname"));
}

static void
check_json_type(struct stepx *x, json_object *coldef, const char *table, int loc)
{
	json_object *tn = jget(coldef, "typeName");
	const char *name = last_name(jget(tn, "names"));

	if (name && strcmp(name, "json") == 0)
		report(x, "prefer-jsonb", jget(tn, "location") ? jint(tn, "location") : loc,
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
	const char *table = rel_name(x, rel);
	const char *name = jstr(cd, "colname");
	json_object *tn = jget(cd, "typeName");
	json_object *cons = jget(cd, "constraints");
	const char *type = last_name(jget(tn, "names"));
	int c;

	if (!name)
		return;
	check_json_type(x, cd, table, loc);
	if (!fresh(x, rel)) {
		if (type && safety_is_volatile(safety_type_volatility(type)))
			report(x, "add-column-volatile-default", jint(tn, "location"),
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
				report(x, "add-column-volatile-default", va.loc >= 0 ? va.loc : loc,
				       "ADD COLUMN %s to %s with a default that calls %s, which is volatile: every row gets its own value, so the whole table is rewritten",
				       name, table, va.what);
			else if (va.v == VOL_UNKNOWN)
				report(x, "add-column-volatile-default", va.loc >= 0 ? va.loc : loc,
				       "ADD COLUMN %s to %s with a default that calls %s, which pgstep does not know to be immutable or stable: if it is volatile, every row gets its own value and the whole table is rewritten",
				       name, table, va.what);
			else if (strcmp(ct, "CONSTR_IDENTITY") == 0)
				report(x, "add-column-generated", jint(k, "location"),
				       "ADD COLUMN %s to %s as an identity column numbers every row: the whole table is rewritten",
				       name, table);
			else if (strcmp(ct, "CONSTR_GENERATED") == 0)
				report(x, "add-column-generated", jint(k, "location"),
				       "ADD COLUMN %s to %s as a stored generated column computes every row: the whole table is rewritten",
				       name, table);
			else if (strcmp(ct, "CONSTR_CHECK") == 0 || strcmp(ct, "CONSTR_FOREIGN") == 0)
				report(x, "constraint-without-not-valid", jint(k, "location"),
				       "ADD COLUMN %s to %s with an inline %s, which cannot be NOT VALID: every row is checked under the ADD COLUMN's ACCESS EXCLUSIVE lock",
				       name, table, strcmp(ct, "CONSTR_CHECK") == 0 ? "CHECK" : "REFERENCES");
			else if (strcmp(ct, "CONSTR_UNIQUE") == 0 || strcmp(ct, "CONSTR_PRIMARY") == 0)
				report(x, "unique-without-index", jint(k, "location"),
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
	const char *table = rel_name(x, rel);
	json_object *tn = jget(cd, "typeName");
	struct col_type to;
	char tt[96], ft[96];
	int c = lint_col_get(x->s, rel, name);

	check_json_type(x, cd, table, loc);
	safety_type_read(tn, &to);
	safety_type_text(&to, tt, sizeof(tt));
	if (!fresh(x, rel)) {
		struct col *cl = &x->s->cols[c];

		if (jget(cd, "raw_default"))
			report(x, "alter-column-type", loc,
			       "ALTER COLUMN %s.%s TYPE %s USING an expression: every row is converted, the table rewritten under an ACCESS EXCLUSIVE lock",
			       table, name, tt);
		else if (cl->has_type && !safety_type_change_is_free(&cl->type, &to)) {
			safety_type_text(&cl->type, ft, sizeof(ft));
			report(x, "alter-column-type", loc,
			       "ALTER COLUMN %s.%s TYPE %s (from %s) is not binary-coercible: the table is rewritten under an ACCESS EXCLUSIVE lock",
			       table, name, tt, ft);
		} else if (!cl->has_type)
			report(x, "alter-column-type", loc,
			       "ALTER COLUMN %s.%s TYPE %s: the plan does not show its current type, and unless the change is binary-coercible the table is rewritten under an ACCESS EXCLUSIVE lock",
			       table, name, tt);
	}
	x->s->cols[c].has_type = true;
	x->s->cols[c].type = to;
}

static void
on_add_constraint(struct stepx *x, int rel, json_object *k, int loc)
{
	const char *table = rel_name(x, rel);
	const char *ct = jstr(k, "contype");
	const char *name = jstr(k, "conname");
	bool not_valid = jbool(k, "skip_validation");
	bool is_check;

	if (!ct)
		return;
	if ((is_check = strcmp(ct, "CONSTR_CHECK") == 0) || strcmp(ct, "CONSTR_FOREIGN") == 0) {
		if (!not_valid && !fresh(x, rel)) {
			if (is_check)
				report(x, "constraint-without-not-valid", loc,
				       "ADD CONSTRAINT %s CHECK on %s without NOT VALID checks every row under an ACCESS EXCLUSIVE lock",
				       name ? name : "", table);
			else
				report(x, "constraint-without-not-valid", loc,
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
		   !fresh(x, rel))
		report(x, "unique-without-index", loc,
		       "ADD CONSTRAINT %s %s on %s builds its index under an ACCESS EXCLUSIVE lock", name ? name : "",
		       strcmp(ct, "CONSTR_UNIQUE") == 0 ? "UNIQUE" : "PRIMARY KEY", table);
}

static void
on_alter_table(struct stepx *x, json_object *b, int loc)
{
	json_object *cmds = jget(b, "cmds");
	int rel;

	if (jstr(b, "objtype") && !jis(b, "objtype", "OBJECT_TABLE")) {
		/* ALTER INDEX, ALTER VIEW, ALTER SEQUENCE...: a lock, nothing more */
		locks(x, -1, jstr(jget(b, "relation"), "relname") ? jstr(jget(b, "relation"), "relname") : "?");
		return;
	}
	rel = relation_of(x, b, "relation");
	if (rel < 0)
		return;
	locks(x, rel, NULL);
	for (size_t i = 0; i < jlen(cmds); i++) {
		json_object *cmd = node_as(jat(cmds, i), "AlterTableCmd");
		const char *sub = jstr(cmd, "subtype");
		const char *name = jstr(cmd, "name");
		json_object *def = jget(cmd, "def");
		const char *table = rel_name(x, rel);

		if (!sub)
			continue;
		if (strcmp(sub, "AT_AddColumn") == 0)
			on_add_column(x, rel, node_as(def, "ColumnDef"), loc);
		else if (strcmp(sub, "AT_AlterColumnType") == 0 && name)
			on_alter_column_type(x, rel, name, node_as(def, "ColumnDef"), loc);
		else if (strcmp(sub, "AT_SetNotNull") == 0 && name) {
			if (!fresh(x, rel) && !lint_has_valid_not_null_check(x->s, rel, name))
				report(x, "set-not-null-without-check", loc,
				       "SET NOT NULL on %s.%s with no valid CHECK (%s IS NOT NULL) before it: the whole table is scanned under an ACCESS EXCLUSIVE lock",
				       table, name, name);
		} else if (strcmp(sub, "AT_AddConstraint") == 0)
			on_add_constraint(x, rel, node_as(def, "Constraint"), loc);
		else if (strcmp(sub, "AT_ValidateConstraint") == 0 && name) {
			int k = lint_check_find(x->s, rel, name);

			for (size_t j = 0; j < x->nnot_valid; j++)
				if (x->not_valid[j].rel == rel && strcmp(x->not_valid[j].name, name) == 0)
					report(x, "validate-in-same-step", loc,
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

			if (!x->rollback && x->phase != PHASE_CONTRACT && !fresh(x, rel) &&
			    !(c >= 0 && x->s->cols[c].created))
				report(x, "drop-before-contract", loc,
				       "DROP COLUMN %s.%s in %s: the application still running reads it, and no rollback can give its data back",
				       table, name, phase_name(x->phase));
			lint_col_forget(x->s, c);
		}
	}
}

static void
on_create_table(struct stepx *x, json_object *b)
{
	const char *name = jstr(jget(b, "relation"), "relname");
	json_object *elts = jget(b, "tableElts");
	json_object *parents = jget(b, "inhRelations");
	int rel;

	if (!name)
		return;
	/* CREATE TABLE ... PARTITION OF (or INHERITS) locks the parent */
	for (size_t i = 0; i < jlen(parents); i++)
		locks(x, lint_rel_get(x->s, jstr(node_as(jat(parents, i), "RangeVar"), "relname")), NULL);
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

static void
on_drop(struct stepx *x, json_object *b, int loc)
{
	const char *type = jstr(b, "removeType");
	json_object *objs = jget(b, "objects");
	bool concurrent = jbool(b, "concurrent");

	if (!type)
		return;
	if (strcmp(type, "OBJECT_INDEX") == 0) {
		if (!concurrent) {
			const char *idx = last_name(list_items(jat(objs, 0)));

			report(x, "drop-index-not-concurrently", loc,
			       "DROP INDEX %s without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table",
			       idx ? idx : "");
			locks(x, -1, idx ? idx : "an index");
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
				report(x, "drop-before-contract", loc,
				       "DROP TABLE %s in %s: the application still running uses it, and no rollback can give its data back",
				       name, phase_name(x->phase));
			locks(x, rel, NULL);
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
				locks(x, lint_rel_get(x->s, string_node(jat(items, n - 2))), NULL);
		}
	}
}

static void
on_rename(struct stepx *x, json_object *b, int loc)
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
		locks(x, rel, NULL);
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
		locks(x, rel, NULL);
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
		locks(x, rel, NULL);
		if ((k = lint_check_find(x->s, rel, jstr(b, "subname"))) >= 0) {
			free(x->s->checks[k].name);
			x->s->checks[k].name = xstrdup(to);
		}
	} else if (table)
		locks(x, strcmp(type, "OBJECT_INDEX") == 0 ? -1 : lint_rel_get(x->s, table), table);
}

/* COMMENT ON TABLE t / COLUMN t.c: a lock on t. */
static void
on_comment(struct stepx *x, json_object *b)
{
	json_object *items = list_items(jget(b, "object"));
	size_t n = jlen(items);

	if (jis(b, "objtype", "OBJECT_TABLE") && n >= 1)
		locks(x, lint_rel_get(x->s, string_node(jat(items, n - 1))), NULL);
	else if (jis(b, "objtype", "OBJECT_COLUMN") && n >= 2)
		locks(x, lint_rel_get(x->s, string_node(jat(items, n - 2))), NULL);
}

static void lint_stmt(struct stepx *x, json_object *stmt, int loc);
static void walk_identifiers(struct stepx *x, json_object *o, const char *parent, const char *text, int loc,
			     struct strlist *seen, int depth);

/* The SQL statements of a PL/pgSQL tree (not EXECUTE's dynamic ones). */
static void
plpgsql_statements(json_object *o, json_object *out, int depth)
{
	struct json_object_iterator it, end;

	if (!o || depth > 1000)
		return;
	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < jlen(o); i++)
			plpgsql_statements(jat(o, i), out, depth + 1);
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	for (it = json_object_iter_begin(o), end = json_object_iter_end(o); !json_object_iter_equal(&it, &end);
	     json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);
		json_object *v = json_object_iter_peek_value(&it);
		const char *q;

		if (strcmp(key, "PLpgSQL_stmt_execsql") == 0 &&
		    (q = jstr(node_as(jget(v, "sqlstmt"), "PLpgSQL_expr"), "query")))
			json_object_array_add(out, json_object_new_string(q));
		else
			plpgsql_statements(v, out, depth + 1);
	}
}

/*
 * A DO block's statements, which run in the step's transaction: read
 * through libpg_query's PL/pgSQL parser (the block given to it as the
 * body of a function) and linted like the step's own, at the DO's
 * position. A block that PL/pgSQL parser refuses is left to the server:
 * without the catalog it cannot judge every block the server accepts.
 */
static void
lint_do(struct stepx *x, json_object *b, int loc)
{
	json_object *args = jget(b, "args");
	const char *body = NULL, *lang = "plpgsql";
	char *tag, *fn;
	PgQueryPlpgsqlParseResult r;

	for (size_t i = 0; i < jlen(args); i++) {
		json_object *d = node_as(jat(args, i), "DefElem");

		if (jis(d, "defname", "as"))
			body = string_node(jget(d, "arg"));
		else if (jis(d, "defname", "language") && string_node(jget(d, "arg")))
			lang = string_node(jget(d, "arg"));
	}
	if (!body || strcmp(lang, "plpgsql") != 0 || x->in_do)
		return;
	tag = dollar_tag(body, "pgstep_lint");
	fn = xasprintf("CREATE FUNCTION pg_temp.pgstep_lint_do() RETURNS void LANGUAGE plpgsql AS %s%s%s", tag, body, tag);
	r = pg_query_parse_plpgsql(fn);
	if (!r.error && r.plpgsql_funcs) {
		json_tokener *tok = json_tokener_new_ex(PG_JSON_DEPTH);
		json_object *tree = json_tokener_parse_ex(tok, r.plpgsql_funcs, (int) strlen(r.plpgsql_funcs));
		json_object *queries = json_object_new_array();
		bool in_txn = x->in_txn;

		plpgsql_statements(tree, queries, 0);
		x->in_do = true;
		x->in_txn = true;
		for (size_t i = 0; i < jlen(queries); i++) {
			struct parsed ps;

			if (!sql_parse(json_object_get_string(jat(queries, i)), &ps)) {
				parsed_free(&ps);
				continue;
			}
			for (size_t j = 0; j < jlen(ps.stmts); j++) {
				json_object *stmt = jget(jat(ps.stmts, j), "stmt");
				struct strlist seen = {0};

				lint_stmt(x, stmt, loc);
				walk_identifiers(x, stmt, "", json_object_get_string(jat(queries, i)), loc, &seen, 0);
				strlist_free(&seen);
			}
			parsed_free(&ps);
		}
		x->in_do = false;
		x->in_txn = in_txn;
		json_object_put(queries);
		json_object_put(tree);
		json_tokener_free(tok);
	}
	pg_query_free_plpgsql_parse_result(r);
	free(fn);
	free(tag);
}

static void
lint_stmt(struct stepx *x, json_object *stmt, int loc)
{
	json_object *b;
	const char *t = node_type(stmt, &b);
	const char *no_txn;

	if (!t)
		return;
	/* the safety module says what cannot run in a transaction block */
	if ((no_txn = safety_no_txn_statement(stmt)))
		needs_no_transaction(x, no_txn, loc);
	if (strcmp(t, "IndexStmt") == 0) {
		int rel = relation_of(x, b, "relation");
		const char *idx = jstr(b, "idxname");

		if (!jbool(b, "concurrent") && !fresh(x, rel)) {
			report(x, "create-index-not-concurrently", loc,
			       "CREATE INDEX %s%son %s without CONCURRENTLY: writes to %s wait for the whole build",
			       idx ? idx : "", idx ? " " : "", rel_name(x, rel), rel_name(x, rel));
			locks(x, rel, NULL);
		}
	} else if (strcmp(t, "DropStmt") == 0)
		on_drop(x, b, loc);
	else if (strcmp(t, "ReindexStmt") == 0) {
		bool table = jis(b, "kind", "REINDEX_OBJECT_TABLE");
		int rel = table ? relation_of(x, b, "relation") : -1;

		if (!has_option(jget(b, "params"), "concurrently")) {
			report(x, "reindex-not-concurrently", loc, "REINDEX of %s without CONCURRENTLY blocks writes for the whole rebuild",
			       jstr(jget(b, "relation"), "relname") ? jstr(jget(b, "relation"), "relname") :
			       jstr(b, "name") ? jstr(b, "name") : "everything");
			locks(x, rel, "REINDEX");
		}
	} else if (strcmp(t, "VacuumStmt") == 0) {
		json_object *rels = jget(b, "rels");

		if (!jbool(b, "is_vacuumcmd"))
			return;	/* ANALYZE */
		if (has_option(jget(b, "options"), "full")) {
			json_object *rv = jget(node_as(jat(rels, 0), "VacuumRelation"), "relation");

			report(x, "vacuum-full", loc, "VACUUM FULL of %s rewrites it under an ACCESS EXCLUSIVE lock",
			       jstr(rv, "relname") ? jstr(rv, "relname") : "every table");
			for (size_t i = 0; i < jlen(rels); i++)
				locks(x, lint_rel_get(x->s, jstr(jget(node_as(jat(rels, i), "VacuumRelation"), "relation"), "relname")),
				      NULL);
			if (!jlen(rels))
				locks(x, -1, "VACUUM FULL");
		}
	} else if (strcmp(t, "ClusterStmt") == 0) {
		const char *table = jstr(jget(b, "relation"), "relname");

		report(x, "cluster", loc, "CLUSTER %s rewrites it under an ACCESS EXCLUSIVE lock", table ? table : "(every clustered table)");
		locks(x, table ? lint_rel_get(x->s, table) : -1, "CLUSTER");
	} else if (strcmp(t, "AlterTableStmt") == 0)
		on_alter_table(x, b, loc);
	else if (strcmp(t, "CreateStmt") == 0)
		on_create_table(x, b);
	else if (strcmp(t, "ViewStmt") == 0 || strcmp(t, "CreateTableAsStmt") == 0) {
		json_object *rv = strcmp(t, "ViewStmt") == 0 ? jget(b, "view") : jget(jget(b, "into"), "rel");
		const char *name = jstr(rv, "relname");
		int rel;

		if (!name)
			return;
		if (jbool(b, "replace") && (rel = lint_rel_find(x->s, name)) >= 0)
			locks(x, rel, NULL);
		else
			lint_rel_add(x->s, name, (int) x->phase);
	} else if (strcmp(t, "RenameStmt") == 0)
		on_rename(x, b, loc);
	else if (strcmp(t, "CreateTrigStmt") == 0) {
		locks(x, relation_of(x, b, "relation"), NULL);
		/* from now on, writes to that table may reach any other */
		x->s->trig_gen++;
	} else if (strcmp(t, "RuleStmt") == 0 || strcmp(t, "CreatePolicyStmt") == 0 ||
		   strcmp(t, "AlterObjectSchemaStmt") == 0)
		locks(x, relation_of(x, b, strcmp(t, "CreatePolicyStmt") == 0 ? "table" : "relation"), NULL);
	else if (strcmp(t, "CommentStmt") == 0)
		on_comment(x, b);
	else if (strcmp(t, "TruncateStmt") == 0 || strcmp(t, "LockStmt") == 0) {
		json_object *rels = jget(b, "relations");

		for (size_t i = 0; i < jlen(rels); i++)
			locks(x, lint_rel_get(x->s, jstr(node_as(jat(rels, i), "RangeVar"), "relname")), NULL);
	} else if (strcmp(t, "DoStmt") == 0) {
		locks(x, -1, "a DO block");
		lint_do(x, b, loc);
	}
}

/* Identifiers PostgreSQL would truncate. DefElem options (a function's
 * body, a DO block's code) and trigger arguments are text, not names. */
static const char *const ident_keys[] = {
	"relname", "schemaname", "catalogname", "colname", "conname", "idxname", "indexname", "newname",
	"subname", "trigname", "aliasname", "name", NULL,
};

static bool
continues_identifier(unsigned char c)
{
	return ident_char((char) c) || c == '$' || c >= 0x80;
}

/*
 * PostgreSQL's scanner cuts identifiers to 63 bytes (at a character
 * boundary) before the parse tree is built, with only a NOTICE: the tree
 * never holds a longer name. So a name of 60 to 63 bytes in the tree is
 * looked for in the statement's text, where the parser read it: if the
 * text goes on there with more of the name, it was cut.
 */
static void
check_identifier(struct stepx *x, const char *id, const char *text, int loc, struct strlist *seen)
{
	size_t n = id ? strlen(id) : 0;

	if (n < MAX_IDENT_BYTES - 3 || n > MAX_IDENT_BYTES || strlist_contains(seen, id))
		return;
	for (const char *p = text; *p; p++) {
		bool quoted = p > text && p[-1] == '"';
		unsigned char next;

		if (strncasecmp(p, id, n) != 0 || (!quoted && p > text && continues_identifier((unsigned char) p[-1])))
			continue;
		next = (unsigned char) p[n];
		if (quoted ? (next == '"' || next == '\0') : !continues_identifier(next))
			continue;
		seen->v = xrealloc(seen->v, (seen->n + 1) * sizeof(char *));
		seen->v[seen->n++] = xstrdup(id);
		report(x, "identifier-too-long", text == x->sql ? (int) (p - text) : loc,
		       "an identifier longer than 63 bytes, \"%.*s...\": PostgreSQL cuts it to \"%s\"", 24, id, id);
		return;
	}
}

static void
walk_identifiers(struct stepx *x, json_object *o, const char *parent, const char *text, int loc,
		 struct strlist *seen, int depth)
{
	struct json_object_iterator it, end;

	if (!o || depth > 1000)
		return;
	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < jlen(o); i++)
			walk_identifiers(x, jat(o, i), parent, text, loc, seen, depth + 1);
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	for (it = json_object_iter_begin(o), end = json_object_iter_end(o); !json_object_iter_equal(&it, &end);
	     json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);
		json_object *v = json_object_iter_peek_value(&it);

		if (strcmp(key, "DefElem") == 0 || (strcmp(parent, "CreateTrigStmt") == 0 && strcmp(key, "args") == 0))
			continue;
		if (strcmp(key, "String") == 0) {
			check_identifier(x, jstr(v, "sval"), text, loc, seen);
			continue;
		}
		if (json_object_is_type(v, json_type_string)) {
			for (const char *const *k = ident_keys; *k; k++)
				if (strcmp(key, *k) == 0)
					check_identifier(x, json_object_get_string(v), text, loc, seen);
			continue;
		}
		walk_identifiers(x, v, key, text, loc, seen, depth + 1);
	}
}

/* At the end of a step: what its statements add up to. */
static void
end_of_step(struct stepx *x)
{
	/* Renames: an old name the same step gives back (a swap) breaks
	 * nothing, nor does renaming what this plan created. */
	if (!x->rollback && (x->phase == PHASE_EXPAND || x->phase == PHASE_SWITCH)) {
		for (size_t i = 0; i < x->nrenames; i++) {
			const struct renamed *r = &x->renames[i];
			bool back = r->column ? lint_col_find(x->s, r->rel, r->from) >= 0 : lint_rel_find(x->s, r->from) >= 0;

			if (r->created || back)
				continue;
			if (r->column)
				report(x, "rename-before-contract", r->loc,
				       "RENAME COLUMN %s.%s TO %s in %s: the application still running uses %s", rel_name(x, r->rel),
				       r->from, r->to, phase_name(x->phase), r->from);
			else
				report(x, "rename-before-contract", r->loc,
				       "RENAME of table %s to %s in %s: the application still running uses %s", r->from, r->to,
				       phase_name(x->phase), r->from);
		}
	}
	if (x->nlockers >= 2) {
		size_t existing = 0;
		struct strbuf sb = STRBUF_INIT;

		/* A multi step may lock one existing table several times: its
		 * statements must commit together, and the locks stay on that
		 * table (beside what this plan created, which nobody else uses). */
		for (size_t i = 0; i < x->nlockers; i++) {
			bool dup = false;

			if (!x->lockers[i].existing)
				continue;
			for (size_t j = 0; j < i; j++)
				if (x->lockers[j].existing && x->lockers[j].rel == x->lockers[i].rel)
					dup = true;
			if (!dup)
				existing++;
		}
		if (x->st->multi && existing <= 1)
			return;
		for (size_t i = 0; i < x->nlockers; i++) {
			bool dup = false;

			for (size_t j = 0; j < i; j++)
				if (strcmp(x->lockers[j].what, x->lockers[i].what) == 0)
					dup = true;
			if (!dup)
				sb_printf(&sb, "%s%s", sb.len ? ", " : "", x->lockers[i].what);
		}
		report(x, "multiple-ddl-in-step", x->lockers[1].loc,
		       "%zu statements in one step lock %s: each lock is held while the next one is waited for%s", x->nlockers,
		       sb.buf, x->st->multi ? " (a multi step, but on more than one existing table)" : "");
		sb_free(&sb);
	}
}

static int
skip_space(const char *sql, int loc)
{
	while (loc >= 0 && sql[loc] && strchr(" \t\r\n", sql[loc]))
		loc++;
	return loc;
}

static void
lint_sql(struct stepx *x, const char *sql)
{
	struct parsed ps;

	x->sql = sql;
	if (!sql_parse(sql, &ps)) {
		int loc = ps.cursor > 0 ? (int) byte_of_char(sql, (size_t) ps.cursor - 1) : 0;

		report(x, "syntax-error", loc, "%s", ps.error);
		parsed_free(&ps);
		return;
	}
	x->nstmts = jlen(ps.stmts);
	for (size_t i = 0; i < x->nstmts; i++) {
		json_object *raw = jat(ps.stmts, i);
		json_object *stmt = jget(raw, "stmt");
		int loc = skip_space(sql, jint(raw, "stmt_location"));
		struct strlist seen = {0};

		x->loc = loc;
		lint_stmt(x, stmt, loc);
		walk_identifiers(x, stmt, "", sql, loc, &seen, 0);
		strlist_free(&seen);
	}
	end_of_step(x);
	parsed_free(&ps);
}

/* The raw_sql or sql field whose text is the step's SQL, as written. */
static const struct field_site *
statement_site(const struct op *op, const char *sql, bool rollback)
{
	const struct field_site *any = NULL;

	for (size_t i = 0; i < op->sites.n; i++) {
		const struct field_site *s = &op->sites.v[i];
		size_t n = strlen(s->path);
		const char *want = rollback ? "down" : "up";

		if (fields_sql_at(op->kind->fields, s->path) != FSQL_STMTS || strcmp(s->text, sql) != 0)
			continue;
		if (n >= strlen(want) && strcmp(s->path + n - strlen(want), want) == 0)
			return s;
		if (!any)
			any = s;
	}
	return any;
}

void
lint_plan(struct lint_session *s, const struct plan *p, const struct compiled *c, struct lint_report *r)
{
	int num = 0;

	lint_session_begin_plan(s);
	for (int ph = 0; ph < N_PHASES; ph++) {
		for (size_t i = 0; i < c->n[ph]; i++) {
			const struct step *st = &c->steps[ph][i];
			const struct op *op = &p->ops[st->op_index];
			struct stepx x = {
				.s = s, .p = p, .op = op, .st = st, .r = r, .phase = (enum phase) ph,
				.num = ++num, .in_txn = !st->no_txn,
			};

			/* a backfill's SQL is a sketch; its parts were checked at load */
			if (st->kind == STEP_BACKFILL || st->kind == STEP_CARRY || !st->sql)
				continue;
			x.site = statement_site(op, st->sql, false);
			lint_sql(&x, st->sql);
			stepx_free(&x);
			if (st->rollback) {
				/* It runs once the later steps are undone: against what
				 * this step left, and it changes nothing for them. */
				struct lint_session *undo = lint_session_copy(s);
				struct stepx u = {
					.s = undo, .p = p, .op = op, .st = st, .r = r, .phase = (enum phase) ph,
					.num = num, .rollback = true, .in_txn = !st->rollback_no_txn,
				};

				u.site = statement_site(op, st->rollback, true);
				lint_sql(&u, st->rollback);
				stepx_free(&u);
				lint_session_free(undo);
			}
		}
	}
}

size_t
lint_warn(FILE *out, const struct plan *p, const struct compiled *c)
{
	struct lint_session *s = lint_session_new();
	struct lint_report r = {0};
	size_t n = 0;

	lint_plan(s, p, c, &r);
	for (size_t i = 0; i < r.n; i++) {
		if (r.v[i].silenced)
			continue;
		fputs("pgstep: lint: ", out);
		lint_finding_text(out, &r.v[i]);
		n++;
	}
	if (n)
		fprintf(out, "pgstep: lint: %zu finding%s in %s (pgstep lint --list explains each rule); going ahead\n", n,
			n == 1 ? "" : "s", p->path);
	lint_report_free(&r);
	lint_session_free(s);
	return n;
}
