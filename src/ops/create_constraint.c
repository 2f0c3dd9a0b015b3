/* create_constraint (pgroll's): a unique, primary key, check or foreign
 * key constraint on a table in use, without long locks. Unique and
 * primary key: a unique index built CONCURRENTLY, attached USING INDEX in
 * switch (a primary key's columns made NOT NULL first, through a validated
 * CHECK). Check and foreign key: added NOT VALID, validated in switch.
 *
 * up {column: expression}: pgroll writes up of every row into a copy of
 * the column; here the column itself takes up, in every row whose value
 * it changes (the backfill) and in every write until contract (a trigger),
 * before the constraint is enforced. Entries that only name their column
 * change nothing. down is read and checked, and needs nothing: in place
 * there is no old copy of the column to write back to. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "column.h"
#include "constraint.h"
#include "helpers.h"

struct create_constraint {
	char *table;
	char *name;
	char *type;		/* unique, primary_key, check, foreign_key */
	struct strlist columns;
	char *check;
	struct tbl_ref *references;
	bool no_inherit;
	struct index_params *index_parameters;
	struct col_exprs up;
	struct col_exprs down;
};

#define CC(m) offsetof(struct create_constraint, m)
static const struct field fields[] = {
	{.key = "table", .type = F_IDENT, .offset = CC(table), .required = true},
	{.key = "name", .type = F_IDENT, .offset = CC(name), .required = true},
	{.key = "type", .type = F_STR, .offset = CC(type), .required = true},
	{.key = "columns", .type = F_IDENTLIST, .offset = CC(columns)},
	{.key = "check", .type = F_STR, .offset = CC(check), .sql = FSQL_EXPR},
	{.key = "references", .type = F_CUSTOM, .offset = CC(references), .parse = tbl_ref_parse, .free = tbl_ref_free},
	{.key = "no_inherit", .type = F_BOOL, .offset = CC(no_inherit)},
	{.key = "index_parameters", .type = F_CUSTOM, .offset = CC(index_parameters), .parse = index_params_parse,
	 .free = index_params_free},
	{.key = "up", .type = F_CUSTOM, .offset = CC(up), .parse = col_exprs_parse, .free = col_exprs_free,
	 .sql_values = FSQL_UPDOWN},
	{.key = "down", .type = F_CUSTOM, .offset = CC(down), .parse = col_exprs_parse, .free = col_exprs_free,
	 .sql_values = FSQL_UPDOWN},
	FIELD_END
};
#undef CC

/* The keys each type takes besides table, name, type, up and down, and
 * the one it needs. */
static const struct {
	const char *type;
	const char *allowed[4];
	const char *needed;
} types[] = {
	{"unique", {"columns", "index_parameters"}, "columns"},
	{"primary_key", {"columns", "index_parameters"}, "columns"},
	{"check", {"columns", "check", "no_inherit"}, "check"},
	{"foreign_key", {"columns", "references"}, "references"},
};

static bool
key_allowed(size_t t, const char *key)
{
	static const char *const common[] = {"table", "name", "type", "up", "down", "lint_ignore", NULL};

	for (const char *const *c = common; *c; c++)
		if (strcmp(*c, key) == 0)
			return true;
	for (const char *const *a = types[t].allowed; *a; a++)
		if (strcmp(*a, key) == 0)
			return true;
	return false;
}

/* up and down name only the constraint's columns. */
static bool
exprs_on_columns(struct ydoc *y, yaml_node_t *map, const struct create_constraint *k, const char *which,
		 const struct col_exprs *m)
{
	for (size_t i = 0; i < m->n; i++) {
		if (!strlist_contains(&k->columns, m->col[i])) {
			ydoc_error(y, ydoc_find(y, map, which),
				   "create_constraint.%s names column \"%s\", which is not among the constraint's columns", which,
				   m->col[i]);
			return false;
		}
	}
	return true;
}

static bool
validate(struct ydoc *y, yaml_node_t *map, void *data)
{
	const struct create_constraint *k = data;
	size_t t;

	for (t = 0; t < sizeof(types) / sizeof(types[0]); t++)
		if (strcmp(k->type, types[t].type) == 0)
			break;
	if (t == sizeof(types) / sizeof(types[0])) {
		ydoc_error(y, ydoc_find(y, map, "type"),
			   "create_constraint.type must be unique, primary_key, check or foreign_key, not \"%s\"", k->type);
		return false;
	}
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *key = ydoc_node(y, p->key);

		if (!key_allowed(t, (const char *) key->data.scalar.value)) {
			ydoc_error(y, key, "a %s constraint cannot have %s", k->type, (const char *) key->data.scalar.value);
			return false;
		}
	}
	if (!ydoc_find(y, map, types[t].needed)) {
		ydoc_error(y, map, "a %s constraint needs %s", k->type,
			   strcmp(k->type, "check") == 0 ? "check: the expression" :
			   strcmp(k->type, "foreign_key") == 0 ? "references: {table, columns}" : "columns");
		return false;
	}
	if (strcmp(k->type, "check") != 0 && k->columns.n == 0) {
		ydoc_error(y, map, "a %s constraint needs columns", k->type);
		return false;
	}
	if (k->references && !tbl_ref_check(y, ydoc_find(y, map, "references"), k->references, &k->columns))
		return false;
	return exprs_on_columns(y, map, k, "up", &k->up) && exprs_on_columns(y, map, k, "down", &k->down);
}

/* The columns up changes: those whose expression is more than their name. */
struct rewrite {
	char *set;		/* "a" = (x), "b" = (y) */
	char *changed;		/* the row's value differs from up's */
	char *body;		/* the trigger's PL/pgSQL */
	size_t n;
};

static void
rewrite_build(const struct create_constraint *k, struct rewrite *rw)
{
	struct strbuf set = STRBUF_INIT, cols = STRBUF_INIT, vals = STRBUF_INIT, into = STRBUF_INIT;

	memset(rw, 0, sizeof(*rw));
	for (size_t i = 0; i < k->up.n; i++) {
		char *qc;

		if (expr_is_column(k->up.expr[i], k->up.col[i]))
			continue;
		qc = sql_ident(k->up.col[i]);
		sb_printf(&set, "%s%s = (%s)", rw->n ? ", " : "", qc, k->up.expr[i]);
		sb_printf(&cols, "%s%s", rw->n ? ", " : "", qc);
		sb_printf(&vals, "%s(%s)", rw->n ? ", " : "", k->up.expr[i]);
		sb_printf(&into, "%sNEW.%s", rw->n ? ", " : "", qc);
		rw->n++;
		free(qc);
	}
	if (rw->n == 0) {
		sb_free(&set);
		sb_free(&cols);
		sb_free(&vals);
		sb_free(&into);
		return;
	}
	rw->set = sb_steal(&set);
	rw->changed = rw->n == 1 ? xasprintf("%s IS DISTINCT FROM %s", cols.buf, vals.buf)
		: xasprintf("ROW(%s) IS DISTINCT FROM ROW(%s)", cols.buf, vals.buf);
	/* Every expression sees the row as written, before any of them is
	 * assigned: one SELECT ... INTO. */
	rw->body = xasprintf("  SELECT %s INTO %s FROM (SELECT NEW.*) AS _pgstep_row;\n", vals.buf, into.buf);
	sb_free(&cols);
	sb_free(&vals);
	sb_free(&into);
}

static void
rewrite_free(struct rewrite *rw)
{
	free(rw->set);
	free(rw->changed);
	free(rw->body);
}

/* Fails the expand, before anything changed, when the table has a
 * constraint of that name or a primary key already (the index's name is
 * checked where it is built: emit_index_constraint). */
static char *
guard_sql(const struct compile_ctx *cc, const struct create_constraint *k)
{
	char *t = plan_qualified(cc->plan, k->table), *rel = sql_literal(t), *lname = sql_literal(k->name);
	struct strbuf body = STRBUF_INIT;
	char *sql;

	sb_printf(&body,
		  "\nBEGIN\n"
		  "  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s) THEN\n"
		  "    RAISE EXCEPTION 'table %% already has a constraint named %%', %s::regclass, %s;\n"
		  "  END IF;\n",
		  rel, lname, rel, lname);
	if (strcmp(k->type, "primary_key") == 0)
		sb_printf(&body,
			  "  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p') THEN\n"
			  "    RAISE EXCEPTION 'table %% has a primary key already', %s::regclass;\n"
			  "  END IF;\n",
			  rel, rel);
	sb_puts(&body, "END\n");
	sql = do_block(body.buf);
	sb_free(&body);
	free(t);
	free(rel);
	free(lname);
	return sql;
}

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct create_constraint *k = data;
	struct rewrite rw;
	enum phase add_in;
	struct strbuf sb = STRBUF_INIT;

	rewrite_build(k, &rw);
	compile_emit(cc, PHASE_EXPAND, k->table, xasprintf("check that %s can be created on %s", k->name, k->table),
	     guard_sql(cc, k), NULL);
	if (rw.n) {
		char *name = sql_helper_name(k->table, k->name, "up");
		struct strbuf bad = STRBUF_INIT;

		emit_sync_trigger(cc, PHASE_EXPAND, PHASE_CONTRACT, k->table, name, "INSERT OR UPDATE", rw.body,
				  "rewrites writes through up");
		free(name);
		/* rows the constraint would still refuse are counted and listed */
		if (strcmp(k->type, "check") == 0)
			sb_printf(&bad, "NOT (%s)", k->check);
		else if (strcmp(k->type, "primary_key") == 0)
			for (size_t i = 0; i < k->columns.n; i++) {
				char *qc = sql_ident(k->columns.v[i]);

				sb_printf(&bad, "%s%s IS NULL", i ? " OR " : "", qc);
				free(qc);
			}
		emit_backfill(cc, xasprintf("backfill %s through up for constraint %s", k->table, k->name),
			      (struct backfill) {
				      .table = xstrdup(k->table),
				      .set_sql = xstrdup(rw.set),
				      .where_sql = xstrdup(rw.changed),
				      .unconverted_sql = bad.len ? sb_steal(&bad) : NULL,
			      });
		sb_free(&bad);
	}
	/* With up, the constraint waits for the backfill to have rewritten
	 * every row (see emit_constraint_not_valid). */
	add_in = rw.n ? PHASE_SWITCH : PHASE_EXPAND;

	if (strcmp(k->type, "check") == 0) {
		sb_printf(&sb, "CHECK (%s)%s", k->check, k->no_inherit ? " NO INHERIT" : "");
		emit_constraint_not_valid(cc, add_in, k->table, k->name, "check", sb.buf);
	} else if (strcmp(k->type, "foreign_key") == 0) {
		if (k->references->on_delete_set_columns.n) {
			char *what = xasprintf("on_delete_set_columns (of %s)", k->name);

			compile_requires(cc, 150000, what);
			free(what);
		}
		sb_puts(&sb, "FOREIGN KEY (");
		ident_list_sql(&sb, &k->columns);
		sb_puts(&sb, ")");
		tbl_ref_sql(&sb, plan_schema(cc->plan), k->references);
		emit_foreign_key_not_valid(cc, add_in, k->table, k->name, sb.buf, k->references->table);
	} else {
		bool pk = strcmp(k->type, "primary_key") == 0;

		/* A primary key needs NOT NULL columns: SET NOT NULL through a
		 * validated CHECK, so USING INDEX then scans nothing. */
		for (size_t i = 0; pk && i < k->columns.n; i++) {
			char *cn = sql_helper_name(k->table, k->columns.v[i], "notnull");

			emit_not_null_via_check(cc, PHASE_SWITCH, k->table, k->columns.v[i], cn);
			free(cn);
		}
		emit_index_constraint(cc, add_in, k->table, k->name, pk ? "PRIMARY KEY" : "UNIQUE", &k->columns,
				      k->index_parameters, "");
	}
	sb_free(&sb);
	rewrite_free(&rw);
}

const struct op_kind op_create_constraint = {
	.name = "create_constraint",
	.size = sizeof(struct create_constraint),
	.fields = fields,
	.validate = validate,
	.compile = compile,
};
