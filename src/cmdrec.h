/* cmdrec.h - the command record: one finished command, its fields,
 * limits and line format, as the holder writes it, the spool reads it and
 * the API takes it. */
#ifndef TG_CMDREC_H
#define TG_CMDREC_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#define CMDREC_COMMAND_MAX	8192	/* bytes; the schema's CHECK */
#define CMDREC_CWD_MAX		4096	/* bytes; the schema's CHECK */
#define CMDREC_CUT		"\xe2\x80\xa6"	/* U+2026 ends a cut cwd */
/* Longest line cmdrec_encode writes (every byte escaped as \u00XX). */
#define CMDREC_LINE_MAX \
	(6 * (CMDREC_COMMAND_MAX + CMDREC_CWD_MAX) + 512)

/* Who said what ran: the shell (its marks carrying the session's nonce,
 * or a post from its hook); only the line typed before Enter (the end is
 * not known); or marks without the nonce, which any output can print
 * (what a host or a file printed claims it ran). */
enum cmdrec_source { CMDREC_SHELL, CMDREC_TYPED, CMDREC_CLAIMED };
/* A record that names no source, and the column's DEFAULT. */
#define CMDREC_SOURCE_DEFAULT	CMDREC_SHELL

/* One record; strings borrowed from the caller (or from *HOLD of
 * cmdrec_decode), not necessarily NUL-terminated when written. */
struct cmdrec {
	const char		*command;	/* 1-CMDREC_COMMAND_MAX bytes */
	size_t			 command_len;
	const char		*cwd;		/* NULL: unknown */
	size_t			 cwd_len;
	int			 has_exit, has_started, has_finished;
	int			 has_offset;
	int			 exit_status;
	int64_t			 started_us, finished_us; /* Unix epoch */
	int64_t			 offset_us;	/* into the recording */
	enum cmdrec_source	 source;
	/* The line format only: who entered it, the grant (64 lowercase
	 * hex) of a client let in by a share or a watch; NULL the owner. */
	const char		*by;
};

/* "shell", "typed" or "claimed"; cannot fail. */
const char	*cmdrec_source_name(enum cmdrec_source);
/* The source named S into *OUT: 0, or -1 when S names none. */
int		 cmdrec_source_parse(const char *s, enum cmdrec_source *out);

/*
 * Reads the members of the object O (command, exit_status, cwd,
 * started_at, finished_at, source, recording_offset; absent or null is
 * unknown, source defaults to CMDREC_SOURCE_DEFAULT) into R, whose
 * strings then live in O, and checks them against the limits. Returns
 * NULL, or the name of the first member refused (cmdrec_why says why).
 */
const char	*cmdrec_from_json(json_object *o, struct cmdrec *r);
/* What member FIELD (a cmdrec_from_json result) must be; cannot fail. */
const char	*cmdrec_why(const char *field);
/*
 * R as a new object of the members above and "by" when R has one (the
 * caller puts it), times as
 * RFC 3339 in UTC with microseconds. Text is made storable: bytes that
 * start no UTF-8 character and NULs become U+FFFD, the command is cut at
 * a character to CMDREC_COMMAND_MAX bytes, a cwd over CMDREC_CWD_MAX is
 * cut at a character and ends in CMDREC_CUT. NULL when out of memory.
 */
json_object	*cmdrec_json(const struct cmdrec *r);

/*
 * The line format: cmdrec_json's object on one line, then '\n'. Writes
 * R's line into OUT (LEN bytes, CMDREC_LINE_MAX always suffice) and
 * returns its length, or -1 (an empty command, no room, no memory).
 */
int		 cmdrec_encode(const struct cmdrec *r, char *out, size_t len);
/*
 * Reads one line of LEN bytes (without its '\n') into R, as
 * cmdrec_from_json does, and its "by"; R's strings live in *HOLD, which the caller
 * puts. Returns 0, or -1 when the line is no valid record (*HOLD NULL).
 */
int		 cmdrec_decode(const char *line, size_t len, struct cmdrec *r,
		    json_object **hold);

/*
 * Event lines: a command file may also hold what happened to capture or
 * the recording, {"event": KIND, KEY: N}, which the spool makes a
 * session event of KIND with detail {KEY: N}. The pairs are fixed:
 * capture_dropped (dropped), capture_stopped (max_bytes),
 * recording_stopped (max_bytes, or errno). Writes the line of KIND,
 * KEY and VALUE (>= 0) into OUT (LEN bytes); its length, or -1 (no such
 * pair, no room).
 */
int		 cmdrec_event_encode(const char *kind, const char *key,
		    long long value, char *out, size_t len);
/*
 * Reads the line of LEN bytes: 0 when it is no event line (no "event"
 * member: a command, or malformed); 1 with *OUT a new object of the
 * event (the caller puts it); -1 when it claims to be one but is not one
 * of the pairs, or is no JSON at all.
 */
int		 cmdrec_event_decode(const char *line, size_t len,
		    json_object **out);

#endif
