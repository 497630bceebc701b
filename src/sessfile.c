/*
 * sessfile.c - the names of a session's files on its node.
 *
 * A session of this node has up to four files, each named by its id: the
 * backend's socket ID.sock and the pty holder's ID.pty in socket_dir, the
 * recording ID.cast in recording_dir and the captured commands ID.cmds
 * in spool_dir. The supervisor makes them (on the holder's command line),
 * probes, adopts, ingests and removes them; termgate-fcgi serves the
 * recording. Every path of one is built here, and every file name found
 * in those directories is read back into its id here, so that the names
 * are written once. (The database builds the ID.sock endpoint of a new
 * session itself: ep_parse_session holds it to the same name.)
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sessfile.h"
#include "valid.h"

static const char *const suffix[] = {
	[SESSFILE_SOCK] = "sock",
	[SESSFILE_PTY] = "pty",
	[SESSFILE_CAST] = "cast",
	[SESSFILE_CMDS] = "cmds",
};

const char *
sessfile_dir(const struct tg_cfg *cfg, enum sessfile_kind k)
{
	switch (k) {
	case SESSFILE_CAST:
		return cfg->recording_dir;
	case SESSFILE_CMDS:
		return cfg->spool_dir;
	default:
		return cfg->socket_dir;
	}
}

int
sessfile_path_in(char *buf, size_t len, const char *dir,
    enum sessfile_kind k, const char *id)
{
	int n;

	n = snprintf(buf, len, "%s/%s.%s", dir, id, suffix[k]);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
sessfile_path(char *buf, size_t len, const struct tg_cfg *cfg,
    enum sessfile_kind k, const char *id)
{
	return sessfile_path_in(buf, len, sessfile_dir(cfg, k), k, id);
}

int
sessfile_id(const char *name, enum sessfile_kind k,
    char id[TOK_ID_LEN + 1])
{
	if (strlen(name) != TOK_ID_LEN + 1 + strlen(suffix[k]) ||
	    name[TOK_ID_LEN] != '.' ||
	    strcmp(name + TOK_ID_LEN + 1, suffix[k]) != 0)
		return -1;
	strlcpy(id, name, TOK_ID_LEN + 1);
	return valid_session_id(id) ? 0 : -1;
}

int
sessfile_open(const char *path)
{
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}
