/*
 * t_log.c - the log line (src/log.c): whatever a field holds, one event
 * is one line. Each case logs through log_msg, as the programs do, with
 * stderr turned into a pipe, and compares the line that came out.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "suites.h"

/* Logs "user=%s path=/x" with USER; the bytes written, or "" on error. */
static const char *
logged(const char *user)
{
	static char out[4096];
	int fds[2], saved;
	ssize_t n;

	out[0] = '\0';
	if (pipe(fds) == -1 || (saved = dup(STDERR_FILENO)) == -1)
		return out;
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	dup2(fds[1], STDERR_FILENO);
	log_info("user=%s path=/x", user);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fds[1]);
	n = read(fds[0], out, sizeof(out) - 1);
	close(fds[0]);
	out[n > 0 ? n : 0] = '\0';
	return out;
}

/* The line LINE after its "PROG[PID]: level=info " prefix. */
static const char *
message(const char *line)
{
	const char *p = strstr(line, "level=info ");

	return p == NULL ? "" : p + strlen("level=info ");
}

static const struct {
	const char	*user;
	const char	*want;
} cases[] = {
	{ "alice", "user=alice path=/x\n" },
	{ "a\nlevel=error forged", "user=a\\nlevel=error forged path=/x\n" },
	{ "a\r\nb", "user=a\\r\\nb path=/x\n" },
	{ "tab\there", "user=tab\\there path=/x\n" },
	{ "bell\a\x1b[31m", "user=bell\\x07\\x1b[31m path=/x\n" },
	{ "del\x7f", "user=del\\x7f path=/x\n" },
	/* A backslash is escaped too, so "\n" in a log is always a newline
	 * that was escaped, never two bytes a client sent. */
	{ "back\\nslash", "user=back\\\\nslash path=/x\n" },
	{ "caf\xc3\xa9", "user=caf\xc3\xa9 path=/x\n" },
};

static void
test_escapes(void)
{
	const char *line;
	size_t i;

	for (i = 0; i < T_NELEM(cases); i++) {
		line = logged(cases[i].user);
		T_ASSERT(strcmp(message(line), cases[i].want) == 0,
		    cases[i].want);
		T_ASSERT(strchr(line, '\n') == line + strlen(line) - 1,
		    cases[i].want);
	}
}

/* A message longer than a line is cut, never an escape in half, and the
 * line still ends with its one newline. */
static void
test_long(void)
{
	char user[3000];
	const char *line;
	size_t n;

	memset(user, '\n', sizeof(user) - 1);
	user[sizeof(user) - 1] = '\0';
	line = logged(user);
	n = strlen(line);
	CU_ASSERT(n > 1000 && n <= 2048);
	CU_ASSERT_PTR_EQUAL(strchr(line, '\n'), line + n - 1);
	CU_ASSERT(n >= 3 && line[n - 2] == 'n' && line[n - 3] == '\\');
}

int
suite_log_register(void)
{
	static const struct t_case tcases[] = {
		{ "control bytes are escaped", test_escapes },
		{ "a long message stays one line", test_long },
	};

	return t_register("log", tcases, T_NELEM(tcases));
}
