/*
 * store_templates.c -- reply templates over gateway.conf's [replies]
 * (see reply.h): read whole into memory, and each change audited in its
 * transaction as "template:NAME" (with "/CAMPAIGN/LANGUAGE" when not the
 * default row).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "store_impl.h"
#include "util.h"

int
store_load_templates(struct store *st, struct reply_texts *t)
{
	struct db_stmt *s;
	int rc;

	memset(t, 0, sizeof *t);
	if ((s = store_prepare(st, "SELECT name, campaign, language, text, "
	    "updated_at FROM reply_templates ORDER BY name, campaign, "
	    "language")) == NULL)
		return -1;
	while ((rc = db_step(s)) == 1) {
		t->v = xrealloc(t->v, (t->n + 1) * sizeof *t->v);
		struct reply_text *r = &t->v[t->n++];
		r->name = store_col_dup(s, 0);
		r->campaign = store_col_dup(s, 1);
		r->language = store_col_dup(s, 2);
		r->text = store_col_dup(s, 3);
		r->updated_at = db_column_int64(s, 4);
	}
	if (rc == -1) {
		store_dberror(st);
		db_finalize(s);
		reply_texts_free(t);
		return -1;
	}
	db_finalize(s);
	return 0;
}

/* The row's JSON image, or NULL when there is none; the caller frees it. */
static char *
template_json(struct store *st, const char *name, const char *campaign,
    const char *language)
{
	char sql[384];
	struct db_stmt *s;
	char *json = NULL;

	snprintf(sql, sizeof sql, "SELECT %s('name', name, 'campaign', "
	    "campaign, 'language', language, 'text', text) FROM "
	    "reply_templates WHERE name = $1 AND campaign = $2 AND "
	    "language = $3", st->dl->json_object);
	if ((s = store_prepare(st, sql)) == NULL)
		return NULL;
	db_bind_text_lent(s, 1, name);
	db_bind_text_lent(s, 2, campaign);
	db_bind_text_lent(s, 3, language);
	if (db_step(s) == 1 && !db_column_isnull(s, 0))
		json = store_col_dup(s, 0);
	db_finalize(s);
	return json;
}

static void
template_record(char *out, size_t len, const char *name, const char *campaign,
    const char *language)
{
	if (*campaign || *language)
		snprintf(out, len, "template:%s/%s/%s", name, campaign,
		    language);
	else
		snprintf(out, len, "template:%s", name);
}

int
store_template_put(struct store *st, const char *actor, const char *name,
    const char *campaign, const char *language, const char *text)
{
	char record[256], *before, *after;
	int rc;

	before = template_json(st, name, campaign, language);
	if (store_run(st, "INSERT INTO reply_templates (name, campaign, "
	    "language, text, updated_at) VALUES ($1, $2, $3, $4, $5) "
	    "ON CONFLICT (name, campaign, language) DO UPDATE SET "
	    "text = excluded.text, updated_at = excluded.updated_at",
	    "ssssi", name, campaign, language, text, now_unix()) == -1) {
		free(before);
		return -1;
	}
	after = template_json(st, name, campaign, language);
	template_record(record, sizeof record, name, campaign, language);
	rc = 0;
	if (before == NULL || after == NULL || strcmp(before, after) != 0)
		rc = store_audit(st, actor, before ? "update" : "set", record,
		    before, after);
	free(before);
	free(after);
	return rc;
}

int
store_template_delete(struct store *st, const char *actor, const char *name,
    const char *campaign, const char *language)
{
	char record[256], *before;
	int rc;

	if ((before = template_json(st, name, campaign, language)) == NULL)
		return 0;
	rc = store_run(st, "DELETE FROM reply_templates WHERE name = $1 AND "
	    "campaign = $2 AND language = $3", "sss", name, campaign,
	    language);
	if (rc == 0) {
		template_record(record, sizeof record, name, campaign,
		    language);
		rc = store_audit(st, actor, "reset", record, before, NULL);
	}
	free(before);
	return rc == 0 ? 1 : -1;
}
