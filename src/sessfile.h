/* sessfile.h - the names of a session's files on its node. */
#ifndef TG_SESSFILE_H
#define TG_SESSFILE_H

#include <sys/types.h>

#include <stddef.h>

#include "cfg.h"
#include "tok.h"

#define SESSFILE_PATH_MAX	512	/* of any path built here */

enum sessfile_kind {
	SESSFILE_SOCK,		/* socket_dir/ID.sock: the backend's */
	SESSFILE_PTY,		/* socket_dir/ID.pty: the pty holder's */
	SESSFILE_CAST,		/* recording_dir/ID.cast: the recording */
	SESSFILE_CMDS		/* spool_dir/ID.cmds: the captured commands */
};

/* The directory CFG gives files of KIND. Cannot fail. */
const char	*sessfile_dir(const struct tg_cfg *, enum sessfile_kind);
/* Writes DIR/ID.SUFFIX of KIND into BUF (LEN bytes); 0, or -1 when it
 * does not fit. */
int		 sessfile_path_in(char *buf, size_t len, const char *dir,
		    enum sessfile_kind, const char *id);
/* The same in the directory CFG gives KIND. */
int		 sessfile_path(char *buf, size_t len, const struct tg_cfg *,
		    enum sessfile_kind, const char *id);
/* Writes the gateway's socket, DIR/gateway.sock (terminal_gateway: the
 * one ttyd of the node, which nginx reaches), into BUF (LEN bytes); 0,
 * or -1 when it does not fit. Never a session's name: no id has a 'g'. */
int		 sessfile_gateway(char *buf, size_t len, const char *dir);
/* The session id of file NAME (no directory) of KIND into ID; 0, or -1
 * when NAME is not a valid session id and KIND's suffix. */
int		 sessfile_id(const char *name, enum sessfile_kind,
		    char id[TOK_ID_LEN + 1]);
/* Opens PATH, a session's file that a terminal's uid could have replaced,
 * for reading: never through a link, never waiting (a FIFO), and only a
 * regular file. The descriptor (close-on-exec, the caller's), or -1 with
 * errno set (EINVAL: not a regular file). */
int		 sessfile_open(const char *path);
/*
 * Makes the directory DIR (an absolute path) where session files live,
 * and its parents, as root can do it safely when a terminal's uid owns
 * DIR or writes in it: each component is opened from the one before
 * without following a link, and, when running as root, each directory
 * above DIR must be root's and writable by nobody else unless sticky
 * (else whoever may write it could swap what lies below). Then DIR,
 * through its descriptor, is given to UID and GID ((uid_t)-1, (gid_t)-1:
 * as they are) with MODE. Returns that descriptor (close-on-exec, the
 * caller's), or -1 with ERR (ERRLEN bytes) saying why.
 */
int		 sessfile_mkdir(const char *dir, mode_t mode, uid_t uid,
		    gid_t gid, char *err, size_t errlen);

#endif
