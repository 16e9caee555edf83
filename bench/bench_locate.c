/*
 * bench_locate.c -- time unit look-ups and whole locates (parse + geocode
 * + match + reply) in process, one call at a time, and print the median
 * and 99th percentile.  Asserts nothing.
 *
 *   bench-locate CONFIG POSTCODES.txt [N]
 *
 * POSTCODES.txt holds one postcode per line, taken from the imported data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pipeline.h"
#include "store.h"
#include "util.h"

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
report(const char *what, uint64_t *ns, size_t n)
{
	uint64_t sum = 0;

	qsort(ns, n, sizeof *ns, cmp_u64);
	for (size_t i = 0; i < n; i++)
		sum += ns[i];
	printf("%-28s n=%zu  median %.2f us  p99 %.2f us  mean %.2f us\n", what,
	    n, ns[n / 2] / 1e3, ns[n * 99 / 100] / 1e3, sum / 1e3 / n);
}

/* The shapes people text, with %s for the name and %s for the postcode. */
static const char *shapes[] = {
	"%s %s", "%2$s %1$s", "hi, my name is %s and my postcode is %s",
	"Name: %s Postcode: %s", "JOIN %s %s", "%s, %s, thanks!",
};
static const char *names[] = {
	"Jane Smith", "tom jones", "AISHA KHAN", "Siân Evans", "Olu",
	"Zoë O'Neill", "Ciarán Ó Briain", "Mary-Jane Watson",
};

int
main(int argc, char **argv)
{
	struct gateway gw;
	struct config *cf;
	char **pcs = NULL, line[64];
	size_t npcs = 0, n;
	FILE *fp;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-locate CONFIG POSTCODES [N]\n");
		return 2;
	}
	n = argc > 3 ? strtoul(argv[3], NULL, 10) : 100000;
	if ((cf = config_load(argv[1])) == NULL || gateway_open(&gw, cf) == -1)
		return 1;
	if ((fp = fopen(argv[2], "r")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	while (fgets(line, sizeof line, fp)) {
		line[strcspn(line, "\r\n")] = '\0';
		pcs = xrealloc(pcs, (npcs + 1) * sizeof *pcs);
		pcs[npcs++] = xstrdup(line);
	}
	fclose(fp);
	if (npcs == 0)
		return 1;

	uint64_t *ns = xcalloc(n, sizeof *ns);
	srand(42);
	struct geocode geo;
	size_t found = 0;
	for (size_t i = 0; i < n; i++) {
		const char *pc = pcs[(size_t)rand() % npcs];
		uint64_t t0 = now_ns();
		found += store_lookup_unit(gw.st, pc, &geo) == 1;
		ns[i] = now_ns() - t0;
	}
	report("unit lookup", ns, n);
	printf("  %zu of %zu found\n", found, n);

	size_t levels[5] = { 0 }, kinds[6] = { 0 };
	for (size_t i = 0; i < n; i++) {
		char text[256], pc[16];
		struct locate_result res;
		const char *name = names[(size_t)rand() % nitems(names)];
		int shape = rand() % (int)nitems(shapes);

		strlcpy_(pc, pcs[(size_t)rand() % npcs], sizeof pc);
		switch (rand() % 4) {
		case 0:		/* lower case, no space */
			for (char *p = pc; *p; p++)
				*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
			memmove(strchr(pc, ' ') ? strchr(pc, ' ') : pc,
			    strchr(pc, ' ') ? strchr(pc, ' ') + 1 : pc,
			    strchr(pc, ' ') ? strlen(strchr(pc, ' ')) : 0);
			break;
		case 1:		/* the district alone */
			*strchr(pc, ' ') = '\0';
			break;
		}
		if (i % 50 == 0)
			strlcpy_(text, "STOP", sizeof text);
		else
			snprintf(text, sizeof text, shapes[shape], name, pc);
		uint64_t t0 = now_ns();
		if (pipeline_locate(&gw, text, strlen(text), &res) == -1)
			return 1;
		ns[i] = now_ns() - t0;
		levels[res.geo.level]++;
		kinds[res.match.kind]++;
		locate_release(&res);
	}
	report("locate (parse+geocode+match)", ns, n);
	printf("  geocode levels: unit %zu, sector %zu, district %zu, area %zu, "
	    "none %zu\n", levels[GEO_UNIT], levels[GEO_SECTOR],
	    levels[GEO_DISTRICT], levels[GEO_AREA], levels[GEO_NONE]);
	printf("  matches: coverage %zu, nearest %zu, region %zu, national %zu, "
	    "out of area %zu, none %zu\n", kinds[MATCH_COVERAGE],
	    kinds[MATCH_NEAREST], kinds[MATCH_REGION], kinds[MATCH_NATIONAL],
	    kinds[MATCH_OUT_OF_AREA], kinds[MATCH_NONE]);

	free(ns);
	for (size_t i = 0; i < npcs; i++)
		free(pcs[i]);
	free(pcs);
	gateway_close(&gw);
	config_free(cf);
	return 0;
}
