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

static int
pg_table_exists(struct store *st, const char *table)
{
	int64_t n = 0;

	if (store_query_int(st, &n, "SELECT CAST(to_regclass($1) IS NOT NULL "
	    "AS integer)", "s", table) != 1)
		return -1;
	return n > 0;
}

/* One import at a time across every node: a session lock, which the
 * server lets go of should the import die. */
#define PG_IMPORT_LOCK	"x'67617465696d7074'::bigint"	/* "gateimpt" */

static int
pg_import_tune(struct store *st, enum store_import_phase phase,
    struct store_import_tune *t)
{
	int64_t got = 0;

	switch (phase) {
	case STORE_IMPORT_BUILD:
		if (store_query_int(st, &got, "SELECT CAST(pg_try_advisory_lock("
		    PG_IMPORT_LOCK ") AS integer)", "") != 1)
			return -1;
		if (!got) {
			store_seterror(st, "another postcode import is running "
			    "on this database");
			return -1;
		}
		t->locked = 1;
		/* The side tables need not survive a crash: nothing reads
		 * them until the swap, whose commit is durable. */
		return store_exec(st, "SET synchronous_commit = off");
	case STORE_IMPORT_SWAP:
		return store_exec(st, "RESET synchronous_commit");
	case STORE_IMPORT_SWAPPED:
		return store_exec(st, "SET synchronous_commit = off");
	case STORE_IMPORT_END:
		store_exec(st, "RESET synchronous_commit");
		if (t->locked)
			store_exec(st, "SELECT pg_advisory_unlock("
			    PG_IMPORT_LOCK ")");
		t->locked = 0;
		return 0;
	}
	return 0;
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
	.table_exists = pg_table_exists,
	.import_tune = pg_import_tune,
	.import_table_opts = "",
	.import_country_type = "smallint",	/* as 006-unit-country.sql */
	.import_drop_in_steps = 0,
	.job_try = pg_job_try,
	.job_release = pg_job_release,
};
