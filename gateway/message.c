/*
 * message.c -- see message.h: the front of the parser, and what kind of
 * text it is.
 *
 * tokens.c cuts the text into words and says what each is; this file
 * decides, in this order, what the text is:
 *   - a campaign's: its keyword first ("STRIKE Jane Smith SE1 7PB",
 *     "#strike! Jane..."), then the rest understood as a text of its own;
 *   - a keyword: nothing but STOP (START, HELP) and their synonyms, with
 *     any punctuation, emoji or repetition ("Stop ✋", "HELP HELP");
 *   - a signup with a postcode (postcode_find.c): then never an opt-out;
 *   - an opt-out phrase: every word could be part of one, and one says
 *     stop ("pls stop sending me these", "delete me from this list", "no
 *     more texts", "don't contact me again").  The right to object is
 *     absolute however it is worded, so intent is enough; "where's the bus
 *     stop?" has words no opt-out has;
 *   - a question or a chat reply ("Can I bring a friend?", "Thanks
 *     mate"): no name unless a cue or a sign-off gives one (names.c);
 *   - else a signup, perhaps of a name alone, perhaps of nothing.
 *
 * PCRE2 marks phone numbers, tried only when the text has nine digits or
 * more, so most texts cost no regex call at all.  The compiled pattern is
 * shared and read-only; match data is allocated per call, so any number
 * of threads may parse at once.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "message.h"
#include "postcode.h"
#include "tokens.h"
#include "util.h"

static pcre2_code *re_phone;
static int initialised;

/*
 * Nine to fifteen digits, each apart by at most two of space ( ) . -:
 * "07700 900123", "+44 (0)7700 900123", "+447700900123".
 */
static const char phone_pattern[] =
    "(?<![0-9A-Za-z])\\+?[0-9](?:[ ().-]{0,2}[0-9]){8,14}(?![0-9])";

/* Tokens that are part of a phone number. */
static void
mark_phones(struct parse *ps)
{
	pcre2_match_data *md;
	PCRE2_SIZE start = 0, *ov;
	int k = 0;

	md = pcre2_match_data_create_from_pattern(re_phone, NULL);
	if (md == NULL)
		return;
	ov = pcre2_get_ovector_pointer(md);
	while (start < ps->len && pcre2_match(re_phone, ps->text, ps->len,
	    start, 0, md, NULL) > 0) {
		for (; k < ps->ntok && ps->tok[k].off < ov[1]; k++)
			if (ps->tok[k].off + ps->tok[k].len > ov[0])
				ps->tok[k].flags |= T_PHONE;
		start = ov[1] > start ? ov[1] : start + 1;
	}
	pcre2_match_data_free(md);
}

/*
 * The whole text one keyword, said once or more ("stop stop", "HELP…",
 * "start 👍", "Cymraeg plis"): its keyword, else KEYWORD_NONE.  Only
 * punctuation, emoji and "please" may stand beside it for START, HELP,
 * CYMRAEG and ENGLISH; "Stop please" is an opt-out phrase.
 */
static enum keyword
whole_keyword(const struct parse *ps)
{
	enum keyword kw = KEYWORD_NONE;
	int n = 0, welsh_please = 0;

	for (int k = 0; k < ps->ntok; k++) {
		const struct token *t = &ps->tok[k];

		/* "Cymraeg os gwelwch yn dda", "Stopio os gwelwch yn dda":
		 * Welsh for please, which no opt-out phrase reads. */
		if (tok_is(ps, k, "os") && tok_is(ps, k + 1, "gwelwch") &&
		    tok_is(ps, k + 2, "yn") && tok_is(ps, k + 3, "dda")) {
			welsh_please += 4;
			k += 3;
			continue;
		}
		if (t->word & W_KEYWORD) {
			if (kw != KEYWORD_NONE && kw != t->keyword)
				return KEYWORD_NONE;
			kw = t->keyword;
			n++;
		} else if (!(tok_is(ps, k, "please") || tok_is(ps, k, "pls") ||
		    tok_is(ps, k, "plz") || tok_is(ps, k, "plis") ||
		    tok_is(ps, k, "me") ||
		    tok_is(ps, k, "now")))
			return KEYWORD_NONE;
	}
	if (n == 0 || (kw == KEYWORD_STOP && n + welsh_please != ps->ntok))
		return KEYWORD_NONE;
	return kw;
}

/*
 * The campaign whose keyword is the first word, said once or more
 * ("STRIKE", "Strike strike!"), with *rest the byte where the text after
 * it starts; NULL when there is none.
 */
static const struct message_campaign *
campaign_first(const struct parse *ps, size_t *rest)
{
	const struct message_places *pl = ps->places;
	char key[WORD_KEY_MAX];
	size_t n;
	int k;

	if (pl == NULL || pl->ncampaigns == 0 || ps->ntok == 0 ||
	    (n = tok_key(ps, &ps->tok[0], key)) == 0)
		return NULL;
	key[n] = '\0';
	for (size_t i = 0; i < pl->ncampaigns; i++) {
		if (strcmp(pl->campaigns[i].word, key) != 0)
			continue;
		for (k = 1; k < ps->ntok && tok_is(ps, k, key); k++)
			;
		*rest = k < ps->ntok ? ps->tok[k].off : ps->len;
		return &pl->campaigns[i];
	}
	return NULL;
}

/* Do tokens [from, to) ask to stop being texted, in words of their own? */
static int
optout_span(const struct parse *ps, int from, int to)
{
	int intent = 0;

	if (to - from > 16)
		return 0;
	for (int k = from; k < to; k++) {
		const struct token *t = &ps->tok[k];

		/* The instruction copied back: "STOP to 07700 900000". */
		if (t->flags & T_PHONE)
			continue;
		if (!(t->word & (W_OPTWORD | W_OPTVERB)) &&
		    !(t->keyword == KEYWORD_STOP))
			return 0;
		/* "stop", "unsubscribe", "delete me"; "end" only first. */
		if ((t->word & W_OPTVERB) || (t->keyword == KEYWORD_STOP &&
		    (k == from || !tok_is(ps, k, "end"))))
			intent = 1;
		/* "no more texts", "don't text me", "never contact me". */
		if ((tok_is(ps, k, "no") && tok_is(ps, k + 1, "more")) ||
		    tok_is(ps, k, "anymore"))
			intent = 1;
		/* A negation and, a few words on, a way of reaching them:
		 * "don't text me", "I no longer wish to receive texts", "do
		 * not want any more messages". */
		if (tok_is(ps, k, "don't") || tok_is(ps, k, "dont") ||
		    tok_is(ps, k, "never") || tok_is(ps, k, "not") ||
		    (tok_is(ps, k, "no") && tok_is(ps, k + 1, "longer")))
			for (int j = k + 1, wish = 0; j < to && j <= k + 5;
			    j++) {
				int want = tok_is(ps, j, "want") ||
				    tok_is(ps, j, "wanna") ||
				    tok_is(ps, j, "wish") ||
				    tok_is(ps, j, "need") || tok_is(ps, j, "like");
				/* "I don't get texts" is a complaint; "I don't
				 * want to get texts" is not. */
				int receive = tok_is(ps, j, "receive") ||
				    tok_is(ps, j, "receiving") ||
				    tok_is(ps, j, "get") ||
				    tok_is(ps, j, "getting");

				if (ps->tok[j].word & W_CONTACT) {
					intent = 1;
					break;
				}
				wish |= want;
				if (!(want || (receive && wish) ||
				    tok_is(ps, j, "to") || tok_is(ps, j, "any") ||
				    tok_is(ps, j, "more") || tok_is(ps, j, "ever") ||
				    tok_is(ps, j, "you") || tok_is(ps, j, "me") ||
				    tok_is(ps, j, "longer") ||
				    tok_is(ps, j, "further")))
					break;
			}
		/* "not interested", "no longer interested": to a text that
		 * came to them, an objection. */
		if (tok_is(ps, k, "interested") && (tok_is(ps, k - 1, "not") ||
		    tok_is(ps, k - 1, "longer")))
			intent = 1;
		/* "I didn't sign up for this", "I never asked for these":
		 * texts they object to having. */
		if ((tok_is(ps, k, "didn't") || tok_is(ps, k, "didnt") ||
		    tok_is(ps, k, "never") || (tok_is(ps, k, "not") &&
		    tok_is(ps, k - 1, "did"))) && k + 1 < to &&
		    (tok_is(ps, k + 1, "sign") || tok_is(ps, k + 1, "signed") ||
		    tok_is(ps, k + 1, "ask") || tok_is(ps, k + 1, "asked") ||
		    tok_is(ps, k + 1, "agreed") ||
		    tok_is(ps, k + 1, "subscribed")))
			intent = 1;
		/* "take me off", "leave me alone". */
		if ((tok_is(ps, k, "take") || tok_is(ps, k, "leave")) &&
		    (tok_is(ps, k + 1, "me") || tok_is(ps, k + 1, "my") ||
		    tok_is(ps, k + 1, "us")))
			intent = 1;
	}
	return intent;
}

/*
 * Does the text ask to stop being texted?  The whole of it, or one clause
 * of two words or more ("I've moved, don't text me anymore": a reason
 * beside the request does not undo it).  A clause must be all opt-out
 * words as the whole text must, so "where's the bus stop, please" is not.
 */
static int
optout_phrase(const struct parse *ps)
{
	int from = 0;

	/* One word: "Remove", "Unsub" (the keywords came before this). */
	if (ps->ntok == 1)
		return (ps->tok[0].word & W_OPTVERB) != 0;
	if (optout_span(ps, 0, ps->ntok))
		return 1;
	/* "Stop. I never signed up for this": the word said first, alone,
	 * then the reason.  Not "cancel" or "quit", which have other
	 * objects ("Cancel, can't make it"). */
	if ((tok_is(ps, 0, "stop") || tok_is(ps, 0, "unsubscribe") ||
	    tok_is(ps, 0, "unsub") || tok_is(ps, 0, "stopall")) &&
	    ((ps->tok[1].gap & (GAP_PERIOD | GAP_PUNCT | GAP_NEWLINE)) ||
	    ((ps->tok[1].gap & GAP_END) && !(ps->tok[1].gap & GAP_QUESTION))))
		return 1;
	for (int k = 1; k <= ps->ntok; k++)
		if (k == ps->ntok || (ps->tok[k].gap & (GAP_PERIOD | GAP_END |
		    GAP_PUNCT | GAP_NEWLINE))) {
			if (k - from >= 2 && (from > 0 || k < ps->ntok) &&
			    optout_span(ps, from, k))
				return 1;
			from = k;
		}
	return 0;
}

/* A question: a ? anywhere, or a question word first. */
static int
is_question(const struct parse *ps)
{
	int k;

	for (k = 0; k < ps->ntok; k++)
		if (ps->tok[k].gap & GAP_QUESTION)
			return 1;
	if (ps->len > 0 && ps->text[ps->len - 1] == '?')
		return 1;
	/* Past greetings: "Hi, which towns do you cover". */
	for (k = 0; k < ps->ntok && (ps->tok[k].word & W_STOP) &&
	    !(ps->tok[k].word & (W_ASK | W_CUE)); k++)
		;
	return k < ps->ntok && (ps->tok[k].word & W_ASK) &&
	    !(ps->tok[k].word & W_CUE) && (ps->tok[k].flags & T_SENTENCE);
}

/* A chat reply: a short text with a word of chat in it. */
static int
is_chat(const struct parse *ps)
{
	if (ps->ntok > 12)
		return 0;
	for (int k = 0; k < ps->ntok; k++)
		if (ps->tok[k].word & W_CHAT)
			return 1;
	return 0;
}

int
message_init(void)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE erroff;
	int err;

	if (initialised)
		return 0;
	tok_init();
	re_phone = pcre2_compile((PCRE2_SPTR)phone_pattern,
	    PCRE2_ZERO_TERMINATED, 0, &err, &erroff, NULL);
	if (re_phone == NULL) {
		pcre2_get_error_message(err, msg, sizeof msg);
		log_error("message: phone pattern at %zu: %s", (size_t)erroff,
		    (char *)msg);
		return -1;
	}
	/*
	 * pcre2_match runs the interpreter when there is no JIT code: on
	 * platforms without JIT, and under systemd's MemoryDenyWriteExecute,
	 * where PCRE2 cannot map executable memory.  GATEWAY_NO_JIT forces
	 * the interpreter, to measure what it costs (bench/run.sh).
	 */
	if (getenv("GATEWAY_NO_JIT") != NULL)
		log_debug("message: GATEWAY_NO_JIT set; PCRE2 interpreter");
	else if ((err = pcre2_jit_compile(re_phone, PCRE2_JIT_COMPLETE)) != 0) {
		pcre2_get_error_message(err, msg, sizeof msg);
		log_debug("message: no PCRE2 JIT (%s); interpreter", (char *)msg);
	}
	initialised = 1;
	return 0;
}

void
message_cleanup(void)
{
	pcre2_code_free(re_phone);
	re_phone = NULL;
	initialised = 0;
}

int
message_parse_with(const char *text, size_t len,
    const struct message_places *places, struct signup *out)
{
	struct parse ps;
	int strict = 0;

	memset(out, 0, sizeof *out);
	if (!initialised)
		return -1;
	if (text == NULL)
		len = 0;
	if (len > MESSAGE_MAX_TEXT)
		len = MESSAGE_MAX_TEXT;	/* a cut character reads as a space */
	ps.text = (const unsigned char *)text;
	ps.len = len;
	ps.places = places;
	tok_split(&ps);
	const struct message_campaign *c;
	size_t rest;
	if ((c = campaign_first(&ps, &rest)) != NULL) {
		/* The rest as a text of its own, so that its first word is
		 * a first word ("STRIKE Jane..."); never a campaign again. */
		struct message_places inner = *places;
		inner.campaigns = NULL;
		inner.ncampaigns = 0;
		message_parse_with(text + rest, len - rest, &inner, out);
		strlcpy_(out->campaign, c->campaign, sizeof out->campaign);
		return 0;
	}
	if ((out->keyword = whole_keyword(&ps)) != KEYWORD_NONE) {
		out->kind = MESSAGE_KEYWORD;
		return 0;
	}
	if (ps.ndigits >= 9)
		mark_phones(&ps);
	postcode_find(&ps, &out->postcode);
	if (out->postcode.kind == POSTCODE_NONE) {
		if (optout_phrase(&ps)) {
			out->kind = MESSAGE_OPTOUT_PHRASE;
			out->keyword = KEYWORD_STOP;
			return 0;
		}
		if (is_question(&ps))
			strict = MESSAGE_QUESTION;
		else if (is_chat(&ps))
			strict = MESSAGE_CHAT;
	}
	if (!names_find(&ps, strict != 0, out->name) &&
	    out->postcode.kind == POSTCODE_NONE && strict)
		out->kind = (enum message_kind)strict;
	return 0;
}

int
message_parse(const char *text, size_t len, struct signup *out)
{
	return message_parse_with(text, len, NULL, out);
}

const char *
message_kind_name(enum message_kind k)
{
	switch (k) {
	case MESSAGE_SIGNUP:		return "signup";
	case MESSAGE_KEYWORD:		return "keyword";
	case MESSAGE_OPTOUT_PHRASE:	return "optout-phrase";
	case MESSAGE_QUESTION:		return "question";
	case MESSAGE_CHAT:		return "chat";
	}
	return "signup";
}

const char *
keyword_name(enum keyword k)
{
	switch (k) {
	case KEYWORD_STOP:
		return "STOP";
	case KEYWORD_START:
		return "START";
	case KEYWORD_HELP:
		return "HELP";
	case KEYWORD_WELSH:
		return "CYMRAEG";
	case KEYWORD_ENGLISH:
		return "ENGLISH";
	default:
		return NULL;
	}
}

const char *
message_reserved_word(const char *word)
{
	static struct parse ps;		/* big; at config load only */
	size_t n = strlen(word);

	if (message_init() == -1 || n == 0 || n >= MESSAGE_MAX_TEXT)
		return NULL;
	ps.text = (const unsigned char *)word;
	ps.len = n;
	ps.places = NULL;
	tok_split(&ps);
	if (ps.ntok != 1)
		return NULL;
	if (ps.tok[0].word & W_KEYWORD)
		return keyword_name(ps.tok[0].keyword);
	/* "Remove", "Unsub" alone are opt-outs: never a campaign's. */
	if (ps.tok[0].word & W_OPTVERB)
		return "STOP";
	if (tok_is(&ps, 0, "join") || tok_is(&ps, 0, "ymuno"))
		return "JOIN";
	return NULL;
}
