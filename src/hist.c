/*
 * hist.c - the command history repository.
 *
 * Commands arrive from two sides: termgate-pty's capture, which the
 * supervisor inserts, and POST .../commands, which comes through here
 * (termgate.add_command: the session's owner, a live session, a token
 * bucket in the session row). Reads serve the panel, its export and its
 * frequent commands, each bounded by history_search_timeout (db_read: a
 * regular expression can be slow). The plain page, a user's rows with no
 * filter, has a statement whose one plan fits every call. A user's
 * search reads the newest rows in order from one index and stops at the
 * page (STMT_HIST_SCAN, planned once too); what it leaves, the older
 * rows of a word too rare to fill the page among the first
 * history_scan_rows, a session's rows, a regular expression with no
 * text it requires (relit.c: "git log" or "git status" in
 * ^git (log|status), which are then
 * searched as a word too) and every user's rows, is read by one
 * statement whose NULL parameters
 * switch filters off (STMT_HIST_LIST), planned for the filters actually
 * given; it takes the user's id, looked up first, so that the planner
 * sees it as a constant and can pick the user's own trigram keys
 * (sql/011).
 * Paging is by keyset: a cursor is the (started_at, id) of the last row
 * shown, so rows inserted between pages shift nothing. Rows reach
 * callers through a callback; the PGresult never leaves this file.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cfg.h"
#include "db_pq.h"
#include "hist.h"
#include "jsonx.h"
#include "relit.h"
#include "tok.h"

#define US_PARAM(buf, has, v)	((has) ? DB_ITOA(buf, v) : NULL)
/* A second read of a search takes at most this many times the first's
 * rows (hist_each); this many when the first found none. */
#define SCAN_WIDEN		50
#define SCAN_UNSEEN		8
/* The most reads in time order of one search, before the trigram keys. */
#define SCAN_READS		3
/* What a row found through the trigram keys costs, in index tuples read
 * in time order (keys_cheaper): twice what a heavy user's rare string
 * measured, 7 ms for 367 rows against 40 ms for 140,000 tuples. */
#define KEY_TUPLES		128
/* STMT_HIST_SCAN's columns after HIST_COLS: where its read ended, and
 * the user's rows in all where the trigram keys can answer the word. */
#define SCAN_EDGE		13
#define SCAN_COUNT		15
/* Microseconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z,
 * the times valid_rfc3339 accepts: a cursor is one of them. */
#define US_FIRST	(-62135596800LL * 1000000)
#define US_LAST		(253402300800LL * 1000000 - 1)

static const char *const added_names[] = {
	[HIST_ADDED] = "created", [HIST_NO_SESSION] = "not_found",
	[HIST_ENDED] = "ended", [HIST_LIMITED] = "limited",
};

static int
added_outcome(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(added_names) / sizeof(added_names[0]); i++)
		if (strcmp(s, added_names[i]) == 0)
			return (int)i;
	return -1;
}

int
hist_add(struct tg_db *db, const struct tg_cfg *cfg,
    const struct hist_new *n, long long *id, int *retry)
{
	char ex[16], st[24], fi[24], rate[16], burst[16];
	const struct cmdrec *r = &n->rec;
	const char *params[] = { n->session_id, n->user, r->command,
	    r->has_exit ? DB_ITOA(ex, r->exit_status) : NULL, r->cwd,
	    US_PARAM(st, r->has_started, r->started_us),
	    US_PARAM(fi, r->has_finished, r->finished_us),
	    DB_ITOA(rate, cfg->history_rate), DB_ITOA(burst,
	    cfg->history_burst) };
	PGresult *res;
	int rv = -1;

	if ((res = db_exec(db, STMT_HIST_ADD, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1 &&
	    (rv = added_outcome(PQgetvalue(res, 0, 0))) != -1) {
		*id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
		*retry = atoi(PQgetvalue(res, 0, 2));
	}
	PQclear(res);
	return rv;
}

/*
 * Runs statement ID under the search time limit (db_read). Returns its
 * result (the caller clears it), or NULL with *ERR -1, HIST_TIMEOUT or
 * HIST_BAD_REGEX.
 */
static PGresult *
bounded_read(struct tg_db *db, const struct tg_cfg *cfg, enum stmt_id id,
    const char *const *params, int *err)
{
	PGresult *res;

	if ((res = db_read(db, id, params, cfg->history_search_timeout)) ==
	    NULL)
		*err = strcmp(db_sqlstate(db), DB_CANCELED) == 0 ?
		    HIST_TIMEOUT : strcmp(db_sqlstate(db), DB_BAD_REGEX) == 0 ?
		    HIST_BAD_REGEX : -1;
	return res;
}

/*
 * The pattern is compiled under the search's time limit: PostgreSQL's
 * regex compiler can work for a minute or more on 21 bytes
 * ("(a|\y|\Y|^|$){1,12}") before any row is read.
 */
int
hist_regex_error(struct tg_db *db, const struct tg_cfg *cfg, const char *re,
    char *why, size_t len)
{
	const char *params[] = { re };
	PGresult *res;
	int rv = 0;

	if ((res = bounded_read(db, cfg, STMT_HIST_REGEX_ERROR, params,
	    &rv)) == NULL)
		return rv;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
		strlcpy(why, PQgetvalue(res, 0, 0), len);
		rv = 1;
	}
	PQclear(res);
	return rv;
}

/* Column C of row I, or NULL when it is null. */
static const char *
col(PGresult *res, int i, int c)
{
	return PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
}

/*
 * US microseconds after the epoch as RFC 3339 in whole seconds, the
 * form the API gives times in (termgate.rfc3339 in SQL), into BUF.
 */
static const char *
us_rfc3339(int64_t us, char *buf, size_t len)
{
	int64_t s = us / 1000000 - (us % 1000000 < 0);
	time_t t = (time_t)s;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return NULL;
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	return buf;
}

/* D microseconds in milliseconds, half away from zero (numeric's). */
static long long
us_to_ms(int64_t d)
{
	return d >= 0 ? (d + 500) / 1000 : -((-d + 500) / 1000);
}

/* Row I of a HIST_COLS result into *R. */
static void
read_row(PGresult *res, int i, struct hist_row *r)
{
	const char *v;
	int64_t fin;

	memset(r, 0, sizeof(*r));
	r->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
	r->session_id = col(res, i, 1);
	r->host_id = col(res, i, 2);
	r->host_name = col(res, i, 3);
	r->username = col(res, i, 4);
	r->command = col(res, i, 5);
	if ((v = col(res, i, 6)) != NULL) {
		r->has_exit = 1;
		r->exit_status = atoi(v);
	}
	r->cwd = col(res, i, 7);
	r->started_us = strtoll(PQgetvalue(res, i, 8), NULL, 10);
	r->started_at = us_rfc3339(r->started_us, r->at_text[0],
	    sizeof(r->at_text[0]));
	if ((v = col(res, i, 9)) != NULL) {
		fin = strtoll(v, NULL, 10);
		r->finished_at = us_rfc3339(fin, r->at_text[1],
		    sizeof(r->at_text[1]));
		r->has_duration = 1;
		r->duration_ms = us_to_ms(fin - r->started_us);
	}
	r->source = col(res, i, 10);
	if ((v = col(res, i, 11)) != NULL) {
		r->has_offset = 1;
		r->recording_offset = strtod(v, NULL);
	}
	r->typed_by = col(res, i, 12);
}

/*
 * 1 when F asks for a user's rows and nothing else: STMT_HIST_PAGE, the
 * panel's most frequent read, then answers it with its one plan.
 */
static int
plain_page(const struct hist_filter *f)
{
	return f->user != NULL && f->host_id == NULL &&
	    f->session_id == NULL && f->source == NULL && f->cwd == NULL &&
	    f->q == NULL && f->re == NULL && !f->has_since && !f->has_until &&
	    f->exit == HIST_EXIT_ANY;
}

/*
 * USER's id into UID (size LEN): 1, 0 when there is no such user, -1 on
 * a database error. hist_list takes the id, not the name, so that it is
 * a constant when the search is planned (see STMT_HIST_LIST).
 */
static int
user_id(struct tg_db *db, const char *user, char *uid, size_t len)
{
	const char *params[] = { user };
	PGresult *res;
	int rv = 0;

	if ((res = db_exec(db, STMT_HIST_USER_ID, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1)
		rv = strlcpy(uid, PQgetvalue(res, 0, 0), len) < len ? 1 : -1;
	PQclear(res);
	return rv;
}

/* The rows of F (HIST_COLS), or NULL with *ERR as bounded_read's. A
 * user who does not exist has the id 0, which no row has: the statement
 * still runs, and refuses a bad regex as it does for anyone. */
static PGresult *
list(struct tg_db *db, const struct tg_cfg *cfg, const struct hist_filter *f,
    int limit, int *err)
{
	char uid[24], since[24], until[24], ex[16], cu[24], ci[24], lim[16];
	const char *params[] = { f->user != NULL ? uid : NULL, f->host_id,
	    f->session_id, US_PARAM(since, f->has_since, f->since_us),
	    US_PARAM(until, f->has_until, f->until_us),
	    f->exit == HIST_EXIT_IS ? DB_ITOA(ex, f->exit_status) : NULL,
	    f->exit == HIST_EXIT_NONZERO ? "t" : "f", f->source, f->cwd, f->q,
	    f->re, US_PARAM(cu, f->has_cursor, f->cursor_us),
	    f->has_cursor ? DB_ITOA(ci, f->cursor_id) : NULL,
	    DB_ITOA(lim, limit) };
	const char *page[] = { f->user, params[11], params[12], params[13] };
	PGresult *res;

	*err = -1;
	if (plain_page(f)) {
		if ((res = db_exec(db, STMT_HIST_PAGE, page)) == NULL &&
		    strcmp(db_sqlstate(db), DB_CANCELED) == 0)
			*err = HIST_TIMEOUT;
		return res;
	}
	if (f->user != NULL && (*err = user_id(db, f->user, uid,
	    sizeof(uid))) != 1) {
		if (*err == -1)
			return NULL;
		strlcpy(uid, "0", sizeof(uid));
	}
	return bounded_read(db, cfg, STMT_HIST_LIST, params, err);
}

/* What a regular expression requires beside its one run, which
 * literal() makes F's substring: the runs of which each match has one
 * (an array literal), or a LIKE pattern each match is LIKE (relit.h);
 * NULL when it has not. */
struct required {
	const char	*any, *like;
};

/*
 * 1 when STMT_HIST_SCAN reads F: one user's rows, whatever the filters
 * but a session (whose own index holds a few rows) or a regular
 * expression without a substring. Only the heap's command can answer an
 * expression, and a user's rows are spread over as many heap pages as
 * rows: reading them all in time order cost more (pgbench: 115 against
 * 430 a second, 16 clients, a million rows) than the all-users trigram
 * index that pg_trgm can search for its trigrams (sql/005). With a
 * substring, only the rows that have it are read from the heap
 * (literal).
 */
static int
scanned(const struct hist_filter *f, const struct required *req)
{
	return f->user != NULL && f->session_id == NULL &&
	    (f->re == NULL || f->q != NULL || req->any != NULL);
}

/* The longest array literal of RELIT_ANY runs: each run quoted, every
 * byte escaped at worst, a comma, the braces and the NUL. */
#define ANY_LITERAL_MAX	(RELIT_ANY * (2 * (RELIT_MAX - 1) + 3) + 3)

/* The texts of R as an array literal of PostgreSQL's, into BUF (size
 * ANY_LITERAL_MAX, which every R fits). */
static const char *
array_literal(const struct relit *r, char *buf)
{
	size_t n = 0;
	const char *c;
	int i;

	buf[n++] = '{';
	for (i = 0; i < r->n; i++) {
		if (i > 0)
			buf[n++] = ',';
		buf[n++] = '"';
		for (c = r->text[i]; *c != '\0'; c++) {
			if (*c == '"' || *c == '\\')
				buf[n++] = '\\';
			buf[n++] = *c;
		}
		buf[n++] = '"';
	}
	buf[n++] = '}';
	buf[n] = '\0';
	return buf;
}

/*
 * F, and when it has a regular expression but no substring, what every
 * match contains (relit.c): its one run as the substring, in R, and in
 * REQ->like the LIKE pattern of its runs in order when it says more;
 * or in REQ->any (in BUF, size ANY_LITERAL_MAX) the runs of which every
 * match has one: for hist_scan to check on the index's tuples. The rows
 * are those of F still, and a read may rule out without the heap the
 * rows that lack them.
 */
static struct hist_filter
literal(const struct hist_filter *f, struct relit *r, struct required *req,
    char *buf)
{
	struct hist_filter g = *f;

	req->any = req->like = NULL;
	if (f->re == NULL || f->q != NULL || relit_required(f->re, r) == 0)
		return g;
	if (r->n > 1)
		req->any = array_literal(r, buf);
	else {
		g.q = r->text[0];
		req->like = r->like[0] != '\0' ? r->like : NULL;
	}
	return g;
}

/* The scan that reads F: its host's rows or all the user's, the failed
 * ones alone or all, the newest or those in a range of time or after a
 * cursor. */
static enum stmt_id
scan_stmt(const struct hist_filter *f)
{
	static const enum stmt_id ids[2][2][2] = {
		{ { STMT_HIST_SCAN, STMT_HIST_SCAN_NEWEST },
		  { STMT_HIST_SCAN_FAILED, STMT_HIST_SCAN_NEWEST_FAILED } },
		{ { STMT_HIST_SCAN_HOST, STMT_HIST_SCAN_HOST_NEWEST },
		  { STMT_HIST_SCAN_HOST_FAILED,
		    STMT_HIST_SCAN_HOST_NEWEST_FAILED } },
	};

	return ids[f->host_id != NULL][f->exit == HIST_EXIT_NONZERO]
	    [!f->has_since && !f->has_until && !f->has_cursor];
}

/*
 * F's first LIMIT rows among the user's newest BUDGET (STMT_HIST_SCAN;
 * with a host, among that host's: STMT_HIST_SCAN_HOST; with
 * exit_status=nonzero, among the failed ones: ..._FAILED; each with no
 * bound in time: ..._NEWEST) that have what REQ says F's expression
 * requires, *FOUND of them, or NULL with *ERR as bounded_read's. When
 * fewer matched and the user has more rows than were read, *MORE is 1,
 * *REST is F with its cursor where the read ended and *COUNT the user's
 * rows in all, or 0 where the trigram keys cannot answer F's substring.
 */
static PGresult *
scan(struct tg_db *db, const struct tg_cfg *cfg, const struct hist_filter *f,
    const struct required *req, int limit, int budget, int *found, int *more,
    long long *count, struct hist_filter *rest, int *err)
{
	char since[24], until[24], ex[16], cu[24], ci[24], lim[16], rows[16];
	const char *params[] = { f->user, f->host_id,
	    US_PARAM(since, f->has_since, f->since_us),
	    US_PARAM(until, f->has_until, f->until_us),
	    f->exit == HIST_EXIT_IS ? DB_ITOA(ex, f->exit_status) : NULL,
	    f->exit == HIST_EXIT_NONZERO ? "t" : "f", f->source, f->cwd, f->q,
	    US_PARAM(cu, f->has_cursor, f->cursor_us),
	    f->has_cursor ? DB_ITOA(ci, f->cursor_id) : NULL,
	    DB_ITOA(lim, limit), DB_ITOA(rows, budget), f->re, req->any,
	    req->like };
	PGresult *res;
	int n;

	*found = *more = 0;
	if ((res = bounded_read(db, cfg, scan_stmt(f), params, err)) == NULL ||
	    (n = PQntuples(res)) == 0)
		return res;
	/* No match: one row of NULLs but for the edge. */
	*found = PQgetisnull(res, 0, 0) ? 0 : n;
	if (!PQgetisnull(res, 0, SCAN_EDGE)) {
		*more = 1;
		*count = PQgetisnull(res, 0, SCAN_COUNT) ? 0 :
		    strtoll(PQgetvalue(res, 0, SCAN_COUNT), NULL, 10);
		*rest = *f;
		rest->has_cursor = 1;
		rest->cursor_us = strtoll(PQgetvalue(res, 0, SCAN_EDGE), NULL,
		    10);
		rest->cursor_id = strtoll(PQgetvalue(res, 0, SCAN_EDGE + 1),
		    NULL, 10);
	}
	return res;
}

/* FN for the first N rows of RES; 0, or -1 when FN stopped. */
static int
each_row(PGresult *res, int n, hist_row_fn fn, void *arg)
{
	struct hist_row r;
	int i;

	for (i = 0; i < n; i++) {
		read_row(res, i, &r);
		if (fn(arg, &r) == -1)
			return -1;
	}
	return 0;
}

int
hist_bounded(const struct hist_filter *f)
{
	return !plain_page(f);
}

/*
 * How many more rows the next read may take, after reads of READ rows in
 * all found FOUND (at least one) of the LIMIT asked, the first of FIRST:
 * twice what that yield says the rest needs, and FIRST more, up to
 * SCAN_WIDEN times FIRST. A word that common is cheaper to read on in
 * time order, at a tenth of a microsecond an index tuple, than through
 * the trigram keys, which would fetch and sort every match of it:
 * thousands for a user with a long history. The FIRST more are for a
 * yield measured on a few matches, and for a rest of a few rows, whose
 * count in a short read is a matter of chance: "bac" found 47 of 51 in a
 * heavy user's newest 2,000 rows, then 3 in the 341 that twice its yield
 * called for, and went to the keys for one row (20,000 rows fetched,
 * 100-370 ms, where reading on took 2 ms). Where the word is rarer there
 * than its yield said, they cost a fifth of a millisecond.
 */
static int
widened(long long read, int found, int limit, int first)
{
	long long want = 2LL * (limit - found) * read / found + first;

	return want < (long long)first * SCAN_WIDEN ? (int)want :
	    first * SCAN_WIDEN;
}

/* 1 when F is a substring and no other filter but a cursor: what the
 * trigram keys fetch from the heap are then the rows a read in time
 * order counts as matches. */
static int
word_alone(const struct hist_filter *f)
{
	return f->q != NULL && f->re == NULL && f->host_id == NULL &&
	    f->exit == HIST_EXIT_ANY && f->source == NULL && f->cwd == NULL &&
	    !f->has_since && !f->has_until;
}

/*
 * 1 when the rest of a page is cheaper to find through the trigram keys
 * (list) than by the NEXT index tuples a read in time order would take
 * next, once reads of READ tuples found FOUND matches among the user's
 * COUNT rows (0: the keys cannot answer the word, which has no
 * trigram). The keys fetch every match of the word among all those
 * rows, newer ones too: FOUND in READ of COUNT (one, where none was
 * found yet), each for about KEY_TUPLES tuples. A heavy user's rare
 * string (6 in the first 18,000 of a million rows) was read on to
 * 100,000 tuples, 31 ms, and then sent to the keys anyway, which
 * answer its 330 rows in 7. Only for a word alone (word_alone): with
 * other filters, the keys fetch the word's rows while the read counts
 * those that pass them all, which can be far fewer.
 */
static int
keys_cheaper(const struct hist_filter *f, long long read, int found,
    long long count, long long next)
{
	if (count == 0 || !word_alone(f))
		return 0;
	if (next > count - read)
		next = count - read;
	return (found > 0 ? found : 1) * count * KEY_TUPLES < next * read;
}

/*
 * A user's search reads the newest rows first and stops at the page
 * (scan, cfg history_scan_rows of them at most). A word that matched
 * there but too seldom to fill the page is read on in time order, as far
 * as its yield says the rest of the page needs (widened); one that did
 * not match at all, SCAN_UNSEEN times as far (a user's whole history
 * when it is ordinary, some 10,000 rows: no trigram key read at all).
 * Up to SCAN_READS reads in all, each after the second with the yield of
 * all before it and only where that yield fills the page within
 * SCAN_WIDEN first reads: "pus" on a host with exit_status=nonzero, one
 * row in 686 of a heavy user's, found 8 in the first 2,000 and 38 in the
 * next 23,500, and sent the last 5 rows to the keys (47 ms) that 3,500
 * more rows held. One that did not match enough in those reads either,
 * or whose next read would cost more than the keys (keys_cheaper),
 * sends the rest of the page to the trigram keys (list), for the rows
 * older than those read. Every result is in hand before the first row is
 * handed on, so that an error reaches the caller before any row.
 */
int
hist_each(struct tg_db *db, const struct tg_cfg *cfg,
    const struct hist_filter *f, int limit, hist_row_fn fn, void *arg)
{
	char anybuf[ANY_LITERAL_MAX];
	struct required req;
	struct relit lit;
	struct hist_filter at = literal(f, &lit, &req, anybuf);
	PGresult *res[SCAN_READS + 1] = { NULL };
	int n[SCAN_READS + 1] = { 0 }, k = 0, i, more = 0, got = 0, err = -1;
	int first = cfg->history_scan_rows, rows = first;
	long long read = 0, count = 0;

	if (!scanned(&at, &req) || plain_page(f)) {
		if ((res[k] = list(db, cfg, &at, limit, &err)) == NULL)
			return err;
		n[k++] = PQntuples(res[0]);
	} else {
		do {
			if ((res[k] = scan(db, cfg, &at, &req, limit - got,
			    rows, &n[k], &more, &count, &at, &err)) == NULL)
				goto fail;
			got += n[k++];
			read += rows;
			rows = got > 0 ? widened(read, got, limit, first) :
			    first * SCAN_UNSEEN;
		} while (more && !keys_cheaper(&at, read, got, count, rows) &&
		    (k == 1 || (k < SCAN_READS && got > 0 &&
		    rows < first * SCAN_WIDEN)));
		if (more) {
			if ((res[k] = list(db, cfg, &at, limit - got, &err)) ==
			    NULL)
				goto fail;
			n[k] = PQntuples(res[k]);
			k++;
		}
	}
	err = 0;
	for (i = 0; i < k; i++)
		err += n[i];
	for (i = 0; i < k && each_row(res[i], n[i], fn, arg) == 0; i++)
		;
fail:
	for (i = 0; i <= SCAN_READS; i++)
		PQclear(res[i]);
	return err;
}

/* ,"KEY": (the first member: "{" for ","). Appended piece by piece: a
 * page's 700 members through sprintbuf were a tenth of its worker's
 * time. */
static int
put_key(struct printbuf *pb, const char *key, int first)
{
	return printbuf_memappend(pb, first ? "{\"" : ",\"", 2) < 0 ||
	    printbuf_memappend(pb, key, (int)strlen(key)) < 0 ||
	    printbuf_memappend(pb, "\":", 2) < 0 ? -1 : 0;
}

/* ,"KEY": and V as jsonx_put_str writes it. */
static int
put_member(struct printbuf *pb, const char *key, const char *v)
{
	return put_key(pb, key, 0) < 0 ? -1 : jsonx_put_str(pb, v);
}

/* ,"KEY": and V, or null unless HAS. */
static int
put_number(struct printbuf *pb, const char *key, int has, long long v,
    int first)
{
	char n[24];

	if (put_key(pb, key, first) < 0)
		return -1;
	if (!has)
		return printbuf_memappend(pb, "null", 4);
	snprintf(n, sizeof(n), "%lld", v);
	return printbuf_memappend(pb, n, (int)strlen(n));
}

int
hist_row_text(const struct hist_row *r, struct printbuf *pb)
{
	if (put_number(pb, "id", 1, r->id, 1) < 0 ||
	    put_member(pb, "session_id", r->session_id) < 0 ||
	    put_member(pb, "host_id", r->host_id) < 0 ||
	    put_member(pb, "host_name", r->host_name) < 0 ||
	    put_member(pb, "username", r->username) < 0 ||
	    put_member(pb, "command", r->command) < 0 ||
	    put_number(pb, "exit_status", r->has_exit, r->exit_status, 0) < 0 ||
	    put_member(pb, "cwd", r->cwd) < 0 ||
	    put_member(pb, "started_at", r->started_at) < 0 ||
	    put_member(pb, "finished_at", r->finished_at) < 0 ||
	    put_number(pb, "duration_ms", r->has_duration, r->duration_ms,
	    0) < 0 ||
	    put_member(pb, "source", r->source) < 0 ||
	    put_key(pb, "recording_offset", 0) < 0 ||
	    (r->has_offset ? jsonx_put_double(pb, r->recording_offset) :
	    printbuf_memappend(pb, "null", 4)) < 0 ||
	    put_member(pb, "typed_by", r->typed_by) < 0)
		return -1;
	return printbuf_memappend(pb, "}", 1) < 0 ? -1 : 0;
}

json_object *
hist_row_json(const struct hist_row *r)
{
	struct printbuf *pb;
	json_object *o = NULL;

	if ((pb = printbuf_new()) == NULL)
		return NULL;
	if (hist_row_text(r, pb) == 0)
		o = json_tokener_parse(pb->buf);
	printbuf_free(pb);
	return o;
}

int
hist_frequent(struct tg_db *db, const struct tg_cfg *cfg, const char *user,
    const char *host_id, int limit, json_object **out)
{
	char lim[16];
	const char *params[] = { user, host_id, DB_ITOA(lim, limit) };
	json_object *o;
	PGresult *res;
	int i, err;

	if ((res = bounded_read(db, cfg, STMT_HIST_FREQUENT, params, &err)) ==
	    NULL)
		return err;
	*out = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		o = json_object_new_object();
		jsonx_add_str(o, "command", PQgetvalue(res, i, 0));
		json_object_object_add(o, "count", json_object_new_int64(
		    strtoll(PQgetvalue(res, i, 1), NULL, 10)));
		jsonx_add_str(o, "last_used", PQgetvalue(res, i, 2));
		json_object_array_add(*out, o);
	}
	PQclear(res);
	return 0;
}

long long
hist_delete(struct tg_db *db, const char *user, long long id,
    int64_t before_us)
{
	char i[24], b[24];
	const char *params[] = { user, id != 0 ? DB_ITOA(i, id) : NULL,
	    id == 0 ? DB_ITOA(b, before_us) : NULL };
	PGresult *res;
	long long n = -1;

	if ((res = db_exec(db, STMT_HIST_DELETE, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1)
		n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return n;
}

int
hist_cursor_encode(int64_t us, long long id, char *out, size_t outlen)
{
	char raw[48];
	int n;

	n = snprintf(raw, sizeof(raw), "%" PRId64 ",%lld", us, id);
	if (n < 0 || (size_t)n >= sizeof(raw))
		return -1;
	return tok_base64url(raw, (size_t)n, out, outlen);
}

int
hist_cursor_decode(const char *s, int64_t *us, long long *id)
{
	char raw[48], *comma;
	const char *e1 = NULL, *e2 = NULL;
	size_t n;

	if (strlen(s) > HIST_CURSOR_MAX ||
	    tok_unbase64url(s, raw, sizeof(raw) - 1, &n) == -1)
		return -1;
	raw[n] = '\0';
	if (strlen(raw) != n || (comma = strchr(raw, ',')) == NULL)
		return -1;
	*comma = '\0';
	/* Only the digits hist_cursor_encode writes: no '+', spaces. */
	if (strspn(raw, "-0123456789") != strlen(raw) ||
	    strspn(comma + 1, "0123456789") != strlen(comma + 1))
		return -1;
	*us = strtonum(raw, US_FIRST, US_LAST, &e1);
	*id = strtonum(comma + 1, 1, INT64_MAX, &e2);
	return e1 == NULL && e2 == NULL ? 0 : -1;
}
