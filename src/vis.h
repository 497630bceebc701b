/* vis.h - text from users and hosts, made safe to print to a terminal. */
#ifndef TG_VIS_H
#define TG_VIS_H

#include <stddef.h>

size_t	vis_str(const char *, char *, size_t);

#endif
