/*
 * message.h -- what a supporter's free text says: a keyword, or a name and
 * a postcode, in any order, case and spacing; or an opt-out phrase, a
 * question or a chat reply, which are no signup.
 *
 * PCRE2 is included by message.c alone.  Parsing is pure (no database): the
 * caller looks the postcode up.
 */
#ifndef GATEWAY_MESSAGE_H
#define GATEWAY_MESSAGE_H

#include <stddef.h>

#include "postcode.h"

#define MESSAGE_MAX_TEXT	2048	/* bytes of text considered; more is cut */
#define MESSAGE_MAX_NAME	128	/* bytes of UTF-8 in a name, with NUL */
#define MESSAGE_MAX_CAMPAIGN	64	/* bytes of a campaign's name, with NUL */

enum keyword {
	KEYWORD_NONE,
	KEYWORD_STOP,		/* STOP STOPALL UNSUBSCRIBE CANCEL END QUIT REVOKE OPTOUT */
	KEYWORD_START,		/* START UNSTOP */
	KEYWORD_HELP,		/* HELP INFO */
	KEYWORD_WELSH,		/* CYMRAEG: reply in Welsh from now on */
	KEYWORD_ENGLISH,	/* ENGLISH SAESNEG: reply in English */
};
/* The Welsh for them (STOPIO, DECHRAU, CYMORTH) are the same keywords;
 * see tokens.c for which a supporter may use. */

/* What kind of text it is. */
enum message_kind {
	MESSAGE_SIGNUP,		/* a name, a postcode, both, or neither */
	MESSAGE_KEYWORD,	/* STOP, START, HELP, CYMRAEG or ENGLISH,
				   however punctuated */
	MESSAGE_OPTOUT_PHRASE,	/* "please stop texting me": keyword STOP */
	MESSAGE_QUESTION,	/* "Can I bring a friend?": no name, no lead */
	MESSAGE_CHAT,		/* "Thanks mate": no name, no lead */
};

struct signup {
	enum message_kind kind;
	enum keyword	 keyword;	/* set: name and postcode are empty */
	char		 name[MESSAGE_MAX_NAME];	/* UTF-8; "" when none */
	struct postcode	 postcode;	/* .kind POSTCODE_NONE when none */
	/* The campaign whose keyword was the first word ("STRIKE Jane
	 * Smith SE1 7PB"), "" when none; the rest is parsed as ever. */
	char		 campaign[MESSAGE_MAX_CAMPAIGN];
};

/* A campaign keyword: word is lower-case ASCII letters and digits, at
 * most 15 ("strike"); campaign its name ("strike-2025"). */
struct message_campaign {
	const char	*word;
	const char	*campaign;
};

/*
 * What the parser may know of the real world, filled by the caller from
 * its directory and store and owned by it.  Each list is sorted (strcmp);
 * an empty list falls back to what is built in.
 *
 *   areas      "AB", "B", ... upper case: a repaired postcode must be in
 *              one (built in: data/postcode_areas.csv, every area)
 *   districts  "AB10", "B1", ... upper case: when given, a repaired or
 *              glued postcode must be in one; else a real area and a
 *              valid shape will do
 *   places     "barnsley", "leeds central" split into words, lower-case
 *              ASCII: post towns and branch names, never a name
 *   campaigns  the campaigns' keywords (config.c), any order: a text whose
 *              first word is one is tagged with its campaign
 */
struct message_places {
	const char *const *areas;
	size_t		   nareas;
	const char *const *districts;
	size_t		   ndistricts;
	const char *const *places;
	size_t		   nplaces;
	const struct message_campaign *campaigns;
	size_t		   ncampaigns;
};

/* Compile the patterns once, before any thread parses; 0 or -1. */
int	 message_init(void);
void	 message_cleanup(void);

/*
 * Parse len bytes of text (UTF-8; invalid bytes are treated as spaces) into
 * *out.  Safe to call from several threads at once after message_init().
 * Returns 0; -1 only when message_init() was not called or failed.
 */
int	 message_parse(const char *text, size_t len, struct signup *out);
/* The same, checking postcodes and places against *places (may be NULL). */
int	 message_parse_with(const char *text, size_t len,
	    const struct message_places *places, struct signup *out);

/* "signup", "keyword", "optout-phrase", "question", "chat". */
const char *message_kind_name(enum message_kind);

/* "STOP", "START", "HELP", "CYMRAEG", "ENGLISH"; NULL for KEYWORD_NONE. */
const char *keyword_name(enum keyword);

/*
 * Is word (any case) one the gateway keeps for itself, so that no campaign
 * may take it: a keyword or a synonym (STOP, STOPIO, INFO, CYMRAEG...) or
 * JOIN / YMUNO?  The keyword it is ("STOP", "JOIN"), else NULL.  Called by
 * config.c at load.
 */
const char *message_reserved_word(const char *word);

#endif
