/*
 * twilio.c -- Twilio Programmable Messaging.
 *
 * Inbound:  POST form (or GET query) to /webhooks/NAME: From, To, Body,
 *           MessageSid.  Header X-Twilio-Signature =
 *           base64(HMAC-SHA1(auth_token, URL + every name and value, sorted
 *           by name)); a GET signs the URL alone, its parameters being in
 *           it.  A JSON body is signed over the URL alone too, whose query
 *           then carries bodySHA256 = hex(SHA-256(body)).  Twilio is not
 *           consistent about ports, so the URL is also tried with its port
 *           removed, or with the scheme's default port added.
 * Answer:   TwiML, the reply inline:
 *           <Response><Message>text</Message></Response>, or <Response/>.
 * Outbound: POST {base_url}/2010-04-01/Accounts/{account_sid}/Messages.json,
 *           form To, From or MessagingServiceSid, Body, StatusCallback;
 *           Basic account_sid:auth_token (or api_key:api_secret).
 *           -> 201 {"sid": "SM..."}; errors {"code": 21211, "message": ...}
 * Receipts: POST form to StatusCallback, signed like inbound: MessageSid,
 *           MessageStatus, ErrorCode.
 * Opt-outs: a send answered 21610, or a receipt with ErrorCode 21610, is
 *           a number that opted out at Twilio ("Attempt to send to
 *           unsubscribed recipient", https://www.twilio.com/docs/api/errors/21610);
 *           with Advanced Opt-Out on the Messaging Service, an inbound that
 *           matched a keyword carries OptOutType = STOP, START or HELP
 *           (https://help.twilio.com/articles/31560110671259, "How to Track
 *           Opt-Out, Opt-In and Help Messages Using the OptOutType
 *           Parameter"; Twilio answers those keywords itself).
 *
 * https://www.twilio.com/docs/usage/security#validating-requests,
 * https://www.twilio.com/docs/messaging/guides/webhook-request and
 * ../shared/docs/providers.md section 1 (checked 2025); the signature
 * vectors in tests/unit/test_provider_twilio.c are twilio-python's.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "provider.h"
#include "util.h"

#define TWILIO_OPTED_OUT 21610	/* "unsubscribed recipient" */
#define TWIML_DECL	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

struct twilio {
	char	*account_sid;
	char	*auth_token;		/* signs webhooks; Basic auth too */
	char	*api_key;		/* Basic auth instead, when set */
	char	*api_secret;
	char	*from;			/* NULL: the messaging service sends */
	char	*service;		/* MessagingServiceSid, or NULL */
	char	*base_url;		/* no trailing "/" */
};

static const struct provider_key twilio_keys[] = {
	{ "account_sid", PK_REQUIRED, NULL, NULL },
	{ "auth_token", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "api_key", 0, NULL, NULL },
	{ "api_secret", PK_SECRET, NULL, NULL },
	{ "from", 0, NULL, NULL },
	{ "messaging_service_sid", 0, NULL, NULL },
	{ "base_url", PK_URL, "https://api.twilio.com", NULL },
	{ NULL, 0, NULL, NULL }
};

static void
twilio_release(struct provider *p)
{
	struct twilio *t = p->priv;

	if (t == NULL)
		return;
	free(t->account_sid);
	free(t->auth_token);
	free(t->api_key);
	free(t->api_secret);
	free(t->from);
	free(t->service);
	free(t->base_url);
	free(t);
	p->priv = NULL;
}

/* "AC" and letters and digits: it goes into the send URL's path. */
static int
sid_ok(const char *sid, const char *prefix)
{
	size_t n = strlen(sid);

	return strncmp(sid, prefix, 2) == 0 && n > 2 &&
	    strspn(sid, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789") == n;
}

static int
twilio_configure(struct provider *p, const struct provider_conf *kv,
    char *err, size_t errlen)
{
	struct twilio *t;
	const char *v;

	t = xcalloc(1, sizeof *t);
	p->priv = t;
	v = provider_get(kv, "account_sid");
	if (!sid_ok(v, "AC")) {
		snprintf(err, errlen, "account_sid \"%s\" is not an account "
		    "SID (AC followed by letters and digits)", v);
		return -1;
	}
	t->account_sid = xstrdup(v);
	t->auth_token = xstrdup(provider_get(kv, "auth_token"));
	if ((v = provider_get(kv, "api_key")) != NULL) {
		if (*v == '\0' || strchr(v, ':') != NULL) {
			snprintf(err, errlen, "api_key \"%s\" is not an API "
			    "key SID", v);
			return -1;
		}
		t->api_key = xstrdup(v);
		if ((v = provider_get(kv, "api_secret")) == NULL) {
			snprintf(err, errlen, "api_secret (or api_secret_file) "
			    "is required");
			return -1;
		}
		t->api_secret = xstrdup(v);
	} else if (provider_given(kv, "api_secret")) {
		snprintf(err, errlen, "api_secret needs api_key");
		return -1;
	}
	if ((v = provider_get(kv, "from")) != NULL && *v != '\0')
		t->from = xstrdup(v);
	if ((v = provider_get(kv, "messaging_service_sid")) != NULL &&
	    *v != '\0') {
		if (!sid_ok(v, "MG")) {
			snprintf(err, errlen, "messaging_service_sid \"%s\" is "
			    "not a messaging service SID (MG...)", v);
			return -1;
		}
		t->service = xstrdup(v);
	}
	if (t->from == NULL && t->service == NULL) {
		snprintf(err, errlen, "from (our number or sender id) or "
		    "messaging_service_sid is required");
		return -1;
	}
	t->base_url = xstrdup(provider_get(kv, "base_url"));
	return 0;
}

/* --- signatures ------------------------------------------------------ */

/*
 * Where url's port is: from *start (the ":") to *end.  Without a port,
 * *start == *end is where the host ends.  -1 when url is not
 * scheme://authority...
 */
static int
port_span(const char *url, size_t *start, size_t *end)
{
	const char *auth = strstr(url, "://"), *host, *stop, *colon;

	if (auth == NULL)
		return -1;
	auth += 3;
	stop = auth + strcspn(auth, "/?#");
	host = auth;
	for (const char *c = auth; c < stop; c++)
		if (*c == '@')		/* user:password@ */
			host = c + 1;
	if (*host == '[') {		/* [::1]:8080 */
		const char *rb = memchr(host, ']', (size_t)(stop - host));
		if (rb == NULL)
			return -1;
		host = rb + 1;
	}
	colon = memchr(host, ':', (size_t)(stop - host));
	*start = (size_t)((colon ? colon : stop) - url);
	*end = (size_t)(stop - url);
	return 0;
}

/*
 * The other spelling of url Twilio may have signed: without its port when
 * it has one, else with the scheme's default port.  NULL when url cannot
 * be taken apart.  The caller frees it.
 */
static char *
other_url(const char *url)
{
	size_t start, end;

	if (port_span(url, &start, &end) == -1)
		return NULL;
	if (start != end)
		return xasprintf("%.*s%s", (int)start, url, url + end);
	return xasprintf("%.*s:%s%s", (int)start, url,
	    strncasecmp(url, "https:", 6) == 0 ? "443" : "80", url + start);
}

/* Does sig sign url followed by the sorted params?  1 yes, 0 no. */
static int
signed_over(const struct twilio *t, const char *url,
    const struct http_params *params, const char *sig)
{
	unsigned char mac[CRYPTO_MAX_DIGEST];
	char b64[64];
	struct buf s;
	size_t n;
	int ok = 0;

	buf_init(&s, 0);
	buf_puts(&s, url);
	for (size_t i = 0; i < params->n; i++) {
		const struct http_param *a = &params->v[i];
		/* Repeated pairs count once (Digits=1234 twice). */
		if (i > 0 && http_param_cmp(a, &params->v[i - 1]) == 0)
			continue;
		buf_puts(&s, a->name);
		buf_append(&s, a->value, a->value_len);
	}
	n = crypto_hmac(HASH_SHA1, t->auth_token, strlen(t->auth_token),
	    s.data, s.len, mac);
	if (n > 0 && base64_encode(mac, n, b64, sizeof b64) > 0)
		ok = crypto_secret_eq(b64, strlen(b64), sig, strlen(sig));
	buf_release(&s);
	return ok;
}

static enum verify_result
twilio_verify(const struct provider *p, const struct http_req *req,
    int64_t now)
{
	const struct twilio *t = p->priv;
	struct http_params query = { 0 }, params = { 0 };
	const char *sig, *body_hash, *q = req->query ? req->query : "";
	enum verify_result rc = VERIFY_BAD;
	char *other = NULL;

	if (http_req_trusted(req, "X-Twilio-Signature", &sig) != 1 ||
	    req->url == NULL)
		return VERIFY_BAD;
	if (http_parse_form(q, strlen(q), &query) == -1)
		goto out;
	if ((body_hash = http_param(&query, "bodySHA256")) != NULL) {
		/* The body is covered by its hash, which is in the URL. */
		unsigned char got[32], want[32];
		if (crypto_digest(HASH_SHA256, req->body ? req->body : "",
		    req->body_len, got) != sizeof got ||
		    hex_decode(body_hash, want, sizeof want) == -1 ||
		    !crypto_eq(got, want, sizeof got))
			goto out;
	} else if (strcmp(req->method, "GET") != 0 && req->body_len > 0) {
		if (http_content_type_is(req, "application/json"))
			goto out;	/* a JSON body needs bodySHA256 */
		if (http_parse_form(req->body, req->body_len, &params) == -1)
			goto out;
		if (params.n > 0)
			http_params_sort(&params);
	}
	other = other_url(req->url);
	/* The other spelling only when the first fails: which of the two a
	 * good signature covers is no secret (the sender chose the URL), and
	 * a forgery fails both, each in constant time. */
	if (signed_over(t, req->url, &params, sig) ||
	    (other != NULL && signed_over(t, other, &params, sig)))
		rc = VERIFY_OK;
out:
	free(other);
	http_params_release(&query);
	http_params_release(&params);
	return rc;
}

/* --- inbound --------------------------------------------------------- */

/* OptOutType, when it is one of the three values Twilio documents. */
static void
optout_type(const struct http_params *params, struct inbound *in)
{
	static const struct {
		const char		*value;
		enum provider_optout	 optout;
	} types[] = {
		{ "STOP",	PROVIDER_OPTOUT_STOP },
		{ "START",	PROVIDER_OPTOUT_START },
		{ "HELP",	PROVIDER_OPTOUT_HELP },
	};
	const char *v = provider_field(params, "OptOutType");

	for (size_t i = 0; v != NULL && i < nitems(types); i++)
		if (strcasecmp(v, types[i].value) == 0) {
			in->optout = types[i].optout;
			snprintf(in->optout_raw, sizeof in->optout_raw,
			    "OptOutType=%s", types[i].value);
		}
}

static enum decode_result
twilio_decode(const struct provider *p, const struct http_req *req,
    struct inbound *in)
{
	struct http_params params = { 0 };
	const char *sid, *from, *to, *body;
	enum decode_result rc = DECODE_MALFORMED;

	if (strcmp(req->method, "GET") != 0 &&
	    http_content_type_is(req, "application/json"))
		return DECODE_IGNORE;	/* signed, but not a message */
	if (provider_form(req, &params) == -1)
		goto out;
	if ((sid = provider_field(&params, "MessageSid")) == NULL &&
	    (sid = provider_field(&params, "SmsMessageSid")) == NULL)
		sid = provider_field(&params, "SmsSid");
	from = provider_field(&params, "From");
	to = provider_field(&params, "To");
	body = provider_field(&params, "Body");
	if (body == NULL && provider_field(&params, "MessageStatus") != NULL) {
		/* A status callback sent to the inbound URL. */
		rc = DECODE_IGNORE;
		goto out;
	}
	if (provider_inbound(in, req, sid, from, to, body) == 0)
		rc = DECODE_MESSAGE;
	if (rc == DECODE_MESSAGE)
		optout_type(&params, in);
out:
	http_params_release(&params);
	return rc;
}

static void
twilio_ack(const struct provider *p, const struct reply_ends *to,
    const char *reply, struct http_resp *resp)
{
	http_resp_set(resp, 200, "text/xml", TWIML_DECL);
	if (reply == NULL || *reply == '\0') {
		buf_puts(&resp->body, "<Response/>");
		return;
	}
	buf_puts(&resp->body, "<Response><Message>");
	provider_xml_escape(&resp->body, reply);
	buf_puts(&resp->body, "</Message></Response>");
}

/* --- outbound -------------------------------------------------------- */

static int
twilio_encode(const struct provider *p, const struct outbound *out,
    struct http_out *req, char *err, size_t errlen)
{
	const struct twilio *t = p->priv;

	http_form_add(&req->body, "To", out->to);
	if (out->from != NULL && *out->from != '\0')
		http_form_add(&req->body, "From", out->from);
	else if (t->service != NULL)
		http_form_add(&req->body, "MessagingServiceSid", t->service);
	else
		http_form_add(&req->body, "From", t->from);
	http_form_add(&req->body, "Body", out->text);
	if (out->status_url != NULL && *out->status_url != '\0')
		http_form_add(&req->body, "StatusCallback", out->status_url);
	req->method = xstrdup("POST");
	req->url = xasprintf("%s/2010-04-01/Accounts/%s/Messages.json",
	    t->base_url, t->account_sid);
	http_out_header(req, "Content-Type: application/x-www-form-urlencoded");
	http_out_header(req, "Accept: application/json");
	if (t->api_key != NULL)
		req->userpwd = xasprintf("%s:%s", t->api_key, t->api_secret);
	else
		req->userpwd = xasprintf("%s:%s", t->account_sid,
		    t->auth_token);
	return 0;
}

/* "21211 The 'To' number ... is not a valid phone number." */
static void
twilio_describe(const struct provider *p, const char *body, size_t len,
    char *words, size_t wordslen)
{
	json_t *o = json_loadb(body, len, 0, NULL);
	const char *msg = json_string_value(json_object_get(o, "message"));
	json_int_t code = json_integer_value(json_object_get(o, "code"));

	if (msg == NULL)	/* RFC 9457 answers */
		msg = json_string_value(json_object_get(o, "detail"));
	if (code != 0 && msg != NULL)
		snprintf(words, wordslen, "%lld %s", (long long)code, msg);
	else if (msg != NULL)
		snprintf(words, wordslen, "%s", msg);
	json_decref(o);
}

/* A refusal (400 21211 bad number, 401 20003 bad credentials) is final;
 * 21610 says why: the recipient opted out at Twilio. */
static enum send_result
twilio_refused(const struct provider *p, int status, const char *body,
    size_t len)
{
	json_t *o = json_loadb(body, len, 0, NULL);
	enum send_result rc = json_integer_value(json_object_get(o, "code")) ==
	    TWILIO_OPTED_OUT ? SEND_OPTED_OUT : SEND_FAIL;

	json_decref(o);
	return rc;
}

static enum decode_result
twilio_decode_status(const struct provider *p, const struct http_req *req,
    struct delivery *d)
{
	static const struct {
		const char		*status;
		enum delivery_state	 state;
	} states[] = {
		{ "delivered",		DELIVERY_DELIVERED },
		{ "read",		DELIVERY_DELIVERED },	/* WhatsApp */
		{ "undelivered",	DELIVERY_FAILED },
		{ "failed",		DELIVERY_FAILED },
		{ "canceled",		DELIVERY_FAILED },
	};
	struct http_params params = { 0 };
	const char *sid, *status, *code;
	enum decode_result rc = DECODE_MALFORMED;

	if (provider_form(req, &params) == -1)
		goto out;
	if ((sid = provider_field(&params, "MessageSid")) == NULL)
		sid = provider_field(&params, "SmsSid");
	if ((status = provider_field(&params, "MessageStatus")) == NULL)
		status = provider_field(&params, "SmsStatus");
	if (sid == NULL || *sid == '\0' || status == NULL)
		goto out;
	memset(d, 0, sizeof *d);
	if (provider_copy(d->ext_id, sizeof d->ext_id, sid) == -1)
		goto out;
	d->state = DELIVERY_PENDING;	/* queued, sending, sent, ... */
	for (size_t i = 0; i < nitems(states); i++)
		if (strcmp(status, states[i].status) == 0)
			d->state = states[i].state;
	code = provider_field(&params, "ErrorCode");
	if (code != NULL && *code != '\0' && strcmp(code, "0") != 0)
		snprintf(d->error, sizeof d->error, "%s %s", status, code);
	else if (d->state == DELIVERY_FAILED)
		strlcpy_(d->error, status, sizeof d->error);
	if (code != NULL && strcmp(code, "21610") == 0) {
		d->opted_out = 1;
		d->state = DELIVERY_FAILED;
	}
	rc = DECODE_MESSAGE;
out:
	http_params_release(&params);
	return rc;
}

const struct provider_ops provider_twilio = {
	.name = "twilio",
	.keys = twilio_keys,
	.configure = twilio_configure,
	.release = twilio_release,
	.verify = twilio_verify,
	.decode = twilio_decode,
	.ack = twilio_ack,
	.encode = twilio_encode,
	/* 201 {"sid": "SM..."}. */
	.result_id = "sid",
	.result_id_name = "message sid",
	.describe = twilio_describe,
	.refused = twilio_refused,
	.decode_status = twilio_decode_status,
	.inline_reply = 1,
	.unique_ids = 1,
};
