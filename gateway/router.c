/*
 * router.c -- the table of what the server answers.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "alarm.h"
#include "batch.h"
#include "outbox.h"
#include "metrics.h"
#include "pipeline.h"
#include "router.h"
#include "store.h"
#include "webhook.h"

typedef enum route_result (*route_fn)(struct app *, const char *rest,
    const struct http_req *, struct http_resp *, struct pending *);

static enum route_result
healthz(struct app *app, const char *rest, const struct http_req *req,
    struct http_resp *resp, struct pending *pend)
{
	http_resp_set(resp, 200, "text/plain", "ok\n");
	return ROUTE_DONE;
}

/*
 * Liveness (/healthz) says the process answers; readiness says a webhook
 * sent now would be stored.  A load balancer or a provider's fallback URL
 * should follow /readyz.
 */
static enum route_result
readyz(struct app *app, const char *rest, const struct http_req *req,
    struct http_resp *resp, struct pending *pend)
{
	struct gateway *gw = app_thread_gateway(app);
	json_t *checks = json_object();
	char why[256], *text;
	int64_t since;
	int ready = 1;

	if (gw == NULL) {
		json_object_set_new(checks, "database", json_string(
		    "cannot be opened: missing (deleted or moved?) or unreadable"));
		ready = 0;
	} else switch (store_file_moved(gw->st)) {
	case 0:
		json_object_set_new(checks, "database", json_string("ok"));
		break;
	case 1:
		json_object_set_new(checks, "database", json_string(
		    "the file has been deleted or moved since it was opened"));
		ready = 0;
		break;
	default:
		json_object_set_new(checks, "database",
		    json_string("cannot be checked"));
		ready = 0;
	}
	/* The data: migrations done, postcodes placeable (the built-in
	 * areas at least), and what the last import was. */
	struct store_readiness rd;
	if (gw != NULL && store_readiness(gw->st, &rd) == 0) {
		json_object_set_new(checks, "schema", json_string(
		    rd.schema_current ? "ok" : "older than this binary"));
		json_object_set_new(checks, "postcodes", json_pack(
		    "{s:s, s:I, s:I, s:s, s:I}", "status", rd.areas > 0 ? "ok" :
		    "no postcode data", "areas", (json_int_t)rd.areas, "units",
		    (json_int_t)rd.units, "release", rd.release, "imported_at",
		    (json_int_t)rd.imported_at));
		ready &= rd.schema_current && rd.areas > 0;
	} else if (gw != NULL) {
		/* Why: a server that went away, a refused login. */
		json_object_set_new(checks, "schema", json_pack("{s:s}",
		    "error", store_error(gw->st)));
		ready = 0;
	}
	double idle = 0;
	if (app->outbox != NULL && !outbox_alive(app->outbox, &idle)) {
		json_object_set_new(checks, "outbox", json_pack("{s:s, s:f}",
		    "error", "the send worker has not turned lately", "idle",
		    idle));
		ready = 0;
	} else if (app->outbox != NULL)
		json_object_set_new(checks, "outbox", json_string("ok"));
	if (app->batch && batch_health(app->batch, why, sizeof why,
	    &since) == -1) {
		json_object_set_new(checks, "writer", json_pack("{s:s, s:I}",
		    "error", why, "since", (json_int_t)since));
		ready = 0;
	} else
		json_object_set_new(checks, "writer", json_string("ok"));
	/* Alarms are listed, but a silence alarm alone leaves /readyz 200:
	 * a quiet number says nothing of this node, and a 503 would only
	 * make a load balancer pull a node that works.  A storage fault is
	 * already not ready, by the writer's check above. */
	json_t *o = json_pack("{s:b, s:o, s:o}", "ready", ready, "checks",
	    checks, "alarms", alarm_json(app->alarms));
	text = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	http_resp_set(resp, ready ? 200 : 503, "application/json",
	    text ? text : "{}");
	free(text);
	return ROUTE_DONE;
}

/* Prometheus scrapes this; the outbox is counted at scrape time. */
static enum route_result
metrics(struct app *app, const char *rest, const struct http_req *req,
    struct http_resp *resp, struct pending *pend)
{
	struct gateway *gw;
	struct metrics_db db, *dbp = NULL;
	int st = metrics_allowed(req->remote_addr,
	    http_req_header(req, "Authorization"));

	if (st != 200) {
		http_resp_set(resp, st, "text/plain", st == 401 ?
		    "a bearer token is needed\n" : "forbidden\n");
		if (st == 401)
			http_resp_header(resp, "WWW-Authenticate", "Bearer");
		return ROUTE_DONE;
	}
	if ((gw = app_thread_gateway(app)) != NULL &&
	    store_outbox_census(gw->st, metrics_outbox_states,
	    METRICS_OUTBOX_STATES, db.outbox, &db.oldest_queued) == 0)
		dbp = &db;
	http_resp_set(resp, 200, "text/plain; version=0.0.4; charset=utf-8",
	    "");
	if (metrics_render(&resp->body, dbp, now_unix()) == -1)
		http_resp_set(resp, 500, "text/plain", "out of memory\n");
	return ROUTE_DONE;
}

static const struct route {
	const char	*prefix;	/* a path, or a prefix ending in "/" */
	const char	*methods;	/* " GET POST " */
	int		 deep;		/* the rest may have "/" in it */
	int		 bare;		/* the prefix alone matches too */
	route_fn	 fn;
} routes[] = {
	{ "/healthz", " GET HEAD ", 0, 0, healthz },
	{ "/readyz", " GET HEAD ", 0, 0, readyz },
	{ "/metrics", " GET ", 0, 0, metrics },
	{ "/webhooks/", " GET POST ", 0, 0, webhook_inbound },
	{ "/status/", " GET POST ", 0, 0, webhook_status },
	{ "/admin/api/", " GET POST PUT DELETE ", 1, 0, admin_api },
	{ "/admin/", " GET HEAD ", 0, 1, admin_page },
};

static enum route_result route(struct app *, const struct http_req *,
    struct http_resp *, struct pending *);

enum route_result
router_dispatch(struct app *app, const struct http_req *req,
    struct http_resp *resp, struct pending *pend)
{
	enum route_result rr;

	app_enter(app);
	rr = route(app, req, resp, pend);
	app_leave(app);
	return rr;
}

/* With the config generation held for the route (app_enter). */
static enum route_result
route(struct app *app, const struct http_req *req, struct http_resp *resp,
    struct pending *pend)
{
	char method[16];

	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const struct route *r = &routes[i];
		size_t n = strlen(r->prefix);
		int prefix = r->prefix[n - 1] == '/';

		if (prefix ? strncmp(req->path, r->prefix, n) != 0 ||
		    (req->path[n] == '\0' && !r->bare) ||
		    (!r->deep && strchr(req->path + n, '/')) :
		    strcmp(req->path, r->prefix) != 0)
			continue;
		snprintf(method, sizeof method, " %s ", req->method);
		if (strstr(r->methods, method) == NULL) {
			http_resp_set(resp, 405, "text/plain",
			    "method not allowed\n");
			return ROUTE_DONE;
		}
		return r->fn(app, req->path + (prefix ? n : 0), req, resp, pend);
	}
	http_resp_set(resp, 404, "text/plain", "not found\n");
	return ROUTE_DONE;
}
