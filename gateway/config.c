/*
 * config.c -- read gateway.conf with libinih.
 *
 * The key table below is the one list of keys: parsing, defaults, checks
 * and `gateway config show` all walk it.  Sections with a name
 * ("[provider main]") are kept as blocks for the code that owns them.
 */
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "campaign.h"
#include "config.h"
#include "language.h"
#include "log.h"
#include "proxy.h"
#include "template.h"
#include "util.h"

/* KEY_INTEGER for counts (an int in struct config): "2.5 threads" is an
 * error, not a rounding. */
enum key_type { KEY_STRING, KEY_BOOL, KEY_NUMBER, KEY_INTEGER, KEY_CHOICE,
    KEY_TEMPLATE, KEY_NETS, KEY_HOURS };

struct config_key {
	const char	*section;
	const char	*name;
	enum key_type	 type;
	size_t		 offset;
	const char	*def;		/* default, as it would be written */
	const char	*choices;	/* KEY_CHOICE: "a|b|c" */
	double		 min, max;	/* KEY_NUMBER, KEY_INTEGER */
};

#define OFF(f)	offsetof(struct config, f)

static const struct config_key keys[] = {
	{ "server", "listen", KEY_STRING, OFF(listen), "127.0.0.1:8080", 0, 0, 0 },
	{ "server", "public_url", KEY_STRING, OFF(public_url), "", 0, 0, 0 },
	{ "server", "trusted_proxies", KEY_NETS, OFF(trusted_proxies), "", 0, 0,
	    0 },
	{ "server", "threads", KEY_INTEGER, OFF(threads), "4", 0, 1, 64 },
	{ "server", "max_connections", KEY_INTEGER, OFF(max_connections), "1024",
	    0, 16, 65536 },
	{ "server", "timeout", KEY_NUMBER, OFF(timeout), "30", 0, 1, 3600 },
	{ "server", "request_timeout", KEY_NUMBER, OFF(request_timeout), "20", 0,
	    1, 3600 },
	{ "server", "max_connections_per_ip", KEY_INTEGER,
	    OFF(max_connections_per_ip), "128", 0, 0, 65536 },
	{ "server", "dedup_window", KEY_NUMBER, OFF(dedup_window), "600", 0, 0,
	    86400 },

	{ "outbox", "max_attempts", KEY_INTEGER, OFF(max_attempts), "8", 0, 1,
	    100 },
	{ "outbox", "retry_base", KEY_NUMBER, OFF(retry_base), "30", 0, 0.1,
	    86400 },
	{ "outbox", "retry_max", KEY_NUMBER, OFF(retry_max), "3600", 0, 1,
	    7 * 86400 },
	{ "outbox", "connect_timeout", KEY_NUMBER, OFF(connect_timeout), "10",
	    0, 0.1, 600 },
	{ "outbox", "timeout", KEY_NUMBER, OFF(send_timeout), "30", 0, 0.1,
	    3600 },
	{ "outbox", "concurrency", KEY_INTEGER, OFF(concurrency), "16", 0, 1,
	    1024 },

	{ "conversation", "expiry_hours", KEY_NUMBER, OFF(expiry_hours), "24",
	    0, 0.01, 24 * 365 },
	{ "conversation", "ask_name", KEY_BOOL, OFF(ask_name), "yes", 0, 0, 0 },
	{ "conversation", "resignup_days", KEY_NUMBER, OFF(resignup_days), "30",
	    0, 0, 3650 },

	{ "notify", "channels", KEY_STRING, OFF(notify_channels), "", 0, 0, 0 },
	{ "notify", "from", KEY_STRING, OFF(notify_from), "gateway@example.org",
	    0, 0, 0 },
	{ "notify", "smtp_url", KEY_STRING, OFF(smtp_url), "smtp://127.0.0.1:25",
	    0, 0, 0 },
	{ "notify", "smtp_user", KEY_STRING, OFF(smtp_user), "", 0, 0, 0 },
	{ "notify", "smtp_password", KEY_STRING, OFF(smtp_password), "", 0, 0,
	    0 },
	{ "notify", "smtp_starttls", KEY_BOOL, OFF(smtp_starttls), "yes", 0, 0,
	    0 },
	{ "notify", "webhook_url", KEY_STRING, OFF(notify_webhook_url), "", 0, 0,
	    0 },
	{ "notify", "webhook_secret", KEY_STRING, OFF(notify_webhook_secret), "",
	    0, 0, 0 },
	{ "notify", "sms_instance", KEY_STRING, OFF(notify_sms_instance), "", 0,
	    0, 0 },
	{ "notify", "include_phone", KEY_BOOL, OFF(notify_include_phone), "yes",
	    0, 0, 0 },
	{ "notify", "questions", KEY_BOOL, OFF(notify_questions), "no", 0, 0,
	    0 },
	{ "notify", "admin_url", KEY_STRING, OFF(admin_url), "", 0, 0, 0 },
	{ "notify", "quiet_hours", KEY_HOURS, OFF(quiet_hours), "", 0, 0, 0 },

	{ "alerts", "email", KEY_STRING, OFF(alerts_email), "", 0, 0, 0 },
	{ "alerts", "webhook_url", KEY_STRING, OFF(alerts_webhook_url), "", 0,
	    0, 0 },
	{ "alerts", "webhook_secret", KEY_STRING, OFF(alerts_webhook_secret), "",
	    0, 0, 0 },
	{ "alerts", "alarm_hours", KEY_HOURS, OFF(alarm_hours), "", 0, 0, 0 },

	{ "privacy", "retention_days", KEY_NUMBER, OFF(retention_days), "0", 0,
	    0, 36500 },

	{ "metrics", "allow_from", KEY_STRING, OFF(metrics_allow_from),
	  "127.0.0.1/32, ::1", 0, 0, 0 },
	{ "metrics", "token_sha256", KEY_STRING, OFF(metrics_token_sha256), "",
	  0, 0, 0 },
	{ "log", "format", KEY_CHOICE, OFF(log_format), "text", "text|json", 0,
	  0 },
	{ "log", "level", KEY_CHOICE, OFF(log_level), "info",
	  "debug|info|warn|error", 0, 0 },
	{ "database", "path", KEY_STRING, OFF(db_path), "gateway.db", 0, 0, 0 },
	{ "database", "url", KEY_STRING, OFF(db_url), "", 0, 0, 0 },
	{ "database", "synchronous", KEY_CHOICE, OFF(db_synchronous), "full",
	    "full|normal|off", 0, 0 },
	{ "database", "example_data", KEY_BOOL, OFF(example_data), "no", 0, 0, 0 },

	{ "matching", "radius_km", KEY_NUMBER, OFF(radius_km), "40", 0, 0, 1000 },
	{ "matching", "out_of_area", KEY_STRING, OFF(out_of_area),
	    "Scotland, Northern Ireland, Guernsey, Jersey, Isle of Man", 0, 0, 0 },

	{ "national", "name", KEY_STRING, OFF(national_name),
	    "the national team", 0, 0, 0 },
	{ "national", "phone", KEY_STRING, OFF(national_phone), "", 0, 0, 0 },
	{ "national", "email", KEY_STRING, OFF(national_email),
	    "join@example.org", 0, 0, 0 },

	{ "replies", "distance_unit", KEY_CHOICE, OFF(distance_unit), "miles",
	    "miles|km", 0, 0 },
	{ "replies", "max_segments", KEY_INTEGER, OFF(max_segments), "2", 0, 0,
	    10 },
	{ "replies", "branch", KEY_TEMPLATE, OFF(reply_branch),
	    "Hi[ {name}]! Your nearest branch is {branch}[ ({distance})]."
	    "[ {meets}.] Contact {contact}[ on {phone}][ or {email}]", 0, 0, 0 },
	{ "replies", "region", KEY_TEMPLATE, OFF(reply_region),
	    "Hi[ {name}]! There's no branch near you yet, but {contact}, "
	    "our {region} organiser, can help you get involved:[ {phone}][ "
	    "{email}]", 0, 0, 0 },
	{ "replies", "national", KEY_TEMPLATE, OFF(reply_national),
	    "Hi[ {name}]! There's no branch near you yet. Contact {contact} "
	    "to get involved:[ {phone}][ {email}]", 0, 0, 0 },
	{ "replies", "out_of_area", KEY_TEMPLATE, OFF(reply_out_of_area),
	    "Sorry[ {name}], we only have branches in England and Wales "
	    "for now. To stay in touch, contact {contact}:[ {phone}][ {email}]", 0, 0, 0 },
	{ "replies", "no_postcode", KEY_TEMPLATE, OFF(reply_no_postcode),
	    "Thanks[ {name}]! Please text your postcode (like SE1 7PB) so we can "
	    "find your nearest branch.", 0, 0, 0 },
	{ "replies", "unknown_postcode", KEY_TEMPLATE, OFF(reply_unknown_postcode),
	    "Sorry, we can't find the postcode {postcode}. Please check it and "
	    "text it again (like SE1 7PB).", 0, 0, 0 },
	{ "replies", "help", KEY_TEMPLATE, OFF(reply_help),
	    "Text your name and postcode to find your nearest branch. "
	    "Reply STOP to opt out.", 0, 0, 0 },
	{ "replies", "stop", KEY_TEMPLATE, OFF(reply_stop),
	    "You won't get any more texts from us. Reply START to opt back in.",
	    0, 0, 0 },
	{ "replies", "ask_name", KEY_TEMPLATE, OFF(reply_ask_name),
	    "What's your name?", 0, 0, 0 },
	{ "replies", "got_name", KEY_TEMPLATE, OFF(reply_got_name),
	    "Thanks {name}![ {contact} will be in touch.]", 0, 0, 0 },
	{ "replies", "question", KEY_TEMPLATE, OFF(reply_question),
	    "Thanks for your message. To find your nearest branch, text your "
	    "name and postcode (like Jane Smith SE1 7PB).", 0, 0, 0 },
	{ "replies", "start", KEY_TEMPLATE, OFF(reply_start),
	    "Welcome back! Text your name and postcode to find your nearest "
	    "branch.", 0, 0, 0 },
	{ "replies", "language_set", KEY_TEMPLATE, OFF(reply_language_set),
	    "OK, we'll text you in English. Text CYMRAEG for Welsh.", 0, 0, 0 },

	/*
	 * The Welsh defaults.  Written to read as a Welsh speaker would
	 * write them, not word for word: "Cyswllt: {contact}" where English
	 * says "Contact {contact}", as "Cysylltwch â" would mutate to "ag"
	 * before a vowel we cannot know.  Circumflexes stay where Welsh has
	 * them (ôl): they are not GSM-7, so such a reply goes as UCS-2, and
	 * the budget counts it so (segments.c).  STOP and START stay
	 * English: see tokens.c.
	 */
	{ "replies cy", "branch", KEY_TEMPLATE, OFF(cy_branch),
	    "Helo[ {name}]! Eich cangen agosaf yw {branch}[ ({distance})]."
	    "[ {meets}.] Cyswllt: {contact}[ {phone}][ {email}]", 0, 0, 0 },
	{ "replies cy", "region", KEY_TEMPLATE, OFF(cy_region),
	    "Helo[ {name}]! Does dim cangen yn eich ardal eto, ond gall "
	    "{contact}, ein trefnydd ar gyfer {region}, eich helpu i gymryd "
	    "rhan:[ {phone}][ {email}]", 0, 0, 0 },
	{ "replies cy", "national", KEY_TEMPLATE, OFF(cy_national),
	    "Helo[ {name}]! Does dim cangen yn eich ardal eto. I gymryd rhan: "
	    "{contact}[ {phone}][ {email}]", 0, 0, 0 },
	{ "replies cy", "out_of_area", KEY_TEMPLATE, OFF(cy_out_of_area),
	    "Mae'n ddrwg gennym[ {name}], dim ond yng Nghymru a Lloegr mae ein "
	    "canghennau am y tro. I gadw mewn cysylltiad: {contact}[ {phone}]"
	    "[ {email}]", 0, 0, 0 },
	{ "replies cy", "no_postcode", KEY_TEMPLATE, OFF(cy_no_postcode),
	    "Diolch[ {name}]! Anfonwch eich cod post (fel CF10 1EP) er mwyn i "
	    "ni ddod o hyd i'ch cangen agosaf.", 0, 0, 0 },
	{ "replies cy", "unknown_postcode", KEY_TEMPLATE,
	    OFF(cy_unknown_postcode),
	    "Mae'n ddrwg gennym, ni allwn ddod o hyd i'r cod post {postcode}. "
	    "Gwiriwch y cod ac anfonwch ef eto (fel CF10 1EP).", 0, 0, 0 },
	{ "replies cy", "help", KEY_TEMPLATE, OFF(cy_help),
	    "Anfonwch eich enw a'ch cod post i ddod o hyd i'ch cangen agosaf. "
	    "Anfonwch STOP i ddad-danysgrifio, ENGLISH am Saesneg.", 0, 0, 0 },
	{ "replies cy", "stop", KEY_TEMPLATE, OFF(cy_stop),
	    "Rydych wedi dad-danysgrifio: ni fyddwch yn cael rhagor o "
	    "negeseuon gennym. Anfonwch START i ailymuno.", 0, 0, 0 },
	{ "replies cy", "start", KEY_TEMPLATE, OFF(cy_start),
	    "Croeso'n ôl! Anfonwch eich enw a'ch cod post i ddod o hyd i'ch "
	    "cangen agosaf.", 0, 0, 0 },
	{ "replies cy", "ask_name", KEY_TEMPLATE, OFF(cy_ask_name),
	    "Beth yw eich enw?", 0, 0, 0 },
	{ "replies cy", "got_name", KEY_TEMPLATE, OFF(cy_got_name),
	    "Diolch {name}![ Bydd {contact} mewn cysylltiad.]", 0, 0, 0 },
	{ "replies cy", "question", KEY_TEMPLATE, OFF(cy_question),
	    "Diolch am eich neges. I ddod o hyd i'ch cangen agosaf, anfonwch "
	    "eich enw a'ch cod post (fel Rhys Jones CF10 1EP).", 0, 0, 0 },
	{ "replies cy", "language_set", KEY_TEMPLATE, OFF(cy_language_set),
	    "Iawn, byddwn yn anfon negeseuon atoch yn Gymraeg. Anfonwch "
	    "ENGLISH am Saesneg.", 0, 0, 0 },

	{ "language", "default", KEY_CHOICE, OFF(language_default), "en",
	    "en|cy|cy+en", 0, 0 },
	{ "language", "wales", KEY_CHOICE, OFF(language_wales), "cy+en",
	    "en|cy|cy+en", 0, 0 },
};

/* Sections whose name follows a space: "[provider main]". */
static const char *block_kinds[] = { "provider", "token", "campaign",
    "region" };

struct load_state {
	struct config	*cf;
	const char	*file;
	FILE		*fp;
	int		 line;		/* line now being parsed */
	int		 at_line_start;
	int		 errors;
	int		 seen[nitems(keys)];	/* the line a key was set on */
};

static void
config_error(struct load_state *st, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
config_error(struct load_state *st, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: ", st->file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	st->errors++;
}

static char **
key_str(struct config *cf, const struct config_key *k)
{
	return (char **)((char *)cf + k->offset);
}

/* Store text as the value of key k; an error message, or NULL. */
static const char *
key_set(struct config *cf, const struct config_key *k, const char *text,
    char *err, size_t errlen)
{
	char *end;
	double d;

	switch (k->type) {
	case KEY_BOOL:
		if (!strcasecmp(text, "yes") || !strcasecmp(text, "true") ||
		    !strcasecmp(text, "on") || !strcmp(text, "1"))
			*(int *)((char *)cf + k->offset) = 1;
		else if (!strcasecmp(text, "no") || !strcasecmp(text, "false") ||
		    !strcasecmp(text, "off") || !strcmp(text, "0"))
			*(int *)((char *)cf + k->offset) = 0;
		else
			return "expected yes or no";
		return NULL;
	case KEY_NUMBER:
		errno = 0;
		d = strtod(text, &end);
		if (errno || end == text || *end != '\0' || !isfinite(d))
			return "expected a number";
		if (d < k->min || d > k->max) {
			snprintf(err, errlen, "must be between %g and %g",
			    k->min, k->max);
			return err;
		}
		*(double *)((char *)cf + k->offset) = d;
		return NULL;
	case KEY_INTEGER: {
		long l;

		errno = 0;
		l = strtol(text, &end, 10);
		if (errno || end == text || *end != '\0')
			return "expected a whole number";
		if (l < k->min || l > k->max) {
			snprintf(err, errlen, "must be between %g and %g",
			    k->min, k->max);
			return err;
		}
		*(int *)((char *)cf + k->offset) = (int)l;
		return NULL;
	}
	case KEY_CHOICE: {
		size_t n = strlen(text);
		const char *c = k->choices;
		int ok = 0;

		while (*c) {
			size_t len = strcspn(c, "|");
			if (len == n && strncasecmp(c, text, n) == 0)
				ok = 1;
			c += len + (c[len] == '|');
		}
		if (!ok) {
			snprintf(err, errlen, "expected one of %s", k->choices);
			return err;
		}
		break;
	}
	case KEY_TEMPLATE:
		if (template_check(text, err, errlen) == -1)
			return err;
		break;
	case KEY_NETS: {
		struct proxy_set ps;

		if (proxy_set_parse(text, &ps, err, errlen) == -1)
			return err;
		proxy_set_free(&ps);
		break;
	}
	case KEY_HOURS: {
		int from, to;

		if (hours_parse(text, &from, &to) == -1)
			return "expected local hours such as 08:00-22:00";
		break;
	}
	case KEY_STRING:
		break;
	}
	free(*key_str(cf, k));
	*key_str(cf, k) = xstrdup(text);
	if (k->type == KEY_CHOICE)
		str_lower(*key_str(cf, k));
	return NULL;
}

static void
set_defaults(struct config *cf)
{
	char err[256];

	for (size_t i = 0; i < nitems(keys); i++)
		if (key_set(cf, &keys[i], keys[i].def, err, sizeof err))
			fatal("config: bad built-in default for %s.%s",
			    keys[i].section, keys[i].name);
}

static struct config_block *
block_find(struct config *cf, const char *kind, const char *name)
{
	for (size_t i = 0; i < cf->nblocks; i++)
		if (!strcmp(cf->blocks[i].kind, kind) &&
		    !strcmp(cf->blocks[i].name, name))
			return &cf->blocks[i];
	return NULL;
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct load_state *st = user;
	struct config *cf = st->cf;
	char err[256];
	const char *msg;
	size_t i;

	/* "[provider main]" */
	for (i = 0; i < nitems(block_kinds); i++) {
		size_t n = strlen(block_kinds[i]);
		if (strncmp(section, block_kinds[i], n) != 0 || section[n] != ' ')
			continue;
		const char *bname = section + n + 1;
		if (*bname == '\0') {
			config_error(st, st->line, "[%s] needs a name", block_kinds[i]);
			return 1;
		}
		struct config_block *b = block_find(cf, block_kinds[i], bname);
		if (b == NULL) {
			cf->blocks = xrealloc(cf->blocks,
			    (cf->nblocks + 1) * sizeof *cf->blocks);
			b = &cf->blocks[cf->nblocks++];
			memset(b, 0, sizeof *b);
			b->kind = xstrdup(block_kinds[i]);
			b->name = xstrdup(bname);
			b->line = st->line;
		}
		for (size_t j = 0; j < b->npairs; j++)
			if (!strcmp(b->pairs[j].key, name)) {
				config_error(st, st->line, "%s set twice "
				    "(first on line %d)", name, b->pairs[j].line);
				return 1;
			}
		b->pairs = xrealloc(b->pairs, (b->npairs + 1) * sizeof *b->pairs);
		b->pairs[b->npairs].key = xstrdup(name);
		b->pairs[b->npairs].value = xstrdup(value);
		b->pairs[b->npairs].line = st->line;
		b->npairs++;
		return 1;
	}

	int known_section = 0;
	for (i = 0; i < nitems(keys); i++) {
		if (strcmp(keys[i].section, section) != 0)
			continue;
		known_section = 1;
		if (strcmp(keys[i].name, name) == 0)
			break;
	}
	if (!known_section) {
		config_error(st, st->line, "unknown section [%s]", section);
		return 1;
	}
	if (i == nitems(keys)) {
		config_error(st, st->line, "unknown key \"%s\" in [%s]", name,
		    section);
		return 1;
	}
	if (st->seen[i]) {
		config_error(st, st->line, "%s set twice", name);
		return 1;
	}
	st->seen[i] = st->line;
	if ((msg = key_set(cf, &keys[i], value, err, sizeof err)) != NULL)
		config_error(st, st->line, "%s: %s", name, msg);
	return 1;
}

static int
key_line(const struct load_state *st, const char *section, const char *name)
{
	for (size_t i = 0; i < nitems(keys); i++)
		if (!strcmp(keys[i].section, section) &&
		    !strcmp(keys[i].name, name))
			return st->seen[i];
	return 0;
}

/* One engine: url is PostgreSQL, path is SQLite. */
static void
check_database(struct load_state *st)
{
	int path = key_line(st, "database", "path");
	int url = key_line(st, "database", "url");

	if (*st->cf->db_url && path)
		config_error(st, url, "url: set with path (line %d): url names "
		    "a PostgreSQL database, path an SQLite file; keep one",
		    path);
	else if (!*st->cf->db_url && !*st->cf->db_path)
		config_error(st, path ? path : url, "%s: empty: set path (an "
		    "SQLite file) or url (PostgreSQL)", path ? "path" : "url");
}

/* fgets that counts lines, so the handler can say where it is. */
static char *
reader(char *str, int num, void *stream)
{
	struct load_state *st = stream;
	char *s;

	if (st->at_line_start)
		st->line++;
	if ((s = fgets(str, num, st->fp)) != NULL) {
		size_t n = strlen(s);
		st->at_line_start = n > 0 && s[n - 1] == '\n';
	}
	return s;
}

static void
block_add(struct config_block *b, const char *key, const char *value)
{
	b->pairs = xrealloc(b->pairs, (b->npairs + 1) * sizeof *b->pairs);
	b->pairs[b->npairs].key = xstrdup(key);
	b->pairs[b->npairs].value = xstrdup(value);
	b->pairs[b->npairs].line = 0;
	b->npairs++;
}

/* With no file at all, a fake provider that takes unsigned posts from this
 * machine and prints its replies, so that a first run can be texted with
 * curl and answers on the terminal. */
static void
add_demo_provider(struct config *cf)
{
	struct config_block *b;

	cf->blocks = xcalloc(1, sizeof *cf->blocks);
	cf->nblocks = 1;
	b = &cf->blocks[0];
	b->kind = xstrdup("provider");
	b->name = xstrdup("fake");
	block_add(b, "type", "fake");
	block_add(b, "allow_unsigned", "yes");
	block_add(b, "allow_from", "127.0.0.1, ::1");
	block_add(b, "deliver", "print");
}

struct config *
config_defaults(void)
{
	struct config *cf = xcalloc(1, sizeof *cf);

	set_defaults(cf);
	return cf;
}

struct config *
config_load(const char *path)
{
	struct config *cf;
	int errors;

	if ((cf = config_parse(path, &errors)) != NULL && errors) {
		config_free(cf);
		cf = NULL;
	}
	return cf;
}

struct config *
config_parse(const char *path, int *errors)
{
	struct load_state st;
	struct config *cf;
	int rc;

	*errors = 0;
	if (path == NULL) {
		FILE *fp = fopen(CONFIG_DEFAULT_PATH, "r");
		if (fp == NULL) {
			/* No file at all: the embedded defaults, example data
			 * included, so that a first run shows something. */
			cf = config_defaults();
			cf->example_data = 1;
			add_demo_provider(cf);
			return cf;
		}
		fclose(fp);
		path = CONFIG_DEFAULT_PATH;
	}
	memset(&st, 0, sizeof st);
	st.file = path;
	st.at_line_start = 1;
	if ((st.fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		*errors = 1;
		return NULL;
	}
	cf = config_defaults();
	cf->file = xstrdup(path);
	st.cf = cf;

	/* Reply texts can be long: let inih grow its line buffer. */
	ini_use_stack = false;
	ini_allow_realloc = true;
	ini_max_line = 16384;
	rc = ini_parse_stream(reader, &st, handler, &st);
	fclose(st.fp);
	if (rc > 0)
		config_error(&st, rc, "syntax error (expected \"key = value\" "
		    "or \"[section]\")");
	else if (rc < 0)
		config_error(&st, 0, "cannot parse");
	check_database(&st);
	st.errors += campaign_load(cf, path);
	st.errors += language_load(cf, path);
	*errors = st.errors;
	return cf;
}

void
config_free(struct config *cf)
{
	if (cf == NULL)
		return;
	for (size_t i = 0; i < nitems(keys); i++)
		if (keys[i].type != KEY_BOOL && keys[i].type != KEY_NUMBER &&
		    keys[i].type != KEY_INTEGER)
			free(*key_str(cf, &keys[i]));
	for (size_t i = 0; i < cf->nblocks; i++) {
		struct config_block *b = &cf->blocks[i];
		for (size_t j = 0; j < b->npairs; j++) {
			free(b->pairs[j].key);
			free(b->pairs[j].value);
		}
		free(b->pairs);
		free(b->kind);
		free(b->name);
	}
	free(cf->blocks);
	campaign_free(cf);
	free(cf->file);
	free(cf);
}

const struct config_pair *
config_block_get(const struct config_block *b, const char *key)
{
	for (size_t i = 0; i < b->npairs; i++)
		if (!strcmp(b->pairs[i].key, key))
			return &b->pairs[i];
	return NULL;
}

const char *
config_reply(const struct config *cf, const char *lang, const char *name)
{
	const char *section;

	if (lang == NULL || !strcmp(lang, "en"))
		section = "replies";
	else if (!strcmp(lang, "cy"))
		section = "replies cy";
	else
		return NULL;
	for (size_t i = 0; i < nitems(keys); i++)
		if (keys[i].type == KEY_TEMPLATE &&
		    !strcmp(keys[i].section, section) &&
		    !strcmp(keys[i].name, name))
			return *(char *const *)((const char *)cf +
			    keys[i].offset);
	return NULL;
}

int
config_reply_known(const char *name)
{
	for (size_t i = 0; i < nitems(keys); i++)
		if (keys[i].type == KEY_TEMPLATE &&
		    !strcmp(keys[i].section, "replies") &&
		    !strcmp(keys[i].name, name))
			return 1;
	return 0;
}

int
config_out_of_area(const struct config *cf, const char *country)
{
	const char *p = cf->out_of_area;
	size_t n = strlen(country);

	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ",");
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == n && len > 0 && strncasecmp(p, country, n) == 0)
			return 1;
		p += len;
		while (*p && *p != ',')
			p++;
	}
	return 0;
}

/* Read once at start: the listening socket and its pool, the database
 * connections, the outbox's HTTP client. */
static const char *restart_keys[] = {
	"server.listen", "server.threads", "server.max_connections",
	"server.timeout", "server.request_timeout",
	"server.max_connections_per_ip", "server.trusted_proxies",
	"database.path", "database.url",
	"database.synchronous", "database.example_data",
	"outbox.connect_timeout", "outbox.timeout",
};

void
config_keep_restart(struct config *nw, const struct config *old,
    void (*report)(const char *, const char *))
{
	char name[64];

	for (size_t i = 0; i < nitems(keys); i++) {
		const struct config_key *k = &keys[i];
		char *a = (char *)nw + k->offset;
		const char *b = (const char *)old + k->offset;
		size_t r;
		int same;

		snprintf(name, sizeof name, "%s.%s", k->section, k->name);
		for (r = 0; r < nitems(restart_keys); r++)
			if (!strcmp(restart_keys[r], name))
				break;
		if (r == nitems(restart_keys))
			continue;
		switch (k->type) {
		case KEY_BOOL:
		case KEY_INTEGER:
			same = *(int *)a == *(const int *)b;
			if (!same)
				*(int *)a = *(const int *)b;
			break;
		case KEY_NUMBER:
			same = *(double *)a == *(const double *)b;
			if (!same)
				*(double *)a = *(const double *)b;
			break;
		default:
			same = !strcmp(*(char **)a, *(char *const *)b);
			if (!same) {
				free(*(char **)a);
				*(char **)a = xstrdup(*(char *const *)b);
			}
		}
		if (!same)
			report(k->section, k->name);
	}
}

/* Keys whose values are never printed. */
static int
secret_key(const char *key)
{
	return strstr(key, "token") || strstr(key, "secret") ||
	    strstr(key, "password") || strstr(key, "key") ||
	    strstr(key, "sha256");
}

/*
 * A copy of v with any password it carries hidden: "user:PASSWORD@" in a
 * URL, "password=PASSWORD" in a URL's query or a libpq string.
 */
static char *
hide_password(const char *v)
{
	struct buf b;
	const char *p = v, *at, *scheme = strstr(v, "://");

	buf_init(&b, 0);
	if (scheme && (at = strchr(scheme + 3, '@')) != NULL &&
	    at < scheme + 3 + strcspn(scheme + 3, "/?")) {
		const char *colon = memchr(scheme + 3, ':', at - scheme - 3);
		if (colon) {
			buf_append(&b, v, colon + 1 - v);
			buf_puts(&b, "(hidden)");
			p = at;
		}
	}
	while (*p) {
		const char *k = strstr(p, "password=");
		if (k == NULL || (k > v && k[-1] != ' ' && k[-1] != '?' &&
		    k[-1] != '&')) {
			buf_puts(&b, p);
			break;
		}
		k += strlen("password=");
		buf_append(&b, p, k - p);
		buf_puts(&b, "(hidden)");
		if (*k == '\'') {
			for (k++; *k && *k != '\''; k++)
				if (*k == '\\' && k[1])
					k++;
			if (*k)
				k++;
		} else
			k += strcspn(k, " &");
		p = k;
	}
	return b.data ? b.data : xstrdup("");
}

void
config_dump(const struct config *cf, FILE *fp)
{
	const char *section = "";

	for (size_t i = 0; i < nitems(keys); i++) {
		const struct config_key *k = &keys[i];
		if (strcmp(section, k->section) != 0) {
			fprintf(fp, "%s[%s]\n", i ? "\n" : "", k->section);
			section = k->section;
		}
		switch (k->type) {
		case KEY_BOOL:
			fprintf(fp, "%s = %s\n", k->name,
			    *(const int *)((const char *)cf + k->offset) ?
			    "yes" : "no");
			break;
		case KEY_NUMBER:
			fprintf(fp, "%s = %g\n", k->name,
			    *(const double *)((const char *)cf + k->offset));
			break;
		case KEY_INTEGER:
			fprintf(fp, "%s = %d\n", k->name,
			    *(const int *)((const char *)cf + k->offset));
			break;
		default: {
			const char *v = *(char *const *)((const char *)cf +
			    k->offset);
			char *shown = hide_password(v);
			fprintf(fp, "%s = %s\n", k->name, secret_key(k->name) &&
			    *v ? "(hidden)" : shown);
			free(shown);
		}
		}
	}
	for (size_t i = 0; i < cf->nblocks; i++) {
		const struct config_block *b = &cf->blocks[i];
		/* Providers print from their key tables (provider_dump). */
		if (strcmp(b->kind, "provider") == 0)
			continue;
		fprintf(fp, "\n[%s %s]\n", b->kind, b->name);
		for (size_t j = 0; j < b->npairs; j++)
			fprintf(fp, "%s = %s\n", b->pairs[j].key,
			    secret_key(b->pairs[j].key) ? "(hidden)" :
			    b->pairs[j].value);
	}
}
