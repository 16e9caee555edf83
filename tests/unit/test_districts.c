/*
 * test_districts.c -- the directory's set of known districts: look-ups by
 * outward code, and the country a postcode gets from its district
 * override, else its built-in district, else its area.  On a directory
 * built by hand, as store.c would load it (unsorted: directory_index
 * sorts).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "branch.h"
#include "util.h"

static char *countries[] = { "England", "Wales", "Scotland" };

static struct area areas[] = {
	{ "CH", "Chester", "England", 53.2, -2.9 },
	{ "SE", "London SE", "England", 51.46, -0.04 },
	{ "SW", "London SW", "England", 51.46, -0.17 },
	{ "TD", "Galashiels", "Scotland", 55.6, -2.8 },
};

static struct directory dir;

static int
setup(void **state)
{
	/* Out of order on purpose; "BT1" imported only (no built-in row). */
	struct district d[] = {
		{ "TD15", DISTRICT_BUILTIN, NULL, 55.751, -2.0134 },
		{ "SE1", DISTRICT_BUILTIN | DISTRICT_IMPORTED, NULL, 51.4982,
		    -0.0903 },
		{ "CH5", DISTRICT_BUILTIN, NULL, 53.2051, -3.0383 },
		{ "BT1", DISTRICT_IMPORTED, NULL, 0, 0 },
		{ "SW1A", DISTRICT_BUILTIN, NULL, 51.502, -0.1339 },
		{ "SE1P", DISTRICT_BUILTIN, NULL, 51.4928, -0.0801 },
		{ "TD12", DISTRICT_BUILTIN, NULL, 55.6529, -2.2419 },
	};
	static struct code_entry country_of[] = { { "TD15", 0 } };

	(void)state;
	memset(&dir, 0, sizeof dir);
	dir.areas = areas;
	dir.nareas = nitems(areas);
	dir.countries = countries;
	dir.ncountries = nitems(countries);
	d[0].country = countries[2];	/* TD15: the override says England */
	d[1].country = d[4].country = d[5].country = countries[0];
	d[2].country = countries[1];
	d[6].country = countries[2];
	dir.districts = xmalloc(sizeof d);
	memcpy(dir.districts, d, sizeof d);
	dir.ndistricts = nitems(d);
	dir.country_of.entries = xmalloc(sizeof country_of);
	memcpy(dir.country_of.entries, country_of, sizeof country_of);
	dir.country_of.n = nitems(country_of);
	directory_index(&dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(dir.districts);
	free(dir.coverage.entries);
	free(dir.region_of.entries);
	free(dir.area_of.entries);
	free(dir.country_of.entries);
	return 0;
}

static void
test_lookup(void **state)
{
	static const struct {
		const char	*code;
		int		 flags;		/* 0: unknown */
		double		 lat;
	} cases[] = {
		{ "SE1", DISTRICT_BUILTIN | DISTRICT_IMPORTED, 51.4982 },
		{ "SE1P", DISTRICT_BUILTIN, 51.4928 },
		{ "SW1A", DISTRICT_BUILTIN, 51.502 },
		{ "TD15", DISTRICT_BUILTIN, 55.751 },
		{ "BT1", DISTRICT_IMPORTED, 0 },
		{ "CH5", DISTRICT_BUILTIN, 53.2051 },
		{ "SE", 0, 0 },			/* an area is no district */
		{ "SE2", 0, 0 },
		{ "SW1", 0, 0 },
		{ "se1", 0, 0 },		/* callers normalise first */
		{ "SE1 7", 0, 0 },
		{ "", 0, 0 },
		{ "TD15TD15TD15", 0, 0 },	/* longer than any code */
		{ NULL, 0, 0 },
	};

	(void)state;
	for (size_t i = 1; i < dir.ndistricts; i++)
		assert_true(strcmp(dir.districts[i - 1].code,
		    dir.districts[i].code) < 0);
	for (size_t i = 0; i < nitems(cases); i++) {
		const struct district *d = directory_district(&dir,
		    cases[i].code);
		const char *what = cases[i].code ? cases[i].code : "(null)";

		if ((d != NULL) != (cases[i].flags != 0))
			fail_msg("%s: expected %s", what,
			    cases[i].flags ? "known" : "unknown");
		assert_int_equal(directory_district_known(&dir, cases[i].code),
		    cases[i].flags != 0);
		if (d == NULL)
			continue;
		assert_string_equal(d->code, cases[i].code);
		assert_int_equal(d->flags, cases[i].flags);
		assert_true(d->lat == cases[i].lat);
	}
	/* An empty directory knows nothing, and does not crash. */
	struct directory none = { 0 };
	assert_null(directory_district(&none, "SE1"));
	assert_int_equal(directory_district_known(&none, "SE1"), 0);
}

static void
test_country(void **state)
{
	static const struct {
		const char	*postcode;
		const char	*country;	/* NULL: unknown */
	} cases[] = {
		{ "TD15 1AA", "England" },	/* the override wins */
		{ "TD12 4AA", "Scotland" },	/* the built-in district */
		{ "CH5 4AA", "Wales" },		/* the built-in district */
		{ "CH1 1AA", "England" },	/* no district row: the area */
		{ "SE1 7PB", "England" },
		{ "SE1", "England" },		/* an outcode alone */
		{ "BT1 1AA", NULL },		/* imported, no country, no area */
		{ "EH1 1YZ", NULL },		/* no area row here */
	};

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		struct postcode pc;
		const char *got;

		assert_int_not_equal(postcode_parse(cases[i].postcode, &pc),
		    POSTCODE_NONE);
		got = directory_country(&dir, &pc);
		if ((got == NULL) != (cases[i].country == NULL) ||
		    (got && strcmp(got, cases[i].country)))
			fail_msg("%s: expected %s, got %s", cases[i].postcode,
			    cases[i].country ? cases[i].country : "none",
			    got ? got : "none");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_country),
	};

	return cmocka_run_group_tests_name("districts", tests, setup,
	    teardown);
}
