/*
 * inflight.c - the heavy reads (history searches, exports, frequent
 * commands) that termgate-fcgi's workers run right now, seen by all of
 * them: one word per worker in a region the master maps before it forks
 * them, as stats.c does.
 *
 * A search may hold its worker for history_search_timeout, an export for
 * a page of that after another, so a few users' reads could take every
 * worker and leave heartbeats queued until their sessions are collected.
 * Before a worker starts one it claims its word with the caller's key,
 * then counts the claims: beyond history_user_concurrency of the
 * caller's, or beyond the workers less a reserved quarter, it takes the
 * claim back and the request is refused at once.
 *
 * Claim first, count second, with sequentially consistent atomics: of two
 * workers that claim at once, each sees the other's claim, so a limit is
 * never exceeded (at worst both refuse, at the limit's edge). Nothing is
 * locked, so a worker killed anywhere (kill -9 included) holds nothing
 * but its own word, which the master clears when it reaps the worker.
 *
 * A user's key is 64 bits of SHA-256 over a random secret of the master
 * and the name: one user cannot pick a name that shares another's count.
 */
#include <sys/mman.h>

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sha2.h>

#include "inflight.h"

/* A word that takes a lock would take a lock of this process only. */
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2,
    "inflight.c needs lock-free 64-bit atomics in shared memory");

#define SECRET_LEN	32

struct table {
	int			 slots;
	atomic_int		 workers;
	uint8_t			 secret[SECRET_LEN];
	atomic_ullong		 key[];		/* per slot; 0: no read */
};

static struct table *t;

int
inflight_init(int slots)
{
	size_t len = offsetof(struct table, key) +
	    (size_t)slots * sizeof(atomic_ullong);
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	t = p;		/* mmap zeroes it: no slot claims anything */
	t->slots = slots;
	atomic_store(&t->workers, slots);
	arc4random_buf(t->secret, sizeof(t->secret));
	return 0;
}

void
inflight_workers(int n)
{
	if (t != NULL)
		atomic_store(&t->workers, n);
}

/* USER's key: never 0, which marks a slot without a read. */
static unsigned long long
key_of(const char *user)
{
	uint8_t md[SHA256_DIGEST_LENGTH];
	unsigned long long k = 0;
	SHA2_CTX ctx;
	size_t i;

	SHA256Init(&ctx);
	SHA256Update(&ctx, t->secret, sizeof(t->secret));
	SHA256Update(&ctx, (const uint8_t *)user, strlen(user));
	SHA256Final(md, &ctx);
	for (i = 0; i < sizeof(k); i++)
		k = k << 8 | md[i];
	return k != 0 ? k : 1;
}

/* The heavy reads N workers may run at once: all but a quarter of
 * them, and at least one of each. */
static int
share_of(int n)
{
	int reserve = n / 4 > 1 ? n / 4 : 1;

	return n - reserve > 1 ? n - reserve : 1;
}

enum inflight
inflight_enter(int slot, const char *user, int per_user)
{
	unsigned long long k, v;
	int i, mine = 0, all = 0;

	if (t == NULL || slot < 0 || slot >= t->slots)
		return INFLIGHT_OK;
	k = key_of(user);
	atomic_store(&t->key[slot], k);
	for (i = 0; i < t->slots; i++) {
		if ((v = atomic_load(&t->key[i])) == 0)
			continue;
		all++;
		mine += v == k;
	}
	if (mine <= per_user && all <= share_of(atomic_load(&t->workers)))
		return INFLIGHT_OK;
	atomic_store(&t->key[slot], 0);
	return mine > per_user ? INFLIGHT_USER : INFLIGHT_ALL;
}

int
inflight_leave(int slot)
{
	if (t == NULL || slot < 0 || slot >= t->slots)
		return 0;
	return atomic_exchange(&t->key[slot], 0) != 0;
}
