-- 011-test-rows.sql (PostgreSQL): rows the admin's phone simulator made,
-- marked test = 1.  See data/schema/011.
ALTER TABLE inbound ADD COLUMN test bigint NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN test bigint NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN test bigint NOT NULL DEFAULT 0;
ALTER TABLE optouts ADD COLUMN test bigint NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN test bigint NOT NULL DEFAULT 0;
CREATE INDEX inbound_test ON inbound(id) WHERE test <> 0;
CREATE INDEX leads_test ON leads(id) WHERE test <> 0;
CREATE INDEX outbox_test ON outbox(state) WHERE test <> 0;
