/*
 * users.c - the repository of users.
 *
 * A user row is created on the user's first open (lock_user in
 * sql/defs/lock_user.sql) or by termgate-admin; here are its role and its
 * session limit override.
 */
#include <stdio.h>
#include <stdlib.h>

#include "db_pq.h"
#include "jsonx.h"
#include "users.h"

int
users_set_role(struct tg_db *db, const char *user, const char *role)
{
	const char *params[] = { user, role };

	return db_run(db, STMT_USER_ROLE, params);
}

int
users_set_limit(struct tg_db *db, const char *user, const char *limit)
{
	const char *params[] = { user, limit };

	return db_run(db, STMT_USER_LIMIT, params);
}

int
users_check_admin(struct tg_db *db, const char *user)
{
	const char *params[] = { user };
	PGresult *res;
	int rv;

	if ((res = db_exec(db, STMT_USER_IS_ADMIN, params)) == NULL)
		return -1;
	rv = PQntuples(res) > 0 ? 0 : 1;
	PQclear(res);
	return rv;
}

int
users_limit(struct tg_db *db, const char *user, int def)
{
	char d[16];
	const char *params[] = { user, d };
	PGresult *res;
	int rv = -1;

	snprintf(d, sizeof(d), "%d", def);
	if ((res = db_exec(db, STMT_USER_LIMIT_OF, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1)
		rv = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return rv;
}

int
users_list(struct tg_db *db, json_object **out)
{
	static const char *const keys[] = { "username", "role",
	    "max_sessions", "live", "created_at" };
	static const char *const ints[] = { "max_sessions", "live", NULL };

	if (db_rows(db, STMT_USER_LIST, NULL, keys, 5, out) == -1)
		return -1;
	jsonx_type_rows(*out, ints, NULL);
	return 0;
}
