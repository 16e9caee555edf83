/*
 * branch.h -- branches, regions and the rule that picks one for a
 * postcode.  The directory is an in-memory copy of the tables, loaded by
 * store.c and reloaded when the database changes; matching is pure.
 */
#ifndef GATEWAY_BRANCH_H
#define GATEWAY_BRANCH_H

#include <stddef.h>
#include <stdint.h>

#include "distance.h"
#include "postcode.h"

struct config;

struct region {
	int64_t	 id;
	char	*name;
	char	*organiser_name;
	char	*organiser_phone;
	char	*organiser_email;
	char	*notify;		/* "email,sms,webhook"; "": the default */
};

#define BRANCH_LAT	1
#define BRANCH_LON	2
#define BRANCH_COORDS	(BRANCH_LAT | BRANCH_LON)

struct branch {
	int64_t	 id;
	char	*name;
	char	*postcode;
	int	 has_coords;		/* BRANCH_LAT | BRANCH_LON: both known */
	double	 lat, lon;
	char	*meets;
	char	*contact_name;
	char	*contact_phone;
	char	*contact_email;
	int64_t	 region_id;		/* 0: none */
	char	*notify;		/* "email,sms,webhook"; "": the default */
	int	 active;
	char	**coverage;		/* districts and sectors, sorted */
	size_t	 ncoverage;
};

/* The built-in postcode-area table (data/postcode_areas.csv). */
struct area {
	char	 code[4];
	char	*name;
	char	*country;
	double	 lat, lon;
};

/*
 * A postcode district (outward code: "SE1", "SW1A") that the gateway knows
 * of: built in (data/district_centroids.csv, ONS-derived: England, Wales
 * and Scotland), imported (a district of the last `gateway postcodes
 * import`), or both.  Imported data wins for geocoding; the built-in
 * centroid is the fallback below it (geo.c).
 */
#define DISTRICT_BUILTIN	1	/* lat, lon and country are set */
#define DISTRICT_IMPORTED	2	/* the last import has units in it */

struct district {
	char		 code[8];
	int		 flags;		/* DISTRICT_BUILTIN | DISTRICT_IMPORTED */
	const char	*country;	/* the built-in majority country, into
					   directory.countries; NULL if none */
	double		 lat, lon;	/* the built-in centroid */
};

/* A sorted map from a code ("SE", "SE1", "SE1 7") to an index. */
struct code_entry {
	char	 code[8];
	size_t	 index;
};
struct code_map {
	struct code_entry *entries;
	size_t		 n;
};

/*
 * The active branches that have coordinates, as a k-d tree of their
 * points on the unit sphere (branch_index.c), for the nearest-branch
 * search.  directory_index() builds it each time a directory is loaded or
 * reloaded, on the thread that owns that copy (each request thread has its
 * own: struct gateway); afterwards it is only read, by that thread.
 * Rebuild it after changing a branch's place or active flag.  A directory
 * without one (filled by hand, or freed to time the scan) is scanned.
 */
struct branch_node;
struct branch_index {
	struct branch_node *nodes;	/* owned; in tree order */
	size_t		 n;
	int		 built;
};

struct directory {
	struct branch	*branches;
	size_t		 nbranches;
	struct region	*regions;
	size_t		 nregions;
	struct area	*areas;
	size_t		 nareas;
	struct code_map	 coverage;	/* code -> branches[] */
	struct code_map	 region_of;	/* area or district -> regions[] */
	struct code_map	 area_of;	/* area -> areas[] */
	char		**countries;	/* distinct district countries */
	size_t		 ncountries;
	struct code_map	 country_of;	/* override district -> countries[] */
	struct district	*districts;	/* sorted by code (strcmp) */
	size_t		 ndistricts;
	struct branch_index near;	/* from branches[], by directory_index */
};

/* A blank branch (active, no region), every string "" and owned. */
void	branch_init(struct branch *);
void	branch_release(struct branch *);
/* A deep copy of src into dst. */
void	branch_copy(struct branch *dst, const struct branch *src);

void	code_map_add(struct code_map *, const char *code, size_t index);
/* Sort the maps and build the branch index once the arrays are filled
 * (store.c calls this). */
void	directory_index(struct directory *);
void	directory_free(struct directory *);

const struct region *directory_region(const struct directory *, int64_t id);
const struct area   *directory_area(const struct directory *, const char *code);
/*
 * Districts, for the geocoder and for anyone who needs to know whether an
 * outward code is real (a parser telling "SE1 7PB" from look-alikes, say):
 * a binary search of dir->districts, O(log n), no database.  code is an
 * outward code as postcode.c writes it ("SE1", "SW1A"), upper-case.  The
 * set is what store_load_directory() read: a copy of the directory that
 * reloads when store_directory_version() moves (an import moves it) stays
 * current.  Safe on any thread that may read dir; the result points into
 * dir.
 */
const struct district *directory_district(const struct directory *,
		    const char *code);
/* 1 when code is a district built in or imported, else 0. */
int		 directory_district_known(const struct directory *,
		    const char *code);
/* The country a postcode lies in ("England"): its district's override,
 * else its built-in district's majority, else its area's; NULL when none
 * of them is known. */
const char	*directory_country(const struct directory *,
		    const struct postcode *);
/* The region its district, else its area, is mapped to; NULL if none. */
const struct region *directory_region_for(const struct directory *,
		    const struct postcode *);

enum match_kind {
	MATCH_NONE,		/* nothing known about the postcode */
	MATCH_COVERAGE,		/* a branch covers its sector or district */
	MATCH_NEAREST,		/* the nearest branch within the radius */
	MATCH_REGION,		/* the region's organiser */
	MATCH_NATIONAL,		/* the national contact */
	MATCH_OUT_OF_AREA,	/* a country the organisation does not cover */
};

struct match {
	enum match_kind		 kind;
	const struct branch	*branch;	/* COVERAGE, NEAREST */
	const struct region	*region;	/* the postcode's region, if any */
	double			 distance_km;	/* to branch; -1 when unknown */
	int			 approximate;	/* located by area centroid only */
	const char		*country;	/* geo's, else the directory's */
};

/*
 * Decide who a supporter at pc (located by geo) should talk to: explicit
 * coverage, else the nearest active branch within the configured radius,
 * else the organiser of the postcode's region, else the national contact.
 * Countries in the out_of_area list are answered before any of that: the
 * country geo carries from the imported data, else directory_country().
 * The result points into dir (and at geo's static country name).
 */
void	branch_match(const struct directory *, const struct config *,
	    const struct postcode *pc, const struct geocode *geo,
	    struct match *out);

/*
 * The nearest active branch within radius_km of (lat, lon), by great-circle
 * distance; equal distances go to the first in the directory's order (by
 * name, then id).  *km is set when one is found; NULL when none is.
 * branch_nearest searches dir->near when it is built; branch_nearest_scan
 * measures every branch, and is what the index is tested against.
 */
const struct branch *branch_nearest(const struct directory *, double lat,
	    double lon, double radius_km, double *km);
const struct branch *branch_nearest_scan(const struct directory *,
	    double lat, double lon, double radius_km, double *km);
void	branch_index_build(struct branch_index *, const struct branch *,
	    size_t n);
void	branch_index_free(struct branch_index *);

/* "coverage", "nearest", ... */
const char *match_kind_name(enum match_kind);

#endif
