/*
 * test_message_property.c -- every live postcode of the ONSPD sample,
 * in free-text shapes people use, beside a name drawn (seeded) from a
 * list of real-world names of many origins, comes back as it went in.
 * Skipped when the sample is not there (../shared/data/postcodes, or
 * $ONSPD_SAMPLE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "message.h"

static const char *const names[] = {
	"Jane Smith", "Olu Adeyemi", "Priya Patel", "Siân Llewellyn",
	"Mohammed Ali", "Zoë O'Neill", "Kwame Mensah", "Aisha Khan",
	"Li Wei", "Nguyễn Văn An", "Ciarán Ó Briain", "Łukasz Żółć",
	"José Álvarez", "Aoife Ní Bhriain", "Dafydd ap Llŷr", "Fatima Begum",
	"Chidi Okeke", "Hiroshi Tanaka", "Ewa Kowalczyk", "Ravinder Kaur",
	"Tariq Al-Amin", "Mei-Ling Wong", "Björn Åström", "Eilidh MacLeod",
	"Ngozi Eze", "Dmitri Volkov", "Ayesha Siddiqui", "Lucas da Silva",
	"Rhodri ab Owain", "Noor al Din", "Lee Friend", "Ann Good",
	"Rob Still", "Tom Jones", "Gwen Hughes", "Ffion Evans",
	"Kofi Boateng", "Samira El Idrissi", "Elif Yılmaz", "Anne-Marie Brown",
	"Yusuf Osman", "Grace Wu", "Ibrahim Diallo", "Sofia Rossi",
	"Bartosz Nowak", "Carys Jones", "Oisín Byrne", "Amara Okafor",
	"Hamid Karimi", "Deepa Nair", "Jean-Luc Martin", "Sinéad McCarthy",
	"Paolo Bianchi", "Yasmin Begum", "Gareth Price", "Nia Roberts",
	"Ahmed Raza", "Chloe Evans", "Wojciech Nowak", "Ludwig van Beethoven",
};

/* Shapes: %1$s the name, %2$s the postcode. */
static const char *const shapes[] = {
	"%1$s %2$s",
	"%2$s %1$s",
	"%1$s, %2$s",
	"Hi, I'm %1$s, %2$s",
	"%1$s\n%2$s",
	"my name is %1$s and my postcode is %2$s",
	"Hello! %1$s here, %2$s. Thanks",
	"%1$s - %2$s",
	"Please sign me up. %1$s %2$s x",
	"Name: %1$s\nPostcode: %2$s",
	"Hiya, it's %1$s from %2$s 😊",
	"Count me in! %1$s, %2$s",
};

static uint32_t seed = 20250901;

static uint32_t
next(void)
{
	/* xorshift32: the same texts on every run. */
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

/* The CSV field i of line (no quotes in ONSPD), into out. */
static int
field(const char *line, int i, char *out, size_t n)
{
	const char *p = line, *e;

	while (i-- > 0 && (p = strchr(p, ',')) != NULL)
		p++;
	if (p == NULL)
		return -1;
	e = p + strcspn(p, ",\n");
	if ((size_t)(e - p) >= n)
		return -1;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return 0;
}

static void
test_sample(void **state)
{
	const char *path = getenv("ONSPD_SAMPLE");
	char line[4096], pcds[16], doterm[16], text[512], want[9];
	int ipcds = -1, idoterm = -1, n = 0, bad = 0, skipped = 0;
	struct postcode pc;
	FILE *fp;

	(void)state;
	if (path == NULL || *path == '\0')
		path = "../shared/data/postcodes/"
		    "onspd_sample_postcodesio_2025-09.csv";
	if ((fp = fopen(path, "r")) == NULL) {
		print_message("no %s: skipped\n", path);
		skip();
	}
	assert_non_null(fgets(line, sizeof line, fp));
	for (int i = 0; i < 60; i++) {
		char f[32];
		if (field(line, i, f, sizeof f) == -1)
			break;
		if (!strcmp(f, "pcds"))
			ipcds = i;
		if (!strcmp(f, "doterm"))
			idoterm = i;
	}
	assert_true(ipcds >= 0 && idoterm >= 0);
	assert_int_equal(message_init(), 0);
	while (fgets(line, sizeof line, fp) != NULL) {
		const char *name = names[next() % (sizeof names / sizeof names[0])];
		const char *shape = shapes[next() % (sizeof shapes / sizeof shapes[0])];
		struct signup s;

		if (field(line, ipcds, pcds, sizeof pcds) == -1 ||
		    field(line, idoterm, doterm, sizeof doterm) == -1 ||
		    doterm[0] != '\0')
			continue;	/* terminated: not live */
		/* Codes outside the live format (BFPO and the like) are a
		 * question for postcode.c, not for free text. */
		if (postcode_parse(pcds, &pc) != POSTCODE_FULL ||
		    strcmp(pc.full, pcds) != 0) {
			skipped++;
			continue;
		}
		strcpy(want, pc.full);
		/* Some typed compact, some in lower case. */
		char typed[16];
		if (next() % 3 == 0) {
			snprintf(typed, sizeof typed, "%s%s", pc.district,
			    pc.incode);
		} else
			snprintf(typed, sizeof typed, "%s", pc.full);
		if (next() % 4 == 0)
			for (char *p = typed; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p += 32;
		snprintf(text, sizeof text, shape, name, typed);
		n++;
		assert_int_equal(message_parse(text, strlen(text), &s), 0);
		if (s.postcode.kind == POSTCODE_FULL &&
		    !strcmp(s.postcode.full, want) && !strcmp(s.name, name))
			continue;
		if (++bad <= 20)
			print_error("\"%s\": name \"%s\" postcode %s\n", text,
			    s.name, s.postcode.kind == POSTCODE_FULL ?
			    s.postcode.full : "-");
	}
	fclose(fp);
	message_cleanup();
	print_message("ONSPD sample: %d texts, %d wrong, %d codes outside "
	    "the live format\n", n, bad, skipped);
	assert_true(n > 0);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
