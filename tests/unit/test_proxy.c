/*
 * test_proxy.c -- the URL a signature is checked against, behind a proxy:
 * which peers are believed, and which header values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

#define BASE	"https://gw.internal:8080"
#define URI	"/webhooks/tw?x=1"

static void
test_url(void **state)
{
	static const struct {
		const char	*peer;
		const char	*proto, *host, *prefix;
		const char	*want;
	} cases[] = {
		{ "127.0.0.1", NULL, NULL, NULL, BASE URI },
		{ "127.0.0.1", "http", "sms.example.org", "/gw",
		    "http://sms.example.org/gw" URI },
		{ "10.1.2.3", "HTTPS", "sms.example.org:8443", NULL,
		    "https://sms.example.org:8443" URI },
		{ "::1", NULL, "[2001:db8::1]:443", NULL,
		    "https://[2001:db8::1]:443" URI },
		{ "::ffff:10.0.0.9", "http", NULL, NULL,
		    "http://gw.internal:8080" URI },
		/* Not trusted: nothing is read. */
		{ "192.0.2.1", "http", "sms.example.org", "/gw", BASE URI },
		{ "::2", "http", NULL, NULL, BASE URI },
		/* Lists: the last value, the trusted peer's. */
		{ "127.0.0.1", "http, https", "evil.example, sms.example.org",
		    NULL, "https://sms.example.org" URI },
		{ "127.0.0.1", NULL, NULL, "/gw/", BASE "/gw" URI },
		{ "127.0.0.1", NULL, NULL, "/", BASE URI },
		/* Malformed: that one ignored, the others kept. */
		{ "127.0.0.1", "ftp", "sms.example.org", NULL,
		    "https://sms.example.org" URI },
		{ "127.0.0.1", NULL, "sms.example.org/x", "/gw", BASE "/gw" URI },
		{ "127.0.0.1", NULL, "user@sms.example.org", NULL, BASE URI },
		{ "127.0.0.1", NULL, "sms.example.org:65536", NULL, BASE URI },
		{ "127.0.0.1", NULL, "sms.example.org:", NULL, BASE URI },
		{ "127.0.0.1", NULL, "[::1", NULL, BASE URI },
		{ "127.0.0.1", NULL, "-x.example", NULL, BASE URI },
		{ "127.0.0.1", NULL, "", NULL, BASE URI },
		{ "127.0.0.1", NULL, "a b", NULL, BASE URI },
		{ "127.0.0.1", NULL, NULL, "gw", BASE URI },
		{ "127.0.0.1", NULL, NULL, "//evil.example", BASE URI },
		{ "127.0.0.1", NULL, NULL, "/a/../b", BASE URI },
		{ "127.0.0.1", NULL, NULL, "/a/./b", BASE URI },
		{ "127.0.0.1", NULL, NULL, "/a?b", BASE URI },
		{ "127.0.0.1", NULL, NULL, "/a#b", BASE URI },
		{ "127.0.0.1", NULL, NULL, "/a/.well-known", BASE "/a/.well-known" URI },
	};
	struct proxy_set ps;
	char err[256];
	int failed = 0;

	(void)state;
	assert_int_equal(proxy_set_parse("127.0.0.1, 10.0.0.0/8 ::1", &ps, err,
	    sizeof err), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct http_header h[3];
		size_t n = 0;
		if (cases[i].proto)
			h[n++] = (struct http_header){ "X-Forwarded-Proto",
			    (char *)(uintptr_t)cases[i].proto };
		if (cases[i].host)
			h[n++] = (struct http_header){ "X-Forwarded-Host",
			    (char *)(uintptr_t)cases[i].host };
		if (cases[i].prefix)
			h[n++] = (struct http_header){ "x-forwarded-prefix",
			    (char *)(uintptr_t)cases[i].prefix };
		struct http_req req = { .method = "POST", .headers = h,
		    .nheaders = n, .remote_addr = cases[i].peer };
		char *got = proxy_url(&ps, &req, BASE, URI);
		if (strcmp(got, cases[i].want) != 0) {
			fprintf(stderr, "case %zu: got %s, want %s\n", i, got,
			    cases[i].want);
			failed++;
		}
		free(got);
	}
	proxy_set_free(&ps);
	assert_int_equal(failed, 0);
}

static void
test_twice(void **state)
{
	struct http_header h[] = {
		{ "X-Forwarded-Host", (char *)(uintptr_t)"a.example" },
		{ "X-Forwarded-Host", (char *)(uintptr_t)"b.example" },
	};
	struct http_req req = { .method = "POST", .headers = h, .nheaders = 2,
	    .remote_addr = "127.0.0.1" };
	struct proxy_set ps;
	char err[256], *got;

	(void)state;
	assert_int_equal(proxy_set_parse("127.0.0.1", &ps, err, sizeof err), 0);
	got = proxy_url(&ps, &req, BASE, URI);
	assert_string_equal(got, BASE URI);	/* which one is not known */
	free(got);
	proxy_set_free(&ps);
}

static void
test_parse(void **state)
{
	static const struct {
		const char	*list;
		int		 rc;
		const char	*err;
	} cases[] = {
		{ "", 0, NULL },
		{ "127.0.0.1,::1 fd00::/8", 0, NULL },
		{ "10.0.0.0/33", -1, "\"10.0.0.0/33\" is not" },
		{ "127.0.0.1, localhost", -1, "\"localhost\" is not" },
		{ "::1/129", -1, "\"::1/129\"" },
		{ "1.2.3.4/", -1, "\"1.2.3.4/\"" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct proxy_set ps;
		char err[256] = "";
		assert_int_equal(proxy_set_parse(cases[i].list, &ps, err,
		    sizeof err), cases[i].rc);
		if (cases[i].err)
			assert_non_null(strstr(err, cases[i].err));
		proxy_set_free(&ps);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_twice),
		cmocka_unit_test(test_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
