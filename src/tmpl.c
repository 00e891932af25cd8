/*
 * tmpl.c: a small Mustache-subset template engine.
 *
 * Templates are compiled once at start-up into a flat node array.  A
 * section node records the index just past its last child, so rendering
 * is a walk over that array: no parsing and no allocation per request
 * beyond growing the output buffer.  The context stack lives on the C
 * stack as a chain of frames.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmpl.h"

#define TMPL_NAME_MAX		128
#define TMPL_NEST_MAX		64
#define TMPL_PARTIAL_DEPTH	32
#define TMPL_FILE_MAX		(4 * 1024 * 1024)
#define TMPL_BUCKETS		128
#define TMPL_ERRLEN		256

enum tval_type {
	TVAL_STR,
	TVAL_LIST,
	TVAL_OBJ
};

struct tkv {
	char		*key;
	size_t		klen;
	uint32_t	hash;
	struct tval	*val;
};

struct tval {
	enum tval_type		type;
	union {
		struct {
			char		*s;
			size_t		len;
		} str;
		struct {
			struct tval	**items;
			size_t		n;
			size_t		cap;
		} list;
		struct {
			struct tkv	*kv;
			size_t		n;
			size_t		cap;
		} obj;
	} u;
};

enum tnode_type {
	TNODE_TEXT,
	TNODE_VAR,
	TNODE_RAW,
	TNODE_SECTION,
	TNODE_INVERTED,
	TNODE_PARTIAL
};

/* One part of a dotted name; points into the template's source copy. */
struct tseg {
	const char	*s;
	size_t		len;
	uint32_t	hash;
};

struct tnode {
	enum tnode_type	type;
	const char	*text;		/* text, or the tag's name */
	size_t		len;
	size_t		seg;		/* first segment in tmpl->segs */
	size_t		nseg;		/* 0 means "." */
	size_t		end;		/* sections: one past the last child */
	uint32_t	hash;		/* partials: hash of the name */
	int		line;
};

struct tmpl {
	char		*name;
	size_t		namelen;
	uint32_t	hash;
	char		*src;
	struct tnode	*nodes;
	size_t		nnodes;
	size_t		nodecap;
	struct tseg	*segs;
	size_t		nsegs;
	size_t		segcap;
	struct tmpl	*next;
};

/* A context stack frame; frames are chained on the C stack. */
struct tframe {
	const struct tval	*val;
	const struct tframe	*up;
};

struct tparse {
	struct tmpl	*t;
	const char	*p;
	const char	*end;
	int		line;
	size_t		open[TMPL_NEST_MAX];
	size_t		nopen;
	char		*err;
	size_t		errlen;
};

static void		*tmpl_xmalloc(size_t);
static void		*tmpl_xrealloc(void *, size_t, size_t);
static char		*tmpl_xstrndup(const char *, size_t);
static void		 tmpl_oom(void);
static uint32_t		 tmpl_hash(const char *, size_t);
static struct tval	*tval_new(enum tval_type);
static void		 tval_check(const struct tval *, enum tval_type,
			    const char *);
static void		 tval_put(struct tval *, const char *, struct tval *);
static void		 tval_push(struct tval *, struct tval *);
static const struct tval *tval_get(const struct tval *, const char *,
			    size_t, uint32_t);
static int		 tval_truthy(const struct tval *);
static struct tmpl	*tmpl_find(const char *, size_t, uint32_t);
static void		 tmpl_insert(struct tmpl *);
static void		 tmpl_destroy(struct tmpl *);
static int		 tmpl_compile(struct tmpl *, char *, size_t);
static int		 tmpl_parse_tag(struct tparse *);
static int		 tmpl_fail(struct tparse *, int, const char *, ...)
			    __attribute__((format(printf, 3, 4)));
static size_t		 tmpl_node_add(struct tparse *, enum tnode_type,
			    const char *, size_t);
static int		 tmpl_name_split(struct tparse *, struct tnode *);
static void		 tmpl_count_lines(struct tparse *, const char *,
			    const char *);
static int		 tmpl_is_space(int);
static int		 tmpl_read_file(const char *, char **, size_t *);
static const struct tval *tmpl_lookup(const struct tmpl *,
			    const struct tnode *, const struct tframe *);
static int		 tmpl_run(const struct tmpl *, size_t, size_t,
			    const struct tframe *, struct sbuf *, int);

static struct tmpl	*tmpl_registry[TMPL_BUCKETS];

struct tval *
tval_obj(void)
{
	return (tval_new(TVAL_OBJ));
}

void
tval_set(struct tval *obj, const char *key, const char *str)
{
	if (str == NULL) {
		tval_put(obj, key, NULL);
		return;
	}
	tval_setn(obj, key, str, strlen(str));
}

void
tval_setn(struct tval *obj, const char *key, const char *str, size_t len)
{
	struct tval	*v;

	tval_check(obj, TVAL_OBJ, "tval_setn");
	if (str == NULL) {
		tval_put(obj, key, NULL);
		return;
	}
	v = tval_new(TVAL_STR);
	v->u.str.s = tmpl_xstrndup(str, len);
	v->u.str.len = len;
	tval_put(obj, key, v);
}

void
tval_setf(struct tval *obj, const char *key, const char *fmt, ...)
{
	va_list		ap;
	char		*s;
	int		n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;

	s = tmpl_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	(void)vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);

	tval_setn(obj, key, s, (size_t)n);
	free(s);
}

/*
 * "Off" is stored as an empty string rather than removed, so that the key
 * still shadows a same-named key further up the context stack.
 */
void
tval_set_bool(struct tval *obj, const char *key, int on)
{
	tval_setn(obj, key, on ? "1" : "", on ? 1 : 0);
}

struct tval *
tval_set_obj(struct tval *obj, const char *key)
{
	struct tval	*v;

	tval_check(obj, TVAL_OBJ, "tval_set_obj");
	v = tval_new(TVAL_OBJ);
	tval_put(obj, key, v);
	return (v);
}

struct tval *
tval_set_list(struct tval *obj, const char *key)
{
	struct tval	*v;

	tval_check(obj, TVAL_OBJ, "tval_set_list");
	v = tval_new(TVAL_LIST);
	tval_put(obj, key, v);
	return (v);
}

struct tval *
tval_list_add(struct tval *list)
{
	struct tval	*v;

	tval_check(list, TVAL_LIST, "tval_list_add");
	v = tval_new(TVAL_OBJ);
	tval_push(list, v);
	return (v);
}

/* A list of plain strings, for {{#tags}}{{.}}{{/tags}}. */
void
tval_list_add_str(struct tval *list, const char *str)
{
	struct tval	*v;

	tval_check(list, TVAL_LIST, "tval_list_add_str");
	if (str == NULL)
		return;
	v = tval_new(TVAL_STR);
	v->u.str.len = strlen(str);
	v->u.str.s = tmpl_xstrndup(str, v->u.str.len);
	tval_push(list, v);
}

void
tval_free(struct tval *v)
{
	size_t		i;

	if (v == NULL)
		return;

	switch (v->type) {
	case TVAL_STR:
		free(v->u.str.s);
		break;
	case TVAL_LIST:
		for (i = 0; i < v->u.list.n; i++)
			tval_free(v->u.list.items[i]);
		free(v->u.list.items);
		break;
	case TVAL_OBJ:
		for (i = 0; i < v->u.obj.n; i++) {
			free(v->u.obj.kv[i].key);
			tval_free(v->u.obj.kv[i].val);
		}
		free(v->u.obj.kv);
		break;
	}
	free(v);
}

/*
 * Loads every *.html file of dir.  All files are tried so that one start-up
 * shows every syntax error; then partial references are checked, because
 * a missing partial would otherwise only show up as an empty spot on a
 * page.
 */
int
tmpl_load_dir(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[4096], err[TMPL_ERRLEN], name[TMPL_NAME_MAX + 1];
	char		*src;
	size_t		 len, nlen;
	int		 rc;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "tmpl: %s: %s\n", dir, strerror(errno));
		return (-1);
	}

	rc = 0;
	while ((de = readdir(d)) != NULL) {
		nlen = strlen(de->d_name);
		if (de->d_name[0] == '.' || nlen <= 5 ||
		    strcmp(de->d_name + nlen - 5, ".html") != 0)
			continue;
		if (nlen - 5 > TMPL_NAME_MAX) {
			fprintf(stderr, "tmpl: %s/%s: name too long\n",
			    dir, de->d_name);
			rc = -1;
			continue;
		}
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
		    dir, de->d_name) >= sizeof(path)) {
			fprintf(stderr, "tmpl: %s/%s: path too long\n",
			    dir, de->d_name);
			rc = -1;
			continue;
		}
		if (tmpl_read_file(path, &src, &len) == -1) {
			rc = -1;
			continue;
		}
		memcpy(name, de->d_name, nlen - 5);
		name[nlen - 5] = '\0';
		if (tmpl_add(name, src, len, err, sizeof(err)) == -1) {
			fprintf(stderr, "tmpl: %s: %s\n", path, err);
			rc = -1;
		}
		free(src);
	}
	closedir(d);

	if (tmpl_check_partials(err, sizeof(err)) == -1) {
		fprintf(stderr, "tmpl: %s/%s\n", dir, err);
		rc = -1;
	}

	return (rc);
}

int
tmpl_add(const char *name, const char *src, size_t len, char *err,
    size_t errlen)
{
	struct tmpl	*t;
	size_t		 nlen;
	char		 dummy[TMPL_ERRLEN];

	if (err == NULL || errlen == 0) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';

	nlen = strlen(name);
	if (nlen == 0 || nlen > TMPL_NAME_MAX) {
		(void)snprintf(err, errlen, "bad template name");
		return (-1);
	}
	if (memchr(src, '\0', len) != NULL) {
		(void)snprintf(err, errlen, "template contains a NUL byte");
		return (-1);
	}

	t = tmpl_xmalloc(sizeof(*t));
	memset(t, 0, sizeof(*t));
	t->name = tmpl_xstrndup(name, nlen);
	t->namelen = nlen;
	t->hash = tmpl_hash(name, nlen);
	t->src = tmpl_xstrndup(src, len);

	if (tmpl_compile(t, err, errlen) == -1) {
		tmpl_destroy(t);
		return (-1);
	}

	tmpl_insert(t);
	return (0);
}

int
tmpl_exists(const char *name)
{
	size_t		len;

	len = strlen(name);
	return (tmpl_find(name, len, tmpl_hash(name, len)) != NULL);
}

/*
 * Reports the first {{> name}} that names no registered template, as
 * "name.html: line N: unknown partial "x"".
 */
int
tmpl_check_partials(char *err, size_t errlen)
{
	struct tmpl		*t;
	const struct tnode	*n;
	size_t			 b, i;

	for (b = 0; b < TMPL_BUCKETS; b++) {
		for (t = tmpl_registry[b]; t != NULL; t = t->next) {
			for (i = 0; i < t->nnodes; i++) {
				n = &t->nodes[i];
				if (n->type != TNODE_PARTIAL ||
				    tmpl_find(n->text, n->len, n->hash) != NULL)
					continue;
				if (err != NULL && errlen > 0) {
					(void)snprintf(err, errlen,
					    "%s.html: line %d: unknown "
					    "partial \"%.*s\"", t->name,
					    n->line, (int)n->len, n->text);
				}
				return (-1);
			}
		}
	}

	return (0);
}

int
tmpl_render(const char *name, const struct tval *ctx, struct sbuf *out)
{
	const struct tmpl	*t;
	struct tframe		 root;
	size_t			 len;

	len = strlen(name);
	if ((t = tmpl_find(name, len, tmpl_hash(name, len))) == NULL)
		return (-1);

	root.val = ctx;
	root.up = NULL;
	return (tmpl_run(t, 0, t->nnodes, &root, out, 0));
}

void
tmpl_cleanup(void)
{
	struct tmpl	*t, *next;
	size_t		 b;

	for (b = 0; b < TMPL_BUCKETS; b++) {
		for (t = tmpl_registry[b]; t != NULL; t = next) {
			next = t->next;
			tmpl_destroy(t);
		}
		tmpl_registry[b] = NULL;
	}
}

static int
tmpl_run(const struct tmpl *t, size_t from, size_t to,
    const struct tframe *f, struct sbuf *out, int depth)
{
	const struct tnode	*n;
	const struct tval	*v;
	const struct tmpl	*p;
	struct tframe		 child;
	size_t			 i, k;

	i = from;
	while (i < to) {
		n = &t->nodes[i];
		switch (n->type) {
		case TNODE_TEXT:
			sbuf_append(out, n->text, n->len);
			i++;
			break;
		case TNODE_VAR:
		case TNODE_RAW:
			v = tmpl_lookup(t, n, f);
			if (v != NULL && v->type == TVAL_STR) {
				if (n->type == TNODE_VAR) {
					sbuf_append_html(out, v->u.str.s,
					    v->u.str.len);
				} else {
					sbuf_append(out, v->u.str.s,
					    v->u.str.len);
				}
			}
			i++;
			break;
		case TNODE_SECTION:
			v = tmpl_lookup(t, n, f);
			if (v != NULL && tval_truthy(v)) {
				child.up = f;
				if (v->type == TVAL_LIST) {
					for (k = 0; k < v->u.list.n; k++) {
						child.val = v->u.list.items[k];
						if (tmpl_run(t, i + 1, n->end,
						    &child, out, depth) == -1)
							return (-1);
					}
				} else {
					child.val = v;
					if (tmpl_run(t, i + 1, n->end, &child,
					    out, depth) == -1)
						return (-1);
				}
			}
			i = n->end;
			break;
		case TNODE_INVERTED:
			v = tmpl_lookup(t, n, f);
			if (v == NULL || !tval_truthy(v)) {
				if (tmpl_run(t, i + 1, n->end, f, out,
				    depth) == -1)
					return (-1);
			}
			i = n->end;
			break;
		case TNODE_PARTIAL:
			/* Resolved here so templates load in any order. */
			p = tmpl_find(n->text, n->len, n->hash);
			if (p != NULL) {
				if (depth + 1 >= TMPL_PARTIAL_DEPTH) {
					fprintf(stderr, "tmpl: %s: line %d: "
					    "partials nested too deeply\n",
					    t->name, n->line);
					return (-1);
				}
				if (tmpl_run(p, 0, p->nnodes, f, out,
				    depth + 1) == -1)
					return (-1);
			}
			i++;
			break;
		}
	}

	return (0);
}

static const struct tval *
tmpl_lookup(const struct tmpl *t, const struct tnode *n,
    const struct tframe *f)
{
	const struct tseg	*seg;
	const struct tval	*v;
	size_t			 i;

	if (n->nseg == 0)
		return (f != NULL ? f->val : NULL);

	seg = &t->segs[n->seg];
	v = NULL;
	for (; f != NULL; f = f->up) {
		if (f->val == NULL || f->val->type != TVAL_OBJ)
			continue;
		v = tval_get(f->val, seg[0].s, seg[0].len, seg[0].hash);
		if (v != NULL)
			break;
	}

	/* Later parts of a dotted name never walk up the stack. */
	for (i = 1; v != NULL && i < n->nseg; i++) {
		if (v->type != TVAL_OBJ)
			return (NULL);
		v = tval_get(v, seg[i].s, seg[i].len, seg[i].hash);
	}

	return (v);
}

static int
tval_truthy(const struct tval *v)
{
	switch (v->type) {
	case TVAL_STR:
		if (v->u.str.len == 0 ||
		    (v->u.str.len == 1 && v->u.str.s[0] == '0') ||
		    (v->u.str.len == 5 && memcmp(v->u.str.s, "false", 5) == 0))
			return (0);
		return (1);
	case TVAL_LIST:
		return (v->u.list.n > 0);
	case TVAL_OBJ:
		return (1);
	}
	return (0);
}

static int
tmpl_compile(struct tmpl *t, char *err, size_t errlen)
{
	struct tparse	 ps;
	const char	*q;
	struct tnode	*n;

	memset(&ps, 0, sizeof(ps));
	ps.t = t;
	ps.p = t->src;
	ps.end = t->src + strlen(t->src);	/* tmpl_add() refused NULs */
	ps.line = 1;
	ps.err = err;
	ps.errlen = errlen;

	while (ps.p < ps.end) {
		q = memmem(ps.p, (size_t)(ps.end - ps.p), "{{", 2);
		if (q == NULL)
			q = ps.end;
		if (q > ps.p) {
			(void)tmpl_node_add(&ps, TNODE_TEXT, ps.p,
			    (size_t)(q - ps.p));
			tmpl_count_lines(&ps, ps.p, q);
			ps.p = q;
		}
		if (ps.p == ps.end)
			break;
		if (tmpl_parse_tag(&ps) == -1)
			return (-1);
	}

	if (ps.nopen > 0) {
		n = &t->nodes[ps.open[ps.nopen - 1]];
		return (tmpl_fail(&ps, n->line,
		    "section \"%.*s\" is never closed", (int)n->len,
		    n->text));
	}

	return (0);
}

/* Parses one tag starting at "{{" and advances past it. */
static int
tmpl_parse_tag(struct tparse *ps)
{
	const char	*start, *s, *e, *close;
	struct tnode	*n, *o;
	enum tnode_type	 type;
	size_t		 idx;
	int		 line, sigil;

	line = ps->line;
	start = ps->p;
	if (ps->p + 2 < ps->end && ps->p[2] == '{') {
		s = ps->p + 3;
		close = memmem(s, (size_t)(ps->end - s), "}}}", 3);
		if (close == NULL)
			return (tmpl_fail(ps, line, "unclosed \"{{{\" tag"));
		ps->p = close + 3;
		sigil = '{';
	} else {
		s = ps->p + 2;
		close = memmem(s, (size_t)(ps->end - s), "}}", 2);
		if (close == NULL)
			return (tmpl_fail(ps, line, "unclosed \"{{\" tag"));
		ps->p = close + 2;
		while (s < close && tmpl_is_space((unsigned char)*s))
			s++;
		sigil = (s < close) ? *s : 0;
		if (sigil != 0 && strchr("#^/>&!=", sigil) != NULL)
			s++;
		else
			sigil = 0;
	}
	tmpl_count_lines(ps, start, ps->p);

	if (sigil == '!')
		return (0);
	if (sigil == '=')
		return (tmpl_fail(ps, line, "set-delimiter tags are not "
		    "supported"));

	e = close;
	while (s < e && tmpl_is_space((unsigned char)*s))
		s++;
	while (e > s && tmpl_is_space((unsigned char)e[-1]))
		e--;

	switch (sigil) {
	case '{':
	case '&':
		type = TNODE_RAW;
		break;
	case '#':
		type = TNODE_SECTION;
		break;
	case '^':
		type = TNODE_INVERTED;
		break;
	case '>':
		type = TNODE_PARTIAL;
		break;
	case '/':
		if (ps->nopen == 0) {
			return (tmpl_fail(ps, line, "\"{{/%.*s}}\" closes no "
			    "section", (int)(e - s), s));
		}
		o = &ps->t->nodes[ps->open[ps->nopen - 1]];
		if (o->len != (size_t)(e - s) || memcmp(o->text, s, o->len)) {
			return (tmpl_fail(ps, line, "\"{{/%.*s}}\" does not "
			    "match \"%.*s\" opened on line %d", (int)(e - s),
			    s, (int)o->len, o->text, o->line));
		}
		o->end = ps->t->nnodes;
		ps->nopen--;
		return (0);
	default:
		type = TNODE_VAR;
		break;
	}

	idx = tmpl_node_add(ps, type, s, (size_t)(e - s));
	n = &ps->t->nodes[idx];
	n->line = line;

	if (type == TNODE_PARTIAL) {
		if (n->len == 0 || n->len > TMPL_NAME_MAX ||
		    memchr(n->text, '/', n->len) != NULL)
			return (tmpl_fail(ps, line, "bad partial name"));
		n->hash = tmpl_hash(n->text, n->len);
		return (0);
	}

	if (tmpl_name_split(ps, n) == -1)
		return (-1);

	if (type == TNODE_SECTION || type == TNODE_INVERTED) {
		if (ps->nopen == TMPL_NEST_MAX)
			return (tmpl_fail(ps, line, "sections nested too "
			    "deeply"));
		ps->open[ps->nopen++] = idx;
	}

	return (0);
}

/* Checks a name and records its dot-separated parts. */
static int
tmpl_name_split(struct tparse *ps, struct tnode *n)
{
	struct tmpl	*t;
	const char	*s, *e, *dot;
	size_t		 i;
	int		 c;

	t = ps->t;
	if (n->len == 0)
		return (tmpl_fail(ps, n->line, "empty tag name"));
	if (n->len > TMPL_NAME_MAX)
		return (tmpl_fail(ps, n->line, "tag name too long"));
	if (n->len == 1 && n->text[0] == '.') {
		n->nseg = 0;
		return (0);
	}

	for (i = 0; i < n->len; i++) {
		c = (unsigned char)n->text[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		    c == '.')) {
			return (tmpl_fail(ps, n->line, "bad character in "
			    "tag name \"%.*s\"", (int)n->len, n->text));
		}
	}

	n->seg = t->nsegs;
	s = n->text;
	e = n->text + n->len;
	for (;;) {
		dot = memchr(s, '.', (size_t)(e - s));
		if (dot == NULL)
			dot = e;
		if (dot == s) {
			return (tmpl_fail(ps, n->line, "empty part in tag "
			    "name \"%.*s\"", (int)n->len, n->text));
		}
		if (t->nsegs == t->segcap) {
			t->segcap = t->segcap ? t->segcap * 2 : 16;
			t->segs = tmpl_xrealloc(t->segs, t->segcap,
			    sizeof(*t->segs));
		}
		t->segs[t->nsegs].s = s;
		t->segs[t->nsegs].len = (size_t)(dot - s);
		t->segs[t->nsegs].hash = tmpl_hash(s, (size_t)(dot - s));
		t->nsegs++;
		n->nseg++;
		if (dot == e)
			break;
		s = dot + 1;
		if (s == e) {
			return (tmpl_fail(ps, n->line, "empty part in tag "
			    "name \"%.*s\"", (int)n->len, n->text));
		}
	}

	return (0);
}

static size_t
tmpl_node_add(struct tparse *ps, enum tnode_type type, const char *text,
    size_t len)
{
	struct tmpl	*t;
	struct tnode	*n;

	t = ps->t;
	if (t->nnodes == t->nodecap) {
		t->nodecap = t->nodecap ? t->nodecap * 2 : 32;
		t->nodes = tmpl_xrealloc(t->nodes, t->nodecap,
		    sizeof(*t->nodes));
	}
	n = &t->nodes[t->nnodes];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->text = text;
	n->len = len;
	n->line = ps->line;
	n->end = t->nnodes + 1;

	return (t->nnodes++);
}

static int
tmpl_fail(struct tparse *ps, int line, const char *fmt, ...)
{
	va_list		ap;
	int		n;

	n = snprintf(ps->err, ps->errlen, "line %d: ", line);
	if (n >= 0 && (size_t)n < ps->errlen) {
		va_start(ap, fmt);
		(void)vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}

	return (-1);
}

static void
tmpl_count_lines(struct tparse *ps, const char *s, const char *e)
{
	while (s < e && (s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
		ps->line++;
		s++;
	}
}

static int
tmpl_is_space(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

static int
tmpl_read_file(const char *path, char **out, size_t *outlen)
{
	struct stat	 st;
	char		*buf;
	size_t		 off;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		fprintf(stderr, "tmpl: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > TMPL_FILE_MAX) {
		fprintf(stderr, "tmpl: %s: not a regular file or too large\n",
		    path);
		close(fd);
		return (-1);
	}

	buf = tmpl_xmalloc((size_t)st.st_size + 1);
	off = 0;
	while (off < (size_t)st.st_size) {
		r = read(fd, buf + off, (size_t)st.st_size - off);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "tmpl: %s: short read\n", path);
			free(buf);
			close(fd);
			return (-1);
		}
		off += (size_t)r;
	}
	close(fd);
	buf[off] = '\0';

	*out = buf;
	*outlen = off;
	return (0);
}

static struct tmpl *
tmpl_find(const char *name, size_t len, uint32_t hash)
{
	struct tmpl	*t;

	for (t = tmpl_registry[hash % TMPL_BUCKETS]; t != NULL; t = t->next) {
		if (t->hash == hash && t->namelen == len &&
		    memcmp(t->name, name, len) == 0)
			return (t);
	}

	return (NULL);
}

/* Replaces a template of the same name, so tmpl_add() can reload one. */
static void
tmpl_insert(struct tmpl *t)
{
	struct tmpl	**pp, *old;

	pp = &tmpl_registry[t->hash % TMPL_BUCKETS];
	for (; *pp != NULL; pp = &(*pp)->next) {
		old = *pp;
		if (old->hash == t->hash && old->namelen == t->namelen &&
		    memcmp(old->name, t->name, t->namelen) == 0) {
			t->next = old->next;
			*pp = t;
			tmpl_destroy(old);
			return;
		}
	}
	t->next = NULL;
	*pp = t;
}

static void
tmpl_destroy(struct tmpl *t)
{
	free(t->name);
	free(t->src);
	free(t->nodes);
	free(t->segs);
	free(t);
}

static struct tval *
tval_new(enum tval_type type)
{
	struct tval	*v;

	v = tmpl_xmalloc(sizeof(*v));
	memset(v, 0, sizeof(*v));
	v->type = type;
	return (v);
}

static void
tval_check(const struct tval *v, enum tval_type type, const char *fn)
{
	if (v == NULL || v->type != type) {
		fprintf(stderr, "%s: %s parent\n", fn,
		    v == NULL ? "NULL" : "wrong-typed");
		abort();
	}
}

/* Sets, replaces or (with val NULL) removes key. */
static void
tval_put(struct tval *obj, const char *key, struct tval *val)
{
	struct tkv	*kv;
	size_t		 i, klen;
	uint32_t	 h;

	tval_check(obj, TVAL_OBJ, "tval_set");
	klen = strlen(key);
	h = tmpl_hash(key, klen);

	for (i = 0; i < obj->u.obj.n; i++) {
		kv = &obj->u.obj.kv[i];
		if (kv->hash != h || kv->klen != klen ||
		    memcmp(kv->key, key, klen) != 0)
			continue;
		tval_free(kv->val);
		if (val != NULL) {
			kv->val = val;
			return;
		}
		free(kv->key);
		obj->u.obj.kv[i] = obj->u.obj.kv[--obj->u.obj.n];
		return;
	}

	if (val == NULL)
		return;

	if (obj->u.obj.n == obj->u.obj.cap) {
		obj->u.obj.cap = obj->u.obj.cap ? obj->u.obj.cap * 2 : 8;
		obj->u.obj.kv = tmpl_xrealloc(obj->u.obj.kv, obj->u.obj.cap,
		    sizeof(*obj->u.obj.kv));
	}
	kv = &obj->u.obj.kv[obj->u.obj.n++];
	kv->key = tmpl_xstrndup(key, klen);
	kv->klen = klen;
	kv->hash = h;
	kv->val = val;
}

static void
tval_push(struct tval *list, struct tval *v)
{
	if (list->u.list.n == list->u.list.cap) {
		list->u.list.cap = list->u.list.cap ? list->u.list.cap * 2 : 8;
		list->u.list.items = tmpl_xrealloc(list->u.list.items,
		    list->u.list.cap, sizeof(*list->u.list.items));
	}
	list->u.list.items[list->u.list.n++] = v;
}

static const struct tval *
tval_get(const struct tval *obj, const char *key, size_t klen, uint32_t h)
{
	const struct tkv	*kv;
	size_t			 i;

	for (i = 0; i < obj->u.obj.n; i++) {
		kv = &obj->u.obj.kv[i];
		if (kv->hash == h && kv->klen == klen &&
		    memcmp(kv->key, key, klen) == 0)
			return (kv->val);
	}

	return (NULL);
}

static uint32_t
tmpl_hash(const char *s, size_t len)
{
	uint32_t	h;
	size_t		i;

	h = 2166136261u;
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return (h);
}

static void *
tmpl_xmalloc(size_t len)
{
	void	*p;

	if ((p = malloc(len == 0 ? 1 : len)) == NULL)
		tmpl_oom();
	return (p);
}

static void *
tmpl_xrealloc(void *ptr, size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		tmpl_oom();
	if ((p = realloc(ptr, nmemb * size)) == NULL)
		tmpl_oom();
	return (p);
}

static char *
tmpl_xstrndup(const char *s, size_t len)
{
	char	*p;

	if (len == SIZE_MAX)
		tmpl_oom();
	p = tmpl_xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}

static void
tmpl_oom(void)
{
	fprintf(stderr, "tmpl: out of memory\n");
	abort();
}
