/*
 * reply.h -- what the gateway texts back: picks the template for the
 * outcome and fills in the branch, organiser or national contact.
 *
 * Every template is had through one lookup, reply_template(), for a
 * context of campaign and language.  Its sources today are gateway.conf
 * ([campaign NAME], [replies cy], [replies]); a source in the database
 * slots in behind the same function, tried first at each step.  For a
 * campaign C and a language L it takes the first that is set of:
 *   1. C's template in L     ([campaign C] branch.cy = ...)
 *   2. the template in L     ([replies cy] branch = ...; for English,
 *                             which [replies] is, nothing here)
 *   3. C's template          ([campaign C] branch = ...)
 *   4. the default           ([replies] branch = ...)
 * so a Welsh reader of a campaign without Welsh wording gets the Welsh
 * default rather than the campaign's English.
 */
#ifndef GATEWAY_REPLY_H
#define GATEWAY_REPLY_H

#include "branch.h"
#include "message.h"
#include "util.h"

struct config;

struct reply_ctx {
	const struct config	*cf;
	const char		*campaign;	/* NULL or "": none */
	const char		*language;	/* "en", "cy", or "cy+en": both,
						   Welsh first (language.h) */
};

/*
 * The template called name ("branch", "stop", ... as in [replies]) for
 * ctx, by the steps above; for "cy+en", the Welsh.  Never NULL for a
 * name [replies] has (NULL for another).  Lent by ctx->cf.  Any thread.
 */
const char *reply_template(const struct reply_ctx *, const char *name);

/*
 * Append the reply to a parsed, matched text to out; with then (a
 * template's name, or NULL) after it in each language ("ask_name").
 * Within [replies] max_segments: optional parts go first, both
 * languages' in turn, from the end.  0, or -1 if out is full.
 */
int	reply_compose(const struct reply_ctx *, const struct signup *,
	    const struct match *, const char *then, struct buf *out);

/* Append the template called tmpl, which only knows {name} (got_name,
 * ask_name, language_set), in ctx's language or both. */
int	reply_simple(const struct reply_ctx *, const char *tmpl,
	    const char *name, struct buf *out);

#endif
