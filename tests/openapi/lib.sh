# lib.sh - the npm packages of the OpenAPI checks, and prism in front of
# the real stack (sourced by tests/openapi/run and tests/e2e/run).
#
# openapi_env installs the packages package-lock.json pins into
# tests/openapi/node-env of the build tree, once per lockfile, under a
# lock: both suites install there and make check may run them at once.
#
# prism (@stoplight/prism-cli, proxy mode) forwards a request to nginx
# and checks the request and its answer against doc/openapi.yaml. It
# runs without --errors: with it prism would refuse the requests the
# suites send malformed on purpose (422) and replace a wrong answer
# with its own 500, so the suites would test prism instead of termgate.
# Without it every request reaches termgate and prism reports what it
# found in a "sl-violations" header, which prism_verdict judges: an
# answer the document does not give is always wrong; a request the
# document refuses must be refused by termgate too (4xx).
#
# Prism carries a request faithfully only when it can parse it and
# write it again unchanged in meaning (prism_carries): it re-serializes
# JSON bodies, re-encodes query strings, normalizes paths and labels a
# body without a type text/plain (and never answers a body it cannot
# parse as JSON). The rest go straight to nginx (the suite's malformed
# paths, bodies and encodings), and their answers are checked by
# direct.mjs against the same document.

OA_SRC=${TG_SRCDIR:-.}/tests/openapi
OA_ENV=${TG_BUILDDIR:-$PWD}/tests/openapi/node-env

# openapi_env: the pinned packages in $OA_ENV; 1 when npm fails.
openapi_env() {
	mkdir -p "$OA_ENV" || return 1
	(
		flock 9
		if ! cmp -s "$OA_SRC/package-lock.json" \
		    "$OA_ENV/package-lock.json" ||
		    [ ! -x "$OA_ENV/node_modules/.bin/prism" ]; then
			rm -rf "$OA_ENV/node_modules"
			cp "$OA_SRC/package.json" "$OA_SRC/package-lock.json" \
			    "$OA_ENV/" &&
			(cd "$OA_ENV" && npm ci --no-audit --no-fund \
			    --loglevel=error) ||
			{ echo "openapi: npm ci failed" >&2; exit 1; }
		fi
	) 9>"$OA_ENV.lock"
}

PRISM_PID= PRISM_BASE= PRISM_UPSTREAM=

# prism_start DOC UPSTREAM LOG: prism on a free port in front of
# UPSTREAM (http://127.0.0.1:PORT), a child of the caller; sets
# PRISM_BASE. 1 when it does not listen within TG_WAIT_MIN seconds.
prism_start() {
	_pp=$(ngx_free_port)
	"$OA_ENV/node_modules/.bin/prism" proxy --errors=false --cors=false \
	    -h 127.0.0.1 -p "$_pp" -v warn "$1" "$2" >>"$3" 2>&1 &
	PRISM_PID=$!
	PRISM_BASE=http://127.0.0.1:$_pp PRISM_UPSTREAM=$2 PRISM_DOC=$1
	PRISM_LOG=$3
	wait_for "curl -s -o /dev/null '$PRISM_BASE/'" 60 ||
	    { echo "prism did not start:"; tail -n 20 "$3"; return 1; }
}

prism_stop() {
	[ -n "$PRISM_PID" ] || return 0
	kill -TERM "$PRISM_PID" 2>/dev/null
	wait "$PRISM_PID" 2>/dev/null
	PRISM_PID=
}

# prism_follow: prism in front of $BASE (a suite that starts nginx
# again on another port takes prism along).
prism_follow() {
	[ "$PRISM_UPSTREAM" = "$BASE" ] && return 0
	prism_stop
	prism_start "$PRISM_DOC" "$BASE" "$PRISM_LOG"
}

# prism_carries METHOD PATH BODY CONTENT-TYPE: 0 when prism passes
# this request on unchanged in meaning (see above).
prism_carries() {
	_pq=${2#*\?}
	[ "$_pq" = "$2" ] && _pq=
	case ${2%%\?*} in
	/metrics) ;;
	/api/terminal/*[!A-Za-z0-9/_-]*) return 1 ;;
	/api/terminal/*) ;;
	*) return 1 ;;
	esac
	# a query: ASCII, whole %XX escapes of ASCII (URLSearchParams keeps
	# those; it turns other bytes into U+FFFD)
	printf '%s' "$_pq" | LC_ALL=C grep -q \
	    -e '[^ -~]' -e '%[^0-7]' -e '%[0-7][^0-9A-Fa-f]' -e '%.\{0,1\}$' &&
	    return 1
	[ -z "$3" ] && return 0
	# prism refuses a GET's body, a file is not read here, and a body
	# without a type would reach nginx as text/plain
	case $1 in GET|HEAD) return 1 ;; esac
	case $3 in @*) return 1 ;; esac
	[ -n "$4" ] || return 1
	printf '%s' "$3" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 || return 1
	case $4 in
	application/json*|application/*+json*)
		# exactly one JSON value, as JSON.parse takes it
		[ "$(printf '%s' "$3" | jq -s length 2>/dev/null)" = 1 ] ;;
	esac
}

# prism_verdict STATUS HEADERS: what is wrong, by prism, with the
# exchange whose answer (STATUS, headers in the file HEADERS) came
# through prism; nothing when the document says so.
prism_verdict() {
	_pv=$(grep -i '^sl-violations:' "$2" | head -n 1 | cut -d' ' -f2- |
	    tr -d '\r')
	[ -n "$_pv" ] || return 0
	printf '%s' "$_pv" | jq -r --argjson s "$1" '.[] |
	    (.location | join(".")) as $where |
	    if .location[0] == "response" then
		"\($where): \(.message)"
	    elif .severity == "Error" and $s < 400 then
		"\($where): \(.message), but termgate took it (\($s))"
	    elif .severity != "Error" and $s != 404 and $s != 405 then
		"\($where): \(.message) (\($s))"
	    else empty end' 2>/dev/null ||
	    echo "sl-violations: not JSON: $_pv"
}
