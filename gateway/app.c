/*
 * app.c -- see app.h.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "batch.h"
#include "app.h"
#include "config.h"
#include "log.h"
#include "pipeline.h"
#include "store.h"
#include "util.h"

struct config_gen *
app_gen_make(struct config *cf, int errors)
{
	struct config_gen *g;

	if (cf == NULL)
		return NULL;
	g = xcalloc(1, sizeof *g);
	g->cf = cf;
	atomic_init(&g->refs, 1);
	g->number = 1;
	/* Every section is checked whatever the others said. */
	if (provider_set_load(cf, &g->providers) == -1)
		errors++;
	if (admin_check_tokens(cf) == -1)
		errors++;
	if (errors) {
		app_gen_unref(g);
		return NULL;
	}
	return g;
}

struct config_gen *
app_gen_load(const char *path)
{
	int errors;
	struct config *cf = config_parse(path, &errors);

	return app_gen_make(cf, errors);
}

struct config_gen *
app_gen_ref(struct config_gen *g)
{
	atomic_fetch_add(&g->refs, 1);
	return g;
}

void
app_gen_unref(struct config_gen *g)
{
	if (g == NULL || atomic_fetch_sub(&g->refs, 1) != 1)
		return;
	provider_set_free(&g->providers);
	config_free(g->cf);
	free(g);
}

int
app_init(struct app *app, struct config_gen *gen)
{
	memset(app, 0, sizeof *app);
	app->cf = gen->cf;
	app->first = app_gen_ref(gen);	/* app->cf lives as long as app */
	app->gen = gen;
	pthread_mutex_init(&app->lock, NULL);
	return 0;
}

void
app_release(struct app *app)
{
	for (size_t i = 0; i < app->ngws; i++) {
		gateway_close(app->gws[i]);
		free(app->gws[i]);
	}
	free(app->gws);
	app_gen_unref(app->gen);
	app_gen_unref(app->first);
	pthread_mutex_destroy(&app->lock);
}

/* The pointer and the count change together under the lock: a reader
 * cannot take a reference to a generation whose last one is going. */
struct config_gen *
app_hold(struct app *app)
{
	struct config_gen *g;

	pthread_mutex_lock(&app->lock);
	g = app_gen_ref(app->gen);
	pthread_mutex_unlock(&app->lock);
	return g;
}

static __thread struct config_gen *held;

void
app_enter(struct app *app)
{
	held = app_hold(app);
}

void
app_leave(struct app *app)
{
	app_gen_unref(held);
	held = NULL;
}

struct config_gen *
app_held(void)
{
	return held;
}

const struct config *
app_config(struct app *app)
{
	return held ? held->cf : app->cf;
}

const struct provider_set *
app_providers(struct app *app)
{
	return &held->providers;
}

static void
report_restart(const char *section, const char *key)
{
	log_warn("reload: [%s] %s needs a restart; the old value stays",
	    section, key);
}

int
app_reload(struct app *app)
{
	const struct config *now = app->gen->cf;
	struct config_gen *g, *old;

	log_info("reload: reading %s", now->file ? now->file :
	    "(built-in defaults)");
	if ((g = app_gen_load(now->file)) == NULL) {
		log_error("reload: the errors above; the old config stays");
		return -1;
	}
	config_keep_restart(g->cf, app->cf, report_restart);
	pthread_mutex_lock(&app->lock);
	old = app->gen;
	g->number = old->number + 1;
	app->gen = g;
	pthread_mutex_unlock(&app->lock);
	log_info("reload: config %lu in use for new requests (%zu provider%s)",
	    g->number, g->providers.n, g->providers.n == 1 ? "" : "s");
	app_gen_unref(old);
	return 0;
}

/* This thread's read connection: SQLite connections are not shared
 * between threads, and WAL lets each read beside the writer.  Its cf is
 * the generation the request holds, for the replies and the rules. */
struct gateway *
app_thread_gateway(struct app *app)
{
	static __thread struct gateway *gw;

	if (gw != NULL) {
		gw->cf = app_config(app);
		return gw;
	}
	gw = xcalloc(1, sizeof *gw);
	if (gateway_open(gw, app->cf) == -1) {
		if (app->batch != NULL && *store_open_error() != '\0')
			batch_unreachable(app->batch, store_open_error());
		free(gw);
		gw = NULL;
		return NULL;
	}
	gw->cf = app_config(app);
	pthread_mutex_lock(&app->lock);
	app->gws = xrealloc(app->gws, (app->ngws + 1) * sizeof *app->gws);
	app->gws[app->ngws++] = gw;
	pthread_mutex_unlock(&app->lock);
	return gw;
}
