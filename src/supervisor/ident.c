/*
 * ident.c - recognising a terminal's process in /proc.
 *
 * After a restart the supervisor finds the processes a previous one
 * started by the pids of their session's row, and takes one only when
 * /proc shows it is what it should be: the backend by its binary and its
 * endpoint on its command line, the holder by its command line as
 * holder.c parses it, or either, while it may not have exec'd yet, by
 * leading a session of its own with the session's TERMGATE_SESSION_ID
 * in its environment.
 */
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "holder.h"
#include "proc.h"
#include "sup.h"

/* 1 when word W (after PREV) names EP: its socket path, or its port
 * after -p. */
static int
names_endpoint(const char *w, const char *prev,
    const struct tg_endpoint *ep)
{
	static const char siab[] = "--unixdomain-only=";
	size_t n = strlen(ep->path);
	char port[16];

	if (ep->kind == EP_TCP) {
		snprintf(port, sizeof(port), "%d", ep->port);
		return (strcmp(prev, "-p") == 0 ||
		    strcmp(prev, "--port") == 0) && strcmp(w, port) == 0;
	}
	if (strcmp(w, ep->path) == 0)
		return 1;
	return strncmp(w, siab, sizeof(siab) - 1) == 0 &&
	    strncmp(w + sizeof(siab) - 1, ep->path, n) == 0 &&
	    w[sizeof(siab) - 1 + n] == ':';
}

int
ident_backend(struct sup *sup, pid_t pid, const struct tg_endpoint *ep)
{
	char buf[8192], want[256], *w, *prev = "";
	ssize_t n;

	if (pid <= 1 || (n = proc_read(pid, "cmdline", buf, sizeof(buf))) <= 0)
		return 0;
	strlcpy(want, sup->path, sizeof(want));
	if (strcmp(basename(buf), basename(want)) != 0)
		return 0;
	for (w = buf; w < buf + n; w += strlen(w) + 1) {
		if (strcmp(w, "--") == 0)
			break;		/* the terminal command starts */
		if (names_endpoint(w, prev, ep))
			return 1;
		prev = w;
	}
	return 0;
}

int
ident_holder(struct sup *sup, pid_t pid, const struct tg_endpoint *pty)
{
	return holder_match(pid, launch_pty_path(sup), pty->path);
}

int
ident_session(pid_t pid, const char *id)
{
	char buf[16384], want[sizeof("TERMGATE_SESSION_ID=") + TOK_ID_LEN];
	ssize_t n;
	char *w;

	if (pid <= 1 || getsid(pid) != pid ||
	    (n = proc_read(pid, "environ", buf, sizeof(buf))) <= 0)
		return 0;
	snprintf(want, sizeof(want), "TERMGATE_SESSION_ID=%s", id);
	for (w = buf; w < buf + n; w += strlen(w) + 1)
		if (strcmp(w, want) == 0)
			return 1;
	return 0;
}
