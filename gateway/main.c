/*
 * main.c -- `gateway [--config FILE] COMMAND ...`: global options, the
 * config, then the command (cli.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "config.h"
#include "log.h"
#include "ops.h"

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
	int c, rc, errors, verbosity = 0;
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
	/* A config with errors still has its provider and token sections
	 * checked, so that one run reports every error. */
	if ((cf = config_parse(path, &errors)) == NULL)
		return 1;
	if (errors && strcmp(argv[optind], "doctor") != 0) {
		app_gen_make(cf, errors);
		return 1;
	}
	ops_config_errors = errors;
	/* [log]; -v and -q win over its level. */
	log_set_json(strcmp(cf->log_format, "json") == 0);
	if (!verbosity && log_level_parse(cf->log_level, &level) == 0)
		log_set_level(level);
	rc = cli_run(cf, argc - optind, argv + optind);
	config_free(cf);
	return rc;
}
