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

#include "carry.h"
#include "sql.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_columns),
		cmocka_unit_test(test_constraint_defs),
		cmocka_unit_test(test_key_prefix),
	};
	int rc = cmocka_run_group_tests_name("carry", tests, NULL, NULL);

	sql_cleanup();
	return rc;
}
