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

int
geo_locate(struct store *st, const struct directory *dir,
    const struct postcode *pc, struct geocode *out)
{
	const struct {
		enum geo_level	 level;
		const char	*code;
	} steps[] = {
		{ GEO_SECTOR, pc->sector },
		{ GEO_DISTRICT, pc->district },
		{ GEO_AREA, pc->area },
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
		rc = store_lookup_centroid(st, steps[i].level, steps[i].code,
		    &out->lat, &out->lon);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			out->level = steps[i].level;
			return 1;
		}
	}
	/* Before any import: the built-in area table. */
	const struct area *a = directory_area(dir, pc->area);
	if (a != NULL) {
		out->level = GEO_AREA;
		out->lat = a->lat;
		out->lon = a->lon;
		return 1;
	}
	return 0;
}
