/* The table of operation kinds (plan/op_kind.h). */
#include "config.h"

#include "ops/ops.h"

const struct op_kind *const op_kinds[] = {
	&op_add_column,
	&op_alter_column,
	&op_rename_column,
	&op_create_index,
	&op_create_table,
	&op_rename_table,
	&op_drop_column,
	&op_drop_index,
	&op_drop_table,
	&op_partition_table,
	&op_sql,
	&op_raw_sql,
	&op_create_constraint,
	&op_drop_constraint,
	&op_drop_multicolumn_constraint,
	&op_rename_constraint,
	&op_set_replica_identity,
	NULL
};
