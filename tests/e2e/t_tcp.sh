# t_tcp.sh - terminal_listen = tcp: authorize hands nginx a 127.0.0.1 port
# and the session's backend credential, which nginx sends as
# Authorization; the terminal refuses requests without it. Sourced by
# tests/e2e/run after t_robust.sh (which stopped both daemons).

sed -i -e 's/^terminal_listen = .*/terminal_listen = tcp/' \
    -e 's/^port_range = .*//' "$T/termgate.conf"
echo "port_range = $(( PORT + 1 ))-$(( PORT + 5 ))" >>"$T/termgate.conf"
echo "allow_visible_credentials = true" >>"$T/termgate.conf"
start_sup || return
start_fcgi || return
open_sess erin
expect "tcp: open 201" 201
TP=$(jf .ttyd_port)
check "tcp: ttyd_port is set" '[ "$TP" -gt "$PORT" ]'
tget "$ID" "$TOKEN"
check "tcp: proxied HTTP with the backend credential: 200" '[ "$TCODE" = 200 ]'
check "tcp: the terminal itself refuses a request without it" \
    '[ "$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$TP/terminal/$ID/")" = 401 ]'
WS_AUTHTOKEN=$(curl -s -b "termgate_token=$TOKEN" "$BASE/terminal/$ID/token" |
    jq -r .token)
export WS_AUTHTOKEN
check "tcp: /token through nginx gives the credential" '[ -n "$WS_AUTHTOKEN" ]'
check "tcp: WebSocket through nginx runs a command" \
    '"$WS" "$PORT" "/terminal/$ID/ws" "termgate_token=$TOKEN" \
    "echo tcp-\$((6*7))" "tcp-42" 5'
tget "$ID" "wrong"
check "tcp: wrong token: 403" '[ "$TCODE" = 403 ]'
