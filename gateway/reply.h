/*
 * reply.h -- what the gateway texts back: picks the template for the
 * outcome (config.c holds the wording, template.c the syntax) and fills in
 * the branch, organiser or national contact.
 */
#ifndef GATEWAY_REPLY_H
#define GATEWAY_REPLY_H

#include "branch.h"
#include "message.h"
#include "util.h"

struct config;

/* Append the reply to a parsed, matched text to out; 0 or -1 if full. */
int	reply_compose(const struct config *, const struct signup *,
	    const struct match *, struct buf *out);

/* Append a template that only knows {name} (got_name, ask_name). */
int	reply_simple(const struct config *, const char *tmpl, const char *name,
	    struct buf *out);

#endif
