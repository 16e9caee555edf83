/*
 * postcode_import.c -- see postcode_import.h.
 *
 * Columns are found by header name, not position: ONS renames and moves
 * them between releases (pcd -> pcd7, long -> lng in some extracts).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "postcode.h"
#include "postcode_import.h"
#include "store.h"
#include "util.h"

#define IMPORT_LIST_MAX	20	/* bad rows listed one by one */

static const char *postcode_names[] = { "pcds", "postcode", "pcd", "pcd7",
	"pcd2", "pcd8", "post code", NULL };
static const char *lat_names[] = { "lat", "latitude", NULL };
static const char *lon_names[] = { "long", "longitude", "lon", "lng", NULL };
static const char *term_names[] = { "doterm", "terminated", NULL };

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

int
postcode_import(struct store *st, FILE *in, const char *source, int progress,
    FILE *report, struct postcode_import_report *rep)
{
	struct postcode_import *im = NULL;
	struct import_stats stats;
	struct csv_reader r;
	struct stat sb;
	off_t total = 0;
	int c_pc, c_lat, c_lon, c_term, rc = -1;

	memset(rep, 0, sizeof *rep);
	if (progress && fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
		total = sb.st_size;
	csv_init(&r, in);
	if (csv_read(&r) != 1) {
		fprintf(report, "%s: empty, expected a header row\n", source);
		goto out;
	}
	c_pc = find_column(&r, postcode_names);
	c_lat = find_column(&r, lat_names);
	c_lon = find_column(&r, lon_names);
	c_term = find_column(&r, term_names);
	if (c_pc < 0 || c_lat < 0 || c_lon < 0) {
		fprintf(report, "%s:1: the header needs a postcode column "
		    "(pcds, postcode, pcd), a latitude column (lat, latitude) "
		    "and a longitude column (long, longitude)\n", source);
		goto out;
	}
	int need = c_pc;
	if (c_lat > need) need = c_lat;
	if (c_lon > need) need = c_lon;
	if (c_term > need) need = c_term;

	if ((im = store_import_begin(st)) == NULL) {
		fprintf(report, "%s: %s\n", source, store_error(st));
		goto out;
	}
	for (;;) {
		struct postcode pc;
		const char *why = NULL;
		double lat = 0, lon = 0;
		int has_coords = 1, term = 0, got;

		if ((got = csv_read(&r)) == 0)
			break;
		rep->rows++;
		if (progress && (rep->rows & 0xffff) == 0)
			draw_progress(rep->rows, total ? ftello(in) : 0, total);
		if (got == -1)
			why = r.error;
		else if (r.nfields <= (size_t)need)
			why = "too few fields";
		else if (postcode_split_loose(r.fields[c_pc], &pc) == -1 ||
		    pc.kind != POSTCODE_FULL)
			why = "not a postcode";
		else if (r.fields[c_lat][0] == '\0' && r.fields[c_lon][0] == '\0')
			has_coords = 0;
		else if (parse_degrees(r.fields[c_lat], &lat) == -1 ||
		    parse_degrees(r.fields[c_lon], &lon) == -1)
			why = "latitude or longitude is not a number";
		else if (lat == 99.999999)
			has_coords = 0;	/* ONS: no grid reference */
		else if (lat < 49 || lat > 61.5 || lon < -9 || lon > 2.5)
			why = "latitude or longitude outside the UK";
		if (why == NULL && c_term >= 0 && r.fields[c_term][0] != '\0') {
			term = atoi(r.fields[c_term]);
			if (term < 190001 || term > 299912)
				why = "terminated date is not YYYYMM";
		}
		if (why == NULL) {
			int added = store_import_add(im, pc.full, lat, lon,
			    has_coords, term);
			if (added == -1) {
				fprintf(report, "%s:%ld: %s\n", source, r.lineno,
				    store_error(st));
				goto out;
			}
			if (added == 1)
				why = "postcode appears twice";
		}
		if (why != NULL) {
			if (rep->skipped < IMPORT_LIST_MAX)
				fprintf(report, "%s:%ld: skipped: %s\n", source,
				    r.lineno, why);
			rep->skipped++;
			continue;
		}
		rep->imported++;
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
	rc = 0;
out:
	store_import_abort(im);
	csv_release(&r);
	return rc;
}
