/*
 * form: parse urlencoded and multipart bodies without trusting them.
 * Every length is checked before a copy; a malformed body is refused whole
 * rather than half-read, so a handler never acts on a partial form.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unistr.h>
#include <uninorm.h>

#include "form.h"

static int	 hexval(int);
static char	*pct_decode(const char *, size_t, size_t *);
static const unsigned char *memfind(const unsigned char *, size_t,
		    const char *, size_t);
static int	 part_header(const char *, size_t, char *, size_t, char **);
static char	*header_param(const char *, size_t, const char *);
static char	*nfc_dup(const char *, size_t, size_t *);

void
form_init(struct form *f)
{
	memset(f, 0, sizeof(*f));
}

void
form_free(struct form *f)
{
	int	i;

	for (i = 0; i < f->nfields; i++)
		free(f->field[i].value);
	for (i = 0; i < f->nfiles; i++)
		free(f->file[i].filename);
	form_init(f);
}

const char *
form_get(const struct form *f, const char *name, size_t *len)
{
	int	i;

	for (i = 0; i < f->nfields; i++) {
		if (strcmp(f->field[i].name, name) == 0) {
			if (len != NULL)
				*len = f->field[i].len;
			return (f->field[i].value);
		}
	}
	return (NULL);
}

int
form_set(struct form *f, const char *name, const char *value, size_t len)
{
	char	*copy;

	if (name[0] == '\0' || strlen(name) >= FORM_NAME_MAX)
		return (FORM_E_NAME);
	if (f->nfields >= FORM_MAX_FIELDS)
		return (FORM_E_TOO_MANY);
	copy = nfc_dup(value, len, &len);
	strcpy(f->field[f->nfields].name, name);
	f->field[f->nfields].value = copy;
	f->field[f->nfields].len = len;
	f->nfields++;
	return (FORM_OK);
}

/*
 * Sets name to value, dropping what the client sent under that name: for
 * values the server decides (a JSON body's fields over the query string,
 * Open311's mapping over the client's own fields).
 */
int
form_replace(struct form *f, const char *name, const char *value, size_t len)
{
	int	i, j;

	for (i = j = 0; i < f->nfields; i++) {
		if (strcmp(f->field[i].name, name) == 0) {
			free(f->field[i].value);
			continue;
		}
		f->field[j++] = f->field[i];
	}
	f->nfields = j;
	return (form_set(f, name, value, len));
}

int
form_parse_urlencoded(struct form *f, const char *s, size_t len)
{
	const char	*end, *amp, *eq;
	char		*name, *value;
	size_t		 nlen, vlen;
	int		 rc;

	end = s + len;
	while (s < end) {
		amp = memchr(s, '&', end - s);
		if (amp == NULL)
			amp = end;
		if (amp == s) {
			s++;
			continue;
		}
		eq = memchr(s, '=', amp - s);
		if (eq == NULL)
			eq = amp;
		if ((name = pct_decode(s, eq - s, &nlen)) == NULL)
			return (FORM_E_SYNTAX);
		value = pct_decode(eq < amp ? eq + 1 : amp,
		    eq < amp ? (size_t)(amp - eq - 1) : 0, &vlen);
		if (value == NULL) {
			free(name);
			return (FORM_E_SYNTAX);
		}
		if (nlen != strlen(name)) {
			rc = FORM_E_NAME;
		} else {
			rc = form_set(f, name, value, vlen);
		}
		free(name);
		free(value);
		if (rc != FORM_OK)
			return (rc);
		s = amp + 1;
	}
	return (FORM_OK);
}

/* Extract the boundary of a multipart/form-data Content-Type. */
int
form_boundary(const char *ct, char *out, size_t outlen)
{
	char	*b;
	size_t	 n;

	if (strncasecmp(ct, "multipart/form-data", 19) != 0)
		return (FORM_E_SYNTAX);
	if ((b = header_param(ct, strlen(ct), "boundary")) == NULL)
		return (FORM_E_SYNTAX);
	n = strlen(b);
	/* RFC 2046: 1 to 70 characters. */
	if (n == 0 || n > 70 || n + 1 > outlen) {
		free(b);
		return (FORM_E_SYNTAX);
	}
	memcpy(out, b, n + 1);
	free(b);
	return (FORM_OK);
}

int
form_parse_multipart(struct form *f, const char *boundary,
    const unsigned char *body, size_t len)
{
	char			 delim[80], name[FORM_NAME_MAX], *filename;
	const unsigned char	*p, *end, *hdr_end, *next;
	size_t			 dlen;
	int			 rc;

	dlen = strlen(boundary);
	if (dlen == 0 || dlen > 70)
		return (FORM_E_SYNTAX);
	delim[0] = '-';
	delim[1] = '-';
	memcpy(delim + 2, boundary, dlen);
	dlen += 2;

	end = body + len;
	if ((p = memfind(body, len, delim, dlen)) == NULL)
		return (FORM_E_SYNTAX);
	p += dlen;

	for (;;) {
		/* After a delimiter: "--" ends the body, CRLF starts a part. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return (FORM_OK);
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return (FORM_E_SYNTAX);
		p += 2;
		hdr_end = memfind(p, end - p, "\r\n\r\n", 4);
		if (hdr_end == NULL)
			return (FORM_E_SYNTAX);
		filename = NULL;
		rc = part_header((const char *)p, hdr_end - p, name,
		    sizeof(name), &filename);
		if (rc != FORM_OK)
			return (rc);
		p = hdr_end + 4;

		/* The part ends at CRLF + delimiter. */
		next = p;
		for (;;) {
			next = memfind(next, end - next, delim, dlen);
			if (next == NULL) {
				free(filename);
				return (FORM_E_SYNTAX);
			}
			if (next - p >= 2 && next[-2] == '\r' && next[-1] == '\n')
				break;
			next++;
		}

		if (filename != NULL) {
			if (f->nfiles >= FORM_MAX_FILES) {
				free(filename);
				return (FORM_E_TOO_MANY);
			}
			strcpy(f->file[f->nfiles].name, name);
			f->file[f->nfiles].filename = nfc_dup(filename,
			    strlen(filename), NULL);
			free(filename);
			f->file[f->nfiles].data = p;
			f->file[f->nfiles].len = (next - 2) - p;
			f->nfiles++;
		} else {
			rc = form_set(f, name, (const char *)p, (next - 2) - p);
			if (rc != FORM_OK)
				return (rc);
		}
		p = next + dlen;
	}
}

/*
 * The headers of one part: Content-Disposition gives the field name and,
 * for a file, its filename.  An empty filename means no file was chosen.
 */
static int
part_header(const char *h, size_t len, char *name, size_t namelen,
    char **filename)
{
	const char	*line, *eol, *end;
	char		*n, *fn;
	size_t		 l;

	end = h + len;
	for (line = h; line < end; line = eol + 2) {
		eol = (const char *)memfind((const unsigned char *)line,
		    end - line, "\r\n", 2);
		if (eol == NULL)
			eol = end;
		l = eol - line;
		if (l > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
			if ((n = header_param(line, l, "name")) == NULL)
				return (FORM_E_SYNTAX);
			if (n[0] == '\0' || strlen(n) >= namelen) {
				free(n);
				return (FORM_E_NAME);
			}
			strcpy(name, n);
			free(n);
			fn = header_param(line, l, "filename");
			if (fn != NULL && fn[0] == '\0') {
				free(fn);
				fn = strdup("");
			}
			*filename = fn;
			return (FORM_OK);
		}
		if (eol == end)
			break;
	}
	return (FORM_E_SYNTAX);
}

/* A parameter of a header value: name="value" or name=value, bounded. */
static char *
header_param(const char *h, size_t len, const char *param)
{
	const char	*p, *end, *v;
	size_t		 plen, vlen;
	char		*out;

	plen = strlen(param);
	end = h + len;
	for (p = h; p + plen < end; p++) {
		if (p != h && p[-1] != ';' && p[-1] != ' ' && p[-1] != '\t')
			continue;
		if (strncasecmp(p, param, plen) != 0 || p[plen] != '=')
			continue;
		v = p + plen + 1;
		if (v < end && *v == '"') {
			v++;
			for (vlen = 0; v + vlen < end && v[vlen] != '"'; vlen++)
				;
			if (v + vlen >= end)
				return (NULL);
		} else {
			for (vlen = 0; v + vlen < end && v[vlen] != ';' &&
			    v[vlen] != ' ' && v[vlen] != '\r'; vlen++)
				;
		}
		if (vlen > 255 || memchr(v, '\0', vlen) != NULL)
			return (NULL);
		if ((out = malloc(vlen + 1)) == NULL)
			abort();
		memcpy(out, v, vlen);
		out[vlen] = '\0';
		return (out);
	}
	return (NULL);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

/* Decode %XX and '+'; the result may contain NUL, reported through outlen. */
static char *
pct_decode(const char *s, size_t len, size_t *outlen)
{
	char	*out;
	size_t	 i, o;
	int	 hi, lo;

	if ((out = malloc(len + 1)) == NULL)
		abort();
	for (i = 0, o = 0; i < len; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= len) {
				free(out);
				return (NULL);
			}
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0) {
				free(out);
				return (NULL);
			}
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*outlen = o;
	return (out);
}

static const unsigned char *
memfind(const unsigned char *hay, size_t hlen, const char *needle, size_t nlen)
{
	return (memmem(hay, hlen, needle, nlen));
}

/*
 * A NUL-terminated copy of value in Unicode NFC.  Phones and some
 * keyboards send Vietnamese decomposed (NFD: "e" + U+0302 + U+0301 for
 * "ế"); composed, a name counts its characters as a person would and
 * the same text typed on two devices is the same text.  What is not
 * valid UTF-8 is copied as it is, for the validation to refuse.
 */
static char *
nfc_dup(const char *value, size_t len, size_t *outlen)
{
	uint8_t	*nfc;
	char	*copy;
	size_t	 i, n;

	for (i = 0; i < len && (unsigned char)value[i] < 0x80; i++)
		;
	if (i < len && memchr(value, '\0', len) == NULL &&
	    u8_check((const uint8_t *)value, len) == NULL) {
		nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)value, len,
		    NULL, &n);
		if (nfc != NULL) {
			if ((copy = realloc(nfc, n + 1)) == NULL)
				abort();
			copy[n] = '\0';
			if (outlen != NULL)
				*outlen = n;
			return (copy);
		}
	}
	if ((copy = malloc(len + 1)) == NULL)
		abort();
	memcpy(copy, value, len);
	copy[len] = '\0';
	if (outlen != NULL)
		*outlen = len;
	return (copy);
}
