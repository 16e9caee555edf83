/*
 * httpc.h -- outbound HTTP and SMTP, many at once, on libcurl's multi
 * interface.  libcurl is included by httpc.c alone.  Every transfer has a
 * connect and a total timeout, TLS verification on, and a cap on what it
 * reads back.
 */
#ifndef GATEWAY_HTTPC_H
#define GATEWAY_HTTPC_H

#include <stddef.h>

#include "http.h"
#include "util.h"

struct httpc;

struct httpc_limits {
	long	connect_timeout_ms;
	long	timeout_ms;
	size_t	max_response;		/* bytes of answer kept; more fails */
};

struct httpc_result {
	int		 status;	/* HTTP status (SMTP: 250 or the code);
					   0: no answer at all */
	struct buf	 body;		/* what came back, up to the cap */
	long		 retry_after;	/* seconds, from Retry-After; -1: none */
	char		 error[256];	/* transport trouble, when status is 0 */
};

/* An e-mail for the SMTP client. */
struct httpc_mail {
	const char	*url;		/* smtp://host:port or smtps://... */
	const char	*username;	/* NULL: no AUTH */
	const char	*password;
	int		 starttls;	/* 1: require STARTTLS */
	const char	*from;
	const char	*to;
	const char	*message;	/* headers, blank line, body (CRLF) */
};

typedef void (*httpc_done)(const struct httpc_result *, void *arg);

struct httpc	*httpc_new(const struct httpc_limits *);
void		 httpc_free(struct httpc *);

/* Start a transfer; done(result, arg) is called from httpc_run when it
 * ends, however it ends.  Everything in req is copied.  0 or -1. */
int		 httpc_start(struct httpc *, const struct http_out *req,
		    httpc_done done, void *arg);
int		 httpc_start_mail(struct httpc *, const struct httpc_mail *,
		    httpc_done done, void *arg);

/* Move transfers on, waiting up to timeout_ms for something to happen;
 * the number still running. */
int		 httpc_run(struct httpc *, int timeout_ms);

#endif
