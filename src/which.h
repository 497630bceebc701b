/* which.h - finds a program as execvp would. */
#ifndef TG_WHICH_H
#define TG_WHICH_H

#include <stddef.h>

/*
 * NAME with a '/' is taken as it is; else the first executable NAME in
 * the directories of PATH (unset: /usr/bin:/bin). Writes the path into
 * OUT (LEN bytes): 0 when it is executable, -1 (errno set) when not.
 */
int	which(const char *name, char *out, size_t len);

#endif
