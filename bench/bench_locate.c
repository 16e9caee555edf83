/*
 * bench_locate.c -- time unit look-ups and whole locates (parse + geocode
 * + match + reply) in process, one call at a time, and print the median
 * and 99th percentile.  Asserts nothing.
 *
 *   bench-locate CONFIG POSTCODES.txt [N]
 *
 * POSTCODES.txt holds one postcode per line, taken from the imported data.
 * Then the same locates against 50 and 10,000 seeded-random branches
 * placed at postcodes from that file, once searched through the branch
 * index and once by measuring every branch, to show what the index buys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "branch.h"
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

static char **pcs;
static size_t npcs;

/* The i'th text: a random name and postcode in a random shape, every 50th
 * a STOP.  Draws from rand(), so a run seeded alike makes the same texts. */
static void
make_text(size_t i, char *text, size_t size)
{
	const char *name = names[(size_t)rand() % nitems(names)];
	int shape = rand() % (int)nitems(shapes);
	char pc[16];

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
		if (strchr(pc, ' '))
			*strchr(pc, ' ') = '\0';
		break;
	}
	if (i % 50 == 0)
		strlcpy_(text, "STOP", size);
	else
		snprintf(text, size, shapes[shape], name, pc);
}

/*
 * Replace the database's branches with nb at random postcodes of the file
 * (seeded), without coverage so that every located text goes to the
 * nearest-branch search, and reload the directory as the daemon would
 * (which builds the index).  0; 1 when too few postcodes have a location
 * (no import); -1 on a database error.
 */
static int
random_branches(struct gateway *gw, size_t nb)
{
	size_t tries = 0, added = 0;

	srand(7);
	if (store_begin(gw->st) == -1)
		return -1;
	for (size_t i = 0; i < gw->dir.nbranches; i++)
		if (store_branch_delete(gw->st, "bench",
		    gw->dir.branches[i].id) == -1)
			goto fail;
	while (added < nb && tries++ < nb * 20) {
		struct geocode geo;
		struct branch b;
		const char *pc = pcs[(size_t)rand() % npcs];

		if (store_lookup_unit(gw->st, pc, &geo) != 1 ||
		    geo.level == GEO_NONE)
			continue;
		branch_init(&b);
		free(b.name);
		free(b.postcode);
		b.name = xasprintf("Bench %05zu", added++);
		b.postcode = xstrdup(pc);
		b.has_coords = BRANCH_COORDS;
		b.lat = geo.lat;
		b.lon = geo.lon;
		b.active = rand() % 10 != 0;
		int rc = store_branch_insert(gw->st, "bench", &b);
		branch_release(&b);
		if (rc == -1)
			goto fail;
	}
	if (store_commit(gw->st) == -1)
		goto fail;
	if (gateway_changed(gw) == -1)
		return -1;
	return added == nb ? 0 : 1;
fail:
	fprintf(stderr, "bench-locate: %s\n", store_error(gw->st));
	store_rollback(gw->st);
	return -1;
}

/* n locates with the directory as it is; each match's branch into got. */
static int
time_locates(struct gateway *gw, size_t n, uint64_t *ns,
    const struct branch **got, size_t *nearest)
{
	srand(42);
	*nearest = 0;
	for (size_t i = 0; i < n; i++) {
		struct locate_result res;
		char text[256];

		make_text(i, text, sizeof text);
		uint64_t t0 = now_ns();
		if (pipeline_locate(gw, text, strlen(text), &res) == -1)
			return -1;
		ns[i] = now_ns() - t0;
		got[i] = res.match.branch;
		*nearest += res.match.kind == MATCH_NEAREST;
		locate_release(&res);
	}
	return 0;
}

/* The nearest-branch search alone, index then scan, from the places of
 * n random postcodes of the file. */
static void
nearest_alone(struct gateway *gw, size_t nb, size_t n, uint64_t *ns)
{
	double *lat = xcalloc(n, sizeof *lat), *lon = xcalloc(n, sizeof *lon);
	size_t m = 0;
	char what[64];

	srand(99);
	while (m < n) {
		struct geocode geo;
		if (store_lookup_unit(gw->st, pcs[(size_t)rand() % npcs],
		    &geo) == 1 && geo.level != GEO_NONE) {
			lat[m] = geo.lat;
			lon[m++] = geo.lon;
		}
	}
	for (int scan = 0; scan < 2; scan++) {
		for (size_t i = 0; i < n; i++) {
			double km;
			uint64_t t0 = now_ns();
			if (scan)
				branch_nearest_scan(&gw->dir, lat[i], lon[i],
				    gw->cf->radius_km, &km);
			else
				branch_nearest(&gw->dir, lat[i], lon[i],
				    gw->cf->radius_km, &km);
			ns[i] = now_ns() - t0;
		}
		snprintf(what, sizeof what, "  nearest alone, %s", scan ?
		    "scan" : "index");
		report(what, ns, n);
	}
	free(lat);
	free(lon);
}

/* Locates against nb random branches, through the index, then scanning. */
static int
bench_branches(struct gateway *gw, size_t nb, size_t n)
{
	uint64_t *ns = xcalloc(n, sizeof *ns);
	const struct branch **by_index = xcalloc(n, sizeof *by_index);
	const struct branch **by_scan = xcalloc(n, sizeof *by_scan);
	size_t near_index, near_scan, differ = 0;
	char what[64];
	int rc = -1;

	switch (random_branches(gw, nb)) {
	case -1:
		goto done;
	case 1:
		printf("locate with %zu branches: skipped, too few postcodes "
		    "have a location (import the data first)\n", nb);
		rc = 0;
		goto done;
	}
	if (time_locates(gw, n, ns, by_index, &near_index) == -1)
		goto done;
	snprintf(what, sizeof what, "locate, %zu branches, index", nb);
	report(what, ns, n);
	branch_index_free(&gw->dir.near);	/* now branch_nearest scans */
	if (time_locates(gw, n, ns, by_scan, &near_scan) == -1)
		goto done;
	snprintf(what, sizeof what, "locate, %zu branches, scan", nb);
	report(what, ns, n);
	for (size_t i = 0; i < n; i++)
		differ += by_index[i] != by_scan[i];
	printf("  nearest matches: index %zu, scan %zu; answers that differ: "
	    "%zu of %zu\n", near_index, near_scan, differ, n);
	directory_index(&gw->dir);
	nearest_alone(gw, nb, n, ns);
	rc = 0;
done:
	free(ns);
	free(by_index);
	free(by_scan);
	return rc;
}

int
main(int argc, char **argv)
{
	struct gateway gw;
	struct config *cf;
	char line[64];
	size_t n;
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
		struct locate_result res;
		char text[256];

		make_text(i, text, sizeof text);
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

	/* The scan at 10,000 branches is slow: fewer texts keep it short. */
	size_t nb_n = n < 20000 ? n : 20000;
	printf("\n");
	if (bench_branches(&gw, 50, nb_n) == -1 ||
	    bench_branches(&gw, 10000, nb_n) == -1)
		return 1;

	for (size_t i = 0; i < npcs; i++)
		free(pcs[i]);
	free(pcs);
	gateway_close(&gw);
	config_free(cf);
	return 0;
}
