-- 002-inbound-parts.sql (PostgreSQL): the parts of long messages that some
-- providers (Vonage) deliver one webhook at a time, kept until the last
-- arrives.
CREATE TABLE inbound_parts (
	instance	text NOT NULL,
	sender		text NOT NULL,
	ref		text NOT NULL,		-- the provider's concat reference
	part		bigint NOT NULL,	-- 1-based
	total		bigint NOT NULL,
	ext_id		text NOT NULL,		-- this part's message id
	text		text NOT NULL,
	received_at	bigint NOT NULL,
	PRIMARY KEY (instance, sender, ref, part)
);
