/* Plan parsing: every error path reports the exact line and column. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/diag.h"
#include "plan/op_kind.h"
#include "plan/plan.h"
#include "plan_fixture.h"
#include "pg/sql.h"
#include "lint/validate.h"

static struct plan *
load(const char *text, struct diag *d)
{
	return plan_validate_load_buffer("t.yaml", (const unsigned char *) text, strlen(text), d);
}

static void
test_valid_plan(void **state)
{
	struct diag d = {0};
	struct plan *p = load("name: add_prefs\n"
			      "description: Add prefs\n"
			      "settings:\n"
			      "  lock_timeout: 100ms\n"
			      "  lock_retries: 5\n"
			      "  batch_size: 1000\n"
			      "  batch_target: 2s\n"
			      "  max_replica_lag: 1m\n"
			      "operations:\n"
			      "  - add_column:\n"
			      "      table: users\n"
			      "      column: {name: prefs, type: jsonb, default: \"'{}'\", nullable: false}\n"
			      "      up: \"'{}'::jsonb\"\n",
			      &d);

	diag_print(&d, stderr);
	assert_non_null(p);
	assert_string_equal(p->name, "add_prefs");
	assert_string_equal(p->description, "Add prefs");
	assert_int_equal(p->settings.lock_timeout_ms, 100);
	assert_int_equal(p->settings.lock_retries, 5);
	assert_int_equal(p->settings.batch_size, 1000);
	assert_int_equal(p->settings.batch_target_ms, 2000);
	assert_int_equal(p->settings.max_replica_lag_ms, 60000);
	assert_int_equal(p->n_ops, 1);
	assert_string_equal(p->ops[0].kind->name, "add_column");
	assert_int_equal(p->ops[0].line, 10);
	assert_int_equal(p->ops[0].col, 5);
	assert_int_equal(strlen(p->checksum), 64);
	plan_free(p);
}

static void
test_name_from_file(void **state)
{
	struct diag d = {0};
	const char *text = "operations:\n  - create_index: {name: i, table: t, columns: [a]}\n";
	struct plan *p = plan_validate_load_buffer("plans/0003_index.yaml", (const unsigned char *) text,
					  strlen(text), &d);

	assert_non_null(p);
	assert_string_equal(p->name, "0003_index");
	plan_free(p);
}

static void
test_defaults(void **state)
{
	struct diag d = {0};
	struct plan *p = load("operations:\n  - create_index: {name: i, table: t, columns: [a]}\n", &d);

	assert_non_null(p);
	assert_int_equal(p->settings.lock_timeout_ms, 250);
	assert_int_equal(p->settings.lock_retries, 60);
	assert_int_equal(p->settings.batch_size, 5000);
	assert_int_equal(p->settings.batch_target_ms, 200);
	assert_int_equal(p->settings.max_replica_lag_ms, 10000);
	assert_true(p->settings.vacuum);
	plan_free(p);
}

static void
test_syntax_error(void **state)
{
	expect_load_error("operations:\n  - add_column: {table: users\n", 3, 1, "flow mapping");
}

static void
test_unknown_top_key(void **state)
{
	expect_load_error("operations:\n  - create_index: {name: i, table: t, columns: [a]}\ndescripton: x\n", 3, 1,
		   "unknown key \"descripton\" in the plan (expected one of: name, description, version_schema, settings, operations)");
}

static void
test_missing_operations(void **state)
{
	expect_load_error("name: x\n", 1, 1, "missing the required key \"operations\"");
}

static void
test_unknown_operation(void **state)
{
	expect_load_error("operations:\n  - add_colum: {table: t}\n", 2, 5, "unknown operation \"add_colum\"");
}

static void
test_unknown_field(void **state)
{
	expect_load_error("operations:\n"
		   "  - create_index:\n"
		   "      name: i\n"
		   "      table: t\n"
		   "      colums: [a]\n"
		   "      columns: [a]\n",
		   5, 7, "unknown key \"colums\" in create_index");
}

static void
test_missing_field(void **state)
{
	expect_load_error("operations:\n  - create_index:\n      name: i\n      columns: [a]\n", 3, 7,
		   "missing the required key \"table\"");
}

static void
test_wrong_type(void **state)
{
	expect_load_error("operations:\n  - create_index:\n      name: i\n      table: [t]\n      columns: [a]\n", 4, 14,
		   "create_index.table must be a string, not a list");
}

static void
test_bad_bool(void **state)
{
	expect_load_error("operations:\n  - create_index: {name: i, table: t, columns: [a], unique: yes please}\n", 2, 61,
		   "must be true or false");
}

static void
test_bad_duration(void **state)
{
	expect_load_error("settings:\n  lock_timeout: 2 seconds\noperations:\n  - create_index: {name: i, table: t, columns: [a]}\n",
		   2, 17, "unit must be ms, s, m, h or d");
}

static void
test_duration_out_of_range(void **state)
{
	expect_load_error("settings:\n  lock_timeout: 5m\noperations:\n  - create_index: {name: i, table: t, columns: [a]}\n",
		   2, 17, "between 1ms and 1m");
}

static void
test_duplicate_key(void **state)
{
	expect_load_error("operations:\n  - create_index: {name: i, name: j, table: t, columns: [a]}\n", 2, 29,
		   "duplicate key \"name\"");
}

static void
test_every_problem_reported(void **state)
{
	struct diag d = {0};
	struct plan *p = load("settings:\n"
			      "  batch_size: -1\n"
			      "operations:\n"
			      "  - nope: {}\n"
			      "  - create_index: {table: t, columns: [a]}\n",
			      &d);

	assert_null(p);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.items[0].line, 2);
	assert_int_equal(d.items[1].line, 4);
	assert_int_equal(d.items[2].line, 5);
	diag_free(&d);
}

static void
test_load_settings(void **state)
{
	struct diag d = {0};
	struct plan *p = load("settings:\n"
			      "  max_load: {active_sessions: 25, wal_per_second: 64MB}\n"
			      "  critical_load:\n"
			      "    active_sessions: 200\n"
			      "    replica_lag: 5m\n"
			      "  throttle_query: SELECT count(*) > 3 FROM pg_stat_activity\n"
			      "  throttle_query_timeout: 250ms\n"
			      "  max_rows_per_second: 20000\n"
			      "  max_wal_per_second: 20MB\n"
			      "  backfill_workers: 4\n"
			      "operations:\n"
			      "  - create_index: {name: i, table: t, columns: [a]}\n",
			      &d);

	diag_print(&d, stderr);
	assert_non_null(p);
	assert_int_equal(p->settings.max_load.active_sessions, 25);
	assert_true(p->settings.max_load.wal_per_second == 64 * 1024 * 1024);
	assert_int_equal(p->settings.critical_load.active_sessions, 200);
	assert_true(p->settings.critical_load.wal_per_second == 0);
	assert_int_equal(p->settings.critical_load.replica_lag_ms, 300000);
	assert_int_equal(p->settings.critical_load.checks, 3);	/* the default */
	assert_string_equal(p->settings.throttle_query, "SELECT count(*) > 3 FROM pg_stat_activity");
	assert_int_equal(p->settings.throttle_query_timeout_ms, 250);
	assert_int_equal(p->settings.max_rows_per_second, 20000);
	assert_true(p->settings.max_wal_per_second == 20 * 1024 * 1024);
	assert_int_equal(p->settings.backfill_workers, 4);
	plan_free(p);
}

static void
test_load_settings_defaults(void **state)
{
	struct diag d = {0};
	struct plan *p = load("operations:\n  - create_index: {name: i, table: t, columns: [a]}\n", &d);

	assert_non_null(p);
	assert_int_equal(p->settings.max_load.active_sessions, 0);
	assert_true(p->settings.max_load.wal_per_second == 0);
	assert_null(p->settings.throttle_query);
	assert_int_equal(p->settings.max_rows_per_second, 0);
	assert_int_equal(p->settings.backfill_workers, 1);
	plan_free(p);
}

static void
test_bad_load_settings(void **state)
{
	const char *op = "operations:\n  - create_index: {name: i, table: t, columns: [a]}\n";
	char buf[512];

	snprintf(buf, sizeof(buf), "settings:\n  max_wal_per_second: 20mb\n%s", op);
	expect_load_error(buf, 2, 23, "unit must be B, kB, MB, GB or TB");
	snprintf(buf, sizeof(buf), "settings:\n  max_load: {active_sessions: many}\n%s", op);
	expect_load_error(buf, 2, 31, "settings.max_load.active_sessions must be a whole number");
	snprintf(buf, sizeof(buf), "settings:\n  max_load: {cpu: 80}\n%s", op);
	expect_load_error(buf, 2, 14, "unknown key \"cpu\" in settings.max_load");
	snprintf(buf, sizeof(buf), "settings:\n  critical_load: {checks: 0}\n%s", op);
	expect_load_error(buf, 2, 27, "settings.critical_load.checks must be between 1 and 1000");
	snprintf(buf, sizeof(buf), "settings:\n  backfill_workers: 0\n%s", op);
	expect_load_error(buf, 2, 21, "settings.backfill_workers must be between 1 and 16");
	snprintf(buf, sizeof(buf), "settings:\n  throttle_query: DELETE FROM t\n%s", op);
	expect_load_error(buf, 2, 19, "is not a SELECT");
	snprintf(buf, sizeof(buf), "settings:\n  throttle_query: SELECT 1, 2\n%s", op);
	expect_load_error(buf, 2, 19, "must select exactly one value");
	snprintf(buf, sizeof(buf), "settings:\n  throttle_query: SELECT true; SELECT false\n%s", op);
	expect_load_error(buf, 2, 19, "holds 2 statements");
	snprintf(buf, sizeof(buf), "settings:\n  throttle_query: SELEC true\n%s", op);
	expect_load_error(buf, 2, 19, "does not parse");
	/* run read-only anyway; refused at load so the plan says why */
	snprintf(buf, sizeof(buf), "settings:\n  throttle_query: WITH d AS (DELETE FROM t RETURNING 1) SELECT true\n%s", op);
	expect_load_error(buf, 2, 19, "has a WITH that writes");
	snprintf(buf, sizeof(buf), "settings:\n  throttle_query: SELECT true FROM t FOR UPDATE\n%s", op);
	expect_load_error(buf, 2, 19, "locks rows");
}

static void
test_empty(void **state)
{
	struct diag d = {0};

	assert_null(load("", &d));
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.items[0].msg, "empty"));
	diag_free(&d);
}

static void
test_two_documents(void **state)
{
	expect_load_error("operations:\n  - create_index: {name: i, table: t, columns: [a]}\n---\nname: b\n", 4, 1,
		   "second one");
}

/* Which fields hold SQL is said in each operation's field table, nested
 * mappings included (what lint once kept in a table of its own). */
static void
test_fields_sql_at(void **state)
{
	static const struct {
		const char *op, *path;
		enum field_sql want;
	} cases[] = {
		{"add_column", "up", FSQL_UPDOWN},
		{"add_column", "column.default", FSQL_EXPR},
		{"add_column", "column.check", FSQL_EXPR},
		{"add_column", "column.check.constraint", FSQL_EXPR},
		{"add_column", "column.check.name", FSQL_NONE},
		{"add_column", "column.generated.expression", FSQL_EXPR},
		{"add_column", "column.type", FSQL_NONE},
		{"add_column", "table", FSQL_NONE},
		{"alter_column", "check.constraint", FSQL_EXPR},
		{"alter_column", "default", FSQL_EXPR},
		{"create_table", "columns.default", FSQL_EXPR},
		{"create_table", "constraints.exclude.elements", FSQL_EXCLUDE},
		{"create_table", "constraints.exclude.index_method", FSQL_NONE},
		{"create_constraint", "up.email", FSQL_UPDOWN},
		{"create_constraint", "up", FSQL_NONE},
		{"create_constraint", "up.a.b", FSQL_NONE},
		{"drop_multicolumn_constraint", "down.email", FSQL_UPDOWN},
		{"raw_sql", "expand.up", FSQL_STMTS},
		{"raw_sql", "backfill.update", FSQL_SET},
		{"raw_sql", "backfill.where", FSQL_EXPR},
		{"raw_sql", "backfill.table", FSQL_NONE},
		{"sql", "down", FSQL_STMTS},
		{"drop_index", "name", FSQL_NONE},
		/* the rest of what lint's table said */
		{"alter_column", "up", FSQL_UPDOWN},
		{"alter_column", "down", FSQL_UPDOWN},
		{"alter_column", "check", FSQL_EXPR},
		{"drop_column", "down", FSQL_UPDOWN},
		{"create_index", "predicate", FSQL_EXPR},
		{"create_table", "columns.check", FSQL_EXPR},
		{"create_table", "columns.check.constraint", FSQL_EXPR},
		{"create_table", "columns.generated.expression", FSQL_EXPR},
		{"create_table", "constraints.check", FSQL_EXPR},
		{"create_table", "constraints.exclude.predicate", FSQL_EXPR},
		{"create_constraint", "check", FSQL_EXPR},
		{"create_constraint", "down.email", FSQL_UPDOWN},
		{"drop_constraint", "up", FSQL_UPDOWN},
		{"drop_constraint", "down", FSQL_UPDOWN},
		{"drop_multicolumn_constraint", "up.email", FSQL_UPDOWN},
		{"raw_sql", "expand.down", FSQL_STMTS},
		{"raw_sql", "switch.up", FSQL_STMTS},
		{"raw_sql", "switch.down", FSQL_STMTS},
		{"raw_sql", "contract.up", FSQL_STMTS},
		{"raw_sql", "contract.down", FSQL_STMTS},
		{"sql", "up", FSQL_STMTS},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct op_kind *k = op_kind_find(cases[i].op);

		assert_non_null(k);
		if (fields_sql_at(k->fields, cases[i].path) != cases[i].want)
			fail_msg("%s %s: %d, not %d", cases[i].op, cases[i].path,
				 (int) fields_sql_at(k->fields, cases[i].path), (int) cases[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_plan),
		cmocka_unit_test(test_name_from_file),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_unknown_top_key),
		cmocka_unit_test(test_missing_operations),
		cmocka_unit_test(test_unknown_operation),
		cmocka_unit_test(test_unknown_field),
		cmocka_unit_test(test_missing_field),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_bad_bool),
		cmocka_unit_test(test_bad_duration),
		cmocka_unit_test(test_duration_out_of_range),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_every_problem_reported),
		cmocka_unit_test(test_load_settings),
		cmocka_unit_test(test_load_settings_defaults),
		cmocka_unit_test(test_bad_load_settings),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_two_documents),
		cmocka_unit_test(test_fields_sql_at),
	};
	int rc = cmocka_run_group_tests_name("plan", tests, NULL, NULL);

	sql_cleanup();
	return rc;
}
