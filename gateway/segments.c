/*
 * segments.c -- count SMS segments (see segments.h and docs/providers.md
 * section 9 for the tables).
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "segments.h"
#include "util.h"

#define GSM7_SINGLE	160
#define GSM7_PART	153
#define UCS2_SINGLE	70
#define UCS2_PART	67

/*
 * GSM-7 cost of U+0000..U+00FF: 0 not in the tables, 1 basic, 2 extension.
 * ASCII misses only ` (nowhere) and ^ { } \ [ ~ ] | (extension), plus the
 * controls other than LF, CR and FF.  U+0000 is not "@": that is septet
 * 0x00, which as UTF-8 arrives as 0x40.
 */
static const unsigned char latin_cost[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 1, 0, 0,	/* 00 LF FF CR */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 10 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 30 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 1,	/* 50 [ \ ] ^ */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 60 ` */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 0,	/* 70 { | } ~ */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 80 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 90 */
	0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,	/* A0 ¡ £ ¤ ¥ § */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,	/* B0 ¿ */
	0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0,	/* C0 Ä Å Æ Ç É */
	0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1,	/* D0 Ñ Ö Ø Ü ß */
	1, 0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0,	/* E0 à ä å æ è é ì */
	0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0,	/* F0 ñ ò ö ø ù ü */
};

/* GSM-7 cost of code point cp: 0 (not GSM-7), 1 or 2. */
static int
gsm_cost(uint32_t cp)
{
	if (cp < 0x100)
		return latin_cost[cp];
	switch (cp) {
	case 0x0393: case 0x0394: case 0x0398: case 0x039B: case 0x039E:
	case 0x03A0: case 0x03A3: case 0x03A6: case 0x03A8: case 0x03A9:
		return 1;	/* Γ Δ Θ Λ Ξ Π Σ Φ Ψ Ω */
	case 0x20AC:
		return 2;	/* € */
	default:
		return 0;
	}
}

/*
 * Decode one UTF-8 character from s[0..n), n >= 1: its length in bytes, or
 * 0 when s[0] does not start a valid one (overlong forms, surrogates and
 * values past U+10FFFF included), so the caller can count that byte alone.
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need;
	uint32_t c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		if (c == 0xE0)
			lo = 0xA0;	/* overlong */
		else if (c == 0xED)
			hi = 0x9F;	/* surrogates */
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		if (c == 0xF0)
			lo = 0x90;	/* overlong */
		else if (c == 0xF4)
			hi = 0x8F;	/* past U+10FFFF */
		c &= 0x07;
	} else
		return 0;
	if (n <= need)
		return 0;
	for (size_t i = 1; i <= need; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
		c = (c << 6) | (s[i] & 0x3F);
	}
	*cp = c;
	return need + 1;
}

/*
 * Greedy packing into parts of size cap: a character of cost 2 that does
 * not fit in what is left of a part starts the next one whole.
 */
struct packer {
	size_t	units;
	size_t	parts;
	size_t	fill;
};

static void
pack(struct packer *p, size_t cost, size_t cap)
{
	p->units += cost;
	if (p->fill + cost > cap) {
		p->parts++;
		p->fill = cost;
	} else
		p->fill += cost;
}

static int
clamp(size_t n)
{
	return n > INT_MAX ? INT_MAX : (int)n;
}

int
sms_count(const char *utf8, size_t len, struct sms_count *out)
{
	const unsigned char *s = (const unsigned char *)utf8;
	struct packer gsm = { 0, 1, 0 }, ucs = { 0, 1, 0 };
	int is_gsm = 1;
	size_t i = 0;

	/* Both countings run side by side so one pass suffices; the GSM-7
	 * one stops at the first character it cannot send. */
	while (i < len) {
		uint32_t cp = 0;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (n == 0) {
			is_gsm = 0;
			pack(&ucs, 1, UCS2_PART);
			i++;
			continue;
		}
		i += n;
		pack(&ucs, cp > 0xFFFF ? 2 : 1, UCS2_PART);
		if (is_gsm) {
			int cost = gsm_cost(cp);
			if (cost == 0)
				is_gsm = 0;
			else
				pack(&gsm, (size_t)cost, GSM7_PART);
		}
	}

	if (is_gsm) {
		out->encoding = SMS_GSM7;
		out->units = clamp(gsm.units);
		if (gsm.units <= GSM7_SINGLE) {
			out->segments = 1;
			out->per_segment = GSM7_SINGLE;
		} else {
			out->segments = clamp(gsm.parts);
			out->per_segment = GSM7_PART;
		}
	} else {
		out->encoding = SMS_UCS2;
		out->units = clamp(ucs.units);
		if (ucs.units <= UCS2_SINGLE) {
			out->segments = 1;
			out->per_segment = UCS2_SINGLE;
		} else {
			out->segments = clamp(ucs.parts);
			out->per_segment = UCS2_PART;
		}
	}
	return 0;
}

int
sms_is_gsm7(const char *utf8)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t len = strlen(utf8), i = 0;

	while (i < len) {
		uint32_t cp = 0;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (n == 0 || gsm_cost(cp) == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* --- smart encoding -------------------------------------------------- */

/* What typographic punctuation becomes ("" : dropped), or NULL. */
static const char *
punct_plain(uint32_t cp)
{
	switch (cp) {
	case 0x0009:			/* tab */
	case 0x00A0:			/* no-break space */
	case 0x1680:
	case 0x2000: case 0x2001: case 0x2002: case 0x2003: case 0x2004:
	case 0x2005: case 0x2006: case 0x2007: case 0x2008: case 0x2009:
	case 0x200A:			/* en quad .. hair space */
	case 0x202F: case 0x205F: case 0x3000:
		return " ";
	case 0x00AD:			/* soft hyphen */
	case 0x200B:			/* zero-width space */
	case 0x2060:			/* word joiner */
	case 0xFEFF:			/* BOM, zero-width no-break space */
		return "";
	case 0x2018: case 0x2019: case 0x201A: case 0x201B:
	case 0x2032: case 0x2035: case 0x02BC: case 0x00B4: case 0x0060:
		return "'";
	case 0x201C: case 0x201D: case 0x201E: case 0x201F:
	case 0x2033: case 0x00AB: case 0x00BB:
		return "\"";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
		return "-";
	case 0x2026:
		return "...";
	case 0x2039:
		return "<";
	case 0x203A:
		return ">";
	case 0x2044: case 0x2215:
		return "/";
	default:
		return NULL;
	}
}

/*
 * Latin letters with a plain look-alike, U+00C0..U+017F, one byte each
 * ('*': none, or GSM-7 has the letter itself), and Welsh's w and y with
 * grave, acute and diaeresis from Latin Extended Additional.
 */
static const char latin_plain[] =
	"AAAA****E*EEIIII" "D*OOOO***UUU*Y**" "*aaa***c**ee*iii" "d**ooo****uu*y*y"
	"AaAaAaCcCcCcCcDd" "DdEeEeEeEeEeGgGg" "GgGgHhHhIiIiIiIi" "Ii**JjKk*LlLlLlL"
	"lLlNnNnNn***OoOo" "Oo**RrRrRrSsSsSs" "SsTtTtTtUuUuUuUu" "UuUuWwYyYZzZzZzs";

static char
letter_plain(uint32_t cp)
{
	if (cp >= 0xC0 && cp <= 0x17F && latin_plain[cp - 0xC0] != '*')
		return latin_plain[cp - 0xC0];
	if (cp >= 0x1E80 && cp <= 0x1E85)
		return "WwWwWw"[cp - 0x1E80];
	if (cp == 0x1EF2 || cp == 0x1EF3)
		return cp == 0x1EF2 ? 'Y' : 'y';
	return 0;
}

int
sms_smarten(const char *utf8, size_t len, int flags, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t i = 0, run = 0;

	/* Copy runs of what stays as they are; replace the rest. */
	while (i < len) {
		uint32_t cp = 0;
		size_t n;
		const char *plain = NULL;
		char letter[2] = { 0, 0 };

		/* Printable ASCII stays, but for the grave accent, which
		 * GSM-7 lacks: most of every text. */
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '`') {
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);

		if (n == 0) {
			i++;
			continue;
		}
		if (gsm_cost(cp) == 0) {
			if (flags & SMS_PUNCT)
				plain = punct_plain(cp);
			if (plain == NULL && (flags & SMS_LETTERS) &&
			    (letter[0] = letter_plain(cp)) != 0)
				plain = letter;
		}
		if (plain != NULL) {
			if (buf_append(out, utf8 + run, i - run) == -1 ||
			    buf_puts(out, plain) == -1)
				return -1;
			run = i + n;
		}
		i += n;
	}
	if (buf_append(out, utf8 + run, len - run) == -1)
		return -1;
	return 0;
}

int
sms_smart_needed(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\r') || *p >= 0x7f ||
		    *p == '`')
			return 1;
	return 0;
}

static void
utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80)
		*o++ = (unsigned char)cp;
	else if (cp < 0x800) {
		*o++ = (unsigned char)(0xC0 | cp >> 6);
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (unsigned char)(0xE0 | cp >> 12);
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (unsigned char)(0xF0 | cp >> 18);
		*o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	}
	*o = '\0';
}

int
sms_ucs2_chars(const char *utf8, struct sms_char *v, int max)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t len = strlen(utf8), i = 0;
	int n = 0;

	while (i < len && n < max) {
		uint32_t cp = 0xFFFD;
		size_t k = utf8_decode(s + i, len - i, &cp);
		int seen = 0;

		i += k ? k : 1;
		if (k && gsm_cost(cp) != 0)
			continue;
		if (k == 0)
			cp = 0xFFFD;
		for (int j = 0; j < n; j++)
			seen |= v[j].cp == cp;
		if (seen)
			continue;
		v[n].cp = cp;
		utf8_encode(cp, v[n].utf8);
		n++;
	}
	return n;
}
