/*
 * clock.c - monotonic milliseconds for deadlines, back-offs and timings.
 *
 * Wall-clock time is the database's business (timestamptz, now()); the
 * programs only measure intervals, and do it with this one function.
 */
#include <time.h>

#include "clock.h"

int64_t
clock_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
clock_us(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
clock_sooner(int64_t t, int64_t d)
{
	if (d == -1)
		return t;
	return t == -1 || d < t ? d : t;
}
