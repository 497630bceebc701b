/* metrics.h - the database's part of /metrics, as Prometheus text. */
#ifndef TG_METRICS_H
#define TG_METRICS_H

struct tg_db;
struct prom;

/*
 * Each appends its metric families to P, or nothing at all when its
 * statement fails: 0, or -1 (database error).
 */
/* termgate_sessions{node,status}: live sessions now. */
int	metrics_sessions(struct tg_db *, struct prom *);
/* termgate_supervisor_{up,last_seen_timestamp_seconds,terminals}{node};
 * up needs a liveness row fresher than MAX_AGE seconds. */
int	metrics_nodes(struct tg_db *, int max_age, struct prom *);
/* The open -> ready and spawn latency histograms (015_latency.sql). */
int	metrics_latency(struct tg_db *, struct prom *);

#endif
