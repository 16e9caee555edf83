/*
 * httpd.h -- the HTTP server (libmicrohttpd is included by httpd.c alone).
 */
#ifndef GATEWAY_HTTPD_H
#define GATEWAY_HTTPD_H

struct app;
struct config;
struct httpd;

/* Listen where cf->listen says and answer through the router; NULL after
 * logging why. */
struct httpd	*httpd_start(const struct config *, struct app *);
/* 1 when listen ("127.0.0.1:8080", "[::1]:0") binds a loopback address
 * alone, so that nothing off this machine can connect; 0 for a wildcard
 * (":8080", "0.0.0.0", "[::]"), any other address, or a malformed one. */
int		 httpd_listen_loopback(const char *listen);
/* The port bound (useful with listen = 127.0.0.1:0). */
int		 httpd_port(const struct httpd *);
/* 0 while the server's own thread goes round; -1 when it has stopped
 * (a deadlock).  The main thread asks, to feed systemd's watchdog. */
int		 httpd_alive(const struct httpd *);
/* Stop accepting, give requests in flight up to grace_seconds, close. */
void		 httpd_stop(struct httpd *, int grace_seconds);

#endif
