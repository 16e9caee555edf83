/*
 * admin.h -- the admin HTTP API (/admin/api/...): JSON in and out,
 * bearer tokens kept in the config as SHA-256 hashes, each with a name and
 * a role (admin reads and writes, viewer reads).
 */
#ifndef GATEWAY_ADMIN_H
#define GATEWAY_ADMIN_H

#include "webhook.h"

/* Check the [token NAME] sections; every error printed as file:line.
 * 0 or -1. */
int	admin_check_tokens(const struct config *);

/*
 * A one-time admin token for a first run: random, its hash kept in app
 * (memory alone), the token into out (at least ADMIN_ONCE_LEN bytes) for
 * the caller to show once.  It is an admin's, for this process, while the
 * config in use has no [token NAME] (a reload that adds one ends it);
 * audited as "token:first-run".  Main thread, before the server starts.
 * 0, or -1 when there is no randomness.
 */
#define ADMIN_ONCE_LEN	65
int	admin_once_token(struct app *, char *out, size_t outlen);

/* The router's handler for /admin/api/REST. */
enum route_result admin_api(struct app *, const char *rest,
		    const struct http_req *, struct http_resp *,
		    struct pending *);

/*
 * GET /admin/api/stats?since=DAY&until=DAY&campaign=C (admin_stats.c),
 * for any role: the dashboard's figures for the days since..until (UTC,
 * YYYY-MM-DD, both included; the last 30 days by default, 366 at most).
 * A bad day is a 400, a range backwards or too long a 422, each naming
 * its parameter.  Request thread, on that thread's gateway.
 */
struct gateway;
struct http_params;
enum route_result admin_stats(struct gateway *, const struct http_params *,
		    struct http_resp *);

/* /admin/api/templates[/NAME|/preview] (admin_templates.c), for
 * admin_api, which has checked the token (and that a viewer only reads or
 * previews). */
struct json_t;
enum route_result admin_templates(struct gateway *, const char *actor,
		    const char *method, const char *id, struct json_t *body,
		    struct http_resp *resp);

/* The admin web page and its files, built into the binary: /admin/REST. */
enum route_result admin_page(struct app *, const char *rest,
		    const struct http_req *, struct http_resp *,
		    struct pending *);

#endif
