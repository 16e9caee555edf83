/*
 * fuzz_template.c -- reply templates (gateway/template.c) and segment
 * counting (gateway/segments.c).  The first line is the template, the
 * next nine lines fill its fields in order (name, postcode, branch,
 * meets, contact, phone, email, distance, region); the first byte also
 * picks the segment budget.
 */
#include "fuzz.h"
#include "template.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct template_vars vars;
	struct sms_count c;
	struct buf out;
	char *copy = fuzz_string(data, size), *rest = copy, err[256];
	char *tmpl = fuzz_line(&rest);
	int budget = size ? data[0] % 5 : 0;
	char *raw = malloc(size ? size : 1);

	if (raw == NULL)
		abort();
	if (size > 0)
		memcpy(raw, data, size);
	memset(&vars, 0, sizeof vars);
	for (int i = 0; i < TF_COUNT && *rest; i++)
		vars.v[i] = fuzz_line(&rest);

	template_check(tmpl, err, sizeof err);
	template_field(tmpl, strlen(tmpl));
	buf_init(&out, 4096);
	template_render(tmpl, &vars, &out);
	buf_release(&out);
	buf_init(&out, 4096);
	if (template_render_budget(tmpl, &vars, budget, &out, &c) == 0 &&
	    (c.segments < 1 || c.units < 0))
		abort();
	buf_release(&out);

	/* Counting any bytes: exact size, no NUL after them. */
	sms_count(raw, size, &c);
	if (c.segments < 1 || c.units < 0 || c.per_segment <= 0)
		abort();
	sms_is_gsm7(copy);
	free(raw);
	free(copy);
	return 0;
}
