/* cast.h - the session's recording, an asciicast v2 file. */
#ifndef TG_PTY_CAST_H
#define TG_PTY_CAST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CAST_FLUSH_MS	50		/* longest an event waits */
#define CAST_FLUSH_BYTES 65536		/* most bytes kept unwritten */

struct cast;

struct cast	*cast_open(const char *, int, int, long long, time_t);
int		 cast_output(struct cast *, int64_t, const char *, size_t);
int		 cast_resize(struct cast *, int64_t, int, int);
int		 cast_due(struct cast *, int64_t);
int		 cast_flush(struct cast *);
int		 cast_recording(struct cast *);
void		 cast_close(struct cast *, int64_t);

#endif
