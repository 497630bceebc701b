/*
 * schema.c - what termgate-admin doctor asks the database about itself:
 * whether each program's role exists with the rights to reach the
 * schema (the functions, triggers and views: migrate.c, defs.c). Reads
 * the catalogs only.
 */
#include <string.h>

#include "db_pq.h"
#include "schema.h"

int
schema_role(struct tg_db *db, const char *name, struct schema_role *out)
{
	const char *params[] = { name };
	PGresult *res;

	memset(out, 0, sizeof(*out));
	if ((res = db_exec(db, STMT_SCHEMA_ROLE, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		out->exists = 1;
		out->login = PQgetvalue(res, 0, 0)[0] == 't';
		out->connect = PQgetvalue(res, 0, 1)[0] == 't';
		out->usage = PQgetvalue(res, 0, 2)[0] == 't';
	}
	PQclear(res);
	return 0;
}
