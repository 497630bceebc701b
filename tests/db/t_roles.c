/*
 * t_roles.c - what each program's role may and may not do
 * (sql/006_roles.sql), asked of PostgreSQL itself: every case connects as
 * the role, runs one statement in a transaction it rolls back, and
 * compares the SQLSTATE (NULL for success) with the table. Then the
 * schema's own promises: no relation left with default privileges, no
 * function anyone may run, every SECURITY DEFINER function with a fixed
 * search_path, and no endpoint a supervisor should not touch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbt.h"
#include "suites.h"

#define DENIED		"42501"		/* insufficient_privilege */
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
/* Asserts COND, reporting DESC (the row) instead of the expression. */
#define ROW_ASSERT(cond, desc)						\
	CU_assertImplementation((cond) ? CU_TRUE : CU_FALSE, __LINE__,	\
	    (desc), __FILE__, "", CU_FALSE)
#define ROLE_FCGI	"termgate-fcgi"
#define ROLE_SUP	"termgate-supervisor"
#define ROLE_AUDIT	"termgate-auditor"
#define ID64		"'00000000000000000000000000000000" \
			"00000000000000000000000000000000'"

static const struct {
	const char	*role;
	const char	*sql;
	const char	*want;		/* SQLSTATE, NULL: allowed */
} cases[] = {
	/* The web tier: reads, heartbeats, the lifecycle's functions. */
	{ ROLE_FCGI, "SELECT count(*) FROM termgate.sessions", NULL },
	{ ROLE_FCGI, "UPDATE termgate.sessions SET last_seen_at = now(),"
	    " client_lost_at = NULL WHERE id = " ID64, NULL },
	{ ROLE_FCGI, "SELECT termgate.end_session(" ID64 ", 'user_close')",
	    NULL },
	{ ROLE_FCGI, "SELECT termgate.beacon(" ID64 ", 5)", NULL },
	/* Nodes (sql/012): the web tier places through open_session and
	 * reads the rows; it changes none, nor removes a node. */
	{ ROLE_FCGI, "SELECT termgate.open_session('u', 'h', 'embedded', true,"
	    " false, " ID64 ", " ID64 ", 'n', 'unix', '/tmp', 1, 1, 1, NULL,"
	    " false, 60)", NULL },
	{ ROLE_FCGI, "SELECT count(*) FROM termgate.supervisors", NULL },
	{ ROLE_FCGI, "UPDATE termgate.supervisors SET state = 'drained'",
	    DENIED },
	{ ROLE_FCGI, "SELECT termgate.remove_node('n', 60, true)", DENIED },
	{ ROLE_FCGI, "SELECT termgate.place('n', 60)", DENIED },
	{ ROLE_FCGI, "UPDATE termgate.session_events SET kind = 'closed'",
	    DENIED },
	{ ROLE_FCGI, "DELETE FROM termgate.session_events", DENIED },
	/* The console (sql/027): admins read the trail through it, and
	 * close with a reason through the owner's function. */
	{ ROLE_FCGI, "SELECT count(*) FROM termgate.session_events", NULL },
	{ ROLE_FCGI, "SELECT termgate.admin_end_session(" ID64 ", 'a',"
	    " 'why')", NULL },
	{ ROLE_SUP, "SELECT termgate.admin_end_session(" ID64 ", 'a',"
	    " 'why')", DENIED },
	{ ROLE_FCGI, "INSERT INTO termgate.session_events (kind)"
	    " VALUES ('closed')", DENIED },
	{ ROLE_FCGI, "UPDATE termgate.sessions SET endpoint ="
	    " 'unix:/etc/passwd'", DENIED },
	{ ROLE_FCGI, "UPDATE termgate.sessions SET ttyd_pid = 1", DENIED },
	{ ROLE_FCGI, "UPDATE termgate.sessions SET holder_pid = 1", DENIED },
	{ ROLE_FCGI, "UPDATE termgate.sessions SET history_offset = 0",
	    DENIED },
	{ ROLE_FCGI, "UPDATE termgate.sessions SET status = 'closed'", DENIED },
	{ ROLE_FCGI, "DELETE FROM termgate.sessions", DENIED },
	{ ROLE_FCGI, "INSERT INTO termgate.sessions (id) VALUES (" ID64 ")",
	    DENIED },
	{ ROLE_FCGI, "ALTER TABLE termgate.sessions"
	    " DISABLE TRIGGER sessions_keep_ended", DENIED },
	{ ROLE_FCGI, "ALTER TABLE termgate.session_events DISABLE TRIGGER ALL",
	    DENIED },
	{ ROLE_FCGI, "UPDATE termgate.counters SET value = 0", DENIED },
	{ ROLE_FCGI, "UPDATE termgate.ports SET session_id = NULL", DENIED },
	{ ROLE_FCGI, "INSERT INTO termgate.hosts (id, name, address)"
	    " VALUES ('x', 'x', '10.0.0.1')", DENIED },
	{ ROLE_FCGI, "UPDATE termgate.users SET role = 'admin'", DENIED },
	{ ROLE_FCGI, "SELECT termgate.purge(1, 1)", DENIED },
	{ ROLE_FCGI, "SELECT termgate.record(NULL::termgate.sessions,"
	    " 'closed')", DENIED },
	/* The history API reads it; it writes only through add_command and
	 * delete_history (sql/009). */
	{ ROLE_FCGI, "SELECT count(*) FROM termgate.command_history", NULL },
	{ ROLE_FCGI, "DELETE FROM termgate.command_history", DENIED },
	{ ROLE_FCGI, "UPDATE termgate.command_history SET command = 'x'",
	    DENIED },
	/* The hop's nonces (sql/025): taken through hop_nonce only. */
	{ ROLE_FCGI, "SELECT termgate.hop_nonce(md5(random()::text),"
	    " floor(extract(epoch FROM now()))::bigint + 10, 30)", NULL },
	{ ROLE_FCGI, "INSERT INTO termgate.hop_nonces VALUES"
	    " (md5('x'), now())", DENIED },
	{ ROLE_FCGI, "SELECT count(*) FROM termgate.hop_nonces", DENIED },
	{ ROLE_FCGI, "DELETE FROM termgate.hop_nonces", DENIED },
	{ ROLE_FCGI, "SELECT termgate.purge_hop_nonces()", DENIED },
	/* shellinabox's share slots: the web tier hands them out, the
	 * supervisor reads a slot's grant back (spool, set_clients). */
	{ ROLE_FCGI, "SELECT termgate.share_slot(" ID64 ", " ID64 ")", NULL },
	{ ROLE_SUP, "SELECT termgate.share_slot(" ID64 ", " ID64 ")", DENIED },
	{ ROLE_SUP, "SELECT termgate.slot_owner(" ID64 ", " ID64 ")", NULL },
	{ ROLE_SUP, "UPDATE termgate.sessions SET backend = 'ttyd'"
	    " WHERE id = " ID64, NULL },
	{ ROLE_FCGI, "UPDATE termgate.sessions SET backend = 'ttyd'"
	    " WHERE id = " ID64, DENIED },
	{ ROLE_FCGI, "SELECT termgate.slot_owner(" ID64 ", " ID64 ")", DENIED },
	{ ROLE_SUP, "SELECT termgate.purge_hop_nonces()", NULL },
	{ ROLE_SUP, "SELECT termgate.hop_nonce(md5('x'), 1, 30)", DENIED },
	{ ROLE_SUP, "DELETE FROM termgate.hop_nonces", DENIED },
	{ ROLE_AUDIT, "SELECT count(*) FROM termgate.hop_nonces", DENIED },
	{ ROLE_FCGI, "CREATE TABLE termgate.x (i int)", DENIED },
	{ ROLE_FCGI, "CREATE TEMP TABLE x (i int)", DENIED },
	{ ROLE_FCGI, "DROP TABLE termgate.session_events", DENIED },
	/* The supervisor: its columns, its pool, captured commands. */
	{ ROLE_SUP, "UPDATE termgate.sessions SET ttyd_pid = 1, holder_pid = 2,"
	    " history_offset = 3 WHERE id = " ID64, NULL },
	{ ROLE_SUP, "INSERT INTO termgate.command_history (session_id,"
	    " host_id, user_id, command) SELECT id, host_id, user_id, 'ls'"
	    " FROM termgate.sessions LIMIT 1", NULL },
	{ ROLE_SUP, "SELECT termgate.purge(36500, 36500)", NULL },
	{ ROLE_SUP, "UPDATE termgate.sessions SET endpoint = 'unix:/etc'",
	    DENIED },
	{ ROLE_SUP, "UPDATE termgate.sessions SET token_hash = ''", DENIED },
	{ ROLE_SUP, "DELETE FROM termgate.sessions", DENIED },
	{ ROLE_SUP, "INSERT INTO termgate.sessions (id) VALUES (" ID64 ")",
	    DENIED },
	{ ROLE_SUP, "UPDATE termgate.session_events SET kind = 'closed'",
	    DENIED },
	{ ROLE_SUP, "DELETE FROM termgate.session_events", DENIED },
	{ ROLE_SUP, "DELETE FROM termgate.command_history", DENIED },
	{ ROLE_SUP, "UPDATE termgate.command_history SET command = 'x'",
	    DENIED },
	{ ROLE_SUP, "UPDATE termgate.hosts SET address = '10.9.9.9'", DENIED },
	{ ROLE_SUP, "UPDATE termgate.users SET role = 'admin'", DENIED },
	{ ROLE_SUP, "ALTER TABLE termgate.sessions DISABLE TRIGGER ALL",
	    DENIED },
	{ ROLE_SUP, "SELECT termgate.open_session('u', 'h', 'embedded', true,"
	    " false, " ID64 ", " ID64 ", 'n', 'unix', '/tmp', 1, 1, 1, NULL,"
	    " false, 60)", DENIED },
	{ ROLE_SUP, "SELECT count(*) FROM termgate.grants", DENIED },
	/* It ends a lost node's sessions with a plain UPDATE (stmt.c,
	 * node_lost); removing a node is the owner's. */
	{ ROLE_SUP, "UPDATE termgate.sessions SET status = 'closed',"
	    " reason_closed = 'node_lost', closed_at = now()"
	    " WHERE node = 'no-such-node'", NULL },
	{ ROLE_SUP, "SELECT termgate.remove_node('n', 60, true)", DENIED },
	{ ROLE_FCGI, "SELECT count(*) FROM termgate.grants", NULL },
	{ ROLE_FCGI, "INSERT INTO termgate.grants (group_name, tag)"
	    " VALUES ('everyone', 'all')", DENIED },
	{ ROLE_FCGI, "INSERT INTO termgate.user_groups VALUES ('u', 'g')",
	    DENIED },
	{ ROLE_FCGI, "DELETE FROM termgate.host_tags", DENIED },
	{ ROLE_AUDIT, "SELECT count(*) FROM termgate.access", NULL },
	{ ROLE_AUDIT, "SELECT count(*) FROM termgate.grants", DENIED },
	/* Auditors: the views, nothing else. */
	{ ROLE_AUDIT, "SELECT count(*) FROM termgate.active_sessions", NULL },
	{ ROLE_AUDIT, "SELECT count(*) FROM termgate.session_audit", NULL },
	{ ROLE_AUDIT, "SELECT count(*) FROM termgate.user_activity", NULL },
	{ ROLE_AUDIT, "SELECT count(*) FROM termgate.sessions", DENIED },
	{ ROLE_AUDIT, "SELECT count(*) FROM termgate.supervisors", DENIED },
	{ ROLE_AUDIT, "SELECT count(*) FROM termgate.session_events", DENIED },
	{ ROLE_AUDIT, "SELECT count(*) FROM termgate.hosts", DENIED },
	{ ROLE_AUDIT, "SELECT count(*) FROM termgate.users", DENIED },
	{ ROLE_AUDIT, "SELECT count(*) FROM termgate.command_history", DENIED },
	{ ROLE_AUDIT, "SELECT termgate.end_session(" ID64 ", 'user_close')",
	    DENIED },
	{ ROLE_AUDIT, "UPDATE termgate.sessions SET last_seen_at = now()",
	    DENIED },
};

/* A connection as ROLE (through a member role for the auditor, who has
 * no login), or NULL. */
static PGconn *
connect_as(const char *role)
{
	char conninfo[1024];
	const char *base = getenv("TERMGATE_TEST_DAEMON_DB");
	PGconn *c;

	snprintf(conninfo, sizeof(conninfo), "%s user=%s", base != NULL ?
	    base : "", strcmp(role, ROLE_AUDIT) == 0 ? "postgres" : role);
	c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "t_roles: %s: %s", role, PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	if (strcmp(role, ROLE_AUDIT) == 0)
		PQclear(PQexec(c, "SET ROLE \"termgate-auditor\""));
	return c;
}

/* Runs SQL on C in a transaction rolled back; its SQLSTATE or NULL. */
static const char *
sqlstate(PGconn *c, const char *sql)
{
	static char state[8];
	PGresult *res;
	ExecStatusType st;
	const char *code;

	PQclear(PQexec(c, "BEGIN"));
	res = PQexec(c, sql);
	st = PQresultStatus(res);
	code = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	strlcpy(state, code != NULL ? code : "?", sizeof(state));
	PQclear(res);
	PQclear(PQexec(c, "ROLLBACK"));
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? NULL : state;
}

static void
test_each_role_may_do_only_its_part(void)
{
	PGconn *c = NULL;
	const char *role = "", *got;
	char desc[512];
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		if (strcmp(role, cases[i].role) != 0) {
			PQfinish(c);
			role = cases[i].role;
			c = connect_as(role);
			CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		}
		got = sqlstate(c, cases[i].sql);
		snprintf(desc, sizeof(desc), "%s: %s: want %s, got %s", role,
		    cases[i].sql, cases[i].want ? cases[i].want : "success",
		    got ? got : "success");
		ROW_ASSERT(got == NULL ? cases[i].want == NULL :
		    cases[i].want != NULL && strcmp(got, cases[i].want) == 0,
		    desc);
	}
	PQfinish(c);
}

/*
 * Every relation of the schema got its grants from a migration: one with
 * the default privileges (relacl NULL) came from a migration that forgot
 * (sql/006_roles.sql: each migration grants what it adds).
 */
static void
test_no_relation_has_default_privileges(void)
{
	CU_ASSERT_STRING_EQUAL(dbt_sql("SELECT coalesce(string_agg(c.relname,"
	    " ' '), '') FROM pg_class c JOIN pg_namespace n"
	    " ON n.oid = c.relnamespace WHERE n.nspname = 'termgate'"
	    " AND c.relkind IN ('r', 'v', 'm', 'p', 'S', 'f')"
	    " AND c.relacl IS NULL", 0, NULL), "");
}

static void
test_no_function_is_public(void)
{
	CU_ASSERT_STRING_EQUAL(dbt_sql("SELECT coalesce(string_agg(p.proname,"
	    " ' '), '') FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace WHERE n.nspname = 'termgate'"
	    " AND (p.proacl IS NULL OR EXISTS (SELECT 1"
	    " FROM aclexplode(p.proacl) a WHERE a.grantee = 0))", 0, NULL), "");
}

static void
test_definer_functions_fix_search_path(void)
{
	CU_ASSERT_STRING_EQUAL(dbt_sql("SELECT coalesce(string_agg(p.proname,"
	    " ' '), '') FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace WHERE n.nspname = 'termgate'"
	    " AND p.prosecdef AND NOT coalesce("
	    " 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)",
	    0, NULL), "");
	/* ... and none is owned by a superuser. */
	CU_ASSERT_STRING_EQUAL(dbt_sql("SELECT coalesce(string_agg(p.proname,"
	    " ' '), '') FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace JOIN pg_roles r ON r.oid = p.proowner"
	    " WHERE n.nspname = 'termgate' AND r.rolsuper", 0, NULL), "");
}

/* Whoever writes a session, its endpoint is DIR/ID.sock or a port. */
static void
test_endpoint_is_only_ever_a_session_socket(void)
{
	static const struct {
		const char	*dir;
		int		 ok;
	} dirs[] = {
		{ "/run/termgate/terminals", 1 }, { "/tmp/t-1.x_y", 1 },
		{ "/run/../etc", 0 }, { "/run/./x", 0 }, { "relative", 0 },
		{ "/run//x", 0 }, { "/run/x y", 0 }, { "/run/.hidden", 0 },
		{ "/run/x\n", 0 },
	};
	char user[40], host[40], sql[512];
	const char *params[2];
	PGresult *res;
	size_t i;
	int ok;

	dbt_unique(user, sizeof(user), "u");
	dbt_unique(host, sizeof(host), "h");
	dbt_host(host);
	params[0] = user;
	params[1] = host;
	for (i = 0; i < NELEM(dirs); i++) {
		snprintf(sql, sizeof(sql), "SELECT termgate.open_session($1,"
		    " $2, 'embedded', false, false, md5(random()::text) ||"
		    " md5(random()::text), repeat('0', 64), 'n', 'unix',"
		    " $3, 1000, 60, 60, NULL, false, 60)");
		res = PQexecParams(dbt_raw(), sql, 3, NULL,
		    (const char *[]){ params[0], params[1], dirs[i].dir }, NULL,
		    NULL, 0);
		ok = PQresultStatus(res) == PGRES_TUPLES_OK;
		ROW_ASSERT(ok == dirs[i].ok, dirs[i].dir);
		PQclear(res);
	}
	/* Not even the owner writes another path into a row. */
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM"
	    " termgate.sessions WHERE username = $1", user), "2");
	res = PQexecParams(dbt_raw(), "UPDATE termgate.sessions"
	    " SET endpoint = 'unix:/etc/shadow' WHERE username = $1", 1, NULL,
	    params, NULL, NULL, 0);
	CU_ASSERT_STRING_EQUAL(PQresultErrorField(res, PG_DIAG_SQLSTATE),
	    "22023");
	PQclear(res);
}

static CU_TestInfo tests[] = {
	{ "test_each_role_may_do_only_its_part",
	    test_each_role_may_do_only_its_part },
	{ "test_no_relation_has_default_privileges",
	    test_no_relation_has_default_privileges },
	{ "test_no_function_is_public", test_no_function_is_public },
	{ "test_definer_functions_fix_search_path",
	    test_definer_functions_fix_search_path },
	{ "test_endpoint_is_only_ever_a_session_socket",
	    test_endpoint_is_only_ever_a_session_socket },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_roles = { "roles", NULL, NULL, NULL, NULL, tests };
