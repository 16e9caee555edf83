/*
 * message.c -- see message.h.
 *
 * One pass cuts the text into tokens: runs of letters and digits, with the
 * apostrophes and hyphens that sit between two letters ("O'Neill",
 * "Mary-Jane").  The postcode is looked for among the tokens from the end
 * (people put it last), trying one, two, then three tokens joined, and
 * postcode_parse() decides; failing that, a bare district ("SE1").  The
 * name is then the first run of name-like words that is left, unless a
 * cue ("my name is", "I'm") points at a later one.
 *
 * PCRE2 does the two jobs a pattern states best: the whole-message keyword
 * and phone numbers.  Each is tried only when a cheap test says it could
 * match (a short text; nine digits or more), so most texts cost no regex
 * call at all.  Compiled patterns are shared and read-only; match data is
 * allocated per call, so any number of threads may parse at once.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdint.h>
#include <string.h>

#include "log.h"
#include "message.h"
#include "postcode.h"
#include "util.h"

#define MAX_TOKENS	(MESSAGE_MAX_TEXT / 2 + 1)
#define MAX_NAME_WORDS	5
#define WORD_KEY_MAX	16	/* longest word in the word list, with NUL */

/* What separates a token from the one before it (bits, or-ed). */
#define GAP_SPACE	0x01	/* white space, quotes, emoji, bad UTF-8 */
#define GAP_HYPHEN	0x02	/* a hyphen that is not inside a word */
#define GAP_NEWLINE	0x04
#define GAP_PERIOD	0x08
#define GAP_END		0x10	/* ! ? */
#define GAP_PUNCT	0x20	/* , ; : ( ) and other marks */
#define GAP_GLUE	0x40	/* @ _ # and the like */

/* A name run ends at any of these... */
#define GAP_BREAK	(GAP_HYPHEN | GAP_NEWLINE | GAP_PERIOD | GAP_END | \
			 GAP_PUNCT | GAP_GLUE)
/* ...and the parts of a postcode may only be apart by these. */
#define GAP_JOIN	(GAP_SPACE | GAP_HYPHEN | GAP_NEWLINE)

/* Token flags. */
#define T_LETTER	0x0001	/* has a letter */
#define T_DIGIT		0x0002	/* has an ASCII digit */
#define T_ALNUM		0x0004	/* ASCII letters and digits only */
#define T_UPPER		0x0008	/* has an upper-case letter */
#define T_LOWER		0x0010	/* has a lower-case letter */
#define T_SENTENCE	0x0020	/* first of the text or of a sentence */
#define T_PHONE		0x0040	/* part of a phone number */
#define T_GLUED		0x0080	/* part of an address, URL or handle */
#define T_ALPHA0	0x0100	/* starts with an ASCII letter */

enum role {
	ROLE_WORD,		/* may be part of a name */
	ROLE_STOP,		/* greeting, filler, label, keyword */
	ROLE_POSTCODE,
	ROLE_JUNK,		/* a broken postcode */
	ROLE_NUMBER,		/* a house number: "12", "3b" */
	ROLE_OTHER,		/* any other token with digits, or glued */
};

/* Word-list flags. */
#define W_STOP		0x01	/* never part of a name */
#define W_CUE		0x02	/* the name follows: "name", "I'm" */
#define W_PARTICLE	0x04	/* lower-case inside a name: "van", "de" */
#define W_STREET	0x08	/* ends a street name: "High Street" */

struct token {
	uint16_t off;		/* bytes into the text */
	uint16_t len;
	uint16_t flags;		/* T_* */
	uint8_t	 gap;		/* GAP_* before this token */
	uint8_t	 role;
	uint8_t	 word;		/* W_* */
};

struct parse {
	const unsigned char	*text;
	size_t			 len;
	int			 ntok;
	int			 ndigits;
	struct token		 tok[MAX_TOKENS];
};

static pcre2_code *re_keyword;
static pcre2_code *re_phone;
static int initialised;

/*
 * Whole message, any case; trailing ".", "!" and the like are forgiven.
 * Twilio's synonyms, one capture group per keyword.
 */
static const char keyword_pattern[] =
    "\\A\\s*(?:"
    "(STOP|STOPALL|UNSUBSCRIBE|CANCEL|END|QUIT|REVOKE|OPTOUT)|"
    "(START|UNSTOP)|"
    "(HELP|INFO)"
    ")[\\s.!?,;:]*\\z";

/*
 * Nine to fifteen digits, each apart by at most two of space ( ) . -:
 * "07700 900123", "+44 (0)7700 900123", "+447700900123".
 */
static const char phone_pattern[] =
    "(?<![0-9A-Za-z])\\+?[0-9](?:[ ().-]{0,2}[0-9]){8,14}(?![0-9])";

/* ------------------------------------------------------------------ */
/* The word list: a small open-addressed hash set built by message_init. */

struct word {
	const char	*w;
	uint8_t		 flags;
};

#define S	W_STOP
#define C	(W_STOP | W_CUE)
#define P	W_PARTICLE
#define R	(W_STOP | W_STREET)

static const struct word words[] = {
	/* greetings and sign-offs */
	{ "hi", S }, { "hii", S }, { "hiya", S }, { "hello", S },
	{ "helo", S }, { "hallo", S }, { "hey", S }, { "heya", S },
	{ "yo", S }, { "howdy", S }, { "greetings", S }, { "morning", S },
	{ "afternoon", S }, { "evening", S }, { "good", S }, { "dear", S },
	{ "there", S }, { "all", S }, { "team", S }, { "everyone", S },
	{ "thanks", S }, { "thank", S }, { "thankyou", S }, { "thx", S },
	{ "ty", S }, { "ta", S }, { "cheers", S }, { "regards", S },
	{ "best", S }, { "kind", S }, { "wishes", S }, { "love", S },
	{ "x", S }, { "xx", S }, { "xxx", S }, { "lol", S }, { "please", S },
	{ "pls", S }, { "plz", S }, { "ok", S }, { "okay", S }, { "yes", S },
	{ "yeah", S }, { "yep", S }, { "sure", S }, { "asap", S },
	/* cues: what follows is the name */
	{ "name", C }, { "names", C }, { "name's", C }, { "i'm", C },
	{ "im", C }, { "am", C }, { "called", C }, { "it's", C },
	{ "its", C },
	/* filler */
	{ "my", S }, { "is", S }, { "i", S }, { "i'd", S }, { "i've", S },
	{ "ive", S }, { "i'll", S }, { "it", S }, { "this", S },
	{ "that", S }, { "me", S }, { "are", S }, { "was", S }, { "be", S },
	{ "been", S }, { "the", S }, { "a", S }, { "an", S }, { "of", S },
	{ "in", S }, { "at", S }, { "on", S }, { "to", S }, { "for", S },
	{ "with", S }, { "from", S }, { "by", S }, { "here", S },
	{ "and", S }, { "or", S }, { "but", S }, { "so", S }, { "also", S },
	{ "just", S }, { "too", S }, { "as", S }, { "if", S }, { "not", S },
	{ "no", S }, { "very", S }, { "really", S }, { "you", S },
	{ "your", S }, { "ur", S }, { "u", S }, { "we", S }, { "our", S },
	{ "us", S }, { "they", S }, { "do", S }, { "can", S },
	{ "could", S }, { "would", S }, { "should", S }, { "want", S },
	{ "wanted", S }, { "wanna", S }, { "like", S }, { "keen", S },
	{ "happy", S }, { "interested", S }, { "join", S },
	{ "joining", S }, { "sign", S }, { "signing", S }, { "signup", S },
	{ "up", S }, { "register", S }, { "enrol", S }, { "enroll", S },
	{ "subscribe", S }, { "member", S }, { "membership", S },
	{ "add", S }, { "contact", S }, { "details", S }, { "info", S },
	{ "information", S }, { "more", S }, { "about", S },
	{ "message", S }, { "text", S }, { "sms", S }, { "reply", S },
	{ "send", S }, { "get", S }, { "know", S }, { "let", S },
	{ "find", S }, { "see", S }, { "saw", S }, { "heard", S },
	{ "poster", S }, { "leaflet", S }, { "website", S },
	{ "nearest", S }, { "near", S }, { "local", S }, { "branch", S },
	{ "group", S }, { "meeting", S }, { "meetings", S }, { "area", S },
	{ "live", S }, { "living", S }, { "based", S }, { "address", S },
	{ "volunteer", S }, { "support", S }, { "involved", S },
	{ "what", S }, { "where", S }, { "when", S }, { "how", S },
	/*
	 * Common words of a sentence around a name.  Words that are also
	 * given names (Will, May, Hope, Mark, Rose...) stay out.
	 */
	{ "who", S }, { "why", S }, { "which", S }, { "there's", S },
	{ "were", S }, { "have", S }, { "has", S }, { "had", S },
	{ "did", S }, { "does", S }, { "done", S }, { "doing", S },
	{ "shall", S }, { "must", S }, { "might", S },
	{ "need", S }, { "needs", S }, { "go", S }, { "going", S },
	{ "come", S }, { "coming", S }, { "make", S }, { "take", S },
	{ "think", S }, { "thought", S }, { "say", S }, { "said", S },
	{ "tell", S }, { "told", S }, { "ask", S }, { "asked", S },
	{ "look", S }, { "looking", S }, { "forward", S }, { "hear", S },
	{ "hearing", S }, { "back", S }, { "well", S }, { "great", S },
	{ "nice", S }, { "lovely", S }, { "cool", S }, { "fine", S },
	{ "sorry", S }, { "oops", S }, { "mean", S }, { "meant", S },
	{ "actually", S }, { "sent", S }, { "thing", S }, { "things", S },
	{ "people", S }, { "friend", S }, { "friends", S }, { "work", S },
	{ "home", S }, { "town", S }, { "city", S }, { "still", S },
	{ "again", S }, { "already", S }, { "soon", S }, { "now", S },
	{ "then", S }, { "yet", S }, { "only", S }, { "even", S },
	{ "maybe", S }, { "perhaps", S }, { "right", S }, { "lot", S },
	{ "lots", S }, { "much", S }, { "many", S }, { "other", S },
	{ "another", S }, { "same", S }, { "new", S }, { "own", S },
	{ "every", S }, { "any", S }, { "anyone", S }, { "some", S },
	{ "someone", S }, { "something", S }, { "one", S }, { "time", S },
	{ "week", S }, { "weekend", S }, { "today", S },
	{ "tomorrow", S }, { "tonight", S }, { "next", S }, { "into", S },
	{ "out", S }, { "over", S }, { "after", S }, { "before", S },
	{ "because", S }, { "via", S }, { "etc", S },
	{ "oh", S }, { "ah", S }, { "um", S }, { "bye", S }, { "later", S },
	{ "event", S }, { "events", S }, { "campaign", S }, { "union", S },
	{ "party", S }, { "club", S }, { "members", S }, { "signed", S },
	{ "joined", S }, { "volunteers", S }, { "email", S },
	{ "newsletter", S }, { "question", S }, { "enquiry", S },
	{ "got", S }, { "found", S }, { "wants", S }, { "wish", S },
	{ "likes", S }, { "attend", S }, { "visit", S }, { "lives", S },
	{ "moved", S }, { "call", S }, { "ring", S }, { "txt", S },
	{ "opt", S }, { "these", S }, { "those", S }, { "them", S },
	{ "list", S }, { "late", S }, { "early", S }, { "uni", S },
	{ "university", S }, { "college", S }, { "school", S },
	{ "student", S }, { "stall", S }, { "www", S }, { "http", S },
	{ "https", S }, { "com", S },
	{ "their", S }, { "he", S }, { "she", S }, { "his", S },
	{ "her", S }, { "him", S }, { "mine", S }, { "yours", S },
	/* labels */
	{ "postcode", S }, { "postcodes", S }, { "post", S }, { "code", S },
	{ "zip", S }, { "pc", S }, { "full", S }, { "first", S },
	{ "last", S }, { "surname", S }, { "forename", S }, { "mobile", S },
	{ "phone", S }, { "number", S }, { "tel", S }, { "flat", S },
	{ "apt", S }, { "apartment", S }, { "house", S },
	/* keywords, which are no names when not alone */
	{ "stop", S }, { "stopall", S }, { "unsubscribe", S },
	{ "cancel", S }, { "end", S }, { "quit", S }, { "revoke", S },
	{ "optout", S }, { "start", S }, { "unstop", S }, { "help", S },
	/* titles */
	{ "mr", S }, { "mrs", S }, { "ms", S }, { "miss", S }, { "mx", S },
	{ "dr", S }, { "prof", S }, { "sir", S }, { "madam", S },
	/* places big enough to be named beside a postcode */
	{ "uk", S }, { "england", S }, { "wales", S }, { "scotland", S },
	{ "london", S }, { "manchester", S }, { "birmingham", S },
	{ "leeds", S }, { "glasgow", S }, { "edinburgh", S },
	{ "cardiff", S }, { "belfast", S }, { "bristol", S },
	{ "liverpool", S }, { "sheffield", S }, { "newcastle", S },
	{ "nottingham", S }, { "leicester", S }, { "coventry", S },
	{ "bradford", S }, { "southampton", S }, { "portsmouth", S },
	{ "brighton", S }, { "plymouth", S }, { "swansea", S },
	{ "aberdeen", S }, { "dundee", S }, { "norwich", S },
	/* particles of names */
	{ "van", P }, { "von", P }, { "de", P }, { "der", P }, { "den", P },
	{ "da", P }, { "das", P }, { "dos", P }, { "di", P }, { "du", P },
	{ "del", P }, { "della", P }, { "le", P }, { "la", P }, { "bin", P },
	{ "ibn", P }, { "ap", P },
	/* street words */
	{ "street", R }, { "st", R }, { "road", R }, { "rd", R },
	{ "avenue", R }, { "ave", R }, { "crescent", R }, { "terrace", R },
	{ "gardens", R }, { "mews", R }, { "drive", R }, { "estate", R },
};

#undef S
#undef C
#undef P
#undef R

#define WORD_SLOTS	1024	/* a power of two, over twice nitems(words) */
_Static_assert(sizeof words / sizeof words[0] * 2 <= WORD_SLOTS,
    "word table too full");
static const struct word *word_table[WORD_SLOTS];

static uint32_t
word_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void
word_table_build(void)
{
	memset(word_table, 0, sizeof word_table);
	for (size_t i = 0; i < nitems(words); i++) {
		size_t n = strlen(words[i].w);
		uint32_t h = word_hash(words[i].w, n) & (WORD_SLOTS - 1);

		while (word_table[h] != NULL)
			h = (h + 1) & (WORD_SLOTS - 1);
		word_table[h] = &words[i];
	}
}

static uint8_t
word_lookup(const char *key, size_t n)
{
	uint32_t h = word_hash(key, n) & (WORD_SLOTS - 1);

	for (; word_table[h] != NULL; h = (h + 1) & (WORD_SLOTS - 1))
		if (strncmp(word_table[h]->w, key, n) == 0 &&
		    word_table[h]->w[n] == '\0')
			return word_table[h]->flags;
	return 0;
}

/* ------------------------------------------------------------------ */
/* UTF-8 and a small case table (no locale). */

/* Decode one code point; its length, or 0 for an invalid sequence. */
static int
utf8_decode(const unsigned char *p, const unsigned char *e, uint32_t *cp)
{
	uint32_t c = p[0], min;
	int n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return 0;
	if (e - p < n)
		return 0;
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static int
utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* In [lo, hi], is cp the upper (even or odd, as said) half of a pair? */
static int
pair_upper(uint32_t cp, uint32_t lo, uint32_t hi, int upper_even)
{
	return cp >= lo && cp <= hi && (int)((cp & 1) == 0) == upper_even;
}

static int
pair_lower(uint32_t cp, uint32_t lo, uint32_t hi, int upper_even)
{
	return cp >= lo && cp <= hi && (int)((cp & 1) == 0) != upper_even;
}

/*
 * Simple case pairs for Latin-1, Latin Extended-A, the common part of
 * Extended-B, Latin Extended Additional (Welsh ẁ ỳ), Greek and Cyrillic.
 * Pairs of the form (upper, upper+1) are listed as ranges.
 */
static const struct pairs {
	uint32_t lo, hi;
	int	 upper_even;
} case_pairs[] = {
	{ 0x0100, 0x012f, 1 }, { 0x0132, 0x0137, 1 }, { 0x0139, 0x0148, 0 },
	{ 0x014a, 0x0177, 1 }, { 0x0179, 0x017e, 0 }, { 0x01a0, 0x01a5, 1 },
	{ 0x01af, 0x01b0, 0 }, { 0x01cd, 0x01dc, 0 }, { 0x01de, 0x01ef, 1 },
	{ 0x01f8, 0x021f, 1 }, { 0x0222, 0x0233, 1 }, { 0x0460, 0x0481, 1 },
	{ 0x048a, 0x04bf, 1 }, { 0x04d0, 0x052f, 1 }, { 0x1e00, 0x1e95, 1 },
	{ 0x1ea0, 0x1eff, 1 },
};

static uint32_t
cp_lower(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	if ((cp >= 0xc0 && cp <= 0xde && cp != 0xd7) ||
	    (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2) ||
	    (cp >= 0x410 && cp <= 0x42f))
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 80;
	switch (cp) {
	case 0x130: return 'i';
	case 0x178: return 0xff;
	case 0x386: return 0x3ac;
	case 0x388: case 0x389: case 0x38a: return cp + 37;
	case 0x38c: return 0x3cc;
	case 0x38e: case 0x38f: return cp + 63;
	case 0x1e9e: return 0xdf;
	}
	for (size_t i = 0; i < nitems(case_pairs); i++)
		if (pair_upper(cp, case_pairs[i].lo, case_pairs[i].hi,
		    case_pairs[i].upper_even))
			return cp + 1;
	return cp;
}

static uint32_t
cp_upper(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
	if ((cp >= 0xe0 && cp <= 0xfe && cp != 0xf7) ||
	    (cp >= 0x3b1 && cp <= 0x3cb && cp != 0x3c2) ||
	    (cp >= 0x430 && cp <= 0x44f))
		return cp - 32;
	if (cp >= 0x450 && cp <= 0x45f)
		return cp - 80;
	switch (cp) {
	case 0xff: return 0x178;
	case 0x131: return 'I';
	case 0x3c2: return 0x3a3;
	case 0x3ac: return 0x386;
	case 0x3ad: case 0x3ae: case 0x3af: return cp - 37;
	case 0x3cc: return 0x38c;
	case 0x3cd: case 0x3ce: return cp - 63;
	}
	for (size_t i = 0; i < nitems(case_pairs); i++)
		if (pair_lower(cp, case_pairs[i].lo, case_pairs[i].hi,
		    case_pairs[i].upper_even))
			return cp - 1;
	return cp;
}

static int
cp_is_upper(uint32_t cp)
{
	return cp_lower(cp) != cp;
}

static int
cp_is_lower(uint32_t cp)
{
	/* ß and ĸ have no simple upper case but are lower-case letters. */
	return cp_upper(cp) != cp || cp == 0xdf || cp == 0x138;
}

/* ------------------------------------------------------------------ */
/* Tokens. */

enum cclass {
	CC_SPACE, CC_NEWLINE, CC_LETTER, CC_DIGIT, CC_APOS, CC_HYPHEN,
	CC_PERIOD, CC_END, CC_PUNCT, CC_GLUE,
};

/*
 * Letters of the scripts names are written in, roughly: everything from
 * Latin-1 letters to the end of Greek Extended, CJK and Hangul.  Combining
 * marks count, so that a decomposed "ë" stays one word.  Symbols, emoji
 * and punctuation are not letters.
 */
static int
cp_is_letter(uint32_t cp)
{
	if (cp < 0xc0)
		return 0;
	if (cp == 0xd7 || cp == 0xf7)
		return 0;
	if (cp < 0x2b0)
		return 1;
	if (cp < 0x300)
		return 0;	/* spacing modifiers */
	if (cp < 0x2000)
		return 1;
	return (cp >= 0x2c00 && cp < 0x2e00) || (cp >= 0x3040 && cp < 0xa000) ||
	    (cp >= 0xa640 && cp < 0xd800) || (cp >= 0xf900 && cp < 0xfb00) ||
	    (cp >= 0x20000 && cp < 0x30000);
}

static enum cclass
classify(uint32_t cp)
{
	if (cp < 0x80) {
		if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
			return CC_LETTER;
		if (cp >= '0' && cp <= '9')
			return CC_DIGIT;
		switch (cp) {
		case '\n': case '\r':
			return CC_NEWLINE;
		case '\'': case '`':
			return CC_APOS;
		case '-':
			return CC_HYPHEN;
		case '.':
			return CC_PERIOD;
		case '!': case '?':
			return CC_END;
		case ',': case ';': case ':': case '(': case ')': case '[':
		case ']': case '{': case '}': case '|': case '\\': case '<':
		case '>': case '*': case '+': case '=': case '~': case '^':
		case '/': case '&':
			return CC_PUNCT;
		case '@': case '_': case '#': case '%': case '$':
			return CC_GLUE;
		}
		return CC_SPACE;	/* blanks, controls, quotes */
	}
	if (cp_is_letter(cp))
		return CC_LETTER;
	switch (cp) {
	case 0x2018: case 0x2019: case 0x02bc:
		return CC_APOS;
	case 0x2010: case 0x2011:
		return CC_HYPHEN;
	case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x00ab: case 0x00bb:
		return CC_PUNCT;
	case 0x2026: case 0x3002:
		return CC_PERIOD;
	case 0x0085: case 0x2028: case 0x2029:
		return CC_NEWLINE;
	}
	return CC_SPACE;
}

/* The class of the code point at pos, and its length (1 when invalid). */
static enum cclass
next_class(const struct parse *ps, size_t pos, uint32_t *cp, int *n)
{
	*n = utf8_decode(ps->text + pos, ps->text + ps->len, cp);
	if (*n == 0) {
		*n = 1;
		*cp = ' ';
		return CC_SPACE;
	}
	return classify(*cp);
}

static void
tokenise(struct parse *ps)
{
	struct token *t = NULL;
	enum cclass prev = CC_SPACE;
	unsigned gap = 0;
	size_t pos = 0;
	uint32_t cp;
	int n, sentence = 1;

	ps->ntok = 0;
	ps->ndigits = 0;
	while (pos < ps->len) {
		enum cclass cc = next_class(ps, pos, &cp, &n);

		if (cc == CC_APOS || cc == CC_HYPHEN) {
			uint32_t ncp;
			int nn;

			/* Inside a word only between two letters. */
			if (t != NULL && prev == CC_LETTER &&
			    pos + (size_t)n < ps->len &&
			    next_class(ps, pos + (size_t)n, &ncp, &nn) ==
			    CC_LETTER) {
				t->flags &= ~T_ALNUM;
				prev = cc;
				pos += (size_t)n;
				continue;
			}
		}
		if (cc == CC_LETTER || cc == CC_DIGIT) {
			if (t == NULL) {
				if (ps->ntok == MAX_TOKENS)
					break;
				t = &ps->tok[ps->ntok++];
				memset(t, 0, sizeof *t);
				t->off = (uint16_t)pos;
				t->gap = (uint8_t)(ps->ntok == 1 ? 0 : gap);
				t->flags = T_ALNUM;
				if (sentence)
					t->flags |= T_SENTENCE;
				if (cp < 0x80 && cc == CC_LETTER)
					t->flags |= T_ALPHA0;
				gap = 0;
				sentence = 0;
			}
			if (cc == CC_DIGIT) {
				t->flags |= T_DIGIT;
				ps->ndigits++;
			} else {
				t->flags |= T_LETTER;
				if (cp >= 0x80)
					t->flags &= ~T_ALNUM;
				if (cp_is_upper(cp))
					t->flags |= T_UPPER;
				else if (cp_is_lower(cp))
					t->flags |= T_LOWER;
			}
			t->len = (uint16_t)(pos + (size_t)n - t->off);
			prev = cc;
			pos += (size_t)n;
			continue;
		}
		/* A separator: close the token, remember what it was. */
		switch (cc) {
		case CC_NEWLINE:
			gap |= GAP_NEWLINE;
			sentence = 1;
			break;
		case CC_PERIOD:
			gap |= GAP_PERIOD;
			sentence = 1;
			break;
		case CC_END:
			gap |= GAP_END;
			sentence = 1;
			break;
		case CC_PUNCT:
			gap |= GAP_PUNCT;
			break;
		case CC_GLUE:
			gap |= GAP_GLUE;
			break;
		case CC_HYPHEN:
			gap |= GAP_HYPHEN;
			break;
		default:
			gap |= GAP_SPACE;
			break;
		}
		t = NULL;
		prev = cc;
		pos += (size_t)n;
	}
}

/* Apart by punctuation alone, no white space: "jane.smith@example". */
static int
tight(unsigned gap)
{
	return gap != 0 && !(gap & (GAP_SPACE | GAP_NEWLINE));
}

/*
 * An e-mail address or a handle is no name and no postcode: mark the
 * tokens an @ _ or the like holds together, then spread the mark over
 * dots and hyphens without white space ("jane.smith@example.com").
 */
static void
mark_glue(struct parse *ps)
{
	int k, any = 0;

	for (k = 1; k < ps->ntok; k++)
		if ((ps->tok[k].gap & GAP_GLUE) && tight(ps->tok[k].gap)) {
			ps->tok[k].flags |= T_GLUED;
			ps->tok[k - 1].flags |= T_GLUED;
			any = 1;
		}
	if (!any)
		return;
	for (k = 1; k < ps->ntok; k++)
		if ((ps->tok[k - 1].flags & T_GLUED) && tight(ps->tok[k].gap))
			ps->tok[k].flags |= T_GLUED;
	for (k = ps->ntok - 1; k > 0; k--)
		if ((ps->tok[k].flags & T_GLUED) && tight(ps->tok[k].gap))
			ps->tok[k - 1].flags |= T_GLUED;
}

/* Tokens that are part of a phone number. */
static void
mark_phones(struct parse *ps)
{
	pcre2_match_data *md;
	PCRE2_SIZE start = 0, *ov;
	int k = 0;

	md = pcre2_match_data_create_from_pattern(re_phone, NULL);
	if (md == NULL)
		return;
	ov = pcre2_get_ovector_pointer(md);
	while (start < ps->len && pcre2_match(re_phone, ps->text, ps->len,
	    start, 0, md, NULL) > 0) {
		for (; k < ps->ntok && ps->tok[k].off < ov[1]; k++)
			if (ps->tok[k].off + ps->tok[k].len > ov[0])
				ps->tok[k].flags |= T_PHONE;
		start = ov[1] > start ? ov[1] : start + 1;
	}
	pcre2_match_data_free(md);
}

static enum keyword
match_keyword(const unsigned char *text, size_t len)
{
	pcre2_match_data *md;
	size_t b = 0, e = len;
	enum keyword kw = KEYWORD_NONE;
	int rc;

	/* The longest keyword is eleven letters: skip the regex otherwise. */
	while (b < e && (text[b] == ' ' || (text[b] >= '\t' && text[b] <= '\r')))
		b++;
	while (e > b && strchr(" \t\n\v\f\r.!?,;:", text[e - 1]) != NULL &&
	    text[e - 1] != '\0')
		e--;
	if (e - b < 3 || e - b > 11)
		return KEYWORD_NONE;
	md = pcre2_match_data_create_from_pattern(re_keyword, NULL);
	if (md == NULL)
		return KEYWORD_NONE;
	rc = pcre2_match(re_keyword, text, len, 0, 0, md, NULL);
	if (rc > 1) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

		/* The one group that took part names the keyword. */
		for (int g = 1; g < rc; g++)
			if (ov[2 * g] != PCRE2_UNSET)
				kw = (enum keyword)g;
	}
	pcre2_match_data_free(md);
	return kw;
}

/* ------------------------------------------------------------------ */
/* The postcode. */

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

/*
 * Tokens i..j joined as one full postcode?  postcode_parse() judges the
 * shape and fixes O/0 and I/1; this adds what only the text can tell.
 */
static int
try_full(const struct parse *ps, int i, int j, struct postcode *pc)
{
	char buf[8], typed[8];
	int n = 0, canonical, k;

	if (i < 0)
		return 0;
	for (k = i; k <= j; k++) {
		const struct token *t = &ps->tok[k];

		if (!tok_joinable(t) || (k > i && (t->gap & ~GAP_JOIN)) ||
		    n + t->len > 7)
			return 0;
		for (int c = 0; c < t->len; c++)
			typed[n++] = ascii_upper(ps->text[t->off + c]);
	}
	if (n < 5)
		return 0;
	/* A typed digit: "Bo Ola" is no "B0 0LA". */
	for (k = 0; k < n && (typed[k] < '0' || typed[k] > '9'); k++)
		;
	if (k == n || postcode_parse_n(typed, (size_t)n, pc) != POSTCODE_FULL)
		return 0;
	/* pc->full without its space, to see which characters were fixed. */
	memcpy(buf, pc->district, strlen(pc->district));
	memcpy(buf + strlen(pc->district), pc->incode, 3);
	canonical = j == i + 1 && ps->tok[j].len == 3;
	n = 0;
	for (k = i; k <= j; k++) {
		const struct token *t = &ps->tok[k];
		int fixed = memcmp(buf + n, typed + n, t->len) != 0;

		n += t->len;
		if (t->flags & T_DIGIT)
			continue;
		/*
		 * A short word is never read as part of a postcode by fixing
		 * it ("Jo" as J0), and a longer word only as the whole
		 * outward or inward code ("SEI 7PB", "B1 IAA").
		 */
		if (t->len <= 2 ? fixed : j > i && !canonical)
			return 0;
	}
	return 1;
}

/* A bare district, "SE1" or "m1": letter first, with a digit. */
static int
try_outcode(const struct parse *ps, int j, struct postcode *pc)
{
	const struct token *t = &ps->tok[j];

	if (!tok_joinable(t) || t->len < 2 || t->len > 4 ||
	    !(t->flags & T_ALPHA0) || !(t->flags & T_DIGIT))
		return 0;
	return postcode_parse_n((const char *)ps->text + t->off, t->len, pc) ==
	    POSTCODE_OUTCODE;
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
	if (!tok_joinable(t) || (t->gap & ~GAP_JOIN) || t->len > 3)
		return 0;
	if (t->flags & T_DIGIT)
		return 1;
	return !(t->flags & T_LOWER) && !(o->flags & T_LOWER);
}

static void
find_postcode(struct parse *ps, struct postcode *pc)
{
	int i, j;

	/* The last full postcode; at each end, fewest tokens first. */
	for (j = ps->ntok - 1; j >= 0; j--)
		for (i = j; i >= j - 2 && i >= 0; i--)
			if (try_full(ps, i, j, pc)) {
				for (; i <= j; i++)
					ps->tok[i].role = ROLE_POSTCODE;
				return;
			}
	memset(pc, 0, sizeof *pc);
	for (j = ps->ntok - 1; j >= 0; j--) {
		if (!try_outcode(ps, j, pc))
			continue;
		if (broken_inward(ps, j)) {
			ps->tok[j].role = ps->tok[j + 1].role = ROLE_JUNK;
			memset(pc, 0, sizeof *pc);
			continue;
		}
		ps->tok[j].role = ROLE_POSTCODE;
		return;
	}
	memset(pc, 0, sizeof *pc);
}

/* ------------------------------------------------------------------ */
/* The name. */

/* Lower-case ASCII key of a token, ’ as '; 0 when it cannot be listed. */
static size_t
word_key(const struct parse *ps, const struct token *t, char *key)
{
	const unsigned char *p = ps->text + t->off, *e = p + t->len;
	size_t n = 0;

	while (p < e) {
		if (n == WORD_KEY_MAX - 1)
			return 0;
		if (*p < 0x80) {
			key[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
			p++;
		} else if (e - p >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0x98 || p[2] == 0x99)) {
			key[n++] = '\'';
			p += 3;
		} else
			return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (key[i] == '`')
			key[i] = '\'';
	return n;
}

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
	char key[WORD_KEY_MAX];

	for (int k = 0; k < ps->ntok; k++) {
		struct token *t = &ps->tok[k];
		size_t n;

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
		if ((n = word_key(ps, t, key)) > 0) {
			t->word = word_lookup(key, n);
			/* "number's" is "number" (and "Jane's" is Jane). */
			if (t->word == 0 && n > 2 && key[n - 2] == '\'' &&
			    key[n - 1] == 's')
				t->word = word_lookup(key, n - 2) & W_STOP;
			if (t->word & W_STOP)
				t->role = ROLE_STOP;
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
	int	 first, n;	/* token index, number of words */
	int	 cue;		/* follows "my name is" and the like */
	int	 address;	/* follows a house number */
};

/* Whether a closed run can be a name; trims it to the name part. */
static int
run_usable(const struct parse *ps, struct run *r)
{
	int k, letters = 0, particles = 0;

	if (r->address)
		return 0;
	if (r->n == 0 || r->n > MAX_NAME_WORDS)
		return 0;
	for (k = 0; k < r->n; k++) {
		letters += ps->tok[r->first + k].len;
		particles += (ps->tok[r->first + k].word & W_PARTICLE) != 0;
	}
	/* A lone letter is an initial at most; "de la" names nobody. */
	return letters > 1 && particles < r->n;
}

/*
 * Pick the name: the first usable run after a cue ("my name is"), else
 * the first usable run, passing over a lone capitalised word that starts
 * a later sentence ("... Looking forward to it.  Jane").
 */
static int
find_name(const struct parse *ps, struct run *best)
{
	struct run cur = { 0, 0, 0, 0 }, first = cur;
	int mixed, ncap = 0, nlow = 0, cue = 0, have = 0, open = 0, good;

	/*
	 * In mixed-case text only capitalised words are names, so that
	 * "please add me, Jane Smith" does not start with "add".  Words that
	 * begin a sentence say nothing: phones capitalise them.
	 */
	for (int k = 0; k < ps->ntok; k++) {
		const struct token *t = &ps->tok[k];

		if (t->role != ROLE_WORD || (t->flags & T_SENTENCE) ||
		    (t->word & W_PARTICLE))
			continue;
		if (t->flags & T_UPPER)
			ncap++;
		else if (t->flags & T_LOWER)
			nlow++;
	}
	mixed = ncap > 0 && nlow > 0;

	for (int k = 0; k <= ps->ntok; k++) {
		const struct token *t = k < ps->ntok ? &ps->tok[k] : NULL;
		int word = t != NULL && t->role == ROLE_WORD &&
		    (!mixed || (t->flags & T_UPPER) || (t->word & W_PARTICLE));
		int brk = t == NULL || (t->gap & GAP_BREAK);

		/* "J. Smith": a dot after an initial does not end the name. */
		if (t != NULL && open && (t->gap & ~GAP_SPACE) == GAP_PERIOD &&
		    ps->tok[k - 1].len == 1)
			brk = 0;
		if (open && (brk || !word)) {
			open = 0;
			/* "Jane Smith High Street": the street is not the name. */
			if (!brk && (t->word & W_STREET))
				cur.n--;
			if (run_usable(ps, &cur)) {
				if (cur.cue) {
					*best = cur;
					return 1;
				}
				good = cur.n > 1 || cur.first == 0 ||
				    !(ps->tok[cur.first].flags & T_SENTENCE);
				if (good && have < 2) {
					*best = cur;
					have = 2;
				} else if (!good && have == 0) {
					first = cur;
					have = 1;
				}
			}
			cue = 0;
		}
		if (t == NULL)
			break;
		if (word) {
			if (!open) {
				open = 1;
				cur.first = k;
				cur.n = 0;
				cur.cue = cue;
				cur.address = k > 0 &&
				    ps->tok[k - 1].role == ROLE_NUMBER &&
				    !(t->gap & ~GAP_SPACE);
			}
			cur.n++;
		} else if (t->role == ROLE_STOP) {
			if (t->word & W_CUE)
				cue = 1;
		} else
			cue = 0;
	}
	if (have == 1)
		*best = first;
	return have > 0;
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
	n = utf8_encode(cp, enc);
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
	    classify(p[2]) == CC_LETTER && classify(p[3]) == CC_LETTER;

	while (p < e) {
		uint32_t cp;
		int n = utf8_decode(p, e, &cp);
		enum cclass cc;

		if (n == 0)
			break;		/* cannot happen: tokens are valid */
		p += n;
		cc = classify(cp);
		if (cc == CC_APOS || cc == CC_HYPHEN) {
			name_put(nb, cc == CC_APOS ? '\'' : '-');
			/* O'Neill, D'Arcy, Mary-Jane; not Jones's. */
			upper_next = cc == CC_HYPHEN || seg == 1;
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
			cp = upper_next || (mc && pos == 2) ? cp_upper(cp) :
			    cp_lower(cp);
			break;
		case CASE_LOWER:
			cp = cp_lower(cp);
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
		int particle = (t->word & W_PARTICLE) && k > 0 && k < r->n - 1;

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
		    utf8_decode(ps->text + t->off, ps->text + t->off + t->len,
		    &cp) == t->len)
			name_put(&nb, '.');
	}
	while (nb.len > 0 && (out[nb.len - 1] == ' ' ||
	    out[nb.len - 1] == '-' || out[nb.len - 1] == '\''))
		nb.len--;
	out[nb.len] = '\0';
}

/* ------------------------------------------------------------------ */

int
message_init(void)
{
	static const struct {
		pcre2_code	**re;
		const char	 *pattern;
		uint32_t	  options;
	} pats[] = {
		{ &re_keyword, keyword_pattern, PCRE2_CASELESS },
		{ &re_phone, phone_pattern, 0 },
	};
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE erroff;
	int err;

	if (initialised)
		return 0;
	word_table_build();
	for (size_t i = 0; i < nitems(pats); i++) {
		*pats[i].re = pcre2_compile((PCRE2_SPTR)pats[i].pattern,
		    PCRE2_ZERO_TERMINATED, pats[i].options, &err, &erroff,
		    NULL);
		if (*pats[i].re == NULL) {
			pcre2_get_error_message(err, msg, sizeof msg);
			log_error("message: pattern %zu at %zu: %s", i,
			    (size_t)erroff, (char *)msg);
			message_cleanup();
			return -1;
		}
		/* Without JIT (some platforms) the interpreter still works. */
		(void)pcre2_jit_compile(*pats[i].re, PCRE2_JIT_COMPLETE);
	}
	initialised = 1;
	return 0;
}

void
message_cleanup(void)
{
	pcre2_code_free(re_keyword);
	pcre2_code_free(re_phone);
	re_keyword = re_phone = NULL;
	initialised = 0;
}

int
message_parse(const char *text, size_t len, struct signup *out)
{
	struct parse ps;
	struct run run = { 0, 0, 0, 0 };

	memset(out, 0, sizeof *out);
	if (!initialised)
		return -1;
	if (text == NULL)
		len = 0;
	if (len > MESSAGE_MAX_TEXT)
		len = MESSAGE_MAX_TEXT;	/* a cut character reads as a space */
	if ((out->keyword = match_keyword((const unsigned char *)text, len)) !=
	    KEYWORD_NONE)
		return 0;
	ps.text = (const unsigned char *)text;
	ps.len = len;
	tokenise(&ps);
	mark_glue(&ps);
	if (ps.ndigits >= 9)
		mark_phones(&ps);
	find_postcode(&ps, &out->postcode);
	assign_roles(&ps);
	if (find_name(&ps, &run))
		write_name(&ps, &run, out->name);
	return 0;
}

const char *
keyword_name(enum keyword k)
{
	switch (k) {
	case KEYWORD_STOP:
		return "STOP";
	case KEYWORD_START:
		return "START";
	case KEYWORD_HELP:
		return "HELP";
	default:
		return NULL;
	}
}
