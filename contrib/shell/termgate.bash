# termgate.bash - shell integration for termgate's command capture (bash).
#
# Installing it on a host: copy this file to the host, e.g. to
# /usr/local/share/termgate/termgate.bash, and source it from the end of
# ~/.bashrc (one user) or of /etc/bash.bashrc (everyone; a ~/.bashrc that
# later assigns PROMPT_COMMAND or PS0 outright switches it off again):
#
#     [ -r /usr/local/share/termgate/termgate.bash ] &&
#         . /usr/local/share/termgate/termgate.bash
#
# It makes interactive bash (4.4 or later) announce its prompts and
# commands to the terminal with OSC escape sequences, which termgate-pty
# turns into one record per command line (what was run, where, when, its
# exit status) and which any terminal may ignore:
#   OSC 133;D;STATUS  the last command ended (sent before every prompt)
#   OSC 7;file://HOST/PATH  the working directory, percent-encoded
#   OSC 133;A         the prompt starts
#   OSC 133;B         the command line starts (the end of PS1)
#   OSC 633;E;LINE    the command line as typed, with \ as \\, ; as \x3b
#                     and control characters as \xHH (from the history;
#                     left out when the line did not go into it, or is
#                     over 4096 characters)
#   OSC 133;C         the command's output starts (PS0)
# Under termgate-pty, $TERMGATE_NONCE is the session's nonce: D and E then
# carry it as a last field (133;D;STATUS;NONCE, 633;E;LINE;NONCE, and
# 633;E;;NONCE for a line history did not take), and only commands whose
# marks carry it are recorded as the shell's (source "shell"); marks
# without it, which any output can print, make records "claimed". On a
# host reached with ssh, let ssh pass it (SendEnv TERMGATE_NONCE on this
# side, AcceptEnv TERMGATE_NONCE in the host's sshd_config).
# The user's PROMPT_COMMAND (string or array), PS1 and PS0 keep working:
# the hooks run around them and preserve $?.

[[ $- == *i* ]] || return 0
[[ -n ${__tg_loaded-} ]] && return 0
__tg_loaded=1
__tg_hist=

# __tg_escape LINE: LINE escaped for OSC 633;E, on stdout.
__tg_escape() {
	local LC_ALL=C s=$1 c h i
	s=${s//\\/\\\\}
	s=${s//;/\\x3b}
	for ((i = 1; i < 32; i++)); do
		printf -v h '%02x' "$i"
		printf -v c "\\x$h"
		[[ $s == *"$c"* ]] && s=${s//"$c"/\\x$h}
	done
	s=${s//$'\x7f'/\\x7f}
	printf '%s' "$s"
}

# __tg_cwd: OSC 7 with $PWD, percent-encoded.
__tg_cwd() {
	local LC_ALL=C s=$PWD out= c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[-/._~A-Za-z0-9]) out+=$c ;;
		*) printf -v c '%%%02X' "'$c"; out+=$c ;;
		esac
	done
	printf '\e]7;file://%s%s\a' "${HOSTNAME-}" "$out"
}

# First in PROMPT_COMMAND: the end of the last command, cwd, prompt start.
__tg_prompt_start() {
	local s=$?
	printf '\e]133;D;%s%s\a' "$s" "${TERMGATE_NONCE:+;$TERMGATE_NONCE}"
	__tg_cwd
	printf '\e]133;A\a'
	__tg_hist=$HISTCMD
	return $s
}

# Last in PROMPT_COMMAND: PS1 ends with the B mark, whatever set PS1.
__tg_prompt_end() {
	local s=$?
	[[ $PS1 == *'133;B'* ]] || PS1=$PS1'\[\e]133;B\a\]'
	return $s
}

# In PS0 (a subshell, after the line is read and before it runs): the
# command line if history has it as a new entry, then the C mark.
__tg_ps0() {
	local h n e= nonce=${TERMGATE_NONCE:+;$TERMGATE_NONCE}
	h=$(HISTTIMEFORMAT= builtin history 1)
	h=${h#"${h%%[![:space:]]*}"}
	n=${h%%[!0-9]*}
	if [[ -n $n && $n == "$__tg_hist" ]]; then
		h=${h:${#n}+2}
		((${#h} <= 4096)) && e=$(__tg_escape "$h")
	fi
	[[ -n $e || -n $nonce ]] && printf '\e]633;E;%s%s\a' "$e" "$nonce"
	printf '\e]133;C\a'
}

if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
	PROMPT_COMMAND=(__tg_prompt_start "${PROMPT_COMMAND[@]}"
	    __tg_prompt_end)
else
	PROMPT_COMMAND=__tg_prompt_start$'\n'${PROMPT_COMMAND-}
	PROMPT_COMMAND+=$'\n'__tg_prompt_end
fi
PS0=${PS0-}'$(__tg_ps0)'
