/* Versioned schemas: how a plan names its schema, what --version-schema
 * does to the checksum, and what the operations compile to with one (the
 * view rules, the triggers that tell the versions apart, renames that are
 * metadata until contract). tests/it_version_schema.sh runs them. */
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

static void
test_schema_names(void **state)
{
	struct plan *p = load_text("operations:\n  - drop_index: {name: i}\n");

	assert_null(p->version_schema);
	plan_free(p);
	p = load_text("settings: {version_schema: true}\noperations:\n  - drop_index: {name: i}\n");
	assert_string_equal(p->version_schema, "public_t");
	plan_free(p);
	p = load_text("settings: {version_schema: true, schema: app}\noperations:\n  - drop_index: {name: i}\n");
	assert_string_equal(p->version_schema, "app_t");
	plan_free(p);
	/* pgroll's top-level key names it outright */
	p = load_text("version_schema: next\noperations:\n  - drop_index: {name: i}\n");
	assert_string_equal(p->version_schema, "next");
	plan_free(p);
	/* within 63 bytes, without the helper prefix: it is the application's */
	p = load_text("name: a_migration_name_that_is_long_enough_to_need_shortening_x\n"
		 "settings: {version_schema: true}\noperations:\n  - drop_index: {name: i}\n");
	assert_true(strlen(p->version_schema) <= 63);
	assert_int_equal(strncmp(p->version_schema, "public_a_migration_name", 23), 0);
	plan_free(p);
}

static void
test_flag_counts_in_checksum(void **state)
{
	static const char text[] = "operations:\n  - drop_index: {name: i}\n";
	struct plan *without = load_text(text), *with;

	plan_force_version_schema(true);
	with = load_text(text);
	plan_force_version_schema(false);
	assert_string_equal(with->version_schema, "public_t");
	assert_string_not_equal(with->checksum, without->checksum);
	plan_free(with);
	plan_free(without);
}

static void
test_expand_ends_with_the_schema(void **state)
{
	struct fixture f = compile_text("settings: {version_schema: true}\n"
					"operations:\n"
					"  - rename_column: {table: users, from: name, to: full_name}\n"
					"  - drop_column: {table: users, column: legacy, down: \"'x'\"}\n"
					"  - rename_table: {from: orders, to: purchases}\n"
					"  - drop_table: {name: old}\n");
	const struct step *s = step_at(&f, PHASE_EXPAND, f.c->n[PHASE_EXPAND] - 1);

	assert_string_equal(s->summary, "create schema public_t with a view of every table of public, as the new version sees it");
	assert_true(s->multi);
	assert_non_null(strstr(s->sql, "INSERT INTO pgstep.saved (migration, key, value) VALUES ('t', 'version_schema', ('public_t'))"));
	/* what each operation changes in the new version's views */
	assert_non_null(strstr(s->sql, "  rules jsonb := '[{\"t\":\"users\",\"c\":\"name\",\"as\":\"full_name\"},"
				       "{\"t\":\"users\",\"hide\":\"legacy\"},{\"t\":\"orders\",\"table_as\":\"purchases\"},"
				       "{\"t\":\"old\",\"table_hide\":true}]';\n"));
	assert_non_null(strstr(s->sql, "EXECUTE format('CREATE VIEW %I.%I%s AS SELECT %s FROM %I.%I', vs, vname, opts, cols, base, t.relname);"));
	assert_string_equal(s->rollback, "DROP SCHEMA IF EXISTS \"public_t\" CASCADE;\n"
					 "DELETE FROM pgstep.saved WHERE migration = 't' AND key = 'version_schema'");
	/* contract starts by dropping the versions before, for good */
	s = step_at(&f, PHASE_CONTRACT, 0);
	assert_string_equal(s->summary, "drop the versioned schemas of the migrations before this one");
	assert_true(s->irreversible);
	assert_non_null(strstr(s->sql, "WHERE s.key = 'version_schema' AND s.migration <> 't'\n"
				       "             AND m.phase = 'contract' AND m.status = 'done' LOOP\n"));
	fixture_free(&f);
}

static void
test_rename_is_metadata(void **state)
{
	struct fixture f = compile_text("settings: {version_schema: true}\n"
					"operations:\n"
					"  - rename_column: {table: users, from: name, to: full_name}\n"
					"  - rename_table: {from: orders, to: purchases}\n");

	/* no second column, no trigger: the view renames; contract renames for real */
	expect_counts(&f, 1, 0, 0, 3);
	assert_string_equal(step_at(&f, PHASE_CONTRACT, 1)->sql, "ALTER TABLE \"public\".\"users\" RENAME COLUMN \"name\" TO \"full_name\"");
	assert_string_equal(step_at(&f, PHASE_CONTRACT, 1)->rollback,
			    "ALTER TABLE \"public\".\"users\" RENAME COLUMN \"full_name\" TO \"name\"");
	assert_string_equal(step_at(&f, PHASE_CONTRACT, 2)->sql, "ALTER TABLE \"public\".\"orders\" RENAME TO \"purchases\"");
	assert_string_equal(step_at(&f, PHASE_CONTRACT, 2)->rollback, "ALTER TABLE \"public\".\"purchases\" RENAME TO \"orders\"");
	fixture_free(&f);
}

static void
test_type_change_without_swap(void **state)
{
	struct fixture f = compile_text("settings: {version_schema: true}\n"
					"operations:\n"
					"  - alter_column: {table: users, column: age, type: integer, up: \"age::integer\", down: \"age::text\",\n"
					"                  default: \"0\"}\n");
	const struct step *s;

	/* one function on the plan's search_path, pinned, so up and down
	 * resolve what they name as in the backfill, whatever the writer's
	 * path... */
	assert_true(step_at(&f, PHASE_EXPAND, 3)->plan_path);
	assert_string_equal(step_at(&f, PHASE_EXPAND, 3)->sql,
			    "CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_users_age_sync\"() RETURNS trigger LANGUAGE plpgsql "
			    "SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"
			    "#variable_conflict use_variable\n"
			    "BEGIN\n"
			    "  IF TG_ARGV[0] = 'new' THEN\n"
			    "    DECLARE\n"
			    "      \"age\" integer := NEW.\"_pgstep_users_age_new\";\n"
			    "    BEGIN\n"
			    "      NEW.\"age\" := (SELECT (age::text) FROM (SELECT NEW.*) AS _pgstep_row);\n"
			    "    END;\n"
			    "  ELSE\n"
			    "    NEW.\"_pgstep_users_age_new\" := (SELECT (age::integer) FROM (SELECT NEW.*) AS _pgstep_row);\n"
			    "  END IF;\n"
			    "  RETURN NEW;\n"
			    "END\n"
			    "$pgstep$");
	/* ...and one trigger for each version, told apart by the first schema
	 * on the writer's search_path, read before the function runs */
	s = step_at(&f, PHASE_EXPAND, 4);
	assert_true(s->multi);
	assert_string_equal(s->sql,
			    "CREATE TRIGGER \"_pgstep_users_age_sync\" BEFORE INSERT OR UPDATE ON \"public\".\"users\" FOR EACH ROW "
			    "WHEN (pg_catalog.current_setting('pgstep.backfill', true) IS DISTINCT FROM 'on' "
			    "AND (pg_catalog.current_schemas(false))[1] IS DISTINCT FROM 'public_t') "
			    "EXECUTE FUNCTION \"public\".\"_pgstep_users_age_sync\"('old');\n"
			    "CREATE TRIGGER \"_pgstep_users_age_sync_new\" BEFORE INSERT OR UPDATE ON \"public\".\"users\" FOR EACH ROW "
			    "WHEN (pg_catalog.current_setting('pgstep.backfill', true) IS DISTINCT FROM 'on' "
			    "AND (pg_catalog.current_schemas(false))[1] = 'public_t') "
			    "EXECUTE FUNCTION \"public\".\"_pgstep_users_age_sync\"('new')");
	assert_string_equal(s->rollback, "DROP TRIGGER IF EXISTS \"_pgstep_users_age_sync\" ON \"public\".\"users\";\n"
					 "DROP TRIGGER IF EXISTS \"_pgstep_users_age_sync_new\" ON \"public\".\"users\"");
	/* the new version's inserts get the default from the start */
	assert_string_equal(step_at(&f, PHASE_EXPAND, 5)->sql,
			    "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"_pgstep_users_age_new\" SET DEFAULT (0)");
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 6)->sql,
			       "{\"t\":\"users\",\"c\":\"age\",\"from\":\"_pgstep_users_age_new\",\"as\":\"age\"}"));
	/* nothing swaps in switch: NOT NULL as the old column has it, its
	 * indexes and constraints carried */
	expect_counts(&f, 7, 2, 5, 3);
	expect_carry(&f, PHASE_SWITCH, 4, "users", "age", "_pgstep_users_age_new");
	/* contract: on PostgreSQL 18 the shadow's NOT NULL constraint first
	 * takes the old column's name (undone by the reverse), */
	s = step_at(&f, PHASE_CONTRACT, 1);
	assert_non_null(strstr(s->sql, "WHERE c.conrelid = rel AND c.contype = 'n' AND a.attname = '_pgstep_users_age_new');\n"
				       "  nb text := "));
	assert_non_null(strstr(s->sql, "  IF pg_catalog.current_setting('server_version_num')::integer < 180000 THEN\n"));
	assert_non_null(strstr(s->rollback, "WHERE c.conrelid = rel AND c.contype = 'n' AND a.attname = 'age');\n"
					    "  nb text := "));
	assert_false(s->irreversible);
	/* then trigger and old column go, the shadow takes the name */
	s = step_at(&f, PHASE_CONTRACT, 2);
	assert_true(s->multi);
	assert_true(s->irreversible);
	expect_sql_then_finish(s->sql,
			       "DROP TRIGGER IF EXISTS \"_pgstep_users_age_sync\" ON \"public\".\"users\";\n"
			       "DROP TRIGGER IF EXISTS \"_pgstep_users_age_sync_new\" ON \"public\".\"users\";\n"
			       "DROP FUNCTION IF EXISTS \"public\".\"_pgstep_users_age_sync\"();\n"
			       "ALTER TABLE \"public\".\"users\" DROP COLUMN \"age\";\n"
			       "ALTER TABLE \"public\".\"users\" RENAME COLUMN \"_pgstep_users_age_new\" TO \"age\"",
			       "users", "_pgstep_users_age_new");
	fixture_free(&f);
}

static void
test_fill_triggers_know_the_writer(void **state)
{
	struct fixture f = compile_text("settings: {version_schema: true}\n"
					"operations:\n"
					"  - add_column: {table: users, column: {name: len, type: int, nullable: true}, up: length(email)}\n"
					"  - drop_column: {table: users, column: legacy, down: \"'x'\"}\n");

	/* only the old version's updates refresh the new column */
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 0 + 1)->sql,
			       "  ELSIF NOT TG_ARGV[0] = 'new' AND NEW.\"len\" IS NOT DISTINCT FROM OLD.\"len\" THEN\n"));
	/* the new version cannot see the dropped column: its inserts get down */
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 3)->sql,
			       "  IF TG_ARGV[0] = 'new' THEN NEW.\"legacy\" := (SELECT ('x') FROM (SELECT NEW.*) AS _pgstep_row); END IF;\n"));
	fixture_free(&f);
}

static void
test_partition_table_refused(void **state)
{
	expect_load_error("settings: {version_schema: true}\n"
			  "operations:\n"
			  "  - partition_table: {table: t, column: at, type: range, partitions: [{name: p, from: MINVALUE, to: MAXVALUE}]}\n",
			  3, 5, "partition_table cannot run with a versioned schema (public_t)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema_names),
		cmocka_unit_test(test_flag_counts_in_checksum),
		cmocka_unit_test(test_expand_ends_with_the_schema),
		cmocka_unit_test(test_rename_is_metadata),
		cmocka_unit_test(test_type_change_without_swap),
		cmocka_unit_test(test_fill_triggers_know_the_writer),
		cmocka_unit_test(test_partition_table_refused),
	};
	int rc = cmocka_run_group_tests_name("versioned", tests, NULL, NULL);

	sql_cleanup();
	return rc;
}
