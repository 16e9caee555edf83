/*
 * log.c -- diagnostics to stderr, one line each, with a level and a time.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

static enum log_level log_level = LOG_INFO;
static int log_quiet;
static int log_json;

static const char *const level_names[] = { "debug", "info", "warn",
    "error" };
/* sd-daemon(3): SD_DEBUG, SD_INFO, SD_WARNING, SD_ERR */
static const char *const level_prefix[] = { "<7>", "<6>", "<4>", "<3>" };

void
log_set_level(enum log_level level)
{
	log_level = level;
}

int
log_level_parse(const char *s, enum log_level *level)
{
	for (int i = LOG_DEBUG; i <= LOG_ERROR; i++)
		if (strcmp(s, level_names[i]) == 0) {
			*level = (enum log_level)i;
			return 0;
		}
	return -1;
}

void
log_set_json(int json)
{
	log_json = json;
}

void
log_set_quiet(int quiet)
{
	log_quiet = quiet;
}

/* The journal reads our stderr: systemd says so in JOURNAL_STREAM. */
static int
under_journal(void)
{
	static int cached = -1;

	if (cached == -1) {
		const char *js = getenv("JOURNAL_STREAM");
		cached = js != NULL && *js != '\0';
	}
	return cached;
}

/* s as the inside of a JSON string, cut short rather than overflow. */
static size_t
json_escape(char *out, size_t len, size_t at, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p &&
	    at + 7 < len; p++) {
		if (*p == '"' || *p == '\\')
			at += (size_t)snprintf(out + at, len - at, "\\%c", *p);
		else if (*p < 0x20)
			at += (size_t)snprintf(out + at, len - at, "\\u%04x", *p);
		else
			out[at++] = (char)*p;
	}
	out[at] = '\0';
	return at;
}

#define APPEND(...) do {						\
	if (at < sizeof line)						\
		at += (size_t)snprintf(line + at, sizeof line - at,	\
		    __VA_ARGS__);					\
} while (0)

/* One line: msg (already formatted), then fields (key, value pairs). */
static void
log_line(enum log_level level, const char *msg, const char *const *kv,
    size_t nkv)
{
	char stamp[32] = "", line[2048];
	size_t at = 0;
	int journal = under_journal();
	struct tm tm;
	time_t now;

	if (!journal) {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	if (journal)
		APPEND("%s", level_prefix[level]);
	if (log_json) {
		if (journal)
			APPEND("{\"level\":\"%s\",\"msg\":\"", level_names[level]);
		else
			APPEND("{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"",
			    stamp, level_names[level]);
		if (at < sizeof line)
			at = json_escape(line, sizeof line, at, msg);
		APPEND("\"");
		for (size_t i = 0; i + 1 < nkv; i += 2) {
			size_t kl = strlen(kv[i]);
			int num = kl >= 2 && strcmp(kv[i] + kl - 2, "ms") == 0;
			APPEND(",\"");
			if (at < sizeof line)
				at = json_escape(line, sizeof line, at, kv[i]);
			APPEND(num ? "\":" : "\":\"");
			if (at < sizeof line)
				at = json_escape(line, sizeof line, at,
				    num && kv[i + 1][0] == '\0' ? "0" : kv[i + 1]);
			if (!num)
				APPEND("\"");
		}
		APPEND("}");
	} else {
		if (journal)
			APPEND("%s", msg);
		else
			APPEND("%s %s %s", stamp, level_names[level], msg);
		for (size_t i = 0; i + 1 < nkv; i += 2)
			APPEND(" %s=%s", kv[i], kv[i + 1]);
	}
	if (at >= sizeof line)
		at = sizeof line - 1;
	/* One write per line so that concurrent threads do not interleave. */
	fprintf(stderr, "%.*s\n", (int)at, line);
}

static void
log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	char msg[2048];

	if (level < log_level || log_quiet)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	log_line(level, msg, NULL, 0);
}

void
log_event(enum log_level level, const char *msg, ...)
{
	const char *kv[32];
	size_t n = 0;
	const char *s;
	va_list ap;

	if (level < log_level || log_quiet)
		return;
	va_start(ap, msg);
	while ((s = va_arg(ap, const char *)) != NULL && n < 32)
		kv[n++] = s;
	va_end(ap);
	log_line(level, msg, kv, n);
}

#define LOG_FN(fn, level)				\
void							\
fn(const char *fmt, ...)				\
{							\
	va_list ap;					\
	va_start(ap, fmt);				\
	log_vwrite(level, fmt, ap);			\
	va_end(ap);					\
}
LOG_FN(log_debug, LOG_DEBUG)
LOG_FN(log_info, LOG_INFO)
LOG_FN(log_warn, LOG_WARN)
LOG_FN(log_error, LOG_ERROR)

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_quiet = 0;
	log_vwrite(LOG_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}

const char *
log_mask_phone(const char *number, char *buf, unsigned long len)
{
	size_t n;

	if (number == NULL || len == 0)
		return "";
	snprintf(buf, len, "%s", number);
	n = strlen(buf);
	for (size_t i = n > 4 ? n - 4 : 0; i < n; i++)
		buf[i] = '*';
	return buf;
}
