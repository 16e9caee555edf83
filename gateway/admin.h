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

/* The router's handler for /admin/api/REST. */
enum route_result admin_api(struct app *, const char *rest,
		    const struct http_req *, struct http_resp *,
		    struct pending *);

/* The admin web page and its files, built into the binary: /admin/REST. */
enum route_result admin_page(struct app *, const char *rest,
		    const struct http_req *, struct http_resp *,
		    struct pending *);

#endif
