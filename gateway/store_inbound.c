/*
 * store_inbound.c -- received messages: the claim that makes a delivery
 * count once, the parts of long messages, and the alarm watch's record
 * of when each provider instance last received one.
 */
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"
#include "util.h"

/* The columns of the first delivery, as store_inbound_claim gives them. */
static void
inbound_first(struct db_stmt *s, int64_t *id, char **outcome, char **reply)
{
	*id = db_column_int64(s, 0);
	*outcome = store_col_dup(s, 1);
	*reply = db_column_isnull(s, 2) ? NULL : store_col_dup(s, 2);
}

int
store_inbound_find(struct store *st, const char *instance, const char *ext_id,
    int64_t since, int64_t *id, char **outcome, char **reply)
{
	struct db_stmt *s;
	int rc;

	*outcome = *reply = NULL;
	s = store_stmt(st, "SELECT id, outcome, reply FROM inbound WHERE "
	    "instance = $1 AND ext_id = $2 AND received_at >= $3");
	if (s == NULL)
		return -1;
	if (db_bind_text_lent(s, 1, instance) == -1 ||
	    db_bind_text_lent(s, 2, ext_id) == -1 ||
	    db_bind_int64(s, 3, since) == -1)
		rc = -1;
	else if ((rc = db_step(s)) == 1)
		inbound_first(s, id, outcome, reply);
	if (rc == -1)
		store_dberror(st);
	store_done(st, s);
	return rc;
}

int
store_inbound_claim(struct store *st, const struct inbound_row *r,
    int64_t *id, char **outcome, char **reply)
{
	struct db_stmt *s;
	int rc;

	*outcome = *reply = NULL;
	/* RETURNING: a row when this delivery is the first, none when the
	 * key was taken. */
	rc = store_query_int(st, id, "INSERT INTO inbound (instance, ext_id, "
	    "sender, recipient, text, received_at, outcome, reply, test) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT "
	    "(instance, ext_id) DO NOTHING RETURNING id", "sssssissi",
	    r->instance, r->ext_id, r->sender, r->recipient, r->text,
	    r->received_at, r->outcome, r->reply, (int64_t)(r->test != 0));
	if (rc != 0)
		return rc;
	s = store_stmt(st, "SELECT id, outcome, reply FROM inbound WHERE "
	    "instance = $1 AND ext_id = $2");
	if (s == NULL)
		return -1;
	if (db_bind_text_lent(s, 1, r->instance) == -1 ||
	    db_bind_text_lent(s, 2, r->ext_id) == -1 ||
	    (rc = db_step(s)) == -1)
		store_dberror(st);
	else if (rc == 1) {
		inbound_first(s, id, outcome, reply);
		rc = 0;
	} else {
		store_seterror(st, "inbound %s vanished", r->ext_id);
		rc = -1;
	}
	store_done(st, s);
	return rc;
}

int
store_part_add(struct store *st, const char *instance, const char *sender,
    const char *ref, int part, int total, const char *ext_id, const char *text,
    int64_t now, int64_t stale_before, char **text_out, char **first_id)
{
	struct db_stmt *s;
	int64_t have;
	struct buf b;
	char *first = NULL;
	int rc;

	*text_out = NULL;
	*first_id = NULL;
	if (store_run(st, "DELETE FROM inbound_parts WHERE instance = $1 AND "
	    "sender = $2 AND ref = $3 AND received_at < $4", "sssi", instance,
	    sender, ref, stale_before) == -1)
		return -1;
	/* The same part again (a retry) changes nothing; another message's
	 * part under the same number is replaced. */
	if (store_run(st, "INSERT INTO inbound_parts (instance, sender, ref, "
	    "part, total, ext_id, text, received_at) VALUES ($1, $2, $3, $4, "
	    "$5, $6, $7, $8) ON CONFLICT (instance, sender, ref, part) DO "
	    "UPDATE SET total = excluded.total, ext_id = excluded.ext_id, "
	    "text = excluded.text, received_at = excluded.received_at "
	    "WHERE inbound_parts.ext_id <> excluded.ext_id", "sssiissi",
	    instance, sender, ref, (int64_t)part, (int64_t)total, ext_id, text,
	    now) == -1)
		return -1;
	if (store_query_int(st, &have, "SELECT count(*) FROM inbound_parts "
	    "WHERE instance = $1 AND sender = $2 AND ref = $3 AND total = $4",
	    "sssi", instance, sender, ref, (int64_t)total) != 1)
		return -1;
	if (have < total)
		return 0;
	s = store_stmt(st, "SELECT text, ext_id FROM inbound_parts WHERE "
	    "instance = $1 AND sender = $2 AND ref = $3 AND total = $4 "
	    "ORDER BY part");
	if (s == NULL)
		return -1;
	buf_init(&b, 0);
	rc = db_bindf(s, "sssi", instance, sender, ref, (int64_t)total);
	while (rc == 0 && (rc = db_step(s)) == 1) {
		const char *t = db_column_text(s, 0);
		buf_puts(&b, t ? t : "");
		if (first == NULL)
			first = store_col_dup(s, 1);
		rc = 0;
	}
	if (rc == -1)
		store_dberror(st);
	store_done(st, s);
	/* Kept, without their words, as "done" (total 0) until stale: a
	 * retry of one of them is then known, not the start of another. */
	if (rc == -1 || store_run(st, "UPDATE inbound_parts SET total = 0, "
	    "text = '' WHERE instance = $1 AND sender = $2 AND ref = $3 AND "
	    "total = $4", "sssi", instance, sender, ref, (int64_t)total) == -1) {
		buf_release(&b);
		free(first);
		return -1;
	}
	*text_out = b.data ? b.data : xstrdup("");
	*first_id = first ? first : xstrdup("");
	return 1;
}

/* --- the alarm watch ------------------------------------------------- */

int
store_activity_scan(struct store *st)
{
	int64_t newest, seen;

	/* Two look-ups by primary key: nothing to do most of the time. */
	if (store_query_int(st, &newest, "SELECT COALESCE(MAX(id), 0) FROM "
	    "inbound", "") != 1 || store_query_int(st, &seen, "SELECT "
	    "seen_inbound_id FROM alarm_watch WHERE id = 1", "") == -1)
		return -1;
	if (newest == seen)
		return 0;
	/* newest < seen: the newest rows were erased; their ids are given
	 * again, so look from what is there now. */
	if (store_begin(st) == -1)
		return -1;
	if (store_run(st, "INSERT INTO instance_activity (instance, "
	    "last_inbound, watched_since) SELECT instance, MAX(received_at), "
	    "MAX(received_at) FROM inbound WHERE id > COALESCE((SELECT "
	    "seen_inbound_id FROM alarm_watch WHERE id = 1), 0) AND test = 0 "
	    "GROUP BY instance ON CONFLICT (instance) DO UPDATE SET last_inbound = "
	    "CASE WHEN excluded.last_inbound > instance_activity.last_inbound "
	    "THEN excluded.last_inbound ELSE instance_activity.last_inbound "
	    "END", "") == -1 ||
	    store_run(st, "INSERT INTO alarm_watch (id, seen_inbound_id) "
	    "VALUES (1, (SELECT COALESCE(MAX(id), 0) FROM inbound)) ON "
	    "CONFLICT (id) DO UPDATE SET seen_inbound_id = "
	    "excluded.seen_inbound_id", "") == -1 ||
	    store_commit(st) == -1) {
		store_rollback(st);
		return -1;
	}
	return 1;
}

int
store_activity_list(struct store *st, struct activity *v, int max)
{
	struct db_stmt *s;
	int n = 0, rc;

	if ((s = store_stmt(st, "SELECT instance, last_inbound, "
	    "watched_since, silent_since, silent_last FROM instance_activity "
	    "ORDER BY instance")) == NULL)
		return -1;
	while ((rc = db_step(s)) == 1) {
		if (n == max)
			continue;
		store_col_copy(s, 0, v[n].instance, sizeof v[n].instance);
		v[n].last_inbound = db_column_int64(s, 1);
		v[n].watched_since = db_column_int64(s, 2);
		v[n].silent_since = db_column_int64(s, 3);
		v[n].silent_last = db_column_int64(s, 4);
		n++;
	}
	if (rc == -1) {
		store_dberror(st);
		n = -1;
	}
	store_done(st, s);
	return n;
}

int
store_activity_watch(struct store *st, const char *instance, int64_t now)
{
	return store_run(st, "INSERT INTO instance_activity (instance, "
	    "watched_since) VALUES ($1, $2) ON CONFLICT (instance) DO NOTHING",
	    "si", instance, now);
}

int
store_activity_alarm(struct store *st, const char *instance, int64_t since,
    int64_t last)
{
	return store_run(st, "UPDATE instance_activity SET silent_since = $1, "
	    "silent_last = $2 WHERE instance = $3", "iis", since, last,
	    instance);
}
