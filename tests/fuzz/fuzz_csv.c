/*
 * fuzz_csv.c -- CSV reading (gateway/csv.c), as the postcode and branch
 * imports use it: read every record, find columns by name, and write the
 * fields back the way exports do.
 */
#include <stdio.h>

#include "csv.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader r;
	FILE *in, *out;
	char *copy = fuzz_string(data, size), *outbuf = NULL;
	size_t outlen = 0;
	int rc, records = 0;

	/* fmemopen of an empty buffer fails on some libcs. */
	if ((in = fmemopen(copy, size ? size : 1, "r")) == NULL)
		abort();
	if ((out = open_memstream(&outbuf, &outlen)) == NULL)
		abort();
	csv_init(&r, in);
	while ((rc = csv_read(&r)) != 0 && records++ < 10000) {
		if (rc == -1) {
			if (r.error == NULL)
				abort();
			continue;
		}
		if (r.nfields > CSV_MAX_FIELDS)
			abort();
		csv_column(&r, "postcode");
		csv_column(&r, "lat");
		for (size_t i = 0; i < r.nfields; i++)
			csv_write_field(out, r.fields[i], i ? ',' : 0);
		fputc('\n', out);
	}
	csv_release(&r);
	fclose(in);
	fclose(out);
	free(outbuf);
	free(copy);
	return 0;
}
