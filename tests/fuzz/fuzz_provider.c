/*
 * fuzz_provider.c -- every provider codec (providers/): verify,
 * decode, ack, decode_status (receipts), encode and result, on instances
 * configured with the unit tests' secrets (none of them real).
 *
 * The input is a request as httpd.c hands it over:
 *
 *	INSTANCE STATUS NOW
 *	METHOD URL
 *	Header: value
 *	...
 *	<blank line>
 *	body
 *
 * INSTANCE names one of the instances below; STATUS is the HTTP status
 * that result() classifies (with the body as the provider's answer); NOW
 * is the Unix time verify() is given, so that timestamped vectors verify.
 * Every operation runs on every input: decode runs whatever verify said,
 * so that decoding is fuzzed without forging signatures.
 */
#include <stdio.h>

#include "fuzz.h"
#include "log.h"
#include "provider.h"

struct instance {
	const char	*name;
	const char	*type;
	const char	*keys[8];	/* "key=value" */
};

static const struct instance instances[] = {
	{ "android", "android", { "signing_key=Kx8pQm2z",
	    "base_url=http://127.0.0.1:9/", "username=sms",
	    "password=test-password-not-real", "from=07700900000" } },
	{ "fake", "fake", { "secret=test-secret-not-real",
	    "base_url=http://127.0.0.1:9" } },
	{ "fake-open", "fake", { "allow_unsigned=yes",
	    "base_url=http://127.0.0.1:9" } },
	{ "kannel", "kannel", { "token=test-token-not-real",
	    "base_url=http://127.0.0.1:13013/", "username=gateway",
	    "password=test-password-not-real", "from=+447700900000" } },
	{ "messagebird", "messagebird", { "access_key=not-a-real-access-key",
	    "signing_key=PlLrKaqvZNRR5zAjm42ZT6q1SQxgbbGd",
	    "base_url=http://127.0.0.1:9/mb/", "from=+447700900000" } },
	{ "plivo", "plivo", { "auth_id=MANWVLYTK4ZWU1YTY4QA",
	    "auth_token=Y2Q2ZDgxZmY5YWRiOTI5YmQ1Njg0MTAxZWIyOTc4",
	    "from=447700900000", "base_url=http://127.0.0.1:9/plivo/",
	    "accept_v2=yes" } },
	{ "telnyx", "telnyx", {
	    "public_key=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
	    "api_key=test-api-key-not-real", "from=+447700900000",
	    "base_url=http://127.0.0.1:9/v2/" } },
	{ "textlocal", "textlocal", { "apikey=KEY1", "token=k3Jq9vX2mPz7Lw4t",
	    "from=ACME", "base_url=http://127.0.0.1:9/tl/",
	    "keyword=branch" } },
	{ "twilio", "twilio", { "account_sid=AC0123456789abcdef0123456789abcdef",
	    "auth_token=12345", "from=+447700900000",
	    "base_url=http://127.0.0.1:9/twilio/" } },
	{ "vonage", "vonage", { "api_key=abcd1234",
	    "api_secret=not-a-real-api-secret", "signature_secret=secret",
	    "signature_method=md5hash", "base_url=http://127.0.0.1:9/vonage/",
	    "from=+447700900000" } },
	{ "vonage-hmac", "vonage", { "api_key=abcd1234",
	    "api_secret=not-a-real-api-secret",
	    "signature_secret=test-signature-secret-not-real",
	    "signature_method=hmac-sha256",
	    "base_url=http://127.0.0.1:9/vonage/", "from=+447700900000" } },
	{ "vonage-messages", "vonage-messages", {
	    "signature_secret=vonage-signature-secret-EXAMPLE-01",
	    "api_key=aaa012", "api_secret=abc123456789",
	    "from=+447700900000", "base_url=http://127.0.0.1:9/vonage/" } },
};
static struct provider provs[nitems(instances)];

static void
configure(const struct instance *in, struct provider *p)
{
	struct config_pair pairs[9];
	struct config_block cb = { "provider", (char *)(uintptr_t)in->name, 1,
	    pairs, 0 };
	char *copies[8], err[512];
	size_t n = 0;

	pairs[n].key = "type";
	pairs[n].value = (char *)(uintptr_t)in->type;
	pairs[n++].line = 2;
	for (size_t i = 0; i < 8 && in->keys[i]; i++, n++) {
		copies[i] = strdup(in->keys[i]);
		char *eq = strchr(copies[i], '=');
		*eq = '\0';
		pairs[n].key = copies[i];
		pairs[n].value = eq + 1;
		pairs[n].line = (int)n + 2;
	}
	cb.npairs = n;
	memset(p, 0, sizeof *p);
	if ((p->ops = provider_lookup(in->type)) == NULL)
		abort();
	snprintf(p->name, sizeof p->name, "%s", in->name);
	err[0] = '\0';
	if (provider_configure(p, &cb, err, sizeof err) == -1) {
		fprintf(stderr, "fuzz_provider: %s: %s\n", in->name, err);
		abort();
	}
	for (size_t i = 1; i < n; i++)
		free(copies[i - 1]);
}

static void
release(void)
{
	for (size_t i = 0; i < nitems(instances); i++)
		if (provs[i].ops && provs[i].ops->release)
			provs[i].ops->release(&provs[i]);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_quiet(1);
	for (size_t i = 0; i < nitems(instances); i++)
		configure(&instances[i], &provs[i]);
	atexit(release);
	return 0;
}

/* The provider's inbound text answered inline, and the same text sent
 * through the outbox. */
static void
reply(const struct provider *p, const struct inbound *in)
{
	struct http_resp resp;
	struct http_out out;
	struct outbound ob;
	char err[256];

	http_resp_init(&resp);
	const struct reply_ends to = { in ? in->sender : "", in ? in->recipient : "", NULL };
	provider_ack(p, in ? &to : NULL, in ? in->text : NULL, &resp);
	http_resp_release(&resp);
	if (in == NULL || in->sender[0] == '\0')
		return;
	memset(&ob, 0, sizeof ob);
	ob.to = in->sender;
	ob.from = in->recipient[0] ? in->recipient : NULL;
	ob.text = in->text;
	ob.idem_key = in->ext_id;
	ob.status_url = "https://gw.example.org/status/main";
	http_out_init(&out);
	provider_encode(p, &ob, &out, err, sizeof err);
	http_out_release(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_header hdr[HTTP_MAX_HEADERS];
	struct http_req req;
	struct inbound in;
	struct delivery d;
	const struct provider *p = NULL;
	char *copy = fuzz_string(data, size), *rest = copy, *line, *sp;
	char name[32], method[16], ext_id[INBOUND_MAX_ID], err[256];
	long long now = 0;
	int status = 0;

	line = fuzz_line(&rest);
	name[0] = '\0';
	if (sscanf(line, "%31s %d %lld", name, &status, &now) < 1)
		goto out;
	for (size_t i = 0; i < nitems(instances); i++)
		if (strcmp(instances[i].name, name) == 0)
			p = &provs[i];
	if (p == NULL)
		goto out;

	/* "METHOD URL": the URL as the provider called it. */
	memset(&req, 0, sizeof req);
	line = fuzz_line(&rest);
	if ((sp = strchr(line, ' ')) == NULL)
		goto out;
	*sp = '\0';
	snprintf(method, sizeof method, "%s", line);
	req.method = method;
	req.url = sp + 1;
	const char *host = strstr(req.url, "://");
	host = host ? host + 3 : req.url;
	char *path = strchr(host, '/'), *q;
	char pathbuf[1024];
	snprintf(pathbuf, sizeof pathbuf, "%s", path ? path : "/");
	if ((q = strchr(pathbuf, '?')) != NULL)
		*q++ = '\0';
	req.path = pathbuf;
	req.query = q ? q : "";
	req.remote_addr = "127.0.0.1";
	req.headers = hdr;
	while (*rest && *rest != '\n' && req.nheaders < HTTP_MAX_HEADERS) {
		line = fuzz_line(&rest);
		size_t n = strlen(line);
		if (n > 0 && line[n - 1] == '\r')
			line[n - 1] = '\0';
		if ((sp = strchr(line, ':')) == NULL)
			continue;
		*sp++ = '\0';
		while (*sp == ' ')
			sp++;
		hdr[req.nheaders].name = line;
		hdr[req.nheaders++].value = sp;
	}
	if (*rest == '\n')
		rest++;
	req.body = rest;
	req.body_len = size - (size_t)(rest - copy);

	provider_verify(p, &req, (int64_t)now);
	memset(&in, 0, sizeof in);
	switch (provider_decode(p, &req, &in)) {
	case DECODE_MESSAGE:
	case DECODE_PART:
		if (strnlen(in.text, sizeof in.text) == sizeof in.text ||
		    strnlen(in.sender, sizeof in.sender) == sizeof in.sender)
			abort();
		reply(p, &in);
		break;
	default:
		reply(p, NULL);
		break;
	}
	if (p->ops->decode_status) {
		memset(&d, 0, sizeof d);
		provider_decode_status(p, &req, &d);
	}
	ext_id[0] = err[0] = '\0';
	provider_result(p, status, req.body, req.body_len, ext_id,
	    sizeof ext_id, err, sizeof err);
out:
	free(copy);
	return 0;
}
