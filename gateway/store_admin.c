/*
 * store_admin.c -- what the admin API and the CLI read: the audit trail,
 * and leads, opt-outs and the outbox for listing and export.  Strings are
 * lent to the callback for the row it is called with.
 */
#include <stdint.h>
#include <string.h>

#include "store_impl.h"
#include "util.h"

int
store_audit_list(struct store *st, const char *record_prefix, int64_t since,
    int64_t until, int (*cb)(const struct audit_entry *, void *), void *arg)
{
	struct db_stmt *s = store_prepare(st, "SELECT id, at, actor, action, record, "
	    "before, after FROM audit WHERE ($1 IS NULL OR record = $1 OR "
	    "record LIKE $1 || ':%') AND at >= $2 AND at < $3 "
	    "ORDER BY id DESC");
	int rc;

	if (s == NULL)
		return -1;
	db_bind_text_lent(s, 1, record_prefix);
	db_bind_int64(s, 2, since);
	db_bind_int64(s, 3, until ? until : INT64_MAX);
	while ((rc = db_step(s)) == 1) {
		struct audit_entry e = {
			.id = db_column_int64(s, 0),
			.at = db_column_int64(s, 1),
			.actor = db_column_text(s, 2),
			.action = db_column_text(s, 3),
			.record = db_column_text(s, 4),
			.before = db_column_text(s, 5),
			.after = db_column_text(s, 6),
		};
		if (cb(&e, arg))
			break;
	}
	if (rc == -1) {
		store_dberror(st);
		db_finalize(s);
		return -1;
	}
	db_finalize(s);
	return 0;
}

int
store_outbox_list(struct store *st, const char *state, int limit,
    int (*cb)(const struct outbox_item *, const char *state,
    const char *last_error, void *), void *arg)
{
	struct db_stmt *s = store_prepare(st, "SELECT id, idem_key, channel, instance, "
	    "recipient, subject, body, purpose, attempts, state, last_error "
	    "FROM outbox WHERE $1 IS NULL OR state = $1 ORDER BY id DESC "
	    "LIMIT $2");
	int rc;

	if (s == NULL)
		return -1;
	db_bind_text_lent(s, 1, state);
	db_bind_int64(s, 2, limit);
	while ((rc = db_step(s)) == 1) {
		struct outbox_item it = {
			.id = db_column_int64(s, 0),
			.idem_key = (char *)(uintptr_t)db_column_text(s, 1),
			.channel = (char *)(uintptr_t)db_column_text(s, 2),
			.instance = (char *)(uintptr_t)db_column_text(s, 3),
			.recipient = (char *)(uintptr_t)db_column_text(s, 4),
			.subject = (char *)(uintptr_t)db_column_text(s, 5),
			.body = (char *)(uintptr_t)db_column_text(s, 6),
			.purpose = (char *)(uintptr_t)db_column_text(s, 7),
			.attempts = (int)db_column_int64(s, 8),
		};
		if (cb(&it, db_column_text(s, 9),
		    db_column_text(s, 10), arg))
			break;
	}
	db_finalize(s);
	if (rc == -1) {
		store_dberror(st);
		return -1;
	}
	return 0;
}

int
store_leads_each(struct store *st, const struct lead_filter *f,
    int (*cb)(const struct lead_row *, void *), void *arg)
{
	struct db_stmt *s = store_prepare(st, "SELECT l.id, l.phone, l.name, "
	    "l.postcode, coalesce(b.name, ''), coalesce(r.name, ''), "
	    "l.match_kind, l.consent_ext_id, l.consent_text, l.consent_at, "
	    "l.consent_reply, l.created_at, l.updated_at, "
	    "coalesce(l.campaign, '') FROM leads l "
	    "LEFT JOIN branches b ON b.id = l.branch_id LEFT JOIN regions r "
	    "ON r.id = l.region_id WHERE l.test = 0 AND ($1 = 0 OR "
	    "l.branch_id = $1) AND "
	    "($2 = 0 OR l.region_id = $2) AND l.created_at >= $3 AND "
	    "l.created_at < $4 AND ($5 = 0 OR coalesce(l.campaign, '') = $6) "
	    "ORDER BY l.id");
	int rc;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, f->branch_id);
	db_bind_int64(s, 2, f->region_id);
	db_bind_int64(s, 3, f->since);
	db_bind_int64(s, 4, f->until ? f->until : INT64_MAX);
	db_bind_int64(s, 5, f->campaign != NULL);
	db_bind_text_lent(s, 6, f->campaign ? f->campaign : "");
	while ((rc = db_step(s)) == 1) {
		struct lead_row l = {
			.id = db_column_int64(s, 0),
			.phone = db_column_text(s, 1),
			.name = db_column_text(s, 2),
			.postcode = db_column_text(s, 3),
			.branch = db_column_text(s, 4),
			.region = db_column_text(s, 5),
			.match_kind = db_column_text(s, 6),
			.consent_ext_id = db_column_text(s, 7),
			.consent_text = db_column_text(s, 8),
			.consent_at = db_column_int64(s, 9),
			.consent_reply = db_column_text(s, 10),
			.created_at = db_column_int64(s, 11),
			.updated_at = db_column_int64(s, 12),
			.campaign = db_column_text(s, 13),
		};
		if (cb(&l, arg))
			break;
	}
	db_finalize(s);
	if (rc == -1) {
		store_dberror(st);
		return -1;
	}
	return 0;
}

int
store_optouts_each(struct store *st,
    int (*cb)(const struct optout_row *, void *), void *arg)
{
	struct db_stmt *s = store_prepare(st, "SELECT phone, opted_out_at, "
	    "source, instance, text, evidence FROM optouts WHERE test = 0 "
	    "ORDER BY opted_out_at, phone");
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = db_step(s)) == 1) {
		struct optout_row o = {
			.phone = db_column_text(s, 0),
			.at = db_column_int64(s, 1),
			.source = db_column_text(s, 2),
			.instance = db_column_text(s, 3),
			.text = db_column_text(s, 4),
			.evidence = db_column_text(s, 5),
		};
		if (cb(&o, arg))
			break;
	}
	db_finalize(s);
	if (rc == -1) {
		store_dberror(st);
		return -1;
	}
	return 0;
}
