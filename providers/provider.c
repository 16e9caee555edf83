/*
 * provider.c -- the only list of providers, and what they share.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "log.h"
#include "provider.h"
#include "util.h"

extern const struct provider_ops provider_android;
extern const struct provider_ops provider_bird;
extern const struct provider_ops provider_fake;
extern const struct provider_ops provider_kannel;
extern const struct provider_ops provider_messagebird;
extern const struct provider_ops provider_plivo;
extern const struct provider_ops provider_telnyx;
extern const struct provider_ops provider_textlocal;
extern const struct provider_ops provider_twilio;
extern const struct provider_ops provider_vonage;
extern const struct provider_ops provider_vonage_messages;

const struct provider_ops *const provider_types[] = {
	&provider_android,
	&provider_bird,
	&provider_fake,
	&provider_kannel,
	&provider_messagebird,
	&provider_plivo,
	&provider_telnyx,
	&provider_textlocal,
	&provider_twilio,
	&provider_vonage,
	&provider_vonage_messages,
	NULL
};

/* Read by the gateway for every instance, whatever its type. */
const char *const provider_common_keys[] = {
	"type",
	"allow_from",		/* IP addresses or CIDR ranges allowed to call */
	"rate",			/* messages a second it may send (outbox.c) */
	"confirm_stop",		/* yes: we confirm a STOP; no: the provider does */
	"alarm_silence",	/* an alarm after this long with no message */
	"transliterate",	/* yes: letters to GSM-7 look-alikes in replies */
	"transliterate_names",	/* yes: in the supporter's name as well */
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

/* --- keys ------------------------------------------------------------ */

static int
key_index(const struct provider_key *keys, const char *name)
{
	for (int i = 0; keys && keys[i].name; i++)
		if (strcmp(keys[i].name, name) == 0)
			return i;
	return -1;
}

static int
key_lookup(const struct provider_conf *kv, const char *name)
{
	int i = key_index(kv->keys, name);

	if (i == -1) {
		/* A codec asking for a key it did not declare. */
		fprintf(stderr, "provider: key \"%s\" is not declared\n", name);
		abort();
	}
	return i;
}

const char *
provider_get(const struct provider_conf *kv, const char *name)
{
	int i = key_lookup(kv, name);

	return kv->v[i].value ? kv->v[i].value : kv->keys[i].def;
}

int
provider_given(const struct provider_conf *kv, const char *name)
{
	return kv->v[key_lookup(kv, name)].line;
}

/* Is s nothing but white space?  Such a secret is a mistake (a file
 * written by an editor or a template that was left empty). */
static int
blank(const char *s)
{
	return s[strspn(s, " \t\r\n\v\f")] == '\0';
}

/* The first line of the file pair names, for a secret; NULL with err. */
static char *
read_secret(const struct config_pair *pair, char *err, size_t errlen)
{
	FILE *fp = fopen(pair->value, "r");
	char line[4096], *out = NULL;

	if (fp == NULL) {
		snprintf(err, errlen, "line %d: %s: %s: %s", pair->line,
		    pair->key, pair->value, strerror(errno));
		return NULL;
	}
	if (fgets(line, sizeof line, fp) == NULL)
		line[0] = '\0';
	fclose(fp);
	line[strcspn(line, "\r\n")] = '\0';
	if (blank(line))
		snprintf(err, errlen, "line %d: %s: %s is empty (or only white "
		    "space)", pair->line, pair->key, pair->value);
	else
		out = xstrdup(line);
	explicit_bzero(line, sizeof line);
	return out;
}

/* The value of key k from cb into kv->v[i]: 0, or -1 with err. */
static int
key_read(const struct config_block *cb, const struct provider_key *k,
    struct provider_conf *kv, int i, char *err, size_t errlen)
{
	char file_key[96];
	const struct config_pair *inl = config_block_get(cb, k->name), *file;
	char *v;

	snprintf(file_key, sizeof file_key, "%s_file", k->name);
	file = k->flags & PK_SECRET ? config_block_get(cb, file_key) : NULL;
	if (inl && file) {
		snprintf(err, errlen, "line %d: set %s or %s, not both",
		    file->line, k->name, file_key);
		return -1;
	}
	if (inl == NULL && file == NULL) {
		if ((k->flags & PK_REQUIRED) && k->def == NULL) {
			if (k->flags & PK_SECRET)
				snprintf(err, errlen, "%s (or %s) is required",
				    k->name, file_key);
			else
				snprintf(err, errlen, "%s is required", k->name);
			return -1;
		}
		return 0;
	}
	if (file != NULL) {
		if ((v = read_secret(file, err, errlen)) == NULL)
			return -1;
		kv->v[i].line = file->line;
	} else {
		kv->v[i].line = inl->line;
		if ((k->flags & (PK_SECRET | PK_URL | PK_REQUIRED)) &&
		    blank(inl->value)) {
			snprintf(err, errlen, "line %d: %s is empty", inl->line,
			    k->name);
			return -1;
		}
		v = xstrdup(inl->value);
	}
	kv->v[i].value = v;
	if (k->flags & PK_URL) {
		size_t n = strlen(v);
		while (n > 0 && v[n - 1] == '/')
			v[--n] = '\0';
		if (n == 0) {
			snprintf(err, errlen, "line %d: %s is empty",
			    kv->v[i].line, k->name);
			return -1;
		}
		if (strncmp(v, "http://", 7) != 0 &&
		    strncmp(v, "https://", 8) != 0) {
			snprintf(err, errlen, "line %d: %s must start with "
			    "http:// or https://", kv->v[i].line, k->name);
			return -1;
		}
	}
	if (k->values != NULL) {
		size_t j;
		for (j = 0; k->values[j]; j++)
			if (strcmp(k->values[j], v) == 0)
				break;
		if (k->values[j] == NULL) {
			char list[256] = "";
			for (j = 0; k->values[j]; j++)
				snprintf(list + strlen(list), sizeof list -
				    strlen(list), "%s%s", j == 0 ? "" :
				    k->values[j + 1] ? ", " : " or ",
				    k->values[j]);
			snprintf(err, errlen, "line %d: %s is %s, not \"%s\"",
			    kv->v[i].line, k->name, list, v);
			return -1;
		}
	}
	return 0;
}

static void
conf_release(struct provider_conf *kv)
{
	for (int i = 0; i < PROVIDER_MAX_KEYS; i++)
		if (kv->v[i].value) {
			explicit_bzero(kv->v[i].value, strlen(kv->v[i].value));
			free(kv->v[i].value);
		}
}

/* Is key, a key of cb, one the table declares (KEY_file for a secret)? */
static int
key_declared(const struct provider_key *keys, const char *key)
{
	size_t n = strlen(key);
	int i;

	if (key_index(keys, key) != -1)
		return 1;
	if (n > 5 && strcmp(key + n - 5, "_file") == 0) {
		char base[96];
		snprintf(base, sizeof base, "%.*s", (int)(n - 5), key);
		return (i = key_index(keys, base)) != -1 &&
		    (keys[i].flags & PK_SECRET);
	}
	return 0;
}

int
provider_configure(struct provider *p, const struct config_block *cb,
    char *err, size_t errlen)
{
	const struct provider_ops *ops = p->ops;
	struct provider_conf kv;
	int rc = -1;

	memset(&kv, 0, sizeof kv);
	kv.keys = ops->keys;
	kv.line = cb->line;
	err[0] = '\0';
	for (size_t i = 0; i < cb->npairs; i++) {
		const char *k = cb->pairs[i].key;
		if (in_list(provider_common_keys, k) ||
		    key_declared(ops->keys, k))
			continue;
		snprintf(err, errlen, "line %d: unknown key \"%s\" for this "
		    "provider type", cb->pairs[i].line, k);
		return -1;
	}
	for (int i = 0; ops->keys && ops->keys[i].name; i++) {
		if (i >= PROVIDER_MAX_KEYS)
			abort();	/* a codec with too many keys */
		if (key_read(cb, &ops->keys[i], &kv, i, err, errlen) == -1)
			goto out;
	}
	rc = ops->configure(p, &kv, err, errlen);
	if (rc == -1 && ops->release)
		ops->release(p);
out:
	conf_release(&kv);
	return rc;
}

void
provider_dump(const struct config *cf, FILE *fp)
{
	for (size_t i = 0; i < cf->nblocks; i++) {
		const struct config_block *b = &cf->blocks[i];
		const struct config_pair *type = config_block_get(b, "type");
		const struct provider_ops *ops = type ?
		    provider_lookup(type->value) : NULL;

		if (strcmp(b->kind, "provider") != 0)
			continue;
		fprintf(fp, "\n[%s %s]\n", b->kind, b->name);
		for (size_t c = 0; provider_common_keys[c]; c++) {
			const struct config_pair *v = config_block_get(b,
			    provider_common_keys[c]);
			if (v != NULL)
				fprintf(fp, "%s = %s\n", v->key, v->value);
		}
		/* A type we do not know: its keys mean nothing, and any
		 * of them may be a secret. */
		for (int k = 0; ops && ops->keys[k].name; k++) {
			const struct provider_key *key = &ops->keys[k];
			char file_key[96];
			const struct config_pair *v = config_block_get(b,
			    key->name);

			snprintf(file_key, sizeof file_key, "%s_file",
			    key->name);
			if (key->flags & PK_SECRET) {
				const struct config_pair *f =
				    config_block_get(b, file_key);
				if (f != NULL)
					fprintf(fp, "%s = (set, from %s)\n",
					    key->name, f->value);
				else
					fprintf(fp, "%s = %s\n", key->name, v ?
					    "(set)" : "(unset)");
			} else if (v != NULL)
				fprintf(fp, "%s = %s\n", key->name, v->value);
			else if (key->def != NULL)
				fprintf(fp, "%s = %s   ; default\n", key->name,
				    key->def);
			else
				fprintf(fp, "%s =\n", key->name);
		}
	}
}

void
provider_keys_markdown(FILE *fp)
{
	for (size_t t = 0; provider_types[t]; t++) {
		const struct provider_ops *ops = provider_types[t];
		fprintf(fp, "- `%s`:", ops->name);
		for (int k = 0; ops->keys[k].name; k++) {
			const struct provider_key *key = &ops->keys[k];
			const char *sep = " (";
			fprintf(fp, "%s `%s`", k ? "," : "", key->name);
#define NOTE(...) do { fprintf(fp, "%s", sep); fprintf(fp, __VA_ARGS__); \
	sep = ", "; } while (0)
			if (key->flags & PK_REQUIRED)
				NOTE("required");
			if (key->flags & PK_SECRET)
				NOTE("secret, or `%s_file`", key->name);
			if (key->flags & PK_URL)
				NOTE("URL");
			for (int v = 0; key->values && key->values[v]; v++)
				fprintf(fp, "%s%s`%s`", v == 0 ? sep : "",
				    v == 0 ? "" : " | ", key->values[v]),
				    sep = ", ";
			if (key->def)
				NOTE("default `%s`", key->def);
#undef NOTE
			if (strcmp(sep, ", ") == 0)
				fputc(')', fp);
		}
		fputc('\n', fp);
	}
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

/* "10.0.0.0/8", "::1", "192.0.2.7" into n; -1 when malformed. */
static int
parse_net(const char *text, struct provider_net *n)
{
	char addr[64], *slash;
	int max;

	strlcpy_(addr, text, sizeof addr);
	if ((slash = strchr(addr, '/')) != NULL)
		*slash++ = '\0';
	memset(n, 0, sizeof *n);
	if (inet_pton(AF_INET, addr, n->addr) == 1) {
		n->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, n->addr) == 1) {
		n->family = AF_INET6;
		max = 128;
	} else
		return -1;
	n->bits = max;
	if (slash != NULL) {
		char *end;
		long bits = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || bits < 0 || bits > max)
			return -1;
		n->bits = (int)bits;
	}
	return 0;
}

int
provider_parse_nets(const char *list, struct provider_net **v, size_t *n,
    char *err, size_t errlen)
{
	char *copy = xstrdup(list), *s = copy, *tok;

	while ((tok = strsep(&s, ", ")) != NULL) {
		if (*tok == '\0')
			continue;
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		if (parse_net(tok, &(*v)[*n]) == -1) {
			snprintf(err, errlen, "allow_from: \"%s\" is not an IP "
			    "address or range", tok);
			free(copy);
			return -1;
		}
		(*n)++;
	}
	free(copy);
	return 0;
}

static int
parse_allow(struct provider *p, const char *list, char *err, size_t errlen)
{
	return provider_parse_nets(list, &p->allow, &p->nallow, err, errlen);
}

int
provider_allows(const struct provider *p, const char *addr)
{
	if (p->nallow == 0)
		return 1;
	return provider_nets_match(p->allow, p->nallow, addr);
}

int
provider_nets_match(const struct provider_net *nets, size_t nnets,
    const char *addr)
{
	unsigned char a[16];
	int family;

	if (addr == NULL)
		return 0;
	if (inet_pton(AF_INET, addr, a) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, addr, a) == 1) {
		family = AF_INET6;
		/* An IPv4 client on a dual-stack socket: ::ffff:a.b.c.d */
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0,
		    0, 0, 0xff, 0xff };
		if (memcmp(a, mapped, 12) == 0) {
			memmove(a, a + 12, 4);
			family = AF_INET;
		}
	} else
		return 0;
	for (size_t i = 0; i < nnets; i++) {
		const struct provider_net *n = &nets[i];
		int bits = n->bits, byte = 0;
		if (n->family != family)
			continue;
		for (; bits >= 8; bits -= 8, byte++)
			if (a[byte] != n->addr[byte])
				break;
		if (bits >= 8)
			continue;
		if (bits == 0 || ((a[byte] ^ n->addr[byte]) &
		    (0xff << (8 - bits)) & 0xff) == 0)
			return 1;
	}
	return 0;
}

/* A yes/no key of [provider NAME], no when absent: 0, or -1 after saying
 * why. */
static int
yes_no(const struct config_block *cb, const char *key, int *out,
    const char *file)
{
	const struct config_pair *v = config_block_get(cb, key);

	*out = 0;
	if (v == NULL || !strcmp(v->value, "no"))
		return 0;
	if (!strcmp(v->value, "yes")) {
		*out = 1;
		return 0;
	}
	fprintf(stderr, "%s:%d: [provider %s]: %s is yes or no\n", file,
	    v->line, cb->name, key);
	return -1;
}

int
provider_set_load(const struct config *cf, struct provider_set *set)
{
	const char *file = cf->file ? cf->file : "(defaults)";
	char err[512];
	int errors = 0;

	memset(set, 0, sizeof *set);
	for (size_t i = 0; i < cf->nblocks; i++) {
		const struct config_block *cb = &cf->blocks[i];
		const struct config_pair *type = config_block_get(cb, "type");
		const struct config_pair *allow = config_block_get(cb, "allow_from");
		const struct provider_ops *ops;

		if (strcmp(cb->kind, "provider") != 0)
			continue;
		if (type == NULL) {
			fprintf(stderr, "%s:%d: [provider %s]: type is required\n",
			    file, cb->line, cb->name);
			errors++;
			continue;
		}
		if ((ops = provider_lookup(type->value)) == NULL) {
			fprintf(stderr, "%s:%d: [provider %s]: unknown type "
			    "\"%s\"; known:", file, type->line, cb->name,
			    type->value);
			for (size_t t = 0; provider_types[t]; t++)
				fprintf(stderr, " %s", provider_types[t]->name);
			fputc('\n', stderr);
			errors++;
			continue;
		}
		if (strlen(cb->name) >= sizeof set->v[0].name ||
		    strspn(cb->name, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != strlen(cb->name)) {
			fprintf(stderr, "%s:%d: [provider %s]: a name is letters, "
			    "digits, - and _ (it is part of the webhook URL)\n",
			    file, cb->line, cb->name);
			errors++;
			continue;
		}
		set->v = xrealloc(set->v, (set->n + 1) * sizeof *set->v);
		struct provider *p = &set->v[set->n];
		memset(p, 0, sizeof *p);
		p->ops = ops;
		strlcpy_(p->name, cb->name, sizeof p->name);
		if (allow && parse_allow(p, allow->value, err, sizeof err) == -1) {
			fprintf(stderr, "%s:%d: [provider %s]: %s\n", file,
			    allow->line, cb->name, err);
			free(p->allow);
			errors++;
			continue;
		}
		const struct config_pair *cs = config_block_get(cb,
		    "confirm_stop");
		p->confirm_stop = 1;
		if (cs != NULL) {
			if (!strcmp(cs->value, "no"))
				p->confirm_stop = 0;
			else if (strcmp(cs->value, "yes") != 0) {
				fprintf(stderr, "%s:%d: [provider %s]: "
				    "confirm_stop is yes or no\n", file,
				    cs->line, cb->name);
				free(p->allow);
				errors++;
				continue;
			}
		}
		if (yes_no(cb, "transliterate", &p->transliterate, file) ||
		    yes_no(cb, "transliterate_names",
		    &p->transliterate_names, file)) {
			free(p->allow);
			errors++;
			continue;
		}
		const struct config_pair *rate = config_block_get(cb, "rate");
		if (rate != NULL) {
			char *end;
			p->rate = strtod(rate->value, &end);
			if (end == rate->value || *end != '\0' || p->rate < 0 ||
			    p->rate > 100000) {
				fprintf(stderr, "%s:%d: [provider %s]: rate is "
				    "messages a second, 0 for no limit\n", file,
				    rate->line, cb->name);
				free(p->allow);
				errors++;
				continue;
			}
		}
		const struct config_pair *sil = config_block_get(cb,
		    "alarm_silence");
		if (sil != NULL && duration_parse(sil->value,
		    &p->alarm_silence) == -1) {
			fprintf(stderr, "%s:%d: [provider %s]: alarm_silence is "
			    "a duration such as 30m, 6h or 1d (0: off)\n", file,
			    sil->line, cb->name);
			free(p->allow);
			errors++;
			continue;
		}
		if (provider_configure(p, cb, err, sizeof err) == -1) {
			/* "line N: ..." names the key's line; else the
			 * section's. */
			int line = cb->line, off = 0;
			if (sscanf(err, "line %d: %n", &line, &off) < 1 ||
			    off == 0)
				line = cb->line, off = 0;
			fprintf(stderr, "%s:%d: [provider %s]: %s\n", file,
			    line, cb->name, err + off);
			free(p->allow);
			errors++;
			continue;
		}
		set->n++;
	}
	if (errors) {
		provider_set_free(set);
		return -1;
	}
	return 0;
}

void
provider_set_free(struct provider_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		if (set->v[i].ops->release)
			set->v[i].ops->release(&set->v[i]);
		free(set->v[i].allow);
	}
	free(set->v);
	memset(set, 0, sizeof *set);
}

const struct provider *
provider_set_find(const struct provider_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->v[i].name, name) == 0)
			return &set->v[i];
	return NULL;
}

/* --- helpers for decode ---------------------------------------------- */

int
provider_form(const struct http_req *req, struct http_params *params)
{
	if (strcmp(req->method, "GET") == 0)
		return http_parse_form(req->query ? req->query : "",
		    req->query ? strlen(req->query) : 0, params);
	return http_parse_form(req->body ? req->body : "", req->body_len,
	    params);
}

const char *
provider_field(const struct http_params *params, const char *name)
{
	for (size_t i = 0; i < params->n; i++)
		if (strcmp(params->v[i].name, name) == 0)
			return strlen(params->v[i].value) ==
			    params->v[i].value_len ? params->v[i].value : NULL;
	return NULL;
}

int
provider_copy(char *dst, size_t size, const char *src)
{
	if (src == NULL || strlen(src) >= size)
		return -1;
	strlcpy_(dst, src, size);
	return 0;
}

int
provider_copy_number(char *dst, size_t size, const char *src)
{
	if (strlen(src) + 1 >= size)
		return -1;
	provider_e164(src, dst, size);
	return 0;
}

/* --- text ------------------------------------------------------------ */

int
provider_utf8_next(const unsigned char **s, const unsigned char *end,
    uint32_t *cp)
{
	const unsigned char *p = *s;
	uint32_t c, min;
	int n;

	if (p >= end)
		return -1;
	c = *p++;
	if (c < 0x80)
		n = 0, min = 0;
	else if ((c & 0xe0) == 0xc0)
		n = 1, min = 0x80, c &= 0x1f;
	else if ((c & 0xf0) == 0xe0)
		n = 2, min = 0x800, c &= 0x0f;
	else if ((c & 0xf8) == 0xf0)
		n = 3, min = 0x10000, c &= 0x07;
	else
		return -1;
	if (end - p < n)
		return -1;
	while (n-- > 0) {
		if ((*p & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (*p++ & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	*s = p;
	return 0;
}

int
provider_utf8_put(struct buf *b, uint32_t c)
{
	unsigned char u[4];
	size_t len;

	if (c < 0x80)
		u[0] = (unsigned char)c, len = 1;
	else if (c < 0x800) {
		u[0] = (unsigned char)(0xc0 | c >> 6);
		u[1] = (unsigned char)(0x80 | (c & 0x3f));
		len = 2;
	} else if (c < 0x10000) {
		u[0] = (unsigned char)(0xe0 | c >> 12);
		u[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (c & 0x3f));
		len = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | c >> 18);
		u[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (c & 0x3f));
		len = 4;
	}
	return buf_append(b, u, len);
}

/* Windows-1252's 0x80-0x9f; 0 where it defines none.  The rest of its
 * bytes are Latin-1's, which are Unicode's first 256. */
static const uint16_t cp1252_c1[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

static uint32_t
cp1252(unsigned char c)
{
	if (c >= 0x80 && c <= 0x9f)
		return cp1252_c1[c - 0x80] ? cp1252_c1[c - 0x80] : 0xfffd;
	return c;
}

enum text_charset { CS_GUESS, CS_UTF8, CS_CP1252, CS_UTF16BE };

static enum text_charset
text_charset(const char *cs)
{
	static const struct {
		const char		*name;
		enum text_charset	 cs;
	} names[] = {
		{ "utf-8", CS_UTF8 }, { "utf8", CS_UTF8 },
		{ "iso-8859-1", CS_CP1252 }, { "iso8859-1", CS_CP1252 },
		{ "iso_8859-1", CS_CP1252 }, { "latin1", CS_CP1252 },
		{ "l1", CS_CP1252 }, { "windows-1252", CS_CP1252 },
		{ "cp1252", CS_CP1252 },
		{ "utf-16be", CS_UTF16BE }, { "ucs-2", CS_UTF16BE },
		{ "ucs-2be", CS_UTF16BE }, { "ucs2", CS_UTF16BE },
	};

	if (cs == NULL || *cs == '\0')
		return CS_GUESS;
	for (size_t i = 0; i < nitems(names); i++)
		if (strcasecmp(cs, names[i].name) == 0)
			return names[i].cs;
	return CS_GUESS;	/* unknown: as if none were declared */
}

int
provider_text_buf(struct buf *b, const char *src, size_t len,
    const char *charset)
{
	const unsigned char *s = (const unsigned char *)src;
	const unsigned char *end = s + len;
	enum text_charset cs = text_charset(charset);
	uint32_t c;

	while (s < end) {
		if (cs == CS_UTF16BE) {
			if (end - s < 2) {
				c = 0xfffd;
				s = end;
			} else {
				c = (uint32_t)s[0] << 8 | s[1];
				s += 2;
				if (c >= 0xd800 && c <= 0xdbff && end - s >= 2 &&
				    s[0] >= 0xdc && s[0] <= 0xdf) {
					uint32_t lo = (uint32_t)s[0] << 8 | s[1];
					c = 0x10000 + ((c - 0xd800) << 10) +
					    (lo - 0xdc00);
					s += 2;
				} else if (c >= 0xd800 && c <= 0xdfff)
					c = 0xfffd;
			}
		} else if (cs == CS_CP1252)
			c = cp1252(*s++);
		else if (provider_utf8_next(&s, end, &c) == -1)
			c = cs == CS_UTF8 ? (s++, 0xfffd) : cp1252(*s++);
		if (c == 0)
			c = 0xfffd;	/* the text is a C string */
		if (provider_utf8_put(b, c) == -1)
			return -1;
	}
	return 0;
}

int
provider_text(char *dst, size_t size, const char *src, size_t len,
    const char *charset)
{
	struct buf b;
	size_t n;
	int rc = 0;

	if (size == 0)
		return -1;
	/* Every byte in gives at least one out, every pair of UTF-16:
	 * 2 * size bytes in are more than fit. */
	buf_init(&b, 0);
	if (len > 2 * size)
		len = 2 * size;
	(void)provider_text_buf(&b, src, len, charset);
	n = b.len;
	if (n >= size) {
		rc = -1;
		n = size - 1;
		while (n > 0 && ((unsigned char)b.data[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(dst, b.data, n);
	dst[n] = '\0';
	buf_release(&b);
	return rc;
}

int
provider_body_utf8(const struct http_req *req, struct buf *b)
{
	char cs[32];

	buf_init(b, 0);
	return provider_text_buf(b, req->body ? req->body : "", req->body_len,
	    provider_charset(req, cs, sizeof cs));
}

const char *
provider_charset(const struct http_req *req, char *out, size_t outlen)
{
	const char *s = http_req_header(req, "Content-Type");
	size_t n;

	while (s != NULL && (s = strchr(s, ';')) != NULL) {
		s++;
		s += strspn(s, " \t");
		if (strncasecmp(s, "charset=", 8) != 0)
			continue;
		s += 8;
		if (*s == '"')
			s++;
		n = strcspn(s, "\"; \t");
		if (n == 0 || n >= outlen)
			return NULL;
		memcpy(out, s, n);
		out[n] = '\0';
		return out;
	}
	return NULL;
}

int
provider_timestamp(const char *s, int64_t *out)
{
	size_t n = strspn(s, "0123456789");
	int64_t v = 0;

	/* 18 digits always fit an int64_t. */
	if (n == 0 || n > 18 || s[n] != '\0')
		return -1;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	*out = v;
	return 0;
}

const char *
provider_strip_plus(const char *number)
{
	if (number[0] == '+' && number[1] != '\0' &&
	    strspn(number + 1, "0123456789") == strlen(number + 1))
		return number + 1;
	return number;
}

void
provider_safe_key(const char *key, const char *allowed, size_t max,
    size_t digest_bytes, char *out, size_t outlen)
{
	unsigned char md[CRYPTO_MAX_DIGEST];
	size_t n = strlen(key);

	if (n > 0 && n <= max && n < outlen && strspn(key, allowed) == n) {
		strlcpy_(out, key, outlen);
		return;
	}
	if (digest_bytes > 32 || outlen < 2 * digest_bytes + 1 ||
	    crypto_digest(HASH_SHA256, key, n, md) == 0) {
		out[0] = '\0';
		return;
	}
	hex_encode(md, digest_bytes, out);
}

int
provider_inbound(struct inbound *in, const struct http_req *req,
    const char *id, const char *from, const char *to, const char *text)
{
	char cs[32];

	if (id == NULL || *id == '\0' || from == NULL || *from == '\0' ||
	    text == NULL)
		return -1;
	memset(in, 0, sizeof *in);
	if (provider_copy(in->ext_id, sizeof in->ext_id, id) == -1 ||
	    provider_copy_number(in->sender, sizeof in->sender, from) == -1 ||
	    provider_copy_number(in->recipient, sizeof in->recipient,
	    to ? to : "") == -1)
		return -1;
	(void)provider_text(in->text, sizeof in->text, text, strlen(text),
	    provider_charset(req, cs, sizeof cs));
	return 0;
}

/* field[size] made valid UTF-8 in place, should it not be. */
static void
utf8_field(char *field, size_t size)
{
	const unsigned char *s = (const unsigned char *)field;
	const unsigned char *end = s + strlen(field);
	char *copy;
	uint32_t c;

	while (s < end && provider_utf8_next(&s, end, &c) == 0)
		;
	if (s == end)
		return;
	copy = xstrdup(field);
	(void)provider_text(field, size, copy, strlen(copy), "UTF-8");
	free(copy);
}

/* --- the fronts ------------------------------------------------------ */

enum verify_result
provider_verify(const struct provider *p, const struct http_req *req,
    int64_t now)
{
	return p->ops->verify(p, req, now);
}

enum decode_result
provider_decode(const struct provider *p, const struct http_req *req,
    struct inbound *in)
{
	enum decode_result rc = p->ops->decode(p, req, in);

	if (rc == DECODE_MESSAGE || rc == DECODE_PART) {
		utf8_field(in->ext_id, sizeof in->ext_id);
		utf8_field(in->sender, sizeof in->sender);
		utf8_field(in->recipient, sizeof in->recipient);
		utf8_field(in->text, sizeof in->text);
		utf8_field(in->concat_ref, sizeof in->concat_ref);
		utf8_field(in->optout_raw, sizeof in->optout_raw);
	}
	return rc;
}

void
provider_ack(const struct provider *p, const struct reply_ends *to,
    const char *reply, struct http_resp *resp)
{
	if (p->ops->ack != NULL)
		p->ops->ack(p, to, reply, resp);
	else
		http_resp_set(resp, 200, NULL, NULL);
}

int
provider_has_receipts(const struct provider *p)
{
	return p->ops->decode_status != NULL;
}

enum decode_result
provider_decode_status(const struct provider *p, const struct http_req *req,
    struct delivery *d)
{
	enum decode_result rc;

	memset(d, 0, sizeof *d);
	if (p->ops->decode_status == NULL)
		return DECODE_IGNORE;
	rc = p->ops->decode_status(p, req, d);
	if (rc == DECODE_MESSAGE)
		utf8_field(d->error, sizeof d->error);
	return rc;
}

int
provider_encode(const struct provider *p, const struct outbound *out,
    struct http_out *req, char *err, size_t errlen)
{
	char masked[INBOUND_MAX_NUMBER];
	const char *why = NULL;

	if (out->to == NULL || *out->to == '\0')
		why = "no recipient";
	else if (out->text == NULL || *out->text == '\0')
		why = "no text";
	if (why == NULL && p->ops->encode(p, out, req, err, errlen) == 0)
		return 0;
	if (why != NULL)
		snprintf(err, errlen, "%s", why);
	log_warn("provider: %s: cannot send to %s: %s", p->name,
	    log_mask_phone(out->to ? out->to : "", masked, sizeof masked),
	    err);
	return -1;
}

/* provider_take_id of the string at path in body (see result_id). */
static enum send_result
json_id(int status, const char *body, size_t len, const char *path,
    const char *name, char *ext_id, size_t idlen, char *err, size_t errlen)
{
	json_t *o = json_loadb(body, len, 0, NULL);
	const json_t *v = o;
	char key[64];
	enum send_result rc;

	for (const char *s = path; v != NULL && *s != '\0';) {
		size_t n = strcspn(s, ".");
		char *end;
		snprintf(key, sizeof key, "%.*s", (int)n, s);
		unsigned long i = strtoul(key, &end, 10);
		if (end != key && *end == '\0')
			v = json_is_array(v) ? json_array_get(v, i) :
			    i == 0 ? v : NULL;
		else
			v = json_object_get(v, key);
		s += n + (s[n] == '.');
	}
	rc = provider_take_id(status, json_string_value(v), name ? name :
	    "message id", ext_id, idlen, err, errlen);
	json_decref(o);
	return rc;
}

enum send_result
provider_result(const struct provider *p, int status, const char *body,
    size_t len, char *ext_id, size_t idlen, char *err, size_t errlen)
{
	enum send_result rc;
	char words[200] = "";

	if (idlen > 0)
		ext_id[0] = '\0';
	if (body == NULL)
		len = 0;
	if (status >= 200 && status <= 299) {
		if (p->ops->result == NULL && p->ops->result_id != NULL)
			return json_id(status, body ? body : "", len,
			    p->ops->result_id, p->ops->result_id_name, ext_id,
			    idlen, err, errlen);
		if (p->ops->result == NULL)
			return SEND_OK;		/* the id encode chose */
		return p->ops->result(p, status, body ? body : "", len, ext_id,
		    idlen, err, errlen);
	}
	if (status == 0) {
		/* No answer: refused, reset, timed out.  The request may have
		 * been taken; the retry carries the same idempotency key. */
		snprintf(err, errlen, "no answer (HTTP 0)%s%.*s", len ? ": " :
		    "", (int)(len > 200 ? 200 : len), body ? body : "");
		return SEND_RETRY;
	}
	if (status == 429 || status >= 500)
		rc = SEND_RETRY;	/* slow down, or the provider's fault */
	else if (p->ops->refused != NULL)
		rc = p->ops->refused(p, status, body ? body : "", len);
	else
		rc = SEND_FAIL;		/* 4xx: the same request fails again */
	if (rc == SEND_OK)
		return rc;		/* "already taken": the id encode chose */
	if (p->ops->describe != NULL && len > 0)
		p->ops->describe(p, body, len, words, sizeof words);
	if (words[0] != '\0')
		snprintf(err, errlen, "HTTP %d: %s", status, words);
	else
		snprintf(err, errlen, "HTTP %d", status);
	return rc;
}

double
provider_retry_after(int status, double retry_after)
{
	if (status == 429)
		return retry_after >= 0 ? retry_after : 1;
	if (status == 503 && retry_after >= 0)
		return retry_after;
	return 0;
}

enum send_result
provider_print(const struct provider *p, const struct http_out *req, FILE *fp,
    char *ext_id, size_t idlen, char *err, size_t errlen)
{
	int bad;

	if (req->via != HTTP_VIA_TERMINAL) {
		snprintf(err, errlen, "not a request for the terminal");
		return SEND_FAIL;
	}
	/* One block, whatever other threads write around it. */
	flockfile(fp);
	bad = req->body.len > 0 && fwrite(req->body.data, 1, req->body.len,
	    fp) != req->body.len;
	bad |= fflush(fp) != 0;
	funlockfile(fp);
	if (bad) {
		snprintf(err, errlen, "cannot write to the terminal: %s",
		    strerror(errno));
		return SEND_RETRY;
	}
	strlcpy_(ext_id, req->ext_id, idlen);
	return SEND_OK;
}

enum send_result
provider_take_id(int status, const char *id, const char *what, char *ext_id,
    size_t idlen, char *err, size_t errlen)
{
	if (id == NULL || *id == '\0' || strlen(id) >= idlen) {
		snprintf(err, errlen, "HTTP %d without a %s", status, what);
		return SEND_RETRY;
	}
	strlcpy_(ext_id, id, idlen);
	return SEND_OK;
}
