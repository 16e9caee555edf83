/*
 * bird.c -- Bird (the successor of MessageBird): its two current APIs
 * behind one type, chosen by the instance's keys (checked 2026-12).
 *
 *   docs/providers-vonage-messages-and-bird.md part B (the reference)
 *   https://docs.bird.com/api/api-access/common-api-usage
 *   https://docs.bird.com/api/channels-api/supported-channels/programmable-sms/sending-sms-messages
 *   https://docs.bird.com/api/channels-api/rate-limit
 *   https://docs.bird.com/api/notifications-api/api-reference/webhook-subscriptions/verifying-a-webhook-subscription
 *   messagebird/bird-sdk-typescript@0d5cc9a: src/region.ts,
 *     src/resources/sms.ts, src/generated/types.gen.ts (platform API)
 *
 * Platform API ({region}.platform.bird.com; no workspace_id/channel_id):
 *   Inbound:  POST JSON {"type":"sms.received","timestamp",
 *             "data":{"sms_id","to","from","text",...}}; the fields are
 *             also taken flat (the SDK README says so, its types nest).
 *   Signature: Standard Webhooks: webhook-id, webhook-timestamp (Unix
 *             seconds, 5 minutes either way), webhook-signature, a
 *             space-separated list of "v1,<base64 HMAC-SHA256>" over
 *             id "." timestamp "." body, keyed by the base64 after
 *             "whsec_"; any one v1 entry that matches will do.
 *   Outbound: POST {base}/v1/sms/messages, Authorization: Bearer <key>,
 *             {"to","from","text","category"} and Idempotency-Key; the
 *             answer is the message {"id",...}.  base is
 *             https://{region}.platform.bird.com, the region read from
 *             the key bk_{region}_{token} (or bm_...), unless base_url.
 *   Receipts: sms.accepted / sms.sent (pending), sms.delivered,
 *             sms.undelivered / sms.failed / sms.rejected / sms.expired
 *             (failed, data.error {code, description}).
 *
 * Channels API (api.bird.com; workspace_id and channel_id set):
 *   Inbound:  POST JSON {"service":"channels","event":"sms.inbound",
 *             "payload":{"id","sender":{"contact":{"identifierValue"}},
 *             "body":{"text":{"text"}},...}}.
 *   Signature: messagebird-signature = base64 HMAC-SHA256, keyed by the
 *             subscription's signingKey as text, over timestamp "\n" URL
 *             "\n" SHA-256(body) as 32 raw bytes; messagebird-request-
 *             timestamp in Unix seconds.  Bird documents no clock window:
 *             ours is 5 minutes either way (Bird retries with new
 *             deliveries, so an honest request is fresh).
 *   Outbound: POST {base}/workspaces/{ws}/channels/{ch}/messages,
 *             Authorization: AccessKey <key>, {"receiver":{"contacts":[
 *             {"identifierKey":"phonenumber","identifierValue"}]},
 *             "body":{"type":"text","text":{"text"}},"reference"};
 *             202 with the message {"id",...}.
 *   Receipts: event sms.outbound, payload.status accepted / sent
 *             (pending), delivered, sending_failed / delivery_failed
 *             (failed, failure.code and details).
 *
 * Both: an empty 200 (no inline reply); 429 and 5xx are retried (Bird:
 * "safe to retry"; a 429 was not processed), other 4xx fail.  Other event
 * types are ignored with 200.
 *
 * Keys ([provider NAME], type = bird):
 *   access_key, access_key_file    API key (bk_...) or Channels access key
 *   signing_key, signing_key_file  webhook secret: whsec_... (platform) or
 *                                  the subscription's signingKey
 *   workspace_id, channel_id       set both for the Channels API
 *   from                           sender (platform API: required)
 *   category                       platform API: transactional (default),
 *                                  service, marketing, authentication
 *   base_url                       overrides the API's host
 *
 * What the reference leaves silent, checked against docs.bird.com
 * (2026-12): the verifying page still gives no clock tolerance and no URL
 * canonicalisation (we sign the URL as the gateway's public_url + path +
 * query: register exactly that); the Channels rate-limit page says a 429
 * "has not been processed and can be retried" (500 POST/s per workspace);
 * no SMS-specific status list was found beyond the email page's
 * accepted / sent / sending_failed / delivery_failed (+ delivered).
 *
 * Deliberately not done: MMS and templates; Channels webhooks signed
 * without a signingKey are refused (one is required).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "provider.h"
#include "util.h"

#define BIRD_CHANNELS_URL	"https://api.bird.com"
#define BIRD_WINDOW		300	/* seconds either side of now */
#define BIRD_MAX_ID		256	/* webhook-id bytes we sign */
#define BIRD_MAX_KEY		128	/* bytes of a decoded whsec_ key */

enum bird_api { BIRD_PLATFORM, BIRD_CHANNELS };

struct bird {
	enum bird_api	 api;
	char		*access_key;
	unsigned char	*key;		/* what webhooks are signed with */
	size_t		 keylen;
	char		*base_url;	/* without a trailing "/" */
	char		*workspace;
	char		*channel;
	char		*from;		/* NULL: none */
	char		*category;
};

static const char *const bird_categories[] = {
	"transactional", "service", "marketing", "authentication", NULL
};

static const struct provider_key bird_keys[] = {
	{ "access_key", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "signing_key", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "workspace_id", 0, NULL, NULL },
	{ "channel_id", 0, NULL, NULL },
	{ "from", 0, NULL, NULL },
	/* platform API only */
	{ "category", 0, "transactional", bird_categories },
	/* default: the access key's region, or api.bird.com */
	{ "base_url", PK_URL, NULL, NULL },
	{ NULL, 0, NULL, NULL }
};

static void
bird_free(struct bird *b)
{
	if (b == NULL)
		return;
	if (b->access_key)
		explicit_bzero(b->access_key, strlen(b->access_key));
	free(b->access_key);
	if (b->key)
		explicit_bzero(b->key, b->keylen);
	free(b->key);
	free(b->base_url);
	free(b->workspace);
	free(b->channel);
	free(b->from);
	free(b->category);
	free(b);
}

/* The region of a platform key, "{bk|bm}_{region}_{token}" with region
 * [a-z]{2}[0-9]+ (the SDK's region.ts), into out; -1 when it has none. */
static int
bird_region(const char *key, char *out, size_t outlen)
{
	const char *r, *end;
	size_t n;

	if (strncmp(key, "bk_", 3) != 0 && strncmp(key, "bm_", 3) != 0)
		return -1;
	r = key + 3;
	if ((end = strchr(r, '_')) == NULL || end[1] == '\0' ||
	    end[1] == '_')
		return -1;
	n = (size_t)(end - r);
	if (n < 3 || n >= outlen || strspn(r, "abcdefghijklmnopqrstuvwxyz") !=
	    2 || strspn(r + 2, "0123456789") != n - 2)
		return -1;
	memcpy(out, r, n);
	out[n] = '\0';
	return 0;
}

/* An id that goes into a URL path as it is. */
static int
bird_path_safe(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

static int
bird_configure(struct provider *p, const struct provider_conf *kv,
    char *err, size_t errlen)
{
	const char *secret = provider_get(kv, "signing_key"), *ws, *ch, *v;
	char region[32];
	struct bird *b;
	size_t n;

	b = xcalloc(1, sizeof *b);
	p->priv = b;
	ws = provider_get(kv, "workspace_id");
	ch = provider_get(kv, "channel_id");
	b->api = ws != NULL || ch != NULL ? BIRD_CHANNELS : BIRD_PLATFORM;
	b->access_key = xstrdup(provider_get(kv, "access_key"));
	if ((v = provider_get(kv, "from")) != NULL && *v != '\0')
		b->from = xstrdup(v);
	if ((v = provider_get(kv, "base_url")) != NULL)
		b->base_url = xstrdup(v);
	if (b->api == BIRD_CHANNELS) {
		if (ws == NULL || ch == NULL || !bird_path_safe(ws) ||
		    !bird_path_safe(ch)) {
			snprintf(err, errlen, "the Channels API needs both "
			    "workspace_id and channel_id (UUIDs)");
			return -1;
		}
		if (provider_given(kv, "category")) {
			snprintf(err, errlen, "category is for the platform "
			    "API, not the Channels API");
			return -1;
		}
		b->workspace = xstrdup(ws);
		b->channel = xstrdup(ch);
		/* The signingKey is used as text (B7). */
		b->keylen = strlen(secret);
		b->key = xmalloc(b->keylen);
		memcpy(b->key, secret, b->keylen);
		if (b->base_url == NULL)
			b->base_url = xstrdup(BIRD_CHANNELS_URL);
		return 0;
	}
	const char *k64 = strncmp(secret, "whsec_", 6) == 0 ? secret + 6 :
	    secret;
	b->key = xmalloc(BIRD_MAX_KEY);
	if (base64_decode(k64, strlen(k64), b->key, BIRD_MAX_KEY, &n) == -1 ||
	    n == 0) {
		snprintf(err, errlen, "signing_key is not a whsec_... secret "
		    "(base64 after whsec_); for the Channels API set "
		    "workspace_id and channel_id");
		return -1;
	}
	b->keylen = n;
	if (b->from == NULL) {
		snprintf(err, errlen, "from is required (our number or sender "
		    "id)");
		return -1;
	}
	b->category = xstrdup(provider_get(kv, "category"));
	if (bird_region(b->access_key, region, sizeof region) == 0) {
		if (b->base_url == NULL)
			b->base_url = xasprintf("https://%s.platform.bird.com",
			    region);
	} else if (b->base_url == NULL) {
		snprintf(err, errlen, "access_key has no region (not "
		    "bk_{region}_...): set base_url, or workspace_id and "
		    "channel_id for the Channels API");
		return -1;
	}
	return 0;
}

static void
bird_release(struct provider *p)
{
	bird_free(p->priv);
	p->priv = NULL;
}

/* Is any "v1,<base64>" entry of the space-separated list mac? */
static int
bird_sig_listed(const char *list, const unsigned char *mac, size_t maclen)
{
	unsigned char sig[64];
	const char *s = list, *e;
	size_t n, got;
	int ok = 0;

	while (*s != '\0') {
		s += strspn(s, " ");
		n = strcspn(s, " ");
		e = s + n;
		/* Other versions (v1a: asymmetric) are not ours to check. */
		if (n > 3 && strncmp(s, "v1,", 3) == 0 &&
		    base64_decode(s + 3, n - 3, sig, sizeof sig, &got) == 0 &&
		    got == maclen && crypto_eq(sig, mac, maclen))
			ok = 1;	/* no early exit: the time is the list's */
		s = e;
	}
	return ok;
}

static enum verify_result
bird_verify_platform(const struct bird *b, const struct http_req *req,
    int64_t now)
{
	const char *id, *ts, *sigs;
	unsigned char mac[CRYPTO_MAX_DIGEST];
	size_t idlen, tslen, len, maclen;
	int64_t when;
	char *msg;

	if (http_req_trusted(req, "webhook-id", &id) != 1 ||
	    http_req_trusted(req, "webhook-timestamp", &ts) != 1 ||
	    http_req_trusted(req, "webhook-signature", &sigs) != 1 ||
	    provider_timestamp(ts, &when) == -1)
		return VERIFY_BAD;
	if (when < now - BIRD_WINDOW || when > now + BIRD_WINDOW)
		return VERIFY_BAD;
	if ((idlen = strlen(id)) == 0 || idlen > BIRD_MAX_ID)
		return VERIFY_BAD;
	tslen = strlen(ts);
	len = idlen + 1 + tslen + 1 + req->body_len;
	msg = xmalloc(len);
	memcpy(msg, id, idlen);
	msg[idlen] = '.';
	memcpy(msg + idlen + 1, ts, tslen);
	msg[idlen + 1 + tslen] = '.';
	if (req->body_len)
		memcpy(msg + idlen + tslen + 2, req->body, req->body_len);
	maclen = crypto_hmac(HASH_SHA256, b->key, b->keylen, msg, len, mac);
	free(msg);
	if (maclen == 0)
		return VERIFY_ERROR;
	return bird_sig_listed(sigs, mac, maclen) ? VERIFY_OK : VERIFY_BAD;
}

static enum verify_result
bird_verify_channels(const struct bird *b, const struct http_req *req,
    int64_t now)
{
	const char *sig64, *ts;
	unsigned char sig[64], mac[CRYPTO_MAX_DIGEST], md[CRYPTO_MAX_DIGEST];
	size_t n = 0, tslen, urllen, len, maclen;
	int64_t when;
	char *msg;

	if (req->url == NULL)
		return VERIFY_ERROR;
	if (http_req_trusted(req, "messagebird-signature", &sig64) != 1 ||
	    http_req_trusted(req, "messagebird-request-timestamp",
	    &ts) != 1 || provider_timestamp(ts, &when) == -1)
		return VERIFY_BAD;
	if (when < now - BIRD_WINDOW || when > now + BIRD_WINDOW)
		return VERIFY_BAD;
	if (base64_decode(sig64, strlen(sig64), sig, sizeof sig, &n) == -1 ||
	    n != 32)
		return VERIFY_BAD;
	if (crypto_digest(HASH_SHA256, req->body ? req->body : "",
	    req->body_len, md) != 32)
		return VERIFY_ERROR;
	/* timestamp "\n" URL "\n" the body's digest as raw bytes. */
	tslen = strlen(ts);
	urllen = strlen(req->url);
	len = tslen + 1 + urllen + 1 + 32;
	msg = xmalloc(len);
	memcpy(msg, ts, tslen);
	msg[tslen] = '\n';
	memcpy(msg + tslen + 1, req->url, urllen);
	msg[tslen + 1 + urllen] = '\n';
	memcpy(msg + tslen + urllen + 2, md, 32);
	maclen = crypto_hmac(HASH_SHA256, b->key, b->keylen, msg, len, mac);
	free(msg);
	if (maclen != 32)
		return VERIFY_ERROR;
	return crypto_eq(mac, sig, 32) ? VERIFY_OK : VERIFY_BAD;
}

static enum verify_result
bird_verify(const struct provider *p, const struct http_req *req,
    int64_t now)
{
	const struct bird *b = p->priv;

	if (b == NULL || b->key == NULL)
		return VERIFY_ERROR;
	return b->api == BIRD_PLATFORM ? bird_verify_platform(b, req, now) :
	    bird_verify_channels(b, req, now);
}

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/*
 * The event of either API: its type ("sms.received", "sms.inbound", ...)
 * and the object that holds the message (data or payload; the platform
 * event's own top level when it comes flat).  NULL when the body is not
 * such an event; else the root, which the caller frees.
 */
static json_t *
bird_event(const struct bird *b, const struct http_req *req,
    const char **type, json_t **msg)
{
	json_t *root;
	struct buf body;

	/* As its charset says (verify has checked the bytes as they came). */
	(void)provider_body_utf8(req, &body);
	root = json_loadb(body.data ? body.data : "", body.len, 0, NULL);
	buf_release(&body);
	if (b->api == BIRD_PLATFORM) {
		*type = jstr(root, "type");
		*msg = json_object_get(root, "data");
		if (*msg == NULL)
			*msg = root;
	} else {
		*type = jstr(root, "event");
		*msg = json_object_get(root, "payload");
	}
	if (*type == NULL || !json_is_object(*msg)) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static enum decode_result
bird_decode(const struct provider *p, const struct http_req *req,
    struct inbound *in)
{
	const struct bird *b = p->priv;
	const char *type, *id, *from, *to, *text;
	struct http_req utf8;
	json_t *root, *m, *t;
	enum decode_result rc = DECODE_MALFORMED;

	if ((root = bird_event(b, req, &type, &m)) == NULL)
		return DECODE_MALFORMED;
	if (strcmp(type, b->api == BIRD_PLATFORM ? "sms.received" :
	    "sms.inbound") != 0) {
		json_decref(root);
		return DECODE_IGNORE;
	}
	if (b->api == BIRD_PLATFORM) {
		id = jstr(m, "sms_id");
		if (id == NULL)
			id = jstr(m, "id");
		from = jstr(m, "from");
		to = jstr(m, "to");
		t = json_object_get(m, "text");
	} else {
		id = jstr(m, "id");
		from = jstr(json_object_get(json_object_get(m, "sender"),
		    "contact"), "identifierValue");
		/* Our number is not in the payload (B3 is silent): the
		 * connector's, should Bird add it, else from. */
		to = jstr(json_object_get(json_object_get(m, "receiver"),
		    "connector"), "identifierValue");
		if (to == NULL)
			to = b->from;
		t = json_object_get(json_object_get(m, "body"), "text");
		if (json_is_object(t))
			t = json_object_get(t, "text");
	}
	/* Attachments without words: no text, nothing for the gateway. */
	if (t == NULL || json_is_null(t)) {
		rc = DECODE_IGNORE;
		goto out;
	}
	if ((text = json_string_value(t)) == NULL)
		goto out;
	/* The text is UTF-8 already: no charset to apply twice. */
	utf8 = *req;
	utf8.headers = NULL;
	utf8.nheaders = 0;
	if (provider_inbound(in, &utf8, id, from, to, text) == 0)
		rc = DECODE_MESSAGE;
out:
	json_decref(root);
	return rc;
}

static int
bird_encode(const struct provider *p, const struct outbound *out,
    struct http_out *req, char *err, size_t errlen)
{
	const struct bird *b = p->priv;
	const char *from = out->from ? out->from : b->from;
	char idem[256];
	json_t *o;
	char *body;

	if (out->to == NULL || out->to[0] != '+' || out->text == NULL) {
		snprintf(err, errlen, "no E.164 recipient or no text");
		return -1;
	}
	if (out->idem_key != NULL)
		provider_safe_key(out->idem_key, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:/.-", 255, 32, idem,
		    sizeof idem);
	else
		idem[0] = '\0';
	if (b->api == BIRD_PLATFORM)
		o = json_pack("{s:s, s:s, s:s, s:s}", "to", out->to, "from",
		    from, "text", out->text, "category", b->category);
	else
		o = json_pack("{s:{s:[{s:s, s:s}]}, s:{s:s, s:{s:s}}}",
		    "receiver", "contacts", "identifierKey", "phonenumber",
		    "identifierValue", out->to, "body", "type", "text", "text",
		    "text", out->text);
	if (o != NULL && idem[0] != '\0' && b->api == BIRD_CHANNELS)
		json_object_set_new(o, "reference", json_string(idem));
	if (o == NULL || (body = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		snprintf(err, errlen, "cannot encode the message (not "
		    "UTF-8?)");
		return -1;
	}
	req->method = xstrdup("POST");
	if (b->api == BIRD_PLATFORM) {
		req->url = xasprintf("%s/v1/sms/messages", b->base_url);
		http_out_header(req, "Authorization: Bearer %s",
		    b->access_key);
		/* Replayed answers for 3 hours: a retry sends no second
		 * message. */
		if (idem[0] != '\0')
			http_out_header(req, "Idempotency-Key: %s", idem);
	} else {
		req->url = xasprintf("%s/workspaces/%s/channels/%s/messages",
		    b->base_url, b->workspace, b->channel);
		http_out_header(req, "Authorization: AccessKey %s",
		    b->access_key);
	}
	http_out_header(req, "Content-Type: application/json");
	http_out_header(req, "Accept: application/json");
	buf_puts(&req->body, body);
	free(body);
	json_decref(o);
	return 0;
}

/*
 * "HTTP 422: invalid_recipient: ..." from an error answer: the platform's
 * flat {type, message} or nested {"error": {type, code, message}}, or a
 * Channels {code, message}, as far as it can be read.  Sets *busy when it
 * is the platform's "request_in_progress" (the same key in flight).
 */
/* The error of an answer, and whether it is Bird's "busy" (a request
 * with the same key still in flight), which is worth another go. */
static void
bird_error(const char *body, size_t len, char *words, size_t wordslen,
    int *busy)
{
	json_t *o = json_loadb(body, len, 0, NULL);
	json_t *e = json_is_object(json_object_get(o, "error")) ?
	    json_object_get(o, "error") : o;
	const char *type = jstr(e, "type"), *msg = jstr(e, "message");
	const char *code = jstr(e, "code");

	if (type == NULL)
		type = code;
	*busy = (type && strcmp(type, "request_in_progress") == 0) ||
	    (code && strcmp(code, "E01004") == 0);
	if (type || msg)
		snprintf(words, wordslen, "%s%s%s", type ? type : "",
		    type && msg ? ": " : "", msg ? msg : "");
	json_decref(o);
}

static void
bird_describe(const struct provider *p, const char *body, size_t len,
    char *words, size_t wordslen)
{
	int busy;

	bird_error(body, len, words, wordslen, &busy);
}

static enum send_result
bird_refused(const struct provider *p, int status, const char *body,
    size_t len)
{
	char words[8];
	int busy;

	bird_error(body, len, words, sizeof words, &busy);
	return busy ? SEND_RETRY : SEND_FAIL;
}

static enum decode_result
bird_decode_status(const struct provider *p, const struct http_req *req,
    struct delivery *d)
{
	static const struct {
		const char		*status;
		enum delivery_state	 state;
	} states[] = {
		/* platform event types */
		{ "sms.accepted",	DELIVERY_PENDING },
		{ "sms.sent",		DELIVERY_PENDING },
		{ "sms.delivered",	DELIVERY_DELIVERED },
		{ "sms.undelivered",	DELIVERY_FAILED },
		{ "sms.failed",		DELIVERY_FAILED },
		{ "sms.rejected",	DELIVERY_FAILED },
		{ "sms.expired",	DELIVERY_FAILED },
		/* Channels payload statuses */
		{ "accepted",		DELIVERY_PENDING },
		{ "sent",		DELIVERY_PENDING },
		{ "delivered",		DELIVERY_DELIVERED },
		{ "sending_failed",	DELIVERY_FAILED },
		{ "delivery_failed",	DELIVERY_FAILED },
	};
	const struct bird *b = p->priv;
	const char *type, *id, *status, *word;
	json_t *root, *m, *e, *code;
	enum decode_result rc = DECODE_MALFORMED;
	size_t i;

	if ((root = bird_event(b, req, &type, &m)) == NULL)
		return DECODE_MALFORMED;
	if (b->api == BIRD_PLATFORM) {
		id = jstr(m, "sms_id");
		if (id == NULL)
			id = jstr(m, "id");
		status = type;
	} else {
		if (strcmp(type, "sms.outbound") != 0) {
			rc = DECODE_IGNORE;
			goto out;
		}
		id = jstr(m, "id");
		status = jstr(m, "status");
	}
	for (i = 0; status != NULL && i < nitems(states); i++)
		if (strcmp(states[i].status, status) == 0)
			break;
	if (status != NULL && i == nitems(states)) {
		/* sms.received, an interaction, a status added later. */
		rc = DECODE_IGNORE;
		goto out;
	}
	memset(d, 0, sizeof *d);
	if (status == NULL || id == NULL || *id == '\0' ||
	    provider_copy(d->ext_id, sizeof d->ext_id, id) == -1)
		goto out;
	d->state = states[i].state;
	if (b->api == BIRD_PLATFORM) {
		e = json_object_get(m, "error");
		code = json_object_get(e, "code");
		word = jstr(e, "description");
	} else {
		code = json_object_get(json_object_get(m, "failure"), "code");
		if ((word = jstr(m, "details")) == NULL)
			word = jstr(m, "reason");
	}
	if (json_is_integer(code))
		snprintf(d->error, sizeof d->error, "%" JSON_INTEGER_FORMAT
		    "%s%s", json_integer_value(code), word ? " " : "",
		    word ? word : "");
	else if (json_is_string(code) || word)
		snprintf(d->error, sizeof d->error, "%s%s%s",
		    json_is_string(code) ? json_string_value(code) : "",
		    json_is_string(code) && word ? " " : "", word ? word : "");
	else if (d->state == DELIVERY_FAILED)
		strlcpy_(d->error, status, sizeof d->error);
	rc = DECODE_MESSAGE;
out:
	json_decref(root);
	return rc;
}

const struct provider_ops provider_bird = {
	.name = "bird",
	.keys = bird_keys,
	.configure = bird_configure,
	.release = bird_release,
	.verify = bird_verify,
	.decode = bird_decode,
	/* ack: the default, an empty 200 */
	.encode = bird_encode,
	/* {"id": ...}; without one the retry carries the same key. */
	.result_id = "id",
	.result_id_name = "message id",
	.describe = bird_describe,
	.refused = bird_refused,
	.decode_status = bird_decode_status,
	.inline_reply = 0,
	.unique_ids = 1,
};
