/* The engine: runs a migration's phases forward and back on one
 * connection, recording every step in schema pgstep. The worker thread
 * and the headless commands both drive migrations through these calls.
 *
 * Layer rule (script/check-layers, run first by script/test): engine may
 * include base, pg, plan, store, compile, ops, lint, convert; nothing of
 * threads, ui, cli.
 */
#ifndef PGSTEP_ENGINE_H
#define PGSTEP_ENGINE_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "compile/compile.h"
#include "engine/live.h"
#include "plan/plan.h"
#include "store/state.h"
#include "base/hookrun.h"
#include "engine/progress.h"

enum engine_result {
	ENG_OK,			/* the phase(s) finished */
	ENG_FAILED,		/* a step failed (err says why; the phase was undone when it could be) */
	ENG_STOPPED,		/* stopped at a batch boundary on request; resumable */
	ENG_HELD,		/* another operator holds the migration (err names them) */
	ENG_REFUSED,		/* not allowed now: plan changed, nothing to do, irreversible, ... */
};

/* A statement that ran to completion, for the log. */
struct statement_run {
	const char *summary;		/* the step's one line: "add column note to accounts" */
	const char *sql;		/* all of it */
	bool rollback;			/* it undid a step */
	int attempts;
	int64_t lock_wait_ms;
	int64_t duration_ms;
};

/* Hooks the engine calls as it goes; any may be NULL. */
struct engine_hooks {
	void *ud;
	void (*log)(void *ud, char level, const char *msg);
	void (*step)(void *ud, enum phase ph, bool rollback, int index, int count, const char *summary);
	void (*activity)(void *ud, enum activity a, const char *detail, int attempts);
	void (*progress)(void *ud, const struct backfill_progress *bp);
	/* A statement that ran: its step's summary and its whole SQL. Without
	 * it, `log` gets the statement as an 'S' line. */
	void (*statement)(void *ud, const struct statement_run *run);
};

/* The operator's batch size is clamped to what the backfill accepts. */
#define BATCH_MIN 10
#define BATCH_MAX 100000

/* Requests from other threads, read between batches and between retries. */
struct engine_control {
	atomic_int pause;		/* 1: hold the backfill at the next batch boundary */
	atomic_int stop;		/* 1: leave at the next batch boundary, checkpoint written */
	atomic_int abort_;		/* 1: cancel the running statement and fail the phase */
	atomic_int release;		/* 1: open the switch gate (gate.c) */
	/* The running statement's cancel handle: armed and cleared by the
	 * thread that runs the engine, used by the one that cancels. Made
	 * once with the control (engine_control_init), it outlives the
	 * engines a reconnect makes and releases: no thread that holds the
	 * lock ever sees it destroyed. */
	pthread_mutex_t cancel_lock;
	PGcancel *cancel;
	/* Settings changed while it runs (live.h): pgstep set, :set, and the
	 * operator's batch size (:batch, +, -), which is live's batch_size. */
	struct live_values live;
};

/* What the operator's hooks (engine_hook) are told, and the hooks that
 * run beside the migration (backfill-progress, on-throttle). */
struct engine_hookstate {
	const struct plan *plan;	/* the migration being driven; NULL none */
	int phase;			/* enum phase being run or undone, -1 none */
	int64_t phase_t0;		/* when this run of it began */
	char tables[512];		/* the tables it touches, comma separated */
	struct backfill_progress bp;	/* the backfill's last progress */
	int64_t next_progress_ms;	/* when backfill-progress runs next */
	struct hook_proc async[2];	/* backfill-progress, on-throttle */
};

void engine_control_init(struct engine_control *ctl);
void engine_control_destroy(struct engine_control *ctl);

struct engine {
	PGconn *conn;
	const char *conninfo;		/* for reconnecting and for redacting errors */
	struct engine_hooks hooks;
	struct engine_control *ctl;	/* the caller's, never NULL */
	bool locked;			/* holds the advisory lock of `locked_name` */
	char locked_name[64];
	const char *hooks_dir;		/* -H: the hooks directory, over the plan's; NULL none */
	struct engine_hookstate hk;
	/* The steps the migration runs when the live catalog's answers
	 * (safety.h) made them differ from the caller's offline compile:
	 * compiled as it starts, and again from the answers saved then by
	 * every later run, rollback and pgstep; NULL when they are the same. */
	struct compiled *own;
};

void engine_init(struct engine *e, PGconn *conn, const char *conninfo, struct engine_control *ctl);
void engine_release(struct engine *e);
/* Cancels the running statement of the engine that `ctl` controls. PQcancel
 * opens a connection to the server and waits for it: call it from a thread
 * that may wait on the network (the worker's canceller, threads/worker.h),
 * never from the console's. */
void engine_cancel(struct engine_control *ctl);

/* Runs the next phase (or finishes an interrupted one). */
enum engine_result engine_step(struct engine *e, const struct plan *p, const struct compiled *c, char *err,
			       size_t errlen);
/* Runs phases until `to` is done. */
enum engine_result engine_run_to(struct engine *e, const struct plan *p, const struct compiled *c,
				 enum phase to, char *err, size_t errlen);
/* Undoes the last completed phase (or finishes an interrupted rollback). */
enum engine_result engine_rollback(struct engine *e, const struct plan *p, const struct compiled *c,
				   char *err, size_t errlen);

/* What a rollback of the migration as recorded would undo: the running
 * phase's finished steps, else the last completed phase; *ph is set to
 * that phase (-1: nothing to undo). Returns the first step among them
 * that destroyed data, which makes the rollback impossible, or NULL.
 * engine_rollback refuses by this answer, and the console asks it before
 * offering `r`. */
const struct step *engine_undo_blocker(const struct compiled *c, const struct mig_record *m, int *ph);

/*
 * Runs the operator's hook for `event` (before-expand, ..., on-throttle:
 * pgstep-plan(5), HOOKS), if the hooks directory (-H, else the plan's
 * `hooks`) has one, with the migration, phase, table and progress in its
 * environment and `detail` as PGSTEP_DETAIL (may be NULL). Never call it
 * with a transaction open. A before-* hook is waited for, and a non-zero
 * exit, a timeout or a hook that cannot be run returns false with why in
 * err (its output is in the log): the phase must not start. The others
 * never stop anything: backfill-progress and on-throttle run beside the
 * migration (one of each at a time), the rest are waited for.
 */
bool engine_hook(struct engine *e, const char *event, const char *detail, char *err, size_t errlen);
/* A backfill's progress: to the console or the terminal (hooks.progress),
 * for the hooks' environment, and backfill-progress when it is due. */
void engine_progress(struct engine *e, const struct backfill_progress *bp);
/* Waits for the hooks that run beside the migration (each within its
 * timeout); kill: ends them now instead. */
void engine_hooks_settle(struct engine *e, bool kill);
/* Takes the requests other terminals wrote for the running migration
 * (pgstep pause, resume, release, set) and applies them to e->ctl, each
 * said in the log. `at_gate`: a release opens the gate (otherwise it is
 * said to be ignored). */
void engine_take_requests(struct engine *e, const struct plan *p, bool at_gate);

/* gate.c: the switch gate (postpone_switch, postpone_switch_flag_file). */
bool gate_enabled(const struct plan *p);
/* At the start of a run that would pass the gate: creates the flag file,
 * unless the migration waits at the gate already (a removed file then
 * means released). */
void gate_prepare(struct engine *e, const struct plan *p, const struct mig_record *m);
/* Waits at the gate, the connection idle and nothing held, until the
 * console's release (ctl->release), `pgstep release` or the flag file's
 * removal; ENG_STOPPED on a stop request (the migration stays at the
 * gate, and the next run waits there again). */
enum engine_result gate_wait(struct engine *e, const struct plan *p, char *err, size_t errlen);

/* Internal pieces, shared by engine.c, runner.c and backfill.c. */
void engine_log(struct engine *e, char level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void engine_activity(struct engine *e, enum activity a, const char *detail, int attempts);
/* Reports a statement that ran (hooks.statement, else an 'S' log line). */
void engine_log_statement(struct engine *e, const struct statement_run *run);
/* Runs a query with the cancel handle armed; the caller clears. Without
 * parameters it is sent as a simple query, which may hold several
 * statements. */
/* Arms (cn) or clears (NULL) the cancel handle of the running statement. */
void engine_arm_cancel(struct engine *e, PGcancel *cn);
PGresult *engine_exec(struct engine *e, const char *sql, int nparams, const char *const *params);
/* The same for exactly one statement, by the extended protocol, which
 * refuses more. */
PGresult *engine_exec_one(struct engine *e, const char *sql);
/* Sleeps up to ms, waking early on stop or abort; false when woken so. */
bool engine_sleep(struct engine *e, int ms);

/* runner.c: one SQL step (or its rollback) with lock_timeout and retries;
 * `progress_after` is recorded in the same transaction. ENG_STOPPED when a
 * stop request interrupted it before it ran. */
enum engine_result runner_run_step(struct engine *e, const struct plan *p, const struct step *s, int index, bool rollback,
		     int progress_after, char *err, size_t errlen);
/* backfill.c: a backfill step from its checkpoint; ENG_STOPPED when asked
 * to stop at a batch boundary. */
enum engine_result backfill_run(struct engine *e, const struct plan *p, const struct step *s, int index,
				char *err, size_t errlen);
/* vacuum.c: VACUUM (ANALYZE) after a backfill, waiting for its lock with no
 * lock_timeout; ENG_STOPPED when a stop cancelled it (it runs again). */
enum engine_result vacuum_run(struct engine *e, const struct plan *p, const struct step *s, int index,
			      char *err, size_t errlen);

#endif
