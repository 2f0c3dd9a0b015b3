/* Text that other sessions wrote (query text, application names, server
 * errors, key values) made safe to show: every runtime message passes
 * through here before it reaches a terminal, a log, a JSON reader or the
 * state tables, so an ESC sequence planted in a query cannot drive the
 * operator's terminal. */
#ifndef PGSTEP_SANITIZE_H
#define PGSTEP_SANITIZE_H

#include <stddef.h>

/* A copy of s (NULL reads as "") in which valid UTF-8 stays as it is,
 * except control characters: tab, newline, vertical tab, form feed and
 * carriage return become a space, every other C0 character, DEL and the
 * C1 set (U+0080..U+009F) a '?'. A byte that does not start a valid UTF-8
 * sequence (overlong, surrogate, beyond U+10FFFF, cut short) becomes a
 * '?'. The caller frees. */
char *sanitize(const char *s);
/* The same into a fixed-size field, cut at a character boundary. */
void sanitize_copy(char *dst, size_t size, const char *s);

#endif
