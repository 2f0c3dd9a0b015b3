/* Lint: each rule against a plan that triggers it and its safe twin, the
 * SQL a plan carries checked at load with exact positions, lint_ignore,
 * and every operation pgstep compiles linting clean - so that a compiler
 * change that takes a bad lock fails the build. */
#include "config.h"

#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "compile/compile.h"
#include "base/diag.h"
#include "lint/lint.h"
#include "plan/plan.h"
#include "pg/sql.h"
#include "lint/validate.h"

/* ---- helpers ---- */

static struct plan *
load(const char *text, struct diag *d)
{
	return plan_validate_load_buffer("t.yaml", (const unsigned char *) text, strlen(text), d);
}

/* Lints one plan (which must load) with a fresh session. */
static void
lint_text(const char *text, struct lint_report *r)
{
	struct diag d = {0};
	struct plan *p = load(text, &d);
	struct lint_session *s = lint_session_new();
	struct compiled *c;

	diag_print(&d, stderr);
	diag_free(&d);
	assert_non_null(p);
	c = compile_plan(p, NULL);
	lint_plan(s, p, c, r);
	compiled_free(c);
	plan_free(p);
	lint_session_free(s);
}

static size_t
count(const struct lint_report *r, const char *rule)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].rule->name, rule) == 0)
			n++;
	return n;
}

/* The plan draws `rule`, not silenced, at line:col (line 0: anywhere). */
static void
expect_rule_at(const char *text, const char *rule, int line, int col)
{
	struct lint_report r = {0};
	bool found = false;

	lint_text(text, &r);
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.v[i].rule->name, rule) == 0 && !r.v[i].silenced &&
		    (line == 0 || (r.v[i].line == line && r.v[i].col == col)))
			found = true;
	if (!found) {
		fprintf(stderr, "expected %s at %d:%d in:\n%s\ngot:\n", rule, line, col, text);
		lint_report_text(stderr, &r);
	}
	assert_true(found);
	lint_report_free(&r);
}

static void
expect_rule(const char *text, const char *rule)
{
	expect_rule_at(text, rule, 0, 0);
}

/* The plan does not draw `rule`. */
static void
expect_not(const char *text, const char *rule)
{
	struct lint_report r = {0};

	lint_text(text, &r);
	if (count(&r, rule)) {
		fprintf(stderr, "did not expect %s in:\n%s\ngot:\n", rule, text);
		lint_report_text(stderr, &r);
	}
	assert_int_equal(count(&r, rule), 0);
	lint_report_free(&r);
}

/* The plan draws nothing at all, silenced or not. */
static void
expect_clean(const char *text)
{
	struct lint_report r = {0};

	lint_text(text, &r);
	if (r.n) {
		fprintf(stderr, "expected no finding in:\n%s\ngot:\n", text);
		lint_report_text(stderr, &r);
	}
	assert_int_equal(r.n, 0);
	assert_int_equal(lint_report_status(&r), 0);
	lint_report_free(&r);
}

/* The plan does not load: exactly one diagnostic, "line:col: message"
 * beginning with `want`. */
static void
expect_load_error(const char *text, const char *want)
{
	struct diag d = {0};
	struct plan *p = load(text, &d);
	char got[1024] = "";

	if (d.n == 1)
		snprintf(got, sizeof(got), "%d:%d: %s", d.items[0].line, d.items[0].col, d.items[0].msg);
	if (d.n != 1 || strncmp(got, want, strlen(want)) != 0) {
		fprintf(stderr, "expected \"%s...\", got:\n", want);
		diag_print(&d, stderr);
	}
	assert_null(p);
	assert_int_equal(d.n, 1);
	assert_memory_equal(got, want, strlen(want));
	diag_free(&d);
}

/* raw_sql running `sql` in `phase` (one line, double-quoted). */
static char *
raw(const char *phase, const char *sql)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "operations:\n  - raw_sql:\n      %s: {up: \"%s\"}\n", phase, sql);
	return buf;
}

/* ---- one rule at a time: the plan that triggers it, the safe twin ---- */

static void
test_create_index_not_concurrently(void **state)
{
	/* the position is that of the statement in the plan's own text */
	expect_rule_at(raw("expand", "CREATE INDEX users_email_idx ON users (email)"),
		       "create-index-not-concurrently", 3, 21);
	expect_clean("operations:\n"
		     "  - create_index: {name: users_email_idx, table: users, columns: [email]}\n");
	/* a table the same step creates is empty and unknown to anyone */
	expect_clean(raw("expand", "CREATE TABLE t (id int); CREATE INDEX ON t (id)"));
}

static void
test_drop_index_not_concurrently(void **state)
{
	expect_rule(raw("contract", "DROP INDEX old_idx"), "drop-index-not-concurrently");
	expect_clean("operations:\n  - drop_index: {name: old_idx}\n");
}

static void
test_reindex_not_concurrently(void **state)
{
	expect_rule(raw("expand", "REINDEX INDEX users_email_idx"), "reindex-not-concurrently");
	expect_rule(raw("expand", "REINDEX TABLE users"), "reindex-not-concurrently");
	expect_not(raw("expand", "REINDEX INDEX CONCURRENTLY users_email_idx"), "reindex-not-concurrently");
}

static void
test_no_transaction_block(void **state)
{
	struct lint_report r = {0};

	/* a DO block always runs inside a transaction: CONCURRENTLY fails there */
	lint_text(raw("expand", "DO $$ BEGIN CREATE INDEX CONCURRENTLY i ON users (email); END $$"), &r);
	assert_int_equal(count(&r, "no-transaction-block"), 1);
	assert_int_equal(lint_report_status(&r), 2);
	lint_report_free(&r);
	expect_rule(raw("expand", "DO $$ BEGIN VACUUM users; END $$"), "no-transaction-block");
	/* alone in a raw_sql or sql step, such a statement runs outside one,
	 * as the safety module tells the compiler and lint alike */
	expect_not(raw("expand", "CREATE INDEX CONCURRENTLY i ON users (email)"), "no-transaction-block");
	expect_not(raw("expand", "VACUUM users"), "no-transaction-block");
	expect_not(raw("expand", "REINDEX INDEX CONCURRENTLY i"), "no-transaction-block");
	expect_not(raw("contract", "DROP INDEX CONCURRENTLY i"), "no-transaction-block");
	expect_clean("operations:\n"
		     "  - sql:\n"
		     "      up: CREATE INDEX CONCURRENTLY i ON users (email)\n"
		     "      down: DROP INDEX CONCURRENTLY i\n");
	/* with other statements it cannot run at all: the plan does not load,
	 * and the error is at the statement */
	expect_load_error(raw("expand", "CREATE TABLE t (a int); CREATE INDEX CONCURRENTLY i ON t (a)"),
			  "3:45: raw_sql.expand.up holds CREATE INDEX CONCURRENTLY and 1 other statement, which run together as one transaction");
	expect_load_error("operations:\n"
			  "  - sql:\n"
			  "      up: CREATE INDEX CONCURRENTLY i ON users (email)\n"
			  "      down: |\n"
			  "        SELECT 1;\n"
			  "        DROP INDEX CONCURRENTLY i;\n"
			  "        SELECT 2;\n",
			  "6:9: sql.down holds DROP INDEX CONCURRENTLY and 2 other statements");
	/* create_index and drop_index run theirs alone, outside a transaction;
	 * the VACUUM after a backfill too */
	expect_clean("operations:\n"
		     "  - create_index: {name: i, table: users, columns: [email]}\n"
		     "  - drop_index: {name: j}\n"
		     "  - raw_sql: {backfill: {table: users, update: \"email = lower(email)\"}}\n");
	expect_not(raw("expand", "ANALYZE users"), "no-transaction-block");
}

static void
test_add_column_volatile_default(void **state)
{
	/* at the call, in the plan's text */
	expect_rule_at(raw("expand", "ALTER TABLE users ADD COLUMN c timestamptz DEFAULT clock_timestamp()"),
		       "add-column-volatile-default", 3, 72);
	expect_rule(raw("expand", "ALTER TABLE users ADD COLUMN c uuid DEFAULT (gen_random_uuid())"),
		    "add-column-volatile-default");
	expect_rule(raw("expand", "ALTER TABLE users ADD COLUMN n bigserial"), "add-column-volatile-default");
	expect_clean(raw("expand", "ALTER TABLE users ADD COLUMN c timestamptz DEFAULT now()"));
	/* add_column leaves a volatile default out of ADD COLUMN by itself */
	expect_clean("operations:\n"
		     "  - add_column:\n"
		     "      table: users\n"
		     "      column: {name: c, type: timestamptz, default: clock_timestamp()}\n");
}

static void
test_add_column_generated(void **state)
{
	expect_rule(raw("expand", "ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY"),
		    "add-column-generated");
	expect_rule(raw("expand", "ALTER TABLE users ADD COLUMN s text GENERATED ALWAYS AS (lower(name)) STORED"),
		    "add-column-generated");
	expect_clean(raw("expand", "ALTER TABLE users ADD COLUMN s text"));
	/* a new table's generated and identity columns cost nothing */
	expect_clean(raw("expand", "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY, s text GENERATED ALWAYS AS (id::text) STORED)"));
}

/* A table with column c of type `from`, created in expand, then c changed
 * to `to` in switch (where the running application may use it). */
static const char *
type_change(const char *from, const char *to)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf),
		 "operations:\n"
		 "  - raw_sql:\n"
		 "      expand: {up: \"CREATE TABLE t (c %s)\"}\n"
		 "      switch: {up: \"ALTER TABLE t ALTER COLUMN c TYPE %s\"}\n",
		 from, to);
	return buf;
}

static void
test_alter_column_type(void **state)
{
	/* the plan does not say what the type was: a rewrite cannot be ruled out */
	expect_rule(raw("expand", "ALTER TABLE users ALTER COLUMN age TYPE integer"), "alter-column-type");
	expect_rule(raw("expand", "ALTER TABLE users ALTER COLUMN age TYPE integer USING age::integer"),
		    "alter-column-type");
	/* rewrites */
	expect_rule(type_change("text", "integer"), "alter-column-type");
	expect_rule(type_change("varchar(20)", "varchar(10)"), "alter-column-type");
	expect_rule(type_change("varchar", "varchar(10)"), "alter-column-type");
	expect_rule(type_change("numeric(10,2)", "numeric(12,3)"), "alter-column-type");
	expect_rule(type_change("integer", "bigint"), "alter-column-type");
	expect_rule(type_change("varchar(10)", "text[]"), "alter-column-type");
	/* binary-coercible: no rewrite */
	expect_clean(type_change("varchar(10)", "varchar(20)"));
	expect_clean(type_change("character varying(10)", "varchar"));
	expect_clean(type_change("varchar(10)", "text"));
	expect_clean(type_change("text", "varchar"));
	expect_clean(type_change("numeric(10,2)", "numeric(12,2)"));
	expect_clean(type_change("numeric(10)", "numeric(12,0)"));
	expect_clean(type_change("numeric(10,2)", "numeric"));
	/* and the safe way to change a type */
	expect_clean("operations:\n"
		     "  - alter_column: {table: users, column: age, type: integer, up: \"age::integer\", down: \"age::text\"}\n");
}

static void
test_set_not_null_without_check(void **state)
{
	expect_rule(raw("switch", "ALTER TABLE users ALTER COLUMN email SET NOT NULL"), "set-not-null-without-check");
	/* a check that is not validated yet does not count */
	expect_rule("operations:\n"
		    "  - raw_sql: {expand: {up: \"ALTER TABLE users ADD CONSTRAINT nn CHECK (email IS NOT NULL) NOT VALID\"}}\n"
		    "  - raw_sql: {switch: {up: \"ALTER TABLE users ALTER COLUMN email SET NOT NULL\"}}\n",
		    "set-not-null-without-check");
	/* NOT VALID, VALIDATE, SET NOT NULL, each in its own step */
	expect_clean("operations:\n"
		     "  - raw_sql: {expand: {up: \"ALTER TABLE users ADD CONSTRAINT nn CHECK (email IS NOT NULL) NOT VALID\"}}\n"
		     "  - raw_sql: {switch: {up: \"ALTER TABLE users VALIDATE CONSTRAINT nn\"}}\n"
		     "  - raw_sql: {switch: {up: \"ALTER TABLE users ALTER COLUMN email SET NOT NULL\"}}\n");
	expect_clean("operations:\n"
		     "  - alter_column: {table: users, column: email, nullable: false, up: \"'none'\"}\n");
}

static void
test_constraint_without_not_valid(void **state)
{
	expect_rule(raw("expand", "ALTER TABLE users ADD CONSTRAINT age_positive CHECK (age > 0)"),
		    "constraint-without-not-valid");
	expect_rule(raw("expand", "ALTER TABLE users ADD CONSTRAINT team_fk FOREIGN KEY (team_id) REFERENCES teams (id)"),
		    "constraint-without-not-valid");
	expect_rule(raw("expand", "ALTER TABLE users ADD COLUMN team_id bigint REFERENCES teams (id)"),
		    "constraint-without-not-valid");
	expect_clean(raw("expand", "ALTER TABLE users ADD CONSTRAINT age_positive CHECK (age > 0) NOT VALID"));
	expect_clean(raw("expand", "ALTER TABLE users ADD CONSTRAINT team_fk FOREIGN KEY (team_id) REFERENCES teams (id) NOT VALID"));
}

static void
test_validate_in_same_step(void **state)
{
	expect_rule(raw("expand", "ALTER TABLE users ADD CONSTRAINT c CHECK (age > 0) NOT VALID; "
			"ALTER TABLE users VALIDATE CONSTRAINT c"),
		    "validate-in-same-step");
	expect_clean("operations:\n"
		     "  - raw_sql:\n"
		     "      expand: {up: \"ALTER TABLE users ADD CONSTRAINT c CHECK (age > 0) NOT VALID\"}\n"
		     "      switch: {up: \"ALTER TABLE users VALIDATE CONSTRAINT c\"}\n");
}

static void
test_unique_without_index(void **state)
{
	expect_rule(raw("expand", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)"),
		    "unique-without-index");
	expect_rule(raw("expand", "ALTER TABLE users ADD PRIMARY KEY (id)"), "unique-without-index");
	expect_rule(raw("expand", "ALTER TABLE users ADD COLUMN code text UNIQUE"), "unique-without-index");
	expect_clean("operations:\n"
		     "  - create_index: {name: users_email_key, table: users, columns: [email], unique: true}\n"
		     "  - raw_sql: {switch: {up: \"ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key\"}}\n");
}

static void
test_rename_before_contract(void **state)
{
	expect_rule(raw("expand", "ALTER TABLE users RENAME COLUMN name TO full_name"), "rename-before-contract");
	expect_rule(raw("switch", "ALTER TABLE orders RENAME TO purchases"), "rename-before-contract");
	/* in contract the application has moved */
	expect_clean(raw("contract", "ALTER TABLE users RENAME COLUMN name TO full_name"));
	/* what the plan created is not used by anyone yet */
	expect_clean("operations:\n"
		     "  - raw_sql:\n"
		     "      expand: {up: \"CREATE TABLE staging (id int)\"}\n"
		     "      switch: {up: \"ALTER TABLE staging RENAME TO final\"}\n");
	/* the safe ways, whose swaps give the old name back in the same step */
	expect_clean("operations:\n"
		     "  - rename_column: {table: users, from: name, to: full_name}\n"
		     "  - rename_table: {from: orders, to: purchases}\n");
}

static void
test_drop_before_contract(void **state)
{
	expect_rule(raw("expand", "ALTER TABLE users DROP COLUMN legacy"), "drop-before-contract");
	expect_rule(raw("switch", "DROP TABLE old_orders"), "drop-before-contract");
	expect_clean(raw("contract", "ALTER TABLE users DROP COLUMN legacy"));
	expect_clean(raw("contract", "DROP TABLE old_orders"));
	expect_clean("operations:\n"
		     "  - drop_column: {table: users, column: legacy}\n"
		     "  - drop_table: {name: old_orders}\n");
	/* a rollback takes back what its phase added: not a finding */
	expect_clean("operations:\n"
		     "  - raw_sql: {expand: {up: \"ALTER TABLE users ADD COLUMN c text\", down: \"ALTER TABLE users DROP COLUMN c\"}}\n");
}

static void
test_vacuum_full_and_cluster(void **state)
{
	expect_rule(raw("contract", "VACUUM FULL users"), "vacuum-full");
	expect_rule(raw("contract", "VACUUM (FULL, ANALYZE) users"), "vacuum-full");
	expect_not(raw("contract", "VACUUM (FULL false) users"), "vacuum-full");
	expect_rule(raw("contract", "CLUSTER users USING users_pkey"), "cluster");
	/* the plain VACUUM (ANALYZE) pgstep runs after a backfill */
	expect_clean("operations:\n"
		     "  - raw_sql: {backfill: {table: users, update: \"email = lower(email)\"}}\n");
	expect_clean(raw("contract", "ANALYZE users"));
}

static void
test_multiple_ddl_in_step(void **state)
{
	struct lint_report r = {0};

	expect_rule(raw("expand", "ALTER TABLE users ALTER COLUMN a SET DEFAULT 1; "
			"ALTER TABLE orders ALTER COLUMN b SET DEFAULT 2"),
		    "multiple-ddl-in-step");
	/* not a multi step: even one table, twice, is two locks to wait for */
	expect_rule(raw("expand", "ALTER TABLE users ALTER COLUMN a SET DEFAULT 1; COMMENT ON COLUMN users.a IS 'x'"),
		    "multiple-ddl-in-step");
	expect_rule(raw("expand", "ALTER TABLE users ALTER COLUMN a SET DEFAULT 1; DO $$ BEGIN END $$"),
		    "multiple-ddl-in-step");
	expect_clean("operations:\n"
		     "  - raw_sql: {expand: {up: \"ALTER TABLE users ALTER COLUMN a SET DEFAULT 1\"}}\n"
		     "  - raw_sql: {expand: {up: \"ALTER TABLE orders ALTER COLUMN b SET DEFAULT 2\"}}\n");
	/* a new table with its index and comment is one step's work */
	expect_clean(raw("expand", "CREATE TABLE t (id int); CREATE INDEX ON t (id); COMMENT ON TABLE t IS 'x'"));
	/* DML and functions take no lock that blocks the application */
	expect_clean(raw("expand", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; "
			 "ALTER TABLE users ALTER COLUMN a SET DEFAULT f()"));
	/* pgstep's multi steps (swaps): several statements on one existing
	 * table, or on what the plan created, commit together by design */
	lint_text("operations:\n"
		  "  - rename_table: {from: orders, to: purchases}\n"
		  "  - alter_column: {table: users, column: age, type: integer, up: \"age::integer\", down: \"age::text\"}\n"
		  "  - partition_table: {table: events, column: at, partitions: [{name: y2024, from: \"2024-01-01\", to: \"2025-01-01\"}]}\n",
		  &r);
	assert_int_equal(count(&r, "multiple-ddl-in-step"), 0);
	lint_report_free(&r);
}

static void
test_prefer_jsonb(void **state)
{
	expect_rule(raw("expand", "ALTER TABLE users ADD COLUMN prefs json"), "prefer-jsonb");
	expect_rule(raw("expand", "CREATE TABLE t (doc json)"), "prefer-jsonb");
	/* at the type in the plan */
	expect_rule_at("operations:\n"
		       "  - add_column:\n"
		       "      table: users\n"
		       "      column: {name: prefs, type: json, nullable: true}\n",
		       "prefer-jsonb", 4, 35);
	expect_clean(raw("expand", "ALTER TABLE users ADD COLUMN prefs jsonb"));
}

static void
test_identifier_too_long(void **state)
{
	/* 64 bytes, then 63 */
	expect_rule(raw("expand", "CREATE TABLE a234567890123456789012345678901234567890123456789012345678901234 (id int)"),
		    "identifier-too-long");
	expect_rule(raw("expand", "ALTER TABLE users ADD COLUMN c234567890123456789012345678901234567890123456789012345678901234 int"),
		    "identifier-too-long");
	expect_clean(raw("expand", "CREATE TABLE a23456789012345678901234567890123456789012345678901234567890123 (id int)"));
	/* quoted: 63 bytes is fine, 64 is cut */
	expect_clean(raw("expand", "CREATE TABLE \\\"A23456789012345678901234567890123456789012345678901234567890123\\\" (id int)"));
	expect_rule(raw("expand", "CREATE TABLE \\\"A234567890123456789012345678901234567890123456789012345678901234\\\" (id int)"),
		    "identifier-too-long");
	/* string constants and function bodies are not names */
	expect_clean(raw("expand", "COMMENT ON TABLE users IS 'a comment far longer than sixty-three bytes, which is no identifier at all'"));
}

/* The statements of a DO block run in the step's transaction: read too. */
static void
test_do_blocks(void **state)
{
	expect_rule(raw("switch", "DO $$ BEGIN IF true THEN ALTER TABLE users ALTER COLUMN email SET NOT NULL; END IF; END $$"),
		    "set-not-null-without-check");
	expect_rule(raw("expand", "DO $$ BEGIN CREATE INDEX i ON users (email); END $$"), "create-index-not-concurrently");
	/* one DO block is one statement of the step, whatever it holds */
	expect_clean(raw("expand", "DO $$ BEGIN ALTER TABLE users ADD CONSTRAINT c CHECK (age > 0) NOT VALID; "
			 "COMMENT ON COLUMN users.age IS 'x'; END $$"));
	/* SQL built at run time is not seen; nor is a block the PL/pgSQL
	 * parser cannot read without the catalog */
	expect_clean(raw("expand", "DO $$ BEGIN EXECUTE 'CREATE INDEX i ON users (email)'; END $$"));
	expect_clean(raw("expand", "DO LANGUAGE plperl $$ 1; $$"));
}

static void
test_syntax_error_in_compiled_sql(void **state)
{
	struct lint_report r = {0};

	/* a type pgstep passes through, wrong: the error points into it */
	lint_text("operations:\n"
		  "  - add_column:\n"
		  "      table: users\n"
		  "      column: {name: c, type: \"int garbage\", nullable: true}\n",
		  &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].rule->name, "syntax-error");
	assert_int_equal(r.v[0].line, 4);
	assert_int_equal(r.v[0].col, 36);
	assert_int_equal(lint_report_status(&r), 2);
	lint_report_free(&r);
	expect_clean("operations:\n"
		     "  - add_column:\n"
		     "      table: users\n"
		     "      column: {name: c, type: integer, nullable: true}\n");
}

/* ---- the SQL a plan carries, checked at load ---- */

static void
test_expression_errors_at_load(void **state)
{
	/* plain: at the end of the input */
	expect_load_error("operations:\n"
			  "  - add_column:\n"
			  "      table: users\n"
			  "      column: {name: e, type: text}\n"
			  "      up: lower(email) +\n",
			  "5:25: add_column.up is not valid SQL (read as SELECT <expression>): syntax error at end of input");
	/* double-quoted: at the token */
	expect_load_error("operations:\n"
			  "  - add_column:\n"
			  "      table: users\n"
			  "      column: {name: price, type: int, check: \"price >> > 0\", nullable: true}\n",
			  "4:57: add_column.column.check is not valid SQL (read as SELECT <expression>): syntax error at or near \">\"");
	/* single-quoted, where '' is one quote of the text */
	expect_load_error("operations:\n"
			  "  - alter_column: {table: users, column: a, default: 'it''s ( '}\n",
			  "2:57: alter_column.default is not valid SQL (read as SELECT <expression>): unterminated quoted string");
	/* characters, not bytes */
	expect_load_error("operations:\n"
			  "  - create_index: {name: i, table: users, columns: [a], predicate: \"é é é\"}\n",
			  "2:73: create_index.predicate is not valid SQL (read as SELECT <expression>): syntax error at or near \"é\"");
	/* a literal block: the line inside it */
	expect_load_error("operations:\n"
			  "  - raw_sql:\n"
			  "      expand:\n"
			  "        up: |\n"
			  "          CREATE TABLE t (id int);\n"
			  "          ALTER TABLE t ADD COLUMN x int garbage;\n",
			  "6:42: raw_sql.expand.up is not valid SQL: syntax error at or near \"garbage\"");
	expect_load_error("operations:\n"
			  "  - drop_column: {table: users, column: c, down: \"(\"}\n",
			  "2:52: drop_column.down is not valid SQL");
	expect_load_error("operations:\n"
			  "  - sql: {up: \"ALTER TABLE users ADD COLUMN\"}\n",
			  "2:44: sql.up is not valid SQL: syntax error at end of input");
}

static void
test_expression_shape_at_load(void **state)
{
	expect_load_error("operations:\n"
			  "  - create_index: {name: i, table: users, columns: [a], predicate: \"a > 0, b > 0\"}\n",
			  "2:68: create_index.predicate must be one SQL expression");
	expect_load_error("operations:\n"
			  "  - add_column: {table: users, column: {name: c, type: int}, up: \"1 FROM users\"}\n",
			  "2:66: add_column.up must be one SQL expression");
	expect_load_error("operations:\n"
			  "  - add_column: {table: users, column: {name: c, type: int}, up: \"1; DROP TABLE users\"}\n",
			  "2:66: add_column.up must be one SQL expression");
	expect_load_error("operations:\n"
			  "  - alter_column: {table: users, column: c, check: \"c > 0 -- positive\"}\n",
			  "2:52: alter_column.check does not parse between parentheses");
	expect_load_error("operations:\n"
			  "  - raw_sql: {backfill: {table: users, update: \"a = 1 WHERE b\"}}\n",
			  "2:48: raw_sql.backfill.update must be a SET list");
	expect_load_error("operations:\n"
			  "  - sql: {up: \"-- nothing\"}\n",
			  "2:15: sql.up holds no SQL statement");
	/* and what is right loads */
	{
		struct diag d = {0};
		struct plan *p = load("operations:\n"
				      "  - add_column:\n"
				      "      table: users\n"
				      "      column: {name: c, type: int, default: \"0\", check: {constraint: \"c >= 0\"}}\n"
				      "      up: \"CASE WHEN age ~ '^[0-9]+$' THEN age::int END\"\n"
				      "  - raw_sql:\n"
				      "      backfill: {table: users, update: \"a = 1, b = lower(b)\", where: \"a IS NULL\"}\n"
				      "  - create_table:\n"
				      "      name: t\n"
				      "      columns: [{name: id, type: int, check: \"id > 0\", default: \"1\"}]\n"
				      "      constraints: [{type: check, check: \"id < 10\"}]\n",
				      &d);

		diag_print(&d, stderr);
		assert_non_null(p);
		plan_free(p);
		diag_free(&d);
	}
}

/* Aliases of aliases (2^40 paths here) must not blow up: the document is
 * refused at load, in bounded time, since its aliases would expand it far
 * beyond the file (and identity takes no keys but user_specified_values). */
static void
test_alias_bomb(void **state)
{
	char text[4096];
	size_t off = 0;
	struct diag d = {0};
	struct plan *p;

	off += (size_t) snprintf(text + off, sizeof(text) - off,
				 "operations:\n"
				 "  - create_table:\n"
				 "      name: bomb\n"
				 "      columns:\n"
				 "        - name: id\n"
				 "          type: int\n"
				 "          generated:\n"
				 "            identity:\n"
				 "              user_specified_values: ALWAYS\n"
				 "              b0: &b0 [lol, lol]\n");
	for (int i = 1; i < 40; i++)
		off += (size_t) snprintf(text + off, sizeof(text) - off, "              b%d: &b%d [*b%d, *b%d]\n", i, i,
					 i - 1, i - 1);
	alarm(10);
	p = load(text, &d);
	alarm(0);
	assert_null(p);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.items[0].msg, "aliases repeat"));
	diag_free(&d);
}

/* ---- lint_ignore ---- */

static void
test_lint_ignore(void **state)
{
	struct lint_report r = {0};
	char *json = NULL;
	size_t len = 0;
	FILE *f;

	lint_text("operations:\n"
		  "  - raw_sql:\n"
		  "      expand: {up: \"CREATE INDEX i ON users (email)\"}\n"
		  "      lint_ignore: [create-index-not-concurrently]\n",
		  &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].rule->name, "create-index-not-concurrently");
	assert_true(r.v[0].silenced);
	assert_int_equal(lint_report_status(&r), 0);
	/* the report says so */
	f = open_memstream(&json, &len);
	lint_report_text(f, &r);
	fclose(f);
	assert_non_null(strstr(json, "t.yaml:3:21: create-index-not-concurrently: step 1 (expand): CREATE INDEX i on users"));
	assert_non_null(strstr(json, "(silenced by lint_ignore)\n"));
	free(json);
	lint_report_free(&r);

	/* only that rule, only for that operation */
	lint_text("operations:\n"
		  "  - raw_sql:\n"
		  "      expand: {up: \"CREATE INDEX i ON users (email)\"}\n"
		  "      lint_ignore: [vacuum-full]\n"
		  "  - add_column: {table: users, column: {name: p, type: json, nullable: true}, lint_ignore: [prefer-jsonb]}\n"
		  "  - raw_sql: {expand: {up: \"CREATE INDEX j ON users (email)\"}}\n",
		  &r);
	assert_int_equal(count(&r, "create-index-not-concurrently"), 2);
	assert_false(r.v[0].silenced);
	assert_int_equal(count(&r, "prefer-jsonb"), 1);
	for (size_t i = 0; i < r.n; i++)
		assert_true(r.v[i].silenced == (strcmp(r.v[i].rule->name, "prefer-jsonb") == 0));
	assert_int_equal(lint_report_status(&r), 1);
	lint_report_free(&r);

	expect_load_error("operations:\n"
			  "  - create_index: {name: i, table: t, columns: [a], lint_ignore: [create-index-concurrently]}\n",
			  "2:67: lint_ignore: there is no lint rule \"create-index-concurrently\"");
	expect_load_error("operations:\n"
			  "  - create_index: {name: i, table: t, columns: [a], lint_ignore: [syntax-error]}\n",
			  "2:67: lint_ignore: syntax-error cannot be silenced");
	/* beside the kind rather than inside it: said so */
	expect_load_error("operations:\n"
			  "  - create_index: {name: i, table: t, columns: [a]}\n"
			  "    lint_ignore: [prefer-jsonb]\n",
			  "2:5: lint_ignore goes inside the operation");
	/* unknown keys list it with the operation's own */
	expect_load_error("operations:\n"
			  "  - drop_index: {name: i, nme: j}\n",
			  "2:27: unknown key \"nme\" in drop_index (expected one of: name, lint_ignore)");
}

/* ---- reports ---- */

static void
test_report_json_and_status(void **state)
{
	struct lint_report r = {0};
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	json_object *root, *findings, *first, *v;

	lint_text("operations:\n"
		  "  - raw_sql:\n"
		  "      expand: {up: \"ALTER TABLE users ADD COLUMN p json\", down: \"ALTER TABLE users DROP COLUMN p\"}\n"
		  "      contract: {up: \"DO $$ BEGIN VACUUM FULL users; END $$\"}\n",
		  &r);
	assert_int_equal(lint_report_status(&r), 2);	/* VACUUM in a DO block cannot work */
	f = open_memstream(&out, &len);
	lint_report_json(f, &r);
	fclose(f);
	root = json_tokener_parse(out);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "findings", &findings));
	assert_int_equal(json_object_array_length(findings), 3);
	first = json_object_array_get_idx(findings, 0);
	assert_true(json_object_object_get_ex(first, "rule", &v));
	assert_string_equal(json_object_get_string(v), "prefer-jsonb");
	assert_true(json_object_object_get_ex(first, "file", &v));
	assert_string_equal(json_object_get_string(v), "t.yaml");
	assert_true(json_object_object_get_ex(first, "line", &v));
	assert_int_equal(json_object_get_int(v), 3);
	assert_true(json_object_object_get_ex(first, "column", &v));
	assert_int_equal(json_object_get_int(v), 52);
	assert_true(json_object_object_get_ex(first, "phase", &v));
	assert_string_equal(json_object_get_string(v), "expand");
	assert_true(json_object_object_get_ex(first, "severity", &v));
	assert_string_equal(json_object_get_string(v), "warning");
	assert_true(json_object_object_get_ex(first, "alternative", &v));
	assert_string_equal(json_object_get_string(v), "jsonb");
	assert_true(json_object_object_get_ex(root, "errors", &v));
	assert_int_equal(json_object_get_int(v), 1);
	assert_true(json_object_object_get_ex(root, "warnings", &v));
	assert_int_equal(json_object_get_int(v), 2);
	json_object_put(root);
	free(out);
	lint_report_free(&r);

	lint_text(raw("expand", "ALTER TABLE users ADD COLUMN p json"), &r);
	assert_int_equal(lint_report_status(&r), 1);
	lint_report_free(&r);
	lint_text(raw("expand", "ALTER TABLE users ADD COLUMN p jsonb"), &r);
	assert_int_equal(lint_report_status(&r), 0);
	lint_report_free(&r);
}

static void
test_rules_are_documented(void **state)
{
	for (const struct lint_rule *r = lint_rules; r->name; r++) {
		assert_non_null(r->reason);
		assert_null(strchr(r->reason, '\n'));
		/* stable names: lower case words and dashes */
		for (const char *c = r->name; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || *c == '-');
		assert_ptr_equal(lint_rule_find(r->name), r);
	}
	assert_null(lint_rule_find("no-such-rule"));
}

/* What earlier plans created and changed carries over to later ones. */
static void
test_session_across_plans(void **state)
{
	static const char first[] = "operations:\n"
		"  - raw_sql: {expand: {up: \"CREATE TABLE t (c varchar(10))\"}}\n";
	static const char second[] = "operations:\n"
		"  - raw_sql: {expand: {up: \"ALTER TABLE t ALTER COLUMN c TYPE varchar(20)\"}}\n"
		"  - raw_sql: {expand: {up: \"ALTER TABLE t RENAME TO u\"}}\n";
	struct lint_session *s = lint_session_new();
	struct lint_report r = {0};
	const char *texts[] = {first, second};

	for (int i = 0; i < 2; i++) {
		struct diag d = {0};
		struct plan *p = load(texts[i], &d);
		struct compiled *c;

		assert_non_null(p);
		c = compile_plan(p, NULL);
		lint_plan(s, p, c, &r);
		compiled_free(c);
		plan_free(p);
		diag_free(&d);
	}
	/* the type is known from the first plan; the table is no longer new */
	assert_int_equal(count(&r, "alter-column-type"), 0);
	assert_int_equal(count(&r, "rename-before-contract"), 1);
	lint_report_free(&r);
	lint_session_free(s);
}

/* ---- every operation pgstep compiles lints clean ---- */

static const char *const compiled_plans[] = {
	/* create_table with every kind of column and constraint */
	"operations:\n"
	"  - create_table:\n"
	"      name: teams\n"
	"      columns:\n"
	"        - {name: id, type: bigint, pk: true}\n"
	"        - {name: name, type: text, nullable: false, unique: true, check: \"length(name) > 0\", comment: the name}\n"
	"        - {name: owner_id, type: bigint, references: {table: users, column: id, on_delete: CASCADE}}\n"
	"        - {name: slug, type: text, generated: {expression: \"lower(name)\"}}\n"
	"        - {name: n, type: bigint, generated: {identity: {user_specified_values: BY DEFAULT}}}\n"
	"        - {name: doc, type: jsonb, default: \"'{}'\"}\n"
	"      constraints:\n"
	"        - {name: teams_name_len, type: check, check: \"length(name) < 100\"}\n"
	"        - {name: teams_owner_name, type: unique, columns: [owner_id, name]}\n"
	"        - {name: teams_owner_fk, type: foreign_key, columns: [owner_id], references: {table: users, columns: [id]}}\n"
	"      comment: Teams\n",
	/* add_column: plain, NOT NULL with a default, filled by up with every
	 * constraint, a volatile default */
	"operations:\n"
	"  - add_column: {table: users, column: {name: plain, type: text, nullable: true}}\n"
	"  - add_column: {table: users, column: {name: flag, type: boolean, nullable: false, default: \"false\"}}\n"
	"  - add_column:\n"
	"      table: users\n"
	"      column:\n"
	"        name: team_id\n"
	"        type: bigint\n"
	"        nullable: false\n"
	"        unique: true\n"
	"        default: \"0\"\n"
	"        check: {name: team_positive, constraint: \"team_id >= 0\"}\n"
	"        references: {table: teams, column: id}\n"
	"        comment: the team\n"
	"      up: \"coalesce(team_id, 0)\"\n"
	"  - add_column: {table: users, column: {name: token, type: uuid, default: gen_random_uuid(), nullable: false}}\n",
	/* alter_column: a type through a shadow column (NOT NULL, default,
	 * comment), constraints in place, a default, a rename */
	"operations:\n"
	"  - alter_column: {table: users, column: age, type: integer, up: \"age::integer\", down: \"age::text\",\n"
	"                  nullable: false, default: \"0\", comment: years}\n"
	"  - alter_column: {table: users, column: email, nullable: false, up: \"'x'\", check: \"email LIKE '%@%'\",\n"
	"                  unique: {name: users_email_uq}, references: {table: emails, column: address}}\n"
	"  - alter_column: {table: users, column: created_at, default: now(), comment: when}\n"
	"  - alter_column: {table: users, column: name, name: full_name, comment: the name}\n",
	/* a type change with a new name keeps the old one until contract */
	"operations:\n"
	"  - alter_column: {table: users, column: age, name: years, type: integer, up: \"age::integer\", down: \"years::text\"}\n",
	"operations:\n"
	"  - rename_column: {table: users, from: city, to: town}\n"
	"  - rename_table: {from: orders, to: purchases}\n",
	"operations:\n"
	"  - create_index:\n"
	"      name: users_created_idx\n"
	"      table: users\n"
	"      unique: true\n"
	"      method: btree\n"
	"      columns: [{column: created_at, sort: DESC, nulls: LAST}, email]\n"
	"      predicate: deleted_at IS NULL\n"
	"      storage_parameters: {fillfactor: 70}\n"
	"  - drop_index: {name: old_idx}\n",
	"operations:\n"
	"  - drop_column: {table: users, column: legacy, down: \"'x'\"}\n"
	"  - drop_column: {table: users, column: other}\n"
	"  - drop_table: {name: old_table, retain: 1h}\n",
	"operations:\n"
	"  - partition_table:\n"
	"      table: events\n"
	"      column: created_at\n"
	"      type: range\n"
	"      partitions: [{name: p2024, from: \"2024-01-01\", to: \"2025-01-01\"}, {name: rest, from: \"2025-01-01\", to: MAXVALUE}]\n"
	"  - partition_table: {table: logs, column: at, primary_key: [id, seq], interval: {every: 1 year, from: \"2020-01-01\", to: \"2023-01-01\"}}\n",
	"operations:\n"
	"  - sql: {up: \"CREATE TABLE audit (id bigint)\", down: \"DROP TABLE audit\"}\n"
	"  - sql: {up: \"ALTER TABLE audit ALTER COLUMN id SET DEFAULT 0\", onComplete: true}\n"
	"  - raw_sql:\n"
	"      expand: {up: \"CREATE TABLE x (id int)\", down: \"DROP TABLE x\"}\n"
	"      backfill: {table: users, update: \"plain = 'a'\", where: \"plain IS NULL\"}\n"
	"      switch: {up: \"ALTER TABLE users ALTER COLUMN plain SET DEFAULT 'a'\", down: \"ALTER TABLE users ALTER COLUMN plain DROP DEFAULT\"}\n"
	"      contract: {up: \"DROP TABLE x\"}\n",
	/* pgroll's constraint operations, every type, with and without up */
	"operations:\n"
	"  - create_constraint: {table: users, name: users_age_ck, type: check, columns: [age], check: \"age > 0\",\n"
	"                       up: {age: \"SELECT CASE WHEN age > 0 THEN age ELSE 1 END\"}, down: {age: age}}\n"
	"  - create_constraint: {table: users, name: users_name_ck, type: check, check: \"name <> ''\", no_inherit: true}\n"
	"  - create_constraint: {table: users, name: users_email_uq, type: unique, columns: [email, name],\n"
	"                       index_parameters: {include_columns: [age], storage_parameters: \"fillfactor=80\"}}\n"
	"  - create_constraint: {table: users, name: users_team_fk, type: foreign_key, columns: [team_id],\n"
	"                       references: {table: teams, columns: [id], on_delete: SET NULL, on_delete_set_columns: [team_id]}}\n"
	"  - create_constraint: {table: tags, name: tags_pkey, type: primary_key, columns: [id], up: {id: \"coalesce(id, 0)\"}}\n"
	"  - drop_constraint: {table: users, name: old_ck, up: age, down: age}\n"
	"  - drop_multicolumn_constraint: {table: users, name: old_uq, up: {a: a, b: b}, down: {a: a, b: b}}\n"
	"  - rename_constraint: {table: users, from: users_age_ck, to: users_age_positive}\n"
	"  - set_replica_identity: {table: users, identity: {type: index, index: users_pkey}}\n"
	"  - set_replica_identity: {table: tags, identity: {type: full}}\n",
	/* create_table's exclusion, NULLS NOT DISTINCT and index parameters */
	"operations:\n"
	"  - create_table:\n"
	"      name: rooms\n"
	"      columns:\n"
	"        - {name: id, type: bigint, pk: true, generated: {identity: {user_specified_values: ALWAYS, sequence_options: START 100}}}\n"
	"        - {name: title, type: text, nullable: true, check: {name: title_len, constraint: \"length(title) < 50\", no_inherit: true}}\n"
	"        - {name: code, type: text, nullable: true, references: {name: rooms_code_fk, table: codes, column: code, deferrable: true}}\n"
	"      constraints:\n"
	"        - {name: rooms_title_uq, type: unique, columns: [title], nulls_not_distinct: true,\n"
	"           index_parameters: {include_columns: [code], storage_parameters: \"fillfactor=70\"}}\n"
	"        - {name: rooms_no_dup, type: exclude, exclude: {index_method: btree, elements: title WITH =, predicate: title IS NOT NULL}}\n",
	/* the rollback of DROP NOT NULL: NOT NULL again through a valid
	 * check (it once ran a plain SET NOT NULL, a scan under ACCESS
	 * EXCLUSIVE) */
	"operations:\n"
	"  - alter_column: {table: users, column: email, nullable: true}\n"
	"  - alter_column: {table: users, column: age, type: integer, up: \"age::integer\", down: \"age::text\", nullable: true}\n",
};

static void
test_compiled_operations_lint_clean(void **state)
{
	for (size_t i = 0; i < sizeof(compiled_plans) / sizeof(compiled_plans[0]); i++)
		expect_clean(compiled_plans[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_index_not_concurrently),
		cmocka_unit_test(test_drop_index_not_concurrently),
		cmocka_unit_test(test_reindex_not_concurrently),
		cmocka_unit_test(test_no_transaction_block),
		cmocka_unit_test(test_add_column_volatile_default),
		cmocka_unit_test(test_add_column_generated),
		cmocka_unit_test(test_alter_column_type),
		cmocka_unit_test(test_set_not_null_without_check),
		cmocka_unit_test(test_constraint_without_not_valid),
		cmocka_unit_test(test_validate_in_same_step),
		cmocka_unit_test(test_unique_without_index),
		cmocka_unit_test(test_rename_before_contract),
		cmocka_unit_test(test_drop_before_contract),
		cmocka_unit_test(test_vacuum_full_and_cluster),
		cmocka_unit_test(test_multiple_ddl_in_step),
		cmocka_unit_test(test_prefer_jsonb),
		cmocka_unit_test(test_identifier_too_long),
		cmocka_unit_test(test_do_blocks),
		cmocka_unit_test(test_syntax_error_in_compiled_sql),
		cmocka_unit_test(test_expression_errors_at_load),
		cmocka_unit_test(test_expression_shape_at_load),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_lint_ignore),
		cmocka_unit_test(test_report_json_and_status),
		cmocka_unit_test(test_rules_are_documented),
		cmocka_unit_test(test_session_across_plans),
		cmocka_unit_test(test_compiled_operations_lint_clean),
	};
	int rc = cmocka_run_group_tests_name("lint", tests, NULL, NULL);

	sql_cleanup();
	return rc;
}
