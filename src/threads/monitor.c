/*
 * The monitor: what the database is doing around a migration, polled on a
 * connection of its own and published as a snapshot (monitor.h).
 *
 * A poll is one round trip: the statements below go out as one simple-query
 * message, so they run in one implicit transaction and share one view of
 * pg_stat_activity and one now().
 */
#include "config.h"
#include "base/backoff.h"
#include "base/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/conn.h"
#include "store/overview.h"
#include "threads/monitor.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

#define APPLICATION_NAME "pgstep:monitor"
/* Server side: a poll must never hang on a catalog lock or a slow server. */
#define STATEMENT_TIMEOUT "5s"
#define LOCK_TIMEOUT "1s"
/* Client side: a dead network never answers, whatever statement_timeout says. */
#define POLL_DEADLINE_MS 7000
#define CONNECT_DEADLINE_MS 10000
/* How often a wait on the socket looks at the stop flag. */
#define SLICE_MS 100

struct monitor {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* signalled on stop and interval change */
	/* under lock */
	bool stop;
	int interval_ms;
	struct monitor_snapshot snap;	/* the published one */
	/* set before the thread starts, then read-only */
	char *conninfo;
	bool conninfo_unparsable;	/* libpq's parse errors quote the string */
	int notify_fd;
	int watch_pid;			/* pgstep's session while it retries a lock; 0 none */
	/* the thread's own */
	struct monitor_snapshot work;
	struct pgstep_wait pw;		/* what the samples found; copied into each snapshot */
	int blockers[MON_MAX_HOLDERS];	/* pids that blocked an attempt, until they are gone */
	int n_blockers;
	int stmts_prepared;		/* the poll's statements prepared on the connection */
	int list_prepared;		/* the list's statements prepared on the connection */
	/* under lock: the migration list too (monitor_read_list), read with
	 * each poll, in its round trip */
	bool want_list;
	bool have_list;
	struct overview list;
};

enum poll_result {
	POLL_OK,
	POLL_FAILED,			/* snap->error says why; the connection may be fine */
	POLL_ABANDONED,			/* stop or deadline: the connection must go */
};


/* One line for a panel: runs of whitespace and control characters (which
 * a query's string literals may hold, escape sequences included) become
 * one space. */
static void
copy_oneline(char *dst, size_t size, const char *src)
{
	char *buf = xmalloc(strlen(src) + 1);
	size_t n = 0;
	bool space = false;

	for (const unsigned char *p = (const unsigned char *) src; *p; p++) {
		if (*p <= ' ' || *p == 0x7f) {
			space = n > 0;
			continue;
		}
		if (space)
			buf[n++] = ' ';
		space = false;
		buf[n++] = (char) *p;
	}
	buf[n] = '\0';
	str_copy(dst, size, buf);
	free(buf);
}

/*
 * An error message for the snapshot: on one line, and never with the
 * password. libpq's messages about a conninfo it cannot parse quote pieces
 * of it (`invalid percent-encoded token: "s3cret%zz"`), so for such a
 * conninfo every quoted piece is withheld.
 */
static void
set_error(struct monitor_snapshot *snap, const char *msg, const char *conninfo, bool unquote)
{
	struct strbuf sb = STRBUF_INIT;
	/* conn_redact's mask is 5 bytes for a secret of at least one */
	size_t cap = (msg ? strlen(msg) : 0) * 5 + 1;
	char *redacted = xmalloc(cap);
	bool quoted = false;

	conn_redact(conninfo, msg, redacted, cap);
	sb_puts(&sb, "");
	for (const char *p = redacted; *p; p++) {
		if (unquote && *p == '"') {
			sb_puts(&sb, quoted ? "\"" : "\"...");
			quoted = !quoted;
			continue;
		}
		if (!quoted)
			sb_printf(&sb, "%c", *p);
	}
	copy_oneline(snap->error, sizeof(snap->error), sb.buf);
	if (!snap->error[0])
		str_copy(snap->error, sizeof(snap->error), "unknown error");
	sb_free(&sb);
	free(redacted);
}

static const char *
value(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);
}

/*
 * Lock waits. pg_blocking_pids() rather than a self-join of pg_locks: it
 * also names the soft blockers, the sessions ahead in the lock queue (a
 * SELECT behind an ALTER that itself waits), the outage a migration causes.
 * It takes the lock manager's locks, so it is called only for backends that
 * wait on a heavyweight lock (every pg_blocking_pids() answer is one) and
 * only once for each (OFFSET 0 keeps the subquery from being flattened into
 * the WHERE).
 *
 * Wait time: from pg_locks.waitstart (PostgreSQL 14+), when the backend went
 * to sleep on this lock. Before 14, and for the instant after a wait begins
 * and before waitstart is filled in, from state_change: the backend has
 * been 'active' since then, so it is an upper bound, exact for a statement
 * whose first lock is the one it waits for (a query queued behind an ALTER).
 * now() is when the poll began: a wait that began since counts as 0.
 *
 * wait_event is read live but the rest of a pg_stat_activity row comes from
 * a snapshot taken once per transaction, so a backend caught just as its
 * wait began can show its previous state and query: a waiting backend is
 * never idle, such a row is skipped and the next poll gets it right.
 *
 * A backend waits for one lock at a time: the one row of pg_locks it has
 * not been granted. Only the current database: relation::regclass resolves
 * names only there, and waits elsewhere are not the migration's.
 */
static void
sql_waits(struct strbuf *sb, int server_version)
{
	const char *began = server_version >= 140000 ? "coalesce(l.waitstart, w.state_change)"
						     : "w.state_change";

	sb_printf(sb,
		  "SELECT w.pid,"
		  " greatest(0, round(extract(epoch FROM now() - %s) * 1000))::bigint,"
		  " l.mode,"
		  " coalesce(l.relation::regclass::text, l.locktype),"
		  " array_to_string(w.blockers, ','),"
		  " w.application_name,"
		  " to_char(w.query_start, 'HH24:MI:SS'),"
		  " left(w.query, 400),"
		  " coalesce(w.application_name LIKE 'pgstep:%%', false)"
		  " FROM (SELECT a.pid, a.application_name, a.query_start, a.state_change, a.query,"
		  "  pg_blocking_pids(a.pid) AS blockers"
		  "  FROM pg_stat_activity a"
		  "  WHERE a.wait_event_type = 'Lock' AND coalesce(a.state, '') NOT LIKE 'idle%%'"
		  "  AND a.pid <> pg_backend_pid()"
		  "  AND a.datname = current_database() OFFSET 0) w"
		  " LEFT JOIN pg_locks l ON l.pid = w.pid AND NOT l.granted"
		  " WHERE cardinality(w.blockers) > 0"
		  " ORDER BY %s, w.pid LIMIT %d;",
		  began, began, MON_MAX_WAITS);
}

/* Transactions open longer than the threshold, in this database (only they
 * can hold locks on its tables or make CREATE INDEX CONCURRENTLY wait). */
static void
sql_txns(struct strbuf *sb, int64_t long_txn_ms, bool param)
{
	char threshold[32];

	/* param: the threshold is the prepared statement's $1 */
	snprintf(threshold, sizeof(threshold), param ? "$1::bigint" : "%lld", (long long) long_txn_ms);
	sb_printf(sb,
		  "SELECT pid,"
		  " round(extract(epoch FROM now() - xact_start) * 1000)::bigint,"
		  " application_name, left(query, 400), coalesce(state, '')"
		  " FROM pg_stat_activity"
		  " WHERE xact_start < now() - %s * interval '1 millisecond'"
		  " AND pid <> pg_backend_pid() AND datname = current_database()"
		  " ORDER BY xact_start, pid LIMIT %d;",
		  threshold, MON_MAX_TXNS);
}

/* Client backends of the whole server (max_connections is the server's),
 * and replica lag: -1 without replicas, 0 for replicas that have caught up
 * (replay_lag turns NULL when there is nothing left to replay). */
static void
sql_summary(struct strbuf *sb)
{
	sb_puts(sb,
		"SELECT (SELECT count(*) FROM pg_stat_activity"
		"  WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()),"
		" (SELECT CASE WHEN count(*) = 0 THEN -1"
		"  ELSE coalesce(round(extract(epoch FROM max(replay_lag)) * 1000), 0) END::bigint"
		"  FROM pg_stat_replication);");
}

/* One CREATE INDEX CONCURRENTLY: pgstep's own if it runs one, else the
 * oldest. index_relid is 0 until the index exists in the catalog. On a
 * partition, which partition of its partitioned table it is, numbered as
 * pgstep builds them (partidx.c: by level, then name), among the leaves. */
static void
sql_index(struct strbuf *sb)
{
	sb_puts(sb,
		"SELECT p.pid,"
		" CASE WHEN p.index_relid <> 0 THEN p.index_relid::regclass::text END,"
		" p.phase, p.blocks_done, p.blocks_total, p.tuples_done, p.tuples_total,"
		" coalesce(part.root, ''), coalesce(part.k, 0), coalesce(part.n, 0), coalesce(part.me, '')"
		" FROM pg_stat_progress_create_index p LEFT JOIN pg_stat_activity a ON a.pid = p.pid"
		" LEFT JOIN LATERAL (SELECT rc.relname::text AS root, me.relname::text AS me,"
		"   count(*) FILTER (WHERE (t.level, c.relname) <= (me.level, me.relname)) AS k, count(*) AS n"
		"   FROM (SELECT pg_partition_root(p.relid) AS root) r"
		"   JOIN pg_class rc ON rc.oid = r.root"
		"   CROSS JOIN LATERAL (SELECT t2.level, c2.relname FROM pg_partition_tree(r.root) t2"
		"     JOIN pg_class c2 ON c2.oid = t2.relid WHERE t2.relid = p.relid) me"
		"   CROSS JOIN LATERAL pg_partition_tree(r.root) t JOIN pg_class c ON c.oid = t.relid"
		"   WHERE r.root <> p.relid AND c.relkind = 'r'"
		"   GROUP BY rc.relname, me.relname) part ON true"
		" WHERE p.command = 'CREATE INDEX CONCURRENTLY' AND p.datname = current_database()"
		" ORDER BY coalesce(a.application_name LIKE 'pgstep:%', false) DESC,"
		" a.query_start, p.pid LIMIT 1;");
}

/* pgstep's own VACUUM, after a backfill: its lock wait, else its phase. */
static void
sql_vacuum(struct strbuf *sb)
{
	sb_puts(sb,
		"SELECT a.pid, coalesce(coalesce(v.relid, z.relid)::regclass::text,"
		" substring(a.query from '^VACUUM \\(ANALYZE\\) (.*)$'), a.query),"
		" CASE WHEN a.wait_event_type = 'Lock' THEN 'waiting for its lock'"
		" ELSE coalesce(v.phase, z.phase, 'starting') END,"
		" coalesce(CASE v.phase WHEN 'vacuuming heap' THEN v.heap_blks_vacuumed ELSE v.heap_blks_scanned END,"
		"  z.sample_blks_scanned, 0),"
		" coalesce(v.heap_blks_total, z.sample_blks_total, 0),"
		" CASE WHEN a.wait_event_type = 'Lock' THEN (SELECT string_agg(format('pid %s (%s)', b.pid,"
		"  CASE WHEN b.backend_type = 'client backend' THEN coalesce(nullif(b.application_name, ''), 'client')"
		"  ELSE b.backend_type END), ', ' ORDER BY b.pid)"
		"  FROM pg_stat_activity b WHERE b.pid = ANY (pg_blocking_pids(a.pid))) END"
		" FROM pg_stat_activity a"
		" LEFT JOIN pg_stat_progress_vacuum v ON v.pid = a.pid"
		" LEFT JOIN pg_stat_progress_analyze z ON z.pid = a.pid"
		" WHERE a.application_name LIKE 'pgstep:%' AND a.state = 'active' AND a.query ILIKE 'VACUUM%'"
		" AND a.datname = current_database() AND a.pid <> pg_backend_pid()"
		" ORDER BY a.query_start, a.pid LIMIT 1;");
}

/* The sessions that blocked pgstep's attempts (pw->blockers), as they are
 * now: still there, and holding or waiting for a lock on the relation
 * pgstep wants (any lock, when that is not a relation: a row lock's
 * transaction). pids and the oid are numbers, formatted here. */
static void
sql_holders(struct strbuf *sb, const int *pids, int n, unsigned rel_oid)
{
	sb_puts(sb, "SELECT a.pid, coalesce(a.state, ''),"
		" greatest(0, round(extract(epoch FROM now() - a.state_change) * 1000))::bigint,"
		" coalesce(round(extract(epoch FROM now() - a.xact_start) * 1000), -1)::bigint,");
	if (rel_oid)
		sb_printf(sb, " coalesce((SELECT string_agg(DISTINCT l.mode, ',') FROM pg_locks l"
			  " WHERE l.pid = a.pid AND l.granted AND l.relation = %u::oid), ''),", rel_oid);
	else
		sb_puts(sb, " '',");
	sb_puts(sb, " a.application_name, left(a.query, 400) FROM pg_stat_activity a WHERE a.pid IN (");
	for (int i = 0; i < n; i++)
		sb_printf(sb, "%s%d", i ? "," : "", pids[i]);
	sb_puts(sb, ")");
	if (rel_oid)
		sb_printf(sb, " AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.relation = %u::oid)",
			  rel_oid);
	sb_printf(sb, " ORDER BY a.xact_start NULLS LAST, a.pid LIMIT %d;", MON_MAX_HOLDERS);
}

static void
parse_holders(PGresult *r, struct pgstep_wait *pw)
{
	int n = PQntuples(r);

	pw->n_holders = 0;
	for (int i = 0; i < n && pw->n_holders < MON_MAX_HOLDERS; i++) {
		struct lock_holder *h = &pw->holders[pw->n_holders++];

		h->pid = atoi(value(r, i, 0));
		copy_oneline(h->state, sizeof(h->state), value(r, i, 1));
		h->state_ms = strtoll(value(r, i, 2), NULL, 10);
		h->xact_ms = strtoll(value(r, i, 3), NULL, 10);
		str_copy(h->mode, sizeof(h->mode), value(r, i, 4));
		copy_oneline(h->application_name, sizeof(h->application_name), value(r, i, 5));
		copy_oneline(h->query, sizeof(h->query), value(r, i, 6));
	}
}

static void
parse_waits(PGresult *r, struct monitor_snapshot *snap)
{
	int n = PQntuples(r);

	for (int i = 0; i < n && snap->n_waits < MON_MAX_WAITS; i++) {
		struct lock_wait *w = &snap->waits[snap->n_waits++];
		const char *p = value(r, i, 4);

		w->pid = atoi(value(r, i, 0));
		w->wait_ms = strtoll(value(r, i, 1), NULL, 10);
		str_copy(w->mode, sizeof(w->mode), value(r, i, 2));
		str_copy(w->relation, sizeof(w->relation), value(r, i, 3));
		while (*p && w->n_blockers < (int) (sizeof(w->blockers) / sizeof(w->blockers[0]))) {
			char *end;
			long pid = strtol(p, &end, 10);

			if (end == p)
				break;
			w->blockers[w->n_blockers++] = (int) pid;
			p = *end == ',' ? end + 1 : end;
		}
		copy_oneline(w->application_name, sizeof(w->application_name), value(r, i, 5));
		str_copy(w->query_start, sizeof(w->query_start), value(r, i, 6));
		copy_oneline(w->query, sizeof(w->query), value(r, i, 7));
		w->is_pgstep = value(r, i, 8)[0] == 't';
	}
}

static void
parse_txns(PGresult *r, struct monitor_snapshot *snap)
{
	int n = PQntuples(r);

	for (int i = 0; i < n && snap->n_txns < MON_MAX_TXNS; i++) {
		struct long_txn *t = &snap->txns[snap->n_txns++];

		t->pid = atoi(value(r, i, 0));
		t->age_ms = strtoll(value(r, i, 1), NULL, 10);
		copy_oneline(t->application_name, sizeof(t->application_name), value(r, i, 2));
		copy_oneline(t->query, sizeof(t->query), value(r, i, 3));
		copy_oneline(t->state, sizeof(t->state), value(r, i, 4));
	}
}

static void
parse_summary(PGresult *r, struct monitor_snapshot *snap)
{
	if (PQntuples(r) != 1)
		return;
	snap->n_sessions = atoi(value(r, 0, 0));
	snap->replica_lag_ms = strtoll(value(r, 0, 1), NULL, 10);
}

static void
parse_index(PGresult *r, struct monitor_snapshot *snap)
{
	struct index_progress *x = &snap->index;

	if (PQntuples(r) != 1)
		return;
	x->active = true;
	x->pid = atoi(value(r, 0, 0));
	str_copy(x->index, sizeof(x->index), value(r, 0, 1));
	str_copy(x->phase, sizeof(x->phase), value(r, 0, 2));
	x->blocks_done = strtoll(value(r, 0, 3), NULL, 10);
	x->blocks_total = strtoll(value(r, 0, 4), NULL, 10);
	x->tuples_done = strtoll(value(r, 0, 5), NULL, 10);
	x->tuples_total = strtoll(value(r, 0, 6), NULL, 10);
	str_copy(x->parent, sizeof(x->parent), value(r, 0, 7));
	x->partition_k = atoi(value(r, 0, 8));
	x->partitions_n = atoi(value(r, 0, 9));
	str_copy(x->partition, sizeof(x->partition), value(r, 0, 10));
}

static void
parse_vacuum(PGresult *r, struct monitor_snapshot *snap)
{
	struct vacuum_progress *v = &snap->vacuum;

	if (PQntuples(r) != 1)
		return;
	v->active = true;
	v->pid = atoi(value(r, 0, 0));
	copy_oneline(v->relation, sizeof(v->relation), value(r, 0, 1));
	str_copy(v->phase, sizeof(v->phase), value(r, 0, 2));
	v->blocks_done = strtoll(value(r, 0, 3), NULL, 10);
	v->blocks_total = strtoll(value(r, 0, 4), NULL, 10);
	copy_oneline(v->blockers, sizeof(v->blockers), value(r, 0, 5));
}

static bool
stopping(struct monitor *m)
{
	bool stop;

	pthread_mutex_lock(&m->lock);
	stop = m->stop;
	pthread_mutex_unlock(&m->lock);
	return stop;
}

/*
 * Waits until a result can be read without blocking. Without a monitor
 * (a caller's connection) it waits as long as the server takes; the thread
 * gives up on stop or at the deadline.
 */
static bool
wait_result(PGconn *conn, struct monitor *m, int64_t deadline)
{
	while (PQisBusy(conn)) {
		struct pollfd pfd = { .fd = PQsocket(conn), .events = POLLIN };
		int timeout = SLICE_MS;

		if (m) {
			int64_t left = deadline - clock_now_ms();

			if (stopping(m) || left <= 0)
				return false;
			if (left < timeout)
				timeout = (int) left;
		}
		if (pfd.fd < 0)
			return true;	/* PQgetResult reports the broken connection */
		if (poll(&pfd, 1, timeout) < 0 && errno != EINTR)
			return true;
		if (!PQconsumeInput(conn))
			return true;
	}
	return true;
}

static enum poll_result
poll_conn(PGconn *conn, struct monitor_snapshot *snap, int64_t long_txn_ms, int *prepared,
	  struct overview_results *lr, struct monitor *m)
{
	void (*const parse[])(PGresult *, struct monitor_snapshot *) = {
		parse_waits, parse_txns, parse_summary, parse_index, parse_vacuum,
	};
	static const int ncols[] = { 9, 5, 2, 11, 6 };
	int version = PQserverVersion(conn);
	/* no progress view before 12, none for ANALYZE before 13 */
	int n_base = version >= 130000 ? 5 : version >= 120000 ? 4 : 3;
	/* While pgstep retries a lock: the sessions that blocked it, last. */
	bool holders = m && m->n_blockers > 0;
	int n_stmts = n_base + (holders ? 1 : 0);
	const char *conninfo = m ? m->conninfo : NULL;
	bool unquote = m ? m->conninfo_unparsable : false;
	struct strbuf sql = STRBUF_INIT;
	int64_t t0 = clock_now_ms();
	enum poll_result result = POLL_OK;
	PGresult *r;
	int i = 0;

	memset(snap, 0, sizeof(*snap));
	snap->replica_lag_ms = -1;
	snap->polled_at = time(NULL);
	if (PQstatus(conn) != CONNECTION_OK) {
		set_error(snap, PQerrorMessage(conn), conninfo, unquote);
		snap->poll_ms = clock_now_ms() - t0;
		return POLL_FAILED;
	}

	/* With `prepared` (the statements prepared on this connection, in
	 * order: the first *prepared of them), each is prepared once and
	 * executed by name: planning them cost more than running them. */
	for (int st = 0; st < n_base; st++) {
		struct strbuf one = STRBUF_INIT;

		switch (st) {
		case 0: sql_waits(&one, version); break;
		case 1: sql_txns(&one, long_txn_ms, prepared != NULL); break;
		case 2: sql_summary(&one); break;
		case 3: sql_index(&one); break;
		default: sql_vacuum(&one); break;
		}
		if (!prepared)
			sb_puts(&sql, one.buf);
		else {
			one.buf[--one.len] = '\0';	/* its ';' */
			if (st >= *prepared)
				sb_printf(&sql, "PREPARE pgstep_monitor_%d%s AS %s; ", st, st == 1 ? "(bigint)" : "",
					  one.buf);
			if (st == 1)
				sb_printf(&sql, "EXECUTE pgstep_monitor_1(%lld);", (long long) long_txn_ms);
			else
				sb_printf(&sql, "EXECUTE pgstep_monitor_%d;", st);
		}
		sb_free(&one);
	}
	if (holders)
		sql_holders(&sql, m->blockers, m->n_blockers, m->pw.rel_oid);
	/* the migration list last: an error there (no schema pgstep) stops
	 * nothing of the monitor's own */
	if (lr)
		overview_batch(&sql, lr->prepared);
	if (!PQsendQuery(conn, sql.buf)) {
		set_error(snap, PQerrorMessage(conn), conninfo, unquote);
		result = POLL_FAILED;
		i = -1;		/* nothing to read */
	}
	sb_free(&sql);

	/* Read every result, even after an error, so that the connection is
	 * idle again for the next poll. */
	while (i >= 0) {
		if (!wait_result(conn, m, t0 + POLL_DEADLINE_MS)) {
			set_error(snap, stopping(m) ? "monitor stopping" : "poll timed out", NULL, false);
			result = POLL_ABANDONED;
			break;
		}
		if (!(r = PQgetResult(conn)))
			break;
		if (lr && i >= n_stmts) {
			overview_take(lr, r);
			i++;
			continue;
		}
		if (prepared && i < n_base && PQresultStatus(r) == PGRES_COMMAND_OK) {
			(*prepared)++;	/* a PREPARE, in order */
			PQclear(r);
			continue;
		}
		if (prepared && i < n_base && *prepared > i) {
			const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);

			/* gone (DEALLOCATE, DISCARD): prepared again from here */
			if (code && strcmp(code, "26000") == 0)
				*prepared = i;
		}
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			if (result == POLL_OK) {
				const char *msg = PQresultErrorMessage(r);

				set_error(snap, *msg ? msg : PQerrorMessage(conn), conninfo, unquote);
				result = POLL_FAILED;
			}
		} else if (result == POLL_OK && i < n_base && PQnfields(r) == ncols[i])
			parse[i](r, snap);
		else if (result == POLL_OK && holders && i == n_base && PQnfields(r) == 7)
			parse_holders(r, &m->pw);
		else if (result == POLL_OK) {
			set_error(snap, "unexpected result from the monitor's query", NULL, false);
			result = POLL_FAILED;
		}
		PQclear(r);
		i++;
	}
	if (result == POLL_OK && (lr ? i < n_stmts : i != n_stmts)) {
		set_error(snap, "the monitor's query returned too few results", NULL, false);
		result = POLL_FAILED;
	}
	if (result != POLL_OK) {
		/* No half a picture: an empty snapshot with the error. */
		snap->n_waits = snap->n_txns = 0;
		snap->n_sessions = 0;
		snap->replica_lag_ms = -1;
		memset(&snap->index, 0, sizeof(snap->index));
		memset(&snap->vacuum, 0, sizeof(snap->vacuum));
	}
	if (result == POLL_OK && holders) {
		/* Who is gone, or holds nothing on the table any more, no longer
		 * blocks pgstep. */
		m->n_blockers = 0;
		for (int h = 0; h < m->pw.n_holders; h++)
			m->blockers[m->n_blockers++] = m->pw.holders[h].pid;
	}
	snap->connected = result != POLL_ABANDONED && PQstatus(conn) == CONNECTION_OK;
	snap->poll_ms = clock_now_ms() - t0;
	return result;
}

bool
monitor_poll_threshold(void *pgconn, int64_t long_txn_ms, struct monitor_snapshot *snap)
{
	return poll_conn(pgconn, snap, long_txn_ms, NULL, NULL, NULL) == POLL_OK;
}

bool
monitor_poll_list(void *pgconn, struct monitor_snapshot *snap, struct overview *ov, struct monitor_prep *prep)
{
	struct overview_results lr = {.prepared = prep->list};
	bool ok = poll_conn(pgconn, snap, MON_LONG_TXN_MS, &prep->stmts, &lr, NULL) == POLL_OK;

	prep->list = lr.prepared;
	if (!overview_finish(&lr, ov) && ok && !ov->legacy) {
		snprintf(snap->error, sizeof(snap->error), "the migration list: %.200s", ov->error);
		ok = false;
	}
	return ok;
}

bool
monitor_poll(void *pgconn, struct monitor_snapshot *snap)
{
	return monitor_poll_threshold(pgconn, MON_LONG_TXN_MS, snap);
}

/* ---- the thread ---- */

/* Waits until base + ms (ms < 0: the current interval, which
 * monitor_set_interval may change meanwhile), until stop, or, when
 * watch_wakes, until the watch changes. */
static void
sleep_until(struct monitor *m, int64_t base, int ms, bool watch_wakes)
{
	pthread_mutex_lock(&m->lock);
	while (!m->stop && !(watch_wakes && m->watch_pid != m->pw.pid)) {
		int64_t target = base + (ms >= 0 ? ms : m->interval_ms);
		int64_t now = clock_now_ms();
		struct timespec ts;

		if (now >= target)
			break;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += (target - now) / 1000;
		ts.tv_nsec += ((target - now) % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&m->cond, &m->lock, &ts);
	}
	pthread_mutex_unlock(&m->lock);
}

static void
publish(struct monitor *m, const struct monitor_snapshot *snap)
{
	pthread_mutex_lock(&m->lock);
	m->snap = *snap;
	pthread_mutex_unlock(&m->lock);
	if (m->notify_fd >= 0) {
		/* Non-blocking: a full pipe already holds a wake-up. SIGPIPE,
		 * should the reader be gone, is blocked in this thread. */
		while (write(m->notify_fd, "m", 1) < 0 && errno == EINTR)
			;
	}
}

/* pgstep's session, if it waits for a lock now: what for, who blocks it
 * (pg_blocking_pids), and the sessions queued behind it, how many and
 * the longest wait among them. */
static void
sql_sample(struct strbuf *sb, int pid, int server_version)
{
	bool ws = server_version >= 140000;

	sb_printf(sb,
		  "SELECT coalesce(l.relation::regclass::text, l.locktype), coalesce(l.relation, 0::oid)::text, l.mode,"
		  " array_to_string(pg_blocking_pids(s.pid), ','),"
		  " greatest(0, round(extract(epoch FROM now() - %s) * 1000))::bigint, qq.n, qq.ms"
		  " FROM pg_stat_activity s JOIN pg_locks l ON l.pid = s.pid AND NOT l.granted,"
		  " LATERAL (SELECT count(*) AS n,"
		  "  coalesce(max(greatest(0, round(extract(epoch FROM now() - %s) * 1000))), 0)::bigint AS ms"
		  "  FROM (SELECT q.pid, q.state_change FROM pg_stat_activity q"
		  "   WHERE q.wait_event_type = 'Lock' AND q.pid <> s.pid OFFSET 0) q"
		  "  LEFT JOIN pg_locks ql ON ql.pid = q.pid AND NOT ql.granted"
		  "  WHERE s.pid = ANY (pg_blocking_pids(q.pid))) qq"
		  " WHERE s.pid = %d AND s.wait_event_type = 'Lock' LIMIT 1",
		  ws ? "coalesce(l.waitstart, s.state_change)" : "s.state_change",
		  ws ? "coalesce(ql.waitstart, q.state_change)" : "q.state_change", pid);
}

/* Folds one sample into m->pw; *news when a blocker not seen before
 * turned up, *changed when the snapshot should be published. */
static void
parse_sample(PGresult *r, struct monitor *m, bool *news, bool *changed)
{
	struct pgstep_wait *pw = &m->pw;
	const char *p;
	int64_t wait_ms, n, ms;

	if (PQntuples(r) != 1) {
		*changed = *changed || pw->in_attempt;
		pw->in_attempt = false;
		return;
	}
	wait_ms = strtoll(value(r, 0, 4), NULL, 10);
	n = strtoll(value(r, 0, 5), NULL, 10);
	ms = strtoll(value(r, 0, 6), NULL, 10);
	if (!pw->in_attempt || wait_ms < pw->attempt_ms) {
		/* A new attempt: its own queue. */
		pw->attempts_seen++;
		pw->queued = 0;
		pw->queued_ms = 0;
	}
	pw->in_attempt = true;
	pw->attempt_ms = wait_ms;
	if (n > pw->queued)
		pw->queued = (int) n;
	if (ms > pw->queued_ms)
		pw->queued_ms = ms;
	str_copy(pw->relation, sizeof(pw->relation), value(r, 0, 0));
	pw->rel_oid = (unsigned) strtoul(value(r, 0, 1), NULL, 10);
	str_copy(pw->mode, sizeof(pw->mode), value(r, 0, 2));
	for (p = value(r, 0, 3); *p;) {
		char *end;
		long pid = strtol(p, &end, 10);
		bool known = false;

		if (end == p)
			break;
		for (int i = 0; i < m->n_blockers; i++)
			known = known || m->blockers[i] == (int) pid;
		if (!known && m->n_blockers < MON_MAX_HOLDERS) {
			m->blockers[m->n_blockers++] = (int) pid;
			*news = true;
		}
		p = *end == ',' ? end + 1 : end;
	}
	*changed = true;
}

static enum poll_result
sample(struct monitor *m, PGconn *conn, int pid, bool *news, bool *changed)
{
	struct strbuf sql = STRBUF_INIT;
	enum poll_result result = POLL_OK;
	int64_t deadline = clock_now_ms() + POLL_DEADLINE_MS;
	PGresult *r;

	sql_sample(&sql, pid, PQserverVersion(conn));
	if (!PQsendQuery(conn, sql.buf)) {
		sb_free(&sql);
		return POLL_FAILED;
	}
	sb_free(&sql);
	for (;;) {
		if (!wait_result(conn, m, deadline))
			return POLL_ABANDONED;
		if (!(r = PQgetResult(conn)))
			break;
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQnfields(r) == 7)
			parse_sample(r, m, news, changed);
		else
			result = POLL_FAILED;
		PQclear(r);
	}
	return result;
}

/*
 * Until the next poll is due (base + the interval). While pgstep retries
 * a lock, its session is sampled every MON_SAMPLE_MS meanwhile, and a
 * sample that finds a new blocker brings the poll forward, for its
 * details. False when the connection must go.
 */
static bool
wait_next_poll(struct monitor *m, PGconn *conn, struct monitor_snapshot *snap, int64_t base)
{
	for (;;) {
		int pid, interval;
		bool stop, news = false, changed = false;
		int64_t now, due;

		pthread_mutex_lock(&m->lock);
		pid = m->watch_pid;
		interval = m->interval_ms;
		stop = m->stop;
		pthread_mutex_unlock(&m->lock);
		if (stop)
			return true;
		if (pid != m->pw.pid) {
			memset(&m->pw, 0, sizeof(m->pw));
			m->n_blockers = 0;
			m->pw.pid = pid;
			m->pw.active = pid != 0;
			snap->pgstep = m->pw;
			publish(m, snap);
		}
		now = clock_now_ms();
		due = base + interval;
		if (now >= due)
			return true;
		if (pid == 0) {
			sleep_until(m, base, -1, true);
			continue;
		}
		sleep_until(m, now, due - now < MON_SAMPLE_MS ? (int) (due - now) : MON_SAMPLE_MS, true);
		if (stopping(m))
			return true;
		if (sample(m, conn, pid, &news, &changed) == POLL_ABANDONED || PQstatus(conn) != CONNECTION_OK)
			return false;
		if (changed) {
			snap->pgstep = m->pw;
			publish(m, snap);
		}
		if (news)
			return true;
	}
}

/* Bounds the monitor's own statements on the server (see poll_conn). */
static bool
setup_conn(PGconn *conn, struct monitor *m, struct monitor_snapshot *snap)
{
	int64_t deadline = clock_now_ms() + POLL_DEADLINE_MS;
	PGresult *r;
	bool ok = true;

	if (!PQsendQuery(conn, "SELECT set_config('statement_timeout', '" STATEMENT_TIMEOUT "', false),"
			       " set_config('lock_timeout', '" LOCK_TIMEOUT "', false)")) {
		set_error(snap, PQerrorMessage(conn), m->conninfo, m->conninfo_unparsable);
		return false;
	}
	for (;;) {
		if (!wait_result(conn, m, deadline)) {
			set_error(snap, stopping(m) ? "monitor stopping" : "set-up timed out", NULL, false);
			return false;
		}
		if (!(r = PQgetResult(conn)))
			break;
		if (ok && PQresultStatus(r) != PGRES_TUPLES_OK) {
			set_error(snap, PQresultErrorMessage(r), m->conninfo, m->conninfo_unparsable);
			ok = false;
		}
		PQclear(r);
	}
	return ok;
}

/*
 * Connects without blocking (PQconnectPoll), so that monitor_stop() is
 * answered within a slice even while a server does not answer, and under
 * our own deadline, since libpq enforces connect_timeout only in its
 * blocking calls. Our application_name comes after dbname, which carries
 * the user's conninfo (expand_dbname), so it wins over theirs.
 */
static PGconn *
connect_monitor(struct monitor *m, struct monitor_snapshot *snap)
{
	struct conn_params cp;
	int64_t deadline = clock_now_ms() + CONNECT_DEADLINE_MS;
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	PGconn *conn;

	conn_params_init(&cp, m->conninfo, APPLICATION_NAME);
	conn = PQconnectStartParams(cp.keys, cp.vals, 1);
	conn_params_free(&cp);

	if (!conn) {
		set_error(snap, "out of memory", NULL, false);
		return NULL;
	}
	while (PQstatus(conn) != CONNECTION_BAD && st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
		struct pollfd pfd = {
			.fd = PQsocket(conn),
			.events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT,
		};
		int64_t left = deadline - clock_now_ms();
		int rc;

		if (stopping(m)) {
			set_error(snap, "monitor stopping", NULL, false);
			PQfinish(conn);
			return NULL;
		}
		if (left <= 0) {
			set_error(snap, "timeout expired while connecting", NULL, false);
			PQfinish(conn);
			return NULL;
		}
		rc = poll(&pfd, 1, left < SLICE_MS ? (int) left : SLICE_MS);
		if (rc < 0 && errno != EINTR)
			break;
		if (rc > 0)
			st = PQconnectPoll(conn);
	}
	if (PQstatus(conn) != CONNECTION_OK || !setup_conn(conn, m, snap)) {
		if (PQstatus(conn) != CONNECTION_OK)
			set_error(snap, PQerrorMessage(conn), m->conninfo, m->conninfo_unparsable);
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

static void *
monitor_main(void *arg)
{
	struct monitor *m = arg;
	struct monitor_snapshot *snap = &m->work;
	PGconn *conn = NULL;
	struct backoff backoff = BACKOFF_INIT;

	while (!stopping(m)) {
		int64_t started = clock_now_ms();
		enum poll_result result;

		if (!conn) {
			memset(snap, 0, sizeof(*snap));
			snap->replica_lag_ms = -1;
			snap->polled_at = time(NULL);
			conn = connect_monitor(m, snap);
			m->list_prepared = m->stmts_prepared = 0;	/* a new session has none */
			if (!conn) {
				if (stopping(m))
					break;
				snap->poll_ms = clock_now_ms() - started;
				publish(m, snap);
				sleep_until(m, clock_now_ms(), backoff_next(&backoff), false);
				continue;
			}
			backoff_reset(&backoff);
		}
		{
			struct overview_results lr = {.prepared = m->list_prepared};
			bool want;

			pthread_mutex_lock(&m->lock);
			want = m->want_list;
			pthread_mutex_unlock(&m->lock);
			result = poll_conn(conn, snap, MON_LONG_TXN_MS, &m->stmts_prepared, want ? &lr : NULL, m);
			m->list_prepared = lr.prepared;
			if (want) {
				struct overview ov = {0};

				/* published only when read: else the last stays */
				if ((overview_finish(&lr, &ov) || ov.legacy) && result == POLL_OK) {
					pthread_mutex_lock(&m->lock);
					overview_copy(&m->list, &ov);
					m->have_list = true;
					pthread_mutex_unlock(&m->lock);
				}
				overview_free(&ov);
			}
		}
		if (result == POLL_ABANDONED && stopping(m))
			break;
		if (result == POLL_ABANDONED || PQstatus(conn) != CONNECTION_OK) {
			/* Lost (or hung): report it, then reconnect after the backoff. */
			snap->connected = false;
			PQfinish(conn);
			conn = NULL;
			publish(m, snap);
			sleep_until(m, clock_now_ms(), backoff_next(&backoff), false);
			continue;
		}
		snap->pgstep = m->pw;
		publish(m, snap);
		if (!wait_next_poll(m, conn, snap, started) && !stopping(m)) {
			snap->connected = false;
			PQfinish(conn);
			conn = NULL;
			publish(m, snap);
			sleep_until(m, clock_now_ms(), backoff_next(&backoff), false);
		}
	}
	if (conn)
		PQfinish(conn);
	return NULL;
}

static int
clamp_interval(int interval_ms)
{
	return interval_ms < 1000 ? 1000 : interval_ms;
}

struct monitor *
monitor_start(const char *conninfo, int interval_ms, int notify_fd)
{
	struct monitor *m = xcalloc(1, sizeof(*m));
	pthread_condattr_t attr;
	sigset_t all, old;
	int rc;

	m->conninfo = conninfo ? xstrdup(conninfo) : NULL;
	m->interval_ms = clamp_interval(interval_ms);
	m->notify_fd = notify_fd;
	m->snap.replica_lag_ms = -1;
	if (conninfo) {
		char *err = NULL;
		PQconninfoOption *opts = PQconninfoParse(conninfo, &err);

		if (!opts)
			m->conninfo_unparsable = true;
		PQconninfoFree(opts);
		if (err)
			PQfreemem(err);
	}
	if (notify_fd >= 0) {
		int fl = fcntl(notify_fd, F_GETFL);

		if (fl >= 0)
			fcntl(notify_fd, F_SETFL, fl | O_NONBLOCK);
	}
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&m->cond, &attr);
	pthread_condattr_destroy(&attr);

	/* The thread starts with every signal blocked: SIGWINCH, SIGHUP and
	 * the like are the console's, and a write to a pipe whose reader is
	 * gone must fail with EPIPE rather than kill the process. */
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);	/* faults stay deliverable */
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&m->thread, NULL, monitor_main, m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&m->cond);
		pthread_mutex_destroy(&m->lock);
		free(m->conninfo);
		free(m);
		return NULL;
	}
	return m;
}

void
monitor_set_interval(struct monitor *m, int interval_ms)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->interval_ms = clamp_interval(interval_ms);
	pthread_cond_signal(&m->cond);
	pthread_mutex_unlock(&m->lock);
}

void
monitor_watch(struct monitor *m, int pid)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	if (m->watch_pid != pid) {
		m->watch_pid = pid;
		pthread_cond_signal(&m->cond);
	}
	pthread_mutex_unlock(&m->lock);
}

void
monitor_snapshot(struct monitor *m, struct monitor_snapshot *out)
{
	if (!m) {
		memset(out, 0, sizeof(*out));
		out->replica_lag_ms = -1;
		str_copy(out->error, sizeof(out->error), "monitor not running");
		return;
	}
	pthread_mutex_lock(&m->lock);
	*out = m->snap;
	pthread_mutex_unlock(&m->lock);
}

void
monitor_read_list(struct monitor *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->want_list = true;
	pthread_mutex_unlock(&m->lock);
}

bool
monitor_list(struct monitor *m, struct overview *out)
{
	bool have;

	if (!m)
		return false;
	pthread_mutex_lock(&m->lock);
	have = m->have_list;
	if (have)
		overview_copy(out, &m->list);
	pthread_mutex_unlock(&m->lock);
	return have;
}

void
monitor_stop(struct monitor *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->stop = true;
	pthread_cond_signal(&m->cond);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);	/* the thread closes its connection */
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
	if (m->conninfo) {
		memset(m->conninfo, 0, strlen(m->conninfo));
		free(m->conninfo);
	}
	overview_free(&m->list);
	free(m);
}
