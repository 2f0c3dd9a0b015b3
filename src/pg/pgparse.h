/* PostgreSQL's own parser and scanner (libpg_query), and the reading of
 * the parse tree it gives as JSON (json-c): what lint and convert share.
 * Nothing here parses SQL or JSON by hand. */
#ifndef PGSTEP_PGPARSE_H
#define PGSTEP_PGPARSE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

/* Parse trees nest deeply (expressions); json-c's default limit is 32. */
#define PG_JSON_DEPTH 10000

/* ---- reading the parse tree ---- */

/* A node's field, or NULL (also when o is not an object). A field left at
 * its default (false, 0, NULL) is absent from the JSON. */
json_object *jget(json_object *o, const char *key);
const char *jstr(json_object *o, const char *key);
bool jbool(json_object *o, const char *key);
int jint(json_object *o, const char *key);
/* Whether the string field `key` is `value`. */
bool jis(json_object *o, const char *key, const char *value);
/* The length of an array (0 for anything else), and its item i or NULL. */
size_t jlen(json_object *a);
json_object *jat(json_object *a, size_t i);

/* A node is {"Type": {fields}}: its type name, its fields in *body. */
const char *node_type(json_object *n, json_object **body);
/* The fields of node n when it is a `type`, else NULL. */
json_object *node_as(json_object *n, const char *type);
/* The text of a {"String": {"sval": ...}} node. */
const char *string_node(json_object *n);
/* The last name of a qualified name (["pg_catalog", "varchar"]: varchar). */
const char *last_name(json_object *names);
/* The items of a {"List": {"items": [...]}} node. */
json_object *list_items(json_object *n);
/* Whether a list of DefElem options holds `name`, not turned off. */
bool has_option(json_object *options, const char *name);

/* ---- parsing ---- */

struct parsed {
	json_object *root;
	json_object *stmts;	/* of RawStmt: {stmt, stmt_location, stmt_len} */
	char *error;		/* NULL when it parsed */
	int cursor;		/* of the error: 1-based, in characters; 0 when none */
};

/* Parses `sql` (any number of statements); false with out->error set when
 * it does not parse. parsed_free in either case. */
bool sql_parse(const char *sql, struct parsed *out);
void parsed_free(struct parsed *p);

/* Characters (UTF-8) in the first `bytes` bytes of s. */
size_t chars_in(const char *s, size_t bytes);
/* The byte offset of character `chars` of s. */
size_t byte_of_char(const char *s, size_t chars);
/* The 1-based line and column (in characters) of byte `at` of s. */
void text_position(const char *s, size_t at, int *line, int *col);

/* ---- scanning: the tokens as PostgreSQL's lexer reads them ---- */

struct pg_token {
	int start, end;		/* bytes of the text: [start, end) */
	int token;		/* PgQuery__Token (pg_query.proto): an ASCII
				 * character such as '(' is its own value */
	int keyword;		/* PgQuery__KeywordKind: 0 for no keyword */
	bool comment;		/* a -- or C-style comment */
};

struct pg_tokens {
	struct pg_token *v;
	size_t n;
};

/* The tokens of `sql`, comments included; false with *error (the caller
 * frees) when the text cannot be scanned (an unterminated string). */
bool sql_scan(const char *sql, struct pg_tokens *out, char **error);
void pg_tokens_free(struct pg_tokens *t);

/* Whether `name` can be written without double quotes: what PostgreSQL's
 * quote_identifier leaves alone (lower case, digits, _, not a reserved
 * word, as the scanner classifies it). */
bool ident_is_plain(const char *name);

#endif
