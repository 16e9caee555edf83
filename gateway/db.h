/*
 * db.h -- the database interface the store is written against: one front
 * (db.c) over one backend per engine, SQLite (db_sqlite.c, the embedded
 * default) and PostgreSQL through libpq (db_pg.c, for several nodes).
 *
 * Who calls: the store, and its tests.  Nothing else names an engine.
 *
 * Threads: a connection (struct db) and its statements belong to one
 * thread at a time.  Each thread opens its own connection; handing one to
 * another thread is allowed only when the first has stopped using it.
 * db_open and db_close may run on any thread.
 *
 * SQL: one text for both engines.  Parameters are $1, $2, ... (SQLite
 * would number bare "$N" in order of appearance, not by N; the SQLite
 * backend binds them by name, so "$2 ... $1" means what it says on both).
 * Other placeholder styles (?, ?NNN, :name) are refused at prepare.
 * Write what both engines share: ON CONFLICT (...) DO NOTHING / DO UPDATE
 * SET c = excluded.c rather than INSERT OR IGNORE / OR REPLACE,
 * RETURNING id rather than a last insert id, SAVEPOINT / RELEASE
 * SAVEPOINT / ROLLBACK TO SAVEPOINT.  What differs is in the dialect
 * (struct db_dialect below), never in an "if (pg)".
 *
 * Errors: every call that fails returns -1 (or NULL) and leaves the reason
 * in db_error() and its kind in db_errclass(), which is all a caller acts
 * on.  After an error inside a transaction, only db_rollback or
 * db_rollback_to is valid on every engine (PostgreSQL refuses anything
 * else until then; SQLite would carry on): catch an expected failure with
 * a savepoint, or better, write ON CONFLICT.
 *
 * Ownership: a struct db_stmt from db_prepare is the caller's until
 * db_finalize; the connection keeps the engine's prepared form of the
 * text and hands it out again to the next db_prepare of the same text.
 * Text, blobs and error strings that db_column_* and db_error return are
 * lent: valid until the statement's next db_step, db_reset or
 * db_finalize (db_error: until the next call on that connection).  Copy
 * with db_column_dup when they must live longer.  Bound values are copied
 * at bind time.
 *
 * PostgreSQL fetches a statement's whole result at its first db_step, so
 * a statement may be stepped while others run on the same connection (as
 * on SQLite), and a SELECT should be bounded (LIMIT) as it would be for
 * memory anyway.
 */
#ifndef GATEWAY_DB_H
#define GATEWAY_DB_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct embedded_file;
struct db;
struct db_stmt;

/* What a failure means to the caller; the engines' own codes stay inside
 * the backends. */
enum db_errclass {
	DB_OK = 0,
	DB_ERROR,		/* anything else: a bug, bad SQL, corruption */
	DB_UNIQUE,		/* a unique or primary key constraint */
	DB_CONSTRAINT,		/* another constraint: foreign key, check, not null */
	DB_RETRY,		/* busy, locked, serialization failure, deadlock:
				   roll back and run the transaction again */
	DB_CONNECTION,		/* the connection is gone (server stopped, network,
				   the SQLite file moved): close and open again */
	DB_STORAGE,		/* cannot write: disk full, read-only, I/O error */
};

/*
 * What differs between the engines' SQL, for the store to splice into its
 * statements once per connection.  Both engines take the rest as written.
 */
struct db_dialect {
	const char	*name;		/* "sqlite", "postgresql" */
	const char	*schema_dir;	/* embedded migrations: "schema/",
					   "schema/pg/" */
	/* db_begin's statements.  A write transaction takes the write lock
	 * at once on SQLite (no upgrade deadlock); a read transaction sees
	 * one snapshot throughout on both. */
	const char	*begin_write;
	const char	*begin_read;
	/* Schema types: a 64-bit integer, a real, a blob, a key that numbers
	 * itself. */
	const char	*int64_type;
	const char	*real_type;
	const char	*blob_type;
	const char	*serial_key;
	/* The time now as integer Unix seconds, an SQL expression. */
	const char	*now_epoch;
	/* n random bytes as a blob, printf format with one %d. */
	const char	*random_bytes;
	/* Functions that have another name (same arguments): json_object,
	 * the aggregate of values into a JSON array (NULL over no rows on
	 * PostgreSQL, '[]' on SQLite: wrap it in coalesce), the position of
	 * a substring (1-based, 0 when absent). */
	const char	*json_object;
	const char	*json_array_agg;
	const char	*strpos;
	/* Case-insensitive LIKE (plain LIKE is case-insensitive for ASCII
	 * on SQLite, case-sensitive on PostgreSQL). */
	const char	*ilike;
	/* Appended to a SELECT whose rows the transaction takes for itself:
	 * rows another transaction holds are passed over, not waited for
	 * (" FOR UPDATE SKIP LOCKED" on PostgreSQL; "" on SQLite, where the
	 * write transaction's lock already keeps everyone else out). */
	const char	*skip_locked;
	/* The writer's step from one job's savepoint to the next's, as one
	 * script where a statement costs a round trip to a server (NULL:
	 * RELEASE and SAVEPOINT apart, each a cached prepared statement). */
	const char	*savepoint_next;
	int		 max_params;	/* parameters one statement may carry */
};

/* db_open flags */
#define DB_CREATE	0x01	/* SQLite: make the file when it is missing */
#define DB_MIGRATE	0x02	/* apply the engine's embedded migrations */
#define DB_NO_AUTOCHECKPOINT 0x04 /* SQLite: checkpoints are run by the
				   caller (wal_autocheckpoint = 0); others:
				   nothing */

/*
 * Open the database the config names: [database] url (PostgreSQL: a
 * postgresql:// URI or a libpq "key=value" string) when set, else
 * [database] path (SQLite, with [database] synchronous).  NULL on failure,
 * with why in err (never holding a password).
 */
struct db	*db_open(const struct config *, int flags, char *err,
		    size_t errlen);
/* As db_open, by engine name ("sqlite" or "postgresql") and target (a
 * path, a URL or a libpq string); synchronous: SQLite's, or NULL. */
struct db	*db_open_target(const char *engine, const char *target,
		    const char *synchronous, int flags, char *err, size_t errlen);
void		 db_close(struct db *);

const struct db_dialect *db_dialect(const struct db *);
const char	*db_error(const struct db *);
enum db_errclass db_errclass(const struct db *);
const char	*db_errclass_name(enum db_errclass);

/* Run a script of statements without parameters or rows. */
int		 db_exec(struct db *, const char *sql);

/*
 * Transactions.  db_begin(db, 1) begins a write transaction, db_begin(db,
 * 0) a read one (the dialect's begin_write / begin_read).  Savepoint
 * names are identifiers ([A-Za-z_][A-Za-z0-9_]*); db_rollback_to rolls
 * back to the savepoint and releases it, keeping the outer transaction.
 */
int		 db_begin(struct db *, int write);
int		 db_commit(struct db *);
int		 db_rollback(struct db *);
int		 db_savepoint(struct db *, const char *name);
int		 db_release(struct db *, const char *name);
int		 db_rollback_to(struct db *, const char *name);
int		 db_in_transaction(struct db *);

/* Statements. */
struct db_stmt	*db_prepare(struct db *, const char *sql);
void		 db_finalize(struct db_stmt *);
/* Back to before the first db_step, bindings cleared. */
void		 db_reset(struct db_stmt *);

/* Bind $n (1-based); values are copied.  text must be NUL-free UTF-8
 * (NULL binds SQL NULL); a blob may hold any bytes. */
int		 db_bind_int64(struct db_stmt *, int n, int64_t);
int		 db_bind_double(struct db_stmt *, int n, double);
int		 db_bind_text(struct db_stmt *, int n, const char *);
/* As db_bind_text, but the text is lent, not copied: it must stay as it
 * is until the statement's next db_reset or db_finalize.  For hot paths
 * whose arguments outlive the statement's use (an engine may copy it
 * anyway). */
int		 db_bind_text_lent(struct db_stmt *, int n, const char *);
int		 db_bind_blob(struct db_stmt *, int n, const void *, size_t);
int		 db_bind_null(struct db_stmt *, int n);
/*
 * Bind $1.. in order by a type string: 'i' int64_t, 'd' double, 's' text
 * (const char *, NULL for NULL), 'b' blob (const void *, size_t), 'n'
 * null (no argument).
 */
int		 db_bindf(struct db_stmt *, const char *types, ...);

/* 1: a row is ready, 0: done, -1: error. */
int		 db_step(struct db_stmt *);
/* Rows the last completed INSERT, UPDATE or DELETE of this statement
 * changed. */
int64_t		 db_changes(struct db_stmt *);

/* Columns of the current row, from 0.  A NULL reads as 0, 0.0, NULL. */
int		 db_column_count(struct db_stmt *);
int		 db_column_isnull(struct db_stmt *, int col);
int64_t		 db_column_int64(struct db_stmt *, int col);
double		 db_column_double(struct db_stmt *, int col);
/* Lent (see Ownership above); NULL for SQL NULL. */
const char	*db_column_text(struct db_stmt *, int col);
const void	*db_column_blob(struct db_stmt *, int col, size_t *len);
/* A malloc'd copy of the text, the caller's to free; NULL for SQL NULL. */
char		*db_column_dup(struct db_stmt *, int col);

/*
 * Migrations.  Apply the files under dir ("schema/" matches
 * "schema/NNN-name.sql", not deeper) in files (NULL-name terminated)
 * whose number is above the database's version, in number order, each in
 * its own transaction with the new version recorded in it.  On
 * PostgreSQL each transaction holds an advisory lock, so nodes starting
 * at once apply each file once.  db_open(DB_MIGRATE) calls this with the
 * embedded files and the dialect's schema_dir.  *applied (may be NULL):
 * how many were applied by this call.
 */
int		 db_migrate(struct db *, const struct embedded_file *files,
		    const char *dir, int *applied);
/* The version recorded by the last migration applied, 0 for none. */
int		 db_schema_version(struct db *, int *version);

#endif
