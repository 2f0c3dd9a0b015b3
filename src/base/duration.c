#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"

static const struct {
	const char *suffix;
	long long ms;
} units[] = {
	{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000},
};

bool
duration_parse(const char *s, int *ms, char *err, size_t errlen)
{
	const char *p = s;
	char *end;
	long long n;

	if (!isdigit((unsigned char) *p)) {
		snprintf(err, errlen, "\"%s\" is not a duration (write it as 250ms, 2s, 1m, 1h or 7d)", s);
		return false;
	}
	errno = 0;
	n = strtoll(p, &end, 10);
	if (errno == ERANGE) {
		snprintf(err, errlen, "duration \"%s\" is too large", s);
		return false;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) == 0) {
			if (n > INT_MAX / units[i].ms) {
				snprintf(err, errlen, "duration \"%s\" is too large (at most 24d)", s);
				return false;
			}
			*ms = (int) (n * units[i].ms);
			return true;
		}
	}
	snprintf(err, errlen, "\"%s\" is not a duration: the unit must be ms, s, m, h or d", s);
	return false;
}

void
duration_format(int ms, char *buf, size_t len)
{
	for (int i = (int) (sizeof(units) / sizeof(units[0])) - 1; i >= 0; i--) {
		if (ms != 0 && ms % units[i].ms == 0) {
			snprintf(buf, len, "%lld%s", ms / units[i].ms, units[i].suffix);
			return;
		}
	}
	snprintf(buf, len, "%dms", ms);
}
