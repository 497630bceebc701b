/* doctor.h - termgate-admin doctor's report and its lines
 * (doctor_line.c), which its checks share. */
#ifndef TG_DOCTOR_H
#define TG_DOCTOR_H

#include <json-c/json.h>

struct admin;

struct doctor {
	struct admin	*a;
	json_object	*lines;		/* --json: the array printed at the end */
	const char	*nginx_user;	/* --nginx-user, or NULL: nginx -T */
	int		 failed;	/* lines not ok */
};

/*
 * One line of the report: CHECK (a short name), whether it is OK, what
 * was found (FMT...) and, when not ok, FIX: what to do about it. Printed
 * at once, or kept for the JSON array. Cannot fail.
 */
void	doctor_line(struct doctor *, const char *check, int ok,
	    const char *fix, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* A line that is ok but says what the operator should know (WARN): it
 * does not fail the report. */
void	doctor_warn(struct doctor *, const char *check, const char *fix,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
