/* A full-screen page of text (the help, a migration's details, an error in
 * full), wrapped to the terminal's width and scrolled with the usual keys. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "draw.h"
#include "ui.h"
#include "base/xalloc.h"

/* Where each screen row starts: a line and a byte offset in it. */
struct wrapped {
	int line;
	int off;
};

/* Splits the view's lines into rows of at most width columns. */
static int
wrap(const struct ui *ui, int width, struct wrapped *rows, int max)
{
	int n = 0;

	for (int i = 0; i < ui->n_view_lines && n < max; i++) {
		const char *s = ui->view_lines[i];
		int off = 0, len = (int) strlen(s);

		do {
			int used = 0, k = off;
			mbstate_t st;

			rows[n].line = i;
			rows[n].off = off;
			n++;
			memset(&st, 0, sizeof(st));
			while (k < len) {
				wchar_t wc;
				size_t b = mbrtowc(&wc, s + k, len - k, &st);
				int cw;

				if (b == (size_t) -1 || b == (size_t) -2 || b == 0) {
					memset(&st, 0, sizeof(st));
					b = 1;
					wc = '?';
				}
				cw = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
				if (used + cw > width)
					break;
				used += cw;
				k += (int) b;
			}
			off = k;
		} while (off < len && n < max);
	}
	return n;
}

static int
page_rows(const struct ui *ui)
{
	return ui->rows - 2 > 1 ? ui->rows - 2 : 1;
}

/* The first key of act, named as the help screen names it. */
static void
first_key(enum action act, char *buf, size_t len)
{
	const struct key_info *ki = keys_info(act);

	keys_name(ki ? ki->keys[0] : 0, buf, len);
}

/* The footer names the keys view_key answers, from the key table. */
static void
view_footer(char *buf, size_t len)
{
	char up[24], down[24], pgup[24], pgdn[24], quit[24], esc[24], open[24];

	first_key(ACT_UP, up, sizeof(up));
	first_key(ACT_DOWN, down, sizeof(down));
	first_key(ACT_PGUP, pgup, sizeof(pgup));
	first_key(ACT_PGDN, pgdn, sizeof(pgdn));
	first_key(ACT_QUIT, quit, sizeof(quit));
	first_key(ACT_OPEN, open, sizeof(open));
	keys_name(KC_ESC, esc, sizeof(esc));
	snprintf(buf, len, "%s/%s %s/%s scroll  %s, %s or %s closes", up, down, pgup, pgdn, quit, esc, open);
}

void
view_draw(struct ui *ui)
{
	struct area a = {0, 0, ui->rows, ui->cols};
	int max = UI_MAX_VIEW_LINES * 8, n, body = page_rows(ui);
	char footer[256];
	struct wrapped *rows = malloc(sizeof(*rows) * (size_t) max);

	if (!rows)
		return;
	n = wrap(ui, ui->cols - 2 > 10 ? ui->cols - 2 : 10, rows, max);
	if (ui->view_top > n - body)
		ui->view_top = n - body > 0 ? n - body : 0;
	draw_clear(&a);
	draw_row_fill(&a, 0, TH_BANNER);
	draw_fmt(&a, 0, 1, ui->cols - 2, TH_BANNER, "%s", ui->view_title);
	for (int r = 0; r < body && ui->view_top + r < n; r++) {
		const struct wrapped *w = &rows[ui->view_top + r];
		const char *line = ui->view_lines[w->line];
		/* A heading is a line that does not start with a space. */
		enum role role = w->off == 0 && line[0] && line[0] != ' ' ? TH_TITLE : TH_NORMAL;
		/* Only this row's part: given the rest of the line, draw_text
		 * would end the row with an ellipsis over its last character. */
		bool more = ui->view_top + r + 1 < n && rows[ui->view_top + r + 1].line == w->line;
		int end = more ? rows[ui->view_top + r + 1].off : (int) strlen(line);
		char *part = xstrndup(line + w->off, (size_t) (end - w->off));

		draw_text(&a, 1 + r, 1, ui->cols - 2, role, part);
		free(part);
	}
	draw_row_fill(&a, ui->rows - 1, TH_BANNER);
	view_footer(footer, sizeof(footer));
	draw_fmt(&a, ui->rows - 1, 1, ui->cols - 2, TH_BANNER, "%s%s  %s",
		 ui->view_top > 0 ? glyphs->more_up : " ", ui->view_top + body < n ? glyphs->more_down : " ", footer);
	free(rows);
}

int
view_key(struct ui *ui, int key)
{
	enum action act = keys_action(key);
	int body = page_rows(ui);

	switch (act) {
	case ACT_UP:
		ui->view_top = ui->view_top > 0 ? ui->view_top - 1 : 0;
		return RD_ALL;
	case ACT_DOWN:
		ui->view_top++;		/* view_draw clamps it */
		return RD_ALL;
	case ACT_PGUP:
		ui->view_top = ui->view_top > body ? ui->view_top - body : 0;
		return RD_ALL;
	case ACT_PGDN:
		ui->view_top += body;
		return RD_ALL;
	case ACT_HOME:
		ui->view_top = 0;
		return RD_ALL;
	case ACT_END:
		ui->view_top = 1 << 20;
		return RD_ALL;
	case ACT_REDRAW:
		return RD_ALL | RD_CLEAR;
	case ACT_QUIT:
	case ACT_OPEN:
	case ACT_HELP:
		ui->mode = M_NORMAL;
		return RD_ALL;
	default:
		if (key == KC_ESC) {
			ui->mode = M_NORMAL;
			return RD_ALL;
		}
		return RD_NONE;
	}
}
