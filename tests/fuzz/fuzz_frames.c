/*
 * fuzz_frames.c - libFuzzer target: the frames between termgate-pty
 * attach and the holder (src/pty/proto.c), read as each end reads them,
 * with what any process that reaches the socket may send.
 *
 * Input: a byte giving the size of each read (1-256 bytes, as a socket
 * may cut a stream anywhere), then the stream. The holder's side takes
 * the frames as client_read does and does with them what frame() does
 * short of the shell: INPUT goes to the command capture and the screen,
 * RESIZE resizes the screen, anything else drops the client. attach's
 * side reads the same stream, where only OUTPUT is a frame.
 *
 * Asserted: the frames taken, written again, are exactly the bytes the
 * stream began with (nothing lost, nothing made up); a stream is refused
 * only at a length over PROTO_MAX; a RESIZE taken names a size within
 * PROTO_*_MAX; no sanitizer report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "log.h"
#include "proto.h"
#include "screen.h"

static char cmds[64];
static struct proto_rx rx;

/* One end's reading of DATA (SIZE bytes), CHUNK bytes a read: the bytes
 * its frames took, whether it refused the stream. HOLDER: the holder's
 * side (acts on frames), else attach's. */
static size_t
read_end(const uint8_t *data, size_t size, size_t chunk, int holder,
    struct screen *scr, struct capture *cap, int *refused)
{
	struct capture_tty tty = capture_tty(CAPTURE_ECHO | CAPTURE_CANON);
	struct capture_time t = { 1700000000000LL, 0 };
	const unsigned char *p;
	unsigned char *room;
	size_t off = 0, taken = 0, space, n, len;
	int type, rv, cols, rows;

	memset(&rx, 0, sizeof(rx));
	*refused = 0;
	while (off < size) {
		room = proto_rx_room(&rx, &space);
		if (space == 0)
			abort();	/* a whole frame was left untaken */
		n = size - off < chunk ? size - off : chunk;
		n = n < space ? n : space;
		memcpy(room, data + off, n);
		proto_rx_got(&rx, n);
		off += n;
		while ((rv = proto_rx_next(&rx, &type, &p, &len)) == 1) {
			if (len > PROTO_MAX || p < rx.buf ||
			    p + len > rx.buf + sizeof(rx.buf) ||
			    memcmp(p, data + taken + PROTO_HDR, len) != 0 ||
			    type != data[taken])
				abort();
			taken += PROTO_HDR + len;
			if (!holder && type != PROTO_OUTPUT)
				return taken;	/* attach: malformed */
			if (!holder)
				continue;
			if (type == PROTO_INPUT) {
				capture_input(cap, (const char *)p, len,
				    "", &tty, scr, &t);
				continue;
			}
			if (type != PROTO_RESIZE ||
			    proto_resize(p, len, &cols, &rows) == -1)
				return taken;	/* holder: drop */
			if (cols < PROTO_COLS_MIN || cols > PROTO_COLS_MAX ||
			    rows < 1 ||
			    rows > PROTO_ROWS_MAX)
				abort();
			screen_resize(scr, cols, rows);
		}
		if (rv == -1) {
			if (size - taken < PROTO_HDR ||
			    proto_len(data + taken) <= PROTO_MAX)
				abort();
			*refused = 1;
			return taken;
		}
	}
	return taken;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init("fuzz_frames");
	snprintf(cmds, sizeof(cmds), "/tmp/fuzz_frames.%ld.cmds",
	    (long)getpid());
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capture_time t = { 1700000000000LL, 0 };
	struct screen *scr;
	struct capture *cap;
	size_t chunk;
	int refused;

	if (size < 1)
		return 0;
	chunk = 1 + (size_t)data[0];
	unlink(cmds);
	if ((scr = screen_new(80, 24)) == NULL ||
	    (cap = capture_open(cmds, 0, 0)) == NULL)
		abort();
	(void)read_end(data + 1, size - 1, chunk, 1, scr, cap, &refused);
	(void)read_end(data + 1, size - 1, chunk, 0, NULL, NULL, &refused);
	capture_close(cap, &t);
	screen_free(scr);
	return 0;
}
