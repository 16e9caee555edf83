/*
 * app.h -- the server's state, shared by every request thread, and the
 * contract between the HTTP server and the routes it dispatches to.
 *
 * The path runs one way: httpd.c (libmicrohttpd) builds a struct http_req
 * and calls router_dispatch; a route answers at once (ROUTE_DONE), or
 * fills a struct pending and returns ROUTE_WAIT, after which the server
 * suspends the connection, calls pend->start (which hands the work on,
 * to the batch writer for a webhook), and on pend->resume calls
 * pend->finish for the answer.  The server knows nothing of batches or
 * providers; the routes nothing of libmicrohttpd.
 */
#ifndef GATEWAY_APP_H
#define GATEWAY_APP_H

#include <pthread.h>
#include <stddef.h>

#include "http.h"
#include "provider.h"

struct batch;
struct config;
struct gateway;

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
 * NULL when the database cannot be opened.  Request threads only. */
struct gateway *app_thread_gateway(struct app *);
void	app_release(struct app *);

enum route_result {
	ROUTE_DONE,		/* resp is ready */
	ROUTE_WAIT,		/* pend is filled: see above */
};

/*
 * A request waiting for work done elsewhere.  The route sets start,
 * finish, cancel and ctx; the server sets resume and resume_arg before
 * dispatching.  start is called after the connection is suspended (a
 * resume before the suspend would be lost), on the request's thread;
 * resume from whichever thread did the work; finish on the request's
 * thread after the resume, once, and it releases ctx; cancel instead of
 * finish when the connection ends first (a server stopping), and it must
 * cope with work still in progress.
 */
struct pending {
	void	(*start)(struct pending *);
	void	(*finish)(struct pending *, struct http_resp *);
	void	(*cancel)(struct pending *);
	void	*ctx;
	void	(*resume)(void *);
	void	*resume_arg;
};

#endif
