/* SQL building blocks shared by the operation compilers. */
#ifndef PGSTEP_OPS_HELPERS_H
#define PGSTEP_OPS_HELPERS_H

#include "compile/compile.h"
#include "pg/dollar.h"		/* dollar_quote, do_block */
#include "store/saved.h"		/* saved_put_sql, saved_get_sql */

struct index_params;

/* The prefix of every sync trigger's WHEN clause: the backfill marks its
 * session with this setting so that it sets columns itself, cheaply, and
 * the trigger only serves the application's writes. */
#define BACKFILL_GUC "pgstep.backfill"

/* Evaluates a plan expression (`up`, `down`) inside a trigger function over
 * the row being written, with columns by their plain names. */
char *ops_row_expr(const char *expr);

/* A sync trigger: emits CREATE FUNCTION and CREATE TRIGGER steps in `ph`
 * (each undone by a DROP) and, when `drop_in` is not N_PHASES, the DROP
 * TRIGGER and DROP FUNCTION steps in that phase (each undone by the
 * CREATE). `body` is PL/pgSQL run before RETURN NEW; `events` is e.g.
 * "INSERT OR UPDATE". */
void emit_sync_trigger(struct compile_ctx *cc, enum phase ph, enum phase drop_in, const char *table,
		       const char *name, const char *events, const char *body, const char *what);


/* DROP TRIGGER of a sync trigger (of both, one for each version, with a
 * versioned schema); the caller frees. */
char *sync_triggers_drop_sql(const struct compile_ctx *cc, const char *table, const char *name);

/* ALTER TABLE <schema>.<table> with one subcommand; the caller frees. */
char *alter_table(const struct compile_ctx *cc, const char *table, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* CREATE FUNCTION <schema>.<name>() RETURNS trigger that runs `body` and
 * then RETURN <ret> ("NEW", "NULL"), on the plan's search_path
 * (plan_function_path: its expressions in it resolve as in the backfill,
 * whoever writes); the caller frees. */
char *trigger_function_sql(const struct compile_ctx *cc, const char *name, const char *body, const char *ret);
/* The same, RETURN NULL, for a mirror trigger: SECURITY DEFINER, so it
 * runs with its owner's rights (pgstep's role), with search_path pinned to
 * pg_catalog, pg_temp: `body` must name every relation with its schema. */
char *mirror_function_sql(const struct compile_ctx *cc, const char *name, const char *body);
/* CREATE TRIGGER <name> AFTER <events> ON <table> FOR EACH ROW EXECUTE
 * FUNCTION <name>(), without a WHEN clause; the caller frees. */
char *after_trigger_sql(const struct compile_ctx *cc, const char *table, const char *name, const char *events);
char *drop_trigger_sql(const struct compile_ctx *cc, const char *table, const char *name);
char *drop_function_sql(const struct compile_ctx *cc, const char *name);

/* A mirror trigger, which copies each write into another table: like
 * emit_sync_trigger, but AFTER the write (so it sees the row as stored)
 * and returning NULL. It has no backfill WHEN clause: the backfill writes
 * only into the mirror's target, never into the table the trigger is on,
 * and every write to that table must be mirrored, whoever makes it. Its
 * function is SECURITY DEFINER: the application's role has no rights on
 * the target, and its writes must not fail for that; granting them would
 * outlive the migration on the table the target becomes. */
void emit_mirror_trigger(struct compile_ctx *cc, enum phase ph, enum phase drop_in, const char *table,
			 const char *name, const char *events, const char *body, const char *what);

/* A DO block that gives the relation `to` the owner of the table `from`
 * (and to its partitions, if any) and every privilege granted on `from`,
 * so that the application can use a view or a swapped-in table exactly as
 * it used the table. */
char *copy_access_sql(const struct compile_ctx *cc, const char *from, const char *to);

/* Constraints added without a long lock, shared by add_column and
 * alter_column. A CHECK or FOREIGN KEY (`definition`, e.g. "CHECK (x > 0)")
 * is added NOT VALID in `add_in` and validated in switch. A CHECK on values
 * a backfill still has to fix waits for switch: before, any other backfill
 * of the table (which skips the fill triggers) would trip over it. */
void emit_constraint_not_valid(struct compile_ctx *cc, enum phase add_in, const char *table, const char *name,
			       const char *what, const char *definition);
/* The same for a FOREIGN KEY, which also touches the table it references
 * (compile_touches). */
void emit_foreign_key_not_valid(struct compile_ctx *cc, enum phase add_in, const char *table, const char *name,
				const char *definition, const char *referenced);
/* NOT NULL in switch: CHECK (col IS NOT NULL) NOT VALID in `check_in`,
 * then VALIDATE, SET NOT NULL (which uses the valid check and does not
 * scan), and the helper check dropped; each undone by its own rollback.
 * SET NOT NULL saves whether the column was NOT NULL already, and its
 * rollback drops NOT NULL only if it was not. */
void emit_not_null_via_check(struct compile_ctx *cc, enum phase check_in, const char *table, const char *col,
			     const char *check);
/* A unique index built CONCURRENTLY in `build_in` and attached as a
 * UNIQUE constraint in switch. */
void emit_unique_using_index(struct compile_ctx *cc, enum phase build_in, const char *table, const char *col,
			     const char *index);
/* The same for any unique or primary key constraint: a unique index
 * `name` on `columns` with the index parameters `ip` (INCLUDE, WITH,
 * TABLESPACE; may be NULL), attached in switch as `kind` ("UNIQUE" or
 * "PRIMARY KEY") followed by `attrs` (" DEFERRABLE"; may be ""). A
 * PRIMARY KEY's columns must be NOT NULL by then. On a partitioned table
 * the steps go partition by partition when they run (partidx.h). */
void emit_index_constraint(struct compile_ctx *cc, enum phase build_in, const char *table, const char *name,
			   const char *kind, const struct strlist *columns, const struct index_params *ip,
			   const char *attrs);

/*
 * Replacing a column by another (rename_column, a type change): its
 * indexes and constraints follow through a carry step (carry.h). In
 * expand, carry_guard_sql fails early on what cannot follow: a foreign
 * key of any table that references the column, an exclusion constraint.
 * In contract, once the old column is dropped, carry_finish_sql gives the
 * carried objects their names back and attaches the carried unique and
 * primary key indexes as constraints; `to` is the column they were built
 * on, `final` its name by then.
 */
char *carry_guard_sql(const struct compile_ctx *cc, const char *table, const char *column, const char *what);
char *carry_finish_sql(const struct compile_ctx *cc, const char *table, const char *to, const char *final);
/* Contract of a replaced column: the sync trigger `fn` and its function,
 * the old column `qold` (quoted), then `then` (SQL ending in ";\n", or ""),
 * then carry_finish_sql(table, to, final), then `after` (SQL, or ""; what
 * needs the carried names back first), all in one transaction: apart,
 * inserts would leave a NOT NULL old column NULL, and fail, for as long as
 * DROP COLUMN waits for its lock. Irreversible. */
void emit_replaced_column_drop(struct compile_ctx *cc, const char *table, const char *fn, char *summary,
			       const char *qold, const char *then, const char *to, const char *final,
			       const char *after);

/* NOT NULL on `to` in switch if `from` is NOT NULL (through a validated
 * CHECK, no scan); each step a no-op otherwise. */
void emit_not_null_like(struct compile_ctx *cc, const char *table, const char *from, const char *to);

#endif
