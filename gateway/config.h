/*
 * config.h -- gateway.conf, parsed into struct config.
 *
 * Every key is declared once, in the table in config.c, with its section,
 * type, default and limits.  Errors are all reported, "file:line: message",
 * before the load fails; nothing half-loaded is ever used.
 */
#ifndef GATEWAY_CONFIG_H
#define GATEWAY_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#define CONFIG_DEFAULT_PATH	"gateway.conf"

/* A "[provider NAME]" section: kept as key/value pairs for its codec. */
struct config_pair {
	char	*key;
	char	*value;
	int	 line;
};
struct config_block {
	char			*kind;		/* "provider" */
	char			*name;		/* "main" */
	int			 line;
	struct config_pair	*pairs;
	size_t			 npairs;
};

struct message_campaign;

struct config {
	char	*file;			/* the file read, or NULL: built-in defaults */

	/* [server] */
	char	*listen;		/* "127.0.0.1:8080" */
	char	*public_url;		/* what providers call; "" = http://listen */
	char	*trusted_proxies;	/* peers whose X-Forwarded-* are read */
	int	 threads;		/* request threads */
	int	 max_connections;
	double	 timeout;		/* seconds before an idle client is dropped */
	double	 request_timeout;	/* seconds a whole request may take */
	int	 max_connections_per_ip;	/* 0: no limit */
	double	 dedup_window;		/* seconds: same sender and text is one
					   message, for providers without ids */

	/* [outbox] */
	int	 max_attempts;		/* then a row is a dead letter */
	double	 retry_base;		/* seconds before the first retry */
	double	 retry_max;		/* the longest wait between tries */
	double	 connect_timeout;	/* seconds */
	double	 send_timeout;		/* seconds for a whole send */
	int	 concurrency;		/* sends in flight at once */

	/* [conversation] */
	double	 expiry_hours;		/* an unanswered question is forgotten */
	int	 ask_name;		/* a postcode alone: ask for a name */
	double	 resignup_days;		/* the same number again: update, not add */

	/* [notify]: telling organisers of new leads */
	char	*notify_channels;	/* "email,sms,webhook"; "": none */
	char	*notify_from;		/* e-mail From */
	char	*smtp_url;		/* smtp://host:port */
	char	*smtp_user;
	char	*smtp_password;
	int	 smtp_starttls;
	char	*notify_webhook_url;
	char	*notify_webhook_secret;	/* HMAC-SHA256 signature; "": none */
	char	*notify_sms_instance;	/* "": the instance the lead came by */
	int	 notify_include_phone;	/* else a link to the admin page */
	int	 notify_questions;	/* forward questions to the national contact */
	char	*admin_url;
	char	*quiet_hours;		/* "21:00-08:00", local time; "": none */

	/* [alerts]: telling whoever runs the server that something is wrong
	 * (alarm.c) */
	char	*alerts_email;		/* "": no e-mail */
	char	*alerts_webhook_url;	/* "": no webhook */
	char	*alerts_webhook_secret;	/* HMAC-SHA256 signature; "": none */
	char	*alarm_hours;		/* "08:00-22:00", local; "": always */

	/* [privacy] */
	double	 retention_days;	/* serve purges older data; 0: never */

	/* [metrics], [log] */
	char	*metrics_allow_from;	/* who may scrape /metrics */
	char	*metrics_token_sha256;	/* hex; "": no token needed */
	char	*log_format;		/* "text" or "json" */
	char	*log_level;		/* "debug", "info", "warn", "error" */

	/* [database]: url (PostgreSQL) or path (SQLite), never both */
	char	*db_path;
	char	*db_url;		/* postgresql://... or libpq "key=value"s */
	char	*db_synchronous;	/* "full", "normal" or "off" */
	int	 example_data;		/* load example branches into a new database */

	/* [matching] */
	double	 radius_km;		/* nearest branch only within this */
	char	*out_of_area;		/* countries answered with reply_out_of_area */

	/* [national]: the contact when no branch or region organiser fits */
	char	*national_name;
	char	*national_phone;
	char	*national_email;

	/* [replies]: templates with {fields}, see template.c */
	char	*distance_unit;		/* "miles" or "km" */
	int	 max_segments;		/* reply budget; optional parts go first */
	char	*reply_branch;
	char	*reply_region;
	char	*reply_national;
	char	*reply_out_of_area;
	char	*reply_no_postcode;
	char	*reply_unknown_postcode;
	char	*reply_help;
	char	*reply_stop;
	char	*reply_start;
	char	*reply_ask_name;
	char	*reply_got_name;
	char	*reply_question;	/* a question or chat: no signup */
	char	*reply_language_set;	/* CYMRAEG / ENGLISH understood */

	/* [replies cy]: the same templates in Welsh (see reply.h for which
	 * one a text gets) */
	char	*cy_branch;
	char	*cy_region;
	char	*cy_national;
	char	*cy_out_of_area;
	char	*cy_no_postcode;
	char	*cy_unknown_postcode;
	char	*cy_help;
	char	*cy_stop;
	char	*cy_start;
	char	*cy_ask_name;
	char	*cy_got_name;
	char	*cy_question;
	char	*cy_language_set;

	/* [language]: what a reply is written in when the number chose
	 * none: "en", "cy" or "cy+en" (both, Welsh first) */
	char	*language_default;
	char	*language_wales;	/* a postcode in Wales */

	/* [campaign NAME] and [region NAME] blocks, checked by campaign.c;
	 * every campaign keyword, for the parser (owned) */
	struct message_campaign	*campaign_words;
	size_t			 ncampaign_words;

	struct config_block	*blocks;
	size_t			 nblocks;
};

/*
 * Load path into a new config.  When path is NULL, read
 * CONFIG_DEFAULT_PATH if it exists, else use the built-in defaults.
 * Returns NULL after printing every error to stderr.
 */
struct config	*config_load(const char *path);
/*
 * As config_load, but a config with errors is still returned (the keys in
 * error keep their defaults), with *errors set to how many were printed,
 * so that the callers can check the provider and token sections too and
 * report every error in one run.  NULL only when the file cannot be read.
 */
struct config	*config_parse(const char *path, int *errors);
/* The built-in defaults, as with no file at all. */
struct config	*config_defaults(void);
void		 config_free(struct config *);

/* Look up key in a block; NULL when absent. */
const struct config_pair *config_block_get(const struct config_block *,
		    const char *key);

/*
 * A reply template of [replies] (lang NULL or "en") or [replies cy]
 * (lang "cy") by its key ("branch"); NULL for another language or name.
 * reply.c's lookup is the one caller: everything else goes through it.
 */
const char	*config_reply(const struct config *, const char *lang,
		    const char *name);
/* Is name a reply template's key ("branch", "stop", ...)?  1 or 0. */
int		 config_reply_known(const char *name);

/* Is country (e.g. "Scotland") in the out_of_area list?  Case-insensitive. */
int		 config_out_of_area(const struct config *, const char *country);

/*
 * The keys that take a restart to change (listen, threads, the database,
 * ...): where nw differs from old, call report and give nw old's value.
 */
void		 config_keep_restart(struct config *nw, const struct config *old,
		    void (*report)(const char *section, const char *key));

/* Print every key with its current value, as gateway.conf would hold it. */
void		 config_dump(const struct config *, FILE *);

#endif
