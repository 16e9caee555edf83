/*
 * telnyx.c -- Telnyx API v2 messaging (checked 2026-11).
 *
 *   https://developers.telnyx.com/api-reference/callbacks/inbound-message
 *   https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks
 *   https://developers.telnyx.com/docs/messaging/messages/send-message
 *   https://developers.telnyx.com/docs/development/api-fundamentals/idempotency
 *   signature: team-telnyx/telnyx-python src/telnyx/lib/webhook_verification.py
 *
 * Inbound:  POST application/json, event "message.received":
 *           {"data":{"event_type":"message.received","id":EVENT,
 *            "payload":{"id":MSG,"from":{"phone_number":"+44..."},
 *            "to":[{"phone_number":"+44..."}],"text":"..."}}}
 *           headers telnyx-timestamp (Unix seconds) and
 *           telnyx-signature-ed25519: base64(Ed25519(timestamp "|" body))
 *           under the account's public key; older than 5 minutes (either
 *           way) is refused.  Any other event type is ignored.
 * Answer:   an empty 200; Telnyx has no inline reply.
 * Outbound: POST {base_url}/messages, Authorization: Bearer {api_key},
 *           {"from","to","text","messaging_profile_id","webhook_url"}
 *           -> 200 {"data":{"id":"..."}}; errors as
 *           {"errors":[{"code","title","detail"}]}.  The outbox key goes in
 *           Idempotency-Key (Telnyx's general header; keys outside its
 *           alphabet are sent as their SHA-256 in hex).
 * Receipts: events message.sent and message.finalized, same envelope and
 *           signature, to the per-message webhook_url (out->status_url);
 *           the state is data.payload.to[0].status.
 *
 * Keys ([provider NAME], type = telnyx):
 *   public_key, public_key_file   the account's public key from the
 *                                 portal, base64 of 32 bytes (required)
 *   api_key, api_key_file         API v2 key for sending (required)
 *   base_url                      default https://api.telnyx.com/v2
 *   from                          default sender (+44... or a sender id)
 *   messaging_profile_id          sent with every message; needed for
 *                                 number pools and alphanumeric senders
 *   One of from and messaging_profile_id must be set.
 *
 * Deliberately not done: MMS (media is dropped: a message with only media
 * decodes with empty text), webhook_failover_url, and the StandardWebhooks
 * HMAC scheme the generated SDK keeps as "old behaviour" -- messaging
 * signs with Ed25519.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "provider.h"
#include "util.h"

#define TELNYX_BASE_URL		"https://api.telnyx.com/v2"
#define TELNYX_WINDOW		300	/* seconds either side of now */
#define TELNYX_BLOCKED_BY_STOP	"40300"	/* the number opted out */

struct telnyx {
	unsigned char	 pubkey[32];
	char		*api_key;
	char		*base_url;	/* without a trailing "/" */
	char		*from;		/* NULL: the profile picks */
	char		*profile;	/* messaging_profile_id, or NULL */
};

static const struct provider_key telnyx_keys[] = {
	{ "public_key", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "api_key", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "base_url", PK_URL, TELNYX_BASE_URL, NULL },
	{ "from", 0, NULL, NULL },
	{ "messaging_profile_id", 0, NULL, NULL },
	{ NULL, 0, NULL, NULL }
};

static void
telnyx_free(struct telnyx *t)
{
	if (t == NULL)
		return;
	free(t->api_key);
	free(t->base_url);
	free(t->from);
	free(t->profile);
	free(t);
}

static int
telnyx_configure(struct provider *p, const struct provider_conf *kv,
    char *err, size_t errlen)
{
	const char *key = provider_get(kv, "public_key"), *v;
	struct telnyx *t;
	size_t n = 0;

	t = xcalloc(1, sizeof *t);
	p->priv = t;
	if (base64_decode(key, strlen(key), t->pubkey, sizeof t->pubkey,
	    &n) == -1 || n != sizeof t->pubkey) {
		snprintf(err, errlen, "public_key is not base64 of a 32-byte "
		    "Ed25519 key");
		return -1;
	}
	t->api_key = xstrdup(provider_get(kv, "api_key"));
	t->base_url = xstrdup(provider_get(kv, "base_url"));
	if ((v = provider_get(kv, "from")) != NULL && *v != '\0')
		t->from = xstrdup(v);
	if ((v = provider_get(kv, "messaging_profile_id")) != NULL &&
	    *v != '\0')
		t->profile = xstrdup(v);
	if (t->from == NULL && t->profile == NULL) {
		snprintf(err, errlen, "set from or messaging_profile_id (or "
		    "both)");
		return -1;
	}
	return 0;
}

static void
telnyx_release(struct provider *p)
{
	telnyx_free(p->priv);
	p->priv = NULL;
}

static enum verify_result
telnyx_verify(const struct provider *p, const struct http_req *req,
    int64_t now)
{
	const struct telnyx *t = p->priv;
	const char *sig64, *ts;
	unsigned char sig[64];
	size_t n = 0, tslen;
	int64_t when;
	char *msg;
	int ok;

	if (t == NULL)
		return VERIFY_ERROR;
	if (http_req_trusted(req, "telnyx-signature-ed25519", &sig64) != 1 ||
	    http_req_trusted(req, "telnyx-timestamp", &ts) != 1 ||
	    provider_timestamp(ts, &when) == -1)
		return VERIFY_BAD;
	/* A replayed request is refused, whether early or late. */
	if (when < now - TELNYX_WINDOW || when > now + TELNYX_WINDOW)
		return VERIFY_BAD;
	if (base64_decode(sig64, strlen(sig64), sig, sizeof sig, &n) == -1 ||
	    n != sizeof sig)
		return VERIFY_BAD;
	/* Signed: the timestamp header as sent, "|", the raw body. */
	tslen = strlen(ts);
	msg = xmalloc(tslen + 1 + req->body_len);
	memcpy(msg, ts, tslen);
	msg[tslen] = '|';
	if (req->body_len)
		memcpy(msg + tslen + 1, req->body, req->body_len);
	ok = crypto_ed25519_verify(t->pubkey, msg, tslen + 1 + req->body_len,
	    sig);
	free(msg);
	return ok ? VERIFY_OK : VERIFY_BAD;
}

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/*
 * The envelope both webhooks share: the body as JSON, data.event_type and
 * data.payload.  NULL (root freed) when the body is not that shape.
 */
static json_t *
load_event(const struct http_req *req, const char **type, json_t **payload)
{
	json_t *root, *data;
	struct buf b;

	/* Decoded as its charset says, so that a Latin-1 body is not lost
	 * (verify has checked the bytes as they came). */
	(void)provider_body_utf8(req, &b);
	root = json_loadb(b.data ? b.data : "", b.len, 0, NULL);
	buf_release(&b);
	data = json_object_get(root, "data");
	*type = jstr(data, "event_type");
	*payload = json_object_get(data, "payload");
	if (!json_is_object(data) || *type == NULL) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static enum decode_result
telnyx_decode(const struct provider *p, const struct http_req *req,
    struct inbound *in)
{
	json_t *root, *payload, *to0;
	const char *type, *from, *to, *id, *text;
	enum decode_result rc = DECODE_MALFORMED;

	if ((root = load_event(req, &type, &payload)) == NULL)
		return DECODE_MALFORMED;
	if (strcmp(type, "message.received") != 0) {
		json_decref(root);
		return DECODE_IGNORE;
	}
	if (!json_is_object(payload))
		goto out;
	memset(in, 0, sizeof *in);
	/* The message id; the event id only if a payload lacks one (both
	 * stay the same when Telnyx retries). */
	id = jstr(payload, "id");
	if (id == NULL || *id == '\0')
		id = jstr(json_object_get(root, "data"), "id");
	if (id == NULL || *id == '\0' || provider_copy(in->ext_id,
	    sizeof in->ext_id, id) == -1)
		goto out;
	from = jstr(json_object_get(payload, "from"), "phone_number");
	if (from == NULL || *from == '\0' || strlen(from) + 1 >=
	    sizeof in->sender)
		goto out;
	provider_e164(from, in->sender, sizeof in->sender);
	to0 = json_array_get(json_object_get(payload, "to"), 0);
	if ((to = jstr(to0, "phone_number")) != NULL) {
		if (strlen(to) + 1 >= sizeof in->recipient)
			goto out;
		provider_e164(to, in->recipient, sizeof in->recipient);
	}
	/* An MMS with only media has a null text. */
	text = jstr(payload, "text");
	if (text == NULL && json_object_get(payload, "text") != NULL &&
	    !json_is_null(json_object_get(payload, "text")))
		goto out;
	if (text != NULL && provider_text(in->text, sizeof in->text, text,
	    strlen(text), "UTF-8") == -1)
		goto out;
	rc = DECODE_MESSAGE;
out:
	json_decref(root);
	return rc;
}

static int
telnyx_encode(const struct provider *p, const struct outbound *out,
    struct http_out *req, char *err, size_t errlen)
{
	const struct telnyx *t = p->priv;
	const char *from = out->from ? out->from : t->from;
	char idem[256];
	json_t *o;
	char *body;

	o = json_pack("{s:s*, s:s, s:s, s:s*, s:s*}", "from", from, "to",
	    out->to, "text", out->text, "messaging_profile_id", t->profile,
	    "webhook_url", out->status_url);
	if (o == NULL || (body = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		snprintf(err, errlen, "cannot encode the message");
		return -1;
	}
	req->method = xstrdup("POST");
	req->url = xasprintf("%s/messages", t->base_url);
	http_out_header(req, "Authorization: Bearer %s", t->api_key);
	http_out_header(req, "Content-Type: application/json");
	http_out_header(req, "Accept: application/json");
	if (out->idem_key != NULL) {
		/* Telnyx keys are [A-Za-z0-9_:-]{1,255}; others go as
		 * their digest. */
		provider_safe_key(out->idem_key, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:-", 255, 32, idem,
		    sizeof idem);
		if (idem[0] != '\0')
			http_out_header(req, "Idempotency-Key: %s", idem);
	}
	buf_puts(&req->body, body);
	free(body);
	json_decref(o);
	return 0;
}

/* "HTTP 400: 40300 Blocked due to STOP message", from an error body. */
static void
telnyx_describe(const struct provider *p, const char *body, size_t len,
    char *words, size_t wordslen)
{
	json_t *o = json_loadb(body, len, 0, NULL);
	json_t *e0 = json_array_get(json_object_get(o, "errors"), 0);
	const char *code = jstr(e0, "code"), *title = jstr(e0, "title");

	if (code || title)
		snprintf(words, wordslen, "%s%s%s", code ? code : "",
		    code && title ? " " : "", title ? title : "");
	json_decref(o);
}

/*
 * Does an answer's errors[] hold 40300, "Blocked due to STOP message": the
 * number opted out of the messaging profile, which Telnyx then refuses
 * to text (https://developers.telnyx.com/docs/messaging/messages/advanced-opt-in-out).
 */
static int
blocked_by_stop(const char *body, size_t len)
{
	json_t *o = json_loadb(body ? body : "", body ? len : 0, 0, NULL);
	json_t *errs = json_object_get(o, "errors");
	const char *code;
	int yes = 0;

	for (size_t i = 0; i < json_array_size(errs); i++)
		if ((code = jstr(json_array_get(errs, i), "code")) != NULL &&
		    strcmp(code, TELNYX_BLOCKED_BY_STOP) == 0)
			yes = 1;
	json_decref(o);
	return yes;
}

static enum send_result
telnyx_refused(const struct provider *p, int status, const char *body,
    size_t len)
{
	return blocked_by_stop(body, len) ? SEND_OPTED_OUT : SEND_FAIL;
}

static enum decode_result
telnyx_decode_status(const struct provider *p, const struct http_req *req,
    struct delivery *d)
{
	json_t *root, *payload, *e0;
	const char *type, *id, *status, *code, *title;
	enum decode_result rc = DECODE_MALFORMED;

	if ((root = load_event(req, &type, &payload)) == NULL)
		return DECODE_MALFORMED;
	if (strcmp(type, "message.sent") != 0 &&
	    strcmp(type, "message.finalized") != 0) {
		json_decref(root);
		return DECODE_IGNORE;
	}
	id = jstr(payload, "id");
	status = jstr(json_array_get(json_object_get(payload, "to"), 0),
	    "status");
	memset(d, 0, sizeof *d);
	if (id == NULL || *id == '\0' || status == NULL ||
	    provider_copy(d->ext_id, sizeof d->ext_id, id) == -1)
		goto out;
	if (strcmp(status, "delivered") == 0)
		d->state = DELIVERY_DELIVERED;
	else if (strcmp(status, "sending_failed") == 0 ||
	    strcmp(status, "delivery_failed") == 0)
		d->state = DELIVERY_FAILED;
	else
		d->state = DELIVERY_PENDING;	/* queued, sent, unknown */
	e0 = json_array_get(json_object_get(payload, "errors"), 0);
	code = jstr(e0, "code");
	/* The same block reported on a message.finalized. */
	if (code != NULL && strcmp(code, TELNYX_BLOCKED_BY_STOP) == 0) {
		d->opted_out = 1;
		d->state = DELIVERY_FAILED;
	}
	title = jstr(e0, "title");
	if (code || title)
		snprintf(d->error, sizeof d->error, "%s%s%s", code ? code : "",
		    code && title ? " " : "", title ? title : "");
	else if (d->state != DELIVERY_DELIVERED &&
	    strcmp(status, "delivery_unconfirmed") == 0)
		strlcpy_(d->error, status, sizeof d->error);
	rc = DECODE_MESSAGE;
out:
	json_decref(root);
	return rc;
}

const struct provider_ops provider_telnyx = {
	.name = "telnyx",
	.keys = telnyx_keys,
	.configure = telnyx_configure,
	.release = telnyx_release,
	.verify = telnyx_verify,
	.decode = telnyx_decode,
	/* ack: the default, an empty 200 */
	.encode = telnyx_encode,
	/* {"data": {"id": ...}}; without one the retry carries the same
	 * Idempotency-Key, so Telnyx can answer it without a second message. */
	.result_id = "data.id",
	.result_id_name = "message id",
	.describe = telnyx_describe,
	.refused = telnyx_refused,
	.decode_status = telnyx_decode_status,
	.inline_reply = 0,
	.unique_ids = 1,
};
