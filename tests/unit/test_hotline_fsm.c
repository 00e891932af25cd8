/*
 * test_hotline_fsm.c: the call and agent tables of janus.plugin.hotline
 * (plugins/hotline/fsm.c).  The rows are written out again below, apart
 * from fsm.c, as the life DESIGN.md and docs/hotline.md describe; every
 * state, event and combination of facts is then asked of the tables, so
 * a row added, lost or changed there fails here, and whatever is not
 * listed must be refused.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fsm.h"

#define ALL_FACTS	(HL_FACT_PHONE | HL_FACT_RECORDING | \
			 HL_FACT_WRAP_UP | HL_FACT_CONSOLE)
#define PHONE		HL_FACT_PHONE
#define REC		HL_FACT_RECORDING

#define Q	HL_CALL_QUEUED
#define R	HL_CALL_RINGING
#define B	HL_CALL_BRIDGED
#define VM	HL_CALL_VOICEMAIL
#define TG	HL_CALL_TRANSFERRING
#define TD	HL_CALL_TRANSFERRED
#define CR	HL_CALL_CONSULT_RINGING
#define CS	HL_CALL_CONSULTING
#define E	HL_CALL_ENDED

static const struct want_call {
	hl_call_state	 from;
	hl_call_event	 ev;
	int		 when, unless;
	hl_call_state	 to;
	int		 fx;
	const char	*disposition;
	const char	*by;
} want_calls[] = {
	{ Q, HL_CALL_EV_OFFER, 0, 0, R, HL_FX_RING_TIMER, NULL, NULL },
	{ R, HL_CALL_EV_OFFER, 0, 0, R, 0, NULL, NULL },
	{ R, HL_CALL_EV_UNOFFERED, 0, 0, Q, 0, NULL, NULL },
	{ R, HL_CALL_EV_RING_TIMEOUT, 0, 0, Q, HL_FX_WITHDRAW, NULL, NULL },
	{ R, HL_CALL_EV_ANSWER, 0, 0, B, HL_FX_WITHDRAW | HL_FX_DEQUEUE |
	  HL_FX_RECORD, NULL, NULL },
	{ R, HL_CALL_EV_LEG_B_ANSWERED, PHONE, 0, B, HL_FX_WITHDRAW |
	  HL_FX_DEQUEUE | HL_FX_MEDIA | HL_FX_RECORD, NULL, NULL },
	{ R, HL_CALL_EV_LEG_B_FAILED, PHONE, 0, R, 0, NULL, NULL },
	{ Q, HL_CALL_EV_VOICEMAIL, 0, 0, VM, HL_FX_WITHDRAW | HL_FX_DEQUEUE,
	  NULL, NULL },
	{ R, HL_CALL_EV_VOICEMAIL, 0, 0, VM, HL_FX_WITHDRAW | HL_FX_DEQUEUE,
	  NULL, NULL },
	{ Q, HL_CALL_EV_NO_AGENT, 0, 0, VM, HL_FX_WITHDRAW | HL_FX_DEQUEUE,
	  NULL, NULL },
	{ Q, HL_CALL_EV_VOICEMAIL_FULL, 0, 0, E, HL_FX_WITHDRAW |
	  HL_FX_DEQUEUE | HL_FX_HANGUP | HL_FX_END, "abandoned", "system" },
	{ R, HL_CALL_EV_VOICEMAIL_FULL, 0, 0, E, HL_FX_WITHDRAW |
	  HL_FX_DEQUEUE | HL_FX_HANGUP | HL_FX_END, "abandoned", "system" },
	{ VM, HL_CALL_EV_BEEP, 0, REC, VM, HL_FX_RECORD, NULL, NULL },
	{ VM, HL_CALL_EV_VOICEMAIL_END, 0, 0, E, HL_FX_HANGUP | HL_FX_END,
	  "voicemail", "system" },
	{ Q, HL_CALL_EV_CALLER_GONE, 0, 0, E, HL_FX_END, "abandoned", NULL },
	{ R, HL_CALL_EV_CALLER_GONE, 0, 0, E, HL_FX_WITHDRAW | HL_FX_END,
	  "missed", NULL },
	{ B, HL_CALL_EV_CALLER_GONE, PHONE, 0, E, HL_FX_HANGUP_LEG_B |
	  HL_FX_END, "answered", NULL },
	{ B, HL_CALL_EV_CALLER_GONE, 0, PHONE, E, HL_FX_END, "answered",
	  NULL },
	{ VM, HL_CALL_EV_CALLER_GONE, REC, 0, E, HL_FX_END, "voicemail",
	  NULL },
	{ VM, HL_CALL_EV_CALLER_GONE, 0, REC, E, HL_FX_END, "abandoned",
	  NULL },
	{ TG, HL_CALL_EV_CALLER_GONE, 0, 0, E, HL_FX_HANGUP_LEG_B | HL_FX_END,
	  "transferred", NULL },
	{ TD, HL_CALL_EV_CALLER_GONE, 0, 0, E, HL_FX_HANGUP_LEG_B | HL_FX_END,
	  "transferred", NULL },
	{ CR, HL_CALL_EV_CALLER_GONE, 0, 0, E, HL_FX_HANGUP_LEG_B |
	  HL_FX_DROP_LEG_B | HL_FX_END, "answered", NULL },
	{ CS, HL_CALL_EV_CALLER_GONE, 0, 0, E, HL_FX_HANGUP_LEG_B |
	  HL_FX_DROP_LEG_B | HL_FX_END, "answered", NULL },
	{ B, HL_CALL_EV_HANGUP, PHONE, 0, E, HL_FX_HANGUP_LEG_B |
	  HL_FX_HANGUP | HL_FX_END, "answered", "agent" },
	{ B, HL_CALL_EV_HANGUP, 0, PHONE, E, HL_FX_HANGUP | HL_FX_END,
	  "answered", "agent" },
	{ CR, HL_CALL_EV_HANGUP, 0, 0, E, HL_FX_HANGUP_LEG_B |
	  HL_FX_DROP_LEG_B | HL_FX_HANGUP | HL_FX_END, "answered", "agent" },
	{ CS, HL_CALL_EV_HANGUP, 0, 0, E, HL_FX_HANGUP_LEG_B |
	  HL_FX_DROP_LEG_B | HL_FX_HANGUP | HL_FX_END, "answered", "agent" },
	{ B, HL_CALL_EV_OPERATOR_GONE, 0, 0, E, HL_FX_HANGUP | HL_FX_END,
	  "answered", "agent" },
	{ CR, HL_CALL_EV_OPERATOR_GONE, 0, 0, TG, HL_FX_HANDED_OVER |
	  HL_FX_DETACH | HL_FX_MEDIA, NULL, NULL },
	{ CS, HL_CALL_EV_OPERATOR_GONE, 0, 0, TD, HL_FX_HANDED_OVER |
	  HL_FX_DETACH | HL_FX_MEDIA, NULL, NULL },
	{ B, HL_CALL_EV_TRANSFER, 0, PHONE, TG, HL_FX_TRANSFER_TIMER |
	  HL_FX_HANDED_OVER | HL_FX_DETACH | HL_FX_MEDIA, NULL, NULL },
	{ B, HL_CALL_EV_CONSULT, 0, PHONE, CR, HL_FX_TRANSFER_TIMER |
	  HL_FX_MEDIA, NULL, NULL },
	{ TG, HL_CALL_EV_LEG_B_ANSWERED, 0, 0, TD, HL_FX_TIMER_STOP |
	  HL_FX_MEDIA, NULL, NULL },
	{ CR, HL_CALL_EV_LEG_B_ANSWERED, 0, 0, CS, HL_FX_TIMER_STOP, NULL,
	  NULL },
	{ CS, HL_CALL_EV_TRANSFER_COMPLETE, 0, 0, TD, HL_FX_HANDED_OVER |
	  HL_FX_DETACH_QUIET | HL_FX_MEDIA, NULL, NULL },
	{ CR, HL_CALL_EV_TRANSFER_CANCEL, 0, 0, B, HL_FX_HANGUP_LEG_B |
	  HL_FX_TIMER_STOP | HL_FX_DROP_LEG_B, NULL, NULL },
	{ CS, HL_CALL_EV_TRANSFER_CANCEL, 0, 0, B, HL_FX_HANGUP_LEG_B |
	  HL_FX_TIMER_STOP | HL_FX_DROP_LEG_B, NULL, NULL },
	{ TG, HL_CALL_EV_LEG_B_FAILED, 0, 0, Q, HL_FX_TIMER_STOP |
	  HL_FX_REQUEUE, NULL, NULL },
	{ CR, HL_CALL_EV_LEG_B_FAILED, 0, 0, B, HL_FX_TIMER_STOP |
	  HL_FX_DROP_LEG_B, NULL, NULL },
	{ CS, HL_CALL_EV_LEG_B_GONE, 0, 0, B, HL_FX_TIMER_STOP |
	  HL_FX_DROP_LEG_B, NULL, NULL },
	{ TD, HL_CALL_EV_LEG_B_GONE, 0, 0, E, HL_FX_HANGUP | HL_FX_END,
	  "transferred", "agency" },
	{ Q, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0, E, HL_FX_HANGUP | HL_FX_END,
	  "missed", "system" },
	{ R, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0, E, HL_FX_WITHDRAW |
	  HL_FX_HANGUP | HL_FX_END, "missed", "system" },
	{ VM, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0, E, HL_FX_HANGUP | HL_FX_END,
	  "missed", "system" },
	{ B, HL_CALL_EV_MEDIA_TIMEOUT, PHONE, 0, E, HL_FX_HANGUP_LEG_B |
	  HL_FX_HANGUP | HL_FX_END, "answered", "system" },
	{ B, HL_CALL_EV_MEDIA_TIMEOUT, 0, PHONE, E, HL_FX_HANGUP |
	  HL_FX_END, "answered", "system" },
	{ TG, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0, E, HL_FX_HANGUP_LEG_B |
	  HL_FX_HANGUP | HL_FX_END, "transferred", "system" },
	{ TD, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0, E, HL_FX_HANGUP_LEG_B |
	  HL_FX_HANGUP | HL_FX_END, "transferred", "system" },
	{ CR, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0, E, HL_FX_HANGUP_LEG_B |
	  HL_FX_DROP_LEG_B | HL_FX_HANGUP | HL_FX_END, "answered", "system" },
	{ CS, HL_CALL_EV_MEDIA_TIMEOUT, 0, 0, E, HL_FX_HANGUP_LEG_B |
	  HL_FX_DROP_LEG_B | HL_FX_HANGUP | HL_FX_END, "answered", "system" },
	{ B, HL_CALL_EV_LEG_B_GONE, PHONE, 0, E, HL_FX_HANGUP | HL_FX_END,
	  "answered", "agent" },
};

#define OFF	HL_AGENT_OFFLINE
#define AV	HL_AGENT_AVAILABLE
#define RG	HL_AGENT_RINGING
#define IC	HL_AGENT_IN_CALL
#define WU	HL_AGENT_WRAP_UP
#define PA	HL_AGENT_PAUSED
#define N	HL_AFX_NOTIFY
#define CON	HL_FACT_CONSOLE
#define WRAP	HL_FACT_WRAP_UP

static const struct want_agent {
	hl_agent_state	 from;
	hl_agent_event	 ev;
	int		 when, unless;
	hl_agent_state	 to;
	int		 fx;
} want_agents[] = {
	{ OFF, HL_AGENT_EV_LOGIN, 0, 0, AV, HL_AFX_FRESH },
	{ AV, HL_AGENT_EV_LOGIN, 0, 0, AV, HL_AFX_FRESH },
	{ WU, HL_AGENT_EV_LOGIN, 0, 0, AV, HL_AFX_FRESH },
	{ PA, HL_AGENT_EV_LOGIN, 0, 0, AV, HL_AFX_FRESH },
	{ AV, HL_AGENT_EV_SET_AVAILABLE, 0, 0, AV, 0 },
	{ WU, HL_AGENT_EV_SET_AVAILABLE, 0, 0, AV, 0 },
	{ PA, HL_AGENT_EV_SET_AVAILABLE, 0, 0, AV, 0 },
	{ AV, HL_AGENT_EV_SET_PAUSED, 0, 0, PA, 0 },
	{ WU, HL_AGENT_EV_SET_PAUSED, 0, 0, PA, 0 },
	{ PA, HL_AGENT_EV_SET_PAUSED, 0, 0, PA, 0 },
	{ AV, HL_AGENT_EV_OFFER, 0, 0, RG, N },
	{ RG, HL_AGENT_EV_UNOFFER, 0, 0, AV, N },
	{ AV, HL_AGENT_EV_NO_ANSWER, 0, 0, PA, N },
	{ RG, HL_AGENT_EV_ANSWER, 0, 0, IC, N },
	{ IC, HL_AGENT_EV_CALL_DONE, WRAP, 0, WU, N },
	{ IC, HL_AGENT_EV_CALL_DONE, 0, WRAP, AV, N },
	{ WU, HL_AGENT_EV_WRAP_UP_END, 0, 0, AV, N },
	{ OFF, HL_AGENT_EV_LOGOUT, PHONE, 0, AV, N },
	{ AV, HL_AGENT_EV_LOGOUT, PHONE, 0, AV, N },
	{ RG, HL_AGENT_EV_LOGOUT, PHONE, 0, AV, N },
	{ IC, HL_AGENT_EV_LOGOUT, PHONE, 0, AV, N },
	{ WU, HL_AGENT_EV_LOGOUT, PHONE, 0, AV, N },
	{ PA, HL_AGENT_EV_LOGOUT, PHONE, 0, AV, N },
	{ OFF, HL_AGENT_EV_LOGOUT, 0, PHONE, OFF, N },
	{ AV, HL_AGENT_EV_LOGOUT, 0, PHONE, OFF, N },
	{ RG, HL_AGENT_EV_LOGOUT, 0, PHONE, OFF, N },
	{ IC, HL_AGENT_EV_LOGOUT, 0, PHONE, OFF, N },
	{ WU, HL_AGENT_EV_LOGOUT, 0, PHONE, OFF, N },
	{ PA, HL_AGENT_EV_LOGOUT, 0, PHONE, OFF, N },
	{ OFF, HL_AGENT_EV_PHONE_UP, 0, 0, AV, N },
	{ AV, HL_AGENT_EV_PHONE_DOWN, 0, CON, OFF, N },
	{ PA, HL_AGENT_EV_PHONE_DOWN, 0, CON, OFF, N },
	{ WU, HL_AGENT_EV_PHONE_DOWN, 0, CON, OFF, N },
	{ AV, HL_AGENT_EV_PHONE_EXPIRED, 0, CON, OFF, N },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct want_call	*want_call(hl_call_state, hl_call_event,
				    int);
static const struct want_agent	*want_agent(hl_agent_state, hl_agent_event,
				    int);
static hl_call_state		 call_next(hl_call_state, hl_call_event, int);
static hl_agent_state		 agent_next(hl_agent_state, hl_agent_event,
				    int);

static const struct want_call *
want_call(hl_call_state st, hl_call_event ev, int facts)
{
	size_t	i;

	for (i = 0; i < NELEM(want_calls); i++) {
		if (want_calls[i].from == st && want_calls[i].ev == ev &&
		    (facts & want_calls[i].when) == want_calls[i].when &&
		    (facts & want_calls[i].unless) == 0)
			return (&want_calls[i]);
	}
	return (NULL);
}

static const struct want_agent *
want_agent(hl_agent_state st, hl_agent_event ev, int facts)
{
	size_t	i;

	for (i = 0; i < NELEM(want_agents); i++) {
		if (want_agents[i].from == st && want_agents[i].ev == ev &&
		    (facts & want_agents[i].when) == want_agents[i].when &&
		    (facts & want_agents[i].unless) == 0)
			return (&want_agents[i]);
	}
	return (NULL);
}

/* The state after ev; a refused event leaves it where it was. */
static hl_call_state
call_next(hl_call_state st, hl_call_event ev, int facts)
{
	const hl_call_step	*t = hl_fsm_call(st, ev, facts);

	return (t != NULL ? t->to : st);
}

static hl_agent_state
agent_next(hl_agent_state st, hl_agent_event ev, int facts)
{
	const hl_agent_step	*t = hl_fsm_agent(st, ev, facts);

	return (t != NULL ? t->to : st);
}

/* Every state x event x facts: the row above, or refused. */
static void
test_call_table(void **state)
{
	const struct want_call	*w;
	const hl_call_step	*t;
	int			 st, ev, facts, rows = 0;

	(void)state;
	for (st = 0; st < HL_CALL_STATES; st++)
	for (ev = 0; ev < HL_CALL_EVENTS; ev++)
	for (facts = 0; facts <= ALL_FACTS; facts++) {
		w = want_call(st, ev, facts);
		t = hl_fsm_call(st, ev, facts);
		if (w == NULL) {
			if (t != NULL)
				fail_msg("call %s on %s (facts %#x): not refused",
				    hl_call_state_name(st),
				    hl_call_event_name(ev), facts);
			continue;
		}
		if (t == NULL)
			fail_msg("call %s on %s (facts %#x): refused",
			    hl_call_state_name(st), hl_call_event_name(ev),
			    facts);
		assert_int_equal(t->from, st);
		assert_int_equal(t->event, ev);
		assert_int_equal(t->to, w->to);
		assert_int_equal(t->effects, w->fx);
		if (w->disposition != NULL)
			assert_string_equal(t->disposition, w->disposition);
		else
			assert_null(t->disposition);
		if (w->by != NULL)
			assert_string_equal(t->by, w->by);
		else
			assert_null(t->by);
		rows++;
	}
	assert_true(rows > 0);
	/* No row of fsm.c is unreachable or missing from the list above. */
	for (st = 0; hl_fsm_call_step(st) != NULL; st++)
		;
	assert_int_equal(st, NELEM(want_calls));
}

static void
test_agent_table(void **state)
{
	const struct want_agent	*w;
	const hl_agent_step	*t;
	int			 st, ev, facts;

	(void)state;
	for (st = 0; st < HL_AGENT_STATES; st++)
	for (ev = 0; ev < HL_AGENT_EVENTS; ev++)
	for (facts = 0; facts <= ALL_FACTS; facts++) {
		w = want_agent(st, ev, facts);
		t = hl_fsm_agent(st, ev, facts);
		if (w == NULL) {
			if (t != NULL)
				fail_msg("agent %s on %s (facts %#x): not "
				    "refused", hl_agent_state_name(st),
				    hl_agent_event_name(ev), facts);
			continue;
		}
		if (t == NULL)
			fail_msg("agent %s on %s (facts %#x): refused",
			    hl_agent_state_name(st), hl_agent_event_name(ev),
			    facts);
		assert_int_equal(t->to, w->to);
		assert_int_equal(t->effects, w->fx);
	}
	for (st = 0; hl_fsm_agent_step(st) != NULL; st++)
		;
	assert_int_equal(st, NELEM(want_agents));
}

/* An ended call takes no step at all. */
static void
test_ended_is_final(void **state)
{
	int	ev, facts;

	(void)state;
	for (ev = 0; ev < HL_CALL_EVENTS; ev++)
		for (facts = 0; facts <= ALL_FACTS; facts++)
			assert_null(hl_fsm_call(HL_CALL_ENDED, ev, facts));
}

/* Ring timeout: back to the queue, and that agent paused, so the
 * next free one is offered the call. */
static void
test_ring_timeout_next_agent(void **state)
{
	hl_call_state	c = HL_CALL_QUEUED;
	hl_agent_state	a = HL_AGENT_AVAILABLE, b = HL_AGENT_AVAILABLE;

	(void)state;
	c = call_next(c, HL_CALL_EV_OFFER, 0);
	a = agent_next(a, HL_AGENT_EV_OFFER, CON);
	assert_int_equal(c, HL_CALL_RINGING);
	assert_int_equal(a, HL_AGENT_RINGING);
	c = call_next(c, HL_CALL_EV_RING_TIMEOUT, 0);
	a = agent_next(a, HL_AGENT_EV_UNOFFER, CON);
	a = agent_next(a, HL_AGENT_EV_NO_ANSWER, CON);
	assert_int_equal(c, HL_CALL_QUEUED);
	assert_int_equal(a, HL_AGENT_PAUSED);
	/* A paused agent is offered nothing; the next one is. */
	assert_null(hl_fsm_agent(a, HL_AGENT_EV_OFFER, CON));
	c = call_next(c, HL_CALL_EV_OFFER, 0);
	b = agent_next(b, HL_AGENT_EV_OFFER, CON);
	assert_int_equal(c, HL_CALL_RINGING);
	assert_int_equal(b, HL_AGENT_RINGING);
	/* A ring timeout once the call is answered is no step. */
	c = call_next(c, HL_CALL_EV_ANSWER, 0);
	assert_int_equal(c, HL_CALL_BRIDGED);
	assert_null(hl_fsm_call(c, HL_CALL_EV_RING_TIMEOUT, 0));
}

/* Wrap-up: after the call, then available; without wrap_up_time,
 * available at once. */
static void
test_wrap_up_then_available(void **state)
{
	hl_agent_state	a;

	(void)state;
	a = agent_next(HL_AGENT_IN_CALL, HL_AGENT_EV_CALL_DONE, CON | WRAP);
	assert_int_equal(a, HL_AGENT_WRAP_UP);
	assert_null(hl_fsm_agent(a, HL_AGENT_EV_OFFER, CON | WRAP));
	a = agent_next(a, HL_AGENT_EV_WRAP_UP_END, CON | WRAP);
	assert_int_equal(a, HL_AGENT_AVAILABLE);
	assert_int_equal(agent_next(HL_AGENT_IN_CALL, HL_AGENT_EV_CALL_DONE,
	    CON), HL_AGENT_AVAILABLE);
	/* Only wrap-up ends. */
	assert_null(hl_fsm_agent(HL_AGENT_AVAILABLE, HL_AGENT_EV_WRAP_UP_END,
	    CON));
	assert_null(hl_fsm_agent(HL_AGENT_PAUSED, HL_AGENT_EV_WRAP_UP_END,
	    CON));
}

/* The caller hangs up while it rings: every offer withdrawn, a missed
 * call (missed while ringing); the agents are free again. */
static void
test_caller_gone_while_ringing(void **state)
{
	const hl_call_step	*t;

	(void)state;
	t = hl_fsm_call(HL_CALL_RINGING, HL_CALL_EV_CALLER_GONE, 0);
	assert_non_null(t);
	assert_int_equal(t->to, HL_CALL_ENDED);
	assert_true(t->effects & HL_FX_WITHDRAW);
	assert_false(t->effects & HL_FX_HANGUP);	/* already gone */
	assert_string_equal(t->disposition, "missed");
	assert_int_equal(agent_next(HL_AGENT_RINGING, HL_AGENT_EV_UNOFFER,
	    CON), HL_AGENT_AVAILABLE);
	/* Before the beep, a voicemail call is abandoned too. */
	t = hl_fsm_call(HL_CALL_VOICEMAIL, HL_CALL_EV_CALLER_GONE, 0);
	assert_string_equal(t->disposition, "abandoned");
	t = hl_fsm_call(HL_CALL_VOICEMAIL, HL_CALL_EV_CALLER_GONE, REC);
	assert_string_equal(t->disposition, "voicemail");
}

/*
 * An operator who ends from the console a call their desk phone holds:
 * the phone's leg is hung up with the caller's, not left on dead air.
 */
static void
test_console_hangup_of_a_phone_call(void **state)
{
	const hl_call_step	*t;

	(void)state;
	t = hl_fsm_call(HL_CALL_BRIDGED, HL_CALL_EV_HANGUP, PHONE);
	assert_non_null(t);
	assert_true(t->effects & HL_FX_HANGUP_LEG_B);
	assert_true(t->effects & HL_FX_HANGUP);
	t = hl_fsm_call(HL_CALL_BRIDGED, HL_CALL_EV_HANGUP, 0);
	assert_false(t->effects & HL_FX_HANGUP_LEG_B);
}

/* Transfers that fail: blind, back to the queue's head; attended, back
 * to the operator; and what cannot be asked in the wrong state. */
static void
test_transfer_failures(void **state)
{
	const hl_call_step	*t;

	(void)state;
	t = hl_fsm_call(HL_CALL_TRANSFERRING, HL_CALL_EV_LEG_B_FAILED, 0);
	assert_int_equal(t->to, HL_CALL_QUEUED);
	assert_true(t->effects & HL_FX_REQUEUE);
	t = hl_fsm_call(HL_CALL_CONSULT_RINGING, HL_CALL_EV_LEG_B_FAILED, 0);
	assert_int_equal(t->to, HL_CALL_BRIDGED);
	assert_true(t->effects & HL_FX_DROP_LEG_B);
	t = hl_fsm_call(HL_CALL_CONSULTING, HL_CALL_EV_LEG_B_GONE, 0);
	assert_int_equal(t->to, HL_CALL_BRIDGED);
	/* Once the agency has the caller, its hang-up ends the call. */
	t = hl_fsm_call(HL_CALL_TRANSFERRED, HL_CALL_EV_LEG_B_GONE, 0);
	assert_int_equal(t->to, HL_CALL_ENDED);
	assert_string_equal(t->by, "agency");
	/* A failure after the agency answered is no step. */
	assert_null(hl_fsm_call(HL_CALL_TRANSFERRED, HL_CALL_EV_LEG_B_FAILED,
	    0));
	assert_null(hl_fsm_call(HL_CALL_CONSULTING, HL_CALL_EV_LEG_B_FAILED,
	    0));
	/* One transfer at a time; none from a desk phone; completing
	 * needs the agency to have answered. */
	assert_null(hl_fsm_call(HL_CALL_CONSULT_RINGING, HL_CALL_EV_TRANSFER,
	    0));
	assert_null(hl_fsm_call(HL_CALL_CONSULTING, HL_CALL_EV_CONSULT, 0));
	assert_null(hl_fsm_call(HL_CALL_BRIDGED, HL_CALL_EV_TRANSFER, PHONE));
	assert_null(hl_fsm_call(HL_CALL_BRIDGED, HL_CALL_EV_CONSULT, PHONE));
	assert_null(hl_fsm_call(HL_CALL_CONSULT_RINGING,
	    HL_CALL_EV_TRANSFER_COMPLETE, 0));
	assert_null(hl_fsm_call(HL_CALL_BRIDGED, HL_CALL_EV_TRANSFER_CANCEL,
	    0));
	assert_null(hl_fsm_call(HL_CALL_QUEUED, HL_CALL_EV_TRANSFER, 0));
}

/* The operator leaves mid-call: bridged, the caller is hung up; in a
 * consultation, the agency gets the caller; the agent ends offline, or
 * available on a registered phone. */
static void
test_agent_logout_mid_call(void **state)
{
	const hl_call_step	*t;
	hl_agent_state		 a;

	(void)state;
	t = hl_fsm_call(HL_CALL_BRIDGED, HL_CALL_EV_OPERATOR_GONE, 0);
	assert_int_equal(t->to, HL_CALL_ENDED);
	assert_true(t->effects & HL_FX_HANGUP);
	assert_string_equal(t->by, "agent");
	assert_int_equal(call_next(HL_CALL_CONSULT_RINGING,
	    HL_CALL_EV_OPERATOR_GONE, 0), HL_CALL_TRANSFERRING);
	assert_int_equal(call_next(HL_CALL_CONSULTING,
	    HL_CALL_EV_OPERATOR_GONE, 0), HL_CALL_TRANSFERRED);
	assert_null(hl_fsm_call(HL_CALL_TRANSFERRED, HL_CALL_EV_OPERATOR_GONE,
	    0));
	a = agent_next(HL_AGENT_IN_CALL, HL_AGENT_EV_CALL_DONE, CON | WRAP);
	assert_int_equal(agent_next(a, HL_AGENT_EV_LOGOUT, CON | WRAP),
	    HL_AGENT_OFFLINE);
	assert_int_equal(agent_next(a, HL_AGENT_EV_LOGOUT, CON | WRAP | PHONE),
	    HL_AGENT_AVAILABLE);
}

/* The console's own state requests: never while ringing or in a call. */
static void
test_state_requests(void **state)
{
	(void)state;
	assert_null(hl_fsm_agent(HL_AGENT_RINGING, HL_AGENT_EV_SET_PAUSED, 0));
	assert_null(hl_fsm_agent(HL_AGENT_IN_CALL, HL_AGENT_EV_SET_PAUSED, 0));
	assert_null(hl_fsm_agent(HL_AGENT_RINGING,
	    HL_AGENT_EV_SET_AVAILABLE, 0));
	assert_null(hl_fsm_agent(HL_AGENT_IN_CALL,
	    HL_AGENT_EV_SET_AVAILABLE, 0));
	assert_int_equal(agent_next(HL_AGENT_WRAP_UP,
	    HL_AGENT_EV_SET_AVAILABLE, 0), HL_AGENT_AVAILABLE);
	assert_false(hl_fsm_agent(HL_AGENT_PAUSED, HL_AGENT_EV_SET_AVAILABLE,
	    0)->effects & HL_AFX_NOTIFY);
	/* A phone without a console goes offline when it unregisters. */
	assert_int_equal(agent_next(HL_AGENT_AVAILABLE,
	    HL_AGENT_EV_PHONE_DOWN, 0), HL_AGENT_OFFLINE);
	assert_null(hl_fsm_agent(HL_AGENT_AVAILABLE, HL_AGENT_EV_PHONE_DOWN,
	    CON));
}

/* Nobody logged in: a waiting call goes to voicemail; one ringing for
 * somebody (a phone, a console) has somebody and is not taken away. */
static void
test_no_agent_to_voicemail(void **state)
{
	const hl_call_step	*t;

	(void)state;
	t = hl_fsm_call(Q, HL_CALL_EV_NO_AGENT, 0);
	assert_non_null(t);
	assert_int_equal(t->to, VM);
	assert_true(t->effects & HL_FX_DEQUEUE);
	assert_false(t->effects & (HL_FX_HANGUP | HL_FX_END));
	assert_null(hl_fsm_call(R, HL_CALL_EV_NO_AGENT, 0));
	assert_null(hl_fsm_call(B, HL_CALL_EV_NO_AGENT, 0));
	assert_null(hl_fsm_call(VM, HL_CALL_EV_NO_AGENT, 0));
	/* The caller's box full: hung up, as for any voicemail. */
	t = hl_fsm_call(Q, HL_CALL_EV_VOICEMAIL_FULL, 0);
	assert_non_null(t);
	assert_int_equal(t->to, E);
	assert_string_equal(hl_call_event_name(HL_CALL_EV_NO_AGENT),
	    "no_agent");
}

static void
test_names(void **state)
{
	hl_agent_state	st;
	int		i;

	(void)state;
	for (i = 0; i < HL_AGENT_STATES; i++) {
		assert_int_equal(hl_agent_state_parse(hl_agent_state_name(i),
		    &st), 0);
		assert_int_equal(st, i);
	}
	assert_int_equal(hl_agent_state_parse("busy", &st), -1);
	assert_string_equal(hl_call_state_name(HL_CALL_CONSULT_RINGING),
	    "consult_ringing");
	assert_string_equal(hl_call_state_name(HL_CALL_STATES), "unknown");
	assert_string_equal(hl_agent_state_name(HL_AGENT_STATES), "unknown");
	for (i = 0; i < HL_CALL_EVENTS; i++)
		assert_string_not_equal(hl_call_event_name(i), "unknown");
	for (i = 0; i < HL_AGENT_EVENTS; i++)
		assert_string_not_equal(hl_agent_event_name(i), "unknown");
}

/*
 * A desk phone missed a call: paused (no_answer), and re-registering does
 * not bring it back; its feature codes do (*21 available, *22 paused).
 */
static void
test_phone_feature_codes(void **state)
{
	hl_agent_event	ev;
	hl_agent_state	a = HL_AGENT_PAUSED;

	(void)state;
	assert_null(hl_fsm_agent(a, HL_AGENT_EV_PHONE_UP, HL_FACT_PHONE));
	assert_int_equal(hl_fsm_feature_code("*21", &ev), 0);
	assert_int_equal(ev, HL_AGENT_EV_SET_AVAILABLE);
	a = agent_next(a, ev, HL_FACT_PHONE);
	assert_int_equal(a, HL_AGENT_AVAILABLE);
	assert_int_equal(hl_fsm_feature_code("*22", &ev), 0);
	assert_int_equal(ev, HL_AGENT_EV_SET_PAUSED);
	a = agent_next(a, ev, HL_FACT_PHONE);
	assert_int_equal(a, HL_AGENT_PAUSED);
	/* In a call the codes change nothing. */
	assert_null(hl_fsm_agent(HL_AGENT_IN_CALL, HL_AGENT_EV_SET_AVAILABLE,
	    HL_FACT_PHONE));
	assert_int_equal(hl_fsm_feature_code("*2", &ev), -1);
	assert_int_equal(hl_fsm_feature_code("*210", &ev), -1);
	assert_int_equal(hl_fsm_feature_code("1022", &ev), -1);
	assert_int_equal(hl_fsm_feature_code("", &ev), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call_table),
		cmocka_unit_test(test_agent_table),
		cmocka_unit_test(test_ended_is_final),
		cmocka_unit_test(test_ring_timeout_next_agent),
		cmocka_unit_test(test_wrap_up_then_available),
		cmocka_unit_test(test_caller_gone_while_ringing),
		cmocka_unit_test(test_console_hangup_of_a_phone_call),
		cmocka_unit_test(test_transfer_failures),
		cmocka_unit_test(test_agent_logout_mid_call),
		cmocka_unit_test(test_state_requests),
		cmocka_unit_test(test_no_agent_to_voicemail),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_phone_feature_codes),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
