/*
 * postcode_import.c -- see postcode_import.h.
 *
 * Columns are found by header name, not position: ONS renames and moves
 * them between releases (pcd -> pcd7, long -> lng in some extracts).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csv.h"
#include "geo.h"
#include "postcode.h"
#include "postcode_import.h"
#include "store.h"
#include "util.h"

#define IMPORT_LIST_MAX		20	/* bad rows listed one by one */
#define IMPORT_BATCH		262144	/* rows read at most between writes */

static const char *postcode_names[] = { "pcds", "postcode", "pcd", "pcd7",
	"pcd2", "pcd8", "post code", NULL };
static const char *lat_names[] = { "lat", "latitude", NULL };
static const char *lon_names[] = { "long", "longitude", "lon", "lng", NULL };
static const char *term_names[] = { "doterm", "terminated", NULL };
static const char *country_names[] = { "ctry", "country", "country_code",
	NULL };

enum { COL_PC, COL_LAT, COL_LON, COL_TERM, COL_COUNTRY, COL_COUNT };

static int
find_column(const struct csv_reader *r, const char **names)
{
	for (; *names; names++) {
		int i = csv_column(r, *names);
		if (i >= 0)
			return i;
	}
	return -1;
}

/* The country column: by name, else ONS's newer year-suffixed label
 * (ctry25cd). */
static int
find_country_column(const struct csv_reader *r)
{
	int i = find_column(r, country_names);

	for (size_t j = 0; i < 0 && j < r->nfields; j++) {
		const char *f = r->fields[j];
		if (strlen(f) == 8 && strncasecmp(f, "ctry", 4) == 0 &&
		    isdigit((unsigned char)f[4]) &&
		    isdigit((unsigned char)f[5]) &&
		    strcasecmp(f + 6, "cd") == 0)
			i = (int)j;
	}
	return i;
}

static int
parse_degrees(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno == 0 && end != s && *end == '\0' && isfinite(*out) ? 0 : -1;
}

static void
draw_progress(long rows, off_t done, off_t total)
{
	if (total > 0) {
		int pct = (int)(done * 100 / total), bar = pct / 4;
		fprintf(stderr, "\r[%.*s%*s] %3d%% %ld rows", bar,
		    "#########################", 25 - bar, "", pct, rows);
	} else
		fprintf(stderr, "\r%ld rows", rows);
	fflush(stderr);
}

/* A row read, kept until its batch is written. */
struct import_row {
	char		 postcode[9];
	int		 has_coords, terminated;
	int		 country;	/* enum geo_country; -1: unknown */
	double		 lat, lon;
	long		 lineno;
	const char	*why;	/* static text: why the row is skipped */
};

/* Check one CSV record into row. */
static void
check_row(const struct csv_reader *r, int got, const int col[COL_COUNT],
    int need, struct import_row *row)
{
	struct postcode pc;
	const char *why = NULL;
	double lat = 0, lon = 0;
	int has_coords = 1, term = 0, country = GEO_COUNTRY_NONE;
	int c_pc = col[COL_PC], c_lat = col[COL_LAT], c_lon = col[COL_LON];
	int c_term = col[COL_TERM], c_country = col[COL_COUNTRY];

	if (got == -1)
		why = r->error;
	else if (r->nfields <= (size_t)need)
		why = "too few fields";
	else if (postcode_split_loose(r->fields[c_pc], &pc) == -1 ||
	    pc.kind != POSTCODE_FULL)
		why = "not a postcode";
	else if (r->fields[c_lat][0] == '\0' && r->fields[c_lon][0] == '\0')
		has_coords = 0;
	else if (parse_degrees(r->fields[c_lat], &lat) == -1 ||
	    parse_degrees(r->fields[c_lon], &lon) == -1)
		why = "latitude or longitude is not a number";
	else if (lat == 99.999999)
		has_coords = 0;	/* ONS: no grid reference */
	else if (lat < 49 || lat > 61.5 || lon < -9 || lon > 2.5)
		why = "latitude or longitude outside the UK";
	if (why == NULL && c_term >= 0 && r->fields[c_term][0] != '\0') {
		term = atoi(r->fields[c_term]);
		if (term < 190001 || term > 299912)
			why = "terminated date is not YYYYMM";
	}
	if (why == NULL && c_country >= 0)
		country = geo_country_parse(r->fields[c_country], pc.area);
	row->lineno = r->lineno;
	row->why = why;
	row->country = country;
	if (why != NULL)
		return;
	memcpy(row->postcode, pc.full, sizeof row->postcode);
	row->lat = lat;
	row->lon = lon;
	row->has_coords = has_coords;
	row->terminated = term;
}

int
postcode_import(struct store *st, FILE *in, const char *source, int progress,
    FILE *report, struct postcode_import_report *rep)
{
	struct postcode_import *im = NULL;
	struct import_row *batch = NULL;
	struct import_stats stats;
	struct csv_reader r;
	struct stat sb;
	off_t total = 0;
	size_t cap = 0;
	int col[COL_COUNT], rc = -1, eof = 0;

	memset(rep, 0, sizeof *rep);
	if (progress && fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
		total = sb.st_size;
	csv_init(&r, in);
	if (csv_read(&r) != 1) {
		fprintf(report, "%s: empty, expected a header row\n", source);
		goto out;
	}
	col[COL_PC] = find_column(&r, postcode_names);
	col[COL_LAT] = find_column(&r, lat_names);
	col[COL_LON] = find_column(&r, lon_names);
	col[COL_TERM] = find_column(&r, term_names);
	col[COL_COUNTRY] = find_country_column(&r);
	if (col[COL_PC] < 0 || col[COL_LAT] < 0 || col[COL_LON] < 0) {
		fprintf(report, "%s:1: the header needs a postcode column "
		    "(pcds, postcode, pcd), a latitude column (lat, latitude) "
		    "and a longitude column (long, longitude)\n", source);
		goto out;
	}
	int need = col[0];
	for (int i = 1; i < COL_COUNT; i++)
		if (col[i] > need)
			need = col[i];
	if (col[COL_COUNTRY] >= 0)
		strlcpy_(rep->country_column, r.fields[col[COL_COUNTRY]],
		    sizeof rep->country_column);

	if ((im = store_import_begin(st)) == NULL) {
		fprintf(report, "%s: %s\n", source, store_error(st));
		goto out;
	}
	/* Read rows for a while without the write lock, then write them:
	 * while the next ones are read, the server's writer gets its turn. */
	while (!eof) {
		uint64_t t0 = now_ns();
		size_t n = 0;
		int got;

		while (n < IMPORT_BATCH && ((n & 255) != 0 ||
		    now_ns() - t0 < STORE_IMPORT_GAP_MS * 1000000ull)) {
			if (n == cap) {
				cap = cap ? cap * 2 : 4096;
				batch = xrealloc(batch, cap * sizeof *batch);
			}
			if ((got = csv_read(&r)) == 0) {
				eof = 1;
				break;
			}
			rep->rows++;
			if (progress && (rep->rows & 0xffff) == 0)
				draw_progress(rep->rows, total ? ftello(in) : 0,
				    total);
			check_row(&r, got, col, need, &batch[n]);
			/* Failed, not skipped: an unknown value says the
			 * column holds something else, or codes this
			 * gateway does not know yet, and the units left out
			 * would quietly take a district's guess instead. */
			if (batch[n].country == -1) {
				fprintf(report, "%s:%ld: unknown country "
				    "\"%.40s\" (expected a code such as "
				    "E92000001 or a name such as England); "
				    "nothing imported, the data already there "
				    "is kept\n", source, r.lineno,
				    r.fields[col[COL_COUNTRY]]);
				goto out;
			}
			n++;
		}
		for (size_t i = 0; i < n; i++) {
			struct import_row *row = &batch[i];

			if (row->why == NULL) {
				int added = store_import_add(im, row->postcode,
				    row->lat, row->lon, row->has_coords,
				    row->terminated, row->country);
				if (added == -1) {
					fprintf(report, "%s:%ld: %s; the data "
					    "already there is kept\n", source,
					    row->lineno, store_error(st));
					goto out;
				}
				if (added == 1)
					row->why = "postcode appears twice";
			}
			if (row->why != NULL) {
				if (rep->skipped < IMPORT_LIST_MAX)
					fprintf(report, "%s:%ld: skipped: %s\n",
					    source, row->lineno, row->why);
				rep->skipped++;
				continue;
			}
			rep->imported++;
		}
		if (store_import_pause(im) == -1) {
			fprintf(report, "%s: %s; the data already there is "
			    "kept\n", source, store_error(st));
			goto out;
		}
	}
	if (progress) {
		draw_progress(rep->rows, total, total);
		fputc('\n', stderr);
	}
	if (ferror(in)) {
		fprintf(report, "%s: read error\n", source);
		goto out;
	}
	if (rep->skipped > IMPORT_LIST_MAX)
		fprintf(report, "%s: ... and %ld more bad rows\n", source,
		    rep->skipped - IMPORT_LIST_MAX);
	if (rep->imported == 0) {
		fprintf(report, "%s: no postcodes found; the data already "
		    "there is kept\n", source);
		goto out;
	}
	if (store_import_finish(im, source, rep->skipped, &stats) == -1) {
		im = NULL;
		fprintf(report, "%s: %s; the data already there is kept\n",
		    source, store_error(st));
		goto out;
	}
	im = NULL;
	rep->sectors = stats.sectors;
	rep->districts = stats.districts;
	rep->areas = stats.areas;
	rep->txns = stats.txns;
	rep->longest_ms = stats.longest_ms;
	rc = 0;
out:
	free(batch);
	store_import_abort(im);
	csv_release(&r);
	return rc;
}
