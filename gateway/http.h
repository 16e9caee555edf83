/*
 * http.h -- HTTP messages as the gateway's modules pass them around,
 * independent of libmicrohttpd (httpd.c) and libcurl (httpc.c), so that
 * webhook handling and every provider codec test without a socket.
 */
#ifndef GATEWAY_HTTP_H
#define GATEWAY_HTTP_H

#include <stddef.h>

#include "util.h"

#define HTTP_MAX_BODY		(64 * 1024)	/* inbound: more gets 413 */
#define HTTP_MAX_HEADERS	64

struct http_header {
	char	*name;
	char	*value;
};

/*
 * A request the gateway received.  Everything is owned by the request and
 * lives until httpd.c answers it: copy what must outlive that.
 */
struct http_req {
	const char		*method;	/* "GET", "POST" */
	const char		*path;		/* "/webhooks/main" */
	const char		*query;		/* raw, without "?"; "" if none */
	/* The URL the caller used, as the provider knows it:
	 * [server] public_url + path + ("?" query).  Signatures that cover
	 * the URL are checked against this. */
	const char		*url;
	struct http_header	*headers;
	size_t			 nheaders;
	const char		*body;		/* raw bytes, NUL-terminated */
	size_t			 body_len;
	const char		*remote_addr;	/* "127.0.0.1" */
};

/* The value of header name (case-insensitive), or NULL. */
const char	*http_req_header(const struct http_req *, const char *name);
/*
 * A header a codec's verify trusts (a signature, its timestamp, its
 * nonce).  1 with *value when it came once, or again with the same
 * value; 0 when it did not come (*value NULL); -1 when it came more than
 * once with different values (*value NULL): which copy the provider sent
 * cannot be told, so the request must be refused.
 */
int		 http_req_trusted(const struct http_req *, const char *name,
		    const char **value);

/* An answer to a request. */
#define HTTP_RESP_MAX_HEADERS	8
struct http_resp {
	int		 status;
	char		 content_type[64];	/* "" for none */
	struct buf	 body;			/* binary safe: use body.len */
	/* Headers beyond Content-Type ("X-Kannel-Coding: 2"). */
	char		 header_name[HTTP_RESP_MAX_HEADERS][32];
	char		 header_value[HTTP_RESP_MAX_HEADERS][128];
	int		 nheaders;
};
void	http_resp_init(struct http_resp *);
void	http_resp_release(struct http_resp *);
/* Add a header to the answer; -1 when there is no room. */
int	http_resp_header(struct http_resp *, const char *name,
	    const char *value);
/* Set status, content type and body text in one go. */
void	http_resp_set(struct http_resp *, int status, const char *type,
	    const char *body);

/*
 * Where a request goes.  The network: to url, through httpc.c.  The
 * terminal: nowhere; body is the message as text for whoever runs the
 * gateway, and writing it to stdout is its delivery (the fake provider's
 * deliver = print, which `make run` uses: provider_print).
 */
enum http_via { HTTP_VIA_NETWORK, HTTP_VIA_TERMINAL };

/* A request the gateway will send (built by a provider's encode). */
struct http_out {
	enum http_via	 via;		/* 0: the network */
	char		*method;	/* "POST" */
	char		*url;
	char		**headers;	/* "Name: value", NULL-terminated */
	size_t		 nheaders;
	struct buf	 body;
	char		*userpwd;	/* HTTP Basic "user:password", or NULL */
	/* The id receipts will name this message by, when the provider's
	 * answer gives none (encode chooses it: Kannel, Textlocal). */
	char		 ext_id[128];
};
void	http_out_init(struct http_out *);
void	http_out_release(struct http_out *);
void	http_out_header(struct http_out *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Form or query parameters, URL-decoded ("+" is a space). */
struct http_param {
	char	*name;
	char	*value;
	size_t	 value_len;	/* values may hold NUL bytes */
};
struct http_params {
	struct http_param	*v;
	size_t			 n;
};
/* Parse "a=1&b=two+words"; -1 on a malformed %-escape.  Appends to *p. */
int		 http_parse_form(const char *s, size_t len, struct http_params *p);
/* The first value of name, or NULL. */
const char	*http_param(const struct http_params *, const char *name);
void		 http_params_release(struct http_params *);
/* Sort by name, then value, in byte order (what signature schemes that
 * cover sorted parameters ask for); http_param_cmp is the order. */
void		 http_params_sort(struct http_params *);
int		 http_param_cmp(const void *, const void *);
/* Append s, form-encoded (RFC 3986 unreserved kept, space as %20). */
int		 http_urlencode(struct buf *, const char *s);
/* Append name=value pairs, "&"-joined, form-encoded. */
int		 http_form_add(struct buf *, const char *name, const char *value);

/* The value of a Content-Type's media type, compared without parameters:
 * http_content_type_is(req, "application/json"). */
int		 http_content_type_is(const struct http_req *, const char *type);

#endif
