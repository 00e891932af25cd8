/*
 * json: what jansson does not say for us when we write JSON responses,
 * and the fields of a JSON request read into a form so that the web form
 * and the API share one validation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "json.h"

/*
 * Text as a JSON string, or null for NULL.  jansson refuses text that is
 * not UTF-8; such text (a message that quotes a client's bytes, cut at a
 * byte count) gets U+FFFD for each bad sequence instead, so the reply
 * still says what happened.
 */
json_t *
json_text(const char *s)
{
	const uint8_t	*p, *end;
	uint8_t		*out, *d;
	ucs4_t		 uc;
	json_t		*v;
	size_t		 len;
	int		 n;

	if (s == NULL)
		return (json_null());
	if ((v = json_string(s)) != NULL)
		return (v);
	len = strlen(s);
	/* Each byte becomes at most the 3 bytes of U+FFFD. */
	if ((out = malloc(len * 3 + 1)) == NULL)
		return (NULL);
	p = (const uint8_t *)s;
	end = p + len;
	for (d = out; p < end; p += n, d += u8_uctomb(d, uc, 4)) {
		if ((n = u8_mbtouc(&uc, p, end - p)) < 1)
			n = 1;
	}
	v = json_stringn((const char *)out, d - out);
	free(out);
	return (v);
}

/*
 * A number PostgreSQL computed, as its text ("12", "-3", "85.7"), into a
 * JSON number: an integer when it has no fraction.  NULL (SQL NULL) is
 * null; text that is not a plain decimal is NULL, so the reply that
 * would hold it fails rather than lie.
 */
json_t *
json_number_text(const char *s)
{
	const char	*p;
	char		*end;
	long long	 n;
	double		 d;
	int		 dot;

	if (s == NULL)
		return (json_null());
	p = s[0] == '-' ? s + 1 : s;
	if (*p < '0' || *p > '9')
		return (NULL);
	for (dot = 0; *p != '\0'; p++) {
		if (*p == '.' && !dot && p[1] >= '0' && p[1] <= '9')
			dot = 1;
		else if (*p < '0' || *p > '9')
			return (NULL);
	}
	errno = 0;
	if (!dot) {
		n = strtoll(s, &end, 10);
		if (errno != 0 || *end != '\0')
			return (NULL);
		return (json_integer(n));
	}
	d = strtod(s, &end);
	if (errno != 0 || *end != '\0')
		return (NULL);
	return (json_real(d));
}

/*
 * The named string members of a JSON object into the form.  jansson checks
 * UTF-8 and refuses \u0000, so a string in the form is always clean text.
 * A member that is not a string, or a body that is not one object, is
 * refused (-1, the reason in err); null is as if absent; unknown members
 * are ignored.
 */
int
json_to_form(struct form *f, const unsigned char *body, size_t len,
    const char *const *names, char *err, size_t errlen)
{
	json_t		*root, *v;
	json_error_t	 jerr;
	int		 i, rc;

	root = json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		(void)snprintf(err, errlen, "JSON không hợp lệ (dòng %d, cột %d).",
		    jerr.line, jerr.column);
		return (-1);
	}
	if (!json_is_object(root)) {
		(void)snprintf(err, errlen, "Dữ liệu phải là một đối tượng JSON.");
		json_decref(root);
		return (-1);
	}
	rc = 0;
	for (i = 0; names[i] != NULL; i++) {
		v = json_object_get(root, names[i]);
		if (v == NULL || json_is_null(v))
			continue;
		if (!json_is_string(v)) {
			(void)snprintf(err, errlen,
			    "Trường \"%s\" phải là chuỗi ký tự.", names[i]);
			rc = -1;
			break;
		}
		/* The body wins over the query string. */
		if (form_replace(f, names[i], json_string_value(v),
		    json_string_length(v)) != FORM_OK) {
			(void)snprintf(err, errlen, "Quá nhiều trường dữ liệu.");
			rc = -1;
			break;
		}
	}
	json_decref(root);
	return (rc);
}

/*
 * Appends v (taken over) to *list.  A v that could not be built (NULL) or
 * an append that fails drops the whole list: *list becomes NULL, so the
 * reply that holds it fails as a whole (web_json answers 500) instead of
 * going out one item short.
 */
void
json_list_add(json_t **list, json_t *v)
{
	if (*list != NULL &&
	    (v == NULL || json_array_append_new(*list, v) == -1)) {
		json_decref(*list);
		*list = NULL;
		return;
	}
	if (*list == NULL)
		json_decref(v);
}
