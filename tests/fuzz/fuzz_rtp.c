/*
 * fuzz_rtp: a UDP datagram from the trunk or the agency leg, or an RTP
 * packet from the browser, through hl_rtp_valid() (plugins/hotline/
 * media.c), the one check before the media thread reads a header field or
 * the payload it records and relays.
 */
#include <string.h>

#include "hotline.h"
#include "fuzz.h"


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const janus_rtp_header	*rtp;
	char			*buf;
	size_t			 hlen, plen;

	/* An exact copy: ASan sees any read past the datagram. */
	if ((buf = malloc(size > 0 ? size : 1)) == NULL)
		abort();
	memcpy(buf, data, size);
	hlen = plen = (size_t)-1;
	if (hl_rtp_valid(buf, (ssize_t)size, &hlen, &plen)) {
		rtp = (const janus_rtp_header *)(void *)buf;
		FUZZ_CHECK(size >= 12 && rtp->version == 2);
		FUZZ_CHECK(hlen >= 12 + 4 * (size_t)rtp->csrccount);
		FUZZ_CHECK(hlen <= size && plen <= size - hlen);
		/* What the recorder and the listeners' mixer read. */
		if (plen > 0)
			FUZZ_CHECK(memcmp(buf + hlen, data + hlen, plen) == 0);
	}
	free(buf);
	return (0);
}
