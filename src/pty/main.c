/*
 * main.c - termgate-pty: keeps a session's shell on a pty of its own, so
 * that reloading the browser page reattaches to the same shell.
 *
 * Command line (src/holder.c builds and parses hold's, for the
 * supervisor and for termgate-pty alike):
 *
 *   termgate-pty hold -s SOCKET [-r CASTFILE] [-m MAXBYTES] [-o CMDFILE]
 *       [-W COLS] [-H ROWS] [-k GRACE] -- COMMAND [ARG...]
 *   termgate-pty attach SOCKET [MODE GRANT]
 *   termgate-pty attach -d SOCKET_DIR ID [MODE GRANT]
 *
 * hold runs COMMAND (execvp, no shell in between; TERM=xterm-256color
 * unless set) on a new pty for the session's whole life and listens on
 * the unix socket SOCKET (mode 0600; it exists only once it accepts, and
 * is removed at exit).
 *   -r CASTFILE  record the output as asciicast v2 (mode 0600); default:
 *                no recording
 *   -m MAXBYTES  the recording's size cap, 1024 to 2^40; default 64 MiB.
 *                Reaching it ends the recording with a marker event
 *                [t, "m", "recording stopped: size limit"]; the session
 *                goes on.
 *   -o CMDFILE   append one JSON line per command (mode 0600):
 *                {"command": "...", "exit_status": N|null, "cwd":
 *                "..."|null, "started_at": "2024-01-02T03:04:05.678Z",
 *                "finished_at": "...", "source": "shell"|"typed",
 *                "recording_offset": SECONDS|null}; default: none
 *   -W COLS, -H ROWS  the initial size, 2-1000 x 1-500; default 80x24
 *   -k GRACE     seconds (0-3600) from SIGHUP to SIGKILL of the shell
 *                when the holder is stopped; default 3
 *   -u ACCOUNT -U ACCOUNT  as root, and required then: the shell runs as
 *                the first (runas.c), the holder then as the second
 *   -P NPROC     with -u: the shell's RLIMIT_NPROC; default 0, none
 * SIGTERM, SIGINT or SIGHUP stop the holder: SIGHUP and SIGCONT to the
 * shell's process group (and the pty's foreground group), SIGKILL after
 * GRACE seconds. It exits 0 once the shell is gone, whether it ended by
 * itself or was stopped; 1 (with a log line on stderr) when setup fails:
 * bad options, the socket in use or not bindable, a file not writable,
 * no pty. Its argv is left as is (no setproctitle), so the socket path in
 * /proc/PID/cmdline identifies a holder.
 *
 * attach connects its terminal (stdin/stdout; raw mode if stdin is a
 * tty) to the holder on SOCKET: it is the command a terminal backend runs
 * (ttyd ... -- termgate-pty attach SOCKET). It exits 0 when the holder
 * closes the connection (the shell ended) or stdin ends, 1 when SOCKET
 * cannot be reached or the holder breaks the protocol (proto.h). The
 * second form is the gateway's (terminal_gateway: ttyd -a appends the ID
 * nginx put in the WebSocket's query): ID must be a session id (64
 * lowercase hex), and the socket is that session's holder's in
 * SOCKET_DIR; anything else, or a word more, exits 1. MODE and GRANT
 * (the next arg=s nginx wrote, or ttyd -a's words after SOCKET) make it
 * a shared client: MODE "view" (read-only: the holder drops its input
 * and resizes) or "control", GRANT the 64-hex id of the share or watch
 * it came in by, which the supervisor ends it by; both are checked.
 *
 * Logs go to stderr, one key=value line per event (log.c).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include "attach.h"
#include "hold.h"
#include "log.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: termgate-pty hold -s SOCKET [-r CASTFILE] "
	    "[-m MAXBYTES] [-o CMDFILE]\n"
	    "           [-W COLS] [-H ROWS] [-k GRACE] [-R RATE] [-M BYTES] "
	    "[-L LINES]\n"
	    "           [-u ACCOUNT -U ACCOUNT [-P NPROC] [-C DIRS] "
	    "[-G DIR]]\n"
	    "           -- COMMAND [ARG...]\n"
	    "       termgate-pty attach SOCKET [MODE GRANT]\n"
	    "       termgate-pty attach -d SOCKET_DIR ID [MODE GRANT]\n");
	exit(1);
}

/* The words after "hold" (holder.c parses them, as the supervisor's
 * recognition of a running holder does). */
static int
hold(int argc, char **argv)
{
	struct holder_opts o;
	char err[160];

	if (holder_parse(&o, argc, argv, err, sizeof(err)) == -1) {
		log_err("hold: %s", err);
		usage();
	}
	return hold_main(&o);
}

/* The words after "attach": SOCKET [MODE GRANT], or -d DIR ID [MODE
 * GRANT]; a word more or less is a usage error. */
static int
attach(int argc, char **argv)
{
	int gw = argc >= 1 && strcmp(argv[0], "-d") == 0;

	if (!gw && argc == 1)
		return attach_main(argv[0], NULL, NULL);
	if (!gw && argc == 3)
		return attach_main(argv[0], argv[1], argv[2]);
	if (gw && argc == 3)
		return attach_session(argv[1], argv[2], NULL, NULL);
	if (gw && argc == 5)
		return attach_session(argv[1], argv[2], argv[3], argv[4]);
	usage();
}

/* Descriptors 0-2 open (on /dev/null if need be): the pty never gets one. */
static void
std_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", O_RDWR) != fd)
			fatal("cannot open /dev/null");
}

int
main(int argc, char **argv)
{
	log_init("termgate-pty");
	if (argc < 2)
		usage();
	std_fds();
	if (strcmp(argv[1], "hold") == 0)
		return hold(argc - 2, argv + 2);
	if (strcmp(argv[1], "attach") == 0)
		return attach(argc - 2, argv + 2);
	usage();
}
