/*
 * cgroup.c - a process and a memory limit for each lease of the pool.
 *
 * RLIMIT_NPROC bounds one uid's processes, but nothing bounds its
 * memory, and a fork bomb still fills the node's process table up to
 * that limit. So each pool account, while it is leased, gets a control
 * group of its own with pids.max = terminal_max_procs and a memory limit
 * of terminal_max_memory MiB; the holder puts each shell in it before
 * the shell becomes the account (src/pty/runas.c), and the group is
 * removed when the account is swept clean. Where the cpu controller is
 * there too, the group is one user's share of the CPU, a quarter of a
 * process's weight (CPU_SHARES): however many busy loops one user runs,
 * they weigh less than one process of a daemon while the CPU is
 * contended, and take what is idle. On v1 the holders of the user's
 * terminals, which do the work of their output, join that cpu group
 * too (termgate-pty -G): a flood weighs as one quarter, whole.
 *
 * Where the groups are, found at start:
 *   v2  the supervisor's own cgroup, when pids and memory can be enabled
 *       below it (systemd's Delegate=yes). The supervisor moves itself
 *       to a leaf "supervisor" first: a v2 group with controllers
 *       enabled below it may hold no process.
 *   v1  the "pids" and "memory" hierarchies (the hybrid layout), below
 *       the supervisor's own group of each, in "termgate".
 *   none  RLIMIT_NPROC alone; said at start, and by termgate-admin
 *       doctor through termgate.supervisors.cgroup.
 */
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"
#include "sup.h"

#define CGROUP_MNT		"/sys/fs/cgroup"
#define CGROUP_SUPER_MAGIC	0x27e0eb
#define CGROUP2_SUPER_MAGIC	0x63677270
#define CPU_SHARES		"256"	/* v1, of a process's 1024 */
#define CPU_WEIGHT		"25"	/* v2, of a process's 100 */

/* 1 when PATH is a mount of file system MAGIC. */
static int
is_fs(const char *path, long magic)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && (long)sf.f_type == magic;
}

/* 1 when the comma-separated LIST names CTL (or both are ""). */
static int
names(const char *list, const char *ctl)
{
	size_t n = strlen(ctl);
	const char *p = list;

	if (*ctl == '\0')
		return *list == '\0';
	for (;;) {
		if (strncmp(p, ctl, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		if ((p = strchr(p, ',')) == NULL)
			return 0;
		p++;
	}
}

/*
 * Our group in the hierarchy whose /proc/self/cgroup line has
 * controller CTL ("" for v2's "0::"), into PATH; 0, or -1.
 */
static int
own_group(const char *ctl, char *path, size_t len)
{
	char line[1024], *c, *p;
	FILE *f;
	int rc = -1;

	if ((f = fopen("/proc/self/cgroup", "re")) == NULL)
		return -1;
	while (rc == -1 && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((c = strchr(line, ':')) == NULL ||
		    (p = strchr(c + 1, ':')) == NULL)
			continue;
		*p++ = '\0';
		if (names(c + 1, ctl) &&
		    (size_t)snprintf(path, len, "%s", p) < len)
			rc = 0;
	}
	fclose(f);
	return rc;
}

/* Writes S to DIR/FILE; 0, or -1 with errno. */
static int
put(const char *dir, const char *file, const char *s)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return proc_put(path, s);
}

/* 1 when DIR/cgroup.controllers names both pids and memory. */
static int
has_controllers(const char *dir)
{
	char path[PATH_MAX], buf[512], *w, *save = NULL;
	int have = 0, fd;
	ssize_t n;

	if ((size_t)snprintf(path, sizeof(path), "%s/cgroup.controllers",
	    dir) >= sizeof(path) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (w = strtok_r(buf, " \n", &save); w != NULL;
	    w = strtok_r(NULL, " \n", &save))
		have |= strcmp(w, "pids") == 0 ? 1 :
		    strcmp(w, "memory") == 0 ? 2 : 0;
	return have == 3;
}

/* mkdir DIR, or it is there already; 0, or -1. */
static int
make(const char *dir)
{
	return mkdir(dir, 0755) == -1 && errno != EEXIST ? -1 : 0;
}

/* v2 below our own group, if delegated; 0, or -1. */
static int
try_v2(struct sup *sup)
{
	const char *mnt = is_fs(CGROUP_MNT, CGROUP2_SUPER_MAGIC) ?
	    CGROUP_MNT : CGROUP_MNT "/unified";
	char own[PATH_MAX / 2], base[PATH_MAX], leaf[PATH_MAX + 16];
	char pid[32];

	if (!is_fs(mnt, CGROUP2_SUPER_MAGIC) ||
	    own_group("", own, sizeof(own)) == -1)
		return -1;
	if ((size_t)snprintf(base, sizeof(base), "%s%s", mnt,
	    strcmp(own, "/") == 0 ? "" : own) >= sizeof(sup->cg_dir[0]) ||
	    !has_controllers(base) || access(base, W_OK) == -1)
		return -1;
	snprintf(leaf, sizeof(leaf), "%s/supervisor", base);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	if (make(leaf) == -1 || put(leaf, "cgroup.procs", pid) == -1 ||
	    (put(base, "cgroup.subtree_control", "+pids +memory +cpu") == -1 &&
	    put(base, "cgroup.subtree_control", "+pids +memory") == -1)) {
		log_warn("cgroup v2 %s: %s; terminals get no cgroup", base,
		    strerror(errno));
		return -1;
	}
	strlcpy(sup->cg_dir[0], base, sizeof(sup->cg_dir[0]));
	sup->cg_ndir = 1;
	sup->cg_v2 = 1;
	return 0;
}

/*
 * Hierarchy CTL of v1 as sup->cg_dir[I] ("termgate" below our own group
 * in it, made); 0, or -1 when there is none or it cannot be made.
 */
static int
v1_dir(struct sup *sup, int i, const char *ctl)
{
	char mnt[64], own[PATH_MAX / 2];

	snprintf(mnt, sizeof(mnt), CGROUP_MNT "/%s", ctl);
	if (!is_fs(mnt, CGROUP_SUPER_MAGIC) ||
	    own_group(ctl, own, sizeof(own)) == -1 ||
	    (size_t)snprintf(sup->cg_dir[i], sizeof(sup->cg_dir[i]),
	    "%s%s/termgate", mnt, strcmp(own, "/") == 0 ? "" : own) >=
	    sizeof(sup->cg_dir[i]))
		return -1;
	if (make(sup->cg_dir[i]) == -1) {
		log_warn("cgroup v1 %s: %s", sup->cg_dir[i], strerror(errno));
		return -1;
	}
	return 0;
}

/* v1 "pids" and "memory" (and "cpu" if it is there), in termgate below
 * our own groups; 0, or -1. */
static int
try_v1(struct sup *sup)
{
	if (v1_dir(sup, CG_PIDS, "pids") == -1 ||
	    v1_dir(sup, CG_MEMORY, "memory") == -1)
		return -1;
	/*
	 * v1 weighs a group against its siblings only: "termgate" itself,
	 * a sibling of every daemon's process, is what must weigh little.
	 */
	sup->cg_ndir = v1_dir(sup, CG_CPU, "cpu") == 0 &&
	    put(sup->cg_dir[CG_CPU], "cpu.shares", CPU_SHARES) == 0 ? 3 : 2;
	sup->cg_v2 = 0;
	return 0;
}

void
cg_init(struct sup *sup)
{
	sup->cg_ndir = 0;
	if (sup->npool == 0) {
		strlcpy(sup->cg_mode, "", sizeof(sup->cg_mode));
		return;
	}
	if (try_v2(sup) == 0 || try_v1(sup) == 0) {
		snprintf(sup->cg_mode, sizeof(sup->cg_mode), "%s %s",
		    sup->cg_v2 ? "v2" : "v1", sup->cg_dir[0]);
		log_info("cgroup %s: each account of run_as_pool gets "
		    "pids.max %d and %d MiB of memory", sup->cg_mode,
		    sup->cfg.terminal_max_procs, sup->cfg.terminal_max_memory);
		return;
	}
	strlcpy(sup->cg_mode, "none", sizeof(sup->cg_mode));
	log_warn("no cgroup with pids and memory can be made here (v2 not "
	    "delegated, no v1 hierarchies): terminals are bounded by "
	    "RLIMIT_NPROC alone, and not in memory");
}

/* Group NAME in hierarchy I into PATH. */
static void
group_dir(const struct sup *sup, int i, const char *name, char *path,
    size_t len)
{
	snprintf(path, len, "%s/%s", sup->cg_dir[i], name);
}

/* The limit N (0: none) as the files want it. */
static void
limit_str(long long n, char *s, size_t len)
{
	if (n <= 0)
		snprintf(s, len, "max");
	else
		snprintf(s, len, "%lld", n);
}

/* Sets the limits of group DIR of hierarchy I; 0, or -1. */
static int
set_limits(const struct sup *sup, int i, const char *dir)
{
	long long mem = (long long)sup->cfg.terminal_max_memory << 20;
	char procs[32], bytes[32];

	limit_str(sup->cfg.terminal_max_procs, procs, sizeof(procs));
	limit_str(mem, bytes, sizeof(bytes));
	if (sup->cg_v2)
		return put(dir, "pids.max", procs) == -1 ||
		    put(dir, "memory.max", bytes) == -1 ||
		    /* no swap to spill into where swap is accounted */
		    (put(dir, "memory.swap.max", "0") == -1 &&
		    errno != ENOENT) ||
		    (put(dir, "cpu.weight", CPU_WEIGHT) == -1 &&
		    errno != ENOENT) ? -1 : 0;
	if (i == CG_PIDS)
		return put(dir, "pids.max", procs);
	if (i == CG_CPU)
		return put(dir, "cpu.shares", CPU_SHARES);
	if (mem <= 0)
		return 0;
	if (put(dir, "memory.limit_in_bytes", bytes) == -1)
		return -1;
	if (put(dir, "memory.memsw.limit_in_bytes", bytes) == -1 &&
	    errno != ENOENT)
		return -1;
	return 0;
}

void
cg_cpu(struct sup *sup, const char *name, char *dir, size_t len)
{
	dir[0] = '\0';
	if (!sup->cg_v2 && sup->cg_ndir > CG_CPU)
		group_dir(sup, CG_CPU, name, dir, len);
}

int
cg_make(struct sup *sup, const char *name, char *dirs, size_t len)
{
	char dir[PATH_MAX];
	size_t used = 0;
	int i;

	dirs[0] = '\0';
	for (i = 0; i < sup->cg_ndir; i++) {
		group_dir(sup, i, name, dir, sizeof(dir));
		if (make(dir) == -1 || set_limits(sup, i, dir) == -1) {
			log_warn("cgroup %s: %s", dir, strerror(errno));
			return -1;
		}
		if ((size_t)snprintf(dirs + used, len - used, "%s%s",
		    i > 0 ? ":" : "", dir) >= len - used) {
			log_warn("cgroup %s: path too long", dir);
			return -1;
		}
		used = strlen(dirs);
	}
	return 0;
}

int
cg_remove(struct sup *sup, const char *name)
{
	char dir[PATH_MAX];
	int i, rc = 0;

	for (i = 0; i < sup->cg_ndir; i++) {
		group_dir(sup, i, name, dir, sizeof(dir));
		if (rmdir(dir) == 0 || errno == ENOENT)
			continue;
		/* EBUSY: a zombie not yet reaped; the next sweep */
		if (errno != EBUSY)
			log_warn("cgroup %s: rmdir: %s", dir, strerror(errno));
		rc = -1;
	}
	return rc;
}
