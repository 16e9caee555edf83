/*
 * main.c -- `gateway [--config FILE] COMMAND ...`: global options, the
 * config, then the command (cli.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "log.h"

#ifndef GATEWAY_VERSION		/* the Makefile says */
#define GATEWAY_VERSION	"0.1.0"
#endif

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL;
	struct config *cf;
	int c, rc, verbosity = 0;
	enum log_level level;

	/* "+": stop at the command, whose options are its own. */
	while ((c = getopt_long(argc, argv, "+c:vqh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'v':
			verbosity = 1;
			log_set_level(LOG_DEBUG);
			break;
		case 'q':
			verbosity = 1;
			log_set_level(LOG_WARN);
			break;
		case 'h':
			cli_usage(stdout);
			return 0;
		case 'V':
			printf("gateway %s\n", GATEWAY_VERSION);
			return 0;
		default:
			cli_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		cli_usage(stderr);
		return 2;
	}
	if ((cf = config_load(path)) == NULL)
		return 1;
	/* [log]; -v and -q win over its level. */
	log_set_json(strcmp(cf->log_format, "json") == 0);
	if (!verbosity && log_level_parse(cf->log_level, &level) == 0)
		log_set_level(level);
	rc = cli_run(cf, argc - optind, argv + optind);
	config_free(cf);
	return rc;
}
