/*
 * georeport: the pure parts of Open311 GeoReport v2 (georeport.c) that
 * open311.c uses: the XML writer (the spec's required format, written
 * from the same JSON values the JSON format sends), the check of its
 * dates, and cutting text by characters.  No Kore: cmocka-tested and
 * fuzzed.
 */
#ifndef GEOREPORT_H
#define GEOREPORT_H

#include <stddef.h>

#include <jansson.h>

#include "sbuf.h"

/* An ISO 8601 date as a filter: the longest accepted form and its NUL. */
#define GEOREPORT_DATE_MAX	40

void	georeport_xml_text(struct sbuf *, const char *, size_t);
int	georeport_xml(struct sbuf *, const char *, const json_t *);
int	georeport_date_ok(const char *);
size_t	georeport_clip(const char *, size_t, size_t);

#endif
