/* drop_column: the column goes in contract; until then, if `down` is given,
 * a trigger fills it for the new application's inserts, which no longer
 * set it, so the old application still reads a value. */
#include "config.h"

#include <stdlib.h>

#include "ops/ops.h"
#include "pg/sql.h"
#include "base/xalloc.h"
#include "helpers.h"
#include "compile/versioned.h"

struct drop_column {
	char *table;
	char *column;
	char *down;
};

static const struct field fields[] = {
	{.key = "table", .type = F_IDENT, .offset = offsetof(struct drop_column, table), .required = true},
	{.key = "column", .type = F_IDENT, .offset = offsetof(struct drop_column, column), .required = true},
	{.key = "down", .type = F_STR, .offset = offsetof(struct drop_column, down), .sql = FSQL_UPDOWN},
	FIELD_END
};

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct drop_column *d = data;
	char *qc = sql_ident(d->column);
	struct step *s;

	/* Emitted first, so that contract drops the trigger before the column
	 * its function names. Updates need nothing: a writer that does not
	 * know the column leaves its value as it was. */
	if (versioned_active(cc))
		view_column_hidden(cc, d->table, d->column);
	if (d->down) {
		char *name = sql_helper_name(d->table, d->column, "fill");
		char *e = ops_row_expr(d->down);
		/* With a versioned schema the new version cannot see the column,
		 * so whatever its inserts leave there (the default) gets down. */
		char *writer = versioned_active(cc) ? versioned_writer_sql(cc) : xasprintf("NEW.%s IS NULL", qc);
		char *body = xasprintf("  IF %s THEN NEW.%s := %s; END IF;\n", writer, qc, e);

		free(writer);

		emit_sync_trigger(cc, PHASE_EXPAND, PHASE_CONTRACT, d->table, name, "INSERT", body,
				  "fills the column for writers that no longer set it");
		free(body);
		free(e);
		free(name);
	}
	s = compile_emit(cc, PHASE_CONTRACT, d->table, xasprintf("drop column %s.%s", d->table, d->column),
		 alter_table(cc, d->table, "DROP COLUMN %s", qc), NULL);
	s->irreversible = true;
	free(qc);
}

const struct op_kind op_drop_column = {
	.name = "drop_column",
	.size = sizeof(struct drop_column),
	.fields = fields,
	.compile = compile,
};
