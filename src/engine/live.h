/* Backfill settings the operator changes while a backfill runs (`pgstep
 * set NAME key=value`, a request in schema pgstep signed like pause and
 * resume; the console's `:set key=value`; :batch, + and - for batch_size):
 * a table of the keys, a setter any thread may call, and the settings in
 * effect, which the backfill reads between batches. A value set holds for
 * this pgstep until it is set back to `plan` (or `default`, the same). */
#ifndef PGSTEP_LIVE_H
#define PGSTEP_LIVE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "plan/plan.h"

enum live_key {
	LIVE_BATCH_SIZE,		/* fixes the batch size; plan: adaptive again */
	LIVE_BATCH_TARGET,
	LIVE_MAX_REPLICA_LAG,
	LIVE_MAX_ACTIVE,		/* max_load.active_sessions */
	LIVE_MAX_WAL_RATE,		/* max_load.wal_per_second */
	LIVE_CRIT_ACTIVE,		/* critical_load.active_sessions */
	LIVE_CRIT_WAL_RATE,		/* critical_load.wal_per_second */
	LIVE_CRIT_LAG,			/* critical_load.replica_lag */
	LIVE_CRIT_CHECKS,		/* critical_load.checks */
	LIVE_MAX_ROWS,			/* max_rows_per_second */
	LIVE_MAX_WAL,			/* max_wal_per_second */
	LIVE_N
};

enum live_kind {
	LIVE_COUNT,		/* a whole number; 0 or off: no limit */
	LIVE_SIZE,		/* bytes, as 20MB; 0 or off: no limit */
	LIVE_DURATION,		/* milliseconds, as 250ms; 0 or off: no limit */
	LIVE_TARGET,		/* milliseconds, at least 1ms */
	LIVE_CHECKS,		/* a whole number, at least 1 */
	LIVE_BATCH,		/* a batch size, BATCH_MIN to BATCH_MAX (engine.h) */
};

struct live_setting {
	const char *name;	/* as the plan's settings write it: "max_load.active_sessions" */
	enum live_kind kind;
	const char *help;	/* one line */
};

/* Every key, in enum live_key order. */
extern const struct live_setting live_settings[LIVE_N];

/* What was set; lives in struct engine_control, zero-initialized. */
struct live_values {
	atomic_llong v[LIVE_N];
	atomic_uint set;	/* bit k: v[k] overrides the plan */
};

/* The key named `name`, or -1. */
int live_find(const char *name);
/* Whether `name` is a key of the table (pgstep show marks these). */
bool live_is(const char *name);
/* "batch_size, batch_target, ...": every key, for messages. */
void live_names(char *buf, size_t len);
/* Sets `key` to `value` as a plan writes it ("30", "20MB", "250ms"),
 * "off" (no limit, where that means something) or "plan" (or "default":
 * the plan's value again). On success `msg` says what is in effect now
 * ("max_load.active_sessions=30"); on failure why not. Any thread. */
bool live_set(struct live_values *lv, const char *key, const char *value, char *msg, size_t msglen);
/* The same for "key=value", as `pgstep set` and :set take it; a setting
 * of the plan that is not live is refused as such. */
bool live_set_assignment(struct live_values *lv, const char *assignment, char *msg, size_t msglen);
/* The operator's fixed batch size (batch_size set live, :batch, + and -);
 * 0 when the batch adapts. */
int live_batch_size(const struct live_values *lv);
/* The settings in effect: the plan's, with what was set on top. The
 * strings of `out` are the plan's (not copies). */
void live_apply(const struct live_values *lv, const struct plan_settings *plan, struct plan_settings *out);
/* A key's value in `s` as a plan writes it ("30", "20MB", "off"). */
void live_format(const struct plan_settings *s, enum live_key k, char *buf, size_t len);

#endif
