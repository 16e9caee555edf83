/*
 * webhook.c -- see webhook.h.  The order matters: nothing is stored for a
 * caller that is not allowed or a signature that does not verify, and a
 * body that does not decode costs nothing either.
 */
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "config.h"
#include "log.h"
#include "store.h"
#include "webhook.h"

int
app_init(struct app *app, const struct config *cf)
{
	memset(app, 0, sizeof *app);
	app->cf = cf;
	pthread_mutex_init(&app->lock, NULL);
	return provider_set_load(cf, &app->providers);
}

void
app_release(struct app *app)
{
	for (size_t i = 0; i < app->ngws; i++) {
		gateway_close(app->gws[i]);
		free(app->gws[i]);
	}
	free(app->gws);
	provider_set_free(&app->providers);
	pthread_mutex_destroy(&app->lock);
}

/* This thread's read connection: SQLite connections are not shared
 * between threads, and WAL lets each read beside the writer. */
struct gateway *
app_thread_gateway(struct app *app)
{
	static __thread struct gateway *gw;

	if (gw != NULL)
		return gw;
	gw = xcalloc(1, sizeof *gw);
	if (gateway_open(gw, app->cf) == -1) {
		free(gw);
		gw = NULL;
		return NULL;
	}
	pthread_mutex_lock(&app->lock);
	app->gws = xrealloc(app->gws, (app->ngws + 1) * sizeof *app->gws);
	app->gws[app->ngws++] = gw;
	pthread_mutex_unlock(&app->lock);
	return gw;
}

/* Find the instance, check the caller and the signature. */
static const struct provider *
admit(struct app *app, const char *name, const struct http_req *req,
    struct http_resp *resp)
{
	const struct provider *p = provider_set_find(&app->providers, name);

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
	switch (p->ops->verify(p, req, now_unix())) {
	case VERIFY_OK:
		return p;
	case VERIFY_BAD:
		log_warn("webhook: %s: bad signature from %s", p->name,
		    req->remote_addr);
		http_resp_set(resp, 403, "text/plain", "bad signature\n");
		return NULL;
	default:
		log_error("webhook: %s: cannot verify", p->name);
		http_resp_set(resp, 500, "text/plain", "cannot verify\n");
		return NULL;
	}
}

/* From the writer's thread: the job is written, the request can go on. */
static void
job_done(struct job *job, void *arg)
{
	struct pending *pend = arg;

	(void)job;
	pend->resume(pend->resume_arg);
}

enum route_result
webhook_inbound(struct app *app, const char *name, const struct http_req *req,
    struct http_resp *resp, struct pending *pend)
{
	const struct provider *p;
	struct inbound *in;
	struct gateway *gw;
	enum decode_result dr;

	if ((p = admit(app, name, req, resp)) == NULL)
		return ROUTE_DONE;
	in = xcalloc(1, sizeof *in);
	dr = provider_decode(p, req, in);
	if (dr == DECODE_MALFORMED) {
		free(in);
		http_resp_set(resp, 400, "text/plain", "malformed\n");
		return ROUTE_DONE;
	}
	if (dr == DECODE_IGNORE) {
		p->ops->ack(p, NULL, NULL, resp);
		free(in);
		return ROUTE_DONE;
	}
	/* The sequence first, then the reads it vouches for. */
	uint64_t seen = batch_seq(app->batch);
	if ((gw = app_thread_gateway(app)) == NULL ||
	    pipeline_prepare(gw, p, in, dr == DECODE_PART, now_unix(), seen,
	    &pend->job) == -1) {
		free(in);
		job_free(&pend->job);
		http_resp_set(resp, 503, "text/plain", "try again\n");
		return ROUTE_DONE;
	}
	free(in);
	pend->prov = p;
	pend->active = 1;
	pend->job.done = job_done;
	pend->job.done_arg = pend;
	return ROUTE_WAIT;
}

void
webhook_finish(struct pending *pend, struct http_resp *resp)
{
	if (pend->job.status != 200)
		http_resp_set(resp, 503, "text/plain", "try again\n");
	else {
		/* What the answer may need of the message: who to. */
		struct inbound *in = xcalloc(1, sizeof *in);
		strlcpy_(in->ext_id, pend->job.ext_id, sizeof in->ext_id);
		strlcpy_(in->sender, pend->job.sender, sizeof in->sender);
		strlcpy_(in->recipient, pend->job.recipient,
		    sizeof in->recipient);
		pend->prov->ops->ack(pend->prov, in, pend->job.answer, resp);
		free(in);
	}
	job_free(&pend->job);
	pend->active = 0;
}

enum route_result
webhook_status(struct app *app, const char *name, const struct http_req *req,
    struct http_resp *resp, struct pending *pend)
{
	const struct provider *p;
	struct delivery d;
	struct gateway *gw;

	if ((p = admit(app, name, req, resp)) == NULL)
		return ROUTE_DONE;
	if (p->ops->decode_status == NULL) {
		http_resp_set(resp, 404, "text/plain",
		    "this provider has no delivery receipts\n");
		return ROUTE_DONE;
	}
	switch (p->ops->decode_status(p, req, &d)) {
	case DECODE_MALFORMED:
		http_resp_set(resp, 400, "text/plain", "malformed\n");
		return ROUTE_DONE;
	case DECODE_MESSAGE:
		if ((gw = app_thread_gateway(app)) == NULL ||
		    store_outbox_delivery(gw->st, p->name, d.ext_id, d.state,
		    d.error) == -1) {
			http_resp_set(resp, 503, "text/plain", "try again\n");
			return ROUTE_DONE;
		}
		break;
	default:
		break;
	}
	http_resp_set(resp, 200, "text/plain", "");
	return ROUTE_DONE;
}
