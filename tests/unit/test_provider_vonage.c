/* test_provider_vonage.c -- the Vonage SMS API codec: every signature
 * vector of docs/providers.md 2.2 over GET, form and JSON, tampered copies,
 * decode, ack, encode, result, configure, receipts. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "crypto.h"
#include "provider.h"

extern const struct provider_ops provider_vonage;

#define PUBLIC	"https://gw.example.org/webhooks/vonage"

struct kv {
	const char	*k, *v;
};

/* ---- configuration ---- */

static int
configure(struct provider *p, const struct kv *keys, char *err, size_t errlen)
{
	struct config_pair pairs[16];
	struct config_block cb = { "provider", "vonage", 1, pairs, 0 };

	memset(p, 0, sizeof *p);
	p->ops = &provider_vonage;
	strcpy(p->name, "vonage");
	for (; keys->k; keys++, cb.npairs++) {
		assert_true(cb.npairs < 16);
		pairs[cb.npairs].key = (char *)(uintptr_t)keys->k;
		pairs[cb.npairs].value = (char *)(uintptr_t)keys->v;
		pairs[cb.npairs].line = (int)cb.npairs + 2;
	}
	err[0] = '\0';
	return provider_configure(p, &cb, err, errlen);
}

/* An instance with the signature secret and method given. */
static void
setup(struct provider *p, const char *secret, const char *method)
{
	const struct kv keys[] = {
		{ "type", "vonage" },
		{ "api_key", "abcd1234" },
		{ "api_secret", "not-a-real-api-secret" },
		{ "signature_secret", secret },
		{ "signature_method", method },
		{ "base_url", "http://127.0.0.1:9/vonage/" },
		{ "from", "+447700900000" },
		{ NULL, NULL },
	};
	char err[256];

	if (configure(p, keys, err, sizeof err) != 0)
		fail_msg("configure: %s", err);
}

/* ---- requests ---- */

enum transport { T_GET, T_FORM, T_JSON };
static const char *const transport_name[] = { "GET", "form", "JSON" };

struct built {
	struct http_req		req;
	struct http_header	hdr[2];
	char			*query, *url, *body;
};

/* A webhook carrying kv (and sig=sig unless NULL), sent as t. */
static void
build(struct built *b, enum transport t, const struct kv *kv, const char *sig)
{
	struct buf form;

	memset(b, 0, sizeof *b);
	buf_init(&form, 0);
	for (const struct kv *p = kv; p->k; p++)
		http_form_add(&form, p->k, p->v);
	if (sig)
		http_form_add(&form, "sig", sig);
	b->req.path = "/webhooks/vonage";
	b->req.remote_addr = "127.0.0.1";
	b->req.headers = b->hdr;
	if (t == T_GET) {
		b->query = strdup(form.data ? form.data : "");
		b->body = strdup("");
		b->req.method = "GET";
	} else if (t == T_FORM) {
		b->query = strdup("");
		b->body = strdup(form.data ? form.data : "");
		b->req.method = "POST";
		b->hdr[0].name = "Content-Type";
		b->hdr[0].value = "application/x-www-form-urlencoded; "
		    "charset=UTF-8";
		b->req.nheaders = 1;
	} else {
		json_t *o = json_object();
		for (const struct kv *p = kv; p->k; p++)
			json_object_set_new(o, p->k, json_string(p->v));
		if (sig)
			json_object_set_new(o, "sig", json_string(sig));
		b->query = strdup("");
		b->body = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		b->req.method = "POST";
		b->hdr[0].name = "Content-Type";
		b->hdr[0].value = "application/json";
		b->req.nheaders = 1;
	}
	buf_release(&form);
	if (asprintf(&b->url, "%s%s%s", PUBLIC, *b->query ? "?" : "",
	    b->query) == -1)
		fail();
	b->req.query = b->query;
	b->req.url = b->url;
	b->req.body = b->body;
	b->req.body_len = strlen(b->body);
}

/* A webhook with a raw body or query, exactly as given. */
static void
build_raw(struct built *b, const char *method, const char *type,
    const char *query, const char *body)
{
	memset(b, 0, sizeof *b);
	b->query = strdup(query);
	b->body = strdup(body);
	if (asprintf(&b->url, "%s%s%s", PUBLIC, *query ? "?" : "", query) == -1)
		fail();
	b->req.method = method;
	b->req.path = "/webhooks/vonage";
	b->req.query = b->query;
	b->req.url = b->url;
	b->req.body = b->body;
	b->req.body_len = strlen(b->body);
	b->req.headers = b->hdr;
	if (type) {
		b->hdr[0].name = "Content-Type";
		b->hdr[0].value = (char *)(uintptr_t)type;
		b->req.nheaders = 1;
	}
}

static void
unbuild(struct built *b)
{
	free(b->query);
	free(b->url);
	free(b->body);
}

/* ---- the official vectors, docs/providers.md 2.2 ---- */

#define V1_PARAMS { \
	{ "message-timestamp", "2013-11-21 15:27:30" }, \
	{ "messageId", "020000001B0FE827" }, \
	{ "msisdn", "14843472194" }, \
	{ "text", "Test again" }, \
	{ "timestamp", "1385047698" }, \
	{ "to", "13239877404" }, \
	{ "type", "text" }, \
	{ NULL, NULL } }
#define V2_PARAMS { \
	{ "a", "1" }, { "b", "2" }, { "timestamp", "1461605396" }, \
	{ NULL, NULL } }
#define V3A_PARAMS { \
	{ "param1", "value&1" }, { "param2", "value=2" }, \
	{ "timestamp", "1234567890" }, { NULL, NULL } }
#define V3B_PARAMS { \
	{ "param", "value" }, { "timestamp", "1234567890" }, { NULL, NULL } }
#define V3C_PARAMS { \
	{ "param1", "value1" }, { "param2", "value2" }, \
	{ "timestamp", "1234567890" }, { NULL, NULL } }

static const struct vector {
	const char	*name;
	const char	*secret;
	const char	*method;
	struct kv	 params[10];
	int64_t		 ts;
	const char	*sig;
} vectors[] = {
	{ "V1 md5hash", "my_secret_key_for_testing", "md5hash", V1_PARAMS,
	    1385047698, "d2e7b1dc968737c5998ad624e02f90b7" },
	{ "V1 hmac-md5", "my_secret_key_for_testing", "hmac-md5", V1_PARAMS,
	    1385047698, "DDEBD46008C2D4E93CCE578A332A52D5" },
	{ "V1 hmac-sha1", "my_secret_key_for_testing", "hmac-sha1", V1_PARAMS,
	    1385047698, "27D0D05C2876C7CB1720DBCDBA4D492E1E55C09A" },
	{ "V1 hmac-sha256", "my_secret_key_for_testing", "hmac-sha256",
	    V1_PARAMS, 1385047698, "DDB8397C2B90AAC7F3882D306475C9A5058C9232"
	    "2EEF43C92B298B6E0FC0D330" },
	{ "V1 hmac-sha512", "my_secret_key_for_testing", "hmac-sha512",
	    V1_PARAMS, 1385047698, "E0D3C650F8C9D1A5C174D10DDDBFB003E561F59B"
	    "265616208B0487C5D819481CD3C311D59CF6165ECD1139622D5BA3A256C0D763"
	    "AC4A9AD9144B5A426B94FE82" },
	{ "V2 md5hash", "secret", "md5hash", V2_PARAMS, 1461605396,
	    "6af838ef94998832dbfc29020b564830" },
	{ "V2 hmac-md5", "secret", "hmac-md5", V2_PARAMS, 1461605396,
	    "c15c21ced558c93a226c305f58f902f2" },
	{ "V2 hmac-sha1", "secret", "hmac-sha1", V2_PARAMS, 1461605396,
	    "3e19a4e6880fdc2c1426bfd0587c98b9532f0210" },
	{ "V2 hmac-sha256", "secret", "hmac-sha256", V2_PARAMS, 1461605396,
	    "a321e824b9b816be7c3f28859a31749a098713d39f613c80d455bbaffae1cd24" },
	{ "V2 hmac-sha512", "secret", "hmac-sha512", V2_PARAMS, 1461605396,
	    "812a18f76680fa0fe1b8bd9ee1625466ceb1bd96242e4d050d2cfd9a7b40166c"
	    "63ed26ec9702168781b6edcf1633db8ff95af9341701004eec3fcf9550572ee8" },
	{ "V3 & and = in values", "signature_secret", "hmac-md5", V3A_PARAMS,
	    1234567890, "2bbf0abafb2c55e5af6231513896a2ac" },
	{ "V3 param=value", "signature_secret", "hmac-md5", V3B_PARAMS,
	    1234567890, "655a4d0b7f064dff438defc52b012cf5" },
	{ "V3 hmac-sha256", "signature_secret", "hmac-sha256", V3C_PARAMS,
	    1234567890, "280c4320703dbc98bfa22db676655ed2acfbfe8792b062ff"
	    "7622e67f1183c287" },
	{ "V3 hmac-md5", "signature_secret", "hmac-md5", V3C_PARAMS,
	    1234567890, "724c2bf6ca423c36e20631b11d1c5753" },
};

static enum verify_result
run_verify(const struct vector *v, const char *secret, const char *method,
    enum transport t, const struct kv *params, const char *sig, int64_t now)
{
	struct provider p;
	struct built b;
	enum verify_result rc;

	setup(&p, secret, method);
	build(&b, t, params, sig);
	rc = provider_vonage.verify(&p, &b.req, now);
	unbuild(&b);
	provider_vonage.release(&p);
	return rc;
}

static void
expect_verify(const struct vector *v, enum transport t, const char *what,
    enum verify_result want, enum verify_result got)
{
	if (want != got)
		fail_msg("%s over %s, %s: want %d, got %d", v->name,
		    transport_name[t], what, want, got);
}

static void
test_vectors(void **state)
{
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		const struct vector *v = &vectors[i];
		for (enum transport t = T_GET; t <= T_JSON; t++) {
			struct kv changed[10];
			char secret[64], sig[160];
			size_t n;

			expect_verify(v, t, "as given", VERIFY_OK, run_verify(v,
			    v->secret, v->method, t, v->params, v->sig, v->ts));
			/* Either case of hex. */
			strcpy(sig, v->sig);
			for (char *c = sig; *c; c++)
				*c = (char)(*c >= 'a' && *c <= 'f' ? *c - 32 :
				    *c >= 'A' && *c <= 'F' ? *c + 32 : *c);
			expect_verify(v, t, "other case", VERIFY_OK, run_verify(v,
			    v->secret, v->method, t, v->params, sig, v->ts));
			/* The edges of the 5 minutes. */
			expect_verify(v, t, "now +300", VERIFY_OK, run_verify(v,
			    v->secret, v->method, t, v->params, v->sig,
			    v->ts + 300));
			expect_verify(v, t, "now -300", VERIFY_OK, run_verify(v,
			    v->secret, v->method, t, v->params, v->sig,
			    v->ts - 300));

			/* Tampered copies. */
			expect_verify(v, t, "stale", VERIFY_BAD, run_verify(v,
			    v->secret, v->method, t, v->params, v->sig,
			    v->ts + 301));
			expect_verify(v, t, "from the future", VERIFY_BAD,
			    run_verify(v, v->secret, v->method, t, v->params,
			    v->sig, v->ts - 301));
			snprintf(secret, sizeof secret, "%sx", v->secret);
			expect_verify(v, t, "wrong secret", VERIFY_BAD,
			    run_verify(v, secret, v->method, t, v->params,
			    v->sig, v->ts));
			expect_verify(v, t, "wrong method", VERIFY_BAD,
			    run_verify(v, v->secret, strcmp(v->method,
			    "md5hash") ? "md5hash" : "hmac-md5", t, v->params,
			    v->sig, v->ts));
			expect_verify(v, t, "no sig", VERIFY_BAD, run_verify(v,
			    v->secret, v->method, t, v->params, NULL, v->ts));
			expect_verify(v, t, "empty sig", VERIFY_BAD, run_verify(v,
			    v->secret, v->method, t, v->params, "", v->ts));
			strcpy(sig, v->sig);
			sig[strlen(sig) - 1] = sig[strlen(sig) - 1] == '0' ?
			    '1' : '0';
			expect_verify(v, t, "sig one digit off", VERIFY_BAD,
			    run_verify(v, v->secret, v->method, t, v->params,
			    sig, v->ts));
			expect_verify(v, t, "sig cut short", VERIFY_BAD,
			    run_verify(v, v->secret, v->method, t, v->params,
			    "d2e7b1dc", v->ts));

			/* Every parameter changed in turn, then one removed,
			 * then one added; over GET that is a changed URL. */
			for (n = 0; v->params[n].k; n++) {
				char val[64];
				memcpy(changed, v->params, sizeof changed);
				snprintf(val, sizeof val, "%s1", changed[n].v);
				changed[n].v = val;
				expect_verify(v, t, changed[n].k, VERIFY_BAD,
				    run_verify(v, v->secret, v->method, t,
				    changed, v->sig, v->ts));
			}
			memcpy(changed, v->params, sizeof changed);
			changed[0] = changed[n - 1];	/* drops the first */
			changed[n - 1].k = NULL;
			expect_verify(v, t, "removed", VERIFY_BAD, run_verify(v,
			    v->secret, v->method, t, changed, v->sig, v->ts));
			memcpy(changed, v->params, sizeof changed);
			changed[n].k = "zzz";
			changed[n].v = "added";
			changed[n + 1].k = NULL;
			expect_verify(v, t, "added", VERIFY_BAD, run_verify(v,
			    v->secret, v->method, t, changed, v->sig, v->ts));
		}
	}
}

/* What the sig does not cover, and requests it cannot be read from. */
static void
test_verify_edges(void **state)
{
	const struct vector *v = &vectors[0];
	struct provider p;
	struct built b;

	setup(&p, v->secret, v->method);

	/* The sig covers the parameters only, not the host or path: a copy
	 * sent elsewhere still verifies (allow_from is for that). */
	build(&b, T_GET, v->params, v->sig);
	free(b.url);
	b.url = strdup("https://elsewhere.example.org/other?x");
	b.req.url = b.url;
	assert_int_equal(provider_vonage.verify(&p, &b.req, v->ts), VERIFY_OK);
	unbuild(&b);

	/* A parameter twice: which one was signed is not knowable. */
	build(&b, T_GET, v->params, v->sig);
	free(b.query);
	if (asprintf(&b.query, "%s&text=Other", b.url + strlen(PUBLIC) + 1)
	    == -1)
		fail();
	b.req.query = b.query;
	assert_int_equal(provider_vonage.verify(&p, &b.req, v->ts), VERIFY_BAD);
	unbuild(&b);
	/* ... even when the sig covers both copies. */
	{
		static const char s[] = "&a=1&a=1&timestamp=1385047698"
		    "my_secret_key_for_testing";
		unsigned char md[CRYPTO_MAX_DIGEST];
		char hex[2 * CRYPTO_MAX_DIGEST + 1], *q;
		size_t n = crypto_digest(HASH_MD5, s, strlen(s), md);

		hex_encode(md, n, hex);
		if (asprintf(&q, "a=1&a=1&timestamp=1385047698&sig=%s", hex) == -1)
			fail();
		build_raw(&b, "GET", NULL, q, "");
		assert_int_equal(provider_vonage.verify(&p, &b.req, v->ts),
		    VERIFY_BAD);
		/* Without the copy, signed the same way, it is fine. */
		unbuild(&b);
		free(q);
		n = crypto_digest(HASH_MD5, s + 4, strlen(s + 4), md);
		hex_encode(md, n, hex);
		if (asprintf(&q, "a=1&timestamp=1385047698&sig=%s", hex) == -1)
			fail();
		build_raw(&b, "GET", NULL, q, "");
		assert_int_equal(provider_vonage.verify(&p, &b.req, v->ts),
		    VERIFY_OK);
		unbuild(&b);
		free(q);
	}

	/* Malformed bodies and queries. */
	static const struct {
		const char *method, *type, *query, *body;
	} bad[] = {
		{ "GET", NULL, "msisdn=%4", "" },
		{ "POST", "application/x-www-form-urlencoded", "", "a=%zz" },
		{ "POST", "application/json", "", "{\"msisdn\":\"4477" },
		{ "POST", "application/json", "", "[1,2]" },
		{ "POST", "application/json", "", "{\"a\":{\"b\":1}}" },
		{ "POST", "application/json", "", "{\"a\":1,\"a\":2}" },
		{ "GET", NULL, "", "" },
		{ "GET", NULL, "timestamp=1385047698&sig=zz", "" },
		{ "GET", NULL, "timestamp=-1&sig=00", "" },
		{ "GET", NULL, "timestamp=99999999999999999999999&sig=00", "" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		build_raw(&b, bad[i].method, bad[i].type, bad[i].query,
		    bad[i].body);
		if (provider_vonage.verify(&p, &b.req, v->ts) != VERIFY_BAD)
			fail_msg("bad request %zu verified", i);
		unbuild(&b);
	}

	/* JSON numbers are signed as their text. */
	build_raw(&b, "POST", "application/json", "", "{\"a\":\"1\",\"b\":2,"
	    "\"timestamp\":1461605396,\"sig\":\"6af838ef94998832dbfc29020b564830\"}");
	provider_vonage.release(&p);
	setup(&p, "secret", "md5hash");
	assert_int_equal(provider_vonage.verify(&p, &b.req, 1461605396),
	    VERIFY_OK);
	unbuild(&b);
	provider_vonage.release(&p);
}

/* ---- decode ---- */

/* docs/providers.md 2.1, the spec's example. */
static const struct kv inbound_example[] = {
	{ "msisdn", "447700900001" },
	{ "to", "447700900000" },
	{ "messageId", "0A0000000123ABCD1" },
	{ "text", "Hello world" },
	{ "type", "text" },
	{ "keyword", "HELLO" },
	{ "message-timestamp", "2020-01-01 12:00:00" },
	{ "api-key", "abcd1234" },
	{ NULL, NULL },
};

static void
test_decode(void **state)
{
	struct provider p;
	struct inbound in;
	struct built b;

	setup(&p, "secret", "md5hash");

	/* The example exactly as the docs have it, then as form and JSON. */
	build_raw(&b, "GET", NULL, "msisdn=447700900001&to=447700900000&"
	    "messageId=0A0000000123ABCD1&text=Hello+world&type=text&"
	    "keyword=HELLO&message-timestamp=2020-01-01+12%3A00%3A00&"
	    "api-key=abcd1234", "");
	memset(&in, 'x', sizeof in);
	assert_int_equal(provider_vonage.decode(&p, &b.req, &in),
	    DECODE_MESSAGE);
	assert_string_equal(in.sender, "+447700900001");
	assert_string_equal(in.recipient, "+447700900000");
	assert_string_equal(in.ext_id, "0A0000000123ABCD1");
	assert_string_equal(in.text, "Hello world");
	assert_string_equal(in.concat_ref, "");
	assert_int_equal(in.concat_part, 0);
	assert_int_equal(in.concat_total, 0);
	unbuild(&b);
	for (enum transport t = T_GET; t <= T_JSON; t++) {
		build(&b, t, inbound_example, NULL);
		assert_int_equal(provider_vonage.decode(&p, &b.req, &in),
		    DECODE_MESSAGE);
		assert_string_equal(in.sender, "+447700900001");
		assert_string_equal(in.text, "Hello world");
		unbuild(&b);
	}

	/* Unicode text comes through as UTF-8. */
	build_raw(&b, "POST", "application/x-www-form-urlencoded", "",
	    "msisdn=447700900002&to=447700900000&messageId=X1&type=unicode&"
	    "text=%C2%A35+caf%C3%A9+%F0%9F%98%80");
	assert_int_equal(provider_vonage.decode(&p, &b.req, &in),
	    DECODE_MESSAGE);
	assert_string_equal(in.text, "\xc2\xa3" "5 caf\xc3\xa9 \xf0\x9f\x98\x80");
	unbuild(&b);

	provider_vonage.release(&p);
}

static void
test_decode_parts(void **state)
{
	static const struct {
		const char	*extra;		/* appended to the example */
		enum decode_result want;
		const char	*ref;
		int		 part, total;
	} cases[] = {
		{ "&concat=true&concat-ref=08B5&concat-total=3&concat-part=1",
		    DECODE_PART, "08B5", 1, 3 },
		{ "&concat=true&concat-ref=08B5&concat-total=3&concat-part=3",
		    DECODE_PART, "08B5", 3, 3 },
		{ "&concat=true&concat-ref=1&concat-total=255&concat-part=255",
		    DECODE_PART, "1", 255, 255 },
		{ "&concat-ref=77&concat-total=2&concat-part=2",
		    DECODE_PART, "77", 2, 2 },
		{ "&concat=false", DECODE_MESSAGE, "", 0, 0 },
		{ "&concat=true&concat-ref=08B5&concat-total=3&concat-part=4",
		    DECODE_MALFORMED, NULL, 0, 0 },
		{ "&concat=true&concat-ref=08B5&concat-total=3&concat-part=0",
		    DECODE_MALFORMED, NULL, 0, 0 },
		{ "&concat=true&concat-ref=08B5&concat-total=256&concat-part=1",
		    DECODE_MALFORMED, NULL, 0, 0 },
		{ "&concat=true&concat-ref=08B5&concat-total=3",
		    DECODE_MALFORMED, NULL, 0, 0 },
		{ "&concat=true&concat-ref=08B5&concat-total=x&concat-part=1",
		    DECODE_MALFORMED, NULL, 0, 0 },
		{ "&concat=true&concat-ref=08B5&concat-total=-3&concat-part=1",
		    DECODE_MALFORMED, NULL, 0, 0 },
		{ "&concat=true&concat-total=3&concat-part=1",
		    DECODE_MALFORMED, NULL, 0, 0 },
		{ "&concat=true&concat-ref=&concat-total=3&concat-part=1",
		    DECODE_MALFORMED, NULL, 0, 0 },
	};
	struct provider p;
	struct inbound in;
	struct built b;
	char query[512];

	setup(&p, "secret", "md5hash");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(query, sizeof query, "msisdn=447700900001&"
		    "to=447700900000&messageId=0A0000000123ABCD%zu&"
		    "text=part+text&type=text%s", i, cases[i].extra);
		build_raw(&b, "GET", NULL, query, "");
		enum decode_result rc = provider_vonage.decode(&p, &b.req, &in);
		if (rc != cases[i].want)
			fail_msg("%s: want %d, got %d", cases[i].extra,
			    cases[i].want, rc);
		if (rc != DECODE_MALFORMED) {
			assert_string_equal(in.sender, "+447700900001");
			assert_string_equal(in.text, "part text");
			assert_string_equal(in.concat_ref, cases[i].ref);
			assert_int_equal(in.concat_part, cases[i].part);
			assert_int_equal(in.concat_total, cases[i].total);
		}
		unbuild(&b);
	}
	provider_vonage.release(&p);
}

static void
test_decode_bad(void **state)
{
	static const struct {
		const char	*type;		/* NULL: GET */
		const char	*data;
		enum decode_result want;
	} cases[] = {
		/* truncated bodies */
		{ "application/x-www-form-urlencoded",
		    "msisdn=447700900001&to=447700900000&messageId=0A00",
		    DECODE_MALFORMED },
		{ "application/x-www-form-urlencoded",
		    "msisdn=447700900001&messageId=X&text=Hi%2", DECODE_MALFORMED },
		{ "application/json", "{\"msisdn\":\"447700900001\",\"text\":\"Hi",
		    DECODE_MALFORMED },
		{ "application/json", "", DECODE_MALFORMED },
		/* missing or empty sender, id */
		{ NULL, "to=447700900000&messageId=X&text=Hi", DECODE_MALFORMED },
		{ NULL, "msisdn=&to=447700900000&messageId=X&text=Hi",
		    DECODE_MALFORMED },
		{ NULL, "msisdn=447700900001&to=447700900000&text=Hi",
		    DECODE_MALFORMED },
		/* a NUL in the text or the sender */
		{ NULL, "msisdn=447700900001&messageId=X&text=a%00b",
		    DECODE_MALFORMED },
		{ NULL, "msisdn=44770%0090001&messageId=X&text=ab",
		    DECODE_MALFORMED },
		{ NULL, "msisdn=447700900001&to=4477%0000&messageId=X&text=ab",
		    DECODE_MALFORMED },
		/* oversize fields: see test_decode_oversize */
		/* not messages */
		{ NULL, "msisdn=447700900001&to=447700900000&messageId=X&"
		    "type=binary&data=0605040B8423F0&udh=06050415811581",
		    DECODE_IGNORE },
		{ NULL, "msisdn=447700900001&to=447700900000&messageId=X&"
		    "status=delivered&err-code=0", DECODE_IGNORE },
		/* an empty text is still a message */
		{ NULL, "msisdn=447700900001&to=447700900000&messageId=X&text=",
		    DECODE_MESSAGE },
	};
	struct provider p;
	struct inbound in;
	struct built b;

	setup(&p, "secret", "md5hash");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].type)
			build_raw(&b, "POST", cases[i].type, "", cases[i].data);
		else
			build_raw(&b, "GET", NULL, cases[i].data, "");
		enum decode_result rc = provider_vonage.decode(&p, &b.req, &in);
		if (rc != cases[i].want)
			fail_msg("%s: want %d, got %d", cases[i].data,
			    cases[i].want, rc);
		unbuild(&b);
	}
	provider_vonage.release(&p);
}

static void
test_decode_oversize(void **state)
{
	static const struct {
		const char	*field;
		size_t		 len;
		enum decode_result want;
	} cases[] = {
		{ "text", INBOUND_MAX_TEXT - 1, DECODE_MESSAGE },
		{ "text", INBOUND_MAX_TEXT, DECODE_MALFORMED },
		{ "text", 60000, DECODE_MALFORMED },
		{ "msisdn", INBOUND_MAX_NUMBER - 2, DECODE_MESSAGE },
		{ "msisdn", INBOUND_MAX_NUMBER - 1, DECODE_MALFORMED },
		{ "to", INBOUND_MAX_NUMBER - 1, DECODE_MALFORMED },
		{ "messageId", INBOUND_MAX_ID - 1, DECODE_MESSAGE },
		{ "messageId", INBOUND_MAX_ID, DECODE_MALFORMED },
		{ "concat-ref", INBOUND_MAX_ID - 1, DECODE_PART },
		{ "concat-ref", INBOUND_MAX_ID, DECODE_MALFORMED },
	};
	struct provider p;
	struct inbound in;
	struct built b;

	setup(&p, "secret", "md5hash");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *big = malloc(cases[i].len + 1);
		memset(big, '7', cases[i].len);
		big[cases[i].len] = '\0';
		struct kv kv[] = {
			{ "msisdn", "447700900001" },
			{ "to", "447700900000" },
			{ "messageId", "X" },
			{ "text", "Hi" },
			{ "concat", "true" },
			{ "concat-ref", "1" },
			{ "concat-part", "1" },
			{ "concat-total", "2" },
			{ NULL, NULL },
		};
		if (strncmp(cases[i].field, "concat", 6) != 0)
			kv[4].k = NULL;
		for (struct kv *k = kv; k->k; k++)
			if (strcmp(k->k, cases[i].field) == 0)
				k->v = big;
		build(&b, T_FORM, kv, NULL);
		enum decode_result rc = provider_vonage.decode(&p, &b.req, &in);
		if (rc != cases[i].want)
			fail_msg("%s of %zu: want %d, got %d", cases[i].field,
			    cases[i].len, cases[i].want, rc);
		if (rc == DECODE_MESSAGE && strcmp(cases[i].field, "text") == 0)
			assert_int_equal(strlen(in.text), cases[i].len);
		unbuild(&b);
		free(big);
	}
	provider_vonage.release(&p);
}

/* ---- ack ---- */

static void
test_ack(void **state)
{
	struct provider p;
	struct http_resp resp;

	setup(&p, "secret", "md5hash");
	for (int i = 0; i < 2; i++) {
		http_resp_init(&resp);
		provider_ack(&p, NULL, i ? "Thanks, we got it" : NULL, &resp);
		assert_int_equal(resp.status, 200);
		assert_int_equal(resp.body.len, 0);
		assert_string_equal(resp.content_type, "");
		assert_int_equal(resp.nheaders, 0);
		http_resp_release(&resp);
	}
	assert_int_equal(provider_vonage.inline_reply, 0);
	assert_int_equal(provider_vonage.unique_ids, 1);
	assert_string_equal(provider_vonage.name, "vonage");
	provider_vonage.release(&p);
}

/* ---- encode ---- */

static void
test_encode(void **state)
{
	static const struct {
		const char	*to, *from, *text, *idem, *status_url;
		const char	*body;		/* NULL: encode fails */
	} cases[] = {
		{ "+447700900123", NULL, "Hello world", "idem-1", NULL,
		    "api_key=abcd1234&api_secret=not-a-real-api-secret&"
		    "from=447700900000&to=447700900123&text=Hello%20world&"
		    "type=text&client-ref=idem-1" },
		{ "+447700900123", "Acme", "Nearest: Leeds (1.2 miles)",
		    "idem-2", "https://gw.example.org/status/vonage",
		    "api_key=abcd1234&api_secret=not-a-real-api-secret&"
		    "from=Acme&to=447700900123&"
		    "text=Nearest%3A%20Leeds%20%281.2%20miles%29&type=text&"
		    "client-ref=idem-2&status-report-req=true&callback=https%3A%2F%2F"
		    "gw.example.org%2Fstatus%2Fvonage" },
		/* GSM-7 with extension characters and £ stays text */
		{ "+447700900123", "+447700900999", "\xc2\xa3" "5 {ok} \xe2\x82\xac",
		    NULL, NULL,
		    "api_key=abcd1234&api_secret=not-a-real-api-secret&"
		    "from=447700900999&to=447700900123&"
		    "text=%C2%A35%20%7Bok%7D%20%E2%82%AC&type=text" },
		/* outside GSM-7: unicode */
		{ "+447700900123", NULL, "caf\xc3\xa7", "k", NULL,
		    "api_key=abcd1234&api_secret=not-a-real-api-secret&"
		    "from=447700900000&to=447700900123&text=caf%C3%A7&"
		    "type=unicode&client-ref=k" },
		{ "+447700900123", NULL, "hi \xf0\x9f\x98\x80", NULL, NULL,
		    "api_key=abcd1234&api_secret=not-a-real-api-secret&"
		    "from=447700900000&to=447700900123&text=hi%20%F0%9F%98%80&"
		    "type=unicode" },
		{ "+447700900123", NULL, "`quoted`", NULL, NULL,
		    "api_key=abcd1234&api_secret=not-a-real-api-secret&"
		    "from=447700900000&to=447700900123&text=%60quoted%60&"
		    "type=unicode" },
		/* a client-ref over 40 characters goes as its hash */
		{ "+447700900123", NULL, "x",
		    "0123456789012345678901234567890123456789x", NULL,
		    "api_key=abcd1234&api_secret=not-a-real-api-secret&"
		    "from=447700900000&to=447700900123&text=x&type=text&"
		    "client-ref=14e06e26460223e38468286eadc46399d1462682" },
		/* not E.164 */
		{ "447700900123", NULL, "x", NULL, NULL, NULL },
		{ "+44 7700 900123", NULL, "x", NULL, NULL, NULL },
		{ "+", NULL, "x", NULL, NULL, NULL },
		{ "+123", NULL, "x", NULL, NULL, NULL },
		{ NULL, NULL, "x", NULL, NULL, NULL },
	};
	struct provider p;

	setup(&p, "secret", "md5hash");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct outbound out = { cases[i].to, cases[i].from,
		    cases[i].text, cases[i].idem, cases[i].status_url };
		struct http_out req;
		char err[256] = "";

		http_out_init(&req);
		int rc = provider_encode(&p, &out, &req, err, sizeof err);
		if (cases[i].body == NULL) {
			if (rc != -1 || err[0] == '\0')
				fail_msg("case %zu: encoded", i);
			http_out_release(&req);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu: %s", i, err);
		assert_string_equal(req.method, "POST");
		assert_string_equal(req.url,
		    "http://127.0.0.1:9/vonage/sms/json");
		assert_int_equal(req.nheaders, 2);
		assert_string_equal(req.headers[0],
		    "Content-Type: application/x-www-form-urlencoded");
		assert_string_equal(req.headers[1], "Accept: application/json");
		assert_null(req.userpwd);
		assert_non_null(req.body.data);
		assert_string_equal(req.body.data, cases[i].body);
		http_out_release(&req);
	}
	provider_vonage.release(&p);
}

/* ---- result ---- */

static void
test_result(void **state)
{
	static const struct {
		int		 status;
		const char	*body;
		enum send_result want;
		const char	*id_or_err;	/* ext_id on SEND_OK, else a
						   part of err */
	} cases[] = {
		{ 200, "{\"message-count\":\"1\",\"messages\":[{\"to\":"
		    "\"447700900123\",\"message-id\":\"3295d748-4e14-4681-af78-"
		    "166dca3c5aab\",\"status\":\"0\",\"remaining-balance\":"
		    "\"38.07243628\",\"message-price\":\"0.04120000\","
		    "\"network\":\"23420\"}]}", SEND_OK,
		    "3295d748-4e14-4681-af78-166dca3c5aab" },
		{ 200, "{\"message-count\":\"2\",\"messages\":["
		    "{\"message-id\":\"part-1\",\"status\":\"0\"},"
		    "{\"message-id\":\"part-2\",\"status\":\"0\"}]}", SEND_OK,
		    "part-1 part-2" },
		{ 200, "{\"message-count\":\"1\",\"messages\":[{\"status\":\"7\","
		    "\"error-text\":\"Number barred.\"}]}", SEND_FAIL,
		    "status 7: Number barred." },
		{ 200, "{\"messages\":[{\"status\":\"1\",\"error-text\":"
		    "\"Throughput Rate Exceeded - please wait [ 1000 ] and "
		    "retry\"}]}", SEND_RETRY, "status 1" },
		{ 200, "{\"messages\":[{\"status\":\"5\",\"error-text\":"
		    "\"Internal error\"}]}", SEND_RETRY, "status 5" },
		{ 200, "{\"messages\":[{\"status\":\"4\",\"error-text\":"
		    "\"Bad Credentials\"}]}", SEND_FAIL, "status 4" },
		{ 200, "{\"messages\":[{\"status\":\"29\",\"error-text\":"
		    "\"Non White-listed Destination - rejected\"}]}", SEND_FAIL,
		    "status 29" },
		{ 200, "{\"messages\":[{\"message-id\":\"a\",\"status\":\"0\"},"
		    "{\"status\":\"9\",\"error-text\":\"Partner quota "
		    "exceeded\"}]}", SEND_FAIL, "status 9" },
		{ 200, "{\"messages\":[{\"message-id\":\"a\",\"status\":0}]}",
		    SEND_OK, "a" },
		{ 200, "<html>Bad gateway</html>", SEND_RETRY, "no messages" },
		{ 200, "", SEND_RETRY, "no messages" },
		{ 200, "{\"messages\":[]}", SEND_RETRY, "no messages" },
		{ 200, "{\"messages\":[{\"status\":\"0\"}]}", SEND_RETRY,
		    "no message-id" },
		{ 200, "{\"messages\":[{\"message-id\":\"a\"}]}", SEND_RETRY,
		    "no status" },
		{ 400, "{\"type\":\"x\",\"title\":\"Bad Request\"}", SEND_FAIL,
		    "HTTP 400" },
		{ 401, "", SEND_FAIL, "HTTP 401" },
		{ 429, "", SEND_RETRY, "HTTP 429" },
		{ 500, "oops", SEND_RETRY, "HTTP 500" },
		{ 503, "", SEND_RETRY, "HTTP 503" },
		{ 0, "", SEND_RETRY, "HTTP 0" },
	};
	struct provider p;

	setup(&p, "secret", "md5hash");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char id[INBOUND_MAX_ID] = "", err[256] = "";
		enum send_result rc = provider_result(&p,
		    cases[i].status, cases[i].body, strlen(cases[i].body), id,
		    sizeof id, err, sizeof err);
		if (rc != cases[i].want)
			fail_msg("case %zu (HTTP %d): want %d, got %d (%s)", i,
			    cases[i].status, cases[i].want, rc, err);
		if (rc == SEND_OK)
			assert_string_equal(id, cases[i].id_or_err);
		else if (strstr(err, cases[i].id_or_err) == NULL)
			fail_msg("case %zu: err \"%s\"", i, err);
		if (strstr(err, "not-a-real-api-secret"))
			fail_msg("case %zu: the secret is in err", i);
	}
	provider_vonage.release(&p);
}

/* ---- configure ---- */

static void
test_configure(void **state)
{
	char path[] = "/tmp/test-vonage-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd != -1);
	assert_true(write(fd, "from-a-file\n", 12) == 12);
	close(fd);

	const struct {
		struct kv	 keys[10];
		const char	*error;		/* NULL: fine */
	} cases[] = {
		{ { { "type", "vonage" }, { "api_key", "k" },
		    { "api_secret", "s" }, { "signature_secret", "t" },
		    { "from", "+447700900000" } }, NULL },
		{ { { "type", "vonage" }, { "allow_from", "127.0.0.1" },
		    { "api_key", "k" }, { "api_secret_file", path },
		    { "signature_secret_file", path },
		    { "signature_method", "hmac-sha512" },
		    { "base_url", "http://127.0.0.1:1" }, { "from", "Acme" } },
		    NULL },
		{ { { "type", "vonage" }, { "api_key", "k" },
		    { "api_secret", "s" }, { "signature_secret", "t" },
		    { "from", "+447700900000" }, { "api_sercet", "x" } },
		    "unknown key \"api_sercet\"" },
		{ { { "type", "vonage" }, { "api_key", "k" },
		    { "signature_secret", "t" }, { "from", "+447700900000" } },
		    "api_secret" },
		{ { { "type", "vonage" }, { "api_key", "k" },
		    { "api_secret", "s" }, { "from", "+447700900000" } },
		    "signature_secret" },
		{ { { "type", "vonage" }, { "api_key", "k" },
		    { "api_secret", "s" }, { "signature_secret", "" },
		    { "from", "+447700900000" } }, "signature_secret is empty" },
		{ { { "type", "vonage" }, { "api_key", "k" },
		    { "api_secret", "s" }, { "api_secret_file", path },
		    { "signature_secret", "t" }, { "from", "+447700900000" } },
		    "not both" },
		{ { { "type", "vonage" }, { "api_key", "k" },
		    { "api_secret", "s" },
		    { "signature_secret_file", "/nonexistent/vonage" },
		    { "from", "+447700900000" } }, "/nonexistent/vonage" },
		{ { { "type", "vonage" }, { "api_secret", "s" },
		    { "signature_secret", "t" }, { "from", "+447700900000" } },
		    "api_key" },
		{ { { "type", "vonage" }, { "api_key", "k" },
		    { "api_secret", "s" }, { "signature_secret", "t" } },
		    "from" },
		{ { { "type", "vonage" }, { "api_key", "k" },
		    { "api_secret", "s" }, { "signature_secret", "t" },
		    { "from", "+447700900000" }, { "signature_method", "md5" } },
		    "not \"md5\"" },
		{ { { "type", "vonage" }, { "api_key", "k" },
		    { "api_secret", "s" }, { "signature_secret", "t" },
		    { "from", "+447700900000" },
		    { "signature_method", "HMAC-SHA256" } },
		    "signature_method" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		char err[256];
		int rc = configure(&p, cases[i].keys, err, sizeof err);

		if (cases[i].error == NULL) {
			if (rc != 0)
				fail_msg("case %zu: %s", i, err);
			provider_vonage.release(&p);
			assert_null(p.priv);
			continue;
		}
		if (rc != -1 || strstr(err, cases[i].error) == NULL)
			fail_msg("case %zu: want \"%s\", got %d \"%s\"", i,
			    cases[i].error, rc, err);
		if (strstr(err, "from-a-file"))
			fail_msg("case %zu: a secret in \"%s\"", i, err);
		assert_null(p.priv);
	}
	unlink(path);
}

/* The secret from a file is the one that signs. */
static void
test_configure_file(void **state)
{
	char path[] = "/tmp/test-vonage-XXXXXX";
	int fd = mkstemp(path);
	const struct vector *v = &vectors[5];	/* V2 md5hash, "secret" */
	struct kv keys[] = {
		{ "type", "vonage" }, { "api_key", "k" }, { "api_secret", "s" },
		{ "signature_secret_file", path }, { "from", "Acme" },
		{ NULL, NULL },
	};
	struct provider p;
	struct built b;
	char err[256];

	assert_true(fd != -1);
	assert_true(write(fd, "secret\r\n", 8) == 8);
	close(fd);
	assert_int_equal(configure(&p, keys, err, sizeof err), 0);
	build(&b, T_FORM, v->params, v->sig);
	assert_int_equal(provider_vonage.verify(&p, &b.req, v->ts), VERIFY_OK);
	unbuild(&b);
	provider_vonage.release(&p);
	unlink(path);
}

/* ---- delivery receipts ---- */

static void
test_decode_status(void **state)
{
	static const struct {
		const char	*data;
		enum decode_result want;
		const char	*id;
		enum delivery_state state;
		const char	*error;
	} cases[] = {
		{ "msisdn=447700900123&to=447700900000&network-code=23410&"
		    "messageId=0A0000000123ABCD1&price=0.03330000&"
		    "status=delivered&scts=2001011400&err-code=0&"
		    "api-key=abcd1234&message-timestamp=2020-01-01+12%3A00%3A00",
		    DECODE_MESSAGE, "0A0000000123ABCD1", DELIVERY_DELIVERED, "" },
		{ "messageId=0A0000000123ABCD2&status=failed&err-code=6",
		    DECODE_MESSAGE, "0A0000000123ABCD2", DELIVERY_FAILED,
		    "failed (err-code 6)" },
		{ "messageId=M3&status=expired&err-code=1", DECODE_MESSAGE, "M3",
		    DELIVERY_FAILED, "expired (err-code 1)" },
		{ "messageId=M4&status=rejected&err-code=29", DECODE_MESSAGE,
		    "M4", DELIVERY_FAILED, "rejected (err-code 29)" },
		{ "messageId=M5&status=accepted&err-code=0", DECODE_MESSAGE, "M5",
		    DELIVERY_PENDING, "" },
		{ "messageId=M6&status=buffered&err-code=0", DECODE_MESSAGE, "M6",
		    DELIVERY_PENDING, "" },
		{ "messageId=M7&status=unknown", DECODE_MESSAGE, "M7",
		    DELIVERY_PENDING, "" },
		{ "messageId=M8&status=failed", DECODE_MESSAGE, "M8",
		    DELIVERY_FAILED, "failed (err-code none)" },
		{ "status=delivered&err-code=0", DECODE_MALFORMED, NULL, 0, NULL },
		{ "messageId=M9&err-code=0", DECODE_MALFORMED, NULL, 0, NULL },
		{ "messageId=M9&status=", DECODE_MALFORMED, NULL, 0, NULL },
		{ "messageId=%zz&status=delivered", DECODE_MALFORMED, NULL, 0,
		    NULL },
	};
	struct provider p;
	struct delivery d;
	struct built b;

	setup(&p, "secret", "md5hash");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		/* GET as the dashboard default, and the same as a form. */
		for (int post = 0; post < 2; post++) {
			if (post)
				build_raw(&b, "POST",
				    "application/x-www-form-urlencoded", "",
				    cases[i].data);
			else
				build_raw(&b, "GET", NULL, cases[i].data, "");
			enum decode_result rc = provider_vonage.decode_status(&p,
			    &b.req, &d);
			if (rc != cases[i].want)
				fail_msg("%s: want %d, got %d", cases[i].data,
				    cases[i].want, rc);
			if (rc == DECODE_MESSAGE) {
				assert_string_equal(d.ext_id, cases[i].id);
				assert_int_equal(d.state, cases[i].state);
				assert_string_equal(d.error, cases[i].error);
			}
			unbuild(&b);
		}
	}

	/* As JSON. */
	build_raw(&b, "POST", "application/json", "", "{\"msisdn\":"
	    "\"447700900123\",\"to\":\"Acme\",\"messageId\":\"J1\","
	    "\"status\":\"delivered\",\"err-code\":\"0\"}");
	assert_int_equal(provider_vonage.decode_status(&p, &b.req, &d),
	    DECODE_MESSAGE);
	assert_string_equal(d.ext_id, "J1");
	assert_int_equal(d.state, DELIVERY_DELIVERED);
	unbuild(&b);
	provider_vonage.release(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_verify_edges),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_parts),
		cmocka_unit_test(test_decode_bad),
		cmocka_unit_test(test_decode_oversize),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_configure),
		cmocka_unit_test(test_configure_file),
		cmocka_unit_test(test_decode_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
