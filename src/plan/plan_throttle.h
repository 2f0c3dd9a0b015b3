/* The plan's load settings (plan.h: max_load, critical_load,
 * throttle_query): how each is read, for settings_fields. */
#ifndef PGSTEP_PLAN_THROTTLE_H
#define PGSTEP_PLAN_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>

#include "plan/yamldoc.h"

/* settings.max_load: {active_sessions, wal_per_second} into a struct
 * load_limits. */
bool plan_parse_max_load(struct ydoc *y, yaml_node_t *n, void *dst);
/* settings.critical_load: the same and replica_lag and checks. */
bool plan_parse_critical_load(struct ydoc *y, yaml_node_t *n, void *dst);
/* settings.throttle_query: one SELECT of one value (char **). */
bool plan_parse_throttle_query(struct ydoc *y, yaml_node_t *n, void *dst);

/* Whether `sql` is one SELECT of exactly one value, with no INTO and no
 * FOR UPDATE: what a throttle query must be. On false, `why` says what it
 * is instead and *offset is the character where (-1: the whole). */
bool throttle_query_check(const char *sql, char *why, size_t whylen, long *offset);

#endif
