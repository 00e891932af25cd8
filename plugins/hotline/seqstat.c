/*
 * seqstat.c: one RTP stream's sequence numbers, packet by packet.  A
 * number ahead of the newest counts the gap as lost; one behind it is
 * late (and, if recent, fills a gap counted lost: lost goes down by one,
 * never below zero: a packet older than the first seen filled no gap).
 * A duplicate is neither.  A new SSRC (the phone answered again) starts
 * afresh.  The caller adds the changes to its own counters.
 */
#include "seqstat.h"

void
hl_seqstat_add(hl_seqstat *st, uint32_t ssrc, uint16_t seq, int *dlost,
    int *dlate)
{
	int16_t	 d;

	*dlost = *dlate = 0;
	if (!st->set || ssrc != st->ssrc) {
		st->set = 1;
		st->ssrc = ssrc;
		st->max = seq;
		return;
	}
	d = (int16_t)(uint16_t)(seq - st->max);
	if (d > 0) {
		*dlost = d - 1;
		st->lost += d - 1;
		st->max = seq;
	} else if (d < 0) {
		*dlate = 1;
		if (d > -HL_SEQ_REORDER && st->lost > 0) {
			*dlost = -1;
			st->lost--;
		}
	}
}
