/*
 * pool.c - the accounts terminals run as (run_as_pool).
 *
 * Without a pool every terminal of the node runs as run_as, and any one
 * of them can reach all the others. With one, each termgate user of the
 * node is leased an account of the pool (PREFIX1 ... PREFIXN) for as
 * long as they have a terminal here: two users never share a uid, and
 * no terminal runs as a daemon (the holders and backends run as run_as).
 * A lease is noted on each session's row (run_uid, run_as), so psql says
 * which uid served whom and when.
 *
 * An account is leased to another user only once nothing of the last
 * one is left: when its last terminal is gone, every process of its uid
 * is killed (a child that becomes the uid and kills -1), and /proc must
 * then show none. What a shell leaves in /tmp, /var/tmp and /dev/shm
 * was never the node's: the holder mounts private ones for each shell
 * (src/pty/runas.c). Its cgroups (cgroup.c) go with it: until they can
 * be removed, the account is not clean. An account the supervisor has
 * not seen clean
 * (every account at start, each one since its last lease) is "dirty"
 * and swept on the timer.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "group.h"
#include "log.h"
#include "proc.h"
#include "sess.h"
#include "sup.h"

#define SWEEP_MS	1000		/* between sweeps of dirty accounts */
#define KILL_TRIES	3

/* Account I (1-based) of the pool into A; fatal when unfit. */
static void
load_one(struct sup *sup, struct acct *a, int i)
{
	const char *pfx = sup->cfg.run_as_pool;
	struct passwd *pw;

	snprintf(a->name, sizeof(a->name), "%s%d", pfx, i);
	if ((pw = getpwnam(a->name)) == NULL)
		fatal("run_as_pool %s: no account %s (of %s1 to %s%d): create "
		    "them (termgate(7), \"Accounts\") or lower "
		    "run_as_pool_size", pfx, a->name, pfx, pfx,
		    sup->cfg.run_as_pool_size);
	if (pw->pw_uid == 0 || pw->pw_uid == sup->uid ||
	    pw->pw_uid == sup->db_uid)
		fatal("run_as_pool account %s has uid %ld, %s's: a terminal "
		    "must never run as it", a->name, (long)pw->pw_uid,
		    pw->pw_uid == 0 ? "root" : pw->pw_uid == sup->uid ?
		    sup->user : sup->cfg.database_os_user);
	if (group_gid_has(pw, sup->gid) || group_gid_has(pw, sup->sock_gid))
		fatal("run_as_pool account %s is in group %s or %s: its "
		    "terminals could reach every session's files or "
		    "sockets", a->name, sup->group, sup->cfg.socket_group);
	a->uid = pw->pw_uid;
	a->gid = pw->pw_gid;
	a->dirty = 1;
}

void
pool_load(struct sup *sup)
{
	int i, j, n = sup->cfg.run_as_pool_size;

	sup->npool = 0;
	if (sup->cfg.run_as_pool[0] == '\0')
		return;
	if (geteuid() != 0 || sup->uid == (uid_t)-1)
		fatal("run_as_pool needs a supervisor started as root, with "
		    "run_as set (the holders' account)");
	if ((sup->pool = calloc((size_t)n, sizeof(*sup->pool))) == NULL)
		fatal("out of memory");
	for (i = 0; i < n; i++) {
		load_one(sup, &sup->pool[i], i + 1);
		for (j = 0; j < i; j++)
			if (sup->pool[j].uid == sup->pool[i].uid)
				fatal("run_as_pool: %s and %s share uid %ld",
				    sup->pool[j].name, sup->pool[i].name,
				    (long)sup->pool[i].uid);
	}
	sup->npool = n;
	log_info("run_as_pool %s1-%s%d: uids %ld-%ld", sup->cfg.run_as_pool,
	    sup->cfg.run_as_pool, n, (long)sup->pool[0].uid,
	    (long)sup->pool[n - 1].uid);
}

/* 1 when a terminal holds account I. */
static int
held(struct sup *sup, int i)
{
	struct term *t;

	TAILQ_FOREACH(t, &sup->terms, entry)
		if (t->acct == i)
			return 1;
	return 0;
}

/* The processes of UID that have not exited (zombies are gone). */
static int
count_procs(uid_t uid)
{
	char buf[2048], *u, *st;
	struct dirent *de;
	long pid, real;
	DIR *d;
	int n = 0;

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if ((pid = strtol(de->d_name, &u, 10)) <= 0 || *u != '\0')
			continue;
		if (proc_read((pid_t)pid, "status", buf, sizeof(buf)) <= 0 ||
		    (u = strstr(buf, "\nUid:")) == NULL)
			continue;
		real = strtol(u + 5, NULL, 10);
		/* "State:\tZ (zombie)" */
		st = strstr(buf, "\nState:");
		if (real == (long)uid && !(st != NULL && (st[8] == 'Z' ||
		    st[8] == 'X')))
			n++;
	}
	closedir(d);
	return n;
}

/* Kills every process of A: a child that becomes A and kills -1. */
static void
kill_all(const struct acct *a)
{
	pid_t pid;

	if ((pid = fork()) == -1) {
		log_warn("run_as_pool %s: fork: %s", a->name, strerror(errno));
		return;
	}
	if (pid == 0) {
		if (setgroups(0, NULL) == 0 && setgid(a->gid) == 0 &&
		    setuid(a->uid) == 0)
			(void)kill(-1, SIGKILL);
		_exit(0);
	}
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		;
}

/* 0 when nothing of A runs any more (killed if need be), else -1. */
static int
clean(struct acct *a)
{
	int i, n = 0;

	for (i = 0; i < KILL_TRIES; i++) {
		if ((n = count_procs(a->uid)) == 0)
			return 0;
		kill_all(a);
	}
	if ((n = count_procs(a->uid)) == 0)
		return 0;
	log_warn("run_as_pool %s (uid %ld): %d processes left after "
	    "SIGKILL; not leased until they are gone", a->name, (long)a->uid,
	    n);
	return -1;
}

void
pool_sweep(struct sup *sup, int now)
{
	int64_t t = clock_ms();
	int i;

	if (sup->npool == 0 || (!now && t < sup->next_sweep))
		return;
	sup->next_sweep = t + SWEEP_MS;
	for (i = 0; i < sup->npool; i++)
		if (sup->pool[i].dirty && !held(sup, i) &&
		    clean(&sup->pool[i]) == 0 &&
		    cg_remove(sup, sup->pool[i].name) == 0) {
			sup->pool[i].dirty = 0;
			sup->pool[i].last_user[0] = '\0';
			log_info("run_as_pool %s: free", sup->pool[i].name);
		}
}

int
pool_pending(struct sup *sup)
{
	int i;

	for (i = 0; i < sup->npool; i++)
		if (sup->pool[i].dirty && !held(sup, i))
			return 1;
	return 0;
}

/*
 * A free account whose last lessee was USER and that was not swept since:
 * theirs again at once (what is left in it is theirs), so a user who
 * closes their last terminal and opens another does not wait for a
 * sweep; or -1.
 */
static int
left_by(struct sup *sup, const char *user)
{
	int i;

	for (i = 0; i < sup->npool; i++)
		if (sup->pool[i].dirty && !held(sup, i) &&
		    strcmp(sup->pool[i].last_user, user) == 0)
			return i;
	return -1;
}

/* A free account that was seen clean, or -1. */
static int
free_one(struct sup *sup)
{
	int i;

	for (i = 0; i < sup->npool; i++)
		if (!sup->pool[i].dirty && !held(sup, i))
			return i;
	return -1;
}

int
pool_lease(struct sup *sup, struct term *t, const char *user)
{
	struct term *o;
	int i = -1;

	TAILQ_FOREACH(o, &sup->terms, entry)
		if (o != t && o->acct >= 0 && strcmp(o->user, user) == 0) {
			i = o->acct;
			break;
		}
	if (i == -1)
		i = left_by(sup, user);
	if (i == -1 && (i = free_one(sup)) == -1) {
		pool_sweep(sup, 1);
		i = free_one(sup);
	}
	if (i == -1)
		return -1;
	t->acct = i;
	strlcpy(t->user, user, sizeof(t->user));
	strlcpy(sup->pool[i].last_user, user, sizeof(sup->pool[i].last_user));
	sup->pool[i].dirty = 1;
	return 0;
}

void
pool_adopt(struct sup *sup, struct term *t, const struct sess_row *r)
{
	int i;

	if (r->user != NULL)
		strlcpy(t->user, r->user, sizeof(t->user));
	for (i = 0; i < sup->npool; i++)
		if ((long)sup->pool[i].uid == r->run_uid) {
			t->acct = i;
			strlcpy(sup->pool[i].last_user, t->user,
			    sizeof(sup->pool[i].last_user));
			sup->pool[i].dirty = 1;
			return;
		}
}
