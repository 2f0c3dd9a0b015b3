/* Diagnostics about a plan: every problem is collected, then all are
 * printed as FILE:LINE:COL: message, so an author fixes them in one pass. */
#ifndef PGSTEP_DIAG_H
#define PGSTEP_DIAG_H

#include <stddef.h>
#include <stdio.h>

struct diag_item {
	char *file;
	int line;		/* 1-based; 0 when the problem has no position */
	int col;		/* 1-based */
	char *msg;
};

struct diag {
	struct diag_item *items;
	size_t n;
	size_t cap;
};

void diag_add(struct diag *d, const char *file, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void diag_print(const struct diag *d, FILE *out);
void diag_free(struct diag *d);

#endif
