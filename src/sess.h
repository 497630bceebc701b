/* sess.h - the session repository: every lifecycle operation in SQL. */
#ifndef TG_SESS_H
#define TG_SESS_H

#include <stddef.h>

#include <json-c/json.h>

#include "endpoint.h"
#include "tok.h"

struct tg_db;
struct tg_cfg;

/*
 * Results follow db.h's convention (0 found, 1 no such row, -1); *OUT is
 * a new json_object the caller puts. Session objects have the fields of
 * termgate.session_json() in sql/defs/session_json.sql.
 */

#define SESS_STATUS_STARTING	"starting"
#define SESS_STATUS_ACTIVE	"active"
#define SESS_STATUS_CLOSED	"closed"
#define SESS_STATUS_EXPIRED	"expired"

#define SESS_REASON_USER	"user_close"
#define SESS_REASON_CLIENT_LOST	"client_lost"
#define SESS_REASON_ADMIN	"admin_close"
#define SESS_REASON_EXITED	"process_exited"
#define SESS_REASON_SPAWN	"spawn_failed"
/* A spawn_error: run_as_pool has no account for the user (503). */
#define SPAWN_NO_ACCOUNT	"no_terminal_account"
#define SESS_REASON_TTL		"ttl"
#define SESS_REASON_IDLE	"idle"
#define SESS_REASON_NODE_LOST	"node_lost"

enum sess_outcome {
	SESS_CREATED,		/* new session, starting */
	SESS_REUSED,		/* an active session, new token */
	SESS_PENDING,		/* a starting session, new token */
	SESS_LIMIT,		/* at the limit: limit holds the 429 body */
	SESS_UNKNOWN_HOST,	/* or one the user may not open */
	SESS_NO_PORT,
	SESS_NO_CAPACITY	/* no live, undrained node below capacity */
};

struct sess_open_req {
	const char	*user;
	const char	*host_id;
	const char	*mode;		/* embedded | popout */
	int		 reuse;
	int		 close_oldest;
};

struct sess_opened {
	enum sess_outcome outcome;
	char		 token[TOK_LEN + 1];
	json_object	*session;
	json_object	*limit;
	int		 forbidden;	/* SESS_UNKNOWN_HOST: the host is
					 * there, the user may not open it
					 * (answered alike; for the log) */
};

struct sess_beat {
	char	status[16];
	char	last_seen_at[32];
	int	remaining;
	char	reason_closed[32];	/* "" while live */
};

enum sess_auth_result {
	SESS_AUTH_OK,
	SESS_AUTH_NOT_FOUND,
	SESS_AUTH_BAD_TOKEN,		/* or another user's session */
	SESS_AUTH_NOT_ACTIVE
};

struct sess_auth {
	struct tg_endpoint ep;
	char	backend_auth[128];	/* "" in unix mode */
	char	node[64];		/* the node the terminal runs on */
	char	node_address[256];	/* its address, "" when none */
	long long db_now;		/* the database's clock, Unix s */
	char	backend[16];		/* what runs it: "ttyd", "shellinabox",
					 * "" (started before it was noted) */
};

struct sess_gc_counts {
	int	ttl, idle, client_lost, purged;
};

/* One transaction: lock user, access, reuse, limit, endpoint, insert,
 * notify. An admin by cfg's admin_users may open every host. */
int	sess_open(struct tg_db *, const struct tg_cfg *,
	    const struct sess_open_req *, struct sess_opened *);
/* Puts the objects of an open result; accepts a zeroed struct. */
void	sess_opened_clear(struct sess_opened *);

int	sess_get(struct tg_db *, const char *id, const char *user,
	    json_object **out);
/*
 * An admin BY ends any user's live session ID (SESS_REASON_ADMIN), with
 * NOTE (NULL: none): both land in the detail of its closed event. As
 * sess_close otherwise.
 */
int	sess_admin_close(struct tg_db *, const char *id, const char *by,
	    const char *note, json_object **out);
/*
 * Ends a live session with REASON (one of SESS_REASON_*); an ended one is
 * returned unchanged, its first reason standing. USER NULL means any
 * owner. OUT may be NULL when the caller needs no answer.
 */
int	sess_close(struct tg_db *, const char *id, const char *reason,
	    const char *user, json_object **out);
/* Heartbeat: refreshes a live session of USER; an ended one is shown. */
int	sess_update_last_seen(struct tg_db *, const char *id,
	    const char *user, struct sess_beat *out);

/* Lists: 0 with *OUT a new json array, or -1. */
int	sess_list_user(struct tg_db *, const char *user, json_object **out);
int	sess_admin_list(struct tg_db *, const char *status, const char *user,
	    const char *host_id, int limit, json_object **out);
/* Writes the one-line form of a session (termgate-admin's listing):
 * "ID USER HOST MODE STATUS REASON CREATED LAST_SEEN", the id cut to 16
 * characters and absent fields as "-"; returns what snprintf returns. */
int	sess_line(json_object *session, char *buf, size_t len);

/* Beacon with TOKEN: 0 accepted, 1 no such session, 2 bad token, -1. */
int	sess_beacon(struct tg_db *, const struct tg_cfg *, const char *id,
	    const char *token);
/* Checks TOKEN (and USER unless NULL) for nginx; -1 on database error. */
int	sess_authorize(struct tg_db *, const char *id, const char *token,
	    const char *user, struct sess_auth *out);
/* For another node's nginx, whose credential was checked: session ID's
 * terminal when it runs on NODE (else SESS_AUTH_NOT_FOUND; NODE NULL:
 * on any node, for a shared client whose grant was checked); -1 on
 * database error. */
int	sess_authorize_hop(struct tg_db *, const char *id, const char *node,
	    struct sess_auth *out);
/* Expires, closes and purges for cfg->node in set-based statements;
 * history past retention goes in one batch (history_purge_batch) a call. */
int	sess_gc(struct tg_db *, const struct tg_cfg *,
	    struct sess_gc_counts *);
int	sess_metrics(struct tg_db *, json_object **out);

/*
 * The supervisor's side. A session row as the supervisor reads it; the
 * strings live as long as the callback runs. Host fields are NULL when
 * the host was removed or the query does not read them.
 */
struct sess_row {
	const char	*id;
	const char	*status;
	const char	*endpoint;
	const char	*backend_auth;	/* NULL in unix mode */
	long		 pid;		/* the backend's, 0 when none */
	int		 port;		/* 0 in unix mode */
	long		 holder_pid;	/* the pty holder's, 0 when none */
	const char	*address, *ssh_user, *ssh_port, *host_id, *host_name;
	const char	*node;		/* sess_lookup's alone, else NULL */
	const char	*user;		/* the session's user (not held_ports) */
	long		 run_uid;	/* its pool account's uid, 0 when none */
};
typedef void	(*sess_row_fn)(void *arg, const struct sess_row *);

/* Calls FN for each starting session of NODE that has no process yet,
 * oldest first; 0, or -1 on a database error. */
int	sess_each_starting(struct tg_db *, const char *node, sess_row_fn,
	    void *arg);
/* Calls FN for each live (starting or active) session of NODE; 0 or -1. */
int	sess_each_live(struct tg_db *, const char *node, sess_row_fn,
	    void *arg);
/* Calls FN for each session holding a port of NODE that is no longer
 * live (port, pid, id only); 0 or -1. */
int	sess_each_held_port(struct tg_db *, const char *node, sess_row_fn,
	    void *arg);
/* Calls FN with session ID: 0, 1 when there is none, -1. */
int	sess_lookup(struct tg_db *, const char *id, sess_row_fn, void *arg);
/* Marks a starting session active with its backend's PID (0: none, NULL
 * in the row): 0 marked, 1 no longer starting, -1. */
int	sess_mark_active(struct tg_db *, const char *id, long pid);
typedef void (*sess_id_fn)(void *arg, const char *id);
/* Marks the starting sessions IDS ("{ID,ID}", a text[] literal of
 * session ids) active in one statement, each with its backend's pid
 * from PIDS ("{PID,NULL}", an integer[] literal in the same order);
 * calls FN with each id marked (the others were no longer starting);
 * 0, or -1 (none marked). */
int	sess_mark_active_set(struct tg_db *, const char *ids,
	    const char *pids, sess_id_fn fn, void *arg);
/* Notes PID, the node's new gateway, as the backend of the active
 * sessions IDS ("{ID,ID}", a text[] literal of session ids); 0 or -1. */
int	sess_set_gateway(struct tg_db *, const char *ids, long pid);
/* Notes the pids of a terminal still starting (its backend, its pty
 * holder; a BACKEND of 0 is none), so that a supervisor that dies before
 * it is ready leaves something to find, and what its backend is, KIND
 * ("ttyd" or "shellinabox"); 0 or -1. */
int	sess_set_pid(struct tg_db *, const char *id, long backend,
	    long holder, const char *kind);
/* Notes that starting session ID runs as pool account NAME (UID); 0
 * or -1. */
int	sess_set_run(struct tg_db *, const char *id, long uid,
	    const char *name);
/* Notes WHY the supervisor could not start session ID; 0 or -1. */
int	sess_set_spawn_error(struct tg_db *, const char *id, const char *why);
/* The spawn error of session ID into WHY (LEN bytes, "" when none): 0
 * or -1. */
int	sess_spawn_error(struct tg_db *, const char *id, char *why,
	    size_t len);
/* Frees the port ID holds: 0, or -1. */
int	sess_release_port(struct tg_db *, const char *id);
/* Records event KIND (a session_events kind) with DETAIL (JSON text) for
 * session ID; 0 or -1. */
int	sess_record(struct tg_db *, const char *id, const char *kind,
	    const char *detail);

#endif
