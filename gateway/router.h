/*
 * router.h -- which handler answers a request: a table of method and path.
 */
#ifndef GATEWAY_ROUTER_H
#define GATEWAY_ROUTER_H

#include "app.h"

/* Answer req into resp, or hand it on (ROUTE_WAIT; see app.h). */
enum route_result router_dispatch(struct app *, const struct http_req *,
		    struct http_resp *, struct pending *);

#endif
