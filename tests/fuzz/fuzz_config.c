/*
 * fuzz_config.c -- gateway.conf loading (gateway/config.c), from a file
 * in a scratch folder holding the input; then what start-up checks next:
 * the admin tokens and every provider section.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "admin.h"
#include "config.h"
#include "fuzz.h"
#include "log.h"
#include "provider.h"

static char dir[256], path[300];

static void
cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_scratch(dir, sizeof dir, "config");
	snprintf(path, sizeof path, "%s/gateway.conf", dir);
	atexit(cleanup);
	log_set_quiet(1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct provider_set set;
	struct config *cf;
	FILE *fp;
	int saved;

	if ((fp = fopen(path, "w")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	/* Errors go to stderr, one a line: keep the fuzzer's output readable. */
	fflush(stderr);
	saved = dup(2);
	int null = open("/dev/null", O_WRONLY);
	dup2(null, 2);
	close(null);
	if ((cf = config_load(path)) != NULL) {
		admin_check_tokens(cf);
		if (provider_set_load(cf, &set) == 0)
			provider_set_free(&set);
		config_free(cf);
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	return 0;
}
