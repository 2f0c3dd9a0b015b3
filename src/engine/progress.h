/* What a running engine reports through its hooks (engine.h): what it is
 * doing and how its backfill goes. The worker's snapshot (threads/status.h)
 * carries them to the console. */
#ifndef PGSTEP_ENGINE_PROGRESS_H
#define PGSTEP_ENGINE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#define ST_SPARK 60

enum activity {
	ACTIVITY_IDLE,		/* nothing running */
	ACTIVITY_RUNNING,		/* a step or a batch is running */
	ACTIVITY_PAUSED,		/* backfill paused by the operator */
	ACTIVITY_WAIT_LAG,		/* backfill waits for replica lag */
	ACTIVITY_WAIT_LOCK,		/* a DDL retries for its lock, or a batch waits for blocked sessions */
	ACTIVITY_THROTTLED,	/* backfill waits on a load signal (max_load, throttle_query, a rate limit) */
	ACTIVITY_FAILED,		/* the last phase failed; see last_error */
	ACTIVITY_GATE,		/* backfilled, waiting at the switch gate to be released */
};

struct backfill_progress {
	bool active;
	char table[64];
	int64_t rows_done;
	int64_t rows_total;	/* estimate, refined as the backfill goes; never below rows_done */
	double rate_last;	/* rows/s over the last second */
	double rate_avg;	/* smoothed rows/s, counting copying time only */
	int batch_size;
	int batch_ms;		/* duration of the last batch */
	int64_t eta_s;		/* -1: n/a (below 0.1%), 0: due */
	int64_t unconverted;	/* rows `up` could not convert */
	int64_t lag_ms;		/* replica lag seen by the backfill, -1 none */
	char throttled[96];	/* the signal holding it ("active sessions 31 > 25"), "" when not */
	int64_t throttled_ms;	/* time spent throttled by this run */
	float spark[ST_SPARK];	/* rows/s, one sample a second, oldest first */
	int n_spark;
};

#endif
