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
	int	beacon_grace;
	enum tg_listen terminal_listen;
	char	socket_dir[256];
	char	socket_group[64];
	int	port_lo, port_hi;	/* port_range */
	char	node[64];
	enum tg_backend backend;
	char	backend_path[256];	/* "" = look up in PATH */
	char	terminal_command[1024];
	int	spawn_timeout;
	int	kill_grace;
	int	gc_interval;
	char	run_as[64];		/* "" = unset */
	char	url_prefix[128];
	int	cookie_secure;
	char	admin_users[1024];	/* comma-separated */
	int	history_retention_days;
	int	session_retention_days;
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
/* 1 if USER is listed in admin_users. */
int	cfg_is_admin(const struct tg_cfg *, const char *user);

#endif
