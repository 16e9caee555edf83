/* test_template.c -- reply templates: checks at load, rendering, budgets. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "template.h"

static void
test_check(void **state)
{
	static const struct {
		const char	*tmpl;
		const char	*error;		/* NULL: valid; else a part of the message */
	} cases[] = {
		{ "Hi {name}", NULL },
		{ "Hi[ {name}]! {branch}[ ({distance})]", NULL },
		{ "no fields at all", NULL },
		{ "", NULL },
		{ "Hi {nmae}", "unknown field {nmae}" },
		{ "Hi {name", "\"{\" without \"}\"" },
		{ "Hi name}", "\"}\" without \"{\"" },
		{ "Hi [[{name}]]", "cannot nest" },
		{ "Hi [ {name}", "\"[\" without \"]\"" },
		{ "Hi ] {name}", "\"]\" without \"[\"" },
		{ "{}", "unknown field {}" },
	};
	char err[256];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err[0] = '\0';
		int rc = template_check(cases[i].tmpl, err, sizeof err);
		if (cases[i].error == NULL) {
			if (rc != 0)
				fail_msg("\"%s\": unexpected error %s", cases[i].tmpl, err);
		} else if (rc != -1 || strstr(err, cases[i].error) == NULL)
			fail_msg("\"%s\": expected error \"%s\", got \"%s\"",
			    cases[i].tmpl, cases[i].error, err);
	}
}

static void
test_render(void **state)
{
	static const struct {
		const char	*tmpl;
		const char	*name, *branch, *distance;
		const char	*want;
	} cases[] = {
		{ "Hi[ {name}]!", "Jane", NULL, NULL, "Hi Jane!" },
		{ "Hi[ {name}]!", "", NULL, NULL, "Hi!" },
		{ "Hi[ {name}]!", NULL, NULL, NULL, "Hi!" },
		{ "{branch}[ ({distance})].", NULL, "Leeds", "1.2 miles",
		    "Leeds (1.2 miles)." },
		{ "{branch}[ ({distance})].", NULL, "Leeds", NULL, "Leeds." },
		{ "[{name} at ][{branch}]", "Jo", NULL, NULL, "Jo at " },
		{ "[{name} at ][{branch}]", NULL, NULL, NULL, "" },
		{ "[{name} at {branch}]", "Jo", "Leeds", NULL, "Jo at Leeds" },
		{ "{name}{name}", "Zoë", NULL, NULL, "ZoëZoë" },
		{ "{name}", "{branch}", "Leeds", NULL, "{branch}" },
		/* An empty field before an optional part does not drop it. */
		{ "{name}[ ({branch})]", "", "Leeds", NULL, " (Leeds)" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct template_vars v = { 0 };
		struct buf out;

		v.v[TF_NAME] = cases[i].name;
		v.v[TF_BRANCH] = cases[i].branch;
		v.v[TF_DISTANCE] = cases[i].distance;
		buf_init(&out, 1024);
		assert_int_equal(template_render(cases[i].tmpl, &v, &out), 0);
		if (strcmp(out.data ? out.data : "", cases[i].want) != 0)
			fail_msg("\"%s\": expected \"%s\", got \"%s\"",
			    cases[i].tmpl, cases[i].want, out.data);
		buf_release(&out);
	}
}

static void
test_render_bounded(void **state)
{
	struct template_vars v = { 0 };
	struct buf out;

	v.v[TF_NAME] = "a long long name";
	buf_init(&out, 8);
	assert_int_equal(template_render("Hi {name}", &v, &out), -1);
	assert_true(out.len <= 8);
	buf_release(&out);
}

#define REPLY	"Hi[ {name}]! Your nearest branch is {branch}[, meeting " \
		"{meets}][ ({distance})]. Reply STOP to opt out."
#define MEETS_154 "Thursdays at 7pm in the Friends Meeting House, " \
		"188 Mount Street, Manchester"
#define MEETS_180 "every Thursday at 7pm in the upstairs room of the " \
		"Friends Meeting House, 188 Mount Street, Manchester"
#define W10	"aaaa bbbb "
#define W170	W10 W10 W10 W10 W10 W10 W10 W10 W10 W10 W10 W10 W10 W10 W10 \
		W10 W10

static void
test_render_budget(void **state)
{
	static const struct {
		const char	*tmpl;
		const char	*name, *branch, *meets, *distance, *contact;
		int		 max_segments;
		const char	*want;
		int		 encoding, units, segments;
	} cases[] = {
		/* Fits: untouched. */
		{ REPLY, "Jane", "Leeds Central", "Thursdays 7pm", "1.2 miles",
		    NULL, 1, "Hi Jane! Your nearest branch is Leeds Central, "
		    "meeting Thursdays 7pm (1.2 miles). Reply STOP to opt out.",
		    SMS_GSM7, 104, 1 },
		/* 166 septets: the last optional part goes, and that is
		 * enough (154). */
		{ REPLY, "Jane", "Leeds Central", MEETS_154, "1.2 miles", NULL,
		    1, "Hi Jane! Your nearest branch is Leeds Central, meeting "
		    MEETS_154 ". Reply STOP to opt out.", SMS_GSM7, 154, 1 },
		/* 192, then 180: the next one goes too; the name stays. */
		{ REPLY, "Jane", "Leeds Central", MEETS_180, "1.2 miles", NULL,
		    1, "Hi Jane! Your nearest branch is Leeds Central. Reply "
		    "STOP to opt out.", SMS_GSM7, 69, 1 },
		/* An optional part left out for an empty field is not one
		 * to drop: the meeting is the last one kept. */
		{ REPLY, "Jane", "Leeds Central", MEETS_180, NULL, NULL, 1,
		    "Hi Jane! Your nearest branch is Leeds Central. Reply STOP "
		    "to opt out.", SMS_GSM7, 69, 1 },
		/* Two segments allowed: 192 septets fit as they are. */
		{ REPLY, "Jane", "Leeds Central", MEETS_180, "1.2 miles", NULL,
		    2, "Hi Jane! Your nearest branch is Leeds Central, meeting "
		    MEETS_180 " (1.2 miles). Reply STOP to opt out.",
		    SMS_GSM7, 192, 2 },
		/* No budget. */
		{ REPLY, "Jane", "Leeds Central", MEETS_180, "1.2 miles", NULL,
		    0, "Hi Jane! Your nearest branch is Leeds Central, meeting "
		    MEETS_180 " (1.2 miles). Reply STOP to opt out.",
		    SMS_GSM7, 192, 2 },
		{ REPLY, "Jane", "Leeds Central", MEETS_180, "1.2 miles", NULL,
		    -1, "Hi Jane! Your nearest branch is Leeds Central, meeting "
		    MEETS_180 " (1.2 miles). Reply STOP to opt out.",
		    SMS_GSM7, 192, 2 },
		/* Nothing optional left to drop: the shortest text, whole,
		 * over budget. */
		{ "{meets}[ ({distance})]", NULL, NULL, W170, "1.2 miles", NULL,
		    1, W170, SMS_GSM7, 170, 2 },
		{ "{meets}", NULL, NULL, W170, NULL, NULL, 1, W170, SMS_GSM7,
		    170, 2 },
		/* An accented name makes it UCS-2, 70 units a segment:
		 * 104 units, then 92, then 69 with the name kept. */
		{ REPLY, "Si\u00e2n", "Leeds Central", "Thursdays 7pm",
		    "1.2 miles", NULL, 1, "Hi Si\u00e2n! Your nearest branch is "
		    "Leeds Central. Reply STOP to opt out.", SMS_UCS2, 69, 1 },
		/* The same without the accent is GSM-7 and fits. */
		{ REPLY, "Sian", "Leeds Central", "Thursdays 7pm", "1.2 miles",
		    NULL, 1, "Hi Sian! Your nearest branch is Leeds Central, "
		    "meeting Thursdays 7pm (1.2 miles). Reply STOP to opt out.",
		    SMS_GSM7, 104, 1 },
		/* Two UCS-2 segments allowed: 104 units fit. */
		{ REPLY, "Si\u00e2n", "Leeds Central", "Thursdays 7pm",
		    "1.2 miles", NULL, 2, "Hi Si\u00e2n! Your nearest branch is "
		    "Leeds Central, meeting Thursdays 7pm (1.2 miles). Reply "
		    "STOP to opt out.", SMS_UCS2, 104, 2 },
		/* Dropping the part with the accent makes the rest GSM-7. */
		{ "{branch} meets {meets}[. Organiser: {contact}]", NULL,
		    "Leeds Central", "Thursdays at 7pm, Friends Meeting House",
		    NULL, "Si\u00e2n Jones", 1, "Leeds Central meets Thursdays "
		    "at 7pm, Friends Meeting House", SMS_GSM7, 59, 1 },
		{ "", NULL, NULL, NULL, NULL, NULL, 1, "", SMS_GSM7, 0, 1 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct template_vars v = { 0 };
		struct sms_count c;
		struct buf out;

		v.v[TF_NAME] = cases[i].name;
		v.v[TF_BRANCH] = cases[i].branch;
		v.v[TF_MEETS] = cases[i].meets;
		v.v[TF_DISTANCE] = cases[i].distance;
		v.v[TF_CONTACT] = cases[i].contact;
		buf_init(&out, 1024);
		memset(&c, 0xa5, sizeof c);
		assert_int_equal(template_render_budget(cases[i].tmpl, &v,
		    cases[i].max_segments, &out, &c), 0);
		if (strcmp(out.data ? out.data : "", cases[i].want) != 0)
			fail_msg("case %zu: expected \"%s\", got \"%s\"", i,
			    cases[i].want, out.data);
		if (c.encoding != cases[i].encoding ||
		    c.units != cases[i].units ||
		    c.segments != cases[i].segments)
			fail_msg("case %zu: expected %d/%d/%d, got %d/%d/%d", i,
			    cases[i].encoding, cases[i].units,
			    cases[i].segments, c.encoding, c.units, c.segments);
		buf_release(&out);
	}
}

/* Without a budget it renders exactly as template_render does. */
static void
test_render_budget_same(void **state)
{
	static const char *tmpls[] = {
		REPLY, "Hi[ {name}]!", "[{name} at ][{branch}]",
		"{name}{name}", "[{name} at {branch}]", "",
	};
	static const char *names[] = { NULL, "", "Jo", "Zo\u00eb", MEETS_180 };

	for (size_t i = 0; i < sizeof tmpls / sizeof tmpls[0]; i++)
		for (size_t j = 0; j < sizeof names / sizeof names[0]; j++) {
			struct template_vars v = { 0 };
			struct buf a, b;

			v.v[TF_NAME] = names[j];
			v.v[TF_BRANCH] = "Leeds";
			buf_init(&a, 1024);
			buf_init(&b, 1024);
			assert_int_equal(template_render(tmpls[i], &v, &a), 0);
			assert_int_equal(template_render_budget(tmpls[i], &v, 0,
			    &b, NULL), 0);
			assert_int_equal(a.len, b.len);
			assert_memory_equal(a.data, b.data, a.len);
			buf_release(&a);
			buf_release(&b);
		}
}

/* Like template_render it appends, and counts only what it appended. */
static void
test_render_budget_appends(void **state)
{
	struct template_vars v = { 0 };
	struct sms_count c;
	struct buf out;

	v.v[TF_NAME] = "Jane";
	v.v[TF_BRANCH] = "Leeds Central";
	v.v[TF_MEETS] = MEETS_180;
	v.v[TF_DISTANCE] = "1.2 miles";
	buf_init(&out, 1024);
	assert_int_equal(buf_puts(&out, "\u00e2\u00e2\u00e2 "), 0);
	assert_int_equal(template_render_budget(REPLY, &v, 1, &out, &c), 0);
	assert_string_equal(out.data, "\u00e2\u00e2\u00e2 Hi Jane! Your "
	    "nearest branch is Leeds Central. Reply STOP to opt out.");
	assert_int_equal(c.encoding, SMS_GSM7);
	assert_int_equal(c.units, 69);
	assert_int_equal(c.segments, 1);
	buf_release(&out);
}

static void
test_render_budget_bounded(void **state)
{
	struct template_vars v = { 0 };
	struct sms_count c = { 0 };
	struct buf out;

	v.v[TF_NAME] = "a long long name";
	buf_init(&out, 8);
	assert_int_equal(template_render_budget("Hi {name}", &v, 1, &out, &c),
	    -1);
	assert_true(out.len <= 8);
	buf_release(&out);
	/* Full before any part could be dropped: still -1. */
	buf_init(&out, 8);
	assert_int_equal(template_render_budget("Hi[ {name}]", &v, 1, &out,
	    NULL), -1);
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_bounded),
		cmocka_unit_test(test_render_budget),
		cmocka_unit_test(test_render_budget_same),
		cmocka_unit_test(test_render_budget_appends),
		cmocka_unit_test(test_render_budget_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
