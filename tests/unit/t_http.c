/*
 * t_http.c - unit tests of termgate-fcgi's route table and request layer
 * (src/fcgi/route.c, http.c).
 *
 * Tables of requests that the shared checks must stop before any handler
 * runs (so no database is needed): unknown routes, wrong methods with
 * their Allow header, missing users, big bodies, wrong content types, bad
 * session ids, each with its status and error code. Then the parsers of
 * cookies, X-Original-URI and query strings, the error bodies and the
 * rendered CGI response.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "fcgi/csv.h"
#include "fcgi/route.h"
#include "jsonx.h"
#include "suites.h"

#define ID	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"
#define JSON	"application/json"

struct rcase {
	const char	*method;
	const char	*path;
	const char	*user;
	const char	*ctype;
	size_t		 body_len;
	int		 too_large;
	int		 status;
	const char	*code;
	const char	*allow;		/* expected Allow, or NULL */
};

static const struct rcase rcases[] = {
	{ "GET", "/", "u", NULL, 0, 0, 404, "NOT_FOUND", NULL },
	{ "GET", "/api/terminal/nope", "u", NULL, 0, 0, 404, "NOT_FOUND",
	    NULL },
	{ "GET", "/api/terminal/sessions/", "u", NULL, 0, 0, 404,
	    "NOT_FOUND", NULL },
	{ "GET", "/api/terminal/sessions//heartbeat", "u", NULL, 0, 0, 404,
	    "NOT_FOUND", NULL },
	{ "GET", "/api/terminal/history", NULL, NULL, 0, 0, 401,
	    "UNAUTHENTICATED", NULL },
	{ "PUT", "/api/terminal/history", "u", NULL, 0, 0, 405,
	    "METHOD_NOT_ALLOWED", "GET, DELETE" },
	{ "POST", "/api/terminal/history/frequent", "u", JSON, 2, 0, 405,
	    "METHOD_NOT_ALLOWED", "GET, DELETE" },
	{ "GET", "/api/terminal/history/12", "u", NULL, 0, 0, 405,
	    "METHOD_NOT_ALLOWED", "DELETE" },
	{ "DELETE", "/api/terminal/history/abc", "u", JSON, 0, 0, 400,
	    "INVALID_FIELD", NULL },
	{ "DELETE", "/api/terminal/history/0", "u", JSON, 0, 0, 400,
	    "INVALID_FIELD", NULL },
	{ "DELETE", "/api/terminal/history/1234567890123456789", "u", JSON,
	    0, 0, 400, "INVALID_FIELD", NULL },
	/* A change needs its content type, empty body or not; but a DELETE
	 * without a body may have none (the next check answers). */
	{ "DELETE", "/api/terminal/history/0", "u", NULL, 0, 0, 400,
	    "INVALID_FIELD", NULL },
	{ "DELETE", "/api/terminal/history/12", "u", NULL, 2, 0, 415,
	    "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "DELETE", "/api/terminal/history/12", "u", "", 2, 0, 415,
	    "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "DELETE", "/api/terminal/history/12", "u", "text/plain", 2, 0, 415,
	    "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "POST", "/api/terminal/sessions/" ID "/commands", "u", "text/plain",
	    2, 0, 415, "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "POST", "/api/terminal/sessions/abc/commands", "u", JSON, 2, 0,
	    400, "INVALID_SESSION_ID", NULL },
	{ "GET", "/api/terminal/sessions/abc/recording", "u", NULL, 0, 0,
	    400, "INVALID_SESSION_ID", NULL },
	{ "GET", "/api/terminal/sessions/" ID "/recording", NULL, NULL, 0, 0,
	    401, "UNAUTHENTICATED", NULL },
	{ "GET", "/api/terminal/sessions/../hosts", "u", NULL, 0, 0, 404,
	    "NOT_FOUND", NULL },
	{ "PUT", "/api/terminal/sessions", "u", NULL, 0, 0, 405,
	    "METHOD_NOT_ALLOWED", "POST, GET" },
	{ "POST", "/api/terminal/sessions/" ID, "u", JSON, 2, 0, 405,
	    "METHOD_NOT_ALLOWED", "GET, DELETE" },
	{ "GET", "/api/terminal/sessions/" ID "/heartbeat", "u", NULL, 0, 0,
	    405, "METHOD_NOT_ALLOWED", "POST" },
	{ "POST", "/api/terminal/hosts", "u", JSON, 2, 0, 405,
	    "METHOD_NOT_ALLOWED", "GET" },
	{ "GET", "/api/terminal/sessions", NULL, NULL, 0, 0, 401,
	    "UNAUTHENTICATED", NULL },
	{ "POST", "/api/terminal/sessions", NULL, JSON, 2, 0, 401,
	    "UNAUTHENTICATED", NULL },
	{ "GET", "/api/terminal/health", NULL, NULL, 0, 0, 401,
	    "UNAUTHENTICATED", NULL },
	{ "GET", "/metrics", NULL, NULL, 0, 0, 401, "UNAUTHENTICATED",
	    NULL },
	{ "GET", "/api/terminal/sessions", "", NULL, 0, 0, 401,
	    "UNAUTHENTICATED", NULL },
	/* A user nginx names that termgate cannot take: 403 everywhere,
	 * never "no user" (authorize would check the token alone). */
	{ "GET", "/api/terminal/sessions", "bad user", NULL, 0, 0, 403,
	    "FORBIDDEN", NULL },
	{ "GET", "/api/terminal/hosts", "a\nb", NULL, 0, 0, 403,
	    "FORBIDDEN", NULL },
	{ "GET", "/api/terminal/authorize", "bad user", NULL, 0, 0, 403,
	    "FORBIDDEN", NULL },
	{ "POST", "/api/terminal/sessions/" ID "/beacon", "\x01", "text/plain",
	    5, 0, 403, "FORBIDDEN", NULL },
	/* State-changing calls need their content type, body or not. */
	{ "POST", "/api/terminal/sessions/" ID "/heartbeat", "u", NULL, 0, 0,
	    415, "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "POST", "/api/terminal/sessions/" ID "/heartbeat", "u",
	    "application/x-www-form-urlencoded", 0, 0, 415,
	    "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "DELETE", "/api/terminal/sessions/abc", "u", NULL, 0, 0, 400,
	    "INVALID_SESSION_ID", NULL },
	{ "DELETE", "/api/terminal/sessions/" ID, "u", NULL, 2, 0, 415,
	    "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "DELETE", "/api/terminal/sessions/" ID, "u", "text/plain", 0, 0, 415,
	    "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "DELETE", "/api/terminal/admin/sessions/abc", "u", NULL, 0, 0, 400,
	    "INVALID_SESSION_ID", NULL },
	{ "DELETE", "/api/terminal/admin/sessions/" ID, "u", NULL, 2, 0, 415,
	    "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "DELETE", "/api/terminal/history", "u", "text/plain", 0, 0, 415,
	    "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "POST", "/api/terminal/sessions/" ID "/beacon", NULL, NULL, 5, 0,
	    415, "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "POST", "/api/terminal/sessions/" ID "/beacon", NULL, JSON, 5, 0,
	    415, "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "POST", "/api/terminal/sessions/" ID "/beacon", NULL,
	    "multipart/form-data; boundary=x", 5, 0, 415,
	    "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "POST", "/api/terminal/sessions", "u", JSON, 0, 1, 413,
	    "BODY_TOO_LARGE", NULL },
	{ "POST", "/api/terminal/sessions", "u", "text/plain", 2, 0, 415,
	    "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "POST", "/api/terminal/sessions", "u", NULL, 2, 0, 415,
	    "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "POST", "/api/terminal/sessions", "u", "application/jsonx", 2, 0,
	    415, "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "POST", "/api/terminal/sessions/" ID "/heartbeat", "u",
	    "text/plain", 2, 0, 415, "UNSUPPORTED_MEDIA_TYPE", NULL },
	{ "GET", "/api/terminal/sessions/abc", "u", NULL, 0, 0, 400,
	    "INVALID_SESSION_ID", NULL },
	{ "GET", "/api/terminal/sessions/" ID "0", "u", NULL, 0, 0, 400,
	    "INVALID_SESSION_ID", NULL },
	{ "DELETE", "/api/terminal/sessions/0123456789ABCDEF0123456789abcdef"
	    "0123456789abcdef0123456789abcdef", "u", JSON, 0, 0, 400,
	    "INVALID_SESSION_ID", NULL },
	{ "POST", "/api/terminal/sessions/xyz/heartbeat", "u", JSON, 0, 0,
	    400, "INVALID_SESSION_ID", NULL },
	{ "POST", "/api/terminal/sessions/xyz/beacon", NULL, "text/plain", 5,
	    0, 400, "INVALID_SESSION_ID", NULL },
	{ "DELETE", "/api/terminal/admin/sessions/1", "u", JSON, 0, 0, 400,
	    "INVALID_SESSION_ID", NULL },
};

/* The "error" of RESP's body, or "". */
static const char *
code_of(const struct tg_resp *resp)
{
	const char *v = "";

	if (resp->json != NULL)
		(void)jsonx_get_str(resp->json, "error", &v);
	return v;
}

static void
test_route_errors(void)
{
	struct tg_cfg cfg;
	struct tg_req req;
	struct tg_resp resp;
	char desc[256], allow[80];
	size_t i;

	cfg_defaults(&cfg);
	for (i = 0; i < T_NELEM(rcases); i++) {
		const struct rcase *c = &rcases[i];

		memset(&req, 0, sizeof(req));
		req.method = c->method;
		req.path = c->path;
		req.query = "";
		req.user = c->user;
		req.content_type = c->ctype;
		req.body = "{}";
		req.body_len = c->body_len;
		req.body_too_large = c->too_large;
		req.cfg = &cfg;
		route_handle(&req, &resp);
		snprintf(desc, sizeof(desc), "%s %s -> %d %s", c->method,
		    c->path, c->status, c->code);
		T_ASSERT(resp.status == c->status, desc);
		T_ASSERT(strcmp(code_of(&resp), c->code) == 0, desc);
		if (c->allow != NULL) {
			snprintf(allow, sizeof(allow), "Allow: %s\r\n",
			    c->allow);
			T_ASSERT(strstr(resp.hdr, allow) != NULL, desc);
		}
		http_resp_free(&resp);
	}
}

static void
test_error_bodies(void)
{
	struct tg_resp resp;
	const char *msg = NULL, *field = NULL;

	memset(&resp, 0, sizeof(resp));
	http_error(&resp, TG_ERR_INVALID_FIELD, "host_id");
	CU_ASSERT_EQUAL(resp.status, 400);
	CU_ASSERT_STRING_EQUAL(code_of(&resp), "INVALID_FIELD");
	CU_ASSERT_EQUAL(jsonx_get_str(resp.json, "message", &msg), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "host_id"));
	CU_ASSERT_EQUAL(jsonx_get_str(resp.json, "field", &field), 0);
	http_error(&resp, TG_ERR_DATABASE, NULL);
	CU_ASSERT_EQUAL(resp.status, 503);
	CU_ASSERT_STRING_EQUAL(code_of(&resp), "DATABASE_UNAVAILABLE");
	http_error(&resp, TG_ERR_NO_PORT, NULL);
	CU_ASSERT_STRING_EQUAL(code_of(&resp), "NO_FREE_PORT");
	http_error(&resp, TG_ERR_NO_CAPACITY, NULL);
	CU_ASSERT_EQUAL(resp.status, 503);
	CU_ASSERT_STRING_EQUAL(code_of(&resp), "NO_CAPACITY");
	http_error(&resp, TG_ERR_SPAWN_FAILED, NULL);
	CU_ASSERT_STRING_EQUAL(code_of(&resp), "SPAWN_FAILED");
	http_error(&resp, TG_ERR_UNKNOWN_HOST, NULL);
	CU_ASSERT_EQUAL(resp.status, 404);
	CU_ASSERT_STRING_EQUAL(code_of(&resp), "UNKNOWN_HOST");
	/* A reason, when there is one, follows the field or the message. */
	http_error_why(&resp, TG_ERR_INVALID_FIELD, "q", "bad pattern");
	CU_ASSERT_EQUAL(jsonx_get_str(resp.json, "message", &msg), 0);
	CU_ASSERT_STRING_EQUAL(msg, "Invalid field: q: bad pattern");
	http_error_why(&resp, TG_ERR_NOT_FOUND, NULL, "no recording");
	CU_ASSERT_EQUAL(jsonx_get_str(resp.json, "message", &msg), 0);
	CU_ASSERT_STRING_EQUAL(msg, "Not found: no recording");
	http_error_why(&resp, TG_ERR_SESSION_ENDED, NULL, "");
	CU_ASSERT_EQUAL(resp.status, 409);
	CU_ASSERT_STRING_EQUAL(code_of(&resp), "SESSION_ENDED");
	http_error(&resp, TG_ERR_RATE_LIMITED, NULL);
	CU_ASSERT_EQUAL(resp.status, 429);
	CU_ASSERT_STRING_EQUAL(code_of(&resp), "RATE_LIMITED");
	http_error(&resp, TG_ERR_SEARCH_TIMEOUT, NULL);
	CU_ASSERT_EQUAL(resp.status, 400);
	CU_ASSERT_STRING_EQUAL(code_of(&resp), "SEARCH_TIMEOUT");
	http_error(&resp, TG_ERR_TOO_MANY_READS, NULL);
	CU_ASSERT_EQUAL(resp.status, 429);
	CU_ASSERT_STRING_EQUAL(code_of(&resp), "TOO_MANY_READS");
	http_error(&resp, TG_ERR_MEDIA_TYPE, NULL);
	CU_ASSERT_EQUAL(jsonx_get_str(resp.json, "message", &msg), 0);
	CU_ASSERT_STRING_EQUAL(msg, "Content-Type must be application/json");
	http_resp_free(&resp);
}

/* A 415 names the types the route takes. */
static void
test_media_type_message(void)
{
	struct tg_cfg cfg;
	struct tg_req req;
	struct tg_resp resp;
	const char *msg = "";

	cfg_defaults(&cfg);
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.path = "/api/terminal/sessions/" ID "/beacon";
	req.query = "";
	req.content_type = JSON;
	req.cfg = &cfg;
	route_handle(&req, &resp);
	CU_ASSERT_EQUAL(resp.status, 415);
	(void)jsonx_get_str(resp.json, "message", &msg);
	CU_ASSERT_STRING_EQUAL(msg, "Content-Type must be text/plain or "
	    "application/x-www-form-urlencoded");
	http_resp_free(&resp);
	req.method = "DELETE";
	req.path = "/api/terminal/sessions/" ID;
	req.user = "u";
	req.content_type = NULL;
	req.body = "{}";
	req.body_len = 2;
	route_handle(&req, &resp);
	CU_ASSERT_EQUAL(resp.status, 415);
	(void)jsonx_get_str(resp.json, "message", &msg);
	CU_ASSERT_STRING_EQUAL(msg, "Content-Type must be application/json");
	http_resp_free(&resp);
}

static int
no_stream(struct tg_req *req, void *arg, http_sink_fn sink, void *out)
{
	(void)req;
	(void)arg;
	(void)sink;
	(void)out;
	return 0;
}

static int freed;

static void
count_free(void *arg)
{
	(void)arg;
	freed++;
}

/* A streamed response: its head only, no length; its state freed. */
static void
test_render_stream(void)
{
	struct tg_resp resp;
	char *out = NULL;
	size_t len;

	memset(&resp, 0, sizeof(resp));
	resp.status = 200;
	resp.ctype = "text/csv; charset=utf-8";
	resp.stream = no_stream;
	resp.stream_free = count_free;
	CU_ASSERT_EQUAL(http_header(&resp, "Content-Disposition",
	    "attachment"), 0);
	CU_ASSERT_EQUAL(http_render(&resp, &out, &len), 0);
	CU_ASSERT_STRING_EQUAL(out, "Status: 200 OK\r\n"
	    "Content-Type: text/csv; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\n"
	    "Content-Disposition: attachment\r\n\r\n");
	free(out);
	freed = 0;
	http_resp_free(&resp);
	CU_ASSERT_EQUAL(freed, 1);
	CU_ASSERT_PTR_NULL(resp.stream);
}

static void
test_render(void)
{
	struct tg_resp resp;
	char *out = NULL;
	size_t len;

	memset(&resp, 0, sizeof(resp));
	resp.status = 201;
	resp.json = json_object_new_object();
	json_object_object_add(resp.json, "url",
	    json_object_new_string("/terminal/x/"));
	CU_ASSERT_EQUAL(http_header(&resp, "Set-Cookie", "a=b"), 0);
	CU_ASSERT_EQUAL(http_header(&resp, "X-Bad", "a\r\nb"), -1);
	CU_ASSERT_EQUAL(http_render(&resp, &out, &len), 0);
	CU_ASSERT_EQUAL(strlen(out), len);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Status: 201 Created\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Cache-Control: no-store\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Set-Cookie: a=b\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Content-Type: application/json"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/terminal/x/"));	/* no \/ */
	CU_ASSERT_PTR_NULL(strstr(out, "X-Bad"));
	free(out);
	http_resp_free(&resp);
	memset(&resp, 0, sizeof(resp));
	resp.status = 204;
	CU_ASSERT_EQUAL(http_render(&resp, &out, &len), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Status: 204 No Content\r\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "Content-Length"));
	free(out);
	CU_ASSERT_STRING_EQUAL(http_reason(429), "Too Many Requests");
}

static const struct {
	const char	*header;
	int		 rv;
	const char	*value;
} cookies[] = {
	{ "termgate_token=abc", 0, "abc" },
	{ "a=1; termgate_token=abc; b=2", 0, "abc" },
	{ "a=1;termgate_token=\"abc\"", 0, "abc" },
	{ "xtermgate_token=abc", 1, NULL },
	{ "termgate_tokenx=abc", 1, NULL },
	{ "a=termgate_token=abc", 1, NULL },
	{ "", 1, NULL },
	{ NULL, 1, NULL },
	{ "termgate_token=", 0, "" },
	{ "termgate_token=0123456789012345678901234567890123456789", -1,
	    NULL },
};

static void
test_cookie(void)
{
	char out[32], desc[128];
	size_t i;
	int rv;

	for (i = 0; i < T_NELEM(cookies); i++) {
		snprintf(desc, sizeof(desc), "cookie %s",
		    cookies[i].header ? cookies[i].header : "(null)");
		rv = http_cookie(cookies[i].header, "termgate_token", out,
		    sizeof(out));
		T_ASSERT(rv == cookies[i].rv, desc);
		if (rv == 0)
			T_ASSERT(strcmp(out, cookies[i].value) == 0, desc);
	}
}

static const struct {
	const char	*uri;
	int		 rv;
} uris[] = {
	{ "/terminal/" ID "/", 0 },
	{ "/terminal/" ID, 0 },
	{ "/terminal/" ID "/ws", 0 },
	{ "/terminal/" ID "?x=1", 0 },
	{ "/terminal/" ID "0/", -1 },
	{ "/terminal/" ID "x", -1 },
	{ "/terminal/abc/", -1 },
	{ "/terminalx/" ID "/", -1 },
	{ "/api/terminal/" ID "/", -1 },
	{ "/terminal//" ID "/", -1 },
	{ "", -1 },
	{ NULL, -1 },
};

static void
test_original_uri(void)
{
	char id[TOK_ID_LEN + 1], desc[200];
	size_t i;
	int rv;

	for (i = 0; i < T_NELEM(uris); i++) {
		snprintf(desc, sizeof(desc), "uri %s",
		    uris[i].uri ? uris[i].uri : "(null)");
		rv = http_terminal_id(uris[i].uri, "/terminal", id);
		T_ASSERT(rv == uris[i].rv, desc);
		if (rv == 0)
			T_ASSERT(strcmp(id, ID) == 0, desc);
	}
	CU_ASSERT_EQUAL(http_terminal_id("/t/x/" ID "/", "/t/x", id), 0);
}

static void
test_query(void)
{
	char out[16];

	CU_ASSERT_EQUAL(http_query("a=1&status=active&b=2", "status", out,
	    sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "active");
	CU_ASSERT_EQUAL(http_query("token=a%2Bb+c", "token", out,
	    sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "a+b c");
	CU_ASSERT_EQUAL(http_query("xstatus=1", "status", out, sizeof(out)),
	    1);
	CU_ASSERT_EQUAL(http_query("", "status", out, sizeof(out)), 1);
	CU_ASSERT_EQUAL(http_query("status", "status", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "");
	CU_ASSERT_EQUAL(http_query("s=%2", "s", out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(http_query("s=%zz", "s", out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(http_query("s=%00", "s", out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(http_query("s=0123456789abcdefXYZ", "s", out,
	    sizeof(out)), -1);
}

/*
 * Found by tests/fuzz/fuzz_form: an empty value ("s=") into a buffer of
 * size 0 was "found" and its NUL written one byte past the buffer. No
 * value fits in 0 bytes: -1, and the buffer is not touched.
 */
static void
test_query_zero_buffer(void)
{
	char out[2] = "x";

	CU_ASSERT_EQUAL(http_query("s=", "s", out, 0), -1);
	CU_ASSERT_EQUAL(http_query("=&", "", out, 0), -1);
	CU_ASSERT_EQUAL(http_query("s", "s", out, 0), -1);
	CU_ASSERT_EQUAL(out[0], 'x');
	CU_ASSERT_EQUAL(http_query("t=", "s", out, 0), 1);
}

static void
test_ctype(void)
{
	CU_ASSERT_TRUE(http_ctype_is("application/json", JSON));
	CU_ASSERT_TRUE(http_ctype_is("Application/JSON; charset=utf-8",
	    JSON));
	CU_ASSERT_FALSE(http_ctype_is("application/json-seq", JSON));
	CU_ASSERT_FALSE(http_ctype_is("text/plain", JSON));
	CU_ASSERT_FALSE(http_ctype_is(NULL, JSON));
}

static void
test_body_json(void)
{
	struct tg_req req;
	json_object *o;

	memset(&req, 0, sizeof(req));
	req.body = "{\"host_id\": \"a\"}";
	req.body_len = strlen(req.body);
	CU_ASSERT_EQUAL(http_body_json(&req, &o), TG_OK);
	json_object_put(o);
	req.body = "[1]";
	req.body_len = 3;
	CU_ASSERT_EQUAL(http_body_json(&req, &o), TG_ERR_INVALID_JSON);
	CU_ASSERT_PTR_NULL(o);
	req.body = "{\"a\":1} x";
	req.body_len = strlen(req.body);
	CU_ASSERT_EQUAL(http_body_json(&req, &o), TG_ERR_INVALID_JSON);
	req.body_len = 0;
	CU_ASSERT_EQUAL(http_body_json(&req, &o), TG_ERR_INVALID_JSON);
}

/* A sink into a fixed buffer (struct sbuf); -1 once it is full. */
struct sbuf {
	char	b[256];
	size_t	n;
};

static int
sbuf_sink(void *arg, const char *p, size_t len)
{
	struct sbuf *s = arg;

	if (s->n + len >= sizeof(s->b))
		return -1;
	memcpy(s->b + s->n, p, len);
	s->n += len;
	s->b[s->n] = '\0';
	return 0;
}

/* csv_field: quoted, quotes doubled, and the guard both exports share
 * against text a spreadsheet would run as a formula. */
static void
test_csv_field(void)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ NULL, "," },
		{ "", "\"\"," },
		{ "ls -l", "\"ls -l\"," },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"," },
		{ "=1+1", "\"'=1+1\"," },
		{ "+1", "\"'+1\"," },
		{ "-rf", "\"'-rf\"," },
		{ "@SUM(A1)", "\"'@SUM(A1)\"," },
		{ "\tx", "\"'\tx\"," },
		{ "\rx", "\"'\rx\"," },
		{ "a=1", "\"a=1\"," },
		{ "{\"note\": \"=x\"}", "\"{\"\"note\"\": \"\"=x\"\"}\"," },
	};
	struct sbuf s;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&s, 0, sizeof(s));
		CU_ASSERT_EQUAL(csv_field(sbuf_sink, &s, cases[i].in, ","), 0);
		CU_ASSERT_STRING_EQUAL(s.b, cases[i].want);
	}
	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(csv_number(sbuf_sink, &s, 1, -42, ","), 0);
	CU_ASSERT_EQUAL(csv_number(sbuf_sink, &s, 0, 7, "\r\n"), 0);
	CU_ASSERT_STRING_EQUAL(s.b, "-42,\r\n");
	/* The client gone: -1. */
	s.n = sizeof(s.b) - 1;
	CU_ASSERT_EQUAL(csv_field(sbuf_sink, &s, "x", ","), -1);
}

int
suite_http_register(void)
{
	static const struct t_case cases[] = {
		{ "route errors", test_route_errors },
		{ "error bodies", test_error_bodies },
		{ "415 names the types", test_media_type_message },
		{ "render", test_render },
		{ "render a stream", test_render_stream },
		{ "cookie", test_cookie },
		{ "original uri", test_original_uri },
		{ "query", test_query },
		{ "query into a zero-size buffer", test_query_zero_buffer },
		{ "content type", test_ctype },
		{ "body json", test_body_json },
		{ "csv field", test_csv_field },
	};

	return t_register("http", cases, T_NELEM(cases));
}
