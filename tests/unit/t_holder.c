/*
 * t_holder.c - a session's file names (sessfile.c) and the holder's
 * command line (holder.c): built, parsed back, and recognised on a real
 * termgate-pty hold through /proc.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "holder.h"
#include "sessfile.h"
#include "suites.h"

#define ID	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"

static void
test_paths(void)
{
	static const struct {
		enum sessfile_kind	 k;
		const char		*want;
	} rows[] = {
		{ SESSFILE_SOCK, "/run/s/" ID ".sock" },
		{ SESSFILE_PTY, "/run/s/" ID ".pty" },
		{ SESSFILE_CAST, "/var/rec/" ID ".cast" },
		{ SESSFILE_CMDS, "/var/spool/" ID ".cmds" },
	};
	struct tg_cfg cfg;
	char path[256], id[TOK_ID_LEN + 1];
	size_t i;

	cfg_defaults(&cfg);
	strlcpy(cfg.socket_dir, "/run/s", sizeof(cfg.socket_dir));
	strlcpy(cfg.recording_dir, "/var/rec", sizeof(cfg.recording_dir));
	strlcpy(cfg.spool_dir, "/var/spool", sizeof(cfg.spool_dir));
	for (i = 0; i < T_NELEM(rows); i++) {
		CU_ASSERT_EQUAL(sessfile_path(path, sizeof(path), &cfg,
		    rows[i].k, ID), 0);
		T_ASSERT(strcmp(path, rows[i].want) == 0, rows[i].want);
		/* and back: the file's name gives its id, of its kind only */
		CU_ASSERT_EQUAL(sessfile_id(basename(path), rows[i].k, id),
		    0);
		CU_ASSERT_STRING_EQUAL(id, ID);
		CU_ASSERT_EQUAL(sessfile_id(basename(path),
		    (rows[i].k + 1) % T_NELEM(rows), id), -1);
	}
	CU_ASSERT_EQUAL(sessfile_path(path, 20, &cfg, SESSFILE_SOCK, ID), -1);
	/* the gateway's socket, which no session's file name can be */
	CU_ASSERT_EQUAL(sessfile_gateway(path, sizeof(path), "/run/s"), 0);
	CU_ASSERT_STRING_EQUAL(path, "/run/s/gateway.sock");
	CU_ASSERT_EQUAL(sessfile_id("gateway.sock", SESSFILE_SOCK, id), -1);
	CU_ASSERT_EQUAL(sessfile_gateway(path, 19, "/run/s"), -1);
}

static void
test_bad_names(void)
{
	static const char *const bad[] = { "", ".cmds", ID ".cmd",
	    ID ".cmdsx", ID "0.cmds", ID "_cmds",
	    "0123456789ABCDEF0123456789abcdef"
	    "0123456789abcdef0123456789abcdef.cmds",
	    "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcde.cmds" };
	char id[TOK_ID_LEN + 1];
	size_t i;

	for (i = 0; i < T_NELEM(bad); i++)
		T_ASSERT(sessfile_id(bad[i], SESSFILE_CMDS, id) == -1, bad[i]);
}

/* Builds O's command line and parses it back into P; 0 or -1. */
static int
round_trip(const struct holder_opts *o, struct tg_argv *a,
    struct holder_opts *p)
{
	char err[128];

	if (holder_argv(a, "/usr/sbin/termgate-pty", o) == -1 ||
	    strcmp(a->v[1], "hold") != 0)
		return -1;
	return holder_parse(p, a->n - 2, a->v + 2, err, sizeof(err));
}

static void
test_round_trip(void)
{
	static struct tg_argv a;
	char *cmd[] = { "ssh", "-p", "22", "--", "-s", NULL };
	struct holder_opts o, p;

	holder_defaults(&o);
	o.sock = "/run/s/" ID ".pty";
	o.cast = "/var/rec/" ID ".cast";
	o.cmdfile = "/var/spool/" ID ".cmds";
	o.rate = 300;
	o.capmax = 1 << 24;
	o.maxbytes = 1 << 20;
	o.grace = 0;
	o.cols = 132;
	o.rows = 43;
	o.clients = 4;
	o.argv = cmd;
	o.argc = 5;
	CU_ASSERT_EQUAL_FATAL(round_trip(&o, &a, &p), 0);
	CU_ASSERT_STRING_EQUAL(p.sock, o.sock);
	CU_ASSERT_STRING_EQUAL(p.cast, o.cast);
	CU_ASSERT_STRING_EQUAL(p.cmdfile, o.cmdfile);
	CU_ASSERT_EQUAL(p.rate, 300);
	CU_ASSERT_EQUAL(p.capmax, 1 << 24);
	CU_ASSERT_EQUAL(p.maxbytes, 1 << 20);
	CU_ASSERT_EQUAL(p.grace, 0);
	CU_ASSERT_EQUAL(p.cols, 132);
	CU_ASSERT_EQUAL(p.rows, 43);
	CU_ASSERT_EQUAL(p.clients, 4);
	/* the command after "--", its own "--" and "-s" included */
	CU_ASSERT_EQUAL_FATAL(p.argc, 5);
	CU_ASSERT_STRING_EQUAL(p.argv[3], "--");
	CU_ASSERT_STRING_EQUAL(p.argv[4], "-s");
	CU_ASSERT_PTR_NULL(p.argv[5]);
	CU_ASSERT_PTR_NULL(p.cgroups);
	/* a pool account's shell, its limits and its cgroups */
	o.shell_as = "term1";
	o.hold_as = "termgate-pty";
	o.nproc = 40;
	o.cgroups = "/sys/fs/cgroup/pids/t/term1:/sys/fs/cgroup/memory/t/term1";
	CU_ASSERT_EQUAL_FATAL(round_trip(&o, &a, &p), 0);
	CU_ASSERT_STRING_EQUAL(p.shell_as, o.shell_as);
	CU_ASSERT_STRING_EQUAL(p.hold_as, o.hold_as);
	CU_ASSERT_EQUAL(p.nproc, 40);
	CU_ASSERT_STRING_EQUAL(p.cgroups, o.cgroups);
	o.shell_as = o.hold_as = o.cgroups = NULL;
	o.nproc = 0;
	/* what the supervisor leaves out stays the default */
	o.cast = o.cmdfile = NULL;
	o.rate = 0;
	o.capmax = 0;
	o.cols = 80;
	o.rows = 24;
	o.clients = 0;
	CU_ASSERT_EQUAL_FATAL(round_trip(&o, &a, &p), 0);
	CU_ASSERT_EQUAL(p.clients, 0);
	CU_ASSERT_EQUAL(a.n, 2 + 4 + 1 + 5);
	CU_ASSERT_PTR_NULL(p.cast);
	CU_ASSERT_PTR_NULL(p.cmdfile);
	CU_ASSERT_EQUAL(p.maxbytes, HOLDER_MAXBYTES);
}

static void
test_parse(void)
{
	static const struct {
		const char	*words[10];
		int		 ok;
	} rows[] = {
		{ { "-s", "/x.pty", "--", "sh" }, 1 },
		{ { "-s/x.pty", "-k1", "sh", "-s" }, 1 },
		{ { "-s", "/x.pty", "-W", "0", "--", "sh" }, 0 },
		{ { "-s", "/x.pty", "-W", "1", "--", "sh" }, 0 },
		{ { "-s", "/x.pty", "-W", "2", "--", "sh" }, 1 },
		{ { "-s", "/x.pty", "-H", "501", "--", "sh" }, 0 },
		{ { "-s", "/x.pty", "-m", "1023", "--", "sh" }, 0 },
		{ { "-s", "/x.pty", "-k", "3601", "--", "sh" }, 0 },
		{ { "-s", "/x.pty", "-x", "1", "--", "sh" }, 0 },
		{ { "-s", "/x.pty", "--" }, 0 },
		{ { "-r", "/x.cast", "--", "sh" }, 0 },
		{ { "-s" }, 0 },
		{ { "-s", "/x", "-u", "a", "-U", "b", "-C", "/c", "sh" }, 1 },
		{ { "-s", "/x.pty", "-C", "/c", "--", "sh" }, 0 },
		{ { "-s", "/x.pty", "-c", "64", "--", "sh" }, 1 },
		{ { "-s", "/x.pty", "-c", "65", "--", "sh" }, 0 },
		{ { "-s", "/x.pty", "-c", "-1", "--", "sh" }, 0 },
	};
	struct holder_opts o;
	char err[128];
	size_t i;
	int n;

	for (i = 0; i < T_NELEM(rows); i++) {
		for (n = 0; rows[i].words[n] != NULL; n++)
			;
		err[0] = '\0';
		T_ASSERT((holder_parse(&o, n, (char *const *)rows[i].words,
		    err, sizeof(err)) == 0) == rows[i].ok, rows[i].words[2] ?
		    rows[i].words[2] : rows[i].words[0]);
		T_ASSERT(rows[i].ok || err[0] != '\0', "a refusal says why");
	}
	CU_ASSERT_EQUAL(holder_parse(&o, 4, (char *const *)rows[1].words,
	    err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(o.sock, "/x.pty");
	CU_ASSERT_EQUAL(o.grace, 1);
	CU_ASSERT_EQUAL(o.argc, 2);
}

/* termgate-pty beside this test in the build tree. */
static int
pty_binary(char *out, size_t len)
{
	char self[4096];
	ssize_t n;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return -1;
	self[n] = '\0';
	return snprintf(out, len, "%s/../../src/pty/termgate-pty",
	    dirname(self)) < (int)len ? 0 : -1;
}

/* Waits (5 s at most) for the socket PATH to exist; 0 or -1. */
static int
wait_socket(const char *path)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct stat st;
	int i;

	for (i = 0; i < 500; i++) {
		if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
			return 0;
		nanosleep(&tick, NULL);
	}
	return -1;
}

/* A real holder, started from a command line holder_argv built, is
 * recognised by holder_match; another socket, program or pid is not. */
static void
test_match_real(void)
{
	static struct tg_argv a;
	char dir[] = "/tmp/tg-holder-XXXXXX", sock[256], pty[4096];
	char *cmd[] = { "/bin/cat", NULL };
	struct holder_opts o;
	int status;
	pid_t pid;

	CU_ASSERT_EQUAL_FATAL(pty_binary(pty, sizeof(pty)), 0);
	CU_ASSERT_EQUAL_FATAL(access(pty, X_OK), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_FATAL(sessfile_path_in(sock, sizeof(sock), dir,
	    SESSFILE_PTY, ID) == 0);
	holder_defaults(&o);
	o.sock = sock;
	o.grace = 0;
	o.argv = cmd;
	o.argc = 1;
	CU_ASSERT_EQUAL_FATAL(holder_argv(&a, pty, &o), 0);
	CU_ASSERT_FATAL((pid = fork()) != -1);
	if (pid == 0) {
		(void)freopen("/dev/null", "w", stderr);	/* its log */
		execv(a.v[0], a.v);
		_exit(127);
	}
	CU_ASSERT_EQUAL(wait_socket(sock), 0);
	CU_ASSERT_EQUAL(holder_match(pid, "/usr/sbin/termgate-pty", sock), 1);
	CU_ASSERT_EQUAL(holder_match(pid, "/usr/sbin/termgate-pty",
	    "/run/other.pty"), 0);
	CU_ASSERT_EQUAL(holder_match(pid, "/usr/bin/ttyd", sock), 0);
	CU_ASSERT_EQUAL(holder_match(getpid(), pty, sock), 0);
	CU_ASSERT_EQUAL(holder_match(0, pty, sock), 0);
	kill(pid, SIGTERM);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	(void)unlink(sock);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

/* sessfile_open: a regular file opens; a FIFO (without waiting for a
 * writer), a link and a directory do not. */
static void
test_open(void)
{
	char dir[] = "/tmp/termgate-t_sessfile.XXXXXX", reg[64], fifo[64],
	    lnk[64];
	int fd;

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	snprintf(reg, sizeof(reg), "%s/a.cast", dir);
	snprintf(fifo, sizeof(fifo), "%s/b.cast", dir);
	snprintf(lnk, sizeof(lnk), "%s/c.cast", dir);
	CU_ASSERT_FATAL((fd = open(reg, O_CREAT | O_WRONLY, 0600)) != -1);
	close(fd);
	CU_ASSERT_FATAL(mkfifo(fifo, 0600) == 0);
	CU_ASSERT_FATAL(symlink(reg, lnk) == 0);
	fd = sessfile_open(reg);
	CU_ASSERT(fd != -1);
	if (fd != -1)
		close(fd);
	errno = 0;
	CU_ASSERT(sessfile_open(fifo) == -1 && errno == EINVAL);
	CU_ASSERT(sessfile_open(lnk) == -1 && errno == ELOOP);
	CU_ASSERT(sessfile_open(dir) == -1 && errno == EINVAL);
	CU_ASSERT(sessfile_open("/nonexistent/x.cast") == -1 &&
	    errno == ENOENT);
	unlink(reg);
	unlink(fifo);
	unlink(lnk);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

/* Whether sessfile_mkdir(PATH) fails saying WHY (a part of ERR). */
static int
mkdir_refused(const char *path, const char *why)
{
	char err[512] = "";
	int fd = sessfile_mkdir(path, 0750, (uid_t)-1, (gid_t)-1, err,
	    sizeof(err));

	if (fd != -1)
		close(fd);
	return fd == -1 && strstr(err, why) != NULL;
}

/*
 * A directory of session files, set up by a root supervisor where a
 * terminal's uid may have been first: made with its parents, given its
 * mode through its descriptor; never through a link (which would have
 * root chown what it points to), nor below a directory others may write.
 */
static void
test_mkdir(void)
{
	char dir[] = "/tmp/termgate-t_sessfile.XXXXXX", p[128], q[128];
	char err[512];
	struct stat st;
	int fd;

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	snprintf(p, sizeof(p), "%s/a//b/rec", dir);
	fd = sessfile_mkdir(p, 0750, (uid_t)-1, (gid_t)-1, err, sizeof(err));
	CU_ASSERT(fd != -1 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) &&
	    (st.st_mode & 07777) == 0750);
	if (fd != -1)
		close(fd);
	/* Again: it is there, and that is fine. */
	fd = sessfile_mkdir(p, 0700, (uid_t)-1, (gid_t)-1, err, sizeof(err));
	CU_ASSERT(fd != -1 && stat(p, &st) == 0 && (st.st_mode & 07777) ==
	    0700);
	if (fd != -1)
		close(fd);
	/* A link in its place, or above it: refused, its target untouched. */
	snprintf(q, sizeof(q), "%s/lnk", dir);
	CU_ASSERT_FATAL(symlink(p, q) == 0);
	CU_ASSERT(mkdir_refused(q, "a symbolic link or not a directory"));
	CU_ASSERT(stat(p, &st) == 0 && (st.st_mode & 07777) == 0700);
	snprintf(q, sizeof(q), "%s/lnk/sub", dir);
	CU_ASSERT(mkdir_refused(q, "a symbolic link or not a directory"));
	CU_ASSERT(mkdir_refused("relative/dir", "not an absolute path"));
	snprintf(q, sizeof(q), "%s/a/../a", dir);
	CU_ASSERT(mkdir_refused(q, "a . or .. in the path"));
	/* As root: no parent that others may write, unless sticky. */
	snprintf(q, sizeof(q), "%s/a/b", dir);
	CU_ASSERT_FATAL(chmod(q, 0777) == 0);
	if (geteuid() == 0)
		CU_ASSERT(mkdir_refused(p, "may be written by others"));
	CU_ASSERT_FATAL(chmod(q, 01777) == 0);
	fd = sessfile_mkdir(p, 0750, (uid_t)-1, (gid_t)-1, err, sizeof(err));
	CU_ASSERT(fd != -1);
	if (fd != -1)
		close(fd);
	snprintf(q, sizeof(q), "%s/lnk", dir);
	unlink(q);
	CU_ASSERT_EQUAL(rmdir(p), 0);
	snprintf(q, sizeof(q), "%s/a/b", dir);
	CU_ASSERT_EQUAL(rmdir(q), 0);
	snprintf(q, sizeof(q), "%s/a", dir);
	CU_ASSERT_EQUAL(rmdir(q), 0);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

int
suite_sessfile_register(void)
{
	static const struct t_case cases[] = {
		{ "each file's path, and its id back", test_paths },
		{ "names that are no session's file", test_bad_names },
		{ "only a regular file opens", test_open },
		{ "a directory made safely", test_mkdir },
	};

	return t_register("sessfile", cases, T_NELEM(cases));
}

int
suite_holder_register(void)
{
	static const struct t_case cases[] = {
		{ "built, then parsed back", test_round_trip },
		{ "parse refuses what termgate-pty refuses", test_parse },
		{ "a real running holder is recognised in /proc",
		    test_match_real },
	};

	return t_register("holder", cases, T_NELEM(cases));
}
