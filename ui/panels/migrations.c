/* Every migration: the plans in the plans directory and those recorded in
 * the database, with the phase reached, status and age; a plan file that
 * changed since it was applied, or that does not load, is flagged. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui/draw.h"

/* Rows of the list below the title and the column headings. */
static int
list_rows(const struct ui *ui)
{
	int h = ui->areas[P_MIGS].h - 2;

	return h > 1 ? h : 1;
}

/* The phase column: what runs now, else the last phase completed. */
static void
phase_text(const struct ui *ui, const struct mig_row *m, char *buf, size_t len)
{
	const struct worker_status *ws = ui->ws;

	if (strcmp(ws->current, m->name) == 0 && ws->phase_running >= 0)
		snprintf(buf, len, "%s%s", ws->rolling_back ? "undo " : "",
			 phase_name((enum phase) ws->phase_running));
	else if (m->phase_done < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s", phase_name((enum phase) m->phase_done));
}

/* The status column: the one this console drives is running or paused
 * now, whatever the list read from the database before it began. */
static const char *
status_text(const struct ui *ui, const struct mig_row *m)
{
	const struct worker_status *ws = ui->ws;

	if (strcmp(ws->current, m->name) == 0 && ws->phase_running >= 0)
		return ws->activity == ACTIVITY_PAUSED ? "paused" : "running";
	return m->status;
}

static enum role
status_role(const struct ui *ui, const struct mig_row *m)
{
	const char *st = status_text(ui, m);

	if (m->invalid || strcmp(st, "failed") == 0)
		return TH_ERROR;
	if (strcmp(st, "running") == 0 || strcmp(st, "paused") == 0 || strcmp(st, "stopped") == 0)
		return TH_WARN;
	if (strcmp(st, "done") == 0 || strcmp(st, "ok") == 0)
		return TH_OK;
	return TH_NORMAL;
}

static void
draw(struct ui *ui, const struct area *a)
{
	int idx[ST_MAX_MIGS], n = ui_visible_migs(ui, idx, ST_MAX_MIGS), sel = 0, rows = list_rows(ui);
	const struct mig_row *selm = ui_selected_mig(ui);
	/* AGE goes first when the panel is narrow: the name matters more. */
	bool show_age = a->w >= 50;
	int namew = 4, fixed = 2 + 9 + 8 + (show_age ? 5 : 0);
	time_t now = time(NULL);
	char title[200];

	draw_clear(a);
	if (ui->filter[0])
		snprintf(title, sizeof(title), "Migrations (%d of %d, /%s)", n, ui->ws->n_migs, ui->filter);
	else
		snprintf(title, sizeof(title), "Migrations (%d)", n);
	draw_title(a, title, ui->focus == P_MIGS, NULL);
	for (int i = 0; i < n; i++) {
		int w = text_width(ui->ws->migs[idx[i]].name);

		if (w > namew)
			namew = w;
		if (selm == &ui->ws->migs[idx[i]])
			sel = i;
	}
	/* The name gets what the other columns leave, the note the rest. */
	if (namew > a->w - fixed - 1)
		namew = a->w - fixed - 1;
	{
		char head[256];
		int used = snprintf(head, sizeof(head), "  %-*s %-8s %-7s", namew, "NAME", "PHASE", "STATUS");

		if (show_age)
			used += snprintf(head + used, sizeof(head) - used, " %4s", "AGE");
		if (a->w - used > 6)
			snprintf(head + used, sizeof(head) - used, " NOTE");
		draw_text(a, 1, 0, a->w, TH_COLHEAD, head);
	}
	if (n == 0) {
		draw_text(a, 2, 2, a->w - 2, TH_DIM,
			  ui->ws->n_migs ? "no migration matches the filter" : "no plans found and none recorded");
		return;
	}

	/* Keep the selection on screen. */
	if (sel < ui->mig_top)
		ui->mig_top = sel;
	if (sel >= ui->mig_top + rows)
		ui->mig_top = sel - rows + 1;
	if (ui->mig_top > n - rows)
		ui->mig_top = n - rows > 0 ? n - rows : 0;

	for (int r = 0; r < rows && ui->mig_top + r < n; r++) {
		const struct mig_row *m = &ui->ws->migs[idx[ui->mig_top + r]];
		bool is_sel = m == selm;
		enum role base = is_sel && ui->focus == P_MIGS ? TH_SELECTED : TH_NORMAL;
		char phase[32], age[16], note[200];
		int col;

		phase_text(ui, m, phase, sizeof(phase));
		fmt_age(m->updated_at ? m->updated_at : m->started_at, now, age, sizeof(age));
		if (m->invalid)
			snprintf(note, sizeof(note), "INVALID: %s", m->error);
		else if (m->held_by[0])
			snprintf(note, sizeof(note), "held by %s", m->held_by);
		else if (m->changed)
			snprintf(note, sizeof(note), "CHANGED since applied");
		else if (!m->file[0])
			snprintf(note, sizeof(note), "no plan file");
		else if (m->version_schema[0])
			snprintf(note, sizeof(note), "new version in schema %s", m->version_schema);
		else
			note[0] = '\0';

		if (base == TH_SELECTED)
			draw_row_fill(a, 2 + r, TH_SELECTED);
		draw_text(a, 2 + r, 0, 2, base, is_sel ? glyphs->sel : " ");
		col = 2;
		draw_text(a, 2 + r, col, namew, base, m->name);
		col += namew + 1;
		draw_text(a, 2 + r, col, 8, base, phase);
		col += 9;
		draw_text(a, 2 + r, col, 7, base == TH_SELECTED ? base : status_role(ui, m), status_text(ui, m));
		col += 8;
		if (show_age) {
			draw_fmt(a, 2 + r, col, 4, base, "%4s", age);
			col += 5;
		}
		/* A list that scrolls keeps its last two columns for the marker,
		 * so that an ASCII "v" is never taken for the note's last letter. */
		draw_text(a, 2 + r, col, a->w - col - (n > rows ? 2 : 0),
			  base == TH_SELECTED ? base : (m->invalid || m->held_by[0] || m->changed) ? TH_WARN : TH_DIM,
			  note);
	}
	if (ui->mig_top > 0)
		draw_text(a, 2, a->w - 1, 1, TH_DIM, glyphs->more_up);
	if (ui->mig_top + rows < n)
		draw_text(a, 1 + rows, a->w - 1, 1, TH_DIM, glyphs->more_down);
}

static void
open_details(struct ui *ui, const struct mig_row *m)
{
	char t1[32], t2[32];
	struct tm tm;

	ui_view_clear(ui);
	snprintf(ui->view_title, sizeof(ui->view_title), "Migration %s", m->name);
	ui_view_add(ui, "Migration %s", m->name);
	ui_view_add(ui, "  plan file     %s", m->file[0] ? m->file : "(none: only recorded in the database)");
	ui_view_add(ui, "  status        %s", status_text(ui, m));
	ui_view_add(ui, "  last phase    %s", m->phase_done < 0 ? "none (pending)" : phase_name((enum phase) m->phase_done));
	ui_view_add(ui, "  tables        %s", m->tables[0] ? m->tables : "(none known)");
	if (m->version_schema[0])
		ui_view_add(ui, "  version       schema %s: the new application sets search_path to it", m->version_schema);
	if (m->started_at) {
		localtime_r(&m->started_at, &tm);
		strftime(t1, sizeof(t1), "%Y-%m-%d %H:%M:%S", &tm);
		ui_view_add(ui, "  started       %s", t1);
	}
	if (m->updated_at) {
		localtime_r(&m->updated_at, &tm);
		strftime(t2, sizeof(t2), "%Y-%m-%d %H:%M:%S", &tm);
		ui_view_add(ui, "  updated       %s", t2);
	}
	if (m->changed)
		ui_view_add(ui, "  CHANGED       the plan file differs from the one applied (checksum)");
	if (m->invalid)
		ui_view_add(ui, "  INVALID       %s", m->error);
	else if (m->error[0])
		ui_view_add(ui, "  error         %s", m->error);
	if (m->held_by[0])
		ui_view_add(ui, "  held by       %s (read-only here)", m->held_by);
	ui_view_add(ui, "%s", "");
	ui_view_add(ui, "Phases");
	for (int ph = 0; ph < N_PHASES; ph++) {
		const struct phase_info *pi = &m->phases[ph];
		char dur[16], lw[16];

		fmt_ms(pi->duration_ms, dur, sizeof(dur));
		fmt_ms(pi->lock_wait_ms, lw, sizeof(lw));
		ui_view_add(ui, "  %-9s %-12s statements %-3d time %-8s lock wait %-8s attempts %d",
			    phase_name((enum phase) ph), pi->state[0] ? pi->state : "-", pi->steps, dur, lw,
			    pi->attempts);
	}
	ui_view_add(ui, "%s", "");
	ui_view_add(ui, "`pgstep show %s` prints every statement of every phase and its rollback.", m->name);
	ui->mode = M_VIEW;
}

static int
key(struct ui *ui, enum action act)
{
	int idx[ST_MAX_MIGS], n = ui_visible_migs(ui, idx, ST_MAX_MIGS), sel = 0;
	const struct mig_row *m = ui_selected_mig(ui);

	if (!m)
		return RD_NONE;
	for (int i = 0; i < n; i++)
		if (&ui->ws->migs[idx[i]] == m)
			sel = i;
	switch (act) {
	case ACT_UP:
		sel--;
		break;
	case ACT_DOWN:
		sel++;
		break;
	case ACT_PGUP:
		sel -= list_rows(ui);
		break;
	case ACT_PGDN:
		sel += list_rows(ui);
		break;
	case ACT_HOME:
		sel = 0;
		break;
	case ACT_END:
		sel = n - 1;
		break;
	case ACT_OPEN:
		open_details(ui, m);
		return RD_ALL;
	default:
		return RD_NONE;
	}
	if (sel < 0)
		sel = 0;
	if (sel >= n)
		sel = n - 1;
	snprintf(ui->sel_name, sizeof(ui->sel_name), "%s", ui->ws->migs[idx[sel]].name);
	return RD_MIGS | RD_PHASES | RD_FOOTER | RD_HEADER | RD_STATUS;
}

const struct panel_ops panel_migrations = {
	.title = "Migrations",
	.draw = draw,
	.key = key,
};
