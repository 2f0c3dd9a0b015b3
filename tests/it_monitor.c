/*
 * The monitor against a real PostgreSQL (run by tests/it_monitor.sh inside
 * a throwaway cluster; PGHOST, PGUSER and PGDATABASE come from there).
 *
 * Waiting sessions are set up for real, with one connection per session,
 * and polled until they show up (a bounded number of polls 100 ms apart):
 * nothing asserts that a sleep was long enough.
 */
#include "config.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/clock.h"
#include "threads/monitor.h"

#define MAX_TRIES 100		/* polls, 100 ms apart */

static PGconn *mon;		/* the connection monitor_poll() runs on */

struct fixture {
	PGconn *s[8];
	int n;
	struct monitor_snapshot *snap;
};

static void
pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void
exec_ok(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
	assert_true(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK);
	PQclear(r);
}

static long
query_long(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	long v;

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(r), 1);
	v = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

/* A session of the test, closed by the teardown whatever happens. */
static PGconn *
session(struct fixture *f, const char *application_name)
{
	const char *const kw[] = { "application_name", NULL };
	const char *const val[] = { application_name, NULL };
	PGconn *c = PQconnectdbParams(kw, val, 0);

	if (PQstatus(c) != CONNECTION_OK)
		fprintf(stderr, "connect: %s", PQerrorMessage(c));
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	assert_true(f->n < (int) (sizeof(f->s) / sizeof(f->s[0])));
	f->s[f->n++] = c;
	return c;
}

static void
send_async(PGconn *c, const char *sql)
{
	int ok = PQsendQuery(c, sql);

	if (!ok)
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
	assert_true(ok);
}

static struct lock_wait *
find_wait(struct monitor_snapshot *s, int pid)
{
	for (int i = 0; i < s->n_waits; i++)
		if (s->waits[i].pid == pid)
			return &s->waits[i];
	return NULL;
}

static int
wait_index(struct monitor_snapshot *s, int pid)
{
	for (int i = 0; i < s->n_waits; i++)
		if (s->waits[i].pid == pid)
			return i;
	return -1;
}

static struct long_txn *
find_txn(struct monitor_snapshot *s, int pid)
{
	for (int i = 0; i < s->n_txns; i++)
		if (s->txns[i].pid == pid)
			return &s->txns[i];
	return NULL;
}

static void
poll_ok(struct monitor_snapshot *s, int64_t long_txn_ms)
{
	bool ok = long_txn_ms > 0 ? monitor_poll_threshold(mon, long_txn_ms, s) : monitor_poll(mon, s);

	if (!ok)
		fprintf(stderr, "monitor_poll: %s\n", s->error);
	assert_true(ok);
	assert_true(s->connected);
	assert_string_equal(s->error, "");
}

/* Polls until the backend `pid` is seen waiting; fails after MAX_TRIES. */
static struct lock_wait *
await_wait(struct monitor_snapshot *s, int pid)
{
	for (int i = 0; i < MAX_TRIES; i++) {
		struct lock_wait *w;

		poll_ok(s, 0);
		if ((w = find_wait(s, pid)))
			return w;
		pause_ms(100);
	}
	fail_msg("pid %d never seen waiting", pid);
	return NULL;
}

static bool
has_blocker(const struct lock_wait *w, int pid)
{
	for (int i = 0; i < w->n_blockers; i++)
		if (w->blockers[i] == pid)
			return true;
	return false;
}

static void
assert_clock(const char *hhmmss)
{
	assert_int_equal(strlen(hhmmss), 8);
	assert_true(hhmmss[2] == ':' && hhmmss[5] == ':');
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || !(f->snap = calloc(1, sizeof(*f->snap))))
		return -1;
	*state = f;
	return 0;
}

/* Cancels every session's query first (a waiting ALTER must not get its
 * lock when the holder goes), then reads what is left and closes them. */
static int
teardown(void **state)
{
	struct fixture *f = *state;
	char err[256];

	for (int i = f->n - 1; i >= 0; i--) {
		PGcancel *cn = PQgetCancel(f->s[i]);

		if (cn) {
			PQcancel(cn, err, sizeof(err));
			PQfreeCancel(cn);
		}
	}
	for (int i = f->n - 1; i >= 0; i--) {
		PGresult *r;

		while ((r = PQgetResult(f->s[i])))
			PQclear(r);
		PQfinish(f->s[i]);
	}
	/* A cancelled CREATE INDEX CONCURRENTLY leaves an invalid index. */
	exec_ok(mon, "DROP INDEX IF EXISTS t_id_idx; DROP TABLE IF EXISTS pt");
	free(f->snap);
	free(f);
	return 0;
}

static int
group_setup(void **state)
{
	mon = PQconnectdb("");
	if (PQstatus(mon) != CONNECTION_OK) {
		fprintf(stderr, "connect: %s", PQerrorMessage(mon));
		return -1;
	}
	PQclear(PQexec(mon, "SET client_min_messages = warning"));
	PQclear(PQexec(mon, "CREATE TABLE t (id int)"));
	return 0;
}

static int
group_teardown(void **state)
{
	PQfinish(mon);
	return 0;
}

/* (1) A reader behind an ACCESS EXCLUSIVE lock: who, on what, behind whom. */
static void
test_hard_block(void **state)
{
	struct fixture *f = *state;
	struct monitor_snapshot *s = f->snap;
	PGconn *a = session(f, "it:holder");
	PGconn *b = session(f, "it:reader");
	struct lock_wait *w;
	int64_t sent;

	exec_ok(a, "BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
	/* B's backend is older than its wait: a wait time taken from the
	 * wrong column (backend_start) shows up as too long. */
	pause_ms(300);
	sent = clock_now_ms();
	send_async(b, "SELECT *\n\tFROM t");
	w = await_wait(s, PQbackendPID(b));

	assert_int_equal(w->n_blockers, 1);
	assert_int_equal(w->blockers[0], PQbackendPID(a));
	assert_string_equal(w->mode, "AccessShareLock");
	assert_string_equal(w->relation, "t");
	assert_string_equal(w->application_name, "it:reader");
	assert_string_equal(w->query, "SELECT * FROM t");
	assert_clock(w->query_start);
	assert_false(w->is_pgstep);
	assert_true(w->wait_ms >= 0);
	assert_true(w->wait_ms <= clock_now_ms() - sent + 50);

	/* The holder waits for nothing; neither does the monitor. */
	assert_null(find_wait(s, PQbackendPID(a)));
	assert_null(find_wait(s, PQbackendPID(mon)));
	assert_int_equal(s->n_waits, 1);
	assert_true(s->polled_at > 0);
	assert_true(s->poll_ms >= 0);
	assert_int_equal(s->replica_lag_ms, -1);
	assert_true(s->n_sessions >= 2);
	assert_false(s->index.active);

	/* The wait time grows from one poll to the next. */
	{
		int64_t before = w->wait_ms;

		pause_ms(100);
		w = await_wait(s, PQbackendPID(b));
		assert_true(w->wait_ms >= before + 50);
	}
}

/*
 * (2) The lock queue: A reads (ACCESS SHARE, transaction left open), B's
 * ALTER waits for ACCESS EXCLUSIVE, and C's plain read then waits behind
 * B, although its lock does not conflict with A's. Only pg_blocking_pids()
 * names B as C's blocker; a self-join of pg_locks finds nothing for C.
 */
static void
test_lock_queue(void **state)
{
	struct fixture *f = *state;
	struct monitor_snapshot *s = f->snap;
	PGconn *a = session(f, "it:reader");
	PGconn *b = session(f, "it:alter");
	PGconn *c = session(f, "it:queued");
	int pa = PQbackendPID(a), pb = PQbackendPID(b), pc = PQbackendPID(c);
	struct lock_wait *wb, *wc;

	exec_ok(a, "BEGIN; SELECT * FROM t");
	send_async(b, "ALTER TABLE t ADD COLUMN x int");
	wb = await_wait(s, pb);
	assert_string_equal(wb->mode, "AccessExclusiveLock");
	assert_string_equal(wb->relation, "t");
	assert_int_equal(wb->n_blockers, 1);
	assert_int_equal(wb->blockers[0], pa);

	send_async(c, "SELECT * FROM t");
	wc = await_wait(s, pc);
	assert_string_equal(wc->mode, "AccessShareLock");
	assert_string_equal(wc->relation, "t");
	assert_int_equal(wc->n_blockers, 1);
	assert_int_equal(wc->blockers[0], pb);	/* the soft block */
	assert_false(has_blocker(wc, pa));

	/* Same snapshot: B still behind A, and first (it has waited longer). */
	wb = find_wait(s, pb);
	assert_non_null(wb);
	assert_int_equal(wb->n_blockers, 1);
	assert_int_equal(wb->blockers[0], pa);
	assert_true(wait_index(s, pb) < wait_index(s, pc));
	assert_true(wb->wait_ms >= wc->wait_ms);
	assert_null(find_wait(s, pa));
	assert_int_equal(s->n_waits, 2);
}

/* (3) pgstep's own sessions are marked, by the "pgstep:" prefix only. */
static void
test_is_pgstep(void **state)
{
	struct fixture *f = *state;
	struct monitor_snapshot *s = f->snap;
	PGconn *a = session(f, "it:holder");
	PGconn *p = session(f, "pgstep:m:expand");
	PGconn *o = session(f, "pgstep_other");
	struct lock_wait *wp, *wo;

	exec_ok(a, "BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
	send_async(p, "SELECT count(*) FROM t");
	send_async(o, "SELECT count(*) FROM t");
	await_wait(s, PQbackendPID(p));
	await_wait(s, PQbackendPID(o));
	wp = find_wait(s, PQbackendPID(p));
	wo = find_wait(s, PQbackendPID(o));
	assert_non_null(wp);
	assert_non_null(wo);
	assert_true(wp->is_pgstep);
	assert_string_equal(wp->application_name, "pgstep:m:expand");
	assert_false(wo->is_pgstep);
	assert_string_equal(wo->application_name, "pgstep_other");
}

/* (4) Long transactions, with a threshold low enough for a test. */
static void
test_long_txn(void **state)
{
	struct fixture *f = *state;
	struct monitor_snapshot *s = f->snap;
	PGconn *a = session(f, "it:long");
	PGconn *b = session(f, "it:idle");
	int pa = PQbackendPID(a);
	struct long_txn *t = NULL;

	exec_ok(b, "SELECT 1");
	exec_ok(a, "BEGIN; SELECT 42");
	for (int i = 0; i < MAX_TRIES && !t; i++) {
		poll_ok(s, 200);
		if (!(t = find_txn(s, pa)))
			pause_ms(100);
	}
	assert_non_null(t);
	assert_true(t->age_ms >= 200);
	assert_string_equal(t->application_name, "it:long");
	assert_non_null(strstr(t->query, "SELECT 42"));
	/* Not in a transaction: never listed. */
	assert_null(find_txn(s, PQbackendPID(b)));
	assert_null(find_txn(s, PQbackendPID(mon)));

	/* The default threshold is a minute. */
	poll_ok(s, 0);
	assert_null(find_txn(s, pa));
}

/*
 * (5) CREATE INDEX CONCURRENTLY progress: held in its "waiting for writers"
 * phase by an open writing transaction, it also shows as a lock wait on
 * that transaction's virtualxid (a lock without a relation).
 */
static void
test_index_progress(void **state)
{
	struct fixture *f = *state;
	struct monitor_snapshot *s = f->snap;
	PGconn *a = session(f, "it:writer");
	PGconn *b = session(f, "pgstep:m:expand");
	int pb = PQbackendPID(b);
	struct lock_wait *w;

	exec_ok(a, "BEGIN; INSERT INTO t VALUES (1)");
	send_async(b, "CREATE INDEX CONCURRENTLY t_id_idx ON t (id)");
	w = await_wait(s, pb);
	/* The OID is reported as the wait begins; a poll can land between. */
	for (int i = 0; i < MAX_TRIES && !(s->index.active && s->index.index[0]); i++) {
		pause_ms(100);
		poll_ok(s, 0);
	}
	assert_true(s->index.active);
	assert_int_equal(s->index.pid, pb);
	assert_string_equal(s->index.index, "t_id_idx");
	assert_non_null(strstr(s->index.phase, "waiting for"));
	assert_true(s->index.blocks_done >= 0 && s->index.tuples_done >= 0);

	w = find_wait(s, pb);
	assert_non_null(w);
	assert_string_equal(w->relation, "virtualxid");
	assert_string_equal(w->mode, "ShareLock");
	assert_int_equal(w->n_blockers, 1);
	assert_int_equal(w->blockers[0], PQbackendPID(a));
	assert_true(w->is_pgstep);
}

/*
 * (5b) The same on a partition of a partitioned table, as pgstep builds
 * an index partition by partition: which partition of how many (numbered
 * by level, then name, as src/partidx.c builds them) of which table.
 */
static void
test_partition_progress(void **state)
{
	struct fixture *f = *state;
	struct monitor_snapshot *s = f->snap;
	PGconn *a = session(f, "it:writer");
	PGconn *b = session(f, "pgstep:m:expand");

	exec_ok(mon, "DROP TABLE IF EXISTS pt; CREATE TABLE pt (k int) PARTITION BY LIST (k);"
		"CREATE TABLE pt_c PARTITION OF pt FOR VALUES IN (3); CREATE TABLE pt_a PARTITION OF pt FOR VALUES IN (1);"
		"CREATE TABLE pt_b PARTITION OF pt FOR VALUES IN (2) PARTITION BY LIST (k);"
		"CREATE TABLE pt_b2 PARTITION OF pt_b FOR VALUES IN (2)");
	exec_ok(a, "BEGIN; INSERT INTO pt_c VALUES (3)");
	send_async(b, "CREATE INDEX CONCURRENTLY pt_c_k_idx ON pt_c (k)");
	for (int i = 0; i < MAX_TRIES && !(s->index.active && s->index.index[0]); i++) {
		pause_ms(100);
		poll_ok(s, 0);
	}
	assert_true(s->index.active);
	assert_int_equal(s->index.pid, PQbackendPID(b));
	assert_string_equal(s->index.parent, "pt");
	assert_string_equal(s->index.partition, "pt_c");
	/* leaves: pt_a, pt_c (level 1), pt_b2 (level 2) */
	assert_int_equal(s->index.partition_k, 2);
	assert_int_equal(s->index.partitions_n, 3);
}

/* Reads the notify pipe until pred(snapshot) holds or timeout_ms passes. */
static bool
await_snapshot(struct monitor *m, int fd, struct monitor_snapshot *s, int timeout_ms,
	       bool (*pred)(const struct monitor_snapshot *))
{
	int64_t deadline = clock_now_ms() + timeout_ms;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - clock_now_ms();
		char buf[64];

		monitor_snapshot(m, s);
		if (pred(s))
			return true;
		if (left <= 0)
			return false;
		if (poll(&pfd, 1, (int) left) > 0)
			assert_true(read(fd, buf, sizeof(buf)) > 0);
	}
}

/* Waits for the next byte on the pipe; returns when it came, or -1. */
static int64_t
await_notify(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char c;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return -1;
	assert_int_equal(read(fd, &c, 1), 1);
	return clock_now_ms();
}

static void
drain(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[64];

	while (poll(&pfd, 1, 0) > 0)
		assert_true(read(fd, buf, sizeof(buf)) > 0);
}

static bool
is_connected(const struct monitor_snapshot *s)
{
	return s->connected;
}

static bool
is_disconnected(const struct monitor_snapshot *s)
{
	return !s->connected && s->error[0];
}

static bool
was_attempted(const struct monitor_snapshot *s)
{
	return s->polled_at != 0;
}

static long
monitor_backends(const char *application_name)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM pg_stat_activity WHERE application_name = '%s'",
		 application_name);
	return query_long(mon, sql);
}

/* (6) The thread: connects with its own application_name whatever the
 * conninfo says, polls no faster than once a second, reconnects after
 * losing its connection, and stops at once. */
static void
test_thread(void **state)
{
	struct fixture *f = *state;
	struct monitor_snapshot *s = f->snap;
	const char *base = getenv("PGTEST_CONNINFO");
	char conninfo[1024];
	struct monitor *m;
	int fds[2];
	int64_t t0;

	snprintf(conninfo, sizeof(conninfo), "%s application_name=userapp", base ? base : "");
	assert_int_equal(pipe(fds), 0);
	m = monitor_start(conninfo, 1000, fds[1]);
	assert_non_null(m);

	assert_true(await_snapshot(m, fds[0], s, 10000, is_connected));
	assert_string_equal(s->error, "");
	assert_true(s->polled_at > 0);
	assert_int_equal(s->replica_lag_ms, -1);
	assert_int_equal(monitor_backends("pgstep:monitor"), 1);
	assert_int_equal(monitor_backends("userapp"), 0);

	/* Clamped to a second: over 4 seconds, a 10 ms interval would poll
	 * hundreds of times, the clamped one at most 5 (counting, not timing
	 * one gap: on a loaded machine one slow poll brings the next notify
	 * closer to it). */
	monitor_set_interval(m, 10);
	drain(fds[0]);
	{
		int64_t until = clock_now_ms() + 4000;
		int polls = 0;

		while (clock_now_ms() < until && await_notify(fds[0], (int) (until - clock_now_ms())) > 0)
			polls++;
		assert_true(polls >= 1);
		assert_true(polls <= 5);
	}

	/* Lost connection: reported, then re-established. */
	exec_ok(mon, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
		     " WHERE application_name = 'pgstep:monitor'");
	assert_true(await_snapshot(m, fds[0], s, 10000, is_disconnected));
	assert_true(await_snapshot(m, fds[0], s, 15000, is_connected));
	assert_string_equal(s->error, "");

	/* A long interval must not delay the stop. */
	monitor_set_interval(m, 60000);
	pause_ms(200);
	t0 = clock_now_ms();
	monitor_stop(m);
	assert_true(clock_now_ms() - t0 < 2000);
	for (int i = 0; i < MAX_TRIES && monitor_backends("pgstep:monitor") > 0; i++)
		pause_ms(100);
	assert_int_equal(monitor_backends("pgstep:monitor"), 0);
	close(fds[0]);
	close(fds[1]);
}

/* (7) A conninfo that cannot connect, or cannot even be parsed: not
 * connected, a reason, never the password; retries back off. */
static void
test_bad_conninfo(void **state)
{
	struct fixture *f = *state;
	struct monitor_snapshot *s = f->snap;
	static const struct {
		const char *conninfo;
		const char *says;
	} cases[] = {
		{ "host=/nonexistent dbname=x password=s3cret", "/nonexistent" },
		{ "postgresql://u:s3cret%zz@/x", "percent-encoded" },
		{ "postgresql://u:s3cret@[::1/x", "IPv6" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int fds[2];
		struct monitor *m;
		int64_t t1, t2, t0;

		assert_int_equal(pipe(fds), 0);
		m = monitor_start(cases[i].conninfo, 1000, fds[1]);
		assert_non_null(m);
		assert_true(await_snapshot(m, fds[0], s, 10000, was_attempted));
		assert_false(s->connected);
		if (!strstr(s->error, cases[i].says) || strstr(s->error, "s3cret"))
			fprintf(stderr, "error: %s\n", s->error);
		assert_non_null(strstr(s->error, cases[i].says));
		assert_null(strstr(s->error, "s3cret"));
		assert_null(strchr(s->error, '\n'));

		if (i == 0) {
			/* The first retry comes after a second, not at once. */
			drain(fds[0]);
			t1 = await_notify(fds[0], 5000);
			t2 = await_notify(fds[0], 5000);
			assert_true(t1 > 0 && t2 > 0);
			assert_true(t2 - t1 >= 900);
			monitor_snapshot(m, s);
			assert_false(s->connected);
			assert_null(strstr(s->error, "s3cret"));
		}
		t0 = clock_now_ms();
		monitor_stop(m);
		assert_true(clock_now_ms() - t0 < 2000);
		close(fds[0]);
		close(fds[1]);
	}
}

static bool
has_lock_timeout(const struct monitor_snapshot *s)
{
	return s->connected && strstr(s->error, "lock timeout");
}

static bool
is_clean(const struct monitor_snapshot *s)
{
	return s->connected && !s->error[0];
}

/* (8) A poll cannot hang: it runs under the monitor's own lock_timeout,
 * and a failed poll is reported while the connection stays up. Locking
 * the pg_stat_activity view locks the catalogs it reads. */
static void
test_poll_error(void **state)
{
	struct fixture *f = *state;
	struct monitor_snapshot *s = f->snap;
	PGconn *a = session(f, "it:catalog-locker");
	struct monitor *m;
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	m = monitor_start(getenv("PGTEST_CONNINFO"), 1000, fds[1]);
	assert_non_null(m);
	assert_true(await_snapshot(m, fds[0], s, 10000, is_connected));
	exec_ok(a, "BEGIN; LOCK TABLE pg_catalog.pg_stat_activity IN ACCESS EXCLUSIVE MODE");
	assert_true(await_snapshot(m, fds[0], s, 10000, has_lock_timeout));
	assert_int_equal(s->n_waits, 0);
	assert_true(s->poll_ms >= 900);
	exec_ok(a, "ROLLBACK");
	assert_true(await_snapshot(m, fds[0], s, 10000, is_clean));
	monitor_stop(m);
	close(fds[0]);
	close(fds[1]);
}

/* (9) A server that accepts the connection and never answers: the
 * thread is still connecting when it is told to stop, and stops at once. */
static void
test_stop_while_connecting(void **state)
{
	struct fixture *f = *state;
	struct monitor_snapshot *s = f->snap;
	char dir[] = "/tmp/it_monitor.XXXXXX";
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char conninfo[128];
	struct monitor *m;
	int64_t t0;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/.s.PGSQL.5432", dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *) &sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);

	snprintf(conninfo, sizeof(conninfo), "host=%s dbname=x", dir);
	m = monitor_start(conninfo, 1000, -1);
	assert_non_null(m);
	pause_ms(500);
	monitor_snapshot(m, s);
	assert_false(s->connected);
	assert_int_equal(s->polled_at, 0);	/* still in its first attempt */
	t0 = clock_now_ms();
	monitor_stop(m);
	assert_true(clock_now_ms() - t0 < 1000);

	close(fd);
	unlink(sa.sun_path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hard_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_is_pgstep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_txn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partition_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_conninfo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_while_connecting, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
