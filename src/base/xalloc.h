/* Allocation that cannot fail: pgstep stops with a message rather than
 * carrying a NULL into a half-built plan or a half-written checkpoint. */
#ifndef PGSTEP_XALLOC_H
#define PGSTEP_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
