#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

/*
 * A message is one line a terminal shows as it is: what a plan smuggled
 * into it through a quoted value (a newline, an escape sequence, a C1
 * control) is written escaped, and a huge value is cut in the middle, so
 * that both what is wrong and the hint after the value stay readable.
 */
#define DIAG_MAX_MSG 1000

static char *
one_line(const char *msg)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(msg);
	bool cut = false;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char) msg[i];

		if (n > DIAG_MAX_MSG && !cut && i >= DIAG_MAX_MSG / 2 && (c & 0xc0) != 0x80) {
			size_t resume = n - DIAG_MAX_MSG / 2;

			while (resume < n && ((unsigned char) msg[resume] & 0xc0) == 0x80)
				resume++;
			sb_printf(&sb, " [%zu bytes cut] ", resume - i);
			cut = true;
			i = resume - 1;
			continue;
		}
		if (c == '\n')
			sb_puts(&sb, "\\n");
		else if (c == '\t')
			sb_puts(&sb, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sb_printf(&sb, "\\x%02x", c);
		else if (c == 0xc2 && i + 1 < n && (unsigned char) msg[i + 1] >= 0x80 &&
			 (unsigned char) msg[i + 1] <= 0x9f)
			sb_printf(&sb, "\\u%04x", (unsigned char) msg[++i]);
		else
			sb_printf(&sb, "%c", c);
	}
	return sb.buf ? sb_steal(&sb) : xstrdup("");
}

void
diag_add(struct diag *d, const char *file, int line, int col, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct diag_item *it;
	va_list ap;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->items = xrealloc(d->items, d->cap * sizeof(*d->items));
	}
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	it = &d->items[d->n++];
	it->file = xstrdup(file ? file : "");
	it->line = line;
	it->col = col;
	it->msg = one_line(sb.buf ? sb.buf : "");
	sb_free(&sb);
}

void
diag_print(const struct diag *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_item *it = &d->items[i];

		if (it->line > 0)
			fprintf(out, "%s:%d:%d: %s\n", it->file, it->line, it->col, it->msg);
		else
			fprintf(out, "%s: %s\n", it->file, it->msg);
	}
}

void
diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].msg);
	}
	free(d->items);
	d->items = NULL;
	d->n = d->cap = 0;
}
