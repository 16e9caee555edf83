/*
 * tokens.h -- the words of a text, as message.c, names.c and
 * postcode_find.c see them.  Internal to the parser: nothing outside
 * those three files includes it.
 *
 * One pass (tok_split) cuts the text into tokens: runs of letters and
 * digits, with the apostrophes and hyphens that sit between two letters
 * ("O'Neill", "Mary-Jane").  Each token remembers what separated it from
 * the one before, and what the word list says of it.
 */
#ifndef GATEWAY_TOKENS_H
#define GATEWAY_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "message.h"

#define MAX_TOKENS	(MESSAGE_MAX_TEXT / 2 + 1)
#define WORD_KEY_MAX	16	/* longest word in the word list, with NUL */

/* What separates a token from the one before it (bits, or-ed). */
#define GAP_SPACE	0x01	/* white space, quotes, emoji, bad UTF-8 */
#define GAP_HYPHEN	0x02	/* a hyphen that is not inside a word */
#define GAP_NEWLINE	0x04
#define GAP_PERIOD	0x08
#define GAP_END		0x10	/* ! ? */
#define GAP_PUNCT	0x20	/* , ; : ( ) and other marks */
#define GAP_GLUE	0x40	/* @ _ # and the like */
#define GAP_QUESTION	0x80	/* a ? among the GAP_END marks */

/* A name run ends at any of these (a line break alone does not)... */
#define GAP_BREAK	(GAP_HYPHEN | GAP_PERIOD | GAP_END | GAP_PUNCT | \
			 GAP_GLUE)
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
#define T_CAP0		0x0200	/* starts with an upper-case letter */
#define T_LINE		0x0400	/* first of a line */

enum role {
	ROLE_WORD,		/* may be part of a name */
	ROLE_STOP,		/* greeting, filler, label, keyword */
	ROLE_POSTCODE,
	ROLE_JUNK,		/* a broken or rejected postcode */
	ROLE_NUMBER,		/* a house number: "12", "3b" */
	ROLE_OTHER,		/* any other token with digits, or glued */
};

/* Word-list flags. */
#define W_STOP		0x0001	/* never starts a name */
#define W_CUE		0x0002	/* the name follows: "name", "I'm" */
#define W_PARTICLE	0x0004	/* lower-case inside a name: "van", "de" */
#define W_STREET	0x0008	/* ends a street or house name: "Road" */
#define W_SURNAME	0x0010	/* a word that is also a surname: "Good" */
#define W_PLACE		0x0020	/* a town or a country */
#define W_CHAT		0x0040	/* a chat reply: "thanks", "brilliant" */
#define W_ASK		0x0080	/* starts a question: "can", "which" */
#define W_SIGNOFF	0x0100	/* a name may follow at the end: "cheers" */
#define W_OPTVERB	0x0200	/* stop, unsubscribe, remove, delete */
#define W_OPTWORD	0x0400	/* may stand in an opt-out phrase */
#define W_CONTACT	0x0800	/* text, contact, message: "don't text me" */
#define W_WAS		0x1000	/* marks a postcode that is not meant */
#define W_ROAD		0x2000	/* "the M6", "reg WR18": no postcode next */
#define W_POSTCUE	0x4000	/* the name came before: "Sion dw i" */
#define W_KEYWORD	0x8000	/* STOP START HELP and their synonyms */

struct token {
	uint16_t off;		/* bytes into the text */
	uint16_t len;
	uint16_t flags;		/* T_* */
	uint16_t word;		/* W_* */
	uint8_t	 gap;		/* GAP_* before this token */
	uint8_t	 role;
	uint8_t	 keyword;	/* enum keyword when W_KEYWORD */
};

struct parse {
	const unsigned char	*text;
	size_t			 len;
	int			 ntok;
	int			 ndigits;
	int			 nupper, nlower;	/* letters of the text */
	const struct message_places *places;
	struct token		 tok[MAX_TOKENS];
};

/* Build the word list; once, before any parse. */
void	tok_init(void);

/* Cut ps->text into ps->tok, look every word up. */
void	tok_split(struct parse *);

/* Lower-case ASCII key of a token, ’ as '; 0 when it cannot be listed. */
size_t	tok_key(const struct parse *, const struct token *, char *key);

/* Does token k spell w (lower-case ASCII)? */
int	tok_is(const struct parse *, int k, const char *w);

/* Split token k in two at byte n of it (n inside it); 0, or -1 when full. */
int	tok_cut(struct parse *, int k, int n);

/* Is the code (upper-case) a real area, or a real district?  The lists
 * of ps->places, else the built-in area table. */
int	tok_area_real(const struct parse *, const char *area);
int	tok_district_real(const struct parse *, const char *area,
	    const char *district);
/* Is the word (lower-case) a place the gateway knows? */
int	tok_place_known(const struct parse *, const char *word, size_t n);

/* UTF-8 and a small case table, with no locale. */
int	tok_utf8_decode(const unsigned char *p, const unsigned char *e,
	    uint32_t *cp);
int	tok_utf8_encode(uint32_t cp, char *out);
uint32_t tok_upper(uint32_t cp);
uint32_t tok_lower(uint32_t cp);
int	tok_is_apos(uint32_t cp);
int	tok_is_hyphen(uint32_t cp);
int	tok_is_ascii_letter(unsigned char c);

/* The parts of the parser (postcode_find.c, names.c). */
void	postcode_find(struct parse *, struct postcode *);
int	names_find(struct parse *, int question, char *out);

#endif
