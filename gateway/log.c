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

void
log_set_level(enum log_level level)
{
	log_level = level;
}

void
log_set_quiet(int quiet)
{
	log_quiet = quiet;
}

static void
log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	static const char *names[] = { "debug", "info", "warn", "error" };
	char stamp[32];
	struct tm tm;
	time_t now;

	if (level < log_level || log_quiet)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* One fprintf per line so that concurrent threads do not interleave. */
	char line[2048];
	vsnprintf(line, sizeof line, fmt, ap);
	fprintf(stderr, "%s %s %s\n", stamp, names[level], line);
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
