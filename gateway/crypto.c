/*
 * crypto.c -- see crypto.h.  OpenSSL 3 (Debian 12).
 */
#include <jansson.h>
#include <jwt.h>
#include <limits.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "util.h"

/*
 * OpenSSL 3 looks an algorithm up by name on every call that is given a
 * legacy EVP_sha1() and the like, and HMAC() builds and frees a whole MAC
 * context each time: a webhook's signature check paid more for that than
 * for the hashing.  So the algorithms are fetched once, and each thread
 * keeps an HMAC context per hash, given a new key per call.
 */
/* Not const: OSSL_PARAM_construct_utf8_string takes a char *. */
static char md_names[][8] = {
	[HASH_MD5] = "MD5", [HASH_SHA1] = "SHA1", [HASH_SHA256] = "SHA256",
	[HASH_SHA384] = "SHA384", [HASH_SHA512] = "SHA512",
};
#define NHASH (sizeof md_names / sizeof md_names[0])
static EVP_MD *mds[NHASH];
static EVP_MAC *hmac;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static pthread_key_t ctx_key;

static void
free_ctxs(void *p)
{
	EVP_MAC_CTX **c = p;

	for (size_t i = 0; i < NHASH; i++)
		EVP_MAC_CTX_free(c[i]);
	free(c);
}

/* Fetched for the life of the process, never freed. */
static void
fetch(void)
{
	for (size_t i = 0; i < NHASH; i++)
		mds[i] = EVP_MD_fetch(NULL, md_names[i], NULL);
	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	pthread_key_create(&ctx_key, free_ctxs);
}

static const EVP_MD *
md(enum crypto_hash h)
{
	pthread_once(&fetch_once, fetch);
	return (size_t)h < NHASH ? mds[h] : NULL;
}

/* This thread's HMAC context for h, its digest set; NULL on failure. */
static EVP_MAC_CTX *
hmac_ctx(enum crypto_hash h)
{
	EVP_MAC_CTX **c;
	OSSL_PARAM params[2];

	if (md(h) == NULL || hmac == NULL)
		return NULL;
	if ((c = pthread_getspecific(ctx_key)) == NULL) {
		c = xcalloc(NHASH, sizeof *c);
		pthread_setspecific(ctx_key, c);
	}
	if (c[h] == NULL) {
		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_MAC_PARAM_DIGEST, md_names[h], 0);
		params[1] = OSSL_PARAM_construct_end();
		if ((c[h] = EVP_MAC_CTX_new(hmac)) == NULL ||
		    EVP_MAC_CTX_set_params(c[h], params) != 1) {
			EVP_MAC_CTX_free(c[h]);
			c[h] = NULL;
		}
	}
	return c[h];
}

size_t
crypto_hmac(enum crypto_hash h, const void *key, size_t keylen,
    const void *msg, size_t msglen, unsigned char *out)
{
	static const unsigned char empty[1];
	EVP_MAC_CTX *c = hmac_ctx(h);
	size_t n = 0;

	/* An empty key is a key (HMAC pads it); NULL would mean "the one
	 * before". */
	if (c == NULL || EVP_MAC_init(c, keylen ? key : empty, keylen,
	    NULL) != 1 || EVP_MAC_update(c, msg, msglen) != 1 ||
	    EVP_MAC_final(c, out, &n, CRYPTO_MAX_DIGEST) != 1)
		return 0;
	return n;
}

size_t
crypto_digest(enum crypto_hash h, const void *msg, size_t len,
    unsigned char *out)
{
	unsigned int n = 0;

	if (md(h) == NULL || EVP_Digest(msg, len, out, &n, md(h), NULL) != 1)
		return 0;
	return n;
}

int
crypto_eq(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

int
crypto_secret_eq(const void *a, size_t alen, const void *b, size_t blen)
{
	unsigned char da[32], db[32];

	/* A byte-by-byte compare would stop at, or be skipped for, the
	 * shorter one and so say how long the secret is. */
	if (crypto_digest(HASH_SHA256, a, alen, da) != sizeof da ||
	    crypto_digest(HASH_SHA256, b, blen, db) != sizeof db)
		return 0;
	return CRYPTO_memcmp(da, db, sizeof da) == 0;
}

size_t
base64_encode(const unsigned char *in, size_t len, char *out, size_t outlen)
{
	if (outlen < 4 * ((len + 2) / 3) + 1)
		return 0;
	return (size_t)EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

/* OpenSSL's EVP_DecodeBlock, which takes only padded standard base64:
 * URL-safe characters are turned into standard ones and the padding put
 * back first, and the bytes the padding stood for taken off after. */
int
base64_decode(const char *in, size_t len, unsigned char *out, size_t outlen,
    size_t *decoded)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/-_";
	unsigned char *std, *raw;
	size_t n = len, padded, pad;
	int got, rc = -1;

	while (n > 0 && in[n - 1] == '=')
		n--;
	if (len - n > 2 || n % 4 == 1 || n > INT32_MAX / 2)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (in[i] == '\0' || strchr(alphabet, in[i]) == NULL)
			return -1;
	padded = (n + 3) / 4 * 4;
	pad = padded - n;
	if ((n * 3) / 4 > outlen)
		return -1;
	std = xmalloc(padded + 1);
	raw = xmalloc(padded / 4 * 3 + 1);
	for (size_t i = 0; i < n; i++)
		std[i] = in[i] == '-' ? '+' : in[i] == '_' ? '/' :
		    (unsigned char)in[i];
	memset(std + n, '=', pad);
	if ((got = EVP_DecodeBlock(raw, std, (int)padded)) >= 0 &&
	    (size_t)got >= pad) {
		*decoded = (size_t)got - pad;
		memcpy(out, raw, *decoded);
		rc = 0;
	}
	free(std);
	free(raw);
	return rc;
}

void
hex_encode(const unsigned char *in, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * len] = '\0';
}

int
hex_decode(const char *in, unsigned char *out, size_t outlen)
{
	if (strlen(in) != 2 * outlen)
		return -1;
	for (size_t i = 0; i < outlen; i++) {
		int v = 0;
		for (int k = 0; k < 2; k++) {
			int c = in[2 * i + k];
			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= c - '0';
			else if (c >= 'a' && c <= 'f')
				v |= c - 'a' + 10;
			else if (c >= 'A' && c <= 'F')
				v |= c - 'A' + 10;
			else
				return -1;
		}
		out[i] = (unsigned char)v;
	}
	return 0;
}

int
crypto_ed25519_verify(const unsigned char pubkey[32], const void *msg,
    size_t len, const unsigned char sig[64])
{
	EVP_PKEY *key;
	EVP_MD_CTX *ctx;
	int ok = 0;

	key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pubkey, 32);
	if (key == NULL)
		return 0;
	if ((ctx = EVP_MD_CTX_new()) != NULL) {
		if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
		    EVP_DigestVerify(ctx, sig, 64, msg, len) == 1)
			ok = 1;
		EVP_MD_CTX_free(ctx);
	}
	EVP_PKEY_free(key);
	return ok;
}

/* libjwt checks the signature; which algorithms are acceptable is ours
 * to say.  jwt_decode reads "alg" without regard to case, so the header's
 * own spelling is compared too. */
int
crypto_jwt_verify_hs(const char *token, const void *key, size_t keylen,
    char **payload)
{
	jwt_t *jwt = NULL;
	const char *alg, *dot1, *dot2;
	char *seg = NULL;
	jwt_alg_t a;
	size_t n;
	int ok = 0;

	*payload = NULL;
	if (keylen == 0 || keylen > INT32_MAX ||
	    jwt_decode(&jwt, token, key, (int)keylen) != 0 || jwt == NULL)
		goto out;
	a = jwt_get_alg(jwt);
	alg = jwt_get_header(jwt, "alg");
	if (alg == NULL || !((a == JWT_ALG_HS256 && !strcmp(alg, "HS256")) ||
	    (a == JWT_ALG_HS384 && !strcmp(alg, "HS384")) ||
	    (a == JWT_ALG_HS512 && !strcmp(alg, "HS512"))))
		goto out;
	/* The claims as they were signed, not libjwt's reading of them,
	 * which keeps the last of a name given twice: the caller's parser
	 * refuses duplicates. */
	dot1 = strchr(token, '.');
	dot2 = strchr(dot1 + 1, '.');
	if ((seg = xmalloc((size_t)(dot2 - dot1))) != NULL &&
	    base64_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1),
	    (unsigned char *)seg, (size_t)(dot2 - dot1 - 1), &n) == 0) {
		seg[n] = '\0';
		*payload = seg;
		seg = NULL;
		ok = 1;
	}
	free(seg);
out:
	if (jwt != NULL)
		jwt_free(jwt);
	return ok;
}

int
crypto_random(void *buf, size_t n)
{
	if (n > INT_MAX)
		return -1;
	return RAND_bytes(buf, (int)n) == 1 ? 0 : -1;
}
