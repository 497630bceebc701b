/* route.h - termgate-fcgi's route table: a request to its handler. */
#ifndef TG_FCGI_ROUTE_H
#define TG_FCGI_ROUTE_H

#include "http.h"

/*
 * Routes REQ, runs the checks its route needs and then its handler, and
 * leaves the answer in RESP (an error rendered as its JSON body), which
 * the caller frees with http_resp_free. Cannot fail.
 */
void	route_handle(struct tg_req *, struct tg_resp *);

#endif
