/* What schema pgstep records of every migration, read in one round trip:
 * the migration list of `pgstep status` and of the console (whose monitor
 * sends it with the lock waits' queries, monitor.h), rather than a few
 * queries per migration. */
#ifndef PGSTEP_OVERVIEW_H
#define PGSTEP_OVERVIEW_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "store/backfill_state.h"
#include "plan/phase.h"
#include "store/state.h"

#define OV_UNCONVERTED 4

struct overview_mig {
	struct mig_record rec;
	bool tables_known;		/* false: recorded before schema version 2 */
	char tables_json[1024];		/* array_to_json(tables) */
	char version_schema[64];	/* the versioned schema it made and that exists, "" */
	char held_by[512];		/* the session holding its lock (state_lock's text), "" */
	int holder_pid;			/* 0: none */
	bool stopped;			/* recorded as running, and nobody holds it: its pgstep died */
	char requests[256];		/* requests not taken yet: "pause, set batch_size=500", "" */
	struct {
		int steps, attempts;
		int64_t lock_wait_ms, duration_ms;
	} phases[N_PHASES];		/* of each phase's current run (forward steps since its last undo) */
	struct {
		char table[64];
		int64_t n;
	} unconverted[OV_UNCONVERTED];	/* values its backfill could not convert, by table */
	int n_unconverted;
	struct backfill_state bf;	/* its backfill in progress (bf.exists), as recorded */
};

struct overview {
	bool ok;			/* read: v holds every recorded migration (none without schema pgstep) */
	bool legacy;			/* schema pgstep is older than this pgstep: read it the old way */
	char error[1024];		/* when neither */
	struct overview_mig *v;
	size_t n;
	int64_t read_ms;		/* CLOCK_MONOTONIC when it was read; 0 never */
};

/* The statements, in order: advisory locks held before, the owner check
 * of schema pgstep (state_owner_sql), every migration. None has
 * parameters; each is one statement that may be prepared. */
#define OVERVIEW_STATEMENTS 3
const char *overview_sql(int i);
/* Reads their results (res[i] NULL when statement i gave none) into ov,
 * which it empties first. False with ov->error, or with ov->legacy. */
bool overview_read(PGresult *const res[OVERVIEW_STATEMENTS], struct overview *ov);
/* The three in one simple-query round trip. */
bool overview_load(PGconn *c, struct overview *ov);

/*
 * The three appended to another's simple query (the console's monitor
 * sends them with its own: one round trip for the whole refresh), on a
 * connection where the first `prepared` are prepared already and the
 * others are prepared just before they run. Each result of the query
 * after the caller's own goes to overview_take, then overview_finish reads
 * them into ov. `prepared` follows what the server did: keep it with the
 * connection (0 for a new one).
 */
struct overview_results {
	PGresult *res[OVERVIEW_STATEMENTS];
	int n;
	int prepared;
};
void overview_batch(struct strbuf *sb, int prepared);
void overview_take(struct overview_results *orr, PGresult *r);
bool overview_finish(struct overview_results *orr, struct overview *ov);
/* dst becomes a copy of src (dst is emptied first). */
void overview_copy(struct overview *dst, const struct overview *src);
const struct overview_mig *overview_find(const struct overview *ov, const char *name);
void overview_free(struct overview *ov);

#endif
