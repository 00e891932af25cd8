/*
 * seqstat.h: losses and late arrivals in one RTP stream, from its
 * sequence numbers (seqstat.c).  No Janus or glib here, so
 * tests/unit/test_hotline_seqstat.c can build it alone.
 */
#ifndef HOTLINE_SEQSTAT_H
#define HOTLINE_SEQSTAT_H

#include <stdint.h>

/* A late packet this near the newest one fills a gap counted lost. */
#define HL_SEQ_REORDER	100

typedef struct hl_seqstat {
	int		 set;		/* a packet was seen */
	uint32_t	 ssrc;
	uint16_t	 max;		/* newest sequence number */
	int		 lost;		/* gaps not filled yet, >= 0 */
} hl_seqstat;

void	 hl_seqstat_add(hl_seqstat *, uint32_t, uint16_t, int *, int *);

#endif
