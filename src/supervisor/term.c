/*
 * term.c - the terminals the supervisor holds, and their states.
 *
 * A terminal is two processes, each in a session and process group of
 * its own so that stopping it reaches whatever it started: the pty
 * holder (termgate-pty hold), which runs the session's shell for the
 * session's whole life, and the backend (ttyd or shellinaboxd), which
 * runs `termgate-pty attach` for each browser connection. The list of
 * them is kept here, and every change of a terminal's state goes through
 * term_event, which follows fsm.c's table and does what a move does to
 * the processes: a stop closes the readiness probe, sets the kill
 * deadline and sends SIGTERM (SIGKILL without a grace); the end of the
 * grace sends SIGKILL.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "sup.h"

struct term *
term_find(struct sup *sup, const char *id)
{
	struct term *t;

	TAILQ_FOREACH(t, &sup->terms, entry)
		if (strcmp(t->id, id) == 0)
			return t;
	return NULL;
}

struct term *
term_find_pid(struct sup *sup, pid_t pid, struct tproc **p)
{
	struct term *t;

	TAILQ_FOREACH(t, &sup->terms, entry) {
		if (t->backend.pid == pid && t->backend.child)
			*p = &t->backend;
		else if (t->holder.pid == pid && t->holder.child)
			*p = &t->holder;
		else
			continue;
		return t;
	}
	return NULL;
}

struct term *
term_new(struct sup *sup, const char *id, const struct tg_endpoint *ep)
{
	struct term *t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		log_err("session=%.12s out of memory", id);
		return NULL;
	}
	strlcpy(t->id, id, sizeof(t->id));
	t->probe = t->backend.pidfd = t->holder.pidfd = t->mon = -1;
	t->acct = -1;
	t->ep = *ep;
	t->gw = sup->cfg.terminal_gateway;
	/* socket_dir is short (cfg.c): DIR/ID.pty always fits. */
	(void)ep_session_socket(&t->pty, sup->cfg.socket_dir, id,
	    SESSFILE_PTY);
	t->state = T_STARTING;
	t->started = clock_ms();
	t->deadline = t->started + sup->cfg.spawn_timeout * 1000LL;
	TAILQ_INSERT_TAIL(&sup->terms, t, entry);
	sup->nterms++;
	return t;
}

void
term_free(struct sup *sup, struct term *t)
{
	probe_close(t);
	mon_close(t);
	tproc_gone(&t->backend);
	tproc_gone(&t->holder);
	TAILQ_REMOVE(&sup->terms, t, entry);
	sup->nterms--;
	free(t);
}

/* TA_STOP: SIGTERM now and SIGKILL after kill_grace, or SIGKILL now. */
static void
act_stop(struct sup *sup, struct term *t, enum term_mark mark,
    const char *why)
{
	probe_close(t);
	t->mark = mark;
	t->deadline = clock_ms() + sup->cfg.kill_grace * 1000LL;
	log_info("session=%.12s stop backend=%ld holder=%ld reason=%s", t->id,
	    (long)t->backend.pid, (long)t->holder.pid, why);
	if (sup->cfg.kill_grace > 0)
		tproc_signal(t, SIGTERM);
	else
		(void)term_event(sup, t, TE_GRACE, mark, why);
}

int
term_event(struct sup *sup, struct term *t, enum term_event ev,
    enum term_mark mark, const char *why)
{
	const struct term_move *m = fsm_next(t->state, ev);

	if (!m->ok) {
		log_warn("session=%.12s event %s refused in state %s", t->id,
		    fsm_event_name(ev), fsm_state_name(t->state));
		return -1;
	}
	t->state = m->to;
	switch (m->act) {
	case TA_STOP:
		act_stop(sup, t, mark, why);
		break;
	case TA_KILL:
		tproc_signal(t, SIGKILL);
		break;
	case TA_NONE:
		break;
	}
	return 0;
}

void
term_stop(struct sup *sup, struct term *t, enum term_mark mark,
    const char *why)
{
	(void)term_event(sup, t, TE_STOP, mark, why);
}

int
term_starting(const struct term *t)
{
	return t->state == T_STARTING || t->state == T_READY;
}

int
term_stopping(const struct term *t)
{
	return t->state == T_STOPPING || t->state == T_KILLED;
}
