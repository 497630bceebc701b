/*
 * pct.h - percentiles of a sample of times, for the timing tools of the
 * tests and benches (tg-open, spawn-raw, pty-echo, ws-echo).
 */
#ifndef TG_PCT_H
#define TG_PCT_H

#include <stdlib.h>

static int
pct_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts the N values of V (N > 0), for pct. */
static inline void
pct_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), pct_cmp);
}

/* The P-th percentile (0-99) of the N sorted values of V. */
static inline double
pct(const double *v, size_t n, int p)
{
	return v[n * p / 100];
}

#endif
