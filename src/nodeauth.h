/* nodeauth.h - the credential one node's nginx shows another's. */
#ifndef TG_NODEAUTH_H
#define TG_NODEAUTH_H

#include <stddef.h>

#define NODEAUTH_HEADER	"X-Termgate-Node-Auth"
#define NODEAUTH_MIN	32		/* bytes of secret at least */
#define NODEAUTH_NONCE	32		/* hex digits of a nonce */
#define NODEAUTH_MAX	192		/* a credential's text, NUL included */
#define NODEAUTH_GRANT	64		/* hex digits of a grant */

/* What a given credential is. */
enum nodeauth_result {
	NODEAUTH_OK,
	NODEAUTH_ABSENT,		/* no header, or an empty one */
	NODEAUTH_NO_SECRET,		/* this node has no node_secret_file */
	NODEAUTH_MALFORMED,		/* not v1.EXPIRES.NONCE.MAC or
					 * v2.EXPIRES.NONCE.GRANT.MAC */
	NODEAUTH_BAD_MAC		/* not the nodes' secret, or made for
					 * another node or session */
};

/* What a credential whose MAC is right carries: both still to check
 * (the expiry against the database's clock, the nonce once). */
struct nodeauth_cred {
	long long	expires;	/* Unix seconds */
	char		nonce[NODEAUTH_NONCE + 1];
	/* a shared client's grant (src/share.h), "" for the owner */
	char		grant[NODEAUTH_GRANT + 1];
};

/*
 * Reads the shared secret of the nodes from PATH (node_secret_file; ""
 * means none: no session on another node can be reached, and no other
 * node is let in). The first line, surrounding blanks removed, of
 * NODEAUTH_MIN to SECRET_MAX - 1 printable characters. Kept for the
 * process's life; call once at start, before forking. 0, or -1 with the
 * reason in ERR.
 */
int		 nodeauth_load(const char *path, char *err, size_t errlen);
/* 1 when a secret was loaded, else 0. */
int		 nodeauth_loaded(void);
/*
 * Writes into OUT (NODEAUTH_MAX bytes at least) a new credential for one
 * request of session ID on node TARGET, valid until EXPIRES (Unix
 * seconds): "v1.EXPIRES.NONCE.MAC", NONCE 16 random bytes in hex, MAC
 * the HMAC-SHA256 under the secret of "v1\nTARGET\nID\nEXPIRES\nNONCE",
 * in hex. For a shared client, whose GRANT (64 hex; NULL: the owner's
 * request) this node checked: "v2.EXPIRES.NONCE.GRANT.MAC", the MAC of
 * "v2\nTARGET\nID\nEXPIRES\nNONCE\nGRANT". The secret itself is not in
 * it. 0, or -1 when no secret was loaded, GRANT is no grant or OUT is
 * too small.
 */
int		 nodeauth_mint(const char *target, const char *id,
		    const char *grant, long long expires, char *out,
		    size_t outlen);
/*
 * Checks GIVEN (NULL: absent) as a credential made for session ID on
 * node SELF: its form, then its MAC, compared in constant time.
 * NODEAUTH_OK with its expiry and nonce in *OUT, or why not. Its time
 * and its nonce are the caller's to check (node_hop_nonce).
 */
enum nodeauth_result nodeauth_check(const char *given, const char *self,
		    const char *id, struct nodeauth_cred *out);
/* A few words for the log saying what R means. Cannot fail. */
const char	*nodeauth_why(enum nodeauth_result r);

#endif
