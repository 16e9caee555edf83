/*
 * branch_edit.c -- see branch_edit.h.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "branch_edit.h"
#include "csv.h"
#include "geo.h"
#include "notify.h"
#include "postcode.h"
#include "store.h"
#include "util.h"

const char *const branch_fields[] = {
	"name", "postcode", "latitude", "longitude", "meets", "contact_name",
	"contact_phone", "contact_email", "region", "coverage", "notify",
	"active", NULL
};

#define BRANCH_MAX_TEXT		500	/* bytes in any one text field */
#define BRANCH_MAX_COVERAGE	200	/* codes per branch */

static void
replace(char **field, const char *text)
{
	free(*field);
	*field = xstrdup(text);
}

/*
 * A district ("SE1") or a sector ("SE1 7") into out.  The space decides:
 * "SE17" is the district SE17, never the sector SE1 7.
 */
static int
coverage_code(const char *text, char *out, size_t len)
{
	struct postcode pc;
	char tmp[16], *space;
	size_t n;

	strlcpy_(tmp, text, sizeof tmp);
	str_trim(tmp);
	str_upper(tmp);
	n = strlen(tmp);
	if (n == 0 || n >= 8)
		return -1;
	space = strrchr(tmp, ' ');
	if (space != NULL && space[1] >= '0' && space[1] <= '9' &&
	    space[2] == '\0') {
		*space = '\0';
		if (postcode_parse(tmp, &pc) != POSTCODE_OUTCODE)
			return -1;
		snprintf(out, len, "%s %c", pc.district, space[1]);
		return 0;
	}
	if (postcode_parse(tmp, &pc) != POSTCODE_OUTCODE)
		return -1;
	strlcpy_(out, pc.district, len);
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
set_coverage(struct branch *b, const char *text, char *err, size_t errlen)
{
	char *copy = xstrdup(text), *p = copy, *tok;
	char **codes = NULL;
	size_t n = 0;
	int rc = 0;

	while (rc == 0 && (tok = strsep(&p, ";,")) != NULL) {
		char code[8];
		if (*str_trim(tok) == '\0')
			continue;
		if (coverage_code(tok, code, sizeof code) == -1) {
			snprintf(err, errlen, "\"%s\" is not a postcode district "
			    "(SE1) or sector (SE1 7)", tok);
			rc = -1;
		} else if (n == BRANCH_MAX_COVERAGE) {
			snprintf(err, errlen, "more than %d codes",
			    BRANCH_MAX_COVERAGE);
			rc = -1;
		} else {
			codes = xrealloc(codes, (n + 1) * sizeof *codes);
			codes[n++] = xstrdup(code);
		}
	}
	free(copy);
	if (rc == 0 && n > 0) {
		qsort(codes, n, sizeof *codes, cmp_str);
		for (size_t i = 1; i < n; i++)
			if (!strcmp(codes[i], codes[i - 1])) {
				snprintf(err, errlen, "%s is listed twice",
				    codes[i]);
				rc = -1;
				break;
			}
	}
	if (rc == -1) {
		for (size_t i = 0; i < n; i++)
			free(codes[i]);
		free(codes);
		return -1;
	}
	for (size_t i = 0; i < b->ncoverage; i++)
		free(b->coverage[i]);
	free(b->coverage);
	b->coverage = codes;
	b->ncoverage = n;
	return 0;
}

static int
set_degrees(double *out, const char *text, double limit, char *err,
    size_t errlen)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(text, &end);
	if (errno || end == text || *end != '\0' || !isfinite(d) ||
	    fabs(d) > limit) {
		snprintf(err, errlen, "\"%s\" is not a number of degrees "
		    "between %g and %g", text, -limit, limit);
		return -1;
	}
	*out = d;
	return 0;
}

int
branch_set_field(struct branch *b, const struct directory *dir,
    const char *field, const char *text, char *err, size_t errlen)
{
	char buf[32];

	if (strlen(text) > BRANCH_MAX_TEXT) {
		snprintf(err, errlen, "longer than %d bytes", BRANCH_MAX_TEXT);
		return -1;
	}
	if (!strcmp(field, "name")) {
		char *name = str_trim(xstrdup(text));
		if (*name == '\0') {
			free(name);
			snprintf(err, errlen, "must not be empty");
			return -1;
		}
		free(b->name);
		b->name = name;
	} else if (!strcmp(field, "postcode")) {
		struct postcode pc;
		if (*text == '\0')
			buf[0] = '\0';
		else if (postcode_parse(text, &pc) != POSTCODE_FULL) {
			snprintf(err, errlen, "\"%s\" is not a full UK postcode",
			    text);
			return -1;
		} else
			strlcpy_(buf, pc.full, sizeof buf);
		if (strcmp(buf, b->postcode) != 0 && b->has_coords) {
			/* A new postcode moves the branch unless the caller
			 * also gives coordinates. */
			b->has_coords = 0;
		}
		replace(&b->postcode, buf);
	} else if (!strcmp(field, "latitude") || !strcmp(field, "longitude")) {
		int lat = field[1] == 'a';
		if (*text == '\0') {
			b->has_coords = 0;
			return 0;
		}
		if (set_degrees(lat ? &b->lat : &b->lon, text, lat ? 90 : 180,
		    err, errlen) == -1)
			return -1;
		/* Both halves are checked together in branch_finish. */
		b->has_coords |= lat ? BRANCH_LAT : BRANCH_LON;
	} else if (!strcmp(field, "meets")) {
		replace(&b->meets, text);
	} else if (!strcmp(field, "contact_name")) {
		replace(&b->contact_name, text);
	} else if (!strcmp(field, "contact_phone")) {
		if (*text && phone_normalise(text, buf, sizeof buf) == -1) {
			snprintf(err, errlen, "\"%s\" is not a phone number", text);
			return -1;
		}
		replace(&b->contact_phone, *text ? buf : "");
	} else if (!strcmp(field, "contact_email")) {
		if (*text && !email_plausible(text)) {
			snprintf(err, errlen, "\"%s\" is not an e-mail address",
			    text);
			return -1;
		}
		replace(&b->contact_email, text);
	} else if (!strcmp(field, "region")) {
		b->region_id = 0;
		if (*text == '\0')
			return 0;
		for (size_t i = 0; i < dir->nregions; i++)
			if (!strcasecmp(dir->regions[i].name, text))
				b->region_id = dir->regions[i].id;
		if (b->region_id == 0) {
			snprintf(err, errlen, "no region called \"%s\"", text);
			return -1;
		}
	} else if (!strcmp(field, "coverage")) {
		return set_coverage(b, text, err, errlen);
	} else if (!strcmp(field, "notify")) {
		if (notify_channels_valid(text, err, errlen) == -1)
			return -1;
		replace(&b->notify, text);
	} else if (!strcmp(field, "active")) {
		if (!strcasecmp(text, "yes") || !strcmp(text, "1") ||
		    !strcasecmp(text, "true") || *text == '\0')
			b->active = 1;
		else if (!strcasecmp(text, "no") || !strcmp(text, "0") ||
		    !strcasecmp(text, "false"))
			b->active = 0;
		else {
			snprintf(err, errlen, "expected yes or no");
			return -1;
		}
	} else {
		snprintf(err, errlen, "unknown field");
		return -1;
	}
	return 0;
}

const char *
branch_get_field(const struct branch *b, const struct directory *dir,
    const char *field, char *buf, size_t len)
{
	const struct region *r;

	buf[0] = '\0';
	if (!strcmp(field, "name"))
		return b->name;
	if (!strcmp(field, "postcode"))
		return b->postcode;
	if (!strcmp(field, "latitude") && b->has_coords)
		snprintf(buf, len, "%.6f", b->lat);
	else if (!strcmp(field, "longitude") && b->has_coords)
		snprintf(buf, len, "%.6f", b->lon);
	else if (!strcmp(field, "meets"))
		return b->meets;
	else if (!strcmp(field, "contact_name"))
		return b->contact_name;
	else if (!strcmp(field, "contact_phone"))
		return b->contact_phone;
	else if (!strcmp(field, "contact_email"))
		return b->contact_email;
	else if (!strcmp(field, "region"))
		return (r = directory_region(dir, b->region_id)) ? r->name : "";
	else if (!strcmp(field, "coverage")) {
		size_t off = 0;
		for (size_t i = 0; i < b->ncoverage && off < len; i++)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    i ? ";" : "", b->coverage[i]);
	} else if (!strcmp(field, "active"))
		return b->active ? "yes" : "no";
	return buf;
}

int
branch_finish(struct branch *b, struct store *st, const struct directory *dir,
    char *err, size_t errlen)
{
	struct postcode pc;
	struct geocode geo;

	if (b->name[0] == '\0') {
		snprintf(err, errlen, "name: must not be empty");
		return -1;
	}
	if (b->has_coords == BRANCH_LAT || b->has_coords == BRANCH_LON) {
		snprintf(err, errlen, "%s: given without %s",
		    b->has_coords == BRANCH_LAT ? "latitude" : "longitude",
		    b->has_coords == BRANCH_LAT ? "longitude" : "latitude");
		return -1;
	}
	if (b->has_coords || b->postcode[0] == '\0') {
		if (!b->has_coords && b->ncoverage == 0) {
			snprintf(err, errlen, "postcode: needed (or latitude "
			    "and longitude, or coverage) to place the branch");
			return -1;
		}
		return 0;
	}
	postcode_parse(b->postcode, &pc);
	if (geo_locate(st, dir, &pc, &geo) == -1) {
		snprintf(err, errlen, "postcode: %s", store_error(st));
		return -1;
	}
	/* An area centroid can be tens of miles out: not good enough to
	 * send people to a branch. */
	if (geo.level == GEO_NONE || geo.level == GEO_AREA) {
		snprintf(err, errlen, "postcode: %s cannot be located (import "
		    "postcode data, or give latitude and longitude)",
		    b->postcode);
		return -1;
	}
	b->lat = geo.lat;
	b->lon = geo.lon;
	b->has_coords = BRANCH_COORDS;
	return 0;
}

/* --- CSV -------------------------------------------------------------- */

static int
field_index(const char *name)
{
	for (int i = 0; branch_fields[i]; i++)
		if (!strcasecmp(branch_fields[i], name))
			return i;
	return -1;
}

int
branch_csv_import(struct store *st, FILE *in, const char *source,
    const char *actor, int replace_all, FILE *errf)
{
	struct directory dir;
	struct csv_reader r;
	struct branch *rows = NULL;
	long *lines = NULL;
	size_t nrows = 0;
	int col_field[CSV_MAX_FIELDS];
	int errors = 0, rc;
	char err[256];

	if (store_load_directory(st, &dir) == -1) {
		fprintf(errf, "%s: %s\n", source, store_error(st));
		return -1;
	}
	csv_init(&r, in);
	if ((rc = csv_read(&r)) != 1) {
		fprintf(errf, "%s:1: %s\n", source, rc == 0 ? "empty file, "
		    "expected a header row" : r.error);
		errors++;
		goto done;
	}
	for (size_t i = 0; i < r.nfields; i++) {
		const char *h = r.fields[i];
		if (i == 0 && !strncmp(h, "\xef\xbb\xbf", 3))
			h += 3;
		if ((col_field[i] = field_index(h)) < 0) {
			fprintf(errf, "%s:1: unknown column \"%s\" (known: name, "
			    "postcode, latitude, longitude, meets, contact_name, "
			    "contact_phone, contact_email, region, coverage, "
			    "notify, active)\n", source, h);
			errors++;
		}
		for (size_t j = 0; j < i; j++)
			if (col_field[j] == col_field[i] && col_field[i] >= 0) {
				fprintf(errf, "%s:1: column \"%s\" twice\n",
				    source, h);
				errors++;
			}
	}
	int name_col = csv_column(&r, "name");
	if (name_col < 0) {
		fprintf(errf, "%s:1: no \"name\" column\n", source);
		errors++;
	}
	size_t ncols = r.nfields;
	if (errors)
		goto done;

	while ((rc = csv_read(&r)) != 0) {
		struct branch b;
		int bad = 0;

		if (rc == -1) {
			fprintf(errf, "%s:%ld: %s\n", source, r.lineno, r.error);
			errors++;
			continue;
		}
		if (r.nfields == 1 && r.fields[0][0] == '\0')
			continue;	/* a blank line */
		if (r.nfields != ncols) {
			fprintf(errf, "%s:%ld: %zu fields, the header has %zu\n",
			    source, r.lineno, r.nfields, ncols);
			errors++;
			continue;
		}
		/* Start from the branch of that name, so that a file of a
		 * few columns edits just those. */
		branch_init(&b);
		const char *name = r.fields[name_col];
		for (size_t i = 0; i < dir.nbranches; i++)
			if (!strcasecmp(dir.branches[i].name, name)) {
				branch_release(&b);
				branch_copy(&b, &dir.branches[i]);
			}
		for (size_t i = 0; i < ncols; i++) {
			const char *f = branch_fields[col_field[i]];
			if (branch_set_field(&b, &dir, f, r.fields[i], err,
			    sizeof err) == -1) {
				fprintf(errf, "%s:%ld: %s: %s\n", source,
				    r.lineno, f, err);
				bad = 1;
			}
		}
		if (!bad && branch_finish(&b, st, &dir, err, sizeof err) == -1) {
			fprintf(errf, "%s:%ld: %s\n", source, r.lineno, err);
			bad = 1;
		}
		for (size_t i = 0; !bad && i < nrows; i++)
			if (!strcasecmp(rows[i].name, b.name)) {
				fprintf(errf, "%s:%ld: name: \"%s\" is also on "
				    "line %ld\n", source, r.lineno, b.name,
				    lines[i]);
				bad = 1;
			}
		if (bad) {
			branch_release(&b);
			errors++;
			continue;
		}
		rows = xrealloc(rows, (nrows + 1) * sizeof *rows);
		lines = xrealloc(lines, (nrows + 1) * sizeof *lines);
		rows[nrows] = b;
		lines[nrows++] = r.lineno;
	}
	if (errors)
		goto done;

	/* Every row is good: write them all or none. */
	if (store_savepoint(st) == -1) {
		fprintf(errf, "%s: %s\n", source, store_error(st));
		errors++;
		goto done;
	}
	for (size_t i = 0; i < nrows && !errors; i++) {
		rc = rows[i].id ? store_branch_update(st, actor, &rows[i]) :
		    store_branch_insert(st, actor, &rows[i]);
		if (rc == -1) {
			fprintf(errf, "%s:%ld: %s\n", source, lines[i],
			    store_error(st));
			errors++;
		}
	}
	for (size_t i = 0; replace_all && i < dir.nbranches && !errors; i++) {
		size_t j;
		for (j = 0; j < nrows; j++)
			if (rows[j].id == dir.branches[i].id)
				break;
		if (j == nrows && store_branch_delete(st, actor,
		    dir.branches[i].id) == -1) {
			fprintf(errf, "%s: %s\n", source, store_error(st));
			errors++;
		}
	}
	if (errors)
		store_rollback_savepoint(st);
	else if (store_release(st) == -1) {
		fprintf(errf, "%s: %s\n", source, store_error(st));
		errors++;
	}
done:
	if (errors)
		fprintf(errf, "%s: %d error%s, nothing imported\n", source,
		    errors, errors == 1 ? "" : "s");
	for (size_t i = 0; i < nrows; i++)
		branch_release(&rows[i]);
	free(rows);
	free(lines);
	csv_release(&r);
	directory_free(&dir);
	return errors ? -1 : 0;
}

void
branch_csv_export(const struct directory *dir, FILE *out)
{
	char buf[2048];

	for (int i = 0; branch_fields[i]; i++)
		csv_write_field(out, branch_fields[i], i ? ',' : 0);
	fputc('\n', out);
	for (size_t b = 0; b < dir->nbranches; b++) {
		for (int i = 0; branch_fields[i]; i++)
			csv_write_field(out, branch_get_field(&dir->branches[b],
			    dir, branch_fields[i], buf, sizeof buf), i ? ',' : 0);
		fputc('\n', out);
	}
}

int
region_code(const char *text, char *out, size_t len)
{
	struct postcode pc;
	char code[8];
	size_t n;

	strlcpy_(code, text, sizeof code);
	str_trim(code);
	str_upper(code);
	n = strlen(code);
	/* An area is one or two letters; a district parses as an outcode. */
	if (n >= 1 && n <= 2 && strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == n) {
		strlcpy_(out, code, len);
		return 0;
	}
	if (postcode_parse(code, &pc) != POSTCODE_OUTCODE)
		return -1;
	strlcpy_(out, pc.district, len);
	return 0;
}

int
region_csv_import(struct store *st, FILE *in, const char *source,
    const char *actor, FILE *errf)
{
	struct directory dir;
	struct csv_reader r;
	char **codes = NULL;
	int64_t *ids = NULL;
	int n = 0, errors = 0, c_code = -1, c_region = -1, rc;

	if (store_load_directory(st, &dir) == -1) {
		fprintf(errf, "%s: %s\n", source, store_error(st));
		return -1;
	}
	csv_init(&r, in);
	if (csv_read(&r) != 1 || (c_code = csv_column(&r, "code")) < 0 ||
	    (c_region = csv_column(&r, "region")) < 0) {
		fprintf(errf, "%s:1: the header needs \"code\" and \"region\" "
		    "columns\n", source);
		errors++;
	}
	/* Every bad row is named, not just the first. */
	while (c_code >= 0 && c_region >= 0 && (rc = csv_read(&r)) != 0) {
		char code[8];
		int64_t id = 0;
		if (rc == -1) {
			fprintf(errf, "%s:%ld: %s\n", source, r.lineno, r.error);
			errors++;
			continue;
		}
		if ((size_t)c_code >= r.nfields || (size_t)c_region >= r.nfields ||
		    region_code(r.fields[c_code], code, sizeof code) == -1) {
			fprintf(errf, "%s:%ld: code: not a postcode area or "
			    "district\n", source, r.lineno);
			errors++;
			continue;
		}
		for (size_t i = 0; i < dir.nregions; i++)
			if (!strcasecmp(dir.regions[i].name, r.fields[c_region]))
				id = dir.regions[i].id;
		if (id == 0 && r.fields[c_region][0] != '\0') {
			fprintf(errf, "%s:%ld: region: no region called \"%s\"\n",
			    source, r.lineno, r.fields[c_region]);
			errors++;
			continue;
		}
		codes = xrealloc(codes, (size_t)(n + 1) * sizeof *codes);
		ids = xrealloc(ids, (size_t)(n + 1) * sizeof *ids);
		codes[n] = xstrdup(code);
		ids[n++] = id;
	}
	if (!errors && store_savepoint(st) == 0) {
		for (int i = 0; i < n && !errors; i++)
			if (store_region_map(st, actor, codes[i], ids[i]) == -1) {
				fprintf(errf, "%s: %s\n", source, store_error(st));
				errors++;
			}
		if (errors)
			store_rollback_savepoint(st);
		else
			store_release(st);
	}
	if (errors)
		fprintf(errf, "%s: nothing imported\n", source);
	for (int i = 0; i < n; i++)
		free(codes[i]);
	free(codes);
	free(ids);
	csv_release(&r);
	directory_free(&dir);
	return errors ? -1 : n;
}
