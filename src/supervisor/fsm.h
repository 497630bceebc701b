/*
 * fsm.h - a terminal's states, the events that move it, and the table
 * of which event moves it where (term_event in term.c follows it).
 */
#ifndef TG_SUP_FSM_H
#define TG_SUP_FSM_H

enum term_state {
	T_STARTING,		/* spawned, not yet accepting */
	T_READY,		/* accepts; not yet marked active */
	T_ACTIVE,		/* marked active in the database */
	T_STOPPING,		/* SIGTERM sent, waiting for it to go */
	T_KILLED,		/* SIGKILL sent, waiting for it to go */
	T_NSTATES
};

enum term_event {
	TE_PROBED,		/* both processes accept */
	TE_MARKED,		/* the database marked it active */
	TE_ADOPTED,		/* found running after a restart */
	TE_STOP,		/* it must go (any reason) */
	TE_GRACE,		/* kill_grace is over */
	TE_NEVENTS
};

/* What entering the new state does to the processes. */
enum term_act {
	TA_NONE,
	TA_STOP,		/* SIGTERM (SIGKILL without a grace) */
	TA_KILL			/* SIGKILL */
};

struct term_move {
	int		 ok;		/* 0: the event is refused here */
	enum term_state	 to;
	enum term_act	 act;
};

/* The move of EVENT in STATE; its ok is 0 when the table refuses it.
 * Never NULL. */
const struct term_move	*fsm_next(enum term_state, enum term_event);
/* Names for the log. Cannot fail. */
const char		*fsm_state_name(enum term_state);
const char		*fsm_event_name(enum term_event);

#endif
