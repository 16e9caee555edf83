/*
 * test_metrics.c -- the registry and its text: who may scrape, what a
 * count turns into, histograms cumulative, label values escaped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "config.h"
#include "crypto.h"
#include "metrics.h"
#include "provider.h"

static struct provider provs[2];
static struct provider_set set = { provs, 2 };

static void
setup(const char *allow, const char *token)
{
	struct config cf;
	unsigned char d[CRYPTO_MAX_DIGEST];
	char hex[65] = "";

	memset(&cf, 0, sizeof cf);
	if (token) {
		crypto_digest(HASH_SHA256, token, strlen(token), d);
		hex_encode(d, 32, hex);
	}
	cf.metrics_allow_from = (char *)(uintptr_t)allow;
	cf.metrics_token_sha256 = hex;
	strcpy(provs[0].name, "main");
	strcpy(provs[1].name, "odd\"name");
	assert_int_equal(metrics_init(&cf, &set), 0);
}

static void
test_allowed(void **state)
{
	static const struct {
		const char *addr, *auth;
		int want;
	} cases[] = {
		{ "127.0.0.1", "Bearer s3cret-not-real", 200 },
		{ "::1", "bearer s3cret-not-real", 200 },
		{ "::ffff:127.0.0.1", "Bearer s3cret-not-real", 200 },
		{ "127.0.0.2", "Bearer s3cret-not-real", 403 },
		{ "192.0.2.1", NULL, 403 },
		{ "127.0.0.1", NULL, 401 },
		{ "127.0.0.1", "Bearer ", 401 },
		{ "127.0.0.1", "Bearer s3cret-not-rea", 401 },
		{ "127.0.0.1", "Basic czNjcmV0", 401 },
	};

	setup("127.0.0.1/32, ::1", "s3cret-not-real");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(metrics_allowed(cases[i].addr, cases[i].auth),
		    cases[i].want);
	metrics_free();
	setup("10.0.0.0/8", NULL);
	assert_int_equal(metrics_allowed("10.1.2.3", NULL), 200);
	assert_int_equal(metrics_allowed("127.0.0.1", NULL), 403);
	metrics_free();
}

static void
test_render(void **state)
{
	static const char *const want[] = {
		"gateway_inbound_total{instance=\"main\",outcome=\"accepted\"} 2\n",
		"gateway_inbound_total{instance=\"odd\\\"name\",outcome=\"malformed\"} 1\n",
		"gateway_inbound_total{instance=\"(unknown)\",outcome=\"rejected\"} 1\n",
		"gateway_leads_total{match_kind=\"nearest\"} 1\n",
		"gateway_leads_total{match_kind=\"none\"} 1\n",
		"gateway_optouts_total 1\n",
		"gateway_sends_total{channel=\"sms\",instance=\"main\",outcome=\"retry\"} 1\n",
		"gateway_sends_total{channel=\"email\",instance=\"\",outcome=\"dead\"} 1\n",
		"gateway_outbox_rows{state=\"queued\"} 3\n",
		"gateway_outbox_oldest_queued_age_seconds 60\n",
		"gateway_batch_size_bucket{le=\"1\"} 1\n",
		"gateway_batch_size_bucket{le=\"4\"} 2\n",
		"gateway_batch_size_bucket{le=\"+Inf\"} 3\n",
		"gateway_batch_size_sum 2004\n",
		"gateway_batch_size_count 3\n",
		"gateway_commit_duration_seconds_bucket{le=\"0.001\"} 1\n",
		"gateway_commit_duration_seconds_bucket{le=\"0.0025\"} 2\n",
		"gateway_http_request_duration_seconds_count 1\n",
	};
	struct metrics_db db = { { 3 }, 1000 };
	struct buf b;

	setup("127.0.0.1", NULL);
	metrics_inbound(0, MI_ACCEPTED);
	metrics_inbound(metrics_instance("main"), MI_ACCEPTED);
	metrics_inbound(metrics_instance("odd\"name"), MI_MALFORMED);
	metrics_inbound(metrics_instance("nobody"), MI_REJECTED);
	metrics_lead("nearest");
	metrics_lead("something new");
	metrics_optout();
	metrics_send("sms", 0, MS_RETRY);
	metrics_send("email", -1, MS_DEAD);
	metrics_batch(1, 1000000);
	metrics_batch(3, 2000000);
	metrics_batch(2000, 3000000000ULL);
	metrics_request(5000);
	buf_init(&b, 0);
	assert_int_equal(metrics_render(&b, &db, 1060), 0);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strstr(b.data, want[i]) == NULL)
			fail_msg("missing: %s", want[i]);
	/* Nothing came for an unknown instance but that rejection. */
	assert_null(strstr(b.data, "(unknown)\",outcome=\"accepted\""));
	buf_release(&b);
	metrics_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowed),
		cmocka_unit_test(test_render),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
