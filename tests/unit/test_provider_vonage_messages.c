/* test_provider_vonage_messages.c -- the Vonage Messages API codec: the
 * worked webhook tokens of docs/providers-vonage-messages-and-bird.md A5,
 * tampered copies, wrong algorithms, payload_hash and iat, decode,
 * receipts, encode under both kinds of auth (the RS256 token checked
 * with a key pair made here), result, configure. */
#include <jansson.h>
#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "crypto.h"
#include "provider_test.h"

extern const struct provider_ops provider_vonage_messages;
#define OPS	provider_vonage_messages

/* ---- the doc's worked examples (A-1, A-2) ---- */

#define A1_SECRET	"vonage-signature-secret-EXAMPLE-01"
#define A1_IAT		1738584865
#define A1_BODY		"{\"channel\":\"sms\",\"message_uuid\":\"aaaaaaaa-bbbb-" \
	"4ccc-8ddd-0123456789ab\",\"to\":\"447700900000\",\"from\":" \
	"\"447700900001\",\"timestamp\":\"2025-02-03T12:14:25Z\",\"text\":" \
	"\"Hello From Vonage!\",\"sms\":{\"num_messages\":\"1\",\"keyword\":" \
	"\"HELLO\"},\"usage\":{\"price\":\"0.0057\",\"currency\":\"EUR\"}," \
	"\"origin\":{\"network_code\":\"23410\"}}"
#define A1_TOKEN	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3Mzg" \
	"1ODQ4NjUsImp0aSI6ImM1YmE4ZjI0LTFhMTQtNGMxMC1iZmRmLTNmYmU4Y2U1MTFiNSIs" \
	"ImlzcyI6IlZvbmFnZSIsInBheWxvYWRfaGFzaCI6IjUzOTY0MzU3MDkyMTE1MTNmZjQwN" \
	"TdiZTRkYmI0ZjY3YjhlZGYxY2NkYTEzMzA2MjZjM2MzMDBkZDFhZjE4ODMiLCJhcGlfa2" \
	"V5IjoiYTFiMmMzZCIsImFwcGxpY2F0aW9uX2lkIjoiYWFhYWFhYWEtYmJiYi1jY2NjLWR" \
	"kZGQtMDEyMzQ1Njc4OWFiIn0.m6YPGSrpz0Ykz7WPqS6DoL4Xyj0OmCgseFSB35TfLWw"
#define A1_HASH	"5396435709211513ff4057be4dbb4f67b8edf1ccda1330626c3c300dd1af1883"

#define A2_SECRET	"another-32+char-signature-secret!"
#define A2_IAT		1738584898
#define A2_BODY		"{\"message_uuid\":\"bbbbbbbb-cccc-4ddd-8eee-" \
	"0123456789ab\",\"to\":\"447700900001\",\"from\":\"447700900000\"," \
	"\"timestamp\":\"2025-02-03T12:14:58Z\",\"status\":\"delivered\"," \
	"\"client_ref\":\"gw-42\",\"channel\":\"sms\",\"destination\":" \
	"{\"network_code\":\"23410\"},\"usage\":{\"currency\":\"EUR\"," \
	"\"price\":\"0.0333\"},\"sms\":{\"count_total\":\"1\"}}"
#define A2_TOKEN	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3Mzg" \
	"1ODQ4OTgsImp0aSI6IjBmNmMyYTRlLTlkM2ItNGMxZS04YTdmLTJiNWQ2ZTdmODA5MSIs" \
	"ImlzcyI6IlZvbmFnZSIsInBheWxvYWRfaGFzaCI6ImExNGUxOWE2ZDdhYzQyOGEyOTIwO" \
	"TgxZDExN2Y1YWE1NWM3Nzg4MWZjYmM4MzkwZTgyN2VmNGM2YmNlMGJhMmYiLCJhcGlfa2" \
	"V5IjoiYTFiMmMzZCIsImFwcGxpY2F0aW9uX2lkIjoiYWFhYWFhYWEtYmJiYi1jY2NjLWR" \
	"kZGQtMDEyMzQ1Njc4OWFiIn0.nq7ba1VewgrjAu44TQTXKOjawAniD5c27rOYNxx6_1I"

/* ---- instances ---- */

static int
configure(struct provider *p, char *err, size_t errlen, ...)
{
	va_list ap;
	int rc;

	va_start(ap, errlen);
	rc = test_vconfigure(p, &OPS, err, errlen, ap);
	va_end(ap);
	return rc;
}

/* A Basic-auth instance checking webhooks with secret. */
static void
setup(struct provider *p, const char *secret)
{
	char err[256], s[128];

	snprintf(s, sizeof s, "signature_secret=%s", secret);
	if (configure(p, err, sizeof err, "type=vonage-messages", s,
	    "api_key=aaa012", "api_secret=abc123456789",
	    "from=+447700900000", "base_url=http://127.0.0.1:9/vonage/",
	    NULL) != 0)
		fail_msg("configure: %s", err);
}

/* ---- a throwaway RSA key, made for this run ---- */

static char key_path[] = "/tmp/test-vmsg-key-XXXXXX";
static char *pub_pem;		/* its public half, PEM */

static int
make_key(void **state)
{
	EVP_PKEY *k = EVP_RSA_gen(2048);
	BIO *b = BIO_new(BIO_s_mem());
	FILE *fp;
	char *data;
	long n;
	int fd;

	assert_non_null(k);
	assert_true((fd = mkstemp(key_path)) != -1);
	assert_non_null(fp = fdopen(fd, "w"));
	assert_true(PEM_write_PrivateKey(fp, k, NULL, NULL, 0, NULL, NULL));
	fclose(fp);
	assert_true(PEM_write_bio_PUBKEY(b, k));
	n = BIO_get_mem_data(b, &data);
	pub_pem = strndup(data, (size_t)n);
	BIO_free(b);
	EVP_PKEY_free(k);
	return 0;
}

static int
drop_key(void **state)
{
	unlink(key_path);
	free(pub_pem);
	return 0;
}

/* ---- tokens made here, independently of the codec ---- */

static void
b64url(const unsigned char *in, size_t len, char *out, size_t outlen)
{
	size_t n = base64_encode(in, len, out, outlen), j = 0;

	assert_true(n > 0 || len == 0);
	for (size_t i = 0; out[i]; i++) {
		if (out[i] == '=')
			continue;
		out[j++] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
	}
	out[j] = '\0';
}

/* header.claims.HMAC(secret) with hash h, or an empty signature when
 * secret is NULL (alg none).  The caller frees it. */
static char *
hs_token(const char *header, const char *claims, enum crypto_hash h,
    const char *secret)
{
	char hb[512], cb[2048], sb[128], *input;
	unsigned char mac[CRYPTO_MAX_DIGEST];
	size_t n = 0;

	b64url((const unsigned char *)header, strlen(header), hb, sizeof hb);
	b64url((const unsigned char *)claims, strlen(claims), cb, sizeof cb);
	assert_true(asprintf(&input, "%s.%s", hb, cb) > 0);
	sb[0] = '\0';
	if (secret != NULL) {
		n = crypto_hmac(h, secret, strlen(secret), input,
		    strlen(input), mac);
		assert_true(n > 0);
		b64url(mac, n, sb, sizeof sb);
	}
	char *tok;
	assert_true(asprintf(&tok, "%s.%s", input, sb) > 0);
	free(input);
	return tok;
}

/* Claims as Vonage writes them, for body at iat. */
static char *
claims_for(const char *body, long long iat, const char *extra)
{
	unsigned char md[32];
	char hex[65], *c;

	assert_int_equal(crypto_digest(HASH_SHA256, body, strlen(body), md), 32);
	hex_encode(md, 32, hex);
	assert_true(asprintf(&c, "{\"iat\":%lld,\"jti\":\"0f6c2a4e-9d3b-4c1e-"
	    "8a7f-2b5d6e7f8091\",\"iss\":\"Vonage\",\"payload_hash\":\"%s\","
	    "\"api_key\":\"a1b2c3d\"%s}", iat, hex, extra ? extra : "") > 0);
	return c;
}

#define HS256	"{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

/* ---- requests ---- */

struct built {
	struct http_req		req;
	struct http_header	hdr[3];
	char			auth[2][4200];
};

/* A POST of body with "Authorization: Bearer token" (none when token is
 * NULL; twice when token2 is not NULL). */
static void
build(struct built *b, const char *body, const char *token,
    const char *token2)
{
	memset(b, 0, sizeof *b);
	b->req.method = "POST";
	b->req.path = "/webhooks/main";
	b->req.query = "";
	b->req.url = "https://gw.example.org/webhooks/main";
	b->req.body = body;
	b->req.body_len = strlen(body);
	b->req.remote_addr = "127.0.0.1";
	b->req.headers = b->hdr;
	b->hdr[b->req.nheaders].name = "Content-Type";
	b->hdr[b->req.nheaders++].value = "application/json";
	if (token != NULL) {
		snprintf(b->auth[0], sizeof b->auth[0], "Bearer %s", token);
		b->hdr[b->req.nheaders].name = "Authorization";
		b->hdr[b->req.nheaders++].value = b->auth[0];
	}
	if (token2 != NULL) {
		snprintf(b->auth[1], sizeof b->auth[1], "Bearer %s", token2);
		b->hdr[b->req.nheaders].name = "authorization";
		b->hdr[b->req.nheaders++].value = b->auth[1];
	}
}

static enum verify_result
verify(const struct provider *p, const char *body, const char *token,
    int64_t now)
{
	struct built b;

	build(&b, body, token, NULL);
	return OPS.verify(p, &b.req, now);
}

/* ---- verify ---- */

static void
test_examples(void **state)
{
	struct provider p1, p2;

	setup(&p1, A1_SECRET);
	setup(&p2, A2_SECRET);
	/* Within the window, on either side of iat. */
	static const int64_t skew[] = { 0, 1, -1, 299, -299, 300, -300 };
	for (size_t i = 0; i < sizeof skew / sizeof skew[0]; i++) {
		assert_int_equal(verify(&p1, A1_BODY, A1_TOKEN, A1_IAT +
		    skew[i]), VERIFY_OK);
		assert_int_equal(verify(&p2, A2_BODY, A2_TOKEN, A2_IAT +
		    skew[i]), VERIFY_OK);
	}
	/* Too old (a replay) or too new. */
	assert_int_equal(verify(&p1, A1_BODY, A1_TOKEN, A1_IAT + 301),
	    VERIFY_BAD);
	assert_int_equal(verify(&p1, A1_BODY, A1_TOKEN, A1_IAT - 301),
	    VERIFY_BAD);
	assert_int_equal(verify(&p1, A1_BODY, A1_TOKEN, A1_IAT + 86400),
	    VERIFY_BAD);
	/* The other example's secret, or the other example's body. */
	assert_int_equal(verify(&p2, A1_BODY, A1_TOKEN, A1_IAT), VERIFY_BAD);
	assert_int_equal(verify(&p1, A2_BODY, A1_TOKEN, A1_IAT), VERIFY_BAD);
	/* Our own token maker agrees with the doc's bytes. */
	char *claims = claims_for(A1_BODY, A1_IAT, NULL);
	assert_non_null(strstr(claims, A1_HASH));
	char *tok = hs_token(HS256, claims, HASH_SHA256, A1_SECRET);
	assert_int_equal(verify(&p1, A1_BODY, tok, A1_IAT), VERIFY_OK);
	free(tok);
	free(claims);
	OPS.release(&p1);
	OPS.release(&p2);
}

/* Every single byte of the body, and of the token, changed. */
static void
test_tamper(void **state)
{
	struct provider p;
	char body[] = A1_BODY, token[] = A1_TOKEN;

	setup(&p, A1_SECRET);
	for (size_t i = 0; i < strlen(body); i++) {
		char c = body[i];
		body[i] = c == 'x' ? 'y' : 'x';
		if (verify(&p, body, A1_TOKEN, A1_IAT) != VERIFY_BAD)
			fail_msg("body byte %zu changed: accepted", i);
		body[i] = c;
	}
	for (size_t i = 0; i < strlen(token); i++) {
		char c = token[i];
		token[i] = c == 'A' ? 'B' : 'A';
		if (verify(&p, A1_BODY, token, A1_IAT) != VERIFY_BAD)
			fail_msg("token byte %zu ('%c' -> '%c'): accepted", i,
			    c, token[i]);
		token[i] = c;
	}
	/* One byte more or less of either. */
	assert_int_equal(verify(&p, A1_BODY " ", A1_TOKEN, A1_IAT), VERIFY_BAD);
	token[strlen(token) - 1] = '\0';
	assert_int_equal(verify(&p, A1_BODY, token, A1_IAT), VERIFY_BAD);
	assert_int_equal(verify(&p, A1_BODY, A1_TOKEN "A", A1_IAT), VERIFY_BAD);
	OPS.release(&p);
}

static void
test_algorithms(void **state)
{
	struct provider p;
	char *claims = claims_for(A1_BODY, A1_IAT, NULL);
	char *tok;

	setup(&p, A1_SECRET);
	static const struct {
		const char	 *header;
		enum crypto_hash  h;
		int		  unsigned_;
	} cases[] = {
		{ "{\"alg\":\"none\",\"typ\":\"JWT\"}", HASH_SHA256, 1 },
		{ "{\"alg\":\"none\"}", HASH_SHA256, 1 },
		{ "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", HASH_SHA256, 1 },
		{ "{\"alg\":\"HS384\",\"typ\":\"JWT\"}", HASH_SHA384, 0 },
		{ "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", HASH_SHA512, 0 },
		/* RS256 named, the secret used as an HMAC key. */
		{ "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", HASH_SHA256, 0 },
		{ "{\"alg\":\"hs256\",\"typ\":\"JWT\"}", HASH_SHA256, 0 },
		{ "{\"typ\":\"JWT\"}", HASH_SHA256, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tok = hs_token(cases[i].header, claims, cases[i].h,
		    cases[i].unsigned_ ? NULL : A1_SECRET);
		if (verify(&p, A1_BODY, tok, A1_IAT) != VERIFY_BAD)
			fail_msg("case %zu (%s): accepted", i, cases[i].header);
		free(tok);
	}
	/* A genuine RS256 token, signed with a private key. */
	FILE *fp = fopen(key_path, "r");
	char pem[8192];
	size_t n = fread(pem, 1, sizeof pem - 1, fp);
	fclose(fp);
	pem[n] = '\0';
	jwt_t *jwt;
	assert_int_equal(jwt_new(&jwt), 0);
	assert_int_equal(jwt_add_grants_json(jwt, claims), 0);
	assert_int_equal(jwt_set_alg(jwt, JWT_ALG_RS256,
	    (unsigned char *)pem, (int)n), 0);
	assert_non_null(tok = jwt_encode_str(jwt));
	jwt_free(jwt);
	assert_int_equal(verify(&p, A1_BODY, tok, A1_IAT), VERIFY_BAD);
	free(tok);
	free(claims);
	OPS.release(&p);
}

static void
test_claims(void **state)
{
	static const struct {
		const char	*what;
		const char	*claims;	/* NULL: claims_for(body) */
		const char	*extra;		/* appended to claims_for's */
		enum verify_result want;
	} cases[] = {
		{ "as Vonage writes them", NULL, NULL, VERIFY_OK },
		{ "an application_id too", NULL, ",\"application_id\":\"x\"",
		    VERIFY_OK },
		{ "exp in the future", NULL, ",\"exp\":1738584866", VERIFY_OK },
		{ "exp now", NULL, ",\"exp\":1738584865", VERIFY_BAD },
		{ "exp a string", NULL, ",\"exp\":\"9999999999\"", VERIFY_BAD },
		{ "nbf now", NULL, ",\"nbf\":1738584865", VERIFY_OK },
		{ "nbf in the future", NULL, ",\"nbf\":1738584866",
		    VERIFY_BAD },
		{ "payload_hash of another body",
		    "{\"iat\":1738584865,\"iss\":\"Vonage\",\"payload_hash\":"
		    "\"a14e19a6d7ac428a2920981d117f5aa55c77881fcbc8390e827ef4c6"
		    "bce0ba2f\"}", NULL, VERIFY_BAD },
		{ "payload_hash in upper case",
		    "{\"iat\":1738584865,\"payload_hash\":\"5396435709211513FF"
		    "4057BE4DBB4F67B8EDF1CCDA1330626C3C300DD1AF1883\"}", NULL,
		    VERIFY_OK },
		{ "payload_hash cut short",
		    "{\"iat\":1738584865,\"payload_hash\":\"5396435709211513ff"
		    "4057be4dbb4f67b8edf1ccda1330626c3c300dd1af18\"}", NULL,
		    VERIFY_BAD },
		{ "no payload_hash", "{\"iat\":1738584865,\"iss\":\"Vonage\"}",
		    NULL, VERIFY_BAD },
		{ "payload_hash a number",
		    "{\"iat\":1738584865,\"payload_hash\":5}", NULL,
		    VERIFY_BAD },
		{ "no iat", "{\"iss\":\"Vonage\",\"payload_hash\":\"" A1_HASH
		    "\"}", NULL, VERIFY_BAD },
		{ "iat a string", "{\"iat\":\"1738584865\",\"payload_hash\":\""
		    A1_HASH "\"}", NULL, VERIFY_BAD },
		{ "iat a fraction", "{\"iat\":1738584865.5,\"payload_hash\":\""
		    A1_HASH "\"}", NULL, VERIFY_BAD },
		{ "iat an hour old", "{\"iat\":1738581265,\"payload_hash\":\""
		    A1_HASH "\"}", NULL, VERIFY_BAD },
		{ "iat an hour ahead", "{\"iat\":1738588465,\"payload_hash\":\""
		    A1_HASH "\"}", NULL, VERIFY_BAD },
		{ "another iss", "{\"iat\":1738584865,\"iss\":\"Nexmo\","
		    "\"payload_hash\":\"" A1_HASH "\"}", NULL, VERIFY_BAD },
		{ "claims not an object", "[1738584865]", NULL, VERIFY_BAD },
	};
	struct provider p;

	setup(&p, A1_SECRET);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *claims = cases[i].claims ? strdup(cases[i].claims) :
		    claims_for(A1_BODY, A1_IAT, cases[i].extra);
		char *tok = hs_token(HS256, claims, HASH_SHA256, A1_SECRET);
		enum verify_result rc = verify(&p, A1_BODY, tok, A1_IAT);
		if (rc != cases[i].want)
			fail_msg("%s: want %d, got %d", cases[i].what,
			    cases[i].want, rc);
		free(tok);
		free(claims);
	}
	OPS.release(&p);
}

static void
test_headers(void **state)
{
	struct provider p, nosecret;
	struct built b;
	char err[256];

	setup(&p, A1_SECRET);
	/* The same token twice is one token; two different ones are
	 * refused, whichever is right. */
	build(&b, A1_BODY, A1_TOKEN, A1_TOKEN);
	assert_int_equal(OPS.verify(&p, &b.req, A1_IAT), VERIFY_OK);
	build(&b, A1_BODY, A1_TOKEN, A2_TOKEN);
	assert_int_equal(OPS.verify(&p, &b.req, A1_IAT), VERIFY_BAD);
	build(&b, A1_BODY, A2_TOKEN, A1_TOKEN);
	assert_int_equal(OPS.verify(&p, &b.req, A1_IAT), VERIFY_BAD);
	/* Unsigned: a 5xx, which Vonage retries (signed, they say). */
	build(&b, A1_BODY, NULL, NULL);
	assert_int_equal(OPS.verify(&p, &b.req, A1_IAT), VERIFY_ERROR);
	/* Other spellings of the header. */
	static const char *const auths[] = {
		"Basic YWFhMDEyOmFiYzEyMzQ1Njc4OQ==", "Bearer", "Bearer ",
		A1_TOKEN, "Bearer  " A1_TOKEN " ", "",
	};
	for (size_t i = 0; i < sizeof auths / sizeof auths[0]; i++) {
		build(&b, A1_BODY, NULL, NULL);
		b.hdr[b.req.nheaders].name = "Authorization";
		b.hdr[b.req.nheaders++].value = (char *)(uintptr_t)auths[i];
		if (OPS.verify(&p, &b.req, A1_IAT) != VERIFY_BAD)
			fail_msg("Authorization \"%s\" accepted", auths[i]);
	}
	build(&b, A1_BODY, NULL, NULL);
	b.hdr[b.req.nheaders].name = "Authorization";
	b.hdr[b.req.nheaders++].value = "bearer " A1_TOKEN;
	assert_int_equal(OPS.verify(&p, &b.req, A1_IAT), VERIFY_OK);
	/* A token too big to be Vonage's. */
	char *big = malloc(5000);
	memset(big, 'A', 4999);
	big[4999] = '\0';
	assert_int_equal(verify(&p, A1_BODY, big, A1_IAT), VERIFY_BAD);
	free(big);
	OPS.release(&p);
	/* Without a signature secret nothing can be checked. */
	assert_int_equal(configure(&nosecret, err, sizeof err,
	    "type=vonage-messages", "api_key=aaa012", "api_secret=x",
	    "from=+447700900000", NULL), 0);
	assert_int_equal(verify(&nosecret, A1_BODY, A1_TOKEN, A1_IAT),
	    VERIFY_ERROR);
	OPS.release(&nosecret);
}

/* ---- decode ---- */

static enum decode_result
decode(const struct provider *p, const char *body, struct inbound *in)
{
	struct built b;

	build(&b, body, NULL, NULL);
	return provider_decode(p, &b.req, in);
}

static void
test_decode(void **state)
{
	static const struct {
		const char	 *body;
		enum decode_result want;
		const char	 *id, *from, *to, *text;
	} cases[] = {
		{ A1_BODY, DECODE_MESSAGE, "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab",
		    "+447700900001", "+447700900000", "Hello From Vonage!" },
		/* The SDK fixtures' message_type, a long message's parts
		 * count, escapes, non-ASCII. */
		{ "{\"channel\":\"sms\",\"message_type\":\"text\",\"message_uuid\":"
		    "\"u-2\",\"to\":\"447700900000\",\"from\":\"447700900002\","
		    "\"timestamp\":\"2025-02-03T12:14:25Z\",\"text\":\"Zo\\u00eb "
		    "\\\"B\\\" SE1 7PB \xf0\x9f\x98\x80\",\"sms\":{\"num_messages\":"
		    "\"2\"}}", DECODE_MESSAGE, "u-2", "+447700900002",
		    "+447700900000", "Zo\xc3\xab \"B\" SE1 7PB \xf0\x9f\x98\x80" },
		/* A Latin-1 byte in a body that declares no charset. */
		{ "{\"channel\":\"sms\",\"message_uuid\":\"u-3\",\"to\":"
		    "\"447700900000\",\"from\":\"447700900003\",\"text\":"
		    "\"Caf\xe9\"}", DECODE_MESSAGE, "u-3", "+447700900003",
		    "+447700900000", "Caf\xc3\xa9" },
		{ "{\"channel\":\"sms\",\"message_uuid\":\"u-4\",\"from\":"
		    "\"447700900004\",\"text\":\"\"}", DECODE_MESSAGE, "u-4",
		    "+447700900004", "", "" },
		/* Not SMS text: ignored. */
		{ "{\"channel\":\"whatsapp\",\"message_type\":\"text\","
		    "\"message_uuid\":\"w\",\"from\":\"447700900005\",\"to\":"
		    "\"447700900000\",\"text\":\"hi\"}", DECODE_IGNORE, NULL, NULL, NULL, NULL },
		{ "{\"channel\":\"mms\",\"message_type\":\"image\","
		    "\"message_uuid\":\"m\",\"from\":\"447700900005\",\"image\":"
		    "{\"url\":\"https://example.org/x.jpg\"}}", DECODE_IGNORE, NULL, NULL, NULL, NULL },
		{ "{\"channel\":\"sms\",\"message_type\":\"image\","
		    "\"message_uuid\":\"m\",\"from\":\"447700900005\",\"text\":"
		    "\"x\"}", DECODE_IGNORE, NULL, NULL, NULL, NULL },
		/* A status sent to the inbound URL. */
		{ A2_BODY, DECODE_IGNORE, NULL, NULL, NULL, NULL },
		/* Broken. */
		{ "{\"channel\":\"sms\",\"to\":\"447700900000\",\"from\":"
		    "\"447700900005\",\"text\":\"no id\"}", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "{\"channel\":\"sms\",\"message_uuid\":\"u\",\"to\":"
		    "\"447700900000\",\"text\":\"no sender\"}", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "{\"channel\":\"sms\",\"message_uuid\":\"u\",\"from\":"
		    "\"447700900005\"}", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "{\"channel\":\"sms\",\"message_uuid\":\"u\",\"from\":"
		    "\"447700900005\",\"text\":7}", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "{\"message_uuid\":\"u\",\"from\":\"447700900005\",\"text\":"
		    "\"no channel\"}", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "{\"channel\":\"sms\",\"message_uuid\":\"u\",\"from\":"
		    "\"447700900005\",\"text\":\"a\",\"text\":\"b\"}",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "{\"channel\":\"sms\",\"message_uuid\":\"u\",\"from\":"
		    "\"447700900005\",\"text\":\"a\\u0000b\"}", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "[1,2]", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "channel=sms&text=hi", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
	};
	struct provider p;

	setup(&p, A1_SECRET);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct inbound in;
		enum decode_result rc = decode(&p, cases[i].body, &in);
		if (rc != cases[i].want)
			fail_msg("case %zu: want %d, got %d", i, cases[i].want,
			    rc);
		if (rc != DECODE_MESSAGE)
			continue;
		assert_string_equal(in.ext_id, cases[i].id);
		assert_string_equal(in.sender, cases[i].from);
		assert_string_equal(in.recipient, cases[i].to);
		assert_string_equal(in.text, cases[i].text);
		assert_int_equal(in.concat_part, 0);
	}
	/* A text longer than we keep is cut, at a character boundary. */
	char *body, *text = malloc(3 * INBOUND_MAX_TEXT);
	for (size_t i = 0; i < 3 * INBOUND_MAX_TEXT - 2; i += 2)
		memcpy(text + i, "\xc3\xa9", 2);
	text[3 * INBOUND_MAX_TEXT - 2] = '\0';
	assert_true(asprintf(&body, "{\"channel\":\"sms\",\"message_uuid\":"
	    "\"u\",\"from\":\"447700900006\",\"text\":\"%s\"}", text) > 0);
	struct inbound in;
	assert_int_equal(decode(&p, body, &in), DECODE_MESSAGE);
	assert_true(strlen(in.text) < INBOUND_MAX_TEXT);
	assert_int_equal(strlen(in.text) % 2, 0);
	free(body);
	free(text);
	OPS.release(&p);
}

static void
test_decode_status(void **state)
{
	static const struct {
		const char		*body;
		enum decode_result	 want;
		const char		*id;
		enum delivery_state	 state;
		const char		*error;
	} cases[] = {
		{ A2_BODY, DECODE_MESSAGE, "bbbbbbbb-cccc-4ddd-8eee-0123456789ab",
		    DELIVERY_DELIVERED, "" },
		{ "{\"message_uuid\":\"s-1\",\"to\":\"447700900001\",\"from\":"
		    "\"447700900000\",\"timestamp\":\"2025-02-03T12:14:50Z\","
		    "\"status\":\"submitted\",\"channel\":\"sms\",\"sms\":"
		    "{\"count_total\":\"2\"}}", DECODE_MESSAGE, "s-1",
		    DELIVERY_PENDING, "" },
		{ "{\"message_uuid\":\"s-2\",\"status\":\"rejected\",\"channel\":"
		    "\"sms\",\"error\":{\"type\":\"https://developer.vonage.com/"
		    "api-errors/messages#1240\",\"title\":\"1240\",\"detail\":"
		    "\"Illegal Number\",\"instance\":\"bf0ca0bf\"}}",
		    DECODE_MESSAGE, "s-2", DELIVERY_FAILED,
		    "rejected 1240: Illegal Number" },
		{ "{\"message_uuid\":\"s-3\",\"status\":\"undeliverable\"}",
		    DECODE_MESSAGE, "s-3", DELIVERY_FAILED, "undeliverable" },
		{ "{\"message_uuid\":\"s-4\",\"status\":\"failed\"}",
		    DECODE_MESSAGE, "s-4", DELIVERY_FAILED, "failed" },
		/* v0.1's error object. */
		{ "{\"message_uuid\":\"s-5\",\"status\":\"rejected\",\"error\":"
		    "{\"code\":1330,\"reason\":\"Delivery failed\"}}",
		    DECODE_MESSAGE, "s-5", DELIVERY_FAILED,
		    "rejected 1330: Delivery failed" },
		{ "{\"message_uuid\":\"s-6\",\"status\":\"something-new\"}",
		    DECODE_MESSAGE, "s-6", DELIVERY_PENDING, "" },
		{ "{\"status\":\"delivered\"}", DECODE_MALFORMED, NULL, 0, NULL },
		{ "{\"message_uuid\":\"s-7\"}", DECODE_MALFORMED, NULL, 0, NULL },
		{ "{\"message_uuid\":\"\",\"status\":\"delivered\"}",
		    DECODE_MALFORMED, NULL, 0, NULL },
		{ "not json", DECODE_MALFORMED, NULL, 0, NULL },
	};
	struct provider p;

	setup(&p, A2_SECRET);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct built b;
		struct delivery d;
		build(&b, cases[i].body, NULL, NULL);
		enum decode_result rc = OPS.decode_status(&p, &b.req, &d);
		if (rc != cases[i].want)
			fail_msg("case %zu: want %d, got %d", i, cases[i].want,
			    rc);
		if (rc != DECODE_MESSAGE)
			continue;
		assert_string_equal(d.ext_id, cases[i].id);
		assert_int_equal(d.state, cases[i].state);
		assert_string_equal(d.error, cases[i].error);
	}
	/* And the signed example verifies as a receipt too. */
	assert_int_equal(verify(&p, A2_BODY, A2_TOKEN, A2_IAT), VERIFY_OK);
	OPS.release(&p);
}

static void
test_ack(void **state)
{
	struct provider p;
	struct http_resp resp;
	struct reply_ends ends = { "+447700900001", "+447700900000" };

	setup(&p, A1_SECRET);
	http_resp_init(&resp);
	provider_ack(&p, &ends, "a reply", &resp);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.body.len, 0);
	http_resp_release(&resp);
	OPS.release(&p);
}

/* ---- encode ---- */

static const char *
header(const struct http_out *req, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < req->nheaders; i++)
		if (strncasecmp(req->headers[i], name, n) == 0 &&
		    req->headers[i][n] == ':')
			return req->headers[i] + n + 2;
	return NULL;
}

static void
check_body(const struct http_out *req, const char *to, const char *from,
    const char *text, const char *ref)
{
	json_t *o = json_loadb(req->body.data, req->body.len, 0, NULL);

	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o,
	    "message_type")), "text");
	assert_string_equal(json_string_value(json_object_get(o, "channel")),
	    "sms");
	assert_string_equal(json_string_value(json_object_get(o, "to")), to);
	assert_string_equal(json_string_value(json_object_get(o, "from")),
	    from);
	assert_string_equal(json_string_value(json_object_get(o, "text")),
	    text);
	if (ref)
		assert_string_equal(json_string_value(json_object_get(o,
		    "client_ref")), ref);
	else
		assert_null(json_object_get(o, "client_ref"));
	assert_string_equal(json_string_value(json_object_get(o,
	    "webhook_version")), "v1");
	json_decref(o);
}

static void
test_encode_basic(void **state)
{
	struct provider p;
	struct http_out req;
	struct outbound out = { "+447700900001", NULL, "Hi Zo\xc3\xab \"x\"",
	    "gw-42", "https://gw.example.org/status/main" };
	char err[256];
	unsigned char dec[64];
	size_t n;

	setup(&p, A1_SECRET);
	http_out_init(&req);
	assert_int_equal(provider_encode(&p, &out, &req, err, sizeof err), 0);
	assert_string_equal(req.method, "POST");
	assert_string_equal(req.url, "http://127.0.0.1:9/vonage/v1/messages");
	assert_string_equal(header(&req, "Content-Type"), "application/json");
	assert_string_equal(header(&req, "Accept"), "application/json");
	assert_null(header(&req, "Authorization"));
	/* libcurl makes the Basic header from userpwd: A-4's. */
	assert_string_equal(req.userpwd, "aaa012:abc123456789");
	assert_int_equal(base64_decode("YWFhMDEyOmFiYzEyMzQ1Njc4OQ==", 28,
	    dec, sizeof dec, &n), 0);
	assert_memory_equal(dec, req.userpwd, n);
	check_body(&req, "447700900001", "447700900000", out.text, "gw-42");
	json_t *o = json_loadb(req.body.data, req.body.len, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(o,
	    "webhook_url")), "https://gw.example.org/status/main");
	json_decref(o);
	http_out_release(&req);

	/* A sender of the message's own, a key too long for client_ref. */
	struct outbound out2 = { "+447700900001", "BRANCH", "x",
	    "outbox:12345678901234567890123456789012345678901234567890", NULL };
	http_out_init(&req);
	assert_int_equal(provider_encode(&p, &out2, &req, err, sizeof err), 0);
	o = json_loadb(req.body.data, req.body.len, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(o, "from")),
	    "BRANCH");
	const char *ref = json_string_value(json_object_get(o, "client_ref"));
	assert_non_null(ref);
	assert_int_equal(strlen(ref), 32);
	assert_null(json_object_get(o, "webhook_url"));
	json_decref(o);
	http_out_release(&req);

	/* Numbers the API would refuse are refused here. */
	static const char *const bad[] = { "447700900001", "+44", "+44 7700",
	    "+4477009000011234567", "", NULL };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct outbound o3 = { bad[i], NULL, "x", NULL, NULL };
		http_out_init(&req);
		assert_int_equal(provider_encode(&p, &o3, &req, err, sizeof err),
		    -1);
		http_out_release(&req);
	}
	OPS.release(&p);
}

static void
test_encode_jwt(void **state)
{
	struct provider p;
	struct http_out req;
	struct outbound out = { "+447700900001", NULL, "Hello", "gw-7", NULL };
	char err[256], kf[128], jti1[64] = "";

	snprintf(kf, sizeof kf, "private_key_file=%s", key_path);
	if (configure(&p, err, sizeof err, "type=vonage-messages",
	    "signature_secret=" A1_SECRET,
	    "application_id=aaaaaaaa-bbbb-cccc-dddd-0123456789ab", kf,
	    "from=447700900000", "base_url=https://api-eu.nexmo.com", NULL))
		fail_msg("configure: %s", err);
	for (int round = 0; round < 2; round++) {
		long before = (long)time(NULL);
		http_out_init(&req);
		assert_int_equal(provider_encode(&p, &out, &req, err, sizeof err),
		    0);
		long after = (long)time(NULL);
		assert_string_equal(req.url,
		    "https://api-eu.nexmo.com/v1/messages");
		assert_null(req.userpwd);
		assert_string_equal(header(&req, "Content-Type"),
		    "application/json");
		check_body(&req, "447700900001", "447700900000", "Hello",
		    "gw-7");
		const char *auth = header(&req, "Authorization");
		assert_non_null(auth);
		assert_int_equal(strncmp(auth, "Bearer ", 7), 0);
		/* The public half verifies it, as RS256. */
		jwt_t *jwt = NULL;
		assert_int_equal(jwt_decode(&jwt, auth + 7,
		    (unsigned char *)pub_pem, (int)strlen(pub_pem)), 0);
		assert_int_equal(jwt_get_alg(jwt), JWT_ALG_RS256);
		assert_string_equal(jwt_get_header(jwt, "typ"), "JWT");
		assert_string_equal(jwt_get_grant(jwt, "application_id"),
		    "aaaaaaaa-bbbb-cccc-dddd-0123456789ab");
		long iat = jwt_get_grant_int(jwt, "iat");
		long exp = jwt_get_grant_int(jwt, "exp");
		assert_true(iat >= before && iat <= after);
		assert_true(exp > iat && exp - iat <= 900);
		const char *jti = jwt_get_grant(jwt, "jti");
		assert_non_null(jti);
		assert_int_equal(strlen(jti), 36);
		assert_int_equal(jti[14], '4');		/* UUID v4 */
		if (round == 1)
			assert_string_not_equal(jti, jti1);
		snprintf(jti1, sizeof jti1, "%s", jti);
		jwt_free(jwt);
		/* A token's signature changed: the public key refuses it. */
		char *t = strdup(auth + 7);
		size_t n = strlen(t);
		t[n - 10] = t[n - 10] == 'A' ? 'B' : 'A';
		jwt = NULL;
		assert_int_not_equal(jwt_decode(&jwt, t,
		    (unsigned char *)pub_pem, (int)strlen(pub_pem)), 0);
		if (jwt)
			jwt_free(jwt);
		free(t);
		http_out_release(&req);
	}
	OPS.release(&p);
}

/* ---- result ---- */

static void
test_result(void **state)
{
	static const struct {
		int		 status;
		const char	*body;
		enum send_result want;
		const char	*id_or_err;
	} cases[] = {
		{ 202, "{\"message_uuid\":\"aaaaaaaa-bbbb-cccc-dddd-0123456789ab\"}",
		    SEND_OK, "aaaaaaaa-bbbb-cccc-dddd-0123456789ab" },
		{ 202, "{\"message_uuid\":\"m-2\",\"workflow_id\":\"w\"}",
		    SEND_OK, "m-2" },
		{ 200, "{\"message_uuid\":\"m-3\"}", SEND_OK, "m-3" },
		{ 202, "{}", SEND_RETRY, "without a message_uuid" },
		{ 202, "<html>proxy</html>", SEND_RETRY, "without" },
		{ 202, "", SEND_RETRY, "without" },
		{ 422, "{\"type\":\"https://developer.vonage.com/api-errors/"
		    "messages#1150\",\"title\":\"Invalid params\",\"detail\":"
		    "\"The value of one or more parameters is invalid.\","
		    "\"instance\":\"bf0ca0bf-927b-3b52-e2f2-0c3b6bc1e3ba\","
		    "\"invalid_parameters\":[{\"name\":\"to\",\"reason\":"
		    "\"Invalid\"}]}", SEND_FAIL, "HTTP 422: 1150 Invalid params: "
		    "The value of one or more parameters is invalid." },
		{ 401, "{\"type\":\"https://developer.nexmo.com/api-errors/"
		    "#unathorized\",\"title\":\"You did not provide correct "
		    "credentials.\",\"detail\":\"Check that you're using the "
		    "correct credentials\",\"instance\":\"x\"}", SEND_FAIL,
		    "HTTP 401: unathorized You did not provide correct" },
		{ 402, "{\"type\":\"t\",\"title\":\"Low balance\"}", SEND_FAIL,
		    "HTTP 402: Low balance" },
		{ 404, "", SEND_FAIL, "HTTP 404" },
		{ 400, "{\"detail\":\"only detail\"}", SEND_FAIL,
		    "HTTP 400: only detail" },
		{ 301, "", SEND_FAIL, "HTTP 301" },
		{ 429, "{\"type\":\"https://developer.vonage.com/api-errors/"
		    "messages#1000\",\"title\":\"Throttled\"}", SEND_RETRY,
		    "HTTP 429: 1000 Throttled" },
		{ 500, "{\"title\":\"Internal Error\"}", SEND_RETRY,
		    "HTTP 500: Internal Error" },
		{ 503, "oops", SEND_RETRY, "HTTP 503" },
		{ 0, "", SEND_RETRY, "HTTP 0" },
	};
	struct provider p;

	setup(&p, A1_SECRET);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char id[INBOUND_MAX_ID] = "", err[256] = "";
		enum send_result rc = provider_result(&p, cases[i].status,
		    cases[i].body, strlen(cases[i].body), id, sizeof id, err,
		    sizeof err);
		if (rc != cases[i].want)
			fail_msg("case %zu (HTTP %d): want %d, got %d (%s)", i,
			    cases[i].status, cases[i].want, rc, err);
		if (rc == SEND_OK)
			assert_string_equal(id, cases[i].id_or_err);
		else if (strstr(err, cases[i].id_or_err) == NULL)
			fail_msg("case %zu: err \"%s\"", i, err);
	}
	/* A long error is cut, not overrun. */
	char small[16];
	assert_int_equal(provider_result(&p, 422, cases[6].body,
	    strlen(cases[6].body), NULL, 0, small, sizeof small), SEND_FAIL);
	assert_int_equal(strlen(small), sizeof small - 1);
	OPS.release(&p);
}

/* ---- configure ---- */

static void
test_configure(void **state)
{
	char err[256], kf[128], secret_file[] = "/tmp/test-vmsg-XXXXXX",
	    bad_key[] = "/tmp/test-vmsg-bad-XXXXXX", sf[128], bk[128],
	    enc_key[] = "/tmp/test-vmsg-enc-XXXXXX", ek[128];
	struct provider p;
	int fd;

	snprintf(kf, sizeof kf, "private_key_file=%s", key_path);
	assert_true((fd = mkstemp(secret_file)) != -1);
	assert_true(write(fd, A1_SECRET "\n", sizeof A1_SECRET) ==
	    sizeof A1_SECRET);
	close(fd);
	snprintf(sf, sizeof sf, "signature_secret_file=%s", secret_file);
	assert_true((fd = mkstemp(bad_key)) != -1);
	assert_true(write(fd, "not a key\n", 10) == 10);
	close(fd);
	snprintf(bk, sizeof bk, "private_key_file=%s", bad_key);
	/* A pass phrase would be asked for on the terminal. */
	assert_true((fd = mkstemp(enc_key)) != -1);
	static const char enc[] = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
	    "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n"
	    "-----END ENCRYPTED PRIVATE KEY-----\n";
	assert_true(write(fd, enc, sizeof enc - 1) == sizeof enc - 1);
	close(fd);
	snprintf(ek, sizeof ek, "private_key_file=%s", enc_key);

	/* The secret from a file verifies the example. */
	assert_int_equal(configure(&p, err, sizeof err, "type=vonage-messages",
	    sf, "api_key=k", "api_secret=s", "from=+447700900000", NULL), 0);
	assert_int_equal(verify(&p, A1_BODY, A1_TOKEN, A1_IAT), VERIFY_OK);
	OPS.release(&p);

	static const struct {
		const char	*keys[6];
		const char	*err;		/* NULL: configures */
	} cases[] = {
		{ { "application_id=a", "KEY", "from=+447700900000" }, NULL },
		{ { "api_key=k", "api_secret=s", "from=BRANCH" }, NULL },
		{ { "from=+447700900000" }, "not neither" },
		{ { "application_id=a", "KEY", "api_key=k", "api_secret=s",
		    "from=+447700900000" }, "not both" },
		{ { "application_id=a", "from=+447700900000" },
		    "private_key_file is required" },
		{ { "application_id=a", "BADKEY", "from=+447700900000" },
		    "not an RSA private key" },
		{ { "application_id=a", "ENCKEY", "from=+447700900000" },
		    "is encrypted" },
		{ { "application_id=a",
		    "private_key_file=/nonexistent/vmsg.key",
		    "from=+447700900000" }, "/nonexistent/vmsg.key" },
		{ { "application_id=", "KEY", "from=+447700900000" },
		    "application_id is empty" },
		{ { "application_id=a", "KEY", "api_secret=s",
		    "from=+447700900000" }, "api_secret needs api_key" },
		{ { "api_key=k", "from=+447700900000" }, "api_secret" },
		{ { "api_key=k", "api_secret=s", "KEY", "from=+447700900000" },
		    "private_key_file needs application_id" },
		{ { "api_key=k:x", "api_secret=s", "from=+447700900000" },
		    "not an API key" },
		{ { "api_key=k", "api_secret=s" }, "from is required" },
		{ { "api_key=k", "api_secret=s", "from=x",
		    "signature_secret= " }, "signature_secret is empty" },
		{ { "api_key=k", "api_secret=s", "from=x", "sig_secret=x" },
		    "unknown key \"sig_secret\"" },
		{ { "api_key=k", "api_secret=s", "from=x", "base_url=/" },
		    "base_url is empty" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *k[6] = { 0 };
		for (size_t j = 0; j < 6 && cases[i].keys[j]; j++)
			k[j] = !strcmp(cases[i].keys[j], "KEY") ? kf :
			    !strcmp(cases[i].keys[j], "BADKEY") ? bk :
			    !strcmp(cases[i].keys[j], "ENCKEY") ? ek :
			    cases[i].keys[j];
		int rc = configure(&p, err, sizeof err, "type=vonage-messages",
		    k[0], k[1], k[2], k[3], k[4], k[5], NULL);
		if (cases[i].err == NULL) {
			if (rc != 0)
				fail_msg("case %zu: %s", i, err);
			OPS.release(&p);
		} else if (rc != -1 || strstr(err, cases[i].err) == NULL)
			fail_msg("case %zu: rc %d, err \"%s\"", i, rc, err);
		assert_null(strstr(err, "abc123"));
	}
	unlink(secret_file);
	unlink(bad_key);
	unlink(enc_key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_algorithms),
		cmocka_unit_test(test_claims),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_status),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_encode_basic),
		cmocka_unit_test(test_encode_jwt),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_configure),
	};

	return cmocka_run_group_tests(tests, make_key, drop_key);
}
