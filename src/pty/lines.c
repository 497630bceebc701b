/*
 * lines.c - the newest lines of a session, up to a count and a size.
 *
 * The holder keeps the lines that scrolled off the top of the screen
 * (screen.c renders each as the bytes that draw it) so that a client
 * attaching after a page reload gets them before the screen. A ring of
 * at most MAX lines and MAX_BYTES bytes: pushing past either drops the
 * oldest lines. A line longer than MAX_BYTES alone is not kept.
 */
#include <stdlib.h>
#include <string.h>

#include "lines.h"

struct line {
	char	*p;
	size_t	 len;
};

struct lines {
	struct line	*ring;
	int		 max, first, n;
	size_t		 bytes, max_bytes;
};

struct lines *
lines_new(int max, size_t max_bytes)
{
	struct lines *l;

	if (max < 1 || (l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if ((l->ring = calloc((size_t)max, sizeof(*l->ring))) == NULL) {
		free(l);
		return NULL;
	}
	l->max = max;
	l->max_bytes = max_bytes;
	return l;
}

void
lines_free(struct lines *l)
{
	if (l == NULL)
		return;
	while (l->n > 0)
		lines_drop(l);
	free(l->ring);
	free(l);
}

/* Drops the oldest line. */
void
lines_drop(struct lines *l)
{
	struct line *o = &l->ring[l->first];

	l->bytes -= o->len;
	free(o->p);
	o->p = NULL;
	o->len = 0;
	l->first = (l->first + 1) % l->max;
	l->n--;
}

int
lines_push(struct lines *l, const char *p, size_t len)
{
	struct line *o;
	char *copy;

	if (len > l->max_bytes)
		return 0;
	if ((copy = malloc(len ? len : 1)) == NULL)
		return -1;
	memcpy(copy, p, len);
	while (l->n > 0 && (l->n == l->max || l->bytes + len > l->max_bytes))
		lines_drop(l);
	o = &l->ring[(l->first + l->n) % l->max];
	o->p = copy;
	o->len = len;
	l->bytes += len;
	l->n++;
	return 0;
}

int
lines_count(const struct lines *l)
{
	return l == NULL ? 0 : l->n;
}

const char *
lines_get(const struct lines *l, int i, size_t *len)
{
	const struct line *o = &l->ring[(l->first + i) % l->max];

	*len = o->len;
	return o->p;
}
