# t_site.sh - the shipped site, nginx/termgate.conf, as an operator runs
# it: its paths pointed at this test, https with a throwaway certificate,
# and each of its three ways of naming the user (the termgate-auth-*.conf
# snippets) switched on in turn by its "# mode:" lines. Checked: the
# security headers (and HSTS on https only), that each mode takes the
# user only from what nginx verified, and that the open limit counts
# that user: not a name nginx has not checked, not the client address. Sourced by tests/e2e/run after
# t_api.sh, while termgate-fcgi runs.

S=$T/site
mkdir -p "$S/tmp"
SP=$(free_port)
HP=$(( SP + 1 ))
AP=$(( SP + 2 ))
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$S/key.pem" -out "$S/cert.pem" -subj /CN=localhost -days 1 \
    2>/dev/null
printf 'alice:%s\n' "$(openssl passwd -apr1 secret)" >"$S/htpasswd"
SITE_PID=

# site MODE [PROXY]: nginx/termgate.conf with MODE's lines in (PROXY: the
# address its geo trusts), inside an nginx that also plays the
# surrounding application (a session header "X-App-Session: good" is the
# user "appuser").
site() {
	[ -n "$SITE_PID" ] && kill -QUIT "$SITE_PID" && wait "$SITE_PID"
	sed -e '/# mode: /s/^\([[:space:]]*\)\([^#[:space:]]\)/\1#\2/' \
	    -e "/# mode: $1\$/s/^\([[:space:]]*\)#/\1/" \
	    -e "s|/usr/share/termgate/nginx/|$TG_SRCDIR/nginx/|" \
	    -e "s|/usr/share/termgate/web|$TG_SRCDIR/contrib/web|" \
	    -e "s|unix:/run/termgate/fcgi.sock|unix:$T/fcgi.sock|" \
	    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$SP ssl http2;|" \
	    -e "s|listen 80;|listen 127.0.0.1:$HP;|" \
	    -e "s|/etc/ssl/certs/terminals.example.org.pem|$S/cert.pem|" \
	    -e "s|/etc/ssl/private/terminals.example.org.key|$S/key.pem|" \
	    -e "s|/etc/termgate/htpasswd|$S/htpasswd|" \
	    -e "s|http://127.0.0.1:8000/auth/check|http://127.0.0.1:$AP/auth/check|" \
	    -e "s|10.0.0.2|${2:-10.0.0.2}|" \
	    "$TG_SRCDIR/nginx/termgate.conf" >"$S/termgate.conf"
	cat >"$S/nginx.conf" <<EOC
$( [ "$(id -u)" = 0 ] && echo "user root;" )
pid $S/nginx.pid;
error_log $S/error.log;
events { }
http {
	access_log off;
	types { text/html html; text/css css; application/javascript js; }
	client_body_temp_path $S/tmp/body; proxy_temp_path $S/tmp/proxy;
	fastcgi_temp_path $S/tmp/fastcgi; uwsgi_temp_path $S/tmp/uwsgi;
	scgi_temp_path $S/tmp/scgi;
	include $S/termgate.conf;
	server {
		listen 127.0.0.1:$AP;
		location = /auth/check {
			if (\$http_x_app_session = good) {
				add_header X-Remote-User appuser;
				return 200;
			}
			if (\$http_x_app_session = other) {
				add_header X-Remote-User otheruser;
				return 200;
			}
			return 401;
		}
	}
}
EOC
	nginx -p "$S" -c "$S/nginx.conf" -e "$S/error.log" \
	    -g 'daemon off;' >>"$S/nginx.out" 2>&1 &
	SITE_PID=$!
	wait_for "curl -sk -o /dev/null https://127.0.0.1:$SP/" 5 ||
	    { not_ok "site ($1) did not start"; cat "$S/nginx.out"; }
}

# sget PATH [CURL ARGS]: GET over https; sets SCODE, headers in $S/hdr.
sget() {
	_p=$1
	shift
	SCODE=$(curl -sk -o "$S/body" -D "$S/hdr" -w '%{http_code}' \
	    --max-time 20 "$@" "https://127.0.0.1:$SP$_p")
}
shdr() { grep -i "^$1:" "$S/hdr" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
# sburst N [CURL ARGS]: N opens at once over https (broken JSON: each
# counts, none opens); their statuses are the lines of $SB.
sburst() {
	_n=$1
	shift
	set -- -sk -Z --parallel-immediate --parallel-max "$_n" \
	    -w '%{http_code}\n' -X POST "$@" \
	    -H "Content-Type: application/json" --data-binary '{'
	for _i in $(seq 1 "$_n"); do
		set -- "$@" -o /dev/null "https://127.0.0.1:$SP/api/terminal/sessions"
	done
	SB=$(curl "$@" 2>/dev/null)
}
sb_n() { echo "$SB" | grep -c "^$1$"; }

# --- basic authentication
site basic
sget / -u alice:secret
check "site: the web client over https with basic auth: 200" \
    '[ "$SCODE" = 200 ]'
check "site: Content-Security-Policy: scripts, styles, frames from self" \
    'shdr Content-Security-Policy | grep -q "script-src '"'self'"' '"'wasm-unsafe-eval'"'; style-src '"'self'"'" &&
    shdr Content-Security-Policy | grep -q "frame-src '"'self'"'; frame-ancestors '"'self'"'"'
check "site: X-Content-Type-Options: nosniff" \
    '[ "$(shdr X-Content-Type-Options)" = nosniff ]'
check "site: Referrer-Policy" '[ "$(shdr Referrer-Policy)" = same-origin ]'
sget /app.js -u alice:secret
check "site: the script is served as JavaScript (nosniff runs no other)" \
    '[ "$(shdr Content-Type)" = application/javascript ]'
check "site: HSTS on https" \
    '[ "$(shdr Strict-Transport-Security)" = max-age=31536000 ]'
sget /api/terminal/hosts -u alice:secret
check "site: the API as alice: 200" '[ "$SCODE" = 200 ]'
check "site: the API has the headers too" \
    '[ "$(shdr X-Content-Type-Options)" = nosniff ] &&
    shdr Content-Security-Policy | grep -q "frame-ancestors"'
sget /api/terminal/hosts
check "site: no credentials: 401" '[ "$SCODE" = 401 ]'
sget /api/terminal/hosts -u alice:wrong
check "site: a wrong password: 401" '[ "$SCODE" = 401 ]'
check "site: plain http is sent to https, without HSTS" \
    'curl -s -D "$S/hdr80" -o /dev/null "http://127.0.0.1:$HP/" &&
    grep -q "^HTTP/1.1 301" "$S/hdr80" &&
    ! grep -qi "^Strict-Transport-Security" "$S/hdr80"'
SCODE=$(curl -sk -o "$S/body" -w '%{http_code}' -u alice:secret -X POST \
    -H 'Content-Type: application/json' --data '{"host_id": "local"}' \
    "https://127.0.0.1:$SP/api/terminal/sessions")
SID=$(jq -r .session_id "$S/body") STOK=$(jq -r .token "$S/body")
check "site: alice opens a terminal ($SCODE)" \
    '[ "$SCODE" = 201 ] || [ "$SCODE" = 200 ]'
check "site: its user is the one nginx checked" \
    '[ "$(jq -r .username "$S/body")" = alice ]'
sget "/terminal/$SID/" -u alice:secret -b "termgate_token=$STOK"
check "site: the terminal: 200" '[ "$SCODE" = 200 ]'
# The terminal's limits are taken once nginx has checked the user: a
# flood naming alice with a wrong password spends none of alice's.
SB=$(curl -sk -Z --parallel-immediate --parallel-max 50 -w '%{http_code}\n' \
    -u alice:wrong $(for _i in $(seq 1 150); do
	printf -- '-o /dev/null https://127.0.0.1:%s/terminal/%s/ ' "$SP" "$SID"
    done) 2>/dev/null)
check "site: 150 terminal requests as alice with a wrong password: all 401" \
    '[ "$(sb_n 401)" = 150 ]'
sget "/terminal/$SID/" -u alice:secret -b "termgate_token=$STOK"
check "site: ... and alice's own still 200 ($SCODE)" '[ "$SCODE" = 200 ]'
# ... and still taken, on the user nginx checked: 400 of alice's own at
# once exceed 20 a second past a burst of 100 unless they take 15 s.
T0=$(now_ms)
SB=$(curl -sk -Z --parallel-immediate --parallel-max 50 -w '%{http_code}\n' \
    -u alice:secret -b "termgate_token=$STOK" $(for _i in $(seq 1 400); do
	printf -- '-o /dev/null https://127.0.0.1:%s/terminal/%s/ ' "$SP" "$SID"
    done) 2>/dev/null)
if [ $(( $(now_ms) - T0 )) -lt 15000 ]; then
	check "site: 400 of alice's terminal requests at once: some 429" \
	    '[ "$(sb_n 429)" -gt 0 ] && [ "$(( $(sb_n 429) + $(sb_n 200) ))" = 400 ]'
else
	echo "# site: 400 terminal requests took $(( $(now_ms) - T0 )) ms:" \
	    "within the rate, the limit is not put to the test"
fi
check "site: the terminal's page may be framed by the site only" \
    '[ "$(shdr Content-Security-Policy)" = "frame-ancestors '"'self'"'" ]'
check "site: the terminal has nosniff and HSTS" \
    '[ "$(shdr X-Content-Type-Options)" = nosniff ] &&
    [ -n "$(shdr Strict-Transport-Security)" ]'
curl -sk -o /dev/null -u alice:secret -X DELETE \
    -H 'Content-Type: application/json' \
    "https://127.0.0.1:$SP/api/terminal/sessions/$SID"
# The open limit is taken once nginx has checked the name: a burst in
# alice's name with a wrong password spends none of her opens.
sburst 30 -u alice:wrong
check "site: 30 opens with a wrong password: 401, none limited" \
    '[ "$(sb_n 401)" = 30 ]'
sburst 20 -u alice:secret
check "site: ... and they spent none of alice's (20 pass)" \
    '[ "$(sb_n 400)" = 20 ]'

# --- auth_request to the surrounding application
site request
sget /api/terminal/sessions -H 'X-App-Session: good'
check "site (auth_request): the application's user: 200" \
    '[ "$SCODE" = 200 ]'
sget /api/terminal/sessions
check "site (auth_request): no application session: 401" \
    '[ "$SCODE" = 401 ]'
sget /api/terminal/sessions -u alice:secret
check "site (auth_request): a client's own basic credentials name nobody" \
    '[ "$SCODE" = 401 ]'
SCODE=$(curl -sk -o "$S/body" -w '%{http_code}' -X POST \
    -H 'X-App-Session: good' -H 'X-Remote-User: mallory' -u mallory:x \
    -H 'Content-Type: application/json' --data '{"host_id": "local"}' \
    "https://127.0.0.1:$SP/api/terminal/sessions")
check "site (auth_request): a session opened is the application user's" \
    '[ "$(jq -r .username "$S/body")" = appuser ]'
curl -sk -o /dev/null -H 'X-App-Session: good' -X DELETE \
    -H 'Content-Type: application/json' \
    "https://127.0.0.1:$SP/api/terminal/sessions/$(jq -r .session_id "$S/body")"
# auth_request names the user only in the access phase, after limit_req
# of the same location: the limit must still count that user.
sburst 30 -H 'X-App-Session: good'
check "site (auth_request): the application's user is limited (429s)" \
    '[ "$(sb_n 429)" -ge 5 ]'
sburst 20 -H 'X-App-Session: other'
check "site (auth_request): ... and its other users are not (20 pass)" \
    '[ "$(sb_n 400)" = 20 ]'

# --- a trusted header from a proxy in front
site header 10.0.0.2
sget /api/terminal/sessions -H 'X-Remote-User: alice'
check "site (header): X-Remote-User from an untrusted address: 401" \
    '[ "$SCODE" = 401 ]'
site header 127.0.0.1
sget /api/terminal/sessions -H 'X-Remote-User: alice'
check "site (header): X-Remote-User from the proxy: 200" '[ "$SCODE" = 200 ]'
sget /api/terminal/sessions -u alice:secret
check "site (header): basic credentials name nobody: 401" \
    '[ "$SCODE" = 401 ]'
# Behind the proxy every user has its address: each has a limit.
sburst 30 -H 'X-Remote-User: alice'
check "site (header): a user behind the proxy is limited (429s)" \
    '[ "$(sb_n 429)" -ge 5 ]'
sburst 20 -H 'X-Remote-User: bob'
check "site (header): ... the proxy's other users are not (20 pass)" \
    '[ "$(sb_n 400)" = 20 ]'
kill -QUIT "$SITE_PID" && wait "$SITE_PID"
SITE_PID=
