#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg/sql.h"
#include "base/xalloc.h"
#include "column.h"

const struct field col_check_fields[] = {
	{.key = "name", .type = F_IDENT, .offset = offsetof(struct col_check, name)},
	{.key = "constraint", .type = F_STR, .offset = offsetof(struct col_check, constraint), .required = true,
	 .sql = FSQL_EXPR},
	{.key = "no_inherit", .type = F_BOOL, .offset = offsetof(struct col_check, no_inherit)},
	FIELD_END
};

/* check: "expr" or check: {name, constraint} */
static bool
check_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct col_check **out = dst;
	const char *s;

	*out = xcalloc(1, sizeof(**out));
	if (n->type == YAML_SCALAR_NODE) {
		if (!(s = ydoc_scalar(y, n, "check")))
			return false;
		(*out)->constraint = xstrdup(s);
		return true;
	}
	return fields_parse(y, n, col_check_fields, *out, "check");
}

static void
check_free(void *dst)
{
	struct col_check **c = dst;

	if (*c) {
		fields_free(col_check_fields, *c);
		free(*c);
		*c = NULL;
	}
}

static const struct field ref_fields[] = {
	{.key = "name", .type = F_IDENT, .offset = offsetof(struct col_ref, name)},
	{.key = "table", .type = F_IDENT, .offset = offsetof(struct col_ref, table), .required = true},
	{.key = "column", .type = F_IDENT, .offset = offsetof(struct col_ref, column), .required = true},
	{.key = "on_delete", .type = F_STR, .offset = offsetof(struct col_ref, on_delete)},
	{.key = "on_update", .type = F_STR, .offset = offsetof(struct col_ref, on_update)},
	{.key = "match_type", .type = F_STR, .offset = offsetof(struct col_ref, match_type)},
	{.key = "deferrable", .type = F_BOOL, .offset = offsetof(struct col_ref, deferrable)},
	{.key = "initially_deferred", .type = F_BOOL, .offset = offsetof(struct col_ref, initially_deferred)},
	FIELD_END
};

static const char *const ref_actions[] = {"NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT", NULL};
static const char *const match_types[] = {"SIMPLE", "FULL", NULL};

static bool
one_of(const char *v, const char *const *allowed)
{
	for (const char *const *a = allowed; *a; a++)
		if (strcasecmp(v, *a) == 0)
			return true;
	return false;
}

bool
col_ref_validate(struct ydoc *y, yaml_node_t *n, const struct col_ref *r)
{
	bool ok = true;

	if (r->on_delete && !one_of(r->on_delete, ref_actions)) {
		ydoc_error(y, ydoc_find(y, n, "on_delete"),
			   "references.on_delete must be NO ACTION, RESTRICT, CASCADE, SET NULL or SET DEFAULT, not \"%s\"",
			   r->on_delete);
		ok = false;
	}
	if (r->on_update && !one_of(r->on_update, ref_actions)) {
		ydoc_error(y, ydoc_find(y, n, "on_update"),
			   "references.on_update must be NO ACTION, RESTRICT, CASCADE, SET NULL or SET DEFAULT, not \"%s\"",
			   r->on_update);
		ok = false;
	}
	if (r->match_type && strcasecmp(r->match_type, "PARTIAL") == 0) {
		ydoc_error(y, ydoc_find(y, n, "match_type"),
			   "references.match_type PARTIAL is not implemented by PostgreSQL: use SIMPLE or FULL");
		ok = false;
	} else if (r->match_type && !one_of(r->match_type, match_types)) {
		ydoc_error(y, ydoc_find(y, n, "match_type"), "references.match_type must be SIMPLE or FULL, not \"%s\"",
			   r->match_type);
		ok = false;
	}
	return ok;
}

static bool
ref_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct col_ref **out = dst;

	*out = xcalloc(1, sizeof(**out));
	if (!fields_parse(y, n, ref_fields, *out, "references"))
		return false;
	return col_ref_validate(y, n, *out);
}

static void
ref_free(void *dst)
{
	struct col_ref **r = dst;

	if (*r) {
		fields_free(ref_fields, *r);
		free(*r);
		*r = NULL;
	}
}

/* identity: {user_specified_values: ALWAYS | BY DEFAULT, sequence_options}
 * (pgroll) or a string. dst is the struct col_generated itself. */
struct identity_spec {
	char *given;
	char *sequence_options;
};

static const struct field identity_fields[] = {
	{.key = "user_specified_values", .type = F_STR, .offset = offsetof(struct identity_spec, given)},
	{.key = "sequence_options", .type = F_FRAG, .frag = FRAG_SEQ_OPTIONS,
	 .offset = offsetof(struct identity_spec, sequence_options)},
	FIELD_END
};

static bool
identity_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct col_generated *g = dst;
	struct identity_spec spec = {0};
	const char *v;
	bool ok = true;

	if (n->type == YAML_MAPPING_NODE) {
		/* through the field table, so that any other key is reported */
		if (!fields_parse(y, n, identity_fields, &spec, "identity")) {
			fields_free(identity_fields, &spec);
			return false;
		}
		v = spec.given ? spec.given : "BY DEFAULT";
	} else if (!(v = ydoc_scalar(y, n, "generated.identity")))
		return false;
	if (strcasecmp(v, "ALWAYS") != 0 && strcasecmp(v, "BY DEFAULT") != 0) {
		ydoc_error(y, n, "generated.identity must be ALWAYS or BY DEFAULT, not \"%s\"", v);
		ok = false;
	} else {
		g->identity = xstrdup(strcasecmp(v, "ALWAYS") == 0 ? "ALWAYS" : "BY DEFAULT");
		g->sequence_options = spec.sequence_options;
		spec.sequence_options = NULL;
	}
	fields_free(identity_fields, &spec);
	return ok;
}

static const struct field gen_fields[] = {
	{.key = "expression", .type = F_STR, .offset = offsetof(struct col_generated, expression), .sql = FSQL_EXPR},
	/* identity fills identity and sequence_options of the struct */
	{.key = "identity", .type = F_CUSTOM, .offset = 0, .parse = identity_parse},
	FIELD_END
};

static bool
gen_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct col_generated **out = dst;

	*out = xcalloc(1, sizeof(**out));
	if (!fields_parse(y, n, gen_fields, *out, "generated"))
		return false;
	if (!!(*out)->expression == !!(*out)->identity) {
		ydoc_error(y, n, "generated needs exactly one of expression or identity");
		return false;
	}
	return true;
}

static void
gen_free(void *dst)
{
	struct col_generated **g = dst;

	if (*g) {
		free((*g)->expression);
		free((*g)->identity);
		free((*g)->sequence_options);
		free(*g);
		*g = NULL;
	}
}

#define C(m) offsetof(struct column_def, m)
const struct field column_fields[] = {
	{.key = "name", .type = F_IDENT, .offset = C(name), .required = true},
	{.key = "type", .type = F_FRAG, .frag = FRAG_TYPE, .offset = C(type), .required = true},
	{.key = "default", .type = F_STR, .offset = C(default_), .has = FHAS(struct column_def, has_default),
	 .sql = FSQL_EXPR},
	{.key = "nullable", .type = F_BOOL, .offset = C(nullable), .has = FHAS(struct column_def, has_nullable)},
	{.key = "unique", .type = F_BOOL, .offset = C(unique)},
	{.key = "pk", .type = F_BOOL, .offset = C(pk)},
	{.key = "check", .type = F_CUSTOM, .offset = C(check), .parse = check_parse, .free = check_free,
	 .sql = FSQL_EXPR, .sub = col_check_fields},
	{.key = "references", .type = F_CUSTOM, .offset = C(references), .parse = ref_parse, .free = ref_free},
	{.key = "generated", .type = F_CUSTOM, .offset = C(generated), .parse = gen_parse, .free = gen_free,
	 .sub = gen_fields},
	{.key = "comment", .type = F_STR, .offset = C(comment)},
	FIELD_END
};
#undef C

bool
column_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct column_def **out = dst;

	*out = xcalloc(1, sizeof(**out));
	return fields_parse(y, n, column_fields, *out, "column");
}

void
column_free(void *dst)
{
	struct column_def **c = dst;

	if (*c) {
		fields_free(column_fields, *c);
		free(*c);
		*c = NULL;
	}
}

bool
column_list_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct column_list *l = dst;
	bool ok = true;

	if (n->type != YAML_SEQUENCE_NODE) {
		ydoc_error(y, n, "columns must be a list of column definitions, not %s", ydoc_kind(n));
		return false;
	}
	size_t cnt = (size_t) (n->data.sequence.items.top - n->data.sequence.items.start);

	l->v = xcalloc(cnt ? cnt : 1, sizeof(struct column_def));
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = ydoc_node(y, *it);
		struct column_def *c = &l->v[l->n++];

		if (!fields_parse(y, e, column_fields, c, "column")) {
			ok = false;
			continue;
		}
		for (size_t j = 0; j + 1 < l->n; j++) {
			/* a column reported above may have no name */
			if (l->v[j].name && strcmp(l->v[j].name, c->name) == 0) {
				ydoc_error(y, e, "duplicate column \"%s\"", c->name);
				ok = false;
			}
		}
	}
	if (cnt == 0) {
		ydoc_error(y, n, "columns is empty");
		ok = false;
	}
	return ok;
}

void
column_list_free(void *dst)
{
	struct column_list *l = dst;

	for (size_t i = 0; i < l->n; i++)
		fields_free(column_fields, &l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

bool
column_nullable(const struct column_def *c)
{
	return c->has_nullable && c->nullable;
}

const char *
deferrable_sql(bool deferrable, bool initially_deferred)
{
	return initially_deferred ? " DEFERRABLE INITIALLY DEFERRED" : deferrable ? " DEFERRABLE" : "";
}

char *
column_check_sql(const struct col_check *c)
{
	return xasprintf("CHECK (%s)%s", c->constraint, c->no_inherit ? " NO INHERIT" : "");
}

void
ident_list_sql(struct strbuf *sb, const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		char *q = sql_ident(l->v[i]);

		sb_printf(sb, "%s%s", i ? ", " : "", q);
		free(q);
	}
}

void
ref_actions_sql(struct strbuf *sb, const char *match_type, const char *on_delete,
		const struct strlist *set_columns, const char *on_update)
{
	if (match_type)
		sb_printf(sb, " MATCH %s", strcasecmp(match_type, "FULL") == 0 ? "FULL" : "SIMPLE");
	if (on_delete) {
		sb_printf(sb, " ON DELETE %s", on_delete);
		if (set_columns && set_columns->n) {
			sb_puts(sb, " (");
			ident_list_sql(sb, set_columns);
			sb_puts(sb, ")");
		}
	}
	if (on_update)
		sb_printf(sb, " ON UPDATE %s", on_update);
}

char *
column_fk_sql(const char *schema, const char *column, const struct col_ref *r)
{
	struct strbuf sb = STRBUF_INIT;
	char *c = sql_ident(column), *t = sql_qualified(schema, r->table), *rc = sql_ident(r->column);

	sb_printf(&sb, "FOREIGN KEY (%s) REFERENCES %s (%s)", c, t, rc);
	ref_actions_sql(&sb, r->match_type, r->on_delete, NULL, r->on_update);
	sb_puts(&sb, deferrable_sql(r->deferrable, r->initially_deferred));
	free(c);
	free(t);
	free(rc);
	return sb_steal(&sb);
}

/* check and references as alter_column reads them, outside a column. */
bool
col_check_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	return check_parse(y, n, dst);
}

void
col_check_free(void *dst)
{
	check_free(dst);
}

bool
col_ref_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	return ref_parse(y, n, dst);
}

void
col_ref_free(void *dst)
{
	ref_free(dst);
}
