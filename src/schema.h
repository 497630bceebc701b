/* schema.h - what termgate-admin doctor asks the database about itself. */
#ifndef TG_SCHEMA_H
#define TG_SCHEMA_H

struct tg_db;

struct schema_role {
	int	exists;
	int	login;		/* may log in */
	int	connect;	/* CONNECT on this database */
	int	usage;		/* USAGE on the schema termgate */
};

/* What role NAME may do, into OUT; 0 or -1. */
int	schema_role(struct tg_db *, const char *name, struct schema_role *out);

#endif
