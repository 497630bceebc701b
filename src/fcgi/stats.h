/* stats.h - request figures shared by termgate-fcgi's workers. */
#ifndef TG_STATS_H
#define TG_STATS_H

struct prom;

/* The requests whose latency is measured. */
enum stats_kind {
	STATS_NONE,
	STATS_AUTHORIZE,
	STATS_HEARTBEAT,
	STATS_KINDS
};

/* Maps the shared counters; the master calls it once, before forking
 * workers. 0, or -1 (errno set) when mmap fails. */
int	stats_init(void);
/* One request of KIND took SECS; does nothing before stats_init. */
void	stats_observe(enum stats_kind, double secs);
/* One request answered with a database error. */
void	stats_db_error(void);
/* Appends the families to P (nothing before stats_init). */
void	stats_render(struct prom *);

#endif
