/* argv.h - the command lines of terminal backends, built without a shell. */
#ifndef TG_ARGV_H
#define TG_ARGV_H

#include <stddef.h>

#define ARGV_MAX	64		/* words, the NULL not counted */
/* bytes of all words: shellinabox's, with a service for each share
 * slot (holder.h), take about 5 KB */
#define ARGV_BUF	12288

/* An argv and the storage of its words; fixed size, nothing to free. */
struct tg_argv {
	char	*v[ARGV_MAX + 1];	/* NULL-terminated */
	int	 n;
	char	 buf[ARGV_BUF];
	size_t	 used;
};

/* The values of the {field}s of terminal_command (from the host row). */
struct argv_fields {
	const char	*address;
	const char	*ssh_user;
	const char	*ssh_port;
	const char	*host_id;
	const char	*host_name;
	const char	*session_id;
};

/*
 * What the backend's own options need. The backend never gives its unix
 * socket to another group (it may not be in that group, and the shell it
 * starts must not be): it makes the socket as USER:GROUP, and the
 * supervisor hands it to socket_group.
 */
struct argv_backend {
	int		 shellinabox;	/* else ttyd */
	const char	*path;		/* the binary */
	const char	*socket;	/* unix mode: socket path, else NULL */
	int		 port;		/* tcp mode */
	const char	*cred;		/* tcp mode, ttyd: "user:pass" */
	const char	*user;		/* the user the backend runs as */
	const char	*group;		/* that user's own group */
	const char	*home;		/* shellinabox service cwd */
	const char	*base;		/* url_prefix/ID, no trailing '/' */
	int		 max_clients;	/* ttyd: connections at once, 0 any */
	int		 url_arg;	/* ttyd -a: the gateway of every session */
};

/* Empties A. Cannot fail. */
void	argv_reset(struct tg_argv *a);
/* Appends the word S to A as it is; 0, or -1 when A is full. */
int	argv_push(struct tg_argv *a, const char *s);
/*
 * Splits TEMPLATE on spaces into words and substitutes each word's
 * {field}s from F. Values are checked (valid.h) and a word that starts
 * with '-' only because of a value is refused, so a field can never
 * become an option or a second argument. Returns 0, or -1 with a reason
 * (that never quotes a value) in ERR.
 */
int	argv_command(struct tg_argv *out, const char *template,
	    const struct argv_fields *f, char *err, size_t errlen);
/*
 * Builds the backend's command line around CMD (from argv_command) into
 * OUT. For shellinabox, whose -s option takes the command as one string
 * that shellinabox splits on spaces and scans for ${...} itself, every
 * word of CMD must be made of [A-Za-z0-9_@%+=:,./-] only (validated host
 * fields always are); anything else is refused rather than quoted. Its
 * services are the owner's, BASE/, and one for each share slot,
 * BASE-sN/, whose command is CMD and the slot's mode and grant
 * (holder.h). Returns 0, or -1 with a reason in ERR.
 */
int	argv_backend(struct tg_argv *out, const struct argv_backend *b,
	    const struct tg_argv *cmd, char *err, size_t errlen);

#endif
