/*
 * branch_edit.h -- changing branches from outside: one field at a time
 * (the CLI, the admin API) or a whole CSV file.  Every field is checked
 * here, whichever way it came in.
 */
#ifndef GATEWAY_BRANCH_EDIT_H
#define GATEWAY_BRANCH_EDIT_H

#include <stddef.h>
#include <stdio.h>

#include "branch.h"

struct store;

/* The CSV columns, in export order. */
extern const char *const branch_fields[];

/*
 * Set field (one of branch_fields) from text, checking it: a postcode must
 * be a full valid postcode, a region must exist, coverage is a list of
 * districts and sectors separated by ";", phones become E.164.  0, or -1
 * with the reason in err.
 */
int	branch_set_field(struct branch *, const struct directory *,
	    const char *field, const char *text, char *err, size_t errlen);
/* The value of field as text, for export; written into buf. */
const char *branch_get_field(const struct branch *, const struct directory *,
	    const char *field, char *buf, size_t len);

/*
 * Check a branch is complete: a name, and a location (latitude and
 * longitude, or a postcode that geocodes to its unit, sector or district),
 * or coverage to match by.  Fills in coordinates from the postcode.
 */
int	branch_finish(struct branch *, struct store *, const struct directory *,
	    char *err, size_t errlen);

/*
 * Import branches from CSV with a header row (columns: branch_fields; name
 * required).  A row whose name exists updates that branch, otherwise it is
 * added; with replace, branches absent from the file are removed.  All or
 * nothing: a bad row is reported on err as "source:line: field: reason"
 * and nothing is imported.  0 or -1.
 */
int	branch_csv_import(struct store *, FILE *in, const char *source,
	    const char *actor, int replace, FILE *err);
void	branch_csv_export(const struct directory *, FILE *out);

/* A postcode area ("se") or district ("se1") as a region can be mapped
 * by ("SE", "SE1"); -1 when it is neither. */
int	region_code(const char *text, char *out, size_t len);
/* Map areas and districts to regions from CSV (code,region; an empty
 * region removes the mapping), all or nothing; the number of rows, or -1
 * after naming each bad line on err. */
int	region_csv_import(struct store *, FILE *in, const char *source,
	    const char *actor, FILE *err);

#endif
