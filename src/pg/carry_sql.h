/* Carrying a column's indexes and constraints to the column that replaces
 * it, as SQL text (engine/carry.h says what the step does): each
 * definition from the catalog rewritten onto the new column with
 * PostgreSQL's scanner, and the keys of what was carried in pgstep.saved.
 * No session: the operations' compilers and the engine share these. */
#ifndef PGSTEP_PG_CARRY_SQL_H
#define PGSTEP_PG_CARRY_SQL_H

#include <stddef.h>

/* pg_get_indexdef() of an index, rewritten to build it again on `to`
 * under `name`: CONCURRENTLY IF NOT EXISTS, every reference to `from`
 * after USING (columns, expressions, INCLUDE, WHERE). The names are as
 * quote_ident() writes them. NULL when the definition does not scan. */
char *carry_index_sql(const char *indexdef, const char *from, const char *to, const char *name);
/* pg_get_constraintdef() of a CHECK ('c') or FOREIGN KEY ('f') with
 * `from` rewritten to `to` (in a foreign key, only among its own columns,
 * before REFERENCES). NULL when it does not scan. */
char *carry_constraint_sql(const char *def, char contype, const char *from, const char *to);

/* A plan's expression over a column (a CHECK's) rewritten for the column
 * `to` that replaces it: every reference to one of the names `from`
 * (raw), unquoted or quoted, becomes `to`, quoted. A reference the scanner
 * cannot tell from something else (qualified, t.col) stays: the caller
 * checks the result's column references. NULL when it does not scan. */
char *carry_expr_sql(const char *expr, const char *const *from, size_t nfrom, const char *to);

/* The saved rows of one carry step are under keys starting so. */
char *carry_key_prefix(const char *table, const char *to);

#endif
