/* Carrying a column's indexes and constraints to the column that replaces
 * it (a rename through a second column, a type change through a shadow):
 * each index on the old column is built again, CONCURRENTLY, on the new
 * one, and each CHECK and FOREIGN KEY added again NOT VALID and
 * validated, under helper names; contract, once the old column and what
 * hung on it are gone, gives them their names back (carry_finish_sql).
 * What was carried is kept in pgstep.saved, so a rollback drops exactly
 * that. Definitions come from the catalog when the step runs; the column
 * names in them are rewritten token by token with PostgreSQL's scanner. */
#ifndef PGSTEP_CARRY_H
#define PGSTEP_CARRY_H

#include "compile/compile.h"
#include "engine/engine.h"

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

/* The step, forward and back (engine.c calls them). */
enum engine_result carry_run(struct engine *e, const struct plan *p, const struct step *s, int index, char *err,
			     size_t errlen);
enum engine_result carry_undo(struct engine *e, const struct plan *p, const struct step *s, int index, char *err,
			      size_t errlen);

#endif
