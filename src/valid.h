/* valid.h - checks of outside input; each returns 1 when valid, else 0. */
#ifndef TG_VALID_H
#define TG_VALID_H

#include <stddef.h>
#include <stdint.h>

/* Exactly 64 lowercase hex characters. */
int	valid_session_id(const char *);
/* Host id: 1-64 of [A-Za-z0-9._-], not starting with '-' or '.'. */
int	valid_host_id(const char *);
/* Hostname (RFC 1123 labels), IPv4 or bare IPv6 literal; never a leading
 * -, never brackets (the schema agrees). */
int	valid_address(const char *);
/* POSIX-ish user name: [A-Za-z_][A-Za-z0-9_.-]{0,31}. */
int	valid_ssh_user(const char *);
/* A caller name from REMOTE_USER: 1-128 printable non-space bytes. */
int	valid_username(const char *);
/* Well-formed UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF). */
int	valid_utf8(const char *);
/*
 * The length of the well-formed UTF-8 sequence at S (N bytes left, S[0]
 * >= 0x80), or 0 when it is not one. (json-c's own check only counts
 * continuation bytes; jsonx relies on this one.)
 */
size_t	valid_utf8_seq(const unsigned char *s, size_t n);
/*
 * An RFC 3339 date-time, YYYY-MM-DDTHH:MM:SS[.F]{Z|+HH:MM|-HH:MM}: years
 * 0001-9999 both as written and in UTC, no leap second, at most 6
 * fraction digits (PostgreSQL keeps microseconds). When valid, *US is
 * its time in microseconds since the Unix epoch (set, if out of range,
 * even when not valid).
 */
int	valid_rfc3339(const char *, int64_t *us);
/* Bytes of an admin's reason to close a session (valid_close_note). */
#define VALID_NOTE_MAX	500
/* An admin's reason to close a session: at most VALID_NOTE_MAX bytes of
 * UTF-8 without control characters (C0 and DEL). */
int	valid_close_note(const char *);

#endif
