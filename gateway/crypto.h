/*
 * crypto.h -- the primitives provider signatures are made of: HMAC and
 * digests, base64 (EVP_EncodeBlock, EVP_DecodeBlock) and hex, Ed25519,
 * and HS-signed JWTs (libjwt).  OpenSSL's libcrypto is included by
 * crypto.c alone.
 */
#ifndef GATEWAY_CRYPTO_H
#define GATEWAY_CRYPTO_H

#include <stddef.h>

#define CRYPTO_MAX_DIGEST	64	/* SHA-512 */

enum crypto_hash {
	HASH_MD5,
	HASH_SHA1,
	HASH_SHA256,
	HASH_SHA384,
	HASH_SHA512,
};

/* HMAC of msg under key into out (CRYPTO_MAX_DIGEST bytes); its length,
 * or 0 on failure. */
size_t	crypto_hmac(enum crypto_hash, const void *key, size_t keylen,
	    const void *msg, size_t msglen, unsigned char *out);
/* Plain digest; its length, or 0. */
size_t	crypto_digest(enum crypto_hash, const void *msg, size_t len,
	    unsigned char *out);

/* Equal in time that depends only on n. */
int	crypto_eq(const void *a, const void *b, size_t n);
/*
 * Equal, for byte strings of any lengths, in time that tells nothing of
 * either's contents or of where they differ, nor (short of 55 bytes) of
 * their lengths: both are hashed, and the digests compared.  For a secret
 * against what a caller sent.  1 equal, 0 not.
 */
int	crypto_secret_eq(const void *a, size_t alen, const void *b,
	    size_t blen);
/* n bytes from OpenSSL's CSPRNG into buf (a token, a nonce); 0 or -1. */
int	crypto_random(void *buf, size_t n);

/* Standard base64 with padding into out (NUL-terminated); the length, or
 * 0 when out (size outlen) is too small. */
size_t	base64_encode(const unsigned char *in, size_t len, char *out,
	    size_t outlen);
/* Decode standard or URL-safe base64, padded or not; -1 when malformed or
 * longer than outlen. */
int	base64_decode(const char *in, size_t len, unsigned char *out,
	    size_t outlen, size_t *decoded);
/* Lower-case hex into out (2*len+1 bytes). */
void	hex_encode(const unsigned char *in, size_t len, char *out);
/* Decode hex (either case); -1 when malformed or not exactly outlen bytes. */
int	hex_decode(const char *in, unsigned char *out, size_t outlen);

/* Verify an Ed25519 signature: 1 good, 0 bad. */
int	crypto_ed25519_verify(const unsigned char pubkey[32], const void *msg,
	    size_t len, const unsigned char sig[64]);

/*
 * Verify a JWT signed with HS256, HS384 or HS512 under key, and return its
 * payload (decoded JSON text, NUL-terminated, the caller frees it) in
 * *payload.  1 good, 0 bad signature or malformed token.  "alg": "none"
 * and every other algorithm are refused.
 */
int	crypto_jwt_verify_hs(const char *token, const void *key, size_t keylen,
	    char **payload);

#endif
