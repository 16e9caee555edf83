/*
 * reply.c -- choose and fill the reply template for an outcome.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "reply.h"
#include "template.h"

/* Every reply within the segment budget. */
static int
render(const struct config *cf, const char *tmpl, const struct template_vars *v,
    struct buf *out)
{
	return template_render_budget(tmpl, v, (int)cf->max_segments, out, NULL);
}

int
reply_compose(const struct config *cf, const struct signup *s,
    const struct match *m, struct buf *out)
{
	struct template_vars v;
	const char *tmpl;
	char distance[32] = "";

	memset(&v, 0, sizeof v);
	v.v[TF_NAME] = s->name;
	v.v[TF_POSTCODE] = s->postcode.kind == POSTCODE_FULL ?
	    s->postcode.full : s->postcode.district;
	if (m->region)
		v.v[TF_REGION] = m->region->name;

	switch (s->keyword) {
	case KEYWORD_STOP:
		return render(cf, cf->reply_stop, &v, out);
	case KEYWORD_START:
		return render(cf, cf->reply_start, &v, out);
	case KEYWORD_HELP:
		return render(cf, cf->reply_help, &v, out);
	case KEYWORD_NONE:
		break;
	}
	if (s->kind == MESSAGE_QUESTION || s->kind == MESSAGE_CHAT)
		return render(cf, cf->reply_question, &v, out);
	if (s->postcode.kind == POSTCODE_NONE)
		return render(cf, cf->reply_no_postcode, &v, out);

	/* Whoever we point the supporter at: the national contact unless a
	 * branch or an organiser is better. */
	v.v[TF_CONTACT] = cf->national_name;
	v.v[TF_PHONE] = cf->national_phone;
	v.v[TF_EMAIL] = cf->national_email;
	switch (m->kind) {
	case MATCH_NONE:
		tmpl = cf->reply_unknown_postcode;
		break;
	case MATCH_COVERAGE:
	case MATCH_NEAREST:
		tmpl = cf->reply_branch;
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
		tmpl = cf->reply_region;
		v.v[TF_CONTACT] = m->region->organiser_name;
		v.v[TF_PHONE] = m->region->organiser_phone;
		v.v[TF_EMAIL] = m->region->organiser_email;
		break;
	case MATCH_OUT_OF_AREA:
		tmpl = cf->reply_out_of_area;
		break;
	case MATCH_NATIONAL:
	default:
		tmpl = cf->reply_national;
		break;
	}
	return render(cf, tmpl, &v, out);
}

int
reply_simple(const struct config *cf, const char *tmpl, const char *name,
    struct buf *out)
{
	struct template_vars v;

	memset(&v, 0, sizeof v);
	v.v[TF_NAME] = name;
	return render(cf, tmpl, &v, out);
}
