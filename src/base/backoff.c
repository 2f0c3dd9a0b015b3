#include "config.h"

#include "base/backoff.h"

int
backoff_next(struct backoff *b)
{
	int ms = b->next_ms > 0 ? b->next_ms : BACKOFF_FIRST_MS;

	b->next_ms = ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : ms * 2;
	return ms;
}

void
backoff_reset(struct backoff *b)
{
	b->next_ms = BACKOFF_FIRST_MS;
}
