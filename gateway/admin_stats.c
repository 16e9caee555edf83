/*
 * admin_stats.c -- GET /admin/api/stats: the dashboard's figures for a
 * range of days (see admin.h).  The store counts (store_stats.c, one
 * snapshot); this file names what it counted from the directory, judges
 * which districts no branch serves by the same rule a text is matched by
 * (branch_match), and lays out the map's points.  Request thread; reads
 * only.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "config.h"
#include "pipeline.h"
#include "store.h"
#include "util.h"

#define STATS_DAY		86400
#define STATS_DAYS		30	/* the range when none is asked for */
#define STATS_MAX_DAYS		366	/* the longest range */
#define STATS_UNSERVED		20	/* unserved districts listed */
#define STATS_CAMPAIGN_MAX	100	/* bytes of a campaign's name */

/*
 * What the counts are gathered into: a tally per branch, region, kind or
 * campaign, in a table hashed by (key, id), since every lead of the range
 * passes through here; and the distinct numbers, as a set of 64-bit
 * hashes of them (a collision among a year's numbers is a chance in
 * billions, and would undercount one).
 */
struct stats_tally {
	char		*key;		/* NULL: a free slot */
	int64_t		 id;
	int64_t		 leads;
};
struct stats_tallies {
	struct stats_tally	*v;
	size_t			 n, cap;	/* cap: a power of two */
};
struct stats_set {
	uint64_t		*v;		/* 0: a free slot */
	size_t			 n, cap;
};

struct stats_acc {
	const struct directory	*dir;
	int64_t			 first_day, ndays;
	int64_t			*per_day;
	int64_t			 total, optouts;
	struct stats_tallies	 branches, regions, kinds, campaigns;
	struct stats_set	 numbers;
	/* By index in dir->districts: leads, and of those the ones that
	 * fell through to a region's organiser or the national contact. */
	int64_t			*district_leads, *district_fell;
};

static uint64_t
stats_hash(const char *s, int64_t id)
{
	uint64_t h = 14695981039346656037ULL ^ (uint64_t)id;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h ^= h >> 29;
	return h ? h : 1;
}

static struct stats_tally *
stats_slot(struct stats_tally *v, size_t cap, const char *key, int64_t id)
{
	size_t i = stats_hash(key, id) & (cap - 1);

	while (v[i].key && (v[i].id != id || strcmp(v[i].key, key)))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static void
stats_count(struct stats_tallies *t, const char *key, int64_t id,
    int64_t leads)
{
	struct stats_tally *e;

	if (2 * (t->n + 1) > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct stats_tally *v = xcalloc(cap, sizeof *v);
		for (size_t i = 0; i < t->cap; i++)
			if (t->v[i].key)
				*stats_slot(v, cap, t->v[i].key, t->v[i].id) =
				    t->v[i];
		free(t->v);
		t->v = v;
		t->cap = cap;
	}
	if ((e = stats_slot(t->v, t->cap, key, id))->key == NULL) {
		e->key = xstrdup(key);
		e->id = id;
		t->n++;
	}
	e->leads += leads;
}

/* The tallies packed to the front of the table, for sorting. */
static void
stats_pack(struct stats_tallies *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->cap; i++)
		if (t->v[i].key)
			t->v[n++] = t->v[i];
	t->cap = n;	/* no longer a hash table: only read from here */
}

static void
stats_tallies_free(struct stats_tallies *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->v[i].key);
	free(t->v);
}

/* 1 when h was added, 0 when it was there.  find: only look. */
static int
stats_set_add(struct stats_set *s, uint64_t h, int find)
{
	size_t i;

	if (!find && 2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		uint64_t *v = xcalloc(cap, sizeof *v);
		for (size_t j = 0; j < s->cap; j++)
			if (s->v[j]) {
				for (i = s->v[j] & (cap - 1); v[i];
				    i = (i + 1) & (cap - 1))
					;
				v[i] = s->v[j];
			}
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	if (s->cap == 0)
		return 0;
	for (i = h & (s->cap - 1); s->v[i]; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == h)
			return find;
	if (find)
		return 0;
	s->v[i] = h;
	s->n++;
	return 1;
}

/* Most leads first, then by key and id, so that the order is stable. */
static int
stats_tally_cmp(const void *a, const void *b)
{
	const struct stats_tally *x = a, *y = b;
	int c;

	if (x->leads != y->leads)
		return x->leads < y->leads ? 1 : -1;
	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

static int
stats_fell_through(const char *kind)
{
	return !strcmp(kind, "region") || !strcmp(kind, "national");
}

static int
stats_lead(const struct stats_lead *l, void *arg)
{
	struct stats_acc *a = arg;
	int64_t i = l->created_at / STATS_DAY - a->first_day;
	size_t n = strlen(l->postcode);
	const struct district *d;
	char code[8];

	if (i >= 0 && i < a->ndays)
		a->per_day[i]++;
	a->total++;
	stats_count(&a->branches, "", l->branch_id, 1);
	stats_count(&a->regions, "", l->region_id, 1);
	stats_count(&a->kinds, l->match_kind[0] ? l->match_kind :
	    "no_postcode", 0, 1);
	stats_count(&a->campaigns, l->campaign, 0, 1);
	stats_set_add(&a->numbers, stats_hash(l->phone, 0), 0);
	/* The district of "SE1 7PB" (an inward code is a space and three
	 * characters) or of "SE1" alone.  One the directory does not know
	 * has no place on the map, nor a centroid to judge it by. */
	if (n > 4)
		n -= 4;
	if (n == 0 || n >= sizeof code)
		return 0;
	memcpy(code, l->postcode, n);
	code[n] = '\0';
	if ((d = directory_district(a->dir, code)) == NULL ||
	    !(d->flags & DISTRICT_BUILTIN))
		return 0;
	a->district_leads[d - a->dir->districts]++;
	if (stats_fell_through(l->match_kind))
		a->district_fell[d - a->dir->districts]++;
	return 0;
}

static int
stats_optout(const char *phone, void *arg)
{
	struct stats_acc *a = arg;

	a->optouts += stats_set_add(&a->numbers, stats_hash(phone, 0), 1);
	return 0;
}

/* 1 when a text from the middle of district d would reach a branch (its
 * coverage, or the nearest within the radius), 0 when it would fall
 * through, -1 when the organisation does not serve it at all. */
static int
stats_served(const struct directory *dir, const struct config *cf,
    const struct district *d)
{
	struct postcode pc;
	struct geocode geo = { .level = GEO_DISTRICT, .lat = d->lat,
	    .lon = d->lon };
	struct match m;

	if (postcode_parse(d->code, &pc) == POSTCODE_NONE)
		return -1;
	branch_match(dir, cf, &pc, &geo, &m);
	switch (m.kind) {
	case MATCH_COVERAGE:
	case MATCH_NEAREST:
		return 1;
	case MATCH_REGION:
	case MATCH_NATIONAL:
		return 0;
	default:
		return -1;
	}
}

static void
stats_day_text(int64_t day, char *buf, size_t len)
{
	time_t t = (time_t)(day * STATS_DAY);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

/* A day YYYY-MM-DD as days since 1970-01-01: 0, or -1 when it is not
 * one. */
static int
stats_parse_day(const char *v, int64_t *day)
{
	struct tm tm;
	const char *end;
	char back[16];

	memset(&tm, 0, sizeof tm);
	/* Four-digit years only (strptime takes any number of digits), and
	 * a day that exists: timegm would make 2025-02-30 into March. */
	if (strlen(v) != 10 || strspn(v, "0123456789") != 4 || v[4] != '-' ||
	    (end = strptime(v, "%Y-%m-%d", &tm)) == NULL || *end != '\0' ||
	    tm.tm_year < 70)
		return -1;
	*day = (int64_t)timegm(&tm) / STATS_DAY;
	stats_day_text(*day, back, sizeof back);
	return strcmp(back, v) == 0 ? 0 : -1;
}

static enum route_result
stats_error(struct http_resp *resp, int status, const char *field,
    const char *msg)
{
	json_t *o = field ? json_pack("{s:s, s:s}", "error", msg, "field",
	    field) : json_pack("{s:s}", "error", msg);
	char *text = json_dumps(o, JSON_COMPACT);

	http_resp_set(resp, status, "application/json", text ? text : "{}");
	free(text);
	json_decref(o);
	return ROUTE_DONE;
}

/* A tally as JSON, most leads first; a branch or region (what 'b', 'r')
 * named from the directory, a kind (what 'k') marked when it is a
 * fall-through. */
static json_t *
stats_tally_json(struct stats_tallies *t, const char *name_key,
    const struct directory *dir, int what)
{
	json_t *a = json_array();

	stats_pack(t);
	for (size_t i = 0; i < t->n && (what == 'b' || what == 'r'); i++) {
		struct stats_tally *e = &t->v[i];
		const char *name = NULL;
		if (what == 'r') {
			const struct region *r = directory_region(dir, e->id);
			name = r ? r->name : NULL;
		} else
			for (size_t j = 0; j < dir->nbranches; j++)
				if (dir->branches[j].id == e->id)
					name = dir->branches[j].name;
		free(e->key);
		e->key = xstrdup(name ? name : e->id ? "(deleted)" : "(none)");
	}
	if (t->n > 1)
		qsort(t->v, t->n, sizeof *t->v, stats_tally_cmp);
	for (size_t i = 0; i < t->n; i++) {
		const struct stats_tally *e = &t->v[i];
		json_t *o = json_object();
		if (what == 'b' || what == 'r')
			json_object_set_new(o, "id", e->id ? json_integer(e->id) :
			    json_null());
		json_object_set_new(o, name_key, json_string(e->key));
		if (what == 'b') {
			int active = 0;
			for (size_t j = 0; j < dir->nbranches; j++)
				if (dir->branches[j].id == e->id)
					active = dir->branches[j].active;
			json_object_set_new(o, "active", json_boolean(active));
		}
		if (what == 'k')
			json_object_set_new(o, "fallthrough",
			    json_boolean(stats_fell_through(e->key)));
		json_object_set_new(o, "leads", json_integer(e->leads));
		json_array_append_new(a, o);
	}
	return a;
}

struct stats_unserved {
	size_t	index;
	int64_t	leads;
};

static int
stats_unserved_cmp(const void *a, const void *b)
{
	const struct stats_unserved *x = a, *y = b;

	if (x->leads != y->leads)
		return x->leads < y->leads ? 1 : -1;
	return (x->index > y->index) - (x->index < y->index);
}

/* What the map and the unserved list need, from the directory. */
static void
stats_places(json_t *o, const struct stats_acc *a, const struct config *cf)
{
	const struct directory *dir = a->dir;
	json_t *districts = json_array(), *branches = json_array();
	json_t *unserved = json_array();
	struct stats_unserved *u = xcalloc(dir->ndistricts + 1,
	    sizeof *u);
	size_t nu = 0;

	for (size_t i = 0; i < dir->ndistricts; i++) {
		const struct district *d = &dir->districts[i];
		if (!(d->flags & DISTRICT_BUILTIN))
			continue;
		json_array_append_new(districts, json_pack("{s:s, s:f, s:f, "
		    "s:I}", "district", d->code, "lat", d->lat, "lon", d->lon,
		    "leads", (json_int_t)a->district_leads[i]));
		if (a->district_leads[i] > 0 && stats_served(dir, cf, d) == 0) {
			u[nu].index = i;
			u[nu++].leads = a->district_leads[i];
		}
	}
	if (nu > 1)
		qsort(u, nu, sizeof *u, stats_unserved_cmp);
	for (size_t i = 0; i < nu && i < STATS_UNSERVED; i++) {
		const struct district *d = &dir->districts[u[i].index];
		struct postcode pc;
		const struct region *r = postcode_parse(d->code, &pc) !=
		    POSTCODE_NONE ? directory_region_for(dir, &pc) : NULL;
		json_array_append_new(unserved, json_pack("{s:s, s:I, s:I, "
		    "s:o}", "district", d->code, "leads", (json_int_t)u[i].leads,
		    "fallthrough", (json_int_t)a->district_fell[u[i].index],
		    "region", r ? json_string(r->name) : json_null()));
	}
	free(u);
	for (size_t i = 0; i < dir->nbranches; i++) {
		const struct branch *b = &dir->branches[i];
		if (b->has_coords != BRANCH_COORDS)
			continue;
		json_array_append_new(branches, json_pack("{s:I, s:s, s:f, "
		    "s:f, s:f, s:b}", "id", (json_int_t)b->id, "name", b->name,
		    "lat", b->lat, "lon", b->lon, "radius_km", cf->radius_km,
		    "active", b->active));
	}
	json_object_set_new(o, "unserved_districts", unserved);
	json_object_set_new(o, "districts", districts);
	json_object_set_new(o, "branches", branches);
}

enum route_result
admin_stats(struct gateway *gw, const struct http_params *q,
    struct http_resp *resp)
{
	const char *since_s = http_param(q, "since");
	const char *until_s = http_param(q, "until");
	const char *campaign = http_param(q, "campaign");
	struct stats_acc a;
	struct stats_filter f;
	int64_t since, until, dead;
	char day[16];
	json_t *o, *per_day;
	int rc;

	until = (int64_t)time(NULL) / STATS_DAY;
	if (until_s && *until_s && stats_parse_day(until_s, &until) == -1)
		return stats_error(resp, 400, "until", "until: a day as "
		    "YYYY-MM-DD, from 1970-01-01");
	since = until - (STATS_DAYS - 1);
	if (since_s && *since_s && stats_parse_day(since_s, &since) == -1)
		return stats_error(resp, 400, "since", "since: a day as "
		    "YYYY-MM-DD, from 1970-01-01");
	if (since > until)
		return stats_error(resp, 422, "since", "since: a day no later "
		    "than until");
	if (until - since + 1 > STATS_MAX_DAYS)
		return stats_error(resp, 422, "since", "since: a range of "
		    "366 days at most");
	if (campaign && *campaign == '\0')
		campaign = NULL;
	if (campaign && strlen(campaign) > STATS_CAMPAIGN_MAX)
		return stats_error(resp, 400, "campaign", "campaign: 100 "
		    "bytes at most");

	memset(&a, 0, sizeof a);
	a.dir = &gw->dir;
	a.first_day = since;
	a.ndays = until - since + 1;
	a.per_day = xcalloc((size_t)a.ndays, sizeof *a.per_day);
	a.district_leads = xcalloc(gw->dir.ndistricts + 1, sizeof(int64_t));
	a.district_fell = xcalloc(gw->dir.ndistricts + 1, sizeof(int64_t));
	f.since = since * STATS_DAY;
	f.until = (until + 1) * STATS_DAY;
	f.campaign = campaign;

	/* One snapshot: the figures add up to each other. */
	rc = store_read_begin(gw->st);
	if (rc == 0)
		rc = store_stats_leads(gw->st, &f, stats_lead, &a);
	if (rc == 0)
		rc = store_stats_optouts(gw->st, f.since, f.until, stats_optout,
		    &a);
	if (rc == 0)
		rc = store_stats_dead_letters(gw->st, &dead);
	store_read_end(gw->st);

	o = NULL;
	if (rc == 0) {
		int64_t fell = 0, numbers = (int64_t)a.numbers.n;
		for (size_t i = 0; i < a.kinds.cap; i++)
			if (a.kinds.v[i].key &&
			    stats_fell_through(a.kinds.v[i].key))
				fell += a.kinds.v[i].leads;
		o = json_object();
		stats_day_text(since, day, sizeof day);
		json_object_set_new(o, "since", json_string(day));
		stats_day_text(until, day, sizeof day);
		json_object_set_new(o, "until", json_string(day));
		json_object_set_new(o, "campaign", campaign ?
		    json_string(campaign) : json_null());
		json_object_set_new(o, "leads_total", json_integer(a.total));
		per_day = json_array();
		for (int64_t i = 0; i < a.ndays; i++) {
			stats_day_text(since + i, day, sizeof day);
			json_array_append_new(per_day, json_pack("{s:s, s:I}",
			    "date", day, "leads", (json_int_t)a.per_day[i]));
		}
		json_object_set_new(o, "per_day", per_day);
		json_object_set_new(o, "by_region", stats_tally_json(&a.regions,
		    "name", &gw->dir, 'r'));
		json_object_set_new(o, "by_branch", stats_tally_json(&a.branches,
		    "name", &gw->dir, 'b'));
		json_object_set_new(o, "by_campaign",
		    stats_tally_json(&a.campaigns, "campaign", &gw->dir, 'c'));
		json_object_set_new(o, "by_match_kind",
		    stats_tally_json(&a.kinds, "kind", &gw->dir, 'k'));
		json_object_set_new(o, "fallthrough", json_integer(fell));
		json_object_set_new(o, "numbers", json_integer(numbers));
		json_object_set_new(o, "optouts", json_integer(a.optouts));
		json_object_set_new(o, "optout_rate", numbers ?
		    json_real((double)a.optouts / (double)numbers) :
		    json_null());
		json_object_set_new(o, "dead_letters", json_integer(dead));
		json_object_set_new(o, "radius_km",
		    json_real(gw->cf->radius_km));
		stats_places(o, &a, gw->cf);
	}
	stats_tallies_free(&a.branches);
	stats_tallies_free(&a.regions);
	stats_tallies_free(&a.kinds);
	stats_tallies_free(&a.campaigns);
	free(a.numbers.v);
	free(a.per_day);
	free(a.district_leads);
	free(a.district_fell);
	if (o == NULL)
		return stats_error(resp, 500, NULL, store_error(gw->st));

	char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(8));
	json_decref(o);
	http_resp_set(resp, 200, "application/json", text ? text : "{}");
	free(text);
	return ROUTE_DONE;
}
