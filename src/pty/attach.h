/* attach.h - "termgate-pty attach": a terminal backend's command. */
#ifndef TG_PTY_ATTACH_H
#define TG_PTY_ATTACH_H

/* Attaches stdin/stdout to the holder on socket PATH; exit status. */
int	attach_main(const char *path);
/* The same to session ID's holder in socket_dir DIR, ID checked. */
int	attach_session(const char *dir, const char *id);

#endif
