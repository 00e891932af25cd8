/*
 * hotline_sip.h: what sip.c reads out of a SIP message from the trunk,
 * apart from sofia-sip's own parsing.  Public so that the fuzz harnesses
 * (tests/fuzz) run the same code; only sip.c calls them in the plugin.
 */
#ifndef HOTLINE_SIP_H
#define HOTLINE_SIP_H

#include <netinet/in.h>

#include <sofia-sip/sip.h>
#include <sofia-sip/url.h>

int		 hl_sip_parse_sdp(sip_t const *, int, int *, int *,
		    struct sockaddr_in *, int *, const char **);
char		*hl_sip_url_user(const url_t *);

#endif /* HOTLINE_SIP_H */
