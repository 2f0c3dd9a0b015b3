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

#include "yamldoc.h"

enum field_type {
	F_STR,			/* char *: a scalar */
	F_BOOL,			/* bool: true/false */
	F_INT,			/* int: within [min, max] */
	F_DURATION,		/* int milliseconds: 250ms, 2s, 1m */
	F_STRLIST,		/* struct strlist: a list of scalars, or one scalar */
	F_CUSTOM,		/* parsed and freed by callbacks */
};

struct strlist {
	char **v;
	size_t n;
};

typedef bool (*field_parse_fn)(struct ydoc *y, yaml_node_t *n, void *dst);
typedef void (*field_free_fn)(void *dst);

struct field {
	const char *key;
	enum field_type type;
	size_t offset;		/* of the value in the struct */
	size_t has;		/* offsetof(bool present) + 1, or 0 */
	bool required;
	int min, max;		/* F_INT and F_DURATION bounds */
	field_parse_fn parse;	/* F_CUSTOM */
	field_free_fn free;	/* F_CUSTOM */
};

#define FIELD_END { .key = NULL }
#define FHAS(T, m) (offsetof(T, m) + 1)

/* Reads `map` (which must be a mapping) into obj as `fields` describe it;
 * `what` names the object in messages ("add_column", "settings").
 * Returns false when anything was reported. */
bool fields_parse(struct ydoc *y, yaml_node_t *map, const struct field *fields, void *obj,
		  const char *what);
/* Frees what fields_parse allocated in obj (not obj itself). */
void fields_free(const struct field *fields, void *obj);

void strlist_free(struct strlist *l);
bool strlist_contains(const struct strlist *l, const char *s);

#endif
