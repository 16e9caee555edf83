/*
 * provider.h -- one SMS provider behind one interface.
 *
 * A provider is a codec, not a client: it turns the provider's HTTP
 * requests into struct inbound, and struct outbound into an HTTP request
 * to the provider.  It does no I/O of its own: no sockets, no SQLite, no
 * globals.  The gateway owns the transport (httpd.c, httpc.c), the store
 * and the retries.
 *
 * To add a provider: write providers/NAME.c with every function static and
 * one `const struct provider_ops provider_NAME`, add it to the list in
 * provider.c, and give it a test in tests/unit/test_provider_NAME.c.
 */
#ifndef GATEWAY_PROVIDER_H
#define GATEWAY_PROVIDER_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "http.h"

#define INBOUND_MAX_ID		128
#define INBOUND_MAX_NUMBER	48
#define INBOUND_MAX_TEXT	4096	/* bytes of UTF-8 */

enum verify_result {
	VERIFY_OK,
	VERIFY_BAD,		/* wrong or missing signature: 403 */
	VERIFY_ERROR,		/* could not check (bad config): 500 */
};

enum decode_result {
	DECODE_MESSAGE,		/* *in holds a message */
	DECODE_IGNORE,		/* well-formed but not a message (a test ping,
				   an event we do not handle): 200, nothing stored */
	DECODE_PART,		/* one part of a long message: stored until all
				   parts are in (Vonage concat) */
	DECODE_MALFORMED,	/* 400 */
};

enum send_result {
	SEND_OK,		/* accepted; ext_id says under which id */
	SEND_RETRY,		/* try again later (5xx, 429, timeouts) */
	SEND_FAIL,		/* never going to work (4xx, bad number) */
};

/* Who an inline reply is between: the message's sender and the number it
 * was sent to (both E.164, "+4477..."); lent for the call. */
struct reply_ends {
	const char	*sender;
	const char	*recipient;
};

/* A message received.  Decode fills it with copies: nothing points into
 * the request. */
struct inbound {
	char	ext_id[INBOUND_MAX_ID];		/* provider's message id */
	char	sender[INBOUND_MAX_NUMBER];	/* E.164 where it is a number */
	char	recipient[INBOUND_MAX_NUMBER];
	char	text[INBOUND_MAX_TEXT];		/* UTF-8 */
	/* Long messages sent in parts (Vonage): the parts share ref. */
	char	concat_ref[INBOUND_MAX_ID];
	int	concat_part;			/* 1-based; 0 when not a part */
	int	concat_total;
};

/* A message to send. */
struct outbound {
	const char	*to;		/* E.164 */
	const char	*from;		/* our number or sender id; NULL: the
					   instance's default */
	const char	*text;		/* UTF-8 */
	const char	*idem_key;	/* passed where the provider takes one */
	const char	*status_url;	/* where delivery receipts go, or NULL */
};

/* A delivery receipt. */
enum delivery_state { DELIVERY_PENDING, DELIVERY_DELIVERED, DELIVERY_FAILED };
struct delivery {
	char			ext_id[INBOUND_MAX_ID];
	enum delivery_state	state;
	char			error[128];	/* provider's code or words */
};

struct provider;

struct provider_ops {
	const char *name;	/* the value of "type" in gateway.conf */

	/* Read this instance's [provider NAME] keys into p->priv.  Keys the
	 * gateway itself reads (provider_common_keys) are skipped; any other
	 * key the provider does not know is an error.  0, or -1 with err. */
	int	(*configure)(struct provider *p, const struct config_block *cb,
		    char *err, size_t errlen);
	void	(*release)(struct provider *p);

	/* Is this request from the provider?  Must compare in constant time.
	 * now is the current Unix time, for timestamped schemes. */
	enum verify_result
		(*verify)(const struct provider *p, const struct http_req *req,
		    int64_t now);
	/* Fill *in from a verified request. */
	enum decode_result
		(*decode)(const struct provider *p, const struct http_req *req,
		    struct inbound *in);
	/* The answer the provider expects to a message between the ends in
	 * to (NULL for a request that carried none).  reply is the text to
	 * send back inline, or NULL; a provider that cannot reply inline
	 * ignores it (the gateway then uses the outbox).  May be NULL: an
	 * empty 200 (provider_ack). */
	void	(*ack)(const struct provider *p, const struct reply_ends *to,
		    const char *reply, struct http_resp *resp);

	/* Build the HTTP request that sends out.  0, or -1 with err. */
	int	(*encode)(const struct provider *p, const struct outbound *out,
		    struct http_out *req, char *err, size_t errlen);
	/* Classify the provider's answer to a send: status first, then body;
	 * fills ext_id on SEND_OK and err otherwise. */
	enum send_result
		(*result)(const struct provider *p, int status,
		    const char *body, size_t len, char *ext_id, size_t idlen,
		    char *err, size_t errlen);

	/* Optional (NULL: none): a delivery receipt on /status/NAME.
	 * Returns like decode. */
	enum decode_result
		(*decode_status)(const struct provider *p,
		    const struct http_req *req, struct delivery *d);

	/* 1 when ack() carries the reply (TwiML, Plivo XML, Kannel). */
	int	inline_reply;
	/* 1 when the provider's message ids are unique per message; 0 when
	 * duplicates must be found by sender and text (Android). */
	int	unique_ids;
};

/* An address range that may call an instance (allow_from). */
struct provider_net {
	int		family;		/* AF_INET or AF_INET6 */
	unsigned char	addr[16];
	int		bits;
};

struct provider {
	const struct provider_ops *ops;
	char	name[64];		/* instance name from gateway.conf */
	void	*priv;			/* owned by ops; freed in release */
	struct provider_net *allow;	/* NULL: anyone may call */
	size_t	 nallow;
	double	 rate;			/* sends a second; 0: no limit */
	int	 confirm_stop;		/* text a STOP back its confirmation;
					   0 where the provider does it */
	int64_t	 alarm_silence;		/* seconds with no inbound message
					   before an alarm (alarm.c); 0: off */
};

/* Every [provider NAME] of the config, configured. */
struct provider_set {
	struct provider	*v;
	size_t		 n;
};

/* Configure every instance; print each error as "file:line: ..." and
 * return -1 if there was any. */
int	provider_set_load(const struct config *, struct provider_set *);
void	provider_set_free(struct provider_set *);
const struct provider *provider_set_find(const struct provider_set *,
	    const char *name);
/* May addr ("127.0.0.1", "::1") call p?  1 yes, 0 no. */
int	provider_allows(const struct provider *, const char *addr);
/* The same for any list of ranges: "10.0.0.0/8, ::1" appended to *v
 * (the caller frees it), -1 with err when one is malformed; is addr in
 * nets?  1 yes, 0 no.  /metrics uses them too. */
int	provider_parse_nets(const char *list, struct provider_net **v,
	    size_t *n, char *err, size_t errlen);
int	provider_nets_match(const struct provider_net *, size_t,
	    const char *addr);

/* The provider type called name, or NULL. */
const struct provider_ops *provider_lookup(const char *name);
/* Every type, NULL-terminated: the only list of providers. */
extern const struct provider_ops *const provider_types[];

/* Keys every [provider NAME] may have, handled by the gateway. */
extern const char *const provider_common_keys[];

/*
 * Helpers for configure.  provider_check_keys: every key in cb is common
 * or in known (NULL-terminated); else -1 naming it.  provider_secret: the
 * value of key, or the first line of the file named by key_file; -1 when
 * neither or both are set, the value or the file's first line is empty or
 * only white space, or the file cannot be read.  The caller frees *out.
 * An error that names a key starts "line N: " (its line in the config),
 * which provider_set_load turns into "file:N: ".
 */
int	provider_check_keys(const struct config_block *cb,
	    const char *const known[], char *err, size_t errlen);
int	provider_secret(const struct config_block *cb, const char *key,
	    char **out, char *err, size_t errlen);
/* base_url (or def) without trailing "/" into *out (the caller frees it);
 * -1 when empty. */
int	provider_base_url(const struct config_block *cb, const char *def,
	    char **out, char *err, size_t errlen);
/* A key's value, or def. */
const char *provider_conf(const struct config_block *cb, const char *key,
	    const char *def);

/* Number helpers: "447700900123" -> "+447700900123"; anything that is not
 * digits (an alphanumeric sender) is copied as it is. */
void	provider_e164(const char *in, char *out, size_t outlen);

/*
 * Helpers for decode.  provider_form: the form fields of a request, from
 * the query of a GET, else the body (0 or -1).  provider_field: a field's
 * value, or NULL when absent or holding a NUL byte.  provider_copy: src
 * into dst[size], -1 when it does not fit or is NULL.  provider_copy_number: a number
 * as provider_e164 writes it, -1 when it does not fit.
 */
int	provider_form(const struct http_req *, struct http_params *);
const char *provider_field(const struct http_params *, const char *name);
int	provider_copy(char *dst, size_t size, const char *src);
int	provider_copy_number(char *dst, size_t size, const char *src);

/*
 * Text is valid UTF-8 from the codec on, and this is where it is made so.
 * provider_text: the bytes src[0..len) as the provider sent them into
 * dst[size] as UTF-8, NUL-terminated, cut at a character boundary when
 * too long (then -1; else 0).  charset is what the provider declared, or
 * NULL:
 *   UTF-8 (or none, or one not known here): valid UTF-8 is kept; with
 *     none or an unknown one, any other byte is read as Windows-1252 (what
 *     Latin-1 text is in practice), with UTF-8 declared it is U+FFFD;
 *   ISO-8859-1, Latin-1, Windows-1252: read as Windows-1252 (as
 *     browsers read all three);
 *   UTF-16BE, UCS-2: pairs of bytes, an unpaired surrogate or odd byte
 *     becoming U+FFFD.
 * A byte Windows-1252 leaves undefined, and U+0000, become U+FFFD.
 * provider_text_buf: the same, appended to b (unbounded but by b's max).
 * provider_charset: the charset parameter of the request's Content-Type,
 * unquoted, into out; NULL when it has none (or one too long).
 */
int	provider_text(char *dst, size_t size, const char *src, size_t len,
	    const char *charset);
int	provider_text_buf(struct buf *b, const char *src, size_t len,
	    const char *charset);
const char *provider_charset(const struct http_req *, char *out,
	    size_t outlen);
/* The body as UTF-8 (provider_text_buf in its declared charset) into b,
 * for a JSON parser, which would refuse anything else; 0 or -1. */
int	provider_body_utf8(const struct http_req *, struct buf *b);
/* The next code point of UTF-8 in [*s, end), advancing *s: 0, or -1 on a
 * malformed, overlong or surrogate sequence (*s unmoved).  provider_utf8_put:
 * code point c as UTF-8 into b. */
int	provider_utf8_next(const unsigned char **s, const unsigned char *end,
	    uint32_t *cp);
int	provider_utf8_put(struct buf *b, uint32_t c);

/* Unix seconds from a header ("1719046000"); -1 for anything but 1 to 18
 * digits. */
int	provider_timestamp(const char *s, int64_t *out);

/* Fill *in from a message's id, sender, recipient (may be NULL) and text
 * (provider_text, in the charset req's Content-Type declares): -1 when
 * one is missing or too long for its field (the text is cut at a
 * character boundary instead). */
int	provider_inbound(struct inbound *in, const struct http_req *req,
	    const char *id, const char *from, const char *to, const char *text);

/*
 * What webhook.c calls instead of ops->decode: the codec's decode, then
 * every string of *in made valid UTF-8 should a codec have let an
 * invalid byte through (U+FFFD), so that nothing stored is invalid.
 */
enum decode_result provider_decode(const struct provider *,
	    const struct http_req *, struct inbound *in);
/* What webhook.c calls instead of ops->ack: the codec's, or an empty 200
 * for a codec whose provider expects nothing more. */
void	provider_ack(const struct provider *, const struct reply_ends *to,
	    const char *reply, struct http_resp *resp);

/* A number as digits alone, for APIs that take no "+": "+447700900123"
 * -> "447700900123"; anything else as it is.  Points into number. */
const char *provider_strip_plus(const char *number);

/* An idempotency key as a provider will take it: key itself when it is at
 * most max characters, all in allowed; else digest_bytes of its SHA-256 in
 * hex.  "" when out is too small. */
void	provider_safe_key(const char *key, const char *allowed, size_t max,
	    size_t digest_bytes, char *out, size_t outlen);

/* XML-escape text into b (for TwiML and Plivo XML). */
int	provider_xml_escape(struct buf *b, const char *text);

#endif
