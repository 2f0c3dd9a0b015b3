/* rename_table: the table takes its new name, and a view under the old name
 * keeps the running application working until contract drops it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"
#include "pg/sql.h"
#include "base/xalloc.h"
#include "helpers.h"
#include "compile/versioned.h"

struct rename_table {
	char *from;
	char *to;
};

static const struct field fields[] = {
	{.key = "from", .type = F_IDENT, .offset = offsetof(struct rename_table, from), .required = true},
	{.key = "to", .type = F_IDENT, .offset = offsetof(struct rename_table, to), .required = true},
	FIELD_END
};

static bool
validate(struct ydoc *y, yaml_node_t *map, void *data)
{
	struct rename_table *r = data;

	if (strcmp(r->from, r->to) == 0) {
		ydoc_error(y, ydoc_find(y, map, "to"), "rename_table: from and to are both \"%s\"", r->to);
		return false;
	}
	return true;
}

/*
 * The view under the old name. SELECT * of a single table is automatically
 * updatable, so the old application's INSERT, UPDATE and DELETE go through
 * it (INSERT gets the table's defaults). It gets the table's owner and
 * grants: a fresh view belongs to pgstep's role and grants nothing.
 */
static char *
create_view(const struct compile_ctx *cc, const char *from, const char *to)
{
	char *qf = plan_qualified(cc->plan, from), *qt = plan_qualified(cc->plan, to);
	char *access = copy_access_sql(cc, to, from);
	char *sql = xasprintf("CREATE VIEW %s AS SELECT * FROM %s;\n%s", qf, qt, access);

	free(access);
	free(qf);
	free(qt);
	return sql;
}

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct rename_table *r = data;
	/* qualified where a relation is named, plain where a RENAME TO gives
	 * the name */
	char *qf = plan_qualified(cc->plan, r->from), *qt = plan_qualified(cc->plan, r->to);
	char *nf = sql_ident(r->from), *nt = sql_ident(r->to);
	char *view;
	struct step *s;

	compile_touches(cc, r->to);
	if (versioned_active(cc)) {
		/* metadata: the new version's view has the new name; the old
		 * application keeps the table's until contract renames it */
		view_table_as(cc, r->from, r->to);
		compile_emit(cc, PHASE_CONTRACT, r->from, xasprintf("rename table %s to %s", r->from, r->to),
		     xasprintf("ALTER TABLE %s RENAME TO %s", qf, nt), xasprintf("ALTER TABLE %s RENAME TO %s", qt, nf));
		free(qf);
		free(qt);
		free(nf);
		free(nt);
		return;
	}
	view = create_view(cc, r->from, r->to);

	/* One transaction: at no moment does the application find neither name. */
	s = compile_emit(cc, PHASE_EXPAND, r->from, xasprintf("rename table %s to %s, with a view under the old name",
						      r->from, r->to),
		 xasprintf("ALTER TABLE %s RENAME TO %s;\n%s", qf, nt, view),
		 xasprintf("DROP VIEW IF EXISTS %s;\nALTER TABLE %s RENAME TO %s", qf, qt, nf));
	s->multi = true;

	/* The rollback re-creates the view with its grants: several statements. */
	s = compile_emit(cc, PHASE_CONTRACT, r->from, xasprintf("drop the view %s", r->from), xasprintf("DROP VIEW %s", qf),
		 xstrdup(view));
	s->multi = true;
	free(view);
	free(qf);
	free(qt);
	free(nf);
	free(nt);
}

const struct op_kind op_rename_table = {
	.name = "rename_table",
	.size = sizeof(struct rename_table),
	.fields = fields,
	.flags = OPK_RENAMES_TABLE,
	.validate = validate,
	.compile = compile,
};
