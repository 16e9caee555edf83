/*
 * geo.h -- where a postcode is: unit, else sector, district or area
 * centroid, and great-circle distances.
 */
#ifndef GATEWAY_GEO_H
#define GATEWAY_GEO_H

#include "postcode.h"

struct store;
struct directory;

enum geo_level {
	GEO_NONE,	/* nowhere we know */
	GEO_UNIT,	/* the postcode itself */
	GEO_SECTOR,	/* "SE1 7" centroid */
	GEO_DISTRICT,	/* "SE1" centroid (imported, else the built-in table) */
	GEO_AREA,	/* "SE" centroid (imported, else the built-in table) */
};

struct geocode {
	enum geo_level	level;
	double		lat, lon;	/* WGS84 degrees, when level != NONE */
	int		terminated;	/* YYYYMM the unit was terminated, or 0 */
	int		no_coords;	/* the unit exists but has no location
					   (Channel Islands, Isle of Man) */
};

/*
 * Locate pc: the unit where it was imported, else the centroid of its
 * sector, district or area, whichever is known first: imported, else
 * built in (data/district_centroids.csv, data/postcode_areas.csv, through
 * dir), each level's built-in table below that level's imported data and
 * above the next level's.  A unit that exists
 * without coordinates stops the fall-back (level GEO_NONE, no_coords set)
 * so that the out-of-area rule decides.  -1 on a database error, 0 when
 * nothing is known, 1 when found.
 */
int		 geo_locate(struct store *, const struct directory *,
		    const struct postcode *pc, struct geocode *out);

/* Great-circle distance in kilometres (haversine, mean earth radius). */
double		 geo_distance_km(double lat1, double lon1, double lat2,
		    double lon2);

/* "unit", "sector", "district", "area", "none" */
const char	*geo_level_name(enum geo_level);

#endif
