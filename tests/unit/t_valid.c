/*
 * t_valid.c - unit tests of the checks of outside input.
 *
 * One table per checker, good and bad inputs side by side. The bad rows
 * are what an attacker would send: option injection ("-oProxyCommand"),
 * shell syntax, spaces, wrong lengths and wrong case.
 */
#include <inttypes.h>
#include <stdio.h>

#include "valid.h"
#include "suites.h"

#define H16	"0123456789abcdef"
#define H64	H16 H16 H16 H16
#define A10	"aaaaaaaaaa"
#define A32	A10 A10 A10 "aa"
#define A61	A10 A10 A10 A10 A10 A10 "a"
#define A63	A61 "aa"
#define A64	A63 "a"
#define A128	A64 A64

struct vcase {
	const char	*in;
	int		 want;
};

/* Runs CASES through FN; each row that disagrees is reported by name. */
static void
run(const char *name, int (*fn)(const char *), const struct vcase *cases,
    size_t n)
{
	char desc[160];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(desc, sizeof(desc), "%s(\"%.80s\") should be %d", name,
		    cases[i].in ? cases[i].in : "(null)", cases[i].want);
		T_ASSERT(fn(cases[i].in) == cases[i].want, desc);
	}
}

static const struct vcase session_ids[] = {
	{ H64, 1 },
	{ "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	    1 },
	{ "", 0 },
	{ NULL, 0 },
	{ H16 H16 H16 "0123456789abcde", 0 },		/* 63 */
	{ H64 "0", 0 },					/* 65 */
	{ "0123456789ABCDEF" H16 H16 H16, 0 },		/* uppercase */
	{ "g123456789abcdef" H16 H16 H16, 0 },
	{ " 123456789abcdef" H16 H16 H16, 0 },
	{ H16 H16 H16 "0123456789abcde\n", 0 },
	{ "../../etc/passwd", 0 },
};

static void
test_session_id(void)
{
	run("valid_session_id", valid_session_id, session_ids,
	    T_NELEM(session_ids));
}

static const struct vcase host_ids[] = {
	{ "web-1", 1 },
	{ "a", 1 },
	{ "db.example_1", 1 },
	{ "A-Z.09_", 1 },
	{ A64, 1 },
	{ "", 0 },
	{ NULL, 0 },
	{ A64 "a", 0 },
	{ "-x", 0 },
	{ ".x", 0 },
	{ "a b", 0 },
	{ "a/b", 0 },
	{ "$(x)", 0 },
	{ "a;b", 0 },
	{ "a\nb", 0 },
	{ "h\xc3\xa9", 0 },
};

static void
test_host_id(void)
{
	run("valid_host_id", valid_host_id, host_ids, T_NELEM(host_ids));
}

static const struct vcase addresses[] = {
	{ "example.com", 1 },
	{ "localhost", 1 },
	{ "a", 1 },
	{ "web-01.internal", 1 },
	{ "1host.example", 1 },
	{ "xn--bcher-kva.example", 1 },
	{ A63 ".example", 1 },
	{ A63 "." A63 "." A63 "." A61, 1 },		/* 253 */
	{ "10.0.0.1", 1 },
	{ "255.255.255.255", 1 },
	{ "::1", 1 },
	{ "[::1]", 0 },		/* bare only: see valid.c */
	{ "2001:db8::1", 1 },
	{ "[2001:db8::1]", 0 },
	{ "fe80::1", 1 },
	{ "::ffff:10.0.0.1", 1 },
	{ "", 0 },
	{ NULL, 0 },
	{ "-oProxyCommand=x", 0 },
	{ "-host", 0 },
	{ "host-", 0 },
	{ "a.-b", 0 },
	{ "a b", 0 },
	{ " a", 0 },
	{ "$(x)", 0 },
	{ "`x`", 0 },
	{ "a;b", 0 },
	{ "a|b", 0 },
	{ "a\nb", 0 },
	{ "user@host", 0 },
	{ "host_name", 0 },
	{ "a..b", 0 },
	{ ".a", 0 },
	{ "a.", 0 },
	{ A64 ".example", 0 },
	{ A63 "." A63 "." A63 "." A61 "a", 0 },	/* 254 */
	{ "256.1.1.1", 0 },
	{ "1.2.3", 0 },
	{ "1.2.3.4.5", 0 },
	{ "01.2.3.4", 0 },
	{ "[::1", 0 },
	{ "::1]", 0 },
	{ "[]", 0 },
	{ "::g", 0 },
	{ "fe80::1%eth0", 0 },
	{ "[10.0.0.1]", 0 },
	{ "h\xc3\xa9.example", 0 },
};

static void
test_address(void)
{
	run("valid_address", valid_address, addresses, T_NELEM(addresses));
}

static const struct vcase ssh_users[] = {
	{ "root", 1 },
	{ "_svc", 1 },
	{ "a.b-c_d", 1 },
	{ "User1", 1 },
	{ A32, 1 },
	{ "", 0 },
	{ NULL, 0 },
	{ A32 "a", 0 },
	{ "-oProxyCommand=x", 0 },
	{ "1abc", 0 },
	{ ".x", 0 },
	{ "a b", 0 },
	{ "a@b", 0 },
	{ "$(x)", 0 },
	{ "a;b", 0 },
	{ "a/b", 0 },
	{ "a\n", 0 },
};

static void
test_ssh_user(void)
{
	run("valid_ssh_user", valid_ssh_user, ssh_users, T_NELEM(ssh_users));
}

static const struct vcase usernames[] = {
	{ "alice", 1 },
	{ "alice@example.com", 1 },
	{ "DOMAIN\\user", 1 },
	{ "-x", 1 },
	{ "!~", 1 },
	{ A128, 1 },
	{ "", 0 },
	{ NULL, 0 },
	{ A128 "a", 0 },
	{ "a b", 0 },
	{ " alice", 0 },
	{ "a\tb", 0 },
	{ "a\nb", 0 },
	{ "a\x7f", 0 },
	{ "\xc3\xa9", 0 },
};

static void
test_username(void)
{
	run("valid_username", valid_username, usernames, T_NELEM(usernames));
}


/* RFC 3339: the form, the calendar, and the instant it names. */
static const struct {
	const char	*in;
	int		 want;
	int64_t		 us;
} times[] = {
	{ "1970-01-01T00:00:00Z", 1, 0 },
	{ "2026-11-24T18:41:07Z", 1, 1795545667000000LL },
	{ "2026-11-24t18:41:07z", 1, 1795545667000000LL },
	{ "2026-11-24T18:41:07.5Z", 1, 1795545667500000LL },
	{ "2026-11-24T18:41:07.123456Z", 1, 1795545667123456LL },
	{ "2026-11-24T20:41:07+02:00", 1, 1795545667000000LL },
	{ "2026-11-24T18:11:07-00:30", 1, 1795545667000000LL },
	{ "1969-12-31T23:59:59Z", 1, -1000000 },
	{ "0001-01-01T00:00:00Z", 1, -62135596800000000LL },
	{ "2024-02-29T00:00:00Z", 1, 1709164800000000LL },
	{ "2023-02-29T00:00:00Z", 0, 0 },
	{ "1900-02-29T00:00:00Z", 0, 0 },
	{ "2026-13-01T00:00:00Z", 0, 0 },
	{ "2026-04-31T00:00:00Z", 0, 0 },
	{ "2026-11-24T24:00:00Z", 0, 0 },
	{ "2026-11-24T18:60:00Z", 0, 0 },
	{ "2026-11-24T18:41:60Z", 0, 0 },
	{ "0000-01-01T00:00:00Z", 0, 0 },
	{ "0001-01-01T00:30:00+01:00", 0, 0 },
	{ "0001-01-01T00:30:00-01:00", 1, -62135591400000000LL },
	{ "9999-12-31T23:30:00-01:00", 0, 0 },
	{ "9999-12-31T23:30:00+01:00", 1, 253402295400000000LL },
	{ "2026-11-24 18:41:07Z", 0, 0 },
	{ "2026-11-24T18:41:07", 0, 0 },
	{ "2026-11-24T18:41Z", 0, 0 },
	{ "2026-11-24", 0, 0 },
	{ "2026-11-24T18:41:07.Z", 0, 0 },
	{ "2026-11-24T18:41:07.1234567Z", 0, 0 },
	{ "2026-11-24T18:41:07+0200", 0, 0 },
	{ "2026-11-24T18:41:07+24:00", 0, 0 },
	{ "2026-11-24T18:41:07Z ", 0, 0 },
	{ "+2026-11-24T18:41:07Z", 0, 0 },
	{ "2026-1-24T18:41:07Z", 0, 0 },
	{ "yesterday", 0, 0 },
	{ "", 0, 0 },
	{ NULL, 0, 0 },
};

static void
test_rfc3339(void)
{
	char desc[160];
	int64_t us;
	size_t i;

	for (i = 0; i < T_NELEM(times); i++) {
		us = -42;
		snprintf(desc, sizeof(desc), "valid_rfc3339(\"%s\") should be "
		    "%d, %" PRId64, times[i].in ? times[i].in : "(null)",
		    times[i].want, times[i].us);
		T_ASSERT(valid_rfc3339(times[i].in, &us) == times[i].want,
		    desc);
		if (times[i].want)
			T_ASSERT(us == times[i].us, desc);
	}
}

static const struct vcase utf8[] = {
	{ "ls -la", 1 }, { "", 1 }, { "caf\xc3\xa9", 1 },
	{ "\xe2\x82\xac \xf0\x9f\x98\x80", 1 }, { "\x1b[31m\x07", 1 },
	{ "\xc3", 0 }, { "\xc0\xaf", 0 }, { "\xed\xa0\x80", 0 },
	{ "\xf4\x90\x80\x80", 0 }, { "\xff", 0 }, { "a\x80", 0 },
	{ NULL, 0 },
};

static void
test_utf8(void)
{
	run("valid_utf8", valid_utf8, utf8, T_NELEM(utf8));
}
static void
test_close_note(void)
{
	char big[VALID_NOTE_MAX + 2];

	CU_ASSERT_TRUE(valid_close_note(""));
	CU_ASSERT_TRUE(valid_close_note("disk full, see ticket 9"));
	CU_ASSERT_TRUE(valid_close_note("=cmd|calc \xc3\xa9t\xc3\xa9"));
	CU_ASSERT_FALSE(valid_close_note("a\tb"));
	CU_ASSERT_FALSE(valid_close_note("a\nb"));
	CU_ASSERT_FALSE(valid_close_note("a\x1b[31m"));
	CU_ASSERT_FALSE(valid_close_note("a\x7f"));
	CU_ASSERT_FALSE(valid_close_note("\xc3("));
	memset(big, 'r', VALID_NOTE_MAX);
	big[VALID_NOTE_MAX] = '\0';
	CU_ASSERT_TRUE(valid_close_note(big));
	big[VALID_NOTE_MAX] = 'r';
	big[VALID_NOTE_MAX + 1] = '\0';
	CU_ASSERT_FALSE(valid_close_note(big));
}

int
suite_valid_register(void)
{
	static const struct t_case cases[] = {
		{ "valid_rfc3339", test_rfc3339 },
		{ "valid_utf8", test_utf8 },
		{ "valid_session_id", test_session_id },
		{ "valid_host_id", test_host_id },
		{ "valid_address", test_address },
		{ "valid_ssh_user", test_ssh_user },
		{ "valid_username", test_username },
		{ "valid_close_note", test_close_note },
	};

	return t_register("valid", cases, T_NELEM(cases));
}
