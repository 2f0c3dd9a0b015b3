/* Carrying a column's indexes and constraints: the definitions the
 * catalog gives, rewritten onto the new column token by token. The carry
 * itself runs in tests/lifecycle (rename_column_constrained,
 * alter_column_type_indexed). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/carry.h"
#include "pg/sql.h"

static void
expect_index(const char *def, const char *from, const char *to, const char *name, const char *want)
{
	char *got = carry_index_sql(def, from, to, name);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_index_columns(void **state)
{
	expect_index("CREATE INDEX items_price_idx ON public.items USING btree (price)", "price",
		     "_pgstep_items_price_new", "\"_pgstep_items_price_idx_carry\"",
		     "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"_pgstep_items_price_idx_carry\" ON public.items "
		     "USING btree (_pgstep_items_price_new)");
	/* every reference after USING: keys, expressions, INCLUDE, WHERE */
	expect_index("CREATE UNIQUE INDEX u ON public.t USING btree (a, lower(email)) INCLUDE (email) WHERE (email IS NOT NULL)",
		     "email", "mail", "c",
		     "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS c ON public.t USING btree (a, lower(mail)) "
		     "INCLUDE (mail) WHERE (mail IS NOT NULL)");
	/* not the table that has the column's name, nor a function, nor text */
	expect_index("CREATE INDEX i ON public.lower USING btree (lower(lower)) WHERE (note <> 'lower'::text)", "lower",
		     "\"Lower\"", "c",
		     "CREATE INDEX CONCURRENTLY IF NOT EXISTS c ON public.lower USING btree (lower(\"Lower\")) "
		     "WHERE (note <> 'lower'::text)");
	/* names as quote_ident() writes them: quoted, or keywords */
	expect_index("CREATE INDEX i ON public.t USING gist (\"Email\" gist_trgm_ops)", "\"Email\"", "\"Mail\"", "c",
		     "CREATE INDEX CONCURRENTLY IF NOT EXISTS c ON public.t USING gist (\"Mail\" gist_trgm_ops)");
	expect_index("CREATE INDEX i ON public.t USING btree (name DESC NULLS LAST)", "name", "full_name", "c",
		     "CREATE INDEX CONCURRENTLY IF NOT EXISTS c ON public.t USING btree (full_name DESC NULLS LAST)");
	/* an index that does not name the column comes back the same, renamed */
	expect_index("CREATE INDEX i ON public.t USING btree (a)", "b", "c", "n",
		     "CREATE INDEX CONCURRENTLY IF NOT EXISTS n ON public.t USING btree (a)");
	assert_null(carry_index_sql("SELECT 1", "a", "b", "c"));
}

static void
test_constraint_defs(void **state)
{
	char *got = carry_constraint_sql("CHECK ((price >= 0))", 'c', "price", "_pgstep_items_price_new");

	assert_string_equal(got, "CHECK ((_pgstep_items_price_new >= 0))");
	free(got);
	got = carry_constraint_sql("CHECK (((sku <> ''::text) AND (length(sku) < 20))) NO INHERIT", 'c', "sku", "code");
	assert_string_equal(got, "CHECK (((code <> ''::text) AND (length(code) < 20))) NO INHERIT");
	free(got);
	/* a foreign key's own columns only, not the referenced ones */
	got = carry_constraint_sql("FOREIGN KEY (user_id, tenant) REFERENCES users(user_id, tenant) ON DELETE CASCADE", 'f',
				   "user_id", "uid");
	assert_string_equal(got, "FOREIGN KEY (uid, tenant) REFERENCES users(user_id, tenant) ON DELETE CASCADE");
	free(got);
}

static void
test_key_prefix(void **state)
{
	char *p = carry_key_prefix("Order Items", "Select Me");

	assert_string_equal(p, "carry:Order Items.Select Me:");
	free(p);
}

static void
expect_expr(const char *expr, const char *from, const char *also, const char *to, const char *want)
{
	const char *names[2] = {from, also};
	char *got = carry_expr_sql(expr, names, also ? 2 : 1, to);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* A plan's check, moved onto the column that replaces the one it names. */
static void
test_plan_expr(void **state)
{
	/* the column by name as PostgreSQL reads it: folded, or quoted */
	expect_expr("price >= 0 AND PRICE < 100 AND \"price\" <> 7", "price", NULL, "_pgstep_items_price_new",
		    "\"_pgstep_items_price_new\" >= 0 AND \"_pgstep_items_price_new\" < 100 AND \"_pgstep_items_price_new\" <> 7");
	/* quoted names match exactly; a "" inside is one " */
	expect_expr("\"Price\" > 0 AND price > 0", "Price", NULL, "n", "\"n\" > 0 AND price > 0");
	expect_expr("\"a\"\"b\" > 0", "a\"b", NULL, "n", "\"n\" > 0");
	/* either name, with a rename; a keyword allowed as a column name */
	expect_expr("name <> '' AND full_name <> 'name'", "name", "full_name", "n", "\"n\" <> '' AND \"n\" <> 'name'");
	/* not a function, a type, a qualified name or a field; comments skipped */
	expect_expr("text(text) <> '' AND text::text <> CAST(text AS text) AND t.text <> (r).text", "text", NULL, "n",
		    "text(\"n\") <> '' AND \"n\"::text <> CAST(\"n\" AS text) AND t.text <> (r).text");
	expect_expr("lower /* c */ (lower) > ''", "lower", NULL, "n", "lower /* c */ (\"n\") > ''");
	/* a reserved word is never a column unquoted */
	expect_expr("\"true\" OR true", "true", NULL, "n", "\"n\" OR true");
	assert_null(carry_expr_sql("price > 'x", (const char *const[]) {"price"}, 1, "n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_columns),
		cmocka_unit_test(test_constraint_defs),
		cmocka_unit_test(test_key_prefix),
		cmocka_unit_test(test_plan_expr),
	};
	int rc = cmocka_run_group_tests_name("carry", tests, NULL, NULL);

	sql_cleanup();
	return rc;
}
