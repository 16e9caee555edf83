/*
 * store_directory.c -- the directory: branches and their coverage,
 * regions and the areas they hold, the built-in area and district
 * tables, and the geocoding look-ups over the postcode tables.  Each
 * change of a branch or region is audited in its transaction.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"
#include "util.h"

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
	struct db_stmt *s;
	size_t n, cap = 0, nbuiltin;

	memset(dir, 0, sizeof *dir);

	if ((s = store_prepare(st, "SELECT id, name, organiser_name, organiser_phone, "
	    "organiser_email, notify FROM regions ORDER BY id")) == NULL)
		goto fail;
	while (db_step(s) == 1) {
		dir->regions = xrealloc(dir->regions,
		    (dir->nregions + 1) * sizeof *dir->regions);
		struct region *r = &dir->regions[dir->nregions++];
		r->id = db_column_int64(s, 0);
		r->name = store_col_dup(s, 1);
		r->organiser_name = store_col_dup(s, 2);
		r->organiser_phone = store_col_dup(s, 3);
		r->organiser_email = store_col_dup(s, 4);
		r->notify = store_col_dup(s, 5);
	}
	db_finalize(s);

	if ((s = store_prepare(st, "SELECT id, name, postcode, lat, lon, meets, "
	    "contact_name, contact_phone, contact_email, region_id, active, "
	    "notify FROM branches ORDER BY name COLLATE NOCASE, id")) == NULL)
		goto fail;
	while (db_step(s) == 1) {
		dir->branches = xrealloc(dir->branches,
		    (dir->nbranches + 1) * sizeof *dir->branches);
		struct branch *b = &dir->branches[dir->nbranches++];
		memset(b, 0, sizeof *b);
		b->id = db_column_int64(s, 0);
		b->name = store_col_dup(s, 1);
		b->postcode = store_col_dup(s, 2);
		b->has_coords = !db_column_isnull(s, 3) &&
		    !db_column_isnull(s, 4) ? BRANCH_COORDS : 0;
		b->lat = db_column_double(s, 3);
		b->lon = db_column_double(s, 4);
		b->meets = store_col_dup(s, 5);
		b->contact_name = store_col_dup(s, 6);
		b->contact_phone = store_col_dup(s, 7);
		b->contact_email = store_col_dup(s, 8);
		b->region_id = db_column_int64(s, 9);
		b->active = (int)db_column_int64(s, 10);
		b->notify = store_col_dup(s, 11);
	}
	db_finalize(s);

	if ((s = store_prepare(st, "SELECT branch_id, code FROM branch_coverage "
	    "ORDER BY code")) == NULL)
		goto fail;
	while (db_step(s) == 1) {
		int64_t id = db_column_int64(s, 0);
		for (n = 0; n < dir->nbranches; n++)
			if (dir->branches[n].id == id)
				break;
		if (n == dir->nbranches)
			continue;
		struct branch *b = &dir->branches[n];
		b->coverage = xrealloc(b->coverage,
		    (b->ncoverage + 1) * sizeof *b->coverage);
		b->coverage[b->ncoverage++] = store_col_dup(s, 1);
	}
	db_finalize(s);

	if ((s = store_prepare(st, "SELECT area, name, country, lat, lon "
	    "FROM postcode_areas ORDER BY area")) == NULL)
		goto fail;
	while (db_step(s) == 1) {
		dir->areas = xrealloc(dir->areas,
		    (dir->nareas + 1) * sizeof *dir->areas);
		struct area *a = &dir->areas[dir->nareas++];
		store_col_copy(s, 0, a->code, sizeof a->code);
		a->name = store_col_dup(s, 1);
		a->country = store_col_dup(s, 2);
		a->lat = db_column_double(s, 3);
		a->lon = db_column_double(s, 4);
	}
	db_finalize(s);

	/* Region areas and country overrides go straight into the maps. */
	if ((s = store_prepare(st, "SELECT code, region_id FROM region_areas "
	    "ORDER BY code")) == NULL)
		goto fail;
	while (db_step(s) == 1) {
		int64_t id = db_column_int64(s, 1);
		for (n = 0; n < dir->nregions; n++)
			if (dir->regions[n].id == id)
				break;
		if (n == dir->nregions)
			continue;
		code_map_add(&dir->region_of,
		    db_column_text(s, 0), n);
	}
	db_finalize(s);

	if ((s = store_prepare(st, "SELECT district, country FROM district_countries "
	    "ORDER BY district")) == NULL)
		goto fail;
	while (db_step(s) == 1) {
		const char *country = db_column_text(s, 1);
		code_map_add(&dir->country_of,
		    db_column_text(s, 0),
		    country_intern(dir, country ? country : ""));
	}
	db_finalize(s);

	/* Known districts: the built-in ones, then the last import's (two
	 * plain scans: cheaper than a join, and the directory reloads). */
	if ((s = store_prepare(st, "SELECT district, country, lat, lon FROM "
	    "district_centroids ORDER BY district")) == NULL)
		goto fail;
	while (db_step(s) == 1) {
		const char *country = db_column_text(s, 1);
		struct district *d = district_add(dir, &cap,
		    db_column_text(s, 0));
		if (d == NULL)
			continue;
		d->flags = DISTRICT_BUILTIN;
		n = country_intern(dir, country ? country : "");
		d->country = dir->countries[n];
		d->lat = db_column_double(s, 2);
		d->lon = db_column_double(s, 3);
	}
	db_finalize(s);
	nbuiltin = dir->ndistricts;
	if ((s = store_prepare(st, "SELECT code FROM postcode_districts")) == NULL)
		goto fail;
	while (db_step(s) == 1) {
		const char *code = db_column_text(s, 0);
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
	db_finalize(s);

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
	struct db_stmt *s = st->stmt[STORE_ST_UNIT];
	int rc;

	db_bind_text_lent(s, 1, postcode);
	rc = db_step(s);
	if (rc == 1) {
		memset(out, 0, sizeof *out);
		if (db_column_isnull(s, 0)) {
			out->level = GEO_NONE;
			out->no_coords = 1;
		} else {
			out->level = GEO_UNIT;
			out->lat = db_column_int64(s, 0) / 1e6;
			out->lon = db_column_int64(s, 1) / 1e6;
		}
		out->terminated = (int)db_column_int64(s, 2);
		out->country = geo_country_name((int)db_column_int64(s, 3));
		rc = 1;
	} else if (rc == 0)
		rc = 0;
	else {
		store_dberror(st);
		rc = -1;
	}
	db_reset(s);
	return rc;
}

int
store_lookup_centroid(struct store *st, enum geo_level level, const char *code,
    double *lat, double *lon, int *country)
{
	struct db_stmt *s;
	int rc;

	switch (level) {
	case GEO_SECTOR:	s = st->stmt[STORE_ST_SECTOR]; break;
	case GEO_DISTRICT:	s = st->stmt[STORE_ST_DISTRICT]; break;
	case GEO_AREA:		s = st->stmt[STORE_ST_AREA]; break;
	default:		return 0;
	}
	*country = 0;
	db_bind_text_lent(s, 1, code);
	rc = db_step(s);
	if (rc == 1) {
		*lat = db_column_int64(s, 0) / 1e6;
		*lon = db_column_int64(s, 1) / 1e6;
		*country = (int)db_column_int64(s, 2);	/* NULL: 0 */
		rc = 1;
	} else if (rc == 0)
		rc = 0;
	else {
		store_dberror(st);
		rc = -1;
	}
	db_reset(s);
	return rc;
}

/* --- built-in data --------------------------------------------------- */

int
store_area_put(struct store *st, const char *area, const char *name,
    const char *country, double lat, double lon)
{
	return store_run(st, "INSERT INTO postcode_areas (area, name, "
	    "country, lat, lon) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (area) "
	    "DO UPDATE SET name = excluded.name, country = excluded.country, "
	    "lat = excluded.lat, lon = excluded.lon", "sssdd", area, name,
	    country, lat, lon);
}

int
store_district_country_put(struct store *st, const char *district,
    const char *country)
{
	return store_run(st, "INSERT INTO district_countries (district, "
	    "country) VALUES ($1, $2) ON CONFLICT (district) DO UPDATE SET "
	    "country = excluded.country", "ss", district, country);
}

int
store_district_centroid_put(struct store *st, const char *district,
    const char *country, double lat, double lon)
{
	return store_run(st, "INSERT INTO district_centroids (district, "
	    "country, lat, lon) VALUES ($1, $2, $3, $4) ON CONFLICT (district) "
	    "DO UPDATE SET country = excluded.country, lat = excluded.lat, "
	    "lon = excluded.lon", "ssdd", district, country,
	    lat, lon);
}

int
store_needs_district_seed(struct store *st)
{
	int64_t n = 0;

	if (store_query_int(st, &n, "SELECT count(*) FROM district_centroids",
	    "") == -1)
		return -1;
	return n == 0;
}

/* --- branches, regions, audit ------------------------------------- */

/* The JSON image of one record, or NULL; the caller frees it. */
static char *
record_json(struct store *st, const char *sql, int64_t id)
{
	struct db_stmt *s = store_prepare(st, sql);
	char *json = NULL;

	if (s == NULL)
		return NULL;
	db_bind_int64(s, 1, id);
	if (db_step(s) == 1 &&
	    !db_column_isnull(s, 0))
		json = store_col_dup(s, 0);
	db_finalize(s);
	return json;
}

static int
record_audit(struct store *st, const char *actor, const char *action,
    const char *kind, int64_t id, const char *before, const char *after)
{
	char record[64];

	snprintf(record, sizeof record, "%s:%lld", kind, (long long)id);
	return store_audit(st, actor, action, record, before, after);
}

/* Replace a branch's coverage; a code another branch holds is an error
 * that names that branch. */
static int
put_coverage(struct store *st, const struct branch *b)
{
	if (store_run(st, "DELETE FROM branch_coverage WHERE branch_id = $1", "i",
	    b->id) == -1)
		return -1;
	for (size_t i = 0; i < b->ncoverage; i++) {
		int64_t other;
		int rc = store_query_int(st, &other, "SELECT branch_id FROM "
		    "branch_coverage WHERE code = $1", "s", b->coverage[i]);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			char *name = NULL;
			struct db_stmt *s = store_prepare(st,
			    "SELECT name FROM branches WHERE id = $1");
			if (s) {
				db_bind_int64(s, 1, other);
				if (db_step(s) == 1)
					name = store_col_dup(s, 0);
				db_finalize(s);
			}
			store_seterror(st, "coverage %s already belongs to branch %s",
			    b->coverage[i], name ? name : "?");
			free(name);
			return -1;
		}
		if (store_run(st, "INSERT INTO branch_coverage (code, branch_id) "
		    "VALUES ($1, $2)", "si", b->coverage[i], b->id) == -1)
			return -1;
	}
	return 0;
}

static int
branch_name_taken(struct store *st, const struct branch *b)
{
	int64_t other;
	int rc = store_query_int(st, &other, "SELECT id FROM branches WHERE name = $1 "
	    "AND id != $2", "si", b->name, b->id);

	if (rc == 1)
		store_seterror(st, "a branch called \"%s\" already exists", b->name);
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
	if (store_query_int(st, &b->id, "INSERT INTO branches (name, postcode, "
	    "lat, lon, meets, contact_name, contact_phone, contact_email, "
	    "region_id, active, created_at, updated_at, notify) VALUES ($1, $2, "
	    "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
	    "ssDDssssIiiis", b->name, b->postcode,
	    b->has_coords == BRANCH_COORDS ? b->lat : NAN,
	    b->has_coords == BRANCH_COORDS ? b->lon : NAN,
	    b->meets, b->contact_name, b->contact_phone, b->contact_email,
	    b->region_id, (int64_t)b->active, now, now, b->notify) != 1)
		return -1;
	if (put_coverage(st, b) == -1)
		return -1;
	after = record_json(st, st->branch_json, b->id);
	int rc = record_audit(st, actor, "create", "branch", b->id, NULL, after);
	free(after);
	return rc;
}

int
store_branch_update(struct store *st, const char *actor,
    const struct branch *b)
{
	char *before, *after;
	int rc;

	if ((before = record_json(st, st->branch_json, b->id)) == NULL) {
		store_seterror(st, "no branch with id %lld", (long long)b->id);
		return -1;
	}
	rc = branch_name_taken(st, b) != 0 ? -1 : 0;
	if (rc == 0)
		rc = store_run(st, "UPDATE branches SET name = $1, postcode = $2, "
		    "lat = $3, lon = $4, meets = $5, contact_name = $6, "
		    "contact_phone = $7, contact_email = $8, region_id = $9, "
		    "active = $10, updated_at = $11, notify = $12 WHERE id = $13",
		    "ssDDssssIiisi",
		    b->name, b->postcode,
		    b->has_coords == BRANCH_COORDS ? b->lat : NAN,
		    b->has_coords == BRANCH_COORDS ? b->lon : NAN, b->meets, b->contact_name,
		    b->contact_phone, b->contact_email, b->region_id,
		    (int64_t)b->active, now_unix(), b->notify, b->id);
	if (rc == 0)
		rc = put_coverage(st, b);
	if (rc == 0) {
		after = record_json(st, st->branch_json, b->id);
		if (strcmp(before, after ? after : "") != 0)
			rc = record_audit(st, actor, "update", "branch", b->id, before,
			    after);
		free(after);
	}
	free(before);
	return rc;
}

int
store_branch_delete(struct store *st, const char *actor, int64_t id)
{
	char *before = record_json(st, st->branch_json, id);
	int rc;

	if (before == NULL) {
		store_seterror(st, "no branch with id %lld", (long long)id);
		return -1;
	}
	rc = store_run(st, "DELETE FROM branches WHERE id = $1", "i", id);
	if (rc == 0)
		rc = record_audit(st, actor, "delete", "branch", id, before, NULL);
	free(before);
	return rc;
}

int
store_region_insert(struct store *st, const char *actor, struct region *r)
{
	int64_t other;
	char *after;
	int rc;

	if ((rc = store_query_int(st, &other, "SELECT id FROM regions WHERE name = $1",
	    "s", r->name)) != 0) {
		if (rc == 1)
			store_seterror(st, "a region called \"%s\" already exists",
			    r->name);
		return -1;
	}
	if (store_query_int(st, &r->id, "INSERT INTO regions (name, "
	    "organiser_name, organiser_phone, organiser_email, notify) VALUES "
	    "($1, $2, $3, $4, $5) RETURNING id", "sssss", r->name,
	    r->organiser_name, r->organiser_phone, r->organiser_email,
	    r->notify ? r->notify : "") != 1)
		return -1;
	after = record_json(st, st->region_json, r->id);
	rc = record_audit(st, actor, "create", "region", r->id, NULL, after);
	free(after);
	return rc;
}

int
store_region_update(struct store *st, const char *actor,
    const struct region *r)
{
	char *before, *after;
	int rc;

	if ((before = record_json(st, st->region_json, r->id)) == NULL) {
		store_seterror(st, "no region with id %lld", (long long)r->id);
		return -1;
	}
	rc = store_run(st, "UPDATE regions SET name = $1, organiser_name = $2, "
	    "organiser_phone = $3, organiser_email = $4, notify = $5 WHERE id = $6",
	    "sssssi", r->name, r->organiser_name, r->organiser_phone,
	    r->organiser_email, r->notify ? r->notify : "", r->id);
	if (rc == 0) {
		after = record_json(st, st->region_json, r->id);
		if (strcmp(before, after ? after : "") != 0)
			rc = record_audit(st, actor, "update", "region", r->id, before,
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

	if ((rc = store_query_int(st, &old, "SELECT region_id FROM region_areas "
	    "WHERE code = $1", "s", code)) == -1)
		return -1;
	if (rc == 1 && old == region_id)
		return 0;
	if (region_id)
		rc = store_run(st, "INSERT INTO region_areas (code, region_id) "
		    "VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET "
		    "region_id = excluded.region_id", "si", code, region_id);
	else
		rc = store_run(st, "DELETE FROM region_areas WHERE code = $1", "s",
		    code);
	if (rc == -1)
		return -1;
	snprintf(before, sizeof before, "{\"code\":\"%s\",\"region_id\":%lld}",
	    code, (long long)old);
	snprintf(after, sizeof after, "{\"code\":\"%s\",\"region_id\":%lld}",
	    code, (long long)region_id);
	char record[64];
	snprintf(record, sizeof record, "region_area:%s", code);
	return store_audit(st, actor, region_id ? "map" : "unmap", record,
	    old ? before : NULL, region_id ? after : NULL);
}
