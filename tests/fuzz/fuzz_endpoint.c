/*
 * fuzz_endpoint.c - libFuzzer target: the endpoint parser
 * (src/endpoint.c), which reads sessions.endpoint before the supervisor
 * connects to, unlinks or chowns what it names.
 *
 * Input: lines TEXT, DIR and ID. Asserted: an accepted endpoint formats
 * back to exactly TEXT and parses again to the same thing; its upstream
 * form fits; ep_parse_session accepts a unix endpoint only when it is
 * exactly DIR/ID.sock for a valid session id.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "fuzz.h"
#include "valid.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields ff;
	struct tg_endpoint ep, again, want;
	struct sockaddr_storage sa;
	socklen_t salen;
	char text[EP_TEXT_MAX + 1], up[EP_TEXT_MAX + 2];

	fuzz_fields(&ff, data, size, 3);
	if (ep_parse(&ep, ff.f[0]) == 0) {
		if (ep_format(&ep, text, sizeof(text)) != 0 ||
		    strcmp(text, ff.f[0]) != 0 ||
		    ep_parse(&again, text) != 0 || again.kind != ep.kind ||
		    strcmp(again.path, ep.path) != 0 ||
		    again.port != ep.port ||
		    ep_upstream(&ep, up, sizeof(up)) != 0)
			abort();
		ep_sockaddr(&ep, &sa, &salen);
	}
	if (ep_parse_session(&ep, ff.f[0], ff.f[1], ff.f[2]) == 0) {
		if (!valid_session_id(ff.f[2]))
			abort();
		if (ep.kind == EP_UNIX &&
		    (ep_session_socket(&want, ff.f[1], ff.f[2],
		    SESSFILE_SOCK) != 0 ||
		    strcmp(want.path, ep.path) != 0))
			abort();
	}
	(void)ep_session_socket(&want, ff.f[1], ff.f[2], SESSFILE_SOCK);
	fuzz_fields_free(&ff, 3);
	return 0;
}
