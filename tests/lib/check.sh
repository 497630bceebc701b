# check.sh - the TAP-like checks of the shell test suites.
#
# Conditions are awaited with wait_for and a deadline, never assumed after
# a bare sleep. Each check prints "ok - WHAT" or "not ok - WHAT" and
# counts failures in FAILS; a suite exits non-zero when FAILS > 0.

FAILS=0

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# wait_for 'shell condition' SECONDS: polls every 20 ms until it holds.
# The deadline bounds how long a broken product keeps a check waiting; it
# is never a speed requirement, and a loaded 2-CPU machine can be many
# times slower than the one a test was written on. So it is at least
# TG_WAIT_MIN seconds (60): a check passes as soon as its condition
# holds, and only a failing one waits that long. A check whose condition
# some later timer of the product could make true by itself must keep
# that timer beyond TG_WAIT_MIN (tests/pty/run's "quick" holder does).
: "${TG_WAIT_MIN:=60}"
wait_for() {
	_s=$2
	[ "$_s" -ge "$TG_WAIT_MIN" ] || _s=$TG_WAIT_MIN
	_end=$(( $(now_ms) + _s * 1000 ))
	while ! eval "$1" >/dev/null 2>&1; do
		[ "$(now_ms)" -ge $_end ] && return 1
		sleep 0.02
	done
	return 0
}

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; FAILS=$((FAILS + 1)); }

# check DESC 'CONDITION': CONDITION is one string of shell, evaluated (at
# the call, in the caller's variables) as the assertion. Single-quote it
# so that what it tests is read when it runs:
#	check "row is active" '[ "$(col "$ID" status)" = active ]'
#	check "both hold" '[ "$A" = 1 ] && [ "$B" = 2 ]'
# Anything else after DESC is refused with a "not ok": written as
# `check DESC [ a ] && [ b ]`, the shell would hand check only `[ a ]`
# and drop `[ b ]` unseen. The positional parameters inside CONDITION are
# check's own: capture $? or $1 in a variable first.
check() {
	if [ $# -ne 2 ]; then
		not_ok "${1-}: check takes DESC and one CONDITION string," \
		    "got $(( $# - 1 )) words after DESC (quote the whole" \
		    "condition; an unquoted && or || drops its other half)"
		return 0
	fi
	if eval "$2"; then
		ok "$1"
	else
		not_ok "$1 ($(printf '%s' "$2" | tr -s '\n\t' '  '))"
	fi
}
check_wait() { if wait_for "$2" "$3"; then ok "$1"; else not_ok "$1 ($2)"; fi; }

# q SQL: one value (or rows) from the test database, unaligned.
q() { psql -X -Atq -c "$1"; }

# holder_ended GRANT [LOG]: the holder logged (in LOG, the supervisor's,
# $T/sup.log by default) the end of every client of GRANT: frames of one
# client are taken in order, so all it sent was taken.
holder_ended() {
	_g=$(echo "$1" | cut -c1-12) _c= _l=${2:-$T/sup.log}
	for _c in $(sed -n "s/.*termgate-pty\[\([0-9]*\)\].* client=\([0-9]*\) attached .*grant=$_g.*/\1:\2/p" \
	    "$_l"); do
		grep -Eq "termgate-pty\[${_c%%:*}\].* client=${_c#*:} (closed|dropped)" \
		    "$_l" || return 1
	done
	[ -n "$_c" ]
}
