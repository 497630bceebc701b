/* route.h - termgate-fcgi's route table: a request to its handler. */
#ifndef TG_FCGI_ROUTE_H
#define TG_FCGI_ROUTE_H

#include <stddef.h>

#include "http.h"

/*
 * Routes REQ, runs the checks its route needs and then its handler, and
 * leaves the answer in RESP (an error rendered as its JSON body), which
 * the caller frees with http_resp_free. Cannot fail.
 */
void	route_handle(struct tg_req *, struct tg_resp *);
/*
 * Reads what the handlers take from files of CFG once, at start, before
 * the workers fork (metrics_token_file). 0, or -1 with ERR (ERRLEN
 * bytes) saying why.
 */
int	route_setup(const struct tg_cfg *, char *err, size_t errlen);

#endif
