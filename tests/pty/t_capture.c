/*
 * t_capture.c - unit tests of the command capture (capture.c).
 *
 * Output goes through a real screen model that capture watches, input
 * through capture_input, exactly as the holder passes them; the command
 * file is then read back and every record parsed as JSON. The typed
 * table pins the line-editing rules and when a typed line must not be
 * recorded (hidden input, the alternate screen, a raw-mode line the
 * screen does not show); the marks table pins how 133/633/7 sequences
 * become records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "cmdrec.h"
#include "jsonx.h"
#include "screen.h"
#include "suites.h"

#define EC	(CAPTURE_ECHO | CAPTURE_CANON)
#define RAW	0			/* readline, zle: -ECHO -ICANON */
#define HIDDEN	CAPTURE_CANON		/* read -s, getpass: -ECHO */

struct fx {
	char			 path[64];
	struct capture		*c;
	struct screen		*s;
	struct capture_time	 t;
	json_object		*rec[8];
	int			 n;
	const char		*by;	/* the typing client's grant */
};

static int
fx_open(struct fx *f, int cols)
{
	memset(f, 0, sizeof(*f));
	f->by = "";
	f->t.wall_ms = 1700000000123LL;
	f->t.rec_us = 1500000;
	if (t_tmpfile(f->path, sizeof(f->path)) == -1 ||
	    (f->c = capture_open(f->path, 0, 0)) == NULL)
		return -1;
	if ((f->s = screen_new(cols, 24)) == NULL)
		return -1;
	capture_watch(f->c, f->s);
	return 0;
}

static void
out(struct fx *f, const char *s)
{
	capture_at(f->c, &f->t);
	screen_feed(f->s, s, strlen(s));
}

/* Types S on a pty of modes FLAGS; KEYS: its erase, kill, werase and
 * intr characters (NULL: a new pty's, ^? ^U ^W ^C; "\377": none). */
static void
in_keys(struct fx *f, const char *s, int flags, const char *keys)
{
	struct capture_tty tty = capture_tty(flags);

	if (keys != NULL) {
		tty.erase = (unsigned char)keys[0] % 0xff;
		tty.kill = (unsigned char)keys[1] % 0xff;
		tty.werase = (unsigned char)keys[2] % 0xff;
		tty.intr = (unsigned char)keys[3] % 0xff;
	}
	capture_input(f->c, s, strlen(s), f->by, &tty, f->s, &f->t);
}

static void
in(struct fx *f, const char *s, int tty)
{
	in_keys(f, s, tty, NULL);
}

/* Closes the capture and parses the file's records into f->rec. */
static void
fx_close(struct fx *f)
{
	char *p, *line, *nl;
	size_t len;

	capture_close(f->c, &f->t);
	screen_free(f->s);
	if ((p = t_slurp(f->path, &len)) == NULL)
		return;
	for (line = p; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
		if (f->n < (int)T_NELEM(f->rec))
			f->rec[f->n++] = jsonx_parse(line, nl - line);
	T_ASSERT(*line == '\0', "every record ends in a newline");
	free(p);
	unlink(f->path);
}

static void
fx_free(struct fx *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		json_object_put(f->rec[i]);
}

static const char *
str(json_object *o, const char *key)
{
	const char *s = NULL;

	return jsonx_get_str(o, key, &s) == 0 ? s : NULL;
}

static int
is_null(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && v == NULL;
}

struct tcase {
	const char	*name;
	const char	*screen;	/* output first, or NULL */
	const char	*input;
	int		 tty;
	const char	*want;		/* the command; NULL: none */
};

static const struct tcase typed[] = {
	{ "a line", NULL, "ls -l\r", EC, "ls -l" },
	{ "newline ends it too", NULL, "ls\n", EC, "ls" },
	{ "trimmed", NULL, "  ls  \r", EC, "ls" },
	{ "DEL erases, ^H does not (it is not the pty's erase)", NULL,
	    "abc\177\010xy\r", EC, "abxy" },
	{ "readline: both erase", "$ axy", "abc\177\010xy\r", RAW, "axy" },
	{ "DEL removes a whole UTF-8 char", NULL, "h\xc3\xa9\177llo\r", EC,
	    "hllo" },
	{ "^W", NULL, "foo bar  \027baz\r", EC, "foo baz" },
	{ "^U", NULL, "junk\025echo ok\r", EC, "echo ok" },
	{ "^C discards", NULL, "rm -rf /\003\r", EC, NULL },
	{ "^C then a line", NULL, "rm\003echo ok\r", EC, "echo ok" },
	{ "arrows and SS3 skipped", NULL, "\033[Aecho\033[D up\033OA\r", EC,
	    "echo up" },
	{ "alt-key skipped", NULL, "\033becho x\r", EC, "echo x" },
	{ "bracketed paste", NULL, "\033[200~pasted\033[201~\r", EC,
	    "pasted" },
	{ "empty line", NULL, "\r", EC, NULL },
	{ "hidden input (read -s)", NULL, "secret\r", HIDDEN, NULL },
	{ "raw, not on screen", NULL, "echo hi\r", RAW, NULL },
	{ "raw, echoed on screen", "$ echo seen", "echo seen\r", RAW,
	    "echo seen" },
	{ "raw, password not echoed", "[sudo] password for u: ", "hunter2\r",
	    RAW, NULL },

	{ "alternate screen", "\033[?1049h", ":wq\r", EC, NULL },
	{ "a lone prompt mark keeps it", "\033]133;A\007$ ", "ls\r", EC,
	    "ls" },
	{ "a lone end mark keeps it", "\033]133;D;0\007$ ", "ls\r", EC,
	    "ls" },
	{ "after a command mark: none", "\033]133;A\007$ \033]133;B\007",
	    "ls\r", EC, NULL },
	{ "OSC 7 alone keeps it", "\033]7;file://h/srv\007", "ls\r", EC,
	    "ls" },
};

/* On a pty whose editing keys are not a new one's (stty): see in_keys. */
static const struct {
	struct tcase	 c;
	const char	*keys;
} keyed[] = {
	{ { "stty erase ^H kill ^X: ^H erases", NULL, "abc\010d\r", EC,
	    "abd" }, "\010\030\027\003" },
	{ { "stty erase ^H: DEL is a character", NULL, "ab\177c\r", EC,
	    "ab\177c" }, "\010\030\027\003" },
	{ { "stty kill ^X: ^X kills, ^U does not", NULL,
	    "junk\030a\025b\r", EC, "ab" }, "\010\030\027\003" },
	{ { "stty -isig: ^C discards nothing", NULL, "rm\003x\r", EC,
	    "rmx" }, "\177\025\027\377" },
};

/* Lines entered before the program echoed them: the output after. */
static const struct {
	struct tcase	 c;
	const char	*after;
} typed_ahead[] = {
	{ { "raw, pasted with its newline: at its echo", "$ ", "echo hi\r",
	    RAW, "echo hi" }, "echo hi\r\nhi\r\n$ " },
	{ { "raw, password, the output after it", "[sudo] password for u: ",
	    "hunter2\r", RAW, NULL },
	    "\r\nSorry, try again.\r\n[sudo] password for u: " },
	{ { "raw, echoed only after two line ends", "$ ", "echo late\r", RAW,
	    NULL }, "\r\n\r\necho late\r\n" },
};

/* Case C, then AFTER (NULL: nothing) as output after its input; KEYS:
 * see in_keys. */
static void
typed_case(const struct tcase *c, const char *after, const char *keys)
{
	char desc[128];
	struct fx f;

	snprintf(desc, sizeof(desc), "typed: %s", c->name);
	if (fx_open(&f, 80) == -1) {
		T_ASSERT(0, desc);
		return;
	}
	if (c->screen)
		out(&f, c->screen);
	in_keys(&f, c->input, c->tty, keys);
	if (after)
		out(&f, after);
	fx_close(&f);
	if (c->want == NULL) {
		T_ASSERT(f.n == 0, desc);
	} else {
		T_ASSERT(f.n == 1 && f.rec[0] != NULL &&
		    str(f.rec[0], "command") &&
		    strcmp(str(f.rec[0], "command"), c->want) == 0, desc);
		T_ASSERT(f.n == 1 && f.rec[0] &&
		    strcmp(str(f.rec[0], "source"), "typed") == 0 &&
		    is_null(f.rec[0], "exit_status") &&
		    is_null(f.rec[0], "finished_at"), desc);
	}
	fx_free(&f);
}

static void
test_typed(void)
{
	size_t i;

	for (i = 0; i < T_NELEM(typed); i++)
		typed_case(&typed[i], NULL, NULL);
	for (i = 0; i < T_NELEM(typed_ahead); i++)
		typed_case(&typed_ahead[i].c, typed_ahead[i].after, NULL);
	for (i = 0; i < T_NELEM(keyed); i++)
		typed_case(&keyed[i].c, NULL, keyed[i].keys);
}

/* Several lines entered at once, before their echo: the output after. */
static const struct {
	const char	*name;
	const char	*input;
	const char	*after;
	const char	*want[3];	/* the commands, in order */
} pasted[] = {
	{ "raw, two lines pasted: one record each",
	    "echo a\recho b\r", "echo a\r\na\r\n$ echo b\r\nb\r\n$ ",
	    { "echo a", "echo b" } },
	{ "raw, two lines pasted, a prompt of two lines",
	    "echo a\recho b\r",
	    "echo a\r\na\r\n[u@h ~]\r\n$ echo b\r\nb\r\n",
	    { "echo a", "echo b" } },
	{ "raw, a command and the password it asks for, pasted",
	    "sudo -k true\rhunter2\r", "sudo -k true\r\n"
	    "[sudo] password for u: \r\nSorry, try again.\r\n"
	    "[sudo] password for u: \r\n$ ", { "sudo -k true" } },
	{ "raw, the first never echoed: the second still is",
	    "hunter2\recho b\r", "\r\nSorry.\r\n$ echo b\r\nb\r\n",
	    { "echo b" } },
};

static void
test_pasted(void)
{
	char desc[128];
	struct fx f;
	size_t i, j, n;

	for (i = 0; i < T_NELEM(pasted); i++) {
		snprintf(desc, sizeof(desc), "typed: %s", pasted[i].name);
		if (fx_open(&f, 80) == -1) {
			T_ASSERT(0, desc);
			continue;
		}
		out(&f, "$ ");
		in(&f, pasted[i].input, RAW);
		out(&f, pasted[i].after);
		fx_close(&f);
		for (n = 0; n < 3 && pasted[i].want[n]; n++)
			;
		T_ASSERT(f.n == (int)n, desc);
		for (j = 0; j < n && (int)j < f.n; j++)
			T_ASSERT(f.rec[j] && str(f.rec[j], "command") &&
			    strcmp(str(f.rec[j], "command"),
			    pasted[i].want[j]) == 0, desc);
		fx_free(&f);
	}
}

/* Echo turned off for part of a line hides all of it; cwd from OSC 7. */
static void
test_typed_more(void)
{
	struct fx f;
	char *big;

	fx_open(&f, 80);
	in(&f, "sec", HIDDEN);
	in(&f, "ret\r", EC);
	out(&f, "\033]7;file://h/srv/a%20b\033\\");
	in(&f, "ls\r", EC);
	big = malloc(10001);
	memset(big, 'a', 10000);
	big[10000] = '\0';
	in(&f, big, EC);
	in(&f, "\r", EC);
	free(big);
	fx_close(&f);
	T_ASSERT(f.n == 2, "the half-hidden line is not recorded");
	T_ASSERT(f.n == 2 && f.rec[0] && str(f.rec[0], "cwd") &&
	    strcmp(str(f.rec[0], "cwd"), "/srv/a b") == 0,
	    "cwd from OSC 7");
	T_ASSERT(f.n == 2 && f.rec[1] &&
	    strlen(str(f.rec[1], "command")) == CMDREC_COMMAND_MAX,
	    "a long line is cut to CMDREC_COMMAND_MAX");
	fx_free(&f);
}

#define A	"\033]133;A\007"
#define B	"\033]133;B\007"
#define C	"\033]133;C\007"
#define D(s)	"\033]133;D;" s "\007"
#define CWD(p)	"\033]7;file://host" p "\007"
/* 600 characters: 30 rows of a 20-column screen of 24 */
#define X10	"abcdefghij"
#define X60	X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 \
	X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 \
	X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 \
	X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10

struct mcase {
	const char	*name;
	int		 cols;
	const char	*out;
	const char	*want[3];	/* commands, in order */
	int		 status[3];	/* -1: null */
	const char	*source[3];	/* NULL: "shell" */
};

static const struct mcase marked[] = {
	{ "screen text", 80, CWD("/home/u") A "$ " B "echo hi\r\n" C "hi\r\n"
	    D("0") A "$ " B, { "echo hi" }, { 0 }, { NULL } },
	{ "633 E wins", 80, A "$ " B "l\r\n\033]633;E;ls -la\\x3b x;n\007" C
	    D("2"), { "ls -la; x" }, { 2 }, { NULL } },
	{ "wrapped line", 20, A "$ " B "echo 0123456789abcdefghijklmnop\r\n"
	    C D("0"), { "echo 0123456789abcdefghijklmnop" }, { 0 }, { NULL } },
	{ "wrapped at the bottom", 20, "\033[24;1H" A "$ " B
	    "echo 0123456789abcdefghijklmnop\r\n" C D("0"),
	    { "echo 0123456789abcdefghijklmnop" }, { 0 }, { NULL } },
	{ "longer than the screen: whole", 20, "\033[24;1H" A "$ " B
	    "echo " X60 "\r\n" C D("0"), { "echo " X60 }, { 0 }, { NULL } },
	{ "longer than the screen, from mid-screen", 20, "\033[10;1H" A "$ "
	    B "echo " X60 "\r\n" C D("0"), { "echo " X60 }, { 0 },
	    { NULL } },
	{ "trailing blanks trimmed", 80, A "$ " B "true   \r\n" C D("0"),
	    { "true" }, { 0 }, { NULL } },
	{ "no D: null status", 80, A "$ " B "a\r\n" C A "$ " B "b\r\n" C
	    D("1"), { "a", "b" }, { -1, 1 }, { NULL } },
	{ "D without C: none", 80, A "$ " B "typed^C\r\n" D("130") A,
	    { NULL }, { 0 }, { NULL } },
	{ "B, E, D without C", 80, A "$ " B "x\r\n\033]633;E;x\007" D("5"),
	    { "x" }, { 5 }, { NULL } },
	{ "empty command: none", 80, A "$ " B "\r\n" C D("0"), { NULL },
	    { 0 }, { NULL } },
	{ "running at the end", 80, A "$ " B "sleep 9\r\n" C,
	    { "sleep 9" }, { -1 }, { NULL } },
	{ "three in order", 80, A "$ " B "cd /tmp\r\n" C D("0") CWD("/tmp")
	    A "$ " B "false\r\n" C D("1") A "$ " B "echo hi\r\n" C "hi\r\n"
	    D("0"), { "cd /tmp", "false", "echo hi" }, { 0, 1, 0 }, { NULL } },
};

/* Each of the N CASES, on a capture with NONCE (NULL: none). */
static void
run_marked(const struct mcase *cases, size_t n, const char *nonce,
    const char *what)
{
	char desc[128];
	struct fx f;
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct mcase *c = &cases[i];

		snprintf(desc, sizeof(desc), "%s: %s", what, c->name);
		if (fx_open(&f, c->cols) == -1) {
			T_ASSERT(0, desc);
			continue;
		}
		if (nonce != NULL)
			capture_nonce(f.c, nonce);
		out(&f, c->out);
		fx_close(&f);
		for (j = 0; j < 3 && c->want[j]; j++) {
			json_object *o = (int)j < f.n ? f.rec[j] : NULL;
			const char *src = c->source[j] ? c->source[j] : "shell";
			json_object *v = NULL;

			T_ASSERT(o && str(o, "command") &&
			    strcmp(str(o, "command"), c->want[j]) == 0, desc);
			if (o && str(o, "command") &&
			    strcmp(str(o, "command"), c->want[j]) != 0)
				fprintf(stderr, "%s: got \"%s\"\n", desc,
				    str(o, "command"));
			json_object_object_get_ex(o, "exit_status", &v);
			T_ASSERT(o && (c->status[j] == -1 ? v == NULL :
			    v && json_object_get_int(v) == c->status[j]),
			    desc);
			T_ASSERT(o && strcmp(str(o, "source"), src) == 0, desc);
			if (o && strcmp(str(o, "source"), src) != 0)
				fprintf(stderr, "%s: source \"%s\"\n", desc,
				    str(o, "source"));
		}
		T_ASSERT(f.n == (int)j, desc);
		fx_free(&f);
	}
}

static void
test_marked(void)
{
	run_marked(marked, T_NELEM(marked), NULL, "marks");
}

#define NONCE	"0f3a9c"
#define E(l, n)	"\033]633;E;" l n "\007"
#define DN(s, n) "\033]133;D;" s n "\007"

/* With a nonce, only marks that carry it make the shell's records. */
static const struct mcase nonced[] = {
	{ "E and D carry it: shell", 80, A "$ " B "ls\r\n" E("ls", ";" NONCE) C
	    DN("0", ";" NONCE), { "ls" }, { 0 }, { "shell" } },
	{ "633;D carries it too", 80, A "$ " B "ls\r\n" E("ls", ";" NONCE) C
	    "\033]633;D;0;" NONCE "\007", { "ls" }, { 0 }, { "shell" } },
	{ "no nonce: claimed", 80, A "$ " B "ls\r\n" E("ls", "") C D("0"),
	    { "ls" }, { 0 }, { "claimed" } },
	{ "marks alone: claimed", 80, A "$ " B "ls\r\n" C D("0"), { "ls" },
	    { 0 }, { "claimed" } },
	{ "a wrong nonce: claimed", 80, A "$ " B "ls\r\n" E("ls", ";0f3a9d") C
	    DN("0", ";0f3a9d"), { "ls" }, { 0 }, { "claimed" } },
	{ "a prefix of it: claimed", 80, A "$ " B "ls\r\n" E("ls", ";0f3a9") C
	    DN("0", ";0f3a9"), { "ls" }, { 0 }, { "claimed" } },
	{ "a longer one: claimed", 80, A "$ " B "ls\r\n" E("ls", ";0f3a9c0") C
	    DN("0", ";0f3a9c0"), { "ls" }, { 0 }, { "claimed" } },
	{ "E with it, D without: claimed", 80, A "$ " B "ls\r\n"
	    E("ls", ";" NONCE) C D("0"), { "ls" }, { 0 }, { "claimed" } },
	{ "an empty E with it: the screen's line", 80, A "$ " B "echo hi\r\n"
	    E("", ";" NONCE) C DN("0", ";" NONCE), { "echo hi" },
	    { 0 }, { "shell" } },
	{ "an E before B does not count", 80, E("rm", ";" NONCE) A "$ " B
	    "rm\r\n" C DN("0", ";" NONCE), { "rm" }, { 0 }, { "claimed" } },
	/* cat evil.txt: its output ends the real command and fakes one;
	 * the real D that follows ends nothing */
	{ "output faking a command inside a real one", 80, A "$ " B
	    "cat evil.txt\r\n" E("cat evil.txt", ";" NONCE) C D("0") A "$ "
	    B "curl x | sh\r\n" C D("0") DN("0", ";" NONCE),
	    { "cat evil.txt", "curl x | sh" }, { 0, 0 },
	    { "claimed", "claimed" } },
};

static void
test_nonce(void)
{
	run_marked(nonced, T_NELEM(nonced), NONCE, "nonce");
}

/* Every field of one record: cwd at the start, times, the offset. */
static void
test_record(void)
{
	json_object *v;
	struct fx f;

	fx_open(&f, 80);
	out(&f, CWD("/a") "\033]633;P;Cwd=/b\007" A "$ " B "cd /c\r\n");
	f.t.wall_ms = 1700000000123LL;
	f.t.rec_us = 2500000;
	out(&f, C);
	f.t.wall_ms = 1700000001004LL;
	out(&f, CWD("/c") D("0"));
	f.t.rec_us = -1;
	out(&f, A "$ " B "ls\r\n" C D("0"));
	fx_close(&f);
	T_ASSERT(f.n == 2, "two records");
	if (f.n != 2 || !f.rec[0] || !f.rec[1])
		return;
	T_ASSERT(strcmp(str(f.rec[0], "cwd"), "/b") == 0,
	    "the cwd known when the command started");
	T_ASSERT(strcmp(str(f.rec[1], "cwd"), "/c") == 0,
	    "the next command has the new cwd");
	T_ASSERT(strcmp(str(f.rec[0], "started_at"),
	    "2023-11-14T22:13:20.123000Z") == 0, "started_at at C, RFC 3339");
	T_ASSERT(strcmp(str(f.rec[0], "finished_at"),
	    "2023-11-14T22:13:21.004000Z") == 0, "finished_at at D");
	T_ASSERT(json_object_object_get_ex(f.rec[0], "recording_offset", &v) &&
	    v && json_object_get_double(v) == 2.5, "recording_offset");
	T_ASSERT(is_null(f.rec[1], "recording_offset"),
	    "no recording: null offset");
	fx_free(&f);
}

#define G1	"1111111111111111111111111111111111111111111111111111111111111111"
#define G2	"2222222222222222222222222222222222222222222222222222222222222222"

/* Whether record I says BY entered it (NULL: the owner, no "by"). */
static int
rec_by(struct fx *f, int i, const char *by)
{
	json_object *v;

	if (i >= f->n || f->rec[i] == NULL)
		return 0;
	if (by == NULL)
		return !json_object_object_get_ex(f->rec[i], "by", &v);
	return str(f->rec[i], "by") && strcmp(str(f->rec[i], "by"), by) == 0;
}

/* Who entered a command: the client whose line end ran it (a joined
 * admin, a share's user), whoever typed the rest of the line. */
static void
test_by(void)
{
	struct fx f;

	fx_open(&f, 80);
	in(&f, "ls\r", EC);
	f.by = G1;
	in(&f, "whoami\r", EC);
	in(&f, "echo half", EC);
	f.by = "";
	in(&f, "way\r", EC);
	/* pasted before the program echoed it: who pasted it */
	f.by = G2;
	in(&f, "echo pasted\r", RAW);
	out(&f, "$ echo pasted\r\n");
	fx_close(&f);
	T_ASSERT(f.n == 4, "typed: four records");
	T_ASSERT(rec_by(&f, 0, NULL), "typed by the owner: no by");
	T_ASSERT(rec_by(&f, 1, G1), "typed by a joined client: its grant");
	T_ASSERT(rec_by(&f, 2, NULL),
	    "the owner's Enter ran a line a client began");
	T_ASSERT(rec_by(&f, 3, G2), "a line pasted, echoed later: its grant");
	fx_free(&f);

	/* with marks: the last line end before the command's start */
	fx_open(&f, 80);
	out(&f, A "$ " B);
	f.by = G1;
	in(&f, "ls\r", RAW);
	out(&f, "ls\r\n" C D("0") A "$ " B);
	f.by = "";
	in(&f, "pwd\r", RAW);
	out(&f, "pwd\r\n" C D("0"));
	fx_close(&f);
	T_ASSERT(f.n == 2, "marked: two records");
	T_ASSERT(rec_by(&f, 0, G1), "marked, entered by a joined client");
	T_ASSERT(rec_by(&f, 1, NULL), "marked, entered by the owner");
	fx_free(&f);
}

int
suite_capture_register(void)
{
	static const struct t_case cases[] = {
		{ "typed lines", test_typed },
		{ "typed: hidden part, cwd, length", test_typed_more },
		{ "typed: several lines pasted", test_pasted },
		{ "marks", test_marked },
		{ "marks with a nonce", test_nonce },
		{ "record fields", test_record },
		{ "who entered it", test_by },
	};

	return t_register("capture", cases, T_NELEM(cases));
}
