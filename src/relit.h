/* relit.h - the literal text a regular expression requires. */
#ifndef TG_RELIT_H
#define TG_RELIT_H

/* The longest run relit_required gives, with its NUL. */
#define RELIT_MAX	256
/* The most alternatives it gives. */
#define RELIT_ANY	8

/* The longest LIKE pattern it gives, with its NUL. */
#define RELIT_LIKE	(2 * RELIT_MAX)

/* What every match contains: N runs of ASCII characters, 0 when there is
 * none it is sure of, 1 a run, more: one of them at least. With one run,
 * LIKE is a pattern every match is LIKE, when it says more than the run
 * ("" when not): every run of the expression's top level in order, '%'
 * between them and at each end but where ^ or $ anchors it ("kubectl %
 * -n prod" for ^kubectl .* -n prod$, "%nginx" for (?i)NGINX$). */
struct relit {
	int	n;
	char	text[RELIT_ANY][RELIT_MAX];
	char	like[RELIT_LIKE];
};

/* What every match of PostgreSQL advanced regular expression RE
 * contains, into *OUT. Returns OUT->n. */
int	relit_required(const char *re, struct relit *out);

#endif
