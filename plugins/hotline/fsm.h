/*
 * fsm.h: the life of a call and of an agent as two tables (fsm.c).  Pure:
 * no Janus, glib or JSON here, so tests/unit/test_hotline_fsm.c builds it
 * alone.  acd.c asks the table, then carries out the step's effects under
 * hl.lock; an event the table does not list is refused and changes
 * nothing.
 */
#ifndef HOTLINE_FSM_H
#define HOTLINE_FSM_H

#include <stddef.h>

typedef enum hl_agent_state {
	HL_AGENT_OFFLINE = 0,
	HL_AGENT_AVAILABLE,
	HL_AGENT_RINGING,
	HL_AGENT_IN_CALL,
	HL_AGENT_WRAP_UP,
	HL_AGENT_PAUSED,
} hl_agent_state;
#define HL_AGENT_STATES		(HL_AGENT_PAUSED + 1)

typedef enum hl_call_state {
	HL_CALL_QUEUED = 0,	/* answered by us, caller hears hold audio */
	HL_CALL_RINGING,	/* offered to an agent */
	HL_CALL_BRIDGED,	/* talking to an agent */
	HL_CALL_VOICEMAIL,	/* out of hours or waited too long */
	HL_CALL_TRANSFERRING,	/* blind transfer: agency leg ringing */
	HL_CALL_TRANSFERRED,	/* caller talking to the agency */
	HL_CALL_CONSULT_RINGING,/* attended: caller on hold, agency ringing */
	HL_CALL_CONSULTING,	/* attended: operator talks to the agency */
	HL_CALL_ENDED,
} hl_call_state;
#define HL_CALL_STATES		(HL_CALL_ENDED + 1)

/* What the trunk hears from us when no agent is bridged. */
typedef enum hl_media_mode {
	HL_MEDIA_HOLD = 0,
	HL_MEDIA_BRIDGED,
	HL_MEDIA_VOICEMAIL,
	HL_MEDIA_AGENCY,	/* caller <-> agency leg */
	HL_MEDIA_CONSULT,	/* caller on hold; operator <-> agency leg */
} hl_media_mode;

/* What happens to a call.  Leg B is the agency's, or an agent's phone. */
typedef enum hl_call_event {
	HL_CALL_EV_OFFER = 0,	/* rings for one more agent */
	HL_CALL_EV_UNOFFERED,	/* the last agent it rang for stopped */
	HL_CALL_EV_RING_TIMEOUT,/* nobody answered within ring_timeout */
	HL_CALL_EV_ANSWER,	/* an operator accepted it in the console */
	HL_CALL_EV_VOICEMAIL,	/* out of hours, or waited too long */
	HL_CALL_EV_VOICEMAIL_FULL,	/* ... and the caller's box is full */
	HL_CALL_EV_BEEP,	/* the voicemail prompt is over: record */
	HL_CALL_EV_VOICEMAIL_END,	/* voicemail_max reached */
	HL_CALL_EV_CALLER_GONE,	/* the trunk side ended */
	HL_CALL_EV_OPERATOR_GONE,	/* logout, closed console, WebRTC down */
	HL_CALL_EV_HANGUP,	/* the operator's hangup request */
	HL_CALL_EV_TRANSFER,	/* blind transfer asked */
	HL_CALL_EV_CONSULT,	/* attended transfer asked */
	HL_CALL_EV_TRANSFER_COMPLETE,
	HL_CALL_EV_TRANSFER_CANCEL,
	HL_CALL_EV_LEG_B_ANSWERED,
	HL_CALL_EV_LEG_B_FAILED,	/* refused, unreachable, timed out */
	HL_CALL_EV_LEG_B_GONE,	/* hung up after answering */
	HL_CALL_EV_NO_AGENT,	/* no operator logged in past no_agent_grace */
	HL_CALL_EV_MEDIA_TIMEOUT,	/* no RTP from the caller for
					   rtp_timeout: gone without a BYE */
} hl_call_event;
#define HL_CALL_EVENTS		(HL_CALL_EV_MEDIA_TIMEOUT + 1)

typedef enum hl_agent_event {
	HL_AGENT_EV_LOGIN = 0,
	HL_AGENT_EV_LOGOUT,	/* or the console closed */
	HL_AGENT_EV_SET_AVAILABLE,	/* the agent's state request */
	HL_AGENT_EV_SET_PAUSED,
	HL_AGENT_EV_OFFER,	/* a call rings for them */
	HL_AGENT_EV_UNOFFER,	/* ... and stops: declined, taken, gone */
	HL_AGENT_EV_NO_ANSWER,	/* let it ring past ring_timeout */
	HL_AGENT_EV_ANSWER,
	HL_AGENT_EV_CALL_DONE,	/* hung up, or handed to an agency */
	HL_AGENT_EV_WRAP_UP_END,
	HL_AGENT_EV_PHONE_UP,	/* their SIP phone registered */
	HL_AGENT_EV_PHONE_DOWN,	/* ... unregistered */
	HL_AGENT_EV_PHONE_EXPIRED,	/* ... let its registration lapse */
} hl_agent_event;
#define HL_AGENT_EVENTS		(HL_AGENT_EV_PHONE_EXPIRED + 1)

/*
 * Facts about the call or agent that choose between two rows of the
 * same state and event.
 */
#define HL_FACT_PHONE		0x01	/* call: leg B is an agent's phone;
					   agent: a phone is registered */
#define HL_FACT_RECORDING	0x02	/* call: a recording is open */
#define HL_FACT_WRAP_UP		0x04	/* agent: wrap_up_time is set */
#define HL_FACT_CONSOLE		0x08	/* agent: logged in a browser */

/*
 * A call step's effects, carried out by acd.c in this order, after the
 * new state is set.
 */
#define HL_FX_WITHDRAW		0x0001	/* every ringing agent stops */
#define HL_FX_DEQUEUE		0x0002	/* out of the queue */
#define HL_FX_REQUEUE		0x0004	/* back to its head, undeclined,
					   not transferred */
#define HL_FX_RING_TIMER	0x0008	/* ring_timeout starts */
#define HL_FX_TRANSFER_TIMER	0x0010	/* transfer_timeout starts */
#define HL_FX_TIMER_STOP	0x0020	/* transfer_timeout is over */
#define HL_FX_HANGUP_LEG_B	0x0040	/* CANCEL or BYE leg B */
#define HL_FX_DROP_LEG_B	0x0080	/* forget leg B and its number */
#define HL_FX_HANGUP		0x0100	/* BYE the caller */
#define HL_FX_HANDED_OVER	0x0200	/* the agency has the call now */
#define HL_FX_DETACH		0x0400	/* operator leaves, told so */
#define HL_FX_DETACH_QUIET	0x0800	/* ... told by the request's answer */
#define HL_FX_MEDIA		0x1000	/* the trunk hears step->media */
#define HL_FX_RECORD		0x2000	/* the recording starts */
#define HL_FX_END		0x4000	/* final: reported, freed */

typedef struct hl_call_step {
	hl_call_state	 from;
	hl_call_event	 event;
	int		 when;		/* HL_FACT_* that must hold */
	int		 unless;	/* HL_FACT_* that must not */
	hl_call_state	 to;
	int		 effects;	/* HL_FX_* */
	hl_media_mode	 media;		/* with HL_FX_MEDIA */
	const char	*disposition;	/* with HL_FX_END */
	const char	*by;		/* who hung up, if nobody yet */
} hl_call_step;

/* An agent step's effects. */
#define HL_AFX_NOTIFY		0x01	/* the console gets a state event */
#define HL_AFX_FRESH		0x02	/* a new shift: clocks restart */

typedef struct hl_agent_step {
	hl_agent_state	 from;
	hl_agent_event	 event;
	int		 when;
	int		 unless;
	hl_agent_state	 to;
	int		 effects;	/* HL_AFX_* */
} hl_agent_step;

const hl_call_step	*hl_fsm_call(hl_call_state, hl_call_event, int);
const hl_agent_step	*hl_fsm_agent(hl_agent_state, hl_agent_event, int);
const hl_call_step	*hl_fsm_call_step(size_t);
const hl_agent_step	*hl_fsm_agent_step(size_t);
const char		*hl_call_state_name(hl_call_state);
const char		*hl_call_event_name(hl_call_event);
const char		*hl_agent_state_name(hl_agent_state);
const char		*hl_agent_event_name(hl_agent_event);
int			 hl_agent_state_parse(const char *, hl_agent_state *);
int			 hl_fsm_feature_code(const char *, hl_agent_event *);

#endif /* HOTLINE_FSM_H */
