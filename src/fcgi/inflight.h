/* inflight.h - the heavy reads termgate-fcgi's workers run right now. */
#ifndef TG_FCGI_INFLIGHT_H
#define TG_FCGI_INFLIGHT_H

/* What inflight_enter answers. */
enum inflight {
	INFLIGHT_OK,		/* claimed */
	INFLIGHT_USER,		/* the user runs their share already */
	INFLIGHT_ALL		/* the reads run all but the reserve */
};

/*
 * Maps the shared table of SLOTS workers; the master calls it once,
 * before it forks any. 0, or -1 (errno set) when mmap fails.
 */
int	inflight_init(int slots);
/*
 * The number of workers the master runs now (at start and on reload):
 * the heavy reads may take all of them but a quarter (at least one, and
 * at least one read runs). Does nothing before inflight_init.
 */
void	inflight_workers(int n);
/*
 * Claims SLOT (the caller's worker) for a heavy read of USER. Over a
 * limit, PER_USER of USER's reads or the workers' share, claims nothing
 * and says which. INFLIGHT_OK before inflight_init or for a SLOT outside
 * the table. Cannot fail.
 */
enum inflight	inflight_enter(int slot, const char *user, int per_user);
/*
 * Ends SLOT's claim, if any: its worker when the request ends, the
 * master when it reaps the worker (one killed mid-read included).
 * 1 when there was one, else 0.
 */
int	inflight_leave(int slot);

#endif
