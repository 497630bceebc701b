/*
 * api.h - the handlers of termgate-fcgi's endpoints (doc/api.md), one
 * per route. Only the route table (route.c) calls them; they call the
 * request layer (http.h) and the library, never each other.
 */
#ifndef TG_FCGI_API_H
#define TG_FCGI_API_H

#include "http.h"

/* Each answers into the response, or returns the error to answer. */
typedef enum tg_err (*api_fn)(struct tg_req *, struct tg_resp *);

enum tg_err	api_open(struct tg_req *, struct tg_resp *);
enum tg_err	api_list(struct tg_req *, struct tg_resp *);
enum tg_err	api_get(struct tg_req *, struct tg_resp *);
enum tg_err	api_heartbeat(struct tg_req *, struct tg_resp *);
enum tg_err	api_close(struct tg_req *, struct tg_resp *);
enum tg_err	api_beacon(struct tg_req *, struct tg_resp *);
enum tg_err	api_authorize(struct tg_req *, struct tg_resp *);
enum tg_err	api_node_authorize(struct tg_req *, struct tg_resp *);
enum tg_err	api_hosts(struct tg_req *, struct tg_resp *);
enum tg_err	api_metrics(struct tg_req *, struct tg_resp *);
enum tg_err	api_prometheus(struct tg_req *, struct tg_resp *);
/* Reads the token /metrics asks for from PATH (metrics_token_file; "":
 * none, nginx's address rule alone), before the workers fork; 0, or -1
 * with ERR said. */
int		api_prometheus_token(const char *path, char *err,
		    size_t errlen);
enum tg_err	api_health(struct tg_req *, struct tg_resp *);
enum tg_err	api_admin_list(struct tg_req *, struct tg_resp *);
enum tg_err	api_admin_close(struct tg_req *, struct tg_resp *);
enum tg_err	api_admin_events(struct tg_req *, struct tg_resp *);
enum tg_err	api_history_add(struct tg_req *, struct tg_resp *);
enum tg_err	api_history_list(struct tg_req *, struct tg_resp *);
enum tg_err	api_history_frequent(struct tg_req *, struct tg_resp *);
enum tg_err	api_history_export(struct tg_req *, struct tg_resp *);
enum tg_err	api_history_delete(struct tg_req *, struct tg_resp *);
enum tg_err	api_history_delete_before(struct tg_req *, struct tg_resp *);
enum tg_err	api_recording(struct tg_req *, struct tg_resp *);
enum tg_err	api_share_create(struct tg_req *, struct tg_resp *);
enum tg_err	api_share_list(struct tg_req *, struct tg_resp *);
enum tg_err	api_share_revoke(struct tg_req *, struct tg_resp *);
enum tg_err	api_share_redeem(struct tg_req *, struct tg_resp *);
enum tg_err	api_watch_start(struct tg_req *, struct tg_resp *);
enum tg_err	api_watch_end(struct tg_req *, struct tg_resp *);

#endif
