/* A growable string for building SQL and messages. */
#ifndef PGSTEP_STRBUF_H
#define PGSTEP_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void sb_puts(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hands the string to the caller (never NULL) and empties the buffer. */
char *sb_steal(struct strbuf *sb);
void sb_free(struct strbuf *sb);

/* Copies src into a fixed-size field, cutting it (at a UTF-8 character
 * boundary) when it does not fit; always terminates. */
void str_copy(char *dst, size_t size, const char *src);

#endif
