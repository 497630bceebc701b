/*
 * runas.h - the two accounts of a holder started as root: the shell's
 * (a pool account, one per termgate user on the node) and the holder's
 * own (the service account it drops to once the shell runs).
 */
#ifndef TG_RUNAS_H
#define TG_RUNAS_H

#include <sys/types.h>

#include <stddef.h>

struct runas {
	uid_t	uid;
	gid_t	gid;
	char	name[64];
	char	home[256];
};

/* Looks account NAME up into R: 0, or -1 with a reason in ERR (LEN
 * bytes): no such account, or uid 0. */
int	runas_lookup(struct runas *r, const char *name, char *err,
	    size_t len);
/*
 * In the shell's child, as root: into each cgroup of CGROUPS ("DIR[:DIR]"
 * or NULL, made and limited by the supervisor), private /tmp, /var/tmp and /dev/shm
 * (a mount and IPC namespace of its own, tmpfs on each), RLIMIT_NPROC
 * NPROC (0: none) and RLIMIT_CORE 0, R's groups, gid and uid for good,
 * its home (or its private /tmp, when the home is not there) as the
 * working directory and HOME, USER, LOGNAME set. 0, or -1
 * with errno set and nothing run.
 */
int	runas_shell(const struct runas *r, long nproc, const char *cgroups);
/* Into each cgroup of CGROUPS ("DIR[:DIR]"), as root; 0, or -1. */
int	runas_join(const char *cgroups);
/* The holder itself becomes R for good (groups too); 0 or -1. */
int	runas_drop(const struct runas *r);

#endif
