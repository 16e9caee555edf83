/*
 * proxy.c -- see proxy.h.
 *
 * Which headers: X-Forwarded-Proto and X-Forwarded-Host are what nginx
 * configurations set ($scheme, $host) and what Traefik sets by default
 * for trusted peers; X-Forwarded-Prefix is what Traefik's StripPrefix
 * middleware sets, and what Spring and ASP.NET read, for a prefix taken
 * off the path.  X-Forwarded-Path is not read: proxies disagree on it
 * (Kong sends the whole original path there, others the prefix), and
 * the RFC 7239 Forwarded header has no path at all.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "proxy.h"
#include "util.h"

#define PROXY_MAX_HOST		255	/* a DNS name, and a port */
#define PROXY_MAX_PREFIX	256

int
proxy_set_parse(const char *list, struct proxy_set *ps, char *err,
    size_t errlen)
{
	char *copy = xstrdup(list), *s = copy, *tok;
	char why[128];

	memset(ps, 0, sizeof *ps);
	/* One entry at a time, so that the error names the bad one. */
	while ((tok = strsep(&s, ", \t")) != NULL) {
		if (*tok == '\0')
			continue;
		if (provider_parse_nets(tok, &ps->v, &ps->n, why,
		    sizeof why) == -1) {
			snprintf(err, errlen, "\"%s\" is not an IP address or "
			    "CIDR range (\"10.0.0.0/8\", \"::1\")", tok);
			free(copy);
			proxy_set_free(ps);
			return -1;
		}
	}
	free(copy);
	return 0;
}

void
proxy_set_free(struct proxy_set *ps)
{
	free(ps->v);
	memset(ps, 0, sizeof *ps);
}

/* The header's value as the trusted peer set it: the last of a list,
 * trimmed, into out; NULL when absent, sent twice differently, empty or
 * too long. */
static const char *
forwarded(const struct http_req *req, const char *name, char *out,
    size_t outlen)
{
	const char *v, *last;
	size_t n;

	switch (http_req_trusted(req, name, &v)) {
	case 0:
		return NULL;
	case -1:
		log_debug("httpd: %s sent twice with different values from "
		    "%s: ignored", name, req->remote_addr);
		return NULL;
	}
	last = strrchr(v, ',');
	last = last ? last + 1 : v;
	last += strspn(last, " \t");
	n = strlen(last);
	while (n > 0 && (last[n - 1] == ' ' || last[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= outlen) {
		log_debug("httpd: %s from %s is empty or too long: ignored",
		    name, req->remote_addr);
		return NULL;
	}
	memcpy(out, last, n);
	out[n] = '\0';
	return out;
}

/* host, host:port, [v6], [v6]:port: nothing that could carry a path, a
 * user or a second URL. */
static int
host_ok(const char *h)
{
	const char *port;
	size_t n;

	if (*h == '[') {
		const char *rb = strchr(h, ']');
		if (rb == NULL || rb == h + 1 ||
		    strspn(h + 1, "0123456789abcdefABCDEF:.") !=
		    (size_t)(rb - h - 1))
			return 0;
		port = rb + 1;
		if (*port == '\0')
			return 1;
		if (*port != ':')
			return 0;
	} else {
		n = strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.-_");
		if (n == 0 || h[0] == '.' || h[0] == '-')
			return 0;
		port = h + n;
		if (*port == '\0')
			return 1;
		if (*port != ':')
			return 0;
	}
	port++;
	n = strspn(port, "0123456789");
	return n > 0 && n <= 5 && port[n] == '\0' && atoi(port) <= 65535;
}

/* "/sms", "/a/b": a path, no query, fragment, dot segment or blank. */
static int
prefix_ok(const char *p)
{
	static const char pchar[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%!$&'()*+,;=:@/";

	if (p[0] != '/' || p[1] == '/' || strspn(p, pchar) != strlen(p))
		return 0;
	for (const char *s = p; (s = strstr(s, "/.")) != NULL; s++)
		if (s[2] == '\0' || s[2] == '/' ||
		    (s[2] == '.' && (s[3] == '\0' || s[3] == '/')))
			return 0;
	return 1;
}

char *
proxy_url(const struct proxy_set *ps, const struct http_req *req,
    const char *base, const char *uri)
{
	char proto[16], host[PROXY_MAX_HOST + 1], prefix[PROXY_MAX_PREFIX + 1];
	const char *fproto, *fhost, *fprefix, *auth, *path;
	size_t slen, alen;

	if (ps == NULL || ps->n == 0 ||
	    !provider_nets_match(ps->v, ps->n, req->remote_addr))
		return xasprintf("%s%s", base, uri);
	fproto = forwarded(req, "X-Forwarded-Proto", proto, sizeof proto);
	fhost = forwarded(req, "X-Forwarded-Host", host, sizeof host);
	fprefix = forwarded(req, "X-Forwarded-Prefix", prefix, sizeof prefix);
	if (fproto != NULL && strcasecmp(fproto, "http") != 0 &&
	    strcasecmp(fproto, "https") != 0) {
		log_debug("httpd: X-Forwarded-Proto from %s is not http or "
		    "https: ignored", req->remote_addr);
		fproto = NULL;
	}
	if (fhost != NULL && !host_ok(fhost)) {
		log_debug("httpd: X-Forwarded-Host from %s is not host[:port]: "
		    "ignored", req->remote_addr);
		fhost = NULL;
	}
	if (fprefix != NULL) {
		size_t n = strlen(fprefix);
		while (n > 1 && fprefix[n - 1] == '/')
			prefix[--n] = '\0';
		if (!prefix_ok(fprefix)) {
			log_debug("httpd: X-Forwarded-Prefix from %s is not a "
			    "path: ignored", req->remote_addr);
			fprefix = NULL;
		} else if (strcmp(fprefix, "/") == 0)
			fprefix = "";
	}
	/* base is scheme://authority/path, as httpd made it. */
	if ((auth = strstr(base, "://")) == NULL)
		return xasprintf("%s%s", base, uri);
	slen = (size_t)(auth - base);
	auth += 3;
	alen = strcspn(auth, "/");
	path = auth + alen;
	if (fproto != NULL)
		str_lower(proto);
	return xasprintf("%.*s://%.*s%s%s", fproto ? (int)strlen(fproto) :
	    (int)slen, fproto ? fproto : base, fhost ? (int)strlen(fhost) :
	    (int)alen, fhost ? fhost : auth, fprefix ? fprefix : path, uri);
}
