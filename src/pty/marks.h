/*
 * marks.h - shell-integration marks (OSC 133, 633, 7) in terminal output.
 * Pure code: no I/O, no allocation, no global state (it is fuzzed).
 */
#ifndef TG_PTY_MARKS_H
#define TG_PTY_MARKS_H

#include <stddef.h>

#define MARKS_MAX	16384	/* longest OSC payload looked at: a
				 * longer one is not a mark */

enum mark_kind {
	MARK_PROMPT = 1,	/* 133/633 A: prompt starts */
	MARK_COMMAND,		/* 133/633 B: command line starts */
	MARK_OUTPUT,		/* 133/633 C: command output starts */
	MARK_DONE,		/* 133/633 D[;status[;nonce]]: finished */
	MARK_CMDLINE,		/* 633 E;line[;nonce]: the command line */
	MARK_CWD		/* 7 file://host/path, 633 P;Cwd=path */
};

struct mark {
	enum mark_kind	 kind;
	int		 status;	/* MARK_DONE: 0-255, or -1 */
	/* MARK_CMDLINE, MARK_CWD: decoded text, not NUL-terminated */
	const char	*text;
	size_t		 len;
	/* MARK_CMDLINE, MARK_DONE: the nonce field as sent, or NULL */
	const char	*nonce;
	size_t		 nonce_len;
};

/*
 * Parses one OSC payload P of LEN bytes (what came between "ESC ]" and
 * the terminator). OUT must have room for LEN bytes: decoded text goes
 * there and M->text points into it. 0 with *M set for a mark, -1 for any
 * other or malformed payload.
 */
int	marks_parse(const char *p, size_t len, struct mark *m, char *out);

#endif
