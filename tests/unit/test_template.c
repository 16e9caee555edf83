/* test_template.c -- reply templates: checks at load, rendering. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
