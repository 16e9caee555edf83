/*
 * db_pg.h -- what only the PostgreSQL backend has, for store_pg.c (as
 * db_sqlite.h is for store_sqlite.c): notifications and the connection's
 * own reconnect.  Nothing else includes it.
 *
 * Threads: as db.h, the connection's owner only.
 */
#ifndef GATEWAY_DB_PG_H
#define GATEWAY_DB_PG_H

#include <stdint.h>

#include "db.h"

/*
 * A count that moves whenever a notification on channel has arrived, and
 * whenever the connection was made again (what was told while it was
 * down is lost, so the caller must look again): the first call LISTENs.
 * Never blocks: it reads what the socket holds and no more.  Call it
 * outside a transaction only: a connection found lost is made again
 * here, and a transaction on it would be gone.  -1 (error set) when the
 * server cannot be reached.
 */
int64_t	db_pg_notified(struct db *, const char *channel);

#endif
