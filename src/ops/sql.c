/* sql (pgroll's): SQL written by the plan's author, run as written in
 * expand, or in contract with onComplete: true; `down` undoes it. Each
 * runs in a transaction, or alone outside one when it is a single
 * statement that cannot run in one (CREATE INDEX CONCURRENTLY). */
#include "config.h"

#include <stdlib.h>

#include "ops/ops.h"
#include "base/xalloc.h"

struct sql_op {
	char *up;
	char *down;
	bool on_complete;
};

static const struct field fields[] = {
	{.key = "up", .type = F_STR, .offset = offsetof(struct sql_op, up), .required = true, .sql = FSQL_STMTS},
	{.key = "down", .type = F_STR, .offset = offsetof(struct sql_op, down), .sql = FSQL_STMTS},
	{.key = "onComplete", .type = F_BOOL, .offset = offsetof(struct sql_op, on_complete)},
	FIELD_END
};

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct sql_op *o = data;

	/* Without down, a rollback cannot undo it: the summary says so, since
	 * "nothing to undo" alone would read as if nothing needed undoing. */
	emit_raw_sql(cc, o->on_complete ? PHASE_CONTRACT : PHASE_EXPAND,
		     xstrdup(o->down ? "run sql up" : "run sql up (no down: a rollback leaves its effects in place)"),
		     xstrdup(o->up), o->down ? xstrdup(o->down) : NULL);
}

const struct op_kind op_sql = {
	.name = "sql",
	.size = sizeof(struct sql_op),
	.fields = fields,
	.compile = compile,
};
