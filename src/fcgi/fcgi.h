/*
 * fcgi.h - termgate-fcgi's processes: what the master (master.c) needs
 * of a worker (worker.c). The request layer is http.h, the route table
 * route.h, the handlers api.h.
 */
#ifndef TG_FCGI_H
#define TG_FCGI_H

#include <signal.h>

struct tg_cfg;

/* The worker's main loop (worker.c); never returns. */
void		 worker_main(int listen_fd, const struct tg_cfg *,
		    int slot) __attribute__((noreturn));
/* Set by the worker's signal handler; the accept loop ends on it. */
extern volatile sig_atomic_t worker_stop;

#endif
