/* attach.h - "termgate-pty attach": a terminal backend's command. */
#ifndef TG_PTY_ATTACH_H
#define TG_PTY_ATTACH_H

/* Attaches stdin/stdout to the holder on socket PATH, as a client of
 * MODE ("view" or "control") under GRANT, or as the owner when both are
 * NULL; exit status. */
int	attach_main(const char *path, const char *mode, const char *grant);
/* The same to session ID's holder in socket_dir DIR, ID checked. */
int	attach_session(const char *dir, const char *id, const char *mode,
	    const char *grant);

#endif
