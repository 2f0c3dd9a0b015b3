/* pgstep's state in the target database, schema pgstep: which phase each
 * migration reached, every statement run, and backfill checkpoints. */
#ifndef PGSTEP_STATE_H
#define PGSTEP_STATE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "base/strlist.h"
#include "plan/phase.h"

#define STATE_SCHEMA_VERSION 6

/* pgstep's advisory locks: the first key, 0x70677374 ("pgst"); the second
 * of a migration's, from its name (names are ASCII: plan.c), as lock_key()
 * in state.c computes it: the first four bytes of its SHA-256, big-endian,
 * without the sign bit. */
#define STATE_LOCK_CLASS 1885827956
#define STATE_LOCK_KEY_SQL(name) \
	"((('x' || pg_catalog.substr(pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(" name \
	", 'UTF8')), 'hex'), 1, 8))::bit(32)::int) & 2147483647)"

struct mig_record {
	bool exists;
	char name[64];
	char checksum[65];
	int phase_done;		/* -1 pending, else enum phase */
	char status[16];	/* ok, running, failed, done */
	int running;		/* enum phase being run or undone, -1 none */
	bool rolling_back;	/* the running phase is being undone */
	int progress;		/* steps of the running phase finished */
	bool paused;
	char error[1024];
	char operator_[64];
	char host[128];
	char plan_file[256];
	time_t started_at, updated_at;
	time_t gate_since;	/* waits at the switch gate since; 0 when it does not */
};

struct checkpoint {
	bool exists;
	char *last_key;		/* text form of the last key done, whole; "" before the first batch */
	bool has_last_key;
	int64_t rows_done;
	int64_t rows_total;
	int64_t unconverted;
	double copy_seconds;	/* time spent copying, for the ETA */
	bool done;
};

/* Creates or upgrades the schema; refuses one that another role owns
 * (state_check_owner). */
bool state_ensure(PGconn *c, char *err, size_t errlen);
/* False, with why in err, when schema pgstep or anything in it belongs to
 * a role other than the current one, or its tables have triggers or
 * rules; true when it is pgstep's or does not exist. */
bool state_check_owner(PGconn *c, char *err, size_t errlen);
/* The same in two halves, for a caller that sends the query with others
 * (overview.c): the query (no parameters), and its answer read. */
extern const char *const state_owner_sql;
bool state_owner_result(PGresult *r, char *err, size_t errlen);
/* Reads array_to_json(tables) as the server wrote it into out. */
bool state_tables_parse(const char *text, struct strlist *out);
/* How state_lock names the holder of a migration's lock: `op` and `host`
 * (who started the migration, may be NULL) are said only of a pgstep of
 * a role that may run migrations. */
void state_holder_text(const char *pid, const char *app, const char *client, const char *op, const char *host,
		       const char *role, bool is_operator, char *holder, size_t holderlen);

bool state_get(PGconn *c, const char *name, struct mig_record *m, char *err, size_t errlen);
/* Records a migration the first time it is stepped, with the tables it
 * touches. */
bool state_register(PGconn *c, const char *name, const char *checksum, const char *plan_file,
		    const struct strlist *tables, char *err, size_t errlen);
/* Records the tables a migration touches; `replace` false keeps a list
 * already recorded (it fills rows recorded before schema version 2). */
bool state_set_tables(PGconn *c, const char *name, const struct strlist *tables, bool replace, char *err,
		      size_t errlen);
/* The recorded tables into an empty list; *known false when none are
 * recorded (a row of schema version 1, or no row). */
bool state_get_tables(PGconn *c, const char *name, struct strlist *out, bool *known, char *err, size_t errlen);
/* The versioned schema the migration created and that still exists, into
 * out ("" when none). */
bool state_get_version_schema(PGconn *c, const char *name, char *out, size_t outlen, char *err, size_t errlen);

/* A value saved for the migration in pgstep.saved under `key`: *value
 * (the caller frees) is NULL when there is none. Put replaces one. */
bool state_get_saved(PGconn *c, const char *name, const char *key, char **value, char *err, size_t errlen);
bool state_put_saved(PGconn *c, const char *name, const char *key, const char *value, char *err, size_t errlen);
bool state_forget_saved(PGconn *c, const char *name, const char *key, char *err, size_t errlen);

/* A migration that is open: started (a phase done, running or failed part
 * way), not done, and not rolled all the way back to pending. */
struct open_mig {
	char name[64];
	int phase_done;		/* -1 pending, else enum phase */
	char status[16];
	int running;		/* enum phase, -1 none */
	bool rolling_back;
	char checksum[65];
	char plan_file[256];
	bool tables_known;	/* false for a row recorded before schema version 2 */
	struct strlist tables;
	bool held;		/* a pgstep holds it (read for running ones only) */
};

struct open_migs {
	struct open_mig *v;
	size_t n;
};

/* Starting a migration from pending: a transaction holding the advisory
 * lock that serializes every check-and-start, so two operators starting
 * migrations on one table at once cannot both pass. End it with
 * state_commit() or state_abort(). */
bool state_start_begin(PGconn *c, char *err, size_t errlen);
bool state_commit(PGconn *c, char *err, size_t errlen);
void state_abort(PGconn *c);
/* Every open migration but `except`, in name order. */
bool state_open_migrations(PGconn *c, const char *except, struct open_migs *out, char *err, size_t errlen);
void state_open_migs_free(struct open_migs *l);
/* A migration rolled all the way back to pending starts again from a plan
 * file that may have changed: it takes the file's checksum and path. */
bool state_restart(PGconn *c, const char *name, const char *checksum, const char *plan_file, char *err,
		   size_t errlen);
/* A phase starts running (or being undone): running = ph, progress = 0. */
bool state_begin_phase(PGconn *c, const char *name, enum phase ph, bool rollback, char *err, size_t errlen);
/* SQL (no parameters) that records `progress` finished steps; run inside a
 * step's own transaction so the step and its record commit together. */
char *state_progress_sql(const char *name, int progress);
bool state_set_progress(PGconn *c, const char *name, int progress, char *err, size_t errlen);
/* The running phase finished: phase_done becomes `phase_done`. */
bool state_end_phase(PGconn *c, const char *name, int phase_done, char *err, size_t errlen);
/* The running phase failed; `rolled_back` says whether its steps were undone. */
bool state_fail(PGconn *c, const char *name, const char *error, bool rolled_back, char *err, size_t errlen);
bool state_set_paused(PGconn *c, const char *name, bool paused, char *err, size_t errlen);
/* A request from another terminal (pgstep pause, resume, release, set),
 * as state_take_request gives it. */
struct request {
	bool taken;		/* one was consumed (kind is "" when it was refused) */
	char kind[16];		/* "pause", "resume", "release", "set"; "" */
	char arg[256];		/* set's key=value; "" */
	char by[64];		/* the role that wrote it */
};

/* The oldest request for the migration, consumed; rq->taken false when
 * there is none. One written by a role that may not run migrations (not a
 * member of the owner of schema pgstep) is consumed and not returned:
 * rq->kind is "" and `refused` says so, for the log ("" otherwise). */
bool state_take_request(PGconn *c, const char *name, struct request *rq, char *refused, size_t refusedlen,
			char *err, size_t errlen);
/* Queues a request (arg: set's key=value, else NULL), signed with the
 * current role. */
bool state_request(PGconn *c, const char *name, const char *req, const char *arg, char *err, size_t errlen);
/* The migration waits at the switch gate: records since when, unless it
 * waited there before (a run stopped at the gate and started again);
 * state_begin_phase ends it. */
bool state_gate_enter(PGconn *c, const char *name, time_t *since, char *err, size_t errlen);

/* One row of pgstep.steps: every statement run, with its attempts. */
bool state_log_step(PGconn *c, const char *name, enum phase ph, int step, bool rollback, const char *summary,
		    const char *sql, int attempts, int64_t lock_wait_ms, int64_t duration_ms, const char *error);

/* Reads a step's checkpoint; free it with state_checkpoint_free (also
 * after a failure). */
bool state_checkpoint_get(PGconn *c, const char *name, int step, struct checkpoint *cp, char *err,
			  size_t errlen);
void state_checkpoint_free(struct checkpoint *cp);
/* SQL with parameters $1 migration, $2 step, $3 table, $4 last key,
 * $5 rows added, $6 rows total, $7 batch size, $8 unconverted added,
 * $9 copy seconds added, $10 rows/s over the last second: advances the
 * checkpoint in a batch's transaction. */
extern const char *const state_checkpoint_sql;
bool state_checkpoint_done(PGconn *c, const char *name, int step, char *err, size_t errlen);
/* Whether the backfill of `step` is throttled now (`signal`, NULL when
 * not) and its time throttled so far, for `pgstep status` anywhere. */
bool state_checkpoint_throttle(PGconn *c, const char *name, int step, const char *table, const char *signal,
			       int64_t throttled_ms, char *err, size_t errlen);
bool state_checkpoint_reset(PGconn *c, const char *name, char *err, size_t errlen);

/* A session advisory lock per migration. On failure `holder` describes who
 * holds it: "pid 123 (pgstep:m:expand) of role alice from host, started
 * by ...", and *operator_ (may be NULL) is false when that is not a pgstep
 * of a role that may run migrations (a member of the owner of schema
 * pgstep), which the text then says, with how to end it. */
bool state_lock(PGconn *c, const char *name, bool *got, char *holder, size_t holderlen, bool *operator_,
		char *err, size_t errlen);
void state_unlock(PGconn *c, const char *name);
/* Who holds the migration's lock (as state_lock says it), "" when no
 * session does: a pgstep that runs or shows it is alive. */
bool state_holder(PGconn *c, const char *name, char *holder, size_t holderlen, char *err, size_t errlen);
/* For a migration read as running: who holds it (state_holder), and
 * *stopped when nobody does and it is still recorded as running (its
 * pgstep died); neither when it finished meanwhile. */
bool state_who_runs(PGconn *c, const char *name, char *holder, size_t holderlen, bool *stopped, char *err,
		    size_t errlen);

int state_phase_from_text(const char *s);	/* -1 for "pending" or unknown */
const char *state_phase_text(int ph);		/* "pending" for -1 */

#endif
