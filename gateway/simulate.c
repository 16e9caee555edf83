/*
 * simulate.c -- see simulate.h.  The simulator is a provider instance
 * that no webhook can reach (it is in no provider_set): its messages go
 * through pipeline_prepare_test and the batch writer as a webhook's do,
 * and its replies are "inline", so the pipeline records them as sent to
 * it and the outbox never sends them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "config.h"
#include "crypto.h"
#include "log.h"
#include "pipeline.h"
#include "segments.h"
#include "simulate.h"
#include "store.h"
#include "util.h"
#include "webhook.h"

#define SIM_MAX_UCS2	32	/* distinct characters named, at most */

/* Flags only: the pipeline reads no op of it.  confirm_stop: a STOP gets
 * its confirmation, as from a provider that does not send its own. */
static const struct provider_ops sim_ops = {
	.name = SIMULATE_INSTANCE,
	.inline_reply = 1,
	.inline_receipts = 1,
	.unique_ids = 1,
};
static const struct provider sim_provider = {
	.ops = &sim_ops,
	.name = SIMULATE_INSTANCE,
	.confirm_stop = 1,
};

static enum route_result
sim_json(struct http_resp *resp, int status, json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));

	http_resp_set(resp, status, "application/json", text ? text : "{}");
	free(text);
	json_decref(o);
	return ROUTE_DONE;
}

static enum route_result
sim_error(struct http_resp *resp, int status, const char *field,
    const char *msg)
{
	return sim_json(resp, status, field ? json_pack("{s:s, s:s}", "error",
	    msg, "field", field) : json_pack("{s:s}", "error", msg));
}

/* Ofcom's drama range, +447700900000 to +447700900999: no test can text
 * a real person. */
static int
drama_number(const char *e164)
{
	return strlen(e164) == 13 && strncmp(e164, "+447700900", 10) == 0 &&
	    strspn(e164 + 10, "0123456789") == 3;
}

/* Why the match is what it is, in words, from what the pipeline saw. */
static char *
reason(const struct job *job, const struct config *cf)
{
	const struct job_trace *t = job->trace;
	const char *pc = job->postcode ? job->postcode : "";

	if (job->keyword != KEYWORD_NONE)
		return xasprintf("the keyword %s: no postcode is looked at",
		    keyword_name(job->keyword));
	if (job->kind == MESSAGE_QUESTION || job->kind == MESSAGE_CHAT)
		return xasprintf("a %s, not a sign-up: no lead",
		    message_kind_name(job->kind));
	if (pc[0] == '\0')
		return xstrdup("no postcode in the text");
	switch (t->match) {
	case MATCH_COVERAGE:
		return xasprintf("%s is in the coverage of %s", pc, t->branch);
	case MATCH_NEAREST:
		return xasprintf("the nearest active branch, %.1f km away "
		    "(within %g km)%s", t->distance_km, cf->radius_km,
		    t->approximate ? ", located by its area only" : "");
	case MATCH_REGION:
		return xasprintf("no branch within %g km: the organiser of "
		    "the %s region", cf->radius_km, t->region);
	case MATCH_NATIONAL:
		return xasprintf("no branch within %g km and no regional "
		    "organiser: the national contact", cf->radius_km);
	case MATCH_OUT_OF_AREA:
		return xasprintf("%s is out of area", t->country[0] ?
		    t->country : "the country");
	case MATCH_NONE:
		break;
	}
	return xstrdup(t->no_coords ? "the postcode has no location" :
	    "the postcode is not known");
}

/* The distinct characters of text that GSM-7 has not, which make the
 * whole message UCS-2. */
static json_t *
ucs2_chars(const char *text)
{
	const unsigned char *s = (const unsigned char *)text,
	    *end = s + strlen(text);
	json_t *a = json_array();
	char ch[8];

	while (s < end && json_array_size(a) < SIM_MAX_UCS2) {
		const unsigned char *from = s;
		uint32_t cp;
		if (provider_utf8_next(&s, end, &cp) == -1)
			s = from + 1;	/* cannot be: the pipeline's UTF-8 */
		size_t n = (size_t)(s - from), i;
		memcpy(ch, from, n);
		ch[n] = '\0';
		if (sms_is_gsm7(ch))
			continue;
		for (i = 0; i < json_array_size(a); i++)
			if (!strcmp(json_string_value(json_array_get(a, i)), ch))
				break;
		if (i == json_array_size(a))
			json_array_append_new(a, json_stringn(ch, n));
	}
	return a;
}

static json_t *
str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* The answer, once the writer has committed the message. */
static void
sim_answer(const struct job *job, struct http_resp *resp)
{
	const struct job_trace *t = job->trace;
	const char *reply = job->answer;
	json_t *o, *replies = json_array(), *seg = json_null();
	char *why;

	if (job->status != 200) {
		json_decref(replies);
		sim_error(resp, 503, NULL, "the database could not store it: "
		    "try again");
		return;
	}
	if (reply != NULL) {
		struct sms_count c;
		json_array_append_new(replies, json_string(reply));
		sms_count(reply, strlen(reply), &c);
		seg = json_pack("{s:i, s:s, s:i, s:i, s:o}", "count", c.segments,
		    "encoding", c.encoding == SMS_GSM7 ? "GSM-7" : "UCS-2",
		    "units", c.units, "per_segment", c.per_segment,
		    "ucs2_chars", ucs2_chars(reply));
	}
	why = reason(job, job->cf);
	o = json_pack("{s:o, s:{s:s, s:o, s:o, s:o}, s:{s:s, s:o, s:o}, "
	    "s:{s:s, s:o, s:o, s:o, s:s}, s:o, s:o}",
	    "replies", replies,
	    "parse", "kind", message_kind_name(job->kind),
	    "name", str_or_null(job->name),
	    "postcode", str_or_null(job->postcode),
	    "keyword", job->keyword == KEYWORD_NONE ? json_null() :
	    json_string(keyword_name(job->keyword)),
	    "geocode", "level", geo_level_name(t->geo_level),
	    "lat", t->geo_level == GEO_NONE ? json_null() : json_real(t->lat),
	    "lon", t->geo_level == GEO_NONE ? json_null() : json_real(t->lon),
	    "match", "kind", job->postcode && job->postcode[0] ?
	    job->match_kind : "none",
	    "branch", str_or_null(t->branch),
	    "region", str_or_null(t->region),
	    "distance_km", t->distance_km >= 0 && t->branch[0] ?
	    json_real((double)(long long)(t->distance_km * 100 + 0.5) / 100) :
	    json_null(),
	    "reason", why,
	    "segments", seg,
	    "lead_id", job->lead_id ? json_integer(job->lead_id) : json_null());
	free(why);
	sim_json(resp, 200, o);
}

/* In the writer's transaction: the message, and the audit row saying who
 * sent it from the simulator. */
static int
sim_commit(struct gateway *gw, struct job *job, int stale)
{
	const char *actor = job->actor;
	char record[64];
	json_t *after;
	char *image;
	int rc;

	if (pipeline_commit(gw, job, stale) == -1)
		return -1;
	if (!job->stored)
		return 0;
	snprintf(record, sizeof record, "simulator:%s", job->sender);
	after = json_pack("{s:s, s:s, s:b, s:I}", "message", job->ext_id,
	    "text", job->text, "notify", job->notify, "lead", (json_int_t)
	    job->lead_id);
	image = after ? json_dumps(after, JSON_COMPACT) : NULL;
	json_decref(after);
	rc = image ? store_audit_note(gw->st, actor, "simulate", record, NULL,
	    image) : -1;
	free(image);
	return rc;
}

enum route_result
simulate_post(struct app *app, struct gateway *gw, const char *actor,
    json_t *body, struct http_resp *resp, struct pending *pend)
{
	const struct provider_set *ps = app_providers(app);
	json_t *from = json_object_get(body, "from"),
	    *text = json_object_get(body, "text"),
	    *notify = json_object_get(body, "notify");
	struct inbound *in;
	struct job job;
	unsigned char raw[12];
	char phone[32];
	int rc;

	if (!json_is_object(body))
		return sim_error(resp, 400, NULL, "expected a JSON object");
	if (!json_is_string(from) || phone_normalise(json_string_value(from),
	    phone, sizeof phone) == -1 || !drama_number(phone))
		return sim_error(resp, 422, "from", "a test number in Ofcom's "
		    "drama range, +447700900000 to +447700900999");
	if (!json_is_string(text) || json_string_length(text) == 0 ||
	    memchr(json_string_value(text), '\0', json_string_length(text)))
		return sim_error(resp, 422, "text", "the text of a message");
	if (json_string_length(text) >= INBOUND_MAX_TEXT)
		return sim_error(resp, 422, "text", "longer than a message "
		    "may be (4095 bytes)");
	if (notify != NULL && !json_is_boolean(notify))
		return sim_error(resp, 422, "notify", "true or false");
	if (crypto_random(raw, sizeof raw) == -1)
		return sim_error(resp, 500, NULL, "no randomness");

	in = xcalloc(1, sizeof *in);
	memcpy(in->ext_id, "sim-", 4);
	hex_encode(raw, sizeof raw, in->ext_id + 4);
	strlcpy_(in->sender, phone, sizeof in->sender);
	strlcpy_(in->recipient, SIMULATE_INSTANCE, sizeof in->recipient);
	memcpy(in->text, json_string_value(text), json_string_length(text));
	/* The sequence first, then the reads it vouches for (webhook.c). */
	uint64_t seen = batch_seq(app->batch);
	/* Organisers' texts go by a real instance: the one the config
	 * names for them, else its first. */
	rc = pipeline_prepare_test(gw, &sim_provider, in, json_is_true(notify),
	    ps->n ? ps->v[0].name : NULL, now_unix(), seen, &job);
	free(in);
	if (rc == -1) {
		job_free(&job);
		return sim_error(resp, 503, NULL, "database unavailable");
	}
	job.write = sim_commit;
	job.actor = xstrdup(actor);
	return webhook_submit(app, &sim_provider, &job, sim_answer, pend);
}

enum route_result
simulate_clear(struct gateway *gw, const char *actor, struct http_resp *resp)
{
	struct forget_counts c;

	if (store_test_clear(gw->st, actor, &c) == -1)
		return sim_error(resp, 500, NULL, store_error(gw->st));
	return sim_json(resp, 200, json_pack("{s:i, s:i, s:i, s:i, s:i}",
	    "leads", (int)c.leads, "messages", (int)c.messages,
	    "conversations", (int)c.conversations, "outbox", (int)c.outbox,
	    "optouts", (int)c.optouts));
}
