/*
 * t_nodeauth.c - unit tests of the hop's credential: what
 * node_secret_file may hold, that a minted credential passes for its own
 * node and session only, a known answer worked out apart from hmac.c
 * (the contract other implementations, and tests/multinode's openssl,
 * follow), and that every other shape is refused with its reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hmac.h"
#include "nodeauth.h"
#include "suites.h"

#define S32	"0123456789abcdef0123456789abcdef"
#define ID_A	"5555555555555555555555555555555555555555555555555555555555555555"
#define ID_B	"6666666666666666666666666666666666666666666666666666666666666666"
#define NONCE	"00112233445566778899aabbccddeeff"
/* HMAC-SHA256 under S32 of "v1\nnode-a\nID_A\n1700000000\nNONCE", by
 * Python's hmac module. */
#define KNOWN	"v1.1700000000." NONCE ".8e4b8276b64a1ffe650a31f0543a2ebf" \
		"57399c7686c2c1b3ec675095fd33cd0b"

/* Loads TEXT from a temporary file; nodeauth_load's result. */
static int
load_text(const char *text, char *err, size_t errlen)
{
	char path[64];
	FILE *f;
	int fd, rc;

	strlcpy(path, "/tmp/termgate-t_nodeauth.XXXXXX", sizeof(path));
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		return -2;
	fputs(text, f);
	fclose(f);
	rc = nodeauth_load(path, err, errlen);
	unlink(path);
	return rc;
}

static void
test_none(void)
{
	struct nodeauth_cred c;
	char err[256], cred[NODEAUTH_MAX];

	CU_ASSERT_EQUAL(nodeauth_load("", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(nodeauth_loaded(), 0);
	CU_ASSERT_EQUAL(nodeauth_mint("a", ID_A, NULL, 1, cred, sizeof(cred)),
	    -1);
	CU_ASSERT_EQUAL(nodeauth_check(NULL, "a", ID_A, &c), NODEAUTH_ABSENT);
	CU_ASSERT_EQUAL(nodeauth_check("", "a", ID_A, &c), NODEAUTH_ABSENT);
	/* No secret: nothing passes, not even a well-made credential. */
	CU_ASSERT_EQUAL(nodeauth_check(KNOWN, "node-a", ID_A, &c),
	    NODEAUTH_NO_SECRET);
}

/* The MAC of "v1\nTARGET\nID\nEXPIRES\nNONCE" under KEY, in hex. */
static void
want_mac(const char *key, const char *target, const char *id,
    const char *expires, const char *nonce, char out[2 * HMAC_LEN + 1])
{
	char msg[512];
	uint8_t m[HMAC_LEN];
	size_t i;

	snprintf(msg, sizeof(msg), "v1\n%s\n%s\n%s\n%s", target, id, expires,
	    nonce);
	hmac_sha256(key, strlen(key), msg, strlen(msg), m);
	for (i = 0; i < HMAC_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", m[i]);
}

/* The secret is the file's first line, trimmed: a minted credential's
 * MAC is under exactly that, and it passes for its node and session. */
static void
test_good(void)
{
	static const struct {
		const char	*text, *secret;
	} cases[] = {
		{ S32 "\n", S32 },
		{ S32, S32 },
		{ "  " S32 "\t\r\nsecond line\n", S32 },
		{ S32 S32 "!#$%&\n", S32 S32 "!#$%&" },
	};
	struct nodeauth_cred c;
	char err[256], cred[NODEAUTH_MAX], mac[2 * HMAC_LEN + 1];
	char nonce[NODEAUTH_NONCE + 1];
	size_t i;

	for (i = 0; i < T_NELEM(cases); i++) {
		err[0] = '\0';
		T_ASSERT(load_text(cases[i].text, err, sizeof(err)) == 0,
		    cases[i].text);
		T_ASSERT(nodeauth_loaded(), cases[i].text);
		T_ASSERT(nodeauth_mint("node-a", ID_A, NULL, 1700000030, cred,
		    sizeof(cred)) == 0, cases[i].text);
		T_ASSERT(strlen(cred) == 3 + 10 + 1 + 32 + 1 + 64, cred);
		T_ASSERT(strncmp(cred, "v1.1700000030.", 14) == 0, cred);
		memcpy(nonce, cred + 14, NODEAUTH_NONCE);
		nonce[NODEAUTH_NONCE] = '\0';
		want_mac(cases[i].secret, "node-a", ID_A, "1700000030", nonce,
		    mac);
		T_ASSERT(strcmp(cred + 14 + 33, mac) == 0, cases[i].text);
		T_ASSERT(strstr(cred, cases[i].secret) == NULL, cred);
		memset(&c, 0, sizeof(c));
		T_ASSERT(nodeauth_check(cred, "node-a", ID_A, &c) ==
		    NODEAUTH_OK, cred);
		T_ASSERT(c.expires == 1700000030, cred);
		T_ASSERT(strcmp(c.nonce, nonce) == 0, cred);
	}
}

static void
test_bad(void)
{
	static const char *const cases[] = {
		"", "\n", "short\n", S32 "\x01\n", "0123456789abcdef 0123456789abcdef\n",
	};
	struct nodeauth_cred c;
	char err[256];
	size_t i;

	for (i = 0; i < T_NELEM(cases); i++) {
		err[0] = '\0';
		T_ASSERT(load_text(cases[i], err, sizeof(err)) == -1,
		    cases[i]);
		T_ASSERT(strstr(err, "printable characters") != NULL, err);
		T_ASSERT(!nodeauth_loaded(), cases[i]);
		T_ASSERT(nodeauth_check(KNOWN, "node-a", ID_A, &c) ==
		    NODEAUTH_NO_SECRET, cases[i]);
	}
	CU_ASSERT_EQUAL(nodeauth_load("/nonexistent/node.secret", err,
	    sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/node.secret"));
}

/* The known answer passes; each of its parts changed does not. */
static void
test_bound(void)
{
	static const struct {
		const char		*cred, *self, *id;
		enum nodeauth_result	 want;
	} cases[] = {
		{ KNOWN, "node-a", ID_A, NODEAUTH_OK },
		/* another node, another session */
		{ KNOWN, "node-b", ID_A, NODEAUTH_BAD_MAC },
		{ KNOWN, "node-a", ID_B, NODEAUTH_BAD_MAC },
		/* a later expiry, another nonce, another MAC */
		{ "v1.1700000001." NONCE ".8e4b8276b64a1ffe650a31f0543a2ebf"
		    "57399c7686c2c1b3ec675095fd33cd0b", "node-a", ID_A,
		    NODEAUTH_BAD_MAC },
		{ "v1.1700000000.10112233445566778899aabbccddeeff.8e4b8276b6"
		    "4a1ffe650a31f0543a2ebf57399c7686c2c1b3ec675095fd33cd0b",
		    "node-a", ID_A, NODEAUTH_BAD_MAC },
		{ "v1.1700000000." NONCE ".8e4b8276b64a1ffe650a31f0543a2ebf"
		    "57399c7686c2c1b3ec675095fd33cd0c", "node-a", ID_A,
		    NODEAUTH_BAD_MAC },
		/* other forms: the secret itself, another version, upper
		 * case, a leading zero, short or long parts, more after */
		{ S32, "node-a", ID_A, NODEAUTH_MALFORMED },
		{ "v2.1700000000." NONCE ".8e4b8276b64a1ffe650a31f0543a2ebf"
		    "57399c7686c2c1b3ec675095fd33cd0b", "node-a", ID_A,
		    NODEAUTH_MALFORMED },
		{ "v1.1700000000." NONCE ".8E4B8276B64A1FFE650A31F0543A2EBF"
		    "57399C7686C2C1B3EC675095FD33CD0B", "node-a", ID_A,
		    NODEAUTH_MALFORMED },
		{ "v1.01700000000." NONCE ".8e4b8276b64a1ffe650a31f0543a2ebf"
		    "57399c7686c2c1b3ec675095fd33cd0b", "node-a", ID_A,
		    NODEAUTH_MALFORMED },
		{ "v1..." NONCE ".8e4b8276b64a1ffe650a31f0543a2ebf"
		    "57399c7686c2c1b3ec675095fd33cd0b", "node-a", ID_A,
		    NODEAUTH_MALFORMED },
		{ "v1.99999999999999999999." NONCE ".8e4b8276b64a1ffe650a31f0"
		    "543a2ebf57399c7686c2c1b3ec675095fd33cd0b", "node-a", ID_A,
		    NODEAUTH_MALFORMED },
		{ "v1.1700000000.0011223344556677.8e4b8276b64a1ffe650a31f054"
		    "3a2ebf57399c7686c2c1b3ec675095fd33cd0b", "node-a", ID_A,
		    NODEAUTH_MALFORMED },
		{ "v1.1700000000." NONCE ".8e4b8276b64a1ffe650a31f0543a2ebf",
		    "node-a", ID_A, NODEAUTH_MALFORMED },
		{ KNOWN "0", "node-a", ID_A, NODEAUTH_MALFORMED },
		{ KNOWN " ", "node-a", ID_A, NODEAUTH_MALFORMED },
		{ "v1.1700000000." NONCE, "node-a", ID_A,
		    NODEAUTH_MALFORMED },
	};
	struct nodeauth_cred c;
	char err[256];
	size_t i;

	CU_ASSERT_EQUAL_FATAL(load_text(S32 "\n", err, sizeof(err)), 0);
	for (i = 0; i < T_NELEM(cases); i++)
		T_ASSERT(nodeauth_check(cases[i].cred, cases[i].self,
		    cases[i].id, &c) == cases[i].want, cases[i].cred);
	CU_ASSERT_EQUAL(load_text(S32 "0\n", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(nodeauth_check(KNOWN, "node-a", ID_A, &c),
	    NODEAUTH_BAD_MAC);
}

/* Each credential has a nonce of its own. */
static void
test_nonce(void)
{
	char err[256], a[NODEAUTH_MAX], b[NODEAUTH_MAX];

	CU_ASSERT_EQUAL_FATAL(load_text(S32 "\n", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(nodeauth_mint("a", ID_A, NULL, 5, a, sizeof(a)), 0);
	CU_ASSERT_EQUAL(nodeauth_mint("a", ID_A, NULL, 5, b, sizeof(b)), 0);
	CU_ASSERT(strncmp(a, b, 5 + NODEAUTH_NONCE) != 0);
	/* Too small a buffer: refused, not cut. */
	CU_ASSERT_EQUAL(nodeauth_mint("a", ID_A, NULL, 5, a, 40), -1);
}

#define G_A	"7777777777777777777777777777777777777777777777777777777777777777"

/* A shared client's hop: "v2.EXPIRES.NONCE.GRANT.MAC", the MAC over the
 * grant too, so that the grant cannot be swapped or dropped. */
static void
test_grant(void)
{
	struct nodeauth_cred c;
	char err[256], cred[NODEAUTH_MAX], v1[NODEAUTH_MAX], msg[512];
	char nonce[NODEAUTH_NONCE + 1], mac[2 * HMAC_LEN + 1];
	uint8_t m[HMAC_LEN];
	size_t i;

	CU_ASSERT_EQUAL_FATAL(load_text(S32 "\n", err, sizeof(err)), 0);
	CU_ASSERT_FATAL(nodeauth_mint("node-a", ID_A, G_A, 1700000030, cred,
	    sizeof(cred)) == 0);
	CU_ASSERT(strlen(cred) == 3 + 10 + 1 + 32 + 1 + 64 + 1 + 64);
	CU_ASSERT(strncmp(cred, "v2.1700000030.", 14) == 0);
	memcpy(nonce, cred + 14, NODEAUTH_NONCE);
	nonce[NODEAUTH_NONCE] = '\0';
	CU_ASSERT(strncmp(cred + 14 + 33, G_A ".", 65) == 0);
	snprintf(msg, sizeof(msg), "v2\nnode-a\n%s\n1700000030\n%s\n%s",
	    ID_A, nonce, G_A);
	hmac_sha256(S32, strlen(S32), msg, strlen(msg), m);
	for (i = 0; i < HMAC_LEN; i++)
		snprintf(mac + 2 * i, 3, "%02x", m[i]);
	CU_ASSERT_STRING_EQUAL(cred + 14 + 33 + 65, mac);
	memset(&c, 0, sizeof(c));
	CU_ASSERT(nodeauth_check(cred, "node-a", ID_A, &c) == NODEAUTH_OK &&
	    strcmp(c.grant, G_A) == 0 && c.expires == 1700000030);
	/* the grant dropped (a v1 credential of the same parts) */
	snprintf(v1, sizeof(v1), "v1.1700000030.%s.%s", nonce, mac);
	CU_ASSERT_EQUAL(nodeauth_check(v1, "node-a", ID_A, &c),
	    NODEAUTH_BAD_MAC);
	/* another grant in its place */
	cred[14 + 33] = '8';
	CU_ASSERT_EQUAL(nodeauth_check(cred, "node-a", ID_A, &c),
	    NODEAUTH_BAD_MAC);
	/* a grant that is none */
	cred[14 + 33] = 'x';
	CU_ASSERT_EQUAL(nodeauth_check(cred, "node-a", ID_A, &c),
	    NODEAUTH_MALFORMED);
	CU_ASSERT_EQUAL(nodeauth_mint("node-a", ID_A, "7777", 1, cred,
	    sizeof(cred)), -1);
	/* the owner's: v1, no grant */
	CU_ASSERT_FATAL(nodeauth_mint("node-a", ID_A, NULL, 1700000030, cred,
	    sizeof(cred)) == 0);
	memset(&c, 0, sizeof(c));
	CU_ASSERT(nodeauth_check(cred, "node-a", ID_A, &c) == NODEAUTH_OK &&
	    c.grant[0] == '\0');
}

static void
test_why(void)
{
	CU_ASSERT_PTR_NOT_NULL(strstr(nodeauth_why(NODEAUTH_BAD_MAC), "MAC"));
	CU_ASSERT_PTR_NOT_NULL(strstr(nodeauth_why(NODEAUTH_NO_SECRET),
	    "node_secret_file"));
	CU_ASSERT_STRING_EQUAL(nodeauth_why((enum nodeauth_result)99), "?");
}

int
suite_nodeauth_register(void)
{
	static const struct t_case cases[] = {
		{ "no node_secret_file: nothing passes", test_none },
		{ "a secret is its first line, trimmed; a minted credential "
		    "passes", test_good },
		{ "short, blank or unprintable secrets are refused", test_bad },
		{ "bound to its node, session, expiry and nonce", test_bound },
		{ "each credential has a nonce of its own", test_nonce },
		{ "a shared client's carries its grant, under the MAC",
		    test_grant },
		{ "every result has words for the log", test_why },
	};

	return t_register("nodeauth", cases, T_NELEM(cases));
}
