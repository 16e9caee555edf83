/*
 * batch.c -- see batch.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "config.h"
#include "log.h"
#include "metrics.h"
#include "store.h"
#include "util.h"

struct batch {
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	pthread_t	 thread;
	struct job	*head, **tail;
	int		 stopping;
	struct gateway	 gw;		/* the writer's own connection */
	const struct config *cf;	/* the config at start */
	void		(*on_commit)(void *);
	void		*on_commit_arg;
	struct batch_stats stats;
	/*
	 * Which senders a batch wrote for, by commit sequence: seq[h] is the
	 * last batch that wrote for any sender hashing to h.  A job whose
	 * reads were made before that (job->seen_seq < seq[h]) may have read
	 * stale state, and is decided again in the writer.  Senders sharing
	 * a slot only make that happen more often, never less, so no slot
	 * ever needs clearing.  Writer thread only.
	 */
	uint64_t	 seq[1 << 16];
	/* The last batch committed; read by request threads (batch_seq). */
	_Atomic uint64_t committed;
	char		 failing[256];
	int64_t		 failing_since;
};

/* Log a change of health once, not once per batch: a database that has
 * gone away would otherwise fill the log at the request rate. */
static void
set_health(struct batch *b, const char *why)
{
	int was, now_failing = why != NULL;

	pthread_mutex_lock(&b->lock);
	was = b->failing[0] != '\0';
	if (now_failing) {
		if (!was)
			b->failing_since = now_unix();
		strlcpy_(b->failing, why, sizeof b->failing);
	} else
		b->failing[0] = '\0';
	pthread_mutex_unlock(&b->lock);
	if (now_failing && !was)
		log_error("batch: NOTHING CAN BE STORED, every webhook gets 503 "
		    "until this clears: %s", why);
	else if (!now_failing && was)
		log_info("batch: storing again");
}

static size_t
sender_slot(const char *sender)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)sender; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h & ((1 << 16) - 1);
}

/* Write one batch: each job in a savepoint, so that one bad job costs only
 * itself; one commit for all. */
static void
write_batch(struct batch *b, struct job *jobs)
{
	struct store *st = b->gw.st;
	uint64_t seq = b->committed + 1;	/* this batch's */
	unsigned long n = 0, stale = 0;
	int ok;

	if (gateway_refresh(&b->gw) == -1 || store_begin(st) == -1) {
		set_health(b, store_error(st));
		for (struct job *j = jobs; j; j = j->next)
			j->status = 503;
		goto done;
	}
	for (struct job *j = jobs; j; j = j->next, n++) {
		int is_stale = 0;
		if (j->sender != NULL) {
			/* A batch after the job's reads, or a job before it
			 * in this one, wrote for its sender (a STOP, a
			 * conversation, a lead): what it read may be out of
			 * date. */
			size_t slot = sender_slot(j->sender);
			is_stale = b->seq[slot] > j->seen_seq;
			b->seq[slot] = seq;
			stale += is_stale;
		}
		/* A job decided again is decided under its own config
		 * generation, as the request that waits for it. */
		b->gw.cf = j->cf ? j->cf : b->cf;
		/* The savepoint before the first job; then each step to the
		 * next job releases the last one's.  The last is released by
		 * the commit: a failed release fails the transaction, and so
		 * every job in it. */
		if ((j == jobs ? store_savepoint(st) :
		    store_savepoint_next(st)) == -1 ||
		    j->write(&b->gw, j, is_stale) == -1) {
			log_error("batch: %s %s: %s", j->instance, j->ext_id,
			    store_error(st));
			store_rollback_savepoint(st);
			j->status = 503;
			free(j->answer);
			j->answer = NULL;
		}
	}
	b->gw.cf = b->cf;
	uint64_t t0 = now_ns();
	ok = store_commit(st) == 0;
	if (ok)
		metrics_batch(n, now_ns() - t0);
	if (!ok) {
		set_health(b, store_error(st));
		store_rollback(st);
		for (struct job *j = jobs; j; j = j->next)
			j->status = 503;
	} else {
		b->committed = seq;
		set_health(b, NULL);
	}
	if (ok && b->on_commit)
		b->on_commit(b->on_commit_arg);
	pthread_mutex_lock(&b->lock);
	b->stats.commits++;
	b->stats.jobs += n;
	b->stats.stale += stale;
	if (n > b->stats.largest)
		b->stats.largest = n;
	pthread_mutex_unlock(&b->lock);
done:
	while (jobs) {
		struct job *next = jobs->next;
		jobs->next = NULL;
		jobs->done(jobs, jobs->done_arg);	/* may free the job */
		jobs = next;
	}
}

/* How often a failing writer looks whether the database is back. */
#define BATCH_PROBE_MS	1000

/*
 * While failing and idle: an empty write transaction, which clears the
 * failure when the database takes writes again (a restarted server, a
 * promoted standby).  Otherwise only the next webhook would, and a load
 * balancer that follows /readyz sends none to a node that is not ready.
 */
static void
probe(struct batch *b)
{
	struct store *st = b->gw.st;

	if (store_begin(st) == 0 && store_commit(st) == 0)
		set_health(b, NULL);
	else {
		set_health(b, store_error(st));
		store_rollback(st);
	}
}

static void *
writer(void *arg)
{
	struct batch *b = arg;
	struct timespec ts;

	pthread_setname_np(pthread_self(), "writer");
	pthread_mutex_lock(&b->lock);
	for (;;) {
		while (b->head == NULL && !b->stopping) {
			if (b->failing[0] == '\0') {
				pthread_cond_wait(&b->wake, &b->lock);
				continue;
			}
			deadline_after_ms(&ts, BATCH_PROBE_MS);
			if (pthread_cond_timedwait(&b->wake, &b->lock, &ts) ==
			    ETIMEDOUT && b->head == NULL && !b->stopping) {
				pthread_mutex_unlock(&b->lock);
				probe(b);
				pthread_mutex_lock(&b->lock);
			}
		}
		if (b->head == NULL && b->stopping)
			break;
		struct job *jobs = b->head;
		b->head = NULL;
		b->tail = &b->head;
		pthread_mutex_unlock(&b->lock);
		write_batch(b, jobs);
		pthread_mutex_lock(&b->lock);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

struct batch *
batch_start(const struct config *cf)
{
	struct batch *b = xcalloc(1, sizeof *b);

	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->wake, NULL);
	b->tail = &b->head;
	b->cf = cf;
	if (gateway_open(&b->gw, cf) == -1) {
		free(b);
		return NULL;
	}
	if (pthread_create(&b->thread, NULL, writer, b) != 0) {
		log_error("batch: cannot start the writer thread");
		gateway_close(&b->gw);
		free(b);
		return NULL;
	}
	return b;
}

void
batch_stop(struct batch *b)
{
	if (b == NULL)
		return;
	pthread_mutex_lock(&b->lock);
	b->stopping = 1;
	pthread_cond_signal(&b->wake);
	pthread_mutex_unlock(&b->lock);
	pthread_join(b->thread, NULL);
	gateway_close(&b->gw);
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->wake);
	free(b);
}

void
batch_submit(struct batch *b, struct job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&b->lock);
	*b->tail = job;
	b->tail = &job->next;
	pthread_cond_signal(&b->wake);
	pthread_mutex_unlock(&b->lock);
}

void
batch_on_commit(struct batch *b, void (*fn)(void *), void *arg)
{
	pthread_mutex_lock(&b->lock);
	b->on_commit = fn;
	b->on_commit_arg = arg;
	pthread_mutex_unlock(&b->lock);
}

void
batch_get_stats(struct batch *b, struct batch_stats *out)
{
	pthread_mutex_lock(&b->lock);
	*out = b->stats;
	pthread_mutex_unlock(&b->lock);
}

int
batch_health(struct batch *b, char *why, size_t whylen, int64_t *since)
{
	int rc;

	pthread_mutex_lock(&b->lock);
	rc = b->failing[0] ? -1 : 0;
	strlcpy_(why, b->failing, whylen);
	*since = b->failing_since;
	pthread_mutex_unlock(&b->lock);
	return rc;
}

void
batch_unreachable(struct batch *b, const char *why)
{
	set_health(b, why);
}

uint64_t
batch_seq(struct batch *b)
{
	return b->committed;
}
