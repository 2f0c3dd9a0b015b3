/* add_column: a new column, filled for existing rows and for writers that
 * do not know it yet, with its constraints added without long locks. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pg/colrefs.h"
#include "ops/ops.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "column.h"
#include "helpers.h"
#include "compile/versioned.h"

struct add_column {
	char *table;
	struct column_def *column;
	char *up;
};

static const struct field fields[] = {
	{.key = "table", .type = F_IDENT, .offset = offsetof(struct add_column, table), .required = true},
	{.key = "column", .type = F_CUSTOM, .offset = offsetof(struct add_column, column), .required = true,
	 .parse = column_parse, .free = column_free, .sub = column_fields},
	{.key = "up", .type = F_STR, .offset = offsetof(struct add_column, up), .sql = FSQL_UPDOWN},
	FIELD_END
};

static bool
validate(struct ydoc *y, yaml_node_t *map, void *data)
{
	struct add_column *a = data;
	yaml_node_t *col = ydoc_find(y, map, "column");

	if (!column_nullable(a->column) && !a->column->has_default && !a->up) {
		ydoc_error(y, col,
			   "column \"%s\" is NOT NULL (a column is, unless it says nullable: true, as in pgroll) but has neither a default nor up: existing rows would have no value",
			   a->column->name);
		return false;
	}
	if (a->column->pk) {
		ydoc_error(y, col, "add_column cannot add a primary key column to an existing table; create a table with it (create_table) or add a unique index (create_index)");
		return false;
	}
	if (a->column->generated) {
		ydoc_error(y, col, "add_column cannot add a generated column: it rewrites the table under an ACCESS EXCLUSIVE lock");
		return false;
	}
	return true;
}

/*
 * The fill trigger. An INSERT that leaves the column NULL gets `up`. An
 * UPDATE that leaves the column as it was gets `up` again when it changed
 * a column `up` reads, so that the column follows what the old
 * application writes; any other UPDATE keeps the column's value, which
 * may be one the new application set. The row is compared as jsonb: `up`
 * may name columns of other tables too (in a subquery), and jsonb has an
 * equality for every type. `writer_is_old`, when not NULL, further limits
 * the refresh to the old version's writes.
 */
static char *
fill_body(const char *col, const char *up, const char *writer_is_old)
{
	struct strlist refs = {0};
	struct strbuf changed = STRBUF_INIT;
	char *e = ops_row_expr(up), *qc = sql_ident(col), *body;

	sql_column_refs(up, &refs);
	for (size_t i = 0; i < refs.n; i++) {
		char *lit;

		if (strcmp(refs.v[i], col) == 0)
			continue;
		lit = sql_literal(refs.v[i]);
		sb_printf(&changed, "%s_pgstep_new -> %s IS DISTINCT FROM _pgstep_old -> %s", changed.len ? " OR " : "",
			  lit, lit);
		free(lit);
	}
	strlist_free(&refs);
	if (!changed.len)
		/* up reads no column of the row: nothing an UPDATE does changes it */
		body = xasprintf("  IF TG_OP = 'INSERT' AND NEW.%s IS NULL THEN\n"
				 "    NEW.%s := %s;\n"
				 "  END IF;\n",
				 qc, qc, e);
	else
		body = xasprintf("  IF TG_OP = 'INSERT' THEN\n"
				 "    IF NEW.%s IS NULL THEN NEW.%s := %s; END IF;\n"
				 "  ELSIF %s%sNEW.%s IS NOT DISTINCT FROM OLD.%s THEN\n"
				 "    DECLARE\n"
				 "      _pgstep_new jsonb := pg_catalog.to_jsonb(NEW);\n"
				 "      _pgstep_old jsonb := pg_catalog.to_jsonb(OLD);\n"
				 "    BEGIN\n"
				 "      IF %s THEN\n"
				 "        NEW.%s := %s;\n"
				 "      END IF;\n"
				 "    END;\n"
				 "  END IF;\n",
				 qc, qc, e, writer_is_old ? writer_is_old : "", writer_is_old ? " AND " : "", qc, qc,
				 changed.buf, qc, e);
	sb_free(&changed);
	free(qc);
	free(e);
	return body;
}

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct add_column *a = data;
	const struct column_def *c = a->column;
	const char *table = a->table;
	char *qc = sql_ident(c->name);
	char *subject = xasprintf("add_column %s.%s", table, c->name);
	/* A default that is not known to be non-volatile (a function pgstep
	 * does not know, until the catalog says otherwise) would give every
	 * row its own value: ADD COLUMN would rewrite the table. It is filled
	 * like up instead, and set in contract. (With up, it always is.) */
	bool volatile_default = !a->up && c->has_default && c->default_ &&
		compile_is_volatile(cc, subject, c->default_, c->type,
				    "the column is added without its default, filled in batches, and the default set in contract",
				    "the column is added with its default in one step, with no rewrite and no backfill");
	const char *fill = a->up ? a->up : (volatile_default ? c->default_ : NULL);
	bool nullable = column_nullable(c);
	struct strbuf def = STRBUF_INIT;

	/* Expand: the column itself, metadata only. */
	sb_printf(&def, "ADD COLUMN %s %s", qc, c->type);
	if (!fill && c->has_default && c->default_)
		sb_printf(&def, " DEFAULT (%s)", c->default_);
	if (!fill && !nullable)
		sb_puts(&def, " NOT NULL");
	emit_plan_sql(cc, PHASE_EXPAND, table, xasprintf("add column %s to %s", c->name, table),
	     alter_table(cc, table, "%s", def.buf), alter_table(cc, table, "DROP COLUMN IF EXISTS %s", qc));
	sb_free(&def);

	if (c->comment) {
		char *lit = sql_literal(c->comment), *t = plan_qualified(cc->plan, table);

		compile_emit(cc, PHASE_EXPAND, table, xasprintf("comment on %s.%s", table, c->name),
		     xasprintf("COMMENT ON COLUMN %s.%s IS %s", t, qc, lit),
		     xasprintf("COMMENT ON COLUMN %s.%s IS NULL", t, qc));
		free(lit);
		free(t);
	}

	if (fill) {
		char *name = sql_helper_name(table, c->name, "fill");

		/* With a fill trigger, the default waits for contract: before,
		 * it would hide from the trigger which writers left the column
		 * out. It comes before the trigger goes (and, rolled back, goes
		 * after the trigger is back), so no insert ever finds neither. */
		if (c->has_default && c->default_)
			emit_plan_sql(cc, PHASE_CONTRACT, table, xasprintf("set default of %s", c->name),
			     alter_table(cc, table, "ALTER COLUMN %s SET DEFAULT (%s)", qc, c->default_),
			     alter_table(cc, table, "ALTER COLUMN %s DROP DEFAULT", qc));
		char *writer = versioned_active(cc) ? versioned_writer_sql(cc) : NULL;
		char *old = writer ? xasprintf("NOT %s", writer) : NULL;
		/* with a versioned schema both versions write at once: only the
		 * old one's updates refresh the column */
		char *body = fill_body(c->name, fill, old);

		emit_sync_trigger(cc, PHASE_EXPAND, PHASE_CONTRACT, table, name, "INSERT OR UPDATE", body,
				  "fills the column for writers that do not set it");
		free(body);
		free(old);
		free(writer);
		free(name);
		emit_backfill(cc, xasprintf("backfill %s.%s", table, c->name),
			      (struct backfill) {
				      .table = xstrdup(table),
				      .set_sql = xasprintf("%s = (%s)", qc, fill),
			      });
	}

	/* Constraints: added NOT VALID now, validated once every row has its value. */
	if (c->check) {
		char *cn = c->check->name ? xstrdup(c->check->name) : sql_pg_name(table, c->name, "check");
		char *check = column_check_sql(c->check);

		emit_constraint_not_valid(cc, PHASE_EXPAND, table, cn, "check", check);
		free(check);
		free(cn);
	}
	if (c->references) {
		char *cn = c->references->name ? xstrdup(c->references->name)
			: sql_pg_name(table, c->name, "fkey");
		char *fk = column_fk_sql(plan_schema(cc->plan), c->name, c->references);

		emit_foreign_key_not_valid(cc, PHASE_EXPAND, table, cn, fk, c->references->table);
		free(fk);
		free(cn);
	}
	if (fill && !nullable) {
		char *cn = sql_helper_name(table, c->name, "notnull");

		emit_not_null_via_check(cc, PHASE_SWITCH, table, c->name, cn);
		free(cn);
	}
	if (c->unique) {
		char *in = sql_pg_name(table, c->name, "key");

		/* built in switch, once the backfill has written every value */
		emit_unique_using_index(cc, PHASE_SWITCH, table, c->name, in);
		free(in);
	}
	free(subject);
	free(qc);
}

const struct op_kind op_add_column = {
	.name = "add_column",
	.size = sizeof(struct add_column),
	.fields = fields,
	.validate = validate,
	.compile = compile,
};
