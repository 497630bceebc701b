/*
 * worker.c - one prefork worker of termgate-fcgi: the FastCGI accept loop.
 *
 * The worker opens its own PostgreSQL connection after fork and answers
 * one request at a time. SIGTERM and SIGINT stay blocked except while the
 * worker waits for a connection (epoll_pwait, ppoll), so a stop request
 * lets the request in flight (and its wait for a terminal) finish, and can
 * never be lost between a check of the flag and a blocking accept(): the
 * listening socket is non-blocking and the accept only follows a readable
 * poll. A worker that loses the accept race to a sibling just polls again.
 * When nginx keeps the connection (fastcgi_keep_conn on), libfcgi keeps
 * it open after the request and reads the next request from it: the
 * worker then waits on that connection, not on the listening socket,
 * until nginx closes it. (libfcgi's header marks the request's ipcFd
 * internal; it is the only way to know which descriptor to wait on.)
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "cfg.h"
#include "clock.h"
#include "db.h"
#include "fcgi.h"
#include "http.h"
#include "inflight.h"
#include "log.h"
#include "notify.h"
#include "route.h"
#include "stats.h"

volatile sig_atomic_t worker_stop;

static const char fallback[] = "Status: 500 Internal Server Error\r\n"
    "Content-Type: application/json\r\nCache-Control: no-store\r\n\r\n"
    "{\"error\": \"INTERNAL_ERROR\", \"message\": \"Internal error\"}";

static void
on_stop(int sig)
{
	(void)sig;
	worker_stop = 1;
}

/* Installs the handlers (before libfcgi does) and blocks the stops. */
static void
worker_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_SETMASK, &block, waitmask);
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGINT);
}

static const char *
param(FCGX_Request *r, const char *name)
{
	return FCGX_GetParam(name, r->envp);
}

/* The request path without its query; PATH is storage for a copy. */
static const char *
path_of(FCGX_Request *r, char *buf, size_t len)
{
	const char *p;

	if ((p = param(r, "DOCUMENT_URI")) != NULL && *p != '\0')
		return p;
	if ((p = param(r, "REQUEST_URI")) == NULL)
		return "";
	snprintf(buf, len, "%.*s", (int)strcspn(p, "?"), p);
	return buf;
}

/* Reads a body of at most HTTP_BODY_MAX bytes into *BUF (malloc'd). */
static void
read_body(FCGX_Request *r, struct tg_req *req, char **buf)
{
	const char *cl = param(r, "CONTENT_LENGTH"), *e = NULL;
	long long len = 0;
	int n;

	*buf = NULL;
	if (cl != NULL && *cl != '\0')
		len = strtonum(cl, 0, LLONG_MAX, &e);
	if (e != NULL || len > HTTP_BODY_MAX) {
		req->body_too_large = e == NULL;
		return;
	}
	if (len == 0 || (*buf = malloc(len)) == NULL)
		return;
	while (req->body_len < (size_t)len) {
		n = FCGX_GetStr(*buf + req->body_len, len - req->body_len,
		    r->in);
		if (n <= 0)
			break;
		req->body_len += n;
	}
	req->body = *buf;
}

/* The sink of a streamed body: libfcgi's buffered stdout. */
static int
put(void *sink, const char *buf, size_t len)
{
	return FCGX_PutStr(buf, (int)len, sink) == (int)len ? 0 : -1;
}

/*
 * Writes RESP: the head and body, or the head and then its stream. A
 * stream that fails after the head went out cannot change the status:
 * the connection to nginx is shut down before the end of the request is
 * sent, so nginx cuts the client's transfer short instead of ending it
 * as if it were whole. Returns the status for the log.
 */
static int
respond(FCGX_Request *r, struct tg_req *req, struct tg_resp *resp)
{
	char *out = NULL;
	size_t len;

	if (http_render(resp, &out, &len) == -1) {
		FCGX_PutStr(fallback, sizeof(fallback) - 1, r->out);
		return 500;
	}
	FCGX_PutStr(out, len, r->out);
	free(out);
	if (resp->stream != NULL &&
	    resp->stream(req, resp->stream_arg, put, r->out) == -1) {
		log_warn("request path=%s user=%s stream cut short",
		    req->path, req->user ? req->user : "-");
		shutdown(r->ipcFd, SHUT_RDWR);
	}
	return resp->status;
}

static void
serve(FCGX_Request *r, struct tg_db *db, const struct tg_cfg *cfg,
    int slot)
{
	struct tg_req req;
	struct tg_resp resp;
	char pathbuf[1024], *body = NULL;
	const char *p;
	int64_t t0 = clock_us();
	int status;

	memset(&req, 0, sizeof(req));
	req.db = db;
	req.cfg = cfg;
	req.slot = slot;
	req.method = (p = param(r, "REQUEST_METHOD")) != NULL ? p : "GET";
	req.path = path_of(r, pathbuf, sizeof(pathbuf));
	req.query = (p = param(r, "QUERY_STRING")) != NULL ? p : "";
	p = param(r, "REMOTE_USER");
	req.user = p != NULL && *p != '\0' ? p : NULL;
	req.content_type = param(r, "CONTENT_TYPE");
	req.cookie = param(r, "HTTP_COOKIE");
	req.orig_uri = param(r, "HTTP_X_ORIGINAL_URI");
	req.node_auth = param(r, "HTTP_X_TERMGATE_NODE_AUTH");
	req.authorization = param(r, "HTTP_AUTHORIZATION");
	setproctitle("worker %d: %.8s %.80s", slot, req.method, req.path);
	read_body(r, &req, &body);
	db_refresh(db);
	db_watch(db, r->ipcFd);		/* a read for a client gone stops */
	route_handle(&req, &resp);
	db_watch(db, -1);
	status = respond(r, &req, &resp);
	(void)inflight_leave(slot);	/* a heavy read's claim, if any */
	stats_observe(req.stats, (clock_us() - t0) / 1e6);
	log_debug("request method=%s path=%s user=%s status=%d", req.method,
	    req.path, req.user ? req.user : "-", status);
	http_resp_free(&resp);
	free(body);
}

/*
 * libfcgi closes a connection nginx does not keep the slow way: it shuts
 * down its side and sleeps until nginx has read the answer and closed
 * its own (a "lingering close", so that unread input cannot make the
 * kernel reset the connection under an answer still in flight). When
 * nothing is left to read, a plain close() loses nothing: a detached
 * request is closed that way. One more wake-up of the worker saved per
 * request (contrib/bench/authorize, "worker's no").
 */
static void
skip_linger(FCGX_Request *r)
{
	char c;

	if (!r->keepConnection && r->ipcFd >= 0 &&
	    recv(r->ipcFd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == -1 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK))
		r->detached = 1;
}

/*
 * Waits for a connection on the listening socket; 1 when one is there,
 * else 0. Through epoll with EPOLLEXCLUSIVE: a connection wakes one idle
 * worker, where poll() on the shared socket woke them all and all but
 * one found nothing to accept (three wasted wake-ups a request with four
 * workers). epoll_pwait unblocks the stop signals as ppoll does.
 */
static int
wait_listen(int epfd, const sigset_t *waitmask)
{
	struct epoll_event ev;

	return epoll_pwait(epfd, &ev, 1, -1, waitmask) == 1;
}

/* Waits for the next request on a connection nginx keeps. */
static int
wait_kept(int fd, const sigset_t *waitmask)
{
	struct pollfd pfd;

	pfd.fd = fd;
	pfd.events = POLLIN;
	return ppoll(&pfd, 1, NULL, waitmask) == 1;
}

/* An epoll descriptor that wakes this worker alone for FD; -1 on error. */
static int
listen_epoll(int fd)
{
	struct epoll_event ev;
	int epfd;

	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return -1;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == -1) {
		close(epfd);
		return -1;
	}
	return epfd;
}

static void
accept_loop(int fd, struct tg_db *db, const struct tg_cfg *cfg, int slot,
    const sigset_t *waitmask)
{
	FCGX_Request r;
	int rv, epfd;

	if ((epfd = listen_epoll(fd)) == -1) {
		log_err("worker %d: epoll: %s", slot, strerror(errno));
		return;
	}
	if (FCGX_Init() != 0 ||
	    FCGX_InitRequest(&r, fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_err("worker %d: libfcgi initialization failed", slot);
		close(epfd);
		return;
	}
	while (!worker_stop) {
		setproctitle("worker %d: idle", slot);
		/* A connection nginx keeps (fastcgi_keep_conn) brings this
		 * worker's next request, or its end: wait on it instead. */
		if (!(r.ipcFd >= 0 ? wait_kept(r.ipcFd, waitmask) :
		    wait_listen(epfd, waitmask)))
			continue;
		if ((rv = FCGX_Accept_r(&r)) < 0) {
			if (rv != -EAGAIN && rv != -EWOULDBLOCK &&
			    rv != -EINTR && rv != -ECONNABORTED) {
				log_warn("worker %d: accept failed: %s", slot,
				    strerror(-rv));
				usleep(100000);		/* no busy loop */
			}
			continue;
		}
		serve(&r, db, cfg, slot);
		skip_linger(&r);
		FCGX_Finish_r(&r);
	}
	FCGX_Free(&r, 0);
	close(epfd);
}

void
worker_main(int fd, const struct tg_cfg *cfg, int slot)
{
	struct tg_db *db;
	sigset_t waitmask;

	worker_signals(&waitmask);
	setproctitle("worker %d: connecting", slot);
	if ((db = db_new(cfg->database)) == NULL) {
		log_err("worker %d: out of memory", slot);
		_exit(1);
	}
	(void)db_listen(db, NOTIFY_READY);
	log_info("worker %d: ready", slot);
	accept_loop(fd, db, cfg, slot, &waitmask);
	db_free(db);
	log_info("worker %d: stopped", slot);
	_exit(0);
}
