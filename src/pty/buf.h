/* buf.h - growable byte buffers and JSON strings of termgate-pty. */
#ifndef TG_PTY_BUF_H
#define TG_PTY_BUF_H

#include <stddef.h>

struct buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

int	buf_add(struct buf *, const void *, size_t);
int	buf_adds(struct buf *, const char *);
int	buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_consume(struct buf *, size_t);
void	buf_free(struct buf *);
size_t	buf_json(struct buf *, const char *, size_t, int);
int	utf8_len(const unsigned char *, size_t);

#endif
