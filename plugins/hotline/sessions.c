/*
 * sessions.c: a login here lasts no longer than the Kore session that
 * asked for its token.  When an operator or supervisor logs out of Kore,
 * or an administrator locks the account or resets its password, Kore adds
 * the session's id to $VAR_DIR/hotline-sessions-ended.txt (signed with the
 * sessions-ended key, see contract.c).  The timer thread looks at the file
 * every ENDED_WATCH_US, and when it changed ends the logins of the
 * sessions it names (watch.c): the agent goes offline, calls are no longer offered
 * to it, and the console is told (logged_out, "session ended").
 *
 * What was read is kept until each session's own expiry, even if a later
 * file leaves it out; the file is read again at start, so a Janus restart
 * forgets nothing a token could still be used for.
 */
#include <string.h>

#include "hotline.h"

#define ENDED_WATCH_US	(G_USEC_PER_SEC)

static struct {
	GHashTable	*ended;		/* sid -> gint64 * expires (hl.lock) */
	hl_watch	 watch;
	char		*file;
} ses;

static void	 sessions_read(void);
static void	 sessions_end_logins(GHashTable *);

void
hl_sessions_start(void)
{
	ses.ended = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	ses.file = g_build_filename(hl.cfg.var_dir, HL_ENDED_FILE, NULL);
	ses.watch.every_us = ENDED_WATCH_US;
	sessions_read();
}

void
hl_sessions_stop(void)
{
	if (ses.ended != NULL)
		g_hash_table_destroy(ses.ended);
	g_free(ses.file);
	memset(&ses, 0, sizeof(ses));
}

int
hl_sessions_ended(const char *sid)
{
	return (ses.ended != NULL && g_hash_table_contains(ses.ended, sid));
}

/* From the timer thread, hl.lock held. */
void
hl_sessions_watch(void)
{
	if (ses.file != NULL)
		sessions_read();
}

static void
sessions_read(void)
{
	GHashTable	*fresh;
	GHashTableIter	 it;
	gpointer	 k, v;
	gchar		*text = NULL;
	gsize		 len;
	const char	*why;
	gint64		 now = janus_get_real_time() / G_USEC_PER_SEC;
	int		 n;

	if (hl_watch_changed(&ses.watch, ses.file, HL_ENDED_FILE_MAX) != 1)
		return;
	if (!g_file_get_contents(ses.file, &text, &len, NULL)) {
		JANUS_LOG(LOG_WARN, "hotline: %s: unreadable or too large; "
		    "ended sessions in force stay\n", ses.file);
		return;
	}
	fresh = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	n = hl_contract_ended_parse(text, len, hl.keys[HL_KEY_SESSIONS_ENDED],
	    fresh, &why);
	g_free(text);
	if (!hl.have_keys || n < 0) {
		JANUS_LOG(LOG_WARN, "hotline: %s refused (%s); ended sessions "
		    "in force stay\n", ses.file, hl.have_keys ? why :
		    "no secret");
		g_hash_table_destroy(fresh);
		return;
	}
	/* Drop what is known already; what is left ends logins now. */
	g_hash_table_iter_init(&it, fresh);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (g_hash_table_contains(ses.ended, k) || *(gint64 *)v <= now)
			g_hash_table_iter_remove(&it);
	sessions_end_logins(fresh);
	g_hash_table_iter_init(&it, fresh);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		g_hash_table_iter_steal(&it);
		g_hash_table_replace(ses.ended, k, v);
	}
	g_hash_table_destroy(fresh);
	g_hash_table_iter_init(&it, ses.ended);
	while (g_hash_table_iter_next(&it, NULL, &v))
		if (*(gint64 *)v <= now)
			g_hash_table_iter_remove(&it);
	JANUS_LOG(LOG_INFO, "hotline: %s: %d ended sessions, %u in force\n",
	    ses.file, n, g_hash_table_size(ses.ended));
}

static void
sessions_end_logins(GHashTable *sids)
{
	GHashTableIter	 it;
	gpointer	 v;
	hl_session	*s;
	json_t		*ev;

	if (g_hash_table_size(sids) == 0 || hl.sessions == NULL)
		return;
	g_hash_table_iter_init(&it, hl.sessions);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		s = v;
		if (s->kore_sid == NULL ||
		    !g_hash_table_contains(sids, s->kore_sid))
			continue;
		if (s->agent != NULL) {
			JANUS_LOG(LOG_INFO, "hotline: agent %s: Kore session "
			    "ended, logged out\n", s->agent->user_id);
			hl_acd_agent_gone(s->agent);
		}
		if (s->supervisor != NULL) {
			JANUS_LOG(LOG_INFO, "hotline: supervisor %s: Kore "
			    "session ended, logged out\n", s->supervisor);
			hl_listen_stop(s, "logout");
			g_free(s->supervisor);
			s->supervisor = NULL;
		}
		g_free(s->kore_sid);
		s->kore_sid = NULL;
		ev = hl_event_new("logged_out");
		json_object_set_new(ev, "reason", json_string("session ended"));
		hl_push_event(s, NULL, ev, NULL);
	}
}
