/*
 * stmt.c - every SQL statement termgate runs, in one table.
 *
 * Each connection prepares all of them once (db.c) and runs them by id
 * with parameters; SQL is never assembled from strings. The session
 * lifecycle itself (locks, reuse, limit, events, notifications) lives in
 * sql/defs/ (open_session.sql and its steps, end_session.sql, ...), so
 * these are mostly thin calls into it. Each
 * statement belongs to one repository module (the section it is in), the
 * only file that runs it and reads its result.
 *
 * Lock order, everywhere: the user row, then a node's placement lock
 * (sql/012_nodes.sql), then a port, then sessions.
 *
 * Every statement is safe to run twice, which db_exec does when the
 * connection broke under it: each is a read, or idempotent (ending an
 * ended session, a heartbeat, collection, deleting history), or keyed by
 * an id minted before it ran (an open inserts a session id that can exist
 * only once). The exceptions say so (ONCE): recording a posted
 * command, which a second run would record twice; and taking a hop
 * credential's nonce, which a second run would find taken. Each fails
 * instead: the client may post again, nginx may ask again.
 */
#include "stmt.h"

#define LIVE "status IN ('starting', 'active')"
#define ONCE 1		/* never run again on a new connection */
#define GENERIC 1	/* db_read keeps its one plan (stmt.h) */
/* The timestamptz $N microseconds after the Unix epoch (NULL stays NULL):
 * times cross as integers, exactly, so that what C checked and what SQL
 * compares are the same instant. */
#define US(n) \
	"(timestamptz 'epoch' + $" #n "::bigint * interval '1 microsecond')"
/* The LIKE pattern of texts containing $N (LIKE_OF: expression X)
 * literally (\, % and _ escaped). */
#define LIKE_ANY(n)	LIKE_OF("$" #n)
#define LIKE_OF(x) \
	"('%' || replace(replace(replace(" x ", '\\', '\\\\'), '%'," \
	" '\\%'), '_', '\\_') || '%')"
/* True when substring $N (NULL: none) has no trigram, so that the
 * trigram keys cannot be used for it. */
#define NO_TRIGRAM(n) \
	"($" #n "::text IS NULL OR termgate.substring_trigrams($" #n ") = '{}')"
/* HIST_LIST's condition COND, which where $1's trigram keys are used
 * ($1 and a substring $10 with a trigram) is a filter only: "IS TRUE"
 * keeps it from any index the planner could combine with the keys, the
 * user's id from the user_id entries of 005's index (every row of the
 * user), the cursor and the times from command_history_time (a heavy
 * user's "257": 44 rows of the keys, 52 ms to read the user's million
 * entries, 0.6 without; an ordinary user's next page of "sin", 62 rows,
 * 83 ms to read the 320,000 older than its cursor, 0.4 without). */
#define KEYED(cond) \
	"CASE WHEN $1::bigint IS NULL OR " NO_TRIGRAM(10) " THEN " cond \
	" ELSE (" cond ") IS TRUE END"
/* True, once regular expression $N (NULL: none) was compiled: one
 * that PostgreSQL refuses fails the statement (2201B) before any row
 * is read, rather than at the first row it is matched with, or never
 * when no row reaches it (hist.c: HIST_BAD_REGEX). */
#define REGEX_COMPILED(n) \
	"($" #n "::text IS NULL OR ('' ~ $" #n ") IS NOT NULL)"
/* $1's id, with the scans' expression $14 compiled. */
#define SCAN_USER \
	"(SELECT v.id FROM termgate.users v WHERE v.username = $1" \
	" AND " REGEX_COMPILED(14)
/* $1's rows (alias A) at or after $S, before $U and before the keyset
 * ($CU, $CI), as conditions on user_time's key (NULL: no bound). */
#define SCAN_RANGE(a, s, u, cu, ci) \
	a ".user_id = " SCAN_USER ") AND (" a ".started_at, " a ".id)" \
	" < (coalesce(" US(cu) ", 'infinity')," \
	" coalesce($" #ci "::bigint, 9223372036854775807))" \
	" AND " a ".started_at < coalesce(" US(u) ", 'infinity')" \
	" AND " a ".started_at >= coalesce(" US(s) ", '-infinity')"
/* The end of HIST_SCAN, after its matches (CTE m), HOST "" or
 * SCAN_HOST: when fewer than $12 matched, the keyset of the $13th row
 * read (CTE e, computed once: the projection after the OFFSET), joined
 * to them, and the user's rows in all (sql/034, CTE n) where the trigram
 * keys can answer for the rest ($9 has a trigram); neither is looked for
 * when the user has no more than $13 rows, which the read had then
 * reached the end of. */
#define SCAN_END(range, host) \
	"n AS MATERIALIZED (SELECT r.row_count, CASE WHEN r.row_count <= $13" \
	"  OR " NO_TRIGRAM(9) " THEN NULL ELSE r.row_count END AS keyed" \
	" FROM termgate.history_row_counts r" \
	" JOIN termgate.users v ON v.id = r.user_id WHERE v.username = $1" \
	" AND (SELECT count(*) FROM m) < $12)," \
	" e AS MATERIALIZED (SELECT" \
	" (extract(epoch FROM z.started_at) * 1000000)::bigint AS us, z.id" \
	" FROM (SELECT y.started_at, y.id FROM termgate.command_history y" \
	" WHERE (SELECT n.row_count FROM n) > $13 AND " range host \
	" ORDER BY y.started_at DESC, y.id DESC" \
	" OFFSET $13 - 1 LIMIT 1) z)" \
	" SELECT m.*, e.us, e.id, (SELECT n.keyed FROM n)" \
	" FROM (VALUES (1)) one LEFT JOIN m ON true LEFT JOIN e ON true" \
	" ORDER BY m.started_us DESC, m.id DESC"
/* HIST_SCAN (below): RANGE SCAN_AT or SCAN_NEWEST, HOST "" or SCAN_HOST. */
#define SCAN_SQL(range, host) \
	"WITH m AS (SELECT " HIST_COLS_OF("$1::text") " FROM (SELECT x.id," \
	"  x.started_at, x.command_fold FROM (SELECT y.id, y.started_at," \
	"  y.command_fold, y.host_id, y.exit_status, y.source" \
	"  FROM termgate.command_history y WHERE " range host \
	" ORDER BY y.started_at DESC, y.id DESC LIMIT $13) x" \
	" WHERE ($2::text IS NULL OR x.host_id = $2)" \
	" AND ($5::integer IS NULL OR x.exit_status = $5)" \
	" AND (NOT $6::boolean OR x.exit_status <> 0)" \
	" AND ($7::text IS NULL OR x.source = $7)" \
	" AND ($9::text IS NULL OR x.command_fold IS NULL" \
	"  OR x.command_fold LIKE (SELECT lower(" LIKE_ANY(9) ")))" \
	" AND ($15::text[] IS NULL OR x.command_fold IS NULL" \
	"  OR x.command_fold LIKE ANY (ARRAY(SELECT lower(" LIKE_OF("a") ")" \
	"  FROM unnest($15::text[]) a)))" \
	" AND ($16::text IS NULL OR x.command_fold IS NULL" \
	"  OR x.command_fold LIKE (SELECT lower($16::text)))) s" \
	" JOIN termgate.command_history c ON c.id = s.id" \
	" LEFT JOIN termgate.hosts h ON h.id = c.host_id" \
	" WHERE ($8::text IS NULL OR starts_with(c.cwd, $8))" \
	" AND ($9::text IS NULL OR s.command_fold IS NOT NULL" \
	"  OR c.command ILIKE " LIKE_ANY(9) ")" \
	" AND ($14::text IS NULL OR c.command ~ $14)" \
	" ORDER BY s.started_at DESC, s.id DESC LIMIT $12), " \
	SCAN_END(range, host)
/* A scan of host $2's rows only: user_host_time's key. */
#define SCAN_HOST " AND y.host_id = $2"
/* A scan of the failed rows only: the partial indexes of 035. */
#define SCAN_FAILED " AND y.exit_status <> 0"
/* The rows in a range of time or after a cursor, or the newest: no
 * bound but the user, so that the index's tuples are compared with one
 * key, not four (5% of a word search's statement). The newest have no
 * user when given a bound, which they do not apply. */
#define SCAN_AT	SCAN_RANGE("y", 3, 4, 10, 11)
#define SCAN_NEWEST \
	"y.user_id = " SCAN_USER " AND $3::bigint IS NULL" \
	" AND $4::bigint IS NULL AND $10::bigint IS NULL" \
	" AND $11::bigint IS NULL)"
/* A history row as hist.c reads it (see hist_each): times as
 * microseconds, which hist.c writes as RFC 3339 (to_char for every row
 * cost a page a quarter of its time in PostgreSQL). HIST_COLS_OF: with
 * USER for the username, where one user's rows are read ($1), rather
 * than a lookup of users (u) per row. */
#define HIST_COLS	HIST_COLS_OF("u.username")
#define HIST_COLS_OF(user) \
	"c.id, c.session_id, c.host_id, coalesce(h.name, c.host_id)," \
	" " user ", c.command, c.exit_status, c.cwd," \
	" (extract(epoch FROM c.started_at) * 1000000)::bigint AS started_us," \
	" (extract(epoch FROM c.finished_at) * 1000000)::bigint," \
	" c.source, c.recording_offset, c.typed_by"

static const struct stmt stmts[STMT_COUNT] = {
	/* -- sessions (sess.c) -- */
	/* $15: an admin by the configuration (admin_users); $16
	 * node_lost_after (placement, sql/012_nodes.sql) */
	[STMT_OPEN] = { "open",
	    "SELECT outcome, session::text, info::text"
	    " FROM termgate.open_session($1, $2, $3, $4, $5, $6, $7, $8, $9,"
	    " $10, $11, $12, $13, $14, $15, $16)", 16 },
	/* $1 id, $2 reason, $3 owner or NULL for anyone */
	[STMT_END] = { "end",
	    "SELECT termgate.end_session($1, $2, $3)::text", 3 },
	/* $1 id, $2 the admin, $3 why or NULL (admin_end_session.sql) */
	[STMT_ADMIN_END] = { "admin_end",
	    "SELECT termgate.admin_end_session($1, $2, $3)::text", 3 },
	[STMT_GET] = { "get",
	    "SELECT (termgate.session_json(s) || jsonb_build_object("
	    " 'viewers', termgate.session_viewers(s.id)))::text"
	    " FROM termgate.sessions s"
	    " WHERE s.id = $1 AND ($2::text IS NULL OR s.username = $2)", 2 },
	/*
	 * One round trip: update a live session, or show the ended one.
	 * Its commit does not wait for the WAL flush: a heartbeat lost in
	 * a crash is rewritten by the next one. The
	 * setting is made in the filter of the row it updates, so it holds
	 * whenever there is something to commit, and only until the end of
	 * this statement's transaction (set_config's is_local).
	 */
	[STMT_HEARTBEAT] = { "heartbeat",
	    "WITH u AS (UPDATE termgate.sessions"
	    " SET last_seen_at = now(), client_lost_at = NULL"
	    " WHERE id = $1 AND username = $2 AND " LIVE
	    " AND set_config('synchronous_commit', 'off', true) = 'off'"
	    " RETURNING *)"
	    " SELECT status, termgate.rfc3339(last_seen_at), greatest(0,"
	    " ceil(extract(epoch FROM expires_at - now())))::integer,"
	    " reason_closed FROM u"
	    " UNION ALL SELECT status, termgate.rfc3339(last_seen_at), 0,"
	    " reason_closed FROM termgate.sessions"
	    " WHERE id = $1 AND username = $2"
	    " AND NOT EXISTS (SELECT 1 FROM u)", 2 },
	[STMT_LIST_USER] = { "list_user",
	    "SELECT (termgate.session_json(s) || jsonb_build_object("
	    " 'viewers', termgate.session_viewers(s.id)))::text"
	    " FROM termgate.sessions s"
	    " WHERE s.username = $1 AND s." LIVE
	    " ORDER BY s.created_at, s.id", 1 },
	/* Then the session's node, that node's address ("" if none) and
	 * the database's clock, in Unix seconds (a hop credential's
	 * expiry, which the target node checks against the same clock). */
	[STMT_AUTH_LOOKUP] = { "auth_lookup",
	    "SELECT s.token_hash, s.status, s.endpoint, s.username,"
	    " s.backend_auth, s.node, coalesce(n.address, ''),"
	    " floor(extract(epoch FROM now()))::bigint, coalesce(s.backend, '')"
	    " FROM termgate.sessions s"
	    " LEFT JOIN termgate.supervisors n ON n.node = s.node"
	    " WHERE s.id = $1", 1 },
	[STMT_BEACON] = { "beacon",
	    "SELECT termgate.beacon($1, $2)", 2 },
	/* Every terminal that became ready in a turn of the supervisor's
	 * loop ($1 a text[] of ids, $2 an integer[] of their backends' pids
	 * in the same order): one commit, one WAL flush, for all of them. */
	[STMT_MARK_ACTIVE] = { "mark_active",
	    "UPDATE termgate.sessions s SET status = 'active',"
	    " ttyd_pid = r.pid, last_seen_at = now()"
	    " FROM unnest($1::text[], $2::integer[]) AS r(id, pid)"
	    " WHERE s.id = r.id AND s.status = 'starting' RETURNING s.id", 2 },
	/*
	 * The pid of a terminal still starting, so that a supervisor that
	 * dies before it is ready leaves something to find. Its commit does
	 * not wait for the WAL flush (as the heartbeat's): the supervisor
	 * does not wait on the disk while the holder starts, the server
	 * has it whether or not the supervisor lives on, and the terminal's
	 * mark_active, which waits, flushes it too.
	 */
	[STMT_SESS_SET_PID] = { "sess_set_pid",
	    "UPDATE termgate.sessions SET ttyd_pid = $2, holder_pid = $3,"
	    " backend = $4"
	    " WHERE id = $1 AND status = 'starting'"
	    " AND set_config('synchronous_commit', 'off', true) = 'off'", 4 },
	/* A new gateway serves these active sessions ($1 a text[] of their
	 * ids): their backend's pid is its pid ($2). */
	[STMT_SESS_SET_GATEWAY] = { "sess_set_gateway",
	    "UPDATE termgate.sessions SET ttyd_pid = $2"
	    " WHERE id = ANY($1::text[]) AND status = 'active'", 2 },
	/* The pool account a starting terminal runs as ($2 uid, $3 name). */
	[STMT_SESS_SET_RUN] = { "sess_set_run",
	    "UPDATE termgate.sessions SET run_uid = $2, run_as = $3"
	    " WHERE id = $1 AND status = 'starting'", 3 },
	/* Why the supervisor could not start it ($2), before it ends it. */
	[STMT_SESS_SPAWN_ERROR] = { "sess_spawn_error",
	    "UPDATE termgate.sessions SET spawn_error = $2"
	    " WHERE id = $1 AND status = 'starting'", 2 },
	[STMT_SPAWN_ERROR] = { "spawn_error",
	    "SELECT spawn_error FROM termgate.sessions WHERE id = $1", 1 },
	[STMT_RELEASE_PORT] = { "release_port",
	    "UPDATE termgate.ports SET session_id = NULL"
	    " WHERE session_id = $1 RETURNING port", 1 },
	/* $1 session id, $2 event kind, $3 detail json */
	[STMT_RECORD] = { "record",
	    "SELECT termgate.record(s, $2, $3::jsonb)"
	    " FROM termgate.sessions s WHERE s.id = $1", 3 },
	/*
	 * Set-based collection: one statement per kind, each ending at most
	 * $2 sessions (sess.c repeats it until fewer are due), skipping rows
	 * another transaction holds (a heartbeat: the next run sees them):
	 * a batch holds its row locks, and the counter row its events bump,
	 * only for itself. Triggers record and notify.
	 */
#define COLLECT(cond) \
	" WHERE id IN (SELECT id FROM termgate.sessions WHERE node = $1" \
	" AND " cond " LIMIT $2 FOR UPDATE SKIP LOCKED)" \
	" RETURNING 1) SELECT count(*) FROM u"
	[STMT_GC_TTL] = { "gc_ttl",
	    "WITH u AS (UPDATE termgate.sessions SET status = 'expired',"
	    " reason_closed = 'ttl', closed_at = now()"
	    COLLECT(LIVE " AND expires_at <= now()"), 2 },
	/* $3 idle_timeout */
	[STMT_GC_IDLE] = { "gc_idle",
	    "WITH u AS (UPDATE termgate.sessions SET status = 'expired',"
	    " reason_closed = 'idle', closed_at = now()"
	    COLLECT("status = 'active'"
	    " AND last_seen_at <= now() - make_interval(secs => $3)"), 3 },
	/* $3 beacon_grace */
	[STMT_GC_CLIENT_LOST] = { "gc_client_lost",
	    "WITH u AS (UPDATE termgate.sessions SET status = 'closed',"
	    " reason_closed = 'client_lost', closed_at = now()"
	    COLLECT(LIVE
	    " AND client_lost_at <= now() - make_interval(secs => $3)"), 3 },
#undef COLLECT
	/* $1 history days, $2 session days, $3 history rows at most */
	[STMT_PURGE] = { "purge",
	    "SELECT history_rows, session_rows"
	    " FROM termgate.purge($1, $2, $3)", 3 },
	/* $1 status, $2 username, $3 host id (each NULL = any), $4 limit */
	[STMT_ADMIN_LIST] = { "admin_list",
	    "SELECT (termgate.session_json(s) || jsonb_build_object("
	    " 'clients', (SELECT coalesce(sum(c.clients), 0)"
	    " FROM termgate.session_clients c"
	    " WHERE c.session_id = s.id AND termgate.is_live(s.status))))"
	    "::text FROM termgate.sessions s"
	    " WHERE ($1::text IS NULL OR s.status = $1)"
	    " AND ($2::text IS NULL OR s.username = $2)"
	    " AND ($3::text IS NULL OR s.host_id = $3)"
	    " ORDER BY s.created_at DESC, s.id LIMIT $4", 4 },
	[STMT_METRICS] = { "metrics",
	    "SELECT jsonb_build_object("
	    " 'sessions_created', c.created, 'sessions_reused', c.reused,"
	    " 'session_limit_hits', c.limit_hit,"
	    " 'active_processes', (SELECT count(*) FROM termgate.sessions"
	    "  WHERE status = 'active'),"
	    " 'gc_running', (SELECT coalesce(bool_or(gc_running), false)"
	    "  FROM termgate.supervisors),"
	    " 'gc_runs', (SELECT coalesce(sum(gc_runs), 0)"
	    "  FROM termgate.supervisors),"
	    " 'sessions_expired_ttl', c.expired_ttl,"
	    " 'sessions_expired_idle', c.expired_idle,"
	    " 'sessions_client_lost', c.client_lost,"
	    " 'spawn_failures', c.spawn_failed,"
	    " 'sessions_closed', c.closed,"
	    " 'processes_exited', c.process_exited)::text"
	    " FROM (SELECT"
	    "  sum(value) FILTER (WHERE name = 'created') AS created,"
	    "  sum(value) FILTER (WHERE name = 'reused') AS reused,"
	    "  sum(value) FILTER (WHERE name = 'limit_hit') AS limit_hit,"
	    "  sum(value) FILTER (WHERE name = 'expired_ttl') AS expired_ttl,"
	    "  sum(value) FILTER (WHERE name = 'expired_idle')"
	    "   AS expired_idle,"
	    "  sum(value) FILTER (WHERE name = 'client_lost') AS client_lost,"
	    "  sum(value) FILTER (WHERE name = 'spawn_failed')"
	    "   AS spawn_failed,"
	    "  sum(value) FILTER (WHERE name = 'closed') AS closed,"
	    "  sum(value) FILTER (WHERE name = 'process_exited')"
	    "   AS process_exited"
	    "  FROM termgate.counters) c", 0 },
	/*
	 * The supervisor's reads (sess_each_*, sess_lookup) share their first
	 * columns: id, status, backend pid, endpoint, port, holder pid; then
	 * the host's fields, the node, the user and the pool account's uid.
	 */
	[STMT_SESS_STARTING] = { "sess_starting",
	    "SELECT s.id, s.status, s.ttyd_pid, s.endpoint, s.ttyd_port,"
	    " s.holder_pid, s.backend_auth, h.address, h.ssh_user, h.ssh_port,"
	    " s.host_id, h.name, NULL, s.username, s.run_uid"
	    " FROM termgate.sessions s"
	    " LEFT JOIN termgate.hosts h ON h.id = s.host_id"
	    " WHERE s.node = $1 AND s.status = 'starting'"
	    " AND s.ttyd_pid IS NULL ORDER BY s.created_at", 1 },
	[STMT_SESS_LIVE] = { "sess_live",
	    "SELECT id, status, ttyd_pid, endpoint, ttyd_port, holder_pid,"
	    " NULL, NULL, NULL, NULL, NULL, NULL, NULL, username, run_uid"
	    " FROM termgate.sessions WHERE node = $1 AND " LIVE, 1 },
	[STMT_SESS_LOOKUP] = { "sess_lookup",
	    "SELECT id, status, ttyd_pid, endpoint, ttyd_port, holder_pid,"
	    " NULL, NULL, NULL, NULL, NULL, NULL, node, username, run_uid"
	    " FROM termgate.sessions WHERE id = $1", 1 },
	/* Ports of this node held by sessions that are no longer live. */
	[STMT_SESS_HELD_PORTS] = { "sess_held_ports",
	    "SELECT p.session_id, s.status, s.ttyd_pid, s.endpoint, p.port,"
	    " s.holder_pid"
	    " FROM termgate.ports p"
	    " LEFT JOIN termgate.sessions s ON s.id = p.session_id"
	    " WHERE p.node = $1 AND p.session_id IS NOT NULL"
	    " AND (s.id IS NULL OR NOT termgate.is_live(s.status))", 1 },
	/* -- termgate-pty's command files (spool.c) -- */
	/*
	 * $1 session id, $2 the offset read from, $3 the new offset, $4 a
	 * JSON array of checked records, $5 the node. Moves the offset only
	 * from $2 and only for a session of node $5 (a command file of any
	 * other is not this supervisor's to read), and inserts only when it
	 * moved: exactly once. Times are the shell's word, so they are kept
	 * within the session's life. Who entered a command ("by", a grant)
	 * is named only by a grant of this session's own shares, or by the
	 * share slot one holds (an unknown one is the owner's:
	 * sql/028_typed_by.sql, 029_share_slots.sql). Answers (moved, rows).
	 */
	[STMT_SPOOL_INGEST] = { "spool_ingest",
	    "WITH s AS (UPDATE termgate.sessions SET history_offset = $3"
	    " WHERE id = $1 AND history_offset = $2 AND node = $5"
	    " RETURNING id, host_id, user_id, created_at,"
	    " coalesce(closed_at, now()) AS ended_at, sessions),"
	    /* event lines (cmdrec_event_decode): session events */
	    " v AS (SELECT termgate.record(s.sessions, e->>'event',"
	    " e - 'event') FROM s, jsonb_array_elements($4::jsonb) e"
	    " WHERE e ? 'event'),"
	    " e AS (SELECT e->>'command' AS command,"
	    " (e->>'exit_status')::integer AS exit_status, e->>'cwd' AS cwd,"
	    " coalesce((e->>'started_at')::timestamptz,"
	    " (e->>'finished_at')::timestamptz, now()) AS started_at,"
	    " (e->>'finished_at')::timestamptz AS finished_at,"
	    " e->>'source' AS source,"
	    " (e->>'recording_offset')::double precision AS recording_offset,"
	    " e->>'by' AS by"
	    " FROM jsonb_array_elements($4::jsonb) e WHERE NOT e ? 'event'),"
	    " i AS (INSERT INTO termgate.command_history (session_id,"
	    " host_id, user_id, command, exit_status, cwd, started_at,"
	    " finished_at, source, recording_offset, typed_by)"
	    " SELECT s.id, s.host_id, s.user_id, e.command, e.exit_status,"
	    " e.cwd, least(greatest(e.started_at, s.created_at), s.ended_at),"
	    " CASE WHEN e.finished_at IS NOT NULL THEN"
	    " least(greatest(e.finished_at, s.created_at), s.ended_at) END,"
	    " e.source, e.recording_offset,"
	    " (SELECT g.username FROM termgate.share_grants g"
	    " JOIN termgate.shares sh ON sh.id = g.share_id"
	    " WHERE g.id = termgate.slot_owner(s.id, e.by)"
	    " AND sh.session_id = s.id)"
	    " FROM s, e RETURNING 1)"
	    " SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM i),"
	    " (SELECT count(*) FROM v)", 5 },
	/*
	 * A batch PostgreSQL refused ($4, its error), set aside: the offset
	 * moves past it ($2 -> $3, node $5, as above) and the session's
	 * events say so, or the same batch would be refused forever and
	 * every later command of the session with it.
	 */
	[STMT_SPOOL_REFUSED] = { "spool_refused",
	    "WITH s AS (UPDATE termgate.sessions SET history_offset = $3"
	    " WHERE id = $1 AND history_offset = $2 AND node = $5"
	    " RETURNING sessions)"
	    " SELECT termgate.record(s.sessions, 'capture_refused',"
	    " jsonb_build_object('from', $2::bigint, 'to', $3::bigint,"
	    " 'error', $4::text)) FROM s", 5 },
	[STMT_SPOOL_OFFSET] = { "spool_offset",
	    "SELECT history_offset FROM termgate.sessions WHERE id = $1", 1 },
	/* -- nodes and their supervisors (node.c) -- */
	[STMT_NODE_LOCK] = { "node_lock",
	    "SELECT pg_try_advisory_lock(" LOCK_CLASS ", hashtext($1))", 1 },
	/* $1 node: who holds its lock (role, backend pid, application,
	 * whether it is our role). */
	[STMT_NODE_LOCK_HOLDER] = { "node_lock_holder",
	    "SELECT a.usename, l.pid, a.application_name,"
	    " a.usename = current_user FROM pg_locks l"
	    " LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
	    " WHERE l.locktype = 'advisory' AND l.granted"
	    " AND l.classid = " LOCK_CLASS "::oid AND l.objsubid = 2"
	    " AND l.objid = (hashtext($1)::bigint & 4294967295)::oid", 1 },
	/*
	 * $1 node, $2 pid, $3 terminals, $4 address (NULL: none), $5
	 * capacity (NULL: no limit), $6 terminal_listen, $7 socket_dir. The
	 * state (drained or not) is the operator's and stays.
	 */
	[STMT_NODE_ALIVE] = { "node_alive",
	    "INSERT INTO termgate.supervisors (node, pid, started_at,"
	    " heartbeat_at, terminals, address, capacity, listen, socket_dir,"
	    " backend_pid)"
	    " VALUES ($1, $2, now(), now(), $3, $4, $5, $6, $7,"
	    " pg_backend_pid())"
	    " ON CONFLICT (node) DO UPDATE SET pid = EXCLUDED.pid,"
	    " backend_pid = EXCLUDED.backend_pid,"
	    " heartbeat_at = now(), terminals = EXCLUDED.terminals,"
	    " address = EXCLUDED.address, capacity = EXCLUDED.capacity,"
	    " listen = EXCLUDED.listen, socket_dir = EXCLUDED.socket_dir,"
	    " started_at = CASE WHEN supervisors.pid = EXCLUDED.pid"
	    " THEN supervisors.started_at ELSE now() END", 7 },
	/* $1 node, $2 "v1 DIR", "v2 DIR", "none" or NULL (no pool) */
	[STMT_NODE_CGROUP] = { "node_cgroup",
	    "UPDATE termgate.supervisors SET cgroup = $2 WHERE node = $1", 2 },
	[STMT_NODE_CGROUP_GET] = { "node_cgroup_get",
	    "SELECT cgroup FROM termgate.supervisors WHERE node = $1", 1 },
	[STMT_NODE_GC_BEGIN] = { "node_gc_begin",
	    "UPDATE termgate.supervisors SET gc_running = true"
	    " WHERE node = $1", 1 },
	/* $1 node, $2 ttl, $3 idle, $4 client_lost, $5 purged */
	[STMT_NODE_GC_END] = { "node_gc_end",
	    "UPDATE termgate.supervisors SET gc_running = false,"
	    " gc_runs = gc_runs + 1, last_gc_at = now(), heartbeat_at = now(),"
	    " last_gc_ttl = $2, last_gc_idle = $3, last_gc_client_lost = $4,"
	    " last_gc_purged = $5 WHERE node = $1", 5 },
	/*
	 * $1 node, $2 seconds: whether the node's supervisor holds its
	 * advisory lock (see node_lock) on the connection its row names
	 * (anyone may take an advisory lock), and has shown itself lately.
	 */
	[STMT_NODE_HEALTH] = { "node_health",
	    "SELECT EXISTS (SELECT 1 FROM pg_locks l"
	    " WHERE l.locktype = 'advisory' AND l.granted"
	    " AND l.classid = " LOCK_CLASS "::oid AND l.objsubid = 2"
	    " AND l.objid = (hashtext($1)::bigint & 4294967295)::oid"
	    " AND l.pid = s.backend_pid)"
	    " AND coalesce(s.heartbeat_at > now() - make_interval(secs => $2),"
	    " false), termgate.rfc3339(s.last_gc_at),"
	    " coalesce(s.gc_running, false)"
	    " FROM (SELECT 1) x LEFT JOIN termgate.supervisors s"
	    " ON s.node = $1", 2 },
	/* $1 this node: it, and every node a supervisor ever ran on */
	[STMT_NODE_NAMES] = { "node_names",
	    "SELECT $1::text UNION SELECT node FROM termgate.supervisors"
	    " ORDER BY 1", 1 },
	/* $1 node, $2 first port, $3 last port */
	[STMT_NODE_FILL_PORTS] = { "node_fill_ports",
	    "WITH d AS (DELETE FROM termgate.ports WHERE node = $1"
	    " AND session_id IS NULL AND port NOT BETWEEN $2 AND $3)"
	    " INSERT INTO termgate.ports (node, port)"
	    " SELECT $1, g FROM generate_series($2::integer, $3::integer) g"
	    " ON CONFLICT DO NOTHING", 3 },
	/* $1 node, $2 port another program listens on: skip it a while. */
	[STMT_NODE_PORT_BUSY] = { "node_port_busy",
	    "UPDATE termgate.ports SET busy_until = now() + interval '1 minute'"
	    " WHERE node = $1 AND port = $2", 2 },
	/*
	 * $1 this node, $2 node_lost_after: ends the live sessions of every
	 * other node silent for longer (sql/012_nodes.sql); per node, how
	 * many. Run again it finds nothing left to end.
	 */
	[STMT_NODE_LOST] = { "node_lost",
	    "WITH lost AS (SELECT node FROM termgate.supervisors"
	    " WHERE node <> $1"
	    " AND heartbeat_at <= now() - make_interval(secs => $2)),"
	    " u AS (UPDATE termgate.sessions s SET status = 'closed',"
	    " reason_closed = 'node_lost', closed_at = now() FROM lost"
	    " WHERE s.node = lost.node AND s." LIVE " RETURNING s.node)"
	    " SELECT node, count(*) FROM u GROUP BY node ORDER BY node", 2 },
	/* $1 node_lost_after: every node, its figures and whether live. */
	[STMT_NODE_LIST] = { "node_list",
	    "SELECT n.node, coalesce(n.address, ''),"
	    " coalesce(n.capacity::text, ''), n.state,"
	    " (SELECT count(*) FROM termgate.sessions s"
	    "  WHERE s.node = n.node AND s." LIVE "),"
	    " coalesce(n.heartbeat_at > now() - make_interval(secs => $1),"
	    " false),"
	    " coalesce(floor(extract(epoch FROM now() - n.heartbeat_at))"
	    "  ::bigint::text, ''), coalesce(n.pid::text, '')"
	    " FROM termgate.supervisors n ORDER BY n.node", 1 },
	/* $1 node, $2 'active' or 'drained': a row when the node exists. */
	[STMT_NODE_STATE] = { "node_state",
	    "UPDATE termgate.supervisors SET state = $2 WHERE node = $1"
	    " RETURNING 1", 2 },
	/* $1 node, $2 node_lost_after, $3 force */
	[STMT_NODE_REMOVE] = { "node_remove",
	    "SELECT termgate.remove_node($1, $2, $3)", 3 },
	/* $1 nonce, $2 expiry (Unix seconds), $3 node_auth_ttl: 'fresh',
	 * 'replayed', 'expired' or 'too_far' (sql/defs/hop_nonce.sql). */
	[STMT_NODE_HOP_NONCE] = { "node_hop_nonce",
	    "SELECT termgate.hop_nonce($1, $2, $3)", 3, ONCE },
	[STMT_NODE_HOP_PURGE] = { "node_hop_purge",
	    "SELECT termgate.purge_hop_nonces()", 0 },
	/* -- hosts (hosts.c) -- */
	[STMT_HOST_ADD] = { "host_add",
	    "INSERT INTO termgate.hosts (id, name, address, ssh_user,"
	    " ssh_port) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE"
	    " SET name = EXCLUDED.name, address = EXCLUDED.address,"
	    " ssh_user = EXCLUDED.ssh_user, ssh_port = EXCLUDED.ssh_port"
	    " RETURNING (xmax = 0)", 5 },
	[STMT_HOST_LIST] = { "host_list",
	    "SELECT h.id, h.name, h.address, h.ssh_user, h.ssh_port,"
	    " coalesce((SELECT string_agg(t.tag, ',' ORDER BY t.tag)"
	    " FROM termgate.host_tags t WHERE t.host_id = h.id), '')"
	    " FROM termgate.hosts h ORDER BY h.id", 0 },
	/* $1 user, $2 an admin by the configuration: what $1 may open. */
	[STMT_HOST_VISIBLE] = { "host_visible",
	    "SELECT id, name, address FROM termgate.hosts h"
	    " WHERE termgate.may_open($1, h.id, $2::boolean) ORDER BY id", 2 },
	[STMT_HOST_REMOVE] = { "host_remove",
	    "DELETE FROM termgate.hosts WHERE id = $1 RETURNING id", 1 },
	/* -- command history (hist.c) -- */
	/*
	 * $1 session, $2 owner, $3 command, $4 exit status, $5 cwd, $6 and
	 * $7 start and end (us), $8 rate a minute, $9 burst. One lock: the
	 * session row (the token bucket).
	 */
	[STMT_HIST_ADD] = { "hist_add",
	    "SELECT outcome, id, retry_after FROM termgate.add_command($1, $2,"
	    " $3, $4, $5, " US(6) ", " US(7) ", $8::double precision / 60,"
	    " $9)", 9, ONCE },
	[STMT_HIST_REGEX_ERROR] = { "hist_regex_error",
	    "SELECT termgate.regex_error($1)", 1 },
	/* $1 username: the id hist_list takes (none: no such user). */
	[STMT_HIST_USER_ID] = { "hist_user_id",
	    "SELECT id FROM termgate.users WHERE username = $1", 1 },
	/*
	 * Newest first, in keyset order after the cursor ($12 us, $13 id).
	 * $1 user id (NULL: every user), $2 host, $3 session, $4 since and
	 * $5 until (us), $6 exit status, $7 nonzero only, $8 source, $9 cwd
	 * prefix, $10 substring (any case), $11 regex, $14 limit; each NULL
	 * (or false) is no filter. Planned for its values (db_read), so
	 * that the user's id and the substring are constants the planner
	 * weighs: one user's substring is found through that user's
	 * trigram keys (sql/011), whose condition folds away when $10
	 * guarantees no trigram, and the ILIKE then only checks candidates
	 * ("IS TRUE" keeps 005's all-users trigram index from being
	 * combined with them: reading every user's lists is what the keys
	 * avoid; and the user, the times and the cursor from theirs too:
	 * KEYED); for every user, the ILIKE itself uses that index.
	 */
	[STMT_HIST_LIST] = { "hist_list",
	    "SELECT " HIST_COLS " FROM termgate.command_history c"
	    " JOIN termgate.users u ON u.id = c.user_id"
	    " LEFT JOIN termgate.hosts h ON h.id = c.host_id"
	    " WHERE ($1::bigint IS NULL OR " KEYED("c.user_id = $1") ")"
	    " AND ($2::text IS NULL OR c.host_id = $2)"
	    " AND ($3::text IS NULL OR c.session_id = $3)"
	    " AND ($4::bigint IS NULL OR " KEYED("c.started_at >= " US(4)) ")"
	    " AND ($5::bigint IS NULL OR " KEYED("c.started_at < " US(5)) ")"
	    " AND ($6::integer IS NULL OR c.exit_status = $6)"
	    " AND (NOT $7::boolean OR c.exit_status <> 0)"
	    " AND ($8::text IS NULL OR c.source = $8)"
	    " AND ($9::text IS NULL OR starts_with(c.cwd, $9))"
	    " AND ($1::bigint IS NULL OR " NO_TRIGRAM(10)
	    "  OR termgate.command_keys(c.user_id, c.command)"
	    "  @> termgate.trigram_keys($1, termgate.substring_trigrams($10)))"
	    " AND ($10::text IS NULL OR CASE WHEN $1::bigint IS NULL"
	    "  THEN c.command ILIKE " LIKE_ANY(10)
	    "  ELSE (c.command ILIKE " LIKE_ANY(10) ") IS TRUE END)"
	    " AND ($11::text IS NULL OR c.command ~ $11)"
	    " AND " REGEX_COMPILED(11)
	    " AND ($12::bigint IS NULL OR " KEYED("(c.started_at, c.id) < ("
	    US(12) ", $13::bigint)") ")"
	    " ORDER BY c.started_at DESC, c.id DESC LIMIT $14", 14 },
	/*
	 * The plain page: $1's rows after the cursor ($2 us, $3 id; NULL:
	 * from the newest), $4 of them. No optional filter, so one generic
	 * plan (a keyset range of user_time) fits every call: run by
	 * db_exec, it is planned once per connection, not per request.
	 */
	[STMT_HIST_PAGE] = { "hist_page",
	    "SELECT " HIST_COLS_OF("$1::text")
	    " FROM termgate.command_history c"
	    " LEFT JOIN termgate.hosts h ON h.id = c.host_id"
	    " WHERE c.user_id = (SELECT x.id FROM termgate.users x"
	    "  WHERE x.username = $1)"
	    " AND (c.started_at, c.id) < (coalesce(" US(2) ","
	    "  'infinity'::timestamptz), coalesce($3::bigint,"
	    "  9223372036854775807))"
	    " ORDER BY c.started_at DESC, c.id DESC LIMIT $4", 4 },
	/*
	 * A user's newest rows in keyset order, read from user_time alone
	 * (sql/031_history_scan.sql) and stopped at a page: $1 username, $2
	 * host, $3 since and $4 until (us), $5 exit status, $6 nonzero only,
	 * $7 source, $8 cwd prefix, $9 substring (any case), $10 $11 the
	 * cursor (us, id), $12 limit, $13 the most index tuples read, $14 a
	 * regular expression, given with a substring its matches all
	 * contain or with $15, substrings of which each match contains one,
	 * and with $16, a LIKE pattern each match is LIKE in any case
	 * (relit.c); each NULL (or false) is no filter. The word, the host, the exit status
	 * and the source are checked on the index's tuples (command_fold is
	 * lower(command), what ILIKE compares, so LIKE on it is ILIKE; NULL
	 * for a long command, checked on the heap); the heap is read for the
	 * matches only, and the cwd and the expression there. Every call has the one plan:
	 * db_read keeps it (GENERIC), the folded pattern is computed once
	 * (an InitPlan), and the read never goes past $13 tuples, however
	 * rare the word.
	 *
	 * HIST_COLS, then the keyset (us, id) of the $13th tuple when fewer
	 * than $12 rows matched and the user has that many in the range: the
	 * rows older than it are left to read some other way (hist.c); and
	 * then the user's rows in all, which the cost of the trigram keys
	 * depends on, where they can answer for $9 (else NULL). Found
	 * in the same statement, and so the same snapshot, as the matches:
	 * a row inserted meanwhile cannot move it. No match: one row of
	 * NULLs but for those.
	 */
	[STMT_HIST_SCAN] = { "hist_scan", SCAN_SQL(SCAN_AT, ""), 16, 0,
	    GENERIC },
	/* The same on one host's rows, $2, from user_host_time
	 * (sql/033_history_host_scan.sql): a host's rows in order, however
	 * many hosts the user has. */
	[STMT_HIST_SCAN_HOST] = { "hist_scan_host",
	    SCAN_SQL(SCAN_AT, SCAN_HOST), 16, 0, GENERIC },
	/* Both for the newest rows: no since, until or cursor. */
	[STMT_HIST_SCAN_NEWEST] = { "hist_scan_newest",
	    SCAN_SQL(SCAN_NEWEST, ""), 16, 0, GENERIC },
	[STMT_HIST_SCAN_HOST_NEWEST] = { "hist_scan_host_newest",
	    SCAN_SQL(SCAN_NEWEST, SCAN_HOST), 16, 0, GENERIC },
	/* The four for the failed rows alone, $6 true (exit_status=nonzero):
	 * user_failed's and user_host_failed's (sql/035), which hold them
	 * alone, one row in seven or fewer. */
	[STMT_HIST_SCAN_FAILED] = { "hist_scan_failed",
	    SCAN_SQL(SCAN_AT, SCAN_FAILED), 16, 0, GENERIC },
	[STMT_HIST_SCAN_HOST_FAILED] = { "hist_scan_host_failed",
	    SCAN_SQL(SCAN_AT, SCAN_HOST SCAN_FAILED), 16, 0, GENERIC },
	[STMT_HIST_SCAN_NEWEST_FAILED] = { "hist_scan_newest_failed",
	    SCAN_SQL(SCAN_NEWEST, SCAN_FAILED), 16, 0, GENERIC },
	[STMT_HIST_SCAN_HOST_NEWEST_FAILED] = {
	    "hist_scan_host_newest_failed",
	    SCAN_SQL(SCAN_NEWEST, SCAN_HOST SCAN_FAILED), 16, 0, GENERIC },
	/* $1 user, $2 host (NULL: any), $3 limit. From the counts the
	 * triggers keep (sql/032_history_counts.sql): the user's distinct
	 * commands on the host, or on every host, never the rows. */
	[STMT_HIST_FREQUENT] = { "hist_frequent",
	    "SELECT k.command_norm, sum(k.uses),"
	    " termgate.rfc3339(max(k.last_used))"
	    " FROM termgate.command_counts k"
	    " WHERE k.user_id = (SELECT x.id FROM termgate.users x"
	    "  WHERE x.username = $1)"
	    " AND ($2::text IS NULL OR k.host_id = $2)"
	    " GROUP BY k.command_norm ORDER BY sum(k.uses) DESC,"
	    " max(k.last_used) DESC, k.command_norm LIMIT $3", 3 },
	/* $1 owner, $2 row id, or $3 before (us): rows deleted, recorded. */
	[STMT_HIST_DELETE] = { "hist_delete",
	    "SELECT termgate.delete_history($1, $2, " US(3) ")", 3 },
	/* -- db_read: for the statement after it in the same implicit
	 * transaction, plan_cache_mode $2 and a limit of $1 ms. -- */
	[STMT_READ_LIMITS] = { "read_limits",
	    "SELECT set_config('plan_cache_mode', $2, true),"
	    " set_config('statement_timeout', $1, true)", 2 },
	/* -- the audit trail (audit.c) -- */
	/* $1 user, $2 host, $3 kind, $4 since, $5 until (us), $6 $7 the
	 * cursor (us, id), each NULL = any; $8 limit. Newest first. */
	[STMT_AUDIT_LIST] = { "audit_list",
	    "SELECT e.id, termgate.rfc3339(e.at), e.kind, e.username,"
	    " e.session_id, e.host_id, e.detail::text,"
	    " (extract(epoch FROM e.at) * 1000000)::bigint"
	    " FROM termgate.session_events e"
	    " WHERE ($1::text IS NULL OR e.username = $1)"
	    " AND ($2::text IS NULL OR e.host_id = $2)"
	    " AND ($3::text IS NULL OR e.kind = $3)"
	    " AND ($4::bigint IS NULL OR e.at >= " US(4) ")"
	    " AND ($5::bigint IS NULL OR e.at < " US(5) ")"
	    " AND ($6::bigint IS NULL OR (e.at, e.id) < (" US(6) ","
	    "  $7::bigint))"
	    " ORDER BY e.at DESC, e.id DESC LIMIT $8", 8 },
	/* -- users (users.c) -- */
	[STMT_USER_ROLE] = { "user_role",
	    "INSERT INTO termgate.users (username, role) VALUES ($1, $2)"
	    " ON CONFLICT (username) DO UPDATE SET role = EXCLUDED.role", 2 },
	[STMT_USER_LIMIT] = { "user_limit",
	    "INSERT INTO termgate.users (username, max_sessions)"
	    " VALUES ($1, $2) ON CONFLICT (username)"
	    " DO UPDATE SET max_sessions = EXCLUDED.max_sessions", 2 },
	[STMT_USER_IS_ADMIN] = { "user_is_admin",
	    "SELECT 1 FROM termgate.users"
	    " WHERE username = $1 AND role = 'admin'", 1 },
	/* $1 username, $2 the configured limit */
	[STMT_USER_LIMIT_OF] = { "user_limit_of",
	    "SELECT coalesce((SELECT max_sessions FROM termgate.users"
	    " WHERE username = $1), $2::integer)", 2 },
	/* every user: role, own limit ('' for the default), live sessions */
	[STMT_USER_LIST] = { "user_list",
	    "SELECT u.username, u.role, coalesce(u.max_sessions::text, ''),"
	    " (SELECT count(*) FROM termgate.sessions s"
	    "  WHERE s.user_id = u.id AND s." LIVE "),"
	    " termgate.rfc3339(u.created_at)"
	    " FROM termgate.users u ORDER BY u.username", 0 },
	/*
	 * -- access (access.c): groups of users, tags of hosts, grants of a
	 * tag to a group (sql/007_access.sql). Each change returns a row
	 * only when it changed something.
	 */
	[STMT_GROUP_ADD] = { "group_add",
	    "INSERT INTO termgate.user_groups (username, group_name)"
	    " VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1", 2 },
	[STMT_GROUP_REMOVE] = { "group_remove",
	    "DELETE FROM termgate.user_groups"
	    " WHERE username = $1 AND group_name = $2 RETURNING 1", 2 },
	[STMT_GROUP_LIST] = { "group_list",
	    "SELECT group_name, username FROM termgate.user_groups"
	    " ORDER BY group_name, username", 0 },
	/* $1 host, $2 tag: (hosts found, rows tagged) */
	[STMT_HOST_TAG] = { "host_tag",
	    "WITH h AS (SELECT id FROM termgate.hosts WHERE id = $1),"
	    " i AS (INSERT INTO termgate.host_tags (host_id, tag)"
	    " SELECT id, $2 FROM h ON CONFLICT DO NOTHING RETURNING 1)"
	    " SELECT (SELECT count(*) FROM h), (SELECT count(*) FROM i)", 2 },
	[STMT_HOST_UNTAG] = { "host_untag",
	    "DELETE FROM termgate.host_tags WHERE host_id = $1 AND tag = $2"
	    " RETURNING 1", 2 },
	[STMT_GRANT] = { "grant",
	    "INSERT INTO termgate.grants (group_name, tag) VALUES ($1, $2)"
	    " ON CONFLICT DO NOTHING RETURNING 1", 2 },
	[STMT_REVOKE] = { "revoke",
	    "DELETE FROM termgate.grants WHERE group_name = $1 AND tag = $2"
	    " RETURNING 1", 2 },
	[STMT_GRANT_LIST] = { "grant_list",
	    "SELECT group_name, tag, coalesce(users, ''),"
	    " coalesce(hosts, '') FROM termgate.access", 0 },
	/* -- Prometheus figures (metrics.c) -- */
	/* Live sessions by node and status, 0 for every status of a node
	 * that has a supervisor row or a live session. */
	[STMT_METRICS_SESSIONS] = { "metrics_sessions",
	    "SELECT n.node, st.status, count(s.id)"
	    " FROM (SELECT node FROM termgate.supervisors UNION"
	    " SELECT node FROM termgate.sessions WHERE " LIVE ") n"
	    " CROSS JOIN (VALUES ('starting'), ('active')) st (status)"
	    " LEFT JOIN termgate.sessions s ON s.node = n.node"
	    " AND s.status = st.status"
	    " GROUP BY n.node, st.status ORDER BY n.node, st.status", 0 },
	/*
	 * $1 seconds: each node's supervisor, up as STMT_NODE_HEALTH says
	 * (its lock held, its liveness row fresher than $1), its last
	 * liveness as Unix seconds (0: never), its terminals.
	 */
	[STMT_METRICS_NODES] = { "metrics_nodes",
	    "SELECT s.node, EXISTS (SELECT 1 FROM pg_locks l"
	    " WHERE l.locktype = 'advisory' AND l.granted"
	    " AND l.classid = " LOCK_CLASS "::oid AND l.objsubid = 2"
	    " AND l.objid = (hashtext(s.node)::bigint & 4294967295)::oid"
	    " AND l.pid = s.backend_pid)"
	    " AND coalesce(s.heartbeat_at > now() - make_interval(secs => $1),"
	    " false), coalesce(extract(epoch FROM s.heartbeat_at), 0),"
	    " s.terminals FROM termgate.supervisors s ORDER BY s.node", 1 },
	/* The histograms of 015_latency.sql, buckets summed up to each le. */
	[STMT_METRICS_LATENCY] = { "metrics_latency",
	    "SELECT b.name, b.le, sum(b.count) OVER (PARTITION BY b.name"
	    " ORDER BY b.le)::bigint, s.sum FROM termgate.latency_buckets b"
	    " JOIN termgate.latency_sums s ON s.name = b.name"
	    " ORDER BY b.name, b.le", 0 },
	/* -- the schema, for termgate-admin doctor (schema.c) -- */
	/* $1 role: (may log in, may connect, may use the schema) */
	[STMT_SCHEMA_ROLE] = { "schema_role",
	    "SELECT r.rolcanlogin,"
	    " has_database_privilege(r.oid, current_database(), 'CONNECT'),"
	    " has_schema_privilege(r.oid, 'termgate', 'USAGE')"
	    " FROM pg_catalog.pg_roles r WHERE r.rolname = $1", 1 },
	/* -- shares, watches, who is attached (share.c) -- */
	/* $7 the users, a JSON array of names, or NULL for anyone. ONCE:
	 * keyed by the id minted for it, a second run finds it taken. */
	[STMT_SHARE_CREATE] = { "share_create",
	    "SELECT outcome, share::text FROM termgate.share_create($1, $2,"
	    " $3, $4, $5, $6, CASE WHEN $7::jsonb IS NOT NULL THEN ARRAY("
	    "SELECT jsonb_array_elements_text($7::jsonb)) END, $8, $9, $10,"
	    " $11)", 11, ONCE },
	/* No row: no such session of $2. */
	[STMT_SHARE_LIST] = { "share_list",
	    "SELECT (SELECT coalesce(jsonb_agg(termgate.share_json(sh)"
	    " ORDER BY sh.created_at, sh.id), '[]')"
	    " FROM termgate.shares sh"
	    " WHERE sh.session_id = s.id AND sh.kind = 'link')::text"
	    " FROM termgate.sessions s WHERE s.id = $1 AND s.username = $2",
	    2 },
	[STMT_SHARE_REVOKE] = { "share_revoke",
	    "SELECT termgate.share_revoke($1, $2, $3, $4, $5)::text", 5 },
	[STMT_SHARE_LOOKUP] = { "share_lookup",
	    "SELECT token_hash FROM termgate.shares"
	    " WHERE id = $1 AND kind = 'link'", 1 },
	/* ONCE: a second run would count a use twice. */
	[STMT_SHARE_REDEEM] = { "share_redeem",
	    "SELECT outcome, share::text, grant_id, share->>'session_id',"
	    " share->>'mode' FROM termgate.share_redeem($1, $2, $3, $4)",
	    4, ONCE },
	/* A grant as authorize checks it: its token's hash, its user, the
	 * share's mode and session, and whether the share still holds. */
	[STMT_GRANT_LOOKUP] = { "grant_lookup",
	    "SELECT g.token_hash, g.username, sh.mode, sh.session_id,"
	    " CASE WHEN sh.revoked_at IS NOT NULL THEN 'revoked'"
	    " WHEN sh.expires_at <= now() THEN 'expired' ELSE 'ok' END,"
	    " coalesce(g.slot, 0)"
	    " FROM termgate.share_grants g"
	    " JOIN termgate.shares sh ON sh.id = g.share_id WHERE g.id = $1",
	    1 },
	/* $1 session, $2 grant: its shellinabox share slot, taken now if it
	 * has none (sql/defs/shares.sql). ONCE: a slot taken twice would
	 * drop the first one's client. */
	[STMT_SHARE_SLOT] = { "share_slot",
	    "SELECT termgate.share_slot($1, $2)", 2, ONCE },
	/* $2 a JSON array of {"grant", "mode", "clients"} */
	[STMT_SET_CLIENTS] = { "set_clients",
	    "SELECT termgate.set_clients($1, $2::jsonb)", 2 },
};

const struct stmt *
stmt_get(enum stmt_id id)
{
	return &stmts[id];
}
