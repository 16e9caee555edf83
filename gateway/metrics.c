/*
 * metrics.c -- see metrics.h.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "branch.h"
#include "config.h"
#include "crypto.h"
#include "log.h"
#include "metrics.h"
#include "provider.h"

#ifndef GATEWAY_VERSION
#define GATEWAY_VERSION	"unknown"
#endif
#if defined(__clang__)
#define METRICS_CC	"clang " __clang_version__
#elif defined(__GNUC__)
#define METRICS_CC	"gcc " __VERSION__
#else
#define METRICS_CC	"unknown"
#endif

static const char *const inbound_names[MI_NINBOUND] = {
	"accepted", "duplicate", "part", "ignored", "bad_signature",
	"malformed", "rejected", "unavailable",
};
const char *
metrics_inbound_name(enum metrics_inbound what)
{
	return what < MI_NINBOUND ? inbound_names[what] : "unknown";
}

static const char *const send_names[MS_NSEND] = {
	"ok", "retry", "fail", "dead",
};
const char *const metrics_outbox_states[METRICS_OUTBOX_STATES] = {
	"queued", "sending", "sent", "delivered", "failed", "dead", "discarded",
};
#define NKINDS	(MATCH_OUT_OF_AREA + 1)
/* Sends by channel: the sms instances, then these. */
static const char *const other_channels[] = { "email", "webhook", "other" };
#define NOTHER	(sizeof other_channels / sizeof other_channels[0])

/* Upper bounds; the counts are per bucket, made cumulative on output. */
#define MAXBUCKETS	16
struct histogram {
	const double	*le;		/* in the unit observed */
	size_t		 n;
	double		 scale;		/* observed unit -> exposed unit */
	atomic_ulong	 count[MAXBUCKETS + 1];	/* the last: +Inf */
	atomic_ullong	 sum;
};

static const double size_le[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512,
    1024 };
static const double commit_le[] = { 0.25e6, 0.5e6, 1e6, 2.5e6, 5e6, 10e6,
    25e6, 50e6, 100e6, 250e6, 500e6, 1e9 };
static const double request_le[] = { 1e6, 2.5e6, 5e6, 10e6, 25e6, 50e6,
    100e6, 250e6, 500e6, 1e9, 2.5e9, 5e9, 10e9 };

static struct metrics {
	char		**names;	/* the instances at start, copied: a
					   reload frees the set they came from */
	size_t		 n;		/* instances */
	atomic_ulong	(*inbound)[MI_NINBOUND];	/* n + 1: unknown */
	atomic_llong	*last_inbound;			/* n */
	atomic_ulong	(*sends)[MS_NSEND];		/* n + NOTHER */
	atomic_ulong	 leads[NKINDS];
	atomic_ulong	 optouts;
	struct histogram batch_size, commit, request;
	struct provider_net *allow;
	size_t		 nallow;
	unsigned char	 token[32];
	int		 has_token;
	int64_t		 started;
} m;

static void
hist_init(struct histogram *h, const double *le, size_t n, double scale)
{
	h->le = le;
	h->n = n;
	h->scale = scale;
	for (size_t i = 0; i <= MAXBUCKETS; i++)
		atomic_init(&h->count[i], 0);
	atomic_init(&h->sum, 0);
}

static void
hist_observe(struct histogram *h, uint64_t v)
{
	size_t i = 0;

	while (i < h->n && (double)v > h->le[i])
		i++;
	atomic_fetch_add_explicit(&h->count[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->sum, v, memory_order_relaxed);
}

static int
parse_config(const struct config *cf, struct provider_net **allow,
    size_t *nallow, unsigned char token[32], int *has_token)
{
	const char *file = cf->file ? cf->file : "(defaults)";
	char err[256];
	int errors = 0;

	if (provider_parse_nets(cf->metrics_allow_from, allow, nallow, err,
	    sizeof err) == -1) {
		fprintf(stderr, "%s: [metrics] %s\n", file, err);
		errors++;
	}
	*has_token = cf->metrics_token_sha256[0] != '\0';
	if (*has_token && hex_decode(cf->metrics_token_sha256, token, 32)) {
		fprintf(stderr, "%s: [metrics] token_sha256 is the token's "
		    "SHA-256 in hex (never the token itself)\n", file);
		errors++;
	}
	return errors ? -1 : 0;
}

int
metrics_check_config(const struct config *cf)
{
	struct provider_net *allow = NULL;
	size_t nallow = 0;
	unsigned char token[32];
	int has, rc;

	rc = parse_config(cf, &allow, &nallow, token, &has);
	free(allow);
	return rc;
}

int
metrics_init(const struct config *cf, const struct provider_set *set)
{
	metrics_free();
	if (parse_config(cf, &m.allow, &m.nallow, m.token, &m.has_token) == -1)
		return -1;
	m.n = set->n;
	m.names = xcalloc(m.n + 1, sizeof *m.names);
	for (size_t i = 0; i < m.n; i++)
		m.names[i] = xstrdup(set->v[i].name);
	m.inbound = xcalloc(m.n + 1, sizeof *m.inbound);
	m.last_inbound = xcalloc(m.n + 1, sizeof *m.last_inbound);
	m.sends = xcalloc(m.n + NOTHER, sizeof *m.sends);
	/* calloc's zeroes are what atomic_init would store. */
	for (size_t i = 0; i < NKINDS; i++)
		atomic_init(&m.leads[i], 0);
	atomic_init(&m.optouts, 0);
	hist_init(&m.batch_size, size_le, sizeof size_le / sizeof size_le[0],
	    1);
	hist_init(&m.commit, commit_le, sizeof commit_le / sizeof commit_le[0],
	    1e-9);
	hist_init(&m.request, request_le,
	    sizeof request_le / sizeof request_le[0], 1e-9);
	m.started = now_unix();
	return 0;
}

void
metrics_free(void)
{
	for (size_t i = 0; m.names != NULL && i < m.n; i++)
		free(m.names[i]);
	free(m.names);
	free(m.inbound);
	free(m.last_inbound);
	free(m.sends);
	free(m.allow);
	memset(&m, 0, sizeof m);
}

int
metrics_instance(const char *name)
{
	for (size_t i = 0; name != NULL && i < m.n; i++)
		if (strcmp(m.names[i], name) == 0)
			return (int)i;
	return -1;
}

void
metrics_inbound(int instance, enum metrics_inbound what)
{
	if (m.inbound == NULL || what >= MI_NINBOUND)
		return;
	size_t i = instance < 0 || (size_t)instance >= m.n ? m.n :
	    (size_t)instance;
	atomic_fetch_add_explicit(&m.inbound[i][what], 1, memory_order_relaxed);
}

void
metrics_last_inbound(int instance, int64_t when)
{
	if (m.last_inbound == NULL || instance < 0 || (size_t)instance >= m.n)
		return;
	atomic_store_explicit(&m.last_inbound[instance], when,
	    memory_order_relaxed);
}

void
metrics_lead(const char *kind)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(match_kind_name((enum match_kind)i), kind) == 0)
			break;
	if (i == NKINDS)
		i = MATCH_NONE;
	atomic_fetch_add_explicit(&m.leads[i], 1, memory_order_relaxed);
}

void
metrics_optout(void)
{
	atomic_fetch_add_explicit(&m.optouts, 1, memory_order_relaxed);
}

void
metrics_send(const char *channel, int instance, enum metrics_send what)
{
	size_t i;

	if (m.sends == NULL || what >= MS_NSEND)
		return;
	if (strcmp(channel, "sms") == 0 && instance >= 0 &&
	    (size_t)instance < m.n)
		i = (size_t)instance;
	else {
		for (i = 0; i < NOTHER - 1; i++)
			if (strcmp(channel, other_channels[i]) == 0)
				break;
		i += m.n;
	}
	atomic_fetch_add_explicit(&m.sends[i][what], 1, memory_order_relaxed);
}

void
metrics_batch(unsigned long n, uint64_t commit_ns)
{
	if (m.inbound == NULL)
		return;
	hist_observe(&m.batch_size, n);
	hist_observe(&m.commit, commit_ns);
}

void
metrics_request(uint64_t ns)
{
	if (m.inbound == NULL)
		return;
	hist_observe(&m.request, ns);
}

int
metrics_allowed(const char *addr, const char *auth)
{
	unsigned char got[CRYPTO_MAX_DIGEST];

	if (!provider_nets_match(m.allow, m.nallow, addr))
		return 403;
	if (!m.has_token)
		return 200;
	if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0 ||
	    auth[7] == '\0')
		return 401;
	crypto_digest(HASH_SHA256, auth + 7, strlen(auth + 7), got);
	return crypto_eq(got, m.token, sizeof m.token) ? 200 : 401;
}

/* --- the exposition ---------------------------------------------------- */

/* A label value, escaped as the format asks (\\, \", \n). */
static void
put_label(struct buf *b, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			buf_printf(b, "\\%c", *v);
		else if (*v == '\n')
			buf_puts(b, "\\n");
		else
			buf_append(b, v, 1);
	}
}

static void
head(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
put_hist(struct buf *b, const char *name, const char *help,
    struct histogram *h)
{
	unsigned long cum = 0;

	head(b, name, "histogram", help);
	for (size_t i = 0; i <= h->n; i++) {
		cum += atomic_load_explicit(&h->count[i], memory_order_relaxed);
		if (i < h->n)
			buf_printf(b, "%s_bucket{le=\"%.9g\"} %lu\n", name,
			    h->le[i] * h->scale, cum);
		else
			buf_printf(b, "%s_bucket{le=\"+Inf\"} %lu\n", name, cum);
	}
	buf_printf(b, "%s_sum %.9g\n%s_count %lu\n", name,
	    (double)atomic_load_explicit(&h->sum, memory_order_relaxed) *
	    h->scale, name, cum);
}

static const char *
instance_name(size_t i)
{
	return i < m.n ? m.names[i] : "(unknown)";
}

int
metrics_render(struct buf *b, const struct metrics_db *db, int64_t now)
{
	head(b, "gateway_build_info", "gauge",
	    "The version and compiler the gateway was built with.");
	buf_printf(b, "gateway_build_info{version=\"");
	put_label(b, GATEWAY_VERSION);
	buf_puts(b, "\",compiler=\"");
	put_label(b, METRICS_CC);
	buf_puts(b, "\"} 1\n");
	head(b, "gateway_start_time_seconds", "gauge",
	    "When the server started, in Unix seconds.");
	buf_printf(b, "gateway_start_time_seconds %lld\n",
	    (long long)m.started);

	head(b, "gateway_inbound_total", "counter",
	    "Webhooks received, by provider instance and what became of them.");
	for (size_t i = 0; i <= m.n; i++)
		for (int o = 0; o < MI_NINBOUND; o++) {
			unsigned long v = atomic_load_explicit(
			    &m.inbound[i][o], memory_order_relaxed);
			/* The unknown row only when something came. */
			if (i == m.n && v == 0)
				continue;
			buf_puts(b, "gateway_inbound_total{instance=\"");
			put_label(b, instance_name(i));
			buf_printf(b, "\",outcome=\"%s\"} %lu\n",
			    inbound_names[o], v);
		}
	head(b, "gateway_inbound_last_timestamp_seconds", "gauge",
	    "When an instance last received a verified webhook (0: never).");
	for (size_t i = 0; i < m.n; i++) {
		buf_puts(b, "gateway_inbound_last_timestamp_seconds{instance=\"");
		put_label(b, instance_name(i));
		buf_printf(b, "\"} %lld\n", (long long)atomic_load_explicit(
		    &m.last_inbound[i], memory_order_relaxed));
	}
	head(b, "gateway_leads_total", "counter",
	    "Leads created, by how the branch was matched.");
	for (size_t k = 0; k < NKINDS; k++)
		buf_printf(b, "gateway_leads_total{match_kind=\"%s\"} %lu\n",
		    match_kind_name((enum match_kind)k), atomic_load_explicit(
		    &m.leads[k], memory_order_relaxed));
	head(b, "gateway_optouts_total", "counter",
	    "Numbers that opted out.");
	buf_printf(b, "gateway_optouts_total %lu\n",
	    atomic_load_explicit(&m.optouts, memory_order_relaxed));

	head(b, "gateway_sends_total", "counter",
	    "Outbox send attempts, by channel, instance and outcome.");
	for (size_t i = 0; i < m.n + NOTHER; i++)
		for (int o = 0; o < MS_NSEND; o++) {
			buf_printf(b, "gateway_sends_total{channel=\"%s\","
			    "instance=\"", i < m.n ? "sms" :
			    other_channels[i - m.n]);
			if (i < m.n)
				put_label(b, instance_name(i));
			buf_printf(b, "\",outcome=\"%s\"} %lu\n", send_names[o],
			    atomic_load_explicit(&m.sends[i][o],
			    memory_order_relaxed));
		}
	if (db != NULL) {
		head(b, "gateway_outbox_rows", "gauge",
		    "Rows in the outbox, by state.");
		for (int s = 0; s < METRICS_OUTBOX_STATES; s++)
			buf_printf(b, "gateway_outbox_rows{state=\"%s\"} %lld\n",
			    metrics_outbox_states[s], (long long)db->outbox[s]);
		head(b, "gateway_outbox_oldest_queued_age_seconds", "gauge",
		    "How long the oldest queued row has waited (0: none).");
		buf_printf(b, "gateway_outbox_oldest_queued_age_seconds %lld\n",
		    (long long)(db->oldest_queued && now > db->oldest_queued ?
		    now - db->oldest_queued : 0));
	}
	put_hist(b, "gateway_batch_size", "Jobs per writer transaction.",
	    &m.batch_size);
	put_hist(b, "gateway_commit_duration_seconds",
	    "How long the writer's commit took.", &m.commit);
	put_hist(b, "gateway_http_request_duration_seconds",
	    "HTTP requests, from the first byte to the end of the answer.",
	    &m.request);
	return b->len < b->max || b->max == 0 ? 0 : -1;
}
