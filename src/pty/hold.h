/* hold.h - "termgate-pty hold": the session's pty and its clients. */
#ifndef TG_PTY_HOLD_H
#define TG_PTY_HOLD_H

struct hold_opts {
	const char	 *sock;		/* -s: the socket */
	const char	 *cast;		/* -r: recording, or NULL */
	const char	 *cmdfile;	/* -o: command records, or NULL */
	long long	  maxbytes;	/* -m: recording size cap */
	int		  cols, rows;	/* -W, -H: initial size */
	int		  grace;	/* -k: s, SIGHUP to SIGKILL */
	char		**argv;		/* the command */
};

int	hold_main(const struct hold_opts *);

#endif
