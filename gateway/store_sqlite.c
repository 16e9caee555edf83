/*
 * store_sqlite.c -- what only SQLite has: the engine operations of a
 * store on a SQLite file (WAL checkpoints, the file-moved check,
 * data_version, the import's WAL hook and PRAGMAs), and the operations on a database
 * file by its path (the server's lock, doctor's check, the online backup,
 * restore).  The one file of the store that speaks the sqlite3 API.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db_sqlite.h"
#include "embedded.h"
#include "log.h"
#include "store_impl.h"
#include "util.h"

static int
sq_file_moved(struct store *st)
{
	int moved = 0;

	if (sqlite3_file_control(db_sqlite_handle(st->db), "main",
	    SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK)
		return -1;
	return moved != 0;
}

static int
sq_checkpoint(struct store *st, enum store_checkpoint mode, int *frames)
{
	static const int modes[] = {
		[STORE_CKPT_PASSIVE] = SQLITE_CHECKPOINT_PASSIVE,
		[STORE_CKPT_RESTART] = SQLITE_CHECKPOINT_RESTART,
		[STORE_CKPT_TRUNCATE] = SQLITE_CHECKPOINT_TRUNCATE,
	};
	sqlite3 *db = db_sqlite_handle(st->db);
	int log = -1, done = -1, rc;

	rc = sqlite3_wal_checkpoint_v2(db, NULL, modes[mode], &log, &done);
	*frames = log;
	/* BUSY: a RESTART or TRUNCATE that readers kept from finishing;
	 * what could be copied was, and the next one goes on. */
	if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
		store_seterror(st, "%s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static int64_t
sq_data_version(struct store *st)
{
	int64_t v = -1;

	store_query_int(st, &v, "PRAGMA data_version", "");
	return v;
}

/* After an erasure: move every page to the main file and empty the WAL,
 * where the erased rows' earlier versions would otherwise stay until the
 * log wraps (secure_delete has overwritten them in the main file).
 * Readers holding an old snapshot make it wait (busy timeout), and the
 * server's checkpointer may be running a checkpoint of its own, which
 * makes this one give up at once: so try for a while. */
static int
sq_scrub(struct store *st)
{
	sqlite3 *db = db_sqlite_handle(st->db);
	int done = 0;

	for (int try = 0; try < 100 && !done; try++) {
		int frames;
		if (try > 0) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		if (sqlite3_wal_checkpoint_v2(db, NULL,
		    SQLITE_CHECKPOINT_TRUNCATE, &frames, NULL) == SQLITE_OK)
			done = 1;
	}
	if (!done)
		log_warn("store: erasure committed, but the WAL could not be "
		    "emptied in 2 s (busy); the server's checkpointer empties "
		    "it once idle");
	return done;
}

static const char *
sq_path(struct store *st)
{
	const char *p = sqlite3_db_filename(db_sqlite_handle(st->db), "main");

	return p ? p : "";
}

/* Instead of SQLite's autocheckpoint, which would checkpoint inside the
 * timed commit: the import checkpoints when it pauses. */
static int
sq_wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	*(int *)arg = frames;
	return SQLITE_OK;
}

static int
sq_table_exists(struct store *st, const char *table)
{
	int64_t n = 0;

	if (store_query_int(st, &n, "SELECT count(*) FROM sqlite_schema "
	    "WHERE type = 'table' AND name = $1", "s", table) != 1)
		return -1;
	return n > 0;
}

static int
sq_import_tune(struct store *st, enum store_import_phase phase,
    struct store_import_tune *t)
{
	sqlite3 *db = db_sqlite_handle(st->db);
	char pragma[64];

	switch (phase) {
	case STORE_IMPORT_BUILD:
		if (store_query_int(st, &t->synchronous, "PRAGMA synchronous",
		    "") != 1 || store_query_int(st, &t->autocheckpoint,
		    "PRAGMA wal_autocheckpoint", "") != 1)
			return -1;
		t->saved = 1;
		if (t->frames)
			sqlite3_wal_hook(db, sq_wal_hook, t->frames);
		/* The side tables need not survive a power cut: until the
		 * swap nothing reads them, and the swap's commit syncs what
		 * they hold.  A big cache keeps the b-tree's pages between
		 * transactions. */
		return store_exec(st, "PRAGMA synchronous = NORMAL; "
		    "PRAGMA cache_size = -262144");
	case STORE_IMPORT_SWAP:
		/* The swap, durable as the connection was asked to be.
		 * legacy renames leave views and triggers naming postcodes
		 * to the new table. */
		snprintf(pragma, sizeof pragma, "PRAGMA synchronous = %d",
		    (int)t->synchronous);
		if (store_exec(st, pragma) == -1)
			return -1;
		return store_exec(st, "PRAGMA legacy_alter_table = ON");
	case STORE_IMPORT_SWAPPED:
		return store_exec(st, "PRAGMA legacy_alter_table = OFF; "
		    "PRAGMA synchronous = NORMAL");
	case STORE_IMPORT_END:
		store_exec(st, "PRAGMA legacy_alter_table = OFF");
		if (t->saved) {
			snprintf(pragma, sizeof pragma, "PRAGMA synchronous = %d",
			    (int)t->synchronous);
			store_exec(st, pragma);
			sqlite3_wal_autocheckpoint(db, (int)t->autocheckpoint);
		}
		store_exec(st, "PRAGMA cache_size = -2000");
		return 0;
	}
	return 0;
}

/* One process serves a SQLite database (store_serve_lock): every job is
 * its own, and no other owner of an outbox lease lives. */
static int
sq_job_try(struct store *st, const char *job)
{
	return 1;
}

static int
sq_job_release(struct store *st, const char *job)
{
	return 0;
}

const struct store_engine store_engine_sqlite = {
	.name = "sqlite",
	.file_moved = sq_file_moved,
	.checkpoint = sq_checkpoint,
	.data_version = sq_data_version,
	.scrub = sq_scrub,
	.path = sq_path,
	.table_exists = sq_table_exists,
	.import_tune = sq_import_tune,
	.import_table_opts = " WITHOUT ROWID",
	.import_country_type = "INTEGER",
	.import_drop_in_steps = 1,
	.job_try = sq_job_try,
	.job_release = sq_job_release,
};

/* --- operations on a file: backup, restore, the server's lock, checks -- */

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


/* store_activity_list on a file opened read-only, for doctor: it must not
 * write, migrate or create what it looks at. */
int
store_activity_file(const char *path, struct activity *v, int max, char *err,
    size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int n = -1, rc;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s", db ? sqlite3_errmsg(db) :
		    "cannot open");
		goto out;
	}
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_prepare_v2(db, "SELECT instance, last_inbound, "
	    "watched_since, silent_since, silent_last FROM instance_activity "
	    "ORDER BY instance", -1, &s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		goto out;
	}
	n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 0);
		if (n == max)
			continue;
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
		n = -1;
	}
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}
