# ttyd (real or stand-in), tcp: a port from the pool, the credential, failures.
C=$(mkcfg ttyd_tcp "terminal_listen = tcp" "allow_visible_credentials = true")
start_sup "$C"
open_one "$C"
check "ttyd tcp: termgate_ready ok ($MS ms)" '[ "$RESULT" = ok ]'
PID=$(col "$ID" ttyd_pid) PORT=$(col "$ID" ttyd_port)
CRED=$(col "$ID" backend_auth)
check "port $PORT held by the session" '! port_free "$ID"'
check "without the credential: 401" '[ "$(curl -s -o /dev/null -w %{http_code} \
    "http://127.0.0.1:$PORT/terminal/$ID/")" = 401 ]'
check "with the credential: 200" 'curl -sf -o /dev/null -u "$CRED" \
    "http://127.0.0.1:$PORT/terminal/$ID/"'
close_sess "$ID"
check_wait "close stops the process" "gone $PID" 3
check_wait "close frees the port" "port_free $ID" 3
stop_sup

# Spawn failures: exits at once, never listens. Both free the port.
for fx in exit-at-once never-listen; do
	C=$(mkcfg "$fx" "terminal_listen = tcp" "allow_visible_credentials = true" \
	    "backend_path = $FIX/$fx" spawn_timeout=2)
	start_sup "$C"
	t0=$(date +%s%N)
	open_one "$C"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	check "$fx: termgate_ready failed ($ms ms)" '[ "$RESULT" = failed ]'
	# What ended the start, from the supervisor's own word rather than a
	# wall clock: one that exits is failed when it exits, without waiting
	# for spawn_timeout; one that never listens, at spawn_timeout.
	if [ "$fx" = never-listen ]; then
		check "$fx: failed at spawn_timeout (2 s), not before ($ms ms)" \
		    '[ "$ms" -ge 2000 ] && grep -q "session=${ID:0:12} spawn_failed reason=timeout" "$T/sup.log"'
	else
		check "$fx: failed as it exited, not at spawn_timeout" \
		    '! grep -q "session=${ID:0:12} spawn_failed reason=timeout" "$T/sup.log"'
	fi
	check "$fx: row closed spawn_failed" \
	    '[ "$(col "$ID" reason_closed)" = spawn_failed ]'
	check_wait "$fx: port freed" "port_free $ID" 2
	check_wait "$fx: nothing left running" \
	    "[ -z \"\$(ps --ppid $SUP_PID -o pid=)\" ]" 3
	stop_sup
done

# A backend that ignores SIGTERM is killed after kill_grace (1 s).
mkdir -p "$T/bin"
cp "$FIX/ignore-term" "$T/bin/ignore-term"
ln -sf "$TTYD_BIN" "$T/bin/ttyd"
# (kill_grace 5 s: "still alive inside kill_grace" must hold however long
# the close takes to reach the supervisor on a loaded machine)
C=$(mkcfg ignore "terminal_listen = tcp" "allow_visible_credentials = true" "backend_path = $T/bin/ignore-term" kill_grace=5)
start_sup "$C"
open_one "$C"
check "SIGTERM-ignoring backend: ready" '[ "$RESULT" = ok ]'
PID=$(col "$ID" ttyd_pid)
t0=$(date +%s%N)
close_sess "$ID"
check "still alive inside kill_grace" 'alive "$PID"'
check_wait "killed after kill_grace" "gone $PID" 3
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "killed no sooner than kill_grace ($ms ms)" '[ "$ms" -ge 4900 ]'
check "log says SIGKILL after grace" 'grep -q "session=${ID:0:12} kill after grace" "$T/sup.log"'
check_wait "port freed" "port_free $ID" 2
stop_sup

# A pool port another program listens on is never taken for a terminal
# (a probe would mistake it, and nginx would hand it the credential): the
# session fails at once and the port is skipped for a while.
C=$(mkcfg squat "terminal_listen = tcp" "allow_visible_credentials = true" "port_range = 17690-17691")
start_sup "$C"
# (any listener will do: the stand-in is one)
"$FAKE" -p 17690 -i 127.0.0.1 -- /bin/true >"$T/squatter.log" 2>&1 &
SQUAT=$!
wait_for "ss -ltn | grep -q '127.0.0.1:17690 '" 3
open_one "$C"
check "a taken port: the session fails" '[ "$RESULT" = failed ] &&
    [ "$(col "$ID" reason_closed)" = spawn_failed ]'
check "... and says why" 'grep -q "port=17690 is taken by another program" \
    "$T/sup.log"'
open_one "$C"
check "the next session gets the next port" '[ "$RESULT" = ok ] &&
    [ "$(col "$ID" ttyd_port)" = 17691 ]'
check "the squatter was left alone" 'alive "$SQUAT"'
kill "$SQUAT"; wait "$SQUAT" 2>/dev/null
close_sess "$ID"
stop_sup

# Without hidepid=2 the credential on ttyd's command line is everyone's:
# refused unless allow_visible_credentials says the risk is accepted.
if grep -q ' / /proc .* - proc .*hidepid=\(2\|invisible\)' /proc/self/mountinfo; then
	echo "# /proc is hidepid=2 here: the refusal is not tested"
else
	C=$(mkcfg visible "terminal_listen = tcp")
	"$SUP" -t -c "$C" >"$T/visible.out" 2>&1
	RC=$?
	check "ttyd tcp without hidepid=2: refused (exit $RC)" '[ "$RC" != 0 ]'
	check "ttyd tcp refusal names the way out" \
	    'grep -q "allow_visible_credentials = true" "$T/visible.out"'
	C=$(mkcfg visible2 "terminal_listen = tcp" \
	    "allow_visible_credentials = true")
	check "ttyd tcp with allow_visible_credentials: accepted" \
	    '"$SUP" -t -c "$C" >/dev/null 2>&1'
fi
