/*
 * outbox.h -- the worker that sends what the pipeline queued: through the
 * provider codecs, at each instance's rate, retrying with backoff, and
 * never to a number that opted out.
 */
#ifndef GATEWAY_OUTBOX_H
#define GATEWAY_OUTBOX_H

struct config;
struct provider_set;
struct outbox;

/* Start the worker with its own database connection; NULL on failure.
 * Rows left "sending" by a node that is gone (this one before a crash, or
 * another on the same PostgreSQL) are queued again first, and then every
 * few seconds.  Several nodes may run a worker on one database: each row
 * is sent by one of them, and each instance's rate holds for all of them
 * together. */
struct outbox	*outbox_start(const struct config *,
		    const struct provider_set *);
/* Let sends in flight finish (up to the send timeout), then stop. */
void		 outbox_stop(struct outbox *);
/* Something was queued: look now rather than at the next tick.  Takes a
 * void * so that it can be batch_on_commit's callback. */
void		 outbox_poke(void *outbox);
/* 1 when the worker has turned lately (within a send's timeouts), with
 * the seconds since it last did; any thread. */
int		 outbox_alive(struct outbox *, double *idle_seconds);
/* A reload: the worker takes g (a reference of its own) between sends,
 * once those in flight are done.  Any thread. */
struct config_gen;
void		 outbox_reload(struct outbox *, struct config_gen *g);

/*
 * What a send is on the wire, for the worker and for alarm.c, which sends
 * an alarm itself when the database cannot queue it.
 * outbox_webhook_request: a JSON POST of body to url into req (initialised
 * by the caller), with Idempotency-Key key, and X-Gateway-Signature when
 * secret is not "".  outbox_mail_text: an RFC 5322 message From
 * cf->notify_from; the caller frees it.
 */
struct http_out;
void		 outbox_webhook_request(struct http_out *req, const char *url,
		    const char *key, const char *body, const char *secret);
char		*outbox_mail_text(const struct config *cf, const char *to,
		    const char *subject, const char *body, const char *key);


#endif
