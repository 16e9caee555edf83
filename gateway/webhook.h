/*
 * webhook.h -- what the server does with a provider's call: find the
 * instance by URL, check who is calling, verify, decode, and hand the
 * message to the pipeline; then answer the way that provider expects.
 */
#ifndef GATEWAY_WEBHOOK_H
#define GATEWAY_WEBHOOK_H

#include <pthread.h>

#include "http.h"
#include "pipeline.h"
#include "provider.h"

struct batch;

/* What every request thread shares. */
struct app {
	const struct config	*cf;
	struct provider_set	 providers;
	struct batch		*batch;
	/* Each request thread's own read connection, made on first use. */
	pthread_mutex_t		 lock;
	struct gateway		**gws;
	size_t			 ngws;
};

int	app_init(struct app *, const struct config *);
/* This thread's own database connection and directory, made on first use;
 * NULL when the database cannot be opened. */
struct gateway *app_thread_gateway(struct app *);
void	app_release(struct app *);

/* A request waiting for the writer.  The server sets resume, which the
 * writer's thread calls once the job is written. */
struct pending {
	struct job		 job;
	const struct provider	*prov;
	int			 active;
	void			(*resume)(void *);
	void			*resume_arg;
};

enum route_result {
	ROUTE_DONE,		/* resp is ready */
	ROUTE_WAIT,		/* pend->job is ready: the server suspends the
				   request, hands the job to app->batch, and
				   answers after pend->resume with
				   webhook_finish (resuming before suspending
				   would lose the wake-up) */
};

/* POST/GET /webhooks/NAME; name is the part after the prefix. */
enum route_result webhook_inbound(struct app *, const char *name,
		    const struct http_req *, struct http_resp *,
		    struct pending *);
/* POST/GET /status/NAME: delivery receipts. */
enum route_result webhook_status(struct app *, const char *name,
		    const struct http_req *, struct http_resp *,
		    struct pending *);
/* The answer once pend->job is written. */
void		 webhook_finish(struct pending *, struct http_resp *);

#endif
