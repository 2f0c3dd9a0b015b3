/* The one reconnect policy (the worker, the monitor, the headless
 * commands): wait 1 s, then twice as long each time up to 10 s; back to
 * 1 s once connected. Each caller waits its own way (woken early on quit
 * or stop); this says how long. pgstep(1) documents it. */
#ifndef PGSTEP_BACKOFF_H
#define PGSTEP_BACKOFF_H

#define BACKOFF_FIRST_MS 1000
#define BACKOFF_MAX_MS 10000

struct backoff {
	int next_ms;
};

#define BACKOFF_INIT { .next_ms = BACKOFF_FIRST_MS }

/* The wait before the next attempt; the one after it is twice as long, up
 * to BACKOFF_MAX_MS. */
int backoff_next(struct backoff *b);
/* Connected: the next wait is the first again. */
void backoff_reset(struct backoff *b);

#endif
