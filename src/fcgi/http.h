/*
 * http.h - termgate-fcgi's request layer: a request, its response, the
 * errors, and the helpers that the route table and the handlers share.
 *
 * A request arrives in worker.c as FastCGI parameters and a body; it is
 * turned into a struct tg_req that names no libfcgi type, routed by the
 * table in route.c to a handler of api_*.c, and answered from a struct
 * tg_resp that http.c renders to bytes. So everything but worker.c and
 * master.c links into the unit tests without libfcgi. This layer is the
 * lowest of termgate-fcgi (see route.c): it includes none of the others.
 */
#ifndef TG_FCGI_HTTP_H
#define TG_FCGI_HTTP_H

#include <stddef.h>

#include <json-c/json.h>

#include "tok.h"

#define HTTP_BODY_MAX	(64 * 1024)	/* bytes of request body */

#define HTTP_CT_JSON	"application/json"
#define HTTP_CT_TEXT	"text/plain"
#define HTTP_CT_FORM	"application/x-www-form-urlencoded"

struct tg_db;
struct tg_cfg;

/* Request failures; http_error maps each to a status and a JSON body. */
enum tg_err {
	TG_OK,
	TG_ERR_INVALID_JSON,
	TG_ERR_INVALID_FIELD,		/* req->err_field names the field */
	TG_ERR_INVALID_SESSION_ID,
	TG_ERR_UNAUTHENTICATED,
	TG_ERR_FORBIDDEN,
	TG_ERR_NOT_FOUND,
	TG_ERR_UNKNOWN_HOST,
	TG_ERR_METHOD,			/* req->allow lists the methods */
	TG_ERR_BODY_TOO_LARGE,
	TG_ERR_MEDIA_TYPE,		/* req->err_field: the types wanted */
	TG_ERR_SPAWN_FAILED,
	TG_ERR_DATABASE,
	TG_ERR_NO_PORT,
	TG_ERR_NO_CAPACITY,
	TG_ERR_SESSION_ENDED,
	TG_ERR_RATE_LIMITED,		/* the handler sets Retry-After */
	TG_ERR_SEARCH_TIMEOUT,
	TG_ERR_TOO_MANY_READS,		/* the handler sets Retry-After */
	TG_ERR_INTERNAL
};

/* One request; the strings belong to the caller (libfcgi's params). */
struct tg_req {
	const char	*method;
	const char	*path;		/* without the query string */
	const char	*query;		/* "" when none */
	const char	*user;		/* REMOTE_USER, NULL (or "") when
					 * absent */
	const char	*content_type;	/* NULL when absent */
	const char	*cookie;	/* HTTP_COOKIE */
	const char	*orig_uri;	/* HTTP_X_ORIGINAL_URI */
	const char	*node_auth;	/* HTTP_X_TERMGATE_NODE_AUTH */
	const char	*authorization;	/* HTTP_AUTHORIZATION */
	const char	*body;		/* body_len bytes, not NUL-terminated */
	size_t		 body_len;
	int		 body_too_large;
	struct tg_db	*db;
	const struct tg_cfg *cfg;
	int		 slot;		/* the worker's, in inflight.h's
					 * table */
	/* Filled by routing and handlers. */
	char		 id[TOK_ID_LEN + 2];	/* the {id} path segment */
	char		 sub[TOK_ID_LEN + 2];	/* {share_id} */
	const char	*err_field;	/* or the content types wanted */
	char		 err_why[200];	/* "" or what the error message adds */
	char		 allow[64];
	int		 stats;		/* enum stats_kind of the route */
};

/* Writes LEN bytes of a streamed body; 0, or -1 when the client is gone. */
typedef int	(*http_sink_fn)(void *sink, const char *buf, size_t len);
/*
 * Writes a streamed body (after the head) through SINK: 0 when it is
 * complete, -1 when it is not (the response is then cut short, so that
 * the client sees a broken transfer rather than a short body).
 */
typedef int	(*http_stream_fn)(struct tg_req *, void *arg, http_sink_fn,
		    void *sink);

/* One response; http_resp_free releases what it holds. */
struct tg_resp {
	int		 status;
	json_object	*json;		/* body, or */
	char		*text;		/* a text body (malloc'd), or */
	http_stream_fn	 stream;	/* a body written in pieces */
	void		*stream_arg;
	void		(*stream_free)(void *);	/* of stream_arg */
	const char	*ctype;		/* of text or stream */
	char		 hdr[1024];	/* extra header lines, CRLF-ended */
	size_t		 hlen;
};

void		 http_error(struct tg_resp *, enum tg_err, const char *detail);
/* As http_error, with WHY (unless NULL or "") added to the message. */
void		 http_error_why(struct tg_resp *, enum tg_err,
		    const char *detail, const char *why);
int		 http_header(struct tg_resp *, const char *name,
		    const char *value);
/* Renders RESP as CGI response bytes in *OUT (malloc'd); 0 or -1. A
 * streamed response renders its head only. */
int		 http_render(const struct tg_resp *, char **out, size_t *len);
void		 http_resp_free(struct tg_resp *);
const char	*http_reason(int status);
/* Parses the body as a JSON object into *OUT; TG_OK or INVALID_JSON. */
enum tg_err	 http_body_json(const struct tg_req *, json_object **out);
/*
 * The value of cookie NAME in a Cookie header into OUT; 0, 1 when absent,
 * -1 when too long for OUT.
 */
int		 http_cookie(const char *header, const char *name, char *out,
		    size_t outlen);
/* The session id of "PREFIX/ID/..." into ID; 0 or -1. */
int		 http_terminal_id(const char *uri, const char *prefix,
		    char id[TOK_ID_LEN + 1]);
/*
 * The decoded value of NAME in a query or form string into OUT; 0, 1 when
 * absent, -1 when malformed or too long.
 */
int		 http_query(const char *query, const char *name, char *out,
		    size_t outlen);
/* 1 when the content type is TYPE, parameters and case ignored. */
int		 http_ctype_is(const char *ctype, const char *type);

/* TG_OK when the caller is an admin (admin_users, or the users table),
 * else FORBIDDEN or DATABASE. */
enum tg_err	 http_require_admin(struct tg_req *);

#endif
