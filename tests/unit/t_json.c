/*
 * t_json.c - unit tests of strict JSON input and slash-clean output.
 *
 * What json-c would let through on its own (trailing bytes, single quotes,
 * raw control bytes, NaN, \u0000, overlong UTF-8) and deep nesting must
 * fail; the getters must
 * tell a right type, a wrong type and an absent key apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonx.h"
#include "suites.h"

struct jcase {
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	enum json_type	 type;		/* for good input */
};

static size_t
len_of(const struct jcase *c)
{
	return c->len != 0 ? c->len : strlen(c->in);
}

static const struct jcase good[] = {
	{ "{\"a\":1}", 0, json_type_object },
	{ "  {\"a\" : [1, 2.5, \"x\", true, null]}\r\n\t ", 0,
	    json_type_object },
	{ "[]", 0, json_type_array },
	{ "\"x/y\"", 0, json_type_string },
	{ "123", 0, json_type_int },
	{ "-7", 0, json_type_int },
	{ "1.5e3", 0, json_type_double },
	{ "true", 0, json_type_boolean },
	{ "{\"a\":\"\\u00e9\\n\\\"\"}", 0, json_type_object },
	{ "{\"a\":\"it's\"}", 0, json_type_object },
	{ "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", 0,
	    json_type_string },
	{ "\"\xed\x9f\xbf \xee\x80\x80 \xf4\x8f\xbf\xbf\"", 0,
	    json_type_string },				/* edges */
	/* Only LEN bytes count: what follows them is never read. */
	{ "{\"a\":1}garbage", 7, json_type_object },
	{ "1234", 3, json_type_int },
};

static void
test_parse_good(void)
{
	json_object *o;
	char desc[128];
	size_t i;

	for (i = 0; i < T_NELEM(good); i++) {
		snprintf(desc, sizeof(desc), "should parse: %.*s",
		    (int)len_of(&good[i]), good[i].in);
		o = jsonx_parse(good[i].in, len_of(&good[i]));
		T_ASSERT(o != NULL, desc);
		T_ASSERT(json_object_get_type(o) == good[i].type, desc);
		json_object_put(o);
	}
	o = jsonx_parse("1234", 3);
	CU_ASSERT_EQUAL(json_object_get_int64(o), 123);
	json_object_put(o);
}

#define NUL_IN_STR	"{\"a\":\"x\0y\"}"
#define NUL_AFTER	"{\"a\":1}\0"

static const struct jcase bad[] = {
	{ "", 0, 0 },
	{ "   ", 0, 0 },
	{ "{", 0, 0 },
	{ "{\"a\":1", 0, 0 },
	{ "{\"a\":1} x", 0, 0 },
	{ "{\"a\":1}{}", 0, 0 },
	{ "{\"a\":1},", 0, 0 },
	{ "1 2", 0, 0 },
	{ "[1,]", 0, 0 },
	{ "{\"a\":1,}", 0, 0 },
	{ "{a:1}", 0, 0 },
	{ "{'a':1}", 0, 0 },
	{ "['a']", 0, 0 },
	{ "\"a\tb\"", 0, 0 },
	{ "\"a\nb\"", 0, 0 },
	{ "{\"a\":\"\\u0000\"}", 0, 0 },
	{ "\"\\x41\"", 0, 0 },
	{ "NaN", 0, 0 },
	{ "Infinity", 0, 0 },
	{ "-Infinity", 0, 0 },
	{ "nul", 0, 0 },
	{ "True", 0, 0 },
	{ "01", 0, 0 },
	{ "+1", 0, 0 },
	{ ".5", 0, 0 },
	{ "0x10", 0, 0 },
	{ "/* c */ 1", 0, 0 },
	{ "1 // c", 0, 0 },
	{ NUL_IN_STR, sizeof(NUL_IN_STR) - 1, 0 },
	{ NUL_AFTER, sizeof(NUL_AFTER) - 1, 0 },
	{ "\"\xff\"", 0, 0 },				/* not UTF-8 */
	{ "\"\xc3\"", 0, 0 },				/* cut short */
	{ "\"\xc0\xaf\"", 0, 0 },			/* overlong '/' */
	{ "\"\xe0\x80\xaf\"", 0, 0 },			/* overlong, 3 */
	{ "\"\xf0\x80\x80\xaf\"", 0, 0 },		/* overlong, 4 */
	{ "\"\xed\xa0\x80\"", 0, 0 },			/* surrogate */
	{ "\"\xf8\x88\x80\x80\x80\"", 0, 0 },		/* 5 bytes */
	{ "\"\xf4\x90\x80\x80\"", 0, 0 },		/* past U+10FFFF */
	{ "\"\xe2\x82\"", 0, 0 },			/* cut short */
	{ "\"\x80\"", 0, 0 },				/* lone continuation */
	{ "{\"\xfe\":1}", 0, 0 },
	{ "\"abc", 0, 0 },
	{ "\"abc\\", 0, 0 },
};

static void
test_parse_bad(void)
{
	json_object *o;
	char desc[128];
	size_t i;

	for (i = 0; i < T_NELEM(bad); i++) {
		snprintf(desc, sizeof(desc), "case %zu should fail: %s", i,
		    bad[i].in);
		o = jsonx_parse(bad[i].in, len_of(&bad[i]));
		T_ASSERT(o == NULL, desc);
		json_object_put(o);
	}
	CU_ASSERT_PTR_NULL(jsonx_parse(NULL, 0));
}

enum nest { ARRAYS, OBJECTS, EMPTY };

/*
 * N nested arrays or objects around 1, or N nested arrays around nothing.
 * Caller frees.
 */
static char *
nested(int n, enum nest kind)
{
	char *s, *p;
	int i;

	if ((p = s = malloc(n * 6 + 2)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s", kind == OBJECTS ? "{\"a\":" : "[");
	if (kind != EMPTY)
		*p++ = '1';
	for (i = 0; i < n; i++)
		*p++ = kind == OBJECTS ? '}' : ']';
	*p = '\0';
	return s;
}

/*
 * json-c counts every value on the way down, the innermost one included:
 * 31 containers around a number are 32 levels, as are 32 empty arrays.
 */
static const struct {
	int		n;
	enum nest	kind;
	int		ok;
} depths[] = {
	{ 1, ARRAYS, 1 }, { 31, ARRAYS, 1 }, { 32, ARRAYS, 0 },
	{ 31, OBJECTS, 1 }, { 32, OBJECTS, 0 },
	{ 32, EMPTY, 1 }, { 33, EMPTY, 0 },
	{ 40, ARRAYS, 0 }, { 40, OBJECTS, 0 }, { 40, EMPTY, 0 },
	{ 1000, ARRAYS, 0 },
};

static void
test_depth(void)
{
	json_object *o;
	char *s, desc[64];
	size_t i;

	for (i = 0; i < T_NELEM(depths); i++) {
		snprintf(desc, sizeof(desc), "%d nested, kind %d, ok %d",
		    depths[i].n, depths[i].kind, depths[i].ok);
		s = nested(depths[i].n, depths[i].kind);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		o = jsonx_parse(s, strlen(s));
		T_ASSERT((o != NULL) == depths[i].ok, desc);
		json_object_put(o);
		free(s);
	}
}

static const char getters_doc[] =
    "{\"s\":\"x/y\",\"e\":\"\",\"b\":true,\"f\":false,\"i\":42,\"neg\":-7,"
    "\"zero\":0,\"d\":1.5,\"d0\":2.0,\"n\":null,\"is\":\"5\",\"bs\":\"true\","
    "\"a\":[1],\"o\":{},\"min\":-9223372036854775808,"
    "\"max\":9223372036854775807,\"big\":9223372036854775808,"
    "\"i32\":2147483647,\"i33\":2147483648,\"m32\":-2147483648}";

enum getter { G_STR, G_BOOL, G_INT };

static const struct {
	enum getter	 g;
	const char	*key;
	int		 rc;
	const char	*want_s;
	long long	 want_i;
} gets[] = {
	{ G_STR, "s", 0, "x/y", 0 },
	{ G_STR, "e", 0, "", 0 },
	{ G_STR, "is", 0, "5", 0 },
	{ G_STR, "i", -1, NULL, 0 },
	{ G_STR, "b", -1, NULL, 0 },
	{ G_STR, "n", -1, NULL, 0 },
	{ G_STR, "a", -1, NULL, 0 },
	{ G_STR, "o", -1, NULL, 0 },
	{ G_STR, "missing", 1, NULL, 0 },
	{ G_BOOL, "b", 0, NULL, 1 },
	{ G_BOOL, "f", 0, NULL, 0 },
	{ G_BOOL, "bs", -1, NULL, 0 },
	{ G_BOOL, "i", -1, NULL, 0 },
	{ G_BOOL, "zero", -1, NULL, 0 },
	{ G_BOOL, "n", -1, NULL, 0 },
	{ G_BOOL, "missing", 1, NULL, 0 },
	{ G_INT, "i", 0, NULL, 42 },
	{ G_INT, "neg", 0, NULL, -7 },
	{ G_INT, "zero", 0, NULL, 0 },
	{ G_INT, "i32", 0, NULL, 2147483647 },
	{ G_INT, "m32", 0, NULL, -2147483648LL },
	{ G_INT, "i33", -1, NULL, 0 },
	{ G_INT, "max", -1, NULL, 0 },
	{ G_INT, "d", -1, NULL, 0 },
	{ G_INT, "d0", -1, NULL, 0 },
	{ G_INT, "is", -1, NULL, 0 },
	{ G_INT, "b", -1, NULL, 0 },
	{ G_INT, "n", -1, NULL, 0 },
	{ G_INT, "missing", 1, NULL, 0 },
};

/* Calls getter G; *S and *I keep their values unless it sets them. */
static int
get(enum getter g, json_object *o, const char *key, const char **s,
    long long *i)
{
	int b, rc;

	switch (g) {
	case G_STR:
		return jsonx_get_str(o, key, s);
	case G_BOOL:
		b = (int)*i;
		rc = jsonx_get_bool(o, key, &b);
		*i = b;
		return rc;
	case G_INT:
		b = (int)*i;
		rc = jsonx_get_int(o, key, &b);
		*i = b;
		return rc;
	}
	return -2;
}

static void
test_getters(void)
{
	static const char sentinel[] = "untouched";
	json_object *o;
	const char *s;
	char desc[64];
	long long i;
	size_t k;
	int rc;

	o = jsonx_parse(getters_doc, strlen(getters_doc));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	for (k = 0; k < T_NELEM(gets); k++) {
		snprintf(desc, sizeof(desc), "getter %d on \"%s\"", gets[k].g,
		    gets[k].key);
		s = sentinel;
		i = 12345;
		rc = get(gets[k].g, o, gets[k].key, &s, &i);
		T_ASSERT(rc == gets[k].rc, desc);
		if (rc != 0) {
			/* Absent or wrong type: OUT is left alone. */
			T_ASSERT(s == sentinel && i == 12345, desc);
		} else if (gets[k].g == G_STR) {
			T_ASSERT(s != sentinel &&
			    strcmp(s, gets[k].want_s) == 0, desc);
		} else {
			T_ASSERT(i == gets[k].want_i, desc);
		}
	}
	json_object_put(o);
}

/* Not an object (array, string, NULL): every getter says -1. */
static void
test_getters_not_object(void)
{
	static const char *const docs[] = { "[1]", "\"s\"", "5" };
	json_object *o;
	const char *s;
	size_t k;
	int b;

	for (k = 0; k < T_NELEM(docs); k++) {
		o = jsonx_parse(docs[k], strlen(docs[k]));
		CU_ASSERT_PTR_NOT_NULL(o);
		T_ASSERT(jsonx_get_str(o, "s", &s) == -1, docs[k]);
		T_ASSERT(jsonx_get_bool(o, "b", &b) == -1, docs[k]);
		json_object_put(o);
	}
	CU_ASSERT_EQUAL(jsonx_get_str(NULL, "s", &s), -1);
	CU_ASSERT_EQUAL(jsonx_get_bool(NULL, "b", &b), -1);
}

static void
test_str(void)
{
	json_object *o;

	o = json_object_new_object();
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	json_object_object_add(o, "url", json_object_new_string("/terminal/x"));
	json_object_object_add(o, "n", json_object_new_int(3));
	CU_ASSERT_STRING_EQUAL(jsonx_str(o),
	    "{\"url\":\"/terminal/x\",\"n\":3}");
	CU_ASSERT_PTR_NULL(strstr(jsonx_str(o), "\\/"));
	json_object_put(o);

	/* Round trip through the parser: slashes stay plain. */
	o = jsonx_parse("{ \"p\" : \"a/b\" }", 15);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(jsonx_str(o), "{\"p\":\"a/b\"}");
	json_object_put(o);
}

/* S through jsonx_put_str, parsed back by the strict parser: S again,
 * and the text is what json-c writes for it (but for '/'). */
static void
put_str_round_trip(const char *s)
{
	struct printbuf *pb = printbuf_new();
	json_object *o, *ref;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pb);
	CU_ASSERT_TRUE_FATAL(jsonx_put_str(pb, s) >= 0);
	o = jsonx_parse(pb->buf, (size_t)pb->bpos);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_EQUAL(json_object_get_type(o), json_type_string);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(o), s);
	ref = json_object_new_string(s);
	CU_ASSERT_STRING_EQUAL(pb->buf, jsonx_str(ref));
	json_object_put(ref);
	json_object_put(o);
	printbuf_free(pb);
}

static void
test_put_str(void)
{
	static const char *const cases[] = { "", "plain", "a\"b", "a\\b",
	    "/etc/x", "tab\there\nnl\r\x01\x1f\x7f end",
	    "caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80",
	    "\"\\\"\\", "\x1b[31mred\x1b[0m" };
	struct printbuf *pb;
	char all[128];
	size_t i;

	for (i = 0; i < T_NELEM(cases); i++)
		put_str_round_trip(cases[i]);
	/* Every ASCII byte, each of them alone and all in a row. */
	for (i = 1; i < sizeof(all); i++) {
		all[i - 1] = (char)i;
		all[i] = '\0';
		put_str_round_trip(all + i - 1);
	}
	put_str_round_trip(all);
	pb = printbuf_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(pb);
	CU_ASSERT_TRUE(jsonx_put_str(pb, NULL) >= 0);
	CU_ASSERT_STRING_EQUAL(pb->buf, "null");
	printbuf_free(pb);
}

/* A raw value serializes as its text inside the tree; json-c's own
 * double text for an offset. */
static void
test_raw(void)
{
	struct printbuf *pb = printbuf_new();
	json_object *o = json_object_new_object();

	CU_ASSERT_PTR_NOT_NULL_FATAL(pb);
	CU_ASSERT_TRUE(printbuf_memappend(pb, "[1,", 3) >= 0);
	CU_ASSERT_TRUE(jsonx_put_double(pb, 2.5) >= 0);
	CU_ASSERT_TRUE(printbuf_memappend(pb, ",", 1) >= 0);
	CU_ASSERT_TRUE(jsonx_put_double(pb, 3) >= 0);
	CU_ASSERT_TRUE(printbuf_memappend(pb, ",\"a/b\"]", 7) >= 0);
	json_object_object_add(o, "items", jsonx_raw(pb));
	json_object_object_add(o, "next", NULL);
	CU_ASSERT_STRING_EQUAL(jsonx_str(o),
	    "{\"items\":[1,2.5,3.0,\"a/b\"],\"next\":null}");
	json_object_put(o);
}

int
suite_json_register(void)
{
	static const struct t_case cases[] = {
		{ "jsonx_parse accepts JSON", test_parse_good },
		{ "jsonx_parse refuses non-JSON", test_parse_bad },
		{ "nesting limit 32", test_depth },
		{ "getters: right, wrong, absent", test_getters },
		{ "getters on non-objects", test_getters_not_object },
		{ "jsonx_str keeps '/'", test_str },
		{ "jsonx_put_str: json-c's text, parsed back", test_put_str },
		{ "jsonx_raw: text inside a tree", test_raw },
	};

	return t_register("json", cases, T_NELEM(cases));
}
