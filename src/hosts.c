/*
 * hosts.c - the repository of hosts.
 *
 * A host row is the inventory entry a terminal command is built from;
 * its fields are validated by CHECK constraints (sql/001_init.sql) as
 * well as by valid.c before they get here. Who may open which host is
 * access.c's; the host list a user sees is asked of it here.
 */
#include <stdlib.h>
#include <string.h>

#include "db_pq.h"
#include "hosts.h"

int
hosts_add(struct tg_db *db, const struct host *h)
{
	const char *params[] = { h->id, h->name, h->address, h->ssh_user,
	    h->ssh_port };
	PGresult *res;
	int rv;

	if ((res = db_exec(db, STMT_HOST_ADD, params)) == NULL)
		return -1;
	rv = strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? 0 : 1;
	PQclear(res);
	return rv;
}

int
hosts_list(struct tg_db *db, json_object **out)
{
	static const char *const keys[] = { "id", "name", "address",
	    "ssh_user", "ssh_port", "tags" };

	return db_rows(db, STMT_HOST_LIST, NULL, keys, 6, out);
}

int
hosts_visible(struct tg_db *db, const char *user, int admin,
    json_object **out)
{
	static const char *const keys[] = { "id", "name", "address" };
	const char *params[] = { user, admin ? "t" : "f" };

	return db_rows(db, STMT_HOST_VISIBLE, params, keys, 3, out);
}

int
hosts_remove(struct tg_db *db, const char *id)
{
	const char *params[] = { id };
	PGresult *res;
	int rv;

	if ((res = db_exec(db, STMT_HOST_REMOVE, params)) == NULL)
		return -1;
	rv = PQntuples(res) == 1 ? 0 : 1;
	PQclear(res);
	return rv;
}
