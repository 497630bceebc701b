/*
 * fuzz_json.c - libFuzzer target: JSON request bodies (src/jsonx.c).
 *
 * Input: a body, as any byte string. jsonx_parse must refuse or accept
 * it without a fault; an accepted object is read the way the open
 * handler reads one, serialized again, and what jsonx_str writes must be
 * JSON that jsonx_parse accepts (unless a number overflowed to a value
 * JSON has no spelling for, which json-c writes as NaN or Infinity).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonx.h"

static int
has_double(json_object *o)
{
	struct json_object_iterator it, end;
	size_t i;

	switch (json_object_get_type(o)) {
	case json_type_double:
		return 1;
	case json_type_array:
		for (i = 0; i < json_object_array_length(o); i++)
			if (has_double(json_object_array_get_idx(o, i)))
				return 1;
		return 0;
	case json_type_object:
		it = json_object_iter_begin(o);
		end = json_object_iter_end(o);
		for (; !json_object_iter_equal(&it, &end);
		    json_object_iter_next(&it))
			if (has_double(json_object_iter_peek_value(&it)))
				return 1;
		return 0;
	default:
		return 0;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "host_id", "mode", "reuse",
	    "on_limit", "" };
	json_object *o, *again;
	const char *s, *text;
	size_t i;
	int b;

	if ((o = jsonx_parse((const char *)data, size)) == NULL)
		return 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (jsonx_get_str(o, keys[i], &s) == 0 && s == NULL)
			abort();
		(void)jsonx_get_bool(o, keys[i], &b);
	}
	text = jsonx_str(o);
	if (text == NULL)
		abort();
	again = jsonx_parse(text, strlen(text));
	if (again == NULL && !has_double(o))
		abort();
	json_object_put(again);
	json_object_put(o);
	return 0;
}
