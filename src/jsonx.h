/* jsonx.h - strict JSON input and slash-clean output on top of json-c. */
#ifndef TG_JSONX_H
#define TG_JSONX_H

#include <stddef.h>
#include <json-c/json.h>
#include <json-c/printbuf.h>

/*
 * Parses exactly one JSON value from BUF (LEN bytes; not necessarily
 * NUL-terminated). Trailing non-space bytes, embedded NULs, invalid UTF-8
 * or nesting deeper than 32 fail. Returns a new object the caller puts,
 * or NULL.
 */
json_object	*jsonx_parse(const char *buf, size_t len);
/* Serializes O without escaping '/'; the string is owned by O. */
const char	*jsonx_str(json_object *o);

/*
 * Field readers for a JSON object. Each returns 0 with *OUT set when KEY
 * holds the right type, 1 when KEY is absent (OUT untouched), and -1 when
 * KEY is present with another type (null included) or OBJ is not an object.
 * Strings are owned by OBJ.
 */
int	jsonx_get_str(json_object *obj, const char *key, const char **out);
int	jsonx_get_bool(json_object *obj, const char *key, int *out);
/* An integer (not a double, not a string) within a C int. */
int	jsonx_get_int(json_object *obj, const char *key, int *out);

/*
 * Writing JSON text without a tree of objects, for the rows of a page
 * (a json-c object per field cost a history page a third of the
 * worker's time, most of it in malloc). Each returns printbuf's result:
 * negative when out of memory.
 *
 * jsonx_put_str appends V as a JSON string, or null when V is NULL;
 * V must be valid UTF-8 (the database's text is). jsonx_put_double
 * appends D as json-c writes a double. jsonx_put_raw hands TEXT, a whole
 * JSON value, to a new object that serializes as that text (and frees
 * it): a page's rows join the tree of the response as one member.
 */
int		 jsonx_put_str(struct printbuf *pb, const char *v);
int		 jsonx_put_double(struct printbuf *pb, double d);
json_object	*jsonx_raw(struct printbuf *text);

/* Adds KEY: V to object O, or KEY: null when V is NULL. */
void	jsonx_add_str(json_object *o, const char *key, const char *v);

/*
 * Types the string members of listing rows (db_rows makes them all
 * strings): in each object of ARR, the members INTS (NULL-terminated)
 * become integers, "" null, and the members BOOLS ("t" or "f") booleans.
 */
void	jsonx_type_rows(json_object *arr, const char *const *ints,
	    const char *const *bools);

#endif
