/*
 * t_audit.c - the operator's console in the database: an admin's close
 * and its reason (termgate.admin_end_session), and the audit trail as
 * audit.c pages it (filters, the keyset cursor, newest first).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "dbt.h"
#include "hist.h"
#include "suites.h"

static void
fresh(char *user, char *host)
{
	dbt_unique(user, 40, "u");
	dbt_unique(host, 40, "h");
	dbt_host(host);
}

/* The closed event's detail member KEY of session ID ("" if none). */
static const char *
closed_detail(const char *id, const char *key)
{
	return DBT_SQL2("SELECT coalesce(detail->>$2, '') FROM"
	    " termgate.session_events WHERE session_id = $1"
	    " AND kind = 'closed'", id, key);
}

static void
test_admin_close_reason_lands_in_closed_event(void)
{
	char user[40], host[40], id[65];
	json_object *s = NULL;

	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	CU_ASSERT_EQUAL(sess_admin_close(dbt_db(), id, "root",
	    "runaway job, see ticket 12", &s), 0);
	CU_ASSERT_STRING_EQUAL(dbt_str(s, "reason_closed"), "admin_close");
	json_object_put(s);
	CU_ASSERT_STRING_EQUAL(closed_detail(id, "note"),
	    "runaway job, see ticket 12");
	CU_ASSERT_STRING_EQUAL(closed_detail(id, "by"), "root");
	CU_ASSERT_STRING_EQUAL(closed_detail(id, "reason"), "admin_close");
	CU_ASSERT_STRING_EQUAL(closed_detail(id, "was"), "active");
	/* Closing it again changes nothing: one event, the first note. */
	s = NULL;
	CU_ASSERT_EQUAL(sess_admin_close(dbt_db(), id, "other", "again",
	    &s), 0);
	json_object_put(s);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM"
	    " termgate.session_events WHERE session_id = $1"
	    " AND kind = 'closed'", id), "1");
	CU_ASSERT_STRING_EQUAL(closed_detail(id, "note"),
	    "runaway job, see ticket 12");
}

static void
test_admin_close_note_does_not_leak(void)
{
	char user[40], host[40], a[65], b[65];
	json_object *s = NULL;

	fresh(user, host);
	dbt_active(user, host, "embedded", a);
	dbt_active(user, host, "popout", b);
	CU_ASSERT_EQUAL(sess_admin_close(dbt_db(), a, "root", NULL, &s), 0);
	json_object_put(s);
	CU_ASSERT_STRING_EQUAL(closed_detail(a, "note"), "");
	CU_ASSERT_STRING_EQUAL(closed_detail(a, "by"), "root");
	s = NULL;
	CU_ASSERT_EQUAL(sess_admin_close(dbt_db(), b, "root", "why", &s), 0);
	json_object_put(s);
	/* The next close on the same connection is the user's own. */
	dbt_active(user, host, "embedded", a);
	s = NULL;
	CU_ASSERT_EQUAL(sess_close(dbt_db(), a, SESS_REASON_USER, NULL, &s),
	    0);
	json_object_put(s);
	CU_ASSERT_STRING_EQUAL(closed_detail(a, "note"), "");
	CU_ASSERT_STRING_EQUAL(closed_detail(a, "by"), "");
}

static int
admin_close_missing(void)
{
	json_object *s = NULL;
	int rv;

	rv = sess_admin_close(dbt_db(), "00000000000000000000000000000000"
	    "00000000000000000000000000000000", "root", "x", &s);
	json_object_put(s);
	return rv;
}

static void
test_admin_close_unknown_session(void)
{
	CU_ASSERT_EQUAL(admin_close_missing(), 1);
}

/* Collects the ids and kinds a read hands over. */
struct seen {
	char		 kinds[512];
	long long	 last_id;
	int64_t		 last_us;
	int		 n;
};

static int
see(void *arg, const struct audit_row *r)
{
	struct seen *s = arg;

	if (s->n > 0)
		strlcat(s->kinds, " ", sizeof(s->kinds));
	strlcat(s->kinds, r->kind, sizeof(s->kinds));
	s->last_id = r->id;
	s->last_us = r->at_us;
	s->n++;
	return 0;
}

/* Five events of USER a second apart, on HOST for the odd ones: the
 * third heartbeat_lost, the others adopted (kinds no counter counts). */
static void
five_events(const char *user, const char *host)
{
	DBT_SQL2("INSERT INTO termgate.session_events (username, host_id,"
	    " kind, at, detail) SELECT $1, CASE WHEN g % 2 = 1 THEN $2 END,"
	    " CASE WHEN g = 3 THEN 'heartbeat_lost' ELSE 'adopted' END,"
	    " timestamptz '2026-05-01T00:00:00Z' + g * interval '1 second',"
	    " jsonb_build_object('g', g) FROM generate_series(1, 5) g",
	    user, host);
}

static void
test_audit_pages_newest_first_by_cursor(void)
{
	char user[40], host[40];
	struct audit_filter f;
	struct seen s;

	fresh(user, host);
	five_events(user, host);
	memset(&f, 0, sizeof(f));
	f.user = user;
	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(audit_each(dbt_db(), &dbt_cfg, &f, 2, see, &s), 2);
	CU_ASSERT_STRING_EQUAL(s.kinds, "adopted adopted");
	f.has_cursor = 1;
	f.cursor_us = s.last_us;
	f.cursor_id = s.last_id;
	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(audit_each(dbt_db(), &dbt_cfg, &f, 10, see, &s), 3);
	CU_ASSERT_STRING_EQUAL(s.kinds, "heartbeat_lost adopted adopted");
}

static void
test_audit_filters(void)
{
	char user[40], host[40];
	struct audit_filter f;
	struct seen s;

	fresh(user, host);
	five_events(user, host);
	memset(&f, 0, sizeof(f));
	f.user = user;
	f.kind = "heartbeat_lost";
	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(audit_each(dbt_db(), &dbt_cfg, &f, 10, see, &s), 1);
	f.kind = NULL;
	f.host_id = host;
	CU_ASSERT_EQUAL(audit_each(dbt_db(), &dbt_cfg, &f, 10, see, &s), 3);
	f.host_id = NULL;
	f.has_since = f.has_until = 1;
	/* [00:00:02, 00:00:04): events 2 and 3 */
	f.since_us = 1777593602LL * 1000000;
	f.until_us = 1777593604LL * 1000000;
	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(audit_each(dbt_db(), &dbt_cfg, &f, 10, see, &s), 2);
	CU_ASSERT_STRING_EQUAL(s.kinds, "heartbeat_lost adopted");
}

static void
test_audit_kind_names(void)
{
	CU_ASSERT_TRUE(audit_kind_valid("closed"));
	CU_ASSERT_TRUE(audit_kind_valid("history_deleted"));
	CU_ASSERT_FALSE(audit_kind_valid(""));
	CU_ASSERT_FALSE(audit_kind_valid("Closed"));
	CU_ASSERT_FALSE(audit_kind_valid("closed'--"));
	CU_ASSERT_FALSE(audit_kind_valid("a_kind_name_longer_than_32_bytes_"));
}

static CU_TestInfo tests[] = {
	{ "test_admin_close_reason_lands_in_closed_event",
	    test_admin_close_reason_lands_in_closed_event },
	{ "test_admin_close_note_does_not_leak",
	    test_admin_close_note_does_not_leak },
	{ "test_admin_close_unknown_session",
	    test_admin_close_unknown_session },
	{ "test_audit_pages_newest_first_by_cursor",
	    test_audit_pages_newest_first_by_cursor },
	{ "test_audit_filters", test_audit_filters },
	{ "test_audit_kind_names", test_audit_kind_names },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_audit = { "audit", NULL, NULL, NULL, NULL, tests };
