/*
 * t_prom.c - the Prometheus text exposition (prom.c) and the workers'
 * shared latency histograms (stats.c): label escaping, number spelling,
 * histogram lines, and what one observation does to the buckets.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/stats.h"
#include "prom.h"
#include "suites.h"

static void
test_labels(void)
{
	static const struct {
		const char	*node, *want;
	} cases[] = {
		{ "local", "{node=\"local\",status=\"active\"}" },
		{ "a\"b", "{node=\"a\\\"b\",status=\"active\"}" },
		{ "a\\b", "{node=\"a\\\\b\",status=\"active\"}" },
		{ "a\nb", "{node=\"a\\nb\",status=\"active\"}" },
	};
	char out[128];
	size_t i;

	for (i = 0; i < T_NELEM(cases); i++) {
		T_ASSERT(prom_labels(out, sizeof(out), "node", cases[i].node,
		    "status", "active", NULL) == 0, cases[i].want);
		T_ASSERT(strcmp(out, cases[i].want) == 0, cases[i].want);
	}
	CU_ASSERT_EQUAL(prom_labels(out, sizeof(out), NULL), 0);
	CU_ASSERT_STRING_EQUAL(out, "");
	CU_ASSERT_EQUAL(prom_labels(out, 12, "node", "far-too-long", NULL),
	    -1);
	CU_ASSERT_STRING_EQUAL(out, "");
}

static void
test_samples(void)
{
	static const double le[] = { 0.025, 1, INFINITY };
	static const unsigned long long counts[] = { 1, 3, 4 };
	struct prom *p = prom_new();
	char *text;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	prom_family(p, "t_seconds", "histogram", "A test.");
	prom_histogram(p, "t_seconds", "{node=\"n\"}", le, counts, 3, 2.5);
	prom_real(p, "t_ts", "", 1796612345.5);
	prom_int(p, "t_total", "", 42);
	text = prom_take(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_STRING_EQUAL(text,
	    "# HELP t_seconds A test.\n"
	    "# TYPE t_seconds histogram\n"
	    "t_seconds_bucket{node=\"n\",le=\"0.025\"} 1\n"
	    "t_seconds_bucket{node=\"n\",le=\"1\"} 3\n"
	    "t_seconds_bucket{node=\"n\",le=\"+Inf\"} 4\n"
	    "t_seconds_sum{node=\"n\"} 2.5\n"
	    "t_seconds_count{node=\"n\"} 4\n"
	    "t_ts 1796612345.5\n"
	    "t_total 42\n");
	free(text);
}

/* The value of sample NAME in TEXT, or -1. */
static long long
sample(const char *text, const char *name)
{
	const char *s = text;
	size_t n = strlen(name);

	while ((s = strstr(s, name)) != NULL) {
		if ((s == text || s[-1] == '\n') && s[n] == ' ')
			return strtoll(s + n + 1, NULL, 10);
		s += n;
	}
	return -1;
}

static void
test_stats(void)
{
	struct prom *p;
	char *text;

	CU_ASSERT_EQUAL_FATAL(stats_init(), 0);
	stats_observe(STATS_HEARTBEAT, 0.003);	/* into le 0.005 */
	stats_observe(STATS_HEARTBEAT, 99);	/* into +Inf only */
	stats_observe(STATS_NONE, 1);		/* not measured */
	stats_db_error();
	CU_ASSERT_PTR_NOT_NULL_FATAL(p = prom_new());
	stats_render(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text = prom_take(p));
	CU_ASSERT_EQUAL(sample(text,
	    "termgate_heartbeat_duration_seconds_bucket{le=\"0.0025\"}"), 0);
	CU_ASSERT_EQUAL(sample(text,
	    "termgate_heartbeat_duration_seconds_bucket{le=\"0.005\"}"), 1);
	CU_ASSERT_EQUAL(sample(text,
	    "termgate_heartbeat_duration_seconds_bucket{le=\"2.5\"}"), 1);
	CU_ASSERT_EQUAL(sample(text,
	    "termgate_heartbeat_duration_seconds_bucket{le=\"+Inf\"}"), 2);
	CU_ASSERT_EQUAL(sample(text,
	    "termgate_heartbeat_duration_seconds_count"), 2);
	CU_ASSERT_EQUAL(sample(text,
	    "termgate_heartbeat_duration_seconds_sum"), 99);
	CU_ASSERT_EQUAL(sample(text,
	    "termgate_authorize_duration_seconds_count"), 0);
	CU_ASSERT_EQUAL(sample(text, "termgate_database_errors_total"), 1);
	free(text);
}

int
suite_prom_register(void)
{
	static const struct t_case tcases[] = {
		{ "label values are escaped", test_labels },
		{ "samples and histograms as the format spells them",
		    test_samples },
		{ "an observation lands in its bucket and the sum",
		    test_stats },
	};

	return t_register("prom", tcases, T_NELEM(tcases));
}
