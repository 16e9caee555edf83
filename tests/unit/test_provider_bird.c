/* test_provider_bird.c -- the Bird codec, both of its APIs: the worked
 * examples of docs/providers-vonage-messages-and-bird.md (B9 Standard
 * Webhooks, B-1 and B-2 messagebird-signature), tampered copies, the clock
 * window, signature lists, repeated headers, decode, receipts, encode,
 * result and configure. */
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

#include "provider.h"
#include "provider_test.h"

/* Table rows that are refused leave the expected fields out. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

extern const struct provider_ops provider_bird;

/* B9: the SDK's test secret and the page's event. */
#define P_SECRET	"whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
#define P_ID		"msg_2abc"
#define P_TS		"1738584865"
#define P_NOW		1738584865
#define P_SIG		"v1,uuk4r8LbDYeiy3gF1vjR+oDYhoSG4PIxv9SJ8QunDOo="
#define P_BODY		"{\"type\":\"sms.received\",\"timestamp\":" \
	"\"2025-02-03T12:14:25Z\",\"data\":{\"sms_id\":\"sms_4kT01Lq2m\"," \
	"\"workspace_id\":\"ws_1\",\"to\":\"+15005550006\",\"from\":" \
	"\"+15005550001\",\"tags\":null,\"metadata\":null,\"text\":\"STOP\"," \
	"\"segments\":{\"count\":1}}}"

/* B-1: inbound, Channels API. */
#define C1_KEY		"secureSigningKey"
#define C1_TS		"1719823259"
#define C1_NOW		1719823259
#define C1_URL		"https://domain.com/webhook/bird"
#define C1_SIG		"uhWNvwDhRK+o5oXUe3Xm/u4S7WdFg6YRSBLtQtECM8Q="
#define C1_BODY		"{\"service\":\"channels\",\"event\":\"sms.inbound\"," \
	"\"payload\":{\"id\":\"96a0b5fa-a986-453d-be5c-3117f989f025\"," \
	"\"channelId\":\"614208aa-b153-4d5d-9989-2fddfc0ce4c3\",\"sender\":{" \
	"\"contact\":{\"id\":\"32cf5eee-f940-422c-ab8c-5f753aad5efd\"," \
	"\"identifierKey\":\"phonenumber\",\"identifierValue\":" \
	"\"+31612345678\"}},\"receiver\":{\"connector\":{\"id\":" \
	"\"86cc4dc0-3dc0-41b7-ac43-8ec829ead56f\"}},\"body\":{\"type\":" \
	"\"text\",\"text\":{\"text\":\"Sample incoming text message\"}}," \
	"\"parts\":[{\"platformReference\":" \
	"\"e8077d803532c0b5937c639b60216938\"}],\"status\":\"delivered\"," \
	"\"direction\":\"incoming\",\"lastStatusAt\":" \
	"\"2022-12-22T08:32:50.736Z\",\"createdAt\":" \
	"\"2022-12-22T08:32:50.736Z\",\"updatedAt\":" \
	"\"2022-12-22T08:32:50.736Z\"}}"

/* B-2: a failed receipt, UTF-8 body, URL with a query, base64-looking key
 * (used as text). */
#define C2_KEY		"KeV+/HGoIQrxuE5YPCRR6AuQOJveldYNNhbVi1i22qk="
#define C2_TS		"1719823300"
#define C2_NOW		1719823300
#define C2_URL		"https://gw.example.com/bird/status?ch=614208aa"
#define C2_SIG		"ubtad9lhKtAc3g0XVeugEKcrZTo7l7961GA+Ke+rXG4="
#define C2_BODY		"{\"service\":\"channels\",\"event\":\"sms.outbound\"," \
	"\"payload\":{\"id\":\"0a8f3b2e-5c1d-4e7f-9a6b-1c2d3e4f5a6b\"," \
	"\"channelId\":\"614208aa-b153-4d5d-9989-2fddfc0ce4c3\",\"receiver\":{" \
	"\"contacts\":[{\"identifierKey\":\"phonenumber\",\"identifierValue\":" \
	"\"+31612345678\"}]},\"body\":{\"type\":\"text\",\"text\":{\"text\":" \
	"\"Ol\xc3\xa1 \xe2\x80\x94 c\xc3\xb3" "digo 4821\"}},\"reference\":" \
	"\"gw-42\",\"status\":\"delivery_failed\",\"reason\":\"details: " \
	"unknown subscriber; reason: unknown_subscriber; code: 1\"," \
	"\"details\":\"unknown_subscriber\",\"failure\":{\"code\":15005," \
	"\"source\":{\"name\":\"sms-messagebird\",\"code\":\"1\"}}," \
	"\"direction\":\"outgoing\",\"lastStatusAt\":" \
	"\"2024-07-01T08:40:59.000Z\",\"createdAt\":" \
	"\"2024-07-01T08:40:55.000Z\",\"updatedAt\":" \
	"\"2024-07-01T08:40:59.000Z\"}}"

#define WS	"0e5d9e7c-6a43-4b55-9a1f-5b3c2d1e0f99"
#define CH	"614208aa-b153-4d5d-9989-2fddfc0ce4c3"

static int
conf(struct provider *p, char *err, size_t errlen, ...)
{
	va_list ap;
	int rc;

	va_start(ap, errlen);
	rc = test_vconfigure(p, &provider_bird, err, errlen, ap);
	va_end(ap);
	return rc;
}

static void
platform(struct provider *p)
{
	char err[256];

	if (conf(p, err, sizeof err, "access_key=bk_eu1_notarealtoken",
	    "signing_key=" P_SECRET, "from=+447700900000", NULL) != 0)
		fail_msg("configure: %s", err);
}

static void
channels(struct provider *p, const char *key)
{
	char err[256], kv[128];

	snprintf(kv, sizeof kv, "signing_key=%s", key);
	if (conf(p, err, sizeof err, "access_key=not-a-real-access-key", kv,
	    "workspace_id=" WS, "channel_id=" CH, "from=+447700900000",
	    NULL) != 0)
		fail_msg("configure: %s", err);
}

/* A request: url, body and up to 6 "name", "value" header pairs. */
struct built {
	struct http_req		req;
	struct http_header	hdr[8];
};

static void
build(struct built *b, const char *url, const char *body, ...)
{
	va_list ap;
	const char *n;

	memset(b, 0, sizeof *b);
	b->req.method = "POST";
	b->req.path = "/webhooks/main";
	b->req.url = url;
	b->req.query = "";
	b->req.body = body;
	b->req.body_len = strlen(body);
	b->req.remote_addr = "127.0.0.1";
	b->req.headers = b->hdr;
	b->hdr[0].name = "Content-Type";
	b->hdr[0].value = "application/json";
	b->req.nheaders = 1;
	va_start(ap, body);
	while ((n = va_arg(ap, const char *)) != NULL && b->req.nheaders < 8) {
		b->hdr[b->req.nheaders].name = (char *)(uintptr_t)n;
		b->hdr[b->req.nheaders++].value =
		    (char *)(uintptr_t)va_arg(ap, const char *);
	}
	va_end(ap);
}

static enum verify_result
verify_p(const struct provider *p, const char *id, const char *ts,
    const char *sig, const char *body, int64_t now)
{
	struct built b;

	build(&b, "https://gw.example.org/webhooks/main", body,
	    "webhook-id", id, "webhook-timestamp", ts, "webhook-signature",
	    sig, NULL);
	return provider_bird.verify(p, &b.req, now);
}

static enum verify_result
verify_c(const struct provider *p, const char *url, const char *ts,
    const char *sig, const char *body, int64_t now)
{
	struct built b;

	build(&b, url, body, "messagebird-signature", sig,
	    "messagebird-request-timestamp", ts, NULL);
	return provider_bird.verify(p, &b.req, now);
}

static void
test_vectors(void **state)
{
	struct provider p;

	assert_int_equal(strlen(C1_BODY), 653);
	assert_int_equal(strlen(C2_BODY), 675);
	platform(&p);
	assert_int_equal(verify_p(&p, P_ID, P_TS, P_SIG, P_BODY, P_NOW),
	    VERIFY_OK);
	provider_bird.release(&p);
	channels(&p, C1_KEY);
	assert_int_equal(verify_c(&p, C1_URL, C1_TS, C1_SIG, C1_BODY, C1_NOW),
	    VERIFY_OK);
	provider_bird.release(&p);
	channels(&p, C2_KEY);
	assert_int_equal(verify_c(&p, C2_URL, C2_TS, C2_SIG, C2_BODY, C2_NOW),
	    VERIFY_OK);
	/* The doc's negative checks: the URL without its query, or with a
	 * trailing slash. */
	assert_int_equal(verify_c(&p, "https://gw.example.com/bird/status",
	    C2_TS, C2_SIG, C2_BODY, C2_NOW), VERIFY_BAD);
	assert_int_equal(verify_c(&p, "https://gw.example.com/bird/status/"
	    "?ch=614208aa", C2_TS, C2_SIG, C2_BODY, C2_NOW), VERIFY_BAD);
	provider_bird.release(&p);
}

/* s with byte i changed (to a different byte of the same kind). */
static char *
tamper(const char *s, size_t i)
{
	char *c = strdup(s);

	c[i] = c[i] == 'A' ? 'B' : c[i] == '1' ? '2' : 'A';
	return c;
}

static void
test_tampered(void **state)
{
	struct provider p;
	char *t;
	size_t n;

	platform(&p);
	/* Every byte of the body, the id and the timestamp. */
	n = strlen(P_BODY);
	for (size_t i = 0; i < n; i++) {
		t = tamper(P_BODY, i);
		if (verify_p(&p, P_ID, P_TS, P_SIG, t, P_NOW) != VERIFY_BAD)
			fail_msg("platform body byte %zu accepted", i);
		free(t);
	}
	for (size_t i = 0; i < strlen(P_ID); i++) {
		t = tamper(P_ID, i);
		assert_int_equal(verify_p(&p, t, P_TS, P_SIG, P_BODY, P_NOW),
		    VERIFY_BAD);
		free(t);
	}
	t = tamper(P_TS, strlen(P_TS) - 1);	/* 1738584866: in window */
	assert_int_equal(verify_p(&p, P_ID, t, P_SIG, P_BODY, P_NOW),
	    VERIFY_BAD);
	free(t);
	/* The signature's base64 (not its last character, whose low bits
	 * the padding may leave out). */
	for (size_t i = 3; i < strlen(P_SIG) - 2; i++) {
		t = tamper(P_SIG, i);
		if (verify_p(&p, P_ID, P_TS, t, P_BODY, P_NOW) != VERIFY_BAD)
			fail_msg("platform signature byte %zu accepted", i);
		free(t);
	}
	provider_bird.release(&p);

	channels(&p, C1_KEY);
	n = strlen(C1_BODY);
	for (size_t i = 0; i < n; i++) {
		t = tamper(C1_BODY, i);
		if (verify_c(&p, C1_URL, C1_TS, C1_SIG, t, C1_NOW) !=
		    VERIFY_BAD)
			fail_msg("channels body byte %zu accepted", i);
		free(t);
	}
	for (size_t i = 0; i < strlen(C1_URL); i++) {
		t = tamper(C1_URL, i);
		assert_int_equal(verify_c(&p, t, C1_TS, C1_SIG, C1_BODY,
		    C1_NOW), VERIFY_BAD);
		free(t);
	}
	t = tamper(C1_TS, strlen(C1_TS) - 1);
	assert_int_equal(verify_c(&p, C1_URL, t, C1_SIG, C1_BODY, C1_NOW),
	    VERIFY_BAD);
	free(t);
	for (size_t i = 0; i < strlen(C1_SIG) - 2; i++) {
		t = tamper(C1_SIG, i);
		if (verify_c(&p, C1_URL, C1_TS, t, C1_BODY, C1_NOW) !=
		    VERIFY_BAD)
			fail_msg("channels signature byte %zu accepted", i);
		free(t);
	}
	/* The right signature under another key. */
	provider_bird.release(&p);
	channels(&p, C2_KEY);
	assert_int_equal(verify_c(&p, C1_URL, C1_TS, C1_SIG, C1_BODY, C1_NOW),
	    VERIFY_BAD);
	provider_bird.release(&p);
}

static void
test_window(void **state)
{
	static const struct {
		int64_t			skew;	/* now - the signed time */
		enum verify_result	want;
	} cases[] = {
		{ 0, VERIFY_OK }, { 300, VERIFY_OK }, { -300, VERIFY_OK },
		{ 301, VERIFY_BAD }, { -301, VERIFY_BAD },
		{ 86400, VERIFY_BAD }, { -86400, VERIFY_BAD },
	};
	struct provider p, c;

	platform(&p);
	channels(&c, C1_KEY);
	for (size_t i = 0; i < nitems(cases); i++) {
		assert_int_equal(verify_p(&p, P_ID, P_TS, P_SIG, P_BODY,
		    P_NOW + cases[i].skew), cases[i].want);
		assert_int_equal(verify_c(&c, C1_URL, C1_TS, C1_SIG, C1_BODY,
		    C1_NOW + cases[i].skew), cases[i].want);
	}
	provider_bird.release(&p);
	provider_bird.release(&c);
}

static void
test_signature_list(void **state)
{
	static const struct {
		const char		*header;
		enum verify_result	 want;
	} cases[] = {
		{ P_SIG, VERIFY_OK },
		/* A rotated secret: one entry per secret, any may match. */
		{ "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " P_SIG,
		    VERIFY_OK },
		{ P_SIG " v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
		    VERIFY_OK },
		{ "v1a,xyz " P_SIG, VERIFY_OK },
		{ "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", VERIFY_BAD },
		/* Another version's prefix is not v1. */
		{ "v1a,uuk4r8LbDYeiy3gF1vjR+oDYhoSG4PIxv9SJ8QunDOo=",
		    VERIFY_BAD },
		{ "v2,uuk4r8LbDYeiy3gF1vjR+oDYhoSG4PIxv9SJ8QunDOo=",
		    VERIFY_BAD },
		{ "uuk4r8LbDYeiy3gF1vjR+oDYhoSG4PIxv9SJ8QunDOo=", VERIFY_BAD },
		/* Truncated MAC. */
		{ "v1,uuk4r8LbDYeiy3gF1vjR+oDYhoSG4PIx", VERIFY_BAD },
		{ "v1,", VERIFY_BAD },
		{ "", VERIFY_BAD },
	};
	struct provider p;

	platform(&p);
	for (size_t i = 0; i < nitems(cases); i++)
		if (verify_p(&p, P_ID, P_TS, cases[i].header, P_BODY,
		    P_NOW) != cases[i].want)
			fail_msg("case %zu \"%s\"", i, cases[i].header);
	provider_bird.release(&p);
}

static void
test_headers(void **state)
{
	struct provider p;
	struct built b;

	platform(&p);
	/* Missing, repeated the same (fine), repeated different. */
	build(&b, "https://x/", P_BODY, "webhook-id", P_ID,
	    "webhook-signature", P_SIG, NULL);
	assert_int_equal(provider_bird.verify(&p, &b.req, P_NOW), VERIFY_BAD);
	build(&b, "https://x/", P_BODY, "webhook-id", P_ID,
	    "webhook-timestamp", P_TS, "webhook-signature", P_SIG,
	    "Webhook-Signature", P_SIG, NULL);
	assert_int_equal(provider_bird.verify(&p, &b.req, P_NOW), VERIFY_OK);
	build(&b, "https://x/", P_BODY, "webhook-id", P_ID,
	    "webhook-timestamp", P_TS, "webhook-signature", P_SIG,
	    "webhook-signature", "v1,AAAA", NULL);
	assert_int_equal(provider_bird.verify(&p, &b.req, P_NOW), VERIFY_BAD);
	build(&b, "https://x/", P_BODY, "webhook-id", P_ID,
	    "webhook-timestamp", P_TS, "webhook-signature", P_SIG,
	    "webhook-id", "msg_other", NULL);
	assert_int_equal(provider_bird.verify(&p, &b.req, P_NOW), VERIFY_BAD);
	build(&b, "https://x/", P_BODY, "webhook-id", P_ID,
	    "webhook-timestamp", P_TS, "webhook-signature", P_SIG,
	    "webhook-timestamp", "1738584866", NULL);
	assert_int_equal(provider_bird.verify(&p, &b.req, P_NOW), VERIFY_BAD);
	build(&b, "https://x/", P_BODY, "webhook-id", P_ID,
	    "webhook-timestamp", "+1738584865", "webhook-signature", P_SIG,
	    NULL);
	assert_int_equal(provider_bird.verify(&p, &b.req, P_NOW), VERIFY_BAD);
	provider_bird.release(&p);

	channels(&p, C1_KEY);
	build(&b, C1_URL, C1_BODY, "messagebird-signature", C1_SIG,
	    "messagebird-request-timestamp", C1_TS, "messagebird-signature",
	    "AAAA", NULL);
	assert_int_equal(provider_bird.verify(&p, &b.req, C1_NOW), VERIFY_BAD);
	build(&b, C1_URL, C1_BODY, "messagebird-request-timestamp", C1_TS,
	    NULL);
	assert_int_equal(provider_bird.verify(&p, &b.req, C1_NOW), VERIFY_BAD);
	/* A platform-signed request to a Channels instance. */
	build(&b, C1_URL, P_BODY, "webhook-id", P_ID, "webhook-timestamp",
	    P_TS, "webhook-signature", P_SIG, NULL);
	assert_int_equal(provider_bird.verify(&p, &b.req, P_NOW), VERIFY_BAD);
	provider_bird.release(&p);
}

static void
test_decode(void **state)
{
	static const struct {
		int			 chan;	/* Channels API instance */
		const char		*body;
		enum decode_result	 want;
		const char		*id, *from, *to, *text;
	} cases[] = {
		{ 0, P_BODY, DECODE_MESSAGE, "sms_4kT01Lq2m", "+15005550001",
		    "+15005550006", "STOP" },
		/* Flat, as the SDK README has it. */
		{ 0, "{\"type\":\"sms.received\",\"sms_id\":\"sms_9\",\"to\":"
		    "\"+447700900000\",\"from\":\"+447700900123\",\"text\":"
		    "\"Jane Smith SE1 7PB \xc3\xa9\"}", DECODE_MESSAGE, "sms_9",
		    "+447700900123", "+447700900000", "Jane Smith SE1 7PB \xc3\xa9" },
		{ 0, "{\"type\":\"sms.delivered\",\"data\":{\"sms_id\":\"s\"}}",
		    DECODE_IGNORE },
		{ 0, "{\"type\":\"sms.received\",\"data\":{\"sms_id\":\"s\","
		    "\"from\":\"+447700900123\",\"text\":null}}", DECODE_IGNORE },
		{ 0, "{\"type\":\"sms.received\",\"data\":{\"sms_id\":\"s\","
		    "\"text\":\"hi\"}}", DECODE_MALFORMED },
		{ 0, "{\"type\":\"sms.received\",\"data\":{\"from\":"
		    "\"+447700900123\",\"text\":\"hi\"}}", DECODE_MALFORMED },
		{ 0, "{\"type\":\"sms.received\",\"data\":{\"sms_id\":\"s\","
		    "\"from\":\"+447700900123\",\"text\":7}}", DECODE_MALFORMED },
		{ 0, "not json", DECODE_MALFORMED },
		{ 0, "{\"data\":{}}", DECODE_MALFORMED },
		{ 1, C1_BODY, DECODE_MESSAGE,
		    "96a0b5fa-a986-453d-be5c-3117f989f025", "+31612345678",
		    "+447700900000", "Sample incoming text message" },
		{ 1, C2_BODY, DECODE_IGNORE },
		{ 1, P_BODY, DECODE_MALFORMED },
		{ 1, "{\"service\":\"channels\",\"event\":\"sms.inbound\","
		    "\"payload\":{\"id\":\"m1\",\"sender\":{\"contact\":{}},"
		    "\"body\":{\"type\":\"text\",\"text\":{\"text\":\"hi\"}}}}",
		    DECODE_MALFORMED },
	};
	struct provider p, c;

	platform(&p);
	channels(&c, C1_KEY);
	for (size_t i = 0; i < nitems(cases); i++) {
		struct built b;
		struct inbound in;
		enum decode_result rc;

		build(&b, "https://x/", cases[i].body, NULL);
		rc = provider_decode(cases[i].chan ? &c : &p, &b.req, &in);
		if (rc != cases[i].want)
			fail_msg("case %zu: want %d, got %d", i, cases[i].want,
			    rc);
		if (rc != DECODE_MESSAGE)
			continue;
		assert_string_equal(in.ext_id, cases[i].id);
		assert_string_equal(in.sender, cases[i].from);
		assert_string_equal(in.recipient, cases[i].to);
		assert_string_equal(in.text, cases[i].text);
	}
	provider_bird.release(&p);
	provider_bird.release(&c);
}

static void
test_decode_status(void **state)
{
#define PEV(type, extra) "{\"type\":\"" type "\",\"timestamp\":" \
	"\"2026-12-01T10:00:00Z\",\"data\":{\"sms_id\":\"sms_7\",\"to\":" \
	"\"+447700900123\",\"from\":\"+447700900000\"" extra "}}"
#define CEV(status, extra) "{\"service\":\"channels\",\"event\":" \
	"\"sms.outbound\",\"payload\":{\"id\":\"m-7\",\"status\":\"" status \
	"\"" extra "}}"
	static const struct {
		int			 chan;
		const char		*body;
		enum decode_result	 want;
		const char		*id;
		enum delivery_state	 state;
		const char		*error;
	} cases[] = {
		{ 0, PEV("sms.delivered", ""), DECODE_MESSAGE, "sms_7",
		    DELIVERY_DELIVERED, "" },
		{ 0, PEV("sms.sent", ""), DECODE_MESSAGE, "sms_7",
		    DELIVERY_PENDING, "" },
		{ 0, PEV("sms.failed", ",\"error\":{\"code\":"
		    "\"recipient_opted_out\",\"description\":\"The recipient "
		    "opted out\"}"), DECODE_MESSAGE, "sms_7", DELIVERY_FAILED,
		    "recipient_opted_out The recipient opted out" },
		{ 0, PEV("sms.expired", ""), DECODE_MESSAGE, "sms_7",
		    DELIVERY_FAILED, "sms.expired" },
		{ 0, PEV("sms.received", ",\"text\":\"hi\""), DECODE_IGNORE },
		{ 0, PEV("email.delivered", ""), DECODE_IGNORE },
		{ 0, "{\"type\":\"sms.delivered\",\"data\":{}}",
		    DECODE_MALFORMED },
		{ 0, "[]", DECODE_MALFORMED },
		{ 1, C2_BODY, DECODE_MESSAGE,
		    "0a8f3b2e-5c1d-4e7f-9a6b-1c2d3e4f5a6b", DELIVERY_FAILED,
		    "15005 unknown_subscriber" },
		{ 1, CEV("delivered", ""), DECODE_MESSAGE, "m-7",
		    DELIVERY_DELIVERED, "" },
		{ 1, CEV("accepted", ""), DECODE_MESSAGE, "m-7",
		    DELIVERY_PENDING, "" },
		{ 1, CEV("sending_failed", ""), DECODE_MESSAGE, "m-7",
		    DELIVERY_FAILED, "sending_failed" },
		{ 1, C1_BODY, DECODE_IGNORE },
		{ 1, CEV("clicked", ""), DECODE_IGNORE },
	};
	struct provider p, c;

	platform(&p);
	channels(&c, C2_KEY);
	for (size_t i = 0; i < nitems(cases); i++) {
		struct built b;
		struct delivery d;
		enum decode_result rc;

		build(&b, "https://x/", cases[i].body, NULL);
		rc = provider_bird.decode_status(cases[i].chan ? &c : &p,
		    &b.req, &d);
		if (rc != cases[i].want)
			fail_msg("case %zu: want %d, got %d", i, cases[i].want,
			    rc);
		if (rc != DECODE_MESSAGE)
			continue;
		assert_string_equal(d.ext_id, cases[i].id);
		assert_int_equal(d.state, cases[i].state);
		assert_string_equal(d.error, cases[i].error);
	}
	provider_bird.release(&p);
	provider_bird.release(&c);
#undef PEV
#undef CEV
}

static const char *
header(const struct http_out *o, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < o->nheaders; i++)
		if (strncmp(o->headers[i], name, n) == 0 &&
		    o->headers[i][n] == ':')
			return o->headers[i] + n + 2;
	return NULL;
}

static void
test_encode(void **state)
{
	struct outbound out = { "+447700900123", NULL,
	    "Your branch meets on Tuesdays \xe2\x80\x94 see you", "ob-17",
	    "https://gw.example.org/status/main" };
	struct provider p;
	struct http_out o;
	char err[128], *want, *got;
	json_t *j, *w;

	platform(&p);
	http_out_init(&o);
	assert_int_equal(provider_encode(&p, &out, &o, err, sizeof err),
	    0);
	assert_string_equal(o.method, "POST");
	assert_string_equal(o.url,
	    "https://eu1.platform.bird.com/v1/sms/messages");
	assert_string_equal(header(&o, "Authorization"),
	    "Bearer bk_eu1_notarealtoken");
	assert_string_equal(header(&o, "Content-Type"), "application/json");
	assert_string_equal(header(&o, "Idempotency-Key"), "ob-17");
	j = json_loadb(o.body.data, o.body.len, 0, NULL);
	w = json_pack("{s:s, s:s, s:s, s:s}", "to", "+447700900123", "from",
	    "+447700900000", "text", out.text, "category", "transactional");
	want = json_dumps(w, JSON_SORT_KEYS);
	got = json_dumps(j, JSON_SORT_KEYS);
	assert_string_equal(got, want);
	free(want), free(got), json_decref(j), json_decref(w);
	http_out_release(&o);
	provider_bird.release(&p);

	channels(&p, C1_KEY);
	http_out_init(&o);
	assert_int_equal(provider_encode(&p, &out, &o, err, sizeof err),
	    0);
	assert_string_equal(o.url, "https://api.bird.com/workspaces/" WS
	    "/channels/" CH "/messages");
	assert_string_equal(header(&o, "Authorization"),
	    "AccessKey not-a-real-access-key");
	assert_null(header(&o, "Idempotency-Key"));
	j = json_loadb(o.body.data, o.body.len, 0, NULL);
	w = json_pack("{s:{s:[{s:s, s:s}]}, s:{s:s, s:{s:s}}, s:s}",
	    "receiver", "contacts", "identifierKey", "phonenumber",
	    "identifierValue", "+447700900123", "body", "type", "text",
	    "text", "text", out.text, "reference", "ob-17");
	want = json_dumps(w, JSON_SORT_KEYS);
	got = json_dumps(j, JSON_SORT_KEYS);
	assert_string_equal(got, want);
	free(want), free(got), json_decref(j), json_decref(w);
	http_out_release(&o);

	/* Not E.164, or no text. */
	out.to = "07700900123";
	http_out_init(&o);
	assert_int_equal(provider_encode(&p, &out, &o, err, sizeof err),
	    -1);
	http_out_release(&o);
	provider_bird.release(&p);
}

static void
test_result(void **state)
{
	static const struct {
		int		 status;
		const char	*body;
		enum send_result want;
		const char	*id_or_err;
	} cases[] = {
		{ 202, "{\"id\":\"sms_4kT01Lq2m\",\"direction\":\"outbound\","
		    "\"status\":\"accepted\",\"to\":\"+447700900123\"}", SEND_OK,
		    "sms_4kT01Lq2m" },
		{ 202, "{\"id\":\"0a8f3b2e-5c1d-4e7f-9a6b-1c2d3e4f5a6b\","
		    "\"status\":\"accepted\"}", SEND_OK,
		    "0a8f3b2e-5c1d-4e7f-9a6b-1c2d3e4f5a6b" },
		{ 200, "{\"id\":\"x1\"}", SEND_OK, "x1" },
		{ 422, "{\"type\":\"invalid_recipient\",\"message\":\"Recipient"
		    " format is wrong\",\"request_id\":\"req_1\"}", SEND_FAIL,
		    "HTTP 422: invalid_recipient: Recipient format is wrong" },
		{ 400, "{\"error\":{\"type\":\"invalid_request\",\"code\":"
		    "\"E01001\",\"message\":\"bad\"}}", SEND_FAIL,
		    "HTTP 400: invalid_request: bad" },
		{ 401, "", SEND_FAIL, "HTTP 401" },
		{ 404, "<html>", SEND_FAIL, "HTTP 404" },
		{ 409, "{\"error\":{\"type\":\"request_in_progress\",\"code\":"
		    "\"E01004\"}}", SEND_RETRY, "request_in_progress" },
		{ 409, "{\"error\":{\"type\":\"idempotency_key_reuse\","
		    "\"code\":\"E01005\"}}", SEND_FAIL, "idempotency_key_reuse" },
		{ 429, "{\"type\":\"rate_limited\",\"message\":\"Too many "
		    "requests. Retry after 1.0s.\"}", SEND_RETRY,
		    "HTTP 429: rate_limited" },
		{ 500, "", SEND_RETRY, "HTTP 500" },
		{ 503, "{\"error\":\"scripted 503\"}", SEND_RETRY, "HTTP 503" },
		{ 0, "", SEND_RETRY, "HTTP 0" },
		{ 202, "", SEND_RETRY, "without a message id" },
		{ 202, "{\"id\":7}", SEND_RETRY, "without a message id" },
		{ 202, "{\"id\":\"\"}", SEND_RETRY, "without a message id" },
	};
	struct provider p;

	platform(&p);
	for (size_t i = 0; i < nitems(cases); i++) {
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
	provider_bird.release(&p);
}

static void
test_configure(void **state)
{
	static const struct {
		const char	*kv[6];
		const char	*err;	/* NULL: configures */
		const char	*url;	/* the send URL it then makes */
	} cases[] = {
		{ { "access_key=bk_us2_t", "signing_key=" P_SECRET,
		    "from=+447700900000" }, NULL,
		    "https://us2.platform.bird.com/v1/sms/messages" },
		{ { "access_key=bm_eu1_t_x", "signing_key=" P_SECRET,
		    "from=+447700900000" }, NULL,
		    "https://eu1.platform.bird.com/v1/sms/messages" },
		{ { "access_key=secret", "signing_key=" P_SECRET,
		    "from=+447700900000", "base_url=http://127.0.0.1:9/b/" },
		    NULL, "http://127.0.0.1:9/b/v1/sms/messages" },
		{ { "access_key=secret", "signing_key=" P_SECRET,
		    "from=+447700900000" }, "no region" },
		{ { "access_key=bk_EU1_t", "signing_key=" P_SECRET,
		    "from=+447700900000" }, "no region" },
		{ { "access_key=bk_eu1_", "signing_key=" P_SECRET,
		    "from=+447700900000" }, "no region" },
		{ { "access_key=bk_eu1_t", "signing_key=whsec_***",
		    "from=+447700900000" }, "whsec_" },
		{ { "access_key=bk_eu1_t", "signing_key=" P_SECRET },
		    "from is required" },
		{ { "access_key=bk_eu1_t", "signing_key=" P_SECRET,
		    "from=+447700900000", "category=spam" }, "category" },
		{ { "signing_key=" P_SECRET, "from=+447700900000" },
		    "access_key" },
		{ { "access_key=bk_eu1_t", "from=+447700900000" },
		    "signing_key" },
		{ { "access_key=k", "signing_key=k", "workspace_id=" WS,
		    "channel_id=" CH }, NULL,
		    "https://api.bird.com/workspaces/" WS "/channels/" CH
		    "/messages" },
		{ { "access_key=k", "signing_key=k", "workspace_id=" WS },
		    "workspace_id and channel_id" },
		{ { "access_key=k", "signing_key=k", "workspace_id=" WS,
		    "channel_id=../x" }, "workspace_id and channel_id" },
		{ { "access_key=k", "signing_key=k", "workspace_id=" WS,
		    "channel_id=" CH, "category=service" }, "category" },
		{ { "access_key=k", "signing_key=k", "workspace_id=" WS,
		    "channel_id=" CH, "base_url=ftp://x" }, "base_url" },
		{ { "access_key=k", "signing_key=k", "workspace_id=" WS,
		    "channel_id=" CH, "colour=blue" }, "unknown key" },
	};

	for (size_t i = 0; i < nitems(cases); i++) {
		struct outbound out = { "+447700900123", NULL, "hi", NULL,
		    NULL };
		struct provider p;
		struct http_out o;
		char err[256];
		const char *const *kv = cases[i].kv;
		int rc = conf(&p, err, sizeof err, kv[0], kv[1], kv[2], kv[3],
		    kv[4], kv[5], NULL);

		if (cases[i].err != NULL) {
			if (rc != -1 || strstr(err, cases[i].err) == NULL)
				fail_msg("case %zu: rc %d, err \"%s\"", i, rc,
				    err);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu: %s", i, err);
		http_out_init(&o);
		assert_int_equal(provider_encode(&p, &out, &o, err,
		    sizeof err), 0);
		assert_string_equal(o.url, cases[i].url);
		http_out_release(&o);
		provider_bird.release(&p);
	}
}

static void
test_configure_file(void **state)
{
	char path[] = "/tmp/test_bird_XXXXXX", kv[64], err[256];
	struct provider p;
	FILE *fp;
	int fd;

	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs(C1_KEY "\n", fp);
	fclose(fp);
	snprintf(kv, sizeof kv, "signing_key_file=%s", path);
	if (conf(&p, err, sizeof err, "access_key=k", kv, "workspace_id=" WS,
	    "channel_id=" CH, NULL) != 0)
		fail_msg("configure: %s", err);
	assert_int_equal(verify_c(&p, C1_URL, C1_TS, C1_SIG, C1_BODY, C1_NOW),
	    VERIFY_OK);
	provider_bird.release(&p);
	/* Both ways at once is a mistake. */
	assert_int_equal(conf(&p, err, sizeof err, "access_key=k", kv,
	    "signing_key=" C1_KEY, "workspace_id=" WS, "channel_id=" CH,
	    NULL), -1);
	assert_non_null(strstr(err, "not both"));
	unlink(path);
}

static void
test_ack(void **state)
{
	struct provider p;
	struct http_resp r;
	struct reply_ends to = { "+447700900123", "+447700900000" };

	platform(&p);
	http_resp_init(&r);
	provider_ack(&p, &to, "a reply", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, 0);
	http_resp_release(&r);
	provider_bird.release(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_signature_list),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_status),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_configure),
		cmocka_unit_test(test_configure_file),
		cmocka_unit_test(test_ack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
