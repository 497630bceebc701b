# attacks.sh - what a terminal's code tries against another user's
# terminal, the daemons and the node: tests/isolation/run (the root shape
# with the pool) and tests/package/run (the package's units) run the same
# list. Sourced after tests/lib/check.sh.
#
# The caller sets: SH_A, UID_A, GID_A (alice's shell: the attacker), ID_A
# and ID_B (alice's and bob's sessions), SH_B, HOLD_B, TTYD_B (bob's
# shell, holder and backend), SUP_PID, FCGI_W, NGINX_W (the daemons),
# REC, SPOOL, SOCK (recording_dir, spool_dir, socket_dir), SECRET (the
# node secret), PTY_BIN (termgate-pty, where alice can run it), PWN (a
# directory anyone may write: proof of a command run in bob's shell),
# PGHOST and PGPORT (the database's socket), ACCT_A (alice's account, so
# also a role name to try) and BASELINE (non-empty: report each attack
# that succeeds instead of checking that it fails; counts in BASE_RED and
# BASE_OK).

# as_a CMD: CMD run by alice's shell's uid and groups in its namespaces.
as_a() {
	nsenter -t "$SH_A" -m -i -- setpriv --reuid="$UID_A" \
	    --regid="$GID_A" --init-groups --inh-caps=-all -- \
	    /bin/sh -c "$1" </dev/null >/dev/null 2>&1
}

BASE_OK=0 BASE_RED=0
# attack DESC CMD: CMD, run as alice's shell, must fail (with the pool);
# in the baseline shape it is shown to succeed.
attack() {
	ATTACK=$2
	if [ -z "$BASELINE" ]; then
		check "refused: $1" '! as_a "$ATTACK"'
	elif as_a "$ATTACK"; then
		echo "# baseline: SUCCEEDS: $1"
		BASE_RED=$((BASE_RED + 1))
	else
		echo "# baseline: refused anyway: $1"
		BASE_OK=$((BASE_OK + 1))
	fi
}

# run_attacks: every attack of the list, from alice's shell.
run_attacks() {
	# -- the files of other sessions
	attack "list the recordings" "ls '$REC'"
	attack "read bob's recording" "head -c 1 '$REC/$ID_B.cast'"
	attack "list the command files" "ls '$SPOOL'"
	attack "read bob's command file" "cat '$SPOOL/$ID_B.cmds'"
	attack "write a command file into bob's history" \
	    "printf '{\"command\": \"pwned\"}\\n' >>'$SPOOL/$ID_B.cmds'"
	attack "plant a FIFO as her own recording" \
	    "rm -f '$REC/$ID_A.cast' && mkfifo '$REC/$ID_A.cast'"
	attack "read the node secret" "cat '$SECRET'"
	# -- bob's terminal
	attack "attach to bob's holder and type" \
	    "printf 'touch $PWN/by-alice\\r' | '$PTY_BIN' attach '$SOCK/$ID_B.pty'"
	attack "connect to bob's backend socket" \
	    "curl -sf -o /dev/null --unix-socket '$SOCK/$ID_B.sock' http://x/"
	attack "rename bob's backend socket" "mv '$SOCK/$ID_B.sock' '$SOCK/x'"
	attack "create a socket where bob's would be" "ls '$SOCK' || touch '$SOCK/$ID_B.x'"
	# -- processes: bob's shell, holder and backend, and every daemon
	for p in "$SH_B:bob's shell" "$HOLD_B:bob's holder" "$TTYD_B:bob's backend" \
	    "$SUP_PID:the supervisor" "$FCGI_W:a termgate-fcgi worker" \
	    "$NGINX_W:an nginx worker"; do
		pid=${p%%:*} who=${p#*:}
		attack "signal $who" "kill -0 $pid"
		attack "read $who's memory (ptrace)" "head -c 1 /proc/$pid/mem"
		attack "read $who's environment" "head -c 1 /proc/$pid/environ"
		attack "list $who's descriptors" "ls /proc/$pid/fd"
	done
	# -- the database, as each role
	for r in postgres termgate termgate-fcgi termgate-supervisor "$ACCT_A"; do
		attack "connect to the database as $r" \
		    "psql -X -Atq 'host=$PGHOST port=$PGPORT user=$r dbname=termgate' -c 'SELECT 1'"
	done
}
