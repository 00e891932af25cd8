/*
 * bgdb: the database connection of one of our background threads
 * (mail_fetch.c, catalog_sync.c), outside Kore's pool, and the advisory
 * lock that makes one such thread do the work across the workers and the
 * machines: whoever holds it works, the others wait and try again; the
 * lock goes when its connection does.
 */
#include <libpq-fe.h>

#include "app.h"
#include "bgdb.h"

/* A connection as app.db says, or NULL (logged with who's name). */
PGconn *
bgdb_connect(const char *who)
{
	PGconn	*db;

	db = PQconnectdb(app.db);
	if (PQstatus(db) != CONNECTION_OK) {
		kore_log(LOG_WARNING, "%s: cannot reach the database: %s", who,
		    PQerrorMessage(db));
		PQfinish(db);
		return (NULL);
	}
	return (db);
}

/*
 * key: the advisory lock's number, as SQL text.  1 if this connection now
 * holds it, 0 if another does, -1 if the database failed.
 */
int
bgdb_try_lock(PGconn *db, const char *key, const char *who)
{
	PGresult	*res;
	const char	*params[1];
	int		 rc;

	params[0] = key;
	res = PQexecParams(db, "SELECT pg_try_advisory_lock($1::bigint)", 1,
	    NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		kore_log(LOG_WARNING, "%s: lock: %s", who, PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	rc = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (rc)
		kore_log(LOG_INFO, "%s: this worker does the work", who);
	return (rc);
}
