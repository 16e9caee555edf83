/*
 * reply.c -- choose and fill the reply template for an outcome, in the
 * campaign's wording and the reader's language (see reply.h).
 */
#include <stdio.h>
#include <string.h>

#include "campaign.h"
#include "config.h"
#include "reply.h"
#include "template.h"

/* One source of templates: the campaign's (campaign non-NULL) or the
 * general ones, in lang (NULL: whatever language the source's default
 * is).  NULL when it has none.  The database's goes here, first. */
static const char *
source_conf(const struct config *cf, const char *campaign, const char *lang,
    const char *name)
{
	if (campaign != NULL)
		return campaign_template(cf, campaign, lang, name);
	/* English is what [replies] is written in: not a step of its own. */
	if (lang != NULL && !strcmp(lang, "en"))
		return NULL;
	return config_reply(cf, lang, name);
}

const char *
reply_template(const struct reply_ctx *ctx, const char *name)
{
	const char *c = ctx->campaign && *ctx->campaign ? ctx->campaign : NULL;
	const char *lang = ctx->language && !strncmp(ctx->language, "cy", 2) ?
	    "cy" : "en";
	const struct { const char *campaign, *lang; } steps[] = {
		{ c, lang }, { NULL, lang }, { c, NULL }, { NULL, NULL },
	};
	const char *t;

	/* A campaign's "keyword" is no template. */
	if (!config_reply_known(name))
		return NULL;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if (steps[i].campaign == NULL && i % 2 == 0 && c == NULL)
			continue;	/* the campaign's steps, with none */
		if ((t = source_conf(ctx->cf, steps[i].campaign,
		    steps[i].lang, name)) != NULL)
			return t;
	}
	return NULL;
}

static int
bilingual(const struct reply_ctx *ctx)
{
	return ctx->language != NULL && !strcmp(ctx->language, "cy+en");
}

/* The template name (then after it) in one language, into b. */
static void
wording(const struct reply_ctx *ctx, const char *lang, const char *name,
    const char *then, struct buf *b)
{
	struct reply_ctx one = *ctx;
	const char *t;

	one.language = lang;
	buf_init(b, 0);
	if ((t = reply_template(&one, name)) != NULL)
		buf_puts(b, t);
	if (then != NULL && (t = reply_template(&one, then)) != NULL) {
		buf_puts(b, " ");
		buf_puts(b, t);
	}
}

/* Every reply within the segment budget; vars[0] Welsh, vars[1] English. */
static int
render(const struct reply_ctx *ctx, const char *name, const char *then,
    const struct template_vars vars[2], struct buf *out)
{
	int max = (int)ctx->cf->max_segments, rc;
	struct buf cy, en;

	if (!bilingual(ctx)) {
		int welsh = !strcmp(ctx->language ? ctx->language : "en", "cy");
		wording(ctx, welsh ? "cy" : "en", name, then, &cy);
		rc = template_render_budget(cy.data ? cy.data : "",
		    &vars[welsh ? 0 : 1], max, out, NULL);
		buf_release(&cy);
		return rc;
	}
	wording(ctx, "cy", name, then, &cy);
	wording(ctx, "en", name, then, &en);
	rc = template_render_pair_budget(cy.data ? cy.data : "", &vars[0],
	    "\n", en.data ? en.data : "", &vars[1], max, out, NULL);
	buf_release(&cy);
	buf_release(&en);
	return rc;
}

/* "1.2 miles", "1.2 milltir" (Welsh has the singular after a number),
 * "1.9 km". */
static void
distance_text(const struct config *cf, double km, int welsh, char *s,
    size_t n)
{
	double miles = km / 1.609344;

	if (!strcmp(cf->distance_unit, "km"))
		snprintf(s, n, "%.1f km", km);
	else if (welsh)
		snprintf(s, n, "%.1f milltir", miles);
	else
		snprintf(s, n, "%.1f %s", miles, miles >= 0.95 &&
		    miles < 1.05 ? "mile" : "miles");
}

int
reply_compose(const struct reply_ctx *ctx, const struct signup *s,
    const struct match *m, const char *then, struct buf *out)
{
	const struct config *cf = ctx->cf;
	struct template_vars v[2];
	const char *tmpl;
	char distance[2][32] = { "", "" };

	memset(v, 0, sizeof v);
	v[0].v[TF_NAME] = s->name;
	v[0].v[TF_POSTCODE] = s->postcode.kind == POSTCODE_FULL ?
	    s->postcode.full : s->postcode.district;
	if (m->region)
		v[0].v[TF_REGION] = m->region->name;

	switch (s->keyword) {
	case KEYWORD_STOP:
		tmpl = "stop";
		goto simple;
	case KEYWORD_START:
		tmpl = "start";
		goto simple;
	case KEYWORD_HELP:
		tmpl = "help";
		goto simple;
	case KEYWORD_WELSH:
	case KEYWORD_ENGLISH:
		tmpl = "language_set";
		goto simple;
	case KEYWORD_NONE:
		break;
	}
	if (s->kind == MESSAGE_QUESTION || s->kind == MESSAGE_CHAT) {
		tmpl = "question";
		goto simple;
	}
	if (s->postcode.kind == POSTCODE_NONE) {
		tmpl = "no_postcode";
		goto simple;
	}

	/* Whoever we point the supporter at: the national contact unless a
	 * branch or an organiser is better. */
	v[0].v[TF_CONTACT] = cf->national_name;
	v[0].v[TF_PHONE] = cf->national_phone;
	v[0].v[TF_EMAIL] = cf->national_email;
	switch (m->kind) {
	case MATCH_NONE:
		tmpl = "unknown_postcode";
		break;
	case MATCH_COVERAGE:
	case MATCH_NEAREST:
		tmpl = "branch";
		v[0].v[TF_BRANCH] = m->branch->name;
		v[0].v[TF_MEETS] = m->branch->meets;
		if (m->branch->contact_name[0] || m->branch->contact_phone[0] ||
		    m->branch->contact_email[0]) {
			v[0].v[TF_CONTACT] = m->branch->contact_name;
			v[0].v[TF_PHONE] = m->branch->contact_phone;
			v[0].v[TF_EMAIL] = m->branch->contact_email;
		}
		/* From an area centroid a distance would mislead. */
		if (m->distance_km >= 0 && !m->approximate) {
			distance_text(cf, m->distance_km, 1, distance[0],
			    sizeof distance[0]);
			distance_text(cf, m->distance_km, 0, distance[1],
			    sizeof distance[1]);
		}
		break;
	case MATCH_REGION:
		tmpl = "region";
		v[0].v[TF_CONTACT] = m->region->organiser_name;
		v[0].v[TF_PHONE] = m->region->organiser_phone;
		v[0].v[TF_EMAIL] = m->region->organiser_email;
		break;
	case MATCH_OUT_OF_AREA:
		tmpl = "out_of_area";
		break;
	case MATCH_NATIONAL:
	default:
		tmpl = "national";
		break;
	}
	v[1] = v[0];
	v[0].v[TF_DISTANCE] = distance[0];
	v[1].v[TF_DISTANCE] = distance[1];
	return render(ctx, tmpl, then, v, out);
simple:
	v[1] = v[0];
	return render(ctx, tmpl, NULL, v, out);
}

int
reply_simple(const struct reply_ctx *ctx, const char *tmpl, const char *name,
    struct buf *out)
{
	struct template_vars v[2];

	memset(v, 0, sizeof v);
	v[0].v[TF_NAME] = name;
	v[1] = v[0];
	return render(ctx, tmpl, NULL, v, out);
}
