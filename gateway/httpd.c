/*
 * httpd.c -- libmicrohttpd glue, and nothing else: per-connection state, the
 * body cap, a struct http_req for the router, the answer back.
 *
 * A request that must be written is suspended (MHD_suspend_connection)
 * while the writer commits its batch, so a waiting request holds no
 * thread and a batch can be as large as the number of open connections.
 *
 * libmicrohttpd's timeout is an idle timeout: a client sending a byte every
 * few seconds would hold its connection for ever, and enough of them hold
 * every slot (slowloris).  So each connection also has a deadline for the
 * request it is on, kept here and enforced by a sweeper thread, and one
 * address may hold only so many connections.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "httpd.h"
#include "log.h"
#include "metrics.h"
#include "proxy.h"
#include "router.h"
#include "util.h"

enum conn_state { CONN_READING, CONN_WAITING, CONN_DONE, CONN_ANSWERED };

struct conn {
	struct httpd		*h;
	struct MHD_Connection	*mc;
	char			*uri;		/* raw: path and query */
	struct buf		 body;
	int			 started;	/* headers seen */
	int			 too_large;
	enum conn_state		 state;
	struct pending		 pend;	/* live from ROUTE_WAIT to finish */
	uint64_t		 t0;	/* now_ns() at the request line */
};

/* One TCP connection, from libmicrohttpd's STARTED to its CLOSED
 * notification (which comes before it closes the socket, so that a
 * shutdown under socks_lock can never hit a reused descriptor). */
struct sock {
	struct sock		*next, **prevp;
	int			 fd;
	uint64_t		 since;		/* now_ns() the request began */
	int			 waiting;	/* on the writer: not its fault */
	int			 dropped;
};

struct httpd {
	struct MHD_Daemon	*d;
	struct app		*app;
	char			*public_url;	/* no trailing "/" */
	struct proxy_set	 proxies;	/* trusted_proxies */
	int			 port;
	pthread_mutex_t		 lock;
	int			 in_flight;	/* requests being answered */

	pthread_mutex_t		 socks_lock;
	pthread_cond_t		 sweep_wake;
	struct sock		*socks;
	uint64_t		 deadline_ns;
	int			 stopping;
	_Atomic uint64_t	 swept_ns;	/* the sweeper's last round */
	pthread_t		 sweeper;
};

static struct sock *
conn_sock(struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(mc,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

/* The request on this connection starts its clock again (waiting 0) or
 * stops it while the writer has it (waiting 1). */
static void
sock_clock(struct httpd *h, struct MHD_Connection *mc, int waiting)
{
	struct sock *s = conn_sock(mc);

	if (s == NULL)
		return;
	pthread_mutex_lock(&h->socks_lock);
	s->waiting = waiting;
	s->since = now_ns();
	pthread_mutex_unlock(&h->socks_lock);
}

static void
notify_connection(void *cls, struct MHD_Connection *mc, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct httpd *h = cls;
	struct sock *s;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(mc,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		s = xcalloc(1, sizeof *s);
		s->fd = ci ? ci->connect_fd : -1;
		s->since = now_ns();
		pthread_mutex_lock(&h->socks_lock);
		if ((s->next = h->socks) != NULL)
			s->next->prevp = &s->next;
		s->prevp = &h->socks;
		h->socks = s;
		pthread_mutex_unlock(&h->socks_lock);
		*socket_context = s;
	} else if ((s = *socket_context) != NULL) {
		pthread_mutex_lock(&h->socks_lock);
		if (s->next)
			s->next->prevp = s->prevp;
		*s->prevp = s->next;
		pthread_mutex_unlock(&h->socks_lock);
		free(s);
		*socket_context = NULL;
	}
}

/* Shut down connections whose request has taken longer than the deadline;
 * libmicrohttpd then sees the end of the stream and closes them. */
static void *
sweeper(void *arg)
{
	struct httpd *h = arg;
	struct timespec ts;

	pthread_setname_np(pthread_self(), "sweeper");
	pthread_mutex_lock(&h->socks_lock);
	while (!h->stopping) {
		uint64_t now = now_ns();
		int n = 0;

		h->swept_ns = now;
		for (struct sock *s = h->socks; s; s = s->next)
			if (!s->waiting && !s->dropped && s->fd >= 0 &&
			    now - s->since > h->deadline_ns) {
				shutdown(s->fd, SHUT_RDWR);
				s->dropped = 1;
				n++;
			}
		if (n)
			log_warn("httpd: dropped %d connection%s past the "
			    "request deadline", n, n == 1 ? "" : "s");
		deadline_after_ms(&ts, 250);
		pthread_cond_timedwait(&h->sweep_wake, &h->socks_lock, &ts);
	}
	pthread_mutex_unlock(&h->socks_lock);
	return NULL;
}

/* Called by MHD with the raw request line's URI before anything else:
 * the only place the undecoded query string can be had. */
static void *
uri_logger(void *cls, const char *uri, struct MHD_Connection *mc)
{
	struct conn *c = xcalloc(1, sizeof *c);

	c->h = cls;
	c->mc = mc;
	c->uri = xstrdup(uri ? uri : "/");
	c->t0 = now_ns();
	buf_init(&c->body, HTTP_MAX_BODY);
	c->state = CONN_READING;
	pthread_mutex_lock(&c->h->lock);
	c->h->in_flight++;
	pthread_mutex_unlock(&c->h->lock);
	return c;
}

static void
completed(void *cls, struct MHD_Connection *mc, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct conn *c = *con_cls;

	if (c == NULL)
		return;
	metrics_request(now_ns() - c->t0);
	/* Ended while waiting (the server stopping): the route lets go. */
	if (c->state == CONN_WAITING || c->state == CONN_DONE)
		c->pend.cancel(&c->pend);
	/* A kept-alive connection's next request gets a deadline of its own. */
	sock_clock(c->h, mc, 0);
	pthread_mutex_lock(&c->h->lock);
	c->h->in_flight--;
	pthread_mutex_unlock(&c->h->lock);
	buf_release(&c->body);
	free(c->uri);
	free(c);
	*con_cls = NULL;
}

static enum MHD_Result
respond(struct MHD_Connection *mc, const struct http_resp *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(r->body.len,
	    r->body.data ? r->body.data : (void *)(uintptr_t)"",
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	if (r->content_type[0])
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	for (int i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->header_name[i],
		    r->header_value[i]);
	ret = MHD_queue_response(mc, (unsigned int)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
simple(struct MHD_Connection *mc, int status, const char *text)
{
	struct http_resp r;
	enum MHD_Result ret;

	http_resp_init(&r);
	http_resp_set(&r, status, "text/plain", text);
	ret = respond(mc, &r);
	http_resp_release(&r);
	return ret;
}

struct header_list {
	struct http_header	*v;
	size_t			 n;
};

static enum MHD_Result
collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct header_list *l = cls;

	if (l->n == HTTP_MAX_HEADERS + 1)
		return MHD_NO;
	l->v[l->n].name = (char *)(uintptr_t)key;
	l->v[l->n].value = (char *)(uintptr_t)(value ? value : "");
	l->n++;
	return MHD_YES;
}

/* From the writer's thread. */
static void
resume(void *arg)
{
	struct conn *c = arg;

	c->state = CONN_DONE;
	/* Writing the answer gets a deadline of its own. */
	sock_clock(c->h, c->mc, 0);
	MHD_resume_connection(c->mc);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *mc, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct httpd *h = cls;
	struct conn *c = *con_cls;
	struct http_header headers[HTTP_MAX_HEADERS + 1];	/* +1: too many */
	struct header_list hl = { headers, 0 };
	const union MHD_ConnectionInfo *ci;
	char addr[INET6_ADDRSTRLEN] = "";
	struct http_req req;
	struct http_resp resp;
	enum MHD_Result ret;

	if (c == NULL)
		return MHD_NO;
	if (c->state == CONN_DONE) {
		/* Resumed: the work is done; the route words the answer. */
		http_resp_init(&resp);
		c->pend.finish(&c->pend, &resp);
		c->state = CONN_ANSWERED;
		ret = respond(mc, &resp);
		http_resp_release(&resp);
		return ret;
	}
	if (c->state == CONN_WAITING || c->state == CONN_ANSWERED)
		return MHD_YES;
	if (!c->started) {
		/* The headers are in; the body, if any, comes next. */
		const char *cl = MHD_lookup_connection_value(mc,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		c->started = 1;
		if (cl && strtoull(cl, NULL, 10) > HTTP_MAX_BODY)
			return simple(mc, 413, "body too large\n");
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		/* Keep reading past the cap, so that the client gets its 413
		 * rather than a reset, but keep nothing. */
		if (!c->too_large &&
		    buf_append(&c->body, upload_data, *upload_data_size) == -1)
			c->too_large = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (c->too_large)
		return simple(mc, 413, "body too large\n");

	if (MHD_get_connection_values(mc, MHD_HEADER_KIND, collect_header,
	    &hl) < 0 || hl.n > HTTP_MAX_HEADERS)
		return simple(mc, 431, "too many headers\n");
	ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)
			    (const void *)sa)->sin_addr, addr, sizeof addr);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
			    (const void *)sa)->sin6_addr, addr, sizeof addr);
	}

	char *q = strchr(c->uri, '?');
	char *path = xstrndup(c->uri, q ? (size_t)(q - c->uri) : strlen(c->uri));
	memset(&req, 0, sizeof req);
	req.method = method;
	req.path = path;
	req.query = q ? q + 1 : "";
	req.headers = headers;
	req.nheaders = hl.n;
	req.body = c->body.data ? c->body.data : "";
	req.body_len = c->body.len;
	req.remote_addr = addr;
	char *full = proxy_url(&h->proxies, &req, h->public_url, c->uri);
	req.url = full;

	http_resp_init(&resp);
	c->pend.resume = resume;
	c->pend.resume_arg = c;
	if (router_dispatch(h->app, &req, &resp, &c->pend) == ROUTE_WAIT) {
		c->state = CONN_WAITING;
		sock_clock(h, mc, 1);
		MHD_suspend_connection(mc);
		c->pend.start(&c->pend);	/* after the suspend: see app.h */
		ret = MHD_YES;
	} else
		ret = respond(mc, &resp);
	http_resp_release(&resp);
	free(path);
	free(full);
	return ret;
}

/* "127.0.0.1:8080", "[::1]:8080", ":8080" */
static int
parse_listen(const char *text, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[128];
	const char *colon = strrchr(text, ':');
	long port;
	char *end;

	memset(ss, 0, sizeof *ss);
	if (colon == NULL || (size_t)(colon - text) >= sizeof host)
		return -1;
	memcpy(host, text, (size_t)(colon - text));
	host[colon - text] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || end == colon + 1 || port < 0 || port > 65535)
		return -1;
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		host[strlen(host) - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
			return -1;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof *s6;
		return 0;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	if (host[0] == '\0')
		s4->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
		return -1;
	*len = sizeof *s4;
	return 0;
}

int
httpd_listen_loopback(const char *listen)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (parse_listen(listen, &ss, &len) == -1)
		return 0;
	if (ss.ss_family == AF_INET)
		return (ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr) >>
		    24) == 127;
	const struct in6_addr *a = &((struct sockaddr_in6 *)&ss)->sin6_addr;
	return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) &&
	    a->s6_addr[12] == 127);
}

struct httpd *
httpd_start(const struct config *cf, struct app *app)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct httpd *h;
	const union MHD_DaemonInfo *info;
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC;

	if (parse_listen(cf->listen, &ss, &sslen) == -1) {
		log_error("httpd: listen: \"%s\" is not host:port", cf->listen);
		return NULL;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
#ifdef __linux__
	flags |= MHD_USE_EPOLL;
#endif
	h = xcalloc(1, sizeof *h);
	h->app = app;
	pthread_mutex_init(&h->lock, NULL);
	pthread_mutex_init(&h->socks_lock, NULL);
	pthread_cond_init(&h->sweep_wake, NULL);
	h->deadline_ns = (uint64_t)(cf->request_timeout * 1e9);
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, handle, h,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cf->threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cf->max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned int)cf->max_connections_per_ip,
	    MHD_OPTION_NOTIFY_CONNECTION, notify_connection, h,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cf->timeout,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)cf->max_connections,
	    /* The pool holds the request line, the headers and the answer's
	     * headers (the body is buffered here, not there), and is
	     * cleared per request: 32 KiB is what nginx allows a request's
	     * headers, and clearing more cost 4.7% of all CPU at 128 KiB. */
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
	    MHD_OPTION_URI_LOG_CALLBACK, uri_logger, h,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, h,
	    MHD_OPTION_END);
	if (h->d == NULL) {
		log_error("httpd: cannot listen on %s", cf->listen);
		goto fail;
	}
	h->swept_ns = now_ns();
	if (pthread_create(&h->sweeper, NULL, sweeper, h) != 0) {
		log_error("httpd: cannot start the sweeper thread");
		MHD_stop_daemon(h->d);
		goto fail;
	}
	char perr[256];
	if (proxy_set_parse(cf->trusted_proxies, &h->proxies, perr,
	    sizeof perr) == -1)
		log_error("httpd: trusted_proxies: %s", perr);	/* checked at load */
	info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : 0;
	if (cf->public_url[0]) {
		h->public_url = xstrdup(cf->public_url);
		size_t n = strlen(h->public_url);
		while (n > 0 && h->public_url[n - 1] == '/')
			h->public_url[--n] = '\0';
	} else {
		char host[128];
		strlcpy_(host, cf->listen, sizeof host);
		*strrchr(host, ':') = '\0';
		h->public_url = xasprintf("http://%s:%d", host[0] ? host :
		    "localhost", h->port);
	}
	return h;
fail:
	pthread_cond_destroy(&h->sweep_wake);
	pthread_mutex_destroy(&h->socks_lock);
	pthread_mutex_destroy(&h->lock);
	free(h);
	return NULL;
}

int
httpd_port(const struct httpd *h)
{
	return h->port;
}

int
httpd_alive(const struct httpd *h)
{
	/* The sweeper goes round every 250 ms holding the lock that every
	 * connection's open and close takes: five seconds without a round
	 * is a wedged server. */
	return now_ns() - h->swept_ns < 5 * 1000000000ULL ? 0 : -1;
}

void
httpd_stop(struct httpd *h, int grace_seconds)
{
	if (h == NULL)
		return;
	/* Stop taking connections; let those in flight finish. */
	MHD_quiesce_daemon(h->d);
	for (int i = 0; i < grace_seconds * 20; i++) {
		pthread_mutex_lock(&h->lock);
		int busy = h->in_flight;
		pthread_mutex_unlock(&h->lock);
		if (busy == 0)
			break;
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	pthread_mutex_lock(&h->socks_lock);
	h->stopping = 1;
	pthread_cond_signal(&h->sweep_wake);
	pthread_mutex_unlock(&h->socks_lock);
	pthread_join(h->sweeper, NULL);
	MHD_stop_daemon(h->d);
	pthread_cond_destroy(&h->sweep_wake);
	pthread_mutex_destroy(&h->socks_lock);
	pthread_mutex_destroy(&h->lock);
	free(h->public_url);
	proxy_set_free(&h->proxies);
	free(h);
}
