/* prom.h - Prometheus text exposition, written into a growing buffer. */
#ifndef TG_PROM_H
#define TG_PROM_H

#include <stddef.h>

struct prom;

/* A new, empty buffer; NULL when out of memory. */
struct prom	*prom_new(void);
/* Accepts NULL. */
void		 prom_free(struct prom *);
/* The text (the caller frees it) and frees P; NULL when a write failed. */
char		*prom_take(struct prom *);
/* The "# HELP" and "# TYPE" lines of metric family NAME. */
void		 prom_family(struct prom *, const char *name,
		    const char *type, const char *help);
/* One sample; LABELS is "" or what prom_labels made. */
void		 prom_int(struct prom *, const char *name, const char *labels,
		    long long v);
void		 prom_real(struct prom *, const char *name,
		    const char *labels, double v);
/*
 * {K1="V1",K2="V2"} into OUT from NULL-terminated key, value pairs, the
 * values escaped; "" when there is none. 0, or -1 when OUT is too short.
 */
int		 prom_labels(char *out, size_t len, ...);
/*
 * A histogram's samples: N buckets of upper bounds LE (the last one
 * INFINITY) with cumulative COUNTS, then _sum and _count, all with LABELS
 * (as for prom_int, without le).
 */
void		 prom_histogram(struct prom *, const char *name,
		    const char *labels, const double *le,
		    const unsigned long long *counts, size_t n, double sum);

#endif
