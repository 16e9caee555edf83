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

struct alarms;
struct batch;
struct outbox;
struct config;
struct gateway;

/*
 * One generation of the settings that SIGHUP reloads: the config and the
 * provider instances made from it.  Each request holds a reference from
 * dispatch to finish, the outbox worker one between sends; the last
 * reference frees it, so a reload never pulls a provider from under a
 * request in flight.
 */
struct config_gen {
	struct config		*cf;		/* owned */
	struct provider_set	 providers;
	_Atomic long		 refs;
	unsigned long		 number;	/* 1 at start, +1 per reload */
};

/*
 * The config in path (NULL: as config_load), its providers and tokens
 * checked: every error printed as "file:line: message", then NULL.  The
 * result holds one reference.
 */
struct config_gen *app_gen_load(const char *path);
/* The same for a config already parsed with *errors of its own (cf is
 * taken, even on failure): the provider and token sections are still
 * checked, so that one run reports every error. */
struct config_gen *app_gen_make(struct config *cf, int errors);
struct config_gen *app_gen_ref(struct config_gen *);
void	app_gen_unref(struct config_gen *);

struct app {
	/* The config at start: listen, threads and the database keep these
	 * values until a restart. */
	const struct config	*cf;
	/* The current generation; read through app_hold. */
	struct config_gen	*gen;
	struct config_gen	*first;		/* holds cf */
	struct batch		*batch;
	struct outbox		*outbox;	/* for /readyz */
	struct alarms		*alarms;	/* for /readyz */
	/* The SHA-256 of an admin token for this process alone
	 * (admin_once_token), or all zero: none.  Set before the server
	 * starts, read-only after. */
	unsigned char		 admin_once[32];
	int			 has_admin_once;
	/* Each request thread's own read connection, made on first use. */
	pthread_mutex_t		 lock;
	struct gateway		**gws;
	size_t			 ngws;
};

/* gen is the first generation; app takes the caller's reference. */
int	app_init(struct app *, struct config_gen *gen);
/* The current generation, with a reference for the caller; any thread. */
struct config_gen *app_hold(struct app *);
/*
 * Request threads: router_dispatch holds the current generation for the
 * route it calls (app_enter/app_leave); app_config and app_providers are
 * its config and providers.  A route that waits takes its own reference
 * (app_held, then app_gen_ref) and drops it when it finishes.
 */
void	app_enter(struct app *);
void	app_leave(struct app *);
struct config_gen *app_held(void);
const struct config *app_config(struct app *);
const struct provider_set *app_providers(struct app *);
/*
 * SIGHUP: load the file again and, when it has no errors, make it the
 * generation for new requests.  Settings that need a restart are logged
 * and keep their old values.  0 swapped, -1 kept the old one (each error
 * printed as file:line).  The signal thread only.
 */
int	app_reload(struct app *);
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
