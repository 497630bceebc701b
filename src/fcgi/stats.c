/*
 * stats.c - request figures of termgate-fcgi, shared by its workers.
 *
 * The workers are preforked processes, so each one's counters would be a
 * fraction of the truth and a scrape would see whichever worker answered.
 * The master maps one anonymous shared region before it forks them; every
 * worker adds to it with atomic operations (lock-free on the platforms
 * termgate runs on) and /metrics reads it from whichever worker serves
 * the scrape. The figures live as long as the master: a restart starts
 * them from zero, which Prometheus reads as a counter reset.
 *
 * Latency histograms: nginx's authorize subrequest (every terminal
 * request passes it) and the heartbeat, timed from the request's arrival
 * at the worker to its response written.
 */
#include <math.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/mman.h>

#include "prom.h"
#include "stats.h"

static const double bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01,
    0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, INFINITY };
#define NB	(sizeof(bounds) / sizeof(bounds[0]))

/* An atomic that takes a lock would take a lock of this process only. */
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2,
    "stats.c needs lock-free 64-bit atomics in shared memory");

struct hist {
	atomic_ullong	bucket[NB];	/* each its own observations */
	atomic_ullong	sum_ns;
};

struct shared {
	struct hist	h[STATS_KINDS];
	atomic_ullong	db_errors;
};

static const struct {
	const char	*name;
	const char	*help;
} names[STATS_KINDS] = {
	[STATS_AUTHORIZE] = { "termgate_authorize_duration_seconds",
	    "Time termgate-fcgi took to answer nginx's authorize"
	    " subrequest." },
	[STATS_HEARTBEAT] = { "termgate_heartbeat_duration_seconds",
	    "Time termgate-fcgi took to answer a heartbeat." },
};

static struct shared *sh;

int
stats_init(void)
{
	void *p;

	p = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	sh = p;		/* mmap zeroes it: every counter starts at 0 */
	return 0;
}

void
stats_observe(enum stats_kind k, double secs)
{
	size_t i;

	if (sh == NULL || k <= STATS_NONE || k >= STATS_KINDS)
		return;
	if (!(secs >= 0))
		secs = 0;
	for (i = 0; i < NB - 1 && secs > bounds[i]; i++)
		;
	atomic_fetch_add_explicit(&sh->h[k].bucket[i], 1,
	    memory_order_relaxed);
	atomic_fetch_add_explicit(&sh->h[k].sum_ns,
	    (unsigned long long)(secs * 1e9), memory_order_relaxed);
}

void
stats_db_error(void)
{
	if (sh != NULL)
		atomic_fetch_add_explicit(&sh->db_errors, 1,
		    memory_order_relaxed);
}

void
stats_render(struct prom *p)
{
	unsigned long long cum[NB];
	size_t i;
	int k;

	if (sh == NULL)
		return;
	for (k = STATS_NONE + 1; k < STATS_KINDS; k++) {
		for (i = 0; i < NB; i++)
			cum[i] = (i > 0 ? cum[i - 1] : 0) +
			    atomic_load_explicit(&sh->h[k].bucket[i],
			    memory_order_relaxed);
		prom_family(p, names[k].name, "histogram", names[k].help);
		prom_histogram(p, names[k].name, "", bounds, cum, NB,
		    atomic_load_explicit(&sh->h[k].sum_ns,
		    memory_order_relaxed) / 1e9);
	}
	prom_family(p, "termgate_database_errors_total", "counter",
	    "Requests termgate-fcgi answered 503 DATABASE_UNAVAILABLE.");
	prom_int(p, "termgate_database_errors_total", "",
	    (long long)atomic_load_explicit(&sh->db_errors,
	    memory_order_relaxed));
}
