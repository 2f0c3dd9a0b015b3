/* The batch size controller (src/batchsize.c) on simulated tables whose
 * batches cost fixed + per_row * rows: it must neither collapse where the
 * fixed part is larger than the target (the partitioned users of issue 18,
 * where pt-osc's rule went from 2,000 rows to 10 and stayed), nor leave
 * the target on a table without a fixed part, and it must give way to lock
 * waiters and recover. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "engine/batchsize.h"

struct table {
	double fixed, per_row;
};

static double
cost(const struct table *t, int rows)
{
	return t->fixed + t->per_row * rows;
}

/* Runs `batches` batches with a probe every 20, as the backfill does;
 * returns the last size. */
static int
run(struct batch_ctl *b, const struct table *t, double target, int batches, int64_t waiters)
{
	for (int i = 0; i < batches; i++) {
		int n = batch_ctl_next(b, 0);

		if (i % 20 == 0)
			batch_ctl_probe(b, cost(t, 0));
		batch_ctl_done(b, n, cost(t, n), waiters, target);
	}
	return batch_ctl_next(b, 0);
}

/* pt-osc's rule, as the backfill had it: n = 0.75 n + rows, t = 0.75 t +
 * secs, next = n / t * target. */
static int
ptosc(const struct table *t, int first, double target, int batches)
{
	double an = 0, at = 0;
	int n = first;

	for (int i = 0; i < batches; i++) {
		an = 0.75 * an + n;
		at = 0.75 * at + cost(t, n);
		n = (int) fmax(10, fmin(100000, an / at * target));
	}
	return n;
}

static void
test_fixed_cost_does_not_collapse(void **state)
{
	/* 85 ms a statement (JIT compiling each batch), 6 us a row, 50 ms target */
	struct table t = {0.085, 6e-6};
	struct batch_ctl b;
	int n, old = ptosc(&t, 2000, 0.050, 200);
	double best = 1 / t.per_row, got;

	batch_ctl_init(&b, 2000, 10, 100000);
	n = run(&b, &t, 0.050, 200, 0);
	got = n / cost(&t, n);
	print_message("fixed 85ms: pt-osc ends at %d rows (%.0f rows/s), the model at %d rows (%.0f rows/s, best %.0f)\n",
		      old, old / cost(&t, old), n, got, best);
	assert_true(old <= 20);		/* the collapse this replaces */
	assert_true(got >= 0.74 * best);
	assert_true(n >= batch_ctl_floor(&b));
}

static void
test_no_fixed_cost_holds_target(void **state)
{
	struct table t = {0.0005, 10e-6};
	struct batch_ctl b;
	int n;

	batch_ctl_init(&b, 5000, 10, 100000);
	n = run(&b, &t, 0.200, 100, 0);
	print_message("fixed 0.5ms: %d rows, %.0f ms a batch (target 200)\n", n, cost(&t, n) * 1000);
	assert_true(fabs(cost(&t, n) - 0.200) < 0.02);
}

static void
test_waiters_then_recover(void **state)
{
	struct table t = {0.002, 10e-6};
	struct batch_ctl b;
	int before, during, after;

	batch_ctl_init(&b, 5000, 10, 100000);
	before = run(&b, &t, 0.200, 50, 0);
	during = run(&b, &t, 0.200, 10, 3);
	assert_true(during < before / 8);
	/* never below the floor, where a batch would hold its locks no shorter */
	assert_true(during >= batch_ctl_floor(&b));
	after = run(&b, &t, 0.200, 30, 0);
	print_message("waiters: %d rows before, %d while sessions wait, %d 30 batches after\n", before, during, after);
	assert_true(after >= 0.9 * before);
}

static void
test_floor_under_waiters(void **state)
{
	struct table t = {0.050, 5e-6};
	struct batch_ctl b;
	int n;

	batch_ctl_init(&b, 5000, 10, 100000);
	n = run(&b, &t, 0.020, 60, 5);
	assert_int_equal(n, batch_ctl_floor(&b));
	assert_true(n >= 4 * 0.050 / 5e-6 * 0.95);
}

static void
test_recovers_when_fixed_cost_goes(void **state)
{
	struct table slow = {0.100, 5e-6}, fast = {0.001, 5e-6};
	struct batch_ctl b;
	int n;

	batch_ctl_init(&b, 1000, 10, 100000);
	run(&b, &slow, 0.050, 40, 0);
	n = run(&b, &fast, 0.050, 100, 0);
	assert_true(fabs(cost(&fast, n) - 0.050) < 0.005);
}

static void
test_rate_limit_share(void **state)
{
	struct batch_ctl b;

	batch_ctl_init(&b, 5000, 10, 100000);
	assert_int_equal(batch_ctl_next(&b, 400), 400);
	assert_int_equal(batch_ctl_next(&b, 3), 10);
	assert_int_equal(batch_ctl_next(&b, 0), 5000);
}

static void
test_failure_halves(void **state)
{
	struct batch_ctl b;

	batch_ctl_init(&b, 5000, 10, 100000);
	batch_ctl_failed(&b, 5000);
	assert_int_equal(batch_ctl_next(&b, 0), 2500);
	batch_ctl_failed(&b, 15);
	assert_int_equal(batch_ctl_next(&b, 0), 10);
}

/* A partitioned table: every statement opens and routes through all its
 * partitions (a cost per statement that grows with them: 24 partitions,
 * 3 ms each), and each row pays for its routing. Timings are noisy (up to
 * 30% either way, a fixed sequence): the size must still not collapse. */
static double
noisy(unsigned *seed, double v)
{
	*seed = *seed * 1103515245u + 12345u;
	return v * (0.7 + 0.6 * ((*seed >> 16) % 1000) / 1000.0);
}

static void
test_partition_routing_does_not_collapse(void **state)
{
	const double per_partition = 0.003, per_row = 4e-6;
	const int partitions = 24;
	struct batch_ctl b;
	unsigned seed = 7;
	int n = 0;
	double fixed = partitions * per_partition, best = 1 / per_row, rows = 0, secs = 0;

	batch_ctl_init(&b, 2000, 10, 100000);
	for (int i = 0; i < 300; i++) {
		double t;

		n = batch_ctl_next(&b, 0);
		if (i % 20 == 0)
			batch_ctl_probe(&b, noisy(&seed, fixed));
		t = noisy(&seed, fixed + per_row * n);
		if (i >= 200) {
			rows += n;
			secs += t;
		}
		batch_ctl_done(&b, n, t, 0, 0.050);
	}
	print_message("partitions: %d rows a batch, %.0f rows/s over the last 100 batches (best %.0f)\n", n,
		      rows / secs, best);
	assert_true(n >= 1000);
	assert_true(rows / secs >= 0.6 * best);
}

/* Forced down to the minimum (failed batches, the operator's :batch 10),
 * the size comes back to what the table allows within a few batches. */
static void
test_recovers_from_the_minimum(void **state)
{
	struct table t = {0.040, 5e-6};
	struct batch_ctl b;
	int n;

	batch_ctl_init(&b, 5000, 10, 100000);
	run(&b, &t, 0.100, 40, 0);
	for (int i = 0; i < 12; i++)
		batch_ctl_failed(&b, batch_ctl_next(&b, 0));
	assert_int_equal(batch_ctl_next(&b, 0), 10);
	n = run(&b, &t, 0.100, 25, 0);
	print_message("from 10 rows: %d rows 25 batches later (floor %d)\n", n, batch_ctl_floor(&b));
	assert_true(n >= batch_ctl_floor(&b));
	assert_true(n / cost(&t, n) >= 0.74 / t.per_row);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_cost_does_not_collapse),
		cmocka_unit_test(test_no_fixed_cost_holds_target),
		cmocka_unit_test(test_waiters_then_recover),
		cmocka_unit_test(test_floor_under_waiters),
		cmocka_unit_test(test_recovers_when_fixed_cost_goes),
		cmocka_unit_test(test_partition_routing_does_not_collapse),
		cmocka_unit_test(test_recovers_from_the_minimum),
		cmocka_unit_test(test_rate_limit_share),
		cmocka_unit_test(test_failure_halves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
