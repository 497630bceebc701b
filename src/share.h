/*
 * share.h - the share repository: links a session's owner makes, an
 * admin's watches, the grants users redeem them for, and who is
 * attached (sql/026_shares.sql, sql/defs/shares.sql).
 *
 * A link's token is "SHARE.SECRET" and a grant's cookie "GRANT.SECRET"
 * (SHARE and GRANT 64 hex, SECRET a tok_new token); only the SHA-256 of
 * each SECRET is stored, checked with tok_verify. Results follow db.h's
 * convention unless said; a json_object returned is the caller's.
 */
#ifndef TG_SHARE_H
#define TG_SHARE_H

#include <json-c/json.h>

#include "holder.h"
#include "tok.h"

struct tg_db;

#define SHARE_TOKEN_LEN	(TOK_ID_LEN + 1 + TOK_LEN)	/* ID.SECRET */

enum share_result {
	SHARE_OK,
	SHARE_NOT_FOUND,	/* no such share or session (of the owner),
				 * or a token that is not one */
	SHARE_ENDED,		/* its session is not live */
	SHARE_OLD,		/* its terminal predates modes */
	SHARE_REVOKED,
	SHARE_EXPIRED,
	SHARE_FORBIDDEN		/* the user is not among its users */
};

struct share_req {
	const char	*session_id;
	const char	*owner;		/* NULL: any owner (an admin's) */
	const char	*kind;		/* "link" or "watch" */
	const char	*mode;		/* "view" or "control" */
	const char	*users;		/* a JSON array of names, or NULL */
	int		 ttl;		/* seconds */
	const char	*by;		/* who makes it */
};

struct share_made {
	json_object	*share;
	/* a link's token, or a watch's grant cookie */
	char		 token[SHARE_TOKEN_LEN + 1];
};

struct share_grant {
	char	session_id[TOK_ID_LEN + 1];
	char	grant[HOLDER_GRANT_LEN + 1];
	int	mode;			/* HOLDER_VIEW or HOLDER_CONTROL */
	int	slot;			/* its shellinabox slot, 0 none yet */
};

/* Makes a share of R into OUT: a share_result or -1. */
int	share_create(struct tg_db *, const struct share_req *r,
	    struct share_made *out);
/* Puts what OUT holds; accepts a zeroed struct. */
void	share_made_clear(struct share_made *out);
/* The links of session ID of OWNER: 0 with *OUT an array, 1, -1. */
int	share_list(struct tg_db *, const char *id, const char *owner,
	    json_object **out);
/* Ends share SHARE of KIND on session ID (of OWNER, NULL any) by BY:
 * 0 with *OUT the share, 1 no such share, -1. */
int	share_revoke(struct tg_db *, const char *id, const char *owner,
	    const char *share, const char *kind, const char *by,
	    json_object **out);
/* USER redeems link TOKEN: a share_result (SHARE_OK with *OUT the
 * share, G its grant, COOKIE its new cookie token), or -1. */
int	share_redeem(struct tg_db *, const char *token, const char *user,
	    json_object **out, struct share_grant *g,
	    char cookie[SHARE_TOKEN_LEN + 1]);
/* The grant of cookie token COOKIE for USER on session ID: a
 * share_result (SHARE_OK with G filled), or -1; WHY says why not. */
int	share_authorize(struct tg_db *, const char *cookie, const char *user,
	    const char *id, struct share_grant *g, const char **why);
/* Grant GRANT of session ID, which another node checked (its cookie,
 * its user) and names in its hop (nodeauth.h): a share_result (SHARE_OK
 * with G filled while its share holds), or -1; WHY says why not. */
int	share_grant_live(struct tg_db *, const char *grant, const char *id,
	    struct share_grant *g, const char **why);
/* G's shellinabox share slot (holder.h) in its session, taken now if
 * it has none: 1 with G->slot set, 0 when every slot of its mode is
 * taken or G is no longer live, -1. */
int	share_slot(struct tg_db *, struct share_grant *g);
/* The supervisor's report of session ID's clients (a JSON array, see
 * sql/defs/shares.sql): 0 or -1. */
int	share_set_clients(struct tg_db *, const char *id,
	    const char *clients);

#endif
