/*
 * hosts.c - the repository of hosts.
 *
 * A host row is the inventory entry a terminal command is built from;
 * its fields are validated by CHECK constraints (sql/001_init.sql) as
 * well as by valid.c before they get here.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
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
	rv = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return rv;
}

int
hosts_list(struct tg_db *db, json_object **out)
{
	static const char *const keys[] = { "id", "name", "address",
	    "ssh_user" };
	json_object *arr, *h;
	PGresult *res;
	int i, k;

	if ((res = db_exec(db, STMT_HOST_LIST, NULL)) == NULL)
		return -1;
	arr = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		h = json_object_new_object();
		for (k = 0; k < 4; k++)
			json_object_object_add(h, keys[k],
			    json_object_new_string(PQgetvalue(res, i, k)));
		json_object_object_add(h, "ssh_port",
		    json_object_new_int(atoi(PQgetvalue(res, i, 4))));
		json_object_array_add(arr, h);
	}
	PQclear(res);
	*out = arr;
	return 0;
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
