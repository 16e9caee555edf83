/*
 * db.c -- the front of the database interface: picks the engine from the
 * config, checks arguments once for every backend, and runs migrations.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db_backend.h"
#include "embedded.h"
#include "log.h"
#include "util.h"

/* The one list of engines. */
static const struct db_backend *backends[] = {
	&db_backend_sqlite,
	&db_backend_pg,
	NULL
};

void
db_seterror(struct db *db, enum db_errclass class, const char *fmt, ...)
{
	va_list ap;

	db->errclass = class;
	va_start(ap, fmt);
	vsnprintf(db->error, sizeof db->error, fmt, ap);
	va_end(ap);
}

struct db *
db_open_target(const char *engine, const char *target,
    const char *synchronous, int flags, char *err, size_t errlen)
{
	const struct db_backend *be = NULL;
	struct db *db;

	for (size_t i = 0; backends[i]; i++)
		if (!strcmp(backends[i]->name, engine))
			be = backends[i];
	if (be == NULL) {
		snprintf(err, errlen, "no database engine \"%s\"", engine);
		return NULL;
	}
	if ((db = be->open(target, synchronous, flags, err, errlen)) == NULL)
		return NULL;
	db->be = be;
	if ((flags & DB_MIGRATE) && db_migrate(db, embedded_files,
	    be->dialect->schema_dir, NULL) == -1) {
		snprintf(err, errlen, "%s", db->error);
		db_close(db);
		return NULL;
	}
	return db;
}

struct db *
db_open(const struct config *cf, int flags, char *err, size_t errlen)
{
	if (cf->db_url && *cf->db_url)
		return db_open_target("postgresql", cf->db_url, NULL, flags,
		    err, errlen);
	return db_open_target("sqlite", cf->db_path, cf->db_synchronous,
	    flags, err, errlen);
}

void
db_close(struct db *db)
{
	if (db)
		db->be->close(db);
}

const struct db_dialect *
db_dialect(const struct db *db)
{
	return db->be->dialect;
}

const char *
db_error(const struct db *db)
{
	return db->error;
}

enum db_errclass
db_errclass(const struct db *db)
{
	return db->errclass;
}

const char *
db_errclass_name(enum db_errclass c)
{
	static const char *names[] = {
		[DB_OK] = "ok", [DB_ERROR] = "error", [DB_UNIQUE] = "unique",
		[DB_CONSTRAINT] = "constraint", [DB_RETRY] = "retry",
		[DB_CONNECTION] = "connection", [DB_STORAGE] = "storage",
	};

	return (size_t)c < nitems(names) && names[c] ? names[c] : "?";
}

int
db_exec(struct db *db, const char *sql)
{
	return db->be->exec(db, sql);
}

/* --- transactions ---------------------------------------------------- */

int
db_begin(struct db *db, int write)
{
	return db->be->exec(db, write ? db->be->dialect->begin_write :
	    db->be->dialect->begin_read);
}

int
db_commit(struct db *db)
{
	return db->be->exec(db, "COMMIT");
}

int
db_rollback(struct db *db)
{
	return db->be->exec(db, "ROLLBACK");
}

int
db_in_transaction(struct db *db)
{
	return db->be->in_transaction(db);
}

/* Savepoint names go into the SQL text: identifiers only. */
static int
savepoint_sql(struct db *db, char *buf, size_t len, const char *fmt,
    const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 63 || strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") != n ||
	    (name[0] >= '0' && name[0] <= '9')) {
		db_seterror(db, DB_ERROR, "bad savepoint name \"%.64s\"", name);
		return -1;
	}
	snprintf(buf, len, fmt, name, name);
	return 0;
}

int
db_savepoint(struct db *db, const char *name)
{
	char sql[160];

	if (savepoint_sql(db, sql, sizeof sql, "SAVEPOINT %s", name) == -1)
		return -1;
	return db->be->exec(db, sql);
}

int
db_release(struct db *db, const char *name)
{
	char sql[160];

	if (savepoint_sql(db, sql, sizeof sql, "RELEASE SAVEPOINT %s",
	    name) == -1)
		return -1;
	return db->be->exec(db, sql);
}

int
db_rollback_to(struct db *db, const char *name)
{
	char sql[200];

	if (savepoint_sql(db, sql, sizeof sql, "ROLLBACK TO SAVEPOINT %s; "
	    "RELEASE SAVEPOINT %s", name) == -1)
		return -1;
	return db->be->exec(db, sql);
}

/* --- statements ------------------------------------------------------ */

struct db_stmt *
db_prepare(struct db *db, const char *sql)
{
	return db->be->prepare(db, sql);
}

void
db_finalize(struct db_stmt *st)
{
	if (st)
		st->db->be->finalize(st);
}

void
db_reset(struct db_stmt *st)
{
	st->db->be->reset(st);
}

static int
bind(struct db_stmt *st, int n, const struct db_value *v)
{
	if (n < 1 || n > st->db->be->dialect->max_params) {
		db_seterror(st->db, DB_ERROR, "no parameter $%d", n);
		return -1;
	}
	return st->db->be->bind(st, n, v);
}

int
db_bind_int64(struct db_stmt *st, int n, int64_t i)
{
	struct db_value v = { .type = DB_T_INT64, .i = i };

	return bind(st, n, &v);
}

int
db_bind_double(struct db_stmt *st, int n, double d)
{
	struct db_value v = { .type = DB_T_DOUBLE, .d = d };

	return bind(st, n, &v);
}

int
db_bind_text(struct db_stmt *st, int n, const char *s)
{
	struct db_value v = { .type = s ? DB_T_TEXT : DB_T_NULL, .p = s,
	    .len = s ? strlen(s) : 0 };

	return bind(st, n, &v);
}

int
db_bind_text_lent(struct db_stmt *st, int n, const char *s)
{
	struct db_value v = { .type = s ? DB_T_TEXT : DB_T_NULL, .p = s,
	    .len = s ? strlen(s) : 0, .lent = 1 };

	return bind(st, n, &v);
}

int
db_bind_blob(struct db_stmt *st, int n, const void *p, size_t len)
{
	struct db_value v = { .type = DB_T_BLOB, .p = p, .len = len };

	return bind(st, n, &v);
}

int
db_bind_null(struct db_stmt *st, int n)
{
	struct db_value v = { .type = DB_T_NULL };

	return bind(st, n, &v);
}

int
db_bindf(struct db_stmt *st, const char *types, ...)
{
	va_list ap;
	int n = 1, rc = 0;

	va_start(ap, types);
	for (const char *t = types; *t && rc == 0; t++, n++) {
		switch (*t) {
		case 'i':
			rc = db_bind_int64(st, n, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = db_bind_double(st, n, va_arg(ap, double));
			break;
		case 's':
			rc = db_bind_text(st, n, va_arg(ap, const char *));
			break;
		case 'b': {
			const void *p = va_arg(ap, const void *);
			rc = db_bind_blob(st, n, p, va_arg(ap, size_t));
			break;
		}
		case 'n':
			rc = db_bind_null(st, n);
			break;
		default:
			db_seterror(st->db, DB_ERROR, "db_bindf: bad type '%c'",
			    *t);
			rc = -1;
		}
	}
	va_end(ap);
	return rc;
}

int
db_step(struct db_stmt *st)
{
	return st->db->be->step(st);
}

int64_t
db_changes(struct db_stmt *st)
{
	return st->db->be->changes(st);
}

int
db_column_count(struct db_stmt *st)
{
	return st->db->be->column_count(st);
}

/* Out of range reads as NULL: a wrong column number is a bug that the
 * tests catch, not a crash in production. */
static int
col_ok(struct db_stmt *st, int col)
{
	return col >= 0 && col < st->db->be->column_count(st);
}

int
db_column_isnull(struct db_stmt *st, int col)
{
	return !col_ok(st, col) || st->db->be->column_isnull(st, col);
}

int64_t
db_column_int64(struct db_stmt *st, int col)
{
	return col_ok(st, col) ? st->db->be->column_int64(st, col) : 0;
}

double
db_column_double(struct db_stmt *st, int col)
{
	return col_ok(st, col) ? st->db->be->column_double(st, col) : 0.0;
}

const char *
db_column_text(struct db_stmt *st, int col)
{
	return col_ok(st, col) ? st->db->be->column_text(st, col) : NULL;
}

const void *
db_column_blob(struct db_stmt *st, int col, size_t *len)
{
	*len = 0;
	return col_ok(st, col) ? st->db->be->column_blob(st, col, len) : NULL;
}

char *
db_column_dup(struct db_stmt *st, int col)
{
	const char *s = db_column_text(st, col);

	return s ? xstrdup(s) : NULL;
}

/* --- migrations ------------------------------------------------------ */

struct migration {
	int				 n;
	const struct embedded_file	*f;
};

static int
migration_cmp(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->n > y->n) - (x->n < y->n);
}

int
db_schema_version(struct db *db, int *version)
{
	return db->be->version_get(db, version);
}

int
db_migrate(struct db *db, const struct embedded_file *files, const char *dir,
    int *applied)
{
	struct migration *m = NULL;
	size_t nm = 0, dirlen = strlen(dir);
	int version, rc = -1, count = 0;

	if (applied)
		*applied = 0;
	/* "dir/NNN-name.sql", not in a folder below dir. */
	for (const struct embedded_file *f = files; f->name; f++) {
		const char *rest = f->name + dirlen;
		int n, len = 0;

		if (strncmp(f->name, dir, dirlen) != 0 ||
		    strchr(rest, '/') != NULL ||
		    sscanf(rest, "%d-%n", &n, &len) != 1 || len == 0 || n < 1)
			continue;
		m = xrealloc(m, (nm + 1) * sizeof *m);
		m[nm].n = n;
		m[nm].f = f;
		nm++;
	}
	qsort(m, nm, sizeof *m, migration_cmp);
	for (size_t i = 1; i < nm; i++)
		if (m[i].n == m[i - 1].n) {
			db_seterror(db, DB_ERROR, "migrations %s and %s have "
			    "the same number", m[i - 1].f->name, m[i].f->name);
			goto out;
		}
	/* The usual start: nothing to do, one query, no lock. */
	if (db->be->version_get(db, &version) == -1)
		goto out;
	for (size_t i = 0; i < nm; i++) {
		int now;

		if (m[i].n <= version)
			continue;
		if (db->be->migrate_begin(db) == -1)
			goto out;
		/* Again under the lock: another node may have applied it. */
		if (db->be->version_get(db, &now) == -1)
			goto fail;
		if (now < m[i].n) {
			if (db->be->exec(db, m[i].f->data) == -1 ||
			    db->be->version_set(db, m[i].n, m[i].f->name) == -1)
				goto fail;
			count++;
		}
		if (db->be->exec(db, "COMMIT") == -1)
			goto fail;
		if (now < m[i].n)
			log_debug("db: applied %s", m[i].f->name);
		version = now > m[i].n ? now : m[i].n;
		continue;
fail: {
		char why[sizeof db->error];
		enum db_errclass class = db->errclass;

		memcpy(why, db->error, sizeof why);
		if (db->be->in_transaction(db))
			db->be->exec(db, "ROLLBACK");
		db_seterror(db, class, "migration %s: %s", m[i].f->name, why);
		goto out;
	}
	}
	rc = 0;
out:
	if (applied)
		*applied = count;
	free(m);
	return rc;
}
