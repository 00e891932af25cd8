/*
 * tmpl.h: a small Mustache-subset template engine that escapes HTML by
 * default.  Pure C11 plus libc; no Kore dependency.
 *
 * Supported tags:
 *	{{name}}		value, HTML-escaped
 *	{{{name}}} {{& name}}	value, raw (only for trusted HTML)
 *	{{#name}}..{{/name}}	section: a list iterates, an object is pushed
 *				once, a string renders once when it is
 *				non-empty and not "0" or "false"
 *	{{^name}}..{{/name}}	inverted section
 *	{{> partial}}		another registered template
 *	{{! comment}}
 *	{{.}}			the current context (a string inside a section)
 *	a.b			dotted names; the first part is looked up
 *				walking up the context stack
 *
 * Not supported: set-delimiter tags ({{=<% %>=}}, a compile error),
 * lambdas, and the spec's "standalone line" whitespace stripping.
 *
 * Values are never re-interpreted: a value that contains "{{x}}" is
 * output (escaped) as it is.
 *
 * Misuse of the value API (a NULL or wrong-typed parent) is a programming
 * error and aborts, as does running out of memory.
 */

#ifndef TMPL_H
#define TMPL_H

#include <stddef.h>

#include "sbuf.h"

struct tval;

struct tval	*tval_obj(void);
void		 tval_set(struct tval *, const char *, const char *);
void		 tval_setn(struct tval *, const char *, const char *, size_t);
void		 tval_setf(struct tval *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 tval_set_bool(struct tval *, const char *, int);
struct tval	*tval_set_obj(struct tval *, const char *);
struct tval	*tval_set_list(struct tval *, const char *);
struct tval	*tval_list_add(struct tval *);
void		 tval_list_add_str(struct tval *, const char *);
void		 tval_free(struct tval *);

int	tmpl_load_dir(const char *);
int	tmpl_add(const char *, const char *, size_t, char *, size_t);
int	tmpl_exists(const char *);
int	tmpl_check_partials(char *, size_t);
int	tmpl_render(const char *, const struct tval *, struct sbuf *);
void	tmpl_cleanup(void);

#endif /* !TMPL_H */
