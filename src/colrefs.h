/* The columns an SQL expression names, read by PostgreSQL's own parser. */
#ifndef PGSTEP_COLREFS_H
#define PGSTEP_COLREFS_H

#include <stdbool.h>

#include "fields.h"

/* Appends to `out`, once each and in order of appearance, the column name
 * of every column reference in `expr` (its last part: u.id gives id),
 * subqueries included. False when the expression does not parse. */
bool sql_column_refs(const char *expr, struct strlist *out);

#endif
