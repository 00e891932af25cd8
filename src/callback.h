/*
 * callback: the words of the calls page and of callbacks — a call's
 * disposition as the plugin reports it, and the outcome an operator
 * records — with their Vietnamese names.  No Kore, no SQL.
 */
#ifndef CALLBACK_H
#define CALLBACK_H

#define CALLBACK_NOTE_MAX	1000	/* characters; migrations/0060 */

struct callback_word {
	const char	*key;		/* as stored, and in forms and URLs */
	const char	*vi;
};

extern const struct callback_word	callback_dispositions[];
extern const struct callback_word	callback_outcomes[];

const struct callback_word	*callback_word_find(const struct callback_word *,
				    const char *);
const char			*callback_word_vi(const struct callback_word *,
				    const char *);
int				 callback_note_required(const char *);

#endif
