/*
 * upload: a file from outside, already checked (sniff.c, the size limit),
 * written durably under VAR_DIR/uploads with a random name: a part file,
 * fsync'd, then renamed, so a name in the database is never a half file.
 * Runs on a lane's thread (LANE_DISK).  The portal's attachments
 * (tickets.c) and the chat's images (chat.c) are stored here.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <sodium.h>

#include "app.h"

/* Stores data as "<32 hex>.<ext>", its name in stored (64 bytes): 0, or -1. */
int
upload_store(const unsigned char *data, size_t len, const char *ext,
    char *stored, size_t storedlen)
{
	char		 dir[PATH_MAX], tmp[PATH_MAX], path[PATH_MAX], rnd[33];
	unsigned char	 r[16];
	ssize_t		 n;
	size_t		 off;
	int		 fd, ok;

	stored[0] = '\0';
	(void)snprintf(dir, sizeof(dir), "%s/uploads", app.var_dir);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		kore_log(LOG_ERR, "uploads: mkdir %s: %s", dir, errno_s);
		return (-1);
	}
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(rnd, sizeof(rnd), r, sizeof(r));
	(void)snprintf(stored, storedlen, "%s.%s", rnd, ext);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, stored) >=
	    sizeof(path) - 8) {
		stored[0] = '\0';
		return (-1);
	}
	(void)snprintf(tmp, sizeof(tmp), "%.4000s.part", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		kore_log(LOG_ERR, "uploads: open %s: %s", tmp, errno_s);
		stored[0] = '\0';
		return (-1);
	}
	for (off = 0; off < len; off += n) {
		n = write(fd, data + off, len - off);
		if (n <= 0)
			break;
	}
	ok = off == len && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) == -1) {
		kore_log(LOG_ERR, "uploads: %s: %s", path, errno_s);
		unlink(tmp);
		stored[0] = '\0';
		return (-1);
	}
	return (0);
}

/* A stored file that will not be kept ("" : none). */
void
upload_unstore(const char *stored)
{
	char	path[PATH_MAX];

	if (stored[0] == '\0')
		return;
	(void)snprintf(path, sizeof(path), "%s/uploads/%s", app.var_dir, stored);
	(void)unlink(path);
}
