/*
 * textlocal.c -- Textlocal (api.txtlocal.com; India: api.textlocal.in).
 *
 * Inbound:  POST form to the inbox's "forward to URL", which must be
 *           /webhooks/NAME?token=TOKEN: sender, inNumber (digits, no "+"),
 *           content, keyword, comments (content without our inbox
 *           keyword, used when the keyword is the instance's `keyword`).
 *           Textlocal signs nothing and sends
 *           no message id, so the token in the URL is what admits a
 *           request (compared in constant time; add allow_from too), and
 *           repeats are found by sender and text (unique_ids = 0).
 * Answer:   200, empty: no inline reply.
 * Outbound: POST {base_url}/send/, form apikey, numbers, message, sender,
 *           receipt_url, custom  -> 200 {"status": "success",
 *           "messages": [{"id": ..., "recipient": ...}], ...}, or 200
 *           {"status": "failure", "errors": [{"code", "message"}]}.
 * Receipts: POST form to receipt_url (the status URL with the token
 *           added): number, status (D U P I E ?), customID, datetime.
 *           A receipt names no message id, only our custom value, so the
 *           custom value sent is the id a send answers with, when
 *           Textlocal's answer echoes it ("custom"); else receipts do not
 *           match a message.
 *
 * https://api.txtlocal.com/docs/inboundmessages/postmessages,
 * https://api.txtlocal.com/docs/sendsms,
 * https://api.txtlocal.com/docs/handlingreceipts and
 * ../shared/docs/providers.md section 6 (checked 2025).
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "crypto.h"
#include "provider.h"
#include "segments.h"
#include "util.h"

#define TEXTLOCAL_MIN_TOKEN	16	/* characters of the URL token */
#define TEXTLOCAL_CUSTOM_LEN	20	/* hex characters of a custom value */

struct textlocal {
	char	*apikey;
	char	*token;			/* in the webhook URLs' query */
	char	*from;			/* sender; NULL: the account's */
	char	*base_url;		/* no trailing "/" */
	int	 test;			/* test=true: nothing sent or charged */
	char	*keyword;		/* our inbox keyword on a shared short
					   code, stripped; NULL: none */
};

static const char *const textlocal_yes_no[] = { "yes", "no", NULL };

static const struct provider_key textlocal_keys[] = {
	{ "apikey", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "token", PK_REQUIRED | PK_SECRET, NULL, NULL },
	{ "from", 0, NULL, NULL },
	{ "base_url", PK_URL, "https://api.txtlocal.com", NULL },
	{ "test", 0, "no", textlocal_yes_no },
	{ "keyword", 0, NULL, NULL },
	{ NULL, 0, NULL, NULL }
};

static void
textlocal_release(struct provider *p)
{
	struct textlocal *t = p->priv;

	if (t == NULL)
		return;
	free(t->apikey);
	free(t->token);
	free(t->from);
	free(t->base_url);
	free(t->keyword);
	free(t);
	p->priv = NULL;
}

static int
textlocal_configure(struct provider *p, const struct provider_conf *kv,
    char *err, size_t errlen)
{
	struct textlocal *t;
	const char *v;

	t = xcalloc(1, sizeof *t);
	p->priv = t;
	t->apikey = xstrdup(provider_get(kv, "apikey"));
	t->token = xstrdup(provider_get(kv, "token"));
	if (strlen(t->token) < TEXTLOCAL_MIN_TOKEN) {
		snprintf(err, errlen, "token is what keeps strangers out (Textlocal "
		    "signs nothing): use at least %d random characters",
		    TEXTLOCAL_MIN_TOKEN);
		return -1;
	}
	if ((v = provider_get(kv, "from")) != NULL && *v != '\0')
		t->from = xstrdup(v);
	if ((v = provider_get(kv, "keyword")) != NULL && *v != '\0')
		t->keyword = xstrdup(v);
	t->test = strcmp(provider_get(kv, "test"), "yes") == 0;
	t->base_url = xstrdup(provider_get(kv, "base_url"));
	return 0;
}

/* The token query parameter must be the instance's token.  Only the URL
 * counts: a token in the body is not one Textlocal was given. */
static enum verify_result
textlocal_verify(const struct provider *p, const struct http_req *req,
    int64_t now)
{
	const struct textlocal *t = p->priv;
	struct http_params query = { 0 };
	const char *q = req->query ? req->query : "";
	enum verify_result rc = VERIFY_BAD;
	int found = 0;

	if (http_parse_form(q, strlen(q), &query) == -1)
		goto out;
	for (size_t i = 0; i < query.n; i++) {
		if (strcmp(query.v[i].name, "token") != 0)
			continue;
		/* A second token= could be anybody's: refuse. */
		if (found++)
			goto out;
		if (crypto_secret_eq(query.v[i].value, query.v[i].value_len,
		    t->token, strlen(t->token)))
			rc = VERIFY_OK;
	}
out:
	http_params_release(&query);
	return found == 1 ? rc : VERIFY_BAD;
}

/* --- inbound --------------------------------------------------------- */

/*
 * An id for a message that came without one.  It only has to differ from
 * every other message's: a request Textlocal sends again is found by its
 * sender and text (unique_ids = 0), not by this id.  16 random bytes, so
 * the same words sent again after the dedup window are a new message.
 */
static int
new_id(char *out, size_t outlen)
{
	unsigned char r[16];
	char hex[2 * sizeof r + 1];
	size_t got = 0;

	while (got < sizeof r) {
		ssize_t n = getrandom(r + got, sizeof r - got, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	hex_encode(r, sizeof r, hex);
	snprintf(out, outlen, "tl-%s", hex);
	return 0;
}

static enum decode_result
textlocal_decode(const struct provider *p, const struct http_req *req,
    struct inbound *in)
{
	struct http_params params = { 0 };
	const char *sender, *to, *content, *keyword, *comments;
	enum decode_result rc = DECODE_MALFORMED;

	if (provider_form(req, &params) == -1)
		goto out;
	sender = provider_field(&params, "sender");
	to = provider_field(&params, "inNumber");
	content = provider_field(&params, "content");
	keyword = provider_field(&params, "keyword");
	comments = provider_field(&params, "comments");
	if (sender == NULL || *sender == '\0' || content == NULL)
		goto out;
	memset(in, 0, sizeof *in);
	if (provider_copy_number(in->sender, sizeof in->sender, sender) == -1 ||
	    provider_copy_number(in->recipient, sizeof in->recipient, to ? to : "") == -1)
		goto out;
	if (new_id(in->ext_id, sizeof in->ext_id) == -1)
		goto out;
	/*
	 * On a shared short code our inbox keyword starts the text
	 * ("BRANCH Jane SE1 7PB") and comments is the text without it.  Only
	 * the configured keyword is stripped: Textlocal may name a first word
	 * the keyword, and a supporter's first word is often their name.
	 */
	const struct textlocal *t = p->priv;
	const char *text = content;
	char cs[32];
	if (t->keyword != NULL && keyword != NULL &&
	    strcasecmp(keyword, t->keyword) == 0 && comments != NULL &&
	    *comments != '\0')
		text = comments;
	(void)provider_text(in->text, sizeof in->text, text, strlen(text),
	    provider_charset(req, cs, sizeof cs));
	rc = DECODE_MESSAGE;
out:
	http_params_release(&params);
	return rc;
}

static void
textlocal_ack(const struct provider *p, const struct reply_ends *to,
    const char *reply, struct http_resp *resp)
{
	http_resp_set(resp, 200, "text/plain", "");
}

/* --- outbound -------------------------------------------------------- */

/* Textlocal takes numbers as digits: "+447700900123" -> "447700900123". */
static const char *
textlocal_number(const char *n)
{
	return n[0] == '+' ? n + 1 : n;
}

/* url with token=TOKEN added to its query; the caller frees it. */
static char *
with_token(const char *url, const char *token)
{
	struct buf b;
	char *s;

	buf_init(&b, 0);
	buf_puts(&b, url);
	buf_puts(&b, strchr(url, '?') ? "&token=" : "?token=");
	http_urlencode(&b, token);
	s = xstrdup(b.data);
	buf_release(&b);
	return s;
}

static int
textlocal_encode(const struct provider *p, const struct outbound *out,
    struct http_out *req, char *err, size_t errlen)
{
	const struct textlocal *t = p->priv;
	const char *from = out->from && *out->from ? out->from : t->from;

	http_form_add(&req->body, "apikey", t->apikey);
	http_form_add(&req->body, "numbers", textlocal_number(out->to));
	http_form_add(&req->body, "message", out->text);
	if (from != NULL)
		http_form_add(&req->body, "sender", textlocal_number(from));
	if (!sms_is_gsm7(out->text))
		http_form_add(&req->body, "unicode", "true");
	if (out->status_url != NULL && *out->status_url != '\0') {
		/* Receipts are admitted by the token, like texts. */
		char *url = with_token(out->status_url, t->token);
		http_form_add(&req->body, "receipt_url", url);
		free(url);
	}
	if (out->idem_key != NULL && *out->idem_key != '\0') {
		/* Short and plain, whatever the key: a digest of it. */
		unsigned char d[CRYPTO_MAX_DIGEST];
		char hex[2 * CRYPTO_MAX_DIGEST + 1];
		if (crypto_digest(HASH_SHA256, out->idem_key,
		    strlen(out->idem_key), d) > 0) {
			hex_encode(d, TEXTLOCAL_CUSTOM_LEN / 2, hex);
			http_form_add(&req->body, "custom", hex);
			/* Receipts carry only this. */
			strlcpy_(req->ext_id, hex, sizeof req->ext_id);
		}
	}
	if (t->test)
		http_form_add(&req->body, "test", "true");
	req->method = xstrdup("POST");
	req->url = xasprintf("%s/send/", t->base_url);
	http_out_header(req, "Content-Type: application/x-www-form-urlencoded");
	return 0;
}

/* A JSON value as text: strings as they are, numbers printed. */
static void
json_text(const json_t *v, char *out, size_t outlen)
{
	if (json_is_string(v))
		strlcpy_(out, json_string_value(v), outlen);
	else if (json_is_integer(v))
		snprintf(out, outlen, "%lld", (long long)json_integer_value(v));
	else
		out[0] = '\0';
}

static enum send_result
textlocal_result(const struct provider *p, int status, const char *body,
    size_t len, char *ext_id, size_t idlen, char *err, size_t errlen)
{
	json_t *o = json_loadb(body, len, 0, NULL);
	const char *st = json_string_value(json_object_get(o, "status"));
	enum send_result rc;
	char id[INBOUND_MAX_ID];

	if (st != NULL && strcmp(st, "failure") == 0) {
		/* An answer of 200 that says no: bad number, no credit,
		 * bad sender.  Its codes are not documented enough to tell
		 * which would pass later, so none is retried. */
		const json_t *e = json_array_get(json_object_get(o, "errors"),
		    0);
		char code[32];
		const char *msg = json_string_value(json_object_get(e,
		    "message"));
		json_text(json_object_get(e, "code"), code, sizeof code);
		snprintf(err, errlen, "Textlocal error %s: %s",
		    *code ? code : "?", msg ? msg : "(no message)");
		rc = SEND_FAIL;
	} else if (st == NULL || strcmp(st, "success") != 0) {
		/* A 2xx that is not Textlocal's (a proxy's page). */
		snprintf(err, errlen, "HTTP %d without a status", status);
		rc = SEND_RETRY;
	} else {
		/* Receipts carry our custom value alone: where the answer
		 * echoes it, it is the id receipts will match. */
		json_text(json_object_get(o, "custom"), id, sizeof id);
		if (id[0] == '\0')
			json_text(json_object_get(json_array_get(
			    json_object_get(o, "messages"), 0), "id"), id,
			    sizeof id);
		if (id[0] == '\0')
			json_text(json_object_get(o, "batch_id"), id,
			    sizeof id);
		if (id[0] == '\0') {
			snprintf(err, errlen, "success without a message id");
			rc = SEND_RETRY;
		} else {
			strlcpy_(ext_id, id, idlen);
			rc = SEND_OK;
		}
	}
	json_decref(o);
	return rc;
}

static enum decode_result
textlocal_decode_status(const struct provider *p, const struct http_req *req,
    struct delivery *d)
{
	static const struct {
		const char		*status;
		enum delivery_state	 state;
		const char		*words;
	} states[] = {
		{ "D",	DELIVERY_DELIVERED,	"" },
		{ "U",	DELIVERY_FAILED,	"undelivered" },
		{ "I",	DELIVERY_FAILED,	"invalid number" },
		{ "E",	DELIVERY_FAILED,	"expired" },
		{ "B",	DELIVERY_FAILED,	"blocked" },
		{ "P",	DELIVERY_PENDING,	"" },
		{ "?",	DELIVERY_PENDING,	"" },
	};
	struct http_params params = { 0 };
	const char *id, *status;
	enum decode_result rc = DECODE_MALFORMED;

	if (provider_form(req, &params) == -1)
		goto out;
	id = provider_field(&params, "customID");
	status = provider_field(&params, "status");
	if (status == NULL || *status == '\0')
		goto out;
	if (id == NULL || *id == '\0') {
		/* Not one of ours: sent without a custom value. */
		rc = DECODE_IGNORE;
		goto out;
	}
	if (strlen(id) >= sizeof d->ext_id)
		goto out;
	memset(d, 0, sizeof *d);
	strlcpy_(d->ext_id, id, sizeof d->ext_id);
	d->state = DELIVERY_PENDING;
	for (size_t i = 0; i < nitems(states); i++)
		if (strcmp(status, states[i].status) == 0) {
			d->state = states[i].state;
			strlcpy_(d->error, states[i].words, sizeof d->error);
		}
	rc = DECODE_MESSAGE;
out:
	http_params_release(&params);
	return rc;
}

const struct provider_ops provider_textlocal = {
	.name = "textlocal",
	.keys = textlocal_keys,
	.configure = textlocal_configure,
	.release = textlocal_release,
	.verify = textlocal_verify,
	.decode = textlocal_decode,
	.ack = textlocal_ack,
	.encode = textlocal_encode,
	.result = textlocal_result,
	.decode_status = textlocal_decode_status,
	.inline_reply = 0,
	.unique_ids = 0,
};
