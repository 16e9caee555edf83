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
/* POST/GET /status/NAME: delivery receipts. */
enum route_result webhook_status(struct app *, const char *name,
		    const struct http_req *, struct http_resp *,
		    struct pending *);

#endif
