/*
 * store_outbox.c -- the outbox: messages queued under an idempotency key,
 * their attempts and outcomes, delivery receipts, and an admin's word on
 * dead letters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"
#include "util.h"

int
store_outbox_enqueue(struct store *st, const struct outbox_row *r)
{
	int64_t now = now_unix();

	if (store_run(st, "INSERT INTO outbox (idem_key, channel, instance, "
	    "recipient, subject, body, purpose, inbound_id, next_attempt_at, "
	    "created_at, updated_at, state, inline, ext_id, attempts, test) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
	    "$14, $15, $16) ON CONFLICT (idem_key) DO NOTHING",
	    "sssssssIiiisisii", r->idem_key,
	    r->channel, r->instance, r->recipient, r->subject ? r->subject : "",
	    r->body, r->purpose, r->inbound_id, r->due, now, now,
	    r->inline_sent ? "sent" : "queued", (int64_t)(r->inline_sent != 0),
	    r->ext_id ? r->ext_id : "", (int64_t)(r->inline_sent != 0),
	    (int64_t)(r->test != 0)) == -1)
		return -1;
	return st->changes == 1;
}

int
store_outbox_delivery(struct store *st, const char *instance,
    const char *ext_id, int state, const char *error)
{
	const char *to = state == 2 ? "failed" : state == 1 ? "delivered" : NULL;

	if (to == NULL || *ext_id == '\0')
		return 0;
	/* A part of a long message: the row is failed when any part fails,
	 * delivered when every part is. */
	if (store_run(st, "UPDATE outbox_parts SET state = $1 WHERE "
	    "instance = $2 AND ext_id = $3 AND state = 'sent'", "sss", to,
	    instance, ext_id) == -1)
		return -1;
	if (st->changes > 0) {
		int64_t part_of, left;
		if (store_query_int(st, &part_of, "SELECT outbox_id FROM "
		    "outbox_parts WHERE instance = $1 AND ext_id = $2", "ss",
		    instance, ext_id) != 1 || store_query_int(st, &left,
		    "SELECT count(*) FROM outbox_parts WHERE outbox_id = $1 AND "
		    "state <> 'delivered'", "i", part_of) != 1)
			return -1;
		if (state == 1 && left > 0)
			return 0;	/* more parts to come */
		return store_run(st, "UPDATE outbox SET state = $1, "
		    "last_error = $2, updated_at = $3 WHERE id = $4 AND state "
		    "IN ('sending', 'sent')", "ssii", to, error ? error : "",
		    now_unix(), part_of);
	}
	/* Only forward: a late "sent" must not undo "delivered".  A row sent
	 * in parts is moved by its parts alone: a first part's receipt said
	 * again must not count for all of them. */
	return store_run(st, "UPDATE outbox SET state = $1, last_error = $2, "
	    "updated_at = $3 WHERE instance = $4 AND ext_id = $5 AND state IN "
	    "('sending', 'sent') AND NOT EXISTS (SELECT 1 FROM outbox_parts "
	    "WHERE outbox_id = outbox.id)", "ssiss", to, error ? error : "",
	    now_unix(), instance, ext_id);
}

int
store_outbox_recipient(struct store *st, const char *instance,
    const char *ext_id, char **phone)
{
	struct db_stmt *s;
	int rc;

	*phone = NULL;
	if (*ext_id == '\0')
		return 0;
	/* Any part's id names the row (outbox.ext_id is the first's). */
	if ((s = store_stmt(st, "SELECT recipient FROM outbox WHERE id = "
	    "(SELECT max(id) FROM (SELECT id FROM outbox WHERE instance = $1 "
	    "AND ext_id = $2 UNION ALL SELECT outbox_id FROM outbox_parts "
	    "WHERE instance = $1 AND ext_id = $2) AS ids)")) == NULL)
		return -1;
	if (db_bind_text_lent(s, 1, instance) == -1 ||
	    db_bind_text_lent(s, 2, ext_id) == -1)
		rc = -1;
	else if ((rc = db_step(s)) == 1)
		*phone = store_col_dup(s, 0);
	if (rc == -1)
		store_dberror(st);
	store_done(st, s);
	return rc;
}

void
outbox_item_release(struct outbox_item *it)
{
	free(it->idem_key);
	free(it->channel);
	free(it->instance);
	free(it->recipient);
	free(it->subject);
	free(it->body);
	free(it->purpose);
	memset(it, 0, sizeof *it);
}

/* Oldest first, as the claim's inner SELECT chose them (RETURNING keeps
 * no order). */
static int
item_cmp(const void *a, const void *b)
{
	const struct outbox_item *x = a, *y = b;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int
store_outbox_claim(struct store *st, const char *owner, int64_t now,
    int64_t lease_until, int max, struct outbox_item **items)
{
	struct db_stmt *s;
	int n = 0, rc;

	*items = NULL;
	/* One statement: the rows are chosen and marked together, and a
	 * row that another node's claim holds is passed over (the
	 * dialect's skip_locked), so no two nodes take the same row. */
	if (st->outbox_claim[0] == '\0')
		snprintf(st->outbox_claim, sizeof st->outbox_claim,
		    "UPDATE outbox SET state = 'sending', lease_owner = $2, "
		    "lease_until = $3 WHERE id IN (SELECT id FROM outbox WHERE "
		    "state = 'queued' AND next_attempt_at <= $1 ORDER BY "
		    "next_attempt_at, id LIMIT $4%s) RETURNING id, idem_key, "
		    "channel, instance, recipient, subject, body, purpose, "
		    "attempts, next_attempt_at", st->dl->skip_locked);
	if ((s = store_stmt(st, st->outbox_claim)) == NULL)
		return -1;
	*items = xcalloc((size_t)max, sizeof **items);
	rc = db_bindf(s, "isii", now, owner, lease_until, (int64_t)max);
	while (rc == 0 && (rc = db_step(s)) == 1 && n < max) {
		struct outbox_item *it = &(*items)[n++];
		it->id = db_column_int64(s, 0);
		it->idem_key = store_col_dup(s, 1);
		it->channel = store_col_dup(s, 2);
		it->instance = store_col_dup(s, 3);
		it->recipient = store_col_dup(s, 4);
		it->subject = store_col_dup(s, 5);
		it->body = store_col_dup(s, 6);
		it->purpose = store_col_dup(s, 7);
		it->attempts = (int)db_column_int64(s, 8);
		it->due = db_column_int64(s, 9);
		rc = 0;
	}
	if (rc == -1) {
		store_dberror(st);
		for (int i = 0; i < n; i++)
			outbox_item_release(&(*items)[i]);
		n = -1;
	}
	store_done(st, s);
	if (n <= 0) {
		free(*items);
		*items = NULL;
	} else
		qsort(*items, (size_t)n, sizeof **items, item_cmp);
	return n;
}

int
store_outbox_pending(struct store *st, int64_t now)
{
	int64_t one;

	return store_query_int(st, &one, "SELECT 1 FROM outbox WHERE state = "
	    "'queued' AND next_attempt_at <= $1 LIMIT 1", "i", now);
}

int
store_outbox_release(struct store *st, int64_t id)
{
	return store_run(st, "UPDATE outbox SET state = 'queued', "
	    "lease_owner = '', lease_until = 0 WHERE id = $1 AND "
	    "state = 'sending'", "i", id);
}

int
store_outbox_census(struct store *st, const char *const *states, int n,
    int64_t *counts, int64_t *oldest_queued)
{
	struct db_stmt *s;
	int rc;

	memset(counts, 0, (size_t)n * sizeof *counts);
	*oldest_queued = 0;
	/* One pass over the outbox_due index, which covers state. */
	if ((s = store_stmt(st, "SELECT state, COUNT(*) FROM outbox "
	    "GROUP BY state")) == NULL)
		return -1;
	while ((rc = db_step(s)) == 1) {
		const char *state = db_column_text(s, 0);
		for (int i = 0; state != NULL && i < n; i++)
			if (strcmp(state, states[i]) == 0)
				counts[i] = db_column_int64(s, 1);
	}
	if (rc == -1)
		store_dberror(st);
	store_done(st, s);
	if (rc == -1)
		return -1;
	/* Less the simulator's rows, counted by their partial index (which
	 * a real row is not in): a filter on test above would read every
	 * row instead of the index. */
	if ((s = store_stmt(st, "SELECT state, COUNT(*) FROM outbox "
	    "WHERE test <> 0 GROUP BY state")) == NULL)
		return -1;
	while ((rc = db_step(s)) == 1) {
		const char *state = db_column_text(s, 0);
		for (int i = 0; state != NULL && i < n; i++)
			if (strcmp(state, states[i]) == 0)
				counts[i] -= db_column_int64(s, 1);
	}
	if (rc == -1)
		store_dberror(st);
	store_done(st, s);
	if (rc == -1)
		return -1;
	/* The queued rows only, found by the same index. */
	if (store_query_int(st, oldest_queued, "SELECT COALESCE(MIN("
	    "created_at), 0) FROM outbox WHERE state = 'queued' AND test = 0",
	    "") != 1)
		return -1;
	return 0;
}

int
store_outbox_sending(struct store *st, int64_t id)
{
	return store_run(st, "UPDATE outbox SET attempts = attempts + 1, "
	    "updated_at = $1 WHERE id = $2", "ii", now_unix(), id);
}

int
store_outbox_sent(struct store *st, int64_t id, const char *ext_id)
{
	char *ids = xstrdup(ext_id), *s = ids, *part;
	const char *first = strsep(&s, " ");
	int64_t n = 1;
	int rc;

	rc = store_run(st, "UPDATE outbox SET state = 'sent', ext_id = $1, "
	    "last_error = '', updated_at = $2 WHERE id = $3 AND "
	    "state = 'sending'", "sii", first, now_unix(), id);
	/* A message sent in parts: every part's id, for its receipt. */
	if (rc == 0 && s != NULL) {
		rc = store_run(st, "INSERT INTO outbox_parts (outbox_id, part, "
		    "instance, ext_id) SELECT id, 1, instance, ext_id FROM "
		    "outbox WHERE id = $1 ON CONFLICT DO NOTHING", "i", id);
		while (rc == 0 && (part = strsep(&s, " ")) != NULL)
			if (*part != '\0')
				rc = store_run(st, "INSERT INTO outbox_parts "
				    "(outbox_id, part, instance, ext_id) SELECT "
				    "id, $1, instance, $2 FROM outbox WHERE "
				    "id = $3 ON CONFLICT DO NOTHING", "isi", ++n,
				    part, id);
	}
	free(ids);
	return rc;
}

int
store_outbox_retry(struct store *st, int64_t id, int64_t when,
    const char *error)
{
	return store_run(st, "UPDATE outbox SET state = 'queued', "
	    "next_attempt_at = $1, last_error = $2, updated_at = $3, "
	    "lease_owner = '', lease_until = 0 WHERE id = $4 AND "
	    "state = 'sending'", "isii", when, error, now_unix(), id);
}

int
store_outbox_dead(struct store *st, int64_t id, const char *error)
{
	return store_run(st, "UPDATE outbox SET state = 'dead', last_error = "
	    "$1, updated_at = $2 WHERE id = $3 AND state = 'sending'", "sii",
	    error, now_unix(), id);
}

int
store_outbox_discard(struct store *st, int64_t id, const char *why)
{
	return store_run(st, "UPDATE outbox SET state = 'discarded', "
	    "last_error = $1, updated_at = $2 WHERE id = $3 AND "
	    "state = 'sending'", "sii", why, now_unix(), id);
}

#define RECOVER_OWNERS	64	/* owners looked at per call */

int
store_outbox_recover(struct store *st, const char *self, int64_t now)
{
	char *owners[RECOVER_OWNERS], name[160];
	struct db_stmt *s;
	int n = 0, rc, taken = 0;

	if ((s = store_stmt(st, "SELECT DISTINCT lease_owner FROM outbox "
	    "WHERE state = 'sending' AND lease_owner <> $1 LIMIT 64")) == NULL)
		return -1;
	rc = db_bind_text_lent(s, 1, self);
	while (rc == 0 && n < RECOVER_OWNERS && (rc = db_step(s)) == 1) {
		owners[n++] = store_col_dup(s, 0);
		rc = 0;
	}
	if (rc == -1)
		store_dberror(st);
	store_done(st, s);
	/* An owner whose lock is free is gone: its rows are queued at once
	 * (the lock is let go again, for nothing is run under it). */
	for (int i = 0; i < n; i++) {
		int free_ = 0;
		if (rc != -1 && owners[i][0] != '\0') {
			snprintf(name, sizeof name, "outbox:%s", owners[i]);
			if ((free_ = store_job_try(st, name)) == 1 &&
			    store_job_release(st, name) == -1)
				rc = -1;
			if (free_ == -1)
				rc = -1;
		}
		if (rc != -1 && (free_ == 1 || owners[i][0] == '\0')) {
			if (store_run(st, "UPDATE outbox SET state = 'queued', "
			    "lease_owner = '', lease_until = 0, updated_at = $1 "
			    "WHERE state = 'sending' AND lease_owner = $2", "is",
			    now, owners[i]) == -1)
				rc = -1;
			else
				taken += (int)st->changes;
		}
		free(owners[i]);
	}
	if (rc == -1)
		return -1;
	/* Leases that ran out: an owner that lives but hangs. */
	if (store_run(st, "UPDATE outbox SET state = 'queued', lease_owner = "
	    "'', lease_until = 0, updated_at = $1 WHERE state = 'sending' AND "
	    "lease_until <= $1", "i", now) == -1)
		return -1;
	return taken + (int)st->changes;
}

int
store_pace_take(struct store *st, const char *instance, int64_t *next_us,
    int64_t *paused_until)
{
	struct db_stmt *s;
	int rc;

	/* DO UPDATE rather than a SELECT: the row is locked until the
	 * transaction ends, so nodes book slots one after the other. */
	if ((s = store_stmt(st, "INSERT INTO outbox_pace (instance) VALUES "
	    "($1) ON CONFLICT (instance) DO UPDATE SET next_us = "
	    "outbox_pace.next_us RETURNING next_us, paused_until")) == NULL)
		return -1;
	if ((rc = db_bind_text_lent(s, 1, instance)) == 0 &&
	    (rc = db_step(s)) == 1) {
		*next_us = db_column_int64(s, 0);
		*paused_until = db_column_int64(s, 1);
		rc = 0;
	} else if (rc == 0) {
		store_seterror(st, "outbox_pace: no row for %s", instance);
		rc = -1;
	} else
		store_dberror(st);
	store_done(st, s);
	return rc;
}

int
store_pace_set(struct store *st, const char *instance, int64_t next_us)
{
	return store_run(st, "UPDATE outbox_pace SET next_us = $1 WHERE "
	    "instance = $2", "is", next_us, instance);
}

int
store_pace_pause(struct store *st, const char *instance, int64_t until)
{
	return store_run(st, "INSERT INTO outbox_pace (instance, "
	    "paused_until) VALUES ($1, $2) ON CONFLICT (instance) DO UPDATE "
	    "SET paused_until = excluded.paused_until WHERE "
	    "outbox_pace.paused_until < excluded.paused_until", "si", instance,
	    until);
}

int
store_outbox_revive(struct store *st, const char *actor, int64_t id,
    int discard)
{
	char record[64];
	int64_t n;

	/* Only dead letters: a row on its way is not an admin's to move. */
	if (store_query_int(st, &n, "SELECT count(*) FROM outbox WHERE "
	    "id = $1 AND state = 'dead'", "i", id) != 1)
		return -1;
	if (n == 0) {
		store_seterror(st, "outbox row %lld is not a dead letter",
		    (long long)id);
		return -1;
	}
	if (store_run(st, discard ? "UPDATE outbox SET state = 'discarded', "
	    "updated_at = $1 WHERE id = $2" : "UPDATE outbox SET state = "
	    "'queued', attempts = 0, next_attempt_at = $1, updated_at = $1 "
	    "WHERE id = $2", "ii", now_unix(), id) == -1)
		return -1;
	snprintf(record, sizeof record, "outbox:%lld", (long long)id);
	return store_audit(st, actor, discard ? "discard" : "retry", record,
	    "{\"state\":\"dead\"}", discard ? "{\"state\":\"discarded\"}" :
	    "{\"state\":\"queued\"}");
}
