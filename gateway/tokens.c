/*
 * tokens.c -- see tokens.h: the word list, UTF-8 and case, the
 * tokeniser, and the real-world lists the parser checks against.
 */
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "tokens.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/*
 * The word list: what a word says about the text around it, English and
 * Welsh.  A word may be several things (flags or-ed).  Words that are
 * also common given names (Will, May, Hope, Mark, Rose...) stay out, so
 * that they can start a name; words that are also surnames (W_SURNAME)
 * may end one that has started ("Lee Friend", "Ann Good").
 */
struct word {
	const char	*w;
	uint16_t	 flags;
	uint8_t		 keyword;
};

static const struct word words[] = {
	{ "hi", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "hii", W_STOP, KEYWORD_NONE },
	{ "hiii", W_STOP, KEYWORD_NONE },
	{ "hiya", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "hiyah", W_STOP, KEYWORD_NONE },
	{ "hello", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "helo", W_STOP, KEYWORD_NONE },
	{ "hallo", W_STOP, KEYWORD_NONE },
	{ "ello", W_STOP, KEYWORD_NONE },
	{ "hey", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "heya", W_STOP, KEYWORD_NONE },
	{ "heyy", W_STOP, KEYWORD_NONE },
	{ "yo", W_STOP, KEYWORD_NONE },
	{ "howdy", W_STOP, KEYWORD_NONE },
	{ "greetings", W_STOP, KEYWORD_NONE },
	{ "morning", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "afternoon", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "evening", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "good", W_STOP | W_SURNAME | W_OPTWORD, KEYWORD_NONE },
	{ "dear", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "there", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "all", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "team", W_STOP, KEYWORD_NONE },
	{ "everyone", W_STOP, KEYWORD_NONE },
	{ "everybody", W_STOP, KEYWORD_NONE },
	{ "folks", W_STOP, KEYWORD_NONE },
	{ "guys", W_STOP, KEYWORD_NONE },
	{ "alright", W_STOP, KEYWORD_NONE },
	{ "alrite", W_STOP, KEYWORD_NONE },
	{ "aright", W_STOP, KEYWORD_NONE },
	{ "sup", W_STOP, KEYWORD_NONE },
	{ "wassup", W_STOP, KEYWORD_NONE },
	{ "bore", W_STOP, KEYWORD_NONE },
	{ "da", W_STOP | W_PARTICLE, KEYWORD_NONE },
	{ "prynhawn", W_STOP, KEYWORD_NONE },
	{ "noswaith", W_STOP, KEYWORD_NONE },
	{ "dda", W_STOP, KEYWORD_NONE },
	{ "shwmae", W_STOP, KEYWORD_NONE },
	{ "shwmai", W_STOP, KEYWORD_NONE },
	{ "sumae", W_STOP, KEYWORD_NONE },
	{ "s'mae", W_STOP, KEYWORD_NONE },
	{ "su'mae", W_STOP, KEYWORD_NONE },
	{ "bud", W_STOP, KEYWORD_NONE },
	{ "buddy", W_STOP, KEYWORD_NONE },
	{ "pal", W_STOP, KEYWORD_NONE },
	{ "mate", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "m8", W_STOP, KEYWORD_NONE },
	{ "hun", W_STOP, KEYWORD_NONE },
	{ "hunny", W_STOP, KEYWORD_NONE },
	{ "babe", W_STOP, KEYWORD_NONE },
	{ "luv", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "lad", W_STOP, KEYWORD_NONE },
	{ "lads", W_STOP, KEYWORD_NONE },
	{ "sir", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "madam", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "gents", W_STOP, KEYWORD_NONE },
	{ "ladies", W_STOP, KEYWORD_NONE },
	{ "thanks", W_STOP | W_CHAT | W_OPTWORD | W_SIGNOFF, KEYWORD_NONE },
	{ "thank", W_STOP | W_CHAT | W_OPTWORD | W_SIGNOFF, KEYWORD_NONE },
	{ "thankyou", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "thanx", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "thnx", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "thx", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "tnx", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "ty", W_STOP | W_CHAT | W_OPTWORD | W_SIGNOFF, KEYWORD_NONE },
	{ "ta", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "cheers", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "brilliant", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "brill", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "fab", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "fabulous", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "great", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "lovely", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "cool", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "nice", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "perfect", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "awesome", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "amazing", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "excellent", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "wonderful", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "superb", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "ace", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "sound", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "sorted", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "grand", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "ok", W_STOP | W_CHAT | W_OPTWORD, KEYWORD_NONE },
	{ "okay", W_STOP | W_CHAT | W_OPTWORD, KEYWORD_NONE },
	{ "k", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "kk", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "okey", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "oki", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "yes", W_STOP | W_CHAT | W_OPTWORD, KEYWORD_NONE },
	{ "yeah", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "yeh", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "yep", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "yup", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "ya", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "aye", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "sure", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "no", W_STOP | W_CHAT | W_OPTWORD, KEYWORD_NONE },
	{ "nope", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "nah", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "maybe", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "fine", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "np", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "lol", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "haha", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "hahaha", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "lmao", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "omg", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "wow", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "bless", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "noted", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "done", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "understood", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "gotcha", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "diolch", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "iawn", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "hwyl", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "croeso", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "ydw", W_STOP | W_CHAT | W_POSTCUE, KEYWORD_NONE },
	{ "na", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "regards", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "best", W_STOP | W_SURNAME | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "wishes", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "love", W_STOP | W_SURNAME | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "x", W_STOP | W_CHAT | W_SIGNOFF | W_OPTWORD, KEYWORD_NONE },
	{ "xx", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "xxx", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "xxxx", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "from", W_STOP | W_CHAT | W_SIGNOFF | W_OPTWORD, KEYWORD_NONE },
	{ "ttfn", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "bye", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "cya", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "laters", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "kind", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "warm", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "many", W_STOP | W_CHAT | W_SIGNOFF, KEYWORD_NONE },
	{ "what", W_STOP | W_ASK, KEYWORD_NONE },
	{ "what's", W_STOP | W_ASK, KEYWORD_NONE },
	{ "whats", W_STOP | W_ASK, KEYWORD_NONE },
	{ "where", W_STOP | W_ASK, KEYWORD_NONE },
	{ "where's", W_STOP | W_ASK, KEYWORD_NONE },
	{ "wheres", W_STOP | W_ASK, KEYWORD_NONE },
	{ "when", W_STOP | W_ASK, KEYWORD_NONE },
	{ "when's", W_STOP | W_ASK, KEYWORD_NONE },
	{ "how", W_STOP | W_ASK, KEYWORD_NONE },
	{ "how's", W_STOP | W_ASK, KEYWORD_NONE },
	{ "who", W_STOP | W_ASK, KEYWORD_NONE },
	{ "who's", W_STOP | W_ASK, KEYWORD_NONE },
	{ "whos", W_STOP | W_ASK, KEYWORD_NONE },
	{ "hows", W_STOP | W_ASK, KEYWORD_NONE },
	{ "whens", W_STOP | W_ASK, KEYWORD_NONE },
	{ "wot", W_STOP | W_ASK, KEYWORD_NONE },
	{ "wat", W_STOP | W_ASK, KEYWORD_NONE },
	{ "why", W_STOP | W_ASK, KEYWORD_NONE },
	{ "which", W_STOP | W_ASK, KEYWORD_NONE },
	{ "whose", W_STOP | W_ASK, KEYWORD_NONE },
	{ "whom", W_STOP | W_ASK, KEYWORD_NONE },
	{ "can", W_STOP | W_ASK | W_OPTWORD, KEYWORD_NONE },
	{ "could", W_STOP | W_ASK | W_OPTWORD, KEYWORD_NONE },
	{ "would", W_STOP | W_ASK | W_OPTWORD, KEYWORD_NONE },
	/* "will you stop texting me"; not W_STOP: Will is a name. */
	{ "will", W_OPTWORD, KEYWORD_NONE },
	{ "kindly", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "should", W_STOP | W_ASK, KEYWORD_NONE },
	{ "shall", W_STOP | W_ASK, KEYWORD_NONE },
	{ "might", W_STOP | W_ASK, KEYWORD_NONE },
	{ "is", W_STOP | W_ASK, KEYWORD_NONE },
	{ "are", W_STOP | W_ASK, KEYWORD_NONE },
	{ "am", W_STOP | W_CUE | W_ASK, KEYWORD_NONE },
	{ "do", W_STOP | W_ASK | W_OPTWORD, KEYWORD_NONE },
	{ "does", W_STOP | W_ASK, KEYWORD_NONE },
	{ "did", W_STOP | W_ASK | W_OPTWORD, KEYWORD_NONE },
	{ "any", W_STOP | W_ASK | W_OPTWORD, KEYWORD_NONE },
	{ "anyone", W_STOP | W_ASK, KEYWORD_NONE },
	{ "anybody", W_STOP | W_ASK, KEYWORD_NONE },
	{ "anything", W_STOP | W_ASK | W_OPTWORD, KEYWORD_NONE },
	{ "everything", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "pa", W_STOP | W_ASK, KEYWORD_NONE },
	{ "ble", W_STOP | W_ASK, KEYWORD_NONE },
	{ "beth", W_ASK, KEYWORD_NONE },	/* Welsh "what"; and Beth */
	{ "pryd", W_STOP | W_ASK, KEYWORD_NONE },
	{ "sut", W_STOP | W_ASK, KEYWORD_NONE },
	{ "pwy", W_STOP | W_ASK, KEYWORD_NONE },
	{ "oes", W_STOP | W_ASK, KEYWORD_NONE },
	{ "ydych", W_STOP | W_ASK, KEYWORD_NONE },
	{ "name", W_STOP | W_CUE | W_OPTWORD, KEYWORD_NONE },
	{ "names", W_STOP | W_CUE, KEYWORD_NONE },
	{ "name's", W_STOP | W_CUE, KEYWORD_NONE },
	{ "i'm", W_STOP | W_CUE, KEYWORD_NONE },
	{ "im", W_STOP | W_CUE, KEYWORD_NONE },
	{ "called", W_STOP | W_CUE, KEYWORD_NONE },
	{ "it's", W_STOP | W_CUE, KEYWORD_NONE },
	{ "its", W_STOP | W_CUE, KEYWORD_NONE },
	{ "enw", W_STOP | W_CUE, KEYWORD_NONE },
	{ "yw", W_STOP | W_CUE, KEYWORD_NONE },
	{ "ydy", W_STOP | W_CUE, KEYWORD_NONE },
	{ "dyma", W_STOP | W_CUE, KEYWORD_NONE },	/* Welsh "this is" */
	{ "i'n", W_STOP | W_CUE, KEYWORD_NONE },
	{ "dwi'n", W_STOP | W_CUE, KEYWORD_NONE },
	{ "dw'n", W_STOP | W_CUE, KEYWORD_NONE },
	{ "here", W_STOP | W_POSTCUE, KEYWORD_NONE },
	{ "dw", W_STOP | W_POSTCUE, KEYWORD_NONE },
	{ "dwi", W_STOP | W_POSTCUE, KEYWORD_NONE },
	{ "my", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "i", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "i'd", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "id", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "i've", W_STOP, KEYWORD_NONE },
	{ "ive", W_STOP, KEYWORD_NONE },
	{ "i'll", W_STOP, KEYWORD_NONE },
	{ "ill", W_STOP, KEYWORD_NONE },
	{ "it", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "this", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "that", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "me", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "was", W_STOP | W_WAS, KEYWORD_NONE },
	{ "be", W_STOP, KEYWORD_NONE },
	{ "been", W_STOP, KEYWORD_NONE },
	{ "the", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "a", W_STOP | W_PARTICLE, KEYWORD_NONE },
	{ "an", W_STOP, KEYWORD_NONE },
	{ "of", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "in", W_STOP, KEYWORD_NONE },
	{ "at", W_STOP, KEYWORD_NONE },
	{ "on", W_STOP, KEYWORD_NONE },
	{ "to", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "for", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "with", W_STOP, KEYWORD_NONE },
	{ "by", W_STOP, KEYWORD_NONE },
	{ "and", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "or", W_STOP, KEYWORD_NONE },
	{ "but", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "so", W_STOP, KEYWORD_NONE },
	{ "also", W_STOP, KEYWORD_NONE },
	{ "just", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "too", W_STOP, KEYWORD_NONE },
	{ "as", W_STOP, KEYWORD_NONE },
	{ "if", W_STOP, KEYWORD_NONE },
	{ "not", W_STOP | W_OPTWORD | W_WAS, KEYWORD_NONE },
	{ "very", W_STOP, KEYWORD_NONE },
	{ "really", W_STOP, KEYWORD_NONE },
	{ "you", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "your", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "ur", W_STOP, KEYWORD_NONE },
	{ "u", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "we", W_STOP, KEYWORD_NONE },
	{ "our", W_STOP, KEYWORD_NONE },
	{ "us", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "they", W_STOP, KEYWORD_NONE },
	{ "want", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "wanted", W_STOP, KEYWORD_NONE },
	{ "wanna", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "like", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "keen", W_STOP, KEYWORD_NONE },
	{ "happy", W_STOP, KEYWORD_NONE },
	{ "interested", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "join", W_STOP, KEYWORD_NONE },
	{ "joining", W_STOP, KEYWORD_NONE },
	{ "sign", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "signing", W_STOP, KEYWORD_NONE },
	{ "signup", W_STOP, KEYWORD_NONE },
	{ "up", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "register", W_STOP, KEYWORD_NONE },
	{ "enrol", W_STOP, KEYWORD_NONE },
	{ "enroll", W_STOP, KEYWORD_NONE },
	{ "subscribe", W_STOP, KEYWORD_NONE },
	{ "member", W_STOP, KEYWORD_NONE },
	{ "membership", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "add", W_STOP, KEYWORD_NONE },
	{ "contact", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "details", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "info", W_STOP | W_KEYWORD, KEYWORD_HELP },
	{ "information", W_STOP, KEYWORD_NONE },
	{ "more", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "about", W_STOP, KEYWORD_NONE },
	{ "message", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "messages", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "text", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "texts", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "texting", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "sms", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "reply", W_STOP, KEYWORD_NONE },
	{ "send", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "sending", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "get", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "receive", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "receiving", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "getting", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "further", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "know", W_STOP, KEYWORD_NONE },
	{ "let", W_STOP, KEYWORD_NONE },
	{ "find", W_STOP, KEYWORD_NONE },
	{ "see", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "saw", W_STOP, KEYWORD_NONE },
	{ "seen", W_STOP, KEYWORD_NONE },
	{ "heard", W_STOP, KEYWORD_NONE },
	{ "poster", W_STOP, KEYWORD_NONE },
	{ "leaflet", W_STOP, KEYWORD_NONE },
	{ "leaflets", W_STOP, KEYWORD_NONE },
	{ "website", W_STOP, KEYWORD_NONE },
	{ "nearest", W_STOP, KEYWORD_NONE },
	{ "near", W_STOP, KEYWORD_NONE },
	{ "local", W_STOP, KEYWORD_NONE },
	{ "branch", W_STOP, KEYWORD_NONE },
	{ "group", W_STOP, KEYWORD_NONE },
	{ "groups", W_STOP, KEYWORD_NONE },
	{ "meeting", W_STOP, KEYWORD_NONE },
	{ "meetings", W_STOP, KEYWORD_NONE },
	{ "area", W_STOP, KEYWORD_NONE },
	{ "live", W_STOP, KEYWORD_NONE },
	{ "living", W_STOP, KEYWORD_NONE },
	{ "based", W_STOP, KEYWORD_NONE },
	{ "address", W_STOP, KEYWORD_NONE },
	{ "volunteer", W_STOP, KEYWORD_NONE },
	{ "volunteering", W_STOP, KEYWORD_NONE },
	{ "support", W_STOP, KEYWORD_NONE },
	{ "involved", W_STOP, KEYWORD_NONE },
	{ "there's", W_STOP, KEYWORD_NONE },
	{ "were", W_STOP, KEYWORD_NONE },
	{ "have", W_STOP, KEYWORD_NONE },
	{ "has", W_STOP, KEYWORD_NONE },
	{ "had", W_STOP, KEYWORD_NONE },
	{ "doing", W_STOP, KEYWORD_NONE },
	{ "must", W_STOP, KEYWORD_NONE },
	{ "need", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "needs", W_STOP, KEYWORD_NONE },
	{ "go", W_STOP, KEYWORD_NONE },
	{ "going", W_STOP, KEYWORD_NONE },
	{ "come", W_STOP, KEYWORD_NONE },
	{ "coming", W_STOP, KEYWORD_NONE },
	{ "make", W_STOP, KEYWORD_NONE },
	{ "take", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "think", W_STOP, KEYWORD_NONE },
	{ "thought", W_STOP, KEYWORD_NONE },
	{ "say", W_STOP, KEYWORD_NONE },
	{ "said", W_STOP, KEYWORD_NONE },
	{ "tell", W_STOP | W_ASK, KEYWORD_NONE },
	{ "told", W_STOP, KEYWORD_NONE },
	{ "ask", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "asked", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "look", W_STOP, KEYWORD_NONE },
	{ "looking", W_STOP, KEYWORD_NONE },
	{ "forward", W_STOP, KEYWORD_NONE },
	{ "hear", W_STOP, KEYWORD_NONE },
	{ "hearing", W_STOP, KEYWORD_NONE },
	{ "back", W_STOP, KEYWORD_NONE },
	{ "sorry", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "oops", W_STOP, KEYWORD_NONE },
	{ "mean", W_STOP, KEYWORD_NONE },
	{ "meant", W_STOP, KEYWORD_NONE },
	{ "actually", W_STOP, KEYWORD_NONE },
	{ "sent", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "thing", W_STOP, KEYWORD_NONE },
	{ "things", W_STOP, KEYWORD_NONE },
	{ "people", W_STOP, KEYWORD_NONE },
	{ "friends", W_STOP, KEYWORD_NONE },
	{ "home", W_STOP, KEYWORD_NONE },
	{ "town", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "towns", W_STOP, KEYWORD_NONE },
	{ "city", W_STOP, KEYWORD_NONE },
	{ "still", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "again", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "already", W_STOP, KEYWORD_NONE },
	{ "soon", W_STOP, KEYWORD_NONE },
	{ "now", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "then", W_STOP, KEYWORD_NONE },
	{ "yet", W_STOP, KEYWORD_NONE },
	{ "only", W_STOP, KEYWORD_NONE },
	{ "even", W_STOP, KEYWORD_NONE },
	{ "perhaps", W_STOP, KEYWORD_NONE },
	{ "right", W_STOP, KEYWORD_NONE },
	{ "lot", W_STOP, KEYWORD_NONE },
	{ "lots", W_STOP, KEYWORD_NONE },
	{ "much", W_STOP, KEYWORD_NONE },
	{ "other", W_STOP, KEYWORD_NONE },
	{ "another", W_STOP, KEYWORD_NONE },
	{ "same", W_STOP, KEYWORD_NONE },
	{ "new", W_STOP, KEYWORD_NONE },
	{ "own", W_STOP, KEYWORD_NONE },
	{ "every", W_STOP, KEYWORD_NONE },
	{ "some", W_STOP, KEYWORD_NONE },
	{ "someone", W_STOP, KEYWORD_NONE },
	{ "something", W_STOP, KEYWORD_NONE },
	{ "one", W_STOP, KEYWORD_NONE },
	{ "time", W_STOP, KEYWORD_NONE },
	{ "week", W_STOP, KEYWORD_NONE },
	{ "weekend", W_STOP, KEYWORD_NONE },
	{ "weekends", W_STOP, KEYWORD_NONE },
	{ "today", W_STOP, KEYWORD_NONE },
	{ "tomorrow", W_STOP, KEYWORD_NONE },
	{ "tonight", W_STOP, KEYWORD_NONE },
	{ "next", W_STOP, KEYWORD_NONE },
	{ "into", W_STOP, KEYWORD_NONE },
	{ "out", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "over", W_STOP, KEYWORD_NONE },
	{ "after", W_STOP, KEYWORD_NONE },
	{ "before", W_STOP, KEYWORD_NONE },
	{ "because", W_STOP, KEYWORD_NONE },
	{ "via", W_STOP, KEYWORD_NONE },
	{ "etc", W_STOP, KEYWORD_NONE },
	{ "oh", W_STOP, KEYWORD_NONE },
	{ "ah", W_STOP, KEYWORD_NONE },
	{ "um", W_STOP, KEYWORD_NONE },
	{ "er", W_STOP, KEYWORD_NONE },
	{ "erm", W_STOP, KEYWORD_NONE },
	{ "later", W_STOP, KEYWORD_NONE },
	{ "event", W_STOP, KEYWORD_NONE },
	{ "events", W_STOP, KEYWORD_NONE },
	{ "campaign", W_STOP, KEYWORD_NONE },
	{ "union", W_STOP, KEYWORD_NONE },
	{ "party", W_STOP, KEYWORD_NONE },
	{ "club", W_STOP, KEYWORD_NONE },
	{ "members", W_STOP, KEYWORD_NONE },
	{ "signed", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "joined", W_STOP, KEYWORD_NONE },
	{ "volunteers", W_STOP, KEYWORD_NONE },
	{ "email", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "newsletter", W_STOP, KEYWORD_NONE },
	{ "question", W_STOP, KEYWORD_NONE },
	{ "questions", W_STOP, KEYWORD_NONE },
	{ "enquiry", W_STOP, KEYWORD_NONE },
	{ "got", W_STOP, KEYWORD_NONE },
	{ "found", W_STOP, KEYWORD_NONE },
	{ "wants", W_STOP, KEYWORD_NONE },
	{ "wish", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "likes", W_STOP, KEYWORD_NONE },
	{ "attend", W_STOP, KEYWORD_NONE },
	{ "visit", W_STOP, KEYWORD_NONE },
	{ "lives", W_STOP, KEYWORD_NONE },
	{ "moved", W_STOP, KEYWORD_NONE },
	{ "move", W_STOP, KEYWORD_NONE },
	{ "moving", W_STOP, KEYWORD_NONE },
	{ "call", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "ring", W_STOP, KEYWORD_NONE },
	{ "txt", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "opt", W_STOP | W_OPTVERB | W_OPTWORD, KEYWORD_NONE },
	{ "these", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "those", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "them", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "list", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "late", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "early", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "uni", W_STOP, KEYWORD_NONE },
	{ "university", W_STOP, KEYWORD_NONE },
	{ "college", W_STOP, KEYWORD_NONE },
	{ "school", W_STOP, KEYWORD_NONE },
	{ "student", W_STOP, KEYWORD_NONE },
	{ "stall", W_STOP, KEYWORD_NONE },
	{ "www", W_STOP, KEYWORD_NONE },
	{ "http", W_STOP, KEYWORD_NONE },
	{ "https", W_STOP, KEYWORD_NONE },
	{ "com", W_STOP, KEYWORD_NONE },
	{ "their", W_STOP, KEYWORD_NONE },
	{ "he", W_STOP, KEYWORD_NONE },
	{ "she", W_STOP, KEYWORD_NONE },
	{ "his", W_STOP, KEYWORD_NONE },
	{ "her", W_STOP, KEYWORD_NONE },
	{ "him", W_STOP, KEYWORD_NONE },
	{ "mine", W_STOP, KEYWORD_NONE },
	{ "yours", W_STOP, KEYWORD_NONE },
	{ "bring", W_STOP, KEYWORD_NONE },
	{ "brought", W_STOP, KEYWORD_NONE },
	{ "covered", W_STOP, KEYWORD_NONE },
	{ "cover", W_STOP, KEYWORD_NONE },
	{ "covering", W_STOP, KEYWORD_NONE },
	{ "nearby", W_STOP, KEYWORD_NONE },
	{ "suit", W_STOP, KEYWORD_NONE },
	{ "suits", W_STOP, KEYWORD_NONE },
	{ "suited", W_STOP, KEYWORD_NONE },
	{ "help", W_STOP | W_KEYWORD | W_ASK, KEYWORD_HELP },
	{ "helping", W_STOP, KEYWORD_NONE },
	{ "glad", W_STOP, KEYWORD_NONE },
	{ "able", W_STOP, KEYWORD_NONE },
	{ "free", W_STOP, KEYWORD_NONE },
	{ "around", W_STOP, KEYWORD_NONE },
	{ "usually", W_STOP, KEYWORD_NONE },
	{ "normally", W_STOP, KEYWORD_NONE },
	{ "definitely", W_STOP, KEYWORD_NONE },
	{ "probably", W_STOP, KEYWORD_NONE },
	{ "plan", W_STOP, KEYWORD_NONE },
	{ "planning", W_STOP, KEYWORD_NONE },
	{ "hope", W_STOP, KEYWORD_NONE },
	{ "hoping", W_STOP, KEYWORD_NONE },
	{ "count", W_STOP, KEYWORD_NONE },
	{ "counting", W_STOP, KEYWORD_NONE },
	{ "cant", W_STOP, KEYWORD_NONE },
	{ "can't", W_STOP, KEYWORD_NONE },
	{ "don't", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "dont", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "won't", W_STOP, KEYWORD_NONE },
	{ "wont", W_STOP, KEYWORD_NONE },
	{ "couldn't", W_STOP, KEYWORD_NONE },
	{ "isn't", W_STOP, KEYWORD_NONE },
	{ "aren't", W_STOP, KEYWORD_NONE },
	{ "didn't", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "doesn't", W_STOP, KEYWORD_NONE },
	{ "haven't", W_STOP, KEYWORD_NONE },
	{ "we're", W_STOP, KEYWORD_NONE },
	{ "they're", W_STOP, KEYWORD_NONE },
	{ "you're", W_STOP, KEYWORD_NONE },
	{ "that's", W_STOP, KEYWORD_NONE },
	{ "thats", W_STOP, KEYWORD_NONE },
	{ "it'll", W_STOP, KEYWORD_NONE },
	{ "lets", W_STOP, KEYWORD_NONE },
	{ "let's", W_STOP, KEYWORD_NONE },
	{ "please", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "pls", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "plz", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "plse", W_STOP, KEYWORD_NONE },
	{ "asap", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "fill", W_STOP, KEYWORD_NONE },
	{ "form", W_STOP, KEYWORD_NONE },
	{ "online", W_STOP, KEYWORD_NONE },
	{ "office", W_STOP, KEYWORD_NONE },
	{ "room", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "car", W_STOP, KEYWORD_NONE },
	{ "reg", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "registration", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "plate", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "number", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "numberplate", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "motorway", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "junction", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "jct", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "exit", W_STOP, KEYWORD_NONE },
	{ "bus", W_STOP, KEYWORD_NONE },
	{ "train", W_STOP, KEYWORD_NONE },
	{ "station", W_STOP, KEYWORD_NONE },
	{ "stop's", W_STOP, KEYWORD_NONE },
	{ "till", W_STOP, KEYWORD_NONE },
	{ "until", W_STOP, KEYWORD_NONE },
	{ "since", W_STOP, KEYWORD_NONE },
	{ "approx", W_STOP, KEYWORD_NONE },
	{ "ish", W_STOP, KEYWORD_NONE },
	{ "shift", W_STOP, KEYWORD_NONE },
	{ "shifts", W_STOP, KEYWORD_NONE },
	{ "work", W_STOP, KEYWORD_NONE },
	{ "working", W_STOP, KEYWORD_NONE },
	{ "job", W_STOP, KEYWORD_NONE },
	{ "evenings", W_STOP, KEYWORD_NONE },
	{ "mornings", W_STOP, KEYWORD_NONE },
	{ "afternoons", W_STOP, KEYWORD_NONE },
	{ "days", W_STOP, KEYWORD_NONE },
	{ "month", W_STOP, KEYWORD_NONE },
	{ "months", W_STOP, KEYWORD_NONE },
	{ "year", W_STOP, KEYWORD_NONE },
	{ "years", W_STOP, KEYWORD_NONE },
	{ "fy", W_STOP, KEYWORD_NONE },
	{ "fi", W_STOP, KEYWORD_NONE },
	{ "ti", W_STOP, KEYWORD_NONE },
	{ "chi", W_STOP, KEYWORD_NONE },
	{ "ni", W_STOP | W_PARTICLE, KEYWORD_NONE },	/* Welsh "we"; Irish Ní */
	{ "nhw", W_STOP, KEYWORD_NONE },
	{ "mae", W_STOP, KEYWORD_NONE },
	{ "rydw", W_STOP, KEYWORD_NONE },
	{ "rwy'n", W_STOP, KEYWORD_NONE },
	{ "rwyf", W_STOP, KEYWORD_NONE },
	{ "wyf", W_STOP, KEYWORD_NONE },
	{ "yn", W_STOP, KEYWORD_NONE },
	{ "ym", W_STOP, KEYWORD_NONE },
	{ "yng", W_STOP, KEYWORD_NONE },
	{ "o", W_STOP, KEYWORD_NONE },
	{ "ac", W_STOP, KEYWORD_NONE },
	{ "ag", W_STOP, KEYWORD_NONE },
	{ "i'r", W_STOP, KEYWORD_NONE },
	{ "y", W_STOP | W_PARTICLE, KEYWORD_NONE },
	{ "yr", W_STOP, KEYWORD_NONE },
	{ "gyda", W_STOP, KEYWORD_NONE },
	{ "hefo", W_STOP, KEYWORD_NONE },
	{ "efo", W_STOP, KEYWORD_NONE },
	{ "byw", W_STOP, KEYWORD_NONE },
	{ "cod", W_STOP, KEYWORD_NONE },
	{ "post", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "cangen", W_STOP, KEYWORD_NONE },
	{ "grwp", W_STOP, KEYWORD_NONE },
	{ "cyfarfod", W_STOP, KEYWORD_NONE },
	{ "hoffwn", W_STOP, KEYWORD_NONE },
	{ "isio", W_STOP, KEYWORD_NONE },
	{ "eisiau", W_STOP, KEYWORD_NONE },
	{ "ymuno", W_STOP, KEYWORD_NONE },
	{ "plis", W_STOP, KEYWORD_NONE },
	{ "os", W_STOP, KEYWORD_NONE },
	{ "gwelwch", W_STOP, KEYWORD_NONE },
	{ "gwelwch'n", W_STOP, KEYWORD_NONE },
	{ "cymru", W_STOP | W_PLACE, KEYWORD_NONE },
	/* The reply language (message.c): the whole text only, so that
	 * "dw i'n siarad Cymraeg" is no switch.  "English" is also a
	 * surname ("Jane English"), so it may end a name. */
	{ "cymraeg", W_STOP | W_KEYWORD, KEYWORD_WELSH },
	{ "saesneg", W_STOP | W_KEYWORD, KEYWORD_ENGLISH },
	{ "english", W_SURNAME | W_KEYWORD, KEYWORD_ENGLISH },
	/*
	 * The Welsh keywords.  Welsh services mostly keep the English
	 * STOP / START / HELP in their bilingual texts ("Anfonwch STOP"),
	 * and providers' own opt-out handling (Twilio's, the carriers')
	 * knows only those, so our Welsh replies say STOP and START.  A
	 * supporter writing Welsh may still use the Welsh verbs: stopio
	 * and dad-danysgrifio (stop, unsubscribe), dechrau (start),
	 * cymorth (help; "help" is Welsh too).  YMUNO (join) is like JOIN:
	 * no keyword, a word before a signup.
	 */
	{ "stopio", W_STOP | W_OPTVERB | W_OPTWORD | W_KEYWORD, KEYWORD_STOP },
	{ "dad-danysgrifio", W_STOP | W_OPTVERB | W_OPTWORD | W_KEYWORD,
	    KEYWORD_STOP },
	{ "dechrau", W_STOP | W_KEYWORD, KEYWORD_START },
	{ "cymorth", W_STOP | W_KEYWORD, KEYWORD_HELP },
	{ "newydd", W_STOP, KEYWORD_NONE },
	{ "hefyd", W_STOP, KEYWORD_NONE },
	{ "postcode", W_STOP, KEYWORD_NONE },
	{ "postcodes", W_STOP, KEYWORD_NONE },
	{ "code", W_STOP, KEYWORD_NONE },
	{ "zip", W_STOP, KEYWORD_NONE },
	{ "pc", W_STOP, KEYWORD_NONE },
	{ "full", W_STOP, KEYWORD_NONE },
	{ "first", W_STOP, KEYWORD_NONE },
	{ "last", W_STOP, KEYWORD_NONE },
	{ "surname", W_STOP, KEYWORD_NONE },
	{ "forename", W_STOP, KEYWORD_NONE },
	{ "mobile", W_STOP, KEYWORD_NONE },
	{ "phone", W_STOP, KEYWORD_NONE },
	{ "tel", W_STOP, KEYWORD_NONE },
	{ "flat", W_STOP, KEYWORD_NONE },
	{ "apt", W_STOP, KEYWORD_NONE },
	{ "apartment", W_STOP, KEYWORD_NONE },
	{ "house", W_STOP, KEYWORD_NONE },
	{ "no.", W_STOP, KEYWORD_NONE },
	{ "friend", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "well", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "young", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "green", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "long", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "short", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "little", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "rich", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "north", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "south", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "east", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "west", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "park", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "hall", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "wood", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "field", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "street", W_STOP | W_STREET | W_SURNAME, KEYWORD_NONE },
	{ "hill", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "london", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "york", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "church", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "chapel", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "monday", W_STOP, KEYWORD_NONE },
	{ "tuesday", W_STOP, KEYWORD_NONE },
	{ "wednesday", W_STOP, KEYWORD_NONE },
	{ "thursday", W_STOP, KEYWORD_NONE },
	{ "friday", W_STOP, KEYWORD_NONE },
	{ "saturday", W_STOP, KEYWORD_NONE },
	{ "sunday", W_STOP, KEYWORD_NONE },
	{ "mon", W_STOP, KEYWORD_NONE },
	{ "tue", W_STOP, KEYWORD_NONE },
	{ "tues", W_STOP, KEYWORD_NONE },
	{ "wed", W_STOP, KEYWORD_NONE },
	{ "weds", W_STOP, KEYWORD_NONE },
	{ "thu", W_STOP, KEYWORD_NONE },
	{ "thur", W_STOP, KEYWORD_NONE },
	{ "thurs", W_STOP, KEYWORD_NONE },
	{ "fri", W_STOP, KEYWORD_NONE },
	{ "sat", W_STOP, KEYWORD_NONE },
	{ "weekday", W_STOP, KEYWORD_NONE },
	{ "january", W_STOP, KEYWORD_NONE },
	{ "february", W_STOP, KEYWORD_NONE },
	{ "march", W_STOP, KEYWORD_NONE },
	{ "july", W_STOP, KEYWORD_NONE },
	{ "september", W_STOP, KEYWORD_NONE },
	{ "october", W_STOP, KEYWORD_NONE },
	{ "november", W_STOP, KEYWORD_NONE },
	{ "december", W_STOP, KEYWORD_NONE },
	{ "jan", W_STOP, KEYWORD_NONE },
	{ "feb", W_STOP, KEYWORD_NONE },
	{ "mar", W_STOP, KEYWORD_NONE },
	{ "apr", W_STOP, KEYWORD_NONE },
	{ "jun", W_STOP, KEYWORD_NONE },
	{ "jul", W_STOP, KEYWORD_NONE },
	{ "aug", W_STOP, KEYWORD_NONE },
	{ "sep", W_STOP, KEYWORD_NONE },
	{ "sept", W_STOP, KEYWORD_NONE },
	{ "oct", W_STOP, KEYWORD_NONE },
	{ "nov", W_STOP, KEYWORD_NONE },
	{ "dec", W_STOP, KEYWORD_NONE },
	{ "dydd", W_STOP, KEYWORD_NONE },
	{ "llun", W_STOP, KEYWORD_NONE },
	{ "mawrth", W_STOP, KEYWORD_NONE },
	{ "mercher", W_STOP, KEYWORD_NONE },
	{ "iau", W_STOP, KEYWORD_NONE },
	{ "gwener", W_STOP, KEYWORD_NONE },
	{ "sadwrn", W_STOP, KEYWORD_NONE },
	{ "sul", W_STOP, KEYWORD_NONE },
	{ "april", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "june", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "august", W_STOP | W_SURNAME, KEYWORD_NONE },
	{ "unsubscribe", W_STOP | W_OPTVERB | W_OPTWORD | W_KEYWORD, KEYWORD_STOP },
	{ "unsub", W_STOP | W_OPTVERB | W_OPTWORD, KEYWORD_NONE },
	{ "unstop", W_STOP | W_OPTVERB | W_OPTWORD | W_KEYWORD, KEYWORD_START },
	{ "remove", W_STOP | W_OPTVERB | W_OPTWORD, KEYWORD_NONE },
	{ "delete", W_STOP | W_OPTVERB | W_OPTWORD, KEYWORD_NONE },
	{ "optout", W_STOP | W_OPTVERB | W_OPTWORD | W_KEYWORD, KEYWORD_STOP },
	{ "opt-out", W_STOP | W_OPTVERB | W_OPTWORD, KEYWORD_NONE },
	{ "stopall", W_STOP | W_OPTVERB | W_OPTWORD | W_KEYWORD, KEYWORD_STOP },
	{ "revoke", W_STOP | W_OPTVERB | W_OPTWORD | W_KEYWORD, KEYWORD_STOP },
	{ "cancel", W_STOP | W_OPTVERB | W_OPTWORD | W_KEYWORD, KEYWORD_STOP },
	{ "quit", W_STOP | W_OPTVERB | W_OPTWORD | W_KEYWORD, KEYWORD_STOP },
	{ "leave", W_STOP | W_OPTVERB | W_OPTWORD, KEYWORD_NONE },
	{ "data", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "off", W_STOP | W_OPTWORD | W_ROAD, KEYWORD_NONE },
	{ "lists", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "mailing", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "texted", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "contacting", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "contacted", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "emails", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "emailing", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "calling", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "calls", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "immediately", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "straight", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "away", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "ever", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "anymore", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "longer", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "never", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "stop", W_STOP | W_OPTWORD | W_KEYWORD, KEYWORD_STOP },
	{ "stopping", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "subscription", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "permanently", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "forever", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "messaging", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "bother", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "bothering", W_STOP | W_OPTWORD | W_CONTACT, KEYWORD_NONE },
	{ "wasn't", W_STOP | W_WAS, KEYWORD_NONE },
	{ "old", W_STOP | W_WAS, KEYWORD_NONE },
	{ "previously", W_STOP | W_WAS, KEYWORD_NONE },
	{ "formerly", W_STOP | W_WAS, KEYWORD_NONE },
	{ "wrong", W_STOP | W_WAS, KEYWORD_NONE },
	{ "instead", W_STOP | W_WAS, KEYWORD_NONE },
	{ "used", W_STOP | W_WAS, KEYWORD_NONE },
	{ "j", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "end", W_STOP | W_KEYWORD, KEYWORD_STOP },
	{ "start", W_STOP | W_KEYWORD, KEYWORD_START },
	{ "mr", W_STOP, KEYWORD_NONE },
	{ "mrs", W_STOP, KEYWORD_NONE },
	{ "ms", W_STOP, KEYWORD_NONE },
	{ "miss", W_STOP, KEYWORD_NONE },
	{ "mx", W_STOP, KEYWORD_NONE },
	{ "dr", W_STOP | W_STREET, KEYWORD_NONE },
	{ "prof", W_STOP, KEYWORD_NONE },
	{ "rev", W_STOP, KEYWORD_NONE },
	{ "revd", W_STOP, KEYWORD_NONE },
	{ "fr", W_STOP, KEYWORD_NONE },
	{ "sr", W_STOP, KEYWORD_NONE },
	{ "lady", W_STOP, KEYWORD_NONE },
	{ "lord", W_STOP, KEYWORD_NONE },
	{ "cllr", W_STOP, KEYWORD_NONE },
	{ "uk", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "england", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "wales", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "scotland", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "britain", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "manchester", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "birmingham", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "leeds", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "glasgow", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "edinburgh", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "cardiff", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "belfast", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "bristol", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "liverpool", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "sheffield", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "newcastle", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "nottingham", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "leicester", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "coventry", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "bradford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "southampton", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "portsmouth", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "brighton", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "plymouth", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "swansea", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "aberdeen", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "dundee", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "norwich", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "barnsley", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "stockport", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "ilkley", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "wakefield", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "huddersfield", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "halifax", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "rotherham", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "doncaster", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "salford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "bolton", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "wigan", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "oldham", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "rochdale", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "bury", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "blackburn", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "blackpool", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "preston", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "lancaster", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "carlisle", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "sunderland", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "gateshead", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "durham", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "middlesbrough", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "hull", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "harrogate", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "scarborough", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "grimsby", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "lincoln", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "derby", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "stoke", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "crewe", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "chester", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "wrexham", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "bangor", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "caernarfon", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "aberystwyth", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "carmarthen", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "llanelli", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "newport", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "pontypridd", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "merthyr", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "rhondda", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "bridgend", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "neath", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "port", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "talbot", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "colwyn", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "rhyl", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "llandudno", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "conwy", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "anglesey", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "gwynedd", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "powys", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "ceredigion", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "pembrokeshire", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "shrewsbury", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "telford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "wolverhampton", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "walsall", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "solihull", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "worcester", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "hereford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "gloucester", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "cheltenham", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "swindon", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "oxford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "reading", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "slough", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "luton", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "watford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "cambridge", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "peterborough", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "ipswich", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "colchester", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "chelmsford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "southend", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "basildon", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "croydon", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "bromley", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "harrow", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "ealing", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "hackney", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "camden", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "islington", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "brixton", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "lewisham", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "greenwich", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "woolwich", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "kent", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "essex", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "surrey", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "sussex", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "devon", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "cornwall", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "exeter", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "torquay", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "bath", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "taunton", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "yeovil", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "poole", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "bournemouth", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "salisbury", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "winchester", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "guildford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "maidstone", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "canterbury", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "dover", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "margate", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "hastings", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "eastbourne", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "crawley", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "worthing", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "northampton", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "keynes", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "bedford", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "stevenage", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "hertford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "romford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "ilford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "enfield", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "tottenham", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "walthamstow", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "stratford", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "leyton", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "hove", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "kendal", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "keswick", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "penrith", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "whitby", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "skipton", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "keighley", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "otley", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "harehills", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "chapeltown", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "headingley", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "dewsbury", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "batley", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "pudsey", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "castleford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "pontefract", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "selby", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "goole", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "bridlington", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "sale", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "altrincham", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "stretford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "didsbury", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "chorlton", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "withington", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "rusholme", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "moss", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "levenshulme", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "hyde", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "stalybridge", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "glossop", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "buxton", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "macclesfield", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "wilmslow", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "knutsford", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "northwich", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "warrington", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "widnes", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "runcorn", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "birkenhead", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "wallasey", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "southport", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "ormskirk", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "skelmersdale", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "chorley", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "leyland", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "burnley", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "accrington", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "colne", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "clitheroe", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "morecambe", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "barrow", W_STOP | W_SURNAME | W_PLACE, KEYWORD_NONE },
	{ "ulverston", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "whitehaven", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "workington", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "cumbria", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "lancashire", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "yorkshire", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "merseyside", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "cheshire", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "derbyshire", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "staffordshire", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "shropshire", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "midlands", W_STOP | W_PLACE, KEYWORD_NONE },
	{ "van", W_PARTICLE, KEYWORD_NONE },
	{ "von", W_PARTICLE, KEYWORD_NONE },
	{ "de", W_PARTICLE, KEYWORD_NONE },
	{ "der", W_PARTICLE, KEYWORD_NONE },
	{ "den", W_PARTICLE, KEYWORD_NONE },
	{ "das", W_PARTICLE, KEYWORD_NONE },
	{ "dos", W_PARTICLE, KEYWORD_NONE },
	{ "di", W_PARTICLE, KEYWORD_NONE },
	{ "du", W_PARTICLE, KEYWORD_NONE },
	{ "del", W_PARTICLE, KEYWORD_NONE },
	{ "della", W_PARTICLE, KEYWORD_NONE },
	{ "le", W_PARTICLE, KEYWORD_NONE },
	{ "la", W_PARTICLE, KEYWORD_NONE },
	{ "bin", W_PARTICLE, KEYWORD_NONE },
	{ "ibn", W_PARTICLE, KEYWORD_NONE },
	{ "ap", W_PARTICLE, KEYWORD_NONE },
	{ "ab", W_PARTICLE, KEYWORD_NONE },
	{ "al", W_PARTICLE, KEYWORD_NONE },
	{ "el", W_PARTICLE, KEYWORD_NONE },
	{ "mac", W_PARTICLE, KEYWORD_NONE },
	{ "mc", W_PARTICLE, KEYWORD_NONE },
	{ "nic", W_PARTICLE, KEYWORD_NONE },
	{ "ua", W_PARTICLE, KEYWORD_NONE },
	{ "ter", W_PARTICLE, KEYWORD_NONE },
	{ "ten", W_PARTICLE, KEYWORD_NONE },
	{ "af", W_PARTICLE, KEYWORD_NONE },
	{ "zu", W_PARTICLE, KEYWORD_NONE },
	{ "bint", W_PARTICLE, KEYWORD_NONE },
	{ "binti", W_PARTICLE, KEYWORD_NONE },
	{ "bte", W_PARTICLE, KEYWORD_NONE },
	{ "st", W_STOP | W_STREET, KEYWORD_NONE },
	{ "road", W_STOP | W_STREET, KEYWORD_NONE },
	{ "rd", W_STOP | W_STREET, KEYWORD_NONE },
	{ "avenue", W_STOP | W_STREET, KEYWORD_NONE },
	{ "ave", W_STOP | W_STREET, KEYWORD_NONE },
	{ "crescent", W_STOP | W_STREET, KEYWORD_NONE },
	{ "cres", W_STOP | W_STREET, KEYWORD_NONE },
	{ "terrace", W_STOP | W_STREET, KEYWORD_NONE },
	{ "gardens", W_STOP | W_STREET, KEYWORD_NONE },
	{ "gdns", W_STOP | W_STREET, KEYWORD_NONE },
	{ "mews", W_STOP | W_STREET, KEYWORD_NONE },
	{ "drive", W_STOP | W_STREET, KEYWORD_NONE },
	{ "lane", W_STOP | W_STREET, KEYWORD_NONE },
	{ "ln", W_STOP | W_STREET, KEYWORD_NONE },
	{ "close", W_STOP | W_STREET, KEYWORD_NONE },
	{ "way", W_STOP | W_STREET, KEYWORD_NONE },
	{ "court", W_STOP | W_STREET, KEYWORD_NONE },
	{ "ct", W_STOP | W_STREET, KEYWORD_NONE },
	{ "place", W_STOP | W_STREET, KEYWORD_NONE },
	{ "pl", W_STOP | W_STREET, KEYWORD_NONE },
	{ "grove", W_STOP | W_STREET, KEYWORD_NONE },
	{ "square", W_STOP | W_STREET, KEYWORD_NONE },
	{ "sq", W_STOP | W_STREET, KEYWORD_NONE },
	{ "cottage", W_STOP | W_STREET, KEYWORD_NONE },
	{ "cottages", W_STOP | W_STREET, KEYWORD_NONE },
	{ "farm", W_STOP | W_STREET, KEYWORD_NONE },
	{ "lodge", W_STOP | W_STREET, KEYWORD_NONE },
	{ "manor", W_STOP | W_STREET, KEYWORD_NONE },
	{ "villas", W_STOP | W_STREET, KEYWORD_NONE },
	{ "villa", W_STOP | W_STREET, KEYWORD_NONE },
	{ "flats", W_STOP | W_STREET, KEYWORD_NONE },
	{ "building", W_STOP | W_STREET, KEYWORD_NONE },
	{ "alone", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "sounds", W_STOP | W_CHAT, KEYWORD_NONE },
	{ "fun", W_STOP, KEYWORD_NONE },
	{ "non-stop", W_STOP, KEYWORD_NONE },
	{ "forgot", W_STOP, KEYWORD_NONE },
	{ "forget", W_STOP, KEYWORD_NONE },
	{ "n", W_STOP, KEYWORD_NONE },
	{ "ffs", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "rm", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "unit", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "block", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "platform", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "gate", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "seat", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "route", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "flight", W_STOP | W_ROAD, KEYWORD_NONE },
	{ "msg", W_STOP | W_CONTACT | W_OPTWORD, KEYWORD_NONE },
	{ "msgs", W_STOP | W_CONTACT | W_OPTWORD, KEYWORD_NONE },
	{ "msging", W_STOP | W_CONTACT | W_OPTWORD, KEYWORD_NONE },
	{ "msgn", W_STOP | W_CONTACT | W_OPTWORD, KEYWORD_NONE },
	{ "txting", W_STOP | W_CONTACT | W_OPTWORD, KEYWORD_NONE },
	{ "txts", W_STOP | W_CONTACT | W_OPTWORD, KEYWORD_NONE },
	/* Words that follow "I'm" and are not a name ("I'm under 18"). */
	{ "busy", W_STOP, KEYWORD_NONE },
	{ "sick", W_STOP, KEYWORD_NONE },
	{ "tired", W_STOP, KEYWORD_NONE },
	{ "unsure", W_STOP, KEYWORD_NONE },
	{ "pleased", W_STOP, KEYWORD_NONE },
	{ "excited", W_STOP, KEYWORD_NONE },
	{ "sad", W_STOP, KEYWORD_NONE },
	{ "gutted", W_STOP, KEYWORD_NONE },
	{ "studying", W_STOP, KEYWORD_NONE },
	{ "disabled", W_STOP, KEYWORD_NONE },
	{ "vegan", W_STOP, KEYWORD_NONE },
	{ "pregnant", W_STOP, KEYWORD_NONE },
	{ "unemployed", W_STOP, KEYWORD_NONE },
	{ "thinking", W_STOP, KEYWORD_NONE },
	{ "wondering", W_STOP, KEYWORD_NONE },
	{ "trying", W_STOP, KEYWORD_NONE },
	{ "asking", W_STOP, KEYWORD_NONE },
	{ "writing", W_STOP, KEYWORD_NONE },
	{ "replying", W_STOP, KEYWORD_NONE },
	{ "currently", W_STOP, KEYWORD_NONE },
	{ "confused", W_STOP, KEYWORD_NONE },
	{ "lost", W_STOP, KEYWORD_NONE },
	{ "stuck", W_STOP, KEYWORD_NONE },
	{ "nearly", W_STOP, KEYWORD_NONE },
	{ "almost", W_STOP, KEYWORD_NONE },
	{ "bored", W_STOP, KEYWORD_NONE },
	{ "struggling", W_STOP, KEYWORD_NONE },
	{ "worried", W_STOP, KEYWORD_NONE },
	{ "concerned", W_STOP, KEYWORD_NONE },
	{ "curious", W_STOP, KEYWORD_NONE },
	{ "quite", W_STOP, KEYWORD_NONE },
	{ "always", W_STOP, KEYWORD_NONE },
	{ "often", W_STOP, KEYWORD_NONE },
	{ "sometimes", W_STOP, KEYWORD_NONE },
	{ "staying", W_STOP, KEYWORD_NONE },
	{ "waiting", W_STOP, KEYWORD_NONE },
	{ "ready", W_STOP, KEYWORD_NONE },
	{ "willing", W_STOP, KEYWORD_NONE },
	{ "teacher", W_STOP, KEYWORD_NONE },
	{ "nurse", W_STOP, KEYWORD_NONE },
	{ "parent", W_STOP, KEYWORD_NONE },
	{ "mum", W_STOP, KEYWORD_NONE },
	{ "dad", W_STOP, KEYWORD_NONE },
	{ "rather", W_STOP, KEYWORD_NONE },
	/* "kindly desist from messaging me", "cease contacting me". */
	{ "desist", W_STOP | W_OPTVERB | W_OPTWORD, KEYWORD_NONE },
	{ "cease", W_STOP | W_OPTVERB | W_OPTWORD, KEYWORD_NONE },
	{ "didnt", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "agreed", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "subscribed", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "rydyn", W_STOP, KEYWORD_NONE },
	{ "rydym", W_STOP, KEYWORD_NONE },
	{ "ydyn", W_STOP, KEYWORD_NONE },
	{ "ydym", W_STOP, KEYWORD_NONE },
	{ "rydych", W_STOP, KEYWORD_NONE },
	{ "maen", W_STOP, KEYWORD_NONE },
	{ "roedd", W_STOP, KEYWORD_NONE },
	{ "oedd", W_STOP, KEYWORD_NONE },
	/* Welsh "this", "these", "that". */
	{ "hwn", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "hon", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "hyn", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "hynny", W_STOP | W_OPTWORD, KEYWORD_NONE },
	{ "under", W_STOP, KEYWORD_NONE },
	{ "available", W_STOP, KEYWORD_NONE },
	{ "retired", W_STOP, KEYWORD_NONE },
	{ "meet", W_STOP, KEYWORD_NONE },
	{ "afraid", W_STOP, KEYWORD_NONE },
	{ "unable", W_STOP, KEYWORD_NONE },
	{ "between", W_STOP, KEYWORD_NONE },
	{ "onto", W_STOP, KEYWORD_NONE },
	{ "upon", W_STOP, KEYWORD_NONE },
	{ "without", W_STOP, KEYWORD_NONE },
	{ "within", W_STOP, KEYWORD_NONE },
	{ "across", W_STOP, KEYWORD_NONE },
	{ "behind", W_STOP, KEYWORD_NONE },
	{ "beyond", W_STOP, KEYWORD_NONE },
	{ "above", W_STOP, KEYWORD_NONE },
	{ "below", W_STOP, KEYWORD_NONE },
};

#define WORD_SLOTS	4096	/* a power of two, over twice nitems(words) */
_Static_assert(sizeof words / sizeof words[0] * 2 <= WORD_SLOTS,
    "word table too full");
static const struct word *word_table[WORD_SLOTS];

static uint32_t
word_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static const struct word *
word_lookup(const char *key, size_t n)
{
	uint32_t h = word_hash(key, n) & (WORD_SLOTS - 1);

	for (; word_table[h] != NULL; h = (h + 1) & (WORD_SLOTS - 1))
		if (strncmp(word_table[h]->w, key, n) == 0 &&
		    word_table[h]->w[n] == '\0')
			return word_table[h];
	return NULL;
}

static const struct word *
word_drawn_out(const char *key, size_t n)
{
	const struct word *w = NULL;
	char cut[WORD_KEY_MAX];
	int drawn = 0;

	for (size_t i = 2; i < n && !drawn; i++)
		drawn = key[i] == key[i - 1] && key[i] == key[i - 2] &&
		    (unsigned char)key[i] >= 'a' && (unsigned char)key[i] <= 'z';
	for (size_t keep = 1; drawn && w == NULL && keep <= 2; keep++) {
		size_t m = 0, run = 0;
		for (size_t i = 0; i < n && m < sizeof cut; i++) {
			run = i > 0 && key[i] == key[i - 1] ? run + 1 : 1;
			if (run <= keep)
				cut[m++] = key[i];
		}
		w = word_lookup(cut, m);
	}
	return w;
}

/*
 * The built-in area table (data/postcode_areas.csv): every postcode area
 * there is, and the one-word names of their post towns.  Read once.
 */
#define AREA_MAX	160
static char builtin_areas[AREA_MAX][4];
static size_t nbuiltin_areas;
static char builtin_towns[AREA_MAX][24];
static size_t nbuiltin_towns;

static int
cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void
areas_load(void)
{
	const struct embedded_file *f = embedded_get("postcode_areas.csv");
	const char *p, *e;

	nbuiltin_areas = nbuiltin_towns = 0;
	if (f == NULL)
		return;
	p = strchr(f->data, '\n');	/* the header */
	for (; p != NULL && *p; p = e) {
		const char *comma, *name, *nend;
		size_t n;

		p++;
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		if ((comma = memchr(p, ',', (size_t)(e - p))) == NULL)
			continue;
		n = (size_t)(comma - p);
		if (n >= 1 && n <= 3 && nbuiltin_areas < AREA_MAX) {
			memcpy(builtin_areas[nbuiltin_areas], p, n);
			builtin_areas[nbuiltin_areas++][n] = '\0';
		}
		name = comma + 1;
		nend = memchr(name, ',', (size_t)(e - name));
		if (nend == NULL || memchr(name, ' ', (size_t)(nend - name)) ||
		    (size_t)(nend - name) >= sizeof builtin_towns[0] ||
		    nbuiltin_towns == AREA_MAX)
			continue;
		for (n = 0; name + n < nend; n++)
			builtin_towns[nbuiltin_towns][n] = (char)
			    (name[n] >= 'A' && name[n] <= 'Z' ? name[n] + 32 :
			    name[n]);
		builtin_towns[nbuiltin_towns++][n] = '\0';
	}
	qsort(builtin_areas, nbuiltin_areas, sizeof builtin_areas[0], cmp_str);
	qsort(builtin_towns, nbuiltin_towns, sizeof builtin_towns[0], cmp_str);
}

void
tok_init(void)
{
	memset(word_table, 0, sizeof word_table);
	for (size_t i = 0; i < nitems(words); i++) {
		size_t n = strlen(words[i].w);
		uint32_t h = word_hash(words[i].w, n) & (WORD_SLOTS - 1);

		while (word_table[h] != NULL)
			h = (h + 1) & (WORD_SLOTS - 1);
		word_table[h] = &words[i];
	}
	areas_load();
}

static int
cmp_key(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

static int
in_list(const char *key, const char *const *list, size_t n)
{
	return n > 0 && bsearch(key, list, n, sizeof *list, cmp_key) != NULL;
}

int
tok_area_real(const struct parse *ps, const char *area)
{
	if (ps->places != NULL && ps->places->nareas > 0)
		return in_list(area, ps->places->areas, ps->places->nareas);
	if (nbuiltin_areas == 0)
		return 1;	/* no table at all: the shape decides */
	return bsearch(area, builtin_areas, nbuiltin_areas,
	    sizeof builtin_areas[0], cmp_str) != NULL;
}

int
tok_district_real(const struct parse *ps, const char *area,
    const char *district)
{
	if (!tok_area_real(ps, area))
		return 0;
	/* Without a district list a real area and a valid shape will do. */
	if (ps->places == NULL || ps->places->ndistricts == 0)
		return 1;
	return in_list(district, ps->places->districts,
	    ps->places->ndistricts);
}

int
tok_place_known(const struct parse *ps, const char *word, size_t n)
{
	char key[32];

	if (n >= sizeof key)
		return 0;
	memcpy(key, word, n);
	key[n] = '\0';
	if (ps->places != NULL &&
	    in_list(key, ps->places->places, ps->places->nplaces))
		return 1;
	return bsearch(key, builtin_towns, nbuiltin_towns,
	    sizeof builtin_towns[0], cmp_str) != NULL;
}

/* ------------------------------------------------------------------ */
/* UTF-8 and a small case table (no locale). */

/* Decode one code point; its length, or 0 for an invalid sequence. */
int
tok_utf8_decode(const unsigned char *p, const unsigned char *e, uint32_t *cp)
{
	uint32_t c = p[0], min;
	int n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return 0;
	if (e - p < n)
		return 0;
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int
tok_utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* In [lo, hi], is cp the upper (even or odd, as said) half of a pair? */
static int
pair_upper(uint32_t cp, uint32_t lo, uint32_t hi, int upper_even)
{
	return cp >= lo && cp <= hi && (int)((cp & 1) == 0) == upper_even;
}

static int
pair_lower(uint32_t cp, uint32_t lo, uint32_t hi, int upper_even)
{
	return cp >= lo && cp <= hi && (int)((cp & 1) == 0) != upper_even;
}

/*
 * Simple case pairs for Latin-1, Latin Extended-A, the common part of
 * Extended-B, Latin Extended Additional (Welsh ẁ ỳ), Greek and Cyrillic.
 * Pairs of the form (upper, upper+1) are listed as ranges.
 */
static const struct pairs {
	uint32_t lo, hi;
	int	 upper_even;
} case_pairs[] = {
	{ 0x0100, 0x012f, 1 }, { 0x0132, 0x0137, 1 }, { 0x0139, 0x0148, 0 },
	{ 0x014a, 0x0177, 1 }, { 0x0179, 0x017e, 0 }, { 0x01a0, 0x01a5, 1 },
	{ 0x01af, 0x01b0, 0 }, { 0x01cd, 0x01dc, 0 }, { 0x01de, 0x01ef, 1 },
	{ 0x01f8, 0x021f, 1 }, { 0x0222, 0x0233, 1 }, { 0x0460, 0x0481, 1 },
	{ 0x048a, 0x04bf, 1 }, { 0x04d0, 0x052f, 1 }, { 0x1e00, 0x1e95, 1 },
	{ 0x1ea0, 0x1eff, 1 },
};

uint32_t
tok_lower(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	if ((cp >= 0xc0 && cp <= 0xde && cp != 0xd7) ||
	    (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2) ||
	    (cp >= 0x410 && cp <= 0x42f))
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 80;
	switch (cp) {
	case 0x130: return 'i';
	case 0x178: return 0xff;
	case 0x386: return 0x3ac;
	case 0x388: case 0x389: case 0x38a: return cp + 37;
	case 0x38c: return 0x3cc;
	case 0x38e: case 0x38f: return cp + 63;
	case 0x1e9e: return 0xdf;
	}
	for (size_t i = 0; i < nitems(case_pairs); i++)
		if (pair_upper(cp, case_pairs[i].lo, case_pairs[i].hi,
		    case_pairs[i].upper_even))
			return cp + 1;
	return cp;
}

uint32_t
tok_upper(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
	if ((cp >= 0xe0 && cp <= 0xfe && cp != 0xf7) ||
	    (cp >= 0x3b1 && cp <= 0x3cb && cp != 0x3c2) ||
	    (cp >= 0x430 && cp <= 0x44f))
		return cp - 32;
	if (cp >= 0x450 && cp <= 0x45f)
		return cp - 80;
	switch (cp) {
	case 0xff: return 0x178;
	case 0x131: return 'I';
	case 0x3c2: return 0x3a3;
	case 0x3ac: return 0x386;
	case 0x3ad: case 0x3ae: case 0x3af: return cp - 37;
	case 0x3cc: return 0x38c;
	case 0x3cd: case 0x3ce: return cp - 63;
	}
	for (size_t i = 0; i < nitems(case_pairs); i++)
		if (pair_lower(cp, case_pairs[i].lo, case_pairs[i].hi,
		    case_pairs[i].upper_even))
			return cp - 1;
	return cp;
}

static int
cp_is_upper(uint32_t cp)
{
	return tok_lower(cp) != cp;
}

static int
cp_is_lower(uint32_t cp)
{
	/* ß and ĸ have no simple upper case but are lower-case letters. */
	return tok_upper(cp) != cp || cp == 0xdf || cp == 0x138;
}

/* ------------------------------------------------------------------ */
/* Tokens. */

enum cclass {
	CC_SPACE, CC_NEWLINE, CC_LETTER, CC_DIGIT, CC_APOS, CC_HYPHEN,
	CC_PERIOD, CC_END, CC_PUNCT, CC_GLUE,
};

/*
 * Letters of the scripts names are written in, roughly: everything from
 * Latin-1 letters to the end of Greek Extended, CJK and Hangul.  Combining
 * marks count, so that a decomposed "ë" stays one word.  Symbols, emoji
 * and punctuation are not letters.
 */
static int
cp_is_letter(uint32_t cp)
{
	if (cp < 0xc0)
		return 0;
	if (cp == 0xd7 || cp == 0xf7)
		return 0;
	if (cp < 0x2b0)
		return 1;
	if (cp < 0x300)
		return 0;	/* spacing modifiers */
	if (cp < 0x2000)
		return 1;
	return (cp >= 0x2c00 && cp < 0x2e00) || (cp >= 0x3040 && cp < 0xa000) ||
	    (cp >= 0xa640 && cp < 0xd800) || (cp >= 0xf900 && cp < 0xfb00) ||
	    (cp >= 0x20000 && cp < 0x30000);
}

static enum cclass
classify(uint32_t cp)
{
	if (cp < 0x80) {
		if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
			return CC_LETTER;
		if (cp >= '0' && cp <= '9')
			return CC_DIGIT;
		switch (cp) {
		case '\n': case '\r':
			return CC_NEWLINE;
		case '\'': case '`':
			return CC_APOS;
		case '-':
			return CC_HYPHEN;
		case '.':
			return CC_PERIOD;
		case '!': case '?':
			return CC_END;
		case ',': case ';': case ':': case '(': case ')': case '[':
		case ']': case '{': case '}': case '|': case '\\': case '<':
		case '>': case '*': case '+': case '=': case '~': case '^':
		case '/': case '&':
			return CC_PUNCT;
		case '@': case '_': case '#': case '%': case '$':
			return CC_GLUE;
		}
		return CC_SPACE;	/* blanks, controls, quotes */
	}
	if (cp_is_letter(cp))
		return CC_LETTER;
	switch (cp) {
	case 0x2018: case 0x2019: case 0x02bc:
		return CC_APOS;
	case 0x2010: case 0x2011:
		return CC_HYPHEN;
	case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x00ab: case 0x00bb:
		return CC_PUNCT;
	case 0x2026: case 0x3002:
		return CC_PERIOD;
	case 0x0085: case 0x2028: case 0x2029:
		return CC_NEWLINE;
	}
	return CC_SPACE;
}

/* The class of the code point at pos, and its length (1 when invalid). */
static enum cclass
next_class(const struct parse *ps, size_t pos, uint32_t *cp, int *n)
{
	*n = tok_utf8_decode(ps->text + pos, ps->text + ps->len, cp);
	if (*n == 0) {
		*n = 1;
		*cp = ' ';
		return CC_SPACE;
	}
	return classify(*cp);
}

static void
tokenise(struct parse *ps)
{
	struct token *t = NULL;
	enum cclass prev = CC_SPACE;
	unsigned gap = 0;
	size_t pos = 0;
	uint32_t cp;
	int n, sentence = 1, line = 1;

	ps->ntok = 0;
	ps->ndigits = 0;
	ps->nupper = ps->nlower = 0;
	while (pos < ps->len) {
		enum cclass cc = next_class(ps, pos, &cp, &n);

		if (cc == CC_APOS || cc == CC_HYPHEN) {
			uint32_t ncp;
			int nn;

			/* Inside a word only between two letters. */
			if (t != NULL && prev == CC_LETTER &&
			    pos + (size_t)n < ps->len &&
			    next_class(ps, pos + (size_t)n, &ncp, &nn) ==
			    CC_LETTER) {
				t->flags &= ~T_ALNUM;
				prev = cc;
				pos += (size_t)n;
				continue;
			}
		}
		if (cc == CC_LETTER || cc == CC_DIGIT) {
			if (t == NULL) {
				if (ps->ntok == MAX_TOKENS)
					break;
				t = &ps->tok[ps->ntok++];
				memset(t, 0, sizeof *t);
				t->off = (uint16_t)pos;
				t->gap = (uint8_t)(ps->ntok == 1 ? 0 : gap);
				t->flags = T_ALNUM;
				if (sentence)
					t->flags |= T_SENTENCE;
				if (line)
					t->flags |= T_LINE;
				if (cp < 0x80 && cc == CC_LETTER)
					t->flags |= T_ALPHA0;
				if (cc == CC_LETTER && cp_is_upper(cp))
					t->flags |= T_CAP0;
				line = 0;
				gap = 0;
				sentence = 0;
			}
			if (cc == CC_DIGIT) {
				t->flags |= T_DIGIT;
				ps->ndigits++;
			} else {
				t->flags |= T_LETTER;
				if (cp >= 0x80)
					t->flags &= ~T_ALNUM;
				if (cp_is_upper(cp)) {
					t->flags |= T_UPPER;
					ps->nupper++;
				} else if (cp_is_lower(cp)) {
					t->flags |= T_LOWER;
					ps->nlower++;
				}
			}
			t->len = (uint16_t)(pos + (size_t)n - t->off);
			prev = cc;
			pos += (size_t)n;
			continue;
		}
		/* A separator: close the token, remember what it was. */
		switch (cc) {
		case CC_NEWLINE:
			gap |= GAP_NEWLINE;
			sentence = line = 1;
			break;
		case CC_PERIOD:
			gap |= GAP_PERIOD;
			sentence = 1;
			break;
		case CC_END:
			gap |= GAP_END;
			if (cp == '?')
				gap |= GAP_QUESTION;
			sentence = 1;
			break;
		case CC_PUNCT:
			gap |= GAP_PUNCT;
			break;
		case CC_GLUE:
			gap |= GAP_GLUE;
			break;
		case CC_HYPHEN:
			gap |= GAP_HYPHEN;
			break;
		default:
			gap |= GAP_SPACE;
			break;
		}
		t = NULL;
		prev = cc;
		pos += (size_t)n;
	}
}

/* Apart by punctuation alone, no white space: "jane.smith@example". */
static int
tight(unsigned gap)
{
	return gap != 0 && !(gap & (GAP_SPACE | GAP_NEWLINE));
}

/*
 * An e-mail address or a handle is no name and no postcode: mark the
 * tokens an @ _ or the like holds together, then spread the mark over
 * dots and hyphens without white space ("jane.smith@example.com").
 */
static void
mark_glue(struct parse *ps)
{
	int k, any = 0;

	for (k = 1; k < ps->ntok; k++)
		if ((ps->tok[k].gap & GAP_GLUE) && tight(ps->tok[k].gap)) {
			ps->tok[k].flags |= T_GLUED;
			ps->tok[k - 1].flags |= T_GLUED;
			any = 1;
		}
	if (!any)
		return;
	for (k = 1; k < ps->ntok; k++)
		if ((ps->tok[k - 1].flags & T_GLUED) && tight(ps->tok[k].gap))
			ps->tok[k].flags |= T_GLUED;
	for (k = ps->ntok - 1; k > 0; k--)
		if ((ps->tok[k].flags & T_GLUED) && tight(ps->tok[k].gap))
			ps->tok[k - 1].flags |= T_GLUED;
}

/* Tokens that are part of a phone number. */

size_t
tok_key(const struct parse *ps, const struct token *t, char *key)
{
	const unsigned char *p = ps->text + t->off, *e = p + t->len;
	size_t n = 0;

	while (p < e) {
		if (n == WORD_KEY_MAX - 1)
			return 0;
		if (*p < 0x80) {
			key[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
			p++;
		} else if (e - p >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0x98 || p[2] == 0x99)) {
			key[n++] = '\'';
			p += 3;
		} else if (e - p >= 2 && p[0] == 0xc5 && p[1] == 0xb5) {
			key[n++] = 'w';		/* ŵ, as Welsh is often typed */
			p += 2;
		} else
			return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (key[i] == '`')
			key[i] = '\'';
	return n;
}

int
tok_is(const struct parse *ps, int k, const char *w)
{
	char key[WORD_KEY_MAX];
	size_t n;

	if (k < 0 || k >= ps->ntok)
		return 0;
	n = tok_key(ps, &ps->tok[k], key);
	return n > 0 && strlen(w) == n && memcmp(key, w, n) == 0;
}

/* What the word list says of token t. */
static void
tok_lookup(struct parse *ps, struct token *t)
{
	const struct word *w;
	char key[WORD_KEY_MAX];
	size_t n;

	t->word = 0;
	t->keyword = KEYWORD_NONE;
	if ((t->flags & T_DIGIT) || (n = tok_key(ps, t, key)) == 0)
		return;
	w = word_lookup(key, n);
	/* "Stopppp", "pleaseee", "cheeeers": a letter said three times or
	 * more is a word drawn out, looked up with the run cut to one and
	 * then to two.  A name is never spelt so. */
	if (w == NULL)
		w = word_drawn_out(key, n);
	/* "number's" is "number" (and "Jane's" is Jane). */
	if (w == NULL && n > 2 && key[n - 2] == '\'' && key[n - 1] == 's' &&
	    (w = word_lookup(key, n - 2)) != NULL &&
	    !(w->flags & (W_STOP)))
		w = NULL;
	if (w != NULL) {
		t->word = w->flags;
		t->keyword = w->keyword;
	} else if (n >= 3 && tok_place_known(ps, key, n))
		t->word = W_STOP | W_PLACE;
}

void
tok_split(struct parse *ps)
{
	tokenise(ps);
	mark_glue(ps);
	for (int k = 0; k < ps->ntok; k++)
		tok_lookup(ps, &ps->tok[k]);
}

int
tok_cut(struct parse *ps, int k, int n)
{
	struct token *t = &ps->tok[k], *u;
	const unsigned char *p;

	if (ps->ntok == MAX_TOKENS || n <= 0 || n >= t->len)
		return -1;
	memmove(t + 1, t, (size_t)(ps->ntok - k) * sizeof *t);
	ps->ntok++;
	u = t + 1;
	t->len = (uint16_t)n;
	u->off = (uint16_t)(t->off + n);
	u->len = (uint16_t)(u->len - n);
	u->gap = GAP_SPACE;
	/* Each part's flags again, from its own letters (ASCII here). */
	for (int i = 0; i < 2; i++) {
		struct token *x = i ? u : t;
		uint16_t keep = x->flags & (T_PHONE | T_GLUED);

		x->flags = keep | T_ALNUM;
		if (i == 0 && (t[1].flags & T_SENTENCE))
			x->flags |= T_SENTENCE;
		p = ps->text + x->off;
		if (tok_is_ascii_letter(p[0]))
			x->flags |= T_ALPHA0;
		if (p[0] >= 'A' && p[0] <= 'Z')
			x->flags |= T_CAP0;
		for (int c = 0; c < x->len; c++)
			if (p[c] >= '0' && p[c] <= '9')
				x->flags |= T_DIGIT;
			else if (p[c] >= 'A' && p[c] <= 'Z')
				x->flags |= T_LETTER | T_UPPER;
			else if (p[c] >= 'a' && p[c] <= 'z')
				x->flags |= T_LETTER | T_LOWER;
			else
				x->flags &= ~T_ALNUM;
		tok_lookup(ps, x);
	}
	u->flags &= ~T_SENTENCE;
	return 0;
}

int
tok_is_apos(uint32_t cp)
{
	return classify(cp) == CC_APOS;
}

int
tok_is_hyphen(uint32_t cp)
{
	return classify(cp) == CC_HYPHEN;
}

int
tok_is_ascii_letter(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
