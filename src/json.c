/*
 * json: writing JSON responses, and reading the fields of a JSON request
 * into a form so that the web form and the API share one validation.
 */
#include <kore/kore.h>

#include <jansson.h>

#include "app.h"

void
json_str(struct sbuf *b, const char *s)
{
	const unsigned char	*p;

	sbuf_append(b, "\"", 1);
	for (p = (const unsigned char *)s; p != NULL && *p != '\0'; p++) {
		switch (*p) {
		case '"':
			sbuf_append(b, "\\\"", 2);
			break;
		case '\\':
			sbuf_append(b, "\\\\", 2);
			break;
		case '\n':
			sbuf_append(b, "\\n", 2);
			break;
		case '\r':
			sbuf_append(b, "\\r", 2);
			break;
		case '\t':
			sbuf_append(b, "\\t", 2);
			break;
		case '<':
			/* Safe to embed in HTML <script> blocks too. */
			sbuf_append(b, "\\u003c", 6);
			break;
		default:
			if (*p < 0x20)
				sbuf_appendf(b, "\\u%04x", *p);
			else
				sbuf_append(b, p, 1);
		}
	}
	sbuf_append(b, "\"", 1);
}

/* "key": value, with a comma before unless first; NULL value is null. */
void
json_kv(struct sbuf *b, const char *key, const char *value, int first)
{
	if (!first)
		sbuf_append(b, ",", 1);
	json_str(b, key);
	sbuf_append(b, ":", 1);
	if (value == NULL)
		sbuf_append(b, "null", 4);
	else
		json_str(b, value);
}

/*
 * The named string members of a JSON object into the form.  jansson checks
 * UTF-8 and refuses \u0000, so a string in the form is always clean text.
 * A member that is not a string, or a body that is not one object, is
 * refused; null is as if absent; unknown members are ignored.
 */
int
json_to_form(struct form *f, const unsigned char *body, size_t len,
    const char *const *names, char *err, size_t errlen)
{
	json_t		*root, *v;
	json_error_t	 jerr;
	int		 i, ok;

	root = json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		(void)snprintf(err, errlen, "JSON không hợp lệ (dòng %d, cột %d).",
		    jerr.line, jerr.column);
		return (0);
	}
	if (!json_is_object(root)) {
		(void)snprintf(err, errlen, "Dữ liệu phải là một đối tượng JSON.");
		json_decref(root);
		return (0);
	}
	ok = 1;
	for (i = 0; names[i] != NULL; i++) {
		v = json_object_get(root, names[i]);
		if (v == NULL || json_is_null(v))
			continue;
		if (!json_is_string(v)) {
			(void)snprintf(err, errlen,
			    "Trường \"%s\" phải là chuỗi ký tự.", names[i]);
			ok = 0;
			break;
		}
		if (form_set(f, names[i], json_string_value(v),
		    json_string_length(v)) != FORM_OK) {
			(void)snprintf(err, errlen, "Quá nhiều trường dữ liệu.");
			ok = 0;
			break;
		}
	}
	json_decref(root);
	return (ok);
}
