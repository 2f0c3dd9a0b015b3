/* The header: what database this is, whether pgstep is connected to it,
 * the clock, and where help is. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui/draw.h"

/* The worker's and the monitor's connections: either one lost is shown. */
static void
conn_state(const struct ui *ui, char *buf, size_t len, enum role *role)
{
	const struct worker_status *ws = ui->ws;
	const struct monitor_snapshot *ms = ui->ms;

	*role = TH_BANNER;
	if (!ws->connected && ws->conn_error[0]) {
		snprintf(buf, len, "DISCONNECTED: %s", ws->conn_error);
		*role = TH_ERROR;
	} else if (!ms->connected && ms->error[0]) {
		snprintf(buf, len, "DISCONNECTED: monitor: %s", ms->error);
		*role = TH_ERROR;
	} else if (!ws->connected) {
		snprintf(buf, len, "connecting%s", glyphs->ellipsis);
	} else {
		snprintf(buf, len, "connected");
	}
}

static void
draw(struct ui *ui, const struct area *a)
{
	const struct worker_status *ws = ui->ws;
	char state[300], clock[16], right[48], version[32];
	time_t now = time(NULL);
	struct key_context kc;
	struct tm tm;
	enum role role;
	int col = 1, rw, room;

	draw_row_fill(a, 0, TH_BANNER);
	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	snprintf(right, sizeof(right), "%s  ? help", clock);
	rw = text_width(right);
	room = a->w - rw - 3;
	conn_state(ui, state, sizeof(state), &role);
	/* "15.4 (Debian 15.4-1)": the number is what matters. */
	snprintf(version, sizeof(version), "%.*s", (int) strcspn(ws->server_version, " "), ws->server_version);

	col += draw_fmt(a, 0, col, room - col, TH_BANNER, "pgstep %s %s ", PACKAGE_VERSION, glyphs->sep);
	col += draw_fmt(a, 0, col, room - col, TH_BANNER, "%s %s ", ws->database[0] ? ws->database : "-",
			glyphs->sep);
	/* A lost connection needs the room more than the version does. */
	if (version[0] && role != TH_ERROR)
		col += draw_fmt(a, 0, col, room - col, TH_BANNER, "PostgreSQL %s %s ", version, glyphs->sep);
	col += draw_text(a, 0, col, room - col, role, state);
	ui_key_context(ui, &kc);
	if (kc.read_only && col + 12 < room)
		draw_text(a, 0, col + 1, 10, TH_ERROR, "READ-ONLY");
	draw_text(a, 0, a->w - rw - 1, rw, TH_BANNER, right);
}

const struct panel_ops panel_header = {
	.title = "header",
	.draw = draw,
	.key = NULL,
};
