/*
 * fuzz_postcode.c -- postcodes (gateway/postcode.c): normalise, parse and
 * split whatever a supporter or an import file might hold.
 */
#include "fuzz.h"
#include "postcode.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

/* Every field a parse fills is a string that fits its array. */
static void
check(const struct postcode *pc)
{
	if (strnlen(pc->full, sizeof pc->full) == sizeof pc->full ||
	    strnlen(pc->area, sizeof pc->area) == sizeof pc->area ||
	    strnlen(pc->district, sizeof pc->district) == sizeof pc->district ||
	    strnlen(pc->sector, sizeof pc->sector) == sizeof pc->sector ||
	    strnlen(pc->incode, sizeof pc->incode) == sizeof pc->incode)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct postcode pc, again;
	char *s = fuzz_string(data, size), norm[16];
	/* An exact-size copy for the counted variant. */
	char *raw = malloc(size ? size : 1);

	if (raw == NULL)
		abort();
	if (size > 0)
		memcpy(raw, data, size);
	memset(&pc, 0, sizeof pc);
	postcode_parse(s, &pc);
	check(&pc);
	/* A parsed postcode parses again to itself. */
	if (pc.kind == POSTCODE_FULL) {
		if (postcode_parse(pc.full, &again) != POSTCODE_FULL ||
		    strcmp(again.full, pc.full) != 0)
			abort();
	}
	memset(&pc, 0, sizeof pc);
	postcode_parse_n(raw, size, &pc);
	check(&pc);
	postcode_normalise(s, norm, sizeof norm);
	postcode_normalise(s, norm, 4);
	memset(&pc, 0, sizeof pc);
	postcode_split_loose(s, &pc);
	check(&pc);
	free(raw);
	free(s);
	return 0;
}
