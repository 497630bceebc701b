/* attach.h - "termgate-pty attach": a terminal backend's command. */
#ifndef TG_PTY_ATTACH_H
#define TG_PTY_ATTACH_H

int	attach_main(const char *);

#endif
