/* A backfill's progress as schema pgstep records it with every batch:
 * what `pgstep status` shows of a backfill that any pgstep drives, and the
 * one ETA rule the running backfill and status share. */
#ifndef PGSTEP_BACKFILL_STATE_H
#define PGSTEP_BACKFILL_STATE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct backfill_state {
	bool exists;		/* a backfill step has a checkpoint and is not done */
	char table[64];
	int step;
	int64_t rows_done;
	int64_t rows_total;	/* estimate; never below rows_done */
	double percent;
	double rate_last;	/* rows/s over the last second, as of the last batch */
	double rate_avg;	/* rows_done / copy_seconds: copying time only */
	int64_t eta_s;		/* -1: n/a (below 0.1%), 0: due */
	int batch_size;		/* of the last batch */
	int64_t unconverted;
	int64_t age_s;		/* since the last batch */
	char request[256];	/* requests written by `pgstep pause` ..., not yet taken: "pause, set ..."; "" */
	char throttled[96];	/* the load signal holding it now, "" when none */
	int64_t throttled_ms;	/* time it has spent throttled */
};

/* Seconds left at rate_avg rows/s: -1 (n/a) with no total, no rate or
 * below 0.1% done, 0 (due) when nothing is left. */
int64_t backfill_eta(int64_t rows_done, int64_t rows_total, double rate_avg);

/* The migration's backfill in progress (exists false when none) and its
 * pending request. Reads any schema version (rate_last 0 before 3). */
bool backfill_state_read(PGconn *c, const char *name, struct backfill_state *out, char *err, size_t errlen);

#endif
