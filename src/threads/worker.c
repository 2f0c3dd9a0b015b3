/* The worker thread: one connection, a command queue, and the engine. */
#include "config.h"
#include "base/backoff.h"
#include "base/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/catalog.h"
#include "store/conn.h"
#include "engine/engine.h"
#include "lint/lint.h"
#include "store/state.h"
#include "base/strbuf.h"
#include "threads/monitor.h"
#include "threads/worker.h"
#include "base/xalloc.h"
#include "engine/live.h"

#define QUEUE_LEN 32
#define REFRESH_MS 2000

struct blocker_job;

struct worker {
	pthread_t thread;
	pthread_t canceller;		/* runs engine_cancel for :abort */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_cond_t cancel_cv;	/* wakes the canceller; with mu */
	bool cancel_wanted;		/* guarded by mu */
	struct blocker_job *jobs;	/* :cancel/:terminate threads not yet joined; guarded by mu */
	char *conninfo;
	char *plans_dir;
	char *hooks_dir;
	int notify_fd;

	struct worker_cmd queue[QUEUE_LEN];
	int qhead, qlen;
	uint64_t queued_seq;		/* of the last command queued */
	bool quit;

	struct engine_control ctl;
	struct worker_status st;	/* published; guarded by mu */
	uint64_t log_seq;		/* guarded by mu */
	struct {			/* the last statements in full; guarded by mu */
		uint64_t seq;
		char *line;
		char *sql;
	} stmts[WORKER_STATEMENTS];
	int stmt_next;
	char selected[64];		/* guarded by mu */
	struct monitor *mon;		/* the list's reader, or NULL; guarded by mu */

	/* owned by the worker thread */
	struct mig_row rows[ST_MAX_MIGS];	/* refresh's work space (too big for its stack) */
	char held_by[ST_MAX_MIGS][512];		/* and who holds each row's lock */
	PGconn *conn;
	struct engine eng;
	bool eng_ready;
	struct worker_cmd resume_after_reconnect;
	bool has_resume;
};

const char *
activity_name(enum activity a)
{
	switch (a) {
	case ACTIVITY_IDLE:
		return "idle";
	case ACTIVITY_RUNNING:
		return "running";
	case ACTIVITY_PAUSED:
		return "PAUSED";
	case ACTIVITY_WAIT_LAG:
		return "WAITING: replica lag";
	case ACTIVITY_WAIT_LOCK:
		return "WAITING: lock";
	case ACTIVITY_THROTTLED:
		return "THROTTLED";
	case ACTIVITY_FAILED:
		return "FAILED";
	case ACTIVITY_GATE:
		return "WAITING: switch gate";
	}
	return "?";
}

/* Called with mu held: makes the change visible and wakes the console. */
static void
publish_locked(struct worker *w)
{
	w->st.version++;
	if (w->notify_fd >= 0) {
		char b = 'w';

		if (write(w->notify_fd, &b, 1) < 0 && errno != EAGAIN) {
			/* the console reads snapshots on its timer anyway */
		}
	}
}

static void
log_locked(struct worker *w, char level, const char *msg)
{
	int slot;

	if (w->st.n_log < ST_LOG_LINES)
		slot = (w->st.log_head + w->st.n_log++) % ST_LOG_LINES;
	else {
		slot = w->st.log_head;
		w->st.log_head = (w->st.log_head + 1) % ST_LOG_LINES;
	}
	w->st.log[slot].at = time(NULL);
	w->st.log[slot].level = level;
	w->st.log[slot].seq = ++w->log_seq;
	str_copy(w->st.log[slot].text, sizeof(w->st.log[slot].text), msg);
}

static void wlog(struct worker *w, char level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
wlog(struct worker *w, char level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&w->mu);
	log_locked(w, level, buf);
	publish_locked(w);
	pthread_mutex_unlock(&w->mu);
}

/* ---- engine hooks ---- */

static void
hook_log(void *ud, char level, const char *msg)
{
	struct worker *w = ud;

	pthread_mutex_lock(&w->mu);
	log_locked(w, level, msg);
	publish_locked(w);
	pthread_mutex_unlock(&w->mu);
}

/* A statement's log line is its step's summary and what it cost; the
 * SQL itself, kept aside whole, is what Enter on the line shows. */
static void
hook_statement(void *ud, const struct statement_run *run)
{
	struct worker *w = ud;
	char *line = xasprintf("%s%s: %d attempt%s, lock wait %lld ms, %lld ms", run->rollback ? "undo: " : "",
			       run->summary, run->attempts, run->attempts == 1 ? "" : "s",
			       (long long) run->lock_wait_ms, (long long) run->duration_ms);
	int i;

	pthread_mutex_lock(&w->mu);
	log_locked(w, 'S', line);
	i = w->stmt_next;
	w->stmt_next = (w->stmt_next + 1) % WORKER_STATEMENTS;
	free(w->stmts[i].line);
	free(w->stmts[i].sql);
	w->stmts[i].seq = w->log_seq;
	w->stmts[i].line = line;
	w->stmts[i].sql = xstrdup(run->sql);
	publish_locked(w);
	pthread_mutex_unlock(&w->mu);
}

static void
hook_step(void *ud, enum phase ph, bool rollback, int index, int count, const char *summary)
{
	struct worker *w = ud;

	pthread_mutex_lock(&w->mu);
	w->st.phase_running = (int) ph;
	w->st.rolling_back = rollback;
	w->st.step_index = index;
	w->st.step_count = count;
	str_copy(w->st.step_summary, sizeof(w->st.step_summary), summary);
	publish_locked(w);
	pthread_mutex_unlock(&w->mu);
}

static void
hook_activity(void *ud, enum activity a, const char *detail, int attempts)
{
	struct worker *w = ud;

	pthread_mutex_lock(&w->mu);
	w->st.activity = a;
	w->st.attempts = attempts;
	str_copy(w->st.activity_detail, sizeof(w->st.activity_detail), detail);
	if (a == ACTIVITY_FAILED) {
		str_copy(w->st.last_error, sizeof(w->st.last_error), detail);
		w->st.refused = false;
		w->st.error_version = w->st.version + 1;
	}
	publish_locked(w);
	pthread_mutex_unlock(&w->mu);
}

static void
hook_progress(void *ud, const struct backfill_progress *bp)
{
	struct worker *w = ud;

	pthread_mutex_lock(&w->mu);
	w->st.bf = *bp;
	publish_locked(w);
	pthread_mutex_unlock(&w->mu);
}

/* ---- state refresh ---- */

struct phase_totals {
	char name[64];
	int phase;
	int steps, attempts;
	int64_t wait_ms, dur_ms;
};

/* Each phase's figures are those of its current run: the forward steps
 * after the last time it was undone (engine.c records a rollback's start
 * in pgstep.steps, whether or not the phase has statements to undo). */
static void
fill_phase_info(struct worker *w, struct mig_row *rows, int n)
{
	PGresult *r = PQexec(w->conn,
			     "SELECT s.migration, s.phase, count(*), sum(s.attempts), sum(s.lock_wait_ms), "
			     "sum(s.duration_ms) FROM pgstep.steps s "
			     "WHERE s.direction = 'forward' AND s.error IS NULL AND s.id > coalesce(("
			     "SELECT max(u.id) FROM pgstep.steps u WHERE u.migration = s.migration "
			     "AND u.phase = s.phase AND u.direction = 'rollback'), 0) "
			     "GROUP BY s.migration, s.phase");

	if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		for (int i = 0; i < PQntuples(r); i++) {
			int ph = state_phase_from_text(PQgetvalue(r, i, 1));

			if (ph < 0)
				continue;
			for (int j = 0; j < n; j++) {
				if (strcmp(rows[j].name, PQgetvalue(r, i, 0)) != 0)
					continue;
				rows[j].phases[ph].steps = atoi(PQgetvalue(r, i, 2));
				rows[j].phases[ph].attempts = atoi(PQgetvalue(r, i, 3));
				rows[j].phases[ph].lock_wait_ms = atoll(PQgetvalue(r, i, 4));
				rows[j].phases[ph].duration_ms = atoll(PQgetvalue(r, i, 5));
			}
		}
	}
	PQclear(r);
}

/* 24742 -> "24,742". */
static void
fmt_thousands(int64_t n, char *buf, size_t len)
{
	char digits[32];
	size_t nd, o = 0;

	snprintf(digits, sizeof(digits), "%lld", (long long) (n < 0 ? -n : n));
	nd = strlen(digits);
	if (n < 0 && o + 1 < len)
		buf[o++] = '-';
	for (size_t i = 0; i < nd && o + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* What the console must know before offering `r` or a contract: whether
 * the rollback would be refused, and what the contract destroys. */
static void
fill_irreversible(struct mig_row *m, const struct catalog_entry *en)
{
	const struct compiled *c = en->compiled;
	const struct step *blocker;
	int ph;

	if (!c || en->changed)
		return;		/* the engine answers when asked */
	blocker = engine_undo_blocker(c, &en->rec, &ph);
	if (blocker)
		snprintf(m->undo_refused, sizeof(m->undo_refused), "cannot roll back %s of %.63s: it destroyed data (%.100s)",
			 phase_name((enum phase) ph), m->name, blocker->summary);
	for (size_t i = 0; i < c->n[PHASE_CONTRACT] && m->n_contract_drops < 3; i++) {
		const struct step *s = &c->steps[PHASE_CONTRACT][i];

		if (s->irreversible)
			snprintf(m->contract_drops[m->n_contract_drops++], sizeof(m->contract_drops[0]), "%.63s%s%.150s",
				 s->table ? s->table : "", s->table ? ": " : "", s->summary);
	}
}

/* One table's values the backfill could not convert, among what the
 * contract drops (shown only when it drops something). */
static void
add_unconverted(struct mig_row *m, const char *table, int64_t n)
{
	char count[32];

	if (m->n_contract_drops == 0 || m->n_contract_drops >= 4)
		return;
	fmt_thousands(n, count, sizeof(count));
	snprintf(m->contract_drops[m->n_contract_drops++], sizeof(m->contract_drops[0]),
		 "%.63s: %s values that did not convert are dropped with it", table, count);
}

/* The values each migration's backfill could not convert: its contract
 * drops them with the old column. */
static void
fill_unconverted(struct worker *w, struct mig_row *rows, int n)
{
	PGresult *r = PQexec(w->conn,
			     "SELECT migration, table_name, sum(unconverted) FROM pgstep.backfill "
			     "GROUP BY migration, table_name HAVING sum(unconverted) > 0 ORDER BY 1, 2");

	for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
		for (int j = 0; j < n; j++)
			if (strcmp(rows[j].name, PQgetvalue(r, i, 0)) == 0)
				add_unconverted(&rows[j], PQgetvalue(r, i, 1), atoll(PQgetvalue(r, i, 2)));
	}
	PQclear(r);
}

/* How old the monitor's list may be to stand for a refresh. */
#define LIST_FRESH_MS 3000

/* The catalog, with the recorded state read in one round trip: the one
 * the monitor made with its poll (from_monitor), else this worker's own. */
static bool
load_catalog(struct worker *w, struct catalog *cat, bool from_monitor, char *err, size_t errlen)
{
	struct overview ov = {0};
	struct monitor *mon;
	struct timespec ts;
	bool ok = false, used = false;

	pthread_mutex_lock(&w->mu);
	mon = w->mon;
	pthread_mutex_unlock(&w->mu);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (from_monitor && mon && monitor_list(mon, &ov) && ov.ok && !ov.legacy &&
	    (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - ov.read_ms < LIST_FRESH_MS) {
		ok = catalog_load_overview(cat, w->plans_dir, &ov, err, errlen);
		used = true;
	}
	overview_free(&ov);
	if (!used)
		ok = catalog_load(cat, w->plans_dir, w->conn, err, errlen);
	return ok;
}

static void
refresh(struct worker *w, bool from_monitor)
{
	struct catalog cat;
	char err[512];
	struct mig_row *rows = w->rows;
	char (*held_by)[512] = w->held_by;
	int n = 0;
	char selected[64], holder[512] = "";
	bool held = false, overview;

	if (!load_catalog(w, &cat, from_monitor, err, sizeof(err))) {
		wlog(w, 'E', "%s", err);
		catalog_free(&cat);
		return;
	}
	/* the whole list in one round trip (overview.h), unless the schema is
	 * older than this pgstep */
	overview = cat.overview;
	memset(rows, 0, sizeof(w->rows));
	memset(held_by, 0, sizeof(w->held_by));
	for (size_t i = 0; i < cat.n && n < ST_MAX_MIGS; i++, n++) {
		const struct catalog_entry *en = &cat.v[i];
		struct mig_row *m = &rows[n];

		str_copy(m->name, sizeof(m->name), en->name);
		str_copy(m->file, sizeof(m->file), en->path ? en->path : "");
		m->phase_done = en->rec.phase_done;
		m->changed = en->changed;
		m->invalid = en->path && !en->plan;
		str_copy(m->error, sizeof(m->error), en->error ? en->error : en->rec.error);
		if (m->invalid)
			snprintf(m->status, sizeof(m->status), "invalid");
		else if (!en->rec.exists)
			snprintf(m->status, sizeof(m->status), "pending");
		else if (en->rec.paused && en->rec.running >= 0)
			snprintf(m->status, sizeof(m->status), "paused");
		else if (en->stopped)
			snprintf(m->status, sizeof(m->status), "stopped");
		else
			str_copy(m->status, sizeof(m->status), en->rec.status);
		m->started_at = en->rec.started_at;
		m->updated_at = en->rec.updated_at;
		str_copy(m->version_schema, sizeof(m->version_schema), en->version_schema);
		if (!en->tables_known)
			str_copy(m->tables, sizeof(m->tables), "?");
		for (size_t t = 0; en->tables_known && t < en->tables.n; t++) {
			size_t used = strlen(m->tables);

			snprintf(m->tables + used, sizeof(m->tables) - used, "%s%s", t ? ", " : "", en->tables.v[t]);
		}
		for (int ph = 0; ph < N_PHASES; ph++) {
			const char *s = "";

			if (en->rec.running == ph)
				s = en->rec.rolling_back ? "undoing" :
					strcmp(en->rec.status, "failed") == 0 ? "failed" : "running";
			else if (ph <= en->rec.phase_done)
				s = "done";
			str_copy(m->phases[ph].state, sizeof(m->phases[ph].state), s);
		}
		fill_irreversible(m, en);
		/* read with the list, in its one round trip */
		for (int ph = 0; overview && ph < N_PHASES; ph++) {
			m->phases[ph].steps = en->ov.phases[ph].steps;
			m->phases[ph].attempts = en->ov.phases[ph].attempts;
			m->phases[ph].lock_wait_ms = en->ov.phases[ph].lock_wait_ms;
			m->phases[ph].duration_ms = en->ov.phases[ph].duration_ms;
		}
		for (int u = 0; overview && u < en->ov.n_unconverted; u++)
			add_unconverted(m, en->ov.unconverted[u].table, en->ov.unconverted[u].n);
		if (overview && en->ov.held_by[0])
			str_copy(held_by[n], sizeof(held_by[n]), en->ov.held_by);
	}
	catalog_free(&cat);
	if (!overview) {
		/* a schema older than this pgstep: a query for each */
		fill_phase_info(w, rows, n);
		fill_unconverted(w, rows, n);
	}

	pthread_mutex_lock(&w->mu);
	str_copy(selected, sizeof(selected), w->selected);
	pthread_mutex_unlock(&w->mu);
	/* Read-only when someone else holds the selected migration: the list
	 * says who holds each; an older schema is asked. */
	if (selected[0] && !(w->eng.locked && strcmp(w->eng.locked_name, selected) == 0) && overview) {
		for (int i = 0; i < n; i++)
			if (strcmp(rows[i].name, selected) == 0 && held_by[i][0]) {
				held = true;
				str_copy(holder, sizeof(holder), held_by[i]);
			}
	} else if (selected[0] && !(w->eng.locked && strcmp(w->eng.locked_name, selected) == 0)) {
		bool got = false;

		if (state_ensure(w->conn, err, sizeof(err)) &&
		    state_lock(w->conn, selected, &got, holder, sizeof(holder), NULL, err, sizeof(err))) {
			if (got)
				state_unlock(w->conn, selected);
			held = !got;
		}
	}
	pthread_mutex_lock(&w->mu);
	memcpy(w->st.migs, rows, sizeof(w->rows));
	w->st.n_migs = n;
	for (int i = 0; i < n; i++)
		if (held && strcmp(rows[i].name, selected) == 0)
			str_copy(w->st.migs[i].held_by, sizeof(w->st.migs[i].held_by), holder);
	w->st.read_only = held;
	str_copy(w->st.read_only_reason, sizeof(w->st.read_only_reason), held ? holder : "");
	publish_locked(w);
	pthread_mutex_unlock(&w->mu);
}

/* ---- connection ---- */

static bool
ensure_connected(struct worker *w)
{
	char err[512];
	struct backoff backoff = BACKOFF_INIT;

	if (w->conn && PQstatus(w->conn) == CONNECTION_OK)
		return true;
	if (w->conn) {
		if (w->eng_ready)
			engine_release(&w->eng);
		w->eng_ready = false;
		PQfinish(w->conn);
		w->conn = NULL;
	}
	for (;;) {
		pthread_mutex_lock(&w->mu);
		bool quit = w->quit;

		pthread_mutex_unlock(&w->mu);
		if (quit)
			return false;
		w->conn = conn_open(w->conninfo, "pgstep:worker", err, sizeof(err));
		if (w->conn)
			break;
		int wait_ms = backoff_next(&backoff);

		pthread_mutex_lock(&w->mu);
		w->st.connected = false;
		snprintf(w->st.conn_error, sizeof(w->st.conn_error), "%.200s (retrying in %ds)", err, wait_ms / 1000);
		publish_locked(w);
		/* wait, but wake at once on quit */
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += wait_ms / 1000;
		if (!w->quit)
			pthread_cond_timedwait(&w->cv, &w->mu, &ts);
		pthread_mutex_unlock(&w->mu);
	}
	engine_init(&w->eng, w->conn, w->conninfo, &w->ctl);
	w->eng.hooks = (struct engine_hooks) {
		.ud = w, .log = hook_log, .step = hook_step, .activity = hook_activity, .progress = hook_progress,
		.statement = hook_statement,
	};
	w->eng.hooks_dir = w->hooks_dir;
	w->eng_ready = true;
	pthread_mutex_lock(&w->mu);
	w->st.connected = true;
	w->st.backend_pid = PQbackendPID(w->conn);
	w->st.conn_error[0] = '\0';
	str_copy(w->st.database, sizeof(w->st.database), PQdb(w->conn));
	snprintf(w->st.server_version, sizeof(w->st.server_version), "%s",
		 PQparameterStatus(w->conn, "server_version") ? PQparameterStatus(w->conn, "server_version") : "?");
	publish_locked(w);
	pthread_mutex_unlock(&w->mu);
	return true;
}

/* ---- commands ---- */

struct blocker_job {
	char *conninfo;
	int pid;
	bool terminate;
	struct worker *w;
	pthread_t thread;
	bool done;			/* its thread is about to return; guarded by w->mu */
	struct blocker_job *next;
};

static bool
quitting(struct worker *w)
{
	bool q;

	pthread_mutex_lock(&w->mu);
	q = w->quit;
	pthread_mutex_unlock(&w->mu);
	return q;
}

/* Logs a line and makes it the notice the console shows. */
static void notice(struct worker *w, char level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
notice(struct worker *w, char level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&w->mu);
	log_locked(w, level, buf);
	str_copy(w->st.notice, sizeof(w->st.notice), buf);
	w->st.notice_level = level;
	w->st.notice_seq++;
	publish_locked(w);
	pthread_mutex_unlock(&w->mu);
}

/* The backend's state ("" when it is gone); false when the query failed. */
static bool
backend_state(PGconn *c, const char *pid, char *state, size_t len)
{
	const char *p[1] = {pid};
	PGresult *r = PQexecParams(c, "SELECT coalesce(state, '') FROM pg_catalog.pg_stat_activity WHERE pid = $1::int",
				   1, NULL, p, NULL, NULL, 0);
	bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;

	state[0] = '\0';
	if (ok && PQntuples(r) == 1)
		snprintf(state, len, "%s", PQgetvalue(r, 0, 0)[0] ? PQgetvalue(r, 0, 0) : "no state");
	PQclear(r);
	return ok;
}

/* How long a terminated backend gets to exit, or a cancelled query to
 * stop, before the outcome is reported. */
#define KILL_SETTLE_MS 3000

/*
 * Cancelling or terminating a blocker must not wait for the worker, which
 * may be busy in a batch: a short-lived thread with its own connection
 * does it. pg_cancel_backend cannot end a session idle in a transaction
 * (it cancels only a running query), so that is refused with the advice
 * to terminate. Afterwards it says whether the backend is gone.
 */
static void *
blocker_thread(void *arg)
{
	struct blocker_job *j = arg;
	const char *verb = j->terminate ? "terminate" : "cancel";
	char err[512], pid[16], state[64], after[64];
	const char *p[1] = {pid};
	PGconn *c = conn_open(j->conninfo, "pgstep:cancel", err, sizeof(err));
	PGresult *r = NULL;

	snprintf(pid, sizeof(pid), "%d", j->pid);
	if (!c) {
		notice(j->w, 'E', "cannot %s pid %d: %s", verb, j->pid, err);
		goto out;
	}
	if (!backend_state(c, pid, state, sizeof(state))) {
		notice(j->w, 'E', "cannot %s pid %d: %s", verb, j->pid, PQerrorMessage(c));
		goto out;
	}
	if (!state[0]) {
		notice(j->w, 'W', "%s pid %d: no such backend", verb, j->pid);
		goto out;
	}
	if (!j->terminate && strncmp(state, "idle in transaction", 19) == 0) {
		notice(j->w, 'W', "cancel pid %d: %s, no query to cancel; :terminate %d ends it", j->pid, state, j->pid);
		goto out;
	}
	r = PQexecParams(c, j->terminate ? "SELECT pg_catalog.pg_terminate_backend($1::int)"
			 : "SELECT pg_catalog.pg_cancel_backend($1::int)", 1, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		conn_result_error(r, c, err, sizeof(err));
		notice(j->w, 'E', "cannot %s pid %d: %s", verb, j->pid, err);
		goto out;
	}
	if (PQgetvalue(r, 0, 0)[0] != 't') {
		notice(j->w, 'W', "%s pid %d: no such backend", verb, j->pid);
		goto out;
	}
	/* Wait for the outcome: the backend gone (terminate), or its query
	 * stopped (cancel: the session stays). */
	for (int64_t t0 = clock_now_ms();;) {
		if (!backend_state(c, pid, after, sizeof(after))) {
			notice(j->w, 'E', "%s pid %d: sent; cannot tell what became of it: %s", verb, j->pid,
			       PQerrorMessage(c));
			goto out;
		}
		if (!after[0] || (!j->terminate && strcmp(after, "active") != 0) ||
		    clock_now_ms() - t0 >= KILL_SETTLE_MS || quitting(j->w))
			break;
		usleep(50 * 1000);
	}
	if (!after[0])
		notice(j->w, 'W', "%s pid %d: done; the session is gone", verb, j->pid);
	else if (j->terminate)
		notice(j->w, 'W', "terminate pid %d: sent, but the session is still there (%s) after %ds", j->pid, after,
		       KILL_SETTLE_MS / 1000);
	else if (strncmp(after, "idle in transaction", 19) == 0)
		notice(j->w, 'W', "cancel pid %d: done; now %s: :terminate %d ends it", j->pid, after, j->pid);
	else
		notice(j->w, 'W', "cancel pid %d: done; the session is still there, now %s", j->pid, after);
out:
	PQclear(r);
	if (c)
		PQfinish(c);
	/* worker_send or worker_stop joins it and frees j */
	pthread_mutex_lock(&j->w->mu);
	j->done = true;
	pthread_mutex_unlock(&j->w->mu);
	return NULL;
}

/* Joins the blocker threads that are over (all of them when `all`, which
 * waits for those still running). */
static void
join_jobs(struct worker *w, bool all)
{
	struct blocker_job *over = NULL, **pp;

	pthread_mutex_lock(&w->mu);
	for (pp = &w->jobs; *pp;) {
		struct blocker_job *j = *pp;

		if (all || j->done) {
			*pp = j->next;
			j->next = over;
			over = j;
		} else
			pp = &j->next;
	}
	pthread_mutex_unlock(&w->mu);
	while (over) {
		struct blocker_job *j = over;

		over = j->next;
		pthread_join(j->thread, NULL);
		free(j->conninfo);
		free(j);
	}
}

/*
 * The canceller: :abort's PQcancel opens a connection to the server and
 * waits for its answer, which the console must never do (an unreachable
 * server would freeze it), and the worker thread cannot, being inside the
 * statement to cancel. It sleeps until worker_send asks.
 */
static void *
canceller_main(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->cancel_wanted && !w->quit)
			pthread_cond_wait(&w->cancel_cv, &w->mu);
		if (w->quit)
			break;
		w->cancel_wanted = false;
		pthread_mutex_unlock(&w->mu);
		engine_cancel(&w->ctl);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* As headless step and run do: what would lock or rewrite a table is
 * said, in the log, before it runs; it never stops anything. */
static void
log_lint_warnings(struct worker *w, const struct catalog_entry *en)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	lint_warn(f, en->plan, en->compiled);
	fclose(f);
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		wlog(w, 'W', "%s", strncmp(line, "pgstep: ", 8) == 0 ? line + 8 : line);
	free(text);
}

static void
run_command(struct worker *w, const struct worker_cmd *cmd)
{
	struct catalog cat;
	struct catalog_entry *en;
	char err[2048] = "";
	enum engine_result rc;

	if (!catalog_load(&cat, w->plans_dir, NULL, err, sizeof(err))) {
		wlog(w, 'E', "%s", err);
		return;
	}
	en = catalog_find(&cat, cmd->name);
	if (!en || !en->plan) {
		wlog(w, 'E', "%s: %s", cmd->name, en && en->error ? en->error : "no such plan in the plans directory");
		catalog_free(&cat);
		return;
	}
	pthread_mutex_lock(&w->mu);
	str_copy(w->st.current, sizeof(w->st.current), cmd->name);
	w->st.last_error[0] = '\0';
	w->st.refused = false;
	memset(&w->st.bf, 0, sizeof(w->st.bf));
	publish_locked(w);
	pthread_mutex_unlock(&w->mu);
	atomic_store(&w->ctl.abort_, 0);
	atomic_store(&w->ctl.pause, 0);
	if (cmd->kind != WCMD_ROLLBACK)
		log_lint_warnings(w, en);

	if (cmd->kind == WCMD_STEP)
		rc = engine_step(&w->eng, en->plan, en->compiled, err, sizeof(err));
	else if (cmd->kind == WCMD_RUN_TO)
		rc = engine_run_to(&w->eng, en->plan, en->compiled, (enum phase) cmd->arg, err, sizeof(err));
	else
		rc = engine_rollback(&w->eng, en->plan, en->compiled, err, sizeof(err));

	if (rc != ENG_OK && rc != ENG_STOPPED)
		wlog(w, 'E', "%s", err);
	if (rc == ENG_FAILED && PQstatus(w->conn) != CONNECTION_OK) {
		/* Lost the server: resume from the checkpoint once back. */
		w->resume_after_reconnect = *cmd;
		w->has_resume = true;
		wlog(w, 'W', "connection lost; %s resumes from its checkpoint after reconnecting", cmd->name);
	}
	/* Keep holding only while there is something to drive; the idle
	 * session no longer names the migration in pg_stat_activity. */
	if (w->eng.locked) {
		state_unlock(w->conn, w->eng.locked_name);
		w->eng.locked = false;
	}
	if (PQstatus(w->conn) == CONNECTION_OK && !conn_set_appname(w->conn, "pgstep:worker"))
		wlog(w, 'W', "could not reset application_name: %s", PQerrorMessage(w->conn));
	pthread_mutex_lock(&w->mu);
	w->st.current[0] = '\0';
	w->st.phase_running = -1;
	w->st.bf.active = false;
	if (rc != ENG_FAILED && rc != ENG_HELD && rc != ENG_REFUSED)
		w->st.activity = ACTIVITY_IDLE;
	else if (rc != ENG_FAILED) {
		/* Refused (held, another open migration has its table, ...):
		 * the console says so at once, over the message of the key. */
		w->st.activity = ACTIVITY_FAILED;
		str_copy(w->st.last_error, sizeof(w->st.last_error), err);
		w->st.refused = true;
		w->st.error_version = w->st.version + 1;
	}
	publish_locked(w);
	pthread_mutex_unlock(&w->mu);
	catalog_free(&cat);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	bool fresh = true;	/* the next refresh reads the list itself */

	for (;;) {
		struct worker_cmd cmd;
		bool have = false, quit;

		if (!ensure_connected(w))
			break;
		if (w->has_resume) {
			w->has_resume = false;
			run_command(w, &w->resume_after_reconnect);
			pthread_mutex_lock(&w->mu);
			w->st.cmd_done = w->resume_after_reconnect.seq;
			publish_locked(w);
			pthread_mutex_unlock(&w->mu);
			fresh = true;
			continue;
		}
		/* a timed refresh takes the monitor's list; the first one and
		 * those after a command read it here */
		refresh(w, !fresh);
		fresh = false;
		if (PQstatus(w->conn) != CONNECTION_OK)
			continue;
		pthread_mutex_lock(&w->mu);
		if (w->qlen == 0 && !w->quit) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += (long) REFRESH_MS % 1000 * 1000000;
			ts.tv_sec += REFRESH_MS / 1000 + ts.tv_nsec / 1000000000;
			ts.tv_nsec %= 1000000000;
			pthread_cond_timedwait(&w->cv, &w->mu, &ts);
		}
		quit = w->quit;
		if (w->qlen > 0) {
			cmd = w->queue[w->qhead];
			w->qhead = (w->qhead + 1) % QUEUE_LEN;
			w->qlen--;
			have = true;
		}
		pthread_mutex_unlock(&w->mu);
		if (quit)
			break;
		if (!have)
			continue;
		fresh = true;
		switch (cmd.kind) {
		case WCMD_STEP:
		case WCMD_RUN_TO:
		case WCMD_ROLLBACK:
			run_command(w, &cmd);
			break;
		default:
			break;	/* handled in worker_send or by the next refresh */
		}
		/* What the console said it was doing is over. */
		pthread_mutex_lock(&w->mu);
		w->st.cmd_done = cmd.seq;
		publish_locked(w);
		pthread_mutex_unlock(&w->mu);
	}
	if (w->eng_ready)
		engine_release(&w->eng);
	if (w->conn)
		PQfinish(w->conn);
	w->conn = NULL;
	return NULL;
}

void
worker_use_monitor(struct worker *w, struct monitor *m)
{
	monitor_read_list(m);
	pthread_mutex_lock(&w->mu);
	w->mon = m;
	pthread_mutex_unlock(&w->mu);
}

struct worker *
worker_start(const struct worker_config *cfg)
{
	struct worker *w = xcalloc(1, sizeof(*w));

	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	pthread_cond_init(&w->cancel_cv, NULL);
	engine_control_init(&w->ctl);
	w->conninfo = cfg->conninfo ? xstrdup(cfg->conninfo) : NULL;
	w->plans_dir = xstrdup(cfg->plans_dir ? cfg->plans_dir : "plans");
	w->hooks_dir = cfg->hooks_dir ? xstrdup(cfg->hooks_dir) : NULL;
	w->notify_fd = cfg->notify_fd;
	w->st.phase_running = -1;
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0 ||
	    pthread_create(&w->canceller, NULL, canceller_main, w) != 0) {
		fputs("pgstep: cannot start the worker thread\n", stderr);
		abort();
	}
	return w;
}

bool
worker_send(struct worker *w, const struct worker_cmd *cmd)
{
	bool ok = true;

	/* Requests that act on a running phase go straight to its control
	 * flags: the worker thread is busy inside that phase. */
	switch (cmd->kind) {
	case WCMD_PAUSE:
		atomic_store(&w->ctl.pause, 1);
		wlog(w, 'I', "pause requested");
		return true;
	case WCMD_RESUME:
		atomic_store(&w->ctl.pause, 0);
		wlog(w, 'I', "resume requested");
		return true;
	case WCMD_BATCH: {
		int n = cmd->arg <= 0 ? 0 : cmd->arg < BATCH_MIN ? BATCH_MIN : cmd->arg > BATCH_MAX ? BATCH_MAX : cmd->arg;

		char v[16], why[512];

		/* the operator's batch size is live's batch_size (live.h) */
		snprintf(v, sizeof(v), "%d", n);
		if (!live_set(&w->ctl.live, "batch_size", n > 0 ? v : "plan", why, sizeof(why))) {
			wlog(w, 'W', "batch size %d refused: %s", n, why);
			return false;
		}
		pthread_mutex_lock(&w->mu);
		if (n > 0)
			w->st.bf.batch_size = n;
		pthread_mutex_unlock(&w->mu);
		if (n > 0)
			wlog(w, 'I', "batch size set to %d%s", n, n != cmd->arg ? " (the nearest allowed)" : "");
		else
			wlog(w, 'I', "batch size adaptive again");
		return true;
	}
	case WCMD_RELEASE:
		atomic_store(&w->ctl.release, 1);
		wlog(w, 'I', "switch gate release requested");
		return true;
	case WCMD_SET: {
		char msg[1024];

		if (!live_set_assignment(&w->ctl.live, cmd->text, msg, sizeof(msg))) {
			wlog(w, 'W', "set %s refused: %s", cmd->text, msg);
			return false;
		}
		wlog(w, 'I', "set %s: %s", cmd->text, msg);
		return true;
	}
	case WCMD_ABORT:
		atomic_store(&w->ctl.abort_, 1);
		pthread_mutex_lock(&w->mu);
		w->cancel_wanted = true;
		pthread_cond_signal(&w->cancel_cv);
		pthread_mutex_unlock(&w->mu);
		wlog(w, 'W', "abort requested: cancelling the running statement");
		return true;
	case WCMD_CANCEL_PID:
	case WCMD_TERMINATE_PID: {
		struct blocker_job *j = xcalloc(1, sizeof(*j));

		join_jobs(w, false);
		j->conninfo = w->conninfo ? xstrdup(w->conninfo) : NULL;
		j->pid = cmd->arg;
		j->terminate = cmd->kind == WCMD_TERMINATE_PID;
		j->w = w;
		/* listed before it starts, under mu: worker_stop joins every one */
		pthread_mutex_lock(&w->mu);
		if (pthread_create(&j->thread, NULL, blocker_thread, j) != 0) {
			pthread_mutex_unlock(&w->mu);
			free(j->conninfo);
			free(j);
			return false;
		}
		j->next = w->jobs;
		w->jobs = j;
		pthread_mutex_unlock(&w->mu);
		return true;
	}
	case WCMD_SELECT:
		pthread_mutex_lock(&w->mu);
		str_copy(w->selected, sizeof(w->selected), cmd->name);
		pthread_cond_signal(&w->cv);
		pthread_mutex_unlock(&w->mu);
		return true;
	default:
		break;
	}
	pthread_mutex_lock(&w->mu);
	if (w->qlen == QUEUE_LEN)
		ok = false;
	else {
		struct worker_cmd *q = &w->queue[(w->qhead + w->qlen) % QUEUE_LEN];

		*q = *cmd;
		q->seq = ++w->queued_seq;
		w->qlen++;
		pthread_cond_signal(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return ok;
}

uint64_t
worker_last_queued(struct worker *w)
{
	uint64_t seq;

	pthread_mutex_lock(&w->mu);
	seq = w->queued_seq;
	pthread_mutex_unlock(&w->mu);
	return seq;
}

void
worker_snapshot(struct worker *w, struct worker_status *out)
{
	pthread_mutex_lock(&w->mu);
	memcpy(out, &w->st, sizeof(*out));
	pthread_mutex_unlock(&w->mu);
}

bool
worker_log_statement(struct worker *w, uint64_t seq, char **line, char **sql)
{
	bool found = false;

	pthread_mutex_lock(&w->mu);
	for (int i = 0; i < WORKER_STATEMENTS && !found; i++) {
		if (w->stmts[i].sql && w->stmts[i].seq == seq) {
			*line = xstrdup(w->stmts[i].line);
			*sql = xstrdup(w->stmts[i].sql);
			found = true;
		}
	}
	pthread_mutex_unlock(&w->mu);
	return found;
}

void
worker_stop(struct worker *w)
{
	if (!w)
		return;
	atomic_store(&w->ctl.stop, 1);
	pthread_mutex_lock(&w->mu);
	w->quit = true;
	pthread_cond_broadcast(&w->cv);
	pthread_cond_signal(&w->cancel_cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_join(w->canceller, NULL);
	/* the blocker threads post notices into w: they end before it goes */
	join_jobs(w, true);
	engine_control_destroy(&w->ctl);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	pthread_cond_destroy(&w->cancel_cv);
	for (int i = 0; i < WORKER_STATEMENTS; i++) {
		free(w->stmts[i].line);
		free(w->stmts[i].sql);
	}
	free(w->conninfo);
	free(w->plans_dir);
	free(w->hooks_dir);
	free(w);
}
