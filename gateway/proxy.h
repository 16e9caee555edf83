/*
 * proxy.h -- the public URL of a request that came through a reverse proxy.
 *
 * Twilio and Plivo sign the URL they called.  Behind nginx or Traefik
 * that is the proxy's, not ours: [server] public_url says it once, and a
 * proxy in [server] trusted_proxies may say it per request with
 * X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-Prefix.  From any
 * other peer those headers are ignored.  Pure: no sockets, no globals.
 */
#ifndef GATEWAY_PROXY_H
#define GATEWAY_PROXY_H

#include <stddef.h>

#include "http.h"
#include "provider.h"

struct proxy_set {
	struct provider_net	*v;
	size_t			 n;
};

/* "127.0.0.1, 10.0.0.0/8, ::1" (addresses and CIDR ranges, IPv4 and
 * IPv6, separated by commas or spaces) into *ps, which the caller frees
 * with proxy_set_free; -1 with err naming the first bad entry. */
int	proxy_set_parse(const char *list, struct proxy_set *ps, char *err,
	    size_t errlen);
void	proxy_set_free(struct proxy_set *);

/*
 * The URL the caller used, for signatures: base (public_url or
 * http://listen, no trailing "/") followed by uri (the raw path and
 * query).  When req->remote_addr is in ps, a valid X-Forwarded-Proto
 * (http or https) replaces base's scheme, X-Forwarded-Host (host[:port])
 * its host and port, and X-Forwarded-Prefix (the path the proxy took
 * off, "/sms") its path.  A header with a list ("https, http") counts by
 * its last value, the one the trusted peer added; one sent twice with
 * different values, or a malformed one, is ignored (a debug line says
 * which).  Any thread; the caller frees the result.
 */
char	*proxy_url(const struct proxy_set *ps, const struct http_req *req,
	    const char *base, const char *uri);

#endif
