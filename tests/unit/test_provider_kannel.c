/* test_provider_kannel.c -- the Kannel codec against providers.md §8, §9. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "provider.h"

extern const struct provider_ops provider_kannel;

#define TOKEN		"test-token-not-real"
#define MSGID		"3f1b2c4d-8e9a-4b1c-9d2e-5f6a7b8c9d0e"

static struct config_pair good_conf[] = {
	{ "type", "kannel", 1 },
	{ "token", TOKEN, 2 },
	{ "base_url", "http://127.0.0.1:13013/", 3 },
	{ "username", "gateway", 4 },
	{ "password", "test-password-not-real", 5 },
	{ "from", "+447700900000", 6 },
};
#define NGOOD	(sizeof good_conf / sizeof good_conf[0])

static int
configure(struct provider *p, struct config_pair *pairs, size_t n, char *err,
    size_t errlen)
{
	struct config_block cb = { "provider", "sms", 1, pairs, n };

	memset(p, 0, sizeof *p);
	p->ops = &provider_kannel;
	strcpy(p->name, "sms");
	return provider_configure(p, &cb, err, errlen);
}

static void
configure_ok(struct provider *p, struct config_pair *pairs, size_t n)
{
	char err[256] = "";

	if (configure(p, pairs, n, err, sizeof err) != 0)
		fail_msg("configure: %s", err);
}

/* A get-url call, as smsbox makes it. */
static struct http_req
get(const char *query)
{
	struct http_req req = {
		.method = "GET", .path = "/webhooks/sms", .query = query,
		.url = "http://gw.example/webhooks/sms", .headers = NULL,
		.nheaders = 0, .body = "", .body_len = 0,
		.remote_addr = "127.0.0.1",
	};

	return req;
}

static void
test_verify(void **state)
{
	static const struct {
		const char	*query;
		enum verify_result want;
	} cases[] = {
		/* The brief's get-url, filled in. */
		{ "token=" TOKEN "&from=%2B447700900123&to=447700900000&text="
		    "Hello&id=" MSGID "&coding=0&charset=UTF-8", VERIFY_OK },
		{ "id=" MSGID "&token=" TOKEN, VERIFY_OK },
		{ "token=test%2Dtoken%2Dnot%2Dreal", VERIFY_OK },
		{ "token=" TOKEN "&token=wrong", VERIFY_BAD },	/* whose? */
		{ "token=wrong&token=" TOKEN, VERIFY_BAD },
		{ "token=test-token-not-rea", VERIFY_BAD },
		{ "token=test-token-not-reall", VERIFY_BAD },
		{ "token=TEST-TOKEN-NOT-REAL", VERIFY_BAD },
		{ "token=test-token-not-real%00", VERIFY_BAD },
		{ "token=", VERIFY_BAD },
		{ "token", VERIFY_BAD },
		{ "", VERIFY_BAD },
		{ "from=%2B447700900123&text=Hello&id=" MSGID, VERIFY_BAD },
		{ "Token=" TOKEN, VERIFY_BAD },
		{ "token=" TOKEN "&text=%zz", VERIFY_BAD },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct http_req req = get(cases[i].query);

		configure_ok(&p, good_conf, NGOOD);
		if (provider_kannel.verify(&p, &req, 0) != cases[i].want)
			fail_msg("\"%s\": expected %d", cases[i].query,
			    (int)cases[i].want);
		/* The same query on a post-url call. */
		req.method = "POST";
		req.body = "Hello";
		req.body_len = 5;
		if (provider_kannel.verify(&p, &req, 0) != cases[i].want)
			fail_msg("POST \"%s\": expected %d", cases[i].query,
			    (int)cases[i].want);
		provider_kannel.release(&p);
	}
}

static void
test_verify_other_token(void **state)
{
	struct config_pair conf[NGOOD];
	struct provider p;
	struct http_req req = get("token=" TOKEN "&id=" MSGID);

	memcpy(conf, good_conf, sizeof conf);
	conf[1].value = "another-test-token";
	configure_ok(&p, conf, NGOOD);
	assert_int_equal(provider_kannel.verify(&p, &req, 0), VERIFY_BAD);
	provider_kannel.release(&p);
}

#define Q(rest)	"token=" TOKEN "&id=" MSGID "&" rest

static void
test_decode_get(void **state)
{
	static const struct {
		const char	*what;
		const char	*query;
		enum decode_result want;
		const char	*sender, *recipient, *text;
	} cases[] = {
		{ "GSM text", Q("from=%2B447700900123&to=447700900000&text="
		    "SW1A+1AA+Jane&coding=0&charset=UTF-8"), DECODE_MESSAGE,
		    "+447700900123", "+447700900000", "SW1A 1AA Jane" },
		{ "no coding or charset", Q("from=447700900124&"
		    "to=%2B447700900000&text=Hello"), DECODE_MESSAGE,
		    "+447700900124", "+447700900000", "Hello" },
		{ "national sender", Q("from=07700900125&to=07700900000&"
		    "text=hi"), DECODE_MESSAGE, "+447700900125",
		    "+447700900000", "hi" },
		{ "00 sender", Q("from=00447700900126&text=hi"), DECODE_MESSAGE,
		    "+447700900126", "", "hi" },
		{ "alphanumeric sender", Q("from=Vodafone&to=447700900000&"
		    "text=Top+up"), DECODE_MESSAGE, "Vodafone", "+447700900000",
		    "Top up" },
		{ "7-bit, GSM extras as UTF-8", Q("from=447700900123&"
		    "text=%E2%82%AC5+%5Bcaf%C3%A9%5D&coding=0&charset=UTF-8"),
		    DECODE_MESSAGE, "+447700900123", "",
		    "\xe2\x82\xac" "5 [caf\xc3\xa9]" },
		{ "UCS-2, Si\xc3\xa2n", Q("from=447700900123&to=447700900000&"
		    "text=%00S%00i%00%E2%00n&coding=2&charset=UTF-16BE"),
		    DECODE_MESSAGE, "+447700900123", "+447700900000",
		    "Si\xc3\xa2n" },
		{ "UCS-2, emoji", Q("from=447700900123&text=%D8%3D%DE%00&"
		    "coding=2&charset=UTF-16BE"), DECODE_MESSAGE,
		    "+447700900123", "", "\xf0\x9f\x98\x80" },
		/* Kannel's %a joins words with "+", one byte: 00 20 stays
		 * whole. */
		{ "UCS-2, words", Q("from=447700900123&text=%00H%00i%00+"
		    "%D8%3D%DE%00%00+%04%1F%04%40%04%38%04%32%04%35%04%42&"
		    "coding=2&charset=UTF-16BE"), DECODE_MESSAGE,
		    "+447700900123", "", "Hi \xf0\x9f\x98\x80 "
		    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82" },
		{ "UCS-2 without a charset", Q("from=447700900123&"
		    "text=%00S%00i%00%E2%00n&coding=2"), DECODE_MESSAGE,
		    "+447700900123", "", "Si\xc3\xa2n" },
		{ "mo-recode", Q("from=447700900123&text=Si%C3%A2n&coding=0&"
		    "charset=UTF-8"), DECODE_MESSAGE, "+447700900123", "",
		    "Si\xc3\xa2n" },
		{ "empty text", Q("from=447700900123&text="), DECODE_MESSAGE,
		    "+447700900123", "", "" },
		{ "8-bit data", Q("from=447700900123&text=%01%02%FF&coding=1&"
		    "charset=8-BIT"), DECODE_IGNORE, NULL, NULL, NULL },
		{ "UCS-2, odd length", Q("from=447700900123&text=%00S%00&"
		    "coding=2&charset=UTF-16BE"), DECODE_MALFORMED, NULL, NULL,
		    NULL },
		{ "UCS-2, lone high surrogate", Q("from=447700900123&"
		    "text=%D8%3D%00a&coding=2&charset=UTF-16BE"),
		    DECODE_MALFORMED, NULL, NULL, NULL },
		{ "UCS-2, high surrogate at the end", Q("from=447700900123&"
		    "text=%00a%D8%3D&coding=2&charset=UTF-16BE"),
		    DECODE_MALFORMED, NULL, NULL, NULL },
		{ "UCS-2, lone low surrogate", Q("from=447700900123&"
		    "text=%DE%00&coding=2&charset=UTF-16BE"), DECODE_MALFORMED,
		    NULL, NULL, NULL },
		{ "UCS-2, swapped pair", Q("from=447700900123&"
		    "text=%DE%00%D8%3D&coding=2&charset=UTF-16BE"),
		    DECODE_MALFORMED, NULL, NULL, NULL },
		{ "UCS-2, NUL", Q("from=447700900123&text=%00a%00%00&coding=2&"
		    "charset=UTF-16BE"), DECODE_MALFORMED, NULL, NULL, NULL },
		/* Not UTF-8, no charset: read as Windows-1252, not lost. */
		{ "7-bit, not UTF-8", Q("from=447700900123&text=caf%E9&"
		    "coding=0"), DECODE_MESSAGE, "+447700900123", "",
		    "caf\xc3\xa9" },
		{ "7-bit, overlong UTF-8", Q("from=447700900123&text=%C0%AF"),
		    DECODE_MESSAGE, "+447700900123", "", "\xc3\x80\xc2\xaf" },
		{ "declared UTF-8, invalid", Q("from=447700900123&text=a%C0%AFb"
		    "&charset=UTF-8"), DECODE_MESSAGE, "+447700900123", "",
		    "a\xef\xbf\xbd\xef\xbf\xbd" "b" },
		{ "7-bit, NUL", Q("from=447700900123&text=a%00b"),
		    DECODE_MALFORMED, NULL, NULL, NULL },
		{ "no sender", Q("to=447700900000&text=hi"), DECODE_MALFORMED,
		    NULL, NULL, NULL },
		{ "empty sender", Q("from=&text=hi"), DECODE_MALFORMED, NULL,
		    NULL, NULL },
		{ "no text", Q("from=447700900123"), DECODE_MALFORMED, NULL,
		    NULL, NULL },
		{ "no id", "token=" TOKEN "&from=447700900123&text=hi",
		    DECODE_MALFORMED, NULL, NULL, NULL },
		{ "coding 3", Q("from=447700900123&text=hi&coding=3"),
		    DECODE_MALFORMED, NULL, NULL, NULL },
		{ "coding x", Q("from=447700900123&text=hi&coding=x"),
		    DECODE_MALFORMED, NULL, NULL, NULL },
		{ "bad escape", Q("from=447700900123&text=%zz"),
		    DECODE_MALFORMED, NULL, NULL, NULL },
		{ "sender too long", Q("from=4477009001234567890123456789012345"
		    "67890123456789&text=hi"), DECODE_MALFORMED, NULL, NULL,
		    NULL },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct inbound in;
		struct http_req req = get(cases[i].query);
		enum decode_result rc;

		configure_ok(&p, good_conf, NGOOD);
		rc = provider_kannel.decode(&p, &req, &in);
		if (rc != cases[i].want)
			fail_msg("%s: expected %d, got %d", cases[i].what,
			    (int)cases[i].want, (int)rc);
		if (rc == DECODE_MESSAGE) {
			assert_string_equal(in.ext_id, MSGID);
			assert_string_equal(in.sender, cases[i].sender);
			assert_string_equal(in.recipient, cases[i].recipient);
			assert_string_equal(in.text, cases[i].text);
		}
		provider_kannel.release(&p);
	}
}

static void
test_decode_post(void **state)
{
	static const char ucs2[] = "\x00S\x00i\x00\xe2\x00n\x00 "
	    "\xd8\x3d\xde\x00";
	static const char odd[] = "\x00S\x00";
	static const struct {
		const char	*what;
		const char	*query;
		const char	*body;
		size_t		 body_len;
		const char	*headers[6];	/* name, value, ... */
		enum decode_result want;
		const char	*sender, *recipient, *text;
	} cases[] = {
		{ "GSM text", "token=" TOKEN "&id=" MSGID, "SW1A 1AA Jane", 13,
		    { "Content-Type", "text/plain; charset=\"UTF-8\"",
		    "X-Kannel-From", "447700900123", "X-Kannel-To",
		    "447700900000" }, DECODE_MESSAGE, "+447700900123",
		    "+447700900000", "SW1A 1AA Jane" },
		{ "UCS-2", "token=" TOKEN "&id=" MSGID, ucs2, sizeof ucs2 - 1,
		    { "Content-Type", "text/plain; charset=\"UTF-16BE\"",
		    "X-Kannel-From", "+447700900123", "X-Kannel-Coding", "2" },
		    DECODE_MESSAGE, "+447700900123", "", "Si\xc3\xa2n "
		    "\xf0\x9f\x98\x80" },
		{ "UCS-2 by charset alone", "token=" TOKEN "&id=" MSGID, ucs2,
		    sizeof ucs2 - 1, { "Content-Type",
		    "text/plain;charset=utf-16be", "X-Kannel-From",
		    "447700900123" }, DECODE_MESSAGE, "+447700900123", "",
		    "Si\xc3\xa2n \xf0\x9f\x98\x80" },
		{ "sender in the query", "token=" TOKEN "&id=" MSGID
		    "&from=%2B447700900124", "hi", 2, { "Content-Type",
		    "text/plain", "X-Kannel-From", "447700900123" },
		    DECODE_MESSAGE, "+447700900124", "", "hi" },
		{ "UCS-2, odd length", "token=" TOKEN "&id=" MSGID, odd,
		    sizeof odd - 1, { "Content-Type",
		    "text/plain; charset=\"UTF-16BE\"", "X-Kannel-From",
		    "447700900123", "X-Kannel-Coding", "2" }, DECODE_MALFORMED,
		    NULL, NULL, NULL },
		{ "8-bit", "token=" TOKEN "&id=" MSGID, "\x01\x02", 2,
		    { "Content-Type", "application/octet-stream",
		    "X-Kannel-From", "447700900123", "X-Kannel-Coding", "1" },
		    DECODE_IGNORE, NULL, NULL, NULL },
		{ "no send-sender", "token=" TOKEN "&id=" MSGID, "hi", 2,
		    { "Content-Type", "text/plain", "X-Kannel-To",
		    "447700900000" }, DECODE_MALFORMED, NULL, NULL, NULL },
		{ "no id", "token=" TOKEN, "hi", 2, { "X-Kannel-From",
		    "447700900123" }, DECODE_MALFORMED, NULL, NULL, NULL },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct http_header h[3];
		size_t nh = 0;
		struct provider p;
		struct inbound in;
		struct http_req req = get(cases[i].query);
		enum decode_result rc;

		for (; nh < 3 && cases[i].headers[2 * nh]; nh++) {
			h[nh].name = strdup(cases[i].headers[2 * nh]);
			h[nh].value = strdup(cases[i].headers[2 * nh + 1]);
		}
		req.method = "POST";
		req.headers = h;
		req.nheaders = nh;
		req.body = cases[i].body;
		req.body_len = cases[i].body_len;
		configure_ok(&p, good_conf, NGOOD);
		rc = provider_kannel.decode(&p, &req, &in);
		if (rc != cases[i].want)
			fail_msg("%s: expected %d, got %d", cases[i].what,
			    (int)cases[i].want, (int)rc);
		if (rc == DECODE_MESSAGE) {
			assert_string_equal(in.ext_id, MSGID);
			assert_string_equal(in.sender, cases[i].sender);
			assert_string_equal(in.recipient, cases[i].recipient);
			assert_string_equal(in.text, cases[i].text);
		}
		provider_kannel.release(&p);
		for (size_t j = 0; j < nh; j++) {
			free(h[j].name);
			free(h[j].value);
		}
	}
}

/* Texts at and over the limit, as UTF-8 and as UTF-16BE. */
static void
test_decode_bounds(void **state)
{
	static const struct {
		int	ucs2;
		size_t	chars;		/* 'a'; in UCS-2, U+00E9 */
		size_t	idlen;
		enum decode_result want;
	} cases[] = {
		{ 0, INBOUND_MAX_TEXT - 1, 36, DECODE_MESSAGE },
		{ 0, INBOUND_MAX_TEXT, 36, DECODE_MALFORMED },
		{ 0, 30000, 36, DECODE_MALFORMED },
		{ 1, INBOUND_MAX_TEXT / 2 - 1, 36, DECODE_MESSAGE },
		{ 1, INBOUND_MAX_TEXT / 2, 36, DECODE_MALFORMED },
		{ 0, 5, INBOUND_MAX_ID - 1, DECODE_MESSAGE },
		{ 0, 5, INBOUND_MAX_ID, DECODE_MALFORMED },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf q;
		struct provider p;
		struct inbound in;
		struct http_req req;

		buf_init(&q, 0);
		buf_puts(&q, "token=" TOKEN "&from=447700900123&id=");
		for (size_t j = 0; j < cases[i].idlen; j++)
			buf_puts(&q, "x");
		buf_puts(&q, cases[i].ucs2 ? "&coding=2&text=" : "&text=");
		for (size_t j = 0; j < cases[i].chars; j++)
			buf_puts(&q, cases[i].ucs2 ? "%00%E9" : "a");
		req = get(q.data);
		configure_ok(&p, good_conf, NGOOD);
		if (provider_kannel.decode(&p, &req, &in) != cases[i].want)
			fail_msg("case %zu: expected %d", i,
			    (int)cases[i].want);
		if (cases[i].want == DECODE_MESSAGE)
			assert_int_equal(strlen(in.text), cases[i].ucs2 ?
			    2 * cases[i].chars : cases[i].chars);
		provider_kannel.release(&p);
		buf_release(&q);
	}
}

static void
test_ack(void **state)
{
	static const struct {
		const char	*reply;
		const char	*type;
		const char	*body;
		size_t		 len;
		int		 ucs2;		/* coding 2 */
	} cases[] = {
		{ NULL, "text/plain", "", 0, 0 },
		{ "", "text/plain", "", 0, 0 },
		{ "Your nearest branch is Leeds (2.1 miles).",
		    "text/plain; charset=UTF-8",
		    "Your nearest branch is Leeds (2.1 miles).", 41, 0 },
		{ "caf\xc3\xa9 \xe2\x82\xac" "5 [x] {y} ~|^\\",
		    "text/plain; charset=UTF-8",
		    "caf\xc3\xa9 \xe2\x82\xac" "5 [x] {y} ~|^\\", 23, 0 },
		{ "Si\xc3\xa2n", "text/plain; charset=UTF-16BE",
		    "\x00S\x00i\x00\xe2\x00n", 8, 1 },
		{ "Hi \xf0\x9f\x98\x80", "text/plain; charset=UTF-16BE",
		    "\x00H\x00i\x00 \xd8\x3d\xde\x00", 10, 1 },
		{ "`", "text/plain; charset=UTF-16BE", "\x00`", 2, 1 },
		{ "gar\xc3\xa7on", "text/plain; charset=UTF-16BE",
		    "\x00g\x00" "a\x00r\x00\xe7\x00o\x00n", 12, 1 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct http_resp resp;

		configure_ok(&p, good_conf, NGOOD);
		http_resp_init(&resp);
		provider_kannel.ack(&p, NULL, cases[i].reply, &resp);
		assert_int_equal(resp.status, 200);
		assert_string_equal(resp.content_type, cases[i].type);
		assert_int_equal(resp.body.len, cases[i].len);
		if (cases[i].len)
			assert_memory_equal(resp.body.data, cases[i].body,
			    cases[i].len);
		if (cases[i].ucs2) {
			assert_int_equal(resp.nheaders, 1);
			assert_string_equal(resp.header_name[0],
			    "X-Kannel-Coding");
			assert_string_equal(resp.header_value[0], "2");
		} else
			assert_int_equal(resp.nheaders, 0);
		http_resp_release(&resp);
		provider_kannel.release(&p);
	}
}

/* providers.md §9.1 and §9.2, every character, through ack. */
static void
test_gsm7_tables(void **state)
{
	static const struct {
		const char	*text;
		int		 gsm;
	} cases[] = {
		{ "@\xc2\xa3$\xc2\xa5\xc3\xa8\xc3\xa9\xc3\xb9\xc3\xac\xc3\xb2"
		    "\xc3\x87\n\xc3\x98\xc3\xb8\r\xc3\x85\xc3\xa5", 1 },
		{ "\xce\x94_\xce\xa6\xce\x93\xce\x9b\xce\xa9\xce\xa0\xce\xa8"
		    "\xce\xa3\xce\x98\xce\x9e\xc3\x86\xc3\xa6\xc3\x9f\xc3\x89",
		    1 },
		{ " !\"#\xc2\xa4%&'()*+,-./0123456789:;<=>?", 1 },
		{ "\xc2\xa1" "ABCDEFGHIJKLMNOPQRSTUVWXYZ\xc3\x84\xc3\x96\xc3"
		    "\x91\xc3\x9c\xc2\xa7", 1 },
		{ "\xc2\xbf" "abcdefghijklmnopqrstuvwxyz\xc3\xa4\xc3\xb6\xc3"
		    "\xb1\xc3\xbc\xc3\xa0", 1 },
		{ "\f^{}\\[~]|\xe2\x82\xac", 1 },
		{ "\x1b", 0 },			/* the escape itself */
		{ "\t", 0 },
		{ "`", 0 },
		{ "\xc3\xa7", 0 },		/* lower-case c cedilla */
		{ "\xc3\xa1", 0 },
		{ "\xe2\x80\x9cword\xe2\x80\x9d", 0 },
		{ "\xc2\xa0", 0 },		/* no-break space */
		{ "\xef\xbf\xbf", 0 },
		{ "\xc3", 0 },			/* not UTF-8 */
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct http_resp resp;

		configure_ok(&p, good_conf, NGOOD);
		http_resp_init(&resp);
		provider_kannel.ack(&p, NULL, cases[i].text, &resp);
		if ((strcmp(resp.content_type, "text/plain; charset=UTF-8") ==
		    0) != cases[i].gsm)
			fail_msg("case %zu: expected %s", i, cases[i].gsm ?
			    "GSM 03.38" : "UCS-2");
		http_resp_release(&resp);
		provider_kannel.release(&p);
	}
}

static void
test_encode(void **state)
{
	static struct config_pair bare_conf[] = {
		{ "token", TOKEN, 1 },
		{ "base_url", "https://kannel.example:13013", 2 },
		{ "username", "gw", 3 },
		{ "password", "p&ss word", 4 },
		{ "dlr_mask", "31", 5 },
	};
	static const struct {
		int		 bare;
		struct outbound	 out;
		const char	*url;
	} cases[] = {
		{ 0, { "+447700900123", NULL, "Hello world", "sms:abc:reply",
		    "https://gw.example/status/sms" },
		    "http://127.0.0.1:13013/cgi-bin/sendsms?username=gateway&"
		    "password=test-password-not-real&from=%2B447700900000&"
		    "to=%2B447700900123&text=Hello%20world&dlr-mask=27&"
		    "dlr-url=https%3A%2F%2Fgw.example%2Fstatus%2Fsms%3Ftoken%3D"
		    "test-token-not-real%26id%3Dsms%253Aabc%253Areply%26type%3D"
		    "%25d%26reply%3D%25A" },
		{ 0, { "+447700900124", "Branch", "Si\xc3\xa2n", NULL, NULL },
		    "http://127.0.0.1:13013/cgi-bin/sendsms?username=gateway&"
		    "password=test-password-not-real&from=Branch&"
		    "to=%2B447700900124&text=Si%C3%A2n&coding=2&"
		    "charset=UTF-8" },
		{ 0, { "+447700900125", NULL, "\xe2\x82\xac" "5 [ok]", "k1",
		    "https://gw.example/status/sms?v=2" },
		    "http://127.0.0.1:13013/cgi-bin/sendsms?username=gateway&"
		    "password=test-password-not-real&from=%2B447700900000&"
		    "to=%2B447700900125&text=%E2%82%AC5%20%5Bok%5D&dlr-mask=27&"
		    "dlr-url=https%3A%2F%2Fgw.example%2Fstatus%2Fsms%3Fv%3D2%26"
		    "token%3Dtest-token-not-real%26id%3Dk1%26type%3D%25d%26"
		    "reply%3D%25A" },
		/* A key Kannel's %-codes could garble: no receipts. */
		{ 0, { "+447700900126", NULL, "Hi", "caf\xc3\xa9",
		    "https://gw.example/status/sms" },
		    "http://127.0.0.1:13013/cgi-bin/sendsms?username=gateway&"
		    "password=test-password-not-real&from=%2B447700900000&"
		    "to=%2B447700900126&text=Hi" },
		{ 1, { "+447700900127", NULL, "Hi \xf0\x9f\x98\x80", "k2",
		    "http://gw.example/status/sms" },
		    "https://kannel.example:13013/cgi-bin/sendsms?username=gw&"
		    "password=p%26ss%20word&to=%2B447700900127&"
		    "text=Hi%20%F0%9F%98%80&coding=2&charset=UTF-8&dlr-mask=31&"
		    "dlr-url=http%3A%2F%2Fgw.example%2Fstatus%2Fsms%3Ftoken%3D"
		    "test-token-not-real%26id%3Dk2%26type%3D%25d%26"
		    "reply%3D%25A" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct http_out req;
		char err[256] = "";

		if (cases[i].bare)
			configure_ok(&p, bare_conf, 5);
		else
			configure_ok(&p, good_conf, NGOOD);
		http_out_init(&req);
		if (provider_encode(&p, &cases[i].out, &req, err,
		    sizeof err) != 0)
			fail_msg("case %zu: %s", i, err);
		assert_string_equal(req.method, "GET");
		assert_string_equal(req.url, cases[i].url);
		assert_int_equal(req.nheaders, 0);
		assert_int_equal(req.body.len, 0);
		assert_null(req.userpwd);
		http_out_release(&req);
		provider_kannel.release(&p);
	}
}

/*
 * What Kannel does with a dlr-url: decode the parameter, then replace its
 * %-codes (urltrans_fill_escape_codes: unknown codes pass through).
 */
static char *
kannel_expand(const char *pattern, const char *type, const char *reply)
{
	struct buf b;

	buf_init(&b, 0);
	for (const char *s = pattern; *s; s++) {
		if (s[0] == '%' && s[1] == 'd') {
			buf_puts(&b, type);
			s++;
		} else if (s[0] == '%' && s[1] == 'A') {
			http_urlencode(&b, reply);
			s++;
		} else if (s[0] == '%' && s[1] != '\0') {
			buf_append(&b, s, 2);
			s++;
		} else
			buf_append(&b, s, 1);
	}
	return b.data;
}

/* Encode's dlr-url, called back as Kannel would, verifies and decodes. */
static void
test_receipt_round_trip(void **state)
{
	struct outbound out = { "+447700900123", NULL, "Hello", "sms:42:reply",
	    "https://gw.example/status/sms" };
	struct http_params q = { 0 };
	struct provider p;
	struct http_out req;
	struct delivery d;
	struct http_req dlr;
	char err[256], *url, *query;

	configure_ok(&p, good_conf, NGOOD);
	http_out_init(&req);
	assert_int_equal(provider_encode(&p, &out, &req, err,
	    sizeof err), 0);
	query = strchr(req.url, '?') + 1;
	assert_int_equal(http_parse_form(query, strlen(query), &q), 0);
	assert_non_null(http_param(&q, "dlr-url"));
	url = kannel_expand(http_param(&q, "dlr-url"), "2",
	    "id:0123 sub:001 dlvrd:000 stat:UNDELIV err:001");
	assert_true(strncmp(url, "https://gw.example/status/sms?", 30) == 0);
	dlr = get(url + 30);
	assert_int_equal(provider_kannel.verify(&p, &dlr, 0), VERIFY_OK);
	assert_int_equal(provider_kannel.decode_status(&p, &dlr, &d),
	    DECODE_MESSAGE);
	assert_string_equal(d.ext_id, "sms:42:reply");
	assert_int_equal(d.state, DELIVERY_FAILED);
	assert_string_equal(d.error,
	    "id:0123 sub:001 dlvrd:000 stat:UNDELIV err:001");
	free(url);
	http_params_release(&q);
	http_out_release(&req);
	provider_kannel.release(&p);
}

static void
test_result(void **state)
{
	static const struct {
		int		 status;
		const char	*body;
		enum send_result want;
		const char	*err;		/* else a part of err */
	} cases[] = {
		{ 202, "0: Accepted for delivery", SEND_OK, NULL },
		{ 202, "3: Queued for later delivery", SEND_OK, NULL },
		{ 200, "Sent.", SEND_OK, NULL },
		{ 202, "\x01garbage\xff", SEND_OK, NULL },
		{ 403, "Authorization failed for sendsms", SEND_FAIL,
		    "HTTP 403: Authorization failed for sendsms" },
		{ 403, "Not routable. Do not try again.", SEND_FAIL,
		    "HTTP 403: Not routable. Do not try again." },
		{ 400, "Missing receiver number, rejected\nmore", SEND_FAIL,
		    "HTTP 400: Missing receiver number, rejected" },
		{ 401, "", SEND_FAIL, "HTTP 401" },
		{ 404, "\x01\x02", SEND_FAIL, "HTTP 404: ??" },
		{ 429, "", SEND_RETRY, "HTTP 429" },
		{ 503, "Temporal failure, try again later.", SEND_RETRY,
		    "HTTP 503: Temporal failure, try again later." },
		{ 500, "garbage", SEND_RETRY, "HTTP 500: garbage" },
		{ 0, "", SEND_RETRY, "HTTP 0" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		char ext_id[INBOUND_MAX_ID] = "unset", err[256] = "";
		enum send_result rc;

		configure_ok(&p, good_conf, NGOOD);
		rc = provider_result(&p, cases[i].status, cases[i].body,
		    strlen(cases[i].body), ext_id, sizeof ext_id, err,
		    sizeof err);
		if (rc != cases[i].want)
			fail_msg("HTTP %d %s: expected %d, got %d",
			    cases[i].status, cases[i].body, (int)cases[i].want,
			    (int)rc);
		if (rc == SEND_OK)
			assert_string_equal(ext_id, "");
		else if (strstr(err, cases[i].err) == NULL)
			fail_msg("HTTP %d: err \"%s\" lacks \"%s\"",
			    cases[i].status, err, cases[i].err);
		provider_kannel.release(&p);
	}
}

static void
test_configure(void **state)
{
	static const struct {
		struct config_pair	 pairs[6];
		size_t			 n;
		const char		*err;	/* NULL: configures */
	} cases[] = {
#define TOK	{ "token", "t", 1 }
#define URL	{ "base_url", "http://h:13013", 2 }
#define USER	{ "username", "u", 3 }
#define PASS	{ "password", "p", 4 }
		{ { TOK, URL, USER, PASS }, 4, NULL },
		{ { TOK, URL, USER, PASS, { "from", "Branch", 5 },
		    { "dlr_mask", "31", 6 } }, 6, NULL },
		{ { TOK, URL, USER, PASS, { "secret", "x", 5 } }, 5,
		    "unknown key \"secret\"" },
		{ { URL, USER, PASS }, 3, "token" },
		{ { { "token", "", 1 }, URL, USER, PASS }, 4,
		    "token is empty" },
		{ { { "token", "two words", 1 }, URL, USER, PASS }, 4,
		    "printable ASCII" },
		{ { { "token", "caf\xc3\xa9", 1 }, URL, USER, PASS }, 4,
		    "printable ASCII" },
		{ { { "token_file", "/nonexistent/kannel.token", 1 }, URL, USER,
		    PASS }, 4, "/nonexistent/kannel.token" },
		{ { TOK, USER, PASS }, 3, "base_url" },
		{ { TOK, { "base_url", "h:13013", 2 }, USER, PASS }, 4,
		    "base_url" },
		{ { TOK, URL, PASS }, 3, "username" },
		{ { TOK, URL, USER }, 3, "password" },
		{ { TOK, URL, USER, PASS, { "dlr_mask", "32", 5 } }, 5,
		    "dlr_mask" },
		{ { TOK, URL, USER, PASS, { "dlr_mask", "0", 5 } }, 5,
		    "dlr_mask" },
		{ { TOK, URL, USER, PASS, { "dlr_mask", "27x", 5 } }, 5,
		    "dlr_mask" },
#undef TOK
#undef URL
#undef USER
#undef PASS
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config_pair pairs[6];
		struct provider p;
		char err[256] = "";
		int rc;

		memcpy(pairs, cases[i].pairs, sizeof pairs);
		rc = configure(&p, pairs, cases[i].n, err, sizeof err);
		if (cases[i].err == NULL) {
			if (rc != 0)
				fail_msg("case %zu: %s", i, err);
			provider_kannel.release(&p);
		} else if (rc != -1 || strstr(err, cases[i].err) == NULL)
			fail_msg("case %zu: expected \"%s\", got \"%s\"", i,
			    cases[i].err, err);
		assert_null(p.priv);
	}
}

static void
test_decode_status(void **state)
{
	static const struct {
		const char	*query;
		enum decode_result want;
		enum delivery_state state;
		const char	*error;
	} cases[] = {
		{ "token=" TOKEN "&id=sms%3Aabc%3Areply&type=1&reply=id%3A1+"
		    "stat%3ADELIVRD", DECODE_MESSAGE, DELIVERY_DELIVERED, "" },
		{ "token=" TOKEN "&id=sms%3Aabc%3Areply&type=2&"
		    "reply=stat%3AUNDELIV+err%3A001", DECODE_MESSAGE,
		    DELIVERY_FAILED, "stat:UNDELIV err:001" },
		{ "token=" TOKEN "&id=sms%3Aabc%3Areply&type=16&"
		    "reply=NACK%2F0x0000000b%2FInvalid+Destination+Address",
		    DECODE_MESSAGE, DELIVERY_FAILED,
		    "NACK/0x0000000b/Invalid Destination Address" },
		{ "token=" TOKEN "&id=sms%3Aabc%3Areply&type=8&reply=ACK%2F",
		    DECODE_MESSAGE, DELIVERY_PENDING, "" },
		{ "token=" TOKEN "&id=sms%3Aabc%3Areply&type=4", DECODE_MESSAGE,
		    DELIVERY_PENDING, "" },
		{ "token=" TOKEN "&id=sms%3Aabc%3Areply&type=64", DECODE_IGNORE,
		    DELIVERY_PENDING, NULL },
		{ "token=" TOKEN "&type=1", DECODE_MALFORMED, DELIVERY_PENDING,
		    NULL },
		{ "token=" TOKEN "&id=x&type=", DECODE_MALFORMED,
		    DELIVERY_PENDING, NULL },
		{ "token=" TOKEN "&id=x&type=one", DECODE_MALFORMED,
		    DELIVERY_PENDING, NULL },
		{ "token=" TOKEN "&id=x&type=%d", DECODE_MALFORMED,
		    DELIVERY_PENDING, NULL },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider p;
		struct delivery d;
		struct http_req req = get(cases[i].query);
		enum decode_result rc;

		configure_ok(&p, good_conf, NGOOD);
		rc = provider_kannel.decode_status(&p, &req, &d);
		if (rc != cases[i].want)
			fail_msg("\"%s\": expected %d, got %d", cases[i].query,
			    (int)cases[i].want, (int)rc);
		if (rc == DECODE_MESSAGE) {
			assert_string_equal(d.ext_id, "sms:abc:reply");
			assert_int_equal(d.state, cases[i].state);
			assert_string_equal(d.error, cases[i].error);
		}
		provider_kannel.release(&p);
	}
}

static void
test_ops(void **state)
{
	assert_string_equal(provider_kannel.name, "kannel");
	assert_int_equal(provider_kannel.inline_reply, 1);
	assert_int_equal(provider_kannel.unique_ids, 1);
	assert_non_null(provider_kannel.decode_status);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_verify_other_token),
		cmocka_unit_test(test_decode_get),
		cmocka_unit_test(test_decode_post),
		cmocka_unit_test(test_decode_bounds),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_gsm7_tables),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_receipt_round_trip),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_configure),
		cmocka_unit_test(test_decode_status),
		cmocka_unit_test(test_ops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
