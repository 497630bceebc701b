/*
 * t_nodeauth.c - unit tests of the nodes' shared credential: what
 * node_secret_file may hold, and that only the exact secret passes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nodeauth.h"
#include "suites.h"

#define S32	"0123456789abcdef0123456789abcdef"

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
	char err[256];

	CU_ASSERT_EQUAL(nodeauth_load("", err, sizeof(err)), 0);
	CU_ASSERT_PTR_NULL(nodeauth_secret());
	/* No secret: nothing passes, not even an empty credential. */
	CU_ASSERT_EQUAL(nodeauth_check(""), 0);
	CU_ASSERT_EQUAL(nodeauth_check(NULL), 0);
}

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
	char err[256];
	size_t i;

	for (i = 0; i < T_NELEM(cases); i++) {
		err[0] = '\0';
		T_ASSERT(load_text(cases[i].text, err, sizeof(err)) == 0,
		    cases[i].text);
		T_ASSERT(nodeauth_secret() != NULL &&
		    strcmp(nodeauth_secret(), cases[i].secret) == 0,
		    cases[i].text);
		T_ASSERT(nodeauth_check(cases[i].secret) == 1, cases[i].text);
	}
}

static void
test_bad(void)
{
	static const char *const cases[] = {
		"", "\n", "short\n", S32 "\x01\n", "0123456789abcdef 0123456789abcdef\n",
	};
	char err[256];
	size_t i;

	for (i = 0; i < T_NELEM(cases); i++) {
		err[0] = '\0';
		T_ASSERT(load_text(cases[i], err, sizeof(err)) == -1,
		    cases[i]);
		T_ASSERT(strstr(err, "printable characters") != NULL, err);
		T_ASSERT(nodeauth_secret() == NULL, cases[i]);
		T_ASSERT(nodeauth_check(cases[i]) == 0, cases[i]);
	}
	CU_ASSERT_EQUAL(nodeauth_load("/nonexistent/node.secret", err,
	    sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/node.secret"));
}

/* Only the exact secret passes: not a prefix, an extension, or a case
 * change. */
static void
test_check(void)
{
	static const char *const wrong[] = {
		"", "0123456789abcdef0123456789abcde",
		S32 "0", "0123456789ABCDEF0123456789abcdef", " " S32,
	};
	char err[256];
	size_t i;

	CU_ASSERT_EQUAL_FATAL(load_text(S32 "\n", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(nodeauth_check(S32), 1);
	CU_ASSERT_EQUAL(nodeauth_check(NULL), 0);
	for (i = 0; i < T_NELEM(wrong); i++)
		T_ASSERT(nodeauth_check(wrong[i]) == 0, wrong[i]);
}

int
suite_nodeauth_register(void)
{
	static const struct t_case cases[] = {
		{ "no node_secret_file: nothing passes", test_none },
		{ "a secret is its first line, trimmed", test_good },
		{ "short, blank or unprintable secrets are refused", test_bad },
		{ "only the exact secret passes", test_check },
	};

	return t_register("nodeauth", cases, T_NELEM(cases));
}
