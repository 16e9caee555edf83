/*
 * reply.h -- what the gateway texts back: picks the template for the
 * outcome, in the campaign's wording and the reader's language, and fills
 * in the branch, organiser or national contact.
 *
 * Every template is had through one lookup, reply_template(), for a
 * context of campaign and language.  It has two sources: the database's
 * rows (store_templates.c; edited by `gateway template` and the admin
 * API), which each request thread keeps in memory beside the directory
 * and reloads with it, keyed by (name, campaign, language) with "" the
 * default of each; and gateway.conf ([campaign NAME], [replies cy] with
 * the built-in Welsh, [replies]).  For a campaign C and a language L it
 * takes the first that is set of, the database's first at each step:
 *   1. C's template in L     row (C, L); [campaign C] branch.cy = ...
 *   2. the template in L     row ("", L); [replies cy] branch = ...
 *                            (for English, which [replies] is, no conf)
 *   3. C's template          row (C, ""); [campaign C] branch = ...
 *   4. the default           row ("", ""); [replies] branch = ...
 * so a Welsh reader of a campaign without Welsh wording gets the Welsh
 * default rather than the campaign's English, and a default row edited
 * in English never answers a Welsh reader.
 *
 * Outgoing text is smart-encoded (segments.h): typographic punctuation
 * always becomes plain GSM-7, and letters become look-alikes where the
 * instance says transliterate = yes, never in the supporter's own name
 * unless transliterate_names = yes as well.
 */
#ifndef GATEWAY_REPLY_H
#define GATEWAY_REPLY_H

#include <stdint.h>

#include "branch.h"
#include "message.h"
#include "segments.h"
#include "template.h"
#include "util.h"

struct config;

/* The templates, by name: what gateway.conf's [replies] calls them. */
enum reply_kind {
	RK_BRANCH,
	RK_REGION,
	RK_NATIONAL,
	RK_OUT_OF_AREA,
	RK_NO_POSTCODE,
	RK_UNKNOWN_POSTCODE,
	RK_HELP,
	RK_STOP,
	RK_START,
	RK_ASK_NAME,
	RK_GOT_NAME,
	RK_QUESTION,
	RK_LANGUAGE_SET,	/* CYMRAEG / ENGLISH understood */
	RK_COUNT
};

/* The kind called name, or -1; a kind's name and what it answers. */
int		 reply_kind(const char *name);
const char	*reply_kind_name(int kind);
const char	*reply_kind_about(int kind);
/* The kind's wording in gateway.conf's [replies] (or its built-in
 * default): the English, step 4's. */
const char	*reply_default(const struct config *, int kind);

/*
 * Is text fit to be a template?  Not empty, at most REPLY_TEXT_MAX bytes,
 * and template_check's syntax; an unknown field's name goes into field
 * ("" otherwise).  0, or -1 with err.  The CLI and the admin API both ask.
 */
#define REPLY_TEXT_MAX	1000
int		 reply_check(const char *text, char *err, size_t errlen,
		    char *field, size_t fieldlen);

/* The database's rows, owned. */
struct reply_text {
	char	*name;
	char	*campaign;		/* "": every campaign */
	char	*language;		/* "": every language */
	char	*text;
	int64_t	 updated_at;
};
struct reply_texts {
	struct reply_text	*v;
	size_t			 n;
};
void		 reply_texts_free(struct reply_texts *);

/* What a reply is worded under: filled in by the caller, lent. */
struct reply_ctx {
	const struct config		*cf;
	const struct reply_texts	*db;	/* NULL: gateway.conf alone */
	const char			*campaign;	/* NULL or "": none */
	const char			*language;	/* "en", "cy", or "cy+en":
							   both, Welsh first
							   (language.h); NULL:
							   "en" */
	int				 transliterate;	/* letters to look-alikes */
	int				 transliterate_names;	/* in {name} too */
};

/*
 * The wording of kind for ctx, by the steps above; for "cy+en", the
 * Welsh.  Never NULL for a kind.  Lent from ctx->db or ctx->cf.  Any
 * thread.
 */
const char	*reply_template(const struct reply_ctx *, int kind);

/*
 * Append the reply to a parsed, matched text to out; with then (a kind,
 * or -1: none) after it in each language (RK_ASK_NAME).  Within [replies]
 * max_segments: optional parts go first, both languages' in turn, from
 * the end.  0, or -1 if out is full.
 */
int	reply_compose(const struct reply_ctx *, const struct signup *,
	    const struct match *, int then, struct buf *out);

/* Append a template that only knows {name} (RK_GOT_NAME, RK_ASK_NAME,
 * RK_LANGUAGE_SET), in ctx's language or both. */
int	reply_simple(const struct reply_ctx *, int kind, const char *name,
	    struct buf *out);

/*
 * Fill text (a template for kind, checked by the caller) as a reply of
 * that kind would be filled, smart encoding and budget included, into out;
 * *sent counts what would go, *full the whole fill before the budget left
 * parts out.  vars: the example values (reply_example).  One language:
 * ctx's language says nothing here.  0 or -1 if full.
 */
int	reply_render(const struct reply_ctx *, const char *text,
	    const struct template_vars *vars, struct buf *out,
	    struct sms_count *full, struct sms_count *sent);

/*
 * Example values for a preview of kind: the fields that kind is given
 * when it is sent, from the directory's first active branch and its region
 * (longest 0), or the longest value of each field that the directory holds
 * (longest 1), with a long name and a two-digit distance.  Lent from dir or
 * static.
 */
void	reply_example(const struct directory *, const struct config *,
	    int kind, int longest, struct template_vars *out);

#endif
