/*
 * bench_sign.c -- make N distinct Twilio inbound webhooks, signed as Twilio
 * signs them (HMAC-SHA1 over the URL and the sorted parameters), one per
 * line as "signature<TAB>body", for bench/serve.lua to replay.
 *
 *   bench-sign URL AUTH_TOKEN N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "http.h"
#include "util.h"

static const char *names[] = { "Jane Smith", "tom jones", "AISHA KHAN",
	"Siân Evans", "Olu", "Zoë O'Neill", "Mary-Jane Watson", "Ravi" };
static const char *postcodes[] = { "SE1 7PB", "M1 1AD", "CF10 1EP",
	"LS1 4AP", "B1 1AA", "EC1A 1BB", "NE1 8QH", "BS1 5TR", "EX1 1JN",
	"NR2 1NH", "SO14 7LY", "BN1 1GE", "L2 3SW", "NG1 2DT" };

int
main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench-sign URL AUTH_TOKEN N\n");
		return 2;
	}
	const char *url = argv[1], *token = argv[2];
	long n = atol(argv[3]);

	for (long i = 0; i < n; i++) {
		char sid[40], from[20], text[96];
		unsigned char mac[CRYPTO_MAX_DIGEST];
		char sig[64];
		struct buf s, body;

		snprintf(sid, sizeof sid, "SM%032lx", (unsigned long)i);
		snprintf(from, sizeof from, "+447700900%03ld", i % 1000);
		snprintf(text, sizeof text, "%s %s", names[i % 8],
		    postcodes[(i / 8) % 14]);
		/* Parameters in byte order of their names, as signed. */
		const char *p[][2] = {
			{ "AccountSid", "ACbench0000000000000000000000000" },
			{ "Body", text }, { "From", from },
			{ "MessageSid", sid }, { "NumMedia", "0" },
			{ "To", "+447700900000" },
		};
		buf_init(&s, 0);
		buf_init(&body, 0);
		buf_puts(&s, url);
		for (size_t k = 0; k < sizeof p / sizeof p[0]; k++) {
			buf_puts(&s, p[k][0]);
			buf_puts(&s, p[k][1]);
			http_form_add(&body, p[k][0], p[k][1]);
		}
		size_t m = crypto_hmac(HASH_SHA1, token, strlen(token), s.data,
		    s.len, mac);
		base64_encode(mac, m, sig, sizeof sig);
		printf("%s\t%s\n", sig, body.data);
		buf_release(&s);
		buf_release(&body);
	}
	return 0;
}
