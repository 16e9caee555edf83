/*
 * message.h -- what a supporter's free text says: a keyword, or a name and
 * a postcode, in any order, case and spacing.
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

enum keyword {
	KEYWORD_NONE,
	KEYWORD_STOP,		/* STOP STOPALL UNSUBSCRIBE CANCEL END QUIT REVOKE OPTOUT */
	KEYWORD_START,		/* START UNSTOP */
	KEYWORD_HELP,		/* HELP INFO */
};

struct signup {
	enum keyword	 keyword;	/* set: name and postcode are empty */
	char		 name[MESSAGE_MAX_NAME];	/* UTF-8; "" when none */
	struct postcode	 postcode;	/* .kind POSTCODE_NONE when none */
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

/* "STOP", "START", "HELP" or NULL for KEYWORD_NONE. */
const char *keyword_name(enum keyword);

#endif
