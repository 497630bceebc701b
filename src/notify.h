/*
 * notify.h - the LISTEN/NOTIFY channels and their payloads.
 *
 * The triggers of sql/defs/sessions_created.sql and sessions_status.sql
 * send these; the supervisor and the workers listen. This is the one
 * place that says what each payload is.
 */
#ifndef TG_NOTIFY_H
#define TG_NOTIFY_H

/* A session was inserted 'starting': its node's supervisor spawns it.
 * Payload: the session id. */
#define NOTIFY_SPAWN	"termgate_spawn"
/* A session ended (closed or expired): its terminal is stopped.
 * Payload: the session id. */
#define NOTIFY_CLOSE	"termgate_close"
/* A session left 'starting'. Payload: "ID ok" when it became active,
 * "ID failed" when it ended instead. A worker waiting to answer an open
 * listens for it. */
#define NOTIFY_READY	"termgate_ready"
#define NOTIFY_READY_OK		"ok"
#define NOTIFY_READY_FAILED	"failed"

/* A share was revoked or a watch ended (sql/defs/shares.sql): the
 * session's supervisor has its holder drop the clients of the grant.
 * Payload: "SESSION GRANT", both 64 lowercase hex. */
#define NOTIFY_DROP	"termgate_drop"

/* Reads a NOTIFY_DROP payload into ID and GRANT: 0, or -1 when it is
 * malformed. */
int	notify_drop(const char *payload, char id[65], char grant[65]);

/* Reads a NOTIFY_READY payload for session ID: 1 ok, 0 failed, -1 when
 * it is about another session or malformed. */
int	notify_ready(const char *payload, const char *id);

#endif
