/*
 * heavy.c - one gate for the reads that can hold a worker for
 * history_search_timeout or longer, whichever endpoint runs them
 * (api_history.c, api_audit.c): each is counted in the workers' shared
 * table (inflight.h) once its parameters check out and before it
 * reaches the database; over the caller's share, or all the workers'
 * but the reserve, it is refused at once, so that heartbeats, opens and
 * closes always find a worker. The worker lets go of its claim when the
 * request ends (worker.c). Part of the request layer.
 */
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "heavy.h"
#include "inflight.h"
#include "log.h"

enum tg_err
heavy_admit(struct tg_req *req, struct tg_resp *resp)
{
	const struct tg_cfg *cfg = req->cfg;
	enum inflight rv;
	char secs[16];

	rv = inflight_enter(req->slot, req->user,
	    cfg->history_user_concurrency);
	if (rv == INFLIGHT_OK)
		return TG_OK;
	snprintf(secs, sizeof(secs), "%d",
	    (cfg->history_search_timeout + 999) / 1000);
	(void)http_header(resp, "Retry-After", secs);
	if (rv == INFLIGHT_USER)
		snprintf(req->err_why, sizeof(req->err_why), "you run %d at "
		    "once already, the most one user may; try again in a "
		    "moment", cfg->history_user_concurrency);
	else
		strlcpy(req->err_why, "the workers left are kept for "
		    "terminals; try again in a moment", sizeof(req->err_why));
	log_info("heavy read path=%s user=%s refused: %s", req->path,
	    req->user, rv == INFLIGHT_USER ? "history_user_concurrency" :
	    "reads take every worker but the reserve");
	return TG_ERR_TOO_MANY_READS;
}
