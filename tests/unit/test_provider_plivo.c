/*
 * test_provider_plivo.c -- the Plivo codec: X-Plivo-Signature-V3 (the
 * vectors of plivo-go's utils_test.go TestValidateSignatureV3Pass1..4) and
 * V2 (plivo-python's tests/resources/test_signature.py), inbound forms,
 * the answer, the send request and its answers, delivery receipts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider.h"
#include "provider_test.h"

extern const struct provider_ops provider_plivo;

/* An instance configured from "key=value" strings; NULL-terminated. */
static int
configure(struct provider *p, char *err, size_t errlen, ...)
{
	va_list ap;
	int rc;

	va_start(ap, errlen);
	rc = test_vconfigure(p, &provider_plivo, err, errlen, ap);
	va_end(ap);
	return rc;
}

static void
with_token(struct provider *p, const char *token, const char *accept_v2)
{
	char err[256], tok[128], v2[32];

	snprintf(tok, sizeof tok, "auth_token=%s", token);
	snprintf(v2, sizeof v2, "accept_v2=%s", accept_v2);
	if (configure(p, err, sizeof err, "type=plivo",
	    "auth_id=MANWVLYTK4ZWU1YTY4QA", tok, "from=447700900000",
	    "base_url=http://127.0.0.1:9/plivo/", v2, NULL) == -1)
		fail_msg("configure: %s", err);
}

/* A request as httpd.c would hand it over. */
struct fake_req {
	struct http_req		req;
	struct http_header	hdr[8];
	char			name[8][48], value[8][256];
};

static void
add_header(struct fake_req *f, const char *name, const char *value)
{
	size_t i = f->req.nheaders;

	snprintf(f->name[i], sizeof f->name[i], "%s", name);
	snprintf(f->value[i], sizeof f->value[i], "%s", value);
	f->hdr[i].name = f->name[i];
	f->hdr[i].value = f->value[i];
	f->req.nheaders++;
}

static void
make_req(struct fake_req *f, const char *method, const char *url,
    const char *body)
{
	const char *q = strchr(url, '?');

	memset(f, 0, sizeof *f);
	f->req.method = method;
	f->req.url = url;
	f->req.path = "/webhooks/main";
	f->req.query = q ? q + 1 : "";
	f->req.body = body ? body : "";
	f->req.body_len = body ? strlen(body) : 0;
	f->req.remote_addr = "127.0.0.1";
	f->req.headers = f->hdr;
	if (body)
		add_header(f, "Content-Type",
		    "application/x-www-form-urlencoded");
}

#define TOKEN	"Y2Q2ZDgxZmY5YWRiOTI5YmQ1Njg0MTAxZWIyOTc4"
#define NONCE	"31627761595286130198"
#define BASE	"https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml"
/* plivo-go's parameters, form-encoded. */
#define PARAMS	"Direction=outbound&From=19792014278&ALegUUID=3e82ae9d-2c78-4d85" \
	"-b1a4-6eae7dbafb36&CallStatus=in-progress&BillRate=0.002&ParentAuthID" \
	"=MANWVLYTK4ZWU1YTY4QA&To=sip%3APlivoSignature382029104058171078704104" \
	"%40phone-qa.voice.plivodev.com&ALegRequestUUID=3e82ae9d-2c78-4d85-b1a4" \
	"-6eae7dbafb36&CallUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36&RequestUU" \
	"ID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36&SIP-H-To=%3Csip%3APlivoSignat" \
	"ure382029104058171078704104%4052.9.11.55%3Btransport%3Dudp%3E%3Btag%3" \
	"D1&SessionStart=2020-04-08+11%3A34%3A33.238707&Event=StartApp"
#define P1	"k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c="
#define P2	"UBq8jAtd32wR8EK9VgxbBn4n5rpI/l1H9iN4WfSEHFQ="
#define P3	"iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0="
#define P4	"i/MQsaQSAd6fiKhOh2qeeeLHZ9faldADSb3/7+Akfbc="

static void
test_verify_v3(void **state)
{
	static const struct {
		const char *what, *method, *url, *body;
		const char *sig, *ma_sig, *nonce;
		enum verify_result want;
	} cases[] = {
		{ "P1: query and body", "POST", BASE "/?a=b&c=d", PARAMS, P1,
		    NULL, NONCE, VERIFY_OK },
		{ "P1, query in another order", "POST", BASE "/?c=d&a=b", PARAMS,
		    P1, NULL, NONCE, VERIFY_OK },
		/* A GET carries every parameter in its query. */
		{ "P2: GET", "GET", BASE "/?a=b&c=d&" PARAMS, NULL, P2, NULL,
		    NONCE, VERIFY_OK },
		{ "P3: body, no query", "POST", BASE, PARAMS, P3, NULL, NONCE,
		    VERIFY_OK },
		{ "P4: GET, no query of ours", "GET", BASE "?" PARAMS, NULL, P4,
		    NULL, NONCE, VERIFY_OK },
		{ "several signatures, one good", "POST", BASE, PARAMS,
		    "AAAAsd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c=, " P3, NULL,
		    NONCE, VERIFY_OK },
		{ "only the main account's header", "POST", BASE, PARAMS, NULL,
		    P3, NONCE, VERIFY_OK },
		{ "P1's signature without the query", "POST", BASE, PARAMS, P1,
		    NULL, NONCE, VERIFY_BAD },
		{ "P3 with a parameter changed", "POST", BASE,
		    "Direction=inbound&From=19792014278", P3, NULL, NONCE,
		    VERIFY_BAD },
		{ "P3 with a parameter added", "POST", BASE, PARAMS "&Text=hi",
		    P3, NULL, NONCE, VERIFY_BAD },
		{ "P3 under another nonce", "POST", BASE, PARAMS, P3, NULL,
		    "31627761595286130199", VERIFY_BAD },
		{ "P3 without its nonce", "POST", BASE, PARAMS, P3, NULL, NULL,
		    VERIFY_BAD },
		{ "P3's signature on a GET", "GET", BASE "?" PARAMS, NULL, P3,
		    NULL, NONCE, VERIFY_BAD },
		{ "another host", "POST",
		    "https://evil.example/api/v1/validate_signature03.xml",
		    PARAMS, P3, NULL, NONCE, VERIFY_BAD },
		{ "an empty signature", "POST", BASE, PARAMS, "", NULL, NONCE,
		    VERIFY_BAD },
		{ "no signature at all", "POST", BASE, PARAMS, NULL, NULL, NONCE,
		    VERIFY_BAD },
	};
	struct provider p, other;
	struct fake_req f;

	with_token(&p, TOKEN, "yes");
	with_token(&other, TOKEN "x", "yes");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		make_req(&f, cases[i].method, cases[i].url, cases[i].body);
		if (cases[i].sig)
			add_header(&f, "X-Plivo-Signature-V3", cases[i].sig);
		if (cases[i].ma_sig)
			add_header(&f, "X-Plivo-Signature-Ma-V3",
			    cases[i].ma_sig);
		if (cases[i].nonce)
			add_header(&f, "x-plivo-signature-v3-nonce",
			    cases[i].nonce);
		enum verify_result got = p.ops->verify(&p, &f.req, 0);
		if (got != cases[i].want)
			fail_msg("%s: expected %d, got %d", cases[i].what,
			    cases[i].want, got);
		if (other.ops->verify(&other, &f.req, 0) != VERIFY_BAD)
			fail_msg("%s: verified under the wrong token",
			    cases[i].what);
	}
	p.ops->release(&p);
	other.ops->release(&other);
}

#define V2_SIG	"ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc="

static void
test_verify_v2(void **state)
{
	static const struct {
		const char *what, *token, *accept, *url, *sig, *nonce, *v3;
		enum verify_result want;
	} cases[] = {
		{ "the vector", "my_auth_token", "yes", "https://answer.url",
		    V2_SIG, "12345", NULL, VERIFY_OK },
		{ "the query is not covered", "my_auth_token", "yes",
		    "https://answer.url?x=1", V2_SIG, "12345", NULL, VERIFY_OK },
		{ "another token", "my_auth_tokens", "yes", "https://answer.url",
		    V2_SIG, "12345", NULL, VERIFY_BAD },
		{ "another nonce", "my_auth_token", "yes", "https://answer.url",
		    V2_SIG, "12346", NULL, VERIFY_BAD },
		{ "no nonce", "my_auth_token", "yes", "https://answer.url",
		    V2_SIG, NULL, NULL, VERIFY_BAD },
		{ "accept_v2 = no", "my_auth_token", "no", "https://answer.url",
		    V2_SIG, "12345", NULL, VERIFY_BAD },
		/* A V3 header present means V3 decides: a good V2 beside a
		 * bad V3 is no way in. */
		{ "a bad V3 beside", "my_auth_token", "yes",
		    "https://answer.url", V2_SIG, "12345", "AAAA", VERIFY_BAD },
	};
	struct provider p;
	struct fake_req f;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		with_token(&p, cases[i].token, cases[i].accept);
		make_req(&f, "POST", cases[i].url, "From=447700900123&Text=x");
		add_header(&f, "X-Plivo-Signature-V2", cases[i].sig);
		if (cases[i].nonce)
			add_header(&f, "X-Plivo-Signature-V2-Nonce",
			    cases[i].nonce);
		if (cases[i].v3) {
			add_header(&f, "X-Plivo-Signature-V3", cases[i].v3);
			add_header(&f, "X-Plivo-Signature-V3-Nonce", "1");
		}
		enum verify_result got = p.ops->verify(&p, &f.req, 0);
		if (got != cases[i].want)
			fail_msg("%s: expected %d, got %d", cases[i].what,
			    cases[i].want, got);
		p.ops->release(&p);
	}
}

static void
test_decode(void **state)
{
	static const struct {
		const char *what, *method, *url, *body;
		enum decode_result want;
		const char *id, *sender, *recipient, *text;
	} cases[] = {
		/* nyaruka/courier's captured Plivo request. */
		{ "courier's capture", "POST", "https://gw.example/webhooks/main",
		    "To=4759440448&From=4795961111&TotalRate=0&Units=1&Text=Msg"
		    "&TotalAmount=0&Type=sms&MessageUUID=7a242edc-2f57-11e7-98c9-"
		    "06ab0bf64327", DECODE_MESSAGE,
		    "7a242edc-2f57-11e7-98c9-06ab0bf64327", "+4795961111",
		    "+4759440448", "Msg" },
		{ "a UK text", "POST", "https://gw.example/webhooks/main",
		    "From=447700900123&To=447700900000&Text=hi+it%27s+Si%C3%A2n"
		    "%2C+CF10+1EP&Type=sms&MessageUUID=u1", DECODE_MESSAGE, "u1",
		    "+447700900123", "+447700900000",
		    "hi it's Si\xc3\xa2n, CF10 1EP" },
		{ "GET: fields in the query", "GET",
		    "https://gw.example/webhooks/main?From=447700900123&To=4477009"
		    "00000&Text=Jane+SE1+7PB&MessageUUID=u2", NULL, DECODE_MESSAGE,
		    "u2", "+447700900123", "+447700900000", "Jane SE1 7PB" },
		{ "a receipt on the message URL", "POST",
		    "https://gw.example/webhooks/main",
		    "Status=delivered&MessageUUID=u3&From=447700900000"
		    "&To=447700900123", DECODE_IGNORE, NULL, NULL, NULL, NULL },
		{ "no From", "POST", "https://gw.example/webhooks/main",
		    "To=447700900000&Text=x&MessageUUID=u4", DECODE_MALFORMED,
		    NULL, NULL, NULL, NULL },
		{ "no MessageUUID", "POST", "https://gw.example/webhooks/main",
		    "From=447700900123&Text=x", DECODE_MALFORMED, NULL, NULL,
		    NULL, NULL },
		{ "no Text", "POST", "https://gw.example/webhooks/main",
		    "From=447700900123&MessageUUID=u5", DECODE_MALFORMED, NULL,
		    NULL, NULL, NULL },
		{ "a number too long", "POST", "https://gw.example/webhooks/main",
		    "From=4477009001234567890123456789012345678901234567890"
		    "&Text=x&MessageUUID=u6", DECODE_MALFORMED, NULL, NULL, NULL,
		    NULL },
		{ "a bad escape", "POST", "https://gw.example/webhooks/main",
		    "From=447700900123&Text=%G1&MessageUUID=u7", DECODE_MALFORMED,
		    NULL, NULL, NULL, NULL },
	};
	struct provider p;
	struct fake_req f;
	struct inbound in;

	with_token(&p, TOKEN, "yes");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		make_req(&f, cases[i].method, cases[i].url, cases[i].body);
		enum decode_result got = p.ops->decode(&p, &f.req, &in);
		if (got != cases[i].want)
			fail_msg("%s: expected %d, got %d", cases[i].what,
			    cases[i].want, got);
		if (got != DECODE_MESSAGE)
			continue;
		if (strcmp(in.ext_id, cases[i].id) ||
		    strcmp(in.sender, cases[i].sender) ||
		    strcmp(in.recipient, cases[i].recipient) ||
		    strcmp(in.text, cases[i].text))
			fail_msg("%s: got id %s, from %s, to %s, text \"%s\"",
			    cases[i].what, in.ext_id, in.sender, in.recipient,
			    in.text);
	}
	p.ops->release(&p);
}

static void
test_ack(void **state)
{
	struct provider p;
	struct http_resp resp;

	struct inbound in = { .sender = "+447700900123",
	    .recipient = "+447700900000" };

	with_token(&p, TOKEN, "yes");
	assert_int_equal(p.ops->inline_reply, 1);
	assert_int_equal(p.ops->unique_ids, 1);
	http_resp_init(&resp);
	p.ops->ack(&p, NULL, NULL, &resp);
	assert_int_equal(resp.status, 200);
	assert_string_equal(resp.content_type, "application/xml");
	assert_string_equal(resp.body.data, "<?xml version=\"1.0\" "
	    "encoding=\"UTF-8\"?><Response></Response>");
	http_resp_release(&resp);

	/* A reply: from our number to theirs, escaped. */
	http_resp_init(&resp);
	const struct reply_ends to = { in.sender, in.recipient };
	p.ops->ack(&p, &to, "Tom & Jerry <3", &resp);
	assert_string_equal(resp.body.data, "<?xml version=\"1.0\" "
	    "encoding=\"UTF-8\"?><Response><Message src=\"447700900000\" "
	    "dst=\"447700900123\" type=\"sms\">Tom &amp; Jerry &lt;3"
	    "</Message></Response>");
	http_resp_release(&resp);
	p.ops->release(&p);
}

static void
test_encode(void **state)
{
	struct provider p, pp;
	struct http_out req;
	char err[256];
	struct outbound out = {
		.to = "+447700900123", .text = "Hi Siân & \"co\"",
		.idem_key = "main:u1:reply",
		.status_url = "https://gw.example/status/main",
	};

	with_token(&p, TOKEN, "yes");
	http_out_init(&req);
	assert_int_equal(provider_encode(&p, &out, &req, err, sizeof err), 0);
	assert_string_equal(req.method, "POST");
	assert_string_equal(req.url,
	    "http://127.0.0.1:9/plivo/v1/Account/MANWVLYTK4ZWU1YTY4QA/Message/");
	assert_string_equal(req.userpwd, "MANWVLYTK4ZWU1YTY4QA:" TOKEN);
	assert_string_equal(req.body.data, "{\"dst\":\"447700900123\","
	    "\"method\":\"POST\",\"src\":\"447700900000\",\"text\":\"Hi "
	    "Si\xc3\xa2n & \\\"co\\\"\",\"type\":\"sms\",\"url\":"
	    "\"https://gw.example/status/main\"}");
	assert_string_equal(req.headers[0], "Content-Type: application/json");
	http_out_release(&req);

	out.from = "+447700900999";
	out.status_url = NULL;
	http_out_init(&req);
	assert_int_equal(provider_encode(&p, &out, &req, err, sizeof err), 0);
	assert_string_equal(req.body.data, "{\"dst\":\"447700900123\","
	    "\"src\":\"447700900999\",\"text\":\"Hi Si\xc3\xa2n & \\\"co\\\""
	    "\",\"type\":\"sms\"}");
	http_out_release(&req);
	p.ops->release(&p);

	/* A powerpack instead of a number; the default API host. */
	out.from = NULL;
	if (configure(&pp, err, sizeof err, "type=plivo", "auth_id=SA1",
	    "auth_token=t", "powerpack_uuid=pp-1", NULL) == -1)
		fail_msg("configure: %s", err);
	http_out_init(&req);
	assert_int_equal(provider_encode(&pp, &out, &req, err, sizeof err), 0);
	assert_string_equal(req.url,
	    "https://api.plivo.com/v1/Account/SA1/Message/");
	assert_string_equal(req.body.data, "{\"dst\":\"447700900123\","
	    "\"powerpack_uuid\":\"pp-1\",\"text\":\"Hi Si\xc3\xa2n & \\\"co\\\""
	    "\",\"type\":\"sms\"}");
	http_out_release(&req);

	/* Text that is not UTF-8 cannot go in JSON. */
	out.text = "caf\xe9";
	http_out_init(&req);
	assert_int_equal(provider_encode(&pp, &out, &req, err, sizeof err), -1);
	http_out_release(&req);
	pp.ops->release(&pp);
}

static void
test_result(void **state)
{
	static const struct {
		int status;
		const char *body;
		enum send_result want;
		const char *id_or_err;
	} cases[] = {
		{ 202, "{\"api_id\":\"948b53a2-3f08-11e7-b6f4-061564b78b75\","
		    "\"message\":\"message(s) queued\",\"message_uuid\":"
		    "[\"5b40a428-bfc7-4daf-9d06-726c558bf3b8\"]}", SEND_OK,
		    "5b40a428-bfc7-4daf-9d06-726c558bf3b8" },
		{ 200, "{\"message_uuid\": \"u-1\"}", SEND_OK, "u-1" },
		{ 400, "{\"api_id\":\"x\",\"error\":\"invalid dst\"}", SEND_FAIL,
		    "HTTP 400: invalid dst" },
		{ 401, "", SEND_FAIL, "HTTP 401" },
		{ 400, "{\"error\":{\"dst\":[\"required\"]}}", SEND_FAIL,
		    "{\"dst\":[\"required\"]}" },
		{ 429, "{\"error\":\"too many requests\"}", SEND_RETRY,
		    "too many" },
		{ 500, "", SEND_RETRY, "HTTP 500" },
		{ 0, NULL, SEND_RETRY, "HTTP 0" },
		{ 202, "{\"message_uuid\": []}", SEND_RETRY, "message_uuid" },
		{ 202, "not json", SEND_RETRY, "message_uuid" },
	};
	struct provider p;
	char id[INBOUND_MAX_ID], err[256];

	with_token(&p, TOKEN, "yes");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		id[0] = err[0] = '\0';
		enum send_result got = provider_result(&p, cases[i].status,
		    cases[i].body, cases[i].body ? strlen(cases[i].body) : 0,
		    id, sizeof id, err, sizeof err);
		if (got != cases[i].want)
			fail_msg("case %zu (HTTP %d): expected %d, got %d (%s)",
			    i, cases[i].status, cases[i].want, got, err);
		if (got == SEND_OK ? strcmp(id, cases[i].id_or_err) != 0 :
		    strstr(err, cases[i].id_or_err) == NULL)
			fail_msg("case %zu: id \"%s\", err \"%s\"", i, id, err);
	}
	p.ops->release(&p);
}

static void
test_status(void **state)
{
	static const struct {
		const char *body;
		enum decode_result want;
		const char *id;
		enum delivery_state state;
		const char *error;
	} cases[] = {
		/* nyaruka/courier's captured receipt. */
		{ "Status=delivered&From=13342031111&ParentMessageUUID=83876bdb-"
		    "d4f0-4e5f-a5b6-4ea4e52f1bcc&TotalRate=0.0025&MCC=405"
		    "&PartInfo=1+of+1&ErrorCode=&To=918553651111&Units=1"
		    "&TotalAmount=0.0025&MNC=803&MessageUUID=83876bdb-d4f0-4e5f-"
		    "a5b6-4ea4e52f1bcc", DECODE_MESSAGE,
		    "83876bdb-d4f0-4e5f-a5b6-4ea4e52f1bcc", DELIVERY_DELIVERED,
		    "" },
		{ "Status=sent&MessageUUID=u2&ParentMessageUUID=u1&PartInfo=2+of"
		    "+2", DECODE_MESSAGE, "u1", DELIVERY_PENDING, "" },
		{ "Status=queued&MessageUUID=u3", DECODE_MESSAGE, "u3",
		    DELIVERY_PENDING, "" },
		{ "Status=undelivered&MessageUUID=u4&ErrorCode=200",
		    DECODE_MESSAGE, "u4", DELIVERY_FAILED, "undelivered 200" },
		{ "Status=failed&MessageUUID=u5&ErrorCode=", DECODE_MESSAGE, "u5",
		    DELIVERY_FAILED, "failed" },
		{ "Status=rejected&MessageUUID=u6&ErrorCode=450",
		    DECODE_MESSAGE, "u6", DELIVERY_FAILED, "rejected 450" },
		{ "Status=delivered", DECODE_MALFORMED, NULL, 0, NULL },
		{ "MessageUUID=u7", DECODE_MALFORMED, NULL, 0, NULL },
	};
	struct provider p;
	struct fake_req f;
	struct delivery d;

	with_token(&p, TOKEN, "yes");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		make_req(&f, "POST", "https://gw.example/status/main",
		    cases[i].body);
		enum decode_result got = p.ops->decode_status(&p, &f.req, &d);
		if (got != cases[i].want)
			fail_msg("\"%s\": expected %d, got %d", cases[i].body,
			    cases[i].want, got);
		if (got != DECODE_MESSAGE)
			continue;
		if (strcmp(d.ext_id, cases[i].id) || d.state != cases[i].state ||
		    strcmp(d.error, cases[i].error))
			fail_msg("\"%s\": got %s, state %d, error \"%s\"",
			    cases[i].body, d.ext_id, d.state, d.error);
	}
	p.ops->release(&p);
}

static void
test_configure(void **state)
{
	static const struct {
		const char *kv[6];
		const char *err;		/* NULL: accepted */
	} cases[] = {
		{ { "auth_id=MA1", "auth_token=t", "from=447700900000" }, NULL },
		{ { "auth_id=MA1", "auth_token=t", "powerpack_uuid=p" }, NULL },
		{ { "auth_id=MA1", "auth_token=t", "from=4477",
		    "accept_v2=no" }, NULL },
		{ { "auth_token=t", "from=4477" }, "auth_id is required" },
		{ { "auth_id=MA/1", "auth_token=t", "from=4477" },
		    "not an auth id" },
		{ { "auth_id=MA1", "from=4477" }, "auth_token" },
		{ { "auth_id=MA1", "auth_token=t" }, "from" },
		{ { "auth_id=MA1", "auth_token=t", "from=4477",
		    "accept_v2=maybe" }, "accept_v2 is yes or no" },
		{ { "auth_id=MA1", "auth_token=t", "from=4477", "src=1" },
		    "unknown key \"src\"" },
	};
	struct provider p;
	char err[256];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *const *kv = cases[i].kv;
		int rc = configure(&p, err, sizeof err, "type=plivo", kv[0],
		    kv[1], kv[2], kv[3], kv[4], kv[5]);
		if (cases[i].err == NULL) {
			if (rc != 0)
				fail_msg("case %zu: refused: %s", i, err);
			p.ops->release(&p);
		} else if (rc != -1 || strstr(err, cases[i].err) == NULL)
			fail_msg("case %zu: expected \"%s\", got %d \"%s\"", i,
			    cases[i].err, rc, err);
		else
			assert_null(p.priv);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_v3),
		cmocka_unit_test(test_verify_v2),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_configure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
