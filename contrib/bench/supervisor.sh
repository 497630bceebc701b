#!/bin/bash
# supervisor.sh - spawn-to-ready time and sessions opened+closed per second
# of termgate-supervisor, with ttyd (the real one when TTYD names it or it
# is on PATH, else the stand-in: tests/lib/ttyd.sh) and with shellinaboxd.
#
# usage: contrib/bench/supervisor.sh [BUILDDIR] [COUNT] [ROUNDS]
# Runs against a throwaway PostgreSQL (tests/lib/pg.sh). For each backend
# and round: COUNT sessions, each opened (as a worker does), awaited until
# termgate_ready and closed; then waits until every process is gone.
# Prints the median over rounds of the per-round median ready time and of
# the opened+closed sessions per second (including the final drain).
set -u
TG_SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
TG_BUILDDIR=$(cd "${1:-.}" && pwd)
N=${2:-200}
ROUNDS=${3:-5}
export TG_SRCDIR TG_BUILDDIR
. "$TG_SRCDIR/tests/lib/pg.sh"
. "$TG_SRCDIR/tests/supervisor/lib.sh"
say_backend
pg_start
T=$(mktemp -d /tmp/termgate-bench.XXXXXX)
trap '[ -n "${SUP_PID:-}" ] && kill -KILL $SUP_PID; rm -rf "$T"; pg_stop' EXIT
q "INSERT INTO termgate.hosts (id, name, address) VALUES ('local', 'local', '127.0.0.1')"
q "INSERT INTO termgate.grants (group_name, tag) VALUES ('everyone', 'all')"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

bench() {
	local name=$1 C=$2 r out start end ready rate
	start_sup "$C" || return
	: >"$T/ready"; : >"$T/rate"
	for r in $(seq "$ROUNDS"); do
		start=$(date +%s%N)
		out=$(PGUSER=termgate-fcgi "$OPEN" -c "$C" -n "$N" -k -q)
		wait_for "[ -z \"\$(ps --ppid $SUP_PID -o pid=)\" ]" 30
		end=$(date +%s%N)
		ready=$(echo "$out" | sed 's/.*median_ready_ms=\([0-9.]*\).*/\1/')
		echo "$ready" >>"$T/ready"
		echo "$N $start $end" | awk '{ printf "%.1f\n", $1 / (($3 - $2) / 1e9) }' >>"$T/rate"
	done
	printf "%-22s median spawn-to-ready %6s ms   opened+closed %6s /s   (%d x %d)\n" \
	    "$name" "$(median <"$T/ready")" "$(median <"$T/rate")" "$ROUNDS" "$N"
	stop_sup
}

bench "ttyd unix" "$(mkcfg b1 "kill_grace = 3" "gc_interval = 10")"
bench "ttyd tcp" "$(mkcfg b2 "terminal_listen = tcp" \
    "allow_visible_credentials = true" "kill_grace = 3" "gc_interval = 10")"
bench "shellinabox unix" "$(mkcfg b3 "backend = shellinabox" \
    "backend_path = $(command -v shellinaboxd)" "kill_grace = 3" "gc_interval = 10")"
