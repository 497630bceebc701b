/*
 * suites.h - the unit test suites of termgate-pty that test_pty.c runs.
 *
 * Each t_*.c file registers one CUnit suite; its register function returns
 * 0, or -1 when CUnit could not add the suite or one of its tests. The
 * helpers are those of tests/unit/suites.h.
 */
#ifndef TG_PTY_SUITES_H
#define TG_PTY_SUITES_H

#include <stddef.h>

#include <CUnit/CUnit.h>

int	suite_marks_register(void);	/* t_marks.c */
int	suite_cast_register(void);	/* t_cast.c */
int	suite_screen_register(void);	/* t_screen.c */
int	suite_capture_register(void);	/* t_capture.c */
int	suite_proto_register(void);	/* t_proto.c */

/* Asserts COND; a failure is reported as DESC (naming the table row). */
#define T_ASSERT(cond, desc)						\
	CU_assertImplementation((cond) ? CU_TRUE : CU_FALSE, __LINE__,	\
	    (desc), __FILE__, "", CU_FALSE)

struct t_case {
	const char	*name;
	CU_TestFunc	 fn;
};

int	t_register(const char *name, const struct t_case *cases, size_t n);
/* The contents of PATH, NUL-terminated (free it); NULL if unreadable. */
char	*t_slurp(const char *path, size_t *len);
/* A new empty file under /tmp; its path in BUF (LEN bytes). 0 or -1. */
int	t_tmpfile(char *buf, size_t len);

#define T_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#endif
