/* access.h - who may open which host: groups, host tags and grants. */
#ifndef TG_ACCESS_H
#define TG_ACCESS_H

#include <json-c/json.h>

struct tg_db;

/*
 * The names of sql/007_access.sql: a user is in groups, a host carries
 * tags, a grant lets a group open the hosts of a tag. Group and tag names
 * are spelled like host ids (valid_host_id). Two are built in.
 */
#define ACCESS_EVERYONE	"everyone"	/* the group of every user */
#define ACCESS_ALL	"all"		/* the tag of every host */

/* Puts USER in GROUP: 0 added, 1 already there, -1. */
int	access_group_add(struct tg_db *, const char *user, const char *group);
/* Takes USER out of GROUP: 0 removed, 1 was not in it, -1. */
int	access_group_remove(struct tg_db *, const char *user,
	    const char *group);
/* 0 with *OUT a new array of {group, user} objects, -1. */
int	access_groups(struct tg_db *, json_object **out);
/* Tags HOST with TAG: 0 tagged, 1 already, 2 no such host, -1. */
int	access_tag(struct tg_db *, const char *host, const char *tag);
/* 0 untagged, 1 was not tagged so, -1. */
int	access_untag(struct tg_db *, const char *host, const char *tag);
/* Lets GROUP open the hosts tagged TAG: 0 granted, 1 already, -1. */
int	access_grant(struct tg_db *, const char *group, const char *tag);
/* 0 revoked, 1 there was no such grant, -1. */
int	access_revoke(struct tg_db *, const char *group, const char *tag);
/* 0 with *OUT a new array of {group, tag, users, hosts} objects (users
 * and hosts space-separated, as termgate.access shows them), -1. */
int	access_grants(struct tg_db *, json_object **out);

#endif
