/*
 * The safety module against a real PostgreSQL (run by tests/it_safety.sh
 * inside a throwaway cluster; PGHOST, PGUSER and PGDATABASE come from
 * there): its table of functions is never less volatile than the
 * catalog, and the catalog's answers (safety_catalog_volatility) resolve
 * calls as PostgreSQL does, on the plan's search path, without running
 * anything.
 */
#include "config.h"

#include <libpq-fe.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/conn.h"
#include "plan/plan.h"
#include "pg/safety.h"
#include "lint/validate.h"

static PGconn *db;

static void
exec_ok(const char *sql)
{
	PGresult *r = PQexec(db, sql);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(db));
	assert_true(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK);
	PQclear(r);
}

/* The one value of a query, or NULL for SQL NULL; the caller frees. */
static char *
value(const char *sql, int nparams, const char *const *params)
{
	PGresult *r = PQexecParams(db, sql, nparams, NULL, params, NULL, NULL, 0);
	char *v;

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(db));
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(r), 1);
	v = PQgetisnull(r, 0, 0) ? NULL : strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static struct plan *
plan_in(const char *schema)
{
	char text[256];
	struct diag d = {0};
	struct plan *p;

	snprintf(text, sizeof(text), "settings: {schema: %s}\noperations:\n  - sql: {up: SELECT 1}\n", schema);
	p = plan_validate_load_buffer("t.yaml", (const unsigned char *) text, strlen(text), &d);
	diag_print(&d, stderr);
	diag_free(&d);
	assert_non_null(p);
	return p;
}

static int
group_setup(void **state)
{
	char err[512];

	/* pgstep's own connection: pg_catalog and pg_temp only */
	db = conn_open(NULL, "it_safety", err, sizeof(err));
	if (!db) {
		fprintf(stderr, "connect: %s\n", err);
		return -1;
	}
	exec_ok("CREATE EXTENSION pgcrypto SCHEMA public");
	exec_ok("CREATE EXTENSION \"uuid-ossp\" SCHEMA public");
	exec_ok("CREATE SCHEMA app");
	exec_ok("CREATE TABLE app.calls (n int)");
	/* if anything ran these, app.calls would say so */
	exec_ok("CREATE FUNCTION app.gen_token() RETURNS text LANGUAGE sql VOLATILE "
		"AS $$ INSERT INTO app.calls VALUES (1) RETURNING 'x' $$");
	exec_ok("CREATE FUNCTION app.stamp() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'stamp' $$");
	exec_ok("CREATE FUNCTION app.today() RETURNS date LANGUAGE sql STABLE AS $$ SELECT current_date $$");
	/* pg_catalog has upper(text): upper(1) is this one */
	exec_ok("CREATE FUNCTION app.upper(integer) RETURNS text LANGUAGE sql VOLATILE "
		"AS $$ INSERT INTO app.calls VALUES (2) RETURNING 'X' $$");
	exec_ok("CREATE FUNCTION app.plus(integer, integer) RETURNS integer LANGUAGE sql VOLATILE AS $$ SELECT $1 + $2 $$");
	exec_ok("CREATE OPERATOR app.## (LEFTARG = integer, RIGHTARG = integer, FUNCTION = app.plus)");
	return 0;
}

static int
group_teardown(void **state)
{
	PQfinish(db);
	return 0;
}

/* ---- the offline table against the catalog ---- */

static void
test_table_never_below_catalog(void **state)
{
	const char *name;
	enum volatility v;
	bool any_schema;
	int checked = 0, extension = 0;

	for (size_t i = 0; safety_known_function(i, &name, &v, &any_schema); i++) {
		const char *p[1] = {name};
		/* the most volatile overload, in pg_catalog or (an extension's) anywhere */
		char *got = value(any_schema
				  ? "SELECT max(CASE provolatile WHEN 'i' THEN 0 WHEN 's' THEN 1 ELSE 2 END) FROM pg_proc "
				    "WHERE proname = $1"
				  : "SELECT max(CASE provolatile WHEN 'i' THEN 0 WHEN 's' THEN 1 ELSE 2 END) FROM pg_proc "
				    "WHERE proname = $1 AND pronamespace = 'pg_catalog'::regnamespace",
				  1, p);
		enum volatility catalog;

		if (!got)
			continue;	/* not in this version (random_normal before 16) */
		catalog = got[0] == '0' ? VOL_IMMUTABLE : got[0] == '1' ? VOL_STABLE : VOL_VOLATILE;
		if (v < catalog)
			fprintf(stderr, "%s: the table says %s, the catalog %s\n", name, safety_volatility_name(v),
				safety_volatility_name(catalog));
		assert_true(v >= catalog);
		/* and an extension's function is known for what it is */
		if (any_schema) {
			assert_int_equal(catalog, VOL_VOLATILE);
			extension++;
		}
		checked++;
		free(got);
	}
	/* every row but random_normal (16) is in PostgreSQL 15 with the extensions */
	assert_true(checked >= 100);
	assert_int_equal(extension, 6);
}

/* ---- the catalog's answers ---- */

static void
expect_answer(const struct plan *p, const char *expr, const char *type, enum volatility v, const char *why)
{
	struct safety_fact f;
	char err[512] = "";

	exec_ok("BEGIN");
	assert_true(safety_catalog_volatility(db, p, expr, type, &f, err, sizeof(err)));
	if (f.v != v || !strstr(f.why, why))
		fprintf(stderr, "%s: got %s (%s), expected %s (%s)\n", expr, safety_volatility_name(f.v), f.why,
			safety_volatility_name(v), why);
	assert_int_equal(f.v, v);
	assert_non_null(strstr(f.why, why));
	assert_string_equal(f.expr, expr);
	if (type)
		assert_string_equal(f.type, type);
	/* the transaction goes on, the view is gone, the path is pgstep's */
	{
		char *gone = value("SELECT to_regclass('pg_temp._pgstep_volatility') IS NULL", 0, NULL);
		char *path = value("SELECT current_setting('search_path')", 0, NULL);

		assert_string_equal(gone, "t");
		assert_string_equal(path, "pg_catalog,pg_temp");
		free(gone);
		free(path);
	}
	exec_ok("COMMIT");
	safety_fact_clear(&f);
}

static void
test_catalog_answers(void **state)
{
	struct plan *app = plan_in("app"), *pub = plan_in("public");
	char *calls;

	expect_answer(app, "gen_token()", "text", VOL_VOLATILE, "app.gen_token() is volatile in the catalog");
	expect_answer(app, "stamp()", "text", VOL_IMMUTABLE, "app.stamp() is immutable in the catalog");
	expect_answer(app, "today()", "date", VOL_STABLE, "app.today() is stable in the catalog");
	/* the plan's schema, not the session's: no today() in public */
	expect_answer(pub, "today()", "date", VOL_VOLATILE, "cannot be resolved on the plan's search path");
	/* pg_catalog first, then the plan's schema, by argument types */
	expect_answer(app, "upper('x')", "text", VOL_IMMUTABLE, "upper() is immutable in the catalog");
	expect_answer(app, "upper(1)", "text", VOL_VOLATILE, "app.upper() is volatile in the catalog");
	/* an operator is its function; the most volatile part decides */
	expect_answer(app, "1 ## 2", "integer", VOL_VOLATILE, "app.plus() is volatile in the catalog");
	expect_answer(app, "stamp() || gen_token()", "text", VOL_VOLATILE, "app.gen_token() is volatile");
	expect_answer(pub, "now()", "timestamptz", VOL_STABLE, "now() is stable in the catalog");
	expect_answer(pub, "clock_timestamp()", "timestamptz", VOL_VOLATILE, "clock_timestamp() is volatile");
	expect_answer(pub, "gen_random_bytes(16)", "bytea", VOL_VOLATILE, "public.gen_random_bytes() is volatile");
	expect_answer(pub, "uuid_generate_v4()", "uuid", VOL_VOLATILE, "public.uuid_generate_v4() is volatile");
	/* no function in the view's dependencies, but a SQL value function */
	expect_answer(pub, "CURRENT_TIMESTAMP", "timestamptz", VOL_STABLE, "CURRENT_TIMESTAMP is stable");
	expect_answer(pub, "'0'", "integer", VOL_IMMUTABLE, "calls no function");
	/* without a type, the expression alone */
	expect_answer(pub, "42", NULL, VOL_IMMUTABLE, "calls no function");
	/* what cannot be resolved counts as volatile */
	expect_answer(app, "no_such_function()", "text", VOL_VOLATILE, "cannot be resolved");
	expect_answer(app, "stamp()", "no_such_type", VOL_VOLATILE, "cannot be resolved");
	/* and nothing was run */
	calls = value("SELECT count(*) FROM app.calls", 0, NULL);
	assert_string_equal(calls, "0");
	free(calls);
	plan_free(app);
	plan_free(pub);
}

static void
test_catalog_needs_a_transaction(void **state)
{
	struct plan *app = plan_in("app");
	struct safety_fact f;
	char err[512] = "";

	/* a savepoint needs a transaction block: no answer, and no pretending */
	assert_false(safety_catalog_volatility(db, app, "stamp()", "text", &f, err, sizeof(err)));
	assert_int_equal(f.v, VOL_VOLATILE);
	assert_non_null(strstr(err, "SAVEPOINT"));
	safety_fact_clear(&f);
	plan_free(app);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_never_below_catalog),
		cmocka_unit_test(test_catalog_answers),
		cmocka_unit_test(test_catalog_needs_a_transaction),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
