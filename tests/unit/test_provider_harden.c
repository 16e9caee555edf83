/*
 * test_provider_harden.c -- what every codec shares at the edge: texts
 * made UTF-8 (provider_text), trusted headers that must come once
 * (http_req_trusted), secrets compared whatever their lengths
 * (crypto_secret_eq), and Plivo's weak V2 signatures.
 */
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

extern const struct provider_ops provider_android, provider_fake,
    provider_kannel, provider_messagebird, provider_plivo, provider_telnyx,
    provider_textlocal, provider_twilio, provider_vonage;

#define URL		"https://sms.example.org/webhooks/main"
#define TOKEN		"test-token-not-real-0123"
#define NOW		1700000000
#define NOW_S		"1700000000"
/* Telnyx's vector (test_provider_telnyx.c): the RFC 8032 TEST 1 key. */
#define TX_PUBKEY	"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define TX_SIG		"17eo16gOav3tuzLdmvxDZ/GA4CzZ2WUXcp3gqdc4PX" \
			"yuI/pn3l5Oxx1szWpw6EtDiKH7M72SUuRHOUubZ6kRAQ=="
#define TX_BODY		"{\"data\":{\"event_type\":\"message.received\"," \
	"\"id\":\"b301ed3f-1490-491f-995f-6e64e69674d4\",\"payload\":" \
	"{\"from\":{\"phone_number\":\"+447700900123\"},\"text\":" \
	"\"Hello\",\"to\":[{\"phone_number\":\"+447700900456\"}]}," \
	"\"record_type\":\"event\"}}"

/* "Si\xe2n \x93curly\x94" as a provider sending Latin-1 / Windows-1252
 * would, and what it must become. */
#define LATIN_FORM	"Si%E2n+%93curly%94"
#define LATIN_RAW	"Si\xe2n \x93" "curly\x94"
#define LATIN_UTF8	"Si\xc3\xa2n \xe2\x80\x9c" "curly\xe2\x80\x9d"
#define FFFD		"\xef\xbf\xbd"

/* --- requests -------------------------------------------------------- */

#define MAXH	16
struct treq {
	struct http_req		req;
	struct http_header	h[MAXH];
	char			name[MAXH][64], value[MAXH][512];
	char			body[2048], query[512];
};

static void
treq_init(struct treq *r, const char *method, const char *query,
    const char *body)
{
	memset(r, 0, sizeof *r);
	snprintf(r->query, sizeof r->query, "%s", query ? query : "");
	snprintf(r->body, sizeof r->body, "%s", body ? body : "");
	r->req.method = method;
	r->req.path = "/webhooks/main";
	r->req.query = r->query;
	r->req.url = *r->query ? NULL : URL;
	r->req.body = r->body;
	r->req.body_len = strlen(r->body);
	r->req.headers = r->h;
	r->req.remote_addr = "127.0.0.1";
}

/* Add a header at position at (the end when at < 0). */
static void
treq_header_at(struct treq *r, int at, const char *name, const char *value)
{
	size_t n = r->req.nheaders, i = at < 0 ? n : (size_t)at;

	assert_true(n < MAXH);
	for (size_t k = n; k > i; k--) {
		memcpy(r->name[k], r->name[k - 1], sizeof r->name[k]);
		memcpy(r->value[k], r->value[k - 1], sizeof r->value[k]);
	}
	snprintf(r->name[i], sizeof r->name[i], "%s", name);
	snprintf(r->value[i], sizeof r->value[i], "%s", value);
	r->req.nheaders = n + 1;
	for (size_t k = 0; k <= n; k++) {
		r->h[k].name = r->name[k];
		r->h[k].value = r->value[k];
	}
}

static void
treq_header(struct treq *r, const char *name, const char *value)
{
	treq_header_at(r, -1, name, value);
}

/* A copy that points into itself. */
static void
treq_copy(struct treq *dst, const struct treq *src)
{
	memcpy(dst, src, sizeof *dst);
	dst->req.query = dst->query;
	dst->req.body = dst->body;
	dst->req.headers = dst->h;
	for (size_t k = 0; k < dst->req.nheaders; k++) {
		dst->h[k].name = dst->name[k];
		dst->h[k].value = dst->value[k];
	}
}

/* Configure p from NULL-terminated "key=value" strings. */
static void
configure(struct provider *p, const struct provider_ops *ops,
    const char *const kv[])
{
	struct config_pair pairs[16];
	struct config_block cb = { "provider", "main", 1, pairs, 0 };
	char copies[16][256], err[256] = "";

	memset(p, 0, sizeof *p);
	p->ops = ops;
	strcpy(p->name, "main");
	for (size_t i = 0; kv[i] != NULL; i++) {
		char *eq;
		snprintf(copies[i], sizeof copies[i], "%s", kv[i]);
		eq = strchr(copies[i], '=');
		*eq = '\0';
		pairs[i].key = copies[i];
		pairs[i].value = eq + 1;
		pairs[i].line = (int)i + 2;
		cb.npairs++;
	}
	if (provider_configure(p, &cb, err, sizeof err) == -1)
		fail_msg("configure %s: %s", ops->name, err);
}

static void
b64_hmac(enum crypto_hash h, const char *key, const char *msg, char *out,
    size_t outlen)
{
	unsigned char mac[CRYPTO_MAX_DIGEST];
	size_t n = crypto_hmac(h, key, strlen(key), msg, strlen(msg), mac);

	assert_true(base64_encode(mac, n, out, outlen) > 0);
}

static void
hex_hmac(const char *key, const char *msg, size_t len, char *out)
{
	unsigned char mac[CRYPTO_MAX_DIGEST];
	size_t n = crypto_hmac(HASH_SHA256, key, strlen(key), msg, len, mac);

	hex_encode(mac, n, out);
}

static void
b64url(const void *in, size_t len, char *out, size_t outlen)
{
	assert_true(base64_encode(in, len, out, outlen) > 0);
	for (char *c = out; *c; c++)
		*c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
	out[strcspn(out, "=")] = '\0';
}

/* --- 1. Plivo V2 --------------------------------------------------------- */

static void
test_plivo_v2(void **state)
{
	static const char *const def[] = { "auth_id=MATEST0000000000000",
	    "auth_token=" TOKEN, "from=447700900000", NULL };
	static const char *const yes[] = { "auth_id=MATEST0000000000000",
	    "auth_token=" TOKEN, "from=447700900000", "accept_v2=yes", NULL };
	static const struct {
		const char		*what;
		const char *const	*conf;
		const char		*v3name, *v3value;
		enum verify_result	 want;
	} cases[] = {
		{ "V2 by default", def, NULL, NULL, VERIFY_BAD },
		{ "V2 with accept_v2 = yes", yes, NULL, NULL, VERIFY_OK },
		{ "a failing V3 beside", yes, "X-Plivo-Signature-V3", "AAAA",
		    VERIFY_BAD },
		{ "a failing Ma-V3 beside", yes, "X-Plivo-Signature-Ma-V3",
		    "AAAA", VERIFY_BAD },
		{ "a V3 nonce alone beside", yes,
		    "X-Plivo-Signature-V3-Nonce", "1", VERIFY_BAD },
	};
	char sig[64];

	b64_hmac(HASH_SHA256, TOKEN, URL "12345", sig, sizeof sig);
	for (size_t i = 0; i < nitems(cases); i++) {
		struct provider p;
		struct treq r;

		configure(&p, &provider_plivo, cases[i].conf);
		treq_init(&r, "POST", NULL, "From=447700900666&Text=Forged+SE1"
		    "+7PB&To=447700900000&MessageUUID=f1");
		treq_header(&r, "X-Plivo-Signature-V2", sig);
		treq_header(&r, "X-Plivo-Signature-V2-Nonce", "12345");
		if (cases[i].v3name)
			treq_header(&r, cases[i].v3name, cases[i].v3value);
		if (p.ops->verify(&p, &r.req, NOW) != cases[i].want)
			fail_msg("%s: expected %d", cases[i].what,
			    (int)cases[i].want);
		p.ops->release(&p);
	}
}

/* --- 4. a trusted header (or parameter) twice ------------------------ */

/* Each builder configures p and makes a request that verifies at NOW. */
static void
signed_twilio(struct provider *p, struct treq *r)
{
	static const char *const conf[] = {
	    "account_sid=ACtest000000000000000000000000000",
	    "auth_token=" TOKEN, "from=+447700900000", NULL };
	char sig[64];

	configure(p, &provider_twilio, conf);
	treq_init(r, "POST", NULL, "Body=hi&From=%2B447700900123");
	b64_hmac(HASH_SHA1, TOKEN, URL "BodyhiFrom+447700900123", sig,
	    sizeof sig);
	treq_header(r, "X-Twilio-Signature", sig);
}

static void
signed_plivo(struct provider *p, struct treq *r)
{
	static const char *const conf[] = { "auth_id=MATEST0000000000000",
	    "auth_token=" TOKEN, "from=447700900000", NULL };
	char sig[64];

	configure(p, &provider_plivo, conf);
	treq_init(r, "POST", NULL, "From=447700900123&Text=hi");
	b64_hmac(HASH_SHA256, TOKEN, URL "?From447700900123Texthi.42", sig,
	    sizeof sig);
	treq_header(r, "X-Plivo-Signature-V3", sig);
	treq_header(r, "X-Plivo-Signature-V3-Nonce", "42");
}

static void
signed_telnyx(struct provider *p, struct treq *r)
{
	static const char *const conf[] = { "public_key=" TX_PUBKEY,
	    "api_key=telnyx-api-key-not-real", "from=+447700900000", NULL };

	configure(p, &provider_telnyx, conf);
	treq_init(r, "POST", NULL, TX_BODY);
	treq_header(r, "telnyx-signature-ed25519", TX_SIG);
	treq_header(r, "telnyx-timestamp", NOW_S);
}

static void
signed_android(struct provider *p, struct treq *r)
{
	static const char *const conf[] = { "signing_key=" TOKEN,
	    "base_url=http://127.0.0.1:9/", "username=u",
	    "password=android-password-not-real", NULL };
	char msg[2100], sig[2 * CRYPTO_MAX_DIGEST + 1];

	configure(p, &provider_android, conf);
	treq_init(r, "POST", NULL, "{\"event\":\"sms:received\"}");
	snprintf(msg, sizeof msg, "%s%s", r->body, NOW_S);
	hex_hmac(TOKEN, msg, strlen(msg), sig);
	treq_header(r, "X-Signature", sig);
	treq_header(r, "X-Timestamp", NOW_S);
}

static void
signed_messagebird(struct provider *p, struct treq *r)
{
	static const char *const conf[] = { "access_key=mb-access-not-real",
	    "signing_key=" TOKEN, "from=+447700900000", NULL };
	unsigned char h[32], mac[CRYPTO_MAX_DIGEST];
	char urlh[65], bodyh[65], claims[512], c64[700], h64[64], s64[128];
	char jwt[1024], signing[800];
	const char *hdr = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
	size_t n;

	configure(p, &provider_messagebird, conf);
	treq_init(r, "POST", NULL, "id=m1&originator=447700900123&body=hi");
	crypto_digest(HASH_SHA256, URL, strlen(URL), h);
	hex_encode(h, 32, urlh);
	crypto_digest(HASH_SHA256, r->body, strlen(r->body), h);
	hex_encode(h, 32, bodyh);
	snprintf(claims, sizeof claims, "{\"iss\":\"MessageBird\",\"nbf\":%d,"
	    "\"exp\":%d,\"url_hash\":\"%s\",\"payload_hash\":\"%s\"}", NOW,
	    NOW + 60, urlh, bodyh);
	b64url(hdr, strlen(hdr), h64, sizeof h64);
	b64url(claims, strlen(claims), c64, sizeof c64);
	snprintf(signing, sizeof signing, "%s.%s", h64, c64);
	n = crypto_hmac(HASH_SHA256, TOKEN, strlen(TOKEN), signing,
	    strlen(signing), mac);
	b64url(mac, n, s64, sizeof s64);
	snprintf(jwt, sizeof jwt, "%s.%s", signing, s64);
	treq_header(r, "MessageBird-Signature-JWT", jwt);
}

static void
signed_fake(struct provider *p, struct treq *r)
{
	static const char *const conf[] = { "secret=" TOKEN, NULL };
	char sig[2 * CRYPTO_MAX_DIGEST + 1];

	configure(p, &provider_fake, conf);
	treq_init(r, "POST", NULL, "from=%2B447700900123&text=hi&id=1");
	hex_hmac(TOKEN, r->body, strlen(r->body), sig);
	treq_header(r, "X-Fake-Signature", sig);
}

/* Codecs that trust a query parameter: the request carries it last. */
static void
token_textlocal(struct provider *p, struct treq *r)
{
	static const char *const conf[] = { "apikey=tl-apikey-not-real",
	    "token=" TOKEN, NULL };

	configure(p, &provider_textlocal, conf);
	treq_init(r, "POST", "token=" TOKEN, "sender=447700900123&content=hi");
}

static void
token_kannel(struct provider *p, struct treq *r)
{
	static const char *const conf[] = { "token=" TOKEN,
	    "base_url=http://127.0.0.1:9", "username=u",
	    "password=kannel-password-not-real", NULL };

	configure(p, &provider_kannel, conf);
	treq_init(r, "GET", "id=1&from=%2B447700900123&text=hi&token=" TOKEN,
	    NULL);
}

static void
sig_vonage(struct provider *p, struct treq *r)
{
	static const char *const conf[] = { "api_key=k",
	    "api_secret=vonage-api-secret-not-real",
	    "signature_secret=" TOKEN, "from=+447700900000", NULL };
	char s[256], sig[2 * CRYPTO_MAX_DIGEST + 1], q[512];
	unsigned char md[CRYPTO_MAX_DIGEST];

	configure(p, &provider_vonage, conf);
	snprintf(s, sizeof s, "&msisdn=447700900123&text=hi&timestamp=%s%s",
	    NOW_S, TOKEN);
	crypto_digest(HASH_MD5, s, strlen(s), md);
	hex_encode(md, 16, sig);
	snprintf(q, sizeof q, "msisdn=447700900123&text=hi&timestamp=%s&sig=%s",
	    NOW_S, sig);
	treq_init(r, "GET", q, NULL);
}

static void
test_repeated(void **state)
{
	static const struct {
		const char	*codec;
		void		(*build)(struct provider *, struct treq *);
		const char	*trusted[3];	/* headers; or a parameter */
		int		 param;
	} cases[] = {
		{ "twilio", signed_twilio, { "X-Twilio-Signature" }, 0 },
		{ "plivo", signed_plivo, { "X-Plivo-Signature-V3",
		    "X-Plivo-Signature-V3-Nonce" }, 0 },
		{ "telnyx", signed_telnyx, { "telnyx-signature-ed25519",
		    "telnyx-timestamp" }, 0 },
		{ "android", signed_android, { "X-Signature", "X-Timestamp" },
		    0 },
		{ "messagebird", signed_messagebird,
		    { "MessageBird-Signature-JWT" }, 0 },
		{ "fake", signed_fake, { "X-Fake-Signature" }, 0 },
		{ "textlocal", token_textlocal, { "token" }, 1 },
		{ "kannel", token_kannel, { "token" }, 1 },
		{ "vonage", sig_vonage, { "sig" }, 1 },
	};

	for (size_t i = 0; i < nitems(cases); i++) {
		struct provider p;
		struct treq good, r;

		cases[i].build(&p, &good);
		if (p.ops->verify(&p, &good.req, NOW) != VERIFY_OK)
			fail_msg("%s: the signed request does not verify",
			    cases[i].codec);
		for (size_t t = 0; t < 3 && cases[i].trusted[t]; t++) {
			const char *name = cases[i].trusted[t];
			char value[512], other[512];
			enum verify_result got;

			if (cases[i].param) {
				/* name=value is the query's last pair. */
				const char *v = strrchr(good.query, '=') + 1;
				snprintf(value, sizeof value, "%s", v);
				snprintf(other, sizeof other, "%s", v);
				other[0] = other[0] == '0' ? '1' : '0';
				treq_copy(&r, &good);
				snprintf(r.query + strlen(r.query),
				    sizeof r.query - strlen(r.query), "&%s=%s",
				    name, other);
				got = p.ops->verify(&p, &r.req, NOW);
				if (got != VERIFY_BAD)
					fail_msg("%s: %s twice, different: %d",
					    cases[i].codec, name, got);
				continue;
			}
			for (size_t k = 0; k < good.req.nheaders; k++)
				if (!strcmp(good.name[k], name))
					snprintf(value, sizeof value, "%s",
					    good.value[k]);
			snprintf(other, sizeof other, "%s", value);
			other[0] = other[0] == '1' ? '2' : '1';
			/* The same value twice: one header, really. */
			treq_copy(&r, &good);
			treq_header(&r, name, value);
			if ((got = p.ops->verify(&p, &r.req, NOW)) != VERIFY_OK)
				fail_msg("%s: %s twice, same: %d",
				    cases[i].codec, name, got);
			/* Another value after the good one, or before. */
			treq_copy(&r, &good);
			treq_header(&r, name, other);
			if ((got = p.ops->verify(&p, &r.req, NOW)) != VERIFY_BAD)
				fail_msg("%s: %s, then another: %d",
				    cases[i].codec, name, got);
			treq_copy(&r, &good);
			treq_header_at(&r, 0, name, other);
			if ((got = p.ops->verify(&p, &r.req, NOW)) != VERIFY_BAD)
				fail_msg("%s: another %s, then it: %d",
				    cases[i].codec, name, got);
		}
		p.ops->release(&p);
	}
}

static void
test_http_req_trusted(void **state)
{
	struct treq r;
	const char *v;

	treq_init(&r, "POST", NULL, NULL);
	assert_int_equal(http_req_trusted(&r.req, "X-Sig", &v), 0);
	assert_null(v);
	treq_header(&r, "x-sig", "a");
	assert_int_equal(http_req_trusted(&r.req, "X-Sig", &v), 1);
	assert_string_equal(v, "a");
	treq_header(&r, "X-SIG", "a");
	assert_int_equal(http_req_trusted(&r.req, "X-Sig", &v), 1);
	treq_header(&r, "X-Sig", "A");
	assert_int_equal(http_req_trusted(&r.req, "X-Sig", &v), -1);
	assert_null(v);
}

/* --- 3. text --------------------------------------------------------- */

static void
test_text(void **state)
{
	static const struct {
		const char	*what, *in;
		size_t		 len;	/* 0: strlen(in) */
		const char	*charset;
		size_t		 size;	/* 0: 64 */
		const char	*want;
		int		 rc;
	} cases[] = {
		{ "UTF-8 kept", "Si\xc3\xa2n \xf0\x9f\x98\x80", 0, NULL, 0,
		    "Si\xc3\xa2n \xf0\x9f\x98\x80", 0 },
		{ "Latin-1, undeclared", "Si\xe2n", 0, NULL, 0, "Si\xc3\xa2n",
		    0 },
		{ "Windows-1252 quotes", "\x93" "curly\x94", 0, NULL, 0,
		    "\xe2\x80\x9c" "curly\xe2\x80\x9d", 0 },
		{ "euro, dash, ellipsis", "\x80\x96\x85", 0, NULL, 0,
		    "\xe2\x82\xac\xe2\x80\x93\xe2\x80\xa6", 0 },
		{ "undefined in Windows-1252", "a\x81" "b", 0, NULL, 0,
		    "a" FFFD "b", 0 },
		{ "declared Latin-1", "caf\xe9", 0, "ISO-8859-1", 0,
		    "caf\xc3\xa9", 0 },
		{ "declared Latin-1 reads UTF-8 as Latin-1", "\xc3\xa9", 0,
		    "latin1", 0, "\xc3\x83\xc2\xa9", 0 },
		{ "declared windows-1252", "\x93hi\x94", 0, "Windows-1252", 0,
		    "\xe2\x80\x9chi\xe2\x80\x9d", 0 },
		{ "declared UTF-8, invalid", "a\xff" "b\xc3", 0, "utf-8", 0,
		    "a" FFFD "b" FFFD, 0 },
		{ "overlong", "\xc0\xaf", 0, "UTF-8", 0, FFFD FFFD, 0 },
		{ "surrogate in UTF-8", "\xed\xa0\x80", 0, "UTF-8", 0,
		    FFFD FFFD FFFD, 0 },
		{ "unknown charset: as undeclared", "Si\xe2n", 0, "x-klingon",
		    0, "Si\xc3\xa2n", 0 },
		{ "NUL", "a\0b", 3, NULL, 0, "a" FFFD "b", 0 },
		{ "UTF-16BE", "\0S\0i\0\xe2\0n", 8, "UTF-16BE", 0,
		    "Si\xc3\xa2n", 0 },
		{ "UTF-16BE pair", "\xd8\x3d\xde\x00", 4, "UCS-2", 0,
		    "\xf0\x9f\x98\x80", 0 },
		{ "UTF-16BE unpaired, odd", "\xd8\x3d\0a\0", 5, "UTF-16BE", 0,
		    FFFD "a" FFFD, 0 },
		{ "cut at a character", "ab\xe2\x82\xac", 0, NULL, 5, "ab", -1 },
		{ "cut after conversion", "abc\xe9", 0, NULL, 5, "abc", -1 },
		{ "fits exactly", "abc\xe9", 0, NULL, 6, "abc\xc3\xa9", 0 },
	};

	for (size_t i = 0; i < nitems(cases); i++) {
		char out[64];
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		size_t size = cases[i].size ? cases[i].size : sizeof out;
		int rc = provider_text(out, size, cases[i].in, len,
		    cases[i].charset);

		if (strcmp(out, cases[i].want) != 0 || rc != cases[i].rc)
			fail_msg("%s: got \"%s\" (%d)", cases[i].what, out, rc);
	}
}

/* Each codec's decode, fed Latin-1: the stored text is UTF-8. */
static void
test_codec_text(void **state)
{
	static const char *const tw[] = {
	    "account_sid=ACtest000000000000000000000000000",
	    "auth_token=" TOKEN, "from=+447700900000", NULL };
	static const char *const pl[] = { "auth_id=MATEST0000000000000",
	    "auth_token=" TOKEN, "from=447700900000", NULL };
	static const char *const tl[] = { "apikey=tl-apikey-not-real",
	    "token=" TOKEN, NULL };
	static const char *const vg[] = { "api_key=k",
	    "api_secret=vonage-api-secret-not-real",
	    "signature_secret=" TOKEN, "from=+447700900000", NULL };
	static const char *const mb[] = { "access_key=mb-access-not-real",
	    "signing_key=" TOKEN, "from=+447700900000", NULL };
	static const char *const fk[] = { "secret=" TOKEN, NULL };
	static const char *const kn[] = { "token=" TOKEN,
	    "base_url=http://127.0.0.1:9", "username=u",
	    "password=kannel-password-not-real", NULL };
	static const char *const tx[] = { "public_key=" TX_PUBKEY,
	    "api_key=telnyx-api-key-not-real", "from=+447700900000", NULL };
	static const char *const an[] = { "signing_key=" TOKEN,
	    "base_url=http://127.0.0.1:9/", "username=u",
	    "password=android-password-not-real", NULL };
	static const struct {
		const char		*what;
		const struct provider_ops *ops;
		const char *const	*conf;
		const char		*method, *query, *body, *type, *want;
	} cases[] = {
		{ "twilio", &provider_twilio, tw, "POST", NULL,
		    "MessageSid=SM1&From=%2B447700900123&Body=" LATIN_FORM,
		    NULL, LATIN_UTF8 },
		{ "twilio, declared UTF-8", &provider_twilio, tw, "POST", NULL,
		    "MessageSid=SM1&From=%2B447700900123&Body=a%FFb",
		    "application/x-www-form-urlencoded; charset=UTF-8",
		    "a" FFFD "b" },
		{ "twilio, declared Latin-1", &provider_twilio, tw, "POST",
		    NULL, "MessageSid=SM1&From=%2B447700900123&Body=%C3%A9",
		    "application/x-www-form-urlencoded; charset=\"ISO-8859-1\"",
		    "\xc3\x83\xc2\xa9" },
		{ "twilio GET", &provider_twilio, tw, "GET",
		    "MessageSid=SM1&From=%2B447700900123&Body=" LATIN_FORM,
		    NULL, NULL, LATIN_UTF8 },
		{ "plivo", &provider_plivo, pl, "POST", NULL,
		    "MessageUUID=u1&From=447700900123&Text=" LATIN_FORM, NULL,
		    LATIN_UTF8 },
		{ "textlocal", &provider_textlocal, tl, "POST", NULL,
		    "sender=447700900123&content=" LATIN_FORM, NULL,
		    LATIN_UTF8 },
		{ "vonage form", &provider_vonage, vg, "POST", NULL,
		    "msisdn=447700900123&messageId=m1&type=text&text="
		    LATIN_FORM, NULL, LATIN_UTF8 },
		{ "vonage GET", &provider_vonage, vg, "GET", "msisdn="
		    "447700900123&messageId=m1&text=" LATIN_FORM, NULL, NULL,
		    LATIN_UTF8 },
		{ "messagebird", &provider_messagebird, mb, "POST", NULL,
		    "id=m1&originator=447700900123&body=" LATIN_FORM, NULL,
		    LATIN_UTF8 },
		{ "fake", &provider_fake, fk, "POST", NULL,
		    "from=%2B447700900123&id=1&text=" LATIN_FORM, NULL,
		    LATIN_UTF8 },
		{ "kannel get-url", &provider_kannel, kn, "GET",
		    "id=k1&from=%2B447700900123&text=" LATIN_FORM, NULL, NULL,
		    LATIN_UTF8 },
		{ "kannel charset=ISO-8859-1", &provider_kannel, kn, "GET",
		    "id=k1&from=%2B447700900123&charset=ISO-8859-1&text=%C3%A9",
		    NULL, NULL, "\xc3\x83\xc2\xa9" },
		{ "kannel post-url", &provider_kannel, kn, "POST",
		    "id=k1&from=%2B447700900123", LATIN_RAW,
		    "text/plain; charset=windows-1252", LATIN_UTF8 },
		{ "telnyx", &provider_telnyx, tx, "POST", NULL,
		    "{\"data\":{\"event_type\":\"message.received\",\"id\":"
		    "\"e1\",\"payload\":{\"id\":\"m1\",\"from\":{"
		    "\"phone_number\":\"+447700900123\"},\"text\":\""
		    LATIN_RAW "\"}}}", "application/json", LATIN_UTF8 },
		{ "android", &provider_android, an, "POST", NULL,
		    "{\"event\":\"sms:received\",\"id\":\"e1\",\"payload\":{"
		    "\"message\":\"" LATIN_RAW "\",\"sender\":"
		    "\"+447700900123\"}}", "application/json", LATIN_UTF8 },
	};

	for (size_t i = 0; i < nitems(cases); i++) {
		struct provider p;
		struct inbound in;
		struct treq r;
		enum decode_result rc;

		configure(&p, cases[i].ops, cases[i].conf);
		treq_init(&r, cases[i].method, cases[i].query, cases[i].body);
		r.req.url = URL;
		if (cases[i].type)
			treq_header(&r, "Content-Type", cases[i].type);
		rc = provider_decode(&p, &r.req, &in);
		if (rc != DECODE_MESSAGE)
			fail_msg("%s: decode %d", cases[i].what, (int)rc);
		if (strcmp(in.text, cases[i].want) != 0)
			fail_msg("%s: text \"%s\"", cases[i].what, in.text);
		p.ops->release(&p);
	}
}

/* --- 6. secrets compared whatever their lengths ---------------------- */

static void
test_secret_eq(void **state)
{
	static const struct {
		const char	*a, *b;
		int		 want;
	} cases[] = {
		{ "secret", "secret", 1 },
		{ "secret", "secreT", 0 },
		{ "secret", "secret!", 0 },
		{ "secret!", "secret", 0 },
		{ "", "", 1 },
		{ "", "s", 0 },
		{ TOKEN, TOKEN, 1 },
	};

	for (size_t i = 0; i < nitems(cases); i++)
		if (crypto_secret_eq(cases[i].a, strlen(cases[i].a),
		    cases[i].b, strlen(cases[i].b)) != cases[i].want)
			fail_msg("\"%s\" vs \"%s\"", cases[i].a, cases[i].b);
	/* Bytes, not C strings. */
	assert_false(crypto_secret_eq("a\0b", 3, "a\0c", 3));
	assert_true(crypto_secret_eq("a\0b", 3, "a\0b", 3));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plivo_v2),
		cmocka_unit_test(test_http_req_trusted),
		cmocka_unit_test(test_repeated),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_codec_text),
		cmocka_unit_test(test_secret_eq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
