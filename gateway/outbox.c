/*
 * outbox.c -- see outbox.h.
 *
 * A row is claimed -- marked "sending" under this node's name with a
 * lease, and committed -- before its request leaves, so that no other
 * node on the same database sends it, and a crash mid-send queues it
 * again: at once when the owner is known gone (its lock is free, which
 * on SQLite is every other process), else when the lease runs out.
 * Delivery is at least once, and the row's idempotency key goes to
 * providers that take one.  Each provider instance sends at its own pace
 * (rate), booked in the database so that every node together keeps it;
 * a 429 pauses that instance alone, for its Retry-After, on every node.
 * Retention runs on one node at a time (store_job_try).
 */
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "config.h"
#include "crypto.h"
#include "httpc.h"
#include "log.h"
#include "metrics.h"
#include "outbox.h"
#include "provider.h"
#include "segments.h"
#include "store.h"
#include "util.h"

#define OUTBOX_TICK_MS	100	/* longest wait between looks at the queue */
#define PURGE_EVERY	3600	/* seconds between retention purges */
#define JOB_TRY_EVERY	60	/* seconds between tries of a job another
				   node runs */
#define RECOVER_EVERY	5	/* seconds between looks for rows left
				   "sending" by a node that is gone */
#define LEASE_MARGIN	30	/* seconds a lease outlasts a send's
				   timeouts */
#define OUTBOX_PACE_MS	10	/* a look when sends wait for their rate:
				   several slots come due at once, so one
				   query serves several sends */
/* Sends are paced a little under the configured rate, and may catch up at
 * most this much time, so that no second ever holds more than the rate,
 * however the network bunches them. */
#define OUTBOX_PACE	0.98
#define OUTBOX_CATCHUP_NS (20 * 1000000ULL)

/* What the worker did, logged when it stops. */
struct outbox_stats {
	unsigned long	sent;
	unsigned long	retried;
	unsigned long	dead;
	unsigned long	discarded;
	double		cpu_seconds;	/* the worker thread's CPU time */
};

/* Per instance: when it may send next, and a pause after a 429, as this
 * node last read them from outbox_pace (the shared values only grow, so
 * these are lower bounds between reads). */
struct lane {
	const struct provider	*prov;
	int64_t			 next_us;	/* unix microseconds */
	int64_t			 paused_until;	/* unix seconds */
	int			 taken;		/* its row is locked in this
						   claim: next_us is exact */
	int64_t			 booked_us;	/* next_us as read */
};

struct outbox {
	const struct config		*cf;
	const struct provider_set	*providers;
	struct store			*st;
	struct httpc			*hc;
	struct lane			*lanes;
	size_t				 nlanes;
	pthread_t			 thread;
	pthread_mutex_t			 lock;
	pthread_cond_t			 wake;
	int				 stopping;
	int				 poked;
	int				 poked_since;	/* since the last query */
	int				 only_pacing;	/* all due rows wait for
							   their slot */
	int				 inflight;
	_Atomic uint64_t		 heartbeat;	/* now_ns() each turn
							   of the worker */
	struct config_gen		*gen;		/* held: the config
					   in use after a reload, or NULL */
	struct config_gen		*next_gen;	/* held: waiting for
					   the sends in flight (ob->lock) */
	int64_t				 purged_at;
	int64_t				 retention_tried_at;
	int				 retention_other;	/* another
					   node runs it: said once */
	int64_t				 recovered_at;
	char				 node[40];	/* this process's name
					   as a lease owner: random */
	char				 node_job[48];	/* "outbox:" node */
	char				 status_base[256];	/* where
					   receipts come: public_url */
	struct outbox_stats		 stats;
};

/* What a send in flight needs when its answer comes. */
struct attempt {
	struct outbox	*ob;
	int64_t		*ids;		/* the rows it sends: one, or a digest */
	int		 nids;
	int		 attempts;	/* this one included */
	struct lane	*lane;		/* sms: its instance; else NULL */
	const char	*channel;	/* "sms", "email", "webhook" */
	struct http_out	 req;		/* sms and webhook */
	char		*recipient;	/* sms: the number, for an opt-out */
	char		*mail_to;	/* email */
	char		*mail_text;
};

static void
attempt_free(struct attempt *a)
{
	http_out_release(&a->req);
	free(a->recipient);
	free(a->ids);
	free(a->mail_to);
	free(a->mail_text);
	free(a);
}

static struct lane *
lane_for(struct outbox *ob, const char *instance)
{
	for (size_t i = 0; i < ob->nlanes; i++)
		if (strcmp(ob->lanes[i].prov->name, instance) == 0)
			return &ob->lanes[i];
	return NULL;
}

/* May the instance send now (t: unix microseconds)?  Each send books the
 * next slot: a rate of R gives one send every 1/R seconds, with no credit
 * for idle time beyond OUTBOX_CATCHUP_NS, so a quiet spell is never
 * followed by a burst.  The lane's row in outbox_pace is locked by the
 * claim (lane_lock), so the slot booked is every node's. */
static int
lane_take(struct lane *l, int64_t now, int64_t t)
{
	int64_t catchup = (int64_t)(OUTBOX_CATCHUP_NS / 1000);

	if (!l->taken || now < l->paused_until)
		return 0;
	if (l->prov->rate <= 0)
		return 1;
	if (t < l->next_us)
		return 0;
	if (l->next_us + catchup < t)
		l->next_us = t - catchup;
	l->next_us += (int64_t)(1e6 / (l->prov->rate * OUTBOX_PACE));
	return 1;
}

/* By name: every node locks the pacing rows of a claim in one order. */
static int
lane_cmp(const void *a, const void *b)
{
	const struct lane *const *x = a, *const *y = b;

	return strcmp((*x)->prov->name, (*y)->prov->name);
}

/* Seconds to wait before try number attempts + 1: doubling from
 * retry_base, at most retry_max, with +-25% jitter so that retries of a
 * burst do not come back as a burst. */
static double
backoff(const struct config *cf, int attempts)
{
	double d = cf->retry_base * pow(2, attempts > 30 ? 30 : attempts - 1);

	if (d > cf->retry_max)
		d = cf->retry_max;
	return d * (0.75 + 0.5 * ((double)rand() / RAND_MAX));
}

/* The outcome of an e-mail or a webhook, which have no codec. */
static enum send_result
channel_result(const char *channel, const struct httpc_result *r, char *err,
    size_t errlen)
{
	if (r->status == 0) {
		snprintf(err, errlen, "%s", r->error);
		return SEND_RETRY;
	}
	if (strcmp(channel, "email") == 0) {
		/* SMTP: 4xx is "try later", 5xx is "never". */
		if (r->status >= 200 && r->status < 300)
			return SEND_OK;
		snprintf(err, errlen, "SMTP %d %.200s", r->status, r->error);
		return r->status >= 500 ? SEND_FAIL : SEND_RETRY;
	}
	if (r->status >= 200 && r->status < 300)
		return SEND_OK;
	snprintf(err, errlen, "HTTP %d", r->status);
	return r->status == 429 || r->status >= 500 ? SEND_RETRY : SEND_FAIL;
}

/*
 * The provider refused a send because the number opted out there (Twilio
 * 21610, Telnyx 40300): the number is opted out here too, with what the
 * provider said, through the same path as a supporter's STOP, so that
 * nothing more is sent to it; the rows themselves die below.
 */
static void
opted_out(struct outbox *ob, struct attempt *a, const char *err)
{
	const struct provider *p = a->lane->prov;
	char *ev = xasprintf("%s send: %s", p->ops->name, err);
	char masked[64];
	int rc;

	rc = store_optout_add(ob->st, a->recipient, "provider", p->name, 0, "",
	    ev, 0, now_unix());
	if (rc == -1)
		log_error("outbox: %s", store_error(ob->st));
	else {
		log_info("outbox: %s: %s opted out at the provider (%s)",
		    p->name, log_mask_phone(a->recipient, masked,
		    sizeof masked), err);
		if (rc == 1)
			metrics_optout();
	}
	free(ev);
}

static void settle(struct attempt *, enum send_result, const char *ext_id,
    const char *err);

static void
finished(const struct httpc_result *r, void *arg)
{
	struct attempt *a = arg;
	char ext_id[SEND_MAX_IDS] = "", err[256] = "";
	enum send_result sr;
	double pause;

	if (a->lane == NULL)
		sr = channel_result(a->channel, r, err, sizeof err);
	else if (r->status == 0)
		sr = provider_result(a->lane->prov, 0, r->error,
		    strlen(r->error), ext_id, sizeof ext_id, err, sizeof err);
	else
		sr = provider_result(a->lane->prov, r->status,
		    r->body.data ? r->body.data : "", r->body.len, ext_id,
		    sizeof ext_id, err, sizeof err);
	if (a->lane != NULL && (pause = provider_retry_after(r->status,
	    r->retry_after)) > 0) {
		/* The provider says slow down: this instance waits as long as
		 * it asks, on every node. */
		a->lane->paused_until = (int64_t)ceil(now_real() + pause);
		if (store_pace_pause(a->ob->st, a->lane->prov->name,
		    a->lane->paused_until) == -1)
			log_error("outbox: %s", store_error(a->ob->st));
	}
	/* The provider named no id: the one encode chose is what its
	 * receipts will carry. */
	if (sr == SEND_OK && ext_id[0] == '\0')
		strlcpy_(ext_id, a->req.ext_id, sizeof ext_id);
	settle(a, sr, ext_id, err);
}

/* A send delivered by being printed (HTTP_VIA_TERMINAL): no transfer to
 * wait for, so its outcome comes at once, on the worker's thread. */
static void
printed(struct attempt *a)
{
	char ext_id[SEND_MAX_IDS] = "", err[256] = "";
	enum send_result sr;

	sr = provider_print(a->lane->prov, &a->req, stdout, ext_id,
	    sizeof ext_id, err, sizeof err);
	settle(a, sr, ext_id, err);
}

/* The rows of a finished attempt marked by its outcome, and a freed. */
static void
settle(struct attempt *a, enum send_result sr, const char *ext_id,
    const char *err)
{
	struct outbox *ob = a->ob;
	/* Times are whole seconds in the database: round waits up, so that
	 * no retry comes sooner than asked. */
	double now = now_real();
	int rc = 0;
	int mi = a->lane ? metrics_instance(a->lane->prov->name) : -1;
	if (sr == SEND_OPTED_OUT)
		opted_out(ob, a, err);
	for (int i = 0; i < a->nids; i++) {
		if (sr == SEND_OK) {
			rc |= store_outbox_sent(ob->st, a->ids[i], ext_id);
			ob->stats.sent++;
			metrics_send(a->channel, mi, MS_OK);
		} else if (sr == SEND_RETRY &&
		    a->attempts < (int)ob->cf->max_attempts) {
			int64_t when = (int64_t)ceil(now + backoff(ob->cf,
			    a->attempts));
			if (a->lane && a->lane->paused_until > when)
				when = a->lane->paused_until;
			rc |= store_outbox_retry(ob->st, a->ids[i], when, err);
			ob->stats.retried++;
			metrics_send(a->channel, mi, MS_RETRY);
		} else {
			log_warn("outbox: %lld: dead after %d attempt%s: %s",
			    (long long)a->ids[i], a->attempts,
			    a->attempts == 1 ? "" : "s", err);
			rc |= store_outbox_dead(ob->st, a->ids[i], err);
			ob->stats.dead++;
			metrics_send(a->channel, mi, sr == SEND_RETRY ? MS_DEAD :
			    MS_FAIL);
		}
	}
	if (rc != 0)
		log_error("outbox: %s", store_error(ob->st));
	ob->inflight--;
	attempt_free(a);
}

char *
outbox_mail_text(const struct config *cf, const char *to, const char *subject,
    const char *body, const char *key)
{
	char date[64];
	time_t t = time(NULL);
	struct tm tm;
	struct buf b;

	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_init(&b, 0);
	buf_printf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n"
	    "Message-ID: <%s@gateway>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n\r\n", cf->notify_from,
	    to, subject, date, key);
	/* Lines end in CRLF in a message. */
	for (const char *p = body; *p; p++) {
		if (*p == '\n')
			buf_puts(&b, "\r\n");
		else
			buf_append(&b, p, 1);
	}
	buf_puts(&b, "\r\n");
	return b.data;
}

void
outbox_webhook_request(struct http_out *req, const char *url,
    const char *key, const char *body, const char *secret)
{
	req->method = xstrdup("POST");
	req->url = xstrdup(url);
	http_out_header(req, "Content-Type: application/json");
	http_out_header(req, "Idempotency-Key: %s", key);
	if (secret[0]) {
		unsigned char mac[CRYPTO_MAX_DIGEST];
		char hex[2 * CRYPTO_MAX_DIGEST + 1];
		size_t m = crypto_hmac(HASH_SHA256, secret, strlen(secret),
		    body, strlen(body), mac);
		hex_encode(mac, m, hex);
		http_out_header(req, "X-Gateway-Signature: sha256=%s", hex);
	}
	buf_puts(&req->body, body);
}

/*
 * Notifications due together for one recipient go as one digest (after
 * quiet hours, or a backlog): the rows of items[from..n) with the same
 * channel and recipient are marked used and their ids collected.
 */
static void
gather(struct outbox_item *items, int from, int n, char *used,
    struct attempt *a, struct buf *text, json_t *digest)
{
	const struct outbox_item *first = &items[from];
	int count = 0;

	for (int j = from; j < n; j++) {
		struct outbox_item *it = &items[j];
		if (used[j] || strcmp(it->channel, first->channel) ||
		    strcmp(it->recipient, first->recipient) ||
		    strcmp(it->instance, first->instance) ||
		    (j > from && (strcmp(it->purpose, "notify") ||
		    strcmp(first->purpose, "notify"))))
			continue;
		used[j] = 1;
		a->ids = xrealloc(a->ids, (size_t)(a->nids + 1) * sizeof *a->ids);
		a->ids[a->nids++] = it->id;
		if (strcmp(it->channel, "webhook") == 0) {
			json_t *o = json_loads(it->body, 0, NULL);
			if (o != NULL) {
				const char *t = json_string_value(
				    json_object_get(o, "text"));
				buf_printf(text, "%s%s", count ? "\n" : "",
				    t ? t : "");
				json_array_append_new(digest, o);
			}
		} else
			buf_printf(text, "%s%s", count ? "\n" : "", it->body);
		count++;
		if (strcmp(first->purpose, "notify") != 0)
			break;
	}
}

/* Build the request for item i (and any digest partners); 0, or -1 with
 * err when the row can never be sent. */
static int
prepare_attempt(struct outbox *ob, struct outbox_item *items, int i, int n,
    char *used, struct attempt *a, char *err, size_t errlen)
{
	struct outbox_item *it = &items[i];
	json_t *digest = json_array();
	struct buf text;
	int rc = 0;

	buf_init(&text, 0);
	gather(items, i, n, used, a, &text, digest);
	a->channel = strcmp(it->channel, "sms") == 0 ? "sms" :
	    strcmp(it->channel, "email") == 0 ? "email" : "webhook";
	http_out_init(&a->req);
	if (a->lane != NULL) {
		/* Curly quotes and dashes would make a text UCS-2 for
		 * nothing (segments.h): every SMS goes with plain ones,
		 * notifications as well as replies. */
		struct buf sms;
		buf_init(&sms, 0);
		sms_smarten(text.data ? text.data : "", text.len, SMS_PUNCT,
		    &sms);
		buf_release(&text);
		text = sms;
		struct outbound msg = { .to = it->recipient,
		    .text = text.data ? text.data : "", .idem_key = it->idem_key,
		    .status_url = NULL };
		char *status = xasprintf("%s/status/%s", ob->status_base,
		    a->lane->prov->name);
		msg.status_url = status;
		a->recipient = xstrdup(it->recipient);
		rc = provider_encode(a->lane->prov, &msg, &a->req, err,
		    errlen);
		free(status);
	} else if (strcmp(a->channel, "email") == 0) {
		char *subject = a->nids > 1 ? xasprintf("%d new supporters",
		    a->nids) : xstrdup(it->subject);
		a->mail_to = xstrdup(it->recipient);
		a->mail_text = outbox_mail_text(ob->cf, it->recipient, subject,
		    text.data ? text.data : "", it->idem_key);
		free(subject);
	} else {
		char *body;
		if (a->nids > 1) {
			json_t *o = json_pack("{s:s, s:O}", "text", text.data ?
			    text.data : "", "digest", digest);
			body = json_dumps(o, JSON_COMPACT);
			json_decref(o);
		} else
			body = xstrdup(it->body);
		/* Alarms go to [alerts]' webhook, signed with its secret. */
		outbox_webhook_request(&a->req, it->recipient, it->idem_key,
		    body, strcmp(it->purpose, "alarm") == 0 ?
		    ob->cf->alerts_webhook_secret :
		    ob->cf->notify_webhook_secret);
		free(body);
	}
	json_decref(digest);
	buf_release(&text);
	return rc;
}

static int64_t
now_us(void)
{
	return (int64_t)(now_real() * 1e6);
}

/* Lock and read the pacing rows of the instances among items, in name
 * order (no two claims wait for each other's rows); 0 or -1. */
static int
lanes_lock(struct outbox *ob, const struct outbox_item *items, int n)
{
	struct lane **v = xcalloc(ob->nlanes ? ob->nlanes : 1, sizeof *v);
	size_t nv = 0;
	int rc = 0;

	for (size_t i = 0; i < ob->nlanes; i++)
		ob->lanes[i].taken = 0;
	for (int i = 0; i < n; i++) {
		struct lane *l;
		if (strcmp(items[i].channel, "sms") != 0 ||
		    (l = lane_for(ob, items[i].instance)) == NULL || l->taken)
			continue;
		l->taken = 1;
		v[nv++] = l;
	}
	qsort(v, nv, sizeof *v, lane_cmp);
	for (size_t i = 0; i < nv && rc == 0; i++)
		if ((rc = store_pace_take(ob->st, v[i]->prov->name,
		    &v[i]->next_us, &v[i]->paused_until)) == 0)
			v[i]->booked_us = v[i]->next_us;
	free(v);
	return rc;
}

/* The slots booked in this claim, for every node; 0 or -1. */
static int
lanes_book(struct outbox *ob)
{
	for (size_t i = 0; i < ob->nlanes; i++) {
		struct lane *l = &ob->lanes[i];
		if (l->taken && l->next_us != l->booked_us &&
		    store_pace_set(ob->st, l->prov->name, l->next_us) == -1)
			return -1;
	}
	return 0;
}

/* Start what is due and allowed (poked: something new was queued).  Sets
 * *pacing when due rows wait for their instance's rate.  Returns how many
 * started. */
static int
send_due(struct outbox *ob, int poked, int *pacing)
{
	int64_t now = now_unix(), t, lease;
	int room = (int)ob->cf->concurrency - ob->inflight, started = 0;
	int limit = room;
	struct outbox_item *items;
	struct attempt **go;
	char *used;
	int n;

	if (room <= 0)
		return 0;
	/* When all that was due last time waited for its instance's slot,
	 * spare the database until one of those slots is free (as last
	 * read: another node may have taken it since) or something new
	 * comes. */
	if (ob->only_pacing && !poked) {
		int ready = 0;
		t = now_us();
		for (size_t i = 0; i < ob->nlanes && !ready; i++)
			ready = ob->lanes[i].taken &&
			    now >= ob->lanes[i].paused_until &&
			    (ob->lanes[i].prov->rate <= 0 ||
			    t >= ob->lanes[i].next_us);
		if (!ready) {
			*pacing = 1;
			return 0;
		}
	}
	/* Claim more than there is room for when some rows may wait for
	 * their instance's rate or pause while others can go. */
	for (size_t i = 0; i < ob->nlanes; i++)
		if (ob->lanes[i].prov->rate > 0 ||
		    ob->lanes[i].paused_until > now)
			limit = room * 4;
	lease = now + (int64_t)ceil(ob->cf->connect_timeout +
	    ob->cf->send_timeout) + LEASE_MARGIN;
	/* A read first: an idle outbox takes no write lock. */
	if ((n = store_outbox_pending(ob->st, now)) <= 0) {
		if (n == -1)
			log_error("outbox: %s", store_error(ob->st));
		return 0;
	}
	if (store_begin(ob->st) == -1) {
		log_error("outbox: %s", store_error(ob->st));
		return 0;
	}
	if ((n = store_outbox_claim(ob->st, ob->node, now, lease, limit,
	    &items)) <= 0 || lanes_lock(ob, items, n) == -1) {
		if (n != 0)
			log_error("outbox: %s", store_error(ob->st));
		store_rollback(ob->st);
		goto out;
	}
	t = now_us();
	go = xcalloc((size_t)n, sizeof *go);
	used = xcalloc((size_t)n, 1);
	for (int i = 0; i < n && started < room; i++) {
		struct outbox_item *it = &items[i];
		struct lane *lane = NULL;
		char err[256] = "";
		int out;

		if (used[i])
			continue;
		if (strcmp(it->channel, "sms") == 0 &&
		    (lane = lane_for(ob, it->instance)) == NULL) {
			used[i] = 1;
			store_outbox_dead(ob->st, it->id, "no such provider "
			    "instance");
			ob->stats.dead++;
			metrics_send(it->channel, -1, MS_DEAD);
			continue;
		}
		if (strcmp(it->channel, "sms") && strcmp(it->channel, "email") &&
		    strcmp(it->channel, "webhook")) {
			used[i] = 1;
			store_outbox_dead(ob->st, it->id, "no such channel");
			ob->stats.dead++;
			metrics_send(it->channel, -1, MS_DEAD);
			continue;
		}
		/* The last word on opt-outs, whatever queued the row: only
		 * the confirmation of a STOP may go to a number that sent
		 * one. */
		if (lane != NULL && strcmp(it->purpose, "confirm_stop") != 0 &&
		    (out = store_opted_out(ob->st, it->recipient)) != 0) {
			if (out == 1) {
				used[i] = 1;
				store_outbox_discard(ob->st, it->id, "opted out");
				ob->stats.discarded++;
			}
			continue;
		}
		if (lane != NULL && !lane_take(lane, now, t)) {
			*pacing = 1;
			continue;
		}
		struct attempt *a = xcalloc(1, sizeof *a);
		*a = (struct attempt){ .ob = ob, .lane = lane,
		    .attempts = it->attempts + 1 };
		if (prepare_attempt(ob, items, i, n, used, a, err,
		    sizeof err) == -1) {
			for (int k = 0; k < a->nids; k++) {
				store_outbox_dead(ob->st, a->ids[k], err);
				metrics_send(it->channel, lane ?
				    metrics_instance(lane->prov->name) : -1,
				    MS_DEAD);
			}
			ob->stats.dead += (unsigned long)a->nids;
			attempt_free(a);
			continue;
		}
		for (int k = 0; k < a->nids; k++)
			if (store_outbox_sending(ob->st, a->ids[k]) == -1)
				log_error("outbox: %s", store_error(ob->st));
		go[started++] = a;
	}
	/* What was claimed and is not sent now goes back to the queue, in
	 * the same transaction: to everyone else it never left. */
	for (int i = 0; i < n; i++)
		if (!used[i] && store_outbox_release(ob->st, items[i].id) == -1)
			log_error("outbox: %s", store_error(ob->st));
	free(used);
	if (lanes_book(ob) == -1)
		log_error("outbox: %s", store_error(ob->st));
	/* "sending" is on disk before anything leaves. */
	if (store_commit(ob->st) == -1) {
		log_error("outbox: %s", store_error(ob->st));
		store_rollback(ob->st);
		for (int i = 0; i < started; i++)
			attempt_free(go[i]);
		started = 0;
	}
	for (int i = 0; i < started; i++) {
		struct attempt *a = go[i];
		int rc;
		ob->inflight++;
		if (a->mail_text != NULL) {
			struct httpc_mail m = {
				.url = ob->cf->smtp_url,
				.username = ob->cf->smtp_user[0] ?
				    ob->cf->smtp_user : NULL,
				.password = ob->cf->smtp_password,
				.starttls = ob->cf->smtp_starttls,
				.from = ob->cf->notify_from, .to = a->mail_to,
				.message = a->mail_text,
			};
			rc = httpc_start_mail(ob->hc, &m, finished, a);
		} else if (a->lane != NULL && a->req.via == HTTP_VIA_TERMINAL) {
			printed(a);
			continue;
		} else
			rc = httpc_start(ob->hc, &a->req, finished, a);
		if (rc == -1) {
			struct httpc_result r = { .status = 0, .retry_after = -1 };
			strlcpy_(r.error, "cannot start the request", sizeof r.error);
			finished(&r, a);
		}
	}
	free(go);
	ob->only_pacing = *pacing && started == 0;
out:
	for (int i = 0; i < n; i++)
		outbox_item_release(&items[i]);
	free(items);
	return started;
}

/* Retention, from the worker that is awake anyway, on one node at a
 * time: the node that holds the job keeps it while it lives. */
static void
purge(struct outbox *ob)
{
	struct forget_counts c;
	int64_t now = now_unix();
	int rc;

	if (ob->cf->retention_days <= 0 || now - ob->purged_at < PURGE_EVERY ||
	    now - ob->retention_tried_at < JOB_TRY_EVERY)
		return;
	ob->retention_tried_at = now;
	if ((rc = store_job_try(ob->st, "retention")) != 1) {
		if (rc == -1)
			log_error("retention: %s", store_error(ob->st));
		else if (!ob->retention_other)
			log_info("retention: run by another node");
		ob->retention_other = rc == 0;
		return;
	}
	if (ob->retention_other)
		log_info("retention: runs on this node now");
	ob->retention_other = 0;
	ob->purged_at = now;
	if (store_purge(ob->st, "system:retention", ob->purged_at -
	    (int64_t)(ob->cf->retention_days * 86400), &c) == -1) {
		log_error("retention: %s", store_error(ob->st));
		return;
	}
	if (c.leads || c.messages || c.outbox)
		log_info("retention: purged %ld leads, %ld messages, %ld outbox "
		    "rows", c.leads, c.messages, c.outbox);
}

/* Rows a node that is gone left "sending" go back to the queue; and this
 * node's own name is held again, should its connection have been made
 * again.  At start, and every RECOVER_EVERY. */
static void
recover(struct outbox *ob)
{
	int64_t now = now_unix();
	int n;

	ob->recovered_at = now;
	if (store_job_try(ob->st, ob->node_job) == -1 ||
	    (n = store_outbox_recover(ob->st, ob->node, now)) == -1) {
		log_error("outbox: %s", store_error(ob->st));
		return;
	}
	if (n > 0)
		log_warn("outbox: %d message%s caught mid-send by a stop "
		    "will be sent again", n, n == 1 ? "" : "s");
}

static int take_next_gen(struct outbox *);

static void *
worker(void *arg)
{
	struct outbox *ob = arg;
	struct timespec cpu;

	pthread_setname_np(pthread_self(), "outbox");
	for (;;) {
		ob->heartbeat = now_ns();
		pthread_mutex_lock(&ob->lock);
		int stopping = ob->stopping, poked = ob->poked_since;
		ob->poked = 0;
		ob->poked_since = 0;
		pthread_mutex_unlock(&ob->lock);
		if (stopping && ob->inflight == 0)
			break;
		int pacing = 0, waiting = take_next_gen(ob);
		if (!stopping && !waiting)
			send_due(ob, poked, &pacing);
		if (!stopping && now_unix() - ob->recovered_at >= RECOVER_EVERY)
			recover(ob);
		if (!stopping)
			purge(ob);
		if (ob->inflight > 0 || pacing) {
			httpc_run(ob->hc, pacing ? OUTBOX_PACE_MS :
			    OUTBOX_TICK_MS / 4);
			continue;
		}
		/* Nothing in flight: sleep until poked or the next tick. */
		struct timespec ts;
		deadline_after_ms(&ts, OUTBOX_TICK_MS);
		pthread_mutex_lock(&ob->lock);
		if (!ob->poked && !ob->stopping)
			pthread_cond_timedwait(&ob->wake, &ob->lock, &ts);
		pthread_mutex_unlock(&ob->lock);
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
	ob->stats.cpu_seconds = cpu.tv_sec + cpu.tv_nsec / 1e9;
	return NULL;
}

/*
 * Make cf and providers the ones in use: the lanes are made again, an
 * instance that stays keeping its pacing and any pause after a 429.  The
 * worker's thread, with nothing in flight (the lanes are pointed to by
 * the sends), or before it starts.
 */
static void
use_config(struct outbox *ob, const struct config *cf,
    const struct provider_set *providers)
{
	struct lane *lanes = xcalloc(providers->n ? providers->n : 1,
	    sizeof *lanes);

	for (size_t i = 0; i < providers->n; i++) {
		struct lane *was = ob->lanes ? lane_for(ob, providers->v[i].name) :
		    NULL;
		lanes[i].prov = &providers->v[i];
		lanes[i].next_us = was ? was->next_us : 0;
		lanes[i].paused_until = was ? was->paused_until : 0;
	}
	free(ob->lanes);
	ob->lanes = lanes;
	ob->nlanes = providers->n;
	ob->cf = cf;
	ob->providers = providers;
	/* Receipts are asked for at the address the providers call. */
	if (cf->public_url[0])
		snprintf(ob->status_base, sizeof ob->status_base, "%s",
		    cf->public_url);
	else
		snprintf(ob->status_base, sizeof ob->status_base, "http://%s",
		    cf->listen);
	size_t sb = strlen(ob->status_base);
	while (sb > 0 && ob->status_base[sb - 1] == '/')
		ob->status_base[--sb] = '\0';
}

void
outbox_reload(struct outbox *ob, struct config_gen *g)
{
	struct config_gen *drop;

	if (ob == NULL)
		return;
	pthread_mutex_lock(&ob->lock);
	drop = ob->next_gen;
	ob->next_gen = app_gen_ref(g);
	ob->poked = 1;
	pthread_cond_signal(&ob->wake);
	pthread_mutex_unlock(&ob->lock);
	app_gen_unref(drop);
}

/* Between sends: a generation waiting is taken once nothing is in
 * flight, and no new send starts until then. */
static int
take_next_gen(struct outbox *ob)
{
	struct config_gen *g;

	pthread_mutex_lock(&ob->lock);
	g = ob->next_gen;
	if (g != NULL && ob->inflight == 0)
		ob->next_gen = NULL;
	pthread_mutex_unlock(&ob->lock);
	if (g == NULL)
		return 0;
	if (ob->inflight > 0)
		return 1;
	use_config(ob, g->cf, &g->providers);
	app_gen_unref(ob->gen);
	ob->gen = g;
	log_info("outbox: config %lu in use", g->number);
	return 0;
}

struct outbox *
outbox_start(const struct config *cf, const struct provider_set *providers)
{
	struct outbox *ob = xcalloc(1, sizeof *ob);
	struct httpc_limits limits = {
		.connect_timeout_ms = (long)(cf->connect_timeout * 1000),
		.timeout_ms = (long)(cf->send_timeout * 1000),
		.max_response = 64 * 1024,
	};
	unsigned char r[8];

	ob->cf = cf;
	ob->providers = providers;
	use_config(ob, cf, providers);
	if ((ob->st = store_open(cf)) == NULL) {
		free(ob->lanes);
		free(ob);
		return NULL;
	}
	/* A name of its own as the owner of its leases, held as a lock for
	 * as long as this process lives: other nodes know it gone when the
	 * lock is free. */
	if (crypto_random(r, sizeof r) == -1)
		fatal("outbox: no random bytes for the node's name");
	hex_encode(r, sizeof r, ob->node);
	snprintf(ob->node_job, sizeof ob->node_job, "outbox:%s", ob->node);
	if (store_job_try(ob->st, ob->node_job) != 1) {
		log_error("outbox: cannot hold the node's lock: %s",
		    store_error(ob->st));
		store_close(ob->st);
		free(ob->lanes);
		free(ob);
		return NULL;
	}
	recover(ob);
	ob->hc = httpc_new(&limits);
	pthread_mutex_init(&ob->lock, NULL);
	pthread_cond_init(&ob->wake, NULL);
	srand((unsigned)now_ns());
	if (pthread_create(&ob->thread, NULL, worker, ob) != 0)
		fatal("outbox: cannot start the worker thread");
	return ob;
}

void
outbox_poke(void *arg)
{
	struct outbox *ob = arg;

	if (ob == NULL)
		return;
	pthread_mutex_lock(&ob->lock);
	ob->poked = 1;
	ob->poked_since = 1;
	pthread_cond_signal(&ob->wake);
	pthread_mutex_unlock(&ob->lock);
}

void
outbox_stop(struct outbox *ob)
{
	if (ob == NULL)
		return;
	pthread_mutex_lock(&ob->lock);
	ob->stopping = 1;
	pthread_cond_signal(&ob->wake);
	pthread_mutex_unlock(&ob->lock);
	pthread_join(ob->thread, NULL);
	log_info("outbox: sent %lu, retried %lu, dead %lu, discarded %lu; "
	    "worker CPU %.3f s", ob->stats.sent, ob->stats.retried,
	    ob->stats.dead, ob->stats.discarded, ob->stats.cpu_seconds);
	httpc_free(ob->hc);
	store_close(ob->st);
	pthread_mutex_destroy(&ob->lock);
	pthread_cond_destroy(&ob->wake);
	free(ob->lanes);
	app_gen_unref(ob->gen);
	app_gen_unref(ob->next_gen);
	free(ob);
}

int
outbox_alive(struct outbox *ob, double *idle_seconds)
{
	uint64_t last = ob->heartbeat, now = now_ns();

	*idle_seconds = last && now > last ? (double)(now - last) / 1e9 : 0;
	/* It turns at least every OUTBOX_TICK_MS, and a send times out. */
	return last != 0 && *idle_seconds <
	    ob->cf->send_timeout + ob->cf->connect_timeout + 5;
}
