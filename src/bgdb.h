#ifndef BGDB_H
#define BGDB_H

/* libpq's connection, as libpq-fe.h names it (C11 allows the repeat). */
typedef struct pg_conn PGconn;

PGconn	*bgdb_connect(const char *);
int	 bgdb_try_lock(PGconn *, const char *, const char *);

#endif
