/* The footer: the keys that apply now, from the key table. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui/draw.h"

static int
item_role(const struct area *a, int col, const char *key, enum role kr, const char *label, enum role lr)
{
	int kw, lw;

	if (col >= a->w)
		return col;
	kw = draw_text(a, 0, col, a->w - col, kr, key);
	col += kw;
	lw = draw_fmt(a, 0, col, a->w - col, lr, " %s ", label);
	return col + lw;
}

static int
item(const struct area *a, int col, const char *key, const char *label)
{
	return item_role(a, col, key, TH_KEY, label, TH_NORMAL);
}

static void
draw(struct ui *ui, const struct area *a)
{
	struct key_context kc;
	int col = 0;

	draw_clear(a);
	if (ui->mode == M_CMDLINE) {
		col = item(a, col, "Enter", "run");
		col = item(a, col, "Tab", "complete");
		col = item(a, col, "Up/Down", "history");
		item(a, col, "Esc", "cancel");
		return;
	}
	if (ui->mode == M_PROMPT) {
		if (ui->prompt.kind == PR_YESNO) {
			col = item(a, col, "y", "yes");
			item(a, col, "n", "no");
		} else {
			col = item(a, col, "Enter", "confirm");
			item(a, col, "Esc", ui->prompt.kind == PR_FILTER ? "clear" : "cancel");
		}
		return;
	}
	ui_key_context(ui, &kc);
	if (kc.read_only)
		col = item(a, col, "READ-ONLY", "");
	for (size_t i = 0; i < n_key_table; i++) {
		const struct key_info *ki = &key_table[i];
		char key[32];

		if (!ki->footer || !keys_applies(ki->act, &kc) || (kc.read_only && (ki->when & W_WRITES)))
			continue;
		if (ki->act == ACT_PAUSE && ui->ws->activity == ACTIVITY_PAUSED) {
			col = item(a, col, "p", "resume");
			continue;
		}
		keys_name(ki->keys[0], key, sizeof(key));
		if (keys_unavailable(ki->act, &kc)) {
			/* Not offered: pressing it says why. */
			char label[64];

			snprintf(label, sizeof(label), "no %s", ki->footer);
			col = item_role(a, col, key, TH_DIM, label, TH_DIM);
			continue;
		}
		col = item(a, col, key, ki->footer);
	}
}

const struct panel_ops panel_footer = {
	.title = "footer",
	.draw = draw,
	.key = NULL,
};
