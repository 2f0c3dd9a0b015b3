/* What the keys and the `:` commands do: each checks what the operator
 * may do now, says why not on the status line, asks for confirmation
 * where a mistake costs data, and sends one worker command. Nothing here
 * waits on the database. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "engine/live.h"
#include "ui.h"

static int
send_cmd(struct ui *ui, const struct worker_cmd *c, const char *done)
{
	if (!worker_send(ui->worker, c)) {
		ui_message(ui, MSG_ERROR, "the worker's queue is full: try again in a moment");
		return RD_STATUS;
	}
	ui_message_cmd(ui, c, done);
	return RD_STATUS | RD_FOOTER;
}

/* A migration another operator holds is read-only here. */
static bool
refuse_read_only(struct ui *ui, const struct mig_row *m)
{
	if (m->held_by[0]) {
		ui_message(ui, MSG_ERROR, "refused, read-only: %s is held by %s", m->name, m->held_by);
		return true;
	}
	if (ui->ws->read_only && strcmp(m->name, ui->sel_name) == 0) {
		ui_message(ui, MSG_ERROR, "refused, read-only: %s is held by %s", m->name,
			   ui->ws->read_only_reason[0] ? ui->ws->read_only_reason : "another operator");
		return true;
	}
	return false;
}

static const struct mig_row *
find_or_complain(struct ui *ui, const char *name)
{
	const struct mig_row *m = ui_find_mig(ui, name);

	if (!m)
		ui_message(ui, MSG_ERROR, "no migration named \"%s\"", name);
	return m;
}

/* The worker drives one phase at a time. */
static bool
refuse_busy(struct ui *ui, const char *what)
{
	const struct worker_status *ws = ui->ws;

	if (!ui_phase_running(ui))
		return false;
	if (ws->activity == ACTIVITY_GATE) {
		ui_message(ui, MSG_WARN, "%s: %s waits at the switch gate; R releases it, q stops the run", what,
			   ws->current);
		return true;
	}
	ui_message(ui, MSG_WARN, "%s: %s of %s is %s; wait for it, pause it (p) or :abort it", what,
		   phase_name((enum phase) ws->phase_running), ws->current,
		   ws->activity == ACTIVITY_PAUSED ? "paused" : "running");
	return true;
}

int
action_step(struct ui *ui, const char *name, int to_phase)
{
	const struct mig_row *m = find_or_complain(ui, name);
	struct prompt *p = &ui->prompt;
	struct worker_cmd c = {.kind = WCMD_STEP};
	int next;

	if (!m || refuse_read_only(ui, m))
		return RD_STATUS;
	if (m->invalid) {
		ui_message(ui, MSG_ERROR, "%s does not load: %s", m->name, m->error);
		return RD_STATUS;
	}
	next = m->phase_done + 1;
	if (next >= N_PHASES) {
		ui_message(ui, MSG_INFO, "%s is done: no phase left to run", m->name);
		return RD_STATUS;
	}
	if (to_phase >= 0 && to_phase < next) {
		ui_message(ui, MSG_INFO, "%s is already past %s", m->name, phase_name((enum phase) to_phase));
		return RD_STATUS;
	}
	if (refuse_busy(ui, "step"))
		return RD_STATUS;
	snprintf(c.name, sizeof(c.name), "%s", m->name);
	if (to_phase >= 0) {
		c.kind = WCMD_RUN_TO;
		c.arg = to_phase;
	}
	if (next == PHASE_CONTRACT || to_phase == PHASE_CONTRACT) {
		/* The point of no return: the name must be typed, after what
		 * is lost has been said. */
		if (m->n_contract_drops > 0)
			prompt_open(ui, PR_NAME, "contract drops data (above) and cannot be undone; type \"%s\" to run it: ",
				    m->name);
		else
			prompt_open(ui, PR_NAME, "contract: no step of it destroys data; type \"%s\" to run it: ", m->name);
		snprintf(p->details_title, sizeof(p->details_title), "Contract of %s drops", m->name);
		for (int i = 0; i < m->n_contract_drops && i < PROMPT_DETAILS; i++)
			snprintf(p->details[p->n_details++], sizeof(p->details[0]), "%s", m->contract_drops[i]);
		snprintf(p->expect, sizeof(p->expect), "%s", m->name);
		p->send = true;
		p->cmd = c;
		snprintf(p->done_msg, sizeof(p->done_msg), "running contract of %s", m->name);
		return RD_STATUS | RD_FOOTER;
	}
	if (to_phase >= 0) {
		char done[160];

		snprintf(done, sizeof(done), "running %s up to %s", m->name, phase_name((enum phase) to_phase));
		return send_cmd(ui, &c, done);
	} else {
		char done[160];

		snprintf(done, sizeof(done), "running %s of %s", phase_name((enum phase) next), m->name);
		return send_cmd(ui, &c, done);
	}
}

int
action_rollback(struct ui *ui, const char *name)
{
	const struct mig_row *m = find_or_complain(ui, name);
	struct prompt *p = &ui->prompt;
	const char *ph;

	if (!m || refuse_read_only(ui, m))
		return RD_STATUS;
	if (m->phase_done < 0) {
		ui_message(ui, MSG_INFO, "nothing to roll back: %s is pending", m->name);
		return RD_STATUS;
	}
	/* Refused before the name is asked for, not after. */
	if (m->undo_refused[0]) {
		ui_message(ui, MSG_WARN, "%s", m->undo_refused);
		return RD_STATUS;
	}
	/* The worker takes a rollback between phases; a running one is undone
	 * by :abort. */
	if (refuse_busy(ui, "roll back"))
		return RD_STATUS;
	ph = phase_name((enum phase) m->phase_done);
	prompt_open(ui, PR_NAME, "roll back %s of %s? type its name to confirm: ", ph, m->name);
	snprintf(p->expect, sizeof(p->expect), "%s", m->name);
	p->send = true;
	p->cmd.kind = WCMD_ROLLBACK;
	snprintf(p->cmd.name, sizeof(p->cmd.name), "%s", m->name);
	snprintf(p->done_msg, sizeof(p->done_msg), "rolling back %s of %s", ph, m->name);
	return RD_STATUS | RD_FOOTER;
}

int
action_pause(struct ui *ui, bool pause)
{
	struct worker_cmd c = {.kind = pause ? WCMD_PAUSE : WCMD_RESUME};
	const struct worker_status *ws = ui->ws;

	if (!ws->bf.active && ws->activity != ACTIVITY_PAUSED) {
		ui_message(ui, MSG_INFO, "nothing to %s: no backfill is running", pause ? "pause" : "resume");
		return RD_STATUS;
	}
	if (pause && ws->activity == ACTIVITY_PAUSED) {
		ui_message(ui, MSG_INFO, "already paused: p resumes");
		return RD_STATUS;
	}
	if (!pause && ws->activity != ACTIVITY_PAUSED) {
		ui_message(ui, MSG_INFO, "not paused");
		return RD_STATUS;
	}
	snprintf(c.name, sizeof(c.name), "%s", ws->current);
	return send_cmd(ui, &c, pause ? "pausing at the next batch boundary" : "resuming the backfill");
}

/* What the backfill accepts (engine.h: BATCH_MIN, BATCH_MAX); the console
 * clamps too, so that it shows the size that will really be used. */
#define BATCH_MIN 10
#define BATCH_MAX 100000

int
action_batch(struct ui *ui, int size)
{
	struct worker_cmd c = {.kind = WCMD_BATCH};
	char done[96];

	if (size > 0 && size < BATCH_MIN)
		size = BATCH_MIN;
	if (size > BATCH_MAX)
		size = BATCH_MAX;
	c.arg = size;
	ui->batch_set = size;

	if (size > 0)
		snprintf(done, sizeof(done), "batch size set to %d rows", size);
	else
		snprintf(done, sizeof(done), "batch size adaptive again");
	snprintf(c.name, sizeof(c.name), "%s", ui->ws->current);
	return send_cmd(ui, &c, done);
}

int
action_release(struct ui *ui)
{
	const struct worker_status *ws = ui->ws;
	struct prompt *p = &ui->prompt;

	if (ws->activity != ACTIVITY_GATE) {
		ui_message(ui, MSG_INFO, "nothing to release: no run waits at the switch gate");
		return RD_STATUS;
	}
	prompt_open(ui, PR_YESNO, "open the switch gate of %s: the switch starts now? [y/n] ", ws->current);
	p->send = true;
	p->cmd.kind = WCMD_RELEASE;
	snprintf(p->cmd.name, sizeof(p->cmd.name), "%s", ws->current);
	snprintf(p->done_msg, sizeof(p->done_msg), "switch gate of %s released: the switch starts", ws->current);
	return RD_STATUS | RD_FOOTER;
}

int
action_set(struct ui *ui, const char *assignment)
{
	struct worker_cmd c = {.kind = WCMD_SET};
	struct live_values scratch = {0};
	char why[1024], done[300];

	/* Checked here, on settings of its own, for the status line; the
	 * worker sets it on the running migration's (live_set). */
	if (!live_set_assignment(&scratch, assignment, why, sizeof(why))) {
		ui_message(ui, MSG_ERROR, "set %s: %s", assignment, why);
		return RD_STATUS;
	}
	if (strncmp(assignment, "batch_size=", strlen("batch_size=")) == 0)
		/* as :batch, which the progress panel shows as the next size */
		return action_batch(ui, live_batch_size(&scratch));
	snprintf(c.text, sizeof(c.text), "%s", assignment);
	snprintf(c.name, sizeof(c.name), "%s", ui->ws->current);
	snprintf(done, sizeof(done), "set %s", assignment);
	return send_cmd(ui, &c, done);
}

/* +/-: twice or half the size the backfill runs with now. */
static int
batch_step(struct ui *ui, bool up)
{
	int cur = ui->batch_set > 0 ? ui->batch_set : ui->ws->bf.batch_size;

	if (!ui->ws->bf.active || cur <= 0) {
		ui_message(ui, MSG_INFO, "no backfill is running: :batch N sets the size for the next one");
		return RD_STATUS;
	}
	if ((up && cur >= BATCH_MAX) || (!up && cur <= BATCH_MIN)) {
		ui_message(ui, MSG_INFO, "the batch size is already %d, the %s", cur, up ? "largest" : "smallest");
		return RD_STATUS;
	}
	return action_batch(ui, up ? cur * 2 : cur / 2);
}

int
action_kill_pid(struct ui *ui, int pid, bool terminate)
{
	struct prompt *p = &ui->prompt;
	const char *app = "";

	int64_t ms;
	const char *state = ui_session_state(ui, pid, &ms);

	for (int i = 0; i < ui->ms->n_waits; i++)
		if (ui->ms->waits[i].pid == pid)
			app = ui->ms->waits[i].application_name;
	for (int i = 0; i < ui->ms->pgstep.n_holders; i++)
		if (ui->ms->pgstep.holders[i].pid == pid)
			app = ui->ms->pgstep.holders[i].application_name;
	if (!terminate && strncmp(state, "idle in transaction", 19) == 0) {
		char age[32] = "";

		/* pg_cancel_backend stops a running query; an idle transaction
		 * has none, and keeps its locks. Say so, and offer what works. */
		if (ms >= 0) {
			char d[16];

			fmt_ms(ms, d, sizeof(d));
			snprintf(age, sizeof(age), " %s", d);
		}
		prompt_open(ui, PR_YESNO, "pid %d: %s%s, cancel cannot end it; terminate? [y/n] ", pid, state, age);
		terminate = true;
	} else {
		prompt_open(ui, PR_YESNO, "%s backend %d%s%s%s? [y/n] ",
			    terminate ? "terminate (end the session of)" : "cancel the query of", pid,
			    app[0] ? " (" : "", app, app[0] ? ")" : "");
	}
	p->send = true;
	p->cmd.kind = terminate ? WCMD_TERMINATE_PID : WCMD_CANCEL_PID;
	p->cmd.arg = pid;
	snprintf(p->done_msg, sizeof(p->done_msg), "%s of backend %d sent; waiting to see it take effect%s",
		 terminate ? "pg_terminate_backend" : "pg_cancel_backend", pid, glyphs->ellipsis);
	return RD_STATUS | RD_FOOTER;
}

int
action_abort(struct ui *ui)
{
	const struct worker_status *ws = ui->ws;
	struct prompt *p = &ui->prompt;

	if (!ui_phase_running(ui)) {
		ui_message(ui, MSG_INFO, "nothing to abort: no phase is running");
		return RD_STATUS;
	}
	prompt_open(ui, PR_YESNO, "abort %s of %s: cancel its statement, fail the phase and undo it? [y/n] ",
		    phase_name((enum phase) ws->phase_running), ws->current);
	p->send = true;
	p->cmd.kind = WCMD_ABORT;
	snprintf(p->cmd.name, sizeof(p->cmd.name), "%s", ws->current);
	snprintf(p->done_msg, sizeof(p->done_msg), "aborting %s of %s",
		 phase_name((enum phase) ws->phase_running), ws->current);
	return RD_STATUS | RD_FOOTER;
}

int
action_quit(struct ui *ui)
{
	const struct worker_status *ws = ui->ws;

	if (!ui_phase_running(ui))
		return RD_QUIT;
	if (ws->activity == ACTIVITY_GATE) {
		prompt_open(ui, PR_YESNO, "%s waits at the switch gate; quit? it stays there for the next run [y/n] ",
			    ws->current);
		ui->prompt.quit = true;
		return RD_STATUS | RD_FOOTER;
	}
	prompt_open(ui, PR_YESNO, "%s of %s is %s; quit? the backfill keeps its checkpoint [y/n] ",
		    phase_name((enum phase) ws->phase_running), ws->current,
		    ws->activity == ACTIVITY_PAUSED ? "paused" : "running");
	ui->prompt.quit = true;
	return RD_STATUS | RD_FOOTER;
}

static int
focus_cycle(struct ui *ui, int dir)
{
	static const enum panel_id order[] = {P_MIGS, P_LOCKS, P_LOG};
	int n = (int) (sizeof(order) / sizeof(order[0])), i;

	for (i = 0; i < n; i++)
		if (order[i] == ui->focus)
			break;
	ui->focus = order[((i + dir) % n + n) % n];
	return RD_MIGS | RD_LOCKS | RD_LOG | RD_FOOTER;
}

int
action_run(struct ui *ui, enum action act)
{
	const struct key_info *ki = keys_info(act);
	const struct mig_row *m = ui_selected_mig(ui);
	const struct panel_ops *focused;

	/* The key table says which actions change things. */
	if (ki && (ki->when & W_WRITES) && m && refuse_read_only(ui, m))
		return RD_STATUS;
	switch (act) {
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PGUP:
	case ACT_PGDN:
	case ACT_HOME:
	case ACT_END:
	case ACT_OPEN:
		focused = ui->focus == P_LOCKS ? &panel_locks : ui->focus == P_LOG ? &panel_log : &panel_migrations;
		return focused->key ? focused->key(ui, act) : RD_NONE;
	case ACT_NEXT_PANEL:
		return focus_cycle(ui, 1);
	case ACT_PREV_PANEL:
		return focus_cycle(ui, -1);
	case ACT_STEP:
		if (!m) {
			ui_message(ui, MSG_INFO, "no migration selected");
			return RD_STATUS;
		}
		return action_step(ui, m->name, -1);
	case ACT_ROLLBACK:
		if (!m) {
			ui_message(ui, MSG_INFO, "no migration selected");
			return RD_STATUS;
		}
		return action_rollback(ui, m->name);
	case ACT_PAUSE:
		return action_pause(ui, ui->ws->activity != ACTIVITY_PAUSED);
	case ACT_RELEASE:
		return action_release(ui);
	case ACT_BATCH_UP:
		return batch_step(ui, true);
	case ACT_BATCH_DOWN:
		return batch_step(ui, false);
	case ACT_CMDLINE:
		return cmdline_open(ui);
	case ACT_FILTER:
		prompt_open(ui, PR_FILTER, "/");
		snprintf(ui->prompt.buf, sizeof(ui->prompt.buf), "%s", ui->filter);
		return RD_STATUS | RD_FOOTER;
	case ACT_HELP:
		help_open(ui);
		return RD_ALL;
	case ACT_QUIT:
		return action_quit(ui);
	case ACT_REDRAW:
		return RD_ALL | RD_CLEAR;
	case ACT_NONE:
	case N_ACTIONS:
		break;
	}
	return RD_NONE;
}
