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
 * are written once. The node's gateway (terminal_gateway) has one socket
 * there too, gateway.sock, which no session's name can be. (The database builds the ID.sock endpoint of a new
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
sessfile_gateway(char *buf, size_t len, const char *dir)
{
	int n;

	n = snprintf(buf, len, "%s/gateway.sock", dir);
	return n < 0 || (size_t)n >= len ? -1 : 0;
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

/* Whether a directory of status ST may hold the next component of a
 * path that root sets up: root's, and writable by nobody else but with
 * the sticky bit (/tmp), which keeps others' hands off root's entries.
 * Anyone else can be misled into nothing it could not do itself. */
static int
trusted_parent(const struct stat *st)
{
	if (geteuid() != 0)
		return 1;
	return st->st_uid == 0 && (!(st->st_mode & (S_IWGRP | S_IWOTH)) ||
	    (st->st_mode & S_ISVTX));
}

/* Opens (making it, mode 0755, or 0700 when LAST) component NAME of the
 * directory FD; the new descriptor, or -1 with ERR said. */
static int
component(int fd, const char *dir, const char *name, int last, char *err,
    size_t errlen)
{
	struct stat st;
	int nfd;

	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		snprintf(err, errlen, "%s: a . or .. in the path", dir);
		return -1;
	}
	if (fstat(fd, &st) == -1 || !trusted_parent(&st)) {
		snprintf(err, errlen, "%s: a directory above %s is not root's "
		    "or may be written by others (no sticky bit)", dir, name);
		return -1;
	}
	if (mkdirat(fd, name, last ? 0700 : 0755) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "%s: mkdir %s: %s", dir, name,
		    strerror(errno));
		return -1;
	}
	if ((nfd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		snprintf(err, errlen, "%s: %s: %s", dir, name, errno == ELOOP ||
		    errno == ENOTDIR ? "a symbolic link or not a directory" :
		    strerror(errno));
	return nfd;
}

int
sessfile_mkdir(const char *dir, mode_t mode, uid_t uid, gid_t gid,
    char *err, size_t errlen)
{
	char path[4096], *name, *next;
	int fd, nfd;

	if (dir[0] != '/' || strlcpy(path, dir, sizeof(path)) >= sizeof(path)) {
		snprintf(err, errlen, "%s: not an absolute path", dir);
		return -1;
	}
	if ((fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "/: %s", strerror(errno));
		return -1;
	}
	for (name = path + 1; *name != '\0'; name = next) {
		if ((next = strchr(name, '/')) == NULL)
			next = name + strlen(name);
		else
			for (*next++ = '\0'; *next == '/'; next++)
				;
		nfd = component(fd, dir, name, *next == '\0', err, errlen);
		close(fd);
		if ((fd = nfd) == -1)
			return -1;
	}
	if ((uid != (uid_t)-1 || gid != (gid_t)-1) &&
	    fchown(fd, uid, gid) == -1) {
		snprintf(err, errlen, "%s: chown: %s", dir, strerror(errno));
		close(fd);
		return -1;
	}
	if (fchmod(fd, mode) == -1) {
		snprintf(err, errlen, "%s: chmod: %s", dir, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
