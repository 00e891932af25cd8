/*
 * admin: what the administrator's pages share (admin.c), used by
 * admin_users.c, admin_ref.c, admin_calendar.c, admin_open311.c and
 * admin_password.c.
 */
#ifndef ADMIN_H
#define ADMIN_H

#include <sodium.h>

#define ADMIN_NAME_MAX		120	/* characters, as users.full_name */
#define ADMIN_PASSWORD_LEN	16	/* generated passwords */
#define ADMIN_PASSWORD_MAX	256	/* bytes, as at login */

/* The columns every admin_events INSERT fills. */
#define ADMIN_EVENT_COLS	"INSERT INTO admin_events (actor_id, " \
    "actor_label, kind, target_kind, target_id, target_label, payload) "

/* A password and its hash, made on a lane's thread. */
struct admin_secret {
	char	password[ADMIN_PASSWORD_MAX + 1];
	char	hash[crypto_pwhash_STRBYTES];
};

int	admin_text(struct web *, const char *, int, int, char *, size_t,
	    const char *, char *, size_t);
int	admin_int(struct web *, const char *, int, int, int *);
int	admin_checked(struct web *, const char *);
void	admin_keep(struct web *, struct tval *, const char *const *);
void	admin_nav(struct web *, const char *);
void	admin_actor(struct web *, char *, size_t);
void	admin_password_generate(struct admin_secret *);
int	admin_password_hash(struct admin_secret *);
int	admin_date(const char *, size_t, int *, int *, int *);
void	admin_today(char *, size_t, int *);

#endif
