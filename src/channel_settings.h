/*
 * channel_settings: the settings a province enters for each channel on
 * /quan-tri/kenh (admin_channels.c), what each means, and how its value
 * is checked.  Pure: no Kore, no SQL.  The values live in the table
 * channel_settings (migrations/0050_channels.sql); the senders read them
 * with outbox_setting().
 */
#ifndef CHANNEL_SETTINGS_H
#define CHANNEL_SETTINGS_H

#include <stddef.h>

enum channel_setting_kind {
	CS_TEXT,		/* one line */
	CS_LONGTEXT,		/* several lines (templates, messages) */
	CS_URL,			/* http(s), imap(s), smtp(s) */
	CS_EMAIL,
	CS_NUMBER,		/* a whole number in [min, max] */
	CS_EMAILS,		/* e-mails, at most min of them, separated
				   by commas, semicolons or spaces */
	CS_YES			/* "yes" (or blank: no) */
};

struct channel_setting {
	const char			*channel;
	const char			*name;	/* ^[a-z0-9_]{1,40}$ */
	const char			*label;	/* Vietnamese */
	const char			*help;	/* Vietnamese, or NULL */
	int				 secret;	/* never shown back */
	enum channel_setting_kind	 kind;
	int				 min, max;	/* CS_NUMBER: the range;
						   text: max characters */
};

struct channel_info {
	const char	*channel;
	const char	*title;		/* Vietnamese */
};

/* The longest value any setting takes (channel_settings.value). */
#define CHANNEL_SETTING_MAX	4000

extern const struct channel_setting	channel_settings[];
extern const struct channel_info	channel_infos[];

const struct channel_info *channel_info_find(const char *);
const struct channel_setting *channel_setting_find(const char *,
	    const char *);
int	channel_setting_check(const struct channel_setting *, const char *,
	    char *, size_t);
int	channel_url_ok(const char *);

#endif
