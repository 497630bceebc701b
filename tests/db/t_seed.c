/*
 * t_seed.c - every case of the original Python suite
 * (shared/seed/test_terminal_sessions.py.txt), under the same name,
 * asserted against a real PostgreSQL instead of mocks.
 *
 * Seed cases that tested pure code (tokens, ids, the naive-datetime
 * helper) live in tests/unit/t_seed.c; the rest are here.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "dbt.h"
#include "jsonx.h"
#include "suites.h"
#include "valid.h"

/* Sets a time column of session ID to now() + OFFSET (an interval). */
static void
set_time(const char *id, const char *column, const char *offset)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "UPDATE termgate.sessions SET %s = "
	    "now() + $2::interval WHERE id = $1", column);
	DBT_SQL2(sql, id, offset);
}

static void
fresh(char *user, char *host)
{
	dbt_unique(user, 40, "user-1");
	dbt_unique(host, 40, "host-1");
	dbt_host(host);
}

/*
 * A node of the test's own, so that a collector run (sess_gc, which works
 * per node) sees only the test's sessions. Restored by end_node.
 */
static struct tg_cfg saved_cfg;

static void
own_node(void)
{
	char node[40];

	saved_cfg = dbt_cfg;
	dbt_unique(node, sizeof(node), "seed");
	strlcpy(dbt_cfg.node, node, sizeof(dbt_cfg.node));
}

static void
end_node(void)
{
	dbt_cfg = saved_cfg;
}

/* -- TestSessionReuse: what an open reuses (sess_open with reuse) -- */

static void
test_find_reusable_session_returns_matching_session(void)
{
	char user[40], host[40], id[65];
	struct sess_opened o;

	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	dbt_open(user, host, "embedded", 1, &o);
	CU_ASSERT_EQUAL(o.outcome, SESS_REUSED);
	CU_ASSERT_STRING_EQUAL(dbt_str(o.session, "session_id"), id);
	CU_ASSERT_STRING_EQUAL(dbt_str(o.session, "host_id"), host);
	CU_ASSERT_STRING_EQUAL(dbt_str(o.session, "username"), user);
	CU_ASSERT_STRING_EQUAL(dbt_str(o.session, "mode"), "embedded");
	sess_opened_clear(&o);
}

static void
test_find_reusable_session_returns_none_for_different_mode(void)
{
	char user[40], host[40], id[65];
	struct sess_opened o;

	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	dbt_open(user, host, "popout", 1, &o);
	CU_ASSERT_EQUAL(o.outcome, SESS_CREATED);
	CU_ASSERT_STRING_NOT_EQUAL(dbt_str(o.session, "session_id"), id);
	CU_ASSERT_STRING_EQUAL(dbt_str(o.session, "mode"), "popout");
	sess_opened_clear(&o);
}

static void
test_find_reusable_session_excludes_idle_sessions(void)
{
	char user[40], host[40], id[65];
	struct sess_opened o;
	int idle = dbt_cfg.idle_timeout;

	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	/* Seen 5 s ago: reused under a timeout it has not exceeded... */
	set_time(id, "last_seen_at", "-5 seconds");
	dbt_cfg.idle_timeout = 120;
	dbt_open(user, host, "embedded", 1, &o);
	CU_ASSERT_EQUAL(o.outcome, SESS_REUSED);
	CU_ASSERT_STRING_EQUAL(dbt_str(o.session, "session_id"), id);
	sess_opened_clear(&o);
	/* ...and not under one it has: a new session is opened instead. */
	set_time(id, "last_seen_at", "-5 seconds");
	dbt_cfg.idle_timeout = 1;
	dbt_open(user, host, "embedded", 1, &o);
	CU_ASSERT_EQUAL(o.outcome, SESS_CREATED);
	CU_ASSERT_STRING_NOT_EQUAL(dbt_str(o.session, "session_id"), id);
	sess_opened_clear(&o);
	dbt_cfg.idle_timeout = idle;
}

/* -- TestSessionLimit -- */

/* Fills USER's 3 slots: on HOST (embedded) and two other hosts. */
static void
fill_limit(const char *user, const char *host, char ids[3][65])
{
	char other[40];
	int i;

	dbt_active(user, host, "embedded", ids[0]);
	for (i = 1; i < 3; i++) {
		dbt_unique(other, sizeof(other), "host-x");
		dbt_host(other);
		dbt_active(user, other, "embedded", ids[i]);
	}
}

static void
test_session_limit_error_schema(void)
{
	char user[40], host[40], ids[3][65], want[256], next[40];
	struct sess_opened o;
	json_object *live, *acts, *first;
	size_t i, n;

	fresh(user, host);
	fill_limit(user, host, ids);
	dbt_unique(next, sizeof(next), "host-new");
	dbt_host(next);
	dbt_open(user, next, "embedded", 1, &o);
	CU_ASSERT_EQUAL_FATAL(o.outcome, SESS_LIMIT);
	CU_ASSERT_STRING_EQUAL(dbt_str(o.limit, "error"), "SESSION_LIMIT");
	CU_ASSERT_STRING_EQUAL(dbt_str(o.limit, "message"),
	    "Maximum sessions reached (3)");
	CU_ASSERT_EQUAL(dbt_int(o.limit, "max_active"), 3);
	CU_ASSERT_EQUAL(dbt_int(o.limit, "current_count"), 3);
	CU_ASSERT_FATAL(json_object_object_get_ex(o.limit, "active_sessions",
	    &live));
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(live), 3);
	/* Oldest first, each with what the client shows. */
	for (i = 0; i < 3; i++) {
		first = json_object_array_get_idx(live, i);
		CU_ASSERT_STRING_EQUAL(dbt_str(first, "session_id"), ids[i]);
		CU_ASSERT_STRING_EQUAL(dbt_str(first, "mode"), "embedded");
		CU_ASSERT_STRING_EQUAL(dbt_str(first, "host_name"),
		    "test-host");
		CU_ASSERT(dbt_int(first, "age_seconds") >= 0);
		CU_ASSERT(dbt_int(first, "last_seen_seconds") >= 0);
	}
	CU_ASSERT_FATAL(json_object_object_get_ex(o.limit,
	    "suggested_actions", &acts));
	n = json_object_array_length(acts);
	CU_ASSERT_EQUAL(n, 4);	/* close_oldest + one per session */
	CU_ASSERT_STRING_EQUAL(json_object_get_string(
	    json_object_array_get_idx(acts, 0)), "close_oldest");
	for (i = 0; i < 3; i++) {
		snprintf(want, sizeof(want), "close_session:%s", ids[i]);
		CU_ASSERT_STRING_EQUAL(json_object_get_string(
		    json_object_array_get_idx(acts, i + 1)), want);
	}
	CU_ASSERT_STRING_EQUAL(dbt_str(o.limit, "can_reuse"), "false");
	CU_ASSERT_STRING_EQUAL(dbt_str(o.limit, "reusable_session_id"), "");
	sess_opened_clear(&o);
}

static void
test_session_limit_error_with_reusable_session(void)
{
	char user[40], host[40], ids[3][65];
	struct sess_opened o;
	json_object *acts;

	fresh(user, host);
	fill_limit(user, host, ids);
	/* Another mode on a host the user already has a terminal on. */
	dbt_open(user, host, "popout", 1, &o);
	CU_ASSERT_EQUAL_FATAL(o.outcome, SESS_LIMIT);
	CU_ASSERT_STRING_EQUAL(dbt_str(o.limit, "can_reuse"), "true");
	CU_ASSERT_STRING_EQUAL(dbt_str(o.limit, "reusable_session_id"),
	    ids[0]);
	CU_ASSERT_FATAL(json_object_object_get_ex(o.limit,
	    "suggested_actions", &acts));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(
	    json_object_array_get_idx(acts, 0)), "reuse_existing");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(
	    json_object_array_get_idx(acts, 1)), "close_oldest");
	sess_opened_clear(&o);
}

/* -- TestIdempotentClose -- */

static void
test_close_already_closed_session(void)
{
	char user[40], host[40], id[65], closed_at[64];
	json_object *s = NULL;

	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	CU_ASSERT_EQUAL_FATAL(sess_close(dbt_db(), id, "user_close", user,
	    &s), 0);
	CU_ASSERT_STRING_EQUAL(dbt_str(s, "status"), "closed");
	strlcpy(closed_at, DBT_SQL1("SELECT closed_at::text FROM "
	    "termgate.sessions WHERE id = $1", id), sizeof(closed_at));
	json_object_put(s);
	s = NULL;
	/* Again, with another reason: nothing changes, the first stands. */
	CU_ASSERT_EQUAL_FATAL(sess_close(dbt_db(), id, "admin_close", NULL,
	    &s), 0);
	CU_ASSERT_STRING_EQUAL(dbt_str(s, "status"), "closed");
	CU_ASSERT_STRING_EQUAL(dbt_str(s, "reason_closed"), "user_close");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT closed_at::text FROM "
	    "termgate.sessions WHERE id = $1", id), closed_at);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM "
	    "termgate.session_events WHERE session_id = $1 AND kind = "
	    "'closed'", id), "1");
	json_object_put(s);
}

static void
test_close_nonexistent_session(void)
{
	char id[65];
	json_object *s = NULL;

	tok_session_id(id);
	CU_ASSERT_EQUAL(sess_close(dbt_db(), id, "user_close", NULL, &s), 1);
	CU_ASSERT_PTR_NULL(s);
}

/* -- TestHeartbeat -- */

static void
test_heartbeat_updates_last_seen(void)
{
	char user[40], host[40], id[65], before[32];
	struct sess_beat b;

	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	set_time(id, "last_seen_at", "-60 seconds");
	strlcpy(before, DBT_SQL1("SELECT termgate.rfc3339(last_seen_at) FROM "
	    "termgate.sessions WHERE id = $1", id), sizeof(before));
	CU_ASSERT_EQUAL_FATAL(sess_update_last_seen(dbt_db(), id, user, &b),
	    0);
	/* Same fixed-width RFC 3339 form: text order is time order. */
	CU_ASSERT(strcmp(b.last_seen_at, before) > 0);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT termgate.rfc3339("
	    "last_seen_at) FROM termgate.sessions WHERE id = $1", id),
	    b.last_seen_at);
}

static void
test_heartbeat_on_closed_session_does_nothing(void)
{
	char user[40], host[40], id[65], before[64];
	struct sess_beat b;
	json_object *s = NULL;

	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	set_time(id, "last_seen_at", "-60 seconds");
	CU_ASSERT_EQUAL_FATAL(sess_close(dbt_db(), id, "user_close", user,
	    &s), 0);
	json_object_put(s);
	strlcpy(before, DBT_SQL1("SELECT last_seen_at::text FROM "
	    "termgate.sessions WHERE id = $1", id), sizeof(before));
	CU_ASSERT_EQUAL_FATAL(sess_update_last_seen(dbt_db(), id, user, &b),
	    0);
	CU_ASSERT_STRING_EQUAL(b.status, "closed");
	CU_ASSERT_STRING_EQUAL(b.reason_closed, "user_close");
	CU_ASSERT_EQUAL(b.remaining, 0);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT last_seen_at::text FROM "
	    "termgate.sessions WHERE id = $1", id), before);
}

static void
test_heartbeat_response_schema(void)
{
	char user[40], host[40], id[65];
	struct sess_beat b;

	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	CU_ASSERT_EQUAL_FATAL(sess_update_last_seen(dbt_db(), id, user, &b),
	    0);
	CU_ASSERT_STRING_EQUAL(b.status, "active");
	CU_ASSERT(b.remaining > 0 && b.remaining <= dbt_cfg.session_ttl);
	CU_ASSERT_EQUAL(strlen(b.last_seen_at), 20);
	CU_ASSERT_EQUAL(b.last_seen_at[10], 'T');
	CU_ASSERT_EQUAL(b.last_seen_at[19], 'Z');
	CU_ASSERT_STRING_EQUAL(b.reason_closed, "");
	/* Someone else's session is not found at all. */
	CU_ASSERT_EQUAL(sess_update_last_seen(dbt_db(), id, "intruder", &b),
	    1);
}

/*
 * Records what synchronous_commit each commit that updates a session ran
 * with, and its transaction: a deferred trigger writes them into
 * public.dbt_commit_log at commit time, the moment PostgreSQL decides
 * whether to wait for the WAL flush.
 * commit_log_stop removes trigger, function and table.
 */
static void
commit_log_start(void)
{
	PGresult *res;

	res = PQexec(dbt_raw(),
	    "CREATE TABLE public.dbt_commit_log (n serial, id text, sync text,"
	    " tx bigint);"
	    "CREATE FUNCTION public.dbt_commit_note() RETURNS trigger"
	    " LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN"
	    " INSERT INTO public.dbt_commit_log (id, sync, tx) VALUES (NEW.id,"
	    " current_setting('synchronous_commit'), txid_current());"
	    " RETURN NULL; END $$;"
	    "CREATE CONSTRAINT TRIGGER dbt_commit_note AFTER UPDATE"
	    " ON termgate.sessions DEFERRABLE INITIALLY DEFERRED"
	    " FOR EACH ROW EXECUTE FUNCTION public.dbt_commit_note()");
	CU_ASSERT_EQUAL(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
}

static void
commit_log_stop(void)
{
	PGresult *res;

	res = PQexec(dbt_raw(),
	    "DROP TRIGGER dbt_commit_note ON termgate.sessions;"
	    "DROP FUNCTION public.dbt_commit_note();"
	    "DROP TABLE public.dbt_commit_log");
	CU_ASSERT_EQUAL(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
}

/*
 * A heartbeat is worth losing in a crash: its commit does not wait for the
 * flush. The write after it on the same connection (a close) does. The
 * suites' server runs with synchronous_commit off; this connection asks
 * for the durable default an operator runs.
 */
static void
test_heartbeat_alone_commits_without_flush_wait(void)
{
	char user[40], host[40], id[65], conninfo[1024];
	struct tg_db *db;
	struct sess_beat b;
	json_object *s = NULL;

	snprintf(conninfo, sizeof(conninfo), "%s options='-c "
	    "synchronous_commit=on'", getenv("TERMGATE_TEST_DB"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(db = db_new(conninfo));
	CU_ASSERT_FATAL(db_ok(db));
	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	commit_log_start();
	CU_ASSERT_EQUAL(sess_update_last_seen(db, id, user, &b), 0);
	CU_ASSERT_EQUAL(sess_close(db, id, "user_close", user, &s), 0);
	json_object_put(s);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(sync, ','"
	    " ORDER BY n) FROM public.dbt_commit_log WHERE id = $1", id),
	    "off,on");
	commit_log_stop();
	db_free(db);
}

/* -- TestGarbageCollection: what the collector ends (sess_gc) -- */

/* Session ID is STATUS/REASON with a closed_at, as its row says. */
static void
check_ended(const char *id, const char *status, const char *reason)
{
	char want[64];

	snprintf(want, sizeof(want), "%s/%s/true", status, reason);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT status || '/' || "
	    "coalesce(reason_closed, '-') || '/' || (closed_at IS NOT NULL)"
	    " FROM termgate.sessions WHERE id = $1", id), want);
}

static void
check_live(const char *id)
{
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT status || '/' || "
	    "coalesce(reason_closed, '-') FROM termgate.sessions"
	    " WHERE id = $1", id), "active/-");
}

static void
test_list_expired_sessions(void)
{
	char user[40], host[40], old[65], young[65];
	struct sess_gc_counts c;

	fresh(user, host);
	own_node();
	dbt_active(user, host, "embedded", old);
	dbt_active(user, host, "popout", young);
	set_time(old, "created_at", "-1 hour");
	set_time(old, "last_seen_at", "-5 seconds");
	set_time(old, "expires_at", "-10 minutes");
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &dbt_cfg, &c), 0);
	CU_ASSERT_EQUAL(c.ttl, 1);
	CU_ASSERT_EQUAL(c.idle, 0);
	check_ended(old, SESS_STATUS_EXPIRED, SESS_REASON_TTL);
	check_live(young);
	end_node();
}

static void
test_list_idle_sessions(void)
{
	char user[40], host[40], idle[65], busy[65];
	struct sess_gc_counts c;

	fresh(user, host);
	own_node();
	dbt_cfg.idle_timeout = 120;
	dbt_active(user, host, "embedded", idle);
	dbt_active(user, host, "popout", busy);
	set_time(idle, "last_seen_at", "-5 minutes");
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &dbt_cfg, &c), 0);
	CU_ASSERT_EQUAL(c.idle, 1);
	CU_ASSERT_EQUAL(c.ttl, 0);
	check_ended(idle, SESS_STATUS_EXPIRED, SESS_REASON_IDLE);
	check_live(busy);
	end_node();
}

static void
test_list_stale_sessions_combines_expired_and_idle(void)
{
	char user[40], host[40], exp[65], idle[65], ok[65], h2[40];
	struct sess_gc_counts c;

	fresh(user, host);
	own_node();
	dbt_cfg.idle_timeout = 120;
	dbt_unique(h2, sizeof(h2), "host-2");
	dbt_host(h2);
	dbt_active(user, host, "embedded", exp);
	dbt_active(user, host, "popout", idle);
	dbt_active(user, h2, "embedded", ok);
	set_time(exp, "expires_at", "-1 minute");
	set_time(idle, "last_seen_at", "-5 minutes");
	/* One collector run ends both kinds. */
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &dbt_cfg, &c), 0);
	CU_ASSERT_EQUAL(c.ttl, 1);
	CU_ASSERT_EQUAL(c.idle, 1);
	check_ended(exp, SESS_STATUS_EXPIRED, SESS_REASON_TTL);
	check_ended(idle, SESS_STATUS_EXPIRED, SESS_REASON_IDLE);
	check_live(ok);
	end_node();
}

/* Makes a fresh active session due as SETUP says, collects, checks the
 * end and its one event. */
static void
check_collected(void (*setup)(const char *id), const char *status,
    const char *reason)
{
	char user[40], host[40], id[65];
	struct sess_gc_counts c;

	fresh(user, host);
	own_node();
	dbt_cfg.idle_timeout = 120;
	dbt_active(user, host, "embedded", id);
	setup(id);
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &dbt_cfg, &c), 0);
	CU_ASSERT_EQUAL(c.ttl + c.idle + c.client_lost, 1);
	check_ended(id, status, reason);
	CU_ASSERT_STRING_EQUAL(DBT_SQL2("SELECT count(*) FROM "
	    "termgate.session_events WHERE session_id = $1"
	    " AND kind = 'expired' AND detail->>'reason' = $2", id, reason),
	    "1");
	end_node();
}

static void
past_ttl(const char *id)
{
	set_time(id, "expires_at", "-1 second");
}

static void
past_idle(const char *id)
{
	set_time(id, "last_seen_at", "-121 seconds");
}

static void
test_mark_expired_sets_correct_reason(void)
{
	check_collected(past_ttl, SESS_STATUS_EXPIRED, SESS_REASON_TTL);
}

static void
test_mark_idle_sets_correct_reason(void)
{
	check_collected(past_idle, SESS_STATUS_EXPIRED, SESS_REASON_IDLE);
}

/*
 * More sessions due at once than one collection statement ends
 * (GC_BATCH, 200, in sess.c): one run still ends them all, in 3
 * transactions (so none holds more than 200 rows), and leaves the others
 * alone.
 */
static void
test_gc_ends_more_than_a_batch(void)
{
	char user[40], host[40], id[65];
	struct sess_gc_counts c;

	fresh(user, host);
	own_node();
	dbt_active(user, host, "embedded", id);
	/* 450 copies of it on the test's node, 449 past their TTL and the
	 * original not. A copy's id is the original's first 59 digits, a
	 * 60th that differs from the original's, and a number: never the
	 * original's (its last four digits were 0001-0449 once in 146
	 * runs, and the insert failed). */
	DBT_SQL2("INSERT INTO termgate.sessions (id, host_id, host_name,"
	    " host_ip, user_id, username, token_hash, node, endpoint,"
	    " ttyd_pid, mode, status, expires_at)"
	    " SELECT x.nid, s.host_id, s.host_name, s.host_ip, s.user_id,"
	    " s.username, s.token_hash, $2, replace(s.endpoint, s.id, x.nid),"
	    " s.ttyd_pid, s.mode, 'active', now() - interval '1 minute'"
	    " FROM termgate.sessions s, LATERAL (SELECT left(s.id, 59) ||"
	    " CASE substr(s.id, 60, 1) WHEN 'f' THEN 'e' ELSE 'f' END ||"
	    " lpad(g::text, 4, '0') AS nid FROM generate_series(1, 449) g) x"
	    " WHERE s.id = $1", id, dbt_cfg.node);
	DBT_SQL2("UPDATE termgate.sessions SET node = $2 WHERE id = $1", id,
	    dbt_cfg.node);
	commit_log_start();
	CU_ASSERT_EQUAL(sess_gc(dbt_db(), &dbt_cfg, &c), 0);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(DISTINCT l.tx) FROM"
	    " public.dbt_commit_log l JOIN termgate.sessions s ON s.id = l.id"
	    " WHERE s.node = $1", dbt_cfg.node), "3");
	commit_log_stop();
	CU_ASSERT_EQUAL(c.ttl, 449);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM"
	    " termgate.sessions WHERE node = $1 AND status = 'expired'"
	    " AND reason_closed = 'ttl'", dbt_cfg.node), "449");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT status FROM"
	    " termgate.sessions WHERE id = $1", id), "active");
	end_node();
}

/* -- TestCloseBeacon: the beacon, then the collector after the grace -- */

static void
test_mark_client_lost_sets_correct_reason(void)
{
	char user[40], host[40], id[65];
	struct sess_gc_counts c;
	struct sess_opened o;

	fresh(user, host);
	own_node();
	dbt_cfg.beacon_grace = 5;
	dbt_open(user, host, "embedded", 0, &o);
	strlcpy(id, dbt_str(o.session, "session_id"), sizeof(id));
	CU_ASSERT_EQUAL_FATAL(sess_mark_active(dbt_db(), id, 4242), 0);
	CU_ASSERT_EQUAL_FATAL(sess_beacon(dbt_db(), &dbt_cfg, id, o.token),
	    0);
	sess_opened_clear(&o);
	/* Within the grace the session lives on; past it, it is closed. */
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &dbt_cfg, &c), 0);
	CU_ASSERT_EQUAL(c.client_lost, 0);
	check_live(id);
	set_time(id, "client_lost_at", "-6 seconds");
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &dbt_cfg, &c), 0);
	CU_ASSERT_EQUAL(c.client_lost, 1);
	check_ended(id, SESS_STATUS_CLOSED, SESS_REASON_CLIENT_LOST);
	end_node();
}

/* -- TestTerminalService -- */

static void
test_metrics_tracking(void)
{
	char user[40], host[40], other[40], id[65];
	json_object *before = NULL, *after = NULL, *v;
	struct sess_opened o;

	fresh(user, host);
	CU_ASSERT_EQUAL_FATAL(sess_metrics(dbt_db(), &before), 0);
	dbt_active(user, host, "embedded", id);		/* created */
	dbt_open(user, host, "embedded", 1, &o);	/* reused */
	CU_ASSERT_EQUAL(o.outcome, SESS_REUSED);
	sess_opened_clear(&o);
	dbt_active(user, host, "popout", id);
	dbt_unique(other, sizeof(other), "host-m");
	dbt_host(other);
	dbt_active(user, other, "embedded", id);
	dbt_open(user, other, "popout", 1, &o);		/* limit hit */
	CU_ASSERT_EQUAL(o.outcome, SESS_LIMIT);
	sess_opened_clear(&o);
	CU_ASSERT_EQUAL_FATAL(sess_metrics(dbt_db(), &after), 0);
	/* Other suites may run in parallel: at least our own counts. */
	CU_ASSERT(dbt_int(after, "sessions_created") -
	    dbt_int(before, "sessions_created") >= 3);
	CU_ASSERT(dbt_int(after, "sessions_reused") -
	    dbt_int(before, "sessions_reused") >= 1);
	CU_ASSERT(dbt_int(after, "session_limit_hits") -
	    dbt_int(before, "session_limit_hits") >= 1);
	CU_ASSERT(json_object_object_get_ex(after, "active_processes", &v));
	CU_ASSERT(json_object_object_get_ex(after, "gc_running", &v));
	CU_ASSERT(json_object_get_type(v) == json_type_boolean);
	json_object_put(before);
	json_object_put(after);
}

/*
 * Python's naive datetimes have no counterpart in C: times are timestamptz
 * and formatted in SQL. A timestamp without zone becomes the instant it
 * means in the writer's TimeZone, and is always shown in UTC with a Z.
 */
static void
test_to_utc_aware_handles_naive_datetime(void)
{
	PGconn *c = PQconnectdb(dbt_cfg.database);
	PGresult *r;

	CU_ASSERT_FATAL(PQstatus(c) == CONNECTION_OK);
	PQclear(PQexec(c, "SET TimeZone = 'UTC'"));
	r = PQexec(c, "SELECT termgate.rfc3339('2025-01-01 12:00:00'"
	    "::timestamp)");
	CU_ASSERT_STRING_EQUAL(PQgetvalue(r, 0, 0), "2025-01-01T12:00:00Z");
	PQclear(r);
	PQclear(PQexec(c, "SET TimeZone = 'Europe/Paris'"));
	r = PQexec(c, "SELECT termgate.rfc3339('2025-01-01 12:00:00'"
	    "::timestamp)");
	CU_ASSERT_STRING_EQUAL(PQgetvalue(r, 0, 0), "2025-01-01T11:00:00Z");
	PQclear(r);
	PQfinish(c);
}

/*
 * A session whose expiry was written as a timestamp without time zone, by
 * a client with another TimeZone, is collected by the instant it means.
 */
static void
test_gc_cycle_expired_comparison_with_naive_expires_at(void)
{
	char user[40], host[40], node[40], past[65], future[65];
	struct sess_gc_counts c;
	struct tg_cfg saved = dbt_cfg;
	PGconn *other;

	fresh(user, host);
	dbt_unique(node, sizeof(node), "gc");
	strlcpy(dbt_cfg.node, node, sizeof(dbt_cfg.node));
	dbt_active(user, host, "embedded", past);
	dbt_active(user, host, "popout", future);
	other = PQconnectdb(dbt_cfg.database);
	CU_ASSERT_FATAL(PQstatus(other) == CONNECTION_OK);
	/* Read as UTC, Tokyo's "a minute ago" would lie 9 hours ahead and
	 * New York's "in a minute" 5 hours behind: both would go wrong. */
	PQclear(PQexec(other, "SET TimeZone = 'Asia/Tokyo'"));
	PQclear(PQexecParams(other, "UPDATE termgate.sessions SET expires_at ="
	    " (now() - interval '1 minute')::timestamp WHERE id = $1", 1, NULL,
	    (const char *[]){ past }, NULL, NULL, 0));
	PQclear(PQexec(other, "SET TimeZone = 'America/New_York'"));
	PQclear(PQexecParams(other, "UPDATE termgate.sessions SET expires_at ="
	    " (now() + interval '1 minute')::timestamp WHERE id = $1", 1, NULL,
	    (const char *[]){ future }, NULL, NULL, 0));
	PQfinish(other);
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &dbt_cfg, &c), 0);
	CU_ASSERT_EQUAL(c.ttl, 1);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT status || '/' || "
	    "coalesce(reason_closed, '') FROM termgate.sessions "
	    "WHERE id = $1", past), "expired/ttl");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT status FROM "
	    "termgate.sessions WHERE id = $1", future), "active");
	dbt_cfg = saved;
}

/* -- TestTerminalSessionModel -- */

static void
test_status_constants(void)
{
	char user[40], host[40], id[65];
	json_object *s = NULL;

	/* The schema knows exactly these, in this order. */
	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT status FROM "
	    "termgate.sessions WHERE id = $1", id), SESS_STATUS_ACTIVE);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT pg_get_constraintdef(oid) "
	    "~ $1 FROM pg_constraint WHERE conname = 'sessions_status_check'",
	    "'" SESS_STATUS_STARTING "'.*'" SESS_STATUS_ACTIVE "'.*'"
	    SESS_STATUS_CLOSED "'.*'" SESS_STATUS_EXPIRED "'"), "t");
	CU_ASSERT_EQUAL(sess_close(dbt_db(), id, SESS_REASON_USER, NULL, &s),
	    0);
	CU_ASSERT_STRING_EQUAL(dbt_str(s, "status"), SESS_STATUS_CLOSED);
	json_object_put(s);
}

static void
test_close_reason_constants(void)
{
	static const struct { const char *reason, *status; } cases[] = {
		{ SESS_REASON_USER, "closed" }, { SESS_REASON_TTL, "expired" },
		{ SESS_REASON_IDLE, "expired" },
		{ SESS_REASON_CLIENT_LOST, "closed" },
		{ SESS_REASON_ADMIN, "closed" },
		{ SESS_REASON_EXITED, "closed" },
		{ SESS_REASON_SPAWN, "closed" },
		{ SESS_REASON_NODE_LOST, "closed" },
	};
	char user[40], host[40], id[65];
	json_object *s;
	size_t i;

	/* The schema knows as many reasons as there are cases here. */
	CU_ASSERT_EQUAL(atoi(DBT_SQL1("SELECT count(*) FROM pg_constraint,"
	    " regexp_matches(pg_get_constraintdef(oid), $1, 'g')"
	    " WHERE conname = 'sessions_reason_closed_check'",
	    "'([a-z_]+)'")), (int)(sizeof(cases) / sizeof(cases[0])));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fresh(user, host);
		dbt_active(user, host, "embedded", id);
		s = NULL;
		CU_ASSERT_EQUAL_FATAL(sess_close(dbt_db(), id,
		    cases[i].reason, NULL, &s), 0);
		CU_ASSERT_STRING_EQUAL(dbt_str(s, "status"), cases[i].status);
		CU_ASSERT_STRING_EQUAL(dbt_str(s, "reason_closed"),
		    cases[i].reason);
		json_object_put(s);
	}
	/* Any other reason is refused by the schema. */
	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	CU_ASSERT_EQUAL(sess_close(dbt_db(), id, "bored", NULL, &s), -1);
}

/* The one-line form termgate-admin lists sessions in (sess_line). */
static void
test_session_repr(void)
{
	char user[40], host[40], id[65], buf[512];
	json_object *s = NULL;

	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	CU_ASSERT_EQUAL_FATAL(sess_get(dbt_db(), id, NULL, &s), 0);
	CU_ASSERT(sess_line(s, buf, sizeof(buf)) < (int)sizeof(buf));
	CU_ASSERT_EQUAL(strncmp(buf, id, 16), 0);
	CU_ASSERT_EQUAL(buf[16], ' ');
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, user));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, host));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " embedded active - "));
	json_object_put(s);
}

static CU_TestInfo tests[] = {
	{ "test_find_reusable_session_returns_matching_session",
	    test_find_reusable_session_returns_matching_session },
	{ "test_find_reusable_session_returns_none_for_different_mode",
	    test_find_reusable_session_returns_none_for_different_mode },
	{ "test_find_reusable_session_excludes_idle_sessions",
	    test_find_reusable_session_excludes_idle_sessions },
	{ "test_session_limit_error_schema", test_session_limit_error_schema },
	{ "test_session_limit_error_with_reusable_session",
	    test_session_limit_error_with_reusable_session },
	{ "test_close_already_closed_session",
	    test_close_already_closed_session },
	{ "test_close_nonexistent_session", test_close_nonexistent_session },
	{ "test_heartbeat_updates_last_seen",
	    test_heartbeat_updates_last_seen },
	{ "test_heartbeat_on_closed_session_does_nothing",
	    test_heartbeat_on_closed_session_does_nothing },
	{ "test_heartbeat_response_schema", test_heartbeat_response_schema },
	{ "test_heartbeat_alone_commits_without_flush_wait",
	    test_heartbeat_alone_commits_without_flush_wait },
	{ "test_list_expired_sessions", test_list_expired_sessions },
	{ "test_list_idle_sessions", test_list_idle_sessions },
	{ "test_list_stale_sessions_combines_expired_and_idle",
	    test_list_stale_sessions_combines_expired_and_idle },
	{ "test_mark_expired_sets_correct_reason",
	    test_mark_expired_sets_correct_reason },
	{ "test_gc_ends_more_than_a_batch", test_gc_ends_more_than_a_batch },
	{ "test_mark_idle_sets_correct_reason",
	    test_mark_idle_sets_correct_reason },
	{ "test_mark_client_lost_sets_correct_reason",
	    test_mark_client_lost_sets_correct_reason },
	{ "test_metrics_tracking", test_metrics_tracking },
	{ "test_to_utc_aware_handles_naive_datetime",
	    test_to_utc_aware_handles_naive_datetime },
	{ "test_gc_cycle_expired_comparison_with_naive_expires_at",
	    test_gc_cycle_expired_comparison_with_naive_expires_at },
	{ "test_status_constants", test_status_constants },
	{ "test_close_reason_constants", test_close_reason_constants },
	{ "test_session_repr", test_session_repr },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_seed = { "seed", NULL, NULL, NULL, NULL, tests };
