/*
 * store_privacy.c -- erasure and retention: a number forgotten (kept only
 * as a keyed hash, so that it stays opted out) and old rows purged, each
 * in a transaction of its own, audited, then scrubbed from the disk by
 * the engine (store_engine.scrub).
 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "store_impl.h"
#include "util.h"

/* Run fn in its own transaction, then scrub. */
static int
erase_txn(struct store *st, int (*fn)(struct store *, const char *,
    const void *, struct forget_counts *), const char *actor,
    const void *arg, struct forget_counts *c)
{
	memset(c, 0, sizeof *c);
	if (store_begin(st) == -1)
		return -1;
	if (fn(st, actor, arg, c) == -1 || store_commit(st) == -1) {
		char why[sizeof st->error];
		memcpy(why, st->error, sizeof why);
		store_rollback(st);
		memcpy(st->error, why, sizeof why);
		return -1;
	}
	c->scrubbed = st->eng->scrub(st);
	return 0;
}

static int
forget_rows(struct store *st, const char *actor, const void *arg,
    struct forget_counts *c)
{
	const char *phone = arg;
	char hash[2 * CRYPTO_MAX_DIGEST + 1], record[96];
	char like[64];
	int64_t now = now_unix();

	if (store_suppression_hash(st, phone, hash) == -1)
		return -1;
	snprintf(like, sizeof like, "%%%s%%", phone);
#define ERASE(field, sql, ...)						\
	do {								\
		if (store_run(st, sql, __VA_ARGS__) == -1)			\
			return -1;					\
		c->field += st->changes;			\
	} while (0)
	ERASE(leads, "DELETE FROM leads WHERE phone = $1", "s", phone);
	ERASE(messages, "DELETE FROM inbound WHERE sender = $1", "s", phone);
	ERASE(messages, "DELETE FROM inbound_parts WHERE sender = $1", "s",
	    phone);
	ERASE(conversations, "DELETE FROM conversations WHERE phone = $1", "s",
	    phone);
	/* Replies to them, and notifications that name them. */
	ERASE(outbox, "DELETE FROM outbox WHERE recipient = $1 OR body LIKE $2",
	    "ss", phone, like);
	ERASE(optouts, "DELETE FROM optouts WHERE phone = $1", "s", phone);
	/* The language they chose is theirs too. */
	ERASE(languages, "DELETE FROM language_prefs WHERE phone = $1",
	    "s", phone);
	/* Earlier audit rows keep what was done, not the number. */
	ERASE(audit, "UPDATE audit SET record = replace(record, $1, $2), "
	    "before = replace(before, $1, '[erased]'), after = replace(after, "
	    "$1, '[erased]') WHERE record LIKE $3 OR before LIKE $3 OR after "
	    "LIKE $3", "sss", phone, hash, like);
#undef ERASE
	if (store_run(st, "INSERT INTO suppressions (phone_hash, "
	    "created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING", "si", hash, now) == -1)
		return -1;
	snprintf(record, sizeof record, "number:%.16s", hash);
	char after[256];
	snprintf(after, sizeof after, "{\"leads\":%ld,\"messages\":%ld,"
	    "\"conversations\":%ld,\"outbox\":%ld,\"suppressed\":true}",
	    c->leads, c->messages, c->conversations, c->outbox);
	return store_run(st, "INSERT INTO audit (at, actor, action, record, before, "
	    "after) VALUES ($1, $2, 'forget', $3, NULL, $4)", "isss", now, actor,
	    record, after);
}

int
store_forget(struct store *st, const char *actor, const char *phone,
    struct forget_counts *c)
{
	return erase_txn(st, forget_rows, actor, phone, c);
}

static int
purge_rows(struct store *st, const char *actor, const void *arg,
    struct forget_counts *c)
{
	int64_t before = *(const int64_t *)arg;
	char after[256];

	if (store_run(st, "DELETE FROM leads WHERE created_at < $1", "i", before) == -1)
		return -1;
	c->leads = st->changes;
	if (store_run(st, "DELETE FROM inbound WHERE received_at < $1", "i",
	    before) == -1)
		return -1;
	c->messages = st->changes;
	if (store_run(st, "DELETE FROM inbound_parts WHERE received_at < $1", "i",
	    before) == -1)
		return -1;
	c->messages += st->changes;
	if (store_run(st, "DELETE FROM conversations WHERE expires_at < $1", "i",
	    before) == -1)
		return -1;
	c->conversations = st->changes;
	/* A language chosen and not chosen again since. */
	if (store_run(st, "DELETE FROM language_prefs WHERE updated_at < $1",
	    "i", before) == -1)
		return -1;
	c->languages = st->changes;
	/* Rows still to be sent stay, however old. */
	if (store_run(st, "DELETE FROM outbox WHERE created_at < $1 AND state IN "
	    "('sent', 'delivered', 'failed', 'dead', 'discarded')", "i",
	    before) == -1)
		return -1;
	c->outbox = st->changes;
	snprintf(after, sizeof after, "{\"before\":%lld,\"leads\":%ld,"
	    "\"messages\":%ld,\"conversations\":%ld,\"outbox\":%ld}",
	    (long long)before, c->leads, c->messages, c->conversations,
	    c->outbox);
	return store_run(st, "INSERT INTO audit (at, actor, action, record, before, "
	    "after) VALUES ($1, $2, 'purge', 'retention', NULL, $3)", "iss",
	    now_unix(), actor, after);
}

int
store_purge(struct store *st, const char *actor, int64_t before,
    struct forget_counts *c)
{
	return erase_txn(st, purge_rows, actor, &before, c);
}


/* The simulator's rows (test <> 0, by their partial indexes where the
 * table is large); the outbox rows it made go with them, sent or not. */
static int
test_rows(struct store *st, const char *actor, const void *arg,
    struct forget_counts *c)
{
	char after[256];

	(void)arg;
#define CLEAR(field, table)						\
	do {								\
		if (store_run(st, "DELETE FROM " table " WHERE test <> 0",	\
		    "") == -1)						\
			return -1;					\
		c->field += st->changes;				\
	} while (0)
	CLEAR(conversations, "conversations");
	CLEAR(leads, "leads");
	CLEAR(outbox, "outbox");
	CLEAR(optouts, "optouts");
	CLEAR(messages, "inbound");
	CLEAR(languages, "language_prefs");
#undef CLEAR
	snprintf(after, sizeof after, "{\"leads\":%ld,\"messages\":%ld,"
	    "\"conversations\":%ld,\"outbox\":%ld,\"optouts\":%ld}", c->leads,
	    c->messages, c->conversations, c->outbox, c->optouts);
	return store_run(st, "INSERT INTO audit (at, actor, action, record, "
	    "before, after) VALUES ($1, $2, 'clear', 'simulator', NULL, $3)",
	    "iss", now_unix(), actor, after);
}

int
store_test_clear(struct store *st, const char *actor, struct forget_counts *c)
{
	return erase_txn(st, test_rows, actor, NULL, c);
}
