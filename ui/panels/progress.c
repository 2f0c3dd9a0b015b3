/* What the worker is doing now: the running step, and for a backfill its
 * bar, rows, both rates, batch, ETA, replica lag and a sparkline; for a
 * CREATE INDEX CONCURRENTLY, its progress as the monitor sees it (on a
 * partition: which of the table's partitions it is). The
 * state (running, PAUSED, WAITING) is shown apart from the ETA. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui/draw.h"

/* The state word, and what it waits for. */
static void
state_text(const struct worker_status *ws, char *buf, size_t len, enum role *role)
{
	const char *detail = ws->activity_detail;

	*role = TH_WARN;
	switch (ws->activity) {
	case ACTIVITY_IDLE:
		snprintf(buf, len, "idle");
		*role = TH_DIM;
		break;
	case ACTIVITY_RUNNING:
		snprintf(buf, len, "RUNNING");
		*role = TH_OK;
		break;
	case ACTIVITY_PAUSED:
		snprintf(buf, len, "PAUSED");
		break;
	case ACTIVITY_WAIT_LAG:
		snprintf(buf, len, "WAITING: %s", detail[0] ? detail : "replica lag");
		break;
	case ACTIVITY_THROTTLED:
		/* the signal that holds it: "THROTTLED: active sessions 31 > 25" */
		snprintf(buf, len, "THROTTLED%s%s", detail[0] ? ": " : "", detail);
		break;
	case ACTIVITY_WAIT_LOCK:
		/* "WAITING: lock" first: the detail names the holder. */
		snprintf(buf, len, "WAITING: lock%s%s", detail[0] ? ", " : "", detail);
		break;
	case ACTIVITY_FAILED:
		snprintf(buf, len, "%s: %s", ws->refused ? "REFUSED" : "FAILED", ws->last_error[0] ? ws->last_error : detail);
		*role = TH_ERROR;
		break;
	case ACTIVITY_GATE:
		/* "WAITING: switch gate since 2024-05-01 14:02:11, R releases" */
		snprintf(buf, len, "WAITING: %s, R releases", detail[0] ? detail : "switch gate");
		break;
	}
}

static void
fmt_eta(int64_t eta_s, char *buf, size_t len)
{
	if (eta_s < 0)
		snprintf(buf, len, "n/a");
	else if (eta_s == 0)
		snprintf(buf, len, "due");
	else
		fmt_ms(eta_s * 1000, buf, len);
}

static void
draw_backfill(const struct area *a, int row, const struct backfill_progress *bf,
	      const struct monitor_snapshot *ms, int batch_set, bool spark)
{
	int64_t total = bf->rows_total > bf->rows_done ? bf->rows_total : bf->rows_done;
	double frac = total > 0 ? (double) bf->rows_done / (double) total : 0;
	int barw = a->w - 40 > 10 ? a->w - 40 : 10;
	char eta[16], lag[16], last[16], avg[16], thr[48] = "";
	int64_t lag_ms = bf->lag_ms >= 0 ? bf->lag_ms : ms->replica_lag_ms;

	draw_bar(a, row, 1, barw, frac);
	draw_fmt(a, row, barw + 2, a->w - barw - 2, TH_NORMAL, "%5.1f%%  %" PRId64 " / %" PRId64 " rows",
		 frac * 100, bf->rows_done, total);
	fmt_count(bf->rate_last, last, sizeof(last));
	fmt_count(bf->rate_avg, avg, sizeof(avg));
	if (batch_set > 0 && batch_set != bf->batch_size)
		draw_fmt(a, row + 1, 1, a->w - 1, TH_NORMAL,
			 "rows/s %s last second, %s smoothed   batch %d rows, %d ms, next %d", last, avg,
			 bf->batch_size, bf->batch_ms, batch_set);
	else
		draw_fmt(a, row + 1, 1, a->w - 1, TH_NORMAL,
			 "rows/s %s last second, %s smoothed   batch %d rows, %d ms", last, avg, bf->batch_size,
			 bf->batch_ms);
	fmt_eta(bf->eta_s, eta, sizeof(eta));
	if (lag_ms >= 0)
		fmt_ms(lag_ms, lag, sizeof(lag));
	else
		snprintf(lag, sizeof(lag), "none");
	if (bf->throttled_ms >= 1000) {
		char t[16];

		fmt_ms(bf->throttled_ms, t, sizeof(t));
		snprintf(thr, sizeof(thr), "   throttled %s", t);
	}
	if (bf->unconverted > 0)
		draw_fmt(a, row + 2, 1, a->w - 1, TH_NORMAL, "ETA %-8s replica lag %-7s unconverted rows %" PRId64 "%s",
			 eta, lag, bf->unconverted, thr);
	else
		draw_fmt(a, row + 2, 1, a->w - 1, TH_NORMAL, "ETA %-8s replica lag %s%s", eta, lag, thr);
	if (spark && row + 3 < a->h) {
		int sw = a->w - 22 > 10 ? a->w - 22 : 10;

		draw_spark(a, row + 3, 1, sw, bf->spark, bf->n_spark);
		draw_fmt(a, row + 3, sw + 2, a->w - sw - 2, TH_DIM, "rows/s, %d s", bf->n_spark);
	}
}

static void
draw_index(const struct area *a, int row, const struct index_progress *ix)
{
	int64_t done = ix->blocks_total > 0 ? ix->blocks_done : ix->tuples_done;
	int64_t total = ix->blocks_total > 0 ? ix->blocks_total : ix->tuples_total;
	double frac = total > 0 ? (double) done / (double) total : 0;
	int barw = a->w - 40 > 10 ? a->w - 40 : 10;

	if (ix->partitions_n > 0)
		/* the index of one partition; the bar below is that partition's */
		draw_fmt(a, row, 1, a->w - 1, TH_NORMAL, "%s: partition %d of %d, %s (pid %d): %s", ix->parent,
			 ix->partition_k, ix->partitions_n, ix->partition, ix->pid, ix->phase);
	else
		draw_fmt(a, row, 1, a->w - 1, TH_NORMAL, "CREATE INDEX CONCURRENTLY %s (pid %d): %s", ix->index, ix->pid,
			 ix->phase);
	if (row + 1 >= a->h)
		return;
	draw_bar(a, row + 1, 1, barw, frac);
	draw_fmt(a, row + 1, barw + 2, a->w - barw - 2, TH_NORMAL,
		 "%5.1f%%  blocks %" PRId64 "/%" PRId64 "  tuples %" PRId64 "/%" PRId64, frac * 100,
		 ix->blocks_done, ix->blocks_total, ix->tuples_done, ix->tuples_total);
}

/* The VACUUM (ANALYZE) after a backfill, on a line of its own: waiting for
 * its lock (behind whom), else its phase and blocks. */
static void
draw_vacuum(const struct area *a, int row, const struct vacuum_progress *v)
{
	double frac = v->blocks_total > 0 ? (double) v->blocks_done / (double) v->blocks_total : 0;
	int col, barw;

	if (strcmp(v->phase, "waiting for its lock") == 0) {
		draw_fmt(a, row, 1, a->w - 2, TH_WARN, "VACUUM (ANALYZE) %s (pid %d): waiting for its lock%s%s", v->relation,
			 v->pid, v->blockers[0] ? ", held by " : "", v->blockers);
		return;
	}
	col = 1 + draw_fmt(a, row, 1, a->w - 2, TH_NORMAL, "VACUUM (ANALYZE) %s: ", v->relation);
	/* room after the bar for "performing final cleanup, blocks 123456/123456" */
	barw = a->w - col - 50;
	if (barw < 10) {
		draw_fmt(a, row, col, a->w - col - 1, TH_NORMAL, "%s", v->phase);
		return;
	}
	draw_bar(a, row, col, barw, frac);
	draw_fmt(a, row, col + barw + 1, a->w - col - barw - 2, TH_NORMAL, "%s, blocks %" PRId64 "/%" PRId64,
		 v->phase, v->blocks_done, v->blocks_total);
}

static void
draw(struct ui *ui, const struct area *a)
{
	const struct worker_status *ws = ui->ws;
	const struct index_progress *ix = &ui->ms->index;
	const struct vacuum_progress *vac = &ui->ms->vacuum;
	char title[128], state[600];
	enum role role;
	int row = 1;

	draw_clear(a);
	if (ws->bf.active)
		snprintf(title, sizeof(title), "Backfill %s", ws->bf.table);
	else if (ix->active)
		snprintf(title, sizeof(title), "Index build %s", ix->index);
	else
		snprintf(title, sizeof(title), "Progress");
	state_text(ws, state, sizeof(state), &role);
	draw_title(a, title, false, NULL);

	/* First line: the state, then what runs. */
	row = 1;
	{
		int col = 1;

		col += draw_text(a, row, col, a->w - 2, role, state);
		if (ws->current[0] && ws->phase_running >= 0 && ws->activity != ACTIVITY_FAILED)
			draw_fmt(a, row, col + 2, a->w - col - 3, TH_NORMAL, "%s%s of %s, step %d/%d: %s",
				 ws->rolling_back ? "rolling back " : "", phase_name((enum phase) ws->phase_running),
				 ws->current, ws->step_index + 1, ws->step_count, ws->step_summary);
		if (ws->attempts > 1 && ws->activity == ACTIVITY_WAIT_LOCK)
			draw_fmt(a, row + 1, 1, a->w - 2, TH_WARN, "lock attempt %d", ws->attempts);
	}
	row++;
	if (ws->bf.active) {
		/* The VACUUM after the copy takes the sparkline's row. */
		draw_backfill(a, row, &ws->bf, ui->ms, ui->batch_set, !vac->active);
		if (vac->active && row + 3 < a->h)
			draw_vacuum(a, row + 3, vac);
		if (ix->active && row + 4 < a->h)
			draw_index(a, row + 4, ix);
	} else if (vac->active) {
		draw_vacuum(a, row, vac);
	} else if (ix->active) {
		draw_index(a, row + (ws->attempts > 1 && ws->activity == ACTIVITY_WAIT_LOCK), ix);
	} else if (!ws->current[0] && ws->activity == ACTIVITY_IDLE) {
		draw_text(a, row, 1, a->w - 2, TH_DIM, "nothing running: select a migration and press s to step it");
	}
}

const struct panel_ops panel_progress = {
	.title = "Progress",
	.draw = draw,
	.key = NULL,
};
