/* valid.h - checks of outside input; each returns 1 when valid, else 0. */
#ifndef TG_VALID_H
#define TG_VALID_H

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

#endif
