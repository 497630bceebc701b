/* clock.h - the one clock of every termgate program. */
#ifndef TG_CLOCK_H
#define TG_CLOCK_H

#include <stdint.h>

/* Milliseconds of CLOCK_MONOTONIC: for deadlines and durations, never
 * for what a user or the database sees. Cannot fail. */
int64_t	clock_ms(void);
/* Microseconds of the same clock: for timing what takes under a
 * millisecond (request latency). Cannot fail. */
int64_t	clock_us(void);
/* The sooner of two timeouts T and D (-1: none), as poll(2) takes them. */
int64_t	clock_sooner(int64_t t, int64_t d);

#endif
