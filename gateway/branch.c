/*
 * branch.c -- the directory of branches and regions, and matching.
 */
#include <stdlib.h>
#include <string.h>

#include "branch.h"
#include "config.h"
#include "distance.h"
#include "util.h"

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct code_entry *)a)->code,
	    ((const struct code_entry *)b)->code);
}

static int
district_cmp(const void *a, const void *b)
{
	return strcmp(((const struct district *)a)->code,
	    ((const struct district *)b)->code);
}

static const struct code_entry *
map_get(const struct code_map *m, const char *code)
{
	struct code_entry key;

	if (code == NULL || *code == '\0' || m->n == 0)
		return NULL;
	strlcpy_(key.code, code, sizeof key.code);
	return bsearch(&key, m->entries, m->n, sizeof *m->entries, entry_cmp);
}

void
code_map_add(struct code_map *m, const char *code, size_t index)
{
	m->entries = xrealloc(m->entries, (m->n + 1) * sizeof *m->entries);
	strlcpy_(m->entries[m->n].code, code ? code : "",
	    sizeof m->entries[m->n].code);
	m->entries[m->n++].index = index;
}

void
directory_index(struct directory *dir)
{
	struct code_map *m = &dir->coverage;

	m->n = 0;
	for (size_t i = 0; i < dir->nbranches; i++)
		for (size_t j = 0; j < dir->branches[i].ncoverage; j++)
			code_map_add(m, dir->branches[i].coverage[j], i);
	if (m->n)
		qsort(m->entries, m->n, sizeof *m->entries, entry_cmp);

	m = &dir->area_of;
	free(m->entries);
	m->entries = xcalloc(dir->nareas, sizeof *m->entries);
	m->n = dir->nareas;
	for (size_t i = 0; i < dir->nareas; i++) {
		strlcpy_(m->entries[i].code, dir->areas[i].code,
		    sizeof m->entries[i].code);
		m->entries[i].index = i;
	}
	if (m->n)
		qsort(m->entries, m->n, sizeof *m->entries, entry_cmp);
	if (dir->region_of.n)
		qsort(dir->region_of.entries, dir->region_of.n,
		    sizeof *dir->region_of.entries, entry_cmp);
	if (dir->country_of.n)
		qsort(dir->country_of.entries, dir->country_of.n,
		    sizeof *dir->country_of.entries, entry_cmp);
	if (dir->ndistricts)
		qsort(dir->districts, dir->ndistricts, sizeof *dir->districts,
		    district_cmp);
	branch_index_build(&dir->near, dir->branches, dir->nbranches);
}

void
branch_init(struct branch *b)
{
	memset(b, 0, sizeof *b);
	b->name = xstrdup("");
	b->postcode = xstrdup("");
	b->meets = xstrdup("");
	b->contact_name = xstrdup("");
	b->contact_phone = xstrdup("");
	b->contact_email = xstrdup("");
	b->notify = xstrdup("");
	b->active = 1;
}

void
branch_release(struct branch *b)
{
	free(b->name);
	free(b->postcode);
	free(b->meets);
	free(b->contact_name);
	free(b->contact_phone);
	free(b->contact_email);
	free(b->notify);
	for (size_t i = 0; i < b->ncoverage; i++)
		free(b->coverage[i]);
	free(b->coverage);
	memset(b, 0, sizeof *b);
}

void
branch_copy(struct branch *dst, const struct branch *src)
{
	*dst = *src;
	dst->name = xstrdup(src->name);
	dst->postcode = xstrdup(src->postcode);
	dst->meets = xstrdup(src->meets);
	dst->contact_name = xstrdup(src->contact_name);
	dst->contact_phone = xstrdup(src->contact_phone);
	dst->contact_email = xstrdup(src->contact_email);
	dst->notify = xstrdup(src->notify);
	dst->coverage = xcalloc(src->ncoverage, sizeof *dst->coverage);
	for (size_t i = 0; i < src->ncoverage; i++)
		dst->coverage[i] = xstrdup(src->coverage[i]);
}

void
directory_free(struct directory *dir)
{
	for (size_t i = 0; i < dir->nbranches; i++)
		branch_release(&dir->branches[i]);
	for (size_t i = 0; i < dir->nregions; i++) {
		struct region *r = &dir->regions[i];
		free(r->name);
		free(r->organiser_name);
		free(r->organiser_phone);
		free(r->organiser_email);
		free(r->notify);
	}
	for (size_t i = 0; i < dir->nareas; i++) {
		free(dir->areas[i].name);
		free(dir->areas[i].country);
	}
	for (size_t i = 0; i < dir->ncountries; i++)
		free(dir->countries[i]);
	free(dir->countries);
	free(dir->branches);
	free(dir->regions);
	free(dir->areas);
	free(dir->districts);
	free(dir->coverage.entries);
	free(dir->region_of.entries);
	free(dir->area_of.entries);
	free(dir->country_of.entries);
	branch_index_free(&dir->near);
	memset(dir, 0, sizeof *dir);
}

const struct region *
directory_region(const struct directory *dir, int64_t id)
{
	for (size_t i = 0; i < dir->nregions; i++)
		if (dir->regions[i].id == id)
			return &dir->regions[i];
	return NULL;
}

const struct area *
directory_area(const struct directory *dir, const char *code)
{
	const struct code_entry *e = map_get(&dir->area_of, code);

	return e ? &dir->areas[e->index] : NULL;
}

const struct district *
directory_district(const struct directory *dir, const char *code)
{
	struct district key;

	if (code == NULL || *code == '\0' || dir->ndistricts == 0 ||
	    strlen(code) >= sizeof key.code)
		return NULL;
	strlcpy_(key.code, code, sizeof key.code);
	return bsearch(&key, dir->districts, dir->ndistricts,
	    sizeof *dir->districts, district_cmp);
}

int
directory_district_known(const struct directory *dir, const char *code)
{
	return directory_district(dir, code) != NULL;
}

const char *
directory_country(const struct directory *dir, const struct postcode *pc)
{
	const struct code_entry *e = map_get(&dir->country_of, pc->district);
	const struct district *d;
	const struct area *a;

	if (e != NULL)
		return dir->countries[e->index];
	d = directory_district(dir, pc->district);
	if (d != NULL && d->country != NULL)
		return d->country;
	a = directory_area(dir, pc->area);
	return a ? a->country : NULL;
}

const struct region *
directory_region_for(const struct directory *dir, const struct postcode *pc)
{
	const struct code_entry *e = map_get(&dir->region_of, pc->district);

	if (e == NULL)
		e = map_get(&dir->region_of, pc->area);
	return e ? &dir->regions[e->index] : NULL;
}

const char *
match_kind_name(enum match_kind kind)
{
	switch (kind) {
	case MATCH_COVERAGE:	return "coverage";
	case MATCH_NEAREST:	return "nearest";
	case MATCH_REGION:	return "region";
	case MATCH_NATIONAL:	return "national";
	case MATCH_OUT_OF_AREA:	return "out_of_area";
	default:		return "none";
	}
}

static const struct branch *
covering_branch(const struct directory *dir, const struct postcode *pc)
{
	/* The narrower claim wins: a sector before its district. */
	const struct code_entry *e = map_get(&dir->coverage, pc->sector);

	if (e == NULL)
		e = map_get(&dir->coverage, pc->district);
	if (e == NULL || !dir->branches[e->index].active)
		return NULL;
	return &dir->branches[e->index];
}

void
branch_match(const struct directory *dir, const struct config *cf,
    const struct postcode *pc, const struct geocode *geo, struct match *out)
{
	const struct branch *best = NULL;
	double best_km = 0;

	memset(out, 0, sizeof *out);
	out->distance_km = -1;
	if (pc->kind == POSTCODE_NONE)
		return;
	/* The imported data's country where it has one: border districts
	 * hold units of two countries.  The built-in tables otherwise. */
	out->country = geo->country ? geo->country :
	    directory_country(dir, pc);
	if (out->country == NULL && geo->level == GEO_NONE)
		return;		/* an area nobody has heard of */
	if (out->country && config_out_of_area(cf, out->country)) {
		out->kind = MATCH_OUT_OF_AREA;
		return;
	}
	out->region = directory_region_for(dir, pc);
	out->approximate = geo->level == GEO_AREA;

	if ((out->branch = covering_branch(dir, pc)) != NULL) {
		out->kind = MATCH_COVERAGE;
		if (geo->level != GEO_NONE && out->branch->has_coords)
			out->distance_km = distance_km(geo->lat, geo->lon,
			    out->branch->lat, out->branch->lon);
		return;
	}
	if (geo->level != GEO_NONE)
		best = branch_nearest(dir, geo->lat, geo->lon, cf->radius_km,
		    &best_km);
	if (best != NULL) {
		out->kind = MATCH_NEAREST;
		out->branch = best;
		out->distance_km = best_km;
	} else if (out->region != NULL &&
	    (out->region->organiser_name[0] || out->region->organiser_phone[0] ||
	    out->region->organiser_email[0]))
		out->kind = MATCH_REGION;
	else
		out->kind = MATCH_NATIONAL;
}
