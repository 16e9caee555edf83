/*
 * test_reply.c -- which template a reply gets (reply_template's steps:
 * campaign and language, language, campaign, default; the database's row
 * before gateway.conf's at each), which language
 * (language_pick), and bilingual replies within the segment budget.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "branch.h"
#include "config.h"
#include "language.h"
#include "reply.h"
#include "segments.h"
#include "template.h"

static const char conf_text[] =
    "[replies]\n"
    "help = EN help\n"
    "[replies cy]\n"
    "help = CY help\n"
    "[campaign strike]\n"
    "keyword = STRIKE\n"
    "branch = STRIKE branch\n"
    "branch.cy = STRIKE branch cy\n"
    "no_postcode = STRIKE no postcode\n"
    "stop.en = STRIKE stop en\n"
    "[campaign quiet]\n"
    "keyword = QUIET\n"
    "[region Mid Wales]\n"
    "language = cy\n"
    "[region London]\n"
    "language = cy+en\n"
    "[language]\n"
    "default = en\n"
    "wales = cy+en\n";

static struct config *cf;

static int
setup(void **state)
{
	char path[] = "/tmp/test_reply.XXXXXX";
	int fd = mkstemp(path), errors;

	(void)state;
	if (fd == -1 || write(fd, conf_text, sizeof conf_text - 1) !=
	    (ssize_t)(sizeof conf_text - 1)) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	cf = config_parse(path, &errors);
	unlink(path);
	return cf != NULL && errors == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	config_free(cf);
	return 0;
}

static void
test_lookup(void **state)
{
	static const struct {
		const char	*campaign, *language, *name;
		const char	*want;	/* NULL: none; "=cy" the built-in
					   Welsh; "=en" the built-in English */
	} cases[] = {
		/* No campaign: the language's, else the default. */
		{ NULL, "en", "help", "EN help" },
		{ NULL, "cy", "help", "CY help" },
		{ NULL, "cy+en", "help", "CY help" },	/* the Welsh half */
		{ NULL, "cy", "branch", "=cy" },
		{ NULL, "en", "branch", "=en" },
		{ "", "en", "branch", "=en" },
		/* 1. the campaign's in the language */
		{ "strike", "cy", "branch", "STRIKE branch cy" },
		{ "strike", "en", "stop", "STRIKE stop en" },
		/* 2. before the campaign's own, the language's */
		{ "strike", "cy", "no_postcode", "=cy" },
		{ "strike", "cy", "stop", "=cy" },
		/* 3. the campaign's, any language */
		{ "strike", "en", "branch", "STRIKE branch" },
		{ "strike", "en", "no_postcode", "STRIKE no postcode" },
		/* 4. the default */
		{ "strike", "en", "help", "EN help" },
		{ "quiet", "en", "branch", "=en" },
		{ "quiet", "cy", "help", "CY help" },
		{ "no-such", "en", "branch", "=en" },
	};
	struct config *def = config_defaults();

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct reply_ctx ctx = { .cf = cf,
		    .campaign = cases[i].campaign,
		    .language = cases[i].language };
		int kind = reply_kind(cases[i].name);
		const char *got = kind < 0 ? NULL : reply_template(&ctx, kind);
		const char *want = cases[i].want;

		if (want != NULL && !strcmp(want, "=cy"))
			want = config_reply(def, "cy", cases[i].name);
		else if (want != NULL && !strcmp(want, "=en"))
			want = config_reply(def, NULL, cases[i].name);
		if ((got == NULL) != (want == NULL) ||
		    (got != NULL && strcmp(got, want) != 0))
			fail_msg("%s/%s/%s: got [%s], expected [%s]",
			    cases[i].campaign ? cases[i].campaign : "-",
			    cases[i].language, cases[i].name,
			    got ? got : "(none)", want ? want : "(none)");
	}
	/* A campaign's "keyword" is no template. */
	assert_int_equal(reply_kind("keyword"), -1);
	assert_int_equal(reply_kind("nonsense"), -1);
	assert_int_equal(reply_kind("language_set"), RK_LANGUAGE_SET);
	config_free(def);
}

/*
 * The database's rows at each step before gateway.conf's: (C, L), conf
 * [campaign C] name.L, (L), [replies L], (C), [campaign C] name, the
 * default row, [replies].  An English default row never answers a Welsh
 * reader: the built-in Welsh comes first.
 */
static void
test_lookup_db(void **state)
{
	struct reply_text rows[] = {
		{ "help", "", "", "row help", 0 },
		{ "branch", "", "", "row branch", 0 },
		{ "branch", "strike", "", "row strike branch", 0 },
		{ "stop", "strike", "cy", "row strike stop cy", 0 },
		{ "question", "", "cy", "row question cy", 0 },
		{ "question", "", "en", "row question en", 0 },
		{ "start", "quiet", "", "row quiet start", 0 },
		{ "no_postcode", "", "", "row no postcode", 0 },
	};
	struct reply_texts db = { rows, sizeof rows / sizeof rows[0] };
	static const struct {
		const char	*campaign, *language, *name;
		const char	*want;	/* "=cy": the built-in Welsh */
	} cases[] = {
		/* The default row over [replies], for English only. */
		{ NULL, "en", "help", "row help" },
		{ NULL, NULL, "help", "row help" },
		{ NULL, "cy", "help", "CY help" },
		{ NULL, "cy+en", "help", "CY help" },
		{ NULL, "cy", "branch", "=cy" },
		{ NULL, "en", "branch", "row branch" },
		/* (C, L) first of all */
		{ "strike", "cy", "stop", "row strike stop cy" },
		{ "strike", "en", "stop", "STRIKE stop en" },
		/* conf (C, L) over the row (C) */
		{ "strike", "cy", "branch", "STRIKE branch cy" },
		/* the row (C) over conf (C) */
		{ "strike", "en", "branch", "row strike branch" },
		/* (L) over the campaign's */
		{ "strike", "cy", "question", "row question cy" },
		{ "strike", "en", "question", "row question en" },
		{ "quiet", "cy", "start", "=cy" },
		{ "quiet", "en", "start", "row quiet start" },
		/* conf (C) over the default row */
		{ "strike", "en", "no_postcode", "STRIKE no postcode" },
		{ "strike", "cy", "no_postcode", "=cy" },
		{ "quiet", "en", "no_postcode", "row no postcode" },
	};
	struct config *def = config_defaults();

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct reply_ctx ctx = { .cf = cf, .db = &db,
		    .campaign = cases[i].campaign,
		    .language = cases[i].language };
		const char *got = reply_template(&ctx,
		    reply_kind(cases[i].name));
		const char *want = cases[i].want;

		if (!strcmp(want, "=cy"))
			want = config_reply(def, "cy", cases[i].name);
		if (strcmp(got, want) != 0)
			fail_msg("%s/%s/%s: got [%s], expected [%s]",
			    cases[i].campaign ? cases[i].campaign : "-",
			    cases[i].language ? cases[i].language : "-",
			    cases[i].name, got, want);
	}
	config_free(def);
}

static void
test_language_pick(void **state)
{
	struct region mid = { .name = "Mid Wales" }, london = {
	    .name = "london" }, north = { .name = "North West" };
	struct match wales = { .region = &north, .country = "Wales" };
	struct match midw = { .region = &mid, .country = "Wales" };
	struct match lon = { .region = &london, .country = "England" };
	struct match eng = { .region = &north, .country = "England" };
	struct match none = { 0 };
	static struct {
		const char		*chosen;
		const struct match	*m;
		const char		*conv;
		const char		*want;
	} cases[] = {
		{ NULL, NULL, NULL, "en" },		/* 5. default */
		{ NULL, NULL, "cy+en", "cy+en" },	/* 4. conversation */
		{ NULL, NULL, "bogus", "en" },
		{ "", NULL, NULL, "en" },
	};
	const struct {
		const char		*chosen;
		const struct match	*m;
		const char		*conv;
		const char		*want;
	} more[] = {
		{ NULL, &wales, NULL, "cy+en" },	/* 3. country */
		{ NULL, &wales, "en", "cy+en" },	/* over the conversation */
		{ NULL, &midw, NULL, "cy" },		/* 2. region */
		{ NULL, &lon, NULL, "cy+en" },		/* any case */
		{ NULL, &eng, NULL, "en" },
		{ NULL, &eng, "cy", "cy" },
		{ NULL, &none, NULL, "en" },
		{ "en", &wales, NULL, "en" },		/* 1. the number's */
		{ "en", &midw, "cy", "en" },
		{ "cy", &eng, NULL, "cy" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(language_pick(cf, cases[i].chosen,
		    cases[i].m, cases[i].conv), cases[i].want);
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
		if (strcmp(language_pick(cf, more[i].chosen, more[i].m,
		    more[i].conv), more[i].want) != 0)
			fail_msg("case %zu: got %s, expected %s", i,
			    language_pick(cf, more[i].chosen, more[i].m,
			    more[i].conv), more[i].want);
}

/* A bilingual reply: Welsh, a line break, English; both lose their
 * optional parts in turn until the two fit the budget together. */
static void
test_bilingual_budget(void **state)
{
	struct branch b = { .name = "Cardiff", .meets = "Tuesdays 6.30pm, "
	    "Cathays Park", .contact_name = "Rhys Morgan",
	    .contact_phone = "+447700900210",
	    .contact_email = "rhys.morgan@example.org" };
	struct match m = { .kind = MATCH_NEAREST, .branch = &b,
	    .distance_km = 1.4, .country = "Wales" };
	struct signup s = { .kind = MESSAGE_SIGNUP };
	struct reply_ctx ctx = { .cf = cf, .language = "cy+en" };
	struct sms_count c;
	struct buf out;
	const char *nl;

	(void)state;
	strcpy(s.name, "Rhys Jones");
	s.postcode.kind = POSTCODE_FULL;
	strcpy(s.postcode.full, "CF10 1EP");
	for (int max = 1; max <= 4; max++) {
		cf->max_segments = max;
		buf_init(&out, 4096);
		assert_int_equal(reply_compose(&ctx, &s, &m, -1, &out), 0);
		assert_non_null(out.data);
		sms_count(out.data, out.len, &c);
		nl = strchr(out.data, '\n');
		assert_non_null(nl);
		assert_true(strncmp(out.data, "Helo", 4) == 0);
		assert_true(strncmp(nl + 1, "Hi", 2) == 0);
		/* The shortest it can make is over one segment. */
		if (max >= 2)
			assert_true(c.segments <= max);
		/* "milltir" in the Welsh only, "miles" in the English. */
		assert_null(strstr(nl, "milltir"));
		assert_true(strstr(out.data, "mile") == NULL ||
		    strstr(out.data, "mile") > nl);
		buf_release(&out);
	}
	/* ŵ forces UCS-2, and the budget counts it: still two. */
	cf->max_segments = 2;
	strcpy(s.name, "Gwenllian Ŵyn");
	buf_init(&out, 4096);
	assert_int_equal(reply_compose(&ctx, &s, &m, -1, &out), 0);
	sms_count(out.data, out.len, &c);
	assert_int_equal(c.encoding, SMS_UCS2);
	assert_true(c.segments <= 2);
	assert_non_null(strstr(out.data, "\nHi"));
	buf_release(&out);
	/* With then: each language asks in its own words, in its half. */
	ctx.language = "cy+en";
	cf->max_segments = 0;
	strcpy(s.name, "");
	buf_init(&out, 4096);
	assert_int_equal(reply_compose(&ctx, &s, &m, RK_ASK_NAME, &out), 0);
	nl = strchr(out.data, '\n');
	assert_non_null(nl);
	assert_true(strstr(out.data, "Beth yw eich enw?") < nl);
	assert_true(strstr(out.data, "What's your name?") > nl);
	buf_release(&out);
	cf->max_segments = 2;
}

/* The pair drops b's last part, then a's, in turn. */
static void
test_pair_order(void **state)
{
	struct template_vars v = { { [TF_NAME] = "Jo", [TF_BRANCH] = "X" } };
	struct buf out;

	(void)state;
	buf_init(&out, 1024);
	assert_int_equal(template_render_pair_budget("A[ {name}][ {branch}]",
	    &v, "|", "B[ {name}][ {branch}]", &v, 0, &out, NULL), 0);
	assert_string_equal(out.data, "A Jo X|B Jo X");
	buf_release(&out);
	/* 150 + 150 characters: over two segments with every part. */
	char a[512], b[512];
	snprintf(a, sizeof a, "%0150d[ {name}][ {branch}]", 0);
	snprintf(b, sizeof b, "%0150d[ {name}][ {branch}]", 1);
	buf_init(&out, 1024);
	assert_int_equal(template_render_pair_budget(a, &v, "|", b, &v, 2,
	    &out, NULL), 0);
	/* 155 + 1 + 155 septets; two parts hold 306: b's branch goes
	 * (309), a's branch (307), b's name (304), and it fits. */
	char want[512];
	snprintf(want, sizeof want, "%0150d Jo|%0150d", 0, 1);
	assert_string_equal(out.data, want);
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_lookup_db),
		cmocka_unit_test(test_language_pick),
		cmocka_unit_test(test_bilingual_budget),
		cmocka_unit_test(test_pair_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
