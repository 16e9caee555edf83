/*
 * cases.h -- reading the golden tables in tests/cases: fields are
 * tab-separated, and a field may escape what a line cannot hold.
 */
#ifndef TESTS_CASES_H
#define TESTS_CASES_H

#include <stddef.h>

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undo the table's escapes (\t \n \r \\ \xHH) in place; the new length. */
static size_t
unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (*r != '\\' || r[1] == '\0') {
			*w++ = *r;
			continue;
		}
		r++;
		switch (*r) {
		case 't': *w++ = '\t'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 'x':
			if (hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
				*w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
				r += 2;
				break;
			}
			/* FALLTHROUGH */
		default:
			*w++ = *r;
			break;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

#endif
