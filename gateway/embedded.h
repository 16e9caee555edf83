/*
 * embedded.h -- data files built into the binary (see tools/embed.c and
 * the Makefile): schema migrations, the postcode-area table, example data.
 */
#ifndef GATEWAY_EMBEDDED_H
#define GATEWAY_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char	*name;		/* "schema/001-init.sql" */
	const char	*data;		/* NUL-terminated */
	size_t		 len;
};

/* NULL-name terminated, in the order the Makefile lists them. */
extern const struct embedded_file embedded_files[];

/* The file called name, or NULL. */
const struct embedded_file *embedded_get(const char *name);

#endif
