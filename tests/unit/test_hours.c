/* test_hours.c -- durations and alarm hours: what alarm_silence and
 * [alerts] alarm_hours accept, and how much of a silence counts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

static void
test_duration(void **state)
{
	static const struct {
		const char *in;
		int64_t want;		/* -1: rejected */
	} cases[] = {
		{ "30m", 1800 }, { "6h", 21600 }, { "1d", 86400 },
		{ "90s", 90 }, { "0", 0 }, { "", 0 }, { " 2h", 7200 },
		{ "6 hours", -1 }, { "6", -1 }, { "h", -1 }, { "-1h", -1 },
		{ "1.5h", -1 }, { "6hh", -1 }, { "0h", -1 },
		{ "99999999999999999999d", -1 }, { "4000d", -1 },
	};
	int64_t secs;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = duration_parse(cases[i].in, &secs);
		if (cases[i].want < 0) {
			if (rc != -1)
				fail_msg("\"%s\" accepted", cases[i].in);
		} else if (rc != 0 || secs != cases[i].want)
			fail_msg("\"%s\": %d %lld", cases[i].in, rc,
			    (long long)secs);
	}
}

static void
test_hours_parse(void **state)
{
	static const struct {
		const char *in;
		int rc, from, to;
	} cases[] = {
		{ "08:00-22:00", 0, 480, 1320 },
		{ "22:30-06:15", 0, 1350, 375 },
		{ "", 0, 0, 0 },
		{ "00:00-24:00", 0, 0, 0 },	/* all day */
		{ "09:00-09:00", 0, 0, 0 },	/* all day, not none */
		{ "8-22", -1, 0, 0 },
		{ "08:00", -1, 0, 0 },
		{ "25:00-08:00", -1, 0, 0 },
		{ "08:60-09:00", -1, 0, 0 },
		{ "08:00-22:00x", -1, 0, 0 },
		{ "24:30-08:00", -1, 0, 0 },
	};
	int from, to;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = hours_parse(cases[i].in, &from, &to);
		if (rc != cases[i].rc || (rc == 0 && (from != cases[i].from ||
		    to != cases[i].to)))
			fail_msg("\"%s\": %d %d-%d", cases[i].in, rc, from, to);
	}
}

/* In UTC, so that the table's times are the clock's. */
static void
test_hours_count(void **state)
{
	/* 2026-12-01T00:00:00Z */
	const int64_t day = 1796083200;
	static const struct {
		int from, to;		/* minutes */
		int64_t t0, t1;		/* from day */
		int64_t cap, want;
		int inside_t1;
	} cases[] = {
		/* All day: every second counts. */
		{ 0, 0, 0, 3600, 99999, 3600, 1 },
		{ 0, 0, 0, 3600, 60, 60, 1 },
		/* 08:00-22:00, silent from 21:00 to 09:00 next day: an hour
		 * before the night, an hour after. */
		{ 480, 1320, 21 * 3600, 33 * 3600, 99999, 7200, 1 },
		/* The same night alone counts nothing; 08:00 is inside. */
		{ 480, 1320, 22 * 3600, 32 * 3600, 99999, 0, 1 },
		/* Three days of silence: 3 x 14 h. */
		{ 480, 1320, 0, 3 * 86400, 9999999, 3 * 14 * 3600, 0 },
		/* Night hours that wrap: 22:00-06:00 from noon to noon. */
		{ 1320, 360, 12 * 3600, 36 * 3600, 99999, 8 * 3600, 0 },
		/* Counting stops at the cap, however long the silence. */
		{ 480, 1320, 0, 3650LL * 86400, 3600, 3600, 0 },
		/* Nothing when t1 <= t0. */
		{ 480, 1320, 100, 100, 99999, 0, 0 },
	};

	setenv("TZ", "UTC", 1);
	tzset();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t got = hours_count(cases[i].from, cases[i].to,
		    day + cases[i].t0, day + cases[i].t1, cases[i].cap);
		if (got != cases[i].want)
			fail_msg("case %zu: %lld, expected %lld", i,
			    (long long)got, (long long)cases[i].want);
		if (hours_inside(cases[i].from, cases[i].to,
		    day + cases[i].t1) != cases[i].inside_t1)
			fail_msg("case %zu: inside at t1?", i);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_hours_parse),
		cmocka_unit_test(test_hours_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
