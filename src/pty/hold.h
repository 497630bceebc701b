/* hold.h - "termgate-pty hold": the session's pty and its clients. */
#ifndef TG_PTY_HOLD_H
#define TG_PTY_HOLD_H

#include "holder.h"

/* Runs the session of O (parsed by holder_parse). */
int	hold_main(const struct holder_opts *);

#endif
