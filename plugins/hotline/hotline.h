/*
 * janus.plugin.hotline: the telephony half of "Tổng đài 1022".
 *
 * One process-wide state (agents, calls, queue) guarded by one mutex,
 * hl.lock.  Three kinds of threads touch it:
 *   - the request thread (plugin.c), fed by Janus through an async queue;
 *   - the sofia-sip thread (sip.c), which owns the SIP stack;
 *   - the timer thread (timers.c), which fires every deadline.
 * The RTP hot path (media.c, plugin.c incoming_rtp) only takes the
 * per-call mutex, never hl.lock.
 */
#ifndef HOTLINE_H
#define HOTLINE_H

#include <sys/stat.h>

#include <stdint.h>
#include <netinet/in.h>

#include <glib.h>
#include <jansson.h>

#include "plugins/plugin.h"
#include "debug.h"
#include "mutex.h"
#include "refcount.h"
#include "rtp.h"
#include "utils.h"

#include "contract.h"
#include "fsm.h"
#include "seqstat.h"
#include "tick.h"

#define HOTLINE_NAME		"janus.plugin.hotline"
#define HOTLINE_VERSION		1
#define HOTLINE_VERSION_STRING	"0.1.0"

/* Error codes of the request API (docs/hotline-api.md). */
#define HL_ERR_UNKNOWN		480
#define HL_ERR_NO_MESSAGE	481
#define HL_ERR_INVALID_JSON	482
#define HL_ERR_INVALID_REQUEST	483
#define HL_ERR_MISSING_ELEMENT	484
#define HL_ERR_INVALID_ELEMENT	485
#define HL_ERR_UNAUTHORIZED	486
#define HL_ERR_WRONG_STATE	487
#define HL_ERR_NO_SUCH_CALL	488
#define HL_ERR_INVALID_SDP	489
#define HL_ERR_NOT_ALLOWED	490	/* transfer to a number not listed */

/* What a login token lets a handle do (token.c). */
typedef enum hl_role {
	HL_ROLE_AGENT = 0,	/* takes calls */
	HL_ROLE_SUPERVISOR,	/* watches the queue and listens in */
} hl_role;
#define HL_ROLE_SUPERVISOR_PREFIX	"supervisor."

/*
 * Who is speaking, for the recording: the caller is the left channel;
 * the operator and the agency share the right one (mixed while both
 * talk, during an attended transfer's consultation).
 */
enum {
	HL_WAV_CALLER = 0,
	HL_WAV_OPERATOR,
	HL_WAV_AGENCY,
	HL_WAV_SOURCES,
};

/* Prompts, loaded from audio_dir as <name>.ulaw and <name>.alaw. */
enum {
	HL_PROMPT_GREETING = 0,
	HL_PROMPT_POSITION_1,		/* ... position-10 follow */
	HL_PROMPT_POSITION_MORE = HL_PROMPT_POSITION_1 + 10,
	HL_PROMPT_HOLD,
	HL_PROMPT_VOICEMAIL,
	HL_PROMPT_COUNT,
};

typedef struct hl_audio {
	guint8		*ulaw;
	guint8		*alaw;
	size_t		 len;		/* bytes = samples, whole frames */
} hl_audio;

struct hl_call;
struct hl_agent;

/* The sofia handle magic: which leg of which call. */
typedef struct hl_leg {
	struct hl_call	*call;
	int		 agency;	/* 0 trunk (caller), 1 agency */
} hl_leg;
struct hl_wav;

/* One Janus handle attached to the plugin (an operator's browser tab). */
typedef struct hl_session {
	janus_plugin_session	*handle;
	struct hl_agent		*agent;		/* hl.lock; NULL until login */
	char			*supervisor;	/* hl.lock; user id of a
						   supervisor's login */
	char			*kore_sid;	/* hl.lock; the Kore session
						   the login's token came from */
	janus_mutex		 mutex;		/* guards call */
	struct hl_call		*call;		/* bridged call, holds a ref */
	struct hl_call		*listen_call;	/* hl.lock; supervising, ref */
	volatile gint		 listening;	/* listen offer answered */
	volatile gint		 webrtc_up;
	volatile gint		 hangingup;
	volatile gint		 destroyed;
	janus_refcount		 ref;
} hl_session;

typedef struct hl_agent {
	char			*user_id;
	hl_agent_state		 state;
	char			*pause_reason;
	gint64			 idle_since;	/* monotonic, for longest-idle */
	gint64			 state_since;	/* monotonic, for supervisors */
	gint64			 wrapup_until;	/* monotonic, 0 if none */
	hl_session		*session;	/* NULL when offline */
	struct hl_call		*call;		/* offered or bridged call */
	guint			 answered;	/* calls taken since login */
	/* A SIP phone registered as this agent's extension. */
	char			*sip_ext;
	char			*sip_contact;	/* NULL when not registered */
	gint64			 sip_expires_at;/* monotonic */
	GSource			*wrapup_timer;	/* timers.c */
	GSource			*phone_timer;
	/* The console chose "answer on the desk phone": calls ring the
	 * registered phone, the console is its remote control (state
	 * buttons, the call's ticket).  Reset at each login. */
	gboolean		 use_phone;
} hl_agent;

typedef struct hl_call {
	janus_refcount		 ref;
	janus_mutex		 mutex;		/* media fields below */

	/* hl.lock */
	char			*id;		/* uuid, also the recording name */
	char			*sip_call_id;
	char			*caller;
	char			*callee;
	void			*nh;		/* nua_handle_t of the trunk leg */
	void			*nh_b;		/* nua_handle_t of the agency leg */
	hl_leg			 leg_a, leg_b;
	char			*transfer_to;	/* agency number */
	int			 transfer_agency_id;	/* 0: transfer_allow */
	gint64			 transferred_real;	/* handed to the agency */
	gint64			 transfer_deadline;/* monotonic: leg B rings */
	hl_agent		*phone_agent;	/* leg B rings/bridges this phone */
	gboolean		 agency_answered;
	hl_call_state		 state;
	gint64			 created_real;	/* unix microseconds */
	gint64			 answered_real;
	gint64			 voicemail_real;
	gint64			 ended_real;
	gint64			 ended_mono;	/* the recording's end */
	gint64			 created_mono;
	gint64			 offer_deadline;/* monotonic */
	gint64			 voicemail_deadline;
	gint64			 voicemail_record_at;
	GList			*offered;	/* hl_agent * ringing for it */
	GHashTable		*declined;	/* user_id -> gint64 *: who let it
					   ring, and when (monotonic) */
	char			*agent_user_id;	/* who answered */
	char			*disposition;	/* answered, abandoned, ... */
	char			*hangup_by;	/* caller, agent, system */
	char			*agent_offer_sdp;
	GSource			*ring_timer;	/* timers.c, each a ref */
	GSource			*queue_timer;
	GSource			*transfer_timer;
	GSource			*beep_timer;
	GSource			*voicemail_timer;
	GSource			*no_agent_timer;
	GSource			*media_timer;	/* rtp_timeout's watch */
	gint			 rtp_seen;	/* rtp_from_trunk at the watch */
	gint64			 rtp_seen_at;	/* monotonic: when it last grew */
	gint64			 no_agent_deadline;	/* monotonic */

	char			*trunk;		/* source address of the INVITE */
	volatile gint		 acked;		/* the trunk ACKed our 200 */

	/* trunk media (mutex) */
	int			 fd;
	int			 rtcp_fd;
	uint16_t		 local_port;
	struct sockaddr_in	 remote;	/* the only source accepted */
	gboolean		 remote_set;
	gboolean		 latch_pending;	/* rtp_latch: next source wins */
	int			 pt;		/* 0 PCMU or 8 PCMA */
	int			 dtmf_pt;	/* trunk's telephone-event, -1 */
	int			 fd_b;		/* agency leg RTP */
	int			 rtcp_fd_b;
	uint16_t		 local_port_b;
	struct sockaddr_in	 remote_b;
	gboolean		 remote_b_set;
	hl_session		*agent_session;	/* bridged browser, holds a ref */
	GList			*listeners;	/* hl_session *, refs (listen-in) */
	int16_t			 mix_other[160];/* last 20 ms of operator/agency */
	gint64			 mix_other_at;	/* monotonic */
	hl_media_mode		 media_mode;
	int			 playing;	/* HL_PROMPT_*, -1 between */
	size_t			 play_pos;
	gboolean		 greeted;
	gboolean		 vm_prompted;
	guint			 vm_voiced;	/* recorded voicemail frames with
					   speech in them (media.c) */
	int			 position;	/* in the queue, 0 if not */
	gint64			 next_announce;	/* monotonic */
	struct hl_wav		*wav;
	char			*recording;	/* relative to recordings dir */
	GThread			*media_thread;
	volatile gint		 media_stop;
	uint32_t		 hold_ssrc;
	uint16_t		 hold_seq;
	uint32_t		 hold_ts;
	size_t			 hold_pos;
	gboolean		 agent_synced;	/* offsets below are set */
	uint16_t		 seq_off;	/* browser -> trunk rewrite */
	uint32_t		 ts_off;
	uint32_t		 agency_ssrc;	/* one stream to the agency */
	janus_rtp_switching_context to_agency;	/* browser, then trunk */
	/* Media thread only: the browser hears the trunk, then the
	 * agency (consultation), as one stream. */
	janus_rtp_switching_context to_agent;

	/* counters, updated atomically */
	volatile gint		 rtp_from_trunk;
	volatile gint		 rtp_to_agent;
	volatile gint		 rtp_from_agent;
	volatile gint		 rtp_to_trunk;
	volatile gint		 dtmf_from_trunk;
	volatile gint		 dtmf_from_agent;
	volatile gint		 rtp_to_agency;
	volatile gint		 rtp_from_agency;
	volatile gint		 rtp_rejected;	/* trunk port, wrong source */
	volatile gint		 rtp_rejected_agency;
	/* Leg B is a desk phone (1) or an agency (0): its packets are
	 * counted as the phone's, with losses and late arrivals. */
	volatile gint		 leg_b_phone;
	volatile gint		 rtp_to_phone;
	volatile gint		 rtp_from_phone;
	volatile gint		 phone_lost;	/* sequence gaps not filled */
	volatile gint		 phone_late;	/* behind a newer packet */
	hl_seqstat		 phone_seq;	/* media thread only */
} hl_call;

/* A SIP phone allowed to REGISTER as an agent. */
typedef struct hl_extension {
	char		*ext;
	char		*user_id;
	char		*password;
} hl_extension;

typedef struct hl_config {
	char		*sip_ip;
	int		 sip_port;
	char		*media_ip;
	int		 rtp_port_min;
	int		 rtp_port_max;
	int		 rtp_latch;	/* NAT: take the first source after ACK */
	int		 rtp_timeout;	/* seconds without the caller's RTP
					   before the call ends; 0: never */
	int		 session_expires;	/* RFC 4028, seconds; 0: off */
	char		**trunks;	/* allowed source addresses */
	int		 trunk_max_calls;	/* per trunk address, 0: any */
	char		*secret_file;
	char		*var_dir;
	char		*kore_url;
	char		*audio_dir;
	int		 ring_timeout;	/* seconds */
	int		 wrapup_time;	/* seconds */
	int		 no_answer_return;	/* seconds paused (no_answer)
					   before available again; 0: never */
	int		 queue_max_wait;/* seconds, 0: no limit */
	int		 no_agent_grace;/* seconds nobody logged in, 0: at once */
	int		 voicemail_max;	/* seconds */
	int		 vm_per_hour;	/* per caller number, 0: no cap */
	char		*open_hours;
	char		*holidays;
	char		*calendar_file;	/* written by Kore; "" if none */
	char		*timezone;
	char		*transfer_uri;	/* "sip:{number}@host:port" */
	char		*transfer_file;	/* agencies' numbers, from Kore */
	char		*transfer_allow;	/* more numbers, of no agency */
	int		 transfer_timeout;	/* seconds leg B may ring */
	int		 ring_all;	/* offer to every free agent at once */
	int		 announce_interval;	/* seconds */
	char		*registrar;	/* "" or "sip:host:port": REGISTER there */
	char		*reg_user;
	char		*reg_password;
	char		*reg_domain;	/* AOR host; default: registrar's */
	int		 reg_expires;
	GHashTable	*extensions;	/* "101" -> hl_extension * */
	char		*reg_networks;	/* where phones may REGISTER from */
	int		 reg_lockout_failures;
	int		 reg_lockout_seconds;
} hl_config;

typedef struct hl_globals {
	janus_callbacks	*gateway;
	janus_plugin	*plugin;
	hl_config	 cfg;
	janus_mutex	 lock;
	GHashTable	*sessions;	/* janus_plugin_session * -> hl_session * */
	GHashTable	*agents;	/* user_id -> hl_agent * */
	GHashTable	*calls;		/* call id -> hl_call * (ref) */
	GQueue		*queue;		/* hl_call * waiting, oldest first */
	GHashTable	*voicemails;	/* caller -> GArray of gint64 starts */
	volatile gint	 stopping;
	guint8		 keys[HL_KEY_COUNT][HL_KEY_LEN];	/* token.c */
	int		 have_keys;
	hl_audio	 audio[HL_PROMPT_COUNT];
} hl_globals;

extern hl_globals hl;

/* One message from a browser, answered on the request thread. */
typedef struct hl_request {
	hl_session	*session;
	char		*transaction;
	json_t		*message;
	json_t		*jsep;
} hl_request;

/* plugin.c */
void		 hl_push_event(hl_session *, const char *, json_t *, json_t *);
json_t		*hl_event_new(const char *);
json_t		*hl_error_new(int, const char *);

/* requests.c */
void		 hl_request_handle(hl_request *);

/* token.c */
int		 hl_secret_load(const char *);
void		 hl_secret_free(void);
int		 hl_token_verify(const char *, gint64, char **, char **,
		    hl_role *, const char **);
char		*hl_hmac_hex(hl_purpose, const char *, size_t);

/* sessions.c */
void		 hl_sessions_start(void);
void		 hl_sessions_stop(void);
void		 hl_sessions_watch(void);
int		 hl_sessions_ended(const char *);

/* sip.c */
int		 hl_sip_start(void);
void		 hl_sip_stop(void);
void		 hl_sip_hangup(hl_call *);
int		 hl_sip_transfer(hl_call *, const char *);
int		 hl_sip_invite_leg_b(hl_call *, const char *, const char *);
void		 hl_sip_hangup_agency(hl_call *);
json_t		*hl_sip_registration(void);

/* media.c */
int		 hl_media_open(hl_call *);
int		 hl_media_open_agency(hl_call *);
int		 hl_media_start(hl_call *);
int		 hl_media_acked(hl_call *);
void		 hl_media_agency_peer(hl_call *, const struct sockaddr_in *);
void		 hl_media_set_mode(hl_call *, hl_media_mode);
void		 hl_media_stop(hl_call *);
void		 hl_media_from_agent(hl_session *, janus_plugin_rtp *);
void		 hl_media_listen_add(hl_call *, hl_session *);
void		 hl_media_listen_remove(hl_call *, hl_session *);
int		 hl_audio_load(void);
int		 hl_rtp_valid(const char *, ssize_t, size_t *, size_t *);

/* call.c */
hl_call		*hl_call_new(void);
void		 hl_call_unref(hl_call *);
void		 hl_call_record_start(hl_call *);

/* acd.c: the queue and the agents; carries out fsm.c's steps */
int		 hl_acd_facts(hl_call *);
void		 hl_acd_step(hl_call *, const hl_call_step *, const char *);
int		 hl_acd_event(hl_call *, hl_call_event, const char *);
int		 hl_acd_agent_event(hl_agent *, hl_agent_event, const char *);
void		 hl_acd_enqueue(hl_call *);
void		 hl_acd_media_watch(hl_call *);
int		 hl_acd_trunk_calls(const char *);
void		 hl_acd_dispatch(void);
void		 hl_acd_caller_gone(hl_call *);
void		 hl_acd_agent_gone(hl_agent *);
int		 hl_acd_accept(hl_session *, const char *, const char *,
		    const char **);
int		 hl_acd_decline(hl_session *, const char **);
int		 hl_acd_agent_hangup(hl_session *, const char **);
void		 hl_acd_webrtc_down(hl_session *);
void		 hl_acd_phone_registered(const hl_extension *, const char *,
		    int);
void		 hl_acd_phone_answered(hl_call *, const hl_call_step *,
		    const struct sockaddr_in *);
void		 hl_acd_phone_refused(hl_call *, const hl_call_step *, int);
int		 hl_acd_phone_feature(const hl_extension *, hl_agent_event);
int		 hl_acd_on_phone(const hl_agent *);

/* agency.c */
int		 hl_agency_transfer(hl_session *, const char *, int,
		    const char **);
int		 hl_agency_transfer_complete(hl_session *, json_t **,
		    const char **);
int		 hl_agency_transfer_cancel(hl_session *, json_t **,
		    const char **);
void		 hl_agency_answered(hl_call *, const struct sockaddr_in *);
void		 hl_agency_failed(hl_call *, int);
void		 hl_agency_gone(hl_call *);

/* listen.c */
int		 hl_listen_start(hl_session *, const char *, json_t **,
		    const char **);
int		 hl_listen_answer(hl_session *, const char **);
void		 hl_listen_stop(hl_session *, const char *);

/* timers.c */
typedef void	(*hl_timer_fn)(gpointer);
int		 hl_timer_start(void);
void		 hl_timer_stop(void);
void		 hl_timer_set(GSource **, gint64, hl_timer_fn, gpointer,
		    GDestroyNotify);
void		 hl_timer_cancel(GSource **);

/* status.c */
json_t		*hl_status_json(void);
json_t		*hl_status_agent_json(hl_agent *);

/* watch.c: a file Kore writes for us, looked at every HL_WATCH_US (or
 * every_us when set). */
#define HL_WATCH_US	(2 * G_USEC_PER_SEC)
typedef struct hl_watch {
	gint64		 checked_at;	/* monotonic; 0: look now */
	gint64		 every_us;
	struct stat	 st;		/* of the file last read */
} hl_watch;
int		 hl_watch_changed(hl_watch *, const char *, off_t);

/* transfers.c */
int		 hl_transfers_load(const char *);
void		 hl_transfers_watch(const char *);
int		 hl_transfer_allowed(const char *, int *);
void		 hl_transfers_free(void);

/* calendar.c */
int		 hl_calendar_load(const char *, const char *, const char *);
int		 hl_calendar_open(gint64);
void		 hl_calendar_watch(const char *);
void		 hl_calendar_free(void);

/* events.c */
int		 hl_events_start(void);
void		 hl_events_stop(void);
void		 hl_events_call_ended(hl_call *);
void		 hl_events_agent_state(const hl_agent *, int);

/* wav.c */
struct hl_wav	*hl_wav_open(const char *, gint64);
void		 hl_wav_write(struct hl_wav *, int, int, const uint8_t *,
		    size_t, uint32_t);
void		 hl_wav_tick(struct hl_wav *);
void		 hl_wav_close(struct hl_wav *, gint64);
int16_t		 hl_ulaw_decode(uint8_t);
int16_t		 hl_alaw_decode(uint8_t);
int		 hl_g711_voiced(int, const uint8_t *, size_t);
uint8_t		 hl_ulaw_encode(int16_t);
uint8_t		 hl_alaw_encode(int16_t);

#endif /* HOTLINE_H */
