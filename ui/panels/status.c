/* The status line: an open question, else the last message, else what
 * the worker is doing. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui/draw.h"

static void
draw(struct ui *ui, const struct area *a)
{
	const struct worker_status *ws = ui->ws;
	struct key_context kc;
	/* A failure or refusal published after the message is the news. */
	bool news = ws->activity == ACTIVITY_FAILED && ws->last_error[0] && ws->error_version > ui->msg_version;

	draw_clear(a);
	if (ui->mode == M_PROMPT) {
		int col = draw_text(a, 0, 0, a->w - 2, TH_WARN, ui->prompt.question);

		col += draw_text(a, 0, col, a->w - col - 1, TH_NORMAL, ui->prompt.buf);
		/* The cursor, where the next character goes. */
		ui->cur_y = a->y;
		ui->cur_x = a->x + (col < a->w ? col : a->w - 1);
		return;
	}
	if (ui_message_current(ui) && !news) {
		draw_text(a, 0, 0, a->w, ui->msg_level == MSG_ERROR ? TH_ERROR : ui->msg_level == MSG_WARN ? TH_WARN : TH_NORMAL,
			  ui->msg);
		return;
	}
	ui_key_context(ui, &kc);
	if (kc.read_only) {
		const struct mig_row *m = ui_selected_mig(ui);

		draw_fmt(a, 0, 0, a->w, TH_WARN, "read-only: %s is held by %s", m->name,
			 m->held_by[0] ? m->held_by : ws->read_only_reason);
		return;
	}
	if (ws->activity == ACTIVITY_FAILED && ws->last_error[0])
		draw_fmt(a, 0, 0, a->w, TH_ERROR, "%s: %s (Enter on the log line shows it in full)",
			 ws->refused ? "refused" : "failed", ws->last_error);
	else if (ws->current[0] && ws->phase_running >= 0)
		draw_fmt(a, 0, 0, a->w, TH_NORMAL, "%s %s of %s: step %d/%d %s", activity_name(ws->activity),
			 phase_name((enum phase) ws->phase_running), ws->current, ws->step_index + 1, ws->step_count,
			 ws->step_summary);
}

const struct panel_ops panel_status = {
	.title = "status",
	.draw = draw,
	.key = NULL,
};
