/*
 * campaign.h -- campaigns on the one number: "[campaign NAME]" sections of
 * gateway.conf, each with its keywords and the reply templates it words
 * its own way.
 *
 *   [campaign strike]
 *   keyword = STRIKE, WALKOUT
 *   branch = Thanks for backing the strike[ {name}]! Your branch: ...
 *   branch.cy = Diolch am gefnogi'r streic...
 *
 * A text whose first word is a keyword is tagged with the campaign
 * (message.c finds it, the lead keeps it) and gets its templates where it
 * has them (reply.c's lookup).  Loaded with the config, read-only after.
 */
#ifndef GATEWAY_CAMPAIGN_H
#define GATEWAY_CAMPAIGN_H

struct config;

/*
 * Check every [campaign] block of cf, printing each error as
 * "file:line: message" to stderr, and gather the keywords into
 * cf->campaign_words for the parser.  Unknown keys, a keyword that is
 * not one word of letters and digits, one two campaigns share, and one
 * the gateway keeps (STOP, START, HELP, JOIN, CYMRAEG and their synonyms)
 * are errors.  The number of errors.  Called by config_parse.
 */
int	 campaign_load(struct config *, const char *file);
void	 campaign_free(struct config *);

/*
 * The template called name ("branch") that campaign sets: in lang ("cy":
 * key "branch.cy"), or with lang NULL for any language (key "branch").
 * NULL when it sets none, or there is no such campaign.  Lent by cf.
 */
const char *campaign_template(const struct config *, const char *campaign,
	    const char *lang, const char *name);

/* Is name a configured campaign?  Exact, as stored with leads.  1 or 0. */
int	 campaign_known(const struct config *, const char *name);

#endif
