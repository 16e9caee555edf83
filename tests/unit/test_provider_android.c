/* test_provider_android.c -- the SMSGate codec against providers.md §7. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crypto.h"
#include "provider.h"

extern const struct provider_ops provider_android;

/* providers.md §7.2 [D]. */
#define VECTOR_KEY	"Kx8pQm2z"
#define VECTOR_TS	"1719046000"
#define VECTOR_NOW	1719046000
#define VECTOR_SIG	"a2fda8e66ceb3a5baec974cb03d6313d" \
			"6597a4526db906ca0962c10e0e2e3175"
#define VECTOR_BODY	"{\"deviceId\":" \
	"\"ffffffffceb0b1db0000018e937c815b\"," \
	"\"event\":\"sms:received\",\"id\":\"Ey6ECgOkVVFjz3CL48B8C\"," \
	"\"payload\":{\"messageId\":\"abc123\",\"message\":" \
	"\"Android is always a sweet treat!\",\"sender\":\"6505551212\"," \
	"\"recipient\":\"+1234567890\",\"simNumber\":1,\"receivedAt\":" \
	"\"2024-06-22T15:46:11.000+07:00\"},\"webhookId\":" \
	"\"LreFUt-Z3sSq0JufY9uWB\"}"

static struct config_pair good_conf[] = {
	{ "type", "android", 1 },
	{ "signing_key", VECTOR_KEY, 2 },
	{ "base_url", "http://127.0.0.1:9/", 3 },
	{ "username", "sms", 4 },
	{ "password", "test-password-not-real", 5 },
	{ "from", "07700900000", 6 },
};
#define NGOOD	(sizeof good_conf / sizeof good_conf[0])

static int
configure(struct provider *p, struct config_pair *pairs, size_t n, char *err,
    size_t errlen)
{
	struct config_block cb = { "provider", "phone", 1, pairs, n };

	memset(p, 0, sizeof *p);
	p->ops = &provider_android;
	strcpy(p->name, "phone");
	return provider_configure(p, &cb, err, errlen);
}

static void
configure_ok(struct provider *p, struct config_pair *pairs, size_t n)
{
	char err[256] = "";

	if (configure(p, pairs, n, err, sizeof err) != 0)
		fail_msg("configure: %s", err);
}

static struct http_req
post(const char *body, struct http_header *h, size_t nh)
{
	struct http_req req = {
		.method = "POST", .path = "/webhooks/phone", .query = "",
		.url = "https://gw.example/webhooks/phone", .headers = h,
		.nheaders = nh, .body = body, .body_len = strlen(body),
		.remote_addr = "127.0.0.1",
	};

	return req;
}

static void
test_verify(void **state)
{
	static const struct {
		const char	*what;
		const char	*key;
		const char	*body;
		const char	*ts;		/* NULL: no header */
		const char	*sig;		/* NULL: no header */
		int64_t		 now;
		enum verify_result want;
	} cases[] = {
		{ "vector", VECTOR_KEY, VECTOR_BODY, VECTOR_TS, VECTOR_SIG,
		    VECTOR_NOW, VERIFY_OK },
		{ "vector, upper-case hex", VECTOR_KEY, VECTOR_BODY, VECTOR_TS,
		    "A2FDA8E66CEB3A5BAEC974CB03D6313D"
		    "6597A4526DB906CA0962C10E0E2E3175", VECTOR_NOW, VERIFY_OK },
		{ "vector, 5 min later", VECTOR_KEY, VECTOR_BODY, VECTOR_TS,
		    VECTOR_SIG, VECTOR_NOW + 300, VERIFY_OK },
		{ "vector, 5 min earlier", VECTOR_KEY, VECTOR_BODY, VECTOR_TS,
		    VECTOR_SIG, VECTOR_NOW - 300, VERIFY_OK },
		{ "stale", VECTOR_KEY, VECTOR_BODY, VECTOR_TS, VECTOR_SIG,
		    VECTOR_NOW + 301, VERIFY_BAD },
		{ "from the future", VECTOR_KEY, VECTOR_BODY, VECTOR_TS,
		    VECTOR_SIG, VECTOR_NOW - 301, VERIFY_BAD },
		{ "body changed", VECTOR_KEY, "{\"deviceId\":"
		    "\"ffffffffceb0b1db0000018e937c815b\","
		    "\"event\":\"sms:received\","
		    "\"id\":\"Ey6ECgOkVVFjz3CL48B8C\","
		    "\"payload\":{\"messageId\":\"abc123\",\"message\":"
		    "\"Android is always a sweet treat?\",\"sender\":"
		    "\"6505551212\",\"recipient\":\"+1234567890\","
		    "\"simNumber\":1,\"receivedAt\":"
		    "\"2024-06-22T15:46:11.000+07:00\"},\"webhookId\":"
		    "\"LreFUt-Z3sSq0JufY9uWB\"}", VECTOR_TS, VECTOR_SIG,
		    VECTOR_NOW, VERIFY_BAD },
		{ "timestamp changed", VECTOR_KEY, VECTOR_BODY, "1719046001",
		    VECTOR_SIG, VECTOR_NOW, VERIFY_BAD },
		{ "wrong key", "Kx8pQm2Z", VECTOR_BODY, VECTOR_TS, VECTOR_SIG,
		    VECTOR_NOW, VERIFY_BAD },
		{ "no signature", VECTOR_KEY, VECTOR_BODY, VECTOR_TS, NULL,
		    VECTOR_NOW, VERIFY_BAD },
		{ "no timestamp", VECTOR_KEY, VECTOR_BODY, NULL, VECTOR_SIG,
		    VECTOR_NOW, VERIFY_BAD },
		{ "signature truncated", VECTOR_KEY, VECTOR_BODY, VECTOR_TS,
		    "a2fda8e66ceb3a5baec974cb03d6313d"
		    "6597a4526db906ca0962c10e0e2e31", VECTOR_NOW, VERIFY_BAD },
		{ "signature longer", VECTOR_KEY, VECTOR_BODY, VECTOR_TS,
		    VECTOR_SIG "00", VECTOR_NOW, VERIFY_BAD },
		{ "signature not hex", VECTOR_KEY, VECTOR_BODY, VECTOR_TS,
		    "z2fda8e66ceb3a5baec974cb03d6313d"
		    "6597a4526db906ca0962c10e0e2e3175", VECTOR_NOW,
		    VERIFY_BAD },
		{ "signature empty", VECTOR_KEY, VECTOR_BODY, VECTOR_TS, "",
		    VECTOR_NOW, VERIFY_BAD },
		{ "timestamp with a sign", VECTOR_KEY, VECTOR_BODY,
		    "+1719046000", VECTOR_SIG, VECTOR_NOW, VERIFY_BAD },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config_pair conf[NGOOD];
		char key[64], ts[64], sig[160];
		struct http_header h[2];
		size_t nh = 0;
		struct provider p;
		struct http_req req;

		memcpy(conf, good_conf, sizeof conf);
		strcpy(key, cases[i].key);
		conf[1].value = key;
		configure_ok(&p, conf, NGOOD);
		if (cases[i].ts) {
			snprintf(ts, sizeof ts, "%s", cases[i].ts);
			h[nh++] = (struct http_header){ "x-timestamp", ts };
		}
		if (cases[i].sig) {
			snprintf(sig, sizeof sig, "%s", cases[i].sig);
			h[nh++] = (struct http_header){ "X-Signature", sig };
		}
		req = post(cases[i].body, h, nh);
		if (provider_android.verify(&p, &req, cases[i].now) !=
		    cases[i].want)
			fail_msg("%s: expected %d", cases[i].what,
			    (int)cases[i].want);
		provider_android.release(&p);
	}
}

static void
test_decode(void **state)
{
	static const struct {
		const char	*what;
		const char	*body;
		enum decode_result want;
		const char	*ext_id, *sender, *recipient, *text;
	} cases[] = {
		{ "providers.md 7.1", VECTOR_BODY, DECODE_MESSAGE,
		    "Ey6ECgOkVVFjz3CL48B8C", "+6505551212", "+1234567890",
		    "Android is always a sweet treat!" },
		{ "UK national sender, null recipient", "{\"event\":"
		    "\"sms:received\",\"id\":\"ev2\",\"payload\":"
		    "{\"messageId\":"
		    "\"m\",\"message\":\"SW1A 1AA Si\\u00e2n\",\"sender\":"
		    "\"07700900123\",\"recipient\":null,\"simNumber\":1}}",
		    DECODE_MESSAGE, "ev2", "+447700900123", "+447700900000",
		    "SW1A 1AA Si\xc3\xa2n" },
		{ "older app: phoneNumber", "{\"event\":\"sms:received\","
		    "\"id\":\"ev3\",\"payload\":{\"messageId\":\"m\","
		    "\"message\":\"hi\",\"phoneNumber\":\"+447700900124\"}}",
		    DECODE_MESSAGE, "ev3", "+447700900124", "+447700900000",
		    "hi" },
		{ "international without +", "{\"event\":\"sms:received\","
		    "\"id\":\"ev4\",\"payload\":{\"message\":\"\",\"sender\":"
		    "\"447700900125\",\"recipient\":\"+447700900001\"}}",
		    DECODE_MESSAGE, "ev4", "+447700900125", "+447700900001",
		    "" },
		{ "alphanumeric sender", "{\"event\":\"sms:received\",\"id\":"
		    "\"ev5\",\"payload\":{\"message\":\"Your code\",\"sender\":"
		    "\"Vodafone\"}}", DECODE_MESSAGE, "ev5", "Vodafone",
		    "+447700900000", "Your code" },
		{ "sms:sent", "{\"event\":\"sms:sent\",\"id\":\"ev6\","
		    "\"payload\":{\"messageId\":\"m\",\"phoneNumber\":"
		    "\"+447700900123\"}}", DECODE_IGNORE, NULL, NULL, NULL,
		    NULL },
		{ "system:ping", "{\"event\":\"system:ping\",\"id\":\"ev7\","
		    "\"payload\":{}}", DECODE_IGNORE, NULL, NULL, NULL, NULL },
		{ "sms:data-received", "{\"event\":\"sms:data-received\","
		    "\"id\":\"ev8\",\"payload\":{\"data\":\"AAEC\"}}",
		    DECODE_IGNORE, NULL, NULL, NULL, NULL },
		{ "truncated", "{\"deviceId\":"
		    "\"ffffffffceb0b1db0000018e937c815b\","
		    "\"event\":\"sms:received\",\"id\":\"Ey6EC",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "empty", "", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "not an object", "[\"sms:received\"]", DECODE_MALFORMED, NULL,
		    NULL, NULL, NULL },
		{ "no event", "{\"id\":\"e\",\"payload\":{}}", DECODE_MALFORMED,
		    NULL, NULL, NULL, NULL },
		{ "no payload", "{\"event\":\"sms:received\",\"id\":\"e\"}",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "no sender", "{\"event\":\"sms:received\",\"id\":\"e\","
		    "\"payload\":{\"message\":\"hi\"}}", DECODE_MALFORMED, NULL,
		    NULL, NULL, NULL },
		{ "no text", "{\"event\":\"sms:received\",\"id\":\"e\","
		    "\"payload\":{\"sender\":\"+447700900123\"}}",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "no event id", "{\"event\":\"sms:received\",\"payload\":"
		    "{\"messageId\":\"m\",\"message\":\"hi\",\"sender\":"
		    "\"+447700900123\"}}", DECODE_MALFORMED, NULL, NULL, NULL,
		    NULL },
		{ "sender too long", "{\"event\":\"sms:received\",\"id\":\"e\","
		    "\"payload\":{\"message\":\"hi\",\"sender\":"
		    "\"44770090012345678901234567890123456789012345678901\"}}",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		/* Not UTF-8: read as Windows-1252, not lost. */
		{ "bad UTF-8", "{\"event\":\"sms:received\",\"id\":\"e\","
		    "\"payload\":{\"message\":\"\xc3\x28\",\"sender\":"
		    "\"+447700900123\"}}", DECODE_MESSAGE, "e", "+447700900123",
		    "+447700900000", "\xc3\x83(" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct inbound in;
		struct http_req req = post(cases[i].body, NULL, 0);
		enum decode_result rc;

		configure_ok(&p, good_conf, NGOOD);
		rc = provider_android.decode(&p, &req, &in);
		if (rc != cases[i].want)
			fail_msg("%s: expected %d, got %d", cases[i].what,
			    (int)cases[i].want, (int)rc);
		if (rc == DECODE_MESSAGE) {
			assert_string_equal(in.ext_id, cases[i].ext_id);
			assert_string_equal(in.sender, cases[i].sender);
			assert_string_equal(in.recipient, cases[i].recipient);
			assert_string_equal(in.text, cases[i].text);
		}
		provider_android.release(&p);
	}
}

static char *
repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void
test_decode_bounds(void **state)
{
	static const struct {
		size_t	textlen, idlen;
		enum decode_result want;
	} cases[] = {
		{ INBOUND_MAX_TEXT - 1, 21, DECODE_MESSAGE },
		{ INBOUND_MAX_TEXT, 21, DECODE_MALFORMED },
		{ 60000, 21, DECODE_MALFORMED },
		{ 5, INBOUND_MAX_ID - 1, DECODE_MESSAGE },
		{ 5, INBOUND_MAX_ID, DECODE_MALFORMED },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = repeat('x', cases[i].textlen);
		char *id = repeat('E', cases[i].idlen);
		char *body;
		struct provider p;
		struct inbound in;
		struct http_req req;

		assert_true(asprintf(&body, "{\"event\":\"sms:received\","
		    "\"id\":\"%s\",\"payload\":{\"message\":\"%s\",\"sender\":"
		    "\"+447700900123\"}}", id, text) > 0);
		req = post(body, NULL, 0);
		configure_ok(&p, good_conf, NGOOD);
		if (provider_android.decode(&p, &req, &in) != cases[i].want)
			fail_msg("text %zu, id %zu: expected %d",
			    cases[i].textlen, cases[i].idlen,
			    (int)cases[i].want);
		provider_android.release(&p);
		free(body);
		free(text);
		free(id);
	}
}

static void
test_ack(void **state)
{
	const char *replies[] = { NULL, "Your nearest branch is Leeds." };

	for (size_t i = 0; i < 2; i++) {
		struct provider p;
		struct http_resp resp;

		configure_ok(&p, good_conf, NGOOD);
		http_resp_init(&resp);
		provider_ack(&p, NULL, replies[i], &resp);
		assert_int_equal(resp.status, 200);
		assert_string_equal(resp.content_type, "");
		assert_int_equal(resp.body.len, 0);
		assert_int_equal(resp.nheaders, 0);
		http_resp_release(&resp);
		provider_android.release(&p);
	}
}

static void
test_encode(void **state)
{
	static struct config_pair cloud_conf[] = {
		{ "signing_key", "test-signing-key", 1 },
		{ "base_url", "https://api.sms-gate.app/3rdparty/v1", 2 },
		{ "username", "ABCDEF", 3 },
		{ "password", "test-password-not-real", 4 },
		{ "sim_number", "2", 5 },
		{ "device_id", "ffffffffceb0b1db0000018e937c815b", 6 },
	};
	static const struct {
		int		 cloud;
		struct outbound	 out;
		const char	*url;
		const char	*userpwd;
		const char	*body;
	} cases[] = {
		{ 0, { "+447700900123", NULL, "Hello", "phone:ev2:reply",
		    "https://gw.example/status/phone" },
		    "http://127.0.0.1:9/messages",
		    "sms:test-password-not-real",
		    "{\"textMessage\":{\"text\":\"Hello\"},\"phoneNumbers\":"
		    "[\"+447700900123\"],\"withDeliveryReport\":true,\"id\":"
		    "\"phone:ev2:reply\"}" },
		{ 0, { "+447700900124", "+447700900999", "Si\xc3\xa2n \"q\"",
		    NULL, NULL }, "http://127.0.0.1:9/messages",
		    "sms:test-password-not-real",
		    "{\"textMessage\":{\"text\":\"Si\xc3\xa2n \\\"q\\\"\"},"
		    "\"phoneNumbers\":[\"+447700900124\"],"
		    "\"withDeliveryReport\":false}" },
		{ 1, { "+447700900125", NULL, "Hi", "o-1", NULL },
		    "https://api.sms-gate.app/3rdparty/v1/messages",
		    "ABCDEF:test-password-not-real",
		    "{\"textMessage\":{\"text\":\"Hi\"},\"phoneNumbers\":"
		    "[\"+447700900125\"],\"withDeliveryReport\":false,\"id\":"
		    "\"o-1\",\"simNumber\":2,\"deviceId\":"
		    "\"ffffffffceb0b1db0000018e937c815b\"}" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct http_out req;
		char err[256] = "";

		if (cases[i].cloud)
			configure_ok(&p, cloud_conf, 6);
		else
			configure_ok(&p, good_conf, NGOOD);
		http_out_init(&req);
		if (provider_encode(&p, &cases[i].out, &req, err,
		    sizeof err) != 0)
			fail_msg("case %zu: %s", i, err);
		assert_string_equal(req.method, "POST");
		assert_string_equal(req.url, cases[i].url);
		assert_int_equal(req.nheaders, 2);
		assert_string_equal(req.headers[0],
		    "Content-Type: application/json");
		assert_string_equal(req.headers[1], "Accept: application/json");
		assert_null(req.headers[2]);
		assert_string_equal(req.userpwd, cases[i].userpwd);
		assert_string_equal(req.body.data, cases[i].body);
		http_out_release(&req);
		provider_android.release(&p);
	}
}

/* Keys the server would refuse as an id go as 32 hex digits of SHA-256. */
static void
test_encode_long_key(void **state)
{
	const char *key = "a-very-long-outbox-key:with-more-than-36-characters";
	struct outbound out = { "+447700900123", NULL, "Hi", key, NULL };
	unsigned char md[CRYPTO_MAX_DIGEST];
	char hex[65], want[512];
	struct provider p;
	struct http_out req;
	char err[256];

	assert_int_equal(crypto_digest(HASH_SHA256, key, strlen(key), md), 32);
	hex_encode(md, 16, hex);
	snprintf(want, sizeof want, "{\"textMessage\":{\"text\":\"Hi\"},"
	    "\"phoneNumbers\":[\"+447700900123\"],\"withDeliveryReport\":false,"
	    "\"id\":\"%s\"}", hex);
	configure_ok(&p, good_conf, NGOOD);
	http_out_init(&req);
	assert_int_equal(provider_encode(&p, &out, &req, err,
	    sizeof err), 0);
	assert_string_equal(req.body.data, want);
	http_out_release(&req);
	provider_android.release(&p);
}

static void
test_result(void **state)
{
	static const struct {
		int		 status;
		const char	*body;
		enum send_result want;
		const char	*ext_id;	/* on SEND_OK */
		const char	*err;		/* else a part of err */
	} cases[] = {
		{ 202, "{\"id\":\"phone:ev2:reply\",\"state\":\"Pending\","
		    "\"isHashed\":false,\"isEncrypted\":false,\"recipients\":"
		    "[{\"phoneNumber\":\"+447700900123\",\"state\":\"Pending\","
		    "\"error\":null}],\"states\":{}}", SEND_OK,
		    "phone:ev2:reply", NULL },
		{ 200, "{\"id\":\"PyDmBQZZXYmyxMwED8Fzy\"}", SEND_OK,
		    "PyDmBQZZXYmyxMwED8Fzy", NULL },
		{ 409, "{\"message\":\"duplicate id\"}", SEND_OK, "", NULL },
		{ 202, "garbage", SEND_RETRY, NULL, "message id" },
		{ 400, "{\"message\":\"invalid phone number\"}", SEND_FAIL,
		    NULL, "HTTP 400: invalid phone number" },
		{ 401, "{\"message\":\"Unauthorized\"}", SEND_FAIL, NULL,
		    "HTTP 401: Unauthorized" },
		{ 404, "<html>", SEND_FAIL, NULL, "HTTP 404" },
		{ 429, "", SEND_RETRY, NULL, "HTTP 429" },
		{ 500, "{\"error\":\"QueueLimitExceeded\",\"message\":\"queue "
		    "limits exceeded\"}", SEND_RETRY, NULL,
		    "HTTP 500: queue limits exceeded" },
		{ 502, "garbage", SEND_RETRY, NULL, "HTTP 502" },
		{ 0, "", SEND_RETRY, NULL, "HTTP 0" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		char ext_id[INBOUND_MAX_ID] = "unset", err[256] = "";
		enum send_result rc;

		configure_ok(&p, good_conf, NGOOD);
		rc = provider_result(&p, cases[i].status, cases[i].body,
		    strlen(cases[i].body), ext_id, sizeof ext_id, err,
		    sizeof err);
		if (rc != cases[i].want)
			fail_msg("HTTP %d %s: expected %d, got %d",
			    cases[i].status, cases[i].body, (int)cases[i].want,
			    (int)rc);
		if (rc == SEND_OK)
			assert_string_equal(ext_id, cases[i].ext_id);
		else if (strstr(err, cases[i].err) == NULL)
			fail_msg("HTTP %d: err \"%s\" lacks \"%s\"",
			    cases[i].status, err, cases[i].err);
		provider_android.release(&p);
	}
}

static void
test_configure(void **state)
{
	static const struct {
		struct config_pair	 pairs[6];
		size_t			 n;
		const char		*err;	/* NULL: configures */
	} cases[] = {
#define SK	{ "signing_key", "k", 1 }
#define URL	{ "base_url", "http://h:8080", 2 }
#define USER	{ "username", "u", 3 }
#define PASS	{ "password", "p", 4 }
		{ { SK, URL, USER, PASS }, 4, NULL },
		{ { SK, URL, USER, PASS, { "sim_number", "1", 5 },
		    { "from", "+447700900000", 6 } }, 6, NULL },
		{ { SK, URL, USER, PASS, { "token", "x", 5 } }, 5,
		    "unknown key \"token\"" },
		{ { URL, USER, PASS }, 3, "signing_key" },
		{ { { "signing_key", "", 1 }, URL, USER, PASS }, 4,
		    "signing_key is empty" },
		{ { SK, { "signing_key_file", "/nonexistent", 2 }, URL, USER,
		    PASS }, 5, "not both" },
		{ { SK, URL, USER }, 3, "password" },
		{ { SK, URL, PASS }, 3, "username" },
		{ { SK, URL, { "username", "a:b", 3 }, PASS }, 4, "username" },
		{ { SK, USER, PASS }, 3, "base_url" },
		{ { SK, { "base_url", "h:8080", 2 }, USER, PASS }, 4,
		    "base_url" },
		{ { SK, URL, USER, PASS, { "sim_number", "0", 5 } }, 5,
		    "sim_number" },
		{ { SK, URL, USER, PASS, { "sim_number", "12", 5 } }, 5,
		    "sim_number" },
#undef SK
#undef URL
#undef USER
#undef PASS
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config_pair pairs[6];
		struct provider p;
		char err[256] = "";
		int rc;

		memcpy(pairs, cases[i].pairs, sizeof pairs);
		rc = configure(&p, pairs, cases[i].n, err, sizeof err);
		if (cases[i].err == NULL) {
			if (rc != 0)
				fail_msg("case %zu: %s", i, err);
			provider_android.release(&p);
		} else if (rc != -1 || strstr(err, cases[i].err) == NULL)
			fail_msg("case %zu: expected \"%s\", got \"%s\"", i,
			    cases[i].err, err);
		assert_null(p.priv);
	}
}

static void
test_decode_status(void **state)
{
	static const struct {
		const char	*what;
		const char	*body;
		enum decode_result want;
		const char	*ext_id;
		enum delivery_state state;
		const char	*error;
	} cases[] = {
		{ "delivered", "{\"deviceId\":"
		    "\"ffffffffceb0b1db0000018e937c815b\","
		    "\"event\":\"sms:delivered\",\"id\":\"ev9\","
		    "\"payload\":{\"messageId\":\"phone:ev2:reply\","
		    "\"phoneNumber\":\"+447700900123\","
		    "\"recipient\":\"+447700900123\",\"simNumber\":1,"
		    "\"deliveredAt\":"
		    "\"2026-11-02T10:00:00.000+00:00\"},\"webhookId\":\"w1\"}",
		    DECODE_MESSAGE, "phone:ev2:reply", DELIVERY_DELIVERED, "" },
		{ "failed", "{\"event\":\"sms:failed\",\"id\":\"ev10\","
		    "\"payload\":{\"messageId\":\"o-1\",\"phoneNumber\":"
		    "\"+447700900123\",\"failedAt\":"
		    "\"2026-11-02T10:00:00.000+00:00\",\"reason\":"
		    "\"RESULT_ERROR_GENERIC_FAILURE\"}}", DECODE_MESSAGE, "o-1",
		    DELIVERY_FAILED, "RESULT_ERROR_GENERIC_FAILURE" },
		{ "sent", "{\"event\":\"sms:sent\",\"id\":\"ev11\",\"payload\":"
		    "{\"messageId\":\"o-2\",\"partsCount\":1}}", DECODE_MESSAGE,
		    "o-2", DELIVERY_PENDING, "" },
		{ "inbound", VECTOR_BODY, DECODE_IGNORE, NULL, DELIVERY_PENDING,
		    NULL },
		{ "no messageId", "{\"event\":\"sms:delivered\",\"id\":\"e\","
		    "\"payload\":{}}", DECODE_MALFORMED, NULL, DELIVERY_PENDING,
		    NULL },
		{ "truncated", "{\"event\":\"sms:delivered\",\"pay",
		    DECODE_MALFORMED, NULL, DELIVERY_PENDING, NULL },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct delivery d;
		struct http_req req = post(cases[i].body, NULL, 0);
		enum decode_result rc;

		configure_ok(&p, good_conf, NGOOD);
		rc = provider_android.decode_status(&p, &req, &d);
		if (rc != cases[i].want)
			fail_msg("%s: expected %d, got %d", cases[i].what,
			    (int)cases[i].want, (int)rc);
		if (rc == DECODE_MESSAGE) {
			assert_string_equal(d.ext_id, cases[i].ext_id);
			assert_int_equal(d.state, cases[i].state);
			assert_string_equal(d.error, cases[i].error);
		}
		provider_android.release(&p);
	}
}

static void
test_ops(void **state)
{
	assert_string_equal(provider_android.name, "android");
	assert_int_equal(provider_android.inline_reply, 0);
	assert_int_equal(provider_android.unique_ids, 0);
	assert_non_null(provider_android.decode_status);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_bounds),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_encode_long_key),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_configure),
		cmocka_unit_test(test_decode_status),
		cmocka_unit_test(test_ops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
