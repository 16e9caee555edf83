/*
 * postcode.h -- UK postcodes: normalise, validate, split.
 *
 * Pure functions of their input: no database, no allocation.  Existence is
 * a question for the geocoder (geo.c); this module only knows the format.
 */
#ifndef GATEWAY_POSTCODE_H
#define GATEWAY_POSTCODE_H

#include <stddef.h>

enum postcode_kind {
	POSTCODE_NONE,		/* nothing postcode-shaped */
	POSTCODE_OUTCODE,	/* a district alone: "SE1", "SW1A" */
	POSTCODE_FULL,		/* a whole unit postcode: "SE1 7PB" */
};

/*
 * The parts of a postcode, each NUL-terminated and upper-case.  For an
 * outcode alone, full, sector and incode are "".
 *
 *   full      "SW1A 2AA"   "SE1 7PB"   "GIR 0AA"
 *   area      "SW"         "SE"        "GIR"
 *   district  "SW1A"       "SE1"       "GIR"      (the outward code)
 *   sector    "SW1A 2"     "SE1 7"     "GIR 0"
 *   incode    "2AA"        "7PB"       "0AA"
 */
struct postcode {
	enum postcode_kind kind;
	char	full[9];
	char	area[5];	/* 5, not 3: "GIR", and "NPT" from split_loose */
	char	district[5];
	char	sector[7];
	char	incode[4];
};

/*
 * Parse s as a postcode or outward code: any case, spaces anywhere (or
 * none), leading and trailing white space ignored.  Letters and digits
 * confused by shape (O/0, I/1) are fixed where the position fixes the type
 * ("SEI 7PB" -> "SE1 7PB", "0X1 2JD" -> "OX1 2JD", "B1 IAA" -> "B1 1AA").
 * The letter-position rules of BS 7666 apply (P allowed third in A9A), and
 * "GIR 0AA" is accepted.  Fills *pc and returns its kind; POSTCODE_NONE
 * leaves *pc zeroed.
 */
enum postcode_kind postcode_parse(const char *s, struct postcode *pc);

/* Same as postcode_parse on the first len bytes of s. */
enum postcode_kind postcode_parse_n(const char *s, size_t len,
	    struct postcode *pc);

/*
 * Normalise s into out ("se17pb" -> "SE1 7PB", "sw1a" -> "SW1A"); 0 on
 * success, -1 when s is neither a postcode nor an outcode.  out must hold
 * at least 9 bytes.
 */
int	postcode_normalise(const char *s, char *out, size_t outlen);

/*
 * Split a postcode as it is stored in imported data (already spaced or
 * compact, upper-case), without the live-format rules: ONS files keep
 * historic codes ("NPT 0AD", "W1M 1AA") that break them but must still be
 * imported.  0 on success, -1 when it has no outward/inward shape at all.
 */
int	postcode_split_loose(const char *s, struct postcode *pc);

#endif
