/* create_table, rename_table, drop_column, drop_index, drop_table,
 * partition_table, sql and raw_sql: the exact SQL of every step, its
 * rollback and flags, and each validation error at its line and column. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compile/compile.h"
#include "base/diag.h"
#include "ops/helpers.h"
#include "plan/plan.h"
#include "plan_fixture.h"
#include "base/sanitize.h"
#include "compile/show.h"
#include "pg/sql.h"
#include "base/xalloc.h"

/* What copy_access_sql compiles in: a plan of schema public. */
static const struct plan public_plan = {0};
static const struct compile_ctx public_cc = {.plan = &public_plan};

/* ---- create_table ---- */

static void
test_create_table(void **state)
{
	struct fixture f = compile_text(
		"operations:\n"
		"  - create_table:\n"
		"      name: Order Items\n"
		"      comment: it's items\n"
		"      columns:\n"
		"        - {name: order id, type: bigint, pk: true}\n"
		"        - {name: line, type: int, pk: true, generated: {identity: {user_specified_values: ALWAYS}}}\n"
		"        - {name: sku, type: text, nullable: false, unique: true, check: {name: sku_set, constraint: \"sku <> ''\"}}\n"
		"        - {name: qty, type: int, default: \"1\", nullable: false, comment: how many}\n"
		"        - {name: price, type: \"numeric(10,2)\", check: \"price >= 0\", nullable: true}\n"
		"        - {name: total, type: numeric, generated: {expression: qty * price}}\n"
		"        - {name: user_id, type: bigint, references: {table: users, column: id, on_delete: CASCADE}}\n"
		"      constraints:\n"
		"        - {name: qty_positive, type: check, check: qty > 0}\n"
		"        - {type: unique, columns: [user_id, sku], deferrable: true}\n"
		"        - name: fk2\n"
		"          type: foreign_key\n"
		"          columns: [order id, user_id]\n"
		"          references: {table: Orders, columns: [id, user id], on_update: SET NULL, match_type: full}\n"
		"          initially_deferred: true\n");

	expect_counts(&f, 3, 0, 0, 0);
	expect_flagged_step(&f, PHASE_EXPAND, 0, "create table Order Items",
		    "CREATE TABLE \"public\".\"Order Items\" (\n"
		    "  \"order id\" bigint,\n"
		    "  \"line\" int GENERATED ALWAYS AS IDENTITY,\n"
		    "  \"sku\" text NOT NULL UNIQUE CONSTRAINT \"sku_set\" CHECK (sku <> ''),\n"
		    "  \"qty\" int DEFAULT (1) NOT NULL,\n"
		    "  \"price\" numeric(10,2) CHECK (price >= 0),\n"
		    "  \"total\" numeric GENERATED ALWAYS AS (qty * price) STORED NOT NULL,\n"
		    "  \"user_id\" bigint NOT NULL,\n"
		    "  PRIMARY KEY (\"order id\", \"line\"),\n"
		    "  FOREIGN KEY (\"user_id\") REFERENCES \"public\".\"users\" (\"id\") ON DELETE CASCADE,\n"
		    "  CONSTRAINT \"qty_positive\" CHECK (qty > 0),\n"
		    "  UNIQUE (\"user_id\", \"sku\") DEFERRABLE,\n"
		    "  CONSTRAINT \"fk2\" FOREIGN KEY (\"order id\", \"user_id\") REFERENCES \"public\".\"Orders\" (\"id\", \"user id\") "
		    "MATCH FULL ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED\n"
		    ")",
		    "DROP TABLE IF EXISTS \"public\".\"Order Items\"", F_PLAN_PATH);
	expect_flagged_step(&f, PHASE_EXPAND, 1, "comment on table Order Items",
		    "COMMENT ON TABLE \"public\".\"Order Items\" IS 'it''s items'", "COMMENT ON TABLE \"public\".\"Order Items\" IS NULL", 0);
	expect_flagged_step(&f, PHASE_EXPAND, 2, "comment on Order Items.qty",
		    "COMMENT ON COLUMN \"public\".\"Order Items\".\"qty\" IS 'how many'",
		    "COMMENT ON COLUMN \"public\".\"Order Items\".\"qty\" IS NULL", 0);
	fixture_free(&f);
}

static void
test_create_table_one_pk(void **state)
{
	struct fixture f = compile_text(
		"operations:\n"
		"  - create_table:\n"
		"      name: tags\n"
		"      columns:\n"
		"        - {name: id, type: bigserial, pk: true}\n"
		"        - {name: label, type: text, references: {name: tags_label_fk, table: labels, column: name}}\n"
		"      constraints:\n"
		"        - {name: tags_label_key, type: unique, columns: [label]}\n");

	expect_counts(&f, 1, 0, 0, 0);
	expect_flagged_step(&f, PHASE_EXPAND, 0, "create table tags",
		    "CREATE TABLE \"public\".\"tags\" (\n"
		    "  \"id\" bigserial PRIMARY KEY,\n"
		    "  \"label\" text NOT NULL,\n"
		    "  CONSTRAINT \"tags_label_fk\" FOREIGN KEY (\"label\") REFERENCES \"public\".\"labels\" (\"name\"),\n"
		    "  CONSTRAINT \"tags_label_key\" UNIQUE (\"label\")\n"
		    ")",
		    "DROP TABLE IF EXISTS \"public\".\"tags\"", F_PLAN_PATH);
	fixture_free(&f);
}

static void
test_create_table_errors(void **state)
{
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int}]\n"
		     "      constraints:\n"
		     "        - {name: c, type: exclusion, columns: [a]}\n",
		     6, 27, "constraint type must be check, unique, primary_key, foreign_key or exclude, not \"exclusion\"");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int}]\n"
		     "      constraints:\n"
		     "        - {name: c, type: exclude, columns: [a]}\n",
		     6, 36, "an exclude constraint cannot have columns");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int}]\n"
		     "      constraints:\n"
		     "        - {name: c, type: exclude}\n",
		     6, 11, "an exclude constraint needs exclude: {index_method, elements, predicate}");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int}]\n"
		     "      constraints:\n"
		     "        - {name: c, type: exclude, exclude: {index_method: gin, elements: a WITH =}}\n",
		     6, 60, "exclude.index_method must be btree, hash, gist or spgist");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int}]\n"
		     "      constraints:\n"
		     "        - {name: c, type: check, check: a > 0, index_parameters: {tablespace: x}}\n",
		     6, 48, "a check constraint cannot have index_parameters");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int}]\n"
		     "      constraints:\n"
		     "        - {name: u, type: unique, columns: [a], index_parameters: {include_columns: [z]}}\n",
		     6, 85, "constraint \"u\" names column \"z\", which t does not have");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int}]\n"
		     "      constraints:\n"
		     "        - {name: f, type: foreign_key, columns: [a], references: {table: o, columns: [x], on_delete_set_columns: [a]}}\n",
		     6, 114, "references.on_delete_set_columns needs on_delete: SET NULL or SET DEFAULT");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int}]\n"
		     "      constraints:\n"
		     "        - name: u\n"
		     "          type: unique\n"
		     "          columns: [a, b]\n",
		     8, 20, "constraint \"u\" names column \"b\", which t does not have");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int}]\n"
		     "      constraints:\n"
		     "        - name: fk\n"
		     "          type: foreign_key\n"
		     "          columns: [a]\n"
		     "          references:\n"
		     "            table: other\n"
		     "            columns: [x, y]\n",
		     11, 22, "references.columns names 2 columns for the constraint's 1");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int}]\n"
		     "      constraints:\n"
		     "        - name: c\n"
		     "          type: check\n"
		     "          check: a > 0\n"
		     "          deferrable: true\n",
		     9, 11, "a check constraint cannot have deferrable");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int, pk: true}]\n"
		     "      constraints:\n"
		     "        - {type: primary_key, columns: [a]}\n",
		     6, 11, "t has more than one primary key");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns:\n"
		     "        - {name: a, type: int, pk: true, nullable: true}\n",
		     5, 52, "column \"a\" is a primary key column and cannot be nullable");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns:\n"
		     "        - {name: a, type: int, default: \"1\", generated: {expression: b + 1}}\n",
		     5, 41, "column \"a\" is generated and cannot also have a default");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int}]\n"
		     "      constraints:\n"
		     "        - name: fk\n"
		     "          type: foreign_key\n"
		     "          columns: [a]\n"
		     "          references: {table: o, columns: [x], on_delete: explode}\n",
		     9, 59, "references.on_delete must be NO ACTION, RESTRICT, CASCADE, SET NULL or SET DEFAULT, not \"explode\"");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int}]\n"
		     "      constraints:\n"
		     "        - {name: c, type: check, check: a > 0}\n"
		     "        - {name: c, type: check, check: a < 9}\n",
		     7, 18, "duplicate constraint \"c\"");
	expect_load_error("operations:\n"
		     "  - create_table:\n"
		     "      name: t\n"
		     "      columns: [{name: a, type: int}]\n"
		     "      constraints:\n"
		     "        - {name: c, type: check}\n",
		     6, 11, "a check constraint needs check");
}

/* ---- rename_table ---- */

static void
test_copy_access_sql(void **state)
{
	char *sql = copy_access_sql(&public_cc, "users", "Customer's");

	assert_string_equal(sql,
			    "DO $pgstep$\n"
			    "DECLARE\n"
			    "  src regclass := '\"public\".\"users\"'::regclass;\n"
			    "  dst regclass := '\"public\".\"Customer''s\"'::regclass;\n"
			    "  owner name := (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = src);\n"
			    "  r record;\n"
			    "BEGIN\n"
			    "  FOR r IN SELECT dst AS rel UNION ALL\n"
			    "           SELECT inhrelid::regclass FROM pg_catalog.pg_inherits WHERE inhparent = dst LOOP\n"
			    "    IF (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = r.rel) <> owner THEN\n"
			    "      EXECUTE pg_catalog.format('ALTER TABLE %s OWNER TO %I', r.rel, owner);\n"
			    "    END IF;\n"
			    "  END LOOP;\n"
			    "  FOR r IN SELECT a.privilege_type, a.grantee, a.is_grantable\n"
			    "           FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) a\n"
			    "           WHERE c.oid = src AND a.grantee <> c.relowner LOOP\n"
			    "    EXECUTE pg_catalog.format('GRANT %s ON %s TO %s%s', r.privilege_type, dst,\n"
			    "                   CASE WHEN r.grantee = 0 THEN 'PUBLIC'\n"
			    "                        ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r.grantee)) END,\n"
			    "                   CASE WHEN r.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);\n"
			    "  END LOOP;\n"
			    "END\n"
			    "$pgstep$");
	free(sql);
	/* a body holding the default tag gets another one */
	sql = dollar_quote("x $pgstep$ y");
	assert_string_equal(sql, "$pgstep1$x $pgstep$ y$pgstep1$");
	free(sql);
}

static void
test_rename_table(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - rename_table: {from: users, to: Customer Accounts}\n");
	char *access = copy_access_sql(&public_cc, "Customer Accounts", "users");
	char *view = NULL;

	expect_counts(&f, 1, 0, 0, 1);
	assert_true(asprintf(&view, "CREATE VIEW \"public\".\"users\" AS SELECT * FROM \"public\".\"Customer Accounts\";\n%s", access) > 0);
	{
		char *sql = NULL;

		assert_true(asprintf(&sql, "ALTER TABLE \"public\".\"users\" RENAME TO \"Customer Accounts\";\n%s", view) > 0);
		expect_flagged_step(&f, PHASE_EXPAND, 0, "rename table users to Customer Accounts, with a view under the old name",
			    sql, "DROP VIEW IF EXISTS \"public\".\"users\";\nALTER TABLE \"public\".\"Customer Accounts\" RENAME TO \"users\"",
			    F_MULTI);
		free(sql);
	}
	expect_flagged_step(&f, PHASE_CONTRACT, 0, "drop the view users", "DROP VIEW \"public\".\"users\"", view, F_MULTI);
	assert_string_equal(step_at(&f, PHASE_EXPAND, 0)->table, "users");
	free(view);
	free(access);
	fixture_free(&f);
	expect_load_error("operations:\n  - rename_table: {from: a, to: a}\n", 2, 33, "from and to are both \"a\"");
}

/* An operation whose backfill or switch would meet the view the rename
 * leaves under the old name is refused at load, at that operation. */
static void
test_rename_table_after_ops(void **state)
{
	struct fixture f;

	(void) state;
	expect_load_error("operations:\n"
			  "  - add_column: {table: users, column: {name: n, type: int, nullable: true}, up: \"1\"}\n"
			  "  - rename_table: {from: users, to: people}\n",
			  2, 5, "add_column works on table users in backfill, and the rename_table at line 3 renames users in expand");
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: users, name: c, type: check, check: \"n > 0\", columns: [n], up: {n: \"greatest(n, 1)\"}, down: {n: n}}\n"
			  "  - rename_table: {from: users, to: people}\n",
			  2, 5, "create_constraint works on table users in");
	/* a nullable column with no up has nothing to backfill: expand only */
	f = compile_text("operations:\n"
			 "  - add_column: {table: users, column: {name: n, type: int, nullable: true}}\n"
			 "  - rename_table: {from: users, to: people}\n");
	expect_counts(&f, 2, 0, 0, 1);
	fixture_free(&f);
}

/* ---- drop_column ---- */

static void
test_drop_column(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - drop_column: {table: Order Items, column: note, down: \"'n/a'\"}\n");
	const char *fn_sql =
		"CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_Order Items_note_fill\"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"
		"#variable_conflict use_variable\n"
		"BEGIN\n"
		"  IF NEW.\"note\" IS NULL THEN NEW.\"note\" := (SELECT ('n/a') FROM (SELECT NEW.*) AS _pgstep_row); END IF;\n"
		"  RETURN NEW;\n"
		"END\n"
		"$pgstep$";
	const char *trg_sql =
		"CREATE TRIGGER \"_pgstep_Order Items_note_fill\" BEFORE INSERT ON \"public\".\"Order Items\" FOR EACH ROW "
		"WHEN (pg_catalog.current_setting('pgstep.backfill', true) IS DISTINCT FROM 'on') "
		"EXECUTE FUNCTION \"public\".\"_pgstep_Order Items_note_fill\"()";
	const char *drop_trg = "DROP TRIGGER IF EXISTS \"_pgstep_Order Items_note_fill\" ON \"public\".\"Order Items\"";
	const char *drop_fn = "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_Order Items_note_fill\"()";

	expect_counts(&f, 2, 0, 0, 3);
	expect_flagged_step(&f, PHASE_EXPAND, 0,
		    "create function _pgstep_Order Items_note_fill (fills the column for writers that no longer set it)",
		    fn_sql, drop_fn, F_PLAN_PATH);
	expect_flagged_step(&f, PHASE_EXPAND, 1, "create trigger _pgstep_Order Items_note_fill on Order Items", trg_sql,
		    drop_trg, 0);
	expect_flagged_step(&f, PHASE_CONTRACT, 0, "drop trigger _pgstep_Order Items_note_fill on Order Items", drop_trg,
		    trg_sql, 0);
	expect_flagged_step(&f, PHASE_CONTRACT, 1, "drop function _pgstep_Order Items_note_fill", drop_fn, fn_sql,
			    F_PLAN_PATH);
	expect_flagged_step(&f, PHASE_CONTRACT, 2, "drop column Order Items.note",
		    "ALTER TABLE \"public\".\"Order Items\" DROP COLUMN \"note\"", NULL, F_IRREV);
	fixture_free(&f);

	f = compile_text("operations:\n  - drop_column: {table: t, column: c}\n");
	expect_counts(&f, 0, 0, 0, 1);
	expect_flagged_step(&f, PHASE_CONTRACT, 0, "drop column t.c", "ALTER TABLE \"public\".\"t\" DROP COLUMN \"c\"", NULL, F_IRREV);
	fixture_free(&f);
}

/* ---- drop_index, drop_table ---- */

static void
test_drop_index(void **state)
{
	struct fixture f = compile_text("operations:\n  - drop_index: {name: users email idx}\n");

	expect_counts(&f, 0, 0, 0, 1);
	expect_flagged_step(&f, PHASE_CONTRACT, 0, "drop index users email idx concurrently",
		    "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"users email idx\"", NULL, F_NOTXN | F_IRREV);
	fixture_free(&f);
}

static void
test_drop_table(void **state)
{
	struct fixture f = compile_text("operations:\n  - drop_table: {name: Order Items, retain: 90s}\n");
	const struct step *s;

	expect_counts(&f, 0, 0, 0, 2);
	expect_flagged_step(&f, PHASE_CONTRACT, 0, "rename table Order Items out of the way to _pgstep_Order Items_dropped",
		    "ALTER TABLE \"public\".\"Order Items\" RENAME TO \"_pgstep_Order Items_dropped\"",
		    "ALTER TABLE \"public\".\"_pgstep_Order Items_dropped\" RENAME TO \"Order Items\"", 0);
	s = step_at(&f, PHASE_CONTRACT, 1);
	assert_string_equal(s->summary, "drop table _pgstep_Order Items_dropped (was Order Items)");
	assert_string_equal(s->sql, "DROP TABLE \"public\".\"_pgstep_Order Items_dropped\"");
	assert_null(s->rollback);
	assert_true(s->irreversible);
	assert_false(s->no_txn);
	assert_int_equal(s->delay_ms, 90000);
	fixture_free(&f);

	/* retain defaults to no wait */
	f = compile_text("operations:\n  - drop_table: {name: t}\n");
	assert_int_equal(step_at(&f, PHASE_CONTRACT, 1)->delay_ms, 0);
	fixture_free(&f);
	expect_load_error("operations:\n  - drop_table: {name: t, retain: forever}\n", 2, 35,
		     "drop_table.retain: \"forever\" is not a duration");
}

static void
test_show_prints_delay(void **state)
{
	struct fixture f = compile_text("operations:\n  - drop_table: {name: t, retain: 2h}\n");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	show_plan(out, f.plan, f.c, NULL);
	fclose(out);
	assert_non_null(strstr(buf, "  2. drop table _pgstep_t_dropped (was t)\n"
				    "       waits 2h after the previous step\n"
				    "       DROP TABLE \"public\".\"_pgstep_t_dropped\"\n"
				    "     rollback: none, this step destroys data\n"));
	/* only where there is a wait */
	assert_null(strstr(strstr(buf, "  1. "), "waits 2h after the previous step\n       ALTER"));
	free(buf);
	fixture_free(&f);
}

/* ---- partition_table ---- */

static const char *const fwd_fn =
	"CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_users_mirror\"() RETURNS trigger LANGUAGE plpgsql "
	"SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $pgstep$\n"
	"#variable_conflict use_variable\n"
	"BEGIN\n"
	"  IF TG_OP = 'INSERT' THEN\n"
	"    INSERT INTO \"public\".\"_pgstep_users_part\" SELECT NEW.* ON CONFLICT DO NOTHING;\n"
	"  ELSIF TG_OP = 'UPDATE' THEN\n"
	"    DELETE FROM \"public\".\"_pgstep_users_part\" WHERE \"id\" = OLD.\"id\" AND \"created_at\" = OLD.\"created_at\";\n"
	"    INSERT INTO \"public\".\"_pgstep_users_part\" SELECT NEW.* ON CONFLICT DO NOTHING;\n"
	"  ELSE\n"
	"    DELETE FROM \"public\".\"_pgstep_users_part\" WHERE \"id\" = OLD.\"id\" AND \"created_at\" = OLD.\"created_at\";\n"
	"  END IF;\n"
	"  RETURN NULL;\n"
	"END\n"
	"$pgstep$";

static const char *const rev_fn =
	"CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_users_mirror_back\"() RETURNS trigger LANGUAGE plpgsql "
	"SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $pgstep$\n"
	"#variable_conflict use_variable\n"
	"BEGIN\n"
	"  IF TG_OP = 'INSERT' THEN\n"
	"    INSERT INTO \"public\".\"_pgstep_users_old\" SELECT NEW.* ON CONFLICT DO NOTHING;\n"
	"  ELSIF TG_OP = 'UPDATE' THEN\n"
	"    DELETE FROM \"public\".\"_pgstep_users_old\" WHERE \"id\" = OLD.\"id\";\n"
	"    INSERT INTO \"public\".\"_pgstep_users_old\" SELECT NEW.* ON CONFLICT DO NOTHING;\n"
	"  ELSE\n"
	"    DELETE FROM \"public\".\"_pgstep_users_old\" WHERE \"id\" = OLD.\"id\";\n"
	"  END IF;\n"
	"  RETURN NULL;\n"
	"END\n"
	"$pgstep$";

#define FWD_TRG \
	"CREATE TRIGGER \"_pgstep_users_mirror\" AFTER INSERT OR UPDATE OR DELETE ON \"public\".\"users\" FOR EACH ROW " \
	"EXECUTE FUNCTION \"public\".\"_pgstep_users_mirror\"()"
#define REV_TRG \
	"CREATE TRIGGER \"_pgstep_users_mirror_back\" AFTER INSERT OR UPDATE OR DELETE ON \"public\".\"users\" FOR EACH ROW " \
	"EXECUTE FUNCTION \"public\".\"_pgstep_users_mirror_back\"()"

static void
test_partition_table_interval(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - partition_table:\n"
					"      table: users\n"
					"      column: created_at\n"
					"      type: range\n"
					"      interval: {every: 2 years, from: 2019-01-01, to: 2024-06-01}\n");
	const struct step *s;
	char *access, *sql = NULL;

	/* check, shadow, key, 3 partitions, default, function, trigger */
	expect_counts(&f, 9, 2, 3, 6);
	s = step_at(&f, PHASE_EXPAND, 0);
	assert_string_equal(s->summary, "check that users can be partitioned by created_at");
	assert_null(s->rollback);
	assert_non_null(strstr(s->sql, "  t regclass := '\"public\".\"users\"'::regclass;\n"));
	assert_non_null(strstr(s->sql, "WHERE confrelid = t AND contype = 'f';\n"));
	assert_non_null(strstr(s->sql, "attname = 'created_at' AND NOT attisdropped AND attnotnull"));
	assert_non_null(strstr(s->sql, "k.cols @> ARRAY['id']::text[] AND k.cols <@ ARRAY['id']::text[]"));
	expect_flagged_step(&f, PHASE_EXPAND, 1, "create the partitioned copy _pgstep_users_part of users",
		    "CREATE TABLE \"public\".\"_pgstep_users_part\" (LIKE \"public\".\"users\" INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
		    "INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE (\"created_at\")",
		    "DROP TABLE IF EXISTS \"public\".\"_pgstep_users_part\"", 0);
	expect_flagged_step(&f, PHASE_EXPAND, 2, "add primary key _pgstep_users_part_pkey to _pgstep_users_part",
		    "ALTER TABLE \"public\".\"_pgstep_users_part\" ADD CONSTRAINT \"_pgstep_users_part_pkey\" "
		    "PRIMARY KEY (\"id\", \"created_at\")",
		    "ALTER TABLE \"public\".\"_pgstep_users_part\" DROP CONSTRAINT IF EXISTS \"_pgstep_users_part_pkey\"", 0);
	expect_flagged_step(&f, PHASE_EXPAND, 3, "create partition users_p2019 [2019-01-01, 2021-01-01)",
		    "CREATE TABLE \"public\".\"users_p2019\" PARTITION OF \"public\".\"_pgstep_users_part\" "
		    "FOR VALUES FROM ('2019-01-01') TO ('2021-01-01')",
		    "DROP TABLE IF EXISTS \"public\".\"users_p2019\"", 0);
	expect_flagged_step(&f, PHASE_EXPAND, 4, "create partition users_p2021 [2021-01-01, 2023-01-01)",
		    "CREATE TABLE \"public\".\"users_p2021\" PARTITION OF \"public\".\"_pgstep_users_part\" "
		    "FOR VALUES FROM ('2021-01-01') TO ('2023-01-01')",
		    "DROP TABLE IF EXISTS \"public\".\"users_p2021\"", 0);
	/* the last one stops at `to` */
	expect_flagged_step(&f, PHASE_EXPAND, 5, "create partition users_p2023 [2023-01-01, 2024-06-01)",
		    "CREATE TABLE \"public\".\"users_p2023\" PARTITION OF \"public\".\"_pgstep_users_part\" "
		    "FOR VALUES FROM ('2023-01-01') TO ('2024-06-01')",
		    "DROP TABLE IF EXISTS \"public\".\"users_p2023\"", 0);
	expect_flagged_step(&f, PHASE_EXPAND, 6, "create partition users_default for every other value",
		    "CREATE TABLE \"public\".\"users_default\" PARTITION OF \"public\".\"_pgstep_users_part\" DEFAULT",
		    "DROP TABLE IF EXISTS \"public\".\"users_default\"", 0);
	expect_flagged_step(&f, PHASE_EXPAND, 7,
		    "create function _pgstep_users_mirror (mirrors every write into the partitioned copy)", fwd_fn,
		    "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_users_mirror\"()", 0);
	/* AFTER, and no backfill WHEN clause */
	expect_flagged_step(&f, PHASE_EXPAND, 8, "create trigger _pgstep_users_mirror on users", FWD_TRG,
		    "DROP TRIGGER IF EXISTS \"_pgstep_users_mirror\" ON \"public\".\"users\"", 0);

	s = step_at(&f, PHASE_BACKFILL, 0);
	assert_int_equal(s->kind, STEP_BACKFILL);
	assert_string_equal(s->summary, "copy the rows of users into _pgstep_users_part");
	assert_string_equal(s->bf->table, "users");
	assert_string_equal(s->bf->copy_to, "_pgstep_users_part");
	assert_null(s->bf->set_sql);
	assert_null(s->rollback);
	/* a copy evaluates nothing of the plan's: pg_catalog, pg_temp only */
	assert_false(s->plan_path);
	s = step_at(&f, PHASE_BACKFILL, 1);
	assert_int_equal(s->kind, STEP_VACUUM);
	assert_string_equal(s->sql, "VACUUM (ANALYZE) \"public\".\"_pgstep_users_part\"");

	expect_flagged_step(&f, PHASE_SWITCH, 0, "verify that users and _pgstep_users_part hold as many rows",
		    "DO $pgstep$\n"
		    "DECLARE\n"
		    "  n_table bigint;\n"
		    "  n_copy bigint;\n"
		    "BEGIN\n"
		    "  SELECT (SELECT pg_catalog.count(*) FROM \"public\".\"users\"), (SELECT pg_catalog.count(*) FROM \"public\".\"_pgstep_users_part\") "
		    "INTO n_table, n_copy;\n"
		    "  IF n_table <> n_copy THEN\n"
		    "    RAISE EXCEPTION 'partition_table: % has % rows but its partitioned copy % has %: not swapping',\n"
		    "      '\"public\".\"users\"', n_table, '\"public\".\"_pgstep_users_part\"', n_copy;\n"
		    "  END IF;\n"
		    "END\n"
		    "$pgstep$",
		    NULL, 0);
	expect_flagged_step(&f, PHASE_SWITCH, 1,
		    "create function _pgstep_users_mirror_back (mirrors every write back into the old table)", rev_fn,
		    "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_users_mirror_back\"()", 0);
	access = copy_access_sql(&public_cc, "_pgstep_users_old", "users");
	assert_true(asprintf(&sql,
			     "ALTER TABLE \"public\".\"users\" RENAME TO \"_pgstep_users_old\";\n"
			     "ALTER TABLE \"public\".\"_pgstep_users_part\" RENAME TO \"users\";\n"
			     "DROP TRIGGER IF EXISTS \"_pgstep_users_mirror\" ON \"public\".\"_pgstep_users_old\";\n"
			     REV_TRG ";\n"
			     "%s", access) > 0);
	expect_flagged_step(&f, PHASE_SWITCH, 2, "swap users and its partitioned copy", sql,
		    "DROP TRIGGER IF EXISTS \"_pgstep_users_mirror_back\" ON \"public\".\"users\";\n"
		    "ALTER TABLE \"public\".\"users\" RENAME TO \"_pgstep_users_part\";\n"
		    "ALTER TABLE \"public\".\"_pgstep_users_old\" RENAME TO \"users\";\n"
		    FWD_TRG, F_MULTI);
	free(sql);
	free(access);

	expect_flagged_step(&f, PHASE_CONTRACT, 0, "drop trigger _pgstep_users_mirror_back on users",
		    "DROP TRIGGER IF EXISTS \"_pgstep_users_mirror_back\" ON \"public\".\"users\"", REV_TRG, 0);
	expect_flagged_step(&f, PHASE_CONTRACT, 1, "drop function _pgstep_users_mirror_back",
		    "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_users_mirror_back\"()", rev_fn, 0);
	expect_flagged_step(&f, PHASE_CONTRACT, 2, "drop function _pgstep_users_mirror",
		    "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_users_mirror\"()", fwd_fn, 0);
	s = step_at(&f, PHASE_CONTRACT, 3);
	assert_string_equal(s->summary, "move the sequences of _pgstep_users_old to users");
	assert_non_null(strstr(s->sql, "AND d.refobjid = '\"public\".\"_pgstep_users_old\"'::regclass AND d.deptype = 'a' LOOP\n"
				       "    EXECUTE pg_catalog.format('ALTER SEQUENCE %s OWNED BY %s.%I', r.seq, "
				       "'\"public\".\"users\"'::regclass, r.attname);\n"));
	assert_non_null(strstr(s->rollback, "AND d.refobjid = '\"public\".\"users\"'::regclass AND d.deptype = 'a' LOOP\n"
					    "    EXECUTE pg_catalog.format('ALTER SEQUENCE %s OWNED BY %s.%I', r.seq, "
					    "'\"public\".\"_pgstep_users_old\"'::regclass, r.attname);\n"));
	expect_flagged_step(&f, PHASE_CONTRACT, 4, "drop the old table _pgstep_users_old", "DROP TABLE \"public\".\"_pgstep_users_old\"",
		    NULL, F_IRREV);
	expect_flagged_step(&f, PHASE_CONTRACT, 5, "rename primary key _pgstep_users_part_pkey to users_pkey",
		    "DO $pgstep$\n"
		    "BEGIN\n"
		    "  IF pg_catalog.to_regclass('\"public\".\"users_pkey\"') IS NULL AND EXISTS (SELECT 1 FROM pg_constraint\n"
		    "      WHERE conrelid = '\"public\".\"users\"'::regclass AND conname = '_pgstep_users_part_pkey') THEN\n"
		    "    ALTER TABLE \"public\".\"users\" RENAME CONSTRAINT \"_pgstep_users_part_pkey\" TO \"users_pkey\";\n"
		    "  END IF;\n"
		    "END\n"
		    "$pgstep$",
		    "DO $pgstep$\n"
		    "BEGIN\n"
		    "  IF pg_catalog.to_regclass('\"public\".\"_pgstep_users_part_pkey\"') IS NULL AND EXISTS (SELECT 1 FROM pg_constraint\n"
		    "      WHERE conrelid = '\"public\".\"users\"'::regclass AND conname = 'users_pkey') THEN\n"
		    "    ALTER TABLE \"public\".\"users\" RENAME CONSTRAINT \"users_pkey\" TO \"_pgstep_users_part_pkey\";\n"
		    "  END IF;\n"
		    "END\n"
		    "$pgstep$",
		    0);
	fixture_free(&f);
}

/* Bounds generated in C, as date + interval does it in PostgreSQL. */
static void
test_partition_interval_units(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - partition_table:\n"
					"      table: t\n"
					"      column: d\n"
					"      interval: {every: 1 month, from: 2020-01-31, to: 2020-05-01}\n");

	/* the 31st clamps to the end of shorter months; leap year */
	assert_string_equal(step_at(&f, PHASE_EXPAND, 3)->sql,
			    "CREATE TABLE \"public\".\"t_p2020_01\" PARTITION OF \"public\".\"_pgstep_t_part\" FOR VALUES FROM ('2020-01-31') TO ('2020-02-29')");
	assert_string_equal(step_at(&f, PHASE_EXPAND, 4)->sql,
			    "CREATE TABLE \"public\".\"t_p2020_02\" PARTITION OF \"public\".\"_pgstep_t_part\" FOR VALUES FROM ('2020-02-29') TO ('2020-03-31')");
	assert_string_equal(step_at(&f, PHASE_EXPAND, 5)->sql,
			    "CREATE TABLE \"public\".\"t_p2020_03\" PARTITION OF \"public\".\"_pgstep_t_part\" FOR VALUES FROM ('2020-03-31') TO ('2020-04-30')");
	assert_string_equal(step_at(&f, PHASE_EXPAND, 6)->sql,
			    "CREATE TABLE \"public\".\"t_p2020_04\" PARTITION OF \"public\".\"_pgstep_t_part\" FOR VALUES FROM ('2020-04-30') TO ('2020-05-01')");
	assert_string_equal(step_at(&f, PHASE_EXPAND, 7)->sql,
			    "CREATE TABLE \"public\".\"t_default\" PARTITION OF \"public\".\"_pgstep_t_part\" DEFAULT");
	fixture_free(&f);

	f = compile_text("operations:\n"
			 "  - partition_table:\n"
			 "      table: t\n"
			 "      column: d\n"
			 "      interval: {every: 10 days, from: 2023-12-25, to: 2024-01-10}\n");
	/* 2023-12-25, 2024-01-04, and 2024-01-14 clipped to `to` */
	expect_counts(&f, 8, 2, 3, 6);
	assert_string_equal(step_at(&f, PHASE_EXPAND, 3)->sql,
			    "CREATE TABLE \"public\".\"t_p2023_12_25\" PARTITION OF \"public\".\"_pgstep_t_part\" FOR VALUES FROM ('2023-12-25') TO ('2024-01-04')");
	assert_string_equal(step_at(&f, PHASE_EXPAND, 4)->sql,
			    "CREATE TABLE \"public\".\"t_p2024_01_04\" PARTITION OF \"public\".\"_pgstep_t_part\" FOR VALUES FROM ('2024-01-04') TO ('2024-01-10')");
	fixture_free(&f);
}

static void
test_partition_table_explicit(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - partition_table:\n"
					"      table: Order Items\n"
					"      column: placed on\n"
					"      primary_key: [item id, placed on]\n"
					"      partitions:\n"
					"        - {name: old, from: MINVALUE, to: \"2020-01-01\"}\n"
					"        - {name: \"2020s\", from: \"2020-01-01\", to: \"2030-01-01\"}\n");

	expect_counts(&f, 8, 2, 3, 6);
	/* the key holds the partition column already: not added twice */
	assert_string_equal(step_at(&f, PHASE_EXPAND, 2)->sql,
			    "ALTER TABLE \"public\".\"_pgstep_Order Items_part\" ADD CONSTRAINT \"_pgstep_Order Items_part_pkey\" "
			    "PRIMARY KEY (\"item id\", \"placed on\")");
	expect_flagged_step(&f, PHASE_EXPAND, 3, "create partition Order Items_old [MINVALUE, 2020-01-01)",
		    "CREATE TABLE \"public\".\"Order Items_old\" PARTITION OF \"public\".\"_pgstep_Order Items_part\" "
		    "FOR VALUES FROM (MINVALUE) TO ('2020-01-01')",
		    "DROP TABLE IF EXISTS \"public\".\"Order Items_old\"", 0);
	assert_string_equal(step_at(&f, PHASE_EXPAND, 4)->sql,
			    "CREATE TABLE \"public\".\"Order Items_2020s\" PARTITION OF \"public\".\"_pgstep_Order Items_part\" "
			    "FOR VALUES FROM ('2020-01-01') TO ('2030-01-01')");
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 6)->sql,
			       "    DELETE FROM \"public\".\"_pgstep_Order Items_part\" WHERE \"item id\" = OLD.\"item id\" "
			       "AND \"placed on\" = OLD.\"placed on\";\n"));
	assert_non_null(strstr(step_at(&f, PHASE_SWITCH, 1)->sql,
			       "    DELETE FROM \"public\".\"_pgstep_Order Items_old\" WHERE \"item id\" = OLD.\"item id\" "
			       "AND \"placed on\" = OLD.\"placed on\";\n"));
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 0)->sql,
			       "k.cols @> ARRAY['item id', 'placed on']::text[]"));
	assert_string_equal(step_at(&f, PHASE_CONTRACT, 5)->summary,
			    "rename primary key _pgstep_Order Items_part_pkey to Order Items_pkey");
	fixture_free(&f);
}

/* <table>_<name> and <table>_default past 63 bytes are shortened as
 * PostgreSQL shortens its own names (the table part, never half a UTF-8
 * character), not refused; the primary key gets the name PostgreSQL
 * would give it. */
static void
test_partition_table_long_names(void **state)
{
	/* 60 bytes: "x", 29 two-byte characters, "x" */
	const char *table = "x\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"
			    "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9x";
	char *text = xasprintf("operations:\n"
			       "  - partition_table:\n"
			       "      table: %s\n"
			       "      column: n\n"
			       "      partitions:\n"
			       "        - {name: y202, from: 1, to: 2}\n", table);
	struct fixture f = compile_text(text);
	/* "y202": the table part would end inside an "é" */
	const char *names[2] = {"y202", "default"};

	assert_int_equal(strlen(table), 60);
	for (size_t i = 0; i < 2; i++) {
		char *full = xasprintf("%s_%s", table, names[i]), *want = sql_pg_name(table, names[i], NULL);
		char *clean = sanitize(want), *summary = xasprintf("create partition %s", want);
		char *create = xasprintf("CREATE TABLE \"public\".\"%s\" PARTITION OF", want);
		const struct step *s = step_at(&f, PHASE_EXPAND, 3 + i);

		assert_true(strlen(want) <= 63);
		assert_string_not_equal(want, full);
		/* the partition's own name stays whole, at the end */
		assert_string_equal(want + strlen(want) - strlen(names[i]) - 1, strrchr(full, '_'));
		/* valid UTF-8: the sanitizer leaves it as it is */
		assert_string_equal(clean, want);
		assert_int_equal(strncmp(s->summary, summary, strlen(summary)), 0);
		assert_int_equal(strncmp(s->sql, create, strlen(create)), 0);
		free(create);
		free(summary);
		free(clean);
		free(want);
		free(full);
	}
	{
		char *pkey = sql_pg_name(table, NULL, "pkey");
		const char *summary = step_at(&f, PHASE_CONTRACT, 5)->summary, *to = strstr(summary, " to ");

		assert_non_null(to);
		assert_string_equal(to + 4, pkey);
		assert_true(strlen(pkey) <= 63);
		free(pkey);
	}
	fixture_free(&f);
	free(text);
}

static void
test_partition_table_errors(void **state)
{
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: t\n"
		     "      column: d\n"
		     "      partitions:\n"
		     "        - {name: a, from: 2021-01-01, to: 2020-01-01}\n",
		     6, 11, "partition \"a\": from (2021-01-01) must be below to (2020-01-01)");
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: t\n"
		     "      column: n\n"
		     "      partitions:\n"
		     "        - {name: a, from: 0, to: 100}\n"
		     "        - {name: b, from: 100, to: 100}\n",
		     7, 11, "partition \"b\": from (100) must be below to (100)");
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: t\n"
		     "      column: d\n"
		     "      partitions:\n"
		     "        - {name: a, from: 2020-01-01, to: 2021-01-01}\n"
		     "        - {name: b, from: 2020-06-01, to: 2022-01-01}\n",
		     7, 11, "partition \"b\" [2020-06-01, 2022-01-01) overlaps \"a\" [2020-01-01, 2021-01-01)");
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: t\n"
		     "      column: d\n"
		     "      partitions:\n"
		     "        - {name: a, from: MINVALUE, to: 2021-01-01}\n"
		     "        - {name: a, from: 2021-01-01, to: MAXVALUE}\n",
		     7, 18, "duplicate partition \"a\"");
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: t\n"
		     "      column: d\n"
		     "      interval: {every: 1 fortnight, from: 2020-01-01, to: 2021-01-01}\n",
		     5, 25, "interval.every must be a number of years, months or days such as \"1 month\", not \"1 fortnight\"");
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: t\n"
		     "      column: d\n"
		     "      interval: {every: 1 month, from: 2021-02-30, to: 2022-01-01}\n",
		     5, 40, "interval.from must be a date written YYYY-MM-DD, not \"2021-02-30\"");
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: t\n"
		     "      column: d\n"
		     "      interval: {every: 1 month, from: 2022-01-01, to: 2022-01-01}\n",
		     5, 17, "interval: from (2022-01-01) must be below to (2022-01-01)");
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: t\n"
		     "      column: d\n"
		     "      interval: {every: 1 day, from: 2000-01-01, to: 2010-01-01}\n",
		     5, 17, "interval gives more than 1000 partitions");
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: t\n"
		     "      column: d\n"
		     "      type: list\n"
		     "      interval: {every: 1 year, from: 2020-01-01, to: 2022-01-01}\n",
		     5, 13, "partition_table supports type range only, not \"list\"");
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: t\n"
		     "      column: d\n"
		     "      partitions: [{name: a, from: 1, to: 2}]\n"
		     "      interval: {every: 1 year, from: 2020-01-01, to: 2022-01-01}\n",
		     6, 17, "partition_table takes partitions or interval, not both");
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: t\n"
		     "      column: d\n",
		     3, 7, "partition_table needs partitions or interval");
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: ttttttttttttttttttttttttttttttttttttttttttttttttttttttttt_xz\n"
		     "      column: n\n"
		     "      partitions:\n"
		     "        - {name: low, from: 1, to: 2}\n"
		     "        - {name: x_low, from: 2, to: 3}\n",
		     7, 18, "partitions \"low\" and \"x_low\" would both be named "
		     "\"ttttttttttttttttttttttttttttttttttttttttttttttttttttttttt_x_low\" once shortened");
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: t\n"
		     "      column: n\n"
		     "      partitions:\n"
		     "        - {name: default, from: 1, to: 2}\n",
		     6, 18, "partition name \"default\" is taken by the DEFAULT partition");
	expect_load_error("operations:\n"
		     "  - partition_table:\n"
		     "      table: t\n"
		     "      column: d\n"
		     "      primary_key: [id, id]\n"
		     "      interval: {every: 1 year, from: 2020-01-01, to: 2022-01-01}\n",
		     5, 20, "primary_key names \"id\" twice");
}

/* ---- sql, raw_sql ---- */

static void
test_sql(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - sql: {up: CREATE TABLE a (x int), down: DROP TABLE a}\n"
					"  - sql: {up: CREATE INDEX a_x ON a (x), onComplete: true}\n");

	expect_counts(&f, 1, 0, 0, 1);
	expect_flagged_step(&f, PHASE_EXPAND, 0, "run sql up", "CREATE TABLE a (x int)", "DROP TABLE a", F_PLAN_PATH);
	expect_flagged_step(&f, PHASE_CONTRACT, 0, "run sql up (no down: a rollback leaves its effects in place)",
		    "CREATE INDEX a_x ON a (x)", NULL, F_PLAN_PATH);
	assert_int_equal(step_at(&f, PHASE_CONTRACT, 0)->op_index, 1);
	fixture_free(&f);
	/* pgroll runs raw SQL outside a transaction: a lone CREATE INDEX
	 * CONCURRENTLY (and its DROP INDEX CONCURRENTLY) runs so here too */
	f = compile_text("operations:\n"
			 "  - sql:\n"
			 "      up: CREATE INDEX CONCURRENTLY a_x ON a (x)\n"
			 "      down: DROP INDEX CONCURRENTLY a_x\n"
			 "  - sql: {up: REINDEX INDEX CONCURRENTLY a_x, down: SELECT 1, onComplete: true}\n");
	expect_flagged_step(&f, PHASE_EXPAND, 0, "run sql up", "CREATE INDEX CONCURRENTLY a_x ON a (x)",
			    "DROP INDEX CONCURRENTLY a_x", F_PLAN_PATH | F_NOTXN | F_RB_NOTXN);
	expect_flagged_step(&f, PHASE_CONTRACT, 0, "run sql up", "REINDEX INDEX CONCURRENTLY a_x", "SELECT 1",
			    F_PLAN_PATH | F_NOTXN);
	fixture_free(&f);
	expect_load_error("operations:\n  - sql: {up: \"VACUUM a; ANALYZE a\"}\n", 2, 16,
			  "sql.up holds VACUUM and 1 other statement");
	expect_load_error("operations:\n  - sql: {down: DROP TABLE a}\n", 2, 10, "sql is missing the required key \"up\"");
}

static void
test_raw_sql(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - raw_sql:\n"
					"      expand: {up: ALTER TABLE t ADD COLUMN c text, down: ALTER TABLE t DROP COLUMN c}\n"
					"      backfill: {table: t, update: c = lower(name), where: c IS NULL}\n"
					"      switch: {up: ALTER TABLE t ALTER c SET NOT NULL}\n"
					"      contract: {up: DROP TABLE legacy, down: CREATE TABLE legacy ()}\n");
	const struct step *s;

	expect_counts(&f, 1, 2, 1, 1);
	expect_flagged_step(&f, PHASE_EXPAND, 0, "run raw sql (expand)", "ALTER TABLE t ADD COLUMN c text",
		    "ALTER TABLE t DROP COLUMN c", F_PLAN_PATH);
	s = step_at(&f, PHASE_BACKFILL, 0);
	assert_int_equal(s->kind, STEP_BACKFILL);
	assert_string_equal(s->summary, "backfill t (raw sql)");
	assert_string_equal(s->bf->table, "t");
	assert_string_equal(s->bf->set_sql, "c = lower(name)");
	assert_string_equal(s->bf->where_sql, "c IS NULL");
	assert_null(s->bf->copy_to);
	/* the plan's SET list and WHERE run on the plan's search_path */
	assert_true(s->plan_path);
	assert_string_equal(s->sql, "UPDATE \"public\".\"t\" SET c = lower(name) WHERE <key> > $last AND <key> <= $batch_end AND (c IS NULL)");
	assert_int_equal(step_at(&f, PHASE_BACKFILL, 1)->kind, STEP_VACUUM);
	expect_flagged_step(&f, PHASE_SWITCH, 0, "run raw sql (switch; no down: a rollback leaves its effects in place)",
		    "ALTER TABLE t ALTER c SET NOT NULL", NULL, F_PLAN_PATH);
	expect_flagged_step(&f, PHASE_CONTRACT, 0, "run raw sql (contract)", "DROP TABLE legacy", "CREATE TABLE legacy ()",
		    F_PLAN_PATH);
	fixture_free(&f);

	/* a statement that cannot run in a transaction block runs alone outside
	 * one, up and down alike, each as the safety module reads it */
	f = compile_text("operations:\n"
			 "  - raw_sql:\n"
			 "      switch: {up: CREATE INDEX CONCURRENTLY t_c ON t (c), down: DROP INDEX CONCURRENTLY t_c}\n"
			 "      contract: {up: VACUUM t, down: CREATE TABLE legacy ()}\n");
	expect_flagged_step(&f, PHASE_SWITCH, 0, "run raw sql (switch)", "CREATE INDEX CONCURRENTLY t_c ON t (c)",
			    "DROP INDEX CONCURRENTLY t_c", F_PLAN_PATH | F_NOTXN | F_RB_NOTXN);
	expect_flagged_step(&f, PHASE_CONTRACT, 0, "run raw sql (contract)", "VACUUM t", "CREATE TABLE legacy ()",
			    F_PLAN_PATH | F_NOTXN);
	fixture_free(&f);
	/* with other statements it could not run: refused at the statement */
	expect_load_error("operations:\n"
			  "  - raw_sql:\n"
			  "      expand:\n"
			  "        up: |\n"
			  "          CREATE TABLE a (x int);\n"
			  "          CREATE INDEX CONCURRENTLY a_x ON a (x);\n",
			  6, 11, "raw_sql.expand.up holds CREATE INDEX CONCURRENTLY and 1 other statement, which run together as one transaction, inside which CREATE INDEX CONCURRENTLY cannot run: put it in an operation of its own");

	expect_load_error("operations:\n  - raw_sql: {}\n", 2, 14,
		     "raw_sql needs at least one of expand, backfill, switch or contract");
	expect_load_error("operations:\n  - raw_sql: {backfill: {table: t}}\n", 2, 25,
		     "raw_sql.backfill is missing the required key \"update\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_table),
		cmocka_unit_test(test_create_table_one_pk),
		cmocka_unit_test(test_create_table_errors),
		cmocka_unit_test(test_copy_access_sql),
		cmocka_unit_test(test_rename_table),
		cmocka_unit_test(test_rename_table_after_ops),
		cmocka_unit_test(test_drop_column),
		cmocka_unit_test(test_drop_index),
		cmocka_unit_test(test_drop_table),
		cmocka_unit_test(test_show_prints_delay),
		cmocka_unit_test(test_partition_table_interval),
		cmocka_unit_test(test_partition_interval_units),
		cmocka_unit_test(test_partition_table_explicit),
		cmocka_unit_test(test_partition_table_long_names),
		cmocka_unit_test(test_partition_table_errors),
		cmocka_unit_test(test_sql),
		cmocka_unit_test(test_raw_sql),
	};
	int rc = cmocka_run_group_tests_name("ops_more", tests, NULL, NULL);

	sql_cleanup();
	return rc;
}
