/*
 * test_provider_shared.c -- what the provider codecs share and what
 * tests/providers/ (the codecs' contracts as data, run by
 * test_providers.c) cannot say: texts made UTF-8 (provider_text),
 * trusted headers that must come once (http_req_trusted), secrets
 * compared whatever their lengths (crypto_secret_eq), Ed25519 itself
 * (RFC 8032), and a Vonage Messages JWT signed with a key made for the
 * run, checked with its public half.
 */
#include <jansson.h>
#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
#define A1_SECRET	"vonage-signature-secret-EXAMPLE-01"
#define URL		"https://sms.example.org/webhooks/main"
#define TOKEN		"test-token-not-real-0123"
#define FFFD		"\xef\xbf\xbd"

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
static void
test_ed25519_rfc8032(void **state)
{
	unsigned char pub[32], sig[64];

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
		assert_int_equal(OPS.encode(&p, &out, &req, err, sizeof err),
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_req_trusted),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_secret_eq),
		cmocka_unit_test(test_ed25519_rfc8032),
		cmocka_unit_test_setup_teardown(test_encode_jwt, make_key,
		    drop_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
