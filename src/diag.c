#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

#include "diag.h"
#include "strbuf.h"
#include "xalloc.h"

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
	it->msg = sb_steal(&sb);
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
