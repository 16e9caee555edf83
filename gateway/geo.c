/*
 * geo.c -- geocode a postcode by falling back from the unit to ever wider
 * centroids, and measure distances.
 */
#include <math.h>

#include "branch.h"
#include "geo.h"
#include "store.h"

double
geo_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0088, rad = M_PI / 180;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	    cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * r * asin(fmin(1, sqrt(a)));
}

const char *
geo_level_name(enum geo_level level)
{
	switch (level) {
	case GEO_UNIT:		return "unit";
	case GEO_SECTOR:	return "sector";
	case GEO_DISTRICT:	return "district";
	case GEO_AREA:		return "area";
	default:		return "none";
	}
}

/* A built-in centroid from the directory: 1 found, 0 not. */
static int
builtin_centroid(const struct directory *dir, enum geo_level level,
    const char *code, double *lat, double *lon)
{
	const struct district *d;
	const struct area *a;

	if (level == GEO_DISTRICT) {
		if ((d = directory_district(dir, code)) == NULL ||
		    !(d->flags & DISTRICT_BUILTIN))
			return 0;
		*lat = d->lat;
		*lon = d->lon;
		return 1;
	}
	if ((a = directory_area(dir, code)) == NULL)
		return 0;
	*lat = a->lat;
	*lon = a->lon;
	return 1;
}

int
geo_locate(struct store *st, const struct directory *dir,
    const struct postcode *pc, struct geocode *out)
{
	/*
	 * Narrowest first; at each level imported data before the built-in
	 * table, which only fills what the import left out.  A built-in
	 * district (a few km) beats an imported area (tens of km).
	 */
	const struct {
		enum geo_level	 level;
		const char	*code;
		int		 builtin;
	} steps[] = {
		{ GEO_SECTOR, pc->sector, 0 },
		{ GEO_DISTRICT, pc->district, 0 },
		{ GEO_DISTRICT, pc->district, 1 },
		{ GEO_AREA, pc->area, 0 },
		{ GEO_AREA, pc->area, 1 },
	};
	int rc;

	*out = (struct geocode){ .level = GEO_NONE };
	if (pc->kind == POSTCODE_NONE)
		return 0;
	if (pc->kind == POSTCODE_FULL) {
		if ((rc = store_lookup_unit(st, pc->full, out)) != 0)
			return rc == 1 && out->level == GEO_NONE ? 0 : rc;
	}
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if (steps[i].code[0] == '\0')
			continue;
		if (steps[i].builtin)
			rc = builtin_centroid(dir, steps[i].level,
			    steps[i].code, &out->lat, &out->lon);
		else
			rc = store_lookup_centroid(st, steps[i].level,
			    steps[i].code, &out->lat, &out->lon);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			out->level = steps[i].level;
			return 1;
		}
	}
	return 0;
}
