/*
 * registrar.c: who may REGISTER a desk phone as an agent.  Digest is
 * sofia-sip's (auth_digest_response_get, auth_digest_a1,
 * auth_digest_response); this file keeps what sofia leaves to its user:
 * the nonces (single challenge, counted: each use must carry a larger nc,
 * so a replayed Authorization is refused), the networks phones may
 * register from, and a lockout of an extension and of a source address
 * after repeated failures.  Cheap checks (network, lockout) come before
 * any hashing.
 *
 * Only the sofia-sip thread calls in here, so the tables need no lock.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/random.h>

#include <sofia-sip/auth_digest.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/url.h>

#include "hotline.h"
#include "registrar.h"

#define REG_REALM		"hotline1022"
#define REG_NONCE_LIFE		(300 * G_USEC_PER_SEC)
#define REG_NONCES_MAX		1024	/* outstanding challenges */
#define REG_SOURCES_MAX		4096	/* addresses with failures */

typedef struct reg_nonce {
	char		 nonce[33];
	char		 src[INET6_ADDRSTRLEN];
	gint64		 issued;	/* monotonic */
	guint32		 nc;		/* highest nonce count used */
} reg_nonce;

typedef struct reg_failures {
	int		 count;
	gint64		 first;		/* monotonic, start of the window */
	gint64		 locked_until;
} reg_failures;

typedef struct reg_net {
	guint32		 addr;		/* host order */
	guint32		 mask;
} reg_net;

static GHashTable	*nonces;	/* nonce -> reg_nonce */
static GQueue		*nonce_order;	/* reg_nonce *, oldest first */
static GHashTable	*fail_ext;	/* extension -> reg_failures */
static GHashTable	*fail_src;	/* address -> reg_failures */
static reg_net		*nets;
static int		 nets_len;	/* -1: no allow-list */

static const char	*reg_nonce_new(const char *);
static reg_nonce	*reg_nonce_find(const char *, const char *, gint64);
static void		 reg_nonce_drop(reg_nonce *);
static int		 reg_locked(GHashTable *, const char *, gint64);
static void		 reg_fail(GHashTable *, const char *, const char *,
			    const char *, gint64);
static void		 reg_sweep(GHashTable *, gint64, gint64);
static int		 reg_net_allowed(const char *);
static int		 reg_hex_equal(const char *, const char *);
static char		*reg_challenge(const char *, int);

/*
 * networks: "" (phones from anywhere) or a comma/space separated list of
 * IPv4 addresses and CIDR blocks.  A bad entry is logged and left out:
 * the list then allows less, never more.
 */
int
hl_registrar_init(const char *networks)
{
	char	**items, *slash;
	guint32	 a;
	struct in_addr in;
	int	 i, bits, bad = 0;

	nonces = g_hash_table_new(g_str_hash, g_str_equal);
	nonce_order = g_queue_new();
	fail_ext = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	fail_src = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	nets_len = -1;
	if (networks == NULL || networks[strspn(networks, ", ")] == '\0')
		return (0);
	items = g_strsplit_set(networks, ", ", -1);
	nets = g_new0(reg_net, g_strv_length(items));
	nets_len = 0;
	for (i = 0; items[i] != NULL; i++) {
		if (items[i][0] == '\0')
			continue;
		bits = 32;
		if ((slash = strchr(items[i], '/')) != NULL) {
			*slash++ = '\0';
			bits = strspn(slash, "0123456789") == strlen(slash) &&
			    strlen(slash) > 0 && strlen(slash) <= 2 ?
			    atoi(slash) : -1;
		}
		if (bits < 0 || bits > 32 ||
		    inet_pton(AF_INET, items[i], &in) != 1) {
			JANUS_LOG(LOG_ERR, "hotline: register_networks entry "
			    "#%d is not an IPv4 address or block, left out\n",
			    i + 1);
			bad++;
			continue;
		}
		a = ntohl(in.s_addr);
		nets[nets_len].mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
		nets[nets_len].addr = a & nets[nets_len].mask;
		nets_len++;
	}
	g_strfreev(items);
	JANUS_LOG(LOG_INFO, "hotline: SIP phones may register from %d "
	    "network(s) only\n", nets_len);
	return (bad > 0 ? -1 : 0);
}

void
hl_registrar_free(void)
{
	if (nonces == NULL)
		return;
	g_queue_free_full(nonce_order, g_free);
	g_hash_table_destroy(nonces);
	g_hash_table_destroy(fail_ext);
	g_hash_table_destroy(fail_src);
	g_free(nets);
	nonces = NULL;
	nets = NULL;
}

/*
 * Decides on one REGISTER from src (its address as text), or on an
 * INVITE of a feature code the phone dials (same digest, same nonces and
 * lockouts; its To names the code, not the extension).  HL_REG_OK: *ext
 * is the extension; HL_REG_CHALLENGE: answer 401 with *challenge
 * (g_free it); HL_REG_FORBIDDEN: answer 403.
 */
int
hl_registrar_check(const char *src, sip_t const *sipmsg,
    const hl_extension **extp, char **challenge)
{
	su_home_t		 home[1] = { SU_HOME_INIT(home) };
	auth_response_t		 ar[1];
	msg_auth_t const	*au = sipmsg->sip_authorization;
	const hl_extension	*ext;
	auth_hexmd5_t		 ha1, want;
	reg_nonce		*n;
	url_t			*du;
	gint64			 now = janus_get_monotonic_time();
	guint32			 nc;
	char			*end;
	const char		*method;
	int			 rc = HL_REG_CHALLENGE, good, stale = 0;
	int			 reg;

	*extp = NULL;
	if (sipmsg->sip_request == NULL)
		return (HL_REG_FORBIDDEN);
	method = sipmsg->sip_request->rq_method_name;
	reg = sipmsg->sip_request->rq_method == sip_method_register;
	*challenge = NULL;
	memset(ar, 0, sizeof(ar));
	ar->ar_size = sizeof(ar);
	if (!reg_net_allowed(src)) {
		JANUS_LOG(LOG_WARN, "hotline: REGISTER from %s refused: not "
		    "in register_networks\n", src);
		return (HL_REG_FORBIDDEN);
	}
	if (reg_locked(fail_src, src, now)) {
		JANUS_LOG(LOG_WARN, "hotline: REGISTER from %s refused: "
		    "address locked out after failed attempts\n", src);
		return (HL_REG_FORBIDDEN);
	}
	if (au == NULL || au->au_scheme == NULL ||
	    g_ascii_strcasecmp(au->au_scheme, "Digest") != 0 ||
	    au->au_params == NULL) {
		*challenge = reg_challenge(src, 0);
		return (HL_REG_CHALLENGE);
	}
	if (auth_digest_response_get(home, ar, au->au_params) < 0 ||
	    ar->ar_username == NULL || ar->ar_realm == NULL ||
	    ar->ar_nonce == NULL || ar->ar_uri == NULL ||
	    ar->ar_response == NULL || ar->ar_nc == NULL ||
	    ar->ar_cnonce == NULL || !ar->ar_auth || ar->ar_auth_int ||
	    (ar->ar_algorithm != NULL && !ar->ar_md5) ||
	    strcmp(ar->ar_realm, REG_REALM) != 0 ||
	    strlen(ar->ar_username) > 32 || strlen(ar->ar_nc) != 8) {
		reg_fail(fail_src, src, NULL, src, now);
		JANUS_LOG(LOG_WARN, "hotline: REGISTER from %s refused: "
		    "digest without qop=auth, nc, cnonce or our realm\n", src);
		*challenge = reg_challenge(src, 0);
		goto done;
	}
	ext = g_hash_table_lookup(hl.cfg.extensions, ar->ar_username);
	if (ext != NULL && reg_locked(fail_ext, ext->ext, now)) {
		JANUS_LOG(LOG_WARN, "hotline: REGISTER for extension %s from "
		    "%s refused: extension locked out after failed "
		    "attempts\n", ext->ext, src);
		rc = HL_REG_FORBIDDEN;
		goto done;
	}
	/* The digest must be for this very request. */
	du = url_make(home, ar->ar_uri);
	good = ext != NULL && du != NULL && sipmsg->sip_request != NULL &&
	    url_cmp_all(du, sipmsg->sip_request->rq_url) == 0;
	if (good) {
		auth_digest_a1(ar, ha1, ext->password);
		auth_digest_response(ar, want, ha1, method, NULL, 0);
		good = reg_hex_equal(want, ar->ar_response);
	}
	if (!good) {
		reg_fail(fail_src, src, NULL, src, now);
		if (ext != NULL)
			reg_fail(fail_ext, ext->ext, "extension", src, now);
		JANUS_LOG(LOG_WARN, "hotline: REGISTER for %.32s from %s "
		    "refused: wrong credentials or digest uri\n",
		    ext != NULL ? ext->ext : "an unknown extension", src);
		*challenge = reg_challenge(src, 0);
		goto done;
	}
	/* Right password: now is it a fresh use of one of our nonces? */
	nc = (guint32)strtoul(ar->ar_nc, &end, 16);
	n = *end == '\0' ? reg_nonce_find(ar->ar_nonce, src, now) : NULL;
	if (n == NULL) {
		stale = 1;	/* expired or not ours: ask again */
	} else if (nc <= n->nc) {
		reg_fail(fail_src, src, NULL, src, now);
		reg_fail(fail_ext, ext->ext, "extension", src, now);
		JANUS_LOG(LOG_WARN, "hotline: REGISTER for %s from %s "
		    "refused: replayed (nc %08x not above %08x)\n", ext->ext,
		    src, nc, n->nc);
		reg_nonce_drop(n);
		*challenge = reg_challenge(src, 0);
		goto done;
	}
	if (stale) {
		*challenge = reg_challenge(src, 1);
		goto done;
	}
	n->nc = nc;
	if (reg && (sipmsg->sip_to == NULL ||
	    sipmsg->sip_to->a_url->url_user == NULL || strcmp(sipmsg->sip_to->a_url->url_user, ext->ext) != 0)) {
		JANUS_LOG(LOG_WARN, "hotline: REGISTER for %s from %s "
		    "refused: To names another extension\n", ext->ext, src);
		rc = HL_REG_FORBIDDEN;
		goto done;
	}
	g_hash_table_remove(fail_ext, ext->ext);
	g_hash_table_remove(fail_src, src);
	*extp = ext;
	rc = HL_REG_OK;
done:
	su_home_deinit(home);
	return (rc);
}

/* Static functions. */

static char *
reg_challenge(const char *src, int stale)
{
	return (g_strdup_printf("Digest realm=\"" REG_REALM "\", "
	    "nonce=\"%s\", qop=\"auth\", algorithm=MD5%s",
	    reg_nonce_new(src), stale ? ", stale=true" : ""));
}

/* A fresh random nonce, remembered for src for REG_NONCE_LIFE. */
static const char *
reg_nonce_new(const char *src)
{
	static const char	 hex[] = "0123456789abcdef";
	reg_nonce		*n;
	guint8			 rnd[16];
	size_t			 i;

	while (g_queue_get_length(nonce_order) >= REG_NONCES_MAX)
		reg_nonce_drop(g_queue_peek_head(nonce_order));
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		for (i = 0; i < sizeof(rnd); i++)
			rnd[i] = (guint8)g_random_int();
	n = g_malloc0(sizeof(*n));
	for (i = 0; i < sizeof(rnd); i++) {
		n->nonce[2 * i] = hex[rnd[i] >> 4];
		n->nonce[2 * i + 1] = hex[rnd[i] & 0x0f];
	}
	g_strlcpy(n->src, src, sizeof(n->src));
	n->issued = janus_get_monotonic_time();
	g_hash_table_insert(nonces, n->nonce, n);
	g_queue_push_tail(nonce_order, n);
	return (n->nonce);
}

/* Ours, not expired, and handed to this address. */
static reg_nonce *
reg_nonce_find(const char *nonce, const char *src, gint64 now)
{
	reg_nonce	*n;

	n = g_hash_table_lookup(nonces, nonce);
	if (n == NULL)
		return (NULL);
	if (now - n->issued > REG_NONCE_LIFE) {
		reg_nonce_drop(n);
		return (NULL);
	}
	return (strcmp(n->src, src) == 0 ? n : NULL);
}

static void
reg_nonce_drop(reg_nonce *n)
{
	g_hash_table_remove(nonces, n->nonce);
	g_queue_remove(nonce_order, n);
	g_free(n);
}

static int
reg_locked(GHashTable *t, const char *key, gint64 now)
{
	reg_failures	*f;

	f = g_hash_table_lookup(t, key);
	return (f != NULL && f->locked_until > now);
}

/*
 * One more failure for key; at register_lockout_failures within
 * register_lockout_seconds the key is locked that long (logged once).
 */
static void
reg_fail(GHashTable *t, const char *key, const char *what, const char *src,
    gint64 now)
{
	reg_failures	*f;
	gint64		 window = (gint64)hl.cfg.reg_lockout_seconds *
			    G_USEC_PER_SEC;

	f = g_hash_table_lookup(t, key);
	if (f == NULL) {
		if (g_hash_table_size(t) >= REG_SOURCES_MAX)
			reg_sweep(t, now, window);
		if (g_hash_table_size(t) >= REG_SOURCES_MAX) {
			/* Still full: this key goes uncounted, the locks in
			 * force stay (the extension's lockout still caps
			 * the guesses). */
			JANUS_LOG(LOG_WARN, "hotline: REGISTER failure table "
			    "full; %s not counted\n", key);
			return;
		}
		f = g_malloc0(sizeof(*f));
		g_hash_table_insert(t, g_strdup(key), f);
	}
	if (f->count == 0 || now - f->first > window) {
		f->count = 0;
		f->first = now;
	}
	if (++f->count < hl.cfg.reg_lockout_failures || f->locked_until > now)
		return;
	f->locked_until = now + window;
	f->count = 0;
	JANUS_LOG(LOG_WARN, "hotline: REGISTER: %s %s locked out for %d s "
	    "after %d failed attempts (last from %s)\n", what != NULL ? what :
	    "address", key, hl.cfg.reg_lockout_seconds,
	    hl.cfg.reg_lockout_failures, src);
}

/* Forgets the keys whose window is over and that are not locked. */
static void
reg_sweep(GHashTable *t, gint64 now, gint64 window)
{
	GHashTableIter	 it;
	gpointer	 v;
	reg_failures	*f;

	g_hash_table_iter_init(&it, t);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		f = v;
		if (f->locked_until <= now && now - f->first > window)
			g_hash_table_iter_remove(&it);
	}
}

static int
reg_net_allowed(const char *src)
{
	struct in_addr	 in;
	guint32		 a;
	int		 i;

	if (nets_len < 0)
		return (1);
	if (inet_pton(AF_INET, src, &in) != 1)
		return (0);
	a = ntohl(in.s_addr);
	for (i = 0; i < nets_len; i++)
		if ((a & nets[i].mask) == nets[i].addr)
			return (1);
	return (0);
}

/* want: 32 lower-case hex digits; got from outside.  Constant time. */
static int
reg_hex_equal(const char *want, const char *got)
{
	size_t		 i;
	unsigned char	 diff = 0;

	if (strlen(got) != 32)
		return (0);
	for (i = 0; i < 32; i++)
		diff |= (unsigned char)want[i] ^
		    (unsigned char)g_ascii_tolower(got[i]);
	return (diff == 0);
}
