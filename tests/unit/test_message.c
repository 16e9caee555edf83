/*
 * test_message.c -- message.c against tests/cases/message.tsv, plus the
 * limits: threads, the name cap, invalid UTF-8, over-long text.
 */
/* System headers first: cmocka.h redefines malloc and free when
 * UNIT_TESTING is set, as the Makefile does. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "message.h"
#include "cases.h"

struct row {
	int	 line;
	char	*text;
	size_t	 len;
	char	*name;		/* "" for none */
	char	*postcode;	/* "-" for none */
	char	*keyword;	/* "-" for none */
	char	*class;		/* for the score lines */
};

static struct row *rows;
static int nrows;
static char table_path[4096];

/* strdup through malloc, which cmocka may be tracking. */
static char *
xdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	assert_non_null(p);
	memcpy(p, s, n);
	return p;
}

static int
load_table(void **state)
{
	static char line[8192];
	const char *dir = getenv("CASES_DIR");
	char *f[5];
	int lineno = 0, cap_rows = 0;
	FILE *fp;

	(void)state;
	snprintf(table_path, sizeof table_path, "%s/message.tsv",
	    dir != NULL && *dir != '\0' ? dir : "tests/cases");
	if ((fp = fopen(table_path, "r")) == NULL) {
		print_error("cannot open %s (run from the repo root or set "
		    "CASES_DIR)\n", table_path);
		return -1;
	}
	while (fgets(line, sizeof line, fp) != NULL) {
		struct row *r;
		int nf = 1;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			print_error("%s:%d: line too long\n", table_path,
			    lineno);
			fclose(fp);
			return -1;
		}
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		f[0] = line;
		for (char *p = line; *p && nf < 5; p++)
			if (*p == '\t') {
				*p = '\0';
				f[nf++] = p + 1;
			}
		if (nf != 5 || strchr(f[4], '\t') != NULL || *f[4] == '\0') {
			print_error("%s:%d: want 5 tab-separated fields\n",
			    table_path, lineno);
			fclose(fp);
			return -1;
		}
		if (nrows == cap_rows) {
			cap_rows = cap_rows ? cap_rows * 2 : 256;
			rows = realloc(rows, (size_t)cap_rows * sizeof *rows);
			if (rows == NULL)
				return -1;
		}
		r = &rows[nrows++];
		r->line = lineno;
		r->text = xdup(f[0]);
		r->len = unescape(r->text);
		r->name = xdup(strcmp(f[1], "-") == 0 ? "" : f[1]);
		unescape(r->name);
		r->postcode = xdup(f[2]);
		r->keyword = xdup(f[3]);
		r->class = xdup(f[4]);
	}
	fclose(fp);
	return 0;
}

static int
setup(void **state)
{
	(void)state;
	if (message_init() != 0)
		return -1;
	return load_table(state);
}

static int
teardown(void **state)
{
	(void)state;
	for (int i = 0; i < nrows; i++) {
		free(rows[i].text);
		free(rows[i].name);
		free(rows[i].postcode);
		free(rows[i].keyword);
		free(rows[i].class);
	}
	free(rows);
	rows = NULL;
	nrows = 0;
	message_cleanup();
	return 0;
}

static const char *
postcode_text(const struct signup *s)
{
	switch (s->postcode.kind) {
	case POSTCODE_FULL:
		return s->postcode.full;
	case POSTCODE_OUTCODE:
		return s->postcode.district;
	default:
		return "-";
	}
}

/* "STOP", "-", "campaign=strike", "STOP campaign=strike": the table's
 * keyword column. */
static const char *
keyword_text(const struct signup *s)
{
	static _Thread_local char text[96];
	const char *k = keyword_name(s->keyword);

	if (s->campaign[0] == '\0')
		return k != NULL ? k : "-";
	snprintf(text, sizeof text, "%s%scampaign=%s", k ? k : "", k ? " " : "",
	    s->campaign);
	return text;
}

/* The campaigns the table's rows are parsed with, as a gateway.conf with
 * [campaign strike] keyword = STRIKE, WALKOUT and [campaign save-nhs]
 * keyword = NHS would give them. */
static const struct message_campaign table_campaigns[] = {
	{ "strike", "strike" }, { "walkout", "strike" }, { "nhs", "save-nhs" },
};
static const struct message_places table_places = {
	NULL, 0, NULL, 0, NULL, 0, table_campaigns, 3
};

/*
 * 1 when the signup is what row r expects.  A question or a chat reply
 * must be one (it makes no lead), an opt-out phrase must be one (its
 * evidence says so), and a row of any other class must be neither.
 */
static int
row_ok(const struct row *r, const struct signup *s)
{
	int asked = s->kind == MESSAGE_QUESTION || s->kind == MESSAGE_CHAT;

	if (strcmp(s->name, r->name) != 0 ||
	    strcmp(postcode_text(s), r->postcode) != 0 ||
	    strcmp(keyword_text(s), r->keyword) != 0)
		return 0;
	if (!strcmp(r->class, "question") || !strcmp(r->class, "chat"))
		return asked;
	if (!strcmp(r->class, "optout-phrase"))
		return s->kind == MESSAGE_OPTOUT_PHRASE;
	return !asked || (r->name[0] == '\0' && !strcmp(r->postcode, "-"));
}

#define MAX_CLASSES	32

struct score {
	const char	*class;
	int		 n, ok;
};

static void
test_table(void **state)
{
	struct score sc[MAX_CLASSES];
	int bad = 0, nsc = 0, c;

	(void)state;
	for (int i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		struct signup s;

		assert_int_equal(message_parse_with(r->text, r->len,
		    &table_places, &s), 0);
		for (c = 0; c < nsc && strcmp(sc[c].class, r->class); c++)
			;
		if (c == nsc) {
			assert_true(nsc < MAX_CLASSES);
			sc[nsc].class = r->class;
			sc[nsc].n = sc[nsc].ok = 0;
			nsc++;
		}
		sc[c].n++;
		if (row_ok(r, &s)) {
			sc[c].ok++;
			continue;
		}
		bad++;
		print_error("%s:%d: \"%s\" (%s)\n"
		    "    expected name \"%s\" postcode %s keyword %s\n"
		    "    actual   name \"%s\" postcode %s keyword %s, %s\n",
		    table_path, r->line, r->text, r->class, r->name,
		    r->postcode, r->keyword, s.name, postcode_text(&s),
		    keyword_text(&s), message_kind_name(s.kind));
	}
	for (c = 0; c < nsc; c++)
		print_message("  %-16s %4d/%-4d %5.1f%%\n", sc[c].class,
		    sc[c].ok, sc[c].n, 100.0 * sc[c].ok / sc[c].n);
	print_message("message.tsv: %d cases, %d failed\n", nrows, bad);
	assert_true(nrows >= 600);
	assert_int_equal(bad, 0);
}

static struct signup *expect;

/* Every row, many times over, from each thread: all as parsed alone. */
static void *
parse_all(void *arg)
{
	intptr_t bad = 0;

	(void)arg;
	for (int pass = 0; pass < 50; pass++)
		for (int i = 0; i < nrows; i++) {
			struct signup s;

			if (message_parse(rows[i].text, rows[i].len, &s) != 0 ||
			    s.keyword != expect[i].keyword ||
			    strcmp(s.name, expect[i].name) != 0 ||
			    memcmp(&s.postcode, &expect[i].postcode,
			    sizeof s.postcode) != 0)
				bad++;
		}
	return (void *)bad;
}

static void
test_threads(void **state)
{
	pthread_t th[2];
	void *res;

	(void)state;
	expect = calloc((size_t)nrows, sizeof *expect);
	assert_non_null(expect);
	for (int i = 0; i < nrows; i++)
		assert_int_equal(message_parse(rows[i].text, rows[i].len,
		    &expect[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, parse_all, NULL),
		    0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(th[i], &res), 0);
		assert_int_equal((intptr_t)res, 0);
	}
	free(expect);
	expect = NULL;
}

/* Is s valid UTF-8 (and so cut on a character boundary)? */
static int
valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 :
		    (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;

		if (n == 0)
			return 0;
		for (int i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		p += n;
	}
	return 1;
}

static int
count_words(const char *s)
{
	int n = 0, in = 0;

	for (; *s; s++) {
		if (*s == ' ')
			in = 0;
		else if (!in) {
			in = 1;
			n++;
		}
	}
	return n;
}

static void
test_name_cap(void **state)
{
	char text[1024];
	struct signup s;
	size_t n = 0;

	(void)state;
	/* 200 two-byte letters: the cap falls between two characters. */
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "é");
	n += (size_t)snprintf(text + n, sizeof text - n, " SE1 7PB");
	assert_int_equal(message_parse(text, n, &s), 0);
	assert_true(strlen(s.name) <= MESSAGE_MAX_NAME - 1);
	assert_true(strlen(s.name) >= MESSAGE_MAX_NAME - 3);
	assert_true(valid_utf8(s.name));
	assert_string_equal(s.postcode.full, "SE1 7PB");

	/* Three-byte letters, so 127 is not a multiple of the width. */
	n = 0;
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "Ŵ");
	assert_int_equal(message_parse(text, n, &s), 0);
	assert_true(strlen(s.name) <= MESSAGE_MAX_NAME - 1);
	assert_true(valid_utf8(s.name));

	/* e + combining acute: never cut between a letter and its mark. */
	n = 0;
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "e\xcc\x81");
	assert_int_equal(message_parse(text, n, &s), 0);
	assert_true(strlen(s.name) <= MESSAGE_MAX_NAME - 1);
	assert_int_equal(strlen(s.name) % 3, 0);

	/* Many short words: a few at most make a name. */
	n = (size_t)snprintf(text, sizeof text, "%s",
	    "Anna Beth Cara Dana Emma Fern Gail Hope Iris SE1 7PB");
	assert_int_equal(message_parse(text, n, &s), 0);
	assert_true(count_words(s.name) <= 5);
	assert_string_equal(s.postcode.full, "SE1 7PB");

	/* Long words with spaces: still at most the cap. */
	n = 0;
	for (int i = 0; i < 5; i++)
		n += (size_t)snprintf(text + n, sizeof text - n,
		    "Abcdefghijklmnopqrstuvwxyzabcdefghij ");
	assert_int_equal(message_parse(text, n, &s), 0);
	assert_true(strlen(s.name) <= MESSAGE_MAX_NAME - 1);
	assert_true(s.name[strlen(s.name) - 1] != ' ');
}

static void
test_invalid_utf8(void **state)
{
	static const char *bad[] = {
		"\x80", "\xbf\xbf", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80",
		"\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
		"\xfe", "\xff", "\xc3", "\xe2\x82", "\xf0\x9f\x98",
	};
	static const char mix[] = "aZ1 9Oo'-eS\xc3\xa9\n";
	unsigned char buf[300];
	uint32_t seed = 12345;
	struct signup s;
	char text[64];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int n = snprintf(text, sizeof text, "Jane%sSmith SE1 7PB",
		    bad[i]);

		assert_int_equal(message_parse(text, (size_t)n, &s), 0);
		assert_string_equal(s.name, "Jane Smith");
		assert_string_equal(s.postcode.full, "SE1 7PB");
	}
	/* Random bytes: no crash, and a name that is valid UTF-8. */
	for (int round = 0; round < 20000; round++) {
		size_t len = (seed >> 8) % sizeof buf;

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (unsigned char)(seed >> 16);
			/* Mix in letters, digits and spaces often. */
			if ((buf[i] & 3) == 0)
				buf[i] = (unsigned char)mix[buf[i] %
				    (sizeof mix - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		assert_int_equal(message_parse((const char *)buf, len, &s),
		    0);
		assert_true(strlen(s.name) < MESSAGE_MAX_NAME);
		assert_true(valid_utf8(s.name));
	}
	/* NULs are bytes like any other. */
	assert_int_equal(message_parse("Jane\0Smith SE1 7PB", 18, &s), 0);
	assert_string_equal(s.name, "Jane Smith");
	assert_int_equal(message_parse(NULL, 0, &s), 0);
	assert_int_equal(s.postcode.kind, POSTCODE_NONE);
}

static void
test_long_text(void **state)
{
	/* No NUL at the end: ASan's redzone sees any read past len. */
	static char text[MESSAGE_MAX_TEXT + 1000];
	size_t len = sizeof text;
	struct signup s;

	(void)state;
	/* A postcode past the limit is not seen. */
	memset(text, ' ', len);
	memcpy(text, "Jane Smith", 10);
	memcpy(text + MESSAGE_MAX_TEXT + 10, "SE1 7PB", 7);
	assert_int_equal(message_parse(text, len, &s), 0);
	assert_string_equal(s.name, "Jane Smith");
	assert_int_equal(s.postcode.kind, POSTCODE_NONE);

	/* One ending right at the limit is. */
	memset(text, ' ', len);
	memcpy(text, "Jane Smith", 10);
	memcpy(text + MESSAGE_MAX_TEXT - 7, "SE1 7PB", 7);
	assert_int_equal(message_parse(text, len, &s), 0);
	assert_string_equal(s.postcode.full, "SE1 7PB");

	/* One cut by the limit is not: "SE1 7" is a broken postcode... */
	memset(text + MESSAGE_MAX_TEXT - 7, ' ', 7);
	memcpy(text + MESSAGE_MAX_TEXT - 5, "SE1 7PB", 7);
	assert_int_equal(message_parse(text, len, &s), 0);
	assert_int_equal(s.postcode.kind, POSTCODE_NONE);

	/* ...and "SE1" alone a district. */
	memset(text + MESSAGE_MAX_TEXT - 5, ' ', 7);
	memcpy(text + MESSAGE_MAX_TEXT - 4, "SE1 7PB", 7);
	assert_int_equal(message_parse(text, len, &s), 0);
	assert_int_equal(s.postcode.kind, POSTCODE_OUTCODE);
	assert_string_equal(s.postcode.district, "SE1");

	/* A character cut by the limit reads as a space. */
	memset(text, 'a', len);
	memcpy(text, "Jane ", 5);
	memcpy(text + MESSAGE_MAX_TEXT - 1, "\xc3\xa9", 2);
	assert_int_equal(message_parse(text, len, &s), 0);
	assert_true(valid_utf8(s.name));

	/* Worst case for the tokeniser: one-letter words throughout. */
	for (size_t i = 0; i < len; i++)
		text[i] = i % 2 ? ' ' : 'b';
	assert_int_equal(message_parse(text, len, &s), 0);
	assert_true(count_words(s.name) <= 5);
}

static void
test_keyword_names(void **state)
{
	(void)state;
	assert_string_equal(keyword_name(KEYWORD_STOP), "STOP");
	assert_string_equal(keyword_name(KEYWORD_START), "START");
	assert_string_equal(keyword_name(KEYWORD_HELP), "HELP");
	assert_string_equal(keyword_name(KEYWORD_WELSH), "CYMRAEG");
	assert_string_equal(keyword_name(KEYWORD_ENGLISH), "ENGLISH");
	assert_null(keyword_name(KEYWORD_NONE));
}

/* A slip is repaired only into a district the caller knows to be real;
 * a postcode typed in a valid shape stays one whatever the list says. */
static void
test_districts(void **state)
{
	static const char *const areas[] = { "B", "CO", "M", "PO", "WV" };
	static const char *const districts[] = { "B1", "CO1", "M1", "PO7",
	    "WV10" };
	static const struct message_places known = {
		areas, 5, districts, 5, NULL, 0, NULL, 0
	};
	static const char *const few[] = { "B1", "M1" };
	static const struct message_places other = {
		areas, 5, few, 2, NULL, 0, NULL, 0
	};
	static const struct {
		const char			*text;
		const struct message_places	*places;
		const char			*postcode;	/* "" none */
	} cases[] = {
		{ "Jane P07 5AB", &known, "PO7 5AB" },
		{ "Jane C01 1AA", &known, "CO1 1AA" },
		{ "Tom WV1O 0AA", &known, "WV10 0AA" },
		/* PO7 and WV10 not known: no repair, the text as typed
		 * (a valid shape) stays, to be told it is not found. */
		{ "Jane P07 5AB", &other, "P07 5AB" },
		{ "Tom WV1O 0AA", &other, "" },	/* AA9A: London only */
		{ "Ann C01 1AA", &other, "C01 1AA" },
		{ "Jane M1 1AD", &other, "M1 1AD" },	/* as typed: kept */
		{ "Ravi PatelB1 2TT", &known, "B1 2TT" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct signup s;
		assert_int_equal(message_parse_with(cases[i].text,
		    strlen(cases[i].text), cases[i].places, &s), 0);
		if (strcmp(s.postcode.kind == POSTCODE_FULL ? s.postcode.full :
		    "", cases[i].postcode) != 0)
			fail_msg("\"%s\": postcode [%s], expected [%s]",
			    cases[i].text, s.postcode.full, cases[i].postcode);
	}
}

/* What config.c refuses as a campaign's keyword, and why. */
static void
test_reserved_words(void **state)
{
	static const struct {
		const char	*word;
		const char	*why;	/* NULL: free for a campaign */
	} cases[] = {
		{ "STOP", "STOP" }, { "stopall", "STOP" }, { "Stopio", "STOP" },
		{ "unsubscribe", "STOP" }, { "remove", "STOP" },
		{ "unsub", "STOP" }, { "START", "START" },
		{ "dechrau", "START" }, { "help", "HELP" }, { "INFO", "HELP" },
		{ "cymorth", "HELP" }, { "join", "JOIN" }, { "YMUNO", "JOIN" },
		{ "cymraeg", "CYMRAEG" }, { "english", "ENGLISH" },
		{ "saesneg", "ENGLISH" }, { "strike", NULL }, { "nhs", NULL },
		{ "streic", NULL }, { "pay2025", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *why = message_reserved_word(cases[i].word);

		if ((why == NULL) != (cases[i].why == NULL) || (why != NULL &&
		    strcmp(why, cases[i].why) != 0))
			fail_msg("\"%s\": reserved as %s, expected %s",
			    cases[i].word, why ? why : "nothing",
			    cases[i].why ? cases[i].why : "nothing");
	}
}

static void
test_not_initialised(void **state)
{
	struct signup s;

	(void)state;
	message_cleanup();
	assert_int_equal(message_parse("STOP", 4, &s), -1);
	assert_int_equal(message_init(), 0);
	assert_int_equal(message_init(), 0);	/* twice is harmless */
	assert_int_equal(message_parse("STOP", 4, &s), 0);
	assert_int_equal(s.keyword, KEYWORD_STOP);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_name_cap),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_keyword_names),
		cmocka_unit_test(test_districts),
		cmocka_unit_test(test_reserved_words),
		cmocka_unit_test(test_not_initialised),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
