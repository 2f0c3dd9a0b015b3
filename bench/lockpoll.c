/*
 * bench/lockpoll: what one lock-waits poll of the monitor costs when the
 * server is busy with sessions (bench/run, case 4).
 *
 * It sets the scene itself, one connection per session: IDLE idle
 * sessions, one transaction holding ACCESS SHARE on TABLE, an ALTER TABLE
 * queued behind it, and WAITERS - 1 readers queued behind the ALTER (the
 * lock queue). Then, RUNS times, it times POLLS calls of monitor_poll() on
 * a connection of its own, on the client's clock (round trip included),
 * and prints one line per run:
 *
 *     polls=N median_ms=M p95_ms=P max_ms=X server_ms=S waits=W sessions=C
 *
 * server_ms is the server's execution time of one poll from
 * pg_stat_statements (reset before each run; nothing else runs meanwhile:
 * the idle sessions idle and the waiters wait), or "n/a" without -s or
 * when the extension cannot be created.
 *
 * Exit 1 when the scene cannot be set or the monitor does not see every
 * waiter: then the timing would not measure what it claims to.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "threads/monitor.h"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long) (ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static PGconn *
connect_as(const char *conninfo, const char *appname)
{
	const char *keys[] = {"dbname", "application_name", NULL};
	const char *vals[] = {conninfo, appname, NULL};
	PGconn *c = PQconnectdbParams(keys, vals, 1);	/* dbname may be a conninfo */

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "lockpoll: cannot connect: %s", PQerrorMessage(c));
		exit(1);
	}
	return c;
}

static void
exec_or_die(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "lockpoll: %s: %s", sql, PQerrorMessage(c));
		exit(1);
	}
	PQclear(r);
}

static long
count_lock_waits(PGconn *c)
{
	PGresult *r = PQexec(c, "SELECT count(*) FROM pg_stat_activity "
			     "WHERE wait_event_type = 'Lock' AND application_name = 'bench:waiter'");
	long n = PQresultStatus(r) == PGRES_TUPLES_OK ? atol(PQgetvalue(r, 0, 0)) : -1;

	PQclear(r);
	return n;
}

/* One value from a one-row query; NAN on error. */
static double
query_double(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	double v = NAN;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		v = atof(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static void
usage(void)
{
	fprintf(stderr, "usage: lockpoll [-d CONNINFO] [-t TABLE] [-i IDLE] [-w WAITERS] [-n POLLS] [-r RUNS] [-s]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *conninfo = "", *table = "users";
	int idle = 200, waiters = 20, polls = 50, runs = 1, c;
	bool server = false;
	PGconn **idles, **waits, *holder, *mon;
	struct monitor_snapshot *snap;
	double *ms;
	char sql[256];
	int n_waits = 0, n_sessions = 0;

	while ((c = getopt(argc, argv, "d:t:i:w:n:r:s")) != -1) {
		switch (c) {
		case 'd': conninfo = optarg; break;
		case 't': table = optarg; break;
		case 'i': idle = atoi(optarg); break;
		case 'w': waiters = atoi(optarg); break;
		case 'n': polls = atoi(optarg); break;
		case 'r': runs = atoi(optarg); break;
		case 's': server = true; break;
		default: usage();
		}
	}
	if (optind != argc || idle < 0 || waiters < 1 || polls < 1 || runs < 1)
		usage();

	idles = calloc((size_t) idle + 1, sizeof(*idles));
	waits = calloc((size_t) waiters, sizeof(*waits));
	ms = calloc((size_t) polls, sizeof(*ms));
	snap = calloc(1, sizeof(*snap));	/* a snapshot is large: not on the stack */
	if (!idles || !waits || !ms || !snap)
		return 1;

	for (int i = 0; i < idle; i++)
		idles[i] = connect_as(conninfo, "bench:idle");
	mon = connect_as(conninfo, "bench:monitor");

	/* The lock queue: a reader holds ACCESS SHARE, an ALTER waits for
	 * ACCESS EXCLUSIVE, and readers queue behind the ALTER. */
	holder = connect_as(conninfo, "bench:holder");
	exec_or_die(holder, "BEGIN");
	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s LIMIT 1", table);
	exec_or_die(holder, sql);
	for (int i = 0; i < waiters; i++) {
		waits[i] = connect_as(conninfo, "bench:waiter");
		if (i == 0)
			snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN bench_lockpoll integer", table);
		else
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE false", table);
		if (!PQsendQuery(waits[i], sql)) {
			fprintf(stderr, "lockpoll: %s", PQerrorMessage(waits[i]));
			return 1;
		}
		/* In order, so the readers queue behind the ALTER, not before it. */
		for (int tries = 0; count_lock_waits(mon) < i + 1; tries++) {
			if (tries == 100) {
				fprintf(stderr, "lockpoll: waiter %d never waited for its lock\n", i + 1);
				return 1;
			}
			sleep_ms(20);
		}
	}

	if (server) {
		PGresult *r = PQexec(mon, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");

		server = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
	}
	for (int run = 0; run < runs; run++) {
		char server_ms[32] = "n/a";

		if (server)
			PQclear(PQexec(mon, "SELECT pg_stat_statements_reset()"));
		/* One poll to warm the connection's caches, then the timed ones. */
		for (int i = -1; i < polls; i++) {
			double t0 = now_ms();

			if (!monitor_poll(mon, snap)) {
				fprintf(stderr, "lockpoll: poll failed: %s\n", snap->error);
				return 1;
			}
			if (i >= 0)
				ms[i] = now_ms() - t0;
			n_waits = snap->n_waits;
			n_sessions = snap->n_sessions;
		}
		if (n_waits < waiters) {
			fprintf(stderr, "lockpoll: the monitor saw %d waiting sessions, not %d\n", n_waits, waiters);
			return 1;
		}
		if (server) {
			/* Every statement since the reset is the monitor's (the
			 * warm-up poll's included, hence polls + 1). */
			double total = query_double(mon, "SELECT sum(total_exec_time) FROM pg_stat_statements "
						    "WHERE query NOT LIKE '%pg_stat_statements%'");

			if (!isnan(total))
				snprintf(server_ms, sizeof(server_ms), "%.2f", total / (polls + 1));
		}
		qsort(ms, (size_t) polls, sizeof(*ms), cmp_double);
		printf("polls=%d median_ms=%.2f p95_ms=%.2f max_ms=%.2f server_ms=%s waits=%d sessions=%d\n", polls,
		       polls % 2 ? ms[polls / 2] : (ms[polls / 2 - 1] + ms[polls / 2]) / 2,
		       ms[(int) (0.95 * (polls - 1))], ms[polls - 1], server_ms, n_waits, n_sessions);
		fflush(stdout);
	}

	/* Cancel the waiters before the holder lets go: the ALTER must never
	 * run. Then drain their results so each connection closes cleanly. */
	for (int i = 0; i < waiters; i++) {
		PGcancel *cn = PQgetCancel(waits[i]);
		char err[256];
		PGresult *r;

		if (cn) {
			PQcancel(cn, err, sizeof(err));
			PQfreeCancel(cn);
		}
		while ((r = PQgetResult(waits[i])))
			PQclear(r);
		PQfinish(waits[i]);
	}
	exec_or_die(holder, "ROLLBACK");
	PQfinish(holder);
	PQfinish(mon);
	for (int i = 0; i < idle; i++)
		PQfinish(idles[i]);
	free(idles);
	free(waits);
	free(ms);
	free(snap);
	return 0;
}
