/* cfg.h - the configuration file shared by every termgate program. */
#ifndef TG_CFG_H
#define TG_CFG_H

#include <stddef.h>

enum tg_listen { TG_LISTEN_UNIX, TG_LISTEN_TCP };
enum tg_backend { TG_BACKEND_TTYD, TG_BACKEND_SHELLINABOX };

struct tg_cfg {
	char	database[512];
	char	listen[256];		/* "" = inherited socket on fd 0 */
	int	workers;
	int	max_sessions_per_user;
	int	session_ttl;
	int	idle_timeout;
	int	heartbeat_interval;
	int	share_default_ttl;	/* s: a link's, unless named */
	int	share_max_ttl;		/* s: the longest a share lives */
	int	beacon_grace;
	enum tg_listen terminal_listen;
	char	socket_dir[256];
	char	socket_group[64];
	int	port_lo, port_hi;	/* port_range */
	char	node[64];
	char	node_address[256];	/* HOST:PORT, "" = none */
	int	node_capacity;		/* live sessions, 0 = no limit */
	char	node_secret_file[256];	/* "" = no hop between nodes */
	int	node_tls;		/* the hop to other nodes is HTTPS */
	char	node_addresses[2048];	/* NODE=HOST:PORT ..., "" = none */
	int	node_auth_ttl;		/* seconds a hop credential lives */
	char	metrics_token_file[256]; /* "" = /metrics by address only */
	int	node_lost_after;	/* seconds of silence */
	enum tg_backend backend;
	char	backend_path[256];	/* "" = look up in PATH */
	char	terminal_command[1024];
	int	spawn_timeout;
	int	kill_grace;
	int	gc_interval;
	char	run_as[64];		/* "" = unset */
	char	database_os_user[64];	/* a root supervisor connects as */
	char	run_as_pool[24];	/* account prefix, "" = no pool */
	int	run_as_pool_size;	/* accounts PREFIX1..PREFIXN */
	int	terminal_max_procs;	/* RLIMIT_NPROC of a pool uid, 0 none */
	int	terminal_max_memory;	/* MiB, cgroup of a pool uid, 0 none */
	int	scrollback_lines;	/* kept for a reattach, 0 none */
	int	capture_rate;		/* records a minute a session, 0 none */
	int	capture_max_bytes;	/* of a command file, 0 none */
	int	max_clients;		/* a session's clients, 0 = any */
	int	terminal_gateway;	/* one ttyd serves every session */
	char	pty_path[256];		/* "" = $(sbindir)/termgate-pty */
	int	recording;		/* asciicast of every session */
	char	recording_dir[256];
	int	recording_max_bytes;
	int	recording_retention_days;
	int	capture;		/* command capture into history */
	char	spool_dir[256];		/* the holders' command files */
	int	allow_visible_credentials;	/* ttyd -c in tcp mode */
	char	url_prefix[128];
	int	cookie_secure;
	char	admin_users[1024];	/* comma-separated */
	int	history_retention_days;
	int	session_retention_days;
	int	history_purge_batch;	/* rows per collector run */
	int	history_rate;		/* commands a minute per session */
	int	history_burst;
	int	history_search_timeout;	/* ms */
	int	history_scan_rows;	/* newest rows a search reads first */
	int	history_user_concurrency; /* heavy reads at once a user */
};

/* The programs that read the configuration (bits). */
enum cfg_prog { CFG_FCGI = 1, CFG_SUP = 2, CFG_ADMIN = 4 };

/* What the table says of one key. */
struct cfg_key {
	const char	*name;
	const char	*def;		/* default, as written in a file */
	unsigned	 readers;	/* enum cfg_prog bits */
	unsigned	 restart;	/* readers applying it only at start */
};

/* Fills every key with its documented default. Cannot fail. */
void	cfg_defaults(struct tg_cfg *);
/*
 * Reads PATH over the values already in CFG. On error returns -1 and writes
 * "PATH:LINE: KEY: reason" into ERR; CFG may then be partly updated.
 */
int	cfg_load(struct tg_cfg *, const char *path, char *err, size_t errlen);
/* Sets one key from its text form; -1 and a reason in ERR if bad. */
int	cfg_set(struct tg_cfg *, const char *key, const char *value,
	    char *err, size_t errlen);
/*
 * The file to read: GIVEN (from -c) when not NULL, else the default
 * $(sysconfdir)/termgate/termgate.conf when it exists, else NULL (run on
 * the defaults). Cannot fail.
 */
const char	*cfg_path(const char *given);
/*
 * SIGHUP: reads PATH (NULL: the defaults) afresh and replaces *CFG with
 * it, except for the keys PROG applies only at start, which keep their
 * running values (each one that changed is logged). A file with an error
 * changes nothing: -1 with the reason in ERR, else 0.
 */
int	cfg_reload(struct tg_cfg *, const char *path, enum cfg_prog prog,
	    char *err, size_t errlen);
/* The I-th key of the table into OUT; 0, or -1 past the last. */
int	cfg_key(size_t i, struct cfg_key *out);
/* 1 if USER is listed in admin_users. */
int	cfg_is_admin(const struct tg_cfg *, const char *user);
/*
 * The next NODE=HOST:PORT word of node_addresses from *P (at first,
 * cfg->node_addresses) into NODE and ADDR, *P moved past it: 1; 0 at
 * the end. Cannot fail otherwise (cfg_set refused anything else).
 */
int	cfg_pin_next(const char **p, char node[64], char addr[256]);
/*
 * The address node_addresses pins for NODE into ADDR (LEN bytes): 0, or
 * 1 when it names no such node (or is empty). Cannot fail otherwise.
 */
int	cfg_node_pin(const struct tg_cfg *, const char *node, char *addr,
	    size_t len);

#endif
