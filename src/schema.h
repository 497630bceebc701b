/* schema.h - what termgate-admin doctor asks the database about itself. */
#ifndef TG_SCHEMA_H
#define TG_SCHEMA_H

#include <json-c/json.h>

struct tg_db;

struct schema_role {
	int	exists;
	int	login;		/* may log in */
	int	connect;	/* CONNECT on this database */
	int	usage;		/* USAGE on the schema termgate */
};

/* What role NAME may do, into OUT; 0 or -1. */
int	schema_role(struct tg_db *, const char *name, struct schema_role *out);
/* The names of the schema's triggers, as a new array of objects
 * {"trigger"} the caller puts; 0 or -1. */
int	schema_triggers(struct tg_db *, json_object **out);

#endif
