/*
 * test_first_run.c -- what a first run rests on: the fake provider's
 * deliver = print (what it prints, and that provider_print delivers it
 * without a network), and which listen addresses count as loopback alone,
 * the condition for a one-time admin token.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "httpd.h"
#include "log.h"
#include "provider_test.h"

extern const struct provider_ops provider_fake;

static int
configure(struct provider *p, char *err, size_t errlen, ...)
{
	va_list ap;
	int rc;

	va_start(ap, errlen);
	rc = test_vconfigure(p, &provider_fake, err, errlen, ap);
	va_end(ap);
	return rc;
}

/* Which way the fake delivers, by its keys. */
static void
test_deliver_keys(void **state)
{
	static const struct {
		const char	*deliver;	/* NULL: not given */
		const char	*base_url;
		enum http_via	 via;		/* when configured */
		const char	*err;		/* NULL: configured */
	} cases[] = {
		{ NULL, NULL, HTTP_VIA_TERMINAL, NULL },
		{ "print", NULL, HTTP_VIA_TERMINAL, NULL },
		{ NULL, "http://127.0.0.1:9", HTTP_VIA_NETWORK, NULL },
		{ "http", "http://127.0.0.1:9", HTTP_VIA_NETWORK, NULL },
		{ "http", NULL, 0, "deliver = http needs base_url" },
		{ "print", "http://127.0.0.1:9", 0, "deliver = print sends "
		    "nothing to base_url" },
		{ "mail", NULL, 0, "deliver" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char err[256] = "", d[64], b[128];
		struct provider p;
		struct http_out req;
		struct outbound out = { .to = "+447700900123",
		    .text = "Hello", .idem_key = "fake:1:reply" };
		int rc;

		snprintf(d, sizeof d, "deliver=%s", cases[i].deliver);
		snprintf(b, sizeof b, "base_url=%s", cases[i].base_url);
		rc = configure(&p, err, sizeof err, "allow_unsigned=yes",
		    cases[i].deliver ? d : "from=+447700900000",
		    cases[i].base_url ? b : "from=+447700900000", NULL);
		if (cases[i].err != NULL) {
			if (rc == 0 || strstr(err, cases[i].err) == NULL)
				fail_msg("case %zu: expected \"%s\", got %d "
				    "\"%s\"", i, cases[i].err, rc, err);
			if (p.ops->release)
				p.ops->release(&p);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu: configure: %s", i, err);
		http_out_init(&req);
		assert_int_equal(provider_encode(&p, &out, &req, err,
		    sizeof err), 0);
		if (req.via != cases[i].via)
			fail_msg("case %zu: via %d", i, req.via);
		http_out_release(&req);
		p.ops->release(&p);
	}
}

/* What the terminal shows of a message, and that showing it is sending. */
static void
test_printed(void **state)
{
	static const struct {
		const char	*text;
		const char	*from;
		const char	*want[3];	/* each in what is printed */
	} cases[] = {
		{ "Hello Jane", NULL, {
		    "--- SMS to +447700900123 from +447700900000 (fake "
		    "provider: printed, not sent) ---\nHello Jane\n",
		    "--- 1 segment, GSM-7, 10 septets; id fake-", NULL } },
		{ "Diolch, Siân 👋", "Branch", {
		    " from Branch (", "Diolch, Siân 👋\n",
		    "1 segment, UCS-2, 15 UTF-16 units" } },
		/* A name from a text cannot drive the terminal. */
		{ "Hi \x1b[2Jx\r\xc2\x9b!\nBye", NULL, {
		    "\nHi ?[2Jx?" "?!\nBye\n", NULL, NULL } },
		{ "", NULL, { NULL, NULL, NULL } },	/* refused */
	};
	struct provider p;
	char err[256];

	if (configure(&p, err, sizeof err, "allow_unsigned=yes", NULL) != 0)
		fail_msg("configure: %s", err);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct outbound out = { .to = "+447700900123",
		    .from = cases[i].from, .text = cases[i].text,
		    .idem_key = "fake:1:reply" };
		char ext_id[128], shown[2048] = "";
		struct http_out req;
		FILE *fp;

		http_out_init(&req);
		if (cases[i].text[0] == '\0') {
			assert_int_equal(provider_encode(&p, &out, &req, err,
			    sizeof err), -1);
			http_out_release(&req);
			continue;
		}
		assert_int_equal(provider_encode(&p, &out, &req, err,
		    sizeof err), 0);
		assert_non_null(fp = fmemopen(shown, sizeof shown - 1, "w"));
		assert_int_equal(provider_print(&p, &req, fp, ext_id,
		    sizeof ext_id, err, sizeof err), SEND_OK);
		fclose(fp);
		assert_string_equal(ext_id, req.ext_id);
		assert_int_equal(strncmp(ext_id, "fake-", 5), 0);
		for (int k = 0; k < 3 && cases[i].want[k]; k++)
			if (strstr(shown, cases[i].want[k]) == NULL)
				fail_msg("case %zu: [%s] not in [%s]", i,
				    cases[i].want[k], shown);
		http_out_release(&req);
	}
	/* A request for the network is not the terminal's. */
	struct http_out net;
	char id[64];
	http_out_init(&net);
	assert_int_equal(provider_print(&p, &net, stdout, id, sizeof id, err,
	    sizeof err), SEND_FAIL);
	http_out_release(&net);
	p.ops->release(&p);
}

/* Loopback alone: only then may a first run print an admin token. */
static void
test_loopback(void **state)
{
	static const struct {
		const char	*listen;
		int		 want;
	} cases[] = {
		{ "127.0.0.1:8080", 1 },
		{ "127.0.0.1:0", 1 },
		{ "127.1.2.3:80", 1 },
		{ "[::1]:8080", 1 },
		{ "[::ffff:127.0.0.1]:8080", 1 },
		{ "0.0.0.0:8080", 0 },
		{ ":8080", 0 },
		{ "[::]:8080", 0 },
		{ "192.0.2.1:8080", 0 },
		{ "[2001:db8::1]:8080", 0 },
		{ "128.0.0.1:8080", 0 },
		{ "localhost:8080", 0 },	/* not what httpd binds */
		{ "127.0.0.1", 0 },
		{ "", 0 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (httpd_listen_loopback(cases[i].listen) != cases[i].want)
			fail_msg("%s: expected %d", cases[i].listen,
			    cases[i].want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deliver_keys),
		cmocka_unit_test(test_printed),
		cmocka_unit_test(test_loopback),
	};

	log_set_quiet(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
