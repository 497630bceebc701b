/* suites.h - the db suites of test-db. */
#ifndef TG_DB_SUITES_H
#define TG_DB_SUITES_H

#include <CUnit/CUnit.h>

extern CU_SuiteInfo suite_seed;
extern CU_SuiteInfo suite_repo;
extern CU_SuiteInfo suite_conc;
extern CU_SuiteInfo suite_hist;
extern CU_SuiteInfo suite_spool;
extern CU_SuiteInfo suite_roles;
extern CU_SuiteInfo suite_access;
extern CU_SuiteInfo suite_latency;
extern CU_SuiteInfo suite_nodes;
extern CU_SuiteInfo suite_audit;
extern CU_SuiteInfo suite_shares;

#endif
