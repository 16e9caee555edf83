/*
 * httpc.c -- see httpc.h.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "httpc.h"
#include "log.h"

struct xfer;

struct httpc {
	CURLM			*multi;
	struct httpc_limits	 limits;
	struct xfer		*running;	/* every transfer not yet done */
};

/* One transfer and what it owns until it ends. */
struct xfer {
	struct xfer		*next, **prevp;
	CURL			*easy;
	struct curl_slist	*headers;
	struct curl_slist	*rcpt;
	char			*payload;	/* request body or mail text */
	size_t			 payload_len;
	size_t			 payload_off;	/* mail: what was read */
	struct httpc_result	 res;
	size_t			 max_response;
	int			 too_big;
	httpc_done		 done;
	void			*arg;
	char			 errbuf[CURL_ERROR_SIZE];
};

static int curl_ready;

struct httpc *
httpc_new(const struct httpc_limits *limits)
{
	struct httpc *h = xcalloc(1, sizeof *h);

	/* Once per process, before any thread uses curl. */
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			fatal("httpc: curl_global_init failed");
		curl_ready = 1;
	}
	h->limits = *limits;
	if ((h->multi = curl_multi_init()) == NULL)
		fatal("httpc: curl_multi_init failed");
	return h;
}

static void
xfer_free(struct xfer *x)
{
	if (x->prevp) {
		*x->prevp = x->next;
		if (x->next)
			x->next->prevp = x->prevp;
	}
	curl_slist_free_all(x->headers);
	curl_slist_free_all(x->rcpt);
	if (x->easy)
		curl_easy_cleanup(x->easy);
	buf_release(&x->res.body);
	free(x->payload);
	free(x);
}

void
httpc_free(struct httpc *h)
{
	if (h == NULL)
		return;
	/* Transfers still running end here, reported as failed. */
	while (h->running) {
		struct xfer *x = h->running;
		curl_multi_remove_handle(h->multi, x->easy);
		x->res.status = 0;
		strlcpy_(x->res.error, "stopped", sizeof x->res.error);
		x->done(&x->res, x->arg);
		xfer_free(x);
	}
	curl_multi_cleanup(h->multi);
	free(h);
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	if (x->res.body.len + len > x->max_response) {
		x->too_big = 1;
		return 0;	/* makes curl fail the transfer */
	}
	buf_append(&x->res.body, data, len);
	return len;
}

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	if (len > 12 && strncasecmp(data, "Retry-After:", 12) == 0) {
		char *end;
		long v = strtol(data + 12, &end, 10);
		if (end != data + 12 && v >= 0)
			x->res.retry_after = v;
	}
	return len;
}

/* Feeds the mail text to curl's SMTP upload. */
static size_t
on_read(char *out, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t want = size * n, left = x->payload_len - x->payload_off;

	if (want > left)
		want = left;
	memcpy(out, x->payload + x->payload_off, want);
	x->payload_off += want;
	return want;
}

static struct xfer *
xfer_new(struct httpc *h, httpc_done done, void *arg)
{
	struct xfer *x = xcalloc(1, sizeof *x);

	if ((x->easy = curl_easy_init()) == NULL) {
		free(x);
		return NULL;
	}
	buf_init(&x->res.body, h->limits.max_response);
	x->res.retry_after = -1;
	x->max_response = h->limits.max_response;
	x->done = done;
	x->arg = arg;
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS,
	    h->limits.connect_timeout_ms);
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, h->limits.timeout_ms);
	curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_USERAGENT, "text-gateway/0.1");
	/* Providers are reached over http(s) and mail over smtp(s), never
	 * anything else a redirect might name. */
	curl_easy_setopt(x->easy, CURLOPT_FOLLOWLOCATION, 0L);
	return x;
}

static int
xfer_add(struct httpc *h, struct xfer *x)
{
	if (curl_multi_add_handle(h->multi, x->easy) != CURLM_OK) {
		xfer_free(x);
		return -1;
	}
	x->next = h->running;
	if (x->next)
		x->next->prevp = &x->next;
	x->prevp = &h->running;
	h->running = x;
	return 0;
}

int
httpc_start(struct httpc *h, const struct http_out *req, httpc_done done,
    void *arg)
{
	struct xfer *x = xfer_new(h, done, arg);

	if (x == NULL)
		return -1;
	curl_easy_setopt(x->easy, CURLOPT_URL, req->url);
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	for (size_t i = 0; i < req->nheaders; i++)
		x->headers = curl_slist_append(x->headers, req->headers[i]);
	/* No "Expect: 100-continue" round trip for small bodies. */
	x->headers = curl_slist_append(x->headers, "Expect:");
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
	if (req->userpwd) {
		curl_easy_setopt(x->easy, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(x->easy, CURLOPT_USERPWD, req->userpwd);
	}
	if (req->method && strcmp(req->method, "GET") == 0)
		curl_easy_setopt(x->easy, CURLOPT_HTTPGET, 1L);
	else {
		x->payload = xstrndup(req->body.data ? req->body.data : "",
		    req->body.len);
		x->payload_len = req->body.len;
		curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, x->payload);
		curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE,
		    (long)x->payload_len);
		if (req->method && strcmp(req->method, "POST") != 0)
			curl_easy_setopt(x->easy, CURLOPT_CUSTOMREQUEST,
			    req->method);
	}
	return xfer_add(h, x);
}

int
httpc_start_mail(struct httpc *h, const struct httpc_mail *m, httpc_done done,
    void *arg)
{
	struct xfer *x = xfer_new(h, done, arg);

	if (x == NULL)
		return -1;
	curl_easy_setopt(x->easy, CURLOPT_URL, m->url);
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if (m->starttls)
		curl_easy_setopt(x->easy, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (m->username) {
		curl_easy_setopt(x->easy, CURLOPT_USERNAME, m->username);
		curl_easy_setopt(x->easy, CURLOPT_PASSWORD,
		    m->password ? m->password : "");
	}
	curl_easy_setopt(x->easy, CURLOPT_MAIL_FROM, m->from);
	x->rcpt = curl_slist_append(NULL, m->to);
	curl_easy_setopt(x->easy, CURLOPT_MAIL_RCPT, x->rcpt);
	x->payload = xstrdup(m->message);
	x->payload_len = strlen(m->message);
	curl_easy_setopt(x->easy, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(x->easy, CURLOPT_READDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_UPLOAD, 1L);
	return xfer_add(h, x);
}

int
httpc_run(struct httpc *h, int timeout_ms)
{
	struct CURLMsg *msg;
	int running = 0, left;

	curl_multi_perform(h->multi, &running);
	/* Waits even with nothing running: the caller asked for a pause. */
	curl_multi_poll(h->multi, NULL, 0, timeout_ms, NULL);
	curl_multi_perform(h->multi, &running);
	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		struct xfer *x = NULL;
		long code = 0;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
		if (msg->data.result == CURLE_OK)
			x->res.status = (int)code;
		else if (code >= 400 && strncmp(x->errbuf, "", 1) != 0 &&
		    x->rcpt != NULL) {
			/* SMTP refused: its reply code says whether for good. */
			x->res.status = (int)code;
			snprintf(x->res.error, sizeof x->res.error, "%s",
			    x->errbuf);
		} else {
			/* No usable answer: status 0, and why. */
			x->res.status = 0;
			snprintf(x->res.error, sizeof x->res.error, "%s",
			    x->too_big ? "answer too large" : x->errbuf[0] ?
			    x->errbuf : curl_easy_strerror(msg->data.result));
		}
		curl_multi_remove_handle(h->multi, msg->easy_handle);
		x->done(&x->res, x->arg);
		xfer_free(x);
	}
	return running;
}
