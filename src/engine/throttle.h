/* The backfill's load signals (issue 18, gh-ost's max-load and
 * critical-load): sessions running a query, the server's WAL a second,
 * replica lag and the DBA's throttle_query, sampled once a second on the
 * backfill's connection; and, apart and pure, which limit a sample
 * passes, in words for the console ("active sessions 31 > 25"). */
#ifndef PGSTEP_THROTTLE_H
#define PGSTEP_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan/plan.h"

struct engine;

struct load_sample {
	int active;		/* client sessions running a query, pgstep's own excluded */
	double wal_per_s;	/* bytes of WAL a second since the last sample; -1 on the first */
	int64_t lag_ms;		/* the largest replica replay lag; -1 without a replica */
	int query;		/* throttle_query: 1 true, 0 false or NULL, -1 none */
};

struct throttle {
	int64_t lsn, lsn_at_ms;	/* the WAL position at the last sample, and when */
	bool has_lsn;
	int critical_run;	/* consecutive samples over a critical_load limit */
};

/* Samples the server: one query for sessions, WAL and lag, then the
 * throttle_query if `s` has one (read-only, its own statement_timeout,
 * search_path pg_catalog, pg_temp). False with err when either fails. */
bool throttle_sample(struct engine *e, const struct plan_settings *s, struct throttle *t, struct load_sample *ls,
		     char *err, size_t errlen);

/* Whether `ls` passes a max_load limit (or throttle_query said true); if
 * so, why, in words. max_replica_lag is not one of them: the backfill
 * waits on it apart (WAITING: replica lag). */
bool throttle_over(const struct plan_settings *s, const struct load_sample *ls, char *why, size_t len);

/* Counts `ls` against critical_load: true when a limit has been passed
 * on critical_load.checks consecutive samples, with why in words. */
bool throttle_critical(const struct plan_settings *s, struct throttle *t, const struct load_sample *ls, char *why,
		       size_t len);

#endif
