/*
 * relit.c - the literal text a regular expression requires.
 *
 * A user's re: search is read like a word (hist.c): the newest rows
 * first, checked on the index's folded copy of the command with LIKE,
 * and only those that pass are read from the heap and given to the
 * expression. That needs a run of characters that every match contains:
 * "kubectl " in ^kubectl .* -n prod$, ".conf" in \.conf$. relit_required finds
 * the longest such run in PostgreSQL's advanced syntax (its manual,
 * "Regular Expression Details"), and says there is none whenever it is
 * not sure: a run may be too short, never wrong. So it
 * keeps only ASCII (what lower() folds byte for byte, as ILIKE and the
 * index's copy do) and the top level of the expression: an alternation
 * there ("a|b") has no required text; a group, a bracket expression, an
 * escape of a class, a constraint or a back reference ends a run, and a
 * character made optional ("ab?", "ab*", "ab{0,2}") is taken off it.
 * A group at the top that is not optional gives, instead, a run for
 * each of its alternatives, when the shortest of them is longer than the
 * longest run: ^(vim|nano) requires "vim" or "nano", better than " ".
 * When each alternative is plain text, the run just before the group
 * and the one just after it belong to each: ^git (log|status) requires
 * "git log" or "git status", which rules out without the heap the rows
 * of every other git command that "git " would have let through (a
 * fifth to a quarter of that search's time, at a million rows).
 * Beside a single run it writes a LIKE pattern of every run of the top
 * level in order, '%' for whatever is between them and at each end that
 * ^ or $ does not anchor: "kubectl % -n prod" for ^kubectl .* -n prod$,
 * where "kubectl " let through nine rows for each match, "%nginx" for
 * (?i)NGINX$, three. ^ and $ anchor only where they are the text's ends,
 * not under newline-sensitive options (n, m, p, w).
 * Embedded options other than case (i, c) and newline handling (n, m,
 * p, w, s), such as expanded syntax (x) or a basic expression (b), make
 * it give up; "***=" and (?q) make the rest a literal.
 */
#include <ctype.h>
#include <string.h>

#include "relit.h"

struct run {
	char		*out;		/* the current run, unescaped */
	size_t		 len, cap;
	char		*keep;		/* the longest, unescaped */
	size_t		 keep_len;
	struct relit	*any;		/* the best group's, or NULL */
	size_t		 any_len;	/* its shortest run */
	char		*like;		/* every run in order (like_add), or
					 * NULL: not kept, or too long */
	size_t		 like_len;
	size_t		 like_last;	/* where its last character starts */
	size_t		 gap_end;	/* where its last gap ends */
	int		 anchors;	/* ^ and $ are the text's ends */
	int		 at_end;	/* the expression ended in such a $ */
};

static int	top_level(struct run *, const char *);

/* 1 when R's LIKE pattern ends in a gap. */
static int
gapped(const struct run *r)
{
	return r->like_len > 0 && r->like_len == r->gap_end;
}

/* A gap in R's LIKE pattern: '%', once. */
static void
like_gap(struct run *r)
{
	if (r->like == NULL || gapped(r))
		return;
	if (r->like_len + 1 >= RELIT_LIKE)
		r->like = NULL;
	else {
		r->like[r->like_len++] = '%';
		r->gap_end = r->like_len;
	}
}

/* The character before a quantifier is optional: off R's LIKE pattern,
 * when it is one (not a gap: a group, a class). */
static void
like_pop(struct run *r)
{
	if (r->like != NULL && r->like_len > 0 && !gapped(r))
		r->like_len = r->like_last;
}

/* C in R's LIKE pattern, escaped. */
static void
like_add(struct run *r, char c)
{
	if (r->like == NULL)
		return;
	if (r->like_len + 2 >= RELIT_LIKE) {
		r->like = NULL;
		return;
	}
	r->like_last = r->like_len;
	if (c == '\\' || c == '%' || c == '_')
		r->like[r->like_len++] = '\\';
	r->like[r->like_len++] = c;
}

static void
run_end(struct run *r)
{
	if (r->len > r->keep_len) {
		memcpy(r->keep, r->out, r->len);
		r->keep_len = r->len;
	}
	r->len = 0;
}

static void
run_add(struct run *r, char c)
{
	like_add(r, c);
	if (r->len < r->cap)
		r->out[r->len++] = c;
	else
		run_end(r);	/* longer than the caller wants: enough */
}

/* Where the run ends for something that is not plain text, which
 * stands for any text in R's LIKE pattern. */
static void
gap(struct run *r)
{
	run_end(r);
	like_gap(r);
}

/* Past a bracket expression that starts at P ('['); NULL when it does
 * not end. */
static const char *
skip_bracket(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p != '\0' && *p != ']'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '[' && (p[1] == ':' || p[1] == '.' ||
		    p[1] == '=')) {
			char end = p[1];

			for (p += 2; *p != '\0' && !(*p == end && p[1] == ']');
			    p++)
				;
			if (*p == '\0')
				return NULL;
			p++;
		}
	}
	return *p == ']' ? p + 1 : NULL;
}

/* Past a group that starts at P ('('), nested groups, brackets and
 * escapes within; NULL when it does not end. */
static const char *
skip_group(const char *p)
{
	int depth = 0;

	while (*p != '\0') {
		if (*p == '\\' && p[1] != '\0')
			p += 2;
		else if (*p == '[') {
			if ((p = skip_bracket(p)) == NULL)
				return NULL;
		} else {
			if (*p == '(')
				depth++;
			else if (*p == ')' && --depth == 0)
				return p + 1;
			p++;
		}
	}
	return NULL;
}

/*
 * The longest run of alternative A (LEN bytes) into OUT: its length, 0
 * when it has none.
 */
static size_t
alternative(const char *a, size_t len, char *out)
{
	char text[RELIT_MAX], cur[RELIT_MAX];
	struct run r = { cur, 0, RELIT_MAX - 1, out, 0, NULL, 0, NULL, 0, 0,
	    0, 0, 0 };

	if (len >= sizeof(text))
		return 0;
	memcpy(text, a, len);
	text[len] = '\0';
	if (top_level(&r, text) == -1)
		return 0;
	out[r.keep_len] = '\0';
	return r.keep_len;
}

/*
 * The character plain text at P (before END) starts with, one that means
 * only itself or is escaped ("\\."), into *C: the bytes it takes, 0 when
 * P starts with anything else.
 */
static size_t
plain_char(const char *p, const char *end, char *c)
{
	unsigned char b = (unsigned char)*p;
	size_t n = 1;

	if (b == '\\' && p + 1 < end) {
		b = (unsigned char)p[1];
		n = 2;
		if (isalnum(b))
			return 0;
	} else if (strchr("^$.[]()|*+?{}\\", b) != NULL)
		return 0;
	if (b >= 0x80 || !isprint(b))
		return 0;
	*c = (char)b;
	return n;
}

/* Alternative A (LEN bytes) into OUT when it is plain text: its length,
 * or -1. */
static int
plain_text(const char *a, size_t len, char *out)
{
	const char *end = a + len;
	size_t k, n = 0;

	for (; a < end; a += k, n++)
		if (n == RELIT_MAX - 1 || (k = plain_char(a, end, &out[n])) == 0)
			return -1;
	out[n] = '\0';
	return (int)n;
}

/* The plain text that follows a group at P (past its ')'), as a run of
 * top_level would keep it, into OUT: its length. */
static size_t
suffix(const char *p, char *out)
{
	const char *end = p + strlen(p);
	size_t k, n = 0;

	for (; n < RELIT_MAX - 1 && (k = plain_char(p, end, &out[n])) > 0;
	    p += k)
		n++;
	if (n > 0 && *p != '\0' && strchr("*?{", *p) != NULL)
		n--;		/* its last character is optional */
	out[n] = '\0';
	return n;
}

/*
 * G's alternatives (plain text, TEXT) with the run before the group,
 * R's current one, and the text after it, AFTER, around each; the
 * shortest length, or 0 when one would be empty or too long.
 */
static size_t
around(const struct run *r, struct relit *g, char text[][RELIT_MAX],
    const char *after)
{
	size_t least = RELIT_MAX, n, alen = strlen(after);
	int i;

	for (i = 0; i < g->n; i++) {
		n = r->len + strlen(text[i]) + alen;
		if (n == 0 || n > RELIT_MAX - 1)
			return 0;
		memcpy(g->text[i], r->out, r->len);
		memcpy(g->text[i] + r->len, text[i], strlen(text[i]));
		memcpy(g->text[i] + r->len + strlen(text[i]), after, alen);
		g->text[i][n] = '\0';
		least = n < least ? n : least;
	}
	return least;
}

/*
 * The group from P ('(') to END (past its ')'), which every match
 * passes through once: when each of its alternatives has a run, and the
 * shortest of them is longer than those of the best group so far, it is
 * the best; when each is plain text, with the runs around it (around).
 * Not a group of options or a lookaround ("(?=", "(?!"...): only a
 * plain one or "(?:".
 */
static void
group(struct run *r, const char *p, const char *end)
{
	struct relit g, whole;
	char text[RELIT_ANY][RELIT_MAX], after[RELIT_MAX];
	const char *a, *s, *past = end;
	size_t n, least = RELIT_MAX;
	int depth, plain = 1, runs = 1;

	if (*++p == '?') {
		if (p[1] != ':')
			return;
		p += 2;
	}
	end--;				/* its ')' */
	g.n = 0;
	for (s = a = p; ; s++) {
		depth = 0;
		while (s < end && (*s != '|' || depth > 0)) {
			if (*s == '\\')
				s += 2;
			else if (*s == '[') {
				if ((s = skip_bracket(s)) == NULL)
					return;
			} else {
				depth += (*s == '(') - (*s == ')');
				s++;
			}
		}
		if (s > end || g.n == RELIT_ANY)
			return;
		plain &= plain_text(a, (size_t)(s - a), text[g.n]) != -1;
		if ((n = alternative(a, (size_t)(s - a), g.text[g.n])) == 0)
			runs = 0;
		if (!plain && !runs)
			return;
		least = n < least ? n : least;
		g.n++;
		if (s >= end)
			break;
		a = s + 1;
	}
	whole.n = g.n;
	suffix(past, after);
	if (plain && (n = around(r, &whole, text, after)) > 0) {
		g = whole;
		least = n;
	} else if (!runs || g.n < 2)
		return;
	if (least > r->any_len) {
		*r->any = g;
		r->any_len = least;
	}
}

/* Past the embedded options at P ("(?i)"), *LITERAL set for q, *LINES
 * for newline-sensitive matching (n, m, p, w: ^ and $ may then match at
 * a newline); NULL when an option changes what a character means. */
static const char *
options(const char *p, int *literal, int *lines)
{
	for (p += 2; *p != ')'; p++) {
		if (*p == 'q')
			*literal = 1;
		else if (*p == '\0' || strchr("icnmpsw", *p) == NULL)
			return NULL;
		else if (strchr("nmpw", *p) != NULL)
			*lines = 1;
	}
	return p + 1;
}

/* The rest of RE, from P, as literal text. */
static void
literal_rest(struct run *r, const char *p)
{
	for (; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x80 && isprint((unsigned char)*p))
			run_add(r, *p);
		else
			run_end(r);
	}
	run_end(r);
}

/*
 * The top level of RE from P. Returns 0, or -1 when RE has no run it is
 * sure of (an alternation at the top, a construct it does not follow).
 */
static int
top_level(struct run *r, const char *p)
{
	const char *q;
	unsigned char c;

	while ((c = (unsigned char)*p) != '\0') {
		switch (c) {
		case '|':
			return -1;
		case '*':
		case '?':
		case '{':
			/* The run's last character is optional. */
			if (r->len > 0)
				r->len--;
			like_pop(r);
			gap(r);
			if (c == '{' && (p = strchr(p, '}')) == NULL)
				return -1;
			p++;
			break;
		case '+':
			gap(r);
			p++;
			break;
		case '(':
			if ((q = skip_group(p)) == NULL)
				return -1;
			if (r->any != NULL && (*q == '\0' ||
			    strchr("*?{", *q) == NULL))
				group(r, p, q);
			gap(r);
			p = q;
			break;
		case ')':
			return -1;
		case '[':
			gap(r);
			if ((p = skip_bracket(p)) == NULL)
				return -1;
			break;
		case '\\':
			c = (unsigned char)p[1];
			if (c == 'c' || c == '\0')
				return -1;
			if (c < 0x80 && isalnum(c)) {
				/* A class, a constraint, a character's code,
				 * a back reference: its letters and digits. */
				gap(r);
				for (p += 2; isalnum((unsigned char)*p); p++)
					;
			} else {
				if (c < 0x80 && isprint(c))
					run_add(r, (char)c);
				else
					gap(r);
				p += 2;
			}
			break;
		default:
			if (c < 0x80 && isprint(c) && strchr(".^$", c) == NULL)
				run_add(r, (char)c);
			else if (c == '$' && p[1] == '\0' && r->anchors) {
				run_end(r);
				r->at_end = 1;
			} else
				gap(r);
			p++;
		}
	}
	run_end(r);
	return 0;
}

int
relit_required(const char *re, struct relit *out)
{
	char cur[RELIT_MAX], one[RELIT_MAX], like[RELIT_LIKE];
	struct relit any;
	struct run r = { cur, 0, RELIT_MAX - 1, one, 0, &any, 0, like, 0, 0,
	    0, 1, 0 };
	const char *p = re;
	int literal = 0, lines = 0;

	out->n = any.n = 0;
	out->like[0] = '\0';
	if (strncmp(p, "***=", 4) == 0) {
		p += 4;
		literal = 1;
	} else if (strncmp(p, "***:", 4) == 0)
		p += 4;
	else if (strncmp(p, "***", 3) == 0)
		return 0;
	/* Options, not a group: "(?i)", not "(?:" or "(?=". */
	if (!literal && strncmp(p, "(?", 2) == 0 &&
	    isalpha((unsigned char)p[2]) &&
	    (p = options(p, &literal, &lines)) == NULL)
		return 0;
	r.anchors = !lines;
	if (r.anchors && *p == '^')
		p++;
	else
		like_gap(&r);
	if (literal) {
		r.like = NULL;
		literal_rest(&r, p);
	} else if (top_level(&r, p) == -1)
		return 0;
	if (!r.at_end)
		like_gap(&r);
	if (any.n > 0 && r.any_len > r.keep_len) {
		*out = any;
		out->like[0] = '\0';
	} else if (r.keep_len > 0) {
		memcpy(out->text[0], one, r.keep_len);
		out->text[0][r.keep_len] = '\0';
		out->n = 1;
		if (r.like != NULL) {
			memcpy(out->like, like, r.like_len);
			out->like[r.like_len] = '\0';
		}
	}
	return out->n;
}
