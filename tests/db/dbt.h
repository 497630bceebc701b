/* dbt.h - helpers of the db suites: a real database, test data, checks. */
#ifndef TG_DBT_H
#define TG_DBT_H

#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <libpq-fe.h>

#include "cfg.h"
#include "sess.h"

extern struct tg_cfg	 dbt_cfg;	/* the config the suites open with */

/* Opens the shared connections from $TERMGATE_TEST_DB; 0 or -1. */
int		 dbt_init(void);
void		 dbt_fini(void);
struct tg_db	*dbt_db(void);
/* A plain second connection for SQL the programs never run. */
PGconn		*dbt_raw(void);
/* Runs SQL with text parameters on the raw connection; asserts success
 * and returns row 0 column 0 in a static buffer ("" if none). */
const char	*dbt_sql(const char *sql, int n, const char *const *params);
#define DBT_SQL1(sql, a)	dbt_sql((sql), 1, (const char *[]){ (a) })
#define DBT_SQL2(sql, a, b)	dbt_sql((sql), 2, (const char *[]){ (a), (b) })
/* Writes PREFIX-RANDOM into BUF (host ids, users, nodes). */
void		 dbt_unique(char *buf, size_t len, const char *prefix);
/* The tag of the hosts dbt_host makes, granted to everyone by dbt_init. */
#define DBT_TAG		"dbt"
/* Makes sure host ID exists (address 192.168.1.100), tagged DBT_TAG. */
void		 dbt_host(const char *id);
/* Opens a session with dbt_cfg; asserts the call succeeded. */
void		 dbt_open(const char *user, const char *host, const char *mode,
		    int reuse, struct sess_opened *out);
/* Opens and activates a session; writes its id into ID (65 bytes). */
void		 dbt_active(const char *user, const char *host,
		    const char *mode, char *id);
/* A watch share SHARE of MODE ("view", "control") on session ID, live an
 * hour, and its grant GRANT of USER (ids 64 hex). */
void		 dbt_share(const char *id, const char *share, const char *mode,
		    const char *user, const char *grant);
/* A string field of a JSON object, "" when absent or null. */
const char	*dbt_str(json_object *o, const char *key);
long long	 dbt_int(json_object *o, const char *key);

#endif
