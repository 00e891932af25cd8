/*
 * watch.c: files the Kore app writes for the plugin (calendar_file,
 * transfer_file, the ended sessions).  Kore writes each aside and renames it, so a change is
 * a new inode; it is looked at every few seconds, read again only when
 * it changed, and a file too large is refused before it is read.
 */
#include <string.h>

#include "hotline.h"

/*
 * 1: the file changed and may be read; 0: not due or unchanged; -1 gone
 * or too large (logged once; what was read before stays in force).
 */
int
hl_watch_changed(hl_watch *w, const char *file, off_t max)
{
	struct stat	 st;
	gint64		 now = g_get_monotonic_time();

	if (file == NULL || file[0] == '\0' || (w->checked_at != 0 &&
	    now - w->checked_at < (w->every_us ? w->every_us : HL_WATCH_US)))
		return (0);
	w->checked_at = now;
	if (stat(file, &st) != 0) {
		if (w->st.st_ino != 0)
			JANUS_LOG(LOG_WARN, "hotline: %s is gone; keeping what "
			    "it said\n", file);
		memset(&w->st, 0, sizeof(w->st));
		return (-1);
	}
	if (st.st_ino == w->st.st_ino && st.st_size == w->st.st_size &&
	    st.st_mtim.tv_sec == w->st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == w->st.st_mtim.tv_nsec)
		return (0);
	w->st = st;
	if (st.st_size > max) {
		JANUS_LOG(LOG_WARN, "hotline: %s: too large; keeping what is "
		    "in force\n", file);
		return (-1);
	}
	return (1);
}
