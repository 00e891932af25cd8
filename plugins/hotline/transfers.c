/*
 * transfers.c: the numbers an operator may forward a call to.  A transfer
 * goes out through the trunk at the province's expense, so a number
 * nobody chose (premium, abroad) is toll fraud: only the agencies'
 * forwarding numbers and the administrator's transfer_allow are dialled.
 *
 *   transfer_file = "var/transfer-numbers.txt", written by the Kore app
 *     from the agencies table after every change (one
 *     "agency NUMBER AGENCY_ID NAME" a line, "#" comments); read again
 *     within HL_WATCH_US of a change (watch.c).  A file that does not
 *     parse is logged and the numbers in force stay.
 *   transfer_allow = "113, 114, 115": more numbers, of no agency.
 *
 * Everything here runs under hl.lock.
 */
#include <string.h>

#include "hotline.h"

#define TR_FILE_MAX	(256 * 1024)
#define TR_NAME_MAX	255

typedef struct tr_target {
	int	 agency_id;	/* 0: transfer_allow */
	char	*name;
} tr_target;

static GHashTable	*from_file;	/* number -> tr_target * */
static GHashTable	*allowed;	/* number set (transfer_allow) */
static hl_watch		 watch;

static int	 tr_number_ok(const char *);
static int	 tr_file_read(const char *, GHashTable **);
static void	 tr_target_free(gpointer);

/* transfer_allow; -1 if an entry is not a number (it is left out). */
int
hl_transfers_load(const char *allow)
{
	char	**items;
	int	 i, rc = 0;

	from_file = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    tr_target_free);
	allowed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	items = g_strsplit_set(allow != NULL ? allow : "", ", ", -1);
	for (i = 0; items[i] != NULL; i++) {
		if (items[i][0] == '\0')
			continue;
		if (!tr_number_ok(items[i])) {
			JANUS_LOG(LOG_ERR, "hotline: transfer_allow entry #%d "
			    "is not a phone number, left out\n", i + 1);
			rc = -1;
			continue;
		}
		g_hash_table_add(allowed, g_strdup(items[i]));
	}
	g_strfreev(items);
	return (rc);
}

void
hl_transfers_free(void)
{
	if (from_file != NULL)
		g_hash_table_destroy(from_file);
	if (allowed != NULL)
		g_hash_table_destroy(allowed);
	from_file = allowed = NULL;
}

void
hl_transfers_watch(const char *file)
{
	GHashTable	*t;

	if (from_file == NULL ||
	    hl_watch_changed(&watch, file, TR_FILE_MAX) != 1)
		return;
	if (tr_file_read(file, &t) < 0)
		return;
	g_hash_table_destroy(from_file);
	from_file = t;
	JANUS_LOG(LOG_INFO, "hotline: transfer numbers %s: %u agencies\n",
	    file, g_hash_table_size(t));
}

/* 1 if number may be dialled; *agency_id its agency (0: transfer_allow). */
int
hl_transfer_allowed(const char *number, int *agency_id)
{
	tr_target	*t;

	*agency_id = 0;
	if (from_file != NULL &&
	    (t = g_hash_table_lookup(from_file, number)) != NULL) {
		*agency_id = t->agency_id;
		return (1);
	}
	return (allowed != NULL && g_hash_table_contains(allowed, number));
}

/* Static functions. */

/* As the agencies table has them: an optional +, 2 to 31 digits. */
static int
tr_number_ok(const char *s)
{
	size_t	 n;

	if (*s == '+')
		s++;
	n = strlen(s);
	return (n >= 2 && n <= 31 && strspn(s, "0123456789") == n);
}

static int
tr_file_read(const char *file, GHashTable **out)
{
	GHashTable	*t;
	GError		*err = NULL;
	tr_target	*tg;
	gchar		*text = NULL, **lines, **f;
	gsize		 len;
	gint64		 id;
	char		*end;
	int		 i, rc = 0;

	if (!g_file_get_contents(file, &text, &len, &err)) {
		JANUS_LOG(LOG_WARN, "hotline: %s: %s\n", file, err->message);
		g_error_free(err);
		return (-1);
	}
	if (!g_utf8_validate(text, (gssize)len, NULL) ||
	    memchr(text, '\0', len) != NULL) {
		JANUS_LOG(LOG_WARN, "hotline: %s is not UTF-8 text; keeping "
		    "the numbers in force\n", file);
		g_free(text);
		return (-1);
	}
	t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    tr_target_free);
	lines = g_strsplit(text, "\n", -1);
	g_free(text);
	for (i = 0; lines[i] != NULL && rc == 0; i++) {
		g_strstrip(lines[i]);
		if (lines[i][0] == '\0' || lines[i][0] == '#')
			continue;
		f = g_strsplit_set(lines[i], " \t", 4);
		id = g_strv_length(f) >= 3 ? g_ascii_strtoll(f[2], &end, 10) : 0;
		if (g_strv_length(f) < 3 || strcmp(f[0], "agency") != 0 ||
		    !tr_number_ok(f[1]) || *end != '\0' || id < 1 ||
		    id > G_MAXINT || (f[3] != NULL &&
		    strlen(f[3]) > TR_NAME_MAX)) {
			JANUS_LOG(LOG_WARN, "hotline: %s line %d: want "
			    "\"agency NUMBER AGENCY_ID NAME\"; keeping the "
			    "numbers in force\n", file, i + 1);
			rc = -1;
		} else {
			tg = g_malloc0(sizeof(*tg));
			tg->agency_id = (int)id;
			tg->name = g_strdup(f[3] != NULL ? f[3] : "");
			g_hash_table_replace(t, g_strdup(f[1]), tg);
		}
		g_strfreev(f);
	}
	g_strfreev(lines);
	if (rc < 0) {
		g_hash_table_destroy(t);
		return (-1);
	}
	*out = t;
	return (0);
}

static void
tr_target_free(gpointer p)
{
	tr_target	*t = p;

	g_free(t->name);
	g_free(t);
}
