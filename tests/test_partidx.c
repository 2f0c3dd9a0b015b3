/* Indexes on partitioned tables, offline: the names the partitions'
 * indexes get (each expected name is what PostgreSQL 15 gave the same
 * index, by CREATE INDEX on the partitioned table), what the index steps
 * carry for the engine to decide on when they run, and what `pgstep show`
 * says they do on a partitioned table. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compile/compile.h"
#include "engine/partidx.h"
#include "plan_fixture.h"
#include "compile/show.h"

static void
expect_name(const char *table, const char *const *cols, size_t n, const char *label, int pass, const char *want)
{
	struct strlist l = {0};
	char *got;

	for (size_t i = 0; i < n; i++)
		strlist_add(&l, cols[i]);
	got = partidx_index_name(table, cols ? &l : NULL, label, pass);
	assert_string_equal(got, want);
	assert_true(strlen(got) <= 63);
	free(got);
	strlist_free(&l);
}

static void
test_names(void **state)
{
	static const char *const email[] = {"email"};
	static const char *const abb[] = {"a", "a_very_long_column_name_that_goes_on_and_on_for_a_while", "b"};
	static const char *const bbb[] = {"b", "b", "b"};
	static const char *const ea[] = {"\xc3\xa9", "a"};
	static const char *const incl[] = {"shop", "sku", "label"};
	const char *longt = "partition_with_a_rather_long_name_of_fifty_bytes_xx";
	/* 31 times U+00E9, two bytes each */
	const char *e31 = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";

	expect_name("users_p2019", email, 1, "idx", 0, "users_p2019_email_idx");
	/* a name taken: PostgreSQL numbers the label */
	expect_name("users_p2019", email, 1, "idx", 1, "users_p2019_email_idx1");
	/* INCLUDE columns count; a constraint's label */
	expect_name("items_shop1_h0", incl, 3, "key", 0, "items_shop1_h0_shop_sku_label_key");
	expect_name("items_s0", NULL, 0, "pkey", 0, "items_s0_pkey");
	/* a column met again gets a number */
	expect_name("p3", bbb, 3, "idx", 0, "p3_b_b1_b2_idx");
	/* too long: the longer part shortened first */
	expect_name("p3", abb, 3, "idx", 0, "p3_a_a_very_long_column_name_that_goes_on_and_on_for_a_whil_idx");
	expect_name(longt, abb, 3, "idx", 0, "partition_with_a_rather_long__a_a_very_long_column_name_tha_idx");
	expect_name(longt, bbb, 3, "idx", 0, "partition_with_a_rather_long_name_of_fifty_bytes_xx_b_b1_b2_idx");
	expect_name(longt, ea, 2, "idx", 0, "partition_with_a_rather_long_name_of_fifty_bytes_xx_\xc3\xa9_a_idx");
	/* never a character cut in half */
	expect_name(e31, abb, 3, "idx", 0,
		    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		    "_a_a_very_long_column_name_tha_idx");
	expect_name(e31, bbb, 3, "idx", 0,
		    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9_b_b1_b2_idx");
	expect_name(e31, ea, 2, "idx", 0,
		    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		    "_\xc3\xa9_a_idx");
}

/* create_index: one step, its SQL as on a plain table, and what the
 * engine needs to build it partition by partition. */
static void
test_create_index_step(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - create_index:\n"
					"      name: users_email_idx\n"
					"      table: users\n"
					"      unique: true\n"
					"      method: btree\n"
					"      columns: [email, {column: created_at, sort: DESC}]\n"
					"      predicate: deleted_at IS NULL\n");
	const struct step *s = step_at(&f, PHASE_EXPAND, 0);

	expect_counts(&f, 1, 0, 0, 0);
	assert_string_equal(s->sql, "CREATE UNIQUE INDEX CONCURRENTLY \"users_email_idx\" ON \"public\".\"users\" USING btree "
				    "(\"email\", \"created_at\" DESC) WHERE (deleted_at IS NULL)");
	assert_non_null(s->ib);
	assert_int_equal(s->ib->what, IB_BUILD);
	assert_string_equal(s->ib->table, "users");
	assert_string_equal(s->ib->name, "users_email_idx");
	assert_true(s->ib->unique);
	assert_null(s->ib->constraint);
	assert_string_equal(s->ib->def, "USING btree (\"email\", \"created_at\" DESC) WHERE (deleted_at IS NULL)");
	assert_int_equal(s->ib->names.n, 2);
	assert_string_equal(s->ib->names.v[1], "created_at");
	assert_true(s->plan_path);
	fixture_free(&f);
}

/* A unique constraint: the build in expand, built again if need be in
 * switch (no undo of its own), and the attach; each carries the index. */
static void
test_constraint_steps(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - create_constraint:\n"
					"      table: items\n"
					"      name: items_shop_sku_key\n"
					"      type: unique\n"
					"      columns: [shop, sku]\n"
					"      index_parameters: {include_columns: [label], storage_parameters: {fillfactor: 70}}\n");
	const struct step *build = step_at(&f, PHASE_EXPAND, 2), *ensure = step_at(&f, PHASE_SWITCH, 0);
	const struct step *attach = step_at(&f, PHASE_SWITCH, 1);

	expect_counts(&f, 3, 0, 2, 0);
	assert_non_null(build->ib);
	assert_int_equal(build->ib->what, IB_BUILD);
	assert_string_equal(build->ib->constraint, "UNIQUE");
	assert_string_equal(build->ib->def, "(\"shop\", \"sku\") INCLUDE (\"label\") WITH (fillfactor = 70)");
	assert_string_equal(build->ib->constraint_def, "UNIQUE (\"shop\", \"sku\") INCLUDE (\"label\") WITH (fillfactor = 70)");
	assert_int_equal(build->ib->keys.n, 2);
	assert_int_equal(build->ib->names.n, 3);
	assert_string_equal(build->ib->names.v[2], "label");
	assert_non_null(build->rollback);
	assert_non_null(ensure->ib);
	assert_int_equal(ensure->ib->what, IB_BUILD);
	assert_null(ensure->rollback);
	assert_non_null(attach->ib);
	assert_int_equal(attach->ib->what, IB_ATTACH);
	assert_string_equal(attach->sql, "ALTER TABLE \"public\".\"items\" ADD CONSTRAINT \"items_shop_sku_key\" UNIQUE "
					 "USING INDEX \"items_shop_sku_key\"");
	fixture_free(&f);
}

/* pgstep show says what the steps do on a partitioned table. */
static void
test_show(void **state)
{
	struct fixture f = compile_text("operations:\n"
					"  - create_index: {name: users_email_idx, table: users, columns: [email]}\n"
					"  - create_constraint: {table: items, name: items_sku_key, type: unique, columns: [sku]}\n");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	show_plan(out, f.plan, f.c, NULL);
	fclose(out);
	assert_non_null(strstr(buf, "       on a partitioned table (read when the step runs), instead:\n"
				    "         CREATE INDEX \"users_email_idx\" ON ONLY \"public\".\"users\" (\"email\")  (invalid, nothing built)\n"
				    "         then partition by partition, each its own statement:\n"
				    "           CREATE INDEX CONCURRENTLY <partition>_..._idx ON <partition> (\"email\")\n"
				    "           ALTER INDEX \"public\".\"users_email_idx\" ATTACH PARTITION <partition>_..._idx\n"));
	assert_non_null(strstr(buf, "       on a partitioned table (read when the step runs), instead, partition by partition:\n"
				    "         CREATE UNIQUE INDEX CONCURRENTLY <partition>_..._key ON <partition> (\"sku\")\n"));
	assert_non_null(strstr(buf, "ALTER TABLE \"public\".\"items\" ADD CONSTRAINT \"items_sku_key\" UNIQUE (\"sku\"),\n"
				    "         which attaches the partitions' constraints and builds nothing\n"));
	free(buf);
	fixture_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_create_index_step),
		cmocka_unit_test(test_constraint_steps),
		cmocka_unit_test(test_show),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
