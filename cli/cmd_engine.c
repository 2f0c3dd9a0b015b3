/* Headless commands that drive the engine: step, run, rollback, pause,
 * resume, status. Same engine calls as the console's worker. */
#include "config.h"
#include "base/backoff.h"
#include "base/clock.h"

#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/backfill_state.h"
#include "engine/catalog.h"
#include "cli/cli.h"
#include "store/conn.h"
#include "base/diag.h"
#include "engine/engine.h"
#include "lint/lint.h"
#include "base/sanitize.h"
#include "store/state.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "engine/live.h"
#include "lint/validate.h"

/* Made once: its cancel lock outlives the engines a reconnect re-makes. */
static struct engine_control control = {.cancel_lock = PTHREAD_MUTEX_INITIALIZER};

static void
on_signal(int sig)
{
	/* Finish the running batch or DDL attempt, write the checkpoint, leave. */
	atomic_store(&control.stop, 1);
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

struct headless {
	bool tty;
	int64_t last_line_ms;
};

static void
hook_log(void *ud, char level, const char *msg)
{
	struct headless *h = ud;
	time_t now = time(NULL);
	struct tm tm;
	char ts[16];

	char *clean = sanitize(msg);

	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
	if (h->tty)
		fputs("\r\033[K", stderr);
	fprintf(stderr, "%s %s %s\n", ts, level == 'E' ? "ERROR" : level == 'W' ? "WARN " : level == 'S' ? "SQL  " : "     ",
		clean);
	free(clean);
}

/* "pgstep: <message>" on stderr: messages carry server errors, key
 * values and other sessions' query text, so they pass the sanitizer. */
static void
report(const char *msg)
{
	char *clean = sanitize(msg);

	fprintf(stderr, "pgstep: %s\n", clean);
	free(clean);
}

/* An ETA as the console shows it: "n/a" below 0.1%, "due" at 100%. */
static void
fmt_eta(int64_t eta_s, char *buf, size_t len)
{
	if (eta_s < 0)
		snprintf(buf, len, "n/a");
	else if (eta_s == 0)
		snprintf(buf, len, "due");
	else
		snprintf(buf, len, "%lldm%02llds", (long long) eta_s / 60, (long long) eta_s % 60);
}

static void
hook_progress(void *ud, const struct backfill_progress *bp)
{
	struct headless *h = ud;
	int64_t now = clock_now_ms();
	char eta[32];

	if (!h->tty || now - h->last_line_ms < 1000)
		return;
	h->last_line_ms = now;
	fmt_eta(bp->eta_s, eta, sizeof(eta));
	fprintf(stderr, "\r\033[Kbackfill %s: %lld/%lld rows (%.1f%%), %.0f rows/s now, %.0f avg, batch %d (%dms), ETA %s%s%s",
		bp->table, (long long) bp->rows_done, (long long) bp->rows_total,
		bp->rows_total ? 100.0 * bp->rows_done / bp->rows_total : 0.0, bp->rate_last, bp->rate_avg,
		bp->batch_size, bp->batch_ms, eta, bp->throttled[0] ? ", THROTTLED: " : "", bp->throttled);
}

static PGconn *
connect_or_report(const struct cli *cli, const char *appname)
{
	char err[1024];
	PGconn *c = conn_open(cli->dbname, appname, err, sizeof(err));

	if (!c) {
		char *clean = sanitize(err);

		fprintf(stderr, "pgstep: cannot connect: %s\n", clean);
		free(clean);
	}
	return c;
}

#define RECONNECT_FOR_MS 60000

/* Reconnects with the backoff of base/backoff.h for up to a minute, or
 * until a signal asks to stop. */
static PGconn *
reconnect(const struct cli *cli, char *err, size_t errlen)
{
	int64_t give_up = clock_now_ms() + RECONNECT_FOR_MS;
	struct backoff backoff = BACKOFF_INIT;
	char why[1024] = "";

	while (!atomic_load(&control.stop) && clock_now_ms() < give_up) {
		int ms = backoff_next(&backoff);
		struct timespec ts = {ms / 1000, (long) (ms % 1000) * 1000000};
		PGconn *c;

		nanosleep(&ts, NULL);
		if ((c = conn_open(cli->dbname, "pgstep", why, sizeof(why))))
			return c;
	}
	snprintf(err, errlen, "lost the connection and could not reconnect within %ds: %s; run the command again to resume",
		 RECONNECT_FOR_MS / 1000, why[0] ? why : "stopped");
	return NULL;
}

static int
exit_code(enum engine_result rc)
{
	switch (rc) {
	case ENG_OK:
		return EXIT_OK;
	case ENG_HELD:
		return EXIT_HELD;
	case ENG_REFUSED:
		return EXIT_USAGE;
	case ENG_STOPPED:
	case ENG_FAILED:
		break;
	}
	return EXIT_FAILURE_RUNTIME;
}

/* What drive() does: step, run or rollback. */
enum drive { DRIVE_STEP, DRIVE_RUN, DRIVE_ROLLBACK };

static int
drive(struct cli *cli, int argc, char **argv, enum drive act)
{
	struct diag d = {0};
	struct headless h = {.tty = isatty(2)};
	struct engine e;
	struct plan *p;
	struct compiled *c;
	PGconn *conn;
	char *path, err[2048] = "";
	enum phase to = PHASE_CONTRACT;
	enum engine_result rc;

	if (argc != 1) {
		fprintf(stderr, "usage: pgstep %s NAME%s\n",
			act == DRIVE_STEP ? "step" : act == DRIVE_RUN ? "run" : "rollback",
			act == DRIVE_RUN ? " [--to PHASE]" : "");
		return EXIT_USAGE;
	}
	if (act == DRIVE_RUN && cli->to_phase && !phase_parse(cli->to_phase, &to)) {
		fprintf(stderr, "pgstep: --to must be expand, backfill, switch or contract, not \"%s\"\n", cli->to_phase);
		return EXIT_USAGE;
	}
	if (!(path = cli_resolve_plan(cli, argv[0])))
		return EXIT_USAGE;
	p = plan_validate_load(path, &d);
	free(path);
	if (!p) {
		diag_print(&d, stderr);
		diag_free(&d);
		return EXIT_USAGE;
	}
	c = compile_plan(p, NULL);
	/* Lint, as a warning only: what would lock or rewrite a table is said
	 * before it runs (pgstep lint explains; lint_ignore silences). */
	if (act != DRIVE_ROLLBACK)
		lint_warn(stderr, p, c);
	if (!(conn = connect_or_report(cli, "pgstep"))) {
		compiled_free(c);
		plan_free(p);
		return EXIT_FAILURE_RUNTIME;
	}
	install_signals();
	engine_init(&e, conn, cli->dbname, &control);
	e.hooks = (struct engine_hooks) {.ud = &h, .log = hook_log, .progress = hook_progress};
	e.hooks_dir = cli->hooks_dir;
	for (;;) {
		if (act == DRIVE_STEP)
			rc = engine_step(&e, p, c, err, sizeof(err));
		else if (act == DRIVE_RUN)
			rc = engine_run_to(&e, p, c, to, err, sizeof(err));
		else
			rc = engine_rollback(&e, p, c, err, sizeof(err));
		if (rc != ENG_FAILED || PQstatus(conn) == CONNECTION_OK || atomic_load(&control.stop))
			break;
		/* The server went away (a restart, a failover, the network):
		 * reconnect and carry on from the recorded state; the backfill
		 * resumes from its checkpoint. */
		hook_log(&h, 'W', "connection lost; reconnecting");
		engine_release(&e);
		PQfinish(conn);
		if (!(conn = reconnect(cli, err, sizeof(err)))) {
			hook_log(&h, 'E', err);
			conn = NULL;
			break;
		}
		engine_init(&e, conn, cli->dbname, &control);
		e.hooks = (struct engine_hooks) {.ud = &h, .log = hook_log, .progress = hook_progress};
		e.hooks_dir = cli->hooks_dir;
		hook_log(&h, 'I', "reconnected; resuming");
	}
	if (!conn) {
		report(err);
		compiled_free(c);
		plan_free(p);
		return EXIT_FAILURE_RUNTIME;
	}
	if (h.tty && h.last_line_ms)
		fputs("\r\033[K", stderr);
	if (rc == ENG_STOPPED)
		fprintf(stderr, "pgstep: %s stopped at a safe point (between batches or steps); run the same command to resume\n",
			p->name);
	else if (rc != ENG_OK)
		report(err);
	else {
		struct mig_record m;

		if (state_get(conn, p->name, &m, err, sizeof(err)))
			printf("%s: %s\n", p->name, m.phase_done == PHASE_CONTRACT ? "done" :
			       m.phase_done < 0 ? "pending" : phase_name((enum phase) m.phase_done));
	}
	engine_release(&e);
	PQfinish(conn);
	compiled_free(c);
	plan_free(p);
	return exit_code(rc);
}

int
cmd_step(struct cli *cli, int argc, char **argv)
{
	return drive(cli, argc, argv, DRIVE_STEP);
}

int
cmd_run(struct cli *cli, int argc, char **argv)
{
	return drive(cli, argc, argv, DRIVE_RUN);
}

int
cmd_rollback(struct cli *cli, int argc, char **argv)
{
	return drive(cli, argc, argv, DRIVE_ROLLBACK);
}

/* The migration `arg` names, as status shows it: one recorded under
 * that name, else the plan of the plans directory it names (by name or
 * file name). EXIT_OK with name set, else the exit code after saying why. */
static int
request_target(struct cli *cli, PGconn *conn, const char *arg, const char *what, char *name, size_t namelen)
{
	struct mig_record m;
	struct diag d = {0};
	struct plan *p = NULL;
	bool ambiguous;
	char err[1024], *path;

	if (!state_get(conn, arg, &m, err, sizeof(err))) {
		fprintf(stderr, "pgstep: %s\n", err);
		return EXIT_FAILURE_RUNTIME;
	}
	str_copy(name, namelen, arg);
	if (m.exists)
		return EXIT_OK;
	if ((path = cli_find_plan(cli, arg, &ambiguous)))
		p = plan_validate_load(path, &d);
	free(path);
	diag_free(&d);
	if (ambiguous)
		return EXIT_USAGE;
	if (!p) {
		fprintf(stderr, "pgstep: no such migration %s: `pgstep status` lists them\n", arg);
		return EXIT_USAGE;
	}
	str_copy(name, namelen, p->name);
	plan_free(p);
	if (!state_get(conn, name, &m, err, sizeof(err))) {
		fprintf(stderr, "pgstep: %s\n", err);
		return EXIT_FAILURE_RUNTIME;
	}
	if (!m.exists) {
		fprintf(stderr, "pgstep: migration %s has not been started: nothing to %s\n", name, what);
		return EXIT_FAILURE_RUNTIME;
	}
	return EXIT_OK;
}

/* pause, resume, release and set: a request for the pgstep that drives
 * the migration, which takes it between batches (or at the gate). For
 * set, argv[1..] are key=value, each checked as a plan's setting before
 * anything is written. */
static int
request(struct cli *cli, int argc, char **argv, const char *what)
{
	char err[1024] = "", name[64];
	PGconn *conn;
	int rc = EXIT_OK;
	bool set = strcmp(what, "set") == 0;
	bool got = false, operator_ = false;
	char holder[512];
	struct mig_record m;

	if (set ? argc < 2 : argc != 1) {
		fprintf(stderr, "usage: pgstep %s NAME%s\n", what, set ? " KEY=VALUE..." : "");
		return EXIT_USAGE;
	}
	for (int i = 1; set && i < argc; i++) {
		struct live_values scratch = {0};

		/* checked on settings of its own; the running pgstep sets it */
		if (!live_set_assignment(&scratch, argv[i], err, sizeof(err))) {
			char *msg = xasprintf("set %s: %s", argv[i], err);

			report(msg);
			free(msg);
			return EXIT_USAGE;
		}
	}
	if (!(conn = connect_or_report(cli, "pgstep:request")))
		return EXIT_FAILURE_RUNTIME;
	if (!state_ensure(conn, err, sizeof(err))) {
		report(err);
		rc = EXIT_FAILURE_RUNTIME;
	} else if ((rc = request_target(cli, conn, argv[0], what, name, sizeof(name))) != EXIT_OK) {
		/* said why */
	} else if (!state_lock(conn, name, &got, holder, sizeof(holder), &operator_, err, sizeof(err))) {
		report(err);
		rc = EXIT_FAILURE_RUNTIME;
	} else if (!got && !operator_) {
		/* no pgstep would read the request: it would wait, forgotten */
		char *msg = xasprintf("migration %s is held by %s: nothing to %s", name, holder, what);

		report(msg);
		free(msg);
		rc = EXIT_FAILURE_RUNTIME;
	} else if (got) {
		/* Nobody drives it: a request now would wait, forgotten, for
		 * whoever runs it next. */
		state_unlock(conn, name);
		fprintf(stderr, "pgstep: no pgstep is running migration %s: nothing to %s\n", name, what);
		rc = EXIT_FAILURE_RUNTIME;
	} else if (strcmp(what, "release") == 0 &&
		   (!state_get(conn, name, &m, err, sizeof(err)) || !m.gate_since || m.running >= 0)) {
		if (err[0] && !m.exists)
			report(err);
		else
			fprintf(stderr, "pgstep: migration %s does not wait at the switch gate: nothing to release\n", name);
		rc = EXIT_FAILURE_RUNTIME;
	} else {
		for (int i = set ? 1 : 0; i < (set ? argc : 1) && rc == EXIT_OK; i++) {
			if (!state_request(conn, name, what, set ? argv[i] : NULL, err, sizeof(err))) {
				report(err);
				rc = EXIT_FAILURE_RUNTIME;
			} else if (set)
				printf("%s: set %s requested; the running pgstep applies it at the next batch\n", name,
				       argv[i]);
			else
				printf("%s: %s requested; the running pgstep applies it %s\n", name, what,
				       strcmp(what, "release") == 0 ? "within a second" : "at the next batch");
		}
	}
	PQfinish(conn);
	return rc;
}

int
cmd_pause(struct cli *cli, int argc, char **argv)
{
	return request(cli, argc, argv, "pause");
}

int
cmd_resume(struct cli *cli, int argc, char **argv)
{
	return request(cli, argc, argv, "resume");
}

int
cmd_release(struct cli *cli, int argc, char **argv)
{
	return request(cli, argc, argv, "release");
}

int
cmd_set(struct cli *cli, int argc, char **argv)
{
	return request(cli, argc, argv, "set");
}

/* Backfilled, and waiting (or stopped while waiting) at the switch gate. */
static bool
at_gate(const struct catalog_entry *en)
{
	return en->rec.gate_since && en->rec.running < 0 && en->rec.phase_done == PHASE_BACKFILL;
}

/* "2024-05-01 14:02:11" */
static void
fmt_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

static const char *
entry_status(const struct catalog_entry *en)
{
	if (!en->plan && en->path)
		return "invalid";
	if (!en->rec.exists)
		return "pending";
	/* paused at a checkpoint: by the operator, or stopped by a signal */
	if (en->rec.running >= 0 && strcmp(en->rec.status, "running") == 0 && en->rec.paused)
		return "paused";
	/* recorded as running, and no pgstep holds it: it died on the way,
	 * and nothing resumes it by itself */
	if (en->stopped)
		return "stopped";
	if (at_gate(en))
		return "gated";
	return en->rec.status;
}

/* A JSON string of sanitized text: a reader that prints a field must not
 * get another session's control characters back. */
static json_object *
json_text(const char *s)
{
	char *clean = sanitize(s);
	json_object *o = json_object_new_string(clean);

	free(clean);
	return o;
}

/* The tables a migration touches; null when they are not known. */
static json_object *
tables_json(const struct catalog_entry *en)
{
	json_object *a;

	if (!en->tables_known)
		return NULL;
	a = json_object_new_array();
	for (size_t i = 0; i < en->tables.n; i++)
		json_object_array_add(a, json_text(en->tables.v[i]));
	return a;
}

/* "users, orders"; "-" when it touches no known table, "?" when unknown. */
static void
tables_text(const struct catalog_entry *en, char *buf, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	if (!en->tables_known)
		sb_puts(&sb, "?");
	else if (en->tables.n == 0)
		sb_puts(&sb, "-");
	for (size_t i = 0; en->tables_known && i < en->tables.n; i++)
		sb_printf(&sb, "%s%s", i ? "," : "", en->tables.v[i]);
	str_copy(buf, n, sb.buf);
	sb_free(&sb);
}

/* Rows a second over the last second: nothing moves while paused or
 * when no pgstep drives it, whatever the last batch measured. */
static double
live_rate(const struct catalog_entry *en, const struct backfill_state *bs)
{
	return en->held_by[0] && !en->rec.paused ? bs->rate_last : 0;
}

/* A request `pgstep pause` or `resume` wrote that the pgstep driving the
 * migration has not taken yet (it does at its next batch boundary). */
static const char *
pending_request(const struct catalog_entry *en, const struct backfill_state *bs)
{
	if (!en->held_by[0] || !bs->request[0])
		return NULL;
	return bs->request;
}

static json_object *
backfill_json(const struct catalog_entry *en, const struct backfill_state *bs)
{
	json_object *o;

	if (!bs->exists)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "table", json_object_new_string(bs->table));
	json_object_object_add(o, "rows_done", json_object_new_int64(bs->rows_done));
	json_object_object_add(o, "rows_total", json_object_new_int64(bs->rows_total));
	json_object_object_add(o, "percent", json_object_new_double((double) (int64_t) (bs->percent * 10) / 10));
	json_object_object_add(o, "rate_last", json_object_new_double((double) (int64_t) live_rate(en, bs)));
	json_object_object_add(o, "rate_avg", json_object_new_double((double) (int64_t) bs->rate_avg));
	json_object_object_add(o, "eta_seconds", bs->eta_s >= 0 ? json_object_new_int64(bs->eta_s) : NULL);
	json_object_object_add(o, "batch_size", json_object_new_int(bs->batch_size));
	json_object_object_add(o, "unconverted", json_object_new_int64(bs->unconverted));
	json_object_object_add(o, "seconds_since_batch", json_object_new_int64(bs->age_s));
	/* the load signal that holds it, while a pgstep drives it */
	json_object_object_add(o, "throttled", bs->throttled[0] && en->held_by[0] ? json_text(bs->throttled) : NULL);
	json_object_object_add(o, "throttled_seconds", json_object_new_int64(bs->throttled_ms / 1000));
	return o;
}

static void
status_json(struct catalog *cat, const struct backfill_state *bfs)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < cat->n; i++) {
		const struct catalog_entry *en = &cat->v[i];
		const char *req = pending_request(en, &bfs[i]);
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_text(en->name));
		json_object_object_add(o, "file", en->path ? json_text(en->path) : NULL);
		json_object_object_add(o, "phase", json_text(state_phase_text(en->rec.phase_done)));
		json_object_object_add(o, "status", json_text(entry_status(en)));
		json_object_object_add(o, "running",
				       en->rec.running >= 0 ? json_text(phase_name((enum phase) en->rec.running)) : NULL);
		json_object_object_add(o, "rolling_back", json_object_new_boolean(en->rec.rolling_back));
		json_object_object_add(o, "held_by", en->held_by[0] ? json_text(en->held_by) : NULL);
		json_object_object_add(o, "steps_applied", json_object_new_int(en->rec.progress));
		json_object_object_add(o, "request", req ? json_text(req) : NULL);
		if (at_gate(en)) {
			char at[32];
			struct tm tm;

			gmtime_r(&en->rec.gate_since, &tm);
			strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
			json_object_object_add(o, "gate_since", json_object_new_string(at));
		} else
			json_object_object_add(o, "gate_since", NULL);
		json_object_object_add(o, "backfill", backfill_json(en, &bfs[i]));
		json_object_object_add(o, "plan_changed", json_object_new_boolean(en->changed));
		json_object_object_add(o, "tables", tables_json(en));
		json_object_object_add(o, "version_schema",
				       en->version_schema[0] ? json_text(en->version_schema) : NULL);
		json_object_object_add(o, "error", en->error ? json_text(en->error) :
				       en->rec.error[0] ? json_text(en->rec.error) : NULL);
		if (en->plan)
			json_object_object_add(o, "checksum", json_text(en->plan->checksum));
		json_object_array_add(arr, o);
	}
	puts(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
}

/* The line under a migration whose backfill is in progress. */
static void
backfill_text(const struct catalog_entry *en, const struct backfill_state *bs)
{
	char eta[32], thr[160] = "";

	char *line, *clean;

	fmt_eta(bs->eta_s, eta, sizeof(eta));
	if (bs->throttled[0] && en->held_by[0] && !en->rec.paused)
		snprintf(thr, sizeof(thr), ", THROTTLED: %s", bs->throttled);
	if (bs->throttled_ms >= 1000)
		snprintf(thr + strlen(thr), sizeof(thr) - strlen(thr), ", throttled %llds",
			 (long long) (bs->throttled_ms / 1000));
	line = xasprintf("    backfill of %s: %lld of about %lld rows (%.1f%%), %.0f rows/s last second, %.0f smoothed, "
			 "batch %d, ETA %s%s%s", bs->table, (long long) bs->rows_done, (long long) bs->rows_total,
			 bs->percent, live_rate(en, bs), bs->rate_avg, bs->batch_size, eta, thr,
			 en->rec.paused ? " (paused)" : !en->held_by[0] ? " (nothing drives it)" : "");
	clean = sanitize(line);
	puts(clean);
	free(clean);
	free(line);
}

static void
status_text(struct catalog *cat, const struct backfill_state *bfs)
{
	printf("%-32s %-9s %-8s %-20s %s\n", "MIGRATION", "PHASE", "STATUS", "TABLES", "NOTE");
	for (size_t i = 0; i < cat->n; i++) {
		const struct catalog_entry *en = &cat->v[i];
		const char *req = pending_request(en, &bfs[i]);
		char note[1200] = "", tables[1024];

		if (en->error)
			snprintf(note, sizeof(note), "%s", en->error);
		else if (en->changed)
			snprintf(note, sizeof(note), "plan file changed since it was started");
		else if (en->rec.running >= 0 && en->held_by[0])
			snprintf(note, sizeof(note), "%s of %s in progress, %d step(s) done, by %s",
				 en->rec.rolling_back ? "rollback" : "run", phase_name((enum phase) en->rec.running),
				 en->rec.progress, en->held_by);
		else if (en->rec.running >= 0)
			snprintf(note, sizeof(note), "%s of %s interrupted after %d step(s)%s%s; %s `pgstep rollback %s`%s",
				 en->rec.rolling_back ? "rollback" : "run", phase_name((enum phase) en->rec.running),
				 en->rec.progress, en->rec.error[0] ? ": " : "", en->rec.error,
				 en->rec.rolling_back ? "finish it with" : "`pgstep run` resumes it,", en->name,
				 en->rec.rolling_back ? "" : " undoes it");
		else if (at_gate(en)) {
			char at[32];

			fmt_time(en->rec.gate_since, at, sizeof(at));
			if (en->held_by[0])
				snprintf(note, sizeof(note), "waiting at the switch gate since %s, in %s: `pgstep release %s` opens it",
					 at, en->held_by, en->name);
			else
				snprintf(note, sizeof(note),
					 "stopped at the switch gate (since %s): `pgstep run %s --to contract` waits there again, "
					 "`pgstep step %s` switches now", at, en->name, en->name);
		} else if (en->rec.error[0])
			snprintf(note, sizeof(note), "%s", en->rec.error);
		else if (!en->path)
			snprintf(note, sizeof(note), "no plan file in the plans directory");
		if (req) {
			size_t used = strlen(note);

			snprintf(note + used, sizeof(note) - used, "%s%s requested, applied at the next %s",
				 used ? "; " : "", req, at_gate(en) ? "look at the requests (within a second)" :
				 "batch boundary");
		}
		if (en->version_schema[0]) {
			size_t used = strlen(note);

			snprintf(note + used, sizeof(note) - used, "%snew version in schema %s", used ? "; " : "",
				 en->version_schema);
		}
		tables_text(en, tables, sizeof(tables));
		{
			char *line = xasprintf("%-32s %-9s %-8s %-20s %s", en->name, state_phase_text(en->rec.phase_done),
					       entry_status(en), tables, note);
			char *clean = sanitize(line);

			puts(clean);
			free(clean);
			free(line);
		}
		if (bfs[i].exists)
			backfill_text(en, &bfs[i]);
	}
}

int
cmd_status(struct cli *cli, int argc, char **argv)
{
	struct catalog cat;
	char err[1024];
	PGconn *conn;
	int rc = EXIT_OK;

	if (!(conn = connect_or_report(cli, "pgstep:status")))
		return EXIT_FAILURE_RUNTIME;
	if (!catalog_load(&cat, cli->plans_dir, conn, err, sizeof(err))) {
		report(err);
		rc = EXIT_FAILURE_RUNTIME;
	} else {
		struct backfill_state *bfs = xcalloc(cat.n ? cat.n : 1, sizeof(*bfs));

		/* What the pgstep driving a migration records with each batch
		 * and request: rows, rates and ETA of its backfill, and a pause
		 * or resume not yet applied. */
		for (size_t i = 0; i < cat.n && rc == EXIT_OK; i++) {
			const struct catalog_entry *en = &cat.v[i];

			if (!en->rec.exists || en->rec.rolling_back)
				continue;
			/* read with the rest in one round trip; requests also at
			 * the gate, between phases */
			if (cat.overview) {
				bfs[i] = en->ov.bf;
				if (en->rec.running < 0)
					bfs[i].exists = false;
			} else if (en->rec.running >= 0 &&
				   !backfill_state_read(conn, en->name, &bfs[i], err, sizeof(err))) {
				fprintf(stderr, "pgstep: %s\n", err);
				rc = EXIT_FAILURE_RUNTIME;
			}
		}
		if (rc == EXIT_OK && cli->json)
			status_json(&cat, bfs);
		else if (rc == EXIT_OK)
			status_text(&cat, bfs);
		free(bfs);
	}
	catalog_free(&cat);
	PQfinish(conn);
	return rc;
}
