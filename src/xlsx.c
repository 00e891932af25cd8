/*
 * xlsx: a report's tables as an Excel workbook (xlsx.h).  libxlsxwriter
 * writes only to a file: xlsx_build() gives it one of its own in a folder
 * the caller names, reads the workbook back and removes the file, so a
 * caller gets bytes it can send or attach.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "xlsx.h"

#define XLSX_FILE_MAX	(32 * 1024 * 1024)

struct xlsx_formats {
	lxw_format	*title;
	lxw_format	*header;
	lxw_format	*kind[4];
	lxw_format	*total[4];
};

static void	formats_make(lxw_workbook *, struct xlsx_formats *);
static int	sheet_write(lxw_workbook *, const struct xlsx_formats *,
		    const struct xlsx_sheet *, char *, size_t);
static int	cell_write(lxw_worksheet *, int, int, enum xlsx_kind,
		    const char *, lxw_format *);
static int	day_parse(const char *, lxw_datetime *);

/* The workbook at path; 0, or -1 with the reason in err. */
int
xlsx_write(const char *path, const struct xlsx_sheet *sheets, int n,
    char *err, size_t errlen)
{
	lxw_workbook_options	 opt;
	lxw_workbook		*wb;
	struct xlsx_formats	 fmt;
	lxw_error		 e;
	char			 dir[1024], *slash;
	int			 i, rc;

	if (n < 1 || n > XLSX_SHEETS_MAX) {
		(void)snprintf(err, errlen, "%d sheets", n);
		return (-1);
	}
	/* Its own temporary files beside the workbook, not in /tmp. */
	if (strlen(path) >= sizeof(dir)) {
		(void)snprintf(err, errlen, "path too long");
		return (-1);
	}
	(void)strcpy(dir, path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir)
		*slash = '\0';
	else
		(void)strcpy(dir, ".");
	memset(&opt, 0, sizeof(opt));
	opt.tmpdir = dir;
	if ((wb = workbook_new_opt(path, &opt)) == NULL) {
		(void)snprintf(err, errlen, "workbook_new: %s", strerror(errno));
		return (-1);
	}
	formats_make(wb, &fmt);
	rc = 0;
	for (i = 0; i < n && rc == 0; i++)
		rc = sheet_write(wb, &fmt, &sheets[i], err, errlen);
	/* Closed either way: it frees the workbook. */
	if ((e = workbook_close(wb)) != LXW_NO_ERROR && rc == 0) {
		(void)snprintf(err, errlen, "workbook_close: %s", lxw_strerror(e));
		rc = -1;
	}
	return (rc);
}

/*
 * The workbook as bytes: written to a file of its own in dir, read back,
 * removed.  *out is malloc'd; the caller frees it.
 */
int
xlsx_build(const char *dir, const struct xlsx_sheet *sheets, int n,
    unsigned char **out, size_t *outlen, char *err, size_t errlen)
{
	struct stat	 st;
	unsigned char	*buf;
	char		 path[1024];
	size_t		 off;
	ssize_t		 r;
	int		 fd;

	*out = NULL;
	*outlen = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/report-XXXXXX.xlsx",
	    dir) >= sizeof(path)) {
		(void)snprintf(err, errlen, "path too long");
		return (-1);
	}
	if ((fd = mkstemps(path, 5)) == -1) {
		(void)snprintf(err, errlen, "mkstemps %s: %s", path,
		    strerror(errno));
		return (-1);
	}
	close(fd);
	if (xlsx_write(path, sheets, n, err, errlen) == -1) {
		(void)unlink(path);
		return (-1);
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) == -1 ||
	    fstat(fd, &st) == -1 || st.st_size <= 0 ||
	    st.st_size > XLSX_FILE_MAX) {
		(void)snprintf(err, errlen, "reading %s back failed", path);
		if (fd != -1)
			close(fd);
		(void)unlink(path);
		return (-1);
	}
	buf = malloc((size_t)st.st_size);
	for (off = 0; buf != NULL && off < (size_t)st.st_size; off += r) {
		r = read(fd, buf + off, (size_t)st.st_size - off);
		if (r <= 0) {
			free(buf);
			buf = NULL;
		}
		if (r <= 0)
			break;
	}
	close(fd);
	(void)unlink(path);
	if (buf == NULL) {
		(void)snprintf(err, errlen, "reading %s back failed", path);
		return (-1);
	}
	*out = buf;
	*outlen = (size_t)st.st_size;
	return (0);
}

static void
formats_make(lxw_workbook *wb, struct xlsx_formats *f)
{
	static const char *const num[4] = {
		NULL, "#,##0.##", "dd/mm/yyyy", "[h]:mm:ss"
	};
	int	i;

	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 13);
	f->header = workbook_add_format(wb);
	format_set_bold(f->header);
	format_set_text_wrap(f->header);
	format_set_align(f->header, LXW_ALIGN_VERTICAL_TOP);
	format_set_bg_color(f->header, 0xDDEBF7);
	format_set_border(f->header, LXW_BORDER_THIN);
	for (i = 0; i < 4; i++) {
		f->kind[i] = workbook_add_format(wb);
		f->total[i] = workbook_add_format(wb);
		format_set_bold(f->total[i]);
		format_set_top(f->total[i], LXW_BORDER_THIN);
		if (num[i] != NULL) {
			format_set_num_format(f->kind[i], num[i]);
			format_set_num_format(f->total[i], num[i]);
		}
	}
}

static int
sheet_write(lxw_workbook *wb, const struct xlsx_formats *f,
    const struct xlsx_sheet *s, char *err, size_t errlen)
{
	lxw_worksheet	*ws;
	lxw_format	*fm;
	int		 r, c, row0, last;

	if (s->ncols < 1 || s->ncols > 64 || s->nrows < 0 ||
	    s->nrows > XLSX_ROWS_MAX || (s->nrows > 0 && s->cells == NULL)) {
		(void)snprintf(err, errlen, "sheet %s: bad shape", s->name);
		return (-1);
	}
	if ((ws = workbook_add_worksheet(wb, s->name)) == NULL) {
		(void)snprintf(err, errlen, "sheet %s refused", s->name);
		return (-1);
	}
	row0 = 0;
	if (s->title != NULL) {
		worksheet_write_string(ws, 0, 0, s->title, f->title);
		row0 = 2;
	}
	for (c = 0; c < s->ncols; c++) {
		worksheet_set_column(ws, c, c, s->cols[c].width, NULL);
		worksheet_write_string(ws, row0, c, s->cols[c].header, f->header);
	}
	worksheet_freeze_panes(ws, row0 + 1, 1);
	for (r = 0; r < s->nrows; r++) {
		last = s->total_last && r == s->nrows - 1;
		for (c = 0; c < s->ncols; c++) {
			fm = last ? f->total[s->cols[c].kind] :
			    f->kind[s->cols[c].kind];
			if (cell_write(ws, row0 + 1 + r, c, s->cols[c].kind,
			    s->cells[r * s->ncols + c], fm) == -1) {
				(void)snprintf(err, errlen, "sheet %s: row %d "
				    "column %d is not a %s", s->name, r, c,
				    s->cols[c].kind == XLSX_DATE ? "date" :
				    "number");
				return (-1);
			}
		}
	}
	return (0);
}

static int
cell_write(lxw_worksheet *ws, int row, int col, enum xlsx_kind kind,
    const char *v, lxw_format *fm)
{
	lxw_datetime	 dt;
	double		 d;
	char		*end;

	if (v == NULL || *v == '\0')
		return (0);
	switch (kind) {
	case XLSX_TEXT:
		worksheet_write_string(ws, row, col, v, fm);
		return (0);
	case XLSX_DATE:
		if (day_parse(v, &dt) == -1)
			return (-1);
		worksheet_write_datetime(ws, row, col, &dt, fm);
		return (0);
	case XLSX_NUMBER:
	case XLSX_DURATION:
		errno = 0;
		d = strtod(v, &end);
		if (errno != 0 || end == v || *end != '\0')
			return (-1);
		if (kind == XLSX_DURATION)
			d /= 86400.0;
		worksheet_write_number(ws, row, col, d, fm);
		return (0);
	}
	return (-1);
}

/* "YYYY-MM-DD" */
static int
day_parse(const char *v, lxw_datetime *dt)
{
	int	i;

	if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
		return (-1);
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9'))
			return (-1);
	}
	memset(dt, 0, sizeof(*dt));
	dt->year = atoi(v);
	dt->month = atoi(v + 5);
	dt->day = atoi(v + 8);
	if (dt->year < 1900 || dt->month < 1 || dt->month > 12 ||
	    dt->day < 1 || dt->day > 31)
		return (-1);
	return (0);
}
