-- 007-provider-optouts.sql (PostgreSQL): what a provider said, kept with an
-- opt-out (optouts.evidence, '' for a supporter's own words), and replies
-- given inline recorded among the sends (outbox.inline, 1 for those; the
-- worker takes only queued rows).  See data/schema/007 for the detail.
ALTER TABLE optouts ADD COLUMN evidence text NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN inline bigint NOT NULL DEFAULT 0;
