/* Which load limit a sample passes, in the words the console shows, and
 * critical_load's count of checks in a row (src/engine/throttle.c; the
 * sampling itself is tests/it_throttle.sh's, on a real server). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/throttle.h"

static struct plan_settings
settings(void)
{
	struct plan_settings s;

	memset(&s, 0, sizeof(s));	/* as plan_load's calloc */
	plan_settings_default(&s);
	return s;
}

static const struct load_sample quiet = {.active = 3, .wal_per_s = 1024, .lag_ms = -1, .query = -1};

static void
test_no_limits_never_throttle(void **state)
{
	struct plan_settings s = settings();
	struct load_sample busy = {.active = 5000, .wal_per_s = 1e12, .lag_ms = 600000, .query = 0};
	struct throttle t = {0};
	char why[128] = "";

	assert_false(throttle_over(&s, &busy, why, sizeof(why)));
	for (int i = 0; i < 10; i++)
		assert_false(throttle_critical(&s, &t, &busy, why, sizeof(why)));
}

static void
test_active_sessions(void **state)
{
	struct plan_settings s = settings();
	struct load_sample ls = quiet;
	char why[128] = "";

	s.max_load.active_sessions = 25;
	ls.active = 25;
	assert_false(throttle_over(&s, &ls, why, sizeof(why)));
	ls.active = 31;
	assert_true(throttle_over(&s, &ls, why, sizeof(why)));
	assert_string_equal(why, "active sessions 31 > 25");
}

static void
test_wal_rate(void **state)
{
	struct plan_settings s = settings();
	struct load_sample ls = quiet;
	char why[128] = "";

	s.max_load.wal_per_second = 50 << 20;
	ls.wal_per_s = -1;	/* the first sample has no rate */
	assert_false(throttle_over(&s, &ls, why, sizeof(why)));
	ls.wal_per_s = 60.0 * (1 << 20);
	assert_true(throttle_over(&s, &ls, why, sizeof(why)));
	assert_string_equal(why, "WAL 60.0MB/s > 50MB/s");
}

static void
test_query(void **state)
{
	struct plan_settings s = settings();
	struct load_sample ls = quiet;
	char why[128] = "";

	ls.query = 0;
	assert_false(throttle_over(&s, &ls, why, sizeof(why)));
	ls.query = 1;
	assert_true(throttle_over(&s, &ls, why, sizeof(why)));
	assert_string_equal(why, "throttle_query is true");
}

/* critical_load: N checks in a row, a quiet check starts the count again;
 * replica lag counts there (max_replica_lag waits apart). */
static void
test_critical_in_a_row(void **state)
{
	struct plan_settings s = settings();
	struct load_sample hot = quiet;
	struct throttle t = {0};
	char why[128] = "";

	s.critical_load.replica_lag_ms = 30000;
	s.critical_load.checks = 3;
	hot.lag_ms = 45000;
	assert_false(throttle_over(&s, &hot, why, sizeof(why)));
	assert_false(throttle_critical(&s, &t, &hot, why, sizeof(why)));
	assert_false(throttle_critical(&s, &t, &hot, why, sizeof(why)));
	assert_false(throttle_critical(&s, &t, &quiet, why, sizeof(why)));
	assert_false(throttle_critical(&s, &t, &hot, why, sizeof(why)));
	assert_false(throttle_critical(&s, &t, &hot, why, sizeof(why)));
	assert_true(throttle_critical(&s, &t, &hot, why, sizeof(why)));
	assert_string_equal(why, "critical load: replica lag 45000ms > 30000ms, 3 checks in a row");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_limits_never_throttle),
		cmocka_unit_test(test_active_sessions),
		cmocka_unit_test(test_wal_rate),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_critical_in_a_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
