/* The operations: one file each (src/ops/add_column.c, ...), holding the
 * fields its mapping is read with (the plan layer's struct field) and its
 * compiler (which emits steps into the compile layer's phases), filled
 * in once at the end of the file as a struct op_kind (plan/op_kind.h).
 * Adding an operation is adding one file and one row in kinds.c.
 *
 * Layer rule: ops may include base, pg, plan, store and compile; nothing
 * of lint, convert, engine, threads, ui or cli (script/check-layers). */
#ifndef PGSTEP_OPS_OPS_H
#define PGSTEP_OPS_OPS_H

#include "compile/compile.h"
#include "plan/fields.h"
#include "plan/op_kind.h"
#include "plan/plan.h"
#include "plan/yamldoc.h"

/* The kinds, one per file in src/ops/. */
extern const struct op_kind op_add_column;
extern const struct op_kind op_alter_column;
extern const struct op_kind op_rename_column;
extern const struct op_kind op_create_index;
extern const struct op_kind op_create_table;
extern const struct op_kind op_rename_table;
extern const struct op_kind op_drop_column;
extern const struct op_kind op_drop_index;
extern const struct op_kind op_drop_table;
extern const struct op_kind op_partition_table;
extern const struct op_kind op_sql;
extern const struct op_kind op_raw_sql;
extern const struct op_kind op_create_constraint;
extern const struct op_kind op_drop_constraint;
extern const struct op_kind op_drop_multicolumn_constraint;
extern const struct op_kind op_rename_constraint;
extern const struct op_kind op_set_replica_identity;

#endif
