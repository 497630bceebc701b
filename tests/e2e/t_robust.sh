# t_robust.sh - termgate-fcgi under stress and failure: 50 concurrent
# opens of one user, a worker killed under load, PostgreSQL stopped, a
# reload, the supervisor stopped, a graceful stop. Sourced by
# tests/e2e/run after t_api.sh.

# --- 50 concurrent opens of one user across the workers
for i in $(seq 1 50); do
	curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 -X POST \
	    -H 'X-Test-User: crowd' -H 'Content-Type: application/json' \
	    --data-binary '{"host_id": "local", "reuse": false}' \
	    "$BASE/api/terminal/sessions" >"$T/crowd.$i" &
done
wait_for "[ \$(cat $T/crowd.* 2>/dev/null | wc -l) -eq 50 ]" 30
CREATED=$(cat "$T"/crowd.* | grep -c '^201$')
LIMITED=$(cat "$T"/crowd.* | grep -c '^429$')
check "50 concurrent opens: 3 created, 47 refused ($CREATED/$LIMITED)" \
    '[ "$CREATED" = 3 ] && [ "$LIMITED" = 47 ]'
N=$(q "SELECT count(*) FROM termgate.sessions WHERE username = 'crowd'
    AND status IN ('starting', 'active')")
check "50 concurrent opens: never over the limit in the database ($N)" \
    '[ "$N" = 3 ]'
check "50 concurrent opens: several workers served them" \
    '[ "$(grep -o "termgate-fcgi\[[0-9]*\]: level=info open user=crowd" "$T/fcgi.log" | sort -u | wc -l)" -ge 2 ]'

# --- kill -9 a worker under load
load() {	# requests until $T/stop-load exists; counts failures
	while [ ! -e "$T/stop-load" ]; do
		curl -s -o /dev/null -w '%{http_code}\n' --max-time 5 \
		    -H 'X-Test-User: alice' "$BASE/api/terminal/hosts"
	done >"$T/load.$1"
}
load 1 & L1=$!
load 2 & L2=$!
wait_for "[ \$(cat $T/load.* 2>/dev/null | wc -l) -ge 20 ]" 10
VICTIM=$(workers | head -n 1)
kill -9 "$VICTIM"
check_wait "killed worker is replaced" "! workers | grep -qx $VICTIM && [ \$(nworkers) -eq 3 ]" 5
# Each worker leads a session of its own, so that Linux's autogroup gives
# each the CPU share of one PostgreSQL backend (master.c).
own_sessions() {
	for _w in $(workers); do
		[ "$(ps -o sid= -p "$_w" | tr -d ' ')" = "$_w" ] || return 1
	done
	[ -n "$(workers)" ]
}
check "every worker, the new one too, leads a session of its own" own_sessions
BEFORE=$(cat "$T"/load.* | wc -l)
wait_for "[ \$(cat $T/load.* | wc -l) -ge $((BEFORE + 30)) ]" 10
touch "$T/stop-load"
wait "$L1" "$L2"
check "load kept being served after the kill" \
    '[ "$(tail -n 10 "$T/load.1" | grep -vc "^200\$")" = 0 ]'
check "master logged the worker's death" 'grep -q "killed signal=9" "$T/fcgi.log"'
OKS=0
for i in $(seq 1 20); do
	call GET /api/terminal/hosts alice
	[ "$CODE" = 200 ] && OKS=$((OKS + 1))
done
check "20 requests after the kill all succeed" '[ "$OKS" = 20 ]'

# --- PostgreSQL stopped for a few seconds
pg_pause
call GET /api/terminal/hosts alice
expect "database down: 503 DATABASE_UNAVAILABLE" 503 DATABASE_UNAVAILABLE
call POST "/api/terminal/sessions/$B/heartbeat" alice ""
expect "database down: heartbeat 503" 503 DATABASE_UNAVAILABLE
call GET /api/terminal/health alice
check "database down: health 503 degraded" '[ "$CODE $(jf .status) $(jf .database)" = "503 degraded unavailable" ]'
call GET /metrics ""
check "database down: /metrics still answers 200" '[ "$CODE" = 200 ]'
check "database down: termgate_database_up 0" \
    'grep -qx "termgate_database_up 0" "$T/body"'
check "database down: the workers' database errors are counted" \
    '[ "$(awk "/^termgate_database_errors_total /{print \$2}" "$T/body")" -ge 2 ]'
call GET /api/terminal/hosts alice
expect "database still down: 503 again, worker alive" 503 DATABASE_UNAVAILABLE
pg_resume
# burst N: N rounds of 3 requests at once (so that every worker gets some)
# right away; prints how many answered 200.
burst() {
	for _r in $(seq 1 "$1"); do
		for _i in 1 2 3; do
			curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 \
			    -H 'X-Test-User: alice' "$BASE/api/terminal/hosts" &
		done
		wait
	done | grep -c '^200$'
}
N=$(burst 4)
check "database back: the next 12 requests all succeed ($N)" '[ "$N" = 12 ]'
# A restart while the workers are idle costs no request either: each
# finds its connection dead and reconnects before it sends anything.
pg_pause
pg_resume
N=$(burst 4)
check "database restarted while idle: 12 requests all succeed ($N)" \
    '[ "$N" = 12 ]'
check "database back: same workers" '[ "$(nworkers)" = 3 ]'

# --- an open answered 201 survives a PostgreSQL crash right after it
# (the server at its durable default; only heartbeats skip the flush)
pg_pause
pg_resume -c synchronous_commit=on
N=$(burst 1)
check "database durable: back ($N of 3)" '[ "$N" = 3 ]'
open_sess crashy
expect "durable: open 201" 201
pg_crash
pg_resume
# (ID is 64 hex digits: safe inside the SQL)
has_session() { [ "$(q "SELECT count(*) FROM termgate.sessions WHERE id = '$1'")" = 1 ]; }
check "the open answered before the crash is still there" 'has_session "$ID"'
call DELETE "/api/terminal/sessions/$ID" crashy ""
expect "after the crash: the session closes" 200

# --- nginx keeping its FastCGI connection (fastcgi_keep_conn): one client
# connection, so one nginx worker, whose second and later requests go to
# the worker on the connection it kept.
kept=$(curl -s -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
    -w '%{http_code} ' --max-time 10 \
    -H 'X-Test-User: alice' "http://127.0.0.1:$KEEPPORT/api/terminal/hosts" \
    "http://127.0.0.1:$KEEPPORT/api/terminal/hosts" \
    "http://127.0.0.1:$KEEPPORT/api/terminal/hosts" \
    "http://127.0.0.1:$KEEPPORT/api/terminal/hosts")
check "four requests over a kept FastCGI connection all answered ($kept)" \
    '[ "$kept" = "200 200 200 200 " ]'

# --- SIGHUP: workers replaced one by one, service goes on
OLD=$(workers | tr '\n' ' ')
kill -HUP "$FCGI_PID"
gone_all() { for _p in $OLD; do workers | grep -qx "$_p" && return 1; done; [ "$(nworkers)" = 3 ]; }
check_wait "reload replaced every worker" gone_all 10
call GET /api/terminal/hosts alice
expect "after reload: 200" 200

# --- a forged ready note: any role that may connect may NOTIFY
# termgate_ready. The worker takes a note only as a wake-up and reads the
# row again, so "ID failed" from someone else fails nobody's open (nor
# would "ID ok" answer one whose terminal is not there).
wait_for "call GET /api/terminal/health alice; [ \"\$CODE\" = 200 ]" 10
kill -STOP "$SUP_PID"
curl -s -o "$T/forger.body" -w '%{http_code}' -X POST --max-time 60 \
    -H "X-Test-User: forger" -H "Content-Type: application/json" \
    --data-binary '{"host_id": "local"}' "$BASE/api/terminal/sessions" \
    >"$T/forger.code" &
FORGER_CURL=$!
wait_for "[ -n \"\$(q \"SELECT id FROM termgate.sessions
    WHERE username = 'forger' AND status = 'starting'\")\" ]" 10
FORGER=$(q "SELECT id FROM termgate.sessions WHERE username = 'forger'")
q "NOTIFY termgate_ready, '$FORGER failed'; NOTIFY termgate_ready, '$FORGER ok'"
kill -CONT "$SUP_PID"
wait "$FORGER_CURL"
check "a forged ready note fails no open (got $(cat "$T/forger.code"))" \
    '[ -n "$FORGER" ] && [ "$(cat "$T/forger.code")" = 201 ] &&
    [ "$(jq -r .session_id "$T/forger.body")" = "$FORGER" ]'
check "and the session is active" \
    '[ "$(q "SELECT status FROM termgate.sessions WHERE id = '\''$FORGER'\''")" = active ]'

# --- supervisor stopped: SPAWN_FAILED within spawn_timeout, degraded
wait_for "call GET /api/terminal/health alice; [ \"\$CODE\" = 200 ]" 10
stop_sup
call GET /api/terminal/health alice
check "supervisor stopped: health 503 degraded, not alive" \
    '[ "$CODE $(jf .status) $(jf .supervisor.alive)" = "503 degraded false" ]'
T0=$(now_ms)
open_sess dave
T1=$(now_ms)
expect "supervisor stopped: open gives SPAWN_FAILED" 503 SPAWN_FAILED
# (the worker waits spawn_timeout for a ready that no supervisor sends:
# not sooner; how much later is the machine's load, not the product's)
check "SPAWN_FAILED after spawn_timeout ($SPAWN_TIMEOUT s, took $((T1 - T0)) ms)" \
    '[ $((T1 - T0)) -ge $((SPAWN_TIMEOUT * 1000)) ]'
DAVE=$(q "SELECT status || ' ' || reason_closed FROM termgate.sessions
    WHERE username = 'dave'")
check "the failed session is closed spawn_failed ($DAVE)" \
    '[ "$DAVE" = "closed spawn_failed" ]'

# --- graceful stop
LAST=$(workers)
kill -TERM "$FCGI_PID"
wait "$FCGI_PID"
RC=$?
FCGI_PID=
check "SIGTERM: master exits 0" '[ "$RC" = 0 ]'
check "SIGTERM: socket removed" '[ ! -e "$T/fcgi.sock" ]'
left() { for _p in $LAST; do kill -0 "$_p" 2>/dev/null && return 0; done; return 1; }
check_wait "SIGTERM: no worker left behind" "! left" 2

# --- termgate-fcgi gone: nginx answers in the API's shape, not its page
call GET /api/terminal/sessions alice
expect "termgate-fcgi stopped: 503 SERVICE_UNAVAILABLE from nginx" \
    503 SERVICE_UNAVAILABLE
check "termgate-fcgi stopped: JSON, Retry-After 1, no-store" \
    '[ "$(hdr Content-Type) $(hdr Retry-After) $(hdr Cache-Control)" = "application/json 1 no-store" ]'
call GET /api/terminal/health alice
expect "termgate-fcgi stopped: health too is 503 SERVICE_UNAVAILABLE" \
    503 SERVICE_UNAVAILABLE
