/* test_provider_messagebird.c -- the MessageBird legacy SMS API codec:
 * all 44 cases of the SDK's webhook signature data (docs/providers.md 5.2),
 * tampered copies, claim checks, decode, ack, encode, result, configure,
 * delivery reports. */
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

extern const struct provider_ops provider_messagebird;

#define HEADER	"MessageBird-Signature-JWT"
/* The test data's key and clock: 2021-07-05T12:00:00+02:00. */
#define SECRET	"36efdd1aace2e26cd490f0d951138253bef2f7c6d34d18981da781555cc4cebb"
#define NOW	1625479200
#define PUBLIC	"https://gw.example.org/webhooks/mb"

struct kv {
	const char	*k, *v;
};

/* ---- configuration ---- */

static int
configure(struct provider *p, const struct kv *keys, char *err, size_t errlen)
{
	struct config_pair pairs[16];
	struct config_block cb = { "provider", "mb", 1, pairs, 0 };

	memset(p, 0, sizeof *p);
	p->ops = &provider_messagebird;
	strcpy(p->name, "mb");
	for (; keys->k; keys++, cb.npairs++) {
		assert_true(cb.npairs < 16);
		pairs[cb.npairs].key = (char *)(uintptr_t)keys->k;
		pairs[cb.npairs].value = (char *)(uintptr_t)keys->v;
		pairs[cb.npairs].line = (int)cb.npairs + 2;
	}
	err[0] = '\0';
	return provider_configure(p, &cb, err, errlen);
}

static void
setup(struct provider *p, const char *signing_key)
{
	const struct kv keys[] = {
		{ "type", "messagebird" },
		{ "access_key", "not-a-real-access-key" },
		{ "signing_key", signing_key },
		{ "base_url", "http://127.0.0.1:9/mb/" },
		{ "from", "+447700900000" },
		{ NULL, NULL },
	};
	char err[256];

	if (configure(p, keys, err, sizeof err) != 0)
		fail_msg("configure: %s", err);
}

/* ---- requests ---- */

struct built {
	struct http_req		req;
	struct http_header	hdr[3];
	char			*url, *query, *body;
};

/* A request to url with body (NULL: none) and, unless NULL, the token in
 * the header called header. */
static void
build(struct built *b, const char *method, const char *url, const char *body,
    const char *header, const char *token)
{
	const char *q = strchr(url, '?');

	memset(b, 0, sizeof *b);
	b->url = strdup(url);
	b->query = strdup(q ? q + 1 : "");
	b->body = strdup(body ? body : "");
	b->req.method = method;
	b->req.path = "/webhooks/mb";
	b->req.url = b->url;
	b->req.query = b->query;
	b->req.body = b->body;
	b->req.body_len = strlen(b->body);
	b->req.remote_addr = "127.0.0.1";
	b->req.headers = b->hdr;
	if (body && *body) {
		b->hdr[b->req.nheaders].name = "Content-Type";
		b->hdr[b->req.nheaders++].value =
		    "application/x-www-form-urlencoded";
	}
	if (token) {
		b->hdr[b->req.nheaders].name = (char *)(uintptr_t)header;
		b->hdr[b->req.nheaders++].value = (char *)(uintptr_t)token;
	}
}

static void
unbuild(struct built *b)
{
	free(b->url);
	free(b->query);
	free(b->body);
}

static enum verify_result
run_verify(const char *key, const char *method, const char *url,
    const char *body, const char *header, const char *token, int64_t now)
{
	struct provider p;
	struct built b;
	enum verify_result rc;

	setup(&p, key);
	build(&b, method, url, body, header, token);
	rc = provider_messagebird.verify(&p, &b.req, now);
	unbuild(&b);
	provider_messagebird.release(&p);
	return rc;
}

/* ---- the SDK's webhook signature data ---- */

/*
 * messagebird/python-rest-api@2905d95:tests/test_request_validator/
 * webhook_signature_test_data.json, all 44 cases: each row here is one
 * case run with every HTTP method the file runs it with (the method is not
 * signed).  The secret is SECRET for every case and the clock NOW.
 */
static const struct vector {
	const char	*name;
	const char	*methods;
	const char	*url;
	const char	*payload;	/* NULL: none */
	const char	*token;
	int		 valid;
	int		 sig_ok;	/* does the JWT signature itself hold?
					   (so an invalid case fails for the
					   reason the file gives) */
} vectors[] = {
	{ "Valid JWT with no URL parameters or payload",
	    "DELETE GET PATCH POST PUT",
	    "https://example.com/",
	    NULL,
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI"
	    "1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGF"
	    "zaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWR"
	    "jMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.6Fp0rVOsRr1fj9S2GidXAfkm"
	    "PVofKr8_RTffC6G6r2E",
	    1, 1 },
	{ "Valid JWT with URL parameters and no payload",
	    "DELETE GET PATCH POST PUT",
	    "https://example.com/path?bar=1&foo=2",
	    NULL,
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiJ"
	    "jOTQ2YWY3Ny1lMTgyLTRlYWEtYjJmZi0xYTU0NWI1ZTk5MWEiLCJ1cmxfaGF"
	    "zaCI6IjQxZjA1ZjBkZGQwYTIyYWIyMDlhYzQ2ZjQ3YzQ1NzJkOWNlZmEyNTd"
	    "lZDc0YjI0MDA0YmFlNzUzZWNlNmMyNjAifQ.huo2ou6JDoDc7sV25d75UMWe"
	    "YhBeavQlLsqIibSZuac",
	    1, 1 },
	{ "Valid JWT with URL parameters and payload",
	    "DELETE GET PATCH POST PUT",
	    "https://example.com/path?bar=1&foo=2",
	    "Hello, World!",
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI"
	    "5M2U1NTAwNi1hMGU4LTQ1MjYtYTE5MC1mYTVmZjAwZWExMTYiLCJ1cmxfaGF"
	    "zaCI6IjQxZjA1ZjBkZGQwYTIyYWIyMDlhYzQ2ZjQ3YzQ1NzJkOWNlZmEyNTd"
	    "lZDc0YjI0MDA0YmFlNzUzZWNlNmMyNjAiLCJwYXlsb2FkX2hhc2giOiJkZmZ"
	    "kNjAyMWJiMmJkNWIwYWY2NzYyOTA4MDllYzNhNTMxOTFkZDgxYzdmNzBhNGI"
	    "yODY4OGEzNjIxODI5ODZmIn0._H--TOuYFLpeEH39-rg5E3IHVkjHozBcaKV"
	    "WPRC5m9I",
	    1, 1 },
	{ "Token received before it was issued",
	    "GET",
	    "https://example.com/",
	    NULL,
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ4MjgwMCwiZXhwIjoxNjI1NDgyODYwLCJqdGkiOiJ"
	    "mOWY4YzM4Mi0yNDQ5LTQzMTEtYjcyYi0xZGY3MTY4NzkzMWUiLCJ1cmxfaGF"
	    "zaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWR"
	    "jMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.ZELgDFNGhjZH9CffQKcq3syt"
	    "Be2I0KciLxpBhcfstHQ",
	    0, 1 },
	{ "Token received after it was expired",
	    "GET",
	    "https://example.com/",
	    NULL,
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3NTYwMCwiZXhwIjoxNjI1NDc1NjYwLCJqdGkiOiI"
	    "1ZjAyZjUyMi02MDMwLTQ2YzgtYjVhMy0wMTI0NjQ3OGQ4YmMiLCJ1cmxfaGF"
	    "zaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWR"
	    "jMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.45MSST3B_2PsjNUeiuW54_vU"
	    "QgVw4rBXrdWrOUEz3lM",
	    0, 1 },
	{ "Token received on different URL (parameters were sorted out "
	    "of order)",
	    "GET",
	    "https://example.com/path?foo=1&bar=2",
	    NULL,
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiJ"
	    "hNzVjOTA5Ni1lODIzLTQ0MmItODVmMi03ZDNjOWQ5YjcyNmIiLCJ1cmxfaGF"
	    "zaCI6IjZhMDIyZDgzNGMxODMzMGJhYWQ4YTJiZDYxMzUxNzNlZDIxNjEwYTQ"
	    "1NDUxNmJlMGRmM2YxY2MwMTUxNjEwZWEifQ.z6Sw1XQIM0wuEQGBhXBdawDI"
	    "IrtMg2XnmA_bpDq53pE",
	    0, 1 },
	{ "Payload does not match",
	    "DELETE GET PATCH POST PUT",
	    "https://example.com/",
	    "Hello, World!",
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI"
	    "xNDUwMTUzMi05NmYyLTQ2ODQtOTgzMi02OGYwOTUxYWUzNDIiLCJ1cmxfaGF"
	    "zaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWR"
	    "jMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDciLCJwYXlsb2FkX2hhc2giOiJmYjY"
	    "yZjAyYWNkYTdkNzQxNzdhNzAxYTFjZTAwNmU2YmFjZDkwYzdkNGQ3YWI0ODE"
	    "2OTJjMWRhNDdjODEwNzZiIn0.m79RCwO6dGa9pvzsQypkVuXQ6eM0CkRl6_U"
	    "7MfWg6TM",
	    0, 1 },
	{ "Different secret",
	    "GET",
	    "https://example.com/",
	    NULL,
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI"
	    "yNDNjMjdhZS0yZjAyLTQ2YTAtODg1Mi1jNjZmMzdlYTlmNDYiLCJ1cmxfaGF"
	    "zaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWR"
	    "jMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.JgSeYyOtlEKAXk8bz30iJI4t"
	    "Xgf4lxknoiezawuVhb4",
	    0, 0 },
	{ "payload was removed in transit",
	    "DELETE GET PATCH POST PUT",
	    "https://example.com/",
	    "",
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI"
	    "xNDUwMTUzMi05NmYyLTQ2ODQtOTgzMi02OGYwOTUxYWUzNDIiLCJ1cmxfaGF"
	    "zaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWR"
	    "jMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDciLCJwYXlsb2FkX2hhc2giOiJkZmZ"
	    "kNjAyMWJiMmJkNWIwYWY2NzYyOTA4MDllYzNhNTMxOTFkZDgxYzdmNzBhNGI"
	    "yODY4OGEzNjIxODI5ODZmIn0.bHfsjj3tljfzTufoG3EU3p_yFrQh9CufyzR"
	    "SaRMd4ss",
	    0, 1 },
	{ "payload was added in transit",
	    "DELETE GET PATCH POST PUT",
	    "https://example.com/",
	    "Hello, World!",
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI"
	    "1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGF"
	    "zaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWR"
	    "jMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.6Fp0rVOsRr1fj9S2GidXAfkm"
	    "PVofKr8_RTffC6G6r2E",
	    0, 1 },
	{ "Port number in URL",
	    "GET",
	    "https://example.com:8080/",
	    NULL,
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI"
	    "1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGF"
	    "zaCI6IjA3Zjc4NjFhNjliMTNjMjI5YzZhZTU5NmQxOThiMjc2M2IwNTRjZjV"
	    "lMDAwZDczNmQxYzQ4MTAyZDc3MGNmZmMifQ.vcpa0IicGAbpo064dOjiA2Vb"
	    "VOR2S5uZBEaBOP16sS8",
	    1, 1 },
	{ "Special characters in URL",
	    "GET",
	    "https://example.com/?obj%5Bfield1%5D=val1&obj%5Bfield2%5D=va"
	    "l2&param=value+with+spaces",
	    NULL,
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI"
	    "1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGF"
	    "zaCI6IjhhZmYzNzQ4ZDc4OWM0MzMzNTczZTFjMzFmZTViMDA0OTQwY2I1ZmM"
	    "0NzQ2MGVkM2QwZTY1NGY3ZmM0ZTVmYWUifQ.mJBCMfEjKmN3IMuzqPXPHktW"
	    "ETrcu0iNdF3agE8PDyI",
	    1, 1 },
	{ "Special characters in the payload",
	    "DELETE GET PATCH POST PUT",
	    "https://example.com/",
	    "Some text containg & < >, & and \\u0026",
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI"
	    "1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGF"
	    "zaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWR"
	    "jMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDciLCJwYXlsb2FkX2hhc2giOiIyNDM"
	    "xYmQ5Y2NiNDhlZDAxNmZhZDU2N2IwNzcxMjAzOGI1Y2RkOTQ5YWM5ZDQxZmU"
	    "0NjkzZDVhMzg0NWNmN2U4In0.IQiKzeEPaO3A48lhKmBDSmxZyCESPCGxdSK"
	    "Fdi0dEJs",
	    1, 1 },
	{ "HS384 alg",
	    "GET",
	    "https://example.com/",
	    NULL,
	    "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI"
	    "1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGF"
	    "zaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWR"
	    "jMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.KNMW-29X77lZeuPmThmHWc_R"
	    "UAvTkaDkpxIZK6mqE08v8mWKiU9Edh4QXwAJO2nv",
	    1, 1 },
	{ "HS512 alg",
	    "GET",
	    "https://example.com/",
	    NULL,
	    "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQml"
	    "yZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI"
	    "1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGF"
	    "zaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWR"
	    "jMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.rd6r0iMyNGnVPCwurETphE3Y"
	    "8rpAyvvnUK0S8WvGUkt2E1QSRAZ7NZJZBHw1Y_Wb5W-sK9HJr_PRL2vz4jRT"
	    "3Q",
	    1, 1 },
	{ "none alg",
	    "GET",
	    "https://example.com/",
	    NULL,
	    "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJNZXNzYWdlQmly"
	    "ZCIsImlhdCI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1"
	    "OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFz"
	    "aCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRj"
	    "MzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.",
	    0, 0 },
};

static void
test_vectors(void **state)
{
	size_t runs = 0;

	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		const struct vector *v = &vectors[i];
		char methods[64], *s = methods, *m;
		char *payload = NULL;

		/* A typo in a token must not pass for the failure the file
		 * expects. */
		assert_int_equal(crypto_jwt_verify_hs(v->token, SECRET,
		    strlen(SECRET), &payload), v->sig_ok);
		free(payload);
		strcpy(methods, v->methods);
		while ((m = strsep(&s, " ")) != NULL) {
			enum verify_result rc = run_verify(SECRET, m, v->url,
			    v->payload, HEADER, v->token, NOW);
			if (rc != (v->valid ? VERIFY_OK : VERIFY_BAD))
				fail_msg("%s - %s: got %d", v->name, m, rc);
			runs++;
		}
	}
	assert_int_equal(runs, 44);
}

/* Replace the first from in s by to, into out. */
static void
swap(char *out, size_t len, const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);

	assert_non_null(at);
	snprintf(out, len, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
}

/* Tampered copies of every valid case. */
static void
test_tampered(void **state)
{
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		const struct vector *v = &vectors[i];
		char url[256], body[128], token[512];
		const char *p = v->payload, *t = v->token;
		size_t n;

		if (!v->valid)
			continue;
#define BAD(what, key, u, b, h, tok, now) \
	if (run_verify(key, "POST", u, b, h, tok, now) != VERIFY_BAD) \
		fail_msg("%s: %s verified", v->name, what)
#define OK(what, key, u, b, h, tok, now) \
	if (run_verify(key, "POST", u, b, h, tok, now) != VERIFY_OK) \
		fail_msg("%s: %s did not verify", v->name, what)

		OK("as given", SECRET, v->url, p, HEADER, t, NOW);
		OK("header in lower case", SECRET, v->url, p,
		    "messagebird-signature-jwt", t, NOW);
		/* The edges of nbf and exp (nbf = NOW, exp = NOW + 60, one
		 * second of leeway). */
		OK("at nbf - 1", SECRET, v->url, p, HEADER, t, NOW - 1);
		OK("at exp", SECRET, v->url, p, HEADER, t, NOW + 60);
		BAD("at nbf - 2", SECRET, v->url, p, HEADER, t, NOW - 2);
		BAD("at exp + 1", SECRET, v->url, p, HEADER, t, NOW + 61);
		BAD("a day late", SECRET, v->url, p, HEADER, t, NOW + 86400);

		/* Changed URL: host, scheme, port, path, query. */
		swap(url, sizeof url, v->url, "example.com", "example.org");
		BAD("other host", SECRET, url, p, HEADER, t, NOW);
		swap(url, sizeof url, v->url, "https:", "http:");
		BAD("http", SECRET, url, p, HEADER, t, NOW);
		if (strstr(v->url, ":8080"))
			swap(url, sizeof url, v->url, ":8080", "");
		else
			swap(url, sizeof url, v->url, ".com", ".com:443");
		BAD("port", SECRET, url, p, HEADER, t, NOW);
		snprintf(url, sizeof url, "%s%s", v->url,
		    strchr(v->url, '?') ? "&x=1" : "?x=1");
		BAD("param added", SECRET, url, p, HEADER, t, NOW);
		if (strstr(v->url, "=1")) {
			swap(url, sizeof url, v->url, "=1", "=3");
			BAD("param changed", SECRET, url, p, HEADER, t, NOW);
		}
		if ((n = strlen(v->url)) > 0 && v->url[n - 1] == '/') {
			snprintf(url, sizeof url, "%.*s", (int)n - 1, v->url);
			BAD("no final /", SECRET, url, p, HEADER, t, NOW);
		}

		/* Changed body. */
		if (p) {
			snprintf(body, sizeof body, "%s", p);
			body[0] ^= 0x20;
			BAD("body changed", SECRET, v->url, body, HEADER, t, NOW);
			snprintf(body, sizeof body, "%s ", p);
			BAD("body longer", SECRET, v->url, body, HEADER, t, NOW);
			BAD("body gone", SECRET, v->url, NULL, HEADER, t, NOW);
		} else
			BAD("body added", SECRET, v->url, "x", HEADER, t, NOW);

		/* Wrong key, no token, a spoilt token. */
		BAD("wrong key", SECRET "0", v->url, p, HEADER, t, NOW);
		BAD("key cut", "36efdd1aace2e26cd490f0d951138253", v->url, p,
		    HEADER, t, NOW);
		BAD("no header", SECRET, v->url, p, HEADER, NULL, NOW);
		BAD("other header", SECRET, v->url, p, "MessageBird-Signature",
		    t, NOW);
		BAD("empty token", SECRET, v->url, p, HEADER, "", NOW);
		n = strlen(t);
		snprintf(token, sizeof token, "%s", t);
		token[n - 2] = token[n - 2] == 'A' ? 'B' : 'A';
		BAD("signature changed", SECRET, v->url, p, HEADER, token, NOW);
		snprintf(token, sizeof token, "%s", t);
		token[40] = token[40] == 'A' ? 'B' : 'A';
		BAD("claims changed", SECRET, v->url, p, HEADER, token, NOW);
		snprintf(token, sizeof token, "%.*s", (int)n - 5, t);
		BAD("token cut", SECRET, v->url, p, HEADER, token, NOW);
		snprintf(token, sizeof token, "%s.e30", t);
		BAD("four parts", SECRET, v->url, p, HEADER, token, NOW);
		snprintf(token, sizeof token, "%.*s", (int)(strrchr(t, '.') -
		    t + 1), t);
		BAD("no signature", SECRET, v->url, p, HEADER, token, NOW);
#undef OK
#undef BAD
	}
}

/* base64url without padding, as JWT segments are. */
static void
b64url(const void *in, size_t len, char *out, size_t outlen)
{
	char *c;

	assert_true(base64_encode(in, len, out, outlen) > 0);
	for (c = out; *c && *c != '='; c++)
		if (*c == '+')
			*c = '-';
		else if (*c == '/')
			*c = '_';
	*c = '\0';
}

/* A token with this header and these claims, signed with key (HS256,
 * HS384 or HS512 as hash says). */
static char *
make_jwt(const char *key, enum crypto_hash hash, const char *header,
    const char *claims)
{
	char h[512], c[1024], sig[128], *signing, *token;
	unsigned char mac[CRYPTO_MAX_DIGEST];
	size_t n;

	b64url(header, strlen(header), h, sizeof h);
	b64url(claims, strlen(claims), c, sizeof c);
	if (asprintf(&signing, "%s.%s", h, c) == -1)
		fail();
	n = crypto_hmac(hash, key, strlen(key), signing, strlen(signing), mac);
	b64url(mac, n, sig, sizeof sig);
	if (asprintf(&token, "%s.%s", signing, sig) == -1)
		fail();
	free(signing);
	return token;
}

/* The claims one at a time, with tokens signed here. */
static void
test_claims(void **state)
{
	/* sha256("https://example.com/") and sha256("Hello, World!") */
#define URLH	"0f115db062b7c0dd030b16878c99dea5c354b49dc37b38eb8846179c7783e9d7"
#define URLH_UP	"0F115DB062B7C0DD030B16878C99DEA5C354B49DC37B38EB8846179C7783E9D7"
#define BODYH	"dffd6021bb2bd5b0af676290809ec3a53191dd81c7f70a4b28688a362182986f"
#define HS256	"{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
	static const struct {
		const char	*what;
		const char	*header;
		const char	*claims;
		const char	*body;
		enum verify_result want;
	} cases[] = {
		{ "all there", HS256, "{\"iss\":\"MessageBird\",\"nbf\":1625479200,"
		    "\"exp\":1625479260,\"jti\":\"x\",\"url_hash\":\"" URLH "\"}",
		    NULL, VERIFY_OK },
		{ "with a body", HS256, "{\"iss\":\"MessageBird\",\"nbf\":"
		    "1625479200,\"exp\":1625479260,\"url_hash\":\"" URLH "\","
		    "\"payload_hash\":\"" BODYH "\"}", "Hello, World!",
		    VERIFY_OK },
		{ "upper-case hex", HS256, "{\"iss\":\"MessageBird\",\"nbf\":"
		    "1625479200,\"exp\":1625479260,\"url_hash\":\"" URLH_UP "\"}",
		    NULL, VERIFY_OK },
		{ "no iss", HS256, "{\"nbf\":1625479200,\"exp\":1625479260,"
		    "\"url_hash\":\"" URLH "\"}", NULL, VERIFY_BAD },
		{ "other iss", HS256, "{\"iss\":\"Messagebird\",\"nbf\":"
		    "1625479200,\"exp\":1625479260,\"url_hash\":\"" URLH "\"}",
		    NULL, VERIFY_BAD },
		{ "no nbf", HS256, "{\"iss\":\"MessageBird\",\"exp\":1625479260,"
		    "\"url_hash\":\"" URLH "\"}", NULL, VERIFY_BAD },
		{ "no exp", HS256, "{\"iss\":\"MessageBird\",\"nbf\":1625479200,"
		    "\"url_hash\":\"" URLH "\"}", NULL, VERIFY_BAD },
		{ "nbf a string", HS256, "{\"iss\":\"MessageBird\",\"nbf\":"
		    "\"1625479200\",\"exp\":1625479260,\"url_hash\":\"" URLH
		    "\"}", NULL, VERIFY_BAD },
		{ "no url_hash", HS256, "{\"iss\":\"MessageBird\",\"nbf\":"
		    "1625479200,\"exp\":1625479260}", NULL, VERIFY_BAD },
		{ "url_hash short", HS256, "{\"iss\":\"MessageBird\",\"nbf\":"
		    "1625479200,\"exp\":1625479260,\"url_hash\":\"0f115db0\"}",
		    NULL, VERIFY_BAD },
		{ "url_hash not hex", HS256, "{\"iss\":\"MessageBird\",\"nbf\":"
		    "1625479200,\"exp\":1625479260,\"url_hash\":\"zz\"}", NULL,
		    VERIFY_BAD },
		{ "url_hash a number", HS256, "{\"iss\":\"MessageBird\",\"nbf\":"
		    "1625479200,\"exp\":1625479260,\"url_hash\":1}", NULL,
		    VERIFY_BAD },
		{ "payload_hash null, no body", HS256, "{\"iss\":\"MessageBird\","
		    "\"nbf\":1625479200,\"exp\":1625479260,\"url_hash\":\"" URLH
		    "\",\"payload_hash\":null}", NULL, VERIFY_BAD },
		{ "claims twice", HS256, "{\"iss\":\"MessageBird\",\"nbf\":"
		    "1625479200,\"exp\":1625479260,\"url_hash\":\"" URLH "\","
		    "\"url_hash\":\"" URLH "\"}", NULL, VERIFY_BAD },
		{ "claims not an object", HS256, "[1]", NULL, VERIFY_BAD },
		{ "claims not JSON", HS256, "{\"iss\":", NULL, VERIFY_BAD },
		{ "RS256", "{\"alg\":\"RS256\"}", "{\"iss\":\"MessageBird\","
		    "\"nbf\":1625479200,\"exp\":1625479260,\"url_hash\":\"" URLH
		    "\"}", NULL, VERIFY_BAD },
	};
	struct provider p;
	struct built b;

	setup(&p, SECRET);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *token = make_jwt(SECRET, HASH_SHA256, cases[i].header,
		    cases[i].claims);
		build(&b, "POST", "https://example.com/", cases[i].body, HEADER,
		    token);
		enum verify_result rc = provider_messagebird.verify(&p, &b.req,
		    NOW);
		if (rc != cases[i].want)
			fail_msg("%s: want %d, got %d", cases[i].what,
			    cases[i].want, rc);
		unbuild(&b);
		free(token);
	}

	/* HS256 named, HS512 used. */
	char *token = make_jwt(SECRET, HASH_SHA512, HS256, cases[0].claims);
	build(&b, "GET", "https://example.com/", NULL, HEADER, token);
	assert_int_equal(provider_messagebird.verify(&p, &b.req, NOW),
	    VERIFY_BAD);
	unbuild(&b);
	free(token);

	/* No public URL to check against: a configuration fault. */
	build(&b, "GET", "https://example.com/", NULL, HEADER,
	    vectors[0].token);
	b.req.url = NULL;
	assert_int_equal(provider_messagebird.verify(&p, &b.req, NOW),
	    VERIFY_ERROR);
	unbuild(&b);
	provider_messagebird.release(&p);
#undef URLH
#undef URLH_UP
#undef BODYH
#undef HS256
}

/*
 * The deprecated scheme (docs/providers.md 5.2, tests/test_signed_request.py
 * vector): a request signed only that way, however right, is refused.
 */
static void
test_legacy_refused(void **state)
{
	struct provider p;
	struct built b;

	setup(&p, "PlLrKaqvZNRR5zAjm42ZT6q1SQxgbbGd");
	build(&b, "GET", PUBLIC "?id=eef0ab57a9e049be946f3821568c2b2e&"
	    "mccmnc=20408&ported=1&recipient=31612345678&reference=FOO&"
	    "status=delivered&statusDatetime=2019-01-11T09%3A17%3A11%2B00%3A00",
	    NULL, "MessageBird-Signature",
	    "KVBdcVdz2lYMwcBLZCRITgxUfA/WkwSi+T3Wxl2HL6w=");
	b.hdr[b.req.nheaders].name = "MessageBird-Request-Timestamp";
	b.hdr[b.req.nheaders++].value = "1547198231";
	assert_int_equal(provider_messagebird.verify(&p, &b.req, 1547198231),
	    VERIFY_BAD);
	unbuild(&b);
	provider_messagebird.release(&p);
}

/* ---- decode ---- */

static void
test_decode(void **state)
{
	static const struct {
		const char	*method;	/* POST: data is the body */
		const char	*data;
		enum decode_result want;
		const char	*sender, *recipient, *text, *id;
	} cases[] = {
		/* A long number, as courier's fixture has it (numbers
		 * changed to drama ones). */
		{ "POST", "recipient=447700900000&originator=447700900001&"
		    "body=Test+again&createdDatetime=2023-07-27T00%3A49%3A29%2B"
		    "00%3A00&id=b6aae1b5dfb2427a8f7ea6a717ba31a9&reference=1&"
		    "date=1690386569&date_utc=1690418969&mms=false",
		    DECODE_MESSAGE, "+447700900001", "+447700900000",
		    "Test again", "b6aae1b5dfb2427a8f7ea6a717ba31a9" },
		{ "GET", "recipient=447700900000&originator=447700900001&"
		    "body=SW1A+1AA&createdDatetime=2023-07-27T00%3A49%3A29%2B"
		    "00%3A00&id=b6aae1b5dfb2427a8f7ea6a717ba31a9",
		    DECODE_MESSAGE, "+447700900001", "+447700900000",
		    "SW1A 1AA", "b6aae1b5dfb2427a8f7ea6a717ba31a9" },
		/* A short code: message and mid, and the code kept as is. */
		{ "POST", "shortcode=51515&originator=447700900002&"
		    "message=Test+again&mid=3b53c137369242138120d6b0b2122607&"
		    "receive_datetime=20230727004929&keyword=TEST&body=Test+3&"
		    "id=b6aae1b5dfb2427a8f7ea6a717ba31a9",
		    DECODE_MESSAGE, "+447700900002", "51515", "Test again",
		    "3b53c137369242138120d6b0b2122607" },
		/* Unicode. */
		{ "POST", "recipient=447700900000&originator=447700900003&"
		    "body=caf%C3%A9+%F0%9F%98%80&id=u1", DECODE_MESSAGE,
		    "+447700900003", "+447700900000",
		    "caf\xc3\xa9 \xf0\x9f\x98\x80", "u1" },
		/* An alphanumeric sender stays a name. */
		{ "POST", "recipient=447700900000&originator=Acme&body=Hi&id=a1",
		    DECODE_MESSAGE, "Acme", "+447700900000", "Hi", "a1" },
		/* No recipient is no harm. */
		{ "POST", "originator=447700900001&body=Hi&id=a2",
		    DECODE_MESSAGE, "+447700900001", "", "Hi", "a2" },
		/* An empty text is still a message. */
		{ "POST", "originator=447700900001&body=&id=a3",
		    DECODE_MESSAGE, "+447700900001", "", "", "a3" },
		/* Not messages. */
		{ "POST", "originator=447700900001&id=m1&recipient=447700900000&"
		    "mediaUrls=https%3A%2F%2Fimg.example.org%2Fa.jpg&body=",
		    DECODE_IGNORE, NULL, NULL, NULL, NULL },
		{ "GET", "id=b6aae1b5dfb2427a8f7ea6a717ba31a9&"
		    "recipient=447700900123&status=delivered",
		    DECODE_IGNORE, NULL, NULL, NULL, NULL },
		/* Truncated. */
		{ "POST", "recipient=447700900000&originator=447700900001&"
		    "body=Hi%2", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "POST", "recipient=447700900000&originator=4477009",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "POST", "", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		/* Missing sender, id, text. */
		{ "POST", "recipient=447700900000&body=Hi&id=x",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "POST", "recipient=447700900000&originator=&body=Hi&id=x",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "POST", "recipient=447700900000&originator=447700900001&"
		    "body=Hi", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "POST", "recipient=447700900000&originator=447700900001&id=x",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		/* Too long to keep, or a NUL: malformed, not left out. */
		{ "POST", "shortcode=51515%00&originator=447700900002&"
		    "message=Hi&mid=x", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "POST", "recipient=4477009%000000&originator=447700900002&"
		    "body=Hi&id=x", DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		/* A short code takes mid and message, not id and body. */
		{ "POST", "shortcode=51515&originator=447700900002&body=Hi&id=x",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		/* NUL bytes. */
		{ "POST", "originator=447700900001&body=a%00b&id=x",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
		{ "POST", "originator=447700900001&body=ab&id=x%00",
		    DECODE_MALFORMED, NULL, NULL, NULL, NULL },
	};
	struct provider p;
	struct inbound in;
	struct built b;

	setup(&p, SECRET);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char url[1024];
		int post = strcmp(cases[i].method, "POST") == 0;

		snprintf(url, sizeof url, "%s%s%s", PUBLIC, post ? "" : "?",
		    post ? "" : cases[i].data);
		build(&b, cases[i].method, url, post ? cases[i].data : NULL,
		    NULL, NULL);
		memset(&in, 'x', sizeof in);
		enum decode_result rc = provider_messagebird.decode(&p, &b.req,
		    &in);
		if (rc != cases[i].want)
			fail_msg("%s: want %d, got %d", cases[i].data,
			    cases[i].want, rc);
		if (rc == DECODE_MESSAGE) {
			assert_string_equal(in.sender, cases[i].sender);
			assert_string_equal(in.recipient, cases[i].recipient);
			assert_string_equal(in.text, cases[i].text);
			assert_string_equal(in.ext_id, cases[i].id);
			assert_string_equal(in.concat_ref, "");
			assert_int_equal(in.concat_part, 0);
			assert_int_equal(in.concat_total, 0);
		}
		unbuild(&b);
	}

	/* A POST body wins over its URL's query. */
	build(&b, "POST", PUBLIC "?originator=447700900009&body=query&id=q",
	    "originator=447700900001&body=body&id=b", NULL, NULL);
	assert_int_equal(provider_messagebird.decode(&p, &b.req, &in),
	    DECODE_MESSAGE);
	assert_string_equal(in.sender, "+447700900001");
	assert_string_equal(in.text, "body");
	unbuild(&b);
	provider_messagebird.release(&p);
}

static void
test_decode_oversize(void **state)
{
	static const struct {
		const char	*field;
		size_t		 len;
		enum decode_result want;
	} cases[] = {
		{ "body", INBOUND_MAX_TEXT - 1, DECODE_MESSAGE },
		{ "body", INBOUND_MAX_TEXT, DECODE_MALFORMED },
		{ "body", 60000, DECODE_MALFORMED },
		{ "originator", INBOUND_MAX_NUMBER - 2, DECODE_MESSAGE },
		{ "originator", INBOUND_MAX_NUMBER - 1, DECODE_MALFORMED },
		{ "recipient", INBOUND_MAX_NUMBER - 2, DECODE_MESSAGE },
		{ "recipient", INBOUND_MAX_NUMBER - 1, DECODE_MALFORMED },
		{ "id", INBOUND_MAX_ID - 1, DECODE_MESSAGE },
		{ "id", INBOUND_MAX_ID, DECODE_MALFORMED },
		{ "shortcode", INBOUND_MAX_NUMBER - 1, DECODE_MESSAGE },
		{ "shortcode", INBOUND_MAX_NUMBER, DECODE_MALFORMED },
	};
	struct provider p;
	struct inbound in;
	struct built b;

	setup(&p, SECRET);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int sc = strcmp(cases[i].field, "shortcode") == 0;
		struct kv kv[] = {
			{ "originator", "447700900001" },
			{ sc ? "shortcode" : "recipient", "447700900000" },
			{ sc ? "message" : "body", "Hi" },
			{ sc ? "mid" : "id", "x" },
			{ NULL, NULL },
		};
		struct buf form;
		char *big = malloc(cases[i].len + 1);

		memset(big, '7', cases[i].len);
		big[cases[i].len] = '\0';
		buf_init(&form, 0);
		for (struct kv *k = kv; k->k; k++)
			http_form_add(&form, k->k, strcmp(k->k,
			    cases[i].field) ? k->v : big);
		build(&b, "POST", PUBLIC, form.data, NULL, NULL);
		enum decode_result rc = provider_messagebird.decode(&p, &b.req,
		    &in);
		if (rc != cases[i].want)
			fail_msg("%s of %zu: want %d, got %d", cases[i].field,
			    cases[i].len, cases[i].want, rc);
		if (rc == DECODE_MESSAGE && strcmp(cases[i].field, "body") == 0)
			assert_int_equal(strlen(in.text), cases[i].len);
		unbuild(&b);
		buf_release(&form);
		free(big);
	}
	provider_messagebird.release(&p);
}

/* ---- ack ---- */

static void
test_ack(void **state)
{
	struct provider p;
	struct http_resp resp;

	setup(&p, SECRET);
	for (int i = 0; i < 2; i++) {
		http_resp_init(&resp);
		provider_messagebird.ack(&p, NULL, i ? "Thanks" : NULL, &resp);
		assert_int_equal(resp.status, 200);
		assert_string_equal(resp.content_type, "text/plain");
		assert_int_equal(resp.body.len, 2);
		assert_memory_equal(resp.body.data, "OK", 2);
		assert_int_equal(resp.nheaders, 0);
		http_resp_release(&resp);
	}
	assert_int_equal(provider_messagebird.inline_reply, 0);
	assert_int_equal(provider_messagebird.unique_ids, 1);
	assert_string_equal(provider_messagebird.name, "messagebird");
	provider_messagebird.release(&p);
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
		    "{\"originator\":\"447700900000\",\"recipients\":"
		    "[\"447700900123\"],\"body\":\"Hello world\","
		    "\"datacoding\":\"auto\",\"reference\":\"idem-1\"}" },
		{ "+447700900123", "Acme", "Nearest: \"Leeds\" \xe2\x98\xba",
		    "idem-2", "https://gw.example.org/status/mb",
		    "{\"originator\":\"Acme\",\"recipients\":[\"447700900123\"],"
		    "\"body\":\"Nearest: \\\"Leeds\\\" \xe2\x98\xba\","
		    "\"datacoding\":\"auto\",\"reference\":\"idem-2\","
		    "\"reportUrl\":\"https://gw.example.org/status/mb\"}" },
		{ "+447700900123", "+447700900999", "x", NULL, NULL,
		    "{\"originator\":\"447700900999\",\"recipients\":"
		    "[\"447700900123\"],\"body\":\"x\",\"datacoding\":\"auto\"}" },
		/* not E.164, not UTF-8 */
		{ "447700900123", NULL, "x", NULL, NULL, NULL },
		{ "+44 7700 900123", NULL, "x", NULL, NULL, NULL },
		{ "+", NULL, "x", NULL, NULL, NULL },
		{ NULL, NULL, "x", NULL, NULL, NULL },
		{ "+447700900123", NULL, "bad \xff byte", NULL, NULL, NULL },
	};
	struct provider p;

	setup(&p, SECRET);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct outbound out = { cases[i].to, cases[i].from,
		    cases[i].text, cases[i].idem, cases[i].status_url };
		struct http_out req;
		char err[256] = "";

		http_out_init(&req);
		int rc = provider_encode(&p, &out, &req, err,
		    sizeof err);
		if (cases[i].body == NULL) {
			if (rc != -1 || err[0] == '\0')
				fail_msg("case %zu: encoded", i);
			http_out_release(&req);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu: %s", i, err);
		assert_string_equal(req.method, "POST");
		assert_string_equal(req.url, "http://127.0.0.1:9/mb/messages");
		assert_int_equal(req.nheaders, 3);
		assert_string_equal(req.headers[0],
		    "Authorization: AccessKey not-a-real-access-key");
		assert_string_equal(req.headers[1],
		    "Content-Type: application/json");
		assert_string_equal(req.headers[2], "Accept: application/json");
		assert_null(req.userpwd);
		assert_string_equal(req.body.data, cases[i].body);
		http_out_release(&req);
	}
	provider_messagebird.release(&p);
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
		{ 201, "{\"id\":\"e8077d803532c0b5937c639b60216938\",\"href\":"
		    "\"https://rest.messagebird.com/messages/e8077d803532c0b5937c"
		    "639b60216938\",\"direction\":\"mt\",\"type\":\"sms\","
		    "\"originator\":\"447700900000\",\"body\":\"Hello world\","
		    "\"reference\":\"idem-1\",\"datacoding\":\"plain\","
		    "\"recipients\":{\"totalCount\":1,\"totalSentCount\":1,"
		    "\"items\":[{\"recipient\":447700900123,\"status\":\"sent\"}]}}",
		    SEND_OK, "e8077d803532c0b5937c639b60216938" },
		{ 200, "{\"id\":\"efa6405d518d4c0c88cce11f7db775fb\","
		    "\"direction\":\"mt\"}", SEND_OK,
		    "efa6405d518d4c0c88cce11f7db775fb" },
		{ 422, "{\"errors\":[{\"code\":9,\"description\":\"no (correct) "
		    "recipients found\",\"parameter\":\"recipients\"}]}",
		    SEND_FAIL, "HTTP 422: code 9: no (correct) recipients found" },
		{ 401, "{\"errors\":[{\"code\":2,\"description\":\"Request not "
		    "allowed (incorrect access_key)\",\"parameter\":"
		    "\"access_key\"}]}", SEND_FAIL, "HTTP 401: code 2" },
		{ 400, "", SEND_FAIL, "HTTP 400" },
		{ 404, "<html>", SEND_FAIL, "HTTP 404" },
		{ 429, "", SEND_RETRY, "HTTP 429" },
		{ 500, "{\"errors\":[{\"code\":99,\"description\":\"internal "
		    "error\"}]}", SEND_RETRY, "HTTP 500: code 99" },
		{ 503, "", SEND_RETRY, "HTTP 503" },
		{ 0, "", SEND_RETRY, "HTTP 0" },
		{ 201, "<html>Created</html>", SEND_RETRY, "without a message id" },
		{ 201, "{\"recipients\":{}}", SEND_RETRY, "without a message id" },
		{ 201, "{\"id\":\"\"}", SEND_RETRY, "without a message id" },
		{ 201, "{\"id\":7}", SEND_RETRY, "without a message id" },
	};
	struct provider p;

	setup(&p, SECRET);
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
	}
	provider_messagebird.release(&p);
}

/* ---- configure ---- */

static void
test_configure(void **state)
{
	char path[] = "/tmp/test-mb-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd != -1);
	assert_true(write(fd, "key-from-a-file\n", 16) == 16);
	close(fd);

	const struct {
		struct kv	 keys[8];
		const char	*error;		/* NULL: fine */
	} cases[] = {
		{ { { "type", "messagebird" }, { "access_key", "a" },
		    { "signing_key", "s" }, { "from", "+447700900000" } }, NULL },
		{ { { "type", "messagebird" }, { "allow_from", "10.0.0.0/8" },
		    { "access_key_file", path }, { "signing_key_file", path },
		    { "base_url", "http://127.0.0.1:1" }, { "from", "Acme" } },
		    NULL },
		{ { { "type", "messagebird" }, { "access_key", "a" },
		    { "signing_key", "s" }, { "from", "+447700900000" },
		    { "signature_key", "s" } }, "unknown key \"signature_key\"" },
		{ { { "type", "messagebird" }, { "signing_key", "s" },
		    { "from", "+447700900000" } }, "access_key" },
		{ { { "type", "messagebird" }, { "access_key", "a" },
		    { "from", "+447700900000" } }, "signing_key" },
		{ { { "type", "messagebird" }, { "access_key", "a" },
		    { "signing_key", "" }, { "from", "+447700900000" } },
		    "signing_key is empty" },
		{ { { "type", "messagebird" }, { "access_key", "a" },
		    { "signing_key", "s" }, { "signing_key_file", path },
		    { "from", "+447700900000" } }, "not both" },
		{ { { "type", "messagebird" }, { "access_key", "a" },
		    { "signing_key_file", "/nonexistent/mb" },
		    { "from", "+447700900000" } }, "/nonexistent/mb" },
		{ { { "type", "messagebird" }, { "access_key", "a" },
		    { "signing_key", "s" } }, "from" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		char err[256];
		int rc = configure(&p, cases[i].keys, err, sizeof err);

		if (cases[i].error == NULL) {
			if (rc != 0)
				fail_msg("case %zu: %s", i, err);
			provider_messagebird.release(&p);
			assert_null(p.priv);
			continue;
		}
		if (rc != -1 || strstr(err, cases[i].error) == NULL)
			fail_msg("case %zu: want \"%s\", got %d \"%s\"", i,
			    cases[i].error, rc, err);
		if (strstr(err, "key-from-a-file"))
			fail_msg("case %zu: a secret in \"%s\"", i, err);
		assert_null(p.priv);
	}
	unlink(path);
}

/* The key from a file is the one that checks, and the one that sends. */
static void
test_configure_file(void **state)
{
	char path[] = "/tmp/test-mb-XXXXXX";
	int fd = mkstemp(path);
	struct kv keys[] = {
		{ "type", "messagebird" }, { "access_key_file", path },
		{ "signing_key_file", path }, { "from", "Acme" },
		{ NULL, NULL },
	};
	struct outbound out = { "+447700900123", NULL, "x", NULL, NULL };
	struct http_out req;
	struct provider p;
	struct built b;
	char err[256];

	assert_true(fd != -1);
	assert_true(write(fd, SECRET "\n", strlen(SECRET) + 1) ==
	    (ssize_t)strlen(SECRET) + 1);
	close(fd);
	assert_int_equal(configure(&p, keys, err, sizeof err), 0);
	build(&b, "POST", vectors[2].url, vectors[2].payload, HEADER,
	    vectors[2].token);
	assert_int_equal(provider_messagebird.verify(&p, &b.req, NOW),
	    VERIFY_OK);
	unbuild(&b);
	http_out_init(&req);
	assert_int_equal(provider_encode(&p, &out, &req, err,
	    sizeof err), 0);
	assert_string_equal(req.headers[0], "Authorization: AccessKey " SECRET);
	assert_string_equal(req.url, "https://rest.messagebird.com/messages");
	http_out_release(&req);
	provider_messagebird.release(&p);
	unlink(path);
}

/* ---- delivery reports ---- */

static void
test_decode_status(void **state)
{
	/* courier's fixture, with a drama number. */
#define DLR	"datacoding=plain&id=b6aae1b5dfb2427a8f7ea6a717ba31a9&" \
	"mccmnc=310010&messageLength=4&messagePartCount=1&ported=0&" \
	"price%5Bamount%5D=0.000&price%5Bcurrency%5D=USD&" \
	"recipient=447700900123&reference=26&" \
	"statusDatetime=2023-07-28T17%3A57%3A12%2B00%3A00"
	static const struct {
		const char	*query;
		enum decode_result want;
		enum delivery_state state;
		const char	*error;
	} cases[] = {
		{ DLR "&status=sent", DECODE_MESSAGE, DELIVERY_PENDING, "" },
		{ DLR "&status=scheduled", DECODE_MESSAGE, DELIVERY_PENDING, "" },
		{ DLR "&status=buffered", DECODE_MESSAGE, DELIVERY_PENDING, "" },
		{ DLR "&status=delivered&statusReason=successfully+delivered&"
		    "statusErrorCode=0", DECODE_MESSAGE, DELIVERY_DELIVERED, "" },
		{ DLR "&status=delivery_failed&statusErrorCode=103",
		    DECODE_MESSAGE, DELIVERY_FAILED, "delivery_failed (code 103)" },
		{ DLR "&status=delivery_failed&statusReason=unknown+subscriber&"
		    "statusErrorCode=1", DECODE_MESSAGE, DELIVERY_FAILED,
		    "unknown subscriber (code 1)" },
		{ DLR "&status=expired", DECODE_MESSAGE, DELIVERY_FAILED,
		    "expired (code none)" },
		{ DLR "&status=expiryttd", DECODE_MESSAGE, DELIVERY_PENDING, "" },
		{ DLR, DECODE_MALFORMED, 0, NULL },
		{ "status=delivered&recipient=447700900123", DECODE_MALFORMED, 0,
		    NULL },
		{ DLR "&status=%zz", DECODE_MALFORMED, 0, NULL },
	};
	struct provider p;
	struct delivery d;
	struct built b;

	setup(&p, SECRET);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char url[1024];

		snprintf(url, sizeof url, "%s?%s", PUBLIC, cases[i].query);
		build(&b, "GET", url, NULL, NULL, NULL);
		enum decode_result rc = provider_messagebird.decode_status(&p,
		    &b.req, &d);
		if (rc != cases[i].want)
			fail_msg("%s: want %d, got %d", cases[i].query,
			    cases[i].want, rc);
		if (rc == DECODE_MESSAGE) {
			assert_string_equal(d.ext_id,
			    "b6aae1b5dfb2427a8f7ea6a717ba31a9");
			assert_int_equal(d.state, cases[i].state);
			assert_string_equal(d.error, cases[i].error);
		}
		unbuild(&b);
	}
	provider_messagebird.release(&p);
#undef DLR
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_claims),
		cmocka_unit_test(test_legacy_refused),
		cmocka_unit_test(test_decode),
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
