/* What the worker publishes: an immutable snapshot the console (or any
 * thread) copies under a mutex and draws, never waiting on the database. */
#ifndef PGSTEP_STATUS_H
#define PGSTEP_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "engine/progress.h"	/* enum activity, struct backfill_progress */
#include "plan/phase.h"

#define ST_MAX_MIGS 64
#define ST_LOG_LINES 200

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
