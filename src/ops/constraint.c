#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg/sql.h"
#include "base/xalloc.h"
#include "column.h"
#include "constraint.h"

void
str_field_free(void *dst)
{
	free(*(char **) dst);
	*(char **) dst = NULL;
}

#define R(m) offsetof(struct tbl_ref, m)
static const struct field ref_fields[] = {
	{.key = "table", .type = F_IDENT, .offset = R(table), .required = true},
	{.key = "columns", .type = F_IDENTLIST, .offset = R(columns), .required = true},
	{.key = "on_delete", .type = F_STR, .offset = R(on_delete)},
	{.key = "on_update", .type = F_STR, .offset = R(on_update)},
	{.key = "match_type", .type = F_STR, .offset = R(match_type)},
	{.key = "on_delete_set_columns", .type = F_IDENTLIST, .offset = R(on_delete_set_columns)},
	FIELD_END
};
#undef R

bool
tbl_ref_parse(struct ydoc *y, yaml_node_t *n, void *dst)
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

void
tbl_ref_free(void *dst)
{
	struct tbl_ref **r = dst;

	if (*r) {
		fields_free(ref_fields, *r);
		free(*r);
		*r = NULL;
	}
}

bool
tbl_ref_check(struct ydoc *y, yaml_node_t *n, const struct tbl_ref *r, const struct strlist *columns)
{
	if (r->columns.n != columns->n) {
		ydoc_error(y, ydoc_find(y, n, "columns"), "references.columns names %zu column%s for the constraint's %zu",
			   r->columns.n, r->columns.n == 1 ? "" : "s", columns->n);
		return false;
	}
	if (r->on_delete_set_columns.n == 0)
		return true;
	if (!r->on_delete || (strcasecmp(r->on_delete, "SET NULL") != 0 && strcasecmp(r->on_delete, "SET DEFAULT") != 0)) {
		ydoc_error(y, ydoc_find(y, n, "on_delete_set_columns"),
			   "references.on_delete_set_columns needs on_delete: SET NULL or SET DEFAULT");
		return false;
	}
	if (r->match_type && strcasecmp(r->match_type, "FULL") == 0 && r->on_delete_set_columns.n < columns->n) {
		/* a key partly NULL breaks MATCH FULL: every such delete would fail */
		ydoc_error(y, ydoc_find(y, n, "on_delete_set_columns"),
			   "references.on_delete_set_columns must name every column of a MATCH FULL foreign key (or be left out): setting only some to NULL breaks MATCH FULL, and every delete of a referenced row would fail");
		return false;
	}
	for (size_t i = 0; i < r->on_delete_set_columns.n; i++) {
		if (!strlist_contains(columns, r->on_delete_set_columns.v[i])) {
			ydoc_error(y, ydoc_find(y, n, "on_delete_set_columns"),
				   "references.on_delete_set_columns names \"%s\", which is not one of the constraint's columns",
				   r->on_delete_set_columns.v[i]);
			return false;
		}
	}
	return true;
}

#define IP(m) offsetof(struct index_params, m)
static const struct field index_param_fields[] = {
	{.key = "include_columns", .type = F_IDENTLIST, .offset = IP(include_columns)},
	{.key = "storage_parameters", .type = F_CUSTOM, .offset = IP(storage_parameters), .parse = storage_params_parse,
	 .free = str_field_free},
	{.key = "tablespace", .type = F_IDENT, .offset = IP(tablespace)},
	FIELD_END
};
#undef IP

bool
index_params_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct index_params **out = dst;

	*out = xcalloc(1, sizeof(**out));
	return fields_parse(y, n, index_param_fields, *out, "index_parameters");
}

void
index_params_free(void *dst)
{
	struct index_params **ip = dst;

	if (*ip) {
		fields_free(index_param_fields, *ip);
		free(*ip);
		*ip = NULL;
	}
}

bool
col_exprs_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct col_exprs *m = dst;
	size_t cnt;
	bool ok = true;

	if (n->type != YAML_MAPPING_NODE) {
		ydoc_error(y, n, "must map each column to its SQL expression ({column: expression}), not %s",
			   ydoc_kind(n));
		return false;
	}
	cnt = (size_t) (n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	m->col = xcalloc(cnt ? cnt : 1, sizeof(char *));
	m->expr = xcalloc(cnt ? cnt : 1, sizeof(char *));
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(y, p->key), *v = ydoc_node(y, p->value);
		const char *col = ydoc_ident(y, k, "a column name");
		const char *e = col ? ydoc_scalar(y, v, "a column's expression") : NULL;

		if (!col || !e) {
			ok = false;
			continue;
		}
		for (size_t i = 0; i < m->n; i++) {
			if (strcmp(m->col[i], col) == 0) {
				ydoc_error(y, k, "column \"%s\" is given twice", col);
				ok = false;
			}
		}
		m->col[m->n] = xstrdup(col);
		m->expr[m->n++] = xstrdup(e);
	}
	return ok;
}

void
col_exprs_free(void *dst)
{
	struct col_exprs *m = dst;

	for (size_t i = 0; i < m->n; i++) {
		free(m->col[i]);
		free(m->expr[i]);
	}
	free(m->col);
	free(m->expr);
	memset(m, 0, sizeof(*m));
}

/* storage_parameters: "fillfactor=70" or {fillfactor: 70} */
bool
storage_params_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	char **out = dst;
	struct strbuf sb = STRBUF_INIT;
	const char *s;

	if (n->type == YAML_SCALAR_NODE) {
		if (!(s = ydoc_scalar(y, n, "storage_parameters")) ||
		    !field_frag_ok(y, n, "storage_parameters", FRAG_OPTIONS, s))
			return false;
		*out = xstrdup(s);
		return true;
	}
	if (n->type != YAML_MAPPING_NODE) {
		ydoc_error(y, n, "storage_parameters must be a string or a mapping, not %s", ydoc_kind(n));
		return false;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *k = ydoc_scalar(y, ydoc_node(y, p->key), "a storage parameter");
		const char *v = ydoc_scalar(y, ydoc_node(y, p->value), "a storage parameter's value");

		if (!k || !v) {
			sb_free(&sb);
			return false;
		}
		sb_printf(&sb, "%s%s = %s", sb.len ? ", " : "", k, v);
	}
	/* the list as written out, keys and values together */
	if (!field_frag_ok(y, n, "storage_parameters", FRAG_OPTIONS, sb.buf ? sb.buf : "")) {
		sb_free(&sb);
		return false;
	}
	*out = sb_steal(&sb);
	return true;
}

void
tbl_ref_sql(struct strbuf *sb, const char *schema, const struct tbl_ref *r)
{
	char *qt = sql_qualified(schema, r->table);

	sb_printf(sb, " REFERENCES %s (", qt);
	free(qt);
	ident_list_sql(sb, &r->columns);
	sb_puts(sb, ")");
	ref_actions_sql(sb, r->match_type, r->on_delete, &r->on_delete_set_columns, r->on_update);
}

void
index_params_sql(struct strbuf *sb, const struct index_params *ip, bool for_index)
{
	if (!ip)
		return;
	if (ip->include_columns.n) {
		sb_puts(sb, " INCLUDE (");
		ident_list_sql(sb, &ip->include_columns);
		sb_puts(sb, ")");
	}
	if (ip->storage_parameters)
		sb_printf(sb, " WITH (%s)", ip->storage_parameters);
	if (ip->tablespace) {
		char *q = sql_ident(ip->tablespace);

		sb_printf(sb, "%s %s", for_index ? " TABLESPACE" : " USING INDEX TABLESPACE", q);
		free(q);
	}
}

/* A name that means itself unquoted: PostgreSQL folds other spellings. */
static bool
plain_name(const char *s)
{
	if (!*s || isdigit((unsigned char) *s))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

bool
expr_is_column(const char *expr, const char *column)
{
	size_t len;
	char *q;
	bool same;

	while (isspace((unsigned char) *expr))
		expr++;
	/* pgroll's SELECT form of the same */
	if (strncasecmp(expr, "SELECT", 6) == 0 && isspace((unsigned char) expr[6]))
		return expr_is_column(expr + 7, column);
	len = strlen(expr);
	while (len > 0 && isspace((unsigned char) expr[len - 1]))
		len--;
	if (plain_name(column) && len == strlen(column) && strncmp(expr, column, len) == 0)
		return true;
	q = sql_ident(column);
	same = len == strlen(q) && strncmp(expr, q, len) == 0;
	free(q);
	return same;
}
