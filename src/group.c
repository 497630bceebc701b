/*
 * group.c - who is in a group.
 *
 * socket_group must be nginx's group and nobody else's, since every member
 * may connect to every terminal: the supervisor warns at start when it is
 * not, and termgate-admin doctor says so. Both count the same way here: a
 * user is in a group when listed in it or when it is the user's primary
 * group (which /etc/group does not list).
 */
#include <grp.h>
#include <pwd.h>
#include <string.h>

#include "group.h"

/* Appends NAME to the comma-separated list WHO (of LEN bytes). */
static void
add_name(char *who, size_t len, const char *name)
{
	if (who[0] != '\0')
		strlcat(who, ",", len);
	strlcat(who, name, len);
}

int
group_users(const struct group *gr, char *who, size_t len)
{
	struct passwd *pw;
	int i, n = 0;

	who[0] = '\0';
	for (i = 0; gr->gr_mem[i] != NULL; i++, n++)
		add_name(who, len, gr->gr_mem[i]);
	setpwent();
	while ((pw = getpwent()) != NULL)
		if (pw->pw_gid == gr->gr_gid && n++ < 64)
			add_name(who, len, pw->pw_name);
	endpwent();
	return n;
}

int
group_has(const struct group *gr, const char *user)
{
	struct passwd *pw;
	int i;

	for (i = 0; gr->gr_mem[i] != NULL; i++)
		if (strcmp(gr->gr_mem[i], user) == 0)
			return 1;
	return (pw = getpwnam(user)) != NULL && pw->pw_gid == gr->gr_gid;
}

int
group_gid_has(const struct passwd *pw, gid_t gid)
{
	gid_t groups[256];
	int i, n = sizeof(groups) / sizeof(groups[0]);

	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) == -1)
		return 1;	/* too many to tell: as if it were */
	for (i = 0; i < n; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}
