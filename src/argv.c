/*
 * argv.c - the command lines of terminal backends, built without a shell.
 *
 * The supervisor starts ttyd or shellinabox with a command made from the
 * terminal_command template and the fields of a host row. Nothing here
 * goes through a shell: the template is split on spaces once, and each
 * word's {field}s are replaced by values that valid.h has checked, so a
 * value stays inside the word it was written in. A value may still not
 * start a word with '-' (ssh would read "-oProxyCommand=..." as an
 * option). shellinabox is the one place where a command is a string
 * again (its -s option); there the words are limited to bytes that
 * neither its splitting nor its ${...} expansion treat specially.
 * Everything is pure and writes into a caller's fixed-size struct.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "holder.h"
#include "valid.h"

/* Bytes a shellinabox command word may hold (see argv.h). */
#define SIAB_SAFE	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"0123456789_@%+=:,./-"

static int
valid_port(const char *s)
{
	const char *errstr;

	if (s == NULL || strspn(s, "0123456789") != strlen(s))
		return 0;
	(void)strtonum(s, 1, 65535, &errstr);
	return errstr == NULL;
}

/* A display name: 1-200 bytes, no control bytes. */
static int
valid_name(const char *s)
{
	size_t i, n;

	if (s == NULL || (n = strlen(s)) < 1 || n > 200)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

static const struct field {
	const char	*name;
	size_t		 off;
	int		(*valid)(const char *);
} fields[] = {
	{ "address", offsetof(struct argv_fields, address), valid_address },
	{ "ssh_user", offsetof(struct argv_fields, ssh_user),
	    valid_ssh_user },
	{ "ssh_port", offsetof(struct argv_fields, ssh_port), valid_port },
	{ "host_id", offsetof(struct argv_fields, host_id), valid_host_id },
	{ "host_name", offsetof(struct argv_fields, host_name), valid_name },
	{ "session_id", offsetof(struct argv_fields, session_id),
	    valid_session_id },
};

void
argv_reset(struct tg_argv *a)
{
	a->n = 0;
	a->used = 0;
	a->v[0] = NULL;
}

/* Starts a new empty word; -1 when full. */
static int
word_begin(struct tg_argv *a)
{
	if (a->n >= ARGV_MAX || a->used >= sizeof(a->buf))
		return -1;
	a->v[a->n++] = a->buf + a->used;
	a->v[a->n] = NULL;
	a->buf[a->used] = '\0';
	return 0;
}

/* Appends LEN bytes of S to the current word; -1 when full. */
static int
word_add(struct tg_argv *a, const char *s, size_t len)
{
	if (len + 1 > sizeof(a->buf) - a->used)
		return -1;
	memcpy(a->buf + a->used, s, len);
	a->used += len;
	a->buf[a->used] = '\0';
	return 0;
}

/* Ends the current word. */
static void
word_end(struct tg_argv *a)
{
	a->used++;
}

/* Adds the word S; -1 when full. */
static int
push(struct tg_argv *a, const char *s)
{
	if (word_begin(a) == -1 || word_add(a, s, strlen(s)) == -1)
		return -1;
	word_end(a);
	return 0;
}

int
argv_push(struct tg_argv *a, const char *s)
{
	return push(a, s);
}

/* Adds the word printf(FMT...); -1 when full or truncated. */
static int __attribute__((format(printf, 2, 3)))
pushf(struct tg_argv *a, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -1;
	return push(a, tmp);
}

/* The checked value of field NAME (LEN bytes), or NULL with ERR set. */
static const char *
lookup(const struct argv_fields *f, const char *name, size_t len,
    char *err, size_t errlen)
{
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strlen(fields[i].name) != len ||
		    strncmp(fields[i].name, name, len) != 0)
			continue;
		v = *(const char *const *)((const char *)f + fields[i].off);
		if (!fields[i].valid(v)) {
			snprintf(err, errlen, "invalid value for {%s}",
			    fields[i].name);
			return NULL;
		}
		return v;
	}
	snprintf(err, errlen, "unknown field {%.*s}", (int)len, name);
	return NULL;
}

/* Substitutes the word W (LEN bytes) of the template into OUT. */
static int
expand_word(struct tg_argv *out, const char *w, size_t len,
    const struct argv_fields *f, char *err, size_t errlen)
{
	const char *end = w + len, *tw = w, *close, *v;
	char *start;

	if (word_begin(out) == -1)
		goto full;
	start = out->v[out->n - 1];
	while (w < end) {
		if (*w == '}') {
			snprintf(err, errlen, "unbalanced '}' in template");
			return -1;
		}
		if (*w != '{') {
			if (word_add(out, w++, 1) == -1)
				goto full;
			continue;
		}
		close = memchr(w, '}', end - w);
		if (close == NULL) {
			snprintf(err, errlen, "unbalanced '{' in template");
			return -1;
		}
		if ((v = lookup(f, w + 1, close - w - 1, err, errlen)) == NULL)
			return -1;
		if (word_add(out, v, strlen(v)) == -1)
			goto full;
		w = close + 1;
	}
	if (start[0] == '-' && tw[0] != '-') {
		snprintf(err, errlen, "a field value would start an option");
		return -1;
	}
	word_end(out);
	return 0;
full:
	snprintf(err, errlen, "command too long");
	return -1;
}

int
argv_command(struct tg_argv *out, const char *tmpl,
    const struct argv_fields *f, char *err, size_t errlen)
{
	size_t len;

	argv_reset(out);
	for (;;) {
		tmpl += strspn(tmpl, " ");
		if (*tmpl == '\0')
			break;
		len = strcspn(tmpl, " ");
		if (expand_word(out, tmpl, len, f, err, errlen) == -1)
			return -1;
		tmpl += len;
	}
	if (out->n == 0) {
		snprintf(err, errlen, "empty terminal_command");
		return -1;
	}
	return 0;
}

static int
ttyd_argv(struct tg_argv *out, const struct argv_backend *b)
{
	if (push(out, b->path) == -1)
		return -1;
	/* No -U: the supervisor gives the socket to socket_group. */
	if (b->socket != NULL) {
		if (push(out, "-i") == -1 || push(out, b->socket) == -1)
			return -1;
	} else {
		if (push(out, "-p") == -1 || pushf(out, "%d", b->port) == -1 ||
		    push(out, "-i") == -1 || push(out, "127.0.0.1") == -1 ||
		    push(out, "-c") == -1 || push(out, b->cred) == -1)
			return -1;
	}
	if (push(out, "-b") == -1 || push(out, b->base) == -1 ||
	    push(out, "-W") == -1)
		return -1;
	/* The gateway: each WebSocket's arg= (nginx sets it) ends CMD. */
	if (b->url_arg && push(out, "-a") == -1)
		return -1;
	/* A flood of WebSockets to one terminal ends at max_clients. */
	if (b->max_clients > 0 && (push(out, "-m") == -1 ||
	    pushf(out, "%d", b->max_clients) == -1))
		return -1;
	return push(out, "--");
}

/* Joins CMD with spaces into BUF; -1 if a word is unsafe or too long. */
static int
siab_join(const struct tg_argv *cmd, char *buf, size_t len, char *err,
    size_t errlen)
{
	int i;

	buf[0] = '\0';
	for (i = 0; i < cmd->n; i++) {
		if (strspn(cmd->v[i], SIAB_SAFE) != strlen(cmd->v[i]) ||
		    cmd->v[i][0] == '\0') {
			snprintf(err, errlen, "word %d of the command has "
			    "bytes shellinabox would interpret", i + 1);
			return -1;
		}
		if ((i > 0 && strlcat(buf, " ", len) >= len) ||
		    strlcat(buf, cmd->v[i], len) >= len) {
			snprintf(err, errlen, "command too long");
			return -1;
		}
	}
	return 0;
}

static int
siab_argv(struct tg_argv *out, const struct argv_backend *b,
    const struct tg_argv *cmd, char *err, size_t errlen)
{
	char line[1024], grant[HOLDER_GRANT_LEN + 1];
	int i;

	if (b->socket == NULL) {
		/* --localhost-only takes any local connection: no credential */
		snprintf(err, errlen, "shellinabox has no credential in tcp "
		    "mode");
		return -1;
	}
	if (siab_join(cmd, line, sizeof(line), err, errlen) == -1)
		return -1;
	if (strchr(b->home, ':') != NULL || strchr(b->user, ':') != NULL ||
	    strchr(b->group, ':') != NULL) {
		snprintf(err, errlen, "':' in a service user, group or home");
		return -1;
	}
	if (push(out, b->path) == -1 || push(out, "-t") == -1 ||
	    push(out, "-q") == -1)
		goto full;
	if (pushf(out, "--unixdomain-only=%s:%s:%s:660", b->socket, b->user,
	    b->group) == -1)
		goto full;
	if (push(out, "-s") == -1 || pushf(out, "%s/:%s:%s:%s:%s", b->base,
	    b->user, b->group, b->home, line) == -1)
		goto full;
	for (i = 1; i <= HOLDER_SLOTS; i++) {
		snprintf(grant, sizeof(grant), HOLDER_SLOT_GRANT, i);
		if (push(out, "-s") == -1 || pushf(out, "%s-s%d/:%s:%s:%s:%s "
		    "%s %s", b->base, i, b->user, b->group, b->home, line,
		    i <= HOLDER_SLOT_VIEWS ? "view" : "control", grant) == -1)
			goto full;
	}
	return 0;
full:
	snprintf(err, errlen, "command too long");
	return -1;
}

int
argv_backend(struct tg_argv *out, const struct argv_backend *b,
    const struct tg_argv *cmd, char *err, size_t errlen)
{
	int i;

	argv_reset(out);
	if (b->shellinabox)
		return siab_argv(out, b, cmd, err, errlen);
	if (ttyd_argv(out, b) == -1)
		goto full;
	for (i = 0; i < cmd->n; i++)
		if (push(out, cmd->v[i]) == -1)
			goto full;
	return 0;
full:
	snprintf(err, errlen, "command too long");
	return -1;
}
