/*
 * geo.c -- geocode a postcode by falling back from the unit to ever wider
 * centroids.
 */
#include <string.h>
#include <strings.h>

#include "branch.h"
#include "geo.h"
#include "store.h"

/* The ONS's GSS codes (ONSPD and NSPL ctry) and the names the gateway's
 * own tables and settings use. */
static const struct {
	const char	*code;
	const char	*name;
} geo_countries[GEO_COUNTRY_COUNT] = {
	[GEO_ENGLAND]		= { "E92000001", "England" },
	[GEO_WALES]		= { "W92000004", "Wales" },
	[GEO_SCOTLAND]		= { "S92000003", "Scotland" },
	[GEO_NORTHERN_IRELAND]	= { "N92000002", "Northern Ireland" },
	[GEO_GUERNSEY]		= { NULL, "Guernsey" },
	[GEO_JERSEY]		= { NULL, "Jersey" },
	[GEO_ISLE_OF_MAN]	= { "M83000003", "Isle of Man" },
	[GEO_CHANNEL_ISLANDS]	= { "L93000001", "Channel Islands" },
};

int
geo_country_parse(const char *value, const char *area)
{
	size_t len;

	while (*value == ' ')
		value++;
	len = strlen(value);
	while (len > 0 && value[len - 1] == ' ')
		len--;
	if (len == 0)
		return GEO_COUNTRY_NONE;
	for (int i = 1; i < GEO_COUNTRY_COUNT; i++) {
		const char *code = geo_countries[i].code;
		const char *name = geo_countries[i].name;

		if ((code && strlen(code) == len &&
		    strncasecmp(value, code, len) == 0) ||
		    (strlen(name) == len && strncasecmp(value, name, len) == 0)) {
			if (i != GEO_CHANNEL_ISLANDS)
				return i;
			if (strcmp(area, "GY") == 0)
				return GEO_GUERNSEY;
			if (strcmp(area, "JE") == 0)
				return GEO_JERSEY;
			return i;
		}
	}
	return -1;
}

const char *
geo_country_name(int country)
{
	if (country <= GEO_COUNTRY_NONE || country >= GEO_COUNTRY_COUNT)
		return NULL;
	return geo_countries[country].name;
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
		int country;

		if (steps[i].code[0] == '\0')
			continue;
		/* The built-in tables carry no country of the data's: the
		 * matcher's own (overrides, district, area) then decide. */
		country = 0;
		if (steps[i].builtin)
			rc = builtin_centroid(dir, steps[i].level,
			    steps[i].code, &out->lat, &out->lon);
		else
			rc = store_lookup_centroid(st, steps[i].level,
			    steps[i].code, &out->lat, &out->lon, &country);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			out->level = steps[i].level;
			out->country = geo_country_name(country);
			return 1;
		}
	}
	return 0;
}
