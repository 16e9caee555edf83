/*
 * db_backend.h -- what a database engine provides to the front in db.c
 * (OpenSMTPD's table backends are the model): one const struct
 * db_backend per engine file, every other function there static.  Only
 * db.c and the backends include this; the store sees db.h alone.
 *
 * A backend's connection and statement structs begin with struct db and
 * struct db_stmt, which the front owns the meaning of.  The front checks
 * arguments (parameter numbers, savepoint names) before calling down, and
 * reads errors from the header: a backend that fails calls db_seterror.
 */
#ifndef GATEWAY_DB_BACKEND_H
#define GATEWAY_DB_BACKEND_H

#include "db.h"

struct db_backend;

struct db {
	const struct db_backend	*be;
	enum db_errclass	 errclass;	/* of the last failure */
	char			 error[512];
};

struct db_stmt {
	struct db		*db;
};

enum db_type { DB_T_NULL, DB_T_INT64, DB_T_DOUBLE, DB_T_TEXT, DB_T_BLOB };

struct db_value {
	enum db_type	 type;
	int64_t		 i;
	double		 d;
	const void	*p;		/* text (NUL-terminated) or blob */
	size_t		 len;		/* of the blob, or of the text */
	int		 lent;		/* text: valid until the next reset */
};

struct db_backend {
	const char		*name;		/* the engine's name in db_open_target */
	const struct db_dialect	*dialect;

	/* target: a path, URL or libpq string; synchronous: SQLite's or
	 * NULL.  Returns a struct that begins with struct db, be set. */
	struct db	*(*open)(const char *target, const char *synchronous,
			    int flags, char *err, size_t errlen);
	void		 (*close)(struct db *);
	int		 (*exec)(struct db *, const char *sql);
	int		 (*in_transaction)(struct db *);

	struct db_stmt	*(*prepare)(struct db *, const char *sql);
	void		 (*finalize)(struct db_stmt *);
	void		 (*reset)(struct db_stmt *);
	/* n: 1-based, already checked to be positive. */
	int		 (*bind)(struct db_stmt *, int n, const struct db_value *);
	int		 (*step)(struct db_stmt *);
	int64_t		 (*changes)(struct db_stmt *);
	int		 (*column_count)(struct db_stmt *);
	/* col: checked to be within column_count, and a row is current. */
	int		 (*column_isnull)(struct db_stmt *, int col);
	int64_t		 (*column_int64)(struct db_stmt *, int col);
	double		 (*column_double)(struct db_stmt *, int col);
	const char	*(*column_text)(struct db_stmt *, int col);
	const void	*(*column_blob)(struct db_stmt *, int col, size_t *len);

	/* Migrations: begin a transaction that no other migrator can run
	 * beside (SQLite: the write lock; PostgreSQL: an advisory lock,
	 * and the version table made), read and record the version. */
	int		 (*migrate_begin)(struct db *);
	int		 (*version_get)(struct db *, int *version);
	int		 (*version_set)(struct db *, int version, const char *name);
};

extern const struct db_backend db_backend_sqlite;
extern const struct db_backend db_backend_pg;

/* Record a failure on the connection. */
void	db_seterror(struct db *, enum db_errclass, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
