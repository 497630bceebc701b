/*
 * http.c - the request layer of termgate-fcgi: requests, responses,
 * errors, parsers, and who is an admin.
 *
 * Below the route table (route.c) and the handlers (api_*.c), both of
 * which call it and neither of which it knows. Every failure is one enum
 * tg_err that http_error turns into its status and JSON body, and
 * http_render makes the CGI response bytes that worker.c writes. Also
 * here: the small, length-checked parsers of cookies, query strings and
 * the X-Original-URI of nginx's auth_request, and the admin check that
 * the router applies to admin routes and handlers to admin-only parts of
 * theirs. Nothing in this file knows libfcgi.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg.h"
#include "http.h"
#include "jsonx.h"
#include "users.h"

static const struct {
	enum tg_err	 err;
	int		 status;
	const char	*code;
	const char	*message;
} errors[] = {
	{ TG_ERR_INVALID_JSON, 400, "INVALID_JSON",
	    "The request body is not a valid JSON object" },
	{ TG_ERR_INVALID_FIELD, 400, "INVALID_FIELD", "Invalid field" },
	{ TG_ERR_INVALID_SESSION_ID, 400, "INVALID_SESSION_ID",
	    "A session id is 64 lowercase hex characters" },
	{ TG_ERR_UNAUTHENTICATED, 401, "UNAUTHENTICATED",
	    "No authenticated user" },
	{ TG_ERR_FORBIDDEN, 403, "FORBIDDEN", "Not allowed" },
	{ TG_ERR_NOT_FOUND, 404, "NOT_FOUND", "Not found" },
	{ TG_ERR_UNKNOWN_HOST, 404, "UNKNOWN_HOST", "No such host" },
	{ TG_ERR_METHOD, 405, "METHOD_NOT_ALLOWED",
	    "Method not allowed here" },
	{ TG_ERR_BODY_TOO_LARGE, 413, "BODY_TOO_LARGE",
	    "The request body is over 64 KiB" },
	{ TG_ERR_MEDIA_TYPE, 415, "UNSUPPORTED_MEDIA_TYPE",
	    "Content-Type must be " HTTP_CT_JSON },
	{ TG_ERR_SPAWN_FAILED, 503, "SPAWN_FAILED",
	    "The terminal could not be started" },
	{ TG_ERR_DATABASE, 503, "DATABASE_UNAVAILABLE",
	    "The database is unavailable, try again" },
	{ TG_ERR_NO_PORT, 503, "NO_FREE_PORT",
	    "No free terminal port on this node" },
	{ TG_ERR_NO_CAPACITY, 503, "NO_CAPACITY",
	    "No node can take a new terminal now (each is full, drained or"
	    " lost); try again later" },
	{ TG_ERR_SESSION_ENDED, 409, "SESSION_ENDED",
	    "The session has ended; it takes no more commands" },
	{ TG_ERR_RATE_LIMITED, 429, "RATE_LIMITED",
	    "Too many commands posted for this session; try again in a"
	    " moment" },
	{ TG_ERR_SEARCH_TIMEOUT, 400, "SEARCH_TIMEOUT",
	    "The search took too long; narrow it (a host, a session, a date"
	    " range) or use a simpler pattern" },
	{ TG_ERR_TOO_MANY_READS, 429, "TOO_MANY_READS",
	    "Too many history searches and exports running" },
	{ TG_ERR_INTERNAL, 500, "INTERNAL_ERROR", "Internal error" },
};

static const struct {
	int		 status;
	const char	*reason;
} reasons[] = {
	{ 200, "OK" }, { 201, "Created" }, { 204, "No Content" },
	{ 400, "Bad Request" }, { 401, "Unauthorized" },
	{ 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 409, "Conflict" },
	{ 413, "Payload Too Large" },
	{ 415, "Unsupported Media Type" }, { 429, "Too Many Requests" },
	{ 500, "Internal Server Error" }, { 503, "Service Unavailable" },
};

const char *
http_reason(int status)
{
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Unknown";
}

void
http_error(struct tg_resp *resp, enum tg_err err, const char *detail)
{
	http_error_why(resp, err, detail, NULL);
}

void
http_error_why(struct tg_resp *resp, enum tg_err err, const char *detail,
    const char *why)
{
	char msg[400];
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].err == err)
			break;
	if (i == sizeof(errors) / sizeof(errors[0]))
		i--;				/* TG_ERR_INTERNAL */
	json_object_put(resp->json);
	resp->status = errors[i].status;
	resp->json = json_object_new_object();
	json_object_object_add(resp->json, "error",
	    json_object_new_string(errors[i].code));
	if (why != NULL && why[0] == '\0')
		why = NULL;
	if (err == TG_ERR_MEDIA_TYPE && detail != NULL) {
		snprintf(msg, sizeof(msg), "Content-Type must be %s", detail);
		json_object_object_add(resp->json, "message",
		    json_object_new_string(msg));
		return;
	}
	if (err == TG_ERR_INVALID_FIELD && detail != NULL) {
		snprintf(msg, sizeof(msg), "Invalid field: %s%s%s", detail,
		    why ? ": " : "", why ? why : "");
		json_object_object_add(resp->json, "message",
		    json_object_new_string(msg));
		json_object_object_add(resp->json, "field",
		    json_object_new_string(detail));
		return;
	}
	snprintf(msg, sizeof(msg), "%s%s%s", errors[i].message,
	    why ? ": " : "", why ? why : "");
	json_object_object_add(resp->json, "message",
	    json_object_new_string(msg));
	if (err == TG_ERR_METHOD && detail != NULL)
		(void)http_header(resp, "Allow", detail);
}

int
http_header(struct tg_resp *resp, const char *name, const char *value)
{
	size_t left = sizeof(resp->hdr) - resp->hlen;
	int n;

	/* A value never carries a line break into the response. */
	if (strpbrk(value, "\r\n") != NULL)
		return -1;
	n = snprintf(resp->hdr + resp->hlen, left, "%s: %s\r\n", name,
	    value);
	if (n < 0 || (size_t)n >= left) {
		resp->hdr[resp->hlen] = '\0';
		return -1;
	}
	resp->hlen += n;
	return 0;
}

/* The CGI head of RESP, whose body is BLEN bytes of CTYPE, into HEAD;
 * what snprintf returns. A streamed body has no length to announce. */
static int
render_head(const struct tg_resp *resp, const char *ctype, size_t blen,
    char *head, size_t len)
{
	if (resp->stream != NULL)
		return snprintf(head, len, "Status: %d %s\r\n"
		    "Content-Type: %s\r\nCache-Control: no-store\r\n%s\r\n",
		    resp->status, http_reason(resp->status), resp->ctype !=
		    NULL ? resp->ctype : "application/octet-stream",
		    resp->hdr);
	if (resp->status == 204)
		return snprintf(head, len, "Status: 204 No Content\r\n"
		    "Cache-Control: no-store\r\n%s\r\n", resp->hdr);
	return snprintf(head, len, "Status: %d %s\r\n"
	    "Content-Type: %s\r\nCache-Control: no-store\r\n%s"
	    "Content-Length: %zu\r\n\r\n", resp->status,
	    http_reason(resp->status), ctype, resp->hdr, blen);
}

int
http_render(const struct tg_resp *resp, char **out, size_t *outlen)
{
	const char *body = "", *ctype = "application/json";
	char head[1536];
	size_t blen = 0;
	int n;

	if (resp->json != NULL) {
		body = jsonx_str(resp->json);
		blen = strlen(body);
	} else if (resp->text != NULL) {
		body = resp->text;
		blen = strlen(body);
		ctype = resp->ctype != NULL ? resp->ctype : "text/plain";
	}
	n = render_head(resp, ctype, blen, head, sizeof(head));
	if (n < 0 || (size_t)n >= sizeof(head))
		return -1;
	if (resp->status == 204 || resp->stream != NULL)
		blen = 0;
	if ((*out = malloc(n + blen + 1)) == NULL)
		return -1;
	memcpy(*out, head, n);
	memcpy(*out + n, body, blen);
	(*out)[n + blen] = '\0';
	*outlen = n + blen;
	return 0;
}

void
http_resp_free(struct tg_resp *resp)
{
	json_object_put(resp->json);
	free(resp->text);
	if (resp->stream_free != NULL)
		resp->stream_free(resp->stream_arg);
	resp->json = NULL;
	resp->text = NULL;
	resp->stream = NULL;
	resp->stream_arg = NULL;
	resp->stream_free = NULL;
}

enum tg_err
http_body_json(const struct tg_req *req, json_object **out)
{
	*out = NULL;
	if (req->body_len == 0)
		return TG_ERR_INVALID_JSON;
	*out = jsonx_parse(req->body, req->body_len);
	if (*out == NULL)
		return TG_ERR_INVALID_JSON;
	if (!json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		*out = NULL;
		return TG_ERR_INVALID_JSON;
	}
	return TG_OK;
}

int
http_ctype_is(const char *ctype, const char *type)
{
	size_t n = strlen(type);

	if (ctype == NULL)
		return 0;
	ctype += strspn(ctype, " \t");
	if (strncasecmp(ctype, type, n) != 0)
		return 0;
	ctype += n;
	ctype += strspn(ctype, " \t");
	return *ctype == '\0' || *ctype == ';';
}

int
http_cookie(const char *header, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name), vlen;
	const char *p = header;

	while (p != NULL && *p != '\0') {
		p += strspn(p, " \t;");
		if (strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			p += nlen + 1;
			vlen = strcspn(p, ";");
			while (vlen > 0 && (p[vlen - 1] == ' ' ||
			    p[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && p[0] == '"' && p[vlen - 1] == '"') {
				p++;
				vlen -= 2;
			}
			if (vlen >= outlen)
				return -1;
			memcpy(out, p, vlen);
			out[vlen] = '\0';
			return 0;
		}
		p = strchr(p, ';');
	}
	return 1;
}

int
http_terminal_id(const char *uri, const char *prefix,
    char id[TOK_ID_LEN + 1])
{
	size_t plen = strlen(prefix);

	if (uri == NULL || strncmp(uri, prefix, plen) != 0 ||
	    uri[plen] != '/')
		return -1;
	uri += plen + 1;
	if (strspn(uri, "0123456789abcdef") != TOK_ID_LEN)
		return -1;
	if (uri[TOK_ID_LEN] != '/' && uri[TOK_ID_LEN] != '\0' &&
	    uri[TOK_ID_LEN] != '?')
		return -1;
	memcpy(id, uri, TOK_ID_LEN);
	id[TOK_ID_LEN] = '\0';
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes LEN bytes of form encoding into OUT; 0 or -1 (also when not
 * even the NUL fits). */
static int
form_decode(const char *in, size_t len, char *out, size_t outlen)
{
	size_t i, o = 0;
	int hi, lo;

	if (outlen == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (o + 1 >= outlen)
			return -1;
		if (in[i] == '+')
			out[o++] = ' ';
		else if (in[i] != '%')
			out[o++] = in[i];
		else {
			if (i + 2 >= len)
				return -1;
			if ((hi = hexval(in[i + 1])) == -1 ||
			    (lo = hexval(in[i + 2])) == -1 ||
			    (hi == 0 && lo == 0))
				return -1;
			out[o++] = hi * 16 + lo;
			i += 2;
		}
	}
	out[o] = '\0';
	return 0;
}

int
http_query(const char *query, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name), plen;
	const char *p = query;

	while (p != NULL && *p != '\0') {
		plen = strcspn(p, "&");
		if (plen > nlen && strncmp(p, name, nlen) == 0 &&
		    p[nlen] == '=')
			return form_decode(p + nlen + 1, plen - nlen - 1,
			    out, outlen);
		if (plen == nlen && strncmp(p, name, nlen) == 0) {
			if (outlen == 0)
				return -1;
			out[0] = '\0';
			return 0;
		}
		p += plen;
		if (*p == '&')
			p++;
	}
	return 1;
}

enum tg_err
http_require_admin(struct tg_req *req)
{
	int rv;

	if (cfg_is_admin(req->cfg, req->user))
		return TG_OK;
	if ((rv = users_check_admin(req->db, req->user)) == -1)
		return TG_ERR_DATABASE;
	return rv == 0 ? TG_OK : TG_ERR_FORBIDDEN;
}
