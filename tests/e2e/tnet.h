/* tnet.h - blocking socket helpers of the e2e test clients. */
#ifndef TG_TNET_H
#define TG_TNET_H

#include <sys/types.h>

long long	tnet_now_ms(void);
int		tnet_write_all(int, const void *, size_t);
ssize_t		tnet_read(int, void *, size_t, long long);
int		tnet_connect(int);
void		tnet_ready(void);
int		tnet_deadline_s(const char *);
int		tnet_type(const char *, int (*)(void *, const char *, size_t),
		    void *);

#endif
