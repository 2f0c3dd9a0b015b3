/* A loaded YAML (or JSON) document with positions, and the error reporting
 * that points back into it. Plans are read through this, never by hand. */
#ifndef PGSTEP_YAMLDOC_H
#define PGSTEP_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "base/diag.h"

struct ydoc {
	yaml_document_t doc;
	bool loaded;
	char *file;		/* the name messages print */
	struct diag *diag;
	unsigned *visits;	/* per node: the last walk over it (fields_sites) */
	unsigned walks;		/* walks so far */
};

/* Loads a file or a buffer; on a syntax error, reports it and returns false. */
bool ydoc_load_file(struct ydoc *y, const char *path, struct diag *diag);
bool ydoc_load_buffer(struct ydoc *y, const char *name, const unsigned char *buf, size_t len,
		      struct diag *diag);
void ydoc_free(struct ydoc *y);

yaml_node_t *ydoc_root(struct ydoc *y);
yaml_node_t *ydoc_node(struct ydoc *y, int index);

/* Reports a problem at a node's position. */
void ydoc_error(struct ydoc *y, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "a string", "a list" or "a mapping", for messages. */
const char *ydoc_kind(const yaml_node_t *n);
bool ydoc_is_null(const yaml_node_t *n);

/* The scalar's text, or NULL after reporting why it is not usable as
 * `what` (not a scalar, or holds a NUL byte). */
const char *ydoc_scalar(struct ydoc *y, yaml_node_t *n, const char *what);
/* The same for a name of a database object, which cannot be empty. */
const char *ydoc_ident(struct ydoc *y, yaml_node_t *n, const char *what);

/* The value node of `key` in a mapping, or NULL. */
yaml_node_t *ydoc_find(struct ydoc *y, yaml_node_t *map, const char *key);

#endif
