/*
 * postcode_import.h -- load postcode units from the ONS Postcode Directory,
 * the NSPL, or any CSV with postcode, latitude and longitude columns, and
 * each unit's country where the file has a country column.
 */
#ifndef GATEWAY_POSTCODE_IMPORT_H
#define GATEWAY_POSTCODE_IMPORT_H

#include <stdio.h>

struct store;

struct postcode_import_report {
	long	rows;		/* data rows read */
	long	imported;	/* units stored */
	long	skipped;	/* bad rows, each reported with its line */
	long	sectors, districts, areas;	/* centroids derived */
	long	txns;		/* write transactions taken */
	double	longest_ms;	/* the longest time the write lock was held */
	char	country_column[32];	/* the header the countries came
					   from; "" when the file has none */
};

/*
 * Read in (named source in messages) and replace the postcode data, all or
 * nothing: readers see the old data until one short transaction swaps the
 * new in, and on any failure the old data stays.  The write lock is held a
 * few tens of milliseconds at a time, so a server on the same database
 * goes on answering.  Bad rows are skipped and listed on report with their
 * line numbers; a country that is neither an ONS code nor a name fails the
 * whole import, with its line.  With progress, a bar is drawn on stderr.
 * 0 or -1.
 */
int	postcode_import(struct store *, FILE *in, const char *source,
	    int progress, FILE *report, struct postcode_import_report *);

#endif
