/*
 * language.c -- see language.h.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "branch.h"
#include "config.h"
#include "language.h"

const char *
language_norm(const char *text)
{
	if (text == NULL)
		return NULL;
	if (!strcasecmp(text, "en"))
		return "en";
	if (!strcasecmp(text, "cy"))
		return "cy";
	if (!strcasecmp(text, "cy+en"))
		return "cy+en";
	return NULL;
}

int
language_load(const struct config *cf, const char *file)
{
	int errors = 0;

	for (size_t i = 0; i < cf->nblocks; i++) {
		const struct config_block *b = &cf->blocks[i];

		if (strcmp(b->kind, "region") != 0)
			continue;
		for (size_t j = 0; j < b->npairs; j++) {
			const struct config_pair *p = &b->pairs[j];

			if (strcmp(p->key, "language") != 0) {
				fprintf(stderr, "%s:%d: unknown key \"%s\" in "
				    "[region %s] (language)\n", file, p->line,
				    p->key, b->name);
				errors++;
			} else if (language_norm(p->value) == NULL) {
				fprintf(stderr, "%s:%d: language: expected one "
				    "of en|cy|cy+en\n", file, p->line);
				errors++;
			}
		}
	}
	return errors;
}

/* What [region NAME] says (names as the directory has them, any case). */
static const char *
region_language(const struct config *cf, const char *region)
{
	for (size_t i = 0; i < cf->nblocks; i++) {
		const struct config_block *b = &cf->blocks[i];
		const struct config_pair *p;

		if (!strcmp(b->kind, "region") && !strcasecmp(b->name, region) &&
		    (p = config_block_get(b, "language")) != NULL)
			return language_norm(p->value);
	}
	return NULL;
}

const char *
language_pick(const struct config *cf, const char *chosen,
    const struct match *m, const char *conv)
{
	const char *l;

	if ((l = language_norm(chosen)) != NULL)
		return l;
	if (m != NULL && m->region != NULL &&
	    (l = region_language(cf, m->region->name)) != NULL)
		return l;
	if (m != NULL && m->country != NULL && !strcasecmp(m->country, "Wales"))
		return language_norm(cf->language_wales);
	if ((l = language_norm(conv)) != NULL)
		return l;
	return (l = language_norm(cf->language_default)) != NULL ? l : "en";
}
