/* users.h - the repository of users: roles and session limits. */
#ifndef TG_USERS_H
#define TG_USERS_H

struct tg_db;

/* Sets USER's role ("user" or "admin"), creating the row; 0 or -1. */
int	users_set_role(struct tg_db *, const char *user, const char *role);
/* Sets USER's session limit; LIMIT NULL means the configured default;
 * 0 or -1. */
int	users_set_limit(struct tg_db *, const char *user, const char *limit);
/* 1 if USER has role admin in the database, 0 if not, -1. */
int	users_is_admin(struct tg_db *, const char *user);
/* USER's session limit (DEF unless overridden), or -1. */
int	users_limit(struct tg_db *, const char *user, int def);

#endif
