/*
 * pipeline.c -- see pipeline.h.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "language.h"
#include "log.h"
#include "notify.h"
#include "pipeline.h"
#include "reply.h"
#include "seed.h"
#include "store.h"
#include "provider.h"

#define REPLY_MAX	2048	/* bytes; far beyond any sane reply */

/* What a message does to the conversation with its sender and to their
 * lead, decided before anything is written. */
struct talk {
	int			 end;		/* close the open conversation */
	int			 put;		/* open (or replace) conv */
	struct conversation	 conv;
	int			 lead;		/* record the signup */
	int64_t			 update_lead;	/* on this lead, not a new one */
};

/*
 * What was decided from reads of the sender's state (opt-out, open
 * conversation, recent lead), so that the writer only writes.  Made in
 * the request's thread by decide(); made again in the writer when the
 * batch says the sender was written since (pipeline_commit's stale).
 */
struct decision {
	int			 opted_out;
	struct talk		 talk;
	char			 claim[INBOUND_MAX_ID];	/* the unique claim key */
	/* Providers whose ids repeat: the same text in the dedup window
	 * before is the same message too ("" when not looked for). */
	char			 claim_prev[INBOUND_MAX_ID];
};
/* The parts of one long message come within minutes; parts older than
 * this under the same ref are another message's. */
#define PARTS_WINDOW	3600	/* seconds */

static int	decide(struct gateway *, struct job *);

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * What the parser is told of the world: the areas of the area table, the
 * districts known (built in, and imported), so that a slip is repaired
 * only into a real one, and the words of the area and branch names as
 * places ("Barnsley", "Leeds Central").
 */
static void
places_free(struct gateway *gw)
{
	for (size_t i = 0; i < gw->places.nplaces; i++)
		free(gw->place_words[i]);
	free(gw->place_words);
	free(gw->area_codes);
	free(gw->district_codes);
	memset(&gw->places, 0, sizeof gw->places);
	gw->place_words = NULL;
	gw->area_codes = NULL;
	gw->district_codes = NULL;
}

static void
places_build(struct gateway *gw)
{
	const struct directory *d = &gw->dir;
	size_t n = 0, cap = d->nareas * 2 + d->nbranches * 4 + 1;
	char **w = xcalloc(cap, sizeof *w);

	places_free(gw);

	/* dir->districts is sorted by strcmp already, as the parser wants. */
	const char **districts = xcalloc(d->ndistricts + 1, sizeof *districts);
	for (size_t i = 0; i < d->ndistricts; i++)
		districts[i] = d->districts[i].code;
	gw->district_codes = districts;
	gw->places.districts = districts;
	gw->places.ndistricts = d->ndistricts;

	char **areas = xcalloc(d->nareas + 1, sizeof *areas);
	for (size_t i = 0; i < d->nareas; i++)
		areas[i] = d->areas[i].code;
	qsort(areas, d->nareas, sizeof *areas, cmp_strp);
	gw->area_codes = areas;
	gw->places.areas = (const char *const *)areas;
	gw->places.nareas = d->nareas;

	for (size_t i = 0; i < d->nbranches; i++) {
		const char *p = d->branches[i].name;
		while (*p && n < cap) {
			size_t len = strcspn(p, " ,-()/&");
			/* Short words ("St", "of") say nothing alone. */
			if (len >= 4 && len < 24) {
				char *x = xcalloc(len + 1, 1);
				for (size_t c = 0; c < len; c++)
					x[c] = (char)(p[c] >= 'A' && p[c] <= 'Z' ?
					    p[c] + 32 : p[c]);
				w[n++] = x;
			}
			p += len;
			while (*p && strchr(" ,-()/&", *p))
				p++;
		}
	}
	qsort(w, n, sizeof *w, cmp_strp);
	gw->place_words = w;
	gw->places.places = (const char *const *)w;
	gw->places.nplaces = n;
}

int
gateway_open(struct gateway *gw, const struct config *cf)
{
	memset(gw, 0, sizeof *gw);
	gw->cf = cf;
	if (message_init() == -1)
		return -1;
	if ((gw->st = seed_open(cf)) == NULL)
		return -1;
	gw->data_version = store_data_version(gw->st);
	gw->dir_version = store_directory_version(gw->st);
	if (store_load_directory(gw->st, &gw->dir) == -1 ||
	    store_load_templates(gw->st, &gw->texts) == -1) {
		log_error("store: %s", store_error(gw->st));
		directory_free(&gw->dir);
		store_close(gw->st);
		gw->st = NULL;
		return -1;
	}
	places_build(gw);
	return 0;
}

void
gateway_close(struct gateway *gw)
{
	places_free(gw);
	directory_free(&gw->dir);
	reply_texts_free(&gw->texts);
	store_close(gw->st);
	gw->st = NULL;
}

int
gateway_refresh(struct gateway *gw)
{
	struct directory dir;
	struct reply_texts texts;
	int64_t v = store_data_version(gw->st);

	/* Cheap: has anyone written (SQLite's data_version; PostgreSQL's
	 * count of directory notifications)?  Then: was it the directory
	 * (or the templates, which move its version too)?  When the engine
	 * cannot tell (-1), ask the version every time. */
	if (v != -1 && v == gw->data_version)
		return 0;
	gw->data_version = v;
	if ((v = store_directory_version(gw->st)) == gw->dir_version)
		return 0;
	if (store_load_directory(gw->st, &dir) == -1) {
		log_error("store: reload: %s", store_error(gw->st));
		return -1;
	}
	if (store_load_templates(gw->st, &texts) == -1) {
		log_error("store: reload templates: %s", store_error(gw->st));
		directory_free(&dir);
		return -1;
	}
	reply_texts_free(&gw->texts);
	gw->texts = texts;
	directory_free(&gw->dir);
	gw->dir = dir;
	gw->dir_version = v;
	places_build(gw);
	return 0;
}

int
gateway_changed(struct gateway *gw)
{
	gw->data_version = -1;
	return gateway_refresh(gw);
}

void
gateway_reply_ctx(const struct gateway *gw, const struct provider *prov,
    struct reply_ctx *rc)
{
	memset(rc, 0, sizeof *rc);
	rc->cf = gw->cf;
	rc->db = &gw->texts;
	if (prov != NULL) {
		rc->transliterate = prov->transliterate;
		rc->transliterate_names = prov->transliterate_names;
	}
}

/* What a text's sender and its conversation say of its reply. */
struct locate_hint {
	const char	*campaign;	/* the conversation's; NULL: none */
	const char	*chosen;	/* the number's language; NULL: none */
	const char	*conv_language;	/* the conversation's; NULL: none */
};

/* pipeline_locate, with a keyword the provider matched (forced) taking
 * the place of what the words say, and what the sender's state says of
 * the campaign and the language (hint, may be NULL). */
static int
locate_as(struct gateway *gw, const char *text, size_t len,
    enum keyword forced, const struct provider *prov,
    const struct locate_hint *hint, struct locate_result *res)
{
	static const struct locate_hint none;
	struct reply_ctx ctx;

	if (hint == NULL)
		hint = &none;
	memset(res, 0, sizeof *res);
	buf_init(&res->reply, REPLY_MAX);
	buf_init(&res->reply_ask, REPLY_MAX);
	if (gateway_refresh(gw) == -1)
		return -1;
	gw->places.campaigns = gw->cf->campaign_words;
	gw->places.ncampaigns = gw->cf->ncampaign_words;
	message_parse_with(text, len, &gw->places, &res->signup);
	if (forced != KEYWORD_NONE) {
		res->signup.kind = MESSAGE_KEYWORD;
		res->signup.keyword = forced;
		res->signup.name[0] = '\0';
		res->signup.postcode.kind = POSTCODE_NONE;
	}
	if (res->signup.keyword == KEYWORD_NONE &&
	    res->signup.postcode.kind != POSTCODE_NONE) {
		/* One read transaction for the look-ups, not one each. */
		int rc = store_read_begin(gw->st);
		if (rc == 0)
			rc = geo_locate(gw->st, &gw->dir,
			    &res->signup.postcode, &res->geo);
		store_read_end(gw->st);
		if (rc == -1) {
			log_error("store: geocode: %s", store_error(gw->st));
			return -1;
		}
		branch_match(&gw->dir, gw->cf, &res->signup.postcode, &res->geo,
		    &res->match);
	}
	struct signup *s = &res->signup;
	if (s->campaign[0] == '\0' && hint->campaign != NULL)
		strlcpy_(s->campaign, hint->campaign, sizeof s->campaign);
	/* CYMRAEG answers in the language it chose. */
	res->language = s->keyword == KEYWORD_WELSH ? "cy" :
	    s->keyword == KEYWORD_ENGLISH ? "en" : language_pick(gw->cf,
	    hint->chosen, &res->match, hint->conv_language);
	gateway_reply_ctx(gw, prov, &ctx);
	ctx.campaign = s->campaign;
	ctx.language = res->language;
	if (reply_compose(&ctx, s, &res->match, -1, &res->reply) == -1)
		log_warn("reply: longer than %d bytes, cut", REPLY_MAX);
	/* The reply if the conversation asks for the name as well, worded
	 * as one text in each language. */
	if (s->keyword == KEYWORD_NONE && s->postcode.kind != POSTCODE_NONE &&
	    s->name[0] == '\0' && gw->cf->ask_name &&
	    reply_compose(&ctx, s, &res->match, RK_ASK_NAME,
	    &res->reply_ask) == -1)
		log_warn("reply: longer than %d bytes, cut", REPLY_MAX);
	return 0;
}

int
pipeline_locate(struct gateway *gw, const char *text, size_t len,
    struct locate_result *res)
{
	return locate_as(gw, text, len, KEYWORD_NONE, NULL, NULL, res);
}

void
locate_release(struct locate_result *res)
{
	buf_release(&res->reply);
	buf_release(&res->reply_ask);
}

static char *
dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

/* What the decision was made of, copied out of the directory. */
static void
trace(struct job_trace *t, const struct locate_result *res)
{
	const struct match *m = &res->match;

	memset(t, 0, sizeof *t);
	t->geo_level = res->geo.level;
	t->lat = res->geo.lat;
	t->lon = res->geo.lon;
	t->no_coords = res->geo.no_coords;
	strlcpy_(t->country, m->country ? m->country : res->geo.country ?
	    res->geo.country : "", sizeof t->country);
	t->match = m->kind;
	if (m->branch)
		strlcpy_(t->branch, m->branch->name, sizeof t->branch);
	if (m->region)
		strlcpy_(t->region, m->region->name, sizeof t->region);
	t->distance_km = m->distance_km;
	t->approximate = m->approximate;
}

/* Take the read-only decisions for text into job. */
static void
plan(struct job *job, const struct locate_result *res)
{
	const struct signup *s = &res->signup;

	job->kind = s->kind;
	job->keyword = s->keyword;
	free(job->name);
	free(job->postcode);
	job->name = xstrdup(s->name);
	job->postcode = xstrdup(s->postcode.kind == POSTCODE_FULL ?
	    s->postcode.full : s->postcode.kind == POSTCODE_OUTCODE ?
	    s->postcode.district : "");
	job->branch_id = res->match.branch ? res->match.branch->id : 0;
	job->region_id = res->match.region ? res->match.region->id : 0;
	job->match_kind = match_kind_name(res->match.kind);
	free(job->reply);
	job->reply = dup_or_null(res->reply.data);
	free(job->reply_ask);
	job->reply_ask = dup_or_null(res->reply_ask.data);
	free(job->campaign);
	job->campaign = dup_or_null(s->campaign);
	job->language = res->language;
	if (job->trace != NULL)
		trace(job->trace, res);
}

/* The text of job understood, with what its sender chose: the reads are
 * the connection's, so the writer's see its own transaction. */
static int
locate_job(struct gateway *gw, struct job *job, struct locate_result *res)
{
	struct locate_hint h = { NULL, NULL, NULL };

	if (store_language_get(gw->st, job->sender, job->test, job->chosen,
	    sizeof job->chosen) == -1) {
		memset(res, 0, sizeof *res);
		log_error("store: language: %s", store_error(gw->st));
		return -1;
	}
	h.chosen = job->chosen[0] ? job->chosen : NULL;
	return locate_as(gw, job->text, strlen(job->text), job->forced,
	    job->prov, &h, res);
}

/* pipeline_prepare, into a job whose test fields the caller has set. */
static int
prepare(struct gateway *gw, const struct provider *prov,
    const struct inbound *in, int is_part, int64_t now, uint64_t seen_seq,
    struct job *job)
{
	struct locate_result res;

	job->prov = prov;
	job->instance = xstrdup(prov->name);
	job->ext_id = xstrdup(in->ext_id);
	job->sender = xstrdup(in->sender);
	job->recipient = xstrdup(in->recipient);
	job->text = xstrdup(in->text);
	job->received_at = now;
	job->unique_ids = prov->ops->unique_ids;
	job->status = 503;
	job->write = pipeline_commit;
	job->forced = in->optout == PROVIDER_OPTOUT_STOP ? KEYWORD_STOP :
	    in->optout == PROVIDER_OPTOUT_START ? KEYWORD_START :
	    in->optout == PROVIDER_OPTOUT_HELP ? KEYWORD_HELP : KEYWORD_NONE;
	if (in->optout != PROVIDER_OPTOUT_NONE)
		job->optout_evidence = xasprintf("%s inbound: %s",
		    prov->ops->name, in->optout_raw);
	if (is_part) {
		/* Understood once every part is in (pipeline_commit). */
		job->part_ref = xstrdup(in->concat_ref);
		job->part = in->concat_part;
		job->parts = in->concat_total;
		job->match_kind = "none";
		return 0;
	}
	/* Every read the decision takes, in one snapshot: a read
	 * transaction costs its locks and a look at the WAL index, and an
	 * ingest takes half a dozen reads. */
	int rc = store_read_begin(gw->st);
	memset(&res, 0, sizeof res);
	if (rc == 0)
		rc = locate_job(gw, job, &res);
	if (rc == 0) {
		plan(job, &res);
		job->seen_seq = seen_seq;
		rc = decide(gw, job);
	}
	locate_release(&res);
	store_read_end(gw->st);
	return rc;
}

int
pipeline_prepare(struct gateway *gw, const struct provider *prov,
    const struct inbound *in, int is_part, int64_t now, uint64_t seen_seq,
    struct job *job)
{
	memset(job, 0, sizeof *job);
	return prepare(gw, prov, in, is_part, now, seen_seq, job);
}

int
pipeline_prepare_test(struct gateway *gw, const struct provider *prov,
    const struct inbound *in, int notify, const char *sms_via, int64_t now,
    uint64_t seen_seq, struct job *job)
{
	memset(job, 0, sizeof *job);
	job->test = 1;
	job->notify = notify;
	job->sms_via = sms_via ? xstrdup(sms_via) : NULL;
	job->trace = xcalloc(1, sizeof *job->trace);
	return prepare(gw, prov, in, 0, now, seen_seq, job);
}

void
job_free(struct job *job)
{
	free(job->instance);
	free(job->ext_id);
	free(job->sender);
	free(job->recipient);
	free(job->text);
	free(job->part_ref);
	free(job->name);
	free(job->postcode);
	free(job->reply);
	free(job->reply_ask);
	free(job->campaign);
	free(job->answer);
	free(job->answer_ref);
	free(job->dec);
	free(job->delivery_error);
	free(job->optout_evidence);
	free(job->sms_via);
	free(job->trace);
	free(job->actor);
	memset(job, 0, sizeof *job);
}

static int
receipt_commit(struct gateway *gw, struct job *job, int stale)
{
	char *phone;
	int rc;

	if (store_outbox_delivery(gw->st, job->instance, job->ext_id,
	    job->delivery_state, job->delivery_error) == -1)
		return -1;
	if (job->optout_evidence != NULL) {
		/* The provider will not text the number: neither may we. */
		if ((rc = store_outbox_recipient(gw->st, job->instance,
		    job->ext_id, &phone)) == -1)
			return -1;
		if (rc == 1)
			rc = store_optout_add(gw->st, phone, "provider",
			    job->instance, 0, "", job->optout_evidence, 0,
			    now_unix());
		else
			log_warn("receipt: %s: an opt-out for %s, which "
			    "names no message sent", job->instance,
			    job->ext_id);
		free(phone);
		if (rc == -1)
			return -1;
		job->new_optout = rc == 1;
	}
	job->status = 200;
	return 0;
}

/* Receipts come as fast as the messages sent: written by the writer, they
 * share its batches (one fsync for many) instead of each committing on
 * its own beside it. */
void
pipeline_receipt(struct job *job, const char *instance, const char *ext_id,
    int state, const char *error, const char *optout_evidence)
{
	memset(job, 0, sizeof *job);
	job->optout_evidence = optout_evidence ? xstrdup(optout_evidence) :
	    NULL;
	job->instance = xstrdup(instance);
	job->ext_id = xstrdup(ext_id);
	job->delivery_state = state;
	job->delivery_error = xstrdup(error ? error : "");
	job->status = 503;
	job->match_kind = "none";
	job->write = receipt_commit;
}

/* What the inbound row says happened, for the operator. */
static const char *
outcome_of(const struct job *job, int opted_out)
{
	switch (job->keyword) {
	case KEYWORD_STOP:	return "stop";
	case KEYWORD_START:	return "start";
	case KEYWORD_HELP:	return "help";
	case KEYWORD_WELSH:
	case KEYWORD_ENGLISH:	return "language";
	case KEYWORD_NONE:	break;
	}
	if (opted_out)
		return "opted_out";
	if (job->kind == MESSAGE_QUESTION || job->kind == MESSAGE_CHAT)
		return "question";
	return job->postcode[0] ? job->match_kind : "no_postcode";
}


/* Replace job's reply by a template that knows only {name}. */
static void
reword(struct gateway *gw, struct job *job, int kind)
{
	struct reply_ctx ctx;
	struct buf b;

	buf_init(&b, 2048);
	gateway_reply_ctx(gw, job->prov, &ctx);
	ctx.campaign = job->campaign;
	ctx.language = job->language;
	reply_simple(&ctx, kind, job->name, &b);
	free(job->reply);
	job->reply = b.data;
}

/* What the conversation keeps of the job: its campaign and language. */
static void
conv_keep(struct conversation *c, const struct job *job)
{
	strlcpy_(c->campaign, job->campaign ? job->campaign : "",
	    sizeof c->campaign);
	strlcpy_(c->language, job->language ? job->language : "",
	    sizeof c->language);
}

/*
 * Merge a message with what was asked before: a postcode that answers "what
 * is your postcode?" goes with the name given then; a name that answers
 * "what is your name?" goes on the lead already made.  A number that signed
 * up lately has its lead updated, not a second one made.
 */
static int
converse(struct gateway *gw, struct job *job, int opted_out, struct talk *t)
{
	const struct config *cf = gw->cf;
	int64_t now = job->received_at, prev;
	struct conversation c;
	int open, rc;

	memset(t, 0, sizeof *t);
	if (job->keyword != KEYWORD_NONE) {
		/* STOP wins over any open question. */
		t->end = job->keyword == KEYWORD_STOP;
		return 0;
	}
	if (opted_out)
		return 0;
	/* A question or a chat reply leaves the conversation as it was. */
	if (job->kind == MESSAGE_QUESTION || job->kind == MESSAGE_CHAT)
		return 0;
	if ((open = store_conversation_get(gw->st, job->sender, job->test, now,
	    &c)) == -1)
		return -1;
	int has_name = job->name[0] != '\0', has_pc = job->postcode[0] != '\0';

	if (has_pc && !has_name && open && !strcmp(c.waiting_for, "postcode") &&
	    c.name[0]) {
		struct locate_result res;
		struct locate_hint h = { c.campaign[0] ? c.campaign : NULL,
		    job->chosen[0] ? job->chosen : NULL, c.language };
		char *merged = xasprintf("%s %s", c.name, job->postcode);
		rc = locate_as(gw, merged, strlen(merged), KEYWORD_NONE,
		    job->prov, &h, &res);
		free(merged);
		if (rc == -1) {
			locate_release(&res);
			return -1;
		}
		plan(job, &res);
		locate_release(&res);
		has_name = job->name[0] != '\0';
		t->end = 1;
	} else if (has_name && !has_pc && open && !strcmp(c.waiting_for,
	    "name") && c.lead_id) {
		t->update_lead = c.lead_id;
		t->end = 1;
		/* The answer to our question: the campaign and language it
		 * was asked in, unless the text says its own. */
		if (job->campaign == NULL && c.campaign[0])
			job->campaign = xstrdup(c.campaign);
		job->language = language_pick(cf, job->chosen, NULL,
		    c.language);
		reword(gw, job, RK_GOT_NAME);
		return 0;
	} else if (has_name && !has_pc) {
		/* The reply asks for the postcode; remember the name. */
		t->put = 1;
		conv_keep(&t->conv, job);
		strlcpy_(t->conv.waiting_for, "postcode",
		    sizeof t->conv.waiting_for);
		strlcpy_(t->conv.name, job->name, sizeof t->conv.name);
		return 0;
	}
	if (!has_pc || strcmp(job->match_kind, "none") == 0)
		return 0;
	t->lead = 1;
	rc = cf->resignup_days > 0 ? store_lead_recent(gw->st, job->sender,
	    job->test, now - (int64_t)(cf->resignup_days * 86400), &prev) : 0;
	if (rc == -1)
		return -1;
	if (rc == 1)
		t->update_lead = prev;
	if (!has_name && cf->ask_name) {
		if (job->reply_ask != NULL) {
			free(job->reply);
			job->reply = xstrdup(job->reply_ask);
		}
		t->put = 1;
		conv_keep(&t->conv, job);
		strlcpy_(t->conv.waiting_for, "name", sizeof t->conv.waiting_for);
		strlcpy_(t->conv.postcode, job->postcode,
		    sizeof t->conv.postcode);
	} else if (open)
		t->end = 1;
	return 0;
}

/* The text understood again, from the start (a stale decision had already
 * reworded the reply). */
static int
relocate(struct gateway *gw, struct job *job)
{
	struct locate_result res;

	if (locate_job(gw, job, &res) == -1) {
		locate_release(&res);
		return -1;
	}
	plan(job, &res);
	locate_release(&res);
	return 0;
}

/*
 * Everything that needs a read of the sender's state, decided before the
 * transaction: opted out?  an open conversation to merge with?  a recent
 * lead to update?  and the claim key.  In the request's thread normally,
 * with that thread's connection; 0 or -1.
 */
static int
decide(struct gateway *gw, struct job *job)
{
	struct decision *d;
	int opted_out;

	if ((opted_out = store_opted_out(gw->st, job->sender)) == -1)
		return -1;
	if (job->dec == NULL)
		job->dec = xcalloc(1, sizeof *job->dec);
	d = job->dec;
	memset(d, 0, sizeof *d);
	if (job->keyword == KEYWORD_STOP && (!job->prov->confirm_stop ||
	    job->forced == KEYWORD_STOP)) {
		/* The provider confirms on its own (it says it matched the
		 * keyword, or the config says it does); a second
		 * confirmation would fail there (Twilio 21610) and count
		 * against us. */
		free(job->reply);
		job->reply = NULL;
	}
	if (job->keyword == KEYWORD_START)
		opted_out = 0;
	else if (opted_out && job->keyword != KEYWORD_STOP) {
		/* Never text an opted-out number; keep what they sent. */
		free(job->reply);
		job->reply = NULL;
	}
	d->opted_out = opted_out;
	if (converse(gw, job, opted_out, &d->talk) == -1)
		return -1;
	free(job->answer);
	job->answer = NULL;
	if (job->reply != NULL && job->prov->ops->inline_reply)
		job->answer = xstrdup(job->reply);

	/*
	 * The claim key.  Providers whose ids repeat for one message get one
	 * made of the sender and the words and the dedup window it falls in;
	 * the window before is looked at too (by the writer: a message in
	 * flight beside this one would not be seen here), so that the same
	 * text within dedup_window seconds is one message however the
	 * windows fall.  The unique index on (instance, ext_id) then serves
	 * every provider.
	 */
	int64_t window = (int64_t)gw->cf->dedup_window;
	strlcpy_(d->claim, job->ext_id, sizeof d->claim);
	if (!job->unique_ids && window > 0) {
		unsigned char h[CRYPTO_MAX_DIGEST];
		char hex[2 * CRYPTO_MAX_DIGEST + 1];	/* 32 bytes used */
		struct buf b;
		buf_init(&b, 0);
		buf_printf(&b, "%s\n%s", job->sender, job->text);
		size_t n = crypto_digest(HASH_SHA256, b.data, b.len, h);
		buf_release(&b);
		hex_encode(h, n / 2, hex);
		int64_t bucket = job->received_at / window;
		snprintf(d->claim_prev, sizeof d->claim_prev, "dup:%.32s:%lld",
		    hex, (long long)(bucket - 1));
		snprintf(d->claim, sizeof d->claim, "dup:%.32s:%lld", hex,
		    (long long)bucket);
	}
	return 0;
}

/* The claim key of a long message, at most INBOUND_MAX_ID - 1 bytes:
 * readable when it fits, else a digest of it. */
static char *
concat_id(const char *sender, const char *ref, const char *first)
{
	unsigned char h[CRYPTO_MAX_DIGEST];
	char hex[2 * CRYPTO_MAX_DIGEST + 1];
	char *id = xasprintf("concat:%s:%s:%s", sender, ref, first);
	size_t n;

	if (strlen(id) < INBOUND_MAX_ID)
		return id;
	n = crypto_digest(HASH_SHA256, id, strlen(id), h);
	hex_encode(h, n, hex);
	free(id);
	return xasprintf("concat:%s", hex);
}

int
pipeline_commit(struct gateway *gw, struct job *job, int stale)
{
	struct store *st = gw->st;
	char *outcome = NULL, *prev = NULL;
	int64_t id = 0;
	int rc;

	if (job->part_ref != NULL) {
		char *whole, *first;
		rc = store_part_add(st, job->instance, job->sender,
		    job->part_ref, job->part, job->parts, job->ext_id,
		    job->text, job->received_at,
		    job->received_at - PARTS_WINDOW, &whole, &first);
		if (rc == -1)
			return -1;
		if (rc == 0) {
			job->status = 200;	/* more parts to come */
			return 0;
		}
		/* The last part: the whole message goes on as one, under
		 * the reference all its parts share. */
		free(job->text);
		job->text = whole;
		free(job->ext_id);
		/* Concat references are small numbers each phone picks and
		 * reuses: with the sender and the first part's own id they
		 * are one message's, so a retry of its parts is seen and a
		 * later message under the same ref is not. */
		job->ext_id = concat_id(job->sender, job->part_ref, first);
		free(first);
		/* Only here are all the parts seen: the reads are the
		 * writer's for a long message (few are). */
		if (relocate(gw, job) == -1 || decide(gw, job) == -1)
			return -1;
	} else if (job->dec == NULL || stale) {
		/* The batch wrote for this sender since prepare read its
		 * state: read again, here, where this transaction's own
		 * writes are seen, and decide from the text up. */
		if (relocate(gw, job) == -1 || decide(gw, job) == -1)
			return -1;
	}
	struct decision *d = job->dec;
	int opted_out = d->opted_out;
	struct talk talk = d->talk;
	char *claim = d->claim;

	rc = 0;
	if (d->claim_prev[0])
		rc = store_inbound_find(st, job->instance, d->claim_prev,
		    job->received_at - (int64_t)gw->cf->dedup_window, &id,
		    &outcome, &prev);
	if (rc == 0) {
		struct inbound_row row = {
			.instance = job->instance, .ext_id = claim,
			.sender = job->sender, .recipient = job->recipient,
			.text = job->text, .received_at = job->received_at,
			.outcome = outcome_of(job, opted_out),
			.reply = job->answer, .test = job->test,
		};
		rc = store_inbound_claim(st, &row, &id, &outcome, &prev);
	} else if (rc == 1)
		rc = 0;		/* found in the window before: seen */
	if (rc == -1)
		return -1;
	if (rc == 0) {
		/* Delivered before: the same answer, nothing new. */
		job->duplicate = 1;
		job->status = 200;
		free(job->answer);
		job->answer = prev;
		if (prev != NULL && job->prov->ops->inline_reply)
			job->answer_ref = xasprintf("%s:%s:reply",
			    job->instance, job->ext_id);
		free(outcome);
		return 0;
	}
	job->stored = 1;

	if (job->keyword == KEYWORD_STOP) {
		/* The evidence: the words, and whether a keyword or a phrase
		 * of the supporter's own said stop, or the provider did. */
		if ((rc = store_optout_add(st, job->sender,
		    job->forced == KEYWORD_STOP ? "provider" :
		    job->kind == MESSAGE_OPTOUT_PHRASE ? "sms-phrase" : "sms",
		    job->instance, id, job->text, job->forced == KEYWORD_STOP ?
		    job->optout_evidence : "", job->test,
		    job->received_at)) == -1)
			return -1;
		job->new_optout = rc == 1;	/* else the row was there */
	} else if (job->keyword == KEYWORD_START) {
		if (store_optout_remove(st, job->sender) == -1)
			return -1;
	} else if ((job->keyword == KEYWORD_WELSH ||
	    job->keyword == KEYWORD_ENGLISH) && store_language_set(st,
	    job->sender, job->test, job->keyword == KEYWORD_WELSH ? "cy" :
	    "en", job->received_at) == -1)
		return -1;

	struct lead_record l = {
		.phone = job->sender, .name = job->name,
		.postcode = job->postcode, .branch_id = job->branch_id,
		.region_id = job->region_id,
		.match_kind = job->postcode[0] ? job->match_kind : "",
		.inbound_id = id, .consent_ext_id = job->ext_id,
		.consent_text = job->text, .consent_at = job->received_at,
		.consent_reply = job->reply ? job->reply : "",
		.campaign = job->campaign,
		.test = job->test,
	};
	int64_t lead_id = talk.update_lead;
	if (talk.update_lead) {
		if (store_lead_update(st, talk.update_lead, &l) == -1)
			return -1;
	} else if (talk.lead) {
		if (store_lead_insert(st, &l, &lead_id) == -1)
			return -1;
		job->new_lead = 1;
	}
	job->lead_id = lead_id;
	/* Who is told: a new lead's organisers (a repeat does not tell them
	 * again), the national contact of a question; of the simulator's,
	 * only when it asks. */
	struct notify_lead nl = {
		.lead_id = lead_id, .instance = job->instance,
		.ext_id = job->ext_id, .name = job->name,
		.postcode = job->postcode, .phone = job->sender,
		.branch_id = job->branch_id, .region_id = job->region_id,
		.match_kind = job->match_kind, .now = job->received_at,
		.test = job->test, .sms_via = job->sms_via,
	};
	int tell = !job->test || job->notify;
	if (tell && job->new_lead && notify_queue(st, gw->cf, &gw->dir,
	    &nl) == -1)
		return -1;
	if (tell && !opted_out && (job->kind == MESSAGE_QUESTION ||
	    job->kind == MESSAGE_CHAT) && gw->cf->notify_questions &&
	    notify_question(st, gw->cf, &nl, job->text) == -1)
		return -1;
	if (talk.put) {
		talk.conv.lead_id = lead_id;
		talk.conv.test = job->test;
		if (store_conversation_put(st, job->sender, job->instance,
		    &talk.conv, job->received_at +
		    (int64_t)(gw->cf->expiry_hours * 3600)) == -1)
			return -1;
	} else if (talk.end && store_conversation_end(st, job->sender) == -1)
		return -1;

	int given = job->prov->ops->inline_reply && job->answer;
	if (job->reply != NULL && (!given || job->prov->ops->inline_receipts)) {
		/* Queued for the outbox, or, given inline in the answer,
		 * recorded as sent under its key (the ref its receipts
		 * name it by), so that a receipt finds it.  Not for a
		 * provider whose receipts could not: two more index
		 * entries a message, for nothing. */
		char *key = xasprintf("%s:%s:reply", job->instance, job->ext_id);
		struct outbox_row o = {
			.idem_key = key, .channel = "sms",
			.instance = job->instance, .recipient = job->sender,
			.body = given ? job->answer : job->reply, .purpose =
			    job->keyword == KEYWORD_STOP ? "confirm_stop" :
			    "reply",
			.inbound_id = id, .due = job->received_at,
			.inline_sent = given, .ext_id = given ? key : NULL,
			.test = job->test,
		};
		rc = store_outbox_enqueue(st, &o);
		if (rc == -1) {
			free(key);
			return -1;
		}
		free(job->answer_ref);
		job->answer_ref = given ? key : NULL;
		if (!given)
			free(key);
	}
	job->status = 200;
	return 0;
}
