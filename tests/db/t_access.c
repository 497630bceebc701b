/*
 * t_access.c - who may open which host (sql/007_access.sql, access.c):
 * groups, tags and grants through the repository termgate-admin uses,
 * opens through sess_open as a worker makes them, the host list a user
 * sees, and the check being made under the user's row lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "clock.h"
#include "db.h"
#include "dbt.h"
#include "hosts.h"
#include "suites.h"
#include "users.h"

/* A host no grant covers (not dbt_host's tag); ID 40 bytes. */
static void
bare_host(char *id)
{
	dbt_unique(id, 40, "acl");
	DBT_SQL1("INSERT INTO termgate.hosts (id, name, address)"
	    " VALUES ($1, 'bare', '192.168.1.101')", id);
}

/* Opens HOST as USER (admin_users: ADMINS); the outcome, and *FORBIDDEN. */
static enum sess_outcome
open_as(const char *user, const char *host, const char *admins,
    int *forbidden)
{
	struct tg_cfg cfg = dbt_cfg;
	struct sess_open_req req = { user, host, "embedded", 1, 0 };
	struct sess_opened o;
	enum sess_outcome out;

	strlcpy(cfg.admin_users, admins, sizeof(cfg.admin_users));
	CU_ASSERT_FATAL(sess_open(dbt_db(), &cfg, &req, &o) == 0);
	out = o.outcome;
	if (forbidden != NULL)
		*forbidden = o.forbidden;
	CU_ASSERT(out != SESS_UNKNOWN_HOST || o.session == NULL);
	sess_opened_clear(&o);
	return out;
}

/* 1 when HOST is in the host list USER sees (ADMIN by configuration). */
static int
sees(const char *user, const char *host, int admin)
{
	json_object *arr, *h, *v;
	size_t i;
	int found = 0;

	CU_ASSERT_FATAL(hosts_visible(dbt_db(), user, admin, &arr) == 0);
	for (i = 0; i < json_object_array_length(arr); i++) {
		h = json_object_array_get_idx(arr, i);
		if (json_object_object_get_ex(h, "id", &v) &&
		    strcmp(json_object_get_string(v), host) == 0)
			found = 1;
		CU_ASSERT(!json_object_object_get_ex(h, "ssh_user", &v));
	}
	json_object_put(arr);
	return found;
}

static void
test_nobody_but_admins_without_a_grant(void)
{
	char host[40], user[40], admin[40], cfgadmin[40];
	int forbidden = 0;

	bare_host(host);
	dbt_unique(user, sizeof(user), "u");
	dbt_unique(admin, sizeof(admin), "a");
	dbt_unique(cfgadmin, sizeof(cfgadmin), "c");
	/* Not granted: the same answer as a host that does not exist. */
	CU_ASSERT_EQUAL(open_as(user, host, "", &forbidden),
	    SESS_UNKNOWN_HOST);
	CU_ASSERT_EQUAL(forbidden, 1);
	CU_ASSERT_EQUAL(open_as(user, "no-such-host", "", &forbidden),
	    SESS_UNKNOWN_HOST);
	CU_ASSERT_EQUAL(forbidden, 0);
	CU_ASSERT_FALSE(sees(user, host, 0));
	/* Admins, by their row or by the configuration, open everything. */
	CU_ASSERT_EQUAL_FATAL(users_set_role(dbt_db(), admin, "admin"), 0);
	CU_ASSERT_EQUAL(open_as(admin, host, "", NULL), SESS_CREATED);
	CU_ASSERT_TRUE(sees(admin, host, 0));
	CU_ASSERT_EQUAL(open_as(cfgadmin, host, "x, ", NULL),
	    SESS_UNKNOWN_HOST);
	CU_ASSERT_EQUAL(open_as(cfgadmin, host, cfgadmin, NULL),
	    SESS_CREATED);
	CU_ASSERT_TRUE(sees(cfgadmin, host, 1));
}

static void
test_group_tag_grant(void)
{
	char host[40], other[40], user[40], outsider[40], group[40], tag[40];

	bare_host(host);
	bare_host(other);
	dbt_unique(user, sizeof(user), "u");
	dbt_unique(outsider, sizeof(outsider), "o");
	dbt_unique(group, sizeof(group), "g");
	dbt_unique(tag, sizeof(tag), "t");
	CU_ASSERT_EQUAL(access_group_add(dbt_db(), user, group), 0);
	CU_ASSERT_EQUAL(access_group_add(dbt_db(), user, group), 1);
	CU_ASSERT_EQUAL(access_tag(dbt_db(), host, tag), 0);
	CU_ASSERT_EQUAL(access_tag(dbt_db(), host, tag), 1);
	CU_ASSERT_EQUAL(access_tag(dbt_db(), "no-such-host", tag), 2);
	CU_ASSERT_EQUAL(access_grant(dbt_db(), group, tag), 0);
	CU_ASSERT_EQUAL(access_grant(dbt_db(), group, tag), 1);

	CU_ASSERT_EQUAL(open_as(user, host, "", NULL), SESS_CREATED);
	CU_ASSERT_TRUE(sees(user, host, 0));
	/* The grant is for the tag's hosts, and the group's users, only. */
	CU_ASSERT_EQUAL(open_as(user, other, "", NULL), SESS_UNKNOWN_HOST);
	CU_ASSERT_FALSE(sees(user, other, 0));
	CU_ASSERT_EQUAL(open_as(outsider, host, "", NULL), SESS_UNKNOWN_HOST);
	CU_ASSERT_FALSE(sees(outsider, host, 0));

	/* Revoked: not even the live session is reused. */
	CU_ASSERT_EQUAL(access_revoke(dbt_db(), group, tag), 0);
	CU_ASSERT_EQUAL(access_revoke(dbt_db(), group, tag), 1);
	CU_ASSERT_EQUAL(open_as(user, host, "", NULL), SESS_UNKNOWN_HOST);
	CU_ASSERT_FALSE(sees(user, host, 0));

	/* "everyone" and "all". */
	CU_ASSERT_EQUAL(access_grant(dbt_db(), ACCESS_EVERYONE, tag), 0);
	CU_ASSERT_EQUAL(open_as(outsider, host, "", NULL), SESS_CREATED);
	CU_ASSERT_EQUAL(access_revoke(dbt_db(), ACCESS_EVERYONE, tag), 0);
	CU_ASSERT_EQUAL(access_grant(dbt_db(), group, ACCESS_ALL), 0);
	CU_ASSERT_EQUAL(open_as(user, other, "", NULL), SESS_CREATED);
	CU_ASSERT_EQUAL(access_revoke(dbt_db(), group, ACCESS_ALL), 0);

	CU_ASSERT_EQUAL(access_untag(dbt_db(), host, tag), 0);
	CU_ASSERT_EQUAL(access_untag(dbt_db(), host, tag), 1);
	CU_ASSERT_EQUAL(access_group_remove(dbt_db(), user, group), 0);
	CU_ASSERT_EQUAL(access_group_remove(dbt_db(), user, group), 1);
	/* The built-in names are not rows of their own. */
	CU_ASSERT_EQUAL(access_group_add(dbt_db(), user, ACCESS_EVERYONE), -1);
	CU_ASSERT_EQUAL(access_tag(dbt_db(), host, ACCESS_ALL), -1);
}

static void
test_listings(void)
{
	char host[40], user[40], group[40], tag[40];
	json_object *arr, *o, *v;
	size_t i;
	int found = 0;

	bare_host(host);
	dbt_unique(user, sizeof(user), "u");
	dbt_unique(group, sizeof(group), "g");
	dbt_unique(tag, sizeof(tag), "t");
	CU_ASSERT_EQUAL(access_group_add(dbt_db(), user, group), 0);
	CU_ASSERT_EQUAL(access_tag(dbt_db(), host, tag), 0);
	CU_ASSERT_EQUAL(access_grant(dbt_db(), group, tag), 0);
	CU_ASSERT_FATAL(access_grants(dbt_db(), &arr) == 0);
	for (i = 0; i < json_object_array_length(arr); i++) {
		o = json_object_array_get_idx(arr, i);
		if (!json_object_object_get_ex(o, "group", &v) ||
		    strcmp(json_object_get_string(v), group) != 0)
			continue;
		CU_ASSERT_STRING_EQUAL(dbt_str(o, "tag"), tag);
		CU_ASSERT_STRING_EQUAL(dbt_str(o, "users"), user);
		CU_ASSERT_STRING_EQUAL(dbt_str(o, "hosts"), host);
		found++;
	}
	CU_ASSERT_EQUAL(found, 1);
	json_object_put(arr);
	CU_ASSERT_FATAL(hosts_list(dbt_db(), &arr) == 0);
	for (i = found = 0; i < json_object_array_length(arr); i++) {
		o = json_object_array_get_idx(arr, i);
		if (strcmp(dbt_str(o, "id"), host) == 0) {
			CU_ASSERT_STRING_EQUAL(dbt_str(o, "tags"), tag);
			found++;
		}
	}
	CU_ASSERT_EQUAL(found, 1);
	json_object_put(arr);
}

/*
 * The check is made after the user's row lock is taken: an open that
 * waits for the lock while the grant is revoked (and committed) is
 * refused. Checked before the lock, it would have been let through.
 */
static void
test_checked_under_the_user_lock(void)
{
	char host[40], user[40], group[40], tag[40], id[TOK_ID_LEN + 1];
	char pid[16];
	const char *conninfo = getenv("TERMGATE_TEST_DB");
	PGconn *holder, *opener;
	PGresult *res;
	int64_t deadline;
	int waiting = 0;

	bare_host(host);
	dbt_unique(user, sizeof(user), "u");
	dbt_unique(group, sizeof(group), "g");
	dbt_unique(tag, sizeof(tag), "t");
	CU_ASSERT_EQUAL(access_group_add(dbt_db(), user, group), 0);
	CU_ASSERT_EQUAL(access_tag(dbt_db(), host, tag), 0);
	CU_ASSERT_EQUAL(access_grant(dbt_db(), group, tag), 0);
	CU_ASSERT_EQUAL_FATAL(users_set_limit(dbt_db(), user, NULL), 0);
	holder = PQconnectdb(conninfo);
	opener = PQconnectdb(conninfo);
	CU_ASSERT_FATAL(PQstatus(holder) == CONNECTION_OK &&
	    PQstatus(opener) == CONNECTION_OK);
	PQclear(PQexec(holder, "BEGIN"));
	PQclear(PQexecParams(holder, "SELECT 1 FROM termgate.users"
	    " WHERE username = $1 FOR UPDATE", 1, NULL,
	    (const char *[]){ user }, NULL, NULL, 0));
	tok_session_id(id);
	CU_ASSERT_FATAL(PQsendQueryParams(opener, "SELECT outcome FROM"
	    " termgate.open_session($1, $2, 'embedded', false, false, $3,"
	    " repeat('0', 64), 'n', 'unix', '/tmp/t', 10, 60, 60, NULL,"
	    " false, 60)", 3, NULL, (const char *[]){ user, host, id }, NULL,
	    NULL, 0) == 1);
	deadline = clock_ms() + 5000;
	snprintf(pid, sizeof(pid), "%d", PQbackendPID(opener));
	while (!waiting && clock_ms() < deadline)
		waiting = strcmp(DBT_SQL1("SELECT count(*) FROM"
		    " pg_stat_activity WHERE pid = $1::integer"
		    " AND wait_event_type = 'Lock'", pid), "1") == 0;
	CU_ASSERT_FATAL(waiting);
	PQclear(PQexecParams(holder, "DELETE FROM termgate.grants"
	    " WHERE group_name = $1 AND tag = $2", 2, NULL,
	    (const char *[]){ group, tag }, NULL, NULL, 0));
	PQclear(PQexec(holder, "COMMIT"));
	res = PQgetResult(opener);
	CU_ASSERT_EQUAL(PQresultStatus(res), PGRES_TUPLES_OK);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		CU_ASSERT_STRING_EQUAL(PQgetvalue(res, 0, 0), "unknown_host");
	PQclear(res);
	while ((res = PQgetResult(opener)) != NULL)
		PQclear(res);
	PQfinish(opener);
	PQfinish(holder);
}

static CU_TestInfo tests[] = {
	{ "test_nobody_but_admins_without_a_grant",
	    test_nobody_but_admins_without_a_grant },
	{ "test_group_tag_grant", test_group_tag_grant },
	{ "test_listings", test_listings },
	{ "test_checked_under_the_user_lock",
	    test_checked_under_the_user_lock },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_access = { "access", NULL, NULL, NULL, NULL, tests };
