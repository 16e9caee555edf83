/*
 * bench_sign.c -- make N distinct Twilio inbound webhooks for
 * bench/serve.sh, one per line as "signature<TAB>body", for
 * bench/serve.lua to replay.
 *
 *   bench-sign URL AUTH_TOKEN N POSTCODES.csv SEED
 *
 * Each carries the 20 fields of Twilio's inbound set, in the order Twilio
 * sends them (../shared/docs/providers.md 1.1), its own random MessageSid,
 * a sender from the drama range and a text with one of many names and a
 * real postcode drawn from POSTCODES.csv ("postcode,latitude,longitude",
 * the NSPL; rows without coordinates are left out).  Each is signed as
 * Twilio signs it and providers/twilio.c checks it: base64(HMAC-SHA1(
 * AUTH_TOKEN, URL + every name and value, sorted by name)).  The same SEED
 * gives the same requests.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "util.h"

#define ACCOUNT_SID	"AC0b1e5c4d2a7f9e3b6c8d0a1f2e4b6c8d"
#define SERVICE_SID	"MG5d3c1b9a7f5e3d1c9b7a5f3e1d9c7b5a"
#define OUR_NUMBER	"+447700900000"

static const char *first[] = { "Jane", "Tom", "Aisha", "Siân", "Olu",
	"Zoë", "Mary-Jane", "Ravi", "Chloé", "Łukasz", "Aoife", "Mohammed",
	"Priya", "Niamh", "Dylan", "Chiamaka", "Gareth", "Fatima", "Kwame",
	"Eleanor", "Rhys", "Agnieszka", "Callum", "Nia", "Ibrahim", "Sophie",
	"Tomás", "Harpreet", "Bethan", "Yusuf", "Grace", "Declan" };
static const char *last[] = { "Smith", "Jones", "Khan", "Evans",
	"O'Neill", "Nowak", "Okafor", "Patel", "Williams", "Taylor-Brown",
	"Hughes", "Begum", "Murphy", "Ahmed", "Davies", "Mensah", "Roberts",
	"Kowalski", "Singh", "Thomas", "Adeyemi", "Walsh", "Lewis", "Hussain",
	"Campbell", "Price", "Ali", "McCarthy", "Owen", "Wright" };
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static uint64_t rng_state;

/* splitmix64: the same numbers on every machine, unlike rand(). */
static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rng(void)
{
	return mix(rng_state += 0x9e3779b97f4a7c15ULL);
}

static void
lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s += 'a' - 'A';
}

static void
upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s -= 'a' - 'A';
}

/* A text as supporters write them: names and postcodes in many shapes. */
static void
make_text(char *out, size_t len, const char *pc)
{
	char f[32], l[32], p[16], q[16];
	size_t j;

	snprintf(f, sizeof f, "%s", first[rng() % NELEM(first)]);
	snprintf(l, sizeof l, "%s", last[rng() % NELEM(last)]);
	snprintf(p, sizeof p, "%s", pc);
	for (j = 0; *pc && j + 1 < sizeof q; pc++)	/* without its space */
		if (*pc != ' ')
			q[j++] = *pc;
	q[j] = '\0';
	switch (rng() % 8) {
	case 0:
		snprintf(out, len, "%s %s %s", f, l, p);
		break;
	case 1:
		lower(f);
		lower(l);
		lower(q);
		snprintf(out, len, "%s %s %s", f, l, q);
		break;
	case 2:
		snprintf(out, len, "Hi, I'm %s %s, %s", f, l, p);
		break;
	case 3:
		snprintf(out, len, "%s %s", p, f);
		break;
	case 4:
		snprintf(out, len, "%s %s, %s. Thanks!", f, l, p);
		break;
	case 5:
		snprintf(out, len, "My name is %s %s and my postcode is %s",
		    f, l, p);
		break;
	case 6:
		upper(f);
		upper(l);
		snprintf(out, len, "%s %s %s", f, l, q);
		break;
	default:
		snprintf(out, len, "%s %s\n%s", f, l, p);
		break;
	}
}

/* Form-encoded as Twilio sends it: a space is "+". */
static void
form_add(struct buf *b, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *v[] = { name, value };

	if (b->len > 0)
		buf_puts(b, "&");
	for (int k = 0; k < 2; k++) {
		for (const unsigned char *c = (const unsigned char *)v[k]; *c;
		    c++) {
			char e[4] = { (char)*c, 0, 0, 0 };
			if (*c == ' ')
				e[0] = '+';
			else if (!((*c >= 'a' && *c <= 'z') ||
			    (*c >= 'A' && *c <= 'Z') ||
			    (*c >= '0' && *c <= '9') || strchr("-._*", *c))) {
				e[0] = '%';
				e[1] = hex[*c >> 4];
				e[2] = hex[*c & 15];
			}
			buf_puts(b, e);
		}
		if (k == 0)
			buf_puts(b, "=");
	}
}

/* The postcodes of file that have coordinates; *n of them. */
static char **
read_postcodes(const char *file, size_t *n)
{
	FILE *fp = fopen(file, "r");
	char line[256], **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (fp == NULL)
		return NULL;
	while (fgets(line, sizeof line, fp) != NULL) {
		char *c = strchr(line, ',');
		if (c == NULL || c[1] == ',' || c[1] == '\n' ||
		    strncmp(line, "postcode,", 9) == 0)
			continue;	/* header, or no coordinates */
		*c = '\0';
		if (*n == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[(*n)++] = xstrdup(line);
	}
	fclose(fp);
	return v;
}

/* Characters a GSM-7 segment holds, roughly: any non-ASCII is UCS-2. */
static int
segments(const char *text)
{
	size_t n = 0, per = 160;

	for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
		if (*s >= 0x80)
			per = 70;
		if ((*s & 0xc0) != 0x80)
			n++;
	}
	if (n <= per)
		return 1;
	per = per == 160 ? 153 : 67;
	return (int)((n + per - 1) / per);
}

int
main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: bench-sign URL AUTH_TOKEN N "
		    "POSTCODES.csv SEED\n");
		return 2;
	}
	const char *url = argv[1], *token = argv[2];
	long n = atol(argv[3]);
	size_t npc;
	char **pcs = read_postcodes(argv[4], &npc);
	uint64_t seed = strtoull(argv[5], NULL, 10);

	if (pcs == NULL || npc == 0) {
		fprintf(stderr, "bench-sign: no postcodes in %s\n", argv[4]);
		return 1;
	}
	rng_state = seed;
	for (long i = 0; i < n; i++) {
		char sid[40], from[20], text[160], nseg[8];
		unsigned char mac[CRYPTO_MAX_DIGEST];
		char sig[64];
		struct buf s, body;

		/* mix() is a bijection: distinct i, distinct first half. */
		snprintf(sid, sizeof sid, "SM%016llx%016llx",
		    (unsigned long long)mix((uint64_t)i ^ (seed << 32)),
		    (unsigned long long)rng());
		snprintf(from, sizeof from, "+447700900%03u",
		    (unsigned)(rng() % 1000));
		make_text(text, sizeof text, pcs[rng() % npc]);
		snprintf(nseg, sizeof nseg, "%d", segments(text));
		/* In the order Twilio sends them. */
		const char *p[][2] = {
			{ "ToCountry", "GB" }, { "ToState", "" },
			{ "SmsMessageSid", sid }, { "NumMedia", "0" },
			{ "ToCity", "" }, { "FromZip", "" }, { "SmsSid", sid },
			{ "FromState", "" }, { "SmsStatus", "received" },
			{ "FromCity", "" }, { "Body", text },
			{ "FromCountry", "GB" }, { "To", OUR_NUMBER },
			{ "MessagingServiceSid", SERVICE_SID },
			{ "ToZip", "" }, { "NumSegments", nseg },
			{ "MessageSid", sid }, { "AccountSid", ACCOUNT_SID },
			{ "From", from }, { "ApiVersion", "2010-04-01" },
		};
		enum { NP = sizeof p / sizeof p[0] };
		size_t order[NP];

		buf_init(&body, 0);
		for (size_t k = 0; k < NP; k++) {
			form_add(&body, p[k][0], p[k][1]);
			order[k] = k;
		}
		/* Signed in byte order of the names (insertion sort: 20). */
		for (size_t a = 1; a < NP; a++)
			for (size_t b = a; b > 0 && strcmp(p[order[b - 1]][0],
			    p[order[b]][0]) > 0; b--) {
				size_t t = order[b];
				order[b] = order[b - 1];
				order[b - 1] = t;
			}
		buf_init(&s, 0);
		buf_puts(&s, url);
		for (size_t k = 0; k < NP; k++) {
			buf_puts(&s, p[order[k]][0]);
			buf_puts(&s, p[order[k]][1]);
		}
		size_t m = crypto_hmac(HASH_SHA1, token, strlen(token), s.data,
		    s.len, mac);
		base64_encode(mac, m, sig, sizeof sig);
		printf("%s\t%s\n", sig, body.data);
		buf_release(&s);
		buf_release(&body);
	}
	for (size_t k = 0; k < npc; k++)
		free(pcs[k]);
	free(pcs);
	return 0;
}
