/*
 * metrics.h -- what the gateway counts, and /metrics in the Prometheus
 * text format (version 0.0.4).
 *
 * One registry per process, sized by metrics_init at start from the
 * provider instances, before any thread that counts is started.  The
 * counting calls are relaxed C11 atomics: no lock, any thread, nothing
 * allocated, so that they cost nothing measurable on the hot path.  What
 * the database already knows (the outbox by state) is read at scrape
 * time by the caller and handed to metrics_render.
 */
#ifndef GATEWAY_METRICS_H
#define GATEWAY_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct config;
struct provider_set;

/* What became of a webhook that came to /webhooks/NAME. */
enum metrics_inbound {
	MI_ACCEPTED,		/* stored: a new inbound row */
	MI_DUPLICATE,		/* a retry of one stored before */
	MI_PART,		/* a part of a long message, held for the rest */
	MI_IGNORED,		/* nothing to store (a provider's ping) */
	MI_BAD_SIGNATURE,
	MI_MALFORMED,
	MI_REJECTED,		/* not in allow_from, or no such instance */
	MI_UNAVAILABLE,		/* could not be stored: answered 503 */
	MI_NINBOUND
};

/* "accepted", ...: the outcome label, for the log too. */
const char *metrics_inbound_name(enum metrics_inbound);

/* What the outbox worker made of one row's attempt. */
enum metrics_send {
	MS_OK,			/* sent */
	MS_RETRY,		/* to be tried again later */
	MS_FAIL,		/* the provider refused it for good: dead */
	MS_DEAD,		/* out of attempts, or it cannot be sent */
	MS_NSEND
};

/*
 * Size the registry for set's instances and parse [metrics]; -1 after
 * printing what is wrong with the config.  Main thread, before the
 * threads that count start; set must outlive the registry.
 * metrics_check_config only checks (gateway check-config).
 */
int	metrics_init(const struct config *, const struct provider_set *);
int	metrics_check_config(const struct config *);
void	metrics_free(void);

/* The index of instance name for the calls below, or -1 (counted under
 * instance="(unknown)" for inbound, a channel of its own for sends). */
int	metrics_instance(const char *name);

/* Any thread. */
void	metrics_inbound(int instance, enum metrics_inbound);
void	metrics_last_inbound(int instance, int64_t unix_seconds);
void	metrics_lead(const char *match_kind);
void	metrics_optout(void);
/* channel "sms" with an instance index, or "email", "webhook" (-1). */
void	metrics_send(const char *channel, int instance, enum metrics_send);
/* The writer: a batch of n jobs committed in ns nanoseconds. */
void	metrics_batch(unsigned long n, uint64_t commit_ns);
/* httpd: one request answered, ns from its first byte to its end. */
void	metrics_request(uint64_t ns);

/* May a scrape from addr with this Authorization header see /metrics?
 * 200, 401 (no or wrong token) or 403 (not in allow_from). */
int	metrics_allowed(const char *addr, const char *authorization);

/* Read from the database by the scraping thread. */
#define METRICS_OUTBOX_STATES	7
extern const char *const metrics_outbox_states[METRICS_OUTBOX_STATES];
struct metrics_db {
	int64_t	outbox[METRICS_OUTBOX_STATES];	/* rows by state, as above */
	int64_t	oldest_queued;	/* created_at of the oldest queued; 0: none */
};

/* The whole exposition into b; 0 or -1 (out of memory). */
int	metrics_render(struct buf *b, const struct metrics_db *, int64_t now);

#endif
