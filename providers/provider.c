/*
 * provider.c -- the only list of providers, and what they share.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider.h"
#include "util.h"

extern const struct provider_ops provider_fake;

const struct provider_ops *const provider_types[] = {
	&provider_fake,
	NULL
};

/* Read by the gateway for every instance, whatever its type. */
const char *const provider_common_keys[] = {
	"type",
	"allow_from",		/* IP addresses or CIDR ranges allowed to call */
	NULL
};

const struct provider_ops *
provider_lookup(const char *name)
{
	for (size_t i = 0; provider_types[i]; i++)
		if (strcmp(provider_types[i]->name, name) == 0)
			return provider_types[i];
	return NULL;
}

static int
in_list(const char *const list[], const char *key)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcmp(list[i], key) == 0)
			return 1;
	return 0;
}

int
provider_check_keys(const struct config_block *cb, const char *const known[],
    char *err, size_t errlen)
{
	for (size_t i = 0; i < cb->npairs; i++) {
		const char *k = cb->pairs[i].key;
		if (in_list(provider_common_keys, k) || in_list(known, k))
			continue;
		snprintf(err, errlen, "line %d: unknown key \"%s\" for this "
		    "provider type", cb->pairs[i].line, k);
		return -1;
	}
	return 0;
}

const char *
provider_conf(const struct config_block *cb, const char *key, const char *def)
{
	const struct config_pair *p = config_block_get(cb, key);

	return p ? p->value : def;
}

int
provider_secret(const struct config_block *cb, const char *key, char **out,
    char *err, size_t errlen)
{
	char file_key[64];
	const struct config_pair *inline_v, *file_v;

	*out = NULL;
	snprintf(file_key, sizeof file_key, "%s_file", key);
	inline_v = config_block_get(cb, key);
	file_v = config_block_get(cb, file_key);
	if (inline_v && file_v) {
		snprintf(err, errlen, "set %s or %s, not both", key, file_key);
		return -1;
	}
	if (inline_v) {
		if (inline_v->value[0] == '\0') {
			snprintf(err, errlen, "%s is empty", key);
			return -1;
		}
		*out = xstrdup(inline_v->value);
		return 0;
	}
	if (file_v == NULL) {
		snprintf(err, errlen, "%s (or %s) is required", key, file_key);
		return -1;
	}
	FILE *fp = fopen(file_v->value, "r");
	char line[4096];
	if (fp == NULL) {
		snprintf(err, errlen, "%s: %s: %s", file_key, file_v->value,
		    strerror(errno));
		return -1;
	}
	if (fgets(line, sizeof line, fp) == NULL)
		line[0] = '\0';
	fclose(fp);
	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] == '\0') {
		snprintf(err, errlen, "%s: %s is empty", file_key, file_v->value);
		return -1;
	}
	*out = xstrdup(line);
	return 0;
}

void
provider_e164(const char *in, char *out, size_t outlen)
{
	size_t n = strspn(in, "0123456789");

	if (n > 0 && in[n] == '\0' && in[0] != '0')
		snprintf(out, outlen, "+%s", in);
	else
		strlcpy_(out, in, outlen);
}

int
provider_xml_escape(struct buf *b, const char *text)
{
	for (const char *p = text; *p; p++) {
		const char *esc = NULL;
		switch (*p) {
		case '&':	esc = "&amp;"; break;
		case '<':	esc = "&lt;"; break;
		case '>':	esc = "&gt;"; break;
		case '"':	esc = "&quot;"; break;
		case '\'':	esc = "&apos;"; break;
		}
		if ((esc ? buf_puts(b, esc) : buf_append(b, p, 1)) == -1)
			return -1;
	}
	return 0;
}
