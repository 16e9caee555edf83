/* test_segments.c -- GSM 03.38 encoding choice and segment counts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "segments.h"

#define D10	"0123456789"

/*
 * A case's text is unit repeated reps times, then tail, so the long ones
 * read as "152 x a, then €" rather than as a wall of letters.
 */
static const struct {
	const char	*unit;
	int		 reps;
	const char	*tail;
	int		 encoding, units, segments;
} cases[] = {
	/* The vectors of docs/providers.md 9.3. */
	{ "", 0, "", SMS_GSM7, 0, 1 },
	{ " ", 160, "", SMS_GSM7, 160, 1 },
	{ " ", 161, "", SMS_GSM7, 161, 2 },
	{ "\f", 80, "", SMS_GSM7, 160, 1 },
	{ "\f", 81, "", SMS_GSM7, 162, 2 },
	{ D10, 16, "", SMS_GSM7, 160, 1 },
	{ D10, 16, "Z", SMS_GSM7, 161, 2 },
	{ D10, 15, "[123456789", SMS_GSM7, 161, 2 },
	{ D10, 30, "012345", SMS_GSM7, 306, 2 },
	{ D10, 30, "0123456", SMS_GSM7, 307, 3 },
	{ "", 0, "\u201cword\u201d", SMS_UCS2, 6, 1 },
	{ D10, 6, "\u263a123456789", SMS_UCS2, 70, 1 },
	{ D10, 6, "\u263a123456789z", SMS_UCS2, 71, 2 },

	/* Plain GSM-7 around the boundaries. */
	{ "a", 1, "", SMS_GSM7, 1, 1 },
	{ "a", 160, "", SMS_GSM7, 160, 1 },
	{ "a", 161, "", SMS_GSM7, 161, 2 },
	{ "a", 306, "", SMS_GSM7, 306, 2 },
	{ "a", 307, "", SMS_GSM7, 307, 3 },
	{ "a", 459, "", SMS_GSM7, 459, 3 },
	{ "a", 460, "", SMS_GSM7, 460, 4 },

	/* Extension characters at the boundaries. */
	{ "a", 158, "\u20ac", SMS_GSM7, 160, 1 },
	{ "a", 159, "\u20ac", SMS_GSM7, 161, 2 },
	/* 154 septets still fit one 160-septet SMS: the 153 limit is only
	 * for parts of a concatenated message. */
	{ "a", 152, "\u20ac", SMS_GSM7, 154, 1 },
	{ "a", 152, "\u20aca\u20ac", SMS_GSM7, 157, 1 },
	{ "a", 152, "\u20ac\u20ac\u20ac\u20ac", SMS_GSM7, 160, 1 },
	/* 161 septets: part 1 is 152 (the € moves whole), part 2 is 9. */
	{ "a", 152, "\u20ac\u20ac\u20ac\u20aca", SMS_GSM7, 161, 2 },
	/* 152 + 2 would straddle 153: the € opens part 2, which then
	 * overflows by one septet although 306 <= 2 x 153. */
	{ "a", 152, "\u20ac" "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa"
	    "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa"
	    "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa"
	    "aaaaaaaaaa" "aa", SMS_GSM7, 306, 3 },
	/* One plain character earlier and the € ends part 1 exactly. */
	{ "a", 151, "\u20ac" "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa"
	    "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa"
	    "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa" "aaaaaaaaaa"
	    "aaaaaaaaaa" "aaa", SMS_GSM7, 306, 2 },
	{ "{", 80, "", SMS_GSM7, 160, 1 },
	{ "{", 81, "", SMS_GSM7, 162, 2 },
	{ "a", 1, "|", SMS_GSM7, 3, 1 },

	/* Every extension character, alone and together. */
	{ "", 0, "^", SMS_GSM7, 2, 1 },
	{ "", 0, "{", SMS_GSM7, 2, 1 },
	{ "", 0, "}", SMS_GSM7, 2, 1 },
	{ "", 0, "\\", SMS_GSM7, 2, 1 },
	{ "", 0, "[", SMS_GSM7, 2, 1 },
	{ "", 0, "~", SMS_GSM7, 2, 1 },
	{ "", 0, "]", SMS_GSM7, 2, 1 },
	{ "", 0, "|", SMS_GSM7, 2, 1 },
	{ "", 0, "\u20ac", SMS_GSM7, 2, 1 },
	{ "", 0, "\f", SMS_GSM7, 2, 1 },
	{ "", 0, "^{}\\[~]|\u20ac\f", SMS_GSM7, 20, 1 },

	/* Which accents are GSM-7. */
	{ "", 0, "Si\u00e2n", SMS_UCS2, 4, 1 },		/* â is not */
	{ "", 0, "Si\u00e0n", SMS_GSM7, 4, 1 },		/* à is */
	{ "", 0, "\u00e9\u00e8\u00c4\u00c9\u00e0\u00f2", SMS_GSM7, 6, 1 },
	{ "", 0, "Zo\u00eb", SMS_UCS2, 3, 1 },		/* ë is not */
	{ "", 0, "\u00c7a", SMS_GSM7, 2, 1 },		/* Ç is */
	{ "", 0, "\u00e7a", SMS_UCS2, 2, 1 },		/* ç is not */
	{ "", 0, "@\u00a3$\u00a5\u00a4\u00a7\u00a1\u00bf", SMS_GSM7, 8, 1 },
	{ "", 0, "\u0394\u03a6\u0393\u039b\u03a9\u03a0\u03a8\u03a3\u0398\u039e",
	    SMS_GSM7, 10, 1 },
	{ "", 0, "\u03b1", SMS_UCS2, 1, 1 },		/* lower-case Greek */
	{ "", 0, "`", SMS_UCS2, 1, 1 },
	{ "", 0, "a\tb", SMS_UCS2, 3, 1 },
	{ "", 0, "a\r\nb", SMS_GSM7, 4, 1 },
	{ "", 0, "a\u00a0b", SMS_UCS2, 3, 1 },		/* NBSP */
	{ "", 0, "\u20a4", SMS_UCS2, 1, 1 },		/* ₤ is not £ */

	/* UCS-2 around the boundaries. */
	{ "\u00e2", 70, "", SMS_UCS2, 70, 1 },
	{ "\u00e2", 71, "", SMS_UCS2, 71, 2 },
	{ "\u00e2", 134, "", SMS_UCS2, 134, 2 },
	{ "\u00e2", 135, "", SMS_UCS2, 135, 3 },
	{ "a", 69, "\u00e2", SMS_UCS2, 70, 1 },
	{ "a", 70, "\u00e2", SMS_UCS2, 71, 2 },
	/* An extension character is one UTF-16 unit like any other. */
	{ "", 0, "\u00e2\u20ac{", SMS_UCS2, 3, 1 },

	/* Emoji: surrogate pairs, never split. */
	{ "", 0, "\U0001F600", SMS_UCS2, 2, 1 },
	{ "", 0, "Hi \U0001F600", SMS_UCS2, 5, 1 },
	{ "\U0001F600", 35, "", SMS_UCS2, 70, 1 },
	{ "\U0001F600", 36, "", SMS_UCS2, 72, 2 },
	{ "a", 68, "\U0001F600", SMS_UCS2, 70, 1 },
	{ "a", 69, "\U0001F600", SMS_UCS2, 71, 2 },
	/* 66 + 2 would straddle 67: the pair opens part 2. */
	{ "\u00e2", 66, "\U0001F600"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2", SMS_UCS2, 134, 3 },
	{ "\u00e2", 65, "\U0001F600"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2"
	    "\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2\u00e2", SMS_UCS2, 134, 2 },

	/* A mix. */
	{ "", 0, "Caf\u00e9 {ok} \u20ac5", SMS_GSM7, 15, 1 },
	{ "", 0, "Caf\u00e9 {ok} \u20ac5 \U0001F600", SMS_UCS2, 15, 1 },
	{ "Hi Si\u00e2n! ", 10, "", SMS_UCS2, 90, 2 },

	/* Invalid UTF-8: one unit a byte, and UCS-2. */
	{ "", 0, "\xff", SMS_UCS2, 1, 1 },
	{ "", 0, "abc\xff", SMS_UCS2, 4, 1 },
	{ "", 0, "\xc3", SMS_UCS2, 1, 1 },		/* truncated */
	{ "", 0, "\xe2\x82", SMS_UCS2, 2, 1 },		/* truncated € */
	{ "", 0, "\xe2\x82z", SMS_UCS2, 3, 1 },
	{ "", 0, "\xc0\xaf", SMS_UCS2, 2, 1 },		/* overlong / */
	{ "", 0, "\xe0\x80\xaf", SMS_UCS2, 3, 1 },	/* overlong / */
	{ "", 0, "\xed\xa0\x80", SMS_UCS2, 3, 1 },	/* a surrogate */
	{ "", 0, "\xf4\x90\x80\x80", SMS_UCS2, 4, 1 },	/* past U+10FFFF */
	{ "", 0, "\x80" "a", SMS_UCS2, 2, 1 },		/* stray continuation */
	{ "\xff", 71, "", SMS_UCS2, 71, 2 },
};

/* unit x reps + tail into buf; the length. */
static size_t
build(char *buf, size_t size, const char *unit, int reps, const char *tail)
{
	size_t n = 0, ul = strlen(unit), tl = strlen(tail);

	for (int i = 0; i < reps; i++) {
		assert_true(n + ul < size);
		memcpy(buf + n, unit, ul);
		n += ul;
	}
	assert_true(n + tl < size);
	memcpy(buf + n, tail, tl + 1);
	return n + tl;
}

static void
test_table(void **state)
{
	static char text[4096];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sms_count c;
		size_t len = build(text, sizeof text, cases[i].unit,
		    cases[i].reps, cases[i].tail);
		int per = cases[i].encoding == SMS_GSM7 ?
		    (cases[i].segments == 1 ? 160 : 153) :
		    (cases[i].segments == 1 ? 70 : 67);

		memset(&c, 0xa5, sizeof c);
		assert_int_equal(sms_count(text, len, &c), 0);
		if (c.encoding != cases[i].encoding ||
		    c.units != cases[i].units ||
		    c.segments != cases[i].segments || c.per_segment != per)
			fail_msg("case %zu (\"%.20s\" x %d + \"%.20s\"): want "
			    "%s/%d/%d/%d, got %s/%d/%d/%d", i, cases[i].unit,
			    cases[i].reps, cases[i].tail,
			    cases[i].encoding == SMS_GSM7 ? "GSM7" : "UCS2",
			    cases[i].units, cases[i].segments, per,
			    c.encoding == SMS_GSM7 ? "GSM7" : "UCS2",
			    c.units, c.segments, c.per_segment);
		/* sms_is_gsm7 agrees wherever the text is a C string. */
		if (sms_is_gsm7(text) != (cases[i].encoding == SMS_GSM7))
			fail_msg("case %zu: sms_is_gsm7 disagrees", i);
	}
}

/* Only the bytes given count: an embedded NUL is U+0000, not GSM-7. */
static void
test_length(void **state)
{
	struct sms_count c;

	assert_int_equal(sms_count("a\0b", 3, &c), 0);
	assert_int_equal(c.encoding, SMS_UCS2);
	assert_int_equal(c.units, 3);
	assert_int_equal(sms_count("abcdef", 2, &c), 0);
	assert_int_equal(c.encoding, SMS_GSM7);
	assert_int_equal(c.units, 2);
	/* A length that ends inside a character leaves a truncated one. */
	assert_int_equal(sms_count("\u20ac", 2, &c), 0);
	assert_int_equal(c.encoding, SMS_UCS2);
	assert_int_equal(c.units, 2);
	assert_int_equal(sms_count(NULL, 0, &c), 0);
	assert_int_equal(c.segments, 1);
	assert_int_equal(c.units, 0);
}

static size_t
utf8_encode(uint32_t cp, char *s)
{
	if (cp < 0x80) {
		s[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		s[0] = (char)(0xC0 | cp >> 6);
		s[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		s[0] = (char)(0xE0 | cp >> 12);
		s[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	s[0] = (char)(0xF0 | cp >> 18);
	s[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	s[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	s[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Every code point against the tables as 03.38 prints them (septet order,
 * docs/providers.md 9.1 and 9.2): 127 basic characters cost 1, ten
 * extension characters 2, and nothing else is GSM-7.
 */
static void
test_every_code_point(void **state)
{
	static const uint16_t basic[128] = {
		'@', 0xA3, '$', 0xA5, 0xE8, 0xE9, 0xF9, 0xEC,
		0xF2, 0xC7, '\n', 0xD8, 0xF8, '\r', 0xC5, 0xE5,
		0x394, '_', 0x3A6, 0x393, 0x39B, 0x3A9, 0x3A0, 0x3A8,
		0x3A3, 0x398, 0x39E, 0 /* ESC */, 0xC6, 0xE6, 0xDF, 0xC9,
		' ', '!', '"', '#', 0xA4, '%', '&', '\'',
		'(', ')', '*', '+', ',', '-', '.', '/',
		'0', '1', '2', '3', '4', '5', '6', '7',
		'8', '9', ':', ';', '<', '=', '>', '?',
		0xA1, 'A', 'B', 'C', 'D', 'E', 'F', 'G',
		'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
		'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W',
		'X', 'Y', 'Z', 0xC4, 0xD6, 0xD1, 0xDC, 0xA7,
		0xBF, 'a', 'b', 'c', 'd', 'e', 'f', 'g',
		'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
		'p', 'q', 'r', 's', 't', 'u', 'v', 'w',
		'x', 'y', 'z', 0xE4, 0xF6, 0xF1, 0xFC, 0xE0,
	};
	static const uint16_t ext[] = {
		0x0C, '^', '{', '}', '\\', '[', '~', ']', '|', 0x20AC,
	};
	int n_basic = 0, n_ext = 0;

	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		char s[5];
		struct sms_count c;
		int want = 0;
		size_t len;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		for (size_t i = 0; i < 128 && cp < 0x10000; i++)
			if (basic[i] == cp && i != 0x1B)
				want = 1;
		for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
			if (ext[i] == cp)
				want = 2;
		len = utf8_encode(cp, s);
		s[len] = '\0';
		sms_count(s, len, &c);
		if (want) {
			if (c.encoding != SMS_GSM7 || c.units != want)
				fail_msg("U+%04X: want GSM-7 cost %d, got %s %d",
				    (unsigned)cp, want, c.encoding == SMS_GSM7 ?
				    "GSM7" : "UCS2", c.units);
			if (want == 1)
				n_basic++;
			else
				n_ext++;
		} else if (c.encoding != SMS_UCS2 ||
		    c.units != (cp > 0xFFFF ? 2 : 1))
			fail_msg("U+%04X: want UCS-2, got %s %d", (unsigned)cp,
			    c.encoding == SMS_GSM7 ? "GSM7" : "UCS2", c.units);
		if (cp != 0 && sms_is_gsm7(s) != (want != 0))
			fail_msg("U+%04X: sms_is_gsm7 disagrees", (unsigned)cp);
	}
	assert_int_equal(n_basic, 127);
	assert_int_equal(n_ext, 10);
}

static void
test_is_gsm7(void **state)
{
	assert_int_equal(sms_is_gsm7(""), 1);
	assert_int_equal(sms_is_gsm7("Hello @ 5\u20ac {x}"), 1);
	assert_int_equal(sms_is_gsm7("Si\u00e2n"), 0);
	assert_int_equal(sms_is_gsm7("\U0001F600"), 0);
	assert_int_equal(sms_is_gsm7("ab\xff"), 0);
	assert_int_equal(sms_is_gsm7("\xc3"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_every_code_point),
		cmocka_unit_test(test_is_gsm7),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
