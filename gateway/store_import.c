/*
 * store_import.c -- postcode imports: the new units are built beside the
 * old ones and swapped in with one short transaction.
 *
 * The same on both engines: side tables, then renames in one short
 * transaction.  What differs (durability while building, the hold on
 * SQLite's write-ahead log, the lock that keeps one import at a time on
 * PostgreSQL, a column type) is the engine's (store_engine.import_tune
 * and its import_* fields).
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "store_impl.h"
#include "util.h"

/* --- postcode import ---------------------------------------------- */

/*
 * The new units and centroids are built beside the old ones in side
 * tables, in write transactions of at most IMPORT_TXN_MS each, so that
 * the server's writer waits for a moment, not for the whole import.  One
 * short transaction then renames the side tables into place: until it
 * commits, readers see the old data whatever becomes of the import (an
 * error, SIGKILL, a power cut), and the next import drops what an
 * interrupted one left.  Readers' prepared statements name the tables,
 * so either engine prepares them again on the schema change by itself
 * (the side tables have the very column types of the tables they
 * replace, which PostgreSQL's re-planning needs).
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
	struct db_stmt	*insert;
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
	struct store_import_tune tune;	/* the engine's, between phases */
	int		 tuned;		/* import_tune(BUILD) was called */
};

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
		int frames;

		store_checkpoint(im->st, STORE_CKPT_PASSIVE, &frames);
		im->wal_frames = 0;
	}
}

/* Run sql (no rows) in a write transaction of its own; *changes (may be
 * NULL, and then sql may be a script): the rows it changed. */
static int
import_exec(struct postcode_import *im, const char *sql, int64_t *changes)
{
	struct db_stmt *s = NULL;
	int rc;

	if (import_txn_begin(im) == -1)
		return -1;
	if (changes == NULL)
		rc = store_exec(im->st, sql);
	else if ((s = store_prepare(im->st, sql)) == NULL)
		rc = -1;
	else if ((rc = db_step(s)) == -1)
		store_dberror(im->st);
	else
		*changes = db_changes(s);
	db_finalize(s);
	if (rc == -1) {
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
	int64_t changes;
	int n;

	if ((n = st->eng->table_exists(st, table)) != 1)
		return n;
	/* From the start of the key: a range, and pages left empty behind. */
	snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s <= (SELECT %s "
	    "FROM %s ORDER BY %s LIMIT 1 OFFSET %d)", table, key, key, table,
	    key, IMPORT_DROP_ROWS - 1);
	while (st->eng->import_drop_in_steps) {
		if (import_exec(im, sql, &changes) == -1)
			return -1;
		import_checkpoint(im);
		if (changes < IMPORT_DROP_ROWS)
			break;
	}
	snprintf(sql, sizeof sql, "DROP TABLE %s", table);
	return import_exec(im, sql, NULL);
}

/* One import at a time per database: a second would write into the
 * first one's side table.  flock, so that a killed import lets go. */
static int
import_lock(struct postcode_import *im)
{
	const char *db = im->st->eng->path(im->st);
	char path[4096];

	im->lockfd = -1;
	if (db == NULL || *db == '\0')
		return 0;	/* in memory: nobody else can see it */
	if ((size_t)snprintf(path, sizeof path, "%s-import.lock", db) >=
	    sizeof path) {
		store_seterror(im->st, "%s: path too long", db);
		return -1;
	}
	if ((im->lockfd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC,
	    0644)) == -1) {
		store_seterror(im->st, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(im->lockfd, LOCK_EX | LOCK_NB) == -1) {
		store_seterror(im->st, "%s", errno == EWOULDBLOCK ? "another "
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

	db_finalize(im->insert);
	if (im->in_txn)
		store_rollback(st);
	/* Unqualified: the session's own temporary tables come first in
	 * the search on both engines. */
	store_exec(st, "DROP TABLE IF EXISTS import_sums; "
	    "DROP TABLE IF EXISTS import_countries; "
	    "DROP TABLE IF EXISTS import_majority");
	if (im->tuned)
		st->eng->import_tune(st, STORE_IMPORT_END, &im->tune);
	if (im->lockfd != -1)
		close(im->lockfd);	/* and with it the lock */
	free(im);
}

struct postcode_import *
store_import_begin(struct store *st)
{
	struct postcode_import *im;

	char sql[512];

	im = xcalloc(1, sizeof *im);
	im->st = st;
	im->tune.frames = &im->wal_frames;
	if (import_lock(im) == -1)
		goto fail;
	im->tuned = 1;
	if (st->eng->import_tune(st, STORE_IMPORT_BUILD, &im->tune) == -1)
		goto fail;
	for (const char **t = import_side; *t; t++)
		if (import_drop(im, *t) == -1)
			goto fail;
	/* As postcodes in 001-init.sql and 006-unit-country.sql. */
	snprintf(sql, sizeof sql, "CREATE TABLE postcodes_new ("
	    " postcode TEXT PRIMARY KEY, lat INTEGER, lon INTEGER,"
	    " terminated INTEGER NOT NULL DEFAULT 0, country %s)%s",
	    st->eng->import_country_type, st->eng->import_table_opts);
	if (import_exec(im, sql, NULL) == -1)
		goto fail;
	/* A duplicate is skipped, not an error: an error would end the
	 * transaction on PostgreSQL, and the rows before it with it. */
	if ((im->insert = store_prepare(st, "INSERT INTO postcodes_new "
	    "(postcode, lat, lon, terminated, country) VALUES ($1, $2, $3, $4, $5) "
	    "ON CONFLICT (postcode) DO NOTHING")) == NULL)
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
	struct db_stmt *s = im->insert;
	int rc;

	if (im->in_txn && ++im->unchecked >= IMPORT_CHECK_ROWS) {
		im->unchecked = 0;
		if (now_ns() - im->txn_start >= IMPORT_TXN_MS * 1000000ull &&
		    import_txn_commit(im) == -1)
			return -1;
	}
	if (import_txn_begin(im) == -1)
		return -1;
	db_bind_text_lent(s, 1, postcode);
	if (has_coords) {
		db_bind_int64(s, 2, (int64_t)llround(lat * 1e6));
		db_bind_int64(s, 3, (int64_t)llround(lon * 1e6));
	} else {
		db_bind_null(s, 2);
		db_bind_null(s, 3);
	}
	db_bind_int64(s, 4, terminated);
	if (country > 0)
		db_bind_int64(s, 5, country);
	else
		db_bind_null(s, 5);
	rc = db_step(s);
	if (rc == 0 && db_changes(s) == 0) {
		db_reset(s);
		store_seterror(im->st, "postcode %s appears twice", postcode);
		return 1;
	}
	db_reset(s);
	if (rc == 0) {
		im->units++;
		return 0;
	}
	store_dberror(im->st);
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

/* Add one sector's sums to import_sums and its units' countries to
 * import_countries. */
static int
import_sum_put(struct store *st, struct db_stmt *put, struct db_stmt *put_country,
    const struct import_sector *sec)
{
	int rc;

	db_bind_text_lent(put, 1, sec->code);
	for (int i = 0; i < 6; i++)
		db_bind_int64(put, i + 2, sec->sum[i]);
	rc = db_step(put);
	db_reset(put);
	for (int c = 1; rc == 0 && c < GEO_COUNTRY_COUNT; c++) {
		if (sec->countries[c][0] == 0)
			continue;
		db_bind_text_lent(put_country, 1, sec->code);
		db_bind_int64(put_country, 2, c);
		db_bind_int64(put_country, 3, sec->countries[c][0]);
		db_bind_int64(put_country, 4, sec->countries[c][1]);
		rc = db_step(put_country);
		db_reset(put_country);
	}
	if (rc == -1) {
		store_dberror(st);
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
 * import_majority: the country of most of its live units (of all
 * its units where none is live, as for the centroids), and none on a
 * tie, where the built-in tables decide.
 */
static int
import_sum(struct postcode_import *im)
{
	struct store *st = im->st;
	struct db_stmt *scan = NULL, *put = NULL, *put_country = NULL;
	struct import_sector *sec = xcalloc(1, sizeof *sec);
	const char *i64 = st->dl->int64_type, *opts = st->eng->import_table_opts;
	char *sql;
	int rc;

	/* Sums of millions of micro-degrees: 64-bit on both engines. */
	sql = xasprintf("CREATE TEMP TABLE import_sums (level %s, "
	    "code TEXT, units %s, lat %s, lon %s, live %s, live_lat %s, "
	    "live_lon %s, PRIMARY KEY (level, code))%s; "
	    "CREATE TEMP TABLE import_countries (level %s, code TEXT, "
	    "country %s, units %s, live %s, "
	    "PRIMARY KEY (level, code, country))%s; "
	    "CREATE TEMP TABLE import_majority (level %s, code TEXT, "
	    "country %s, PRIMARY KEY (level, code))%s; "
	    "BEGIN", i64, i64, i64, i64, i64, i64, i64, opts, i64, i64, i64,
	    i64, opts, i64, i64, opts);
	rc = store_exec(st, sql);
	free(sql);
	if (rc == -1) {
		free(sec);
		return -1;
	}
	if ((scan = store_prepare(st, "SELECT postcode, lat, lon, terminated, "
	    "country FROM postcodes_new WHERE lat IS NOT NULL "
	    "ORDER BY postcode")) == NULL ||
	    (put = store_prepare(st, "INSERT INTO import_sums VALUES "
	    "(0, $1, $2, $3, $4, $5, $6, $7) ON CONFLICT (level, code) DO UPDATE SET "
	    "units = import_sums.units + excluded.units, "
	    "lat = import_sums.lat + excluded.lat, "
	    "lon = import_sums.lon + excluded.lon, "
	    "live = import_sums.live + excluded.live, "
	    "live_lat = import_sums.live_lat + excluded.live_lat, "
	    "live_lon = import_sums.live_lon + excluded.live_lon")) == NULL ||
	    (put_country = store_prepare(st, "INSERT INTO import_countries "
	    "VALUES (0, $1, $2, $3, $4) ON CONFLICT (level, code, country) "
	    "DO UPDATE SET units = import_countries.units + excluded.units, "
	    "live = import_countries.live + excluded.live")) == NULL)
		goto fail;
	while ((rc = db_step(scan)) == 1) {
		const char *pc = db_column_text(scan, 0);
		size_t n = strlen(pc) - 2;	/* the sector: all but 2 */
		int64_t lat = db_column_int64(scan, 1);
		int64_t lon = db_column_int64(scan, 2);
		int live = (int)db_column_int64(scan, 3) == 0;
		int country = (int)db_column_int64(scan, 4);

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
	if (rc == -1) {
		store_dberror(st);
		goto fail;
	}
	if (sec->sum[0] && import_sum_put(st, put, put_country, sec) == -1)
		goto fail;
	db_finalize(scan);
	db_finalize(put);
	db_finalize(put_country);
	scan = put = put_country = NULL;
#define IMPORT_DISTRICT	"substr(code, 1, %s(code, ' ') - 1)"
#define IMPORT_SUM_UP(to, code_expr)					\
	"INSERT INTO import_sums SELECT " #to ", " code_expr ", "	\
	"sum(units), sum(lat), sum(lon), sum(live), sum(live_lat), "	\
	"sum(live_lon) FROM import_sums WHERE level = " #to " - 1 "	\
	"GROUP BY 2;"
	sql = xasprintf(IMPORT_SUM_UP(1, IMPORT_DISTRICT)
	    IMPORT_SUM_UP(2, "CASE WHEN substr(code, 2, 1) BETWEEN 'A' AND 'Z' "
	    "THEN substr(code, 1, 2) ELSE substr(code, 1, 1) END")
	    "INSERT INTO import_countries SELECT 1, " IMPORT_DISTRICT ", "
	    "country, sum(units), sum(live) FROM import_countries "
	    "WHERE level = 0 GROUP BY 2, 3;"
	    "INSERT INTO import_majority "
	    "WITH t AS (SELECT c.level, c.code, c.country, CASE WHEN s.live > 0 "
	    "THEN c.live ELSE c.units END AS n FROM import_countries c "
	    "JOIN import_sums s ON s.level = c.level AND s.code = c.code), "
	    "m AS (SELECT level, code, max(n) AS top FROM t GROUP BY 1, 2) "
	    "SELECT t.level, t.code, min(t.country) FROM t JOIN m "
	    "ON m.level = t.level AND m.code = t.code "
	    "WHERE t.n = m.top AND t.n > 0 GROUP BY 1, 2 HAVING count(*) = 1;"
	    "COMMIT", st->dl->strpos, st->dl->strpos);
	rc = store_exec(st, sql);
	free(sql);
	if (rc == -1)
		goto fail;
#undef IMPORT_SUM_UP
#undef IMPORT_DISTRICT
	free(sec);
	return 0;
fail:
	db_finalize(scan);
	db_finalize(put);
	db_finalize(put_country);
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
	"units INTEGER NOT NULL, country %1$s)%2$s;"			\
	"INSERT INTO " table " SELECT " IMPORT_CENTROID_COLS ", m.country "\
	"FROM import_sums s LEFT JOIN import_majority m "		\
	"ON m.level = s.level AND m.code = s.code "			\
	"WHERE s.level = " #level ";"
#define IMPORT_AREA_CENTROIDS(table, level)				\
	"CREATE TABLE " table " (code TEXT PRIMARY KEY, "		\
	"lat INTEGER NOT NULL, lon INTEGER NOT NULL, "			\
	"units INTEGER NOT NULL)%2$s;"					\
	"INSERT INTO " table " SELECT " IMPORT_CENTROID_COLS " "	\
	"FROM import_sums s WHERE s.level = " #level ";"

int
store_import_finish(struct postcode_import *im, const char *source,
    long skipped, struct import_stats *stats)
{
	struct store *st = im->st;
	int64_t n[3];
	char *sql;
	int frames, rc;

	if (import_txn_commit(im) == -1)
		goto fail;
	db_finalize(im->insert);
	im->insert = NULL;
	if (import_sum(im) == -1)
		goto fail;
	sql = xasprintf(IMPORT_CENTROIDS("postcode_sectors_new", 0)
	    IMPORT_CENTROIDS("postcode_districts_new", 1)
	    IMPORT_AREA_CENTROIDS("postcode_area_centroids_new", 2),
	    st->eng->import_country_type, st->eng->import_table_opts);
	rc = import_exec(im, sql, NULL);
	free(sql);
	if (rc == -1)
		goto fail;
	for (int i = 0; i < 3; i++)
		if (store_query_int(st, &n[i], "SELECT count(*) FROM "
		    "import_sums WHERE level = $1", "i", (int64_t)i) != 1)
			goto fail;

	/* The swap, durable as the connection was asked to be. */
	if (st->eng->import_tune(st, STORE_IMPORT_SWAP, &im->tune) == -1 ||
	    import_txn_begin(im) == -1)
		goto fail;
	if (store_exec(st, "ALTER TABLE postcodes RENAME TO postcodes_old;"
	    "ALTER TABLE postcodes_new RENAME TO postcodes;"
	    "DROP TABLE postcode_sectors;"
	    "ALTER TABLE postcode_sectors_new RENAME TO postcode_sectors;"
	    "DROP TABLE postcode_districts;"
	    "ALTER TABLE postcode_districts_new RENAME TO postcode_districts;"
	    "DROP TABLE postcode_area_centroids;"
	    "ALTER TABLE postcode_area_centroids_new "
	    "RENAME TO postcode_area_centroids") == -1 ||
	    store_run(st, "INSERT INTO postcode_imports (imported_at, source, units, "
	    "skipped) VALUES ($1, $2, $3, $4)", "isii", now_unix(), source,
	    (int64_t)im->units, (int64_t)skipped) == -1 ||
	    import_txn_commit(im) == -1)
		goto fail;
	st->eng->import_tune(st, STORE_IMPORT_SWAPPED, &im->tune);
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
	store_checkpoint(st, STORE_CKPT_PASSIVE, &frames);
	stats->txns = im->ntxn;
	stats->longest_ms = im->longest / 1e6;
	import_free(im);
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
	db_finalize(im->insert);
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

