/*
 * util.h -- allocation that cannot fail, bounded strings, small helpers.
 *
 * Out of memory is fatal: a daemon of this size gains nothing from
 * unwinding it, and it removes a class of half-tested paths.
 */
#ifndef GATEWAY_UTIL_H
#define GATEWAY_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* printf into a new string; the caller frees it. */
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copy at most size-1 bytes and NUL-terminate; returns strlen(src). */
size_t	 strlcpy_(char *dst, const char *src, size_t size);
/* Lower-case / upper-case ASCII letters in place. */
void	 str_upper(char *);
void	 str_lower(char *);
/* Strip ASCII white space from both ends, in place; returns s. */
char	*str_trim(char *s);

/*
 * A growable byte buffer with a ceiling: buf_append fails (-1) rather than
 * grow past max, so a buffer fed by the network is bounded by construction.
 */
struct buf {
	char	*data;		/* always NUL-terminated when non-NULL */
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* 0: no ceiling */
};
void	 buf_init(struct buf *, size_t max);
int	 buf_append(struct buf *, const void *, size_t);
int	 buf_puts(struct buf *, const char *);
int	 buf_printf(struct buf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_reset(struct buf *);
void	 buf_release(struct buf *);

/*
 * A phone number in E.164 ("+447700900123") from what people type:
 * "07700 900123", "+44 (0)7700 900123", "0044 7700-900123".  0 or -1.
 */
int	 phone_normalise(const char *in, char *out, size_t outlen);
/* Loose e-mail check: one "@", something each side, a dot in the domain,
 * no spaces.  1 when it looks like an address. */
int	 email_plausible(const char *);

/* Seconds since the epoch, and a monotonic clock in nanoseconds. */
int64_t	 now_unix(void);
/* Seconds since the epoch, with the fraction. */
double	 now_real(void);
uint64_t now_ns(void);
/* The CLOCK_REALTIME time ms milliseconds from now, for
 * pthread_cond_timedwait. */
struct timespec;
void	 deadline_after_ms(struct timespec *, long ms);
/* "30m", "6h", "1d", "90s" into seconds; "0" and "" are 0 (off).  0, or
 * -1 when malformed. */
int	 duration_parse(const char *, int64_t *secs);
/* "08:00-22:00" (local time, may wrap past midnight) into minutes of the
 * day; "" is the whole day (from == to == 0).  0, or -1 when malformed. */
int	 hours_parse(const char *, int *from, int *to);
/* How many of the seconds in [t0, t1) fall inside the daily window
 * [from, to) of local time (from == to: every second), counting up to
 * cap at most; and is t inside it?  Local time through localtime_r and
 * mktime, so a day of a clock change is as long as it is. */
int64_t	 hours_count(int from, int to, int64_t t0, int64_t t1, int64_t cap);
int	 hours_inside(int from, int to, int64_t t);
/* t as "2026-12-01T20:17:31Z" into buf; returns buf. */
const char *iso_time_utc(int64_t t, char *buf, size_t len);

#endif
