/*
 * fuzz_message.c -- the free-text parser (gateway/message.c): any bytes
 * as an SMS body.
 */
#include "fuzz.h"
#include "log.h"
#include "message.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_quiet(1);
	if (message_init() == -1)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct signup su;
	/* An exact-size copy, without a NUL: the parser reads len bytes. */
	char *text = malloc(size ? size : 1);

	if (text == NULL)
		abort();
	if (size > 0)
		memcpy(text, data, size);
	if (message_parse(text, size, &su) == -1)
		abort();
	/* What a reply would show of it must be a string. */
	if (strnlen(su.name, sizeof su.name) == sizeof su.name ||
	    (su.keyword != KEYWORD_NONE) != (keyword_name(su.keyword) != NULL))
		abort();
	if (su.keyword != KEYWORD_NONE && (su.name[0] != '\0' ||
	    su.postcode.kind != POSTCODE_NONE))
		abort();
	free(text);
	return 0;
}
