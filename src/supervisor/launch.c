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
 */
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

/* In the child: never returns. A ROOT child stays root: a holder of a
 * pool account's shell drops by itself (src/pty/runas.c). */
static void __attribute__((noreturn))
child(struct sup *sup, const char *id, struct tg_argv *argv, int root)
{
	char e_home[300], e_id[96];
	char *envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", e_home,
	    "TERM=xterm-256color", "LANG=C.UTF-8", id ? e_id : NULL, NULL };
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
	    ((sup->ngroups >= 0 ? setgroups((size_t)sup->ngroups,
	    sup->groups) : initgroups(sup->user, sup->gid)) == -1 ||
	    setgid(sup->gid) == -1 || setuid(sup->uid) == -1)) {
		log_err("spawn: cannot drop to %s: %s", sup->user,
		    strerror(errno));
		_exit(126);
	}
	/* "/" always exists; were it refused, the exec fails below */
	if (chdir(sup->home) == -1 && chdir("/") == -1)
		log_warn("spawn: chdir /: %s", strerror(errno));
	snprintf(e_home, sizeof(e_home), "HOME=%s", sup->home);
	if (id != NULL)
		snprintf(e_id, sizeof(e_id), "TERMGATE_SESSION_ID=%s", id);
	(void)proc_exec(argv->v, envp);
	log_err("spawn: exec %s: %s", argv->v[0], strerror(errno));
	_exit(127);
}

int
launch_proc(struct sup *sup, const char *id, struct tproc *p,
    struct tg_argv *argv, int root)
{
	pid_t pid;

	if ((pid = fork()) == -1) {
		log_err("session=%.12s spawn: fork: %s", id ? id : "-",
		    strerror(errno));
		return -1;
	}
	if (pid == 0)
		child(sup, id, argv, root);
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
