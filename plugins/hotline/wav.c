/*
 * wav.c: the stereo call recording (8 kHz, 16-bit PCM, caller left,
 * operator right).  Each source's packets are placed on one timeline by
 * their RTP timestamps, anchored to the wall clock so a source that
 * starts late or stops sending leaves silence instead of shifting the
 * other.  The operator and the agency are two sources of the right
 * channel: one replaces the other after a transfer, and both are mixed
 * while an attended transfer's consultation has them talking together.
 * A window of at least two seconds absorbs jitter; older frames go to
 * disk half a second at a time (one write and one move of the window per
 * half second, not per packet: with 100 calls that was 10,000 of each a
 * second).
 *
 * hl_wav_write never touches the disk: it runs on Janus's RTP thread
 * (the operator's packets) too.  The call's media thread calls
 * hl_wav_tick every 20 ms, which copies the oldest half second out under
 * the mutex and writes it after letting go, so a slow disk stalls that
 * call's own thread only, never a packet's writer.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "hotline.h"

#define WAV_RATE	8000
#define WAV_FLUSH	(WAV_RATE / 2)		/* frames written at a time */
#define WAV_KEEP	(3 * WAV_RATE)		/* behind now, kept in memory */
#define WAV_WINDOW	(4 * WAV_RATE + WAV_FLUSH)	/* frames in memory */
#define WAV_RESYNC	(WAV_RATE / 2)		/* drift that re-anchors */
#define WAV_HEADER	44

struct hl_wav {
	janus_mutex	 mutex;
	int		 fd;
	gint64		 t0;			/* monotonic, frame 0 */
	int64_t		 base;			/* first frame in window */
	int16_t		 win[WAV_WINDOW * 2];
	struct {
		int		 anchored;
		int64_t		 pos;
		uint32_t	 ts;
		gint64		 last;		/* monotonic, last packet */
	} src[HL_WAV_SOURCES];
	int		 failed;
};

static void	 wav_flush(struct hl_wav *, int64_t);
static void	 wav_header(uint8_t *, uint32_t);
static void	 put_le16(uint8_t *, uint16_t);
static void	 put_le32(uint8_t *, uint32_t);

struct hl_wav *
hl_wav_open(const char *path, gint64 t0)
{
	struct hl_wav	*w;
	uint8_t		 hdr[WAV_HEADER];
	int		 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		JANUS_LOG(LOG_ERR, "hotline: recording %s: %s\n", path,
		    strerror(errno));
		return (NULL);
	}
	wav_header(hdr, 0);
	if (write(fd, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr)) {
		JANUS_LOG(LOG_ERR, "hotline: recording %s: short write\n",
		    path);
		close(fd);
		unlink(path);
		return (NULL);
	}
	w = g_malloc0(sizeof(*w));
	janus_mutex_init(&w->mutex);
	w->fd = fd;
	w->t0 = t0;
	return (w);
}

/* source: HL_WAV_CALLER, _OPERATOR or _AGENCY; payload is G.711 of type pt. */
void
hl_wav_write(struct hl_wav *w, int source, int pt, const uint8_t *payload,
    size_t len, uint32_t ts)
{
	int64_t	 now_pos, pos;
	gint64	 now;
	size_t	 i;
	int	 ch, other, mix, v;

	if (w == NULL || source < 0 || source >= HL_WAV_SOURCES ||
	    len == 0 || len > WAV_RATE)
		return;
	ch = source == HL_WAV_CALLER ? 0 : 1;
	janus_mutex_lock(&w->mutex);
	now = janus_get_monotonic_time();
	now_pos = (now - w->t0) * WAV_RATE / G_USEC_PER_SEC;
	pos = w->src[source].pos + (int32_t)(ts - w->src[source].ts);
	if (!w->src[source].anchored || pos - now_pos > WAV_RESYNC ||
	    now_pos - pos > WAV_RESYNC) {
		w->src[source].anchored = 1;
		w->src[source].pos = now_pos;
		w->src[source].ts = ts;
		pos = now_pos;
	}
	/* Mixed only while the other right-hand source is talking too, so
	 * a source re-anchored over its own frames never doubles them. */
	other = source == HL_WAV_OPERATOR ? HL_WAV_AGENCY : HL_WAV_OPERATOR;
	mix = ch == 1 && w->src[other].last > 0 &&
	    now - w->src[other].last < G_USEC_PER_SEC / 2;
	w->src[source].last = now;
	/* Frames past the window (the media thread has not written for
	 * over a second) are lost rather than written from here. */
	for (i = 0; i < len; i++) {
		int64_t	at = pos + (int64_t)i - w->base;

		if (at < 0 || at >= WAV_WINDOW)
			continue;
		v = pt == 0 ? hl_ulaw_decode(payload[i]) :
		    hl_alaw_decode(payload[i]);
		if (mix)
			v = CLAMP(v + w->win[at * 2 + ch], -32768, 32767);
		w->win[at * 2 + ch] = (int16_t)v;
	}
	janus_mutex_unlock(&w->mutex);
}

/*
 * Media thread: writes the oldest half second once it is WAV_KEEP behind
 * the wall clock.  The disk is written without the mutex held.
 */
void
hl_wav_tick(struct hl_wav *w)
{
	int16_t	 out[WAV_FLUSH * 2];
	int64_t	 now_pos;
	ssize_t	 n;

	if (w == NULL)
		return;
	janus_mutex_lock(&w->mutex);
	now_pos = (janus_get_monotonic_time() - w->t0) * WAV_RATE /
	    G_USEC_PER_SEC;
	if (now_pos - w->base <= WAV_KEEP) {
		janus_mutex_unlock(&w->mutex);
		return;
	}
	memcpy(out, w->win, sizeof(out));
	memmove(w->win, w->win + WAV_FLUSH * 2,
	    (size_t)(WAV_WINDOW - WAV_FLUSH) * 4);
	memset(w->win + (WAV_WINDOW - WAV_FLUSH) * 2, 0, sizeof(out));
	w->base += WAV_FLUSH;
	janus_mutex_unlock(&w->mutex);
	/* Only this thread writes the file until hl_wav_close. */
	n = write(w->fd, out, sizeof(out));
	if (n != (ssize_t)sizeof(out)) {
		janus_mutex_lock(&w->mutex);
		w->failed = 1;
		janus_mutex_unlock(&w->mutex);
	}
}

/* Ends the file at the wall-clock length of the call (ended: monotonic). */
void
hl_wav_close(struct hl_wav *w, gint64 ended)
{
	uint8_t	 hdr[WAV_HEADER];
	int64_t	 end;

	if (w == NULL)
		return;
	janus_mutex_lock(&w->mutex);
	end = (ended - w->t0) * WAV_RATE / G_USEC_PER_SEC;
	while (w->base < end)
		wav_flush(w, MIN(end, w->base + WAV_WINDOW));
	wav_header(hdr, (uint32_t)(w->base * 4));
	if (pwrite(w->fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))
		w->failed = 1;
	if (w->failed)
		JANUS_LOG(LOG_ERR, "hotline: recording incomplete (disk)\n");
	close(w->fd);
	janus_mutex_unlock(&w->mutex);
	janus_mutex_destroy(&w->mutex);
	g_free(w);
}

/* Writes frames [base, upto), at most a window, and slides the window. */
static void
wav_flush(struct hl_wav *w, int64_t upto)
{
	int64_t	 n, keep;
	size_t	 bytes;

	n = MIN(upto - w->base, WAV_WINDOW);
	if (n <= 0)
		return;
	bytes = (size_t)n * 4;
	/* Samples are host order; WAV wants little-endian (x86, arm). */
	if (write(w->fd, w->win, bytes) != (ssize_t)bytes)
		w->failed = 1;
	keep = WAV_WINDOW - n;
	memmove(w->win, w->win + n * 2, (size_t)keep * 4);
	memset(w->win + keep * 2, 0, bytes);
	w->base += n;
}

static void
wav_header(uint8_t *h, uint32_t data_len)
{
	memcpy(h, "RIFF", 4);
	put_le32(h + 4, 36 + data_len);
	memcpy(h + 8, "WAVEfmt ", 8);
	put_le32(h + 16, 16);
	put_le16(h + 20, 1);			/* PCM */
	put_le16(h + 22, 2);			/* stereo */
	put_le32(h + 24, WAV_RATE);
	put_le32(h + 28, WAV_RATE * 4);
	put_le16(h + 32, 4);
	put_le16(h + 34, 16);
	memcpy(h + 36, "data", 4);
	put_le32(h + 40, data_len);
}

static void
put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

/*
 * 1 if a G.711 frame (pt 0 PCMU, else PCMA) has speech in it rather than
 * silence or line noise: its mean amplitude is above about -40 dBFS
 * (speech is -30 to -15 dBFS; an idle line, comfort noise and the
 * silence a gateway sends are far below).  A voicemail without half a
 * second of such frames has nobody speaking in it.
 */
#define HL_VOICED_MEAN	300

int
hl_g711_voiced(int pt, const uint8_t *p, size_t len)
{
	size_t	 i;
	long	 sum = 0;
	int	 v;

	if (len == 0)
		return (0);
	for (i = 0; i < len; i++) {
		v = pt == 0 ? hl_ulaw_decode(p[i]) : hl_alaw_decode(p[i]);
		sum += v < 0 ? -v : v;
	}
	return (sum / (long)len > HL_VOICED_MEAN);
}

/* ITU-T G.711 expansions. */

int16_t
hl_ulaw_decode(uint8_t u)
{
	int	t;

	u = ~u;
	t = ((u & 0x0f) << 3) + 0x84;
	t <<= (u & 0x70) >> 4;
	return ((int16_t)((u & 0x80) ? (0x84 - t) : (t - 0x84)));
}

int16_t
hl_alaw_decode(uint8_t a)
{
	int	t, seg;

	a ^= 0x55;
	t = (a & 0x0f) << 4;
	seg = (a & 0x70) >> 4;
	if (seg == 0)
		t += 8;
	else if (seg == 1)
		t += 0x108;
	else {
		t += 0x108;
		t <<= seg - 1;
	}
	return ((int16_t)((a & 0x80) ? t : -t));
}

/* ITU-T G.711 compressions (sign-magnitude with bias, segment search). */

uint8_t
hl_ulaw_encode(int16_t pcm)
{
	int	sign, exp, mant, v = pcm;

	sign = v < 0 ? 0x80 : 0;
	if (v < 0)
		v = -v;
	if (v > 32635)
		v = 32635;
	v += 0x84;
	for (exp = 7; exp > 0 && !(v & (0x4000 >> (7 - exp))); exp--)
		;
	mant = (v >> (exp + 3)) & 0x0f;
	return ((uint8_t)~(sign | (exp << 4) | mant));
}

uint8_t
hl_alaw_encode(int16_t pcm)
{
	int	sign, exp, mant, v = pcm;

	sign = v >= 0 ? 0x80 : 0;
	if (v < 0)
		v = -v - 1;
	if (v > 32767)
		v = 32767;
	if (v >= 256) {
		for (exp = 7; exp > 1 && !(v & (0x4000 >> (7 - exp))); exp--)
			;
		mant = (v >> (exp + 3)) & 0x0f;
	} else {
		exp = 0;
		mant = v >> 4;
	}
	return ((uint8_t)((sign | (exp << 4) | mant) ^ 0x55));
}
