/*
 * webhook.c -- see webhook.h.  The order matters: nothing is stored for a
 * caller that is not allowed or a signature that does not verify, and a
 * body that does not decode costs nothing either.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "config.h"
#include "log.h"
#include "metrics.h"
#include "store.h"
#include "webhook.h"

/* Find the instance, check the caller and the signature; *why says what
 * was wrong, for the metrics. */
static const struct provider *
admit(struct app *app, const char *name, const struct http_req *req,
    struct http_resp *resp, enum metrics_inbound *why)
{
	const struct provider *p = provider_set_find(app_providers(app), name);

	*why = MI_REJECTED;
	if (p == NULL) {
		http_resp_set(resp, 404, "text/plain", "no such provider\n");
		return NULL;
	}
	if (!provider_allows(p, req->remote_addr)) {
		log_warn("webhook: %s: call from %s not in allow_from", p->name,
		    req->remote_addr);
		http_resp_set(resp, 403, "text/plain", "forbidden\n");
		return NULL;
	}
	switch (provider_verify(p, req, now_unix())) {
	case VERIFY_OK:
		return p;
	case VERIFY_BAD:
		*why = MI_BAD_SIGNATURE;
		log_warn("webhook: %s: bad signature from %s", p->name,
		    req->remote_addr);
		http_resp_set(resp, 403, "text/plain", "bad signature\n");
		return NULL;
	default:
		*why = MI_UNAVAILABLE;
		log_error("webhook: %s: cannot verify", p->name);
		http_resp_set(resp, 500, "text/plain", "cannot verify\n");
		return NULL;
	}
}

/*
 * A message waiting for the writer: the ctx of its struct pending.  The
 * writer's thread and the request's race only when the server stops with
 * the request still waiting (pend->cancel): whichever of job_done and
 * cancel comes second frees it.
 */
enum { WAIT_QUEUED, WAIT_ORPHANED, WAIT_DONE };
struct wait {
	struct job		 job;
	const struct provider	*prov;	/* NULL: a receipt, answered 200 */
	/* The answer of a message made elsewhere (webhook_submit); NULL:
	 * the provider's, by provider_ack. */
	void			(*answer)(const struct job *,
				    struct http_resp *);
	struct app		*app;
	struct config_gen	*gen;	/* held: prov and the job's config */
	struct pending		*pend;
	_Atomic int		 state;
	uint64_t		 t0;	/* now_ns() when it was received */
	enum metrics_inbound	 outcome;
};

/* The one line each message gets, when it is answered. */
static void
log_message(const struct provider *p, const char *sender,
    enum metrics_inbound outcome, const char *match_kind, uint64_t t0)
{
	char masked[64], ms[32];

	snprintf(ms, sizeof ms, "%.1f", (double)(now_ns() - t0) / 1e6);
	log_event(LOG_INFO, "webhook", "instance", p->name, "number",
	    sender ? log_mask_phone(sender, masked, sizeof masked) : "-",
	    "outcome", metrics_inbound_name(outcome), "match_kind",
	    match_kind ? match_kind : "none", "ms", ms, (char *)NULL);
}

/* From the writer's thread, after the commit: what the database now holds
 * for this message, counted before anyone may free it. */
static void
count_written(struct wait *w)
{
	const struct job *j = &w->job;

	if (j->test)			/* the simulator's: no metric */
		return;
	if (w->prov == NULL) {		/* a receipt */
		if (j->status == 200 && j->new_optout)
			metrics_optout();
		return;
	}
	w->outcome = j->status != 200 ? MI_UNAVAILABLE : j->duplicate ?
	    MI_DUPLICATE : j->stored ? MI_ACCEPTED : MI_PART;
	metrics_inbound(metrics_instance(w->prov->name), w->outcome);
	if (w->outcome != MI_ACCEPTED)
		return;
	if (j->new_lead)
		metrics_lead(j->postcode && j->postcode[0] ? j->match_kind :
		    "none");
	if (j->new_optout)
		metrics_optout();
}

static void
wait_free(struct wait *w)
{
	job_free(&w->job);
	app_gen_unref(w->gen);
	free(w);
}

/* From the writer's thread: the job is written, the request can go on. */
static void
job_done(struct job *job, void *arg)
{
	struct wait *w = arg;
	int queued = WAIT_QUEUED;

	(void)job;
	count_written(w);
	if (atomic_compare_exchange_strong(&w->state, &queued, WAIT_DONE))
		w->pend->resume(w->pend->resume_arg);
	else
		wait_free(w);		/* nobody is waiting any more */
}

/* From the request's thread, once it is suspended. */
static void
wait_start(struct pending *pend)
{
	struct wait *w = pend->ctx;

	batch_submit(w->app->batch, &w->job);
}

static void
wait_cancel(struct pending *pend)
{
	struct wait *w = pend->ctx;
	int queued = WAIT_QUEUED;

	if (!atomic_compare_exchange_strong(&w->state, &queued,
	    WAIT_ORPHANED))
		wait_free(w);		/* done already: free it here */
}

/* Where receipts for an inline reply go: /status/NAME at the address the
 * providers call (as the outbox asks for its sends' receipts), naming the
 * reply by its outbox ref; NULL when there is no reply. */
static char *
reply_status_url(const struct wait *w)
{
	const struct config *cf = w->gen->cf;
	struct buf b;
	size_t n;

	if (w->job.answer == NULL || w->job.answer_ref == NULL)
		return NULL;
	buf_init(&b, 0);
	if (cf->public_url[0])
		buf_puts(&b, cf->public_url);
	else
		buf_printf(&b, "http://%s", cf->listen);
	for (n = b.len; n > 0 && b.data[n - 1] == '/'; n--)
		;
	b.len = n;
	b.data[n] = '\0';
	buf_printf(&b, "/status/%s?ref=", w->prov->name);
	http_urlencode(&b, w->job.answer_ref);
	return b.data;
}

/* After the resume: the answer, the way the provider wants it. */
static void
wait_finish(struct pending *pend, struct http_resp *resp)
{
	struct wait *w = pend->ctx;

	if (w->answer != NULL) {
		w->answer(&w->job, resp);
		wait_free(w);
		return;
	}
	if (w->job.status != 200)
		http_resp_set(resp, 503, "text/plain", "try again\n");
	else if (w->prov == NULL)
		http_resp_set(resp, 200, "text/plain", "");
	else {
		char *status = reply_status_url(w);
		const struct reply_ends to = { w->job.sender, w->job.recipient,
		    status };
		provider_ack(w->prov, &to, w->job.answer, resp);
		free(status);
	}
	if (w->prov != NULL)
		log_message(w->prov, w->job.sender, w->outcome,
		    w->job.match_kind, w->t0);
	wait_free(w);
}

/* Hand w's job to the writer once the server has suspended the request. */
static enum route_result
wait_for_writer(struct app *app, struct wait *w, const struct provider *p,
    struct pending *pend)
{
	w->prov = p;
	w->app = app;
	/* Until the answer is given: a reload meanwhile does not take the
	 * provider or the reply wording from under it. */
	w->gen = app_gen_ref(app_held());
	w->job.cf = w->gen->cf;
	w->pend = pend;
	w->job.done = job_done;
	w->job.done_arg = w;
	pend->ctx = w;
	pend->start = wait_start;
	pend->finish = wait_finish;
	pend->cancel = wait_cancel;
	return ROUTE_WAIT;
}

enum route_result
webhook_inbound(struct app *app, const char *name, const struct http_req *req,
    struct http_resp *resp, struct pending *pend)
{
	const struct provider *p;
	struct inbound *in;
	struct gateway *gw;
	struct wait *w;
	enum decode_result dr;
	enum metrics_inbound why;
	uint64_t t0 = now_ns();
	int mi;

	if ((p = admit(app, name, req, resp, &why)) == NULL) {
		metrics_inbound(metrics_instance(name), why);
		return ROUTE_DONE;
	}
	/* By name: a reload may have reordered the instances. */
	mi = metrics_instance(p->name);
	metrics_last_inbound(mi, now_unix());
	in = xcalloc(1, sizeof *in);
	dr = provider_decode(p, req, in);
	if (dr == DECODE_MALFORMED) {
		free(in);
		http_resp_set(resp, 400, "text/plain", "malformed\n");
		metrics_inbound(mi, MI_MALFORMED);
		log_message(p, NULL, MI_MALFORMED, NULL, t0);
		return ROUTE_DONE;
	}
	if (dr == DECODE_IGNORE) {
		provider_ack(p, NULL, NULL, resp);
		free(in);
		metrics_inbound(mi, MI_IGNORED);
		return ROUTE_DONE;
	}
	/* The sequence first, then the reads it vouches for. */
	uint64_t seen = batch_seq(app->batch);
	w = xcalloc(1, sizeof *w);
	if ((gw = app_thread_gateway(app)) == NULL ||
	    pipeline_prepare(gw, p, in, dr == DECODE_PART, now_unix(), seen,
	    &w->job) == -1) {
		free(in);
		wait_free(w);
		http_resp_set(resp, 503, "text/plain", "try again\n");
		metrics_inbound(mi, MI_UNAVAILABLE);
		return ROUTE_DONE;
	}
	free(in);
	w->t0 = t0;
	return wait_for_writer(app, w, p, pend);
}

enum route_result
webhook_submit(struct app *app, const struct provider *p, struct job *job,
    void (*answer)(const struct job *, struct http_resp *),
    struct pending *pend)
{
	struct wait *w = xcalloc(1, sizeof *w);

	w->job = *job;			/* taken, with all it owns */
	memset(job, 0, sizeof *job);
	w->answer = answer;
	w->t0 = now_ns();
	return wait_for_writer(app, w, p, pend);
}

enum route_result
webhook_status(struct app *app, const char *name, const struct http_req *req,
    struct http_resp *resp, struct pending *pend)
{
	const struct provider *p;
	struct delivery d;
	struct wait *w;
	enum metrics_inbound why;

	if ((p = admit(app, name, req, resp, &why)) == NULL)
		return ROUTE_DONE;
	if (!provider_has_receipts(p)) {
		http_resp_set(resp, 404, "text/plain",
		    "this provider has no delivery receipts\n");
		return ROUTE_DONE;
	}
	switch (provider_decode_status(p, req, &d)) {
	case DECODE_MALFORMED:
		http_resp_set(resp, 400, "text/plain", "malformed\n");
		return ROUTE_DONE;
	case DECODE_MESSAGE:
		if (d.ext_id[0] == '\0' || d.state == DELIVERY_PENDING)
			break;		/* nothing that changes a row */
		w = xcalloc(1, sizeof *w);
		if (d.opted_out) {
			/* The evidence: who said it, where, and how. */
			char *ev = xasprintf("%s receipt: %s", p->ops->name,
			    d.error[0] ? d.error : "opted out");
			pipeline_receipt(&w->job, p->name, d.ext_id,
			    (int)d.state, d.error, ev);
			free(ev);
		} else
			pipeline_receipt(&w->job, p->name, d.ext_id,
			    (int)d.state, d.error, NULL);
		return wait_for_writer(app, w, NULL, pend);
	default:
		break;
	}
	http_resp_set(resp, 200, "text/plain", "");
	return ROUTE_DONE;
}
