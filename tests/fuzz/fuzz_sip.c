/*
 * fuzz_sip: a whole SIP message as it arrives on SIP_PORT, parsed by
 * sofia-sip (as nua parses it), then what sip.c reads out of it itself:
 * the SDP (hl_sip_parse_sdp(): an offer in a request, an answer in a
 * response) and the caller's and callee's numbers (hl_sip_url_user()).
 */
#include <arpa/inet.h>
#include <string.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>

#include "hotline.h"
#include "hotline_sip.h"
#include "fuzz.h"

static void	 check_user(const url_t *);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	janus_log_level = LOG_NONE;
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in	 sin;
	msg_t			*msg;
	sip_t			*sip;
	const char		*why;
	char			*cid;
	int			 pt, dtmf, code;

	if (size == 0)
		return (0);
	msg = msg_make(sip_default_mclass(), 0, data, (ssize_t)size);
	if (msg == NULL)
		return (0);
	if ((sip = sip_object(msg)) != NULL) {
		why = NULL;
		code = 0;
		if (hl_sip_parse_sdp(sip, sip->sip_status != NULL ? 8 : -1,
		    &pt, &dtmf, &sin, &code, &why) < 0)
			FUZZ_CHECK(why != NULL && code >= 400);
		if (sip->sip_call_id != NULL) {
			cid = g_strndup(sip->sip_call_id->i_id, 255);
			FUZZ_CHECK(strlen(cid) <= 255);
			g_free(cid);
		}
		if (sip->sip_from != NULL)
			check_user(sip->sip_from->a_url);
		if (sip->sip_request != NULL)
			check_user(sip->sip_request->rq_url);
		if (sip->sip_to != NULL)
			check_user(sip->sip_to->a_url);
	}
	msg_destroy(msg);
	return (0);
}

/* A number goes into logs, events and the database: keep it plain. */
static void
check_user(const url_t *url)
{
	char	*u;
	size_t	 i, n;

	u = hl_sip_url_user(url);
	FUZZ_CHECK(u != NULL);
	n = strlen(u);
	FUZZ_CHECK(n <= 64);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(g_ascii_isalnum(u[i]) || u[i] == '+' ||
		    u[i] == '*' || u[i] == '#' || u[i] == '_');
	g_free(u);
}
