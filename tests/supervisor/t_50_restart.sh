# Exit by itself; kill -9 and restart (adoption); a second supervisor;
# SIGTERM leaves terminals, --stop-terminals ends them; a lost database.
C=$(mkcfg restart)
start_sup "$C"
open_one "$C"; P=$(col "$ID" ttyd_pid)
kill -9 "$P"
check_wait "a terminal that exits by itself: process_exited" \
    "[ \"\$(col $ID reason_closed)\" = process_exited ]" 3
check_wait "its socket removed" "[ ! -e $T/sock/$ID.sock ]" 2

open_one "$C"; A=$ID; PA=$(col "$A" ttyd_pid)
open_one "$C"; B=$ID; PB=$(col "$B" ttyd_pid)
PGUSER=termgate-supervisor "$SUP" -c "$C" >"$T/second.log" 2>&1
rc=$?
check "a second supervisor for the node exits 1" '[ $rc = 1 ]'
check "... with a clear message" 'grep -q "already has a running supervisor" \
    "$T/second.log"'
stop_sup KILL
kill -9 "$PB"
start_sup "$C"
check_wait "restart: live terminal adopted" "[ \"\$(q \"SELECT count(*) FROM
    termgate.session_events WHERE session_id = '$A' AND kind = 'adopted'\")\" = 1 ]" 3
check "restart: same pid, still active" \
    '[ "$(col "$A" status):$(col "$A" ttyd_pid)" = "active:$PA" ]'
check "restart: adopted one still serves" 'curl -sf \
    --unix-socket "$T/sock/$A.sock" -o /dev/null "http://x/terminal/$A/"'
check_wait "restart: dead one closed process_exited" \
    "[ \"\$(col $B reason_closed)\" = process_exited ]" 3
check "setproctitle names node and terminals" \
    'grep -q "termgate-supervisor: node=local terminals=1" "/proc/$SUP_PID/cmdline"'

# A lost database: terminals keep running; after it is back, LISTEN works.
pg_pause
check "database away: terminal keeps running" 'alive "$PA"'
pg_resume
check_wait "database back: heartbeat again" "[ \"\$(q \"SELECT
    heartbeat_at > now() - interval '2 s' FROM termgate.supervisors\")\" = t ]" 8
open_one "$C"; D=$ID
check "database back: spawn via NOTIFY works" '[ "$RESULT" = ok ]'
close_sess "$A"
check_wait "adopted terminal stopped on close" "gone $PA" 4
check_wait "adopted terminal's socket removed" "[ ! -e $T/sock/$A.sock ]" 2

PD=$(col "$D" ttyd_pid)
stop_sup TERM
check "SIGTERM leaves terminals running" 'alive "$PD"'
start_sup "$C" --stop-terminals
check_wait "restart adopts it" "grep -q 'session=${D:0:12} adopted' $T/sup.log" 3
stop_sup TERM
check "--stop-terminals ends them" 'gone "$PD"'
check "... and closes their rows" '[ "$(col "$D" status)" = closed ]'

# A supervisor killed while a terminal is still starting: the next one
# must not start a second terminal for it, nor leave the first running.
C2=$(mkcfg orphan "backend_path=$FIX/never-listen" spawn_timeout=30)
start_sup "$C2"
PGUSER=termgate-fcgi "$OPEN" -c "$C2" -n 1 >"$T/orphan.out" 2>&1 &
OPENER=$!
wait_for "[ -n \"\$(q \"SELECT ttyd_pid FROM termgate.sessions
    WHERE status = 'starting' AND ttyd_pid IS NOT NULL\")\" ]" 5
O=$(q "SELECT id FROM termgate.sessions WHERE status = 'starting'")
PO=$(col "$O" ttyd_pid)
check "a starting terminal's pid is recorded" 'alive "$PO"'
stop_sup KILL
start_sup "$C2"
check_wait "restart: the orphaned start is stopped" "gone $PO" 5
check_wait "restart: ... and its session failed" \
    "[ \"\$(col $O reason_closed)\" = spawn_failed ]" 3
check "restart: no second terminal was started for it" \
    '[ "$(grep -c "session=${O:0:12} spawn backend" "$T/sup.log")" = 1 ]'
wait "$OPENER"
check "the waiting opener heard it failed" 'grep -q "$O failed" "$T/orphan.out"'
stop_sup TERM

# A recycled pid. An adopted backend (not the supervisor's child: its
# pid is freed by whoever reaps it) dies while the supervisor is stopped,
# and another process takes its pid and process group id (pid-at). The
# supervisor took a pidfd at adoption and signals only through it: it
# ends the session and leaves the newcomer alone. Signalling by the
# number, as before pidfds, would kill the newcomer (or never see the
# terminal die).
C3=$(mkcfg recycle)
start_sup "$C3"
open_one "$C3"; R=$ID; PR=$(col "$R" ttyd_pid)
stop_sup KILL
start_sup "$C3"
check_wait "recycle: the terminal is adopted" \
    "grep -q 'session=${R:0:12} adopted' $T/sup.log" 3
kill -STOP "$SUP_PID"
kill -9 "$PR"
if wait_for "[ ! -e /proc/$PR ]" 5 &&
    "$PIDAT" "$PR" sleep 600 2>"$T/pid-at.err"; then
	kill -CONT "$SUP_PID"
	check_wait "recycle: the session ends process_exited" \
	    "[ \"\$(col $R reason_closed)\" = process_exited ]" 5
	check_wait "recycle: its holder is stopped and reaped" \
	    "grep -q 'session=${R:0:12} reap holder' $T/sup.log" 5
	check "recycle: the process that took the pid lives on" \
	    'alive "$PR" && grep -q sleep "/proc/$PR/cmdline"'
	kill -9 -- "$PR"
else
	kill -CONT "$SUP_PID"
	echo "ok - # SKIP recycle: no process at pid $PR here:" \
	    "$(cat "$T/pid-at.err" 2>/dev/null)"
fi
stop_sup TERM
