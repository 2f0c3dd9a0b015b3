/* The dry run: every statement of every phase with its rollback, as a
 * reviewer reads it in a pull request. */
#ifndef PGSTEP_SHOW_H
#define PGSTEP_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include "compile/compile.h"
#include "plan/plan.h"

/* Whether a setting (as "batch_size" or "max_load.active_sessions")
 * changes while the migration runs; show marks those with *. The table is
 * the engine's (engine/live.c), a layer above this one: the caller passes
 * it. NULL marks none. */
typedef bool (*show_live_fn)(const char *key);

void show_plan(FILE *out, const struct plan *p, const struct compiled *c, show_live_fn is_live);

#endif
