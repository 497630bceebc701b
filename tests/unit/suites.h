/*
 * suites.h - the unit test suites that test_unit.c runs.
 *
 * Each t_*.c file registers one CUnit suite; its register function returns
 * 0, or -1 when CUnit could not add the suite or one of its tests.
 */
#ifndef TG_SUITES_H
#define TG_SUITES_H

#include <stddef.h>

#include <CUnit/CUnit.h>

int	suite_cfg_register(void);
int	suite_tok_register(void);
int	suite_valid_register(void);
int	suite_json_register(void);
int	suite_seed_register(void);	/* t_seed.c */
int	suite_argv_register(void);	/* t_argv.c */
int	suite_http_register(void);	/* t_http.c */
int	suite_endpoint_register(void);	/* t_endpoint.c */
int	suite_hist_register(void);	/* t_hist.c */
int	suite_log_register(void);	/* t_log.c */
int	suite_prom_register(void);	/* t_prom.c */
int	suite_which_register(void);	/* t_which.c */
int	suite_nodeauth_register(void);	/* t_nodeauth.c */
int	suite_hmac_register(void);	/* t_hmac.c */
int	suite_hop_register(void);	/* t_hop.c */
int	suite_vis_register(void);	/* t_vis.c */
int	suite_proc_register(void);	/* t_proc.c */
int	suite_sessfile_register(void);	/* t_holder.c */
int	suite_holder_register(void);	/* t_holder.c */
int	suite_fsm_register(void);	/* t_fsm.c */
int	suite_cmdrec_register(void);	/* t_cmdrec.c */
int	suite_probe_register(void);	/* t_probe.c */
int	suite_inflight_register(void);	/* t_inflight.c, last */

/* t_proc.c: what an exec'd child inherited, on stdout (TG_UNIT_CHILD). */
int	t_proc_report(void);

/*
 * Asserts COND and, when it fails, reports DESC (a string naming the table
 * row) instead of the expression, so a failing row names itself.
 */
#define T_ASSERT(cond, desc)						\
	CU_assertImplementation((cond) ? CU_TRUE : CU_FALSE, __LINE__,	\
	    (desc), __FILE__, "", CU_FALSE)

/* One row of a suite's test list. */
struct t_case {
	const char	*name;
	CU_TestFunc	 fn;
};

/* Adds suite NAME with the N tests of CASES; 0, or -1 on a CUnit error. */
int	t_register(const char *name, const struct t_case *cases, size_t n);

#define T_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#endif
