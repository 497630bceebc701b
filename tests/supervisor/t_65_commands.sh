# 100 sessions at once, each a shell with contrib/shell/termgate.bash
# running a loop of LOOP separate commands (one prompt each, so one
# record each): command_history gets every one, in order, once.
# The shell reads the commands from a pipe (bash -i: prompts, PS0 and
# PROMPT_COMMAND as for typed ones) and then stays (sleep), so the
# sessions are all live while their records arrive through the spool.
NSESS=100 LOOP=50
cat >"$T/cmdloop" <<EOF
seq -f 'echo cmd-%g' 1 $LOOP |
    bash --noprofile --rcfile $TG_SRCDIR/contrib/shell/termgate.bash -i
exec sleep 3600
EOF
# The records of user cmdloop's sessions (only this file opens those).
LOOPS="termgate.command_history h JOIN termgate.sessions s
    ON s.id = h.session_id WHERE s.username = 'cmdloop'"
live() { q "SELECT count(*) FROM termgate.sessions WHERE status = 'active'
    AND username = 'cmdloop'"; }
records() { q "SELECT count(*) FROM $LOOPS"; }
WANT=$(seq -f 'echo cmd-%g:0:shell' -s ' ' 1 $LOOP)
exact() {	# sessions whose records are WANT exactly
	q "SELECT count(*) FROM (SELECT string_agg(concat_ws(':', h.command,
	    h.exit_status, h.source), ' ' ORDER BY h.id) AS r FROM $LOOPS
	    GROUP BY h.session_id) x WHERE r = '$WANT'"
}
twice() { q "SELECT count(*) FROM (SELECT h.session_id, h.command
    FROM $LOOPS GROUP BY 1, 2 HAVING count(*) > 1) d"; }
# (commands that ran within one read of the shell's output share an
# offset: the time of that output in the recording)
backwards() { q "SELECT count(*) FROM (SELECT h.recording_offset <
    lag(h.recording_offset) OVER (PARTITION BY h.session_id ORDER BY h.id)
    AS back FROM $LOOPS) x WHERE back"; }

# Nothing heartbeats these sessions, and on a loaded 2-CPU machine the
# hundred opens take minutes, not seconds (the loops already running share
# the CPUs with the next start): idle_timeout must not collect the first
# before the last is ready. This test is about the records, not idleness.
C=$(mkcfg commands "terminal_command = /bin/sh $T/cmdloop" idle_timeout=86400)
start_sup "$C"
OUT=$(PGUSER=termgate-fcgi "$OPEN" -c "$C" -u cmdloop -n "$NSESS" -q)
# tg-open measures each open until the supervisor's ready note (its
# summary: sessions=N ok=N median_ready_ms=... per_second=...).
check "$NSESS command loops: every session ready ($OUT)" \
    '[ "${OUT#*ok=$NSESS }" != "$OUT" ]'
check "$NSESS command loops: all live at once" '[ "$(live)" = $NSESS ]'
check_wait "$NSESS command loops: $((NSESS * LOOP)) records arrive" \
    "[ \"\$(records)\" -ge $((NSESS * LOOP)) ]" 300
check "$NSESS command loops: exactly $((NSESS * LOOP)) records ($(records))" \
    '[ "$(records)" = $((NSESS * LOOP)) ]'
check "$NSESS command loops: each session's records are its loop, in order" \
    '[ "$(exact)" = $NSESS ]'
check "$NSESS command loops: no record twice" '[ "$(twice)" = 0 ]'
check "$NSESS command loops: recording offsets never go back" \
    '[ "$(backwards)" = 0 ]'
q "SELECT termgate.end_session(id, 'admin_close') FROM termgate.sessions
    WHERE termgate.is_live(status)" >/dev/null
check_wait "$NSESS command loops: all closed, every process gone" \
    "[ -z \"\$(ps --ppid $SUP_PID -o pid=)\" ]" 30
stop_sup
