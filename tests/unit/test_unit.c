/*
 * test_unit.c - runs every unit test suite of termgate.
 *
 * The suites test pure code (configuration, tokens, input checks, JSON,
 * and the seed's cases that need no database) without a database or
 * network, and the process toolkit on real children (the binary, run
 * with TG_UNIT_CHILD=report, is also the program they exec). CUnit does
 * not set the exit status, so
 * main turns failed assertions, failed tests, failed suites and registry
 * errors into a non-zero status for make check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "suites.h"

static int (*const suites[])(void) = {
	suite_cfg_register,
	suite_tok_register,
	suite_valid_register,
	suite_json_register,
	suite_seed_register,
	suite_argv_register,
	suite_http_register,
	suite_endpoint_register,
	suite_hist_register,
	suite_log_register,
	suite_prom_register,
	suite_which_register,
	suite_nodeauth_register,
	suite_hmac_register,
	suite_hop_register,
	suite_vis_register,
	suite_proc_register,
	suite_sessfile_register,
	suite_holder_register,
	suite_fsm_register,
	suite_cmdrec_register,
	suite_probe_register,
	suite_inflight_register,	/* maps the table the others lack */
};

int
t_register(const char *name, const struct t_case *cases, size_t n)
{
	CU_pSuite s;
	size_t i;

	if ((s = CU_add_suite(name, NULL, NULL)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (CU_add_test(s, cases[i].name, cases[i].fn) == NULL)
			return -1;
	return 0;
}

int
main(void)
{
	unsigned int failures, tests_failed, suites_failed;
	const char *role = getenv("TG_UNIT_CHILD");
	size_t i;

	/* Exec'd by t_proc.c's children to say what they inherited. */
	if (role != NULL && strcmp(role, "report") == 0)
		return t_proc_report();
	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "test-unit: %s\n", CU_get_error_msg());
		return 1;
	}
	for (i = 0; i < T_NELEM(suites); i++) {
		if (suites[i]() == -1) {
			fprintf(stderr, "test-unit: %s\n", CU_get_error_msg());
			CU_cleanup_registry();
			return 1;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS) {
		fprintf(stderr, "test-unit: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 1;
	}
	failures = CU_get_number_of_failures();
	tests_failed = CU_get_number_of_tests_failed();
	suites_failed = CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return (failures != 0 || tests_failed != 0 || suites_failed != 0);
}
