/*
 * doctor_iso.c - termgate-admin doctor's checks of what keeps terminals
 * apart (termgate(7), "Accounts"): the pool's accounts exist, share no
 * uid with a daemon or nginx and are used by nothing but terminals; the
 * directories terminals could reach are owned and moded as the
 * supervisor makes them, below parents only root may write; nothing but
 * nginx runs as nginx's user; and the node's terminals have a cgroup, or
 * the operator knows they have none. doctor.c and doctor_host.c call
 * it; its lines go through doctor_line.c.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "db.h"
#include "doctor.h"
#include "doctor_iso.h"
#include "group.h"
#include "node.h"
#include "proc.h"

#define POOL_MAX	10000	/* run_as_pool_size's own bound */

/* One process of /proc: what its status says. */
struct pinfo {
	long	 pid, ppid;
	uid_t	 uid;
	char	 name[32];	/* comm: at most 15 bytes */
};

/* PID's status into P; 0, or -1 when it is gone. */
static int
pinfo(long pid, struct pinfo *p)
{
	char buf[2048], *s;

	if (proc_read((pid_t)pid, "status", buf, sizeof(buf)) <= 0)
		return -1;
	p->pid = pid;
	p->name[0] = '\0';
	if ((s = strstr(buf, "Name:\t")) != NULL)
		sscanf(s + 6, "%31[^\n]", p->name);
	p->ppid = (s = strstr(buf, "\nPPid:")) != NULL ?
	    strtol(s + 6, NULL, 10) : 0;
	p->uid = (s = strstr(buf, "\nUid:")) != NULL ?
	    (uid_t)strtol(s + 5, NULL, 10) : (uid_t)-1;
	return 0;
}

/* Calls FN on every process; stops early when FN returns non-zero. */
static void
each_proc(int (*fn)(void *, const struct pinfo *), void *arg)
{
	struct dirent *de;
	struct pinfo p;
	char *end;
	long pid;
	DIR *d;

	if ((d = opendir("/proc")) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		pid = strtol(de->d_name, &end, 10);
		if (pid > 0 && *end == '\0' && pinfo(pid, &p) == 0 &&
		    fn(arg, &p) != 0)
			break;
	}
	closedir(d);
}

/* 1 when P descends from a termgate-pty holder or a supervisor. */
static int
in_terminal(const struct pinfo *p)
{
	struct pinfo a = *p;
	int hops;

	for (hops = 0; hops < 64 && a.ppid > 1; hops++) {
		if (pinfo(a.ppid, &a) == -1)
			return 0;
		/* comm is cut to 15 bytes: "termgate-superv" */
		if (strcmp(a.name, "termgate-pty") == 0 ||
		    strncmp(a.name, "termgate-super", 14) == 0)
			return 1;
	}
	return 0;
}

/* The uid of the first process named NAME, or -1. */
struct by_name {
	const char	*name;
	uid_t		 uid;
};

static int
find_name(void *arg, const struct pinfo *p)
{
	struct by_name *b = arg;

	if (strcmp(p->name, b->name) != 0)
		return 0;
	b->uid = p->uid;
	return 1;
}

static uid_t
uid_of_process(const char *name)
{
	struct by_name b = { name, (uid_t)-1 };

	each_proc(find_name, &b);
	return b.uid;
}

static uid_t
uid_of_user(const char *name)
{
	struct passwd *pw;

	return name[0] != '\0' && (pw = getpwnam(name)) != NULL ?
	    pw->pw_uid : (uid_t)-1;
}

/* The daemons a pool account must not be, by uid, and the groups it
 * must not be in. */
struct daemons {
	uid_t		 uid[5];
	const char	*who[5];
	gid_t		 gid[2];	/* socket_group's, run_as's */
};

static void
daemons(struct doctor *d, const char *nginx, struct daemons *dm)
{
	const struct tg_cfg *cfg = &d->a->cfg;
	struct passwd *pw;
	struct group *gr;

	dm->uid[0] = 0, dm->who[0] = "root";
	dm->uid[1] = uid_of_user(cfg->run_as), dm->who[1] = "run_as";
	dm->uid[2] = uid_of_user(cfg->database_os_user);
	dm->who[2] = "database_os_user";
	dm->uid[3] = uid_of_process("termgate-fcgi");
	dm->who[3] = "termgate-fcgi";
	dm->uid[4] = uid_of_user(nginx), dm->who[4] = "nginx's user";
	gr = getgrnam(cfg->socket_group);
	dm->gid[0] = gr != NULL ? gr->gr_gid : (gid_t)-1;
	pw = cfg->run_as[0] != '\0' ? getpwnam(cfg->run_as) : NULL;
	dm->gid[1] = pw != NULL ? pw->pw_gid : (gid_t)-1;
}

/* What is wrong with pool account NAME into WHY (LEN), or 0. */
static int
account_wrong(const char *name, const struct daemons *dm, char *why,
    size_t len)
{
	struct passwd *pw;
	struct stat st;
	size_t i;

	if ((pw = getpwnam(name)) == NULL)
		return snprintf(why, len, "%s does not exist", name);
	for (i = 0; i < sizeof(dm->uid) / sizeof(dm->uid[0]); i++)
		if (dm->uid[i] != (uid_t)-1 && pw->pw_uid == dm->uid[i])
			return snprintf(why, len, "%s has uid %ld, the uid of "
			    "%s", name, (long)pw->pw_uid, dm->who[i]);
	for (i = 0; i < sizeof(dm->gid) / sizeof(dm->gid[0]); i++)
		if (dm->gid[i] != (gid_t)-1 && group_gid_has(pw, dm->gid[i]))
			return snprintf(why, len, "%s is in %s", name, i == 0 ?
			    "socket_group" : "run_as's group");
	if (stat(pw->pw_dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	    st.st_uid == pw->pw_uid)
		return snprintf(why, len, "%s has a home of its own (%s): it "
		    "outlives a lease, and the next user finds the last "
		    "one's files there", name, pw->pw_dir);
	return 0;
}

/* The pool's uids, for the process check: a sorted array. */
struct pool_uids {
	uid_t	 uid[POOL_MAX];
	int	 n;
	long	 stray;		/* a process outside any terminal, or 0 */
	uid_t	 stray_uid;
	char	 stray_name[32];
};

static int
in_pool(const struct pool_uids *pu, uid_t uid)
{
	int i;

	for (i = 0; i < pu->n; i++)
		if (pu->uid[i] == uid)
			return 1;
	return 0;
}

static int
find_stray(void *arg, const struct pinfo *p)
{
	struct pool_uids *pu = arg;

	if (!in_pool(pu, p->uid) || in_terminal(p))
		return 0;
	pu->stray = p->pid;
	pu->stray_uid = p->uid;
	strlcpy(pu->stray_name, p->name, sizeof(pu->stray_name));
	return 1;
}

static void
check_pool(struct doctor *d, const char *nginx)
{
	const struct tg_cfg *cfg = &d->a->cfg;
	static struct pool_uids pu;
	struct daemons dm;
	char name[64], why[512], fix[512];
	struct passwd *pw;
	int i, bad = 0;

	if (cfg->run_as_pool[0] == '\0') {
		doctor_warn(d, "accounts", "set run_as_pool (termgate(7), "
		    "\"Accounts\") unless every user may act as every other",
		    "no run_as_pool: every terminal of the node runs as %s, "
		    "and any one of them can reach the others", cfg->run_as[0]
		    != '\0' ? cfg->run_as : "the supervisor's user");
		return;
	}
	daemons(d, nginx, &dm);
	snprintf(fix, sizeof(fix), "make the accounts as termgate(7), "
	    "\"Accounts\" says (make-accounts %d), each with no home and "
	    "in no group of termgate's", cfg->run_as_pool_size);
	pu.n = 0;
	for (i = 1; i <= cfg->run_as_pool_size; i++) {
		snprintf(name, sizeof(name), "%s%d", cfg->run_as_pool, i);
		if (account_wrong(name, &dm, why, sizeof(why)) != 0) {
			doctor_line(d, "accounts", 0, fix, "run_as_pool: %s",
			    why);
			bad++;
		} else if ((pw = getpwnam(name)) != NULL) {
			if (in_pool(&pu, pw->pw_uid)) {
				doctor_line(d, "accounts", 0, fix, "run_as_pool: "
				    "%s shares uid %ld with another account",
				    name, (long)pw->pw_uid);
				bad++;
			}
			pu.uid[pu.n++] = pw->pw_uid;
		}
	}
	if (bad == 0)
		doctor_line(d, "accounts", 1, NULL, "run_as_pool %s1-%s%d: "
		    "each its own uid, none a daemon's or nginx's",
		    cfg->run_as_pool, cfg->run_as_pool, cfg->run_as_pool_size);
	pu.stray = 0;
	each_proc(find_stray, &pu);
	if (pu.stray != 0) {
		pw = getpwuid(pu.stray_uid);
		doctor_line(d, "accounts", 0, "stop it, and give whatever "
		    "started it an account of its own: an account of the pool "
		    "is each user's in turn", "pid %ld (%s) runs as %s, an "
		    "account of run_as_pool, outside any terminal", pu.stray,
		    pu.stray_name, pw != NULL ? pw->pw_name : "?");
	}
}

/*
 * DIR's parents are root's and written by nobody else (but with the
 * sticky bit); 0, or -1 with the first that is not into BAD.
 */
static int
parents_ok(const char *dir, char *bad, size_t len)
{
	char path[4096], *slash;
	struct stat st;

	strlcpy(path, dir, sizeof(path));
	while ((slash = strrchr(path, '/')) != NULL) {
		slash[slash == path ? 1 : 0] = '\0';
		if (stat(path, &st) == 0 && (st.st_uid != 0 ||
		    ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
		    !(st.st_mode & S_ISVTX)))) {
			strlcpy(bad, path, len);
			return -1;
		}
		if (slash == path)
			break;
	}
	return 0;
}

/* DIR is OWNER's with MODE exactly, below trusted parents. */
static void
check_dir(struct doctor *d, const char *key, const char *dir,
    const char *owner, mode_t mode)
{
	struct passwd *pw = getpwnam(owner);
	char fix[512], bad[4096];
	struct stat st;

	snprintf(fix, sizeof(fix), "restart termgate-supervisor, which "
	    "makes %s %s's, mode %04o; its parents must be root's and "
	    "written by nobody else", key, owner, (unsigned)mode);
	if (stat(dir, &st) == -1) {
		doctor_line(d, "directories", 0, fix, "%s %s: %s", key, dir,
		    strerror(errno));
		return;
	}
	if (pw == NULL || st.st_uid != pw->pw_uid ||
	    (st.st_mode & 07777) != mode) {
		pw = getpwuid(st.st_uid);
		doctor_line(d, "directories", 0, fix, "%s %s: owner %s, mode "
		    "%04o; want %s, %04o", key, dir, pw != NULL ? pw->pw_name :
		    "?", (unsigned)(st.st_mode & 07777), owner,
		    (unsigned)mode);
		return;
	}
	if (parents_ok(dir, bad, sizeof(bad)) == -1) {
		doctor_line(d, "directories", 0, fix, "%s %s: its parent %s "
		    "is not root's, or others may write it: whoever may could "
		    "swap the directory", key, dir, bad);
		return;
	}
	doctor_line(d, "directories", 1, NULL, "%s %s: %s's, %04o, below "
	    "root's", key, dir, owner, (unsigned)mode);
}

static void
check_dirs(struct doctor *d)
{
	const struct tg_cfg *cfg = &d->a->cfg;
	char bad[4096];

	/* Without run_as nobody but the supervisor's user is involved. */
	if (cfg->run_as[0] == '\0')
		return;
	if (cfg->recording)
		check_dir(d, "recording_dir", cfg->recording_dir, cfg->run_as,
		    0750);
	if (cfg->capture)
		check_dir(d, "spool_dir", cfg->spool_dir, cfg->run_as, 0700);
	if (parents_ok(cfg->socket_dir, bad, sizeof(bad)) == -1)
		doctor_line(d, "directories", 0, "make it root's, mode 0755",
		    "socket_dir %s: its parent %s is not root's, or others "
		    "may write it", cfg->socket_dir, bad);
}

/* Processes that run as nginx's user but are not nginx. */
struct nginx_others {
	uid_t	 uid;
	int	 n;
	long	 pid;
	char	 name[32];
};

static int
find_other(void *arg, const struct pinfo *p)
{
	struct nginx_others *o = arg;

	if (p->uid != o->uid || strcmp(p->name, "nginx") == 0)
		return 0;
	if (o->n++ == 0) {
		o->pid = p->pid;
		strlcpy(o->name, p->name, sizeof(o->name));
	}
	return 0;
}

static void
check_nginx_alone(struct doctor *d, const char *nginx)
{
	const char *g = d->a->cfg.socket_group;
	struct nginx_others o = { .uid = uid_of_user(nginx) };
	struct passwd *pw;
	struct group *gr;

	if (o.uid == (uid_t)-1)
		return;
	if (o.uid == 0) {
		doctor_warn(d, "nginx", "give nginx's workers an unprivileged "
		    "user of their own (its user directive)", "nginx's "
		    "workers run as root: whatever takes one of them over has "
		    "the node");
		return;
	}
	each_proc(find_other, &o);
	if (o.n > 0)
		doctor_warn(d, "nginx", "run them as a user of their own (a "
		    "PHP-FPM pool's user =), or give nginx one",
		    "%d process(es) other than nginx run as its user %s, the "
		    "first pid %ld (%s): they can reach the API's socket and "
		    "every terminal's", o.n, nginx, o.pid, o.name);
	else if ((pw = getpwnam(nginx)) != NULL &&
	    (gr = getgrnam(g)) != NULL && gr->gr_gid == pw->pw_gid)
		doctor_warn(d, "nginx", "make a group only nginx's user is "
		    "in (termgate-web: make-accounts) and set socket_group "
		    "to it", "socket_group %s is the own group of %s, which "
		    "other daemons share on Debian (PHP-FPM)", g, nginx);
	else
		doctor_line(d, "nginx", 1, NULL, "nothing but nginx runs as "
		    "%s", nginx);
}

void
doctor_iso_host(struct doctor *d, const char *nginx)
{
	check_pool(d, nginx);
	check_dirs(d);
	check_nginx_alone(d, nginx);
}

void
doctor_iso_db(struct doctor *d, struct tg_db *db)
{
	const struct tg_cfg *cfg = &d->a->cfg;
	char mode[300];

	if (cfg->run_as_pool[0] == '\0' ||
	    node_cgroup_get(db, cfg->node, mode, sizeof(mode)) == -1 ||
	    mode[0] == '\0')
		return;
	if (strcmp(mode, "none") == 0)
		doctor_warn(d, "cgroup", "run it under systemd with the "
		    "unit's Delegate=yes (cgroup v2), or where the v1 pids "
		    "and memory hierarchies are mounted",
		    "node %s: no cgroup could be made; RLIMIT_NPROC alone "
		    "bounds its terminals, and nothing their memory",
		    cfg->node);
	else
		doctor_line(d, "cgroup", 1, NULL, "node %s: each account's "
		    "terminals in a cgroup of their own (%s), at most %d "
		    "processes and %d MiB", cfg->node, mode,
		    cfg->terminal_max_procs, cfg->terminal_max_memory);
}
