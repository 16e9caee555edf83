/*
 * store.c -- the store's core: open and migrate, transactions, the
 * statement cache and the helpers the other store files share.
 *
 * The store is split by concern, each file written once against db.h:
 * store_inbound.c (messages, their parts, the alarm watch), store_leads.c
 * (leads, conversations, opt-outs), store_outbox.c, store_directory.c
 * (branches, regions, the postcode tables), store_import.c (postcode
 * imports), store_admin.c (audit and export reads), store_privacy.c
 * (erasure and retention).  What one engine has and the other has not is
 * in store_sqlite.c and store_pg.c, behind struct store_engine.
 *
 * Text that the database lends (db_column_text) is copied before the
 * statement moves on; nothing outside the store sees a statement.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "embedded.h"
#include "log.h"
#include "store_impl.h"
#include "util.h"

/* The one list of engines, by their dialect's name. */
static const struct store_engine *engines[] = {
	&store_engine_sqlite,
	&store_engine_pg,
	NULL
};

static const char *stmt_sql[STORE_ST_COUNT] = {
	[STORE_ST_UNIT] = "SELECT lat, lon, terminated, country FROM postcodes "
	    "WHERE postcode = $1",
	[STORE_ST_SECTOR] = "SELECT lat, lon, country FROM postcode_sectors "
	    "WHERE code = $1",
	[STORE_ST_DISTRICT] = "SELECT lat, lon, country FROM postcode_districts "
	    "WHERE code = $1",
	/* An area's country is the built-in tables' (district overrides
	 * first), not a majority of its imported units. */
	[STORE_ST_AREA] = "SELECT lat, lon, NULL FROM postcode_area_centroids "
	    "WHERE code = $1",
};

void
store_seterror(struct store *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->error, sizeof st->error, fmt, ap);
	va_end(ap);
}

void
store_dberror(struct store *st)
{
	strlcpy_(st->error, db_error(st->db), sizeof st->error);
}

const char *
store_error(const struct store *st)
{
	return st->error;
}

int
store_exec(struct store *st, const char *sql)
{
	if (db_exec(st->db, sql) == -1) {
		store_dberror(st);
		return -1;
	}
	return 0;
}

struct db_stmt *
store_prepare(struct store *st, const char *sql)
{
	struct db_stmt *s = db_prepare(st->db, sql);

	if (s == NULL)
		store_dberror(st);
	return s;
}

struct db_stmt *
store_stmt(struct store *st, const char *sql)
{
	struct db_stmt *s;

	for (int i = 0; i < st->ncache; i++)
		if (st->cache[i].sql == sql)
			return st->cache[i].s;
	if ((s = store_prepare(st, sql)) == NULL)
		return NULL;
	if (st->ncache < STORE_CACHE) {
		st->cache[st->ncache].sql = sql;
		st->cache[st->ncache].s = s;
		st->ncache++;
	}
	return s;
}

void
store_done(struct store *st, struct db_stmt *s)
{
	for (int i = 0; i < st->ncache; i++)
		if (st->cache[i].s == s) {
			db_reset(s);
			return;
		}
	db_finalize(s);
}

int
store_bindv(struct store *st, struct db_stmt *s, const char *types,
    va_list ap)
{
	int i = 1, rc = 0;

	for (const char *t = types; *t && rc == 0; t++, i++) {
		switch (*t) {
		case 's':
			rc = db_bind_text_lent(s, i, va_arg(ap, const char *));
			break;
		case 'i':
			rc = db_bind_int64(s, i, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = db_bind_double(s, i, va_arg(ap, double));
			break;
		case 'D': {
			double d = va_arg(ap, double);
			rc = d != d ? db_bind_null(s, i) :
			    db_bind_double(s, i, d);
			break;
		}
		case 'I': {
			int64_t v = va_arg(ap, int64_t);
			rc = v ? db_bind_int64(s, i, v) : db_bind_null(s, i);
			break;
		}
		case 'S': {	/* text, NULL or "" as SQL NULL */
			const char *v = va_arg(ap, const char *);
			rc = v && *v ? db_bind_text_lent(s, i, v) :
			    db_bind_null(s, i);
			break;
		}
		}
	}
	if (rc == -1)
		store_dberror(st);
	return rc;
}

int
store_run(struct store *st, const char *sql, const char *types, ...)
{
	struct db_stmt *s;
	va_list ap;
	int rc;

	st->changes = 0;
	if ((s = store_stmt(st, sql)) == NULL)
		return -1;
	va_start(ap, types);
	rc = store_bindv(st, s, types, ap);
	va_end(ap);
	while (rc == 0 && (rc = db_step(s)) == 1)
		rc = 0;
	if (rc == -1)
		store_dberror(st);
	else
		st->changes = db_changes(s);
	store_done(st, s);
	return rc;
}

int
store_query_int(struct store *st, int64_t *out, const char *sql,
    const char *types, ...)
{
	struct db_stmt *s;
	va_list ap;
	int rc;

	if ((s = store_stmt(st, sql)) == NULL)
		return -1;
	va_start(ap, types);
	rc = store_bindv(st, s, types, ap);
	va_end(ap);
	if (rc == 0) {
		rc = db_step(s);
		if (rc == 1)
			*out = db_column_int64(s, 0);
		else if (rc == -1)
			store_dberror(st);
	}
	store_done(st, s);
	return rc;
}

char *
store_col_dup(struct db_stmt *s, int col)
{
	const char *t = db_column_text(s, col);

	return xstrdup(t ? t : "");
}

void
store_col_copy(struct db_stmt *s, int col, char *buf, size_t len)
{
	const char *t = db_column_text(s, col);

	strlcpy_(buf, t ? t : "", len);
}

int
store_audit(struct store *st, const char *actor, const char *action,
    const char *record, const char *before, const char *after)
{
	return store_run(st, "INSERT INTO audit (at, actor, action, record, "
	    "before, after) VALUES ($1, $2, $3, $4, $5, $6)", "isssss",
	    now_unix(), actor, action, record, before, after);
}

int
store_audit_note(struct store *st, const char *actor, const char *action,
    const char *record, const char *before, const char *after)
{
	return store_audit(st, actor, action, record, before, after);
}

int
store_suppression_hash(struct store *st, const char *phone, char *out)
{
	unsigned char mac[CRYPTO_MAX_DIGEST];
	size_t n;

	if (!st->have_supkey) {
		struct db_stmt *s = store_stmt(st, "SELECT value FROM secrets "
		    "WHERE name = 'suppression'");
		const void *key;
		size_t len = 0;
		int ok = 0;

		if (s == NULL)
			return -1;
		if (db_step(s) == 1 && (key = db_column_blob(s, 0, &len)) &&
		    len == sizeof st->supkey) {
			memcpy(st->supkey, key, sizeof st->supkey);
			ok = 1;
		}
		store_done(st, s);
		if (!ok) {
			store_seterror(st, "no suppression key");
			return -1;
		}
		st->have_supkey = 1;
	}
	n = crypto_hmac(HASH_SHA256, st->supkey, sizeof st->supkey, phone,
	    strlen(phone), mac);
	hex_encode(mac, n, out);
	return 0;
}

/* --- open and close -------------------------------------------------- */

static _Atomic int serving = 0;

void
store_serving(int on)
{
	serving = on;
}

/* Why this thread's last store_open failed, "" after one succeeded.  A
 * request thread retries its open on every request while the file is
 * gone; logging only a change of reason keeps that to one line. */
static __thread char open_error[256];

static void
open_failed(const struct config *cf, const char *why)
{
	if (strcmp(open_error, why) != 0)
		log_error("store: %s: %s", cf->db_url && *cf->db_url ?
		    "postgresql" : cf->db_path, why);
	strlcpy_(open_error, why, sizeof open_error);
}

const char *
store_open_error(void)
{
	return open_error;
}

/* The record images of audit rows, in the engine's JSON functions.  The
 * empty array: SQLite's aggregate gives '[]' over no rows, PostgreSQL's
 * NULL. */
static void
record_sql(struct store *st)
{
	const char *obj = st->dl->json_object, *agg = st->dl->json_array_agg;

	snprintf(st->branch_json, sizeof st->branch_json,
	    "SELECT %s('id', b.id, 'name', b.name, 'postcode', b.postcode, "
	    "'lat', b.lat, 'lon', b.lon, 'meets', b.meets, "
	    "'contact_name', b.contact_name, 'contact_phone', b.contact_phone, "
	    "'contact_email', b.contact_email, 'region', r.name, "
	    "'notify', b.notify, 'active', b.active, 'coverage', "
	    "coalesce((SELECT %s(c.code) FROM (SELECT code FROM "
	    "branch_coverage WHERE branch_id = b.id ORDER BY code) c), '[]')) "
	    "FROM branches b LEFT JOIN regions r ON r.id = b.region_id "
	    "WHERE b.id = $1", obj, agg);
	snprintf(st->region_json, sizeof st->region_json,
	    "SELECT %s('id', id, 'name', name, 'organiser_name', "
	    "organiser_name, 'organiser_phone', organiser_phone, "
	    "'organiser_email', organiser_email, 'notify', notify, 'areas', "
	    "coalesce((SELECT %s(a.code) FROM (SELECT code FROM region_areas "
	    "WHERE region_id = regions.id ORDER BY code) a), '[]')) "
	    "FROM regions WHERE id = $1", obj, agg);
}

struct store *
store_open(const struct config *cf)
{
	struct store *st = xcalloc(1, sizeof *st);
	char err[512];

	/* The running server's connections never create the file, and
	 * leave checkpoints to its checkpointer (store_serving). */
	if ((st->db = db_open(cf, DB_MIGRATE | (serving ?
	    DB_NO_AUTOCHECKPOINT : DB_CREATE), err, sizeof err)) == NULL) {
		open_failed(cf, err);
		free(st);
		return NULL;
	}
	st->dl = db_dialect(st->db);
	for (size_t i = 0; engines[i]; i++)
		if (!strcmp(engines[i]->name, st->dl->name))
			st->eng = engines[i];
	if (st->eng == NULL) {
		open_failed(cf, "no store for this database engine");
		store_close(st);
		return NULL;
	}
	record_sql(st);
	for (int i = 0; i < STORE_ST_COUNT; i++)
		if ((st->stmt[i] = store_prepare(st, stmt_sql[i])) == NULL) {
			open_failed(cf, st->error);
			store_close(st);
			return NULL;
		}
	open_error[0] = '\0';
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < STORE_ST_COUNT; i++)
		db_finalize(st->stmt[i]);
	for (int i = 0; i < st->ncache; i++)
		db_finalize(st->cache[i].s);
	db_close(st->db);
	free(st);
}

int
store_needs_seed(struct store *st)
{
	int64_t n = 0;

	/* Not "was the file new": a seed that failed half-way rolled back,
	 * and the next start must try again. */
	if (store_query_int(st, &n, "SELECT count(*) FROM postcode_areas",
	    "") == -1)
		return -1;
	return n == 0;
}

/* --- transactions ---------------------------------------------------- */

/* Transaction statements run as cached prepared statements, keyed by the
 * dialect's text: one per request on the read path. */
int
store_savepoint(struct store *st)
{
	return store_run(st, "SAVEPOINT sp", "");
}

int
store_release(struct store *st)
{
	return store_run(st, "RELEASE SAVEPOINT sp", "");
}

int
store_savepoint_next(struct store *st)
{
	if (st->dl->savepoint_next != NULL)
		return store_exec(st, st->dl->savepoint_next);
	if (store_release(st) == -1)
		return -1;
	return store_savepoint(st);
}

void
store_rollback_savepoint(struct store *st)
{
	/* The error that made the caller roll back stays in st->error. */
	db_rollback_to(st->db, "sp");
}

int
store_read_begin(struct store *st)
{
	/* Nested: the outer one serves.  Inside a write transaction
	 * already (the writer deciding a job again): that one serves. */
	if (st->read_depth++ > 0 || db_in_transaction(st->db))
		return 0;
	if (store_run(st, st->dl->begin_read, "") == -1)
		return -1;
	st->read_own = 1;
	return 0;
}

void
store_read_end(struct store *st)
{
	if (st->read_depth > 0 && --st->read_depth > 0)
		return;
	/* A COMMIT that fails (the connection lost inside the transaction)
	 * leaves it open until a ROLLBACK, and the connection with it: end
	 * it, so that the next statement makes the connection again. */
	if (st->read_own && db_in_transaction(st->db) &&
	    store_run(st, "COMMIT", "") == -1)
		store_run(st, "ROLLBACK", "");
	st->read_own = 0;
}

int
store_begin(struct store *st)
{
	return store_run(st, st->dl->begin_write, "");
}

int
store_file_moved(struct store *st)
{
	return st->eng->file_moved(st);
}

int
store_commit(struct store *st)
{
	/* A file deleted or renamed under us takes commits that no one will
	 * ever read: refuse them, so that nothing is acknowledged that is
	 * not durable where the next start will look. */
	switch (st->eng->file_moved(st)) {
	case 0:
		break;
	case 1:
		store_seterror(st, "the database file has been deleted or moved "
		    "since it was opened");
		return -1;
	default:
		store_seterror(st, "cannot tell whether the database file "
		    "moved");
		return -1;
	}
	return store_run(st, "COMMIT", "");
}

void
store_rollback(struct store *st)
{
	if (db_in_transaction(st->db))
		db_rollback(st->db);
}

int
store_checkpoint(struct store *st, enum store_checkpoint mode, int *frames)
{
	return st->eng->checkpoint(st, mode, frames);
}

int64_t
store_data_version(struct store *st)
{
	return st->eng->data_version(st);
}

int64_t
store_directory_version(struct store *st)
{
	int64_t v = -1;

	store_query_int(st, &v, "SELECT version FROM directory_version", "");
	return v;
}

int
store_readiness(struct store *st, struct store_readiness *r)
{
	size_t dirlen = strlen(st->dl->schema_dir);
	int64_t areas;
	int version, newest = 0;
	struct db_stmt *s;

	memset(r, 0, sizeof *r);
	for (const struct embedded_file *f = embedded_files; f->name; f++) {
		int n;
		if (strncmp(f->name, st->dl->schema_dir, dirlen) == 0 &&
		    strchr(f->name + dirlen, '/') == NULL &&
		    sscanf(f->name + dirlen, "%d-", &n) == 1 && n > newest)
			newest = n;
	}
	if (db_schema_version(st->db, &version) == -1) {
		store_dberror(st);
		return -1;
	}
	if (store_query_int(st, &areas, "SELECT count(*) FROM postcode_areas",
	    "") != 1)
		return -1;
	r->schema_current = version == newest;
	r->areas = (long)areas;
	if ((s = store_stmt(st, "SELECT source, imported_at, units FROM "
	    "postcode_imports ORDER BY imported_at DESC LIMIT 1")) == NULL)
		return -1;
	if (db_step(s) == 1) {
		store_col_copy(s, 0, r->release, sizeof r->release);
		r->imported_at = db_column_int64(s, 1);
		r->units = (long)db_column_int64(s, 2);
	}
	store_done(st, s);
	return 0;
}

int
store_job_try(struct store *st, const char *job)
{
	return st->eng->job_try(st, job);
}

int
store_job_release(struct store *st, const char *job)
{
	return st->eng->job_release(st, job);
}
