/*
 * store_leads.c -- leads, the conversations that gather them, and
 * opt-outs (an erased number stays opted out by its keyed hash).
 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "store_impl.h"
#include "util.h"

int
store_opted_out(struct store *st, const char *phone)
{
	char hash[2 * CRYPTO_MAX_DIGEST + 1];
	int64_t n = 0;

	/* An erased number stays opted out, known only by its hash.  One
	 * statement for both: a round trip each on a server. */
	if (store_suppression_hash(st, phone, hash) == -1)
		return -1;
	if (store_query_int(st, &n, "SELECT CASE WHEN EXISTS (SELECT 1 FROM "
	    "optouts WHERE phone = $1) OR EXISTS (SELECT 1 FROM suppressions "
	    "WHERE phone_hash = $2) THEN 1 ELSE 0 END", "ss", phone,
	    hash) == -1)
		return -1;
	return n != 0;
}

int
store_optout_add(struct store *st, const char *phone, const char *source,
    const char *instance, int64_t inbound_id, const char *text,
    const char *evidence, int test, int64_t now)
{
	if (store_run(st, "INSERT INTO optouts (phone, opted_out_at, source, "
	    "instance, inbound_id, text, evidence, test) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7, $8) ON CONFLICT (phone) DO NOTHING", "sissIssi",
	    phone, now, source, instance, inbound_id, text, evidence ?
	    evidence : "", (int64_t)(test != 0)) == -1)
		return -1;
	return st->changes == 1;
}

int
store_optout_remove(struct store *st, const char *phone)
{
	char hash[2 * CRYPTO_MAX_DIGEST + 1];

	/* START from an erased number opts it back in too. */
	if (store_suppression_hash(st, phone, hash) == -1 ||
	    store_run(st, "DELETE FROM suppressions WHERE phone_hash = $1",
	    "s", hash) == -1)
		return -1;
	return store_run(st, "DELETE FROM optouts WHERE phone = $1", "s",
	    phone);
}

int
store_optout_change(struct store *st, const char *actor, const char *phone,
    int add, const char *source)
{
	char record[96], image[160];
	int had = store_opted_out(st, phone);

	if (had == -1)
		return -1;
	if (had == add)
		return 0;	/* already as asked: nothing changes */
	if ((add ? store_optout_add(st, phone, source, "", 0, "", "",
	    0, now_unix()) : store_optout_remove(st, phone)) == -1)
		return -1;
	snprintf(record, sizeof record, "optout:%s", phone);
	snprintf(image, sizeof image, "{\"phone\":\"%s\",\"source\":\"%s\"}",
	    phone, source);
	return store_audit(st, actor, add ? "create" : "delete", record,
	    add ? NULL : image, add ? image : NULL);
}

int
store_lead_insert(struct store *st, const struct lead_record *l, int64_t *id)
{
	int rc = store_query_int(st, id, "INSERT INTO leads (phone, name, "
	    "postcode, branch_id, region_id, match_kind, inbound_id, "
	    "consent_ext_id, consent_text, consent_at, consent_reply, "
	    "created_at, updated_at, campaign, test) VALUES ($1, $2, $3, $4, "
	    "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
	    "sssIIsIssisiiSi", l->phone, l->name, l->postcode, l->branch_id,
	    l->region_id, l->match_kind, l->inbound_id, l->consent_ext_id,
	    l->consent_text, l->consent_at, l->consent_reply, l->consent_at,
	    l->consent_at, l->campaign, (int64_t)(l->test != 0));

	return rc == 1 ? 0 : -1;
}

int
store_lead_recent(struct store *st, const char *phone, int test,
    int64_t since, int64_t *id)
{
	/* The number's newest lead, if it is recent: ids grow with time.
	 * "phone = $1 AND created_at >= $2 ORDER BY id DESC" walked every
	 * older lead of a number with none recent (7.6 ms for a thousand),
	 * where max(id) is one step down the phone index.  A simulated
	 * conversation never updates a real lead, nor a real one a test
	 * lead that a clear would take away. */
	return store_query_int(st, id, "SELECT id FROM leads WHERE id = "
	    "(SELECT max(id) FROM leads WHERE phone = $1) AND created_at >= $2 "
	    "AND test = $3", "sii", phone, since, (int64_t)(test != 0));
}

int
store_lead_update(struct store *st, int64_t id, const struct lead_record *l)
{
	/* A name already given is not lost to a message without one. */
	return store_run(st, "UPDATE leads SET name = CASE WHEN $1 <> '' "
	    "THEN $1 ELSE name END, postcode = CASE WHEN $2 <> '' THEN $2 "
	    "ELSE postcode END, branch_id = coalesce($3, branch_id), "
	    "region_id = coalesce($4, region_id), match_kind = CASE WHEN "
	    "$5 <> '' THEN $5 ELSE match_kind END, updated_at = $6, "
	    "campaign = coalesce($8, campaign) WHERE id = $7", "ssIIsiiS",
	    l->name, l->postcode, l->branch_id, l->region_id, l->match_kind,
	    l->consent_at, id, l->campaign);
}

/* --- conversations --------------------------------------------------- */

int
store_conversation_get(struct store *st, const char *phone, int test,
    int64_t now, struct conversation *c)
{
	struct db_stmt *s;
	int rc;

	memset(c, 0, sizeof *c);
	if ((s = store_stmt(st, "SELECT waiting_for, name, postcode, "
	    "coalesce(lead_id, 0), coalesce(campaign, ''), "
	    "coalesce(language, '') FROM conversations WHERE phone = $1 AND "
	    "expires_at > $2 AND test = $3")) == NULL)
		return -1;
	c->test = test != 0;
	if (db_bind_text_lent(s, 1, phone) == -1 ||
	    db_bind_int64(s, 2, now) == -1 ||
	    db_bind_int64(s, 3, c->test) == -1)
		rc = -1;
	else if ((rc = db_step(s)) == 1) {
		store_col_copy(s, 0, c->waiting_for, sizeof c->waiting_for);
		store_col_copy(s, 1, c->name, sizeof c->name);
		store_col_copy(s, 2, c->postcode, sizeof c->postcode);
		c->lead_id = db_column_int64(s, 3);
		store_col_copy(s, 4, c->campaign, sizeof c->campaign);
		store_col_copy(s, 5, c->language, sizeof c->language);
	}
	if (rc == -1)
		store_dberror(st);
	store_done(st, s);
	return rc;
}

int
store_conversation_put(struct store *st, const char *phone,
    const char *instance, const struct conversation *c, int64_t expires_at)
{
	return store_run(st, "INSERT INTO conversations (phone, instance, "
	    "waiting_for, name, postcode, lead_id, expires_at, campaign, "
	    "language, test) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
	    "ON CONFLICT (phone) DO UPDATE SET "
	    "instance = excluded.instance, waiting_for = excluded.waiting_for, "
	    "name = excluded.name, postcode = excluded.postcode, "
	    "lead_id = excluded.lead_id, expires_at = excluded.expires_at, "
	    "campaign = excluded.campaign, language = excluded.language, "
	    "test = excluded.test", "sssssIiSSi", phone, instance,
	    c->waiting_for, c->name, c->postcode, c->lead_id, expires_at,
	    c->campaign, c->language, (int64_t)(c->test != 0));
}

int
store_conversation_end(struct store *st, const char *phone)
{
	return store_run(st, "DELETE FROM conversations WHERE phone = $1",
	    "s", phone);
}
