/*
 * webhook.h -- what the server does with a provider's call: find the
 * instance by URL, check who is calling, verify, decode, and hand the
 * message to the pipeline; then answer the way that provider expects.
 */
#ifndef GATEWAY_WEBHOOK_H
#define GATEWAY_WEBHOOK_H

#include "app.h"

/* POST/GET /webhooks/NAME; name is the part after the prefix. */
enum route_result webhook_inbound(struct app *, const char *name,
		    const struct http_req *, struct http_resp *,
		    struct pending *);
/*
 * A message made elsewhere (the admin's simulator) on the webhook's own
 * way to the database: job, filled by pipeline_prepare with p, is taken
 * (its contents moved, *job zeroed), handed to the writer once the server
 * has suspended the request, and answer(job, resp) called on the
 * request's thread once it is written (job->status 200) or could not be
 * (503).  p must outlive the request.  ROUTE_WAIT.
 */
struct job;
enum route_result webhook_submit(struct app *, const struct provider *p,
		    struct job *job,
		    void (*answer)(const struct job *, struct http_resp *),
		    struct pending *);
/* POST/GET /status/NAME: delivery receipts. */
enum route_result webhook_status(struct app *, const char *name,
		    const struct http_req *, struct http_resp *,
		    struct pending *);

#endif
