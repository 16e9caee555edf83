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
/* Lets a test or the CLI silence the log (NULL restores stderr). */
void	log_set_quiet(int quiet);
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/* "+447700900123" -> "+44770090****": phone numbers never reach a log whole. */
const char *log_mask_phone(const char *number, char *buf, unsigned long len);

#endif
