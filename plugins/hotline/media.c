/*
 * media.c: the trunk's RTP.  Each call owns a UDP port and a thread that
 * plays hold audio while the caller waits and relays packets to the
 * operator's browser once bridged.  Packets are never transcoded: the
 * browser leg is offered the trunk's codec only.
 *
 * Where packets go, by media_mode:
 *   HOLD, VOICEMAIL  trunk <- hold audio / prompts
 *   BRIDGED          trunk <-> browser
 *   AGENCY           trunk <-> leg B (agency, or a SIP-phone agent)
 *   CONSULT          trunk <- hold audio; browser <-> leg B (attended
 *                    transfer: the caller hears neither)
 * Every mode records the caller on the left, whoever talks to the caller
 * (or, in CONSULT, the operator and the agency mixed) on the right.
 *
 * Who may send to us: on the trunk port only the address:port the SDP
 * offer named (with rtp_latch, for a trunk behind NAT, the first source
 * heard after the ACK instead); on the agency port only what its SDP
 * answer named.  Anything else is dropped and counted.  Once the peer is
 * fixed the socket is connect()ed to it, so the kernel drops the rest
 * before it reaches us.  Nothing is sent to the trunk before its ACK: a
 * forged INVITE cannot aim our hold audio at a third party.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "hotline.h"
#include "rtp.h"

#define HL_RTP_MAX	1500
#define HL_FRAME	160		/* 20 ms of G.711 */

static gpointer	 media_thread(gpointer);
static int	 media_bind_pair(int, int *, int *);
static int	 media_open_pair(int *, int *, uint16_t *);
static void	 media_send_trunk(hl_call *, char *, size_t);
static void	 media_send_agency(hl_call *, char *, size_t);
static void	 media_relay_agent(hl_call *, hl_session *, char *, size_t);
static void	 media_from_agency(hl_call *, char *, ssize_t);
static void	 media_phone_count(hl_call *, const janus_rtp_header *);
static void	 media_send_hold(hl_call *);
static void	 media_wav_tick(hl_call *);
static void	 media_from_trunk(hl_call *, char *, ssize_t);
static void	 media_recv(hl_call *, int, int, char *, size_t);
static int	 media_trunk_peer_ok(hl_call *, const struct sockaddr_in *);
static int	 media_agency_peer_ok(hl_call *, int,
		    const struct sockaddr_in *);
static int	 media_same_peer(const struct sockaddr_in *,
		    const struct sockaddr_in *);
static void	 media_connect(int, const struct sockaddr_in *);
static const char *media_peer_str(const struct sockaddr_in *, char *, size_t);
static guint8	*audio_read(const char *, size_t *);
static void	 media_mix_other(hl_call *, const uint8_t *, size_t);
static void	 media_to_listeners(hl_call *, const char *, size_t, size_t);

static const char *prompt_names[HL_PROMPT_COUNT] = {
	"greeting", "position-1", "position-2", "position-3", "position-4",
	"position-5", "position-6", "position-7", "position-8", "position-9",
	"position-10", "position-more", "hold", "voicemail",
};

/* Every prompt is optional: a missing one is silence. */
int
hl_audio_load(void)
{
	hl_audio	*au;
	char		*path, *name;
	size_t		 ulen, alen;
	int		 i, missing = 0;

	for (i = 0; i < HL_PROMPT_COUNT; i++) {
		au = &hl.audio[i];
		ulen = alen = 0;
		name = g_strdup_printf("%s.ulaw", prompt_names[i]);
		path = g_build_filename(hl.cfg.audio_dir, name, NULL);
		au->ulaw = audio_read(path, &ulen);
		g_free(path);
		g_free(name);
		name = g_strdup_printf("%s.alaw", prompt_names[i]);
		path = g_build_filename(hl.cfg.audio_dir, name, NULL);
		au->alaw = audio_read(path, &alen);
		g_free(path);
		g_free(name);
		if (au->ulaw == NULL || au->alaw == NULL || ulen != alen ||
		    ulen < HL_FRAME) {
			JANUS_LOG(LOG_WARN, "hotline: prompt %s missing or "
			    "unusable in %s\n", prompt_names[i],
			    hl.cfg.audio_dir);
			g_free(au->ulaw);
			g_free(au->alaw);
			au->ulaw = au->alaw = NULL;
			au->len = 0;
			missing++;
			continue;
		}
		au->len = ulen - ulen % HL_FRAME;
	}
	return (missing > 0 ? -1 : 0);
}

/* Binds an even RTP port and the RTCP port above it on media_ip. */
static int
media_open_pair(int *fd, int *rfd, uint16_t *local_port)
{
	int	 span, start, i, port;

	span = (hl.cfg.rtp_port_max - hl.cfg.rtp_port_min) / 2;
	start = g_random_int_range(0, span);
	for (i = 0; i < span; i++) {
		port = hl.cfg.rtp_port_min + 2 * ((start + i) % span);
		if (media_bind_pair(port, fd, rfd) == 0) {
			*local_port = (uint16_t)port;
			return (0);
		}
	}
	JANUS_LOG(LOG_ERR, "hotline: no free RTP port in %d-%d\n",
	    hl.cfg.rtp_port_min, hl.cfg.rtp_port_max);
	return (-1);
}

int
hl_media_open(hl_call *call)
{
	return (media_open_pair(&call->fd, &call->rtcp_fd,
	    &call->local_port));
}

/* The agency leg's port pair; the media thread picks it up. */
int
hl_media_open_agency(hl_call *call)
{
	int		 fd, rfd;
	uint16_t	 port;

	if (media_open_pair(&fd, &rfd, &port) < 0)
		return (-1);
	janus_mutex_lock(&call->mutex);
	call->fd_b = fd;
	call->rtcp_fd_b = rfd;
	call->local_port_b = port;
	janus_mutex_unlock(&call->mutex);
	return (0);
}

/* -1 if no thread could be made (the caller refuses the call). */
int
hl_media_start(hl_call *call)
{
	GError	*err = NULL;
	char	 name[16];

	janus_refcount_increase(&call->ref);
	g_snprintf(name, sizeof(name), "hl-rtp-%u", call->local_port);
	call->media_thread = g_thread_try_new(name, media_thread, call, &err);
	if (call->media_thread == NULL) {
		JANUS_LOG(LOG_ERR, "hotline: call %s: no media thread: %s\n",
		    call->id, err != NULL ? err->message : "unknown error");
		if (err != NULL)
			g_error_free(err);
		janus_refcount_decrease(&call->ref);
		return (-1);
	}
	return (0);
}

/*
 * The trunk ACKed our 200: media may flow to it from now on.  Without
 * rtp_latch the peer is the SDP's and the socket is connected to it.
 * 1 the first time, 0 for later ACKs (re-INVITEs).
 */
int
hl_media_acked(hl_call *call)
{
	int	 first = 0;

	janus_mutex_lock(&call->mutex);
	if (!g_atomic_int_get(&call->acked)) {
		first = 1;
		g_atomic_int_set(&call->acked, 1);
		if (hl.cfg.rtp_latch)
			call->latch_pending = TRUE;
		else if (call->remote_set)
			media_connect(call->fd, &call->remote);
	}
	janus_mutex_unlock(&call->mutex);
	return (first);
}

/* The agency (or SIP phone) named its RTP address in its 2xx answer. */
void
hl_media_agency_peer(hl_call *call, const struct sockaddr_in *sin)
{
	janus_mutex_lock(&call->mutex);
	call->remote_b = *sin;
	call->remote_b_set = TRUE;
	media_connect(call->fd_b, sin);
	janus_mutex_unlock(&call->mutex);
}

/* Stops the media thread; called without hl.lock. */
void
hl_media_stop(hl_call *call)
{
	GThread	*t;

	g_atomic_int_set(&call->media_stop, 1);
	janus_mutex_lock(&call->mutex);
	t = call->media_thread;
	call->media_thread = NULL;
	janus_mutex_unlock(&call->mutex);
	if (t != NULL && t != g_thread_self())
		g_thread_join(t);
	else if (t != NULL)
		g_thread_unref(t);
}

/*
 * The operator's browser sent audio: on to the trunk (or, while
 * consulting an agency, to the agency), into the recording.
 */
void
hl_media_from_agent(hl_session *s, janus_plugin_rtp *packet)
{
	hl_call			*call;
	janus_rtp_header	*rtp;
	size_t			 hlen, plen;
	int			 pt;

	janus_mutex_lock(&s->mutex);
	call = s->call;
	if (call != NULL)
		janus_refcount_increase(&call->ref);
	janus_mutex_unlock(&s->mutex);
	if (call == NULL)
		return;
	if (!hl_rtp_valid(packet->buffer, packet->length, &hlen, &plen))
		goto out;
	rtp = (janus_rtp_header *)packet->buffer;
	pt = rtp->type;
	g_atomic_int_inc(&call->rtp_from_agent);
	janus_mutex_lock(&call->mutex);
	if (call->agent_session == s && (call->media_mode == HL_MEDIA_CONSULT ||
	    (call->fd >= 0 && call->remote_set))) {
		if (pt == call->pt && call->wav != NULL)
			hl_wav_write(call->wav, HL_WAV_OPERATOR, call->pt,
			    (const uint8_t *)packet->buffer + hlen,
			    plen, ntohl(rtp->timestamp));
		if (pt == call->pt && call->listeners != NULL)
			media_mix_other(call, (const uint8_t *)packet->buffer +
			    hlen, plen);
		/* The agent and the agency leg were offered the trunk's
		 * telephone-event payload type: relayed as it is. */
		if (call->dtmf_pt >= 0 && pt == call->dtmf_pt) {
			g_atomic_int_inc(&call->dtmf_from_agent);
		} else if (pt != call->pt) {
			janus_mutex_unlock(&call->mutex);
			goto out;
		}
		if (call->media_mode == HL_MEDIA_CONSULT)
			media_send_agency(call, packet->buffer, packet->length);
		else
			media_send_trunk(call, packet->buffer, packet->length);
		rtp->type = pt;
	}
	janus_mutex_unlock(&call->mutex);
out:
	hl_call_unref(call);
}

static int
media_bind_pair(int port, int *fdp, int *rfdp)
{
	struct sockaddr_in	 sin;
	int			 fd, rfd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (inet_pton(AF_INET, hl.cfg.media_ip, &sin.sin_addr) != 1)
		return (-1);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return (-1);
	sin.sin_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		close(fd);
		return (-1);
	}
	rfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	sin.sin_port = htons((uint16_t)(port + 1));
	if (rfd < 0 || bind(rfd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		if (rfd >= 0)
			close(rfd);
		close(fd);
		return (-1);
	}
	*fdp = fd;
	*rfdp = rfd;
	return (0);
}

static gpointer
media_thread(gpointer data)
{
	hl_call		*call = data;
	struct pollfd	 pfd[4];
	char		 buf[HL_RTP_MAX];
	gint64		 next_tick, now;
	int		 timeout;

	next_tick = janus_get_monotonic_time();
	while (!g_atomic_int_get(&call->media_stop) &&
	    !g_atomic_int_get(&hl.stopping)) {
		now = janus_get_monotonic_time();
		if (now >= next_tick) {
			media_send_hold(call);
			media_wav_tick(call);
			next_tick += 20000;
			if (next_tick < now - 200000)	/* we slept: resync */
				next_tick = now + 20000;
		}
		timeout = hl_tick_timeout_ms(next_tick, now, 20);
		pfd[0].fd = call->fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = call->rtcp_fd;
		pfd[1].events = POLLIN;
		janus_mutex_lock(&call->mutex);
		pfd[2].fd = call->fd_b;		/* -1 (ignored) until transfer */
		pfd[3].fd = call->rtcp_fd_b;
		janus_mutex_unlock(&call->mutex);
		pfd[2].events = pfd[3].events = POLLIN;
		pfd[2].revents = pfd[3].revents = 0;
		if (poll(pfd, 4, timeout) < 0) {
			if (errno == EINTR)
				continue;
			JANUS_LOG(LOG_ERR, "hotline: poll: %s\n",
			    strerror(errno));
			break;
		}
		if (pfd[1].revents & POLLIN)
			(void)recv(call->rtcp_fd, buf, sizeof(buf), 0);
		if (pfd[0].revents & POLLIN)
			media_recv(call, call->fd, 0, buf, sizeof(buf));
		if (pfd[3].revents & POLLIN)
			(void)recv(pfd[3].fd, buf, sizeof(buf), 0);
		if (pfd[2].revents & POLLIN)
			media_recv(call, pfd[2].fd, 1, buf, sizeof(buf));
	}
	hl_call_unref(call);
	return (NULL);
}

/*
 * call->mutex held.  What the caller hears next while no one is bridged:
 * queued, the greeting once, then the position and hold music in turn;
 * voicemail, its prompt once, then silence.
 */
static int
media_next_prompt(hl_call *call)
{
	gint64	 now = janus_get_monotonic_time();

	if (call->media_mode == HL_MEDIA_VOICEMAIL) {
		if (call->vm_prompted)
			return (-1);
		call->vm_prompted = TRUE;
		return (HL_PROMPT_VOICEMAIL);
	}
	if (!call->greeted) {
		call->greeted = TRUE;
		return (HL_PROMPT_GREETING);
	}
	if (call->position > 0 && now >= call->next_announce) {
		call->next_announce = now +
		    (gint64)hl.cfg.announce_interval * G_USEC_PER_SEC;
		return (call->position <= 10 ? HL_PROMPT_POSITION_1 +
		    call->position - 1 : HL_PROMPT_POSITION_MORE);
	}
	return (HL_PROMPT_HOLD);
}

/* While no agent is bridged: 20 ms of the current prompt (or silence). */
static void
media_send_hold(hl_call *call)
{
	char			 pkt[12 + HL_FRAME];
	janus_rtp_header	*rtp = (janus_rtp_header *)pkt;
	const hl_audio		*au;
	const guint8		*src;

	janus_mutex_lock(&call->mutex);
	if (call->media_mode == HL_MEDIA_BRIDGED ||
	    call->media_mode == HL_MEDIA_AGENCY || !call->remote_set ||
	    !g_atomic_int_get(&call->acked)) {
		janus_mutex_unlock(&call->mutex);
		return;
	}
	memset(pkt, 0, 12);
	rtp->version = 2;
	rtp->type = call->pt;
	rtp->seq_number = htons(call->hold_seq);
	rtp->timestamp = htonl(call->hold_ts);
	rtp->ssrc = htonl(call->hold_ssrc);
	if (call->playing < 0) {
		call->playing = media_next_prompt(call);
		call->play_pos = 0;
	}
	au = call->playing >= 0 ? &hl.audio[call->playing] : NULL;
	src = au == NULL ? NULL : call->pt == 0 ? au->ulaw : au->alaw;
	if (src != NULL && call->play_pos + HL_FRAME <= au->len) {
		memcpy(pkt + 12, src + call->play_pos, HL_FRAME);
		call->play_pos += HL_FRAME;
		if (call->play_pos >= au->len)
			call->playing = -1;
	} else {
		memset(pkt + 12, call->pt == 0 ? 0xff : 0xd5, HL_FRAME);
		call->playing = -1;
	}
	(void)sendto(call->fd, pkt, sizeof(pkt), 0,
	    (struct sockaddr *)&call->remote, sizeof(call->remote));
	call->hold_seq++;
	call->hold_ts += HL_FRAME;
	janus_mutex_unlock(&call->mutex);
}

/*
 * The recording's disk writes happen here, on the call's own thread.
 * call->wav is closed only after this thread is joined (events.c), so
 * it may be used without call->mutex once read.
 */
static void
media_wav_tick(hl_call *call)
{
	struct hl_wav	*w;

	janus_mutex_lock(&call->mutex);
	w = call->wav;
	janus_mutex_unlock(&call->mutex);
	hl_wav_tick(w);
}

/*
 * call->mutex held.  Continues the stream the trunk already hears (hold
 * audio, then the agent, then the agency): same SSRC, sequence and
 * timestamp carried on from the first packet of each new source.
 */
static void
media_send_trunk(hl_call *call, char *buf, size_t len)
{
	janus_rtp_header	*rtp = (janus_rtp_header *)buf;
	uint16_t		 seq = ntohs(rtp->seq_number);
	uint32_t		 ts = ntohl(rtp->timestamp);

	if (call->fd < 0 || !call->remote_set ||
	    !g_atomic_int_get(&call->acked))
		return;
	if (!call->agent_synced) {
		call->seq_off = (uint16_t)(call->hold_seq - seq);
		call->ts_off = call->hold_ts - ts;
		call->agent_synced = TRUE;
	}
	rtp->ssrc = htonl(call->hold_ssrc);
	rtp->seq_number = htons((uint16_t)(seq + call->seq_off));
	rtp->timestamp = htonl(ts + call->ts_off);
	/* Where the next source starts if this one stops. */
	call->hold_seq = (uint16_t)(seq + call->seq_off + 1);
	call->hold_ts = ts + call->ts_off + HL_FRAME;
	if (sendto(call->fd, buf, len, 0, (struct sockaddr *)&call->remote,
	    sizeof(call->remote)) > 0)
		g_atomic_int_inc(&call->rtp_to_trunk);
}

/*
 * call->mutex held.  To leg B, as one stream whichever side it comes
 * from (the operator while consulting, then the caller): our SSRC,
 * sequence and timestamp carried on across the switch.
 */
static void
media_send_agency(hl_call *call, char *buf, size_t len)
{
	janus_rtp_header	*rtp = (janus_rtp_header *)buf;

	if (call->fd_b < 0 || !call->remote_b_set)
		return;
	janus_rtp_header_update(rtp, &call->to_agency, FALSE, 0);
	rtp->ssrc = htonl(call->agency_ssrc);
	if (sendto(call->fd_b, buf, len, 0,
	    (struct sockaddr *)&call->remote_b, sizeof(call->remote_b)) > 0)
		g_atomic_int_inc(g_atomic_int_get(&call->leg_b_phone) ?
		    &call->rtp_to_phone : &call->rtp_to_agency);
}

/*
 * Media thread, without call->mutex: to the operator's browser (s holds
 * a ref).  The trunk's and the agency's streams reach it as one: Janus
 * sets the SSRC, we carry sequence and timestamp on across a switch.
 */
static void
media_relay_agent(hl_call *call, hl_session *s, char *buf, size_t n)
{
	janus_plugin_rtp	 pkt;

	if (!g_atomic_int_get(&s->webrtc_up) ||
	    g_atomic_int_get(&s->destroyed))
		return;
	janus_rtp_header_update((janus_rtp_header *)buf, &call->to_agent,
	    FALSE, 0);
	memset(&pkt, 0, sizeof(pkt));
	pkt.mindex = -1;
	pkt.video = FALSE;
	pkt.buffer = buf;
	pkt.length = (uint16_t)n;
	janus_plugin_rtp_extensions_reset(&pkt.extensions);
	hl.gateway->relay_rtp(s->handle, &pkt);
	g_atomic_int_inc(&call->rtp_to_agent);
}

/* Media thread: a packet from a desk phone on leg B (seqstat.c). */
static void
media_phone_count(hl_call *call, const janus_rtp_header *rtp)
{
	int	 dlost, dlate;

	g_atomic_int_inc(&call->rtp_from_phone);
	hl_seqstat_add(&call->phone_seq, ntohl(rtp->ssrc),
	    ntohs(rtp->seq_number), &dlost, &dlate);
	if (dlost != 0)
		g_atomic_int_add(&call->phone_lost, dlost);
	if (dlate != 0)
		g_atomic_int_add(&call->phone_late, dlate);
}

/*
 * Leg B's audio (agency, or a SIP-phone agent): into the recording
 * (right), to the caller; while consulting, to the operator instead.
 */
static void
media_from_agency(hl_call *call, char *buf, ssize_t n)
{
	janus_rtp_header	*rtp = (janus_rtp_header *)buf;
	hl_session		*s;
	size_t			 hlen, plen;

	if (!hl_rtp_valid(buf, n, &hlen, &plen))
		return;
	if (g_atomic_int_get(&call->leg_b_phone))
		media_phone_count(call, rtp);
	else
		g_atomic_int_inc(&call->rtp_from_agency);
	janus_mutex_lock(&call->mutex);
	if ((call->media_mode != HL_MEDIA_AGENCY &&
	    call->media_mode != HL_MEDIA_CONSULT) ||
	    (rtp->type != call->pt && rtp->type != call->dtmf_pt)) {
		janus_mutex_unlock(&call->mutex);
		return;
	}
	if (rtp->type == call->pt && call->wav != NULL)
		hl_wav_write(call->wav, HL_WAV_AGENCY, call->pt,
		    (const uint8_t *)buf + hlen, plen,
		    ntohl(rtp->timestamp));
	if (call->media_mode == HL_MEDIA_AGENCY) {
		if (rtp->type == call->pt && call->listeners != NULL)
			media_mix_other(call, (const uint8_t *)buf + hlen,
			    plen);
		media_send_trunk(call, buf, (size_t)n);
		janus_mutex_unlock(&call->mutex);
		return;
	}
	s = call->agent_session;
	if (s == NULL) {
		janus_mutex_unlock(&call->mutex);
		return;
	}
	janus_refcount_increase(&s->ref);
	janus_mutex_unlock(&call->mutex);
	media_relay_agent(call, s, buf, (size_t)n);
	janus_refcount_decrease(&s->ref);
}

static void
media_from_trunk(hl_call *call, char *buf, ssize_t n)
{
	janus_rtp_header	*rtp = (janus_rtp_header *)buf;
	hl_session		*s;
	size_t			 hlen, plen;
	int			 pt;

	if (!hl_rtp_valid(buf, n, &hlen, &plen))
		return;
	g_atomic_int_inc(&call->rtp_from_trunk);
	pt = rtp->type;
	if (pt == call->dtmf_pt)
		g_atomic_int_inc(&call->dtmf_from_trunk);
	else if (pt != call->pt)
		return;
	janus_mutex_lock(&call->mutex);
	if (pt == call->pt && call->wav != NULL)
		hl_wav_write(call->wav, HL_WAV_CALLER, call->pt,
		    (const uint8_t *)buf + hlen, plen,
		    ntohl(rtp->timestamp));
	/* A voicemail with nobody speaking is a missed call (acd.c). */
	if (pt == call->pt && call->wav != NULL &&
	    call->media_mode == HL_MEDIA_VOICEMAIL &&
	    hl_g711_voiced(call->pt, (const uint8_t *)buf + hlen, plen))
		call->vm_voiced++;
	if (pt == call->pt && call->listeners != NULL)
		media_to_listeners(call, buf, hlen, plen);
	if (call->media_mode == HL_MEDIA_AGENCY) {
		media_send_agency(call, buf, (size_t)n);
		janus_mutex_unlock(&call->mutex);
		return;
	}
	/* On hold during a consultation: recorded, heard by nobody. */
	s = call->media_mode == HL_MEDIA_CONSULT ? NULL : call->agent_session;
	if (s == NULL) {
		janus_mutex_unlock(&call->mutex);
		return;
	}
	janus_refcount_increase(&s->ref);
	janus_mutex_unlock(&call->mutex);
	media_relay_agent(call, s, buf, (size_t)n);
	janus_refcount_decrease(&s->ref);
}

/* Listen-in. */

/* A listener (supervisor) holds a session ref; nobody hears the listener. */
void
hl_media_listen_add(hl_call *call, hl_session *s)
{
	janus_mutex_lock(&call->mutex);
	if (g_list_find(call->listeners, s) == NULL) {
		janus_refcount_increase(&s->ref);
		call->listeners = g_list_append(call->listeners, s);
	}
	janus_mutex_unlock(&call->mutex);
}

void
hl_media_listen_remove(hl_call *call, hl_session *s)
{
	janus_mutex_lock(&call->mutex);
	if (g_list_find(call->listeners, s) != NULL) {
		call->listeners = g_list_remove(call->listeners, s);
		janus_refcount_decrease(&s->ref);
	}
	janus_mutex_unlock(&call->mutex);
}

/* call->mutex held: the operator's (or agency's) latest 20 ms. */
static void
media_mix_other(hl_call *call, const uint8_t *payload, size_t len)
{
	size_t	i;

	if (len > G_N_ELEMENTS(call->mix_other))
		len = G_N_ELEMENTS(call->mix_other);
	for (i = 0; i < len; i++)
		call->mix_other[i] = call->pt == 0 ?
		    hl_ulaw_decode(payload[i]) : hl_alaw_decode(payload[i]);
	for (; i < G_N_ELEMENTS(call->mix_other); i++)
		call->mix_other[i] = 0;
	call->mix_other_at = janus_get_monotonic_time();
}

/*
 * call->mutex held.  Each caller packet, mixed with the other side's
 * latest frame (if under 100 ms old), goes to every listener: one G.711
 * stream carrying both voices, in the call's codec.
 */
static void
media_to_listeners(hl_call *call, const char *buf, size_t hlen, size_t plen)
{
	char			 out[12 + 160];
	janus_rtp_header	*rtp = (janus_rtp_header *)out;
	janus_plugin_rtp	 pkt;
	const uint8_t		*in = (const uint8_t *)buf + hlen;
	size_t			 i, len = plen;
	int			 fresh, v;
	GList			*l;
	hl_session		*ls;

	if (len > 160)
		len = 160;
	fresh = janus_get_monotonic_time() - call->mix_other_at < 100000;
	memcpy(out, buf, 12);
	rtp->csrccount = 0;
	rtp->extension = 0;
	rtp->padding = 0;
	for (i = 0; i < len; i++) {
		v = call->pt == 0 ? hl_ulaw_decode(in[i]) :
		    hl_alaw_decode(in[i]);
		if (fresh)
			v += call->mix_other[i];
		v = CLAMP(v, -32768, 32767);
		out[12 + i] = (char)(call->pt == 0 ? hl_ulaw_encode((int16_t)v) :
		    hl_alaw_encode((int16_t)v));
	}
	for (l = call->listeners; l != NULL; l = l->next) {
		ls = l->data;
		if (!g_atomic_int_get(&ls->listening) ||
		    !g_atomic_int_get(&ls->webrtc_up) ||
		    g_atomic_int_get(&ls->destroyed))
			continue;
		memset(&pkt, 0, sizeof(pkt));
		pkt.mindex = -1;
		pkt.buffer = out;
		pkt.length = (uint16_t)(12 + len);
		janus_plugin_rtp_extensions_reset(&pkt.extensions);
		hl.gateway->relay_rtp(ls->handle, &pkt);
	}
}

/*
 * Drains a leg's port.  A packet from anyone but the leg's media address
 * (the trunk's from its SDP, or with rtp_latch the first source after the
 * ACK; the agency's from its SDP answer) is dropped and counted, and the
 * first one logged; the rest go to the leg's relay.
 */
static void
media_recv(hl_call *call, int fd, int agency, char *buf, size_t size)
{
	struct sockaddr_in	 from;
	socklen_t		 flen;
	ssize_t			 n;
	char			 peer[32];
	int			 ok;

	for (;;) {
		flen = sizeof(from);
		n = recvfrom(fd, buf, size, 0, (struct sockaddr *)&from, &flen);
		if (n <= 0)
			break;
		janus_mutex_lock(&call->mutex);
		ok = flen == sizeof(from) && (agency ?
		    media_agency_peer_ok(call, fd, &from) :
		    media_trunk_peer_ok(call, &from));
		janus_mutex_unlock(&call->mutex);
		if (!ok) {
			if (g_atomic_int_add(agency ? &call->rtp_rejected_agency :
			    &call->rtp_rejected, 1) == 0)
				JANUS_LOG(LOG_WARN, "hotline: call %s: RTP "
				    "from %s dropped (not the %s's media "
				    "address); counting the rest\n", call->id,
				    media_peer_str(&from, peer, sizeof(peer)),
				    agency ? "agency" : "trunk");
			continue;
		}
		if (agency)
			media_from_agency(call, buf, n);
		else
			media_from_trunk(call, buf, n);
	}
}

/* call->mutex held.  The trunk's media address, latched if need be. */
static int
media_trunk_peer_ok(hl_call *call, const struct sockaddr_in *from)
{
	char	peer[32];

	if (call->latch_pending && from->sin_family == AF_INET) {
		call->latch_pending = FALSE;
		call->remote = *from;
		call->remote_set = TRUE;
		media_connect(call->fd, from);
		JANUS_LOG(LOG_INFO, "hotline: call %s: trunk media latched to "
		    "%s\n", call->id, media_peer_str(from, peer, sizeof(peer)));
	}
	return (call->remote_set && media_same_peer(from, &call->remote));
}

/* call->mutex held.  The agency leg's port and address, still current. */
static int
media_agency_peer_ok(hl_call *call, int fd, const struct sockaddr_in *from)
{
	return (fd == call->fd_b && call->remote_b_set &&
	    media_same_peer(from, &call->remote_b));
}

static int
media_same_peer(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
	return (a->sin_family == AF_INET &&
	    a->sin_addr.s_addr == b->sin_addr.s_addr &&
	    a->sin_port == b->sin_port);
}

/*
 * call->mutex held.  The kernel delivers only the peer's datagrams from
 * now on; the check above stays for the time before (and for latching).
 */
static void
media_connect(int fd, const struct sockaddr_in *peer)
{
	char	 buf[32];

	if (fd < 0)
		return;
	if (connect(fd, (const struct sockaddr *)peer, sizeof(*peer)) < 0)
		JANUS_LOG(LOG_WARN, "hotline: connect RTP socket to %s: %s\n",
		    media_peer_str(peer, buf, sizeof(buf)), strerror(errno));
}

static const char *
media_peer_str(const struct sockaddr_in *sin, char *buf, size_t len)
{
	char	 ip[INET_ADDRSTRLEN];

	if (inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip)) == NULL)
		g_strlcpy(ip, "?", sizeof(ip));
	g_snprintf(buf, len, "%s:%u", ip, ntohs(sin->sin_port));
	return (buf);
}

/* RTP version 2, header with CSRCs and extension inside the packet. */
int
hl_rtp_valid(const char *buf, ssize_t n, size_t *hlen, size_t *plen)
{
	const janus_rtp_header	*rtp = (const janus_rtp_header *)buf;
	size_t			 len;

	if (n < 12 || n > HL_RTP_MAX || rtp->version != 2)
		return (0);
	len = 12 + 4 * (size_t)rtp->csrccount;
	if (rtp->extension) {
		uint16_t	words;

		if ((size_t)n < len + 4)
			return (0);
		memcpy(&words, buf + len + 2, 2);
		len += 4 + 4 * (size_t)ntohs(words);
	}
	if ((size_t)n < len)
		return (0);
	*plen = (size_t)n - len;
	/* Padding: its last byte counts the padding bytes, itself included. */
	if (rtp->padding) {
		unsigned char	pad = (unsigned char)buf[n - 1];

		if (pad == 0 || pad > *plen)
			return (0);
		*plen -= pad;
	}
	*hlen = len;
	return (1);
}

static guint8 *
audio_read(const char *path, size_t *len)
{
	gchar	*buf = NULL;
	gsize	 n = 0;

	if (!g_file_get_contents(path, &buf, &n, NULL))
		return (NULL);
	*len = n;
	return ((guint8 *)buf);
}

/*
 * What the relay thread does with the call's audio from now on.  The
 * trunk keeps hearing one stream: the next source's first packet sets
 * new offsets so that SSRC, sequence and timestamp carry on
 * (media_send_trunk).
 */
void
hl_media_set_mode(hl_call *call, hl_media_mode mode)
{
	janus_mutex_lock(&call->mutex);
	call->media_mode = mode;
	call->agent_synced = FALSE;
	janus_mutex_unlock(&call->mutex);
}
