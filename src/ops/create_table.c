/* create_table: a new table with its columns and constraints. It is empty
 * and no application uses it yet, so everything is created at once, with
 * no NOT VALID dance; its rollback drops it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ops/ops.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "column.h"
#include "constraint.h"

/* exclude: {index_method, elements, predicate} */
struct tbl_exclude {
	char *index_method;	/* gist, btree, ...; PostgreSQL's default (btree) when absent */
	char *elements;		/* "room WITH =, during WITH &&", as written */
	char *predicate;
};

struct tbl_constraint {
	char *name;		/* NULL: PostgreSQL names it */
	char *type;		/* check, unique, primary_key, foreign_key, exclude */
	struct strlist columns;
	char *check;
	struct tbl_ref *references;
	struct tbl_exclude *exclude;
	struct index_params *index_parameters;
	bool deferrable;
	bool initially_deferred;
	bool nulls_not_distinct;	/* unique: PostgreSQL 15 */
	bool no_inherit;	/* check */
};

#define EX(m) offsetof(struct tbl_exclude, m)
static const struct field exclude_fields[] = {
	{.key = "index_method", .type = F_STR, .offset = EX(index_method)},
	{.key = "elements", .type = F_STR, .offset = EX(elements), .required = true, .sql = FSQL_EXCLUDE},
	{.key = "predicate", .type = F_STR, .offset = EX(predicate), .sql = FSQL_EXPR},
	FIELD_END
};
#undef EX

static bool
exclude_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct tbl_exclude **out = dst;

	*out = xcalloc(1, sizeof(**out));
	return fields_parse(y, n, exclude_fields, *out, "exclude");
}

static void
exclude_free(void *dst)
{
	struct tbl_exclude **e = dst;

	if (*e) {
		fields_free(exclude_fields, *e);
		free(*e);
		*e = NULL;
	}
}

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

#define TC(m) offsetof(struct tbl_constraint, m)
static const struct field constraint_fields[] = {
	{.key = "name", .type = F_IDENT, .offset = TC(name)},
	{.key = "type", .type = F_STR, .offset = TC(type), .required = true},
	{.key = "columns", .type = F_IDENTLIST, .offset = TC(columns)},
	{.key = "check", .type = F_STR, .offset = TC(check), .sql = FSQL_EXPR},
	{.key = "references", .type = F_CUSTOM, .offset = TC(references), .parse = tbl_ref_parse, .free = tbl_ref_free},
	{.key = "exclude", .type = F_CUSTOM, .offset = TC(exclude), .parse = exclude_parse, .free = exclude_free,
	 .sub = exclude_fields},
	{.key = "index_parameters", .type = F_CUSTOM, .offset = TC(index_parameters), .parse = index_params_parse,
	 .free = index_params_free},
	{.key = "deferrable", .type = F_BOOL, .offset = TC(deferrable)},
	{.key = "initially_deferred", .type = F_BOOL, .offset = TC(initially_deferred)},
	{.key = "nulls_not_distinct", .type = F_BOOL, .offset = TC(nulls_not_distinct)},
	{.key = "no_inherit", .type = F_BOOL, .offset = TC(no_inherit)},
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
	 .parse = column_list_parse, .free = column_list_free, .sub = column_fields},
	{.key = "constraints", .type = F_CUSTOM, .offset = offsetof(struct create_table, constraints),
	 .parse = constraints_parse, .free = constraints_free, .sub = constraint_fields},
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

/* Which keys each type of constraint takes besides name and type, and
 * which it needs. */
static const struct {
	const char *type;
	const char *allowed[8];
	const char *needed;
} constraint_types[] = {
	{"check", {"check", "columns", "no_inherit"}, "check"},
	{"unique", {"columns", "index_parameters", "nulls_not_distinct", "deferrable", "initially_deferred"}, "columns"},
	{"primary_key", {"columns", "index_parameters", "deferrable", "initially_deferred"}, "columns"},
	{"foreign_key", {"columns", "references", "deferrable", "initially_deferred"}, "columns"},
	{"exclude", {"exclude", "index_parameters", "deferrable", "initially_deferred"}, "exclude"},
};

static bool
validate_constraint(struct ydoc *y, yaml_node_t *n, const struct create_table *ct,
		    const struct tbl_constraint *k, int *pks)
{
	size_t t;

	for (t = 0; t < sizeof(constraint_types) / sizeof(constraint_types[0]); t++)
		if (strcmp(k->type, constraint_types[t].type) == 0)
			break;
	if (t == sizeof(constraint_types) / sizeof(constraint_types[0])) {
		ydoc_error(y, ydoc_find(y, n, "type"),
			   "constraint type must be check, unique, primary_key, foreign_key or exclude, not \"%s\"", k->type);
		return false;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *key = ydoc_node(y, p->key);
		const char *kname = (const char *) key->data.scalar.value;
		bool allowed = strcmp(kname, "name") == 0 || strcmp(kname, "type") == 0;

		for (const char *const *a = constraint_types[t].allowed; *a && !allowed; a++)
			allowed = strcmp(*a, kname) == 0;
		if (!allowed) {
			ydoc_error(y, key, "a%s %s constraint cannot have %s", k->type[0] == 'e' ? "n" : "", k->type, kname);
			return false;
		}
	}
	if (!ydoc_find(y, n, constraint_types[t].needed)) {
		ydoc_error(y, n, "a%s %s constraint needs %s", k->type[0] == 'e' ? "n" : "", k->type,
			   strcmp(k->type, "foreign_key") == 0 ? "columns and references: {table, columns}" :
			   strcmp(k->type, "exclude") == 0 ? "exclude: {index_method, elements, predicate}" :
			   strcmp(k->type, "check") == 0 ? "check: the expression" : "columns");
		return false;
	}
	if (k->columns.n && !columns_exist(y, ydoc_find(y, n, "columns"), ct, k, &k->columns))
		return false;
	if (k->index_parameters && !columns_exist(y, ydoc_find(y, ydoc_find(y, n, "index_parameters"), "include_columns"),
						  ct, k, &k->index_parameters->include_columns))
		return false;
	if (strcmp(k->type, "primary_key") == 0 && ++*pks > 1) {
		ydoc_error(y, n, "%s has more than one primary key (pk: true on a column counts as one)", ct->name);
		return false;
	}
	if (k->exclude && k->exclude->index_method) {
		static const char *const methods[] = {"btree", "hash", "gist", "spgist", NULL};
		const char *const *m;

		for (m = methods; *m && strcasecmp(*m, k->exclude->index_method) != 0; m++)
			;
		if (!*m) {
			ydoc_error(y, ydoc_find(y, ydoc_find(y, n, "exclude"), "index_method"),
				   "exclude.index_method must be btree, hash, gist or spgist (the methods that can enforce an exclusion), not \"%s\"",
				   k->exclude->index_method);
			return false;
		}
	}
	if (strcmp(k->type, "foreign_key") == 0) {
		if (!k->references) {
			ydoc_error(y, n, "a foreign_key constraint needs references: {table, columns}");
			return false;
		}
		if (!tbl_ref_check(y, ydoc_find(y, n, "references"), k->references, &k->columns))
			return false;
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
		sb_printf(sb, " DEFAULT (%s)", c->default_);
	if (c->generated && c->generated->identity) {
		sb_printf(sb, " GENERATED %s AS IDENTITY", c->generated->identity);
		if (c->generated->sequence_options)
			sb_printf(sb, " (%s)", c->generated->sequence_options);
	}
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
		char *check = column_check_sql(c->check);

		sb_puts(sb, " ");
		constraint_name(sb, c->check->name);
		sb_puts(sb, check);
		free(check);
	}
}

static void
table_constraint_sql(struct strbuf *sb, const char *schema, const struct tbl_constraint *k)
{
	constraint_name(sb, k->name);
	if (strcmp(k->type, "check") == 0) {
		sb_printf(sb, "CHECK (%s)%s", k->check, k->no_inherit ? " NO INHERIT" : "");
		return;
	}
	if (strcmp(k->type, "exclude") == 0) {
		const struct tbl_exclude *x = k->exclude;

		sb_puts(sb, "EXCLUDE");
		if (x->index_method)
			sb_printf(sb, " USING %s", x->index_method);
		sb_printf(sb, " (%s)", x->elements);
		index_params_sql(sb, k->index_parameters, false);
		if (x->predicate)
			sb_printf(sb, " WHERE (%s)", x->predicate);
	} else {
		sb_puts(sb, strcmp(k->type, "unique") == 0 ? "UNIQUE" :
			strcmp(k->type, "primary_key") == 0 ? "PRIMARY KEY" : "FOREIGN KEY");
		if (k->nulls_not_distinct)
			sb_puts(sb, " NULLS NOT DISTINCT");
		sb_puts(sb, " (");
		ident_list_sql(sb, &k->columns);
		sb_puts(sb, ")");
		if (strcmp(k->type, "foreign_key") == 0)
			tbl_ref_sql(sb, schema, k->references);
		else
			index_params_sql(sb, k->index_parameters, false);
	}
	sb_puts(sb, deferrable_sql(k->deferrable, k->initially_deferred));
}

/* What came with PostgreSQL 15 (compile_requires). */
static void
table_requires(struct compile_ctx *cc, const struct create_table *ct, const struct tbl_constraint *k,
	       const char *field)
{
	char *what = k->name ? xasprintf("%s (of %s)", field, k->name)
		: xasprintf("%s (of a constraint of %s)", field, ct->name);

	compile_requires(cc, 150000, what);
	free(what);
}

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct create_table *ct = data;
	char *qt = plan_qualified(cc->plan, ct->name);
	struct strbuf sb = STRBUF_INIT;
	struct lines lines = {0};
	struct strlist pk = {0};

	for (size_t i = 0; i < ct->columns.n; i++)
		if (ct->columns.v[i].references)
			compile_touches(cc, ct->columns.v[i].references->table);
	for (size_t i = 0; i < ct->constraints.n; i++) {
		const struct tbl_constraint *k = &ct->constraints.v[i];

		if (k->references)
			compile_touches(cc, k->references->table);
		if (k->references && k->references->on_delete_set_columns.n)
			table_requires(cc, ct, k, "on_delete_set_columns");
		if (k->nulls_not_distinct)
			table_requires(cc, ct, k, "nulls_not_distinct");
	}
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
		ident_list_sql(&sb, &pk);
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
		fk = column_fk_sql(plan_schema(cc->plan), c->name, c->references);
		constraint_name(&sb, c->references->name);
		sb_puts(&sb, fk);
		add_line(&lines, &sb);
		free(fk);
	}
	for (size_t i = 0; i < ct->constraints.n; i++) {
		table_constraint_sql(&sb, plan_schema(cc->plan), &ct->constraints.v[i]);
		add_line(&lines, &sb);
	}
	sb_printf(&sb, "CREATE TABLE %s (\n", qt);
	for (size_t i = 0; i < lines.n; i++) {
		sb_printf(&sb, "  %s%s\n", lines.v[i], i + 1 < lines.n ? "," : "");
		free(lines.v[i]);
	}
	free(lines.v);
	sb_puts(&sb, ")");
	emit_plan_sql(cc, PHASE_EXPAND, ct->name, xasprintf("create table %s", ct->name), sb_steal(&sb),
	     xasprintf("DROP TABLE IF EXISTS %s", qt));

	if (ct->comment) {
		char *lit = sql_literal(ct->comment);

		compile_emit(cc, PHASE_EXPAND, ct->name, xasprintf("comment on table %s", ct->name),
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
		compile_emit(cc, PHASE_EXPAND, ct->name, xasprintf("comment on %s.%s", ct->name, c->name),
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
