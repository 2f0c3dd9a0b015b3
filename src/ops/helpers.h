/* SQL building blocks shared by the operation compilers. */
#ifndef PGSTEP_OPS_HELPERS_H
#define PGSTEP_OPS_HELPERS_H

#include "../compile.h"

/* The prefix of every sync trigger's WHEN clause: the backfill marks its
 * session with this setting so that it sets columns itself, cheaply, and
 * the trigger only serves the application's writes. */
#define BACKFILL_GUC "pgstep.backfill"

/* Evaluates a plan expression (`up`, `down`) inside a trigger function over
 * the row being written, with columns by their plain names. */
char *row_expr(const char *expr);

/* A sync trigger: emits CREATE FUNCTION and CREATE TRIGGER steps in `ph`
 * (each undone by a DROP) and, when `drop_in` is not N_PHASES, the DROP
 * TRIGGER and DROP FUNCTION steps in that phase (each undone by the
 * CREATE). `body` is PL/pgSQL run before RETURN NEW; `events` is e.g.
 * "INSERT OR UPDATE". */
void emit_sync_trigger(struct compile_ctx *cc, enum phase ph, enum phase drop_in, const char *table,
		       const char *name, const char *events, const char *body, const char *what);

/* ALTER TABLE <table> with one subcommand; the caller frees. */
char *alter_table(const char *table, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
