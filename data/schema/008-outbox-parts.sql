-- 008-outbox-parts.sql: a long message that its provider sends as parts,
-- each with its own message id (Vonage's SMS API).  Every part's receipt
-- names its own id, so all of them are kept: the row is delivered when
-- every part is, and failed as soon as one part fails.  outbox.ext_id
-- stays the first part's, as for a message of one part, which has no rows
-- here.
--
-- The index serves the one look-up, a receipt by (instance, ext_id); it is
-- paid for only by messages of more than one part.
CREATE TABLE IF NOT EXISTS outbox_parts (
	outbox_id	INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
	part		INTEGER NOT NULL,		-- 1-based
	instance	TEXT NOT NULL,
	ext_id		TEXT NOT NULL,
	state		TEXT NOT NULL DEFAULT 'sent' CHECK (state IN
			    ('sent', 'delivered', 'failed')),
	PRIMARY KEY (outbox_id, part)
);
CREATE INDEX IF NOT EXISTS outbox_parts_ext ON outbox_parts(instance, ext_id);
