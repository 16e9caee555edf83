/*
 * test_parts.c -- the parts of long messages (store_part_add): a retry of
 * a part is not a new message, and a ref the phone reuses later starts a
 * message of its own, whatever parts of the old one linger.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "store.h"

#define HOUR	3600

static void
test_parts(void **state)
{
	static const struct {
		const char	*what;
		int64_t		 at;		/* seconds */
		const char	*id;
		int		 part, total;
		const char	*text;
		int		 want;		/* 1: complete */
		const char	*whole, *first;
	} steps[] = {
		{ "A 2 first", 0, "A2", 2, 2, "Jones B1 1AA", 0,
		    NULL, NULL },
		{ "A 1 completes", 10, "A1", 1, 2, "Mary ", 1,
		    "Mary Jones B1 1AA", "A1" },
		{ "A 2 retried", 20, "A2", 2, 2, "Jones B1 1AA", 0,
		    NULL, NULL },
		{ "A 1 retried", 30, "A1", 1, 2, "Mary ", 0, NULL, NULL },
		/* Minutes later, the same ref: B's own parts. */
		{ "B 1", 600, "B1", 1, 2, "Tom ", 0, NULL, NULL },
		{ "B 2 completes", 610, "B2", 2, 2, "Smith M1 1AD", 1,
		    "Tom Smith M1 1AD", "B1" },
		/* C lost its part 2; D, hours later, is not C's rest. */
		{ "C 1 alone", 1000, "C1", 1, 3, "lost ", 0,
		    NULL, NULL },
		{ "C 3 alone", 1001, "C3", 3, 3, "words", 0,
		    NULL, NULL },
		{ "D 2", 1000 + 2 * HOUR, "D2", 2, 3, "b ", 0,
		    NULL, NULL },
		{ "D 1", 1001 + 2 * HOUR, "D1", 1, 3, "a ", 0,
		    NULL, NULL },
		{ "D 3 completes", 1002 + 2 * HOUR, "D3", 3, 3, "c", 1,
		    "a b c", "D1" },
		/* E reuses the ref while F's part 1 lingers unfinished:
		 * E's part 1 replaces it. */
		{ "F 1 alone", 9000 + 2 * HOUR, "F1", 1, 2, "old ", 0,
		    NULL, NULL },
		{ "E 1", 9100 + 2 * HOUR, "E1", 1, 2, "new ", 0,
		    NULL, NULL },
		{ "E 2 completes", 9110 + 2 * HOUR, "E2", 2, 2, "text", 1,
		    "new text", "E1" },
	};
	char dir[] = "/tmp/test_parts.XXXXXX", path[64];
	struct config *cf;
	struct store *st;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/gw.db", dir);
	assert_non_null(cf = config_defaults());
	free(cf->db_path);
	cf->db_path = strdup(path);
	assert_non_null(st = store_open(cf));
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		char *whole = NULL, *first = NULL;
		int64_t at = 1700000000 + steps[i].at;
		int rc = store_part_add(st, "vg", "+447700900123", "7",
		    steps[i].part, steps[i].total, steps[i].id, steps[i].text,
		    at, at - HOUR, &whole, &first);

		if (rc != steps[i].want)
			fail_msg("%s: %d", steps[i].what, rc);
		if (rc == 1 && (strcmp(whole, steps[i].whole) != 0 ||
		    strcmp(first, steps[i].first) != 0))
			fail_msg("%s: \"%s\" first %s", steps[i].what, whole,
			    first);
		free(whole);
		free(first);
	}
	store_close(st);
	config_free(cf);
	unlink(path);
	snprintf(path, sizeof path, "%s/gw.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/gw.db-shm", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
