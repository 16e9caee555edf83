/*
 * simulate.h -- the admin's phone simulator (/admin/api/simulate): a text
 * from a number in Ofcom's drama range run through the real pipeline, as
 * if it came by a provider instance of its own ("simulator") whose replies
 * are given in the answer and recorded as sent to it, never to a real
 * provider.  Every row it makes is marked test: kept out of lead lists,
 * exports, /metrics and (unless asked) notifications, and removed by a
 * clear.
 */
#ifndef GATEWAY_SIMULATE_H
#define GATEWAY_SIMULATE_H

#include <jansson.h>

#include "app.h"

struct gateway;

/* The simulator's instance name, in the rows it writes. */
#define SIMULATE_INSTANCE	"simulator"

/*
 * POST simulate {"from", "text", "notify"}: the text through the pipeline
 * (ROUTE_WAIT: answered once the writer has committed it, audited in the
 * same transaction under actor), or a 4xx at once.  The request thread's
 * gw, refreshed by the caller; body is lent.
 */
enum route_result simulate_post(struct app *, struct gateway *gw,
		    const char *actor, json_t *body, struct http_resp *,
		    struct pending *);

/* DELETE simulate (or POST simulate/clear): every test row removed,
 * audited; answers the counts. */
enum route_result simulate_clear(struct gateway *gw, const char *actor,
		    struct http_resp *);

#endif
