/*
 * db_sqlite.c -- the SQLite backend of db.h: one file in WAL mode.
 *
 * "$N" parameters are bound by name: SQLite numbers named parameters in
 * the order they first appear, so each statement keeps a map from N to
 * SQLite's index.  Prepared statements are kept per connection by their
 * text and handed out again when idle.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <time.h>

#include "db_backend.h"
#include "db_sqlite.h"
#include "util.h"

#define SQ_CACHE	128	/* statements kept prepared per connection */

struct sq_stmt {
	struct db_stmt	 hdr;
	sqlite3_stmt	*s;
	char		*sql;		/* cached ones: the key */
	int		 cached;
	int		 busy;		/* handed out, not yet finalized */
	int		 nparams;
	int		*map;		/* $N -> SQLite's index */
	int64_t		 changes;
	/* "INSERT ... RETURNING id" of one row into a rowid table, run as the
	 * INSERT alone: SQLite's RETURNING gathers its rows in a temporary
	 * table, a cost on every message, where the rowid is at hand. */
	int		 rowid_returning;
	int		 on_rowid;	/* the one row is current */
	int64_t		 rowid;
	char		 rowid_text[24];
};

struct sq_db {
	struct db	 hdr;
	sqlite3		*db;
	struct sq_stmt	*cache[SQ_CACHE];
	int		 ncache;
	uint64_t	 busy_since;	/* when the lock wait began */
};

static const struct db_dialect sq_dialect = {
	.name = "sqlite",
	.schema_dir = "schema/",
	.begin_write = "BEGIN IMMEDIATE",
	.begin_read = "BEGIN",
	.int64_type = "INTEGER",
	.real_type = "REAL",
	.blob_type = "BLOB",
	.serial_key = "INTEGER PRIMARY KEY",
	.now_epoch = "CAST(strftime('%s', 'now') AS INTEGER)",
	.random_bytes = "randomblob(%d)",
	.json_object = "json_object",
	.json_array_agg = "json_group_array",
	.strpos = "instr",
	.ilike = "LIKE",
	.skip_locked = "",
	.savepoint_next = NULL,
	.max_params = 32766,	/* SQLITE_MAX_VARIABLE_NUMBER since 3.32 */
};

static enum db_errclass
sq_class(int code)
{
	switch (code) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return DB_UNIQUE;
	/* The file was deleted or renamed under the connection: only a
	 * new open sees the database that is there now. */
	case SQLITE_READONLY_DBMOVED:
		return DB_CONNECTION;
	}
	switch (code & 0xff) {
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_RETRY;
	case SQLITE_FULL:
	case SQLITE_READONLY:
	case SQLITE_IOERR:
		return DB_STORAGE;
	}
	return DB_ERROR;
}

/*
 * SQLite's message, and for a failure of the disk what the system said:
 * "disk I/O error" alone does not tell a full disk from a read-only one.
 * SQLite keeps the errno only of some failures; else this thread's errno
 * from the call (cleared before it), when it is one a disk gives.
 */
static void
sq_fail_errno(struct sq_db *d, int sys)
{
	int ext = sqlite3_extended_errcode(d->db), code = ext & 0xff;
	int e = sqlite3_system_errno(d->db);

	if (e == 0 && (sys == ENOSPC || sys == EDQUOT || sys == EROFS ||
	    sys == EIO || sys == EACCES || sys == EPERM))
		e = sys;
	if ((code == SQLITE_IOERR || code == SQLITE_FULL ||
	    code == SQLITE_READONLY || code == SQLITE_CANTOPEN) && e != 0)
		db_seterror(&d->hdr, sq_class(ext), "%s (%s)",
		    sqlite3_errmsg(d->db), strerror(e));
	else
		db_seterror(&d->hdr, sq_class(ext), "%s", sqlite3_errmsg(d->db));
}

static void
sq_fail(struct sq_db *d)
{
	sq_fail_errno(d, 0);
}

static void
sq_free_stmt(struct sq_stmt *s)
{
	sqlite3_finalize(s->s);
	free(s->sql);
	free(s->map);
	free(s);
}

static void
sq_close(struct db *db)
{
	struct sq_db *d = (struct sq_db *)db;

	for (int i = 0; i < d->ncache; i++)
		sq_free_stmt(d->cache[i]);
	sqlite3_close(d->db);
	free(d);
}

static int
sq_exec(struct db *db, const char *sql)
{
	struct sq_db *d = (struct sq_db *)db;
	char *msg = NULL;
	int rc;

	if ((rc = sqlite3_exec(d->db, sql, NULL, NULL, &msg)) != SQLITE_OK) {
		db_seterror(db, sq_class(sqlite3_extended_errcode(d->db)), "%s",
		    msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * Waiting for a lock (another writer, or a checkpoint that must finish):
 * up to 10 s, as before, but in steps of 50 us doubling to 1 ms.  SQLite's
 * own handler sleeps 1, 2, 5, ... 25, 50, 100 ms, so a lock held for 2 ms
 * could cost the writer, and every webhook in its batch, 100 ms or more.
 */
static int
sq_busy(void *arg, int count)
{
	struct sq_db *d = arg;
	struct timespec ts = { 0, 0 };
	uint64_t now = now_ns();

	if (count == 0)
		d->busy_since = now;
	else if (now - d->busy_since > 10ULL * 1000 * 1000 * 1000)
		return 0;
	ts.tv_nsec = count < 5 ? 50000L << count : 1000000L;
	nanosleep(&ts, NULL);
	return 1;
}

static struct db *
sq_open(const char *path, const char *synchronous, int flags, char *err,
    size_t errlen)
{
	struct sq_db *d = xcalloc(1, sizeof *d);
	char pragma[160];

	if (synchronous == NULL)
		synchronous = "full";
	/* It goes into SQL text: SQLite's own words only. */
	if (strcmp(synchronous, "full") && strcmp(synchronous, "normal") &&
	    strcmp(synchronous, "off")) {
		snprintf(err, errlen, "synchronous: expected full, normal or "
		    "off");
		free(d);
		return NULL;
	}
	d->hdr.be = &db_backend_sqlite;
	if (sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READWRITE |
	    ((flags & DB_CREATE) ? SQLITE_OPEN_CREATE : 0) |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		    d->db ? sqlite3_errmsg(d->db) : "cannot open");
		sq_close(&d->hdr);
		return NULL;
	}
	sqlite3_extended_result_codes(d->db, 1);
	sqlite3_busy_handler(d->db, sq_busy, d);
	/* secure_delete: an erased number is overwritten, not only unlinked
	 * from its page. */
	snprintf(pragma, sizeof pragma, "PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = %s; PRAGMA foreign_keys = ON; "
	    "PRAGMA secure_delete = ON%s", synchronous,
	    (flags & DB_NO_AUTOCHECKPOINT) ? "; PRAGMA wal_autocheckpoint = 0" :
	    "");
	if (sq_exec(&d->hdr, pragma) == -1) {
		snprintf(err, errlen, "%s: %s", path, d->hdr.error);
		sq_close(&d->hdr);
		return NULL;
	}
	return &d->hdr;
}

static int
sq_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(((struct sq_db *)db)->db);
}

/* Map each "$N" to its index; anything but $1..$count is refused, so that
 * a statement means the same on every engine. */
static int
sq_map(struct sq_db *d, struct sq_stmt *s)
{
	int count = sqlite3_bind_parameter_count(s->s);

	s->nparams = count;
	s->map = xcalloc(count + 1, sizeof *s->map);
	for (int i = 1; i <= count; i++) {
		const char *name = sqlite3_bind_parameter_name(s->s, i);
		char *end = NULL;
		long n = 0;

		if (name && name[0] == '$' && name[1] >= '1' && name[1] <= '9')
			n = strtol(name + 1, &end, 10);
		if (n < 1 || n > count || *end != '\0' || s->map[n]) {
			db_seterror(&d->hdr, DB_ERROR, "parameter %s: write "
			    "$1..$%d, each number once or more", name ? name :
			    "?", count);
			return -1;
		}
		s->map[n] = i;
	}
	return 0;
}

/*
 * Is sql "INSERT INTO table ... RETURNING id" that makes at most one row
 * (VALUES of one row, no SELECT, no DO UPDATE, which changes a row the
 * rowid would not name) into a rowid table whose id is its INTEGER
 * PRIMARY KEY?  Then the length of the text without " RETURNING id".
 * 0: prepare it as it is.
 */
static size_t
sq_rowid_returning(struct sq_db *d, const char *sql)
{
	static const char tail[] = " RETURNING id";
	const char *type = NULL, *p;
	char table[64], probe[128];
	int pk = 0, autoinc = 0;
	size_t n = strlen(sql), len;
	sqlite3_stmt *s;

	while (n > 0 && strchr(" \t\r\n;", sql[n - 1]))
		n--;
	if (strncmp(sql, "INSERT INTO ", 12) != 0 || n < sizeof tail ||
	    strncmp(sql + n - (sizeof tail - 1), tail, sizeof tail - 1) != 0)
		return 0;
	if (strstr(sql, "SELECT") || strstr(sql, "DO UPDATE") ||
	    strstr(sql, "),") || (p = strstr(sql, " VALUES (")) == NULL)
		return 0;
	len = strspn(sql + 12, "abcdefghijklmnopqrstuvwxyz_0123456789");
	if (len == 0 || len >= sizeof table)
		return 0;
	memcpy(table, sql + 12, len);
	table[len] = '\0';
	if (sqlite3_table_column_metadata(d->db, NULL, table, "id", &type,
	    NULL, NULL, &pk, &autoinc) != SQLITE_OK || !pk || type == NULL ||
	    sqlite3_stricmp(type, "INTEGER") != 0)
		return 0;
	/* A WITHOUT ROWID table has no rowid to read. */
	snprintf(probe, sizeof probe, "SELECT rowid FROM %s LIMIT 0", table);
	if (sqlite3_prepare_v2(d->db, probe, -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_finalize(s);
	return n - (sizeof tail - 1);
}

static struct db_stmt *
sq_prepare(struct db *db, const char *sql)
{
	struct sq_db *d = (struct sq_db *)db;
	struct sq_stmt *s;
	const char *tail;
	size_t n;

	for (int i = 0; i < d->ncache; i++) {
		s = d->cache[i];
		if (!s->busy && !strcmp(s->sql, sql)) {
			s->busy = 1;
			s->changes = 0;
			return &s->hdr;
		}
	}
	s = xcalloc(1, sizeof *s);
	s->hdr.db = db;
	if ((n = sq_rowid_returning(d, sql)) > 0)
		s->rowid_returning = 1;
	if (sqlite3_prepare_v3(d->db, sql, n > 0 ? (int)n : -1,
	    d->ncache < SQ_CACHE ? SQLITE_PREPARE_PERSISTENT : 0, &s->s,
	    &tail) != SQLITE_OK) {
		sq_fail(d);
		sq_free_stmt(s);
		return NULL;
	}
	if (s->s == NULL) {
		db_seterror(db, DB_ERROR, "no statement in \"%.40s\"", sql);
		sq_free_stmt(s);
		return NULL;
	}
	tail += strspn(tail, " \t\r\n;");
	if (*tail && !s->rowid_returning) {
		db_seterror(db, DB_ERROR, "one statement at a time: \"%.40s\" "
		    "follows", tail);
		sq_free_stmt(s);
		return NULL;
	}
	if (sq_map(d, s) == -1) {
		sq_free_stmt(s);
		return NULL;
	}
	s->busy = 1;
	if (d->ncache < SQ_CACHE) {
		s->sql = xstrdup(sql);
		s->cached = 1;
		d->cache[d->ncache++] = s;
	}
	return &s->hdr;
}

static void
sq_reset(struct db_stmt *st)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	sqlite3_reset(s->s);
	sqlite3_clear_bindings(s->s);
	s->changes = 0;
	s->on_rowid = 0;
}

static void
sq_finalize(struct db_stmt *st)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	if (s->cached) {
		sq_reset(st);
		s->busy = 0;
	} else
		sq_free_stmt(s);
}

static int
sq_bind(struct db_stmt *st, int n, const struct db_value *v)
{
	struct sq_stmt *s = (struct sq_stmt *)st;
	struct sq_db *d = (struct sq_db *)st->db;
	int i, rc = SQLITE_MISUSE;

	if (n > s->nparams || (i = s->map[n]) == 0) {
		db_seterror(st->db, DB_ERROR, "no parameter $%d", n);
		return -1;
	}
	switch (v->type) {
	case DB_T_NULL:
		rc = sqlite3_bind_null(s->s, i);
		break;
	case DB_T_INT64:
		rc = sqlite3_bind_int64(s->s, i, v->i);
		break;
	case DB_T_DOUBLE:
		rc = sqlite3_bind_double(s->s, i, v->d);
		break;
	case DB_T_TEXT:
		rc = sqlite3_bind_text64(s->s, i, v->p, v->len,
		    v->lent ? SQLITE_STATIC : SQLITE_TRANSIENT, SQLITE_UTF8);
		break;
	case DB_T_BLOB:
		/* A zero-length blob is a blob, not NULL. */
		rc = v->len ? sqlite3_bind_blob64(s->s, i, v->p, v->len,
		    SQLITE_TRANSIENT) : sqlite3_bind_zeroblob(s->s, i, 0);
		break;
	}
	if (rc != SQLITE_OK) {
		sq_fail(d);
		return -1;
	}
	return 0;
}

static int
sq_step(struct db_stmt *st)
{
	struct sq_stmt *s = (struct sq_stmt *)st;
	struct sq_db *d = (struct sq_db *)st->db;

	if (s->on_rowid) {
		s->on_rowid = 0;
		return 0;
	}
	errno = 0;
	switch (sqlite3_step(s->s)) {
	case SQLITE_ROW:
		return 1;
	case SQLITE_DONE:
		s->changes = sqlite3_stmt_readonly(s->s) ? 0 :
		    sqlite3_changes64(d->db);
		if (s->rowid_returning && s->changes == 1) {
			s->rowid = sqlite3_last_insert_rowid(d->db);
			s->on_rowid = 1;
			return 1;
		}
		return 0;
	}
	sq_fail_errno(d, errno);
	return -1;
}

static int64_t
sq_changes(struct db_stmt *st)
{
	return ((struct sq_stmt *)st)->changes;
}

/* The columns of the one row of a rowid RETURNING (col is 0, checked by
 * the front against sq_column_count). */
static int
sq_column_count(struct db_stmt *st)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	return s->on_rowid ? 1 : sqlite3_data_count(s->s);
}

static int
sq_column_isnull(struct db_stmt *st, int col)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	return !s->on_rowid && sqlite3_column_type(s->s, col) == SQLITE_NULL;
}

static int64_t
sq_column_int64(struct db_stmt *st, int col)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	return s->on_rowid ? s->rowid : sqlite3_column_int64(s->s, col);
}

static double
sq_column_double(struct db_stmt *st, int col)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	return s->on_rowid ? (double)s->rowid : sqlite3_column_double(s->s,
	    col);
}

static const char *
sq_column_text(struct db_stmt *st, int col)
{
	struct sq_stmt *s = (struct sq_stmt *)st;

	if (s->on_rowid) {
		snprintf(s->rowid_text, sizeof s->rowid_text, "%lld",
		    (long long)s->rowid);
		return s->rowid_text;
	}
	return (const char *)sqlite3_column_text(s->s, col);
}

static const void *
sq_column_blob(struct db_stmt *st, int col, size_t *len)
{
	sqlite3_stmt *s = ((struct sq_stmt *)st)->s;
	const void *p;

	if (((struct sq_stmt *)st)->on_rowid) {
		p = sq_column_text(st, col);
		*len = strlen(p);
		return p;
	}

	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		return NULL;
	p = sqlite3_column_blob(s, col);
	*len = (size_t)sqlite3_column_bytes(s, col);
	/* SQLite gives NULL for a zero-length blob. */
	return p ? p : "";
}

static int
sq_migrate_begin(struct db *db)
{
	return sq_exec(db, "BEGIN IMMEDIATE");
}

/* PRAGMA user_version, as the store has always kept it. */
static int
sq_version_get(struct db *db, int *version)
{
	struct sq_db *d = (struct sq_db *)db;
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(d->db, "PRAGMA user_version", -1, &s,
	    NULL) != SQLITE_OK) {
		sq_fail(d);
		return -1;
	}
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*version = sqlite3_column_int(s, 0);
	else
		sq_fail(d);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int
sq_version_set(struct db *db, int version, const char *name)
{
	char sql[64];

	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
	return sq_exec(db, sql);
}

sqlite3 *
db_sqlite_handle(struct db *db)
{
	return db->be == &db_backend_sqlite ? ((struct sq_db *)db)->db : NULL;
}

const struct db_backend db_backend_sqlite = {
	.name = "sqlite",
	.dialect = &sq_dialect,
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.in_transaction = sq_in_transaction,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.bind = sq_bind,
	.step = sq_step,
	.changes = sq_changes,
	.column_count = sq_column_count,
	.column_isnull = sq_column_isnull,
	.column_int64 = sq_column_int64,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.column_blob = sq_column_blob,
	.migrate_begin = sq_migrate_begin,
	.version_get = sq_version_get,
	.version_set = sq_version_set,
};
