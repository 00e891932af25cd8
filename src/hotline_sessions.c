/*
 * hotline_sessions: a hotline login ends with the Kore session it came
 * from.  When a session ends early (logout, account locked, password
 * reset) its id goes into ${VAR_DIR}/hotline-sessions-ended.txt, signed
 * with the sessions-ended key (hotline_contract.c); janus.plugin.hotline
 * reads the file within a second of a change and logs that session's
 * console out, and refuses its tokens (plugins/hotline/sessions.c).
 *
 * The file is the whole state: every worker (and every node sharing
 * VAR_DIR) adds to it under an exclusive flock, reading what is there,
 * dropping what has expired and renaming a new file into place, so no
 * addition is lost to a concurrent one and the plugin never reads half a
 * file.  An entry stays until its session would have expired anyway.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <fcntl.h>

#include <sodium.h>

#include "app.h"

#define ENDED_MAX	(HOTLINE_ENDED_FILE_MAX / 40)

struct ended {
	char		sid[HOTLINE_SID_LEN + 1];
	long long	expires;
};

static int	ended_add(struct ended *, int *, const char *, long long);
static int	ended_read(const char *, const unsigned char *, struct ended *,
		    int *);
static int	ended_write(const char *, const unsigned char *,
		    const struct ended *, int);
static int	ended_list_next(const char **, char *, long long *);

/*
 * list: "sid:expires,sid:expires", as the queries that end sessions
 * return it (NULL or "" when none ended).  Failures are logged: the
 * sessions are already gone in the database either way.
 */
void
hotline_sessions_end(const char *list)
{
	const unsigned char	*key;
	struct ended		*e;
	char			 path[PATH_MAX], lock[PATH_MAX];
	char			 sid[HOTLINE_SID_LEN + 1];
	long long		 expires;
	int			 fd, n, added;

	if (list == NULL || list[0] == '\0')
		return;
	if ((key = calls_key(HOTLINE_KEY_SESSIONS_ENDED)) == NULL) {
		kore_log(LOG_NOTICE, "hotline: no secret; the hotline is not "
		    "told that sessions ended");
		return;
	}
	n = snprintf(path, sizeof(path), "%s/%s", app.var_dir,
	    HOTLINE_ENDED_FILE);
	if (n < 0 || (size_t)n >= sizeof(path) ||
	    (n = snprintf(lock, sizeof(lock), "%s/%s.lock", app.var_dir,
	    HOTLINE_ENDED_FILE)) < 0 || (size_t)n >= sizeof(lock)) {
		kore_log(LOG_ERR, "hotline: VAR_DIR is too long");
		return;
	}
	if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1 ||
	    flock(fd, LOCK_EX) == -1) {
		kore_log(LOG_ERR, "hotline: %s: %s", lock, strerror(errno));
		if (fd != -1)
			close(fd);
		return;
	}
	e = kore_calloc(ENDED_MAX, sizeof(*e));
	n = 0;
	if (ended_read(path, key, e, &n) == -1)
		kore_log(LOG_WARNING, "hotline: %s was not ours (bad "
		    "signature or syntax); written anew", path);
	added = 0;
	while (ended_list_next(&list, sid, &expires))
		added += ended_add(e, &n, sid, expires);
	if (added > 0 && ended_write(path, key, e, n) == -1)
		kore_log(LOG_ERR, "hotline: cannot write %s: %s", path,
		    strerror(errno));
	else if (added > 0)
		kore_log(LOG_INFO, "hotline: %d session(s) ended, told the "
		    "hotline", added);
	kore_free(e);
	(void)flock(fd, LOCK_UN);
	close(fd);
}

/* 1 if added; expired ones and repeats are not. */
static int
ended_add(struct ended *e, int *n, const char *sid, long long expires)
{
	int	i;

	if (expires <= (long long)time(NULL))
		return (0);
	for (i = 0; i < *n; i++)
		if (strcmp(e[i].sid, sid) == 0)
			return (0);
	if (*n == ENDED_MAX) {
		kore_log(LOG_ERR, "hotline: more than %d ended sessions in "
		    "force; %s not added", ENDED_MAX, sid);
		return (0);
	}
	kore_strlcpy(e[*n].sid, sid, sizeof(e[*n].sid));
	e[*n].expires = expires;
	(*n)++;
	return (1);
}

/* What the file holds now, unexpired; -1 (and nothing) if it is not ours. */
static int
ended_read(const char *path, const unsigned char *key, struct ended *e, int *n)
{
	struct stat	 st;
	char		*buf, *line, *nl, *mac, want[HOTLINE_HEX_LEN + 1];
	char		 sid[HOTLINE_SID_LEN + 1];
	long long	 expires;
	ssize_t		 got;
	int		 fd, rc, kind;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (errno == ENOENT ? 0 : -1);
	if (fstat(fd, &st) == -1 || st.st_size > HOTLINE_ENDED_FILE_MAX) {
		close(fd);
		return (-1);
	}
	buf = kore_malloc((size_t)st.st_size + 1);
	got = read(fd, buf, (size_t)st.st_size);
	close(fd);
	rc = -1;
	if (got != st.st_size)
		goto done;
	buf[got] = '\0';
	/* The last line: "mac " and the hex MAC of every byte before it. */
	if (got < 5 + HOTLINE_HEX_LEN || buf[got - 1] != '\n')
		goto done;
	mac = buf + got - 1 - HOTLINE_HEX_LEN - 4;
	if (mac != buf && mac[-1] != '\n')
		goto done;
	if (memcmp(mac, "mac ", 4) != 0)
		goto done;
	hotline_contract_hmac_hex(key, buf, (size_t)(mac - buf), want);
	if (sodium_memcmp(want, mac + 4, HOTLINE_HEX_LEN) != 0)
		goto done;
	*mac = '\0';
	for (line = buf; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			goto done;
		kind = hotline_contract_ended_line(line, (size_t)(nl - line), sid,
		    &expires);
		if (kind < 0)
			goto done;
		if (kind == 1)
			(void)ended_add(e, n, sid, expires);
	}
	rc = 0;
done:
	if (rc == -1)
		*n = 0;
	kore_free(buf);
	return (rc);
}

static int
ended_write(const char *path, const unsigned char *key,
    const struct ended *e, int n)
{
	struct sbuf	 b;
	char		 tmp[PATH_MAX], mac[HOTLINE_HEX_LEN + 1];
	int		 fd, i, ok;

	sbuf_init(&b);
	sbuf_lit(&b, "# Tổng đài 1022: phiên đăng nhập đã kết thúc (đăng xuất, "
	    "khóa tài khoản, đặt lại mật khẩu).\n# Kore viết tệp này; "
	    "janus.plugin.hotline đọc lại. Đừng sửa tay: tệp có chữ ký.\n");
	for (i = 0; i < n; i++)
		sbuf_appendf(&b, "session %s %lld\n", e[i].sid, e[i].expires);
	hotline_contract_hmac_hex(key, b.data, b.len, mac);
	sbuf_appendf(&b, "mac %s\n", mac);

	i = snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	if (i < 0 || (size_t)i >= sizeof(tmp) || (fd = open(tmp,
	    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) == -1) {
		sbuf_free(&b);
		return (-1);
	}
	ok = write(fd, b.data, b.len) == (ssize_t)b.len && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	sbuf_free(&b);
	if (!ok || rename(tmp, path) == -1) {
		(void)unlink(tmp);
		return (-1);
	}
	return (0);
}

/* The next "sid:expires" of the list; 0 at its end or at a bad item. */
static int
ended_list_next(const char **list, char *sid, long long *expires)
{
	const char	*p = *list;
	char		*end;

	while (*p == ',')
		p++;
	if (*p == '\0' || strspn(p, "0123456789abcdef") != HOTLINE_SID_LEN ||
	    p[HOTLINE_SID_LEN] != ':')
		return (0);
	memcpy(sid, p, HOTLINE_SID_LEN);
	sid[HOTLINE_SID_LEN] = '\0';
	errno = 0;
	*expires = strtoll(p + HOTLINE_SID_LEN + 1, &end, 10);
	if (errno != 0 || end == p + HOTLINE_SID_LEN + 1 ||
	    (*end != ',' && *end != '\0'))
		return (0);
	*list = end;
	return (1);
}
