/* The live settings' table and the one reading of `key=value` that
 * `pgstep set`, the running pgstep and the console's :set share. A
 * setting becomes live by a row here, whose apply writes what the running
 * migration reads between batches (struct engine_control). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/duration.h"
#include "engine/engine.h"
#include "engine/live.h"

static void
apply_batch_size(struct engine_control *ctl, const struct plan_settings *s, bool reset, char *msg, size_t len)
{
	int n = reset ? 0 : s->batch_size < BATCH_MIN ? BATCH_MIN : s->batch_size > BATCH_MAX ? BATCH_MAX : s->batch_size;

	atomic_store(&ctl->batch_size, n);
	if (n == 0)
		snprintf(msg, len, "batch size adaptive again");
	else
		snprintf(msg, len, "batch size set to %d%s", n, n != s->batch_size ? " (the nearest allowed)" : "");
}

static void
current_batch_size(const struct engine_control *ctl, char *buf, size_t len)
{
	int n = atomic_load(&((struct engine_control *) ctl)->batch_size);

	if (n > 0)
		snprintf(buf, len, "%d", n);
	else
		buf[0] = '\0';
}

static void
apply_batch_target(struct engine_control *ctl, const struct plan_settings *s, bool reset, char *msg, size_t len)
{
	char t[32];

	atomic_store(&ctl->batch_target_ms, reset ? 0 : s->batch_target_ms);
	if (reset) {
		snprintf(msg, len, "batch target back to the plan's");
		return;
	}
	duration_format(s->batch_target_ms, t, sizeof(t));
	snprintf(msg, len, "adaptive batches aim at %s%s", t,
		 atomic_load(&ctl->batch_size) > 0 ? " once the batch size is adaptive again (batch_size=default)" : "");
}

static void
current_batch_target(const struct engine_control *ctl, char *buf, size_t len)
{
	int ms = atomic_load(&((struct engine_control *) ctl)->batch_target_ms);

	if (ms > 0)
		duration_format(ms, buf, len);
	else
		buf[0] = '\0';
}

int
engine_batch_target_ms(const struct engine_control *ctl, const struct plan *p)
{
	int ms = ctl ? atomic_load(&((struct engine_control *) ctl)->batch_target_ms) : 0;

	return ms > 0 ? ms : p->settings.batch_target_ms;
}

/* One row a setting; the throttle settings add theirs here. */
static const struct live_setting live_settings[] = {
	{"batch_size", "fixes the backfill's batch size (default: adaptive again), as :batch does",
	 apply_batch_size, current_batch_size},
	{"batch_target", "the time an adaptive batch aims at (default: the plan's)", apply_batch_target,
	 current_batch_target},
};

#define N_LIVE (sizeof(live_settings) / sizeof(live_settings[0]))

const struct live_setting *
live_find(const char *key)
{
	for (size_t i = 0; i < N_LIVE; i++)
		if (strcmp(live_settings[i].key, key) == 0)
			return &live_settings[i];
	return NULL;
}

void
live_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < N_LIVE && used < len; i++)
		used += (size_t) snprintf(buf + used, len - used, "%s%s", i ? ", " : "", live_settings[i].key);
}

bool
live_parse(const char *assignment, struct live_change *ch, char *err, size_t errlen)
{
	const char *eq = strchr(assignment, '=');
	char key[64], names[256];

	memset(ch, 0, sizeof(*ch));
	plan_settings_default(&ch->s);
	snprintf(ch->text, sizeof(ch->text), "%s", assignment);
	live_names(names, sizeof(names));
	if (!eq || eq == assignment || (size_t) (eq - assignment) >= sizeof(key)) {
		snprintf(err, errlen, "\"%s\": give key=value, e.g. batch_size=20000 (live settings: %s)", assignment,
			 names);
		return false;
	}
	snprintf(key, sizeof(key), "%.*s", (int) (eq - assignment), assignment);
	ch->ls = live_find(key);
	if (!ch->ls && plan_setting_known(key)) {
		snprintf(err, errlen,
			 "%s is not a live setting: a running migration keeps its plan's value (live settings: %s)", key,
			 names);
		return false;
	}
	if (ch->ls && strcmp(eq + 1, "default") == 0) {
		ch->reset = true;
		return true;
	}
	/* The plan's reader: an unknown key is named with the known ones, and
	 * a value is checked as a plan's would be. */
	return plan_setting_parse(key, eq + 1, &ch->s, err, errlen);
}

void
live_change_free(struct live_change *ch)
{
	plan_settings_free(&ch->s);
}

void
live_apply(struct engine_control *ctl, const struct live_change *ch, char *msg, size_t len)
{
	ch->ls->apply(ctl, &ch->s, ch->reset, msg, len);
}
