/*
 * store_impl.h -- what the store's files share, and nothing outside them
 * sees: the struct store, the helpers every file uses, and the engine
 * operations (struct store_engine), one const struct per engine
 * (store_sqlite.c, store_pg.c; OpenSMTPD's table backends are the model).
 *
 * The store is written once against db.h.  What the engines do not share
 * at all (WAL checkpoints, the file-moved check, data_version, the WAL
 * hook of the postcode import) is an engine operation; SQL that differs
 * only in a function's name is spliced from the dialect (db_dialect).
 */
#ifndef GATEWAY_STORE_IMPL_H
#define GATEWAY_STORE_IMPL_H

#include <stdarg.h>
#include <stdint.h>

#include "db.h"
#include "store.h"

/* The geocoding look-ups, prepared at open: the hottest reads. */
enum store_stmt_id {
	STORE_ST_UNIT,
	STORE_ST_SECTOR,
	STORE_ST_DISTRICT,
	STORE_ST_AREA,
	STORE_ST_COUNT
};

#define STORE_CACHE	128	/* statements kept prepared per connection */

struct store {
	struct db			*db;
	const struct db_dialect		*dl;
	const struct store_engine	*eng;
	struct db_stmt			*stmt[STORE_ST_COUNT];
	/* Statements by the address of their SQL text: every query is a
	 * string literal (or a text made once per connection, below), so
	 * the address names it. */
	struct {
		const char	*sql;
		struct db_stmt	*s;
	}				 cache[STORE_CACHE];
	int				 ncache;
	int				 read_depth;	/* store_read_begin calls open */
	int				 read_own;	/* the outermost one began it */
	int64_t				 changes;	/* rows the last store_run changed */
	unsigned char			 supkey[32];	/* the suppression key, once read */
	int				 have_supkey;
	/* The JSON image of a branch and a region, in this engine's words. */
	char				 branch_json[1024];
	char				 region_json[768];
	/* The outbox's claim, with the dialect's skip_locked (made at the
	 * first claim). */
	char				 outbox_claim[512];
	char				 error[512];
};

/* The phases of a postcode import, for store_engine.import_tune. */
enum store_import_phase {
	STORE_IMPORT_BUILD,	/* before the side tables are built */
	STORE_IMPORT_SWAP,	/* before the one transaction that swaps */
	STORE_IMPORT_SWAPPED,	/* after it, tidying up */
	STORE_IMPORT_END,	/* done or failed: the connection as it was */
};

/* What import_tune keeps between phases; zeroed by the import. */
struct store_import_tune {
	int64_t		 synchronous;	/* SQLite: the connection's, restored */
	int64_t		 autocheckpoint;
	int		 saved;		/* the two above were read */
	int		 locked;	/* PostgreSQL: the import's lock held */
	int		*frames;	/* SQLite: in the WAL after each commit */
};

/*
 * What one engine does that the other does not.  Every operation takes a
 * store open on that engine.
 */
struct store_engine {
	const char	*name;			/* the dialect's name */
	/* 1 when the database opened is no longer where it was, 0, -1. */
	int		 (*file_moved)(struct store *);
	/* One checkpoint of the write-ahead log; *frames: its length after. */
	int		 (*checkpoint)(struct store *, enum store_checkpoint,
			    int *frames);
	/* A number that changes when another connection writes (at least
	 * to the directory); -1 (error set) when it cannot be had. */
	int64_t		 (*data_version)(struct store *);
	/* After an erasure: make the erased rows leave the disk.  1 done,
	 * 0 not (logged). */
	int		 (*scrub)(struct store *);
	/* The file an import's lock sits beside ("" for none). */
	const char	*(*path)(struct store *);
	/* 1 when the table exists, 0, -1. */
	int		 (*table_exists)(struct store *, const char *table);
	/*
	 * The postcode import's settings for its phase: durability relaxed
	 * while the side tables are built (nothing reads them until the
	 * swap, whose commit is durable), the hold on the write-ahead log
	 * (SQLite), one import at a time where no file lock serves
	 * (PostgreSQL).  END undoes what the others did, whatever failed.
	 */
	int		 (*import_tune)(struct store *, enum store_import_phase,
			    struct store_import_tune *);
	/* After a side table's columns: " WITHOUT ROWID", "". */
	const char	*import_table_opts;
	/* The column type of a unit's country, as postcodes has it. */
	const char	*import_country_type;
	/* Drop a big table a few thousand rows a transaction first
	 * (SQLite's DROP frees every page inside its transaction;
	 * PostgreSQL's unlinks the files). */
	int		 import_drop_in_steps;
	/* A lock named job held by this connection until released or
	 * closed (store_job_try): 1 held, 0 another connection holds it,
	 * -1.  release: 0 or -1. */
	int		 (*job_try)(struct store *, const char *job);
	int		 (*job_release)(struct store *, const char *job);
};

extern const struct store_engine store_engine_sqlite;
extern const struct store_engine store_engine_pg;

/* Errors: into st->error. */
void		 store_seterror(struct store *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* The connection's last error, into st->error. */
void		 store_dberror(struct store *);

/* A script of statements without parameters or rows. */
int		 store_exec(struct store *, const char *sql);

/*
 * A prepared statement for sql, kept per connection by the address of
 * sql (a literal, or st's own text).  Give it back with store_done, which
 * resets it for the next use.
 */
struct db_stmt	*store_stmt(struct store *, const char *sql);
void		 store_done(struct store *, struct db_stmt *);
/* A statement of its own (not cached), for one-off reads: db_finalize. */
struct db_stmt	*store_prepare(struct store *, const char *sql);

/*
 * Bind $1.. by a type string: 's' text (lent: it must outlive the use of
 * the statement), 'i' int64_t, 'd' double, 'D' double or NULL when NaN,
 * 'I' int64_t or NULL when 0.
 */
int		 store_bindv(struct store *, struct db_stmt *, const char *types,
		    va_list);
/* Prepare (cached), bind, step to the end; st->changes the rows changed.
 * 0 or -1. */
int		 store_run(struct store *, const char *sql, const char *types,
		    ...);
/* One integer from the first row: -1 error, 0 no row, 1 found.  Also for
 * INSERT ... RETURNING id. */
int		 store_query_int(struct store *, int64_t *out, const char *sql,
		    const char *types, ...);
/* A malloc'd copy of a column, "" for NULL. */
char		*store_col_dup(struct db_stmt *, int col);
/* A copy of a column into buf, "" for NULL. */
void		 store_col_copy(struct db_stmt *, int col, char *buf,
		    size_t len);

/* An audit row, now. */
int		 store_audit(struct store *, const char *actor,
		    const char *action, const char *record, const char *before,
		    const char *after);
/* The keyed hash an erased number is kept as, hex, into out[65]. */
int		 store_suppression_hash(struct store *, const char *phone,
		    char *out);

#endif
