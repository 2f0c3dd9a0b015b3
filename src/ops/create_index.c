/* create_index: CREATE INDEX CONCURRENTLY, which takes no lock that blocks
 * writes; a failed build's INVALID index is dropped by the runner before a
 * retry. On a partitioned table the step goes partition by partition
 * (partidx.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ops/ops.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "constraint.h"

struct index_column {
	char *column;
	char *collate;
	char *sort;		/* ASC or DESC */
	char *nulls;		/* FIRST or LAST */
	char *opclass;
	char *opclass_params;
};

struct index_columns {
	struct index_column *v;
	size_t n;
};

struct create_index {
	char *name;
	char *table;
	struct index_columns columns;
	bool unique;
	char *method;
	char *predicate;
	char *storage_parameters;
};

/* params: "siglen = 32" or pgroll's list ["siglen = 32"] */
static bool
opclass_params_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	char **out = dst;
	struct strbuf sb = STRBUF_INIT;

	if (n->type != YAML_SEQUENCE_NODE) {
		const char *s = ydoc_scalar(y, n, "opclass.params");

		if (!s || !field_frag_ok(y, n, "opclass.params", FRAG_OPCLASS_PARAMS, s))
			return false;
		*out = xstrdup(s);
		return true;
	}
	if (n->data.sequence.items.top == n->data.sequence.items.start) {
		ydoc_error(y, n, "opclass.params is an empty list: leave it out, or give the parameters");
		return false;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		const char *s = ydoc_scalar(y, ydoc_node(y, *it), "opclass.params");

		if (!s) {
			sb_free(&sb);
			return false;
		}
		sb_printf(&sb, "%s%s", sb.len ? ", " : "", s);
	}
	if (!field_frag_ok(y, n, "opclass.params", FRAG_OPCLASS_PARAMS, sb.buf)) {
		sb_free(&sb);
		return false;
	}
	*out = sb_steal(&sb);
	return true;
}

static const struct field opclass_fields[] = {
	{.key = "name", .type = F_FRAG, .frag = FRAG_OPCLASS, .offset = offsetof(struct index_column, opclass),
	 .required = true},
	{.key = "params", .type = F_CUSTOM, .offset = offsetof(struct index_column, opclass_params),
	 .parse = opclass_params_parse},
	FIELD_END
};

static bool
opclass_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	/* dst is the index_column itself (offset 0), so the nested fields
	 * land beside the others. */
	const char *s;

	if (n->type == YAML_SCALAR_NODE) {
		if (!(s = ydoc_scalar(y, n, "opclass")) || !field_frag_ok(y, n, "opclass", FRAG_OPCLASS, s))
			return false;
		((struct index_column *) dst)->opclass = xstrdup(s);
		return true;
	}
	return fields_parse(y, n, opclass_fields, dst, "opclass");
}

#define IC(m) offsetof(struct index_column, m)
static const struct field column_fields[] = {
	{.key = "column", .type = F_IDENT, .offset = IC(column), .required = true},
	{.key = "collate", .type = F_IDENT, .offset = IC(collate)},
	{.key = "sort", .type = F_STR, .offset = IC(sort)},
	{.key = "nulls", .type = F_STR, .offset = IC(nulls)},
	{.key = "opclass", .type = F_CUSTOM, .offset = 0, .parse = opclass_parse},
	FIELD_END
};
#undef IC

static void
index_column_free(struct index_column *c)
{
	free(c->column);
	free(c->collate);
	free(c->sort);
	free(c->nulls);
	free(c->opclass);
	free(c->opclass_params);
}

static bool
check_column(struct ydoc *y, yaml_node_t *n, struct index_column *c)
{
	bool ok = true;

	if (c->sort && strcasecmp(c->sort, "ASC") != 0 && strcasecmp(c->sort, "DESC") != 0) {
		ydoc_error(y, n, "sort must be ASC or DESC, not \"%s\"", c->sort);
		ok = false;
	}
	if (c->nulls && strcasecmp(c->nulls, "FIRST") != 0 && strcasecmp(c->nulls, "LAST") != 0) {
		ydoc_error(y, n, "nulls must be FIRST or LAST, not \"%s\"", c->nulls);
		ok = false;
	}
	return ok;
}

/* columns: [a, b] | [{column: a, sort: DESC}, ...] | {a: {sort: DESC}, b: {}} */
static bool
columns_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct index_columns *l = dst;
	bool ok = true;
	size_t cnt;

	if (n->type == YAML_SEQUENCE_NODE) {
		cnt = (size_t) (n->data.sequence.items.top - n->data.sequence.items.start);
		l->v = xcalloc(cnt ? cnt : 1, sizeof(*l->v));
		for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			yaml_node_t *e = ydoc_node(y, *it);
			struct index_column *c = &l->v[l->n++];
			const char *s;

			if (e->type == YAML_SCALAR_NODE) {
				if ((s = ydoc_ident(y, e, "create_index.columns")))
					c->column = xstrdup(s);
				else
					ok = false;
			} else if (!fields_parse(y, e, column_fields, c, "index column") || !check_column(y, e, c))
				ok = false;
		}
	} else if (n->type == YAML_MAPPING_NODE) {
		cnt = (size_t) (n->data.mapping.pairs.top - n->data.mapping.pairs.start);
		l->v = xcalloc(cnt ? cnt : 1, sizeof(*l->v));
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = ydoc_node(y, p->key), *v = ydoc_node(y, p->value);
			struct index_column *c = &l->v[l->n++];
			const char *s = ydoc_ident(y, k, "an index column name");

			if (!s) {
				ok = false;
				continue;
			}
			c->column = xstrdup(s);
			if (ydoc_is_null(v))
				continue;
			/* the same fields as the list form, minus column */
			if (v->type != YAML_MAPPING_NODE) {
				ydoc_error(y, v, "index column \"%s\" must map to its options, not %s", s, ydoc_kind(v));
				ok = false;
				continue;
			}
			if (!fields_parse(y, v, column_fields + 1, c, "index column") || !check_column(y, v, c))
				ok = false;
		}
	} else {
		ydoc_error(y, n, "create_index.columns must be a list, not %s", ydoc_kind(n));
		return false;
	}
	if (l->n == 0) {
		ydoc_error(y, n, "create_index.columns is empty");
		ok = false;
	}
	return ok;
}

static void
columns_free(void *dst)
{
	struct index_columns *l = dst;

	for (size_t i = 0; i < l->n; i++)
		index_column_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

#define CI(m) offsetof(struct create_index, m)
static const struct field fields[] = {
	{.key = "name", .type = F_IDENT, .offset = CI(name), .required = true},
	{.key = "table", .type = F_IDENT, .offset = CI(table), .required = true},
	{.key = "columns", .type = F_CUSTOM, .offset = CI(columns), .required = true,
	 .parse = columns_parse, .free = columns_free},
	{.key = "unique", .type = F_BOOL, .offset = CI(unique)},
	{.key = "method", .type = F_STR, .offset = CI(method)},
	{.key = "predicate", .type = F_STR, .offset = CI(predicate), .sql = FSQL_EXPR},
	{.key = "storage_parameters", .type = F_CUSTOM, .offset = CI(storage_parameters),
	 .parse = storage_params_parse, .free = str_field_free},
	FIELD_END
};
#undef CI

static const char *const methods[] = {"btree", "hash", "gist", "spgist", "gin", "brin", NULL};

static bool
validate(struct ydoc *y, yaml_node_t *map, void *data)
{
	struct create_index *ci = data;

	if (ci->method) {
		for (const char *const *m = methods; *m; m++)
			if (strcasecmp(ci->method, *m) == 0)
				return true;
		ydoc_error(y, ydoc_find(y, map, "method"),
			   "method must be btree, hash, gist, spgist, gin or brin, not \"%s\"", ci->method);
		return false;
	}
	return true;
}

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct create_index *ci = data;
	struct strbuf def = STRBUF_INIT;
	char *qi = sql_ident(ci->name), *qt = plan_qualified(cc->plan, ci->table);
	char *qqi = plan_qualified(cc->plan, ci->name);
	struct index_build *ib = xcalloc(1, sizeof(*ib));
	struct step *s;

	if (ci->method)
		sb_printf(&def, "USING %s ", ci->method);
	sb_puts(&def, "(");
	for (size_t i = 0; i < ci->columns.n; i++) {
		const struct index_column *c = &ci->columns.v[i];
		char *qc = sql_ident(c->column);

		sb_printf(&def, "%s%s", i ? ", " : "", qc);
		free(qc);
		if (c->collate) {
			char *q = sql_ident(c->collate);

			sb_printf(&def, " COLLATE %s", q);
			free(q);
		}
		if (c->opclass) {
			sb_printf(&def, " %s", c->opclass);
			if (c->opclass_params)
				sb_printf(&def, " (%s)", c->opclass_params);
		}
		if (c->sort)
			sb_printf(&def, " %s", strcasecmp(c->sort, "DESC") == 0 ? "DESC" : "ASC");
		if (c->nulls)
			sb_printf(&def, " NULLS %s", strcasecmp(c->nulls, "FIRST") == 0 ? "FIRST" : "LAST");
		strlist_add(&ib->keys, c->column);
		strlist_add(&ib->names, c->column);
	}
	sb_puts(&def, ")");
	if (ci->storage_parameters)
		sb_printf(&def, " WITH (%s)", ci->storage_parameters);
	if (ci->predicate)
		sb_printf(&def, " WHERE (%s)", ci->predicate);
	ib->what = IB_BUILD;
	ib->table = xstrdup(ci->table);
	ib->name = xstrdup(ci->name);
	ib->unique = ci->unique;
	ib->def = sb_steal(&def);
	/* the plan's operator classes, collations and predicate */
	s = emit_index(cc, PHASE_EXPAND, xasprintf("create index %s on %s concurrently", ci->name, ci->table),
		       xasprintf("CREATE %sINDEX CONCURRENTLY %s ON %s %s", ci->unique ? "UNIQUE " : "", qi, qt, ib->def),
		       xasprintf("DROP INDEX CONCURRENTLY IF EXISTS %s", qqi), ib);
	s->plan_path = true;
	s->no_txn = s->rollback_no_txn = true;
	free(qi);
	free(qqi);
	free(qt);
}

const struct op_kind op_create_index = {
	.name = "create_index",
	.size = sizeof(struct create_index),
	.fields = fields,
	.validate = validate,
	.compile = compile,
};
