/*
 * doctor_line.c - the lines of termgate-admin doctor's report: printed
 * as they come, or kept for the --json array. Below the checks of
 * doctor.c and doctor_host.c, which both write through it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "doctor.h"

/* OK: 1 ok, 0 failed, 2 a warning. */
static void
line(struct doctor *d, const char *check, int ok, const char *fix,
    const char *fmt, va_list ap)
{
	char msg[1024];
	json_object *o;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (!ok)
		d->failed++;
	if (d->lines == NULL) {
		printf("%-4s %-12s %s\n", ok == 1 ? "ok" : ok == 2 ? "WARN" :
		    "FAIL", check, msg);
		if (ok != 1 && fix != NULL)
			printf("     %-12s fix: %s\n", "", fix);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "check", json_object_new_string(check));
	json_object_object_add(o, "ok", json_object_new_boolean(ok != 0));
	if (ok == 2)
		json_object_object_add(o, "warn", json_object_new_boolean(1));
	json_object_object_add(o, "message", json_object_new_string(msg));
	json_object_object_add(o, "fix", ok == 1 || fix == NULL ? NULL :
	    json_object_new_string(fix));
	json_object_array_add(d->lines, o);
}

void
doctor_line(struct doctor *d, const char *check, int ok, const char *fix,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line(d, check, ok ? 1 : 0, fix, fmt, ap);
	va_end(ap);
}

void
doctor_warn(struct doctor *d, const char *check, const char *fix,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line(d, check, 2, fix, fmt, ap);
	va_end(ap);
}
