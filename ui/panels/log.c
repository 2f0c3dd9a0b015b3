/* The worker's log: every statement with its lock wait and duration, and
 * every error; newest at the bottom, Enter shows a line in full. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/draw.h"

static int
list_rows(const struct ui *ui)
{
	int h = ui->areas[P_LOG].h - 1;

	return h > 1 ? h : 1;
}

/* The i-th line, oldest first. */
static const struct log_line *
log_at(const struct worker_status *ws, int i)
{
	int start = ws->n_log < ST_LOG_LINES ? 0 : ws->log_head;

	return &ws->log[(start + i) % ST_LOG_LINES];
}

static enum role
level_role(char level)
{
	switch (level) {
	case 'E':
		return TH_ERROR;
	case 'W':
		return TH_WARN;
	case 'I':
		return TH_DIM;
	default:
		return TH_NORMAL;
	}
}

static void
draw(struct ui *ui, const struct area *a)
{
	const struct worker_status *ws = ui->ws;
	int rows = list_rows(ui), n = ws->n_log, sel, first;
	bool focused = ui->focus == P_LOG;
	char title[64];

	draw_clear(a);
	snprintf(title, sizeof(title), "Log (%d)", n);
	draw_title(a, title, focused, ui->log_sel > 0 ? "scrolled: End follows" : NULL);
	if (n == 0) {
		draw_text(a, 1, 2, a->w - 2, TH_DIM, "no statement run yet");
		return;
	}
	if (ui->log_sel > n - 1)
		ui->log_sel = n - 1;
	sel = n - 1 - ui->log_sel;
	/* The newest at the bottom, unless the selection is further up. */
	first = n - rows;
	if (sel < first)
		first = sel;
	if (first < 0)
		first = 0;
	for (int r = 0; r < rows && first + r < n; r++) {
		const struct log_line *l = log_at(ws, first + r);
		bool is_sel = focused && first + r == sel;
		enum role role = is_sel ? TH_SELECTED : level_role(l->level);
		char at[16];
		struct tm tm;

		localtime_r(&l->at, &tm);
		strftime(at, sizeof(at), "%H:%M:%S", &tm);
		if (is_sel)
			draw_row_fill(a, 1 + r, TH_SELECTED);
		draw_fmt(a, 1 + r, 1, a->w - 1, role, "%s %c %s", at, l->level, l->text);
	}
}

static void
open_line(struct ui *ui, const struct log_line *l)
{
	const struct worker_status *ws = ui->ws;
	char at[32], *line = NULL, *sql = NULL;
	struct tm tm;

	localtime_r(&l->at, &tm);
	strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S", &tm);
	ui_view_clear(ui);
	snprintf(ui->view_title, sizeof(ui->view_title), "Log line of %s", at);
	ui_view_add(ui, "%s  %s", at,
		    l->level == 'E' ? "error" : l->level == 'W' ? "warning" : l->level == 'S' ? "statement" : "info");
	if (l->level == 'S' && worker_log_statement(ui->worker, l->seq, &line, &sql)) {
		/* The step, what it cost, and all of its SQL. */
		ui_view_add(ui, "  %s", line);
		ui_view_add(ui, "%s", "");
		ui_view_add(ui, "Statement");
		ui_view_add_text(ui, "  ", sql);
		free(line);
		free(sql);
		ui->mode = M_VIEW;
		return;
	}
	ui_view_add(ui, "  %s", l->text);
	if (l->level == 'S')
		ui_view_add(ui, "  (the statement is no longer kept here: pgstep.steps has it)");
	/* The log ring keeps a line short; the last error is kept in full. */
	if (l->level == 'E' && ws->last_error[0]) {
		ui_view_add(ui, "%s", "");
		ui_view_add(ui, "Last error in full");
		ui_view_add(ui, "  %s", ws->last_error);
	}
	ui->mode = M_VIEW;
}

static int
key(struct ui *ui, enum action act)
{
	int n = ui->ws->n_log;

	switch (act) {
	case ACT_UP:
		ui->log_sel++;
		break;
	case ACT_DOWN:
		ui->log_sel--;
		break;
	case ACT_PGUP:
		ui->log_sel += list_rows(ui);
		break;
	case ACT_PGDN:
		ui->log_sel -= list_rows(ui);
		break;
	case ACT_HOME:
		ui->log_sel = n - 1;
		break;
	case ACT_END:
		ui->log_sel = 0;
		break;
	case ACT_OPEN:
		if (n == 0)
			return RD_NONE;
		open_line(ui, log_at(ui->ws, n - 1 - (ui->log_sel < n ? ui->log_sel : n - 1)));
		return RD_ALL;
	default:
		return RD_NONE;
	}
	if (ui->log_sel > n - 1)
		ui->log_sel = n - 1;
	if (ui->log_sel < 0)
		ui->log_sel = 0;
	return RD_LOG;
}

const struct panel_ops panel_log = {
	.title = "Log",
	.draw = draw,
	.key = key,
};
