/* The dry run: every statement of every phase with its rollback, as a
 * reviewer reads it in a pull request. */
#ifndef PGSTEP_SHOW_H
#define PGSTEP_SHOW_H

#include <stdio.h>

#include "compile/compile.h"
#include "plan/plan.h"

void show_plan(FILE *out, const struct plan *p, const struct compiled *c);

#endif
