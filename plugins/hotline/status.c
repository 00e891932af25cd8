/*
 * status.c: what the consoles are shown, as JSON: an agent's own state
 * (every state event, login, query_session) and the supervisor's view of
 * the whole hotline (the status request, the admin API's status).
 * hl.lock held.
 */
#include "hotline.h"

static json_t	*status_call_json(hl_call *, gint64);

json_t *
hl_status_agent_json(hl_agent *a)
{
	json_t	*j;
	gint64	 now = janus_get_monotonic_time();

	j = json_object();
	json_object_set_new(j, "user_id", json_string(a->user_id));
	json_object_set_new(j, "state",
	    json_string(hl_agent_state_name(a->state)));
	json_object_set_new(j, "state_seconds",
	    json_integer((now - a->state_since) / G_USEC_PER_SEC));
	if (a->pause_reason != NULL)
		json_object_set_new(j, "reason",
		    json_string(a->pause_reason));
	if (a->state == HL_AGENT_AVAILABLE)
		json_object_set_new(j, "idle_seconds",
		    json_integer((now - a->idle_since) / G_USEC_PER_SEC));
	if (a->state == HL_AGENT_WRAP_UP)
		json_object_set_new(j, "wrap_up_seconds_left",
		    json_integer(MAX(0, (a->wrapup_until - now) /
		    G_USEC_PER_SEC)));
	if (a->call != NULL) {
		json_object_set_new(j, "call_id", json_string(a->call->id));
		json_object_set_new(j, "caller", json_string(a->call->caller));
	}
	json_object_set_new(j, "answered", json_integer(a->answered));
	if (a->sip_contact != NULL)
		json_object_set_new(j, "phone", json_string(a->sip_ext));
	/* Where its calls ring: the desk phone or the console. */
	json_object_set_new(j, "device", json_string(hl_acd_on_phone(a) ?
	    "phone" : a->session != NULL ? "browser" : "none"));
	return (j);
}

json_t *
hl_status_json(void)
{
	json_t		*res, *agents, *queue, *calls;
	GHashTableIter	 it;
	gpointer	 v;
	GList		*l;
	gint64		 now = janus_get_monotonic_time();

	res = json_object();
	agents = json_array();
	g_hash_table_iter_init(&it, hl.agents);
	while (g_hash_table_iter_next(&it, NULL, &v))
		json_array_append_new(agents, hl_status_agent_json(v));
	queue = json_array();
	for (l = hl.queue->head; l != NULL; l = l->next)
		json_array_append_new(queue, json_string(((hl_call *)
		    l->data)->id));
	calls = json_array();
	g_hash_table_iter_init(&it, hl.calls);
	while (g_hash_table_iter_next(&it, NULL, &v))
		json_array_append_new(calls, status_call_json(v, now));
	json_object_set_new(res, "trunk", hl_sip_registration());
	json_object_set_new(res, "agents", agents);
	json_object_set_new(res, "queue", queue);
	json_object_set_new(res, "calls", calls);
	return (res);
}

/* Static functions. */

static json_t *
status_call_json(hl_call *c, gint64 now)
{
	json_t	*j;
	guint	 n;

	j = json_object();
	json_object_set_new(j, "call_id", json_string(c->id));
	json_object_set_new(j, "state",
	    json_string(hl_call_state_name(c->state)));
	json_object_set_new(j, "caller", json_string(c->caller));
	json_object_set_new(j, "callee", json_string(c->callee));
	json_object_set_new(j, "codec", json_string(c->pt == 0 ? "PCMU" :
	    "PCMA"));
	if (c->state == HL_CALL_QUEUED || c->state == HL_CALL_RINGING)
		json_object_set_new(j, "position",
		    json_integer(c->position));	/* 0: not queued */
	json_object_set_new(j, "age_seconds", json_integer((now -
	    c->created_mono) / G_USEC_PER_SEC));
	if (c->answered_real > 0)
		json_object_set_new(j, "talk_seconds", json_integer(
		    (janus_get_real_time() - c->answered_real) /
		    G_USEC_PER_SEC));
	janus_mutex_lock(&c->mutex);
	n = g_list_length(c->listeners);
	janus_mutex_unlock(&c->mutex);
	json_object_set_new(j, "listeners", json_integer(n));
	if (c->agent_user_id != NULL)
		json_object_set_new(j, "agent", json_string(c->agent_user_id));
	else if (c->offered != NULL) {
		json_t	*ra = json_array();
		GList	*l;

		for (l = c->offered; l != NULL; l = l->next)
			json_array_append_new(ra, json_string(
			    ((hl_agent *)l->data)->user_id));
		json_object_set_new(j, "ringing_agents", ra);
	}
	if (c->transfer_to != NULL)
		json_object_set_new(j, "transfer_to",
		    json_string(c->transfer_to));
	json_object_set_new(j, "rtp", json_pack("{sisisisisisisisisisi}",
	    "from_trunk", g_atomic_int_get(&c->rtp_from_trunk),
	    "to_agent", g_atomic_int_get(&c->rtp_to_agent),
	    "from_agent", g_atomic_int_get(&c->rtp_from_agent),
	    "to_trunk", g_atomic_int_get(&c->rtp_to_trunk),
	    "dtmf_from_trunk", g_atomic_int_get(&c->dtmf_from_trunk),
	    "dtmf_from_agent", g_atomic_int_get(&c->dtmf_from_agent),
	    "to_agency", g_atomic_int_get(&c->rtp_to_agency),
	    "from_agency", g_atomic_int_get(&c->rtp_from_agency),
	    "rejected", g_atomic_int_get(&c->rtp_rejected),
	    "rejected_agency", g_atomic_int_get(&c->rtp_rejected_agency)));
	/* The desk phone's leg, when leg B rang or bridged one. */
	if (g_atomic_int_get(&c->leg_b_phone))
		json_object_set_new(json_object_get(j, "rtp"), "phone",
		    json_pack("{sisisisi}",
		    "to_phone", g_atomic_int_get(&c->rtp_to_phone),
		    "from_phone", g_atomic_int_get(&c->rtp_from_phone),
		    "lost", g_atomic_int_get(&c->phone_lost),
		    "late", g_atomic_int_get(&c->phone_late)));
	json_object_set_new(j, "acked", json_boolean(
	    g_atomic_int_get(&c->acked)));
	return (j);
}
