# check.sh - the TAP-like checks of the shell test suites.
#
# Conditions are awaited with wait_for and a deadline, never assumed after
# a bare sleep. Each check prints "ok - WHAT" or "not ok - WHAT" and
# counts failures in FAILS; a suite exits non-zero when FAILS > 0.

FAILS=0

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# wait_for 'shell condition' SECONDS: polls every 20 ms until it holds.
wait_for() {
	_end=$(( $(now_ms) + $2 * 1000 ))
	while ! eval "$1" >/dev/null 2>&1; do
		[ "$(now_ms)" -ge $_end ] && return 1
		sleep 0.02
	done
	return 0
}

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; FAILS=$((FAILS + 1)); }
check() { _d=$1; shift; if "$@"; then ok "$_d"; else not_ok "$_d"; fi; }
check_wait() { if wait_for "$2" "$3"; then ok "$1"; else not_ok "$1 ($2)"; fi; }

# q SQL: one value (or rows) from the test database, unaligned.
q() { psql -X -Atq -c "$1"; }
