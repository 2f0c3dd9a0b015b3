/* The settings the operator changes while a backfill runs (src/live.c):
 * parsed as the plan writes them, refused with a reason, laid over the
 * plan's, and given back with `plan`. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/live.h"

static void
test_set_and_apply(void **state)
{
	struct live_values lv = {0};
	struct plan_settings plan, out;
	char msg[1024], buf[32];

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

static void
test_refused(void **state)
{
	struct live_values lv = {0};
	char msg[1024];

	assert_false(live_set(&lv, "max_load.cpu", "3", msg, sizeof(msg)));
	assert_non_null(strstr(msg, "unknown setting \"max_load.cpu\"; these change live: batch_target"));
	assert_false(live_set(&lv, "max_wal_per_second", "20mb", msg, sizeof(msg)));
	assert_non_null(strstr(msg, "the unit must be B, kB, MB, GB or TB"));
	assert_false(live_set(&lv, "critical_load.checks", "0", msg, sizeof(msg)));
	assert_false(live_set(&lv, "critical_load.checks", "off", msg, sizeof(msg)));
	assert_false(live_set(&lv, "batch_target", "0", msg, sizeof(msg)));
	assert_false(live_set(&lv, "max_rows_per_second", "-5", msg, sizeof(msg)));
	assert_int_equal(atomic_load(&lv.set), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_and_apply),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
