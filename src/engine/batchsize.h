/* How many rows the next backfill batch takes. A batch's time is not
 * proportional to its rows on every table: a statement-level trigger, the
 * partitions every statement opens, a round trip cost the same for 10
 * rows as for 10,000. The time is modelled as fixed + per_row * rows:
 * the fixed part is measured by empty batches (probes), the per-row part
 * by pt-osc's weighted average of each batch's rest. The size holds a
 * batch near the target, but never below the floor where the fixed part
 * would be more than a quarter of a batch (throughput then stays within
 * 75% of the best the table allows), and it recovers as soon as the
 * measurements say so: it is computed from the model, not from the last
 * size. Sessions waiting on a batch's locks halve the next one (down to
 * the floor: below it a batch holds its locks no shorter), and the size
 * grows back, doubling each batch that no session waited on. Pure: no
 * database, no clock. */
#ifndef PGSTEP_BATCHSIZE_H
#define PGSTEP_BATCHSIZE_H

#include <stdbool.h>
#include <stdint.h>

/* A batch is at least this many times the fixed cost: the fixed part is
 * then at most a quarter of its time. */
#define BATCH_FLOOR_FACTOR 4.0
#define BATCH_PROBES 5

struct batch_ctl {
	int min, max;			/* the sizes allowed */
	double probe[BATCH_PROBES];	/* seconds of the last empty batches */
	int n_probe, probe_next;
	double ct, cn;			/* weighted sums: seconds beyond the fixed part, rows */
	int last;			/* rows of the last batch measured */
	int cap;			/* after lock waiters: at most this, growing back */
	int size;			/* the next batch */
};

void batch_ctl_init(struct batch_ctl *b, int first, int min, int max);
/* An empty batch took `seconds`: the fixed part of every batch. */
void batch_ctl_probe(struct batch_ctl *b, double seconds);
/* A batch of `rows` took `seconds`, and `waiters` sessions queued behind
 * its locks; target_s is the batch_target in effect. */
void batch_ctl_done(struct batch_ctl *b, int rows, double seconds, int64_t waiters, double target_s);
/* A batch of `rows` failed on a lock wait or a timeout: smaller ones hold
 * fewer rows. */
void batch_ctl_failed(struct batch_ctl *b, int rows);
/* The next size, at most `limit` (a rate limit's share; 0: none). */
int batch_ctl_next(const struct batch_ctl *b, int limit);

/* The model's figures, for the log and the console: seconds a batch costs
 * whatever its rows (-1 not measured yet), seconds a row (0 not yet), and
 * the floor in rows (0 while either is unknown). */
double batch_ctl_fixed(const struct batch_ctl *b);
double batch_ctl_per_row(const struct batch_ctl *b);
int batch_ctl_floor(const struct batch_ctl *b);

#endif
