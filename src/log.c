/*
 * log.c - the logging of every termgate program.
 *
 * One line per event on stderr, where journald (or a test harness) picks it
 * up: "PROG[PID]: level=LEVEL msg...". Callers write key=value fields in the
 * message and never a token, a cookie or an SQL parameter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static const char *log_prog = "termgate";
static int log_verbose;

void
log_init(const char *prog)
{
	log_prog = prog;
	if (getenv("TERMGATE_DEBUG") != NULL)
		log_verbose = 1;
}

static void
vlog(int level, const char *fmt, va_list ap)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	char line[2048];
	int n;

	n = snprintf(line, sizeof(line), "%s[%ld]: level=%s ", log_prog,
	    (long)getpid(), names[level]);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	/* One write per line, so lines of concurrent workers never mix. */
	n = strlen(line);
	if ((size_t)n < sizeof(line) - 1)
		line[n++] = '\n';
	else
		line[n - 1] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

void
log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	if (level == LOG_DEBUG && !log_verbose)
		return;
	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}
