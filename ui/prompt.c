/* Questions on the status line: y/n, a migration's name typed to confirm,
 * and the / filter. They are modes of the main loop, not a nested read, so
 * the screen keeps refreshing while the operator thinks. */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "draw.h"
#include "ui.h"

void
prompt_open(struct ui *ui, enum prompt_kind kind, const char *fmt, ...)
{
	struct prompt *p = &ui->prompt;
	va_list ap;

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	va_start(ap, fmt);
	vsnprintf(p->question, sizeof(p->question), fmt, ap);
	va_end(ap);
	ui->mode = M_PROMPT;
}

static int
close_prompt(struct ui *ui)
{
	ui->mode = M_NORMAL;
	/* The details box lay over the panels above. */
	return ui->prompt.n_details ? RD_ALL : RD_STATUS | RD_FOOTER | RD_MIGS | RD_PHASES;
}

void
prompt_draw_details(struct ui *ui)
{
	const struct prompt *p = &ui->prompt;
	const struct area *st = &ui->areas[P_STATUS];
	struct area a;

	if (ui->mode != M_PROMPT || p->n_details == 0)
		return;
	a = (struct area) {st->y - 1 - p->n_details, 0, 1 + p->n_details, ui->cols};
	draw_clear(&a);
	draw_title(&a, p->details_title, true, NULL);
	for (int i = 0; i < p->n_details; i++)
		draw_text(&a, 1 + i, 2, a.w - 2, TH_WARN, p->details[i]);
}

static int
accept(struct ui *ui)
{
	struct prompt *p = &ui->prompt;
	int rd = close_prompt(ui);

	if (p->quit)
		return RD_QUIT;
	if (p->send) {
		if (worker_send(ui->worker, &p->cmd))
			ui_message_cmd(ui, &p->cmd, p->done_msg);
		else
			ui_message(ui, MSG_ERROR, "the worker's queue is full: try again in a moment");
	}
	return rd;
}

static int
cancel(struct ui *ui, const char *why)
{
	ui_message(ui, MSG_INFO, "%s", why);
	return close_prompt(ui);
}

/* Appends a typed character as UTF-8; false when it is not one. */
static bool
append(struct prompt *p, int key)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n, len = strlen(p->buf);

	if (key < 32 || key == 127 || key >= KC_FN(0))
		return false;
	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, (wchar_t) key, &st);
	if (n == (size_t) -1 || len + n >= sizeof(p->buf))
		return true;
	memcpy(p->buf + len, mb, n);
	p->buf[len + n] = '\0';
	return true;
}

/* Removes the last character, however many bytes it has. */
static void
backspace(struct prompt *p)
{
	size_t len = strlen(p->buf);

	while (len > 0 && ((unsigned char) p->buf[len - 1] & 0xC0) == 0x80)
		len--;
	if (len > 0)
		len--;
	p->buf[len] = '\0';
}

static bool
is_backspace(int key)
{
	return key == KC_FN(KEY_BACKSPACE) || key == 127 || key == 8;
}

static bool
is_enter(int key)
{
	return key == '\n' || key == '\r' || key == KC_FN(KEY_ENTER);
}

int
prompt_key(struct ui *ui, int key)
{
	struct prompt *p = &ui->prompt;

	switch (p->kind) {
	case PR_YESNO:
		if (key == 'y' || key == 'Y')
			return accept(ui);
		if (key == 'n' || key == 'N' || key == KC_ESC || key == 'q' || key == KC_CTRL('G'))
			return cancel(ui, "cancelled");
		return RD_NONE;
	case PR_NAME:
		if (key == KC_ESC || key == KC_CTRL('G'))
			return cancel(ui, "cancelled");
		if (is_enter(key)) {
			if (strcmp(p->buf, p->expect) == 0)
				return accept(ui);
			ui_message(ui, MSG_WARN, "not confirmed: the name typed was not \"%s\"", p->expect);
			return close_prompt(ui);
		}
		if (is_backspace(key))
			backspace(p);
		else
			append(p, key);
		return RD_STATUS;
	case PR_FILTER:
		if (key == KC_ESC || key == KC_CTRL('G')) {
			ui->filter[0] = '\0';
			return cancel(ui, "filter cleared");
		}
		if (is_enter(key)) {
			if (ui->filter[0])
				ui_message(ui, MSG_INFO, "showing migrations matching \"%s\" (/ then Enter on nothing shows all)",
					   ui->filter);
			else
				ui->msg[0] = '\0';
			return close_prompt(ui);
		}
		if (is_backspace(key))
			backspace(p);
		else
			append(p, key);
		snprintf(ui->filter, sizeof(ui->filter), "%s", p->buf);
		ui->mig_top = 0;
		return RD_STATUS | RD_MIGS | RD_PHASES;
	}
	return RD_NONE;
}
