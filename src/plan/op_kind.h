/* What an operation kind is, as the plan reader needs it: its name, the
 * fields it reads and its checks across them. Its compiler is called by
 * the compile layer through this interface and defined in the operations
 * layer (src/ops/), which also defines the table of kinds: the include
 * direction is one way, plan below compile below ops. */
#ifndef PGSTEP_OP_KIND_H
#define PGSTEP_OP_KIND_H

#include <stdbool.h>
#include <stddef.h>

#include "plan/fields.h"
#include "plan/plan.h"
#include "plan/yamldoc.h"

struct compile_ctx;

/* What a kind does that checks across a whole plan must know. */
enum op_kind_flag {
	/* Renames its table in expand and leaves a view under the old name
	 * (rename_table): no other operation of the plan may work on the old
	 * name in a later phase (plan_validate). */
	OPK_RENAMES_TABLE = 1 << 0,
	/* Swaps its table for another one (partition_table): a versioned
	 * schema's views, which show a table by what it is, would stay on
	 * the old one. */
	OPK_SWAPS_TABLE = 1 << 1,
};

struct op_kind {
	const char *name;
	size_t size;			/* of the kind's parsed struct */
	const struct field *fields;	/* how its mapping is read */
	unsigned flags;			/* enum op_kind_flag */
	/* Checks across fields once they are read; reports at positions in
	 * `map` and returns false on a problem. Optional. */
	bool (*validate)(struct ydoc *y, yaml_node_t *map, void *data);
	/* Appends the operation's steps to the phases. */
	void (*compile)(struct compile_ctx *cc, const void *data);
};

const struct op_kind *op_kind_find(const char *name);
/* "add_column, alter_column, ..." for messages; static storage. */
const char *op_kind_names(void);
/* Every kind, NULL-terminated: defined by the operations layer
 * (src/ops/kinds.c). */
extern const struct op_kind *const op_kinds[];

#endif
