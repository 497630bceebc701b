/*
 * jsonx.c - strict JSON input and slash-clean output on top of json-c.
 *
 * Request bodies come from browsers we do not trust. json-c 0.16 in strict
 * mode still takes single-quoted names ({'a':1}), raw control bytes inside
 * strings, \u0000, NaN and Infinity, overlong UTF-8 and surrogates, so a
 * short lexical pass runs first; the parse end is checked after. json-c
 * escapes '/' by default; our output never does.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jsonx.h"
#include "valid.h"

#define MAX_DEPTH	32

/* 1 when the LEN bytes at S are all JSON whitespace. */
static int
only_ws(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (strchr(" \t\n\r", s[i]) == NULL || s[i] == '\0')
			return 0;
	return 1;
}

/*
 * Length of the string literal at S (N bytes left, S[0] is '"') through
 * its closing quote, or 0 when it is unterminated or holds a raw control
 * byte, \u0000 or bad UTF-8. Escapes themselves are left to json-c.
 */
static size_t
string_len(const unsigned char *s, size_t n)
{
	size_t i = 1, k;

	while (i < n) {
		if (s[i] == '"')
			return i + 1;
		if (s[i] < 0x20)
			return 0;
		if (s[i] == '\\') {
			if (n - i >= 6 && memcmp(s + i + 1, "u0000", 5) == 0)
				return 0;
			i += 2;
		} else if (s[i] >= 0x80) {
			if ((k = valid_utf8_seq(s + i, n - i)) == 0)
				return 0;
			i += k;
		} else {
			i++;
		}
	}
	return 0;
}

/*
 * 1 when every string in BUF passes string_len and, outside strings, BUF
 * holds only bytes JSON's grammar can use there (no quotes other than '"',
 * no NaN or Infinity, no comments). The grammar is left to json-c.
 */
static int
lexically_clean(const char *buf, size_t len)
{
	static const char outside[] = " \t\n\r{}[],:-+.0123456789eEtruefalsn";
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0, n;

	while (i < len) {
		if (s[i] == '"') {
			if ((n = string_len(s + i, len - i)) == 0)
				return 0;
			i += n;
		} else if (s[i] == '\0' || strchr(outside, s[i]) == NULL) {
			return 0;
		} else {
			i++;
		}
	}
	return 1;
}

/*
 * Runs the tokener over all of BUF, then tells it the input has ended (a
 * NUL), which completes a bare number or literal. NULL on any error.
 */
static json_object *
tokenize(struct json_tokener *tok, const char *buf, size_t len)
{
	json_object *o;
	size_t end;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (o == NULL && json_tokener_get_error(tok) == json_tokener_continue) {
		o = json_tokener_parse_ex(tok, "", 1);
	} else if (o != NULL) {
		end = json_tokener_get_parse_end(tok);
		if (end > len || !only_ws(buf + end, len - end)) {
			json_object_put(o);
			return NULL;
		}
	}
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

json_object *
jsonx_parse(const char *buf, size_t len)
{
	struct json_tokener *tok;
	json_object *o;

	if (buf == NULL || len > INT_MAX || memchr(buf, '\0', len) != NULL ||
	    !lexically_clean(buf, len))
		return NULL;
	if ((tok = json_tokener_new_ex(MAX_DEPTH)) == NULL)
		return NULL;
	o = tokenize(tok, buf, len);
	json_tokener_free(tok);
	return o;
}

const char *
jsonx_str(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
}

int
jsonx_put_str(struct printbuf *pb, const char *v)
{
	/* What json-c writes short, with the letter after '\\' below. */
	static const char shorts[] = "\"\\\b\t\n\f\r";
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)v, *run;
	const char *c;
	char esc[6] = { '\\', 'u', '0', '0' };

	if (v == NULL)
		return printbuf_memappend(pb, "null", 4);
	if (printbuf_memappend(pb, "\"", 1) < 0)
		return -1;
	for (;;) {
		for (run = s; *s >= 0x20 && *s != '"' && *s != '\\'; s++)
			;
		if (s > run && printbuf_memappend(pb, (const char *)run,
		    (int)(s - run)) < 0)
			return -1;
		if (*s == '\0')
			return printbuf_memappend(pb, "\"", 1);
		if ((c = strchr(shorts, *s)) != NULL) {
			esc[1] = "\"\\btnfr"[c - shorts];
			if (printbuf_memappend(pb, esc, 2) < 0)
				return -1;
		} else {
			esc[1] = 'u';
			esc[4] = hex[*s >> 4];
			esc[5] = hex[*s & 0xf];
			if (printbuf_memappend(pb, esc, 6) < 0)
				return -1;
		}
		s++;
	}
}

int
jsonx_put_double(struct printbuf *pb, double d)
{
	json_object *o = json_object_new_double(d);
	const char *s;
	int rv;

	/* The one double of a row: json-c's own text, not a second copy of
	 * its rules for NaN, exponents and the ".0" of a whole number. */
	if (o == NULL)
		return -1;
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	rv = printbuf_memappend(pb, s, (int)strlen(s));
	json_object_put(o);
	return rv;
}

static int
raw_text(json_object *o, struct printbuf *pb, int level, int flags)
{
	struct printbuf *text = json_object_get_userdata(o);

	(void)level;
	(void)flags;
	return printbuf_memappend(pb, text->buf, text->bpos);
}

static void
raw_free(json_object *o, void *text)
{
	(void)o;
	printbuf_free(text);
}

json_object *
jsonx_raw(struct printbuf *text)
{
	json_object *o;

	if ((o = json_object_new_array()) == NULL) {
		printbuf_free(text);
		return NULL;
	}
	json_object_set_serializer(o, raw_text, text, raw_free);
	return o;
}

void
jsonx_add_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, v != NULL ?
	    json_object_new_string(v) : NULL);
}

/* 0 with *V set when KEY is in OBJ, 1 when absent, -1 if OBJ is no object. */
static int
field(json_object *obj, const char *key, json_object **v)
{
	if (!json_object_is_type(obj, json_type_object))
		return -1;
	return json_object_object_get_ex(obj, key, v) ? 0 : 1;
}

int
jsonx_get_str(json_object *obj, const char *key, const char **out)
{
	json_object *v;
	int r;

	if ((r = field(obj, key, &v)) != 0)
		return r;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	*out = json_object_get_string(v);
	return 0;
}

int
jsonx_get_int(json_object *obj, const char *key, int *out)
{
	json_object *v = NULL;
	int64_t n;
	int rv;

	if ((rv = field(obj, key, &v)) != 0)
		return rv;
	if (!json_object_is_type(v, json_type_int))
		return -1;
	n = json_object_get_int64(v);
	if (n < INT32_MIN || n > INT32_MAX)
		return -1;
	*out = (int)n;
	return 0;
}

int
jsonx_get_bool(json_object *obj, const char *key, int *out)
{
	json_object *v;
	int r;

	if ((r = field(obj, key, &v)) != 0)
		return r;
	if (!json_object_is_type(v, json_type_boolean))
		return -1;
	*out = json_object_get_boolean(v) ? 1 : 0;
	return 0;
}

void
jsonx_type_rows(json_object *arr, const char *const *ints,
    const char *const *bools)
{
	json_object *o, *v;
	const char *str;
	size_t i;
	int k;

	for (i = 0; i < json_object_array_length(arr); i++) {
		o = json_object_array_get_idx(arr, i);
		for (k = 0; ints != NULL && ints[k] != NULL; k++) {
			if (!json_object_object_get_ex(o, ints[k], &v) ||
			    !json_object_is_type(v, json_type_string))
				continue;
			str = json_object_get_string(v);
			json_object_object_add(o, ints[k], str[0] == '\0' ?
			    NULL : json_object_new_int64(strtoll(str, NULL,
			    10)));
		}
		for (k = 0; bools != NULL && bools[k] != NULL; k++)
			if (json_object_object_get_ex(o, bools[k], &v) &&
			    json_object_is_type(v, json_type_string))
				json_object_object_add(o, bools[k],
				    json_object_new_boolean(strcmp(
				    json_object_get_string(v), "t") == 0));
	}
}
