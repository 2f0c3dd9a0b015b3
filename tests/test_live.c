/* Live settings (src/engine/live.h): what `pgstep set`, the console's
 * :set and the running pgstep accept, and that the plan's list of live
 * settings (pgstep show's *) is the table live.c applies. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "engine/live.h"

static void
same_list(void *ud, const char *key, const char *value)
{
	int *n = ud;

	(void) value;
	assert_int_equal(plan_setting_live(key), live_find(key) != NULL);
	*n += live_find(key) != NULL;
}

static void
test_lists_agree(void **state)
{
	struct plan_settings s = {0};
	int n = 0;

	(void) state;
	plan_settings_default(&s);
	plan_settings_each(&s, same_list, &n);
	assert_true(n >= 2);
	assert_non_null(live_find("batch_size"));
	assert_non_null(live_find("batch_target"));
}

static void
test_batch_target(void **state)
{
	struct engine_control ctl;
	struct plan p;
	struct live_change ch;
	char err[512], msg[256];

	(void) state;
	memset(&ctl, 0, sizeof(ctl));
	memset(&p, 0, sizeof(p));
	plan_settings_default(&p.settings);
	p.settings.batch_target_ms = 200;
	assert_int_equal(engine_batch_target_ms(&ctl, &p), 200);

	assert_true(live_parse("batch_target=50ms", &ch, err, sizeof(err)));
	live_apply(&ctl, &ch, msg, sizeof(msg));
	live_change_free(&ch);
	assert_int_equal(engine_batch_target_ms(&ctl, &p), 50);
	assert_non_null(strstr(msg, "50ms"));

	assert_true(live_parse("batch_target=default", &ch, err, sizeof(err)));
	live_apply(&ctl, &ch, msg, sizeof(msg));
	live_change_free(&ch);
	assert_int_equal(engine_batch_target_ms(&ctl, &p), 200);
}

static void
test_batch_size(void **state)
{
	struct engine_control ctl;
	struct live_change ch;
	char err[512], msg[256];

	(void) state;
	memset(&ctl, 0, sizeof(ctl));
	assert_true(live_parse("batch_size=20000", &ch, err, sizeof(err)));
	live_apply(&ctl, &ch, msg, sizeof(msg));
	live_change_free(&ch);
	assert_int_equal(atomic_load(&ctl.batch_size), 20000);
	assert_true(live_parse("batch_size=default", &ch, err, sizeof(err)));
	live_apply(&ctl, &ch, msg, sizeof(msg));
	live_change_free(&ch);
	assert_int_equal(atomic_load(&ctl.batch_size), 0);
}

static void
refused(const char *assignment, const char *why)
{
	struct live_change ch;
	char err[512];

	assert_false(live_parse(assignment, &ch, err, sizeof(err)));
	live_change_free(&ch);
	if (!strstr(err, why))
		fail_msg("%s: \"%s\" does not say \"%s\"", assignment, err, why);
}

static void
test_refused(void **state)
{
	(void) state;
	/* a value a plan may not hold, with the plan's own message */
	refused("batch_target=0ms", "batch_target");
	refused("batch_target=fast", "batch_target");
	refused("batch_size=-5", "batch_size");
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
		cmocka_unit_test(test_lists_agree),
		cmocka_unit_test(test_batch_target),
		cmocka_unit_test(test_batch_size),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests_name("live", tests, NULL, NULL);
}
