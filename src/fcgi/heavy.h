/* heavy.h - admitting the reads that can hold a worker for long. */
#ifndef TG_FCGI_HEAVY_H
#define TG_FCGI_HEAVY_H

#include "http.h"

/*
 * Admits a heavy read of the caller (a history search with a filter, an
 * export, the frequent commands, the audit trail): TG_OK, its worker's
 * claim held until the request ends; or 429 TOO_MANY_READS with
 * Retry-After (a search's time limit) in RESP and why in req->err_why,
 * when the caller runs history_user_concurrency of them already or they
 * take every worker but the reserve. Touches no database.
 */
enum tg_err	heavy_admit(struct tg_req *, struct tg_resp *);

#endif
