-- 002-inbound-parts.sql: the parts of long messages that some providers
-- (Vonage) deliver one webhook at a time, kept until the last arrives.
CREATE TABLE inbound_parts (
	instance	TEXT NOT NULL,
	sender		TEXT NOT NULL,
	ref		TEXT NOT NULL,		-- the provider's concat reference
	part		INTEGER NOT NULL,	-- 1-based
	total		INTEGER NOT NULL,
	ext_id		TEXT NOT NULL,		-- this part's message id
	text		TEXT NOT NULL,
	received_at	INTEGER NOT NULL,
	PRIMARY KEY (instance, sender, ref, part)
) WITHOUT ROWID;
