/*
 * alarm.c -- see alarm.h.
 *
 * A storage fault cannot be queued in the database that has the fault.
 * So when the writer reports one, the alarm is queued if this thread's
 * connection can still write (a fault of the writer's alone), and else
 * sent from here, directly, by the same channels and in the same words as
 * the outbox would (never from a request thread, which must not wait on
 * the network); a direct send that fails is tried again with backoff while
 * the fault lasts.  Its clearing ("storing again") is queued through the
 * outbox once the writer stores again, when the database takes writes by
 * definition, and it says whether the first alarm could be sent at all.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alarm.h"
#include "app.h"
#include "batch.h"
#include "config.h"
#include "httpc.h"
#include "log.h"
#include "outbox.h"
#include "provider.h"
#include "store.h"
#include "util.h"

#define ALARM_TICK_MS	1000	/* between looks */
#define ALARM_SCAN_S	5	/* between scans of new inbound rows while no
				   silence alarm is raised */
#define ALARM_MAX	256	/* instances watched */
#define DIRECT_RETRY_S	30	/* the first wait after a failed direct send */

/* An alarm as /readyz shows it. */
struct active {
	char	kind[16];		/* "silence", "storage" */
	char	instance[64];		/* silence: the instance; else "" */
	int64_t	since;
	char	text[320];
};

struct alarms {
	struct app	*app;
	struct store	*st;
	struct httpc	*hc;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	int		 stopping;
	char		 host[64];

	/* What /readyz lists (lock). */
	struct active	 v[ALARM_MAX + 1];
	size_t		 n;

	/* The thread's own. */
	struct activity	 rows[ALARM_MAX];
	int		 nrows;
	int64_t		 scanned_at;
	int		 db_failing;		/* logged once */
	int		 storage;		/* the storage alarm is up */
	int64_t		 storage_since;
	char		 storage_why[256];
	int		 storage_sent;		/* queued or sent directly */
	int		 storage_tries;
	int64_t		 storage_retry_at;
};

/* --- what an alarm says, and where it goes --------------------------- */

struct alarm_msg {
	const char	*key;		/* idempotency key, without channel */
	const char	*kind;
	const char	*state;		/* "raised", "cleared" */
	const char	*instance;	/* "" for storage */
	int64_t		 since;
	char		*subject;
	char		*text;
	char		*json;		/* {"text", "alarm": {...}} */
};

static void
msg_make(struct alarm_msg *m, const char *host, const char *key,
    const char *kind, const char *state, const char *instance, int64_t since,
    char *text)
{
	json_t *o;

	m->key = key;
	m->kind = kind;
	m->state = state;
	m->instance = instance;
	m->since = since;
	m->text = text;
	m->subject = xasprintf("[gateway %s] %s %s%s%s", host, kind, state,
	    instance[0] ? ": " : "", instance);
	o = json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:I}}", "text", text,
	    "alarm", "kind", kind, "state", state, "instance", instance,
	    "host", host, "since", (json_int_t)since);
	m->json = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
}

static void
msg_free(struct alarm_msg *m)
{
	free(m->subject);
	free(m->text);
	free(m->json);
}

static int
has_destination(const struct config *cf)
{
	return cf->alerts_email[0] || cf->alerts_webhook_url[0];
}

/* Queue m for [alerts], inside the caller's transaction; 0 or -1. */
static int
queue_msg(struct store *st, const struct config *cf,
    const struct alarm_msg *m)
{
	int64_t now = now_unix();
	char key[256];
	int rc = 0;

	if (m->json == NULL)
		return -1;
	if (cf->alerts_email[0]) {
		snprintf(key, sizeof key, "%s:email", m->key);
		struct outbox_row row = { .idem_key = key, .channel = "email",
		    .instance = "", .recipient = cf->alerts_email,
		    .subject = m->subject, .body = m->text, .purpose = "alarm",
		    .due = now };
		rc |= store_outbox_enqueue(st, &row) == -1 ? -1 : 0;
	}
	if (cf->alerts_webhook_url[0]) {
		snprintf(key, sizeof key, "%s:webhook", m->key);
		struct outbox_row row = { .idem_key = key, .channel = "webhook",
		    .instance = "", .recipient = cf->alerts_webhook_url,
		    .body = m->json, .purpose = "alarm", .due = now };
		rc |= store_outbox_enqueue(st, &row) == -1 ? -1 : 0;
	}
	return rc;
}

/* Queue m in a transaction of its own, then wake the outbox; 0 or -1. */
static int
queue_now(struct alarms *al, const struct config *cf,
    const struct alarm_msg *m)
{
	if (!has_destination(cf))
		return 0;
	if (store_begin(al->st) == -1)
		return -1;
	if (queue_msg(al->st, cf, m) == -1 || store_commit(al->st) == -1) {
		store_rollback(al->st);
		return -1;
	}
	outbox_poke(al->app->outbox);
	return 0;
}

struct direct {
	int	done;
	int	ok;
};

static void
direct_done(const struct httpc_result *r, void *arg)
{
	struct direct *d = arg;

	d->done = 1;
	d->ok = r->status >= 200 && r->status < 300;
	if (!d->ok)
		log_warn("alarm: direct send: %s", r->status ? "refused" :
		    r->error);
}

/* Wait for one transfer, bounded by httpc's own timeouts. */
static int
direct_wait(struct alarms *al, struct direct *d)
{
	while (!d->done)
		httpc_run(al->hc, 100);
	return d->ok ? 0 : -1;
}

/* Send m to every [alerts] destination from this thread, without the
 * database; 0 when every one took it. */
static int
send_direct(struct alarms *al, const struct config *cf,
    const struct alarm_msg *m)
{
	char key[256];
	int rc = 0;

	if (cf->alerts_webhook_url[0] && m->json != NULL) {
		struct http_out req;
		struct direct d = { 0, 0 };

		snprintf(key, sizeof key, "%s:webhook", m->key);
		http_out_init(&req);
		outbox_webhook_request(&req, cf->alerts_webhook_url, key,
		    m->json, cf->alerts_webhook_secret);
		if (httpc_start(al->hc, &req, direct_done, &d) == -1 ||
		    direct_wait(al, &d) == -1)
			rc = -1;
		http_out_release(&req);
	}
	if (cf->alerts_email[0]) {
		struct direct d = { 0, 0 };
		char *mail;

		snprintf(key, sizeof key, "%s:email", m->key);
		mail = outbox_mail_text(cf, cf->alerts_email, m->subject,
		    m->text, key);
		struct httpc_mail hm = {
			.url = cf->smtp_url,
			.username = cf->smtp_user[0] ? cf->smtp_user : NULL,
			.password = cf->smtp_password,
			.starttls = cf->smtp_starttls,
			.from = cf->notify_from, .to = cf->alerts_email,
			.message = mail,
		};
		if (httpc_start_mail(al->hc, &hm, direct_done, &d) == -1 ||
		    direct_wait(al, &d) == -1)
			rc = -1;
		free(mail);
	}
	return rc;
}

static void publish(struct alarms *);

/* --- the storage fault ------------------------------------------------- */

static void
storage_raised_msg(struct alarms *al, struct alarm_msg *m, char *key,
    size_t keylen)
{
	char at[32];

	snprintf(key, keylen, "alarm:storage:%lld:raised",
	    (long long)al->storage_since);
	msg_make(m, al->host, key, "storage", "raised", "",
	    al->storage_since, xasprintf("Gateway on %s: NOTHING CAN BE "
	    "STORED since %s, every webhook gets 503: %s", al->host,
	    iso_time_utc(al->storage_since, at, sizeof at),
	    al->storage_why));
}

/* Deliver the raised alarm: queued when this connection can write, else
 * sent directly.  Sets storage_sent, or the time of the next try. */
static void
storage_deliver(struct alarms *al, const struct config *cf)
{
	struct alarm_msg m;
	char key[128];

	if (!has_destination(cf)) {
		al->storage_sent = 1;
		return;
	}
	storage_raised_msg(al, &m, key, sizeof key);
	if (queue_now(al, cf, &m) == 0 || send_direct(al, cf, &m) == 0) {
		al->storage_sent = 1;
		log_info("alarm: storage alarm sent to [alerts]");
	} else {
		int wait = DIRECT_RETRY_S << (al->storage_tries < 6 ?
		    al->storage_tries : 6);
		if (wait > cf->retry_max)
			wait = (int)cf->retry_max;
		al->storage_tries++;
		al->storage_retry_at = now_unix() + wait;
		log_warn("alarm: storage alarm not sent; trying again in %d s",
		    wait);
	}
	msg_free(&m);
}

static void
check_storage(struct alarms *al, const struct config *cf, int64_t now)
{
	char why[256], key[128], at[32];
	int64_t since;
	int failing = al->app->batch != NULL && batch_health(al->app->batch,
	    why, sizeof why, &since) == -1;

	if (failing && !al->storage) {
		al->storage = 1;
		al->storage_since = since ? since : now;
		strlcpy_(al->storage_why, why, sizeof al->storage_why);
		al->storage_sent = 0;
		al->storage_tries = 0;
		log_error("alarm: raised: nothing can be stored: %s", why);
		publish(al);	/* before the sends, which may take a while */
		storage_deliver(al, cf);
	} else if (failing && !al->storage_sent && now >= al->storage_retry_at)
		storage_deliver(al, cf);
	else if (!failing && al->storage) {
		struct alarm_msg m;

		al->storage = 0;
		log_info("alarm: cleared: storing again after %lld s without",
		    (long long)(now - al->storage_since));
		snprintf(key, sizeof key, "alarm:storage:%lld:cleared",
		    (long long)al->storage_since);
		msg_make(&m, al->host, key, "storage", "cleared", "",
		    al->storage_since, xasprintf("Gateway on %s: storing "
		    "again; nothing could be stored from %s for %lld s (%s)%s",
		    al->host, iso_time_utc(al->storage_since, at, sizeof at),
		    (long long)(now - al->storage_since), al->storage_why,
		    al->storage_sent ? "" : "; the alarm could not be sent "
		    "at the time"));
		/* The writer has just stored: so can this connection, but
		 * the fault may be back already; then it goes directly. */
		if (queue_now(al, cf, &m) == -1 && send_direct(al, cf, &m) == -1)
			log_warn("alarm: the clearing of the storage alarm "
			    "could not be sent");
		msg_free(&m);
	}
}

/* --- silence ------------------------------------------------------------- */

static struct activity *
row_for(struct alarms *al, const char *instance)
{
	for (int i = 0; i < al->nrows; i++)
		if (strcmp(al->rows[i].instance, instance) == 0)
			return &al->rows[i];
	return NULL;
}

/* Raise (raise_at: now) or clear (0) the silence alarm of r, with its
 * message, in one transaction: raised once, cleared once, whatever
 * restarts between. */
static int
silence_change(struct alarms *al, const struct config *cf,
    const struct activity *r, int64_t raise_at, int64_t now)
{
	struct alarm_msg m;
	char key[160], at[32], last[32];
	int64_t raised = raise_at ? raise_at : r->silent_since;
	int rc = -1;

	snprintf(key, sizeof key, "alarm:silence:%s:%lld:%s", r->instance,
	    (long long)raised, raise_at ? "raised" : "cleared");
	if (r->last_inbound)
		iso_time_utc(r->last_inbound, last, sizeof last);
	iso_time_utc(raised, at, sizeof at);
	if (raise_at)
		msg_make(&m, al->host, key, "silence", "raised", r->instance,
		    raise_at, r->last_inbound ? xasprintf("Gateway on %s: no "
		    "message on %s since %s", al->host, r->instance, last) :
		    xasprintf("Gateway on %s: no message on %s yet", al->host,
		    r->instance));
	else
		msg_make(&m, al->host, key, "silence", "cleared", r->instance,
		    r->silent_since, xasprintf("Gateway on %s: %s is receiving "
		    "again (silence alarm raised %s)", al->host, r->instance,
		    at));
	if (store_begin(al->st) == 0) {
		if (store_activity_alarm(al->st, r->instance, raise_at,
		    raise_at ? r->last_inbound : 0) == 0 &&
		    (!has_destination(cf) || queue_msg(al->st, cf, &m) == 0) &&
		    store_commit(al->st) == 0)
			rc = 0;
		else
			store_rollback(al->st);
	}
	if (rc == 0) {
		if (raise_at)
			log_warn("alarm: raised: %s", m.text);
		else
			log_info("alarm: cleared: %s", m.text);
		if (has_destination(cf))
			outbox_poke(al->app->outbox);
	}
	msg_free(&m);
	return rc;
}

static void
check_silence(struct alarms *al, const struct config_gen *g, int64_t now)
{
	const struct config *cf = g->cf;
	int from, to, watched = 0, raised = 0, n;

	for (size_t i = 0; i < g->providers.n; i++)
		watched |= g->providers.v[i].alarm_silence > 0;
	for (int i = 0; i < al->nrows; i++)
		raised |= al->rows[i].silent_since != 0;
	if (!watched && !raised)
		return;
	/* One node watches for silence (the alarm is raised once for
	 * all); the others only show what it found. */
	if ((n = store_job_try(al->st, "silence-alarm")) != 1) {
		if (n == -1)
			goto failed;
		if (now - al->scanned_at >= ALARM_SCAN_S) {
			al->scanned_at = now;
			if ((n = store_activity_list(al->st, al->rows,
			    ALARM_MAX)) == -1)
				goto failed;
			al->nrows = n;
		}
		return;
	}
	/* New messages only matter to an alarm raised (its clearing) or
	 * when a silence could be long enough: a look every few seconds. */
	if (!raised && now - al->scanned_at < ALARM_SCAN_S)
		return;
	al->scanned_at = now;
	if (store_activity_scan(al->st) == -1 ||
	    (n = store_activity_list(al->st, al->rows, ALARM_MAX)) == -1)
		goto failed;
	al->nrows = n;
	if (hours_parse(cf->alarm_hours, &from, &to) == -1)
		from = to = 0;		/* checked when loaded */
	for (size_t i = 0; i < g->providers.n; i++) {
		const struct provider *p = &g->providers.v[i];
		struct activity *r = row_for(al, p->name);

		if (p->alarm_silence <= 0)
			continue;
		if (r == NULL) {
			/* Never heard of: silence counts from now. */
			if (store_activity_watch(al->st, p->name, now) == -1)
				goto failed;
			continue;
		}
		if (r->silent_since) {
			/* Cleared by the next message (received_at is when
			 * it came, which may be before its commit, so not
			 * compared with the time of the alarm). */
			if (r->last_inbound > r->silent_last &&
			    silence_change(al, cf, r, 0, now) == -1)
				goto failed;
			continue;
		}
		int64_t start = r->last_inbound ? r->last_inbound :
		    r->watched_since;
		if (hours_inside(from, to, now) && hours_count(from, to, start,
		    now, p->alarm_silence + 1) > p->alarm_silence &&
		    silence_change(al, cf, r, now, now) == -1)
			goto failed;
	}
	/* An alarm of an instance no longer watched is cleared quietly. */
	for (int i = 0; i < al->nrows; i++) {
		const struct provider *p = provider_set_find(&g->providers,
		    al->rows[i].instance);
		if (al->rows[i].silent_since && (p == NULL ||
		    p->alarm_silence <= 0)) {
			log_info("alarm: %s is no longer watched: its silence "
			    "alarm is dropped", al->rows[i].instance);
			if (store_activity_alarm(al->st, al->rows[i].instance,
			    0, 0) == -1)
				goto failed;
		}
	}
	if ((n = store_activity_list(al->st, al->rows, ALARM_MAX)) == -1)
		goto failed;
	al->nrows = n;
	if (al->db_failing)
		log_info("alarm: the silence watch works again");
	al->db_failing = 0;
	return;
failed:
	/* Tried again at the next look; said once. */
	if (!al->db_failing)
		log_warn("alarm: silence watch: %s", store_error(al->st));
	al->db_failing = 1;
}

/* --- the thread ---------------------------------------------------------- */

/* What /readyz shows, from the thread's own state. */
static void
publish(struct alarms *al)
{
	struct active v[ALARM_MAX + 1];
	size_t n = 0;
	char at[32];

	memset(v, 0, sizeof v);
	if (al->storage) {
		strlcpy_(v[n].kind, "storage", sizeof v[n].kind);
		v[n].since = al->storage_since;
		snprintf(v[n].text, sizeof v[n].text, "nothing can be stored: "
		    "%s", al->storage_why);
		n++;
	}
	for (int i = 0; i < al->nrows; i++) {
		const struct activity *r = &al->rows[i];
		if (!r->silent_since)
			continue;
		strlcpy_(v[n].kind, "silence", sizeof v[n].kind);
		strlcpy_(v[n].instance, r->instance, sizeof v[n].instance);
		v[n].since = r->silent_since;
		if (r->last_inbound)
			snprintf(v[n].text, sizeof v[n].text, "no message on %s "
			    "since %s", r->instance, iso_time_utc(r->last_inbound,
			    at, sizeof at));
		else
			snprintf(v[n].text, sizeof v[n].text, "no message on %s "
			    "yet", r->instance);
		n++;
	}
	pthread_mutex_lock(&al->lock);
	memcpy(al->v, v, n * sizeof *v);
	al->n = n;
	pthread_mutex_unlock(&al->lock);
}

static void *
worker(void *arg)
{
	struct alarms *al = arg;

	pthread_setname_np(pthread_self(), "alarms");
	pthread_mutex_lock(&al->lock);
	while (!al->stopping) {
		pthread_mutex_unlock(&al->lock);
		struct config_gen *g = app_hold(al->app);
		int64_t now = now_unix();
		check_storage(al, g->cf, now);
		check_silence(al, g, now);
		publish(al);
		app_gen_unref(g);

		struct timespec ts;
		deadline_after_ms(&ts, ALARM_TICK_MS);
		pthread_mutex_lock(&al->lock);
		if (!al->stopping)
			pthread_cond_timedwait(&al->wake, &al->lock, &ts);
	}
	pthread_mutex_unlock(&al->lock);
	return NULL;
}

struct alarms *
alarm_start(struct app *app)
{
	struct alarms *al = xcalloc(1, sizeof *al);
	const struct config *cf = app->cf;
	struct httpc_limits limits = {
		.connect_timeout_ms = (long)(cf->connect_timeout * 1000),
		.timeout_ms = (long)(cf->send_timeout * 1000),
		.max_response = 64 * 1024,
	};

	al->app = app;
	if (gethostname(al->host, sizeof al->host) == -1 || !al->host[0])
		strlcpy_(al->host, "localhost", sizeof al->host);
	al->host[sizeof al->host - 1] = '\0';
	if ((al->st = store_open(cf)) == NULL) {
		/* store_open said why. */
		log_error("alarm: cannot watch without the database");
		free(al);
		return NULL;
	}
	pthread_mutex_init(&al->lock, NULL);
	pthread_cond_init(&al->wake, NULL);
	/* The alarms raised before a restart are listed at once. */
	int n = store_activity_list(al->st, al->rows, ALARM_MAX);
	al->nrows = n > 0 ? n : 0;
	publish(al);
	al->hc = httpc_new(&limits);
	if (pthread_create(&al->thread, NULL, worker, al) != 0) {
		log_error("alarm: cannot start the thread");
		httpc_free(al->hc);
		store_close(al->st);
		free(al);
		return NULL;
	}
	return al;
}

void
alarm_stop(struct alarms *al)
{
	if (al == NULL)
		return;
	pthread_mutex_lock(&al->lock);
	al->stopping = 1;
	pthread_cond_signal(&al->wake);
	pthread_mutex_unlock(&al->lock);
	pthread_join(al->thread, NULL);
	httpc_free(al->hc);
	store_close(al->st);
	pthread_mutex_destroy(&al->lock);
	pthread_cond_destroy(&al->wake);
	free(al);
}

json_t *
alarm_json(struct alarms *al)
{
	json_t *a = json_array();

	if (al == NULL)
		return a;
	pthread_mutex_lock(&al->lock);
	for (size_t i = 0; i < al->n; i++) {
		const struct active *v = &al->v[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:s}",
		    "kind", v->kind, "instance", v->instance, "since",
		    (json_int_t)v->since, "text", v->text));
	}
	pthread_mutex_unlock(&al->lock);
	return a;
}
