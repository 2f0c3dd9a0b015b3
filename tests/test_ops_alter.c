/* alter_column and rename_column: the exact SQL of every sub-case, its
 * rollbacks and flags, and the plan errors with their positions. Every
 * statement here was run against PostgreSQL 15, forward and back. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compile/compile.h"
#include "base/diag.h"
#include "plan/plan.h"
#include "plan_fixture.h"
#include "pg/sql.h"
#include "base/xalloc.h"
#include "lint/validate.h"


/* The step's SQL and rollback (NULL: none), and that it runs in a
 * transaction, alone, and can be undone. */
static void
expect_step(const struct fixture *f, enum phase ph, size_t i, const char *sql, const char *rollback)
{
	const struct step *s = step_at(f, ph, i);

	assert_int_equal(s->kind, STEP_SQL);
	assert_string_equal(s->sql, sql);
	if (rollback)
		assert_string_equal(s->rollback, rollback);
	else
		assert_null(s->rollback);
	assert_false(s->no_txn);
	assert_false(s->rollback_no_txn);
	assert_false(s->multi);
	assert_false(s->irreversible);
}

/*
 * The swap (or its rollback) renames the columns, then, on PostgreSQL 18,
 * gives the NOT NULL constraint of `a`, the column that takes the place of
 * `b`, the name of b's (a DO block of its own): that block is checked
 * here, and the SQL without it returned (the caller frees).
 */
static char *
without_not_null_names(const char *sql, const char *a, const char *b)
{
	const char *start = strstr(sql, "DO $pgstep$\nDECLARE\n  rel regclass := ");
	const char *end = start ? strstr(start, "\n$pgstep$;\n") : NULL;
	char na[512], nb[256];
	char *block, *rest;

	assert_non_null(start);
	assert_non_null(end);
	end += strlen("\n$pgstep$;\n");
	block = xstrndup(start, (size_t) (end - start));
	snprintf(na, sizeof(na), "  na text := (SELECT c.conname FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_attribute a\n"
		 "                      ON a.attrelid = c.conrelid AND c.conkey = ARRAY[a.attnum]\n"
		 "                     WHERE c.conrelid = rel AND c.contype = 'n' AND a.attname = '%s');\n", a);
	snprintf(nb, sizeof(nb), "                     WHERE c.conrelid = rel AND c.contype = 'n' AND a.attname = '%s');\n", b);
	assert_non_null(strstr(block, na));
	assert_non_null(strstr(block, nb));
	assert_non_null(strstr(block, "  IF pg_catalog.current_setting('server_version_num')::integer < 180000 THEN\n    RETURN;\n"));
	assert_non_null(strstr(block, "    to_a := nb;\n"));
	rest = xasprintf("%.*s%s", (int) (start - sql), sql, end);
	free(block);
	return rest;
}

/*
 * DROP NOT NULL of table.col at expand step i + 3, after the three steps
 * there only for their rollbacks, which, run last first, make the column
 * NOT NULL again without a scan under a lock that blocks writes: NOT
 * VALID (a CHECK; PostgreSQL 18: the constraint itself, under its saved
 * name), VALIDATE after `fill` (NULL: none), SET NOT NULL, the CHECK
 * dropped.
 */
static void
expect_drop_not_null(const struct fixture *f, size_t i, const char *table, const char *col, const char *fill)
{
	char sql[256], check[128], add[512], validate[512], set[256], drop[256];
	const struct step *s;

	snprintf(sql, sizeof(sql), "ALTER TABLE \"public\".\"%s\" ALTER COLUMN \"%s\" DROP NOT NULL", table, col);
	snprintf(check, sizeof(check), "\"_pgstep_%s_%s_renotnull\"", table, col);
	snprintf(add, sizeof(add), "ALTER TABLE \"public\".\"%s\" ADD CONSTRAINT %s CHECK (\"%s\" IS NOT NULL) NOT VALID;\n",
		 table, check, col);
	snprintf(validate, sizeof(validate), "EXECUTE pg_catalog.format('ALTER TABLE %%s VALIDATE CONSTRAINT %%I', '\"public\".\"%s\"', con);\n",
		 table);
	snprintf(set, sizeof(set), "ALTER TABLE \"public\".\"%s\" ALTER COLUMN \"%s\" SET NOT NULL;\n", table, col);
	snprintf(drop, sizeof(drop), "ALTER TABLE \"public\".\"%s\" DROP CONSTRAINT %s;\n", table, check);

	for (size_t k = 0; k < 3; k++) {
		s = step_at(f, PHASE_EXPAND, i + k);
		assert_int_equal(s->kind, STEP_SQL);
		assert_null(s->sql);
		assert_non_null(s->rollback);
		assert_false(s->multi);
		assert_false(s->rollback_no_txn);
	}
	/* run last: the helper check dropped, where it is */
	assert_non_null(strstr(step_at(f, PHASE_EXPAND, i)->rollback, drop));
	/* SET NOT NULL, only where the valid check proves it (no scan) */
	assert_non_null(strstr(step_at(f, PHASE_EXPAND, i + 1)->rollback, set));
	assert_non_null(strstr(step_at(f, PHASE_EXPAND, i + 1)->rollback, "AND convalidated)"));
	/* VALIDATE (SHARE UPDATE EXCLUSIVE) after the fill; the count where rows stay NULL */
	s = step_at(f, PHASE_EXPAND, i + 2);
	assert_non_null(strstr(s->rollback, validate));
	assert_non_null(strstr(s->rollback, "EXCEPTION WHEN check_violation OR not_null_violation THEN\n"));
	assert_non_null(strstr(s->rollback, "RAISE EXCEPTION 'cannot make %.% NOT NULL again: % row(s) written while the migration was open are NULL%'"));
	if (fill)
		assert_non_null(strstr(s->rollback, fill));
	else
		assert_null(strstr(s->rollback, "UPDATE"));
	assert_int_equal(s->plan_path, fill != NULL);
	/* run first: NOT VALID, no scan, where the saved state says NOT NULL */
	s = step_at(f, PHASE_EXPAND, i + 3);
	assert_string_equal(s->sql, sql);
	assert_non_null(strstr(s->rollback, add));
	assert_non_null(strstr(s->rollback, "IF pg_catalog.current_setting('server_version_num')::integer >= 180000 THEN\n"
					      "      EXECUTE pg_catalog.format('ALTER TABLE %s ADD %s NOT NULL %I NOT VALID'"));
	assert_non_null(strstr(s->rollback, "  IF (was ->> 'notnull')::boolean AND NOT EXISTS"));
	assert_null(strstr(s->rollback, "SET NOT NULL"));
	assert_false(s->multi);
}

/* Exactly these diagnostics, in order: "line:col: message" each. */
static void
expect_errors(const char *text, const char *const *want, size_t n)
{
	struct diag d = {0};
	struct plan *p = plan_validate_load_buffer("t.yaml", (const unsigned char *) text, strlen(text), &d);

	assert_null(p);
	if (d.n != n)
		diag_print(&d, stderr);
	assert_int_equal(d.n, n);
	for (size_t i = 0; i < n; i++) {
		char got[1024];

		snprintf(got, sizeof(got), "%d:%d: %s", d.items[i].line, d.items[i].col, d.items[i].msg);
		assert_string_equal(got, want[i]);
	}
	diag_free(&d);
}

static void
expect_error(const char *text, const char *want)
{
	expect_errors(text, &want, 1);
}

/* ---- rename_column ---- */

static const char rename_plan[] = "operations:\n"
	"  - rename_column: {table: Order Items, from: select, to: Select Me}\n";

static void
test_rename_column(void **state)
{
	struct fixture f = compile_text(rename_plan);
	const struct step *s;

	expect_counts(&f, 4, 2, 5, 2);
	/* what cannot follow the column is refused before anything changes */
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 0)->sql, "'rename_column', '\"public\".\"Order Items\"'::regclass, 'select'"));
	assert_null(step_at(&f, PHASE_EXPAND, 0)->rollback);
	/* expand: the column with the old one's type, read when it runs */
	expect_step(&f, PHASE_EXPAND, 1,
		    "DO $pgstep$\n"
		    "DECLARE\n"
		    "  typ text;\n"
		    "BEGIN\n"
		    "  SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) ||\n"
		    "         CASE WHEN a.attcollation <> t.typcollation\n"
		    "              THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END\n"
		    "    INTO typ\n"
		    "    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid\n"
		    "   WHERE a.attrelid = '\"public\".\"Order Items\"'::regclass AND a.attname = 'select' AND a.attnum > 0 AND NOT a.attisdropped;\n"
		    "  IF typ IS NULL THEN\n"
		    "    RAISE EXCEPTION 'column % of % does not exist', 'select', '\"public\".\"Order Items\"'::regclass;\n"
		    "  END IF;\n"
		    "  EXECUTE pg_catalog.format('ALTER TABLE %s ADD COLUMN %I %s', '\"public\".\"Order Items\"', 'Select Me', typ);\n"
		    "END\n"
		    "$pgstep$",
		    "ALTER TABLE \"public\".\"Order Items\" DROP COLUMN IF EXISTS \"Select Me\"");
	expect_step(&f, PHASE_EXPAND, 2,
		    "CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_Order Items_select_rename\"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"
		    "#variable_conflict use_variable\n"
		    "BEGIN\n"
		    "  IF TG_OP = 'INSERT' THEN\n"
		    "    IF NEW.\"Select Me\" IS NULL THEN\n"
		    "      NEW.\"Select Me\" := NEW.\"select\";\n"
		    "    ELSE\n"
		    "      NEW.\"select\" := NEW.\"Select Me\";\n"
		    "    END IF;\n"
		    "  ELSIF NEW.\"Select Me\"::text IS DISTINCT FROM OLD.\"Select Me\"::text THEN\n"
		    "    NEW.\"select\" := NEW.\"Select Me\";\n"
		    "  ELSIF NEW.\"select\"::text IS DISTINCT FROM OLD.\"select\"::text THEN\n"
		    "    NEW.\"Select Me\" := NEW.\"select\";\n"
		    "  END IF;\n"
		    "  RETURN NEW;\n"
		    "END\n"
		    "$pgstep$",
		    "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_Order Items_select_rename\"()");
	expect_step(&f, PHASE_EXPAND, 3,
		    "CREATE TRIGGER \"_pgstep_Order Items_select_rename\" BEFORE INSERT OR UPDATE ON \"public\".\"Order Items\" FOR EACH ROW WHEN (pg_catalog.current_setting('pgstep.backfill', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION \"public\".\"_pgstep_Order Items_select_rename\"()",
		    "DROP TRIGGER IF EXISTS \"_pgstep_Order Items_select_rename\" ON \"public\".\"Order Items\"");
	/* backfill: copy where the trigger has not */
	s = step_at(&f, PHASE_BACKFILL, 0);
	assert_int_equal(s->kind, STEP_BACKFILL);
	assert_string_equal(s->bf->table, "Order Items");
	assert_string_equal(s->bf->set_sql, "\"Select Me\" = \"select\"");
	assert_string_equal(s->bf->where_sql, "\"Select Me\" IS NULL AND \"select\" IS NOT NULL");
	assert_null(s->bf->unconverted_sql);
	assert_int_equal(step_at(&f, PHASE_BACKFILL, 1)->kind, STEP_VACUUM);
	/* switch: NOT NULL like the old column, each a no-op if it is nullable */
	expect_step(&f, PHASE_SWITCH, 0,
		    "DO $pgstep$\n"
		    "BEGIN\n"
		    "  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = '\"public\".\"Order Items\"'::regclass AND attname = 'select' AND attnotnull) THEN\n"
		    "    ALTER TABLE \"public\".\"Order Items\" ADD CONSTRAINT \"_pgstep_Order Items_Select Me_notnull\" CHECK (\"Select Me\" IS NOT NULL) NOT VALID;\n"
		    "  END IF;\n"
		    "END\n"
		    "$pgstep$",
		    "ALTER TABLE \"public\".\"Order Items\" DROP CONSTRAINT IF EXISTS \"_pgstep_Order Items_Select Me_notnull\"");
	expect_step(&f, PHASE_SWITCH, 1,
		    "DO $pgstep$\n"
		    "BEGIN\n"
		    "  IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = '\"public\".\"Order Items\"'::regclass AND conname = '_pgstep_Order Items_Select Me_notnull') THEN\n"
		    "    ALTER TABLE \"public\".\"Order Items\" VALIDATE CONSTRAINT \"_pgstep_Order Items_Select Me_notnull\";\n"
		    "  END IF;\n"
		    "END\n"
		    "$pgstep$",
		    NULL);
	expect_step(&f, PHASE_SWITCH, 2,
		    "DO $pgstep$\n"
		    "BEGIN\n"
		    "  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = '\"public\".\"Order Items\"'::regclass AND attname = 'select' AND attnotnull) THEN\n"
		    "    ALTER TABLE \"public\".\"Order Items\" ALTER COLUMN \"Select Me\" SET NOT NULL;\n"
		    "  END IF;\n"
		    "END\n"
		    "$pgstep$",
		    "ALTER TABLE \"public\".\"Order Items\" ALTER COLUMN \"Select Me\" DROP NOT NULL");
	expect_step(&f, PHASE_SWITCH, 3,
		    "ALTER TABLE \"public\".\"Order Items\" DROP CONSTRAINT IF EXISTS \"_pgstep_Order Items_Select Me_notnull\"",
		    "DO $pgstep$\n"
		    "BEGIN\n"
		    "  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = '\"public\".\"Order Items\"'::regclass AND attname = 'select' AND attnotnull) AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = '\"public\".\"Order Items\"'::regclass AND conname = '_pgstep_Order Items_Select Me_notnull') THEN\n"
		    "    ALTER TABLE \"public\".\"Order Items\" ADD CONSTRAINT \"_pgstep_Order Items_Select Me_notnull\" CHECK (\"Select Me\" IS NOT NULL) NOT VALID;\n"
		    "  END IF;\n"
		    "END\n"
		    "$pgstep$");
	/* its indexes and constraints follow, once every row has its value */
	expect_carry(&f, PHASE_SWITCH, 4, "Order Items", "select", "Select Me");
	/* contract: default, comment and serial sequence move; then the
	 * trigger and the old column go together, for good */
	expect_step(&f, PHASE_CONTRACT, 0,
		    "DO $pgstep$\n"
		    "DECLARE\n"
		    "  def text;\n"
		    "  seq regclass;\n"
		    "BEGIN\n"
		    "  SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) INTO def\n"
		    "    FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum\n"
		    "   WHERE d.adrelid = '\"public\".\"Order Items\"'::regclass AND a.attname = 'select';\n"
		    "  IF def IS NOT NULL THEN\n"
		    "    EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', '\"public\".\"Order Items\"', 'Select Me', def);\n"
		    "  END IF;\n"
		    "  EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', '\"public\".\"Order Items\"', 'Select Me',\n"
		    "                 (SELECT pg_catalog.col_description(attrelid, attnum) FROM pg_attribute\n"
		    "                   WHERE attrelid = '\"public\".\"Order Items\"'::regclass AND attname = 'select'));\n"
		    "  FOR seq IN SELECT d.objid::regclass\n"
		    "      FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid\n"
		    "      JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'\n"
		    "     WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass\n"
		    "       AND d.deptype = 'a' AND d.refobjid = '\"public\".\"Order Items\"'::regclass AND a.attname = 'select' LOOP\n"
		    "    EXECUTE pg_catalog.format('ALTER SEQUENCE %s OWNED BY %s.%I', seq, '\"public\".\"Order Items\"'::regclass, 'Select Me');\n"
		    "  END LOOP;\n"
		    "END\n"
		    "$pgstep$",
		    "DO $pgstep$\n"
		    "DECLARE\n"
		    "  seq regclass;\n"
		    "BEGIN\n"
		    "  ALTER TABLE \"public\".\"Order Items\" ALTER COLUMN \"Select Me\" DROP DEFAULT;\n"
		    "  COMMENT ON COLUMN \"public\".\"Order Items\".\"Select Me\" IS NULL;\n"
		    "  FOR seq IN SELECT d.objid::regclass\n"
		    "      FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid\n"
		    "      JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'\n"
		    "     WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass\n"
		    "       AND d.deptype = 'a' AND d.refobjid = '\"public\".\"Order Items\"'::regclass AND a.attname = 'Select Me' LOOP\n"
		    "    EXECUTE pg_catalog.format('ALTER SEQUENCE %s OWNED BY %s.%I', seq, '\"public\".\"Order Items\"'::regclass, 'select');\n"
		    "  END LOOP;\n"
		    "END\n"
		    "$pgstep$");
	s = step_at(&f, PHASE_CONTRACT, 1);
	expect_sql_then_finish(s->sql,
			       "DROP TRIGGER IF EXISTS \"_pgstep_Order Items_select_rename\" ON \"public\".\"Order Items\";\n"
			       "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_Order Items_select_rename\"();\n"
			       "ALTER TABLE \"public\".\"Order Items\" DROP COLUMN \"select\"",
			       "Order Items", "Select Me");
	assert_null(s->rollback);
	assert_true(s->multi);
	assert_true(s->irreversible);
	assert_false(s->no_txn);
	fixture_free(&f);
}

static void
test_alter_column_name_is_a_rename(void **state)
{
	struct fixture a = compile_text("operations:\n"
					"  - alter_column: {table: Order Items, column: select, name: Select Me}\n");
	struct fixture r = compile_text(rename_plan);

	for (int ph = 0; ph < N_PHASES; ph++) {
		assert_int_equal(a.c->n[ph], r.c->n[ph]);
		for (size_t i = 0; i < a.c->n[ph]; i++) {
			const struct step *x = step_at(&a, (enum phase) ph, i), *y = step_at(&r, (enum phase) ph, i);

			assert_int_equal(x->kind, y->kind);
			assert_string_equal(x->summary, y->summary);
			assert_string_equal(x->sql, y->sql);
			if (y->rollback)
				assert_string_equal(x->rollback, y->rollback);
			else
				assert_null(x->rollback);
			assert_int_equal(x->no_txn, y->no_txn);
			assert_int_equal(x->multi, y->multi);
			assert_int_equal(x->irreversible, y->irreversible);
		}
	}
	fixture_free(&a);
	fixture_free(&r);
}

static void
test_alter_column_rename_with_comment(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - alter_column: {table: users, column: name, name: full_name, comment: \"it's\"}\n");
	const struct step *s;

	expect_counts(&f, 5, 2, 5, 2);
	expect_step(&f, PHASE_EXPAND, 2, "COMMENT ON COLUMN \"public\".\"users\".\"full_name\" IS 'it''s'",
		    "COMMENT ON COLUMN \"public\".\"users\".\"full_name\" IS NULL");
	/* the plan's comment is not overwritten by the old column's */
	s = step_at(&f, PHASE_CONTRACT, 0);
	assert_null(strstr(s->sql, "COMMENT"));
	assert_null(strstr(s->rollback, "COMMENT"));
	assert_non_null(strstr(s->sql, "SET DEFAULT"));
	fixture_free(&f);
}

/* ---- alter_column type ---- */

static void
test_alter_column_type(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - alter_column:\n"
					"      table: Order Items\n"
					"      column: select\n"
					"      type: integer\n"
					"      up: \"\\\"select\\\"::integer\"\n"
					"      down: \"\\\"select\\\"::text\"\n");
	const struct step *s;
	char *swap, *back;

	expect_counts(&f, 5, 2, 7, 1);
	/* NOT NULL and the default as the old column has them, and its
	 * indexes and constraints, before the swap */
	assert_non_null(strstr(step_at(&f, PHASE_SWITCH, 0)->summary, "if select is NOT NULL"));
	expect_carry(&f, PHASE_SWITCH, 4, "Order Items", "select", "_pgstep_Order Items_select_new");
	assert_string_equal(step_at(&f, PHASE_SWITCH, 6)->summary, "give select the default of _pgstep_Order Items_select_old, if any");
	assert_non_null(strstr(step_at(&f, PHASE_SWITCH, 6)->sql, "does not fit the new type %: %; give default in the plan (null for none)"));
	expect_step(&f, PHASE_EXPAND, 1,
		    "ALTER TABLE \"public\".\"Order Items\" ADD COLUMN \"_pgstep_Order Items_select_new\" integer",
		    "ALTER TABLE \"public\".\"Order Items\" DROP COLUMN IF EXISTS \"_pgstep_Order Items_select_new\"");
	/* the old column's comment, as ALTER COLUMN TYPE keeps it, read when
	 * the step runs */
	expect_flagged_step(&f, PHASE_EXPAND, 2, "give _pgstep_Order Items_select_new the comment of select, if any",
			    "DO $pgstep$\n"
			    "BEGIN\n"
			    "  EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', '\"public\".\"Order Items\"'::regclass, '_pgstep_Order Items_select_new',\n"
			    "                 (SELECT pg_catalog.col_description(attrelid, attnum) FROM pg_catalog.pg_attribute\n"
			    "                   WHERE attrelid = '\"public\".\"Order Items\"'::regclass AND attname = 'select'));\n"
			    "END\n"
			    "$pgstep$",
			    "COMMENT ON COLUMN \"public\".\"Order Items\".\"_pgstep_Order Items_select_new\" IS NULL", 0);
	/* down sees the new type under the column's name: a variable */
	expect_step(&f, PHASE_EXPAND, 3,
		    "CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_Order Items_select_sync\"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"
		    "#variable_conflict use_variable\n"
		    "BEGIN\n"
		    "  IF TG_OP = 'INSERT' AND NEW.\"_pgstep_Order Items_select_new\" IS NULL OR TG_OP = 'UPDATE' AND NEW.\"select\"::text IS DISTINCT FROM OLD.\"select\"::text THEN\n"
		    "    NEW.\"_pgstep_Order Items_select_new\" := (SELECT (\"select\"::integer) FROM (SELECT NEW.*) AS _pgstep_row);\n"
		    "  ELSIF TG_OP = 'INSERT' OR NEW.\"_pgstep_Order Items_select_new\"::text IS DISTINCT FROM OLD.\"_pgstep_Order Items_select_new\"::text THEN\n"
		    "    DECLARE\n"
		    "      \"select\" integer := NEW.\"_pgstep_Order Items_select_new\";\n"
		    "    BEGIN\n"
		    "      NEW.\"select\" := (SELECT (\"select\"::text) FROM (SELECT NEW.*) AS _pgstep_row);\n"
		    "    END;\n"
		    "  END IF;\n"
		    "  RETURN NEW;\n"
		    "END\n"
		    "$pgstep$",
		    "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_Order Items_select_sync\"()");
	expect_step(&f, PHASE_EXPAND, 4,
		    "CREATE TRIGGER \"_pgstep_Order Items_select_sync\" BEFORE INSERT OR UPDATE ON \"public\".\"Order Items\" FOR EACH ROW WHEN (pg_catalog.current_setting('pgstep.backfill', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION \"public\".\"_pgstep_Order Items_select_sync\"()",
		    "DROP TRIGGER IF EXISTS \"_pgstep_Order Items_select_sync\" ON \"public\".\"Order Items\"");
	/* the new column's type and the function's up and down are the
	 * plan's: those steps run on its search_path; the trigger names
	 * nothing of the plan's */
	assert_true(step_at(&f, PHASE_EXPAND, 1)->plan_path);
	assert_true(step_at(&f, PHASE_EXPAND, 3)->plan_path);
	assert_false(step_at(&f, PHASE_EXPAND, 4)->plan_path);
	s = step_at(&f, PHASE_BACKFILL, 0);
	assert_int_equal(s->kind, STEP_BACKFILL);
	assert_string_equal(s->bf->set_sql, "\"_pgstep_Order Items_select_new\" = (\"select\"::integer)");
	assert_string_equal(s->bf->where_sql, "\"_pgstep_Order Items_select_new\" IS NULL");
	assert_string_equal(s->bf->unconverted_sql,
			    "\"select\" IS NOT NULL AND \"_pgstep_Order Items_select_new\" IS NULL");
	/* the swap: renames and the trigger with the roles exchanged, at once */
	s = step_at(&f, PHASE_SWITCH, 5);
	assert_true(s->multi);
	assert_true(s->plan_path);
	assert_false(s->irreversible);
	assert_false(s->no_txn);
	swap = without_not_null_names(s->sql, "select", "_pgstep_Order Items_select_old");
	back = without_not_null_names(s->rollback, "select", "_pgstep_Order Items_select_new");
	assert_string_equal(swap,
			    "ALTER TABLE \"public\".\"Order Items\" RENAME COLUMN \"select\" TO \"_pgstep_Order Items_select_old\";\n"
			    "ALTER TABLE \"public\".\"Order Items\" RENAME COLUMN \"_pgstep_Order Items_select_new\" TO \"select\";\n"
			    "CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_Order Items_select_sync\"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"
			    "#variable_conflict use_variable\n"
			    "BEGIN\n"
			    "  IF TG_OP = 'INSERT' OR NEW.\"select\"::text IS DISTINCT FROM OLD.\"select\"::text THEN\n"
			    "    NEW.\"_pgstep_Order Items_select_old\" := (SELECT (\"select\"::text) FROM (SELECT NEW.*) AS _pgstep_row);\n"
			    "  ELSIF NEW.\"_pgstep_Order Items_select_old\"::text IS DISTINCT FROM OLD.\"_pgstep_Order Items_select_old\"::text THEN\n"
			    "    DECLARE\n"
			    "      \"select\" \"public\".\"Order Items\".\"_pgstep_Order Items_select_old\"%TYPE := NEW.\"_pgstep_Order Items_select_old\";\n"
			    "    BEGIN\n"
			    "      NEW.\"select\" := (SELECT (\"select\"::integer) FROM (SELECT NEW.*) AS _pgstep_row);\n"
			    "    END;\n"
			    "  END IF;\n"
			    "  RETURN NEW;\n"
			    "END\n"
			    "$pgstep$");
	assert_string_equal(back,
			    "ALTER TABLE \"public\".\"Order Items\" RENAME COLUMN \"select\" TO \"_pgstep_Order Items_select_new\";\n"
			    "ALTER TABLE \"public\".\"Order Items\" RENAME COLUMN \"_pgstep_Order Items_select_old\" TO \"select\";\n"
			    "CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_Order Items_select_sync\"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"
			    "#variable_conflict use_variable\n"
			    "BEGIN\n"
			    "  IF TG_OP = 'INSERT' AND NEW.\"_pgstep_Order Items_select_new\" IS NULL OR TG_OP = 'UPDATE' AND NEW.\"select\"::text IS DISTINCT FROM OLD.\"select\"::text THEN\n"
			    "    NEW.\"_pgstep_Order Items_select_new\" := (SELECT (\"select\"::integer) FROM (SELECT NEW.*) AS _pgstep_row);\n"
			    "  ELSIF TG_OP = 'INSERT' OR NEW.\"_pgstep_Order Items_select_new\"::text IS DISTINCT FROM OLD.\"_pgstep_Order Items_select_new\"::text THEN\n"
			    "    DECLARE\n"
			    "      \"select\" integer := NEW.\"_pgstep_Order Items_select_new\";\n"
			    "    BEGIN\n"
			    "      NEW.\"select\" := (SELECT (\"select\"::text) FROM (SELECT NEW.*) AS _pgstep_row);\n"
			    "    END;\n"
			    "  END IF;\n"
			    "  RETURN NEW;\n"
			    "END\n"
			    "$pgstep$");
	s = step_at(&f, PHASE_CONTRACT, 0);
	assert_true(s->multi);
	assert_true(s->irreversible);
	assert_null(s->rollback);
	expect_sql_then_finish(s->sql,
			       "DROP TRIGGER IF EXISTS \"_pgstep_Order Items_select_sync\" ON \"public\".\"Order Items\";\n"
			       "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_Order Items_select_sync\"();\n"
			       "ALTER TABLE \"public\".\"Order Items\" DROP COLUMN \"_pgstep_Order Items_select_old\"",
			       "Order Items", "_pgstep_Order Items_select_new");
	free(swap);
	free(back);
	fixture_free(&f);
}

static void
test_alter_column_type_with_name_nullable_default_comment(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - alter_column:\n"
					"      table: users\n"
					"      column: age\n"
					"      name: years\n"
					"      type: integer\n"
					"      up: age::integer\n"
					"      down: years::text\n"
					"      nullable: false\n"
					"      default: \"0\"\n"
					"      comment: in years\n");
	const struct step *s;
	char *swap, *back;

	expect_counts(&f, 5, 2, 6, 2);
	expect_carry(&f, PHASE_SWITCH, 4, "users", "age", "_pgstep_users_age_new");
	expect_step(&f, PHASE_EXPAND, 2,
		    "COMMENT ON COLUMN \"public\".\"users\".\"_pgstep_users_age_new\" IS 'in years'",
		    "COMMENT ON COLUMN \"public\".\"users\".\"_pgstep_users_age_new\" IS NULL");
	expect_step(&f, PHASE_EXPAND, 3,
		    "CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_users_age_sync\"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"
		    "#variable_conflict use_variable\n"
		    "BEGIN\n"
		    "  IF TG_OP = 'INSERT' AND NEW.\"_pgstep_users_age_new\" IS NULL OR TG_OP = 'UPDATE' AND NEW.\"age\"::text IS DISTINCT FROM OLD.\"age\"::text THEN\n"
		    "    NEW.\"_pgstep_users_age_new\" := (SELECT (age::integer) FROM (SELECT NEW.*) AS _pgstep_row);\n"
		    "  ELSIF TG_OP = 'INSERT' OR NEW.\"_pgstep_users_age_new\"::text IS DISTINCT FROM OLD.\"_pgstep_users_age_new\"::text THEN\n"
		    "    DECLARE\n"
		    "      \"years\" integer := NEW.\"_pgstep_users_age_new\";\n"
		    "    BEGIN\n"
		    "      NEW.\"age\" := (SELECT (years::text) FROM (SELECT NEW.*) AS _pgstep_row);\n"
		    "    END;\n"
		    "  END IF;\n"
		    "  RETURN NEW;\n"
		    "END\n"
		    "$pgstep$",
		    "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_users_age_sync\"()");
	/* NOT NULL on the shadow column before the swap */
	expect_step(&f, PHASE_SWITCH, 0,
		    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"_pgstep_users_age_notnull\" CHECK (\"_pgstep_users_age_new\" IS NOT NULL) NOT VALID",
		    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"_pgstep_users_age_notnull\"");
	expect_step(&f, PHASE_SWITCH, 1,
		    "ALTER TABLE \"public\".\"users\" VALIDATE CONSTRAINT \"_pgstep_users_age_notnull\"",
		    NULL);
	expect_set_not_null(&f, PHASE_SWITCH, 2, 0, "users", "_pgstep_users_age_new");
	expect_step(&f, PHASE_SWITCH, 3,
		    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT \"_pgstep_users_age_notnull\"",
		    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"_pgstep_users_age_notnull\" CHECK (\"_pgstep_users_age_new\" IS NOT NULL) NOT VALID");
	/* the shadow takes the new name; the old column keeps its own until
	 * contract, and each application's writes reach the other's column */
	s = step_at(&f, PHASE_SWITCH, 5);
	assert_true(s->multi);
	swap = without_not_null_names(s->sql, "years", "age");
	back = without_not_null_names(s->rollback, "age", "_pgstep_users_age_new");
	assert_string_equal(swap,
			    "ALTER TABLE \"public\".\"users\" RENAME COLUMN \"_pgstep_users_age_new\" TO \"years\";\n"
			    "CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_users_age_sync\"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"
			    "#variable_conflict use_variable\n"
			    "BEGIN\n"
			    "  IF TG_OP = 'INSERT' THEN\n"
			    "    IF NEW.\"years\" IS NULL THEN\n"
			    "      NEW.\"years\" := (SELECT (age::integer) FROM (SELECT NEW.*) AS _pgstep_row);\n"
			    "    ELSE\n"
			    "      NEW.\"age\" := (SELECT (years::text) FROM (SELECT NEW.*) AS _pgstep_row);\n"
			    "    END IF;\n"
			    "  ELSIF NEW.\"years\"::text IS DISTINCT FROM OLD.\"years\"::text THEN\n"
			    "    NEW.\"age\" := (SELECT (years::text) FROM (SELECT NEW.*) AS _pgstep_row);\n"
			    "  ELSIF NEW.\"age\"::text IS DISTINCT FROM OLD.\"age\"::text THEN\n"
			    "    NEW.\"years\" := (SELECT (age::integer) FROM (SELECT NEW.*) AS _pgstep_row);\n"
			    "  END IF;\n"
			    "  RETURN NEW;\n"
			    "END\n"
			    "$pgstep$");
	assert_string_equal(back,
			    "ALTER TABLE \"public\".\"users\" RENAME COLUMN \"years\" TO \"_pgstep_users_age_new\";\n"
			    "CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_users_age_sync\"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"
			    "#variable_conflict use_variable\n"
			    "BEGIN\n"
			    "  IF TG_OP = 'INSERT' AND NEW.\"_pgstep_users_age_new\" IS NULL OR TG_OP = 'UPDATE' AND NEW.\"age\"::text IS DISTINCT FROM OLD.\"age\"::text THEN\n"
			    "    NEW.\"_pgstep_users_age_new\" := (SELECT (age::integer) FROM (SELECT NEW.*) AS _pgstep_row);\n"
			    "  ELSIF TG_OP = 'INSERT' OR NEW.\"_pgstep_users_age_new\"::text IS DISTINCT FROM OLD.\"_pgstep_users_age_new\"::text THEN\n"
			    "    DECLARE\n"
			    "      \"years\" integer := NEW.\"_pgstep_users_age_new\";\n"
			    "    BEGIN\n"
			    "      NEW.\"age\" := (SELECT (years::text) FROM (SELECT NEW.*) AS _pgstep_row);\n"
			    "    END;\n"
			    "  END IF;\n"
			    "  RETURN NEW;\n"
			    "END\n"
			    "$pgstep$");
	/* the default once the old application is gone, then the old column */
	expect_step(&f, PHASE_CONTRACT, 0,
		    "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"years\" SET DEFAULT (0)",
		    "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"years\" DROP DEFAULT");
	s = step_at(&f, PHASE_CONTRACT, 1);
	assert_true(s->multi);
	assert_true(s->irreversible);
	expect_sql_then_finish(s->sql,
			       "DROP TRIGGER IF EXISTS \"_pgstep_users_age_sync\" ON \"public\".\"users\";\n"
			       "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_users_age_sync\"();\n"
			       "ALTER TABLE \"public\".\"users\" DROP COLUMN \"age\"",
			       "users", "_pgstep_users_age_new");
	free(swap);
	free(back);
	fixture_free(&f);
}

static void
test_alter_column_type_nullable_true(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - alter_column: {table: users, column: name, type: varchar(100), up: name, down: name, nullable: true}\n");
	const struct step *s;

	/* the old column takes down of a new value that may be NULL; a
	 * rollback makes it NOT NULL again only if it was */
	expect_counts(&f, 10, 2, 3, 1);
	/* nullable: true says it: no NOT NULL copied; indexes and constraints
	 * carried; the old column's default and comment too, the plan giving
	 * none */
	expect_carry(&f, PHASE_SWITCH, 0, "users", "name", "_pgstep_users_name_new");
	assert_string_equal(step_at(&f, PHASE_EXPAND, 1)->sql,
			    "ALTER TABLE \"public\".\"users\" ADD COLUMN \"_pgstep_users_name_new\" varchar(100)");
	assert_string_equal(step_at(&f, PHASE_EXPAND, 2)->summary, "give _pgstep_users_name_new the comment of name, if any");
	/* the state a rollback restores is saved in pgstep.saved */
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 3)->sql,
			       "  INSERT INTO pgstep.saved (migration, key, value) VALUES ('t', '0:users.name:was', was::text)\n"));
	assert_string_equal(step_at(&f, PHASE_EXPAND, 3)->rollback,
			    "DELETE FROM pgstep.saved WHERE migration = 't' AND key = '0:users.name:was'");
	expect_drop_not_null(&f, 4, "users", "name", NULL);
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 6)->rollback,
			       "' (the column of the new type is NULL there, or down gives NULL for its value); fill them by hand'"));
	/* nothing of the saved state to drop: it is pgstep's own */
	s = step_at(&f, PHASE_CONTRACT, 0);
	expect_sql_then_finish(s->sql,
			       "DROP TRIGGER IF EXISTS \"_pgstep_users_name_sync\" ON \"public\".\"users\";\n"
			       "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_users_name_sync\"();\n"
			       "ALTER TABLE \"public\".\"users\" DROP COLUMN \"_pgstep_users_name_old\"",
			       "users", "_pgstep_users_name_new");
	assert_true(s->multi);
	assert_true(s->irreversible);
	fixture_free(&f);
}

/* What follows the DO block of carry_finish_sql in a contract statement. */
static const char *
after_finish(const char *sql)
{
	const char *finish = strstr(sql, "pg_catalog.starts_with(key, 'carry:");
	const char *end;

	assert_non_null(finish);
	end = strstr(finish, "\n$pgstep$");
	assert_non_null(end);
	end += strlen("\n$pgstep$");
	return *end == ';' ? end + 2 : end;
}

static void
test_alter_column_type_with_constraints(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - alter_column:\n"
					"      table: users\n"
					"      column: account\n"
					"      type: bigint\n"
					"      up: coalesce(account, 0)\n"
					"      down: account::integer\n"
					"      nullable: false\n"
					"      default: \"0\"\n"
					"      comment: the account\n"
					"      check: {name: account_positive, constraint: \"ACCOUNT > 0 AND \\\"account\\\" <> id\"}\n"
					"      unique: true\n"
					"      references: {table: accounts, column: id}\n");
	const struct step *s;

	expect_counts(&f, 5, 2, 14, 1);
	/* the plan's comment on the shadow column, no copy of the old one's */
	expect_step(&f, PHASE_EXPAND, 2,
		    "COMMENT ON COLUMN \"public\".\"users\".\"_pgstep_users_account_new\" IS 'the account'",
		    "COMMENT ON COLUMN \"public\".\"users\".\"_pgstep_users_account_new\" IS NULL");
	/* a NULL the column cannot take, or a value the check refuses, is
	 * counted as not converted */
	s = step_at(&f, PHASE_BACKFILL, 0);
	assert_string_equal(s->bf->unconverted_sql,
			    "\"_pgstep_users_account_new\" IS NULL OR (\"_pgstep_users_account_new\" > 0 AND \"_pgstep_users_account_new\" <> id) IS FALSE");
	/* NOT NULL (0-3), then what the old column has (4), then the plan's
	 * constraints on the shadow column, under the plan's names where it
	 * gives them: the check, moved onto the shadow column by name */
	expect_carry(&f, PHASE_SWITCH, 4, "users", "account", "_pgstep_users_account_new");
	expect_flagged_step(&f, PHASE_SWITCH, 5, "add check account_positive on _pgstep_users_account_new (not valid)",
			    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"account_positive\" CHECK (\"_pgstep_users_account_new\" > 0 AND \"_pgstep_users_account_new\" <> id) NOT VALID",
			    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"account_positive\"", F_PLAN_PATH);
	/* validated, with a stop that says up and the check disagree */
	expect_flagged_step(&f, PHASE_SWITCH, 6, "validate check account_positive (what up gave must pass it)",
			    "DO $pgstep$\n"
			    "DECLARE\n"
			    "  refused bigint;\n"
			    "BEGIN\n"
			    "  ALTER TABLE \"public\".\"users\" VALIDATE CONSTRAINT \"account_positive\";\n"
			    "EXCEPTION WHEN check_violation THEN\n"
			    "  SELECT pg_catalog.count(*) INTO refused FROM \"public\".\"users\" WHERE (\"_pgstep_users_account_new\" > 0 AND \"_pgstep_users_account_new\" <> id) IS FALSE;\n"
			    "  RAISE EXCEPTION 'up and the check disagree: check % refuses the value of the column of the new type in % row(s) of % (up gave it, and the backfill counted those rows as not converted, or a writer of the new type did before switch); change up, or those rows, so that the check accepts them',\n"
			    "    'account_positive (ACCOUNT > 0 AND \"account\" <> id)', refused, 'users';\n"
			    "END\n"
			    "$pgstep$",
			    NULL, F_PLAN_PATH);
	/* the foreign key and the unique constraint under helper names */
	expect_flagged_step(&f, PHASE_SWITCH, 7, "add foreign key _pgstep_users_account_fkey on users (not valid)",
			    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"_pgstep_users_account_fkey\" FOREIGN KEY (\"_pgstep_users_account_new\") REFERENCES \"public\".\"accounts\" (\"id\") NOT VALID",
			    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"_pgstep_users_account_fkey\"", F_PLAN_PATH);
	expect_step(&f, PHASE_SWITCH, 8, "ALTER TABLE \"public\".\"users\" VALIDATE CONSTRAINT \"_pgstep_users_account_fkey\"", NULL);
	expect_index_guard(&f, PHASE_SWITCH, 9, "users", "_pgstep_users_account_key");
	expect_flagged_step(&f, PHASE_SWITCH, 10, "build unique index _pgstep_users_account_key concurrently",
			    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"_pgstep_users_account_key\" ON \"public\".\"users\" (\"_pgstep_users_account_new\")",
			    "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"_pgstep_users_account_key\"", F_NOTXN | F_RB_NOTXN);
	expect_step(&f, PHASE_SWITCH, 11,
		    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"_pgstep_users_account_key\" UNIQUE USING INDEX \"_pgstep_users_account_key\"",
		    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"_pgstep_users_account_key\"");
	/* then the swap, and the default on the column of the new type */
	assert_true(step_at(&f, PHASE_SWITCH, 12)->multi);
	assert_non_null(strstr(step_at(&f, PHASE_SWITCH, 12)->sql,
			       "RENAME COLUMN \"_pgstep_users_account_new\" TO \"account\";\n"));
	expect_flagged_step(&f, PHASE_SWITCH, 13, "set default of account",
			    "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"account\" SET DEFAULT (0)",
			    "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"account\" DROP DEFAULT", F_PLAN_PATH);
	/* contract: once the old column is gone and what was carried has its
	 * names back, the helper names give way to PostgreSQL's, chosen as it
	 * chooses them; the unique index's column takes the final name */
	s = step_at(&f, PHASE_CONTRACT, 0);
	assert_true(s->multi);
	assert_true(s->irreversible);
	expect_sql_then_finish(s->sql,
			       "DROP TRIGGER IF EXISTS \"_pgstep_users_account_sync\" ON \"public\".\"users\";\n"
			       "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_users_account_sync\"();\n"
			       "ALTER TABLE \"public\".\"users\" DROP COLUMN \"_pgstep_users_account_old\"",
			       "users", "_pgstep_users_account_new");
	assert_string_equal(after_finish(s->sql),
			    "DO $pgstep$\n"
			    "DECLARE\n"
			    "  ns oid := (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = '\"public\".\"users\"'::regclass);\n"
			    "  c text;\n"
			    "BEGIN\n"
			    "  FOREACH c IN ARRAY ARRAY['users_account_fkey', 'users_account_fkey1', 'users_account_fkey2', 'users_account_fkey3', 'users_account_fkey4', 'users_account_fkey5', 'users_account_fkey6', 'users_account_fkey7', 'users_account_fkey8', 'users_account_fkey9']::text[] LOOP\n"
			    "    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE connamespace = ns AND conname = c) THEN\n"
			    "      EXECUTE pg_catalog.format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', '\"public\".\"users\"'::regclass, '_pgstep_users_account_fkey', c);\n"
			    "      RETURN;\n"
			    "    END IF;\n"
			    "  END LOOP;\n"
			    "  RAISE EXCEPTION 'constraint % of % cannot take the name PostgreSQL would give it: all 10 tried are taken; name it in the plan', '_pgstep_users_account_fkey', '\"public\".\"users\"'::regclass;\n"
			    "END\n"
			    "$pgstep$;\n"
			    "DO $pgstep$\n"
			    "DECLARE\n"
			    "  ns oid := (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = '\"public\".\"users\"'::regclass);\n"
			    "  c text;\n"
			    "BEGIN\n"
			    "  FOREACH c IN ARRAY ARRAY['users_account_key', 'users_account_key1', 'users_account_key2', 'users_account_key3', 'users_account_key4', 'users_account_key5', 'users_account_key6', 'users_account_key7', 'users_account_key8', 'users_account_key9']::text[] LOOP\n"
			    "    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE connamespace = ns AND conname = c)\n"
			    "       AND NOT EXISTS (SELECT FROM pg_catalog.pg_class WHERE relnamespace = ns AND relname = c) THEN\n"
			    "      EXECUTE pg_catalog.format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', '\"public\".\"users\"'::regclass, '_pgstep_users_account_key', c);\n"
			    "      EXECUTE pg_catalog.format('ALTER TABLE %I.%I RENAME COLUMN %I TO %I', 'public', c, '_pgstep_users_account_new', 'account');\n"
			    "      RETURN;\n"
			    "    END IF;\n"
			    "  END LOOP;\n"
			    "  RAISE EXCEPTION 'constraint % of % cannot take the name PostgreSQL would give it: all 10 tried are taken; name it in the plan', '_pgstep_users_account_key', '\"public\".\"users\"'::regclass;\n"
			    "END\n"
			    "$pgstep$;\n");
	fixture_free(&f);
}

/* With a new name, the check may name the column by either name; given no
 * name, it takes PostgreSQL's for a check of the one column it names (by
 * its new name), or of none when it names others too. A named unique
 * constraint keeps its name; its index's column takes the final name. */
static void
test_alter_column_type_name_check_names(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - alter_column:\n"
					"      table: users\n"
					"      column: age\n"
					"      name: years\n"
					"      type: integer\n"
					"      up: age::integer\n"
					"      down: years::text\n"
					"      check: \"years < 200 AND age::integer > 0\"\n"
					"      unique: {name: one_age}\n"
					"  - alter_column:\n"
					"      table: users\n"
					"      column: height\n"
					"      type: integer\n"
					"      up: height::integer\n"
					"      down: height::text\n"
					"      check: \"height > 0 AND height < weight\"\n");
	const struct step *s;
	const char *after;

	s = step_at(&f, PHASE_SWITCH, 5);
	assert_string_equal(s->sql,
			    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"_pgstep_users_age_check\" CHECK (\"_pgstep_users_age_new\" < 200 AND \"_pgstep_users_age_new\"::integer > 0) NOT VALID");
	s = step_at(&f, PHASE_SWITCH, 8);
	assert_string_equal(s->sql,
			    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"one_age\" ON \"public\".\"users\" (\"_pgstep_users_age_new\")");
	after = after_finish(step_at(&f, PHASE_CONTRACT, 1)->sql);
	assert_non_null(strstr(after, "ARRAY['users_years_check', 'users_years_check1', "));
	assert_non_null(strstr(after, "$pgstep$;\nALTER TABLE \"public\".\"one_age\" RENAME COLUMN \"_pgstep_users_age_new\" TO \"years\";\n"));
	/* the second check names two columns: users_check */
	after = after_finish(step_at(&f, PHASE_CONTRACT, 2)->sql);
	assert_non_null(strstr(after, "ARRAY['users_check', 'users_check1', "));
	fixture_free(&f);
}

/* ---- alter_column in place ---- */

static void
test_alter_column_not_null_check_unique(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - alter_column:\n"
					"      table: users\n"
					"      column: email\n"
					"      nullable: false\n"
					"      check: {name: email_has_at, constraint: \"email LIKE '%@%'\"}\n"
					"      unique: {name: users_email_key}\n"
					"      up: \"coalesce(email, id || '@invalid')\"\n"
					"      down: email\n");
	const struct step *s;

	expect_counts(&f, 4, 2, 8, 2);
	/* a writer's NULL or refused value gets up, before the checks can refuse it */
	expect_step(&f, PHASE_EXPAND, 0,
		    "CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_users_email_alter\"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"
		    "#variable_conflict use_variable\n"
		    "BEGIN\n"
		    "  IF NEW.\"email\" IS NULL OR (SELECT (NOT (email LIKE '%@%')) FROM (SELECT NEW.*) AS _pgstep_row) THEN\n"
		    "    NEW.\"email\" := (SELECT (coalesce(email, id || '@invalid')) FROM (SELECT NEW.*) AS _pgstep_row);\n"
		    "  END IF;\n"
		    "  RETURN NEW;\n"
		    "END\n"
		    "$pgstep$",
		    "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_users_email_alter\"()");
	expect_step(&f, PHASE_EXPAND, 1,
		    "CREATE TRIGGER \"_pgstep_users_email_alter\" BEFORE INSERT OR UPDATE ON \"public\".\"users\" FOR EACH ROW WHEN (pg_catalog.current_setting('pgstep.backfill', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION \"public\".\"_pgstep_users_email_alter\"()",
		    "DROP TRIGGER IF EXISTS \"_pgstep_users_email_alter\" ON \"public\".\"users\"");
	/* a relation already named like the index would be attached in its place */
	expect_index_guard(&f, PHASE_EXPAND, 2, "users", "users_email_key");
	s = step_at(&f, PHASE_EXPAND, 3);
	assert_string_equal(s->sql, "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"users_email_key\" ON \"public\".\"users\" (\"email\")");
	assert_string_equal(s->rollback, "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"users_email_key\"");
	assert_true(s->no_txn);
	assert_true(s->rollback_no_txn);
	s = step_at(&f, PHASE_BACKFILL, 0);
	assert_int_equal(s->kind, STEP_BACKFILL);
	assert_string_equal(s->bf->set_sql, "\"email\" = (coalesce(email, id || '@invalid'))");
	assert_string_equal(s->bf->where_sql, "\"email\" IS NULL OR NOT (email LIKE '%@%')");
	assert_string_equal(s->bf->unconverted_sql, "\"email\" IS NULL OR NOT (email LIKE '%@%')");
	/* the checks arrive in switch, once the backfill has fixed every row:
	 * earlier, another backfill of the table would trip over them */
	expect_step(&f, PHASE_SWITCH, 0,
		    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"_pgstep_users_email_notnull\" CHECK (\"email\" IS NOT NULL) NOT VALID",
		    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"_pgstep_users_email_notnull\"");
	expect_step(&f, PHASE_SWITCH, 1,
		    "ALTER TABLE \"public\".\"users\" VALIDATE CONSTRAINT \"_pgstep_users_email_notnull\"",
		    NULL);
	expect_set_not_null(&f, PHASE_SWITCH, 2, 0, "users", "email");
	expect_step(&f, PHASE_SWITCH, 3,
		    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT \"_pgstep_users_email_notnull\"",
		    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"_pgstep_users_email_notnull\" CHECK (\"email\" IS NOT NULL) NOT VALID");
	expect_step(&f, PHASE_SWITCH, 4,
		    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"email_has_at\" CHECK (email LIKE '%@%') NOT VALID",
		    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"email_has_at\"");
	expect_step(&f, PHASE_SWITCH, 5,
		    "ALTER TABLE \"public\".\"users\" VALIDATE CONSTRAINT \"email_has_at\"",
		    NULL);
	/* built again only if a rollback of switch dropped it with the constraint */
	s = step_at(&f, PHASE_SWITCH, 6);
	assert_string_equal(s->sql, "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"users_email_key\" ON \"public\".\"users\" (\"email\")");
	assert_null(s->rollback);
	assert_true(s->no_txn);
	expect_step(&f, PHASE_SWITCH, 7,
		    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_email_key\" UNIQUE USING INDEX \"users_email_key\"",
		    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"users_email_key\"");
	expect_step(&f, PHASE_CONTRACT, 0,
		    "DROP TRIGGER IF EXISTS \"_pgstep_users_email_alter\" ON \"public\".\"users\"",
		    "CREATE TRIGGER \"_pgstep_users_email_alter\" BEFORE INSERT OR UPDATE ON \"public\".\"users\" FOR EACH ROW WHEN (pg_catalog.current_setting('pgstep.backfill', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION \"public\".\"_pgstep_users_email_alter\"()");
	expect_step(&f, PHASE_CONTRACT, 1,
		    "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_users_email_alter\"()",
		    "CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_users_email_alter\"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"
		    "#variable_conflict use_variable\n"
		    "BEGIN\n"
		    "  IF NEW.\"email\" IS NULL OR (SELECT (NOT (email LIKE '%@%')) FROM (SELECT NEW.*) AS _pgstep_row) THEN\n"
		    "    NEW.\"email\" := (SELECT (coalesce(email, id || '@invalid')) FROM (SELECT NEW.*) AS _pgstep_row);\n"
		    "  END IF;\n"
		    "  RETURN NEW;\n"
		    "END\n"
		    "$pgstep$");
	/* the trigger's drop names nothing of the plan's; the function's
	 * rollback creates it again, on the plan's search_path */
	assert_false(step_at(&f, PHASE_CONTRACT, 0)->plan_path);
	assert_true(step_at(&f, PHASE_CONTRACT, 1)->plan_path);
	fixture_free(&f);
}

static void
test_alter_column_nullable_default_comment(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - alter_column:\n"
					"      table: Order Items\n"
					"      column: select\n"
					"      nullable: true\n"
					"      default: null\n"
					"      comment: it's here\n");

	/* nothing at contract: the saved state is pgstep's own, in pgstep.saved */
	expect_counts(&f, 7, 0, 0, 0);
	/* what the rollbacks restore is kept first */
	expect_step(&f, PHASE_EXPAND, 0,
		    "DO $pgstep$\n"
		    "DECLARE\n"
		    "  was jsonb;\n"
		    "BEGIN\n"
		    "  SELECT pg_catalog.jsonb_build_object('notnull', a.attnotnull,\n"
		    "                                       'default', pg_catalog.pg_get_expr(d.adbin, d.adrelid),\n"
		    "                                       'comment', pg_catalog.col_description(a.attrelid, a.attnum),\n"
		    "                                       'notnull_name', (SELECT c.conname FROM pg_catalog.pg_constraint c\n"
		    "                                         WHERE c.conrelid = a.attrelid AND c.contype = 'n' AND c.conkey = ARRAY[a.attnum]))\n"
		    "    INTO was\n"
		    "    FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum\n"
		    "   WHERE a.attrelid = '\"public\".\"Order Items\"'::regclass AND a.attname = 'select' AND a.attnum > 0 AND NOT a.attisdropped;\n"
		    "  IF was IS NULL THEN\n"
		    "    RAISE EXCEPTION 'column % of % does not exist', 'select', '\"public\".\"Order Items\"'::regclass;\n"
		    "  END IF;\n"
		    "  INSERT INTO pgstep.saved (migration, key, value) VALUES ('t', '0:Order Items.select:was', was::text)\n"
		    "    ON CONFLICT (migration, key) DO UPDATE SET value = EXCLUDED.value, saved_at = now();\n"
		    "END\n"
		    "$pgstep$",
		    "DELETE FROM pgstep.saved WHERE migration = 't' AND key = '0:Order Items.select:was'");
	expect_drop_not_null(&f, 1, "Order Items", "select", NULL);
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 3)->rollback,
			       "'; give down, the value for them, or fill them by hand'"));
	expect_step(&f, PHASE_EXPAND, 5,
		    "ALTER TABLE \"public\".\"Order Items\" ALTER COLUMN \"select\" DROP DEFAULT",
		    "DO $pgstep$\n"
		    "DECLARE\n"
		    "  def text := (SELECT value FROM pgstep.saved WHERE migration = 't' AND key = '0:Order Items.select:was')::jsonb ->> 'default';\n"
		    "BEGIN\n"
		    "  IF def IS NULL THEN\n"
		    "    ALTER TABLE \"public\".\"Order Items\" ALTER COLUMN \"select\" DROP DEFAULT;\n"
		    "  ELSE\n"
		    "    EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', '\"public\".\"Order Items\"', 'select', def);\n"
		    "  END IF;\n"
		    "END\n"
		    "$pgstep$");
	expect_step(&f, PHASE_EXPAND, 6,
		    "COMMENT ON COLUMN \"public\".\"Order Items\".\"select\" IS 'it''s here'",
		    "DO $pgstep$\n"
		    "BEGIN\n"
		    "  EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', '\"public\".\"Order Items\"', 'select', (SELECT value FROM pgstep.saved WHERE migration = 't' AND key = '0:Order Items.select:was')::jsonb ->> 'comment');\n"
		    "END\n"
		    "$pgstep$");
	fixture_free(&f);
}

static void
test_alter_column_set_default(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - alter_column: {table: users, column: created_at, default: now()}\n");

	expect_counts(&f, 2, 0, 0, 0);
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 0)->sql, "INSERT INTO pgstep.saved"));
	assert_string_equal(step_at(&f, PHASE_EXPAND, 1)->sql,
			    "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"created_at\" SET DEFAULT (now())");
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 1)->rollback,
			       "  def text := (SELECT value FROM pgstep.saved WHERE migration = 't' AND key = '0:users.created_at:was')::jsonb ->> 'default';\n"));
	fixture_free(&f);
}

static void
test_alter_column_check_and_references(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - alter_column:\n"
					"      table: users\n"
					"      column: team_id\n"
					"      check: team_id > 0\n"
					"      references: {table: teams, column: id, on_delete: CASCADE}\n");

	/* no up: no trigger and no backfill, the constraints only */
	expect_counts(&f, 2, 0, 2, 0);
	expect_step(&f, PHASE_EXPAND, 0,
		    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_team_id_check\" CHECK (team_id > 0) NOT VALID",
		    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"users_team_id_check\"");
	expect_step(&f, PHASE_EXPAND, 1,
		    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_team_id_fkey\" FOREIGN KEY (\"team_id\") "
		    "REFERENCES \"public\".\"teams\" (\"id\") ON DELETE CASCADE NOT VALID",
		    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"users_team_id_fkey\"");
	expect_step(&f, PHASE_SWITCH, 0,
		    "ALTER TABLE \"public\".\"users\" VALIDATE CONSTRAINT \"users_team_id_check\"", NULL);
	expect_step(&f, PHASE_SWITCH, 1,
		    "ALTER TABLE \"public\".\"users\" VALIDATE CONSTRAINT \"users_team_id_fkey\"", NULL);
	fixture_free(&f);
}

static void
test_alter_column_check_with_up(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - alter_column:\n"
					"      table: users\n"
					"      column: age\n"
					"      check: {constraint: \"length(age) < 4\"}\n"
					"      unique: true\n"
					"      up: left(age, 3)\n");
	const struct step *s;

	expect_counts(&f, 4, 2, 4, 2);
	assert_string_equal(step_at(&f, PHASE_EXPAND, 0)->sql,
			    "CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_users_age_alter\"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"
			    "#variable_conflict use_variable\n"
			    "BEGIN\n"
			    "  IF (SELECT (NOT (length(age) < 4)) FROM (SELECT NEW.*) AS _pgstep_row) THEN\n"
			    "    NEW.\"age\" := (SELECT (left(age, 3)) FROM (SELECT NEW.*) AS _pgstep_row);\n"
			    "  END IF;\n"
			    "  RETURN NEW;\n"
			    "END\n"
			    "$pgstep$");
	s = step_at(&f, PHASE_BACKFILL, 0);
	assert_string_equal(s->bf->where_sql, "NOT (length(age) < 4)");
	assert_string_equal(s->bf->unconverted_sql, "NOT (length(age) < 4)");
	expect_index_guard(&f, PHASE_EXPAND, 2, "users", "users_age_key");
	s = step_at(&f, PHASE_EXPAND, 3);
	assert_string_equal(s->sql,
			    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"users_age_key\" ON \"public\".\"users\" (\"age\")");
	assert_true(s->no_txn);
	/* the check waits for switch: the backfill fixes the rows first */
	expect_step(&f, PHASE_SWITCH, 0,
		    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_age_check\" CHECK (length(age) < 4) NOT VALID",
		    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"users_age_check\"");
	expect_step(&f, PHASE_SWITCH, 3,
		    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_age_key\" UNIQUE USING INDEX \"users_age_key\"",
		    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"users_age_key\"");
	fixture_free(&f);
}

/* ---- plan errors, at the operation's mapping or the bad value ---- */

static void
test_errors_type(void **state)
{
	static const char *const missing[] = {
		"3:7: alter_column changing the type of \"age\" needs up: the expression that converts the old value (over the row as the old schema sees it)",
		"3:7: alter_column changing the type of \"age\" needs down: the expression that converts a new value back for the old column (over the row as the new schema sees it), which writers of the new schema keep in sync until contract",
	};

	expect_errors("operations:\n"
		      "  - alter_column:\n"
		      "      table: users\n"
		      "      column: age\n"
		      "      type: integer\n",
		      missing, 2);
	expect_error("operations:\n"
		     "  - alter_column:\n"
		     "      table: users\n"
		     "      column: age\n"
		     "      type: integer\n"
		     "      up: age::integer\n",
		     "3:7: alter_column changing the type of \"age\" needs down: the expression that converts a new value back for the old column (over the row as the new schema sees it), which writers of the new schema keep in sync until contract");
	/* a check that names the column qualified would stay on the old
	 * column, and go with it */
	expect_error("operations:\n"
		     "  - alter_column: {table: users, column: age, type: integer, up: age::integer, down: age::text,\n"
		     "                   unique: true, check: users.age > 0}\n",
		     "2:19: alter_column.check \"users.age > 0\" names \"age\" where it cannot be moved to the column of the new type (qualified, as users.age, or it does not parse): write the column's name alone");
	expect_error("operations:\n"
		     "  - alter_column: {table: users, column: age, type: integer, up: age::integer, down: age::text,\n"
		     "                   check: \"age > (\"}\n",
		     "2:19: alter_column.check \"age > (\" names \"age\" where it cannot be moved to the column of the new type (qualified, as users.age, or it does not parse): write the column's name alone");
}

static void
test_errors_in_place(void **state)
{
	expect_error("operations:\n"
		     "  - alter_column:\n"
		     "      table: users\n"
		     "      column: email\n"
		     "      nullable: false\n",
		     "3:7: alter_column making \"email\" NOT NULL needs up: the value for rows, and for writers, where it is NULL");
	expect_error("operations:\n"
		     "  - alter_column: {table: users, column: email}\n",
		     "2:19: alter_column has nothing to change: give name, type, nullable, check, unique, references, default or comment");
	expect_error("operations:\n"
		     "  - alter_column: {table: users, column: email, name: mail, nullable: false, default: \"''\", up: x}\n",
		     "2:19: alter_column with name and no type renames the column, and supports only comment besides: it cannot also take nullable, default, up; change that in a later migration");
	expect_error("operations:\n"
		     "  - alter_column: {table: users, column: email, name: email}\n",
		     "2:19: alter_column: name is the column's current name \"email\"");
	expect_error("operations:\n"
		     "  - alter_column:\n"
		     "      table: users\n"
		     "      column: email\n"
		     "      unique: false\n",
		     "5:15: alter_column.unique must be true or {name: ...}, not \"false\" (dropping a unique constraint is not supported)");
	expect_error("operations:\n"
		     "  - alter_column:\n"
		     "      table: users\n"
		     "      column: email\n"
		     "      default: [1]\n",
		     "5:16: alter_column.default must be a string, not a list");
	expect_error("operations:\n"
		     "  - alter_column:\n"
		     "      table: users\n"
		     "      column: team_id\n"
		     "      references: {table: teams, column: id, on_delete: EXPLODE}\n",
		     "5:57: references.on_delete must be NO ACTION, RESTRICT, CASCADE, SET NULL or SET DEFAULT, not \"EXPLODE\"");
	expect_error("operations:\n"
		     "  - alter_column:\n"
		     "      table: users\n"
		     "      column: email\n"
		     "      check: {name: x}\n",
		     "5:14: check is missing the required key \"constraint\"");
}

static void
test_errors_rename_column(void **state)
{
	expect_error("operations:\n"
		     "  - rename_column: {table: users, from: name, to: name}\n",
		     "2:51: rename_column: from and to are both \"name\"");
	expect_error("operations:\n"
		     "  - rename_column: {table: users, from: name}\n",
		     "2:20: rename_column is missing the required key \"to\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rename_column),
		cmocka_unit_test(test_alter_column_name_is_a_rename),
		cmocka_unit_test(test_alter_column_rename_with_comment),
		cmocka_unit_test(test_alter_column_type),
		cmocka_unit_test(test_alter_column_type_with_name_nullable_default_comment),
		cmocka_unit_test(test_alter_column_type_nullable_true),
		cmocka_unit_test(test_alter_column_type_with_constraints),
		cmocka_unit_test(test_alter_column_type_name_check_names),
		cmocka_unit_test(test_alter_column_not_null_check_unique),
		cmocka_unit_test(test_alter_column_nullable_default_comment),
		cmocka_unit_test(test_alter_column_set_default),
		cmocka_unit_test(test_alter_column_check_and_references),
		cmocka_unit_test(test_alter_column_check_with_up),
		cmocka_unit_test(test_errors_type),
		cmocka_unit_test(test_errors_in_place),
		cmocka_unit_test(test_errors_rename_column),
	};
	int rc = cmocka_run_group_tests_name("ops_alter", tests, NULL, NULL);

	sql_cleanup();
	return rc;
}
