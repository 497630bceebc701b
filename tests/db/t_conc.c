/*
 * t_conc.c - the repository under concurrency: many processes, each with
 * its own connection, released at once through a pipe, the way prefork
 * workers hit the database. Limits, ports and reuse must stay exact.
 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "dbt.h"
#include "node.h"
#include "suites.h"

struct result {
	int	outcome;		/* enum sess_outcome, or -1 */
	char	id[TOK_ID_LEN + 1];
};

/* In a child: wait for the start, open once, report, exit. */
static void
child(int go, int out, const struct tg_cfg *cfg,
    const struct sess_open_req *req)
{
	struct result r = { .outcome = -1 };
	struct sess_opened o;
	struct tg_db *db;
	char c;

	db = db_new(cfg->database);
	(void)!read(go, &c, 1);		/* returns at EOF: everyone starts */
	if (db != NULL && sess_open(db, cfg, req, &o) == 0) {
		r.outcome = o.outcome;
		strlcpy(r.id, dbt_str(o.session, "session_id"), sizeof(r.id));
		sess_opened_clear(&o);
	}
	(void)!write(out, &r, sizeof(r));
	db_free(db);
	_exit(0);
}

/*
 * Runs N opens at once; REQS[i % NREQ] is what process i asks. Fills
 * RES (N entries). Returns the number of processes that reported.
 */
static int
race(int n, const struct tg_cfg *cfg, const struct sess_open_req *reqs,
    int nreq, struct result *res)
{
	int go[2], out[2], i, got = 0;
	pid_t pid;

	CU_ASSERT_FATAL(pipe(go) == 0 && pipe(out) == 0);
	fflush(NULL);
	for (i = 0; i < n; i++) {
		if ((pid = fork()) == 0) {
			close(go[1]);
			close(out[0]);
			child(go[0], out[1], cfg, &reqs[i % nreq]);
		}
		CU_ASSERT_FATAL(pid > 0);
	}
	close(go[0]);
	close(out[1]);
	close(go[1]);			/* start */
	while (got < n && read(out[0], &res[got], sizeof(res[0])) ==
	    (ssize_t)sizeof(res[0]))
		got++;
	close(out[0]);
	while (wait(NULL) > 0)
		;
	return got;
}

static void
test_concurrent_opens_never_exceed_limit(void)
{
	struct sess_open_req reqs[2];
	struct result res[20];
	char user[40], host[40], host2[40];
	int i, created = 0, limited = 0;

	dbt_unique(user, sizeof(user), "crowd");
	dbt_unique(host, sizeof(host), "h");
	dbt_unique(host2, sizeof(host2), "h");
	dbt_host(host);
	dbt_host(host2);
	reqs[0] = (struct sess_open_req){ user, host, "embedded", 0, 0 };
	reqs[1] = (struct sess_open_req){ user, host2, "popout", 0, 0 };
	CU_ASSERT_EQUAL_FATAL(race(20, &dbt_cfg, reqs, 2, res), 20);
	for (i = 0; i < 20; i++) {
		created += res[i].outcome == SESS_CREATED;
		limited += res[i].outcome == SESS_LIMIT;
	}
	CU_ASSERT_EQUAL(created, dbt_cfg.max_sessions_per_user);
	CU_ASSERT_EQUAL(limited, 20 - dbt_cfg.max_sessions_per_user);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM "
	    "termgate.sessions WHERE username = $1 AND status IN "
	    "('starting', 'active')", user), "3");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM "
	    "termgate.session_events WHERE username = $1 AND kind = "
	    "'limit_hit'", user), "17");
}

static void
test_concurrent_users_never_share_a_port(void)
{
	struct sess_open_req reqs[50];
	struct result res[50];
	struct tg_cfg cfg = dbt_cfg;
	char users[50][48], host[40], prefix[32];
	int i, created = 0;

	dbt_unique(cfg.node, sizeof(cfg.node), "tcp");
	cfg.terminal_listen = TG_LISTEN_TCP;
	CU_ASSERT_EQUAL_FATAL(node_fill_ports(dbt_db(), cfg.node, 20000,
	    20059), 0);
	dbt_unique(host, sizeof(host), "h");
	dbt_host(host);
	dbt_unique(prefix, sizeof(prefix), "u");
	for (i = 0; i < 50; i++) {
		snprintf(users[i], sizeof(users[i]), "%s-%d", prefix, i);
		reqs[i] = (struct sess_open_req){ users[i], host, "embedded",
		    1, 0 };
	}
	CU_ASSERT_EQUAL_FATAL(race(50, &cfg, reqs, 50, res), 50);
	for (i = 0; i < 50; i++)
		created += res[i].outcome == SESS_CREATED;
	CU_ASSERT_EQUAL(created, 50);
	/* 50 sessions, 50 different ports, each held by its session. */
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(DISTINCT ttyd_port) || "
	    "'/' || count(*) FROM termgate.sessions WHERE node = $1",
	    cfg.node), "50/50");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM termgate.ports"
	    " p JOIN termgate.sessions s ON s.id = p.session_id AND"
	    " s.ttyd_port = p.port WHERE p.node = $1", cfg.node), "50");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT min(ttyd_port) || '-' || "
	    "max(ttyd_port) FROM termgate.sessions WHERE node = $1",
	    cfg.node), "20000-20049");
}

static void
test_concurrent_reuse_returns_one_session(void)
{
	struct sess_open_req req;
	struct result res[10];
	char user[40], host[40], id[65];
	int i, created = 0;

	dbt_unique(user, sizeof(user), "twice");
	dbt_unique(host, sizeof(host), "h");
	dbt_host(host);
	req = (struct sess_open_req){ user, host, "embedded", 1, 0 };
	/* A double click: one session starts, the others wait for it. */
	CU_ASSERT_EQUAL_FATAL(race(10, &dbt_cfg, &req, 1, res), 10);
	for (i = 0; i < 10; i++) {
		created += res[i].outcome == SESS_CREATED;
		CU_ASSERT(res[i].outcome == SESS_CREATED ||
		    res[i].outcome == SESS_PENDING);
		CU_ASSERT_STRING_EQUAL(res[i].id, res[0].id);
	}
	CU_ASSERT_EQUAL(created, 1);
	/* Once active, everyone reuses that one. */
	strlcpy(id, res[0].id, sizeof(id));
	CU_ASSERT_EQUAL_FATAL(sess_mark_active(dbt_db(), id, 4242), 0);
	CU_ASSERT_EQUAL_FATAL(race(10, &dbt_cfg, &req, 1, res), 10);
	for (i = 0; i < 10; i++) {
		CU_ASSERT_EQUAL(res[i].outcome, SESS_REUSED);
		CU_ASSERT_STRING_EQUAL(res[i].id, id);
	}
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM "
	    "termgate.sessions WHERE username = $1", user), "1");
}

/* Runs SQL with text parameters on C; 1 when it succeeded. */
static int
exec_ok(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
	PQclear(res);
	return ok;
}

/* 1 once a backend of this database waits for a lock in an open. */
static int
open_waits(void)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (strcmp(dbt_sql("SELECT count(*) FROM pg_stat_activity"
		    " WHERE datname = current_database() AND wait_event_type"
		    " = 'Lock' AND query LIKE '%open_session%'", 0, NULL),
		    "0") != 0)
			return 1;
		usleep(20000);
	}
	return 0;
}

/*
 * The supervisor moving a session's commands into command_history
 * (spool_ingest: the session's row, then the user's row, which the
 * foreign key check locks FOR KEY SHARE) against an open that reuses
 * that session (the user's row, then the session's): the soak found the
 * two deadlocked, and the open answered 503. The open now locks the
 * user's row FOR NO KEY UPDATE, which a foreign key check does not wait
 * for.
 */
static void
test_history_ingest_and_reuse_never_deadlock(void)
{
	struct sess_open_req req;
	struct result res = { .outcome = -1 };
	char user[40], host[40], id[65], uid[24];
	int go[2], out[2];
	PGconn *ingest;
	pid_t pid;

	dbt_unique(user, sizeof(user), "ingest");
	dbt_unique(host, sizeof(host), "h");
	dbt_host(host);
	dbt_active(user, host, "embedded", id);
	strlcpy(uid, DBT_SQL1("SELECT user_id FROM termgate.sessions"
	    " WHERE id = $1", id), sizeof(uid));
	ingest = PQconnectdb(dbt_cfg.database);
	CU_ASSERT_FATAL(PQstatus(ingest) == CONNECTION_OK);
	/* The ingest holds the session's row... */
	CU_ASSERT_FATAL(exec_ok(ingest, "BEGIN", 0, NULL));
	CU_ASSERT_FATAL(exec_ok(ingest, "UPDATE termgate.sessions SET"
	    " history_offset = history_offset + 1 WHERE id = $1", 1,
	    (const char *[]){ id }));
	/* ...while the open holds the user's and waits for it... */
	req = (struct sess_open_req){ user, host, "embedded", 1, 0 };
	CU_ASSERT_FATAL(pipe(go) == 0 && pipe(out) == 0);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		close(go[1]);
		close(out[0]);
		child(go[0], out[1], &dbt_cfg, &req);
	}
	CU_ASSERT_FATAL(pid > 0);
	close(go[0]);
	close(out[1]);
	close(go[1]);
	CU_ASSERT(open_waits());
	/* ...and the ingest's insert checks its foreign key on the user. */
	CU_ASSERT(exec_ok(ingest, "INSERT INTO termgate.command_history"
	    " (session_id, host_id, user_id, command) VALUES ($1, $2, $3,"
	    " 'echo ingested')", 3, (const char *[]){ id, host, uid }));
	CU_ASSERT(exec_ok(ingest, "COMMIT", 0, NULL));
	CU_ASSERT(read(out[0], &res, sizeof(res)) == (ssize_t)sizeof(res));
	close(out[0]);
	waitpid(pid, NULL, 0);
	CU_ASSERT_EQUAL(res.outcome, SESS_REUSED);
	CU_ASSERT_STRING_EQUAL(res.id, id);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM"
	    " termgate.command_history WHERE session_id = $1", id), "1");
	PQfinish(ingest);
}

static CU_TestInfo tests[] = {
	{ "test_concurrent_opens_never_exceed_limit",
	    test_concurrent_opens_never_exceed_limit },
	{ "test_concurrent_users_never_share_a_port",
	    test_concurrent_users_never_share_a_port },
	{ "test_concurrent_reuse_returns_one_session",
	    test_concurrent_reuse_returns_one_session },
	{ "test_history_ingest_and_reuse_never_deadlock",
	    test_history_ingest_and_reuse_never_deadlock },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_conc = { "concurrency", NULL, NULL, NULL, NULL, tests };
