/*
 * postcode.c -- see postcode.h.
 *
 * A hand-written positional check rather than a regex: each character is
 * judged by the slot it fills (BS 7666 letter rules), which is also what
 * lets O/0 and I/1 be fixed only where a slot admits one type.  No
 * <ctype.h>, so no locale; this runs for every row of an import.
 */
#include <string.h>

#include "postcode.h"

/* The slots of an outward and an inward code. */
enum slot {
	SLOT_L1,	/* first letter: not Q V X */
	SLOT_L2,	/* second letter: not I J Z */
	SLOT_D,		/* digit */
	SLOT_X3,	/* third of A9?: digit, or A-H J K P S T U W */
	SLOT_X4,	/* fourth of AA9?: digit, or A B E H M N P R V W X Y */
	SLOT_IL,	/* inward letter: not C I K M O V */
};

#define L(c)		(1u << ((c) - 'A'))
#define ALL_LETTERS	0x3ffffffu

/* Letters each slot admits, one bit per letter. */
static const unsigned slot_letters[] = {
	[SLOT_L1] = ALL_LETTERS & ~(L('Q') | L('V') | L('X')),
	[SLOT_L2] = ALL_LETTERS & ~(L('I') | L('J') | L('Z')),
	[SLOT_D] = 0,
	/* P is not in the published list, but live N1P postcodes have it. */
	[SLOT_X3] = L('A') | L('B') | L('C') | L('D') | L('E') | L('F') |
	    L('G') | L('H') | L('J') | L('K') | L('P') | L('S') | L('T') |
	    L('U') | L('W'),
	[SLOT_X4] = L('A') | L('B') | L('E') | L('H') | L('M') | L('N') |
	    L('P') | L('R') | L('V') | L('W') | L('X') | L('Y'),
	[SLOT_IL] = ALL_LETTERS & ~(L('C') | L('I') | L('K') | L('M') |
	    L('O') | L('V')),
};

/* Outward shapes by length; X slots take either type as typed. */
static const enum slot shape2[] = { SLOT_L1, SLOT_D };
static const enum slot shape3a[] = { SLOT_L1, SLOT_D, SLOT_X3 };
static const enum slot shape3b[] = { SLOT_L1, SLOT_L2, SLOT_D };
static const enum slot shape4[] = { SLOT_L1, SLOT_L2, SLOT_D, SLOT_X4 };
static const enum slot inward[] = { SLOT_D, SLOT_IL, SLOT_IL };

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/*
 * The character c becomes in slot s, or 0 if it cannot fill it.  Only a
 * slot of one type coerces: O and I read as digits, 0 and 1 as letters.
 */
static char
slot_fit(char c, enum slot s, int *coerced)
{
	switch (s) {
	case SLOT_D:
		if (is_digit(c))
			return c;
		if (c == 'O' || c == 'I') {
			(*coerced)++;
			return c == 'O' ? '0' : '1';
		}
		return 0;
	case SLOT_X3:
	case SLOT_X4:
		if (is_digit(c))
			return c;
		break;
	default:
		if (c == '0' || c == '1') {
			c = c == '0' ? 'O' : 'I';
			(*coerced)++;
		}
		break;
	}
	if (is_upper(c) && (slot_letters[s] & L(c)))
		return c;
	return 0;
}

static int
area_len(const char *out)
{
	return is_upper(out[1]) ? 2 : 1;
}

/*
 * A letter read from a 0 or 1 must make a real area: "0X1" is OX1, but
 * "1A1" is not IA1.  Only these areas have an O or an I in them.
 */
static int
area_fixed_ok(const char *in, const char *out)
{
	static const char fixable[][3] = {
		"CO", "IG", "IM", "IP", "IV", "OL", "OX", "PO", "SO", "YO",
	};
	int alen = area_len(out);

	if (memcmp(in, out, (size_t)alen) == 0)
		return 1;
	if (alen == 2)
		for (size_t i = 0; i < sizeof fixable / sizeof fixable[0]; i++)
			if (out[0] == fixable[i][0] && out[1] == fixable[i][1])
				return 1;
	return 0;
}

/* Fit n characters of in to a shape; the number of coercions, or -1. */
static int
shape_fit(const char *in, const enum slot *shape, int n, char *out)
{
	int coerced = 0;

	for (int i = 0; i < n; i++)
		if ((out[i] = slot_fit(in[i], shape[i], &coerced)) == 0)
			return -1;
	return coerced;
}

static int
outward_shape_fit(const char *in, const enum slot *shape, int n, char *out)
{
	int coerced = shape_fit(in, shape, n, out);

	if (coerced > 0 && !area_fixed_ok(in, out))
		return -1;
	return coerced;
}

/*
 * The outward code of n (2-4) characters, fixed, into out; 0 or -1.
 * Three characters fit A9? or AA9; when both fit, the reading with fewer
 * coercions wins ("BO1" stays BO1, "B01" stays B01), so a character is
 * only changed when no reading takes it as typed.
 */
static int
outward_fit(const char *in, int n, char *out)
{
	char alt[4];
	int a, b;

	switch (n) {
	case 2:
		return outward_shape_fit(in, shape2, 2, out) < 0 ? -1 : 0;
	case 3:
		a = outward_shape_fit(in, shape3a, 3, out);
		b = outward_shape_fit(in, shape3b, 3, alt);
		if (b >= 0 && (a < 0 || b < a))
			memcpy(out, alt, 3);
		return a < 0 && b < 0 ? -1 : 0;
	case 4:
		return outward_shape_fit(in, shape4, 4, out) < 0 ? -1 : 0;
	}
	return -1;
}

/* GIR 0AA, the one postcode outside the rules; I/1 and 0/O forgiven. */
static int
is_gir(const char *c)
{
	return c[0] == 'G' && (c[1] == 'I' || c[1] == '1') && c[2] == 'R' &&
	    (c[3] == '0' || c[3] == 'O') && c[4] == 'A' && c[5] == 'A';
}

/* Fill pc from an outward code of olen and an optional 3-char inward. */
static void
fill(struct postcode *pc, const char *out, int olen, int alen,
    const char *in)
{
	memcpy(pc->area, out, (size_t)alen);
	pc->area[alen] = '\0';
	memcpy(pc->district, out, (size_t)olen);
	pc->district[olen] = '\0';
	if (in == NULL) {
		pc->kind = POSTCODE_OUTCODE;
		return;
	}
	pc->kind = POSTCODE_FULL;
	memcpy(pc->full, out, (size_t)olen);
	pc->full[olen] = ' ';
	memcpy(pc->full + olen + 1, in, 3);
	pc->full[olen + 4] = '\0';
	memcpy(pc->sector, pc->full, (size_t)olen + 2);
	pc->sector[olen + 2] = '\0';
	memcpy(pc->incode, in, 3);
	pc->incode[3] = '\0';
}

enum postcode_kind
postcode_parse_n(const char *s, size_t len, struct postcode *pc)
{
	char c[8], out[4], in[3];
	int n = 0, olen, digits = 0;

	memset(pc, 0, sizeof *pc);
	/* Compact to upper-case letters and digits; spaces go anywhere. */
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == ' ' || (ch >= '\t' && ch <= '\r'))
			continue;
		if (ch >= 'a' && ch <= 'z')
			ch -= 'a' - 'A';
		else if (!is_upper(ch) && !is_digit(ch))
			return POSTCODE_NONE;
		if (n == 7)
			return POSTCODE_NONE;
		digits += is_digit(ch);
		c[n++] = ch;
	}
	/* A postcode has a digit as typed: "Bo" and "Leo" are not B0, LE0. */
	if (n < 2 || digits == 0)
		return POSTCODE_NONE;
	if (n <= 4) {
		if (outward_fit(c, n, out) < 0)
			return POSTCODE_NONE;
		fill(pc, out, n, area_len(out), NULL);
		return pc->kind;
	}
	if (n == 6 && is_gir(c)) {
		fill(pc, "GIR", 3, 3, "0AA");
		return pc->kind;
	}
	olen = n - 3;		/* the inward code is always the last three */
	if (outward_fit(c, olen, out) < 0 ||
	    shape_fit(c + olen, inward, 3, in) < 0)
		return POSTCODE_NONE;
	fill(pc, out, olen, area_len(out), in);
	return pc->kind;
}

enum postcode_kind
postcode_parse(const char *s, struct postcode *pc)
{
	return postcode_parse_n(s, strlen(s), pc);
}

int
postcode_normalise(const char *s, char *out, size_t outlen)
{
	struct postcode pc;
	const char *r;

	switch (postcode_parse(s, &pc)) {
	case POSTCODE_FULL:
		r = pc.full;
		break;
	case POSTCODE_OUTCODE:
		r = pc.district;
		break;
	default:
		return -1;
	}
	if (strlen(r) >= outlen)
		return -1;
	memcpy(out, r, strlen(r) + 1);
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * Imported data is trusted for shape only: 2-4 letters and digits starting
 * with a letter, then a digit and two letters, spaced (ONSPD's pcd7 pads
 * with several) or compact.
 */
int
postcode_split_loose(const char *s, struct postcode *pc)
{
	const char *e;
	char c[8];
	int n = 0, olen = -1, alen = 0;

	memset(pc, 0, sizeof *pc);
	while (is_space(*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_space(e[-1]))
		e--;
	for (; s < e; s++) {
		char ch = *s;

		if (is_space(ch)) {
			if (olen >= 0 && olen != n)
				goto fail;	/* a second gap */
			olen = n;
			continue;
		}
		if (ch >= 'a' && ch <= 'z')
			ch -= 'a' - 'A';
		if ((!is_upper(ch) && !is_digit(ch)) || n == 7)
			goto fail;
		c[n++] = ch;
	}
	if (n < 5)
		goto fail;
	if (olen < 0)
		olen = n - 3;
	if (olen < 2 || olen > 4 || n - olen != 3 || !is_upper(c[0]) ||
	    !is_digit(c[olen]) || !is_upper(c[olen + 1]) ||
	    !is_upper(c[olen + 2]))
		goto fail;
	while (alen < olen && is_upper(c[alen]))
		alen++;
	fill(pc, c, olen, alen, c + olen);
	return 0;
fail:
	memset(pc, 0, sizeof *pc);
	return -1;
}
