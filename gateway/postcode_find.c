/*
 * postcode_find.c -- the postcode in a text, and its repair.
 *
 * The postcode is looked for among the tokens from the end (people put it
 * last), trying one, two, then three tokens joined; postcode_parse()
 * judges the shape.  A slip (O for 0, I or l for 1, a dot for the space)
 * is repaired only where the result is a real area, and a real district
 * when the caller knows the districts (tok_district_real).  A postcode
 * glued to a name ("MiaLS61AN") is cut out of its token first.
 *
 * What looks like a postcode but is not: a road ("off the M6"), a number
 * plate ("reg WR18 ODE"), textspeak ("ne1 know?", "c u 2nite"), a room
 * ("B12 at college"), and a postcode the text takes back ("not NE6 5RT",
 * "(was S7 1AB)").  Those tokens become junk: no postcode, no name.
 */
#include <string.h>

#include "postcode.h"
#include "tokens.h"

static int
tok_joinable(const struct token *t)
{
	return (t->flags & (T_ALNUM | T_PHONE | T_GLUED)) == T_ALNUM &&
	    t->role == ROLE_WORD;
}

static char
ascii_upper(unsigned char c)
{
	return (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Is pc real: a known area, and a known district where they are known? */
static int
real(const struct parse *ps, const struct postcode *pc)
{
	if (strcmp(pc->area, "GIR") == 0)
		return 1;
	return tok_district_real(ps, pc->area, pc->district);
}

/*
 * Parse typed (n upper-case characters) as a full postcode, repairing
 * slips: where postcode_parse's own reading is not real, each 0/O, 1/I/L
 * is tried the other way, fewest changes first.  0 or 1.
 */
static int
parse_real(const struct parse *ps, const char *typed, int n,
    struct postcode *pc)
{
	int pos[7], np = 0, best = -1, bestc = 99;
	char alt[8];

	struct postcode as_typed;
	int exact = 0;

	if (postcode_parse_n(typed, (size_t)n, pc) == POSTCODE_FULL) {
		char compact[8];
		size_t dl = strlen(pc->district);

		if (real(ps, pc))
			return 1;
		/* As typed, it is a postcode even of an unknown area, unless
		 * a repair makes a real one: the reply can say it is not
		 * found.  A reading of slips needs a real area. */
		memcpy(compact, pc->district, dl);
		memcpy(compact + dl, pc->incode, 3);
		exact = (size_t)n == dl + 3 && memcmp(compact, typed,
		    (size_t)n) == 0;
		as_typed = *pc;
	}
	for (int i = 0; i < n && np < 4; i++)
		if (strchr("0O1IL", typed[i]) != NULL)
			pos[np++] = i;
	for (int mask = 1; mask < (1 << np); mask++) {
		int changes = __builtin_popcount((unsigned)mask);
		struct postcode t;

		if (changes >= bestc)
			continue;
		memcpy(alt, typed, (size_t)n);
		for (int b = 0; b < np; b++) {
			char *c;

			if (!(mask & (1 << b)))
				continue;
			c = &alt[pos[b]];
			*c = *c == '0' ? 'O' : *c == 'O' ? '0' : *c == '1' ?
			    'I' : '1';
		}
		if (postcode_parse_n(alt, (size_t)n, &t) == POSTCODE_FULL &&
		    real(ps, &t)) {
			*pc = t;
			best = mask;
			bestc = changes;
		}
	}
	if (best < 0 && exact) {
		*pc = as_typed;
		return 1;
	}
	if (best < 0)
		memset(pc, 0, sizeof *pc);
	return best >= 0;
}

/*
 * Tokens i..j joined as one full postcode?  This adds what only the text
 * can tell to the shape.
 */
static int
try_full(const struct parse *ps, int i, int j, struct postcode *pc)
{
	char buf[8], typed[8];
	int n = 0, canonical, k, inward_digit;

	if (i < 0)
		return 0;
	for (k = i; k <= j; k++) {
		const struct token *t = &ps->tok[k];

		if (!tok_joinable(t) || n + t->len > 7)
			return 0;
		/* Apart by space, a line, a hyphen, or a dot with no space
		 * ("NG7.2RD"). */
		if (k > i && (t->gap & ~GAP_JOIN) && t->gap != GAP_PERIOD)
			return 0;
		/* A word is no part of a postcode: "room B12 at college". */
		if (k > i && !(t->flags & T_DIGIT) && t->word != 0)
			return 0;
		for (int c = 0; c < t->len; c++)
			typed[n++] = ascii_upper(ps->text[t->off + c]);
	}
	if (n < 5)
		return 0;
	/* A typed digit: "Bo Ola" is no "B0 0LA". */
	for (k = 0; k < n && !is_digit(typed[k]); k++)
		;
	if (k == n || !parse_real(ps, typed, n, pc))
		return 0;
	/* A number plate, AA99 AAA: no postcode has a letter for the first
	 * of its inward code. */
	if (n == 7 && !is_digit(typed[0]) && !is_digit(typed[1]) &&
	    is_digit(typed[2]) && is_digit(typed[3]) && !is_digit(typed[4]))
		return 0;
	/* pc->full without its space, to see which characters were fixed. */
	memcpy(buf, pc->district, strlen(pc->district));
	memcpy(buf + strlen(pc->district), pc->incode, 3);
	canonical = j == i + 1 && ps->tok[j].len == 3;
	inward_digit = canonical && is_digit(typed[n - 3]);
	n = 0;
	for (k = i; k <= j; k++) {
		const struct token *t = &ps->tok[k];
		int fixed = memcmp(buf + n, typed + n, t->len) != 0;

		n += t->len;
		if (t->flags & T_DIGIT)
			continue;
		/*
		 * A short word is read as part of a postcode by fixing it
		 * only before a typed inward code ("MI 1AD"), never alone
		 * ("Jo" as J0); a longer word only as the whole outward or
		 * inward code ("SEI 7PB", "B1 IAA").
		 */
		if (t->len <= 2 ? fixed && !(k == i && inward_digit) :
		    j > i && !canonical)
			return 0;
	}
	return 1;
}

/*
 * Textspeak that has a district's shape: "ne1" (anyone), "b4" (before),
 * "m8" (mate), "l8" (late), "w8" (wait), "sk8".  Typed in lower case and
 * followed by more words of the sentence, it is no postcode.
 */
static int
textspeak(const struct parse *ps, int j)
{
	static const char *const words[] = {
		"ne1", "b4", "m8", "l8", "w8", "sk8", "n1", "g8", "h8",
	};
	const struct token *t = &ps->tok[j];
	int listed = 0;

	if (t->flags & T_UPPER)
		return 0;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		listed |= tok_is(ps, j, words[i]);
	if (!listed)
		return 0;
	if (j > 0 && (tok_is(ps, j - 1, "in") || tok_is(ps, j - 1, "postcode") ||
	    tok_is(ps, j - 1, "is") || tok_is(ps, j - 1, "near") ||
	    tok_is(ps, j - 1, "from")))
		return 0;
	/* "thx m8", "c u l8": these are never a district as typed. */
	if (tok_is(ps, j, "m8") || tok_is(ps, j, "l8") || tok_is(ps, j, "ne1") ||
	    tok_is(ps, j, "w8") || tok_is(ps, j, "g8") || tok_is(ps, j, "h8"))
		return 1;
	return j + 1 < ps->ntok && !(ps->tok[j + 1].gap & ~GAP_SPACE) &&
	    (ps->tok[j + 1].flags & T_LETTER) && !(ps->tok[j + 1].flags & T_DIGIT);
}

/* A bare district, "SE1" or "m1": letter first, with a digit. */
static int
try_outcode(const struct parse *ps, int j, struct postcode *pc)
{
	const struct token *t = &ps->tok[j];

	if (!tok_joinable(t) || t->len < 2 || t->len > 4 ||
	    !(t->flags & T_ALPHA0) || !(t->flags & T_DIGIT))
		return 0;
	if (postcode_parse_n((const char *)ps->text + t->off, t->len, pc) !=
	    POSTCODE_OUTCODE || !real(ps, pc))
		return 0;
	/* "R2D2", "ok c u 2nite": a district is typed as it is. */
	for (int c = 0; c < t->len; c++)
		if (ascii_upper(ps->text[t->off + c]) != pc->district[c])
			return 0;
	return !textspeak(ps, j);
}

/*
 * Does the token after an outcode look like a broken inward code ("EH1
 * JS", "AA1 1CI")?  Then the pair is a mistyped postcode, not a district.
 */
static int
broken_inward(const struct parse *ps, int j)
{
	const struct token *o = &ps->tok[j], *t;

	if (j + 1 >= ps->ntok)
		return 0;
	t = &ps->tok[j + 1];
	if (!tok_joinable(t) || (t->gap & ~GAP_JOIN) || t->len > 3 ||
	    t->word != 0)
		return 0;
	if (t->flags & T_DIGIT)
		return 1;
	return !(t->flags & T_LOWER) && !(o->flags & T_LOWER);
}

/*
 * Does the text take back, or say is no postcode, what starts at token i?
 * "not NE6 5RT", "(was S7 1AB)", "off the M6", "reg WR18 0DE".
 */
static int
disowned(const struct parse *ps, int i, int outcode)
{
	for (int k = i - 1; k >= 0 && k >= i - 2; k--) {
		const struct token *t = &ps->tok[k];

		if (t->word & (W_WAS | W_ROAD))
			return 1;
		/* "the M6", "the A1": a road, said as people say them. */
		if (outcode && k == i - 1 && tok_is(ps, k, "the") &&
		    ascii_upper(ps->text[ps->tok[i].off]) == 'M')
			return 1;
		/* Two back only over "of", "be", "in": "instead of X". */
		if (!(tok_is(ps, k, "of") || tok_is(ps, k, "be") ||
		    tok_is(ps, k, "in") || tok_is(ps, k, "is")))
			break;
	}
	return 0;
}

/*
 * A postcode glued to a name: "PatelB15 2TT", "MiaLS61AN", "NW19ABGeorge".
 * Cut the token where what is left is letters and the postcode is real.
 */
static void
unglue(struct parse *ps)
{
	struct postcode pc;
	char typed[8];

	for (int k = 0; k < ps->ntok; k++) {
		struct token *t = &ps->tok[k];
		const unsigned char *p = ps->text + t->off;
		int d, cut = -1;

		if ((t->flags & (T_ALNUM | T_LETTER | T_DIGIT | T_PHONE |
		    T_GLUED)) != (T_ALNUM | T_LETTER | T_DIGIT) || t->len < 5)
			continue;
		for (d = 0; d < t->len && !is_digit((char)p[d]); d++)
			;
		/* Letters, then the outward code's area and the rest. */
		for (int s = d - 2; s <= d - 1 && cut < 0; s++) {
			int n = 0, ok;

			if (s < 2 || t->len - s > 7)
				continue;
			for (int c = s; c < t->len; c++)
				typed[n++] = ascii_upper(p[c]);
			if (n > 7)
				continue;
			if (n <= 4 && k + 1 < ps->ntok &&
			    ps->tok[k + 1].len == 3 &&
			    !(ps->tok[k + 1].gap & ~GAP_JOIN) && n + 3 <= 7) {
				memcpy(typed + n, ps->text + ps->tok[k + 1].off, 3);
				for (int c = n; c < n + 3; c++)
					typed[c] = ascii_upper((unsigned char)typed[c]);
				n += 3;
			}
			ok = n >= 5 && postcode_parse_n(typed, (size_t)n, &pc) ==
			    POSTCODE_FULL && real(ps, &pc);
			/* As typed: "LS61AN", not a reading of it. */
			if (ok && strncmp(pc.district, typed,
			    strlen(pc.district)) == 0)
				cut = s;
		}
		/* The postcode first, then a name: longest reading first. */
		for (int n = 7; n >= 5 && cut < 0 && d <= 2; n--) {
			if (t->len - n < 2)
				continue;
			int letters = 1;
			for (int c = n; c < t->len; c++)
				letters &= !is_digit((char)p[c]);
			for (int c = 0; c < n; c++)
				typed[c] = ascii_upper(p[c]);
			if (letters && postcode_parse_n(typed, (size_t)n, &pc) ==
			    POSTCODE_FULL && real(ps, &pc) &&
			    strncmp(pc.district, typed, strlen(pc.district)) == 0)
				cut = n;
		}
		if (cut > 0 && tok_cut(ps, k, cut) == 0)
			k++;
	}
}

void
postcode_find(struct parse *ps, struct postcode *pc)
{
	int i, j;

	unglue(ps);
	/* The last full postcode; at each end, fewest tokens first. */
	for (j = ps->ntok - 1; j >= 0; j--)
		for (i = j; i >= j - 2 && i >= 0; i--) {
			if (!try_full(ps, i, j, pc))
				continue;
			if (disowned(ps, i, 0)) {
				for (int k = i; k <= j; k++)
					ps->tok[k].role = ROLE_JUNK;
				j = i;
				break;
			}
			for (; i <= j; i++)
				ps->tok[i].role = ROLE_POSTCODE;
			return;
		}
	memset(pc, 0, sizeof *pc);
	for (j = ps->ntok - 1; j >= 0; j--) {
		if (ps->tok[j].role != ROLE_WORD || !try_outcode(ps, j, pc))
			continue;
		if (broken_inward(ps, j)) {
			ps->tok[j].role = ps->tok[j + 1].role = ROLE_JUNK;
			memset(pc, 0, sizeof *pc);
			continue;
		}
		if (disowned(ps, j, 1)) {
			ps->tok[j].role = ROLE_JUNK;
			memset(pc, 0, sizeof *pc);
			continue;
		}
		ps->tok[j].role = ROLE_POSTCODE;
		return;
	}
	memset(pc, 0, sizeof *pc);
}
