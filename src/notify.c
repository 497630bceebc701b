/*
 * notify.c - reading the payloads defined in notify.h.
 */
#include <string.h>

#include "notify.h"
#include "valid.h"

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

int
notify_drop(const char *payload, char id[65], char grant[65])
{
	if (strlen(payload) != 129 || payload[64] != ' ')
		return -1;
	memcpy(id, payload, 64);
	id[64] = '\0';
	memcpy(grant, payload + 65, 64);
	grant[64] = '\0';
	return valid_session_id(id) && valid_session_id(grant) ? 0 : -1;
}
