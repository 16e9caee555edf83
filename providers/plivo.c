/*
 * plivo.c -- Plivo Messaging.
 *
 * Inbound:  POST form (or GET query) to the application's message_url,
 *           /webhooks/NAME: From, To (digits, no "+"), Text, MessageUUID.
 *           Signed with the auth token, V3:
 *             X-Plivo-Signature-V3 (and -Ma-V3, the main account's),
 *             X-Plivo-Signature-V3-Nonce,
 *             base64(HMAC-SHA256(auth_token, canonical + "." + nonce)),
 *           where canonical is scheme://host/path, "?", the query as
 *           sorted k=v pairs joined by "&", "." and the body's sorted
 *           names and values run together (section 3.2 of the doc has every
 *           case); a header may hold several signatures, comma-separated.
 *           Or V2, which covers neither the query nor the body:
 *             X-Plivo-Signature-V2, X-Plivo-Signature-V2-Nonce,
 *             base64(HMAC-SHA256(auth_token, scheme://host/path + nonce)).
 *           V2 is weak: whoever has seen one V2-signed request can post
 *           any text from any number under its signature.  So it is off
 *           unless accept_v2 = yes, and even then a request that carries
 *           any V3 header (-V3, -Ma-V3, -V3-Nonce) is judged by V3
 *           alone: else stripping a V3 signature that fails would make a
 *           V2 replay of it.  A signature header sent twice with
 *           different values is refused.
 * Answer:   Plivo XML: <Response></Response>, with the reply in it (below).
 * Outbound: POST {base_url}/v1/Account/{auth_id}/Message/, Basic
 *           auth_id:auth_token, JSON {"src","dst","text","type","url",
 *           "method"}  -> 202 {"message_uuid": ["..."]}
 * Receipts: POST form to url, signed like inbound: MessageUUID,
 *           ParentMessageUUID (a long message: one receipt per part, the
 *           parent is the first part's, the id the send returned), Status,
 *           ErrorCode.
 *
 * Reply:    inline, Plivo XML naming both ends of the conversation:
 *   <Response><Message src="{To}" dst="{From}" type="sms">text</Message>
 *   </Response>
 *
 * Keys ([provider NAME], type = plivo):
 *   auth_id            the account's auth id (required)
 *   auth_token, auth_token_file  its auth token: signs webhooks, and
 *                      Basic auth for sending (required)
 *   from               our number or sender id; or powerpack_uuid
 *   base_url           default https://api.plivo.com
 *   accept_v2          no (the default): V3 signatures only.  yes also
 *                      takes V2 signatures from applications that send
 *                      no V3, which is weak (see above): anyone who has
 *                      seen one such request can forge texts.
 *
 * https://www.plivo.com/docs/messaging/concepts/signature-validation,
 * https://www.plivo.com/docs/messaging/api/message and
 * ../shared/docs/providers.md section 3 (checked 2025); the signature
 * vectors in tests/unit/test_provider_plivo.c are plivo-go's and
 * plivo-python's.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "provider.h"
#include "util.h"

#define PLIVO_XML_DECL	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

struct plivo {
	char	*auth_id;
	char	*auth_token;
	char	*from;			/* src, or NULL with a powerpack */
	char	*powerpack;		/* powerpack_uuid, or NULL */
	char	*base_url;		/* no trailing "/" */
	int	 accept_v2;
};

static const char *const plivo_yes_no[] = { "yes", "no", NULL };

static const struct provider_key plivo_keys[] = {
	{ "auth_id", PK_REQUIRED, NULL, NULL },
	{ "auth_token", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "from", 0, NULL, NULL },
	{ "powerpack_uuid", 0, NULL, NULL },
	{ "base_url", PK_URL, "https://api.plivo.com", NULL },
	{ "accept_v2", 0, "no", plivo_yes_no },
	{ NULL, 0, NULL, NULL }
};

static void
plivo_release(struct provider *p)
{
	struct plivo *pl = p->priv;

	if (pl == NULL)
		return;
	free(pl->auth_id);
	free(pl->auth_token);
	free(pl->from);
	free(pl->powerpack);
	free(pl->base_url);
	free(pl);
	p->priv = NULL;
}

static int
plivo_configure(struct provider *p, const struct provider_conf *kv,
    char *err, size_t errlen)
{
	struct plivo *pl;
	const char *v;

	pl = xcalloc(1, sizeof *pl);
	p->priv = pl;
	v = provider_get(kv, "auth_id");
	/* It goes into the send URL's path. */
	if (strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789") != strlen(v)) {
		snprintf(err, errlen, "auth_id \"%s\" is not an auth id "
		    "(letters and digits)", v);
		return -1;
	}
	pl->auth_id = xstrdup(v);
	pl->auth_token = xstrdup(provider_get(kv, "auth_token"));
	if ((v = provider_get(kv, "from")) != NULL && *v != '\0')
		pl->from = xstrdup(v);
	if ((v = provider_get(kv, "powerpack_uuid")) != NULL && *v != '\0')
		pl->powerpack = xstrdup(v);
	if (pl->from == NULL && pl->powerpack == NULL) {
		snprintf(err, errlen, "from (our number or sender id) or "
		    "powerpack_uuid is required");
		return -1;
	}
	pl->accept_v2 = strcmp(provider_get(kv, "accept_v2"), "yes") == 0;
	pl->base_url = xstrdup(provider_get(kv, "base_url"));
	return 0;
}

/* --- signatures ------------------------------------------------------ */

/* Append sorted params to s: "k=v&k=v" when sep is "&", else "kvkv". */
static void
put_params(struct buf *s, struct http_params *params, const char *sep)
{
	if (params->n == 0)
		return;
	http_params_sort(params);
	for (size_t i = 0; i < params->n; i++) {
		if (sep != NULL && i > 0)
			buf_puts(s, sep);
		buf_puts(s, params->v[i].name);
		if (sep != NULL)
			buf_puts(s, "=");
		buf_append(s, params->v[i].value, params->v[i].value_len);
	}
}

/* The length of url's scheme://host[:port]/path: up to "?" or "#". */
static size_t
base_len(const char *url)
{
	return strcspn(url, "?#");
}

/*
 * The V3 string before "." nonce.  A GET's parameters are all in its
 * query; a POST's query and body are kept apart.  -1 when the query or
 * the body is not a form.
 */
static int
v3_string(const struct http_req *req, struct buf *s)
{
	struct http_params query = { 0 }, body = { 0 };
	const char *q = req->query ? req->query : "";
	int rc = -1;

	buf_append(s, req->url, base_len(req->url));
	if (http_parse_form(q, strlen(q), &query) == -1)
		goto out;
	if (strcmp(req->method, "GET") == 0) {
		if (query.n > 0) {
			buf_puts(s, "?");
			put_params(s, &query, "&");
		}
		rc = 0;
		goto out;
	}
	if (req->body_len > 0 &&
	    http_parse_form(req->body, req->body_len, &body) == -1)
		goto out;
	if (query.n > 0 || body.n > 0)
		buf_puts(s, "?");
	put_params(s, &query, "&");
	if (query.n > 0 && body.n > 0)
		buf_puts(s, ".");
	put_params(s, &body, NULL);
	rc = 0;
out:
	http_params_release(&query);
	http_params_release(&body);
	return rc;
}

/* Is want one of the comma-separated signatures in list?  Every one is
 * compared, in constant time. */
static int
listed(const char *list, const char *want)
{
	size_t wlen = strlen(want);
	int found = 0;

	while (list != NULL && *list != '\0') {
		size_t n = strcspn(list, ",");
		const char *item = list;
		size_t len = n;
		while (len > 0 && *item == ' ')
			item++, len--;
		while (len > 0 && item[len - 1] == ' ')
			len--;
		found |= crypto_secret_eq(item, len, want, wlen);
		list += n + (list[n] == ',');
	}
	return found;
}

/* base64(HMAC-SHA256(token, a + b + c)) into out[64]; -1 on failure. */
static int
sign(const struct plivo *pl, const char *a, size_t alen, const char *b,
    const char *c, char out[64])
{
	unsigned char mac[CRYPTO_MAX_DIGEST];
	struct buf s;
	size_t n;

	buf_init(&s, 0);
	buf_append(&s, a, alen);
	buf_puts(&s, b);
	buf_puts(&s, c);
	n = crypto_hmac(HASH_SHA256, pl->auth_token, strlen(pl->auth_token),
	    s.data, s.len, mac);
	buf_release(&s);
	if (n == 0 || base64_encode(mac, n, out, 64) == 0)
		return -1;
	return 0;
}

static enum verify_result
plivo_verify(const struct provider *p, const struct http_req *req,
    int64_t now)
{
	const struct plivo *pl = p->priv;
	const char *v3, *ma3, *nonce3, *v2, *ma2, *nonce2;
	char sig[64];
	struct buf s;
	int ok;

	if (req->url == NULL ||
	    http_req_trusted(req, "X-Plivo-Signature-V3", &v3) == -1 ||
	    http_req_trusted(req, "X-Plivo-Signature-Ma-V3", &ma3) == -1 ||
	    http_req_trusted(req, "X-Plivo-Signature-V3-Nonce", &nonce3) == -1 ||
	    http_req_trusted(req, "X-Plivo-Signature-V2", &v2) == -1 ||
	    http_req_trusted(req, "X-Plivo-Signature-Ma-V2", &ma2) == -1 ||
	    http_req_trusted(req, "X-Plivo-Signature-V2-Nonce", &nonce2) == -1)
		return VERIFY_BAD;
	/* Any V3 header: V3 decides, never V2 (see the top of the file). */
	if (v3 != NULL || ma3 != NULL || nonce3 != NULL) {
		if ((v3 == NULL && ma3 == NULL) || nonce3 == NULL)
			return VERIFY_BAD;
		buf_init(&s, 0);
		if (v3_string(req, &s) == -1 ||
		    sign(pl, s.data, s.len, ".", nonce3, sig) == -1) {
			buf_release(&s);
			return VERIFY_BAD;
		}
		buf_release(&s);
		ok = listed(v3, sig) | listed(ma3, sig);
		return ok ? VERIFY_OK : VERIFY_BAD;
	}
	if (!pl->accept_v2 || (v2 == NULL && ma2 == NULL) || nonce2 == NULL)
		return VERIFY_BAD;
	if (sign(pl, req->url, base_len(req->url), nonce2, "", sig) == -1)
		return VERIFY_BAD;
	ok = listed(v2, sig) | listed(ma2, sig);
	return ok ? VERIFY_OK : VERIFY_BAD;
}

/* --- inbound --------------------------------------------------------- */

static enum decode_result
plivo_decode(const struct provider *p, const struct http_req *req,
    struct inbound *in)
{
	struct http_params params = { 0 };
	const char *id, *from, *to, *text;
	enum decode_result rc = DECODE_MALFORMED;

	if (provider_form(req, &params) == -1)
		goto out;
	id = provider_field(&params, "MessageUUID");
	from = provider_field(&params, "From");
	to = provider_field(&params, "To");
	text = provider_field(&params, "Text");
	if (text == NULL && provider_field(&params, "Status") != NULL) {
		/* A delivery receipt sent to the message URL. */
		rc = DECODE_IGNORE;
		goto out;
	}
	if (provider_inbound(in, req, id, from, to, text) == 0)
		rc = DECODE_MESSAGE;
out:
	http_params_release(&params);
	return rc;
}

static void
plivo_ack(const struct provider *p, const struct reply_ends *to,
    const char *reply, struct http_resp *resp)
{
	http_resp_set(resp, 200, "application/xml", PLIVO_XML_DECL
	    "<Response>");
	if (reply != NULL && to != NULL) {
		/* The reply goes from the number texted to the texter. */
		buf_puts(&resp->body, "<Message src=\"");
		provider_xml_escape(&resp->body, provider_strip_plus(to->recipient));
		buf_puts(&resp->body, "\" dst=\"");
		provider_xml_escape(&resp->body, provider_strip_plus(to->sender));
		buf_puts(&resp->body, "\" type=\"sms\"");
		if (to->status_url != NULL) {
			/* Its receipts come there, naming it by the ref in
			 * the URL (plivo_decode_status): Plivo's id for the
			 * reply is not known until then. */
			buf_puts(&resp->body, " callbackUrl=\"");
			provider_xml_escape(&resp->body, to->status_url);
			buf_puts(&resp->body, "\" callbackMethod=\"POST\"");
		}
		buf_puts(&resp->body, ">");
		provider_xml_escape(&resp->body, reply);
		buf_puts(&resp->body, "</Message>");
	}
	buf_puts(&resp->body, "</Response>");
}

/* --- outbound -------------------------------------------------------- */


static int
plivo_encode(const struct provider *p, const struct outbound *out,
    struct http_out *req, char *err, size_t errlen)
{
	const struct plivo *pl = p->priv;
	json_t *o;
	char *body;

	o = json_pack("{s:s, s:s, s:s}", "dst", provider_strip_plus(out->to),
	    "text", out->text, "type", "sms");
	if (o == NULL) {
		snprintf(err, errlen, "cannot encode the message (not UTF-8?)");
		return -1;
	}
	if (out->from != NULL && *out->from != '\0')
		json_object_set_new(o, "src",
		    json_string(provider_strip_plus(out->from)));
	else if (pl->from != NULL)
		json_object_set_new(o, "src",
		    json_string(provider_strip_plus(pl->from)));
	else
		json_object_set_new(o, "powerpack_uuid",
		    json_string(pl->powerpack));
	if (out->status_url != NULL && *out->status_url != '\0') {
		json_object_set_new(o, "url", json_string(out->status_url));
		json_object_set_new(o, "method", json_string("POST"));
	}
	if ((body = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		json_decref(o);
		snprintf(err, errlen, "cannot encode the message");
		return -1;
	}
	req->method = xstrdup("POST");
	req->url = xasprintf("%s/v1/Account/%s/Message/", pl->base_url,
	    pl->auth_id);
	http_out_header(req, "Content-Type: application/json");
	req->userpwd = xasprintf("%s:%s", pl->auth_id, pl->auth_token);
	buf_puts(&req->body, body);
	free(body);
	json_decref(o);
	return 0;
}

/* "invalid dst" from {"error": ...}, a string or an object. */
static void
plivo_describe(const struct provider *p, const char *body, size_t len,
    char *words, size_t wordslen)
{
	json_t *o = json_loadb(body, len, 0, NULL);
	const json_t *e = json_object_get(o, "error");
	char *text;

	if (json_is_string(e))
		snprintf(words, wordslen, "%s", json_string_value(e));
	else if (e != NULL && (text = json_dumps(e, JSON_COMPACT)) != NULL) {
		snprintf(words, wordslen, "%s", text);
		free(text);
	}
	json_decref(o);
}

static enum decode_result
plivo_decode_status(const struct provider *p, const struct http_req *req,
    struct delivery *d)
{
	static const struct {
		const char		*status;
		enum delivery_state	 state;
	} states[] = {
		{ "delivered",		DELIVERY_DELIVERED },
		{ "undelivered",	DELIVERY_FAILED },
		{ "failed",		DELIVERY_FAILED },
		{ "rejected",		DELIVERY_FAILED },
	};
	struct http_params params = { 0 }, query = { 0 };
	const char *id, *status, *code, *q = req->query ? req->query : "";
	enum decode_result rc = DECODE_MALFORMED;

	if (provider_form(req, &params) == -1 ||
	    http_parse_form(q, strlen(q), &query) == -1)
		goto out;
	/* A part of a long message reports under the id the send gave; an
	 * inline reply under the ref its callbackUrl carries (plivo_ack). */
	if ((id = http_param(&query, "ref")) == NULL || *id == '\0')
		if ((id = provider_field(&params, "ParentMessageUUID")) ==
		    NULL || *id == '\0')
			id = provider_field(&params, "MessageUUID");
	status = provider_field(&params, "Status");
	if (id == NULL || *id == '\0' || status == NULL)
		goto out;
	memset(d, 0, sizeof *d);
	if (provider_copy(d->ext_id, sizeof d->ext_id, id) == -1)
		goto out;
	d->state = DELIVERY_PENDING;	/* queued, sent */
	for (size_t i = 0; i < nitems(states); i++)
		if (strcmp(status, states[i].status) == 0)
			d->state = states[i].state;
	code = provider_field(&params, "ErrorCode");
	if (code != NULL && *code != '\0' && strcmp(code, "000") != 0 &&
	    strcmp(code, "0") != 0)
		snprintf(d->error, sizeof d->error, "%s %s", status, code);
	else if (d->state == DELIVERY_FAILED)
		strlcpy_(d->error, status, sizeof d->error);
	/* Error 200: the number sent STOP to ours, and Plivo's DND blocks
	 * what we send it (https://www.plivo.com/docs/messaging/concepts/dnd-service,
	 * https://support.plivo.com/hc/en-us/articles/360041786171).  Its
	 * send API takes the message; the failure comes here. */
	if (code != NULL && strcmp(code, "200") == 0) {
		d->opted_out = 1;
		d->state = DELIVERY_FAILED;
	}
	rc = DECODE_MESSAGE;
out:
	http_params_release(&params);
	http_params_release(&query);
	return rc;
}

const struct provider_ops provider_plivo = {
	.name = "plivo",
	.keys = plivo_keys,
	.configure = plivo_configure,
	.release = plivo_release,
	.verify = plivo_verify,
	.decode = plivo_decode,
	.ack = plivo_ack,
	.encode = plivo_encode,
	/* 202 {"message_uuid": ["..."]}. */
	.result_id = "message_uuid.0",
	.result_id_name = "message_uuid",
	.describe = plivo_describe,
	.decode_status = plivo_decode_status,
	.inline_reply = 1,
	.inline_receipts = 1,
	.unique_ids = 1,
};
