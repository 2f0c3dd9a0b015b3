/* The worker thread: owns one connection and drives migrations from a
 * command queue (step, run to, rollback, pause, resume, abort, batch size,
 * cancel or terminate a blocker), publishing a status snapshot after every
 * change. The console sends commands and draws snapshots; it never waits. */
#ifndef PGSTEP_WORKER_H
#define PGSTEP_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include "threads/status.h"

enum worker_cmd_kind {
	WCMD_STEP,		/* run the next phase of `name` */
	WCMD_RUN_TO,		/* run phases of `name` up to and including `arg` (enum phase) */
	WCMD_ROLLBACK,		/* undo the last completed phase of `name` */
	WCMD_PAUSE,		/* pause the running backfill at the next batch boundary */
	WCMD_RESUME,
	WCMD_ABORT,		/* cancel the running statement; the phase fails and is undone */
	WCMD_BATCH,		/* set the batch size to `arg` (0: adaptive again) */
	WCMD_REFRESH,		/* reload plans and state now */
	WCMD_CANCEL_PID,	/* pg_cancel_backend(arg) */
	WCMD_TERMINATE_PID,	/* pg_terminate_backend(arg) */
	WCMD_SELECT,		/* the console's selected migration: read-only check */
};

struct worker_cmd {
	enum worker_cmd_kind kind;
	char name[64];
	int arg;
	uint64_t seq;		/* set by worker_send for queued commands */
};

struct worker_config {
	const char *conninfo;	/* as the user gave it; NULL: libpq defaults */
	const char *plans_dir;
	int notify_fd;		/* one byte is written here after each publish, or -1 */
};

struct worker;

struct worker *worker_start(const struct worker_config *cfg);
/* Queues a command; false when the queue is full. Never blocks. */
bool worker_send(struct worker *w, const struct worker_cmd *cmd);
/* The sequence number worker_send gave the last command it queued (step,
 * run to, rollback, refresh): that command is over once a snapshot's
 * cmd_done reaches it. Only the thread that sends may ask. */
uint64_t worker_last_queued(struct worker *w);
/* Copies the latest snapshot. */
void worker_snapshot(struct worker *w, struct worker_status *out);
/* The whole of a statement log line (level 'S', by its seq): the line
 * uncut and the statement's SQL, both malloc'd. False when the worker no
 * longer keeps it (it keeps the last WORKER_STATEMENTS). Never waits on
 * the database. */
#define WORKER_STATEMENTS 64
bool worker_log_statement(struct worker *w, uint64_t seq, char **line, char **sql);
/* Stops at a batch boundary with the checkpoint written, closes the
 * connection and joins the thread. */
void worker_stop(struct worker *w);

#endif
