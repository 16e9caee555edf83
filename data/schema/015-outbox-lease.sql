-- 015-outbox-lease.sql: several nodes on one database share the outbox.
--
-- A node takes due rows by marking them 'sending' under its own name
-- (lease_owner, random per process) until lease_until (unix seconds): no
-- other node takes a row while its lease holds and its owner lives.  A row
-- whose owner died (its lock is free: store_job_try) or whose lease ran out
-- is queued again (gateway/outbox.c).  Rows from before have no owner and
-- a lease of 0, so they are taken back at once, as a start did until now.
--
-- outbox_pace: each provider instance's pacing, one row per instance,
-- shared by every node so that the rate holds for all of them together:
-- the next moment a send may start (next_us, unix microseconds) and the
-- end of a pause the provider asked for with a 429 (paused_until, unix
-- seconds).  No index beyond the key: one row per instance.
ALTER TABLE outbox ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;

CREATE TABLE outbox_pace (
	instance	TEXT PRIMARY KEY,
	next_us		INTEGER NOT NULL DEFAULT 0,
	paused_until	INTEGER NOT NULL DEFAULT 0
);
