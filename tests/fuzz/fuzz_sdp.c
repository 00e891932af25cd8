/*
 * fuzz_sdp: the SDP body of a trunk's INVITE (an offer) or of an agency's
 * 200 OK (an answer) through hl_sip_parse_sdp() (plugins/hotline/sip.c),
 * with Janus's own janus_sdp_parse() underneath (tests/fuzz/janus_core.c
 * explains how the harness links the real Janus).
 */
#include <arpa/inet.h>
#include <string.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/su_alloc.h>

#include "hotline.h"
#include "hotline_sip.h"
#include "fuzz.h"

static void	 parse_one(sip_t const *, int);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Janus's parser reports every bad line; the harness needs none. */
	janus_log_level = LOG_NONE;
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	su_home_t	 home[1] = { SU_HOME_INIT(home) };
	sip_t		 sip;

	memset(&sip, 0, sizeof(sip));
	sip.sip_size = sizeof(sip);
	sip.sip_payload = sip_payload_create(home, data, (isize_t)size);
	FUZZ_CHECK(sip.sip_payload != NULL);
	parse_one(&sip, -1);	/* the trunk's offer */
	parse_one(&sip, 0);	/* the agency's answer to a PCMU call */
	parse_one(&sip, 8);	/* ... and to a PCMA call */
	su_home_deinit(home);
	return (0);
}

static void
parse_one(sip_t const *sip, int want_pt)
{
	struct sockaddr_in	 sin;
	const char		*why = NULL;
	int			 pt = -2, dtmf = -2, code = 0;
	uint32_t		 a;

	if (hl_sip_parse_sdp(sip, want_pt, &pt, &dtmf, &sin, &code,
	    &why) < 0) {
		FUZZ_CHECK(why != NULL && (code == 400 || code == 488));
		return;
	}
	/* Where the media thread will send audio: never anywhere else. */
	FUZZ_CHECK(want_pt < 0 ? (pt == 0 || pt == 8) : pt == want_pt);
	FUZZ_CHECK(dtmf == -1 || (dtmf >= 96 && dtmf <= 127));
	FUZZ_CHECK(sin.sin_family == AF_INET);
	FUZZ_CHECK(ntohs(sin.sin_port) >= 1024);
	a = ntohl(sin.sin_addr.s_addr);
	FUZZ_CHECK(!IN_MULTICAST(a) && a != INADDR_BROADCAST);
}
