/* nodeauth.h - the credential one node's nginx shows another's. */
#ifndef TG_NODEAUTH_H
#define TG_NODEAUTH_H

#include <stddef.h>

#define NODEAUTH_HEADER	"X-Termgate-Node-Auth"
#define NODEAUTH_MIN	32		/* bytes of secret at least */

/*
 * Reads the shared secret of the nodes from PATH (node_secret_file; ""
 * means none: no session on another node can be reached, and no other
 * node is let in). The first line, surrounding blanks removed, of
 * NODEAUTH_MIN to SECRET_MAX - 1 printable characters. Kept for the
 * process's life; call once at start, before forking. 0, or -1 with the
 * reason in ERR.
 */
int		 nodeauth_load(const char *path, char *err, size_t errlen);
/* The secret, or NULL when none was loaded. */
const char	*nodeauth_secret(void);
/* 1 when GIVEN (NULL: absent) is the secret, compared in constant time;
 * 0 otherwise, and always 0 when no secret was loaded. */
int		 nodeauth_check(const char *given);

#endif
