/*
 * t_cmdrec.c - the command record (cmdrec.c): what is encoded is decoded
 * field for field; text is made storable and cut within the limits; a
 * line or a body that breaks a rule is refused, naming the member.
 */
#include <stdio.h>
#include <string.h>

#include "cmdrec.h"
#include "suites.h"

static char line[CMDREC_LINE_MAX];

/* Encodes R, decodes the line into *OUT; the object to put, or NULL. */
static json_object *
round_trip(const struct cmdrec *r, struct cmdrec *out)
{
	json_object *hold = NULL;
	int n;

	n = cmdrec_encode(r, line, sizeof(line));
	CU_ASSERT_FATAL(n > 0 && line[n - 1] == '\n' &&
	    memchr(line, '\n', (size_t)n - 1) == NULL);
	CU_ASSERT_FATAL(cmdrec_decode(line, (size_t)n - 1, out, &hold) == 0);
	return hold;
}

static void
test_round_trip(void)
{
	struct cmdrec r = { .command = "ls \"a\\b\"\t\x1b[1m", .cwd = "/tmp",
	    .has_exit = 1, .exit_status = -2, .has_started = 1,
	    .started_us = 1700000000123456LL, .has_finished = 1,
	    .finished_us = 1700000001000000LL, .source = CMDREC_TYPED,
	    .has_offset = 1, .offset_us = 2500001 }, g;
	json_object *hold;

	r.command_len = strlen(r.command);
	r.cwd_len = 4;
	hold = round_trip(&r, &g);
	CU_ASSERT(g.command_len == r.command_len &&
	    memcmp(g.command, r.command, r.command_len) == 0);
	CU_ASSERT(g.cwd_len == 4 && memcmp(g.cwd, "/tmp", 4) == 0);
	CU_ASSERT(g.has_exit && g.exit_status == -2);
	CU_ASSERT(g.has_started && g.started_us == r.started_us);
	CU_ASSERT(g.has_finished && g.finished_us == r.finished_us);
	CU_ASSERT(g.source == CMDREC_TYPED);
	CU_ASSERT(g.has_offset && g.offset_us == r.offset_us);
	CU_ASSERT(strstr(line, "\"started_at\": "
	    "\"2023-11-14T22:13:20.123456Z\"") != NULL);
	json_object_put(hold);
	/* Nothing known but the command: every other member null. */
	memset(&r, 0, sizeof(r));
	r.command = "true";
	r.command_len = 4;
	hold = round_trip(&r, &g);
	CU_ASSERT(!g.has_exit && !g.has_started && !g.has_finished &&
	    !g.has_offset && g.cwd == NULL && g.source == CMDREC_SHELL);
	CU_ASSERT(strstr(line, "\"cwd\": null") != NULL);
	json_object_put(hold);
}

/* NUL and stray bytes become U+FFFD; the command is cut at a character;
 * a cwd over the limit is cut at a character and ends in U+2026, so it is
 * kept and visibly not a whole path. */
static void
test_storable(void)
{
	static char big[CMDREC_COMMAND_MAX + 8], cwd[CMDREC_CWD_MAX + 2];
	struct cmdrec r = { 0 }, g;
	json_object *hold;

	r.command = "a\0b\xff\xc3";
	r.command_len = 5;
	hold = round_trip(&r, &g);
	CU_ASSERT(g.command_len == 11 && memcmp(g.command,
	    "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd", 11) == 0);
	json_object_put(hold);
	memset(big, 'x', CMDREC_COMMAND_MAX - 1);
	memcpy(big + CMDREC_COMMAND_MAX - 1, "\xc3\xa9", 2);
	r.command = big;
	r.command_len = CMDREC_COMMAND_MAX + 1;
	memset(cwd, 'd', sizeof(cwd));
	cwd[0] = '/';
	r.cwd = cwd;
	r.cwd_len = CMDREC_CWD_MAX + 1;
	memcpy(cwd + CMDREC_CWD_MAX - 4, "\xc3\xa9", 2);
	hold = round_trip(&r, &g);
	CU_ASSERT(g.command_len == CMDREC_COMMAND_MAX - 1);
	/* 4092 bytes less the é that would straddle the cut, then "…" */
	CU_ASSERT(g.cwd_len == CMDREC_CWD_MAX - 4 + 3 &&
	    memcmp(g.cwd, cwd, CMDREC_CWD_MAX - 4) == 0 &&
	    memcmp(g.cwd + CMDREC_CWD_MAX - 4, "\xe2\x80\xa6", 3) == 0);
	json_object_put(hold);
	memset(cwd, 'd', sizeof(cwd));
	cwd[0] = '/';
	r.cwd_len = CMDREC_CWD_MAX;
	hold = round_trip(&r, &g);
	CU_ASSERT(g.cwd_len == CMDREC_CWD_MAX);
	json_object_put(hold);
	r.command_len = 0;
	CU_ASSERT(cmdrec_encode(&r, line, sizeof(line)) == -1);
}

static void
test_refused(void)
{
	static const struct {
		const char	*json, *field;
	} bad[] = {
		{ "[\"ls\"]", "command" },
		{ "{\"command\": \"\"}", "command" },
		{ "{\"command\": 7}", "command" },
		{ "{\"exit_status\": 0}", "command" },
		{ "{\"command\": \"a\\u0000b\"}", "command" },
		{ "{\"command\": \"ls\", \"exit_status\": \"0\"}", "exit_status" },
		{ "{\"command\": \"ls\", \"exit_status\": 1.5}", "exit_status" },
		{ "{\"command\": \"ls\", \"exit_status\": 99999999999}",
		    "exit_status" },
		{ "{\"command\": \"ls\", \"cwd\": 5}", "cwd" },
		{ "{\"command\": \"ls\", \"cwd\": \"\"}", "cwd" },
		{ "{\"command\": \"ls\", \"started_at\": \"yesterday\"}",
		    "started_at" },
		{ "{\"command\": \"ls\", \"started_at\": \"2026-01-01T00:00:00"
		    "\"}", "started_at" },
		{ "{\"command\": \"ls\", \"started_at\": \"2026-01-01T00:00:01Z"
		    "\", \"finished_at\": \"2026-01-01T00:00:00Z\"}",
		    "finished_at" },
		{ "{\"command\": \"ls\", \"source\": \"api\"}", "source" },
		{ "{\"command\": \"ls\", \"recording_offset\": -1}",
		    "recording_offset" },
		{ "{\"command\": \"ls\", \"recording_offset\": \"1\"}",
		    "recording_offset" },
	};
	struct cmdrec r;
	json_object *o, *hold;
	const char *field;
	char desc[160];
	size_t i;

	for (i = 0; i < T_NELEM(bad); i++) {
		snprintf(desc, sizeof(desc), "refused: %s", bad[i].json);
		o = json_tokener_parse(bad[i].json);
		field = cmdrec_from_json(o, &r);
		T_ASSERT(field != NULL && strcmp(field, bad[i].field) == 0,
		    desc);
		T_ASSERT(cmdrec_decode(bad[i].json, strlen(bad[i].json), &r,
		    &hold) == -1 && hold == NULL, desc);
		json_object_put(o);
	}
	o = json_tokener_parse("{\"command\": \"ls\", \"exit_status\": null,"
	    " \"started_at\": \"2026-01-01T01:00:00+01:00\"}");
	CU_ASSERT(cmdrec_from_json(o, &r) == NULL && !r.has_exit &&
	    r.started_us == 1767225600000000LL && r.source == CMDREC_SHELL);
	json_object_put(o);
	CU_ASSERT_STRING_EQUAL(cmdrec_why("command"),
	    "a string of 1-8192 bytes");
}

/* "by", the grant of who entered it: the line format's alone (a post
 * through the API cannot name one), and only a grant's spelling. */
static void
test_by(void)
{
	static const char g1[] =
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	static const char *const bad[] = {
	    "{\"command\": \"ls\", \"by\": \"ann\"}",
	    "{\"command\": \"ls\", \"by\": 7}",
	    "{\"command\": \"ls\", \"by\": \"0123456789ABCDEF0123456789abcdef"
	    "0123456789abcdef0123456789abcdef\"}",
	};
	struct cmdrec r = { .command = "ls", .command_len = 2, .by = g1 }, g;
	json_object *hold, *o;
	size_t i;

	hold = round_trip(&r, &g);
	CU_ASSERT(g.by != NULL && strcmp(g.by, g1) == 0);
	json_object_put(hold);
	r.by = NULL;
	hold = round_trip(&r, &g);
	CU_ASSERT(g.by == NULL && strstr(line, "\"by\"") == NULL);
	json_object_put(hold);
	r.by = "ann";
	CU_ASSERT(cmdrec_encode(&r, line, sizeof(line)) == -1);
	for (i = 0; i < T_NELEM(bad); i++)
		T_ASSERT(cmdrec_decode(bad[i], strlen(bad[i]), &g, &hold) == -1 &&
		    hold == NULL, bad[i]);
	o = json_tokener_parse("{\"command\": \"ls\", \"by\": \"0123456789"
	    "abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}");
	CU_ASSERT(cmdrec_from_json(o, &g) == NULL && g.by == NULL);
	json_object_put(o);
}

static void
test_sources(void)
{
	enum cmdrec_source s;

	CU_ASSERT(cmdrec_source_parse("typed", &s) == 0 && s == CMDREC_TYPED);
	CU_ASSERT(cmdrec_source_parse("shell", &s) == 0 && s == CMDREC_SHELL);
	CU_ASSERT(cmdrec_source_parse("Shell", &s) == -1);
	CU_ASSERT_STRING_EQUAL(cmdrec_source_name(CMDREC_SOURCE_DEFAULT),
	    "shell");
}

int
suite_cmdrec_register(void)
{
	static const struct t_case tcases[] = {
		{ "a record comes back as written", test_round_trip },
		{ "text is made storable within the limits", test_storable },
		{ "a broken rule names its member", test_refused },
		{ "source names and the default", test_sources },
		{ "who entered it, in the line format only", test_by },
	};

	return t_register("cmdrec", tcases, T_NELEM(tcases));
}
