/*
 * agency.c: handing a call to an agency on the second leg (leg B).
 * Blind: the operator is free at once, the caller hears hold audio
 * until the agency answers.  Attended: the caller hears hold audio while
 * the operator, still in the call, talks to the agency first;
 * transfer_complete or transfer_cancel ends that.  Either way the
 * recording goes on.  Only an agency's number (transfer file) or one of
 * transfer_allow is dialled.  The steps are fsm.c's; hl.lock held.
 */
#include <string.h>

#include "hotline.h"

static void		 agency_consult_end(hl_call *, const hl_call_step *,
			    const char *, const char *, int);
static hl_session	*agency_call_session(hl_call *);
static const char	*agency_refusal_reason(int);
static int		 agency_number_valid(const char *, const char **);

/*
 * Transfer to an agency number.  Blind: the agent is free at once, the
 * caller hears hold audio until the agency answers.  Attended: the
 * caller hears hold audio while the agent, still in the call, talks to
 * the agency first; transfer_complete or transfer_cancel ends that.
 * Either way the recording goes on.  Only an agency's number (transfer
 * file) or one of transfer_allow is dialled: -2 for any other.
 */
int
hl_agency_transfer(hl_session *s, const char *number, int attended,
    const char **why)
{
	const hl_call_step	*t;
	hl_agent		*a = s->agent;
	hl_call			*call;
	int			 agency_id;

	if (a == NULL || a->state != HL_AGENT_IN_CALL || a->call == NULL) {
		*why = "No call to transfer";
		return (-1);
	}
	call = a->call;
	t = hl_fsm_call(call->state, attended ? HL_CALL_EV_CONSULT :
	    HL_CALL_EV_TRANSFER, hl_acd_facts(call));
	if (t == NULL && (call->state == HL_CALL_CONSULT_RINGING ||
	    call->state == HL_CALL_CONSULTING)) {
		*why = "A transfer is already in progress: complete or cancel "
		    "it first";
		return (-1);
	}
	if (t == NULL) {
		*why = "No call to transfer";
		return (-1);
	}
	if (agency_number_valid(number, why) < 0)
		return (-1);
	if (!hl_transfer_allowed(number, &agency_id)) {
		JANUS_LOG(LOG_WARN, "hotline: call %s: %s asked for a transfer "
		    "to %s, which is no agency's number: refused\n", call->id,
		    a->user_id, number);
		*why = "Not an agency's forwarding number: transfer refused";
		return (-2);
	}
	/* The port pair of an earlier, failed transfer is used again. */
	if (call->fd_b < 0 && hl_media_open_agency(call) < 0) {
		*why = "No RTP port for the agency leg";
		return (-1);
	}
	g_free(call->transfer_to);
	call->transfer_to = g_strdup(number);
	call->transfer_agency_id = agency_id;
	janus_mutex_lock(&call->mutex);
	call->remote_b_set = FALSE;
	janus_mutex_unlock(&call->mutex);
	if (hl_sip_transfer(call, number) < 0) {
		g_free(call->transfer_to);
		call->transfer_to = NULL;
		*why = "transfer_uri is not configured";
		return (-1);
	}
	hl_acd_step(call, t, NULL);
	if (attended) {
		JANUS_LOG(LOG_INFO, "hotline: call %s on hold, %s consults "
		    "agency %s\n", call->id, a->user_id, number);
		return (0);
	}
	hl_acd_dispatch();
	return (0);
}

/* Attended transfer: the caller meets the agency, the operator leaves. */
int
hl_agency_transfer_complete(hl_session *s, json_t **ev, const char **why)
{
	const hl_call_step	*t;
	hl_agent		*a = s->agent;
	hl_call			*call;

	if (a == NULL || a->state != HL_AGENT_IN_CALL || a->call == NULL) {
		*why = "No call in progress";
		return (-1);
	}
	call = a->call;
	t = hl_fsm_call(call->state, HL_CALL_EV_TRANSFER_COMPLETE,
	    hl_acd_facts(call));
	if (t == NULL && call->state == HL_CALL_CONSULT_RINGING) {
		*why = "The agency has not answered yet: wait, or cancel the "
		    "transfer";
		return (-1);
	}
	if (t == NULL) {
		*why = "No attended transfer to complete";
		return (-1);
	}
	*ev = hl_event_new("transferred");
	json_object_set_new(*ev, "call_id", json_string(call->id));
	json_object_set_new(*ev, "number", json_string(call->transfer_to));
	hl_acd_step(call, t, NULL);
	JANUS_LOG(LOG_INFO, "hotline: call %s now with agency %s (attended, "
	    "by %s)\n", call->id, call->transfer_to, a->user_id);
	hl_acd_dispatch();
	return (0);
}

/* Attended transfer: the agency leg ends, the operator is back with the
 * caller. */
int
hl_agency_transfer_cancel(hl_session *s, json_t **ev, const char **why)
{
	const hl_call_step	*t = NULL;
	hl_agent		*a = s->agent;
	hl_call			*call;

	if (a != NULL && a->state == HL_AGENT_IN_CALL && a->call != NULL)
		t = hl_fsm_call(a->call->state, HL_CALL_EV_TRANSFER_CANCEL,
		    hl_acd_facts(a->call));
	if (t == NULL) {
		*why = "No attended transfer to cancel";
		return (-1);
	}
	call = a->call;
	*ev = hl_event_new("transfer_cancelled");
	json_object_set_new(*ev, "call_id", json_string(call->id));
	json_object_set_new(*ev, "number", json_string(call->transfer_to));
	/* CANCEL, or BYE once answered */
	agency_consult_end(call, t, NULL, "cancelled", 0);
	return (0);
}

void
hl_agency_answered(hl_call *call, const struct sockaddr_in *sin)
{
	const hl_call_step	*t;
	hl_session		*s;
	json_t			*ev;

	t = hl_fsm_call(call->state, HL_CALL_EV_LEG_B_ANSWERED,
	    hl_acd_facts(call));
	if (t == NULL)
		return;
	if (t->from == HL_CALL_RINGING) {
		hl_acd_phone_answered(call, t, sin);
		return;
	}
	hl_media_agency_peer(call, sin);
	hl_acd_step(call, t, NULL);
	if (t->to == HL_CALL_CONSULTING) {
		/* The operator (media mode CONSULT already) hears the
		 * agency from now on; the caller stays on hold. */
		s = agency_call_session(call);
		ev = hl_event_new("transfer_answered");
		json_object_set_new(ev, "call_id", json_string(call->id));
		json_object_set_new(ev, "number",
		    json_string(call->transfer_to));
		hl_push_event(s, NULL, ev, NULL);
		JANUS_LOG(LOG_INFO, "hotline: call %s: agency %s answered, "
		    "consulting\n", call->id, call->transfer_to);
		return;
	}
	JANUS_LOG(LOG_INFO, "hotline: call %s now with agency %s\n",
	    call->id, call->transfer_to);
}

/*
 * The agency did not take the call (refused, no answer, unusable SDP).
 * Blind: back to the head of the queue.  Attended: back to the operator.
 */
void
hl_agency_failed(hl_call *call, int status)
{
	const hl_call_step	*t;

	t = hl_fsm_call(call->state, HL_CALL_EV_LEG_B_FAILED,
	    hl_acd_facts(call));
	if (t == NULL)
		return;
	if (t->from == HL_CALL_RINGING) {
		hl_acd_phone_refused(call, t, status);
		return;
	}
	if (t->from == HL_CALL_CONSULT_RINGING) {
		JANUS_LOG(LOG_INFO, "hotline: call %s: agency %s refused (%d), "
		    "back to the operator\n", call->id, call->transfer_to,
		    status);
		agency_consult_end(call, t, "transfer_failed",
		    agency_refusal_reason(status), status);
		return;
	}
	JANUS_LOG(LOG_WARN, "hotline: call %s: agency %s refused (%d), "
	    "back to the queue\n", call->id, call->transfer_to, status);
	hl_acd_step(call, t, NULL);
	hl_acd_dispatch();
}

/* The agency hung up: the caller is hung up too. */
void
hl_agency_gone(hl_call *call)
{
	const hl_call_step	*t;

	t = hl_fsm_call(call->state, HL_CALL_EV_LEG_B_GONE, hl_acd_facts(call));
	if (t == NULL)
		return;
	if (t->from == HL_CALL_CONSULTING) {
		JANUS_LOG(LOG_INFO, "hotline: call %s: agency %s hung up "
		    "during the consultation\n", call->id, call->transfer_to);
		agency_consult_end(call, t, "transfer_failed", "agency hung up",
		    0);
		return;
	}
	/* The agency, or the operator on the desk phone, hung up. */
	hl_acd_step(call, t, NULL);
	hl_acd_dispatch();
}

/*
 * An attended transfer is over without the caller meeting the agency
 * (cancelled, refused, no answer, the agency hung up): step t bridges
 * the operator to the caller again.  Leg B's handle is left to sofia to
 * finish; its late events no longer match call->nh_b.  event (NULL: the
 * request's answer tells the browser) carries reason and SIP status.
 */
static void
agency_consult_end(hl_call *call, const hl_call_step *t, const char *event,
    const char *reason, int status)
{
	hl_session	*s;
	json_t		*ev;

	s = agency_call_session(call);
	if (event != NULL) {
		ev = hl_event_new(event);
		json_object_set_new(ev, "call_id", json_string(call->id));
		json_object_set_new(ev, "number",
		    json_string(call->transfer_to));
		json_object_set_new(ev, "reason", json_string(reason));
		if (status > 0)
			json_object_set_new(ev, "status", json_integer(status));
		hl_push_event(s, NULL, ev, NULL);
	}
	hl_acd_step(call, t, NULL);
	call->agency_answered = FALSE;
	janus_mutex_lock(&call->mutex);
	call->remote_b_set = FALSE;
	janus_mutex_unlock(&call->mutex);
	hl_media_set_mode(call, HL_MEDIA_BRIDGED);
	JANUS_LOG(LOG_INFO, "hotline: call %s: transfer to the agency ended "
	    "(%s), operator back with the caller\n", call->id, reason);
}

/* The console of the agent in this call (browser), or NULL. */
static hl_session *
agency_call_session(hl_call *call)
{
	hl_agent	*a;

	if (call->agent_user_id == NULL)
		return (NULL);
	a = g_hash_table_lookup(hl.agents, call->agent_user_id);
	if (a == NULL || a->call != call)
		return (NULL);
	return (a->session);
}

/* Why the agency leg failed, in the words of the transfer_failed event. */
static const char *
agency_refusal_reason(int status)
{
	switch (status) {
	case 486:
	case 600:
		return ("busy");
	case 603:
		return ("declined");
	case 408:
	case 480:
	case 487:
		return ("no answer");
	case 488:
		return ("no common codec");
	default:
		return ("failed");
	}
}

/* Digits with an optional leading +, 1 to 32 of them. */
static int
agency_number_valid(const char *number, const char **why)
{
	size_t	i, n;

	n = strlen(number);
	if (n == 0 || n > 32) {
		*why = "number must be 1 to 32 characters";
		return (-1);
	}
	for (i = 0; i < n; i++)
		if (!g_ascii_isdigit(number[i]) && !(i == 0 &&
		    number[i] == '+')) {
			*why = "number may hold digits and a leading + only";
			return (-1);
		}
	return (0);
}
