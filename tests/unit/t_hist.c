/*
 * t_hist.c - unit tests of the pure part of the history repository: the
 * opaque keyset cursor, and the literal run a regular expression
 * requires (relit.c). The cursor must round-trip every (time, id) a row
 * can have and refuse everything hist_cursor_encode never writes, since
 * a client hands it back. The run must be one every match contains:
 * tests/db/t_hist.c checks searches with it against PostgreSQL itself.
 * A row's JSON text must be what json-c writes for the same members.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hist.h"
#include "jsonx.h"
#include "relit.h"
#include "tok.h"
#include "suites.h"

static const struct {
	int64_t		 us;
	long long	 id;
} good[] = {
	{ 0, 1 }, { 1795545667123456LL, 42 }, { -1000000, 7 },
	{ -62135596800000000LL, 1 }, { 253402300799999999LL,
	    9223372036854775807LL },
};

/* Raw texts that base64url-encode fine but are no cursor. */
static const char *const bad_raw[] = {
	"", ",", "1", "1,", ",1", "1,0", "1,-5", "x,1", "1,1,1", "1 ,2",
	"+1,2", "1,+2", "1,2 ", "99999999999999999999,1",
	"253402300800000000,1", "1,9223372036854775808",
};

static void
test_cursor_round_trip(void)
{
	char c[HIST_CURSOR_MAX + 1], desc[64];
	int64_t us;
	long long id;
	size_t i;

	for (i = 0; i < T_NELEM(good); i++) {
		snprintf(desc, sizeof(desc), "cursor %zu", i);
		T_ASSERT(hist_cursor_encode(good[i].us, good[i].id, c,
		    sizeof(c)) == 0, desc);
		T_ASSERT(strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
		    "qrstuvwxyz0123456789-_") == strlen(c), desc);
		T_ASSERT(hist_cursor_decode(c, &us, &id) == 0, desc);
		T_ASSERT(us == good[i].us && id == good[i].id, desc);
	}
	CU_ASSERT_EQUAL(hist_cursor_encode(1, 1, c, 4), -1);
}

static void
test_cursor_refused(void)
{
	char c[128];
	int64_t us;
	long long id;
	size_t i;

	for (i = 0; i < T_NELEM(bad_raw); i++) {
		T_ASSERT(tok_base64url(bad_raw[i], strlen(bad_raw[i]), c,
		    sizeof(c)) == 0, bad_raw[i]);
		T_ASSERT(hist_cursor_decode(c, &us, &id) == -1, bad_raw[i]);
	}
	/* Not base64url, padded, too long, a NUL inside. */
	CU_ASSERT_EQUAL(hist_cursor_decode("MSwx=", &us, &id), -1);
	CU_ASSERT_EQUAL(hist_cursor_decode("MS x", &us, &id), -1);
	CU_ASSERT_EQUAL(hist_cursor_decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &us, &id), -1);
	CU_ASSERT_EQUAL(tok_base64url("1\0,2", 4, c, sizeof(c)), 0);
	CU_ASSERT_EQUAL(hist_cursor_decode(c, &us, &id), -1);
}

/* Regular expressions and what each requires: a run, "{a,b}" one of
 * those, "" nothing relit is sure of. */
static const struct {
	const char	*re, *lit;
} lits[] = {
	{ "^git (log|status)", "{git log,git status}" }, { "(?i)NGINX$", "NGINX" },
	{ "restart (nginx|redis)$", "{restart nginx,restart redis}" }, { "\\.conf$", ".conf" },
	{ "^kubectl .* -n prod$", "kubectl " }, { "grep -[a-z]*i", "grep -" },
	/* A group's alternatives, when each is longer than the best run. */
	{ "^(vim|nano) ", "{vim ,nano }" }, { "^(?:vim|nano) ", "{vim ,nano }" },
	{ "a(bcd|efg(h|i)|[|]jkl)", "{bcd,efg,jkl}" },
	{ "x(ab|cd\\|e)", "{xab,xcd|e}" }, { "(vim|nano)", "{vim,nano}" },
	{ "(ab|cde)xyz", "{abxyz,cdexyz}" }, { "(vim|nano)?x", "x" },
	{ "(vim|nano)*x", "x" }, { "(vim|na.o)", "{vim,na}" }, { "(vim|)", "" },
	{ "(?=abc)d", "d" }, { "(?!abc)d", "d" }, { "(a|b|c|d|e|f|g|h|i)", "" },
	{ "(abcd|efgh|ijkl|mnop|qrst|uvwx|yzab|cdef)", "{abcd,efgh,ijkl,mnop,"
	    "qrst,uvwx,yzab,cdef}" },
	/* Plain alternatives: the runs before and after the group belong to
	 * each, but for a character the group's quantifier or the next
	 * character's makes optional or not adjacent. */
	{ "^docker (ps|logs)", "{docker ps,docker logs}" },
	{ "ab(c|d)e?f", "{abc,abd}" }, { "(a|b)\\.c", "{a.c,b.c}" },
	{ "(ab|cd)+x", "{ab,cd}" }, { "ab*(c|d)", "a" }, { "a+(cd|ef)", "{cd,ef}" },
	{ "ab(cd)ef", "abcdef" }, { "(ab|c)x{2}", "{ab,c}" },
	{ "x(vim|)", "x" }, { "(a|b)\\d-cd", "-cd" },
	{ "^(echo|grep) (Café|100%)", "{echo ,grep }" },
	/* A quantifier: the character before it optional, or repeated. */
	{ "abcd?ef", "abc" }, { "abc*", "ab" }, { "abc+de", "abc" },
	{ "ab{2,3}cd", "cd" }, { "ab+?", "ab" }, { "x{2}yz", "yz" },
	/* Alternation at the top: nothing is required. */
	{ "abc|def", "" }, { "((a|b)c)+xyz", "xyz" }, { "a(b|c)", "{ab,ac}" },
	{ "(abc|def)|x", "" },
	/* Escapes: a character, or a class, constraint, code, reference. */
	{ "a\\.b\\*c", "a.b*c" }, { "x\\d+yy", "yy" },
	{ "\\yfoo", "" }, { "ab\\x41cd", "ab" }, { "(a)\\1bc", "a" },
	{ "\\cAbc", "" }, { "a\\\\b", "a\\b" },
	/* Brackets, however they hide a ']' or a ')'. */
	{ "caf[eé]", "caf" }, { "[]abc]def", "def" },
	{ "[[:alpha:]]+end", "end" }, { "[)]ab", "ab" }, { "(a[)])bc", "bc" },
	/* Not ASCII: a run ends there. */
	{ "Café au", "Caf" }, { "日本", "" },
	/* Directors and embedded options. */
	{ "***=a.b|c", "a.b|c" }, { "(?q)a|b", "a|b" }, { "(?x)abc", "" },
	{ "(?b)abc", "" }, { "(?in)abc", "abc" }, { "***:abc", "abc" },
	{ "***abc", "" },
	/* Unfinished: no answer rather than a guess. */
	{ "ab(cd", "" }, { "ab)cd", "" }, { "ab[cd", "" }, { "ab{2", "" },
	{ "", "" }, { "^$", "" },
};

/* R as the table above writes it, in BUF. */
static const char *
required(const struct relit *r, char *buf, size_t len)
{
	int i;

	buf[0] = '\0';
	if (r->n > 1)
		strlcat(buf, "{", len);
	for (i = 0; i < r->n; i++) {
		if (i > 0)
			strlcat(buf, ",", len);
		strlcat(buf, r->text[i], len);
	}
	if (r->n > 1)
		strlcat(buf, "}", len);
	return buf;
}

static void
test_regex_literal(void)
{
	char got[RELIT_ANY * RELIT_MAX], desc[RELIT_ANY * RELIT_MAX + 64];
	struct relit r;
	size_t i;

	for (i = 0; i < T_NELEM(lits); i++) {
		relit_required(lits[i].re, &r);
		required(&r, got, sizeof(got));
		snprintf(desc, sizeof(desc), "re %s: got [%s]", lits[i].re,
		    got);
		T_ASSERT(strcmp(got, lits[i].lit) == 0, desc);
	}
	/* A run longer than a run may be: cut, still required. */
	memset(got, 'a', RELIT_MAX + 10);
	got[RELIT_MAX + 10] = '\0';
	CU_ASSERT_EQUAL(relit_required(got, &r), 1);
	CU_ASSERT_EQUAL(strlen(r.text[0]), RELIT_MAX - 1);
}

/* Regular expressions and the LIKE pattern each match is LIKE: the runs
 * in order, '%' for all else and at each end but an anchored one; ""
 * where it says no more than the run, or there is none. */
static const struct {
	const char	*re, *like;
} likes[] = {
	{ "(?i)NGINX$", "%NGINX" }, { "\\.conf$", "%.conf" },
	{ "^kubectl .* -n prod$", "kubectl % -n prod" },
	{ "grep -[a-z]*i", "%grep -%i%" }, { "^only", "only%" },
	{ "^ls -la /srv/1[0-9]*$", "ls -la /srv/1%" },
	/* An optional character is left out, a repeated one kept once. */
	{ "abcd?ef", "%abc%ef%" }, { "x{2}yz", "%yz%" }, { "^a*b", "%b%" },
	{ "ab+c", "%ab%c%" }, { "ab*$", "%a%" }, { "a\\.?b", "%a%b%" },
	/* LIKE's own characters, escaped. */
	{ "a%b_c\\\\d$", "%a\\%b\\_c\\\\d" }, { "^100% ", "100\\% %" },
	/* Not ASCII, a group, a class: any text. */
	{ "(?i)CAFÉ$", "%CAF%" }, { "^a(b|c)*d$", "a%d" },
	{ "^a\\d-c$", "a%-c" },
	/* Newline-sensitive: ^ and $ may match inside, no anchor. */
	{ "(?n)^abc$", "%abc%" }, { "(?w)^abc$", "%abc%" },
	{ "(?m)^abc", "%abc%" }, { "(?p)abc$", "%abc%" },
	{ "(?i)^abc$", "abc" }, { "***:^abc$", "abc" },
	/* None: a literal, a group's runs, a run and nothing else. */
	{ "***=^abc$", "" }, { "^git (log|status)", "" }, { "ab(cd)ef", "" },
	{ "^$", "" }, { "a|b", "" },
};

static void
test_regex_like(void)
{
	char desc[RELIT_LIKE + 256];
	struct relit r;
	size_t i;

	for (i = 0; i < T_NELEM(likes); i++) {
		relit_required(likes[i].re, &r);
		snprintf(desc, sizeof(desc), "re %s: like [%s]", likes[i].re,
		    r.like);
		T_ASSERT(strcmp(r.like, likes[i].like) == 0, desc);
	}
}

/* R as a tree of json-c objects, member by member: what the API wrote
 * before rows were written as text. */
static json_object *
row_tree(const struct hist_row *r)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(r->id));
	jsonx_add_str(o, "session_id", r->session_id);
	jsonx_add_str(o, "host_id", r->host_id);
	jsonx_add_str(o, "host_name", r->host_name);
	jsonx_add_str(o, "username", r->username);
	jsonx_add_str(o, "command", r->command);
	json_object_object_add(o, "exit_status", r->has_exit ?
	    json_object_new_int(r->exit_status) : NULL);
	jsonx_add_str(o, "cwd", r->cwd);
	jsonx_add_str(o, "started_at", r->started_at);
	jsonx_add_str(o, "finished_at", r->finished_at);
	json_object_object_add(o, "duration_ms", r->has_duration ?
	    json_object_new_int64(r->duration_ms) : NULL);
	jsonx_add_str(o, "source", r->source);
	json_object_object_add(o, "recording_offset", r->has_offset ?
	    json_object_new_double(r->recording_offset) : NULL);
	jsonx_add_str(o, "typed_by", r->typed_by);
	return o;
}

static void
test_row_text(void)
{
	struct hist_row full = { .id = 9223372036854775807LL,
	    .session_id = "abc", .host_id = "web-1", .host_name = "Web \"1\"",
	    .username = "ann", .command = "printf 'a\\tb\\n' | tee /x\n\x1b[0m",
	    .has_exit = 1, .exit_status = -1, .cwd = "/srv/caf\xc3\xa9",
	    .started_at = "2026-12-07T18:00:00Z",
	    .finished_at = "2026-12-07T18:00:01Z", .has_duration = 1,
	    .duration_ms = 1234, .source = "shell", .has_offset = 1,
	    .recording_offset = 3475.501, .typed_by = "bob" };
	struct hist_row bare = { .id = 1, .command = "ls",
	    .started_at = "1970-01-01T00:00:00Z", .has_offset = 1,
	    .recording_offset = 2 };
	const struct hist_row *rows[] = { &full, &bare };
	struct printbuf *pb;
	json_object *o;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		pb = printbuf_new();
		CU_ASSERT_PTR_NOT_NULL_FATAL(pb);
		CU_ASSERT_EQUAL(hist_row_text(rows[i], pb), 0);
		o = row_tree(rows[i]);
		CU_ASSERT_STRING_EQUAL(pb->buf, jsonx_str(o));
		json_object_put(o);
		printbuf_free(pb);
	}
}

int
suite_hist_register(void)
{
	static const struct t_case cases[] = {
		{ "cursor round trip", test_cursor_round_trip },
		{ "cursor refuses what it never wrote", test_cursor_refused },
		{ "a regular expression's required text", test_regex_literal },
		{ "a regular expression's LIKE pattern", test_regex_like },
		{ "a row's JSON text is json-c's", test_row_text },
	};

	return t_register("hist", cases, T_NELEM(cases));
}
