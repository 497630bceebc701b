/*
 * cmdrec.c - the command record, written once for both of its sides.
 *
 * A finished command crosses two boundaries: termgate-pty's capture
 * appends it as a line to the session's command file, which the
 * supervisor's spool moves into command_history; and a shell hook may
 * POST it to the API, which hands it to the history repository. Both
 * readers take the same members with the same limits (the schema's
 * CHECKs on command_history), and the writer produces only what they
 * take, so that a record once written is never refused downstream: a
 * refused line would be skipped, and a line the database refused would
 * block the batch behind it. The limits, the source names and their
 * default, the line format and its reading all live here.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmdrec.h"
#include "jsonx.h"
#include "valid.h"

static const char *const source_names[] = {
	[CMDREC_SHELL] = "shell", [CMDREC_TYPED] = "typed",
	[CMDREC_CLAIMED] = "claimed",
};

static const struct {
	const char	*field, *why;
} whys[] = {
	{ "command", "a string of 1-8192 bytes" },
	{ "exit_status", "a 32-bit integer" },
	{ "cwd", "a string of 1-4096 bytes" },
	{ "started_at", "an RFC 3339 time, e.g. 2026-11-24T18:41:07Z" },
	{ "finished_at", "an RFC 3339 time, not before started_at" },
	{ "source", "shell, typed or claimed" },
	{ "recording_offset", "seconds, 0 or more" },
};

const char *
cmdrec_source_name(enum cmdrec_source s)
{
	return source_names[s == CMDREC_TYPED || s == CMDREC_CLAIMED ? s :
	    CMDREC_SHELL];
}

int
cmdrec_source_parse(const char *s, enum cmdrec_source *out)
{
	size_t i;

	for (i = 0; i < sizeof(source_names) / sizeof(source_names[0]); i++)
		if (strcmp(s, source_names[i]) == 0) {
			*out = (enum cmdrec_source)i;
			return 0;
		}
	return -1;
}

const char *
cmdrec_why(const char *field)
{
	size_t i;

	for (i = 0; i < sizeof(whys) / sizeof(whys[0]); i++)
		if (strcmp(field, whys[i].field) == 0)
			return whys[i].why;
	return "invalid";
}

/* KEY of O into *V: 1 when it holds a value, 0 when absent or null. */
static int
member(json_object *o, const char *key, json_object **v)
{
	return json_object_object_get_ex(o, key, v) && *v != NULL;
}

/* A string member of 1-MAX bytes without NUL: 0 (or absent), -1. */
static int
get_text(json_object *o, const char *key, size_t max, const char **s,
    size_t *len)
{
	json_object *v;

	*s = NULL;
	*len = 0;
	if (!member(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	*s = json_object_get_string(v);
	*len = (size_t)json_object_get_string_len(v);
	return *len == 0 || *len > max || strlen(*s) != *len ? -1 : 0;
}

/* A time member into *US; *HAS says whether it was there; 0 or -1. */
static int
get_time(json_object *o, const char *key, int *has, int64_t *us)
{
	json_object *v;

	if (!(*has = member(o, key, &v)))
		return 0;
	return json_object_is_type(v, json_type_string) &&
	    valid_rfc3339(json_object_get_string(v), us) ? 0 : -1;
}

static int
get_exit(json_object *o, struct cmdrec *r)
{
	json_object *v;
	int64_t n;

	if (!(r->has_exit = member(o, "exit_status", &v)))
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return -1;
	n = json_object_get_int64(v);
	if (n < INT32_MIN || n > INT32_MAX)
		return -1;
	r->exit_status = (int)n;
	return 0;
}

static int
get_source(json_object *o, struct cmdrec *r)
{
	json_object *v;

	r->source = CMDREC_SOURCE_DEFAULT;
	if (!member(o, "source", &v))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	return cmdrec_source_parse(json_object_get_string(v), &r->source);
}

/* Seconds (an integer or a fraction, under a million years) into us. */
static int
get_offset(json_object *o, struct cmdrec *r)
{
	json_object *v;
	double d;

	if (!(r->has_offset = member(o, "recording_offset", &v)))
		return 0;
	if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		return -1;
	d = json_object_get_double(v);
	if (!isfinite(d) || d < 0 || d > 3e13)
		return -1;
	r->offset_us = (int64_t)(d * 1e6 + 0.5);
	return 0;
}

const char *
cmdrec_from_json(json_object *o, struct cmdrec *r)
{
	memset(r, 0, sizeof(*r));
	if (!json_object_is_type(o, json_type_object) ||
	    get_text(o, "command", CMDREC_COMMAND_MAX, &r->command,
	    &r->command_len) == -1 || r->command == NULL)
		return "command";
	if (get_exit(o, r) == -1)
		return "exit_status";
	if (get_text(o, "cwd", CMDREC_CWD_MAX, &r->cwd, &r->cwd_len) == -1)
		return "cwd";
	if (get_time(o, "started_at", &r->has_started, &r->started_us) == -1)
		return "started_at";
	if (get_time(o, "finished_at", &r->has_finished, &r->finished_us) ==
	    -1 || (r->has_started && r->has_finished &&
	    r->finished_us < r->started_us))
		return "finished_at";
	if (get_source(o, r) == -1)
		return "source";
	if (get_offset(o, r) == -1)
		return "recording_offset";
	return NULL;
}

/*
 * Copies S (LEN bytes) into OUT as storable UTF-8 (NULs and bytes that
 * start no character become U+FFFD), whole characters up to MAX bytes;
 * OUT has MAX + 1 bytes. Returns the bytes written; *USED says how many
 * bytes of S they hold.
 */
static size_t
clean(const char *s, size_t len, char *out, size_t max, size_t *used)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0, n;

	while (i < len) {
		if (p[i] != 0 && p[i] < 0x80)
			n = 1;
		else if (p[i] != 0)
			n = valid_utf8_seq(p + i, len - i);
		else
			n = 0;
		if (o + (n ? n : 3) > max)
			break;
		if (n)
			memcpy(out + o, p + i, n);
		else
			memcpy(out + o, "\xef\xbf\xbd", 3);
		o += n ? n : 3;
		i += n ? n : 1;
	}
	out[o] = '\0';
	*used = i;
	return o;
}

/* US as "YYYY-MM-DDTHH:MM:SS.ffffffZ", a new string, or NULL. */
static json_object *
time_json(int64_t us)
{
	int64_t sec = us / 1000000, frac = us % 1000000;
	char t[96];
	struct tm tm;
	time_t tt;

	if (frac < 0) {
		frac += 1000000;
		sec--;
	}
	tt = (time_t)sec;
	if (gmtime_r(&tt, &tm) == NULL)
		return NULL;
	/* Four digits of year (strftime's %Y writes year 999 as "999"). */
	snprintf(t, sizeof(t), "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (long long)frac);
	return json_object_new_string(t);
}

/* Seconds with six decimals, written as such (not as %.17g). */
static json_object *
offset_json(int64_t us)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld.%06lld", (long long)(us / 1000000),
	    (long long)(us % 1000000));
	return json_object_new_double_s((double)us / 1e6, s);
}

static void
add(json_object *o, const char *key, int has, json_object *v)
{
	json_object_object_add(o, key, has ? v : NULL);
}

/*
 * The cwd S (LEN bytes) as clean text in OUT (CMDREC_CWD_MAX + 1 bytes):
 * a longer one is cut at a character and ends in CMDREC_CUT, so that it
 * is kept, and visibly not a whole path. Returns its length.
 */
static size_t
cwd_text(const char *s, size_t len, char *out)
{
	size_t n, used;

	n = clean(s, len, out, CMDREC_CWD_MAX, &used);
	if (used == len)
		return n;
	n = clean(s, len, out, CMDREC_CWD_MAX - strlen(CMDREC_CUT), &used);
	memcpy(out + n, CMDREC_CUT, strlen(CMDREC_CUT) + 1);
	return n + strlen(CMDREC_CUT);
}

json_object *
cmdrec_json(const struct cmdrec *r)
{
	char cmd[CMDREC_COMMAND_MAX + 1], cwd[CMDREC_CWD_MAX + 1];
	size_t nc, nd = 0, used;
	json_object *o;

	nc = clean(r->command, r->command_len, cmd, CMDREC_COMMAND_MAX,
	    &used);
	if (r->cwd != NULL)
		nd = cwd_text(r->cwd, r->cwd_len, cwd);
	if ((o = json_object_new_object()) == NULL)
		return NULL;
	add(o, "command", 1, json_object_new_string_len(cmd, (int)nc));
	add(o, "exit_status", r->has_exit,
	    r->has_exit ? json_object_new_int(r->exit_status) : NULL);
	add(o, "cwd", nd > 0, nd > 0 ?
	    json_object_new_string_len(cwd, (int)nd) : NULL);
	add(o, "started_at", r->has_started,
	    r->has_started ? time_json(r->started_us) : NULL);
	add(o, "finished_at", r->has_finished,
	    r->has_finished ? time_json(r->finished_us) : NULL);
	add(o, "source", 1, json_object_new_string(
	    cmdrec_source_name(r->source)));
	add(o, "recording_offset", r->has_offset,
	    r->has_offset ? offset_json(r->offset_us) : NULL);
	if (r->by != NULL)
		add(o, "by", 1, json_object_new_string(r->by));
	return o;
}

int
cmdrec_encode(const struct cmdrec *r, char *out, size_t len)
{
	json_object *o;
	const char *s;
	size_t n;
	int rv = -1;

	if (r->command == NULL || r->command_len == 0 ||
	    (r->by != NULL && !valid_session_id(r->by)) ||
	    (o = cmdrec_json(r)) == NULL)
		return -1;
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_SPACED |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s != NULL && (n = strlen(s)) + 1 < len) {
		memcpy(out, s, n);
		out[n] = '\n';
		out[n + 1] = '\0';
		rv = (int)n + 1;
	}
	json_object_put(o);
	return rv;
}

int
cmdrec_decode(const char *line, size_t len, struct cmdrec *r,
    json_object **hold)
{
	json_object *v;

	if ((*hold = jsonx_parse(line, len)) == NULL)
		return -1;
	if (cmdrec_from_json(*hold, r) != NULL ||
	    (member(*hold, "by", &v) && (!json_object_is_type(v,
	    json_type_string) || !valid_session_id(r->by =
	    json_object_get_string(v))))) {
		json_object_put(*hold);
		*hold = NULL;
		return -1;
	}
	return 0;
}

/* The events a command file may carry, each with its one number. */
static const struct {
	const char	*kind, *key;
} events[] = {
	{ "capture_dropped", "dropped" },
	{ "capture_stopped", "max_bytes" },
	{ "recording_stopped", "max_bytes" },
	{ "recording_stopped", "errno" },
};

/* The row of KIND with KEY in events, or -1. */
static int
event_row(const char *kind, const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (strcmp(events[i].kind, kind) == 0 &&
		    strcmp(events[i].key, key) == 0)
			return (int)i;
	return -1;
}

int
cmdrec_event_encode(const char *kind, const char *key, long long value,
    char *out, size_t len)
{
	int n;

	if (event_row(kind, key) == -1 || value < 0)
		return -1;
	n = snprintf(out, len, "{\"event\": \"%s\", \"%s\": %lld}\n", kind,
	    key, value);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

int
cmdrec_event_decode(const char *line, size_t len, json_object **out)
{
	json_object *o, *kind, *v = NULL;
	int rv = -1;
	size_t i;

	*out = NULL;
	if ((o = jsonx_parse(line, len)) == NULL)
		return -1;
	if (!json_object_object_get_ex(o, "event", &kind)) {
		json_object_put(o);
		return 0;
	}
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (json_object_is_type(kind, json_type_string) &&
		    strcmp(json_object_get_string(kind), events[i].kind) == 0 &&
		    json_object_object_length(o) == 2 &&
		    json_object_object_get_ex(o, events[i].key, &v) &&
		    json_object_is_type(v, json_type_int) &&
		    json_object_get_int64(v) >= 0) {
			*out = json_object_new_object();
			json_object_object_add(*out, "event",
			    json_object_new_string(events[i].kind));
			json_object_object_add(*out, events[i].key,
			    json_object_new_int64(json_object_get_int64(v)));
			rv = 1;
			break;
		}
	json_object_put(o);
	return rv;
}
