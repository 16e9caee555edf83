/*
 * export.c -- see export.h.
 */
#include <stdint.h>
#include <stdio.h>

#include "csv.h"
#include "export.h"
#include "store.h"
#include "util.h"

static void
write_header(FILE *out, const char *const *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csv_write_field(out, cols[i], i ? ',' : 0);
	fputc('\n', out);
}

static int
lead_row(const struct lead_row *l, void *arg)
{
	FILE *out = arg;
	char id[32], at[32], created[32], updated[32];

	snprintf(id, sizeof id, "%lld", (long long)l->id);
	csv_write_field(out, id, 0);
	csv_write_field(out, l->phone, ',');
	csv_write_field(out, l->name, ',');
	csv_write_field(out, l->postcode, ',');
	csv_write_field(out, l->branch, ',');
	csv_write_field(out, l->region, ',');
	csv_write_field(out, l->match_kind, ',');
	csv_write_field(out, l->consent_ext_id, ',');
	csv_write_field(out, l->consent_text, ',');
	csv_write_field(out, iso_time_utc(l->consent_at, at, sizeof at), ',');
	csv_write_field(out, l->consent_reply, ',');
	csv_write_field(out, iso_time_utc(l->created_at, created, sizeof created),
	    ',');
	csv_write_field(out, iso_time_utc(l->updated_at, updated, sizeof updated),
	    ',');
	csv_write_field(out, l->campaign, ',');
	fputc('\n', out);
	return 0;
}

int
export_leads_csv(struct store *st, const struct lead_filter *f, FILE *out)
{
	static const char *const cols[] = { "id", "phone", "name", "postcode",
	    "branch", "region", "match", "consent_message_id", "consent_text",
	    "consent_at", "consent_reply", "created_at", "updated_at",
	    "campaign" };

	write_header(out, cols, nitems(cols));
	return store_leads_each(st, f, lead_row, out);
}

static int
optout_row(const struct optout_row *o, void *arg)
{
	FILE *out = arg;
	char when[32];

	csv_write_field(out, o->phone, 0);
	csv_write_field(out, iso_time_utc(o->at, when, sizeof when), ',');
	csv_write_field(out, o->source, ',');
	csv_write_field(out, o->instance, ',');
	csv_write_field(out, o->text, ',');
	csv_write_field(out, o->evidence, ',');
	fputc('\n', out);
	return 0;
}

int
export_optouts_csv(struct store *st, FILE *out)
{
	static const char *const cols[] = { "phone", "opted_out_at", "source",
	    "instance", "text", "evidence" };

	write_header(out, cols, nitems(cols));
	return store_optouts_each(st, optout_row, out);
}
