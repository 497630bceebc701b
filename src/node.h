/* node.h - a node's supervisor as the database sees it. */
#ifndef TG_NODE_H
#define TG_NODE_H

#include <json-c/json.h>

struct tg_cfg;
struct tg_db;
struct sess_gc_counts;

struct node_health {
	int	alive;		/* its connection holds the node lock, its
				 * liveness is fresh */
	int	gc_running;
	char	last_gc_at[32];	/* RFC 3339, "" when never */
};

/*
 * Takes NODE's advisory lock for this connection's life: 0 taken, 1 held
 * by another session of our role (another supervisor), 2 held by a
 * session of another role (anyone may take an advisory lock), -1
 * database error. When held, who holds it ("role ROLE, backend pid PID,
 * application APP") goes into HOLDER (LEN bytes; "" if not learnt).
 */
int	node_lock(struct tg_db *, const char *node, char *holder, size_t len);
/* Refreshes the supervisor's liveness row (pid, terminals) with what
 * other nodes need of it from CFG (node_address, node_capacity,
 * terminal_listen, socket_dir); 0 or -1. */
int	node_alive(struct tg_db *, const struct tg_cfg *, int terminals);
/* Notes on NODE's row how its terminals are bounded (MODE, "" when
 * there is no pool); 0 or -1. */
int	node_cgroup(struct tg_db *, const char *node, const char *mode);
/* What node_cgroup noted for NODE into MODE ("" when nothing); 0 or -1. */
int	node_cgroup_get(struct tg_db *, const char *node, char *mode,
	    size_t len);
/*
 * Ends the live sessions of every node but SELF silent for more than
 * LOST_AFTER seconds (reason node_lost), logging each node; the number
 * of sessions ended, or -1.
 */
int	node_end_lost(struct tg_db *, const char *self, int lost_after);
/* Sets NODE's state ("active" or "drained"): 0, 1 no such node, -1. */
int	node_set_state(struct tg_db *, const char *node, const char *state);
/*
 * Removes NODE's row and free ports (termgate.remove_node): 0 removed,
 * or 1 with *WHY the refusal ("no_such_node", "live_sessions",
 * "alive"; static), or -1.
 */
int	node_remove(struct tg_db *, const char *node, int lost_after,
	    int force, const char **why);
/* Every node as objects {node, address, state: strings; capacity,
 * heartbeat_age, pid: integers or null; live: integer; alive: boolean}:
 * 0 with *OUT a new array, or -1. */
int	node_list(struct tg_db *, int lost_after, json_object **out);
/*
 * Takes the NONCE of a hop credential whose MAC was checked, valid until
 * EXPIRES (Unix seconds), once for all the nodes, the expiry checked by
 * the database's clock against TTL (node_auth_ttl): 0 taken, or 1 with
 * *WHY "replayed", "expired" or "too_far" (static), or -1. Never run
 * twice: a connection lost under it is an error.
 */
int	node_hop_nonce(struct tg_db *, const char *nonce, long long expires,
	    int ttl, const char **why);
/* Deletes the nonces of expired hop credentials: how many, or -1. */
int	node_hop_purge(struct tg_db *);
/* Marks a collector run begun, or ended with its counts; 0 or -1. */
int	node_gc_begin(struct tg_db *, const char *node);
int	node_gc_end(struct tg_db *, const char *node,
	    const struct sess_gc_counts *);
/* Whether NODE's supervisor holds its lock and showed itself within
 * MAX_AGE seconds (node_alive_age), into OUT; 0 or -1. */
int	node_health(struct tg_db *, const char *node, int max_age,
	    struct node_health *out);
/* NODE and every node a supervisor has run on, as a new array of
 * objects {"node"} the caller puts; 0 or -1. */
int	node_names(struct tg_db *, const char *node, json_object **out);
/* Makes NODE's free ports exactly LO-HI (held ones stay); 0 or -1. */
int	node_fill_ports(struct tg_db *, const char *node, int lo, int hi);
/* Keeps PORT of NODE out of the pool for a while; 0 or -1. */
int	node_port_busy(struct tg_db *, const char *node, int port);
/*
 * The seconds a supervisor's liveness row may age and the supervisor
 * still counts as alive: three collector runs of CFG (each refreshes
 * it), and never under 30. Cannot fail.
 */
int	node_alive_age(const struct tg_cfg *);

#endif
