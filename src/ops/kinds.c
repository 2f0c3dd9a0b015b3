#include "config.h"

#include <stdio.h>
#include <string.h>

#include "plan/op_kind.h"
#include "base/strbuf.h"

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

const struct op_kind *
op_kind_find(const char *name)
{
	for (const struct op_kind *const *k = op_kinds; *k; k++)
		if (strcmp((*k)->name, name) == 0)
			return *k;
	return NULL;
}

const char *
op_kind_names(void)
{
	static char names[512];

	if (!names[0]) {
		size_t off = 0;

		for (const struct op_kind *const *k = op_kinds; *k && off < sizeof(names); k++)
			off += (size_t) snprintf(names + off, sizeof(names) - off, "%s%s",
						 k == op_kinds ? "" : ", ", (*k)->name);
	}
	return names;
}
