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
#include "pg/carry_sql.h"	/* the rewriting, shared with the operations */

/* The step, forward and back (engine.c calls them). */
enum engine_result carry_run(struct engine *e, const struct plan *p, const struct step *s, int index, char *err,
			     size_t errlen);
enum engine_result carry_undo(struct engine *e, const struct plan *p, const struct step *s, int index, char *err,
			      size_t errlen);

#endif
