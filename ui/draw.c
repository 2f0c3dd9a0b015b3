/* Drawing on stdscr within a panel's area: every call clips, so a panel
 * cannot draw over its neighbour however long a name or a query is. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "draw.h"
#include "base/sanitize.h"
#include "base/xalloc.h"

void
draw_clear(const struct area *a)
{
	for (int r = 0; r < a->h; r++)
		mvhline(a->y + r, a->x, ' ', a->w);
}

/* Decodes text into wide characters after the one sanitizer every
 * runtime message passes (src/sanitize.h: no control character, valid
 * UTF-8), '?' for what the locale cannot decode (no UTF-8 locale). */
static wchar_t *
to_wide(const char *text, size_t *n)
{
	char *clean = sanitize(text);
	const char *s = clean;
	size_t len = strlen(s), o = 0;
	wchar_t *w = xmalloc((len + 1) * sizeof(wchar_t));
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	while (*s) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, strlen(s), &st);

		if (k == (size_t) -1 || k == (size_t) -2 || k == 0) {
			memset(&st, 0, sizeof(st));
			wc = '?';
			k = 1;
		}
		/* A locale other than UTF-8 (Latin-1) decodes bytes of a valid
		 * UTF-8 character into C1 controls: those too become '?'. */
		if (wc < 0x20 || (wc >= 0x7F && wc <= 0x9F))
			wc = '?';
		w[o++] = wc;
		s += k;
	}
	w[o] = 0;
	*n = o;
	free(clean);
	return w;
}

static int
wc_width(wchar_t wc)
{
	int cw = wcwidth(wc);

	return cw < 0 ? 1 : cw;
}

int
text_width(const char *s)
{
	size_t n;
	wchar_t *w = to_wide(s, &n);
	int width = 0;

	for (size_t i = 0; i < n; i++)
		width += wc_width(w[i]);
	free(w);
	return width;
}

int
draw_text(const struct area *a, int row, int col, int width, enum role r, const char *s)
{
	size_t n, cut;
	wchar_t *w;
	int used = 0, ell;

	if (row < 0 || row >= a->h || col < 0 || col >= a->w)
		return 0;
	if (width < 0 || col + width > a->w)
		width = a->w - col;
	if (width <= 0)
		return 0;
	w = to_wide(s, &n);
	for (cut = 0; cut < n; cut++) {
		int cw = wc_width(w[cut]);

		if (used + cw > width)
			break;
		used += cw;
	}
	attrset(theme_attr(r));
	if (cut < n) {
		/* Too long: make room for the ellipsis. */
		ell = text_width(glyphs->ellipsis);
		while (cut > 0 && used + ell > width)
			used -= wc_width(w[--cut]);
		mvaddnwstr(a->y + row, a->x + col, w, (int) cut);
		if (used + ell <= width) {
			addstr(glyphs->ellipsis);
			used += ell;
		}
	} else {
		mvaddnwstr(a->y + row, a->x + col, w, (int) cut);
	}
	attrset(A_NORMAL);
	free(w);
	return used;
}

int
draw_fmt(const struct area *a, int row, int col, int width, enum role r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return draw_text(a, row, col, width, r, buf);
}

void
draw_row_fill(const struct area *a, int row, enum role r)
{
	if (row < 0 || row >= a->h)
		return;
	attrset(theme_attr(r));
	mvhline(a->y + row, a->x, ' ', a->w);
	attrset(A_NORMAL);
}

void
draw_title(const struct area *a, const char *title, bool focused, const char *right)
{
	int col = 0;

	attrset(theme_attr(TH_DIM));
	for (int c = 0; c < a->w; c++)
		mvaddstr(a->y, a->x + c, glyphs->hline);
	attrset(A_NORMAL);
	col = 1;
	col += draw_fmt(a, 0, col, a->w - 2, focused ? TH_TITLE_FOCUS : TH_TITLE, " %s ", title);
	if (right && *right) {
		int rw = text_width(right) + 2;

		if (a->w - rw - 1 > col)
			draw_fmt(a, 0, a->w - rw - 1, rw, TH_TITLE, " %s ", right);
	}
}

void
draw_bar(const struct area *a, int row, int col, int width, double fraction)
{
	int eighths;

	if (fraction < 0)
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	eighths = (int) (fraction * width * 8 + 0.5);
	attrset(theme_attr(TH_BAR));
	for (int c = 0; c < width && col + c < a->w; c++) {
		int fill = eighths - c * 8;
		const char *g;

		if (fill >= 8)
			g = glyphs->bar_full;
		else if (fill > 0)
			g = glyphs->bar_part[fill];
		else
			g = glyphs->bar_empty;
		if (fill < 8 && fill <= 0)
			attrset(theme_attr(TH_DIM));
		mvaddstr(a->y + row, a->x + col + c, g);
	}
	attrset(A_NORMAL);
}

void
draw_spark(const struct area *a, int row, int col, int width, const float *v, int n)
{
	float max = 0;
	int first = n > width ? n - width : 0;

	for (int i = first; i < n; i++)
		if (v[i] > max)
			max = v[i];
	attrset(theme_attr(TH_BAR));
	for (int i = first; i < n && col < a->w; i++, col++) {
		int level = max > 0 ? (int) (v[i] / max * 7 + 0.5) : 0;

		if (level < 0)
			level = 0;
		if (level > 7)
			level = 7;
		mvaddstr(a->y + row, a->x + col, glyphs->spark[level]);
	}
	attrset(A_NORMAL);
}

void
fmt_ms(int64_t ms, char *buf, size_t len)
{
	if (ms < 0)
		snprintf(buf, len, "-");
	else if (ms < 1000)
		snprintf(buf, len, "%dms", (int) ms);
	else if (ms < 60000)
		snprintf(buf, len, "%.1fs", ms / 1000.0);
	else if (ms < 3600000)
		snprintf(buf, len, "%dm%02ds", (int) (ms / 60000), (int) (ms / 1000 % 60));
	else
		snprintf(buf, len, "%dh%02dm", (int) (ms / 3600000), (int) (ms / 60000 % 60));
}

void
fmt_age(time_t t, time_t now, char *buf, size_t len)
{
	long s = (long) (now - t);

	if (t <= 0)
		snprintf(buf, len, "-");
	else if (s < 60)
		snprintf(buf, len, "%lds", s < 0 ? 0 : s);
	else if (s < 3600)
		snprintf(buf, len, "%ldm", s / 60);
	else if (s < 86400)
		snprintf(buf, len, "%ldh", s / 3600);
	else
		snprintf(buf, len, "%ldd", s / 86400);
}

void
fmt_count(double n, char *buf, size_t len)
{
	if (n < 10000)
		snprintf(buf, len, "%.0f", n);
	else if (n < 1e6)
		snprintf(buf, len, "%.1fk", n / 1e3);
	else
		snprintf(buf, len, "%.1fM", n / 1e6);
}
