/*
 * reconcile.c - making the terminals and the database agree again.
 *
 * Run at start, after every reconnection and once per collector cycle.
 * Live rows of this node that the supervisor holds no terminal for are
 * either adopted (their pid still runs this backend on that endpoint, as
 * /proc/PID/cmdline shows: a previous supervisor started it) or closed
 * process_exited; starting rows whose terminal a previous supervisor
 * started are failed (and what runs of it stopped), the others are left
 * to the spawn scan; terminals whose row is no longer live are stopped;
 * ports and sockets still held by ended sessions are freed, and a process
 * still serving one of them is stopped. Nothing is assumed: what was
 * missed is found by looking.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "sess.h"
#include "sup.h"
#include "valid.h"

/* Ends session ID, whose process is gone, with MARK; frees its endpoint. */
static void
end_gone(struct sup *sup, const char *id, const char *ep,
    int (*mark)(struct tg_db *, const char *, json_object **))
{
	json_object *o = NULL;

	if (mark(sup->db, id, &o) != -1) {
		(void)sess_release_port(sup->db, id);
		if (strncmp(ep, "unix:", 5) == 0)
			(void)unlink(ep + 5);
	}
	json_object_put(o);
}

/*
 * A starting row with a pid: a previous supervisor started its terminal
 * and died before it was ready. Nobody waits for it any more; stop what
 * may still run (its group) and fail the session, which frees its port.
 */
static void
orphan_start(struct sup *sup, const char *id, pid_t pid, const char *ep)
{
	struct term *t;

	/* It may not have exec'd the backend yet: its environment tells. */
	if (proc_alive(pid) && (proc_matches(sup, pid, ep) ||
	    proc_is_session(pid, id)) &&
	    (t = proc_adopt(sup, id, pid, ep)) != NULL) {
		proc_stop(sup, t, MARK_SPAWN_FAILED, "orphaned_start");
		return;
	}
	log_info("session=%.12s start of pid=%ld was orphaned: spawn_failed",
	    id, (long)pid);
	end_gone(sup, id, ep, sess_mark_spawn_failed);
}

/* A live row with no terminal: adopt its process or close it. */
static void
unknown_live(struct sup *sup, const char *id, const char *status,
    const char *pidstr, const char *ep)
{
	const char *params[] = { id, "adopted", NULL };
	char detail[64];
	PGresult *res;
	pid_t pid = atol(pidstr);

	if (strcmp(status, "starting") == 0) {
		if (pidstr[0] != '\0')
			orphan_start(sup, id, pid, ep);
		else
			sup->scan = 1;
		return;
	}
	if (proc_alive(pid) && proc_matches(sup, pid, ep) &&
	    proc_adopt(sup, id, pid, ep) != NULL) {
		log_info("session=%.12s adopted pid=%ld", id, (long)pid);
		snprintf(detail, sizeof(detail), "{\"pid\": %ld}", (long)pid);
		params[2] = detail;
		if ((res = db_exec(sup->db, STMT_RECORD, params)) != NULL)
			PQclear(res);
		return;
	}
	log_info("session=%.12s not running pid=%ld: process_exited", id,
	    (long)pid);
	end_gone(sup, id, ep, sess_mark_process_exited);
}

/* Live rows against terminals; 0, or -1 if the database failed. */
static int
live_rows(struct sup *sup)
{
	const char *params[] = { sup->cfg.node };
	struct term *t, *next;
	PGresult *res;
	int i;

	if ((res = db_exec(sup->db, STMT_SUP_LIVE, params)) == NULL)
		return -1;
	TAILQ_FOREACH(t, &sup->terms, entry)
		t->seen = 0;
	for (i = 0; i < PQntuples(res); i++) {
		if ((t = proc_find(sup, PQgetvalue(res, i, 0))) != NULL)
			t->seen = 1;
		else
			unknown_live(sup, PQgetvalue(res, i, 0),
			    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
			    PQgetvalue(res, i, 3));
	}
	PQclear(res);
	for (t = TAILQ_FIRST(&sup->terms); t != NULL; t = next) {
		next = TAILQ_NEXT(t, entry);
		if (!t->seen && t->state != T_STOPPING)
			proc_stop(sup, t, MARK_NONE, "not_live");
	}
	return 0;
}

/* An ended session whose process PID may still serve ENDPOINT. */
static void
ended(struct sup *sup, const char *id, const char *pidstr, const char *ep)
{
	struct term *t;
	pid_t pid = atol(pidstr);

	if (proc_find(sup, id) != NULL)
		return;			/* being stopped */
	if (pidstr[0] != '\0' && proc_alive(pid) &&
	    proc_matches(sup, pid, ep) &&
	    (t = proc_adopt(sup, id, pid, ep)) != NULL) {
		proc_stop(sup, t, MARK_NONE, "ended_while_away");
		return;
	}
	if (strncmp(ep, "unix:", 5) == 0)
		(void)unlink(ep + 5);
	else
		(void)sess_release_port(sup->db, id);
}

static void
held_ports(struct sup *sup)
{
	const char *params[] = { sup->cfg.node };
	char ep[32];
	PGresult *res;
	int i;

	if ((res = db_exec(sup->db, STMT_SUP_HELD_PORTS, params)) == NULL)
		return;
	for (i = 0; i < PQntuples(res); i++) {
		snprintf(ep, sizeof(ep), "127.0.0.1:%s",
		    PQgetvalue(res, i, 1));
		ended(sup, PQgetvalue(res, i, 0), PQgetvalue(res, i, 2), ep);
	}
	PQclear(res);
}

static int
live(const char *status)
{
	return strcmp(status, "starting") == 0 ||
	    strcmp(status, "active") == 0;
}

/* Sockets in socket_dir of sessions that are no longer live. */
static void
stale_sockets(struct sup *sup)
{
	char id[TOK_ID_LEN + 1], ep[340];	/* unix:DIR/ID.sock */
	const char *params[] = { id };
	struct dirent *de;
	PGresult *res;
	DIR *d;

	if ((d = opendir(sup->cfg.socket_dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != TOK_ID_LEN + 5 ||
		    strcmp(de->d_name + TOK_ID_LEN, ".sock") != 0)
			continue;
		strlcpy(id, de->d_name, sizeof(id));
		if (!valid_session_id(id) || proc_find(sup, id) != NULL ||
		    (res = db_exec(sup->db, STMT_SUP_SESSION, params)) == NULL)
			continue;
		/* socket_dir is short (cfg.c): this never truncates. */
		snprintf(ep, sizeof(ep), "unix:%s/%s.sock",
		    sup->cfg.socket_dir, id);
		if (PQntuples(res) == 0)
			ended(sup, id, "", ep);
		else if (!live(PQgetvalue(res, 0, 1)))
			ended(sup, id, PQgetvalue(res, 0, 2), ep);
		PQclear(res);
	}
	closedir(d);
}

void
ev_reconcile(struct sup *sup)
{
	if (live_rows(sup) == -1)
		return;
	if (sup->cfg.terminal_listen == TG_LISTEN_TCP)
		held_ports(sup);
	else
		stale_sockets(sup);
}
