/* group.h - who is in a group: members and users whose primary it is. */
#ifndef TG_GROUP_H
#define TG_GROUP_H

#include <sys/types.h>

#include <stddef.h>

struct group;
struct passwd;

/*
 * Counts the users in GR (listed members, and users whose primary group
 * it is) and writes their names, comma-separated and truncated to fit,
 * into WHO (LEN bytes). Cannot fail.
 */
int	group_users(const struct group *gr, char *who, size_t len);
/* 1 if USER is in GR (a listed member or by its primary group), else 0. */
int	group_has(const struct group *gr, const char *user);
/* 1 if account PW has GID among its groups (getgrouplist: primary and
 * supplementary), or has too many to tell; else 0. */
int	group_gid_has(const struct passwd *pw, gid_t gid);

#endif
