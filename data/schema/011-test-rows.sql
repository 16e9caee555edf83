-- 011-test-rows.sql: rows the admin's phone simulator made (POST
-- /admin/api/simulate), marked test = 1: kept out of lead lists, exports,
-- /metrics and notifications, and removed together by a clear.
--
-- The indexes are partial: a real message writes no entry in them, so the
-- ingest path pays nothing; they serve the clear and the outbox census.
ALTER TABLE inbound ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
ALTER TABLE optouts ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
CREATE INDEX inbound_test ON inbound(id) WHERE test <> 0;
CREATE INDEX leads_test ON leads(id) WHERE test <> 0;
CREATE INDEX outbox_test ON outbox(state) WHERE test <> 0;
