/*
 * kannel.c -- Kannel's smsbox HTTP interfaces: an sms-service that calls
 * us for every text, and sendsms for sending (checked 2026-11).
 *
 *   https://kannel.org/download/1.5.0/userguide-1.5.0/userguide.html
 *   https://sources.debian.org/src/kannel/1.4.5-22/doc/userguide/userguide.xml
 *   (sections "SMS-service configurations", "Parameters (Escape Codes)",
 *   "Kannel POST", "Using the HTTP interface to send SMS messages",
 *   "Delivery reports"); source: pruiz/kannel gw/smsbox.c, gw/urltrans.c
 *
 * Inbound:  either of, in the sms-service group:
 *             get-url = "http://HOST/webhooks/NAME?token=SECRET&from=%p
 *                 &to=%P&text=%a&id=%I&coding=%c&charset=%C"
 *             post-url = "http://HOST/webhooks/NAME?token=SECRET&id=%I"
 *               (body = the text, Content-Type: text/plain;
 *               charset="...", X-Kannel-From (send-sender = true),
 *               X-Kannel-To, X-Kannel-Coding; from, to, coding and
 *               charset in the query win over the headers)
 *           Kannel signs nothing: the token in the URL is compared in
 *           constant time, and allow_from should name the smsbox host.
 *           With coding 2 (UCS-2) and no mo-recode the text is UTF-16BE
 *           and is converted here; coding 1 (8-bit data) is ignored.
 *           Other texts are read in the charset declared (%C, or the
 *           Content-Type's), or as UTF-8 else Windows-1252 when none is
 *           (provider_text).
 *           %a squeezes white space byte by byte, which can break the
 *           byte pairs of a UCS-2 text (a character with a 0x09-0x0D or
 *           0x20 byte at either end); such a text is refused as
 *           malformed.  text=%b (the body as it came) avoids that.
 * Answer:   the reply text is the response body, which Kannel sends back
 *           to the sender: text/plain; charset=UTF-8 when it fits GSM
 *           03.38, else UTF-16BE with X-Kannel-Coding: 2.  Needs, in the
 *           sms-service: max-messages >= 1 (3 for long replies),
 *           accept-x-kannel-headers = true, omit-empty = true (an empty
 *           body is then no reply at all), concatenation = true.
 * Outbound: GET {base_url}/cgi-bin/sendsms?username&password&from&to&text
 *           [&coding=2&charset=UTF-8 when not GSM 03.38]
 *           [&dlr-mask&dlr-url]  -> 202 "0: Accepted for delivery" or
 *           "3: Queued for later delivery"; 4xx refusals; 503 "Temporal
 *           failure, try again later".  Kannel returns no message id.
 * Receipts: dlr-url = {status_url}?token=SECRET&id={idem_key}&type=%d
 *           &reply=%A, which Kannel GETs with %d the report type (1
 *           delivered, 2 not delivered, 4 queued, 8 at the SMSC, 16
 *           refused by the SMSC; 32, intermediate, from Kannel 1.5).
 *           The receipt's ext_id is the outbox key (the send's own answer
 *           carries no id).
 *
 * Keys ([provider NAME], type = kannel):
 *   token, token_file  the secret in the sms-service URL: printable ASCII,
 *                      no spaces (required)
 *   base_url           the smsbox sendsms port, http://HOST:13013
 *                      (required)
 *   username           a sendsms-user's username (required)
 *   password, password_file  its password (required)
 *   from               default sender; none: the sendsms-user's
 *                      default-sender or Kannel's global-sender
 *   dlr_mask           which reports to ask for, 1 to 31; default 27
 *                      (delivered, not delivered, SMSC ack, SMSC reject)
 *
 * Deliberately not done: post-xml, UDH, binary (8-bit) messages, and the
 * sendsms POST interface (its X-Kannel-* headers would keep the password
 * out of the URL; GET is what every Kannel speaks).  The sendsms URL
 * carries the password, so the gateway must not log it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "provider.h"
#include "segments.h"
#include "util.h"

#define KANNEL_DLR_MASK		"27"

struct kannel {
	char		*token;
	char		*base_url;	/* without a trailing "/" */
	char		*username;
	char		*password;
	char		*from;		/* NULL: Kannel's default */
	char		*dlr_mask;
};

static const struct provider_key kannel_keys[] = {
	{ "token", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "base_url", PK_REQUIRED | PK_URL, NULL, NULL },
	{ "username", PK_REQUIRED, NULL, NULL },
	{ "password", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "from", 0, NULL, NULL },
	{ "dlr_mask", 0, KANNEL_DLR_MASK, NULL },
	{ NULL, 0, NULL, NULL }
};

static void
kannel_free(struct kannel *k)
{
	if (k == NULL)
		return;
	free(k->token);
	free(k->base_url);
	free(k->username);
	free(k->password);
	free(k->from);
	free(k->dlr_mask);
	free(k);
}

/* Printable ASCII without spaces: safe inside a Kannel URL pattern. */
static int
is_word(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

static int
kannel_configure(struct provider *p, const struct provider_conf *kv,
    char *err, size_t errlen)
{
	struct kannel *k;
	const char *v;
	long mask;
	char *end;

	k = xcalloc(1, sizeof *k);
	p->priv = k;
	k->token = xstrdup(provider_get(kv, "token"));
	if (!is_word(k->token)) {
		snprintf(err, errlen, "token must be printable ASCII without "
		    "spaces");
		return -1;
	}
	k->base_url = xstrdup(provider_get(kv, "base_url"));
	k->username = xstrdup(provider_get(kv, "username"));
	k->password = xstrdup(provider_get(kv, "password"));
	if ((v = provider_get(kv, "from")) != NULL && *v != '\0')
		k->from = xstrdup(v);
	v = provider_get(kv, "dlr_mask");
	mask = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || mask < 1 || mask > 31) {
		snprintf(err, errlen, "dlr_mask must be 1 to 31");
		return -1;
	}
	k->dlr_mask = xasprintf("%ld", mask);
	return 0;
}

static void
kannel_release(struct provider *p)
{
	kannel_free(p->priv);
	p->priv = NULL;
}

/* The query's parameters; -1 when it has a bad %-escape. */
static int
parse_query(const struct http_req *req, struct http_params *q)
{
	const char *s = req->query ? req->query : "";

	return http_parse_form(s, strlen(s), q);
}

static const struct http_param *
param(const struct http_params *q, const char *name)
{
	for (size_t i = 0; i < q->n; i++)
		if (strcmp(q->v[i].name, name) == 0)
			return &q->v[i];
	return NULL;
}

/* Is the token in the query ours?  crypto_secret_eq: the time says
 * nothing of the token, not even its length.  A second token= could be
 * anybody's: refused. */
static enum verify_result
kannel_verify(const struct provider *p, const struct http_req *req,
    int64_t now)
{
	const struct kannel *k = p->priv;
	struct http_params q = { 0 };
	const struct http_param *t;
	enum verify_result rc = VERIFY_BAD;

	if (k == NULL)
		return VERIFY_ERROR;
	if (parse_query(req, &q) == -1 || (t = param(&q, "token")) == NULL ||
	    t->value_len == 0)
		goto out;
	for (size_t i = 0; i < q.n; i++)
		if (&q.v[i] != t && strcmp(q.v[i].name, "token") == 0)
			goto out;
	if (crypto_secret_eq(t->value, t->value_len, k->token,
	    strlen(k->token)))
		rc = VERIFY_OK;
out:
	http_params_release(&q);
	return rc;
}

/* --- text encodings ------------------------------------------------- */

/*
 * UTF-16BE (Kannel's UCS-2 texts, astral characters as surrogate pairs)
 * into NUL-terminated UTF-8.  -1 on an odd length, an unpaired surrogate,
 * U+0000 (the text is a C string), or a result longer than outlen - 1.
 */
static int
utf16be_to_utf8(const unsigned char *in, size_t len, char *out,
    size_t outlen)
{
	struct buf b;
	int rc = -1;

	if (len % 2 != 0 || outlen == 0)
		return -1;
	buf_init(&b, outlen - 1);
	for (size_t i = 0; i < len; i += 2) {
		uint32_t c = (uint32_t)in[i] << 8 | in[i + 1];

		if (c >= 0xd800 && c <= 0xdbff) {
			uint32_t lo;

			if (i + 3 >= len)
				goto out;
			lo = (uint32_t)in[i + 2] << 8 | in[i + 3];
			if (lo < 0xdc00 || lo > 0xdfff)
				goto out;
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			i += 2;
		} else if (c >= 0xdc00 && c <= 0xdfff)
			goto out;
		if (c == 0 || provider_utf8_put(&b, c) == -1)
			goto out;
	}
	if (b.len > 0)
		memcpy(out, b.data, b.len);
	out[b.len] = '\0';
	rc = 0;
out:
	buf_release(&b);
	return rc;
}

/* UTF-8 text as UTF-16BE into b; a byte that is not UTF-8 becomes U+FFFD. */
static int
utf8_to_utf16be(const char *text, struct buf *b)
{
	const unsigned char *s = (const unsigned char *)text;
	const unsigned char *end = s + strlen(text);

	while (s < end) {
		uint32_t c;
		unsigned char u[4];

		if (provider_utf8_next(&s, end, &c) == -1) {
			c = 0xfffd;
			s++;
		}
		if (c >= 0x10000) {
			uint32_t hi = 0xd800 + ((c - 0x10000) >> 10);
			uint32_t lo = 0xdc00 + ((c - 0x10000) & 0x3ff);

			u[0] = (unsigned char)(hi >> 8);
			u[1] = (unsigned char)hi;
			u[2] = (unsigned char)(lo >> 8);
			u[3] = (unsigned char)lo;
			if (buf_append(b, u, 4) == -1)
				return -1;
		} else {
			u[0] = (unsigned char)(c >> 8);
			u[1] = (unsigned char)c;
			if (buf_append(b, u, 2) == -1)
				return -1;
		}
	}
	return 0;
}

/* --- inbound -------------------------------------------------------- */

/*
 * A number as the SMSC sent it, in E.164: "447700900123" gains its "+",
 * and a national "07700900123" or "0044..." is read as UK (the gateway's
 * country).  Alphanumeric senders stay as they are.  -1 when too long.
 */
static int
number_e164(const char *in, char *out, size_t outlen)
{
	if (strlen(in) + 2 > outlen)
		return -1;
	if (in[0] == '0' && phone_normalise(in, out, outlen) == 0)
		return 0;
	provider_e164(in, out, outlen);
	return 0;
}

enum text_form { TEXT_UTF8, TEXT_UTF16BE, TEXT_BINARY };

/* What the bytes of a text are, from Kannel's coding and charset. */
static enum text_form
text_form(int coding, const char *charset)
{
	if (strcasecmp(charset, "UTF-8") == 0 ||
	    strcasecmp(charset, "utf8") == 0)
		return TEXT_UTF8;	/* mo-recode, or a recoding smsbox */
	if (coding == 2 || strcasecmp(charset, "UTF-16BE") == 0 ||
	    strcasecmp(charset, "UCS-2") == 0 ||
	    strcasecmp(charset, "UCS-2BE") == 0)
		return TEXT_UTF16BE;
	if (coding == 1)
		return TEXT_BINARY;
	return TEXT_UTF8;		/* 7-bit: smsbox hands us UTF-8 */
}

static enum decode_result
kannel_decode(const struct provider *p, const struct http_req *req,
    struct inbound *in)
{
	struct http_params q = { 0 };
	const struct http_param *tp;
	const char *id, *from, *to, *coding_s, *text;
	char charset[32];
	size_t textlen;
	int coding = 0;
	enum decode_result rc = DECODE_MALFORMED;

	if (parse_query(req, &q) == -1)
		goto out;
	id = http_param(&q, "id");
	if ((from = http_param(&q, "from")) == NULL)
		from = http_req_header(req, "X-Kannel-From");
	if ((to = http_param(&q, "to")) == NULL)
		to = http_req_header(req, "X-Kannel-To");
	if ((coding_s = http_param(&q, "coding")) == NULL)
		coding_s = http_req_header(req, "X-Kannel-Coding");
	/* post-url: the text is the body; get-url: the text parameter. */
	if (req->method != NULL && strcmp(req->method, "POST") == 0) {
		text = req->body ? req->body : "";
		textlen = req->body_len;
		if (provider_charset(req, charset, sizeof charset) == NULL)
			charset[0] = '\0';
	} else {
		if ((tp = param(&q, "text")) == NULL)
			goto out;
		text = tp->value;
		textlen = tp->value_len;
		charset[0] = '\0';
	}
	if (http_param(&q, "charset") != NULL)
		strlcpy_(charset, http_param(&q, "charset"), sizeof charset);
	if (coding_s != NULL && *coding_s != '\0') {
		if (strlen(coding_s) != 1 || coding_s[0] < '0' ||
		    coding_s[0] > '2')
			goto out;
		coding = coding_s[0] - '0';
	}
	if (id == NULL || *id == '\0' || from == NULL || *from == '\0')
		goto out;
	memset(in, 0, sizeof *in);
	if (strlen(id) >= sizeof in->ext_id)
		goto out;
	strlcpy_(in->ext_id, id, sizeof in->ext_id);
	if (number_e164(from, in->sender, sizeof in->sender) == -1 ||
	    number_e164(to ? to : "", in->recipient,
	    sizeof in->recipient) == -1)
		goto out;
	switch (text_form(coding, charset)) {
	case TEXT_UTF16BE:
		if (utf16be_to_utf8((const unsigned char *)text, textlen,
		    in->text, sizeof in->text) == -1)
			goto out;
		break;
	case TEXT_BINARY:
		rc = DECODE_IGNORE;	/* data, not words */
		goto out;
	case TEXT_UTF8:
		/* In the charset declared, Latin-1 (Kannel's default for
		 * GSM texts) among them; a NUL or too long is refused, as
		 * for UCS-2. */
		if (memchr(text, '\0', textlen) != NULL ||
		    provider_text(in->text, sizeof in->text, text, textlen,
		    charset) == -1)
			goto out;
		break;
	}
	rc = DECODE_MESSAGE;
out:
	http_params_release(&q);
	return rc;
}

/*
 * The reply is the body Kannel sends back to the sender.  Outside GSM
 * 03.38 it goes as UCS-2, which Kannel honours with
 * accept-x-kannel-headers = true.
 */
static void
kannel_ack(const struct provider *p, const struct reply_ends *to,
    const char *reply, struct http_resp *resp)
{
	if (reply == NULL || *reply == '\0') {
		http_resp_set(resp, 200, "text/plain", "");
		return;
	}
	if (sms_is_gsm7(reply)) {
		http_resp_set(resp, 200, "text/plain; charset=UTF-8", reply);
		return;
	}
	http_resp_set(resp, 200, "text/plain; charset=UTF-16BE", NULL);
	if (utf8_to_utf16be(reply, &resp->body) == -1 ||
	    http_resp_header(resp, "X-Kannel-Coding", "2") == -1)
		http_resp_set(resp, 500, "text/plain", "cannot encode the "
		    "reply\n");
}

/* --- outbound ------------------------------------------------------- */

static int
kannel_encode(const struct provider *p, const struct outbound *out,
    struct http_out *req, char *err, size_t errlen)
{
	const struct kannel *k = p->priv;
	const char *from = out->from ? out->from : k->from;
	struct buf q, dlr;
	int rc = -1;

	buf_init(&q, 0);
	buf_init(&dlr, 0);
	if (http_form_add(&q, "username", k->username) == -1 ||
	    http_form_add(&q, "password", k->password) == -1 ||
	    (from && http_form_add(&q, "from", from) == -1) ||
	    http_form_add(&q, "to", out->to) == -1 ||
	    http_form_add(&q, "text", out->text) == -1)
		goto fail;
	/* Kannel recodes UTF-8 to UCS-2 itself when told to. */
	if (!sms_is_gsm7(out->text) && (http_form_add(&q, "coding", "2") == -1 ||
	    http_form_add(&q, "charset", "UTF-8") == -1))
		goto fail;
	/*
	 * Receipts come back to status_url with our key, since sendsms gives
	 * no id.  Kannel expands %-codes in dlr-url: the key and token must
	 * be ASCII, whose escapes (%2x to %7x) it leaves alone.
	 */
	if (out->status_url != NULL && out->idem_key != NULL &&
	    is_word(out->idem_key)) {
		/* Its receipts name the message by our key. */
		strlcpy_(req->ext_id, out->idem_key, sizeof req->ext_id);
		if (buf_puts(&dlr, out->status_url) == -1 ||
		    buf_puts(&dlr, strchr(out->status_url, '?') ? "&token=" :
		    "?token=") == -1 ||
		    http_urlencode(&dlr, k->token) == -1 ||
		    buf_puts(&dlr, "&id=") == -1 ||
		    http_urlencode(&dlr, out->idem_key) == -1 ||
		    buf_puts(&dlr, "&type=%d&reply=%A") == -1 ||
		    http_form_add(&q, "dlr-mask", k->dlr_mask) == -1 ||
		    http_form_add(&q, "dlr-url", dlr.data) == -1)
			goto fail;
	}
	req->method = xstrdup("GET");
	req->url = xasprintf("%s/cgi-bin/sendsms?%s", k->base_url, q.data);
	rc = 0;
fail:
	if (rc == -1)
		snprintf(err, errlen, "cannot encode the message");
	buf_release(&q);
	buf_release(&dlr);
	return rc;
}

/* "Authorization failed": the first line of Kannel's answer. */
static void
kannel_describe(const struct provider *p, const char *body, size_t len,
    char *words, size_t wordslen)
{
	size_t n = 0;

	for (; n < len && n < wordslen - 1; n++) {
		unsigned char c = (unsigned char)body[n];

		if (c == '\n' || c == '\r')
			break;
		words[n] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
	}
	words[n] = '\0';
}

/* "0: Accepted for delivery", "3: Queued for later delivery": no id;
 * receipts name the outbox key (see encode).  result is left NULL. */

static enum decode_result
kannel_decode_status(const struct provider *p, const struct http_req *req,
    struct delivery *d)
{
	struct http_params q = { 0 };
	const char *id, *type, *reply;
	enum decode_result rc = DECODE_MALFORMED;
	char *end;
	long t;

	if (parse_query(req, &q) == -1)
		goto out;
	id = http_param(&q, "id");
	type = http_param(&q, "type");
	if (id == NULL || *id == '\0' || type == NULL || *type == '\0')
		goto out;
	t = strtol(type, &end, 10);
	if (*end != '\0' || t < 0)
		goto out;
	memset(d, 0, sizeof *d);
	if (strlen(id) >= sizeof d->ext_id)
		goto out;
	strlcpy_(d->ext_id, id, sizeof d->ext_id);
	switch (t) {
	case 1:
		d->state = DELIVERY_DELIVERED;
		break;
	case 2:
	case 16:
		d->state = DELIVERY_FAILED;
		break;
	case 4:
	case 8:
	case 32:
		d->state = DELIVERY_PENDING;
		break;
	default:
		rc = DECODE_IGNORE;
		goto out;
	}
	/* The SMSC's words ("id:... stat:UNDELIV err:001 ..."), bounded. */
	if (d->state == DELIVERY_FAILED && (reply = http_param(&q, "reply")))
		strlcpy_(d->error, reply, sizeof d->error);
	rc = DECODE_MESSAGE;
out:
	http_params_release(&q);
	return rc;
}

const struct provider_ops provider_kannel = {
	.name = "kannel",
	.keys = kannel_keys,
	.configure = kannel_configure,
	.release = kannel_release,
	.verify = kannel_verify,
	.decode = kannel_decode,
	.ack = kannel_ack,
	.encode = kannel_encode,
	.describe = kannel_describe,
	.decode_status = kannel_decode_status,
	.inline_reply = 1,
	.unique_ids = 1,
};
