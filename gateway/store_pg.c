/*
 * store_pg.c -- the engine operations of a store on PostgreSQL.  The
 * server keeps its own log and checkpoints, so those are nothing to do
 * here; what has no counterpart yet says so.
 */
#include "db_pg.h"
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

/*
 * Every node's writes to the directory are told on this channel (the
 * trigger of migration 011): the count of what this connection has been
 * told, which moves also when it was made again after a loss, since what
 * was told meanwhile is lost.  The caller reads directory_version when it
 * moves.  Cheap enough for every request: one non-blocking read of the
 * socket, no round trip.  Writes that are not to the directory do not
 * move it, unlike SQLite's data_version; no caller needs them.
 */
static int64_t
pg_data_version(struct store *st)
{
	int64_t v = db_pg_notified(st->db, "gateway_directory");

	if (v == -1)
		store_dberror(st);
	return v;
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
