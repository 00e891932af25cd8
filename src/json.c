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

	sbuf_lit(b, "\"");
	for (p = (const unsigned char *)s; p != NULL && *p != '\0'; p++) {
		switch (*p) {
		case '"':
			sbuf_lit(b, "\\\"");
			break;
		case '\\':
			sbuf_lit(b, "\\\\");
			break;
		case '\n':
			sbuf_lit(b, "\\n");
			break;
		case '\r':
			sbuf_lit(b, "\\r");
			break;
		case '\t':
			sbuf_lit(b, "\\t");
			break;
		case '<':
			/* Safe to embed in HTML <script> blocks too. */
			sbuf_lit(b, "\\u003c");
			break;
		default:
			if (*p < 0x20)
				sbuf_appendf(b, "\\u%04x", *p);
			else
				sbuf_append(b, p, 1);
		}
	}
	sbuf_lit(b, "\"");
}

/* "key": value, with a comma before unless first; NULL value is null. */
void
json_kv(struct sbuf *b, const char *key, const char *value, int first)
{
	if (!first)
		sbuf_lit(b, ",");
	json_str(b, key);
	sbuf_lit(b, ":");
	if (value == NULL)
		sbuf_lit(b, "null");
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
		/* The body wins over the query string. */
		if (form_replace(f, names[i], json_string_value(v),
		    json_string_length(v)) != FORM_OK) {
			(void)snprintf(err, errlen, "Quá nhiều trường dữ liệu.");
			ok = 0;
			break;
		}
	}
	json_decref(root);
	return (ok);
}
