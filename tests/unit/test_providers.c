/*
 * test_providers.c -- every provider codec's contract, as data.
 *
 * Each directory tests/providers/NAME/ (NAME: the type in gateway.conf)
 * holds a file "provider" (what the codec says of itself, and the checks
 * derived from every accepted request) and files of cases; README.md
 * there describes the format.  This program reads them all, runs every
 * case through the codec and prints "N passed, N failed" (cases).
 *
 * The data says nothing of the C interface: the wrappers below are the
 * one place that knows how a codec is called.
 */
#include <ctype.h>
#include <dirent.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "provider.h"
#include "util.h"

/* --- the provider interface, wrapped --------------------------------- */

static int
w_configure(struct provider *p, const struct provider_ops *ops,
    const struct config_block *cb, char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	p->ops = ops;
	snprintf(p->name, sizeof p->name, "main");
	err[0] = '\0';
	return provider_configure(p, cb, err, errlen);
}

static void
w_release(struct provider *p)
{
	p->ops->release(p);
}

static enum verify_result
w_verify(const struct provider *p, const struct http_req *req, int64_t now)
{
	return provider_verify(p, req, now);
}

static enum decode_result
w_decode(const struct provider *p, const struct http_req *req,
    struct inbound *in)
{
	memset(in, 0, sizeof *in);
	return provider_decode(p, req, in);
}

static enum decode_result
w_status(const struct provider *p, const struct http_req *req,
    struct delivery *d)
{
	memset(d, 0, sizeof *d);
	return provider_decode_status(p, req, d);
}

static int
w_has_status(const struct provider_ops *ops)
{
	return ops->decode_status != NULL;
}

static void
w_ack(const struct provider *p, const struct reply_ends *to,
    const char *reply, struct http_resp *resp)
{
	provider_ack(p, to, reply, resp);
}

static int
w_encode(const struct provider *p, const struct outbound *out,
    struct http_out *req, char *err, size_t errlen)
{
	err[0] = '\0';
	return provider_encode(p, out, req, err, errlen);
}

static enum send_result
w_result(const struct provider *p, int status, const char *body, size_t len,
    char *id, size_t idlen, char *err, size_t errlen)
{
	if (idlen > 0)
		id[0] = '\0';
	err[0] = '\0';
	return provider_result(p, status, body, len, id, idlen, err, errlen);
}

/* --- reading the data ------------------------------------------------ */

#define MAXSECT		12
#define MAXLINES	256

struct sect {
	char	name[32];
	char	*text;		/* decoded content, NUL-terminated */
	size_t	 len;
};

struct chunk {			/* a file's defaults, or one case */
	char		 title[128];
	int		 line;
	struct sect	 s[MAXSECT];
	int		 n;
};

static int	 npass, nfail, nchecks;
static char	 where[8192];	/* "file: title" of the case running */
static int	 case_failed;

static void
vreport(const char *fmt, va_list ap)
{
	fprintf(stderr, "FAIL %s: ", where);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	case_failed = 1;
}

/* A failure of the case running. */
static void
failf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

/* One check: ok, or a failure saying what differed. */
static void
check(int ok, const char *fmt, ...)
{
	va_list ap;

	nchecks++;
	if (ok)
		return;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

/*
 * Append s[0..n) to b, turning %hex[41 0a]% into its bytes and
 * %repeat[N x TEXT]% into N copies of TEXT (itself decoded).  *used is
 * how far it read (to a "]%" closing a repeat, when inner).
 */
static void
unescape(struct buf *b, const char *s, size_t n, int inner, size_t *used)
{
	size_t i = 0;

	while (i < n) {
		if (inner && i + 1 < n && s[i] == ']' && s[i + 1] == '%') {
			*used = i + 2;
			return;
		}
		if (n - i > 5 && memcmp(s + i, "%hex[", 5) == 0) {
			i += 5;
			while (i < n && s[i] != ']') {
				if (isxdigit((unsigned char)s[i]) && i + 1 < n) {
					char h[3] = { s[i], s[i + 1], 0 };
					char c = (char)strtol(h, NULL, 16);
					buf_append(b, &c, 1);
					i += 2;
				} else
					i++;
			}
			i += 2;		/* "]%" */
			continue;
		}
		if (n - i > 8 && memcmp(s + i, "%repeat[", 8) == 0) {
			char *end;
			long k = strtol(s + i + 8, &end, 10);
			struct buf unit;
			size_t u = 0;

			i = (size_t)(end - s) + 3;	/* " x " */
			buf_init(&unit, 0);
			unescape(&unit, s + i, n - i, 1, &u);
			for (long r = 0; r < k; r++)
				buf_append(b, unit.data ? unit.data : "",
				    unit.len);
			buf_release(&unit);
			i += u;
			continue;
		}
		buf_append(b, s + i, 1);
		i++;
	}
	*used = n;
}

static char *
decode_text(const char *s, size_t n, size_t *len)
{
	struct buf b;
	size_t used;

	buf_init(&b, 0);
	buf_append(&b, "", 0);
	unescape(&b, s, n, 0, &used);
	if (b.data == NULL)
		buf_append(&b, "", 0);
	if (len)
		*len = b.len;
	return b.data ? b.data : strdup("");
}

/* Raw content of a section: the lines between its tags, without the
 * newline before the end tag. */
static int
read_chunks(const char *path, struct chunk *v, int max)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, open[40] = "";
	size_t cap = 0;
	ssize_t got;
	struct buf raw;
	int n = 0, lineno = 0, in = 0;

	if (f == NULL)
		return -1;
	memset(&v[0], 0, sizeof v[0]);
	snprintf(v[0].title, sizeof v[0].title, "(defaults)");
	buf_init(&raw, 0);
	while ((got = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (got > 0 && line[got - 1] == '\n')
			line[--got] = '\0';
		if (in) {
			if (strcmp(line, open) == 0) {
				struct chunk *c = &v[n];
				struct sect *s = &c->s[c->n++];
				snprintf(s->name, sizeof s->name, "%.*s",
				    (int)strlen(open) - 3, open + 2);
				s->text = malloc(raw.len + 1);
				memcpy(s->text, raw.data ? raw.data : "", raw.len);
				s->len = raw.len;
				s->text[s->len] = '\0';
				/* The newline before the end tag is not content. */
				if (s->len > 0 && s->text[s->len - 1] == '\n')
					s->text[--s->len] = '\0';
				in = 0;
				continue;
			}
			buf_append(&raw, line, (size_t)got);
			buf_append(&raw, "\n", 1);
			continue;
		}
		if (strncmp(line, "=== ", 4) == 0) {
			if (++n >= max)
				break;
			memset(&v[n], 0, sizeof v[n]);
			snprintf(v[n].title, sizeof v[n].title, "%s", line + 4);
			v[n].line = lineno;
		} else if (line[0] == '<' && line[got - 1] == '>' &&
		    v[n].n < MAXSECT) {
			snprintf(open, sizeof open, "</%.*s>", (int)got - 2,
			    line + 1);
			raw.len = 0;
			in = 1;
		}
	}
	free(line);
	buf_release(&raw);
	fclose(f);
	return n + 1;
}

static const struct sect *
find(const struct chunk *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->s[i].name, name) == 0)
			return &c->s[i];
	return NULL;
}

/* A section as head lines (decoded), then, after an empty line, a body. */
struct msg {
	char	*line[MAXLINES];
	int	 nline;
	char	*body;		/* NULL: no empty line, no body */
	size_t	 body_len;
};

static void
msg_parse(struct msg *m, const struct sect *s)
{
	const char *p = s ? s->text : "", *end = p + (s ? s->len : 0);

	memset(m, 0, sizeof *m);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n == 0) {
			const char *b = nl ? nl + 1 : end;
			m->body = decode_text(b, (size_t)(end - b), &m->body_len);
			return;
		}
		if (m->nline < MAXLINES)
			m->line[m->nline++] = decode_text(p, n, NULL);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

static void
msg_free(struct msg *m)
{
	for (int i = 0; i < m->nline; i++)
		free(m->line[i]);
	free(m->body);
}

/* The value of "key: value" among the head lines, or NULL. */
static const char *
msg_get(const struct msg *m, const char *key)
{
	size_t n = strlen(key);

	for (int i = 0; i < m->nline; i++)
		if (strncmp(m->line[i], key, n) == 0 &&
		    m->line[i][n] == ':')
			return m->line[i][n + 1] == ' ' ? m->line[i] + n + 2 :
			    m->line[i] + n + 1;
	return NULL;
}

/* --- one case -------------------------------------------------------- */

struct derive {
	int	 tamper_body;
	char	 secret[8][64];
	int	 nsecret;
};

struct req {
	struct http_req		r;
	struct http_header	h[HTTP_MAX_HEADERS];
	char			*method, *url, *query, *body;
	int64_t			 now;
};

static void
req_build(struct req *q, const struct msg *m)
{
	char *sp;

	memset(q, 0, sizeof *q);
	q->method = strdup(m->nline ? m->line[0] : "GET");
	if ((sp = strchr(q->method, ' ')) != NULL) {
		*sp = '\0';
		q->url = strcmp(sp + 1, "-") ? strdup(sp + 1) : NULL;
	}
	q->query = strdup(q->url && strchr(q->url, '?') ?
	    strchr(q->url, '?') + 1 : "");
	for (int i = 1; i < m->nline; i++) {
		char *l = m->line[i], *c;

		if (strncmp(l, ":query: ", 8) == 0) {
			free(q->query);
			q->query = strdup(l + 8);
		} else if (strncmp(l, ":time: ", 7) == 0)
			q->now = strtoll(l + 7, NULL, 10);
		else if ((c = strchr(l + 1, ':')) != NULL &&
		    q->r.nheaders < HTTP_MAX_HEADERS) {
			struct http_header *h = &q->h[q->r.nheaders++];
			h->name = strndup(l, (size_t)(c - l));
			h->value = strdup(c[1] == ' ' ? c + 2 : c + 1);
		}
	}
	if (m->body) {
		q->body = malloc(m->body_len + 1);
		memcpy(q->body, m->body, m->body_len + 1);
		q->r.body_len = m->body_len;
	} else
		q->body = strdup("");
	q->r.method = q->method;
	q->r.url = q->url;
	q->r.path = "/webhooks/main";
	q->r.query = q->query;
	q->r.headers = q->h;
	q->r.body = q->body;
	q->r.remote_addr = "127.0.0.1";
}

static void
req_free(struct req *q)
{
	for (size_t i = 0; i < q->r.nheaders; i++) {
		free(q->h[i].name);
		free(q->h[i].value);
	}
	free(q->method);
	free(q->url);
	free(q->query);
	free(q->body);
}

static const char *const verify_names[] = { "ok", "bad", "error" };
static const char *const decode_names[] = { "message", "ignore", "part",
    "malformed" };
static const char *const send_names[] = {
	[SEND_OK] = "ok", [SEND_RETRY] = "retry", [SEND_FAIL] = "fail",
	[SEND_OPTED_OUT] = "opted-out",
};
static const char *const state_names[] = { "pending", "delivered",
    "failed" };

static int
name_index(const char *const *v, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (s && strcmp(v[i], s) == 0)
			return i;
	return -1;
}

/* A configuration from "key=value" lines. */
struct conf {
	struct config_pair	 pair[32];
	struct config_block	 cb;
	char			*copy[32];
	char			*file[32];	/* written for the case */
	size_t			 nfile;
};

static char	 tmpdir[64];

/* A value "%file[NAME]%": the path of a file holding section
 * <file NAME> of the case or of its file's defaults. */
static char *
conf_file(const char *v, const struct chunk *c, const struct chunk *defaults)
{
	char name[64], sname[80], *path;
	const struct sect *s;
	FILE *f;

	if (sscanf(v, "%%file[%63[^]]]%%", name) != 1)
		return NULL;
	snprintf(sname, sizeof sname, "file %s", name);
	if ((s = find(c, sname)) == NULL && (s = find(defaults, sname)) == NULL)
		return NULL;
	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof tmpdir, "/tmp/test-providers-XXXXXX");
		if (mkdtemp(tmpdir) == NULL)
			return NULL;
	}
	path = xasprintf("%s/%s", tmpdir, name);
	if ((f = fopen(path, "w")) != NULL) {
		size_t n;
		char *text = decode_text(s->text, s->len, &n);
		fwrite(text, 1, n, f);
		fclose(f);
		free(text);
	}
	return path;
}

static void
conf_build(struct conf *c, const struct sect *s, const struct chunk *cc,
    const struct chunk *defaults)
{
	struct msg m;
	char *path;

	memset(c, 0, sizeof *c);
	c->cb.kind = (char *)(uintptr_t)"provider";
	c->cb.name = (char *)(uintptr_t)"main";
	c->cb.line = 1;
	c->cb.pairs = c->pair;
	msg_parse(&m, s);
	for (int i = 0; i < m.nline && c->cb.npairs < 32; i++) {
		char *kv = strdup(m.line[i]), *eq = strchr(kv, '=');
		size_t k = c->cb.npairs++;

		if (eq)
			*eq++ = '\0';
		if (eq && (path = conf_file(eq, cc, defaults)) != NULL) {
			char *w = xasprintf("%s=%s", kv, path);
			c->file[c->nfile++] = path;
			free(kv);
			kv = w;
			eq = strchr(kv, '=');
			*eq++ = '\0';
		}
		c->copy[k] = kv;
		c->pair[k].key = kv;
		c->pair[k].value = eq ? eq : kv + strlen(kv);
		c->pair[k].line = (int)k + 2;
	}
	msg_free(&m);
}

static void
conf_free(struct conf *c)
{
	for (size_t i = 0; i < c->cb.npairs; i++)
		free(c->copy[i]);
	for (size_t i = 0; i < c->nfile; i++) {
		unlink(c->file[i]);
		free(c->file[i]);
	}
}

/* A byte changed to another of its kind, and not only in case (hex
 * signatures compare without it). */
static char
tampered(char c)
{
	return c == 'A' || c == 'a' ? 'B' : c == '1' ? '2' : 'A';
}

/* Derived: the accepted request must not verify with a body byte changed,
 * nor under another secret. */
static void
derived(const struct provider_ops *ops, const struct conf *cf,
    const struct provider *p, struct req *q, const struct derive *dv,
    int tamper)
{
	if (tamper && dv->tamper_body)
		for (size_t i = 0; i < q->r.body_len; i++) {
			char was = q->body[i];
			q->body[i] = tampered(was);
			check(w_verify(p, &q->r, q->now) != VERIFY_OK,
			    "accepted with body byte %zu changed", i);
			q->body[i] = was;
		}
	for (int k = 0; k < dv->nsecret; k++)
		for (size_t i = 0; i < cf->cb.npairs; i++) {
			struct config_pair *pp = &cf->cb.pairs[i];
			struct provider other;
			char err[256], *was;
			int rc;

			if (strcmp(pp->key, dv->secret[k]) || !*pp->value)
				continue;
			was = pp->value;
			pp->value = strdup(was);
			pp->value[0] = tampered(pp->value[0]);
			rc = w_configure(&other, ops, &cf->cb, err, sizeof err);
			if (rc == 0) {
				check(w_verify(&other, &q->r, q->now) !=
				    VERIFY_OK, "accepted under another %s",
				    pp->key);
				w_release(&other);
			}
			free(pp->value);
			pp->value = was;
		}
}

static void
run_request(const struct provider_ops *ops, struct conf *cf,
    const struct provider *p, const struct chunk *c,
    const struct derive *dv)
{
	const struct sect *sv = find(c, "verify"), *sd = find(c, "decode"),
	    *ss = find(c, "status");
	struct msg m, e;
	struct req q;

	msg_parse(&m, find(c, "request"));
	req_build(&q, &m);
	msg_free(&m);
	if (sv) {
		int want, got;

		msg_parse(&e, sv);
		want = name_index(verify_names, 3, e.nline ? e.line[0] : NULL);
		got = w_verify(p, &q.r, q.now);
		check(got == want, "verify: expected %s, got %s",
		    e.nline ? e.line[0] : "?", verify_names[got]);
		for (int i = 1; i < e.nline; i++) {
			long long d;
			char res[16];
			if (sscanf(e.line[i], "at %lld: %15s", &d, res) != 2)
				continue;
			want = name_index(verify_names, 3, res);
			got = w_verify(p, &q.r, q.now + d);
			check(got == want, "verify at %+lld s: expected %s, "
			    "got %s", d, res, verify_names[got]);
		}
		if (want == VERIFY_OK || (e.nline &&
		    strcmp(e.line[0], "ok") == 0)) {
			const char *t = msg_get(&e, "tamper");
			derived(ops, cf, p, &q, dv, !t || strcmp(t, "none"));
		}
		msg_free(&e);
	}
	if (sd) {
		struct inbound in;
		const char *k;
		int got;

		msg_parse(&e, sd);
		k = msg_get(&e, "kind");
		got = w_decode(p, &q.r, &in);
		check(got == name_index(decode_names, 4, k),
		    "decode: expected %s, got %s", k, decode_names[got]);
		if (got == DECODE_MESSAGE || got == DECODE_PART) {
			const char *cc = msg_get(&e, "concat");
			char ref[INBOUND_MAX_ID] = "";
			int part = 0, total = 0;

			if (cc && sscanf(cc, "%127s %d/%d", ref, &part,
			    &total) == 3 && strcmp(ref, "-") == 0)
				ref[0] = '\0';
			/* An id the codec makes up is a pattern (fnmatch). */
			check(msg_get(&e, "id") && !fnmatch(msg_get(&e, "id"),
			    in.ext_id, 0), "decode: id %s", in.ext_id);
			check(msg_get(&e, "from") && !strcmp(in.sender,
			    msg_get(&e, "from")), "decode: from %s", in.sender);
			check(msg_get(&e, "to") && !strcmp(in.recipient,
			    msg_get(&e, "to")), "decode: to %s", in.recipient);
			check(!strcmp(in.text, e.body ? e.body : ""),
			    "decode: text \"%s\"", in.text);
			check(!strcmp(in.concat_ref, ref) &&
			    in.concat_part == part && in.concat_total == total,
			    "decode: concat %s %d/%d", in.concat_ref,
			    in.concat_part, in.concat_total);
		}
		msg_free(&e);
	}
	if (ss) {
		struct delivery d;
		const char *k, *v;
		int got;

		msg_parse(&e, ss);
		k = msg_get(&e, "kind");
		if (!w_has_status(ops)) {
			failf("status: the codec reads no receipts");
			msg_free(&e);
			req_free(&q);
			return;
		}
		got = w_status(p, &q.r, &d);
		check(got == name_index(decode_names, 4, k),
		    "status: expected %s, got %s", k, decode_names[got]);
		if (got == DECODE_MESSAGE) {
			v = msg_get(&e, "id");
			check(v && !strcmp(d.ext_id, v), "status: id %s",
			    d.ext_id);
			check((int)d.state == name_index(state_names, 3,
			    msg_get(&e, "state")), "status: state %s",
			    state_names[d.state]);
			v = msg_get(&e, "error");
			check(!strcmp(d.error, v ? v : ""),
			    "status: error \"%s\"", d.error);
		}
		msg_free(&e);
	}
	req_free(&q);
}

static void
run_ack(const struct provider *p, const struct chunk *c)
{
	struct msg in, e;
	struct reply_ends ends;
	struct http_resp resp;
	int hi = 0;

	msg_parse(&in, find(c, "reply"));
	msg_parse(&e, find(c, "ack"));
	ends.sender = msg_get(&in, "sender");
	ends.recipient = msg_get(&in, "recipient");
	http_resp_init(&resp);
	w_ack(p, ends.sender || ends.recipient ? &ends : NULL, in.body, &resp);
	check(e.nline && resp.status == atoi(e.line[0]), "ack: status %d",
	    resp.status);
	for (int i = 1; i < e.nline; i++) {
		const char *l = e.line[i], *v = strchr(l, ':');
		size_t n = v ? (size_t)(v - l) : 0;

		v = v ? v + 2 : "";
		if (n == 12 && strncasecmp(l, "Content-Type", 12) == 0) {
			check(!strcmp(resp.content_type, v),
			    "ack: content type \"%s\"", resp.content_type);
			continue;
		}
		check(hi < resp.nheaders && strlen(resp.header_name[hi]) == n &&
		    !strncmp(resp.header_name[hi], l, n) &&
		    !strcmp(resp.header_value[hi], v), "ack: header %d", hi);
		hi++;
	}
	if (!msg_get(&e, "Content-Type"))
		check(resp.content_type[0] == '\0', "ack: content type \"%s\"",
		    resp.content_type);
	check(hi == resp.nheaders, "ack: %d headers", resp.nheaders);
	check(resp.body.len == (e.body ? e.body_len : 0) && (resp.body.len == 0
	    || !memcmp(resp.body.data, e.body, resp.body.len)),
	    "ack: body \"%s\"", resp.body.data ? resp.body.data : "");
	http_resp_release(&resp);
	msg_free(&in);
	msg_free(&e);
}

static void
run_encode(const struct provider *p, const struct chunk *c)
{
	struct msg in, e;
	struct outbound out;
	struct http_out req;
	char err[512];
	const char *want_err, *v;
	size_t hi = 0;
	int rc;

	msg_parse(&in, find(c, "outbound"));
	msg_parse(&e, find(c, "send"));
	memset(&out, 0, sizeof out);
	out.to = msg_get(&in, "to");
	out.from = msg_get(&in, "from");
	out.idem_key = msg_get(&in, "idem_key");
	out.status_url = msg_get(&in, "status_url");
	out.text = in.body;
	http_out_init(&req);
	rc = w_encode(p, &out, &req, err, sizeof err);
	if ((want_err = msg_get(&e, "error")) != NULL)
		check(rc == -1 && strstr(err, want_err),
		    "encode: expected error \"%s\", got %d \"%s\"", want_err,
		    rc, err);
	else if (rc != 0)
		failf("encode: refused: %s", err);
	else {
		char *sp = e.nline ? strchr(e.line[0], ' ') : NULL;

		check(sp && req.method && strlen(req.method) ==
		    (size_t)(sp - e.line[0]) && !strncmp(req.method, e.line[0],
		    (size_t)(sp - e.line[0])), "encode: method %s", req.method);
		check(sp && req.url && !strcmp(req.url, sp + 1),
		    "encode: url %s", req.url);
		for (int i = 1; i < e.nline; i++) {
			if (e.line[i][0] == ':')
				continue;
			/* A header with a signed time in it is a pattern. */
			check(hi < req.nheaders && !fnmatch(e.line[i],
			    req.headers[hi], 0), "encode: header %zu \"%s\"", hi,
			    hi < req.nheaders ? req.headers[hi] : "");
			hi++;
		}
		check(hi == req.nheaders, "encode: %zu headers", req.nheaders);
		v = msg_get(&e, ":userpwd");
		check(v ? req.userpwd && !strcmp(req.userpwd, v) :
		    req.userpwd == NULL, "encode: userpwd %s",
		    req.userpwd ? req.userpwd : "(none)");
		v = msg_get(&e, ":ext_id");
		check(!strcmp(req.ext_id, v ? v : ""), "encode: ext_id %s",
		    req.ext_id);
		check(req.body.len == (e.body ? e.body_len : 0) &&
		    (req.body.len == 0 || !memcmp(req.body.data, e.body,
		    req.body.len)), "encode: body \"%s\"",
		    req.body.data ? req.body.data : "");
	}
	http_out_release(&req);
	msg_free(&in);
	msg_free(&e);
}

static void
run_result(const struct provider *p, const struct chunk *c)
{
	struct msg in, e;
	char id[INBOUND_MAX_ID], err[512];
	const char *v;
	size_t idlen = sizeof id;
	int want, got;

	msg_parse(&in, find(c, "response"));
	msg_parse(&e, find(c, "result"));
	if ((v = msg_get(&in, ":idlen")) != NULL)
		idlen = (size_t)atoi(v);
	want = name_index(send_names, nitems(send_names), e.nline ? e.line[0] : NULL);
	got = w_result(p, in.nline ? atoi(in.line[0]) : 0, in.body,
	    in.body ? in.body_len : 0, id, idlen, err, sizeof err);
	check(got == want, "result: expected %s, got %s (%s)",
	    e.nline ? e.line[0] : "?", send_names[got], err);
	if (got == SEND_OK && (v = msg_get(&e, "id")) != NULL)
		check(!strcmp(id, v), "result: id \"%s\"", id);
	if (got != SEND_OK && (v = msg_get(&e, "error")) != NULL)
		check(strstr(err, v) != NULL, "result: error \"%s\"", err);
	msg_free(&in);
	msg_free(&e);
}

static void
run_case(const char *dir, const struct provider_ops *ops,
    const struct chunk *defaults, const struct chunk *c,
    const struct derive *dv)
{
	const struct sect *scf = find(c, "config"), *sx = find(c, "configure");
	struct provider p;
	struct conf cf;
	char err[512];
	int rc;

	case_failed = 0;
	if (scf == NULL)
		scf = find(defaults, "config");
	conf_build(&cf, scf, c, defaults);
	rc = w_configure(&p, ops, &cf.cb, err, sizeof err);
	if (sx && strncmp(sx->text, "error: ", 7) == 0) {
		check(rc == -1 && strstr(err, sx->text + 7),
		    "configure: expected \"%s\", got %d \"%s\"", sx->text + 7,
		    rc, err);
		if (rc == -1)
			check(p.priv == NULL, "configure: refused but kept "
			    "its state");
		else
			w_release(&p);
		goto done;
	}
	if (rc != 0) {
		failf("configure: refused: %s", err);
		goto done;
	}
	nchecks++;
	if (find(c, "request"))
		run_request(ops, &cf, &p, c, dv);
	if (find(c, "reply") || find(c, "ack"))
		run_ack(&p, c);
	if (find(c, "outbound"))
		run_encode(&p, c);
	if (find(c, "response"))
		run_result(&p, c);
	w_release(&p);
done:
	conf_free(&cf);
	if (case_failed)
		nfail++;
	else
		npass++;
	(void)dir;
}

static void
chunks_free(struct chunk *v, int n)
{
	for (int i = 0; i < n; i++)
		for (int k = 0; k < v[i].n; k++)
			free(v[i].s[k].text);
}

#define MAXCASES	1024

/* The file "provider": what the codec says of itself, what to derive. */
static int
run_provider_file(const char *dir, const char *name,
    const struct provider_ops *ops, struct derive *dv)
{
	static struct chunk v[2];
	char path[2048];
	struct msg m;
	const char *s;
	int n;

	snprintf(path, sizeof path, "%s/provider", dir);
	if ((n = read_chunks(path, v, 2)) < 1) {
		snprintf(where, sizeof where, "%s", path);
		failf("cannot read");
		nfail++;
		return -1;
	}
	snprintf(where, sizeof where, "%s", path);
	case_failed = 0;
	msg_parse(&m, find(&v[0], "ops"));
	if ((s = msg_get(&m, "inline_reply")) != NULL)
		check(ops->inline_reply == !strcmp(s, "yes"), "inline_reply");
	if ((s = msg_get(&m, "unique_ids")) != NULL)
		check(ops->unique_ids == !strcmp(s, "yes"), "unique_ids");
	if ((s = msg_get(&m, "receipts")) != NULL)
		check(w_has_status(ops) == !strcmp(s, "yes"), "receipts");
	msg_free(&m);
	msg_parse(&m, find(&v[0], "derive"));
	memset(dv, 0, sizeof *dv);
	for (int i = 0; i < m.nline; i++) {
		if (!strcmp(m.line[i], "tamper: body"))
			dv->tamper_body = 1;
		else if (!strncmp(m.line[i], "secret: ", 8) && dv->nsecret < 8)
			snprintf(dv->secret[dv->nsecret++], sizeof dv->secret[0],
			    "%s", m.line[i] + 8);
	}
	msg_free(&m);
	chunks_free(v, n);
	if (case_failed)
		nfail++;
	else
		npass++;
	(void)name;
	return 0;
}

static int
names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file but "provider" and README.md in dir, in order of name. */
static int
list(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "provider") ||
		    strchr(e->d_name, '.'))
			continue;
		v = realloc(v, sizeof *v * (size_t)(n + 1));
		v[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(v, (size_t)n, sizeof *v, names_cmp);
	*out = v;
	return n;
}

static void
run_dir(const char *root, const char *name)
{
	static struct chunk v[MAXCASES];
	const struct provider_ops *ops = provider_lookup(name);
	char dir[1024], path[4096], **files;
	struct derive dv;
	int nf;

	snprintf(dir, sizeof dir, "%s/%s", root, name);
	if (ops == NULL) {
		snprintf(where, sizeof where, "%s", dir);
		failf("no provider type \"%s\"", name);
		nfail++;
		return;
	}
	if (run_provider_file(dir, name, ops, &dv) == -1)
		return;
	if ((nf = list(dir, &files)) < 0)
		return;
	for (int f = 0; f < nf; f++) {
		int n;

		snprintf(path, sizeof path, "%s/%s", dir, files[f]);
		if ((n = read_chunks(path, v, MAXCASES)) < 0) {
			snprintf(where, sizeof where, "%s", path);
			failf("cannot read");
			nfail++;
			continue;
		}
		for (int i = 1; i < n; i++) {
			snprintf(where, sizeof where, "%s:%d: %s", path,
			    v[i].line, v[i].title);
			run_case(dir, ops, &v[0], &v[i], &dv);
		}
		chunks_free(v, n);
		free(files[f]);
	}
	free(files);
}

int
main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : "tests/providers";
	char **dirs = NULL;
	int n = 0;
	DIR *d = opendir(root);
	struct dirent *e;

	if (d == NULL) {
		fprintf(stderr, "%s: cannot open\n", root);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strchr(e->d_name, '.'))
			continue;
		dirs = realloc(dirs, sizeof *dirs * (size_t)(n + 1));
		dirs[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(dirs, (size_t)n, sizeof *dirs, names_cmp);
	for (int i = 0; i < n; i++) {
		run_dir(root, dirs[i]);
		free(dirs[i]);
	}
	free(dirs);
	if (tmpdir[0])
		rmdir(tmpdir);
	printf("providers: %d passed, %d failed (%d checks)\n", npass, nfail,
	    nchecks);
	return nfail ? 1 : 0;
}
