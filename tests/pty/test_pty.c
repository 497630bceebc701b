/*
 * test_pty.c - runs the unit test suites of termgate-pty: the mark
 * parser, the asciicast writer, the screen model's paint and the command
 * capture. CUnit does not set the exit status, so main turns failures
 * into a non-zero status for make check.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "suites.h"

static int (*const suites[])(void) = {
	suite_marks_register,
	suite_cast_register,
	suite_screen_register,
	suite_capture_register,
	suite_proto_register,
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

char *
t_slurp(const char *path, size_t *len)
{
	FILE *f;
	char *p = NULL;
	long n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (p = malloc(n + 1)) != NULL) {
		*len = fread(p, 1, n, f);
		p[*len] = '\0';
	}
	fclose(f);
	return p;
}

int
t_tmpfile(char *buf, size_t len)
{
	int fd;

	if ((size_t)snprintf(buf, len, "/tmp/test-pty.XXXXXX") >= len ||
	    (fd = mkstemp(buf)) == -1)
		return -1;
	close(fd);
	return 0;
}

int
main(void)
{
	unsigned int failures, tests_failed, suites_failed;
	size_t i;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "test-pty: %s\n", CU_get_error_msg());
		return 1;
	}
	for (i = 0; i < T_NELEM(suites); i++) {
		if (suites[i]() == -1) {
			fprintf(stderr, "test-pty: %s\n", CU_get_error_msg());
			CU_cleanup_registry();
			return 1;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS) {
		fprintf(stderr, "test-pty: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 1;
	}
	failures = CU_get_number_of_failures();
	tests_failed = CU_get_number_of_tests_failed();
	suites_failed = CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return (failures != 0 || tests_failed != 0 || suites_failed != 0);
}
