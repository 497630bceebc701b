/*
 * metrics.c - the figures /metrics reads from the database, rendered as
 * Prometheus metric families (prom.c): live sessions by node and status,
 * each node's supervisor liveness, and the latency histograms the
 * database keeps (015_latency.sql). The cumulative counters stay with
 * the JSON metrics in sess.c (sess_metrics), which both formats share.
 *
 * Each function runs its one statement before it writes anything, so a
 * database error leaves no half-written family behind.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_pq.h"
#include "metrics.h"
#include "prom.h"

#define LE_MAX	32		/* buckets of one histogram, at most */

int
metrics_sessions(struct tg_db *db, struct prom *p)
{
	PGresult *res;
	char lab[256];
	int i;

	if ((res = db_exec(db, STMT_METRICS_SESSIONS, NULL)) == NULL)
		return -1;
	prom_family(p, "termgate_sessions", "gauge",
	    "Live sessions, by node and status.");
	for (i = 0; i < PQntuples(res); i++) {
		if (prom_labels(lab, sizeof(lab), "node", PQgetvalue(res, i, 0),
		    "status", PQgetvalue(res, i, 1), NULL) == 0)
			prom_int(p, "termgate_sessions", lab,
			    strtoll(PQgetvalue(res, i, 2), NULL, 10));
	}
	PQclear(res);
	return 0;
}

/* Appends column C of every row of RES as gauge NAME{node}. */
static void
node_gauge(struct prom *p, PGresult *res, int c, const char *name,
    const char *help)
{
	char lab[128];
	int i;

	prom_family(p, name, "gauge", help);
	for (i = 0; i < PQntuples(res); i++) {
		if (prom_labels(lab, sizeof(lab), "node", PQgetvalue(res, i, 0),
		    NULL) == -1)
			continue;
		if (c == 1)
			prom_int(p, name, lab, PQgetvalue(res, i, 1)[0] == 't');
		else
			prom_real(p, name, lab, strtod(PQgetvalue(res, i, c),
			    NULL));
	}
}

int
metrics_nodes(struct tg_db *db, int max_age, struct prom *p)
{
	char secs[16];
	const char *params[] = { DB_ITOA(secs, max_age) };
	PGresult *res;

	if ((res = db_exec(db, STMT_METRICS_NODES, params)) == NULL)
		return -1;
	node_gauge(p, res, 1, "termgate_supervisor_up",
	    "1 while the node's supervisor holds its lock and reports in.");
	node_gauge(p, res, 2, "termgate_supervisor_last_seen_timestamp_seconds",
	    "When the node's supervisor last reported in (Unix time).");
	node_gauge(p, res, 3, "termgate_supervisor_terminals",
	    "Terminals the node's supervisor runs.");
	PQclear(res);
	return 0;
}

static const struct {
	const char	*key;		/* latency_buckets.name */
	const char	*name;
	const char	*help;
} hists[] = {
	{ "open_ready", "termgate_open_ready_duration_seconds",
	    "Time from a session's creation to its terminal being ready." },
	{ "spawn", "termgate_spawn_duration_seconds",
	    "Time from a terminal's start to its accepting connections." },
};

/* Appends the histogram of rows [FROM, TO) of RES, named by its key. */
static void
one_histogram(struct prom *p, PGresult *res, int from, int to)
{
	unsigned long long counts[LE_MAX];
	double le[LE_MAX];
	size_t h, n = 0;
	int i;

	for (h = 0; h < sizeof(hists) / sizeof(hists[0]); h++)
		if (strcmp(hists[h].key, PQgetvalue(res, from, 0)) == 0)
			break;
	/* a histogram this build knows not, or too many buckets */
	if (h == sizeof(hists) / sizeof(hists[0]) || to - from > LE_MAX)
		return;
	for (i = from; i < to; i++, n++) {
		le[n] = strtod(PQgetvalue(res, i, 1), NULL);
		counts[n] = strtoull(PQgetvalue(res, i, 2), NULL, 10);
	}
	if (n == 0 || !isinf(le[n - 1]))
		return;
	prom_family(p, hists[h].name, "histogram", hists[h].help);
	prom_histogram(p, hists[h].name, "", le, counts, n,
	    strtod(PQgetvalue(res, from, 3), NULL));
}

int
metrics_latency(struct tg_db *db, struct prom *p)
{
	PGresult *res;
	int from, i, n;

	if ((res = db_exec(db, STMT_METRICS_LATENCY, NULL)) == NULL)
		return -1;
	n = PQntuples(res);
	for (from = 0; from < n; from = i) {
		for (i = from; i < n && strcmp(PQgetvalue(res, i, 0),
		    PQgetvalue(res, from, 0)) == 0; i++)
			;
		one_histogram(p, res, from, i);
	}
	PQclear(res);
	return 0;
}
