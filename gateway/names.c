/*
 * names.c -- the supporter's name in a text: the candidates and their
 * ranking.
 *
 * A candidate is a run of name-like words: in mixed-case text only
 * capitalised ones, since phones capitalise nothing but the first word of
 * a sentence.  Once a run has started, a particle ("ab", "al", "a'") or a
 * word that is also a surname ("Friend", "Good") stays in it; a line break
 * does not end it ("Ffion\nEvans").  Runs are ranked, not taken in order:
 * one after a cue ("my name is", "fy enw i yw", "Sion dw i"), one that
 * signs the text off (", Jane" at the end, "Regards, Peter Brown"), one
 * beside the postcode, one that is all the text says beside its filler.
 * Greetings, weekdays, places and street words are never names (tokens.c
 * lists them).  Without a postcode, a question or a chat reply has a name
 * only after a cue or in a sign-off.
 */
#include <string.h>

#include "tokens.h"

#define MAX_NAME_WORDS	5
#define MAX_RUNS	64

static int
is_house_number(const struct token *t, const unsigned char *s)
{
	int d = 0;

	while (d < t->len && s[d] >= '0' && s[d] <= '9')
		d++;
	return d >= 1 && d <= 4 && (d == t->len ||
	    (d == t->len - 1 && (t->flags & T_ALNUM)));
}

/* Give every token not taken by the postcode its role. */
static void
assign_roles(struct parse *ps)
{
	for (int k = 0; k < ps->ntok; k++) {
		struct token *t = &ps->tok[k];

		if (t->role != ROLE_WORD)
			continue;
		if (t->flags & T_DIGIT) {
			t->role = !(t->flags & (T_PHONE | T_GLUED)) &&
			    is_house_number(t, ps->text + t->off) ?
			    ROLE_NUMBER : ROLE_OTHER;
			continue;
		}
		if (t->flags & T_GLUED) {
			t->role = ROLE_OTHER;
			continue;
		}
		if (t->word & W_STOP)
			t->role = ROLE_STOP;
		/* "Cheers, will do", "will try": the verb, not Will. */
		if (tok_is(ps, k, "will") && k + 1 < ps->ntok &&
		    !(ps->tok[k + 1].gap & GAP_BREAK) &&
		    (tok_is(ps, k + 1, "do") || tok_is(ps, k + 1, "be") ||
		    tok_is(ps, k + 1, "try") || tok_is(ps, k + 1, "come") ||
		    tok_is(ps, k + 1, "call") || tok_is(ps, k + 1, "text") ||
		    tok_is(ps, k + 1, "let") || tok_is(ps, k + 1, "see") ||
		    tok_is(ps, k + 1, "go") || tok_is(ps, k + 1, "join") ||
		    tok_is(ps, k + 1, "send") || tok_is(ps, k + 1, "have") ||
		    tok_is(ps, k + 1, "get") || tok_is(ps, k + 1, "pass")))
			t->role = ROLE_STOP;
	}
	/* "reg WR18 ODE", "room B12": what a road, room or plate word names
	 * is no name, though its postcode was disowned. */
	for (int k = 0; k + 1 < ps->ntok; k++) {
		if (!(ps->tok[k].word & W_ROAD))
			continue;
		for (int j = k + 1; j <= k + 2 && j < ps->ntok; j++) {
			struct token *t = &ps->tok[j];

			if ((t->gap & GAP_BREAK) || (t->role != ROLE_WORD &&
			    t->role != ROLE_OTHER) || t->len > 4 ||
			    (!(t->flags & T_DIGIT) && (t->flags & T_LOWER)))
				break;
			t->role = ROLE_JUNK;
		}
	}
	/*
	 * "EH 1JS", "NPT 0AD": capitals just before an inward-looking code
	 * are the rest of a broken postcode, not initials.
	 */
	for (int k = 1; k < ps->ntok; k++) {
		struct token *t = &ps->tok[k], *p = &ps->tok[k - 1];

		if (t->role == ROLE_OTHER && (t->flags & T_ALNUM) &&
		    t->len >= 2 && t->len <= 4 && !(t->flags & T_ALPHA0) &&
		    (t->flags & T_LETTER) && !(t->gap & ~GAP_JOIN) &&
		    p->role == ROLE_WORD && (p->flags & T_ALNUM) &&
		    p->len <= 4 && !(p->flags & T_LOWER))
			p->role = ROLE_JUNK;
	}
}

struct run {
	int	 first, n;	/* token index, number of tokens */
	int	 cue;		/* after "my name is", before "dw i" */
	int	 address;	/* after a house number */
	int	 score;
};

struct names {
	struct parse	*ps;
	int		 mixed;
	int		 cased;		/* the text has capitals and small letters */
	int		 has_postcode;
	int		 strict;	/* a question or chat: cues only */
};

static int
is_word(const struct names *nm, int k)
{
	const struct token *t = &nm->ps->tok[k];

	return t->role == ROLE_WORD && (!nm->mixed || (t->flags & T_UPPER) ||
	    (t->word & W_PARTICLE));
}

/* Does a field end after token k: the end, punctuation, the postcode? */
static int
ends_after(const struct parse *ps, int k)
{
	const struct token *t;

	if (k + 1 >= ps->ntok)
		return 1;
	t = &ps->tok[k + 1];
	return (t->gap & (GAP_BREAK | GAP_NEWLINE)) ||
	    t->role == ROLE_POSTCODE || t->role == ROLE_NUMBER ||
	    t->role == ROLE_JUNK || t->role == ROLE_OTHER;
}

/* "Name: Aisha Khan Postcode: LS1 4AP": a label is no surname. */
static int
label(const struct parse *ps, int k)
{
	static const char *const labels[] = {
		"postcode", "post", "code", "pc", "name", "mobile", "phone",
		"number", "tel", "address", "email", "cod", "enw",
	};

	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (tok_is(ps, k, labels[i]))
			return 1;
	return 0;
}

/* May token k, a stop word, go on with the open run r? */
static int
continues(const struct names *nm, const struct run *r, int k)
{
	const struct parse *ps = nm->ps;
	const struct token *t = &ps->tok[k];

	if (t->role != ROLE_STOP)
		return 0;
	/* "Rhodri ab Owain", "Noor al Din", "Iain Mac a' Bhàird". */
	if ((t->word & W_PARTICLE) && k + 1 < ps->ntok && is_word(nm, k + 1) &&
	    !(ps->tok[k + 1].gap & GAP_BREAK))
		return 1;
	/* "Lee Friend", "Ann Good", "Jane Preston": a surname after one
	 * given name, capitalised, or where the field ends. */
	if ((t->word & W_SURNAME) && r->n == 1 &&
	    (nm->cased ? (t->flags & T_CAP0) != 0 : ends_after(ps, k)))
		return 1;
	/* "Nguyễn Văn An": where case says something, a capitalised word
	 * that ends the field ends the name, unless it says something else. */
	if (nm->cased && (t->flags & T_CAP0) && !(t->flags & T_SENTENCE) &&
	    (ends_after(ps, k) || (ps->tok[k + 1].role == ROLE_STOP &&
	    !(ps->tok[k + 1].flags & T_UPPER))) && !(t->word & (W_CHAT | W_SIGNOFF | W_CUE |
	    W_ASK | W_KEYWORD | W_PLACE | W_STREET | W_POSTCUE | W_WAS |
	    W_ROAD)) && !label(ps, k))
		return 1;
	return 0;
}

/* "A Khan", "I Patel": a capital letter alone before a name. */
static int
initial(const struct names *nm, int k)
{
	const struct parse *ps = nm->ps;
	const struct token *t = &ps->tok[k];

	/* In lower-case text "j smith", but not "i", "a", "u", "n". */
	int letter = (t->flags & T_UPPER) || (!nm->cased &&
	    !tok_is(ps, k, "i") && !tok_is(ps, k, "a") &&
	    !tok_is(ps, k, "u") && !tok_is(ps, k, "n") &&
	    !tok_is(ps, k, "x") && !tok_is(ps, k, "c"));

	return t->len == 1 && letter && t->role == ROLE_STOP &&
	    !(t->word & W_KEYWORD) && k + 1 < ps->ntok && is_word(nm, k + 1) &&
	    ((ps->tok[k + 1].flags & T_CAP0) || !nm->cased) &&
	    !(ps->tok[k + 1].gap & ~(GAP_SPACE | GAP_PERIOD)) &&
	    !(ps->tok[k + 1].word & W_STOP);
}

/* Whether a run can be a name: a lone letter is an initial at most, and
 * "de la" names nobody. */
static int
usable(const struct parse *ps, const struct run *r)
{
	int letters = 0, particles = 0;

	if (r->address || r->n == 0 || r->n > MAX_NAME_WORDS)
		return 0;
	for (int k = 0; k < r->n; k++) {
		letters += ps->tok[r->first + k].len;
		particles += (ps->tok[r->first + k].word & W_PARTICLE) != 0;
	}
	return letters > 1 && particles < r->n;
}

/* The text goes on after the run with nothing more than filler? */
static int
ends_text(const struct parse *ps, const struct run *r)
{
	int words = 0;

	for (int k = r->first + r->n; k < ps->ntok; k++) {
		const struct token *t = &ps->tok[k];

		if (t->role == ROLE_WORD)
			return 0;
		if (t->role == ROLE_STOP && !(t->word & (W_CHAT | W_SIGNOFF)))
			words++;
	}
	return words <= 1;
}

/* Only kisses after the run, and at least one: "Anna x", "jane smith
 * xx".  A kiss follows a name; other sign-offs follow chat as often
 * ("Lush, diolch"). */
static int
kissed(const struct parse *ps, const struct run *r)
{
	int n = 0;

	for (int k = r->first + r->n; k < ps->ntok; k++) {
		const struct token *t = &ps->tok[k];
		if (t->role != ROLE_STOP || !(t->word & W_SIGNOFF))
			return 0;
		for (int i = 0; i < t->len; i++)
			if ((ps->text[t->off + i] | 0x20) != 'x')
				return 0;
		n++;
	}
	return n > 0;
}

static int
score(const struct names *nm, struct run *r, int nruns, int *accept)
{
	const struct parse *ps = nm->ps;
	const struct token *f = &ps->tok[r->first];
	int end = r->first + r->n, s = 0, signoff, adjacent, whole, good;

	signoff = r->first > 0 && r->n <= 3 && ends_text(ps, r) &&
	    ((f->gap & (GAP_BREAK | GAP_NEWLINE)) ||
	    (ps->tok[r->first - 1].word & W_SIGNOFF));
	adjacent = (end < ps->ntok && ps->tok[end].role == ROLE_POSTCODE) ||
	    (r->first > 0 && ps->tok[r->first - 1].role == ROLE_POSTCODE);
	whole = nruns == 1;
	for (int k = 0; k < ps->ntok && whole; k++)
		if ((k < r->first || k >= end) && ps->tok[k].role == ROLE_WORD)
			whole = 0;
	good = r->n > 1 || r->first == 0 || !(f->flags & T_SENTENCE);
	s = r->cue * 100 + signoff * 40 + adjacent * 30 + whole * 20 +
	    good * 10 + (r->n > 1) * 3;
	if (nm->has_postcode)
		*accept = 1;
	else if (nm->strict)
		/* A kiss is not chat: a name that is the whole text but for
		 * the kisses after it is a name. */
		*accept = r->cue || signoff || (r->first == 0 && whole &&
		    kissed(ps, r) && (!nm->cased || (f->flags & T_CAP0)));
	else {
		/* No postcode, no cue: a name only where the text is little
		 * more than it, capitalised where the text has capitals. */
		int capital = !nm->cased || (f->flags & T_CAP0);

		int lead = 1;

		for (int k = 0; k < r->first; k++)
			lead &= ps->tok[k].role == ROLE_STOP;
		*accept = r->cue || signoff || (capital && ((whole &&
		    ps->ntok - r->n <= 2) || (good && nm->mixed && lead)));
	}
	return s;
}

/* Cut the text into runs of name words. */
static int
runs_find(const struct names *nm, struct run *runs)
{
	const struct parse *ps = nm->ps;
	struct run cur = { 0, 0, 0, 0, 0 };
	int nruns = 0, open = 0, cue = 0;

	for (int k = 0; k <= ps->ntok; k++) {
		const struct token *t = k < ps->ntok ? &ps->tok[k] : NULL;
		int brk = t == NULL || (t->gap & GAP_BREAK);

		/* "J. Smith": a dot after an initial does not end the name. */
		if (t != NULL && open && (t->gap & ~GAP_SPACE) == GAP_PERIOD &&
		    ps->tok[k - 1].len == 1)
			brk = 0;
		if (open && !brk && (is_word(nm, k) || continues(nm, &cur, k))) {
			cur.n++;
			continue;
		}
		if (open) {
			open = 0;
			/* "Jane Smith High Street": the street is no name. */
			if (!brk && (t->word & W_STREET))
				cur.n--;
			/* "Jane here", "Sion dw i": the cue comes after. */
			if (!brk && (t->word & W_POSTCUE) &&
			    (tok_is(ps, k, "here") || tok_is(ps, k, "dwi") ||
			    tok_is(ps, k + 1, "i")))
				cur.cue = 1;
			/* A particle does not end a name: "Ludwig van". */
			while (cur.n > 1 &&
			    (ps->tok[cur.first + cur.n - 1].word & W_PARTICLE) &&
			    !(ps->tok[cur.first + cur.n - 1].flags & T_CAP0))
				cur.n--;
			if (usable(ps, &cur) && nruns < MAX_RUNS)
				runs[nruns++] = cur;
			cue = 0;
		}
		if (t == NULL)
			break;
		if (is_word(nm, k) || initial(nm, k)) {
			open = 1;
			cur.first = k;
			cur.n = 1;
			cur.cue = cue;
			cur.address = k > 0 && ps->tok[k - 1].role == ROLE_NUMBER &&
			    !(t->gap & ~GAP_SPACE);
		} else if (t->role == ROLE_STOP) {
			if (t->word & W_CUE)
				cue = 1;
		} else
			cue = 0;
	}
	return nruns;
}

struct namebuf {
	char	*s;
	size_t	 len;
	size_t	 cut;		/* length before the last base character */
	int	 full;
};

static void
name_put(struct namebuf *nb, uint32_t cp)
{
	char enc[4];
	int n;

	if (nb->full)
		return;
	n = tok_utf8_encode(cp, enc);
	if (nb->len + (size_t)n > MESSAGE_MAX_NAME - 1) {
		/* Never leave a base letter without its combining marks. */
		if (cp >= 0x300 && cp < 0x370)
			nb->len = nb->cut;
		nb->full = 1;
		return;
	}
	if (cp < 0x300 || cp >= 0x370)
		nb->cut = nb->len;
	memcpy(nb->s + nb->len, enc, (size_t)n);
	nb->len += (size_t)n;
}

enum word_case { CASE_KEEP, CASE_TITLE, CASE_LOWER };

/* Append one word, fixing its case and its apostrophes and hyphens. */
static void
name_word(struct namebuf *nb, const struct parse *ps, const struct token *t,
    enum word_case wc)
{
	const unsigned char *p = ps->text + t->off, *e = p + t->len;
	int upper_next = 1, seg = 0, pos = 0;

	/* McDonald: a nice-to-have, for Mc and at least two more letters. */
	int mc = t->len >= 4 && (p[0] | 0x20) == 'm' && (p[1] | 0x20) == 'c' &&
	    tok_is_ascii_letter(p[2]) && tok_is_ascii_letter(p[3]);

	while (p < e) {
		uint32_t cp;
		int n = tok_utf8_decode(p, e, &cp);

		if (n == 0)
			break;		/* cannot happen: tokens are valid */
		p += n;
		if (tok_is_apos(cp) || tok_is_hyphen(cp)) {
			int hyphen = tok_is_hyphen(cp);

			name_put(nb, hyphen ? '-' : '\'');
			/* O'Neill, D'Arcy, Mary-Jane; not Jones's. */
			upper_next = hyphen || seg == 1;
			seg = 0;
			pos++;
			continue;
		}
		if (cp >= 0x300 && cp < 0x370) {
			name_put(nb, cp);	/* a combining mark */
			continue;
		}
		switch (wc) {
		case CASE_TITLE:
			cp = upper_next || (mc && pos == 2) ? tok_upper(cp) :
			    tok_lower(cp);
			break;
		case CASE_LOWER:
			cp = tok_lower(cp);
			break;
		case CASE_KEEP:
			break;
		}
		name_put(nb, cp);
		upper_next = 0;
		seg++;
		pos++;
	}
}

static void
write_name(const struct parse *ps, const struct run *r, char *out)
{
	struct namebuf nb = { out, 0, 0, 0 };
	int any_upper = 0, any_lower = 0;
	uint32_t cp;

	for (int k = 0; k < r->n; k++) {
		uint16_t f = ps->tok[r->first + k].flags;

		any_upper |= (f & T_UPPER) != 0;
		any_lower |= (f & T_LOWER) != 0;
	}
	for (int k = 0; k < r->n; k++) {
		const struct token *t = &ps->tok[r->first + k];
		enum word_case wc = CASE_KEEP;
		/* "van", "ab", "al" in lower case; "Mac", "Nic" not. */
		int particle = (t->word & W_PARTICLE) && k > 0 &&
		    k < r->n - 1 && !tok_is(ps, r->first + k, "mac") &&
		    !tok_is(ps, r->first + k, "mc") &&
		    !tok_is(ps, r->first + k, "nic");

		/*
		 * "JANE SMITH" and "jane smith" get a readable case; a name
		 * typed in mixed case is kept, except for its all-lower
		 * words ("Jane smith": the phone capitalised the first).
		 */
		if (!(any_upper && any_lower))
			wc = particle ? CASE_LOWER : CASE_TITLE;
		else if (!(t->flags & T_UPPER) && !particle)
			wc = CASE_TITLE;
		if (k > 0)
			name_put(&nb, ' ');
		name_word(&nb, ps, t, wc);
		/* Keep the dot of an initial: "J. Smith". */
		if (k + 1 < r->n && (t[1].gap & GAP_PERIOD) && t->len <= 2 &&
		    tok_utf8_decode(ps->text + t->off, ps->text + t->off + t->len,
		    &cp) == t->len)
			name_put(&nb, '.');
	}
	while (nb.len > 0 && (out[nb.len - 1] == ' ' ||
	    out[nb.len - 1] == '-' || out[nb.len - 1] == '\''))
		nb.len--;
	out[nb.len] = '\0';
}


int
names_find(struct parse *ps, int strict, char *out)
{
	struct names nm = { ps, 0, 0, 0, strict };
	struct run runs[MAX_RUNS];
	int ncap = 0, nlow = 0, nruns, best = -1, bests = -1;

	out[0] = '\0';
	assign_roles(ps);
	for (int k = 0; k < ps->ntok; k++) {
		const struct token *t = &ps->tok[k];

		if (t->role == ROLE_POSTCODE)
			nm.has_postcode = 1;
		/*
		 * In mixed-case text only capitalised words are names, so
		 * that "please add me, Jane Smith" does not start with "add".
		 * Words that begin a sentence say nothing.
		 */
		if (t->role != ROLE_WORD || (t->flags & T_SENTENCE) ||
		    (t->word & W_PARTICLE))
			continue;
		if (t->flags & T_UPPER)
			ncap++;
		else if (t->flags & T_LOWER)
			nlow++;
	}
	nm.mixed = ncap > 0 && nlow > 0;
	nm.cased = ps->nupper > 0 && ps->nlower > 0;
	nruns = runs_find(&nm, runs);
	for (int i = 0; i < nruns; i++) {
		int accept, s = score(&nm, &runs[i], nruns, &accept);

		if (accept && s > bests) {
			best = i;
			bests = s;
		}
	}
	if (best < 0)
		return 0;
	write_name(ps, &runs[best], out);
	return out[0] != '\0';
}
