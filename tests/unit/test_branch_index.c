/*
 * test_branch_index.c -- the nearest-branch index gives the answer the
 * plain scan gives, ties included, on seeded random directories.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "branch.h"
#include "distance.h"
#include "util.h"

/* The UK's bounding box, Scilly to Shetland, Fermanagh to Lowestoft. */
#define LAT_S	49.86
#define LAT_N	60.86
#define LON_W	-8.65
#define LON_E	1.77

/* splitmix64: the same numbers from a seed on every libc. */
static uint64_t rng;

static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
uniform(double lo, double hi)
{
	return lo + (hi - lo) * (double)(next() >> 11) * 0x1p-53;
}

/*
 * n branches, in the directory's order (by name): spread over the box,
 * crowded at its northern and southern edges and about the 0° meridian,
 * some on a coarse grid or on another's spot (equal distances), some
 * mirrored across the meridian (equal distances from any point on it),
 * some inactive or without coordinates.
 */
static void
make_directory(struct directory *dir, size_t n)
{
	memset(dir, 0, sizeof *dir);
	dir->branches = xcalloc(n, sizeof *dir->branches);
	dir->nbranches = n;
	for (size_t i = 0; i < n; i++) {
		struct branch *b = &dir->branches[i];
		unsigned kind = (unsigned)(next() % 20);

		branch_init(b);
		free(b->name);
		b->name = xasprintf("Branch %05zu", i);
		b->id = (int64_t)i + 1;
		b->has_coords = BRANCH_COORDS;
		b->lat = uniform(LAT_S, LAT_N);
		b->lon = uniform(LON_W, LON_E);
		switch (kind) {
		case 0:		/* the southern edge */
			b->lat = uniform(LAT_S, LAT_S + 0.3);
			break;
		case 1:		/* the northern edge */
			b->lat = uniform(LAT_N - 0.3, LAT_N);
			break;
		case 2:		/* either side of the meridian */
			b->lon = uniform(-0.4, 0.4);
			break;
		case 3:		/* a coarse grid: many share a spot */
			b->lat = round(b->lat * 4) / 4;
			b->lon = round(b->lon * 4) / 4;
			break;
		case 4:		/* another branch's spot */
			if (i > 0) {
				const struct branch *o =
				    &dir->branches[next() % i];
				b->lat = o->lat;
				b->lon = o->lon;
				b->has_coords = o->has_coords;
			}
			break;
		case 5:		/* another's mirror across the meridian */
			if (i > 0) {
				const struct branch *o =
				    &dir->branches[next() % i];
				b->lat = o->lat;
				b->lon = -o->lon;
			}
			break;
		case 6:
		case 7:
			b->active = 0;
			break;
		case 8:
			if (next() % 2)
				b->has_coords = 0;
			break;
		}
	}
	directory_index(dir);
}

static void
free_directory(struct directory *dir)
{
	directory_free(dir);
}

/* A point to search from: anywhere in and a little beyond the box, on
 * the meridian itself, on a branch, on the grid, or on the box's edges. */
static void
make_point(const struct directory *dir, double *lat, double *lon)
{
	*lat = uniform(LAT_S - 1, LAT_N + 1);
	*lon = uniform(LON_W - 1, LON_E + 1);
	switch (next() % 8) {
	case 0:
		*lon = 0;
		break;
	case 1: {
		const struct branch *b = &dir->branches[next() % dir->nbranches];
		*lat = b->lat;
		*lon = b->lon;
		break;
	}
	case 2:
		*lat = round(*lat * 4) / 4;
		*lon = round(*lon * 4) / 4 + 0.125;
		break;
	case 3:
		*lat = next() % 2 ? LAT_S : LAT_N;
		break;
	}
}

static void
test_index_equals_scan(void **state)
{
	static const struct {
		uint64_t	 seed;
		size_t		 branches;
		size_t		 points;
	} cases[] = {
		{ 1, 10, 2000 },
		{ 2, 10, 2000 },
		{ 3, 1000, 2000 },
		{ 4, 1000, 2000 },
		{ 5, 10000, 200 },
	};
	/* Radii: none, a street, a town, the default, a region, the
	 * configured maximum, half way round the earth, unbounded. */
	static const double radii[] = {
		0, 0.5, 5, 40, 200, 1000, 20016, INFINITY,
	};

	size_t all_ties = 0;

	for (size_t c = 0; c < nitems(cases); c++) {
		struct directory dir;
		size_t ties = 0, found = 0, checked = 0;

		rng = cases[c].seed;
		make_directory(&dir, cases[c].branches);
		for (size_t p = 0; p < cases[c].points; p++) {
			double lat, lon;

			make_point(&dir, &lat, &lon);
			for (size_t r = 0; r < nitems(radii); r++) {
				const struct branch *want, *got;
				double want_km = -1, got_km = -1;

				want = branch_nearest_scan(&dir, lat, lon,
				    radii[r], &want_km);
				got = branch_nearest(&dir, lat, lon, radii[r],
				    &got_km);
				checked++;
				if (want != got || want_km != got_km)
					fail_msg("seed %llu, %zu branches, "
					    "(%.6f, %.6f) within %g km: scan "
					    "%s at %.9f km, index %s at %.9f km",
					    (unsigned long long)cases[c].seed,
					    cases[c].branches, lat, lon,
					    radii[r], want ? want->name : "none",
					    want_km, got ? got->name : "none",
					    got_km);
				if (want == NULL)
					continue;
				found++;
				assert_true(want->active);
				for (size_t i = 0; i < dir.nbranches; i++) {
					const struct branch *b = &dir.branches[i];
					if (b != want && b->active &&
					    b->has_coords && distance_km(lat,
					    lon, b->lat, b->lon) == want_km) {
						/* The first by name won. */
						assert_true(b > want);
						ties++;
						break;
					}
				}
			}
		}
		printf("  seed %llu: %zu branches, %zu searches, %zu found, "
		    "%zu with a tie\n", (unsigned long long)cases[c].seed,
		    cases[c].branches, checked, found, ties);
		all_ties += ties;
		free_directory(&dir);
	}
	/* The cases are worth running only if they meet ties. */
	assert_true(all_ties > 0);
}

/* Branches that cannot be matched are not searched; loading again
 * rebuilds the index rather than adding to it. */
static void
test_index_contents(void **state)
{
	static const struct {
		const char	*name;
		int		 active, has_coords;
		double		 lat, lon;
	} rows[] = {
		{ "Closed", 0, BRANCH_COORDS, 51.5, -0.1 },
		{ "Half placed", 1, BRANCH_LAT, 51.5, 0 },
		{ "Nowhere", 1, 0, 0, 0 },
		{ "Open", 1, BRANCH_COORDS, 51.6, -0.1 },
	};
	struct directory dir;
	const struct branch *b;
	double km;

	memset(&dir, 0, sizeof dir);
	dir.nbranches = nitems(rows);
	dir.branches = xcalloc(nitems(rows), sizeof *dir.branches);
	for (size_t i = 0; i < nitems(rows); i++) {
		branch_init(&dir.branches[i]);
		free(dir.branches[i].name);
		dir.branches[i].name = xstrdup(rows[i].name);
		dir.branches[i].active = rows[i].active;
		dir.branches[i].has_coords = rows[i].has_coords;
		dir.branches[i].lat = rows[i].lat;
		dir.branches[i].lon = rows[i].lon;
	}
	directory_index(&dir);
	directory_index(&dir);
	assert_int_equal(dir.near.n, 1);
	b = branch_nearest(&dir, 51.5, -0.1, 40, &km);
	assert_non_null(b);
	assert_string_equal(b->name, "Open");
	assert_true(fabs(km - 11.1) < 0.1);
	assert_null(branch_nearest(&dir, 51.5, -0.1, 10, &km));
	assert_null(branch_nearest(&dir, 51.5, -0.1, -1, &km));
	assert_null(branch_nearest(&dir, 51.5, -0.1, NAN, &km));
	/* Without its index the directory is scanned: the same answer. */
	branch_index_free(&dir.near);
	b = branch_nearest(&dir, 51.5, -0.1, 40, &km);
	assert_non_null(b);
	assert_string_equal(b->name, "Open");
	directory_free(&dir);
	/* An empty directory. */
	directory_index(&dir);
	assert_true(dir.near.built);
	assert_null(branch_nearest(&dir, 51.5, -0.1, INFINITY, &km));
	directory_free(&dir);
}

static void
test_chord(void **state)
{
	static const struct {
		double	 km;
		double	 chord;
	} cases[] = {
		{ -1, 0 },
		{ 0, 0 },
		{ M_PI * DISTANCE_EARTH_KM / 3, 1 },	/* 60°: a side of a hexagon */
		{ M_PI * DISTANCE_EARTH_KM, 2 },
		{ 1e9, 2 },
		{ INFINITY, 2 },
	};

	for (size_t i = 0; i < nitems(cases); i++)
		assert_true(fabs(distance_chord(cases[i].km) -
		    cases[i].chord) < 1e-12);
	/* The chord of a distance is the distance between the vectors. */
	double a[3], b[3], d = 0;
	distance_vector(51.5074, -0.1278, a);
	distance_vector(51.4816, -3.1791, b);
	for (int k = 0; k < 3; k++)
		d += (a[k] - b[k]) * (a[k] - b[k]);
	assert_true(fabs(sqrt(d) - distance_chord(distance_km(51.5074,
	    -0.1278, 51.4816, -3.1791))) < 1e-12);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_equals_scan),
		cmocka_unit_test(test_index_contents),
		cmocka_unit_test(test_chord),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
