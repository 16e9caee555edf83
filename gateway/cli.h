/*
 * cli.h -- the git-style subcommands of the gateway binary.
 */
#ifndef GATEWAY_CLI_H
#define GATEWAY_CLI_H

#include <stdio.h>

struct config;

/* Run the command in argv[0..argc) (after global options); exit status. */
int	cli_run(const struct config *, int argc, char **argv);
/* Print the command list. */
void	cli_usage(FILE *);

#endif
