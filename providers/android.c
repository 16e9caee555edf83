/*
 * android.c -- SMS Gateway for Android ("SMSGate", capcom6), the app that
 * turns a phone into an SMS gateway, through its local server on the
 * phone or its cloud server (checked 2026-11).
 *
 *   https://docs.sms-gate.app/features/webhooks/
 *   https://docs.sms-gate.app/features/sending-messages/
 *   (android-sms-gateway/docs-web docs/features/webhooks.md,
 *   docs/features/sending-messages.md)
 *   capcom6/android-sms-gateway modules/webhooks (PayloadSingingPlugin.kt,
 *   payload/SmsEventPayload.kt), capcom6/sms-gateway (cloud server)
 *
 * Inbound:  POST application/json, one webhook per event, registered with
 *           POST /webhooks {"url":"https://gw.example/webhooks/NAME",
 *           "event":"sms:received"}:
 *           {"deviceId","event":"sms:received","id":EVENT,"payload":
 *            {"messageId","message","sender","recipient","simNumber",
 *            "receivedAt"},"webhookId"}
 *           X-Timestamp (Unix seconds) and X-Signature: lower-case
 *           hex(HMAC-SHA256(signing key, raw body + X-Timestamp)); more
 *           than 5 minutes either way is refused.  Other events are
 *           ignored.
 * Answer:   an empty 200; the app has no inline reply.
 * Outbound: POST {base_url}/messages with HTTP Basic auth,
 *           {"textMessage":{"text"},"phoneNumbers":["+44..."],
 *           "withDeliveryReport","id","simNumber","deviceId"}
 *           -> 202 {"id","state":"Pending",...}.  The outbox key is sent
 *           as the message "id" (at most 36 characters of [A-Za-z0-9_-:.];
 *           longer keys go as 32 hex digits of their SHA-256), so a retry
 *           of a send that got through is refused 409 -- counted as sent.
 * Receipts: events sms:sent, sms:delivered and sms:failed (register them
 *           to /status/NAME); payload.messageId is the id sent above.
 *
 * payload.messageId is derived from the content, so two texts alike from
 * one sender share it: ext_id is the event id instead, and unique_ids is
 * 0 so that the gateway also matches duplicates by sender and text.
 *
 * Keys ([provider NAME], type = android):
 *   signing_key, signing_key_file  the app's webhook signing key (required)
 *   base_url     local: http://PHONE-IP:8080, cloud:
 *                https://api.sms-gate.app/3rdparty/v1 (required)
 *   username     the app's API user name (required)
 *   password, password_file        its password (required)
 *   from         the phone's own number: the recipient of inbound texts
 *                when the app leaves payload.recipient null (the phone
 *                always sends from its SIM)
 *   sim_number   which SIM sends (1, 2, 3); default: the app's choice
 *   device_id    which device sends, on the cloud server
 *
 * Deliberately not done: MMS and data SMS events, JWT auth, message
 * encryption, registering the webhooks (done once, by hand or curl), and
 * choosing the sender: out->from is ignored, the phone sends from its SIM.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "provider.h"
#include "util.h"

#define ANDROID_WINDOW		300	/* seconds either way of now */
#define ANDROID_MAX_MSGID	36	/* the server's limit on "id" */

struct android {
	char	*signing_key;
	char	*base_url;		/* without a trailing "/" */
	char	*userpwd;		/* "user:password" */
	char	*from;			/* NULL: unknown */
	int	 sim_number;		/* 0: the app's choice */
	char	*device_id;		/* NULL: any */
};

static const char *const android_sims[] = {
	"1", "2", "3", "4", "5", "6", "7", "8", "9", NULL
};

static const struct provider_key android_keys[] = {
	{ "signing_key", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "base_url", PK_REQUIRED | PK_URL, NULL, NULL },
	{ "username", PK_REQUIRED, NULL, NULL },
	{ "password", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "from", 0, NULL, NULL },
	{ "sim_number", 0, NULL, android_sims },
	{ "device_id", 0, NULL, NULL },
	{ NULL, 0, NULL, NULL }
};

static void
android_free(struct android *a)
{
	if (a == NULL)
		return;
	free(a->signing_key);
	free(a->base_url);
	free(a->userpwd);
	free(a->from);
	free(a->device_id);
	free(a);
}

static int
android_configure(struct provider *p, const struct provider_conf *kv,
    char *err, size_t errlen)
{
	struct android *a;
	const char *v, *user;

	a = xcalloc(1, sizeof *a);
	p->priv = a;
	a->signing_key = xstrdup(provider_get(kv, "signing_key"));
	a->base_url = xstrdup(provider_get(kv, "base_url"));
	user = provider_get(kv, "username");
	if (strchr(user, ':') != NULL) {
		snprintf(err, errlen, "username is required (without "
		    "\":\")");
		return -1;
	}
	a->userpwd = xasprintf("%s:%s", user, provider_get(kv, "password"));
	if ((v = provider_get(kv, "from")) != NULL && *v != '\0')
		a->from = xstrdup(v);
	if ((v = provider_get(kv, "sim_number")) != NULL)
		a->sim_number = v[0] - '0';
	if ((v = provider_get(kv, "device_id")) != NULL && *v != '\0')
		a->device_id = xstrdup(v);
	return 0;
}

static void
android_release(struct provider *p)
{
	android_free(p->priv);
	p->priv = NULL;
}

static enum verify_result
android_verify(const struct provider *p, const struct http_req *req,
    int64_t now)
{
	const struct android *a = p->priv;
	unsigned char mac[CRYPTO_MAX_DIGEST], got[CRYPTO_MAX_DIGEST];
	const char *sig, *ts;
	size_t n, tslen;
	int64_t when;
	char *msg;

	if (a == NULL)
		return VERIFY_ERROR;
	if (http_req_trusted(req, "X-Signature", &sig) != 1 ||
	    http_req_trusted(req, "X-Timestamp", &ts) != 1 ||
	    provider_timestamp(ts, &when) == -1)
		return VERIFY_BAD;
	if (when < now - ANDROID_WINDOW || when > now + ANDROID_WINDOW)
		return VERIFY_BAD;
	/* Signed: the raw body, then the timestamp, nothing between. */
	tslen = strlen(ts);
	msg = xmalloc(req->body_len + tslen);
	if (req->body_len)
		memcpy(msg, req->body, req->body_len);
	memcpy(msg + req->body_len, ts, tslen);
	n = crypto_hmac(HASH_SHA256, a->signing_key, strlen(a->signing_key),
	    msg, req->body_len + tslen, mac);
	free(msg);
	if (n == 0)
		return VERIFY_ERROR;
	if (strlen(sig) != 2 * n || hex_decode(sig, got, n) == -1)
		return VERIFY_BAD;
	return crypto_eq(mac, got, n) ? VERIFY_OK : VERIFY_BAD;
}

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/*
 * A number as the phone saw it, in E.164: "447700900123" gains its "+",
 * and a national "07700 900123" or "0044..." is read as UK (the gateway's
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

/* The body as JSON with its event name and payload; NULL if not. */
static json_t *
load_event(const struct http_req *req, const char **event, json_t **payload)
{
	json_t *root;
	struct buf b;

	/* Decoded as its charset says, so that a Latin-1 body is not lost
	 * (verify has checked the bytes as they came). */
	(void)provider_body_utf8(req, &b);
	root = json_loadb(b.data ? b.data : "", b.len, 0, NULL);
	buf_release(&b);

	*event = jstr(root, "event");
	*payload = json_object_get(root, "payload");
	if (*event == NULL) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static enum decode_result
android_decode(const struct provider *p, const struct http_req *req,
    struct inbound *in)
{
	const struct android *a = p->priv;
	json_t *root, *payload;
	const char *event, *id, *sender, *recipient, *text;
	enum decode_result rc = DECODE_MALFORMED;

	if ((root = load_event(req, &event, &payload)) == NULL)
		return DECODE_MALFORMED;
	if (strcmp(event, "sms:received") != 0) {
		json_decref(root);
		return DECODE_IGNORE;
	}
	if (!json_is_object(payload))
		goto out;
	memset(in, 0, sizeof *in);
	/* The event id: payload.messageId repeats for equal texts. */
	id = jstr(root, "id");
	if (id == NULL || *id == '\0' || provider_copy(in->ext_id,
	    sizeof in->ext_id, id) == -1)
		goto out;
	/* Older apps name the sender phoneNumber. */
	if ((sender = jstr(payload, "sender")) == NULL)
		sender = jstr(payload, "phoneNumber");
	if (sender == NULL || *sender == '\0' ||
	    number_e164(sender, in->sender, sizeof in->sender) == -1)
		goto out;
	/* The phone's own number, when the app knows it. */
	if ((recipient = jstr(payload, "recipient")) == NULL)
		recipient = a->from ? a->from : "";
	if (number_e164(recipient, in->recipient, sizeof in->recipient) == -1)
		goto out;
	text = jstr(payload, "message");
	if (text == NULL || provider_text(in->text, sizeof in->text, text,
	    strlen(text), "UTF-8") == -1)
		goto out;
	rc = DECODE_MESSAGE;
out:
	json_decref(root);
	return rc;
}

static int
android_encode(const struct provider *p, const struct outbound *out,
    struct http_out *req, char *err, size_t errlen)
{
	const struct android *a = p->priv;
	char id[ANDROID_MAX_MSGID + 1] = "";
	json_t *o;
	char *body;

	if (out->idem_key != NULL) {
		/* Itself when the server takes it, else 32 hex digits. */
		provider_safe_key(out->idem_key, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-:.",
		    ANDROID_MAX_MSGID, 16, id, sizeof id);
		/* A 409 (already sent) answers with no id: receipts name
		 * this one. */
		strlcpy_(req->ext_id, id, sizeof req->ext_id);
	}
	o = json_pack("{s:{s:s}, s:[s], s:b}", "textMessage", "text",
	    out->text, "phoneNumbers", out->to, "withDeliveryReport",
	    out->status_url != NULL);
	if (o != NULL && id[0] != '\0')
		json_object_set_new(o, "id", json_string(id));
	if (o != NULL && a->sim_number > 0)
		json_object_set_new(o, "simNumber",
		    json_integer(a->sim_number));
	if (o != NULL && a->device_id != NULL)
		json_object_set_new(o, "deviceId", json_string(a->device_id));
	if (o == NULL || (body = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		snprintf(err, errlen, "cannot encode the message");
		return -1;
	}
	req->method = xstrdup("POST");
	req->url = xasprintf("%s/messages", a->base_url);
	req->userpwd = xstrdup(a->userpwd);
	http_out_header(req, "Content-Type: application/json");
	http_out_header(req, "Accept: application/json");
	buf_puts(&req->body, body);
	free(body);
	json_decref(o);
	return 0;
}

/* "HTTP 400: invalid phone number", from {"message": ...}. */
static void
android_describe(const struct provider *p, const char *body, size_t len,
    char *words, size_t wordslen)
{
	json_t *o = json_loadb(body, len, 0, NULL);
	const char *m = jstr(o, "message");

	if (m != NULL)
		snprintf(words, wordslen, "%s", m);
	json_decref(o);
}

/* The id we sent is taken: an earlier try got through. */
static enum send_result
android_refused(const struct provider *p, int status, const char *body,
    size_t len)
{
	return status == 409 ? SEND_OK : SEND_FAIL;
}

static enum decode_result
android_decode_status(const struct provider *p, const struct http_req *req,
    struct delivery *d)
{
	json_t *root, *payload;
	const char *event, *id, *reason;
	enum decode_result rc = DECODE_MALFORMED;

	if ((root = load_event(req, &event, &payload)) == NULL)
		return DECODE_MALFORMED;
	memset(d, 0, sizeof *d);
	if (strcmp(event, "sms:delivered") == 0)
		d->state = DELIVERY_DELIVERED;
	else if (strcmp(event, "sms:failed") == 0)
		d->state = DELIVERY_FAILED;
	else if (strcmp(event, "sms:sent") == 0)
		d->state = DELIVERY_PENDING;
	else {
		json_decref(root);
		return DECODE_IGNORE;
	}
	id = jstr(payload, "messageId");
	if (id == NULL || *id == '\0' || provider_copy(d->ext_id,
	    sizeof d->ext_id, id) == -1)
		goto out;
	if ((reason = jstr(payload, "reason")) != NULL)
		strlcpy_(d->error, reason, sizeof d->error);
	rc = DECODE_MESSAGE;
out:
	json_decref(root);
	return rc;
}

const struct provider_ops provider_android = {
	.name = "android",
	.keys = android_keys,
	.configure = android_configure,
	.release = android_release,
	.verify = android_verify,
	.decode = android_decode,
	/* ack: the default, an empty 200 */
	.encode = android_encode,
	/* {"id": ...}; without one the retry carries the same id, and
	 * a 409 says an earlier try got through. */
	.result_id = "id",
	.result_id_name = "message id",
	.describe = android_describe,
	.refused = android_refused,
	.decode_status = android_decode_status,
	.inline_reply = 0,
	.unique_ids = 0,
};
