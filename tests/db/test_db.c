/*
 * test_db.c - the db suites: the session and history repositories
 * against a real PostgreSQL (started by tests/db/run). Arguments name
 * suites to run; none runs all. Exits non-zero on any failure.
 */
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "dbt.h"
#include "log.h"
#include "suites.h"

#define T_NSUITES(a)	(sizeof(a) / sizeof((a)[0]))

int
main(int argc, char *argv[])
{
	CU_SuiteInfo all[] = { suite_seed, suite_repo, suite_conc, suite_spool,
	    suite_roles, suite_access, suite_hist, suite_latency, suite_nodes,
	    suite_audit, suite_shares,
	    CU_SUITE_INFO_NULL };
	CU_SuiteInfo pick[T_NSUITES(all)];
	int i, j, n = 0, failed;

	log_init("test-db");
	for (i = 1; i < argc; i++)
		for (j = 0; all[j].pName != NULL; j++)
			if (strcmp(argv[i], all[j].pName) == 0 &&
			    n < (int)T_NSUITES(all) - 1)
				pick[n++] = all[j];
	pick[n] = (CU_SuiteInfo)CU_SUITE_INFO_NULL;
	if (dbt_init() == -1)
		return 1;
	if (CU_initialize_registry() != CUE_SUCCESS ||
	    CU_register_suites(argc > 1 ? pick : all) != CUE_SUCCESS) {
		fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
		return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() != 0 ||
	    CU_get_number_of_tests_failed() != 0 || (argc > 1 && n == 0);
	CU_cleanup_registry();
	dbt_fini();
	return failed;
}
