# t_ratelimit.sh - nginx with the shipped termgate-http.conf: opening
# sessions is rate limited per user, whatever the client address, and
# an open that names no user per client address, with more room; the
# refusal is JSON in the API's error shape; other calls are not limited.
# (t_site.sh checks that each way of naming the user is the one limited.)
# Sourced last by tests/e2e/run.

kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
NGINX_PID=
SHIPPED_LIMITS=1 start_nginx || return
# burst N [USER]: N opens at once (one curl, in parallel), so that
# however slow the machine the burst arrives faster than the limit
# refills; each line of $rl_out is "STATUS BODYFILE RETRY-AFTER". Broken
# JSON: each request counts, but no session is opened.
burst() {
	set -- "$1" ${2:+-H "X-Test-User: $2"}
	_n=$1
	shift
	set -- -s -Z --parallel-immediate --parallel-max "$_n" \
	    -w '%{http_code} %{filename_effective} %header{retry-after}\n' \
	    -X POST "$@" -H "Content-Type: application/json" --data-binary '{'
	for _i in $(seq 1 "$_n"); do
		set -- "$@" -o "$T/rl.$_i" "$BASE/api/terminal/sessions"
	done
	rl_out=$(curl "$@" 2>/dev/null)
}
n_of() { echo "$rl_out" | grep -c "^$1 "; }

burst 30 ratelimit
rl_429=$(echo "$rl_out" | grep '^429 ' | head -n 1)
check "rate limit: the first opens pass (400 INVALID_JSON)" \
    '[ "$(n_of 400)" -ge 20 ]'
check "rate limit: a burst beyond it gets 429" '[ "$(n_of 429)" -ge 5 ]'
check "rate limit: 429 in the API's error shape" \
    '[ "$(jq -r .error "$(echo "$rl_429" | cut -d" " -f2)")" = RATE_LIMITED ]'
check "rate limit: with Retry-After" \
    '[ "$(echo "$rl_429" | cut -d" " -f3 | tr -d "\r")" = 1 ]'
# Another user from the same address, right after: behind a proxy, every
# user has that address.
burst 20 ratelimit2
check "rate limit: another user from the same address is not limited" \
    '[ "$(n_of 400)" = 20 ]'
call GET /api/terminal/sessions ratelimit
expect "rate limit: other calls are not limited" 200
# No user: termgate answers 401, after a floor per address that lets a
# burst of 50 through (the per-user burst is 20).
burst 40
check "rate limit: opens without a user meet a wider floor (40 pass)" \
    '[ "$(n_of 401)" = 40 ]'
burst 100
check "rate limit: ... but meet it (429 beyond)" '[ "$(n_of 429)" -ge 5 ]'
