/*
 * checkpoint.c -- see checkpoint.h.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checkpoint.h"
#include "config.h"
#include "log.h"
#include "store.h"
#include "util.h"

/* A log this long means PASSIVE cannot keep up (readers pin old frames):
 * RESTART, which waits for readers and makes the next writer start the
 * log from the beginning. */
#define CKPT_RESTART_FRAMES	16000	/* about 64 MiB */
/* Idle for this long: TRUNCATE the log to nothing. */
#define CKPT_IDLE_NS		(2ULL * 1000 * 1000 * 1000)

struct checkpointer {
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	pthread_t		 thread;
	struct store		*st;
	int			 stopping;
	struct checkpoint_stats	 stats;
};

/* Run one; the log's length in frames, or -1. */
static int
run(struct checkpointer *c, enum store_checkpoint mode)
{
	int frames = -1;

	if (store_checkpoint(c->st, mode, &frames) == -1) {
		log_warn("checkpoint: %s", store_error(c->st));
		return -1;
	}
	pthread_mutex_lock(&c->lock);
	if (mode == STORE_CKPT_PASSIVE)
		c->stats.passive++;
	else if (mode == STORE_CKPT_RESTART)
		c->stats.restart++;
	else
		c->stats.truncate++;
	if (frames > 0 && (unsigned long)frames > c->stats.max_wal_frames)
		c->stats.max_wal_frames = (unsigned long)frames;
	pthread_mutex_unlock(&c->lock);
	return frames;
}

/*
 * Every 100 ms: has anyone committed since (PRAGMA data_version, which
 * sees the writer, the outbox, the admin API and the CLI alike)?  Then a
 * PASSIVE checkpoint, which copies what no reader needs and never waits;
 * RESTART when the log is long all the same; TRUNCATE once idle.
 */
static void *
worker(void *arg)
{
	struct checkpointer *c = arg;
	int64_t seen = store_data_version(c->st);
	uint64_t last_change = now_ns();
	int truncated = 0;

	pthread_setname_np(pthread_self(), "checkpoint");
	pthread_mutex_lock(&c->lock);
	while (!c->stopping) {
		struct timespec ts;
		deadline_after_ms(&ts, 100);
		pthread_cond_timedwait(&c->wake, &c->lock, &ts);
		if (c->stopping)
			break;
		pthread_mutex_unlock(&c->lock);

		int64_t v = store_data_version(c->st);
		if (v != seen) {
			int frames = run(c, STORE_CKPT_PASSIVE);
			seen = v;
			last_change = now_ns();
			truncated = 0;
			if (frames >= CKPT_RESTART_FRAMES)
				run(c, STORE_CKPT_RESTART);
		} else if (!truncated && now_ns() - last_change > CKPT_IDLE_NS) {
			run(c, STORE_CKPT_TRUNCATE);
			truncated = 1;
		}
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

struct checkpointer *
checkpoint_start(const struct config *cf)
{
	struct checkpointer *c = xcalloc(1, sizeof *c);

	if ((c->st = store_open(cf)) == NULL) {
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (pthread_create(&c->thread, NULL, worker, c) != 0) {
		log_error("checkpoint: cannot start the thread");
		store_close(c->st);
		free(c);
		return NULL;
	}
	/* From here on the server's connections leave checkpoints here. */
	store_serving(1);
	return c;
}

void
checkpoint_stop(struct checkpointer *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	c->stopping = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	run(c, STORE_CKPT_TRUNCATE);
	store_serving(0);
	store_close(c->st);
	pthread_cond_destroy(&c->wake);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void
checkpoint_get_stats(struct checkpointer *c, struct checkpoint_stats *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->stats;
	pthread_mutex_unlock(&c->lock);
}
