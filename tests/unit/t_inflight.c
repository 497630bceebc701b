/*
 * t_inflight.c - the table of heavy reads termgate-fcgi's workers share
 * (src/fcgi/inflight.c): a user's share, the workers' share with its
 * reserve, a refusal that claims nothing, a worker killed with -9 in the
 * middle of a read (its claim stands until the master clears it), and
 * forked workers racing for the same limit (never exceeded).
 *
 * The table is mapped once per process; every test leaves each slot it
 * used without a claim. The suite runs last (test_unit.c), so the other
 * suites' handlers see no table at all.
 */
#include <sys/mman.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fcgi/inflight.h"
#include "suites.h"

#define SLOTS	64

static int mapped;

/* The table, mapped once; fatal to the test when mmap fails. */
static void
table(int workers)
{
	if (!mapped) {
		CU_ASSERT_EQUAL_FATAL(inflight_init(SLOTS), 0);
		mapped = 1;
	}
	inflight_workers(workers);
}

static void
leave_all(void)
{
	int i;

	for (i = 0; i < SLOTS; i++)
		inflight_leave(i);
}

static void
test_no_table(void)
{
	/* Before the master maps it (and in every other suite): no limit. */
	if (!mapped)
		CU_ASSERT_EQUAL(inflight_enter(0, "alice", 0), INFLIGHT_OK);
	table(4);
	CU_ASSERT_EQUAL(inflight_enter(-1, "alice", 0), INFLIGHT_OK);
	CU_ASSERT_EQUAL(inflight_enter(SLOTS, "alice", 0), INFLIGHT_OK);
}

/* Reads of distinct users N workers let in at once: all but a quarter,
 * at least one reserved and at least one read. */
static void
test_workers_share(void)
{
	static const struct {
		int	 workers, reads;
		const char *desc;
	} cases[] = {
		{ 1, 1, "1 worker: 1 read (nothing to reserve)" },
		{ 2, 1, "2 workers: 1 read, 1 reserved" },
		{ 3, 2, "3 workers: 2 reads" },
		{ 4, 3, "4 workers: 3 reads" },
		{ 8, 6, "8 workers: 6 reads" },
		{ 10, 8, "10 workers: 8 reads" },
		{ 40, 30, "40 workers: 30 reads" },
	};
	char user[16];
	size_t i;
	int n, rv;

	for (i = 0; i < T_NELEM(cases); i++) {
		table(cases[i].workers);
		for (n = 0; n < SLOTS; n++) {
			snprintf(user, sizeof(user), "u%d", n);
			if ((rv = inflight_enter(n, user, 2)) != INFLIGHT_OK)
				break;
		}
		T_ASSERT(n == cases[i].reads, cases[i].desc);
		T_ASSERT(rv == INFLIGHT_ALL, cases[i].desc);
		/* one read ends: the next comes in */
		inflight_leave(0);
		T_ASSERT(inflight_enter(0, "next", 2) == INFLIGHT_OK,
		    cases[i].desc);
		leave_all();
	}
}

static void
test_user_share(void)
{
	table(16);
	CU_ASSERT_EQUAL(inflight_enter(0, "mallory", 2), INFLIGHT_OK);
	CU_ASSERT_EQUAL(inflight_enter(1, "mallory", 2), INFLIGHT_OK);
	CU_ASSERT_EQUAL(inflight_enter(2, "mallory", 2), INFLIGHT_USER);
	/* The refusal claimed nothing: slot 2 is free for another user, and
	 * mallory has two, not three. */
	CU_ASSERT_EQUAL(inflight_enter(2, "bob", 2), INFLIGHT_OK);
	CU_ASSERT_EQUAL(inflight_enter(3, "Mallory", 2), INFLIGHT_OK);
	CU_ASSERT_EQUAL(inflight_enter(4, "mallory", 2), INFLIGHT_USER);
	inflight_leave(1);
	CU_ASSERT_EQUAL(inflight_enter(4, "mallory", 2), INFLIGHT_OK);
	/* A worker's next read replaces its claim, never adds to it. */
	CU_ASSERT_EQUAL(inflight_enter(4, "mallory", 2), INFLIGHT_OK);
	/* A share of 1. */
	CU_ASSERT_EQUAL(inflight_enter(5, "carol", 1), INFLIGHT_OK);
	CU_ASSERT_EQUAL(inflight_enter(6, "carol", 1), INFLIGHT_USER);
	leave_all();
}

/*
 * A worker killed with -9 in the middle of a read: the table is shared
 * with the processes forked after it was mapped, and the dead worker's
 * claim counts until the master, reaping it, clears its slot.
 */
static void
test_dead_worker(void)
{
	int p[2], status;
	pid_t pid;
	char c;

	table(16);
	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		c = inflight_enter(7, "dave", 1) == INFLIGHT_OK ? 'y' : 'n';
		(void)write(p[1], &c, 1);
		for (;;)
			pause();	/* "reading" until killed */
	}
	CU_ASSERT_FATAL(pid > 0);
	close(p[1]);
	CU_ASSERT_EQUAL(read(p[0], &c, 1), 1);
	CU_ASSERT_EQUAL(c, 'y');
	close(p[0]);
	CU_ASSERT_EQUAL(kill(pid, SIGKILL), 0);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT_TRUE(WIFSIGNALED(status));
	CU_ASSERT_EQUAL(inflight_enter(8, "dave", 1), INFLIGHT_USER);
	CU_ASSERT_EQUAL(inflight_leave(7), 1);	/* the master's reap */
	CU_ASSERT_EQUAL(inflight_leave(7), 0);
	CU_ASSERT_EQUAL(inflight_enter(8, "dave", 1), INFLIGHT_OK);
	leave_all();
}

#define RACERS	6
#define ROUNDS	300

/*
 * RACERS forked workers claim, hold and let go ROUNDS times each, USER
 * (or, when NULL, each a user of its own) under a share of PER_USER; the
 * most inside at once, counted in shared memory, must never pass LIMIT.
 */
static void
race(const char *user, int per_user, int workers, int limit)
{
	atomic_int *sh;
	char own[32];
	int i, r, m, peak, status, failed = 0;
	pid_t pid;

	table(workers);
	sh = mmap(NULL, 2 * sizeof(*sh), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CU_ASSERT_FATAL(sh != MAP_FAILED);
	atomic_init(&sh[0], 0);		/* inside now */
	atomic_init(&sh[1], 0);		/* the most inside */
	for (i = 0; i < RACERS; i++) {
		if ((pid = fork()) == 0) {
			snprintf(own, sizeof(own), "racer%d", i);
			for (r = 0; r < ROUNDS; r++) {
				if (inflight_enter(i, user ? user : own,
				    per_user) != INFLIGHT_OK)
					continue;
				peak = atomic_fetch_add(&sh[0], 1) + 1;
				m = atomic_load(&sh[1]);
				while (peak > m && !atomic_compare_exchange_weak(
				    &sh[1], &m, peak))
					;
				atomic_fetch_sub(&sh[0], 1);
				inflight_leave(i);
			}
			_exit(0);
		}
		CU_ASSERT_FATAL(pid > 0);
	}
	for (i = 0; i < RACERS; i++)
		if (wait(&status) == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			failed = 1;
	CU_ASSERT_FALSE(failed);
	CU_ASSERT(atomic_load(&sh[1]) >= 1);
	CU_ASSERT(atomic_load(&sh[1]) <= limit);
	munmap(sh, 2 * sizeof(*sh));
	leave_all();
}

static void
test_race_one_user(void)
{
	race("erin", 1, 16, 1);
	race("erin", 2, 16, 2);
}

static void
test_race_all_users(void)
{
	race(NULL, 10, 4, 3);		/* 4 workers: 3 reads */
	race(NULL, 10, 2, 1);
}

int
suite_inflight_register(void)
{
	static const struct t_case cases[] = {
		{ "no table, no limit", test_no_table },
		{ "the workers' share and its reserve", test_workers_share },
		{ "a user's share", test_user_share },
		{ "a worker killed mid-read", test_dead_worker },
		{ "racing workers, one user", test_race_one_user },
		{ "racing workers, many users", test_race_all_users },
	};

	return t_register("inflight", cases, T_NELEM(cases));
}
