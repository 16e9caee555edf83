/*
 * segments.h -- how many SMS a text costs, counted as the network will.
 *
 * GSM 03.38 (docs/providers.md section 9): a text whose every character is
 * in the GSM-7 basic or extension table goes as 7-bit septets, extension
 * characters costing two (ESC + septet); anything else sends the whole text
 * as UCS-2, counted in UTF-16 code units (an emoji is a surrogate pair, 2).
 * One segment holds 160 septets / 70 units; a concatenated part 153 / 67,
 * and a part never splits an ESC pair or a surrogate pair.
 */
#ifndef GATEWAY_SEGMENTS_H
#define GATEWAY_SEGMENTS_H

#include <stddef.h>
#include <stdint.h>

struct buf;

enum {
	SMS_GSM7,
	SMS_UCS2
};

struct sms_count {
	int	encoding;	/* SMS_GSM7 or SMS_UCS2 */
	int	units;		/* septets or UTF-16 code units */
	int	segments;	/* parts the network sends; 1 for "" */
	int	per_segment;	/* 160/153 (GSM-7) or 70/67 (UCS-2) */
};

/*
 * Count utf8[0..len).  Invalid UTF-8 bytes count as one UCS-2 unit each and
 * force UCS-2.  Returns 0.
 */
int	sms_count(const char *utf8, size_t len, struct sms_count *out);

/* 1 when every character of the string is in the GSM-7 basic or extension
 * table (so "" is), 0 otherwise (including invalid UTF-8). */
int	sms_is_gsm7(const char *utf8);

/*
 * Smart encoding, for text on its way out as SMS.  SMS_PUNCT: typographic
 * punctuation that has a plain GSM-7 equivalent becomes it (curly quotes,
 * dashes and minus, the ellipsis, no-break and other Unicode spaces, the
 * tab; zero-width spaces, the BOM and soft hyphens go), so that a quote
 * pasted from a word processor does not make a reply UCS-2.  SMS_LETTERS:
 * letters outside GSM-7 become their look-alikes (a-circumflex to a,
 * w-circumflex to w), which changes the words: a per-instance choice.
 * Characters GSM-7 has (é, ü) are left alone, and so is anything else.
 * Appends to out; 0, or -1 when out is full.
 */
#define SMS_PUNCT	0x01
#define SMS_LETTERS	0x02
int	sms_smarten(const char *utf8, size_t len, int flags, struct buf *out);
/* Could sms_smarten change s?  Not when it is printable ASCII (but the
 * grave accent) and line breaks alone, as most replies and their values
 * are. */
int	sms_smart_needed(const char *s);

/* The distinct characters of utf8 that are in neither GSM-7 table (so
 * force UCS-2), in order of first appearance, at most max, into v; how
 * many.  An invalid byte is given as U+FFFD. */
struct sms_char {
	uint32_t	cp;
	char		utf8[5];	/* NUL-terminated */
};
int	sms_ucs2_chars(const char *utf8, struct sms_char *v, int max);

#endif
