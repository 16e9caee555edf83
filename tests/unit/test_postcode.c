/*
 * test_postcode.c -- postcode.c against tests/cases/postcode.tsv, and
 * against every live postcode of the shared ONSPD sample when it is there.
 */
/* System headers first: cmocka.h redefines malloc and free when
 * UNIT_TESTING is set, as the Makefile does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "postcode.h"
#include "cases.h"

#define MAX_FIELDS	8

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

/* Split a line on tabs in place; the number of fields. */
static int
split_tabs(char *line, char **f, int max)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

static const char *
kind_name(enum postcode_kind k)
{
	switch (k) {
	case POSTCODE_FULL:
		return "FULL";
	case POSTCODE_OUTCODE:
		return "OUTCODE";
	default:
		return "NONE";
	}
}

static const char *
dash(const char *s)
{
	return *s ? s : "-";
}

/* Shape invariants every successful parse must keep. */
static int
consistent(const struct postcode *pc)
{
	size_t dl = strlen(pc->district);

	if (strncmp(pc->district, pc->area, strlen(pc->area)) != 0)
		return 0;
	if (pc->kind == POSTCODE_OUTCODE)
		return *pc->full == '\0' && *pc->sector == '\0' &&
		    *pc->incode == '\0';
	return strncmp(pc->full, pc->district, dl) == 0 &&
	    pc->full[dl] == ' ' && strcmp(pc->full + dl + 1, pc->incode) == 0 &&
	    strncmp(pc->sector, pc->full, dl + 2) == 0 &&
	    pc->sector[dl + 2] == '\0';
}

static void
test_table(void **state)
{
	char path[4096], line[1024], *f[MAX_FIELDS];
	int rows = 0, bad = 0, lineno = 0;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof path, "%s/postcode.tsv",
	    env_or("CASES_DIR", "tests/cases"));
	fp = fopen(path, "r");
	if (fp == NULL)
		fail_msg("cannot open %s (run from the repo root or set "
		    "CASES_DIR)", path);
	while (fgets(line, sizeof line, fp) != NULL) {
		struct postcode pc;
		char norm[16];
		const char *got_norm, *fn;
		enum postcode_kind kind;
		size_t inlen;
		int n;

		lineno++;
		if (line[0] == '#' || line[strspn(line, "\r\n")] == '\0')
			continue;
		n = split_tabs(line, f, MAX_FIELDS);
		if (n < 6) {
			print_error("%s:%d: %d fields, want 6 or 7\n", path,
			    lineno, n);
			bad++;
			continue;
		}
		rows++;
		fn = n > 6 ? f[6] : "parse";
		inlen = unescape(f[0]);
		if (strcmp(fn, "loose") == 0) {
			kind = postcode_split_loose(f[0], &pc) == 0 ?
			    POSTCODE_FULL : POSTCODE_NONE;
			got_norm = kind == POSTCODE_FULL ? pc.full : "";
			if (kind != pc.kind) {
				print_error("%s:%d: split_loose returned %s "
				    "but set kind %s\n", path, lineno,
				    kind_name(kind), kind_name(pc.kind));
				bad++;
			}
		} else {
			kind = postcode_parse_n(f[0], inlen, &pc);
			got_norm = postcode_normalise(f[0], norm,
			    sizeof norm) == 0 ? norm : "";
			if (strlen(f[0]) == inlen &&
			    postcode_parse(f[0], &pc) != kind) {
				print_error("%s:%d: parse and parse_n "
				    "disagree\n", path, lineno);
				bad++;
			}
		}
		if (strcmp(dash(got_norm), f[1]) != 0 ||
		    strcmp(kind_name(kind), f[2]) != 0 ||
		    strcmp(dash(pc.area), f[3]) != 0 ||
		    strcmp(dash(pc.district), f[4]) != 0 ||
		    strcmp(dash(pc.sector), f[5]) != 0) {
			print_error("%s:%d: %s(\"%s\")\n"
			    "    expected %s | %s | %s | %s | %s\n"
			    "    actual   %s | %s | %s | %s | %s\n",
			    path, lineno, fn, f[0], f[1], f[2], f[3], f[4],
			    f[5], dash(got_norm), kind_name(kind),
			    dash(pc.area), dash(pc.district), dash(pc.sector));
			bad++;
		} else if (kind != POSTCODE_NONE && !consistent(&pc)) {
			print_error("%s:%d: \"%s\": parts do not agree\n",
			    path, lineno, f[0]);
			bad++;
		}
	}
	fclose(fp);
	print_message("postcode.tsv: %d cases, %d failed\n", rows, bad);
	assert_true(rows >= 80);
	assert_int_equal(bad, 0);
}

static void
test_none_is_zeroed(void **state)
{
	struct postcode pc, zero;

	(void)state;
	memset(&zero, 0, sizeof zero);
	memset(&pc, 0x5a, sizeof pc);
	assert_int_equal(postcode_parse("QA1 1AA", &pc), POSTCODE_NONE);
	assert_memory_equal(&pc, &zero, sizeof pc);
	memset(&pc, 0x5a, sizeof pc);
	assert_int_equal(postcode_split_loose("nonsense", &pc), -1);
	assert_memory_equal(&pc, &zero, sizeof pc);
}

static void
test_parse_n_stops_at_len(void **state)
{
	/* No NUL: ASan's redzone around the array sees any read past it. */
	static char buf[7];
	struct postcode pc;

	(void)state;
	memcpy(buf, "se17pbx", 7);
	assert_int_equal(postcode_parse_n(buf, 6, &pc), POSTCODE_FULL);
	assert_string_equal(pc.full, "SE1 7PB");
	assert_int_equal(postcode_parse_n(buf, 7, &pc), POSTCODE_NONE);
	assert_int_equal(postcode_parse_n(buf, 3, &pc), POSTCODE_OUTCODE);
	assert_string_equal(pc.district, "SE1");
	assert_int_equal(postcode_parse_n(buf, 0, &pc), POSTCODE_NONE);
}

static void
test_normalise_outlen(void **state)
{
	char out[9];

	(void)state;
	assert_int_equal(postcode_normalise("sw1a2aa", out, 9), 0);
	assert_string_equal(out, "SW1A 2AA");
	assert_int_equal(postcode_normalise("sw1a2aa", out, 8), -1);
	assert_int_equal(postcode_normalise("m1", out, 3), 0);
	assert_string_equal(out, "M1");
	assert_int_equal(postcode_normalise("m1", out, 2), -1);
	assert_int_equal(postcode_normalise("nonsense", out, sizeof out), -1);
}

/* Column index of name in a CSV header, or -1. */
static int
column(char *header, const char *name)
{
	char *save = NULL;
	int i = 0;

	for (char *t = strtok_r(header, ",\r\n", &save); t != NULL;
	    t = strtok_r(NULL, ",\r\n", &save), i++)
		if (strcmp(t, name) == 0)
			return i;
	return -1;
}

/* The field'th comma-separated field of line (no quoting in this file). */
static void
field(const char *line, int idx, char *out, size_t outlen)
{
	size_t n;

	for (; idx > 0 && line != NULL; idx--)
		if ((line = strchr(line, ',')) != NULL)
			line++;
	if (line == NULL) {
		*out = '\0';
		return;
	}
	n = strcspn(line, ",\r\n");
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, line, n);
	out[n] = '\0';
}

static void
test_onspd_live(void **state)
{
	char path[4096], line[4096], hdr[4096], pcds[32], pcd7[32], term[32];
	int c_pcds, c_pcd7, c_term, live = 0, bad = 0;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof path,
	    "%s/data/postcodes/onspd_sample_postcodesio_2025-09.csv",
	    env_or("SHARED_DIR", "../shared"));
	if ((fp = fopen(path, "r")) == NULL) {
		print_message("skip: %s not found\n", path);
		skip();
	}
	assert_non_null(fgets(line, sizeof line, fp));
	memcpy(hdr, line, sizeof hdr);
	c_pcds = column(hdr, "pcds");
	memcpy(hdr, line, sizeof hdr);
	c_pcd7 = column(hdr, "pcd7");
	if (c_pcd7 < 0) {
		memcpy(hdr, line, sizeof hdr);
		c_pcd7 = column(hdr, "pcd");
	}
	memcpy(hdr, line, sizeof hdr);
	c_term = column(hdr, "doterm");
	assert_true(c_pcds >= 0 && c_term >= 0);
	while (fgets(line, sizeof line, fp) != NULL) {
		struct postcode pc, loose;

		field(line, c_term, term, sizeof term);
		if (*term != '\0')
			continue;
		live++;
		field(line, c_pcds, pcds, sizeof pcds);
		if (postcode_parse(pcds, &pc) != POSTCODE_FULL ||
		    strcmp(pc.full, pcds) != 0) {
			if (bad++ < 20)
				print_error("live \"%s\" parsed as %s \"%s\"\n",
				    pcds, kind_name(pc.kind), pc.full);
			continue;
		}
		if (c_pcd7 >= 0) {
			field(line, c_pcd7, pcd7, sizeof pcd7);
			if (postcode_split_loose(pcd7, &loose) != 0 ||
			    memcmp(&loose, &pc, sizeof pc) != 0) {
				if (bad++ < 20)
					print_error("live \"%s\": split_loose"
					    " differs\n", pcd7);
			}
		}
	}
	fclose(fp);
	print_message("onspd sample: %d live postcodes, %d failed\n", live,
	    bad);
	assert_true(live > 0);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_none_is_zeroed),
		cmocka_unit_test(test_parse_n_stops_at_len),
		cmocka_unit_test(test_normalise_outlen),
		cmocka_unit_test(test_onspd_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
