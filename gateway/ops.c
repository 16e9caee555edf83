/*
 * ops.c -- see ops.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "admin.h"
#include "app.h"
#include "config.h"
#include "log.h"
#include "ops.h"
#include "outbox.h"
#include "provider.h"
#include "store.h"
#include "util.h"

#define EX_OK		0
#define EX_FAIL		1
#define EX_USAGE	2

/* ONS publishes the postcode directory every quarter: older than this,
 * a newer release is out. */
#define POSTCODE_STALE_DAYS	100

int ops_config_errors;

int
ops_backup(const struct config *cf, int argc, char **argv)
{
	struct store_backup_stats bs;
	struct store_file_check c;
	char err[512];

	if (argc != 2) {
		fprintf(stderr, "usage: gateway backup FILE\n");
		return EX_USAGE;
	}
	if (store_backup(cf->db_path, argv[1], &bs, err, sizeof err) == -1) {
		fprintf(stderr, "backup: %s\n", err);
		return EX_FAIL;
	}
	if (store_check_file(argv[1], &c) == -1 || !c.integrity_ok) {
		fprintf(stderr, "backup: %s: the copy does not check: %s\n",
		    argv[1], c.error[0] ? c.error : c.integrity);
		return EX_FAIL;
	}
	printf("%s: %d pages, integrity ok\n", argv[1], bs.pages);
	return EX_OK;
}

/* Is path a database of ours that this gateway can use?  0, or -1 after
 * saying why. */
static int
check_ours(const char *path)
{
	struct store_file_check c;

	if (store_check_file(path, &c) == -1) {
		fprintf(stderr, "restore: %s\n", c.error);
		return -1;
	}
	if (!c.integrity_ok) {
		fprintf(stderr, "restore: %s: integrity_check: %s\n", path,
		    c.integrity);
		return -1;
	}
	if (c.user_version < 1 || !c.tables_ok) {
		fprintf(stderr, "restore: %s: not a gateway database (%s)\n",
		    path, c.user_version < 1 ? "no schema version" :
		    c.missing);
		return -1;
	}
	if (c.user_version > c.newest) {
		fprintf(stderr, "restore: %s: schema %d is newer than this "
		    "gateway's (%d)\n", path, c.user_version, c.newest);
		return -1;
	}
	return 0;
}

int
ops_restore(const struct config *cf, int argc, char **argv)
{
	char err[512];
	int lock;

	if (argc != 2) {
		fprintf(stderr, "usage: gateway restore FILE\n");
		return EX_USAGE;
	}
	if (check_ours(argv[1]) == -1)
		return EX_FAIL;
	/* Held until the new file is in place: a server starting meanwhile
	 * waits for nothing, it fails. */
	if ((lock = store_serve_lock(cf->db_path, err, sizeof err)) == -1) {
		fprintf(stderr, "restore: %s: %s\n", cf->db_path, err);
		return EX_FAIL;
	}
	if (store_restore(argv[1], cf->db_path, err, sizeof err) == -1) {
		fprintf(stderr, "restore: %s\n", err);
		close(lock);
		return EX_FAIL;
	}
	close(lock);
	printf("%s: restored from %s\n", cf->db_path, argv[1]);
	return EX_OK;
}

/* --- doctor ---------------------------------------------------------- */

struct verdict {
	int	fails;
	int	warns;
};

static void
say(struct verdict *v, const char *level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(struct verdict *v, const char *level, const char *fmt, ...)
{
	va_list ap;

	if (!strcmp(level, "FAIL"))
		v->fails++;
	else if (!strcmp(level, "warn"))
		v->warns++;
	printf("%-4s  ", level);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static int
loopback_listen(const char *listen)
{
	return !strncmp(listen, "127.", 4) || !strncmp(listen, "[::1]", 5) ||
	    !strncasecmp(listen, "localhost:", 10);
}

static void
doctor_urls(struct verdict *v, const struct config *cf,
    const struct provider_set *set)
{
	char base[512];
	size_t n;

	if (cf->public_url[0])
		snprintf(base, sizeof base, "%s", cf->public_url);
	else
		snprintf(base, sizeof base, "http://%s", cf->listen);
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';
	for (size_t i = 0; i < set->n; i++) {
		const struct provider *p = &set->v[i];
		const struct config_block *b = NULL;

		for (size_t j = 0; j < cf->nblocks; j++)
			if (!strcmp(cf->blocks[j].kind, "provider") &&
			    !strcmp(cf->blocks[j].name, p->name))
				b = &cf->blocks[j];
		/* Codecs whose provider signs nothing take a token in the
		 * URL: the provider must be given it, so say where, masked. */
		const char *q = b && (config_block_get(b, "token") ||
		    config_block_get(b, "token_file")) ? "?token=****" : "";
		say(v, "ok", "provider %s (%s): webhook %s/webhooks/%s%s, "
		    "status %s/status/%s%s", p->name, p->ops->name, base,
		    p->name, q, base, p->name, q);
	}
	if (set->n == 0)
		say(v, "warn", "providers: none configured; only /healthz "
		    "will answer");
	if (!strncasecmp(cf->public_url, "https://", 8))
		say(v, "ok", "public_url: %s", cf->public_url);
	else if (cf->public_url[0] == '\0' && loopback_listen(cf->listen))
		say(v, "ok", "public_url: none, listen %s: a local setup "
		    "(set public_url, https, before a provider calls it)",
		    cf->listen);
	else
		say(v, "warn", "public_url: %s is not https: signatures and "
		    "tokens cross the network in clear", cf->public_url[0] ?
		    cf->public_url : "(none)");
}

static void
doctor_database(struct verdict *v, const struct config *cf)
{
	struct store_file_check c;
	char day[32];

	if (store_check_file(cf->db_path, &c) == -1) {
		say(v, "FAIL", "database: %s", c.error);
		return;
	}
	if (c.integrity_ok)
		say(v, "ok", "database: %s: integrity_check ok", cf->db_path);
	else
		say(v, "FAIL", "database: %s: integrity_check: %s",
		    cf->db_path, c.integrity);
	if (c.user_version == c.newest)
		say(v, "ok", "migrations: schema %d, the newest", c.newest);
	else if (c.user_version > c.newest)
		say(v, "FAIL", "migrations: schema %d is newer than this "
		    "gateway's %d: a newer version wrote it", c.user_version,
		    c.newest);
	else
		say(v, "warn", "migrations: schema %d of %d: the next start "
		    "applies the rest", c.user_version, c.newest);
	if (!c.tables_ok) {
		say(v, "FAIL", "database: table %s is missing", c.missing);
		return;
	}
	if (c.import_source[0] == '\0') {
		say(v, "warn", "postcodes: never imported: only the built-in "
		    "districts (gateway postcodes import ONSPD.csv)");
		return;
	}
	time_t at = (time_t)c.import_at;
	struct tm tm;
	gmtime_r(&at, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	long age = (long)((now_unix() - c.import_at) / 86400);
	say(v, age > POSTCODE_STALE_DAYS ? "warn" : "ok", "postcodes: %s, "
	    "imported %s (%ld days ago%s)", c.import_source, day, age,
	    age > POSTCODE_STALE_DAYS ? "; ONS publishes every quarter: "
	    "import the newest" : "");
}

/* The alarms the server raised (kept in the database), what each watched
 * instance last received, and where alarms go. */
static void
doctor_alarms(struct verdict *v, const struct config *cf,
    const struct provider_set *set)
{
	struct activity rows[256];
	char err[256], at[32], last[32];
	int n, watched = 0, active = 0;
	int64_t now = now_unix();

	for (size_t i = 0; i < set->n; i++)
		watched |= set->v[i].alarm_silence > 0;
	if (cf->alerts_email[0] || cf->alerts_webhook_url[0])
		say(v, "ok", "alerts: to %s%s%s", cf->alerts_email,
		    cf->alerts_email[0] && cf->alerts_webhook_url[0] ? " and " :
		    "", cf->alerts_webhook_url[0] ? "the alerts webhook" : "");
	else
		say(v, watched ? "warn" : "ok", "alerts: no [alerts] email or "
		    "webhook_url: alarms are only logged and listed in "
		    "/readyz%s", watched ? ", though alarm_silence is set" : "");
	/* A database of an older schema has no table yet: nothing raised. */
	if ((n = store_activity_file(cf->db_path, rows, (int)nitems(rows), err,
	    sizeof err)) == -1)
		n = 0;
	for (int i = 0; i < n; i++)
		if (rows[i].silent_since) {
			active++;
			say(v, "warn", "alarm: %s silent (raised %s, last "
			    "message %s)", rows[i].instance,
			    iso_time_utc(rows[i].silent_since, at, sizeof at),
			    rows[i].last_inbound ? iso_time_utc(
			    rows[i].last_inbound, last, sizeof last) : "never");
		}
	for (size_t i = 0; i < set->n; i++) {
		const struct provider *p = &set->v[i];
		const struct activity *r = NULL;

		if (p->alarm_silence <= 0)
			continue;
		for (int j = 0; j < n; j++)
			if (!strcmp(rows[j].instance, p->name))
				r = &rows[j];
		if (r == NULL || r->last_inbound == 0)
			say(v, "ok", "silence: %s: no message yet; an alarm "
			    "after %lld s without", p->name,
			    (long long)p->alarm_silence);
		else
			say(v, "ok", "silence: %s: last message %lld s ago; an "
			    "alarm after %lld s without", p->name,
			    (long long)(now - r->last_inbound),
			    (long long)p->alarm_silence);
	}
	if (!active)
		say(v, "ok", "alarms: none raised (a storage fault is in "
		    "/readyz while it lasts)");
}

int
ops_doctor(const struct config *cf, int argc, char **argv)
{
	struct verdict v = { 0, 0 };
	struct provider_set set;
	int errors = ops_config_errors;

	/* Every section, whatever the others said; errors go to stderr as
	 * file:line. */
	if (provider_set_load(cf, &set) == -1)
		errors++;
	if (admin_check_tokens(cf) == -1)
		errors++;
	if (errors)
		say(&v, "FAIL", "config: %s has errors (each above, as "
		    "file:line)", cf->file ? cf->file : "(built-in defaults)");
	else
		say(&v, "ok", "config: %s", cf->file ? cf->file :
		    "(built-in defaults)");
	doctor_database(&v, cf);
	doctor_urls(&v, cf, &set);
	doctor_alarms(&v, cf, &set);
	provider_set_free(&set);
	printf("%d failed, %d warnings\n", v.fails, v.warns);
	return v.fails ? EX_FAIL : EX_OK;
}

/* --- reload ---------------------------------------------------------- */

void
ops_reload(struct app *app, struct outbox *ob)
{
	struct config_gen *g;

	if (app_reload(app) == -1)
		return;
	g = app_hold(app);
	outbox_reload(ob, g);
	app_gen_unref(g);
}
