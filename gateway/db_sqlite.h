/*
 * db_sqlite.h -- what only SQLite has, for the SQLite engine of the store
 * (store_sqlite.c) and nothing else: the connection's sqlite3 handle, for
 * WAL checkpoints, the WAL hook, the file-moved check and data_version.
 */
#ifndef GATEWAY_DB_SQLITE_H
#define GATEWAY_DB_SQLITE_H

#include <sqlite3.h>

struct db;

/* The handle of a SQLite connection (lent: closed by db_close), NULL on
 * another engine. */
sqlite3	*db_sqlite_handle(struct db *);

#endif
