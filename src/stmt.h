/* stmt.h - ids of every SQL statement termgate runs (texts in stmt.c). */
#ifndef TG_STMT_H
#define TG_STMT_H

/*
 * The class (first key) of termgate's advisory locks: key 0 serializes
 * migrations (migrate.c), key hashtext(node) is held by the node's
 * supervisor for as long as it runs (STMT_NODE_LOCK, STMT_NODE_HEALTH).
 * Class 7469, key hashtext(node), is a node's placement lock
 * (sql/012_nodes.sql), held by an open that counts the node's capacity.
 */
#define LOCK_CLASS	"7468"

enum stmt_id {
	/* sessions (sess.c) */
	STMT_OPEN,
	STMT_END,
	STMT_ADMIN_END,
	STMT_GET,
	STMT_HEARTBEAT,
	STMT_LIST_USER,
	STMT_AUTH_LOOKUP,
	STMT_BEACON,
	STMT_MARK_ACTIVE,
	STMT_SESS_SET_PID,
	STMT_SESS_SET_RUN,
	STMT_SESS_SET_GATEWAY,
	STMT_SESS_SPAWN_ERROR,
	STMT_SPAWN_ERROR,
	STMT_RELEASE_PORT,
	STMT_RECORD,
	STMT_GC_TTL,
	STMT_GC_IDLE,
	STMT_GC_CLIENT_LOST,
	STMT_PURGE,
	STMT_ADMIN_LIST,
	STMT_METRICS,
	STMT_SESS_STARTING,
	STMT_SESS_LIVE,
	STMT_SESS_LOOKUP,
	STMT_SESS_HELD_PORTS,
	/* termgate-pty's command files (spool.c) */
	STMT_SPOOL_INGEST,
	STMT_SPOOL_REFUSED,
	STMT_SPOOL_OFFSET,
	/* nodes and their supervisors (node.c) */
	STMT_NODE_LOCK,
	STMT_NODE_LOCK_HOLDER,
	STMT_NODE_ALIVE,
	STMT_NODE_CGROUP,
	STMT_NODE_CGROUP_GET,
	STMT_NODE_GC_BEGIN,
	STMT_NODE_GC_END,
	STMT_NODE_HEALTH,
	STMT_NODE_FILL_PORTS,
	STMT_NODE_PORT_BUSY,
	STMT_NODE_NAMES,
	STMT_NODE_LOST,
	STMT_NODE_LIST,
	STMT_NODE_STATE,
	STMT_NODE_REMOVE,
	STMT_NODE_HOP_NONCE,
	STMT_NODE_HOP_PURGE,
	/* hosts (hosts.c) */
	STMT_HOST_ADD,
	STMT_HOST_LIST,
	STMT_HOST_VISIBLE,
	STMT_HOST_REMOVE,
	/* command history (hist.c) */
	STMT_HIST_ADD,
	STMT_HIST_REGEX_ERROR,
	STMT_HIST_USER_ID,
	STMT_HIST_LIST,
	STMT_HIST_PAGE,
	STMT_HIST_SCAN,
	STMT_HIST_SCAN_HOST,
	STMT_HIST_SCAN_NEWEST,
	STMT_HIST_SCAN_HOST_NEWEST,
	STMT_HIST_SCAN_FAILED,
	STMT_HIST_SCAN_HOST_FAILED,
	STMT_HIST_SCAN_NEWEST_FAILED,
	STMT_HIST_SCAN_HOST_NEWEST_FAILED,
	STMT_HIST_FREQUENT,
	STMT_HIST_DELETE,
	/* db_read (db.c) */
	STMT_READ_LIMITS,
	/* the audit trail (audit.c) */
	STMT_AUDIT_LIST,
	/* users (users.c) */
	STMT_USER_ROLE,
	STMT_USER_LIMIT,
	STMT_USER_IS_ADMIN,
	STMT_USER_LIMIT_OF,
	STMT_USER_LIST,
	/* access (access.c) */
	STMT_GROUP_ADD,
	STMT_GROUP_REMOVE,
	STMT_GROUP_LIST,
	STMT_HOST_TAG,
	STMT_HOST_UNTAG,
	STMT_GRANT,
	STMT_REVOKE,
	STMT_GRANT_LIST,
	/* Prometheus figures (metrics.c) */
	STMT_METRICS_SESSIONS,
	STMT_METRICS_NODES,
	STMT_METRICS_LATENCY,
	/* the schema as termgate-admin doctor checks it (schema.c) */
	STMT_SCHEMA_ROLE,
	/* shares, watches and who is attached (share.c) */
	STMT_SHARE_CREATE,
	STMT_SHARE_LIST,
	STMT_SHARE_REVOKE,
	STMT_SHARE_LOOKUP,
	STMT_SHARE_REDEEM,
	STMT_SHARE_SLOT,
	STMT_GRANT_LOOKUP,
	STMT_SET_CLIENTS,
	STMT_COUNT
};

struct stmt {
	const char	*name;
	const char	*sql;
	int		 nparams;
	int		 once;		/* not safe to run twice (stmt.c) */
	int		 generic;	/* db_read plans it once (db_pq.h) */
};

/* The statement with ID; cannot fail for a valid id. */
const struct stmt	*stmt_get(enum stmt_id);

#endif
