/* rename_column: the column under its new name is a second column kept in
 * sync with the old one both ways, so the application using either name
 * keeps working until contract drops the old column. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"
#include "pg/sql.h"
#include "base/xalloc.h"
#include "helpers.h"
#include "rename.h"
#include "compile/versioned.h"

struct rename_column {
	char *table;
	char *from;
	char *to;
};

static const struct field fields[] = {
	{.key = "table", .type = F_IDENT, .offset = offsetof(struct rename_column, table), .required = true},
	{.key = "from", .type = F_IDENT, .offset = offsetof(struct rename_column, from), .required = true},
	{.key = "to", .type = F_IDENT, .offset = offsetof(struct rename_column, to), .required = true},
	FIELD_END
};

static bool
validate(struct ydoc *y, yaml_node_t *map, void *data)
{
	struct rename_column *r = data;

	if (strcmp(r->from, r->to) == 0) {
		ydoc_error(y, ydoc_find(y, map, "to"), "rename_column: from and to are both \"%s\"", r->to);
		return false;
	}
	return true;
}

/* The names the SQL below needs, quoted each way once. */
struct names {
	char *t;		/* "schema"."table" */
	char *rel;		/* '"schema"."table"', for ::regclass and format('%s') */
	char *f, *lf;		/* "from", 'from' */
	char *to, *lto;		/* "to", 'to' */
};

static void
names_init(const struct compile_ctx *cc, struct names *n, const char *table, const char *from, const char *to)
{
	n->t = plan_qualified(cc->plan, table);
	n->rel = sql_literal(n->t);
	n->f = sql_ident(from);
	n->lf = sql_literal(from);
	n->to = sql_ident(to);
	n->lto = sql_literal(to);
}

static void
names_free(struct names *n)
{
	free(n->t);
	free(n->rel);
	free(n->f);
	free(n->lf);
	free(n->to);
	free(n->lto);
}

/*
 * The plan does not say the type and compiling never connects, so the new
 * column's type (with its collation, when not the type's default) is read
 * from the catalog when the step runs.
 */
static char *
add_column_sql(const struct names *n)
{
	char *body = xasprintf(
		"\nDECLARE\n"
		"  typ text;\n"
		"BEGIN\n"
		"  SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) ||\n"
		"         CASE WHEN a.attcollation <> t.typcollation\n"
		"              THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END\n"
		"    INTO typ\n"
		"    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid\n"
		"   WHERE a.attrelid = %s::regclass AND a.attname = %s AND a.attnum > 0 AND NOT a.attisdropped;\n"
		"  IF typ IS NULL THEN\n"
		"    RAISE EXCEPTION 'column %% of %% does not exist', %s, %s::regclass;\n"
		"  END IF;\n"
		"  EXECUTE pg_catalog.format('ALTER TABLE %%s ADD COLUMN %%I %%s', %s, %s, typ);\n"
		"END\n",
		n->rel, n->lf, n->lf, n->rel, n->rel, n->lto);
	char *sql = do_block(body);

	free(body);
	return sql;
}

/*
 * Whoever writes the row, both columns end up equal. An INSERT that sets
 * the new column comes from the new schema: it wins even when the old
 * column holds its default. On UPDATE, the side the writer changed is
 * copied to the other. The values are compared as text: that works for
 * types without an equality operator (json, point, xml) and sees changes
 * that `=` calls equal (citext's case, numeric's scale).
 */
static char *
sync_body(const struct names *n)
{
	return xasprintf(
		"  IF TG_OP = 'INSERT' THEN\n"
		"    IF NEW.%s IS NULL THEN\n"
		"      NEW.%s := NEW.%s;\n"
		"    ELSE\n"
		"      NEW.%s := NEW.%s;\n"
		"    END IF;\n"
		"  ELSIF NEW.%s::text IS DISTINCT FROM OLD.%s::text THEN\n"
		"    NEW.%s := NEW.%s;\n"
		"  ELSIF NEW.%s::text IS DISTINCT FROM OLD.%s::text THEN\n"
		"    NEW.%s := NEW.%s;\n"
		"  END IF;\n",
		n->to, n->to, n->f, n->f, n->to,
		n->to, n->to, n->f, n->to,
		n->f, n->f, n->to, n->f);
}

/* The default (and the comment, unless the plan gave the new column
 * one) move to the new column, and so does a sequence owned by the old
 * one (a serial column's), which DROP COLUMN would drop with it. */
static char *
move_default_sql(const struct names *n, bool back, bool comment)
{
	const char *src = back ? n->lto : n->lf, *dst = back ? n->lf : n->lto;
	char *seqs = xasprintf(
		"  FOR seq IN SELECT d.objid::regclass\n"
		"      FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid\n"
		"      JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'\n"	/* not an index on the column */
		"     WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass\n"
		"       AND d.deptype = 'a' AND d.refobjid = %s::regclass AND a.attname = %s LOOP\n"
		"    EXECUTE pg_catalog.format('ALTER SEQUENCE %%s OWNED BY %%s.%%I', seq, %s::regclass, %s);\n"
		"  END LOOP;\n",
		n->rel, src, n->rel, dst);
	char *cmt = !comment ? xstrdup("")
		: back ? xasprintf("  COMMENT ON COLUMN %s.%s IS NULL;\n", n->t, n->to)
		: xasprintf("  EXECUTE pg_catalog.format('COMMENT ON COLUMN %%s.%%I IS %%L', %s, %s,\n"
			    "                 (SELECT pg_catalog.col_description(attrelid, attnum) FROM pg_attribute\n"
			    "                   WHERE attrelid = %s::regclass AND attname = %s));\n",
			    n->rel, n->lto, n->rel, n->lf);
	char *body, *sql;

	if (back)
		body = xasprintf("\nDECLARE\n"
				 "  seq regclass;\n"
				 "BEGIN\n"
				 "  ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;\n"
				 "%s"
				 "%s"
				 "END\n",
				 n->t, n->to, cmt, seqs);
	else
		body = xasprintf("\nDECLARE\n"
				 "  def text;\n"
				 "  seq regclass;\n"
				 "BEGIN\n"
				 "  SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) INTO def\n"
				 "    FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum\n"
				 "   WHERE d.adrelid = %s::regclass AND a.attname = %s;\n"
				 "  IF def IS NOT NULL THEN\n"
				 "    EXECUTE pg_catalog.format('ALTER TABLE %%s ALTER COLUMN %%I SET DEFAULT %%s', %s, %s, def);\n"
				 "  END IF;\n"
				 "%s"
				 "%s"
				 "END\n",
				 n->rel, n->lf, n->rel, n->lto, cmt, seqs);
	sql = do_block(body);
	free(body);
	free(seqs);
	free(cmt);
	return sql;
}

/* With a versioned schema, a rename is metadata: the new version's view
 * shows the column under its new name, and contract renames it. */
static void
compile_rename_versioned(struct compile_ctx *cc, const char *table, const char *from, const char *to,
			 const char *comment)
{
	char *qf = sql_ident(from), *qt = sql_ident(to);

	view_column_as(cc, table, from, to);
	compile_emit(cc, PHASE_CONTRACT, table, xasprintf("rename column %s.%s to %s", table, from, to),
	     alter_table(cc, table, "RENAME COLUMN %s TO %s", qf, qt), alter_table(cc, table, "RENAME COLUMN %s TO %s", qt, qf));
	if (comment) {
		char *t = plan_qualified(cc->plan, table), *lt = sql_literal(t), *lc = sql_literal(to);
		char *lit = sql_literal(comment);
		char *key = xasprintf("%d:%s.%s:comment", cc->op_index, table, to);
		char *was = xasprintf("SELECT pg_catalog.col_description(%s::regclass, attnum) FROM pg_attribute "
				      "WHERE attrelid = %s::regclass AND attname = %s", lt, lt, lc);
		char *save = saved_put_sql(cc->plan->name, key, was), *saved = saved_get_sql(cc->plan->name, key);
		char *body = xasprintf("\nBEGIN\n"
				       "  EXECUTE pg_catalog.format('COMMENT ON COLUMN %%s.%%I IS %%L', %s, %s, %s);\n"
				       "END\n",
				       lt, lc, saved);
		struct step *s;

		s = compile_emit(cc, PHASE_CONTRACT, table, xasprintf("comment on %s.%s", table, to),
			 xasprintf("%s;\nCOMMENT ON COLUMN %s.%s IS %s", save, t, qt, lit), do_block(body));
		s->multi = true;
		free(body);
		free(save);
		free(saved);
		free(was);
		free(key);
		free(lit);
		free(lc);
		free(lt);
		free(t);
	}
	free(qf);
	free(qt);
}

void
compile_rename_column(struct compile_ctx *cc, const char *table, const char *from, const char *to,
		      const char *comment)
{
	struct names n;
	char *name, *body;

	if (versioned_active(cc)) {
		compile_rename_versioned(cc, table, from, to, comment);
		return;
	}
	name = sql_helper_name(table, from, "rename");
	names_init(cc, &n, table, from, to);

	/* Expand: what cannot follow the column refused first, then the
	 * column under its new name, then the sync trigger. */
	compile_emit(cc, PHASE_EXPAND, table, xasprintf("check that what hangs on %s.%s can follow it", table, from),
	     carry_guard_sql(cc, table, from, "rename_column"), NULL);
	compile_emit(cc, PHASE_EXPAND, table, xasprintf("add column %s to %s, of the type of %s", to, table, from),
	     add_column_sql(&n), alter_table(cc, table, "DROP COLUMN IF EXISTS %s", n.to));
	if (comment) {
		char *lit = sql_literal(comment);

		compile_emit(cc, PHASE_EXPAND, table, xasprintf("comment on %s.%s", table, to),
		     xasprintf("COMMENT ON COLUMN %s.%s IS %s", n.t, n.to, lit),
		     xasprintf("COMMENT ON COLUMN %s.%s IS NULL", n.t, n.to));
		free(lit);
	}

	body = sync_body(&n);
	emit_sync_trigger(cc, PHASE_EXPAND, N_PHASES, table, name, "INSERT OR UPDATE", body,
			  "keeps the old and the new column equal");
	free(body);

	emit_backfill(cc, xasprintf("backfill %s.%s from %s", table, to, from),
		      (struct backfill) {
			      .table = xstrdup(table),
			      .set_sql = xasprintf("%s = %s", n.to, n.f),
			      .where_sql = xasprintf("%s IS NULL AND %s IS NOT NULL", n.to, n.f),
		      });

	emit_not_null_like(cc, table, from, to);
	/* its indexes and constraints, once every row has its value */
	emit_carry(cc, PHASE_SWITCH, table, from, to);

	/*
	 * Contract. The default moves first, while the trigger still runs, so
	 * that no insert of the new application misses it. Then the trigger
	 * and the old column go in one transaction: dropped apart, inserts
	 * that do not name a NOT NULL old column would fail in between, for
	 * as long as DROP COLUMN waits for its lock.
	 */
	compile_emit(cc, PHASE_CONTRACT, table,
	     xasprintf("give %s the default%s of %s", to, comment ? "" : " and the comment", from),
	     move_default_sql(&n, false, !comment), move_default_sql(&n, true, !comment));
	emit_replaced_column_drop(cc, table, name,
				  xasprintf("drop trigger %s and column %s from %s; what was carried takes its names", name,
					    from, table),
				  n.f, "", to, to, "");

	names_free(&n);
	free(name);
}

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct rename_column *r = data;

	compile_rename_column(cc, r->table, r->from, r->to, NULL);
}

const struct op_kind op_rename_column = {
	.name = "rename_column",
	.size = sizeof(struct rename_column),
	.fields = fields,
	.validate = validate,
	.compile = compile,
};
