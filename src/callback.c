/*
 * callback: the dispositions of a call (docs/hotline-api.md, "Call events
 * to Kore") and the outcomes of a callback, each with its Vietnamese
 * name; the lists end with a NULL key.
 */
#include <stddef.h>
#include <string.h>

#include "callback.h"

const struct callback_word	callback_dispositions[] = {
	{ "answered",		"Đã trả lời" },
	{ "abandoned",		"Bỏ máy khi chờ" },
	{ "voicemail",		"Để lại lời nhắn" },
	{ "transferred",	"Đã chuyển tiếp" },
	{ "missed",		"Cuộc gọi nhỡ" },
	{ NULL,			NULL },
};

const struct callback_word	callback_outcomes[] = {
	{ "reached",		"Đã liên lạc được" },
	{ "no_answer",		"Không nghe máy" },
	{ "wrong_number",	"Sai số" },
	{ "other",		"Khác" },
	{ NULL,			NULL },
};

/* The word of a list by its key; NULL if the list has no such word. */
const struct callback_word *
callback_word_find(const struct callback_word *list, const char *key)
{
	if (key == NULL)
		return (NULL);
	for (; list->key != NULL; list++) {
		if (strcmp(list->key, key) == 0)
			return (list);
	}
	return (NULL);
}

/* The Vietnamese name of a key, or the key itself if it is unknown. */
const char *
callback_word_vi(const struct callback_word *list, const char *key)
{
	const struct callback_word	*w;

	w = callback_word_find(list, key);
	return (w != NULL ? w->vi : key);
}

/* "Khác" says nothing by itself: it needs a note. */
int
callback_note_required(const char *outcome)
{
	return (outcome != NULL && strcmp(outcome, "other") == 0);
}
