/*
 * tg-open - opens terminal sessions the way a FastCGI worker does, for the
 * supervisor tests and benchmark.
 *
 * usage: tg-open -c FILE [-u USER] [-H HOST] [-n COUNT] [-k] [-q]
 *
 * For each of COUNT sessions: LISTEN termgate_ready, sess_open (which
 * NOTIFYs termgate_spawn), wait for "ID ok" or "ID failed" (bounded by
 * spawn_timeout + 60 s: a loaded machine is slow, not broken), print
 * "ID ok|failed|timeout MS", and with -k close it again (user_close). Last, a summary line: count, ok, median
 * spawn-to-ready ms, sessions opened (+closed) per second. Exit 0 when
 * every session became ready, 1 otherwise, 2 on a usage or database
 * error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "db.h"
#include "log.h"
#include "notify.h"
#include "sess.h"

#include "../lib/pct.h"

/* clock_ms with a fraction, for medians of a few milliseconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Waits for ID's ready notification; "ok", "failed" or "timeout". */
static const char *
wait_ready(struct tg_db *db, const char *id, double deadline)
{
	struct db_note n;
	int rv;

	while (db_wait_note(db, (int64_t)deadline, &n) == 1) {
		if (strcmp(n.channel, NOTIFY_READY) == 0 &&
		    (rv = notify_ready(n.payload, id)) != -1)
			return rv == 1 ? "ok" : "failed";
	}
	return "timeout";
}

int
main(int argc, char *argv[])
{
	struct tg_cfg cfg;
	struct sess_open_req req = { "tester", "local", "embedded", 0, 0 };
	struct sess_opened o;
	struct tg_db *db;
	json_object *s, *v;
	const char *file = NULL, *r, *id;
	char err[512];
	double *ms, t0, start;
	int ch, n = 1, i, ok = 0, close_it = 0, quiet = 0;

	log_init("tg-open");
	while ((ch = getopt(argc, argv, "c:u:H:n:kq")) != -1) {
		switch (ch) {
		case 'c': file = optarg; break;
		case 'u': req.user = optarg; break;
		case 'H': req.host_id = optarg; break;
		case 'n': n = atoi(optarg); break;
		case 'k': close_it = 1; break;
		case 'q': quiet = 1; break;
		default: return 2;
		}
	}
	cfg_defaults(&cfg);
	if (file == NULL || n < 1 ||
	    cfg_load(&cfg, file, err, sizeof(err)) == -1) {
		fprintf(stderr, "tg-open: %s\n", file ? err : "usage");
		return 2;
	}
	if ((db = db_new(cfg.database)) == NULL || !db_ok(db) ||
	    db_listen(db, NOTIFY_READY) == -1 ||
	    (ms = calloc(n, sizeof(*ms))) == NULL)
		return 2;
	start = now();
	for (i = 0; i < n; i++) {
		t0 = now();
		if (sess_open(db, &cfg, &req, &o) == -1 ||
		    o.outcome != SESS_CREATED) {
			fprintf(stderr, "tg-open: open failed (outcome %d)\n",
			    o.outcome);
			return 2;
		}
		s = o.session;
		id = json_object_object_get_ex(s, "session_id", &v) ?
		    json_object_get_string(v) : "";
		r = wait_ready(db, id, t0 + (cfg.spawn_timeout + 60) * 1e3);
		ms[i] = now() - t0;
		ok += strcmp(r, "ok") == 0;
		if (!quiet)
			printf("%s %s %.1f\n", id, r, ms[i]);
		if (close_it)
			json_object_put((sess_close(db, id, "user_close",
			    NULL, &v), v));
		sess_opened_clear(&o);
	}
	pct_sort(ms, n);
	printf("sessions=%d ok=%d median_ready_ms=%.1f per_second=%.1f\n",
	    n, ok, pct(ms, n, 50), n / ((now() - start) / 1e3));
	fflush(stdout);
	free(ms);
	db_free(db);
	return ok == n ? 0 : 1;
}
