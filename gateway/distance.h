/*
 * distance.h -- points on the earth and the distances between them.
 *
 * Pure (no database, no state): geo.c finds where a postcode is, branch.c
 * measures from there to the branches, and both share these.
 */
#ifndef GATEWAY_DISTANCE_H
#define GATEWAY_DISTANCE_H

/* The mean earth radius (IUGG), in kilometres. */
#define DISTANCE_EARTH_KM	6371.0088

enum geo_level {
	GEO_NONE,	/* nowhere we know */
	GEO_UNIT,	/* the postcode itself */
	GEO_SECTOR,	/* "SE1 7" centroid */
	GEO_DISTRICT,	/* "SE1" centroid (imported, else the built-in table) */
	GEO_AREA,	/* "SE" centroid (imported, else the built-in table) */
};

/* Where a postcode is, and how closely we know it (geo_locate fills it). */
struct geocode {
	enum geo_level	level;
	double		lat, lon;	/* WGS84 degrees, when level != NONE */
	int		terminated;	/* YYYYMM the unit was terminated, or 0 */
	int		no_coords;	/* the unit exists but has no location
					   (Channel Islands, Isle of Man) */
	const char	*country;	/* from the imported data ("England"):
					   the unit's own, or its sector's or
					   district's majority; NULL when the
					   data has none, and the built-in
					   tables decide.  Static storage. */
};

/* Great-circle distance in kilometres (haversine, mean earth radius). */
double	distance_km(double lat1, double lon1, double lat2, double lon2);

/* The point as a vector on the unit sphere (x towards 0°N 0°E, z north). */
void	distance_vector(double lat, double lon, double v[3]);

/*
 * The straight-line distance through the unit sphere between two points
 * km apart on the surface: 2 sin(km / 2R), which grows with km, so it
 * bounds a search over vectors.  2 (opposite sides) for km beyond half
 * way round; 0 for km <= 0.
 */
double	distance_chord(double km);

#endif
