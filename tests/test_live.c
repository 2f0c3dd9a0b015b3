/* Live settings (src/engine/live.h): the one table of keys that `pgstep
 * set`, the console's :set and the running pgstep share; values parsed as
 * the plan writes them, refused with a reason, laid over the plan's, and
 * given back with `plan` (or `default`). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "engine/live.h"

static void
test_set_and_apply(void **state)
{
	struct live_values lv = {0};
	struct plan_settings plan, out;
	char msg[1024], buf[32];

	(void) state;
	plan_settings_default(&plan);
	plan.max_load.active_sessions = 25;
	assert_true(live_set(&lv, "max_load.active_sessions", "30", msg, sizeof(msg)));
	assert_string_equal(msg, "max_load.active_sessions=30");
	assert_true(live_set(&lv, "max_wal_per_second", "20MB", msg, sizeof(msg)));
	assert_true(live_set(&lv, "critical_load.replica_lag", "1m", msg, sizeof(msg)));
	assert_true(live_set(&lv, "batch_target", "50ms", msg, sizeof(msg)));
	live_apply(&lv, &plan, &out);
	assert_int_equal(out.max_load.active_sessions, 30);
	assert_true(out.max_wal_per_second == 20 * 1024 * 1024);
	assert_int_equal(out.critical_load.replica_lag_ms, 60000);
	assert_int_equal(out.batch_target_ms, 50);
	assert_int_equal(out.lock_timeout_ms, plan.lock_timeout_ms);
	live_format(&out, LIVE_MAX_WAL, buf, sizeof(buf));
	assert_string_equal(buf, "20MB");

	assert_true(live_set(&lv, "max_load.active_sessions", "off", msg, sizeof(msg)));
	live_apply(&lv, &plan, &out);
	assert_int_equal(out.max_load.active_sessions, 0);
	live_format(&out, LIVE_MAX_ACTIVE, buf, sizeof(buf));
	assert_string_equal(buf, "off");
	assert_true(live_set(&lv, "max_load.active_sessions", "plan", msg, sizeof(msg)));
	live_apply(&lv, &plan, &out);
	assert_int_equal(out.max_load.active_sessions, 25);
}

/* batch_target through key=value, back to the plan's with `default`. */
static void
test_batch_target(void **state)
{
	struct live_values lv = {0};
	struct plan_settings plan, out;
	char msg[1024];

	(void) state;
	plan_settings_default(&plan);
	plan.batch_target_ms = 200;
	live_apply(&lv, &plan, &out);
	assert_int_equal(out.batch_target_ms, 200);
	assert_true(live_set_assignment(&lv, "batch_target=50ms", msg, sizeof(msg)));
	live_apply(&lv, &plan, &out);
	assert_int_equal(out.batch_target_ms, 50);
	assert_non_null(strstr(msg, "50ms"));
	assert_true(live_set_assignment(&lv, "batch_target=default", msg, sizeof(msg)));
	live_apply(&lv, &plan, &out);
	assert_int_equal(out.batch_target_ms, 200);
}

/* batch_size fixes the batch (as :batch does); plan or default adapts again. */
static void
test_batch_size(void **state)
{
	struct live_values lv = {0};
	char msg[1024];

	(void) state;
	assert_int_equal(live_batch_size(&lv), 0);
	assert_true(live_set_assignment(&lv, "batch_size=20000", msg, sizeof(msg)));
	assert_int_equal(live_batch_size(&lv), 20000);
	assert_true(live_set_assignment(&lv, "batch_size=default", msg, sizeof(msg)));
	assert_int_equal(live_batch_size(&lv), 0);
	assert_true(live_set(&lv, "batch_size", "37", msg, sizeof(msg)));
	assert_int_equal(live_batch_size(&lv), 37);
	assert_true(live_set(&lv, "batch_size", "plan", msg, sizeof(msg)));
	assert_int_equal(live_batch_size(&lv), 0);
}

/* Every key of the table is live (pgstep show's *); none other is. */
static void
test_table(void **state)
{
	(void) state;
	assert_true(live_is("batch_size"));
	assert_true(live_is("batch_target"));
	assert_true(live_is("max_load.active_sessions"));
	assert_true(live_is("max_rows_per_second"));
	assert_false(live_is("lock_timeout"));
	assert_false(live_is("max_load"));
	for (int k = 0; k < LIVE_N; k++)
		assert_int_equal(live_find(live_settings[k].name), k);
}

static void
refused(const char *assignment, const char *why)
{
	struct live_values lv = {0};
	char msg[1024];

	assert_false(live_set_assignment(&lv, assignment, msg, sizeof(msg)));
	if (!strstr(msg, why))
		fail_msg("%s: \"%s\" does not say \"%s\"", assignment, msg, why);
	assert_int_equal(atomic_load(&lv.set), 0);
}

static void
test_refused(void **state)
{
	struct live_values lv = {0};
	char msg[1024];

	(void) state;
	assert_false(live_set(&lv, "max_load.cpu", "3", msg, sizeof(msg)));
	assert_non_null(strstr(msg, "unknown setting \"max_load.cpu\"; these change live: batch_size, batch_target"));
	assert_false(live_set(&lv, "max_wal_per_second", "20mb", msg, sizeof(msg)));
	assert_non_null(strstr(msg, "the unit must be B, kB, MB, GB or TB"));
	assert_false(live_set(&lv, "critical_load.checks", "0", msg, sizeof(msg)));
	assert_false(live_set(&lv, "critical_load.checks", "off", msg, sizeof(msg)));
	assert_false(live_set(&lv, "batch_target", "0", msg, sizeof(msg)));
	assert_false(live_set(&lv, "max_rows_per_second", "-5", msg, sizeof(msg)));
	assert_int_equal(atomic_load(&lv.set), 0);

	/* through key=value, as pgstep set and :set give it */
	refused("batch_target=0ms", "batch_target");
	refused("batch_target=fast", "batch_target");
	refused("batch_size=-5", "batch_size");
	refused("batch_size=lots", "batch_size");
	refused("batch_size=off", "batch_size cannot be off");
	/* a setting that is not live, an unknown one, no assignment */
	refused("lock_timeout=1s", "lock_timeout is not a live setting");
	refused("no_such=1", "no_such");
	refused("batch_size", "give key=value");
	refused("=5", "give key=value");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_and_apply),
		cmocka_unit_test(test_batch_target),
		cmocka_unit_test(test_batch_size),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests_name("live", tests, NULL, NULL);
}
