/*
 * app.c -- see app.h.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "pipeline.h"
#include "util.h"

int
app_init(struct app *app, const struct config *cf)
{
	memset(app, 0, sizeof *app);
	app->cf = cf;
	pthread_mutex_init(&app->lock, NULL);
	return provider_set_load(cf, &app->providers);
}

void
app_release(struct app *app)
{
	for (size_t i = 0; i < app->ngws; i++) {
		gateway_close(app->gws[i]);
		free(app->gws[i]);
	}
	free(app->gws);
	provider_set_free(&app->providers);
	pthread_mutex_destroy(&app->lock);
}

/* This thread's read connection: SQLite connections are not shared
 * between threads, and WAL lets each read beside the writer. */
struct gateway *
app_thread_gateway(struct app *app)
{
	static __thread struct gateway *gw;

	if (gw != NULL)
		return gw;
	gw = xcalloc(1, sizeof *gw);
	if (gateway_open(gw, app->cf) == -1) {
		free(gw);
		gw = NULL;
		return NULL;
	}
	pthread_mutex_lock(&app->lock);
	app->gws = xrealloc(app->gws, (app->ngws + 1) * sizeof *app->gws);
	app->gws[app->ngws++] = gw;
	pthread_mutex_unlock(&app->lock);
	return gw;
}
