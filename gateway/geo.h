/*
 * geo.h -- where a postcode is: unit, else sector, district or area
 * centroid.  The types it fills and the distance math are in distance.h.
 */
#ifndef GATEWAY_GEO_H
#define GATEWAY_GEO_H

#include "distance.h"
#include "postcode.h"

struct store;
struct directory;

/*
 * Locate pc: the unit where it was imported, else the centroid of its
 * sector, district or area, whichever is known first: imported, else
 * built in (data/district_centroids.csv, data/postcode_areas.csv, through
 * dir), each level's built-in table below that level's imported data and
 * above the next level's; with the country the imported data gives at
 * that level (none from a built-in table).  A unit that exists without
 * coordinates stops the fall-back (level GEO_NONE, no_coords set, its
 * country kept) * so that the out-of-area rule decides.  -1 on a database error, 0 when
 * nothing is known, 1 when found.
 */
int		 geo_locate(struct store *, const struct directory *,
		    const struct postcode *pc, struct geocode *out);

/* "unit", "sector", "district", "area", "none" */
const char	*geo_level_name(enum geo_level);

/*
 * Countries as the imported data gives them, stored as these numbers with
 * each unit and centroid (data/schema/005-unit-country.sql): never
 * renumber.  The Channel Islands are one ONS code but two countries in
 * the built-in area table and the out_of_area setting, so a unit there
 * is Guernsey or Jersey by its area, and GEO_CHANNEL_ISLANDS only where
 * the area is neither.
 */
enum geo_country {
	GEO_COUNTRY_NONE,
	GEO_ENGLAND,
	GEO_WALES,
	GEO_SCOTLAND,
	GEO_NORTHERN_IRELAND,
	GEO_GUERNSEY,
	GEO_JERSEY,
	GEO_ISLE_OF_MAN,
	GEO_CHANNEL_ISLANDS,
	GEO_COUNTRY_COUNT
};

/*
 * The country of an import's cell: an ONS code (E92000001, L93000001, ...)
 * or a name (England, Northern Ireland, ...), case-insensitive, for a unit
 * in postcode area area ("GY").  GEO_COUNTRY_NONE for an empty cell, -1
 * for a value it does not know.  Called by postcode_import.c.
 */
int		 geo_country_parse(const char *value, const char *area);
/* "England", ...; NULL for GEO_COUNTRY_NONE or a number out of range. */
const char	*geo_country_name(int);

#endif
