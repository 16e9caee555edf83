/*
 * test_provider_twilio.c -- the Twilio codec: X-Twilio-Signature (the
 * vectors of twilio-python's tests/unit/test_request_validator.py, auth
 * token 12345), inbound forms, TwiML, the send request and its answers,
 * status callbacks.
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

extern const struct provider_ops provider_twilio;

#define SID	"AC0123456789abcdef0123456789abcdef"

/* An instance configured from "key=value" strings; NULL-terminated. */
static int
configure(struct provider *p, char *err, size_t errlen, ...)
{
	va_list ap;
	int rc;

	va_start(ap, errlen);
	rc = test_vconfigure(p, &provider_twilio, err, errlen, ap);
	va_end(ap);
	return rc;
}

static void
standard(struct provider *p, const char *token)
{
	char err[256], tok[64];

	snprintf(tok, sizeof tok, "auth_token=%s", token);
	if (configure(p, err, sizeof err, "type=twilio",
	    "account_sid=" SID, tok, "from=+447700900000",
	    "base_url=http://127.0.0.1:9/twilio/", NULL) == -1)
		fail_msg("configure: %s", err);
}

/* A request as httpd.c would hand it over. */
struct fake_req {
	struct http_req		req;
	struct http_header	hdr[4];
	char			name[2][32], value[2][256];
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
    const char *body, const char *type, const char *sig)
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
	if (type)
		add_header(f, "Content-Type", type);
	if (sig)
		add_header(f, "x-twilio-signature", sig);
}

#define FORM	"application/x-www-form-urlencoded"
/* T1's parameters, form-encoded as Twilio posts them. */
#define T1_BODY	"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234" \
		"&From=%2B14158675309&To=%2B18005551212"
#define T1_URL	"https://mycompany.com/myapp.php?foo=1&bar=2"

static void
test_verify(void **state)
{
	static const struct {
		const char *what, *method, *url, *body, *type, *sig;
		enum verify_result want;
	} cases[] = {
		{ "T1", "POST", T1_URL, T1_BODY, FORM,
		    "RSOYDt4T1cUTdK1PDd93/VVr8B8=", VERIFY_OK },
		{ "T1 params in another order", "POST", T1_URL,
		    "To=%2B18005551212&From=%2B14158675309&Digits=1234"
		    "&Caller=%2B14158675309&CallSid=CA1234567890ABCDE", FORM,
		    "RSOYDt4T1cUTdK1PDd93/VVr8B8=", VERIFY_OK },
		{ "T1 + with a port: removed", "POST",
		    "https://mycompany.com:1234/myapp.php?foo=1&bar=2", T1_BODY,
		    FORM, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", VERIFY_OK },
		{ "T1 + with :443: removed", "POST",
		    "https://mycompany.com:443/myapp.php?foo=1&bar=2", T1_BODY,
		    FORM, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", VERIFY_OK },
		{ "T2 signed with :443, called without", "POST", T1_URL,
		    T1_BODY, FORM, "kvajT1Ptam85bY51eRf/AJRuM3w=", VERIFY_OK },
		{ "T2 signed with :443, called with", "POST",
		    "https://mycompany.com:443/myapp.php?foo=1&bar=2", T1_BODY,
		    FORM, "kvajT1Ptam85bY51eRf/AJRuM3w=", VERIFY_OK },
		{ "T3 signed with :80, called without", "POST",
		    "http://mycompany.com/myapp.php?foo=1&bar=2", T1_BODY, FORM,
		    "0ZXoZLH/DfblKGATFgpif+LLRf4=", VERIFY_OK },
		{ "T4 signed with :1234", "POST",
		    "http://mycompany.com:1234/myapp.php?foo=1&bar=2", T1_BODY,
		    FORM, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", VERIFY_OK },
		{ "T4's signature for another port", "POST",
		    "http://mycompany.com:4321/myapp.php?foo=1&bar=2", T1_BODY,
		    FORM, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", VERIFY_BAD },
		{ "T5 repeated names", "POST", T1_URL,
		    "Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234"
		    "&Digits=1234", FORM, "IK+Dwps556ElfBT0I3Rgjkr1wJU=",
		    VERIFY_OK },
		{ "T6 JSON body under bodySHA256", "POST",
		    T1_URL "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b2"
		    "83a80c7cf19632632f96e6620",
		    "{\"property\": \"value\", \"boolean\": true}",
		    "application/json", "a9nBmqA0ju/hNViExpshrM61xv4=",
		    VERIFY_OK },
		{ "T6 with the body changed", "POST",
		    T1_URL "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b2"
		    "83a80c7cf19632632f96e6620",
		    "{\"property\": \"value\", \"boolean\": false}",
		    "application/json", "a9nBmqA0ju/hNViExpshrM61xv4=",
		    VERIFY_BAD },
		{ "JSON body without bodySHA256", "POST", T1_URL,
		    "{\"property\": \"value\", \"boolean\": true}",
		    "application/json", "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
		    VERIFY_BAD },
		/* A GET signs the URL alone (computed with Python's hmac:
		 * base64(HMAC-SHA1("12345", url)), and openssl dgst). */
		{ "GET: the URL alone", "GET",
		    "https://mycompany.com/myapp.php?From=%2B447700900123"
		    "&Body=Jane+SE1+7PB&MessageSid=SM1", NULL, NULL,
		    "HavFmYyC6AMrlKGkxvZD5XET8Qg=", VERIFY_OK },
		{ "GET with its query changed", "GET",
		    "https://mycompany.com/myapp.php?From=%2B447700900124"
		    "&Body=Jane+SE1+7PB&MessageSid=SM1", NULL, NULL,
		    "HavFmYyC6AMrlKGkxvZD5XET8Qg=", VERIFY_BAD },
		{ "a parameter changed", "POST", T1_URL,
		    "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1235"
		    "&From=%2B14158675309&To=%2B18005551212", FORM,
		    "RSOYDt4T1cUTdK1PDd93/VVr8B8=", VERIFY_BAD },
		{ "a parameter added", "POST", T1_URL, T1_BODY "&Body=hi", FORM,
		    "RSOYDt4T1cUTdK1PDd93/VVr8B8=", VERIFY_BAD },
		{ "another path", "POST",
		    "https://mycompany.com/other.php?foo=1&bar=2", T1_BODY, FORM,
		    "RSOYDt4T1cUTdK1PDd93/VVr8B8=", VERIFY_BAD },
		{ "no signature", "POST", T1_URL, T1_BODY, FORM, NULL,
		    VERIFY_BAD },
		{ "an empty signature", "POST", T1_URL, T1_BODY, FORM, "",
		    VERIFY_BAD },
		{ "a truncated signature", "POST", T1_URL, T1_BODY, FORM,
		    "RSOYDt4T1cUTdK1PDd93/VVr8B8", VERIFY_BAD },
		{ "a malformed body", "POST", T1_URL, "a=%zz", FORM,
		    "RSOYDt4T1cUTdK1PDd93/VVr8B8=", VERIFY_BAD },
	};
	struct provider p, other;
	struct fake_req f;

	standard(&p, "12345");
	standard(&other, "12346");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		make_req(&f, cases[i].method, cases[i].url, cases[i].body,
		    cases[i].type, cases[i].sig);
		enum verify_result got = p.ops->verify(&p, &f.req, 0);
		if (got != cases[i].want)
			fail_msg("%s: expected %d, got %d", cases[i].what,
			    cases[i].want, got);
		/* Nothing verifies under another token. */
		if (other.ops->verify(&other, &f.req, 0) != VERIFY_BAD)
			fail_msg("%s: verified under the wrong token",
			    cases[i].what);
	}
	p.ops->release(&p);
	other.ops->release(&other);
}

static void
test_decode(void **state)
{
	/* nyaruka/courier's captured Twilio request. */
	static const char courier[] = "ToCountry=US&ToState=District+Of+"
	    "Columbia&SmsMessageSid=SMe287d7109a5a925f182f0e07fe5b223b&NumMedia"
	    "=0&ToCity=&FromZip=01022&SmsSid=SMe287d7109a5a925f182f0e07fe5b223b"
	    "&FromState=MA&SmsStatus=received&FromCity=CHICOPEE&Body=Msg&From"
	    "Country=US&To=%2B12028831111&ToZip=&NumSegments=1&MessageSid=SMe28"
	    "7d7109a5a925f182f0e07fe5b223b&AccountSid=acctid&From=%2B1413388111"
	    "1&ApiVersion=2010-04-01";
	static const struct {
		const char *what, *method, *url, *body;
		enum decode_result want;
		const char *id, *sender, *recipient, *text;
	} cases[] = {
		{ "courier's capture", "POST", "https://gw.example/webhooks/main",
		    courier, DECODE_MESSAGE, "SMe287d7109a5a925f182f0e07fe5b223b",
		    "+14133881111", "+12028831111", "Msg" },
		{ "a UK text with accents", "POST",
		    "https://gw.example/webhooks/main",
		    "MessageSid=SM1&From=%2B447700900123&To=%2B447700900000"
		    "&Body=hi+it%27s+Si%C3%A2n%2C+CF10+1EP", DECODE_MESSAGE,
		    "SM1", "+447700900123", "+447700900000",
		    "hi it's Si\xc3\xa2n, CF10 1EP" },
		{ "GET: fields in the query", "GET",
		    "https://gw.example/webhooks/main?MessageSid=SM2&From=%2B447"
		    "700900123&To=%2B447700900000&Body=Jane+SE1+7PB", NULL,
		    DECODE_MESSAGE, "SM2", "+447700900123", "+447700900000",
		    "Jane SE1 7PB" },
		{ "only the legacy SmsSid", "POST",
		    "https://gw.example/webhooks/main",
		    "SmsSid=SM3&From=%2B447700900123&To=%2B447700900000&Body=x",
		    DECODE_MESSAGE, "SM3", "+447700900123", "+447700900000",
		    "x" },
		{ "an MMS with no words", "POST",
		    "https://gw.example/webhooks/main",
		    "MessageSid=MM4&From=%2B447700900123&To=%2B447700900000"
		    "&Body=&NumMedia=1", DECODE_MESSAGE, "MM4", "+447700900123",
		    "+447700900000", "" },
		{ "a status callback on the inbound URL", "POST",
		    "https://gw.example/webhooks/main",
		    "MessageSid=SM5&MessageStatus=delivered&From=%2B447700900000"
		    "&To=%2B447700900123", DECODE_IGNORE,
		    NULL, NULL, NULL, NULL },
		{ "no From", "POST", "https://gw.example/webhooks/main",
		    "MessageSid=SM6&To=%2B447700900000&Body=x", DECODE_MALFORMED,
		    NULL, NULL, NULL, NULL },
		{ "no id", "POST", "https://gw.example/webhooks/main",
		    "From=%2B447700900123&Body=x", DECODE_MALFORMED,
		    NULL, NULL, NULL, NULL },
		{ "no Body", "POST", "https://gw.example/webhooks/main",
		    "MessageSid=SM7&From=%2B447700900123", DECODE_MALFORMED,
		    NULL, NULL, NULL, NULL },
		{ "a NUL in Body", "POST", "https://gw.example/webhooks/main",
		    "MessageSid=SM8&From=%2B447700900123&Body=a%00b",
		    DECODE_MALFORMED,
		    NULL, NULL, NULL, NULL },
		{ "a bad escape", "POST", "https://gw.example/webhooks/main",
		    "MessageSid=SM9&From=%2B447700900123&Body=%4", DECODE_MALFORMED,
		    NULL, NULL, NULL, NULL },
		{ "an empty body", "POST", "https://gw.example/webhooks/main",
		    "", DECODE_MALFORMED,
		    NULL, NULL, NULL, NULL },
	};
	struct provider p;
	struct fake_req f;
	struct inbound in;

	standard(&p, "12345");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		make_req(&f, cases[i].method, cases[i].url, cases[i].body,
		    FORM, NULL);
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
		assert_int_equal(in.concat_part, 0);
	}

	/* A JSON callback is signed, but not a message. */
	make_req(&f, "POST", "https://gw.example/webhooks/main?bodySHA256=x",
	    "{}", "application/json", NULL);
	assert_int_equal(p.ops->decode(&p, &f.req, &in), DECODE_IGNORE);

	/* A text longer than we keep is cut at a character, not in one. */
	{
		static char body[20000];
		size_t n = (size_t)snprintf(body, sizeof body,
		    "MessageSid=SM10&From=%%2B447700900123&Body=a");
		for (int k = 0; k < 1500; k++)	/* 3000 x "é": 6000 bytes */
			n += (size_t)snprintf(body + n, sizeof body - n,
			    "%%C3%%A9%%C3%%A9");
		make_req(&f, "POST", "https://gw.example/webhooks/main", body,
		    FORM, NULL);
		assert_int_equal(p.ops->decode(&p, &f.req, &in),
		    DECODE_MESSAGE);
		/* "a" and 2047 whole "é"s fit in 4095 bytes. */
		assert_int_equal(strlen(in.text), 1 + 2 * 2047);
		assert_int_equal((unsigned char)in.text[strlen(in.text) - 1],
		    0xa9);
	}
	p.ops->release(&p);
}

static void
test_ack(void **state)
{
	static const struct {
		const char *reply, *want;
	} cases[] = {
		{ NULL, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>" },
		{ "", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>" },
		{ "Hi Jane! Your nearest branch is Southwark.",
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>"
		    "Hi Jane! Your nearest branch is Southwark.</Message>"
		    "</Response>" },
		{ "Tom & Jerry's <branch> \"here\"",
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>"
		    "Tom &amp; Jerry&apos;s &lt;branch&gt; &quot;here&quot;"
		    "</Message></Response>" },
		{ "Hi Si\xc3\xa2n",
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>"
		    "Hi Si\xc3\xa2n</Message></Response>" },
	};
	struct provider p;
	struct http_resp resp;

	standard(&p, "12345");
	assert_int_equal(p.ops->inline_reply, 1);
	assert_int_equal(p.ops->unique_ids, 1);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		http_resp_init(&resp);
		p.ops->ack(&p, NULL, cases[i].reply, &resp);
		assert_int_equal(resp.status, 200);
		assert_string_equal(resp.content_type, "text/xml");
		assert_string_equal(resp.body.data, cases[i].want);
		http_resp_release(&resp);
	}
	p.ops->release(&p);
}

static void
test_encode(void **state)
{
	struct provider p, svc, key;
	struct http_out req;
	char err[256];
	struct outbound out = {
		.to = "+447700900123", .text = "Hi Siân & co",
		.idem_key = "main:SM1:reply",
		.status_url = "https://gw.example/status/main",
	};

	standard(&p, "12345");
	http_out_init(&req);
	assert_int_equal(provider_encode(&p, &out, &req, err, sizeof err), 0);
	assert_string_equal(req.method, "POST");
	assert_string_equal(req.url, "http://127.0.0.1:9/twilio/2010-04-01/"
	    "Accounts/" SID "/Messages.json");
	assert_string_equal(req.userpwd, SID ":12345");
	assert_string_equal(req.body.data, "To=%2B447700900123&From=%2B4477009"
	    "00000&Body=Hi%20Si%C3%A2n%20%26%20co&StatusCallback=https%3A%2F%2F"
	    "gw.example%2Fstatus%2Fmain");
	assert_int_equal(req.nheaders, 2);
	assert_string_equal(req.headers[0],
	    "Content-Type: application/x-www-form-urlencoded");
	http_out_release(&req);

	/* An explicit from wins; no status URL, no StatusCallback. */
	out.from = "ACME";
	out.status_url = NULL;
	http_out_init(&req);
	assert_int_equal(provider_encode(&p, &out, &req, err, sizeof err), 0);
	assert_string_equal(req.body.data, "To=%2B447700900123&From=ACME"
	    "&Body=Hi%20Si%C3%A2n%20%26%20co");
	http_out_release(&req);
	p.ops->release(&p);

	/* A messaging service, and API key credentials. */
	out.from = NULL;
	if (configure(&svc, err, sizeof err, "type=twilio",
	    "account_sid=" SID, "auth_token=12345",
	    "messaging_service_sid=MG0123456789abcdef0123456789abcdef", NULL)
	    == -1)
		fail_msg("configure: %s", err);
	http_out_init(&req);
	assert_int_equal(provider_encode(&svc, &out, &req, err, sizeof err),
	    0);
	assert_string_equal(req.url, "https://api.twilio.com/2010-04-01/"
	    "Accounts/" SID "/Messages.json");
	assert_string_equal(req.body.data, "To=%2B447700900123&Messaging"
	    "ServiceSid=MG0123456789abcdef0123456789abcdef&Body=Hi%20Si%C3%A2n"
	    "%20%26%20co");
	http_out_release(&req);
	svc.ops->release(&svc);

	if (configure(&key, err, sizeof err, "type=twilio",
	    "account_sid=" SID, "auth_token=12345", "from=+447700900000",
	    "api_key=SK1", "api_secret=s3cret", NULL) == -1)
		fail_msg("configure: %s", err);
	http_out_init(&req);
	assert_int_equal(provider_encode(&key, &out, &req, err, sizeof err),
	    0);
	assert_string_equal(req.userpwd, "SK1:s3cret");
	http_out_release(&req);
	key.ops->release(&key);
}

static void
test_result(void **state)
{
	static const struct {
		int status;
		const char *body;
		enum send_result want;
		const char *id_or_err;		/* ext_id, or a part of err */
	} cases[] = {
		{ 201, "{\"sid\": \"SM0123456789abcdef0123456789abcdef\", "
		    "\"status\": \"queued\", \"error_code\": null}", SEND_OK,
		    "SM0123456789abcdef0123456789abcdef" },
		{ 200, "{\"sid\": \"SMabc\"}", SEND_OK, "SMabc" },
		{ 400, "{\"code\": 21211, \"message\": \"The 'To' number "
		    "+4477 is not a valid phone number.\", \"more_info\": "
		    "\"https://www.twilio.com/docs/errors/21211\", \"status\": "
		    "400}", SEND_FAIL, "21211 The 'To' number" },
		{ 400, "{\"code\": 21610, \"message\": \"Attempt to send to "
		    "unsubscribed recipient\"}", SEND_FAIL, "21610" },
		{ 401, "{\"code\": 20003, \"message\": \"Authenticate\"}",
		    SEND_FAIL, "HTTP 401: 20003 Authenticate" },
		{ 404, "", SEND_FAIL, "HTTP 404" },
		{ 429, "{\"code\": 20429, \"message\": \"Too Many Requests\"}",
		    SEND_RETRY, "20429" },
		{ 500, "oops", SEND_RETRY, "HTTP 500" },
		{ 503, "", SEND_RETRY, "HTTP 503" },
		{ 0, NULL, SEND_RETRY, "HTTP 0" },
		{ 201, "<html>captive portal</html>", SEND_RETRY, "sid" },
		{ 201, "{\"sid\": \"\"}", SEND_RETRY, "sid" },
		{ 400, "{\"type\": \"https://www.twilio.com/docs/errors/20001\","
		    " \"title\": \"Bad\", \"status\": 400, \"code\": 20001, "
		    "\"detail\": \"Invalid parameter\"}", SEND_FAIL,
		    "20001 Invalid parameter" },
	};
	struct provider p;
	char id[INBOUND_MAX_ID], err[256];

	standard(&p, "12345");
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
		{ "MessageSid=SMe287&MessageStatus=delivered&To=%2B447700900123"
		    "&From=%2B447700900000&AccountSid=" SID "&SmsStatus=delivered",
		    DECODE_MESSAGE, "SMe287", DELIVERY_DELIVERED, "" },
		{ "MessageSid=SM1&MessageStatus=sent", DECODE_MESSAGE, "SM1",
		    DELIVERY_PENDING, "" },
		{ "MessageSid=SM1&MessageStatus=queued", DECODE_MESSAGE, "SM1",
		    DELIVERY_PENDING, "" },
		{ "MessageSid=SM2&MessageStatus=undelivered&ErrorCode=30003",
		    DECODE_MESSAGE, "SM2", DELIVERY_FAILED, "undelivered 30003" },
		{ "MessageSid=SM3&MessageStatus=failed&ErrorCode=21610",
		    DECODE_MESSAGE, "SM3", DELIVERY_FAILED, "failed 21610" },
		{ "MessageSid=SM4&MessageStatus=failed", DECODE_MESSAGE, "SM4",
		    DELIVERY_FAILED, "failed" },
		{ "MessageSid=SM5&MessageStatus=read", DECODE_MESSAGE, "SM5",
		    DELIVERY_DELIVERED, "" },
		{ "SmsSid=SM6&SmsStatus=delivered", DECODE_MESSAGE, "SM6",
		    DELIVERY_DELIVERED, "" },
		{ "MessageStatus=delivered", DECODE_MALFORMED,
		    NULL, 0, NULL },
		{ "MessageSid=SM7", DECODE_MALFORMED,
		    NULL, 0, NULL },
		{ "MessageSid=%zz", DECODE_MALFORMED,
		    NULL, 0, NULL },
	};
	struct provider p;
	struct fake_req f;
	struct delivery d;

	standard(&p, "12345");
	assert_non_null(p.ops->decode_status);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		make_req(&f, "POST", "https://gw.example/status/main",
		    cases[i].body, FORM, NULL);
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
		{ { "account_sid=" SID, "auth_token=t", "from=+447700900000" },
		    NULL },
		{ { "account_sid=" SID, "auth_token=t",
		    "messaging_service_sid=MG1" }, NULL },
		{ { "auth_token=t", "from=+447700900000" }, "account_sid is "
		    "required" },
		{ { "account_sid=SK123", "auth_token=t", "from=x" },
		    "not an account SID" },
		{ { "account_sid=AC1/../x", "auth_token=t", "from=x" },
		    "not an account SID" },
		{ { "account_sid=" SID, "from=+447700900000" },
		    "auth_token (or auth_token_file) is required" },
		{ { "account_sid=" SID, "auth_token=t" }, "from" },
		{ { "account_sid=" SID, "auth_token=t", "from=x",
		    "authtoken=y" }, "unknown key \"authtoken\"" },
		{ { "account_sid=" SID, "auth_token=t", "from=x",
		    "auth_token_file=/nonexistent" }, "not both" },
		{ { "account_sid=" SID, "auth_token=t", "from=x",
		    "api_secret=s" }, "api_secret needs api_key" },
		{ { "account_sid=" SID, "auth_token=t", "from=x",
		    "api_key=SK1" }, "api_secret (or api_secret_file) is "
		    "required" },
		{ { "account_sid=" SID, "auth_token=t",
		    "messaging_service_sid=PN1" }, "messaging service SID" },
	};
	struct provider p;
	char err[256];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *const *kv = cases[i].kv;
		int rc = configure(&p, err, sizeof err, "type=twilio", kv[0],
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
