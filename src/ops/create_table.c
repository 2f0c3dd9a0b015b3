/* create_table: a new table with its columns and constraints. It is empty
 * and no application uses it yet, so everything is created at once, with
 * no NOT VALID dance; its rollback drops it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../ops.h"
#include "../sql.h"
#include "../strbuf.h"
#include "../xalloc.h"
#include "column.h"

struct tbl_ref {
	char *table;
	struct strlist columns;
	char *on_delete;
	char *on_update;
	char *match_type;
};

struct tbl_constraint {
	char *name;		/* NULL: PostgreSQL names it */
	char *type;		/* check, unique, primary_key, foreign_key */
	struct strlist columns;
	char *check;
	struct tbl_ref *references;
	bool deferrable;
	bool initially_deferred;
};

struct constraint_list {
	struct tbl_constraint *v;
	size_t n;
};

struct create_table {
	char *name;
	struct column_list columns;
	struct constraint_list constraints;
	char *comment;
};

static const struct field ref_fields[] = {
	{.key = "table", .type = F_IDENT, .offset = offsetof(struct tbl_ref, table), .required = true},
	{.key = "columns", .type = F_IDENTLIST, .offset = offsetof(struct tbl_ref, columns), .required = true},
	{.key = "on_delete", .type = F_STR, .offset = offsetof(struct tbl_ref, on_delete)},
	{.key = "on_update", .type = F_STR, .offset = offsetof(struct tbl_ref, on_update)},
	{.key = "match_type", .type = F_STR, .offset = offsetof(struct tbl_ref, match_type)},
	FIELD_END
};

static bool
ref_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct tbl_ref **out = dst;
	struct col_ref actions;

	*out = xcalloc(1, sizeof(**out));
	if (!fields_parse(y, n, ref_fields, *out, "references"))
		return false;
	/* the same actions and match types as a column's references */
	memset(&actions, 0, sizeof(actions));
	actions.on_delete = (*out)->on_delete;
	actions.on_update = (*out)->on_update;
	actions.match_type = (*out)->match_type;
	return col_ref_validate(y, n, &actions);
}

static void
ref_free(void *dst)
{
	struct tbl_ref **r = dst;

	if (*r) {
		fields_free(ref_fields, *r);
		free(*r);
		*r = NULL;
	}
}

#define TC(m) offsetof(struct tbl_constraint, m)
static const struct field constraint_fields[] = {
	{.key = "name", .type = F_IDENT, .offset = TC(name)},
	{.key = "type", .type = F_STR, .offset = TC(type), .required = true},
	{.key = "columns", .type = F_IDENTLIST, .offset = TC(columns)},
	{.key = "check", .type = F_STR, .offset = TC(check)},
	{.key = "references", .type = F_CUSTOM, .offset = TC(references), .parse = ref_parse, .free = ref_free},
	{.key = "deferrable", .type = F_BOOL, .offset = TC(deferrable)},
	{.key = "initially_deferred", .type = F_BOOL, .offset = TC(initially_deferred)},
	FIELD_END
};
#undef TC

static bool
constraints_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct constraint_list *l = dst;
	bool ok = true;

	if (n->type != YAML_SEQUENCE_NODE) {
		ydoc_error(y, n, "constraints must be a list of constraints, not %s", ydoc_kind(n));
		return false;
	}
	size_t cnt = (size_t) (n->data.sequence.items.top - n->data.sequence.items.start);

	l->v = xcalloc(cnt ? cnt : 1, sizeof(*l->v));
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
		if (!fields_parse(y, ydoc_node(y, *it), constraint_fields, &l->v[l->n++], "constraint"))
			ok = false;
	return ok;
}

static void
constraints_free(void *dst)
{
	struct constraint_list *l = dst;

	for (size_t i = 0; i < l->n; i++)
		fields_free(constraint_fields, &l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static const struct field fields[] = {
	{.key = "name", .type = F_IDENT, .offset = offsetof(struct create_table, name), .required = true},
	{.key = "columns", .type = F_CUSTOM, .offset = offsetof(struct create_table, columns), .required = true,
	 .parse = column_list_parse, .free = column_list_free},
	{.key = "constraints", .type = F_CUSTOM, .offset = offsetof(struct create_table, constraints),
	 .parse = constraints_parse, .free = constraints_free},
	{.key = "comment", .type = F_STR, .offset = offsetof(struct create_table, comment)},
	FIELD_END
};

static yaml_node_t *
item(struct ydoc *y, yaml_node_t *seq, size_t i)
{
	return ydoc_node(y, seq->data.sequence.items.start[i]);
}

static bool
has_column(const struct create_table *ct, const char *name)
{
	for (size_t i = 0; i < ct->columns.n; i++)
		if (strcmp(ct->columns.v[i].name, name) == 0)
			return true;
	return false;
}

/* Every name in `cols` is a column of the new table; reports at the list. */
static bool
columns_exist(struct ydoc *y, yaml_node_t *at, const struct create_table *ct, const struct tbl_constraint *k,
	      const struct strlist *cols)
{
	for (size_t i = 0; i < cols->n; i++) {
		if (!has_column(ct, cols->v[i])) {
			ydoc_error(y, at, "constraint%s%s%s names column \"%s\", which %s does not have",
				   k->name ? " \"" : "", k->name ? k->name : "", k->name ? "\"" : "", cols->v[i],
				   ct->name);
			return false;
		}
	}
	return true;
}

static const char *const constraint_types[] = {"check", "unique", "primary_key", "foreign_key", NULL};

static bool
validate_constraint(struct ydoc *y, yaml_node_t *n, const struct create_table *ct,
		    const struct tbl_constraint *k, int *pks)
{
	const char *const *t;

	for (t = constraint_types; *t; t++)
		if (strcmp(k->type, *t) == 0)
			break;
	if (!*t) {
		ydoc_error(y, ydoc_find(y, n, "type"),
			   "constraint type must be check, unique, primary_key or foreign_key, not \"%s\"", k->type);
		return false;
	}
	if (strcmp(k->type, "check") == 0) {
		if (!k->check) {
			ydoc_error(y, n, "a check constraint needs check: the expression");
			return false;
		}
		/* PostgreSQL: only unique, primary key and foreign key constraints can be deferred */
		if (k->deferrable || k->initially_deferred) {
			ydoc_error(y, ydoc_find(y, n, k->deferrable ? "deferrable" : "initially_deferred"),
				   "a check constraint cannot be deferrable");
			return false;
		}
		return true;
	}
	if (k->columns.n == 0) {
		ydoc_error(y, n, "a %s constraint needs columns", k->type);
		return false;
	}
	if (!columns_exist(y, ydoc_find(y, n, "columns"), ct, k, &k->columns))
		return false;
	if (strcmp(k->type, "primary_key") == 0 && ++*pks > 1) {
		ydoc_error(y, n, "%s has more than one primary key (pk: true on a column counts as one)", ct->name);
		return false;
	}
	if (strcmp(k->type, "foreign_key") == 0) {
		yaml_node_t *r = ydoc_find(y, n, "references");

		if (!k->references) {
			ydoc_error(y, n, "a foreign_key constraint needs references: {table, columns}");
			return false;
		}
		if (k->references->columns.n != k->columns.n) {
			ydoc_error(y, ydoc_find(y, r, "columns"),
				   "references.columns names %zu column%s for the constraint's %zu",
				   k->references->columns.n, k->references->columns.n == 1 ? "" : "s", k->columns.n);
			return false;
		}
	}
	return true;
}

static bool
validate(struct ydoc *y, yaml_node_t *map, void *data)
{
	const struct create_table *ct = data;
	yaml_node_t *cols = ydoc_find(y, map, "columns");
	yaml_node_t *cons = ydoc_find(y, map, "constraints");
	int pks = 0;
	bool ok = true;

	for (size_t i = 0; i < ct->columns.n; i++) {
		const struct column_def *c = &ct->columns.v[i];
		yaml_node_t *n = item(y, cols, i);

		if (c->pk && c->has_nullable && c->nullable) {
			ydoc_error(y, ydoc_find(y, n, "nullable"), "column \"%s\" is a primary key column and cannot be nullable",
				   c->name);
			ok = false;
		}
		if (c->generated && c->has_default) {
			ydoc_error(y, ydoc_find(y, n, "default"), "column \"%s\" is generated and cannot also have a default",
				   c->name);
			ok = false;
		}
		if (c->pk && pks == 0)
			pks = 1;
	}
	for (size_t i = 0; i < ct->constraints.n; i++) {
		const struct tbl_constraint *k = &ct->constraints.v[i];
		yaml_node_t *n = item(y, cons, i);

		if (!validate_constraint(y, n, ct, k, &pks))
			ok = false;
		for (size_t j = 0; j < i && k->name; j++) {
			if (ct->constraints.v[j].name && strcmp(ct->constraints.v[j].name, k->name) == 0) {
				ydoc_error(y, ydoc_find(y, n, "name"), "duplicate constraint \"%s\"", k->name);
				ok = false;
			}
		}
	}
	return ok;
}

static void
ident_list(struct strbuf *sb, const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		char *q = sql_ident(l->v[i]);

		sb_printf(sb, "%s%s", i ? ", " : "", q);
		free(q);
	}
}

static void
constraint_name(struct strbuf *sb, const char *name)
{
	if (name) {
		char *q = sql_ident(name);

		sb_printf(sb, "CONSTRAINT %s ", q);
		free(q);
	}
}

/* The lines of CREATE TABLE's body, joined with commas at the end. */
struct lines {
	char **v;
	size_t n;
};

static void
add_line(struct lines *l, struct strbuf *sb)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(char *));
	l->v[l->n++] = sb_steal(sb);
}

static void
column_sql(struct strbuf *sb, const struct column_def *c, bool inline_pk)
{
	char *qc = sql_ident(c->name);

	sb_printf(sb, "%s %s", qc, c->type);
	free(qc);
	if (c->has_default && c->default_)
		sb_printf(sb, " DEFAULT %s", c->default_);
	if (c->generated && c->generated->identity)
		sb_printf(sb, " GENERATED %s AS IDENTITY", c->generated->identity);
	if (c->generated && c->generated->expression)
		sb_printf(sb, " GENERATED ALWAYS AS (%s) STORED", c->generated->expression);
	/* a primary key is NOT NULL already */
	if (!column_nullable(c) && !c->pk)
		sb_puts(sb, " NOT NULL");
	if (inline_pk)
		sb_puts(sb, " PRIMARY KEY");
	if (c->unique)
		sb_puts(sb, " UNIQUE");
	if (c->check) {
		sb_puts(sb, " ");
		constraint_name(sb, c->check->name);
		sb_printf(sb, "CHECK (%s)", c->check->constraint);
	}
}

static void
table_constraint_sql(struct strbuf *sb, const struct tbl_constraint *k)
{
	constraint_name(sb, k->name);
	if (strcmp(k->type, "check") == 0) {
		sb_printf(sb, "CHECK (%s)", k->check);
		return;
	}
	sb_puts(sb, strcmp(k->type, "unique") == 0 ? "UNIQUE (" :
		strcmp(k->type, "primary_key") == 0 ? "PRIMARY KEY (" : "FOREIGN KEY (");
	ident_list(sb, &k->columns);
	sb_puts(sb, ")");
	if (strcmp(k->type, "foreign_key") == 0) {
		const struct tbl_ref *r = k->references;
		char *qt = sql_ident(r->table);

		sb_printf(sb, " REFERENCES %s (", qt);
		free(qt);
		ident_list(sb, &r->columns);
		sb_puts(sb, ")");
		if (r->match_type)
			sb_printf(sb, " MATCH %s", strcasecmp(r->match_type, "FULL") == 0 ? "FULL" : "SIMPLE");
		if (r->on_delete)
			sb_printf(sb, " ON DELETE %s", r->on_delete);
		if (r->on_update)
			sb_printf(sb, " ON UPDATE %s", r->on_update);
	}
	/* INITIALLY DEFERRED implies DEFERRABLE */
	if (k->deferrable || k->initially_deferred)
		sb_puts(sb, " DEFERRABLE");
	if (k->initially_deferred)
		sb_puts(sb, " INITIALLY DEFERRED");
}

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct create_table *ct = data;
	char *qt = sql_ident(ct->name);
	struct strbuf sb = STRBUF_INIT;
	struct lines lines = {0};
	struct strlist pk = {0};

	pk.v = xcalloc(ct->columns.n, sizeof(char *));
	for (size_t i = 0; i < ct->columns.n; i++)
		if (ct->columns.v[i].pk)
			pk.v[pk.n++] = ct->columns.v[i].name;
	for (size_t i = 0; i < ct->columns.n; i++) {
		const struct column_def *c = &ct->columns.v[i];

		column_sql(&sb, c, c->pk && pk.n == 1);
		add_line(&lines, &sb);
	}
	/* several pk columns make one composite key */
	if (pk.n > 1) {
		sb_puts(&sb, "PRIMARY KEY (");
		ident_list(&sb, &pk);
		sb_puts(&sb, ")");
		add_line(&lines, &sb);
	}
	free(pk.v);
	/* a column's foreign key, written as a table constraint */
	for (size_t i = 0; i < ct->columns.n; i++) {
		const struct column_def *c = &ct->columns.v[i];
		char *fk;

		if (!c->references)
			continue;
		fk = column_fk_sql(c->name, c->references);
		constraint_name(&sb, c->references->name);
		sb_puts(&sb, fk);
		add_line(&lines, &sb);
		free(fk);
	}
	for (size_t i = 0; i < ct->constraints.n; i++) {
		table_constraint_sql(&sb, &ct->constraints.v[i]);
		add_line(&lines, &sb);
	}
	sb_printf(&sb, "CREATE TABLE %s (\n", qt);
	for (size_t i = 0; i < lines.n; i++) {
		sb_printf(&sb, "  %s%s\n", lines.v[i], i + 1 < lines.n ? "," : "");
		free(lines.v[i]);
	}
	free(lines.v);
	sb_puts(&sb, ")");
	emit(cc, PHASE_EXPAND, ct->name, xasprintf("create table %s", ct->name), sb_steal(&sb),
	     xasprintf("DROP TABLE IF EXISTS %s", qt));

	if (ct->comment) {
		char *lit = sql_literal(ct->comment);

		emit(cc, PHASE_EXPAND, ct->name, xasprintf("comment on table %s", ct->name),
		     xasprintf("COMMENT ON TABLE %s IS %s", qt, lit), xasprintf("COMMENT ON TABLE %s IS NULL", qt));
		free(lit);
	}
	for (size_t i = 0; i < ct->columns.n; i++) {
		const struct column_def *c = &ct->columns.v[i];
		char *lit, *qc;

		if (!c->comment)
			continue;
		lit = sql_literal(c->comment);
		qc = sql_ident(c->name);
		emit(cc, PHASE_EXPAND, ct->name, xasprintf("comment on %s.%s", ct->name, c->name),
		     xasprintf("COMMENT ON COLUMN %s.%s IS %s", qt, qc, lit),
		     xasprintf("COMMENT ON COLUMN %s.%s IS NULL", qt, qc));
		free(lit);
		free(qc);
	}
	free(qt);
}

const struct op_kind op_create_table = {
	.name = "create_table",
	.size = sizeof(struct create_table),
	.fields = fields,
	.validate = validate,
	.compile = compile,
};
