/* relit.h - the literal text a regular expression requires. */
#ifndef TG_RELIT_H
#define TG_RELIT_H

#include <stddef.h>

/* The longest run relit_longest gives, in bytes. */
#define RELIT_MAX	256

/*
 * The longest run of ASCII characters that every match of PostgreSQL
 * advanced regular expression RE contains, into OUT (size OUTLEN, at
 * most RELIT_MAX - 1 of them, NUL-terminated). Returns its length: 0
 * when there is none it is sure of.
 */
size_t	relit_longest(const char *re, char *out, size_t outlen);

#endif
