/*
 * template.c -- fill reply templates (see template.h for the syntax).
 */
#include <stdio.h>
#include <string.h>

#include "segments.h"
#include "template.h"

static const char *const field_names[TF_COUNT] = {
	[TF_NAME] = "name",
	[TF_POSTCODE] = "postcode",
	[TF_BRANCH] = "branch",
	[TF_MEETS] = "meets",
	[TF_CONTACT] = "contact",
	[TF_PHONE] = "phone",
	[TF_EMAIL] = "email",
	[TF_DISTANCE] = "distance",
	[TF_REGION] = "region",
};

const char *
template_field_name(int f)
{
	return f >= 0 && f < TF_COUNT ? field_names[f] : NULL;
}

int
template_field(const char *name, size_t len)
{
	for (int i = 0; i < TF_COUNT; i++)
		if (strlen(field_names[i]) == len &&
		    memcmp(field_names[i], name, len) == 0)
			return i;
	return -1;
}

int
template_check(const char *text, char *err, size_t errlen)
{
	return template_check_field(text, err, errlen, NULL, 0);
}

int
template_check_field(const char *text, char *err, size_t errlen, char *field,
    size_t fieldlen)
{
	int in_optional = 0;

	if (field != NULL && fieldlen > 0)
		field[0] = '\0';

	for (const char *p = text; *p; p++) {
		if (*p == '[') {
			if (in_optional) {
				snprintf(err, errlen, "optional parts cannot nest "
				    "(\"[\" at column %zu)", (size_t)(p - text) + 1);
				return -1;
			}
			in_optional = 1;
		} else if (*p == ']') {
			if (!in_optional) {
				snprintf(err, errlen, "\"]\" without \"[\" at "
				    "column %zu", (size_t)(p - text) + 1);
				return -1;
			}
			in_optional = 0;
		} else if (*p == '{') {
			const char *end = strchr(p, '}');
			if (end == NULL) {
				snprintf(err, errlen, "\"{\" without \"}\" at "
				    "column %zu", (size_t)(p - text) + 1);
				return -1;
			}
			if (template_field(p + 1, (size_t)(end - p - 1)) < 0) {
				if (field != NULL && fieldlen > 0)
					snprintf(field, fieldlen, "%.*s",
					    (int)(end - p - 1), p + 1);
				snprintf(err, errlen, "unknown field {%.*s}; "
				    "known: name, postcode, branch, meets, "
				    "contact, phone, email, distance, region",
				    (int)(end - p - 1), p + 1);
				return -1;
			}
			p = end;
		} else if (*p == '}') {
			snprintf(err, errlen, "\"}\" without \"{\" at column %zu",
			    (size_t)(p - text) + 1);
			return -1;
		}
	}
	if (in_optional) {
		snprintf(err, errlen, "\"[\" without \"]\"");
		return -1;
	}
	return 0;
}

static const char *
var(const struct template_vars *vars, int f)
{
	return vars->v[f] ? vars->v[f] : "";
}

/* Append text[0..len) with its fields filled; empty_out counts fields that
 * were empty. */
static int
render_span(const char *text, size_t len, const struct template_vars *vars,
    struct buf *out, int *empty_out)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *brace = memchr(p, '{', (size_t)(end - p));
		if (brace == NULL)
			return buf_append(out, p, (size_t)(end - p));
		if (buf_append(out, p, (size_t)(brace - p)) == -1)
			return -1;
		const char *close = memchr(brace, '}', (size_t)(end - brace));
		int f = close ? template_field(brace + 1,
		    (size_t)(close - brace - 1)) : -1;
		if (f < 0) {
			/* Checked at load; render what is there. */
			if (buf_append(out, brace, 1) == -1)
				return -1;
			p = brace + 1;
			continue;
		}
		if (*var(vars, f) == '\0')
			(*empty_out)++;
		if (buf_puts(out, var(vars, f)) == -1)
			return -1;
		p = close + 1;
	}
	return 0;
}

/*
 * Render tmpl into out.  keep < 0 keeps every optional part whose fields are
 * all filled; keep >= 0 keeps only the first keep of those.  *kept gets how
 * many optional parts made it into out.
 */
static int
render(const char *tmpl, const struct template_vars *vars, struct buf *out,
    int keep, int *kept)
{
	const char *p = tmpl;

	*kept = 0;
	while (*p) {
		const char *open = strchr(p, '[');
		const char *close = open ? strchr(open, ']') : NULL;
		int empty = 0;

		if (open == NULL || close == NULL)
			return render_span(p, strlen(p), vars, out, &empty);
		if (render_span(p, (size_t)(open - p), vars, out, &empty) == -1)
			return -1;
		/* An optional part: render it, then take it back if a field
		 * in it was empty or the budget has no room for it.  Only its
		 * own fields count. */
		empty = 0;
		size_t mark = out->len;
		if (render_span(open + 1, (size_t)(close - open - 1), vars, out,
		    &empty) == -1)
			return -1;
		if (empty || (keep >= 0 && *kept >= keep)) {
			out->len = mark;
			if (out->data != NULL)
				out->data[mark] = '\0';
		} else
			(*kept)++;
		p = close + 1;
	}
	return 0;
}

int
template_render(const char *tmpl, const struct template_vars *vars,
    struct buf *out)
{
	int kept;

	return render(tmpl, vars, out, -1, &kept);
}

static void
count_from(const struct buf *out, size_t start, struct sms_count *count)
{
	if (out->data == NULL)
		sms_count("", 0, count);
	else
		sms_count(out->data + start, out->len - start, count);
}

int
template_render_budget(const char *tmpl, const struct template_vars *vars,
    int max_segments, struct buf *out, struct sms_count *count)
{
	struct sms_count c;
	size_t start = out->len;
	int kept, ignored;

	if (render(tmpl, vars, out, -1, &kept) == -1)
		return -1;
	count_from(out, start, &c);
	/* Dropping the last optional part first keeps the ones a template
	 * writer puts early (a name, a branch) over the trimmings at the
	 * end; each drop re-renders because a part can hold any text. */
	while (max_segments > 0 && c.segments > max_segments && kept > 0) {
		kept--;
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
		if (render(tmpl, vars, out, kept, &ignored) == -1)
			return -1;
		count_from(out, start, &c);
	}
	if (count != NULL)
		*count = c;
	return 0;
}

/* a with ka of its optional parts, sep, b with kb of its: at start. */
static int
render_pair(const char *a, const struct template_vars *va, const char *sep,
    const char *b, const struct template_vars *vb, int ka, int kb,
    struct buf *out, size_t start, int *kept_a, int *kept_b)
{
	out->len = start;
	if (out->data != NULL)
		out->data[start] = '\0';
	if (render(a, va, out, ka, kept_a) == -1 || buf_puts(out, sep) == -1)
		return -1;
	return render(b, vb, out, kb, kept_b);
}

int
template_render_pair_budget(const char *a, const struct template_vars *va,
    const char *sep, const char *b, const struct template_vars *vb,
    int max_segments, struct buf *out, struct sms_count *count)
{
	struct sms_count c;
	size_t start = out->len;
	int ka, kb, ia, ib;

	if (render_pair(a, va, sep, b, vb, -1, -1, out, start, &ka, &kb) == -1)
		return -1;
	count_from(out, start, &c);
	while (max_segments > 0 && c.segments > max_segments && ka + kb > 0) {
		if (kb >= ka)
			kb--;
		else
			ka--;
		if (render_pair(a, va, sep, b, vb, ka, kb, out, start, &ia,
		    &ib) == -1)
			return -1;
		count_from(out, start, &c);
	}
	if (count != NULL)
		*count = c;
	return 0;
}
