/*
 * xlsx: a report's tables as an Excel workbook, written by libxlsxwriter.
 * A table is its columns (a header, a kind, a width) and its cells as
 * text, row after row, as PostgreSQL gave them; the kind says what a cell
 * becomes in the sheet: text, a number, a date, a duration.  Pure: no
 * Kore.
 */
#ifndef XLSX_H
#define XLSX_H

#include <stddef.h>

enum xlsx_kind {
	XLSX_TEXT,		/* as is */
	XLSX_NUMBER,		/* "12", "12.5" */
	XLSX_DATE,		/* "YYYY-MM-DD", shown as dd/mm/yyyy */
	XLSX_DURATION		/* seconds, shown as [h]:mm:ss */
};

struct xlsx_col {
	const char	*header;
	enum xlsx_kind	 kind;
	double		 width;		/* characters */
};

struct xlsx_sheet {
	const char		*name;		/* the tab, at most 31 chars */
	const char		*title;		/* a heading row; NULL for none */
	const struct xlsx_col	*cols;
	int			 ncols;
	const char *const	*cells;		/* nrows * ncols; NULL: empty */
	int			 nrows;
	int			 total_last;	/* the last row is a total */
};

#define XLSX_SHEETS_MAX		8
#define XLSX_ROWS_MAX		100000
#define XLSX_TYPE \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

int	xlsx_write(const char *, const struct xlsx_sheet *, int, char *,
	    size_t);
int	xlsx_build(const char *, const struct xlsx_sheet *, int,
	    unsigned char **, size_t *, char *, size_t);

#endif
