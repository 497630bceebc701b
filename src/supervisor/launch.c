/*
 * launch.c - forking and execing a terminal's processes.
 *
 * A child resets what it inherited that could matter (proc.c: signal
 * mask and dispositions, its own session, no descriptor but 0-2 at
 * exec), gets /dev/null as stdin and stdout, the descriptor limit the
 * supervisor was started with, umask 027, the terminals' user and home
 * and a fixed environment, then execs its fixed argv. A failed exec
 * exits 127 and is seen as a process that died while starting; a failed
 * fork is reported, never fatal. Each process is held by a pidfd from
 * its fork on (tproc.c).
 *
 * The child is made with vfork: it shares the supervisor's memory until
 * it execs, so no page table is copied and no page is copied on write
 * (a fork of the supervisor, linked with libpq and its TLS libraries,
 * was a fifth of the machine's CPU while terminals opened and closed at
 * 16 users). So the child only makes system calls on its own stack: no
 * allocation, no stdio, no log; a step that fails leaves its errno in
 * *CHILD_ERR for the parent to log. The one case that needs the group
 * database (more supplementary groups than fit, looked up in the child)
 * is forked as before.
 */
#include <sys/syscall.h>
#include <sys/pidfd.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"
#include "sup.h"

#ifndef SBINDIR
#define SBINDIR		"/usr/sbin"
#endif

const char *
launch_pty_path(const struct sup *sup)
{
	return sup->cfg.pty_path[0] != '\0' ? sup->cfg.pty_path :
	    SBINDIR "/termgate-pty";
}

/* What a vfork child failed at, and its errno, read by its parent. */
struct child_err {
	const char	*what;
	int		 err;
};

/*
 * In the child: run_as's groups, group and user. The raw system calls
 * change this task alone (glibc's wrappers would signal the threads it
 * believes share our credentials); initgroups only in a forked child.
 */
static int
drop(const struct sup *sup)
{
	if ((sup->ngroups >= 0 ? syscall(SYS_setgroups,
	    (size_t)sup->ngroups, sup->groups) :
	    initgroups(sup->user, sup->gid)) == -1 ||
	    syscall(SYS_setgid, sup->gid) == -1 ||
	    syscall(SYS_setuid, sup->uid) == -1)
		return -1;
	return 0;
}

/*
 * In the child: never returns; it execs ARGV with ENVP. A ROOT child
 * stays root: a holder of a pool account's shell drops by itself
 * (src/pty/runas.c). Made by vfork unless sup->ngroups < 0 (then by
 * fork, and initgroups may allocate).
 */
static void __attribute__((noreturn))
child(struct sup *sup, struct tg_argv *argv, char *const envp[], int root,
    volatile struct child_err *ce, int forked)
{
	int fd;

	(void)proc_child_reset();
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	if (sup->nofile.rlim_cur != RLIM_INFINITY)
		(void)setrlimit(RLIMIT_NOFILE, &sup->nofile);
	umask(027);
	if (!root && geteuid() == 0 && sup->uid != (uid_t)-1 &&
	    drop(sup) == -1) {
		ce->what = "cannot drop to run_as";
		ce->err = errno;
		if (forked)	/* ce is our own copy: say it */
			log_err("spawn: cannot drop to %s: %s", sup->user,
			    strerror(errno));
		_exit(126);
	}
	/* "/" always exists; were it refused, the exec fails below */
	if (chdir(sup->home) == -1)
		(void)chdir("/");
	(void)proc_exec(argv->v, envp);
	ce->what = "exec";
	ce->err = errno;
	if (forked)
		log_err("spawn: exec %s: %s", argv->v[0], strerror(errno));
	_exit(127);
}

/* vfork or fork, then the child; in the parent, the child's pid or -1. */
static pid_t
start(struct sup *sup, struct tg_argv *argv, char *const envp[], int root,
    volatile struct child_err *ce)
{
	int forked = sup->ngroups < 0 && !root && geteuid() == 0;
	pid_t pid;

	pid = forked ? fork() : vfork();
	if (pid == 0)
		child(sup, argv, envp, root, ce, forked);
	return pid;
}

int
launch_proc(struct sup *sup, const char *id, struct tproc *p,
    struct tg_argv *argv, int root)
{
	volatile struct child_err ce = { NULL, 0 };
	char e_home[300], e_id[96];
	char *envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", e_home,
	    "TERM=xterm-256color", "LANG=C.UTF-8", id ? e_id : NULL, NULL };
	pid_t pid;

	snprintf(e_home, sizeof(e_home), "HOME=%s", sup->home);
	if (id != NULL)
		snprintf(e_id, sizeof(e_id), "TERMGATE_SESSION_ID=%s", id);
	if ((pid = start(sup, argv, envp, root, &ce)) == -1) {
		log_err("session=%.12s spawn: fork: %s", id ? id : "-",
		    strerror(errno));
		return -1;
	}
	/* (a vfork child's failure; a forked one logged its own) */
	if (ce.what != NULL)
		log_err("session=%.12s spawn %s: %s: %s", id ? id : "-",
		    argv->v[0], ce.what, strerror(ce.err));
	p->pid = pid;
	p->child = 1;
	/* Our child: its pid cannot be reused before we reap it. */
	if ((p->pidfd = pidfd_open(pid, 0)) == -1)
		log_warn("session=%.12s pidfd_open: %s", id ? id : "-",
		    strerror(errno));
	return 0;
}

int
launch(struct sup *sup, struct term *t, struct tproc *p,
    struct tg_argv *argv)
{
	if (launch_proc(sup, t->id, p, argv, p == &t->holder &&
	    t->acct >= 0) == -1)
		return -1;
	log_info("session=%.12s spawn %s pid=%ld", t->id,
	    p == &t->holder ? "holder" : "backend", (long)p->pid);
	return 0;
}

/*
 * Gives a backend's unix socket (a new terminal's, or the gateway's) to
 * socket_group, mode 0660, before
 * its session is active (so before nginx is sent to it). The backend
 * made it as its own user, and is not asked to do this itself: it may not
 * be in socket_group, and the shell it starts must not be. As root the
 * supervisor also takes the socket over (root:socket_group), since every
 * terminal runs as the same user, and a socket of that user's would let
 * each shell connect to every other session's terminal. Not root, it can
 * give the socket only to a group it is a member of. A symlink is never
 * followed; a failure is logged.
 */
void
launch_give_socket(struct sup *sup, const char *path, const char *who)
{
	char fdpath[32];
	struct stat st;
	uid_t owner = geteuid() == 0 ? 0 : (uid_t)-1;
	int fd;

	if ((fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1 || !S_ISSOCK(st.st_mode)) {
		log_warn("%s socket %s: not a socket", who, path);
		goto out;
	}
	if (fchownat(fd, "", owner, sup->sock_gid, AT_EMPTY_PATH) == -1)
		log_warn("%s chown socket to group %s: %s", who,
		    sup->cfg.socket_group, strerror(errno));
	/* chmod through the descriptor: the inode it holds, no new lookup */
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	if (chmod(fdpath, 0660) == -1)
		log_warn("%s chmod socket: %s", who, strerror(errno));
out:
	if (fd != -1)
		close(fd);
}
