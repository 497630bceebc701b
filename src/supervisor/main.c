/*
 * main.c - termgate-supervisor: starts, stops, reaps and collects the
 * terminals of one node.
 *
 * Setup is one straight line (config, backend, users, database, the
 * node's advisory lock, socket directory or port pool, signals, timer),
 * where any failure is fatal. Then one poll() over a signalfd, a timerfd,
 * the PostgreSQL socket and inotify on the spool and socket directories
 * runs until SIGTERM: signals are drained
 * first, children reaped, notifications handled, then the timer's work.
 * From then on nothing a backend or the database does ends the process;
 * a lost database is reconnected with back-off while terminals keep
 * running, and what was missed is found by reconciling.
 */
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "db.h"
#include "group.h"
#include "log.h"
#include "node.h"
#include "notify.h"
#include "proc.h"
#include "sessfile.h"
#include "sup.h"
#include "which.h"

#define BACKOFF_MAX	5000	/* ms between reconnection attempts */

extern char **environ;

/* What the process title says, set once per loop turn. */
static void
title(struct sup *sup)
{
	setproctitle("-termgate-supervisor: node=%s terminals=%d%s",
	    sup->cfg.node, sup->nterms, sup->quit ? " (stopping)" : "");
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: termgate-supervisor [-c FILE] "
	    "[--stop-terminals] [-t]\n");
	exit(2);
}

/* The backend binary: backend_path, or its name searched in PATH. */
static void
find_backend(struct sup *sup)
{
	const char *name = sup->cfg.backend == TG_BACKEND_TTYD ? "ttyd" :
	    "shellinaboxd";

	if (sup->cfg.backend_path[0] != '\0') {
		if (which(sup->cfg.backend_path, sup->path,
		    sizeof(sup->path)) == -1)
			fatal("backend_path %s: %s", sup->cfg.backend_path,
			    strerror(errno));
		return;
	}
	if (which(name, sup->path, sizeof(sup->path)) == -1)
		fatal("backend %s not found in PATH; set backend_path", name);
}

/* 1 when /proc hides other users' processes (hidepid=2, "invisible"). */
static int
proc_hidden(void)
{
	char line[1024], *sep;
	int hidden = 0;
	FILE *f;

	if ((f = fopen("/proc/self/mountinfo", "r")) == NULL)
		return 0;
	while (!hidden && fgets(line, sizeof(line), f) != NULL) {
		/* ID PARENT DEV ROOT MOUNTPOINT ... - TYPE SOURCE OPTIONS */
		if ((sep = strstr(line, " - proc ")) == NULL ||
		    strstr(line, " / /proc ") == NULL)
			continue;
		hidden = strstr(sep, "hidepid=2") != NULL ||
		    strstr(sep, "hidepid=invisible") != NULL;
	}
	fclose(f);
	return hidden;
}

/*
 * tcp mode lets every local user connect to a terminal's port: only a
 * credential stands between them and it. shellinabox has none; ttyd's is
 * on its command line, which /proc shows to everyone unless hidepid=2.
 */
static void
check_tcp(struct sup *sup)
{
	if (sup->cfg.terminal_listen != TG_LISTEN_TCP)
		return;
	if (sup->cfg.backend == TG_BACKEND_SHELLINABOX)
		fatal("terminal_listen = tcp with shellinabox: its terminals "
		    "would take any local connection, with no credential; "
		    "use terminal_listen = unix");
	if (!sup->cfg.allow_visible_credentials && !proc_hidden())
		fatal("terminal_listen = tcp: every local user could read "
		    "each terminal's credential in /proc/PID/cmdline; mount "
		    "/proc with hidepid=2, use terminal_listen = unix, or "
		    "accept it with allow_visible_credentials = true");
}

/*
 * socket_group must be nginx's group and nobody else's: every member can
 * connect to every terminal. Warns when more than one user is in it (as
 * a member, or by their primary group).
 */
static void
warn_group(struct sup *sup, const struct group *gr)
{
	char who[512];
	int n;

	if ((n = group_users(gr, who, sizeof(who))) > 1)
		log_warn("socket_group %s has %d users (%s): each of them can "
		    "connect to every terminal; it must be nginx's group "
		    "alone", sup->cfg.socket_group, n, who);
}

/*
 * Who the backend runs as, its home and group, and the socket group.
 *
 * A terminal is a shell for whoever nginx let in: as root it would hand
 * them the node. So a supervisor started as root must drop its terminals
 * to run_as, and run_as never names root, under any name (uid 0): each
 * is a startup error, which -t reports too. A supervisor that is not
 * root runs its terminals as itself, whatever user run_as names.
 */
/*
 * database_os_user: a supervisor started as root connects to PostgreSQL
 * as that OS user (db_connect_as), so that peer authentication gives it
 * the role of the same name with no pg_ident.conf entry for root. It is
 * nobody's terminal: not run_as, not root.
 */
static void
find_db_user(struct sup *sup)
{
	const char *name = sup->cfg.database_os_user;
	struct passwd *pw;

	sup->db_uid = (uid_t)-1;
	if (name[0] == '\0')
		return;
	if ((pw = getpwnam(name)) == NULL)
		fatal("database_os_user %s: no such user", name);
	if (geteuid() != 0) {
		if (pw->pw_uid != geteuid())
			fatal("database_os_user %s: only a supervisor started "
			    "as root connects as another user", name);
		return;
	}
	if (pw->pw_uid == 0 || pw->pw_uid == sup->uid)
		fatal("database_os_user %s is %s: it must be an account of "
		    "its own", name, pw->pw_uid == 0 ? "root" : "run_as");
	sup->db_uid = pw->pw_uid;
	db_connect_as(pw->pw_uid);
}

/*
 * run_as's supplementary groups, looked up once: a terminal's child then
 * calls setgroups, not initgroups, which reads the group database (NSS)
 * in every fork, on the way of every open. More than fit: looked up in
 * the child as before.
 */
static void
find_groups(struct sup *sup)
{
	int n = (int)(sizeof(sup->groups) / sizeof(sup->groups[0]));

	sup->ngroups = getgrouplist(sup->cfg.run_as, sup->gid, sup->groups,
	    &n) == -1 ? -1 : n;
}

static void
find_users(struct sup *sup)
{
	struct passwd *pw;
	struct group *gr;
	gid_t own = getegid();

	sup->uid = (uid_t)-1;
	if (geteuid() == 0 && sup->cfg.run_as[0] == '\0')
		fatal("running as root with run_as unset: terminals would "
		    "run as root; set run_as to an unprivileged user");
	if (sup->cfg.run_as[0] != '\0') {
		if ((pw = getpwnam(sup->cfg.run_as)) == NULL)
			fatal("run_as %s: no such user", sup->cfg.run_as);
		if (pw->pw_uid == 0)
			fatal("run_as %s has uid 0: terminals would run as "
			    "root; set run_as to an unprivileged user",
			    sup->cfg.run_as);
		if (geteuid() == 0) {
			sup->uid = pw->pw_uid;
			sup->gid = own = pw->pw_gid;
			find_groups(sup);
		}
	} else if ((pw = getpwuid(geteuid())) == NULL)
		fatal("uid %ld has no passwd entry", (long)geteuid());
	strlcpy(sup->user, pw->pw_name, sizeof(sup->user));
	strlcpy(sup->home, pw->pw_dir, sizeof(sup->home));
	find_db_user(sup);
	if ((gr = getgrgid(own)) == NULL)
		fatal("gid %ld of %s has no group entry", (long)own,
		    sup->user);
	strlcpy(sup->group, gr->gr_name, sizeof(sup->group));
	if ((gr = getgrnam(sup->cfg.socket_group)) == NULL)
		fatal("socket_group %s: no such group",
		    sup->cfg.socket_group);
	sup->sock_gid = gr->gr_gid;
	warn_group(sup, gr);
}

/*
 * socket_dir: 0750 in socket_group, so that nginx can enter it. A
 * supervisor that is not root can give it only to a group it is a member
 * of (as the systemd unit makes it, with SupplementaryGroups): without
 * that group nginx could reach no terminal, so it does not start.
 *
 * As root with run_as, every terminal is the run_as user's, and must not
 * own the directory, or any shell could rename another session's socket
 * away and listen in its place. It is root's, 01731: the run_as group may
 * create sockets in it but not list them, the sticky bit keeps the ones
 * fix_socket made root's from being renamed or removed, and nginx enters
 * it as anyone may.
 */
/*
 * A watch of the supervisor's inotify descriptor on DIR for MASK; its
 * descriptor, or -1 (said, with WITHOUT: what we do instead).
 */
static int
watch(struct sup *sup, const char *dir, uint32_t mask, const char *without)
{
	int wd = -1;

	if (sup->ino != -1 &&
	    (wd = inotify_add_watch(sup->ino, dir, mask)) == -1)
		log_warn("inotify on %s: %s; %s", dir, strerror(errno),
		    without);
	return wd;
}

static void
make_socket_dir(struct sup *sup)
{
	const char *dir = sup->cfg.socket_dir;
	uid_t owner = (uid_t)-1;
	gid_t group = sup->sock_gid;
	mode_t mode = 0750;
	char err[512];
	int fd;

	if (geteuid() == 0 && sup->uid != (uid_t)-1) {
		owner = 0;
		group = sup->gid;
		mode = 01731;
	}
	if ((fd = sessfile_mkdir(dir, mode, (uid_t)-1, (gid_t)-1, err,
	    sizeof(err))) == -1)
		fatal("socket_dir %s", err);
	if (fchown(fd, owner, group) == -1)
		fatal("socket_dir %s: cannot give it to socket_group %s: %s "
		    "(the supervisor must be root or a member of it)", dir,
		    sup->cfg.socket_group, strerror(errno));
	close(fd);
	sup->sock_wd = watch(sup, dir, IN_CREATE | IN_MOVED_TO,
	    "starting terminals are probed on the timer alone");
}

static void
open_db(struct sup *sup)
{
	char holder[256];

	if ((sup->db = db_new(sup->cfg.database)) == NULL)
		fatal("out of memory");
	if (!db_ok(sup->db))
		fatal("database: cannot connect");
	switch (node_lock(sup->db, sup->cfg.node, holder, sizeof(holder))) {
	case 1:
		fatal("node %s already has a running supervisor "
		    "(advisory lock held: %s); not starting", sup->cfg.node,
		    holder);
	case 2:
		fatal("node %s: its lock is held by a session that is no "
		    "supervisor's (%s): end it (pg_terminate_backend); not "
		    "starting", sup->cfg.node, holder);
	case -1:
		fatal("database: cannot take the node lock");
	}
	sup->db_gen = db_generation(sup->db);
	if (db_listen(sup->db, NOTIFY_SPAWN) == -1 ||
	    db_listen(sup->db, NOTIFY_CLOSE) == -1 ||
	    db_listen(sup->db, NOTIFY_DROP) == -1)
		fatal("database: LISTEN failed");
	if (sup->cfg.terminal_listen == TG_LISTEN_TCP &&
	    node_fill_ports(sup->db, sup->cfg.node, sup->cfg.port_lo,
	    sup->cfg.port_hi) == -1)
		fatal("database: cannot fill the port pool");
}

/*
 * Each terminal costs us two pidfds (and a starting one a probe socket),
 * so the soft descriptor limit systemd and shells give (1024) would stop
 * us near 500 terminals: take the hard limit. Our children get the limit
 * we were given back (launch.c). Cannot fail: without the raise we run
 * with what we have, and say so.
 */
static void
raise_nofile(struct sup *sup)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &sup->nofile) == -1) {
		log_warn("getrlimit NOFILE: %s", strerror(errno));
		sup->nofile.rlim_cur = sup->nofile.rlim_max = RLIM_INFINITY;
		return;
	}
	rl = sup->nofile;
	rl.rlim_cur = rl.rlim_max;
	if (rl.rlim_cur != sup->nofile.rlim_cur &&
	    setrlimit(RLIMIT_NOFILE, &rl) == -1)
		log_warn("descriptor limit stays %llu: %s",
		    (unsigned long long)sup->nofile.rlim_cur, strerror(errno));
}

static void
open_fds(struct sup *sup)
{
	static const int sigs[] = { SIGCHLD, SIGTERM, SIGINT, SIGHUP };

	if ((sup->sigfd = proc_signalfd(sigs, sizeof(sigs) /
	    sizeof(sigs[0]))) == -1)
		fatal("signalfd: %s", strerror(errno));
	sup->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC |
	    TFD_NONBLOCK);
	if (sup->timerfd == -1)
		fatal("timerfd: %s", strerror(errno));
	/* Without it the directories are only looked at on the timer. */
	sup->spool_wd = sup->sock_wd = -1;
	if ((sup->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		log_warn("inotify: %s", strerror(errno));
	/* Orphaned grandchildren come to us to be reaped, not to init. */
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1);
	raise_nofile(sup);
}

/* DIR and its missing parents (0755); DIR itself MODE, owned by the
 * terminals' user so that their holders write there, set up safely
 * (sessfile_mkdir: that user could have put a link in its place). Fatal
 * on error. */
static void
make_data_dir(struct sup *sup, const char *dir, mode_t mode)
{
	int root = geteuid() == 0 && sup->uid != (uid_t)-1;
	char err[512];
	int fd;

	if ((fd = sessfile_mkdir(dir, mode, root ? sup->uid : (uid_t)-1,
	    root ? sup->gid : (gid_t)-1, err, sizeof(err))) == -1)
		fatal("%s", err);
	close(fd);
}

/*
 * Where the pty holders record (recording_dir) and write what they
 * capture (spool_dir), and a watch on the latter so that a command is in
 * command_history a moment after it finished.
 */
static void
make_data_dirs(struct sup *sup)
{
	if (access(launch_pty_path(sup), X_OK) == -1)
		fatal("pty_path %s: %s", launch_pty_path(sup), strerror(errno));
	if (sup->cfg.recording)
		make_data_dir(sup, sup->cfg.recording_dir, 0750);
	if (!sup->cfg.capture)
		return;
	make_data_dir(sup, sup->cfg.spool_dir, 0700);
	sup->spool_wd = watch(sup, sup->cfg.spool_dir, IN_MODIFY,
	    "commands are taken every gc_interval");
}

static void
setup(struct sup *sup, const char *file)
{
	char err[512];

	sup->cfgfile = file;
	cfg_defaults(&sup->cfg);
	if (file != NULL && cfg_load(&sup->cfg, file, err, sizeof(err)) == -1)
		fatal("%s", err);
	TAILQ_INIT(&sup->terms);
	sup->sigfd = sup->timerfd = -1;
	if (sup->cfg.node_lost_after <= 2 * sup->cfg.gc_interval)
		fatal("node_lost_after (%d) must be more than twice "
		    "gc_interval (%d): a node refreshes its liveness every "
		    "gc_interval", sup->cfg.node_lost_after,
		    sup->cfg.gc_interval);
	find_backend(sup);
	check_tcp(sup);
	gw_init(sup);
	find_users(sup);
	pool_load(sup);
}

/*
 * Ticks fast while something is starting, slower while stopping, every
 * 250 ms while the database is away or was just reconnected (retries,
 * relock, rescan) or an account of the pool waits to be swept (clean
 * once a second); otherwise the timer wakes the loop once, for the next
 * collection, and an idle supervisor sleeps until then.
 */
static void
arm_timer(struct sup *sup)
{
	static long cur = -1;		/* the period armed, 0: one-shot */
	static int64_t at;		/* the one-shot's deadline */
	struct itimerspec its = { 0 };
	struct term *t;
	int64_t left;
	long ns = 0;

	TAILQ_FOREACH(t, &sup->terms, entry) {
		if (term_starting(t)) {
			ns = 5000000;
			break;
		}
		if (term_stopping(t))
			ns = 50000000;
	}
	if (ns == 0 && gw_busy(sup))
		ns = 20000000;
	if (ns == 0 && (!db_ok(sup->db) ||
	    db_generation(sup->db) != sup->db_gen || pool_pending(sup)))
		ns = 250000000;
	if (ns != 0) {
		if (ns == cur)
			return;
		its.it_interval.tv_nsec = its.it_value.tv_nsec = ns;
	} else {
		/* Armed for this collection and not fired yet: leave it. */
		if (cur == 0 && at == sup->next_gc &&
		    timerfd_gettime(sup->timerfd, &its) == 0 &&
		    (its.it_value.tv_sec != 0 || its.it_value.tv_nsec != 0))
			return;
		memset(&its, 0, sizeof(its));
		at = sup->next_gc;
		if ((left = at - clock_ms()) < 1)
			left = 1;
		its.it_value.tv_sec = left / 1000;
		its.it_value.tv_nsec = left % 1000 * 1000000;
	}
	cur = ns;
	(void)timerfd_settime(sup->timerfd, 0, &its, NULL);
}

/* Stops every terminal (--stop-terminals), or only starting ones. */
static void
stop_all(struct sup *sup, int everything)
{
	struct term *t, *next;

	for (t = TAILQ_FIRST(&sup->terms); t != NULL; t = next) {
		next = TAILQ_NEXT(t, entry);
		if (term_starting(t))
			term_stop(sup, t, MARK_SPAWN_FAILED, "shutdown");
		else if (everything && t->state == T_ACTIVE)
			term_stop(sup, t, MARK_EXITED, "shutdown");
	}
}

/*
 * SIGHUP: re-reads the configuration. What shapes only what comes next
 * (timeouts, intervals, the terminal command, retention) applies at
 * once; what the running supervisor was built from (cfg.c marks those
 * keys) needs a restart. A file with an error changes nothing.
 */
static void
reload(struct sup *sup)
{
	char err[512];

	if (cfg_reload(&sup->cfg, sup->cfgfile, CFG_SUP, err,
	    sizeof(err)) == -1) {
		log_err("reload: %s; keeping the running configuration", err);
		return;
	}
	sup->next_gc = 0;	/* collect now, then every new interval */
	if (sup->cfg.node_lost_after <= 2 * sup->cfg.gc_interval)
		log_warn("reload: node_lost_after (%d) is not more than twice "
		    "gc_interval (%d): other nodes may take this one for lost",
		    sup->cfg.node_lost_after, sup->cfg.gc_interval);
	log_info("reload: configuration re-read from %s", sup->cfgfile ?
	    sup->cfgfile : "(defaults)");
}

static void
on_signals(struct sup *sup)
{
	struct signalfd_siginfo si;

	while (read(sup->sigfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			if (!sup->quit)
				log_info("stopping on signal %u%s",
				    si.ssi_signo, sup->stop_terminals ?
				    ", terminals too" : "");
			sup->quit = 1;
			stop_all(sup, sup->stop_terminals);
			break;
		case SIGHUP:
			reload(sup);
			break;
		}
	}
	ev_reap(sup);
}

/* The next try of check_db after a failed one, with back-off. */
static void
retry_later(struct sup *sup, int64_t now)
{
	sup->backoff = sup->backoff ? sup->backoff * 2 : 250;
	if (sup->backoff > BACKOFF_MAX)
		sup->backoff = BACKOFF_MAX;
	sup->next_retry = now + sup->backoff;
}

/*
 * Reconnects with back-off; after a new connection, relock and rescan.
 * Until the lock is taken again, db_gen stays behind and the next turn
 * tries again: a database error here is an outage like any other.
 */
static void
check_db(struct sup *sup, int64_t now)
{
	char holder[256];
	int rv;

	if (db_ok(sup->db) && db_generation(sup->db) == sup->db_gen) {
		sup->backoff = 0;
		return;
	}
	if (now < sup->next_retry)
		return;
	if (!db_ok(sup->db) && db_connect(sup->db) == -1) {
		retry_later(sup, now);
		return;
	}
	if ((rv = node_lock(sup->db, sup->cfg.node, holder,
	    sizeof(holder))) == 1) {
		/* Another supervisor took the node: it adopts our terminals. */
		log_err("node %s: lock lost to another supervisor (%s); "
		    "exiting", sup->cfg.node, holder);
		exit(1);
	}
	if (rv == 2) {
		/* Not a supervisor: ours again once it lets go. */
		log_err("node %s: its lock is held by a session that is no "
		    "supervisor's (%s): end it (pg_terminate_backend); "
		    "retrying", sup->cfg.node, holder);
		retry_later(sup, now);
		return;
	}
	if (rv == -1) {
		log_warn("node %s: cannot take the node lock again; retrying",
		    sup->cfg.node);
		retry_later(sup, now);
		return;
	}
	sup->backoff = 0;
	log_info("db: reconnected; reconciling");
	/* The liveness row names the connection that holds the lock now. */
	(void)node_alive(sup->db, &sup->cfg, sup->nterms);
	sup->db_gen = db_generation(sup->db);
	gc_judge_later(sup);
	reconcile_run(sup);
	sup->scan = 1;
}

/*
 * Every statement may have queued notifications that no poll() will
 * announce: drain them, and scan for starting rows until none is left.
 */
static void
settle(struct sup *sup)
{
	struct term *t;

	/* A batch of each session's commands a turn, round the sessions. */
	sup->more = 0;
	TAILQ_FOREACH(t, &sup->terms, entry)
		if (t->dirty && db_ok(sup->db))
			ev_ingest(sup, t, 0);
	for (;;) {
		ev_notifies(sup, 0);
		if (!sup->scan || sup->quit || !db_ok(sup->db))
			return;
		sup->scan = 0;
		spawn_pending(sup);
	}
}

/* Every gc_interval: say we are alive, collect, look again. */
static void
collect(struct sup *sup)
{
	struct term *t;

	(void)node_alive(sup->db, &sup->cfg, sup->nterms);
	TAILQ_FOREACH(t, &sup->terms, entry)
		t->dirty = 1;	/* whatever inotify may have missed */
	gc_run(sup);
	gc_lost_nodes(sup);
	reconcile_run(sup);
	sup->scan = 1;
}

static int
stopping(struct sup *sup)
{
	struct term *t;

	TAILQ_FOREACH(t, &sup->terms, entry)
		if (term_stopping(t))
			return 1;
	return 0;
}

/*
 * The descriptors poll() watches: NFIXED of them (signals, the timer, the
 * database, inotify), then the pidfd of every adopted process (our own
 * children announce their end with SIGCHLD), up to *NPID, then the
 * connection to each holder followed (mon.c). Grows PFD as needed; the
 * count, or -1 when out of memory (then the fixed ones only).
 */
#define NFIXED	4

static int
watched(struct sup *sup, struct pollfd **pfd, size_t *cap, int *npid)
{
	struct pollfd *n;
	struct term *t;
	size_t want = NFIXED + 3 * (size_t)sup->nterms, i = NFIXED;

	*npid = NFIXED;
	if (want > *cap) {
		if ((n = reallocarray(*pfd, want, sizeof(**pfd))) == NULL)
			return *cap >= NFIXED ? NFIXED : -1;
		*pfd = n;
		*cap = want;
	}
	(*pfd)[0] = (struct pollfd){ sup->sigfd, POLLIN, 0 };
	(*pfd)[1] = (struct pollfd){ sup->timerfd, POLLIN, 0 };
	(*pfd)[2] = (struct pollfd){ db_socket(sup->db), POLLIN, 0 };
	(*pfd)[3] = (struct pollfd){ sup->ino, POLLIN, 0 };
	TAILQ_FOREACH(t, &sup->terms, entry) {
		if (!t->backend.child && t->backend.pidfd != -1)
			(*pfd)[i++] = (struct pollfd){ t->backend.pidfd,
			    POLLIN, 0 };
		if (!t->holder.child && t->holder.pidfd != -1)
			(*pfd)[i++] = (struct pollfd){ t->holder.pidfd,
			    POLLIN, 0 };
	}
	*npid = (int)i;
	TAILQ_FOREACH(t, &sup->terms, entry) {
		t->mon_idx = t->mon == -1 ? -1 : (int)i;
		if (t->mon != -1)
			(*pfd)[i++] = (struct pollfd){ t->mon, POLLIN, 0 };
	}
	return (int)i;
}

/* What the holders followed (mon.c) sent, from N pollfds of PFD. */
static void
on_monitors(struct sup *sup, const struct pollfd *pfd, int n)
{
	struct term *t;

	TAILQ_FOREACH(t, &sup->terms, entry)
		if (t->mon != -1 && t->mon_idx >= 0 && t->mon_idx < n &&
		    pfd[t->mon_idx].revents && db_ok(sup->db))
			mon_read(sup, t);
}

/*
 * What inotify says. A session's command file in spool_dir grew: mark
 * its term, whose commands are taken next. A socket appeared in
 * socket_dir (a backend bound its own, a holder renamed its into place):
 * probe the starting terminals now rather than at the next tick, which
 * stays for what no file announces (a backend that binds before it
 * listens, a TCP port).
 */
static void
on_inotify(struct sup *sup)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	char id[TOK_ID_LEN + 1];
	struct term *t;
	int probe = 0;
	ssize_t n;
	char *p;

	while ((n = read(sup->ino, buf, sizeof(buf))) > 0)
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->wd == sup->sock_wd)
				probe = 1;
			if (ev->wd != sup->spool_wd || ev->len == 0 ||
			    sessfile_id(ev->name, SESSFILE_CMDS, id) == -1)
				continue;
			if ((t = term_find(sup, id)) != NULL)
				t->dirty = 1;
		}
	if (probe)
		ev_tick(sup);
}

static void
loop(struct sup *sup)
{
	struct pollfd *pfd = NULL;
	size_t cap = 0;
	uint64_t ticks;
	int64_t now, give_up = 0;
	int i, n, npid;

	while (!sup->quit || (stopping(sup) && clock_ms() < give_up)) {
		title(sup);
		arm_timer(sup);
		mon_sweep(sup);
		if ((n = watched(sup, &pfd, &cap, &npid)) == -1)
			fatal("out of memory");
		if (poll(pfd, n, sup->more ? 0 : -1) == -1 && errno != EINTR)
			log_warn("poll: %s", strerror(errno));
		if (pfd[0].revents & POLLIN) {
			on_signals(sup);
			if (sup->quit && give_up == 0)
				give_up = clock_ms() + 1000LL *
				    (sup->cfg.kill_grace + 2);
		}
		if (pfd[2].revents)
			ev_notifies(sup, 1);
		if (pfd[3].revents & POLLIN)
			on_inotify(sup);
		for (i = NFIXED; i < npid && pfd[i].revents == 0; i++)
			;
		if (i < npid)
			ev_adopted(sup);
		now = clock_ms();
		if (pfd[1].revents & POLLIN) {
			(void)!read(sup->timerfd, &ticks, sizeof(ticks));
			check_db(sup, now);
			ev_tick(sup);
		}
		on_monitors(sup, pfd, n);
		if (!sup->quit && now >= sup->next_gc && db_ok(sup->db)) {
			collect(sup);
			sup->next_gc = now + sup->cfg.gc_interval * 1000LL;
		}
		settle(sup);
	}
	free(pfd);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "stop-terminals", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	static struct sup sup;
	const char *file = NULL;
	int ch, check = 0;

	setproctitle_init(argc, argv, environ);
	log_init("termgate-supervisor");
	while ((ch = getopt_long(argc, argv, "c:t", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 'S':
			sup.stop_terminals = 1;
			break;
		case 't':
			check = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	setup(&sup, cfg_path(file));
	if (check) {
		printf("%s: configuration ok\n", sup.cfgfile ? sup.cfgfile :
		    "(defaults)");
		return 0;
	}
	open_fds(&sup);
	open_db(&sup);
	/* The holders' sockets live there in tcp mode too. */
	make_socket_dir(&sup);
	make_data_dirs(&sup);
	cg_init(&sup);
	log_info("started node=%s backend=%s listen=%s gateway=%s",
	    sup.cfg.node, sup.path, sup.cfg.terminal_listen == TG_LISTEN_TCP ?
	    "tcp" : "unix", sup.cfg.terminal_gateway ? "on" : "off");
	/* From now on we must not die. */
	(void)node_alive(sup.db, &sup.cfg, sup.nterms);
	(void)node_cgroup(sup.db, sup.cfg.node, sup.cg_mode);
	gc_judge_later(&sup);
	reconcile_run(&sup);
	gw_tick(&sup);
	spawn_pending(&sup);
	loop(&sup);
	gw_stop(&sup);
	log_info("stopped; terminals left running=%d", sup.nterms);
	db_free(sup.db);
	return 0;
}
