/*
 * PostgreSQL's parser and scanner, through libpg_query (Debian's
 * libpg-query-dev, the PostgreSQL 15 grammar).
 *
 * The parse tree comes as JSON, read with json-c, which pgstep already
 * links for its --json output: no second serialization library for a tree
 * that is only walked, and the JSON names its nodes and fields exactly as
 * PostgreSQL's parsenodes.h does (a field left at its default - false, 0,
 * NULL - is simply absent). The scanner's tokens only come as protobuf,
 * unpacked by the protobuf-c code libpg_query carries (the header is
 * libprotobuf-c-dev's); they say where each token, comment and string of
 * the text starts and ends, which the tree does not.
 */
#include "config.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg/pgparse.h"
#include "base/xalloc.h"

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

void
text_position(const char *s, size_t at, int *line, int *col)
{
	size_t bol = 0;

	*line = 1;
	for (size_t i = 0; i < at && s[i]; i++) {
		if (s[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	}
	*col = (int) chars_in(s + bol, at - bol) + 1;
}

bool
sql_scan(const char *sql, struct pg_tokens *out, char **error)
{
	PgQueryScanResult r = pg_query_scan(sql);
	PgQuery__ScanResult *s;
	size_t len = strlen(sql);

	memset(out, 0, sizeof(*out));
	*error = NULL;
	if (r.error) {
		*error = xstrdup(r.error->message ? r.error->message : "the text cannot be scanned");
		pg_query_free_scan_result(r);
		return false;
	}
	s = pg_query__scan_result__unpack(NULL, r.pbuf.len, (const uint8_t *) r.pbuf.data);
	if (!s) {
		*error = xstrdup("the scanner's tokens could not be read");
		pg_query_free_scan_result(r);
		return false;
	}
	out->v = xcalloc(s->n_tokens ? s->n_tokens : 1, sizeof(*out->v));
	for (size_t i = 0; i < s->n_tokens; i++) {
		const PgQuery__ScanToken *t = s->tokens[i];
		struct pg_token *o = &out->v[out->n++];

		o->start = t->start;
		o->end = t->end;
		o->token = (int) t->token;
		o->keyword = (int) t->keyword_kind;
		o->comment = t->token == PG_QUERY__TOKEN__SQL_COMMENT || t->token == PG_QUERY__TOKEN__C_COMMENT;
	}
	/* A Unicode string (U&'...') comes with no length: it ends where the
	 * next token starts, less the blanks between them. */
	for (size_t i = 0; i < out->n; i++) {
		struct pg_token *o = &out->v[i];

		if (o->end > o->start)
			continue;
		o->end = i + 1 < out->n ? out->v[i + 1].start : (int) len;
		while (o->end > o->start && strchr(" \t\r\n\f\v", sql[o->end - 1]))
			o->end--;
	}
	pg_query__scan_result__free_unpacked(s, NULL);
	pg_query_free_scan_result(r);
	return true;
}

void
pg_tokens_free(struct pg_tokens *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

bool
ident_is_plain(const char *name)
{
	struct pg_tokens t;
	char *error;
	bool plain;

	if (!(*name >= 'a' && *name <= 'z') && *name != '_')
		return false;
	for (const char *p = name; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9') && *p != '_')
			return false;
	if (!sql_scan(name, &t, &error)) {
		free(error);
		return false;
	}
	plain = t.n == 1 && (t.v[0].keyword == PG_QUERY__KEYWORD_KIND__NO_KEYWORD ||
			     t.v[0].keyword == PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD);
	pg_tokens_free(&t);
	return plain;
}
