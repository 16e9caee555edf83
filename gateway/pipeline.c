/*
 * pipeline.c -- see pipeline.h.
 */
#include <string.h>

#include "config.h"
#include "log.h"
#include "pipeline.h"
#include "reply.h"
#include "seed.h"
#include "store.h"

#define REPLY_MAX	2048	/* bytes; far beyond any sane reply */

int
gateway_open(struct gateway *gw, const struct config *cf)
{
	memset(gw, 0, sizeof *gw);
	gw->cf = cf;
	if (message_init() == -1)
		return -1;
	if ((gw->st = seed_open(cf)) == NULL)
		return -1;
	gw->dir_version = store_data_version(gw->st);
	if (store_load_directory(gw->st, &gw->dir) == -1) {
		log_error("store: %s", store_error(gw->st));
		store_close(gw->st);
		gw->st = NULL;
		return -1;
	}
	return 0;
}

void
gateway_close(struct gateway *gw)
{
	directory_free(&gw->dir);
	store_close(gw->st);
	gw->st = NULL;
}

int
gateway_refresh(struct gateway *gw)
{
	struct directory dir;
	int64_t v = store_data_version(gw->st);

	if (v == gw->dir_version)
		return 0;
	if (store_load_directory(gw->st, &dir) == -1) {
		log_error("store: reload: %s", store_error(gw->st));
		return -1;
	}
	directory_free(&gw->dir);
	gw->dir = dir;
	gw->dir_version = v;
	return 0;
}

int
pipeline_locate(struct gateway *gw, const char *text, size_t len,
    struct locate_result *res)
{
	memset(res, 0, sizeof *res);
	buf_init(&res->reply, REPLY_MAX);
	if (gateway_refresh(gw) == -1)
		return -1;
	message_parse(text, len, &res->signup);
	if (res->signup.keyword == KEYWORD_NONE &&
	    res->signup.postcode.kind != POSTCODE_NONE) {
		if (geo_locate(gw->st, &gw->dir, &res->signup.postcode,
		    &res->geo) == -1) {
			log_error("store: geocode: %s", store_error(gw->st));
			return -1;
		}
		branch_match(&gw->dir, gw->cf, &res->signup.postcode, &res->geo,
		    &res->match);
	}
	if (reply_compose(gw->cf, &res->signup, &res->match, &res->reply) == -1)
		log_warn("reply: longer than %d bytes, cut", REPLY_MAX);
	return 0;
}

void
locate_release(struct locate_result *res)
{
	buf_release(&res->reply);
}
