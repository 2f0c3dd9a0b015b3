/*
 * The worker's thread boundaries against a real PostgreSQL (run by
 * tests/it_worker.sh inside a throwaway cluster; PGHOST, PGUSER and
 * PGDATABASE come from there). What each test proves is said above it;
 * the ThreadSanitizer pass of script/test runs them too.
 *
 * Everything waited for is polled, 20 ms apart, up to a deadline: nothing
 * asserts that a sleep was long enough.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/clock.h"
#include "engine/engine.h"
#include "threads/worker.h"

static void
pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static PGconn *
session(void)
{
	PGconn *c = PQconnectdb("");

	if (PQstatus(c) != CONNECTION_OK)
		fprintf(stderr, "connect: %s", PQerrorMessage(c));
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	return c;
}

static long
query_long(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	long v = -1;

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	if (PQntuples(r) == 1)
		v = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static void *
noop(void *arg)
{
	return arg;
}

/* The threads of this process. A thread made and joined first: a
 * sanitizer's runtime makes its own helper thread at the first
 * pthread_create, which is none of the worker's. */
static int
threads_now(void)
{
	DIR *d;
	struct dirent *e;
	int n = 0;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, noop, NULL), 0);
	pthread_join(t, NULL);
	d = opendir("/proc/self/task");
	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static char plans[64];

static struct worker *
start(void)
{
	struct worker_config cfg = {.conninfo = NULL, .plans_dir = plans, .notify_fd = -1};

	return worker_start(&cfg);
}

static struct worker_status st;

/* Polls the worker's snapshot until pred holds, up to ms. */
static bool
wait_status(struct worker *w, bool (*pred)(const struct worker_status *s, const void *arg), const void *arg, int ms)
{
	for (int64_t t0 = clock_now_ms(); clock_now_ms() - t0 < ms; pause_ms(20)) {
		worker_snapshot(w, &st);
		if (pred(&st, arg))
			return true;
	}
	return false;
}

static bool
is_connected(const struct worker_status *s, const void *arg)
{
	const int *not_pid = arg;

	return s->connected && s->backend_pid > 0 && (!not_pid || s->backend_pid != *not_pid);
}

/* The pid of the one backend whose query starts with `prefix` and runs. */
static int
wait_active(PGconn *c, const char *prefix, int ms)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "SELECT coalesce(max(pid), 0) FROM pg_catalog.pg_stat_activity"
		 " WHERE state = 'active' AND query LIKE '%s%%' AND pid <> pg_backend_pid()", prefix);
	for (int64_t t0 = clock_now_ms(); clock_now_ms() - t0 < ms; pause_ms(20)) {
		long pid = query_long(c, sql);

		if (pid > 0)
			return (int) pid;
	}
	return 0;
}

static void
terminate(PGconn *c, int pid)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT pg_catalog.pg_terminate_backend(%d)::int", pid);
	(void) query_long(c, sql);
}

/*
 * :cancel PID then quitting at once: the thread that cancels (it waits
 * up to 3 s for the outcome, and here the query catches the cancel and
 * goes on) posts its notice into the worker. worker_stop must join it
 * before it frees the worker: once it returns, this process has no more
 * threads than before worker_start. (Before, the detached thread
 * outlived the worker and wrote into freed memory: ASan saw it.)
 */
static void
test_stop_joins_blocker_thread(void **state)
{
	PGconn *c = session(), *victim = session();
	int before = threads_now(), pid;
	struct worker *w;
	struct worker_cmd cmd = {.kind = WCMD_CANCEL_PID};

	(void) state;
	w = start();
	assert_true(wait_status(w, is_connected, NULL, 20000));
	assert_true(PQsendQuery(victim, "DO $$BEGIN LOOP BEGIN PERFORM pg_catalog.pg_sleep(0.05);"
				" EXCEPTION WHEN query_canceled THEN NULL; END; END LOOP; END$$"));
	pid = wait_active(c, "DO $$BEGIN LOOP", 20000);
	assert_true(pid > 0);
	cmd.arg = pid;
	assert_true(worker_send(w, &cmd));
	worker_stop(w);
	assert_int_equal(threads_now(), before);
	terminate(c, pid);
	PQfinish(victim);
	PQfinish(c);
}

struct abort_call {
	struct worker *w;
	atomic_int returned;
};

static void *
send_abort(void *arg)
{
	struct abort_call *a = arg;
	struct worker_cmd cmd = {.kind = WCMD_ABORT};

	worker_send(a->w, &cmd);
	atomic_store(&a->returned, 1);
	return NULL;
}

static bool
step_failed(const struct worker_status *s, const void *arg)
{
	(void) arg;
	return s->activity == ACTIVITY_FAILED && s->last_error[0];
}

/* The postmaster's pid, from the first line of postmaster.pid. */
static pid_t
postmaster_pid(void)
{
	char path[512], line[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/data/postmaster.pid", getenv("PGHOST"));
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	assert_true(atol(line) > 0);
	return (pid_t) atol(line);
}

/*
 * :abort with a server that does not answer: the caller (the console)
 * must not wait. PQcancel connects to the postmaster and waits for it to
 * close the connection; with the postmaster stopped (SIGSTOP) that never
 * happens. worker_send must still return at once, and once the server
 * answers again the statement is cancelled and the step fails. (Before,
 * worker_send ran PQcancel itself and hung until SIGCONT.)
 */
static void
test_abort_does_not_block_the_caller(void **state)
{
	PGconn *c = session();
	struct worker *w;
	struct worker_cmd step = {.kind = WCMD_STEP, .name = "0001_sleep"};
	struct abort_call a = {0};
	pthread_t t;
	pid_t pm = postmaster_pid();
	bool returned = false;

	(void) state;
	w = start();
	a.w = w;
	assert_true(wait_status(w, is_connected, NULL, 20000));
	assert_true(worker_send(w, &step));
	assert_true(wait_active(c, "SELECT pg_catalog.pg_sleep(600)", 20000) > 0);

	assert_int_equal(kill(pm, SIGSTOP), 0);
	assert_int_equal(pthread_create(&t, NULL, send_abort, &a), 0);
	for (int64_t t0 = clock_now_ms(); !returned && clock_now_ms() - t0 < 5000; pause_ms(20))
		returned = atomic_load(&a.returned);
	assert_int_equal(kill(pm, SIGCONT), 0);
	pthread_join(t, NULL);
	if (!returned)
		fail_msg(":abort waited on the stopped server in the caller's thread");

	assert_true(wait_status(w, step_failed, NULL, 20000));
	/* pg_sleep(600) ends early only by the cancel */
	if (!strstr(st.last_error, "aborted by the operator"))
		fail_msg("the step failed, but not by the abort: %s", st.last_error);
	worker_stop(w);
	PQfinish(c);
}

/*
 * The engine's cancel lock outlives an engine: a reconnect releases the
 * engine and makes it again while another thread may hold the lock. Held
 * across engine_release and engine_init, it is still held and still the
 * same lock afterwards. (Before, engine_init memset it and
 * engine_release destroyed it.)
 */
static void
test_cancel_lock_made_once(void **state)
{
	struct engine_control ctl;
	struct engine e;

	(void) state;
	engine_control_init(&ctl);
	engine_init(&e, NULL, NULL, &ctl);
	assert_int_equal(pthread_mutex_lock(&ctl.cancel_lock), 0);
	engine_release(&e);
	engine_init(&e, NULL, NULL, &ctl);
	assert_int_equal(pthread_mutex_trylock(&ctl.cancel_lock), EBUSY);
	assert_int_equal(pthread_mutex_unlock(&ctl.cancel_lock), 0);
	engine_release(&e);
	engine_control_destroy(&ctl);
}

/*
 * Reconnects with :abort sent around them: the worker's session is
 * terminated three times, each time with an abort in flight; the worker
 * reconnects each time (ThreadSanitizer watches the cancel lock and
 * handle here).
 */
static void
test_abort_across_reconnects(void **state)
{
	PGconn *c = session();
	struct worker *w;
	struct worker_cmd abort_ = {.kind = WCMD_ABORT};

	(void) state;
	w = start();
	assert_true(wait_status(w, is_connected, NULL, 20000));
	for (int i = 0; i < 3; i++) {
		int old = st.backend_pid;

		assert_true(worker_send(w, &abort_));
		terminate(c, old);
		assert_true(worker_send(w, &abort_));
		if (!wait_status(w, is_connected, &old, 30000))
			fail_msg("the worker did not reconnect after its session %d ended", old);
	}
	worker_stop(w);
	PQfinish(c);
}

static bool
done_with(const struct worker_status *s, const void *arg)
{
	return s->cmd_done >= *(const uint64_t *) arg;
}

/*
 * Two workers in one process (the tests make several): each refreshes into
 * its own rows. (Before, refresh's work space was a static array that two
 * workers' threads wrote at once: ThreadSanitizer reported it.)
 */
static void
test_two_workers(void **state)
{
	struct worker *w[2];
	struct worker_cmd refresh = {.kind = WCMD_REFRESH};

	(void) state;
	for (int i = 0; i < 2; i++)
		w[i] = start();
	for (int i = 0; i < 2; i++)
		assert_true(wait_status(w[i], is_connected, NULL, 20000));
	for (int round = 0; round < 3; round++) {
		uint64_t want[2];

		for (int i = 0; i < 2; i++) {
			assert_true(worker_send(w[i], &refresh));
			want[i] = worker_last_queued(w[i]);
		}
		for (int i = 0; i < 2; i++)
			assert_true(wait_status(w[i], done_with, &want[i], 20000));
		for (int i = 0; i < 2; i++) {
			worker_snapshot(w[i], &st);
			assert_int_equal(st.n_migs, 1);
			assert_string_equal(st.migs[0].name, "0001_sleep");
		}
	}
	for (int i = 0; i < 2; i++)
		worker_stop(w[i]);
}

static int
group_setup(void **state)
{
	FILE *f;
	char path[128];

	(void) state;
	snprintf(plans, sizeof(plans), "%s/pgstep-it-worker.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(plans))
		return -1;
	snprintf(path, sizeof(path), "%s/0001_sleep.yaml", plans);
	if (!(f = fopen(path, "w")))
		return -1;
	fputs("operations:\n  - sql:\n      up: SELECT pg_catalog.pg_sleep(600)\n", f);
	return fclose(f);
}

static int
group_teardown(void **state)
{
	char path[128];

	(void) state;
	snprintf(path, sizeof(path), "%s/0001_sleep.yaml", plans);
	unlink(path);
	rmdir(plans);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cancel_lock_made_once),
		cmocka_unit_test(test_stop_joins_blocker_thread),
		cmocka_unit_test(test_abort_does_not_block_the_caller),
		cmocka_unit_test(test_abort_across_reconnects),
		cmocka_unit_test(test_two_workers),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
