/*
 * language.h -- which language a reply is written in.
 *
 * "en", "cy", or "cy+en": both, Welsh first, as the Welsh Language
 * Standards have bilingual texts.  In this order, the first that says:
 *   1. the number's own choice, CYMRAEG or ENGLISH (store_language.c);
 *   2. [region NAME] language = ..., for the region the postcode is in;
 *   3. [language] wales = ..., for a postcode in Wales (cy+en built in);
 *   4. the language of the conversation the text answers;
 *   5. [language] default (en built in).
 * Every string these return is a static literal, so that it outlives a
 * reload of the config.
 */
#ifndef GATEWAY_LANGUAGE_H
#define GATEWAY_LANGUAGE_H

struct config;
struct match;

/* Check the [region NAME] blocks ("language = en|cy|cy+en" only), printing
 * "file:line: message"; the number of errors.  Called by config_parse. */
int	 language_load(const struct config *, const char *file);

/* "en", "cy" or "cy+en" for text of that value (any case), else NULL. */
const char *language_norm(const char *text);

/*
 * The reply language, as above: chosen the number's choice ("cy", "en"
 * or NULL), m the match (NULL, or no region or country, when the text
 * had no postcode), conv the conversation's (NULL: none).
 */
const char *language_pick(const struct config *, const char *chosen,
	    const struct match *m, const char *conv);

#endif
