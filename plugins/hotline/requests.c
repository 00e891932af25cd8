/*
 * requests.c: what a browser may ask of janus.plugin.hotline, as a table
 * of {request, parameters, who may ask, function}.  Parameters are
 * checked with Janus's own validator (utils.h) before the function
 * runs; every request is answered, with the function's event or with
 * error_code and error (docs/hotline-api.md).
 */
#include <string.h>

#include "hotline.h"

/* Who may ask. */
enum {
	REQ_ANYONE = 0,
	REQ_AGENT,		/* logged in as an agent */
	REQ_SUPERVISOR,		/* logged in as a supervisor */
};

typedef json_t	*(*request_fn)(hl_session *, hl_request *, json_t **, int *,
		    const char **);

static json_t	*request_device(hl_session *, hl_request *, json_t **, int *,
		    const char **);
static json_t	*request_login(hl_session *, hl_request *, json_t **, int *,
		    const char **);
static json_t	*request_state(hl_session *, hl_request *, json_t **, int *,
		    const char **);
static json_t	*request_logout(hl_session *, hl_request *, json_t **, int *,
		    const char **);
static json_t	*request_status(hl_session *, hl_request *, json_t **, int *,
		    const char **);
static json_t	*request_accept(hl_session *, hl_request *, json_t **, int *,
		    const char **);
static json_t	*request_decline(hl_session *, hl_request *, json_t **, int *,
		    const char **);
static json_t	*request_transfer(hl_session *, hl_request *, json_t **,
		    int *, const char **);
static json_t	*request_transfer_complete(hl_session *, hl_request *,
		    json_t **, int *, const char **);
static json_t	*request_transfer_cancel(hl_session *, hl_request *,
		    json_t **, int *, const char **);
static json_t	*request_listen(hl_session *, hl_request *, json_t **, int *,
		    const char **);
static json_t	*request_listen_answer(hl_session *, hl_request *, json_t **,
		    int *, const char **);
static json_t	*request_unlisten(hl_session *, hl_request *, json_t **,
		    int *, const char **);
static json_t	*request_hangup(hl_session *, hl_request *, json_t **, int *,
		    const char **);

#define REQUIRED	JANUS_JSON_PARAM_REQUIRED

static struct janus_json_parameter request_params[] = {
	{ "request", JSON_STRING, REQUIRED },
};
static struct janus_json_parameter login_params[] = {
	{ "token", JSON_STRING, REQUIRED },
};
static struct janus_json_parameter state_params[] = {
	{ "state", JSON_STRING, REQUIRED },
	{ "reason", JSON_STRING, 0 },
};
static struct janus_json_parameter device_params[] = {
	{ "device", JSON_STRING, REQUIRED },
};
static struct janus_json_parameter call_params[] = {
	{ "call_id", JSON_STRING, REQUIRED },
};
static struct janus_json_parameter transfer_params[] = {
	{ "number", JSON_STRING, REQUIRED },
	{ "mode", JSON_STRING, 0 },
};

/*
 * JANUS_VALIDATE_JSON_OBJECT_FORMAT takes its arrays' sizes with sizeof,
 * so each list gets its own small function; the texts are the API's
 * ("Missing element (token)").
 */
#define VALIDATOR(name, params)						\
static void								\
name(json_t *msg, int *code, char *cause, size_t len)			\
{									\
	char	 text[128];						\
	int	 rc;							\
									\
	JANUS_VALIDATE_JSON_OBJECT_FORMAT("Missing element (%s)",	\
	    "Invalid element (%s should be %s)", msg, params, rc, text,	\
	    FALSE, HL_ERR_MISSING_ELEMENT, HL_ERR_INVALID_ELEMENT);	\
	*code = rc;							\
	if (rc != 0)							\
		g_strlcpy(cause, text, len);				\
}

typedef void	(*request_check)(json_t *, int *, char *, size_t);

VALIDATOR(validate_request, request_params)
VALIDATOR(validate_login, login_params)
VALIDATOR(validate_state, state_params)
VALIDATOR(validate_call, call_params)
VALIDATOR(validate_device, device_params)
VALIDATOR(validate_transfer, transfer_params)

static const struct request_kind {
	const char	*name;
	request_check	 params;	/* NULL: takes none */
	int		 role;		/* REQ_* */
	const char	*refusal;	/* 486's text for the wrong role */
	request_fn	 fn;
} requests[] = {
	{ "login", validate_login, REQ_ANYONE, NULL, request_login },
	{ "state", validate_state, REQ_AGENT, "Log in first",
	  request_state },
	{ "device", validate_device, REQ_AGENT, "Log in first",
	  request_device },
	{ "logout", NULL, REQ_ANYONE, NULL, request_logout },
	{ "status", NULL, REQ_SUPERVISOR, "status needs a supervisor's login",
	  request_status },
	/* The call's own rules (acd.c) answer 487 for the wrong agent. */
	{ "accept", validate_call, REQ_ANYONE, NULL, request_accept },
	{ "decline", NULL, REQ_ANYONE, NULL, request_decline },
	{ "transfer", validate_transfer, REQ_ANYONE, NULL, request_transfer },
	{ "transfer_complete", NULL, REQ_ANYONE, NULL,
	  request_transfer_complete },
	{ "transfer_cancel", NULL, REQ_ANYONE, NULL,
	  request_transfer_cancel },
	{ "listen", validate_call, REQ_ANYONE, NULL, request_listen },
	{ "listen_answer", NULL, REQ_ANYONE, NULL, request_listen_answer },
	{ "unlisten", NULL, REQ_ANYONE, NULL, request_unlisten },
	{ "hangup", NULL, REQ_ANYONE, NULL, request_hangup },
};

/*
 * Answers one request: on the request thread (plugin.c), and from the
 * fuzz harness (tests/fuzz/fuzz_request.c).  The message's shape first;
 * then, under hl.lock, who asks and only then the request's parameters,
 * so a session without the role is refused whatever it sent.
 */
void
hl_request_handle(hl_request *req)
{
	hl_session			*s = req->session;
	const struct request_kind	*k = NULL;
	json_t				*res = NULL, *jsep = NULL;
	const char			*name, *errtext = NULL;
	char				 cause[160];
	int				 errcode = 0;
	size_t				 i;

	if (g_atomic_int_get(&s->destroyed))
		return;
	if (req->message == NULL || !json_is_object(req->message)) {
		res = hl_error_new(HL_ERR_NO_MESSAGE, "No message or not a "
		    "JSON object");
		goto reply;
	}
	validate_request(req->message, &errcode, cause, sizeof(cause));
	if (errcode != 0) {
		res = hl_error_new(errcode, cause);
		goto reply;
	}
	name = json_string_value(json_object_get(req->message, "request"));
	for (i = 0; i < G_N_ELEMENTS(requests) && k == NULL; i++)
		if (strcmp(requests[i].name, name) == 0)
			k = &requests[i];
	if (k == NULL) {
		res = hl_error_new(HL_ERR_INVALID_REQUEST, "Unknown request");
		goto reply;
	}

	janus_mutex_lock(&hl.lock);
	if ((k->role == REQ_AGENT && s->agent == NULL) ||
	    (k->role == REQ_SUPERVISOR && s->supervisor == NULL)) {
		errcode = HL_ERR_UNAUTHORIZED;
		errtext = k->refusal;
	} else if (k->params != NULL &&
	    (k->params(req->message, &errcode, cause, sizeof(cause)),
	    errcode != 0)) {
		errtext = cause;
	} else
		res = k->fn(s, req, &jsep, &errcode, &errtext);
	janus_mutex_unlock(&hl.lock);
	if (errcode != 0)
		res = hl_error_new(errcode, errtext);
reply:
	hl_push_event(s, req->transaction, res, jsep);
}

/* Requests, in the table's order. */

static json_t *
request_login(hl_session *s, hl_request *req, json_t **jsep, int *errcode,
    const char **errtext)
{
	json_t		*tok, *res;
	hl_agent	*a;
	char		*user_id = NULL, *sid = NULL;
	hl_role		 role;

	tok = json_object_get(req->message, "token");
	if (s->agent != NULL || s->supervisor != NULL) {
		*errcode = HL_ERR_WRONG_STATE;
		*errtext = "Already logged in on this handle";
		return (NULL);
	}
	if (hl_token_verify(json_string_value(tok),
	    janus_get_real_time() / G_USEC_PER_SEC, &user_id, &sid, &role,
	    errtext) < 0) {
		*errcode = HL_ERR_UNAUTHORIZED;
		return (NULL);
	}
	/* The login ends with that Kore session (sessions.c). */
	s->kore_sid = sid;
	if (role == HL_ROLE_SUPERVISOR) {
		/* A supervisor watches and listens: not an agent, never
		 * offered a call, any number of them at once. */
		s->supervisor = user_id;
		JANUS_LOG(LOG_INFO, "hotline: supervisor %s logged in\n",
		    user_id);
		res = hl_event_new("logged_in");
		json_object_set_new(res, "supervisor", json_string(user_id));
		return (res);
	}
	a = g_hash_table_lookup(hl.agents, user_id);
	if (a != NULL && a->session != NULL) {
		/* The same operator opened a second console: the newest
		 * one wins, the old one is told and goes offline. */
		json_t		*ev = hl_event_new("logged_out");
		hl_session	*old = a->session;

		json_object_set_new(ev, "reason",
		    json_string("logged in elsewhere"));
		hl_acd_agent_gone(a);
		g_free(old->kore_sid);
		old->kore_sid = NULL;
		hl_push_event(old, NULL, ev, NULL);
	}
	if (a == NULL) {
		a = g_malloc0(sizeof(*a));
		a->user_id = user_id;
		g_hash_table_insert(hl.agents, a->user_id, a);
	} else
		g_free(user_id);
	a->session = s;
	s->agent = a;
	a->use_phone = FALSE;	/* the browser, until the console asks */
	/* A call on the agent's SIP phone goes on; the console shows it. */
	if (a->call == NULL)
		hl_acd_agent_event(a, HL_AGENT_EV_LOGIN, NULL);
	JANUS_LOG(LOG_INFO, "hotline: agent %s logged in\n", a->user_id);
	res = hl_event_new("logged_in");
	json_object_set_new(res, "agent", hl_status_agent_json(a));
	hl_acd_dispatch();
	return (res);
}

static json_t *
request_state(hl_session *s, hl_request *req, json_t **jsep, int *errcode,
    const char **errtext)
{
	json_t		*st, *reason, *res;
	hl_agent	*a = s->agent;
	hl_agent_state	 want;
	hl_agent_event	 ev;

	st = json_object_get(req->message, "state");
	if (hl_agent_state_parse(json_string_value(st), &want) < 0 ||
	    (want != HL_AGENT_AVAILABLE && want != HL_AGENT_PAUSED)) {
		*errcode = HL_ERR_INVALID_ELEMENT;
		*errtext = "state must be available or paused";
		return (NULL);
	}
	reason = json_object_get(req->message, "reason");
	if (want == HL_AGENT_PAUSED && (!json_is_string(reason) ||
	    json_string_length(reason) == 0 ||
	    json_string_length(reason) > 200)) {
		*errcode = HL_ERR_INVALID_ELEMENT;
		*errtext = "paused needs a reason (1 to 200 bytes)";
		return (NULL);
	}
	ev = want == HL_AGENT_PAUSED ? HL_AGENT_EV_SET_PAUSED :
	    HL_AGENT_EV_SET_AVAILABLE;
	if (hl_fsm_agent(a->state, ev, 0) == NULL) {
		*errcode = HL_ERR_WRONG_STATE;
		*errtext = "Cannot change state while ringing or in a call";
		return (NULL);
	}
	if (want == HL_AGENT_AVAILABLE && s->listen_call != NULL) {
		*errcode = HL_ERR_WRONG_STATE;
		*errtext = "Stop listening (unlisten) before taking calls";
		return (NULL);
	}
	hl_acd_agent_event(a, ev, want == HL_AGENT_PAUSED ?
	    json_string_value(reason) : NULL);
	res = hl_event_new("state");
	json_object_set_new(res, "agent", hl_status_agent_json(a));
	hl_acd_dispatch();
	return (res);
}

/*
 * Where this operator's calls ring: "phone" (the registered desk phone;
 * the console becomes its remote control) or "browser" (the console).
 * Not while a call rings or is in hand.
 */
static json_t *
request_device(hl_session *s, hl_request *req, json_t **jsep, int *errcode,
    const char **errtext)
{
	const char	*d;
	hl_agent	*a = s->agent;
	json_t		*res;

	d = json_string_value(json_object_get(req->message, "device"));
	if (strcmp(d, "phone") != 0 && strcmp(d, "browser") != 0) {
		*errcode = HL_ERR_INVALID_ELEMENT;
		*errtext = "device must be phone or browser";
		return (NULL);
	}
	if (a->call != NULL || a->state == HL_AGENT_RINGING ||
	    a->state == HL_AGENT_IN_CALL) {
		*errcode = HL_ERR_WRONG_STATE;
		*errtext = "Cannot change device while ringing or in a call";
		return (NULL);
	}
	if (strcmp(d, "phone") == 0 && a->sip_contact == NULL) {
		*errcode = HL_ERR_WRONG_STATE;
		*errtext = "No desk phone is registered for this operator";
		return (NULL);
	}
	a->use_phone = strcmp(d, "phone") == 0;
	JANUS_LOG(LOG_INFO, "hotline: agent %s answers on the %s\n",
	    a->user_id, d);
	res = hl_event_new("state");
	json_object_set_new(res, "agent", hl_status_agent_json(a));
	hl_acd_dispatch();
	return (res);
}

static json_t *
request_logout(hl_session *s, hl_request *req, json_t **jsep, int *errcode,
    const char **errtext)
{
	if (s->supervisor != NULL) {
		hl_listen_stop(s, "logout");
		g_free(s->supervisor);
		s->supervisor = NULL;
		g_free(s->kore_sid);
		s->kore_sid = NULL;
		return (hl_event_new("logged_out"));
	}
	if (s->agent == NULL) {
		*errcode = HL_ERR_UNAUTHORIZED;
		*errtext = "Not logged in";
		return (NULL);
	}
	hl_acd_agent_gone(s->agent);
	g_free(s->kore_sid);
	s->kore_sid = NULL;
	return (hl_event_new("logged_out"));
}

static json_t *
request_status(hl_session *s, hl_request *req, json_t **jsep, int *errcode,
    const char **errtext)
{
	json_t	*res;

	res = hl_status_json();
	json_object_set_new(res, "hotline", json_string("event"));
	json_object_set_new(res, "event", json_string("status"));
	return (res);
}

static json_t *
request_accept(hl_session *s, hl_request *req, json_t **jsep, int *errcode,
    const char **errtext)
{
	json_t	*cid = json_object_get(req->message, "call_id");
	json_t	*sdp = req->jsep != NULL ? json_object_get(req->jsep, "sdp") :
		    NULL;
	json_t	*type = req->jsep != NULL ? json_object_get(req->jsep,
		    "type") : NULL;
	json_t	*res;

	if (!json_is_string(sdp) || !json_is_string(type) ||
	    strcmp(json_string_value(type), "answer") != 0) {
		*errcode = HL_ERR_INVALID_SDP;
		*errtext = "accept needs a JSEP answer";
		return (NULL);
	}
	if (hl_acd_accept(s, json_string_value(cid), json_string_value(sdp),
	    errtext) < 0) {
		*errcode = HL_ERR_WRONG_STATE;
		return (NULL);
	}
	res = hl_event_new("accepted");
	json_object_set_new(res, "call_id", json_copy(cid));
	return (res);
}

static json_t *
request_decline(hl_session *s, hl_request *req, json_t **jsep, int *errcode,
    const char **errtext)
{
	if (hl_acd_decline(s, errtext) < 0) {
		*errcode = HL_ERR_WRONG_STATE;
		return (NULL);
	}
	return (hl_event_new("declined"));
}

static json_t *
request_transfer(hl_session *s, hl_request *req, json_t **jsep, int *errcode,
    const char **errtext)
{
	json_t	*num = json_object_get(req->message, "number");
	json_t	*mode = json_object_get(req->message, "mode");
	json_t	*res;
	int	 attended = 0, rc;

	if (mode != NULL)
		attended = strcmp(json_string_value(mode), "attended") == 0;
	if (mode != NULL && !attended &&
	    strcmp(json_string_value(mode), "blind") != 0) {
		*errcode = HL_ERR_INVALID_ELEMENT;
		*errtext = "mode must be \"blind\" or \"attended\"";
		return (NULL);
	}
	if ((rc = hl_agency_transfer(s, json_string_value(num), attended,
	    errtext)) < 0) {
		*errcode = rc == -2 ? HL_ERR_NOT_ALLOWED : HL_ERR_WRONG_STATE;
		return (NULL);
	}
	res = hl_event_new("transferring");
	json_object_set_new(res, "number", json_copy(num));
	json_object_set_new(res, "mode", json_string(attended ? "attended" :
	    "blind"));
	return (res);
}

static json_t *
request_transfer_complete(hl_session *s, hl_request *req, json_t **jsep,
    int *errcode, const char **errtext)
{
	json_t	*res = NULL;

	if (hl_agency_transfer_complete(s, &res, errtext) < 0)
		*errcode = HL_ERR_WRONG_STATE;
	return (res);
}

static json_t *
request_transfer_cancel(hl_session *s, hl_request *req, json_t **jsep,
    int *errcode, const char **errtext)
{
	json_t	*res = NULL;

	if (hl_agency_transfer_cancel(s, &res, errtext) < 0)
		*errcode = HL_ERR_WRONG_STATE;
	return (res);
}

static json_t *
request_listen(hl_session *s, hl_request *req, json_t **jsep, int *errcode,
    const char **errtext)
{
	json_t	*cid = json_object_get(req->message, "call_id");
	json_t	*res;

	if (hl_listen_start(s, json_string_value(cid), jsep, errtext) < 0) {
		*errcode = HL_ERR_WRONG_STATE;
		return (NULL);
	}
	res = hl_event_new("listen");
	json_object_set_new(res, "call_id", json_copy(cid));
	return (res);
}

static json_t *
request_listen_answer(hl_session *s, hl_request *req, json_t **jsep,
    int *errcode, const char **errtext)
{
	json_t	*type = req->jsep != NULL ? json_object_get(req->jsep,
		    "type") : NULL;

	if (!json_is_string(type) ||
	    strcmp(json_string_value(type), "answer") != 0) {
		*errcode = HL_ERR_INVALID_SDP;
		*errtext = "listen_answer needs a JSEP answer";
		return (NULL);
	}
	if (hl_listen_answer(s, errtext) < 0) {
		*errcode = HL_ERR_WRONG_STATE;
		return (NULL);
	}
	return (hl_event_new("listening"));
}

static json_t *
request_unlisten(hl_session *s, hl_request *req, json_t **jsep,
    int *errcode, const char **errtext)
{
	if (s->listen_call == NULL) {
		*errcode = HL_ERR_WRONG_STATE;
		*errtext = "Not listening to any call";
		return (NULL);
	}
	hl_listen_stop(s, "unlisten");
	return (hl_event_new("unlistened"));
}

static json_t *
request_hangup(hl_session *s, hl_request *req, json_t **jsep, int *errcode,
    const char **errtext)
{
	if (hl_acd_agent_hangup(s, errtext) < 0) {
		*errcode = HL_ERR_WRONG_STATE;
		return (NULL);
	}
	return (hl_event_new("hangingup"));
}
