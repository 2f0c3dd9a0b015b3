/* drop_index: DROP INDEX CONCURRENTLY in contract, which waits for the
 * transactions using the index instead of locking writers out. */
#include "config.h"

#include <stdlib.h>

#include "ops/ops.h"
#include "pg/sql.h"
#include "base/xalloc.h"

struct drop_index {
	char *name;
};

static const struct field fields[] = {
	{.key = "name", .type = F_IDENT, .offset = offsetof(struct drop_index, name), .required = true},
	FIELD_END
};

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct drop_index *d = data;
	char *qi = plan_qualified(cc->plan, d->name);
	struct step *s;

	/* The plan does not carry the index's definition, so nothing can
	 * re-create it. */
	s = compile_emit(cc, PHASE_CONTRACT, NULL, xasprintf("drop index %s concurrently", d->name),
		 xasprintf("DROP INDEX CONCURRENTLY IF EXISTS %s", qi), NULL);
	s->no_txn = true;
	s->irreversible = true;
	free(qi);
}

const struct op_kind op_drop_index = {
	.name = "drop_index",
	.size = sizeof(struct drop_index),
	.fields = fields,
	.compile = compile,
};
