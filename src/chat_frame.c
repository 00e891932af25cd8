/*
 * chat_frame: one frame from a visitor's browser, checked in the order
 * that costs least first: its size, its UTF-8, its JSON, then the shape
 * of the one kind of frame it says it is.  Text is trimmed; a frame that
 * fails any check is refused whole and nothing of it is used.
 */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "chat_frame.h"
#include "valid.h"

static int	copy_token(json_t *, const char *, size_t, size_t, char *);
static int	copy_text(json_t *, const char *, size_t, int, int, char *,
		    size_t);

/* CHAT_FRAME_OK, or one of CHAT_FRAME_E*. */
int
chat_frame_parse(const void *data, size_t len, struct chat_frame *f)
{
	json_t		*root, *v;
	json_error_t	 jerr;
	const char	*t;
	int		 rc;

	memset(f, 0, sizeof(*f));
	if (len > CHAT_FRAME_MAX)
		return (CHAT_FRAME_ETOOBIG);
	if (len == 0 || !valid_utf8(data, len))
		return (CHAT_FRAME_EUTF8);
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return (CHAT_FRAME_EJSON);

	rc = CHAT_FRAME_ESHAPE;
	if (!json_is_object(root) || (t = json_string_value(
	    json_object_get(root, "t"))) == NULL)
		goto out;

	if (strcmp(t, "hello") == 0) {
		f->type = CHAT_FRAME_HELLO;
		if (copy_token(root, "visitor", CHAT_VISITOR_MIN,
		    CHAT_VISITOR_MAX, f->visitor) == -1)
			goto out;
		v = json_object_get(root, "last");
		if (v != NULL && !json_is_null(v)) {
			if (!json_is_integer(v) || json_integer_value(v) < 0)
				goto out;
			f->last = json_integer_value(v);
		}
		if (copy_text(root, "name", CHAT_NAME_MAX_CHARS, 0, 0, f->name,
		    sizeof(f->name)) == -1) {
			rc = CHAT_FRAME_ETEXT;
			goto out;
		}
	} else if (strcmp(t, "msg") == 0) {
		f->type = CHAT_FRAME_MSG;
		if (copy_token(root, "cid", 1, CHAT_CID_MAX, f->cid) == -1)
			goto out;
		if (copy_text(root, "text", CHAT_TEXT_MAX_CHARS, 1, 1, f->text,
		    sizeof(f->text)) == -1 || copy_text(root, "name",
		    CHAT_NAME_MAX_CHARS, 0, 0, f->name, sizeof(f->name)) == -1) {
			rc = CHAT_FRAME_ETEXT;
			goto out;
		}
	} else if (strcmp(t, "typing") == 0) {
		f->type = CHAT_FRAME_TYPING;
	} else if (strcmp(t, "email") == 0) {
		f->type = CHAT_FRAME_EMAIL;
		t = json_string_value(json_object_get(root, "address"));
		if (t == NULL || json_string_length(json_object_get(root,
		    "address")) > CHAT_EMAIL_MAX ||
		    !valid_email(t, strlen(t))) {
			rc = CHAT_FRAME_EEMAIL;
			goto out;
		}
		memcpy(f->email, t, strlen(t) + 1);
	} else {
		goto out;
	}
	rc = CHAT_FRAME_OK;
out:
	json_decref(root);
	return (rc);
}

const char *
chat_frame_code(int rc)
{
	switch (rc) {
	case CHAT_FRAME_ETOOBIG:	return ("too_big");
	case CHAT_FRAME_EUTF8:		return ("utf8");
	case CHAT_FRAME_EJSON:		return ("json");
	case CHAT_FRAME_ESHAPE:		return ("shape");
	case CHAT_FRAME_ETEXT:		return ("text");
	case CHAT_FRAME_EEMAIL:		return ("email");
	default:			return ("ok");
	}
}

const char *
chat_frame_error_vi(int rc)
{
	switch (rc) {
	case CHAT_FRAME_ETOOBIG:
		return ("Tin nhắn quá dài (tối đa 2.000 ký tự).");
	case CHAT_FRAME_EUTF8:
	case CHAT_FRAME_EJSON:
	case CHAT_FRAME_ESHAPE:
		return ("Dữ liệu gửi lên không hợp lệ.");
	case CHAT_FRAME_ETEXT:
		return ("Tin nhắn trống, quá dài hoặc có ký tự không hợp lệ.");
	case CHAT_FRAME_EEMAIL:
		return ("Địa chỉ e-mail không hợp lệ.");
	default:
		return ("");
	}
}

/* A string of min..max of [A-Za-z0-9_-]: 0, or -1. */
static int
copy_token(json_t *root, const char *key, size_t min, size_t max, char *out)
{
	json_t		*v;
	const char	*s;
	size_t		 len;

	if ((v = json_object_get(root, key)) == NULL ||
	    (s = json_string_value(v)) == NULL)
		return (-1);
	len = json_string_length(v);
	if (len < min || len > max || strspn(s, CHAT_TOKEN_CHARS) != len)
		return (-1);
	memcpy(out, s, len + 1);
	return (0);
}

/*
 * A text of at most max_chars characters, trimmed, no control characters
 * (newlines when multiline); absent or blank is an error only when
 * required: 0, or -1.
 */
static int
copy_text(json_t *root, const char *key, size_t max_chars, int multiline,
    int required, char *out, size_t outlen)
{
	json_t		*v;
	const char	*s;
	size_t		 len;
	int		 rc;

	v = json_object_get(root, key);
	if (v == NULL || json_is_null(v))
		return (required ? -1 : 0);
	if ((s = json_string_value(v)) == NULL)
		return (-1);
	len = json_string_length(v);
	if (strlen(s) != len || len >= outlen)
		return (-1);
	rc = valid_text(s, len, max_chars, multiline);
	if (rc == VALID_EEMPTY && !required)
		return (0);
	if (rc != VALID_OK)
		return (-1);
	memcpy(out, s, len + 1);
	(void)valid_trim(out);
	return (0);
}
