/*
 * t_which.c - which() finds programs as execvp would, and group.c counts
 * who is in a group as the supervisor's warning and doctor need.
 */
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "suites.h"
#include "which.h"

/* Rows: a name, PATH, whether it is found and where. */
static void
test_which(void)
{
	static const struct {
		const char	*name, *path;
		int		 rv;
		const char	*found;
	} rows[] = {
		{ "sh", "/nonexistent:/bin", 0, "/bin/sh" },
		{ "sh", "::/bin", 0, "/bin/sh" },
		{ "/bin/sh", "/nonexistent", 0, "/bin/sh" },
		{ "no-such-program-here", "/bin:/usr/bin", -1, NULL },
		{ "/nonexistent/sh", "/bin", -1, NULL },
		/* passwd is not executable: not a program */
		{ "passwd", "/etc", -1, NULL },
	};
	char out[256], *old;
	size_t i;
	int rv;

	old = getenv("PATH") != NULL ? strdup(getenv("PATH")) : NULL;
	for (i = 0; i < T_NELEM(rows); i++) {
		setenv("PATH", rows[i].path, 1);
		rv = which(rows[i].name, out, sizeof(out));
		T_ASSERT(rv == rows[i].rv, rows[i].name);
		if (rows[i].found != NULL)
			T_ASSERT(rv == 0 && strcmp(out, rows[i].found) == 0,
			    rows[i].name);
	}
	if (old != NULL)
		setenv("PATH", old, 1);
	free(old);
}

/* A path that does not fit OUT is not found, and says so. */
static void
test_which_short(void)
{
	char out[4];

	CU_ASSERT_EQUAL(which("/bin/sh", out, sizeof(out)), -1);
}

/* root's primary group holds root, whom /etc/group does not list. */
static void
test_group(void)
{
	struct passwd *pw = getpwnam("root");
	struct group *gr;
	char who[512];
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pw);
	CU_ASSERT_PTR_NOT_NULL_FATAL(gr = getgrgid(pw->pw_gid));
	CU_ASSERT(group_has(gr, "root"));
	CU_ASSERT(!group_has(gr, "no-such-user-here"));
	n = group_users(gr, who, sizeof(who));
	CU_ASSERT(n >= 1);
	CU_ASSERT(strstr(who, "root") != NULL);
}

int
suite_which_register(void)
{
	static const struct t_case tcases[] = {
		{ "which searches PATH as execvp", test_which },
		{ "which refuses a path too long", test_which_short },
		{ "a group holds its primary users", test_group },
	};

	return t_register("which", tcases, T_NELEM(tcases));
}
