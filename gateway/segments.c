/*
 * segments.c -- count SMS segments (see segments.h and docs/providers.md
 * section 9 for the tables).
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "segments.h"

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
