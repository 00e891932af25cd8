/*
 * call.c: a call's object (reference-counted: the SIP stack, the media
 * thread, the bridged browser and the timers each hold one) and its
 * recording, ${var_dir}/recordings/YYYY/MM/<uuid>.wav.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "hotline.h"

static void	 call_free(const janus_refcount *);
static char	*call_recording_path(hl_call *, char **);

hl_call *
hl_call_new(void)
{
	hl_call	*c;

	c = g_malloc0(sizeof(*c));
	janus_refcount_init(&c->ref, call_free);
	janus_mutex_init(&c->mutex);
	c->id = g_uuid_string_random();
	c->fd = c->rtcp_fd = -1;
	c->fd_b = c->rtcp_fd_b = -1;
	c->leg_a.call = c;
	c->leg_a.agency = 0;
	c->leg_b.call = c;
	c->leg_b.agency = 1;
	c->pt = -1;
	c->dtmf_pt = -1;
	c->created_real = janus_get_real_time();
	c->created_mono = janus_get_monotonic_time();
	c->declined = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	c->playing = -1;
	c->hold_ssrc = g_random_int();
	c->hold_seq = (uint16_t)g_random_int();
	c->hold_ts = g_random_int();
	c->agency_ssrc = g_random_int();
	janus_rtp_switching_context_reset(&c->to_agency);
	janus_rtp_switching_context_reset(&c->to_agent);
	return (c);
}

void
hl_call_unref(hl_call *c)
{
	if (c != NULL)
		janus_refcount_decrease(&c->ref);
}

/* From the answer on (or the voicemail beep): a call is recorded once. */
void
hl_call_record_start(hl_call *call)
{
	char	*abs, *rel = NULL;

	abs = call_recording_path(call, &rel);
	if (abs == NULL)
		return;
	janus_mutex_lock(&call->mutex);
	if (call->wav == NULL) {
		call->wav = hl_wav_open(abs, janus_get_monotonic_time());
		if (call->wav != NULL) {
			call->recording = rel;
			rel = NULL;
		}
	}
	janus_mutex_unlock(&call->mutex);
	g_free(rel);
	g_free(abs);
}

/* Static functions. */

static void
call_free(const janus_refcount *ref)
{
	hl_call	*c = janus_refcount_containerof(ref, hl_call, ref);

	if (c->fd >= 0)
		close(c->fd);
	if (c->rtcp_fd >= 0)
		close(c->rtcp_fd);
	if (c->fd_b >= 0)
		close(c->fd_b);
	if (c->rtcp_fd_b >= 0)
		close(c->rtcp_fd_b);
	g_free(c->transfer_to);
	g_free(c->trunk);
	g_hash_table_destroy(c->declined);
	g_list_free(c->offered);
	g_free(c->id);
	g_free(c->sip_call_id);
	g_free(c->caller);
	g_free(c->callee);
	g_free(c->agent_user_id);
	g_free(c->disposition);
	g_free(c->hangup_by);
	g_free(c->agent_offer_sdp);
	g_free(c->recording);
	janus_mutex_destroy(&c->mutex);
	g_free(c);
}

/* ${var_dir}/recordings/YYYY/MM/<uuid>.wav; *rel gets YYYY/MM/<uuid>.wav */
static char *
call_recording_path(hl_call *call, char **rel)
{
	GDateTime	*now;
	char		*dir, *abs, *ym;

	now = g_date_time_new_now_local();
	ym = g_date_time_format(now, "%Y/%m");
	g_date_time_unref(now);
	dir = g_build_filename(hl.cfg.var_dir, "recordings", ym, NULL);
	if (g_mkdir_with_parents(dir, 0750) < 0) {
		JANUS_LOG(LOG_ERR, "hotline: mkdir %s: %s\n", dir,
		    strerror(errno));
		g_free(dir);
		g_free(ym);
		return (NULL);
	}
	abs = g_strdup_printf("%s/%s.wav", dir, call->id);
	*rel = g_strdup_printf("%s/%s.wav", ym, call->id);
	g_free(dir);
	g_free(ym);
	return (abs);
}
