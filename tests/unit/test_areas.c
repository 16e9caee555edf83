/*
 * test_areas.c -- checks the project's own postcode-area table and example
 * data (data/postcode_areas.csv, data/district_overrides.csv,
 * data/example/regions.csv, data/example/branches.csv), and the district
 * centroids made from ONS data (data/district_centroids.csv).
 *
 * Self-contained: its own small RFC 4180 reader, nothing from the gateway.
 * Run from the repository root.  When the real ONS-derived files exist in
 * $SHARED_DIR/data/postcodes (SHARED_DIR defaults to ../shared), the table
 * is also compared with them: every area centroid within 30 km of the
 * reference centroid, the same majority country, and every district
 * override agreeing with its outcode's majority country and ONS region,
 * and every district centroid matching its outcode's row (the only file in
 * data/ made from the reference, by scripts/make-district-centroids.sh).
 *
 *   cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g \
 *       -fsanitize=address,undefined $(pkg-config --cflags cmocka) \
 *       -o /tmp/test_areas tests/unit/test_areas.c \
 *       $(pkg-config --libs cmocka) -lm && /tmp/test_areas
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define AREAS_FILE		"data/postcode_areas.csv"
#define AREAS_OVERRIDES_FILE	"data/district_overrides.csv"
#define AREAS_DISTRICTS_FILE	"data/district_centroids.csv"
#define AREAS_REGIONS_FILE	"data/example/regions.csv"
#define AREAS_BRANCHES_FILE	"data/example/branches.csv"
#define AREAS_REF_AREAS		"data/postcodes/area_centroids_regions.csv"
#define AREAS_REF_OUTCODES	"data/postcodes/outcode_centroids.csv"

#define AREAS_MAX_KM		30.0	/* area centroid vs the reference */
#define AREAS_BRANCH_MAX_KM	5.0	/* branch vs its outcode's centroid */
#define AREAS_DISTRICT_MAX_KM	1.0	/* district vs its outcode's centroid */
#define AREAS_DISTRICTS_MIN	2800	/* about 2,900 live outward codes, */
#define AREAS_DISTRICTS_MAX	3100	/* plus terminated ones */

/* The 121 UK postcode areas plus Guernsey, Jersey and the Isle of Man. */
static const char *const areas_expected[] = {
	"AB", "AL", "B", "BA", "BB", "BD", "BH", "BL", "BN", "BR", "BS", "BT",
	"CA", "CB", "CF", "CH", "CM", "CO", "CR", "CT", "CV", "CW", "DA", "DD",
	"DE", "DG", "DH", "DL", "DN", "DT", "DY", "E", "EC", "EH", "EN", "EX",
	"FK", "FY", "G", "GL", "GU", "GY", "HA", "HD", "HG", "HP", "HR", "HS",
	"HU", "HX", "IG", "IM", "IP", "IV", "JE", "KA", "KT", "KW", "KY", "L",
	"LA", "LD", "LE", "LL", "LN", "LS", "LU", "M", "ME", "MK", "ML", "N",
	"NE", "NG", "NN", "NP", "NR", "NW", "OL", "OX", "PA", "PE", "PH", "PL",
	"PO", "PR", "RG", "RH", "RM", "S", "SA", "SE", "SG", "SK", "SL", "SM",
	"SN", "SO", "SP", "SR", "SS", "ST", "SW", "SY", "TA", "TD", "TF", "TN",
	"TQ", "TR", "TS", "TW", "UB", "W", "WA", "WC", "WD", "WF", "WN", "WR",
	"WS", "WV", "YO", "ZE",
};
#define AREAS_EXPECTED_N (sizeof(areas_expected) / sizeof(areas_expected[0]))

/* The organisation's regions, with the ONS region(s) each is drawn from. */
static const struct areas_region {
	const char	*name;
	const char	*ons[2];
} areas_regions[] = {
	{ "Eastern",	{ "East of England", NULL } },
	{ "East Mids",	{ "East Midlands", NULL } },
	{ "London",	{ "London", NULL } },
	{ "North East",	{ "North East", NULL } },
	{ "North West",	{ "North West", NULL } },
	{ "South East",	{ "South East", NULL } },
	{ "South West",	{ "South West", NULL } },
	{ "Southern",	{ "South East", "South West" } },
	{ "Wales",	{ "Wales", NULL } },
	{ "West Mids",	{ "West Midlands", NULL } },
	{ "Yorkshire",	{ "Yorkshire and The Humber", NULL } },
};
#define AREAS_REGIONS_N (sizeof(areas_regions) / sizeof(areas_regions[0]))

static const char *const areas_countries[] = {
	"England", "Wales", "Scotland", "Northern Ireland",
	"Guernsey", "Jersey", "Isle of Man",
};
#define AREAS_COUNTRIES_N (sizeof(areas_countries) / sizeof(areas_countries[0]))

/* ---------------------------------------------------------------- CSV */

/*
 * A whole CSV file, parsed in place: cells point into buf.  Row 0 is the
 * header; every row has ncols cells.
 */
struct areas_csv {
	char	 *buf;
	char	**cells;
	size_t	  nrows;	/* data rows, header excluded */
	size_t	  ncols;
	char	  err[256];
};

static void
areas_csv_free(struct areas_csv *csv)
{
	free(csv->buf);
	free(csv->cells);
	csv->buf = NULL;
	csv->cells = NULL;
	csv->nrows = csv->ncols = 0;
}

static int
areas_csv_push(char ***cells, size_t *n, size_t *cap, char *cell)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		char **p = realloc(*cells, ncap * sizeof(*p));

		if (p == NULL)
			return -1;
		*cells = p;
		*cap = ncap;
	}
	(*cells)[(*n)++] = cell;
	return 0;
}

/*
 * Parse buf (NUL-terminated, owned by csv) as RFC 4180: fields separated
 * by commas, records by LF or CRLF, double quotes around fields that hold
 * commas, quotes or line breaks, "" for a quote inside them.
 */
static int
areas_csv_parse(struct areas_csv *csv)
{
	char *r = csv->buf, *w = csv->buf, *cell;
	size_t n = 0, cap = 0, rowstart = 0, line = 1;

	if (*r == '\0') {
		snprintf(csv->err, sizeof(csv->err), "empty file");
		return -1;
	}
	while (*r != '\0') {
		cell = w;
		if (*r == '"') {
			r++;
			for (;;) {
				if (*r == '\0') {
					snprintf(csv->err, sizeof(csv->err),
					    "line %zu: unterminated quote", line);
					goto fail;
				}
				if (*r == '"' && r[1] == '"') {
					*w++ = '"';
					r += 2;
				} else if (*r == '"') {
					r++;
					break;
				} else {
					if (*r == '\n')
						line++;
					*w++ = *r++;
				}
			}
		} else {
			while (*r != ',' && *r != '\n' && *r != '\r' &&
			    *r != '\0') {
				if (*r == '"') {
					snprintf(csv->err, sizeof(csv->err),
					    "line %zu: quote inside an unquoted "
					    "field", line);
					goto fail;
				}
				*w++ = *r++;
			}
		}
		/* r is now at the separator; w may be behind it. */
		if (*r == ',') {
			*w++ = '\0';
			r++;
			if (areas_csv_push(&csv->cells, &n, &cap, cell) == -1)
				goto nomem;
			continue;
		}
		if (*r == '\r' && r[1] == '\n')
			r++;
		if (*r != '\n' && *r != '\0') {
			snprintf(csv->err, sizeof(csv->err),
			    "line %zu: junk after a quoted field", line);
			goto fail;
		}
		if (*r == '\n')
			r++;
		*w++ = '\0';
		if (areas_csv_push(&csv->cells, &n, &cap, cell) == -1)
			goto nomem;
		if (rowstart == 0 && csv->ncols == 0)
			csv->ncols = n;
		else if (n - rowstart != csv->ncols) {
			snprintf(csv->err, sizeof(csv->err),
			    "line %zu: %zu fields, header has %zu", line,
			    n - rowstart, csv->ncols);
			goto fail;
		}
		rowstart = n;
		line++;
	}
	csv->nrows = n / csv->ncols - 1;
	return 0;
nomem:
	snprintf(csv->err, sizeof(csv->err), "out of memory");
fail:
	free(csv->cells);
	csv->cells = NULL;
	return -1;
}

/* 0, or -1 with csv->err set; errno is ENOENT when the file is absent. */
static int
areas_csv_load(const char *path, struct areas_csv *csv)
{
	FILE *fp;
	long len;
	int saved;

	memset(csv, 0, sizeof(*csv));
	if ((fp = fopen(path, "rb")) == NULL) {
		saved = errno;
		snprintf(csv->err, sizeof(csv->err), "%s: %s", path,
		    strerror(saved));
		errno = saved;
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) == -1 || (len = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) == -1 ||
	    (csv->buf = malloc((size_t)len + 1)) == NULL ||
	    fread(csv->buf, 1, (size_t)len, fp) != (size_t)len) {
		snprintf(csv->err, sizeof(csv->err), "%s: cannot read", path);
		fclose(fp);
		free(csv->buf);
		csv->buf = NULL;
		errno = EIO;
		return -1;
	}
	fclose(fp);
	csv->buf[len] = '\0';
	if (areas_csv_parse(csv) == -1) {
		char msg[sizeof(csv->err)];

		snprintf(msg, sizeof(msg), "%s", csv->err);
		snprintf(csv->err, sizeof(csv->err), "%.100s: %.140s", path,
		    msg);
		free(csv->buf);
		csv->buf = NULL;
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* Data row i (0-based), column c. */
static const char *
areas_csv_get(const struct areas_csv *csv, size_t i, size_t c)
{
	return csv->cells[(i + 1) * csv->ncols + c];
}

/* The index of the column called name, or -1. */
static int
areas_csv_col(const struct areas_csv *csv, const char *name)
{
	size_t c;

	for (c = 0; c < csv->ncols; c++)
		if (strcmp(csv->cells[c], name) == 0)
			return (int)c;
	return -1;
}

/* Whether the header is exactly the comma-joined list want. */
static int
areas_csv_header_is(const struct areas_csv *csv, const char *want)
{
	char got[512] = "";
	size_t c, len = 0;

	for (c = 0; c < csv->ncols; c++) {
		int n = snprintf(got + len, sizeof(got) - len, "%s%s",
		    c ? "," : "", csv->cells[c]);

		if (n < 0 || (size_t)n >= sizeof(got) - len)
			return 0;
		len += (size_t)n;
	}
	if (strcmp(got, want) != 0) {
		print_error("header is \"%s\", want \"%s\"\n", got, want);
		return 0;
	}
	return 1;
}

/* Find the row whose column c equals key, or -1. */
static long
areas_csv_find(const struct areas_csv *csv, size_t c, const char *key)
{
	size_t i;

	for (i = 0; i < csv->nrows; i++)
		if (strcmp(areas_csv_get(csv, i, c), key) == 0)
			return (long)i;
	return -1;
}

/* ------------------------------------------------------------ helpers */

static const struct areas_region *
areas_region_find(const char *name)
{
	size_t i;

	for (i = 0; i < AREAS_REGIONS_N; i++)
		if (strcmp(areas_regions[i].name, name) == 0)
			return &areas_regions[i];
	return NULL;
}

static int
areas_country_valid(const char *s)
{
	size_t i;

	for (i = 0; i < AREAS_COUNTRIES_N; i++)
		if (strcmp(areas_countries[i], s) == 0)
			return 1;
	return 0;
}

/*
 * Region and country agree: England and Wales have one of the eleven
 * regions (Wales exactly "Wales", England never), everywhere else none.
 */
static int
areas_region_fits(const char *country, const char *region)
{
	if (strcmp(country, "Wales") == 0)
		return strcmp(region, "Wales") == 0;
	if (strcmp(country, "England") == 0)
		return areas_region_find(region) != NULL &&
		    strcmp(region, "Wales") != 0;
	return region[0] == '\0';
}

/*
 * A decimal number, with at most maxdec digits after the point, as the
 * whole of s.
 */
static int
areas_parse_coord(const char *s, int maxdec, double *out)
{
	const char *dot;
	char *end;

	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(*out))
		return -1;
	if ((dot = strchr(s, '.')) != NULL && (int)strlen(dot + 1) > maxdec)
		return -1;
	if (strpbrk(s, "eExXnNiI") != NULL)
		return -1;
	return 0;
}

/* Inside a box around the UK, the Channel Islands and Shetland. */
static int
areas_in_uk(double lat, double lon)
{
	return lat >= 49.0 && lat <= 61.0 && lon >= -8.7 && lon <= 2.0;
}

static double
areas_haversine_km(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0088, rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	    cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * r * asin(sqrt(a > 1 ? 1 : a));
}

/* +447700900000 to +447700900999, Ofcom's range for drama. */
static int
areas_drama_phone(const char *s)
{
	size_t i;

	if (strncmp(s, "+447700900", 10) != 0 || strlen(s) != 13)
		return 0;
	for (i = 10; i < 13; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
areas_example_email(const char *s)
{
	const char *at = strchr(s, '@');

	return at != NULL && at != s && strchr(at + 1, '@') == NULL &&
	    strcmp(at, "@example.org") == 0 && strpbrk(s, " ,;<>") == NULL;
}

/*
 * An outward code: area letters, then 1-2 digits, then for a few London
 * districts one letter.  *arealen gets the length of the area part.
 */
static int
areas_outcode_valid(const char *s, size_t *arealen)
{
	size_t i = 0, d;

	while (isupper((unsigned char)s[i]))
		i++;
	if (i < 1 || i > 2)
		return 0;
	*arealen = i;
	for (d = 0; isdigit((unsigned char)s[i]); i++, d++)
		;
	if (d < 1 || d > 2)
		return 0;
	if (isupper((unsigned char)s[i]) && d == 1)
		i++;
	return s[i] == '\0';
}

/* Copy the outward code of a coverage code or postcode ("BN3 3" -> "BN3"). */
static void
areas_outward(const char *s, char *out, size_t outsz)
{
	size_t n = strcspn(s, " ");

	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* A full postcode "OUT DAA", single space. */
static int
areas_postcode_valid(const char *s, size_t *arealen)
{
	char out[8];
	const char *sp = strchr(s, ' ');

	if (sp == NULL || (size_t)(sp - s) >= sizeof(out) || strlen(sp) != 4)
		return 0;
	areas_outward(s, out, sizeof(out));
	return areas_outcode_valid(out, arealen) &&
	    isdigit((unsigned char)sp[1]) && isupper((unsigned char)sp[2]) &&
	    isupper((unsigned char)sp[3]) && strchr("CIKMOV", sp[2]) == NULL &&
	    strchr("CIKMOV", sp[3]) == NULL;
}

/* ------------------------------------------------------------ fixture */

static struct areas_fixture {
	struct areas_csv areas, overrides, regions, branches, districts;
	struct areas_csv ref_areas, ref_outcodes;
	int		 have_ref_areas, have_ref_outcodes;
	char		 ref_areas_path[1024], ref_outcodes_path[1024];
} areas_fx;

static int
areas_load_optional(const char *dir, const char *rel, char *path,
    size_t pathsz, struct areas_csv *csv, int *have)
{
	snprintf(path, pathsz, "%s/%s", dir, rel);
	if (areas_csv_load(path, csv) == 0) {
		*have = 1;
		return 0;
	}
	*have = 0;
	if (errno == ENOENT)
		return 0;
	fprintf(stderr, "%s\n", csv->err);
	return -1;
}

static int
areas_group_setup(void **state)
{
	struct {
		const char	 *path;
		struct areas_csv *csv;
	} own[] = {
		{ AREAS_FILE, &areas_fx.areas },
		{ AREAS_OVERRIDES_FILE, &areas_fx.overrides },
		{ AREAS_REGIONS_FILE, &areas_fx.regions },
		{ AREAS_BRANCHES_FILE, &areas_fx.branches },
		{ AREAS_DISTRICTS_FILE, &areas_fx.districts },
	};
	const char *dir = getenv("SHARED_DIR");
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (areas_csv_load(own[i].path, own[i].csv) == -1) {
			fprintf(stderr, "%s (run from the repository root)\n",
			    own[i].csv->err);
			return -1;
		}
	if (dir == NULL || *dir == '\0')
		dir = "../shared";
	if (areas_load_optional(dir, AREAS_REF_AREAS, areas_fx.ref_areas_path,
	    sizeof(areas_fx.ref_areas_path), &areas_fx.ref_areas,
	    &areas_fx.have_ref_areas) == -1 ||
	    areas_load_optional(dir, AREAS_REF_OUTCODES,
	    areas_fx.ref_outcodes_path, sizeof(areas_fx.ref_outcodes_path),
	    &areas_fx.ref_outcodes, &areas_fx.have_ref_outcodes) == -1)
		return -1;
	return 0;
}

static int
areas_group_teardown(void **state)
{
	(void)state;
	areas_csv_free(&areas_fx.areas);
	areas_csv_free(&areas_fx.overrides);
	areas_csv_free(&areas_fx.regions);
	areas_csv_free(&areas_fx.branches);
	areas_csv_free(&areas_fx.districts);
	areas_csv_free(&areas_fx.ref_areas);
	areas_csv_free(&areas_fx.ref_outcodes);
	return 0;
}

/* The row of area in our table, or -1. */
static long
areas_find_area(const char *area)
{
	return areas_csv_find(&areas_fx.areas, 0, area);
}

/* Region of an outward code by our own rules: district row, else area. */
static const char *
areas_region_of(const char *outcode)
{
	char area[3];
	size_t n = 0;
	long i;

	if ((i = areas_csv_find(&areas_fx.overrides, 0, outcode)) >= 0)
		return areas_csv_get(&areas_fx.overrides, (size_t)i, 2);
	while (n < 2 && isupper((unsigned char)outcode[n])) {
		area[n] = outcode[n];
		n++;
	}
	area[n] = '\0';
	if ((i = areas_find_area(area)) < 0)
		return NULL;
	return areas_csv_get(&areas_fx.areas, (size_t)i, 3);
}

/* -------------------------------------------------------------- tests */

static void
areas_test_table(void **state)
{
	const struct areas_csv *t = &areas_fx.areas;
	size_t i, j, bad = 0;

	(void)state;
	assert_true(areas_csv_header_is(t,
	    "area,name,country,region,latitude,longitude"));
	assert_int_equal(AREAS_EXPECTED_N, 124);
	if (t->nrows != AREAS_EXPECTED_N)
		print_error("%zu areas, want %zu\n", t->nrows,
		    AREAS_EXPECTED_N);
	assert_int_equal(t->nrows, AREAS_EXPECTED_N);
	for (i = 0; i < AREAS_EXPECTED_N; i++)
		if (areas_find_area(areas_expected[i]) < 0) {
			print_error("area %s missing\n", areas_expected[i]);
			bad++;
		}
	for (i = 0; i < t->nrows; i++) {
		const char *area = areas_csv_get(t, i, 0);
		const char *name = areas_csv_get(t, i, 1);
		const char *country = areas_csv_get(t, i, 2);
		const char *region = areas_csv_get(t, i, 3);
		double lat, lon;

		for (j = 0; j < i; j++)
			if (strcmp(area, areas_csv_get(t, j, 0)) == 0) {
				print_error("area %s twice\n", area);
				bad++;
			}
		if (name[0] == '\0') {
			print_error("area %s: no name\n", area);
			bad++;
		}
		if (!areas_country_valid(country)) {
			print_error("area %s: country \"%s\"\n", area, country);
			bad++;
		} else if (!areas_region_fits(country, region)) {
			print_error("area %s: region \"%s\" with country %s\n",
			    area, region, country);
			bad++;
		}
		if (areas_parse_coord(areas_csv_get(t, i, 4), 2, &lat) == -1 ||
		    areas_parse_coord(areas_csv_get(t, i, 5), 2, &lon) == -1 ||
		    !areas_in_uk(lat, lon)) {
			print_error("area %s: bad lat/long \"%s\",\"%s\" (2 "
			    "decimals at most, inside the UK)\n", area,
			    areas_csv_get(t, i, 4), areas_csv_get(t, i, 5));
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
areas_test_overrides(void **state)
{
	const struct areas_csv *t = &areas_fx.overrides;
	size_t i, j, bad = 0;

	(void)state;
	assert_true(areas_csv_header_is(t, "district,country,region"));
	assert_true(t->nrows > 0);
	for (i = 0; i < t->nrows; i++) {
		const char *district = areas_csv_get(t, i, 0);
		const char *country = areas_csv_get(t, i, 1);
		const char *region = areas_csv_get(t, i, 2);
		char area[3];
		size_t arealen;
		long a;

		for (j = 0; j < i; j++)
			if (strcmp(district, areas_csv_get(t, j, 0)) == 0) {
				print_error("district %s twice\n", district);
				bad++;
			}
		if (!areas_outcode_valid(district, &arealen)) {
			print_error("district \"%s\" is not an outward code\n",
			    district);
			bad++;
			continue;
		}
		memcpy(area, district, arealen);
		area[arealen] = '\0';
		if ((a = areas_find_area(area)) < 0) {
			print_error("district %s: area %s not in %s\n",
			    district, area, AREAS_FILE);
			bad++;
			continue;
		}
		if (!areas_country_valid(country) ||
		    !areas_region_fits(country, region)) {
			print_error("district %s: country \"%s\", region "
			    "\"%s\"\n", district, country, region);
			bad++;
			continue;
		}
		if (strcmp(country, areas_csv_get(&areas_fx.areas,
		    (size_t)a, 2)) == 0 && strcmp(region,
		    areas_csv_get(&areas_fx.areas, (size_t)a, 3)) == 0) {
			print_error("district %s: same as its area, not an "
			    "override\n", district);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* Phones across regions.csv and branches.csv, to check they are distinct. */
struct areas_phones {
	const char	*v[256];
	size_t		 n;
};

static size_t
areas_check_phone(struct areas_phones *seen, const char *what,
    const char *phone)
{
	size_t i;

	if (!areas_drama_phone(phone)) {
		print_error("%s: phone \"%s\" outside +447700900000-999\n",
		    what, phone);
		return 1;
	}
	for (i = 0; i < seen->n; i++)
		if (strcmp(seen->v[i], phone) == 0) {
			print_error("%s: phone %s used twice\n", what, phone);
			return 1;
		}
	if (seen->n < sizeof(seen->v) / sizeof(seen->v[0]))
		seen->v[seen->n++] = phone;
	return 0;
}

static void
areas_test_examples(void **state)
{
	const struct areas_csv *r = &areas_fx.regions, *b = &areas_fx.branches;
	struct areas_phones seen = { .n = 0 };
	size_t i, j, bad = 0;

	(void)state;
	assert_true(areas_csv_header_is(r,
	    "name,organiser_name,organiser_phone,organiser_email"));
	assert_true(areas_csv_header_is(b, "name,postcode,latitude,longitude,"
	    "meets,contact_name,contact_phone,contact_email,region,coverage"));

	/* regions.csv: each of the eleven exactly once. */
	assert_int_equal(r->nrows, AREAS_REGIONS_N);
	for (i = 0; i < AREAS_REGIONS_N; i++)
		if (areas_csv_find(r, 0, areas_regions[i].name) < 0) {
			print_error("region %s missing from %s\n",
			    areas_regions[i].name, AREAS_REGIONS_FILE);
			bad++;
		}
	for (i = 0; i < r->nrows; i++) {
		const char *name = areas_csv_get(r, i, 0);

		if (areas_region_find(name) == NULL) {
			print_error("region \"%s\" is not one of the eleven\n",
			    name);
			bad++;
		}
		if (areas_csv_get(r, i, 1)[0] == '\0') {
			print_error("region %s: no organiser\n", name);
			bad++;
		}
		bad += areas_check_phone(&seen, name, areas_csv_get(r, i, 2));
		if (!areas_example_email(areas_csv_get(r, i, 3))) {
			print_error("region %s: e-mail \"%s\" not at "
			    "example.org\n", name, areas_csv_get(r, i, 3));
			bad++;
		}
	}

	/* branches.csv */
	assert_true(b->nrows >= 10);
	for (i = 0; i < b->nrows; i++) {
		const char *name = areas_csv_get(b, i, 0);
		const char *pc = areas_csv_get(b, i, 1);
		const char *region = areas_csv_get(b, i, 8);
		const char *cov = areas_csv_get(b, i, 9);
		const char *ours;
		char out[8], area[3];
		size_t arealen;
		double lat, lon;
		long a;

		for (j = 0; j < i; j++)
			if (strcasecmp(name, areas_csv_get(b, j, 0)) == 0) {
				print_error("branch %s twice\n", name);
				bad++;
			}
		if (areas_region_find(region) == NULL) {
			print_error("branch %s: region \"%s\" is not one of "
			    "the eleven\n", name, region);
			bad++;
		}
		if (areas_csv_get(b, i, 4)[0] == '\0' ||
		    areas_csv_get(b, i, 5)[0] == '\0') {
			print_error("branch %s: no meeting text or contact\n",
			    name);
			bad++;
		}
		bad += areas_check_phone(&seen, name, areas_csv_get(b, i, 6));
		if (!areas_example_email(areas_csv_get(b, i, 7))) {
			print_error("branch %s: e-mail \"%s\" not at "
			    "example.org\n", name, areas_csv_get(b, i, 7));
			bad++;
		}
		if (areas_parse_coord(areas_csv_get(b, i, 2), 4, &lat) == -1 ||
		    areas_parse_coord(areas_csv_get(b, i, 3), 4, &lon) == -1 ||
		    !areas_in_uk(lat, lon)) {
			print_error("branch %s: bad lat/long\n", name);
			bad++;
		}
		if (!areas_postcode_valid(pc, &arealen)) {
			print_error("branch %s: postcode \"%s\"\n", name, pc);
			bad++;
			continue;
		}
		memcpy(area, pc, arealen);
		area[arealen] = '\0';
		if ((a = areas_find_area(area)) < 0) {
			print_error("branch %s: area %s unknown\n", name, area);
			bad++;
			continue;
		}
		/* The branch's region is the one its own postcode maps to. */
		areas_outward(pc, out, sizeof(out));
		ours = areas_region_of(out);
		if (ours == NULL || strcmp(ours, region) != 0) {
			print_error("branch %s: region %s, but %s maps to "
			    "%s\n", name, region, out, ours ? ours : "?");
			bad++;
		}

		/* Coverage: districts or sectors, each claimed once. */
		while (*cov != '\0') {
			char code[16], o[8];
			size_t n = strcspn(cov, ";"), al, k;
			const char *sp;

			if (n == 0 || n >= sizeof(code)) {
				print_error("branch %s: empty or long coverage "
				    "code\n", name);
				bad++;
				break;
			}
			memcpy(code, cov, n);
			code[n] = '\0';
			cov += n + (cov[n] == ';');
			areas_outward(code, o, sizeof(o));
			sp = strchr(code, ' ');
			if (!areas_outcode_valid(o, &al) || (sp != NULL &&
			    (strlen(sp) != 2 || !isdigit((unsigned char)sp[1])))) {
				print_error("branch %s: coverage \"%s\" is not "
				    "a district or sector\n", name, code);
				bad++;
				continue;
			}
			memcpy(area, o, al);
			area[al] = '\0';
			if (areas_find_area(area) < 0) {
				print_error("branch %s: coverage %s: area "
				    "unknown\n", name, code);
				bad++;
			}
			for (k = 0; k < b->nrows; k++) {
				const char *c2 = areas_csv_get(b, k, 9);
				size_t len = strlen(code);

				if (k == i)
					continue;
				while ((c2 = strstr(c2, code)) != NULL) {
					if ((c2 == areas_csv_get(b, k, 9) ||
					    c2[-1] == ';') && (c2[len] == ';' ||
					    c2[len] == '\0')) {
						print_error("coverage %s "
						    "claimed by two "
						    "branches\n", code);
						bad++;
					}
					c2 += len;
				}
			}
		}
	}
	assert_int_equal(bad, 0);
}

/*
 * The majority country of a reference row, from its majority-region
 * column: an English region means England; the Channel Islands are
 * Guernsey or Jersey.
 */
static int
areas_ref_country_matches(const char *ref_region, const char *country)
{
	static const char *const english[] = {
		"North East", "North West", "Yorkshire and The Humber",
		"East Midlands", "West Midlands", "East of England", "London",
		"South East", "South West",
	};
	size_t i;

	for (i = 0; i < sizeof(english) / sizeof(english[0]); i++)
		if (strcmp(ref_region, english[i]) == 0)
			return strcmp(country, "England") == 0;
	if (strcmp(ref_region, "Channel Islands") == 0)
		return strcmp(country, "Guernsey") == 0 ||
		    strcmp(country, "Jersey") == 0;
	return strcmp(ref_region, country) == 0;
}

static void
areas_test_reference_areas(void **state)
{
	const struct areas_csv *t = &areas_fx.areas, *ref = &areas_fx.ref_areas;
	int carea, clat, clon, creg;
	double worst = -1;
	const char *worst_area = "";
	size_t i, bad = 0, compared = 0;

	(void)state;
	if (!areas_fx.have_ref_areas) {
		print_message("[  SKIP    ] %s absent (set SHARED_DIR): "
		    "centroids not compared\n", areas_fx.ref_areas_path);
		skip();
	}
	carea = areas_csv_col(ref, "area");
	clat = areas_csv_col(ref, "latitude");
	clon = areas_csv_col(ref, "longitude");
	creg = areas_csv_col(ref, "region");
	assert_true(carea >= 0 && clat >= 0 && clon >= 0 && creg >= 0);
	assert_int_equal(ref->nrows, t->nrows);

	for (i = 0; i < t->nrows; i++) {
		const char *area = areas_csv_get(t, i, 0);
		const char *country = areas_csv_get(t, i, 2);
		const char *region = areas_csv_get(t, i, 3);
		const struct areas_region *org;
		const char *ref_region;
		double lat, lon, rlat, rlon, km;
		long r = areas_csv_find(ref, (size_t)carea, area);
		char *e1, *e2;

		if (r < 0) {
			print_error("area %s not in the reference\n", area);
			bad++;
			continue;
		}
		ref_region = areas_csv_get(ref, (size_t)r, (size_t)creg);
		if (!areas_ref_country_matches(ref_region, country)) {
			print_error("area %s: country %s, reference majority "
			    "%s\n", area, country, ref_region);
			bad++;
		}
		org = areas_region_find(region);
		if (org != NULL && strcmp(org->ons[0], ref_region) != 0 &&
		    (org->ons[1] == NULL || strcmp(org->ons[1],
		    ref_region) != 0))
			print_message("  note: area %-2s is %s here, its ONS "
			    "majority is %s\n", area, region, ref_region);

		rlat = strtod(areas_csv_get(ref, (size_t)r, (size_t)clat), &e1);
		rlon = strtod(areas_csv_get(ref, (size_t)r, (size_t)clon), &e2);
		if (*e1 != '\0' || *e2 != '\0' || e1 == areas_csv_get(ref,
		    (size_t)r, (size_t)clat) || !areas_in_uk(rlat, rlon)) {
			print_message("  note: area %-2s has no reference "
			    "centroid\n", area);
			continue;
		}
		lat = strtod(areas_csv_get(t, i, 4), NULL);
		lon = strtod(areas_csv_get(t, i, 5), NULL);
		km = areas_haversine_km(lat, lon, rlat, rlon);
		compared++;
		if (km > worst) {
			worst = km;
			worst_area = area;
		}
		if (km > AREAS_MAX_KM) {
			print_error("area %s: centroid %.1f km from the "
			    "reference\n", area, km);
			bad++;
		} else if (km > AREAS_MAX_KM / 2)
			print_message("  note: area %-2s is %.1f km from the "
			    "reference centroid\n", area, km);
	}
	print_message("  %zu centroids compared; worst %.1f km (%s)\n",
	    compared, worst, worst_area);
	assert_int_equal(bad, 0);
}

static void
areas_test_reference_outcodes(void **state)
{
	const struct areas_csv *t = &areas_fx.overrides;
	const struct areas_csv *ref = &areas_fx.ref_outcodes;
	const struct areas_csv *b = &areas_fx.branches;
	int cout, clat, clon, creg, cctry;
	size_t i, bad = 0;
	double worst = -1;

	(void)state;
	if (!areas_fx.have_ref_outcodes) {
		print_message("[  SKIP    ] %s absent (set SHARED_DIR): "
		    "overrides not compared\n", areas_fx.ref_outcodes_path);
		skip();
	}
	cout = areas_csv_col(ref, "outcode");
	clat = areas_csv_col(ref, "latitude");
	clon = areas_csv_col(ref, "longitude");
	creg = areas_csv_col(ref, "region");
	cctry = areas_csv_col(ref, "country");
	assert_true(cout >= 0 && clat >= 0 && clon >= 0 && creg >= 0 &&
	    cctry >= 0);

	/* Each override agrees with its outcode's majority. */
	for (i = 0; i < t->nrows; i++) {
		const char *district = areas_csv_get(t, i, 0);
		const char *country = areas_csv_get(t, i, 1);
		const struct areas_region *org =
		    areas_region_find(areas_csv_get(t, i, 2));
		const char *rc, *rr;
		long r = areas_csv_find(ref, (size_t)cout, district);

		if (r < 0) {
			print_error("district %s not in the reference\n",
			    district);
			bad++;
			continue;
		}
		rc = areas_csv_get(ref, (size_t)r, (size_t)cctry);
		rr = areas_csv_get(ref, (size_t)r, (size_t)creg);
		if (strcmp(rc, country) != 0) {
			print_error("district %s: country %s, reference "
			    "majority %s\n", district, country, rc);
			bad++;
		}
		if (org != NULL && strcmp(org->ons[0], rr) != 0 &&
		    (org->ons[1] == NULL || strcmp(org->ons[1], rr) != 0)) {
			print_error("district %s: region %s, reference "
			    "majority %s\n", district, org->name, rr);
			bad++;
		}
	}

	/* Each example branch lies near its own outcode's centroid. */
	for (i = 0; i < b->nrows; i++) {
		char out[8];
		double km;
		long r;

		areas_outward(areas_csv_get(b, i, 1), out, sizeof(out));
		if ((r = areas_csv_find(ref, (size_t)cout, out)) < 0) {
			print_error("branch %s: outcode %s not in the "
			    "reference\n", areas_csv_get(b, i, 0), out);
			bad++;
			continue;
		}
		km = areas_haversine_km(strtod(areas_csv_get(b, i, 2), NULL),
		    strtod(areas_csv_get(b, i, 3), NULL),
		    strtod(areas_csv_get(ref, (size_t)r, (size_t)clat), NULL),
		    strtod(areas_csv_get(ref, (size_t)r, (size_t)clon), NULL));
		if (km > worst)
			worst = km;
		if (km > AREAS_BRANCH_MAX_KM) {
			print_error("branch %s: %.1f km from the centre of "
			    "%s\n", areas_csv_get(b, i, 0), km, out);
			bad++;
		}
	}
	print_message("  %zu overrides checked; branches at most %.1f km from "
	    "their outcode centre\n", t->nrows, worst);
	assert_int_equal(bad, 0);
}

/* The order the script writes: area, district number, sub-district. */
static int
areas_district_cmp(const char *a, const char *b)
{
	size_t la = strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	size_t lb = strspn(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	int c;

	if ((c = strncmp(a, b, la < lb ? la : lb)) != 0)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;
	if ((c = atoi(a + la) - atoi(b + lb)) != 0)
		return c;
	return strcmp(a + la + strspn(a + la, "0123456789"),
	    b + lb + strspn(b + lb, "0123456789"));
}

/* The row of district in data/district_centroids.csv, or -1. */
static long
areas_find_district(const char *district)
{
	return areas_csv_find(&areas_fx.districts, 0, district);
}

static void
areas_test_districts(void **state)
{
	const struct areas_csv *t = &areas_fx.districts;
	const struct areas_csv *o = &areas_fx.overrides;
	size_t i, bad = 0, n[3] = { 0 };

	(void)state;
	assert_true(areas_csv_header_is(t,
	    "district,country,latitude,longitude"));
	if (t->nrows < AREAS_DISTRICTS_MIN || t->nrows > AREAS_DISTRICTS_MAX)
		print_error("%zu districts, want %d to %d\n", t->nrows,
		    AREAS_DISTRICTS_MIN, AREAS_DISTRICTS_MAX);
	assert_in_range(t->nrows, AREAS_DISTRICTS_MIN, AREAS_DISTRICTS_MAX);
	for (i = 0; i < t->nrows; i++) {
		const char *district = areas_csv_get(t, i, 0);
		const char *country = areas_csv_get(t, i, 1);
		char area[3];
		size_t arealen;
		double lat, lon;
		long a;

		if (!areas_outcode_valid(district, &arealen)) {
			print_error("district \"%s\" is not an outward code\n",
			    district);
			bad++;
			continue;
		}
		/* Sorted, hence also without duplicates. */
		if (i > 0 && areas_district_cmp(areas_csv_get(t, i - 1, 0),
		    district) >= 0) {
			print_error("district %s after %s: out of order or "
			    "twice\n", district, areas_csv_get(t, i - 1, 0));
			bad++;
		}
		memcpy(area, district, arealen);
		area[arealen] = '\0';
		if (strcmp(area, "BT") == 0) {
			print_error("district %s: Northern Ireland's data is "
			    "not under the OGL\n", district);
			bad++;
		}
		if ((a = areas_find_area(area)) < 0) {
			print_error("district %s: area %s not in %s\n",
			    district, area, AREAS_FILE);
			bad++;
		}
		if (strcmp(country, "England") == 0)
			n[0]++;
		else if (strcmp(country, "Wales") == 0)
			n[1]++;
		else if (strcmp(country, "Scotland") == 0)
			n[2]++;
		else {
			print_error("district %s: country \"%s\"\n", district,
			    country);
			bad++;
		}
		if (areas_parse_coord(areas_csv_get(t, i, 2), 4, &lat) == -1 ||
		    areas_parse_coord(areas_csv_get(t, i, 3), 4, &lon) == -1 ||
		    !areas_in_uk(lat, lon) || lat < 49.8) {
			print_error("district %s: bad lat/long \"%s\",\"%s\" "
			    "(4 decimals at most, inside Great Britain)\n",
			    district, areas_csv_get(t, i, 2),
			    areas_csv_get(t, i, 3));
			bad++;
		}
	}
	/* The two files agree: an override's country is the majority. */
	for (i = 0; i < o->nrows; i++) {
		const char *district = areas_csv_get(o, i, 0);
		long d = areas_find_district(district);

		if (d < 0) {
			print_error("override %s is no district in %s\n",
			    district, AREAS_DISTRICTS_FILE);
			bad++;
		} else if (strcmp(areas_csv_get(t, (size_t)d, 1),
		    areas_csv_get(o, i, 1)) != 0) {
			print_error("district %s: %s in %s, %s in %s\n",
			    district, areas_csv_get(o, i, 1),
			    AREAS_OVERRIDES_FILE, areas_csv_get(t, (size_t)d, 1),
			    AREAS_DISTRICTS_FILE);
			bad++;
		}
	}
	print_message("  %zu districts: %zu England, %zu Wales, %zu "
	    "Scotland\n", t->nrows, n[0], n[1], n[2]);
	assert_int_equal(bad, 0);
}

static void
areas_test_reference_districts(void **state)
{
	const struct areas_csv *t = &areas_fx.districts;
	const struct areas_csv *ref = &areas_fx.ref_outcodes;
	int cout, carea, clat, clon, cgeo, cctry;
	size_t i, bad = 0, want = 0;
	double worst = -1;
	const char *worst_district = "";

	(void)state;
	if (!areas_fx.have_ref_outcodes) {
		print_message("[  SKIP    ] %s absent (set SHARED_DIR): "
		    "district centroids not compared\n",
		    areas_fx.ref_outcodes_path);
		skip();
	}
	cout = areas_csv_col(ref, "outcode");
	carea = areas_csv_col(ref, "area");
	clat = areas_csv_col(ref, "latitude");
	clon = areas_csv_col(ref, "longitude");
	cgeo = areas_csv_col(ref, "geocoded");
	cctry = areas_csv_col(ref, "country");
	assert_true(cout >= 0 && carea >= 0 && clat >= 0 && clon >= 0 &&
	    cgeo >= 0 && cctry >= 0);

	/* Each district is its outcode's row, rounded. */
	for (i = 0; i < t->nrows; i++) {
		const char *district = areas_csv_get(t, i, 0);
		long r = areas_csv_find(ref, (size_t)cout, district);
		double km;

		if (r < 0) {
			print_error("district %s not in the reference\n",
			    district);
			bad++;
			continue;
		}
		if (atol(areas_csv_get(ref, (size_t)r, (size_t)cgeo)) <= 0) {
			print_error("district %s: the reference has no "
			    "coordinates for it\n", district);
			bad++;
			continue;
		}
		if (strcmp(areas_csv_get(ref, (size_t)r, (size_t)cctry),
		    areas_csv_get(t, i, 1)) != 0) {
			print_error("district %s: country %s, reference "
			    "majority %s\n", district, areas_csv_get(t, i, 1),
			    areas_csv_get(ref, (size_t)r, (size_t)cctry));
			bad++;
		}
		km = areas_haversine_km(strtod(areas_csv_get(t, i, 2), NULL),
		    strtod(areas_csv_get(t, i, 3), NULL),
		    strtod(areas_csv_get(ref, (size_t)r, (size_t)clat), NULL),
		    strtod(areas_csv_get(ref, (size_t)r, (size_t)clon), NULL));
		if (km > worst) {
			worst = km;
			worst_district = district;
		}
		if (km > AREAS_DISTRICT_MAX_KM) {
			print_error("district %s: %.2f km from the reference "
			    "centroid\n", district, km);
			bad++;
		}
	}

	/* And none is missing: every geocoded British outward code. */
	for (i = 0; i < ref->nrows; i++) {
		const char *out = areas_csv_get(ref, i, (size_t)cout);
		const char *ctry = areas_csv_get(ref, i, (size_t)cctry);
		size_t arealen;

		if (strcmp(areas_csv_get(ref, i, (size_t)carea), "BT") == 0 ||
		    atol(areas_csv_get(ref, i, (size_t)cgeo)) <= 0 ||
		    !areas_outcode_valid(out, &arealen) ||
		    (strcmp(ctry, "England") != 0 &&
		    strcmp(ctry, "Wales") != 0 && strcmp(ctry, "Scotland") != 0))
			continue;
		want++;
		if (areas_find_district(out) < 0) {
			print_error("outcode %s missing from %s\n", out,
			    AREAS_DISTRICTS_FILE);
			bad++;
		}
	}
	assert_int_equal(t->nrows, want);
	print_message("  %zu district centroids compared; worst %.3f km "
	    "(%s)\n", t->nrows, worst, worst_district);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(areas_test_table),
		cmocka_unit_test(areas_test_overrides),
		cmocka_unit_test(areas_test_examples),
		cmocka_unit_test(areas_test_reference_areas),
		cmocka_unit_test(areas_test_reference_outcodes),
		cmocka_unit_test(areas_test_districts),
		cmocka_unit_test(areas_test_reference_districts),
	};

	return cmocka_run_group_tests_name("areas", tests, areas_group_setup,
	    areas_group_teardown);
}
