/*
 * fsm.c - the table of a terminal's state transitions.
 *
 * One row per state, one column per event, as s6-supervise and nginx's
 * master keep theirs: an empty cell is an event the state refuses (the
 * caller logs it and changes nothing). A starting terminal becomes ready
 * when both its processes accept, active once the database says so (or
 * at once when adopted after a restart); any state that still runs stops
 * on TE_STOP, a stopping one is killed when its grace is over, and a
 * second TE_STOP changes nothing. The end of a terminal (both processes
 * gone) is not a state: the terminal is freed. Pure: no process, clock
 * or database here, so that the unit tests check every cell.
 */
#include "fsm.h"

#define GO(s, a)	{ 1, (s), (a) }

static const struct term_move table[T_NSTATES][TE_NEVENTS] = {
	[T_STARTING] = {
		[TE_PROBED] = GO(T_READY, TA_NONE),
		[TE_ADOPTED] = GO(T_ACTIVE, TA_NONE),
		[TE_STOP] = GO(T_STOPPING, TA_STOP),
	},
	[T_READY] = {
		[TE_MARKED] = GO(T_ACTIVE, TA_NONE),
		[TE_STOP] = GO(T_STOPPING, TA_STOP),
	},
	[T_ACTIVE] = {
		[TE_STOP] = GO(T_STOPPING, TA_STOP),
	},
	[T_STOPPING] = {
		[TE_STOP] = GO(T_STOPPING, TA_NONE),
		[TE_GRACE] = GO(T_KILLED, TA_KILL),
	},
	[T_KILLED] = {
		[TE_STOP] = GO(T_KILLED, TA_NONE),
	},
};

static const char *const state_names[T_NSTATES] = {
	[T_STARTING] = "starting", [T_READY] = "ready",
	[T_ACTIVE] = "active", [T_STOPPING] = "stopping",
	[T_KILLED] = "killed",
};

static const char *const event_names[TE_NEVENTS] = {
	[TE_PROBED] = "probed", [TE_MARKED] = "marked",
	[TE_ADOPTED] = "adopted", [TE_STOP] = "stop", [TE_GRACE] = "grace",
};

const struct term_move *
fsm_next(enum term_state s, enum term_event e)
{
	static const struct term_move refused = { 0, T_STARTING, TA_NONE };

	if ((unsigned)s >= T_NSTATES || (unsigned)e >= TE_NEVENTS)
		return &refused;
	return &table[s][e];
}

const char *
fsm_state_name(enum term_state s)
{
	return (unsigned)s < T_NSTATES ? state_names[s] : "?";
}

const char *
fsm_event_name(enum term_event e)
{
	return (unsigned)e < TE_NEVENTS ? event_names[e] : "?";
}
