/*
 * sms_gateway: the generic HTTP SMS gateway adapter's rules (sms.c does
 * the I/O).  Providers differ in field names, so the request body is the
 * province's template with {phone}, {sender} and {text} filled in: a
 * template that starts with '{' is JSON and the values are written as
 * JSON strings' insides; any other is a form (application/x-www-form-
 * urlencoded) and the values are URL-encoded.  The reply is read the
 * same way whatever the provider: 2xx sent (the message id from the JSON
 * reply's "id", "message_id" or "messageId"), 429 and 5xx later, any
 * other refused with the gateway's reason.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "sms_gateway.h"

static int	sms_append_json(struct sbuf *, const char *);
static const char *sms_reply_field(json_t *, const char *const *, char *,
		    size_t);
static int	sms_is_gsm(const char *);
static void	sms_utf8_trim(char *);

/*
 * How many SMS parts the text takes (UTF-8); -1 if it is not UTF-8 the
 * caller already checked, or empty.
 */
int
sms_parts(const char *text)
{
	const unsigned char	*p;
	size_t			 units = 0;
	int			 gsm;

	if (text == NULL || *text == '\0')
		return (-1);
	gsm = sms_is_gsm(text);
	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;		/* a continuation byte */
		/* Beyond the BMP: a surrogate pair, two UCS-2 units. */
		units += *p >= 0xf0 ? 2 : 1;
	}
	if (gsm)
		return (units <= 160 ? 1 : (int)((units + 152) / 153));
	return (units <= 70 ? 1 : (int)((units + 66) / 67));
}

/*
 * The gateway's request body from tmpl (SMS_TEMPLATE_DEFAULT if NULL or
 * empty) into out; *json says which content type it is.  0, or -1 if the
 * template lacks {text} or {phone} (or a value is not UTF-8).
 */
int
sms_request_body(const char *tmpl, const char *phone, const char *sender,
    const char *text, struct sbuf *out, int *json)
{
	static const struct {
		const char	*name;
		size_t		 len;
	} vars[] = {
		{ "{phone}", 7 }, { "{sender}", 8 }, { "{text}", 6 },
	};
	const char	*p, *vals[3];
	size_t		 i, n;

	if (tmpl == NULL || *tmpl == '\0')
		tmpl = SMS_TEMPLATE_DEFAULT;
	if (strstr(tmpl, "{text}") == NULL || strstr(tmpl, "{phone}") == NULL)
		return (-1);
	vals[0] = phone;
	vals[1] = sender != NULL ? sender : "";
	vals[2] = text;
	*json = tmpl[strspn(tmpl, " \t\r\n")] == '{';

	for (p = tmpl; *p != '\0'; ) {
		for (i = 0; i < 3; i++)
			if (strncmp(p, vars[i].name, vars[i].len) == 0)
				break;
		if (i < 3) {
			if (*json) {
				if (sms_append_json(out, vals[i]) == -1)
					return (-1);
			} else {
				sbuf_append_url(out, vals[i], SBUF_URL_QUERY);
			}
			p += vars[i].len;
			continue;
		}
		n = strcspn(p + 1, "{") + 1;
		sbuf_append(out, p, n);
		p += n;
	}
	return (0);
}

/*
 * What the gateway's reply (HTTP status, 0 if none came; its body; why
 * none came) means for the message: r->external_id and r->error filled.
 */
enum outbox_verdict
sms_reply_read(long status, const char *body, const char *neterr,
    struct outbox_result *r)
{
	static const char *const ids[] = { "id", "message_id", "messageId",
	    NULL };
	static const char *const reasons[] = { "error", "message", "reason",
	    "detail", NULL };
	static const char *const bad[] = { "error", "failed", "rejected",
	    NULL };
	json_t		*j;
	json_error_t	 jerr;
	const char	*v, *st;
	char		 vbuf[301], stbuf[32];	/* the reason: cut whole */
	enum outbox_verdict verdict;
	size_t		 i;

	if (status == 0) {
		(void)snprintf(r->error, sizeof(r->error), "Không kết nối được "
		    "cổng SMS (%s); sẽ thử lại.", neterr != NULL && *neterr ?
		    neterr : "không có trả lời");
		return (OUTBOX_RETRY);
	}
	j = json_loads(body != NULL ? body : "", JSON_DECODE_ANY, &jerr);
	if (j != NULL && !json_is_object(j)) {
		json_decref(j);
		j = NULL;
	}
	v = sms_reply_field(j, reasons, vbuf, sizeof(vbuf));
	st = sms_reply_field(j, (const char *const[]){ "status", NULL }, stbuf,
	    sizeof(stbuf));

	if (status >= 200 && status < 300) {
		for (i = 0; st != NULL && bad[i] != NULL; i++)
			if (strcasecmp(st, bad[i]) == 0)
				break;
		if (st != NULL && bad[i] != NULL) {
			(void)snprintf(r->error, sizeof(r->error), "Cổng SMS "
			    "từ chối tin: %s", v != NULL ? v : st);
			verdict = OUTBOX_FAILED;
		} else {
			(void)sms_reply_field(j, ids, r->external_id,
			    sizeof(r->external_id));
			verdict = OUTBOX_SENT;
		}
	} else if (status == 429 || status >= 500) {
		(void)snprintf(r->error, sizeof(r->error), "Cổng SMS tạm thời "
		    "không nhận tin (HTTP %ld%s%s); sẽ thử lại.", status,
		    v != NULL ? ": " : "", v != NULL ? v : "");
		verdict = OUTBOX_RETRY;
	} else {
		(void)snprintf(r->error, sizeof(r->error), "Cổng SMS từ chối "
		    "tin (HTTP %ld)%s%s", status, v != NULL ? ": " : ".",
		    v != NULL ? v : "");
		verdict = OUTBOX_FAILED;
	}
	json_decref(j);
	sms_utf8_trim(r->error);
	sms_utf8_trim(r->external_id);
	return (verdict);
}

/*
 * The inside of a JSON string, escaped by jansson.  0, or -1 if s is not
 * UTF-8.
 */
static int
sms_append_json(struct sbuf *out, const char *s)
{
	json_t	*j;
	char	*d;

	if ((j = json_string(s)) == NULL)
		return (-1);
	d = json_dumps(j, JSON_ENCODE_ANY);
	json_decref(j);
	if (d == NULL)
		return (-1);
	sbuf_append(out, d + 1, strlen(d) - 2);	/* without the quotes */
	free(d);
	return (0);
}

/*
 * The first of names that is a string (or a number) in j, as text into
 * buf (cut to fit); NULL if none is.
 */
static const char *
sms_reply_field(json_t *j, const char *const *names, char *buf, size_t len)
{
	json_t		*v;
	size_t		 i;

	buf[0] = '\0';
	for (i = 0; j != NULL && names[i] != NULL; i++) {
		v = json_object_get(j, names[i]);
		if (json_is_string(v) && json_string_length(v) > 0) {
			(void)snprintf(buf, len, "%s", json_string_value(v));
			sms_utf8_trim(buf);
			return (buf);
		}
		if (json_is_integer(v)) {
			(void)snprintf(buf, len, "%lld",
			    (long long)json_integer_value(v));
			return (buf);
		}
	}
	return (NULL);
}

/* Only ASCII letters, digits and common punctuation: the GSM alphabet. */
static int
sms_is_gsm(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80 || ((unsigned char)*s < 0x20 &&
		    *s != '\n' && *s != '\r'))
			return (0);
		if (strchr("[]{}\\^~|`", *s) != NULL)
			return (0);	/* two septets each: UCS-2 to be safe */
	}
	return (1);
}

/* A string cut to fit a buffer loses the half character at its end. */
static void
sms_utf8_trim(char *s)
{
	size_t		 len, start, need;
	unsigned char	 c;

	len = strlen(s);
	start = len;
	while (start > 0 && ((unsigned char)s[start - 1] & 0xc0) == 0x80)
		start--;
	if (start == 0)
		return;
	c = (unsigned char)s[start - 1];
	if (c < 0x80)
		return;
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (len - (start - 1) < need)
		s[start - 1] = '\0';
}
