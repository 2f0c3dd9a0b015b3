#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "base/size.h"
#include "engine/engine.h"
#include "engine/live.h"

const struct live_setting live_settings[LIVE_N] = {
	[LIVE_BATCH_SIZE] = {"batch_size", LIVE_BATCH, "fixes the backfill's batch size (plan: adaptive again), as :batch does"},
	[LIVE_BATCH_TARGET] = {"batch_target", LIVE_TARGET, "how long a batch should take"},
	[LIVE_MAX_REPLICA_LAG] = {"max_replica_lag", LIVE_DURATION, "throttle while a replica lags more"},
	[LIVE_MAX_ACTIVE] = {"max_load.active_sessions", LIVE_COUNT, "throttle while more sessions run a query"},
	[LIVE_MAX_WAL_RATE] = {"max_load.wal_per_second", LIVE_SIZE, "throttle while the server writes more WAL a second"},
	[LIVE_CRIT_ACTIVE] = {"critical_load.active_sessions", LIVE_COUNT, "abort the phase over this many active sessions"},
	[LIVE_CRIT_WAL_RATE] = {"critical_load.wal_per_second", LIVE_SIZE, "abort the phase over this much WAL a second"},
	[LIVE_CRIT_LAG] = {"critical_load.replica_lag", LIVE_DURATION, "abort the phase over this replica lag"},
	[LIVE_CRIT_CHECKS] = {"critical_load.checks", LIVE_CHECKS, "consecutive checks over a critical limit before the abort"},
	[LIVE_MAX_ROWS] = {"max_rows_per_second", LIVE_COUNT, "rate limit of the backfill, rows a second"},
	[LIVE_MAX_WAL] = {"max_wal_per_second", LIVE_SIZE, "rate limit of the backfill's WAL, bytes a second"},
};

int
live_find(const char *name)
{
	for (int k = 0; k < LIVE_N; k++)
		if (strcmp(live_settings[k].name, name) == 0)
			return k;
	return -1;
}

bool
live_is(const char *name)
{
	return live_find(name) >= 0;
}

void
live_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < LIVE_N && used < len; i++)
		used += (size_t) snprintf(buf + used, len - used, "%s%s", i ? ", " : "", live_settings[i].name);
}

/* The value of key k in s, as a number (milliseconds, bytes, a count). */
static long long
get(const struct plan_settings *s, enum live_key k)
{
	switch (k) {
	case LIVE_BATCH_SIZE: return s->batch_size;
	case LIVE_BATCH_TARGET: return s->batch_target_ms;
	case LIVE_MAX_REPLICA_LAG: return s->max_replica_lag_ms;
	case LIVE_MAX_ACTIVE: return s->max_load.active_sessions;
	case LIVE_MAX_WAL_RATE: return s->max_load.wal_per_second;
	case LIVE_CRIT_ACTIVE: return s->critical_load.active_sessions;
	case LIVE_CRIT_WAL_RATE: return s->critical_load.wal_per_second;
	case LIVE_CRIT_LAG: return s->critical_load.replica_lag_ms;
	case LIVE_CRIT_CHECKS: return s->critical_load.checks;
	case LIVE_MAX_ROWS: return s->max_rows_per_second;
	case LIVE_MAX_WAL: return s->max_wal_per_second;
	case LIVE_N: break;
	}
	return 0;
}

static void
put(struct plan_settings *s, enum live_key k, long long v)
{
	switch (k) {
	case LIVE_BATCH_SIZE: s->batch_size = (int) v; break;
	case LIVE_BATCH_TARGET: s->batch_target_ms = (int) v; break;
	case LIVE_MAX_REPLICA_LAG: s->max_replica_lag_ms = (int) v; break;
	case LIVE_MAX_ACTIVE: s->max_load.active_sessions = (int) v; break;
	case LIVE_MAX_WAL_RATE: s->max_load.wal_per_second = v; break;
	case LIVE_CRIT_ACTIVE: s->critical_load.active_sessions = (int) v; break;
	case LIVE_CRIT_WAL_RATE: s->critical_load.wal_per_second = v; break;
	case LIVE_CRIT_LAG: s->critical_load.replica_lag_ms = (int) v; break;
	case LIVE_CRIT_CHECKS: s->critical_load.checks = (int) v; break;
	case LIVE_MAX_ROWS: s->max_rows_per_second = (int) v; break;
	case LIVE_MAX_WAL: s->max_wal_per_second = v; break;
	case LIVE_N: break;
	}
}

/* Reads a value of key k's kind; false with why in msg. */
static bool
parse_value(enum live_key k, const char *value, long long *out, char *msg, size_t msglen)
{
	const struct live_setting *ls = &live_settings[k];
	char why[160];
	bool off_ok = ls->kind == LIVE_COUNT || ls->kind == LIVE_SIZE || ls->kind == LIVE_DURATION;

	if (strcmp(value, "off") == 0) {
		if (!off_ok) {
			snprintf(msg, msglen, "%s cannot be off", ls->name);
			return false;
		}
		*out = 0;
		return true;
	}
	switch (ls->kind) {
	case LIVE_BATCH: {
		char *end;
		long long n;

		errno = 0;
		n = strtoll(value, &end, 10);
		if (!*value || *end || errno == ERANGE || n < BATCH_MIN || n > BATCH_MAX) {
			snprintf(msg, msglen, "%s takes a whole number from %d to %d (plan: adaptive again), not \"%s\"",
				 ls->name, BATCH_MIN, BATCH_MAX, value);
			return false;
		}
		*out = n;
		return true;
	}
	case LIVE_COUNT:
	case LIVE_CHECKS: {
		char *end;
		long long n;

		errno = 0;
		n = strtoll(value, &end, 10);
		if (!*value || *end || errno == ERANGE || n < (ls->kind == LIVE_CHECKS ? 1 : 0) ||
		    n > (ls->kind == LIVE_CHECKS ? 1000 : INT_MAX)) {
			snprintf(msg, msglen, "%s takes a whole number %s, not \"%s\"", ls->name,
				 ls->kind == LIVE_CHECKS ? "from 1 to 1000" : "(0 or off: no limit)", value);
			return false;
		}
		*out = n;
		return true;
	}
	case LIVE_SIZE: {
		int64_t b;

		if (!size_parse(value, &b, why, sizeof(why))) {
			snprintf(msg, msglen, "%s: %s", ls->name, why);
			return false;
		}
		*out = b;
		return true;
	}
	case LIVE_DURATION:
	case LIVE_TARGET: {
		int ms;

		if (strcmp(value, "0") == 0 && ls->kind == LIVE_DURATION) {
			*out = 0;
			return true;
		}
		if (!duration_parse(value, &ms, why, sizeof(why))) {
			snprintf(msg, msglen, "%s: %s", ls->name, why);
			return false;
		}
		if (ls->kind == LIVE_TARGET && (ms < 1 || ms > 600000)) {
			snprintf(msg, msglen, "%s must be between 1ms and 10m, not %s", ls->name, value);
			return false;
		}
		*out = ms;
		return true;
	}
	}
	return false;
}

bool
live_set(struct live_values *lv, const char *key, const char *value, char *msg, size_t msglen)
{
	int k = live_find(key);
	long long v;

	if (k < 0) {
		size_t used = (size_t) snprintf(msg, msglen, "unknown setting \"%s\"; these change live:", key);

		for (int i = 0; i < LIVE_N && used < msglen; i++)
			used += (size_t) snprintf(msg + used, msglen - used, "%s %s", i ? "," : "", live_settings[i].name);
		return false;
	}
	if (strcmp(value, "plan") == 0 || strcmp(value, "default") == 0) {
		atomic_fetch_and(&lv->set, ~(1u << k));
		snprintf(msg, msglen, "%s as the plan says", key);
		return true;
	}
	if (!parse_value((enum live_key) k, value, &v, msg, msglen))
		return false;
	atomic_store(&lv->v[k], v);
	atomic_fetch_or(&lv->set, 1u << k);
	snprintf(msg, msglen, "%s=%s", key, value);
	return true;
}

void
live_apply(const struct live_values *lv, const struct plan_settings *plan, struct plan_settings *out)
{
	unsigned set = atomic_load(&lv->set);

	*out = *plan;
	for (int k = 0; k < LIVE_N; k++)
		if (set & (1u << k))
			put(out, (enum live_key) k, atomic_load(&lv->v[k]));
}

void
live_format(const struct plan_settings *s, enum live_key k, char *buf, size_t len)
{
	long long v = get(s, k);

	switch (live_settings[k].kind) {
	case LIVE_COUNT:
	case LIVE_CHECKS:
	case LIVE_BATCH:
		if (v == 0 && live_settings[k].kind == LIVE_COUNT)
			snprintf(buf, len, "off");
		else
			snprintf(buf, len, "%lld", v);
		break;
	case LIVE_SIZE:
		if (v == 0)
			snprintf(buf, len, "off");
		else
			size_format(v, buf, len);
		break;
	case LIVE_DURATION:
	case LIVE_TARGET:
		if (v == 0)
			snprintf(buf, len, "off");
		else
			duration_format((int) v, buf, len);
		break;
	}
}

bool
live_set_assignment(struct live_values *lv, const char *assignment, char *msg, size_t msglen)
{
	const char *eq = strchr(assignment, '=');
	char key[64], names[512];

	if (!eq || eq == assignment || (size_t) (eq - assignment) >= sizeof(key)) {
		live_names(names, sizeof(names));
		snprintf(msg, msglen, "\"%s\": give key=value, e.g. batch_size=20000 (live settings: %s)", assignment,
			 names);
		return false;
	}
	snprintf(key, sizeof(key), "%.*s", (int) (eq - assignment), assignment);
	if (live_find(key) < 0 && plan_setting_known(key)) {
		live_names(names, sizeof(names));
		snprintf(msg, msglen,
			 "%s is not a live setting: a running migration keeps its plan's value (live settings: %s)", key,
			 names);
		return false;
	}
	return live_set(lv, key, eq + 1, msg, msglen);
}

int
live_batch_size(const struct live_values *lv)
{
	if (!(atomic_load(&lv->set) & (1u << LIVE_BATCH_SIZE)))
		return 0;
	return (int) atomic_load(&lv->v[LIVE_BATCH_SIZE]);
}
