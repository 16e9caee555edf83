/*
 * csv.c -- see csv.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "csv.h"
#include "util.h"

void
csv_init(struct csv_reader *r, FILE *fp)
{
	memset(r, 0, sizeof *r);
	r->fp = fp;
	r->nextline = 1;
}

void
csv_release(struct csv_reader *r)
{
	free(r->line);
	free(r->rec);
	memset(r, 0, sizeof *r);
}

static void
strip_eol(char *s, ssize_t *n)
{
	while (*n > 0 && (s[*n - 1] == '\n' || s[*n - 1] == '\r'))
		s[--*n] = '\0';
}

/* What a spreadsheet would run as a formula (OWASP's list): a field the
 * gateway writes that starts with one of these gets a "'" before it. */
static const char formula_start[] = "=+-@\t\r";

static int
is_formula(const char *v)
{
	/* "'=x" too, or reading it back would take its "'" away. */
	while (v[0] == '\'')
		v++;
	return v[0] != '\0' && strchr(formula_start, v[0]) != NULL;
}

/* Reading undoes exactly what writing did, so the gateway's own exports
 * import again unchanged. */
static char *
unguard(char *f)
{
	return f[0] == '\'' && is_formula(f + 1) ? f + 1 : f;
}

/* Split an unquoted record in place. */
static int
split_plain(struct csv_reader *r, char *s)
{
	r->nfields = 0;
	for (;;) {
		if (r->nfields == CSV_MAX_FIELDS) {
			r->error = "too many fields";
			return -1;
		}
		char *comma = strchr(s, ',');
		if (comma)
			*comma = '\0';
		r->fields[r->nfields++] = unguard(s);
		if (comma == NULL)
			return 1;
		s = comma + 1;
	}
}

int
csv_read(struct csv_reader *r)
{
	ssize_t n;

	r->error = NULL;
	r->lineno = r->nextline;
	if ((n = getline(&r->line, &r->linecap, r->fp)) < 0)
		return 0;
	r->nextline++;
	strip_eol(r->line, &n);
	if (memchr(r->line, '"', (size_t)n) == NULL)
		return split_plain(r, r->line);

	/* Quoted fields: unquote into rec, reading more lines while a quote
	 * is open. */
	size_t len = 0;
	int quoted = 0, at_start = 1;
	char *p = r->line;

	r->nfields = 0;
	if (r->reccap < (size_t)n + 1) {
		r->reccap = (size_t)n + 1;
		r->rec = xrealloc(r->rec, r->reccap);
	}
	size_t field_start = 0;
	for (;;) {
		char c = *p++;

		if (c == '\0') {
			if (!quoted)
				break;
			/* The quoted field goes on on the next line. */
			if ((n = getline(&r->line, &r->linecap, r->fp)) < 0) {
				r->error = "unterminated quoted field";
				return -1;
			}
			r->nextline++;
			strip_eol(r->line, &n);
			if (len + (size_t)n + 2 > CSV_MAX_RECORD) {
				r->error = "record too long";
				return -1;
			}
			if (r->reccap < len + (size_t)n + 2) {
				r->reccap = len + (size_t)n + 2;
				r->rec = xrealloc(r->rec, r->reccap);
			}
			r->rec[len++] = '\n';
			p = r->line;
			continue;
		}
		if (quoted) {
			if (c == '"' && *p == '"') {
				r->rec[len++] = '"';
				p++;
			} else if (c == '"') {
				quoted = 0;
				if (*p != ',' && *p != '\0') {
					r->error = "text after a closing quote";
					/* Skip the rest of the record. */
					return -1;
				}
			} else
				r->rec[len++] = c;
			continue;
		}
		if (c == '"' && at_start) {
			quoted = 1;
			at_start = 0;
			continue;
		}
		if (c == '"') {
			r->error = "quote inside an unquoted field";
			return -1;
		}
		if (c == ',') {
			if (r->nfields + 1 >= CSV_MAX_FIELDS) {
				r->error = "too many fields";
				return -1;
			}
			r->rec[len++] = '\0';
			r->fields[r->nfields++] = (char *)(uintptr_t)field_start;
			field_start = len;
			at_start = 1;
			continue;
		}
		at_start = 0;
		r->rec[len++] = c;
	}
	r->rec[len++] = '\0';
	r->fields[r->nfields++] = (char *)(uintptr_t)field_start;
	/* Offsets become pointers once rec has stopped moving. */
	for (size_t i = 0; i < r->nfields; i++)
		r->fields[i] = unguard(r->rec + (uintptr_t)r->fields[i]);
	return 1;
}

int
csv_column(const struct csv_reader *r, const char *name)
{
	for (size_t i = 0; i < r->nfields; i++) {
		const char *f = r->fields[i];
		/* A UTF-8 byte-order mark before the first header. */
		if (i == 0 && !strncmp(f, "\xef\xbb\xbf", 3))
			f += 3;
		if (strcasecmp(f, name) == 0)
			return (int)i;
	}
	return -1;
}

void
csv_write_field(FILE *fp, const char *value, int sep)
{
	if (sep)
		fputc(sep, fp);
	if (value == NULL)
		return;
	if (is_formula(value)) {
		/* =HYPERLINK(...) from a supporter's text stays text. */
		fputs("\"'", fp);
	} else if (strpbrk(value, ",\"\r\n") == NULL && value[0] != ' ' &&
	    (value[0] == '\0' || value[strlen(value) - 1] != ' ')) {
		fputs(value, fp);
		return;
	} else
		fputc('"', fp);
	for (const char *p = value; *p; p++) {
		if (*p == '"')
			fputc('"', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}
