/*
 * access.c - the repository of who may open which host.
 *
 * Groups of users, tags of hosts and grants of a tag to a group are rows
 * of sql/007_access.sql; termgate.open_session checks them (and the
 * host list asks termgate.may_open, hosts.c). Here are termgate-admin's
 * changes and listings. A change that changes nothing says so, so that
 * the operator's tool can tell "already" from "done".
 */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "db_pq.h"

/* Runs ID with A and B: 0 when it returned a row (it changed
 * something), 1 when none, -1. */
static int
changed(struct tg_db *db, enum stmt_id id, const char *a, const char *b)
{
	const char *params[] = { a, b };
	PGresult *res;
	int rv;

	if ((res = db_exec(db, id, params)) == NULL)
		return -1;
	rv = PQntuples(res) > 0 ? 0 : 1;
	PQclear(res);
	return rv;
}

int
access_group_add(struct tg_db *db, const char *user, const char *group)
{
	return changed(db, STMT_GROUP_ADD, user, group);
}

int
access_group_remove(struct tg_db *db, const char *user, const char *group)
{
	return changed(db, STMT_GROUP_REMOVE, user, group);
}

int
access_groups(struct tg_db *db, json_object **out)
{
	static const char *const keys[] = { "group", "user" };

	return db_rows(db, STMT_GROUP_LIST, NULL, keys, 2, out);
}

int
access_tag(struct tg_db *db, const char *host, const char *tag)
{
	const char *params[] = { host, tag };
	PGresult *res;
	int rv = -1;

	if ((res = db_exec(db, STMT_HOST_TAG, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1)
		rv = strcmp(PQgetvalue(res, 0, 0), "0") == 0 ? 2 :
		    strcmp(PQgetvalue(res, 0, 1), "0") == 0;
	PQclear(res);
	return rv;
}

int
access_untag(struct tg_db *db, const char *host, const char *tag)
{
	return changed(db, STMT_HOST_UNTAG, host, tag);
}

int
access_grant(struct tg_db *db, const char *group, const char *tag)
{
	return changed(db, STMT_GRANT, group, tag);
}

int
access_revoke(struct tg_db *db, const char *group, const char *tag)
{
	return changed(db, STMT_REVOKE, group, tag);
}

int
access_grants(struct tg_db *db, json_object **out)
{
	static const char *const keys[] = { "group", "tag", "users",
	    "hosts" };

	return db_rows(db, STMT_GRANT_LIST, NULL, keys, 4, out);
}
