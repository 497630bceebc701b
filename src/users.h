/* users.h - the repository of users: roles and session limits. */
#ifndef TG_USERS_H
#define TG_USERS_H

#include <json-c/json.h>

struct tg_db;

/* Sets USER's role ("user" or "admin"), creating the row; 0 or -1. */
int	users_set_role(struct tg_db *, const char *user, const char *role);
/* Sets USER's session limit; LIMIT NULL means the configured default;
 * 0 or -1. */
int	users_set_limit(struct tg_db *, const char *user, const char *limit);
/* 0 when USER has role admin in the database, 1 when not, -1. */
int	users_check_admin(struct tg_db *, const char *user);
/* USER's session limit (DEF unless overridden), or -1. */
int	users_limit(struct tg_db *, const char *user, int def);
/* Every user as objects {username, role, created_at: strings;
 * max_sessions: integer or null (the default); live: integer}: 0 with
 * *OUT a new array, or -1. */
int	users_list(struct tg_db *, json_object **out);

#endif
