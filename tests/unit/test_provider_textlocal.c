/*
 * test_provider_textlocal.c -- the Textlocal codec: the URL token that
 * stands in for a signature, inbound forms, the send request and its
 * answers, delivery receipts.
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

extern const struct provider_ops provider_textlocal;

#define TOKEN	"k3Jq9vX2mPz7Lw4t"

/* An instance configured from "key=value" strings; NULL-terminated. */
static int
configure(struct provider *p, char *err, size_t errlen, ...)
{
	va_list ap;
	int rc;

	va_start(ap, errlen);
	rc = test_vconfigure(p, &provider_textlocal, err, errlen, ap);
	va_end(ap);
	return rc;
}

static void
standard(struct provider *p)
{
	char err[256];

	if (configure(p, err, sizeof err, "type=textlocal", "apikey=KEY1",
	    "token=" TOKEN, "from=ACME", "base_url=http://127.0.0.1:9/tl/",
	    "keyword=branch", NULL) == -1)
		fail_msg("configure: %s", err);
}

/* A request as httpd.c would hand it over. */
struct fake_req {
	struct http_req		req;
	struct http_header	hdr[1];
};

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
}

#define INBOUND	"inNumber=447700900000&sender=447700900123&keyword=" \
		"&content=Hello+there&comments=Hello+there&email=&credits=1234"
#define URL	"https://gw.example/webhooks/main"

static void
test_verify(void **state)
{
	static const struct {
		const char *what, *url, *body;
		enum verify_result want;
	} cases[] = {
		{ "the token", URL "?token=" TOKEN, INBOUND, VERIFY_OK },
		{ "the token among others", URL "?a=1&token=" TOKEN "&b=2",
		    INBOUND, VERIFY_OK },
		{ "the token, %-encoded", URL "?token=k3Jq9vX2mPz7Lw4%74",
		    INBOUND, VERIFY_OK },
		{ "no token", URL, INBOUND, VERIFY_BAD },
		{ "an empty token", URL "?token=", INBOUND, VERIFY_BAD },
		{ "a wrong token", URL "?token=k3Jq9vX2mPz7Lw4T", INBOUND,
		    VERIFY_BAD },
		{ "the token's start", URL "?token=k3Jq9vX2mPz7Lw4", INBOUND,
		    VERIFY_BAD },
		{ "the token and more", URL "?token=" TOKEN "x", INBOUND,
		    VERIFY_BAD },
		{ "the token twice", URL "?token=" TOKEN "&token=" TOKEN,
		    INBOUND, VERIFY_BAD },
		{ "a wrong token and the token", URL "?token=x&token=" TOKEN,
		    INBOUND, VERIFY_BAD },
		{ "the token in the body only", URL, INBOUND "&token=" TOKEN,
		    VERIFY_BAD },
		{ "another name", URL "?Token=" TOKEN, INBOUND, VERIFY_BAD },
		{ "a bad escape", URL "?token=%zz", INBOUND, VERIFY_BAD },
	};
	struct provider p;
	struct fake_req f;

	standard(&p);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		make_req(&f, "POST", cases[i].url, cases[i].body);
		enum verify_result got = p.ops->verify(&p, &f.req, 0);
		if (got != cases[i].want)
			fail_msg("%s: expected %d, got %d", cases[i].what,
			    cases[i].want, got);
	}
	p.ops->release(&p);
}

static void
test_decode(void **state)
{
	static const struct {
		const char *what, *method, *url, *body;
		enum decode_result want;
		const char *sender, *recipient, *text;
	} cases[] = {
		{ "the documented fields", "POST", URL "?token=" TOKEN, INBOUND,
		    DECODE_MESSAGE, "+447700900123", "+447700900000",
		    "Hello there" },
		{ "accents", "POST", URL "?token=" TOKEN,
		    "inNumber=447700900000&sender=447700900123&content=hi+it%27s"
		    "+Si%C3%A2n%2C+CF10+1EP", DECODE_MESSAGE, "+447700900123",
		    "+447700900000", "hi it's Si\xc3\xa2n, CF10 1EP" },
		/* A shared short code: comments is the text without the
		 * inbox keyword. */
		{ "an inbox keyword", "POST", URL "?token=" TOKEN,
		    "inNumber=60777&sender=447700900123&keyword=BRANCH&content="
		    "BRANCH+Jane+SE1+7PB&comments=Jane+SE1+7PB", DECODE_MESSAGE,
		    "+447700900123", "+60777", "Jane SE1 7PB" },
		/* A keyword that is not ours is the supporter's first word. */
		{ "another keyword", "POST", URL "?token=" TOKEN,
		    "inNumber=447700900000&sender=447700900123&keyword=JANE&"
		    "content=Jane+SE1+7PB&comments=SE1+7PB", DECODE_MESSAGE,
		    "+447700900123", "+447700900000", "Jane SE1 7PB" },
		{ "the keyword alone", "POST", URL "?token=" TOKEN,
		    "inNumber=60777&sender=447700900123&keyword=BRANCH&content="
		    "BRANCH&comments=", DECODE_MESSAGE, "+447700900123", "+60777",
		    "BRANCH" },
		{ "GET: fields in the query", "GET", URL "?token=" TOKEN
		    "&sender=447700900123&inNumber=447700900000&content=STOP",
		    NULL, DECODE_MESSAGE, "+447700900123", "+447700900000",
		    "STOP" },
		{ "no sender", "POST", URL, "inNumber=447700900000&content=x",
		    DECODE_MALFORMED, NULL, NULL, NULL },
		{ "no content", "POST", URL,
		    "inNumber=447700900000&sender=447700900123", DECODE_MALFORMED,
		    NULL, NULL, NULL },
		{ "a bad escape", "POST", URL,
		    "sender=447700900123&content=%", DECODE_MALFORMED, NULL, NULL,
		    NULL },
	};
	struct provider p;
	struct fake_req f;
	struct inbound in;
	char first[INBOUND_MAX_ID];

	standard(&p);
	assert_int_equal(p.ops->unique_ids, 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		make_req(&f, cases[i].method, cases[i].url, cases[i].body);
		enum decode_result got = p.ops->decode(&p, &f.req, &in);
		if (got != cases[i].want)
			fail_msg("%s: expected %d, got %d", cases[i].what,
			    cases[i].want, got);
		if (got != DECODE_MESSAGE)
			continue;
		if (strcmp(in.sender, cases[i].sender) ||
		    strcmp(in.recipient, cases[i].recipient) ||
		    strcmp(in.text, cases[i].text))
			fail_msg("%s: got from %s, to %s, text \"%s\"",
			    cases[i].what, in.sender, in.recipient, in.text);
		/* Textlocal sends no id: each message gets its own. */
		if (strncmp(in.ext_id, "tl-", 3) != 0 ||
		    strlen(in.ext_id) != 3 + 32)
			fail_msg("%s: id \"%s\"", cases[i].what, in.ext_id);
	}

	/* The same request twice: two ids (the pipeline finds the repeat
	 * by sender and text). */
	make_req(&f, "POST", URL "?token=" TOKEN, INBOUND);
	assert_int_equal(p.ops->decode(&p, &f.req, &in), DECODE_MESSAGE);
	strcpy(first, in.ext_id);
	assert_int_equal(p.ops->decode(&p, &f.req, &in), DECODE_MESSAGE);
	assert_string_not_equal(first, in.ext_id);
	p.ops->release(&p);
}

static void
test_ack(void **state)
{
	struct provider p;
	struct http_resp resp;

	standard(&p);
	assert_int_equal(p.ops->inline_reply, 0);
	http_resp_init(&resp);
	p.ops->ack(&p, NULL, "ignored", &resp);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.body.len, 0);
	http_resp_release(&resp);
	p.ops->release(&p);
}

static void
test_encode(void **state)
{
	static const struct {
		const char *text, *want;	/* want: the message field on */
	} texts[] = {
		{ "Hi Jane! Thursdays 7pm, \xc2\xa3" "2 (caf\xc3\xa9)",
		    "message=Hi%20Jane%21%20Thursdays%207pm%2C%20%C2%A32%20%28caf"
		    "%C3%A9%29&sender=ACME&receipt_url" },
		{ "Hi Si\xc3\xa2n", "message=Hi%20Si%C3%A2n&sender=ACME&unicode="
		    "true&receipt_url" },
		{ "Hi \xf0\x9f\x98\x80", "&unicode=true&" },
		{ "{curly} [square] ~ \\ | ^ \xe2\x82\xac", "&sender=ACME&"
		    "receipt_url" },
		{ "back`quote", "&unicode=true&" },
	};
	struct provider p, t;
	struct http_out req;
	char err[256];
	struct outbound out = {
		.to = "+447700900123", .text = "Hi & bye",
		.idem_key = "main:SM1:reply",
		.status_url = "https://gw.example/status/main",
	};

	standard(&p);
	http_out_init(&req);
	assert_int_equal(provider_encode(&p, &out, &req, err, sizeof err), 0);
	assert_string_equal(req.method, "POST");
	assert_string_equal(req.url, "http://127.0.0.1:9/tl/send/");
	assert_null(req.userpwd);
	assert_string_equal(req.body.data, "apikey=KEY1&numbers=447700900123"
	    "&message=Hi%20%26%20bye&sender=ACME&receipt_url=https%3A%2F%2Fgw."
	    "example%2Fstatus%2Fmain%3Ftoken%3D" TOKEN
	    "&custom=51a94de7b12661dd6e4e");
	assert_string_equal(req.headers[0],
	    "Content-Type: application/x-www-form-urlencoded");
	http_out_release(&req);

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		out.text = texts[i].text;
		http_out_init(&req);
		assert_int_equal(provider_encode(&p, &out, &req, err, sizeof err),
		    0);
		if (strstr(req.body.data, texts[i].want) == NULL)
			fail_msg("\"%s\": %s", texts[i].text, req.body.data);
		http_out_release(&req);
	}
	p.ops->release(&p);

	/* No sender of our own, a status URL with a query, test mode. */
	if (configure(&t, err, sizeof err, "type=textlocal", "apikey=KEY1",
	    "token=" TOKEN, "test=yes", NULL) == -1)
		fail_msg("configure: %s", err);
	out.text = "x";
	out.from = NULL;
	out.idem_key = NULL;
	out.status_url = "https://gw.example/status/main?x=1";
	http_out_init(&req);
	assert_int_equal(provider_encode(&t, &out, &req, err, sizeof err), 0);
	assert_string_equal(req.url, "https://api.txtlocal.com/send/");
	assert_string_equal(req.body.data, "apikey=KEY1&numbers=447700900123"
	    "&message=x&receipt_url=https%3A%2F%2Fgw.example%2Fstatus%2Fmain%3F"
	    "x%3D1%26token%3D" TOKEN "&test=true");
	http_out_release(&req);
	t.ops->release(&t);
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
		/* The shape of a real answer (netsplit-textlocal), drama-range numbers. */
		{ 200, "{\"test_mode\":true,\"balance\":12345,\"batch_id\":101,"
		    "\"cost\":1,\"num_messages\":1,\"message\":{\"num_parts\":1,"
		    "\"sender\":\"Netsplit\",\"content\":\"Hello, world\"},"
		    "\"receipt_url\":\"\",\"messages\":[{\"id\":1,\"recipient\":"
		    "\"447700900777\"}],\"status\":\"success\"}", SEND_OK, "1" },
		{ 200, "{\"batch_id\":101,\"receipt_url\":\"\",\"custom\":"
		    "\"51a94de7b12661dd6e4e\",\"messages\":[{\"id\":\"1151346216\","
		    "\"recipient\":447700900789}],\"status\":\"success\"}",
		    SEND_OK, "51a94de7b12661dd6e4e" },
		{ 200, "{\"batch_id\":101,\"custom\":\"\",\"messages\":[{\"id\":"
		    "\"1151346216\"}],\"status\":\"success\"}", SEND_OK,
		    "1151346216" },
		{ 200, "{\"batch_id\":77,\"status\":\"success\"}", SEND_OK, "77" },
		{ 200, "{\"errors\":[{\"code\":51,\"message\":\"No valid numbers "
		    "specified\"}],\"status\":\"failure\"}", SEND_FAIL,
		    "Textlocal error 51: No valid numbers specified" },
		{ 200, "{\"status\":\"failure\"}", SEND_FAIL,
		    "Textlocal error ?" },
		{ 200, "<html>maintenance</html>", SEND_RETRY, "status" },
		{ 200, "{\"status\":\"success\"}", SEND_RETRY, "id" },
		{ 400, "", SEND_FAIL, "HTTP 400" },
		{ 429, "", SEND_RETRY, "HTTP 429" },
		{ 502, "bad gateway", SEND_RETRY, "HTTP 502" },
		{ 0, NULL, SEND_RETRY, "HTTP 0" },
	};
	struct provider p;
	char id[INBOUND_MAX_ID], err[256];

	standard(&p);
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
		{ "number=447700900123&status=D&customID=51a94de7b12661dd6e4e"
		    "&datetime=2025-05-01+12%3A00%3A00", DECODE_MESSAGE,
		    "51a94de7b12661dd6e4e", DELIVERY_DELIVERED, "" },
		{ "number=447700900123&status=U&customID=c1", DECODE_MESSAGE,
		    "c1", DELIVERY_FAILED, "undelivered" },
		{ "number=447700900123&status=I&customID=c2", DECODE_MESSAGE,
		    "c2", DELIVERY_FAILED, "invalid number" },
		{ "number=447700900123&status=E&customID=c3", DECODE_MESSAGE,
		    "c3", DELIVERY_FAILED, "expired" },
		{ "number=447700900123&status=%3F&customID=c4", DECODE_MESSAGE,
		    "c4", DELIVERY_PENDING, "" },
		{ "number=447700900123&status=P&customID=c5", DECODE_MESSAGE,
		    "c5", DELIVERY_PENDING, "" },
		{ "number=447700900123&status=D&customID=", DECODE_IGNORE, NULL,
		    0, NULL },
		{ "number=447700900123&status=D", DECODE_IGNORE, NULL, 0, NULL },
		{ "number=447700900123&customID=c6", DECODE_MALFORMED, NULL, 0,
		    NULL },
	};
	struct provider p;
	struct fake_req f;
	struct delivery d;

	standard(&p);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		make_req(&f, "POST", "https://gw.example/status/main?token="
		    TOKEN, cases[i].body);
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
		const char *kv[5];
		const char *err;		/* NULL: accepted */
	} cases[] = {
		{ { "apikey=K", "token=" TOKEN }, NULL },
		{ { "apikey=K", "token=" TOKEN, "from=ACME", "test=no" }, NULL },
		{ { "token=" TOKEN }, "apikey (or apikey_file) is required" },
		{ { "apikey=K" }, "token (or token_file) is required" },
		{ { "apikey=K", "token=short" }, "at least 16" },
		{ { "apikey=K", "token=" TOKEN, "test=maybe" },
		    "test is yes or no" },
		{ { "apikey=K", "token=" TOKEN, "hash=x" },
		    "unknown key \"hash\"" },
	};
	struct provider p;
	char err[256];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *const *kv = cases[i].kv;
		int rc = configure(&p, err, sizeof err, "type=textlocal", kv[0],
		    kv[1], kv[2], kv[3], kv[4]);
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
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_configure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
