/* Declarative reading of YAML mappings into C structs.
 *
 * Every mapping in a plan (settings, an operation, a column) is described by
 * a table of fields; one function reads it, reports unknown, duplicate,
 * missing and mistyped keys with their positions, and one frees it. An
 * operation's file therefore holds its semantics, not parsing code. */
#ifndef PGSTEP_FIELDS_H
#define PGSTEP_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/strlist.h"
#include "pg/sqlfrag.h"
#include "plan/yamldoc.h"

enum field_type {
	F_STR,			/* char *: a scalar */
	F_BOOL,			/* bool: true/false */
	F_INT,			/* int: within [min, max] */
	F_DURATION,		/* int milliseconds: 250ms, 2s, 1m */
	F_SIZE,			/* int64_t bytes: 512kB, 20MB, 1GB (size.h); at least min */
	F_STRLIST,		/* struct strlist: a list of scalars, or one scalar */
	F_IDENT,		/* char *: a scalar naming a database object: not empty */
	F_IDENTLIST,		/* struct strlist of such names */
	F_FRAG,			/* char *: a piece of SQL of kind `frag` (a type name, an
				 * option list), as PostgreSQL's parser reads one */
	F_CUSTOM,		/* parsed and freed by callbacks */
};

/* The SQL a field's scalar holds, which the plan's load parses as what it
 * must be (plan/sql_fields.c): no such field reaches a statement
 * unparsed. */
enum field_sql {
	FSQL_NONE,
	FSQL_EXPR,		/* an expression: parsed as SELECT <expr> */
	FSQL_STMTS,		/* statements, run as written */
	FSQL_SET,		/* a SET list: parsed as UPDATE t SET <list> */
	FSQL_UPDOWN,		/* up or down: an expression, or (pgroll's) a SELECT of one */
	FSQL_EXCLUDE,		/* exclusion elements: parsed as ADD EXCLUDE (<elements>) */
};

typedef bool (*field_parse_fn)(struct ydoc *y, yaml_node_t *n, void *dst);
typedef void (*field_free_fn)(void *dst);
/* An F_CUSTOM value as a plan would write it. */
typedef void (*field_format_fn)(const void *src, char *buf, size_t len);

struct field {
	const char *key;
	enum field_type type;
	size_t offset;		/* of the value in the struct */
	size_t has;		/* offsetof(bool present) + 1, or 0 */
	bool required;
	int min, max;		/* F_INT and F_DURATION bounds */
	enum sql_frag frag;	/* F_FRAG */
	field_parse_fn parse;	/* F_CUSTOM */
	field_free_fn free;	/* F_CUSTOM */
	field_format_fn format;	/* F_CUSTOM */
	enum field_sql sql;	/* the SQL its scalar holds */
	enum field_sql sql_values;	/* the SQL each value of the mapping under it holds */
	/* The keys of the mapping an F_CUSTOM parser reads under it, for
	 * fields_sql_at; NULL when none of them holds SQL. */
	const struct field *sub;
};

#define FIELD_END { .key = NULL }
#define FHAS(T, m) (offsetof(T, m) + 1)

/* Reads `map` (which must be a mapping) into obj as `fields` describe it;
 * `what` names the object in messages ("add_column", "settings").
 * Returns false when anything was reported. */
bool fields_parse(struct ydoc *y, yaml_node_t *map, const struct field *fields, void *obj,
		  const char *what);
/* The same, where the mapping may also hold the keys of `extra`, read into
 * extra_obj (keys every operation accepts, such as lint_ignore). */
bool fields_parse_with(struct ydoc *y, yaml_node_t *map, const struct field *fields, void *obj,
		       const char *what, const struct field *extra, void *extra_obj);
/* Whether `text`, read from `n`, is one SQL fragment of `kind`
 * (sqlfrag.h); reports at n, naming `what`, when it is not. */
bool field_frag_ok(struct ydoc *y, yaml_node_t *n, const char *what, enum sql_frag kind, const char *text);

/* The value of a scalar field (not a list) of obj as a plan would write
 * it: "250ms", "5000", "true"; "" for a string that is not set. */
void fields_format(const struct field *f, const void *obj, char *buf, size_t len);
/* The SQL the scalar at `path` holds ("column.check.constraint": keys from
 * the mapping `fields` reads down, list indexes left out, as struct
 * field_site names them); FSQL_NONE when it holds none. */
enum field_sql fields_sql_at(const struct field *fields, const char *path);

/* Frees what fields_parse allocated in obj (not obj itself). */
void fields_free(const struct field *fields, void *obj);

/*
 * Where each scalar under a node was written, for checks made after the
 * fields are read (the SQL a plan carries is parsed once the operation is
 * known): a message can then point at the exact character of the file.
 */
enum site_map {
	SITE_NODE,		/* only the node's position is known (folded or escaped text) */
	SITE_LINE,		/* the text is on one line, from first_line:first_col */
	SITE_BLOCK,		/* a literal block (|): text line k is file line first_line + k */
};

struct field_site {
	char *path;		/* keys from the walked node down, list indexes left out:
				 * "column.default", "columns.check", "expand.up" */
	char *text;		/* the scalar's value */
	int line, col;		/* of the node (its quote or block indicator), 1-based */
	enum site_map map;
	int first_line, first_col;	/* of the text's first character */
	bool doubled_quotes;	/* single-quoted: each ' of the text is '' in the file */
};

struct field_sites {
	struct field_site *v;
	size_t n;
};

/* Collects every scalar under `n`. src and len are the file's bytes, which
 * a literal block needs for its indentation (NULL: such text maps to the
 * node only). */
void fields_sites(struct ydoc *y, yaml_node_t *n, const unsigned char *src, size_t len,
		  struct field_sites *out);
/* The file position of the character at `offset` (in characters, not
 * bytes) of a site's text. */
void field_site_pos(const struct field_site *s, size_t offset, int *line, int *col);
void field_sites_free(struct field_sites *l);

#endif
