/*
 * test_provider_optouts.c -- what each codec reports when its provider
 * says a number opted out there: a send refused (SEND_OPTED_OUT), a
 * receipt (struct delivery's opted_out), an inbound keyword it matched
 * itself (struct inbound's optout).  Only what the providers document.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>

#include "provider_test.h"

extern const struct provider_ops provider_twilio, provider_plivo,
    provider_telnyx, provider_vonage;

static int
test_configure(struct provider *p, const struct provider_ops *ops, char *err,
    ...)
{
	va_list ap;
	int rc;

	va_start(ap, err);
	rc = test_vconfigure(p, ops, err, 256, ap);
	va_end(ap);
	return rc;
}

static void
configure(struct provider *p, const struct provider_ops *ops)
{
	char err[256];
	int rc;

	if (ops == &provider_twilio)
		rc = test_configure(p, ops, err, "account_sid=ACtest0000000000000000000000000000",
		    "auth_token=t", "from=+447700900000", NULL);
	else if (ops == &provider_plivo)
		rc = test_configure(p, ops, err, "auth_id=MAtest",
		    "auth_token=t", "from=+447700900000", NULL);
	else if (ops == &provider_telnyx)
		rc = test_configure(p, ops, err, "public_key="
		    "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
		    "api_key=k", "from=+447700900000", NULL);
	else
		rc = test_configure(p, ops, err, "api_key=k", "api_secret=s",
		    "signature_secret=x", "from=+447700900000", NULL);
	if (rc != 0)
		fail_msg("%s: %s", ops->name, err);
}

static void
test_send(void **state)
{
	static const struct {
		const struct provider_ops	*ops;
		int				 status;
		const char			*body;
		enum send_result		 want;
	} cases[] = {
		{ &provider_twilio, 400, "{\"code\": 21610, \"message\": "
		    "\"Attempt to send to unsubscribed recipient\"}",
		    SEND_OPTED_OUT },
		{ &provider_twilio, 400, "{\"code\": 21211, \"message\": "
		    "\"Invalid 'To' Phone Number\"}", SEND_FAIL },
		{ &provider_twilio, 503, "{\"code\": 21610}", SEND_RETRY },
		{ &provider_telnyx, 400, "{\"errors\":[{\"code\":\"40300\","
		    "\"title\":\"Blocked due to STOP message\"}]}",
		    SEND_OPTED_OUT },
		{ &provider_telnyx, 422, "{\"errors\":[{\"code\":\"10002\"},"
		    "{\"code\":\"40300\"}]}", SEND_OPTED_OUT },
		{ &provider_telnyx, 400, "{\"errors\":[{\"code\":40300}]}",
		    SEND_FAIL },	/* a number: not what Telnyx sends */
		{ &provider_telnyx, 400, "{\"errors\":[{\"code\":\"40001\"}]}",
		    SEND_FAIL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		char id[128] = "", err[256] = "";
		configure(&p, cases[i].ops);
		enum send_result got = provider_result(&p, cases[i].status,
		    cases[i].body, strlen(cases[i].body), id, sizeof id, err,
		    sizeof err);
		if (got != cases[i].want)
			fail_msg("case %zu (%s): got %d, want %d", i,
			    p.ops->name, got, cases[i].want);
		p.ops->release(&p);
	}
}

static void
test_receipt(void **state)
{
	static const struct {
		const struct provider_ops	*ops;
		const char			*body;
		int				 opted_out;
		enum delivery_state		 state;
	} cases[] = {
		{ &provider_twilio, "MessageSid=SM1&MessageStatus=undelivered&"
		    "ErrorCode=21610", 1, DELIVERY_FAILED },
		{ &provider_twilio, "MessageSid=SM1&MessageStatus=failed&"
		    "ErrorCode=30003", 0, DELIVERY_FAILED },
		{ &provider_twilio, "MessageSid=SM1&MessageStatus=delivered",
		    0, DELIVERY_DELIVERED },
		{ &provider_plivo, "MessageUUID=u1&Status=failed&ErrorCode=200",
		    1, DELIVERY_FAILED },
		{ &provider_plivo, "MessageUUID=u1&Status=failed&ErrorCode=30",
		    0, DELIVERY_FAILED },
		{ &provider_plivo, "MessageUUID=u1&Status=delivered&ErrorCode=",
		    0, DELIVERY_DELIVERED },
		{ &provider_vonage, "messageId=m1&status=failed&err-code=9", 1,
		    DELIVERY_FAILED },
		{ &provider_vonage, "messageId=m1&status=rejected&err-code=9",
		    1, DELIVERY_FAILED },
		{ &provider_vonage, "messageId=m1&status=expired&err-code=9", 0,
		    DELIVERY_FAILED },
		{ &provider_vonage, "messageId=m1&status=failed&err-code=29", 0,
		    DELIVERY_FAILED },
		{ &provider_vonage, "messageId=m1&status=delivered&err-code=0",
		    0, DELIVERY_DELIVERED },
		{ &provider_telnyx, "{\"data\":{\"event_type\":\"message."
		    "finalized\",\"payload\":{\"id\":\"t1\",\"to\":[{\"status\":"
		    "\"delivery_failed\"}],\"errors\":[{\"code\":\"40300\","
		    "\"title\":\"Blocked due to STOP message\"}]}}}", 1,
		    DELIVERY_FAILED },
		{ &provider_telnyx, "{\"data\":{\"event_type\":\"message."
		    "finalized\",\"payload\":{\"id\":\"t1\",\"to\":[{\"status\":"
		    "\"delivery_failed\"}],\"errors\":[{\"code\":\"40008\"}]}}}",
		    0, DELIVERY_FAILED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct delivery d;
		int json = cases[i].ops == &provider_telnyx;
		struct http_header h = { "Content-Type", json ?
		    (char *)(uintptr_t)"application/json" :
		    (char *)(uintptr_t)"application/x-www-form-urlencoded" };
		struct http_req req = { .method = "POST", .path = "/status/main",
		    .query = "", .url = "https://gw.example/status/main",
		    .headers = &h, .nheaders = 1, .body = cases[i].body,
		    .body_len = strlen(cases[i].body),
		    .remote_addr = "127.0.0.1" };
		configure(&p, cases[i].ops);
		if (provider_decode_status(&p, &req, &d) != DECODE_MESSAGE)
			fail_msg("case %zu (%s): not decoded", i, p.ops->name);
		if (d.opted_out != cases[i].opted_out ||
		    d.state != cases[i].state)
			fail_msg("case %zu (%s): opted_out %d state %d", i,
			    p.ops->name, d.opted_out, d.state);
		p.ops->release(&p);
	}
}

static void
test_inbound(void **state)
{
	static const struct {
		const char		*body;
		enum provider_optout	 want;
		const char		*raw;
	} cases[] = {
		{ "OptOutType=STOP", PROVIDER_OPTOUT_STOP, "OptOutType=STOP" },
		{ "OptOutType=START", PROVIDER_OPTOUT_START,
		    "OptOutType=START" },
		{ "OptOutType=HELP", PROVIDER_OPTOUT_HELP, "OptOutType=HELP" },
		{ "OptOutType=stop", PROVIDER_OPTOUT_STOP, "OptOutType=STOP" },
		{ "OptOutType=MAYBE", PROVIDER_OPTOUT_NONE, "" },
		{ "OptOutType=", PROVIDER_OPTOUT_NONE, "" },
		{ "OptOutType=STOP%00", PROVIDER_OPTOUT_NONE, "" },
		{ "NumMedia=0", PROVIDER_OPTOUT_NONE, "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct inbound in;
		char body[512];
		snprintf(body, sizeof body, "MessageSid=SM1&From=%%2B447700900123"
		    "&To=%%2B447700900000&Body=ARRET&%s", cases[i].body);
		struct http_header h = { "Content-Type",
		    (char *)(uintptr_t)"application/x-www-form-urlencoded" };
		struct http_req req = { .method = "POST", .query = "",
		    .headers = &h, .nheaders = 1, .body = body,
		    .body_len = strlen(body), .remote_addr = "127.0.0.1" };
		configure(&p, &provider_twilio);
		assert_int_equal(provider_decode(&p, &req, &in), DECODE_MESSAGE);
		if (in.optout != cases[i].want ||
		    strcmp(in.optout_raw, cases[i].raw) != 0)
			fail_msg("case %zu: optout %d raw \"%s\"", i, in.optout,
			    in.optout_raw);
		assert_string_equal(in.text, "ARRET");
		p.ops->release(&p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_send),
		cmocka_unit_test(test_receipt),
		cmocka_unit_test(test_inbound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
