/* The monitor: a thread with its own connection that polls, at most once
 * a second, what the database is doing around a migration (lock waits,
 * CREATE INDEX CONCURRENTLY progress, replica lag, long transactions) and
 * publishes it as a snapshot the console copies without waiting. */
#ifndef PGSTEP_MONITOR_H
#define PGSTEP_MONITOR_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define MON_MAX_WAITS 64
#define MON_MAX_TXNS 16
/* A transaction older than this is listed in long_txn. */
#define MON_LONG_TXN_MS 60000

/* A session waiting for a lock, from pg_blocking_pids(): unlike a
 * self-join of pg_locks it also shows sessions queued behind a waiting
 * ALTER (the lock queue), which is the outage a migration causes. */
struct lock_wait {
	int pid;
	int64_t wait_ms;		/* since the current wait began */
	char mode[32];			/* the lock mode it wants, e.g. AccessExclusiveLock */
	char relation[128];		/* the relation, or the lock type when none */
	int blockers[16];		/* pg_blocking_pids(pid) */
	int n_blockers;
	char application_name[64];
	char query_start[32];		/* HH:MM:SS */
	char query[160];		/* start of the query, one line */
	bool is_pgstep;			/* application_name starts with "pgstep:" */
};

struct long_txn {
	int pid;
	int64_t age_ms;
	char state[32];			/* active, idle in transaction, ... */
	char application_name[64];
	char query[160];
};

/* pg_stat_progress_create_index for a running CREATE INDEX CONCURRENTLY. */
struct index_progress {
	bool active;
	int pid;
	char index[64];
	char phase[64];
	int64_t blocks_done, blocks_total;
	int64_t tuples_done, tuples_total;
	/* A build on a partition (pgstep's partition by partition, partidx.h):
	 * partition_k of partitions_n of the partitioned table `parent`;
	 * partitions_n is 0 otherwise. */
	char parent[64];
	char partition[64];
	int partition_k, partitions_n;
};

/* pgstep's own VACUUM (ANALYZE) after a backfill: waiting for its lock
 * (and behind whom), else its phase from pg_stat_progress_vacuum, then
 * from pg_stat_progress_analyze. */
struct vacuum_progress {
	bool active;
	int pid;
	char relation[128];		/* the table, or the statement while it waits */
	char phase[64];			/* "waiting for its lock", "scanning heap", ... */
	int64_t blocks_done, blocks_total;
	char blockers[160];		/* "pid 123 (autovacuum worker)", while it waits */
};

/* A session pgstep's own DDL waits for: a holder of the lock, or a
 * session queued ahead of it (pg_blocking_pids of pgstep's session). */
#define MON_MAX_HOLDERS 8
struct lock_holder {
	int pid;
	char state[32];			/* active, idle in transaction, ... */
	int64_t state_ms;		/* in that state for */
	int64_t xact_ms;		/* its transaction is open for; -1 none */
	char mode[64];			/* the locks it holds on the relation, "" none */
	char application_name[64];
	char query[160];		/* its current or last query, one line */
};

/*
 * While pgstep retries a lock (monitor_watch): what it waits for. Each
 * attempt lasts lock_timeout and the session is idle between attempts,
 * so a poll a second would mostly find nothing waiting: the monitor
 * samples pgstep's session every MON_SAMPLE_MS meanwhile, remembers who
 * blocked each attempt it caught, and shows them between attempts too,
 * whatever their age, until they are gone or hold nothing on the table.
 */
#define MON_SAMPLE_MS 100
struct pgstep_wait {
	bool active;			/* a watch is set */
	int pid;			/* pgstep's session */
	char relation[128];		/* what it waits for; "" until an attempt was seen */
	char mode[32];			/* the lock it wants */
	unsigned rel_oid;		/* 0: not a relation, or not seen yet */
	struct lock_holder holders[MON_MAX_HOLDERS];
	int n_holders;
	int attempts_seen;		/* attempts a sample caught waiting */
	bool in_attempt;		/* waiting at the last sample */
	int64_t attempt_ms;		/* how long the last attempt seen waited */
	int queued;			/* most sessions queued behind it at once */
	int64_t queued_ms;		/* the longest any of them waited */
};

struct monitor_snapshot {
	bool connected;
	char error[256];		/* why not connected / the last poll failed */
	time_t polled_at;		/* last poll or connection attempt; 0: none yet */
	int64_t poll_ms;		/* how long the last poll took */
	struct lock_wait waits[MON_MAX_WAITS];	/* longest wait first */
	int n_waits;
	struct long_txn txns[MON_MAX_TXNS];	/* oldest first, over 1 minute */
	int n_txns;
	struct index_progress index;
	struct vacuum_progress vacuum;
	int64_t replica_lag_ms;		/* max over replicas; -1 when none */
	int n_sessions;			/* client backends */
	struct pgstep_wait pgstep;	/* while watching: what pgstep's DDL waits for */
};

struct monitor;

/* Starts the thread; conninfo as the user gave it (NULL for libpq
 * defaults). interval_ms is clamped to at least 1000. notify_fd, when >= 0,
 * gets one byte written after each poll so a poll() loop can wake up; it is
 * set O_NONBLOCK (a full pipe drops the byte rather than stall the thread).
 * Returns NULL only when the thread cannot be created. */
struct monitor *monitor_start(const char *conninfo, int interval_ms, int notify_fd);
void monitor_set_interval(struct monitor *m, int interval_ms);
/* pid: pgstep's own session, which retries a lock now (0: it does not);
 * the snapshot's `pgstep` then says what it waits for. */
void monitor_watch(struct monitor *m, int pid);
/* Copies the latest snapshot; never waits on the database. */
void monitor_snapshot(struct monitor *m, struct monitor_snapshot *out);
void monitor_stop(struct monitor *m);

/* One poll on a caller's connection, without a thread (tests, the bench,
 * `pgstep locks`). Returns false with snap->error set on failure. */
bool monitor_poll(void *pgconn, struct monitor_snapshot *snap);
/* The same with another threshold for long transactions (tests). */
bool monitor_poll_threshold(void *pgconn, int64_t long_txn_ms, struct monitor_snapshot *snap);

#endif
