/* test_util.c -- phone numbers, e-mail, constant-time compare, CSV. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "csv.h"
#include "util.h"

static void
test_phone(void **state)
{
	static const struct {
		const char *in, *want;		/* want NULL: rejected */
	} cases[] = {
		{ "07700 900123", "+447700900123" },
		{ "07700900123", "+447700900123" },
		{ "+44 7700 900123", "+447700900123" },
		{ "+44 (0)7700 900123", "+447700900123" },
		{ "0044 7700-900123", "+447700900123" },
		{ "(07700) 900 123", "+447700900123" },
		{ "020 7946 0000", "+442079460000" },
		{ "+1 555 0100 123", "+15550100123" },
		{ "7700900123", NULL },
		{ "07700 9001", NULL },
		{ "call me", NULL },
		{ "+0 7700 900123", NULL },
		{ "", NULL },
		{ "++447700900123", NULL },
		{ "0770090012345678901234567890", NULL },
	};
	char out[32];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = phone_normalise(cases[i].in, out, sizeof out);
		if (cases[i].want == NULL) {
			if (rc != -1)
				fail_msg("\"%s\": accepted as %s", cases[i].in, out);
		} else if (rc != 0 || strcmp(out, cases[i].want) != 0)
			fail_msg("\"%s\": expected %s, got %s", cases[i].in,
			    cases[i].want, rc ? "(rejected)" : out);
	}
}

static void
test_email(void **state)
{
	assert_true(email_plausible("ada@example.org"));
	assert_true(email_plausible("a.b+c@mail.example.co.uk"));
	assert_false(email_plausible("ada"));
	assert_false(email_plausible("@example.org"));
	assert_false(email_plausible("ada@example"));
	assert_false(email_plausible("ada@@example.org"));
	assert_false(email_plausible("ada @example.org"));
	assert_false(email_plausible("ada@example."));
}

static void
test_timingsafe(void **state)
{
	assert_true(crypto_secret_eq("secret", 6, "secret", 6));
	assert_false(crypto_secret_eq("secret", 6, "secreT", 6));
	assert_false(crypto_secret_eq("secret", 6, "secret!", 7));
	assert_true(crypto_secret_eq("", 0, "", 0));
}

static void
test_csv(void **state)
{
	static const char input[] =
	    "a,b,c\n"
	    "plain,\"quoted, comma\",\"say \"\"hi\"\"\"\r\n"
	    "\"two\nlines\",,end\n"
	    "bad\"quote,x,y\n"
	    "after,bad,row\n"
	    "\"open,x\n";
	struct csv_reader r;
	FILE *fp = fmemopen((void *)(uintptr_t)input, sizeof input - 1, "r");

	csv_init(&r, fp);
	assert_int_equal(csv_read(&r), 1);
	assert_int_equal(r.nfields, 3);
	assert_int_equal(csv_column(&r, "B"), 1);
	assert_int_equal(csv_column(&r, "d"), -1);

	assert_int_equal(csv_read(&r), 1);
	assert_int_equal(r.lineno, 2);
	assert_string_equal(r.fields[0], "plain");
	assert_string_equal(r.fields[1], "quoted, comma");
	assert_string_equal(r.fields[2], "say \"hi\"");

	assert_int_equal(csv_read(&r), 1);
	assert_int_equal(r.lineno, 3);
	assert_string_equal(r.fields[0], "two\nlines");
	assert_string_equal(r.fields[1], "");
	assert_string_equal(r.fields[2], "end");

	assert_int_equal(csv_read(&r), -1);
	assert_int_equal(r.lineno, 5);
	assert_non_null(r.error);

	assert_int_equal(csv_read(&r), 1);	/* reading goes on */
	assert_int_equal(r.lineno, 6);
	assert_string_equal(r.fields[0], "after");

	assert_int_equal(csv_read(&r), -1);
	assert_string_equal(r.error, "unterminated quoted field");
	assert_int_equal(csv_read(&r), 0);
	csv_release(&r);
	fclose(fp);
}

static void
test_csv_write(void **state)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	csv_write_field(fp, "plain", 0);
	csv_write_field(fp, "a,b", ',');
	csv_write_field(fp, "say \"hi\"", ',');
	csv_write_field(fp, "", ',');
	csv_write_field(fp, " padded", ',');
	fclose(fp);
	assert_string_equal(out, "plain,\"a,b\",\"say \"\"hi\"\"\",,\" padded\"");
	free(out);
}

/* Cells a spreadsheet would run are written as text, and read back as
 * they were. */
static void
test_csv_formula(void **state)
{
	static const struct {
		const char	*value;
		const char	*written;
	} cases[] = {
		{ "=HYPERLINK(\"http://x.invalid\",\"y\")",
		  "\"'=HYPERLINK(\"\"http://x.invalid\"\",\"\"y\"\")\"" },
		{ "+447700900123", "\"'+447700900123\"" },
		{ "-2+3", "\"'-2+3\"" },
		{ "@SUM(A1:A2)", "\"'@SUM(A1:A2)\"" },
		{ "\tcmd", "\"'\tcmd\"" },
		{ "\rcmd", "\"'\rcmd\"" },
		{ "'=already", "\"''=already\"" },
		{ "'quoted", "'quoted" },
		{ "a=b", "a=b" },
		{ "Jane Smith", "Jane Smith" },
		{ "", "" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = NULL, *line;
		size_t len = 0;
		FILE *fp = open_memstream(&out, &len);
		struct csv_reader r;

		csv_write_field(fp, cases[i].value, 0);
		csv_write_field(fp, "x", ',');
		fclose(fp);
		line = xasprintf("%s,x", cases[i].written);
		assert_string_equal(out, line);
		free(line);

		fp = fmemopen(out, len, "r");
		csv_init(&r, fp);
		assert_int_equal(csv_read(&r), 1);
		assert_int_equal(r.nfields, 2);
		assert_string_equal(r.fields[0], cases[i].value);
		csv_release(&r);
		fclose(fp);
		free(out);
	}
}

static void
test_buf(void **state)
{
	struct buf b;

	buf_init(&b, 10);
	assert_int_equal(buf_puts(&b, "0123456789"), 0);
	assert_int_equal(buf_puts(&b, "x"), -1);
	assert_int_equal(b.len, 10);
	buf_reset(&b);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "ok"), 0);
	assert_string_equal(b.data, "42-ok");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_timingsafe),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_write),
		cmocka_unit_test(test_csv_formula),
		cmocka_unit_test(test_buf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
