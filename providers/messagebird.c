/*
 * messagebird.c -- MessageBird's (now Bird's) legacy REST SMS API:
 * JWT-signed inbound webhooks, outbound POST /messages, delivery reports.
 *
 * Docs (checked 2026-11):
 *   https://developers.messagebird.com/api/sms-messaging/
 *   messagebird/python-rest-api@2371520:messagebird/request_validator.py
 *     (the signature; its tests/test_request_validator data are the
 *     vectors in tests/unit/test_provider_messagebird.c)
 *   nyaruka/courier@350e935:handlers/messagebird/handler.go (inbound and
 *     receipt fields; no official page lists them)
 *   docs/providers.md section 5
 *
 * Inbound:  a form (POST body, or the query of a GET): originator,
 *           recipient, body, id for long numbers; originator, shortcode,
 *           message, mid for short codes (which stay as they are, not
 *           E.164).
 * Signature: header MessageBird-Signature-JWT, a JWT signed with the
 *           signing key (HS256, HS384 or HS512; crypto_jwt_verify_hs
 *           refuses the rest).  Claims: iss "MessageBird"; nbf and exp
 *           against now with 1 second of leeway, as the SDK allows;
 *           url_hash, hex SHA-256 of the URL MessageBird called;
 *           payload_hash, hex SHA-256 of the body, there when and only
 *           when the body is not empty.
 * Answer:   200 "OK" (text/plain); no inline replies.
 * Outbound: POST {base_url}/messages, Authorization: AccessKey <key>, JSON
 *           {originator, recipients, body, datacoding, reference (the
 *           idempotency key), reportUrl}; 201 {"id": ...}.
 * Receipts: id / status / statusErrorCode / statusReason, as a GET query
 *           (or a form POST) to reportUrl.
 *
 * Keys of [provider NAME] with type = messagebird:
 *   access_key		the API access key, for sending (or access_key_file)
 *   signing_key	the signing key from Developers > Settings, for
 *			checking webhooks (or signing_key_file); not the
 *			access key
 *   base_url		default https://rest.messagebird.com (tests point it
 *			at a local fake)
 *   from		the originator: our number (E.164) or an
 *			alphanumeric sender id (required)
 *
 * Deliberately not done: the deprecated MessageBird-Signature /
 * MessageBird-Request-Timestamp scheme (requests signed only that way are
 * refused), jti replay checks (the codec keeps no state; exp bounds
 * replays to a minute), MMS (mediaUrls are dropped, the text is kept), the
 * Bird "Channels" API.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "provider.h"
#include "util.h"

#define MESSAGEBIRD_LEEWAY	1	/* seconds, for nbf and exp */
#define MESSAGEBIRD_HEADER	"MessageBird-Signature-JWT"

struct messagebird {
	char	*access_key;
	char	*signing_key;
	char	*base_url;
	char	*from;
};

static const struct provider_key messagebird_keys[] = {
	{ "access_key", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "signing_key", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "base_url", PK_URL, "https://rest.messagebird.com", NULL },
	{ "from", PK_REQUIRED, NULL, NULL },
	{ NULL, 0, NULL, NULL }
};

static void
messagebird_release(struct provider *p)
{
	struct messagebird *m = p->priv;

	if (m == NULL)
		return;
	free(m->access_key);
	free(m->signing_key);
	free(m->base_url);
	free(m->from);
	free(m);
	p->priv = NULL;
}

static int
messagebird_configure(struct provider *p, const struct provider_conf *kv,
    char *err, size_t errlen)
{
	struct messagebird *m;

	m = xcalloc(1, sizeof *m);
	p->priv = m;
	m->access_key = xstrdup(provider_get(kv, "access_key"));
	m->signing_key = xstrdup(provider_get(kv, "signing_key"));
	m->from = xstrdup(provider_get(kv, "from"));
	m->base_url = xstrdup(provider_get(kv, "base_url"));
	return 0;
}

/* Is claim the hex SHA-256 of data?  Either case of hex is taken. */
static int
messagebird_hash_eq(const json_t *claim, const void *data, size_t len)
{
	unsigned char want[CRYPTO_MAX_DIGEST], got[CRYPTO_MAX_DIGEST];
	const char *hex = json_string_value(claim);
	size_t n;

	if (hex == NULL ||
	    (n = crypto_digest(HASH_SHA256, data, len, want)) == 0 ||
	    strlen(hex) != 2 * n || hex_decode(hex, got, n) == -1)
		return 0;
	return crypto_eq(want, got, n);
}

static enum verify_result
messagebird_verify(const struct provider *p, const struct http_req *req,
    int64_t now)
{
	const struct messagebird *m = p->priv;
	const char *token, *iss;
	char *payload = NULL;
	json_t *claims = NULL, *nbf, *exp, *phash;
	enum verify_result rc = VERIFY_BAD;

	if (m == NULL || m->signing_key == NULL || req->url == NULL)
		return VERIFY_ERROR;
	if (http_req_trusted(req, MESSAGEBIRD_HEADER, &token) != 1 ||
	    !crypto_jwt_verify_hs(token, m->signing_key,
	    strlen(m->signing_key), &payload))
		goto out;
	claims = json_loads(payload, JSON_REJECT_DUPLICATES, NULL);
	iss = json_string_value(json_object_get(claims, "iss"));
	nbf = json_object_get(claims, "nbf");
	exp = json_object_get(claims, "exp");
	if (iss == NULL || strcmp(iss, "MessageBird") != 0 ||
	    !json_is_integer(nbf) || !json_is_integer(exp))
		goto out;
	if (json_integer_value(nbf) > now + MESSAGEBIRD_LEEWAY ||
	    json_integer_value(exp) <= now - MESSAGEBIRD_LEEWAY)
		goto out;
	if (!messagebird_hash_eq(json_object_get(claims, "url_hash"), req->url,
	    strlen(req->url)))
		goto out;
	/* A body added to, or taken from, a signed request is a forgery. */
	phash = json_object_get(claims, "payload_hash");
	if (req->body_len > 0 ?
	    !messagebird_hash_eq(phash, req->body, req->body_len) :
	    phash != NULL)
		goto out;
	rc = VERIFY_OK;
out:
	json_decref(claims);
	free(payload);
	return rc;
}

/*
 * The parameters of a webhook: the form body first, then the query, as
 * courier reads them, so a POST body wins over its URL.  0, or -1 when
 * malformed.
 */
static int
messagebird_params(const struct http_req *req, struct http_params *params)
{
	if (req->body != NULL && req->body_len > 0 &&
	    http_parse_form(req->body, req->body_len, params) == -1)
		return -1;
	if (req->query != NULL && http_parse_form(req->query,
	    strlen(req->query), params) == -1)
		return -1;
	return 0;
}

static const struct http_param *
messagebird_param(const struct http_params *params, const char *name)
{
	for (size_t i = 0; i < params->n; i++)
		if (strcmp(params->v[i].name, name) == 0)
			return &params->v[i];
	return NULL;
}

/*
 * The value of the first of names a and b (b may be NULL) that is there,
 * when it is not empty, holds no NUL and is shorter than max bytes; else
 * NULL.
 */
static const char *
messagebird_get(const struct http_params *params, const char *a,
    const char *b, size_t max)
{
	const struct http_param *pa = messagebird_param(params, a);

	if (pa == NULL && b != NULL)
		pa = messagebird_param(params, b);
	if (pa == NULL || pa->value_len == 0 || pa->value_len >= max ||
	    strlen(pa->value) != pa->value_len)
		return NULL;
	return pa->value;
}

/* Is name there, not empty, but too long or holding a NUL?  Such a field
 * is malformed, not absent. */
static int
messagebird_bad(const struct http_params *params, const char *name,
    size_t max)
{
	const struct http_param *pa = messagebird_param(params, name);

	return pa != NULL && pa->value_len > 0 &&
	    messagebird_get(params, name, NULL, max) == NULL;
}

static enum decode_result
messagebird_decode(const struct provider *p, const struct http_req *req,
    struct inbound *in)
{
	struct http_params params = { 0 };
	const struct http_param *text;
	const char *from, *to, *id, *shortcode;
	enum decode_result rc = DECODE_MALFORMED;

	if (messagebird_params(req, &params) == -1)
		goto out;
	/* A delivery report sent to the inbound URL. */
	if (messagebird_param(&params, "originator") == NULL &&
	    messagebird_param(&params, "status") != NULL) {
		rc = DECODE_IGNORE;
		goto out;
	}
	if (messagebird_bad(&params, "shortcode", sizeof in->recipient) ||
	    messagebird_bad(&params, "recipient", sizeof in->recipient - 1))
		goto out;
	/* Short codes name their fields differently (as courier reads
	 * them); a short code is not an E.164 number, so it is kept as it
	 * came. */
	shortcode = messagebird_get(&params, "shortcode", NULL,
	    sizeof in->recipient);
	if (shortcode != NULL) {
		text = messagebird_param(&params, "message");
		id = messagebird_get(&params, "mid", NULL, sizeof in->ext_id);
		to = NULL;
	} else {
		text = messagebird_param(&params, "body");
		id = messagebird_get(&params, "id", NULL, sizeof in->ext_id);
		/* Room for the "+" provider_e164 adds. */
		to = messagebird_get(&params, "recipient", NULL,
		    sizeof in->recipient - 1);
	}
	from = messagebird_get(&params, "originator", NULL,
	    sizeof in->sender - 1);
	/* Pictures without words: an MMS, which the gateway cannot take. */
	if ((text == NULL || text->value_len == 0) &&
	    messagebird_param(&params, "mediaUrls") != NULL) {
		rc = DECODE_IGNORE;
		goto out;
	}
	if (from == NULL || id == NULL || text == NULL ||
	    text->value_len >= sizeof in->text ||
	    strlen(text->value) != text->value_len)
		goto out;
	memset(in, 0, sizeof *in);
	strlcpy_(in->ext_id, id, sizeof in->ext_id);
	provider_e164(from, in->sender, sizeof in->sender);
	if (shortcode != NULL)
		strlcpy_(in->recipient, shortcode, sizeof in->recipient);
	else if (to != NULL)
		provider_e164(to, in->recipient, sizeof in->recipient);
	char cs[32];
	(void)provider_text(in->text, sizeof in->text, text->value,
	    text->value_len, provider_charset(req, cs, sizeof cs));
	rc = DECODE_MESSAGE;
out:
	http_params_release(&params);
	return rc;
}

static void
messagebird_ack(const struct provider *p, const struct reply_ends *to,
    const char *reply, struct http_resp *resp)
{
	/* The body is ignored (providers.md 5.3), but courier answers "OK"
	 * because "MB expects an 'OK' body": that is right either way. */
	http_resp_set(resp, 200, "text/plain", "OK");
}

static int
messagebird_encode(const struct provider *p, const struct outbound *out,
    struct http_out *req, char *err, size_t errlen)
{
	const struct messagebird *m = p->priv;
	const char *from = out->from ? out->from : m->from;
	size_t digits;
	json_t *o;
	char *body;

	if (out->to == NULL || out->to[0] != '+' ||
	    (digits = strspn(out->to + 1, "0123456789")) !=
	    strlen(out->to + 1) || digits < 7 || digits > 15) {
		snprintf(err, errlen, "\"%s\" is not an E.164 number",
		    out->to ? out->to : "");
		return -1;
	}
	/* datacoding auto: plain GSM-7 unless the text needs Unicode, which
	 * the default (plain) would replace with "?". */
	o = json_pack("{s:s, s:[s], s:s, s:s}", "originator",
	    provider_strip_plus(from), "recipients", out->to + 1, "body",
	    out->text ? out->text : "", "datacoding", "auto");
	if (o == NULL) {
		snprintf(err, errlen, "cannot encode the message (not UTF-8?)");
		return -1;
	}
	if (out->idem_key)
		json_object_set_new(o, "reference", json_string(out->idem_key));
	if (out->status_url)
		json_object_set_new(o, "reportUrl",
		    json_string(out->status_url));
	if ((body = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		snprintf(err, errlen, "cannot encode the message");
		return -1;
	}
	req->method = xstrdup("POST");
	req->url = xasprintf("%s/messages", m->base_url);
	http_out_header(req, "Authorization: AccessKey %s", m->access_key);
	http_out_header(req, "Content-Type: application/json");
	http_out_header(req, "Accept: application/json");
	buf_puts(&req->body, body);
	free(body);
	json_decref(o);
	return 0;
}

/* "HTTP 422: code 9: no (correct) recipients found" from an error answer,
 * as far as it can be read. */
static void
messagebird_describe(const struct provider *p, const char *body, size_t len,
    char *words, size_t wordslen)
{
	json_t *o = json_loadb(body, len, 0, NULL);
	json_t *e = json_array_get(json_object_get(o, "errors"), 0);
	const char *desc = json_string_value(json_object_get(e, "description"));
	json_t *code = json_object_get(e, "code");

	if (desc != NULL && json_is_integer(code))
		snprintf(words, wordslen, "code %" JSON_INTEGER_FORMAT ": %s",
		    json_integer_value(code), desc);
	json_decref(o);
}

static enum decode_result
messagebird_decode_status(const struct provider *p, const struct http_req *req,
    struct delivery *d)
{
	static const struct {
		const char		*status;
		enum delivery_state	 state;
	} states[] = {
		{ "delivered",		DELIVERY_DELIVERED },
		{ "delivery_failed",	DELIVERY_FAILED },
		{ "expired",		DELIVERY_FAILED },
		{ "scheduled",		DELIVERY_PENDING },
		{ "sent",		DELIVERY_PENDING },
		{ "buffered",		DELIVERY_PENDING },
	};
	struct http_params params = { 0 };
	const char *id, *status, *code, *reason;
	enum decode_result rc = DECODE_MALFORMED;

	if (messagebird_params(req, &params) == -1)
		goto out;
	id = messagebird_get(&params, "id", NULL, sizeof d->ext_id);
	status = messagebird_get(&params, "status", NULL, 32);
	code = messagebird_get(&params, "statusErrorCode", NULL, 16);
	reason = messagebird_get(&params, "statusReason", NULL, 64);
	if (id == NULL || status == NULL)
		goto out;
	memset(d, 0, sizeof *d);
	strlcpy_(d->ext_id, id, sizeof d->ext_id);
	d->state = DELIVERY_PENDING;
	for (size_t i = 0; i < nitems(states); i++)
		if (strcmp(states[i].status, status) == 0)
			d->state = states[i].state;
	/* Code 103 is the recipient having sent STOP. */
	if (d->state == DELIVERY_FAILED || (code && strcmp(code, "0") != 0))
		snprintf(d->error, sizeof d->error, "%s (code %s)",
		    reason ? reason : status, code ? code : "none");
	rc = DECODE_MESSAGE;
out:
	http_params_release(&params);
	return rc;
}

const struct provider_ops provider_messagebird = {
	.name = "messagebird",
	.keys = messagebird_keys,
	.configure = messagebird_configure,
	.release = messagebird_release,
	.verify = messagebird_verify,
	.decode = messagebird_decode,
	.ack = messagebird_ack,
	.encode = messagebird_encode,
	/* 201 {"id": ...}. */
	.result_id = "id",
	.result_id_name = "message id",
	.describe = messagebird_describe,
	.decode_status = messagebird_decode_status,
	.inline_reply = 0,
	.unique_ids = 1,
};
