/*
 * pipeline.h -- the one place that sequences what happens to a text:
 * keyword, parse, geocode, match, reply.
 */
#ifndef GATEWAY_PIPELINE_H
#define GATEWAY_PIPELINE_H

#include <stdint.h>

#include "branch.h"
#include "geo.h"
#include "message.h"
#include "util.h"

struct config;
struct store;

/* What one thread needs to answer texts: its own database connection and
 * its own copy of the directory, reloaded when the database changes. */
struct gateway {
	const struct config	*cf;
	struct store		*st;
	struct directory	 dir;
	int64_t			 dir_version;
};

/* Open the database (seeding a new one) and load the directory; 0 or -1. */
int	gateway_open(struct gateway *, const struct config *);
void	gateway_close(struct gateway *);
/* Reload the directory if another connection wrote; 0 or -1. */
int	gateway_refresh(struct gateway *);

struct locate_result {
	struct signup	signup;
	struct geocode	geo;
	struct match	match;		/* points into gw->dir */
	struct buf	reply;
};

/*
 * What the gateway would do with a text, without storing anything: the
 * parse, the geocode, the match and the reply.  0, or -1 on a database
 * error.  Release the result with locate_release().
 */
int	pipeline_locate(struct gateway *, const char *text, size_t len,
	    struct locate_result *);
void	locate_release(struct locate_result *);

#endif
