# t_shellinabox.sh - the real shellinabox (Debian 12 has it; ttyd is not
# packaged) behind the same nginx, in unix mode: open, proxied page,
# authorize refusing a wrong token, and close stopping the process and
# removing its socket, shared connections refused (no mode can reach
# shellinabox's command); then the cases of pty_cases.sh through it (one
# shell across page loads, with siaclient speaking shellinabox's
# long-polling), and the typed-line capture's cases (capture_cases).
# Sourced by tests/e2e/run after t_tcp.sh.

kill -TERM "$FCGI_PID" 2>/dev/null && wait "$FCGI_PID" 2>/dev/null
FCGI_PID=
stop_sup
sed -i -e 's/^terminal_listen = .*/terminal_listen = unix/' \
    -e 's|^backend = .*|backend = shellinabox|' \
    -e 's|^backend_path = .*|backend_path = /usr/bin/shellinaboxd|' \
    -e "s|^terminal_command = .*|terminal_command = bash --noprofile \
--rcfile $TG_SRCDIR/contrib/shell/termgate.bash -i|" \
    "$T/termgate.conf"
start_sup || return
start_fcgi || return
open_sess sia '{"host_id": "local", "mode": "popout"}'
expect "shellinabox: open 201" 201
check "shellinabox: session is active" '[ "$(jf .status)" = active ]'
SIA_PID=$(q "SELECT ttyd_pid FROM termgate.sessions WHERE id = '$ID'")
check "shellinabox: the pid is shellinaboxd" \
    'grep -q shellinaboxd "/proc/$SIA_PID/cmdline"'
tget "$ID" "$TOKEN"
check "shellinabox: proxied page through nginx: 200" '[ "$TCODE" = 200 ]'
check "shellinabox: it is shellinabox's page" \
    'grep -qi "shell *in *a *box" "$T/tbody"'
tget "$ID" "wrong"
check "shellinabox: wrong token: 403" '[ "$TCODE" = 403 ]'
# shellinabox runs one fixed command per terminal: nothing nginx writes
# can tell it a connection's mode, so a shared connection is refused.
call POST "/api/terminal/sessions/$ID/shares" sia '{"mode": "view"}'
expect "shellinabox: a share is made" 201
SIATOK=$(jf .token)
call POST /api/terminal/shares/redeem bob "{\"token\": \"$SIATOK\"}"
SIAC=$(hdr Set-Cookie | sed 's/;.*//')
call GET "/terminal/$ID/" bob "" "" -H "Cookie: $SIAC"
expect "shellinabox: a viewer is refused, never let type" 403
check "shellinabox: the log says why" \
    'grep -q "shellinabox cannot tell its terminal a client.s mode" "$T/fcgi.log"'
call POST "/api/terminal/admin/sessions/$ID/watch" admin '{"mode": "view"}'
SIAC=$(hdr Set-Cookie | sed 's/;.*//')
call GET "/terminal/$ID/" admin "" "" -H "Cookie: $SIAC"
expect "shellinabox: an admin's watch is refused too" 403
call DELETE "/api/terminal/sessions/$ID" sia
expect "shellinabox: close 200" 200
check_wait "shellinabox: close stops the process" \
    "! kill -0 $SIA_PID 2>/dev/null" 5
check_wait "shellinabox: its socket is removed" "[ ! -e '$T/sock/$ID.sock' ]" 5

# One shell across page loads, through shellinabox.
open_sess siapty
expect "shellinabox pty: open 201" 201
P=$ID PTOK=$TOKEN
HP=$(q "SELECT holder_pid FROM termgate.sessions WHERE id = '$P'")
BP=$(q "SELECT ttyd_pid FROM termgate.sessions WHERE id = '$P'")
check "shellinabox pty: a holder ($HP) beside shellinaboxd ($BP)" \
    '[ -n "$HP" ] && grep -q hold "/proc/$HP/cmdline" && [ -n "$BP" ] &&
    grep -q shellinaboxd "/proc/$BP/cmdline"'
CLIENT=$SIA CPATH=/terminal/$P/
pty_cases "shellinabox pty"
call DELETE "/api/terminal/sessions/$P" siapty
expect "shellinabox pty: close 200" 200
check_wait "shellinabox pty: close stops the holder" \
    "! kill -0 $HP 2>/dev/null" 5
# The typed-line capture's cases, on a bash without the integration.
capture_session "shellinabox typed" siatyped ""
sed -i "s|^terminal_command = .*|terminal_command = /bin/sh|" \
    "$T/termgate.conf"
kill -HUP "$SUP_PID"
