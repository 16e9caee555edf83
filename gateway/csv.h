/*
 * csv.h -- RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, and
 * quoted fields that span lines.  Fast on the common case (no quotes), as
 * a postcode import reads millions of rows.
 */
#ifndef GATEWAY_CSV_H
#define GATEWAY_CSV_H

#include <stddef.h>
#include <stdio.h>

#define CSV_MAX_FIELDS	256
#define CSV_MAX_RECORD	(1024 * 1024)	/* a longer record is an error */

struct csv_reader {
	FILE	*fp;
	char	*line;		/* getline buffer */
	size_t	 linecap;
	char	*rec;		/* the record, fields split in place */
	size_t	 reccap;
	long	 lineno;	/* line on which the last record started */
	long	 nextline;
	size_t	 nfields;
	char	*fields[CSV_MAX_FIELDS];
	const char *error;	/* why the last read failed */
};

void	csv_init(struct csv_reader *, FILE *);
/* Read the next record: 1 read, 0 end of file, -1 malformed (see error;
 * reading may continue with the next record). */
int	csv_read(struct csv_reader *);
void	csv_release(struct csv_reader *);

/* Index of the header field called name (case-insensitive), or -1. */
int	csv_column(const struct csv_reader *, const char *name);

/* Write one field, quoted when it needs to be; sep is written first
 * unless it is 0.  A field that starts with = + - @, a tab or a CR gets a
 * "'" before it, so that no spreadsheet runs it as a formula; csv_read
 * takes that "'" off again. */
void	csv_write_field(FILE *, const char *value, int sep);

#endif
