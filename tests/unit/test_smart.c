/* test_smart.c -- smart encoding of outgoing SMS, and where a reply's
 * wording comes from (database rows over gateway.conf). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "reply.h"
#include "segments.h"
#include "util.h"

/* What each character becomes, with punctuation alone and with letters. */
static void
test_smarten(void **state)
{
	static const struct {
		const char	*in;
		const char	*punct;		/* SMS_PUNCT */
		const char	*letters;	/* SMS_PUNCT | SMS_LETTERS */
	} cases[] = {
		{ "", "", "" },
		{ "plain text", "plain text", "plain text" },
		{ "\u2018single\u2019 \u201cdouble\u201d", "'single' \"double\"",
		    "'single' \"double\"" },
		{ "it\u2019s", "it's", "it's" },
		{ "\u201elow\u201f \u00abguil\u00bb", "\"low\" \"guil\"",
		    "\"low\" \"guil\"" },
		{ "a\u2013b\u2014c\u2212d\u2010e\u2011f", "a-b-c-d-e-f",
		    "a-b-c-d-e-f" },
		{ "wait\u2026", "wait...", "wait..." },
		{ "no\u00a0break\u2009thin\u202fnarrow\u3000ideo\tab",
		    "no break thin narrow ideo ab", "no break thin narrow ideo ab" },
		{ "zero\u200bwidth\ufeff soft\u00adhyphen", "zerowidth softhyphen",
		    "zerowidth softhyphen" },
		{ "`grave\u00b4", "'grave'", "'grave'" },
		{ "a `b` c", "a 'b' c", "a 'b' c" },
		{ "tab\there", "tab here", "tab here" },
		{ "two\nlines\r\n", "two\nlines\r\n", "two\nlines\r\n" },
		/* GSM-7 has these: never touched. */
		{ "caf\u00e9 \u00fcber \u00c4 \u00e0 \u00f1 \u00df \u20ac \u00a3",
		    "caf\u00e9 \u00fcber \u00c4 \u00e0 \u00f1 \u00df \u20ac \u00a3",
		    "caf\u00e9 \u00fcber \u00c4 \u00e0 \u00f1 \u00df \u20ac \u00a3" },
		/* Welsh: letters only with SMS_LETTERS. */
		{ "\u0175yl \u0177 T\u0177 \u0174 \u0176", "\u0175yl \u0177 T\u0177 \u0174 \u0176",
		    "wyl y Ty W Y" },
		{ "\u00e2 \u00ea \u00ee \u00f4 \u00fb \u00ef \u00eb", "\u00e2 \u00ea \u00ee \u00f4 \u00fb \u00ef \u00eb",
		    "a e i o u i e" },
		{ "\u1e81 \u1e83 \u1e85 \u1ef3", "\u1e81 \u1e83 \u1e85 \u1ef3",
		    "w w w y" },
		{ "\u0141\u00f3d\u017a \u00c7a \u00e7a", "\u0141\u00f3d\u017a \u00c7a \u00e7a",
		    "Lodz \u00c7a ca" },
		/* Nothing to put in their place: left as they are. */
		{ "\u263a \u0153 \u4e2d", "\u263a \u0153 \u4e2d", "\u263a \u0153 \u4e2d" },
		/* An invalid byte is copied, not dropped. */
		{ "a\xff\u2019", "a\xff'", "a\xff'" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int pass = 0; pass < 2; pass++) {
			struct buf out;
			const char *want = pass ? cases[i].letters : cases[i].punct;
			buf_init(&out, 0);
			assert_int_equal(sms_smarten(cases[i].in,
			    strlen(cases[i].in), pass ? SMS_PUNCT | SMS_LETTERS :
			    SMS_PUNCT, &out), 0);
			/* What sms_smart_needed passes over must come out
			 * as it went in. */
			if (!sms_smart_needed(cases[i].in) &&
			    strcmp(want, cases[i].in) != 0)
				fail_msg("case %zu: \"%s\" would change, but "
				    "is not said to need it", i, cases[i].in);
			if (strcmp(out.data ? out.data : "", want) != 0)
				fail_msg("case %zu pass %d: \"%s\" gave \"%s\", "
				    "expected \"%s\"", i, pass, cases[i].in,
				    out.data, want);
			buf_release(&out);
		}
	}
}

/* The characters named as forcing UCS-2. */
static void
test_ucs2_chars(void **state)
{
	static const struct {
		const char	*in;
		const char	*chars;		/* joined by spaces */
	} cases[] = {
		{ "plain [text] \u20ac", "" },
		{ "Croeso i'r \u0175yl, T\u0177 \u0175", "\u0175 \u0177" },
		{ "\u263a\u263a \u00e2", "\u263a \u00e2" },
		{ "\u2019", "\u2019" },		/* before smart encoding */
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sms_char v[8];
		char got[64] = "";
		int n = sms_ucs2_chars(cases[i].in, v, 8);
		for (int j = 0; j < n; j++) {
			if (j)
				strcat(got, " ");
			strcat(got, v[j].utf8);
		}
		if (strcmp(got, cases[i].chars) != 0)
			fail_msg("\"%s\": got \"%s\", expected \"%s\"",
			    cases[i].in, got, cases[i].chars);
	}
}

/* A reply as sent: punctuation always plain; letters by the instance's
 * choice, the supporter's name only when transliterate_names says so, and
 * only when that makes the reply GSM-7. */
static void
test_render(void **state)
{
	static const struct {
		const char	*tmpl;
		const char	*name;
		int		 translit, names;
		const char	*want;
		int		 encoding;
	} cases[] = {
		{ "Hi {name} \u2013 it\u2019s \u201con\u201d\u2026", "Jane", 0, 0,
		    "Hi Jane - it's \"on\"...", SMS_GSM7 },
		{ "Croeso i\u2019r \u0175yl, {name}", "Jane", 0, 0,
		    "Croeso i'r \u0175yl, Jane", SMS_UCS2 },
		{ "Croeso i\u2019r \u0175yl, {name}", "Jane", 1, 0,
		    "Croeso i'r wyl, Jane", SMS_GSM7 },
		/* The name keeps it UCS-2: the true letters cost no more. */
		{ "Croeso i\u2019r \u0175yl, {name}", "Gwenll\u0175an", 1, 0,
		    "Croeso i'r \u0175yl, Gwenll\u0175an", SMS_UCS2 },
		{ "Croeso i\u2019r \u0175yl, {name}", "Gwenll\u0175an", 1, 1,
		    "Croeso i'r wyl, Gwenllwan", SMS_GSM7 },
		/* Punctuation in a name is plain too. */
		{ "Hi {name}", "O\u2019Brien", 0, 0, "Hi O'Brien", SMS_GSM7 },
		{ "Hi[ {name}]!", "", 1, 1, "Hi!", SMS_GSM7 },
	};
	struct config *cf = config_defaults();

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct reply_ctx rc = { .cf = cf,
		    .transliterate = cases[i].translit,
		    .transliterate_names = cases[i].names };
		struct template_vars v = { { 0 } };
		struct sms_count full, sent;
		struct buf out;

		v.v[TF_NAME] = cases[i].name;
		buf_init(&out, 2048);
		assert_int_equal(reply_render(&rc, cases[i].tmpl, &v, &out,
		    &full, &sent), 0);
		if (strcmp(out.data, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", expected \"%s\"", i,
			    out.data, cases[i].want);
		assert_int_equal(sent.encoding, cases[i].encoding);
		buf_release(&out);
	}
	config_free(cf);
}

/* campaign + language, language, campaign, default: the row, then
 * gateway.conf, at each. */
static void
test_fallback(void **state)
{
	struct reply_text rows[] = {
		{ "help", "", "", "default row", 0 },
		{ "help", "", "cy", "cy row", 0 },
		{ "help", "spring", "", "spring row", 0 },
		{ "help", "spring", "cy", "spring cy row", 0 },
		{ "stop", "spring", "", "spring stop", 0 },
	};
	struct reply_texts db = { rows, sizeof rows / sizeof rows[0] };
	static const struct {
		int		 kind;
		const char	*campaign, *language, *want;
	} cases[] = {
		{ RK_HELP, NULL, NULL, "default row" },
		{ RK_HELP, "", "", "default row" },
		{ RK_HELP, "spring", "cy", "spring cy row" },
		{ RK_HELP, "autumn", "cy", "cy row" },
		{ RK_HELP, "spring", "en", "spring row" },
		{ RK_HELP, "autumn", "en", "default row" },
		{ RK_STOP, "spring", "en", "spring stop" },
		/* gateway.conf's Welsh before a campaign's English row */
		{ RK_STOP, "spring", "cy", "=cy" },
		{ RK_STOP, NULL, "cy", "=cy" },
		{ RK_START, "spring", "cy", "=cy" },
		{ RK_START, "spring", "en", NULL },	/* gateway.conf */
	};
	struct config *cf = config_defaults();

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct reply_ctx rc = { .cf = cf, .db = &db,
		    .campaign = cases[i].campaign,
		    .language = cases[i].language };
		const char *want = cases[i].want ? cases[i].want :
		    reply_default(cf, cases[i].kind);
		if (!strcmp(want, "=cy"))
			want = config_reply(cf, "cy",
			    reply_kind_name(cases[i].kind));
		assert_string_equal(reply_template(&rc, cases[i].kind), want);
	}
	struct reply_ctx none = { .cf = cf, .campaign = "x", .language = "en" };
	assert_string_equal(reply_template(&none, RK_BRANCH), cf->reply_branch);
	none.language = "cy";
	assert_string_equal(reply_template(&none, RK_BRANCH), cf->cy_branch);
	assert_int_equal(reply_kind("unknown_postcode"), RK_UNKNOWN_POSTCODE);
	assert_int_equal(reply_kind("nope"), -1);
	config_free(cf);
}

/* Every path refuses an unknown field by its name. */
static void
test_check(void **state)
{
	static const struct {
		const char	*text;
		int		 rc;
		const char	*field;
	} cases[] = {
		{ "Hi {name}", 0, "" },
		{ "Hi {nmae}", -1, "nmae" },
		{ "Hi[ {brnach}]", -1, "brnach" },
		{ "", -1, "" },
		{ "Hi [", -1, "" },
	};
	char err[256], field[64];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(reply_check(cases[i].text, err, sizeof err,
		    field, sizeof field), cases[i].rc);
		assert_string_equal(field, cases[i].field);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smarten),
		cmocka_unit_test(test_ucs2_chars),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_fallback),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
