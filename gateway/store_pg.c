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

/*
 * Jobs are session advisory locks keyed (PG_JOB_CLASS, hashtext(job)),
 * held by the connection until released or closed, so a node that dies
 * lets its jobs go.  A session lock taken twice must be released twice:
 * one this connection holds already is not taken again.
 */
#define PG_JOB_CLASS	"x'676a6f62'::int"	/* "gjob" */

static int
pg_job_try(struct store *st, const char *job)
{
	int64_t held;

	if (store_query_int(st, &held, "SELECT CASE WHEN EXISTS (SELECT 1 "
	    "FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = "
	    "pg_backend_pid() AND classid = " PG_JOB_CLASS "::oid AND objid = "
	    "hashtext($1)::oid AND objsubid = 2) THEN 1 WHEN "
	    "pg_try_advisory_lock(" PG_JOB_CLASS ", hashtext($1)) THEN 1 "
	    "ELSE 0 END", "s", job) != 1)
		return -1;
	return held == 1;
}

static int
pg_job_release(struct store *st, const char *job)
{
	int64_t done;

	return store_query_int(st, &done, "SELECT CASE WHEN "
	    "pg_advisory_unlock(" PG_JOB_CLASS ", hashtext($1)) THEN 1 "
	    "ELSE 0 END", "s", job) == 1 ? 0 : -1;
}

const struct store_engine store_engine_pg = {
	.name = "postgresql",
	.file_moved = pg_file_moved,
	.checkpoint = pg_checkpoint,
	.data_version = pg_data_version,
	.scrub = pg_scrub,
	.path = pg_path,
	.import_watch = NULL,	/* the import's side tables are SQLite's */
	.job_try = pg_job_try,
	.job_release = pg_job_release,
};
