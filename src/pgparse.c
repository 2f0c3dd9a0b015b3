/*
 * PostgreSQL's parser, through libpg_query (Debian's
 * libpg-query-dev, the PostgreSQL 15 grammar).
 *
 * The parse tree comes as JSON, read with json-c, which pgstep already
 * links for its --json output: no second serialization library for a tree
 * that is only walked, and the JSON names its nodes and fields exactly as
 * PostgreSQL's parsenodes.h does (a field left at its default - false, 0,
 * NULL - is simply absent).
 */
#include "config.h"

#include <pg_query.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pgparse.h"
#include "xalloc.h"

json_object *
jget(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

const char *
jstr(json_object *o, const char *key)
{
	json_object *v = jget(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

bool
jbool(json_object *o, const char *key)
{
	json_object *v = jget(o, key);

	return v && json_object_get_boolean(v);
}

int
jint(json_object *o, const char *key)
{
	json_object *v = jget(o, key);

	return v ? json_object_get_int(v) : 0;
}

bool
jis(json_object *o, const char *key, const char *value)
{
	const char *s = jstr(o, key);

	return s && strcmp(s, value) == 0;
}

size_t
jlen(json_object *a)
{
	return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

json_object *
jat(json_object *a, size_t i)
{
	return i < jlen(a) ? json_object_array_get_idx(a, i) : NULL;
}

/* A node is {"Type": {fields}}: its type name, its fields in *body. */
const char *
node_type(json_object *n, json_object **body)
{
	struct json_object_iterator it;

	*body = NULL;
	if (!n || !json_object_is_type(n, json_type_object) || json_object_object_length(n) != 1)
		return NULL;
	it = json_object_iter_begin(n);
	*body = json_object_iter_peek_value(&it);
	return json_object_iter_peek_name(&it);
}

/* The fields of node n when it is a `type`, else NULL. */
json_object *
node_as(json_object *n, const char *type)
{
	json_object *body;
	const char *t = node_type(n, &body);

	return t && strcmp(t, type) == 0 ? body : NULL;
}

const char *
string_node(json_object *n)
{
	return jstr(node_as(n, "String"), "sval");
}

/* The last name of a qualified name (["pg_catalog", "varchar"]: varchar). */
const char *
last_name(json_object *names)
{
	size_t n = jlen(names);

	return n ? string_node(jat(names, n - 1)) : NULL;
}

/* The items of a {"List": {"items": [...]}} node. */
json_object *
list_items(json_object *n)
{
	return jget(node_as(n, "List"), "items");
}

/* Whether a list of DefElem options holds `name`, not turned off. */
bool
has_option(json_object *options, const char *name)
{
	for (size_t i = 0; i < jlen(options); i++) {
		json_object *d = node_as(jat(options, i), "DefElem");
		json_object *arg;
		const char *s;

		if (!jis(d, "defname", name))
			continue;
		if (!(arg = jget(d, "arg")))
			return true;
		if ((s = string_node(arg)))
			return strcasecmp(s, "false") != 0 && strcasecmp(s, "off") != 0 && strcmp(s, "0") != 0;
		if (node_as(arg, "Boolean"))
			return jbool(node_as(arg, "Boolean"), "boolval");
		if (node_as(arg, "Integer"))
			return jint(node_as(arg, "Integer"), "ival") != 0;
		return true;
	}
	return false;
}

bool
sql_parse(const char *sql, struct parsed *out)
{
	PgQueryParseResult r = pg_query_parse(sql);
	json_tokener *tok;

	memset(out, 0, sizeof(*out));
	if (r.error) {
		out->error = xstrdup(r.error->message ? r.error->message : "syntax error");
		out->cursor = r.error->cursorpos;
		pg_query_free_parse_result(r);
		return false;
	}
	tok = json_tokener_new_ex(PG_JSON_DEPTH);
	out->root = json_tokener_parse_ex(tok, r.parse_tree, (int) strlen(r.parse_tree));
	if (!out->root || json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(out->root);
		out->root = NULL;
		out->error = xasprintf("the parse tree could not be read: %s",
				       json_tokener_error_desc(json_tokener_get_error(tok)));
	}
	json_tokener_free(tok);
	pg_query_free_parse_result(r);
	out->stmts = jget(out->root, "stmts");
	return out->root != NULL;
}

void
parsed_free(struct parsed *p)
{
	json_object_put(p->root);
	free(p->error);
	memset(p, 0, sizeof(*p));
}

/* Characters (UTF-8) in the first `bytes` bytes of s. */
size_t
chars_in(const char *s, size_t bytes)
{
	size_t n = 0;

	for (size_t i = 0; i < bytes && s[i]; i++)
		if (((unsigned char) s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* The byte offset of character `chars` of s. */
size_t
byte_of_char(const char *s, size_t chars)
{
	size_t i = 0, n = 0;

	for (; s[i]; i++) {
		if (((unsigned char) s[i] & 0xc0) != 0x80) {
			if (n == chars)
				return i;
			n++;
		}
	}
	return i;
}

