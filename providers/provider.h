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
#include <stdio.h>

#include "config.h"
#include "http.h"

#define INBOUND_MAX_ID		128
#define INBOUND_MAX_NUMBER	48
#define INBOUND_MAX_TEXT	4096	/* bytes of UTF-8 */
#define SEND_MAX_IDS		10240	/* bytes of every part's id, for a
					   message sent in up to 255 parts */

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
	SEND_OPTED_OUT,		/* never going to work, and the provider says
				   why: the number opted out there (Twilio
				   21610, Telnyx 40300); err says which code.
				   The gateway records the opt-out. */
};

/* Who an inline reply is between: the message's sender and the number it
 * was sent to (both E.164, "+4477..."); lent for the call.  status_url:
 * where receipts for the reply should go, naming it by the id the gateway
 * recorded it under ("...?ref=ID"), for a codec whose answer can ask for
 * them (Plivo's callbackUrl); NULL: none. */
struct reply_ends {
	const char	*sender;
	const char	*recipient;
	const char	*status_url;
};

/* What a provider says of a message's sender beside its words: that it
 * matched an opt-out, opt-in or help keyword itself (Twilio's Advanced
 * Opt-Out, OptOutType), and so blocks or unblocks the number there. */
enum provider_optout {
	PROVIDER_OPTOUT_NONE,		/* it says nothing */
	PROVIDER_OPTOUT_STOP,
	PROVIDER_OPTOUT_START,
	PROVIDER_OPTOUT_HELP,
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
	/* What the provider said of the sender, and the field that said it,
	 * as it came ("OptOutType=STOP"): the evidence kept with an opt-out. */
	enum provider_optout	optout;
	char	optout_raw[64];
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
	int			opted_out;	/* the provider refused it because
						   the number opted out there
						   (Twilio 21610); error says how */
};

struct provider;

/*
 * A key of [provider NAME] that a codec declares.  The front (provider.c)
 * reads every key of the section against this table, so that a codec
 * never parses gateway.conf itself: unknown keys, missing required ones,
 * values outside values[], empty secrets and unreadable KEY_file files are
 * all reported as "file:line: ..." before configure is called.  The same
 * table prints `gateway config show` and `gateway config keys` (the
 * README's key list, which t150 compares).
 */
#define PK_REQUIRED	0x01	/* no value and no default: an error */
#define PK_SECRET	0x02	/* KEY or KEY_file (its first line); never
				   printed, only said to be set; an empty
				   or blank one is an error */
#define PK_URL		0x04	/* http:// or https://; trailing "/" cut */
struct provider_key {
	const char		*name;
	int			 flags;
	const char		*def;		/* NULL: none */
	const char *const	*values;	/* allowed, NULL-terminated,
						   exactly; NULL: any */
};
#define PROVIDER_MAX_KEYS	16

/* An instance's keys, parsed: what configure reads.  Built and freed by
 * the front around the configure call; values are lent for it alone. */
struct provider_conf {
	const struct provider_key	*keys;	/* the codec's table */
	int				 line;	/* the section's */
	struct {
		char	*value;		/* what was given, or NULL */
		int	 line;		/* where; 0: not given */
	} v[PROVIDER_MAX_KEYS];
};
/* A key's value as given (a secret read from KEY_file, a URL trimmed), or
 * its default, or NULL.  name must be in the table (abort otherwise: a
 * typo in a codec). */
const char *provider_get(const struct provider_conf *, const char *name);
/* The line a key was given on, 0 when it was not. */
int	provider_given(const struct provider_conf *, const char *name);

/*
 * One provider type: a codec.  The gateway never calls these directly:
 * it calls the provider_* fronts below, which own what every codec would
 * otherwise repeat (transport triage, preconditions, masked logging,
 * defaults).  Every op is a pure function of its arguments and p->priv:
 * no I/O (configure may read files only through the front's KEY_file),
 * no globals, no blocking, so that every op may run on any thread at
 * once, with p shared and read-only after configure.
 *
 *   op            called by (front)          thread            NULL
 *   configure     provider_set_load          main, at (re)load  no
 *   release       provider_set_free          main               yes
 *   verify        provider_verify            request threads    no
 *   decode        provider_decode            request threads    no
 *   ack           provider_ack               request threads    yes: empty 200
 *   encode        provider_encode            outbox worker      no
 *   result        provider_result            outbox worker      yes: result_id,
 *                                                                   else 2xx is ok
 *   describe      provider_result            outbox worker      yes: "HTTP N"
 *   refused       provider_result            outbox worker      yes: SEND_FAIL
 *   decode_status provider_decode_status     request threads    yes: 404
 *
 * Ownership: what the ops are given (requests, outbound, conf) is lent for
 * the call; what they fill (struct inbound, struct delivery, http_out,
 * http_resp, ext_id, err) is the caller's.  p->priv is the codec's, made
 * in configure and freed in release (which must take a half-configured
 * instance: configure may fail midway).
 */
struct provider_ops {
	const char *name;	/* the value of "type" in gateway.conf */
	/* The keys of [provider NAME] besides provider_common_keys, ended
	 * by { NULL }. */
	const struct provider_key *keys;

	/* Take the parsed keys into p->priv: what the table cannot say
	 * (one of two keys, a SID's shape).  0, or -1 with err ("line N: "
	 * first when it names a key's line: provider_given). */
	int	(*configure)(struct provider *p, const struct provider_conf *kv,
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
	 * ignores it (the gateway then uses the outbox). */
	void	(*ack)(const struct provider *p, const struct reply_ends *to,
		    const char *reply, struct http_resp *resp);

	/* Build the HTTP request that sends out, whose to and text the front
	 * has checked are there.  0, or -1 with err (the row fails for
	 * good).  A codec that delivers without a network (the fake's
	 * deliver = print) sets req->via to HTTP_VIA_TERMINAL, the text to
	 * show as the body and the id in req->ext_id: provider_print then
	 * delivers it, and result is not called. */
	int	(*encode)(const struct provider *p, const struct outbound *out,
		    struct http_out *req, char *err, size_t errlen);
	/* A 2xx answer to a send (the front settles 429, 5xx and no
	 * answer): SEND_OK with the provider's id in ext_id (empty: the id
	 * encode chose), or what the body says went wrong in err.  A message
	 * sent in parts that each have an id (Vonage): every part's id,
	 * separated by a space, the first part's first. */
	enum send_result
		(*result)(const struct provider *p, int status,
		    const char *body, size_t len, char *ext_id, size_t idlen,
		    char *err, size_t errlen);
	/* Or, for the usual answer, where the id is a JSON string: its path
	 * ("sid", "data.id"; a number picks from a list, and takes a lone
	 * value as a list of one), and what to call it in an error
	 * ("message sid").  The front reads it when result is NULL. */
	const char *result_id;
	const char *result_id_name;
	/* The provider's words for an answer that is not a success ("21211
	 * The 'To' number is not valid"), without "HTTP N": the front adds
	 * it.  Nothing written: there are none. */
	void	(*describe)(const struct provider *p, const char *body,
		    size_t len, char *words, size_t wordslen);
	/* A 1xx, 3xx or 4xx but 429: SEND_FAIL unless the provider says it
	 * is worth another go (SEND_RETRY) or means "already taken"
	 * (SEND_OK, with no id). */
	enum send_result
		(*refused)(const struct provider *p, int status,
		    const char *body, size_t len);

	/* A delivery receipt on /status/NAME.  Returns like decode. */
	enum decode_result
		(*decode_status)(const struct provider *p,
		    const struct http_req *req, struct delivery *d);

	/* 1 when ack() carries the reply (TwiML, Plivo XML, Kannel). */
	int	inline_reply;
	/* 1 when that inline reply asks for receipts that can name it (Plivo's
	 * callbackUrl with its key): the reply is then recorded among the
	 * sends for them to find.  Without (TwiML, Kannel's text) nothing
	 * could, and the reply's words are kept with the message anyway. */
	int	inline_receipts;
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
	int	 transliterate;		/* replies' letters to GSM-7
					   look-alikes (reply.h) */
	int	 transliterate_names;	/* and the supporter's name too */
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
 * Configure p (p->ops set, the rest zero) from its section: the keys read
 * against p->ops->keys, then p->ops->configure.  0, or -1 with err; an
 * error that names a key starts "line N: " (its line in the config),
 * which provider_set_load turns into "file:N: ".  Tests and the fuzzer
 * configure instances through here too.
 */
int	provider_configure(struct provider *p, const struct config_block *cb,
	    char *err, size_t errlen);
/* [provider NAME] sections as `config show` prints them: every declared
 * key with its value or default, secrets as "(set)" or "(unset)". */
void	provider_dump(const struct config *, FILE *);
/* Every type's keys, one Markdown list item a type, as the README has
 * them (`gateway config keys`). */
void	provider_keys_markdown(FILE *);

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
 * The fronts: what the gateway calls instead of the ops.
 *
 * provider_verify: the codec's verify; a VERIFY_BAD is logged here.
 * provider_decode: the codec's decode, then every string of *in made
 * valid UTF-8 should a codec have let an invalid byte through (U+FFFD),
 * so that nothing stored is invalid.
 * provider_ack: the codec's, or an empty 200.
 * provider_decode_status: the codec's; DECODE_IGNORE for a type without
 * receipts (provider_has_receipts says which, for a 404).
 */
enum verify_result provider_verify(const struct provider *,
	    const struct http_req *, int64_t now);
enum decode_result provider_decode(const struct provider *,
	    const struct http_req *, struct inbound *in);
void	provider_ack(const struct provider *, const struct reply_ends *to,
	    const char *reply, struct http_resp *resp);
int	provider_has_receipts(const struct provider *);
enum decode_result provider_decode_status(const struct provider *,
	    const struct http_req *, struct delivery *d);
/*
 * provider_encode: no recipient or no text fails here, for good, with
 * that reason (the number masked in the log); else the codec's encode.
 * provider_result: the answer to a send.  status 0 (no answer: body is
 * the transport's words, or NULL), 429 and 5xx are SEND_RETRY; a 2xx is
 * the codec's result; anything else the codec's refused (SEND_FAIL by
 * default).  err is "HTTP N: the provider's words" (describe) for all
 * but a 2xx.
 * provider_retry_after: how long an instance should pause after an
 * answer: Retry-After (seconds, < 0 when absent) on a 429 or 503, a
 * second on a 429 without one; else 0.
 */
int	provider_encode(const struct provider *, const struct outbound *,
	    struct http_out *req, char *err, size_t errlen);
enum send_result provider_result(const struct provider *, int status,
	    const char *body, size_t len, char *ext_id, size_t idlen,
	    char *err, size_t errlen);
double	provider_retry_after(int status, double retry_after);
/*
 * provider_print: the delivery of a request encode made for the terminal
 * (req->via HTTP_VIA_TERMINAL): its body written to fp in one piece,
 * flushed, and SEND_OK with the id encode chose; SEND_RETRY with err when
 * fp will not take it.  The outbox worker calls it where it would start a
 * transfer, so that the row is marked as any accepted send is.
 */
enum send_result provider_print(const struct provider *,
	    const struct http_out *req, FILE *fp, char *ext_id, size_t idlen,
	    char *err, size_t errlen);
/* For a codec's result: id (a JSON string, or NULL) into ext_id, SEND_OK;
 * SEND_RETRY with "HTTP N without a WHAT" ("message id") when it is missing, empty
 * or too long (a 2xx that is not the provider's: a proxy's page). */
enum send_result provider_take_id(int status, const char *id,
	    const char *what, char *ext_id, size_t idlen, char *err,
	    size_t errlen);

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
