/* rename_constraint (pgroll's): RENAME CONSTRAINT in expand, renamed back
 * by its rollback. A constraint's name is metadata (an index behind it is
 * renamed with it); applications only meet it in error messages. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"
#include "pg/sql.h"
#include "base/xalloc.h"
#include "helpers.h"

struct rename_constraint {
	char *table;
	char *from;
	char *to;
};

static const struct field fields[] = {
	{.key = "table", .type = F_IDENT, .offset = offsetof(struct rename_constraint, table), .required = true},
	{.key = "from", .type = F_IDENT, .offset = offsetof(struct rename_constraint, from), .required = true},
	{.key = "to", .type = F_IDENT, .offset = offsetof(struct rename_constraint, to), .required = true},
	FIELD_END
};

static bool
validate(struct ydoc *y, yaml_node_t *map, void *data)
{
	const struct rename_constraint *r = data;

	if (strcmp(r->from, r->to) == 0) {
		ydoc_error(y, ydoc_find(y, map, "to"), "rename_constraint: to is the constraint's current name \"%s\"",
			   r->from);
		return false;
	}
	return true;
}

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct rename_constraint *r = data;
	char *qf = sql_ident(r->from), *qt = sql_ident(r->to);

	compile_emit(cc, PHASE_EXPAND, r->table, xasprintf("rename constraint %s on %s to %s", r->from, r->table, r->to),
	     alter_table(cc, r->table, "RENAME CONSTRAINT %s TO %s", qf, qt),
	     alter_table(cc, r->table, "RENAME CONSTRAINT %s TO %s", qt, qf));
	free(qf);
	free(qt);
}

const struct op_kind op_rename_constraint = {
	.name = "rename_constraint",
	.size = sizeof(struct rename_constraint),
	.fields = fields,
	.validate = validate,
	.compile = compile,
};
