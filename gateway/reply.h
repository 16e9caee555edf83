/*
 * reply.h -- what the gateway texts back: picks the template for the
 * outcome and fills in the branch, organiser or national contact.
 *
 * A template's wording is gateway.conf's [replies] key of its name, unless
 * the database holds a row for it (store_templates.c; edited by `gateway
 * template` and the admin API), which each request thread keeps in memory
 * beside the directory and reloads with it.  Rows are keyed by (name,
 * campaign, language), "" being the default of each.
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
	RK_COUNT
};

/* The kind called name, or -1; a kind's name and what it answers. */
int		 reply_kind(const char *name);
const char	*reply_kind_name(int kind);
const char	*reply_kind_about(int kind);
/* The kind's wording in gateway.conf (or its built-in default). */
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

/*
 * The wording of kind for a campaign and a language (NULL or "": none):
 * the row for both, else for the language alone, else for the campaign
 * alone, else the default row, else gateway.conf.  db may be NULL.  Lent
 * from db or the config.
 */
const char	*reply_template(const struct config *,
		    const struct reply_texts *db, int kind,
		    const char *campaign, const char *language);

/* What a reply is worded under: filled in by the caller, lent. */
struct reply_ctx {
	const struct config		*cf;
	const struct reply_texts	*db;	/* NULL: gateway.conf alone */
	const char			*campaign;	/* NULL: default */
	const char			*language;
	int				 transliterate;	/* letters to look-alikes */
	int				 transliterate_names;	/* in {name} too */
};

/* Append the reply to a parsed, matched text to out; 0 or -1 if full. */
int	reply_compose(const struct reply_ctx *, const struct signup *,
	    const struct match *, struct buf *out);

/* Append a template that only knows {name} (RK_GOT_NAME, RK_ASK_NAME). */
int	reply_simple(const struct reply_ctx *, int kind, const char *name,
	    struct buf *out);

/*
 * Fill text (a template for kind, checked by the caller) as a reply of
 * that kind would be filled, smart encoding and budget included, into out;
 * *sent counts what would go, *full the whole fill before the budget left
 * parts out.  vars: the example values (reply_example).  0 or -1 if full.
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
