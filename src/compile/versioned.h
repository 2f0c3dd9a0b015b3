/* Versioned schemas, pgroll's way of running the old and the new
 * application at once: expand ends by creating <schema>_<migration>, a
 * schema with one view of every table of <schema>, in which the plan's
 * changes are already made (a shadow column under its logical name, a
 * renamed column or table under its new name, a dropped one left out).
 * The new application only sets its search_path to it. Writes through the
 * views land in the tables, where the sync triggers tell the two versions
 * apart by the first schema on the writer's search_path. Contract drops
 * the schemas of the versions before; rolling back expand drops this one. */
#ifndef PGSTEP_OPS_VERSIONED_H
#define PGSTEP_OPS_VERSIONED_H

#include <stdbool.h>

#include "compile/compile.h"

/* Whether the plan being compiled runs with a versioned schema. */
bool versioned_active(const struct compile_ctx *cc);

/* What an operation changes in the new version's view of a table. */
void view_column_as(struct compile_ctx *cc, const char *table, const char *column, const char *as);
/* `physical` (a shadow column) is shown, as `as`, in place of `column`. */
void view_column_replaced(struct compile_ctx *cc, const char *table, const char *column, const char *physical,
			  const char *as);
void view_column_hidden(struct compile_ctx *cc, const char *table, const char *column);
void view_table_as(struct compile_ctx *cc, const char *table, const char *as);
void view_table_hidden(struct compile_ctx *cc, const char *table);

/* A condition for a sync trigger's body: the row is written through the
 * new version's views (emit_sync_trigger gives each version its trigger).
 * The caller frees. */
char *versioned_writer_sql(const struct compile_ctx *cc);

/* compile_plan's: the contract step that drops the versions before
 * (first in contract, before any column their views show goes), and the
 * expand step that creates this version (last in expand, once every
 * shadow column exists). */
void versioned_emit_contract(struct compile_ctx *cc);
void versioned_emit_expand(struct compile_ctx *cc);
void versioned_free(struct compile_ctx *cc);

#endif
