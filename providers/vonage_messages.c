/*
 * vonage_messages.c -- the Vonage Messages API (v1) for SMS: JWT-signed
 * JSON webhooks, outbound POST /v1/messages, status webhooks.
 *
 * Docs (checked 2026-11):
 *   https://developer.vonage.com/en/api/messages (OpenAPI 1.20.0)
 *   https://developer.vonage.com/en/messages/concepts/signed-webhooks
 *   Vonage/vonage-node-sdk packages/jwt (verifySignature, tokenGenerate)
 *   ../shared/docs/providers-vonage-messages-and-bird.md Part A (fields,
 *   disagreements and the worked examples in the unit test)
 *
 * Inbound:  POST JSON: channel "sms", message_type "text" (optional),
 *           message_uuid, from, to (digits without "+"), text, timestamp.
 *           Long messages come whole, one webhook each.  Other channels
 *           and message types are ignored (200, nothing stored).
 * Signature: Authorization: Bearer <JWT>, HS256 under the signature
 *           secret.  libjwt checks the signature; then the alg must be
 *           HS256 exactly (none, HS384, RS256 ... refused), as Python's
 *           SDK pins it.  Beyond @vonage/jwt's verifySignature (which
 *           checks only the signature, exp and nbf): payload_hash must be
 *           hex SHA-256 of the raw body, and iat within 5 minutes of now,
 *           or a token seen once would sign any body, forever.  An iss
 *           other than "Vonage" is refused.  A request with no
 *           Authorization at all is answered 500: Vonage says an unsigned
 *           callback comes only from an internal error of theirs, and a
 *           5xx makes them send it again, signed.
 * Answer:   an empty 200.
 * Outbound: POST {base_url}/v1/messages, JSON {message_type "text",
 *           channel "sms", to, from, text, client_ref, webhook_version
 *           "v1", webhook_url}; Authorization: Bearer <JWT> (RS256 under
 *           the application's private key: application_id, iat, jti, exp
 *           5 minutes on), or Basic api_key:api_secret.
 *           -> 202 {"message_uuid": ...}; errors are RFC 7807 {type,
 *           title, detail}.
 * Receipts: POST JSON to the status URL: message_uuid, status (submitted,
 *           delivered, rejected, undeliverable), error {type, title (the
 *           code), detail}.
 *
 * Keys of [provider NAME] with type = vonage-messages:
 *   signature_secret	the account's signature secret, for checking
 *			webhooks (or signature_secret_file); without it every
 *			webhook is refused (500)
 *   application_id	the Vonage application, and
 *   private_key_file	its private key (PEM, no pass phrase), for sending;
 *			or instead
 *   api_key, api_secret	Basic auth (api_secret or api_secret_file)
 *   from		our number (E.164) or sender id (required)
 *   base_url		default https://api.nexmo.com (api-eu.nexmo.com
 *			etc. for a region; tests point it at a local fake)
 *
 * Deliberately not done: choosing among several signature secrets by the
 * token's api_key claim (one secret per instance), jti replay checks (no
 * state; the iat window bounds replays), v0.1 webhooks beyond reading
 * their error {code, reason}, channels other than SMS.
 */
#include <errno.h>
#include <jansson.h>
#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "crypto.h"
#include "provider.h"
#include "util.h"

#define VMSG_BASE_URL		"https://api.nexmo.com"
#define VMSG_WINDOW		300	/* seconds either side of now, for iat */
#define VMSG_TOKEN_TTL		300	/* exp of our send tokens */
#define VMSG_MAX_TOKEN		4096	/* bytes of a webhook's JWT */
#define VMSG_MAX_KEY_FILE	(64 * 1024)
/* 100 in the OpenAPI, 40 in one of its examples and in v0.1: 40 fits
 * both. */
#define VMSG_MAX_CLIENT_REF	40

struct vmsg {
	char	*sig_secret;	/* NULL: webhooks cannot be checked */
	char	*app_id;	/* with key: JWT auth */
	char	*key;		/* PEM */
	size_t	 keylen;
	char	*api_key;	/* with api_secret: Basic auth */
	char	*api_secret;
	char	*from;
	char	*base_url;
};

static const struct provider_key vmsg_keys[] = {
	{ "signature_secret", PK_SECRET, NULL, NULL },
	{ "application_id", 0, NULL, NULL },
	/* read whole by configure: a PEM key is more than a line */
	{ "private_key_file", 0, NULL, NULL },
	{ "api_key", 0, NULL, NULL },
	{ "api_secret", PK_SECRET, NULL, NULL },
	{ "from", PK_REQUIRED, NULL, NULL },
	{ "base_url", PK_URL, VMSG_BASE_URL, NULL },
	{ NULL, 0, NULL, NULL }
};

static void
vmsg_release(struct provider *p)
{
	struct vmsg *v = p->priv;

	if (v == NULL)
		return;
	if (v->sig_secret)
		explicit_bzero(v->sig_secret, strlen(v->sig_secret));
	free(v->sig_secret);
	free(v->app_id);
	if (v->key)
		explicit_bzero(v->key, v->keylen);
	free(v->key);
	free(v->api_key);
	if (v->api_secret)
		explicit_bzero(v->api_secret, strlen(v->api_secret));
	free(v->api_secret);
	free(v->from);
	free(v->base_url);
	free(v);
	p->priv = NULL;
}

/* The whole of a PEM file into *out (NUL-terminated); 0, or -1 with err. */
static int
vmsg_read_key(const char *path, int line, char **out, size_t *outlen,
    char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	char *data;
	size_t n;

	if (fp == NULL) {
		snprintf(err, errlen, "line %d: private_key_file: %s: %s",
		    line, path, strerror(errno));
		return -1;
	}
	data = xmalloc(VMSG_MAX_KEY_FILE + 1);
	n = fread(data, 1, VMSG_MAX_KEY_FILE + 1, fp);
	fclose(fp);
	if (n == 0 || n > VMSG_MAX_KEY_FILE) {
		snprintf(err, errlen, "line %d: private_key_file: %s is %s",
		    line, path, n == 0 ? "empty" : "too big");
		explicit_bzero(data, n);
		free(data);
		return -1;
	}
	data[n] = '\0';
	/* OpenSSL would ask for the pass phrase on the terminal. */
	if (strstr(data, "ENCRYPTED") != NULL) {
		snprintf(err, errlen, "line %d: private_key_file: %s is "
		    "encrypted; give the key without a pass phrase (openssl "
		    "pkey -in KEY -out PLAIN)", line, path);
		explicit_bzero(data, n);
		free(data);
		return -1;
	}
	*out = data;
	*outlen = n;
	return 0;
}

static char *vmsg_app_token(const struct vmsg *, int64_t now);

static int
vmsg_configure(struct provider *p, const struct provider_conf *kv,
    char *err, size_t errlen)
{
	const char *s;
	struct vmsg *v;
	int basic, line;

	v = xcalloc(1, sizeof *v);
	p->priv = v;
	if ((s = provider_get(kv, "signature_secret")) != NULL)
		v->sig_secret = xstrdup(s);
	basic = provider_given(kv, "api_key") != 0;
	if (basic == (provider_given(kv, "application_id") != 0)) {
		snprintf(err, errlen, "set application_id and private_key_file "
		    "(JWT), or api_key and api_secret (Basic), not %s",
		    basic ? "both" : "neither");
		return -1;
	}
	if (basic) {
		s = provider_get(kv, "api_key");
		if (*s == '\0' || strchr(s, ':') != NULL) {
			snprintf(err, errlen, "api_key \"%s\" is not an API "
			    "key", s);
			return -1;
		}
		v->api_key = xstrdup(s);
		if (provider_given(kv, "private_key_file")) {
			snprintf(err, errlen, "private_key_file needs "
			    "application_id, not api_key");
			return -1;
		}
		if ((s = provider_get(kv, "api_secret")) == NULL) {
			snprintf(err, errlen, "api_secret (or api_secret_file) "
			    "is required");
			return -1;
		}
		v->api_secret = xstrdup(s);
	} else {
		s = provider_get(kv, "application_id");
		if (*s == '\0') {
			snprintf(err, errlen, "application_id is empty");
			return -1;
		}
		v->app_id = xstrdup(s);
		if (provider_given(kv, "api_secret")) {
			snprintf(err, errlen, "api_secret needs api_key, not "
			    "application_id");
			return -1;
		}
		if ((line = provider_given(kv, "private_key_file")) == 0) {
			snprintf(err, errlen, "private_key_file is required "
			    "with application_id");
			return -1;
		}
		s = provider_get(kv, "private_key_file");
		if (vmsg_read_key(s, line, &v->key, &v->keylen, err,
		    errlen) == -1)
			return -1;
		/* Sign once now, so that a wrong file is a config error and
		 * not a failed send at 3am. */
		char *tok = vmsg_app_token(v, now_unix());
		if (tok == NULL) {
			snprintf(err, errlen, "line %d: private_key_file: %s is "
			    "not an RSA private key in PEM", line, s);
			return -1;
		}
		free(tok);
	}
	v->from = xstrdup(provider_get(kv, "from"));
	v->base_url = xstrdup(provider_get(kv, "base_url"));
	return 0;
}

/* --- signatures ------------------------------------------------------ */

/*
 * The claims of a webhook's token, when it is signed with HS256 under
 * secret; else NULL.  The caller json_decref()s them.
 */
static json_t *
vmsg_token_claims(const char *token, const char *secret)
{
	jwt_t *jwt = NULL;
	json_t *claims = NULL;
	const char *alg;
	char *text;

	if (jwt_decode(&jwt, token, (const unsigned char *)secret,
	    (int)strlen(secret)) != 0 || jwt == NULL)
		goto out;
	/* jwt_decode checks whatever alg the token names (and reads it
	 * without regard to case): only "HS256" is Vonage's. */
	alg = jwt_get_header(jwt, "alg");
	if (jwt_get_alg(jwt) != JWT_ALG_HS256 || alg == NULL ||
	    strcmp(alg, "HS256") != 0)
		goto out;
	if ((text = jwt_get_grants_json(jwt, NULL)) == NULL)
		goto out;
	claims = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	free(text);
	if (!json_is_object(claims)) {
		json_decref(claims);
		claims = NULL;
	}
out:
	if (jwt != NULL)
		jwt_free(jwt);
	return claims;
}

/* A claim that must be an integer when there. 1 with *v, 0 absent, -1 not
 * an integer. */
static int
vmsg_claim_int(const json_t *claims, const char *name, json_int_t *v)
{
	const json_t *c = json_object_get(claims, name);

	if (c == NULL)
		return 0;
	if (!json_is_integer(c))
		return -1;
	*v = json_integer_value(c);
	return 1;
}

static enum verify_result
vmsg_verify(const struct provider *p, const struct http_req *req, int64_t now)
{
	const struct vmsg *v = p->priv;
	enum verify_result rc = VERIFY_BAD;
	unsigned char got[32], want[32];
	const char *auth, *token, *iss, *hash;
	json_t *claims = NULL;
	json_int_t iat, exp, nbf;
	int n;

	if (v == NULL || v->sig_secret == NULL)
		return VERIFY_ERROR;
	if ((n = http_req_trusted(req, "Authorization", &auth)) == 0)
		return VERIFY_ERROR;	/* unsigned: Vonage retries a 5xx */
	if (n == -1 || strncasecmp(auth, "Bearer ", 7) != 0)
		return VERIFY_BAD;
	token = auth + 7;
	token += strspn(token, " ");
	if (*token == '\0' || strlen(token) > VMSG_MAX_TOKEN)
		return VERIFY_BAD;
	if ((claims = vmsg_token_claims(token, v->sig_secret)) == NULL)
		goto out;
	/* iat is required (no exp: nothing else bounds a token's life). */
	if (vmsg_claim_int(claims, "iat", &iat) != 1 ||
	    iat < now - VMSG_WINDOW || iat > now + VMSG_WINDOW)
		goto out;
	/* exp and nbf as jsonwebtoken reads them, should Vonage add them. */
	if ((n = vmsg_claim_int(claims, "exp", &exp)) == -1 ||
	    (n == 1 && now >= exp))
		goto out;
	if ((n = vmsg_claim_int(claims, "nbf", &nbf)) == -1 ||
	    (n == 1 && nbf > now))
		goto out;
	if (json_object_get(claims, "iss") != NULL &&
	    ((iss = json_string_value(json_object_get(claims, "iss"))) ==
	    NULL || strcmp(iss, "Vonage") != 0))
		goto out;
	/* The raw bytes, not a re-serialisation: for the compact JSON
	 * Vonage sends both give the same digest. */
	hash = json_string_value(json_object_get(claims, "payload_hash"));
	if (hash == NULL || strlen(hash) != 64 ||
	    hex_decode(hash, want, sizeof want) == -1 ||
	    crypto_digest(HASH_SHA256, req->body ? req->body : "",
	    req->body_len, got) != sizeof got)
		goto out;
	if (crypto_eq(got, want, sizeof got))
		rc = VERIFY_OK;
out:
	json_decref(claims);
	return rc;
}

/* --- inbound --------------------------------------------------------- */

/* The body as a JSON object (valid UTF-8 first); NULL when it is not. */
static json_t *
vmsg_body(const struct http_req *req)
{
	struct buf b;
	json_t *o = NULL;

	if (provider_body_utf8(req, &b) == 0)
		o = json_loadb(b.data ? b.data : "", b.len,
		    JSON_REJECT_DUPLICATES, NULL);
	buf_release(&b);
	if (o != NULL && !json_is_object(o)) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

static const char *
vmsg_str(const json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

static enum decode_result
vmsg_decode(const struct provider *p, const struct http_req *req,
    struct inbound *in)
{
	enum decode_result rc = DECODE_MALFORMED;
	const char *channel, *type, *id, *from, *to;
	json_t *o, *text;

	if ((o = vmsg_body(req)) == NULL)
		return DECODE_MALFORMED;
	channel = vmsg_str(o, "channel");
	type = vmsg_str(o, "message_type");
	text = json_object_get(o, "text");
	if (text == NULL && json_object_get(o, "status") != NULL) {
		rc = DECODE_IGNORE;	/* a status sent to the inbound URL */
		goto out;
	}
	if (channel == NULL)
		goto out;
	/* message_type is in the SDKs' fixtures, not the OpenAPI's SMS
	 * schema: optional. */
	if (strcmp(channel, "sms") != 0 || (json_object_get(o,
	    "message_type") != NULL && (type == NULL ||
	    strcmp(type, "text") != 0))) {
		rc = DECODE_IGNORE;	/* WhatsApp, MMS, an image ... */
		goto out;
	}
	id = vmsg_str(o, "message_uuid");
	from = vmsg_str(o, "from");
	to = vmsg_str(o, "to");
	if (id == NULL || *id == '\0' || from == NULL || *from == '\0' ||
	    !json_is_string(text))
		goto out;
	memset(in, 0, sizeof *in);
	if (provider_copy(in->ext_id, sizeof in->ext_id, id) == -1 ||
	    provider_copy_number(in->sender, sizeof in->sender, from) == -1 ||
	    provider_copy_number(in->recipient, sizeof in->recipient,
	    to ? to : "") == -1)
		goto out;
	/* Already UTF-8 (vmsg_body made it so, jansson refused \u0000). */
	(void)provider_text(in->text, sizeof in->text, json_string_value(text),
	    json_string_length(text), "UTF-8");
	rc = DECODE_MESSAGE;
out:
	json_decref(o);
	return rc;
}

/* --- outbound -------------------------------------------------------- */

/* A random UUID v4 into out[37]; 0, or -1. */
static int
vmsg_uuid(char *out)
{
	unsigned char r[16];
	size_t got = 0;

	while (got < sizeof r) {
		ssize_t n = getrandom(r + got, sizeof r - got, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	r[6] = (r[6] & 0x0f) | 0x40;
	r[8] = (r[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5],
	    r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
	return 0;
}

/*
 * An application JWT as the Node SDK makes one: RS256, application_id,
 * iat, jti, exp.  The caller frees it; NULL when the key cannot sign.
 */
static char *
vmsg_app_token(const struct vmsg *v, int64_t now)
{
	jwt_t *jwt = NULL;
	char jti[37], *tok = NULL, *copy;

	if (vmsg_uuid(jti) == -1 || jwt_new(&jwt) != 0)
		return NULL;
	if (jwt_add_grant(jwt, "application_id", v->app_id) == 0 &&
	    jwt_add_grant_int(jwt, "iat", (long)now) == 0 &&
	    jwt_add_grant(jwt, "jti", jti) == 0 &&
	    jwt_add_grant_int(jwt, "exp", (long)(now + VMSG_TOKEN_TTL)) == 0 &&
	    jwt_set_alg(jwt, JWT_ALG_RS256, (const unsigned char *)v->key,
	    (int)v->keylen) == 0)
		tok = jwt_encode_str(jwt);
	jwt_free(jwt);
	if (tok == NULL)
		return NULL;
	copy = xstrdup(tok);	/* ours to free with free() either way */
	free(tok);
	return copy;
}

static int
vmsg_encode(const struct provider *p, const struct outbound *out,
    struct http_out *req, char *err, size_t errlen)
{
	static const char ref_chars[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:";
	const struct vmsg *v = p->priv;
	const char *from = out->from && *out->from ? out->from : v->from;
	char ref[VMSG_MAX_CLIENT_REF + 1];
	json_t *o;
	char *body, *tok = NULL;
	size_t digits;

	if (out->to == NULL || out->to[0] != '+' ||
	    (digits = strspn(out->to + 1, "0123456789")) !=
	    strlen(out->to + 1) || digits < 7 || digits > 15) {
		snprintf(err, errlen, "\"%s\" is not an E.164 number",
		    out->to ? out->to : "");
		return -1;
	}
	if (out->text == NULL) {
		snprintf(err, errlen, "no text");
		return -1;
	}
	if (v->app_id != NULL &&
	    (tok = vmsg_app_token(v, (int64_t)time(NULL))) == NULL) {
		snprintf(err, errlen, "cannot sign the application JWT");
		return -1;
	}
	o = json_object();
	json_object_set_new(o, "message_type", json_string("text"));
	json_object_set_new(o, "channel", json_string("sms"));
	json_object_set_new(o, "to", json_string(out->to + 1));
	json_object_set_new(o, "from", json_string(provider_strip_plus(from)));
	json_object_set_new(o, "text", json_string(out->text));
	if (out->idem_key != NULL && *out->idem_key != '\0') {
		provider_safe_key(out->idem_key, ref_chars,
		    VMSG_MAX_CLIENT_REF, 16, ref, sizeof ref);
		if (*ref != '\0')
			json_object_set_new(o, "client_ref", json_string(ref));
	}
	/* The status format this codec reads, whatever the account says. */
	json_object_set_new(o, "webhook_version", json_string("v1"));
	if (out->status_url != NULL && *out->status_url != '\0')
		json_object_set_new(o, "webhook_url",
		    json_string(out->status_url));
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (body == NULL) {	/* text that is not UTF-8 */
		free(tok);
		snprintf(err, errlen, "cannot encode the message as JSON");
		return -1;
	}
	buf_puts(&req->body, body);
	free(body);
	req->method = xstrdup("POST");
	req->url = xasprintf("%s/v1/messages", v->base_url);
	http_out_header(req, "Content-Type: application/json");
	http_out_header(req, "Accept: application/json");
	if (tok != NULL) {
		http_out_header(req, "Authorization: Bearer %s", tok);
		free(tok);
	} else
		req->userpwd = xasprintf("%s:%s", v->api_key, v->api_secret);
	return 0;
}

static void
vmsg_word(char *words, size_t wordslen, const char *sep, const char *s)
{
	size_t n = strlen(words);

	snprintf(words + n, wordslen - n, "%s%s", n ? sep : "", s);
}

/* "1150 Invalid params: The value of parameter to ..." from an RFC 7807
 * answer; the code is the fragment of its type URL. */
static void
vmsg_describe(const struct provider *p, const char *body, size_t len,
    char *words, size_t wordslen)
{
	json_t *o = json_loadb(body, len, 0, NULL);
	const char *type = vmsg_str(o, "type");
	const char *title = vmsg_str(o, "title");
	const char *detail = vmsg_str(o, "detail");
	const char *code = type ? strrchr(type, '#') : NULL;

	if (code != NULL && code[1] != '\0')
		vmsg_word(words, wordslen, " ", code + 1);
	if (title != NULL)
		vmsg_word(words, wordslen, " ", title);
	if (detail != NULL)
		vmsg_word(words, wordslen, title ? ": " : " ", detail);
	json_decref(o);
}

/* 202 {"message_uuid": ...}.  Refusals (401 bad credentials, 402 no
 * credit, 422 bad number) fail the same way again: the front's default;
 * 429 is 30 a second by default (error 1000, Throttled). */
static enum send_result
vmsg_result(const struct provider *p, int status, const char *body,
    size_t len, char *ext_id, size_t idlen, char *err, size_t errlen)
{
	json_t *o = json_loadb(body, len, 0, NULL);
	enum send_result rc = provider_take_id(status,
	    vmsg_str(o, "message_uuid"), "message_uuid", ext_id, idlen, err,
	    errlen);

	json_decref(o);
	return rc;
}

static enum decode_result
vmsg_decode_status(const struct provider *p, const struct http_req *req,
    struct delivery *d)
{
	static const struct {
		const char		*status;
		enum delivery_state	 state;
	} states[] = {
		{ "delivered",		DELIVERY_DELIVERED },
		{ "read",		DELIVERY_DELIVERED },	/* OTT only */
		{ "rejected",		DELIVERY_FAILED },
		{ "undeliverable",	DELIVERY_FAILED },
		{ "failed",		DELIVERY_FAILED },
		/* submitted, and any status yet to be invented */
	};
	enum decode_result rc = DECODE_MALFORMED;
	const char *id, *status, *code = NULL, *words = NULL;
	json_t *o, *e;
	char num[32];

	if ((o = vmsg_body(req)) == NULL)
		return DECODE_MALFORMED;
	id = vmsg_str(o, "message_uuid");
	status = vmsg_str(o, "status");
	if (id == NULL || *id == '\0' || status == NULL)
		goto out;
	memset(d, 0, sizeof *d);
	if (provider_copy(d->ext_id, sizeof d->ext_id, id) == -1)
		goto out;
	d->state = DELIVERY_PENDING;
	for (size_t i = 0; i < nitems(states); i++)
		if (strcmp(status, states[i].status) == 0)
			d->state = states[i].state;
	/* v1: {type, title (the code), detail}; v0.1: {code, reason}. */
	if (json_is_object(e = json_object_get(o, "error"))) {
		code = vmsg_str(e, "title");
		words = vmsg_str(e, "detail");
		if (code == NULL && json_is_integer(json_object_get(e,
		    "code"))) {
			snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(e, "code")));
			code = num;
		}
		if (words == NULL)
			words = vmsg_str(e, "reason");
	}
	if (code != NULL || words != NULL)
		snprintf(d->error, sizeof d->error, "%s %s%s%s", status,
		    code ? code : "", code && words ? ": " : "",
		    words ? words : "");
	else if (d->state == DELIVERY_FAILED)
		strlcpy_(d->error, status, sizeof d->error);
	rc = DECODE_MESSAGE;
out:
	json_decref(o);
	return rc;
}

const struct provider_ops provider_vonage_messages = {
	.name = "vonage-messages",
	.keys = vmsg_keys,
	.configure = vmsg_configure,
	.release = vmsg_release,
	.verify = vmsg_verify,
	.decode = vmsg_decode,
	/* ack: the default, an empty 200 */
	.encode = vmsg_encode,
	.result = vmsg_result,
	.describe = vmsg_describe,
	.decode_status = vmsg_decode_status,
	.inline_reply = 0,
	.unique_ids = 1,
};
