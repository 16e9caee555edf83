-- 008-outbox-parts.sql (PostgreSQL): every part's message id of a long
-- message sent in parts (Vonage's SMS API).  See data/schema/008.
CREATE TABLE outbox_parts (
	outbox_id	bigint NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
	part		bigint NOT NULL,		-- 1-based
	instance	text NOT NULL,
	ext_id		text NOT NULL,
	state		text NOT NULL DEFAULT 'sent' CHECK (state IN
			    ('sent', 'delivered', 'failed')),
	PRIMARY KEY (outbox_id, part)
);
CREATE INDEX outbox_parts_ext ON outbox_parts(instance, ext_id);
