/* lines.h - a ring of the newest lines, bounded in count and bytes. */
#ifndef TG_PTY_LINES_H
#define TG_PTY_LINES_H

#include <stddef.h>

struct lines;

/* At most MAX (1 or more) lines and MAX_BYTES bytes; NULL when out of
 * memory or MAX < 1. Free with lines_free (NULL is fine). */
struct lines	*lines_new(int max, size_t max_bytes);
void		 lines_free(struct lines *);
/* Appends a copy of P (LEN bytes), dropping the oldest lines to make
 * room; a line over MAX_BYTES alone is not kept. 0, or -1 when out of
 * memory (nothing changed). */
int		 lines_push(struct lines *, const char *p, size_t len);
/* Drops the oldest line; there must be one. */
void		 lines_drop(struct lines *);
/* How many lines; 0 for NULL. */
int		 lines_count(const struct lines *);
/* Line I (0: the oldest, below lines_count) and its length in *LEN. */
const char	*lines_get(const struct lines *, int i, size_t *len);

#endif
