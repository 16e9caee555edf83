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
	int64_t			 data_version;	/* PRAGMA data_version seen */
	int64_t			 dir_version;	/* directory_version loaded */
	struct message_places	 places;	/* from dir, for the parser */
	char			**place_words;	/* owned: places.places */
	char			**area_codes;	/* owned: places.areas */
};

/* Open the database (seeding a new one) and load the directory; 0 or -1. */
int	gateway_open(struct gateway *, const struct config *);
void	gateway_close(struct gateway *);
/* Reload the directory if another connection wrote; 0 or -1. */
int	gateway_refresh(struct gateway *);
/* This connection wrote to the directory itself (PRAGMA data_version only
 * counts others' writes): reload it now. */
int	gateway_changed(struct gateway *);

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

struct provider;
struct inbound;

/*
 * One received message on its way to the database.  pipeline_prepare
 * fills it in the request's thread, reading only; pipeline_commit writes it
 * inside the writer's transaction (batch.c).  Nothing in it points into a
 * directory, which the request thread may reload meanwhile.
 */
struct job {
	/* what arrived */
	const struct provider	*prov;
	char			*instance;
	char			*ext_id;
	char			*sender;
	char			*recipient;
	char			*text;
	int64_t			 received_at;
	int			 unique_ids;	/* else dedup by sender + text */
	char			*part_ref;	/* a part of a long message, or NULL */
	int			 part, parts;

	/* what the pipeline made of it */
	enum message_kind	 kind;
	enum keyword		 keyword;
	char			*name;
	char			*postcode;
	int64_t			 branch_id;
	int64_t			 region_id;
	const char		*match_kind;	/* static string */
	char			*reply;		/* the wording; NULL: none */

	/* the outcome, set by pipeline_commit */
	int			 status;	/* 200, or 503 to be retried */
	int			 duplicate;
	char			*answer;	/* the reply to give inline, or NULL */

	/* for batch.c */
	struct job		*next;
	void			(*done)(struct job *, void *);
	void			*done_arg;
};

/* Fill job from a decoded message: keyword, parse, geocode, match, reply.
 * 0, or -1 on a database error.  Free with job_free. */
int	pipeline_prepare(struct gateway *, const struct provider *,
	    const struct inbound *, int is_part, int64_t now, struct job *);
/* Write job inside an open transaction: claim, opt-outs, lead, outbox.
 * 0, or -1 (roll back to before it). */
int	pipeline_commit(struct gateway *, struct job *);
void	job_free(struct job *);

#endif
