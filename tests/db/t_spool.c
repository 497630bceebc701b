/*
 * t_spool.c - termgate-pty's command files into command_history
 * (spool.c): whole records only, each exactly once, malformed ones
 * skipped, and the last ones of a session taken after it ended; and the
 * command record's whole way (cmdrec.h): termgate-pty's capture writes
 * a session's commands, the spool moves them, the history repository
 * reads them as the API shows them, and every field arrives as written.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "cmdrec.h"
#include "dbt.h"
#include "hist.h"
#include "screen.h"
#include "spool.h"
#include "suites.h"

#define REC(cmd, st) "{\"command\": \"" cmd "\", \"exit_status\": " st \
	", \"cwd\": \"/tmp\", \"started_at\": \"2024-11-30T10:00:00.125Z\"," \
	" \"finished_at\": \"2024-11-30T10:00:01Z\", \"source\": \"shell\"," \
	" \"recording_offset\": 1.5}\n"

static char path[64];
static char node[64];		/* the node of setup's session */

/* Ingests the command file for session ID of setup's node. */
#define INGEST(id, off)	spool_ingest(dbt_db(), node, (id), path, (off))

/*
 * A session of its own and an empty command file for it. The session
 * is as if opened on 2023-11-14: the times of the records below lie in
 * its life (which ingestion keeps them within).
 */
static void
setup(char *user, char *host, char *id)
{
	int fd;

	dbt_unique(user, 40, "spool");
	dbt_unique(host, 40, "spool-host");
	dbt_host(host);
	dbt_active(user, host, "embedded", id);
	DBT_SQL1("UPDATE termgate.sessions SET created_at ="
	    " '2023-11-14T00:00:00Z' WHERE id = $1", id);
	strlcpy(node, DBT_SQL1("SELECT node FROM termgate.sessions"
	    " WHERE id = $1", id), sizeof(node));
	strlcpy(path, "/tmp/termgate-t_spool.XXXXXX", sizeof(path));
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd != -1);
	close(fd);
}

static void
append(const char *text)
{
	FILE *f = fopen(path, "a");

	CU_ASSERT_FATAL(f != NULL);
	fputs(text, f);
	fclose(f);
}

static const char *
rows(const char *id)
{
	return DBT_SQL1("SELECT count(*) FROM termgate.command_history"
	    " WHERE session_id = $1", id);
}

static void
test_whole_records_once(void)
{
	char user[40], host[40], id[65];
	off_t off, len;

	setup(user, host, id);
	append(REC("cd /tmp", "0") REC("false", "1") "{\"command\": \"ec");
	len = (off_t)strlen(REC("cd /tmp", "0") REC("false", "1"));
	off = INGEST(id, 0);
	CU_ASSERT_EQUAL(off, len);
	CU_ASSERT_STRING_EQUAL(rows(id), "2");
	CU_ASSERT_EQUAL(spool_offset(dbt_db(), id), len);
	/* The same again: nothing new, nothing twice. */
	CU_ASSERT_EQUAL(INGEST(id, off), off);
	CU_ASSERT_STRING_EQUAL(rows(id), "2");
	/* A stale offset is refused; the row's own is answered. */
	CU_ASSERT_EQUAL(INGEST(id, 0), len);
	CU_ASSERT_STRING_EQUAL(rows(id), "2");
	/* The partial line, once finished, is taken. */
	append("ho hi\", \"exit_status\": 0}\n");
	off = INGEST(id, off);
	CU_ASSERT_STRING_EQUAL(rows(id), "3");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(command || ':' ||"
	    " coalesce(exit_status::text, '-') || ':' || source, ','"
	    " ORDER BY id) FROM termgate.command_history WHERE session_id ="
	    " $1", id), "cd /tmp:0:shell,false:1:shell,echo hi:0:shell");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT termgate.rfc3339(started_at)"
	    " || ' ' || (finished_at - started_at) || ' ' || recording_offset"
	    " || ' ' || cwd FROM termgate.command_history"
	    " WHERE session_id = $1 AND command = 'false'", id),
	    "2024-11-30T10:00:00Z 00:00:00.875 1.5 /tmp");
	CU_ASSERT_STRING_EQUAL(DBT_SQL2("SELECT count(*) FROM"
	    " termgate.command_history h JOIN termgate.sessions s"
	    " ON s.id = h.session_id WHERE h.session_id = $1"
	    " AND h.host_id = $2 AND h.user_id = s.user_id", id, host), "3");
	unlink(path);
}

static void
test_malformed_skipped(void)
{
	static const char *const bad[] = {
		"not json\n",
		"{\"command\": \"\"}\n",
		"{\"command\": 7}\n",
		"{\"exit_status\": 0}\n",
		"[\"ls\"]\n",
		"{\"command\": \"ls\", \"exit_status\": \"0\"}\n",
		"{\"command\": \"ls\", \"exit_status\": 99999999999}\n",
		"{\"command\": \"ls\", \"started_at\": \"yesterday\"}\n",
		"{\"command\": \"ls\", \"started_at\": \"2026-11-30 10:00:00\"}\n",
		"{\"command\": \"ls\", \"source\": \"api\"}\n",
		"{\"command\": \"ls\", \"recording_offset\": -1}\n",
		"{\"command\": \"ls\", \"cwd\": 5}\n",
		"{\"command\": \"a\\u0000b\"}\n",
		"{\"command\": \"ls\"} trailing\n",
	};
	char user[40], host[40], id[65], big[9000];
	size_t i;

	setup(user, host, id);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		append(bad[i]);
	memset(big, 'x', sizeof(big));
	memcpy(big, "{\"command\": \"", 13);
	strlcpy(big + 8900, "\"}\n", sizeof(big) - 8900);	/* 8887 bytes */
	append(big);
	append(REC("ok", "0"));
	CU_ASSERT(INGEST(id, 0) > 0);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(left(command, 20),"
	    " ',') FROM termgate.command_history WHERE session_id = $1", id),
	    "ok");
	unlink(path);
}

static void
test_after_the_session_ended(void)
{
	char user[40], host[40], id[65];

	setup(user, host, id);
	CU_ASSERT_FATAL(sess_close(dbt_db(), id, SESS_REASON_EXITED, NULL,
	    NULL) == 0);
	append(REC("last words", "0"));
	CU_ASSERT(INGEST(id, 0) > 0);
	CU_ASSERT_STRING_EQUAL(rows(id), "1");
	/* The row is otherwise as frozen as ever. */
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT status || '/' ||"
	    " reason_closed FROM termgate.sessions WHERE id = $1", id),
	    "closed/process_exited");
	unlink(path);
}

static void
test_no_file(void)
{
	char user[40], host[40], id[65];

	setup(user, host, id);
	unlink(path);
	CU_ASSERT_EQUAL(INGEST(id, 0), 0);
	CU_ASSERT_EQUAL(spool_offset(dbt_db(), "0000"), -1);
}

/* A FIFO planted in place of a command file (a terminal's uid can) is
 * refused at once: its open would wait for a writer, and the supervisor
 * with it. */
static void
test_fifo_refused(void)
{
	char user[40], host[40], id[65];

	setup(user, host, id);
	unlink(path);
	CU_ASSERT_FATAL(mkfifo(path, 0600) == 0);
	CU_ASSERT_EQUAL(INGEST(id, 0), -1);
	CU_ASSERT_STRING_EQUAL(rows(id), "0");
	unlink(path);
}

/* A command file of a session of another node is not this one's to
 * read: nothing of it goes in, and the row's offset stays. */
static void
test_other_nodes_session(void)
{
	char user[40], host[40], id[65];

	setup(user, host, id);
	append(REC("planted", "0"));
	CU_ASSERT_EQUAL(spool_ingest(dbt_db(), "elsewhere", id, path, 0), 0);
	CU_ASSERT_STRING_EQUAL(rows(id), "0");
	CU_ASSERT_EQUAL(spool_offset(dbt_db(), id), 0);
	CU_ASSERT(INGEST(id, 0) > 0);
	CU_ASSERT_STRING_EQUAL(rows(id), "1");
	unlink(path);
}

/* Times are the shell's word: kept within the session's life, ended
 * or not; none before its start, none in the future. */
static void
test_times_within_life(void)
{
	char user[40], host[40], id[65];
	off_t off;

	setup(user, host, id);
	append("{\"command\": \"touch -d\", \"started_at\":"
	    " \"0001-01-01T00:00:00Z\", \"finished_at\":"
	    " \"9999-12-31T23:59:59Z\"}\n");
	CU_ASSERT((off = INGEST(id, 0)) > 0);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT termgate.rfc3339(started_at)"
	    " || ' ' || (finished_at <= now()) FROM termgate.command_history"
	    " WHERE session_id = $1", id), "2023-11-14T00:00:00Z true");
	CU_ASSERT_FATAL(sess_close(dbt_db(), id, SESS_REASON_EXITED, NULL,
	    NULL) == 0);
	append("{\"command\": \"late\", \"started_at\":"
	    " \"9999-12-31T23:59:59Z\"}\n");
	CU_ASSERT(INGEST(id, off) > off);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT h.started_at = s.closed_at"
	    " AND h.finished_at IS NULL FROM termgate.command_history h JOIN termgate.sessions s"
	    " ON s.id = h.session_id WHERE h.session_id = $1"
	    " AND h.command = 'late'", id), "t");
	unlink(path);
}

static void
raw(const char *sql)
{
	PGresult *res = PQexec(dbt_raw(), sql);

	CU_ASSERT_EQUAL(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
}

/*
 * A record the database refuses for what it holds (here a trigger that
 * refuses one command) would be refused on every try, and the session's
 * later commands with it: it alone is set aside, once, with an event.
 */
static void
test_refused_record_set_aside(void)
{
	char user[40], host[40], id[65], from[24];
	off_t off, first = (off_t)strlen(REC("before", "0"));

	setup(user, host, id);
	raw("CREATE FUNCTION public.dbt_refuse() RETURNS trigger"
	    " LANGUAGE plpgsql AS $$ BEGIN IF NEW.command = 'refuse me' THEN"
	    " RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW;"
	    " END $$;"
	    "CREATE TRIGGER dbt_refuse BEFORE INSERT"
	    " ON termgate.command_history FOR EACH ROW"
	    " EXECUTE FUNCTION public.dbt_refuse()");
	append(REC("before", "0") REC("refuse me", "1") REC("after", "0"));
	/* The batch is refused; its first record alone goes in. */
	CU_ASSERT_EQUAL(INGEST(id, 0), first);
	CU_ASSERT_STRING_EQUAL(rows(id), "1");
	/* Then the one refused is set aside, and what follows it arrives. */
	off = INGEST(id, first);
	CU_ASSERT_EQUAL(off, first + (off_t)strlen(REC("refuse me", "1")));
	CU_ASSERT_EQUAL(spool_offset(dbt_db(), id), off);
	off = INGEST(id, off);
	CU_ASSERT_EQUAL(off, (off_t)strlen(REC("before", "0")
	    REC("refuse me", "1") REC("after", "0")));
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(command, ','"
	    " ORDER BY id) FROM termgate.command_history"
	    " WHERE session_id = $1", id), "before,after");
	snprintf(from, sizeof(from), "%lld", (long long)first);
	CU_ASSERT_STRING_EQUAL(DBT_SQL2("SELECT count(*) || ' ' ||"
	    " bool_and(detail->>'error' LIKE 'P0001 refused by the test%')"
	    " FROM termgate.session_events WHERE session_id = $1"
	    " AND kind = 'capture_refused' AND detail->>'from' = $2",
	    id, from), "1 true");
	raw("DROP TRIGGER dbt_refuse ON termgate.command_history;"
	    "DROP FUNCTION public.dbt_refuse()");
	unlink(path);
}

#define MK_A	"\033]133;A\007$ \033]133;B\007"
#define MK_C	"\033]133;C\007"
#define MK_D(s)	"\033]133;D;" s "\007"
#define MK_E(s)	"\033]633;E;" s "\007"
#define MK_CWD(p) "\033]633;P;Cwd=" p "\007"

struct got {
	json_object	*row[8];	/* as the API shows them, oldest 1st */
	int64_t		 us[8];
	int		 n;
};

static int
got_row(void *arg, const struct hist_row *r)
{
	struct got *g = arg;

	if (g->n == 8)
		return -1;
	memmove(g->row + 1, g->row, sizeof(g->row[0]) * (size_t)g->n);
	memmove(g->us + 1, g->us, sizeof(g->us[0]) * (size_t)g->n);
	g->row[0] = hist_row_json(r);
	g->us[0] = r->started_us;
	g->n++;
	return 0;
}

/* Feeds OUT (LEN bytes) to capture C and screen S at wall time MS, at
 * MS - 1700000000000 in the recording. */
static void
shell_out(struct capture *c, struct screen *s, const char *out, size_t len,
    int64_t ms)
{
	struct capture_time t = { ms, (ms - 1700000000000LL) * 1000 };

	capture_at(c, &t);
	screen_feed(s, out, len);
}

#define SHELL(c, s, str, ms)	shell_out((c), (s), (str), strlen(str), (ms))

/* An OSC 633 PREFIX, then N bytes of CH, then TAIL (one of them) in BUF. */
static size_t
long_mark(char *buf, size_t len, const char *prefix, size_t n, char ch,
    const char *tail)
{
	size_t p = strlcpy(buf, prefix, len);

	memset(buf + p, ch, n);
	return p + n + strlcpy(buf + p + n, tail, len - p - n);
}

/*
 * A session's commands as termgate-pty's capture writes them: a typed
 * line, then marked commands whose text strains the record's limits
 * (a NUL and a byte that starts no character; the longest command; a
 * cwd over the limit, cut); only the one whose E and D carry the
 * session's nonce is the shell's, the others are claimed.
 */
static void
capture_session(const char *file)
{
	static char buf[64 + CMDREC_COMMAND_MAX];
	struct capture_time t = { 1700000000250LL, 250000 };
	struct capture_tty tty;
	struct screen *scr = screen_new(80, 24);
	struct capture *c = capture_open(file, 0, 0);
	size_t n;

	CU_ASSERT_FATAL(c != NULL && scr != NULL);
	capture_watch(c, scr);
	capture_nonce(c, "n0nce");
	SHELL(c, scr, "$ echo typed", t.wall_ms);
	tty = capture_tty(CAPTURE_ECHO | CAPTURE_CANON);
	capture_input(c, "echo typed\r", 11, "", &tty, scr, &t);
	SHELL(c, scr, "\r\n" MK_CWD("/srv/app") MK_A "make -j4\r\n",
	    1700000001000LL);
	SHELL(c, scr, MK_C "out\r\n", 1700000001100LL);
	SHELL(c, scr, MK_D("2"), 1700000001350LL);
	SHELL(c, scr, MK_A MK_E("printf '\\x00\\xff' \xc3\xa9;n0nce"),
	    1700000002000LL);
	SHELL(c, scr, MK_C MK_D("0;n0nce"), 1700000002500LL);
	/* 8191 bytes and a stray byte: 8191 + U+FFFD is over the limit. */
	SHELL(c, scr, MK_A, 1700000003000LL);
	n = long_mark(buf, sizeof(buf), "\033]633;E;", CMDREC_COMMAND_MAX - 1,
	    'x', "\\xff\007");
	shell_out(c, scr, buf, n, 1700000003000LL);
	n = long_mark(buf, sizeof(buf), "\033]633;P;Cwd=/", CMDREC_CWD_MAX,
	    'd', "\007");
	shell_out(c, scr, buf, n, 1700000003100LL);
	SHELL(c, scr, MK_C "\033]133;D\007", 1700000004000LL);
	capture_close(c, &t);
	screen_free(scr);
}

static int
same_str(json_object *row, const char *key, const char *want, size_t len)
{
	json_object *v;
	const char *s;

	if (!json_object_object_get_ex(row, key, &v) || v == NULL)
		return want == NULL;
	s = json_object_get_string(v);
	return want != NULL && strlen(s) == len && memcmp(s, want, len) == 0;
}

static int
same_num(json_object *row, const char *key, int has, long long want)
{
	json_object *v;

	if (!json_object_object_get_ex(row, key, &v) || v == NULL)
		return !has;
	return has && json_object_get_int64(v) == want;
}

/* Row ROW (started at US) says what record R says, field for field. */
static void
compare(json_object *row, int64_t us, const struct cmdrec *r)
{
	json_object *v;
	double off;

	CU_ASSERT(same_str(row, "command", r->command, r->command_len));
	CU_ASSERT(same_str(row, "cwd", r->cwd, r->cwd_len));
	CU_ASSERT(same_num(row, "exit_status", r->has_exit, r->exit_status));
	CU_ASSERT(r->has_started && us == r->started_us);
	CU_ASSERT(same_num(row, "duration_ms", r->has_finished,
	    (r->finished_us - r->started_us) / 1000));
	CU_ASSERT_STRING_EQUAL(dbt_str(row, "source"),
	    cmdrec_source_name(r->source));
	off = json_object_object_get_ex(row, "recording_offset", &v) &&
	    v != NULL ? json_object_get_double(v) : -1;
	CU_ASSERT(r->has_offset ? (int64_t)(off * 1e6 + 0.5) == r->offset_us :
	    off == -1);
}

static void
test_capture_to_history(void)
{
	char user[40], host[40], id[65], *p = NULL, *nl, *line;
	struct hist_filter f = { 0 };
	json_object *hold;
	struct cmdrec r;
	struct got g = { 0 };
	size_t len = 0;
	FILE *fp;
	int i = 0;

	setup(user, host, id);
	capture_session(path);
	CU_ASSERT_FATAL((fp = fopen(path, "r")) != NULL);
	CU_ASSERT_FATAL(getdelim(&p, &len, '\0', fp) > 0);
	fclose(fp);
	CU_ASSERT_EQUAL(INGEST(id, 0),
	    (off_t)strlen(p));
	f.user = user;
	f.session_id = id;
	CU_ASSERT_EQUAL_FATAL(hist_each(dbt_db(), &dbt_cfg, &f, 8, got_row,
	    &g), 4);
	for (line = p; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		CU_ASSERT_FATAL(i < g.n);
		CU_ASSERT_FATAL(cmdrec_decode(line, (size_t)(nl - line), &r,
		    &hold) == 0);
		compare(g.row[i], g.us[i], &r);
		json_object_put(hold);
		json_object_put(g.row[i++]);
	}
	CU_ASSERT_EQUAL(i, 4);
	/* What the limits did on the way, as the rows show it. */
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(source || ':' ||"
	    " octet_length(command) || ':' || coalesce(right(cwd, 4) || '/' ||"
	    " octet_length(cwd), '-') || ':' || (finished_at IS NULL), ','"
	    " ORDER BY started_at) FROM termgate.command_history"
	    " WHERE session_id = $1", id),
	    "typed:10:-:true,claimed:8:/app/8:false,"
	    "shell:18:/app/8:false,claimed:8191:ddd\xe2\x80\xa6/4096:false");
	free(p);
	unlink(path);
}

/*
 * What cmdrec takes, the schema takes: the longest command and cwd go
 * in (a record the table refused would hold up its whole batch), and a
 * record without a source gets the column's own default.
 */
static void
test_limits_are_the_schemas(void)
{
	static char cmd[CMDREC_COMMAND_MAX], cwd[CMDREC_CWD_MAX];
	static char line[CMDREC_LINE_MAX];
	struct cmdrec r = { .command = cmd, .command_len = sizeof(cmd),
	    .cwd = cwd, .cwd_len = sizeof(cwd) };
	char user[40], host[40], id[65], want[64];

	setup(user, host, id);
	memset(cmd, 'c', sizeof(cmd));
	memset(cwd, 'd', sizeof(cwd));
	cwd[0] = '/';
	CU_ASSERT_FATAL(cmdrec_encode(&r, line, sizeof(line)) > 0);
	append(line);
	append("{\"command\": \"no source\"}\n");
	CU_ASSERT(INGEST(id, 0) > 0);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(octet_length("
	    "command) || ':' || coalesce(octet_length(cwd), 0) || ':' ||"
	    " source, ',' ORDER BY id) FROM termgate.command_history"
	    " WHERE session_id = $1", id), "8192:4096:shell,9:0:shell");
	snprintf(want, sizeof(want), "'%s'::text",
	    cmdrec_source_name(CMDREC_SOURCE_DEFAULT));
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT column_default FROM"
	    " information_schema.columns WHERE table_schema = 'termgate'"
	    " AND table_name = 'command_history' AND column_name = $1",
	    "source"), want);
	unlink(path);
}

/*
 * Event lines: what the holder says of its capture and recording becomes
 * session events, not commands; a line that claims to be an event but is
 * none of the fixed pairs is skipped like any malformed record.
 */
static void
test_events(void)
{
	static const char *const bad[] = {
		"{\"event\": \"closed\", \"dropped\": 1}\n",
		"{\"event\": \"capture_dropped\", \"max_bytes\": 1}\n",
		"{\"event\": \"capture_dropped\", \"dropped\": -1}\n",
		"{\"event\": \"capture_dropped\", \"dropped\": \"1\"}\n",
		"{\"event\": \"capture_dropped\", \"dropped\": 1, \"x\": 2}\n",
		"{\"event\": 7, \"dropped\": 1}\n",
	};
	char user[40], host[40], id[65], line[128];
	size_t i;

	setup(user, host, id);
	append(REC("before", "0"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		append(bad[i]);
	CU_ASSERT_FATAL(cmdrec_event_encode("capture_dropped", "dropped", 41,
	    line, sizeof(line)) > 0);
	append(line);
	CU_ASSERT_FATAL(cmdrec_event_encode("recording_stopped", "max_bytes",
	    1024, line, sizeof(line)) > 0);
	append(line);
	CU_ASSERT_EQUAL(cmdrec_event_encode("closed", "dropped", 1, line,
	    sizeof(line)), -1);
	append(REC("after", "0"));
	CU_ASSERT(INGEST(id, 0) > 0);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(command, ','"
	    " ORDER BY id) FROM termgate.command_history"
	    " WHERE session_id = $1", id), "before,after");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(kind || ' ' ||"
	    " detail::text, ',' ORDER BY id) FROM termgate.session_events"
	    " WHERE session_id = $1 AND kind IN ('capture_dropped',"
	    " 'recording_stopped', 'closed')", id),
	    "capture_dropped {\"dropped\": 41},"
	    "recording_stopped {\"max_bytes\": 1024}");
	/* taken once: again from 0 moves nothing */
	CU_ASSERT_EQUAL(INGEST(id, 0), spool_offset(dbt_db(), id));
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT count(*) FROM"
	    " termgate.session_events WHERE session_id = $1 AND kind ="
	    " 'capture_dropped'", id), "1");
	unlink(path);
}

/* A loop of marks: the budget keeps RATE records, counts the rest and
 * says so once at the end; the cap stops capture with an event. */
static void
flood(const char *file, int rate, long long max, int n)
{
	struct capture *c = capture_open(file, rate, max);
	struct screen *scr = screen_new(80, 24);
	struct capture_time t = { 1700000000000LL, -1 };
	char out[160];
	int i;

	CU_ASSERT_FATAL(c != NULL && scr != NULL);
	capture_watch(c, scr);
	capture_at(c, &t);
	for (i = 0; i < n; i++) {
		snprintf(out, sizeof(out), "\033]133;A\007$ \033]133;B\007"
		    "flood-%d\033]133;C\007\r\n\033]133;D;0\007", i);
		screen_feed(scr, out, strlen(out));
		t.wall_ms++;
		capture_at(c, &t);
	}
	capture_close(c, &t);
	screen_free(scr);
}

static void
test_capture_budget_and_cap(void)
{
	char user[40], host[40], id[65];

	setup(user, host, id);
	flood(path, 50, 0, 500);
	CU_ASSERT(INGEST(id, 0) > 0);
	CU_ASSERT_STRING_EQUAL(rows(id), "50");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(detail::text, ',')"
	    " FROM termgate.session_events WHERE session_id = $1 AND kind ="
	    " 'capture_dropped'", id), "{\"dropped\": 450}");
	unlink(path);

	setup(user, host, id);
	flood(path, 0, 4096, 500);
	CU_ASSERT(INGEST(id, 0) > 0);
	CU_ASSERT(atoi(rows(id)) > 5 && atoi(rows(id)) < 500);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(detail::text, ',')"
	    " FROM termgate.session_events WHERE session_id = $1 AND kind ="
	    " 'capture_stopped'", id), "{\"max_bytes\": 4096}");
	unlink(path);
}

#define G_ANN	"a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
#define G_EVE	"e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5"
#define BY(cmd, g) "{\"command\": \"" cmd "\", \"by\": \"" g "\"}\n"

/*
 * Who entered a command ("by", a grant) becomes typed_by, the grant's
 * user, only for a grant of the session's own shares: a record naming
 * another session's grant (its file is the terminal uid's to write) is
 * the owner's, and a "by" that is no grant makes no row.
 */
static void
test_typed_by(void)
{
	char user[40], host[40], id[65], other[65], u2[40];

	setup(user, host, id);
	dbt_unique(u2, 40, "spool-other");
	dbt_active(u2, host, "embedded", other);
	dbt_share(id, "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
	    "control", "ann", G_ANN);
	dbt_share(other, "6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b",
	    "control", "eve", G_EVE);
	append(BY("joined", G_ANN) BY("forged", G_EVE) REC("owner", "0")
	    "{\"command\": \"bad\", \"by\": \"ann\"}\n");
	CU_ASSERT(INGEST(id, 0) > 0);
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(command || ':' ||"
	    " coalesce(typed_by, '-'), ',' ORDER BY id)"
	    " FROM termgate.command_history WHERE session_id = $1", id),
	    "joined:ann,forged:-,owner:-");
	unlink(path);
}

static CU_TestInfo tests[] = {
	{ "test_spool_whole_records_once", test_whole_records_once },
	{ "test_spool_malformed_skipped", test_malformed_skipped },
	{ "test_spool_after_the_session_ended",
	    test_after_the_session_ended },
	{ "test_spool_no_file", test_no_file },
	{ "test_spool_fifo_refused", test_fifo_refused },
	{ "test_spool_other_nodes_session", test_other_nodes_session },
	{ "test_spool_times_within_life", test_times_within_life },
	{ "test_spool_refused_record_set_aside",
	    test_refused_record_set_aside },
	{ "test_spool_capture_to_history", test_capture_to_history },
	{ "test_spool_limits_are_the_schemas", test_limits_are_the_schemas },
	{ "test_spool_events", test_events },
	{ "test_spool_capture_budget_and_cap", test_capture_budget_and_cap },
	{ "test_spool_typed_by", test_typed_by },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_spool = { "spool", NULL, NULL, NULL, NULL, tests };
