#include "config.h"
#include "base/clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/carry.h"
#include "store/conn.h"
#include "engine/engine.h"
#include "engine/partidx.h"
#include "pg/safety.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "lint/validate.h"

void
engine_init(struct engine *e, PGconn *conn, const char *conninfo, struct engine_control *ctl)
{
	memset(e, 0, sizeof(*e));
	e->conn = conn;
	e->conninfo = conninfo;
	e->ctl = ctl;
	e->hk.phase = -1;
	/* Retry jitter must differ between processes, or two of them would
	 * retry in lockstep. */
	srandom((unsigned) time(NULL) ^ (unsigned) getpid());
}

void
engine_release(struct engine *e)
{
	if (e->locked && e->conn && PQstatus(e->conn) == CONNECTION_OK)
		state_unlock(e->conn, e->locked_name);
	e->locked = false;
	engine_hooks_settle(e, true);
	compiled_free(e->own);
	e->own = NULL;
}

void
engine_control_init(struct engine_control *ctl)
{
	memset(ctl, 0, sizeof(*ctl));
	pthread_mutex_init(&ctl->cancel_lock, NULL);
}

void
engine_control_destroy(struct engine_control *ctl)
{
	pthread_mutex_destroy(&ctl->cancel_lock);
}

void
engine_cancel(struct engine_control *ctl)
{
	char buf[256];

	pthread_mutex_lock(&ctl->cancel_lock);
	if (ctl->cancel)
		PQcancel(ctl->cancel, buf, sizeof(buf));
	pthread_mutex_unlock(&ctl->cancel_lock);
}

void
engine_arm_cancel(struct engine *e, PGcancel *cn)
{
	pthread_mutex_lock(&e->ctl->cancel_lock);
	e->ctl->cancel = cn;
	pthread_mutex_unlock(&e->ctl->cancel_lock);
}

void
engine_log(struct engine *e, char level, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (!e->hooks.log)
		return;
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	e->hooks.log(e->hooks.ud, level, sb.buf);
	sb_free(&sb);
}

void
engine_log_statement(struct engine *e, const struct statement_run *run)
{
	if (e->hooks.statement) {
		e->hooks.statement(e->hooks.ud, run);
		return;
	}
	engine_log(e, 'S', "%s%s  [%d attempt%s, lock wait %lldms, %lldms]", run->rollback ? "undo: " : "", run->sql,
		   run->attempts, run->attempts == 1 ? "" : "s", (long long) run->lock_wait_ms,
		   (long long) run->duration_ms);
}

void
engine_activity(struct engine *e, enum activity a, const char *detail, int attempts)
{
	if (e->hooks.activity)
		e->hooks.activity(e->hooks.ud, a, detail ? detail : "", attempts);
}

static PGresult *
exec_armed(struct engine *e, const char *sql, int nparams, const char *const *params, bool one)
{
	PGresult *r;
	PGcancel *cn = PQgetCancel(e->conn);

	engine_arm_cancel(e, cn);
	if (nparams > 0 || one)
		r = PQexecParams(e->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	else
		r = PQexec(e->conn, sql);
	engine_arm_cancel(e, NULL);
	if (cn)
		PQfreeCancel(cn);
	return r;
}

PGresult *
engine_exec(struct engine *e, const char *sql, int nparams, const char *const *params)
{
	return exec_armed(e, sql, nparams, params, false);
}

PGresult *
engine_exec_one(struct engine *e, const char *sql)
{
	return exec_armed(e, sql, 0, NULL, true);
}

bool
engine_sleep(struct engine *e, int ms)
{
	int64_t until = clock_now_ms() + ms;

	while (clock_now_ms() < until) {
		if (e->ctl && (atomic_load(&e->ctl->stop) || atomic_load(&e->ctl->abort_)))
			return false;
		int64_t left = until - clock_now_ms();
		struct timespec ts = {0, (long) ((left < 50 ? left : 50) * 1000000)};

		if (left > 0)
			nanosleep(&ts, NULL);
	}
	return true;
}

static bool
set_appname(struct engine *e, const char *mig, enum phase ph)
{
	char name[128];

	snprintf(name, sizeof(name), "pgstep:%s:%s", mig, phase_name(ph));
	return conn_set_appname(e->conn, name);
}

/* The key of pgstep.saved the catalog's answers are kept under. */
#define FACTS_KEY "catalog_facts"

/* A started migration runs the steps it started with: compiled with the
 * catalog's answers saved then, which are saved only when they made the
 * steps differ from the offline compile's. */
static bool
use_saved_facts(struct engine *e, const struct plan *p, const struct compiled *c, char *err, size_t errlen)
{
	struct safety_facts facts;
	char *json;

	if (!state_get_saved(e->conn, p->name, FACTS_KEY, &json, err, errlen))
		return false;
	if (!json)
		return true;	/* nothing was decided at run time */
	if (!safety_facts_from_json(json, &facts)) {
		snprintf(err, errlen, "the catalog's answers saved for migration %s cannot be read (pgstep.saved, key %s)",
			 p->name, FACTS_KEY);
		free(json);
		return false;
	}
	if (compiled_differs(c, &facts))
		e->own = compile_plan(p, &facts);
	safety_facts_free(&facts);
	free(json);
	return true;
}

/* Takes the migration's advisory lock for this session (kept until
 * engine_release) and reads its state. A migration never started is
 * registered only as it starts (start_expand). */
static enum engine_result
begin(struct engine *e, const struct plan *p, const struct compiled *c, struct mig_record *m, bool forward_,
      char *err, size_t errlen)
{
	char holder[512];
	bool got, operator_;

	compiled_free(e->own);
	e->own = NULL;

	if (!state_ensure(e->conn, err, errlen))
		return ENG_FAILED;
	if (!e->locked || strcmp(e->locked_name, p->name) != 0) {
		if (e->locked)
			state_unlock(e->conn, e->locked_name);
		e->locked = false;
		if (!state_lock(e->conn, p->name, &got, holder, sizeof(holder), &operator_, err, errlen))
			return ENG_FAILED;
		if (!got) {
			/* a holder that is no operator says so itself */
			snprintf(err, errlen, "migration %s is held by %s%s", p->name, operator_ ? "another operator: " : "",
				 holder);
			return ENG_HELD;
		}
		e->locked = true;
		snprintf(e->locked_name, sizeof(e->locked_name), "%s", p->name);
		/* `pgstep pause`, `resume`, `release` and `set` speak to the
		 * pgstep that holds the migration: one left unanswered was for a
		 * holder that is gone. */
		for (int i = 0; i < 1000; i++) {
			struct request rq;
			char refused[512];

			if (!state_take_request(e->conn, p->name, &rq, refused, sizeof(refused), err, errlen))
				return ENG_FAILED;
			if (!rq.taken)
				break;
			if (refused[0])
				engine_log(e, 'W', "%s: %s", p->name, refused);
			else
				engine_log(e, 'I', "%s: the %s%s%s request left for the pgstep that held it before is dropped",
					   p->name, rq.kind, rq.arg[0] ? " " : "", rq.arg);
		}
	}
	if (!state_get(e->conn, p->name, m, err, errlen))
		return ENG_FAILED;
	if (m->exists && strcmp(m->checksum, p->checksum) != 0 && forward_ && m->phase_done < 0 && m->running < 0) {
		/* Rolled all the way back: nothing of the old plan is applied,
		 * so the changed one starts afresh. */
		engine_log(e, 'I', "%s: plan changed while pending; starting from the new plan", p->name);
		if (!state_restart(e->conn, p->name, p->checksum, p->path, err, errlen) ||
		    !state_get(e->conn, p->name, m, err, errlen))
			return ENG_FAILED;
	}
	if (m->exists && strcmp(m->checksum, p->checksum) != 0) {
		snprintf(err, errlen,
			 "plan %s changed after migration %s was started: applied sha256:%s, file sha256:%s; "
			 "restore the applied plan, or roll the migration back and start it again",
			 p->path, p->name, m->checksum, p->checksum);
		return ENG_REFUSED;
	}
	if (!m->exists && !forward_) {
		snprintf(err, errlen, "migration %s has never been started: nothing to roll back", p->name);
		return ENG_REFUSED;
	}
	if (m->exists && (m->phase_done >= 0 || m->running >= 0)) {
		/* A migration started before schema version 2 gets its tables
		 * now: the checksum says the plan is the one applied. (A
		 * pending one gets them as it starts.) */
		struct strlist tables = {0};
		bool ok;

		compiled_tables(c, &tables);
		ok = state_set_tables(e->conn, p->name, &tables, false, err, errlen);
		strlist_free(&tables);
		if (!ok || !use_saved_facts(e, p, c, err, errlen))
			return ENG_FAILED;
	}
	return ENG_OK;
}

/* Where an open migration stands, for messages. */
static void
open_where(const struct open_mig *o, char *buf, size_t n)
{
	bool failed = strcmp(o->status, "failed") == 0;

	if (o->running < 0)
		snprintf(buf, n, "at %s%s", state_phase_text(o->phase_done), failed ? ", failed" : "");
	else if (o->rolling_back)
		snprintf(buf, n, "%s %s", failed ? "rollback failed part way in" : o->held ? "rolling back" :
			 "rollback stopped in", phase_name((enum phase) o->running));
	else
		snprintf(buf, n, "%s %s", failed ? "failed part way in" : o->held ? "running" : "stopped in",
			 phase_name((enum phase) o->running));
}

/* A migration recorded before schema version 2 has no tables on record:
 * they come from its plan file, while that is still the plan applied. */
static bool
legacy_tables(struct open_mig *o)
{
	struct diag d = {0};
	struct plan *op;

	if (!o->plan_file[0])
		return false;
	op = plan_validate_load(o->plan_file, &d);
	diag_free(&d);
	if (!op)
		return false;
	if (strcmp(op->checksum, o->checksum) == 0) {
		struct compiled *oc = compile_plan(op, NULL);

		compiled_tables(oc, &o->tables);
		o->tables_known = true;
		compiled_free(oc);
	}
	plan_free(op);
	return o->tables_known;
}

/* Why `p`, touching `mine`, may not start while the migrations in `open`
 * are open; false when nothing stands in the way. */
static bool
open_conflicts(const struct plan *p, const struct strlist *mine, struct open_migs *open, char *err, size_t errlen)
{
	struct strbuf sb = STRBUF_INIT, who = STRBUF_INIT;
	int n = 0;

	for (size_t i = 0; i < open->n; i++) {
		struct open_mig *o = &open->v[i];
		struct strlist shared = {0};
		char where[96];

		open_where(o, where, sizeof(where));
		if (!o->tables_known && !legacy_tables(o)) {
			/* Not knowing is no proof of being apart: refuse, with the
			 * way to make it known. */
			sb_free(&who);
			sb_free(&sb);
			if (o->running < 0)
				snprintf(err, errlen,
					 "migration %s cannot be checked against migration %s (%s), started before pgstep recorded the tables a migration touches, whose plan file %s is gone or changed: `pgstep run %s --to %s` with its plan records them and changes nothing; or finish or roll back %s first",
					 p->name, o->name, where, o->plan_file[0] ? o->plan_file : "(none)", o->name,
					 state_phase_text(o->phase_done), o->name);
			else
				snprintf(err, errlen,
					 "migration %s cannot be checked against migration %s (%s), started before pgstep recorded the tables a migration touches, whose plan file %s is gone or changed: finish or roll back %s first",
					 p->name, o->name, where, o->plan_file[0] ? o->plan_file : "(none)", o->name);
			return true;
		}
		for (size_t j = 0; j < mine->n; j++)
			if (strlist_contains(&o->tables, mine->v[j]))
				strlist_add(&shared, mine->v[j]);
		if (shared.n > 0) {
			sb_printf(&sb, "%s%s ", n ? ", and " : "", shared.n == 1 ? "table" : "tables");
			for (size_t j = 0; j < shared.n; j++)
				sb_printf(&sb, "%s%s", j ? ", " : "", shared.v[j]);
			sb_printf(&sb, ", which migration %s (%s) has open", o->name, where);
			sb_printf(&who, "%s%s", n ? " and " : "", o->name);
			n++;
		}
		strlist_free(&shared);
	}
	if (n > 0)
		snprintf(err, errlen, "migration %s touches %s: finish or roll back %s first", p->name, sb.buf, who.buf);
	sb_free(&sb);
	sb_free(&who);
	return n > 0;
}

/*
 * Asks the live catalog about every decision the offline compile made (in
 * the start's transaction): its answers into `facts`, and into `said`
 * what the log says about them, each line led by its level. Where the
 * catalog and the parse tree disagree, the catalog wins.
 */
static bool
ask_catalog(struct engine *e, const struct plan *p, const struct compiled *c, struct safety_facts *facts,
	    struct strlist *said, char *err, size_t errlen)
{
	for (size_t i = 0; i < c->n_decisions; i++) {
		const struct decision *d = &c->decisions[i];
		struct safety_fact f;
		bool was, is;
		char *line;

		if (safety_facts_find(facts, d->expr, d->type))
			continue;
		if (!safety_catalog_volatility(e->conn, p, d->expr, d->type, &f, err, errlen)) {
			safety_fact_clear(&f);
			return false;
		}
		safety_facts_add(facts, &f);
		was = safety_is_volatile(d->offline.v);
		is = safety_is_volatile(f.v);
		if (was != is)
			line = xasprintf("%c%s: %s: %s", is ? 'W' : 'I', d->subject, f.why, is ? d->safe_way : d->fast_way);
		else if (d->offline.v == VOL_UNKNOWN)
			/* what pgstep assumed of a function it does not know */
			line = xasprintf("I%s: %s, as pgstep assumed of a function it does not know: %s", d->subject, f.why,
					 d->safe_way);
		else
			line = NULL;
		if (line)
			strlist_add(said, line);
		free(line);
		safety_fact_clear(&f);
	}
	return true;
}

/* Expand from pending: checks that no open migration touches one of its
 * tables, asks the catalog about the compiler's decisions (e->own when
 * its answers change the steps) and records the start with those
 * answers, in one transaction that holds the lock serializing every
 * start, so two operators cannot both pass. */
static enum engine_result
start_expand(struct engine *e, const struct plan *p, const struct compiled *c, char *err, size_t errlen)
{
	struct strlist mine = {0}, said = {0};
	struct open_migs open = {0};
	struct safety_facts facts = {0};
	enum engine_result rc = ENG_FAILED;

	compiled_tables(c, &mine);
	if (!state_start_begin(e->conn, err, errlen)) {
		strlist_free(&mine);
		return ENG_FAILED;
	}
	if (!state_open_migrations(e->conn, p->name, &open, err, errlen))
		goto out;
	if (open_conflicts(p, &mine, &open, err, errlen)) {
		rc = ENG_REFUSED;
		goto out;
	}
	if (!ask_catalog(e, p, c, &facts, &said, err, errlen))
		goto out;
	if (compiled_differs(c, &facts)) {
		/* a resume, a rollback, a second pgstep: the same steps */
		char *json = safety_facts_to_json(&facts);
		bool saved = state_put_saved(e->conn, p->name, FACTS_KEY, json, err, errlen);

		free(json);
		if (!saved)
			goto out;
	} else if (!state_forget_saved(e->conn, p->name, FACTS_KEY, err, errlen))
		/* the offline compile is the one: no earlier start's answers */
		goto out;
	if (state_register(e->conn, p->name, p->checksum, p->path, &mine, err, errlen) &&
	    state_set_tables(e->conn, p->name, &mine, true, err, errlen) &&
	    state_begin_phase(e->conn, p->name, PHASE_EXPAND, false, err, errlen) &&
	    state_commit(e->conn, err, errlen))
		rc = ENG_OK;
out:
	if (rc != ENG_OK)
		state_abort(e->conn);
	else {
		for (size_t i = 0; i < said.n; i++)
			engine_log(e, said.v[i][0], "%s", said.v[i] + 1);
		if (compiled_differs(c, &facts))
			e->own = compile_plan(p, &facts);
	}
	safety_facts_free(&facts);
	strlist_free(&said);
	state_open_migs_free(&open);
	strlist_free(&mine);
	return rc;
}

static enum engine_result
run_one(struct engine *e, const struct plan *p, const struct step *s, int i, char *err, size_t errlen)
{
	switch (s->kind) {
	case STEP_BACKFILL:
		return backfill_run(e, p, s, i, err, errlen);
	case STEP_CARRY:
		return carry_run(e, p, s, i, err, errlen);
	case STEP_VACUUM:
		return vacuum_run(e, p, s, i, err, errlen);
	case STEP_SQL:
		if (!s->sql)	/* there for its rollback only */
			return state_set_progress(e->conn, p->name, i + 1, err, errlen) ? ENG_OK : ENG_FAILED;
		if (s->ib)
			return partidx_run(e, p, s, i, err, errlen);
		return runner_run_step(e, p, s, i, false, i + 1, err, errlen);
	}
	return ENG_FAILED;
}

/* An index build that fails or is interrupted may leave something built
 * (an INVALID index, a partitioned table's partitions' indexes): undoing
 * the phase undoes that step too, in part (partidx_undo). */
static int
undo_from(const struct compiled *c, enum phase ph, int i)
{
	const struct step *s = i < (int) c->n[ph] ? &c->steps[ph][i] : NULL;

	return s && s->ib && s->ib->what == IB_BUILD && s->rollback ? i + 1 : i;
}

/* Undoes steps [0, from) of a phase, last first; `partial`: the last of
 * them stopped half way (undo_from). */
static bool
undo_steps(struct engine *e, const struct plan *p, const struct compiled *c, enum phase ph, int from, bool partial,
	   char *err, size_t errlen)
{
	/* On record even for a phase with nothing to undo (a backfill): the
	 * phase's run ends here, and figures of its next run (attempts, lock
	 * wait, time) count from this row on. */
	state_log_step(e->conn, p->name, ph, -1, true, "the phase is undone from here", "-- rollback", 0, 0, 0,
		       NULL);
	for (int i = from - 1; i >= 0; i--) {
		const struct step *s = &c->steps[ph][i];

		if (e->hooks.step)
			e->hooks.step(e->hooks.ud, ph, true, (int) c->n[ph] - 1 - i, (int) c->n[ph], s->summary);
		if (s->kind == STEP_CARRY) {
			if (carry_undo(e, p, s, i, err, errlen) != ENG_OK)
				return false;
			continue;
		}
		if (s->ib && s->rollback) {
			if (partidx_undo(e, p, s, i, partial && i == from - 1, err, errlen) != ENG_OK)
				return false;
			continue;
		}
		if (s->kind != STEP_SQL || !s->rollback) {
			if (!state_set_progress(e->conn, p->name, i, err, errlen))
				return false;
			continue;
		}
		if (runner_run_step(e, p, s, i, true, i, err, errlen) != ENG_OK)
			return false;
	}
	if (ph == PHASE_BACKFILL && !state_checkpoint_reset(e->conn, p->name, err, errlen))
		return false;
	return true;
}

static void hook_context(struct engine *e, const struct plan *p, const struct compiled *c, int ph);

static enum engine_result
forward(struct engine *e, const struct plan *p, const struct compiled *c, struct mig_record *m, char *err,
	size_t errlen)
{
	enum phase ph;
	int start = 0;
	enum engine_result rc;

	if (m->running >= 0 && m->rolling_back) {
		snprintf(err, errlen, "the rollback of %s of %s was interrupted: finish it with `pgstep rollback %s`",
			 phase_name((enum phase) m->running), p->name, p->name);
		return ENG_REFUSED;
	}
	if (m->running >= 0) {
		ph = (enum phase) m->running;
		start = m->progress;
	} else if (m->phase_done == PHASE_CONTRACT) {
		snprintf(err, errlen, "migration %s is done: nothing to step", p->name);
		return ENG_REFUSED;
	} else
		ph = (enum phase) (m->phase_done + 1);
	/* The operator's check before the phase (or before it resumes): it
	 * may keep the phase from starting, and nothing is changed then. */
	hook_context(e, p, c, ph);
	{
		char event[32];

		snprintf(event, sizeof(event), "before-%s", phase_name(ph));
		if (!engine_hook(e, event, NULL, err, errlen)) {
			engine_activity(e, ACTIVITY_FAILED, err, 0);
			return ENG_FAILED;
		}
	}
	if (m->running >= 0)
		engine_log(e, 'I', "%s: resuming %s at step %d of %zu", p->name, phase_name(ph), start + 1, c->n[ph]);
	else {
		if (ph == PHASE_EXPAND) {
			if ((rc = start_expand(e, p, c, err, errlen)) != ENG_OK)
				return rc;
			if (e->own)
				c = e->own;
		} else if (!state_begin_phase(e->conn, p->name, ph, false, err, errlen))
			return ENG_FAILED;
	}
	set_appname(e, p->name, ph);
	engine_log(e, 'I', "%s: %s begins (%zu steps)", p->name, phase_name(ph), c->n[ph]);
	int64_t t0 = clock_now_ms();

	for (int i = start; i < (int) c->n[ph]; i++) {
		const struct step *s = &c->steps[ph][i];

		if (atomic_load(&e->ctl->stop)) {
			/* Between steps: the phase stays running at step i and
			 * the next run resumes it there. */
			engine_log(e, 'I', "%s: stopped before step %d of %s", p->name, i + 1, phase_name(ph));
			engine_activity(e, ACTIVITY_IDLE, "stopped between steps", 0);
			return ENG_STOPPED;
		}
		if (e->hooks.step)
			e->hooks.step(e->hooks.ud, ph, false, i, (int) c->n[ph], s->summary);
		engine_activity(e, ACTIVITY_RUNNING, s->summary, 0);
		rc = run_one(e, p, s, i, err, errlen);
		if (rc == ENG_STOPPED) {
			engine_activity(e, ACTIVITY_IDLE, "stopped at a batch boundary", 0);
			return rc;
		}
		if (rc != ENG_OK) {
			char cause[1024], uerr[512] = "";
			bool undone;

			snprintf(cause, sizeof(cause), "%s", err);
			engine_log(e, 'E', "%s: %s failed at step %d: %s", p->name, phase_name(ph), i + 1, cause);
			if (PQstatus(e->conn) != CONNECTION_OK) {
				/* Nothing can be undone without a connection; the
				 * recorded progress says exactly where it stopped. */
				engine_activity(e, ACTIVITY_FAILED, cause, 0);
				return ENG_FAILED;
			}
			for (int j = 0; j < i; j++) {
				if (c->steps[ph][j].irreversible) {
					/* Data is gone already: undoing the rest would
					 * not bring the phase back. It stays half done,
					 * and the next step carries it forward. */
					snprintf(err, errlen,
						 "%s failed at step %d after \"%s\" had destroyed data, so it was not rolled back: %s; fix the cause and run `pgstep step %s` to finish it",
						 phase_name(ph), i + 1, c->steps[ph][j].summary, cause, p->name);
					state_fail(e->conn, p->name, err, false, uerr, sizeof(uerr));
					engine_activity(e, ACTIVITY_FAILED, err, 0);
					return ENG_FAILED;
				}
			}
			atomic_store(&e->ctl->abort_, 0);
			int from = undo_from(c, ph, i);

			state_begin_phase(e->conn, p->name, ph, true, uerr, sizeof(uerr));
			state_set_progress(e->conn, p->name, from, uerr, sizeof(uerr));
			engine_log(e, 'I', "%s: undoing the %d finished step(s) of %s%s", p->name, i, phase_name(ph),
				   from > i ? ", and what the failed one left" : "");
			undone = undo_steps(e, p, c, ph, from, from > i, uerr, sizeof(uerr));
			if (undone)
				snprintf(err, errlen, "%s failed and was rolled back: %s", phase_name(ph), cause);
			else
				snprintf(err, errlen, "%s failed: %s; undoing it also failed: %s", phase_name(ph), cause,
					 uerr);
			state_fail(e->conn, p->name, err, undone, uerr, sizeof(uerr));
			engine_activity(e, ACTIVITY_FAILED, err, 0);
			engine_hooks_settle(e, true);
			engine_hook(e, "on-failure", err, NULL, 0);
			if (undone)
				engine_hook(e, "on-rollback", err, NULL, 0);
			return ENG_FAILED;
		}
	}
	if (!state_end_phase(e->conn, p->name, ph, err, errlen))
		return ENG_FAILED;
	engine_log(e, 'I', "%s: %s done in %.1fs", p->name, phase_name(ph), (clock_now_ms() - t0) / 1000.0);
	engine_activity(e, ACTIVITY_IDLE, "", 0);
	/* After the commit of its last step: nothing is held. */
	{
		char event[32];

		engine_hooks_settle(e, false);
		snprintf(event, sizeof(event), "after-%s", phase_name(ph));
		engine_hook(e, event, NULL, NULL, 0);
	}
	return ENG_OK;
}

/* What the hooks are told from now on: the migration and its phase. */
static void
hook_context(struct engine *e, const struct plan *p, const struct compiled *c, int ph)
{
	struct strlist t = {0};
	size_t used = 0;

	e->hk.plan = p;
	e->hk.phase = ph;
	e->hk.phase_t0 = clock_now_ms();
	e->hk.next_progress_ms = 0;
	memset(&e->hk.bp, 0, sizeof(e->hk.bp));
	e->hk.tables[0] = '\0';
	compiled_tables(c, &t);
	for (size_t i = 0; i < t.n && used < sizeof(e->hk.tables); i++)
		used += (size_t) snprintf(e->hk.tables + used, sizeof(e->hk.tables) - used, "%s%s", i ? "," : "",
					  t.v[i]);
	strlist_free(&t);
}

/* The steps to run: the engine's own compile when begin made one. */
static const struct compiled *
steps_of(const struct engine *e, const struct compiled *c)
{
	return e->own ? e->own : c;
}

enum engine_result
engine_step(struct engine *e, const struct plan *p, const struct compiled *c, char *err, size_t errlen)
{
	struct mig_record m;
	enum engine_result rc = begin(e, p, c, &m, true, err, errlen);

	return rc == ENG_OK ? forward(e, p, steps_of(e, c), &m, err, errlen) : rc;
}

enum engine_result
engine_run_to(struct engine *e, const struct plan *p, const struct compiled *c, enum phase to, char *err,
	      size_t errlen)
{
	struct mig_record m;
	enum engine_result rc;
	bool first = true;

	for (;;) {
		if ((rc = begin(e, p, c, &m, true, err, errlen)) != ENG_OK)
			return rc;
		if (m.running < 0 && m.phase_done >= (int) to) {
			if (m.phase_done > (int) to) {
				snprintf(err, errlen, "migration %s is already past %s (at %s)", p->name, phase_name(to),
					 state_phase_text(m.phase_done));
				return ENG_REFUSED;
			}
			return ENG_OK;
		}
		if (first && to >= PHASE_SWITCH)
			gate_prepare(e, p, &m);
		first = false;
		/* Backfilled, the switch next: a run waits at the gate, if the
		 * plan has one, until it is released. */
		if (m.running < 0 && m.phase_done == PHASE_BACKFILL && to >= PHASE_SWITCH && gate_enabled(p)) {
			hook_context(e, p, steps_of(e, c), -1);
			if ((rc = gate_wait(e, p, err, errlen)) != ENG_OK)
				return rc;
		}
		/* begin compiles again what the catalog decided: c stays the
		 * caller's offline compile */
		if ((rc = forward(e, p, steps_of(e, c), &m, err, errlen)) != ENG_OK)
			return rc;
		if (atomic_load(&e->ctl->stop))
			return ENG_STOPPED;
	}
}

const struct step *
engine_undo_blocker(const struct compiled *c, const struct mig_record *m, int *ph)
{
	int from;

	if (m->running >= 0) {
		*ph = m->running;
		from = m->progress;
	} else if (m->phase_done >= 0) {
		*ph = m->phase_done;
		from = (int) c->n[m->phase_done];
	} else {
		*ph = -1;
		return NULL;
	}
	for (int i = 0; i < from && i < (int) c->n[*ph]; i++)
		if (c->steps[*ph][i].irreversible)
			return &c->steps[*ph][i];
	return NULL;
}

enum engine_result
engine_rollback(struct engine *e, const struct plan *p, const struct compiled *c, char *err, size_t errlen)
{
	struct mig_record m;
	enum engine_result rc = begin(e, p, c, &m, false, err, errlen);
	const struct step *blocker;
	enum phase ph;
	int from, iph;
	bool partial = false;

	if (rc != ENG_OK)
		return rc;
	c = steps_of(e, c);
	/* An interrupted phase (forward or back): undo what it applied. */
	blocker = engine_undo_blocker(c, &m, &iph);
	if (iph < 0) {
		snprintf(err, errlen, "migration %s is pending: nothing to roll back", p->name);
		return ENG_REFUSED;
	}
	ph = (enum phase) iph;
	from = m.running >= 0 ? m.progress : (int) c->n[ph];
	if (m.running >= 0 && !m.rolling_back) {
		/* and what the step it stopped in left (an index build) */
		from = undo_from(c, ph, m.progress);
		partial = from > m.progress;
	}
	if (blocker) {
		snprintf(err, errlen, "%s of %s cannot be rolled back: \"%s\" destroyed data", phase_name(ph), p->name,
			 blocker->summary);
		return ENG_REFUSED;
	}
	if (!state_begin_phase(e->conn, p->name, ph, true, err, errlen) ||
	    !state_set_progress(e->conn, p->name, from, err, errlen))
		return ENG_FAILED;
	set_appname(e, p->name, ph);
	hook_context(e, p, c, ph);
	engine_log(e, 'I', "%s: rolling back %s (%d steps)", p->name, phase_name(ph), from);
	if (!undo_steps(e, p, c, ph, from, partial, err, errlen)) {
		char uerr[256];

		state_fail(e->conn, p->name, err, false, uerr, sizeof(uerr));
		engine_activity(e, ACTIVITY_FAILED, err, 0);
		engine_hook(e, "on-failure", err, NULL, 0);
		return ENG_FAILED;
	}
	if (!state_end_phase(e->conn, p->name, (int) ph - 1, err, errlen))
		return ENG_FAILED;
	/* pending again: the next start asks the catalog afresh */
	if (ph == PHASE_EXPAND && !state_forget_saved(e->conn, p->name, FACTS_KEY, err, errlen))
		return ENG_FAILED;
	engine_log(e, 'I', "%s: %s rolled back", p->name, phase_name(ph));
	engine_activity(e, ACTIVITY_IDLE, "", 0);
	engine_hook(e, "on-rollback", NULL, NULL, 0);
	return ENG_OK;
}
