/* Sizes as plans write them, in PostgreSQL's memory units: 512kB, 20MB,
 * 1GB (1024-based); 0 alone means none. */
#ifndef PGSTEP_SIZE_H
#define PGSTEP_SIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest size a setting takes: 1TB. */
#define SIZE_MAX_BYTES ((int64_t) 1 << 40)

/* Parses s into bytes; false (with a reason in err) when it is not a size
 * or is larger than SIZE_MAX_BYTES. */
bool size_parse(const char *s, int64_t *bytes, char *err, size_t errlen);
/* Writes bytes back in the largest unit that divides it: 20MB, 1536kB. */
void size_format(int64_t bytes, char *buf, size_t len);
/* Bytes for reading, rounded: "19.5MB". */
void size_human(double bytes, char *buf, size_t len);

#endif
