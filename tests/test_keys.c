/* The console's key table, without a terminal: every action is bound, no
 * key is bound twice, lookups and the W_* conditions do what the footer
 * and the dispatch rely on. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../ui/keys.h"

static void
test_every_action_bound_once(void **state)
{
	assert_int_equal(n_key_table, N_ACTIONS - 1);
	for (size_t i = 0; i < n_key_table; i++) {
		const struct key_info *ki = &key_table[i];

		assert_int_equal(ki->act, (int) i + 1);
		assert_non_null(ki->name);
		assert_true(ki->help && strlen(ki->help) > 5);
		assert_true(ki->keys[0] != 0);
		for (int k = 0; k < 3 && ki->keys[k]; k++)
			assert_int_equal(keys_action(ki->keys[k]), ki->act);
	}
}

static void
test_lookup(void **state)
{
	assert_int_equal(keys_action('j'), ACT_DOWN);
	assert_int_equal(keys_action(KC_FN(KEY_DOWN)), ACT_DOWN);
	assert_int_equal(keys_action(' '), ACT_PAUSE);
	assert_int_equal(keys_action('p'), ACT_PAUSE);
	assert_int_equal(keys_action(KC_FN(KEY_F(1))), ACT_HELP);
	assert_int_equal(keys_action(KC_FN(KEY_F(10))), ACT_QUIT);
	assert_int_equal(keys_action(KC_CTRL('L')), ACT_REDRAW);
	assert_int_equal(keys_action('\r'), ACT_OPEN);
	assert_int_equal(keys_action('x'), ACT_NONE);
	assert_int_equal(keys_action(0), ACT_NONE);
	/* KEY_UP (0403) as a typed character is not the Up key. */
	assert_int_equal(keys_action(KEY_UP), ACT_NONE);
	assert_int_equal(keys_from_wch(KEY_CODE_YES, KEY_UP), KC_FN(KEY_UP));
	assert_int_equal(keys_from_wch(OK, 'k'), 'k');
}

static void
test_names(void **state)
{
	char buf[64];

	keys_display(ACT_UP, buf, sizeof(buf));
	assert_string_equal(buf, "Up, k");
	keys_display(ACT_OPEN, buf, sizeof(buf));
	assert_string_equal(buf, "Enter");
	keys_display(ACT_PAUSE, buf, sizeof(buf));
	assert_string_equal(buf, "p, Space");
	keys_display(ACT_HELP, buf, sizeof(buf));
	assert_string_equal(buf, "?, F1");
	keys_display(ACT_REDRAW, buf, sizeof(buf));
	assert_string_equal(buf, "^L");
}

static void
test_conditions(void **state)
{
	struct key_context none = {0};
	struct key_context idle = {.has_mig = true, .can_step = true};
	struct key_context bf = {.has_mig = true, .pausable = true, .backfill = true};
	const struct key_info *step = keys_info(ACT_STEP);

	assert_false(keys_applies(ACT_STEP, &none));
	assert_true(keys_applies(ACT_STEP, &idle));
	assert_false(keys_applies(ACT_ROLLBACK, &idle));
	assert_false(keys_applies(ACT_PAUSE, &idle));
	assert_true(keys_applies(ACT_PAUSE, &bf));
	assert_true(keys_applies(ACT_BATCH_UP, &bf));
	assert_false(keys_applies(ACT_STEP, &bf));
	assert_true(keys_applies(ACT_HELP, &none));
	/* A rollback a destroying step forbids is shown unavailable, not hidden. */
	{
		struct key_context done = {.has_mig = true, .can_undo = true, .undoable = true};
		struct key_context dropped = {.has_mig = true, .can_undo = true, .undoable = false};

		assert_true(keys_applies(ACT_ROLLBACK, &done));
		assert_false(keys_unavailable(ACT_ROLLBACK, &done));
		assert_true(keys_applies(ACT_ROLLBACK, &dropped));
		assert_true(keys_unavailable(ACT_ROLLBACK, &dropped));
		assert_false(keys_unavailable(ACT_STEP, &dropped));
	}
	/* What changes the database is marked, what only looks is not. */
	assert_true(step->when & W_WRITES);
	assert_false(keys_info(ACT_HELP)->when & W_WRITES);
	assert_false(keys_info(ACT_OPEN)->when & W_WRITES);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_action_bound_once),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_conditions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
