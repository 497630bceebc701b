# The collector: ttl and idle in one cycle; beacon grace.
C=$(mkcfg gc)
start_sup "$C"
open_one "$C"; A=$ID; PA=$(col "$A" ttyd_pid)
open_one "$C"; B=$ID; PB=$(col "$B" ttyd_pid)
GC0=$(grep -c 'gc ttl=1 idle=1 ' "$T/sup.log")
q "BEGIN;
   UPDATE termgate.sessions SET expires_at = now() - interval '1 s' WHERE id = '$A';
   UPDATE termgate.sessions SET last_seen_at = now() - interval '1 h' WHERE id = '$B';
   COMMIT"
check_wait "gc: past-TTL session expired ttl" \
    "[ \"\$(col $A reason_closed)\" = ttl ]" 4
check_wait "gc: idle session expired idle" \
    "[ \"\$(col $B reason_closed)\" = idle ]" 4
# The run's counts in the supervisors row last only until the next run
# (every second here) writes its own; the log keeps each run's line.
check_wait "gc: both in one cycle" \
    "[ \$(grep -c 'gc ttl=1 idle=1 ' $T/sup.log) -gt $GC0 ]" 4
check_wait "gc: their processes stopped" "gone $PA && gone $PB" 3
GC=$(q "SELECT gc_running::text
    || (heartbeat_at > now() - interval '3 s')::text || (gc_runs > 0)::text
    FROM termgate.supervisors")
check "gc: heartbeat row updated, not running ($GC)" '[ "$GC" = falsetruetrue ]'

# beacon_grace = 2: a heartbeat inside the grace keeps it, none closes it.
open_one "$C"; P=$(col "$ID" ttyd_pid)
q "SELECT termgate.beacon('$ID', 2)" >/dev/null
sleep 1		# inside the grace: then the page comes back
q "UPDATE termgate.sessions SET last_seen_at = now(), client_lost_at = NULL
    WHERE id = '$ID'"
sleep 2.5	# past the original grace: must survive (a negative, so a wait)
check "beacon: heartbeat inside the grace keeps it active" \
    '[ "$(col "$ID" status)" = active ]'
q "SELECT termgate.beacon('$ID', 2)" >/dev/null
check_wait "beacon: closed client_lost after the grace" \
    "[ \"\$(col $ID reason_closed)\" = client_lost ]" 5
check_wait "beacon: process stopped" "gone $P" 3
stop_sup

# Recordings past recording_retention_days go, once their session ended:
# swept by the first collector run after a start.
C=$(mkcfg retention "recording_retention_days = 30")
mkdir -p "$T/rec"
OLDID=$(printf '%064d' 1) NEWID=$(printf '%064d' 2)
echo '{"version": 2}' >"$T/rec/$OLDID.cast"
echo '{"version": 2}' >"$T/rec/$NEWID.cast"
touch -d '40 days ago' "$T/rec/$OLDID.cast"
start_sup "$C"
open_one "$C"; LIVE=$ID
touch -d '40 days ago' "$T/rec/$LIVE.cast"
stop_sup; start_sup "$C"
check_wait "retention: an old recording of no live session is removed" \
    "[ ! -e $T/rec/$OLDID.cast ]" 5
check "retention: a recent one stays" '[ -e "$T/rec/$NEWID.cast" ]'
check "retention: an old one of a live session stays" \
    '[ -e "$T/rec/$LIVE.cast" ]'
close_sess "$LIVE"
stop_sup
