#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/size.h"

/* PostgreSQL's memory units (guc.c's memory_unit_conversion_table). */
static const struct {
	const char *suffix;
	int64_t bytes;
} units[] = {
	{"B", 1}, {"kB", 1024}, {"MB", 1024 * 1024}, {"GB", 1024 * 1024 * 1024}, {"TB", (int64_t) 1 << 40},
};

#define N_UNITS (sizeof(units) / sizeof(units[0]))

bool
size_parse(const char *s, int64_t *bytes, char *err, size_t errlen)
{
	char *end;
	long long n;

	if (!isdigit((unsigned char) *s)) {
		snprintf(err, errlen, "\"%s\" is not a size (write it as 512kB, 20MB or 1GB)", s);
		return false;
	}
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno == ERANGE || n > SIZE_MAX_BYTES) {
		snprintf(err, errlen, "size \"%s\" is too large (at most 1TB)", s);
		return false;
	}
	if (*end == '\0' && n == 0) {
		*bytes = 0;
		return true;
	}
	for (size_t i = 0; i < N_UNITS; i++) {
		if (strcmp(end, units[i].suffix) == 0) {
			if (n > SIZE_MAX_BYTES / units[i].bytes) {
				snprintf(err, errlen, "size \"%s\" is too large (at most 1TB)", s);
				return false;
			}
			*bytes = (int64_t) n * units[i].bytes;
			return true;
		}
	}
	snprintf(err, errlen, "\"%s\" is not a size: the unit must be B, kB, MB, GB or TB (case matters, as in PostgreSQL)", s);
	return false;
}

void
size_format(int64_t bytes, char *buf, size_t len)
{
	for (int i = (int) N_UNITS - 1; i >= 0; i--) {
		if (bytes != 0 && bytes % units[i].bytes == 0) {
			snprintf(buf, len, "%lld%s", (long long) (bytes / units[i].bytes), units[i].suffix);
			return;
		}
	}
	snprintf(buf, len, "%lld", (long long) bytes);
}

void
size_human(double bytes, char *buf, size_t len)
{
	int i = 0;

	while (i + 1 < (int) N_UNITS && bytes >= (double) units[i + 1].bytes)
		i++;
	if (i == 0)
		snprintf(buf, len, "%.0fB", bytes);
	else
		snprintf(buf, len, "%.1f%s", bytes / (double) units[i].bytes, units[i].suffix);
}
