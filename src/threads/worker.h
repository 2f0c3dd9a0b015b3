/*
 * The worker: owns one connection and drives migrations from a command
 * queue (step, run to, rollback, pause, resume, abort, batch size, cancel
 * or terminate a blocker), publishing a status snapshot after every
 * change. The console sends commands and draws snapshots; it never waits.
 *
 * DESIGN: the threads, what each owns and what it may touch. src/threads/
 * is the only layer that creates threads; everything below it is called
 * from one thread at a time except where said.
 *
 * - The console (ui/, the program's main thread): owns the screen, the
 *   key table, the line editor and the struct worker and struct monitor
 *   pointers. It calls only the functions of this header and monitor.h,
 *   which never wait on the network: they take the worker's mutex `mu`
 *   for as long as a copy takes, or set an atomic flag. It sends no SQL
 *   and never calls libpq.
 *
 * - The worker thread (worker_main, one per worker_start): owns the
 *   worker's connection, its struct engine (made again by engine_init
 *   after every reconnect) and the plans it loads. It writes the snapshot
 *   and the statement log under `mu`, and reads the engine_control flags
 *   (pause, stop, abort_, batch_size) that other threads set.
 *
 * - The canceller thread (one per worker, created with it, joined by
 *   worker_stop): runs :abort's PQcancel, which opens a connection to the
 *   server and waits on it. It touches only the engine_control: its
 *   cancel_lock and cancel handle are made once in worker_start and
 *   destroyed in worker_stop, never by a reconnect, so the worker thread
 *   may re-arm the handle at any time while the canceller holds the lock.
 *
 * - The blocker threads (one per :cancel PID / :terminate PID, each with
 *   its own short connection): they touch the worker only through notice()
 *   under `mu`. The worker lists every one; worker_send joins those that
 *   are over and worker_stop joins all of them (they stop waiting for the
 *   outcome once asked to quit) before it frees the worker.
 *
 * - The monitor thread (monitor.h): its own connection and snapshot, and
 *   nothing of the worker.
 *
 * worker_stop joins the worker, the canceller and every blocker thread,
 * in that order, before it destroys the mutex and frees the worker.
 */
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
	WCMD_RELEASE,		/* open the switch gate the run waits at */
	WCMD_SET,		/* a live setting: `text` is key=value (live.h) */
};

struct worker_cmd {
	enum worker_cmd_kind kind;
	char name[64];
	int arg;
	char text[256];
	uint64_t seq;		/* set by worker_send for queued commands */
};

struct worker_config {
	const char *conninfo;	/* as the user gave it; NULL: libpq defaults */
	const char *plans_dir;
	int notify_fd;		/* one byte is written here after each publish, or -1 */
	const char *hooks_dir;	/* -H, or NULL: the plans' own `hooks` */
};

struct worker;

struct worker *worker_start(const struct worker_config *cfg);
struct monitor;
/* From now on the periodic refresh takes the migration list the monitor
 * reads with its own poll (monitor_read_list): the console's whole
 * refresh is then the monitor's one round trip. After a command the
 * worker reads the list itself, so that what it just did shows at once. */
void worker_use_monitor(struct worker *w, struct monitor *m);
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
