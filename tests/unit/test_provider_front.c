/*
 * test_provider_front.c -- what provider.c does for every codec: the
 * transport triage of a send's answer, the preconditions of a send, the
 * key tables (required, secret and KEY_file, URL, allowed values), and
 * the defaults for ops a codec leaves NULL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <unistd.h>

#include "log.h"
#include "provider_test.h"

extern const struct provider_ops provider_twilio;
extern const struct provider_ops provider_kannel;
extern const struct provider_ops provider_android;
extern const struct provider_ops provider_vonage;

static int
configure(struct provider *p, const struct provider_ops *ops, char *err,
    size_t errlen, ...)
{
	va_list ap;
	int rc;

	va_start(ap, errlen);
	rc = test_vconfigure(p, ops, err, errlen, ap);
	va_end(ap);
	return rc;
}

static void
twilio(struct provider *p)
{
	char err[256];

	if (configure(p, &provider_twilio, err, sizeof err,
	    "account_sid=ACtest", "auth_token=t", "from=+447700900000",
	    "base_url=http://127.0.0.1:9/tw//", NULL) != 0)
		fail_msg("configure: %s", err);
}

/* Whatever the codec, no answer, 429 and 5xx are retried; other 4xx
 * fail unless the codec says otherwise; err always names the status. */
static void
test_triage(void **state)
{
	static const struct {
		const struct provider_ops *ops;
		int		 status;
		const char	*body;
		enum send_result want;
		const char	*err;
	} cases[] = {
		{ &provider_twilio, 0, "Connection refused", SEND_RETRY,
		    "no answer (HTTP 0): Connection refused" },
		{ &provider_twilio, 0, NULL, SEND_RETRY, "no answer (HTTP 0)" },
		{ &provider_twilio, 429, "{\"code\":20429,\"message\":\"Too "
		    "Many Requests\"}", SEND_RETRY,
		    "HTTP 429: 20429 Too Many Requests" },
		{ &provider_twilio, 500, "", SEND_RETRY, "HTTP 500" },
		{ &provider_twilio, 503, "<html>", SEND_RETRY, "HTTP 503" },
		{ &provider_twilio, 400, "{\"code\":21211,\"message\":\"bad\"}",
		    SEND_FAIL, "HTTP 400: 21211 bad" },
		{ &provider_twilio, 301, "", SEND_FAIL, "HTTP 301" },
		/* Kannel: no result op, a 2xx is sent */
		{ &provider_kannel, 202, "0: Accepted", SEND_OK, "" },
		{ &provider_kannel, 599, "Temporal failure\nmore", SEND_RETRY,
		    "HTTP 599: Temporal failure" },
		{ &provider_kannel, 403, "Authorization failed", SEND_FAIL,
		    "HTTP 403: Authorization failed" },
		/* Android: a 409 is "already taken" */
		{ &provider_android, 409, "", SEND_OK, "" },
		{ &provider_android, 429, "", SEND_RETRY, "HTTP 429" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		char id[INBOUND_MAX_ID] = "x", err[256] = "", cerr[256];
		int rc;

		if (cases[i].ops == &provider_twilio)
			twilio(&p);
		else if (cases[i].ops == &provider_kannel)
			rc = configure(&p, &provider_kannel, cerr, sizeof cerr,
			    "token=tok", "base_url=http://127.0.0.1:13013",
			    "username=u", "password=pw", NULL);
		else
			rc = configure(&p, &provider_android, cerr, sizeof cerr,
			    "signing_key=k", "base_url=http://127.0.0.1:9",
			    "username=u", "password=pw", NULL);
		(void)rc;
		enum send_result got = provider_result(&p, cases[i].status,
		    cases[i].body, cases[i].body ? strlen(cases[i].body) : 0,
		    id, sizeof id, err, sizeof err);
		if (got != cases[i].want || strcmp(err, cases[i].err) != 0)
			fail_msg("case %zu (%s %d): got %d \"%s\"", i,
			    cases[i].ops->name, cases[i].status, got, err);
		p.ops->release(&p);
	}
	assert_true(provider_retry_after(429, -1) == 1);
	assert_true(provider_retry_after(429, 30) == 30);
	assert_true(provider_retry_after(503, 120) == 120);
	assert_true(provider_retry_after(503, -1) == 0);
	assert_true(provider_retry_after(500, 10) == 0);
	assert_true(provider_retry_after(200, 10) == 0);
}

/* No recipient or no text fails before any codec sees it. */
static void
test_preconditions(void **state)
{
	static const struct {
		const char *to, *text, *err;
	} cases[] = {
		{ NULL, "hi", "no recipient" },
		{ "", "hi", "no recipient" },
		{ "+447700900123", NULL, "no text" },
		{ "+447700900123", "", "no text" },
	};
	struct provider p;

	twilio(&p);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct outbound out = { cases[i].to, NULL, cases[i].text, NULL,
		    NULL };
		struct http_out req;
		char err[256] = "";

		http_out_init(&req);
		assert_int_equal(provider_encode(&p, &out, &req, err,
		    sizeof err), -1);
		assert_string_equal(err, cases[i].err);
		assert_null(req.url);
		http_out_release(&req);
	}
	p.ops->release(&p);
}

/* The table's rules, for every codec: the messages a user would see. */
static void
test_keys(void **state)
{
	char secret[] = "/tmp/test_front_XXXXXX", blank[] =
	    "/tmp/test_front_XXXXXX";
	int fd = mkstemp(secret), fd2 = mkstemp(blank);
	char kf[128], bf[128];
	assert_true(fd >= 0 && fd2 >= 0);
	assert_int_equal(write(fd, "from-a-file\nsecond line\n", 24), 24);
	assert_int_equal(write(fd2, "  \n", 3), 3);
	close(fd);
	close(fd2);
	snprintf(kf, sizeof kf, "api_secret_file=%s", secret);
	snprintf(bf, sizeof bf, "signature_secret_file=%s", blank);

	static const char *V[] = { "api_key=k", "api_secret=s",
	    "signature_secret=t", "from=+447700900000" };
	const struct {
		const char *kv[6];
		const char *err;	/* NULL: configures */
	} cases[] = {
		{ { V[0], V[1], V[2], V[3] }, NULL },
		{ { V[0], kf, V[2], V[3] }, NULL },
		{ { V[1], V[2], V[3] }, "api_key is required" },
		{ { V[0], V[2], V[3] }, "api_secret (or api_secret_file) is "
		    "required" },
		{ { V[0], V[1], kf, V[2], V[3] }, "set api_secret or "
		    "api_secret_file, not both" },
		{ { V[0], V[1], bf, V[3] }, "is empty (or only white space)" },
		{ { V[0], "api_secret_file=/nonexistent/x", V[2], V[3] },
		    "/nonexistent/x" },
		{ { V[0], "api_secret= ", V[2], V[3] }, "api_secret is empty" },
		{ { V[0], V[1], V[2], V[3], "signature_method=sha1" },
		    "signature_method is md5hash, hmac-md5, hmac-sha1, "
		    "hmac-sha256 or hmac-sha512, not \"sha1\"" },
		{ { V[0], V[1], V[2], V[3], "base_url=rest.nexmo.com" },
		    "base_url must start with http:// or https://" },
		{ { V[0], V[1], V[2], V[3], "base_url=//" }, "base_url is "
		    "empty" },
		{ { V[0], V[1], V[2], V[3], "signature_secret_file=x" },
		    "not both" },
		{ { V[0], V[1], V[2], V[3], "from_file=x" },
		    "unknown key \"from_file\"" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		char err[256] = "";
		const char *const *k = cases[i].kv;
		int rc = configure(&p, &provider_vonage, err, sizeof err,
		    k[0], k[1], k[2], k[3], k[4], k[5], NULL);
		if (cases[i].err == NULL) {
			if (rc != 0)
				fail_msg("case %zu: %s", i, err);
			p.ops->release(&p);
		} else if (rc != -1 || strstr(err, cases[i].err) == NULL)
			fail_msg("case %zu: rc %d, \"%s\"", i, rc, err);
		/* Errors name the key's line. */
		if (rc == -1 && strncmp(err, "line ", 5) != 0 &&
		    strstr(err, "is required") == NULL)
			fail_msg("case %zu: no line in \"%s\"", i, err);
	}
	unlink(secret);
	unlink(blank);
}

/* A trailing "/" is cut once, in the front: the send URL has one "/". */
static void
test_url_trimmed(void **state)
{
	struct provider p;
	struct outbound out = { "+447700900123", NULL, "hi", NULL, NULL };
	struct http_out req;
	char err[256];

	twilio(&p);
	http_out_init(&req);
	assert_int_equal(provider_encode(&p, &out, &req, err, sizeof err), 0);
	assert_string_equal(req.url, "http://127.0.0.1:9/tw/2010-04-01/"
	    "Accounts/ACtest/Messages.json");
	http_out_release(&req);
	p.ops->release(&p);
}

/* Every type's table is well formed: names unique, a secret's _file
 * free for it, at most PROVIDER_MAX_KEYS, defaults allowed. */
static void
test_tables(void **state)
{
	for (size_t t = 0; provider_types[t]; t++) {
		const struct provider_ops *ops = provider_types[t];
		size_t n = 0;
		assert_non_null(ops->keys);
		assert_non_null(ops->verify);
		assert_non_null(ops->decode);
		assert_non_null(ops->encode);
		assert_non_null(ops->configure);
		for (; ops->keys[n].name; n++) {
			const struct provider_key *k = &ops->keys[n];
			for (size_t m = 0; m < n; m++)
				assert_string_not_equal(ops->keys[m].name,
				    k->name);
			for (size_t c = 0; provider_common_keys[c]; c++)
				assert_string_not_equal(provider_common_keys[c],
				    k->name);
			if (k->def && k->values) {
				size_t v = 0;
				while (k->values[v] &&
				    strcmp(k->values[v], k->def))
					v++;
				if (k->values[v] == NULL)
					fail_msg("%s: %s default not allowed",
					    ops->name, k->name);
			}
		}
		assert_true(n <= PROVIDER_MAX_KEYS);
	}
}

/* A receipt for a type without receipts: ignored; the front says so. */
static void
test_defaults(void **state)
{
	struct provider p;
	struct http_resp resp;

	twilio(&p);
	assert_true(provider_has_receipts(&p));
	p.ops->release(&p);
	/* An ack left NULL is an empty 200 (Vonage). */
	char err[256];
	assert_int_equal(configure(&p, &provider_vonage, err, sizeof err,
	    "api_key=k", "api_secret=s", "signature_secret=t",
	    "from=+447700900000", NULL), 0);
	http_resp_init(&resp);
	provider_ack(&p, NULL, "ignored", &resp);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.body.len, 0);
	http_resp_release(&resp);
	p.ops->release(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_triage),
		cmocka_unit_test(test_preconditions),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_url_trimmed),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_defaults),
	};

	log_set_quiet(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
