/* The safety module's offline answers, one question at a time: the
 * volatility of expressions, which statements cannot run in a
 * transaction block, which type changes are binary-coercible, and the
 * catalog's answers kept as JSON. (The live catalog's half runs against a
 * real PostgreSQL in tests/it_safety.sh.) */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pg/pgparse.h"
#include "pg/safety.h"

/* ---- volatility ---- */

/* expr's answer is v, decided by `what` at byte `loc` of expr (-1: none). */
static void
expect_vol(const char *expr, enum volatility v, const char *what, int loc)
{
	struct vol_answer a;

	assert_true(safety_expr_volatility(expr, &a));
	if (a.v != v || strcmp(a.what, what) != 0 || a.loc != loc)
		print_error("%s: got %s (%s at %d), expected %s (%s at %d)\n", expr, safety_volatility_name(a.v),
			    a.what, a.loc, safety_volatility_name(v), what, loc);
	assert_int_equal(a.v, v);
	assert_string_equal(a.what, what);
	assert_int_equal(a.loc, loc);
}

static void
test_volatile_functions(void **state)
{
	expect_vol("clock_timestamp()", VOL_VOLATILE, "clock_timestamp()", 0);
	expect_vol("random()", VOL_VOLATILE, "random()", 0);
	expect_vol("random_normal(0, 1)", VOL_VOLATILE, "random_normal()", 0);
	expect_vol("timeofday()", VOL_VOLATILE, "timeofday()", 0);
	expect_vol("gen_random_uuid()", VOL_VOLATILE, "gen_random_uuid()", 0);
	expect_vol("nextval('s')", VOL_VOLATILE, "nextval()", 0);
	expect_vol("setseed(0.5)", VOL_VOLATILE, "setseed()", 0);
	expect_vol("txid_current()", VOL_VOLATILE, "txid_current()", 0);
	/* extensions', in whatever schema they were installed */
	expect_vol("gen_random_bytes(16)", VOL_VOLATILE, "gen_random_bytes()", 0);
	expect_vol("encode(public.gen_random_bytes(16), 'hex')", VOL_VOLATILE, "public.gen_random_bytes()", 7);
	expect_vol("uuid_generate_v1()", VOL_VOLATILE, "uuid_generate_v1()", 0);
	expect_vol("uuid_generate_v1mc()", VOL_VOLATILE, "uuid_generate_v1mc()", 0);
	expect_vol("ext.uuid_generate_v4()", VOL_VOLATILE, "ext.uuid_generate_v4()", 0);
	/* found anywhere in the expression, the most volatile part first met */
	expect_vol("lower(md5(random()::text))", VOL_VOLATILE, "random()", 10);
	expect_vol("now() + (random() * interval '1 day')", VOL_VOLATILE, "random()", 9);
	expect_vol("CASE WHEN now() > '2020-01-01' THEN clock_timestamp() END", VOL_VOLATILE,
		   "clock_timestamp()", 36);
}

static void
test_stable_and_immutable(void **state)
{
	expect_vol("now()", VOL_STABLE, "now()", 0);
	expect_vol("statement_timestamp()", VOL_STABLE, "statement_timestamp()", 0);
	expect_vol("transaction_timestamp()", VOL_STABLE, "transaction_timestamp()", 0);
	expect_vol("pg_catalog.now()", VOL_STABLE, "now()", 0);
	expect_vol("to_jsonb(1)", VOL_STABLE, "to_jsonb()", 0);
	expect_vol("jsonb_build_object('a', 1)", VOL_STABLE, "jsonb_build_object()", 0);
	/* SQL value functions, which are no FuncCall in the parse tree */
	expect_vol("CURRENT_TIMESTAMP", VOL_STABLE, "CURRENT_TIMESTAMP", 0);
	expect_vol("LOCALTIMESTAMP(3)", VOL_STABLE, "LOCALTIMESTAMP", 0);
	expect_vol("CURRENT_USER", VOL_STABLE, "CURRENT_USER", 0);
	/* SQL syntax the grammar turns into pg_catalog calls */
	expect_vol("EXTRACT(year FROM now())", VOL_STABLE, "extract()", 0);
	expect_vol("trim(' x ')", VOL_IMMUTABLE, "btrim()", 0);
	expect_vol("lower('X')", VOL_IMMUTABLE, "lower()", 0);
	expect_vol("upper(lower('X'))", VOL_IMMUTABLE, "upper()", 0);
	/* no call at all */
	expect_vol("0", VOL_IMMUTABLE, "", -1);
	expect_vol("'{}'::jsonb", VOL_IMMUTABLE, "", -1);
	expect_vol("coalesce(NULL, 'a') || 'b'", VOL_IMMUTABLE, "", -1);
	expect_vol("greatest(1, 2)", VOL_IMMUTABLE, "", -1);
}

static void
test_unknown_is_volatile(void **state)
{
	struct vol_answer a;

	/* a function pgstep does not know is unknown, which decisions take
	 * as volatile, whatever its name may suggest */
	expect_vol("gen_token()", VOL_UNKNOWN, "gen_token()", 0);
	expect_vol("lower(gen_token())", VOL_UNKNOWN, "gen_token()", 6);
	/* a built-in's name in another schema is another function */
	expect_vol("public.now()", VOL_UNKNOWN, "public.now()", 0);
	expect_vol("app.lower('x')", VOL_UNKNOWN, "app.lower()", 0);
	/* an operator of a schema of the user's */
	expect_vol("1 OPERATOR(app.+) 2", VOL_UNKNOWN, "OPERATOR(app.+)", 2);
	/* volatile still wins over unknown */
	expect_vol("gen_token() || random()::text", VOL_VOLATILE, "random()", 15);
	assert_true(safety_is_volatile(VOL_UNKNOWN));
	assert_true(safety_is_volatile(VOL_VOLATILE));
	assert_false(safety_is_volatile(VOL_STABLE));
	assert_false(safety_is_volatile(VOL_IMMUTABLE));
	/* what does not parse as one expression is not known either */
	assert_false(safety_expr_volatility("1) ; SELECT (2", &a));
	assert_int_equal(a.v, VOL_UNKNOWN);
	assert_false(safety_expr_volatility("(", &a));
	assert_int_equal(a.v, VOL_UNKNOWN);
}

static void
test_function_table(void **state)
{
	assert_int_equal(safety_function_volatility(NULL, "now"), VOL_STABLE);
	assert_int_equal(safety_function_volatility("pg_catalog", "random"), VOL_VOLATILE);
	assert_int_equal(safety_function_volatility("public", "random"), VOL_UNKNOWN);
	assert_int_equal(safety_function_volatility("public", "gen_random_bytes"), VOL_VOLATILE);
	assert_int_equal(safety_function_volatility(NULL, "no_such_function"), VOL_UNKNOWN);
	assert_int_equal(safety_function_volatility(NULL, NULL), VOL_UNKNOWN);
	assert_int_equal(safety_volatility_from_char('i'), VOL_IMMUTABLE);
	assert_int_equal(safety_volatility_from_char('s'), VOL_STABLE);
	assert_int_equal(safety_volatility_from_char('v'), VOL_VOLATILE);
	assert_int_equal(safety_volatility_from_char('x'), VOL_VOLATILE);
	assert_int_equal(safety_volatility_char(VOL_UNKNOWN), '?');
}

static void
test_tree_and_values(void **state)
{
	struct parsed ps;
	struct vol_answer a;

	/* from a parse tree: lint reads the default of an ADD COLUMN */
	assert_true(sql_parse("ALTER TABLE t ADD COLUMN c text DEFAULT gen_token()", &ps));
	safety_tree_volatility(jget(jat(ps.stmts, 0), "stmt"), &a);
	assert_int_equal(a.v, VOL_UNKNOWN);
	assert_string_equal(a.what, "gen_token()");
	assert_int_equal(a.loc, 40);
	parsed_free(&ps);
	/* what the catalog's dependencies do not hold: no calls counted */
	assert_true(safety_expr_value_functions("gen_token() || CURRENT_DATE", &a));
	assert_int_equal(a.v, VOL_STABLE);
	assert_string_equal(a.what, "CURRENT_DATE");
	assert_true(safety_expr_value_functions("random()", &a));
	assert_int_equal(a.v, VOL_IMMUTABLE);
}

static void
test_serial_types(void **state)
{
	static const char *const serials[] = {"serial", "bigserial", "smallserial", "serial2", "serial4", "serial8",
					       "BIGSERIAL"};

	for (size_t i = 0; i < sizeof(serials) / sizeof(serials[0]); i++)
		assert_int_equal(safety_type_volatility(serials[i]), VOL_VOLATILE);
	assert_int_equal(safety_type_volatility("integer"), VOL_IMMUTABLE);
	assert_int_equal(safety_type_volatility("int8"), VOL_IMMUTABLE);
	assert_int_equal(safety_type_volatility(NULL), VOL_IMMUTABLE);
}

/* ---- the catalog's answers, kept ---- */

static void
test_facts(void **state)
{
	struct safety_facts f = {0}, back;
	struct safety_fact a = {.expr = "gen_token()", .type = "text", .v = VOL_VOLATILE,
				.why = "public.gen_token() is volatile in the catalog"};
	struct safety_fact b = {.expr = "lower(\"x\")", .type = NULL, .v = VOL_IMMUTABLE, .why = "lower() is \"immutable\""};
	const struct safety_fact *got;
	char *json;

	safety_facts_add(&f, &a);
	safety_facts_add(&f, &b);
	/* the same expression and type replaces */
	a.v = VOL_STABLE;
	safety_facts_add(&f, &a);
	assert_int_equal(f.n, 2);
	assert_int_equal(safety_facts_find(&f, "gen_token()", "text")->v, VOL_STABLE);
	/* another type is another question */
	assert_null(safety_facts_find(&f, "gen_token()", "varchar"));
	assert_null(safety_facts_find(&f, "gen_token()", NULL));
	assert_non_null(safety_facts_find(&f, "lower(\"x\")", NULL));
	assert_null(safety_facts_find(NULL, "x", NULL));
	json = safety_facts_to_json(&f);
	assert_true(safety_facts_from_json(json, &back));
	assert_int_equal(back.n, 2);
	got = safety_facts_find(&back, "gen_token()", "text");
	assert_non_null(got);
	assert_int_equal(got->v, VOL_STABLE);
	assert_string_equal(got->why, a.why);
	got = safety_facts_find(&back, "lower(\"x\")", NULL);
	assert_non_null(got);
	assert_int_equal(got->v, VOL_IMMUTABLE);
	assert_string_equal(got->why, b.why);
	free(json);
	safety_facts_free(&back);
	safety_facts_free(&f);
	/* what cannot be read is refused, not half read */
	assert_false(safety_facts_from_json("{", &back));
	assert_false(safety_facts_from_json("{\"expr\": \"x\"}", &back));
	assert_false(safety_facts_from_json("[{\"expr\": \"x\"}]", &back));
	assert_int_equal(back.n, 0);
	/* a volatility it does not know reads as volatile */
	assert_true(safety_facts_from_json("[{\"expr\": \"x\", \"volatility\": \"leakproof\"}]", &back));
	assert_int_equal(back.v[0].v, VOL_VOLATILE);
	safety_facts_free(&back);
}

/* ---- transaction blocks ---- */

static void
expect_txn(const char *sql, enum txn_need need, const char *what, int loc)
{
	struct txn_answer t;

	if (safety_sql_txn(sql, &t) != need || (what && (!t.what || strcmp(t.what, what) != 0)) || t.loc != loc)
		print_error("%s: got %d (%s at %d)\n", sql, t.need, t.what ? t.what : "-", t.loc);
	assert_int_equal(t.need, need);
	if (what)
		assert_string_equal(t.what, what);
	else
		assert_null(t.what);
	assert_int_equal(t.loc, loc);
}

static void
test_no_transaction_block(void **state)
{
	expect_txn("CREATE INDEX CONCURRENTLY i ON t (a)", TXN_NONE, "CREATE INDEX CONCURRENTLY", 0);
	expect_txn("  CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);", TXN_NONE,
		   "CREATE INDEX CONCURRENTLY", 2);
	expect_txn("DROP INDEX CONCURRENTLY i", TXN_NONE, "DROP INDEX CONCURRENTLY", 0);
	expect_txn("REINDEX INDEX CONCURRENTLY i", TXN_NONE, "REINDEX CONCURRENTLY", 0);
	expect_txn("REINDEX (CONCURRENTLY) TABLE t", TXN_NONE, "REINDEX CONCURRENTLY", 0);
	expect_txn("REINDEX SCHEMA s", TXN_NONE, "REINDEX SCHEMA", 0);
	expect_txn("REINDEX DATABASE d", TXN_NONE, "REINDEX DATABASE", 0);
	expect_txn("VACUUM t", TXN_NONE, "VACUUM", 0);
	expect_txn("VACUUM (ANALYZE) t", TXN_NONE, "VACUUM", 0);
	expect_txn("CREATE DATABASE d", TXN_NONE, "CREATE DATABASE", 0);
	expect_txn("DROP DATABASE d", TXN_NONE, "DROP DATABASE", 0);
	expect_txn("ALTER DATABASE d SET TABLESPACE ts", TXN_NONE, "ALTER DATABASE SET TABLESPACE", 0);
	expect_txn("CREATE TABLESPACE ts LOCATION '/x'", TXN_NONE, "CREATE TABLESPACE", 0);
	expect_txn("DROP TABLESPACE ts", TXN_NONE, "DROP TABLESPACE", 0);
	expect_txn("ALTER SYSTEM SET work_mem = '1MB'", TXN_NONE, "ALTER SYSTEM", 0);
	expect_txn("CLUSTER", TXN_NONE, "CLUSTER of every clustered table", 0);
	expect_txn("DISCARD ALL", TXN_NONE, "DISCARD ALL", 0);
	expect_txn("COMMIT PREPARED 'x'", TXN_NONE, "COMMIT PREPARED", 0);
	expect_txn("ALTER TABLE p DETACH PARTITION c CONCURRENTLY", TXN_NONE,
		   "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY", 0);
	expect_txn("CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p", TXN_NONE,
		   "CREATE SUBSCRIPTION (which creates a replication slot)", 0);
	/* what may run in one */
	expect_txn("CREATE INDEX i ON t (a)", TXN_ANY, NULL, -1);
	expect_txn("DROP INDEX i", TXN_ANY, NULL, -1);
	expect_txn("REINDEX INDEX i", TXN_ANY, NULL, -1);
	expect_txn("ANALYZE t", TXN_ANY, NULL, -1);
	expect_txn("CLUSTER t USING i", TXN_ANY, NULL, -1);
	expect_txn("ALTER DATABASE d SET work_mem = '1MB'", TXN_ANY, NULL, -1);
	expect_txn("ALTER TABLE p DETACH PARTITION c", TXN_ANY, NULL, -1);
	expect_txn("DISCARD TEMP", TXN_ANY, NULL, -1);
	expect_txn("CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (create_slot = false)", TXN_ANY, NULL, -1);
	expect_txn("CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (connect = false)", TXN_ANY, NULL, -1);
	expect_txn("CREATE TABLE a (x int); CREATE INDEX ON a (x)", TXN_ANY, NULL, -1);
	/* a DO block is a statement that runs in a transaction: lint reads it */
	expect_txn("DO $$ BEGIN VACUUM t; END $$", TXN_ANY, NULL, -1);
	/* several statements, one of which cannot: at that one */
	expect_txn("CREATE TABLE a (x int);\n  CREATE INDEX CONCURRENTLY i ON a (x)", TXN_MIXED,
		   "CREATE INDEX CONCURRENTLY", 26);
	expect_txn("SELECT 1; VACUUM t; SELECT 2", TXN_MIXED, "VACUUM", 10);
	expect_txn("CREATE TABLE (", TXN_UNPARSED, NULL, -1);
}

static void
test_statement_nodes(void **state)
{
	struct parsed ps;

	assert_true(sql_parse("DROP INDEX CONCURRENTLY i; DROP TABLE t; ANALYZE; VACUUM FULL t", &ps));
	assert_string_equal(safety_no_txn_statement(jget(jat(ps.stmts, 0), "stmt")), "DROP INDEX CONCURRENTLY");
	assert_null(safety_no_txn_statement(jget(jat(ps.stmts, 1), "stmt")));
	assert_null(safety_no_txn_statement(jget(jat(ps.stmts, 2), "stmt")));
	assert_string_equal(safety_no_txn_statement(jget(jat(ps.stmts, 3), "stmt")), "VACUUM");
	assert_null(safety_no_txn_statement(NULL));
	parsed_free(&ps);
}

/* The index a lone CREATE INDEX CONCURRENTLY builds, named as PostgreSQL
 * names it when the statement does not. */
static void
expect_index(const char *sql, const char *schema, const char *table, const char *index)
{
	struct built_index b;

	assert_true(safety_concurrent_index(sql, &b));
	if (schema)
		assert_string_equal(b.schema, schema);
	else
		assert_null(b.schema);
	assert_string_equal(b.table, table);
	assert_string_equal(b.index, index);
	built_index_free(&b);
}

static void
test_concurrent_index(void **state)
{
	struct built_index b;

	expect_index("CREATE INDEX CONCURRENTLY items_label_idx ON items (label)", NULL, "items", "items_label_idx");
	expect_index("CREATE UNIQUE INDEX CONCURRENTLY k ON app.items (code)", "app", "items", "k");
	/* PostgreSQL's choice (ChooseIndexName): columns, function names, expr */
	expect_index("CREATE INDEX CONCURRENTLY ON items (label)", NULL, "items", "items_label_idx");
	expect_index("CREATE INDEX CONCURRENTLY ON items (a, b) INCLUDE (c)", NULL, "items", "items_a_b_c_idx");
	expect_index("CREATE INDEX CONCURRENTLY ON items (lower(label))", NULL, "items", "items_lower_idx");
	expect_index("CREATE INDEX CONCURRENTLY ON items ((a + b))", NULL, "items", "items_expr_idx");
	expect_index("CREATE INDEX CONCURRENTLY ON items (lower(a), lower(b))", NULL, "items", "items_lower_lower1_idx");
	expect_index("CREATE INDEX CONCURRENTLY ON items ((a::text))", NULL, "items", "items_a_idx");
	/* cut to 63 bytes as PostgreSQL cuts it */
	expect_index("CREATE INDEX CONCURRENTLY ON a_table_with_a_name_long_enough (a_column_with_a_name_long_enough_too)",
		     NULL, "a_table_with_a_name_long_enough",
		     "a_table_with_a_name_long_enou_a_column_with_a_name_long_eno_idx");
	assert_false(safety_concurrent_index("CREATE INDEX i ON items (label)", &b));
	assert_false(safety_concurrent_index("CREATE INDEX CONCURRENTLY i ON t (a); SELECT 1", &b));
	assert_false(safety_concurrent_index("DROP INDEX CONCURRENTLY i", &b));
	assert_false(safety_concurrent_index("(", &b));
}

/* ---- column types ---- */

static struct col_type
col_type_of(const char *type)
{
	char *sql;
	struct parsed ps;
	struct col_type t;
	json_object *cd;

	assert_true(asprintf(&sql, "CREATE TABLE t (c %s)", type) > 0);
	assert_true(sql_parse(sql, &ps));
	cd = node_as(jat(jget(node_as(jget(jat(ps.stmts, 0), "stmt"), "CreateStmt"), "tableElts"), 0), "ColumnDef");
	safety_type_read(jget(cd, "typeName"), &t);
	parsed_free(&ps);
	free(sql);
	return t;
}

static bool
free_change(const char *from, const char *to)
{
	struct col_type f = col_type_of(from), t = col_type_of(to);

	return safety_type_change_is_free(&f, &t);
}

static void
test_type_changes(void **state)
{
	struct col_type t;
	char text[96];

	assert_true(free_change("varchar(10)", "varchar(20)"));
	assert_true(free_change("varchar(10)", "varchar"));
	assert_true(free_change("varchar(10)", "text"));
	assert_true(free_change("text", "varchar"));
	assert_true(free_change("numeric(10,2)", "numeric(12,2)"));
	assert_true(free_change("numeric(10,2)", "numeric"));
	assert_true(free_change("integer", "int4"));
	assert_true(free_change("text[]", "text[]"));
	assert_false(free_change("varchar(20)", "varchar(10)"));
	assert_false(free_change("text", "varchar(5)"));
	assert_false(free_change("numeric(10,2)", "numeric(12,3)"));
	assert_false(free_change("numeric", "numeric(10,2)"));
	assert_false(free_change("integer", "bigint"));
	assert_false(free_change("text", "text[]"));
	assert_false(free_change("timestamp", "timestamptz"));
	t = col_type_of("numeric(10,2)[]");
	safety_type_text(&t, text, sizeof(text));
	assert_string_equal(text, "numeric(10,2)[]");
	t = col_type_of("int");
	safety_type_text(&t, text, sizeof(text));
	assert_string_equal(text, "integer");
	t = col_type_of("numeric('10')");
	assert_int_equal(t.nmods, -1);
	safety_type_text(&t, text, sizeof(text));
	assert_string_equal(text, "numeric(...)");
	assert_false(free_change("numeric('10')", "numeric('10')"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_volatile_functions),
		cmocka_unit_test(test_stable_and_immutable),
		cmocka_unit_test(test_unknown_is_volatile),
		cmocka_unit_test(test_function_table),
		cmocka_unit_test(test_tree_and_values),
		cmocka_unit_test(test_serial_types),
		cmocka_unit_test(test_facts),
		cmocka_unit_test(test_no_transaction_block),
		cmocka_unit_test(test_statement_nodes),
		cmocka_unit_test(test_concurrent_index),
		cmocka_unit_test(test_type_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
