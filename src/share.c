/*
 * share.c - the share repository (share.h): share links, an admin's
 * watches, the grants users redeem links for, and the holders' reports
 * of who is attached.
 *
 * The rules live in SQL (sql/defs/shares.sql); here the ids and tokens
 * are minted, every token is parsed as "ID.SECRET" and its SECRET
 * compared with the stored SHA-256 in constant time (tok_verify), like
 * a session's token, before anything else is looked at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_pq.h"
#include "jsonx.h"
#include "share.h"
#include "valid.h"

static const struct {
	const char	*name;
	int		 result;
} outcomes[] = {
	{ "ok", SHARE_OK }, { "not_found", SHARE_NOT_FOUND },
	{ "ended", SHARE_ENDED }, { "old", SHARE_OLD },
	{ "revoked", SHARE_REVOKED }, { "expired", SHARE_EXPIRED },
	{ "forbidden", SHARE_FORBIDDEN },
};

/* The share_result named S; -1 for a name we do not know. */
static int
outcome(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		if (strcmp(outcomes[i].name, s) == 0)
			return outcomes[i].result;
	return -1;
}

/* A new ID.SECRET into TOKEN (ID a new id, also in ID), the SECRET's
 * hash into HASH. Cannot fail. */
static void
mint(char id[TOK_ID_LEN + 1], char token[SHARE_TOKEN_LEN + 1],
    char hash[TOK_HASH_LEN + 1])
{
	char secret[TOK_LEN + 1];

	tok_session_id(id);
	tok_new(secret);
	tok_hash(secret, hash);
	snprintf(token, SHARE_TOKEN_LEN + 1, "%s.%s", id, secret);
	explicit_bzero(secret, sizeof(secret));
}

/* Splits TOKEN ("ID.SECRET") into ID and *SECRET (pointing into TOKEN):
 * 0, or -1 when it is not of that form. */
static int
split(const char *token, char id[TOK_ID_LEN + 1], const char **secret)
{
	if (strlen(token) != SHARE_TOKEN_LEN || token[TOK_ID_LEN] != '.')
		return -1;
	memcpy(id, token, TOK_ID_LEN);
	id[TOK_ID_LEN] = '\0';
	*secret = token + TOK_ID_LEN + 1;
	return valid_session_id(id) ? 0 : -1;
}

int
share_create(struct tg_db *db, const struct share_req *r,
    struct share_made *out)
{
	char id[TOK_ID_LEN + 1], hash[TOK_HASH_LEN + 1], ttl[16];
	char gid[TOK_ID_LEN + 1], ghash[TOK_HASH_LEN + 1];
	int watch = strcmp(r->kind, "watch") == 0, rv = -1;
	const char *params[11];
	PGresult *res;

	memset(out, 0, sizeof(*out));
	mint(id, out->token, hash);
	if (watch)
		mint(gid, out->token, ghash);
	params[0] = r->session_id;
	params[1] = r->owner;
	params[2] = id;
	params[3] = r->kind;
	params[4] = r->mode;
	params[5] = watch ? NULL : hash;
	params[6] = r->users;
	params[7] = DB_ITOA(ttl, r->ttl);
	params[8] = r->by;
	params[9] = watch ? gid : NULL;
	params[10] = watch ? ghash : NULL;
	if ((res = db_exec(db, STMT_SHARE_CREATE, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1 &&
	    (rv = outcome(PQgetvalue(res, 0, 0))) == SHARE_OK &&
	    (out->share = db_json(res, 1)) == NULL)
		rv = -1;
	PQclear(res);
	if (rv != SHARE_OK)
		share_made_clear(out);
	return rv;
}

void
share_made_clear(struct share_made *out)
{
	json_object_put(out->share);
	out->share = NULL;
	explicit_bzero(out->token, sizeof(out->token));
}

/* Runs ID; 0 with *OUT the JSON of row 0 column 0, 1 if none, -1. */
static int
one_json(struct tg_db *db, enum stmt_id id, const char *const *params,
    json_object **out)
{
	PGresult *res;
	int rv = 1;

	if ((res = db_exec(db, id, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		rv = (*out = db_json(res, 0)) == NULL ? -1 : 0;
	PQclear(res);
	return rv;
}

int
share_list(struct tg_db *db, const char *id, const char *owner,
    json_object **out)
{
	const char *params[] = { id, owner };

	return one_json(db, STMT_SHARE_LIST, params, out);
}

int
share_revoke(struct tg_db *db, const char *id, const char *owner,
    const char *share, const char *kind, const char *by, json_object **out)
{
	const char *params[] = { id, owner, share, kind, by };

	return one_json(db, STMT_SHARE_REVOKE, params, out);
}

/* 1 when SECRET matches the hash STMT (one parameter, ID) finds in its
 * column 0, 0 when not or no row, -1. */
static int
verified(struct tg_db *db, enum stmt_id stmt, const char *id,
    const char *secret, PGresult **keep)
{
	const char *params[] = { id };
	PGresult *res;
	int ok;

	if ((res = db_exec(db, stmt, params)) == NULL)
		return -1;
	ok = PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) &&
	    tok_verify(secret, PQgetvalue(res, 0, 0));
	if (ok && keep != NULL)
		*keep = res;
	else
		PQclear(res);
	return ok;
}

/* The grant of row 0 of a redeem (columns 2-4) into G. */
static void
redeemed(PGresult *res, struct share_grant *g)
{
	strlcpy(g->grant, PQgetvalue(res, 0, 2), sizeof(g->grant));
	strlcpy(g->session_id, PQgetvalue(res, 0, 3), sizeof(g->session_id));
	g->mode = holder_mode(PQgetvalue(res, 0, 4));
	g->slot = 0;
}

int
share_redeem(struct tg_db *db, const char *token, const char *user,
    json_object **out, struct share_grant *g,
    char cookie[SHARE_TOKEN_LEN + 1])
{
	char id[TOK_ID_LEN + 1], gid[TOK_ID_LEN + 1], hash[TOK_HASH_LEN + 1];
	const char *secret, *params[4];
	PGresult *res;
	int rv;

	if (split(token, id, &secret) == -1)
		return SHARE_NOT_FOUND;
	if ((rv = verified(db, STMT_SHARE_LOOKUP, id, secret, NULL)) != 1)
		return rv == 0 ? SHARE_NOT_FOUND : -1;
	mint(gid, cookie, hash);
	params[0] = id;
	params[1] = user;
	params[2] = gid;
	params[3] = hash;
	if ((res = db_exec(db, STMT_SHARE_REDEEM, params)) == NULL)
		return -1;
	rv = PQntuples(res) == 1 ? outcome(PQgetvalue(res, 0, 0)) : -1;
	if (rv == SHARE_OK) {
		redeemed(res, g);
		/* the grant keeps its id when the user redeems again */
		memcpy(cookie, g->grant, TOK_ID_LEN);
		if ((*out = db_json(res, 1)) == NULL)
			rv = -1;
	}
	PQclear(res);
	if (rv != SHARE_OK)
		explicit_bzero(cookie, SHARE_TOKEN_LEN + 1);
	return rv;
}

/* Row 0 of STMT_GRANT_LOOKUP (RES, which it puts) as a grant of USER
 * (NULL: whoever's it is) for session ID, into G: a share_result. */
static int
grant_row(PGresult *res, const char *user, const char *id,
    struct share_grant *g, const char **why)
{
	const char *state = PQgetvalue(res, 0, 4);
	int rv;

	g->mode = holder_mode(PQgetvalue(res, 0, 2));
	g->slot = atoi(PQgetvalue(res, 0, 5));
	strlcpy(g->session_id, PQgetvalue(res, 0, 3), sizeof(g->session_id));
	if (user != NULL && strcmp(user, PQgetvalue(res, 0, 1)) != 0) {
		*why = "the grant is another user's";
		rv = SHARE_FORBIDDEN;
	} else if (strcmp(g->session_id, id) != 0) {
		*why = "the grant is for another session";
		rv = SHARE_NOT_FOUND;
	} else if ((rv = outcome(state)) != SHARE_OK)
		*why = strcmp(state, "revoked") == 0 ? "the share was revoked" :
		    "the share has expired";
	PQclear(res);
	return rv;
}

int
share_authorize(struct tg_db *db, const char *cookie, const char *user,
    const char *id, struct share_grant *g, const char **why)
{
	const char *secret;
	PGresult *res = NULL;
	int rv;

	*why = "the grant is another user's";
	if (user == NULL)
		return SHARE_FORBIDDEN;
	*why = "not a grant, or not its token";
	if (split(cookie, g->grant, &secret) == -1)
		return SHARE_NOT_FOUND;
	if ((rv = verified(db, STMT_GRANT_LOOKUP, g->grant, secret,
	    &res)) != 1)
		return rv == 0 ? SHARE_NOT_FOUND : -1;
	return grant_row(res, user, id, g, why);
}

int
share_grant_live(struct tg_db *db, const char *grant, const char *id,
    struct share_grant *g, const char **why)
{
	const char *params[] = { grant };
	PGresult *res;

	*why = "no such grant";
	if (strlcpy(g->grant, grant, sizeof(g->grant)) >= sizeof(g->grant))
		return SHARE_NOT_FOUND;
	if ((res = db_exec(db, STMT_GRANT_LOOKUP, params)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return SHARE_NOT_FOUND;
	}
	return grant_row(res, NULL, id, g, why);
}

int
share_slot(struct tg_db *db, struct share_grant *g)
{
	const char *params[] = { g->session_id, g->grant };
	PGresult *res;
	int rv = 0;

	if (g->slot > 0)
		return 1;
	if ((res = db_exec(db, STMT_SHARE_SLOT, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) &&
	    (g->slot = atoi(PQgetvalue(res, 0, 0))) > 0)
		rv = 1;
	PQclear(res);
	return rv;
}

int
share_set_clients(struct tg_db *db, const char *id, const char *clients)
{
	const char *params[] = { id, clients };
	PGresult *res;

	if ((res = db_exec(db, STMT_SET_CLIENTS, params)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}
