/* hosts.h - the repository of hosts: what users may open terminals on. */
#ifndef TG_HOSTS_H
#define TG_HOSTS_H

#include <json-c/json.h>

struct tg_db;

struct host {
	const char	*id;
	const char	*name;
	const char	*address;
	const char	*ssh_user;
	const char	*ssh_port;	/* decimal */
};

/* Adds H, or updates the host with its id: 0 added, 1 updated, -1
 * refused by the database (db_error: which constraint) or a database
 * error. */
int	hosts_add(struct tg_db *, const struct host *h);
/* 0 with *OUT a new array of {id, name, address, ssh_user, ssh_port,
 * tags} objects by id (strings; tags comma-separated), which the caller
 * puts; -1. */
int	hosts_list(struct tg_db *, json_object **out);
/* The same, {id, name, address} only, of the hosts USER may open (ADMIN:
 * an admin by the configuration, who may open every one); -1. */
int	hosts_visible(struct tg_db *, const char *user, int admin,
	    json_object **out);
/* 0 removed, 1 no such host, -1. */
int	hosts_remove(struct tg_db *, const char *id);

#endif
