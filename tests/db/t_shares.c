/*
 * t_shares.c - shellinabox's share slots (sql/029_share_slots.sql)
 * against a real database: share_slot hands each grant of a session
 * the lowest free slot of its mode, the same one every time, none past
 * the eighth; a revoked share's slot is free again, and taking it tells
 * the supervisor to drop what is still attached there, as revoking
 * tells it to drop the slot's clients; the holder's reports and records
 * that name a slot's grant are read as the grant that holds it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbt.h"
#include "db.h"
#include "holder.h"
#include "share.h"
#include "suites.h"

/* Makes a watch share of MODE on session ID, its grant G (64 hex) of
 * USER; the share's id (64 hex) goes into SHARE. */
static void
grant_of(const char *id, const char *mode, const char *user, int n,
    char share[65], struct share_grant *g)
{
	snprintf(share, 65, "%062x%02x", 0xbeef, n);
	snprintf(g->grant, sizeof(g->grant), "%062x%02x", 0xfeed, n);
	strlcpy(g->session_id, id, sizeof(g->session_id));
	g->mode = strcmp(mode, "view") == 0 ? HOLDER_VIEW : HOLDER_CONTROL;
	g->slot = 0;
	dbt_share(id, share, mode, user, g->grant);
}

/* The termgate_drop payloads delivered to the raw connection so far,
 * joined by ",". */
static const char *
drops(void)
{
	static char out[1024];
	PGnotify *n;

	out[0] = '\0';
	/* a statement's round trip brings what was sent before it */
	dbt_sql("SELECT 1", 0, NULL);
	PQconsumeInput(dbt_raw());
	while ((n = PQnotifies(dbt_raw())) != NULL) {
		if (strcmp(n->relname, "termgate_drop") == 0) {
			if (out[0] != '\0')
				strlcat(out, ",", sizeof(out));
			strlcat(out, n->extra, sizeof(out));
		}
		PQfreemem(n);
	}
	return out;
}

static void
test_slots(void)
{
	char user[40], host[40], id[65], share[10][65], want[320];
	char slot3[HOLDER_GRANT_LEN + 1];
	struct share_grant g[10];
	json_object *o = NULL;
	int i;

	dbt_unique(user, sizeof(user), "slots");
	dbt_unique(host, sizeof(host), "slots-host");
	dbt_host(host);
	dbt_active(user, host, "embedded", id);
	for (i = 0; i < 9; i++)
		grant_of(id, "view", "viewer", i, share[i], &g[i]);
	grant_of(id, "control", "joiner", 9, share[9], &g[9]);
	for (i = 0; i < 8; i++)
		CU_ASSERT(share_slot(dbt_db(), &g[i]) == 1 && g[i].slot == i + 1);
	CU_ASSERT_EQUAL(share_slot(dbt_db(), &g[8]), 0);
	CU_ASSERT_EQUAL(g[8].slot, 0);
	CU_ASSERT(share_slot(dbt_db(), &g[9]) == 1 && g[9].slot == 9);
	/* Asked again (its slot unknown to the caller): the same one. */
	g[2].slot = 0;
	CU_ASSERT(share_slot(dbt_db(), &g[2]) == 1 && g[2].slot == 3);

	/* Revoked: its grant's clients and its slot's are dropped... */
	dbt_sql("LISTEN termgate_drop", 0, NULL);
	(void)drops();
	CU_ASSERT(share_revoke(dbt_db(), id, NULL, share[2], "watch",
	    "admin", &o) == 0);
	json_object_put(o);
	snprintf(slot3, sizeof(slot3), HOLDER_SLOT_GRANT, 3);
	snprintf(want, sizeof(want), "%s %s,%s %s", id, g[2].grant, id,
	    slot3);
	CU_ASSERT_STRING_EQUAL(drops(), want);
	/* ... and the slot is free: the ninth takes it, and whatever is
	 * still attached there is dropped. */
	CU_ASSERT(share_slot(dbt_db(), &g[8]) == 1 && g[8].slot == 3);
	snprintf(want, sizeof(want), "%s %s", id, slot3);
	CU_ASSERT_STRING_EQUAL(drops(), want);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM"
	    " termgate.share_grants WHERE id = $1 AND slot IS NULL",
	    g[2].grant), "1");
	dbt_sql("UNLISTEN termgate_drop", 0, NULL);

	/* Asked for a session that is not its own: none. */
	g[0].slot = 0;
	strlcpy(g[0].session_id, g[9].grant, sizeof(g[0].session_id));
	CU_ASSERT_EQUAL(share_slot(dbt_db(), &g[0]), 0);
}

/* What a holder reports under a slot's grant is its holder's grant. */
static void
test_reports(void)
{
	char user[40], host[40], id[65], share[65], clients[256];
	struct share_grant g;

	dbt_unique(user, sizeof(user), "slotrep");
	dbt_unique(host, sizeof(host), "slotrep-host");
	dbt_host(host);
	dbt_active(user, host, "embedded", id);
	grant_of(id, "control", "carol", 42, share, &g);
	CU_ASSERT(share_slot(dbt_db(), &g) == 1 && g.slot == 9);
	snprintf(clients, sizeof(clients), "[{\"grant\": \"\", \"mode\":"
	    " \"control\", \"clients\": 1}, {\"grant\": \"" HOLDER_SLOT_GRANT
	    "\", \"mode\": \"control\", \"clients\": 2}]", 9);
	CU_ASSERT(share_set_clients(dbt_db(), id, clients) == 0);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT"
	    " termgate.session_viewers($1)::text", id),
	    DBT_SQL1("SELECT jsonb_build_array(jsonb_build_object('user',"
	    " 'carol', 'mode', 'control', 'since', termgate.rfc3339(since)))"
	    "::text FROM termgate.session_clients WHERE session_id = $1"
	    " AND grant_id <> ''", id));
	CU_ASSERT_STRING_EQUAL(DBT_SQL2("SELECT count(*) FROM"
	    " termgate.session_clients WHERE session_id = $1"
	    " AND grant_id = $2 AND clients = 2", id, g.grant), "1");
}

static CU_TestInfo tests[] = {
	{ "test_shares_slots", test_slots },
	{ "test_shares_slot_reports", test_reports },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_shares = { "shares", NULL, NULL, NULL, NULL, tests };
