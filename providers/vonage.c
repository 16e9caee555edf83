/*
 * vonage.c -- the Vonage (ex-Nexmo) SMS API: signed inbound webhooks,
 * outbound POST /sms/json, delivery receipts.
 *
 * Docs (checked 2026-11):
 *   https://developer.vonage.com/messaging/sms/guides/inbound-sms
 *   https://developer.vonage.com/en/getting-started/concepts/signing-messages
 *   Nexmo/api-specification@ad04200:definitions/sms.yml (fields, error codes)
 *   docs/providers.md section 2.1-2.5 (wire format and test vectors)
 *
 * Inbound:  GET query, POST form or POST JSON (a dashboard setting; all
 *           three are read), msisdn / to / messageId / text / type.  Long
 *           messages come one part per request with concat-ref,
 *           concat-part and concat-total: decode answers DECODE_PART with
 *           that part's text and the gateway puts the parts together,
 *           keyed by sender and concat-ref.
 * Signature: the sig parameter over every other parameter, sorted by name
 *           in byte order, "&k=v" joined with "&" and "=" in values turned
 *           into "_"; md5hash is hex(MD5(that || secret)), the HMAC
 *           methods hex(HMAC(secret, that)).  The timestamp parameter must
 *           be within 5 minutes of now.
 * Answer:   an empty 200; Vonage cannot take a reply inline.
 * Outbound: POST {base_url}/sms/json, a form with api_key, api_secret,
 *           from, to, text, type (text when every character is GSM-7,
 *           else unicode) and client-ref (the idempotency key, or 40 hex
 *           digits of its hash when longer); status-report-req=true with
 *           callback where receipts are wanted.  The answer is HTTP 200 even on
 *           failure: success is every messages[i].status being "0";
 *           statuses 1 (throttled), 5 (internal error) and 10 (too many
 *           binds) are worth a retry, the others never.
 * Receipts: messageId / status / err-code, sent the same way as inbound
 *           messages, one per part.
 *
 * Keys of [provider NAME] with type = vonage:
 *   api_key		the account's API key (required)
 *   api_secret		the API secret, for sending (or api_secret_file)
 *   signature_secret	the signature secret, for checking webhooks (or
 *			signature_secret_file); signed webhooks must be on
 *   signature_method	md5hash (the dashboard's default "MD5 hash"),
 *			hmac-md5, hmac-sha1, hmac-sha256 or hmac-sha512; it
 *			must match the dashboard.  Plain "md5" is refused:
 *			the SDKs disagree on whether it means md5hash or
 *			HMAC-MD5.
 *   base_url		default https://rest.nexmo.com (tests point it at
 *			a local fake)
 *   from		the sender: our number (E.164) or an alphanumeric
 *			sender id of up to 11 characters (required)
 *
 * Deliberately not done: the Messages API (JWT-signed JSON webhooks,
 * /v1/messages), signed outbound requests (api_key + sig instead of
 * api_secret), nonce replay checks (the codec keeps no state; the
 * timestamp window bounds replays), binary and WAP messages (ignored),
 * unsigned webhooks.  A DLR comes per part: result returns every part's
 * message id, and the outbox counts the row delivered when all are.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "provider.h"
#include "segments.h"
#include "util.h"

#define VONAGE_WINDOW		300	/* seconds either side of now */
#define VONAGE_MAX_PARTS	255	/* 8-bit UDH part numbers */
#define VONAGE_MAX_CLIENT_REF	40

struct vonage {
	char		*api_key;
	char		*api_secret;
	char		*sig_secret;
	int		 md5hash;	/* MD5(string || secret), not an HMAC */
	enum crypto_hash hash;
	char		*base_url;
	char		*from;
};

static const char *const vonage_method_names[] = {
	"md5hash", "hmac-md5", "hmac-sha1", "hmac-sha256", "hmac-sha512", NULL
};

static const struct provider_key vonage_keys[] = {
	{ "api_key", PK_REQUIRED, NULL, NULL },
	{ "api_secret", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "signature_secret", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "signature_method", 0, "md5hash", vonage_method_names },
	{ "base_url", PK_URL, "https://rest.nexmo.com", NULL },
	{ "from", PK_REQUIRED, NULL, NULL },
	{ NULL, 0, NULL, NULL }
};

/* In the order of vonage_method_names. */
static const struct {
	int		 md5hash;
	enum crypto_hash hash;
} vonage_methods[] = {
	{ 1, HASH_MD5 },
	{ 0, HASH_MD5 },
	{ 0, HASH_SHA1 },
	{ 0, HASH_SHA256 },
	{ 0, HASH_SHA512 },
};

static void
vonage_release(struct provider *p)
{
	struct vonage *v = p->priv;

	if (v == NULL)
		return;
	free(v->api_key);
	free(v->api_secret);
	free(v->sig_secret);
	free(v->base_url);
	free(v->from);
	free(v);
	p->priv = NULL;
}

static int
vonage_configure(struct provider *p, const struct provider_conf *kv,
    char *err, size_t errlen)
{
	const char *method = provider_get(kv, "signature_method");
	struct vonage *v;
	size_t i;

	for (i = 0; strcmp(vonage_method_names[i], method) != 0; i++)
		;
	v = xcalloc(1, sizeof *v);
	p->priv = v;
	v->md5hash = vonage_methods[i].md5hash;
	v->hash = vonage_methods[i].hash;
	v->api_key = xstrdup(provider_get(kv, "api_key"));
	v->api_secret = xstrdup(provider_get(kv, "api_secret"));
	v->sig_secret = xstrdup(provider_get(kv, "signature_secret"));
	v->from = xstrdup(provider_get(kv, "from"));
	v->base_url = xstrdup(provider_get(kv, "base_url"));
	return 0;
}

static void
vonage_add_param(struct http_params *params, const char *name,
    const char *value, size_t len)
{
	params->v = xrealloc(params->v, (params->n + 1) * sizeof *params->v);
	params->v[params->n].name = xstrdup(name);
	params->v[params->n].value = xstrndup(value, len);
	params->v[params->n].value_len = len;
	params->n++;
}

/*
 * A JSON webhook's top-level members as parameters.  Vonage sends strings
 * as far as anyone has seen; should an integer or a boolean come, it is
 * signed as its JSON text (a guess: no vector covers it).  Anything nested
 * is not an SMS API webhook.  0, or -1.
 */
static int
vonage_json_params(const char *body, size_t len, struct http_params *params)
{
	json_t *o = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	const char *name;
	json_t *val;
	char num[32];
	int rc = -1;

	if (!json_is_object(o))
		goto out;
	json_object_foreach(o, name, val) {
		if (json_is_string(val))
			vonage_add_param(params, name, json_string_value(val),
			    json_string_length(val));
		else if (json_is_integer(val)) {
			snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(val));
			vonage_add_param(params, name, num, strlen(num));
		} else if (json_is_boolean(val))
			vonage_add_param(params, name, json_is_true(val) ?
			    "true" : "false", json_is_true(val) ? 4 : 5);
		else
			goto out;
	}
	rc = 0;
out:
	json_decref(o);
	return rc;
}

/*
 * The parameters of a webhook, whichever way the dashboard says to send
 * them: the query of a GET, else the POST body as JSON or as a form.
 * Verify, decode and decode_status all read them through here so that
 * what is checked is what is used.  0, or -1 when malformed.
 */
static int
vonage_params(const struct http_req *req, struct http_params *params)
{
	if (req->method != NULL && strcmp(req->method, "GET") == 0)
		return req->query ? http_parse_form(req->query,
		    strlen(req->query), params) : 0;
	if (req->body == NULL)
		return 0;
	if (http_content_type_is(req, "application/json"))
		return vonage_json_params(req->body, req->body_len, params);
	return http_parse_form(req->body, req->body_len, params);
}

static const struct http_param *
vonage_param(const struct http_params *params, const char *name)
{
	for (size_t i = 0; i < params->n; i++)
		if (strcmp(params->v[i].name, name) == 0)
			return &params->v[i];
	return NULL;
}

/* A parameter's value when it is there, is not empty, holds no NUL and is
 * shorter than max bytes; else NULL. */
static const char *
vonage_value(const struct http_params *params, const char *name, size_t max)
{
	const struct http_param *pa = vonage_param(params, name);

	if (pa == NULL || pa->value_len == 0 || pa->value_len >= max ||
	    strlen(pa->value) != pa->value_len)
		return NULL;
	return pa->value;
}

/* Digits only, at most max: the integer, else -1. */
static long long
vonage_uint(const char *s, long long max)
{
	long long n = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 18 ||
	    strspn(s, "0123456789") != strlen(s))
		return -1;
	for (; *s; s++)
		n = n * 10 + (*s - '0');
	return n <= max ? n : -1;
}

static int
vonage_cmp_param(const void *a, const void *b)
{
	const struct http_param *const *pa = a, *const *pb = b;

	return strcmp((*pa)->name, (*pb)->name);
}

/*
 * The signature the parameters should carry, into mac; its length, or 0
 * when the parameters cannot be signed (a name twice: which one Vonage
 * meant is anyone's guess, so neither is trusted).
 */
static size_t
vonage_sign(const struct vonage *v, const struct http_params *params,
    unsigned char *mac)
{
	const struct http_param **sorted;
	struct buf s;
	size_t n = 0;

	sorted = xcalloc(params->n ? params->n : 1, sizeof *sorted);
	for (size_t i = 0; i < params->n; i++)
		sorted[i] = &params->v[i];
	qsort(sorted, params->n, sizeof *sorted, vonage_cmp_param);
	buf_init(&s, 0);
	for (size_t i = 0; i < params->n; i++) {
		if (i > 0 && strcmp(sorted[i]->name, sorted[i - 1]->name) == 0)
			goto out;
		if (strcmp(sorted[i]->name, "sig") == 0)
			continue;
		buf_printf(&s, "&%s=", sorted[i]->name);
		for (size_t j = 0; j < sorted[i]->value_len; j++) {
			char c = sorted[i]->value[j];
			/* So that a value cannot fake a parameter boundary. */
			if (c == '&' || c == '=')
				c = '_';
			buf_append(&s, &c, 1);
		}
	}
	if (v->md5hash) {
		buf_puts(&s, v->sig_secret);
		n = crypto_digest(HASH_MD5, s.data, s.len, mac);
		explicit_bzero(s.data, s.len);	/* it holds the secret */
	} else
		n = crypto_hmac(v->hash, v->sig_secret, strlen(v->sig_secret),
		    s.data ? s.data : "", s.len, mac);
out:
	buf_release(&s);
	free(sorted);
	return n;
}

static enum verify_result
vonage_verify(const struct provider *p, const struct http_req *req, int64_t now)
{
	const struct vonage *v = p->priv;
	struct http_params params = { 0 };
	unsigned char mac[CRYPTO_MAX_DIGEST], got[CRYPTO_MAX_DIGEST];
	enum verify_result rc = VERIFY_BAD;
	const char *sig;
	long long ts;
	size_t n;

	if (v == NULL || v->sig_secret == NULL)
		return VERIFY_ERROR;
	if (vonage_params(req, &params) == -1)
		goto out;
	sig = vonage_value(&params, "sig", 2 * CRYPTO_MAX_DIGEST + 1);
	ts = vonage_uint(vonage_value(&params, "timestamp", 20), INT64_MAX);
	if (sig == NULL || ts == -1 || ts < now - VONAGE_WINDOW ||
	    ts > now + VONAGE_WINDOW)
		goto out;
	if ((n = vonage_sign(v, &params, mac)) == 0 || strlen(sig) != 2 * n ||
	    hex_decode(sig, got, n) == -1)
		goto out;
	/* hex_decode takes either case: md5hash comes in lower case, the
	 * HMACs in upper. */
	if (crypto_eq(mac, got, n))
		rc = VERIFY_OK;
out:
	http_params_release(&params);
	return rc;
}

/* A number without its "+" into out as E.164; 0, or -1 when it cannot
 * fit. */
static int
vonage_number(const char *in, char *out, size_t outlen)
{
	if (strlen(in) + 2 > outlen)
		return -1;
	provider_e164(in, out, outlen);
	return 0;
}

static enum decode_result
vonage_decode(const struct provider *p, const struct http_req *req,
    struct inbound *in)
{
	struct http_params params = { 0 };
	const struct http_param *text, *to;
	const char *msisdn, *id, *type, *concat, *ref;
	long long part, total;
	enum decode_result rc = DECODE_MALFORMED;

	if (vonage_params(req, &params) == -1)
		goto out;
	text = vonage_param(&params, "text");
	type = http_param(&params, "type");
	/* A receipt sent to the inbound URL (one dashboard URL for both). */
	if (text == NULL && http_param(&params, "status") != NULL) {
		rc = DECODE_IGNORE;
		goto out;
	}
	if (type != NULL && strcmp(type, "text") != 0 &&
	    strcmp(type, "unicode") != 0) {
		rc = DECODE_IGNORE;	/* binary, WAP push */
		goto out;
	}
	msisdn = vonage_value(&params, "msisdn", INBOUND_MAX_NUMBER);
	id = vonage_value(&params, "messageId", INBOUND_MAX_ID);
	to = vonage_param(&params, "to");
	if (msisdn == NULL || id == NULL || text == NULL ||
	    text->value_len >= sizeof in->text ||
	    strlen(text->value) != text->value_len ||
	    (to != NULL && strlen(to->value) != to->value_len))
		goto out;
	memset(in, 0, sizeof *in);
	if (vonage_number(msisdn, in->sender, sizeof in->sender) == -1 ||
	    vonage_number(to ? to->value : "", in->recipient,
	    sizeof in->recipient) == -1)
		goto out;
	strlcpy_(in->ext_id, id, sizeof in->ext_id);
	/* A JSON body's strings are UTF-8 already (jansson checks); a
	 * form's are bytes in the declared charset, a GET's in none. */
	char cs[32];
	(void)provider_text(in->text, sizeof in->text, text->value,
	    text->value_len, strcmp(req->method ? req->method : "", "GET") &&
	    http_content_type_is(req, "application/json") ? "UTF-8" :
	    provider_charset(req, cs, sizeof cs));

	concat = http_param(&params, "concat");
	ref = http_param(&params, "concat-ref");
	if ((concat == NULL || strcmp(concat, "true") != 0) && ref == NULL) {
		rc = DECODE_MESSAGE;
		goto out;
	}
	ref = vonage_value(&params, "concat-ref", sizeof in->concat_ref);
	part = vonage_uint(http_param(&params, "concat-part"),
	    VONAGE_MAX_PARTS);
	total = vonage_uint(http_param(&params, "concat-total"),
	    VONAGE_MAX_PARTS);
	if (ref == NULL || part < 1 || total < 1 || part > total)
		goto out;
	strlcpy_(in->concat_ref, ref, sizeof in->concat_ref);
	in->concat_part = (int)part;
	in->concat_total = (int)total;
	rc = DECODE_PART;
out:
	http_params_release(&params);
	return rc;
}

static int
vonage_encode(const struct provider *p, const struct outbound *out,
    struct http_out *req, char *err, size_t errlen)
{
	const struct vonage *v = p->priv;
	const char *from = out->from ? out->from : v->from;
	size_t digits;

	if (out->to == NULL || out->to[0] != '+' ||
	    (digits = strspn(out->to + 1, "0123456789")) !=
	    strlen(out->to + 1) || digits < 7 || digits > 15) {
		snprintf(err, errlen, "\"%s\" is not an E.164 number",
		    out->to ? out->to : "");
		return -1;
	}
	if (out->text == NULL || *from == '\0') {
		snprintf(err, errlen, "no text or no sender");
		return -1;
	}
	req->method = xstrdup("POST");
	req->url = xasprintf("%s/sms/json", v->base_url);
	http_out_header(req, "Content-Type: application/x-www-form-urlencoded");
	http_out_header(req, "Accept: application/json");
	http_form_add(&req->body, "api_key", v->api_key);
	http_form_add(&req->body, "api_secret", v->api_secret);
	http_form_add(&req->body, "from", provider_strip_plus(from));
	http_form_add(&req->body, "to", out->to + 1);
	http_form_add(&req->body, "text", out->text);
	http_form_add(&req->body, "type", sms_is_gsm7(out->text) ? "text" :
	    "unicode");
	/* Vonage takes no idempotency key; client-ref comes back on the
	 * receipts, and is limited to 40 characters: a longer key goes as
	 * 40 hex digits of its SHA-256, the same for every try. */
	if (out->idem_key != NULL && *out->idem_key != '\0') {
		char ref[VONAGE_MAX_CLIENT_REF + 1];
		provider_safe_key(out->idem_key, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:",
		    VONAGE_MAX_CLIENT_REF, VONAGE_MAX_CLIENT_REF / 2, ref,
		    sizeof ref);
		http_form_add(&req->body, "client-ref", ref);
	}
	if (out->status_url) {
		/* A boolean (sms.yml); "1" is not one. */
		http_form_add(&req->body, "status-report-req", "true");
		http_form_add(&req->body, "callback", out->status_url);
	}
	return 0;
}

/* Vonage statuses worth another go later: throttled, internal error, too
 * many binds.  Every other one (bad number, barred, no credit, bad
 * credentials) will fail the same way again. */
static int
vonage_status_retry(long long code)
{
	return code == 1 || code == 5 || code == 10;
}

static enum send_result
vonage_result(const struct provider *p, int status, const char *body,
    size_t len, char *ext_id, size_t idlen, char *err, size_t errlen)
{
	enum send_result rc = SEND_RETRY;
	json_t *o = NULL, *msgs;
	const char *id;
	size_t i, n;

	/* HTTP 200 even on failure: the statuses say. */
	o = json_loadb(body, len, 0, NULL);
	msgs = json_object_get(o, "messages");
	if (!json_is_array(msgs) || json_array_size(msgs) == 0) {
		snprintf(err, errlen, "no messages in the answer");
		goto out;
	}
	/* One entry per part; it went only if every part went. */
	for (i = 0; i < json_array_size(msgs); i++) {
		json_t *m = json_array_get(msgs, i);
		json_t *st = json_object_get(m, "status");
		const char *text = json_string_value(json_object_get(m,
		    "error-text"));
		long long code = json_is_integer(st) ? json_integer_value(st) :
		    vonage_uint(json_string_value(st), 1000);

		if (code == -1) {
			snprintf(err, errlen, "no status in the answer");
			goto out;
		}
		if (code != 0) {
			snprintf(err, errlen, "status %lld: %s", code,
			    text ? text : "(no error-text)");
			rc = vonage_status_retry(code) ? SEND_RETRY : SEND_FAIL;
			goto out;
		}
	}
	/* Every part's id, for its receipt: the message is delivered when
	 * all of them are. */
	for (i = 0, n = 0; i < json_array_size(msgs); i++) {
		id = json_string_value(json_object_get(json_array_get(msgs, i),
		    "message-id"));
		if (id == NULL || *id == '\0' || strchr(id, ' ') != NULL ||
		    n + (n > 0) + strlen(id) >= idlen) {
			snprintf(err, errlen, "no message-id in the answer for "
			    "part %zu", i + 1);
			goto out;
		}
		n += (size_t)snprintf(ext_id + n, idlen - n, "%s%s",
		    n > 0 ? " " : "", id);
	}
	rc = SEND_OK;
out:
	json_decref(o);
	return rc;
}

static enum decode_result
vonage_decode_status(const struct provider *p, const struct http_req *req,
    struct delivery *d)
{
	static const struct {
		const char		*status;
		enum delivery_state	 state;
	} states[] = {
		{ "delivered",	DELIVERY_DELIVERED },
		{ "expired",	DELIVERY_FAILED },
		{ "failed",	DELIVERY_FAILED },
		{ "rejected",	DELIVERY_FAILED },
		{ "accepted",	DELIVERY_PENDING },
		{ "buffered",	DELIVERY_PENDING },
		{ "unknown",	DELIVERY_PENDING },
	};
	struct http_params params = { 0 };
	const char *id, *status, *code;
	enum decode_result rc = DECODE_MALFORMED;

	if (vonage_params(req, &params) == -1)
		goto out;
	id = vonage_value(&params, "messageId", sizeof d->ext_id);
	status = vonage_value(&params, "status", 32);
	code = vonage_value(&params, "err-code", 16);
	if (id == NULL || status == NULL)
		goto out;
	memset(d, 0, sizeof *d);
	strlcpy_(d->ext_id, id, sizeof d->ext_id);
	d->state = DELIVERY_PENDING;
	for (size_t i = 0; i < nitems(states); i++)
		if (strcmp(states[i].status, status) == 0)
			d->state = states[i].state;
	if (d->state == DELIVERY_FAILED || (code && strcmp(code, "0") != 0))
		snprintf(d->error, sizeof d->error, "%s (err-code %s)", status,
		    code ? code : "none");
	/* failed or rejected with err-code 9: "the user has requested not
	 * to receive messages from the sending number"; the send itself was
	 * answered status 0 (https://developer.vonage.com/en/opt-out-assist/guides/messaging-opted-out-numbers).
	 * Status 29, "Non-whitelisted destination", is not one: it is a
	 * trial account's limit to its own test numbers. */
	if (d->state == DELIVERY_FAILED && strcmp(status, "expired") != 0 &&
	    code != NULL && strcmp(code, "9") == 0)
		d->opted_out = 1;
	rc = DECODE_MESSAGE;
out:
	http_params_release(&params);
	return rc;
}

const struct provider_ops provider_vonage = {
	.name = "vonage",
	.keys = vonage_keys,
	.configure = vonage_configure,
	.release = vonage_release,
	.verify = vonage_verify,
	.decode = vonage_decode,
	/* ack: the default, an empty 200 */
	.encode = vonage_encode,
	.result = vonage_result,
	.decode_status = vonage_decode_status,
	.inline_reply = 0,
	.unique_ids = 1,
};
