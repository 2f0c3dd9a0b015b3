/* pgroll's constraint operations (create_constraint, drop_constraint,
 * drop_multicolumn_constraint, rename_constraint) and set_replica_identity:
 * the SQL of every step, its rollback and flags, and the plan errors with
 * their positions. tests/lifecycle runs each against PostgreSQL. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compile/compile.h"
#include "plan/plan.h"
#include "plan_fixture.h"
#include "pg/sql.h"


/* The guard create_constraint runs first: the name is free (and, for a
 * primary key, the table has none). */
static void
expect_guard(const struct fixture *f, size_t i, const char *table, const char *name, const char *type)
{
	char want[2048];
	int n;

	n = snprintf(want, sizeof(want),
		     "DO $pgstep$\n"
		     "BEGIN\n"
		     "  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '\"public\".\"%s\"'::regclass AND conname = '%s') THEN\n"
		     "    RAISE EXCEPTION 'table %% already has a constraint named %%', '\"public\".\"%s\"'::regclass, '%s';\n"
		     "  END IF;\n",
		     table, name, table, name);
	if (strcmp(type, "primary_key") == 0)
		n += snprintf(want + n, sizeof(want) - (size_t) n,
			      "  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '\"public\".\"%s\"'::regclass AND contype = 'p') THEN\n"
			      "    RAISE EXCEPTION 'table %% has a primary key already', '\"public\".\"%s\"'::regclass;\n"
			      "  END IF;\n",
			      table, table);
	snprintf(want + n, sizeof(want) - (size_t) n, "END\n$pgstep$");
	char summary[256];

	snprintf(summary, sizeof(summary), "check that %s can be created on %s", name, table);
	expect_flagged_step(f, PHASE_EXPAND, i, summary, want, NULL, 0);
}

/* ---- create_constraint ---- */

static void
test_create_constraint_check_no_up(void **state)
{
	/* pgroll writes up: {col: col} for columns it leaves as they are */
	struct fixture f = compile_text("operations:\n"
					"  - create_constraint:\n"
					"      table: users\n"
					"      name: users_age_ck\n"
					"      type: check\n"
					"      columns: [age]\n"
					"      check: age > 0\n"
					"      no_inherit: true\n"
					"      up: {age: age}\n"
					"      down: {age: age}\n");

	expect_counts(&f, 2, 0, 1, 0);
	expect_guard(&f, 0, "users", "users_age_ck", "check");
	expect_flagged_step(&f, PHASE_EXPAND, 1, "add check users_age_ck on users (not valid)",
		    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_age_ck\" CHECK (age > 0) NO INHERIT NOT VALID",
		    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"users_age_ck\"", F_PLAN_PATH);
	expect_flagged_step(&f, PHASE_SWITCH, 0, "validate check users_age_ck",
		    "ALTER TABLE \"public\".\"users\" VALIDATE CONSTRAINT \"users_age_ck\"", NULL, 0);
	fixture_free(&f);
}

static void
test_create_constraint_check_with_up(void **state)
{
	/* pgroll's SELECT form of up; the columns up leaves alone are skipped */
	struct fixture f = compile_text("operations:\n"
					"  - create_constraint:\n"
					"      table: tickets\n"
					"      name: check_zip_name\n"
					"      type: check\n"
					"      columns: [sellers_name, sellers_zip]\n"
					"      check: sellers_name = 'alice' OR sellers_zip > 0\n"
					"      up:\n"
					"        sellers_name: sellers_name\n"
					"        sellers_zip: SELECT CASE WHEN sellers_zip <= 0 THEN 123 ELSE sellers_zip END\n"
					"      down: {sellers_name: sellers_name, sellers_zip: sellers_zip}\n");
	const struct step *s;

	expect_counts(&f, 3, 2, 2, 2);
	expect_guard(&f, 0, "tickets", "check_zip_name", "check");
	expect_flagged_step(&f, PHASE_EXPAND, 1, "create function _pgstep_tickets_check_zip_name_up (rewrites writes through up)",
		    "CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_tickets_check_zip_name_up\"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"
		    "#variable_conflict use_variable\n"
		    "BEGIN\n"
		    "  SELECT (SELECT CASE WHEN sellers_zip <= 0 THEN 123 ELSE sellers_zip END) INTO NEW.\"sellers_zip\" "
		    "FROM (SELECT NEW.*) AS _pgstep_row;\n"
		    "  RETURN NEW;\n"
		    "END\n"
		    "$pgstep$",
		    "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_tickets_check_zip_name_up\"()", F_PLAN_PATH);
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 2)->sql, "BEFORE INSERT OR UPDATE ON \"public\".\"tickets\""));
	s = step_at(&f, PHASE_BACKFILL, 0);
	assert_int_equal(s->kind, STEP_BACKFILL);
	assert_string_equal(s->bf->table, "tickets");
	assert_string_equal(s->bf->set_sql,
			    "\"sellers_zip\" = (SELECT CASE WHEN sellers_zip <= 0 THEN 123 ELSE sellers_zip END)");
	assert_string_equal(s->bf->where_sql,
			    "\"sellers_zip\" IS DISTINCT FROM (SELECT CASE WHEN sellers_zip <= 0 THEN 123 ELSE sellers_zip END)");
	assert_string_equal(s->bf->unconverted_sql, "NOT (sellers_name = 'alice' OR sellers_zip > 0)");
	assert_true(s->plan_path);
	/* the check waits for the rows up rewrote */
	expect_flagged_step(&f, PHASE_SWITCH, 0, "add check check_zip_name on tickets (not valid)",
		    "ALTER TABLE \"public\".\"tickets\" ADD CONSTRAINT \"check_zip_name\" CHECK (sellers_name = 'alice' OR sellers_zip > 0) NOT VALID",
		    "ALTER TABLE \"public\".\"tickets\" DROP CONSTRAINT IF EXISTS \"check_zip_name\"", F_PLAN_PATH);
	assert_non_null(strstr(step_at(&f, PHASE_CONTRACT, 0)->sql, "DROP TRIGGER IF EXISTS \"_pgstep_tickets_check_zip_name_up\""));
	fixture_free(&f);
}

static void
test_create_constraint_select_of_the_column(void **state)
{
	/* pgroll's SELECT form of an up that changes nothing */
	struct fixture f = compile_text("operations:\n"
					"  - create_constraint: {table: t, name: c, type: check, columns: [a], check: a > 0,\n"
					"                       up: {a: SELECT a}}\n");

	expect_counts(&f, 2, 0, 1, 0);
	fixture_free(&f);
}

static void
test_create_constraint_up_several_columns(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - create_constraint:\n"
					"      table: t\n"
					"      name: t_ab_uq\n"
					"      type: unique\n"
					"      columns: [a, b]\n"
					"      up: {a: lower(a), b: \"b + 0\"}\n");
	const struct step *s = step_at(&f, PHASE_BACKFILL, 0);

	/* every expression sees the row as written, before any assignment */
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 1)->sql,
			       "  SELECT (lower(a)), (b + 0) INTO NEW.\"a\", NEW.\"b\" FROM (SELECT NEW.*) AS _pgstep_row;\n"));
	assert_string_equal(s->bf->set_sql, "\"a\" = (lower(a)), \"b\" = (b + 0)");
	assert_string_equal(s->bf->where_sql, "ROW(\"a\", \"b\") IS DISTINCT FROM ROW((lower(a)), (b + 0))");
	assert_null(s->bf->unconverted_sql);
	/* the index is built once up has rewritten every row */
	expect_index_guard(&f, PHASE_SWITCH, 0, "t", "t_ab_uq");
	expect_flagged_step(&f, PHASE_SWITCH, 1, "build unique index t_ab_uq concurrently",
		    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"t_ab_uq\" ON \"public\".\"t\" (\"a\", \"b\")",
		    "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"t_ab_uq\"", F_NOTXN | F_RB_NOTXN);
	expect_flagged_step(&f, PHASE_SWITCH, 2, "add unique constraint t_ab_uq using the index",
		    "ALTER TABLE \"public\".\"t\" ADD CONSTRAINT \"t_ab_uq\" UNIQUE USING INDEX \"t_ab_uq\"",
		    "ALTER TABLE \"public\".\"t\" DROP CONSTRAINT IF EXISTS \"t_ab_uq\"", 0);
	fixture_free(&f);
}

static void
test_create_constraint_unique(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - create_constraint:\n"
					"      table: users\n"
					"      name: users_email_uq\n"
					"      type: unique\n"
					"      columns: [email, name]\n"
					"      index_parameters: {include_columns: [age], storage_parameters: \"fillfactor=80\", tablespace: fast}\n");

	expect_counts(&f, 3, 0, 2, 0);
	expect_guard(&f, 0, "users", "users_email_uq", "unique");
	expect_index_guard(&f, PHASE_EXPAND, 1, "users", "users_email_uq");
	expect_flagged_step(&f, PHASE_EXPAND, 2, "build unique index users_email_uq concurrently",
		    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"users_email_uq\" ON \"public\".\"users\" (\"email\", \"name\") "
		    "INCLUDE (\"age\") WITH (fillfactor=80) TABLESPACE \"fast\"",
		    "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"users_email_uq\"", F_NOTXN | F_RB_NOTXN);
	/* built again if a rollback of switch dropped it with the constraint */
	expect_flagged_step(&f, PHASE_SWITCH, 0, "make sure the unique index users_email_uq exists",
		    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"users_email_uq\" ON \"public\".\"users\" (\"email\", \"name\") "
		    "INCLUDE (\"age\") WITH (fillfactor=80) TABLESPACE \"fast\"",
		    NULL, F_NOTXN);
	expect_flagged_step(&f, PHASE_SWITCH, 1, "add unique constraint users_email_uq using the index",
		    "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_email_uq\" UNIQUE USING INDEX \"users_email_uq\"",
		    "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"users_email_uq\"", 0);
	fixture_free(&f);
}

static void
test_create_constraint_primary_key(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - create_constraint: {table: tasks, name: tasks_pkey, type: primary_key, columns: [id],\n"
					"                       up: {id: id}, down: {id: id}}\n");

	expect_counts(&f, 3, 0, 6, 0);
	expect_guard(&f, 0, "tasks", "tasks_pkey", "primary_key");
	expect_index_guard(&f, PHASE_EXPAND, 1, "tasks", "tasks_pkey");
	expect_flagged_step(&f, PHASE_EXPAND, 2, "build unique index tasks_pkey concurrently",
		    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"tasks_pkey\" ON \"public\".\"tasks\" (\"id\")",
		    "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"tasks_pkey\"", F_NOTXN | F_RB_NOTXN);
	/* NOT NULL through a validated check, so USING INDEX scans nothing */
	expect_flagged_step(&f, PHASE_SWITCH, 0, "add check id IS NOT NULL (not valid)",
		    "ALTER TABLE \"public\".\"tasks\" ADD CONSTRAINT \"_pgstep_tasks_id_notnull\" CHECK (\"id\" IS NOT NULL) NOT VALID",
		    "ALTER TABLE \"public\".\"tasks\" DROP CONSTRAINT IF EXISTS \"_pgstep_tasks_id_notnull\"", 0);
	expect_flagged_step(&f, PHASE_SWITCH, 1, "validate check id IS NOT NULL",
		    "ALTER TABLE \"public\".\"tasks\" VALIDATE CONSTRAINT \"_pgstep_tasks_id_notnull\"", NULL, 0);
	expect_set_not_null(&f, PHASE_SWITCH, 2, 0, "tasks", "id");
	expect_flagged_step(&f, PHASE_SWITCH, 3, "drop helper check _pgstep_tasks_id_notnull",
		    "ALTER TABLE \"public\".\"tasks\" DROP CONSTRAINT \"_pgstep_tasks_id_notnull\"",
		    "ALTER TABLE \"public\".\"tasks\" ADD CONSTRAINT \"_pgstep_tasks_id_notnull\" CHECK (\"id\" IS NOT NULL) NOT VALID", 0);
	expect_flagged_step(&f, PHASE_SWITCH, 5, "add primary key constraint tasks_pkey using the index",
		    "ALTER TABLE \"public\".\"tasks\" ADD CONSTRAINT \"tasks_pkey\" PRIMARY KEY USING INDEX \"tasks_pkey\"",
		    "ALTER TABLE \"public\".\"tasks\" DROP CONSTRAINT IF EXISTS \"tasks_pkey\"", 0);
	fixture_free(&f);
}

static void
test_create_constraint_foreign_key(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - create_constraint:\n"
					"      table: tickets\n"
					"      name: fk_sellers\n"
					"      type: foreign_key\n"
					"      columns: [sellers_name, sellers_zip]\n"
					"      references:\n"
					"        table: sellers\n"
					"        columns: [name, zip]\n"
					"        match_type: simple\n"
					"        on_delete: SET NULL\n"
					"        on_delete_set_columns: [sellers_zip]\n"
					"        on_update: CASCADE\n");

	/* first, before anything changes: a server older than 15 refused */
	expect_counts(&f, 3, 0, 1, 0);
	assert_string_equal(step_at(&f, PHASE_EXPAND, 0)->summary, "check that the server has what the plan's SQL needs");
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 0)->sql,
			       "  IF pg_catalog.current_setting('server_version_num')::integer < 150000 THEN\n"
			       "    RAISE EXCEPTION '%: % needs PostgreSQL 15 or later; this server is %: nothing was changed',\n"
			       "      't.yaml:2:5: create_constraint', 'on_delete_set_columns (of fk_sellers)', pg_catalog.current_setting('server_version');\n"));
	assert_null(step_at(&f, PHASE_EXPAND, 0)->rollback);
	expect_flagged_step(&f, PHASE_EXPAND, 2, "add foreign key fk_sellers on tickets (not valid)",
		    "ALTER TABLE \"public\".\"tickets\" ADD CONSTRAINT \"fk_sellers\" FOREIGN KEY (\"sellers_name\", \"sellers_zip\") "
		    "REFERENCES \"public\".\"sellers\" (\"name\", \"zip\") MATCH SIMPLE ON DELETE SET NULL (\"sellers_zip\") ON UPDATE CASCADE NOT VALID",
		    "ALTER TABLE \"public\".\"tickets\" DROP CONSTRAINT IF EXISTS \"fk_sellers\"", F_PLAN_PATH);
	expect_flagged_step(&f, PHASE_SWITCH, 0, "validate foreign key fk_sellers",
		    "ALTER TABLE \"public\".\"tickets\" VALIDATE CONSTRAINT \"fk_sellers\"", NULL, 0);
	fixture_free(&f);
}

static void
test_create_constraint_errors(void **state)
{
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: t, name: c, type: exclude, columns: [a]}\n",
			  2, 50, "create_constraint.type must be unique, primary_key, check or foreign_key, not \"exclude\"");
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: t, name: c, type: check, columns: [a]}\n",
			  2, 24, "a check constraint needs check: the expression");
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: t, name: c, type: unique}\n",
			  2, 24, "a unique constraint needs columns");
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: t, name: c, type: foreign_key, columns: [a]}\n",
			  2, 24, "a foreign_key constraint needs references: {table, columns}");
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: t, name: c, type: unique, columns: [a], check: a > 0}\n",
			  2, 72, "a unique constraint cannot have check");
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: t, name: c, type: check, check: a > 0, index_parameters: {tablespace: x}}\n",
			  2, 71, "a check constraint cannot have index_parameters");
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: t, name: c, type: unique, columns: [a], up: {b: b + 1}}\n",
			  2, 76, "create_constraint.up names column \"b\", which is not among the constraint's columns");
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: t, name: c, type: foreign_key, columns: [a],\n"
			  "                       references: {table: o, columns: [x, y]}}\n",
			  3, 56, "references.columns names 2 columns for the constraint's 1");
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: t, name: c, type: foreign_key, columns: [a],\n"
			  "                       references: {table: o, columns: [x], match_type: PARTIAL}}\n",
			  3, 73, "references.match_type PARTIAL is not implemented by PostgreSQL");
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: t, name: c, type: foreign_key, columns: [a, b],\n"
			  "                       references: {table: o, columns: [x, y], match_type: FULL, on_delete: SET NULL,\n"
			  "                                    on_delete_set_columns: [a]}}\n",
			  4, 60, "must name every column of a MATCH FULL foreign key");
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: t, name: c, type: check, check: a > 0, up: [a]}\n",
			  2, 75, "must map each column to its SQL expression");
	/* up is SQL: an expression, or pgroll's SELECT of one */
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: t, name: c, type: check, columns: [a], check: a > 0, up: {a: \"SELECT 1, 2\"}}\n",
			  2, 93, "create_constraint.up.a must be one SQL expression, or a SELECT of one expression");
	expect_load_error("operations:\n"
			  "  - create_constraint: {table: t, name: c, type: check, columns: [a], check: \"a >\", up: {a: a}}\n",
			  2, 82, "create_constraint.check is not valid SQL");
}

/* ---- drop_constraint, drop_multicolumn_constraint ---- */

static void
test_drop_constraint(void **state)
{
	static const char *const plans[] = {
		"operations:\n"
		"  - drop_constraint: {table: posts, name: title_length, up: title,\n"
		"                     down: \"SELECT CASE WHEN length(title) <= 3 THEN LPAD(title, 4, '-') ELSE title END\"}\n",
		"operations:\n"
		"  - drop_multicolumn_constraint:\n"
		"      table: posts\n"
		"      name: title_length\n"
		"      up: {title: title, body: body}\n"
		"      down: {title: title, body: body}\n",
	};

	for (size_t i = 0; i < 2; i++) {
		struct fixture f = compile_text(plans[i]);

		expect_counts(&f, 1, 0, 0, 1);
		/* a wrong name fails at once, not at contract */
		expect_flagged_step(&f, PHASE_EXPAND, 0, "check that posts has constraint title_length",
			    "DO $pgstep$\n"
			    "BEGIN\n"
			    "  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '\"public\".\"posts\"'::regclass AND conname = 'title_length') THEN\n"
			    "    RAISE EXCEPTION 'table % has no constraint named %', '\"public\".\"posts\"'::regclass, 'title_length';\n"
			    "  END IF;\n"
			    "END\n"
			    "$pgstep$",
			    NULL, 0);
		/* the constraint holds until contract */
		expect_flagged_step(&f, PHASE_CONTRACT, 0, "drop constraint title_length on posts",
			    "ALTER TABLE \"public\".\"posts\" DROP CONSTRAINT \"title_length\"", NULL, F_IRREV);
		fixture_free(&f);
	}
	expect_load_error("operations:\n"
			  "  - drop_multicolumn_constraint: {table: t, name: c, up: {a: \"a +\"}}\n",
			  2, 66, "drop_multicolumn_constraint.up.a is not valid SQL");
	expect_load_error("operations:\n"
			  "  - drop_constraint: {table: t, name: c, up: {a: a}}\n",
			  2, 46, "drop_constraint.up must be a string, not a mapping");
}

/* ---- rename_constraint ---- */

static void
test_rename_constraint(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - rename_constraint: {table: people, from: name_length, to: name_length_check}\n");

	expect_counts(&f, 1, 0, 0, 0);
	expect_flagged_step(&f, PHASE_EXPAND, 0, "rename constraint name_length on people to name_length_check",
		    "ALTER TABLE \"public\".\"people\" RENAME CONSTRAINT \"name_length\" TO \"name_length_check\"",
		    "ALTER TABLE \"public\".\"people\" RENAME CONSTRAINT \"name_length_check\" TO \"name_length\"", 0);
	fixture_free(&f);
	expect_load_error("operations:\n"
			  "  - rename_constraint: {table: people, from: a, to: a}\n",
			  2, 53, "rename_constraint: to is the constraint's current name \"a\"");
}

/* ---- set_replica_identity ---- */

static void
test_set_replica_identity(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - set_replica_identity: {table: fruits, identity: {type: index, index: fruits_pkey}}\n"
					"  - set_replica_identity: {table: veg, identity: {type: FULL}}\n");

	expect_counts(&f, 2, 0, 0, 0);
	/* the identity it replaces is saved in the same transaction */
	expect_flagged_step(&f, PHASE_EXPAND, 0, "set replica identity of fruits to index fruits_pkey",
		    "INSERT INTO pgstep.saved (migration, key, value) VALUES ('t', '0:fruits:replica_identity', "
		    "(SELECT c.relreplident::text || coalesce(':' || (SELECT pg_catalog.quote_ident(ic.relname) FROM pg_index x "
		    "JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid AND x.indisreplident), '') "
		    "FROM pg_class c WHERE c.oid = '\"public\".\"fruits\"'::regclass)) "
		    "ON CONFLICT (migration, key) DO UPDATE SET value = EXCLUDED.value, saved_at = now();\n"
		    "ALTER TABLE \"public\".\"fruits\" REPLICA IDENTITY USING INDEX \"fruits_pkey\"",
		    "DO $pgstep$\n"
		    "DECLARE\n"
		    "  was text := (SELECT value FROM pgstep.saved WHERE migration = 't' AND key = '0:fruits:replica_identity');\n"
		    "BEGIN\n"
		    "  CASE pg_catalog.left(was, 1)\n"
		    "    WHEN 'd' THEN ALTER TABLE \"public\".\"fruits\" REPLICA IDENTITY DEFAULT;\n"
		    "    WHEN 'f' THEN ALTER TABLE \"public\".\"fruits\" REPLICA IDENTITY FULL;\n"
		    "    WHEN 'n' THEN ALTER TABLE \"public\".\"fruits\" REPLICA IDENTITY NOTHING;\n"
		    "    WHEN 'i' THEN EXECUTE pg_catalog.format('ALTER TABLE %s REPLICA IDENTITY USING INDEX %s', '\"public\".\"fruits\"',\n"
		    "                                       pg_catalog.substr(was, 3));\n"
		    "    ELSE RAISE EXCEPTION 'the replica identity of % before the migration was not saved', '\"public\".\"fruits\"';\n"
		    "  END CASE;\n"
		    "END\n"
		    "$pgstep$",
		    F_MULTI);
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 1)->sql, ";\nALTER TABLE \"public\".\"veg\" REPLICA IDENTITY FULL"));
	assert_string_equal(step_at(&f, PHASE_EXPAND, 1)->summary, "set replica identity of veg to FULL");
	fixture_free(&f);
	expect_load_error("operations:\n"
			  "  - set_replica_identity: {table: t, identity: {type: index}}\n",
			  2, 48, "identity type index needs index: the name of a unique index on the table");
	expect_load_error("operations:\n"
			  "  - set_replica_identity: {table: t, identity: {type: full, index: i}}\n",
			  2, 48, "identity.index goes only with type: index");
	expect_load_error("operations:\n"
			  "  - set_replica_identity: {table: t, identity: {type: some}}\n",
			  2, 55, "identity.type must be full, default, nothing or index, not \"some\"");
}

/* ---- what create_table, create_index and alter_column gained ---- */

static void
test_create_table_pgroll_constraints(void **state)
{
	struct fixture f = compile_text(
		"operations:\n"
		"  - create_table:\n"
		"      name: library\n"
		"      columns:\n"
		"        - {name: id, type: bigint, pk: true, generated: {identity: {user_specified_values: ALWAYS, sequence_options: START 100 INCREMENT 10}}}\n"
		"        - {name: title, type: text, nullable: true, check: {name: title_len, constraint: length(title) < 50, no_inherit: true}}\n"
		"        - {name: code, type: text, nullable: true, references: {name: lib_code_fk, table: codes, column: code, initially_deferred: true}}\n"
		"        - {name: returned, type: timestamptz}\n"
		"      constraints:\n"
		"        - {name: lib_title_uq, type: unique, columns: [title], nulls_not_distinct: true,\n"
		"           index_parameters: {include_columns: [code], storage_parameters: fillfactor=70, tablespace: fast}}\n"
		"        - name: forbid_duplicated_titles\n"
		"          type: exclude\n"
		"          exclude: {index_method: btree, elements: title WITH =, predicate: title IS NOT NULL}\n"
		"        - {name: returned_set, type: check, check: returned IS NOT NULL, no_inherit: true}\n");

	/* NULLS NOT DISTINCT came with 15: an older server refused first */
	expect_counts(&f, 2, 0, 0, 0);
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 0)->sql,
			       "'t.yaml:2:5: create_table', 'nulls_not_distinct (of lib_title_uq)'"));
	expect_flagged_step(&f, PHASE_EXPAND, 1, "create table library",
		    "CREATE TABLE \"public\".\"library\" (\n"
		    "  \"id\" bigint GENERATED ALWAYS AS IDENTITY (START 100 INCREMENT 10) PRIMARY KEY,\n"
		    "  \"title\" text CONSTRAINT \"title_len\" CHECK (length(title) < 50) NO INHERIT,\n"
		    "  \"code\" text,\n"
		    "  \"returned\" timestamptz NOT NULL,\n"
		    "  CONSTRAINT \"lib_code_fk\" FOREIGN KEY (\"code\") REFERENCES \"public\".\"codes\" (\"code\") DEFERRABLE INITIALLY DEFERRED,\n"
		    "  CONSTRAINT \"lib_title_uq\" UNIQUE NULLS NOT DISTINCT (\"title\") INCLUDE (\"code\") WITH (fillfactor=70) "
		    "USING INDEX TABLESPACE \"fast\",\n"
		    "  CONSTRAINT \"forbid_duplicated_titles\" EXCLUDE USING btree (title WITH =) WHERE (title IS NOT NULL),\n"
		    "  CONSTRAINT \"returned_set\" CHECK (returned IS NOT NULL) NO INHERIT\n"
		    ")",
		    "DROP TABLE IF EXISTS \"public\".\"library\"", F_PLAN_PATH);
	fixture_free(&f);
	expect_load_error("operations:\n"
			  "  - create_table:\n"
			  "      name: t\n"
			  "      columns: [{name: a, type: int}]\n"
			  "      constraints:\n"
			  "        - {name: c, type: exclude, exclude: {elements: \"a WITH\"}}\n",
			  6, 63, "create_table.constraints.exclude.elements is not valid SQL");
}

static void
test_create_index_opclass_params_list(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - create_index:\n"
					"      name: docs_body_idx\n"
					"      table: docs\n"
					"      method: gist\n"
					"      columns:\n"
					"        - {column: body, opclass: {name: gist_trgm_ops, params: [siglen=32]}}\n");

	assert_string_equal(step_at(&f, PHASE_EXPAND, 0)->sql,
			    "CREATE INDEX CONCURRENTLY \"docs_body_idx\" ON \"public\".\"docs\" USING gist (\"body\" gist_trgm_ops (siglen=32))");
	fixture_free(&f);
	expect_load_error("operations:\n"
			  "  - create_index: {name: i, table: docs, columns: [{column: body, opclass: {name: o, params: []}}]}\n",
			  2, 94, "opclass.params is an empty list");
}

static void
test_alter_column_comment_null(void **state)
{
	/* pgroll's comment: null removes the comment; a rollback puts it back */
	struct fixture f = compile_text("operations:\n"
					"  - alter_column: {table: users, column: bio, comment: null}\n");

	expect_counts(&f, 2, 0, 0, 0);
	assert_string_equal(step_at(&f, PHASE_EXPAND, 1)->summary, "remove the comment on users.bio");
	assert_string_equal(step_at(&f, PHASE_EXPAND, 1)->sql, "COMMENT ON COLUMN \"public\".\"users\".\"bio\" IS NULL");
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 1)->rollback, "->> 'comment'"));
	fixture_free(&f);
}

/* ---- pgroll's defaults and file forms ---- */

static void
test_columns_not_null_unless_nullable(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - create_table:\n"
					"      name: t\n"
					"      columns:\n"
					"        - {name: a, type: int}\n"
					"        - {name: b, type: int, nullable: true}\n"
					"        - {name: c, type: int, nullable: false}\n");

	assert_string_equal(step_at(&f, PHASE_EXPAND, 0)->sql,
			    "CREATE TABLE \"public\".\"t\" (\n  \"a\" int NOT NULL,\n  \"b\" int,\n  \"c\" int NOT NULL\n)");
	fixture_free(&f);
	expect_load_error("operations:\n"
			  "  - add_column: {table: t, column: {name: a, type: int}}\n",
			  2, 36, "column \"a\" is NOT NULL (a column is, unless it says nullable: true, as in pgroll)");
}

static void
test_pgroll_json_file(void **state)
{
	/* pgroll files are often JSON, tabs and all */
	struct fixture f = compile_text("{\n"
					"\t\"operations\": [\n"
					"\t\t{\n"
					"\t\t\t\"rename_constraint\": {\n"
					"\t\t\t\t\"table\": \"people\",\n"
					"\t\t\t\t\"from\": \"name_length\",\n"
					"\t\t\t\t\"to\": \"name_length_check\"\n"
					"\t\t\t}\n"
					"\t\t},\n"
					"\t\t{\"sql\": {\"up\": \"SELECT 1\", \"onComplete\": true}}\n"
					"\t]\n"
					"}\n");

	expect_counts(&f, 1, 0, 0, 1);
	assert_string_equal(step_at(&f, PHASE_EXPAND, 0)->sql,
			    "ALTER TABLE \"public\".\"people\" RENAME CONSTRAINT \"name_length\" TO \"name_length_check\"");
	assert_string_equal(step_at(&f, PHASE_CONTRACT, 0)->sql, "SELECT 1");
	fixture_free(&f);
}

static void
test_pg_names(void **state)
{
	char *n = sql_pg_name("users", "email", "key");
	char long1[80], long2[80];

	assert_string_equal(n, "users_email_key");
	free(n);
	n = sql_pg_name("users", NULL, "pkey");
	assert_string_equal(n, "users_pkey");
	free(n);
	/* the longer name is shortened first, as PostgreSQL does */
	memset(long1, 'a', 60);
	long1[60] = '\0';
	memset(long2, 'b', 10);
	long2[10] = '\0';
	n = sql_pg_name(long1, long2, "fkey");
	assert_int_equal(strlen(n), 63);
	assert_string_equal(n + 47, "_bbbbbbbbbb_fkey");
	free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_constraint_check_no_up),
		cmocka_unit_test(test_create_constraint_check_with_up),
		cmocka_unit_test(test_create_constraint_select_of_the_column),
		cmocka_unit_test(test_create_constraint_up_several_columns),
		cmocka_unit_test(test_create_constraint_unique),
		cmocka_unit_test(test_create_constraint_primary_key),
		cmocka_unit_test(test_create_constraint_foreign_key),
		cmocka_unit_test(test_create_constraint_errors),
		cmocka_unit_test(test_drop_constraint),
		cmocka_unit_test(test_rename_constraint),
		cmocka_unit_test(test_set_replica_identity),
		cmocka_unit_test(test_create_table_pgroll_constraints),
		cmocka_unit_test(test_create_index_opclass_params_list),
		cmocka_unit_test(test_alter_column_comment_null),
		cmocka_unit_test(test_columns_not_null_unless_nullable),
		cmocka_unit_test(test_pgroll_json_file),
		cmocka_unit_test(test_pg_names),
	};
	int rc = cmocka_run_group_tests_name("ops_constraint", tests, NULL, NULL);

	sql_cleanup();
	return rc;
}
