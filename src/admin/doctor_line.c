/*
 * doctor_line.c - the lines of termgate-admin doctor's report: printed
 * as they come, or kept for the --json array. Below the checks of
 * doctor.c and doctor_host.c, which both write through it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "doctor.h"

void
doctor_line(struct doctor *d, const char *check, int ok, const char *fix,
    const char *fmt, ...)
{
	char msg[1024];
	json_object *o;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!ok)
		d->failed++;
	if (d->lines == NULL) {
		printf("%-4s %-12s %s\n", ok ? "ok" : "FAIL", check, msg);
		if (!ok && fix != NULL)
			printf("     %-12s fix: %s\n", "", fix);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "check", json_object_new_string(check));
	json_object_object_add(o, "ok", json_object_new_boolean(ok));
	json_object_object_add(o, "message", json_object_new_string(msg));
	json_object_object_add(o, "fix", ok || fix == NULL ? NULL :
	    json_object_new_string(fix));
	json_object_array_add(d->lines, o);
}
