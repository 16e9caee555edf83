/*
 * template.h -- the wording of replies.
 *
 * A template is text with {fields} and optional parts in square brackets:
 *
 *   Hi[ {name}]! Your nearest branch is {branch}[ ({distance})].
 *
 * An optional part is left out when a field inside it is empty, so a reply
 * never reads "Hi !".  Unknown fields and unbalanced brackets are errors
 * that config.c reports at load time, not surprises at send time.
 */
#ifndef GATEWAY_TEMPLATE_H
#define GATEWAY_TEMPLATE_H

#include <stddef.h>

#include "segments.h"
#include "util.h"

enum template_field {
	TF_NAME,	/* the supporter's name */
	TF_POSTCODE,	/* as understood: "SE1 7PB" or "SE1" */
	TF_BRANCH,	/* branch name */
	TF_MEETS,	/* when and where it meets */
	TF_CONTACT,	/* branch contact, region organiser or national contact */
	TF_PHONE,	/* that contact's phone */
	TF_EMAIL,	/* that contact's e-mail */
	TF_DISTANCE,	/* "1.2 miles" */
	TF_REGION,	/* region name */
	TF_COUNT
};

struct template_vars {
	const char	*v[TF_COUNT];	/* NULL or "" for empty */
};

/* 0 when text is a valid template, else -1 with a message in err. */
int	template_check(const char *text, char *err, size_t errlen);

/* template_check, and when the error is an unknown field, its name (what
 * was between the braces) into field; else field is "". */
int	template_check_field(const char *text, char *err, size_t errlen,
	    char *field, size_t fieldlen);

/* Render tmpl with vars into out (appended); 0, or -1 when out is full. */
int	template_render(const char *tmpl, const struct template_vars *vars,
	    struct buf *out);

/*
 * Render like template_render, and while the result is more than
 * max_segments SMS (as sms_count counts them) drop the optional parts that
 * were kept, the last one first, re-rendering each time, until it fits or
 * none is left (then out holds the shortest text it could make; nothing is
 * cut mid-word).  max_segments <= 0: no budget.  Fills *count, if count is
 * not NULL, for the text appended.  0, or -1 when out is full (out then
 * holds a partial render and *count is left alone).
 */
int	template_render_budget(const char *tmpl,
	    const struct template_vars *vars, int max_segments,
	    struct buf *out, struct sms_count *count);

/*
 * Two templates as one text, a, then sep, then b (a bilingual reply:
 * Welsh, a line break, English), each with its own vars, within
 * max_segments as template_render_budget does: the optional parts each
 * kept go first, the last first, one of b's and then one of a's in turn,
 * so that the two keep saying the same.  The shortest it can make when
 * even that is too long.  0, or -1 when out is full.
 */
int	template_render_pair_budget(const char *a,
	    const struct template_vars *va, const char *sep, const char *b,
	    const struct template_vars *vb, int max_segments, struct buf *out,
	    struct sms_count *count);

/* The field called name ("branch"), or -1; and a field's name, or NULL. */
int	template_field(const char *name, size_t len);
const char *template_field_name(int f);

#endif
