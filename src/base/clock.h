/* The one monotonic clock: durations, deadlines and timeouts, which the
 * wall clock (a step of NTP, a change of time zone) must not move. */
#ifndef PGSTEP_CLOCK_H
#define PGSTEP_CLOCK_H

#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC (from an arbitrary start). */
int64_t clock_now_ms(void);

#endif
