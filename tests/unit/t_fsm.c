/*
 * t_fsm.c - every cell of a terminal's transition table (supervisor's
 * fsm.c): each allowed move goes where it should and does what it
 * should, and every other event is refused in every state.
 */
#include <stdio.h>

#include "supervisor/fsm.h"
#include "suites.h"

static const struct {
	enum term_state	 from;
	enum term_event	 ev;
	enum term_state	 to;
	enum term_act	 act;
} allowed[] = {
	{ T_STARTING, TE_PROBED, T_READY, TA_NONE },
	{ T_STARTING, TE_ADOPTED, T_ACTIVE, TA_NONE },
	{ T_STARTING, TE_STOP, T_STOPPING, TA_STOP },
	{ T_READY, TE_MARKED, T_ACTIVE, TA_NONE },
	{ T_READY, TE_STOP, T_STOPPING, TA_STOP },
	{ T_ACTIVE, TE_STOP, T_STOPPING, TA_STOP },
	{ T_STOPPING, TE_STOP, T_STOPPING, TA_NONE },
	{ T_STOPPING, TE_GRACE, T_KILLED, TA_KILL },
	{ T_KILLED, TE_STOP, T_KILLED, TA_NONE },
};

/* The row of ALLOWED for S x E, or -1. */
static int
row_of(enum term_state s, enum term_event e)
{
	size_t i;

	for (i = 0; i < T_NELEM(allowed); i++)
		if (allowed[i].from == s && allowed[i].ev == e)
			return (int)i;
	return -1;
}

static void
test_table(void)
{
	const struct term_move *m;
	char desc[80];
	int s, e, r;

	for (s = 0; s < T_NSTATES; s++)
		for (e = 0; e < TE_NEVENTS; e++) {
			m = fsm_next(s, e);
			r = row_of(s, e);
			snprintf(desc, sizeof(desc), "%s x %s",
			    fsm_state_name(s), fsm_event_name(e));
			CU_ASSERT_PTR_NOT_NULL_FATAL(m);
			T_ASSERT(m->ok == (r != -1), desc);
			if (r == -1)
				continue;
			T_ASSERT(m->to == allowed[r].to, desc);
			T_ASSERT(m->act == allowed[r].act, desc);
		}
}

static void
test_out_of_range(void)
{
	CU_ASSERT(!fsm_next(T_NSTATES, TE_STOP)->ok);
	CU_ASSERT(!fsm_next(T_ACTIVE, TE_NEVENTS)->ok);
	CU_ASSERT_STRING_EQUAL(fsm_state_name(T_NSTATES), "?");
	CU_ASSERT_STRING_EQUAL(fsm_event_name(TE_NEVENTS), "?");
}

/* Every state can be left for a stop, and every stop ends killed. */
static void
test_paths(void)
{
	int s;

	for (s = 0; s < T_NSTATES; s++)
		CU_ASSERT(fsm_next(s, TE_STOP)->ok);
	CU_ASSERT_EQUAL(fsm_next(fsm_next(T_ACTIVE, TE_STOP)->to,
	    TE_GRACE)->to, T_KILLED);
}

int
suite_fsm_register(void)
{
	static const struct t_case cases[] = {
		{ "each cell: allowed moves, the rest refused", test_table },
		{ "out of range is refused", test_out_of_range },
		{ "every state stops, every stop can be killed", test_paths },
	};

	return t_register("fsm", cases, T_NELEM(cases));
}
