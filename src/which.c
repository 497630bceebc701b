/*
 * which.c - finds a program as execvp would: the supervisor finds its
 * backend with it, termgate-admin doctor the backend and the terminal
 * command's program.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "which.h"

int
which(const char *name, char *out, size_t len)
{
	const char *p, *end;
	int n;

	if (strchr(name, '/') != NULL) {
		if (strlcpy(out, name, len) >= len) {
			errno = ENAMETOOLONG;
			return -1;
		}
		return access(out, X_OK);
	}
	if ((p = getenv("PATH")) == NULL)
		p = "/usr/bin:/bin";
	for (; ; p = end + 1) {
		end = p + strcspn(p, ":");
		n = snprintf(out, len, "%.*s/%s", (int)(end - p), p, name);
		if (end > p && n > 0 && (size_t)n < len &&
		    access(out, X_OK) == 0)
			return 0;
		if (*end == '\0')
			break;
	}
	errno = ENOENT;
	return -1;
}
