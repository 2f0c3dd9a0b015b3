/* The columns an SQL expression names, read by PostgreSQL's own parser. */
#ifndef PGSTEP_COLREFS_H
#define PGSTEP_COLREFS_H

#include <json-c/json.h>
#include <stdbool.h>

#include "base/strlist.h"

/* Appends to `out`, once each and in order of appearance, the column name
 * of every column reference in `expr` (its last part: u.id gives id),
 * subqueries included. False when the expression does not parse. */
bool sql_column_refs(const char *expr, struct strlist *out);
/* The same over a parse tree (or any part of one) already read. */
void tree_column_refs(json_object *tree, struct strlist *out);

#endif
