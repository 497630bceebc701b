# The default terminal_command against a real sshd: the person at the
# terminal cannot reach ssh itself. Its escapes are off (after a newline,
# "~C" would open ssh's command line, where "-R ..." adds a forwarding,
# and "~?" lists the escapes): both reach the remote shell as typed, and
# nothing is forwarded; the ssh process carries the options.
#
# The sshd is Debian's openssh-server, run here as root on 127.0.0.1 with
# a throwaway host key, taking root's login with a throwaway key only
# (PermitRootLogin prohibit-password). The template is the supervisor's
# own default, read out of the program, with what the test needs put in
# front: the key, and no known_hosts (the terminals' user here is nobody,
# whose home does not exist). Typing goes to the holder's socket
# (socket_dir/ID.pty) with tests/pty/ptyc.
SSHD=/usr/sbin/sshd
PTYC=$TG_BUILDDIR/tests/pty/ptyc
ssh_skip() { echo "# t_90_ssh.sh: skipped: $*"; }
if [ "$(id -u)" != 0 ]; then
	ssh_skip "needs root (the test's sshd takes root's login)"
	return 0
fi
if [ ! -x "$SSHD" ] || ! command -v ssh >/dev/null ||
    ! command -v ssh-keygen >/dev/null; then
	ssh_skip "no sshd here (Debian: openssh-server, in contrib/deps)"
	return 0
fi

# port_unused: a port below the ephemeral range that no socket uses.
port_unused() {
	_p=$(( 22000 + RANDOM % 10000 ))
	while ss -tan | grep -q ":$_p "; do _p=$(( _p + 1 )); done
	echo "$_p"
}
F0=$FAILS S=$T/ssh SSHPORT=$(port_unused)
FWDPORT=$(( SSHPORT + 1 ))
chmod 755 "$T"
mkdir -m 755 "$S"
ssh-keygen -q -t ed25519 -N '' -C termgate-test-host -f "$S/host_key"
ssh-keygen -q -t ed25519 -N '' -C termgate-test -f "$S/id"
cp "$S/id.pub" "$S/authorized_keys"
chown "$RUN_AS" "$S/id"	# ssh reads it as the terminals' user, 0600
cat >"$S/sshd_config" <<EOC
ListenAddress 127.0.0.1:$SSHPORT
HostKey $S/host_key
PidFile none
AuthorizedKeysFile $S/authorized_keys
AllowUsers root
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# (the key files are under /tmp, which everyone may write)
StrictModes no
# What the client asks for, the server grants: the client must not ask.
AllowTcpForwarding yes
PrintMotd no
PrintLastLog no
EOC
# Debian's sshd will not start without its privilege separation
# directory, which its service makes; made here if missing, then removed.
RUNSSHD=
[ -d /run/sshd ] || { mkdir -m 755 /run/sshd && RUNSSHD=1; }
"$SSHD" -D -e -f "$S/sshd_config" >>"$T/sshd.log" 2>&1 &
SSHD_PID=$!
check_wait "ssh: the test's sshd listens on 127.0.0.1:$SSHPORT" \
    "ss -ltn | grep -q '127.0.0.1:$SSHPORT '" 5

# The default template, as the program has it (one string of cfg.c).
TMPL=$(tr -c '[:print:]' '\n' <"$SUP" | grep -x 'ssh .*{ssh_user}@{address}')
check "ssh: the default terminal_command is ssh to {ssh_user}@{address}" \
    '[ -n "$TMPL" ] && [ "$(echo "$TMPL" | wc -l)" = 1 ]'
q "INSERT INTO termgate.hosts (id, name, address, ssh_user, ssh_port)
    VALUES ('ssh', 'ssh', '127.0.0.1', 'root', $SSHPORT)"
C=$(mkcfg ssh "terminal_command=ssh -i $S/id -o UserKnownHostsFile=/dev/null \
-o StrictHostKeyChecking=no -o LogLevel=ERROR ${TMPL#ssh }")
start_sup "$C"
set -- $(PGUSER=termgate-fcgi "$OPEN" -c "$C" -H ssh | head -n 1)
ID=$1 R=$2
check "ssh: the session starts" '[ "$R" = ok ]'
HP=$(col "$ID" holder_pid)
wait_for "pgrep -P '$HP' -x ssh" 5
SSH_PID=$(pgrep -P "$HP" -x ssh)
ARGV=" $(tr '\0' ' ' <"/proc/$SSH_PID/cmdline" 2>/dev/null)"
for o in "-tt" "-e none" "-o ClearAllForwardings=yes" "-o ForwardAgent=no" \
    "-o PermitLocalCommand=no" "-p $SSHPORT -- root@127.0.0.1"; do
	check "ssh: its argv has $o" 'case $ARGV in *" $o "*) ;; *) false;; esac'
done
check "ssh: it runs as the terminals' user ($RUN_AS)" \
    '[ "$(stat -c %U "/proc/$SSH_PID")" = "$RUN_AS" ]'
P=$T/sock/$ID.pty
check "ssh: logged in, a command runs on the other side" \
    '"$PTYC" -t 10 "$P" "send:echo ready-\$((6*7))\r" expect:ready-42'

# "~?" after a newline: ssh would list its escapes; the shell gets it.
"$PTYC" -t 10 "$P" 'send:\r~?' 'send:\r' 'send:echo q-$((6*7))\r' \
    expect:q-42 "save:$T/ssh-q.out" >"$T/ssh-q.err" 2>&1
check "ssh: ~? reaches the remote shell as typed" \
    'grep -q "~?: command not found" "$T/ssh-q.out"'
check "ssh: ... and ssh lists no escapes" \
    '! grep -q "escape sequences" "$T/ssh-q.out"'
# "~C" and a remote forwarding to the sshd itself: the shell gets it all.
"$PTYC" -t 10 "$P" "send:\r~C-R 127.0.0.1:$FWDPORT:127.0.0.1:$SSHPORT\r" \
    'send:echo c-$((6*7))\r' expect:c-42 "save:$T/ssh-c.out" \
    >"$T/ssh-c.err" 2>&1
check "ssh: ~C reaches the remote shell as typed" \
    'grep -q "~C-R: command not found" "$T/ssh-c.out"'
check "ssh: ... no ssh> command line opened" \
    '! grep -q "ssh>" "$T/ssh-c.out"'
check "ssh: ... nothing listens on the port it named" \
    '! ss -ltn | grep -q ":$FWDPORT "'
check "ssh: the session still serves" \
    '"$PTYC" -t 10 "$P" "send:echo end-\$((6*7))\r" expect:end-42'

close_sess "$ID"
check_wait "ssh: close ends the holder and ssh" "gone $HP && gone $SSH_PID" 5
stop_sup TERM
kill "$SSHD_PID" 2>/dev/null
wait "$SSHD_PID" 2>/dev/null
[ -n "$RUNSSHD" ] && rmdir /run/sshd 2>/dev/null
q "DELETE FROM termgate.hosts WHERE id = 'ssh'"
if [ "$FAILS" -ne "$F0" ]; then
	for f in "$T/ssh-q.out" "$T/ssh-c.out" "$T/sshd.log"; do
		echo "--- $f"; tail -n 20 "$f" | cat -v
	done
fi
