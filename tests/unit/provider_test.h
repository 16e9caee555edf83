/*
 * provider_test.h -- what the provider codec tests share: an instance
 * configured from "key=value" strings.  Include after <cmocka.h>.
 */
#ifndef TESTS_PROVIDER_TEST_H
#define TESTS_PROVIDER_TEST_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "provider.h"

#define TEST_MAX_KEYS	16

/* Configure p as an instance "main" of ops from the NULL-terminated
 * "key=value" strings in ap; returns what configure returned. */
static inline int
test_vconfigure(struct provider *p, const struct provider_ops *ops,
    char *err, size_t errlen, va_list ap)
{
	struct config_pair pairs[TEST_MAX_KEYS];
	struct config_block cb = { "provider", "main", 1, pairs, 0 };
	char *copies[TEST_MAX_KEYS];
	const char *kv;
	int rc;

	memset(p, 0, sizeof *p);
	p->ops = ops;
	strcpy(p->name, "main");
	while ((kv = va_arg(ap, const char *)) != NULL &&
	    cb.npairs < TEST_MAX_KEYS) {
		char *c = strdup(kv), *eq = strchr(c, '=');
		*eq = '\0';
		copies[cb.npairs] = c;
		pairs[cb.npairs].key = c;
		pairs[cb.npairs].value = eq + 1;
		pairs[cb.npairs].line = (int)cb.npairs + 2;
		cb.npairs++;
	}
	err[0] = '\0';
	rc = provider_configure(p, &cb, err, errlen);
	for (size_t i = 0; i < cb.npairs; i++)
		free(copies[i]);
	return rc;
}

#endif
