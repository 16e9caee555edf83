/* test_branch.c -- the matching rule, on a directory built by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "branch.h"
#include "config.h"
#include "geo.h"
#include "util.h"

static char *cov_se1[] = { "SE1", "SE11 4" };
static char *cov_se11[] = { "SE11" };

static struct region regions[] = {
	{ 1, "London", "Ada", "+447700900001", "", "" },
	{ 2, "Wales", "", "", "", "" },		/* no organiser */
	{ 3, "North West", "Bea", "", "bea@example.org", "" },
};

/* Two branches at the same point ("Alpha" and "Beta") test the tie rule. */
static struct branch branches[] = {
	{ 10, "Alpha", "M1 1AD", BRANCH_COORDS, 53.4800, -2.2400, "", "", "",
	    "", 3, "", 1, NULL, 0 },
	{ 11, "Beta", "M1 1AE", BRANCH_COORDS, 53.4800, -2.2400, "", "", "",
	    "", 3, "", 1, NULL, 0 },
	{ 12, "Southwark", "SE1 2QH", BRANCH_COORDS, 51.5030, -0.0785, "", "",
	    "", "", 1, "", 1, cov_se1, 2 },
	{ 13, "Kennington", "", 0, 0, 0, "", "", "", "", 1, "", 1, cov_se11, 1 },
	{ 14, "Closed", "M3 1AA", BRANCH_COORDS, 53.4700, -2.3000, "", "", "",
	    "", 3, "", 0, NULL, 0 },
};

static struct area areas[] = {
	{ "CF", "Cardiff", "Wales", 51.5, -3.3 },
	{ "EH", "Edinburgh", "Scotland", 55.9, -3.2 },
	{ "L", "Liverpool", "England", 53.4, -2.9 },
	{ "M", "Manchester", "England", 53.47, -2.25 },
	{ "SE", "London SE", "England", 51.46, -0.04 },
	{ "TD", "Galashiels", "Scotland", 55.6, -2.8 },
};

static char *countries[] = { "England" };

static struct directory dir;
static struct config *cf;

static int
setup(void **state)
{
	memset(&dir, 0, sizeof dir);
	dir.branches = branches;
	dir.nbranches = nitems(branches);
	dir.regions = regions;
	dir.nregions = nitems(regions);
	dir.areas = areas;
	dir.nareas = nitems(areas);
	dir.countries = countries;
	dir.ncountries = 1;
	/* Area maps and a district override, as store.c would load them. */
	static struct code_entry region_of[] = {
		{ "CF", 1 }, { "L", 2 }, { "M", 2 }, { "SE", 0 },
	};
	static struct code_entry country_of[] = { { "TD15", 0 } };
	dir.region_of.entries = xmalloc(sizeof region_of);
	memcpy(dir.region_of.entries, region_of, sizeof region_of);
	dir.region_of.n = nitems(region_of);
	dir.country_of.entries = xmalloc(sizeof country_of);
	memcpy(dir.country_of.entries, country_of, sizeof country_of);
	dir.country_of.n = 1;
	directory_index(&dir);
	cf = config_defaults();
	return 0;
}

static int
teardown(void **state)
{
	free(dir.coverage.entries);
	free(dir.region_of.entries);
	free(dir.area_of.entries);
	free(dir.country_of.entries);
	branch_index_free(&dir.near);
	config_free(cf);
	return 0;
}

static void
test_match(void **state)
{
	static const struct {
		const char	*postcode;
		enum geo_level	 level;
		double		 lat, lon;
		enum match_kind	 kind;
		const char	*branch;	/* NULL: none */
		const char	*region;
	} cases[] = {
		/* Coverage: a sector beats its district's owner. */
		{ "SE1 7PB", GEO_UNIT, 51.5025, -0.1194, MATCH_COVERAGE, "Southwark", "London" },
		{ "SE11 4AA", GEO_UNIT, 51.49, -0.11, MATCH_COVERAGE, "Southwark", "London" },
		{ "SE11 5AA", GEO_UNIT, 51.49, -0.11, MATCH_COVERAGE, "Kennington", "London" },
		/* Coverage works without any geocode. */
		{ "SE11 5AA", GEO_NONE, 0, 0, MATCH_COVERAGE, "Kennington", "London" },
		{ "SE1", GEO_DISTRICT, 51.5, -0.1, MATCH_COVERAGE, "Southwark", "London" },
		/* Nearest: equal distances go to the first by name. */
		{ "M1 1AD", GEO_UNIT, 53.4810, -2.2390, MATCH_NEAREST, "Alpha", "North West" },
		/* The nearest branch is inactive: the nearest active one. */
		{ "M3 1AB", GEO_UNIT, 53.4700, -2.3100, MATCH_NEAREST, "Alpha", "North West" },
		/* Beyond the radius: the region's organiser. */
		{ "SE9 1AA", GEO_UNIT, 51.0, 1.0, MATCH_REGION, NULL, "London" },
		/* A region without an organiser: national. */
		{ "CF10 1EP", GEO_UNIT, 51.48, -3.18, MATCH_NATIONAL, NULL, "Wales" },
		/* Out of area by the area's country... */
		{ "EH1 1YZ", GEO_UNIT, 55.95, -3.19, MATCH_OUT_OF_AREA, NULL, NULL },
		/* ...unless a district override says otherwise. */
		{ "TD15 1AA", GEO_UNIT, 55.77, -2.0, MATCH_NATIONAL, NULL, NULL },
		/* An unknown area with no geocode: nothing. */
		{ "MA1 1AA", GEO_NONE, 0, 0, MATCH_NONE, NULL, NULL },
	};

	for (size_t i = 0; i < nitems(cases); i++) {
		struct postcode pc;
		struct geocode geo = { cases[i].level, cases[i].lat,
		    cases[i].lon, 0, 0, NULL };
		struct match m;

		assert_int_not_equal(postcode_parse(cases[i].postcode, &pc),
		    POSTCODE_NONE);
		branch_match(&dir, cf, &pc, &geo, &m);
		if (m.kind != cases[i].kind)
			fail_msg("%s: expected %s, got %s", cases[i].postcode,
			    match_kind_name(cases[i].kind),
			    match_kind_name(m.kind));
		if ((cases[i].branch == NULL) != (m.branch == NULL) ||
		    (m.branch && strcmp(m.branch->name, cases[i].branch)))
			fail_msg("%s: expected branch %s, got %s",
			    cases[i].postcode, cases[i].branch ? cases[i].branch :
			    "none", m.branch ? m.branch->name : "none");
		if ((cases[i].region == NULL) != (m.region == NULL) ||
		    (m.region && strcmp(m.region->name, cases[i].region)))
			fail_msg("%s: expected region %s, got %s",
			    cases[i].postcode, cases[i].region ? cases[i].region :
			    "none", m.region ? m.region->name : "none");
	}
}

/* The imported data's country wins over the built-in tables; without one
 * they decide. */
static void
test_country_from_data(void **state)
{
	static const struct {
		const char	*postcode;
		enum geo_level	 level;
		const char	*country;	/* from the data; NULL: none */
		enum match_kind	 kind;
		const char	*want;		/* the match's country */
	} cases[] = {
		/* TD15 is England by the override; a Scottish unit in it. */
		{ "TD15 1TD", GEO_UNIT, "Scotland", MATCH_OUT_OF_AREA, "Scotland" },
		{ "TD15 1AA", GEO_UNIT, "England", MATCH_NATIONAL, "England" },
		{ "TD15 1AA", GEO_UNIT, NULL, MATCH_NATIONAL, "England" },
		/* TD is Scotland by its area; an English unit in TD12. */
		{ "TD12 4RA", GEO_UNIT, "England", MATCH_NATIONAL, "England" },
		{ "TD12 4RA", GEO_UNIT, NULL, MATCH_OUT_OF_AREA, "Scotland" },
		/* A sector's or district's majority. */
		{ "TD12 4ZZ", GEO_SECTOR, "England", MATCH_NATIONAL, "England" },
		{ "TD12", GEO_DISTRICT, "Scotland", MATCH_OUT_OF_AREA, "Scotland" },
		/* A unit without coordinates still has its country. */
		{ "TD15 1TD", GEO_NONE, "Scotland", MATCH_OUT_OF_AREA, "Scotland" },
		/* Coverage does not outrank the country. */
		{ "SE1 7PB", GEO_UNIT, "Wales", MATCH_COVERAGE, "Wales" },
		{ "SE1 7PB", GEO_UNIT, "Jersey", MATCH_OUT_OF_AREA, "Jersey" },
	};

	for (size_t i = 0; i < nitems(cases); i++) {
		struct postcode pc;
		struct geocode geo = { cases[i].level, 55.7, -2.1, 0,
		    cases[i].level == GEO_NONE, cases[i].country };
		struct match m;

		assert_int_not_equal(postcode_parse(cases[i].postcode, &pc),
		    POSTCODE_NONE);
		branch_match(&dir, cf, &pc, &geo, &m);
		if (m.kind != cases[i].kind || m.country == NULL ||
		    strcmp(m.country, cases[i].want) != 0)
			fail_msg("%s (%s): expected %s in %s, got %s in %s",
			    cases[i].postcode, cases[i].country ?
			    cases[i].country : "no country",
			    match_kind_name(cases[i].kind), cases[i].want,
			    match_kind_name(m.kind), m.country ? m.country :
			    "nowhere");
	}
}

/* The values an import's country column may hold. */
static void
test_country_parse(void **state)
{
	static const struct {
		const char	*value;
		const char	*area;
		const char	*want;		/* NULL: none; "?": unknown */
	} cases[] = {
		{ "E92000001", "TD", "England" },
		{ "w92000004", "CH", "Wales" },
		{ "S92000003", "TD", "Scotland" },
		{ "N92000002", "BT", "Northern Ireland" },
		{ "M83000003", "IM", "Isle of Man" },
		/* One ONS code, two countries in the gateway's tables. */
		{ "L93000001", "GY", "Guernsey" },
		{ "L93000001", "JE", "Jersey" },
		{ "Channel Islands", "JE", "Jersey" },
		{ "L93000001", "SE", "Channel Islands" },
		{ "England", "TD", "England" },
		{ "scotland", "TD", "Scotland" },
		{ "NORTHERN IRELAND", "BT", "Northern Ireland" },
		{ " Wales ", "LL", "Wales" },
		{ "Guernsey", "GY", "Guernsey" },
		{ "", "SE", NULL },
		{ "  ", "SE", NULL },
		{ "E12000001", "NE", "?" },	/* a region, not a country */
		{ "Englandshire", "SE", "?" },
		{ "Eng", "SE", "?" },
		{ "E9200000", "SE", "?" },
		{ "UK", "SE", "?" },
	};

	for (size_t i = 0; i < nitems(cases); i++) {
		int c = geo_country_parse(cases[i].value, cases[i].area);
		const char *got = c == -1 ? "?" : geo_country_name(c);

		if ((got == NULL) != (cases[i].want == NULL) ||
		    (got && strcmp(got, cases[i].want) != 0))
			fail_msg("\"%s\" in %s: expected %s, got %s",
			    cases[i].value, cases[i].area, cases[i].want ?
			    cases[i].want : "none", got ? got : "none");
	}
	assert_null(geo_country_name(0));
	assert_null(geo_country_name(GEO_COUNTRY_COUNT));
	assert_null(geo_country_name(-1));
}

static void
test_radius(void **state)
{
	struct postcode pc;
	struct geocode geo = { GEO_UNIT, 53.48, -2.0, 0, 0, NULL };	/* ~16 km east */
	struct match m;

	postcode_parse("M9 1AA", &pc);
	branch_match(&dir, cf, &pc, &geo, &m);
	assert_int_equal(m.kind, MATCH_NEAREST);
	assert_true(m.distance_km > 15 && m.distance_km < 17);
	cf->radius_km = 10;
	branch_match(&dir, cf, &pc, &geo, &m);
	assert_int_equal(m.kind, MATCH_REGION);
	assert_string_equal(m.region->organiser_name, "Bea");
	cf->radius_km = 40;
}

static void
test_distance(void **state)
{
	/* London to Cardiff, about 212 km as the crow flies. */
	double km = distance_km(51.5074, -0.1278, 51.4816, -3.1791);
	assert_true(fabs(km - 212) < 2);
	assert_true(distance_km(53, -2, 53, -2) == 0);
}

static void
test_out_of_area_list(void **state)
{
	assert_true(config_out_of_area(cf, "Scotland"));
	assert_true(config_out_of_area(cf, "isle of man"));
	assert_true(config_out_of_area(cf, "Jersey"));
	assert_false(config_out_of_area(cf, "England"));
	assert_false(config_out_of_area(cf, "Isle"));
	assert_false(config_out_of_area(cf, ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_country_from_data),
		cmocka_unit_test(test_country_parse),
		cmocka_unit_test(test_radius),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_out_of_area_list),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
