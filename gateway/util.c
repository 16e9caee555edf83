/*
 * util.c -- see util.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "util.h"

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		fatal("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (p == NULL)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) == -1)
		fatal("out of memory");
	va_end(ap);
	return p;
}

size_t
strlcpy_(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size > 0) {
		size_t m = n < size - 1 ? n : size - 1;
		memcpy(dst, src, m);
		dst[m] = '\0';
	}
	return n;
}

void
str_upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s -= 'a' - 'A';
}

void
str_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s += 'a' - 'A';
}

char *
str_trim(char *s)
{
	char *e;

	while (*s && isspace((unsigned char)*s))
		memmove(s, s + 1, strlen(s));
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (b->max && b->len + n > b->max)
		return -1;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof small)
		return buf_append(b, small, (size_t)n);
	char *big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = buf_append(b, big, (size_t)n);
	free(big);
	return rc;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}

int64_t
now_unix(void)
{
	return (int64_t)time(NULL);
}

double
now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
deadline_after_ms(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_nsec += ms % 1000 * 1000000L;
	ts->tv_sec += ms / 1000 + ts->tv_nsec / 1000000000L;
	ts->tv_nsec %= 1000000000L;
}

const char *
iso_time_utc(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int
phone_normalise(const char *in, char *out, size_t outlen)
{
	char digits[32];
	size_t n = 0;
	int plus = 0;

	for (const char *p = in; *p; p++) {
		if (*p == '+' && n == 0 && !plus)
			plus = 1;
		else if (*p >= '0' && *p <= '9') {
			if (n + 1 >= sizeof digits)
				return -1;
			digits[n++] = *p;
		} else if (*p == '(' && !strncmp(p, "(0)", 3) && plus)
			p += 2;		/* "+44 (0)7700": the 0 is not dialled */
		else if (!strchr(" -.()", *p))
			return -1;
	}
	digits[n] = '\0';
	if (!plus && n > 2 && digits[0] == '0' && digits[1] == '0') {
		memmove(digits, digits + 2, n - 1);	/* 00 44 ... */
		n -= 2;
		plus = 1;
	}
	if (!plus) {
		/* A national UK number: 0 then 9 or 10 digits. */
		if (n < 10 || n > 11 || digits[0] != '0')
			return -1;
		if ((size_t)snprintf(out, outlen, "+44%s", digits + 1) >= outlen)
			return -1;
		return 0;
	}
	if (n < 8 || n > 15 || digits[0] == '0')
		return -1;
	if ((size_t)snprintf(out, outlen, "+%s", digits) >= outlen)
		return -1;
	return 0;
}

int
email_plausible(const char *s)
{
	const char *at = strchr(s, '@');

	if (at == NULL || at == s || strchr(at + 1, '@') || strpbrk(s, " \t,;<>"))
		return 0;
	const char *dot = strrchr(at + 1, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

int
duration_parse(const char *s, int64_t *secs)
{
	static const struct { char unit; int64_t secs; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	char *end;
	long long n;

	while (*s == ' ')
		s++;
	if (*s == '\0' || strcmp(s, "0") == 0) {
		*secs = 0;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || n <= 0 || n > 3650LL * 86400)
		return -1;
	for (size_t i = 0; i < nitems(units); i++)
		if (end[0] == units[i].unit && end[1] == '\0') {
			if (n > 3650LL * 86400 / units[i].secs)
				return -1;
			*secs = (int64_t)n * units[i].secs;
			return 0;
		}
	return -1;
}

int
hours_parse(const char *s, int *from, int *to)
{
	int h1, m1, h2, m2, n = 0;

	*from = *to = 0;
	if (*s == '\0')
		return 0;
	if (sscanf(s, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &n) != 4 ||
	    s[n] != '\0' || h1 < 0 || h1 > 24 || h2 < 0 || h2 > 24 ||
	    m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59 ||
	    (h1 == 24 && m1) || (h2 == 24 && m2) || !strchr(s, '-'))
		return -1;
	*from = h1 * 60 + m1;
	*to = h2 * 60 + m2;
	/* 08:00-08:00 would be empty or whole: say whole, as "" does;
	 * 00:00-24:00 is the whole day too. */
	if (*from == *to || (*from == 0 && *to == 24 * 60))
		*from = *to = 0;
	return 0;
}

/* The local time on t's day at minute m of the day (1440: the next
 * midnight). */
static int64_t
day_at(const struct tm *day, int m)
{
	struct tm tm = *day;

	tm.tm_hour = m / 60;
	tm.tm_min = m % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

static int64_t
overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
	int64_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;

	return hi > lo ? hi - lo : 0;
}

int64_t
hours_count(int from, int to, int64_t t0, int64_t t1, int64_t cap)
{
	int64_t n = 0, t = t0;

	if (t1 <= t0)
		return 0;
	if (from == to)
		return t1 - t0 < cap ? t1 - t0 : cap;
	/* A day at a time: at most cap / (the window's length) + 2 turns. */
	while (t < t1 && n < cap) {
		time_t tt = (time_t)t;
		struct tm tm;
		int64_t next;

		localtime_r(&tt, &tm);
		next = day_at(&tm, 24 * 60);
		if (next <= t)		/* a clock that will not move on */
			next = t + 86400;
		if (from < to)
			n += overlap(t, t1, day_at(&tm, from), day_at(&tm, to));
		else {
			n += overlap(t, t1, day_at(&tm, 0), day_at(&tm, to));
			n += overlap(t, t1, day_at(&tm, from), next);
		}
		t = next;
	}
	return n < cap ? n : cap;
}

int
hours_inside(int from, int to, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	int m;

	if (from == to)
		return 1;
	localtime_r(&tt, &tm);
	m = tm.tm_hour * 60 + tm.tm_min;
	return from < to ? m >= from && m < to : m >= from || m < to;
}
