/*
 * notify.c - reading the payloads defined in notify.h.
 */
#include <string.h>

#include "notify.h"

int
notify_ready(const char *payload, const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || strncmp(payload, id, n) != 0 || payload[n] != ' ')
		return -1;
	payload += n + 1;
	if (strcmp(payload, NOTIFY_READY_OK) == 0)
		return 1;
	if (strcmp(payload, NOTIFY_READY_FAILED) == 0)
		return 0;
	return -1;
}
