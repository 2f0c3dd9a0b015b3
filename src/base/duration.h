/* Durations as plans write them: 250ms, 2s, 1m, 1h, 7d. */
#ifndef PGSTEP_DURATION_H
#define PGSTEP_DURATION_H

#include <stdbool.h>
#include <stddef.h>

/* Parses s into milliseconds; false (with a reason in err) when it is not a
 * duration or does not fit in an int of milliseconds. */
bool duration_parse(const char *s, int *ms, char *err, size_t errlen);
/* Writes ms back in the largest unit that divides it: 250ms, 2s, 1m. */
void duration_format(int ms, char *buf, size_t len);

#endif
