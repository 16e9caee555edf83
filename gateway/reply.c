/*
 * reply.c -- choose and fill the reply template for an outcome (see
 * reply.h), and the same filling with example values for a preview.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const char *
reply_template(const struct config *cf, const struct reply_texts *db,
    int kind, const char *campaign, const char *language)
{
	const char *name = kinds[kind].name, *t = NULL;
	const char *c = campaign ? campaign : "", *l = language ? language : "";

	/* Most specific first; a language outranks a campaign, because a
	 * reply in the wrong language is worse than a generic one. */
	if (*c && *l)
		t = row(db, name, c, l);
	if (t == NULL && *l)
		t = row(db, name, "", l);
	if (t == NULL && *c)
		t = row(db, name, c, "");
	if (t == NULL)
		t = row(db, name, "", "");
	return t ? t : reply_default(cf, kind);
}

/* --- smart rendering ------------------------------------------------- */

/* tmpl and vars smart-encoded by flags (the name by name_flags), rendered
 * within the budget. */
static int
render_as(const struct reply_ctx *rc, const char *tmpl,
    const struct template_vars *v, int flags, int name_flags,
    struct buf *out, struct sms_count *full, struct sms_count *sent)
{
	struct buf t, vb[TF_COUNT];
	struct template_vars sv;
	int rv = 0;

	buf_init(&t, 0);
	sms_smarten(tmpl, strlen(tmpl), flags, &t);
	for (int f = 0; f < TF_COUNT; f++) {
		buf_init(&vb[f], 0);
		sv.v[f] = NULL;
		if (v->v[f] && *v->v[f]) {
			sms_smarten(v->v[f], strlen(v->v[f]),
			    f == TF_NAME ? name_flags : flags, &vb[f]);
			sv.v[f] = vb[f].data;
		}
	}
	if (full != NULL) {
		struct buf whole;
		buf_init(&whole, 0);
		rv = template_render(t.data ? t.data : "", &sv, &whole);
		sms_count(whole.data ? whole.data : "", whole.len, full);
		buf_release(&whole);
	}
	if (rv == 0)
		rv = template_render_budget(t.data ? t.data : "", &sv,
		    (int)rc->cf->max_segments, out, sent);
	buf_release(&t);
	for (int f = 0; f < TF_COUNT; f++)
		buf_release(&vb[f]);
	return rv;
}

int
reply_render(const struct reply_ctx *rc, const char *tmpl,
    const struct template_vars *v, struct buf *out, struct sms_count *full,
    struct sms_count *sent)
{
	struct sms_count plain, looks, pf, lf;
	size_t start = out->len;
	int name_flags = SMS_PUNCT;

	if (render_as(rc, tmpl, v, SMS_PUNCT, SMS_PUNCT, out, &pf,
	    &plain) == -1)
		return -1;
	/* Look-alike letters only where they make the reply GSM-7: when a
	 * name or an emoji keeps it UCS-2 anyway, the true letters cost
	 * nothing more. */
	if (rc->transliterate && plain.encoding == SMS_UCS2) {
		struct buf alt;
		if (rc->transliterate_names)
			name_flags |= SMS_LETTERS;
		buf_init(&alt, out->max ? out->max - start : 0);
		if (render_as(rc, tmpl, v, SMS_PUNCT | SMS_LETTERS, name_flags,
		    &alt, &lf, &looks) == 0 && looks.encoding == SMS_GSM7) {
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

static int
render(const struct reply_ctx *rc, int kind, const struct template_vars *v,
    struct buf *out)
{
	return reply_render(rc, reply_template(rc->cf, rc->db, kind,
	    rc->campaign, rc->language), v, out, NULL, NULL);
}

int
reply_compose(const struct reply_ctx *rc, const struct signup *s,
    const struct match *m, struct buf *out)
{
	const struct config *cf = rc->cf;
	struct template_vars v;
	int kind;
	char distance[32] = "";

	memset(&v, 0, sizeof v);
	v.v[TF_NAME] = s->name;
	v.v[TF_POSTCODE] = s->postcode.kind == POSTCODE_FULL ?
	    s->postcode.full : s->postcode.district;
	if (m->region)
		v.v[TF_REGION] = m->region->name;

	switch (s->keyword) {
	case KEYWORD_STOP:
		return render(rc, RK_STOP, &v, out);
	case KEYWORD_START:
		return render(rc, RK_START, &v, out);
	case KEYWORD_HELP:
		return render(rc, RK_HELP, &v, out);
	case KEYWORD_NONE:
		break;
	}
	if (s->kind == MESSAGE_QUESTION || s->kind == MESSAGE_CHAT)
		return render(rc, RK_QUESTION, &v, out);
	if (s->postcode.kind == POSTCODE_NONE)
		return render(rc, RK_NO_POSTCODE, &v, out);

	/* Whoever we point the supporter at: the national contact unless a
	 * branch or an organiser is better. */
	v.v[TF_CONTACT] = cf->national_name;
	v.v[TF_PHONE] = cf->national_phone;
	v.v[TF_EMAIL] = cf->national_email;
	switch (m->kind) {
	case MATCH_NONE:
		kind = RK_UNKNOWN_POSTCODE;
		break;
	case MATCH_COVERAGE:
	case MATCH_NEAREST:
		kind = RK_BRANCH;
		v.v[TF_BRANCH] = m->branch->name;
		v.v[TF_MEETS] = m->branch->meets;
		if (m->branch->contact_name[0] || m->branch->contact_phone[0] ||
		    m->branch->contact_email[0]) {
			v.v[TF_CONTACT] = m->branch->contact_name;
			v.v[TF_PHONE] = m->branch->contact_phone;
			v.v[TF_EMAIL] = m->branch->contact_email;
		}
		/* From an area centroid a distance would mislead. */
		if (m->distance_km >= 0 && !m->approximate) {
			if (!strcmp(cf->distance_unit, "km"))
				snprintf(distance, sizeof distance, "%.1f km",
				    m->distance_km);
			else {
				double miles = m->distance_km / 1.609344;
				snprintf(distance, sizeof distance, "%.1f %s",
				    miles, miles >= 0.95 && miles < 1.05 ?
				    "mile" : "miles");
			}
			v.v[TF_DISTANCE] = distance;
		}
		break;
	case MATCH_REGION:
		kind = RK_REGION;
		v.v[TF_CONTACT] = m->region->organiser_name;
		v.v[TF_PHONE] = m->region->organiser_phone;
		v.v[TF_EMAIL] = m->region->organiser_email;
		break;
	case MATCH_OUT_OF_AREA:
		kind = RK_OUT_OF_AREA;
		break;
	case MATCH_NATIONAL:
	default:
		kind = RK_NATIONAL;
		break;
	}
	return render(rc, kind, &v, out);
}

int
reply_simple(const struct reply_ctx *rc, int kind, const char *name,
    struct buf *out)
{
	struct template_vars v;

	memset(&v, 0, sizeof v);
	v.v[TF_NAME] = name;
	return render(rc, kind, &v, out);
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
