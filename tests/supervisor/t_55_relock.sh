# A plain database error while taking the node lock again after a
# reconnect is an outage like any other: the supervisor retries, keeps
# its terminals, and exits only when another supervisor holds the lock.
# Its own log: the refusal below is 42501, which sup.log must never show.
LOCKFN="pg_catalog.pg_try_advisory_lock(integer, integer)"
C=$(mkcfg relock)
PGUSER=termgate-supervisor "$SUP" -c "$C" >"$T/relock.log" 2>&1 &
SUP_PID=$!
wait_for "[ \"\$(q \"SELECT pid FROM termgate.supervisors
    WHERE node = 'local'\")\" = $SUP_PID ]" 5 ||
    not_ok "relock: the supervisor did not start"
open_one "$C"; P=$(col "$ID" ttyd_pid)
q "REVOKE EXECUTE ON FUNCTION $LOCKFN FROM PUBLIC"
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE usename = 'termgate-supervisor'" >/dev/null
check_wait "relock: the lock refused after the reconnect is logged" \
    "grep -q 'cannot take the node lock again' $T/relock.log" 8
check "relock: the supervisor did not exit on it" 'alive "$SUP_PID"'
check "relock: its terminal keeps running" 'alive "$P"'
q "GRANT EXECUTE ON FUNCTION $LOCKFN TO PUBLIC"
check_wait "relock: granted again, it takes the lock and reconciles" \
    "grep -q 'reconnected; reconciling' $T/relock.log" 8
# (bounded: with no lock held, the second one would run on)
PGUSER=termgate-supervisor timeout 10 "$SUP" -c "$C" \
    >"$T/relock-second.log" 2>&1
check "relock: the lock is held again (a second supervisor refused)" \
    'grep -q "already has a running supervisor" "$T/relock-second.log"'
close_sess "$ID"
check_wait "relock: the terminal stops on close" "gone $P" 5
stop_sup TERM

# Anyone who may connect may take an advisory lock. A session of another
# role holding the node's lock (an auditor's psql): the supervisor does
# not start, and says whose session it is and what to do.
psql -X -q -c "SELECT pg_advisory_lock(7468, hashtext('local'))" \
    -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
HOLDER=$!
wait_for "[ \"\$(q \"SELECT count(*) FROM pg_locks WHERE locktype =
    'advisory' AND granted AND classid = 7468\")\" = 1 ]" 10
PGUSER=termgate-supervisor timeout 10 "$SUP" -c "$C" \
    >"$T/relock-intruder.log" 2>&1
RC=$?
check "relock: the lock held by another role: no start (exit $RC)" \
    '[ "$RC" = 1 ]'
check "... naming that session's role and what to do" \
    'grep -q "held by a session that is no supervisor.s (role [^,]*, backend pid [0-9]*, application psql): end it (pg_terminate_backend)" "$T/relock-intruder.log"'
q "SELECT pg_terminate_backend(l.pid) FROM pg_locks l WHERE l.locktype =
    'advisory' AND l.granted AND l.classid = 7468" >/dev/null
wait "$HOLDER" 2>/dev/null
wait_for "[ \"\$(q \"SELECT count(*) FROM pg_locks WHERE locktype =
    'advisory' AND classid = 7468\")\" = 0 ]" 10 ||
    not_ok "relock: the intruder's lock did not go"
