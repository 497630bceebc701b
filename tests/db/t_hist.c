/*
 * t_hist.c - the command history repository (hist.c) on a real
 * PostgreSQL: posting under the session rules and the rate limit, every
 * filter alone and together, keyset paging that stays exact while rows
 * arrive between pages, whose rows a read sees, frequent commands,
 * deletion and its audit record, batched retention, and the time limit
 * every read runs under. Rows are inserted the way the supervisor will
 * insert captured ones: straight into command_history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "dbt.h"
#include "hist.h"
#include "suites.h"

#define MAXROWS	256

/* A user with a live session on a host of their own. */
struct who {
	char	user[40], host[40], sess[65];
};

static void
someone(struct who *w)
{
	dbt_unique(w->user, sizeof(w->user), "hu");
	dbt_unique(w->host, sizeof(w->host), "hh");
	dbt_host(w->host);
	dbt_active(w->user, w->host, "embedded", w->sess);
}

/*
 * Inserts a row of W (on HOST, NULL: W's) started at AT (SQL timestamptz
 * text); EXIT and CWD may be NULL. Returns its id.
 */
static long long
row(const struct who *w, const char *host, const char *command,
    const char *exit, const char *cwd, const char *at, const char *source)
{
	const char *p[] = { w->sess, host ? host : w->host, command, exit,
	    cwd, at, source, w->user };

	return atoll(dbt_sql("INSERT INTO termgate.command_history"
	    " (session_id, host_id, user_id, command, exit_status, cwd,"
	    " started_at, finished_at, source, recording_offset)"
	    " SELECT $1, $2, u.id, $3, $4::integer, $5, $6::timestamptz,"
	    " $6::timestamptz + interval '1.5 seconds', $7, 12.5"
	    " FROM termgate.users u WHERE u.username = $8 RETURNING id",
	    8, p));
}

/* What a read saw. */
struct seen {
	long long	 ids[MAXROWS];
	int64_t		 us[MAXROWS];
	char		 cmd[MAXROWS][64];
	int		 n;
};

static int
collect(void *arg, const struct hist_row *r)
{
	struct seen *s = arg;

	if (s->n == MAXROWS)
		return -1;
	s->ids[s->n] = r->id;
	s->us[s->n] = r->started_us;
	strlcpy(s->cmd[s->n], r->command, sizeof(s->cmd[0]));
	s->n++;
	return 0;
}

/* Reads F (up to MAXROWS rows) into *S; the read's return value. */
static int
read_all(const struct hist_filter *f, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	return hist_each(dbt_db(), &dbt_cfg, f, MAXROWS, collect, s);
}

/* The commands S saw, space-separated, newest first. */
static const char *
cmds(const struct seen *s)
{
	static char out[2048];
	int i;

	out[0] = '\0';
	for (i = 0; i < s->n; i++) {
		if (i > 0)
			strlcat(out, " ", sizeof(out));
		strlcat(out, s->cmd[i], sizeof(out));
	}
	return out;
}

/* The microseconds of timestamptz text AT. */
static int64_t
us_of(const char *at)
{
	return atoll(DBT_SQL1("SELECT (extract(epoch FROM $1::timestamptz)"
	    " * 1000000)::bigint", at));
}

static void
test_add_follows_the_session(void)
{
	struct who a, b;
	struct hist_new n = { 0 };
	char ids[24], got[160], want[160];
	long long id = 0;
	int retry = -1;

	someone(&a);
	someone(&b);
	/* As if opened on New Year's Day: its life holds the times below. */
	DBT_SQL1("UPDATE termgate.sessions SET created_at ="
	    " '2026-01-01T00:00:00Z' WHERE id = $1", a.sess);
	n.session_id = a.sess;
	n.user = a.user;
	n.rec.command = "ls -la \x1b[31m";
	n.rec.cwd = "/tmp";
	n.rec.has_exit = 1;
	n.rec.exit_status = 2;
	n.rec.has_finished = 1;
	n.rec.finished_us = us_of("2026-01-02T03:04:05.5Z");
	CU_ASSERT_EQUAL(hist_add(dbt_db(), &dbt_cfg, &n, &id, &retry),
	    HIST_ADDED);
	CU_ASSERT_FATAL(id > 0);
	/* Host and user from the session; no start: the end; shell; the
	 * control bytes kept. */
	snprintf(ids, sizeof(ids), "%lld", id);
	strlcpy(got, DBT_SQL2("SELECT h.host_id || ' ' || h.source"
	    " || ' ' || h.exit_status || ' ' || h.cwd || ' ' ||"
	    " termgate.rfc3339(h.started_at) || ' ' || (h.command = E'ls -la"
	    " \\x1b[31m') || ' ' || (u.username = $2)"
	    " FROM termgate.command_history h JOIN termgate.users u"
	    " ON u.id = h.user_id WHERE h.id = $1::bigint", ids, a.user),
	    sizeof(got));
	snprintf(want, sizeof(want), "%s shell 2 /tmp 2026-01-02T03:04:05Z"
	    " true true", a.host);
	CU_ASSERT_STRING_EQUAL(got, want);
	/* Times out of the session's life are kept within it. */
	n.rec.has_started = 1;
	n.rec.started_us = us_of("0001-01-01T00:00:00Z");
	n.rec.finished_us = us_of("9999-12-31T00:00:00Z");
	CU_ASSERT_EQUAL(hist_add(dbt_db(), &dbt_cfg, &n, &id, &retry),
	    HIST_ADDED);
	snprintf(ids, sizeof(ids), "%lld", id);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT termgate.rfc3339(started_at)"
	    " || ' ' || (finished_at <= now()) FROM termgate.command_history"
	    " WHERE id = $1::bigint", ids), "2026-01-01T00:00:00Z true");
	n.rec.has_started = 0;
	/* Another user's session, or none: not found. */
	n.user = b.user;
	CU_ASSERT_EQUAL(hist_add(dbt_db(), &dbt_cfg, &n, &id, &retry),
	    HIST_NO_SESSION);
	n.user = a.user;
	n.session_id = "0000000000000000000000000000000000000000000000000000"
	    "000000000000";
	CU_ASSERT_EQUAL(hist_add(dbt_db(), &dbt_cfg, &n, &id, &retry),
	    HIST_NO_SESSION);
	/* An ended session takes no more. */
	n.session_id = a.sess;
	CU_ASSERT_EQUAL(sess_close(dbt_db(), a.sess, SESS_REASON_USER, NULL,
	    NULL), 0);
	CU_ASSERT_EQUAL(hist_add(dbt_db(), &dbt_cfg, &n, &id, &retry),
	    HIST_ENDED);
}

/* A session's bucket holds history_burst commands, refilled at
 * history_rate a minute; past it, the answer says when to come back. */
static void
test_add_rate_limit(void)
{
	struct tg_cfg cfg = dbt_cfg;
	struct hist_new n = { 0 };
	struct who a, b;
	long long id;
	int i, retry = 0, added = 0;

	someone(&a);
	someone(&b);
	cfg.history_burst = 5;
	cfg.history_rate = 1;			/* one a minute */
	n.session_id = a.sess;
	n.user = a.user;
	n.rec.command = "echo flood";
	for (i = 0; i < 8; i++)
		added += hist_add(dbt_db(), &cfg, &n, &id, &retry) ==
		    HIST_ADDED;
	CU_ASSERT_EQUAL(added, 5);
	CU_ASSERT_EQUAL(hist_add(dbt_db(), &cfg, &n, &id, &retry),
	    HIST_LIMITED);
	CU_ASSERT(retry >= 1 && retry <= 60);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM"
	    " termgate.command_history WHERE session_id = $1", a.sess), "5");
	/* Another session has its own bucket. */
	n.session_id = b.sess;
	n.user = b.user;
	CU_ASSERT_EQUAL(hist_add(dbt_db(), &cfg, &n, &id, &retry),
	    HIST_ADDED);
	/* Time refills it: a bucket emptied a minute ago has one again. */
	DBT_SQL1("UPDATE termgate.sessions SET history_tokens_at ="
	    " history_tokens_at - interval '61 seconds' WHERE id = $1", a.sess);
	n.session_id = a.sess;
	n.user = a.user;
	CU_ASSERT_EQUAL(hist_add(dbt_db(), &cfg, &n, &id, &retry),
	    HIST_ADDED);
	CU_ASSERT_EQUAL(hist_add(dbt_db(), &cfg, &n, &id, &retry),
	    HIST_LIMITED);
}

/* Eight rows of A on two hosts, and one of B; then each filter. */
static void
test_each_filter(void)
{
	struct hist_filter f;
	struct seen s;
	struct who a, b;
	char other[40];

	someone(&a);
	someone(&b);
	dbt_unique(other, sizeof(other), "hh");
	dbt_host(other);
	row(&a, NULL, "ls -la /etc", "0", "/etc", "2026-03-01T10:00:00Z",
	    "shell");
	row(&a, NULL, "grep -rn 100% /srv", "1", "/srv/www",
	    "2026-03-02T10:00:00Z", "shell");
	row(&a, other, "systemctl restart nginx", "0", "/root",
	    "2026-03-03T10:00:00Z", "shell");
	row(&a, other, "SYSTEMCTL status a_b", "3", "/root/x",
	    "2026-03-04T10:00:00Z", "shell");
	row(&a, NULL, "vim notes", NULL, "/srv", "2026-03-05T10:00:00Z",
	    "typed");
	row(&a, NULL, "git push origin main", "128", "/srv/www/app",
	    "2026-03-06T10:00:00Z", "shell");
	row(&a, other, "echo 'a\\b'", "0", NULL, "2026-03-07T10:00:00Z",
	    "shell");
	row(&a, NULL, "make -j4", "2", "/home", "2026-03-08T10:00:00Z",
	    "typed");
	row(&b, NULL, "ls -la /etc", "0", "/etc", "2026-03-09T10:00:00Z",
	    "shell");
#define EXPECT(desc, want) do {						\
	CU_ASSERT_EQUAL(read_all(&f, &s), s.n);				\
	if (strcmp(cmds(&s), want) != 0)				\
		fprintf(stderr, "\n%s: got [%s]\n", desc, cmds(&s));	\
	CU_ASSERT_STRING_EQUAL(cmds(&s), want);				\
	memset(&f, 0, sizeof(f));					\
	f.user = a.user;						\
} while (0)
	memset(&f, 0, sizeof(f));
	f.user = a.user;
	EXPECT("all, newest first", "make -j4 echo 'a\\b' git push origin main"
	    " vim notes SYSTEMCTL status a_b systemctl restart nginx"
	    " grep -rn 100% /srv ls -la /etc");
	f.host_id = other;
	EXPECT("host", "echo 'a\\b' SYSTEMCTL status a_b"
	    " systemctl restart nginx");
	f.session_id = a.sess;
	f.has_until = 1;
	f.until_us = us_of("2026-03-02T10:00:00Z");
	EXPECT("session, until (exclusive)", "ls -la /etc");
	f.has_since = 1;
	f.since_us = us_of("2026-03-06T10:00:00Z");
	EXPECT("since (inclusive)",
	    "make -j4 echo 'a\\b' git push origin main");
	f.exit = HIST_EXIT_IS;
	f.exit_status = 0;
	EXPECT("exit 0", "echo 'a\\b' systemctl restart nginx ls -la /etc");
	f.exit = HIST_EXIT_NONZERO;
	EXPECT("nonzero (no status is not nonzero)", "make -j4"
	    " git push origin main SYSTEMCTL status a_b grep -rn 100% /srv");
	f.exit = HIST_EXIT_IS;
	f.exit_status = 128;
	EXPECT("exit 128", "git push origin main");
	f.source = "typed";
	EXPECT("typed", "make -j4 vim notes");
	f.cwd = "/srv/www";
	EXPECT("cwd prefix", "git push origin main grep -rn 100% /srv");
	f.q = "systemctl";
	EXPECT("q, any case", "SYSTEMCTL status a_b systemctl restart nginx");
	f.q = "100%";
	EXPECT("q with %, literally", "grep -rn 100% /srv");
	f.q = "a_b";
	EXPECT("q with _, literally", "SYSTEMCTL status a_b");
	f.q = "a\\b";
	EXPECT("q with a backslash, literally", "echo 'a\\b'");
	f.q = "nothing like it";
	EXPECT("q without a match", "");
	f.re = "^(git|make) ";
	EXPECT("regex", "make -j4 git push origin main");
	f.re = "^systemctl";
	EXPECT("regex is case-sensitive", "systemctl restart nginx");
	f.re = "(?i)^systemctl";
	EXPECT("regex (?i)", "SYSTEMCTL status a_b systemctl restart nginx");
	/* Combined: each narrows the others. */
	f.host_id = other;
	f.exit = HIST_EXIT_NONZERO;
	f.q = "status";
	f.cwd = "/root";
	f.source = "shell";
	f.has_since = 1;
	f.since_us = us_of("2026-03-04T00:00:00Z");
	EXPECT("host + nonzero + q + cwd + source + since",
	    "SYSTEMCTL status a_b");
	f.host_id = other;
	f.exit = HIST_EXIT_IS;
	f.exit_status = 0;
	f.re = "nginx$";
	EXPECT("host + exit + regex", "systemctl restart nginx");
	f.session_id = b.sess;
	EXPECT("another user's session: nothing", "");
#undef EXPECT
}

/*
 * A substring is found wherever it sits in a command: inside words, across
 * words and punctuation, in any case, beyond ASCII, and when it is too
 * short to hold a trigram (then the user's rows are read by time). One
 * user's search goes through that user's trigram keys (sql/011), every
 * user's through 005's index: both must find the same rows. A key set
 * that asked for the padding of a whole word ("  b" for "base" in
 * "rebase") would miss most of these.
 */
static void
test_substring_anywhere(void)
{
	static const struct { const char *q, *want; } cases[] = {
		{ "base", "git pull --rebase" },
		{ "rebas", "git pull --rebase" },
		{ "ll --reb", "git pull --rebase" },
		{ "PULL -", "git pull --rebase" },
		{ "ol/cr", "ls /var/spool/cron" },
		{ "/var/spool/cron", "ls /var/spool/cron" },
		{ "lctl -f", "journalctl -fu NGINX.service" },
		{ "nginx.SERV", "journalctl -fu NGINX.service" },
		{ "rüß", "echo Grüße" },
		{ "ECHO GRÜ", "echo Grüße" },
		{ "a b", "printf 'a b'" },
		{ "'a", "printf 'a b'" },
		{ "s ", "ls /var/spool/cron" },
		{ "fu", "journalctl -fu NGINX.service" },
		{ "ebase-", "" },
		{ "grüsse", "" },
	};
	struct hist_filter f;
	struct seen s;
	struct who a, b;
	size_t i;

	someone(&a);
	someone(&b);
	row(&a, NULL, "git pull --rebase", "0", NULL, "2026-05-01T00:00:00Z",
	    "shell");
	row(&a, NULL, "ls /var/spool/cron", "0", NULL,
	    "2026-05-02T00:00:00Z", "shell");
	row(&a, NULL, "journalctl -fu NGINX.service", "0", NULL,
	    "2026-05-03T00:00:00Z", "shell");
	row(&a, NULL, "echo Grüße", "0", NULL, "2026-05-04T00:00:00Z",
	    "shell");
	row(&a, NULL, "printf 'a b'", "0", NULL, "2026-05-05T00:00:00Z",
	    "shell");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&f, 0, sizeof(f));
		f.q = cases[i].q;
		f.user = a.user;
		read_all(&f, &s);
		if (strcmp(cmds(&s), cases[i].want) != 0)
			fprintf(stderr, "\nq [%s]: got [%s]\n", f.q, cmds(&s));
		CU_ASSERT_STRING_EQUAL(cmds(&s), cases[i].want);
		f.user = b.user;
		CU_ASSERT_EQUAL(read_all(&f, &s), 0);
		/* Every user's (b has none of these): 005's index. */
		f.user = NULL;
		f.session_id = a.sess;
		read_all(&f, &s);
		CU_ASSERT_STRING_EQUAL(cmds(&s), cases[i].want);
	}
}

/* Whose rows a read sees: its user's, or (NULL) everyone's. */
static void
test_whose_rows(void)
{
	struct hist_filter f;
	struct seen s;
	struct who a, b;
	char q[64];

	someone(&a);
	someone(&b);
	snprintf(q, sizeof(q), "marker-%s", a.user);
	row(&a, NULL, q, "0", NULL, "2026-04-01T00:00:00Z", "shell");
	row(&b, NULL, q, "0", NULL, "2026-04-02T00:00:00Z", "shell");
	memset(&f, 0, sizeof(f));
	f.q = q;
	f.user = a.user;
	CU_ASSERT_EQUAL(read_all(&f, &s), 1);
	f.user = b.user;
	CU_ASSERT_EQUAL(read_all(&f, &s), 1);
	f.user = "nobody-has-this-name";
	CU_ASSERT_EQUAL(read_all(&f, &s), 0);
	f.user = NULL;
	CU_ASSERT_EQUAL(read_all(&f, &s), 2);
}

/* Reads the page of F after CURSOR (none when *HAS is 0) into S; sets
 * the cursor to its last row. */
static void
page(struct hist_filter *f, int size, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	CU_ASSERT(hist_each(dbt_db(), &dbt_cfg, f, size, collect, s) >= 0);
	if (s->n > 0) {
		f->has_cursor = 1;
		f->cursor_us = s->us[s->n - 1];
		f->cursor_id = s->ids[s->n - 1];
	}
}

/*
 * Keyset paging while rows arrive: 40 rows, some sharing a start time
 * (ties are broken by id), read 7 at a time through a cursor that went
 * through its text form; between pages, new rows come in newer than
 * everything, at the very time of the cursor row, and older than
 * everything. Every row that was there at the start is seen exactly
 * once, and no row twice. Q: a search every row matches (NULL: the
 * plain page).
 */
static void
page_through(const char *q)
{
	char at[64], c[HIST_CURSOR_MAX + 1], cmd[32];
	long long orig[40], seen_ids[400];
	struct hist_filter f;
	struct seen s;
	struct who a;
	int i, j, k, nseen = 0, pages = 0, count;

	someone(&a);
	for (i = 0; i < 40; i++) {
		snprintf(at, sizeof(at), "2026-05-01T10:%02d:00Z", i / 3);
		snprintf(cmd, sizeof(cmd), "cmd-%d", i);
		orig[i] = row(&a, NULL, cmd, "0", NULL, at, "shell");
	}
	memset(&f, 0, sizeof(f));
	f.user = a.user;
	f.q = q;
	do {
		page(&f, 7, &s);
		for (i = 0; i < s.n && nseen < 400; i++)
			seen_ids[nseen++] = s.ids[i];
		if (s.n == 0)
			break;
		/* The cursor travels as text, as a client holds it. */
		CU_ASSERT_EQUAL_FATAL(hist_cursor_encode(f.cursor_us,
		    f.cursor_id, c, sizeof(c)), 0);
		CU_ASSERT_EQUAL_FATAL(hist_cursor_decode(c, &f.cursor_us,
		    &f.cursor_id), 0);
		row(&a, NULL, "cmd-newer", "0", NULL, "2026-05-02T00:00:00Z",
		    "shell");
		snprintf(cmd, sizeof(cmd), "%lld", (long long)f.cursor_us);
		strlcpy(at, DBT_SQL1("SELECT (timestamptz 'epoch' +"
		    " $1::bigint * interval '1 microsecond')::text", cmd),
		    sizeof(at));
		row(&a, NULL, "cmd-tie", "0", NULL, at, "shell");
		row(&a, NULL, "cmd-older", "0", NULL, "2026-04-01T00:00:00Z",
		    "shell");
		pages++;
	} while (pages < 50);
	for (i = 0; i < 40; i++) {
		for (j = 0, count = 0; j < nseen; j++)
			count += seen_ids[j] == orig[i];
		CU_ASSERT_EQUAL(count, 1);
	}
	for (j = 0; j < nseen; j++)
		for (k = j + 1; k < nseen; k++)
			CU_ASSERT_NOT_EQUAL(seen_ids[j], seen_ids[k]);
	CU_ASSERT(pages >= 6);
}

static void
test_cursor_stable_under_inserts(void)
{
	page_through(NULL);
	/* A search's pages: hist_list through the user's trigram keys. */
	page_through("md-");
}

/* Item I of frequent commands ARR is COMMAND, used COUNT times, last at
 * LAST (NULL: not checked). */
static void
frequent_is(json_object *arr, size_t i, const char *command, int count,
    const char *last)
{
	json_object *o = json_object_array_get_idx(arr, i);

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(dbt_str(o, "command"), command);
	CU_ASSERT_EQUAL(dbt_int(o, "count"), count);
	if (last != NULL)
		CU_ASSERT_STRING_EQUAL(dbt_str(o, "last_used"), last);
}

static void
test_frequent(void)
{
	json_object *arr = NULL;
	struct who a, b;
	char other[40];

	someone(&a);
	someone(&b);
	dbt_unique(other, sizeof(other), "hh");
	dbt_host(other);
	row(&a, NULL, "git  status", "0", NULL, "2026-06-01T00:00:00Z",
	    "shell");
	row(&a, NULL, " git status\t", "0", NULL, "2026-06-02T00:00:00Z",
	    "shell");
	row(&a, other, "git status", "0", NULL, "2026-06-03T00:00:00Z",
	    "shell");
	row(&a, NULL, "ls", "0", NULL, "2026-06-04T00:00:00Z", "shell");
	row(&a, NULL, "ls", "0", NULL, "2026-06-05T00:00:00Z", "shell");
	row(&a, NULL, "df -h", "0", NULL, "2026-06-06T00:00:00Z", "shell");
	row(&b, NULL, "df -h", "0", NULL, "2026-06-07T00:00:00Z", "shell");
	CU_ASSERT_EQUAL_FATAL(hist_frequent(dbt_db(), &dbt_cfg, a.user, NULL,
	    10, &arr), 0);
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(arr), 3);
	frequent_is(arr, 0, "git status", 3, "2026-06-03T00:00:00Z");
	frequent_is(arr, 1, "ls", 2, NULL);
	frequent_is(arr, 2, "df -h", 1, NULL);	/* B's df not counted */
	json_object_put(arr);
	arr = NULL;
	/* On one host; and a limit. */
	CU_ASSERT_EQUAL_FATAL(hist_frequent(dbt_db(), &dbt_cfg, a.user,
	    other, 10, &arr), 0);
	CU_ASSERT_EQUAL(json_object_array_length(arr), 1);
	json_object_put(arr);
	arr = NULL;
	CU_ASSERT_EQUAL_FATAL(hist_frequent(dbt_db(), &dbt_cfg, a.user, NULL,
	    1, &arr), 0);
	CU_ASSERT_EQUAL(json_object_array_length(arr), 1);
	json_object_put(arr);
}

/* Every count of command_counts differing from a GROUP BY of the rows
 * (sql/032_history_counts.sql), as text: "" when they agree. */
static const char *
counts_differ(void)
{
	return dbt_sql("SELECT coalesce(string_agg(x::text, ' '), '') FROM"
	    " ((SELECT user_id, host_id, command_norm, uses, last_used"
	    " FROM termgate.command_counts"
	    " EXCEPT SELECT user_id, host_id, command_norm, count(*),"
	    " max(started_at) FROM termgate.command_history"
	    " WHERE command_norm <> '' GROUP BY 1, 2, 3)"
	    " UNION ALL (SELECT user_id, host_id, command_norm, count(*),"
	    " max(started_at) FROM termgate.command_history"
	    " WHERE command_norm <> '' GROUP BY 1, 2, 3"
	    " EXCEPT SELECT user_id, host_id, command_norm, uses, last_used"
	    " FROM termgate.command_counts)) x", 0, NULL);
}

/* Every user's row count of history_row_counts differing from a count of
 * the rows (sql/034_history_row_counts.sql), as text: "" when they
 * agree (a count of zero for a user with no rows left agrees). */
static const char *
row_counts_differ(void)
{
	return dbt_sql("SELECT coalesce(string_agg(coalesce(r.user_id,"
	    " c.user_id) || ':' || coalesce(r.row_count, -1) || '/' ||"
	    " coalesce(c.n, 0), ' '), '') FROM termgate.history_row_counts r"
	    " FULL JOIN (SELECT user_id, count(*) AS n"
	    " FROM termgate.command_history GROUP BY user_id) c"
	    " ON c.user_id = r.user_id"
	    " WHERE r.row_count IS DISTINCT FROM coalesce(c.n, 0)", 0, NULL);
}

/* The counts follow every write of the rows: inserts one by one and many
 * in a statement, a delete of a command's newest use (its last_used goes
 * back), of its every use (it goes), a delete by time, an UPDATE by
 * hand. */
static void
test_frequent_follows_writes(void)
{
	json_object *arr = NULL;
	struct who a;
	long long newest;

	someone(&a);
	row(&a, NULL, "ls", "0", NULL, "2026-06-01T00:00:00Z", "shell");
	newest = row(&a, NULL, "ls", "0", NULL, "2026-06-03T00:00:00Z",
	    "shell");
	row(&a, NULL, "df -h", "0", NULL, "2026-06-02T00:00:00Z", "shell");
	row(&a, NULL, "   ", "0", NULL, "2026-06-02T00:00:00Z", "shell");
	dbt_sql("INSERT INTO termgate.command_history (session_id, host_id,"
	    " user_id, command, started_at) SELECT $1, $2, u.id,"
	    " 'uptime  ' || (g % 2), timestamptz '2026-05-01'"
	    " + g * interval '1 hour' FROM generate_series(1, 6) g,"
	    " termgate.users u WHERE u.username = $3", 3,
	    (const char *[]){ a.sess, a.host, a.user });
	CU_ASSERT_STRING_EQUAL(counts_differ(), "");
	CU_ASSERT_STRING_EQUAL(row_counts_differ(), "");
	CU_ASSERT_EQUAL(hist_delete(dbt_db(), a.user, newest, 0), 1);
	CU_ASSERT_STRING_EQUAL(counts_differ(), "");
	CU_ASSERT_STRING_EQUAL(row_counts_differ(), "");
	CU_ASSERT_EQUAL_FATAL(hist_frequent(dbt_db(), &dbt_cfg, a.user, NULL,
	    1, &arr), 0);
	frequent_is(arr, 0, "uptime 0", 3, "2026-05-01T06:00:00Z");
	json_object_put(arr);
	dbt_sql("UPDATE termgate.command_history SET command = 'df -h'"
	    " WHERE session_id = $1 AND command = 'ls'", 1,
	    (const char *[]){ a.sess });
	CU_ASSERT_STRING_EQUAL(counts_differ(), "");
	CU_ASSERT_STRING_EQUAL(row_counts_differ(), "");
	CU_ASSERT_EQUAL_FATAL(hist_frequent(dbt_db(), &dbt_cfg, a.user,
	    a.host, 10, &arr), 0);
	CU_ASSERT_EQUAL(json_object_array_length(arr), 3);
	frequent_is(arr, 2, "df -h", 2, "2026-06-02T00:00:00Z");
	json_object_put(arr);
	CU_ASSERT_EQUAL(hist_delete(dbt_db(), a.user, 0,
	    us_of("2026-06-01T12:00:00Z")), 7);
	CU_ASSERT_STRING_EQUAL(counts_differ(), "");
	CU_ASSERT_STRING_EQUAL(row_counts_differ(), "");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(k.command_norm ||"
	    " ' ' || k.uses, ',') FROM termgate.command_counts k"
	    " JOIN termgate.users u ON u.id = k.user_id"
	    " WHERE u.username = $1", a.user), "df -h 1");
	/* A TRUNCATE empties both (and is rolled back). */
	dbt_sql("BEGIN", 0, NULL);
	dbt_sql("TRUNCATE termgate.command_history", 0, NULL);
	CU_ASSERT_STRING_EQUAL(dbt_sql("SELECT (SELECT count(*) FROM"
	    " termgate.command_counts) + (SELECT count(*) FROM"
	    " termgate.history_row_counts)", 0, NULL), "0");
	dbt_sql("ROLLBACK", 0, NULL);
	CU_ASSERT_STRING_EQUAL(row_counts_differ(), "");
}

/* Deletion: only the owner's rows, and an event says what went. */
static void
test_delete_is_recorded(void)
{
	struct who a, b;
	long long mine, theirs;
	char id[24], want[160];

	someone(&a);
	someone(&b);
	mine = row(&a, NULL, "secret", "0", NULL, "2026-07-01T00:00:00Z",
	    "shell");
	theirs = row(&b, NULL, "theirs", "0", NULL, "2026-07-01T00:00:00Z",
	    "shell");
	row(&a, NULL, "old 1", "0", NULL, "2026-06-01T00:00:00Z", "shell");
	row(&a, NULL, "old 2", "0", NULL, "2026-06-02T00:00:00Z", "shell");
	row(&a, NULL, "new", "0", NULL, "2026-08-01T00:00:00Z", "shell");
	CU_ASSERT_EQUAL(hist_delete(dbt_db(), a.user, theirs, 0), 0);
	CU_ASSERT_EQUAL(hist_delete(dbt_db(), a.user, mine, 0), 1);
	CU_ASSERT_EQUAL(hist_delete(dbt_db(), a.user, mine, 0), 0);
	snprintf(id, sizeof(id), "%lld", mine);
	snprintf(want, sizeof(want), "%s %s 1 true", a.sess, a.host);
	CU_ASSERT_STRING_EQUAL(DBT_SQL2("SELECT session_id || ' ' ||"
	    " host_id || ' ' || (detail->>'count') || ' ' ||"
	    " (detail->'ids'->>0 = $2) FROM termgate.session_events"
	    " WHERE kind = 'history_deleted' AND username = $1", a.user, id),
	    want);
	CU_ASSERT_EQUAL(hist_delete(dbt_db(), a.user, 0,
	    us_of("2026-07-15T00:00:00Z")), 2);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg((detail->>'count')"
	    " || ' ' || (detail->>'before') || ' ' ||"
	    " jsonb_array_length(detail->'ids'), ',' ORDER BY id)"
	    " FROM termgate.session_events WHERE kind = 'history_deleted'"
	    " AND username = $1 AND session_id IS NULL", a.user),
	    "2 2026-07-15T00:00:00Z 2");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(command, ',')"
	    " FROM termgate.command_history h JOIN termgate.users u"
	    " ON u.id = h.user_id WHERE u.username = $1", a.user), "new");
	/* Nothing to delete: nothing recorded. */
	CU_ASSERT_EQUAL(hist_delete(dbt_db(), a.user, 0,
	    us_of("2026-07-15T00:00:00Z")), 0);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM"
	    " termgate.session_events WHERE kind = 'history_deleted'"
	    " AND username = $1", a.user), "2");
	CU_ASSERT_EQUAL(hist_delete(dbt_db(), "nobody-at-all", 0,
	    us_of("2026-07-15T00:00:00Z")), 0);
}

/* Retention takes history_purge_batch rows a collector run, oldest
 * first, and leaves what is younger. */
static void
test_purge_in_batches(void)
{
	struct tg_cfg cfg = dbt_cfg;
	struct sess_gc_counts c;
	struct who a;
	char at[64], days[16];
	int i;

	someone(&a);
	dbt_unique(cfg.node, sizeof(cfg.node), "purge");
	cfg.history_purge_batch = 10;
	cfg.history_retention_days = 5000;	/* past every other test's */
	for (i = 0; i <= 25; i++) {
		snprintf(days, sizeof(days), "%d", i < 25 ? 6000 + i : 1);
		strlcpy(at, DBT_SQL1("SELECT (now() - make_interval(days =>"
		    " $1::int))::text", days), sizeof(at));
		row(&a, NULL, i < 25 ? "ancient" : "young", "0", NULL, at,
		    "shell");
	}
#define LEFT() DBT_SQL1("SELECT count(*) FROM termgate.command_history h" \
	" JOIN termgate.users u ON u.id = h.user_id WHERE u.username = $1", \
	a.user)
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &cfg, &c), 0);
	CU_ASSERT(c.purged >= 10);
	CU_ASSERT_STRING_EQUAL(LEFT(), "16");
	CU_ASSERT_STRING_EQUAL(counts_differ(), "");
	CU_ASSERT_STRING_EQUAL(row_counts_differ(), "");
	/* The oldest went first. */
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT max(now() - started_at) <"
	    " interval '6015 days' FROM termgate.command_history h JOIN"
	    " termgate.users u ON u.id = h.user_id WHERE u.username = $1"
	    " AND command = 'ancient'", a.user), "t");
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &cfg, &c), 0);
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &cfg, &c), 0);
	CU_ASSERT_STRING_EQUAL(LEFT(), "1");
	CU_ASSERT_STRING_EQUAL(counts_differ(), "");
	CU_ASSERT_STRING_EQUAL(row_counts_differ(), "");
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &cfg, &c), 0);
	CU_ASSERT_STRING_EQUAL(LEFT(), "1");
#undef LEFT
}

/* Session events past the retention go in batches too, oldest first;
 * younger ones stay. */
static void
test_purge_events_in_batches(void)
{
	struct tg_cfg cfg = dbt_cfg;
	struct sess_gc_counts c;
	char sid[40];

	dbt_unique(sid, sizeof(sid), "purge-ev");
	dbt_unique(cfg.node, sizeof(cfg.node), "purge");
	cfg.history_purge_batch = 10;
	cfg.session_retention_days = 5000;	/* past every other test's */
	DBT_SQL1("INSERT INTO termgate.session_events (session_id, kind, at)"
	    " SELECT $1, 'closed', now() - make_interval(days =>"
	    " CASE WHEN g < 25 THEN 6000 + g ELSE 1 END)"
	    " FROM generate_series(0, 25) g", sid);
#define LEFT() DBT_SQL1("SELECT count(*) FROM termgate.session_events" \
	" WHERE session_id = $1", sid)
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &cfg, &c), 0);
	CU_ASSERT_STRING_EQUAL(LEFT(), "16");
	/* The oldest went first. */
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT max(now() - at) <"
	    " interval '6015 days' FROM termgate.session_events"
	    " WHERE session_id = $1", sid), "t");
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &cfg, &c), 0);
	CU_ASSERT_EQUAL_FATAL(sess_gc(dbt_db(), &cfg, &c), 0);
	CU_ASSERT_STRING_EQUAL(LEFT(), "1");
#undef LEFT
}

static void
test_regex_checked_by_postgresql(void)
{
	char why[200] = "";

	CU_ASSERT_EQUAL(hist_regex_error(dbt_db(), &dbt_cfg, "^git (push|pull)",
	    why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(hist_regex_error(dbt_db(), &dbt_cfg, "(", why,
	    sizeof(why)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "invalid regular expression"));
	CU_ASSERT_EQUAL(hist_regex_error(dbt_db(), &dbt_cfg, "a{2,1}", why,
	    sizeof(why)), 1);
	/* The connection is fine afterwards. */
	CU_ASSERT_EQUAL(hist_regex_error(dbt_db(), &dbt_cfg, "x", why,
	    sizeof(why)), 0);
}

/*
 * A search compiles its expression before it reads a row, so one that
 * PostgreSQL refuses is HIST_BAD_REGEX, with PostgreSQL's reason, even
 * where no row would reach it: a user with no rows, no row with the
 * text the expression requires (the scan: "zzq[z-a]" requires "zzq"),
 * an expression read by hist_list (no text required, every user).
 */
static void
test_bad_regex_refused_before_any_row(void)
{
	static const char *const bad[] = { "zzq[z-a]", "(", "a|(",
	    "zzq{2,1}" };
	struct hist_filter f;
	struct seen s;
	struct who a;
	size_t i;
	int k;

	someone(&a);
	row(&a, NULL, "zzq here", "0", NULL, "2026-01-01T00:00:00Z", "shell");
	for (k = 0; k < 3; k++)
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			memset(&f, 0, sizeof(f));
			f.user = k == 0 ? a.user : k == 1 ? "hu-nobody" : NULL;
			f.re = bad[i];
			CU_ASSERT_EQUAL(read_all(&f, &s), HIST_BAD_REGEX);
			CU_ASSERT_EQUAL(s.n, 0);
			CU_ASSERT_STRING_EQUAL(db_sqlstate(dbt_db()), DB_BAD_REGEX);
			CU_ASSERT_PTR_NOT_NULL(strstr(db_error(dbt_db())->message,
			    "invalid regular expression"));
		}
	/* The same connection answers the next search. */
	memset(&f, 0, sizeof(f));
	f.user = a.user;
	f.re = "^zzq h";
	CU_ASSERT_EQUAL(read_all(&f, &s), 1);
	CU_ASSERT_STRING_EQUAL(s.cmd[0], "zzq here");
}

/*
 * The check compiles the pattern, under the search's time limit: this
 * one's compilation runs for a minute or more and then fails ("too
 * complex"), and held the worker that asked all along.
 */
static void
test_regex_check_is_bounded(void)
{
	struct tg_cfg cfg = dbt_cfg;
	char why[200] = "";

	cfg.history_search_timeout = 100;
	CU_ASSERT_EQUAL(hist_regex_error(dbt_db(), &cfg,
	    "(a|\\y|\\Y|^|$){1,12}", why, sizeof(why)), HIST_TIMEOUT);
	CU_ASSERT_STRING_EQUAL(db_sqlstate(dbt_db()), DB_CANCELED);
	CU_ASSERT_TRUE(db_ok(dbt_db()));
	CU_ASSERT_EQUAL(hist_regex_error(dbt_db(), &cfg, "x", why,
	    sizeof(why)), 0);
}

/*
 * Searches are bounded by history_search_timeout (db_read): one stuck
 * behind a lock is canceled and told apart from an outage, and the
 * connection works on afterwards, for reads and for everything else.
 * (A plain page, a keyset range of one index, has no such limit.)
 */
static void
test_reads_are_bounded(void)
{
	struct tg_cfg cfg = dbt_cfg;
	struct hist_filter f;
	struct seen s;
	struct who a;
	char why[64];

	someone(&a);
	row(&a, NULL, "bounded", "0", NULL, "2026-01-01T00:00:00Z", "shell");
	memset(&f, 0, sizeof(f));
	f.user = a.user;
	f.q = "bound";
	cfg.history_search_timeout = 200;
	dbt_sql("BEGIN", 0, NULL);
	dbt_sql("LOCK TABLE termgate.command_history IN ACCESS EXCLUSIVE"
	    " MODE", 0, NULL);
	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(hist_each(dbt_db(), &cfg, &f, 10, collect, &s),
	    HIST_TIMEOUT);
	CU_ASSERT_STRING_EQUAL(db_sqlstate(dbt_db()), DB_CANCELED);
	CU_ASSERT_TRUE(db_ok(dbt_db()));
	dbt_sql("ROLLBACK", 0, NULL);
	CU_ASSERT_EQUAL(hist_each(dbt_db(), &cfg, &f, 10, collect, &s), 1);
	CU_ASSERT_STRING_EQUAL(s.cmd[0], "bounded");
	CU_ASSERT_STRING_EQUAL(db_sqlstate(dbt_db()), "");
	CU_ASSERT_EQUAL(hist_regex_error(dbt_db(), &dbt_cfg, "x", why,
	    sizeof(why)), 0);
	/* A refused read (a bad regex) leaves the pipeline clean too. */
	f.re = "(";
	CU_ASSERT_EQUAL(hist_each(dbt_db(), &cfg, &f, 10, collect, &s),
	    HIST_BAD_REGEX);
	CU_ASSERT_STRING_EQUAL(db_sqlstate(dbt_db()), "2201B");
	f.re = NULL;
	CU_ASSERT_EQUAL(read_all(&f, &s), 1);
	f.q = NULL;
	CU_ASSERT_EQUAL(read_all(&f, &s), 1);	/* the plain page */
}

/*
 * W's rows as every read must answer a search: its brute-force ILIKE
 * (Q) or regex (RE), newest first, ids joined by commas.
 */
static const char *
brute(const struct who *w, const char *q, const char *re)
{
	static char out[16384];

	strlcpy(out, dbt_sql("SELECT coalesce(string_agg(c.id::text, ','"
	    " ORDER BY c.started_at DESC, c.id DESC), '')"
	    " FROM termgate.command_history c JOIN termgate.users u"
	    " ON u.id = c.user_id WHERE u.username = $1"
	    " AND ($2::text IS NULL OR c.command ILIKE '%' ||"
	    " replace(replace(replace($2, '\\', '\\\\'), '%', '\\%'), '_',"
	    " '\\_') || '%') AND ($3::text IS NULL OR c.command ~ $3)",
	    3, (const char *[]){ w->user, q, re }), sizeof(out));
	return out;
}

/* Every row of F through pages of SIZE by cursor, ids joined by commas. */
static const char *
paged(struct hist_filter f, int size)
{
	static char out[16384];
	char id[24];
	struct seen s;
	int i, pages = 0;

	out[0] = '\0';
	do {
		page(&f, size, &s);
		for (i = 0; i < s.n; i++) {
			snprintf(id, sizeof(id), "%s%lld", out[0] ? "," : "",
			    s.ids[i]);
			strlcat(out, id, sizeof(out));
		}
	} while (s.n == size && ++pages < 200);
	return out;
}

/* The user whose 1,003 rows test_search_is_brute_force searches. */
static struct who bf;
/* The other host of bf's, where every eleventh row of bf's ran. */
static char bf_host2[40];

/*
 * bf's rows: row g of 1,000 (g = 1 the oldest), three to a second, every
 * eleventh on bf_host2, and three commands longer than the index's
 * folded copy (1,024 bytes), the word after that; and a row of someone
 * else's that a search of bf's must not show.
 */
static void
brute_force_rows(void)
{
	struct who b;

	someone(&bf);
	someone(&b);
	dbt_unique(bf_host2, sizeof(bf_host2), "hh");
	dbt_host(bf_host2);
	dbt_sql("INSERT INTO termgate.command_history (session_id, host_id,"
	    " user_id, command, exit_status, started_at)"
	    " SELECT $1, CASE WHEN g % 11 = 0 THEN $4 ELSE $2 END, u.id, CASE"
	    " WHEN g % 50 IN (0, 1) THEN 'echo rare-one'"
	    " WHEN g IN (5, 7) THEN 'cat only-old'"
	    " WHEN g % 97 = 0 THEN 'echo Café ' || g"
	    " WHEN g % 89 = 0 THEN 'echo CAFÉ 日本 ' || g"
	    " WHEN g % 83 = 0 THEN 'grep 100% a_b a\\b ' || g"
	    " WHEN g % 3 = 0 THEN 'systemctl status nginx'"
	    " WHEN g % 5 = 0 THEN 'git log --oneline -20'"
	    " WHEN g % 7 = 0 THEN 'tail -f /var/log/NGINX'"
	    " ELSE 'ls -la /srv/' || g END, g % 4,"
	    " timestamptz '2026-01-01' + (g / 3) * interval '1 second'"
	    " FROM generate_series(1, 1000) g, termgate.users u"
	    " WHERE u.username = $3", 4,
	    (const char *[]){ bf.sess, bf.host, bf.user, bf_host2 });
	dbt_sql("INSERT INTO termgate.command_history (session_id, host_id,"
	    " user_id, command, exit_status, started_at)"
	    " SELECT $1, $2, u.id, 'echo ' || repeat('y', 1100) || w, 0,"
	    " timestamptz '2026-01-01' + g * interval '1 minute'"
	    " FROM (VALUES (1, ' Long-Tail Café'), (2, ' LONG-TAIL CAFÉ'),"
	    " (3, ' long-tail')) v (g, w), termgate.users u"
	    " WHERE u.username = $3", 3,
	    (const char *[]){ bf.sess, bf.host, bf.user });
	row(&b, NULL, "systemctl status nginx", "0", NULL,
	    "2026-06-01T00:00:00Z", "shell");
}

/* The ids of bf's rows with "nginx" whose exit status is COND ("= 1"),
 * on HOST (NULL: any), newest first, joined by commas. */
static const char *
nginx_ids(const char *cond, const char *host)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT string_agg(c.id::text, ','"
	    " ORDER BY c.started_at DESC, c.id DESC)"
	    " FROM termgate.command_history c JOIN termgate.users u"
	    " ON u.id = c.user_id WHERE u.username = $1"
	    " AND c.command ILIKE '%%nginx%%' AND c.exit_status %s"
	    " AND ($2::text IS NULL OR c.host_id = $2)", cond);
	return dbt_sql(sql, 2, (const char *[]){ bf.user, host });
}

/* The ids of bf's rows on HOST with Q in any case, newest first. */
static const char *
host_ids(const char *host, const char *q)
{
	return dbt_sql("SELECT coalesce(string_agg(c.id::text, ','"
	    " ORDER BY c.started_at DESC, c.id DESC), '')"
	    " FROM termgate.command_history c JOIN termgate.users u"
	    " ON u.id = c.user_id WHERE u.username = $1 AND c.host_id = $2"
	    " AND strpos(lower(c.command), lower($3)) > 0", 3,
	    (const char *[]){ bf.user, host, q });
}

/* bf's searches, each against the brute-force answer (history_scan_rows
 * as the caller set it). */
static void
brute_force_searches(void)
{
	static const char *const qs[] = { "n", "ng", "nginx", "NGINX",
	    "status", "rare-one", "only-old", "é", "café", "CAFÉ", "日",
	    "日本", "%", "100%", "_", "a_b", "\\", "a\\b", "x", "zz",
	    "git log", "none at all", "long-tail", "TAIL CAFÉ", "yyy" };
	/* Each searched with the text it requires (relit.c) too, but for
	 * "status|rare" and "[0-9]{3}", which have none; "o y{200}" in
	 * commands too long for the index's folded copy; a group's
	 * alternatives, one of which each match has ("^(ls|cat) "...), with
	 * the text around them when they are plain ("^git (log|status) --"
	 * requires "git log --" or "git status --"); and those whose runs in
	 * order, with their anchors, make a LIKE pattern ("git % -20"). */
	static const char *const res[] = { "^git (log|status)",
	    "(?i)NGINX$", "rare-one$", "^only", "日本", "(?i)café [0-9]+",
	    "Caf[eé] ", "a_b a\\\\b", "100% ", "ng?inx", "sta+tus",
	    "(?i)TAIL -F /var", "\\.oneline", "***=a\\b", "(?i)long-tail",
	    "^ls -la /srv/1[0-9]*$", "o y{200}", "(?i)CAFÉ$", "status|rare",
	    "[0-9]{3}", "^(ls|cat) ", "(nginx|NGINX)$", "(?:a_b|rare)-?",
	    "^(echo|grep) (Café|100%)", "(?i)(café|tail) ",
	    "^git (log|status) --", "(?i)TAIL (-F|-n) /VAR",
	    "systemctl (status|stop)? nginx", "-la /srv/(1|2)0?$",
	    "(rare|only)-(one|old)$", "^(tail|git) -?f", "a(_|%)b",
	    "^git .* -20$", "^tail -f .*NGINX$", "(?i)^TAIL.*nginx$",
	    "^systemctl status ng.nx$", "^ls -la /srv/1.*0$", "(?n)^git log",
	    "^echo 100% ", "a_b.*b$", "(?w)nginx$" };
	struct hist_filter f;
	size_t i;

	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		memset(&f, 0, sizeof(f));
		f.user = bf.user;
		f.q = qs[i];
		if (strcmp(paged(f, 50), brute(&bf, f.q, NULL)) != 0)
			fprintf(stderr, "\nq [%s] differs (%d rows read)\n",
			    f.q, dbt_cfg.history_scan_rows);
		CU_ASSERT_STRING_EQUAL(paged(f, 50), brute(&bf, f.q, NULL));
		CU_ASSERT_STRING_EQUAL(paged(f, 7), brute(&bf, f.q, NULL));
	}
	for (i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		memset(&f, 0, sizeof(f));
		f.user = bf.user;
		f.re = res[i];
		if (strcmp(paged(f, 50), brute(&bf, NULL, f.re)) != 0)
			fprintf(stderr, "\nre [%s] differs\n", f.re);
		CU_ASSERT_STRING_EQUAL(paged(f, 50), brute(&bf, NULL, f.re));
	}
	/* Filters beside the word, checked on the index's tuples: rows of
	 * exit status 1, then of any but 0, of every host (the failed rows
	 * alone read in order, STMT_HIST_SCAN_FAILED) and of each (a host's
	 * own, STMT_HIST_SCAN_HOST_FAILED). */
	memset(&f, 0, sizeof(f));
	f.user = bf.user;
	f.q = "nginx";
	f.exit = HIST_EXIT_IS;
	f.exit_status = 1;
	CU_ASSERT_STRING_EQUAL(paged(f, 50), nginx_ids("= 1", NULL));
	f.exit = HIST_EXIT_NONZERO;
	CU_ASSERT_STRING_EQUAL(paged(f, 50), nginx_ids("<> 0", NULL));
	CU_ASSERT_STRING_EQUAL(paged(f, 7), nginx_ids("<> 0", NULL));
	f.host_id = bf.host;
	CU_ASSERT_STRING_EQUAL(paged(f, 7), nginx_ids("<> 0", bf.host));
	f.host_id = bf_host2;
	CU_ASSERT_STRING_EQUAL(paged(f, 7), nginx_ids("<> 0", bf_host2));
	f.q = "rare-one";
	f.exit = HIST_EXIT_ANY;
	CU_ASSERT_STRING_EQUAL(paged(f, 7), host_ids(bf_host2, "rare-one"));
}

/*
 * One user's search, on 1,003 rows: every search, from one character on,
 * common and rare, matching only old rows, in any case beyond ASCII,
 * with LIKE's metacharacters, in a command too long for the index's
 * folded copy, and regexes, answers exactly the brute-force ILIKE, in
 * the same order, page after page (ties of started_at included). With
 * history_scan_rows past the user's rows or at their number (1,003),
 * the newest-first read answers alone, without looking for more (the
 * user's row count, sql/034); with one fewer, the oldest row is left to
 * a second read; with fewer still (50, 120, 333), the trigram keys answer for the rows
 * older than it read, inside a page and across pages. "rare-one" is in
 * rows 50 apart and in their neighbours, so that a read that stopped
 * after a multiple of 50 rows and looked further has some on each side
 * of where it stopped.
 */
static void
test_search_is_brute_force(void)
{
	static const int budgets[] = { 2000, 1003, 1002, 50, 120, 333 };
	int was = dbt_cfg.history_scan_rows;
	size_t i;

	brute_force_rows();
	for (i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++) {
		dbt_cfg.history_scan_rows = budgets[i];
		brute_force_searches();
	}
	dbt_cfg.history_scan_rows = was;
}

/*
 * A new user's 1,000 rows a second apart, g = 1 (the oldest) to 1,000:
 * "echo WORD g" where SQL condition WHEN on g holds, "ls g" elsewhere.
 * Searched for Q with history_scan_rows ROWS, every page at each of the
 * N page SIZES as the brute-force ILIKE answers.
 */
static void
word_paged(const char *when, const char *word, const char *q, int rows,
    const int *sizes, size_t n)
{
	int was = dbt_cfg.history_scan_rows;
	struct hist_filter f;
	struct who w;
	char sql[512];
	size_t i;

	someone(&w);
	snprintf(sql, sizeof(sql), "INSERT INTO termgate.command_history"
	    " (session_id, host_id, user_id, command, exit_status, started_at)"
	    " SELECT $1, $2, u.id, CASE WHEN %s THEN 'echo ' || $4 || ' ' || g"
	    " ELSE 'ls ' || g END, 0,"
	    " timestamptz '2026-02-01' + g * interval '1 second'"
	    " FROM generate_series(1, 1000) g, termgate.users u"
	    " WHERE u.username = $3", when);
	dbt_sql(sql, 4, (const char *[]){ w.sess, w.host, w.user, word });
	dbt_cfg.history_scan_rows = rows;
	memset(&f, 0, sizeof(f));
	f.user = w.user;
	f.q = q;
	for (i = 0; i < n; i++)
		CU_ASSERT_STRING_EQUAL(paged(f, sizes[i]), brute(&w, q, NULL));
	dbt_cfg.history_scan_rows = was;
}

/*
 * A word whose yield falls with age: one row in two among a user's
 * newest 60, one in 37 after them, 1,000 rows in all. With reads of 50
 * rows, the first finds 25, the second (its yield's rows and 50 more)
 * too few, a third reads on with the yield of both, and the keys answer
 * the rest: every page as the brute-force ILIKE answers, at page sizes
 * that end inside each read.
 */
static void
test_search_reads_on_by_yield(void)
{
	static const int sizes[] = { 51, 50, 30, 7 };

	word_paged("(g > 940 AND g % 2 = 0) OR (g <= 940 AND g % 37 = 0)",
	    "Zeta", "zeta", 50, sizes, sizeof(sizes) / sizeof(sizes[0]));
}

/*
 * A word one row of the newest 500 has, and every 50th row older: after
 * a read of those 500 rows, its yield says the rest of the page costs
 * more to read in time order than its matches cost through the trigram
 * keys (hist.c: keys_cheaper), which answer for the rows older than the
 * read. Every page as the brute-force ILIKE answers, at page sizes that
 * end in the read and after it.
 */
static void
test_search_keys_after_a_sparse_read(void)
{
	static const int sizes[] = { 51, 2, 1 };

	word_paged("g = 700 OR (g <= 500 AND g % 50 = 0)", "Kappa", "kappa",
	    500, sizes, sizeof(sizes) / sizeof(sizes[0]));
}

/*
 * ^ and $ are the command's ends unless an embedded option makes them
 * match at a newline too (n, m, w; p leaves them be): a search by an
 * anchored LIKE pattern (relit.c) must not lose the rows where they
 * match inside. Each expression answers what PostgreSQL's ~ answers,
 * as many rows as counted here.
 */
static void
test_regex_anchors_and_newlines(void)
{
	static const struct {
		const char	*re;
		int		 rows;
	} res[] = { { "^git log", 2 }, { "(?n)^git log", 3 },
	    { "(?m)^git log", 3 }, { "(?w)^git log", 3 },
	    { "(?p)^git log", 2 }, { "-3$", 0 }, { "(?n)-3$", 1 },
	    { "(?w)-[13]$", 2 }, { "^echo .*-1$", 1 } };
	struct hist_filter f;
	struct who w;
	const char *ids;
	size_t i;
	int n;

	someone(&w);
	dbt_sql("INSERT INTO termgate.command_history (session_id, host_id,"
	    " user_id, command, exit_status, started_at)"
	    " SELECT $1, $2, u.id, v.c, 0, timestamptz '2026-04-01'"
	    " + v.g * interval '1 second' FROM (VALUES"
	    " (1, E'echo a\\ngit log -1'), (2, 'git log -2'),"
	    " (3, E'git log -3\\necho b')) v (g, c), termgate.users u"
	    " WHERE u.username = $3", 3,
	    (const char *[]){ w.sess, w.host, w.user });
	memset(&f, 0, sizeof(f));
	f.user = w.user;
	for (i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		f.re = res[i].re;
		ids = brute(&w, NULL, f.re);
		n = ids[0] == '\0' ? 0 : 1;
		for (; *ids != '\0'; ids++)
			n += *ids == ',';
		CU_ASSERT_EQUAL(n, res[i].rows);
		CU_ASSERT_STRING_EQUAL(paged(f, 50), brute(&w, NULL, f.re));
	}
}

static CU_TestInfo tests[] = {
	{ "test_add_follows_the_session", test_add_follows_the_session },
	{ "test_add_rate_limit", test_add_rate_limit },
	{ "test_each_filter", test_each_filter },
	{ "test_substring_anywhere", test_substring_anywhere },
	{ "test_whose_rows", test_whose_rows },
	{ "test_cursor_stable_under_inserts",
	    test_cursor_stable_under_inserts },
	{ "test_search_reads_on_by_yield", test_search_reads_on_by_yield },
	{ "test_search_keys_after_a_sparse_read",
	    test_search_keys_after_a_sparse_read },
	{ "test_frequent", test_frequent },
	{ "test_frequent_follows_writes", test_frequent_follows_writes },
	{ "test_delete_is_recorded", test_delete_is_recorded },
	{ "test_purge_in_batches", test_purge_in_batches },
	{ "test_purge_events_in_batches", test_purge_events_in_batches },
	{ "test_regex_checked_by_postgresql",
	    test_regex_checked_by_postgresql },
	{ "test_bad_regex_refused_before_any_row",
	    test_bad_regex_refused_before_any_row },
	{ "test_regex_check_is_bounded", test_regex_check_is_bounded },
	{ "test_reads_are_bounded", test_reads_are_bounded },
	{ "test_search_is_brute_force", test_search_is_brute_force },
	{ "test_regex_anchors_and_newlines",
	    test_regex_anchors_and_newlines },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_hist = { "history", NULL, NULL, NULL, NULL, tests };
