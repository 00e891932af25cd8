/*
 * sip.c: the SIP side.  One sofia-sip UA listens on SIP_PORT (UDP and
 * TCP) for the trunk.  Every INVITE is checked against the trunk list,
 * its SDP against explicit limits, and answered with G.711 at once, so
 * the caller hears the queue while waiting for an operator.
 */
#include <arpa/inet.h>
#include <string.h>

#include <sofia-sip/msg_addr.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_log.h>
#include <sofia-sip/url.h>

#include "hotline.h"
#include "hotline_sip.h"
#include "registrar.h"
#include "sdp-utils.h"

#define HL_SDP_MAX	8192

typedef struct hl_sip {
	su_home_t	 home[1];
	su_root_t	*root;
	nua_t		*nua;
	GThread		*thread;
	janus_mutex	 mutex;
	janus_condition	 ready_cond;
	int		 ready;		/* 1 up, -1 failed */
	nua_handle_t	*reg_nh;	/* REGISTER to the trunk */
	int		 reg_auth_tries;
	const char	*volatile reg_state;
	volatile gint	 reg_status;
} hl_sip;

static hl_sip	 sip;

static gpointer	 sip_thread(gpointer);
static void	 sip_callback(nua_event_t, int, char const *, nua_t *,
		    nua_magic_t *, nua_handle_t *, nua_hmagic_t *,
		    sip_t const *, tagi_t[]);
static void	 sip_incoming_invite(nua_t *, nua_handle_t *, sip_t const *);
static void	 sip_reinvite(nua_handle_t *, hl_call *);
static void	 sip_trunk_acked(hl_call *);
static int	 sip_source_allowed(nua_t *, char *, size_t);
static int	 sip_request_source(nua_t *, char *, size_t);
static char	*sip_sdp(hl_call *, uint16_t);
static void	 sip_agency_response(nua_handle_t *, hl_call *, int,
		    sip_t const *);
static void	 sip_call_ended(nua_handle_t *, hl_call *, const char *);
static void	 sip_register_start(void);
static void	 sip_incoming_register(nua_t *, nua_handle_t *, sip_t const *);
static void	 sip_feature_code(nua_t *, nua_handle_t *, sip_t const *);
static void	 sip_register_response(nua_handle_t *, int, char const *,
		    sip_t const *);

int
hl_sip_start(void)
{
	GError	*err = NULL;

	memset(&sip, 0, sizeof(sip));
	if (hl_registrar_init(hl.cfg.reg_networks) < 0)
		JANUS_LOG(LOG_ERR, "hotline: register_networks has errors, "
		    "see above\n");
	janus_mutex_init(&sip.mutex);
	janus_condition_init(&sip.ready_cond);
	su_init();
	su_home_init(sip.home);
	sip.thread = g_thread_try_new("hotline sip", sip_thread, NULL, &err);
	if (err != NULL) {
		JANUS_LOG(LOG_FATAL, "hotline: sip thread: %s\n",
		    err->message);
		g_error_free(err);
		return (-1);
	}
	janus_mutex_lock(&sip.mutex);
	while (sip.ready == 0)
		janus_condition_wait(&sip.ready_cond, &sip.mutex);
	janus_mutex_unlock(&sip.mutex);
	if (sip.ready < 0) {
		g_thread_join(sip.thread);
		sip.thread = NULL;
		return (-1);
	}
	return (0);
}

void
hl_sip_stop(void)
{
	if (sip.thread == NULL)
		return;
	/* nua_shutdown ends every dialog (BYE) and then reports
	 * nua_r_shutdown, which breaks the loop. */
	nua_shutdown(sip.nua);	/* also un-REGISTERs */
	g_thread_join(sip.thread);
	sip.thread = NULL;
	hl_registrar_free();
	su_home_deinit(sip.home);
	su_deinit();
}

/* Called with hl.lock held, from any thread: sofia queues the request to
 * its own thread. */
void
hl_sip_hangup(hl_call *call)
{
	if (call->nh != NULL)
		nua_bye((nua_handle_t *)call->nh, TAG_END());
}

void
hl_sip_hangup_agency(hl_call *call)
{
	if (call->nh_b == NULL)
		return;
	if (call->agency_answered)
		nua_bye((nua_handle_t *)call->nh_b, TAG_END());
	else
		nua_cancel((nua_handle_t *)call->nh_b, TAG_END());
}

/*
 * hl.lock held.  INVITEs the agency at transfer_uri with {number}
 * replaced, offering the caller's codec only (no transcoding), and shows
 * the caller's number in From.
 */
int
hl_sip_transfer(hl_call *call, const char *number)
{
	char	**parts, *uri;
	int	 rc;

	parts = g_strsplit(hl.cfg.transfer_uri, "{number}", 2);
	if (parts[0] == NULL || parts[1] == NULL) {
		g_strfreev(parts);
		return (-1);
	}
	uri = g_strconcat(parts[0], number, parts[1], NULL);
	g_strfreev(parts);
	g_atomic_int_set(&call->leg_b_phone, 0);
	rc = hl_sip_invite_leg_b(call, uri, uri);
	g_free(uri);
	return (rc);
}

/* INVITEs the second leg (agency or SIP-phone agent) at uri. */
int
hl_sip_invite_leg_b(hl_call *call, const char *uri, const char *to)
{
	nua_handle_t	*nh;
	char		*from, *sdp;

	from = g_strdup_printf("<sip:%s@%s:%d>", call->caller[0] != '\0' ?
	    call->caller : "1022", hl.cfg.sip_ip, hl.cfg.sip_port);
	nh = nua_handle(sip.nua, &call->leg_b, NUTAG_URL(uri),
	    SIPTAG_TO_STR(to), SIPTAG_FROM_STR(from), TAG_END());
	g_free(from);
	if (nh == NULL)
		return (-1);
	janus_refcount_increase(&call->ref);	/* the handle's */
	call->nh_b = nh;
	call->agency_answered = FALSE;
	sdp = sip_sdp(call, call->local_port_b);
	nua_invite(nh, SIPTAG_CONTENT_TYPE_STR("application/sdp"),
	    SIPTAG_PAYLOAD_STR(sdp), TAG_END());
	JANUS_LOG(LOG_INFO, "hotline: call %s: INVITE %s\n", call->id, uri);
	g_free(sdp);
	return (0);
}

/*
 * REGISTER from a SIP phone: registrar.c decides (networks, lockouts,
 * digest with qop=auth and counted nonces); here only the answer and the
 * agent's new contact.
 */
static void
sip_incoming_register(nua_t *nua, nua_handle_t *nh, sip_t const *sipmsg)
{
	const hl_extension	*ext;
	char			 src[INET6_ADDRSTRLEN], expires_s[16];
	char			*chal = NULL, *contact = NULL;
	int			 expires = 3600;

	(void)sip_request_source(nua, src, sizeof(src));
	switch (hl_registrar_check(src, sipmsg, &ext, &chal)) {
	case HL_REG_CHALLENGE:
		/* NUTAG_WITH_THIS: answered now, so the handle can go. */
		nua_respond(nh, SIP_401_UNAUTHORIZED, NUTAG_WITH_THIS(nua),
		    SIPTAG_WWW_AUTHENTICATE_STR(chal), TAG_END());
		g_free(chal);
		return;
	case HL_REG_FORBIDDEN:
		nua_respond(nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS(nua),
		    TAG_END());
		return;
	default:
		break;
	}
	if (sipmsg->sip_expires != NULL)
		expires = (int)MIN(sipmsg->sip_expires->ex_delta, 3600);
	if (sipmsg->sip_contact != NULL &&
	    sipmsg->sip_contact->m_expires != NULL)
		expires = atoi(sipmsg->sip_contact->m_expires);
	expires = CLAMP(expires, 0, 3600);
	if (sipmsg->sip_contact != NULL && expires > 0)
		contact = url_as_string(sip.home, sipmsg->sip_contact->m_url);
	g_snprintf(expires_s, sizeof(expires_s), "%d", expires);
	janus_mutex_lock(&hl.lock);
	hl_acd_phone_registered(ext, contact, expires);
	janus_mutex_unlock(&hl.lock);
	nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(nua),
	    SIPTAG_CONTACT(sipmsg->sip_contact),
	    SIPTAG_EXPIRES_STR(expires_s), TAG_END());
	if (contact != NULL)
		su_free(sip.home, contact);
}

/*
 * A feature code dialled from a desk phone (*21 available, *22 paused):
 * the phone proves its extension with the REGISTER digest (registrar.c,
 * same nonces and lockouts), the agent's state changes, and the INVITE is
 * answered with a final status at once: never a call, never queued.  The
 * phone shows the reason phrase; no media is set up.
 */
static void
sip_feature_code(nua_t *nua, nua_handle_t *nh, sip_t const *sipmsg)
{
	const hl_extension	*ext;
	hl_agent_event		 ev;
	char			 src[INET6_ADDRSTRLEN];
	char			*chal = NULL, *code;
	int			 rc;

	(void)sip_request_source(nua, src, sizeof(src));
	code = hl_sip_url_user(sipmsg->sip_request->rq_url);
	if (hl_fsm_feature_code(code, &ev) < 0) {
		JANUS_LOG(LOG_INFO, "hotline: feature code %s from %s: no such "
		    "code\n", code, src);
		nua_respond(nh, SIP_404_NOT_FOUND, TAG_END());
		g_free(code);
		return;
	}
	switch (hl_registrar_check(src, sipmsg, &ext, &chal)) {
	case HL_REG_CHALLENGE:
		nua_respond(nh, SIP_401_UNAUTHORIZED,
		    SIPTAG_WWW_AUTHENTICATE_STR(chal), TAG_END());
		g_free(chal);
		g_free(code);
		return;
	case HL_REG_FORBIDDEN:
		nua_respond(nh, SIP_403_FORBIDDEN, TAG_END());
		g_free(code);
		return;
	default:
		break;
	}
	janus_mutex_lock(&hl.lock);
	rc = hl_acd_phone_feature(ext, ev);
	janus_mutex_unlock(&hl.lock);
	if (rc < 0) {
		JANUS_LOG(LOG_INFO, "hotline: feature code %s from phone %s "
		    "refused in its agent's state\n", code, ext->ext);
		nua_respond(nh, 486, "Đang bận, không đổi trạng thái",
		    TAG_END());
	} else
		nua_respond(nh, 603, ev == HL_AGENT_EV_SET_AVAILABLE ?
		    "Đã sẵn sàng nhận cuộc gọi" : "Đã tạm nghỉ", TAG_END());
	g_free(code);
}

static gpointer
sip_thread(gpointer data)
{
	char	 url[256];
	int	 ok;

	(void)data;
	su_log_set_level(NULL, 0);
	sip.root = su_root_create(NULL);
	/* No ;transport= parameter: sofia binds both UDP and TCP. */
	g_snprintf(url, sizeof(url), "sip:%s:%d", hl.cfg.sip_ip,
	    hl.cfg.sip_port);
	sip.nua = sip.root != NULL ? nua_create(sip.root, sip_callback, NULL,
	    NUTAG_URL(url),
	    NUTAG_MEDIA_ENABLE(0),
	    NUTAG_AUTOANSWER(0),
	    NUTAG_AUTOACK(1),
	    NUTAG_ENABLEINVITE(1),
	    NUTAG_APPL_METHOD("REGISTER"),
	    NUTAG_ALLOW("REGISTER"),
	    SIPTAG_ALLOW_STR("INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER"),
	    SIPTAG_USER_AGENT_STR("Hotline1022/" HOTLINE_VERSION_STRING),
	    NUTAG_OUTBOUND("no-validate no-natify"),
	    /* RFC 4028 where the trunk supports it (Supported: timer): the
	     * trunk refreshes, and a session it stops refreshing is ended
	     * (BYE) like a caller gone.  0: off. */
	    NUTAG_SESSION_TIMER((unsigned)hl.cfg.session_expires),
	    NUTAG_MIN_SE(90),
	    NUTAG_SESSION_REFRESHER(nua_remote_refresher),
	    TAG_NULL()) : NULL;
	ok = sip.nua != NULL;
	janus_mutex_lock(&sip.mutex);
	sip.ready = ok ? 1 : -1;
	janus_condition_signal(&sip.ready_cond);
	janus_mutex_unlock(&sip.mutex);
	if (!ok) {
		JANUS_LOG(LOG_FATAL, "hotline: nua_create(%s) failed\n", url);
		if (sip.root != NULL)
			su_root_destroy(sip.root);
		return (NULL);
	}
	JANUS_LOG(LOG_INFO, "hotline: SIP listening on %s (udp, tcp)\n", url);
	sip.reg_state = "none";
	if (hl.cfg.registrar[0] != '\0')
		sip_register_start();
	su_root_run(sip.root);
	nua_destroy(sip.nua);
	sip.nua = NULL;
	su_root_destroy(sip.root);
	sip.root = NULL;
	return (NULL);
}

static void
sip_callback(nua_event_t event, int status, char const *phrase, nua_t *nua,
    nua_magic_t *magic, nua_handle_t *nh, nua_hmagic_t *hmagic,
    sip_t const *sipmsg, tagi_t tags[])
{
	hl_leg	*leg = (hl_leg *)hmagic;
	hl_call	*call = leg != NULL ? leg->call : NULL;
	int	 agency = leg != NULL && leg->agency;
	int	 callstate = -1;

	(void)magic;
	switch (event) {
	case nua_i_invite:
		if (call != NULL)
			sip_reinvite(nh, call);
		else
			sip_incoming_invite(nua, nh, sipmsg);
		break;
	case nua_i_ack:
		if (call != NULL && !agency)
			sip_trunk_acked(call);
		break;
	case nua_r_invite:
		if (call != NULL && agency && nh == call->nh_b)
			sip_agency_response(nh, call, status, sipmsg);
		else if (call != NULL && agency && status >= 200 &&
		    status < 300) {
			/* A 200 that crossed our CANCEL (transfer cancelled
			 * or timed out): that leg is over, end it. */
			JANUS_LOG(LOG_INFO, "hotline: call %s: late answer "
			    "from a cancelled leg, BYE\n", call->id);
			nua_bye(nh, TAG_END());
		}
		break;
	case nua_i_cancel:
	case nua_i_bye:
		if (call != NULL && agency) {
			janus_mutex_lock(&hl.lock);
			if (nh == call->nh_b)
				hl_agency_gone(call);
			janus_mutex_unlock(&hl.lock);
		} else if (call != NULL)
			sip_call_ended(nh, call, "caller");
		break;
	case nua_i_state:
		tl_gets(tags, NUTAG_CALLSTATE_REF(callstate), TAG_END());
		if (callstate != nua_callstate_terminated)
			break;
		if (call != NULL && agency) {
			janus_mutex_lock(&hl.lock);
			/* A leg replaced by a newer one (next phone) is
			 * just released. */
			if (nh == call->nh_b) {
				if (!call->agency_answered)
					hl_agency_failed(call, status);
				else
					hl_agency_gone(call);
				if (nh == call->nh_b)
					call->nh_b = NULL;
				/* The leg is free for the next phone. */
				hl_acd_dispatch();
			}
			janus_mutex_unlock(&hl.lock);
			nua_handle_bind(nh, NULL);
			hl_call_unref(call);
		} else if (call != NULL) {
			sip_call_ended(nh, call, "caller");
			nua_handle_bind(nh, NULL);
			hl_call_unref(call);
		}
		nua_handle_destroy(nh);
		break;
	case nua_i_register:
		JANUS_LOG(LOG_VERB, "hotline: REGISTER in (%d)\n", status);
		if (sipmsg != NULL)
			sip_incoming_register(nua, nh, sipmsg);
		else
			nua_respond(nh, SIP_400_BAD_REQUEST,
			    NUTAG_WITH_THIS(nua), TAG_END());
		nua_handle_destroy(nh);
		break;
	case nua_r_register:
	case nua_r_unregister:
		if (nh == sip.reg_nh)
			sip_register_response(nh, status, phrase, sipmsg);
		break;
	case nua_r_bye:
		JANUS_LOG(LOG_VERB, "hotline: BYE answered %d %s\n", status,
		    phrase != NULL ? phrase : "");
		break;
	case nua_r_shutdown:
		if (status >= 200)
			su_root_break(sip.root);
		break;
	case nua_i_error:
		JANUS_LOG(LOG_WARN, "hotline: SIP error %d %s\n", status,
		    phrase != NULL ? phrase : "");
		break;
	default:
		break;
	}
}

/* The trunk's registration, for status. */
json_t *
hl_sip_registration(void)
{
	json_t	*j;

	j = json_object();
	json_object_set_new(j, "registrar", json_string(hl.cfg.registrar));
	json_object_set_new(j, "state", json_string(sip.reg_state != NULL ?
	    sip.reg_state : "none"));
	json_object_set_new(j, "status",
	    json_integer(g_atomic_int_get(&sip.reg_status)));
	return (j);
}

/* REGISTER "sip:user@domain" at the registrar; sofia refreshes it. */
static void
sip_register_start(void)
{
	const char	*domain = hl.cfg.reg_domain;
	char		*aor, *expires, *host = NULL;
	url_t		*u;

	if (domain[0] == '\0') {
		u = url_make(sip.home, hl.cfg.registrar);
		host = u != NULL && u->url_host != NULL ?
		    g_strdup(u->url_host) : g_strdup(hl.cfg.sip_ip);
		domain = host;
	}
	aor = g_strdup_printf("sip:%s@%s", hl.cfg.reg_user, domain);
	expires = g_strdup_printf("%d", hl.cfg.reg_expires);
	sip.reg_nh = nua_handle(sip.nua, NULL, SIPTAG_TO_STR(aor),
	    SIPTAG_FROM_STR(aor), TAG_END());
	sip.reg_state = "registering";
	nua_register(sip.reg_nh, NUTAG_REGISTRAR(hl.cfg.registrar),
	    NUTAG_M_USERNAME(hl.cfg.reg_user),
	    SIPTAG_EXPIRES_STR(expires), TAG_END());
	JANUS_LOG(LOG_INFO, "hotline: REGISTER %s at %s\n", aor,
	    hl.cfg.registrar);
	g_free(aor);
	g_free(expires);
	g_free(host);
}

/* 401/407: answer the digest challenge, twice at most in a row. */
static void
sip_register_response(nua_handle_t *nh, int status, char const *phrase,
    sip_t const *sipmsg)
{
	msg_auth_t const	*au = NULL;
	char const		*realm;
	char			*auth;

	if (status < 200)
		return;
	g_atomic_int_set(&sip.reg_status, status);
	if (status == 401 || status == 407) {
		if (sipmsg != NULL)
			au = status == 401 ? sipmsg->sip_www_authenticate :
			    sipmsg->sip_proxy_authenticate;
		realm = au != NULL ? msg_params_find(au->au_params,
		    "realm=") : NULL;
		if (realm == NULL || sip.reg_auth_tries >= 2) {
			sip.reg_state = "failed";
			JANUS_LOG(LOG_ERR, "hotline: trunk registration "
			    "refused (%d %s): check register_user and "
			    "register_password\n", status, phrase ? phrase : "");
			return;
		}
		sip.reg_auth_tries++;
		auth = g_strdup_printf("%s:%s:%s:%s", au->au_scheme, realm,
		    hl.cfg.reg_user, hl.cfg.reg_password);
		nua_authenticate(nh, NUTAG_AUTH(auth), TAG_END());
		g_free(auth);
		return;
	}
	sip.reg_auth_tries = 0;
	if (status >= 200 && status < 300) {
		sip.reg_state = "registered";
		JANUS_LOG(LOG_INFO, "hotline: registered at %s\n",
		    hl.cfg.registrar);
	} else {
		sip.reg_state = "failed";
		JANUS_LOG(LOG_ERR, "hotline: trunk registration failed: %d "
		    "%s\n", status, phrase ? phrase : "");
	}
}

/*
 * A new call from the trunk.  Answered at once (200 with our SDP), but
 * it joins the queue and media flows only once the trunk ACKs: a forged
 * INVITE (whose sender never sees our 200) gets nothing sent anywhere.
 */
static void
sip_incoming_invite(nua_t *nua, nua_handle_t *nh, sip_t const *sipmsg)
{
	hl_call		*call;
	char		 src[INET6_ADDRSTRLEN];
	char		*sdp;
	const char	*why = NULL;
	int		 code = 0, busy;

	if (sipmsg->sip_request != NULL &&
	    sipmsg->sip_request->rq_url->url_user != NULL &&
	    sipmsg->sip_request->rq_url->url_user[0] == '*') {
		sip_feature_code(nua, nh, sipmsg);
		return;
	}
	if (!sip_source_allowed(nua, src, sizeof(src))) {
		JANUS_LOG(LOG_WARN, "hotline: INVITE from %s refused: not a "
		    "configured trunk\n", src);
		nua_respond(nh, SIP_403_FORBIDDEN, TAG_END());
		return;
	}
	janus_mutex_lock(&hl.lock);
	busy = hl.cfg.trunk_max_calls > 0 &&
	    hl_acd_trunk_calls(src) >= hl.cfg.trunk_max_calls;
	janus_mutex_unlock(&hl.lock);
	if (busy) {
		JANUS_LOG(LOG_WARN, "hotline: INVITE from %s refused: trunk "
		    "at its limit of %d simultaneous calls\n", src,
		    hl.cfg.trunk_max_calls);
		nua_respond(nh, SIP_503_SERVICE_UNAVAILABLE,
		    SIPTAG_RETRY_AFTER_STR("10"), TAG_END());
		return;
	}
	call = hl_call_new();
	if (hl_sip_parse_sdp(sipmsg, -1, &call->pt, &call->dtmf_pt,
	    &call->remote, &code, &why) < 0) {
		JANUS_LOG(LOG_WARN, "hotline: INVITE from %s refused: %s\n",
		    src, why);
		nua_respond(nh, code, why, SIPTAG_WARNING_STR(NULL),
		    TAG_END());
		hl_call_unref(call);
		return;
	}
	call->remote_set = call->remote.sin_addr.s_addr != INADDR_ANY;
	if (hl_media_open(call) < 0 || hl_media_start(call) < 0) {
		nua_respond(nh, SIP_503_SERVICE_UNAVAILABLE,
		    SIPTAG_RETRY_AFTER_STR("10"), TAG_END());
		hl_call_unref(call);
		return;
	}
	call->trunk = g_strdup(src);
	call->sip_call_id = g_strndup(sipmsg->sip_call_id != NULL ?
	    sipmsg->sip_call_id->i_id : "", 255);
	call->caller = sipmsg->sip_from != NULL ?
	    hl_sip_url_user(sipmsg->sip_from->a_url) : g_strdup("");
	call->callee = sipmsg->sip_request != NULL ?
	    hl_sip_url_user(sipmsg->sip_request->rq_url) : g_strdup("");
	call->nh = nh;
	nua_handle_bind(nh, &call->leg_a);	/* the handle keeps call's ref */

	janus_mutex_lock(&hl.lock);
	janus_refcount_increase(&call->ref);
	g_hash_table_insert(hl.calls, call->id, call);
	janus_mutex_unlock(&hl.lock);

	sdp = sip_sdp(call, call->local_port);
	nua_respond(nh, SIP_200_OK,
	    SIPTAG_CONTENT_TYPE_STR("application/sdp"),
	    SIPTAG_PAYLOAD_STR(sdp), TAG_END());
	g_free(sdp);
	JANUS_LOG(LOG_INFO, "hotline: call %s from %s (%s) answered, %s\n",
	    call->id, call->caller, src, call->pt == 0 ? "PCMU" : "PCMA");
}

/* The trunk ACKed our 200: the call is real, to the queue with it. */
static void
sip_trunk_acked(hl_call *call)
{
	if (!hl_media_acked(call))
		return;		/* a re-INVITE's ACK */
	janus_mutex_lock(&hl.lock);
	hl_acd_media_watch(call);
	if (call->state == HL_CALL_QUEUED)
		hl_acd_enqueue(call);
	janus_mutex_unlock(&hl.lock);
}

/* A re-INVITE from the trunk (session refresh, hold): keep our media as
 * it is and answer with the same SDP. */
static void
sip_reinvite(nua_handle_t *nh, hl_call *call)
{
	char	*sdp;

	sdp = sip_sdp(call, call->local_port);
	nua_respond(nh, SIP_200_OK,
	    SIPTAG_CONTENT_TYPE_STR("application/sdp"),
	    SIPTAG_PAYLOAD_STR(sdp), TAG_END());
	g_free(sdp);
}

static void
sip_call_ended(nua_handle_t *nh, hl_call *call, const char *by)
{
	(void)nh;
	janus_mutex_lock(&hl.lock);
	if (call->state != HL_CALL_ENDED) {
		if (call->hangup_by == NULL)
			call->hangup_by = g_strdup(by);
		call->nh = NULL;
		hl_acd_caller_gone(call);
	}
	call->nh = NULL;
	janus_mutex_unlock(&hl.lock);
}

/* The source address of the request being handled, as text. */
static int
sip_request_source(nua_t *nua, char *buf, size_t len)
{
	msg_t		*msg;
	su_addrinfo_t	*ai;

	snprintf(buf, len, "unknown");
	msg = nua_current_request(nua);
	if (msg == NULL || (ai = msg_addrinfo(msg)) == NULL ||
	    ai->ai_addr == NULL)
		return (-1);
	if (ai->ai_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)
		    ai->ai_addr)->sin_addr, buf, len);
	else if (ai->ai_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)
		    ai->ai_addr)->sin6_addr, buf, len);
	else
		return (-1);
	return (0);
}

static int
sip_source_allowed(nua_t *nua, char *buf, size_t len)
{
	int	 i;

	if (sip_request_source(nua, buf, len) < 0)
		return (0);
	for (i = 0; hl.cfg.trunks[i] != NULL; i++) {
		if (hl.cfg.trunks[i][0] != '\0' &&
		    strcmp(hl.cfg.trunks[i], buf) == 0)
			return (1);
	}
	return (0);
}

/* The agency answered (2xx) or refused (3xx-6xx) our INVITE. */
static void
sip_agency_response(nua_handle_t *nh, hl_call *call, int status,
    sip_t const *sipmsg)
{
	struct sockaddr_in	 sin;
	const char		*why = NULL;
	int			 code, pt, dtmf;

	(void)nh;
	if (status < 200)
		return;
	janus_mutex_lock(&hl.lock);
	if (status >= 300) {
		hl_agency_failed(call, status);
	} else if (hl_sip_parse_sdp(sipmsg, call->pt, &pt, &dtmf, &sin, &code,
	    &why) < 0) {
		JANUS_LOG(LOG_WARN, "hotline: call %s: agency answer "
		    "unusable: %s\n", call->id, why);
		call->agency_answered = TRUE;
		hl_sip_hangup_agency(call);
		hl_agency_failed(call, 488);
	} else {
		call->agency_answered = TRUE;
		hl_agency_answered(call, &sin);
	}
	janus_mutex_unlock(&hl.lock);
}

/*
 * Reads the first audio m-line.  With want_pt < 0 (an offer) takes the
 * first G.711 payload type in the peer's order of preference; otherwise
 * (an answer) requires want_pt.  Also the peer's telephone-event.
 */
int
hl_sip_parse_sdp(sip_t const *sipmsg, int want_pt, int *pt_out,
    int *dtmf_out, struct sockaddr_in *sin, int *code, const char **why)
{
	janus_sdp	*sdp;
	janus_sdp_mline	*m;
	GList		*l;
	char		 err[128], *text;
	const char	*addr;
	struct in_addr	 in;
	int		 pt;

	if (sipmsg == NULL || sipmsg->sip_payload == NULL ||
	    sipmsg->sip_payload->pl_len == 0) {
		*code = 488;
		*why = "SDP offer required";
		return (-1);
	}
	if (sipmsg->sip_payload->pl_len > HL_SDP_MAX) {
		*code = 488;
		*why = "SDP too large";
		return (-1);
	}
	text = g_strndup(sipmsg->sip_payload->pl_data,
	    sipmsg->sip_payload->pl_len);
	sdp = janus_sdp_parse(text, err, sizeof(err));
	g_free(text);
	if (sdp == NULL) {
		*code = 400;
		*why = "Malformed SDP";
		return (-1);
	}
	m = janus_sdp_mline_find(sdp, JANUS_SDP_AUDIO);
	if (m == NULL || m->port == 0 || m->proto == NULL ||
	    strcmp(m->proto, "RTP/AVP") != 0) {
		janus_sdp_destroy(sdp);
		*code = 488;
		*why = "No RTP/AVP audio stream";
		return (-1);
	}
	addr = m->c_addr != NULL ? m->c_addr : sdp->c_addr;
	if (addr == NULL || inet_pton(AF_INET, addr, &in) != 1) {
		janus_sdp_destroy(sdp);
		*code = 488;
		*why = "No IPv4 connection address";
		return (-1);
	}
	/* We send audio there: never to a group, a broadcast or a
	 * privileged port (0.0.0.0 is the old way to say "on hold"). */
	if (IN_MULTICAST(ntohl(in.s_addr)) || in.s_addr == INADDR_BROADCAST ||
	    m->port < 1024) {
		janus_sdp_destroy(sdp);
		*code = 488;
		*why = "Connection address or port not allowed";
		return (-1);
	}
	*pt_out = -1;
	for (l = m->ptypes; l != NULL; l = l->next) {
		pt = GPOINTER_TO_INT(l->data);
		if ((want_pt < 0 && (pt == 0 || pt == 8)) || pt == want_pt) {
			*pt_out = pt;
			break;
		}
	}
	if (*pt_out < 0) {
		janus_sdp_destroy(sdp);
		*code = 488;
		*why = "Only PCMA or PCMU accepted";
		return (-1);
	}
	*dtmf_out = -1;
	for (l = m->attributes; l != NULL; l = l->next) {
		janus_sdp_attribute *a = l->data;

		if (a->name != NULL && a->value != NULL &&
		    strcmp(a->name, "rtpmap") == 0 &&
		    g_ascii_strcasecmp(strchr(a->value, ' ') != NULL ?
		    strchr(a->value, ' ') + 1 : "", "telephone-event/8000")
		    == 0) {
			pt = atoi(a->value);
			if (pt >= 96 && pt <= 127)
				*dtmf_out = pt;
		}
	}
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr = in;
	sin->sin_port = htons(m->port);
	janus_sdp_destroy(sdp);
	return (0);
}

/* Our SDP (answer to the trunk, offer to the agency) for a local port. */
static char *
sip_sdp(hl_call *call, uint16_t port)
{
	GString	*s;
	gint64	 now = janus_get_real_time();

	s = g_string_new(NULL);
	g_string_append_printf(s, "v=0\r\n"
	    "o=hotline %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
	    " IN IP4 %s\r\n"
	    "s=Hotline 1022\r\n"
	    "c=IN IP4 %s\r\n"
	    "t=0 0\r\n", now, now, hl.cfg.media_ip, hl.cfg.media_ip);
	if (call->dtmf_pt >= 0)
		g_string_append_printf(s, "m=audio %u RTP/AVP %d %d\r\n",
		    port, call->pt, call->dtmf_pt);
	else
		g_string_append_printf(s, "m=audio %u RTP/AVP %d\r\n",
		    port, call->pt);
	g_string_append_printf(s, "a=rtpmap:%d %s/8000\r\n", call->pt,
	    call->pt == 0 ? "PCMU" : "PCMA");
	if (call->dtmf_pt >= 0)
		g_string_append_printf(s, "a=rtpmap:%d telephone-event/8000\r\n"
		    "a=fmtp:%d 0-16\r\n", call->dtmf_pt, call->dtmf_pt);
	g_string_append(s, "a=ptime:20\r\na=sendrecv\r\n");
	return (g_string_free(s, FALSE));
}

char *
hl_sip_url_user(const url_t *url)
{
	const char	*u;
	size_t		 i, n;
	char		*out;

	u = url != NULL && url->url_user != NULL ? url->url_user : "";
	/* Phone numbers only: keep digits, '+', '*', '#'; cap the length. */
	n = strnlen(u, 64);
	out = g_malloc0(n + 1);
	for (i = 0; i < n; i++)
		out[i] = (g_ascii_isalnum(u[i]) || u[i] == '+' ||
		    u[i] == '*' || u[i] == '#') ? u[i] : '_';
	return (out);
}
