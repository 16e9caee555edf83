-- 010-activity.sql (PostgreSQL): when each provider instance last received
-- a message, and the silence alarm raised for it.  See data/schema/010.
CREATE TABLE instance_activity (
	instance	text PRIMARY KEY,
	last_inbound	bigint NOT NULL DEFAULT 0,
	watched_since	bigint NOT NULL,
	silent_since	bigint NOT NULL DEFAULT 0,
	silent_last	bigint NOT NULL DEFAULT 0
);

CREATE TABLE alarm_watch (
	id		bigint PRIMARY KEY CHECK (id = 1),
	seen_inbound_id	bigint NOT NULL
);

INSERT INTO instance_activity (instance, last_inbound, watched_since)
    SELECT instance, MAX(received_at), MAX(received_at) FROM inbound
    GROUP BY instance;
INSERT INTO alarm_watch (id, seen_inbound_id)
    SELECT 1, COALESCE(MAX(id), 0) FROM inbound;
