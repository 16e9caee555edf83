/*
 * admin_templates.c -- /admin/api/templates: the reply templates, their
 * editing (audited like every admin write; the next reply on every node
 * uses it, as the templates reload with the directory) and a preview with
 * example data, segments and encoding.  Called by admin_api in a request
 * thread, on that thread's gateway.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "config.h"
#include "pipeline.h"
#include "reply.h"
#include "segments.h"
#include "store.h"
#include "template.h"
#include "util.h"

static enum route_result
answer(struct http_resp *resp, int status, json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT);

	http_resp_set(resp, status, "application/json", text ? text : "{}");
	free(text);
	json_decref(o);
	return ROUTE_DONE;
}

static enum route_result
refuse(struct http_resp *resp, int status, const char *field,
    const char *placeholder, const char *msg)
{
	json_t *o = json_pack("{s:s}", "error", msg);

	if (field)
		json_object_set_new(o, "field", json_string(field));
	if (placeholder && *placeholder)
		json_object_set_new(o, "placeholder", json_string(placeholder));
	return answer(resp, status, o);
}

/* The example values a kind is filled with, as {field: value}. */
static json_t *
fields_json(const struct template_vars *v)
{
	json_t *o = json_object();

	for (int f = 0; f < TF_COUNT; f++)
		if (v->v[f] && *v->v[f])
			json_object_set_new(o, template_field_name(f),
			    json_string(v->v[f]));
	return o;
}

static json_t *
template_json(struct gateway *gw, int kind)
{
	const char *name = reply_kind_name(kind);
	const struct reply_text *row = NULL;
	struct template_vars ex;

	for (size_t i = 0; i < gw->texts.n; i++)
		if (!strcmp(gw->texts.v[i].name, name) &&
		    !gw->texts.v[i].campaign[0] && !gw->texts.v[i].language[0])
			row = &gw->texts.v[i];
	reply_example(&gw->dir, gw->cf, kind, 0, &ex);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}", "name", name,
	    "about", reply_kind_about(kind), "text", row ? row->text :
	    reply_default(gw->cf, kind), "default", reply_default(gw->cf, kind),
	    "edited", row != NULL, "example", fields_json(&ex));
	json_object_set_new(o, "updated_at", row ?
	    json_integer(row->updated_at) : json_null());
	return o;
}

static json_t *
count_json(const struct sms_count *c)
{
	return json_pack("{s:s, s:i, s:i, s:i}", "encoding",
	    c->encoding == SMS_GSM7 ? "GSM-7" : "UCS-2", "units", c->units,
	    "segments", c->segments, "per_segment", c->per_segment);
}

/* One fill of text: what would be sent, and the whole before the
 * budget. */
static json_t *
fill_json(struct gateway *gw, int kind, const char *text, int longest,
    json_t *ucs2)
{
	struct reply_ctx rc;
	struct template_vars ex;
	struct sms_count full, sent;
	struct sms_char chars[32];
	struct buf out, whole;

	gateway_reply_ctx(gw, NULL, &rc);
	reply_example(&gw->dir, gw->cf, kind, longest, &ex);
	buf_init(&out, 0);
	buf_init(&whole, 0);
	reply_render(&rc, text, &ex, &out, &full, &sent);
	json_t *o = count_json(&sent);
	json_object_set_new(o, "text", json_string(out.data ? out.data : ""));
	json_object_set_new(o, "full", count_json(&full));
	json_object_set_new(o, "fields", fields_json(&ex));
	/* What forces UCS-2 is read from the whole fill, smart-encoded as
	 * it would go: a curly quote is not in the list, a w-circumflex
	 * (from the text or a branch's name) is. */
	struct config nobudget = *gw->cf;
	nobudget.max_segments = 0;
	rc.cf = &nobudget;
	reply_render(&rc, text, &ex, &whole, NULL, NULL);
	int n = sms_ucs2_chars(whole.data ? whole.data : "", chars,
	    (int)nitems(chars));
	json_t *mine = json_array();
	for (int i = 0; i < n; i++) {
		json_array_append_new(mine, json_string(chars[i].utf8));
		if (ucs2 != NULL) {
			int seen = 0;
			size_t j;
			json_t *c;
			json_array_foreach(ucs2, j, c)
				seen |= !strcmp(json_string_value(c),
				    chars[i].utf8);
			if (!seen)
				json_array_append_new(ucs2,
				    json_string(chars[i].utf8));
		}
	}
	json_object_set_new(o, "ucs2", mine);
	buf_release(&out);
	buf_release(&whole);
	return o;
}

/* Checked text from body, or NULL after refusing it in resp. */
static const char *
body_text(json_t *body, int required, struct http_resp *resp)
{
	json_t *t = json_object_get(body, "text");
	char err[256], field[64];

	if (t == NULL && !required)
		return "";
	if (!json_is_string(t)) {
		refuse(resp, 422, "text", NULL, "text: must be text");
		return NULL;
	}
	if (reply_check(json_string_value(t), err, sizeof err, field,
	    sizeof field) == -1) {
		refuse(resp, 422, "text", field, err);
		return NULL;
	}
	return json_string_value(t);
}

static enum route_result
preview(struct gateway *gw, json_t *body, struct http_resp *resp)
{
	const char *name = json_string_value(json_object_get(body, "name"));
	const char *text;
	int kind;

	if (!json_is_object(body))
		return refuse(resp, 400, NULL, NULL, "expected a JSON object");
	if (name == NULL || (kind = reply_kind(name)) < 0)
		return refuse(resp, 422, "name", NULL, "no such template");
	if ((text = body_text(body, 0, resp)) == NULL)
		return ROUTE_DONE;
	if (*text == '\0') {
		struct reply_ctx rc;
		gateway_reply_ctx(gw, NULL, &rc);
		text = reply_template(&rc, kind);
	}
	json_t *ucs2 = json_array();
	json_t *o = json_pack("{s:s, s:i}", "name", name, "max_segments",
	    (int)gw->cf->max_segments);
	json_object_set_new(o, "example", fill_json(gw, kind, text, 0, ucs2));
	json_object_set_new(o, "longest", fill_json(gw, kind, text, 1, ucs2));
	json_object_set_new(o, "ucs2", ucs2);
	return answer(resp, 200, o);
}

enum route_result
admin_templates(struct gateway *gw, const char *actor, const char *method,
    const char *id, struct json_t *body, struct http_resp *resp)
{
	int kind = -1;
	char msg[128];

	if (id != NULL && !strcmp(id, "preview")) {
		if (strcmp(method, "POST") != 0)
			return refuse(resp, 405, NULL, NULL,
			    "method not allowed here");
		return preview(gw, body, resp);
	}
	if (id != NULL && (kind = reply_kind(id)) < 0) {
		snprintf(msg, sizeof msg, "no template %.64s", id);
		return refuse(resp, 404, NULL, NULL, msg);
	}
	if (!strcmp(method, "GET")) {
		if (kind >= 0)
			return answer(resp, 200, template_json(gw, kind));
		json_t *a = json_array();
		for (int k = 0; k < RK_COUNT; k++)
			json_array_append_new(a, template_json(gw, k));
		return answer(resp, 200, json_pack("{s:o, s:i}", "templates", a,
		    "max_segments", (int)gw->cf->max_segments));
	}
	if (kind < 0 || (strcmp(method, "PUT") && strcmp(method, "DELETE")))
		return refuse(resp, 405, NULL, NULL, "method not allowed here");
	const char *text = NULL;
	if (!strcmp(method, "PUT")) {
		if (!json_is_object(body))
			return refuse(resp, 400, NULL, NULL,
			    "expected a JSON object");
		if ((text = body_text(body, 1, resp)) == NULL)
			return ROUTE_DONE;
	}
	if (store_begin(gw->st) == -1 || (text ?
	    store_template_put(gw->st, actor, id, "", "", text) :
	    store_template_delete(gw->st, actor, id, "", "")) == -1 ||
	    store_commit(gw->st) == -1) {
		store_rollback(gw->st);
		return refuse(resp, 500, NULL, NULL, store_error(gw->st));
	}
	gateway_changed(gw);
	return answer(resp, 200, template_json(gw, kind));
}
