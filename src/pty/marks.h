/*
 * marks.h - shell-integration marks (OSC 133, 633, 7) in terminal output.
 * Pure code: no I/O, no allocation, no global state (it is fuzzed).
 */
#ifndef TG_PTY_MARKS_H
#define TG_PTY_MARKS_H

#include <stddef.h>

#define MARKS_MAX	16384	/* longest OSC payload looked at */

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

/* The state of the OSC scanner; zero it (or marks_init) before use. */
struct marks {
	int	state;
	int	overflow;
	size_t	len;
	char	payload[MARKS_MAX];
	char	decoded[MARKS_MAX];
};

void	marks_init(struct marks *);
int	marks_feed(struct marks *, const char *, size_t, size_t *,
	    struct mark *);
int	marks_parse(const char *, size_t, struct mark *, char *);

#endif
