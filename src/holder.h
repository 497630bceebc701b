/*
 * holder.h - the pty holder's command line ("termgate-pty hold ..."):
 * built by the supervisor, parsed by termgate-pty, recognised in /proc.
 */
#ifndef TG_HOLDER_H
#define TG_HOLDER_H

#include <sys/types.h>

#include <stddef.h>

#include "argv.h"

#define HOLDER_MAXBYTES	(64LL * 1024 * 1024)	/* -m's default */
/* Window sizes the holder takes. At least two columns: libvterm 0.1.4
 * writes through a NULL pointer when a wide character is printed on a
 * screen one column wide (tests/fuzz/fuzz_output.c found it). */
#define HOLDER_COLS_MIN	2
#define HOLDER_COLS_MAX	1000
#define HOLDER_ROWS_MAX	500
#define HOLDER_CLIENTS_MAX	64	/* clients at once, whatever -c says */

/*
 * A client of a holder is interactive (HOLDER_CONTROL) or read-only
 * (HOLDER_VIEW), and was let in under a grant: a share's or a watch's
 * id (64 lowercase hex), by which the supervisor drops it. The words
 * travel from termgate-fcgi's authorize through nginx and ttyd -a to
 * "termgate-pty attach ... MODE GRANT", and from attach to the holder
 * in its HELLO (src/pty/proto.h): these are the one spelling of them.
 */
#define HOLDER_CONTROL		0
#define HOLDER_VIEW		1
#define HOLDER_GRANT_LEN	64

/*
 * shellinabox runs a fixed command per service, chosen by the URL path
 * alone, and nothing else of a request reaches it. So a session's
 * shellinaboxd serves, beside its owner's PREFIX/ID/, HOLDER_SLOTS more
 * services PREFIX/ID-sN/ (N 1 to HOLDER_SLOTS), slot N running "attach
 * SOCKET MODE GRANT" with the mode of the slot (view up to
 * HOLDER_SLOT_VIEWS, then control) and a grant that stands for the slot:
 * N written as 64 hex digits (HOLDER_SLOT_GRANT, never a random grant).
 * authorize gives a shared client's grant a slot of its session
 * (termgate.share_slot) and sends it to that path; the database turns
 * the slot's grant back into the real one (sql/029_share_slots.sql).
 */
#define HOLDER_SLOTS		16
#define HOLDER_SLOT_VIEWS	8
#define HOLDER_SLOT_GRANT	"%064x"	/* printf format of slot N's grant */

/* HOLDER_CONTROL for "control", HOLDER_VIEW for "view", else -1. */
int	holder_mode(const char *word);
/* "control" or "view". */
const char *holder_mode_name(int mode);
/* 1 when S is a well-formed grant (64 lowercase hex), else 0. */
int	holder_grant_ok(const char *s);
/* Has the holder on socket SOCK drop the clients of GRANT (a DROP frame,
 * src/pty/proto.h, on a connection of its own): 0, or -1 with errno. */
int	holder_drop(const char *sock, const char *grant);

struct holder_opts {
	const char	 *sock;		/* -s: the socket */
	const char	 *cast;		/* -r: recording, or NULL */
	const char	 *cmdfile;	/* -o: command records, or NULL */
	long long	  maxbytes;	/* -m: recording size cap */
	int		  cols, rows;	/* -W, -H: initial size */
	int		  grace;	/* -k: s, SIGHUP to SIGKILL */
	const char	 *shell_as;	/* -u: the shell's account (root) */
	const char	 *hold_as;	/* -U: then the holder's own (root) */
	long		  nproc;	/* -P: the shell's RLIMIT_NPROC, 0 */
	const char	 *cgroups;	/* -C: "DIR[:DIR]" the shell joins */
	const char	 *cpu_group;	/* -G: the cgroup the holder joins */
	int		  rate;		/* -R: records a minute, 0 no limit */
	long long	  capmax;	/* -M: command file bytes, 0 none */
	int		  scrollback;	/* -L: lines kept, 0 none */
	int		  clients;	/* -c: clients at once, 0 the most */
	char *const	 *argv;		/* the command, NULL-terminated */
	int		  argc;
};

/* Sets O to the defaults (no socket, no command). Cannot fail. */
void	holder_defaults(struct holder_opts *o);
/*
 * Builds the command line PATH hold ... -- COMMAND of O into OUT: -s,
 * -k, then -r and -m with a recording, -o with a command file, -u, -U
 * and -P when set, -c when limited, -W and -H when O's size is not the
 * default. 0, or -1 when OUT is full.
 */
int	holder_argv(struct tg_argv *out, const char *path,
	    const struct holder_opts *o);
/*
 * Parses the ARGC words of ARGV after "hold" into O (which points into
 * ARGV). 0, or -1 with a reason in ERR (LEN bytes): an unknown option, a
 * value out of range, no socket or no command.
 */
int	holder_parse(struct holder_opts *o, int argc, char *const argv[],
	    char *err, size_t len);
/*
 * 1 if process PID runs the holder installed as PATH (by its name) on
 * socket SOCK, as /proc/PID/cmdline shows; else 0.
 */
int	holder_match(pid_t pid, const char *path, const char *sock);

#endif
