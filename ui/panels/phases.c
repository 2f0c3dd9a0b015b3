/* The phases of the selected migration: each with its state, how long it
 * took, how long it waited for locks and how many attempts that took. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui/draw.h"

/* What the phase is doing now, from the worker when it drives it. */
static const char *
phase_state(const struct ui *ui, const struct mig_row *m, int ph, enum role *role)
{
	const struct worker_status *ws = ui->ws;
	const char *st = m->phases[ph].state;

	*role = TH_NORMAL;
	if (strcmp(ws->current, m->name) == 0 && ws->phase_running == ph) {
		*role = TH_WARN;
		if (ws->rolling_back)
			return "undoing";
		switch (ws->activity) {
		case ACTIVITY_PAUSED:
			return "PAUSED";
		case ACTIVITY_WAIT_LAG:
			return "wait: lag";
		case ACTIVITY_WAIT_LOCK:
			return "wait: lock";
		case ACTIVITY_THROTTLED:
			return "throttled";
		case ACTIVITY_FAILED:
			*role = TH_ERROR;
			return "failed";
		default:
			return "running";
		}
	}
	if (strcmp(st, "failed") == 0) {
		*role = TH_ERROR;
		return st;
	}
	if (st[0]) {
		*role = strcmp(st, "done") == 0 ? TH_OK : TH_NORMAL;
		return st;
	}
	if (ph <= m->phase_done) {
		*role = TH_OK;
		return "done";
	}
	if (ph == m->phase_done + 1) {
		*role = TH_TITLE;
		return "next";
	}
	*role = TH_DIM;
	return "-";
}

static void
draw(struct ui *ui, const struct area *a)
{
	const struct mig_row *m = ui_selected_mig(ui);
	char title[96];
	int row;

	draw_clear(a);
	snprintf(title, sizeof(title), "Phases%s%s", m ? ": " : "", m ? m->name : "");
	draw_title(a, title, false, NULL);
	if (!m) {
		draw_text(a, 2, 2, a->w - 2, TH_DIM, "no migration selected");
		return;
	}
	draw_fmt(a, 1, 1, a->w - 1, TH_COLHEAD, "%-8s %-11s %6s %6s %3s", "PHASE", "STATE", "TIME", "LOCK",
		 "TRY");
	for (int ph = 0; ph < N_PHASES; ph++) {
		const struct phase_info *pi = &m->phases[ph];
		enum role role;
		const char *st = phase_state(ui, m, ph, &role);
		char dur[16], lw[16], tries[12];
		int col = 1;

		if (pi->duration_ms > 0 || pi->steps > 0)
			fmt_ms(pi->duration_ms, dur, sizeof(dur));
		else
			snprintf(dur, sizeof(dur), "-");
		if (pi->lock_wait_ms > 0)
			fmt_ms(pi->lock_wait_ms, lw, sizeof(lw));
		else
			snprintf(lw, sizeof(lw), "-");
		if (pi->attempts > 0)
			snprintf(tries, sizeof(tries), "%d", pi->attempts);
		else
			snprintf(tries, sizeof(tries), "-");
		draw_fmt(a, 2 + ph, col, 8, TH_NORMAL, "%-8s", phase_name((enum phase) ph));
		col += 9;
		draw_fmt(a, 2 + ph, col, 11, role, "%-11s", st);
		col += 12;
		draw_fmt(a, 2 + ph, col, a->w - col, TH_NORMAL, "%6s %6s %3s", dur, lw, tries);
	}
	/* Rows left over: who holds it, or what went wrong. */
	row = 2 + N_PHASES;
	if (m->held_by[0])
		draw_fmt(a, row++, 1, a->w - 1, TH_WARN, "held by %s", m->held_by);
	if (m->error[0])
		draw_fmt(a, row++, 1, a->w - 1, TH_ERROR, "%s", m->error);
	if (strcmp(ui->ws->current, m->name) == 0 && ui->ws->step_summary[0])
		draw_fmt(a, row++, 1, a->w - 1, TH_DIM, "step %d/%d: %s", ui->ws->step_index + 1, ui->ws->step_count,
			 ui->ws->step_summary);
}

const struct panel_ops panel_phases = {
	.title = "Phases",
	.draw = draw,
	.key = NULL,
};
