/*
 * dossier: a one-stop dossier (hồ sơ một cửa) as the lookup shows it —
 * its code, checked; its status, in Vietnamese; a row of an import (CSV
 * or JSON lines); the province's one-stop system's answer; the short
 * line an SMS or a kiosk shows.  Pure: no Kore, no SQL, no I/O.  The
 * pages and the two adapters (local table, HTTP) are in dossiers.c;
 * docs/dossiers.md is the contract.
 */
#ifndef DOSSIER_H
#define DOSSIER_H

#include <stddef.h>

#include <jansson.h>

#define DOSSIER_CODE_MIN	10
#define DOSSIER_CODE_MAX	40	/* characters, all ASCII */
#define DOSSIER_AGENCY_MAX	200	/* characters */
#define DOSSIER_PROCEDURE_MAX	300
#define DOSSIER_MISSING_MAX	500
#define DOSSIER_PICKUP_MAX	300
#define DOSSIER_LINE_MAX	160	/* characters of the SMS line */
#define DOSSIER_LINE_SIZE	4096	/* bytes dossier_line() needs */
#define DOSSIER_IMPORT_ROWS	20000	/* rows of one import file */
#define DOSSIER_TRUSTED_MAX	1000	/* bytes of the trusted addresses */

struct dossier {
	char	code[DOSSIER_CODE_MAX + 1];
	char	status[16];		/* a slug of dossier_statuses */
	char	procedure[DOSSIER_PROCEDURE_MAX * 4 + 1];
	char	agency[DOSSIER_AGENCY_MAX * 4 + 1];
	char	received_on[11];	/* YYYY-MM-DD */
	char	due_on[11];		/* YYYY-MM-DD, or "" */
	char	missing[DOSSIER_MISSING_MAX * 4 + 1];
	char	pickup[DOSSIER_PICKUP_MAX * 4 + 1];
};

/* What a lookup found. */
enum dossier_found {
	DOSSIER_FOUND,
	DOSSIER_NOT_FOUND,
	DOSSIER_UNAVAILABLE	/* the one-stop system failed or was slow */
};

int		 dossier_code_read(const char *, char *, size_t);
const char	*dossier_status_vi(const char *);
int		 dossier_is_finished(const char *);
int		 dossier_from_json(const json_t *, struct dossier *, char *,
		    size_t);
json_t		*dossier_to_json(const struct dossier *);
int		 dossier_row_parse(const char *, size_t, int, struct dossier *,
		    char *, size_t);
int		 dossier_is_csv_header(const char *, size_t);
enum dossier_found dossier_remote_read(long, const char *, size_t,
		    struct dossier *, char *, size_t);
int		 dossier_addresses_read(const char *, char *, size_t);
void		 dossier_line(const struct dossier *, const char *, char *,
		    size_t);

#endif
