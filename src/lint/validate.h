/* plan_validate: the checks of a plan's load that need more than the plan
 * layer knows: that lint_ignore names lint's rules, and what the compiled
 * steps say of a rename_table (lint sits above the compiler). Every loader
 * of a plan that runs, shows or lints it calls it after plan_load, or
 * loads through plan_validate_load, which does both. */
#ifndef PGSTEP_LINT_VALIDATE_H
#define PGSTEP_LINT_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "plan/plan.h"

/* Reports each problem at its line and column in the plan's file. */
bool plan_validate(const struct plan *p, struct diag *diag);
/* plan_load and plan_load_buffer, then plan_validate: NULL (the plan
 * freed) when either fails. */
struct plan *plan_validate_load(const char *path, struct diag *diag);
struct plan *plan_validate_load_buffer(const char *name, const unsigned char *buf, size_t len, struct diag *diag);

#endif
