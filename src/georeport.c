/*
 * georeport: Open311 GeoReport v2's XML and dates, pure (no Kore).
 *
 * The XML is written from the JSON value the JSON format sends, so the
 * two formats cannot say different things: an object is an element per
 * key, an array an element per item, named after the list as the spec
 * names it (<services><service>, <service_requests><request>,
 * <errors><error>, <attributes><attribute>…), null an empty element,
 * true/false and numbers as text.  Text is escaped for element content
 * and attribute values alike; what XML 1.0 cannot carry at all (C0
 * controls other than tab and line breaks, bytes that are not UTF-8) is
 * written as U+FFFD, so the document always parses.
 */
#include <stdio.h>
#include <string.h>

#include "georeport.h"

#define XML_DECL	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */
#define DEPTH_MAX	8

static const struct {
	const char	*list;
	const char	*item;
} items[] = {
	{ "services",			"service" },
	{ "service_requests",		"request" },
	{ "errors",			"error" },
	{ "attributes",			"attribute" },
	{ "values",			"value" },
	{ "endpoints",			"endpoint" },
	{ "formats",			"format" },
	{ "service_request_updates",	"request_update" },
	{ NULL,				NULL }
};

static int	utf8_seq(const unsigned char *, size_t);
static const char *entity(unsigned char);
static int	name_ok(const char *);
static const char *item_name(const char *);
static int	digits(const char *, int);
static int	element(struct sbuf *, const char *, const json_t *, int);

/*
 * The length of the well-formed UTF-8 sequence at s (at most n bytes),
 * or 0 if there is none (RFC 3629: no overlongs, no surrogates, at most
 * U+10FFFF).
 */
static int
utf8_seq(const unsigned char *s, size_t n)
{
	int	len, i;

	if (s[0] < 0x80)
		return (1);
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return (0);
	if ((size_t)len > n)
		return (0);
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return (0);
	if (s[0] == 0xe0 && s[1] < 0xa0)
		return (0);
	if (s[0] == 0xed && s[1] >= 0xa0)
		return (0);
	if (s[0] == 0xf0 && s[1] < 0x90)
		return (0);
	if (s[0] == 0xf4 && s[1] >= 0x90)
		return (0);
	/* U+FFFE and U+FFFF are not XML characters either. */
	if (s[0] == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))
		return (0);
	return (len);
}

/* The entity that stands for c in XML text, or NULL. */
static const char *
entity(unsigned char c)
{
	switch (c) {
	case '&':
		return ("&amp;");
	case '<':
		return ("&lt;");
	case '>':
		return ("&gt;");
	case '"':
		return ("&quot;");
	case '\'':
		return ("&apos;");
	default:
		return (NULL);
	}
}

/* Text as XML element content or a quoted attribute value. */
void
georeport_xml_text(struct sbuf *sb, const char *text, size_t len)
{
	const unsigned char	*s = (const unsigned char *)text;
	const char		*ent;
	size_t			 i;
	int			 n;

	for (i = 0; i < len; i += n) {
		n = 1;
		if ((ent = entity(s[i])) != NULL)
			sbuf_append(sb, ent, strlen(ent));
		else if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			sbuf_append(sb, &s[i], 1);
		else if (s[i] < 0x20 || s[i] == 0x7f ||
		    (n = utf8_seq(s + i, len - i)) == 0) {
			sbuf_lit(sb, REPLACEMENT);
			n = 1;
		} else
			sbuf_append(sb, &s[i], n);
	}
}

/* Our own element names only: letters, digits, '_'. */
static int
name_ok(const char *name)
{
	size_t	n;

	n = strlen(name);
	return (n > 0 && n < 64 && (name[0] < '0' || name[0] > '9') &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n);
}

static const char *
item_name(const char *list)
{
	int	i;

	for (i = 0; items[i].list != NULL; i++)
		if (strcmp(items[i].list, list) == 0)
			return (items[i].item);
	return ("item");
}

static int
element(struct sbuf *sb, const char *name, const json_t *v, int depth)
{
	const char	*key, *item;
	const json_t	*x;
	size_t		 i;

	if (!name_ok(name) || depth > DEPTH_MAX)
		return (-1);
	if (v == NULL || json_is_null(v)) {
		sbuf_appendf(sb, "<%s/>", name);
		return (0);
	}
	sbuf_appendf(sb, "<%s>", name);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, key, x) {
			if (element(sb, key, x, depth + 1) == -1)
				return (-1);
		}
		break;
	case JSON_ARRAY:
		item = item_name(name);
		json_array_foreach(v, i, x) {
			if (element(sb, item, x, depth + 1) == -1)
				return (-1);
		}
		break;
	case JSON_STRING:
		georeport_xml_text(sb, json_string_value(v),
		    json_string_length(v));
		break;
	case JSON_INTEGER:
		sbuf_appendf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		sbuf_appendf(sb, "%.15g", json_real_value(v));
		break;
	case JSON_TRUE:
		sbuf_lit(sb, "true");
		break;
	case JSON_FALSE:
		sbuf_lit(sb, "false");
		break;
	default:
		break;
	}
	sbuf_appendf(sb, "</%s>", name);
	return (0);
}

/*
 * The document for v under the root element root ("services",
 * "service_requests", "errors", "service_definition", "discovery", …):
 * 0, or -1 (a name that cannot be an element, or nested too deep).
 */
int
georeport_xml(struct sbuf *sb, const char *root, const json_t *v)
{
	sbuf_lit(sb, XML_DECL);
	if (element(sb, root, v, 0) == -1)
		return (-1);
	sbuf_lit(sb, "\n");
	return (0);
}

static int
digits(const char *s, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return (0);
	return (1);
}

/*
 * A date as GeoReport filters take it, ISO 8601 (W3C profile):
 * 2026-12-03, 2026-12-03T10:00, 2026-12-03T10:00:00,
 * 2026-12-03T10:00:00.000 with 1 to 9 decimals, each time optionally
 * with Z or ±HH:MM (or ±HHMM).  The shape only: whether the day exists
 * (2026-02-30) PostgreSQL says.  1 if the shape is right, else 0.
 */
int
georeport_date_ok(const char *s)
{
	size_t	n;
	int	i;

	n = strnlen(s, GEOREPORT_DATE_MAX);
	if (n >= GEOREPORT_DATE_MAX || n < 10)
		return (0);
	if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return (0);
	s += 10;
	if (*s == '\0')
		return (1);
	if ((*s != 'T' && *s != ' ') || !digits(s + 1, 2) || s[3] != ':' ||
	    !digits(s + 4, 2))
		return (0);
	s += 6;
	if (*s == ':') {
		if (!digits(s + 1, 2))
			return (0);
		s += 3;
		if (*s == '.' || *s == ',') {
			for (i = 1; s[i] >= '0' && s[i] <= '9'; i++)
				;
			if (i == 1 || i > 10)
				return (0);
			s += i;
		}
	}
	if (*s == '\0' || (s[0] == 'Z' && s[1] == '\0'))
		return (1);
	if (*s != '+' && *s != '-')
		return (0);
	if (!digits(s + 1, 2))
		return (0);
	s += 3;
	if (*s == ':')
		s++;
	return (digits(s, 2) && s[2] == '\0');
}

/*
 * How many bytes of s (len bytes of UTF-8) hold its first max characters:
 * a cut there never splits a character.
 */
size_t
georeport_clip(const char *s, size_t len, size_t max)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, chars;

	for (i = 0, chars = 0; i < len; i++) {
		if ((u[i] & 0xc0) == 0x80)
			continue;
		if (chars == max)
			return (i);
		chars++;
	}
	return (len);
}
