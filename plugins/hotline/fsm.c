/*
 * fsm.c: the life of a call and of an agent, as tables.  A step not in
 * its table is refused, whoever asks: acd.c looks the step up before it
 * touches anything, then carries out the effects the row names (SIP,
 * media, the browser's events, the recording, the report).  The first
 * row whose state, event and facts match wins.
 */
#include <string.h>

#include "fsm.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define PHONE		HL_FACT_PHONE
#define RECORDING	HL_FACT_RECORDING

static const hl_call_step call_steps[] = {
	/* Ringing for agents, one after another or all at once. */
	{ HL_CALL_QUEUED, HL_CALL_EV_OFFER, 0, 0,
	  HL_CALL_RINGING, HL_FX_RING_TIMER, 0, NULL, NULL },
	{ HL_CALL_RINGING, HL_CALL_EV_OFFER, 0, 0,
	  HL_CALL_RINGING, 0, 0, NULL, NULL },
	{ HL_CALL_RINGING, HL_CALL_EV_UNOFFERED, 0, 0,
	  HL_CALL_QUEUED, 0, 0, NULL, NULL },
	{ HL_CALL_RINGING, HL_CALL_EV_RING_TIMEOUT, 0, 0,
	  HL_CALL_QUEUED, HL_FX_WITHDRAW, 0, NULL, NULL },
	{ HL_CALL_RINGING, HL_CALL_EV_ANSWER, 0, 0,
	  HL_CALL_BRIDGED, HL_FX_WITHDRAW | HL_FX_DEQUEUE | HL_FX_RECORD,
	  0, NULL, NULL },
	{ HL_CALL_RINGING, HL_CALL_EV_LEG_B_ANSWERED, PHONE, 0,
	  HL_CALL_BRIDGED, HL_FX_WITHDRAW | HL_FX_DEQUEUE | HL_FX_MEDIA |
	  HL_FX_RECORD, HL_MEDIA_AGENCY, NULL, NULL },
	/* The phone refused: acd.c withdraws its offer (UNOFFERED next). */
	{ HL_CALL_RINGING, HL_CALL_EV_LEG_B_FAILED, PHONE, 0,
	  HL_CALL_RINGING, 0, 0, NULL, NULL },

	/* Nobody will answer. */
	{ HL_CALL_QUEUED, HL_CALL_EV_VOICEMAIL, 0, 0,
	  HL_CALL_VOICEMAIL, HL_FX_WITHDRAW | HL_FX_DEQUEUE, 0, NULL, NULL },
	{ HL_CALL_RINGING, HL_CALL_EV_VOICEMAIL, 0, 0,
	  HL_CALL_VOICEMAIL, HL_FX_WITHDRAW | HL_FX_DEQUEUE, 0, NULL, NULL },
	/* No operator logged in at all (no_agent_grace): nobody to wait
	 * for.  A call ringing has someone; it is not asked. */
	{ HL_CALL_QUEUED, HL_CALL_EV_NO_AGENT, 0, 0,
	  HL_CALL_VOICEMAIL, HL_FX_WITHDRAW | HL_FX_DEQUEUE, 0, NULL, NULL },
	{ HL_CALL_QUEUED, HL_CALL_EV_VOICEMAIL_FULL, 0, 0,
	  HL_CALL_ENDED, HL_FX_WITHDRAW | HL_FX_DEQUEUE | HL_FX_HANGUP |
	  HL_FX_END, 0, "abandoned", "system" },
	{ HL_CALL_RINGING, HL_CALL_EV_VOICEMAIL_FULL, 0, 0,
	  HL_CALL_ENDED, HL_FX_WITHDRAW | HL_FX_DEQUEUE | HL_FX_HANGUP |
	  HL_FX_END, 0, "abandoned", "system" },
	{ HL_CALL_VOICEMAIL, HL_CALL_EV_BEEP, 0, RECORDING,
	  HL_CALL_VOICEMAIL, HL_FX_RECORD, 0, NULL, NULL },
	{ HL_CALL_VOICEMAIL, HL_CALL_EV_VOICEMAIL_END, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP | HL_FX_END, 0, "voicemail", "system" },

	/* The caller hung up. */
	{ HL_CALL_QUEUED, HL_CALL_EV_CALLER_GONE, 0, 0,
	  HL_CALL_ENDED, HL_FX_END, 0, "abandoned", NULL },
	/* ... while an operator's phone or console rang: missed. */
	{ HL_CALL_RINGING, HL_CALL_EV_CALLER_GONE, 0, 0,
	  HL_CALL_ENDED, HL_FX_WITHDRAW | HL_FX_END, 0, "missed", NULL },
	{ HL_CALL_BRIDGED, HL_CALL_EV_CALLER_GONE, PHONE, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP_LEG_B | HL_FX_END, 0, "answered", NULL },
	{ HL_CALL_BRIDGED, HL_CALL_EV_CALLER_GONE, 0, PHONE,
	  HL_CALL_ENDED, HL_FX_END, 0, "answered", NULL },
	/* Hung up before the beep: no message, an abandoned call. */
	{ HL_CALL_VOICEMAIL, HL_CALL_EV_CALLER_GONE, RECORDING, 0,
	  HL_CALL_ENDED, HL_FX_END, 0, "voicemail", NULL },
	{ HL_CALL_VOICEMAIL, HL_CALL_EV_CALLER_GONE, 0, RECORDING,
	  HL_CALL_ENDED, HL_FX_END, 0, "abandoned", NULL },
	{ HL_CALL_TRANSFERRING, HL_CALL_EV_CALLER_GONE, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP_LEG_B | HL_FX_END, 0, "transferred",
	  NULL },
	{ HL_CALL_TRANSFERRED, HL_CALL_EV_CALLER_GONE, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP_LEG_B | HL_FX_END, 0, "transferred",
	  NULL },
	/* Not transferred: the operator's call, the agency let go. */
	{ HL_CALL_CONSULT_RINGING, HL_CALL_EV_CALLER_GONE, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP_LEG_B | HL_FX_DROP_LEG_B | HL_FX_END,
	  0, "answered", NULL },
	{ HL_CALL_CONSULTING, HL_CALL_EV_CALLER_GONE, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP_LEG_B | HL_FX_DROP_LEG_B | HL_FX_END,
	  0, "answered", NULL },

	/* The operator hung up, or left.  Leaving a consultation hands the
	 * caller to the agency rather than drop them. */
	/* From the console while a desk phone has the call: its leg too. */
	{ HL_CALL_BRIDGED, HL_CALL_EV_HANGUP, PHONE, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP_LEG_B | HL_FX_HANGUP | HL_FX_END, 0,
	  "answered", "agent" },
	{ HL_CALL_BRIDGED, HL_CALL_EV_HANGUP, 0, PHONE,
	  HL_CALL_ENDED, HL_FX_HANGUP | HL_FX_END, 0, "answered", "agent" },
	{ HL_CALL_CONSULT_RINGING, HL_CALL_EV_HANGUP, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP_LEG_B | HL_FX_DROP_LEG_B | HL_FX_HANGUP |
	  HL_FX_END, 0, "answered", "agent" },
	{ HL_CALL_CONSULTING, HL_CALL_EV_HANGUP, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP_LEG_B | HL_FX_DROP_LEG_B | HL_FX_HANGUP |
	  HL_FX_END, 0, "answered", "agent" },
	{ HL_CALL_BRIDGED, HL_CALL_EV_OPERATOR_GONE, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP | HL_FX_END, 0, "answered", "agent" },
	{ HL_CALL_CONSULT_RINGING, HL_CALL_EV_OPERATOR_GONE, 0, 0,
	  HL_CALL_TRANSFERRING, HL_FX_HANDED_OVER | HL_FX_DETACH |
	  HL_FX_MEDIA, HL_MEDIA_HOLD, NULL, NULL },
	{ HL_CALL_CONSULTING, HL_CALL_EV_OPERATOR_GONE, 0, 0,
	  HL_CALL_TRANSFERRED, HL_FX_HANDED_OVER | HL_FX_DETACH |
	  HL_FX_MEDIA, HL_MEDIA_AGENCY, NULL, NULL },

	/* Transfers: blind (the operator is free at once) or attended. */
	{ HL_CALL_BRIDGED, HL_CALL_EV_TRANSFER, 0, PHONE,
	  HL_CALL_TRANSFERRING, HL_FX_TRANSFER_TIMER | HL_FX_HANDED_OVER |
	  HL_FX_DETACH | HL_FX_MEDIA, HL_MEDIA_HOLD, NULL, NULL },
	{ HL_CALL_BRIDGED, HL_CALL_EV_CONSULT, 0, PHONE,
	  HL_CALL_CONSULT_RINGING, HL_FX_TRANSFER_TIMER | HL_FX_MEDIA,
	  HL_MEDIA_CONSULT, NULL, NULL },
	{ HL_CALL_TRANSFERRING, HL_CALL_EV_LEG_B_ANSWERED, 0, 0,
	  HL_CALL_TRANSFERRED, HL_FX_TIMER_STOP | HL_FX_MEDIA,
	  HL_MEDIA_AGENCY, NULL, NULL },
	{ HL_CALL_CONSULT_RINGING, HL_CALL_EV_LEG_B_ANSWERED, 0, 0,
	  HL_CALL_CONSULTING, HL_FX_TIMER_STOP, 0, NULL, NULL },
	{ HL_CALL_CONSULTING, HL_CALL_EV_TRANSFER_COMPLETE, 0, 0,
	  HL_CALL_TRANSFERRED, HL_FX_HANDED_OVER | HL_FX_DETACH_QUIET |
	  HL_FX_MEDIA, HL_MEDIA_AGENCY, NULL, NULL },
	{ HL_CALL_CONSULT_RINGING, HL_CALL_EV_TRANSFER_CANCEL, 0, 0,
	  HL_CALL_BRIDGED, HL_FX_HANGUP_LEG_B | HL_FX_TIMER_STOP |
	  HL_FX_DROP_LEG_B, 0, NULL, NULL },
	{ HL_CALL_CONSULTING, HL_CALL_EV_TRANSFER_CANCEL, 0, 0,
	  HL_CALL_BRIDGED, HL_FX_HANGUP_LEG_B | HL_FX_TIMER_STOP |
	  HL_FX_DROP_LEG_B, 0, NULL, NULL },
	/* The agency did not take it: blind, back to the head of the
	 * queue; attended, back to the operator. */
	{ HL_CALL_TRANSFERRING, HL_CALL_EV_LEG_B_FAILED, 0, 0,
	  HL_CALL_QUEUED, HL_FX_TIMER_STOP | HL_FX_REQUEUE, 0, NULL, NULL },
	{ HL_CALL_CONSULT_RINGING, HL_CALL_EV_LEG_B_FAILED, 0, 0,
	  HL_CALL_BRIDGED, HL_FX_TIMER_STOP | HL_FX_DROP_LEG_B, 0, NULL,
	  NULL },
	{ HL_CALL_CONSULTING, HL_CALL_EV_LEG_B_GONE, 0, 0,
	  HL_CALL_BRIDGED, HL_FX_TIMER_STOP | HL_FX_DROP_LEG_B, 0, NULL,
	  NULL },
	{ HL_CALL_TRANSFERRED, HL_CALL_EV_LEG_B_GONE, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP | HL_FX_END, 0, "transferred",
	  "agency" },
	/* The caller's media stopped without a BYE (a dropped mobile, a
	 * crashed gateway): BYE them; nobody talked to them, a missed call
	 * to call back; an answered or transferred call stays what it was. */
	{ HL_CALL_QUEUED, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP | HL_FX_END, 0, "missed", "system" },
	{ HL_CALL_RINGING, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0,
	  HL_CALL_ENDED, HL_FX_WITHDRAW | HL_FX_HANGUP | HL_FX_END, 0,
	  "missed", "system" },
	{ HL_CALL_VOICEMAIL, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP | HL_FX_END, 0, "missed", "system" },
	{ HL_CALL_BRIDGED, HL_CALL_EV_MEDIA_TIMEOUT, PHONE, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP_LEG_B | HL_FX_HANGUP | HL_FX_END, 0,
	  "answered", "system" },
	{ HL_CALL_BRIDGED, HL_CALL_EV_MEDIA_TIMEOUT, 0, PHONE,
	  HL_CALL_ENDED, HL_FX_HANGUP | HL_FX_END, 0, "answered", "system" },
	{ HL_CALL_TRANSFERRING, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP_LEG_B | HL_FX_HANGUP | HL_FX_END, 0,
	  "transferred", "system" },
	{ HL_CALL_TRANSFERRED, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP_LEG_B | HL_FX_HANGUP | HL_FX_END, 0,
	  "transferred", "system" },
	{ HL_CALL_CONSULT_RINGING, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP_LEG_B | HL_FX_DROP_LEG_B | HL_FX_HANGUP |
	  HL_FX_END, 0, "answered", "system" },
	{ HL_CALL_CONSULTING, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP_LEG_B | HL_FX_DROP_LEG_B | HL_FX_HANGUP |
	  HL_FX_END, 0, "answered", "system" },

	/* The operator hung up the desk phone. */
	{ HL_CALL_BRIDGED, HL_CALL_EV_LEG_B_GONE, PHONE, 0,
	  HL_CALL_ENDED, HL_FX_HANGUP | HL_FX_END, 0, "answered", "agent" },
};

#define WRAP_UP		HL_FACT_WRAP_UP
#define CONSOLE		HL_FACT_CONSOLE
#define NOTIFY		HL_AFX_NOTIFY

static const hl_agent_step agent_steps[] = {
	/* The console's own requests: answered, not notified. */
	{ HL_AGENT_OFFLINE, HL_AGENT_EV_LOGIN, 0, 0,
	  HL_AGENT_AVAILABLE, HL_AFX_FRESH },
	{ HL_AGENT_AVAILABLE, HL_AGENT_EV_LOGIN, 0, 0,
	  HL_AGENT_AVAILABLE, HL_AFX_FRESH },
	{ HL_AGENT_WRAP_UP, HL_AGENT_EV_LOGIN, 0, 0,
	  HL_AGENT_AVAILABLE, HL_AFX_FRESH },
	{ HL_AGENT_PAUSED, HL_AGENT_EV_LOGIN, 0, 0,
	  HL_AGENT_AVAILABLE, HL_AFX_FRESH },
	{ HL_AGENT_AVAILABLE, HL_AGENT_EV_SET_AVAILABLE, 0, 0,
	  HL_AGENT_AVAILABLE, 0 },
	{ HL_AGENT_WRAP_UP, HL_AGENT_EV_SET_AVAILABLE, 0, 0,
	  HL_AGENT_AVAILABLE, 0 },
	{ HL_AGENT_PAUSED, HL_AGENT_EV_SET_AVAILABLE, 0, 0,
	  HL_AGENT_AVAILABLE, 0 },
	{ HL_AGENT_AVAILABLE, HL_AGENT_EV_SET_PAUSED, 0, 0,
	  HL_AGENT_PAUSED, 0 },
	{ HL_AGENT_WRAP_UP, HL_AGENT_EV_SET_PAUSED, 0, 0,
	  HL_AGENT_PAUSED, 0 },
	{ HL_AGENT_PAUSED, HL_AGENT_EV_SET_PAUSED, 0, 0,
	  HL_AGENT_PAUSED, 0 },

	/* A call's life, seen from the agent. */
	{ HL_AGENT_AVAILABLE, HL_AGENT_EV_OFFER, 0, 0,
	  HL_AGENT_RINGING, NOTIFY },
	{ HL_AGENT_RINGING, HL_AGENT_EV_UNOFFER, 0, 0,
	  HL_AGENT_AVAILABLE, NOTIFY },
	/* Let it ring (one agent at a time): paused, the next one rings. */
	{ HL_AGENT_AVAILABLE, HL_AGENT_EV_NO_ANSWER, 0, 0,
	  HL_AGENT_PAUSED, NOTIFY },
	{ HL_AGENT_RINGING, HL_AGENT_EV_ANSWER, 0, 0,
	  HL_AGENT_IN_CALL, NOTIFY },
	{ HL_AGENT_IN_CALL, HL_AGENT_EV_CALL_DONE, WRAP_UP, 0,
	  HL_AGENT_WRAP_UP, NOTIFY },
	{ HL_AGENT_IN_CALL, HL_AGENT_EV_CALL_DONE, 0, WRAP_UP,
	  HL_AGENT_AVAILABLE, NOTIFY },
	{ HL_AGENT_WRAP_UP, HL_AGENT_EV_WRAP_UP_END, 0, 0,
	  HL_AGENT_AVAILABLE, NOTIFY },

	/* Logout, from anywhere (a call in hand has ended first); a
	 * registered phone keeps the agent taking calls. */
	{ HL_AGENT_OFFLINE, HL_AGENT_EV_LOGOUT, PHONE, 0,
	  HL_AGENT_AVAILABLE, NOTIFY },
	{ HL_AGENT_AVAILABLE, HL_AGENT_EV_LOGOUT, PHONE, 0,
	  HL_AGENT_AVAILABLE, NOTIFY },
	{ HL_AGENT_RINGING, HL_AGENT_EV_LOGOUT, PHONE, 0,
	  HL_AGENT_AVAILABLE, NOTIFY },
	{ HL_AGENT_IN_CALL, HL_AGENT_EV_LOGOUT, PHONE, 0,
	  HL_AGENT_AVAILABLE, NOTIFY },
	{ HL_AGENT_WRAP_UP, HL_AGENT_EV_LOGOUT, PHONE, 0,
	  HL_AGENT_AVAILABLE, NOTIFY },
	{ HL_AGENT_PAUSED, HL_AGENT_EV_LOGOUT, PHONE, 0,
	  HL_AGENT_AVAILABLE, NOTIFY },
	{ HL_AGENT_OFFLINE, HL_AGENT_EV_LOGOUT, 0, PHONE,
	  HL_AGENT_OFFLINE, NOTIFY },
	{ HL_AGENT_AVAILABLE, HL_AGENT_EV_LOGOUT, 0, PHONE,
	  HL_AGENT_OFFLINE, NOTIFY },
	{ HL_AGENT_RINGING, HL_AGENT_EV_LOGOUT, 0, PHONE,
	  HL_AGENT_OFFLINE, NOTIFY },
	{ HL_AGENT_IN_CALL, HL_AGENT_EV_LOGOUT, 0, PHONE,
	  HL_AGENT_OFFLINE, NOTIFY },
	{ HL_AGENT_WRAP_UP, HL_AGENT_EV_LOGOUT, 0, PHONE,
	  HL_AGENT_OFFLINE, NOTIFY },
	{ HL_AGENT_PAUSED, HL_AGENT_EV_LOGOUT, 0, PHONE,
	  HL_AGENT_OFFLINE, NOTIFY },

	/* A desk phone alone makes an agent; without a console, its
	 * going makes them offline. */
	{ HL_AGENT_OFFLINE, HL_AGENT_EV_PHONE_UP, 0, 0,
	  HL_AGENT_AVAILABLE, NOTIFY },
	{ HL_AGENT_AVAILABLE, HL_AGENT_EV_PHONE_DOWN, 0, CONSOLE,
	  HL_AGENT_OFFLINE, NOTIFY },
	{ HL_AGENT_PAUSED, HL_AGENT_EV_PHONE_DOWN, 0, CONSOLE,
	  HL_AGENT_OFFLINE, NOTIFY },
	{ HL_AGENT_WRAP_UP, HL_AGENT_EV_PHONE_DOWN, 0, CONSOLE,
	  HL_AGENT_OFFLINE, NOTIFY },
	{ HL_AGENT_AVAILABLE, HL_AGENT_EV_PHONE_EXPIRED, 0, CONSOLE,
	  HL_AGENT_OFFLINE, NOTIFY },
};

static const char *call_state_names[] = {
	"queued", "ringing", "bridged", "voicemail", "transferring",
	"transferred", "consult_ringing", "consulting", "ended",
};

static const char *agent_state_names[] = {
	"offline", "available", "ringing", "in_call", "wrap_up", "paused",
};

static const char *call_event_names[] = {
	"offer", "unoffered", "ring_timeout", "answer", "voicemail",
	"voicemail_full", "beep", "voicemail_end", "caller_gone",
	"operator_gone", "hangup", "transfer", "consult",
	"transfer_complete", "transfer_cancel", "leg_b_answered",
	"leg_b_failed", "leg_b_gone", "no_agent", "media_timeout",
};

static const char *agent_event_names[] = {
	"login", "logout", "set_available", "set_paused", "offer", "unoffer",
	"no_answer", "answer", "call_done", "wrap_up_end", "phone_up",
	"phone_down", "phone_expired",
};

/* The step from st on ev, given facts (HL_FACT_*); NULL: refused. */
const hl_call_step *
hl_fsm_call(hl_call_state st, hl_call_event ev, int facts)
{
	const hl_call_step	*t;
	size_t			 i;

	for (i = 0; i < NELEM(call_steps); i++) {
		t = &call_steps[i];
		if (t->from == st && t->event == ev &&
		    (facts & t->when) == t->when && (facts & t->unless) == 0)
			return (t);
	}
	return (NULL);
}

const hl_agent_step *
hl_fsm_agent(hl_agent_state st, hl_agent_event ev, int facts)
{
	const hl_agent_step	*t;
	size_t			 i;

	for (i = 0; i < NELEM(agent_steps); i++) {
		t = &agent_steps[i];
		if (t->from == st && t->event == ev &&
		    (facts & t->when) == t->when && (facts & t->unless) == 0)
			return (t);
	}
	return (NULL);
}

/* The i-th row of each table, NULL past the end: for the tests. */
const hl_call_step *
hl_fsm_call_step(size_t i)
{
	return (i < NELEM(call_steps) ? &call_steps[i] : NULL);
}

const hl_agent_step *
hl_fsm_agent_step(size_t i)
{
	return (i < NELEM(agent_steps) ? &agent_steps[i] : NULL);
}

const char *
hl_call_state_name(hl_call_state st)
{
	if ((size_t)st >= NELEM(call_state_names))
		return ("unknown");
	return (call_state_names[st]);
}

const char *
hl_call_event_name(hl_call_event ev)
{
	if ((size_t)ev >= NELEM(call_event_names))
		return ("unknown");
	return (call_event_names[ev]);
}

const char *
hl_agent_state_name(hl_agent_state st)
{
	if ((size_t)st >= NELEM(agent_state_names))
		return ("unknown");
	return (agent_state_names[st]);
}

const char *
hl_agent_event_name(hl_agent_event ev)
{
	if ((size_t)ev >= NELEM(agent_event_names))
		return ("unknown");
	return (agent_event_names[ev]);
}

/*
 * A feature code a desk phone dials (the request URI's user part): the
 * agent event it stands for.  0, or -1 for a code we do not have.
 */
int
hl_fsm_feature_code(const char *code, hl_agent_event *ev)
{
	static const struct {
		const char	*code;
		hl_agent_event	 ev;
	} codes[] = {
		{ "*21", HL_AGENT_EV_SET_AVAILABLE },
		{ "*22", HL_AGENT_EV_SET_PAUSED },
	};
	size_t	i;

	for (i = 0; i < NELEM(codes); i++) {
		if (strcmp(code, codes[i].code) == 0) {
			*ev = codes[i].ev;
			return (0);
		}
	}
	return (-1);
}

int
hl_agent_state_parse(const char *name, hl_agent_state *st)
{
	size_t	i;

	for (i = 0; i < NELEM(agent_state_names); i++) {
		if (strcmp(name, agent_state_names[i]) == 0) {
			*st = (hl_agent_state)i;
			return (0);
		}
	}
	return (-1);
}
