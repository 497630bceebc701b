/*
 * log.c - the logging of every termgate program.
 *
 * One line per event on stderr, where journald (or a test harness) picks it
 * up: "PROG[PID]: level=LEVEL msg...". Callers write key=value fields in the
 * message and never a token, a cookie or an SQL parameter. Fields often
 * come from outside (a user name, a request path, a backend's message), so
 * every message is escaped here, once, before it is written: a control
 * byte or a backslash in it can never end the line or forge another.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define LINE_MAX_BYTES	2048

static const char *log_prog = "termgate";
static int log_verbose;

void
log_init(const char *prog)
{
	log_prog = prog;
	if (getenv("TERMGATE_DEBUG") != NULL)
		log_verbose = 1;
}

/*
 * Copies SRC into DST (LEN bytes, LEN > 0) with \n, \r, \t, \\ and
 * \xHH for the other control bytes and DEL; an escape that does not fit
 * whole is left out with everything after it. Returns the length written.
 */
static size_t
escape(char *dst, size_t len, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	char e[5];
	size_t o = 0, n;

	for (; *s != '\0'; s++) {
		n = 2;
		e[0] = '\\';
		if (*s == '\n')
			e[1] = 'n';
		else if (*s == '\r')
			e[1] = 'r';
		else if (*s == '\t')
			e[1] = 't';
		else if (*s == '\\')
			e[1] = '\\';
		else if (*s < 0x20 || *s == 0x7f) {
			e[1] = 'x';
			e[2] = hex[*s >> 4];
			e[3] = hex[*s & 0xf];
			n = 4;
		} else {
			e[0] = (char)*s;
			n = 1;
		}
		if (o + n >= len)
			break;
		memcpy(dst + o, e, n);
		o += n;
	}
	dst[o] = '\0';
	return o;
}

static void
vlog(int level, const char *fmt, va_list ap)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	char msg[LINE_MAX_BYTES], line[LINE_MAX_BYTES];
	int n;

	n = snprintf(line, sizeof(line), "%s[%ld]: level=%s ", log_prog,
	    (long)getpid(), names[level]);
	if (n < 0 || (size_t)n >= sizeof(line) - 1)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Room is left for the newline. */
	n += escape(line + n, sizeof(line) - n - 1, msg);
	line[n++] = '\n';
	/* One write per line, so lines of concurrent workers never mix. */
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
