/*
 * log.h -- one place for diagnostics.
 *
 * Messages start lower-case, name their subject first and have no full stop
 * ("store: migrate 002: disk full").  fatal() is for start-up only.
 */
#ifndef GATEWAY_LOG_H
#define GATEWAY_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void	log_set_level(enum log_level);
/* "debug", "info", "warn", "error" -> *level; -1 when none of those. */
int	log_level_parse(const char *, enum log_level *);
/* One line of text (the default), or one JSON object a line.  Under
 * systemd's journal (JOURNAL_STREAM set) lines carry no time of their own
 * and start with the level as sd-daemon(3) has it ("<6>"), so that
 * journald keeps its own timestamp and the priority.  Start-up only. */
void	log_set_json(int json);
/* Lets a test or the CLI silence the log (NULL restores stderr). */
void	log_set_quiet(int quiet);
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * An event with fields: msg, then key, value pairs ending in NULL.  Text
 * has them as key=value after msg; JSON as members, a string each except
 * a key ending in "ms", whose value is a number.  Values are the
 * caller's to mask.
 */
void	log_event(enum log_level, const char *msg, ...)
	    __attribute__((sentinel));
void	fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/* "+447700900123" -> "+44770090****": phone numbers never reach a log whole. */
const char *log_mask_phone(const char *number, char *buf, unsigned long len);

#endif
