/*
 * store.h -- the database: the only module that speaks SQL, written once
 * against db.h for every engine (SQLite, PostgreSQL) and split by concern
 * into gateway/store*.c (see store.c).
 *
 * One struct store is one connection with its prepared statements; it is
 * not shared between threads.  Functions return 0 / -1 (with the reason in
 * store_error()), or -1 / 0 / 1 for look-ups where "not found" is normal.
 */
#ifndef GATEWAY_STORE_H
#define GATEWAY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "branch.h"
#include "geo.h"

struct config;
struct store;

/*
 * Open the database named by the config, creating it if need be, apply
 * the migrations in data/schema, and on a new database load the built-in
 * postcode-area table (and the example data when cf->example_data).
 * NULL after logging why.
 */
struct store	*store_open(const struct config *cf);
/* Why this thread's last store_open failed; "" if it did not. */
const char	*store_open_error(void);
void		 store_close(struct store *);
/* Has the database still to be seeded (seed.c)?  1, 0 or -1. */
int		 store_needs_seed(struct store *);
/* The last error, for a message. */
const char	*store_error(const struct store *);

/* A read transaction: several look-ups, one snapshot, one lock.  Calls
 * nest (the outermost begins and ends it), and inside a write transaction
 * that one serves.  Always paired, even when begin fails. */
int		 store_read_begin(struct store *);
void		 store_read_end(struct store *);

int		 store_begin(struct store *);
/* Fails, leaving the transaction open for store_rollback, when the file has
 * been deleted or moved since it was opened (SQLITE_FCNTL_HAS_MOVED). */
int		 store_commit(struct store *);
/* What /readyz reports of the data: the schema is the newest this binary
 * knows (1, or 0), the areas known (the built-in table), and the units
 * imported with the last import's source and time (none: "" and 0).
 * 0 or -1. */
struct store_readiness {
	int	schema_current;
	long	areas, units;
	char	release[128];
	int64_t	imported_at;
};
int		 store_readiness(struct store *, struct store_readiness *);
/* 1 when the file opened is no longer at its path, 0 when it is, -1. */
int		 store_file_moved(struct store *);
void		 store_rollback(struct store *);
/* A nested transaction: works inside or outside store_begin(). */
int		 store_savepoint(struct store *);
int		 store_release(struct store *);
/* Release the savepoint and make the next one, in one round trip where
 * the engine has them (the batch writer, between jobs). */
int		 store_savepoint_next(struct store *);
void		 store_rollback_savepoint(struct store *);

/*
 * store_serving(1): connections opened from now on are the running
 * server's (process-wide; set once its checkpointer runs).  They leave
 * checkpoints to the checkpointer, and they never create the file: a file
 * missing now was deleted under the server, and a new empty one in its
 * place would take messages that nobody would ever find.
 * store_checkpoint: one wal_checkpoint in that mode; *frames the log's
 * length after it.
 */
enum store_checkpoint {
	STORE_CKPT_PASSIVE,
	STORE_CKPT_RESTART,
	STORE_CKPT_TRUNCATE,
};
void		 store_serving(int on);
int		 store_checkpoint(struct store *, enum store_checkpoint,
		    int *frames);

/* Changes when another connection writes (SQLite: PRAGMA data_version),
 * or at least when one writes to the directory (PostgreSQL: its
 * notifications, from any node).  Outside a transaction only: a lost
 * PostgreSQL connection is made again here. */
int64_t		 store_data_version(struct store *);
/* Changes when branches, regions, the area or district tables change, or
 * an import ends (a trigger counts): when a copy of the directory is out
 * of date. */
int64_t		 store_directory_version(struct store *);

/* Load branches, regions, region areas, the area table and the known
 * districts (built in and imported). */
int		 store_load_directory(struct store *, struct directory *);

/* Geocoding look-ups: -1 error, 0 not found, 1 found. */
int		 store_lookup_unit(struct store *, const char *postcode,
		    struct geocode *out);
/* country: the units' majority (enum geo_country), 0 when unknown. */
int		 store_lookup_centroid(struct store *, enum geo_level,
		    const char *code, double *lat, double *lon, int *country);

/*
 * Postcode import: begin, add every row, then finish (which derives the
 * sector, district and area centroids and swaps the new data in with one
 * short transaction) or abort (which leaves the old data as it was).  The
 * rows go into a side table in transactions of a few tens of milliseconds,
 * so that the server's writes go on meanwhile; readers see the old data
 * until the swap.  One import at a time per database.  Called by the CLI.
 */
struct postcode_import;
struct postcode_import *store_import_begin(struct store *);
/* has_coords 0: the source has no location for this unit; country an
 * enum geo_country, 0 when the source has none.  0, 1 when the postcode
 * was added before, or -1. */
int		 store_import_add(struct postcode_import *, const char *postcode,
		    double lat, double lon, int has_coords, int terminated,
		    int country);
/* Let go of the write lock until the next add, and read the next rows
 * for STORE_IMPORT_GAP_MS: longer than SQLite's busy handler sleeps (100
 * ms at most), so that a writer waiting for the lock sees it free.  0 or
 * -1. */
#define STORE_IMPORT_GAP_MS	120
int		 store_import_pause(struct postcode_import *);
struct import_stats {
	long	units;
	long	sectors;
	long	districts;
	long	areas;
	long	txns;		/* write transactions the import took */
	double	longest_ms;	/* the longest of them */
};
/* Frees the import whatever it returns. */
int		 store_import_finish(struct postcode_import *, const char *source,
		    long skipped, struct import_stats *);
void		 store_import_abort(struct postcode_import *);

/*
 * Branches and regions.  Each change writes an audit row in the same
 * transaction: actor is a token name or a system user.  A branch's
 * region_id 0 means none; its coverage replaces what it had.
 */
int		 store_branch_insert(struct store *, const char *actor,
		    struct branch *b);		/* sets b->id */
int		 store_branch_update(struct store *, const char *actor,
		    const struct branch *b);
int		 store_branch_delete(struct store *, const char *actor,
		    int64_t id);
int		 store_region_insert(struct store *, const char *actor,
		    struct region *r);		/* sets r->id */
int		 store_region_update(struct store *, const char *actor,
		    const struct region *r);
/* Map a postcode area or district to a region (0: remove the mapping). */
int		 store_region_map(struct store *, const char *actor,
		    const char *code, int64_t region_id);

/* The built-in postcode-area table and district countries (seed.c). */
int		 store_area_put(struct store *, const char *area, const char *name,
		    const char *country, double lat, double lon);
int		 store_district_country_put(struct store *, const char *district,
		    const char *country);
/* The built-in district centroids (data/district_centroids.csv), and
 * whether the table is still empty: 1, 0 or -1.  Seeded on its own so
 * that a database made before the table existed gets it too. */
int		 store_district_centroid_put(struct store *, const char *district,
		    const char *country, double lat, double lon);
int		 store_needs_district_seed(struct store *);

/*
 * Reply templates over gateway.conf (reply.h).  store_load_templates:
 * every row, into t (free with reply_texts_free).  store_template_put:
 * set a row's text (checked by the caller), audited.
 * store_template_delete: remove a row (back to the next fallback),
 * audited; 1 removed, 0 there was none, -1.  Keys: "" for every campaign
 * or language.
 */
struct reply_texts;
int		 store_load_templates(struct store *, struct reply_texts *t);
int		 store_template_put(struct store *, const char *actor,
		    const char *name, const char *campaign,
		    const char *language, const char *text);
int		 store_template_delete(struct store *, const char *actor,
		    const char *name, const char *campaign,
		    const char *language);

/* Audit rows, newest first; the callback returns non-zero to stop. */
struct audit_entry {
	int64_t		 id;
	int64_t		 at;
	const char	*actor;
	const char	*action;
	const char	*record;
	const char	*before;	/* JSON or NULL */
	const char	*after;
};
/* An audit row for a write that another module made in the caller's
 * transaction (the simulator's message, by the pipeline); before and
 * after are JSON or NULL. */
int		 store_audit_note(struct store *, const char *actor,
		    const char *action, const char *record, const char *before,
		    const char *after);
int		 store_audit_list(struct store *, const char *record_prefix,
		    int64_t since, int64_t until,
		    int (*cb)(const struct audit_entry *, void *), void *arg);

/* --- the message pipeline (pipeline.c) ---------------------------- */

/*
 * Claim a received message by (instance, ext_id), storing it with what the
 * pipeline made of it.  1: new, *id set.  0: seen before: nothing stored,
 * and *id, *outcome and *reply come from the first delivery (the caller
 * frees them).  -1: error.
 */
struct inbound_row {
	const char	*instance;
	const char	*ext_id;
	const char	*sender;
	const char	*recipient;
	const char	*text;
	int64_t		 received_at;
	const char	*outcome;	/* what the pipeline did */
	const char	*reply;		/* the answer given inline, or NULL */
	int		 test;		/* the simulator's (test = 1) */
};
int		 store_inbound_claim(struct store *, const struct inbound_row *,
		    int64_t *id, char **outcome, char **reply);
/* The message stored under (instance, ext_id) since a time: 1 found (as
 * above), 0 none, -1 error. */
int		 store_inbound_find(struct store *, const char *instance,
		    const char *ext_id, int64_t since, int64_t *id,
		    char **outcome, char **reply);

/* Opt-outs.  store_opted_out: 1 yes, 0 no, -1 error. */
int		 store_opted_out(struct store *, const char *phone);
/* Record an opt-out with its evidence: source ("sms", "sms-phrase",
 * "provider", "cli", "api"), the instance and message it came by, the
 * supporter's words, and what the provider said (evidence, "" for none);
 * test: the simulator's number (a test row, which a clear removes).
 * 1 recorded, 0 the number was opted out already (its first evidence
 * kept), -1 error. */
int		 store_optout_add(struct store *, const char *phone,
		    const char *source, const char *instance, int64_t inbound_id,
		    const char *text, const char *evidence, int test,
		    int64_t now);
int		 store_optout_remove(struct store *, const char *phone);

struct lead_record {
	const char	*phone;
	const char	*name;
	const char	*postcode;
	int64_t		 branch_id;	/* 0: none */
	int64_t		 region_id;
	const char	*match_kind;
	int64_t		 inbound_id;
	const char	*consent_ext_id;
	const char	*consent_text;
	int64_t		 consent_at;
	const char	*consent_reply;
	const char	*campaign;	/* NULL or "": none (an update then
					   keeps the one the lead has) */
	int		 test;		/* the simulator's */
};
int		 store_lead_insert(struct store *, const struct lead_record *,
		    int64_t *id);

/* What we asked a number and are waiting for. */
struct conversation {
	char	waiting_for[16];	/* "postcode" or "name" */
	char	name[128];
	char	postcode[16];
	int64_t	lead_id;		/* 0: none yet */
	char	campaign[64];		/* "": none */
	char	language[8];		/* "en", "cy", "cy+en"; "": unknown */
	int	test;			/* the simulator's */
};
/* The open (unexpired) conversation with phone, of the simulator (test)
 * or not: 1, 0 none, -1 error. */
int		 store_conversation_get(struct store *, const char *phone,
		    int test, int64_t now, struct conversation *);
int		 store_conversation_put(struct store *, const char *phone,
		    const char *instance, const struct conversation *,
		    int64_t expires_at);
int		 store_conversation_end(struct store *, const char *phone);
/* The newest lead of phone since a time, when it is a test lead (the
 * simulator's) or not as test says: 1 (and *id), 0 none, -1 error. */
int		 store_lead_recent(struct store *, const char *phone, int test,
		    int64_t since, int64_t *id);
/* Update a lead with what a later message said: empty fields and zero
 * ids leave what it had. */
int		 store_lead_update(struct store *, int64_t id,
		    const struct lead_record *);

/* The reply language a number chose ("cy" or "en"), the simulator's
 * (test) or not, into lang (at least 8 bytes): 1, 0 when it chose none,
 * -1 error (store_language.c). */
int		 store_language_get(struct store *, const char *phone,
		    int test, char *lang, size_t len);
/* Remember it (a later choice replaces it); 0 or -1. */
int		 store_language_set(struct store *, const char *phone,
		    int test, const char *lang, int64_t now);

/* Leads for the CLI and the admin API; strings lent for the callback. */
struct lead_filter {
	int64_t	branch_id;		/* 0: any */
	int64_t	region_id;		/* 0: any */
	int64_t	since, until;		/* created in [since, until); 0: open */
	const char *campaign;		/* NULL: any; "": none */
};
struct lead_row {
	int64_t		 id;
	const char	*phone, *name, *postcode, *branch, *region, *match_kind;
	const char	*consent_ext_id, *consent_text, *consent_reply;
	int64_t		 consent_at, created_at, updated_at;
	const char	*campaign;	/* "" for none */
};
int		 store_leads_each(struct store *, const struct lead_filter *,
		    int (*cb)(const struct lead_row *, void *), void *arg);
/* An opt-out and its evidence: the supporter's words (text), or what the
 * provider said (evidence: "twilio send: HTTP 400: 21610 ..."). */
struct optout_row {
	const char	*phone, *source, *instance, *text, *evidence;
	int64_t		 at;
};
int		 store_optouts_each(struct store *,
		    int (*cb)(const struct optout_row *, void *), void *arg);
/* An admin opts a number out (add) or back in, audited; no change when it
 * is already so. */
int		 store_optout_change(struct store *, const char *actor,
		    const char *phone, int add, const char *source);

/* Erasure and retention, each in a transaction of its own (not inside
 * store_begin), audited, then checkpointed so that the erased rows leave
 * the WAL as well as the main file (secure_delete overwrites them). */
struct forget_counts {
	long	leads, messages, conversations, outbox, optouts, audit;
	long	languages;	/* language choices (language_prefs) */
	int	scrubbed;	/* the WAL was emptied too */
};
/* Erase a number's leads, messages, conversations and the messages to or
 * about it; keep only a keyed hash so that it stays opted out. */
int		 store_forget(struct store *, const char *actor,
		    const char *phone, struct forget_counts *);
/* Delete every row the simulator made (test = 1), audited; counts as
 * store_forget's.  In a transaction of its own. */
int		 store_test_clear(struct store *, const char *actor,
		    struct forget_counts *);
/* Delete leads, messages and finished outbox rows created before a time. */
int		 store_purge(struct store *, const char *actor, int64_t before,
		    struct forget_counts *);

/* Queue a message; 1 queued, 0 already queued under idem_key, -1 error. */
struct outbox_row {
	const char	*idem_key;
	const char	*channel;	/* "sms" */
	const char	*instance;
	const char	*recipient;
	const char	*subject;
	const char	*body;
	const char	*purpose;	/* "reply" */
	int64_t		 inbound_id;
	int64_t		 due;
	/* A reply the webhook's answer carried: recorded as sent (never
	 * queued), marked inline, under ext_id for its receipts. */
	int		 inline_sent;
	const char	*ext_id;
	int		 test;		/* the simulator's */
};
int		 store_outbox_enqueue(struct store *, const struct outbox_row *);

/* A row of the outbox as the worker sends it; strings owned. */
struct outbox_item {
	int64_t	 id;
	char	*idem_key;
	char	*channel;
	char	*instance;
	char	*recipient;
	char	*subject;
	char	*body;
	char	*purpose;
	int	 attempts;		/* before this one */
	int64_t	 due;			/* next_attempt_at (claims) */
};
void		 outbox_item_release(struct outbox_item *);

/* How many rows are in each of states[0..n-1] into counts, and when the
 * oldest queued row was made (0: none), for /metrics; 0 or -1. */
int		 store_outbox_census(struct store *, const char *const *states,
		    int n, int64_t *counts, int64_t *oldest_queued);
/*
 * Take due rows for this node, oldest first, at most max: in one
 * statement they are marked 'sending' under owner (this node's name)
 * until lease_until, so that no other node takes them; rows another node
 * is taking at the same moment are passed over, not waited for.  Inside
 * the caller's write transaction (store_begin), which decides each row's
 * fate before it commits: store_outbox_sending, _dead, _discard, or
 * store_outbox_release for a row not sent now.  The caller releases each
 * item and frees *items.  The number, or -1.
 */
int		 store_outbox_claim(struct store *, const char *owner,
		    int64_t now, int64_t lease_until, int max,
		    struct outbox_item **items);
/* 1 when a row is due by now, 0 when none is, -1: a read, before a
 * claim takes the write lock. */
int		 store_outbox_pending(struct store *, int64_t now);
/* A claimed row that is not sent now (its instance's rate, no room):
 * back to the queue as it was. */
int		 store_outbox_release(struct store *, int64_t id);
/* A claimed row's attempt starts (attempts + 1), in the caller's
 * transaction. */
int		 store_outbox_sending(struct store *, int64_t id);
/* The outcome of an attempt (of a row still 'sending'). */
int		 store_outbox_sent(struct store *, int64_t id, const char *ext_id);
int		 store_outbox_retry(struct store *, int64_t id, int64_t when,
		    const char *error);
int		 store_outbox_dead(struct store *, int64_t id, const char *error);
int		 store_outbox_discard(struct store *, int64_t id,
		    const char *why);
/*
 * Rows left 'sending' by a node that is gone go back to the queue: those
 * whose owner no longer lives (no connection holds its lock "outbox:NAME",
 * see store_job_try: on SQLite, whose server lock admits one process,
 * every owner but self) and those whose lease ran out by now (an owner
 * that lives but hangs).  A live node's rows in flight stay its own.
 * Autocommit; how many, or -1.
 */
int		 store_outbox_recover(struct store *, const char *self,
		    int64_t now);

/*
 * An instance's pacing, shared by every node on the database: its row is
 * taken (made when missing) and locked until the caller's write
 * transaction ends, with when the next send may start (unix
 * microseconds) and the end of a pause after a 429 (unix seconds).
 * store_pace_set books the next slot in the same transaction;
 * store_pace_pause (autocommit) makes a pause longer, never shorter.
 */
int		 store_pace_take(struct store *, const char *instance,
		    int64_t *next_us, int64_t *paused_until);
int		 store_pace_set(struct store *, const char *instance,
		    int64_t next_us);
int		 store_pace_pause(struct store *, const char *instance,
		    int64_t until);

/*
 * A job that must run on one node at a time (retention, the silence
 * alarm, a node's own name): 1 when this connection holds the job's lock
 * (taken now, or already), 0 when another node's does, -1 on error.  The
 * lock is held until store_job_release or the connection closes (a node
 * that dies lets it go), so the node that has it keeps running the job;
 * the others try again later.  On SQLite, where one process serves a
 * database, always 1.
 */
int		 store_job_try(struct store *, const char *job);
int		 store_job_release(struct store *, const char *job);

/* Rows of the outbox, newest first (state NULL: all); the strings are
 * lent for the callback only, which returns non-zero to stop. */
int		 store_outbox_list(struct store *, const char *state, int limit,
		    int (*cb)(const struct outbox_item *, const char *state,
		    const char *last_error, void *), void *arg);
/* An admin's word on a dead letter: queue it again (attempts from zero)
 * or discard it; audited.  -1 when it is not a dead letter. */
int		 store_outbox_revive(struct store *, const char *actor,
		    int64_t id, int discard);

/* A delivery receipt: state 1 delivered, 2 failed (enum delivery_state). */
int		 store_outbox_delivery(struct store *, const char *instance,
		    const char *ext_id, int state, const char *error);
/* The number the message sent under (instance, ext_id) went to, into
 * *phone (the caller frees it): 1 found, 0 none, -1 error. */
int		 store_outbox_recipient(struct store *, const char *instance,
		    const char *ext_id, char **phone);

/*
 * Keep one part of a long message.  1 when every part is in: *text is the
 * whole message and *first_id the first part's ext_id, which tells this
 * message from others that reuse its ref (the caller frees both); 0
 * while parts are missing, or for a part already put together (a retry);
 * -1 error.  The parts of a message put together stay, without their
 * text and with total 0, so that a retry of one is known.  Refs are
 * small numbers a phone reuses, so parts with this ref received before
 * stale_before are another message's and are dropped first, and a part
 * whose number is held by a part with another ext_id replaces it.
 */
int		 store_part_add(struct store *, const char *instance,
		    const char *sender, const char *ref, int part, int total,
		    const char *ext_id, const char *text, int64_t now,
		    int64_t stale_before, char **text_out, char **first_id);

/*
 * The alarm watch (alarm.c, its own thread and connection): when each
 * provider instance last received a message, and its silence alarm.
 * store_activity_scan: bring instance_activity up to date with the inbound
 * rows added since it last looked; 1 when there were any, 0 none, -1.
 * store_activity_list: every row into v (at most max); how many, or -1.
 * store_activity_watch: a row for instance, counting from now, unless it
 * has one.  store_activity_alarm: its silence alarm raised at since, when
 * the last message was last (since 0: cleared).  store_activity_file: store_activity_list on a file opened
 * read-only (doctor), -1 with err.
 */
struct activity {
	char	 instance[64];
	int64_t	 last_inbound;		/* 0: never */
	int64_t	 watched_since;
	int64_t	 silent_since;		/* 0: no alarm */
	int64_t	 silent_last;		/* last_inbound when it was raised */
};
int		 store_activity_scan(struct store *);
int		 store_activity_list(struct store *, struct activity *v, int max);
int		 store_activity_watch(struct store *, const char *instance,
		    int64_t now);
int		 store_activity_alarm(struct store *, const char *instance,
		    int64_t since, int64_t last);
int		 store_activity_file(const char *path, struct activity *v,
		    int max, char *err, size_t errlen);

/*
 * Operations on the database file, by path, each with its own connection
 * (the CLI: backup, restore, doctor).
 *
 * store_serve_lock: an exclusive flock on "<db>.serve.lock", held by
 * `gateway serve` for its lifetime and by a restore while it runs; the fd
 * (close it to let go), or -1 with err ("a server is running ...").
 * store_check_file: what `doctor` and `restore` need to know of a file,
 * opened read-only, never migrated; -1 when it cannot be read at all.
 * store_backup: a consistent copy of db while it is in use, written to
 * dest.tmp, fsynced and renamed to dest.
 * store_restore: from (checked by the caller) replaces db atomically; the
 * caller holds the serve lock.
 */
struct store_file_check {
	int	integrity_ok;
	char	integrity[256];		/* "ok" or the first problem */
	int	user_version;
	int	newest;			/* the newest embedded migration */
	int	tables_ok;
	char	missing[64];		/* a table that is not there */
	char	import_source[256];	/* the last postcode import, or "" */
	int64_t	import_at;
	char	error[512];
};
struct store_backup_stats {
	int	pages;
};
int		 store_serve_lock(const char *db, char *err, size_t errlen);
int		 store_check_file(const char *path, struct store_file_check *);
int		 store_backup(const char *db, const char *dest,
		    struct store_backup_stats *, char *err, size_t errlen);
int		 store_restore(const char *from, const char *db, char *err,
		    size_t errlen);

/*
 * The dashboard's figures (admin_stats.c; store_stats.c), over the leads
 * created in [since, until), of one campaign when campaign is not NULL.
 *
 * store_stats_leads: every such lead to cb, in time order, its strings
 * lent until cb returns (non-zero stops).  The caller counts: SQLite
 * would sort the rows for each GROUP BY, where a pass in C is several
 * times cheaper.  Read a day at a time, so that an engine that fetches a
 * whole result (PostgreSQL) holds one day's leads.  match_kind is "" before
 * a postcode is known, campaign "" for none, branch_id and region_id 0.
 * store_stats_optouts: the numbers that opted out in [since, until).
 * store_stats_dead_letters: outbox rows given up on (state dead), now.
 * 0 or -1.
 */
struct stats_filter {
	int64_t		 since, until;
	const char	*campaign;
};
struct stats_lead {
	int64_t		 created_at, branch_id, region_id;
	const char	*match_kind, *campaign, *postcode, *phone;
};
int		 store_stats_leads(struct store *, const struct stats_filter *,
		    int (*cb)(const struct stats_lead *, void *), void *arg);
int		 store_stats_optouts(struct store *, int64_t since, int64_t until,
		    int (*cb)(const char *phone, void *), void *arg);
int		 store_stats_dead_letters(struct store *, int64_t *n);

#endif
