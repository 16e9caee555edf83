/*
 * seed.c -- the data a new database starts with, from the files built into
 * the binary (data/postcode_areas.csv, data/district_overrides.csv,
 * data/district_centroids.csv, data/example/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "branch_edit.h"
#include "config.h"
#include "csv.h"
#include "embedded.h"
#include "log.h"
#include "seed.h"
#include "store.h"
#include "util.h"

#define SEED_ACTOR	"system:seed"

/* Open an embedded file as a stream for the CSV reader. */
static FILE *
embedded_open(const char *name)
{
	const struct embedded_file *f = embedded_get(name);

	if (f == NULL || f->len == 0) {
		log_error("seed: %s is not built in", name);
		return NULL;
	}
	return fmemopen((void *)(uintptr_t)f->data, f->len, "r");
}

/* The id of region name, creating it if need be; 0 on error. */
static int64_t
region_id(struct store *st, struct directory *dir, const char *name)
{
	struct region r = { 0 };

	for (size_t i = 0; i < dir->nregions; i++)
		if (!strcasecmp(dir->regions[i].name, name))
			return dir->regions[i].id;
	r.name = (char *)(uintptr_t)name;
	r.organiser_name = r.organiser_phone = r.organiser_email = "";
	if (store_region_insert(st, SEED_ACTOR, &r) == -1)
		return 0;
	dir->regions = xrealloc(dir->regions,
	    (dir->nregions + 1) * sizeof *dir->regions);
	dir->regions[dir->nregions] = (struct region){ .id = r.id,
	    .name = xstrdup(name), .organiser_name = xstrdup(""),
	    .organiser_phone = xstrdup(""), .organiser_email = xstrdup("") };
	return dir->regions[dir->nregions++].id;
}

/* Read an embedded CSV with the given header, calling row() per record. */
static int
each_row(const char *name, const char **columns, size_t ncolumns,
    int (*row)(char **fields, void *arg), void *arg)
{
	struct csv_reader r;
	int idx[16], rc = 0;
	FILE *fp;

	if ((fp = embedded_open(name)) == NULL)
		return -1;
	csv_init(&r, fp);
	if (csv_read(&r) != 1)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < ncolumns; i++)
		if ((idx[i] = csv_column(&r, columns[i])) < 0) {
			log_error("seed: %s: no column %s", name, columns[i]);
			rc = -1;
		}
	while (rc == 0) {
		char *fields[16];
		int got = csv_read(&r);
		if (got == 0)
			break;
		if (got == -1 || r.nfields < ncolumns) {
			log_error("seed: %s:%ld: %s", name, r.lineno,
			    r.error ? r.error : "too few fields");
			rc = -1;
			break;
		}
		for (size_t i = 0; i < ncolumns; i++)
			fields[i] = r.fields[idx[i]];
		rc = row(fields, arg);
		if (rc == -1)
			log_error("seed: %s:%ld: failed", name, r.lineno);
	}
	csv_release(&r);
	fclose(fp);
	return rc;
}

struct seed_state {
	struct store		*st;
	struct directory	 dir;
};

static int
area_row(char **f, void *arg)
{
	struct seed_state *s = arg;
	int64_t id;

	/* area,name,country,region,latitude,longitude */
	if (store_area_put(s->st, f[0], f[1], f[2], atof(f[4]), atof(f[5])) == -1)
		return -1;
	if (f[3][0] == '\0')
		return 0;
	if ((id = region_id(s->st, &s->dir, f[3])) == 0)
		return -1;
	return store_region_map(s->st, SEED_ACTOR, f[0], id);
}

static int
district_row(char **f, void *arg)
{
	struct seed_state *s = arg;
	int64_t id;

	/* district,country,region */
	if (store_district_country_put(s->st, f[0], f[1]) == -1)
		return -1;
	if (f[2][0] == '\0')
		return 0;
	if ((id = region_id(s->st, &s->dir, f[2])) == 0)
		return -1;
	return store_region_map(s->st, SEED_ACTOR, f[0], id);
}

static int
district_centroid_row(char **f, void *arg)
{
	struct seed_state *s = arg;

	/* district,country,latitude,longitude */
	return store_district_centroid_put(s->st, f[0], f[1], atof(f[2]),
	    atof(f[3]));
}

/* Apart from the rest: an older database gets it on its first start. */
static int
seed_districts(struct store *st)
{
	static const char *cols[] = { "district", "country", "latitude",
	    "longitude" };
	struct seed_state s = { .st = st };

	return each_row("district_centroids.csv", cols, nitems(cols),
	    district_centroid_row, &s);
}

static int
seed_builtin(struct store *st)
{
	static const char *area_cols[] = { "area", "name", "country", "region",
	    "latitude", "longitude" };
	static const char *district_cols[] = { "district", "country", "region" };
	struct seed_state s = { .st = st };
	int rc;

	rc = each_row("postcode_areas.csv", area_cols, nitems(area_cols),
	    area_row, &s);
	if (rc == 0)
		rc = each_row("district_overrides.csv", district_cols,
		    nitems(district_cols), district_row, &s);
	directory_free(&s.dir);
	return rc;
}

static int
organiser_row(char **f, void *arg)
{
	struct seed_state *s = arg;
	struct region r;
	int64_t id;

	/* name,organiser_name,organiser_phone,organiser_email */
	if ((id = region_id(s->st, &s->dir, f[0])) == 0)
		return -1;
	r = (struct region){ .id = id, .name = f[0], .organiser_name = f[1],
	    .organiser_phone = f[2], .organiser_email = f[3] };
	return store_region_update(s->st, SEED_ACTOR, &r);
}

int
seed_example(struct store *st)
{
	static const char *cols[] = { "name", "organiser_name",
	    "organiser_phone", "organiser_email" };
	struct seed_state s = { .st = st };
	FILE *fp;
	int rc;

	if (store_load_directory(st, &s.dir) == -1)
		return -1;
	rc = each_row("example/regions.csv", cols, nitems(cols), organiser_row,
	    &s);
	directory_free(&s.dir);
	if (rc == 0 && (fp = embedded_open("example/branches.csv")) != NULL) {
		rc = branch_csv_import(st, fp, "example/branches.csv",
		    SEED_ACTOR, 0, stderr);
		fclose(fp);
	}
	return rc;
}

struct store *
seed_open(const struct config *cf)
{
	struct store *st = store_open(cf);
	int need, need_districts = 0;

	if (st == NULL)
		return NULL;
	if ((need = store_needs_seed(st)) != -1)
		need_districts = store_needs_district_seed(st);
	if (need == 0 && need_districts == 0)
		return st;
	if (need == -1 || need_districts == -1 || store_begin(st) == -1 ||
	    (need && seed_builtin(st) == -1) ||
	    (need_districts && seed_districts(st) == -1) ||
	    (need && cf->example_data && seed_example(st) == -1) ||
	    store_commit(st) == -1) {
		log_error("seed: %s: %s", cf->db_path, store_error(st));
		store_rollback(st);
		store_close(st);
		return NULL;
	}
	return st;
}
