/*
 * acd.c: agents, the queue and call distribution.  Every function here
 * expects hl.lock held (timers.c takes it for the deadlines' callbacks at
 * the end of this file).  Which step a call or an agent may take is
 * fsm.c's to say; here each step's effects are carried out (SIP, media,
 * the browsers' events, recording, timers, the report).
 *
 * A call waits in hl.queue from the moment we answer it until an agent
 * accepts it.  It is offered to the available agent idle the longest; if
 * that agent lets it ring past ring_timeout, the agent is paused ("no
 * answer") and the call goes to the next one.
 */
#include <string.h>

#include "hotline.h"
#include "sdp-utils.h"

/* Frames of speech (20 ms each) that make a voicemail a message. */
#define HL_VM_SPEECH_FRAMES	25

/* The pause reason of *22 from a desk phone, shown on the live page. */
#define HL_PHONE_PAUSE_REASON	"tạm nghỉ (từ điện thoại bàn)"

static hl_agent		*acd_pick_longest_idle(hl_call *);
static void		 acd_offer(hl_call *, hl_agent *);
static void		 acd_offer_withdraw(hl_call *, hl_agent *,
			    const char *);
static void		 acd_offer_withdraw_all(hl_call *, const char *);
static void		 acd_bridge(hl_call *, hl_session *);
static void		 acd_take_call(hl_call *, hl_agent *);
static void		 acd_voicemail(hl_call *, hl_call_event, const char *);
static int		 acd_voicemail_allowed(const char *);
static void		 acd_detach_agent(hl_call *, const char *);
static void		 acd_offer_phone(hl_call *, hl_agent *);
static void		 acd_update_positions(void);
static void		 acd_call_end(hl_call *, const char *);
static int		 acd_operator_gone(hl_call *);
static int		 agent_facts(hl_agent *);
static void		 agent_step(hl_agent *, const hl_agent_step *,
			    const char *);
static void		 acd_ring_timeout(hl_call *);
static void		 acd_call_timer(hl_call *, GSource **, gint64,
			    hl_timer_fn);
static void		 acd_call_release(gpointer);
static int		 acd_not_yet(hl_call *, GSource **, gint64,
			    hl_timer_fn);
static void		 acd_ring_expired(gpointer);
static void		 acd_queue_timer(hl_call *);
static void		 acd_queue_expired(gpointer);
static int		 acd_anyone_logged_in(void);
static void		 acd_no_agent_timer(hl_call *);
static void		 acd_no_agent_expired(gpointer);
static void		 acd_media_expired(gpointer);
static void		 acd_transfer_expired(gpointer);
static void		 acd_beep(gpointer);
static void		 acd_voicemail_expired(gpointer);
static void		 agent_wrapup_expired(gpointer);
static void		 agent_no_answer_expired(gpointer);
static void		 agent_notify(hl_agent *);
static void		 agent_phone_expired(gpointer);

/* A new call, answered: to the queue in office hours, else voicemail. */
void
hl_acd_enqueue(hl_call *call)
{
	if (!hl_calendar_open(janus_get_real_time() / G_USEC_PER_SEC)) {
		acd_voicemail(call, HL_CALL_EV_VOICEMAIL, "out of hours");
		return;
	}
	g_queue_push_tail(hl.queue, call);
	acd_queue_timer(call);
	if (!acd_anyone_logged_in())
		acd_no_agent_timer(call);
	acd_update_positions();
	hl_acd_dispatch();
}

/*
 * From the trunk's ACK on, the caller's RTP is watched: a caller whose
 * packets stop for rtp_timeout seconds (a dropped mobile, a crashed
 * gateway: no BYE will come) is hung up, a missed call if nobody talked
 * to them.  Checked once a second against the media thread's counter.
 */
void
hl_acd_media_watch(hl_call *call)
{
	if (hl.cfg.rtp_timeout <= 0 || call->media_timer != NULL)
		return;
	call->rtp_seen = g_atomic_int_get(&call->rtp_from_trunk);
	call->rtp_seen_at = janus_get_monotonic_time();
	acd_call_timer(call, &call->media_timer, call->rtp_seen_at +
	    G_USEC_PER_SEC, acd_media_expired);
}

/* Calls in progress that came from this trunk address. */
int
hl_acd_trunk_calls(const char *trunk)
{
	GHashTableIter	 it;
	gpointer	 v;
	hl_call		*call;
	int		 n = 0;

	g_hash_table_iter_init(&it, hl.calls);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		call = v;
		if (call->state != HL_CALL_ENDED && call->trunk != NULL &&
		    strcmp(call->trunk, trunk) == 0)
			n++;
	}
	return (n);
}

/*
 * Offers every waiting call, oldest first, to the free agent idle the
 * longest; with strategy ring_all, to every free agent at once (the first
 * to accept takes it).
 */
void
hl_acd_dispatch(void)
{
	GList		*l;
	hl_call		*call;
	hl_agent	*a;

	for (l = hl.queue->head; l != NULL; l = l->next) {
		call = l->data;
		if (call->state != HL_CALL_QUEUED)
			continue;
		a = acd_pick_longest_idle(call);
		if (a == NULL)
			break;		/* nobody free for anyone */
		do {
			acd_offer(call, a);
		} while (hl.cfg.ring_all &&
		    (a = acd_pick_longest_idle(call)) != NULL);
	}
}

/* The trunk side ended (BYE, CANCEL, dialog gone). */
void
hl_acd_caller_gone(hl_call *call)
{
	hl_acd_event(call, HL_CALL_EV_CALLER_GONE, "caller hung up");
	hl_acd_dispatch();
}

/* Logout or closed console: the agent is offline, a call in hand ends. */
void
hl_acd_agent_gone(hl_agent *a)
{
	hl_call		*call = a->call;
	hl_session	*s = a->session;

	/* Only what goes through this console ends; a call on the
	 * agent's registered SIP phone goes on. */
	if (call != NULL && call->phone_agent == a) {
		call = NULL;
	} else if (call != NULL && call->state == HL_CALL_RINGING) {
		acd_offer_withdraw(call, a, "agent offline");
	} else if (call != NULL) {
		acd_operator_gone(call);
	}
	if (s != NULL)
		hl_listen_stop(s, "agent offline");
	if (a->call != NULL && a->call->phone_agent == a) {
		/* keep the phone call's state */
	} else {
		a->call = NULL;
		hl_acd_agent_event(a, HL_AGENT_EV_LOGOUT, NULL);
	}
	if (s != NULL)
		s->agent = NULL;
	a->session = NULL;
	JANUS_LOG(LOG_INFO, "hotline: agent %s offline\n", a->user_id);
	hl_acd_dispatch();
}

/* An agent's step (fsm.c), if the table has one: 0, or -1 refused. */
int
hl_acd_agent_event(hl_agent *a, hl_agent_event ev, const char *reason)
{
	const hl_agent_step	*t;

	t = hl_fsm_agent(a->state, ev, agent_facts(a));
	if (t == NULL)
		return (-1);
	agent_step(a, t, reason);
	return (0);
}

int
hl_acd_accept(hl_session *s, const char *call_id, const char *sdp,
    const char **why)
{
	hl_agent	*a = s->agent;
	hl_call		*call;
	janus_sdp	*answer;
	janus_sdp_mline	*m;
	char		 err[128];
	int		 ok = 0;

	if (a == NULL) {
		*why = "Log in first";
		return (-1);
	}
	call = a->call;
	if (a->state != HL_AGENT_RINGING || call == NULL ||
	    strcmp(call->id, call_id) != 0 || hl_fsm_call(call->state,
	    HL_CALL_EV_ANSWER, hl_acd_facts(call)) == NULL) {
		*why = "No such call ringing for you";
		return (-1);
	}
	answer = janus_sdp_parse(sdp, err, sizeof(err));
	if (answer != NULL) {
		m = janus_sdp_mline_find(answer, JANUS_SDP_AUDIO);
		ok = m != NULL && m->port != 0 &&
		    g_list_find(m->ptypes, GINT_TO_POINTER(call->pt)) != NULL;
		janus_sdp_destroy(answer);
	}
	if (!ok) {
		/* The browser's SDP, bounded: it is outside input. */
		JANUS_LOG(LOG_WARN, "hotline: answer for %s refused "
		    "(%s; %zu bytes): %.200s\n", call->id, answer == NULL ?
		    err : "no matching codec", strlen(sdp), sdp);
		*why = "Answer does not accept the call's G.711 codec";
		return (-1);
	}
	acd_bridge(call, s);
	return (0);
}

int
hl_acd_decline(hl_session *s, const char **why)
{
	hl_agent	*a = s->agent;
	hl_call		*call;

	if (a == NULL || a->state != HL_AGENT_RINGING || a->call == NULL) {
		*why = "Nothing is ringing";
		return (-1);
	}
	call = a->call;
	acd_offer_withdraw(call, a, NULL);
	hl_acd_dispatch();
	return (0);
}

int
hl_acd_agent_hangup(hl_session *s, const char **why)
{
	hl_agent	*a = s->agent;

	if (a == NULL || a->call == NULL) {
		*why = "No call to hang up";
		return (-1);
	}
	if (a->state == HL_AGENT_RINGING)
		return (hl_acd_decline(s, why));
	/* During a consultation the whole call ends; transfer_complete
	 * is how the caller meets the agency. */
	if (hl_acd_event(a->call, HL_CALL_EV_HANGUP, NULL) < 0) {
		*why = "No call to hang up";
		return (-1);
	}
	hl_acd_dispatch();
	return (0);
}

/* The browser's PeerConnection went away while bridged: the operator
 * is gone from the call, so the caller is hung up too. */
void
hl_acd_webrtc_down(hl_session *s)
{
	hl_call	*call;

	if (s->listen_call != NULL && g_atomic_int_get(&s->listening)) {
		hl_listen_stop(s, "browser closed the stream");
		return;
	}
	if (s->agent == NULL || s->agent->state != HL_AGENT_IN_CALL)
		return;
	call = s->agent->call;
	if (call != NULL && acd_operator_gone(call) == 0)
		hl_acd_dispatch();
}

/* The facts (HL_FACT_*) that choose between a call's rows in fsm.c. */
int
hl_acd_facts(hl_call *call)
{
	int	facts = 0;

	if (call->phone_agent != NULL)
		facts |= HL_FACT_PHONE;
	if (call->recording != NULL)
		facts |= HL_FACT_RECORDING;
	return (facts);
}

/*
 * Carries out step t of the call: the new state, then the row's effects
 * in the order fsm.h lists them.  why: what ringing agents are told when
 * the call stops ringing for them.
 */
void
hl_acd_step(hl_call *call, const hl_call_step *t, const char *why)
{
	gint64	now = janus_get_monotonic_time();
	int	fx = t->effects;

	call->state = t->to;
	if (t->by != NULL && call->hangup_by == NULL)
		call->hangup_by = g_strdup(t->by);
	if (fx & HL_FX_WITHDRAW)
		acd_offer_withdraw_all(call, why);
	if (fx & HL_FX_DEQUEUE)
		g_queue_remove(hl.queue, call);
	if (fx & HL_FX_REQUEUE) {
		g_free(call->transfer_to);	/* not transferred (yet) */
		call->transfer_to = NULL;
		g_hash_table_remove_all(call->declined);
		g_queue_push_head(hl.queue, call);
		acd_queue_timer(call);
	}
	if (fx & (HL_FX_DEQUEUE | HL_FX_REQUEUE))
		acd_update_positions();
	if (fx & HL_FX_RING_TIMER) {
		call->offer_deadline = now +
		    (gint64)hl.cfg.ring_timeout * G_USEC_PER_SEC;
		acd_call_timer(call, &call->ring_timer, call->offer_deadline,
		    acd_ring_expired);
	}
	if (fx & HL_FX_TRANSFER_TIMER) {
		call->transfer_deadline = now +
		    (gint64)hl.cfg.transfer_timeout * G_USEC_PER_SEC;
		acd_call_timer(call, &call->transfer_timer,
		    call->transfer_deadline, acd_transfer_expired);
	}
	if (fx & HL_FX_TIMER_STOP) {
		call->transfer_deadline = 0;
		hl_timer_cancel(&call->transfer_timer);
	}
	if (fx & HL_FX_HANGUP_LEG_B)
		hl_sip_hangup_agency(call);
	if (fx & HL_FX_DROP_LEG_B) {
		call->nh_b = NULL;
		g_free(call->transfer_to);
		call->transfer_to = NULL;
	}
	if (fx & HL_FX_HANGUP)
		hl_sip_hangup(call);
	if (fx & HL_FX_HANDED_OVER)
		call->transferred_real = janus_get_real_time();
	if (fx & HL_FX_DETACH)
		acd_detach_agent(call, "transferred");
	if (fx & HL_FX_DETACH_QUIET)
		acd_detach_agent(call, NULL);
	if (fx & HL_FX_MEDIA)
		hl_media_set_mode(call, t->media);
	if (fx & HL_FX_RECORD)
		hl_call_record_start(call);
	if (fx & HL_FX_END)
		acd_call_end(call, t->disposition);
}

/* Looks up and carries out the call's step on ev: 0, or -1 refused. */
int
hl_acd_event(hl_call *call, hl_call_event ev, const char *why)
{
	const hl_call_step	*t;

	t = hl_fsm_call(call->state, ev, hl_acd_facts(call));
	if (t == NULL)
		return (-1);
	hl_acd_step(call, t, why);
	return (0);
}

/* The phone answered (step t): caller <-> phone through the plugin,
 * recorded. */
void
hl_acd_phone_answered(hl_call *call, const hl_call_step *t,
    const struct sockaddr_in *sin)
{
	hl_agent	*a = call->phone_agent;

	acd_take_call(call, a);
	hl_media_agency_peer(call, sin);
	hl_acd_step(call, t, "answered by another agent");
	JANUS_LOG(LOG_INFO, "hotline: call %s bridged to %s (phone %s)\n",
	    call->id, a->user_id, a->sip_ext);
}

/* The phone rejected the call (step t) or could not be reached. */
void
hl_acd_phone_refused(hl_call *call, const hl_call_step *t, int status)
{
	hl_agent	*a = call->phone_agent;

	call->phone_agent = NULL;
	JANUS_LOG(LOG_INFO, "hotline: phone %s refused %s (%d)\n",
	    a->sip_ext, call->id, status);
	hl_acd_step(call, t, NULL);
	acd_offer_withdraw(call, a, "phone refused");
	hl_acd_dispatch();
}

/* A phone REGISTERed (contact) or unregistered (NULL / expires 0). */
void
hl_acd_phone_registered(const hl_extension *ext, const char *contact,
    int expires)
{
	hl_agent	*a;

	a = g_hash_table_lookup(hl.agents, ext->user_id);
	if (a == NULL) {
		if (contact == NULL)
			return;
		a = g_malloc0(sizeof(*a));
		a->user_id = g_strdup(ext->user_id);
		g_hash_table_insert(hl.agents, a->user_id, a);
	}
	g_free(a->sip_contact);
	a->sip_contact = NULL;
	hl_timer_cancel(&a->phone_timer);
	if (contact != NULL && expires > 0) {
		g_free(a->sip_ext);
		a->sip_ext = g_strdup(ext->ext);
		a->sip_contact = g_strdup(contact);
		a->sip_expires_at = janus_get_monotonic_time() +
		    (gint64)expires * G_USEC_PER_SEC;
		hl_timer_set(&a->phone_timer, a->sip_expires_at,
		    agent_phone_expired, a, NULL);
		hl_acd_agent_event(a, HL_AGENT_EV_PHONE_UP, NULL);
		JANUS_LOG(LOG_INFO, "hotline: phone %s registered for %s at "
		    "%s\n", ext->ext, a->user_id, contact);
		hl_acd_dispatch();
	} else if (hl_acd_agent_event(a, HL_AGENT_EV_PHONE_DOWN, NULL) == 0) {
		JANUS_LOG(LOG_INFO, "hotline: phone %s unregistered\n",
		    ext->ext);
	}
}

/*
 * A feature code dialled from the agent's desk phone (sip.c checked its
 * digest): the same step as the console's state request, so a phone
 * paused for a missed call has its own way back.  0, or -1 refused (no
 * such agent, or a step the table does not allow, e.g. in a call).
 */
int
hl_acd_phone_feature(const hl_extension *ext, hl_agent_event ev)
{
	hl_agent	*a;

	a = g_hash_table_lookup(hl.agents, ext->user_id);
	if (a == NULL || hl_acd_agent_event(a, ev,
	    ev == HL_AGENT_EV_SET_PAUSED ? HL_PHONE_PAUSE_REASON : NULL) < 0)
		return (-1);
	JANUS_LOG(LOG_INFO, "hotline: %s is %s (feature code from phone "
	    "%s)\n", a->user_id, hl_agent_state_name(a->state), ext->ext);
	agent_notify(a);
	hl_acd_dispatch();
	return (0);
}

/* Static functions. */

static hl_agent *
acd_pick_longest_idle(hl_call *call)
{
	GHashTableIter	 it;
	gpointer	 v;
	hl_agent	*a, *best = NULL;

	gint64		*declined_at;
	int		 again;

	/* First those it has not rung for; then (again = 1) those who let
	 * it go and have become available anew since: the others have had
	 * their turn, and with one operator on duty the call is not left
	 * to wait for nobody. */
	for (again = 0; again < 2 && best == NULL; again++) {
		g_hash_table_iter_init(&it, hl.agents);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			a = v;
			if (a->state != HL_AGENT_AVAILABLE)
				continue;
			declined_at = g_hash_table_lookup(call->declined,
			    a->user_id);
			if (declined_at != NULL &&
			    (!again || a->idle_since <= *declined_at))
				continue;
			/* A browser, or a registered phone if the call's
			 * second leg is free (one phone rings at a time). */
			if (hl_acd_on_phone(a) ? (call->nh_b != NULL ||
			    call->phone_agent != NULL) : a->session == NULL)
				continue;
			if (best == NULL || a->idle_since < best->idle_since)
				best = a;
		}
	}
	return (best);
}

/*
 * Calls for this agent ring the desk phone: a phone is registered and
 * either no console is open or the console chose the phone (use_phone).
 */
int
hl_acd_on_phone(const hl_agent *a)
{

	return (a->sip_contact != NULL &&
	    (a->session == NULL || a->use_phone));
}

/* A SIP phone agent: INVITE its registered contact on the second leg. */
static void
acd_offer_phone(hl_call *call, hl_agent *a)
{
	const hl_call_step	*t;
	char			*to;

	t = hl_fsm_call(call->state, HL_CALL_EV_OFFER, hl_acd_facts(call));
	if (t == NULL)
		return;
	if (call->fd_b < 0 && hl_media_open_agency(call) < 0)
		return;
	to = g_strdup_printf("<sip:%s@%s>", a->sip_ext, hl.cfg.sip_ip);
	g_atomic_int_set(&call->leg_b_phone, 1);
	if (hl_sip_invite_leg_b(call, a->sip_contact, to) < 0) {
		g_free(to);
		return;
	}
	g_free(to);
	hl_acd_step(call, t, NULL);
	call->phone_agent = a;
	call->offered = g_list_append(call->offered, a);
	a->call = call;
	hl_acd_agent_event(a, HL_AGENT_EV_OFFER, NULL);
	JANUS_LOG(LOG_INFO, "hotline: call %s offered to %s (phone %s)\n",
	    call->id, a->user_id, a->sip_ext);
}

static void
acd_offer(hl_call *call, hl_agent *a)
{
	const hl_call_step	*t;
	json_t			*ev, *jsep;
	char			*sdp;
	int			 dtmf;

	if (hl_acd_on_phone(a)) {
		acd_offer_phone(call, a);
		return;
	}
	t = hl_fsm_call(call->state, HL_CALL_EV_OFFER, hl_acd_facts(call));
	if (t == NULL)
		return;
	/* Written by hand: the browser gets exactly the trunk's codec and
	 * telephone-event numbers, so packets pass through unchanged.
	 * Janus adds ICE and DTLS. */
	dtmf = call->dtmf_pt >= 0 ? call->dtmf_pt : 101;
	sdp = g_strdup_printf("v=0\r\n"
	    "o=- %" G_GINT64_FORMAT " 1 IN IP4 127.0.0.1\r\n"
	    "s=Hotline 1022\r\n"
	    "t=0 0\r\n"
	    "m=audio 9 UDP/TLS/RTP/SAVPF %d %d\r\n"
	    "c=IN IP4 127.0.0.1\r\n"
	    "a=sendrecv\r\n"
	    "a=rtpmap:%d %s/8000\r\n"
	    "a=rtpmap:%d telephone-event/8000\r\n"
	    "a=fmtp:%d 0-16\r\n"
	    "a=ptime:20\r\n",
	    janus_get_real_time(), call->pt, dtmf, call->pt,
	    call->pt == 0 ? "PCMU" : "PCMA", dtmf, dtmf);
	JANUS_LOG(LOG_VERB, "hotline: offer for %s:\n%s\n", call->id, sdp);

	hl_acd_step(call, t, NULL);
	call->offered = g_list_append(call->offered, a);
	a->call = call;
	hl_acd_agent_event(a, HL_AGENT_EV_OFFER, NULL);

	ev = hl_event_new("incoming");
	json_object_set_new(ev, "call_id", json_string(call->id));
	json_object_set_new(ev, "caller", json_string(call->caller));
	json_object_set_new(ev, "callee", json_string(call->callee));
	json_object_set_new(ev, "codec", json_string(call->pt == 0 ? "PCMU" :
	    "PCMA"));
	json_object_set_new(ev, "waited_seconds", json_integer(
	    (janus_get_monotonic_time() - call->created_mono) /
	    G_USEC_PER_SEC));
	jsep = json_pack("{ssss}", "type", "offer", "sdp", sdp);
	g_free(sdp);
	JANUS_LOG(LOG_INFO, "hotline: call %s offered to %s\n", call->id,
	    a->user_id);
	hl_push_event(a->session, NULL, ev, jsep);
}

/* A ringing agent declined, timed out, left, or another one answered;
 * with nobody left ringing the call is back in the queue. */
static void
acd_offer_withdraw(hl_call *call, hl_agent *a, const char *reason)
{
	json_t		*ev;
	gint64		*declined_at;

	if (g_list_find(call->offered, a) == NULL)
		return;
	call->offered = g_list_remove(call->offered, a);
	if (call->offered == NULL)
		hl_acd_event(call, HL_CALL_EV_UNOFFERED, NULL);
	a->call = NULL;
	if (call->phone_agent == a) {
		call->phone_agent = NULL;
		hl_sip_hangup_agency(call);	/* CANCEL */
	} else if (a->session != NULL) {
		/* The console rang, not its phone: it stops ringing. */
		ev = hl_event_new("cancelled");
		json_object_set_new(ev, "call_id", json_string(call->id));
		if (reason != NULL)
			json_object_set_new(ev, "reason", json_string(reason));
		hl_push_event(a->session, NULL, ev, NULL);
		hl.gateway->close_pc(a->session->handle);
	}
	hl_acd_agent_event(a, HL_AGENT_EV_UNOFFER, NULL);
	/* After the step: only an agent available anew from now on (back
	 * from a pause, a call or a wrap-up) is offered it again. */
	declined_at = g_new(gint64, 1);
	*declined_at = janus_get_monotonic_time();
	g_hash_table_insert(call->declined, g_strdup(a->user_id),
	    declined_at);
}

static void
acd_offer_withdraw_all(hl_call *call, const char *reason)
{
	while (call->offered != NULL)
		acd_offer_withdraw(call, call->offered->data, reason);
}

/*
 * An agent (browser or desk phone) answered: the call is theirs.  The
 * step that follows (ANSWER, LEG_B_ANSWERED) takes it out of the queue
 * and stops it ringing for every other agent (ring-all).
 */
static void
acd_take_call(hl_call *call, hl_agent *a)
{
	call->offered = g_list_remove(call->offered, a);
	call->answered_real = janus_get_real_time();
	call->agent_user_id = g_strdup(a->user_id);
	/* Out of the queue: hold audio from now on (a transfer) carries
	 * no position announcement. */
	janus_mutex_lock(&call->mutex);
	call->position = 0;
	janus_mutex_unlock(&call->mutex);
	a->answered++;
	hl_acd_agent_event(a, HL_AGENT_EV_ANSWER, NULL);
}

static void
acd_bridge(hl_call *call, hl_session *s)
{
	const hl_call_step	*t;
	hl_agent		*a = s->agent;

	t = hl_fsm_call(call->state, HL_CALL_EV_ANSWER, hl_acd_facts(call));
	if (t == NULL)
		return;
	acd_take_call(call, a);
	janus_mutex_lock(&s->mutex);
	janus_refcount_increase(&call->ref);
	s->call = call;
	janus_mutex_unlock(&s->mutex);
	janus_mutex_lock(&call->mutex);
	janus_refcount_increase(&s->ref);
	call->agent_session = s;
	call->media_mode = HL_MEDIA_BRIDGED;
	janus_mutex_unlock(&call->mutex);
	hl_acd_step(call, t, "answered by another agent");
	JANUS_LOG(LOG_INFO, "hotline: call %s bridged to %s, recording %s\n",
	    call->id, a->user_id, call->recording != NULL ?
	    call->recording : "(none)");
}

/*
 * The agent leaves the call (hang-up or transfer): the browser is told
 * (event "hangup" or "transferred"; NULL: the request's answer tells
 * it), its PeerConnection closed, and the agent goes to wrap-up.  The
 * call itself may go on (transfer).
 */
static void
acd_detach_agent(hl_call *call, const char *event)
{
	hl_session	*s;
	hl_agent	*a;
	json_t		*ev;

	janus_mutex_lock(&call->mutex);
	s = call->agent_session;
	call->agent_session = NULL;
	janus_mutex_unlock(&call->mutex);
	if (s == NULL)
		return;
	janus_mutex_lock(&s->mutex);
	if (s->call == call) {
		s->call = NULL;
		janus_refcount_decrease(&call->ref);
	}
	janus_mutex_unlock(&s->mutex);
	a = s->agent;
	if (a != NULL && a->call == call) {
		a->call = NULL;
		if (event != NULL) {
			ev = hl_event_new(event);
			json_object_set_new(ev, "call_id",
			    json_string(call->id));
			if (strcmp(event, "transferred") == 0)
				json_object_set_new(ev, "number",
				    json_string(call->transfer_to));
			else
				json_object_set_new(ev, "by",
				    json_string(call->hangup_by));
			hl_push_event(s, NULL, ev, NULL);
		}
		hl_acd_agent_event(a, HL_AGENT_EV_CALL_DONE, NULL);
	}
	hl.gateway->close_pc(s->handle);
	janus_refcount_decrease(&s->ref);
}

/*
 * The operator left (logout, closed tab, the browser's PeerConnection
 * down).  Bridged, the caller is hung up.  During a consultation, rather
 * than drop the caller, the transfer goes on without them: as
 * transfer_complete once the agency has answered, as a blind transfer
 * while it still rings.  0, or -1 if the call had no such step.
 */
static int
acd_operator_gone(hl_call *call)
{
	const hl_call_step	*t;

	t = hl_fsm_call(call->state, HL_CALL_EV_OPERATOR_GONE,
	    hl_acd_facts(call));
	if (t == NULL)
		return (-1);
	hl_acd_step(call, t, NULL);
	if (t->to != HL_CALL_ENDED)
		JANUS_LOG(LOG_INFO, "hotline: call %s: operator gone during "
		    "the consultation, handed to agency %s\n", call->id,
		    call->transfer_to);
	return (0);
}

/* Nobody will answer: prompt, then record the caller for voicemail_max
 * seconds.  Kore turns the recording into a ticket. */
static void
acd_voicemail(hl_call *call, hl_call_event ev, const char *why)
{
	const hl_call_step	*t;

	t = hl_fsm_call(call->state, ev, hl_acd_facts(call));
	if (t == NULL)
		return;
	if (!acd_voicemail_allowed(call->caller)) {
		/* A caller filling the voicemail box (and the tickets it
		 * becomes) is hung up instead of recorded. */
		JANUS_LOG(LOG_WARN, "hotline: call %s: %s has left %d "
		    "voicemails in the last hour, hung up instead (%s)\n",
		    call->id, call->caller[0] != '\0' ? call->caller :
		    "an anonymous caller", hl.cfg.vm_per_hour, why);
		hl_acd_event(call, HL_CALL_EV_VOICEMAIL_FULL, "queue timeout");
		return;
	}
	hl_acd_step(call, t, "queue timeout");
	call->voicemail_real = janus_get_real_time();
	/* The message is recorded from the end of the prompt (the beep). */
	call->voicemail_record_at = janus_get_monotonic_time() +
	    (gint64)hl.audio[HL_PROMPT_VOICEMAIL].len * G_USEC_PER_SEC / 8000;
	call->voicemail_deadline = call->voicemail_record_at +
	    (gint64)hl.cfg.voicemail_max * G_USEC_PER_SEC;
	acd_call_timer(call, &call->beep_timer, call->voicemail_record_at,
	    acd_beep);
	acd_call_timer(call, &call->voicemail_timer, call->voicemail_deadline,
	    acd_voicemail_expired);
	janus_mutex_lock(&call->mutex);
	call->media_mode = HL_MEDIA_VOICEMAIL;
	call->position = 0;
	call->playing = -1;	/* cut the hold music short */
	janus_mutex_unlock(&call->mutex);
	JANUS_LOG(LOG_INFO, "hotline: call %s to voicemail (%s)\n", call->id,
	    why);
}

/*
 * At most voicemail_per_hour voicemails per caller number in any hour;
 * counts this one if allowed.  Entries older than an hour are dropped,
 * and the table is swept when it grows past 10,000 numbers.
 */
static int
acd_voicemail_allowed(const char *caller)
{
	GHashTableIter	 it;
	gpointer	 v;
	GArray		*starts;
	gint64		 now = janus_get_monotonic_time();
	gint64		 hour = (gint64)3600 * G_USEC_PER_SEC;

	if (hl.cfg.vm_per_hour <= 0)
		return (1);
	if (g_hash_table_size(hl.voicemails) > 10000) {
		g_hash_table_iter_init(&it, hl.voicemails);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			starts = v;
			if (starts->len == 0 || now - g_array_index(starts,
			    gint64, starts->len - 1) > hour)
				g_hash_table_iter_remove(&it);
		}
	}
	starts = g_hash_table_lookup(hl.voicemails, caller);
	if (starts == NULL) {
		starts = g_array_new(FALSE, FALSE, sizeof(gint64));
		g_hash_table_insert(hl.voicemails, g_strdup(caller), starts);
	}
	while (starts->len > 0 && now - g_array_index(starts, gint64, 0) > hour)
		g_array_remove_index(starts, 0);
	if (starts->len >= (guint)hl.cfg.vm_per_hour)
		return (0);
	g_array_append_val(starts, now);
	return (1);
}

/* Positions the callers hear, 1 for the oldest waiting call. */
static void
acd_update_positions(void)
{
	GList	*l;
	hl_call	*call;
	int	 pos = 0;

	for (l = hl.queue->head; l != NULL; l = l->next) {
		call = l->data;
		janus_mutex_lock(&call->mutex);
		call->position = ++pos;
		janus_mutex_unlock(&call->mutex);
	}
}

/* Final: takes the call out of every structure and reports it. */
static void
acd_call_end(hl_call *call, const char *disposition)
{
	guint	voiced;

	call->ended_real = janus_get_real_time();
	call->ended_mono = janus_get_monotonic_time();
	janus_mutex_lock(&call->mutex);
	voiced = call->vm_voiced;
	janus_mutex_unlock(&call->mutex);
	/* Nobody spoke after the beep: a missed call to call back, not a
	 * ticket with an empty recording. */
	if (disposition != NULL && strcmp(disposition, "voicemail") == 0 &&
	    voiced < HL_VM_SPEECH_FRAMES) {
		JANUS_LOG(LOG_INFO, "hotline: call %s: voicemail without "
		    "speech (%u voiced frames), reported missed\n", call->id,
		    voiced);
		disposition = "missed";
	}
	if (call->disposition == NULL)
		call->disposition = g_strdup(disposition);
	if (call->hangup_by == NULL)
		call->hangup_by = g_strdup("caller");
	g_queue_remove(hl.queue, call);
	acd_update_positions();
	hl_timer_cancel(&call->ring_timer);
	hl_timer_cancel(&call->queue_timer);
	hl_timer_cancel(&call->transfer_timer);
	hl_timer_cancel(&call->beep_timer);
	hl_timer_cancel(&call->voicemail_timer);
	hl_timer_cancel(&call->no_agent_timer);
	hl_timer_cancel(&call->media_timer);

	acd_detach_agent(call, "hangup");
	if (call->phone_agent != NULL) {
		hl_agent	*pa = call->phone_agent;

		call->phone_agent = NULL;
		if (pa->call == call) {
			pa->call = NULL;
			hl_acd_agent_event(pa, HL_AGENT_EV_CALL_DONE, NULL);
		}
	}
	for (;;) {
		hl_session	*ls;

		janus_mutex_lock(&call->mutex);
		ls = call->listeners != NULL ? call->listeners->data : NULL;
		janus_mutex_unlock(&call->mutex);
		if (ls == NULL)
			break;
		if (ls->listen_call == call)
			hl_listen_stop(ls, "call ended");
		else
			hl_media_listen_remove(call, ls);
	}
	JANUS_LOG(LOG_INFO, "hotline: call %s ended: %s by %s (rtp trunk>%d "
	    ">agent %d agent>%d >trunk %d)\n", call->id, call->disposition,
	    call->hangup_by, g_atomic_int_get(&call->rtp_from_trunk),
	    g_atomic_int_get(&call->rtp_to_agent),
	    g_atomic_int_get(&call->rtp_from_agent),
	    g_atomic_int_get(&call->rtp_to_trunk));
	/* Joining the media thread, closing the WAV and spooling the event
	 * (fsync) are the finisher thread's, after hl.lock (events.c). */
	hl_events_call_ended(call);
	if (g_hash_table_remove(hl.calls, call->id))
		hl_call_unref(call);
}

static int
agent_facts(hl_agent *a)
{
	int	facts = 0;

	if (a->sip_contact != NULL)
		facts |= HL_FACT_PHONE;
	if (a->session != NULL)
		facts |= HL_FACT_CONSOLE;
	if (hl.cfg.wrapup_time > 0)
		facts |= HL_FACT_WRAP_UP;
	return (facts);
}

/* Carries out an agent's step t; the console hears of it if the row
 * says so (its own requests are answered instead). */
static void
agent_step(hl_agent *a, const hl_agent_step *t, const char *reason)
{
	int	 changed;
	gint64	 now = janus_get_monotonic_time();

	if (t->effects & HL_AFX_FRESH) {
		a->idle_since = now;
		a->state_since = now;
	} else {
		if (t->to == HL_AGENT_AVAILABLE &&
		    a->state != HL_AGENT_AVAILABLE)
			a->idle_since = now;
		if (t->to != a->state)
			a->state_since = now;
	}
	a->wrapup_until = 0;
	hl_timer_cancel(&a->wrapup_timer);
	if (t->to == HL_AGENT_WRAP_UP) {
		a->wrapup_until = now + (gint64)hl.cfg.wrapup_time *
		    G_USEC_PER_SEC;
		hl_timer_set(&a->wrapup_timer, a->wrapup_until,
		    agent_wrapup_expired, a, NULL);
	} else if (t->event == HL_AGENT_EV_NO_ANSWER &&
	    hl.cfg.no_answer_return > 0) {
		/* The same slot: any later step cancels the return. */
		a->wrapup_until = now + (gint64)hl.cfg.no_answer_return *
		    G_USEC_PER_SEC;
		hl_timer_set(&a->wrapup_timer, a->wrapup_until,
		    agent_no_answer_expired, a, NULL);
	}
	changed = t->to != a->state || g_strcmp0(reason, a->pause_reason) != 0;
	g_free(a->pause_reason);
	a->pause_reason = reason != NULL ? g_strdup(reason) : NULL;
	a->state = t->to;
	/* One agent.state event per change, for the state-time reports. */
	if (changed)
		hl_events_agent_state(a, t->event == HL_AGENT_EV_PHONE_UP ||
		    t->event == HL_AGENT_EV_PHONE_DOWN ||
		    t->event == HL_AGENT_EV_PHONE_EXPIRED);
	if (t->to == HL_AGENT_OFFLINE && !acd_anyone_logged_in()) {
		GList	*l;

		/* The last operator left: the calls waiting have nobody. */
		for (l = hl.queue->head; l != NULL; l = l->next) {
			hl_timer_cancel(&((hl_call *)l->data)->no_agent_timer);
			acd_no_agent_timer(l->data);
		}
	}
	if ((t->effects & HL_AFX_NOTIFY) && t->to != HL_AGENT_OFFLINE)
		agent_notify(a);
}

/* The agent's console, if open, hears of a state the plugin set. */
static void
agent_notify(hl_agent *a)
{
	json_t	*ev;

	if (a->session == NULL)
		return;
	ev = hl_event_new("state");
	json_object_set_new(ev, "agent", hl_status_agent_json(a));
	hl_push_event(a->session, NULL, ev, NULL);
}

/*
 * Nobody answered within ring_timeout: back to the queue.  One agent at
 * a time: that agent is paused ("no_answer") so the next one gets the
 * call.  Ring-all: the whole group rings again (nobody is paused for a
 * group call).
 */
static void
acd_ring_timeout(hl_call *call)
{
	const hl_call_step	*t;
	GList			*l, *rang;
	hl_agent		*a;

	t = hl_fsm_call(call->state, HL_CALL_EV_RING_TIMEOUT,
	    hl_acd_facts(call));
	if (t == NULL)
		return;
	rang = g_list_copy(call->offered);
	for (l = rang; l != NULL; l = l->next)
		JANUS_LOG(LOG_INFO, "hotline: %s did not answer %s\n",
		    ((hl_agent *)l->data)->user_id, call->id);
	hl_acd_step(call, t, "no answer");
	for (l = rang; l != NULL && !hl.cfg.ring_all; l = l->next) {
		a = l->data;
		hl_acd_agent_event(a, HL_AGENT_EV_NO_ANSWER, "no_answer");
	}
	g_list_free(rang);
	if (hl.cfg.ring_all)
		g_hash_table_remove_all(call->declined);
}

/* Deadlines (timers.c): each callback runs with hl.lock held. */

static void
acd_call_timer(hl_call *call, GSource **slot, gint64 at, hl_timer_fn fn)
{
	janus_refcount_increase(&call->ref);
	hl_timer_set(slot, at, fn, call, acd_call_release);
}

static void
acd_call_release(gpointer p)
{
	hl_call_unref(p);
}

/* A timer a little early for its deadline is set again for it. */
static int
acd_not_yet(hl_call *call, GSource **slot, gint64 at, hl_timer_fn fn)
{
	if (at <= janus_get_monotonic_time())
		return (0);
	acd_call_timer(call, slot, at, fn);
	return (1);
}

/* Nobody answered within ring_timeout. */
static void
acd_ring_expired(gpointer p)
{
	hl_call	*call = p;

	if (call->state != HL_CALL_RINGING || acd_not_yet(call,
	    &call->ring_timer, call->offer_deadline, acd_ring_expired))
		return;
	acd_ring_timeout(call);
	hl_acd_dispatch();
}

/* queue_max_wait counts from the call's start, in the queue or back in
 * it after a failed transfer. */
static void
acd_queue_timer(hl_call *call)
{
	if (hl.cfg.queue_max_wait <= 0)
		return;
	acd_call_timer(call, &call->queue_timer, call->created_mono +
	    (gint64)hl.cfg.queue_max_wait * G_USEC_PER_SEC, acd_queue_expired);
}

static void
acd_queue_expired(gpointer p)
{
	hl_call	*call = p;

	if ((call->state != HL_CALL_QUEUED &&
	    call->state != HL_CALL_RINGING) || !g_atomic_int_get(&call->acked))
		return;
	if (acd_not_yet(call, &call->queue_timer, call->created_mono +
	    (gint64)hl.cfg.queue_max_wait * G_USEC_PER_SEC, acd_queue_expired))
		return;
	acd_voicemail(call, HL_CALL_EV_VOICEMAIL, "waited too long");
	hl_acd_dispatch();
}

/* Any agent in a state that could take a call, now or soon. */
static int
acd_anyone_logged_in(void)
{
	GHashTableIter	 it;
	gpointer	 v;

	g_hash_table_iter_init(&it, hl.agents);
	while (g_hash_table_iter_next(&it, NULL, &v))
		if (((hl_agent *)v)->state != HL_AGENT_OFFLINE)
			return (1);
	return (0);
}

/* Nobody logged in: the call goes to voicemail after no_agent_grace,
 * unless someone logs in first.  A timer already set keeps its time. */
static void
acd_no_agent_timer(hl_call *call)
{
	if (call->state != HL_CALL_QUEUED || call->no_agent_timer != NULL)
		return;
	call->no_agent_deadline = janus_get_monotonic_time() +
	    (gint64)hl.cfg.no_agent_grace * G_USEC_PER_SEC;
	acd_call_timer(call, &call->no_agent_timer, call->no_agent_deadline,
	    acd_no_agent_expired);
}

static void
acd_media_expired(gpointer p)
{
	hl_call	*call = p;
	gint64	 now = janus_get_monotonic_time();
	gint	 seen;

	if (call->state == HL_CALL_ENDED)
		return;
	seen = g_atomic_int_get(&call->rtp_from_trunk);
	if (seen != call->rtp_seen) {
		call->rtp_seen = seen;
		call->rtp_seen_at = now;
	} else if (now - call->rtp_seen_at >=
	    (gint64)hl.cfg.rtp_timeout * G_USEC_PER_SEC) {
		JANUS_LOG(LOG_WARN, "hotline: call %s: no RTP from the caller "
		    "for %d s, ended\n", call->id, hl.cfg.rtp_timeout);
		hl_acd_event(call, HL_CALL_EV_MEDIA_TIMEOUT, "caller's media "
		    "stopped");
		hl_acd_dispatch();
		return;
	}
	acd_call_timer(call, &call->media_timer, now + G_USEC_PER_SEC,
	    acd_media_expired);
}

static void
acd_no_agent_expired(gpointer p)
{
	hl_call	*call = p;

	if (call->state != HL_CALL_QUEUED || acd_not_yet(call,
	    &call->no_agent_timer, call->no_agent_deadline,
	    acd_no_agent_expired))
		return;
	if (acd_anyone_logged_in())
		return;		/* someone came: the queue goes on */
	if (!g_atomic_int_get(&call->acked)) {
		/* Our 200 is not ACKed yet: look again shortly. */
		call->no_agent_deadline = janus_get_monotonic_time() +
		    G_USEC_PER_SEC / 5;
		acd_call_timer(call, &call->no_agent_timer,
		    call->no_agent_deadline, acd_no_agent_expired);
		return;
	}
	acd_voicemail(call, HL_CALL_EV_NO_AGENT, "no operator logged in");
	hl_acd_dispatch();
}

/* Leg B rang for transfer_timeout: CANCEL it, the agency failed. */
static void
acd_transfer_expired(gpointer p)
{
	hl_call	*call = p;

	if ((call->state != HL_CALL_TRANSFERRING &&
	    call->state != HL_CALL_CONSULT_RINGING) ||
	    call->transfer_deadline == 0 || acd_not_yet(call,
	    &call->transfer_timer, call->transfer_deadline,
	    acd_transfer_expired))
		return;
	JANUS_LOG(LOG_INFO, "hotline: call %s: agency %s did not answer in "
	    "%d s\n", call->id, call->transfer_to, hl.cfg.transfer_timeout);
	hl_sip_hangup_agency(call);	/* CANCEL */
	call->nh_b = NULL;
	hl_agency_failed(call, 408);
	hl_acd_dispatch();
}

/* The voicemail prompt is over: the message is recorded from here. */
static void
acd_beep(gpointer p)
{
	hl_call	*call = p;

	if (call->state != HL_CALL_VOICEMAIL || call->recording != NULL ||
	    acd_not_yet(call, &call->beep_timer, call->voicemail_record_at,
	    acd_beep))
		return;
	hl_acd_event(call, HL_CALL_EV_BEEP, NULL);
	JANUS_LOG(LOG_INFO, "hotline: call %s: recording voicemail %s\n",
	    call->id, call->recording != NULL ? call->recording : "(failed)");
}

static void
acd_voicemail_expired(gpointer p)
{
	hl_call	*call = p;

	if (call->state != HL_CALL_VOICEMAIL || acd_not_yet(call,
	    &call->voicemail_timer, call->voicemail_deadline,
	    acd_voicemail_expired))
		return;
	hl_acd_event(call, HL_CALL_EV_VOICEMAIL_END, NULL);
}

static void
agent_wrapup_expired(gpointer p)
{
	hl_agent	*a = p;

	if (a->state != HL_AGENT_WRAP_UP)
		return;
	if (a->wrapup_until > janus_get_monotonic_time()) {
		hl_timer_set(&a->wrapup_timer, a->wrapup_until,
		    agent_wrapup_expired, a, NULL);
		return;
	}
	hl_acd_agent_event(a, HL_AGENT_EV_WRAP_UP_END, NULL);
	hl_acd_dispatch();
}

/* Paused for a missed call long enough (no_answer_return): back. */
static void
agent_no_answer_expired(gpointer p)
{
	hl_agent	*a = p;

	if (a->state != HL_AGENT_PAUSED || a->wrapup_until == 0)
		return;
	if (a->wrapup_until > janus_get_monotonic_time()) {
		hl_timer_set(&a->wrapup_timer, a->wrapup_until,
		    agent_no_answer_expired, a, NULL);
		return;
	}
	if (hl_acd_agent_event(a, HL_AGENT_EV_SET_AVAILABLE, NULL) < 0)
		return;
	JANUS_LOG(LOG_INFO, "hotline: %s available again after %d s paused "
	    "for a missed call\n", a->user_id, hl.cfg.no_answer_return);
	agent_notify(a);
	hl_acd_dispatch();
}

/* The phone did not REGISTER again in time. */
static void
agent_phone_expired(gpointer p)
{
	hl_agent	*a = p;

	if (a->sip_contact == NULL)
		return;
	if (a->sip_expires_at > janus_get_monotonic_time()) {
		hl_timer_set(&a->phone_timer, a->sip_expires_at,
		    agent_phone_expired, a, NULL);
		return;
	}
	g_free(a->sip_contact);
	a->sip_contact = NULL;
	hl_acd_agent_event(a, HL_AGENT_EV_PHONE_EXPIRED, NULL);
}
