/*
 * runas.c - a shell under its own account, a holder under another.
 *
 * The supervisor starts a holder as root only when terminals run from
 * an account pool (run_as_pool): the holder opens the pty, forks the
 * shell, which becomes its pool account here, and then drops itself to
 * the service account before it reads a byte of output or accepts a
 * client. So the shell can neither signal nor trace its holder, nor
 * open what the holder writes (recordings, command files, sockets).
 *
 * What a pool account leaves in the world-writable places is the next
 * lessee's problem unless it cannot leave anything there: each shell
 * gets private tmpfs mounts on them, gone with its last process.
 */
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"
#include "runas.h"

/* What each shell gets instead of the node's. */
static const char *const private_dirs[] = { "/tmp", "/var/tmp", "/dev/shm" };
#define TMPFS_OPTS	"mode=1777,size=256m,nr_inodes=65536"

int
runas_lookup(struct runas *r, const char *name, char *err, size_t len)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		snprintf(err, len, "account %s: %s", name, errno != 0 ?
		    strerror(errno) : "no such user");
		return -1;
	}
	if (pw->pw_uid == 0) {
		snprintf(err, len, "account %s has uid 0", name);
		return -1;
	}
	r->uid = pw->pw_uid;
	r->gid = pw->pw_gid;
	snprintf(r->name, sizeof(r->name), "%s", pw->pw_name);
	snprintf(r->home, sizeof(r->home), "%s", pw->pw_dir);
	return 0;
}

/* Private tmpfs on each of private_dirs that exists. */
static int
private_tmp(void)
{
	struct stat st;
	size_t i;

	if (unshare(CLONE_NEWNS | CLONE_NEWIPC) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		return -1;
	for (i = 0; i < sizeof(private_dirs) / sizeof(private_dirs[0]); i++)
		if (lstat(private_dirs[i], &st) == 0 && S_ISDIR(st.st_mode) &&
		    mount("tmpfs", private_dirs[i], "tmpfs",
		    MS_NOSUID | MS_NODEV, TMPFS_OPTS) == -1)
			return -1;
	return 0;
}

static int
limit(int what, rlim_t n)
{
	struct rlimit rl = { n, n };

	return setrlimit(what, &rl);
}

int
runas_drop(const struct runas *r)
{
	if (initgroups(r->name, r->gid) == -1 || setgid(r->gid) == -1 ||
	    setuid(r->uid) == -1)
		return -1;
	/* for good: no way back to root */
	if (setuid(0) != -1) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int
runas_join(const char *cgroups)
{
	char path[PATH_MAX], pid[32];
	const char *p = cgroups, *end;
	size_t n;

	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	while (p != NULL && *p != '\0') {
		end = strchr(p, ':');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if ((size_t)snprintf(path, sizeof(path), "%.*s/cgroup.procs",
		    (int)n, p) >= sizeof(path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (proc_put(path, pid) == -1)
			return -1;
		p = end != NULL ? end + 1 : NULL;
	}
	return 0;
}

int
runas_shell(const struct runas *r, long nproc, const char *cgroups)
{
	const char *home;

	if (runas_join(cgroups) == -1 ||
	    private_tmp() == -1 || limit(RLIMIT_CORE, 0) == -1 ||
	    (nproc > 0 && limit(RLIMIT_NPROC, (rlim_t)nproc) == -1) ||
	    runas_drop(r) == -1)
		return -1;
	/* An account without a home of its own (the package's pool, whose
	 * home is /nonexistent: a home would outlive the lease) lives in
	 * its private /tmp. */
	home = chdir(r->home) == 0 ? r->home : "/tmp";
	if (home != r->home && chdir(home) == -1 && chdir("/") == -1)
		return -1;
	if (setenv("HOME", home, 1) == -1 ||
	    setenv("USER", r->name, 1) == -1 ||
	    setenv("LOGNAME", r->name, 1) == -1)
		return -1;
	return 0;
}
