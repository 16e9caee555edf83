/*
 * store_pg.c -- the engine operations of a store on PostgreSQL.  The
 * server keeps its own log and checkpoints, so those are nothing to do
 * here; what has no counterpart yet says so.
 */
#include "store_impl.h"

/* A server has no file to lose under an open connection; a lost server is
 * a failed statement (DB_CONNECTION). */
static int
pg_file_moved(struct store *st)
{
	return 0;
}

/* The server checkpoints its own log. */
static int
pg_checkpoint(struct store *st, enum store_checkpoint mode, int *frames)
{
	*frames = 0;
	return 0;
}

/* Another node's writes will be told by LISTEN/NOTIFY; until then none
 * is seen, and a reload waits for directory_version. */
static int64_t
pg_data_version(struct store *st)
{
	store_seterror(st, "data_version: not supported on PostgreSQL yet");
	return -1;
}

/* A deleted row's space is reclaimed by VACUUM; the server's own log
 * (WAL) is out of the gateway's reach. */
static int
pg_scrub(struct store *st)
{
	return 0;
}

static const char *
pg_path(struct store *st)
{
	return "";
}

const struct store_engine store_engine_pg = {
	.name = "postgresql",
	.file_moved = pg_file_moved,
	.checkpoint = pg_checkpoint,
	.data_version = pg_data_version,
	.scrub = pg_scrub,
	.path = pg_path,
	.import_watch = NULL,	/* the import's side tables are SQLite's */
};
