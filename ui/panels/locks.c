/* Lock waits from the monitor, longest first: each waiting session with
 * the pids that block it from pg_blocking_pids(), which include the
 * sessions queued behind a waiting ALTER (the lock queue a migration
 * causes). pgstep's own sessions are marked. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui/draw.h"

static int
list_rows(const struct ui *ui)
{
	int h = ui->areas[P_LOCKS].h - 2;

	return h > 1 ? h : 1;
}

/* AccessExclusiveLock -> AccessExclusive: the suffix costs columns. */
static void
short_mode(const char *mode, char *buf, size_t len)
{
	size_t n = strlen(mode);

	if (n > 4 && strcmp(mode + n - 4, "Lock") == 0)
		n -= 4;
	snprintf(buf, len, "%.*s", (int) n, mode);
}

static void
blockers_text(const struct lock_wait *w, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int b = 0; b < w->n_blockers && used < len; b++)
		used += snprintf(buf + used, len - used, "%s%d", b ? "," : "", w->blockers[b]);
	if (w->n_blockers == 0)
		snprintf(buf, len, "-");
}

/* "AccessShareLock,RowExclusiveLock" -> "AccessShare, RowExclusive". */
static void
short_modes(const char *modes, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	while (*modes && used < len) {
		size_t n = strcspn(modes, ",");
		char one[64], shorter[64];

		snprintf(one, sizeof(one), "%.*s", (int) n, modes);
		short_mode(one, shorter, sizeof(shorter));
		used += snprintf(buf + used, len - used, "%s%s", used ? ", " : "", shorter);
		modes += n + (modes[n] == ',');
	}
}

/*
 * While pgstep retries a lock: what it waits for, first, whatever the
 * age of the holders (between attempts nobody waits, so the list below
 * would say nothing), in at most max_rows rows (the title gives the
 * count of blockers). Returns the next free row.
 */
static int
draw_pgstep(const struct ui *ui, const struct area *a, int row, int max_rows)
{
	int end = row + max_rows < a->h ? row + max_rows : a->h;
	const struct pgstep_wait *pw = &ui->ms->pgstep;
	char mode[32], queued[128] = "", last[16];

	short_mode(pw->mode, mode, sizeof(mode));
	fmt_ms(pw->attempt_ms, last, sizeof(last));
	if (pw->attempts_seen == 0)
		snprintf(queued, sizeof(queued), "no attempt caught waiting yet");
	else if (pw->queued > 0) {
		char qms[16];

		fmt_ms(pw->queued_ms, qms, sizeof(qms));
		snprintf(queued, sizeof(queued), "%s %s, %d session%s queued behind it for up to %s",
			 pw->in_attempt ? "this attempt waits" : "the last attempt waited", last, pw->queued,
			 pw->queued == 1 ? "" : "s", qms);
	} else {
		snprintf(queued, sizeof(queued), "%s %s, nobody queued behind it",
			 pw->in_attempt ? "this attempt waits" : "the last attempt waited", last);
	}
	draw_fmt(a, row++, 2, a->w - 2, TH_WARN, "pgstep (pid %d) retries %s%s%s: %s; %d attempt%s seen", pw->pid,
		 mode[0] ? mode : "its lock", pw->relation[0] ? " on " : "", pw->relation, queued, pw->attempts_seen,
		 pw->attempts_seen == 1 ? "" : "s");
	/* Two rows a blocker when there is room: its query on the second. */
	bool two = end - row >= 2 * pw->n_holders;

	for (int i = 0; i < pw->n_holders && row < end; i++) {
		const struct lock_holder *h = &pw->holders[i];
		char state[16], xact[16], modes[96], what[160], query[256];
		int col;

		fmt_ms(h->state_ms, state, sizeof(state));
		fmt_ms(h->xact_ms, xact, sizeof(xact));
		short_modes(h->mode, modes, sizeof(modes));
		if (modes[0])
			snprintf(what, sizeof(what), "holds %s", modes);
		else
			snprintf(what, sizeof(what), "queued ahead of pgstep");
		snprintf(query, sizeof(query), "%s: %s", h->application_name[0] ? h->application_name : "-", h->query);
		col = 2 + draw_text(a, row, 2, a->w - 2, TH_ERROR, "BLOCKS PGSTEP");
		draw_fmt(a, row, col + 1, a->w - col - 1, TH_WARN, "pid %d %s %s, %s, transaction %s%s%s", h->pid,
			 h->state[0] ? h->state : "?", state, what, h->xact_ms >= 0 ? xact : "none", two ? "" : ", ",
			 two ? "" : query);
		row++;
		if (two && row < end)
			draw_text(a, row++, 4, a->w - 4, TH_WARN, query);
	}
	return row;
}

static void
draw(struct ui *ui, const struct area *a)
{
	const struct monitor_snapshot *ms = ui->ms;
	int rows = list_rows(ui), n = ms->n_waits, right, top = 2;
	char title[96], polled[64];
	bool focused = ui->focus == P_LOCKS;
	bool pgstep_blocked = ms->pgstep.active && (ms->pgstep.attempts_seen > 0 || ms->pgstep.n_holders > 0);

	draw_clear(a);
	/* The sessions count says the database is alive even when nobody waits. */
	if (ms->polled_at)
		snprintf(title, sizeof(title), "Lock waits (%d) of %d sessions", n, ms->n_sessions);
	else
		snprintf(title, sizeof(title), "Lock waits (%d)", n);
	if (pgstep_blocked)
		snprintf(title + strlen(title), sizeof(title) - strlen(title), ", pgstep blocked by %d",
			 ms->pgstep.n_holders);
	if (ms->polled_at) {
		struct tm tm;
		char at[16];

		localtime_r(&ms->polled_at, &tm);
		strftime(at, sizeof(at), "%H:%M:%S", &tm);
		snprintf(polled, sizeof(polled), "every %gs, polled %s in %dms", ui->interval_ms / 1000.0, at,
			 (int) ms->poll_ms);
	} else {
		snprintf(polled, sizeof(polled), "every %gs", ui->interval_ms / 1000.0);
	}
	draw_title(a, title, focused, polled);
	if (pgstep_blocked && ms->connected) {
		int room = a->h - 1;

		/* Half the rows when others wait too (pgstep's own wait is
		 * among them); the column headings are theirs. */
		top = draw_pgstep(ui, a, 1, n > 0 ? ((room - 1) / 2 > 2 ? (room - 1) / 2 : 2) : room);
		if (n > 0)
			draw_fmt(a, top++, 0, a->w, TH_COLHEAD, "  %-7s %6s %-15s %-12s %-12s %-12s %-8s%s", "PID", "WAIT",
				 "MODE", "RELATION", "BLOCKED BY", "APPLICATION", "START", a->w > 86 ? " QUERY" : "");
		rows = a->h - top > 0 ? a->h - top : 0;
	} else {
		draw_fmt(a, 1, 0, a->w, TH_COLHEAD, "  %-7s %6s %-15s %-12s %-12s %-12s %-8s%s", "PID", "WAIT", "MODE",
			 "RELATION", "BLOCKED BY", "APPLICATION", "START", a->w > 86 ? " QUERY" : "");
		pgstep_blocked = false;
	}
	if (!ms->connected && ms->error[0]) {
		draw_fmt(a, 2, 2, a->w - 2, TH_ERROR, "monitor: %s", ms->error);
		return;
	}
	if (n == 0) {
		int row = top;

		if (!pgstep_blocked)
			draw_text(a, row++, 2, a->w - 2, TH_DIM, "no session is waiting for a lock");
		/* Room left: the long transactions a DDL would queue behind. */
		for (int i = 0; i < ms->n_txns && row < a->h; i++) {
			char age[16];

			fmt_ms(ms->txns[i].age_ms, age, sizeof(age));
			draw_fmt(a, row++, 2, a->w - 2, TH_WARN, "long transaction: pid %d open %s, %s (%s) %s",
				 ms->txns[i].pid, age, ms->txns[i].state, ms->txns[i].application_name, ms->txns[i].query);
		}
		return;
	}
	if (rows == 0)
		return;
	if (ui->lock_sel >= n)
		ui->lock_sel = n - 1;
	if (ui->lock_sel < 0)
		ui->lock_sel = 0;
	if (ui->lock_sel < ui->lock_top)
		ui->lock_top = ui->lock_sel;
	if (ui->lock_sel >= ui->lock_top + rows)
		ui->lock_top = ui->lock_sel - rows + 1;
	if (ui->lock_top > n - rows)
		ui->lock_top = n - rows > 0 ? n - rows : 0;

	/* A list that scrolls keeps its last two columns for the marker, so
	 * that an ASCII "v" is never taken for the text's last letter. */
	right = a->w - (n > rows ? 2 : 0);
	for (int r = 0; r < rows && ui->lock_top + r < n; r++) {
		int i = ui->lock_top + r;
		const struct lock_wait *w = &ms->waits[i];
		bool sel = focused && i == ui->lock_sel;
		enum role role = sel ? TH_SELECTED : w->is_pgstep ? TH_OWN : TH_NORMAL;
		char wait[16], mode[32], blockers[160];

		fmt_ms(w->wait_ms, wait, sizeof(wait));
		short_mode(w->mode, mode, sizeof(mode));
		blockers_text(w, blockers, sizeof(blockers));
		if (sel)
			draw_row_fill(a, top + r, TH_SELECTED);
		draw_text(a, top + r, 0, 2, role, w->is_pgstep ? glyphs->own : " ");
		draw_fmt(a, top + r, 2, 8, role, "%-7d", w->pid);
		draw_fmt(a, top + r, 10, 6, role, "%6s", wait);
		draw_text(a, top + r, 17, 15, role, mode);
		draw_text(a, top + r, 33, 12, role, w->relation);
		draw_text(a, top + r, 46, 12, sel ? role : TH_WARN, blockers);
		draw_text(a, top + r, 59, 12, role, w->application_name);
		draw_text(a, top + r, 72, right - 72 < 8 ? right - 72 : 8, role, w->query_start);
		draw_text(a, top + r, 81, right - 81, role, w->query);
	}
	if (ui->lock_top + rows < n)
		draw_fmt(a, top - 1 + rows, a->w - 1, 1, TH_DIM, "%s", glyphs->more_down);
}

static void
open_wait(struct ui *ui, const struct lock_wait *w)
{
	char blockers[160], wait[16];

	blockers_text(w, blockers, sizeof(blockers));
	fmt_ms(w->wait_ms, wait, sizeof(wait));
	ui_view_clear(ui);
	snprintf(ui->view_title, sizeof(ui->view_title), "Lock wait of pid %d", w->pid);
	ui_view_add(ui, "Session %d%s", w->pid, w->is_pgstep ? " (pgstep's own)" : "");
	ui_view_add(ui, "  waiting for   %s on %s, for %s", w->mode, w->relation, wait);
	ui_view_add(ui, "  blocked by    %s (pg_blocking_pids: holders and sessions queued ahead)", blockers);
	ui_view_add(ui, "  application   %s", w->application_name);
	ui_view_add(ui, "  query start   %s", w->query_start);
	ui_view_add(ui, "  query         %s", w->query);
	ui_view_add(ui, "%s", "");
	ui_view_add(ui, ":cancel PID cancels a blocker's query, :terminate PID ends its session (both ask first).");
	ui->mode = M_VIEW;
}

static int
key(struct ui *ui, enum action act)
{
	int n = ui->ms->n_waits;

	switch (act) {
	case ACT_UP:
		ui->lock_sel--;
		break;
	case ACT_DOWN:
		ui->lock_sel++;
		break;
	case ACT_PGUP:
		ui->lock_sel -= list_rows(ui);
		break;
	case ACT_PGDN:
		ui->lock_sel += list_rows(ui);
		break;
	case ACT_HOME:
		ui->lock_sel = 0;
		break;
	case ACT_END:
		ui->lock_sel = n - 1;
		break;
	case ACT_OPEN:
		if (n == 0)
			return RD_NONE;
		if (ui->lock_sel >= n)
			ui->lock_sel = n - 1;
		open_wait(ui, &ui->ms->waits[ui->lock_sel < 0 ? 0 : ui->lock_sel]);
		return RD_ALL;
	default:
		return RD_NONE;
	}
	if (ui->lock_sel >= n)
		ui->lock_sel = n - 1;
	if (ui->lock_sel < 0)
		ui->lock_sel = 0;
	return RD_LOCKS;
}

const struct panel_ops panel_locks = {
	.title = "Lock waits",
	.draw = draw,
	.key = key,
};
