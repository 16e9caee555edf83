/*
 * fake.c -- a provider for tests and `make run`: a plain form post in, a
 * JSON post out.  It signs with HMAC-SHA256 when it has a secret, and
 * accepts unsigned requests only when its instance says allow_unsigned.
 *
 * Inbound:  POST form  from=+447700900123&to=...&text=...&id=...
 *           header X-Fake-Signature: hex(HMAC-SHA256(secret, body))
 * Outbound: POST {base_url}/messages  {"to","from","text","idempotency_key"}
 *           -> 200/201 {"id": "..."}
 *           or, with deliver = print (the default without base_url, and
 *           what the embedded defaults use), printed on the gateway's
 *           terminal, which counts as sent: a first run shows its replies.
 * Receipts: POST form  id=...&status=delivered|failed&error=...
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "provider.h"
#include "segments.h"
#include "util.h"

struct fake {
	char	*secret;		/* NULL: unsigned, if allowed */
	char	*base_url;		/* NULL: deliver = print */
	char	*from;
};

static const char *const fake_yes_no[] = { "yes", "no", NULL };
static const char *const fake_deliver[] = { "print", "http", NULL };

/* deliver has no fixed default: print unless base_url says where. */
static const struct provider_key fake_keys[] = {
	{ "secret", PK_SECRET, NULL, NULL },
	{ "allow_unsigned", 0, "no", fake_yes_no },
	{ "deliver", 0, NULL, fake_deliver },
	{ "base_url", PK_URL, NULL, NULL },
	{ "from", 0, "+447700900000", NULL },
	{ NULL, 0, NULL, NULL }
};

static int
fake_configure(struct provider *p, const struct provider_conf *kv,
    char *err, size_t errlen)
{
	struct fake *f = xcalloc(1, sizeof *f);
	const char *secret = provider_get(kv, "secret");
	const char *deliver = provider_get(kv, "deliver");
	const char *base_url = provider_get(kv, "base_url");

	p->priv = f;
	if (secret == NULL && strcmp(provider_get(kv, "allow_unsigned"),
	    "yes") != 0) {
		snprintf(err, errlen, "needs secret (or allow_unsigned = yes, "
		    "for tests only)");
		return -1;
	}
	/* Unsigned means unsigned: a secret left in is not checked. */
	if (strcmp(provider_get(kv, "allow_unsigned"), "yes") != 0)
		f->secret = xstrdup(secret);
	if (deliver != NULL && strcmp(deliver, "http") == 0 &&
	    base_url == NULL) {
		snprintf(err, errlen, "line %d: deliver = http needs base_url",
		    provider_given(kv, "deliver"));
		return -1;
	}
	if (deliver != NULL && strcmp(deliver, "print") == 0 &&
	    base_url != NULL) {
		snprintf(err, errlen, "line %d: deliver = print sends nothing "
		    "to base_url (line %d): keep one",
		    provider_given(kv, "deliver"), provider_given(kv,
		    "base_url"));
		return -1;
	}
	if (base_url != NULL)
		f->base_url = xstrdup(base_url);
	f->from = xstrdup(provider_get(kv, "from"));
	return 0;
}

static void
fake_release(struct provider *p)
{
	struct fake *f = p->priv;

	if (f == NULL)
		return;
	free(f->secret);
	free(f->base_url);
	free(f->from);
	free(f);
	p->priv = NULL;
}

static enum verify_result
fake_verify(const struct provider *p, const struct http_req *req, int64_t now)
{
	const struct fake *f = p->priv;
	unsigned char mac[CRYPTO_MAX_DIGEST], got[CRYPTO_MAX_DIGEST];
	const char *sig;
	size_t n;

	if (f->secret == NULL)
		return VERIFY_OK;
	if (http_req_trusted(req, "X-Fake-Signature", &sig) != 1)
		return VERIFY_BAD;
	n = crypto_hmac(HASH_SHA256, f->secret, strlen(f->secret), req->body,
	    req->body_len, mac);
	if (n == 0 || hex_decode(sig, got, n) == -1)
		return VERIFY_BAD;
	return crypto_eq(mac, got, n) ? VERIFY_OK : VERIFY_BAD;
}

static enum decode_result
fake_decode(const struct provider *p, const struct http_req *req,
    struct inbound *in)
{
	struct http_params params = { 0 };
	const char *from, *text, *id;
	enum decode_result rc = DECODE_MALFORMED;

	if (http_parse_form(req->body, req->body_len, &params) == -1)
		goto out;
	from = http_param(&params, "from");
	text = http_param(&params, "text");
	id = http_param(&params, "id");
	if (from == NULL || text == NULL || id == NULL || *from == '\0' ||
	    *id == '\0' || strlen(id) >= sizeof in->ext_id ||
	    strlen(text) >= sizeof in->text)
		goto out;
	memset(in, 0, sizeof *in);
	strlcpy_(in->ext_id, id, sizeof in->ext_id);
	provider_e164(from, in->sender, sizeof in->sender);
	provider_e164(http_param(&params, "to") ? http_param(&params, "to") :
	    "", in->recipient, sizeof in->recipient);
	char cs[32];
	(void)provider_text(in->text, sizeof in->text, text, strlen(text),
	    provider_charset(req, cs, sizeof cs));
	rc = DECODE_MESSAGE;
out:
	http_params_release(&params);
	return rc;
}

static void
fake_ack(const struct provider *p, const struct reply_ends *to,
    const char *reply, struct http_resp *resp)
{
	http_resp_set(resp, 200, "application/json", "{\"ok\":true}");
}

/* text into b as a terminal shows it: line breaks kept, other control
 * characters (C0, DEL, C1), which could drive the terminal, as "?". */
static void
fake_printable(struct buf *b, const char *text)
{
	for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
		if ((*s < 0x20 && *s != '\n') || *s == 0x7f)
			buf_puts(b, "?");
		else if (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
			buf_puts(b, "?");
			s++;
		} else
			buf_append(b, (const char *)s, 1);
	}
}

/* deliver = print: the message as a block for the terminal, and an id of
 * its own (from the idempotency key, so that a send again keeps it). */
static int
fake_print(const struct fake *f, const struct outbound *out,
    struct http_out *req)
{
	struct sms_count c;
	char key[17];

	sms_count(out->text, strlen(out->text), &c);
	provider_safe_key(out->idem_key ? out->idem_key : out->text, "", 0, 8,
	    key, sizeof key);
	snprintf(req->ext_id, sizeof req->ext_id, "fake-%s", key);
	req->via = HTTP_VIA_TERMINAL;
	buf_puts(&req->body, "--- SMS to ");
	fake_printable(&req->body, out->to);
	buf_puts(&req->body, " from ");
	fake_printable(&req->body, out->from ? out->from : f->from);
	buf_puts(&req->body, " (fake provider: printed, not sent) ---\n");
	fake_printable(&req->body, out->text);
	buf_printf(&req->body, "\n--- %d segment%s, %s, %d %s; id %s ---\n",
	    c.segments, c.segments == 1 ? "" : "s", c.encoding == SMS_GSM7 ?
	    "GSM-7" : "UCS-2", c.units, c.encoding == SMS_GSM7 ? "septets" :
	    "UTF-16 units", req->ext_id);
	return 0;
}

static int
fake_encode(const struct provider *p, const struct outbound *out,
    struct http_out *req, char *err, size_t errlen)
{
	const struct fake *f = p->priv;
	json_t *o;
	char *body;

	if (f->base_url == NULL)
		return fake_print(f, out, req);
	o = json_pack("{s:s, s:s, s:s, s:s?}", "to", out->to, "from",
	    out->from ? out->from : f->from, "text", out->text,
	    "idempotency_key", out->idem_key);
	if (o == NULL || (body = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		snprintf(err, errlen, "cannot encode the message");
		return -1;
	}
	req->method = xstrdup("POST");
	req->url = xasprintf("%s/messages", f->base_url);
	http_out_header(req, "Content-Type: application/json");
	if (out->idem_key)
		http_out_header(req, "Idempotency-Key: %s", out->idem_key);
	buf_puts(&req->body, body);
	free(body);
	json_decref(o);
	return 0;
}

static enum decode_result
fake_decode_status(const struct provider *p, const struct http_req *req,
    struct delivery *d)
{
	struct http_params params = { 0 };
	const char *id, *status;
	enum decode_result rc = DECODE_MALFORMED;

	if (http_parse_form(req->body, req->body_len, &params) == -1)
		goto out;
	id = http_param(&params, "id");
	status = http_param(&params, "status");
	if (id == NULL || status == NULL || *id == '\0')
		goto out;
	memset(d, 0, sizeof *d);
	strlcpy_(d->ext_id, id, sizeof d->ext_id);
	if (!strcmp(status, "delivered"))
		d->state = DELIVERY_DELIVERED;
	else if (!strcmp(status, "failed"))
		d->state = DELIVERY_FAILED;
	else
		d->state = DELIVERY_PENDING;
	strlcpy_(d->error, http_param(&params, "error") ?
	    http_param(&params, "error") : "", sizeof d->error);
	rc = DECODE_MESSAGE;
out:
	http_params_release(&params);
	return rc;
}

const struct provider_ops provider_fake = {
	.name = "fake",
	.keys = fake_keys,
	.configure = fake_configure,
	.release = fake_release,
	.verify = fake_verify,
	.decode = fake_decode,
	.ack = fake_ack,
	.encode = fake_encode,
	.result_id = "id",
	.result_id_name = "message id",
	.decode_status = fake_decode_status,
	.inline_reply = 0,
	.unique_ids = 1,
};
