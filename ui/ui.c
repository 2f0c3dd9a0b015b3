/* The console's model: which migration is selected, what the key table's
 * conditions see, the status line's message. No drawing here. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

void
ui_message(struct ui *ui, enum msg_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_level = level;
	ui->msg_until = UNTIL_TIME;
	ui->msg_at = time(NULL);
	ui->msg_version = ui->ws ? ui->ws->version : 0;
}

void
ui_message_cmd(struct ui *ui, const struct worker_cmd *c, const char *text)
{
	ui_message(ui, MSG_INFO, "%s", text);
	switch (c->kind) {
	case WCMD_STEP:
	case WCMD_RUN_TO:
	case WCMD_ROLLBACK:
		ui->msg_until = UNTIL_CMD_DONE;
		ui->msg_seq = worker_last_queued(ui->worker);
		break;
	case WCMD_PAUSE:
		ui->msg_until = UNTIL_PAUSED;
		break;
	case WCMD_RESUME:
		ui->msg_until = UNTIL_RESUMED;
		break;
	default:
		break;
	}
}

/* Messages fade after this long, so an old one is not taken as news. */
#define MSG_SECONDS 20

bool
ui_message_current(const struct ui *ui)
{
	const struct worker_status *ws = ui->ws;

	if (!ui->msg[0] || time(NULL) - ui->msg_at >= MSG_SECONDS)
		return false;
	switch (ui->msg_until) {
	case UNTIL_TIME:
		break;
	case UNTIL_CMD_DONE:
		return ws->cmd_done < ui->msg_seq;
	case UNTIL_PAUSED:
		return ws->bf.active && ws->activity != ACTIVITY_PAUSED;
	case UNTIL_RESUMED:
		return ws->bf.active && ws->activity == ACTIVITY_PAUSED;
	}
	return true;
}

static bool
matches_filter(const struct ui *ui, const struct mig_row *m)
{
	return !ui->filter[0] || strstr(m->name, ui->filter) != NULL;
}

int
ui_visible_migs(const struct ui *ui, int *idx, int max)
{
	int n = 0;

	for (int i = 0; i < ui->ws->n_migs && n < max; i++)
		if (matches_filter(ui, &ui->ws->migs[i]))
			idx[n++] = i;
	return n;
}

const struct mig_row *
ui_find_mig(const struct ui *ui, const char *name)
{
	for (int i = 0; i < ui->ws->n_migs; i++)
		if (strcmp(ui->ws->migs[i].name, name) == 0)
			return &ui->ws->migs[i];
	return NULL;
}

const struct mig_row *
ui_selected_mig(struct ui *ui)
{
	int idx[ST_MAX_MIGS];
	int n = ui_visible_migs(ui, idx, ST_MAX_MIGS);

	for (int i = 0; i < n; i++)
		if (strcmp(ui->ws->migs[idx[i]].name, ui->sel_name) == 0)
			return &ui->ws->migs[idx[i]];
	/* The selection went away (filtered, or the list changed): take the first. */
	if (n == 0)
		return NULL;
	snprintf(ui->sel_name, sizeof(ui->sel_name), "%s", ui->ws->migs[idx[0]].name);
	return &ui->ws->migs[idx[0]];
}

int
ui_take_notice(struct ui *ui)
{
	const struct worker_status *ws = ui->ws;

	if (ws->notice_seq == ui->notice_seq)
		return RD_NONE;
	ui->notice_seq = ws->notice_seq;
	ui_message(ui, ws->notice_level == 'E' ? MSG_ERROR : ws->notice_level == 'W' ? MSG_WARN : MSG_INFO, "%s",
		   ws->notice);
	return RD_STATUS;
}

const char *
ui_session_state(const struct ui *ui, int pid, int64_t *ms)
{
	const struct monitor_snapshot *s = ui->ms;

	*ms = -1;
	for (int i = 0; i < s->pgstep.n_holders; i++) {
		if (s->pgstep.holders[i].pid == pid) {
			*ms = s->pgstep.holders[i].state_ms;
			return s->pgstep.holders[i].state;
		}
	}
	for (int i = 0; i < s->n_txns; i++)
		if (s->txns[i].pid == pid)
			return s->txns[i].state;
	for (int i = 0; i < s->n_waits; i++)
		if (s->waits[i].pid == pid)
			return "active";	/* waiting for a lock, in a statement */
	return "";
}

bool
ui_phase_running(const struct ui *ui)
{
	const struct worker_status *ws = ui->ws;

	return ws->current[0] && ws->phase_running >= 0 &&
		ws->activity != ACTIVITY_IDLE && ws->activity != ACTIVITY_FAILED;
}

void
ui_key_context(struct ui *ui, struct key_context *kc)
{
	const struct mig_row *m = ui_selected_mig(ui);
	const struct worker_status *ws = ui->ws;

	memset(kc, 0, sizeof(*kc));
	kc->has_mig = m != NULL;
	kc->read_only = m && (m->held_by[0] || ws->read_only);
	kc->backfill = ws->bf.active;
	kc->pausable = ws->bf.active || ws->activity == ACTIVITY_PAUSED;
	/* The worker drives one phase at a time. */
	kc->can_step = m && !m->invalid && m->phase_done < PHASE_CONTRACT && !ui_phase_running(ui);
	kc->can_undo = m && m->phase_done >= 0 && !ui_phase_running(ui);
	kc->undoable = !(m && m->undo_refused[0]);
	kc->gated = ws->activity == ACTIVITY_GATE;
}

void
ui_view_clear(struct ui *ui)
{
	for (int i = 0; i < ui->n_view_lines; i++)
		free(ui->view_lines[i]);
	ui->n_view_lines = 0;
	ui->view_top = 0;
}

void
ui_view_add(struct ui *ui, const char *fmt, ...)
{
	va_list ap;
	char *line;

	if (ui->n_view_lines >= UI_MAX_VIEW_LINES)
		return;
	if (ui->n_view_lines == UI_MAX_VIEW_LINES - 1) {
		ui->view_lines[ui->n_view_lines++] = xasprintf("(no more than %d lines are shown)", UI_MAX_VIEW_LINES);
		return;
	}
	/* Whole, however long: the view wraps it. */
	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = xstrdup("(out of memory)");
	va_end(ap);
	ui->view_lines[ui->n_view_lines++] = line;
}

void
ui_view_add_text(struct ui *ui, const char *indent, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	int col = 0;

	for (const char *p = text;; p++) {
		if (*p == '\n' || *p == '\0') {
			ui_view_add(ui, "%s%s", indent, sb.buf ? sb.buf : "");
			sb_free(&sb);
			col = 0;
			if (!*p)
				break;
			continue;
		}
		if (*p == '\t') {
			/* Tabs to the next multiple of 8, as a terminal would. */
			do
				sb_puts(&sb, " ");
			while (++col % 8);
			continue;
		}
		sb_printf(&sb, "%c", *p);
		col++;
	}
}
