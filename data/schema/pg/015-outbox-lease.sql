-- 015-outbox-lease.sql (PostgreSQL): the outbox's leases and the pacing
-- shared by every node.  See data/schema/015.
ALTER TABLE outbox ADD COLUMN lease_owner text NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN lease_until bigint NOT NULL DEFAULT 0;

CREATE TABLE outbox_pace (
	instance	text PRIMARY KEY,
	next_us		bigint NOT NULL DEFAULT 0,
	paused_until	bigint NOT NULL DEFAULT 0
);
