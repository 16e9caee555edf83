/*
 * test_db.c -- the database interface (gateway/db.h): one table of cases,
 * run against every engine at hand.
 *
 *   test_db            SQLite, and PostgreSQL too when PG_URL is set
 *   test_db pg         PostgreSQL only (tests/cli/t065-db-pg.sh, which
 *                      starts a scratch server with tests/pg.sh)
 *
 * PG_URL is a libpq "key=value" string; each case gets a schema of its
 * own in that database (search_path), SQLite a file of its own.  PG_STOP,
 * when set, is a command that stops the server: the last case runs it and
 * expects a lost connection, not a crash.  Ends "N passed, N failed".
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "embedded.h"
#include "log.h"
#include "util.h"

struct env {
	const char	*engine;	/* "sqlite", "postgresql" */
	const char	*name;		/* the case's */
	char		 target[1024];
	char		 schema[32];
	int		 failed;
};

static char tmpdir[] = "/tmp/test_db.XXXXXX";
static int passed, failed, ncase;

static void
fail(struct env *e, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(struct env *e, int line, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: %s: %s (line %d): ", e->engine, e->name, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	e->failed = 1;
}

#define CHECK(e, cond) do {						\
	if (!(cond)) {							\
		fail(e, __LINE__, "%s", #cond);				\
		return;							\
	}								\
} while (0)
/* A call that must succeed; db_error says why not. */
#define OK(e, db, call) do {						\
	if ((call) == -1) {						\
		fail(e, __LINE__, "%s: %s (%s)", #call, db_error(db),	\
		    db_errclass_name(db_errclass(db)));			\
		return;							\
	}								\
} while (0)

/* A connection to the case's own database (SQLite) or schema. */
static struct db *
open_case(struct env *e, int flags)
{
	char err[512];
	struct db *db;

	db = db_open_target(e->engine, e->target, "normal", flags | DB_CREATE,
	    err, sizeof err);
	if (db == NULL)
		fail(e, __LINE__, "open: %s", err);
	return db;
}

/* One int64 from a query with text parameters; INT64_MIN on failure. */
static int64_t
one(struct db *db, const char *sql, const char *types, ...)
{
	struct db_stmt *st;
	va_list ap;
	int64_t v = INT64_MIN;
	int n = 1;

	if ((st = db_prepare(db, sql)) == NULL)
		return v;
	va_start(ap, types);
	for (const char *t = types; *t; t++, n++)
		if (*t == 'i')
			db_bind_int64(st, n, va_arg(ap, int64_t));
		else
			db_bind_text(st, n, va_arg(ap, const char *));
	va_end(ap);
	if (db_step(st) == 1)
		v = db_column_int64(st, 0);
	db_finalize(st);
	return v;
}

/* --- the cases -------------------------------------------------------- */

static void
t_types(struct env *e, struct db *db)
{
	static const unsigned char zeros[] = { 0, 1, 0, 0xff, 0 };
	static const struct {
		int64_t		 i;
		double		 d;
		const char	*s;		/* NULL: SQL NULL */
		const unsigned char *b;		/* NULL: SQL NULL */
		size_t		 blen;
	} rows[] = {
		{ 0, 0.0, "", zeros, 0 },
		{ 1, -2.5, "Jane Smith", zeros, sizeof zeros },
		{ -1, 0.1, NULL, NULL, 0 },
		{ INT64_MAX, 1e300, "Zo\xc3\xab \xc5\x8ckubo \xe6\x97\xa5\xe6"
		    "\x9c\xac \xf0\x9f\x99\x82", (const unsigned char *)"x", 1 },
		{ INT64_MIN, -51.501009, "O'Brien \"q\" \\ $1 ?", zeros, 1 },
		{ (INT64_C(1) << 53) + 1, 5e-324, "SE1 7PB", zeros + 1, 3 },
	};
	const struct db_dialect *dl = db_dialect(db);
	char sql[256];

	snprintf(sql, sizeof sql, "CREATE TABLE t (id %s, i %s, d %s, "
	    "s text, b %s)", dl->serial_key, dl->int64_type, dl->real_type,
	    dl->blob_type);
	OK(e, db, db_exec(db, sql));
	for (size_t r = 0; r < nitems(rows); r++) {
		struct db_stmt *st;
		int64_t id;
		size_t len;
		const void *p;
		const char *s;

		/* Parameters out of order: $N is N on both engines. */
		st = db_prepare(db, "INSERT INTO t (s, b, i, d) VALUES ($3, "
		    "$4, $1, $2) RETURNING id");
		CHECK(e, st != NULL);
		OK(e, db, db_bind_int64(st, 1, rows[r].i));
		OK(e, db, db_bind_double(st, 2, rows[r].d));
		OK(e, db, db_bind_text(st, 3, rows[r].s));
		if (rows[r].b)
			OK(e, db, db_bind_blob(st, 4, rows[r].b, rows[r].blen));
		else
			OK(e, db, db_bind_null(st, 4));
		if (db_step(st) != 1) {
			fail(e, __LINE__, "row %zu: %s", r, db_error(db));
			db_finalize(st);
			return;
		}
		id = db_column_int64(st, 0);
		CHECK(e, db_step(st) == 0);
		CHECK(e, db_changes(st) == 1);
		db_finalize(st);

		st = db_prepare(db, "SELECT i, d, s, b FROM t WHERE id = $1");
		CHECK(e, st != NULL);
		OK(e, db, db_bindf(st, "i", id));
		CHECK(e, db_step(st) == 1);
		CHECK(e, db_column_count(st) == 4);
		if (db_column_int64(st, 0) != rows[r].i)
			fail(e, __LINE__, "row %zu: int64 %lld", r,
			    (long long)db_column_int64(st, 0));
		if (db_column_double(st, 1) != rows[r].d)
			fail(e, __LINE__, "row %zu: double %.17g", r,
			    db_column_double(st, 1));
		s = db_column_text(st, 2);
		if (rows[r].s == NULL ? s != NULL || !db_column_isnull(st, 2) :
		    s == NULL || strcmp(s, rows[r].s) || db_column_isnull(st, 2))
			fail(e, __LINE__, "row %zu: text [%s]", r, s ? s : "NULL");
		p = db_column_blob(st, 3, &len);
		if (rows[r].b == NULL ? p != NULL || !db_column_isnull(st, 3) :
		    p == NULL || len != rows[r].blen ||
		    memcmp(p, rows[r].b, len))
			fail(e, __LINE__, "row %zu: blob of %zu bytes%s", r, len,
			    p ? "" : " (NULL)");
		char *dup = db_column_dup(st, 2);
		if ((dup == NULL) != (rows[r].s == NULL))
			fail(e, __LINE__, "row %zu: dup", r);
		free(dup);
		CHECK(e, db_step(st) == 0);
		db_finalize(st);
		if (e->failed)
			return;
	}
	/* Empty text and NULL are two things. */
	CHECK(e, one(db, "SELECT count(*) FROM t WHERE s = ''", "") == 1);
	CHECK(e, one(db, "SELECT count(*) FROM t WHERE s IS NULL", "") == 1);
	CHECK(e, one(db, "SELECT count(*) FROM t WHERE b IS NULL", "") == 1);
}

static void
t_params(struct env *e, struct db *db)
{
	struct db_stmt *st;

	st = db_prepare(db, "SELECT $2, $1, $1 || $2");
	CHECK(e, st != NULL);
	OK(e, db, db_bindf(st, "ss", "a", "b"));
	CHECK(e, db_step(st) == 1);
	CHECK(e, !strcmp(db_column_text(st, 0), "b"));
	CHECK(e, !strcmp(db_column_text(st, 1), "a"));
	CHECK(e, !strcmp(db_column_text(st, 2), "ab"));
	/* Out of range reads as NULL. */
	CHECK(e, db_column_text(st, 3) == NULL && db_column_isnull(st, 7));
	/* Bound again after a reset. */
	db_reset(st);
	OK(e, db, db_bindf(st, "ss", "x", "y"));
	CHECK(e, db_step(st) == 1 && !strcmp(db_column_text(st, 2), "xy"));
	db_finalize(st);
	CHECK(e, one(db, "SELECT $1 + 1", "i", INT64_C(1) << 40) ==
	    (INT64_C(1) << 40) + 1);
	/* "$N" in a literal, a quoted name or a comment is not one. */
	CHECK(e, one(db, "SELECT length('$9' || $1) AS \"$8\" -- $7\n"
	    "/* $6 */", "s", "ab") == 4);

	/* One placeholder style: ? is refused, at prepare or first step. */
	st = db_prepare(db, "SELECT ?");
	if (st) {
		CHECK(e, db_step(st) == -1);
		db_finalize(st);
	}
	/* A parameter the statement does not have: refused at bind or at
	 * step. */
	st = db_prepare(db, "SELECT $1");
	CHECK(e, st != NULL);
	CHECK(e, db_bind_int64(st, 0, 1) == -1);
	int b = db_bind_int64(st, 2, 1), s = db_step(st);
	db_finalize(st);
	CHECK(e, b == -1 || s == -1);
	/* One not bound is NULL. */
	CHECK(e, (st = db_prepare(db, "SELECT $1, $2")) != NULL);
	OK(e, db, db_bind_text(st, 2, "x"));
	CHECK(e, db_step(st) == 1 && db_column_isnull(st, 0) &&
	    !strcmp(db_column_text(st, 1), "x"));
	db_finalize(st);
	/* Text is NUL-free: a NUL in it is caught, not truncated silently
	 * on one engine and kept on another (db_bind_text takes a C string,
	 * so only a blob can carry one). */
}

/* The same text prepared while it is being stepped: two statements. */
static void
t_nested(struct env *e, struct db *db)
{
	static const char *sel = "SELECT x FROM n ORDER BY x";
	struct db_stmt *a, *b;
	int64_t sum = 0;

	OK(e, db, db_exec(db, "CREATE TABLE n (x integer); "
	    "INSERT INTO n VALUES (1); INSERT INTO n VALUES (2)"));
	CHECK(e, (a = db_prepare(db, sel)) != NULL);
	while (db_step(a) == 1) {
		CHECK(e, (b = db_prepare(db, sel)) != NULL);
		while (db_step(b) == 1)
			sum += db_column_int64(a, 0) * db_column_int64(b, 0);
		db_finalize(b);
	}
	db_finalize(a);
	CHECK(e, sum == 1 * 3 + 2 * 3);
}

static void
t_returning(struct env *e, struct db *db)
{
	const struct db_dialect *dl = db_dialect(db);
	struct db_stmt *st;
	char sql[200];

	snprintf(sql, sizeof sql, "CREATE TABLE r (id %s, v text)",
	    dl->serial_key);
	OK(e, db, db_exec(db, sql));
	for (int i = 1; i <= 3; i++)
		CHECK(e, one(db, "INSERT INTO r (v) VALUES ($1) RETURNING id",
		    "s", "a") == i);
	CHECK(e, (st = db_prepare(db, "UPDATE r SET v = $1 WHERE id >= $2 "
	    "RETURNING id")) != NULL);
	OK(e, db, db_bindf(st, "si", "b", (int64_t)2));
	int rows = 0;
	while (db_step(st) == 1)
		rows++;
	CHECK(e, rows == 2 && db_changes(st) == 2);
	db_finalize(st);
	CHECK(e, (st = db_prepare(db, "DELETE FROM r WHERE v = $1")) != NULL);
	OK(e, db, db_bindf(st, "s", "b"));
	CHECK(e, db_step(st) == 0 && db_changes(st) == 2);
	db_finalize(st);
	/* ON CONFLICT, as both engines write it. */
	OK(e, db, db_exec(db, "CREATE TABLE k (k text PRIMARY KEY, n integer)"));
	for (int i = 0; i < 3; i++)
		CHECK(e, one(db, "INSERT INTO k (k, n) VALUES ($1, 1) ON "
		    "CONFLICT (k) DO UPDATE SET n = k.n + 1 RETURNING n", "s",
		    "a") == i + 1);
	CHECK(e, (st = db_prepare(db, "INSERT INTO k (k, n) VALUES ($1, 9) "
	    "ON CONFLICT DO NOTHING")) != NULL);
	OK(e, db, db_bindf(st, "s", "a"));
	CHECK(e, db_step(st) == 0 && db_changes(st) == 0);
	db_finalize(st);
	/* A claim: the new row's id, then no row for the same key (the
	 * store's inbound claim; SQLite runs it without RETURNING's
	 * temporary table). */
	snprintf(sql, sizeof sql, "CREATE TABLE c (id %s, v text UNIQUE)",
	    dl->serial_key);
	OK(e, db, db_exec(db, sql));
	int64_t last = 0;
	for (int i = 0; i < 4; i++) {
		static const char *keys[] = { "x", "x", "y", "x" };
		static const int isnew[] = { 1, 0, 1, 0 };
		CHECK(e, (st = db_prepare(db, "INSERT INTO c (v) VALUES ($1) "
		    "ON CONFLICT (v) DO NOTHING RETURNING id")) != NULL);
		OK(e, db, db_bindf(st, "s", keys[i]));
		/* A new id, above the last (PostgreSQL's sequence also
		 * moves on for the insert that conflicted). */
		if (isnew[i]) {
			CHECK(e, db_step(st) == 1 && db_column_count(st) == 1 &&
			    db_column_int64(st, 0) > last &&
			    !db_column_isnull(st, 0));
			last = db_column_int64(st, 0);
			CHECK(e, db_step(st) == 0 && db_changes(st) == 1);
		} else
			CHECK(e, db_step(st) == 0 && db_changes(st) == 0);
		db_finalize(st);
	}
	CHECK(e, one(db, "SELECT id FROM c WHERE v = $1", "s", "y") == last);
}

static void
t_errors(struct env *e, struct db *db)
{
	struct db_stmt *st;

	OK(e, db, db_exec(db, "CREATE TABLE u (phone text PRIMARY KEY, "
	    "n integer NOT NULL CHECK (n > 0))"));
	CHECK(e, one(db, "INSERT INTO u VALUES ($1, 1) RETURNING 1", "s",
	    "+447700900123") == 1);
	CHECK(e, (st = db_prepare(db, "INSERT INTO u VALUES ($1, $2)")) != NULL);
	OK(e, db, db_bindf(st, "si", "+447700900123", (int64_t)1));
	CHECK(e, db_step(st) == -1);
	CHECK(e, db_errclass(db) == DB_UNIQUE);
	/* The error names the constraint, never the number. */
	CHECK(e, strstr(db_error(db), "900123") == NULL);
	CHECK(e, *db_error(db) != '\0');
	db_reset(st);
	OK(e, db, db_bindf(st, "si", "+447700900124", (int64_t)0));
	CHECK(e, db_step(st) == -1 && db_errclass(db) == DB_CONSTRAINT);
	db_reset(st);
	OK(e, db, db_bindf(st, "sn", "+447700900125"));
	CHECK(e, db_step(st) == -1 && db_errclass(db) == DB_CONSTRAINT);
	db_finalize(st);
	CHECK(e, db_exec(db, "SELECT nonsense FROM nowhere") == -1);
	CHECK(e, db_errclass(db) == DB_ERROR);
	CHECK(e, db_savepoint(db, "x; DROP TABLE u") == -1);
	CHECK(e, one(db, "SELECT count(*) FROM u", "") == 1);
}

static void
t_savepoint(struct env *e, struct db *db)
{
	struct db_stmt *st;

	OK(e, db, db_exec(db, "CREATE TABLE s (k text PRIMARY KEY)"));
	CHECK(e, !db_in_transaction(db));
	OK(e, db, db_begin(db, 1));
	CHECK(e, db_in_transaction(db));
	CHECK(e, one(db, "INSERT INTO s VALUES ($1) RETURNING 1", "s", "a") == 1);
	OK(e, db, db_savepoint(db, "sp"));
	CHECK(e, one(db, "INSERT INTO s VALUES ($1) RETURNING 1", "s", "b") == 1);
	CHECK(e, (st = db_prepare(db, "INSERT INTO s VALUES ($1)")) != NULL);
	OK(e, db, db_bindf(st, "s", "a"));
	CHECK(e, db_step(st) == -1 && db_errclass(db) == DB_UNIQUE);
	db_finalize(st);
	/* Back to the savepoint: b is gone, a and the transaction stay. */
	OK(e, db, db_rollback_to(db, "sp"));
	CHECK(e, db_in_transaction(db));
	CHECK(e, one(db, "INSERT INTO s VALUES ($1) RETURNING 1", "s", "c") == 1);
	OK(e, db, db_savepoint(db, "sp2"));
	CHECK(e, one(db, "INSERT INTO s VALUES ($1) RETURNING 1", "s", "d") == 1);
	OK(e, db, db_release(db, "sp2"));
	OK(e, db, db_commit(db));
	CHECK(e, !db_in_transaction(db));
	CHECK(e, one(db, "SELECT count(*) FROM s WHERE k IN ('a', 'c', 'd')",
	    "") == 3);
	CHECK(e, one(db, "SELECT count(*) FROM s", "") == 3);

	OK(e, db, db_begin(db, 1));
	CHECK(e, one(db, "INSERT INTO s VALUES ($1) RETURNING 1", "s", "e") == 1);
	OK(e, db, db_rollback(db));
	CHECK(e, one(db, "SELECT count(*) FROM s", "") == 3);
	/* A read transaction sees its rows. */
	OK(e, db, db_begin(db, 0));
	CHECK(e, one(db, "SELECT count(*) FROM s", "") == 3);
	OK(e, db, db_commit(db));
}

static void
t_dialect(struct env *e, struct db *db)
{
	const struct db_dialect *dl = db_dialect(db);
	struct db_stmt *st;
	char sql[300];
	size_t len;

	snprintf(sql, sizeof sql, "SELECT %s('SE1 7PB', ' '), 'Camden' %s "
	    "'camden', %s IS NOT NULL, " , dl->strpos, dl->ilike,
	    dl->now_epoch);
	snprintf(sql + strlen(sql), sizeof sql - strlen(sql), dl->random_bytes,
	    16);
	CHECK(e, (st = db_prepare(db, sql)) != NULL);
	if (db_step(st) != 1) {
		fail(e, __LINE__, "%s: %s", sql, db_error(db));
		db_finalize(st);
		return;
	}
	CHECK(e, db_column_int64(st, 0) == 4);
	CHECK(e, db_column_int64(st, 1) == 1);
	CHECK(e, db_column_int64(st, 2) == 1);
	CHECK(e, db_column_blob(st, 3, &len) != NULL && len == 16);
	db_finalize(st);
}

/* The sum of the ids a claim of n rows takes (the dialect's skip_locked
 * in the inner SELECT, as the outbox writes it); INT64_MIN on failure. */
static int64_t
claim(struct db *db, int n)
{
	char sql[300];
	struct db_stmt *st;
	int64_t sum = 0;
	int rc;

	snprintf(sql, sizeof sql, "UPDATE q SET state = 'taken' WHERE id IN "
	    "(SELECT id FROM q WHERE state = 'queued' ORDER BY id LIMIT $1%s) "
	    "RETURNING id", db_dialect(db)->skip_locked);
	if ((st = db_prepare(db, sql)) == NULL)
		return INT64_MIN;
	if (db_bind_int64(st, 1, n) == -1)
		rc = -1;
	else
		while ((rc = db_step(st)) == 1)
			sum += db_column_int64(st, 0);
	db_finalize(st);
	return rc == -1 ? INT64_MIN : sum;
}

static void
t_claim_setup(struct env *e, struct db *db)
{
	OK(e, db, db_exec(db, "CREATE TABLE q (id integer PRIMARY KEY, "
	    "state text NOT NULL); INSERT INTO q VALUES (1, 'queued'), "
	    "(2, 'queued'), (3, 'queued'), (4, 'queued'), (5, 'done')"));
}

/* A claim takes due rows in one statement, oldest first, each once. */
static void
t_claim(struct env *e, struct db *db)
{
	t_claim_setup(e, db);
	if (e->failed)
		return;
	OK(e, db, db_begin(db, 1));
	CHECK(e, claim(db, 2) == 1 + 2);
	CHECK(e, claim(db, 5) == 3 + 4);
	CHECK(e, claim(db, 5) == 0);
	OK(e, db, db_commit(db));
}

/* PostgreSQL: a second node's claim passes over the rows the first one's
 * transaction holds, without waiting for it, and takes them once they
 * are given back. */
static void
t_claim_skip(struct env *e, struct db *db)
{
	struct db *other;

	t_claim_setup(e, db);
	if (e->failed || (other = open_case(e, 0)) == NULL)
		return;
	if (db_begin(db, 1) == -1 || claim(db, 2) != 1 + 2 ||
	    db_begin(other, 1) == -1)
		fail(e, __LINE__, "first claim: %s", db_error(db));
	else if (claim(other, 5) != 3 + 4)
		fail(e, __LINE__, "second claim: %s", db_error(other));
	else if (db_commit(other) == -1 || db_rollback(db) == -1)
		fail(e, __LINE__, "end: %s", db_error(other));
	else if (db_begin(other, 1) == -1 || claim(other, 5) != 1 + 2 ||
	    db_commit(other) == -1)
		fail(e, __LINE__, "after the rollback: %s", db_error(other));
	db_close(other);
}

/* Migrations from a table of files: in number order, once, each whole. */
static void
t_migrate(struct env *e, struct db *db)
{
	static const struct embedded_file files[] = {
		{ "t/002-fill.sql", "INSERT INTO m VALUES (2)", 0 },
		{ "t/001-make.sql", "CREATE TABLE m (x integer)", 0 },
		{ "t/sub/003-deeper.sql", "INSERT INTO m VALUES (3)", 0 },
		{ "u/003-other.sql", "INSERT INTO m VALUES (3)", 0 },
		{ "t/notanumber.sql", "INSERT INTO m VALUES (3)", 0 },
		{ NULL, NULL, 0 },
	};
	static const struct embedded_file bad[] = {
		{ "t/001-make.sql", "CREATE TABLE m (x integer)", 0 },
		{ "t/002-fill.sql", "INSERT INTO m VALUES (2)", 0 },
		{ "t/003-broken.sql", "INSERT INTO m VALUES (4); "
		    "SELECT nonsense FROM nowhere", 0 },
		{ NULL, NULL, 0 },
	};
	int applied, version;

	OK(e, db, db_schema_version(db, &version));
	CHECK(e, version == 0);
	OK(e, db, db_migrate(db, files, "t/", &applied));
	CHECK(e, applied == 2);
	OK(e, db, db_schema_version(db, &version));
	CHECK(e, version == 2);
	OK(e, db, db_migrate(db, files, "t/", &applied));
	CHECK(e, applied == 0);
	CHECK(e, one(db, "SELECT count(*) FROM m", "") == 1);
	/* A failing file leaves nothing of itself, and says which it was. */
	CHECK(e, db_migrate(db, bad, "t/", &applied) == -1);
	CHECK(e, strstr(db_error(db), "t/003-broken.sql") != NULL);
	CHECK(e, !db_in_transaction(db));
	OK(e, db, db_schema_version(db, &version));
	CHECK(e, version == 2);
	CHECK(e, one(db, "SELECT count(*) FROM m", "") == 1);
}

/* The gateway's own schema, from the embedded files of the engine. */
static void
t_schema(struct env *e, struct db *db)
{
	const struct db_dialect *dl = db_dialect(db);
	struct db *again;
	struct db_stmt *st;
	int applied, version, newest = 0;
	size_t len, dirlen = strlen(dl->schema_dir);

	for (const struct embedded_file *f = embedded_files; f->name; f++) {
		int n;
		if (!strncmp(f->name, dl->schema_dir, dirlen) &&
		    !strchr(f->name + dirlen, '/') &&
		    sscanf(f->name + dirlen, "%d-", &n) == 1 && n > newest)
			newest = n;
	}
	CHECK(e, newest >= 7);
	OK(e, db, db_migrate(db, embedded_files, dl->schema_dir, &applied));
	CHECK(e, applied == newest);
	/* A second open migrates nothing. */
	CHECK(e, (again = open_case(e, DB_MIGRATE)) != NULL);
	OK(e, again, db_migrate(again, embedded_files, dl->schema_dir,
	    &applied));
	CHECK(e, applied == 0);
	OK(e, again, db_schema_version(again, &version));
	db_close(again);
	CHECK(e, version == newest);

	/* Names are unique whatever their case, on both engines. */
	CHECK(e, one(db, "INSERT INTO regions (name) VALUES ($1) RETURNING "
	    "id", "s", "London") >= 1);
	CHECK(e, one(db, "INSERT INTO regions (name) VALUES ($1) RETURNING "
	    "id", "s", "lONDON") == INT64_MIN);
	CHECK(e, db_errclass(db) == DB_UNIQUE);
	CHECK(e, one(db, "SELECT count(*) FROM regions WHERE name = $1", "s",
	    "LONDON") == 1);
	/* The directory's version moved. */
	CHECK(e, one(db, "SELECT version FROM directory_version", "") > 1);
	CHECK(e, (st = db_prepare(db, "SELECT value FROM secrets WHERE "
	    "name = 'suppression'")) != NULL);
	CHECK(e, db_step(st) == 1);
	CHECK(e, db_column_blob(st, 0, &len) != NULL && len == 32);
	db_finalize(st);
	/* The columns later migrations added. */
	CHECK(e, one(db, "INSERT INTO outbox (idem_key, channel, recipient, "
	    "body, purpose, next_attempt_at, created_at, updated_at) VALUES "
	    "($1, 'sms', '+447700900123', 'hi', 'reply', 0, 0, 0) RETURNING "
	    "inline", "s", "k1") == 0);
	CHECK(e, one(db, "INSERT INTO postcodes (postcode, lat, lon, country) "
	    "VALUES ($1, 51501009, -116000, 1) RETURNING country", "s",
	    "SE1 7PB") == 1);
}

/* Openers at once (nodes starting together) apply each file once. */
struct racer {
	struct env		*e;
	pthread_barrier_t	*go;
	int			 applied, rc;
	char			 err[512];
};

static void *
race(void *arg)
{
	struct racer *r = arg;
	struct db *db;

	db = db_open_target(r->e->engine, r->e->target, "normal", DB_CREATE,
	    r->err, sizeof r->err);
	pthread_barrier_wait(r->go);
	if (db == NULL) {
		r->rc = -1;
		return NULL;
	}
	r->rc = db_migrate(db, embedded_files, db_dialect(db)->schema_dir,
	    &r->applied);
	if (r->rc == -1)
		snprintf(r->err, sizeof r->err, "%s", db_error(db));
	db_close(db);
	return NULL;
}

static void
t_concurrent(struct env *e, struct db *db)
{
	enum { N = 4 };
	struct racer r[N];
	pthread_t th[N];
	pthread_barrier_t go;
	int total = 0, version;

	pthread_barrier_init(&go, NULL, N);
	for (int i = 0; i < N; i++) {
		memset(&r[i], 0, sizeof r[i]);
		r[i].e = e;
		r[i].go = &go;
		pthread_create(&th[i], NULL, race, &r[i]);
	}
	for (int i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	for (int i = 0; i < N; i++) {
		if (r[i].rc == -1)
			fail(e, __LINE__, "opener %d: %s", i, r[i].err);
		total += r[i].applied;
	}
	if (e->failed)
		return;
	OK(e, db, db_schema_version(db, &version));
	CHECK(e, version >= 7);
	/* Every file applied once, by one of them. */
	CHECK(e, total == version);
	CHECK(e, one(db, "SELECT count(*) FROM directory_version", "") == 1);
	CHECK(e, one(db, "SELECT count(*) FROM secrets", "") == 1);
	if (!strcmp(e->engine, "postgresql"))
		CHECK(e, one(db, "SELECT count(*) FROM schema_version", "") ==
		    version);
}

/* End db's server process from another connection. */
static void
terminate(struct env *e, struct db *db, int64_t pid)
{
	struct db *other;

	CHECK(e, (other = open_case(e, 0)) != NULL);
	/* With a timeout: returns once the backend has gone. */
	CHECK(e, one(other, "SELECT CAST(pg_terminate_backend(CAST($1 AS "
	    "integer), 10000) AS integer)", "i", pid) == 1);
	db_close(other);
}

/* PostgreSQL: the server ends this connection.  The statement that finds
 * it gone fails; the next one outside a transaction opens it again, but
 * inside one everything fails until the ROLLBACK, which succeeds. */
static void
t_terminated(struct env *e, struct db *db)
{
	int64_t pid, pid2;

	CHECK(e, (pid = one(db, "SELECT pg_backend_pid()", "")) > 0);
	terminate(e, db, pid);
	CHECK(e, one(db, "SELECT 1", "") == INT64_MIN);
	CHECK(e, db_errclass(db) == DB_CONNECTION);
	CHECK(e, (pid2 = one(db, "SELECT pg_backend_pid()", "")) > 0);
	CHECK(e, pid2 != pid);

	OK(e, db, db_begin(db, 1));
	terminate(e, db, pid2);
	CHECK(e, one(db, "SELECT 1", "") == INT64_MIN);
	CHECK(e, db_in_transaction(db));
	CHECK(e, db_exec(db, "SELECT 1") == -1);
	CHECK(e, db_errclass(db) == DB_CONNECTION);
	CHECK(e, db_commit(db) == -1 && db_errclass(db) == DB_CONNECTION);
	OK(e, db, db_rollback(db));
	CHECK(e, !db_in_transaction(db));
	CHECK(e, one(db, "SELECT 1", "") == 1);
}

/* PostgreSQL, last: the server stops under an open connection. */
static void
t_server_stopped(struct env *e, struct db *db)
{
	const char *stop = getenv("PG_STOP");
	char err[512];
	struct db_stmt *st;

	if (stop == NULL || *stop == '\0') {
		printf("skipped: %s: server stop: PG_STOP not set\n", e->engine);
		return;
	}
	CHECK(e, one(db, "SELECT 1", "") == 1);
	CHECK(e, (st = db_prepare(db, "SELECT $1")) != NULL);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s >/dev/null 2>&1", stop);
	CHECK(e, system(cmd) == 0);
	OK(e, db, db_bindf(st, "i", (int64_t)1));
	CHECK(e, db_step(st) == -1);
	db_finalize(st);
	CHECK(e, db_errclass(db) == DB_CONNECTION);
	CHECK(e, db_begin(db, 1) == -1 && db_errclass(db) == DB_CONNECTION);
	CHECK(e, db_open_target(e->engine, e->target, NULL, 0, err,
	    sizeof err) == NULL);
	CHECK(e, *err != '\0');
}

static const struct {
	const char	*name;
	void		 (*fn)(struct env *, struct db *);
	const char	*engine;	/* NULL: every engine */
} cases[] = {
	{ "types round-trip", t_types, NULL },
	{ "$N parameters", t_params, NULL },
	{ "nested statements", t_nested, NULL },
	{ "RETURNING and changes", t_returning, NULL },
	{ "error classes", t_errors, NULL },
	{ "savepoints", t_savepoint, NULL },
	{ "dialect", t_dialect, NULL },
	{ "claim", t_claim, NULL },
	{ "claim passes over locked rows", t_claim_skip, "postgresql" },
	{ "migrations", t_migrate, NULL },
	{ "gateway schema", t_schema, NULL },
	{ "concurrent migrators", t_concurrent, NULL },
	{ "connection terminated", t_terminated, "postgresql" },
	{ "server stopped", t_server_stopped, "postgresql" },
};

/* A fresh schema on PostgreSQL for each case. */
static int
pg_schema(struct env *e, const char *url)
{
	char err[512], sql[64];
	struct db *admin;
	int rc;

	snprintf(e->schema, sizeof e->schema, "case%d", ncase);
	snprintf(e->target, sizeof e->target, "%s options='-csearch_path=%s'",
	    url, e->schema);
	if ((admin = db_open_target("postgresql", url, NULL, 0, err,
	    sizeof err)) == NULL) {
		fail(e, __LINE__, "%s", err);
		return -1;
	}
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s", e->schema);
	if ((rc = db_exec(admin, sql)) == -1)
		fail(e, __LINE__, "%s", db_error(admin));
	db_close(admin);
	return rc;
}

static void
run_engine(const char *engine, const char *url)
{
	for (size_t i = 0; i < nitems(cases); i++) {
		struct env e = { .engine = engine, .name = cases[i].name };
		struct db *db;

		if (cases[i].engine && strcmp(cases[i].engine, engine))
			continue;
		ncase++;
		if (!strcmp(engine, "sqlite"))
			snprintf(e.target, sizeof e.target, "%s/case%d.db",
			    tmpdir, ncase);
		else if (pg_schema(&e, url) == -1) {
			failed++;
			continue;
		}
		if ((db = open_case(&e, 0)) != NULL) {
			cases[i].fn(&e, db);
			db_close(db);
		}
		if (e.failed)
			failed++;
		else
			passed++;
	}
}

int
main(int argc, char **argv)
{
	const char *url = getenv("PG_URL");
	int sqlite = 1, pg = url && *url;

	log_set_quiet(1);
	if (argc > 1 && !strcmp(argv[1], "pg")) {
		sqlite = 0;
		if (!pg) {
			printf("FAIL: pg: PG_URL not set (tests/pg.sh sets it)\n");
			failed++;
		}
	}
	if (mkdtemp(tmpdir) == NULL) {
		perror(tmpdir);
		return 1;
	}
	if (sqlite)
		run_engine("sqlite", NULL);
	if (pg)
		run_engine("postgresql", url);
	else if (sqlite)
		printf("postgresql: not here (no PG_URL); "
		    "tests/cli/t065-db-pg.sh runs these against a scratch "
		    "server\n");
	for (int i = 1; i <= ncase; i++) {
		char p[sizeof tmpdir + 32];
		static const char *ext[] = { "", "-wal", "-shm" };
		for (size_t j = 0; j < nitems(ext); j++) {
			snprintf(p, sizeof p, "%s/case%d.db%s", tmpdir, i, ext[j]);
			unlink(p);
		}
	}
	rmdir(tmpdir);
	printf("test_db: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
