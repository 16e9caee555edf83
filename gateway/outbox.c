/*
 * outbox.c -- see outbox.h.
 *
 * A row is marked "sending" (and committed) before its request leaves, so
 * that a crash mid-send queues it again at the next start: delivery is at
 * least once, and the row's idempotency key goes to providers that take
 * one.  Each provider instance sends at its own pace (rate); a 429 pauses
 * that instance alone, for its Retry-After.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "httpc.h"
#include "log.h"
#include "outbox.h"
#include "provider.h"
#include "store.h"
#include "util.h"

#define OUTBOX_TICK_MS	100	/* longest wait between looks at the queue */
#define OUTBOX_PACE_MS	10	/* a look when sends wait for their rate:
				   several slots come due at once, so one
				   query serves several sends */
/* Sends are paced a little under the configured rate, and may catch up at
 * most this much time, so that no second ever holds more than the rate,
 * however the network bunches them. */
#define OUTBOX_PACE	0.98
#define OUTBOX_CATCHUP_NS (20 * 1000000ULL)

/* Per instance: when it may send next, and a pause after a 429. */
struct lane {
	const struct provider	*prov;
	uint64_t		 next_ns;	/* monotonic */
	int64_t			 paused_until;	/* unix seconds */
};

struct outbox {
	const struct config		*cf;
	const struct provider_set	*providers;
	struct store			*st;
	struct httpc			*hc;
	struct lane			*lanes;
	size_t				 nlanes;
	pthread_t			 thread;
	pthread_mutex_t			 lock;
	pthread_cond_t			 wake;
	int				 stopping;
	int				 poked;
	int				 inflight;
	struct outbox_stats		 stats;
};

/* What a send in flight needs when its answer comes. */
struct attempt {
	struct outbox	*ob;
	int64_t		 id;
	int		 attempts;	/* this one included */
	struct lane	*lane;
};

static struct lane *
lane_for(struct outbox *ob, const char *instance)
{
	for (size_t i = 0; i < ob->nlanes; i++)
		if (strcmp(ob->lanes[i].prov->name, instance) == 0)
			return &ob->lanes[i];
	return NULL;
}

/* May the instance send now?  Each send books the next slot: a rate of
 * R gives one send every 1/R seconds, with no credit for idle time beyond
 * OUTBOX_CATCHUP_NS, so a quiet spell is never followed by a burst. */
static int
lane_take(struct lane *l, int64_t now)
{
	uint64_t t = now_ns();

	if (now < l->paused_until)
		return 0;
	if (l->prov->rate <= 0)
		return 1;
	if (t < l->next_ns)
		return 0;
	if (l->next_ns + OUTBOX_CATCHUP_NS < t)
		l->next_ns = t - OUTBOX_CATCHUP_NS;
	l->next_ns += (uint64_t)(1e9 / (l->prov->rate * OUTBOX_PACE));
	return 1;
}

/* Seconds to wait before try number attempts + 1: doubling from
 * retry_base, at most retry_max, with +-25% jitter so that retries of a
 * burst do not come back as a burst. */
static double
backoff(const struct config *cf, int attempts)
{
	double d = cf->retry_base * pow(2, attempts > 30 ? 30 : attempts - 1);

	if (d > cf->retry_max)
		d = cf->retry_max;
	return d * (0.75 + 0.5 * ((double)rand() / RAND_MAX));
}

static void
finished(const struct httpc_result *r, void *arg)
{
	struct attempt *a = arg;
	struct outbox *ob = a->ob;
	const struct provider *p = a->lane->prov;
	char ext_id[INBOUND_MAX_ID] = "", err[256] = "";
	enum send_result sr;
	/* Times are whole seconds in the database: round waits up, so that
	 * no retry comes sooner than asked. */
	double now = now_real();
	int rc;

	if (r->status == 0) {
		snprintf(err, sizeof err, "%s", r->error);
		sr = SEND_RETRY;
	} else
		sr = p->ops->result(p, r->status, r->body.data ? r->body.data :
		    "", r->body.len, ext_id, sizeof ext_id, err, sizeof err);
	if (r->status == 429) {
		/* The provider says slow down: this instance waits as long as
		 * it asks, or a second. */
		a->lane->paused_until = (int64_t)ceil(now +
		    (r->retry_after >= 0 ? r->retry_after : 1));
	}
	if (sr == SEND_OK) {
		rc = store_outbox_sent(ob->st, a->id, ext_id);
		ob->stats.sent++;
	} else if (sr == SEND_RETRY && a->attempts < (int)ob->cf->max_attempts) {
		int64_t when = (int64_t)ceil(now + backoff(ob->cf,
		    a->attempts));
		if (r->status == 429 && a->lane->paused_until > when)
			when = a->lane->paused_until;
		rc = store_outbox_retry(ob->st, a->id, when, err);
		ob->stats.retried++;
	} else {
		log_warn("outbox: %lld: dead after %d attempt%s: %s",
		    (long long)a->id, a->attempts, a->attempts == 1 ? "" : "s",
		    err);
		rc = store_outbox_dead(ob->st, a->id, err);
		ob->stats.dead++;
	}
	if (rc == -1)
		log_error("outbox: %lld: %s", (long long)a->id,
		    store_error(ob->st));
	ob->inflight--;
	free(a);
}

/* Start what is due and allowed.  Sets *pacing when due rows wait for
 * their instance's rate.  Returns how many started. */
static int
send_due(struct outbox *ob, int *pacing)
{
	int64_t now = now_unix();
	int room = (int)ob->cf->concurrency - ob->inflight, started = 0;
	struct outbox_item *items;
	int n;

	if (room <= 0)
		return 0;
	/* Spare the database while every instance waits for its slot. */
	int ready = 0;
	uint64_t t = now_ns();
	for (size_t i = 0; i < ob->nlanes && !ready; i++)
		ready = now >= ob->lanes[i].paused_until &&
		    (ob->lanes[i].prov->rate <= 0 || t >= ob->lanes[i].next_ns);
	if (!ready && ob->nlanes > 0) {
		*pacing = 1;
		return 0;
	}
	/* Look at more than there is room for: some rows wait for their
	 * instance's rate while others can go. */
	if ((n = store_outbox_due(ob->st, now, room * 4, &items)) <= 0) {
		if (n == -1)
			log_error("outbox: %s", store_error(ob->st));
		return 0;
	}
	if (store_begin(ob->st) == -1) {
		log_error("outbox: %s", store_error(ob->st));
		goto out;
	}
	struct attempt **go = xcalloc((size_t)n, sizeof *go);
	struct http_out *reqs = xcalloc((size_t)n, sizeof *reqs);
	for (int i = 0; i < n && started < room; i++) {
		struct outbox_item *it = &items[i];
		struct lane *lane = lane_for(ob, it->instance);
		char err[256] = "";
		int out;

		if (strcmp(it->channel, "sms") != 0 || lane == NULL) {
			store_outbox_dead(ob->st, it->id, lane == NULL ?
			    "no such provider instance" : "no such channel");
			ob->stats.dead++;
			continue;
		}
		/* The last word on opt-outs, whatever queued the row: only
		 * the confirmation of a STOP may go to a number that sent
		 * one. */
		if (strcmp(it->purpose, "confirm_stop") != 0 &&
		    (out = store_opted_out(ob->st, it->recipient)) != 0) {
			if (out == 1) {
				store_outbox_discard(ob->st, it->id, "opted out");
				ob->stats.discarded++;
			}
			continue;
		}
		if (!lane_take(lane, now)) {
			*pacing = 1;
			continue;
		}
		struct outbound msg = { .to = it->recipient, .text = it->body,
		    .idem_key = it->idem_key };
		http_out_init(&reqs[started]);
		if (lane->prov->ops->encode(lane->prov, &msg, &reqs[started],
		    err, sizeof err) == -1) {
			http_out_release(&reqs[started]);
			store_outbox_dead(ob->st, it->id, err);
			ob->stats.dead++;
			continue;
		}
		if (store_outbox_sending(ob->st, it->id) == -1) {
			http_out_release(&reqs[started]);
			break;
		}
		go[started] = xcalloc(1, sizeof **go);
		*go[started] = (struct attempt){ .ob = ob, .id = it->id,
		    .attempts = it->attempts + 1, .lane = lane };
		started++;
	}
	/* "sending" is on disk before anything leaves. */
	if (store_commit(ob->st) == -1) {
		log_error("outbox: %s", store_error(ob->st));
		store_rollback(ob->st);
		for (int i = 0; i < started; i++) {
			http_out_release(&reqs[i]);
			free(go[i]);
		}
		started = 0;
	}
	for (int i = 0; i < started; i++) {
		ob->inflight++;
		if (httpc_start(ob->hc, &reqs[i], finished, go[i]) == -1) {
			struct httpc_result r = { .status = 0, .retry_after = -1 };
			strlcpy_(r.error, "cannot start the request", sizeof r.error);
			finished(&r, go[i]);
		}
		http_out_release(&reqs[i]);
	}
	free(go);
	free(reqs);
out:
	for (int i = 0; i < n; i++)
		outbox_item_release(&items[i]);
	free(items);
	return started;
}

static void *
worker(void *arg)
{
	struct outbox *ob = arg;
	struct timespec cpu;

	pthread_setname_np(pthread_self(), "outbox");
	for (;;) {
		pthread_mutex_lock(&ob->lock);
		int stopping = ob->stopping;
		ob->poked = 0;
		pthread_mutex_unlock(&ob->lock);
		if (stopping && ob->inflight == 0)
			break;
		int pacing = 0;
		if (!stopping)
			send_due(ob, &pacing);
		if (ob->inflight > 0 || pacing) {
			httpc_run(ob->hc, pacing ? OUTBOX_PACE_MS :
			    OUTBOX_TICK_MS / 4);
			continue;
		}
		/* Nothing in flight: sleep until poked or the next tick. */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += OUTBOX_TICK_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_mutex_lock(&ob->lock);
		if (!ob->poked && !ob->stopping)
			pthread_cond_timedwait(&ob->wake, &ob->lock, &ts);
		pthread_mutex_unlock(&ob->lock);
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
	ob->stats.cpu_seconds = cpu.tv_sec + cpu.tv_nsec / 1e9;
	return NULL;
}

struct outbox *
outbox_start(const struct config *cf, const struct provider_set *providers)
{
	struct outbox *ob = xcalloc(1, sizeof *ob);
	struct httpc_limits limits = {
		.connect_timeout_ms = (long)(cf->connect_timeout * 1000),
		.timeout_ms = (long)(cf->send_timeout * 1000),
		.max_response = 64 * 1024,
	};
	int n;

	ob->cf = cf;
	ob->providers = providers;
	if ((ob->st = store_open(cf)) == NULL) {
		free(ob);
		return NULL;
	}
	if ((n = store_outbox_requeue_sending(ob->st)) > 0)
		log_warn("outbox: %d message%s caught mid-send by a stop "
		    "will be sent again", n, n == 1 ? "" : "s");
	ob->lanes = xcalloc(providers->n, sizeof *ob->lanes);
	ob->nlanes = providers->n;
	for (size_t i = 0; i < providers->n; i++) {
		ob->lanes[i].prov = &providers->v[i];
		ob->lanes[i].next_ns = now_ns();
	}
	ob->hc = httpc_new(&limits);
	pthread_mutex_init(&ob->lock, NULL);
	pthread_cond_init(&ob->wake, NULL);
	srand((unsigned)now_ns());
	if (pthread_create(&ob->thread, NULL, worker, ob) != 0)
		fatal("outbox: cannot start the worker thread");
	return ob;
}

void
outbox_poke(void *arg)
{
	struct outbox *ob = arg;

	if (ob == NULL)
		return;
	pthread_mutex_lock(&ob->lock);
	ob->poked = 1;
	pthread_cond_signal(&ob->wake);
	pthread_mutex_unlock(&ob->lock);
}

void
outbox_stop(struct outbox *ob)
{
	if (ob == NULL)
		return;
	pthread_mutex_lock(&ob->lock);
	ob->stopping = 1;
	pthread_cond_signal(&ob->wake);
	pthread_mutex_unlock(&ob->lock);
	pthread_join(ob->thread, NULL);
	log_info("outbox: sent %lu, retried %lu, dead %lu, discarded %lu; "
	    "worker CPU %.3f s", ob->stats.sent, ob->stats.retried,
	    ob->stats.dead, ob->stats.discarded, ob->stats.cpu_seconds);
	httpc_free(ob->hc);
	store_close(ob->st);
	pthread_mutex_destroy(&ob->lock);
	pthread_cond_destroy(&ob->wake);
	free(ob->lanes);
	free(ob);
}

void
outbox_get_stats(struct outbox *ob, struct outbox_stats *out)
{
	*out = ob->stats;
}
