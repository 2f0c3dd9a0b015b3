/* The table of operation kinds. Adding an operation is adding one file
 * under src/ops/ and one row in ops.c. */
#ifndef PGSTEP_OPS_H
#define PGSTEP_OPS_H

#include <stdbool.h>
#include <stddef.h>

#include "compile/compile.h"
#include "plan/fields.h"
#include "plan/plan.h"
#include "plan/yamldoc.h"

struct op_kind {
	const char *name;
	size_t size;			/* of the kind's parsed struct */
	const struct field *fields;	/* how its mapping is read */
	/* Checks across fields once they are read; reports at positions in
	 * `map` and returns false on a problem. Optional. */
	bool (*validate)(struct ydoc *y, yaml_node_t *map, void *data);
	/* Appends the operation's steps to the phases. */
	void (*compile)(struct compile_ctx *cc, const void *data);
};

const struct op_kind *op_kind_find(const char *name);
/* "add_column, alter_column, ..." for messages; static storage. */
const char *op_kind_names(void);
extern const struct op_kind *const op_kinds[];

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
