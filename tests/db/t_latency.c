/*
 * t_latency.c - the latency histograms the database keeps
 * (sql/015_latency.sql): a session that turns active is observed once
 * into open -> ready (from created_at) and once into spawn (from when
 * the supervisor recorded its terminal's pid), each in the bucket its
 * duration falls in, and into the histogram's sum.
 *
 * It runs in one transaction on the raw connection that first locks the
 * histograms' rows, so that suites running beside it cannot move them
 * between its reads, and rolls back: now() is the same instant
 * throughout, so the durations are exact.
 */
#include <stdlib.h>
#include <string.h>

#include "dbt.h"
#include "suites.h"

/* Observations in bucket LE of histogram NAME (its own, not cumulative). */
static long long
bucket(const char *name, const char *le)
{
	return atoll(DBT_SQL2("SELECT count FROM termgate.latency_buckets"
	    " WHERE name = $1 AND le = $2::double precision", name, le));
}

static double
sum(const char *name)
{
	return atof(DBT_SQL1("SELECT sum FROM termgate.latency_sums"
	    " WHERE name = $1", name));
}

/* The buckets of NAME as "le:count ..." in OUT. */
static void
buckets(const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s", DBT_SQL1("SELECT string_agg(le || ':' ||"
	    " count, ' ' ORDER BY le) FROM termgate.latency_buckets"
	    " WHERE name = $1", name));
}

static void
test_observed_on_ready(void)
{
	char user[40], host[40], id[65], or0[512], or1[512], sp0[512],
	    sp1[512];
	double or_sum, sp_sum;
	long long or5, sp025;
	struct sess_opened o;

	dbt_unique(user, sizeof(user), "user-lat");
	dbt_unique(host, sizeof(host), "host-lat");
	dbt_host(host);
	dbt_open(user, host, "embedded", 0, &o);
	snprintf(id, sizeof(id), "%s", dbt_str(o.session, "session_id"));
	sess_opened_clear(&o);

	dbt_sql("BEGIN", 0, NULL);
	dbt_sql("SELECT 1 FROM termgate.latency_buckets FOR UPDATE", 0, NULL);
	dbt_sql("SELECT 1 FROM termgate.latency_sums FOR UPDATE", 0, NULL);
	buckets("open_ready", or0, sizeof(or0));
	buckets("spawn", sp0, sizeof(sp0));
	or5 = bucket("open_ready", "5");
	sp025 = bucket("spawn", "0.25");
	or_sum = sum("open_ready");
	sp_sum = sum("spawn");
	DBT_SQL1("UPDATE termgate.sessions SET created_at = now() -"
	    " interval '3 seconds' WHERE id = $1", id);
	DBT_SQL1("UPDATE termgate.sessions SET ttyd_pid = 4242 WHERE id = $1",
	    id);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT spawn_started_at = now()"
	    " FROM termgate.sessions WHERE id = $1", id), "t");
	DBT_SQL1("UPDATE termgate.sessions SET spawn_started_at = now() -"
	    " interval '200 milliseconds' WHERE id = $1", id);
	DBT_SQL1("UPDATE termgate.sessions SET status = 'active'"
	    " WHERE id = $1", id);
	/* 3 s: in (2.5, 5]; 0.2 s: in (0.1, 0.25]; nothing else moved */
	CU_ASSERT_EQUAL(bucket("open_ready", "5"), or5 + 1);
	CU_ASSERT_EQUAL(bucket("spawn", "0.25"), sp025 + 1);
	CU_ASSERT_DOUBLE_EQUAL(sum("open_ready") - or_sum, 3.0, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(sum("spawn") - sp_sum, 0.2, 1e-6);
	/* take those two back: then every bucket is as it was */
	dbt_sql("UPDATE termgate.latency_buckets SET count = count - 1"
	    " WHERE (name, le) IN (('open_ready', 5), ('spawn', 0.25))", 0,
	    NULL);
	buckets("open_ready", or1, sizeof(or1));
	buckets("spawn", sp1, sizeof(sp1));
	CU_ASSERT_STRING_EQUAL(or1, or0);
	CU_ASSERT_STRING_EQUAL(sp1, sp0);
	/* a second update of an active row observes nothing */
	DBT_SQL1("UPDATE termgate.sessions SET status = 'active',"
	    " last_seen_at = now() WHERE id = $1", id);
	CU_ASSERT_EQUAL(bucket("open_ready", "5"), or5);
	dbt_sql("ROLLBACK", 0, NULL);
}

static CU_TestInfo tests[] = {
	{ "open -> ready and spawn observed when a session turns active",
	    test_observed_on_ready },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_latency = { "latency", NULL, NULL, NULL, NULL, tests };
