/*
 * fuzz_tmpl: src/tmpl.c.  Templates are ours, but the values rendered
 * into them come from citizens, so the harness checks both halves: a
 * template source compiled and rendered against user values, and the
 * HTML escaping of one user value on its own (it must come out inert and
 * decode back to exactly what was put in).
 *
 * Input: template source, NUL, then up to three values separated by NULs.
 */
#include <string.h>

#include "fuzz.h"
#include "tmpl.h"

static void	 check_escaped(const char *, size_t, const char *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	err[256];

	(void)argc;
	(void)argv;
	if (tmpl_add("esc", "{{v}}", 5, err, sizeof(err)) == -1 ||
	    tmpl_add("raw", "{{{v}}}", 7, err, sizeof(err)) == -1 ||
	    tmpl_add("p", "[{{a}}|{{#o}}{{a}}{{/o}}]", 25, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "fuzz_tmpl: %s\n", err);
		abort();
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*val[3] = { "", "", "" }, *p, *end, *z;
	size_t		 vlen[3] = { 0, 0, 0 }, srclen, i;
	struct tval	*ctx, *list, *o;
	struct sbuf	 out;
	char		 err[256];
	int		 rc;

	p = (const char *)data;
	end = p + size;
	z = memchr(p, '\0', size);
	srclen = z != NULL ? (size_t)(z - p) : size;
	for (i = 0, p = z != NULL ? z + 1 : end; i < 3 && p < end; i++) {
		z = memchr(p, '\0', (size_t)(end - p));
		val[i] = p;
		vlen[i] = z != NULL ? (size_t)(z - p) : (size_t)(end - p);
		p = z != NULL ? z + 1 : end;
	}

	ctx = tval_obj();
	tval_setn(ctx, "v", val[0], vlen[0]);
	tval_setn(ctx, "a", val[0], vlen[0]);
	tval_setn(ctx, "b", val[1], vlen[1]);
	tval_setn(ctx, "c", val[2], vlen[2]);
	tval_set_bool(ctx, "t", 1);
	tval_set_bool(ctx, "f", 0);
	list = tval_set_list(ctx, "list");
	tval_setn(tval_list_add(list), "a", val[1], vlen[1]);
	tval_setn(tval_list_add(list), "a", val[2], vlen[2]);
	list = tval_set_list(ctx, "strs");
	tval_list_add_str(list, "x");
	tval_list_add_str(list, "0");
	o = tval_set_obj(ctx, "o");
	tval_setn(o, "a", val[1], vlen[1]);
	tval_setn(tval_set_obj(o, "o"), "a", val[2], vlen[2]);

	sbuf_init(&out);
	FUZZ_CHECK(tmpl_render("esc", ctx, &out) == 0);
	check_escaped(out.data, out.len, val[0], vlen[0]);
	sbuf_reset(&out);
	FUZZ_CHECK(tmpl_render("raw", ctx, &out) == 0);
	FUZZ_CHECK(out.len == vlen[0] && memcmp(out.data, val[0],
	    vlen[0]) == 0);
	sbuf_reset(&out);

	err[0] = '\0';
	rc = tmpl_add("fz", (const char *)data, srclen, err, sizeof(err));
	if (rc == -1) {
		FUZZ_CHECK(err[0] != '\0');
	} else {
		(void)tmpl_check_partials(err, sizeof(err));
		/* A partial may name "fz" itself: the depth limit stops it. */
		rc = tmpl_render("fz", ctx, &out);
		FUZZ_CHECK(rc == 0 || rc == -1);
		FUZZ_CHECK(out.data[out.len] == '\0');
	}
	sbuf_free(&out);
	tval_free(ctx);
	/* Drop "fz" again; the fixed templates are added back. */
	tmpl_cleanup();
	(void)LLVMFuzzerInitialize(NULL, NULL);
	return (0);
}

/* s (len bytes) must be v HTML-escaped: no markup, and decodes to v. */
static void
check_escaped(const char *s, size_t len, const char *v, size_t vlen)
{
	static const struct {
		const char	*ent;
		char		 c;
	} ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' },
	};
	size_t	i, j, k, n;

	for (i = 0, j = 0; i < len; j++) {
		FUZZ_CHECK(j < vlen);
		FUZZ_CHECK(s[i] != '<' && s[i] != '>' && s[i] != '"' &&
		    s[i] != '\'');
		if (s[i] != '&') {
			FUZZ_CHECK(s[i] == v[j]);
			i++;
			continue;
		}
		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
			n = strlen(ents[k].ent);
			if (len - i >= n && memcmp(s + i, ents[k].ent, n) == 0)
				break;
		}
		FUZZ_CHECK(k < sizeof(ents) / sizeof(ents[0]));
		FUZZ_CHECK(v[j] == ents[k].c);
		i += strlen(ents[k].ent);
	}
	FUZZ_CHECK(j == vlen);
}
