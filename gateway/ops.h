/*
 * ops.h -- running it in production: `gateway backup`, `restore` and
 * `doctor`, and the server's reload on SIGHUP.  The commands are called
 * from cli.c's table and return an exit status; ops_reload from
 * cmd_serve's signal loop.
 */
#ifndef GATEWAY_OPS_H
#define GATEWAY_OPS_H

struct app;
struct config;
struct outbox;

/* How many errors main's config_parse printed: doctor runs in spite of
 * them, to say what else is wrong.  Set before cli_run. */
extern int ops_config_errors;

int	ops_backup(const struct config *, int argc, char **argv);
int	ops_restore(const struct config *, int argc, char **argv);
int	ops_doctor(const struct config *, int argc, char **argv);
/* SIGHUP in `serve`: reload gateway.conf for new requests and the outbox
 * worker; errors keep the old config.  The signal-waiting thread. */
void	ops_reload(struct app *, struct outbox *);

#endif
