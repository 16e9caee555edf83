/*
 * fakeserver.c -- a scriptable remote party for the gateway's tests.
 *
 * A test starts it on a free loopback port to stand in for an SMS
 * provider's HTTP API, a webhook receiver (default mode) or an SMTP
 * relay (--smtp).  It records every request or message as one JSON line
 * in --log and answers each by --script, so a test can provoke errors,
 * rate limits, slow answers and dropped connections, then check what
 * the gateway sent.  Usage: see usage() or tests/tools/README.md.
 *
 * It only ever binds 127.0.0.1, and it exits by itself after --max-time
 * seconds so that a test that dies cannot leave it running for ever.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#define BODY_MAX	(1024 * 1024)	/* request bodies, SMTP messages */
#define CMD_MAX		4096		/* an SMTP command line */
#define RCPT_MAX	100		/* recipients in one SMTP message */
#define CONN_MAX	64		/* connections at once */
#define IDLE_SECS	60		/* a silent client is dropped after this */
#define TICK_MS		200		/* how often waiting threads look at `stopping' */
#define STEPS_MAX	10000		/* steps in --script */
#define SLOW_MAX	3600.0		/* seconds, for slow:S */
#define RETRY_MAX	86400L		/* seconds, for 429:S */
#define RATE_MAX	1000000L	/* --rate */
#define MAX_TIME	600L		/* default --max-time */

enum step_kind {
	STEP_OK,
	STEP_STATUS,		/* NNN */
	STEP_RETRY,		/* 429:S */
	STEP_SLOW,		/* slow:S */
	STEP_CLOSE
};

struct step {
	enum step_kind kind;
	int code;		/* STEP_STATUS */
	long retry;		/* STEP_RETRY: Retry-After seconds */
	double secs;		/* STEP_SLOW */
};

/* A growing, always NUL-terminated byte buffer. */
struct sbuf {
	char *p;
	size_t len, cap;
};

static struct {
	/* Options. */
	int smtp;
	long port;
	const char *log_path, *stats_path, *port_file;
	const char *ok_body;
	const char *error_body;		/* NULL: {"error":"scripted NNN"} */
	long rate;
	long max_time;
	struct step *script;
	size_t nsteps;

	FILE *log;

	/* `lock' guards the counters, the script position, the rate ring
	 * and writes to the log. */
	pthread_mutex_t lock;
	unsigned long requests, rate_limited;
	size_t next_step;
	int64_t *ring;		/* times of the last `rate' answered requests */
	size_t ring_head;	/* the oldest of them */

	/* SMTP connection threads, so that exit can wait for them. */
	pthread_mutex_t conn_lock;
	pthread_cond_t conn_cond;
	int nconns;
} g = {
	.port = 0,
	.max_time = MAX_TIME,
	.ok_body = "{\"id\":\"fake-%d\"}",
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.conn_lock = PTHREAD_MUTEX_INITIALIZER,
	.conn_cond = PTHREAD_COND_INITIALIZER,
};

/* Set once on the way out; threads that wait look at it every TICK_MS. */
static atomic_int stopping;

static void
usage(FILE *f)
{
	fputs("usage: fakeserver [--smtp] [--port N] [--port-file FILE] "
	    "[--log FILE]\n"
	    "                  [--stats FILE] [--script STEP,STEP,...] "
	    "[--ok-body TEXT]\n"
	    "                  [--error-body TEXT] [--rate R] [--max-time S]\n"
	    "Listens on 127.0.0.1 (port 0 = any free one), prints \"port N\","
	    " records each\nrequest (or SMTP message) as a JSON line in --log "
	    "and answers by --script.\n"
	    "STEP: ok | NNN | 429:S (HTTP only) | slow:S | close;"
	    " then ok for ever.\n"
	    "--rate R (HTTP): over R requests within one second get 429.\n"
	    "--max-time S: exit by itself after S seconds (default 600).\n"
	    "SIGUSR1 writes --stats; SIGTERM/SIGINT exit (writing --stats).\n",
	    f);
}

static int64_t
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep, but give up early when the server is stopping. */
static void
nap(double secs)
{
	int64_t end = clock_ms(CLOCK_MONOTONIC) + (int64_t)(secs * 1000.0);
	int64_t left;

	while (!atomic_load(&stopping) &&
	    (left = end - clock_ms(CLOCK_MONOTONIC)) > 0) {
		struct timespec ts;

		if (left > TICK_MS)
			left = TICK_MS;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (long)(left % 1000) * 1000000L;
		nanosleep(&ts, NULL);
	}
}

static int
sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	if (n == 0 && b->p) {
		b->p[b->len] = '\0';
		return 0;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static void
sbuf_free(struct sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* Length of the valid UTF-8 sequence at s, or 0; the rules jansson keeps. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		if (s[0] == 0xE0)
			lo = 0xA0;
		else if (s[0] == 0xED)
			hi = 0x9F;	/* no surrogates */
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		if (s[0] == 0xF0)
			lo = 0x90;
		else if (s[0] == 0xF4)
			hi = 0x8F;	/* nothing past U+10FFFF */
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

/*
 * A JSON string of any bytes: jansson takes only UTF-8, and a test
 * should still see the rest of a body that has a stray Latin-1 byte, so
 * bad bytes become U+FFFD.  NUL bytes are kept (as \u0000).
 */
static json_t *
jstr(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	struct sbuf fixed = { 0 };
	json_t *j;
	size_t i, k;

	if (s == NULL)
		return json_null();
	for (i = 0; i < n && (k = utf8_seq(u + i, n - i)) > 0; i += k)
		;
	if (i == n)
		return json_stringn(s, n);
	if (sbuf_add(&fixed, s, i) < 0)
		return NULL;
	while (i < n) {
		if ((k = utf8_seq(u + i, n - i)) > 0) {
			if (sbuf_add(&fixed, s + i, k) < 0)
				break;
			i += k;
		} else {
			if (sbuf_add(&fixed, "\xEF\xBF\xBD", 3) < 0)
				break;
			i++;
		}
	}
	j = i == n ? json_stringn(fixed.p, fixed.len) : NULL;
	sbuf_free(&fixed);
	return j;
}

static json_t *
jcstr(const char *s)
{
	return s ? jstr(s, strlen(s)) : json_null();
}

/* Unix time with milliseconds, as a JSON number. */
static json_t *
jtime(int64_t ms)
{
	return json_real((double)ms / 1000.0);
}

/* Append one record to --log and flush it, so a test sees it at once. */
static void
log_line(json_t *obj)
{
	char *s;

	if (g.log == NULL)
		return;
	/* 13 digits keep the milliseconds of "t" and nothing more. */
	s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(13));
	if (s == NULL)
		return;
	pthread_mutex_lock(&g.lock);
	fputs(s, g.log);
	fputc('\n', g.log);
	fflush(g.log);
	pthread_mutex_unlock(&g.lock);
	free(s);
}

/* Write a small file whole: a reader sees the old one or the new one. */
static int
write_file(const char *path, const char *text)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 5);
	FILE *f;
	int bad;

	if (tmp == NULL)
		return -1;
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmp", 5);
	if ((f = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "fakeserver: %s: %s\n", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	fputs(text, f);
	bad = ferror(f);
	bad |= fclose(f) != 0;
	if (!bad && rename(tmp, path) != 0)
		bad = 1;
	if (bad)
		fprintf(stderr, "fakeserver: cannot write %s\n", path);
	free(tmp);
	return bad ? -1 : 0;
}

static void
write_stats(void)
{
	unsigned long requests, limited;
	char text[128];

	if (g.stats_path == NULL)
		return;
	pthread_mutex_lock(&g.lock);
	requests = g.requests;
	limited = g.rate_limited;
	pthread_mutex_unlock(&g.lock);
	snprintf(text, sizeof text, "{\"requests\": %lu, \"rate_limited\": %lu}\n",
	    requests, limited);
	write_file(g.stats_path, text);
}

/* --- The script ---------------------------------------------------------- */

static int
parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_step(const char *s, struct step *st)
{
	long v;

	memset(st, 0, sizeof *st);
	if (strcasecmp(s, "ok") == 0)
		st->kind = STEP_OK;
	else if (strcasecmp(s, "close") == 0)
		st->kind = STEP_CLOSE;
	else if (strncasecmp(s, "slow:", 5) == 0) {
		char *end;

		st->kind = STEP_SLOW;
		if (s[5] < '0' || s[5] > '9')
			return -1;
		errno = 0;
		st->secs = strtod(s + 5, &end);
		if (errno || *end || !(st->secs >= 0.0 && st->secs <= SLOW_MAX))
			return -1;
	} else if (strncmp(s, "429:", 4) == 0) {
		st->kind = STEP_RETRY;
		st->code = 429;
		if (parse_long(s + 4, 0, RETRY_MAX, &st->retry) < 0)
			return -1;
	} else if (strlen(s) == 3 && parse_long(s, 200, 599, &v) == 0) {
		st->kind = STEP_STATUS;
		st->code = (int)v;
	} else
		return -1;
	return 0;
}

static int
parse_script(const char *text)
{
	char *copy = strdup(text), *save = NULL, *tok;
	int rc = 0;

	if (copy == NULL)
		return -1;
	g.script = calloc(STEPS_MAX, sizeof *g.script);
	if (g.script == NULL) {
		free(copy);
		return -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		char *end;

		while (*tok == ' ')
			tok++;
		end = tok + strlen(tok);
		while (end > tok && end[-1] == ' ')
			*--end = '\0';
		if (g.nsteps == STEPS_MAX) {
			fprintf(stderr, "fakeserver: more than %d steps\n",
			    STEPS_MAX);
			rc = -1;
			break;
		}
		if (parse_step(tok, &g.script[g.nsteps]) < 0) {
			fprintf(stderr, "fakeserver: bad script step '%s'\n",
			    tok);
			rc = -1;
			break;
		}
		if (g.smtp && g.script[g.nsteps].kind == STEP_RETRY) {
			fprintf(stderr, "fakeserver: '%s' is for HTTP only\n",
			    tok);
			rc = -1;
			break;
		}
		g.nsteps++;
	}
	free(copy);
	return rc;
}

/* The next step; `ok' once the script has run out.  Hold g.lock. */
static struct step
take_step(void)
{
	struct step ok = { .kind = STEP_OK };

	if (g.next_step < g.nsteps)
		return g.script[g.next_step++];
	return ok;
}

/*
 * Whether an answer now would make more than --rate in the last second.
 * The ring holds the times of the last `rate' answered requests: if the
 * oldest of them is less than a second old, this one is one too many.
 * Refused requests do not count, as with a real provider's limit.
 * Hold g.lock.
 */
static int
over_rate(void)
{
	int64_t now = clock_ms(CLOCK_MONOTONIC);

	if (g.rate <= 0)
		return 0;
	if (now - g.ring[g.ring_head] < 1000)
		return 1;
	g.ring[g.ring_head] = now;
	g.ring_head = (g.ring_head + 1) % (size_t)g.rate;
	return 0;
}

/* --- HTTP ---------------------------------------------------------------- */

struct request {
	int started;
	int64_t t;		/* arrival, unix ms */
	char *uri;		/* as sent, with the query string */
	unsigned long n;
	int limited;
	struct step step;
	struct sbuf body;
	int too_big;
};

/* --ok-body with each %d replaced by the request number. */
/* tmpl with each %d made n; NULL when out of memory. */
static char *
expand(const char *tmpl, unsigned long n)
{
	struct sbuf b = { 0 };
	char num[32];
	const char *s = tmpl, *pct;
	int bad = 0;

	snprintf(num, sizeof num, "%lu", n);
	while (!bad && (pct = strstr(s, "%d")) != NULL) {
		bad |= sbuf_add(&b, s, (size_t)(pct - s)) < 0;
		bad |= sbuf_add(&b, num, strlen(num)) < 0;
		s = pct + 2;
	}
	bad |= sbuf_add(&b, s, strlen(s)) < 0;
	if (bad) {
		sbuf_free(&b);
		return NULL;
	}
	return b.p;
}

static char *
ok_body(unsigned long n)
{
	return expand(g.ok_body, n);
}

static enum MHD_Result
http_reply(struct MHD_Connection *conn, unsigned code, char *body,
    long retry_after)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;
	char num[32];

	resp = MHD_create_response_from_buffer(strlen(body), body,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "application/json");
	if (retry_after >= 0) {
		snprintf(num, sizeof num, "%ld", retry_after);
		MHD_add_response_header(resp, "Retry-After", num);
	}
	rc = MHD_queue_response(conn, code, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result
http_add_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	json_t *headers = cls, *old;

	(void)kind;
	if (key == NULL)
		return MHD_YES;
	if (value == NULL)
		value = "";
	old = json_object_get(headers, key);
	if (old && json_is_string(old)) {
		/* A repeated header: join the values, as HTTP allows. */
		struct sbuf b = { 0 };

		if (sbuf_add(&b, json_string_value(old),
		    json_string_length(old)) == 0 &&
		    sbuf_add(&b, ", ", 2) == 0 &&
		    sbuf_add(&b, value, strlen(value)) == 0)
			json_object_set_new(headers, key, jstr(b.p, b.len));
		sbuf_free(&b);
	} else
		json_object_set_new(headers, key, jcstr(value));
	return MHD_YES;
}

/*
 * Called with the request line's URI before MHD strips the query string:
 * the only place to see the path as the client sent it.  What it returns
 * is the request's state for the handler below.
 */
static void *
http_on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct request *rq = calloc(1, sizeof *rq);

	(void)cls;
	(void)conn;
	if (rq == NULL)
		return NULL;
	rq->t = clock_ms(CLOCK_REALTIME);
	if ((rq->uri = strdup(uri ? uri : "")) == NULL) {
		free(rq);
		return NULL;
	}
	return rq;
}

static void
http_on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct request *rq = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (rq == NULL)
		return;
	free(rq->uri);
	sbuf_free(&rq->body);
	free(rq);
	*con_cls = NULL;
}

static void
http_log(struct request *rq, struct MHD_Connection *conn, const char *method,
    int status)
{
	json_t *o = json_object(), *headers = json_object();

	if (o == NULL || headers == NULL) {
		json_decref(o);
		json_decref(headers);
		return;
	}
	MHD_get_connection_values(conn, MHD_HEADER_KIND, http_add_header,
	    headers);
	json_object_set_new(o, "n", json_integer((json_int_t)rq->n));
	json_object_set_new(o, "t", jtime(rq->t));
	json_object_set_new(o, "method", jcstr(method));
	json_object_set_new(o, "path", jcstr(rq->uri));
	json_object_set_new(o, "headers", headers);
	json_object_set_new(o, "body", rq->body.p ?
	    jstr(rq->body.p, rq->body.len) : json_string(""));
	json_object_set_new(o, "status", json_integer(status));
	log_line(o);
	json_decref(o);
}

static enum MHD_Result
http_on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct request *rq = *con_cls;
	enum MHD_Result rc;
	char err[64];
	char *body;

	(void)cls;
	(void)url;
	(void)version;
	if (rq == NULL)
		return MHD_NO;	/* out of memory in http_on_uri */

	/* First call: only the headers are in. */
	if (!rq->started) {
		rq->started = 1;
		return MHD_YES;
	}

	/* Then the body, a piece at a time; past the cap it is dropped. */
	if (*upload_size) {
		size_t room = BODY_MAX - rq->body.len, n = *upload_size;

		if (n > room) {
			n = room;
			rq->too_big = 1;
		}
		if (sbuf_add(&rq->body, upload, n) < 0)
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}

	/*
	 * Last call: the request is whole.  Numbers and steps go in the
	 * order requests arrive whole, so one the client gave up half way
	 * through takes neither and the log's n has no gaps.
	 */
	pthread_mutex_lock(&g.lock);
	rq->n = ++g.requests;
	if (rq->too_big)
		;	/* answered 413 below, and takes no step */
	else if (over_rate()) {
		rq->limited = 1;
		g.rate_limited++;
	} else
		rq->step = take_step();
	pthread_mutex_unlock(&g.lock);

	if (rq->limited) {
		http_log(rq, conn, method, 429);
		snprintf(err, sizeof err, "{\"error\":\"rate limited\"}");
		return http_reply(conn, 429, err, 1);
	}
	if (rq->too_big) {
		http_log(rq, conn, method, 413);
		snprintf(err, sizeof err, "{\"error\":\"body too large\"}");
		return http_reply(conn, 413, err, -1);
	}
	switch (rq->step.kind) {
	case STEP_CLOSE:
		http_log(rq, conn, method, 0);
		return MHD_NO;	/* MHD drops the connection unanswered */
	case STEP_STATUS:
	case STEP_RETRY:
		http_log(rq, conn, method, rq->step.code);
		if (g.error_body != NULL && rq->step.kind == STEP_STATUS) {
			if ((body = expand(g.error_body, rq->n)) == NULL)
				return MHD_NO;
			rc = http_reply(conn, (unsigned)rq->step.code, body,
			    -1);
			free(body);
			return rc;
		}
		snprintf(err, sizeof err, "{\"error\":\"scripted %d\"}",
		    rq->step.code);
		return http_reply(conn, (unsigned)rq->step.code, err,
		    rq->step.kind == STEP_RETRY ? rq->step.retry : -1);
	case STEP_SLOW:
		/* Logged first, so a test can see the request is in. */
		http_log(rq, conn, method, 200);
		nap(rq->step.secs);
		break;
	case STEP_OK:
		http_log(rq, conn, method, 200);
		break;
	}
	if ((body = ok_body(rq->n)) == NULL)
		return MHD_NO;
	rc = http_reply(conn, 200, body, -1);
	free(body);
	return rc;
}

/* MHD's complaints, marked as ours in a test's stderr. */
static void
http_log_error(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("fakeserver: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static struct MHD_Daemon *
http_start(int fd)
{
	/* A thread per connection: a slow:S answer holds up no other. */
	return MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG,
	    0, NULL, NULL, http_on_request, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, http_log_error, NULL,	/* first */
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_URI_LOG_CALLBACK, http_on_uri, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, http_on_done, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONN_MAX,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)IDLE_SECS,
	    MHD_OPTION_END);
}

/* --- SMTP ---------------------------------------------------------------- */

struct smtp {
	int fd;
	char in[8192];
	size_t off, len;	/* unread input is in[off..len) */
	int64_t idle_end;	/* monotonic ms */
	struct sbuf line;	/* the last line read, without its CRLF */
	int have_from;
	char *from, *user;
	json_t *to;
};

static int
smtp_send(struct smtp *c, const char *s, size_t n)
{
	/* Each pass sends something or fails; SO_SNDTIMEO bounds a stall. */
	while (n > 0) {
		ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

__attribute__((format(printf, 2, 3)))
static int
smtp_reply(struct smtp *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n > sizeof buf - 3)
		n = (int)(sizeof buf - 3);
	memcpy(buf + n, "\r\n", 2);
	return smtp_send(c, buf, (size_t)n + 2);
}

/* Wait for input; -1 when the client has been idle too long or we stop. */
static int
smtp_wait(struct smtp *c)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };

	while (!atomic_load(&stopping)) {
		int64_t left = c->idle_end - clock_ms(CLOCK_MONOTONIC);
		int r;

		if (left <= 0) {
			smtp_reply(c, "421 4.4.2 fakeserver: idle too long");
			return -1;
		}
		r = poll(&p, 1, left < TICK_MS ? (int)left : TICK_MS);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
	return -1;
}

/*
 * Read one line into c->line, CRLF (or a bare LF) removed; past `max'
 * bytes the rest of the line is dropped and *too_long set.  -1 at end of
 * input, on error, when idle too long or when stopping: that bounds it.
 */
static int
smtp_read_line(struct smtp *c, size_t max, int *too_long)
{
	*too_long = 0;
	c->line.len = 0;
	if (sbuf_add(&c->line, "", 0) < 0)
		return -1;
	for (;;) {
		ssize_t r;

		if (c->off < c->len) {
			char *s = c->in + c->off;
			size_t avail = c->len - c->off;
			char *nl = memchr(s, '\n', avail);
			size_t n = nl ? (size_t)(nl - s) : avail, keep = n;

			if (c->line.len + keep > max) {
				keep = max > c->line.len ? max - c->line.len : 0;
				*too_long = 1;
			}
			if (sbuf_add(&c->line, s, keep) < 0)
				return -1;
			c->off += nl ? n + 1 : n;
			if (nl) {
				if (c->line.len && c->line.p[c->line.len - 1] == '\r')
					c->line.p[--c->line.len] = '\0';
				return 0;
			}
		}
		c->off = c->len = 0;
		if (smtp_wait(c) < 0)
			return -1;
		r = recv(c->fd, c->in, sizeof c->in, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c->len = (size_t)r;
		c->idle_end = clock_ms(CLOCK_MONOTONIC) + IDLE_SECS * 1000;
	}
}

static void
smtp_reset(struct smtp *c)
{
	c->have_from = 0;
	free(c->from);
	c->from = NULL;
	json_array_clear(c->to);
}

static int
b64_value(int ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

static int
b64_decode(const char *s, struct sbuf *out)
{
	unsigned acc = 0;
	int bits = 0;

	if (sbuf_add(out, "", 0) < 0)
		return -1;
	for (; *s && *s != '='; s++) {
		int v = b64_value((unsigned char)*s);
		char ch;

		if (v < 0)
			return -1;
		acc = ((acc << 6) | (unsigned)v) & 0xFFFFFF;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			ch = (char)((acc >> bits) & 0xFF);
			if (sbuf_add(out, &ch, 1) < 0)
				return -1;
		}
	}
	return 0;
}

/* A line the client sent in answer to a 334; -1 if it cancelled ("*"). */
static int
smtp_auth_line(struct smtp *c, const char *prompt, struct sbuf *out)
{
	int too_long;

	if (smtp_reply(c, "334 %s", prompt) < 0 ||
	    smtp_read_line(c, CMD_MAX, &too_long) < 0)
		return -2;
	if (too_long || strcmp(c->line.p, "*") == 0)
		return -1;
	return b64_decode(c->line.p, out);
}

static void
smtp_set_user(struct smtp *c, const char *user, size_t n)
{
	free(c->user);
	c->user = strndup(user, n);
}

/* AUTH PLAIN and LOGIN, with or without an initial response; any
 * password will do.  -1 when the connection is to be dropped. */
static int
smtp_auth(struct smtp *c, char *arg)
{
	struct sbuf dec = { 0 };
	char *ir = strchr(arg, ' ');
	int rc;

	if (ir) {
		*ir++ = '\0';
		while (*ir == ' ')
			ir++;
	}
	if (strcasecmp(arg, "PLAIN") == 0) {
		const char *authcid, *end;

		/* authzid NUL authcid NUL password */
		rc = ir && *ir ? b64_decode(ir, &dec) :
		    smtp_auth_line(c, "", &dec);
		if (rc == -2)
			goto drop;
		if (rc < 0 || (authcid = memchr(dec.p, '\0', dec.len)) == NULL ||
		    (end = memchr(authcid + 1, '\0',
		    dec.len - (size_t)(authcid + 1 - dec.p))) == NULL) {
			sbuf_free(&dec);
			return smtp_reply(c, "501 5.5.2 bad AUTH PLAIN");
		}
		authcid++;
		smtp_set_user(c, authcid, (size_t)(end - authcid));
	} else if (strcasecmp(arg, "LOGIN") == 0) {
		struct sbuf pass = { 0 };

		/* "Username:" and "Password:" in base64 */
		rc = ir && *ir ? b64_decode(ir, &dec) :
		    smtp_auth_line(c, "VXNlcm5hbWU6", &dec);
		if (rc == -2)
			goto drop;
		if (rc == 0)
			rc = smtp_auth_line(c, "UGFzc3dvcmQ6", &pass);
		sbuf_free(&pass);
		if (rc == -2)
			goto drop;
		if (rc < 0) {
			sbuf_free(&dec);
			return smtp_reply(c, "501 5.5.2 bad AUTH LOGIN");
		}
		smtp_set_user(c, dec.p, dec.len);
	} else
		return smtp_reply(c, "504 5.5.4 unrecognised authentication type");
	sbuf_free(&dec);
	return smtp_reply(c, "235 2.7.0 authentication successful");
drop:
	sbuf_free(&dec);
	return -1;
}

/* The address in "FROM:<a@b> SIZE=1" after the keyword; NULL if none. */
static char *
smtp_address(char *arg, const char *keyword)
{
	size_t k = strlen(keyword);
	char *s, *end;

	if (strncasecmp(arg, keyword, k) != 0)
		return NULL;
	s = arg + k;
	while (*s == ' ')
		s++;
	if (*s == '<') {
		if ((end = strchr(++s, '>')) == NULL)
			return NULL;
	} else if ((end = strchr(s, ' ')) == NULL)
		end = s + strlen(s);
	*end = '\0';
	return s;
}

/* Record a message and answer it by the script. */
static int
smtp_message(struct smtp *c, struct sbuf *data)
{
	struct step st;
	unsigned long n;
	json_t *o;
	int status;

	pthread_mutex_lock(&g.lock);
	n = ++g.requests;
	st = take_step();
	pthread_mutex_unlock(&g.lock);

	status = st.kind == STEP_CLOSE ? 0 :
	    st.kind == STEP_STATUS ? st.code : 250;
	if ((o = json_object()) != NULL) {
		json_object_set_new(o, "n", json_integer((json_int_t)n));
		json_object_set_new(o, "t", jtime(clock_ms(CLOCK_REALTIME)));
		json_object_set_new(o, "from", jcstr(c->from));
		json_object_set_new(o, "to", json_deep_copy(c->to));
		json_object_set_new(o, "user", jcstr(c->user));
		json_object_set_new(o, "data", jstr(data->p, data->len));
		json_object_set_new(o, "status", json_integer(status));
		log_line(o);
		json_decref(o);
	}
	smtp_reset(c);
	switch (st.kind) {
	case STEP_CLOSE:
		return -1;
	case STEP_STATUS:
	case STEP_RETRY:	/* refused by parse_script */
		return smtp_reply(c, "%d scripted %d", st.code, st.code);
	case STEP_SLOW:
		nap(st.secs);
		break;
	case STEP_OK:
		break;
	}
	return smtp_reply(c, "250 2.0.0 OK queued as fake-%lu", n);
}

static int
smtp_data(struct smtp *c)
{
	struct sbuf data = { 0 };
	int too_long, big = 0, rc;

	if (!c->have_from)
		return smtp_reply(c, "503 5.5.1 MAIL first");
	if (json_array_size(c->to) == 0)
		return smtp_reply(c, "503 5.5.1 RCPT first");
	if (smtp_reply(c, "354 end data with <CR><LF>.<CR><LF>") < 0 ||
	    sbuf_add(&data, "", 0) < 0)
		goto drop;
	/* Ends at the "." line, or at end of input, idleness or stopping. */
	for (;;) {
		const char *s;
		size_t n;

		if (smtp_read_line(c, BODY_MAX, &too_long) < 0)
			goto drop;
		s = c->line.p;
		n = c->line.len;
		if (!too_long && n == 1 && s[0] == '.')
			break;
		if (n > 0 && s[0] == '.') {	/* dot-unstuffing */
			s++;
			n--;
		}
		if (too_long || big || data.len + n + 2 > BODY_MAX) {
			big = 1;	/* read on to the end, keep nothing */
			continue;
		}
		if (sbuf_add(&data, s, n) < 0 || sbuf_add(&data, "\r\n", 2) < 0)
			goto drop;
	}
	if (big) {
		sbuf_free(&data);
		smtp_reset(c);
		return smtp_reply(c, "552 5.3.4 message too big");
	}
	rc = smtp_message(c, &data);
	sbuf_free(&data);
	return rc;
drop:
	sbuf_free(&data);
	return -1;
}

/* One command; -1 when the connection is to be closed. */
static int
smtp_command(struct smtp *c)
{
	char *verb = c->line.p, *arg = strchr(verb, ' ');
	char *addr;

	if (arg) {
		*arg++ = '\0';
		while (*arg == ' ')
			arg++;
	} else
		arg = verb + strlen(verb);

	if (strcasecmp(verb, "EHLO") == 0) {
		smtp_reset(c);
		return smtp_reply(c, "250-fakeserver\r\n250-AUTH PLAIN LOGIN\r\n"
		    "250 OK");
	}
	if (strcasecmp(verb, "HELO") == 0) {
		smtp_reset(c);
		return smtp_reply(c, "250 fakeserver");
	}
	if (strcasecmp(verb, "AUTH") == 0)
		return smtp_auth(c, arg);
	if (strcasecmp(verb, "MAIL") == 0) {
		if ((addr = smtp_address(arg, "FROM:")) == NULL)
			return smtp_reply(c, "501 5.5.4 syntax: MAIL FROM:<address>");
		smtp_reset(c);
		if ((c->from = strdup(addr)) == NULL)
			return -1;
		c->have_from = 1;
		return smtp_reply(c, "250 2.1.0 OK");
	}
	if (strcasecmp(verb, "RCPT") == 0) {
		if (!c->have_from)
			return smtp_reply(c, "503 5.5.1 MAIL first");
		if ((addr = smtp_address(arg, "TO:")) == NULL)
			return smtp_reply(c, "501 5.5.4 syntax: RCPT TO:<address>");
		if (json_array_size(c->to) >= RCPT_MAX)
			return smtp_reply(c, "452 4.5.3 too many recipients");
		json_array_append_new(c->to, jcstr(addr));
		return smtp_reply(c, "250 2.1.5 OK");
	}
	if (strcasecmp(verb, "DATA") == 0)
		return smtp_data(c);
	if (strcasecmp(verb, "RSET") == 0) {
		smtp_reset(c);
		return smtp_reply(c, "250 2.0.0 OK");
	}
	if (strcasecmp(verb, "NOOP") == 0)
		return smtp_reply(c, "250 2.0.0 OK");
	if (strcasecmp(verb, "QUIT") == 0) {
		smtp_reply(c, "221 2.0.0 bye");
		return -1;
	}
	return smtp_reply(c, "502 5.5.2 command not recognised");
}

static void *
smtp_thread(void *arg)
{
	struct smtp *c = arg;
	int too_long;

	c->idle_end = clock_ms(CLOCK_MONOTONIC) + IDLE_SECS * 1000;
	if (smtp_reply(c, "220 fakeserver ESMTP ready") == 0) {
		/* Ends with the connection: at QUIT, end of input, an
		 * error, idleness or stopping (see smtp_read_line). */
		while (smtp_read_line(c, CMD_MAX, &too_long) == 0) {
			if (too_long) {
				if (smtp_reply(c, "500 5.5.2 line too long") < 0)
					break;
			} else if (smtp_command(c) < 0)
				break;
		}
	}
	close(c->fd);
	smtp_reset(c);
	json_decref(c->to);
	free(c->user);
	sbuf_free(&c->line);
	free(c);

	pthread_mutex_lock(&g.conn_lock);
	g.nconns--;
	pthread_cond_signal(&g.conn_cond);
	pthread_mutex_unlock(&g.conn_lock);
	return NULL;
}

static void
smtp_accept(int lfd)
{
	struct timeval tv = { .tv_sec = 10 };
	pthread_attr_t attr;
	pthread_t tid;
	struct smtp *c;
	int fd, full;

	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) < 0)
		return;
	/* A client that never reads must not hold a thread for ever. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	pthread_mutex_lock(&g.conn_lock);
	full = g.nconns >= CONN_MAX;
	if (!full)
		g.nconns++;
	pthread_mutex_unlock(&g.conn_lock);
	if (full) {
		static const char busy[] = "421 4.3.2 too many connections\r\n";

		send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL);
		close(fd);
		return;
	}
	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->to = json_array()) == NULL)
		goto fail;
	c->fd = fd;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&tid, &attr, smtp_thread, c) != 0) {
		pthread_attr_destroy(&attr);
		goto fail;
	}
	pthread_attr_destroy(&attr);
	return;
fail:
	if (c)
		json_decref(c->to);
	free(c);
	close(fd);
	pthread_mutex_lock(&g.conn_lock);
	g.nconns--;
	pthread_mutex_unlock(&g.conn_lock);
}

/* Wait (a few seconds at most) for the connection threads to finish. */
static void
smtp_drain(void)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	pthread_mutex_lock(&g.conn_lock);
	while (g.nconns > 0)
		if (pthread_cond_timedwait(&g.conn_cond, &g.conn_lock,
		    &until) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&g.conn_lock);
}

/* --- Main ---------------------------------------------------------------- */

static int
listen_loopback(long port, unsigned *bound)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int fd, one = 1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	*bound = ntohs(sa.sin_port);
	return fd;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "smtp", no_argument, NULL, 'S' },
		{ "port", required_argument, NULL, 'p' },
		{ "port-file", required_argument, NULL, 'P' },
		{ "log", required_argument, NULL, 'l' },
		{ "stats", required_argument, NULL, 's' },
		{ "script", required_argument, NULL, 'x' },
		{ "ok-body", required_argument, NULL, 'o' },
		{ "error-body", required_argument, NULL, 'e' },
		{ "rate", required_argument, NULL, 'r' },
		{ "max-time", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *script = NULL;
	int ch;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'S':
			g.smtp = 1;
			break;
		case 'p':
			if (parse_long(optarg, 0, 65535, &g.port) < 0)
				goto bad;
			break;
		case 'P':
			g.port_file = optarg;
			break;
		case 'l':
			g.log_path = optarg;
			break;
		case 's':
			g.stats_path = optarg;
			break;
		case 'x':
			script = optarg;
			break;
		case 'o':
			g.ok_body = optarg;
			break;
		case 'e':
			g.error_body = optarg;
			break;
		case 'r':
			if (parse_long(optarg, 1, RATE_MAX, &g.rate) < 0)
				goto bad;
			break;
		case 'm':
			if (parse_long(optarg, 1, 86400, &g.max_time) < 0)
				goto bad;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc)
		goto bad;
	if (script && parse_script(script) < 0)
		return -1;
	if (g.rate && g.smtp) {
		fprintf(stderr, "fakeserver: --rate is for HTTP only\n");
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "fakeserver: bad arguments (--help for usage)\n");
	return -1;
}

/* Signals, new connections (SMTP) and --max-time, until told to stop. */
static void
serve(int sfd, int lfd)
{
	int64_t deadline = clock_ms(CLOCK_MONOTONIC) + g.max_time * 1000;
	struct pollfd p[2] = {
		{ .fd = sfd, .events = POLLIN },
		{ .fd = lfd, .events = POLLIN },
	};

	while (!atomic_load(&stopping)) {
		int64_t left = deadline - clock_ms(CLOCK_MONOTONIC);
		struct signalfd_siginfo si;

		if (left <= 0) {
			fprintf(stderr, "fakeserver: --max-time reached\n");
			break;
		}
		if (poll(p, g.smtp ? 2 : 1, left < 1000 ? (int)left : 1000) < 0 &&
		    errno != EINTR)
			break;
		if ((p[0].revents & POLLIN) &&
		    read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
			if (si.ssi_signo == SIGUSR1)
				write_stats();
			else
				atomic_store(&stopping, 1);
		}
		if (g.smtp && (p[1].revents & POLLIN))
			smtp_accept(lfd);
	}
	atomic_store(&stopping, 1);
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon *d = NULL;
	unsigned port = 0;
	sigset_t sigs;
	int sfd = -1, lfd = -1, rc = 1;
	char text[32];

	if (parse_args(argc, argv) < 0) {
		free(g.script);
		return 2;
	}
	if (g.rate && (g.ring = calloc((size_t)g.rate, sizeof *g.ring)) ==
	    NULL)
		goto out;
	for (long i = 0; i < g.rate; i++)
		g.ring[i] = INT64_MIN / 2;	/* long ago */
	if (g.log_path && (g.log = fopen(g.log_path, "a")) == NULL) {
		fprintf(stderr, "fakeserver: %s: %s\n", g.log_path,
		    strerror(errno));
		goto out;
	}

	/* Blocked here, before any thread starts, so that every thread
	 * inherits the mask and only the signalfd sees these. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((sfd = signalfd(-1, &sigs, SFD_CLOEXEC)) < 0) {
		perror("fakeserver: signalfd");
		goto out;
	}

	if ((lfd = listen_loopback(g.port, &port)) < 0) {
		fprintf(stderr, "fakeserver: 127.0.0.1:%ld: %s\n", g.port,
		    strerror(errno));
		goto out;
	}
	if (!g.smtp) {
		if ((d = http_start(lfd)) == NULL) {
			fprintf(stderr, "fakeserver: cannot start HTTP\n");
			goto out;
		}
		lfd = -1;	/* MHD's now; MHD_stop_daemon closes it */
	}

	snprintf(text, sizeof text, "%u\n", port);
	if (g.port_file && write_file(g.port_file, text) < 0)
		goto out;
	printf("port %u\n", port);
	fflush(stdout);

	serve(sfd, lfd);
	rc = 0;
out:
	atomic_store(&stopping, 1);
	if (d)
		MHD_stop_daemon(d);
	if (lfd >= 0)
		close(lfd);
	if (g.smtp)
		smtp_drain();
	if (rc == 0)
		write_stats();
	if (sfd >= 0)
		close(sfd);
	if (g.log)
		fclose(g.log);
	free(g.ring);
	free(g.script);
	return rc;
}
