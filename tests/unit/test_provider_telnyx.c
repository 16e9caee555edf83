/* test_provider_telnyx.c -- the Telnyx codec against providers.md §4. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "crypto.h"
#include "provider.h"

extern const struct provider_ops provider_telnyx;

/* providers.md §4.2 [D]: the RFC 8032 TEST 1 key, portal format. */
#define PUBKEY		"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
/* RFC 8032 TEST 2's public key: a real key, but not the signer. */
#define OTHER_PUBKEY	"PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw="
#define VECTOR_TS	"1700000000"
#define VECTOR_NOW	1700000000
#define VECTOR_SIG	"17eo16gOav3tuzLdmvxDZ/GA4CzZ2WUXcp3gqdc4PX" \
			"yuI/pn3l5Oxx1szWpw6EtDiKH7M72SUuRHOUubZ6kRAQ=="
/* 215 bytes, no trailing newline. */
#define VECTOR_BODY	"{\"data\":{\"event_type\":\"message.received\"," \
	"\"id\":\"b301ed3f-1490-491f-995f-6e64e69674d4\",\"payload\":" \
	"{\"from\":{\"phone_number\":\"+447700900123\"},\"text\":" \
	"\"Hello\",\"to\":[{\"phone_number\":\"+447700900456\"}]}," \
	"\"record_type\":\"event\"}}"

#define PROFILE		"0f512bda-ae1e-4597-8e11-e5f5686b97d3"
/* Base64 of 31 bytes: one short of a key. */
#define KEY31		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="
#define OUT_ID		"40385f64-5717-4562-b3fc-2c963f66afa6"

/* providers.md §4.1, the documented inbound example as it stands. */
#define DOC_BODY "{\"data\":{\"record_type\":\"event\",\"id\":" \
	"\"bf6307bd-884d-4c1f-b6ea-c62b8c495d3c\",\"event_type\":" \
	"\"message.received\",\n \"occurred_at\":" \
	"\"2019-01-23T18:10:02.574Z\",\n \"payload\":{\"record_type\":" \
	"\"message\",\"direction\":\"inbound\",\"id\":" \
	"\"7ee4241c-f127-47e5-9c34-3aac291f8058\",\"type\":\"SMS\",\n" \
	"  \"messaging_profile_id\":" \
	"\"0f512bda-ae1e-4597-8e11-e5f5686b97d3\",\n" \
	"  \"from\":{\"phone_number\":\"+18665550001\",\"carrier\":" \
	"\"T-MOBILE USA, INC.\",\"line_type\":\"Wireless\"},\n" \
	"  \"to\":[{\"phone_number\":\"+18445550001\",\"status\":" \
	"\"delivered\",\"carrier\":\"TELNYX LLC\",\"line_type\":" \
	"\"VoIP\"}],\n" \
	"  \"text\":\"Hello, World!\",\"media\":[],\"encoding\":" \
	"\"GSM-7\",\"parts\":1,\"received_at\":\"\xe2\x80\xa6\"," \
	"\"cost\":{\"amount\":\"0.0051\",\"currency\":\"USD\"}}}}"

static struct config_pair good_conf[] = {
	{ "type", "telnyx", 1 },
	{ "public_key", PUBKEY, 2 },
	{ "api_key", "test-api-key-not-real", 3 },
	{ "from", "+447700900000", 4 },
	{ "base_url", "http://127.0.0.1:9/v2/", 5 },
};

static int
configure(struct provider *p, struct config_pair *pairs, size_t n, char *err,
    size_t errlen)
{
	struct config_block cb = { "provider", "test", 1, pairs, n };

	memset(p, 0, sizeof *p);
	p->ops = &provider_telnyx;
	strcpy(p->name, "test");
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
		.method = "POST", .path = "/webhooks/test", .query = "",
		.url = "https://gw.example/webhooks/test", .headers = h,
		.nheaders = nh, .body = body, .body_len = strlen(body),
		.remote_addr = "127.0.0.1",
	};

	return req;
}

static void
test_ed25519_rfc8032(void **state)
{
	unsigned char pub[32], sig[64];

	assert_int_equal(strlen(VECTOR_BODY), 215);
	/* RFC 8032 §7.1 TEST 1: the primitive itself, empty message. */
	assert_int_equal(hex_decode("d75a980182b10ab7d54bfed3c964073a0ee172f3"
	    "daa62325af021a68f707511a", pub, sizeof pub), 0);
	assert_int_equal(hex_decode("e5564300c360ac729086e2cc806e828a"
	    "84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b4"
	    "6bd25bf5f0595bbe24655141438e7a100b", sig, sizeof sig), 0);
	assert_int_equal(crypto_ed25519_verify(pub, "", 0, sig), 1);
	sig[0] ^= 1;
	assert_int_equal(crypto_ed25519_verify(pub, "", 0, sig), 0);
}

static void
test_verify(void **state)
{
	static const struct {
		const char	*what;
		const char	*pubkey;
		const char	*body;
		const char	*ts;		/* NULL: no header */
		const char	*sig;		/* NULL: no header */
		int64_t		 now;
		enum verify_result want;
	} cases[] = {
		{ "vector", PUBKEY, VECTOR_BODY, VECTOR_TS, VECTOR_SIG,
		    VECTOR_NOW, VERIFY_OK },
		{ "vector, 5 min later", PUBKEY, VECTOR_BODY, VECTOR_TS,
		    VECTOR_SIG, VECTOR_NOW + 300, VERIFY_OK },
		{ "vector, 5 min earlier", PUBKEY, VECTOR_BODY, VECTOR_TS,
		    VECTOR_SIG, VECTOR_NOW - 300, VERIFY_OK },
		{ "stale", PUBKEY, VECTOR_BODY, VECTOR_TS, VECTOR_SIG,
		    VECTOR_NOW + 301, VERIFY_BAD },
		{ "from the future", PUBKEY, VECTOR_BODY, VECTOR_TS, VECTOR_SIG,
		    VECTOR_NOW - 301, VERIFY_BAD },
		{ "body changed", PUBKEY, "{\"data\":{\"event_type\":"
		    "\"message.received\",\"id\":"
		    "\"b301ed3f-1490-491f-995f-6e64e69674d4\",\"payload\":"
		    "{\"from\":{\"phone_number\":\"+447700900123\"},\"text\":"
		    "\"Hellp\",\"to\":[{\"phone_number\":\"+447700900456\"}]},"
		    "\"record_type\":\"event\"}}", VECTOR_TS, VECTOR_SIG,
		    VECTOR_NOW, VERIFY_BAD },
		{ "body with a newline", PUBKEY, VECTOR_BODY "\n", VECTOR_TS,
		    VECTOR_SIG, VECTOR_NOW, VERIFY_BAD },
		{ "timestamp changed", PUBKEY, VECTOR_BODY, "1700000001",
		    VECTOR_SIG, VECTOR_NOW, VERIFY_BAD },
		{ "wrong key", OTHER_PUBKEY, VECTOR_BODY, VECTOR_TS, VECTOR_SIG,
		    VECTOR_NOW, VERIFY_BAD },
		{ "no signature", PUBKEY, VECTOR_BODY, VECTOR_TS, NULL,
		    VECTOR_NOW, VERIFY_BAD },
		{ "no timestamp", PUBKEY, VECTOR_BODY, NULL, VECTOR_SIG,
		    VECTOR_NOW, VERIFY_BAD },
		{ "signature not base64", PUBKEY, VECTOR_BODY, VECTOR_TS,
		    "!!not base64!!", VECTOR_NOW, VERIFY_BAD },
		{ "signature truncated", PUBKEY, VECTOR_BODY, VECTOR_TS,
		    "17eo16gOav3tuzLdmvxDZ/GA4CzZ2WUXcp3gqdc4PX"
		    "yuI/pn3l5Oxx1szWpw6EtDiKH7M72SUuRHOUubZ6kR", VECTOR_NOW,
		    VERIFY_BAD },
		{ "signature flipped", PUBKEY, VECTOR_BODY, VECTOR_TS,
		    "27eo16gOav3tuzLdmvxDZ/GA4CzZ2WUXcp3gqdc4PX"
		    "yuI/pn3l5Oxx1szWpw6EtDiKH7M72SUuRHOUubZ6kRAQ==",
		    VECTOR_NOW, VERIFY_BAD },
		{ "timestamp not a number", PUBKEY, VECTOR_BODY, "17e8",
		    VECTOR_SIG, VECTOR_NOW, VERIFY_BAD },
		{ "timestamp empty", PUBKEY, VECTOR_BODY, "", VECTOR_SIG,
		    VECTOR_NOW, VERIFY_BAD },
		{ "timestamp huge", PUBKEY, VECTOR_BODY,
		    "99999999999999999999999", VECTOR_SIG, VECTOR_NOW,
		    VERIFY_BAD },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config_pair conf[] = {
			{ "public_key", NULL, 1 },
			{ "api_key", "test-api-key-not-real", 2 },
			{ "from", "+447700900000", 3 },
		};
		char ts[64], sig[128];
		struct http_header h[2];
		size_t nh = 0;
		struct provider p;
		struct http_req req;
		char pub[64];

		strcpy(pub, cases[i].pubkey);
		conf[0].value = pub;
		configure_ok(&p, conf, 3);
		if (cases[i].ts) {
			snprintf(ts, sizeof ts, "%s", cases[i].ts);
			h[nh++] = (struct http_header){ "Telnyx-Timestamp",
			    ts };
		}
		if (cases[i].sig) {
			snprintf(sig, sizeof sig, "%s", cases[i].sig);
			h[nh++] = (struct http_header){
			    "telnyx-signature-ed25519", sig };
		}
		req = post(cases[i].body, h, nh);
		if (provider_telnyx.verify(&p, &req, cases[i].now) !=
		    cases[i].want)
			fail_msg("%s: expected %d", cases[i].what,
			    (int)cases[i].want);
		provider_telnyx.release(&p);
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
test_decode(void **state)
{
	static const struct {
		const char	*what;
		const char	*body;
		enum decode_result want;
		const char	*ext_id, *sender, *recipient, *text;
	} cases[] = {
		{ "providers.md 4.1", DOC_BODY, DECODE_MESSAGE,
		    "7ee4241c-f127-47e5-9c34-3aac291f8058", "+18665550001",
		    "+18445550001", "Hello, World!" },
		{ "providers.md 4.2 vector", VECTOR_BODY, DECODE_MESSAGE,
		    "b301ed3f-1490-491f-995f-6e64e69674d4", "+447700900123",
		    "+447700900456", "Hello" },
		{ "UTF-8 text, no recipient", "{\"data\":{\"event_type\":"
		    "\"message.received\",\"payload\":{\"id\":\"m1\",\"from\":"
		    "{\"phone_number\":\"+447700900123\"},\"text\":"
		    "\"Si\\u00e2n \xf0\x9f\x98\x80\"}}}", DECODE_MESSAGE, "m1",
		    "+447700900123", "", "Si\xc3\xa2n \xf0\x9f\x98\x80" },
		{ "media only", "{\"data\":{\"event_type\":"
		    "\"message.received\",\"payload\":{\"id\":\"m2\",\"from\":"
		    "{\"phone_number\":\"+447700900123\"},\"text\":null,"
		    "\"media\":[{\"url\":\"https://example.org/a.jpg\"}]}}}",
		    DECODE_MESSAGE, "m2", "+447700900123", "", "" },
		{ "message.sent", "{\"data\":{\"event_type\":\"message.sent\","
		    "\"payload\":{\"id\":\"m3\"}}}", DECODE_IGNORE,
		    NULL, NULL, NULL, NULL },
		{ "message.finalized", "{\"data\":{\"event_type\":"
		    "\"message.finalized\",\"payload\":{}}}", DECODE_IGNORE,
		    NULL, NULL, NULL, NULL },
		{ "truncated", "{\"data\":{\"event_type\":\"message.received\","
		    "\"payload\":{\"id\":\"m1\",\"from\":{\"phone_n",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "not JSON", "From=%2B447700900123&Body=hi", DECODE_MALFORMED,
		    NULL, NULL, NULL, NULL },
		{ "empty", "", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "no data", "{\"event_type\":\"message.received\"}",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "no event type", "{\"data\":{\"payload\":{}}}",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "no payload", "{\"data\":{\"event_type\":"
		    "\"message.received\",\"id\":\"e1\"}}", DECODE_MALFORMED,
		    NULL, NULL, NULL, NULL },
		{ "no sender", "{\"data\":{\"event_type\":\"message.received\","
		    "\"payload\":{\"id\":\"m1\",\"text\":\"hi\"}}}",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "empty sender", "{\"data\":{\"event_type\":"
		    "\"message.received\",\"payload\":{\"id\":\"m1\",\"from\":"
		    "{\"phone_number\":\"\"},\"text\":\"hi\"}}}",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "no id at all", "{\"data\":{\"event_type\":"
		    "\"message.received\",\"payload\":{\"from\":"
		    "{\"phone_number\":\"+447700900123\"},\"text\":\"hi\"}}}",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "text a number", "{\"data\":{\"event_type\":"
		    "\"message.received\",\"payload\":{\"id\":\"m1\",\"from\":"
		    "{\"phone_number\":\"+447700900123\"},\"text\":42}}}",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "NUL in text", "{\"data\":{\"event_type\":"
		    "\"message.received\",\"payload\":{\"id\":\"m1\",\"from\":"
		    "{\"phone_number\":\"+447700900123\"},\"text\":"
		    "\"a\\u0000b\"}}}", DECODE_MALFORMED, NULL, NULL, NULL,
		    NULL },
		{ "sender too long", "{\"data\":{\"event_type\":"
		    "\"message.received\",\"payload\":{\"id\":\"m1\",\"from\":"
		    "{\"phone_number\":\"+4477009001234567890123456789012345678"
		    "901234567890\"},\"text\":\"hi\"}}}", DECODE_MALFORMED,
		    NULL, NULL, NULL, NULL },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct inbound in;
		struct http_req req = post(cases[i].body, NULL, 0);
		enum decode_result rc;

		configure_ok(&p, good_conf, 5);
		rc = provider_telnyx.decode(&p, &req, &in);
		if (rc != cases[i].want)
			fail_msg("%s: expected %d, got %d", cases[i].what,
			    (int)cases[i].want, (int)rc);
		if (rc == DECODE_MESSAGE) {
			assert_string_equal(in.ext_id, cases[i].ext_id);
			assert_string_equal(in.sender, cases[i].sender);
			assert_string_equal(in.recipient, cases[i].recipient);
			assert_string_equal(in.text, cases[i].text);
			assert_int_equal(in.concat_part, 0);
		}
		provider_telnyx.release(&p);
	}
}

/* Lengths at and over the limits: a long field is malformed, not a crash. */
static void
test_decode_bounds(void **state)
{
	static const struct {
		size_t	textlen, idlen;
		enum decode_result want;
	} cases[] = {
		{ INBOUND_MAX_TEXT - 1, 10, DECODE_MESSAGE },
		{ INBOUND_MAX_TEXT, 10, DECODE_MALFORMED },
		{ 60000, 10, DECODE_MALFORMED },
		{ 10, INBOUND_MAX_ID - 1, DECODE_MESSAGE },
		{ 10, INBOUND_MAX_ID, DECODE_MALFORMED },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = repeat('a', cases[i].textlen);
		char *id = repeat('7', cases[i].idlen);
		char *body;
		struct provider p;
		struct inbound in;
		struct http_req req;

		assert_true(asprintf(&body, "{\"data\":{\"event_type\":"
		    "\"message.received\",\"payload\":{\"id\":\"%s\",\"from\":"
		    "{\"phone_number\":\"+447700900123\"},\"text\":\"%s\"}}}",
		    id, text) > 0);
		req = post(body, NULL, 0);
		configure_ok(&p, good_conf, 5);
		if (provider_telnyx.decode(&p, &req, &in) != cases[i].want)
			fail_msg("text %zu, id %zu: expected %d",
			    cases[i].textlen, cases[i].idlen,
			    (int)cases[i].want);
		if (cases[i].want == DECODE_MESSAGE) {
			assert_int_equal(strlen(in.text), cases[i].textlen);
			assert_int_equal(strlen(in.ext_id), cases[i].idlen);
		}
		provider_telnyx.release(&p);
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

		configure_ok(&p, good_conf, 5);
		http_resp_init(&resp);
		provider_ack(&p, NULL, replies[i], &resp);
		assert_int_equal(resp.status, 200);
		assert_string_equal(resp.content_type, "");
		assert_int_equal(resp.body.len, 0);
		assert_int_equal(resp.nheaders, 0);
		http_resp_release(&resp);
		provider_telnyx.release(&p);
	}
}

static void
test_encode(void **state)
{
	static struct config_pair profile_conf[] = {
		{ "public_key", PUBKEY, 1 },
		{ "api_key_file", NULL, 2 },
		{ "messaging_profile_id", PROFILE, 3 },
	};
	static const struct {
		int		 conf;		/* 1: profile_conf */
		struct outbound	 out;
		const char	*url;
		const char	*headers[5];
		const char	*body;
	} cases[] = {
		{ 0, { "+447700900123", NULL, "Hello", "main:m1:reply",
		    "https://gw.example/status/main" },
		    "http://127.0.0.1:9/v2/messages",
		    { "Authorization: Bearer test-api-key-not-real",
		    "Content-Type: application/json",
		    "Accept: application/json",
		    "Idempotency-Key: main:m1:reply" },
		    "{\"from\":\"+447700900000\",\"to\":\"+447700900123\","
		    "\"text\":\"Hello\",\"webhook_url\":"
		    "\"https://gw.example/status/main\"}" },
		{ 0, { "+447700900124", "Branch", "Si\xc3\xa2n \"quoted\"",
		    NULL, NULL }, "http://127.0.0.1:9/v2/messages",
		    { "Authorization: Bearer test-api-key-not-real",
		    "Content-Type: application/json",
		    "Accept: application/json" },
		    "{\"from\":\"Branch\",\"to\":\"+447700900124\",\"text\":"
		    "\"Si\xc3\xa2n \\\"quoted\\\"\"}" },
		{ 1, { "+447700900125", NULL, "Hi", "key with spaces", NULL },
		    "https://api.telnyx.com/v2/messages",
		    { "Authorization: Bearer file-api-key-not-real",
		    "Content-Type: application/json",
		    "Accept: application/json",
		    "Idempotency-Key: (a digest, see below)" },
		    "{\"to\":\"+447700900125\",\"text\":\"Hi\","
		    "\"messaging_profile_id\":\"" PROFILE "\"}" },
	};
	char keyfile[] = "/tmp/test-telnyx-key.XXXXXX";
	int fd = mkstemp(keyfile);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "file-api-key-not-real\n", 22), 22);
	close(fd);
	profile_conf[1].value = keyfile;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct http_out req;
		char err[256] = "";
		size_t n = 0;

		if (cases[i].conf == 0)
			configure_ok(&p, good_conf, 5);
		else
			configure_ok(&p, profile_conf, 3);
		http_out_init(&req);
		if (provider_encode(&p, &cases[i].out, &req, err,
		    sizeof err) != 0)
			fail_msg("case %zu: %s", i, err);
		assert_string_equal(req.method, "POST");
		assert_string_equal(req.url, cases[i].url);
		for (; cases[i].headers[n]; n++) {
			assert_true(n < req.nheaders);
			if (i == 2 && n == 3)
				/* The digest is checked apart, below. */
				assert_true(strncmp(req.headers[n],
				    "Idempotency-Key: ", 17) == 0 &&
				    strlen(req.headers[n]) == 17 + 64);
			else
				assert_string_equal(req.headers[n],
				    cases[i].headers[n]);
		}
		assert_int_equal(req.nheaders, n);
		assert_null(req.userpwd);
		assert_string_equal(req.body.data, cases[i].body);
		http_out_release(&req);
		provider_telnyx.release(&p);
	}
	unlink(keyfile);
}

/* Keys outside Telnyx's alphabet go as hex(SHA-256(key)). */
static void
test_encode_idempotency_digest(void **state)
{
	struct outbound out = { "+447700900123", NULL, "Hi", "a b", NULL };
	unsigned char md[CRYPTO_MAX_DIGEST];
	char hex[2 * CRYPTO_MAX_DIGEST + 1], want[256];
	struct provider p;
	struct http_out req;
	char err[256];

	assert_int_equal(crypto_digest(HASH_SHA256, "a b", 3, md), 32);
	hex_encode(md, 32, hex);
	snprintf(want, sizeof want, "Idempotency-Key: %s", hex);
	configure_ok(&p, good_conf, 5);
	http_out_init(&req);
	assert_int_equal(provider_encode(&p, &out, &req, err,
	    sizeof err), 0);
	assert_int_equal(req.nheaders, 4);
	assert_string_equal(req.headers[3], want);
	http_out_release(&req);
	provider_telnyx.release(&p);
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
		{ 200, "{\"data\":{\"record_type\":\"message\",\"direction\":"
		    "\"outbound\",\"id\":\"" OUT_ID "\",\"type\":\"SMS\","
		    "\"to\":[{\"phone_number\":\"+447700900123\",\"status\":"
		    "\"queued\"}],\"parts\":1}}", SEND_OK, OUT_ID, NULL },
		{ 202, "{\"data\":{\"id\":\"x1\"}}", SEND_OK, "x1", NULL },
		{ 200, "<html>gateway</html>", SEND_RETRY, NULL, "message id" },
		{ 200, "{\"data\":{}}", SEND_RETRY, NULL, "message id" },
		{ 400, "{\"errors\":[{\"code\":\"40300\",\"title\":\"Blocked "
		    "due to STOP message\",\"detail\":\"...\",\"source\":"
		    "{\"pointer\":\"/to\"}}]}", SEND_FAIL, NULL,
		    "HTTP 400: 40300 Blocked due to STOP message" },
		{ 401, "{\"errors\":[{\"code\":\"10009\",\"title\":"
		    "\"Authentication failed\"}]}", SEND_FAIL, NULL,
		    "HTTP 401: 10009 Authentication failed" },
		{ 422, "garbage", SEND_FAIL, NULL, "HTTP 422" },
		{ 429, "", SEND_RETRY, NULL, "HTTP 429" },
		{ 500, "{\"errors\":[]}", SEND_RETRY, NULL, "HTTP 500" },
		{ 503, "<html>", SEND_RETRY, NULL, "HTTP 503" },
		{ 0, "", SEND_RETRY, NULL, "HTTP 0" },
		{ 301, "", SEND_FAIL, NULL, "HTTP 301" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		char ext_id[INBOUND_MAX_ID] = "", err[256] = "";
		enum send_result rc;

		configure_ok(&p, good_conf, 5);
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
		provider_telnyx.release(&p);
	}
}

static void
test_configure(void **state)
{
	static const struct {
		struct config_pair	 pairs[5];
		size_t			 n;
		const char		*err;	/* NULL: configures */
	} cases[] = {
		{ { { "public_key", PUBKEY, 1 }, { "api_key", "k", 2 },
		    { "from", "+447700900000", 3 } }, 3, NULL },
		{ { { "type", "telnyx", 1 }, { "allow_from", "10.0.0.0/8", 2 },
		    { "public_key", PUBKEY, 3 }, { "api_key", "k", 4 },
		    { "messaging_profile_id", "p", 5 } }, 5, NULL },
		{ { { "public_key", PUBKEY, 1 }, { "api_key", "k", 2 },
		    { "from", "+447700900000", 3 }, { "secret", "x", 7 } }, 4,
		    "unknown key \"secret\"" },
		{ { { "api_key", "k", 2 }, { "from", "+447700900000", 3 } }, 2,
		    "public_key" },
		{ { { "public_key", PUBKEY, 1 },
		    { "from", "+447700900000", 3 } }, 2, "api_key" },
		{ { { "public_key", PUBKEY, 1 }, { "api_key", "", 2 },
		    { "from", "+447700900000", 3 } }, 3, "api_key is empty" },
		{ { { "public_key", PUBKEY, 1 }, { "public_key_file", "/x", 2 },
		    { "api_key", "k", 3 }, { "from", "+447700900000", 4 } }, 4,
		    "not both" },
		{ { { "public_key", KEY31, 1 }, { "api_key", "k", 2 },
		    { "from", "+447700900000", 3 } }, 3, "32-byte" },
		{ { { "public_key", "not base64 at all!", 1 }, { "api_key", "k",
		    2 }, { "from", "+447700900000", 3 } }, 3, "32-byte" },
		{ { { "public_key", PUBKEY, 1 }, { "api_key", "k", 2 } }, 2,
		    "from or messaging_profile_id" },
		{ { { "public_key", PUBKEY, 1 }, { "api_key", "k", 2 },
		    { "from", "+447700900000", 3 }, { "base_url",
		    "ftp://example.org", 4 } }, 4, "base_url" },
		{ { { "public_key", PUBKEY, 1 }, { "api_key_file",
		    "/nonexistent/telnyx.key", 2 }, { "from", "+447700900000",
		    3 } }, 3, "/nonexistent/telnyx.key" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config_pair pairs[5];
		struct provider p;
		char err[256] = "";
		int rc;

		memcpy(pairs, cases[i].pairs, sizeof pairs);
		rc = configure(&p, pairs, cases[i].n, err, sizeof err);
		if (cases[i].err == NULL) {
			if (rc != 0)
				fail_msg("case %zu: %s", i, err);
			provider_telnyx.release(&p);
			assert_null(p.priv);
		} else {
			if (rc != -1 || strstr(err, cases[i].err) == NULL)
				fail_msg("case %zu: expected \"%s\", "
				    "got \"%s\"", i, cases[i].err, err);
			assert_null(p.priv);
		}
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
		{ "finalized, delivered", "{\"data\":{\"event_type\":"
		    "\"message.finalized\",\"id\":\"e1\",\"occurred_at\":"
		    "\"2026-11-02T10:00:00.000+00:00\",\"payload\":{\"id\":"
		    "\"" OUT_ID "\",\"direction\":\"outbound\",\"from\":"
		    "{\"phone_number\":\"+447700900000\"},\"to\":"
		    "[{\"phone_number\":\"+447700900123\",\"status\":"
		    "\"delivered\"}],\"errors\":[],\"type\":\"SMS\"},"
		    "\"record_type\":\"event\"}}", DECODE_MESSAGE, OUT_ID,
		    DELIVERY_DELIVERED, "" },
		{ "finalized, failed", "{\"data\":{\"event_type\":"
		    "\"message.finalized\",\"payload\":{\"id\":\"m2\",\"to\":"
		    "[{\"phone_number\":\"+447700900123\",\"status\":"
		    "\"delivery_failed\"}],\"errors\":[{\"code\":\"40008\","
		    "\"title\":\"Undeliverable\",\"detail\":\"...\"}]}}}",
		    DECODE_MESSAGE, "m2", DELIVERY_FAILED,
		    "40008 Undeliverable" },
		{ "sending failed", "{\"data\":{\"event_type\":"
		    "\"message.finalized\",\"payload\":{\"id\":\"m3\",\"to\":"
		    "[{\"status\":\"sending_failed\"}]}}}", DECODE_MESSAGE,
		    "m3", DELIVERY_FAILED, "" },
		{ "unconfirmed", "{\"data\":{\"event_type\":"
		    "\"message.finalized\",\"payload\":{\"id\":\"m4\",\"to\":"
		    "[{\"status\":\"delivery_unconfirmed\"}]}}}",
		    DECODE_MESSAGE, "m4", DELIVERY_PENDING,
		    "delivery_unconfirmed" },
		{ "sent", "{\"data\":{\"event_type\":\"message.sent\","
		    "\"payload\":{\"id\":\"m5\",\"to\":"
		    "[{\"status\":\"sent\"}]}}}", DECODE_MESSAGE, "m5",
		    DELIVERY_PENDING, "" },
		{ "an inbound message", VECTOR_BODY, DECODE_IGNORE, NULL,
		    DELIVERY_PENDING, NULL },
		{ "truncated", "{\"data\":{\"event_type\":"
		    "\"message.finalized\"", DECODE_MALFORMED, NULL,
		    DELIVERY_PENDING, NULL },
		{ "no status", "{\"data\":{\"event_type\":"
		    "\"message.finalized\",\"payload\":{\"id\":\"m6\"}}}",
		    DECODE_MALFORMED, NULL, DELIVERY_PENDING, NULL },
		{ "no id", "{\"data\":{\"event_type\":\"message.finalized\","
		    "\"payload\":{\"to\":[{\"status\":\"delivered\"}]}}}",
		    DECODE_MALFORMED, NULL, DELIVERY_PENDING, NULL },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct delivery d;
		struct http_req req = post(cases[i].body, NULL, 0);
		enum decode_result rc;

		configure_ok(&p, good_conf, 5);
		rc = provider_telnyx.decode_status(&p, &req, &d);
		if (rc != cases[i].want)
			fail_msg("%s: expected %d, got %d", cases[i].what,
			    (int)cases[i].want, (int)rc);
		if (rc == DECODE_MESSAGE) {
			assert_string_equal(d.ext_id, cases[i].ext_id);
			assert_int_equal(d.state, cases[i].state);
			assert_string_equal(d.error, cases[i].error);
		}
		provider_telnyx.release(&p);
	}
}

static void
test_ops(void **state)
{
	assert_string_equal(provider_telnyx.name, "telnyx");
	assert_int_equal(provider_telnyx.inline_reply, 0);
	assert_int_equal(provider_telnyx.unique_ids, 1);
	assert_non_null(provider_telnyx.decode_status);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ed25519_rfc8032),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_bounds),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_encode_idempotency_digest),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_configure),
		cmocka_unit_test(test_decode_status),
		cmocka_unit_test(test_ops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
