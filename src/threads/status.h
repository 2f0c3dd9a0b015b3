/* What the worker publishes: an immutable snapshot the console (or any
 * thread) copies under a mutex and draws, never waiting on the database. */
#ifndef PGSTEP_STATUS_H
#define PGSTEP_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "plan/phase.h"

#define ST_MAX_MIGS 64
#define ST_LOG_LINES 200
#define ST_SPARK 60

enum activity {
	ACT_IDLE,		/* nothing running */
	ACT_RUNNING,		/* a step or a batch is running */
	ACT_PAUSED,		/* backfill paused by the operator */
	ACT_WAIT_LAG,		/* backfill waits for replica lag */
	ACT_WAIT_LOCK,		/* a DDL retries for its lock, or a batch waits for blocked sessions */
	ACT_THROTTLED,		/* backfill waits on a load signal (max_load, throttle_query, a rate limit) */
	ACT_FAILED,		/* the last phase failed; see last_error */
};

struct phase_info {
	char state[12];		/* "", "done", "running", "failed", "rolled back" */
	int steps;		/* statements run (forward) */
	int attempts;		/* lock attempts over all its statements */
	int64_t lock_wait_ms;	/* time spent waiting for locks */
	int64_t duration_ms;
};

struct mig_row {
	char name[64];
	char file[256];		/* "" when only recorded in the database */
	int phase_done;		/* -1 pending, else the last completed enum phase */
	char status[16];	/* pending, ok, running, paused, stopped, failed, done */
	bool changed;		/* plan file's checksum differs from the applied one */
	bool invalid;		/* the plan file does not load; see error */
	char error[160];
	char held_by[512];	/* another session holds it: state_lock's text */
	char version_schema[64];	/* the versioned schema it created, "" when none */
	char tables[160];	/* the tables it touches, comma separated; "?" unknown */
	time_t started_at, updated_at;
	struct phase_info phases[N_PHASES];
	/* Why a rollback would be refused, "" when it is possible: a step of
	 * the phase it would undo destroyed data (engine_undo_blocker). */
	char undo_refused[256];
	/* What its contract destroys, for the confirmation: a line for each
	 * step that destroys data, then the values its backfill could not
	 * convert, which go with them. */
	char contract_drops[4][160];
	int n_contract_drops;
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

struct log_line {
	time_t at;
	char level;		/* 'I' info, 'S' statement, 'W' warning, 'E' error */
	uint64_t seq;		/* numbers the lines; a statement's SQL is kept under it
				 * (worker_log_statement) */
	char text[256];
};

struct worker_status {
	uint64_t version;		/* bumped on every publish */
	bool connected;
	int backend_pid;		/* the worker's session (its DDL and batches run there) */
	char conn_error[256];		/* never contains a password */
	char database[64];
	char server_version[32];
	bool read_only;			/* another operator holds the selected migration */
	char read_only_reason[512];

	struct mig_row migs[ST_MAX_MIGS];
	int n_migs;

	uint64_t cmd_done;		/* seq of the last queued command finished (worker_send) */
	char current[64];		/* migration being driven, "" when idle */
	int phase_running;		/* enum phase, or -1 */
	bool rolling_back;
	int step_index, step_count;	/* within the running phase */
	char step_summary[160];
	enum activity activity;
	char activity_detail[160];	/* e.g. "replica lag 12s", "lock held by pid 123" */
	int attempts;			/* of the running DDL */
	char last_error[512];
	bool refused;			/* last_error is a refusal: nothing was changed */
	uint64_t error_version;		/* the version that published last_error */

	struct backfill_progress bf;

	/* The outcome of the last :cancel or :terminate, for the status line;
	 * notice_seq changes with each. */
	char notice[256];
	char notice_level;		/* 'I' or 'W' */
	uint64_t notice_seq;

	struct log_line log[ST_LOG_LINES];	/* ring: oldest at log_head when full */
	int log_head, n_log;
};

const char *activity_name(enum activity a);

#endif
