/*
 * store.c -- SQLite: open, migrate, and every statement the gateway runs.
 *
 * Keeping all SQL here is what lets a PostgreSQL store sit beside this one
 * later.  Text that SQLite lends (sqlite3_column_text) is copied before the
 * statement moves on; nothing outside this file sees a sqlite3_stmt.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "crypto.h"
#include "embedded.h"
#include "log.h"
#include "store.h"
#include "util.h"

enum stmt_id {
	ST_UNIT,
	ST_SECTOR,
	ST_DISTRICT,
	ST_AREA,
	ST_COUNT
};

static const char *stmt_sql[ST_COUNT] = {
	[ST_UNIT] = "SELECT lat, lon, terminated, country FROM postcodes "
	    "WHERE postcode = ?",
	[ST_SECTOR] = "SELECT lat, lon, country FROM postcode_sectors "
	    "WHERE code = ?",
	[ST_DISTRICT] = "SELECT lat, lon, country FROM postcode_districts "
	    "WHERE code = ?",
	/* An area's country is the built-in tables' (district overrides
	 * first), not a majority of its imported units. */
	[ST_AREA] = "SELECT lat, lon, NULL FROM postcode_area_centroids "
	    "WHERE code = ?",
};

#define STORE_CACHE	64	/* prepared statements kept per connection */

struct store {
	sqlite3		*db;
	sqlite3_stmt	*stmt[ST_COUNT];
	/* Statements by the address of their SQL text: every query here is
	 * a string literal, so the address names it. */
	struct {
		const char	*sql;
		sqlite3_stmt	*s;
	}		 cache[STORE_CACHE];
	int		 ncache;
	int		 read_depth;	/* store_read_begin calls open */
	int		 read_own;	/* the outermost one began it */
	unsigned char	 supkey[32];	/* the suppression key, once read */
	int		 have_supkey;
	char		 error[512];
};

static void
set_error(struct store *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_error(struct store *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->error, sizeof st->error, fmt, ap);
	va_end(ap);
}

const char *
store_error(const struct store *st)
{
	return st->error;
}

/* Run SQL that returns no rows; 0 or -1 with the error set. */
static int
exec(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		set_error(st, "%s", msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static sqlite3_stmt *
prepare(struct store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		return NULL;
	}
	return s;
}

/*
 * A prepared statement for sql, from the cache when it was prepared before.
 * Give it back with put_stmt, which resets it (or finalizes it when the
 * cache was full).
 */
static sqlite3_stmt *
get_stmt(struct store *st, const char *sql)
{
	sqlite3_stmt *s;

	for (int i = 0; i < st->ncache; i++)
		if (st->cache[i].sql == sql)
			return st->cache[i].s;
	if ((s = prepare(st, sql)) == NULL)
		return NULL;
	if (st->ncache < STORE_CACHE) {
		st->cache[st->ncache].sql = sql;
		st->cache[st->ncache].s = s;
		st->ncache++;
	}
	return s;
}

static void
put_stmt(struct store *st, sqlite3_stmt *s)
{
	for (int i = 0; i < st->ncache; i++)
		if (st->cache[i].s == s) {
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return;
		}
	sqlite3_finalize(s);
}

/* Bind arguments by a type string: 's' text, 'i' int64, 'd' double,
 * 'D' double or NULL when NaN, 'n' null. */
static int
bindv(sqlite3_stmt *s, const char *types, va_list ap)
{
	int i = 1, rc = SQLITE_OK;

	for (const char *t = types; *t && rc == SQLITE_OK; t++, i++) {
		switch (*t) {
		case 's':
			rc = sqlite3_bind_text(s, i, va_arg(ap, const char *),
			    -1, SQLITE_TRANSIENT);
			break;
		case 'i':
			rc = sqlite3_bind_int64(s, i, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = sqlite3_bind_double(s, i, va_arg(ap, double));
			break;
		case 'D': {
			double d = va_arg(ap, double);
			rc = isnan(d) ? sqlite3_bind_null(s, i) :
			    sqlite3_bind_double(s, i, d);
			break;
		}
		case 'I': {
			int64_t v = va_arg(ap, int64_t);
			rc = v ? sqlite3_bind_int64(s, i, v) :
			    sqlite3_bind_null(s, i);
			break;
		}
		}
	}
	return rc == SQLITE_OK ? 0 : -1;
}

/*
 * SQLite's message, and for a failure of the disk what the system said:
 * "disk I/O error" alone does not tell a full disk from a read-only one.
 * SQLite keeps the errno only of some failures; else this thread's errno
 * from the step (sys, cleared before it), when it is one a disk gives.
 */
static void
db_error(struct store *st, int sys)
{
	int code = sqlite3_extended_errcode(st->db) & 0xff;
	int e = sqlite3_system_errno(st->db);

	if (e == 0 && (sys == ENOSPC || sys == EDQUOT || sys == EROFS ||
	    sys == EIO || sys == EACCES || sys == EPERM))
		e = sys;
	if ((code == SQLITE_IOERR || code == SQLITE_FULL ||
	    code == SQLITE_READONLY || code == SQLITE_CANTOPEN) && e != 0)
		set_error(st, "%s (%s)", sqlite3_errmsg(st->db), strerror(e));
	else
		set_error(st, "%s", sqlite3_errmsg(st->db));
}

/* Prepare, bind, step once, finalize: for writes and one-off queries. */
static int
run(struct store *st, const char *sql, const char *types, ...)
{
	sqlite3_stmt *s;
	va_list ap;
	int rc;

	if ((s = get_stmt(st, sql)) == NULL)
		return -1;
	va_start(ap, types);
	rc = bindv(s, types, ap);
	va_end(ap);
	errno = 0;
	if (rc == 0 && (rc = sqlite3_step(s)) != SQLITE_DONE &&
	    rc != SQLITE_ROW) {
		db_error(st, errno);
		rc = -1;
	} else
		rc = 0;
	put_stmt(st, s);
	return rc;
}

/* One integer from a query; -1 error, 0 no row, 1 found. */
static int
query_int(struct store *st, int64_t *out, const char *sql, const char *types,
    ...)
{
	sqlite3_stmt *s;
	va_list ap;
	int rc;

	if ((s = get_stmt(st, sql)) == NULL)
		return -1;
	va_start(ap, types);
	rc = bindv(s, types, ap);
	va_end(ap);
	if (rc == 0) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(s, 0);
			rc = 1;
		} else if (rc == SQLITE_DONE)
			rc = 0;
		else {
			set_error(st, "%s", sqlite3_errmsg(st->db));
			rc = -1;
		}
	}
	put_stmt(st, s);
	return rc;
}

static char *
column_dup(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return xstrdup(t ? (const char *)t : "");
}

/* Apply the embedded schema/NNN-*.sql files newer than user_version. */
static int
migrate(struct store *st)
{
	int64_t version;

	if (query_int(st, &version, "PRAGMA user_version", "") != 1)
		return -1;
	for (const struct embedded_file *f = embedded_files; f->name; f++) {
		int n;
		if (sscanf(f->name, "schema/%d-", &n) != 1 || n <= version)
			continue;
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", n);
		if (exec(st, "BEGIN IMMEDIATE") == -1)
			return -1;
		if (exec(st, f->data) == -1 || exec(st, pragma) == -1) {
			char why[sizeof st->error];
			memcpy(why, st->error, sizeof why);
			exec(st, "ROLLBACK");
			set_error(st, "migration %s: %s", f->name, why);
			return -1;
		}
		if (exec(st, "COMMIT") == -1)
			return -1;
		log_debug("store: applied %s", f->name);
	}
	return 0;
}

static _Atomic int serving = 0;

void
store_serving(int on)
{
	serving = on;
}

int
store_checkpoint(struct store *st, enum store_checkpoint mode, int *frames)
{
	static const int modes[] = {
		[STORE_CKPT_PASSIVE] = SQLITE_CHECKPOINT_PASSIVE,
		[STORE_CKPT_RESTART] = SQLITE_CHECKPOINT_RESTART,
		[STORE_CKPT_TRUNCATE] = SQLITE_CHECKPOINT_TRUNCATE,
	};
	int log = -1, done = -1, rc;

	rc = sqlite3_wal_checkpoint_v2(st->db, NULL, modes[mode], &log, &done);
	*frames = log;
	/* BUSY: a RESTART or TRUNCATE that readers kept from finishing;
	 * what could be copied was, and the next one goes on. */
	if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

/* Why this thread's last store_open failed, "" after one succeeded.  A
 * request thread retries its open on every request while the file is
 * gone; logging only a change of reason keeps that to one line. */
static __thread char open_error[256];

static void
open_failed(const struct config *cf, const char *why)
{
	if (strcmp(open_error, why) != 0)
		log_error("store: %s: %s", cf->db_path, why);
	strlcpy_(open_error, why, sizeof open_error);
}

const char *
store_open_error(void)
{
	return open_error;
}

struct store *
store_open(const struct config *cf)
{
	struct store *st = xcalloc(1, sizeof *st);
	char pragma[128];

	if (sqlite3_open_v2(cf->db_path, &st->db, SQLITE_OPEN_READWRITE |
	    (serving ? 0 : SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		open_failed(cf, st->db ? sqlite3_errmsg(st->db) :
		    "cannot open");
		store_close(st);
		return NULL;
	}
	sqlite3_busy_timeout(st->db, 10000);
	/* secure_delete: an erased number is overwritten, not just unlinked
	 * from its page (store_forget's checkpoint then clears the WAL). */
	snprintf(pragma, sizeof pragma, "PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = %s; PRAGMA foreign_keys = ON; "
	    "PRAGMA secure_delete = ON", cf->db_synchronous);
	if (exec(st, pragma) == -1 || (serving &&
	    exec(st, "PRAGMA wal_autocheckpoint = 0") == -1) ||
	    migrate(st) == -1) {
		open_failed(cf, st->error);
		store_close(st);
		return NULL;
	}
	for (int i = 0; i < ST_COUNT; i++)
		if ((st->stmt[i] = prepare(st, stmt_sql[i])) == NULL) {
			open_failed(cf, st->error);
			store_close(st);
			return NULL;
		}
	open_error[0] = '\0';
	return st;
}

int
store_needs_seed(struct store *st)
{
	int64_t n = 0;

	/* Not "was the file new": a seed that failed half-way rolled back,
	 * and the next start must try again. */
	if (query_int(st, &n, "SELECT count(*) FROM postcode_areas", "") == -1)
		return -1;
	return n == 0;
}

int
store_savepoint(struct store *st)
{
	return run(st, "SAVEPOINT sp", "");
}

int
store_release(struct store *st)
{
	return run(st, "RELEASE sp", "");
}

void
store_rollback_savepoint(struct store *st)
{
	sqlite3_exec(st->db, "ROLLBACK TO sp; RELEASE sp", NULL, NULL, NULL);
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	for (int i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].s);
	if (st->db)
		sqlite3_close(st->db);
	free(st);
}

int
store_read_begin(struct store *st)
{
	/* Nested: the outer one serves.  Inside a write transaction
	 * already (the writer deciding a job again): that one serves. */
	if (st->read_depth++ > 0 || !sqlite3_get_autocommit(st->db))
		return 0;
	if (run(st, "BEGIN", "") == -1)
		return -1;
	st->read_own = 1;
	return 0;
}

void
store_read_end(struct store *st)
{
	if (st->read_depth > 0 && --st->read_depth > 0)
		return;
	if (st->read_own && !sqlite3_get_autocommit(st->db))
		run(st, "COMMIT", "");
	st->read_own = 0;
}

int
store_begin(struct store *st)
{
	return run(st, "BEGIN IMMEDIATE", "");
}

int
store_readiness(struct store *st, struct store_readiness *r)
{
	int64_t version, areas;
	int newest = 0;
	sqlite3_stmt *s;

	memset(r, 0, sizeof *r);
	for (const struct embedded_file *f = embedded_files; f->name; f++) {
		int n;
		if (sscanf(f->name, "schema/%d-", &n) == 1 && n > newest)
			newest = n;
	}
	if (query_int(st, &version, "PRAGMA user_version", "") != 1 ||
	    query_int(st, &areas, "SELECT count(*) FROM postcode_areas",
	    "") != 1)
		return -1;
	r->schema_current = version == newest;
	r->areas = (long)areas;
	if ((s = prepare(st, "SELECT source, imported_at, units FROM "
	    "postcode_imports ORDER BY imported_at DESC LIMIT 1")) == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *src = sqlite3_column_text(s, 0);
		strlcpy_(r->release, src ? (const char *)src : "",
		    sizeof r->release);
		r->imported_at = sqlite3_column_int64(s, 1);
		r->units = (long)sqlite3_column_int64(s, 2);
	}
	sqlite3_finalize(s);
	return 0;
}

int
store_file_moved(struct store *st)
{
	int moved = 0;

	if (sqlite3_file_control(st->db, "main", SQLITE_FCNTL_HAS_MOVED,
	    &moved) != SQLITE_OK)
		return -1;
	return moved != 0;
}

int
store_commit(struct store *st)
{
	/* A file deleted or renamed under us takes commits that no one will
	 * ever read: refuse them, so that nothing is acknowledged that is
	 * not durable where the next start will look. */
	switch (store_file_moved(st)) {
	case 0:
		break;
	case 1:
		set_error(st, "the database file has been deleted or moved "
		    "since it was opened");
		return -1;
	default:
		set_error(st, "cannot tell whether the database file moved");
		return -1;
	}
	return run(st, "COMMIT", "");
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int64_t
store_data_version(struct store *st)
{
	int64_t v = -1;

	query_int(st, &v, "PRAGMA data_version", "");
	return v;
}

int64_t
store_directory_version(struct store *st)
{
	int64_t v = -1;

	query_int(st, &v, "SELECT version FROM directory_version", "");
	return v;
}

/* --- directory ---------------------------------------------------- */

/* The index of country in dir->countries, added if new. */
static size_t
country_intern(struct directory *dir, const char *country)
{
	size_t n;

	for (n = 0; n < dir->ncountries; n++)
		if (!strcmp(dir->countries[n], country))
			return n;
	dir->countries = xrealloc(dir->countries,
	    (n + 1) * sizeof *dir->countries);
	dir->countries[dir->ncountries] = xstrdup(country);
	return dir->ncountries++;
}

static int
district_cmp(const void *a, const void *b)
{
	return strcmp(((const struct district *)a)->code,
	    ((const struct district *)b)->code);
}

/* A new, zeroed district at the end of dir->districts; NULL when code does
 * not fit (no outward code is that long). */
static struct district *
district_add(struct directory *dir, size_t *cap, const char *code)
{
	struct district *d;

	if (code == NULL || strlen(code) >= sizeof d->code)
		return NULL;
	if (dir->ndistricts == *cap) {
		*cap = *cap ? *cap * 2 : 4096;
		dir->districts = xrealloc(dir->districts,
		    *cap * sizeof *dir->districts);
	}
	d = &dir->districts[dir->ndistricts++];
	memset(d, 0, sizeof *d);
	strlcpy_(d->code, code, sizeof d->code);
	return d;
}

int
store_load_directory(struct store *st, struct directory *dir)
{
	sqlite3_stmt *s;
	size_t n, cap = 0, nbuiltin;

	memset(dir, 0, sizeof *dir);

	if ((s = prepare(st, "SELECT id, name, organiser_name, organiser_phone, "
	    "organiser_email, notify FROM regions ORDER BY id")) == NULL)
		goto fail;
	while (sqlite3_step(s) == SQLITE_ROW) {
		dir->regions = xrealloc(dir->regions,
		    (dir->nregions + 1) * sizeof *dir->regions);
		struct region *r = &dir->regions[dir->nregions++];
		r->id = sqlite3_column_int64(s, 0);
		r->name = column_dup(s, 1);
		r->organiser_name = column_dup(s, 2);
		r->organiser_phone = column_dup(s, 3);
		r->organiser_email = column_dup(s, 4);
		r->notify = column_dup(s, 5);
	}
	sqlite3_finalize(s);

	if ((s = prepare(st, "SELECT id, name, postcode, lat, lon, meets, "
	    "contact_name, contact_phone, contact_email, region_id, active, "
	    "notify FROM branches ORDER BY name COLLATE NOCASE, id")) == NULL)
		goto fail;
	while (sqlite3_step(s) == SQLITE_ROW) {
		dir->branches = xrealloc(dir->branches,
		    (dir->nbranches + 1) * sizeof *dir->branches);
		struct branch *b = &dir->branches[dir->nbranches++];
		memset(b, 0, sizeof *b);
		b->id = sqlite3_column_int64(s, 0);
		b->name = column_dup(s, 1);
		b->postcode = column_dup(s, 2);
		b->has_coords = sqlite3_column_type(s, 3) != SQLITE_NULL &&
		    sqlite3_column_type(s, 4) != SQLITE_NULL ? BRANCH_COORDS : 0;
		b->lat = sqlite3_column_double(s, 3);
		b->lon = sqlite3_column_double(s, 4);
		b->meets = column_dup(s, 5);
		b->contact_name = column_dup(s, 6);
		b->contact_phone = column_dup(s, 7);
		b->contact_email = column_dup(s, 8);
		b->region_id = sqlite3_column_int64(s, 9);
		b->active = sqlite3_column_int(s, 10);
		b->notify = column_dup(s, 11);
	}
	sqlite3_finalize(s);

	if ((s = prepare(st, "SELECT branch_id, code FROM branch_coverage "
	    "ORDER BY code")) == NULL)
		goto fail;
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		for (n = 0; n < dir->nbranches; n++)
			if (dir->branches[n].id == id)
				break;
		if (n == dir->nbranches)
			continue;
		struct branch *b = &dir->branches[n];
		b->coverage = xrealloc(b->coverage,
		    (b->ncoverage + 1) * sizeof *b->coverage);
		b->coverage[b->ncoverage++] = column_dup(s, 1);
	}
	sqlite3_finalize(s);

	if ((s = prepare(st, "SELECT area, name, country, lat, lon "
	    "FROM postcode_areas ORDER BY area")) == NULL)
		goto fail;
	while (sqlite3_step(s) == SQLITE_ROW) {
		dir->areas = xrealloc(dir->areas,
		    (dir->nareas + 1) * sizeof *dir->areas);
		struct area *a = &dir->areas[dir->nareas++];
		const unsigned char *code = sqlite3_column_text(s, 0);
		strlcpy_(a->code, code ? (const char *)code : "", sizeof a->code);
		a->name = column_dup(s, 1);
		a->country = column_dup(s, 2);
		a->lat = sqlite3_column_double(s, 3);
		a->lon = sqlite3_column_double(s, 4);
	}
	sqlite3_finalize(s);

	/* Region areas and country overrides go straight into the maps. */
	if ((s = prepare(st, "SELECT code, region_id FROM region_areas "
	    "ORDER BY code")) == NULL)
		goto fail;
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 1);
		for (n = 0; n < dir->nregions; n++)
			if (dir->regions[n].id == id)
				break;
		if (n == dir->nregions)
			continue;
		code_map_add(&dir->region_of,
		    (const char *)sqlite3_column_text(s, 0), n);
	}
	sqlite3_finalize(s);

	if ((s = prepare(st, "SELECT district, country FROM district_countries "
	    "ORDER BY district")) == NULL)
		goto fail;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *country = (const char *)sqlite3_column_text(s, 1);
		code_map_add(&dir->country_of,
		    (const char *)sqlite3_column_text(s, 0),
		    country_intern(dir, country ? country : ""));
	}
	sqlite3_finalize(s);

	/* Known districts: the built-in ones, then the last import's (two
	 * plain scans: cheaper than a join, and the directory reloads). */
	if ((s = prepare(st, "SELECT district, country, lat, lon FROM "
	    "district_centroids ORDER BY district")) == NULL)
		goto fail;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *country = (const char *)sqlite3_column_text(s, 1);
		struct district *d = district_add(dir, &cap,
		    (const char *)sqlite3_column_text(s, 0));
		if (d == NULL)
			continue;
		d->flags = DISTRICT_BUILTIN;
		n = country_intern(dir, country ? country : "");
		d->country = dir->countries[n];
		d->lat = sqlite3_column_double(s, 2);
		d->lon = sqlite3_column_double(s, 3);
	}
	sqlite3_finalize(s);
	nbuiltin = dir->ndistricts;
	if ((s = prepare(st, "SELECT code FROM postcode_districts")) == NULL)
		goto fail;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(s, 0);
		struct district key, *d = NULL;
		if (code == NULL || strlen(code) >= sizeof key.code)
			continue;
		strlcpy_(key.code, code, sizeof key.code);
		if (nbuiltin > 0)
			d = bsearch(&key, dir->districts, nbuiltin,
			    sizeof *dir->districts, district_cmp);
		if (d == NULL && (d = district_add(dir, &cap, code)) == NULL)
			continue;
		d->flags |= DISTRICT_IMPORTED;
	}
	sqlite3_finalize(s);

	directory_index(dir);
	return 0;
fail:
	directory_free(dir);
	return -1;
}

/* --- geocoding ---------------------------------------------------- */

int
store_lookup_unit(struct store *st, const char *postcode, struct geocode *out)
{
	sqlite3_stmt *s = st->stmt[ST_UNIT];
	int rc;

	sqlite3_bind_text(s, 1, postcode, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		if (sqlite3_column_type(s, 0) == SQLITE_NULL) {
			out->level = GEO_NONE;
			out->no_coords = 1;
		} else {
			out->level = GEO_UNIT;
			out->lat = sqlite3_column_int64(s, 0) / 1e6;
			out->lon = sqlite3_column_int64(s, 1) / 1e6;
		}
		out->terminated = sqlite3_column_int(s, 2);
		out->country = geo_country_name(sqlite3_column_int(s, 3));
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		rc = -1;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

int
store_lookup_centroid(struct store *st, enum geo_level level, const char *code,
    double *lat, double *lon, int *country)
{
	sqlite3_stmt *s;
	int rc;

	switch (level) {
	case GEO_SECTOR:	s = st->stmt[ST_SECTOR]; break;
	case GEO_DISTRICT:	s = st->stmt[ST_DISTRICT]; break;
	case GEO_AREA:		s = st->stmt[ST_AREA]; break;
	default:		return 0;
	}
	*country = 0;
	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*lat = sqlite3_column_int64(s, 0) / 1e6;
		*lon = sqlite3_column_int64(s, 1) / 1e6;
		*country = sqlite3_column_int(s, 2);	/* NULL: 0 */
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		rc = -1;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

/* --- postcode import ---------------------------------------------- */

/*
 * The new units and centroids are built beside the old ones in side
 * tables, in write transactions of at most IMPORT_TXN_MS each, so that
 * the server's writer waits for a moment, not for the whole import.  One
 * short transaction then renames the side tables into place: until it
 * commits, readers see the old data whatever becomes of the import (an
 * error, SIGKILL, a power cut), and the next import drops what an
 * interrupted one left.  Readers' prepared statements name the tables,
 * so SQLite prepares them again on the schema change by itself.
 *
 * Back-to-back transactions would still starve a waiting writer: SQLite's
 * busy handler sleeps up to 100 ms between tries and would miss the
 * microseconds between them.  So after IMPORT_HOLD_MS of them the lock is
 * left free for STORE_IMPORT_GAP_MS, which the caller fills by reading the
 * next rows, and import_txn_begin by sleeping when it did not.
 */
#define IMPORT_TXN_MS		40	/* the longest one transaction runs */
#define IMPORT_HOLD_MS		250	/* of them, then a gap */
#define IMPORT_CHECK_ROWS	64	/* rows between looks at the clock */
#define IMPORT_DROP_ROWS	10000	/* rows deleted per transaction */
#define IMPORT_CKPT_FRAMES	1000	/* WAL pages between checkpoints */

/* The side tables, as a failed or interrupted import may leave them. */
static const char *import_side[] = { "postcodes_new", "postcodes_old",
	"postcode_sectors_new", "postcode_districts_new",
	"postcode_area_centroids_new", NULL };

struct postcode_import {
	struct store	*st;
	sqlite3_stmt	*insert;
	int		 lockfd;
	int		 in_txn;
	uint64_t	 txn_start;
	uint64_t	 hold_start;	/* of this run of transactions */
	uint64_t	 released;	/* when the last one committed */
	uint64_t	 longest;	/* ns, the longest write transaction */
	long		 ntxn;
	long		 units;
	int		 unchecked;	/* rows added since the clock was read */
	int		 wal_frames;	/* in the WAL after the last commit */
	int64_t		 autocheckpoint;	/* the connection's, restored */
	int64_t		 synchronous;	/* the connection's, restored at the swap */
};

/* Instead of SQLite's autocheckpoint, which would checkpoint inside the
 * timed commit: the import checkpoints when it pauses. */
static int
import_wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct postcode_import *im = arg;

	im->wal_frames = frames;
	return SQLITE_OK;
}

static int
import_txn_begin(struct postcode_import *im)
{
	const uint64_t ms = 1000000;
	uint64_t now, idle;

	if (im->in_txn)
		return 0;
	now = now_ns();
	idle = now - im->released;
	if (idle < STORE_IMPORT_GAP_MS * ms &&
	    now - im->hold_start >= IMPORT_HOLD_MS * ms) {
		struct timespec ts = { 0, (long)(STORE_IMPORT_GAP_MS * ms - idle) };
		nanosleep(&ts, NULL);
		idle = STORE_IMPORT_GAP_MS * ms;
	}
	if (idle >= STORE_IMPORT_GAP_MS * ms)
		im->hold_start = now_ns();
	if (store_begin(im->st) == -1)
		return -1;
	im->in_txn = 1;
	im->txn_start = now_ns();
	im->unchecked = 0;
	return 0;
}

static int
import_txn_commit(struct postcode_import *im)
{
	uint64_t held;
	int rc;

	if (!im->in_txn)
		return 0;
	im->in_txn = 0;
	if ((rc = store_commit(im->st)) == -1)
		store_rollback(im->st);
	im->released = now_ns();
	held = im->released - im->txn_start;
	if (held > im->longest)
		im->longest = held;
	im->ntxn++;
	return rc;
}

/* PASSIVE: copies what it can without taking the write lock. */
static void
import_checkpoint(struct postcode_import *im)
{
	if (im->wal_frames >= IMPORT_CKPT_FRAMES) {
		sqlite3_wal_checkpoint_v2(im->st->db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		im->wal_frames = 0;
	}
}

/* Run sql (no rows) in a write transaction of its own. */
static int
import_exec(struct postcode_import *im, const char *sql)
{
	if (import_txn_begin(im) == -1)
		return -1;
	if (exec(im->st, sql) == -1) {
		im->in_txn = 0;
		store_rollback(im->st);
		return -1;
	}
	return import_txn_commit(im);
}

/* Drop a side table if it is there, a few thousand rows a transaction:
 * DROP TABLE on the full NSPL would hold the lock for a third of a
 * second. */
static int
import_drop(struct postcode_import *im, const char *table)
{
	struct store *st = im->st;
	const char *key = strncmp(table, "postcodes_", 10) == 0 ?
	    "postcode" : "code";
	char sql[256];
	int64_t n;

	if (query_int(st, &n, "SELECT count(*) FROM sqlite_schema "
	    "WHERE type = 'table' AND name = ?", "s", table) != 1)
		return -1;
	if (n == 0)
		return 0;
	/* From the start of the key: a range, and pages left empty behind. */
	snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s <= (SELECT %s "
	    "FROM %s ORDER BY %s LIMIT 1 OFFSET %d)", table, key, key, table,
	    key, IMPORT_DROP_ROWS - 1);
	do {
		if (import_exec(im, sql) == -1)
			return -1;
		import_checkpoint(im);
	} while (sqlite3_changes(st->db) == IMPORT_DROP_ROWS);
	snprintf(sql, sizeof sql, "DROP TABLE %s", table);
	return import_exec(im, sql);
}

/* One import at a time per database: a second would write into the
 * first one's side table.  flock, so that a killed import lets go. */
static int
import_lock(struct postcode_import *im)
{
	const char *db = sqlite3_db_filename(im->st->db, "main");
	char path[4096];

	im->lockfd = -1;
	if (db == NULL || *db == '\0')
		return 0;	/* in memory: nobody else can see it */
	if ((size_t)snprintf(path, sizeof path, "%s-import.lock", db) >=
	    sizeof path) {
		set_error(im->st, "%s: path too long", db);
		return -1;
	}
	if ((im->lockfd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC,
	    0644)) == -1) {
		set_error(im->st, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(im->lockfd, LOCK_EX | LOCK_NB) == -1) {
		set_error(im->st, "%s", errno == EWOULDBLOCK ? "another "
		    "postcode import is running on this database" :
		    strerror(errno));
		return -1;
	}
	return 0;
}

static void
import_free(struct postcode_import *im)
{
	struct store *st = im->st;

	sqlite3_finalize(im->insert);
	if (im->in_txn)
		store_rollback(st);
	exec(st, "DROP TABLE IF EXISTS temp.import_sums; "
	    "DROP TABLE IF EXISTS temp.import_countries; "
	    "DROP TABLE IF EXISTS temp.import_majority");
	if (im->synchronous >= 0) {
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA synchronous = %d",
		    (int)im->synchronous);
		exec(st, pragma);
	}
	exec(st, "PRAGMA cache_size = -2000");
	if (im->autocheckpoint >= 0)
		sqlite3_wal_autocheckpoint(st->db, (int)im->autocheckpoint);
	if (im->lockfd != -1)
		close(im->lockfd);	/* and with it the lock */
	free(im);
}

struct postcode_import *
store_import_begin(struct store *st)
{
	struct postcode_import *im = xcalloc(1, sizeof *im);

	im->st = st;
	im->synchronous = im->autocheckpoint = -1;
	if (import_lock(im) == -1 ||
	    query_int(st, &im->synchronous, "PRAGMA synchronous", "") != 1) {
		im->synchronous = -1;
		goto fail;
	}
	if (query_int(st, &im->autocheckpoint, "PRAGMA wal_autocheckpoint",
	    "") != 1) {
		im->autocheckpoint = -1;
		goto fail;
	}
	sqlite3_wal_hook(st->db, import_wal_hook, im);
	/* The side tables need not survive a power cut: until the swap
	 * nothing reads them, and the swap's commit syncs what they hold.
	 * A big cache keeps the b-tree's pages between transactions. */
	if (exec(st, "PRAGMA synchronous = NORMAL; "
	    "PRAGMA cache_size = -262144") == -1)
		goto fail;
	for (const char **t = import_side; *t; t++)
		if (import_drop(im, *t) == -1)
			goto fail;
	/* As postcodes in 001-init.sql and 005-unit-country.sql. */
	if (import_exec(im, "CREATE TABLE postcodes_new ("
	    " postcode TEXT PRIMARY KEY, lat INTEGER, lon INTEGER,"
	    " terminated INTEGER NOT NULL DEFAULT 0, country INTEGER)"
	    " WITHOUT ROWID") == -1)
		goto fail;
	if ((im->insert = prepare(st, "INSERT INTO postcodes_new "
	    "(postcode, lat, lon, terminated, country) VALUES (?, ?, ?, ?, ?)"))
	    == NULL)
		goto fail;
	return im;
fail:
	import_free(im);
	return NULL;
}

int
store_import_add(struct postcode_import *im, const char *postcode, double lat,
    double lon, int has_coords, int terminated, int country)
{
	sqlite3_stmt *s = im->insert;
	int rc;

	if (im->in_txn && ++im->unchecked >= IMPORT_CHECK_ROWS) {
		im->unchecked = 0;
		if (now_ns() - im->txn_start >= IMPORT_TXN_MS * 1000000ull &&
		    import_txn_commit(im) == -1)
			return -1;
	}
	if (import_txn_begin(im) == -1)
		return -1;
	sqlite3_bind_text(s, 1, postcode, -1, SQLITE_STATIC);
	if (has_coords) {
		sqlite3_bind_int64(s, 2, (int64_t)llround(lat * 1e6));
		sqlite3_bind_int64(s, 3, (int64_t)llround(lon * 1e6));
	} else {
		sqlite3_bind_null(s, 2);
		sqlite3_bind_null(s, 3);
	}
	sqlite3_bind_int(s, 4, terminated);
	if (country > 0)
		sqlite3_bind_int(s, 5, country);
	else
		sqlite3_bind_null(s, 5);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		im->units++;
		return 0;
	}
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		set_error(im->st, "postcode %s appears twice", postcode);
		return 1;
	}
	set_error(im->st, "%s", sqlite3_errmsg(im->st->db));
	return -1;
}

int
store_import_pause(struct postcode_import *im)
{
	if (import_txn_commit(im) == -1)
		return -1;
	import_checkpoint(im);
	return 0;
}

/* One sector's sums, as import_sum gathers them. */
struct import_sector {
	char	code[16];
	int64_t	sum[6];		/* units, lat, lon, live, live lat, live lon */
	int64_t	countries[GEO_COUNTRY_COUNT][2];	/* units, live units */
};

/* Add one sector's sums to temp.import_sums and its units' countries to
 * temp.import_countries. */
static int
import_sum_put(struct store *st, sqlite3_stmt *put, sqlite3_stmt *put_country,
    const struct import_sector *sec)
{
	int rc;

	sqlite3_bind_text(put, 1, sec->code, -1, SQLITE_STATIC);
	for (int i = 0; i < 6; i++)
		sqlite3_bind_int64(put, i + 2, sec->sum[i]);
	rc = sqlite3_step(put);
	sqlite3_reset(put);
	for (int c = 1; rc == SQLITE_DONE && c < GEO_COUNTRY_COUNT; c++) {
		if (sec->countries[c][0] == 0)
			continue;
		sqlite3_bind_text(put_country, 1, sec->code, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(put_country, 2, c);
		sqlite3_bind_int64(put_country, 3, sec->countries[c][0]);
		sqlite3_bind_int64(put_country, 4, sec->countries[c][1]);
		rc = sqlite3_step(put_country);
		sqlite3_reset(put_country);
	}
	if (rc != SQLITE_DONE) {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

/*
 * Sums of the units with coordinates (all, and live ones) per sector, then
 * per district and area from the sectors', into TEMP tables: writing them
 * takes no lock on the database, and reading the new units only a
 * snapshot.  One ordered pass: a sector's units are adjacent in postcode
 * order, so each sector is one upsert (and would be several, still right,
 * were they not).  The units' countries are counted the same way, for
 * sectors and districts, and each one's majority kept in
 * temp.import_majority: the country of most of its live units (of all
 * its units where none is live, as for the centroids), and none on a
 * tie, where the built-in tables decide.
 */
static int
import_sum(struct postcode_import *im)
{
	struct store *st = im->st;
	sqlite3_stmt *scan = NULL, *put = NULL, *put_country = NULL;
	struct import_sector *sec = xcalloc(1, sizeof *sec);
	int rc;

	if (exec(st, "CREATE TEMP TABLE import_sums (level INTEGER, "
	    "code TEXT, units INTEGER, lat INTEGER, lon INTEGER, "
	    "live INTEGER, live_lat INTEGER, live_lon INTEGER, "
	    "PRIMARY KEY (level, code)) WITHOUT ROWID; "
	    "CREATE TEMP TABLE import_countries (level INTEGER, code TEXT, "
	    "country INTEGER, units INTEGER, live INTEGER, "
	    "PRIMARY KEY (level, code, country)) WITHOUT ROWID; "
	    "CREATE TEMP TABLE import_majority (level INTEGER, code TEXT, "
	    "country INTEGER, PRIMARY KEY (level, code)) WITHOUT ROWID; "
	    "BEGIN") == -1) {
		free(sec);
		return -1;
	}
	if ((scan = prepare(st, "SELECT postcode, lat, lon, terminated, "
	    "country FROM postcodes_new WHERE lat IS NOT NULL "
	    "ORDER BY postcode")) == NULL ||
	    (put = prepare(st, "INSERT INTO temp.import_sums VALUES "
	    "(0, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (level, code) DO UPDATE SET "
	    "units = units + excluded.units, lat = lat + excluded.lat, "
	    "lon = lon + excluded.lon, live = live + excluded.live, "
	    "live_lat = live_lat + excluded.live_lat, "
	    "live_lon = live_lon + excluded.live_lon")) == NULL ||
	    (put_country = prepare(st, "INSERT INTO temp.import_countries "
	    "VALUES (0, ?, ?, ?, ?) ON CONFLICT (level, code, country) "
	    "DO UPDATE SET units = units + excluded.units, "
	    "live = live + excluded.live")) == NULL)
		goto fail;
	while ((rc = sqlite3_step(scan)) == SQLITE_ROW) {
		const char *pc = (const char *)sqlite3_column_text(scan, 0);
		size_t n = strlen(pc) - 2;	/* the sector: all but 2 */
		int64_t lat = sqlite3_column_int64(scan, 1);
		int64_t lon = sqlite3_column_int64(scan, 2);
		int live = sqlite3_column_int(scan, 3) == 0;
		int country = sqlite3_column_int(scan, 4);

		if (n >= sizeof sec->code)
			continue;	/* cannot be: stored normalised */
		if (strncmp(pc, sec->code, n) != 0 || sec->code[n] != '\0') {
			if (sec->sum[0] && import_sum_put(st, put, put_country,
			    sec) == -1)
				goto fail;
			memset(sec, 0, sizeof *sec);
			memcpy(sec->code, pc, n);
		}
		sec->sum[0]++, sec->sum[1] += lat, sec->sum[2] += lon;
		if (live)
			sec->sum[3]++, sec->sum[4] += lat, sec->sum[5] += lon;
		if (country > 0 && country < GEO_COUNTRY_COUNT) {
			sec->countries[country][0]++;
			sec->countries[country][1] += live;
		}
	}
	if (rc != SQLITE_DONE) {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		goto fail;
	}
	if (sec->sum[0] && import_sum_put(st, put, put_country, sec) == -1)
		goto fail;
	sqlite3_finalize(scan);
	sqlite3_finalize(put);
	sqlite3_finalize(put_country);
	scan = put = put_country = NULL;
#define IMPORT_DISTRICT	"substr(code, 1, instr(code, ' ') - 1)"
#define IMPORT_SUM_UP(to, code_expr)					\
	"INSERT INTO temp.import_sums SELECT " #to ", " code_expr ", "	\
	"sum(units), sum(lat), sum(lon), sum(live), sum(live_lat), "	\
	"sum(live_lon) FROM temp.import_sums WHERE level = " #to " - 1 "	\
	"GROUP BY 2;"
	if (exec(st, IMPORT_SUM_UP(1, IMPORT_DISTRICT)
	    IMPORT_SUM_UP(2, "CASE WHEN substr(code, 2, 1) BETWEEN 'A' AND 'Z' "
	    "THEN substr(code, 1, 2) ELSE substr(code, 1, 1) END")
	    "INSERT INTO temp.import_countries SELECT 1, " IMPORT_DISTRICT ", "
	    "country, sum(units), sum(live) FROM temp.import_countries "
	    "WHERE level = 0 GROUP BY 2, 3;"
	    "INSERT INTO temp.import_majority "
	    "WITH t AS (SELECT c.level, c.code, c.country, CASE WHEN s.live > 0 "
	    "THEN c.live ELSE c.units END AS n FROM temp.import_countries c "
	    "JOIN temp.import_sums s ON s.level = c.level AND s.code = c.code), "
	    "m AS (SELECT level, code, max(n) AS top FROM t GROUP BY 1, 2) "
	    "SELECT t.level, t.code, min(t.country) FROM t JOIN m "
	    "ON m.level = t.level AND m.code = t.code "
	    "WHERE t.n = m.top AND t.n > 0 GROUP BY 1, 2 HAVING count(*) = 1;"
	    "COMMIT") == -1)
		goto fail;
#undef IMPORT_SUM_UP
#undef IMPORT_DISTRICT
	free(sec);
	return 0;
fail:
	sqlite3_finalize(scan);
	sqlite3_finalize(put);
	sqlite3_finalize(put_country);
	free(sec);
	store_rollback(st);
	return -1;
}

/*
 * Centroids: the mean of the live units with coordinates, or of every
 * unit with coordinates where a code has no live one left.  Sectors and
 * districts carry their majority country.  As the tables in 001-init.sql
 * and 005-unit-country.sql.
 */
#define IMPORT_CENTROID_COLS						\
	"s.code, CAST(round(CASE WHEN s.live > 0 "			\
	"THEN s.live_lat * 1.0 / s.live ELSE s.lat * 1.0 / s.units END) "\
	"AS INTEGER), CAST(round(CASE WHEN s.live > 0 "			\
	"THEN s.live_lon * 1.0 / s.live ELSE s.lon * 1.0 / s.units END) "\
	"AS INTEGER), s.units"
#define IMPORT_CENTROIDS(table, level)					\
	"CREATE TABLE " table " (code TEXT PRIMARY KEY, "		\
	"lat INTEGER NOT NULL, lon INTEGER NOT NULL, "			\
	"units INTEGER NOT NULL, country INTEGER) WITHOUT ROWID;"	\
	"INSERT INTO " table " SELECT " IMPORT_CENTROID_COLS ", m.country "\
	"FROM temp.import_sums s LEFT JOIN temp.import_majority m "	\
	"ON m.level = s.level AND m.code = s.code "			\
	"WHERE s.level = " #level ";"
#define IMPORT_AREA_CENTROIDS(table, level)				\
	"CREATE TABLE " table " (code TEXT PRIMARY KEY, "		\
	"lat INTEGER NOT NULL, lon INTEGER NOT NULL, "			\
	"units INTEGER NOT NULL) WITHOUT ROWID;"			\
	"INSERT INTO " table " SELECT " IMPORT_CENTROID_COLS " "	\
	"FROM temp.import_sums s WHERE s.level = " #level ";"

int
store_import_finish(struct postcode_import *im, const char *source,
    long skipped, struct import_stats *stats)
{
	struct store *st = im->st;
	char pragma[64];
	int64_t n[3];

	if (import_txn_commit(im) == -1)
		goto fail;
	sqlite3_finalize(im->insert);
	im->insert = NULL;
	if (import_sum(im) == -1 ||
	    import_exec(im, IMPORT_CENTROIDS("postcode_sectors_new", 0)
	    IMPORT_CENTROIDS("postcode_districts_new", 1)
	    IMPORT_AREA_CENTROIDS("postcode_area_centroids_new", 2)) == -1)
		goto fail;
	for (int i = 0; i < 3; i++)
		if (query_int(st, &n[i], "SELECT count(*) FROM "
		    "temp.import_sums WHERE level = ?", "i", (int64_t)i) != 1)
			goto fail;

	/* The swap, durable as the connection was asked to be.  legacy
	 * renames leave views and triggers naming postcodes to the new
	 * table. */
	snprintf(pragma, sizeof pragma, "PRAGMA synchronous = %d",
	    (int)im->synchronous);
	if (exec(st, pragma) == -1 ||
	    exec(st, "PRAGMA legacy_alter_table = ON") == -1 ||
	    import_txn_begin(im) == -1)
		goto fail;
	if (exec(st, "ALTER TABLE postcodes RENAME TO postcodes_old;"
	    "ALTER TABLE postcodes_new RENAME TO postcodes;"
	    "DROP TABLE postcode_sectors;"
	    "ALTER TABLE postcode_sectors_new RENAME TO postcode_sectors;"
	    "DROP TABLE postcode_districts;"
	    "ALTER TABLE postcode_districts_new RENAME TO postcode_districts;"
	    "DROP TABLE postcode_area_centroids;"
	    "ALTER TABLE postcode_area_centroids_new "
	    "RENAME TO postcode_area_centroids") == -1 ||
	    run(st, "INSERT INTO postcode_imports (imported_at, source, units, "
	    "skipped) VALUES (?, ?, ?, ?)", "isii", now_unix(), source,
	    (int64_t)im->units, (int64_t)skipped) == -1 ||
	    import_txn_commit(im) == -1) {
		exec(st, "PRAGMA legacy_alter_table = OFF");
		goto fail;
	}
	exec(st, "PRAGMA legacy_alter_table = OFF; PRAGMA synchronous = NORMAL");
	memset(stats, 0, sizeof *stats);
	stats->units = im->units;
	stats->sectors = n[0];
	stats->districts = n[1];
	stats->areas = n[2];

	/* The new data is in; what follows only tidies up, and a failure
	 * here is the next import's to finish. */
	if (import_drop(im, "postcodes_old") == -1)
		log_warn("store: postcode import: dropping the old units: %s",
		    st->error);
	/* PASSIVE: a TRUNCATE checkpoint would hold the write lock while
	 * it copies the whole import into the database file. */
	exec(st, "PRAGMA wal_checkpoint(PASSIVE)");
	stats->txns = im->ntxn;
	stats->longest_ms = im->longest / 1e6;
	import_free(im);
	/* The statements were prepared against the old table. */
	for (int i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(st->stmt[i]);
		st->stmt[i] = prepare(st, stmt_sql[i]);
	}
	return 0;
fail:
	store_import_abort(im);
	return -1;
}

void
store_import_abort(struct postcode_import *im)
{
	char why[sizeof im->st->error];

	if (im == NULL)
		return;
	/* Keep the reason for the caller; tidy up what can be tidied. */
	memcpy(why, im->st->error, sizeof why);
	sqlite3_finalize(im->insert);
	im->insert = NULL;
	if (im->in_txn) {
		store_rollback(im->st);
		im->in_txn = 0;
	}
	for (const char **t = import_side; *t; t++)
		if (strcmp(*t, "postcodes_old") != 0)
			import_drop(im, *t);
	memcpy(im->st->error, why, sizeof why);
	import_free(im);
}

/* --- built-in data --------------------------------------------------- */

int
store_area_put(struct store *st, const char *area, const char *name,
    const char *country, double lat, double lon)
{
	return run(st, "INSERT OR REPLACE INTO postcode_areas (area, name, "
	    "country, lat, lon) VALUES (?, ?, ?, ?, ?)", "sssdd", area, name,
	    country, lat, lon);
}

int
store_district_country_put(struct store *st, const char *district,
    const char *country)
{
	return run(st, "INSERT OR REPLACE INTO district_countries (district, "
	    "country) VALUES (?, ?)", "ss", district, country);
}

int
store_district_centroid_put(struct store *st, const char *district,
    const char *country, double lat, double lon)
{
	return run(st, "INSERT OR REPLACE INTO district_centroids (district, "
	    "country, lat, lon) VALUES (?, ?, ?, ?)", "ssdd", district, country,
	    lat, lon);
}

int
store_needs_district_seed(struct store *st)
{
	int64_t n = 0;

	if (query_int(st, &n, "SELECT count(*) FROM district_centroids",
	    "") == -1)
		return -1;
	return n == 0;
}

/* --- branches, regions, audit ------------------------------------- */

#define BRANCH_JSON_SQL							\
	"SELECT json_object('id', b.id, 'name', b.name, 'postcode', "	\
	"b.postcode, 'lat', b.lat, 'lon', b.lon, 'meets', b.meets, "	\
	"'contact_name', b.contact_name, 'contact_phone', b.contact_phone, "\
	"'contact_email', b.contact_email, 'region', r.name, 'notify', "\
	"b.notify, 'active', "\
	"b.active, 'coverage', (SELECT json_group_array(code) FROM "	\
	"(SELECT code FROM branch_coverage WHERE branch_id = b.id "	\
	"ORDER BY code))) FROM branches b LEFT JOIN regions r "		\
	"ON r.id = b.region_id WHERE b.id = ?"

#define REGION_JSON_SQL							\
	"SELECT json_object('id', id, 'name', name, 'organiser_name', "	\
	"organiser_name, 'organiser_phone', organiser_phone, "		\
	"'organiser_email', organiser_email, 'notify', notify, 'areas', (SELECT "		\
	"json_group_array(code) FROM (SELECT code FROM region_areas "	\
	"WHERE region_id = regions.id ORDER BY code))) FROM regions "	\
	"WHERE id = ?"

/* The JSON image of one record, or NULL; the caller frees it. */
static char *
record_json(struct store *st, const char *sql, int64_t id)
{
	sqlite3_stmt *s = prepare(st, sql);
	char *json = NULL;

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL)
		json = column_dup(s, 0);
	sqlite3_finalize(s);
	return json;
}

static int
audit(struct store *st, const char *actor, const char *action,
    const char *kind, int64_t id, const char *before, const char *after)
{
	char record[64];

	snprintf(record, sizeof record, "%s:%lld", kind, (long long)id);
	return run(st, "INSERT INTO audit (at, actor, action, record, before, "
	    "after) VALUES (?, ?, ?, ?, ?, ?)", "isssss", now_unix(), actor,
	    action, record, before, after);
}

/* Replace a branch's coverage; a code another branch holds is an error
 * that names that branch. */
static int
put_coverage(struct store *st, const struct branch *b)
{
	if (run(st, "DELETE FROM branch_coverage WHERE branch_id = ?", "i",
	    b->id) == -1)
		return -1;
	for (size_t i = 0; i < b->ncoverage; i++) {
		int64_t other;
		int rc = query_int(st, &other, "SELECT branch_id FROM "
		    "branch_coverage WHERE code = ?", "s", b->coverage[i]);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			char *name = NULL;
			sqlite3_stmt *s = prepare(st,
			    "SELECT name FROM branches WHERE id = ?");
			if (s) {
				sqlite3_bind_int64(s, 1, other);
				if (sqlite3_step(s) == SQLITE_ROW)
					name = column_dup(s, 0);
				sqlite3_finalize(s);
			}
			set_error(st, "coverage %s already belongs to branch %s",
			    b->coverage[i], name ? name : "?");
			free(name);
			return -1;
		}
		if (run(st, "INSERT INTO branch_coverage (code, branch_id) "
		    "VALUES (?, ?)", "si", b->coverage[i], b->id) == -1)
			return -1;
	}
	return 0;
}

static int
branch_name_taken(struct store *st, const struct branch *b)
{
	int64_t other;
	int rc = query_int(st, &other, "SELECT id FROM branches WHERE name = ? "
	    "AND id != ?", "si", b->name, b->id);

	if (rc == 1)
		set_error(st, "a branch called \"%s\" already exists", b->name);
	return rc;
}

int
store_branch_insert(struct store *st, const char *actor, struct branch *b)
{
	int64_t now = now_unix();
	char *after;

	b->id = 0;
	if (branch_name_taken(st, b) != 0)
		return -1;
	if (run(st, "INSERT INTO branches (name, postcode, lat, lon, meets, "
	    "contact_name, contact_phone, contact_email, region_id, active, "
	    "created_at, updated_at, notify) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?)", "ssDDssssIiiis", b->name, b->postcode,
	    b->has_coords == BRANCH_COORDS ? b->lat : NAN,
	    b->has_coords == BRANCH_COORDS ? b->lon : NAN,
	    b->meets, b->contact_name, b->contact_phone, b->contact_email,
	    b->region_id, (int64_t)b->active, now, now, b->notify) == -1)
		return -1;
	b->id = sqlite3_last_insert_rowid(st->db);
	if (put_coverage(st, b) == -1)
		return -1;
	after = record_json(st, BRANCH_JSON_SQL, b->id);
	int rc = audit(st, actor, "create", "branch", b->id, NULL, after);
	free(after);
	return rc;
}

int
store_branch_update(struct store *st, const char *actor,
    const struct branch *b)
{
	char *before, *after;
	int rc;

	if ((before = record_json(st, BRANCH_JSON_SQL, b->id)) == NULL) {
		set_error(st, "no branch with id %lld", (long long)b->id);
		return -1;
	}
	rc = branch_name_taken(st, b) != 0 ? -1 : 0;
	if (rc == 0)
		rc = run(st, "UPDATE branches SET name = ?, postcode = ?, "
		    "lat = ?, lon = ?, meets = ?, contact_name = ?, "
		    "contact_phone = ?, contact_email = ?, region_id = ?, "
		    "active = ?, updated_at = ?, notify = ? WHERE id = ?",
		    "ssDDssssIiisi",
		    b->name, b->postcode,
		    b->has_coords == BRANCH_COORDS ? b->lat : NAN,
		    b->has_coords == BRANCH_COORDS ? b->lon : NAN, b->meets, b->contact_name,
		    b->contact_phone, b->contact_email, b->region_id,
		    (int64_t)b->active, now_unix(), b->notify, b->id);
	if (rc == 0)
		rc = put_coverage(st, b);
	if (rc == 0) {
		after = record_json(st, BRANCH_JSON_SQL, b->id);
		if (strcmp(before, after ? after : "") != 0)
			rc = audit(st, actor, "update", "branch", b->id, before,
			    after);
		free(after);
	}
	free(before);
	return rc;
}

int
store_branch_delete(struct store *st, const char *actor, int64_t id)
{
	char *before = record_json(st, BRANCH_JSON_SQL, id);
	int rc;

	if (before == NULL) {
		set_error(st, "no branch with id %lld", (long long)id);
		return -1;
	}
	rc = run(st, "DELETE FROM branches WHERE id = ?", "i", id);
	if (rc == 0)
		rc = audit(st, actor, "delete", "branch", id, before, NULL);
	free(before);
	return rc;
}

int
store_region_insert(struct store *st, const char *actor, struct region *r)
{
	int64_t other;
	char *after;
	int rc;

	if ((rc = query_int(st, &other, "SELECT id FROM regions WHERE name = ?",
	    "s", r->name)) != 0) {
		if (rc == 1)
			set_error(st, "a region called \"%s\" already exists",
			    r->name);
		return -1;
	}
	if (run(st, "INSERT INTO regions (name, organiser_name, "
	    "organiser_phone, organiser_email, notify) VALUES (?, ?, ?, ?, ?)",
	    "sssss", r->name, r->organiser_name, r->organiser_phone,
	    r->organiser_email, r->notify ? r->notify : "") == -1)
		return -1;
	r->id = sqlite3_last_insert_rowid(st->db);
	after = record_json(st, REGION_JSON_SQL, r->id);
	rc = audit(st, actor, "create", "region", r->id, NULL, after);
	free(after);
	return rc;
}

int
store_region_update(struct store *st, const char *actor,
    const struct region *r)
{
	char *before, *after;
	int rc;

	if ((before = record_json(st, REGION_JSON_SQL, r->id)) == NULL) {
		set_error(st, "no region with id %lld", (long long)r->id);
		return -1;
	}
	rc = run(st, "UPDATE regions SET name = ?, organiser_name = ?, "
	    "organiser_phone = ?, organiser_email = ?, notify = ? WHERE id = ?",
	    "sssssi", r->name, r->organiser_name, r->organiser_phone,
	    r->organiser_email, r->notify ? r->notify : "", r->id);
	if (rc == 0) {
		after = record_json(st, REGION_JSON_SQL, r->id);
		if (strcmp(before, after ? after : "") != 0)
			rc = audit(st, actor, "update", "region", r->id, before,
			    after);
		free(after);
	}
	free(before);
	return rc;
}

int
store_region_map(struct store *st, const char *actor, const char *code,
    int64_t region_id)
{
	int64_t old = 0;
	char before[128], after[128];
	int rc;

	if ((rc = query_int(st, &old, "SELECT region_id FROM region_areas "
	    "WHERE code = ?", "s", code)) == -1)
		return -1;
	if (rc == 1 && old == region_id)
		return 0;
	if (region_id)
		rc = run(st, "INSERT OR REPLACE INTO region_areas (code, "
		    "region_id) VALUES (?, ?)", "si", code, region_id);
	else
		rc = run(st, "DELETE FROM region_areas WHERE code = ?", "s",
		    code);
	if (rc == -1)
		return -1;
	snprintf(before, sizeof before, "{\"code\":\"%s\",\"region_id\":%lld}",
	    code, (long long)old);
	snprintf(after, sizeof after, "{\"code\":\"%s\",\"region_id\":%lld}",
	    code, (long long)region_id);
	char record[64];
	snprintf(record, sizeof record, "region_area:%s", code);
	return run(st, "INSERT INTO audit (at, actor, action, record, before, "
	    "after) VALUES (?, ?, ?, ?, ?, ?)", "isssss", now_unix(), actor,
	    region_id ? "map" : "unmap", record, old ? before : NULL,
	    region_id ? after : NULL);
}

int
store_audit_list(struct store *st, const char *record_prefix, int64_t since,
    int64_t until, int (*cb)(const struct audit_entry *, void *), void *arg)
{
	sqlite3_stmt *s = prepare(st, "SELECT id, at, actor, action, record, "
	    "before, after FROM audit WHERE (?1 IS NULL OR record = ?1 OR "
	    "record LIKE ?1 || ':%') AND at >= ?2 AND at < ?3 "
	    "ORDER BY id DESC");
	int rc;

	if (s == NULL)
		return -1;
	if (record_prefix)
		sqlite3_bind_text(s, 1, record_prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int64(s, 3, until ? until : INT64_MAX);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct audit_entry e = {
			.id = sqlite3_column_int64(s, 0),
			.at = sqlite3_column_int64(s, 1),
			.actor = (const char *)sqlite3_column_text(s, 2),
			.action = (const char *)sqlite3_column_text(s, 3),
			.record = (const char *)sqlite3_column_text(s, 4),
			.before = (const char *)sqlite3_column_text(s, 5),
			.after = (const char *)sqlite3_column_text(s, 6),
		};
		if (cb(&e, arg))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}

/* --- the message pipeline ------------------------------------------- */

int
store_inbound_find(struct store *st, const char *instance, const char *ext_id,
    int64_t since, int64_t *id, char **outcome, char **reply)
{
	sqlite3_stmt *s;
	int rc;

	*outcome = *reply = NULL;
	s = get_stmt(st, "SELECT id, outcome, reply FROM inbound WHERE "
	    "instance = ? AND ext_id = ? AND received_at >= ?");
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, instance, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ext_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, since);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*outcome = column_dup(s, 1);
		*reply = sqlite3_column_type(s, 2) == SQLITE_NULL ? NULL :
		    column_dup(s, 2);
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		rc = -1;
	}
	put_stmt(st, s);
	return rc;
}

int
store_inbound_claim(struct store *st, const struct inbound_row *r,
    int64_t *id, char **outcome, char **reply)
{
	const char *instance = r->instance, *ext_id = r->ext_id;
	const char *sender = r->sender, *text = r->text;
	sqlite3_stmt *s;
	int rc;

	*outcome = *reply = NULL;
	s = get_stmt(st, "INSERT INTO inbound (instance, ext_id, sender, "
	    "recipient, text, received_at, outcome, reply) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (instance, ext_id) DO NOTHING");
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, instance, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ext_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, sender, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, r->recipient, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, r->received_at);
	sqlite3_bind_text(s, 7, r->outcome, -1, SQLITE_STATIC);
	if (r->reply)
		sqlite3_bind_text(s, 8, r->reply, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 8);
	rc = sqlite3_step(s);
	put_stmt(st, s);
	if (rc != SQLITE_DONE) {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	if (sqlite3_changes(st->db) == 1) {
		*id = sqlite3_last_insert_rowid(st->db);
		return 1;
	}
	s = get_stmt(st, "SELECT id, outcome, reply FROM inbound WHERE "
	    "instance = ? AND ext_id = ?");
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, instance, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ext_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*outcome = column_dup(s, 1);
		*reply = sqlite3_column_type(s, 2) == SQLITE_NULL ? NULL :
		    column_dup(s, 2);
		rc = 0;
	} else {
		set_error(st, "inbound %s vanished", ext_id);
		rc = -1;
	}
	put_stmt(st, s);
	return rc;
}

/* The keyed hash an erased number is kept as, hex, into out[65]. */
static int
suppression_hash(struct store *st, const char *phone, char *out)
{
	unsigned char mac[CRYPTO_MAX_DIGEST];
	size_t n;

	if (!st->have_supkey) {
		sqlite3_stmt *s = get_stmt(st, "SELECT value FROM secrets WHERE "
		    "name = 'suppression'");
		int ok = 0;
		if (s == NULL)
			return -1;
		if (sqlite3_step(s) == SQLITE_ROW &&
		    sqlite3_column_bytes(s, 0) == (int)sizeof st->supkey) {
			memcpy(st->supkey, sqlite3_column_blob(s, 0),
			    sizeof st->supkey);
			ok = 1;
		}
		put_stmt(st, s);
		if (!ok) {
			set_error(st, "no suppression key");
			return -1;
		}
		st->have_supkey = 1;
	}
	n = crypto_hmac(HASH_SHA256, st->supkey, sizeof st->supkey, phone,
	    strlen(phone), mac);
	hex_encode(mac, n, out);
	return 0;
}

int
store_opted_out(struct store *st, const char *phone)
{
	char hash[2 * CRYPTO_MAX_DIGEST + 1];
	int64_t n;
	int rc;

	if ((rc = query_int(st, &n, "SELECT 1 FROM optouts WHERE phone = ?",
	    "s", phone)) != 0)
		return rc;
	/* An erased number stays opted out, known only by its hash. */
	if (suppression_hash(st, phone, hash) == -1)
		return -1;
	return query_int(st, &n, "SELECT 1 FROM suppressions WHERE "
	    "phone_hash = ?", "s", hash);
}

int
store_optout_add(struct store *st, const char *phone, const char *source,
    const char *instance, int64_t inbound_id, const char *text,
    const char *evidence, int64_t now)
{
	if (run(st, "INSERT INTO optouts (phone, opted_out_at, source, "
	    "instance, inbound_id, text, evidence) VALUES (?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (phone) DO NOTHING", "sissIss", phone, now, source,
	    instance, inbound_id, text, evidence ? evidence : "") == -1)
		return -1;
	return sqlite3_changes(st->db) == 1;
}

int
store_optout_remove(struct store *st, const char *phone)
{
	char hash[2 * CRYPTO_MAX_DIGEST + 1];

	/* START from an erased number opts it back in too. */
	if (suppression_hash(st, phone, hash) == -1 ||
	    run(st, "DELETE FROM suppressions WHERE phone_hash = ?", "s",
	    hash) == -1)
		return -1;
	return run(st, "DELETE FROM optouts WHERE phone = ?", "s", phone);
}

int
store_lead_insert(struct store *st, const struct lead_record *l, int64_t *id)
{
	if (run(st, "INSERT INTO leads (phone, name, postcode, branch_id, "
	    "region_id, match_kind, inbound_id, consent_ext_id, consent_text, "
	    "consent_at, consent_reply, created_at, updated_at) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "sssIIsIssisii",
	    l->phone, l->name, l->postcode, l->branch_id, l->region_id,
	    l->match_kind, l->inbound_id, l->consent_ext_id, l->consent_text,
	    l->consent_at, l->consent_reply, l->consent_at, l->consent_at) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_outbox_enqueue(struct store *st, const struct outbox_row *r)
{
	int64_t now = now_unix();

	if (run(st, "INSERT INTO outbox (idem_key, channel, instance, "
	    "recipient, subject, body, purpose, inbound_id, next_attempt_at, "
	    "created_at, updated_at, state, inline, ext_id, attempts) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (idem_key) DO NOTHING", "sssssssIiiisisi", r->idem_key,
	    r->channel, r->instance, r->recipient, r->subject ? r->subject : "",
	    r->body, r->purpose, r->inbound_id, r->due, now, now,
	    r->inline_sent ? "sent" : "queued", (int64_t)(r->inline_sent != 0),
	    r->ext_id ? r->ext_id : "", (int64_t)(r->inline_sent != 0)) == -1)
		return -1;
	return sqlite3_changes(st->db) == 1;
}

int
store_part_add(struct store *st, const char *instance, const char *sender,
    const char *ref, int part, int total, const char *ext_id, const char *text,
    int64_t now, int64_t stale_before, char **text_out, char **first_id)
{
	sqlite3_stmt *s;
	int64_t have;
	struct buf b;
	char *first = NULL;
	int rc;

	*text_out = NULL;
	*first_id = NULL;
	if (run(st, "DELETE FROM inbound_parts WHERE instance = ? AND "
	    "sender = ? AND ref = ? AND received_at < ?", "sssi", instance,
	    sender, ref, stale_before) == -1)
		return -1;
	/* The same part again (a retry) changes nothing; another message's
	 * part under the same number is replaced. */
	if (run(st, "INSERT INTO inbound_parts (instance, sender, ref, part, "
	    "total, ext_id, text, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (instance, sender, ref, part) DO UPDATE SET "
	    "total = excluded.total, ext_id = excluded.ext_id, "
	    "text = excluded.text, received_at = excluded.received_at "
	    "WHERE ext_id <> excluded.ext_id", "sssiissi", instance, sender,
	    ref, (int64_t)part, (int64_t)total, ext_id, text, now) == -1)
		return -1;
	if (query_int(st, &have, "SELECT count(*) FROM inbound_parts WHERE "
	    "instance = ? AND sender = ? AND ref = ? AND total = ?", "sssi",
	    instance, sender, ref, (int64_t)total) != 1)
		return -1;
	if (have < total)
		return 0;
	s = get_stmt(st, "SELECT text, ext_id FROM inbound_parts WHERE "
	    "instance = ? AND sender = ? AND ref = ? AND total = ? "
	    "ORDER BY part");
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, instance, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, sender, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, total);
	buf_init(&b, 0);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 0);
		const unsigned char *id = sqlite3_column_text(s, 1);
		buf_puts(&b, t ? (const char *)t : "");
		if (first == NULL)
			first = xstrdup(id ? (const char *)id : "");
	}
	put_stmt(st, s);
	/* Kept, without their words, as "done" (total 0) until stale: a
	 * retry of one of them is then known, not the start of another. */
	if (rc != SQLITE_DONE || run(st, "UPDATE inbound_parts SET total = 0, "
	    "text = '' WHERE instance = ? AND sender = ? AND ref = ? AND "
	    "total = ?", "sssi", instance, sender, ref, (int64_t)total) == -1) {
		buf_release(&b);
		free(first);
		return -1;
	}
	*text_out = b.data ? b.data : xstrdup("");
	*first_id = first ? first : xstrdup("");
	return 1;
}

int
store_outbox_delivery(struct store *st, const char *instance,
    const char *ext_id, int state, const char *error)
{
	const char *to = state == 2 ? "failed" : state == 1 ? "delivered" : NULL;

	if (to == NULL || *ext_id == '\0')
		return 0;
	/* A part of a long message: the row is failed when any part fails,
	 * delivered when every part is. */
	if (run(st, "UPDATE outbox_parts SET state = ? WHERE instance = ? AND "
	    "ext_id = ? AND state = 'sent'", "sss", to, instance, ext_id) == -1)
		return -1;
	if (sqlite3_changes(st->db) > 0) {
		int64_t part_of, left;
		if (query_int(st, &part_of, "SELECT outbox_id FROM outbox_parts "
		    "WHERE instance = ? AND ext_id = ?", "ss", instance,
		    ext_id) != 1 || query_int(st, &left, "SELECT count(*) FROM "
		    "outbox_parts WHERE outbox_id = ? AND state <> 'delivered'",
		    "i", part_of) != 1)
			return -1;
		if (state == 1 && left > 0)
			return 0;	/* more parts to come */
		return run(st, "UPDATE outbox SET state = ?, last_error = ?, "
		    "updated_at = ? WHERE id = ? AND state IN ('sending', "
		    "'sent')", "ssii", to, error ? error : "", now_unix(),
		    part_of);
	}
	/* Only forward: a late "sent" must not undo "delivered".  A row sent
	 * in parts is moved by its parts alone: a first part's receipt said
	 * again must not count for all of them. */
	return run(st, "UPDATE outbox SET state = ?, last_error = ?, "
	    "updated_at = ? WHERE instance = ? AND ext_id = ? AND state IN "
	    "('sending', 'sent') AND NOT EXISTS (SELECT 1 FROM outbox_parts "
	    "WHERE outbox_id = outbox.id)", "ssiss", to, error ? error : "",
	    now_unix(), instance, ext_id);
}

int
store_outbox_recipient(struct store *st, const char *instance,
    const char *ext_id, char **phone)
{
	sqlite3_stmt *s;
	int rc;

	*phone = NULL;
	if (*ext_id == '\0')
		return 0;
	/* Any part's id names the row (outbox.ext_id is the first's). */
	if ((s = get_stmt(st, "SELECT recipient FROM outbox WHERE id = "
	    "(SELECT max(id) FROM (SELECT id FROM outbox WHERE instance = ?1 "
	    "AND ext_id = ?2 UNION ALL SELECT outbox_id FROM outbox_parts "
	    "WHERE instance = ?1 AND ext_id = ?2))")) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, instance, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ext_id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*phone = column_dup(s, 0);
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		rc = -1;
	}
	put_stmt(st, s);
	return rc;
}

/* --- the outbox ------------------------------------------------------ */

void
outbox_item_release(struct outbox_item *it)
{
	free(it->idem_key);
	free(it->channel);
	free(it->instance);
	free(it->recipient);
	free(it->subject);
	free(it->body);
	free(it->purpose);
	memset(it, 0, sizeof *it);
}

int
store_outbox_due(struct store *st, int64_t now, int max,
    struct outbox_item **items)
{
	sqlite3_stmt *s;
	int n = 0, rc;

	*items = NULL;
	if ((s = get_stmt(st, "SELECT id, idem_key, channel, instance, "
	    "recipient, subject, body, purpose, attempts FROM outbox WHERE "
	    "state = 'queued' AND next_attempt_at <= ? ORDER BY "
	    "next_attempt_at, id LIMIT ?")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, max);
	*items = xcalloc((size_t)max, sizeof **items);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < max) {
		struct outbox_item *it = &(*items)[n++];
		it->id = sqlite3_column_int64(s, 0);
		it->idem_key = column_dup(s, 1);
		it->channel = column_dup(s, 2);
		it->instance = column_dup(s, 3);
		it->recipient = column_dup(s, 4);
		it->subject = column_dup(s, 5);
		it->body = column_dup(s, 6);
		it->purpose = column_dup(s, 7);
		it->attempts = sqlite3_column_int(s, 8);
	}
	put_stmt(st, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		for (int i = 0; i < n; i++)
			outbox_item_release(&(*items)[i]);
		n = -1;
	}
	if (n <= 0) {
		free(*items);
		*items = NULL;
	}
	return n;
}

int
store_outbox_census(struct store *st, const char *const *states, int n,
    int64_t *counts, int64_t *oldest_queued)
{
	sqlite3_stmt *s;
	int rc;

	memset(counts, 0, (size_t)n * sizeof *counts);
	*oldest_queued = 0;
	/* One pass over the outbox_due index, which covers state. */
	if ((s = get_stmt(st, "SELECT state, COUNT(*) FROM outbox "
	    "GROUP BY state")) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *state = (const char *)sqlite3_column_text(s, 0);
		for (int i = 0; state != NULL && i < n; i++)
			if (strcmp(state, states[i]) == 0)
				counts[i] = sqlite3_column_int64(s, 1);
	}
	put_stmt(st, s);
	if (rc != SQLITE_DONE) {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	/* The queued rows only, found by the same index. */
	if ((s = get_stmt(st, "SELECT COALESCE(MIN(created_at), 0) FROM "
	    "outbox WHERE state = 'queued'")) == NULL)
		return -1;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*oldest_queued = sqlite3_column_int64(s, 0);
	put_stmt(st, s);
	if (rc != SQLITE_ROW) {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

int
store_outbox_sending(struct store *st, int64_t id)
{
	return run(st, "UPDATE outbox SET state = 'sending', attempts = "
	    "attempts + 1, updated_at = ? WHERE id = ?", "ii", now_unix(), id);
}

int
store_outbox_sent(struct store *st, int64_t id, const char *ext_id)
{
	char *ids = xstrdup(ext_id), *s = ids, *part;
	const char *first = strsep(&s, " ");
	int64_t n = 1;
	int rc;

	rc = run(st, "UPDATE outbox SET state = 'sent', ext_id = ?, "
	    "last_error = '', updated_at = ? WHERE id = ? AND state = 'sending'",
	    "sii", first, now_unix(), id);
	/* A message sent in parts: every part's id, for its receipt. */
	if (rc == 0 && s != NULL) {
		rc = run(st, "INSERT OR IGNORE INTO outbox_parts (outbox_id, "
		    "part, instance, ext_id) SELECT id, 1, instance, ext_id "
		    "FROM outbox WHERE id = ?", "i", id);
		while (rc == 0 && (part = strsep(&s, " ")) != NULL)
			if (*part != '\0')
				rc = run(st, "INSERT OR IGNORE INTO outbox_parts "
				    "(outbox_id, part, instance, ext_id) SELECT "
				    "id, ?, instance, ? FROM outbox WHERE id = ?",
				    "isi", ++n, part, id);
	}
	free(ids);
	return rc;
}

int
store_outbox_retry(struct store *st, int64_t id, int64_t when,
    const char *error)
{
	return run(st, "UPDATE outbox SET state = 'queued', next_attempt_at = ?, "
	    "last_error = ?, updated_at = ? WHERE id = ?", "isii", when, error,
	    now_unix(), id);
}

int
store_outbox_dead(struct store *st, int64_t id, const char *error)
{
	return run(st, "UPDATE outbox SET state = 'dead', last_error = ?, "
	    "updated_at = ? WHERE id = ?", "sii", error, now_unix(), id);
}

int
store_outbox_discard(struct store *st, int64_t id, const char *why)
{
	return run(st, "UPDATE outbox SET state = 'discarded', last_error = ?, "
	    "updated_at = ? WHERE id = ?", "sii", why, now_unix(), id);
}

int
store_outbox_requeue_sending(struct store *st)
{
	if (run(st, "UPDATE outbox SET state = 'queued', updated_at = ? "
	    "WHERE state = 'sending'", "i", now_unix()) == -1)
		return -1;
	return sqlite3_changes(st->db);
}

/* --- conversations and repeat signups --------------------------------- */

int
store_conversation_get(struct store *st, const char *phone, int64_t now,
    struct conversation *c)
{
	sqlite3_stmt *s;
	int rc;

	memset(c, 0, sizeof *c);
	if ((s = get_stmt(st, "SELECT waiting_for, name, postcode, "
	    "coalesce(lead_id, 0) FROM conversations WHERE phone = ? AND "
	    "expires_at > ?")) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, phone, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const unsigned char *w = sqlite3_column_text(s, 0);
		const unsigned char *n = sqlite3_column_text(s, 1);
		const unsigned char *p = sqlite3_column_text(s, 2);
		strlcpy_(c->waiting_for, w ? (const char *)w : "",
		    sizeof c->waiting_for);
		strlcpy_(c->name, n ? (const char *)n : "", sizeof c->name);
		strlcpy_(c->postcode, p ? (const char *)p : "",
		    sizeof c->postcode);
		c->lead_id = sqlite3_column_int64(s, 3);
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		rc = -1;
	}
	put_stmt(st, s);
	return rc;
}

int
store_conversation_put(struct store *st, const char *phone,
    const char *instance, const struct conversation *c, int64_t expires_at)
{
	return run(st, "INSERT OR REPLACE INTO conversations (phone, instance, "
	    "waiting_for, name, postcode, lead_id, expires_at) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?)", "sssssIi", phone, instance, c->waiting_for,
	    c->name, c->postcode, c->lead_id, expires_at);
}

int
store_conversation_end(struct store *st, const char *phone)
{
	return run(st, "DELETE FROM conversations WHERE phone = ?", "s", phone);
}

int
store_lead_recent(struct store *st, const char *phone, int64_t since,
    int64_t *id)
{
	return query_int(st, id, "SELECT id FROM leads WHERE phone = ? AND "
	    "created_at >= ? ORDER BY id DESC LIMIT 1", "si", phone, since);
}

int
store_lead_update(struct store *st, int64_t id, const struct lead_record *l)
{
	/* A name already given is not lost to a message without one. */
	return run(st, "UPDATE leads SET name = CASE WHEN ? != '' THEN ? ELSE "
	    "name END, postcode = CASE WHEN ? != '' THEN ? ELSE postcode END, "
	    "branch_id = coalesce(?, branch_id), region_id = coalesce(?, "
	    "region_id), match_kind = CASE WHEN ? != '' THEN ? ELSE match_kind "
	    "END, updated_at = ? WHERE id = ?", "ssssIIssii", l->name, l->name,
	    l->postcode, l->postcode, l->branch_id, l->region_id, l->match_kind,
	    l->match_kind, l->consent_at, id);
}

int
store_outbox_list(struct store *st, const char *state, int limit,
    int (*cb)(const struct outbox_item *, const char *state,
    const char *last_error, void *), void *arg)
{
	sqlite3_stmt *s = prepare(st, "SELECT id, idem_key, channel, instance, "
	    "recipient, subject, body, purpose, attempts, state, last_error "
	    "FROM outbox WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC "
	    "LIMIT ?2");
	int rc;

	if (s == NULL)
		return -1;
	if (state)
		sqlite3_bind_text(s, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct outbox_item it = {
			.id = sqlite3_column_int64(s, 0),
			.idem_key = (char *)(uintptr_t)sqlite3_column_text(s, 1),
			.channel = (char *)(uintptr_t)sqlite3_column_text(s, 2),
			.instance = (char *)(uintptr_t)sqlite3_column_text(s, 3),
			.recipient = (char *)(uintptr_t)sqlite3_column_text(s, 4),
			.subject = (char *)(uintptr_t)sqlite3_column_text(s, 5),
			.body = (char *)(uintptr_t)sqlite3_column_text(s, 6),
			.purpose = (char *)(uintptr_t)sqlite3_column_text(s, 7),
			.attempts = sqlite3_column_int(s, 8),
		};
		if (cb(&it, (const char *)sqlite3_column_text(s, 9),
		    (const char *)sqlite3_column_text(s, 10), arg))
			break;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

int
store_outbox_revive(struct store *st, const char *actor, int64_t id,
    int discard)
{
	char record[64], before[64];
	int64_t n;

	/* Only dead letters: a row on its way is not an admin's to move. */
	if (query_int(st, &n, "SELECT count(*) FROM outbox WHERE id = ? AND "
	    "state = 'dead'", "i", id) != 1)
		return -1;
	if (n == 0) {
		set_error(st, "outbox row %lld is not a dead letter",
		    (long long)id);
		return -1;
	}
	if (run(st, discard ? "UPDATE outbox SET state = 'discarded', "
	    "updated_at = ?1 WHERE id = ?2" : "UPDATE outbox SET state = "
	    "'queued', attempts = 0, next_attempt_at = ?1, updated_at = ?1 "
	    "WHERE id = ?2", "ii", now_unix(), id) == -1)
		return -1;
	snprintf(record, sizeof record, "outbox:%lld", (long long)id);
	snprintf(before, sizeof before, "{\"state\":\"dead\"}");
	return run(st, "INSERT INTO audit (at, actor, action, record, before, "
	    "after) VALUES (?, ?, ?, ?, ?, ?)", "isssss", now_unix(), actor,
	    discard ? "discard" : "retry", record, before, discard ?
	    "{\"state\":\"discarded\"}" : "{\"state\":\"queued\"}");
}

/* --- leads and opt-outs for the CLI --------------------------------- */

int
store_leads_each(struct store *st, const struct lead_filter *f,
    int (*cb)(const struct lead_row *, void *), void *arg)
{
	sqlite3_stmt *s = prepare(st, "SELECT l.id, l.phone, l.name, "
	    "l.postcode, coalesce(b.name, ''), coalesce(r.name, ''), "
	    "l.match_kind, l.consent_ext_id, l.consent_text, l.consent_at, "
	    "l.consent_reply, l.created_at, l.updated_at FROM leads l "
	    "LEFT JOIN branches b ON b.id = l.branch_id LEFT JOIN regions r "
	    "ON r.id = l.region_id WHERE (?1 = 0 OR l.branch_id = ?1) AND "
	    "(?2 = 0 OR l.region_id = ?2) AND l.created_at >= ?3 AND "
	    "l.created_at < ?4 ORDER BY l.id");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, f->branch_id);
	sqlite3_bind_int64(s, 2, f->region_id);
	sqlite3_bind_int64(s, 3, f->since);
	sqlite3_bind_int64(s, 4, f->until ? f->until : INT64_MAX);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct lead_row l = {
			.id = sqlite3_column_int64(s, 0),
			.phone = (const char *)sqlite3_column_text(s, 1),
			.name = (const char *)sqlite3_column_text(s, 2),
			.postcode = (const char *)sqlite3_column_text(s, 3),
			.branch = (const char *)sqlite3_column_text(s, 4),
			.region = (const char *)sqlite3_column_text(s, 5),
			.match_kind = (const char *)sqlite3_column_text(s, 6),
			.consent_ext_id = (const char *)sqlite3_column_text(s, 7),
			.consent_text = (const char *)sqlite3_column_text(s, 8),
			.consent_at = sqlite3_column_int64(s, 9),
			.consent_reply = (const char *)sqlite3_column_text(s, 10),
			.created_at = sqlite3_column_int64(s, 11),
			.updated_at = sqlite3_column_int64(s, 12),
		};
		if (cb(&l, arg))
			break;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

int
store_optouts_each(struct store *st,
    int (*cb)(const char *phone, int64_t at, const char *source,
    const char *text, void *), void *arg)
{
	sqlite3_stmt *s = prepare(st, "SELECT phone, opted_out_at, source, "
	    "text FROM optouts ORDER BY opted_out_at, phone");
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (cb((const char *)sqlite3_column_text(s, 0),
		    sqlite3_column_int64(s, 1),
		    (const char *)sqlite3_column_text(s, 2),
		    (const char *)sqlite3_column_text(s, 3), arg))
			break;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		set_error(st, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

int
store_optout_change(struct store *st, const char *actor, const char *phone,
    int add, const char *source)
{
	char record[96], image[160];
	int had = store_opted_out(st, phone);

	if (had == -1)
		return -1;
	if (had == add)
		return 0;	/* already as asked: nothing changes */
	if ((add ? store_optout_add(st, phone, source, "", 0, "", "",
	    now_unix()) : store_optout_remove(st, phone)) == -1)
		return -1;
	snprintf(record, sizeof record, "optout:%s", phone);
	snprintf(image, sizeof image, "{\"phone\":\"%s\",\"source\":\"%s\"}",
	    phone, source);
	return run(st, "INSERT INTO audit (at, actor, action, record, before, "
	    "after) VALUES (?, ?, ?, ?, ?, ?)", "isssss", now_unix(), actor,
	    add ? "create" : "delete", record, add ? NULL : image,
	    add ? image : NULL);
}

/* --- erasure and retention ------------------------------------------- */

/* After an erasure: move every page to the main file and empty the WAL,
 * where the erased rows' earlier versions would otherwise stay until the
 * log wraps.  Readers holding an old snapshot make it wait (busy timeout),
 * and the server's checkpointer may be running a checkpoint of its own,
 * which makes this one give up at once: so try for a while.  1 done, 0
 * not done (logged), as it does not undo the erasure. */
static int
scrub(struct store *st)
{
	int done = 0;

	for (int try = 0; try < 100 && !done; try++) {
		int frames;
		if (try > 0) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		if (sqlite3_wal_checkpoint_v2(st->db, NULL,
		    SQLITE_CHECKPOINT_TRUNCATE, &frames, NULL) == SQLITE_OK)
			done = 1;
	}
	if (!done)
		log_warn("store: erasure committed, but the WAL could not be "
		    "emptied in 2 s (busy); the server's checkpointer empties "
		    "it once idle");
	return done;
}

/* Run fn in its own transaction, then scrub. */
static int
erase_txn(struct store *st, int (*fn)(struct store *, const char *,
    const void *, struct forget_counts *), const char *actor,
    const void *arg, struct forget_counts *c)
{
	memset(c, 0, sizeof *c);
	if (run(st, "BEGIN IMMEDIATE", "") == -1)
		return -1;
	if (fn(st, actor, arg, c) == -1 || store_commit(st) == -1) {
		char why[sizeof st->error];
		memcpy(why, st->error, sizeof why);
		store_rollback(st);
		memcpy(st->error, why, sizeof why);
		return -1;
	}
	c->scrubbed = scrub(st);
	return 0;
}

static int
forget_rows(struct store *st, const char *actor, const void *arg,
    struct forget_counts *c)
{
	const char *phone = arg;
	char hash[2 * CRYPTO_MAX_DIGEST + 1], record[96];
	char like[64];
	int64_t now = now_unix();

	if (suppression_hash(st, phone, hash) == -1)
		return -1;
	snprintf(like, sizeof like, "%%%s%%", phone);
#define ERASE(field, sql, ...)						\
	do {								\
		if (run(st, sql, __VA_ARGS__) == -1)			\
			return -1;					\
		c->field += sqlite3_changes(st->db);			\
	} while (0)
	ERASE(leads, "DELETE FROM leads WHERE phone = ?", "s", phone);
	ERASE(messages, "DELETE FROM inbound WHERE sender = ?", "s", phone);
	ERASE(messages, "DELETE FROM inbound_parts WHERE sender = ?", "s",
	    phone);
	ERASE(conversations, "DELETE FROM conversations WHERE phone = ?", "s",
	    phone);
	/* Replies to them, and notifications that name them. */
	ERASE(outbox, "DELETE FROM outbox WHERE recipient = ? OR body LIKE ?",
	    "ss", phone, like);
	ERASE(optouts, "DELETE FROM optouts WHERE phone = ?", "s", phone);
	/* Earlier audit rows keep what was done, not the number. */
	ERASE(audit, "UPDATE audit SET record = replace(record, ?1, ?2), "
	    "before = replace(before, ?1, '[erased]'), after = replace(after, "
	    "?1, '[erased]') WHERE record LIKE ?3 OR before LIKE ?3 OR after "
	    "LIKE ?3", "sss", phone, hash, like);
#undef ERASE
	if (run(st, "INSERT OR IGNORE INTO suppressions (phone_hash, "
	    "created_at) VALUES (?, ?)", "si", hash, now) == -1)
		return -1;
	snprintf(record, sizeof record, "number:%.16s", hash);
	char after[256];
	snprintf(after, sizeof after, "{\"leads\":%ld,\"messages\":%ld,"
	    "\"conversations\":%ld,\"outbox\":%ld,\"suppressed\":true}",
	    c->leads, c->messages, c->conversations, c->outbox);
	return run(st, "INSERT INTO audit (at, actor, action, record, before, "
	    "after) VALUES (?, ?, 'forget', ?, NULL, ?)", "isss", now, actor,
	    record, after);
}

int
store_forget(struct store *st, const char *actor, const char *phone,
    struct forget_counts *c)
{
	return erase_txn(st, forget_rows, actor, phone, c);
}

static int
purge_rows(struct store *st, const char *actor, const void *arg,
    struct forget_counts *c)
{
	int64_t before = *(const int64_t *)arg;
	char after[256];

	if (run(st, "DELETE FROM leads WHERE created_at < ?", "i", before) == -1)
		return -1;
	c->leads = sqlite3_changes(st->db);
	if (run(st, "DELETE FROM inbound WHERE received_at < ?", "i",
	    before) == -1)
		return -1;
	c->messages = sqlite3_changes(st->db);
	if (run(st, "DELETE FROM inbound_parts WHERE received_at < ?", "i",
	    before) == -1)
		return -1;
	c->messages += sqlite3_changes(st->db);
	if (run(st, "DELETE FROM conversations WHERE expires_at < ?", "i",
	    before) == -1)
		return -1;
	c->conversations = sqlite3_changes(st->db);
	/* Rows still to be sent stay, however old. */
	if (run(st, "DELETE FROM outbox WHERE created_at < ? AND state IN "
	    "('sent', 'delivered', 'failed', 'dead', 'discarded')", "i",
	    before) == -1)
		return -1;
	c->outbox = sqlite3_changes(st->db);
	snprintf(after, sizeof after, "{\"before\":%lld,\"leads\":%ld,"
	    "\"messages\":%ld,\"conversations\":%ld,\"outbox\":%ld}",
	    (long long)before, c->leads, c->messages, c->conversations,
	    c->outbox);
	return run(st, "INSERT INTO audit (at, actor, action, record, before, "
	    "after) VALUES (?, ?, 'purge', 'retention', NULL, ?)", "iss",
	    now_unix(), actor, after);
}

int
store_purge(struct store *st, const char *actor, int64_t before,
    struct forget_counts *c)
{
	return erase_txn(st, purge_rows, actor, &before, c);
}

/* --- operations: backup, restore, the server's lock, checks ---------- */

static int
lock_path(const char *db, const char *suffix, char *path, size_t len)
{
	return (size_t)snprintf(path, len, "%s%s", db, suffix) >= len ? -1 : 0;
}

int
store_serve_lock(const char *db, char *err, size_t errlen)
{
	char path[4096];
	int fd;

	if (lock_path(db, ".serve.lock", path, sizeof path) == -1) {
		snprintf(err, errlen, "%s: path too long", db);
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		snprintf(err, errlen, "%s", errno == EWOULDBLOCK ? "a server "
		    "is running on this database (stop it first)" :
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int
newest_migration(void)
{
	int newest = 0, n;

	for (const struct embedded_file *f = embedded_files; f->name; f++)
		if (sscanf(f->name, "schema/%d-", &n) == 1 && n > newest)
			newest = n;
	return newest;
}

/* One text from a query on db, into out; -1 on an error (in out). */
static int
check_text(sqlite3 *db, const char *sql, char *out, size_t len)
{
	sqlite3_stmt *s;
	int rc;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		snprintf(out, len, "%s", sqlite3_errmsg(db));
		return -1;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 0);
		snprintf(out, len, "%s", t ? (const char *)t : "");
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else {
		snprintf(out, len, "%s", sqlite3_errmsg(db));
		rc = -1;
	}
	sqlite3_finalize(s);
	return rc;
}

int
store_check_file(const char *path, struct store_file_check *c)
{
	static const char *tables[] = { "branches", "regions", "inbound",
	    "leads", "outbox", "optouts", "postcode_imports", "audit" };
	char buf[512], sql[256];
	sqlite3 *db = NULL;
	int rc = -1;

	memset(c, 0, sizeof *c);
	c->newest = newest_migration();
	if (access(path, R_OK) == -1) {
		snprintf(c->error, sizeof c->error, "%s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		snprintf(c->error, sizeof c->error, "%s: %s", path,
		    db ? sqlite3_errmsg(db) : "cannot open");
		goto out;
	}
	sqlite3_busy_timeout(db, 10000);
	if (check_text(db, "PRAGMA integrity_check", buf, sizeof buf) == -1) {
		snprintf(c->error, sizeof c->error, "%.250s: %.250s", path,
		    buf);
		goto out;
	}
	c->integrity_ok = strcmp(buf, "ok") == 0;
	snprintf(c->integrity, sizeof c->integrity, "%.200s", buf);
	if (check_text(db, "PRAGMA user_version", buf, sizeof buf) == -1) {
		snprintf(c->error, sizeof c->error, "%.250s: %.250s", path,
		    buf);
		goto out;
	}
	c->user_version = atoi(buf);
	c->tables_ok = 1;
	for (size_t i = 0; i < nitems(tables); i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_schema "
		    "WHERE type = 'table' AND name = '%s'", tables[i]);
		if (check_text(db, sql, buf, sizeof buf) == -1 ||
		    strcmp(buf, "1") != 0) {
			c->tables_ok = 0;
			snprintf(c->missing, sizeof c->missing, "%s", tables[i]);
			break;
		}
	}
	if (c->tables_ok && check_text(db, "SELECT source || char(9) || "
	    "imported_at FROM postcode_imports ORDER BY id DESC LIMIT 1", buf,
	    sizeof buf) == 0 && buf[0]) {
		char *tab = strchr(buf, '\t');
		if (tab) {
			*tab = '\0';
			c->import_at = strtoll(tab + 1, NULL, 10);
		}
		snprintf(c->import_source, sizeof c->import_source, "%.200s",
		    buf);
	}
	rc = 0;
out:
	sqlite3_close(db);
	return rc;
}

static int
fsync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) |
	    O_CLOEXEC);
	int rc;

	if (fd == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static void
dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

/* tmp is whole and on disk: make it path, atomically, durably. */
static int
publish(const char *tmp, const char *path, char *err, size_t errlen)
{
	char dir[4096];

	if (fsync_path(tmp, 0) == -1 || rename(tmp, path) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	dir_of(path, dir, sizeof dir);
	if (fsync_path(dir, 1) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The whole copy is one sqlite3_backup_step(-1), so one read transaction:
 * its snapshot is a consistent database, and in WAL mode a reader never
 * blocks the server's writer, so nothing is gained by stepping in chunks.
 * Chunks would lose: SQLite restarts a backup whose source another
 * connection changed between steps, so under a steady load a chunked
 * backup may never end.  VACUUM INTO gives the same snapshot but rebuilds
 * every index: on a 73 MB database (the whole NSPL imported) the one
 * step took 0.45-0.55 s and VACUUM INTO 0.9-1.1 s.  The cost of one step
 * is that checkpoints cannot pass the snapshot while it runs, so the log
 * grows for that time.
 */
int
store_backup(const char *db, const char *dest, struct store_backup_stats *bs,
    char *err, size_t errlen)
{
	char tmp[4096];
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b;
	int rc = -1;

	memset(bs, 0, sizeof *bs);
	if (lock_path(dest, ".tmp", tmp, sizeof tmp) == -1) {
		snprintf(err, errlen, "%s: path too long", dest);
		return -1;
	}
	unlink(tmp);
	if (sqlite3_open_v2(db, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", db, src ? sqlite3_errmsg(src) :
		    "cannot open");
		goto out;
	}
	sqlite3_busy_timeout(src, 10000);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", tmp, dst ? sqlite3_errmsg(dst) :
		    "cannot open");
		goto out;
	}
	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, sqlite3_errmsg(dst));
		goto out;
	}
	for (;;) {
		int r = sqlite3_backup_step(b, -1);
		if (r == SQLITE_DONE)
			break;
		if (r == SQLITE_BUSY || r == SQLITE_LOCKED) {
			sqlite3_sleep(50);
			continue;
		}
		sqlite3_backup_finish(b);
		snprintf(err, errlen, "%s: %s", db, sqlite3_errstr(r));
		goto out;
	}
	bs->pages = sqlite3_backup_pagecount(b);
	if (sqlite3_backup_finish(b) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", tmp, sqlite3_errmsg(dst));
		goto out;
	}
	/* One file, with no log beside it, whatever the source's mode. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", tmp, sqlite3_errmsg(dst));
		goto out;
	}
	sqlite3_close(dst);
	dst = NULL;
	rc = publish(tmp, dest, err, errlen);
out:
	sqlite3_close(dst);
	sqlite3_close(src);
	if (rc == -1)
		unlink(tmp);
	return rc;
}

int
store_restore(const char *from, const char *db, char *err, size_t errlen)
{
	char tmp[4096], side[4096], buf[65536];
	sqlite3 *old = NULL;
	int in = -1, out = -1, rc = -1;
	ssize_t n;

	if (lock_path(db, ".restore.tmp", tmp, sizeof tmp) == -1) {
		snprintf(err, errlen, "%s: path too long", db);
		return -1;
	}
	/* The copy first, beside the database, so that the rename is
	 * atomic (one file system) and a failure leaves the old one. */
	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1 ||
	    (out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1) {
		snprintf(err, errlen, "%s: %s", in == -1 ? from : tmp,
		    strerror(errno));
		goto out;
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
			goto out;
		}
	if (n < 0 || fsync(out) == -1) {
		snprintf(err, errlen, "%s: %s", n < 0 ? from : tmp,
		    strerror(errno));
		goto out;
	}
	close(out);
	out = -1;
	/* The old database's log belongs to the old file: fold it in
	 * (closing the last connection checkpoints and removes it), so
	 * that no frame of it is ever read as part of the new one. */
	if (access(db, F_OK) == 0) {
		if (sqlite3_open_v2(db, &old, SQLITE_OPEN_READWRITE, NULL) !=
		    SQLITE_OK || sqlite3_exec(old, "PRAGMA wal_checkpoint("
		    "TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", db, old ?
			    sqlite3_errmsg(old) : "cannot open");
			goto out;
		}
		sqlite3_close(old);
		old = NULL;
	}
	snprintf(side, sizeof side, "%s-wal", db);
	if (unlink(side) == -1 && errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", side, strerror(errno));
		goto out;
	}
	snprintf(side, sizeof side, "%s-shm", db);
	unlink(side);
	rc = publish(tmp, db, err, errlen);
out:
	sqlite3_close(old);
	if (in != -1)
		close(in);
	if (out != -1)
		close(out);
	if (rc == -1)
		unlink(tmp);
	return rc;
}

/* --- the alarm watch ------------------------------------------------- */

int
store_activity_scan(struct store *st)
{
	int64_t newest, seen;

	/* Two look-ups by primary key: nothing to do most of the time. */
	if (query_int(st, &newest, "SELECT COALESCE(MAX(id), 0) FROM inbound",
	    "") != 1 || query_int(st, &seen, "SELECT seen_inbound_id FROM "
	    "alarm_watch WHERE id = 1", "") == -1)
		return -1;
	if (newest == seen)
		return 0;
	/* newest < seen: the newest rows were erased; their ids are given
	 * again, so look from what is there now. */
	if (store_begin(st) == -1)
		return -1;
	if (run(st, "INSERT INTO instance_activity (instance, last_inbound, "
	    "watched_since) SELECT instance, MAX(received_at), "
	    "MAX(received_at) FROM inbound WHERE id > COALESCE((SELECT "
	    "seen_inbound_id FROM alarm_watch WHERE id = 1), 0) GROUP BY "
	    "instance ON CONFLICT (instance) DO UPDATE SET last_inbound = "
	    "MAX(last_inbound, excluded.last_inbound)", "") == -1 ||
	    run(st, "INSERT INTO alarm_watch (id, seen_inbound_id) VALUES (1, "
	    "(SELECT COALESCE(MAX(id), 0) FROM inbound)) ON CONFLICT (id) DO "
	    "UPDATE SET seen_inbound_id = excluded.seen_inbound_id", "") == -1 ||
	    store_commit(st) == -1) {
		store_rollback(st);
		return -1;
	}
	return 1;
}

static int
activity_rows(sqlite3 *db, sqlite3_stmt *s, struct activity *v, int max,
    char *err, size_t errlen)
{
	int n = 0, rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == max)
			continue;
		const unsigned char *t = sqlite3_column_text(s, 0);
		strlcpy_(v[n].instance, t ? (const char *)t : "",
		    sizeof v[n].instance);
		v[n].last_inbound = sqlite3_column_int64(s, 1);
		v[n].watched_since = sqlite3_column_int64(s, 2);
		v[n].silent_since = sqlite3_column_int64(s, 3);
		v[n].silent_last = sqlite3_column_int64(s, 4);
		n++;
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	return n;
}

static const char activity_sql[] = "SELECT instance, last_inbound, "
    "watched_since, silent_since, silent_last FROM instance_activity "
    "ORDER BY instance";

int
store_activity_list(struct store *st, struct activity *v, int max)
{
	sqlite3_stmt *s;
	int n;

	if ((s = get_stmt(st, activity_sql)) == NULL)
		return -1;
	n = activity_rows(st->db, s, v, max, st->error, sizeof st->error);
	put_stmt(st, s);
	return n;
}

int
store_activity_watch(struct store *st, const char *instance, int64_t now)
{
	return run(st, "INSERT INTO instance_activity (instance, "
	    "watched_since) VALUES (?, ?) ON CONFLICT (instance) DO NOTHING",
	    "si", instance, now);
}

int
store_activity_alarm(struct store *st, const char *instance, int64_t since,
    int64_t last)
{
	return run(st, "UPDATE instance_activity SET silent_since = ?, "
	    "silent_last = ? WHERE instance = ?", "iis", since, last, instance);
}

int
store_activity_file(const char *path, struct activity *v, int max, char *err,
    size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int n = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s", db ? sqlite3_errmsg(db) :
		    "cannot open");
		goto out;
	}
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_prepare_v2(db, activity_sql, -1, &s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		goto out;
	}
	n = activity_rows(db, s, v, max, err, errlen);
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}
