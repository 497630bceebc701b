/*
 * t_spool.c - termgate-pty's command files into command_history
 * (spool.c): whole records only, each exactly once, malformed ones
 * skipped, and the last ones of a session taken after it ended.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbt.h"
#include "spool.h"
#include "suites.h"

#define REC(cmd, st) "{\"command\": \"" cmd "\", \"exit_status\": " st \
	", \"cwd\": \"/tmp\", \"started_at\": \"2026-11-30T10:00:00.125Z\"," \
	" \"finished_at\": \"2026-11-30T10:00:01Z\", \"source\": \"shell\"," \
	" \"recording_offset\": 1.5}\n"

static char path[64];

/* A session of its own and an empty command file for it. */
static void
setup(char *user, char *host, char *id)
{
	int fd;

	dbt_unique(user, 40, "spool");
	dbt_unique(host, 40, "spool-host");
	dbt_host(host);
	dbt_active(user, host, "embedded", id);
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
	off = spool_ingest(dbt_db(), id, path, 0);
	CU_ASSERT_EQUAL(off, len);
	CU_ASSERT_STRING_EQUAL(rows(id), "2");
	CU_ASSERT_EQUAL(spool_offset(dbt_db(), id), len);
	/* The same again: nothing new, nothing twice. */
	CU_ASSERT_EQUAL(spool_ingest(dbt_db(), id, path, off), off);
	CU_ASSERT_STRING_EQUAL(rows(id), "2");
	/* A stale offset is refused; the row's own is answered. */
	CU_ASSERT_EQUAL(spool_ingest(dbt_db(), id, path, 0), len);
	CU_ASSERT_STRING_EQUAL(rows(id), "2");
	/* The partial line, once finished, is taken. */
	append("ho hi\", \"exit_status\": 0}\n");
	off = spool_ingest(dbt_db(), id, path, off);
	CU_ASSERT_STRING_EQUAL(rows(id), "3");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT string_agg(command || ':' ||"
	    " coalesce(exit_status::text, '-') || ':' || source, ','"
	    " ORDER BY id) FROM termgate.command_history WHERE session_id ="
	    " $1", id), "cd /tmp:0:shell,false:1:shell,echo hi:0:typed");
	CU_ASSERT_STRING_EQUAL(DBT_SQL1("SELECT termgate.rfc3339(started_at)"
	    " || ' ' || (finished_at - started_at) || ' ' || recording_offset"
	    " || ' ' || cwd FROM termgate.command_history"
	    " WHERE session_id = $1 AND command = 'false'", id),
	    "2026-11-30T10:00:00Z 00:00:00.875 1.5 /tmp");
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
	CU_ASSERT(spool_ingest(dbt_db(), id, path, 0) > 0);
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
	CU_ASSERT(spool_ingest(dbt_db(), id, path, 0) > 0);
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
	CU_ASSERT_EQUAL(spool_ingest(dbt_db(), id, path, 0), 0);
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
	CU_ASSERT_EQUAL(spool_ingest(dbt_db(), id, path, 0), -1);
	CU_ASSERT_STRING_EQUAL(rows(id), "0");
	unlink(path);
}

static CU_TestInfo tests[] = {
	{ "test_spool_whole_records_once", test_whole_records_once },
	{ "test_spool_malformed_skipped", test_malformed_skipped },
	{ "test_spool_after_the_session_ended",
	    test_after_the_session_ended },
	{ "test_spool_no_file", test_no_file },
	{ "test_spool_fifo_refused", test_fifo_refused },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_spool = { "spool", NULL, NULL, NULL, NULL, tests };
