/*
 * fuzz.h -- what the libFuzzer drivers in tests/fuzz/ share.  Each driver
 * is one LLVMFuzzerTestOneInput over one module; each must be
 * deterministic and free everything it allocates (LeakSanitizer is on).
 */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (it may hold NUL bytes before
 * the end); the caller frees it. */
static inline char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Split off the first line of *s (NUL-terminating it in place) and
 * return it; *s moves past the newline, or to the end. */
static inline char *
fuzz_line(char **s)
{
	char *line = *s, *nl = strchr(line, '\n');

	if (nl == NULL)
		*s = line + strlen(line);
	else {
		*nl = '\0';
		*s = nl + 1;
	}
	return line;
}

/* Make a scratch folder, $TMPDIR/gwfuzz-WHAT-XXXXXX, into dir; a driver
 * writes nowhere else. */
static inline void
fuzz_scratch(char *dir, size_t len, const char *what)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, len, "%s/gwfuzz-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp",
	    what);
	if (mkdtemp(dir) == NULL)
		abort();
}

#endif
