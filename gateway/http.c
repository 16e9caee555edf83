/*
 * http.c -- see http.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

const char *
http_req_header(const struct http_req *req, const char *name)
{
	for (size_t i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

int
http_req_trusted(const struct http_req *req, const char *name,
    const char **value)
{
	const char *v = NULL;

	*value = NULL;
	for (size_t i = 0; i < req->nheaders; i++) {
		if (strcasecmp(req->headers[i].name, name) != 0)
			continue;
		if (v != NULL && strcmp(v, req->headers[i].value) != 0)
			return -1;
		v = req->headers[i].value;
	}
	*value = v;
	return v != NULL;
}

int
http_content_type_is(const struct http_req *req, const char *type)
{
	const char *ct = http_req_header(req, "Content-Type");
	size_t n = strlen(type);

	if (ct == NULL)
		return 0;
	while (*ct == ' ')
		ct++;
	return strncasecmp(ct, type, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

void
http_resp_init(struct http_resp *r)
{
	memset(r, 0, sizeof *r);
	r->status = 200;
	buf_init(&r->body, 0);
}

void
http_resp_release(struct http_resp *r)
{
	buf_release(&r->body);
}

int
http_resp_header(struct http_resp *r, const char *name, const char *value)
{
	if (r->nheaders == HTTP_RESP_MAX_HEADERS)
		return -1;
	strlcpy_(r->header_name[r->nheaders], name, sizeof r->header_name[0]);
	strlcpy_(r->header_value[r->nheaders], value,
	    sizeof r->header_value[0]);
	r->nheaders++;
	return 0;
}

void
http_resp_set(struct http_resp *r, int status, const char *type,
    const char *body)
{
	r->status = status;
	strlcpy_(r->content_type, type ? type : "", sizeof r->content_type);
	buf_reset(&r->body);
	if (body)
		buf_puts(&r->body, body);
}

void
http_out_init(struct http_out *o)
{
	memset(o, 0, sizeof *o);
	buf_init(&o->body, 0);
	o->headers = xcalloc(1, sizeof *o->headers);
}

void
http_out_release(struct http_out *o)
{
	free(o->method);
	free(o->url);
	for (size_t i = 0; i < o->nheaders; i++)
		free(o->headers[i]);
	free(o->headers);
	free(o->userpwd);
	buf_release(&o->body);
	memset(o, 0, sizeof *o);
}

void
http_out_header(struct http_out *o, const char *fmt, ...)
{
	va_list ap;
	char *h;

	va_start(ap, fmt);
	if (vasprintf(&h, fmt, ap) == -1)
		h = NULL;
	va_end(ap);
	if (h == NULL)
		return;
	o->headers = xrealloc(o->headers, (o->nheaders + 2) * sizeof *o->headers);
	o->headers[o->nheaders++] = h;
	o->headers[o->nheaders] = NULL;
}

static int
hexdigit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* URL-decode s[0..len) into a new string; -1 on a bad escape. */
static int
urldecode(const char *s, size_t len, char **out, size_t *outlen)
{
	char *d = xmalloc(len + 1);
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '+')
			d[n++] = ' ';
		else if (s[i] == '%') {
			int hi, lo;
			if (i + 2 >= len || (hi = hexdigit(s[i + 1])) < 0 ||
			    (lo = hexdigit(s[i + 2])) < 0) {
				free(d);
				return -1;
			}
			d[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else
			d[n++] = s[i];
	}
	d[n] = '\0';
	*out = d;
	*outlen = n;
	return 0;
}

int
http_parse_form(const char *s, size_t len, struct http_params *p)
{
	const char *end = s + len;

	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *pair_end = amp ? amp : end;
		const char *eq = memchr(s, '=', (size_t)(pair_end - s));
		char *name, *value;
		size_t nlen, vlen;

		if (pair_end == s) {		/* "a=1&&b=2" */
			s = pair_end + 1;
			continue;
		}
		if (urldecode(s, (size_t)((eq ? eq : pair_end) - s), &name,
		    &nlen) == -1)
			return -1;
		if (eq == NULL) {
			value = xstrdup("");
			vlen = 0;
		} else if (urldecode(eq + 1, (size_t)(pair_end - eq - 1),
		    &value, &vlen) == -1) {
			free(name);
			return -1;
		}
		p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
		p->v[p->n].name = name;
		p->v[p->n].value = value;
		p->v[p->n].value_len = vlen;
		p->n++;
		s = pair_end + (amp != NULL);
	}
	return 0;
}

const char *
http_param(const struct http_params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return p->v[i].value;
	return NULL;
}

void
http_params_release(struct http_params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].value);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

int
http_urlencode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			if (buf_append(b, s, 1) == -1)
				return -1;
		} else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
			if (buf_append(b, esc, 3) == -1)
				return -1;
		}
	}
	return 0;
}

int
http_form_add(struct buf *b, const char *name, const char *value)
{
	if ((b->len && buf_puts(b, "&") == -1) || http_urlencode(b, name) == -1 ||
	    buf_puts(b, "=") == -1)
		return -1;
	return http_urlencode(b, value ? value : "");
}

int
http_param_cmp(const void *a, const void *b)
{
	const struct http_param *x = a, *y = b;
	size_t n = x->value_len < y->value_len ? x->value_len : y->value_len;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	if ((c = memcmp(x->value, y->value, n)) != 0)
		return c;
	return (x->value_len > y->value_len) - (x->value_len < y->value_len);
}

void
http_params_sort(struct http_params *p)
{
	if (p->n > 1)
		qsort(p->v, p->n, sizeof *p->v, http_param_cmp);
}
