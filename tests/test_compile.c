/* Compiled SQL of each operation, checked statement by statement. */
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


static void
test_quote_ident(void **state)
{
	char *q = sql_ident("Order Items");

	assert_string_equal(q, "\"Order Items\"");
	free(q);
	q = sql_ident("we\"ird");
	assert_string_equal(q, "\"we\"\"ird\"");
	free(q);
}

static void
test_helper_name_fits(void **state)
{
	char *n = sql_helper_name("a_really_long_table_name_that_goes_on_and_on",
				  "and_an_equally_long_column_name", "fill");

	assert_true(strlen(n) <= 63);
	assert_memory_equal(n, "_pgstep_a_really", 16);
	free(n);
}

static void
test_add_column_plain(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - add_column:\n"
					"      table: Order Items\n"
					"      column: {name: select, type: integer, default: \"0\", nullable: false}\n");

	assert_int_equal(f.c->n[PHASE_EXPAND], 1);
	assert_string_equal(step_at(&f, PHASE_EXPAND, 0)->sql,
			    "ALTER TABLE \"public\".\"Order Items\" ADD COLUMN \"select\" integer DEFAULT (0) NOT NULL");
	assert_string_equal(step_at(&f, PHASE_EXPAND, 0)->rollback,
			    "ALTER TABLE \"public\".\"Order Items\" DROP COLUMN IF EXISTS \"select\"");
	/* the type and the default are the plan's: its search_path */
	assert_true(step_at(&f, PHASE_EXPAND, 0)->plan_path);
	assert_int_equal(f.c->n[PHASE_BACKFILL], 0);
	assert_int_equal(f.c->n[PHASE_SWITCH], 0);
	assert_int_equal(f.c->n[PHASE_CONTRACT], 0);
	fixture_free(&f);
}

static void
test_add_column_with_up(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - add_column:\n"
					"      table: users\n"
					"      column: {name: prefs, type: jsonb, default: \"'{}'\", nullable: false}\n"
					"      up: build(id)\n");
	const struct step *s;

	/* column, function, trigger */
	assert_int_equal(f.c->n[PHASE_EXPAND], 3);
	assert_string_equal(step_at(&f, PHASE_EXPAND, 0)->sql, "ALTER TABLE \"public\".\"users\" ADD COLUMN \"prefs\" jsonb");
	assert_true(step_at(&f, PHASE_EXPAND, 0)->plan_path);
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 1)->sql, "(SELECT (build(id)) FROM (SELECT NEW.*)"));
	/* the function evaluates up on the plan's path, and pins it */
	assert_true(step_at(&f, PHASE_EXPAND, 1)->plan_path);
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 1)->sql,
			       "CREATE OR REPLACE FUNCTION \"public\".\"_pgstep_users_prefs_fill\"() RETURNS trigger "
			       "LANGUAGE plpgsql SET search_path = pg_catalog, \"public\", pg_temp AS $pgstep$\n"));
	/* the trigger names no expression of the plan */
	assert_false(step_at(&f, PHASE_EXPAND, 2)->plan_path);
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 2)->sql,
			       "WHEN (pg_catalog.current_setting('pgstep.backfill', true) IS DISTINCT FROM 'on')"));
	/* backfill, then vacuum */
	assert_int_equal(f.c->n[PHASE_BACKFILL], 2);
	s = step_at(&f, PHASE_BACKFILL, 0);
	assert_int_equal(s->kind, STEP_BACKFILL);
	assert_string_equal(s->bf->set_sql, "\"prefs\" = (build(id))");
	assert_true(s->plan_path);
	s = step_at(&f, PHASE_BACKFILL, 1);
	assert_int_equal(s->kind, STEP_VACUUM);
	assert_true(s->no_txn);
	/* an UPDATE refreshes the column only when it changed a column up
	 * reads (id) and left this one alone: a value the new application set
	 * stays through its later updates of other columns */
	assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 1)->sql,
			       "  ELSIF NEW.\"prefs\" IS NOT DISTINCT FROM OLD.\"prefs\" THEN\n"
			       "    DECLARE\n"
			       "      _pgstep_new jsonb := pg_catalog.to_jsonb(NEW);\n"
			       "      _pgstep_old jsonb := pg_catalog.to_jsonb(OLD);\n"
			       "    BEGIN\n"
			       "      IF _pgstep_new -> 'id' IS DISTINCT FROM _pgstep_old -> 'id' THEN\n"
			       "        NEW.\"prefs\" := (SELECT (build(id)) FROM (SELECT NEW.*) AS _pgstep_row);\n"));
	/* NOT NULL through a validated check */
	assert_int_equal(f.c->n[PHASE_SWITCH], 4);
	assert_non_null(strstr(step_at(&f, PHASE_SWITCH, 0)->sql, "IS NOT NULL) NOT VALID"));
	assert_non_null(strstr(step_at(&f, PHASE_SWITCH, 1)->sql, "VALIDATE CONSTRAINT"));
	assert_null(step_at(&f, PHASE_SWITCH, 1)->rollback);
	expect_set_not_null(&f, PHASE_SWITCH, 2, 0, "users", "prefs");
	/* contract: the default arrives, then trigger and function go, so
	 * that no insert finds neither (nor, rolled back, in reverse) */
	assert_int_equal(f.c->n[PHASE_CONTRACT], 3);
	assert_string_equal(step_at(&f, PHASE_CONTRACT, 0)->sql,
			    "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"prefs\" SET DEFAULT ('{}')");
	assert_non_null(strstr(step_at(&f, PHASE_CONTRACT, 1)->sql, "DROP TRIGGER"));
	assert_non_null(strstr(step_at(&f, PHASE_CONTRACT, 1)->rollback, "CREATE TRIGGER"));
	assert_string_equal(step_at(&f, PHASE_CONTRACT, 2)->rollback, step_at(&f, PHASE_EXPAND, 1)->sql);
	fixture_free(&f);
}

static void
test_add_column_volatile_default(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - add_column:\n"
					"      table: t\n"
					"      column: {name: token, type: uuid, default: gen_random_uuid()}\n");

	/* never ADD COLUMN ... DEFAULT gen_random_uuid(): that rewrites the table */
	assert_string_equal(step_at(&f, PHASE_EXPAND, 0)->sql, "ALTER TABLE \"public\".\"t\" ADD COLUMN \"token\" uuid");
	assert_string_equal(step_at(&f, PHASE_BACKFILL, 0)->bf->set_sql, "\"token\" = (gen_random_uuid())");
	fixture_free(&f);
}

/* The default of add_column, through the safety module: ADD COLUMN
 * carries it only when it is known not to be volatile; anything else
 * (an extension's volatile function, a function pgstep does not know) is
 * filled in batches and set in contract. The catalog's answers win. */
static const char *const token_plan = "operations:\n"
	"  - add_column:\n"
	"      table: users\n"
	"      column: {name: token, type: text, default: gen_token(), nullable: true}\n";

static void
expect_fill_path(const struct fixture *f, const char *default_)
{
	char *set = NULL;

	assert_string_equal(step_at(f, PHASE_EXPAND, 0)->sql, "ALTER TABLE \"public\".\"users\" ADD COLUMN \"token\" text");
	assert_int_equal(step_at(f, PHASE_BACKFILL, 0)->kind, STEP_BACKFILL);
	assert_true(asprintf(&set, "\"token\" = (%s)", default_) > 0);
	assert_string_equal(step_at(f, PHASE_BACKFILL, 0)->bf->set_sql, set);
	free(set);
	assert_true(asprintf(&set, "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"token\" SET DEFAULT (%s)", default_) > 0);
	assert_string_equal(step_at(f, PHASE_CONTRACT, 0)->sql, set);
	free(set);
}

static void
test_add_column_default_decided(void **state)
{
	struct fixture f = compile_text(token_plan);
	struct safety_facts facts = {0};
	struct safety_fact immutable = {.expr = "gen_token()", .type = "text", .v = VOL_IMMUTABLE, .why = "x"};
	const struct decision *d;
	struct plan *p;
	struct compiled *c;

	/* unknown offline: the safe way, and the decision on record */
	expect_fill_path(&f, "gen_token()");
	assert_int_equal(f.c->n_decisions, 1);
	d = &f.c->decisions[0];
	assert_string_equal(d->subject, "add_column users.token");
	assert_string_equal(d->expr, "gen_token()");
	assert_string_equal(d->type, "text");
	assert_int_equal(d->offline.v, VOL_UNKNOWN);
	assert_string_equal(d->offline.what, "gen_token()");
	assert_int_equal(d->used, VOL_UNKNOWN);
	assert_int_equal(d->op_index, 0);
	/* the catalog says immutable: one step, the default in ADD COLUMN */
	safety_facts_add(&facts, &immutable);
	assert_true(compiled_differs(f.c, &facts));
	p = load_text(token_plan);
	c = compile_plan(p, &facts);
	assert_int_equal(c->n[PHASE_EXPAND], 1);
	assert_string_equal(c->steps[PHASE_EXPAND][0].sql,
			    "ALTER TABLE \"public\".\"users\" ADD COLUMN \"token\" text DEFAULT (gen_token())");
	assert_int_equal(c->n[PHASE_BACKFILL], 0);
	assert_int_equal(c->n[PHASE_CONTRACT], 0);
	assert_int_equal(c->decisions[0].used, VOL_IMMUTABLE);
	assert_int_equal(c->decisions[0].offline.v, VOL_UNKNOWN);
	assert_false(compiled_differs(c, &facts));
	compiled_free(c);
	/* an answer for another type is no answer */
	facts.v[0].v = VOL_IMMUTABLE;
	free(facts.v[0].type);
	facts.v[0].type = NULL;
	c = compile_plan(p, &facts);
	assert_int_equal(c->n[PHASE_BACKFILL], 2);
	assert_false(compiled_differs(f.c, &facts));
	compiled_free(c);
	plan_free(p);
	safety_facts_free(&facts);
	fixture_free(&f);
}

static void
test_add_column_default_catalog_wins(void **state)
{
	static const char *const plan = "operations:\n"
		"  - add_column:\n"
		"      table: users\n"
		"      column: {name: token, type: text, default: upper(1), nullable: true}\n";
	struct fixture f = compile_text(plan);
	struct safety_facts facts = {0};
	struct safety_fact v = {.expr = "upper(1)", .type = "text", .v = VOL_VOLATILE, .why = "public.upper() is volatile"};
	struct plan *p = load_text(plan);
	struct compiled *c;

	/* upper() is immutable offline: the fast way */
	assert_int_equal(f.c->n[PHASE_EXPAND], 1);
	assert_int_equal(f.c->n[PHASE_BACKFILL], 0);
	assert_int_equal(f.c->decisions[0].offline.v, VOL_IMMUTABLE);
	/* but upper(integer) is the user's, and volatile: the safe way */
	safety_facts_add(&facts, &v);
	assert_true(compiled_differs(f.c, &facts));
	c = compile_plan(p, &facts);
	{
		struct fixture g = {.plan = p, .c = c};

		expect_fill_path(&g, "upper(1)");
	}
	compiled_free(c);
	plan_free(p);
	safety_facts_free(&facts);
	fixture_free(&f);
}

static void
test_add_column_defaults_offline(void **state)
{
	static const struct {
		const char *default_;
		bool fill;
	} cases[] = {
		{"gen_random_bytes(16)", true},	/* pgcrypto's */
		{"encode(gen_random_bytes(16), 'hex')", true},
		{"uuid_generate_v4()", true},	/* uuid-ossp's */
		{"random()", true},
		{"clock_timestamp()", true},
		{"app.now()", true},		/* not pg_catalog's */
		{"now()", false},
		{"CURRENT_TIMESTAMP", false},
		{"lower('X')", false},
		{"'{}'", false},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = NULL;
		struct fixture f;

		assert_true(asprintf(&text, "operations:\n"
				     "  - add_column:\n"
				     "      table: users\n"
				     "      column: {name: token, type: text, nullable: true, default: \"%s\"}\n",
				     cases[i].default_) > 0);
		f = compile_text(text);
		if (cases[i].fill)
			expect_fill_path(&f, cases[i].default_);
		else {
			assert_int_equal(f.c->n[PHASE_EXPAND], 1);
			assert_int_equal(f.c->n[PHASE_BACKFILL], 0);
			assert_non_null(strstr(step_at(&f, PHASE_EXPAND, 0)->sql, " DEFAULT ("));
		}
		assert_int_equal(f.c->n_decisions, 1);
		fixture_free(&f);
		free(text);
	}
}

static void
test_create_index(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - create_index:\n"
					"      name: users_email_idx\n"
					"      table: users\n"
					"      unique: true\n"
					"      method: btree\n"
					"      columns:\n"
					"        - email\n"
					"        - {column: created_at, sort: DESC, nulls: LAST}\n"
					"      predicate: deleted_at IS NULL\n");
	const struct step *s = step_at(&f, PHASE_EXPAND, 0);

	assert_string_equal(s->sql,
			    "CREATE UNIQUE INDEX CONCURRENTLY \"users_email_idx\" ON \"public\".\"users\" USING btree "
			    "(\"email\", \"created_at\" DESC NULLS LAST) WHERE (deleted_at IS NULL)");
	assert_string_equal(s->rollback, "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"users_email_idx\"");
	assert_true(s->no_txn);
	assert_true(s->rollback_no_txn);
	fixture_free(&f);
}

/* The tables a plan touches: each once, in the order first met, over all
 * phases; free-form SQL names none, a raw_sql backfill its table. */
static void
test_compiled_tables(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - add_column:\n"
					"      table: Order Items\n"
					"      column: {name: note, type: text}\n"
					"      up: \"'x'\"\n"
					"  - create_index: {name: orders_idx, table: orders, columns: [id]}\n"
					"  - sql: {up: CREATE TABLE misc (id int), down: DROP TABLE misc}\n"
					"  - raw_sql:\n"
					"      expand: {up: ALTER TABLE other ADD COLUMN c text}\n"
					"      backfill: {table: t_raw, update: c = 'y'}\n"
					"  - drop_index: {name: old_idx}\n"
					"  - drop_column: {table: orders, column: legacy}\n");
	struct strlist t = {0};

	compiled_tables(f.c, &t);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.v[0], "Order Items");
	assert_string_equal(t.v[1], "orders");
	assert_string_equal(t.v[2], "t_raw");
	strlist_free(&t);
	fixture_free(&f);

	f = compile_text("operations:\n"
			 "  - sql: {up: UPDATE users SET a = 1}\n"
			 "  - raw_sql: {switch: {up: ALTER TABLE users ADD COLUMN b int}}\n");
	compiled_tables(f.c, &t);
	assert_int_equal(t.n, 0);
	strlist_free(&t);
	fixture_free(&f);
}

/* The tables foreign keys reference and the new name of a renamed table
 * count as touched, after those the steps name. */
static void
test_compiled_tables_touched(void **state)
{
	struct fixture f;
	struct strlist t = {0};

	(void) state;
	f = compile_text("operations:\n"
			 "  - create_constraint: {table: orders, name: orders_user_fkey, type: foreign_key, columns: [user_id],\n"
			 "      references: {table: users, columns: [id]}, up: {user_id: user_id}, down: {user_id: user_id}}\n"
			 "  - add_column: {table: items, column: {name: shop, type: int, nullable: true, references: {name: items_shop_fkey, table: shops, column: id}}}\n"
			 "  - alter_column: {table: items, column: owner, references: {name: items_owner_fkey, table: users, column: id}, up: owner, down: owner}\n"
			 "  - create_table:\n"
			 "      name: notes\n"
			 "      columns:\n"
			 "        - {name: id, type: int, pk: true}\n"
			 "        - {name: tag, type: int, nullable: true, references: {name: notes_tag_fkey, table: tags, column: id}}\n"
			 "        - {name: parent, type: int, nullable: true}\n"
			 "      constraints:\n"
			 "        - {name: notes_parent_fkey, type: foreign_key, columns: [parent], references: {table: notes, columns: [id]}}\n"
			 "        - {name: notes_owner_fkey, type: foreign_key, columns: [id], references: {table: owners, columns: [id]}}\n"
			 "  - rename_table: {from: old_logs, to: logs}\n");
	compiled_tables(f.c, &t);
	assert_int_equal(t.n, 9);
	assert_string_equal(t.v[0], "orders");
	assert_string_equal(t.v[1], "items");
	assert_string_equal(t.v[2], "notes");
	assert_string_equal(t.v[3], "old_logs");
	assert_string_equal(t.v[4], "users");
	assert_string_equal(t.v[5], "shops");
	assert_string_equal(t.v[6], "tags");
	assert_string_equal(t.v[7], "owners");
	assert_string_equal(t.v[8], "logs");
	strlist_free(&t);
	fixture_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_ident),
		cmocka_unit_test(test_helper_name_fits),
		cmocka_unit_test(test_add_column_plain),
		cmocka_unit_test(test_add_column_with_up),
		cmocka_unit_test(test_add_column_volatile_default),
		cmocka_unit_test(test_add_column_default_decided),
		cmocka_unit_test(test_add_column_default_catalog_wins),
		cmocka_unit_test(test_add_column_defaults_offline),
		cmocka_unit_test(test_create_index),
		cmocka_unit_test(test_compiled_tables),
		cmocka_unit_test(test_compiled_tables_touched),
	};
	int rc = cmocka_run_group_tests_name("compile", tests, NULL, NULL);

	sql_cleanup();
	return rc;
}
