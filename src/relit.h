/* relit.h - the literal text a regular expression requires. */
#ifndef TG_RELIT_H
#define TG_RELIT_H

/* The longest run relit_required gives, with its NUL. */
#define RELIT_MAX	256
/* The most alternatives it gives. */
#define RELIT_ANY	8

/* What every match contains: N runs of ASCII characters, 0 when there is
 * none it is sure of, 1 a run, more: one of them at least. */
struct relit {
	int	n;
	char	text[RELIT_ANY][RELIT_MAX];
};

/* What every match of PostgreSQL advanced regular expression RE
 * contains, into *OUT. Returns OUT->n. */
int	relit_required(const char *re, struct relit *out);

#endif
