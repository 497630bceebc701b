/*
 * t_repo.c - the repository beyond the seed: opening, tokens, limits,
 * ports, notifications, beacons, authorization, collection, retention,
 * the schema's own guards, migrations and reconnection.
 */

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "db.h"
#include "dbt.h"
#include "hosts.h"
#include "migrate.h"
#include "node.h"
#include "notify.h"
#include "suites.h"

static void
fresh(char *user, char *host)
{
	dbt_unique(user, 40, "u");
	dbt_unique(host, 40, "h");
	dbt_host(host);
}

static const char *
sql_id(const char *sql, const char *id)
{
	return DBT_SQL1(sql, id);
}

static void
test_open_creates_starting_session(void)
{
	char user[40], host[40], want[128], hash[TOK_HASH_LEN + 1];
	struct sess_opened o;
	const char *id;

	fresh(user, host);
	dbt_open(user, host, "embedded", 1, &o);
	CU_ASSERT_EQUAL_FATAL(o.outcome, SESS_CREATED);
	id = dbt_str(o.session, "session_id");
	CU_ASSERT_EQUAL(strlen(id), 64);
	CU_ASSERT_STRING_EQUAL(dbt_str(o.session, "status"), "starting");
	CU_ASSERT_EQUAL(strlen(o.token), TOK_LEN);
	snprintf(want, sizeof(want), "unix:/tmp/termgate-test/%s.sock", id);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT endpoint FROM termgate.sessions"
	    " WHERE id = $1", id), want);
	/* Only the hash of the token is stored. */
	tok_hash(o.token, hash);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT token_hash FROM "
	    "termgate.sessions WHERE id = $1", id), hash);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM "
	    "termgate.sessions s WHERE row_to_json(s)::text LIKE '%' || $1 "
	    "|| '%'", o.token), "0");
	CU_ASSERT_STRING_EQUAL(dbt_str(o.session, "ttyd_port"), "");
	sess_opened_clear(&o);
}

static void
test_open_unknown_host(void)
{
	struct sess_opened o;

	dbt_open("someone", "no-such-host", "embedded", 1, &o);
	CU_ASSERT_EQUAL(o.outcome, SESS_UNKNOWN_HOST);
	CU_ASSERT_PTR_NULL(o.session);
	sess_opened_clear(&o);
}

/* Waits up to 2 s on L for a notification on CHANNEL with PAYLOAD. */
static int
await_notify(struct tg_db *l, const char *channel, const char *payload)
{
	int64_t deadline = clock_ms() + 2000;
	struct db_note n;

	while (db_wait_note(l, deadline, &n) == 1)
		if (strcmp(n.channel, channel) == 0 &&
		    strcmp(n.payload, payload) == 0)
			return 1;
	return 0;
}

static void
test_lifecycle_notifies_supervisor_and_waiters(void)
{
	char user[40], host[40], id[65], ready[80];
	struct sess_opened o;
	struct tg_db *l;

	l = db_new(dbt_cfg.database);
	CU_ASSERT_FATAL(l != NULL && db_ok(l));
	CU_ASSERT_FATAL(db_listen(l, NOTIFY_SPAWN) == 0 &&
	    db_listen(l, NOTIFY_CLOSE) == 0 && db_listen(l, NOTIFY_READY) == 0);
	fresh(user, host);
	dbt_open(user, host, "embedded", 1, &o);
	strlcpy(id, dbt_str(o.session, "session_id"), sizeof(id));
	sess_opened_clear(&o);
	CU_ASSERT(await_notify(l, NOTIFY_SPAWN, id));
	CU_ASSERT_EQUAL(sess_mark_active(dbt_db(), id, 99), 0);
	snprintf(ready, sizeof(ready), "%s " NOTIFY_READY_OK, id);
	CU_ASSERT(await_notify(l, NOTIFY_READY, ready));
	CU_ASSERT_EQUAL(notify_ready(ready, id), 1);
	CU_ASSERT_EQUAL(sess_close(dbt_db(), id, SESS_REASON_USER, NULL,
	    NULL), 0);
	CU_ASSERT(await_notify(l, NOTIFY_CLOSE, id));
	/* A starting session that fails wakes its waiter with "failed". */
	dbt_open(user, host, "popout", 1, &o);
	strlcpy(id, dbt_str(o.session, "session_id"), sizeof(id));
	sess_opened_clear(&o);
	CU_ASSERT_EQUAL(sess_close(dbt_db(), id, SESS_REASON_SPAWN, NULL,
	    NULL), 0);
	snprintf(ready, sizeof(ready), "%s " NOTIFY_READY_FAILED, id);
	CU_ASSERT(await_notify(l, NOTIFY_READY, ready));
	CU_ASSERT_EQUAL(notify_ready(ready, id), 0);
	db_free(l);
}

static void
test_close_oldest_makes_room(void)
{
	char user[40], host[40], ids[3][65], h[3][40];
	struct sess_open_req req;
	struct sess_opened o;
	int i;

	fresh(user, host);
	for (i = 0; i < 3; i++) {
		dbt_unique(h[i], sizeof(h[i]), "h");
		dbt_host(h[i]);
		dbt_active(user, h[i], "embedded", ids[i]);
	}
	req = (struct sess_open_req){ user, host, "embedded", 1, 1 };
	CU_ASSERT_EQUAL_FATAL(sess_open(dbt_db(), &dbt_cfg, &req, &o), 0);
	CU_ASSERT_EQUAL(o.outcome, SESS_CREATED);
	sess_opened_clear(&o);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT status || '/' || reason_closed"
	    " FROM termgate.sessions WHERE id = $1", ids[0]),
	    "closed/user_close");
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT status FROM termgate.sessions"
	    " WHERE id = $1", ids[1]), "active");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM "
	    "termgate.sessions WHERE username = $1 AND status IN "
	    "('starting', 'active')", user), "3");
}

static void
test_user_limit_override(void)
{
	char user[40], host[40], h2[40], id[65];
	struct sess_opened o;

	fresh(user, host);
	DBT_SQL1("INSERT INTO termgate.users (username, max_sessions)"
	    " VALUES ($1, 1)", user);
	dbt_active(user, host, "embedded", id);
	dbt_unique(h2, sizeof(h2), "h");
	dbt_host(h2);
	dbt_open(user, h2, "embedded", 1, &o);
	CU_ASSERT_EQUAL(o.outcome, SESS_LIMIT);
	CU_ASSERT_EQUAL(dbt_int(o.limit, "max_active"), 1);
	CU_ASSERT_STRING_EQUAL(dbt_str(o.limit, "message"),
	    "Maximum sessions reached (1)");
	sess_opened_clear(&o);
	/* Back to the default. */
	DBT_SQL1("UPDATE termgate.users SET max_sessions = NULL"
	    " WHERE username = $1", user);
	dbt_open(user, h2, "embedded", 1, &o);
	CU_ASSERT_EQUAL(o.outcome, SESS_CREATED);
	sess_opened_clear(&o);
}

static void
test_reuse_issues_new_token(void)
{
	char user[40], host[40], id[65], old[TOK_LEN + 1];
	struct sess_opened o;
	struct sess_auth a;

	fresh(user, host);
	dbt_open(user, host, "embedded", 1, &o);
	strlcpy(id, dbt_str(o.session, "session_id"), sizeof(id));
	strlcpy(old, o.token, sizeof(old));
	sess_opened_clear(&o);
	CU_ASSERT_EQUAL_FATAL(sess_mark_active(dbt_db(), id, 99), 0);
	CU_ASSERT_EQUAL(sess_authorize(dbt_db(), id, old, user, &a),
	    SESS_AUTH_OK);
	dbt_open(user, host, "embedded", 1, &o);
	CU_ASSERT_EQUAL(o.outcome, SESS_REUSED);
	CU_ASSERT_STRING_EQUAL(dbt_str(o.session, "session_id"), id);
	CU_ASSERT_STRING_NOT_EQUAL(o.token, old);
	CU_ASSERT_EQUAL(sess_authorize(dbt_db(), id, o.token, user, &a),
	    SESS_AUTH_OK);
	CU_ASSERT_EQUAL(sess_authorize(dbt_db(), id, old, user, &a),
	    SESS_AUTH_BAD_TOKEN);
	sess_opened_clear(&o);
	/* reuse = false always opens another one. */
	dbt_open(user, host, "embedded", 0, &o);
	CU_ASSERT_EQUAL(o.outcome, SESS_CREATED);
	CU_ASSERT_STRING_NOT_EQUAL(dbt_str(o.session, "session_id"), id);
	sess_opened_clear(&o);
}

static void
test_authorize_checks_token_user_and_status(void)
{
	char user[40], host[40], id[65], missing[65];
	struct sess_opened o;
	struct sess_auth a;
	json_object *s = NULL;
	char want[128];

	fresh(user, host);
	dbt_open(user, host, "embedded", 1, &o);
	strlcpy(id, dbt_str(o.session, "session_id"), sizeof(id));
	CU_ASSERT_EQUAL(sess_authorize(dbt_db(), id, o.token, user, &a),
	    SESS_AUTH_NOT_ACTIVE);		/* still starting */
	CU_ASSERT_EQUAL_FATAL(sess_mark_active(dbt_db(), id, 99), 0);
	CU_ASSERT_EQUAL(sess_authorize(dbt_db(), id, o.token, user, &a),
	    SESS_AUTH_OK);
	snprintf(want, sizeof(want), "/tmp/termgate-test/%s.sock", id);
	CU_ASSERT_EQUAL(a.ep.kind, EP_UNIX);
	CU_ASSERT_STRING_EQUAL(a.ep.path, want);
	CU_ASSERT_STRING_EQUAL(a.backend_auth, "");
	CU_ASSERT_EQUAL(sess_authorize(dbt_db(), id, o.token, NULL, &a),
	    SESS_AUTH_OK);
	CU_ASSERT_EQUAL(sess_authorize(dbt_db(), id, "wrong-token", user, &a),
	    SESS_AUTH_BAD_TOKEN);
	CU_ASSERT_EQUAL(sess_authorize(dbt_db(), id, o.token, "mallory", &a),
	    SESS_AUTH_BAD_TOKEN);
	tok_session_id(missing);
	CU_ASSERT_EQUAL(sess_authorize(dbt_db(), missing, o.token, user, &a),
	    SESS_AUTH_NOT_FOUND);
	CU_ASSERT_EQUAL(sess_close(dbt_db(), id, "user_close", user, &s), 0);
	CU_ASSERT_EQUAL(sess_authorize(dbt_db(), id, o.token, user, &a),
	    SESS_AUTH_NOT_ACTIVE);
	json_object_put(s);
	sess_opened_clear(&o);
}

static void
test_beacon_closes_after_grace_unless_heartbeat(void)
{
	char user[40], host[40], id[65], missing[65], tok[TOK_LEN + 1];
	struct tg_cfg cfg = dbt_cfg;
	struct sess_gc_counts c;
	struct sess_opened o;
	struct sess_beat b;

	fresh(user, host);
	dbt_unique(cfg.node, sizeof(cfg.node), "beacon");
	cfg.beacon_grace = 5;
	dbt_open(user, host, "embedded", 1, &o);
	sess_opened_clear(&o);
	{
		struct sess_open_req req = { user, host, "popout", 1, 0 };

		CU_ASSERT_FATAL(sess_open(dbt_db(), &cfg, &req, &o) == 0);
	}
	strlcpy(id, dbt_str(o.session, "session_id"), sizeof(id));
	strlcpy(tok, o.token, sizeof(tok));
	sess_opened_clear(&o);
	CU_ASSERT_EQUAL_FATAL(sess_mark_active(dbt_db(), id, 99), 0);
	CU_ASSERT_EQUAL(sess_beacon(dbt_db(), &cfg, id, "wrong-token"), 2);
	tok_session_id(missing);
	CU_ASSERT_EQUAL(sess_beacon(dbt_db(), &cfg, missing, tok), 1);
	CU_ASSERT_EQUAL(sess_beacon(dbt_db(), &cfg, id, tok), 0);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT client_lost_at IS NOT NULL FROM"
	    " termgate.sessions WHERE id = $1", id), "t");
	/* A reload's heartbeat within the grace keeps it. */
	CU_ASSERT_EQUAL(sess_update_last_seen(dbt_db(), id, user, &b), 0);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT client_lost_at IS NULL FROM"
	    " termgate.sessions WHERE id = $1", id), "t");
	CU_ASSERT_EQUAL(sess_beacon(dbt_db(), &cfg, id, tok), 0);
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &cfg, &c), 0);
	CU_ASSERT_EQUAL(c.client_lost, 0);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT status FROM termgate.sessions"
	    " WHERE id = $1", id), "active");
	/* Past the grace, the collector closes it. */
	DBT_SQL1("UPDATE termgate.sessions SET client_lost_at = now() - "
	    "interval '6 seconds' WHERE id = $1", id);
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &cfg, &c), 0);
	CU_ASSERT_EQUAL(c.client_lost, 1);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT status || '/' || reason_closed"
	    " FROM termgate.sessions WHERE id = $1", id),
	    "closed/client_lost");
	/* A beacon on a closed session is still accepted, and changes
	 * nothing. */
	CU_ASSERT_EQUAL(sess_beacon(dbt_db(), &cfg, id, tok), 0);
}

static void
test_beacon_without_grace_closes_at_once(void)
{
	char user[40], host[40], id[65];
	struct tg_cfg cfg = dbt_cfg;
	struct sess_opened o;

	fresh(user, host);
	cfg.beacon_grace = 0;
	dbt_open(user, host, "embedded", 1, &o);
	strlcpy(id, dbt_str(o.session, "session_id"), sizeof(id));
	CU_ASSERT_EQUAL_FATAL(sess_mark_active(dbt_db(), id, 99), 0);
	CU_ASSERT_EQUAL(sess_beacon(dbt_db(), &cfg, id, o.token), 0);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT status || '/' || reason_closed"
	    " FROM termgate.sessions WHERE id = $1", id),
	    "closed/client_lost");
	sess_opened_clear(&o);
}

static void
test_tcp_ports_allocated_lowest_first_and_freed(void)
{
	char host[40], u[3][40], ids[2][65];
	struct tg_cfg cfg = dbt_cfg;
	struct sess_opened o;
	json_object *s = NULL;
	int i;

	dbt_unique(host, sizeof(host), "h");
	dbt_host(host);
	dbt_unique(cfg.node, sizeof(cfg.node), "tcp");
	cfg.terminal_listen = TG_LISTEN_TCP;
	CU_ASSERT_EQUAL_FATAL(node_fill_ports(dbt_db(), cfg.node, 9001,
	    9002), 0);
	for (i = 0; i < 3; i++) {
		struct sess_open_req req;

		dbt_unique(u[i], sizeof(u[i]), "u");
		req = (struct sess_open_req){ u[i], host, "embedded", 1, 0 };
		CU_ASSERT_FATAL(sess_open(dbt_db(), &cfg, &req, &o) == 0);
		if (i < 2) {
			CU_ASSERT_EQUAL(o.outcome, SESS_CREATED);
			CU_ASSERT_EQUAL(dbt_int(o.session, "ttyd_port"),
			    9001 + i);
			strlcpy(ids[i], dbt_str(o.session, "session_id"), 65);
		} else
			CU_ASSERT_EQUAL(o.outcome, SESS_NO_PORT);
		sess_opened_clear(&o);
	}
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT endpoint || ' ' || "
	    "(backend_auth LIKE 'termgate:%') FROM termgate.sessions "
	    "WHERE id = $1", ids[0]), "127.0.0.1:9001 true");
	/* A session that never ran frees its port when it ends... */
	CU_ASSERT_EQUAL(sess_close(dbt_db(), ids[0], SESS_REASON_SPAWN, NULL,
	    NULL), 0);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM termgate.ports"
	    " WHERE node = $1 AND session_id IS NULL", cfg.node), "1");
	/* ...one with a process keeps it until the supervisor frees it. */
	CU_ASSERT_EQUAL_FATAL(sess_mark_active(dbt_db(), ids[1], 99), 0);
	s = NULL;
	CU_ASSERT_EQUAL(sess_close(dbt_db(), ids[1], "user_close", NULL, &s),
	    0);
	json_object_put(s);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM termgate.ports"
	    " WHERE node = $1 AND session_id IS NULL", cfg.node), "1");
	CU_ASSERT_EQUAL(sess_release_port(dbt_db(), ids[1]), 0);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM termgate.ports"
	    " WHERE node = $1 AND session_id IS NULL", cfg.node), "2");
}

static void
test_ended_rows_never_change(void)
{
	char user[40], host[40], id[65];
	json_object *s = NULL;

	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	CU_ASSERT_EQUAL(sess_close(dbt_db(), id, SESS_REASON_IDLE, NULL, &s),
	    0);
	json_object_put(s);
	/* Not even an operator's UPDATE in psql revives it. */
	DBT_SQL1("UPDATE termgate.sessions SET status = 'active',"
	    " reason_closed = NULL, closed_at = NULL WHERE id = $1", id);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT status || '/' || reason_closed"
	    " FROM termgate.sessions WHERE id = $1", id), "expired/idle");
	CU_ASSERT_EQUAL(sess_mark_active(dbt_db(), id, 5), 1);
}

static void
test_schema_rejects_unsafe_host_fields(void)
{
	static const char *bad[][2] = {
		{ "-oProxyCommand=x", "root" }, { "a b", "root" },
		{ "$(x)", "root" }, { "a;b", "root" }, { "", "root" },
		{ "host.lan", "-oProxyCommand=x" }, { "host.lan", "a b" },
		{ "host.lan", "$(x)" },
	};
	char id[40];
	PGresult *res;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dbt_unique(id, sizeof(id), "bad");
		res = PQexecParams(dbt_raw(), "INSERT INTO termgate.hosts (id,"
		    " name, address, ssh_user) VALUES ($1, 'x', $2, $3)", 3,
		    NULL, (const char *[]){ id, bad[i][0], bad[i][1] }, NULL,
		    NULL, 0);
		CU_ASSERT_EQUAL(PQresultStatus(res), PGRES_FATAL_ERROR);
		CU_ASSERT_STRING_EQUAL(PQresultErrorField(res,
		    PG_DIAG_SQLSTATE), "23514");	/* check_violation */
		PQclear(res);
	}
	dbt_unique(id, sizeof(id), "good");
	DBT_SQL2("INSERT INTO termgate.hosts (id, name, address, ssh_user)"
	    " VALUES ($1, 'x', $2, 'deploy')", id, "fe80::1");
}

/* hosts_add in db.h's convention, and a refusal named by db_error. */
static void
test_host_add_says_which_constraint_refused(void)
{
	char id[40];
	struct host h = { NULL, "n", "10.0.0.1", "root", "22" };
	const struct db_error *e;

	dbt_unique(id, sizeof(id), "ha");
	h.id = id;
	CU_ASSERT_EQUAL(hosts_add(dbt_db(), &h), 0);
	CU_ASSERT_STRING_EQUAL(db_error(dbt_db())->sqlstate, "");
	CU_ASSERT_EQUAL(hosts_add(dbt_db(), &h), 1);
	h.name = "";
	CU_ASSERT_EQUAL(hosts_add(dbt_db(), &h), -1);
	e = db_error(dbt_db());
	CU_ASSERT_STRING_EQUAL(e->sqlstate, "23514");
	CU_ASSERT_STRING_EQUAL(e->constraint, "hosts_name_check");
	CU_ASSERT(strstr(e->message, "hosts_name_check") != NULL);
	CU_ASSERT_EQUAL(db_ok(dbt_db()), 1);
	CU_ASSERT_EQUAL(hosts_remove(dbt_db(), id), 0);
	CU_ASSERT_EQUAL(hosts_remove(dbt_db(), id), 1);
	CU_ASSERT_STRING_EQUAL(db_error(dbt_db())->constraint, "");
}

static void
test_events_record_the_lifecycle(void)
{
	char user[40], host[40], id[65];
	json_object *s = NULL;

	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	CU_ASSERT_EQUAL(sess_close(dbt_db(), id, "admin_close", NULL, &s), 0);
	json_object_put(s);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT events FROM "
	    "termgate.session_audit WHERE id = $1", id),
	    "created > spawned > closed");
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT detail->>'reason' FROM "
	    "termgate.session_events WHERE session_id = $1 AND kind = "
	    "'closed'", id), "admin_close");
}

static void
test_views_for_operators(void)
{
	char user[40], host[40], id[65];

	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT username FROM "
	    "termgate.active_sessions WHERE id = $1", id), user);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT status FROM "
	    "termgate.session_audit WHERE id = $1", id), "active");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT live_sessions FROM "
	    "termgate.user_activity WHERE username = $1", user), "1");
}

static void
test_gc_collects_each_kind_in_one_cycle(void)
{
	char user[40], host[40], h2[40], ttl[65], idle[65], lost[65], ok[65];
	struct tg_cfg cfg = dbt_cfg;
	struct sess_gc_counts c;
	struct sess_opened o;
	int i;
	char *ids[] = { ttl, idle, lost, ok };

	fresh(user, host);
	dbt_unique(h2, sizeof(h2), "h");
	dbt_host(h2);
	dbt_unique(cfg.node, sizeof(cfg.node), "gc");
	for (i = 0; i < 4; i++) {
		/* Two users: four sessions would pass one user's limit. */
		struct sess_open_req req = { i < 2 ? user : h2,
		    i < 2 ? host : h2, i % 2 ? "popout" : "embedded", 0, 0 };

		CU_ASSERT_FATAL(sess_open(dbt_db(), &cfg, &req, &o) == 0);
		strlcpy(ids[i], dbt_str(o.session, "session_id"), 65);
		sess_opened_clear(&o);
		CU_ASSERT_FATAL(sess_mark_active(dbt_db(), ids[i], 99) == 0);
	}
	DBT_SQL1("UPDATE termgate.sessions SET expires_at = now() WHERE"
	    " id = $1", ttl);
	DBT_SQL1("UPDATE termgate.sessions SET last_seen_at = now() -"
	    " interval '1 hour' WHERE id = $1", idle);
	DBT_SQL1("UPDATE termgate.sessions SET client_lost_at = now() -"
	    " interval '1 hour' WHERE id = $1", lost);
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &cfg, &c), 0);
	CU_ASSERT_EQUAL(c.ttl, 1);
	CU_ASSERT_EQUAL(c.idle, 1);
	CU_ASSERT_EQUAL(c.client_lost, 1);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT reason_closed FROM "
	    "termgate.sessions WHERE id = $1", ttl), "ttl");
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT reason_closed FROM "
	    "termgate.sessions WHERE id = $1", idle), "idle");
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT reason_closed FROM "
	    "termgate.sessions WHERE id = $1", lost), "client_lost");
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT status FROM termgate.sessions"
	    " WHERE id = $1", ok), "active");
}

static void
test_purge_removes_rows_past_retention(void)
{
	char user[40], host[40], old[65], young[65];
	struct tg_cfg cfg = dbt_cfg;
	struct sess_gc_counts c;
	json_object *s = NULL;

	fresh(user, host);
	dbt_unique(cfg.node, sizeof(cfg.node), "purge");
	dbt_active(user, host, "embedded", old);
	dbt_active(user, host, "popout", young);
	DBT_SQL1("UPDATE termgate.sessions SET closed_at = now() - interval"
	    " '40 days', status = 'closed', reason_closed = 'user_close'"
	    " WHERE id = $1", old);
	DBT_SQL1("UPDATE termgate.session_events SET at = now() - interval"
	    " '40 days' WHERE session_id = $1", old);
	CU_ASSERT_EQUAL(sess_close(dbt_db(), young, "user_close", NULL, &s),
	    0);
	json_object_put(s);
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &cfg, &c), 0);
	CU_ASSERT(c.purged >= 1);
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT count(*) FROM "
	    "termgate.sessions WHERE id = $1", old), "0");
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT count(*) FROM "
	    "termgate.session_events WHERE session_id = $1", old), "0");
	CU_ASSERT_STRING_EQUAL(sql_id("SELECT count(*) FROM "
	    "termgate.sessions WHERE id = $1", young), "1");
}

/* The number of NNN_*.sql files in DIR. */
static int
count_sql(const char *dir)
{
	struct dirent *de;
	DIR *d;
	size_t n;
	int count = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		count += n > 4 && strcmp(de->d_name + n - 4, ".sql") == 0 &&
		    isdigit((unsigned char)de->d_name[0]);
	}
	closedir(d);
	return count;
}

static void
test_migrate_twice_is_a_noop(void)
{
	char err[512], dir[4096], n[16];
	const char *src = getenv("TG_SRCDIR");

	snprintf(dir, sizeof(dir), "%s/sql", src ? src : ".");
	CU_ASSERT_EQUAL(migrate_apply(dbt_cfg.database, dir, err,
	    sizeof(err)), 0);
	/* Every file of sql/ is recorded once, and nothing else. */
	snprintf(n, sizeof(n), "%d", count_sql(dir));
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) = $1::int FROM "
	    "termgate.schema_migrations", n), "t");
	CU_ASSERT_NOT_EQUAL(atoi(n), 0);
}

/*
 * The server ends the repository's connection while it is idle (a
 * restart, pg_terminate_backend): the next call notices, reconnects and
 * succeeds; it does not fail first.
 */
static void
test_db_reconnects_after_lost_connection(void)
{
	char user[40], host[40], id[65];
	json_object *s = NULL;
	int64_t deadline;
	unsigned gen;

	fresh(user, host);
	dbt_active(user, host, "embedded", id);
	gen = db_generation(dbt_db());
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(pg_terminate_backend("
	    "pid)) > 0 FROM pg_stat_activity WHERE datname = $1"
	    " AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
	    "termgate"), "t");
	/* pg_terminate_backend only signals: wait until it is gone. */
	deadline = clock_ms() + 5000;
	while (strcmp(DBT_SQL1("SELECT count(*) FROM pg_stat_activity"
	    " WHERE datname = $1 AND pid <> pg_backend_pid()"
	    " AND backend_type = 'client backend'", "termgate"), "0") != 0 &&
	    clock_ms() < deadline)
		usleep(10000);
	CU_ASSERT_EQUAL(sess_get(dbt_db(), id, NULL, &s), 0);
	CU_ASSERT_TRUE(db_ok(dbt_db()));
	CU_ASSERT_EQUAL(db_generation(dbt_db()), gen + 1);
	json_object_put(s);
}

static CU_TestInfo tests[] = {
	{ "test_open_creates_starting_session",
	    test_open_creates_starting_session },
	{ "test_open_unknown_host", test_open_unknown_host },
	{ "test_lifecycle_notifies_supervisor_and_waiters",
	    test_lifecycle_notifies_supervisor_and_waiters },
	{ "test_close_oldest_makes_room", test_close_oldest_makes_room },
	{ "test_user_limit_override", test_user_limit_override },
	{ "test_reuse_issues_new_token", test_reuse_issues_new_token },
	{ "test_authorize_checks_token_user_and_status",
	    test_authorize_checks_token_user_and_status },
	{ "test_beacon_closes_after_grace_unless_heartbeat",
	    test_beacon_closes_after_grace_unless_heartbeat },
	{ "test_beacon_without_grace_closes_at_once",
	    test_beacon_without_grace_closes_at_once },
	{ "test_tcp_ports_allocated_lowest_first_and_freed",
	    test_tcp_ports_allocated_lowest_first_and_freed },
	{ "test_ended_rows_never_change", test_ended_rows_never_change },
	{ "test_schema_rejects_unsafe_host_fields",
	    test_schema_rejects_unsafe_host_fields },
	{ "test_host_add_says_which_constraint_refused",
	    test_host_add_says_which_constraint_refused },
	{ "test_events_record_the_lifecycle",
	    test_events_record_the_lifecycle },
	{ "test_views_for_operators", test_views_for_operators },
	{ "test_gc_collects_each_kind_in_one_cycle",
	    test_gc_collects_each_kind_in_one_cycle },
	{ "test_purge_removes_rows_past_retention",
	    test_purge_removes_rows_past_retention },
	{ "test_migrate_twice_is_a_noop", test_migrate_twice_is_a_noop },
	{ "test_db_reconnects_after_lost_connection",
	    test_db_reconnects_after_lost_connection },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_repo = { "repository", NULL, NULL, NULL, NULL, tests };
