# termgate.zsh - shell integration for termgate's command capture (zsh).
#
# Installing it on a host: copy this file to the host, e.g. to
# /usr/local/share/termgate/termgate.zsh, and source it from the end of
# ~/.zshrc (one user) or of /etc/zsh/zshrc (everyone):
#
#     [[ -r /usr/local/share/termgate/termgate.zsh ]] &&
#         . /usr/local/share/termgate/termgate.zsh
#
# It makes interactive zsh announce its prompts and commands with the same
# OSC sequences as termgate.bash (see there): 133;D;STATUS, 7 (cwd) and
# 133;A before each prompt, 133;B at the end of the prompt, 633;E with the
# command line (\ as \\, ; as \x3b, control characters as \xHH; left out
# over 4096 characters) and 133;C before the command runs; D and E carry
# the session's nonce, $TERMGATE_NONCE, as termgate.bash's do. It uses the
# precmd and preexec hook arrays, so other hooks and the user's PS1 keep
# working. (termgate's tests run it only where zsh is installed.)

[[ -o interactive ]] || return 0
(( ${+__tg_loaded} )) && return 0
typeset -g __tg_loaded=1

# __tg_escape LINE: LINE escaped for OSC 633;E, on stdout.
__tg_escape() {
	emulate -L zsh
	local s=$1 c h i
	s=${s//\\/\\\\}
	s=${s//;/\\x3b}
	for ((i = 1; i < 32; i++)); do
		c=${(#)i}
		h=${(l:2::0:)$(( [##16] i ))}
		s=${s//$c/\\x${(L)h}}
	done
	s=${s//$'\x7f'/\\x7f}
	print -rn -- "$s"
}

# __tg_cwd: OSC 7 with $PWD, percent-encoded.
__tg_cwd() {
	emulate -L zsh
	setopt extendedglob
	local LC_ALL=C s=$PWD out= c
	local -i i
	for ((i = 1; i <= ${#s}; i++)); do
		c=${s[i]}
		if [[ $c == [-/._~A-Za-z0-9] ]]; then
			out+=$c
		else
			out+=$(printf '%%%02X' "'$c")
		fi
	done
	printf '\e]7;file://%s%s\a' "${HOST-}" "$out"
}

__tg_precmd() {
	local s=$?
	printf '\e]133;D;%s%s\a' "$s" "${TERMGATE_NONCE:+;$TERMGATE_NONCE}"
	__tg_cwd
	printf '\e]133;A\a'
	[[ $PS1 == *'133;B'* ]] || PS1=$PS1$'%{\e]133;B\a%}'
	return $s
}

__tg_preexec() {
	local n=${TERMGATE_NONCE:+;$TERMGATE_NONCE}
	if (( ${#1} <= 4096 )); then
		printf '\e]633;E;%s%s\a' "$(__tg_escape "$1")" "$n"
	elif [[ -n $n ]]; then
		printf '\e]633;E;%s\a' "$n"
	fi
	printf '\e]133;C\a'
}

typeset -ga precmd_functions preexec_functions
precmd_functions=(__tg_precmd ${precmd_functions:#__tg_precmd})
preexec_functions+=(__tg_preexec)
