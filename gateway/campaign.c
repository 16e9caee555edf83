/*
 * campaign.c -- see campaign.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "config.h"
#include "message.h"
#include "template.h"
#include "util.h"

#define KEYWORD_MAX	15	/* the parser's longest word, tokens.h */

static const struct config_block *
campaign_block(const struct config *cf, const char *name)
{
	for (size_t i = 0; i < cf->nblocks; i++)
		if (!strcmp(cf->blocks[i].kind, "campaign") &&
		    !strcmp(cf->blocks[i].name, name))
			return &cf->blocks[i];
	return NULL;
}

/* Is key "keyword", a template's name, or one with ".cy" / ".en"? */
static int
key_known(const char *key)
{
	char base[64];
	const char *dot = strrchr(key, '.');

	if (!strcmp(key, "keyword"))
		return 1;
	if (dot == NULL)
		return config_reply_known(key);
	if ((strcmp(dot, ".cy") != 0 && strcmp(dot, ".en") != 0) ||
	    (size_t)(dot - key) >= sizeof base)
		return 0;
	memcpy(base, key, (size_t)(dot - key));
	base[dot - key] = '\0';
	return config_reply_known(base);
}

static void
add_word(struct config *cf, const char *word, const char *campaign)
{
	struct message_campaign *w;

	cf->campaign_words = xrealloc(cf->campaign_words,
	    (cf->ncampaign_words + 1) * sizeof *cf->campaign_words);
	w = &cf->campaign_words[cf->ncampaign_words++];
	w->word = xstrdup(word);
	w->campaign = campaign;		/* the block's name: cf owns it */
}

/* The keywords of one "keyword =" line, checked and added; errors. */
static int
load_keywords(struct config *cf, const char *file,
    const struct config_block *b, const struct config_pair *p,
    int *lines)
{
	const char *s = p->value, *why;
	char word[KEYWORD_MAX + 1];
	int errors = 0, n = 0;

	while (*s) {
		size_t len;

		s += strspn(s, " \t,");
		if ((len = strcspn(s, " \t,")) == 0)
			break;
		n++;
		int bad = len > KEYWORD_MAX;
		for (size_t i = 0; i < len && !bad; i++)
			if (!((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') &&
			    !(s[i] >= '0' && s[i] <= '9'))
				bad = 1;
		if (bad) {
			fprintf(stderr, "%s:%d: [campaign %s] keyword \"%.*s\": "
			    "one word of letters and digits, at most %d\n",
			    file, p->line, b->name, (int)len, s, KEYWORD_MAX);
			errors++;
			s += len;
			continue;
		}
		for (size_t i = 0; i < len; i++)
			word[i] = (char)(s[i] | (s[i] >= 'A' && s[i] <= 'Z' ?
			    0x20 : 0));
		word[len] = '\0';
		s += len;
		if ((why = message_reserved_word(word)) != NULL) {
			fprintf(stderr, "%s:%d: [campaign %s] keyword \"%s\" is "
			    "the gateway's own (%s)\n", file, p->line, b->name,
			    word, why);
			errors++;
			continue;
		}
		size_t i;
		for (i = 0; i < cf->ncampaign_words; i++)
			if (!strcmp(cf->campaign_words[i].word, word))
				break;
		if (i < cf->ncampaign_words) {
			fprintf(stderr, "%s:%d: [campaign %s] keyword \"%s\" is "
			    "also [campaign %s]'s (line %d)\n", file, p->line,
			    b->name, word, cf->campaign_words[i].campaign,
			    lines[i]);
			errors++;
			continue;
		}
		lines[cf->ncampaign_words] = p->line;
		add_word(cf, word, b->name);
	}
	if (n == 0) {
		fprintf(stderr, "%s:%d: [campaign %s] keyword: empty\n", file,
		    p->line, b->name);
		errors++;
	}
	return errors;
}

int
campaign_load(struct config *cf, const char *file)
{
	int errors = 0, *lines;
	size_t cap = 0;
	char err[256];

	for (size_t i = 0; i < cf->nblocks; i++)
		for (size_t j = 0; j < cf->blocks[i].npairs; j++)
			cap += strlen(cf->blocks[i].pairs[j].value) / 2 + 1;
	lines = xcalloc(cap + 1, sizeof *lines);
	for (size_t i = 0; i < cf->nblocks; i++) {
		const struct config_block *b = &cf->blocks[i];
		int has_keyword = 0;

		if (strcmp(b->kind, "campaign") != 0)
			continue;
		if (strlen(b->name) >= MESSAGE_MAX_CAMPAIGN) {
			fprintf(stderr, "%s:%d: [campaign %.20s...]: a name of "
			    "at most %d bytes\n", file, b->line, b->name,
			    MESSAGE_MAX_CAMPAIGN - 1);
			errors++;
		}
		for (size_t j = 0; j < b->npairs; j++) {
			const struct config_pair *p = &b->pairs[j];

			if (!key_known(p->key)) {
				fprintf(stderr, "%s:%d: unknown key \"%s\" in "
				    "[campaign %s] (keyword, or a template of "
				    "[replies], perhaps with .cy or .en)\n",
				    file, p->line, p->key, b->name);
				errors++;
			} else if (!strcmp(p->key, "keyword")) {
				has_keyword = 1;
				errors += load_keywords(cf, file, b, p, lines);
			} else if (template_check(p->value, err,
			    sizeof err) == -1) {
				fprintf(stderr, "%s:%d: %s: %s\n", file, p->line,
				    p->key, err);
				errors++;
			}
		}
		if (!has_keyword) {
			fprintf(stderr, "%s:%d: [campaign %s] has no keyword\n",
			    file, b->line, b->name);
			errors++;
		}
	}
	free(lines);
	return errors;
}

void
campaign_free(struct config *cf)
{
	for (size_t i = 0; i < cf->ncampaign_words; i++)
		free((char *)(uintptr_t)cf->campaign_words[i].word);
	free(cf->campaign_words);
	cf->campaign_words = NULL;
	cf->ncampaign_words = 0;
}

const char *
campaign_template(const struct config *cf, const char *campaign,
    const char *lang, const char *name)
{
	const struct config_block *b;
	const struct config_pair *p;
	char key[80];

	if (campaign == NULL || *campaign == '\0' ||
	    (b = campaign_block(cf, campaign)) == NULL)
		return NULL;
	if (lang != NULL)
		snprintf(key, sizeof key, "%s.%s", name, lang);
	else
		snprintf(key, sizeof key, "%s", name);
	return (p = config_block_get(b, key)) != NULL ? p->value : NULL;
}

int
campaign_known(const struct config *cf, const char *name)
{
	return campaign_block(cf, name) != NULL;
}
