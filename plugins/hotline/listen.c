/*
 * listen.c: supervisor listen-in.  A supervisor asks to hear a call in
 * progress; the browser gets a send-only offer in the call's codec, and
 * the caller and operator (or agency) are mixed into it (media.c).
 * Nobody hears the listener.  hl.lock held.
 */
#include "hotline.h"

/*
 * Supervisor listen-in: a supervisor asks to hear a call in progress.
 * The browser gets a send-only offer in the call's codec; the caller and
 * operator (or agency) are mixed into it.  Nobody hears the listener.
 */
int
hl_listen_start(hl_session *s, const char *call_id, json_t **jsep,
    const char **why)
{
	hl_call		*call;
	char		*sdp;

	if (s->supervisor == NULL) {
		*why = "Listening needs a supervisor's login";
		return (-1);
	}
	if (s->listen_call != NULL) {
		*why = "Already listening; unlisten first";
		return (-1);
	}
	call = g_hash_table_lookup(hl.calls, call_id);
	if (call == NULL || (call->state != HL_CALL_BRIDGED &&
	    call->state != HL_CALL_TRANSFERRED)) {
		*why = "No such call in progress";
		return (-1);
	}
	sdp = g_strdup_printf("v=0\r\n"
	    "o=- %" G_GINT64_FORMAT " 1 IN IP4 127.0.0.1\r\n"
	    "s=Hotline 1022 listen\r\n"
	    "t=0 0\r\n"
	    "m=audio 9 UDP/TLS/RTP/SAVPF %d\r\n"
	    "c=IN IP4 127.0.0.1\r\n"
	    "a=sendonly\r\n"
	    "a=rtpmap:%d %s/8000\r\n"
	    "a=ptime:20\r\n",
	    janus_get_real_time(), call->pt, call->pt,
	    call->pt == 0 ? "PCMU" : "PCMA");
	*jsep = json_pack("{ssss}", "type", "offer", "sdp", sdp);
	g_free(sdp);
	janus_refcount_increase(&call->ref);
	s->listen_call = call;
	g_atomic_int_set(&s->listening, 0);
	hl_media_listen_add(call, s);
	JANUS_LOG(LOG_INFO, "hotline: supervisor %s listens to call %s\n",
	    s->supervisor, call->id);
	return (0);
}

int
hl_listen_answer(hl_session *s, const char **why)
{
	if (s->listen_call == NULL) {
		*why = "Not listening to any call";
		return (-1);
	}
	g_atomic_int_set(&s->listening, 1);
	return (0);
}

/* Stops a listen-in (request, call end, closed console). */
void
hl_listen_stop(hl_session *s, const char *reason)
{
	hl_call	*call = s->listen_call;
	json_t	*ev;

	if (call == NULL)
		return;
	s->listen_call = NULL;
	g_atomic_int_set(&s->listening, 0);
	hl_media_listen_remove(call, s);
	ev = hl_event_new("listen_ended");
	json_object_set_new(ev, "call_id", json_string(call->id));
	json_object_set_new(ev, "reason", json_string(reason));
	hl_push_event(s, NULL, ev, NULL);
	if (!g_atomic_int_get(&s->destroyed))
		hl.gateway->close_pc(s->handle);
	hl_call_unref(call);
}
