/*
 * reply.c -- choose and fill the reply template for an outcome, in the
 * campaign's wording and the reader's language (see reply.h), and the
 * same filling with example values for a preview.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "config.h"
#include "reply.h"
#include "template.h"

#define F(x)	(1u << (x))
#define F_PLACE	(F(TF_NAME) | F(TF_POSTCODE) | F(TF_REGION))
#define F_WHO	(F(TF_CONTACT) | F(TF_PHONE) | F(TF_EMAIL))

/* Where a kind's {contact} comes from, for an example. */
enum { WHO_NONE, WHO_BRANCH, WHO_ORGANISER, WHO_NATIONAL };

static const struct {
	const char	*name;
	size_t		 off;		/* its char * in struct config */
	unsigned	 fields;	/* what reply_compose gives it */
	int		 who;
	const char	*about;
} kinds[RK_COUNT] = {
	[RK_BRANCH] = { "branch", offsetof(struct config, reply_branch),
	    ~0u, WHO_BRANCH, "a branch was found" },
	[RK_REGION] = { "region", offsetof(struct config, reply_region),
	    F_PLACE | F_WHO, WHO_ORGANISER, "no branch near: the region's "
	    "organiser" },
	[RK_NATIONAL] = { "national", offsetof(struct config, reply_national),
	    F_PLACE | F_WHO, WHO_NATIONAL, "no branch or organiser: the "
	    "national contact" },
	[RK_OUT_OF_AREA] = { "out_of_area", offsetof(struct config,
	    reply_out_of_area), F_PLACE | F_WHO, WHO_NATIONAL, "a postcode "
	    "outside England and Wales" },
	[RK_NO_POSTCODE] = { "no_postcode", offsetof(struct config,
	    reply_no_postcode), F(TF_NAME), WHO_NONE, "a text without a "
	    "postcode" },
	[RK_UNKNOWN_POSTCODE] = { "unknown_postcode", offsetof(struct config,
	    reply_unknown_postcode), F_PLACE | F_WHO, WHO_NATIONAL, "a "
	    "postcode we cannot find" },
	[RK_HELP] = { "help", offsetof(struct config, reply_help), 0,
	    WHO_NONE, "HELP" },
	[RK_STOP] = { "stop", offsetof(struct config, reply_stop), 0,
	    WHO_NONE, "STOP and other opt-outs" },
	[RK_START] = { "start", offsetof(struct config, reply_start), 0,
	    WHO_NONE, "START" },
	[RK_ASK_NAME] = { "ask_name", offsetof(struct config, reply_ask_name),
	    0, WHO_NONE, "added to a reply when a text had no name" },
	[RK_GOT_NAME] = { "got_name", offsetof(struct config, reply_got_name),
	    F(TF_NAME), WHO_NONE, "the answer to ask_name" },
	[RK_QUESTION] = { "question", offsetof(struct config, reply_question),
	    0, WHO_NONE, "a question or a chat reply" },
	[RK_LANGUAGE_SET] = { "language_set", offsetof(struct config,
	    reply_language_set), 0, WHO_NONE, "CYMRAEG or ENGLISH: the reply "
	    "language a number chose" },
};

int
reply_kind(const char *name)
{
	for (int k = 0; k < RK_COUNT; k++)
		if (!strcmp(kinds[k].name, name))
			return k;
	return -1;
}

const char *
reply_kind_name(int kind)
{
	return kind >= 0 && kind < RK_COUNT ? kinds[kind].name : NULL;
}

const char *
reply_kind_about(int kind)
{
	return kind >= 0 && kind < RK_COUNT ? kinds[kind].about : NULL;
}

const char *
reply_default(const struct config *cf, int kind)
{
	const char *t = *(char *const *)(const void *)((const char *)cf +
	    kinds[kind].off);

	return t ? t : "";
}

int
reply_check(const char *text, char *err, size_t errlen, char *field,
    size_t fieldlen)
{
	if (fieldlen > 0)
		field[0] = '\0';
	if (*text == '\0') {
		snprintf(err, errlen, "a reply must say something");
		return -1;
	}
	if (strlen(text) > REPLY_TEXT_MAX) {
		snprintf(err, errlen, "longer than %d bytes", REPLY_TEXT_MAX);
		return -1;
	}
	return template_check_field(text, err, errlen, field, fieldlen);
}

void
reply_texts_free(struct reply_texts *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].campaign);
		free(t->v[i].language);
		free(t->v[i].text);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static const char *
row(const struct reply_texts *db, const char *name, const char *campaign,
    const char *language)
{
	for (size_t i = 0; db && i < db->n; i++)
		if (!strcmp(db->v[i].name, name) &&
		    !strcmp(db->v[i].campaign, campaign) &&
		    !strcmp(db->v[i].language, language))
			return db->v[i].text;
	return NULL;
}

/* gateway.conf's template name from the campaign's block (campaign
 * non-NULL) or the general ones, in lang (NULL: whatever language the
 * source's default is).  NULL when it has none. */
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
reply_template(const struct reply_ctx *ctx, int kind)
{
	const char *name = kinds[kind].name, *t;
	const char *c = ctx->campaign && *ctx->campaign ? ctx->campaign : NULL;
	const char *l = ctx->language && !strncmp(ctx->language, "cy", 2) ?
	    "cy" : "en";
	/* Most specific first; a language outranks a campaign, because a
	 * reply in the wrong language is worse than a generic one. */
	const struct { const char *campaign, *lang; } steps[] = {
		{ c, l }, { NULL, l }, { c, NULL }, { NULL, NULL },
	};

	for (size_t i = 0; i < nitems(steps); i++) {
		if (i % 2 == 0 && c == NULL)
			continue;	/* the campaign's steps, with none */
		if ((t = row(ctx->db, name, steps[i].campaign ?
		    steps[i].campaign : "", steps[i].lang ? steps[i].lang :
		    "")) != NULL)
			return t;
		if ((t = source_conf(ctx->cf, steps[i].campaign,
		    steps[i].lang, name)) != NULL)
			return t;
	}
	return reply_default(ctx->cf, kind);
}

/* --- smart rendering ------------------------------------------------- */

/* A template and its values smart-encoded. */
struct smart {
	const char		*text;		/* the template: t's, or lent */
	struct buf		 t, vb[TF_COUNT];
	struct template_vars	 sv;
};

static void
smart_make(struct smart *s, const char *tmpl, const struct template_vars *v,
    int flags, int name_flags)
{
	/* What smart encoding leaves as it is is lent, not copied. */
	buf_init(&s->t, 0);
	s->text = tmpl;
	if (sms_smart_needed(tmpl)) {
		sms_smarten(tmpl, strlen(tmpl), flags, &s->t);
		s->text = s->t.data ? s->t.data : "";
	}
	for (int f = 0; f < TF_COUNT; f++) {
		buf_init(&s->vb[f], 0);
		s->sv.v[f] = NULL;
		if (v->v[f] && *v->v[f] && !sms_smart_needed(v->v[f]))
			s->sv.v[f] = v->v[f];
		else if (v->v[f] && *v->v[f]) {
			sms_smarten(v->v[f], strlen(v->v[f]),
			    f == TF_NAME ? name_flags : flags, &s->vb[f]);
			s->sv.v[f] = s->vb[f].data;
		}
	}
}

static void
smart_free(struct smart *s)
{
	buf_release(&s->t);
	for (int f = 0; f < TF_COUNT; f++)
		buf_release(&s->vb[f]);
}

/* A template to fill with its values; the second of a bilingual pair is
 * the English. */
struct part {
	const char			*tmpl;
	const struct template_vars	*v;
};

/* p[0] (and p[1], when npart is 2, after a line break) smart-encoded by
 * flags (the name by name_flags), rendered within the budget. */
static int
render_as(const struct reply_ctx *rc, const struct part *p, int npart,
    int flags, int name_flags, struct buf *out, struct sms_count *full,
    struct sms_count *sent)
{
	struct smart s[2];
	int max = (int)rc->cf->max_segments, rv = 0;

	for (int i = 0; i < npart; i++)
		smart_make(&s[i], p[i].tmpl, p[i].v, flags, name_flags);
#define T(i)	(s[i].text)
	if (full != NULL) {
		struct buf whole;
		buf_init(&whole, 0);
		rv = npart == 1 ? template_render(T(0), &s[0].sv, &whole) :
		    template_render_pair_budget(T(0), &s[0].sv, "\n", T(1),
		    &s[1].sv, 0, &whole, NULL);
		sms_count(whole.data ? whole.data : "", whole.len, full);
		buf_release(&whole);
	}
	if (rv == 0)
		rv = npart == 1 ? template_render_budget(T(0), &s[0].sv, max,
		    out, sent) : template_render_pair_budget(T(0), &s[0].sv,
		    "\n", T(1), &s[1].sv, max, out, sent);
#undef T
	for (int i = 0; i < npart; i++)
		smart_free(&s[i]);
	return rv;
}

/* The parts, smart-encoded, with look-alike letters where the instance
 * wants them and they make the reply GSM-7. */
static int
render_parts(const struct reply_ctx *rc, const struct part *p, int npart,
    struct buf *out, struct sms_count *full, struct sms_count *sent)
{
	struct sms_count plain, looks, pf, lf;
	size_t start = out->len;
	int name_flags = SMS_PUNCT;

	/* The whole fill before the budget (a preview's) only when asked:
	 * it is a second render of every reply. */
	if (render_as(rc, p, npart, SMS_PUNCT, SMS_PUNCT, out, full ? &pf :
	    NULL, &plain) == -1)
		return -1;
	/* Look-alike letters only where they make the reply GSM-7: when a
	 * name or an emoji keeps it UCS-2 anyway, the true letters cost
	 * nothing more. */
	if (rc->transliterate && plain.encoding == SMS_UCS2) {
		struct buf alt;
		if (rc->transliterate_names)
			name_flags |= SMS_LETTERS;
		buf_init(&alt, out->max ? out->max - start : 0);
		if (render_as(rc, p, npart, SMS_PUNCT | SMS_LETTERS,
		    name_flags, &alt, full ? &lf : NULL, &looks) == 0 &&
		    looks.encoding == SMS_GSM7) {
			out->len = start;
			if (out->data != NULL)
				out->data[start] = '\0';
			buf_append(out, alt.data, alt.len);
			plain = looks;
			pf = lf;
		}
		buf_release(&alt);
	}
	if (full != NULL)
		*full = pf;
	if (sent != NULL)
		*sent = plain;
	return 0;
}

int
reply_render(const struct reply_ctx *rc, const char *tmpl,
    const struct template_vars *v, struct buf *out, struct sms_count *full,
    struct sms_count *sent)
{
	struct part p = { tmpl, v };

	return render_parts(rc, &p, 1, out, full, sent);
}

static int
bilingual(const struct reply_ctx *ctx)
{
	return ctx->language != NULL && !strcmp(ctx->language, "cy+en");
}

/* The template of kind (then the one of then, -1: none, after it) in one
 * language, into b. */
static void
wording(const struct reply_ctx *ctx, const char *lang, int kind, int then,
    struct buf *b)
{
	struct reply_ctx one = *ctx;

	one.language = lang;
	buf_init(b, 0);
	buf_puts(b, reply_template(&one, kind));
	if (then >= 0) {
		buf_puts(b, " ");
		buf_puts(b, reply_template(&one, then));
	}
}

/* Every reply within the segment budget; vars[0] Welsh, vars[1] English. */
static int
render(const struct reply_ctx *ctx, int kind, int then,
    const struct template_vars vars[2], struct buf *out)
{
	struct part p[2];
	struct buf cy, en;
	int rc;

	if (!bilingual(ctx)) {
		int welsh = ctx->language && !strcmp(ctx->language, "cy");
		wording(ctx, welsh ? "cy" : "en", kind, then, &cy);
		p[0].tmpl = cy.data ? cy.data : "";
		p[0].v = &vars[welsh ? 0 : 1];
		rc = render_parts(ctx, p, 1, out, NULL, NULL);
		buf_release(&cy);
		return rc;
	}
	wording(ctx, "cy", kind, then, &cy);
	wording(ctx, "en", kind, then, &en);
	p[0].tmpl = cy.data ? cy.data : "";
	p[0].v = &vars[0];
	p[1].tmpl = en.data ? en.data : "";
	p[1].v = &vars[1];
	rc = render_parts(ctx, p, 2, out, NULL, NULL);
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
reply_compose(const struct reply_ctx *rc, const struct signup *s,
    const struct match *m, int then, struct buf *out)
{
	const struct config *cf = rc->cf;
	struct template_vars v[2];
	int kind;
	char distance[2][32] = { "", "" };

	memset(v, 0, sizeof v);
	v[0].v[TF_NAME] = s->name;
	v[0].v[TF_POSTCODE] = s->postcode.kind == POSTCODE_FULL ?
	    s->postcode.full : s->postcode.district;
	if (m->region)
		v[0].v[TF_REGION] = m->region->name;

	switch (s->keyword) {
	case KEYWORD_STOP:
		kind = RK_STOP;
		goto simple;
	case KEYWORD_START:
		kind = RK_START;
		goto simple;
	case KEYWORD_HELP:
		kind = RK_HELP;
		goto simple;
	case KEYWORD_WELSH:
	case KEYWORD_ENGLISH:
		kind = RK_LANGUAGE_SET;
		goto simple;
	case KEYWORD_NONE:
		break;
	}
	if (s->kind == MESSAGE_QUESTION || s->kind == MESSAGE_CHAT) {
		kind = RK_QUESTION;
		goto simple;
	}
	if (s->postcode.kind == POSTCODE_NONE) {
		kind = RK_NO_POSTCODE;
		goto simple;
	}

	/* Whoever we point the supporter at: the national contact unless a
	 * branch or an organiser is better. */
	v[0].v[TF_CONTACT] = cf->national_name;
	v[0].v[TF_PHONE] = cf->national_phone;
	v[0].v[TF_EMAIL] = cf->national_email;
	switch (m->kind) {
	case MATCH_NONE:
		kind = RK_UNKNOWN_POSTCODE;
		break;
	case MATCH_COVERAGE:
	case MATCH_NEAREST:
		kind = RK_BRANCH;
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
		kind = RK_REGION;
		v[0].v[TF_CONTACT] = m->region->organiser_name;
		v[0].v[TF_PHONE] = m->region->organiser_phone;
		v[0].v[TF_EMAIL] = m->region->organiser_email;
		break;
	case MATCH_OUT_OF_AREA:
		kind = RK_OUT_OF_AREA;
		break;
	case MATCH_NATIONAL:
	default:
		kind = RK_NATIONAL;
		break;
	}
	v[1] = v[0];
	v[0].v[TF_DISTANCE] = distance[0];
	v[1].v[TF_DISTANCE] = distance[1];
	return render(rc, kind, then, v, out);
simple:
	v[1] = v[0];
	return render(rc, kind, -1, v, out);
}

int
reply_simple(const struct reply_ctx *rc, int kind, const char *name,
    struct buf *out)
{
	struct template_vars v[2];

	memset(v, 0, sizeof v);
	v[0].v[TF_NAME] = name;
	v[1] = v[0];
	return render(rc, kind, -1, v, out);
}

/* --- examples for a preview ------------------------------------------ */

/* Keep the longer of *best and s. */
static void
longer(const char **best, const char *s)
{
	if (s && *s && (*best == NULL || strlen(s) > strlen(*best)))
		*best = s;
}

void
reply_example(const struct directory *dir, const struct config *cf, int kind,
    int longest, struct template_vars *out)
{
	const struct branch *b = NULL;
	const struct region *r = NULL;
	const char *v[TF_COUNT] = { 0 };
	int km = !strcmp(cf->distance_unit, "km");

	for (size_t i = 0; i < dir->nbranches && b == NULL; i++)
		if (dir->branches[i].active)
			b = &dir->branches[i];
	if (b && b->region_id)
		r = directory_region(dir, b->region_id);
	if (r == NULL && dir->nregions)
		r = &dir->regions[0];

	if (!longest) {
		v[TF_NAME] = "Jane Smith";
		v[TF_POSTCODE] = "SE1 7PB";
		v[TF_DISTANCE] = km ? "1.3 km" : "0.8 miles";
		v[TF_BRANCH] = b ? b->name : "Southwark";
		v[TF_MEETS] = b ? b->meets : "Tuesdays 7pm";
		v[TF_REGION] = r ? r->name : "London";
		if (kinds[kind].who == WHO_BRANCH && b && b->contact_name[0]) {
			v[TF_CONTACT] = b->contact_name;
			v[TF_PHONE] = b->contact_phone;
			v[TF_EMAIL] = b->contact_email;
		} else if (kinds[kind].who == WHO_ORGANISER && r) {
			v[TF_CONTACT] = r->organiser_name;
			v[TF_PHONE] = r->organiser_phone;
			v[TF_EMAIL] = r->organiser_email;
		}
	} else {
		/* The longest a supporter is likely to give: names are
		 * rarely longer; a postcode is at most eight. */
		v[TF_NAME] = "Bartholomew Featherstonehaugh";
		v[TF_POSTCODE] = "SW1A 1AA";
		v[TF_DISTANCE] = km ? "19.9 km" : "12.4 miles";
		for (size_t i = 0; i < dir->nbranches; i++) {
			const struct branch *x = &dir->branches[i];
			if (!x->active)
				continue;
			longer(&v[TF_BRANCH], x->name);
			longer(&v[TF_MEETS], x->meets);
			if (kinds[kind].who == WHO_BRANCH) {
				longer(&v[TF_CONTACT], x->contact_name);
				longer(&v[TF_PHONE], x->contact_phone);
				longer(&v[TF_EMAIL], x->contact_email);
			}
		}
		for (size_t i = 0; i < dir->nregions; i++) {
			const struct region *x = &dir->regions[i];
			longer(&v[TF_REGION], x->name);
			if (kinds[kind].who == WHO_ORGANISER) {
				longer(&v[TF_CONTACT], x->organiser_name);
				longer(&v[TF_PHONE], x->organiser_phone);
				longer(&v[TF_EMAIL], x->organiser_email);
			}
		}
	}
	if (v[TF_CONTACT] == NULL && kinds[kind].who != WHO_NONE) {
		v[TF_CONTACT] = cf->national_name;
		v[TF_PHONE] = cf->national_phone;
		v[TF_EMAIL] = cf->national_email;
	}
	for (int f = 0; f < TF_COUNT; f++)
		out->v[f] = (kinds[kind].fields & F(f)) ? v[f] : NULL;
}
