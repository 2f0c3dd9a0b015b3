/* Live settings: the plan settings a running migration takes between
 * batches, from `pgstep set NAME key=value` (a request in schema pgstep,
 * signed like pause and resume) and from the console's `:set key=value`.
 * A value is read with the plan's own parsers (plan_setting_parse), so a
 * value a plan may not hold is refused alike everywhere; "default" puts
 * back what the plan says. */
#ifndef PGSTEP_LIVE_H
#define PGSTEP_LIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "plan/plan.h"

struct engine_control;

struct live_setting {
	const char *key;
	const char *what;	/* for the help: what changing it does */
	/* Applies s's value of the key (reset: the plan's own again) to the
	 * control a running migration reads; says what it did in msg. */
	void (*apply)(struct engine_control *ctl, const struct plan_settings *s, bool reset, char *msg, size_t len);
	/* The value in force now, into buf ("" when the plan's applies). */
	void (*current)(const struct engine_control *ctl, char *buf, size_t len);
};

/* A parsed `key=value`. */
struct live_change {
	const struct live_setting *ls;
	bool reset;			/* the value was "default" */
	struct plan_settings s;		/* the value, read into its field */
	char text[256];			/* key=value as given, for the log */
};

/* The live setting named key, or NULL. */
const struct live_setting *live_find(const char *key);
/* "batch_size, ..." */
void live_names(char *buf, size_t len);
/* Reads "key=value": false with why in err when it is no assignment, the
 * key is no setting or not a live one, or the value is not one a plan
 * may give it. Free with live_change_free. */
bool live_parse(const char *assignment, struct live_change *ch, char *err, size_t errlen);
void live_change_free(struct live_change *ch);
/* Applies a parsed change to ctl; msg says what it did. */
void live_apply(struct engine_control *ctl, const struct live_change *ch, char *msg, size_t len);

#endif
