-- 010-activity.sql: when each provider instance last received a message,
-- and the silence alarm raised for it, if any (gateway/alarm.c).
--
-- The alarm watch keeps this up from the inbound rows added since it last
-- looked (id > seen_inbound_id, a range of the primary key), so that a
-- silent instance is found without a scan of inbound, and the request
-- path writes nothing more.  No personal data: an instance and times.
CREATE TABLE instance_activity (
	instance	TEXT PRIMARY KEY,
	last_inbound	INTEGER NOT NULL DEFAULT 0,	-- unix seconds; 0: never
	watched_since	INTEGER NOT NULL,	-- silence counts from here when
						-- nothing ever came
	silent_since	INTEGER NOT NULL DEFAULT 0,	-- alarm raised at; 0: none
	silent_last	INTEGER NOT NULL DEFAULT 0	-- last_inbound then: a
				-- later message clears it, whenever stored
);

CREATE TABLE alarm_watch (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	seen_inbound_id	INTEGER NOT NULL
);

-- What is there already, once.
INSERT INTO instance_activity (instance, last_inbound, watched_since)
    SELECT instance, MAX(received_at), MAX(received_at) FROM inbound
    WHERE true GROUP BY instance;
INSERT INTO alarm_watch (id, seen_inbound_id)
    SELECT 1, COALESCE(MAX(id), 0) FROM inbound;
