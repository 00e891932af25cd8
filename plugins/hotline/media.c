/*
 * media.c: the trunk's RTP.  Each call owns a UDP port and a thread that
 * plays hold audio while the caller waits and relays packets to the
 * operator's browser once bridged.  Packets are never transcoded: the
 * browser leg is offered the trunk's codec only.
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
static int	 media_bind_pair(hl_call *, int);
static void	 media_send_hold(hl_call *);
static void	 media_from_trunk(hl_call *, char *, ssize_t);
static int	 rtp_valid(const char *, ssize_t, size_t *);
static guint8	*audio_read(const char *, size_t *);

int
hl_audio_load(void)
{
	char	*path;
	size_t	 ulen = 0, alen = 0;

	path = g_build_filename(hl.cfg.audio_dir, "hold.ulaw", NULL);
	hl.hold_pcmu = audio_read(path, &ulen);
	g_free(path);
	path = g_build_filename(hl.cfg.audio_dir, "hold.alaw", NULL);
	hl.hold_pcma = audio_read(path, &alen);
	g_free(path);
	if (hl.hold_pcmu == NULL || hl.hold_pcma == NULL || ulen != alen ||
	    ulen < HL_FRAME) {
		g_free(hl.hold_pcmu);
		g_free(hl.hold_pcma);
		hl.hold_pcmu = hl.hold_pcma = NULL;
		return (-1);
	}
	hl.hold_len = ulen - ulen % HL_FRAME;

	path = g_build_filename(hl.cfg.audio_dir, "voicemail.ulaw", NULL);
	hl.vm_pcmu = audio_read(path, &ulen);
	g_free(path);
	path = g_build_filename(hl.cfg.audio_dir, "voicemail.alaw", NULL);
	hl.vm_pcma = audio_read(path, &alen);
	g_free(path);
	if (hl.vm_pcmu == NULL || hl.vm_pcma == NULL || ulen != alen) {
		JANUS_LOG(LOG_WARN, "hotline: no voicemail prompt in %s\n",
		    hl.cfg.audio_dir);
		g_free(hl.vm_pcmu);
		g_free(hl.vm_pcma);
		hl.vm_pcmu = hl.vm_pcma = NULL;
	} else
		hl.vm_len = ulen - ulen % HL_FRAME;
	return (0);
}

/* Binds an even RTP port and the RTCP port above it on media_ip. */
int
hl_media_open(hl_call *call)
{
	int	 span, start, i, port;

	span = (hl.cfg.rtp_port_max - hl.cfg.rtp_port_min) / 2;
	start = g_random_int_range(0, span);
	for (i = 0; i < span; i++) {
		port = hl.cfg.rtp_port_min + 2 * ((start + i) % span);
		if (media_bind_pair(call, port) == 0)
			return (0);
	}
	JANUS_LOG(LOG_ERR, "hotline: no free RTP port in %d-%d\n",
	    hl.cfg.rtp_port_min, hl.cfg.rtp_port_max);
	return (-1);
}

void
hl_media_start(hl_call *call)
{
	char	 name[16];

	janus_refcount_increase(&call->ref);
	g_snprintf(name, sizeof(name), "hl-rtp-%u", call->local_port);
	call->media_thread = g_thread_new(name, media_thread, call);
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

/* The operator's browser sent audio: on to the trunk, into the recording. */
void
hl_media_from_agent(hl_session *s, janus_plugin_rtp *packet)
{
	hl_call			*call;
	janus_rtp_header	*rtp;
	size_t			 hlen;
	int			 pt;

	janus_mutex_lock(&s->mutex);
	call = s->call;
	if (call != NULL)
		janus_refcount_increase(&call->ref);
	janus_mutex_unlock(&s->mutex);
	if (call == NULL)
		return;
	if (!rtp_valid(packet->buffer, packet->length, &hlen))
		goto out;
	rtp = (janus_rtp_header *)packet->buffer;
	pt = rtp->type;
	g_atomic_int_inc(&call->rtp_from_agent);
	janus_mutex_lock(&call->mutex);
	if (call->agent_session == s && call->fd >= 0 && call->remote_set) {
		uint16_t	seq = ntohs(rtp->seq_number);
		uint32_t	ts = ntohl(rtp->timestamp);

		if (pt == call->pt && call->wav != NULL)
			hl_wav_write(call->wav, 1, call->pt,
			    (const uint8_t *)packet->buffer + hlen,
			    packet->length - hlen, ts);
		if (pt == call->agent_dtmf_pt && call->dtmf_pt >= 0) {
			rtp->type = call->dtmf_pt;
			g_atomic_int_inc(&call->dtmf_from_agent);
		} else if (pt != call->pt) {
			janus_mutex_unlock(&call->mutex);
			goto out;
		}
		/* Continue the stream the trunk already hears (hold
		 * audio): same SSRC, sequence and timestamp carried on. */
		if (!call->agent_synced) {
			call->seq_off = (uint16_t)(call->hold_seq - seq);
			call->ts_off = call->hold_ts - ts;
			call->agent_synced = TRUE;
		}
		rtp->ssrc = htonl(call->hold_ssrc);
		rtp->seq_number = htons((uint16_t)(seq + call->seq_off));
		rtp->timestamp = htonl(ts + call->ts_off);
		if (sendto(call->fd, packet->buffer, packet->length, 0,
		    (struct sockaddr *)&call->remote,
		    sizeof(call->remote)) > 0)
			g_atomic_int_inc(&call->rtp_to_trunk);
		rtp->type = pt;
	}
	janus_mutex_unlock(&call->mutex);
out:
	hl_call_unref(call);
}

static int
media_bind_pair(hl_call *call, int port)
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
	call->fd = fd;
	call->rtcp_fd = rfd;
	call->local_port = (uint16_t)port;
	return (0);
}

static gpointer
media_thread(gpointer data)
{
	hl_call		*call = data;
	struct pollfd	 pfd[2];
	char		 buf[HL_RTP_MAX];
	gint64		 next_tick, now;
	ssize_t		 n;
	int		 timeout;

	next_tick = janus_get_monotonic_time();
	while (!g_atomic_int_get(&call->media_stop) &&
	    !g_atomic_int_get(&hl.stopping)) {
		now = janus_get_monotonic_time();
		if (now >= next_tick) {
			media_send_hold(call);
			next_tick += 20000;
			if (next_tick < now - 200000)	/* we slept: resync */
				next_tick = now + 20000;
		}
		timeout = (int)((next_tick - now) / 1000);
		if (timeout < 0)
			timeout = 0;
		if (timeout > 20)
			timeout = 20;
		pfd[0].fd = call->fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = call->rtcp_fd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, timeout) < 0) {
			if (errno == EINTR)
				continue;
			JANUS_LOG(LOG_ERR, "hotline: poll: %s\n",
			    strerror(errno));
			break;
		}
		if (pfd[1].revents & POLLIN)
			(void)recv(call->rtcp_fd, buf, sizeof(buf), 0);
		while (pfd[0].revents & POLLIN) {
			n = recv(call->fd, buf, sizeof(buf), 0);
			if (n <= 0)
				break;
			media_from_trunk(call, buf, n);
		}
	}
	hl_call_unref(call);
	return (NULL);
}

/* While no agent is bridged: 20 ms of hold audio (looped), or of the
 * voicemail prompt (once, then silence). */
static void
media_send_hold(hl_call *call)
{
	char			 pkt[12 + HL_FRAME];
	janus_rtp_header	*rtp = (janus_rtp_header *)pkt;
	const guint8		*src;

	janus_mutex_lock(&call->mutex);
	if (call->media_mode == HL_MEDIA_BRIDGED || !call->remote_set) {
		janus_mutex_unlock(&call->mutex);
		return;
	}
	memset(pkt, 0, 12);
	rtp->version = 2;
	rtp->type = call->pt;
	rtp->seq_number = htons(call->hold_seq);
	rtp->timestamp = htonl(call->hold_ts);
	rtp->ssrc = htonl(call->hold_ssrc);
	if (call->media_mode == HL_MEDIA_VOICEMAIL) {
		src = call->pt == 0 ? hl.vm_pcmu : hl.vm_pcma;
		if (src != NULL && call->prompt_pos < hl.vm_len) {
			memcpy(pkt + 12, src + call->prompt_pos, HL_FRAME);
			call->prompt_pos += HL_FRAME;
		} else
			memset(pkt + 12, call->pt == 0 ? 0xff : 0xd5,
			    HL_FRAME);
	} else if ((src = call->pt == 0 ? hl.hold_pcmu : hl.hold_pcma) !=
	    NULL) {
		memcpy(pkt + 12, src + call->hold_pos, HL_FRAME);
		call->hold_pos = (call->hold_pos + HL_FRAME) % hl.hold_len;
	} else
		memset(pkt + 12, call->pt == 0 ? 0xff : 0xd5, HL_FRAME);
	(void)sendto(call->fd, pkt, sizeof(pkt), 0,
	    (struct sockaddr *)&call->remote, sizeof(call->remote));
	call->hold_seq++;
	call->hold_ts += HL_FRAME;
	janus_mutex_unlock(&call->mutex);
}

static void
media_from_trunk(hl_call *call, char *buf, ssize_t n)
{
	janus_rtp_header	*rtp = (janus_rtp_header *)buf;
	janus_plugin_rtp	 pkt;
	hl_session		*s;
	size_t			 hlen;
	int			 pt;

	if (!rtp_valid(buf, n, &hlen))
		return;
	g_atomic_int_inc(&call->rtp_from_trunk);
	pt = rtp->type;
	if (pt == call->dtmf_pt)
		g_atomic_int_inc(&call->dtmf_from_trunk);
	else if (pt != call->pt)
		return;
	janus_mutex_lock(&call->mutex);
	if (pt == call->pt && call->wav != NULL)
		hl_wav_write(call->wav, 0, call->pt,
		    (const uint8_t *)buf + hlen, (size_t)n - hlen,
		    ntohl(rtp->timestamp));
	s = call->agent_session;
	if (s == NULL) {
		janus_mutex_unlock(&call->mutex);
		return;
	}
	janus_refcount_increase(&s->ref);
	janus_mutex_unlock(&call->mutex);
	if (pt == call->dtmf_pt)
		rtp->type = call->agent_dtmf_pt;
	if (g_atomic_int_get(&s->webrtc_up) &&
	    !g_atomic_int_get(&s->destroyed)) {
		memset(&pkt, 0, sizeof(pkt));
		pkt.mindex = -1;
		pkt.video = FALSE;
		pkt.buffer = buf;
		pkt.length = (uint16_t)n;
		janus_plugin_rtp_extensions_reset(&pkt.extensions);
		hl.gateway->relay_rtp(s->handle, &pkt);
		g_atomic_int_inc(&call->rtp_to_agent);
	}
	janus_refcount_decrease(&s->ref);
}

/* RTP version 2, header with CSRCs and extension inside the packet. */
static int
rtp_valid(const char *buf, ssize_t n, size_t *hlen)
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
	if (rtp->padding && (size_t)n > len)
		n -= (unsigned char)buf[n - 1];
	if ((size_t)n < len)
		return (0);
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
