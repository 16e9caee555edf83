-- 009-child-key-indexes.sql (PostgreSQL): an index on every column that
-- refers to a row purge, forget or retention delete in bulk, so that
-- ON DELETE SET NULL finds the children without a scan per deleted row.
-- See data/schema/009.
CREATE INDEX leads_inbound ON leads(inbound_id);
CREATE INDEX optouts_inbound ON optouts(inbound_id);
CREATE INDEX outbox_inbound ON outbox(inbound_id);
CREATE INDEX conversations_lead ON conversations(lead_id);
