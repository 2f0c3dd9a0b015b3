#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "engine/batchsize.h"

static int
clampi(const struct batch_ctl *b, double n)
{
	return n < b->min ? b->min : n > b->max ? b->max : (int) n;
}

void
batch_ctl_init(struct batch_ctl *b, int first, int min, int max)
{
	memset(b, 0, sizeof(*b));
	b->min = min;
	b->max = max;
	b->cap = max;
	b->size = clampi(b, first);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

/* The median of the probes: one slow probe on a loaded machine must not
 * make every later batch huge. */
double
batch_ctl_fixed(const struct batch_ctl *b)
{
	double v[BATCH_PROBES];

	if (b->n_probe == 0)
		return -1;
	memcpy(v, b->probe, sizeof(double) * (size_t) b->n_probe);
	qsort(v, (size_t) b->n_probe, sizeof(double), cmp_double);
	return v[b->n_probe / 2];
}

double
batch_ctl_per_row(const struct batch_ctl *b)
{
	return b->cn > 0 ? b->ct / b->cn : 0;
}

int
batch_ctl_floor(const struct batch_ctl *b)
{
	double f = batch_ctl_fixed(b), c = batch_ctl_per_row(b);

	if (f <= 0 || c <= 0)
		return 0;
	return clampi(b, BATCH_FLOOR_FACTOR * f / c);
}

/* The size the model gives for target_s. */
static int
model_size(const struct batch_ctl *b, double target_s)
{
	double f = batch_ctl_fixed(b), c = batch_ctl_per_row(b), n;

	if (c <= 0)
		return b->size;
	if (f < 0)
		f = 0;
	n = target_s > f ? (target_s - f) / c : 0;
	if (n < BATCH_FLOOR_FACTOR * f / c)
		n = BATCH_FLOOR_FACTOR * f / c;
	return clampi(b, n);
}

void
batch_ctl_probe(struct batch_ctl *b, double seconds)
{
	b->probe[b->probe_next] = seconds;
	b->probe_next = (b->probe_next + 1) % BATCH_PROBES;
	if (b->n_probe < BATCH_PROBES)
		b->n_probe++;
}

void
batch_ctl_done(struct batch_ctl *b, int rows, double seconds, int64_t waiters, double target_s)
{
	double f = batch_ctl_fixed(b), rest;
	int n, floor;

	if (rows <= 0)
		return;
	/* What the rows cost: the batch's time beyond the fixed part, and
	 * at least a fifth of it, should a probe have come out slow. */
	rest = seconds - (f > 0 ? f : 0);
	if (rest < 0.2 * seconds)
		rest = 0.2 * seconds;
	b->ct = 0.75 * b->ct + rest;
	b->cn = 0.75 * b->cn + rows;
	b->last = rows;
	floor = batch_ctl_floor(b);
	if (waiters > 0) {
		/* Others queued behind the batch: let them through with
		 * smaller bites while they are about. */
		b->cap = rows / 2 > floor ? rows / 2 : floor;
		if (b->cap < b->min)
			b->cap = b->min;
	} else if (b->cap < b->max)
		/* A batch went through unhindered: the cap doubles, as fast as
		 * the size may grow, so that a run of failed batches (halving
		 * down to the minimum) is made up in a dozen batches. */
		b->cap = b->cap < b->max / 2 ? 2 * b->cap : b->max;
	n = model_size(b, target_s);
	/* Grow at most twice a batch: one fast batch is no promise. */
	if (n > 2 * rows)
		n = 2 * rows;
	b->size = clampi(b, n < b->cap ? n : b->cap);
}

void
batch_ctl_failed(struct batch_ctl *b, int rows)
{
	b->size = clampi(b, rows / 2.0);
	b->cap = b->size;
}

int
batch_ctl_next(const struct batch_ctl *b, int limit)
{
	int n = b->size;

	if (limit > 0 && n > limit)
		n = limit < b->min ? b->min : limit;
	return n;
}
