/*
 * t_nodes.c - several nodes on one database (sql/012_nodes.sql): where
 * open_session places a session, how a lost node's sessions end, what
 * node_remove refuses, and the hop credentials' nonces, each taken once
 * by whichever connection comes first (sql/025_hop_nonces.sql). Each
 * test makes its own nodes (unique names) as
 * rows a supervisor would keep (node_alive), and takes them away at the
 * end so that no later placement sees them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "tok.h"
#include "dbt.h"
#include "node.h"
#include "suites.h"

#define NODES	3

struct nodes {
	char	name[NODES][40];
	struct tg_cfg cfg[NODES];
};

/* NODES nodes, live (node_alive) with an address and a socket_dir of
 * their own; N->cfg[i] is node i's configuration. */
static void
make_nodes(struct nodes *n)
{
	int i;

	for (i = 0; i < NODES; i++) {
		dbt_unique(n->name[i], sizeof(n->name[i]), "n");
		n->cfg[i] = dbt_cfg;
		strlcpy(n->cfg[i].node, n->name[i], sizeof(n->cfg[i].node));
		snprintf(n->cfg[i].node_address,
		    sizeof(n->cfg[i].node_address), "10.0.0.%d:7443", i + 1);
		snprintf(n->cfg[i].socket_dir, sizeof(n->cfg[i].socket_dir),
		    "/tmp/dbt-node%d", i);
		CU_ASSERT_FATAL(node_alive(dbt_db(), &n->cfg[i], 0) == 0);
	}
}

static void
drop_nodes(struct nodes *n)
{
	int i;

	for (i = 0; i < NODES; i++)
		(void)DBT_SQL1("DELETE FROM termgate.supervisors"
		    " WHERE node = $1", n->name[i]);
}

/* Opens a session for a new user through CFG's node: its outcome, and
 * the node it went to into NODE (64 bytes). */
static enum sess_outcome
open_via(const struct tg_cfg *cfg, char *node)
{
	char user[40], host[40];
	struct sess_open_req req = { user, host, "embedded", 0, 0 };
	struct sess_opened o;
	enum sess_outcome rv;

	dbt_unique(user, sizeof(user), "u");
	dbt_unique(host, sizeof(host), "h");
	dbt_host(host);
	CU_ASSERT_FATAL(sess_open(dbt_db(), cfg, &req, &o) == 0);
	rv = o.outcome;
	strlcpy(node, rv == SESS_CREATED ? dbt_str(o.session, "node") : "",
	    64);
	sess_opened_clear(&o);
	return rv;
}

static void
set_col(const char *node, const char *sql)
{
	(void)DBT_SQL1(sql, node);
}

static void
test_unregistered_node_takes_its_own(void)
{
	struct tg_cfg cfg = dbt_cfg;
	char node[64];

	dbt_unique(cfg.node, sizeof(cfg.node), "unreg");
	CU_ASSERT_EQUAL(open_via(&cfg, node), SESS_CREATED);
	CU_ASSERT_STRING_EQUAL(node, cfg.node);
}

static void
test_receiving_node_first(void)
{
	struct nodes n;
	char node[64];

	make_nodes(&n);
	CU_ASSERT_EQUAL(open_via(&n.cfg[1], node), SESS_CREATED);
	CU_ASSERT_STRING_EQUAL(node, n.name[1]);
	CU_ASSERT_EQUAL(open_via(&n.cfg[1], node), SESS_CREATED);
	CU_ASSERT_STRING_EQUAL(node, n.name[1]);
	drop_nodes(&n);
}

/* Drained, full or silent: the receiving node sends the session to the
 * least loaded other node, with its endpoint in that node's socket_dir. */
static void
test_least_loaded_elsewhere(void)
{
	struct nodes n;
	char node[64], want[128];

	make_nodes(&n);
	/* 1 has one live session, 2 none. */
	CU_ASSERT_EQUAL(open_via(&n.cfg[1], node), SESS_CREATED);
	CU_ASSERT_EQUAL(node_set_state(dbt_db(), n.name[0], "drained"), 0);
	CU_ASSERT_EQUAL(open_via(&n.cfg[0], node), SESS_CREATED);
	CU_ASSERT_STRING_EQUAL(node, n.name[2]);
	snprintf(want, sizeof(want), "unix:/tmp/dbt-node2/%%");
	CU_ASSERT_STRING_EQUAL(DBT_SQL2("SELECT count(*) FROM"
	    " termgate.sessions WHERE node = $1 AND endpoint LIKE $2",
	    n.name[2], want), "1");
	/* Both at one: the tie goes by name. */
	CU_ASSERT_EQUAL(open_via(&n.cfg[0], node), SESS_CREATED);
	CU_ASSERT_STRING_EQUAL(node, strcmp(n.name[1], n.name[2]) < 0 ?
	    n.name[1] : n.name[2]);
	drop_nodes(&n);
}

static void
test_capacity_and_liveness(void)
{
	struct nodes n;
	char node[64];

	make_nodes(&n);
	set_col(n.name[0], "UPDATE termgate.supervisors SET capacity = 1"
	    " WHERE node = $1");
	CU_ASSERT_EQUAL(open_via(&n.cfg[0], node), SESS_CREATED);
	CU_ASSERT_STRING_EQUAL(node, n.name[0]);
	/* Full: elsewhere, but not to a node silent for node_lost_after. */
	set_col(n.name[1], "UPDATE termgate.supervisors SET heartbeat_at ="
	    " now() - interval '61 s' WHERE node = $1");
	CU_ASSERT_EQUAL(open_via(&n.cfg[0], node), SESS_CREATED);
	CU_ASSERT_STRING_EQUAL(node, n.name[2]);
	/* Nor to one without an address (a single node's). */
	set_col(n.name[2], "UPDATE termgate.supervisors SET address = NULL"
	    " WHERE node = $1");
	CU_ASSERT_EQUAL(open_via(&n.cfg[0], node), SESS_NO_CAPACITY);
	/* A receiving node that is silent itself sends elsewhere too. */
	set_col(n.name[0], "UPDATE termgate.supervisors SET capacity = NULL,"
	    " heartbeat_at = now() - interval '61 s' WHERE node = $1");
	set_col(n.name[2], "UPDATE termgate.supervisors SET address ="
	    " '10.0.0.3:7443' WHERE node = $1");
	CU_ASSERT_EQUAL(open_via(&n.cfg[0], node), SESS_CREATED);
	CU_ASSERT_STRING_EQUAL(node, n.name[2]);
	drop_nodes(&n);
}

/* A session on a node gone silent is not reused: the open makes a new
 * one on a live node (the old one still counts against the limit). */
static void
test_no_reuse_on_silent_node(void)
{
	char user[40], host[40], first[TOK_ID_LEN + 1];
	struct sess_open_req req = { user, host, "embedded", 1, 0 };
	struct sess_opened o;
	struct nodes n;

	make_nodes(&n);
	dbt_unique(user, sizeof(user), "u");
	dbt_unique(host, sizeof(host), "h");
	dbt_host(host);
	CU_ASSERT_FATAL(sess_open(dbt_db(), &n.cfg[0], &req, &o) == 0);
	CU_ASSERT_EQUAL(o.outcome, SESS_CREATED);
	strlcpy(first, dbt_str(o.session, "session_id"), sizeof(first));
	sess_opened_clear(&o);
	/* Live: reused (still starting: pending). */
	CU_ASSERT_FATAL(sess_open(dbt_db(), &n.cfg[1], &req, &o) == 0);
	CU_ASSERT_EQUAL(o.outcome, SESS_PENDING);
	CU_ASSERT_STRING_EQUAL(dbt_str(o.session, "session_id"), first);
	sess_opened_clear(&o);
	set_col(n.name[0], "UPDATE termgate.supervisors SET heartbeat_at ="
	    " now() - interval '61 s' WHERE node = $1");
	CU_ASSERT_FATAL(sess_open(dbt_db(), &n.cfg[1], &req, &o) == 0);
	CU_ASSERT_EQUAL(o.outcome, SESS_CREATED);
	CU_ASSERT_STRING_NOT_EQUAL(dbt_str(o.session, "session_id"), first);
	CU_ASSERT_STRING_EQUAL(dbt_str(o.session, "node"), n.name[1]);
	sess_opened_clear(&o);
	drop_nodes(&n);
}

/* Only nodes silent for longer than LOST_AFTER lose their sessions, and
 * never the judging node itself. */
static void
test_end_lost(void)
{
	struct nodes n;
	char node[64];
	int i;

	make_nodes(&n);
	for (i = 0; i < NODES; i++)
		CU_ASSERT_EQUAL(open_via(&n.cfg[i], node), SESS_CREATED);
	set_col(n.name[0], "UPDATE termgate.supervisors SET heartbeat_at ="
	    " now() - interval '30 s' WHERE node = $1");
	set_col(n.name[1], "UPDATE termgate.supervisors SET heartbeat_at ="
	    " now() - interval '30 s' WHERE node = $1");
	/* 1 judges: 0 is lost, 1 itself is not judged, 2 is fresh. */
	CU_ASSERT_EQUAL(node_end_lost(dbt_db(), n.name[1], 20), 1);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(DISTINCT"
	    " coalesce(reason_closed, status), ',') FROM termgate.sessions"
	    " WHERE node = $1", n.name[0]), "node_lost");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM"
	    " termgate.sessions WHERE node = $1 AND status = 'starting'",
	    n.name[1]), "1");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM"
	    " termgate.sessions WHERE node = $1 AND status = 'starting'",
	    n.name[2]), "1");
	/* Silent for less than LOST_AFTER: nothing. Again: nothing left. */
	CU_ASSERT_EQUAL(node_end_lost(dbt_db(), n.name[2], 40), 0);
	CU_ASSERT_EQUAL(node_end_lost(dbt_db(), n.name[2], 20), 1);
	CU_ASSERT_EQUAL(node_end_lost(dbt_db(), n.name[2], 20), 0);
	drop_nodes(&n);
}

static void
test_remove(void)
{
	struct nodes n;
	const char *why = NULL;
	char node[64];

	make_nodes(&n);
	CU_ASSERT_EQUAL(open_via(&n.cfg[0], node), SESS_CREATED);
	CU_ASSERT_EQUAL(node_remove(dbt_db(), n.name[0], 60, 0, &why), 1);
	CU_ASSERT_STRING_EQUAL(why, "live_sessions");
	CU_ASSERT_EQUAL(node_remove(dbt_db(), n.name[1], 60, 0, &why), 1);
	CU_ASSERT_STRING_EQUAL(why, "alive");
	set_col(n.name[1], "UPDATE termgate.supervisors SET heartbeat_at ="
	    " now() - interval '61 s' WHERE node = $1");
	CU_ASSERT_EQUAL(node_remove(dbt_db(), n.name[1], 60, 0, &why), 0);
	CU_ASSERT_EQUAL(node_remove(dbt_db(), n.name[1], 60, 0, &why), 1);
	CU_ASSERT_STRING_EQUAL(why, "no_such_node");
	/* Forced: live and with a session, which ends node_lost. */
	CU_ASSERT_EQUAL(node_remove(dbt_db(), n.name[0], 60, 1, &why), 0);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(DISTINCT"
	    " coalesce(reason_closed, status), ',') FROM termgate.sessions"
	    " WHERE node = $1", n.name[0]), "node_lost");
	CU_ASSERT_EQUAL(node_set_state(dbt_db(), n.name[0], "drained"), 1);
	drop_nodes(&n);
}

/* Runs SQL (an advisory lock function of $1 = NODE) on the raw
 * connection, which is no supervisor's. */
static void
raw_lock(const char *node, const char *sql)
{
	const char *params[] = { node };
	PGresult *res = PQexecParams(dbt_raw(), sql, 1, NULL, params, NULL,
	    NULL, 0);

	CU_ASSERT_EQUAL(PQresultStatus(res), PGRES_TUPLES_OK);
	PQclear(res);
}

/*
 * A node is up when its supervisor's own connection holds the node's
 * lock: anyone may take an advisory lock, and an auditor's psql holding
 * it made a node whose supervisor had died look up, and kept the next
 * supervisor from starting (which is now told who holds it).
 */
static void
test_lock_of_the_supervisor_alone(void)
{
	struct tg_cfg cfg = dbt_cfg;
	struct node_health h;
	struct tg_db *sup;
	char holder[256];

	dbt_unique(cfg.node, sizeof(cfg.node), "n");
	CU_ASSERT_FATAL((sup = db_new(cfg.database)) != NULL);
	CU_ASSERT_EQUAL(node_lock(sup, cfg.node, holder, sizeof(holder)), 0);
	CU_ASSERT_EQUAL(node_alive(sup, &cfg, 0), 0);
	CU_ASSERT(node_health(dbt_db(), cfg.node, 60, &h) == 0 && h.alive);
	/* A second supervisor of the same role is told who is there. */
	CU_ASSERT_EQUAL(node_lock(dbt_db(), cfg.node, holder,
	    sizeof(holder)), 1);
	CU_ASSERT(strstr(holder, "backend pid ") != NULL);
	/* The supervisor dies; someone else takes the lock at once. */
	db_free(sup);
	raw_lock(cfg.node, "SELECT pg_advisory_lock(7468, hashtext($1))");
	CU_ASSERT(node_health(dbt_db(), cfg.node, 60, &h) == 0 && !h.alive);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM"
	    " termgate.supervisors WHERE node = $1", cfg.node), "1");
	raw_lock(cfg.node, "SELECT pg_advisory_unlock(7468, hashtext($1))");
	DBT_SQL1("DELETE FROM termgate.supervisors WHERE node = $1",
	    cfg.node);
}

/* A new random nonce (32 hex digits) into N (33 bytes). */
static void
new_nonce(char *n)
{
	char id[TOK_ID_LEN + 1];

	tok_session_id(id);
	memcpy(n, id, 32);
	n[32] = '\0';
}

/* The database's clock, in Unix seconds. */
static long long
db_now(void)
{
	return atoll(dbt_sql("SELECT floor(extract(epoch FROM now()))",
	    0, NULL));
}

/*
 * A hop credential's nonce is taken once, by any connection (each
 * worker of each node has its own); its expiry is judged by the
 * database's clock: passed, or further ahead than the TTL, and it is
 * not taken at all.
 */
static void
test_hop_nonce(void)
{
	char a[33], b[33], c[33];
	const char *why = NULL;
	struct tg_db *other;
	long long now = db_now();

	new_nonce(a);
	new_nonce(b);
	new_nonce(c);
	CU_ASSERT_EQUAL(node_hop_nonce(dbt_db(), a, now + 10, 30, &why), 0);
	CU_ASSERT(node_hop_nonce(dbt_db(), a, now + 10, 30, &why) == 1 &&
	    strcmp(why, "replayed") == 0);
	CU_ASSERT_FATAL((other = db_new(dbt_cfg.database)) != NULL);
	why = NULL;
	CU_ASSERT(node_hop_nonce(other, a, now + 10, 30, &why) == 1 &&
	    why != NULL && strcmp(why, "replayed") == 0);
	db_free(other);
	why = NULL;
	CU_ASSERT(node_hop_nonce(dbt_db(), b, now - 1, 30, &why) == 1 &&
	    why != NULL && strcmp(why, "expired") == 0);
	why = NULL;
	CU_ASSERT(node_hop_nonce(dbt_db(), c, now + 40, 30, &why) == 1 &&
	    why != NULL && strcmp(why, "too_far") == 0);
	/* Refused for its time, a nonce was not taken. */
	CU_ASSERT_STRING_EQUAL(DBT_SQL2("SELECT count(*) FROM"
	    " termgate.hop_nonces WHERE nonce IN ($1, $2)", b, c), "0");
	CU_ASSERT_EQUAL(node_hop_nonce(dbt_db(), c, now + 25, 30, &why), 0);
}

/* The collector deletes the nonces of credentials expired for a minute,
 * and no other: one expired since less cannot be taken anyway. */
static void
test_hop_purge(void)
{
	char old[33], recent[33], live[33];
	const char *why = NULL;

	new_nonce(old);
	new_nonce(recent);
	new_nonce(live);
	DBT_SQL1("INSERT INTO termgate.hop_nonces VALUES"
	    " ($1, now() - interval '61 s')", old);
	DBT_SQL1("INSERT INTO termgate.hop_nonces VALUES"
	    " ($1, now() - interval '5 s')", recent);
	DBT_SQL1("INSERT INTO termgate.hop_nonces VALUES"
	    " ($1, now() + interval '20 s')", live);
	CU_ASSERT(node_hop_purge(dbt_db()) >= 1);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM"
	    " termgate.hop_nonces WHERE nonce = $1", old), "0");
	CU_ASSERT_STRING_EQUAL(DBT_SQL2("SELECT count(*) FROM"
	    " termgate.hop_nonces WHERE nonce IN ($1, $2)", recent, live), "2");
	CU_ASSERT(node_hop_nonce(dbt_db(), recent, db_now() - 5, 30, &why) ==
	    1 && why != NULL && strcmp(why, "expired") == 0);
}

static CU_TestInfo tests[] = {
	{ "test_unregistered_node_takes_its_own",
	    test_unregistered_node_takes_its_own },
	{ "test_receiving_node_first", test_receiving_node_first },
	{ "test_least_loaded_elsewhere", test_least_loaded_elsewhere },
	{ "test_capacity_and_liveness", test_capacity_and_liveness },
	{ "test_no_reuse_on_silent_node", test_no_reuse_on_silent_node },
	{ "test_end_lost", test_end_lost },
	{ "test_remove", test_remove },
	{ "test_lock_of_the_supervisor_alone",
	    test_lock_of_the_supervisor_alone },
	{ "test_hop_nonce", test_hop_nonce },
	{ "test_hop_purge", test_hop_purge },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_nodes = { "nodes", NULL, NULL, NULL, NULL, tests };
