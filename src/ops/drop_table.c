/* drop_table: in contract the table is first renamed out of the way, which
 * a rollback undoes, and dropped `retain` later: an application that still
 * uses it fails loudly while its data can still be given back. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>

#include "ops/ops.h"
#include "pg/sql.h"
#include "base/xalloc.h"
#include "compile/versioned.h"

struct drop_table {
	char *name;
	int retain_ms;
};

static const struct field fields[] = {
	{.key = "name", .type = F_IDENT, .offset = offsetof(struct drop_table, name), .required = true},
	{.key = "retain", .type = F_DURATION, .offset = offsetof(struct drop_table, retain_ms), .min = 0,
	 .max = INT_MAX},
	FIELD_END
};

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct drop_table *d = data;
	char *dropped = sql_helper_name(d->name, NULL, "dropped");
	char *qt = plan_qualified(cc->plan, d->name), *qd = plan_qualified(cc->plan, dropped);
	char *nt = sql_ident(d->name), *nd = sql_ident(dropped);
	struct step *s;

	if (versioned_active(cc))
		view_table_hidden(cc, d->name);
	compile_emit(cc, PHASE_CONTRACT, d->name, xasprintf("rename table %s out of the way to %s", d->name, dropped),
	     xasprintf("ALTER TABLE %s RENAME TO %s", qt, nd), xasprintf("ALTER TABLE %s RENAME TO %s", qd, nt));
	s = compile_emit(cc, PHASE_CONTRACT, dropped, xasprintf("drop table %s (was %s)", dropped, d->name),
		 xasprintf("DROP TABLE %s", qd), NULL);
	s->irreversible = true;
	s->delay_ms = d->retain_ms;
	free(qt);
	free(qd);
	free(nt);
	free(nd);
	free(dropped);
}

const struct op_kind op_drop_table = {
	.name = "drop_table",
	.size = sizeof(struct drop_table),
	.fields = fields,
	.compile = compile,
};
